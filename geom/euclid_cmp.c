/*
 * euclid_cmp.c — the sign of d(q,a) - d(q,b) for HYP_EUCLID points whose
 * distances are known to differ (predicate.c proves when they do), by
 * rigorous evaluation of S = sinh^2(d/2) at P = 128, 256, ..., 4096 bits
 * until the error bounds separate S_a from S_b.  d is increasing in S.
 *
 * The formula.  With rq = |q|, ry = |y|, c = q.y, W = |q|^2|y|^2 - c^2 (all
 * but the radii exact dyadic numbers from predicate.c):
 *   S = sinh^2(|rq - ry|/2) + sinh(rq) sinh(ry) sin^2(theta/2)
 *     = sinh^2(delta/2) + shc(rq) shc(ry) N / 2,
 *   delta = |Q - Y| / (rq + ry)    (Q - Y exact: no cancellation in rq - ry)
 *   N = rq ry - c = rq ry (1 - cos theta):
 *       c <= 0:  rq ry + |c|       (a sum of non-negative terms)
 *       c > 0:   W / (rq ry + c)   (W exact: no cancellation in 1 - cos)
 *   shc(r) = sinh(r)/r >= 1 (1 at r = 0), so tiny radii cost nothing.
 * Every operation combines non-negative values, so relative error bounds
 * simply add up (mpfloat.h).  y = 0 gives S = sinh^2(rq/2).
 *
 * A ball is a value with a bound e on its relative error in units of
 * u = 2^-P: value = exact (1 + rho), |rho| <= e u.  Rules (mpfloat_fn.c for
 * the bookkeeping; M = MPFL_MARGIN, R = MPFL_ROUND):
 *   from an exact big                     R
 *   a b, a / b                            (ea + eb + R) M, plus the reciprocal's own
 *   a + b (both >= 0)                     (max(ea, eb) + R) M
 *   sqrt a                                (0.51 ea + e_sqrt) M
 *   sinh x:  sinh(x(1+t)) / sinh x - 1 = t x cosh(z)/sinh(x) for some z
 *            between, and x coth x <= 1 + x, cosh(z) <= cosh(x) e^|tx|:
 *            amplification 1 + x (x < 2^(ilogb + 2) bounds the exact x);
 *   shc x:   (ln shc)' = coth x - 1/x is in [0, 1): amplification x.
 * The e^|tx| and second-order terms are below 2^-50 of the bound as long
 * as every e <= 2^(P-80) (x < 2^26): checked on every ball; if a bound
 * exceeds it the level is abandoned (never seen: tests/test_predicate.c
 * meets bounds up to 2^33).
 *
 * Decision.  With S~ = S (1 + rho), |S~ - S| <= e u S~ / (1 - e u).  The
 * difference D^ = mpfl_sub(S~a, S~b) has the sign of S~a - S~b and
 * |D^| <= |S~a - S~b| (1 + 3u).  The sign of D^ is that of S_a - S_b when
 *   |D^| > (ea S~a + eb S~b) u (1 + 2^-49) (1 + 3u),
 * tested with powers of two (S~ < 2^(ilogb + 1), |D^| >= 2^ilogb) and a
 * margin of 2^-40 for the doubles that form the test.
 * Termination: the distances differ (predicate.c), so |S_a - S_b| > 0
 * while the bounds shrink like 2^-P: they lose about log2(radius) +
 * sqrt(P)/2 + 10 bits, so P = 128 settles every pair whose S differ by more
 * than about 2^-95 relative (radii up to 2^24), and each doubling buys
 * the rest.  At 4096 bits the bounds are below 2^80 units:
 * a pair still undecided differs by less than 2^-4010 in S, 2^-4011 in d
 * (dd/d <= dS/(2S)), and is reported as HYP_EUNDECIDED.
 */
#include <math.h>
#include <stdlib.h>
#include "euclid_cmp.h"
#include "hyp_error.h"
#include "mpfloat.h"

#define PREC_FIRST 128
#define PREC_LAST 4096

typedef struct {
    mpfl v;
    double e; /* relative error bound in units of 2^-prec */
} ball;

typedef struct {
    int prec;
    int ok;      /* every bound so far within emax */
    double emax; /* 2^(prec - 80): the bookkeeping's validity */
} level;

static void check(level *L, const ball *b)
{
    if (!(b->e <= L->emax)) /* also catches NaN */
        L->ok = 0;
}

static void b_zero(ball *r)
{
    mpfl_set_ui(&r->v, 0);
    r->e = 0.0;
}

/* |x| rounded */
static void b_big(level *L, ball *r, const big *x)
{
    mpfl_from_big(&r->v, x, L->prec);
    mpfl_abs(&r->v);
    r->e = MPFL_ROUND;
}

static void b_mul(level *L, ball *r, const ball *a, const ball *b)
{
    mpfl_mul(&r->v, &a->v, &b->v, L->prec);
    r->e = (a->e + b->e + MPFL_ROUND) * MPFL_MARGIN;
    check(L, r);
}

static void b_div(level *L, ball *r, const ball *a, const ball *b)
{
    mpfl inv;
    double ei = mpfl_recip(&inv, &b->v, L->prec);
    mpfl_mul(&r->v, &a->v, &inv, L->prec);
    r->e = (a->e + b->e + ei + MPFL_ROUND) * MPFL_MARGIN;
    check(L, r);
}

static void b_add(level *L, ball *r, const ball *a, const ball *b)
{
    double e = a->e > b->e ? a->e : b->e;
    mpfl_add(&r->v, &a->v, &b->v, L->prec);
    r->e = (e + MPFL_ROUND) * MPFL_MARGIN;
    check(L, r);
}

static void b_sqrt(level *L, ball *r, const ball *a)
{
    double es = mpfl_sqrt(&r->v, &a->v, L->prec);
    r->e = (0.51 * a->e + es) * MPFL_MARGIN;
    check(L, r);
}

/* An upper bound of the exact argument x, from x~ = x (1 + t): 2^(ilogb + 2). */
static double arg_bound(const ball *x) { return ldexp(1.0, mpfl_ilogb(&x->v) + 2); }

static void b_sinh(level *L, ball *r, const ball *x)
{
    if (x->v.len == 0) {
        b_zero(r);
        return;
    }
    double ef = mpfl_sinh(&r->v, &x->v, L->prec);
    r->e = ((1.0 + arg_bound(x)) * x->e + ef) * MPFL_MARGIN;
    check(L, r);
}

static void b_sinhc(level *L, ball *r, const ball *x)
{
    double ef = mpfl_sinhc(&r->v, &x->v, L->prec);
    r->e = x->v.len == 0 ? ef : (arg_bound(x) * x->e + ef) * MPFL_MARGIN;
    check(L, r);
}

/* The two radial inputs shared by both sides. */
typedef struct {
    ball rq;  /* |q| */
    ball shq; /* sinh(rq)/rq */
} query;

/* |Q - Y| rounded once: Q and Y are sums of at most 2^12 squares of
 * doubles below 2^24, so multiples of 2^-2148 below 2^60, at most 2208 bits:
 * exact as mpfl at MPFL_PREC_MAX, and their difference is formed exactly
 * before its one rounding. */
static void b_diff(level *L, ball *r, const big *Q, const big *Y)
{
    mpfl q, y;
    mpfl_from_big(&q, Q, MPFL_PREC_MAX);
    mpfl_from_big(&y, Y, MPFL_PREC_MAX);
    mpfl_sub(&r->v, &q, &y, L->prec);
    mpfl_abs(&r->v);
    r->e = MPFL_ROUND;
}

/* S for one side. */
static void side_s(level *L, ball *s, const big *Q, const query *q, const euclid_side *y)
{
    ball ry, t, u, w, den, trad;
    if (big_sign(y->Y) == 0) { /* y = 0: d = rq */
        t = q->rq;
        mpfl_ldexp(&t.v, -1);
        b_sinh(L, &u, &t);
        b_mul(L, s, &u, &u);
        return;
    }
    b_big(L, &t, y->Y);
    b_sqrt(L, &ry, &t);

    b_diff(L, &t, Q, y->Y);
    if (t.v.len == 0) { /* equal radii: no radial term */
        b_zero(&trad);
    } else {
        b_add(L, &u, &q->rq, &ry);
        b_div(L, &w, &t, &u); /* delta = |rq - ry| */
        mpfl_ldexp(&w.v, -1);
        b_sinh(L, &t, &w);
        b_mul(L, &trad, &t, &t);
    }

    b_mul(L, &u, &q->rq, &ry); /* rq ry */
    int sc = big_sign(y->c);
    if (sc < 0) {
        b_big(L, &t, y->c);
        b_add(L, &w, &u, &t);
    } else if (sc == 0) {
        w = u;
    } else if (big_sign(y->W) == 0) { /* y on the ray of q: theta = 0 */
        b_zero(&w);
    } else {
        b_big(L, &t, y->c);
        b_add(L, &den, &u, &t);
        b_big(L, &t, y->W);
        b_div(L, &w, &t, &den);
    }
    b_sinhc(L, &t, &ry);
    b_mul(L, &u, &q->shq, &t);
    b_mul(L, &t, &u, &w);
    mpfl_ldexp(&t.v, -1); /* T_ang */
    b_add(L, s, &trad, &t);
}

/* e u S~ (1 + 2^-49) as a multiple of 2^ld, with S~ < 2^(ilogb + 1). */
static double share(const ball *s, int ld, int prec)
{
    if (s->v.len == 0 || s->e == 0.0)
        return 0.0;
    int k = mpfl_ilogb(&s->v) + 1 - ld - prec;
    return k > 100 ? INFINITY : ldexp(s->e * (1.0 + 0x1p-49), k < -1100 ? -1100 : k);
}

/* -1 or 1 if the bounds decide, else 0. */
static int decide(const level *L, const ball *sa, const ball *sb)
{
    if (!L->ok)
        return 0;
    mpfl d;
    mpfl_sub(&d, &sa->v, &sb->v, L->prec);
    if (d.len == 0)
        return 0;
    int ld = mpfl_ilogb(&d);
    double t = share(sa, ld, L->prec) + share(sb, ld, L->prec);
    return t * MPFL_MARGIN < 1.0 - 0x1p-40 ? mpfl_sign(&d) : 0;
}

int euclid_far_cmp(const big *Q, const euclid_side *a, const euclid_side *b, int *order)
{
    level L;
    ball sa, sb;
    for (int prec = PREC_FIRST; prec <= PREC_LAST; prec *= 2) {
        L.prec = prec;
        L.ok = 1;
        L.emax = ldexp(1.0, prec - 80 < 1000 ? prec - 80 : 1000);
        query q;
        ball t;
        b_big(&L, &t, Q);
        b_sqrt(&L, &q.rq, &t);
        b_sinhc(&L, &q.shq, &q.rq);
        side_s(&L, &sa, Q, &q, a);
        side_s(&L, &sb, Q, &q, b);
        int s = decide(&L, &sa, &sb);
        if (s != 0) {
            *order = s;
            return HYP_OK;
        }
    }
    /* The claim of HYP_EUNDECIDED needs small bounds at the last level. */
    if (!L.ok || sa.e > 0x1p80 || sb.e > 0x1p80)
        abort(); /* the bookkeeping failed: a bug, never a wrong order */
    *order = 0;
    return HYP_EUNDECIDED;
}
