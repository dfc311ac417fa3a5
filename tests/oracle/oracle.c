/*
 * oracle.c — MPFR reference distances, radii and conversions from the doubles
 * exactly as given (see oracle.h for the contract).
 *
 * Method: exact where cancellation can occur, correctly rounded elsewhere.
 *
 * 1. Exact building blocks.  A double is an MPFR number of 53 bits; the square
 *    or product of two such numbers is exact at 106 bits, the difference of
 *    two at (exponent spread + 54) bits.  A sum of m such terms is formed
 *    EXACTLY by mpfr_sum into a variable whose precision covers the whole
 *    exponent range of the terms (highest exponent + log2(m) + 1 down to the
 *    lowest possible bit; see exact_sum()): typically ~170 bits, at worst
 *    ~4300 bits (subnormals squared next to DBL_MAX squared).  Where only a
 *    correctly rounded sum is needed, mpfr_sum rounds the exact sum once to
 *    the working precision W = ORACLE_PREC + 64 (mpfr_sum is correctly
 *    rounded whatever the cancellation, so its sign and zero-ness are exact).
 *
 * 2. Cancellation-free identities.  Every subtraction of two quantities that
 *    may be close has exact operands (it is done inside an exact or correctly
 *    rounded mpfr_sum, or by mpfr_sub on exact operands, which is correctly
 *    rounded); everything else adds, multiplies, divides, or applies sqrt,
 *    sinh, asinh, tanh to positive correctly rounded values.
 *
 *    Poincaré   A = 1 - |x|^2, B = 1 - |y|^2         (correctly rounded sums)
 *               S = |x - y|^2 / (A B)               (exact differences)
 *    Polar core for a = |x|, b = |y| (a^2, b^2 and <x,y> exact):
 *               1 - cos(theta) = T / (a b) with T = a b - <x,y>, and
 *                 T = a b + |<x,y>|                 if <x,y> <= 0,
 *                 T = G / (a b + <x,y>)             if <x,y> > 0,
 *               G = a^2 b^2 - <x,y>^2 = sum_{i<j} (x_i y_j - x_j y_i)^2 >= 0
 *               (Lagrange), correctly rounded from exact operands.
 *    Lorentz    sinh r = |x_s|, so with a = |x_s|, b = |y_s|:
 *               sinh(r1 - r2) = (a^2 - b^2) / (a sqrt(1+b^2) + b sqrt(1+a^2))
 *               sinh^2((r1-r2)/2) = sinh^2(r1-r2) / (2 (1 + cosh(r1-r2)))
 *               S = sinh^2((r1-r2)/2) + T / 2.
 *    Euclid     r = |v|:  r1 - r2 = (a^2 - b^2) / (a + b),
 *               S = sinh^2((r1-r2)/2) + sinh(r1) sinh(r2) T / (2 a b).
 *    All         d = 2 asinh(sqrt(S)).
 *
 * 3. Error bound.  After the exact blocks the evaluation is a chain of at most
 *    ~30 correctly rounded operations on positive values, each adding a
 *    relative 2^-W.  The only amplifications are sinh (relative condition
 *    r coth r <= 1 + r, at most 2^24 + 1 at HYP_EUCLID_RADIUS_MAX) and asinh of
 *    sqrt (condition <= 1/2).  So every result has relative error below
 *    2^-(W - 30) = 2^-546: exact for judging doubles, with no precision
 *    escalation needed at any radius (the cosh r ~ 1e304 cancellation of the
 *    textbook Lorentz formula never occurs).
 *
 * Domain: NaN/Inf coordinates (the Lorentz x0 excepted: it is never read),
 * Poincaré |x| > 1, Euclid |v| > HYP_EUCLID_RADIUS_MAX are ORACLE_INVALID
 * (exactly the points hyp_point_check refuses for their coordinates);
 * Poincaré |x| = 1 is ORACLE_INF.
 *
 * The MPFR exponent range is widened to its maximum on every entry (sinh of
 * 2^24 is about 2^(2.4e7), and exact squares of subnormals reach 2^-2148).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "oracle.h"

#define W (ORACLE_PREC + 64)

static void widen_range(void)
{
    if (mpfr_get_emax() != mpfr_get_emax_max())
        mpfr_set_emax(mpfr_get_emax_max());
    if (mpfr_get_emin() != mpfr_get_emin_min())
        mpfr_set_emin(mpfr_get_emin_min());
}

/* ---- vectors of MPFR numbers ------------------------------------------ */

typedef struct {
    size_t n;
    mpfr_t *c;
} mvec;

static void mvec_init(mvec *v, size_t n, mpfr_prec_t p)
{
    v->n = n;
    v->c = malloc((n ? n : 1) * sizeof(mpfr_t));
    if (!v->c)
        abort();
    for (size_t i = 0; i < n; i++)
        mpfr_init2(v->c[i], p);
}

static void mvec_clear(mvec *v)
{
    for (size_t i = 0; i < v->n; i++)
        mpfr_clear(v->c[i]);
    free(v->c);
    v->c = NULL;
    v->n = 0;
}

/* v = the n doubles x, exactly. */
static void mvec_from_doubles(mvec *v, size_t n, const double *x)
{
    mvec_init(v, n, 53);
    for (size_t i = 0; i < n; i++)
        mpfr_set_d(v->c[i], x[i], MPFR_RNDN);
}

/* Sums the m terms t[0..m) into out.  exact != 0: out's precision is first
 * set so that the sum is exact.  Otherwise the exact sum is rounded once to
 * out's current precision. */
static void sum_terms(mpfr_t out, mvec *t, size_t m, int exact)
{
    if (exact) {
        mpfr_exp_t hi = 0, lo = 0;
        int any = 0;
        for (size_t i = 0; i < m; i++) {
            if (mpfr_zero_p(t->c[i]))
                continue;
            mpfr_exp_t e = mpfr_get_exp(t->c[i]);
            mpfr_exp_t l = e - (mpfr_exp_t)mpfr_get_prec(t->c[i]);
            if (!any || e > hi)
                hi = e;
            if (!any || l < lo)
                lo = l;
            any = 1;
        }
        if (!any) {
            mpfr_set_prec(out, 2);
            mpfr_set_zero(out, 1);
            return;
        }
        /* |sum| < m 2^hi <= 2^(hi + bits(m)); every bit is at or above 2^lo. */
        mpfr_exp_t bits = 1;
        while (((size_t)1 << bits) <= m && bits < 62)
            bits++;
        mpfr_set_prec(out, (mpfr_prec_t)(hi + bits + 1 - lo));
    }
    mpfr_ptr *ptr = calloc(m ? m : 1, sizeof *ptr);
    if (!ptr)
        abort();
    for (size_t i = 0; i < m; i++)
        ptr[i] = t->c[i];
    mpfr_sum(out, ptr, (unsigned long)m, MPFR_RNDN);
    free(ptr);
}

/* out = |x|^2 exactly (out's precision is set). */
static void norm2_exact(mpfr_t out, const mvec *x)
{
    mvec t;
    mvec_init(&t, x->n, 2);
    for (size_t i = 0; i < x->n; i++) {
        mpfr_set_prec(t.c[i], 2 * mpfr_get_prec(x->c[i]));
        mpfr_sqr(t.c[i], x->c[i], MPFR_RNDN);
    }
    sum_terms(out, &t, t.n, 1);
    mvec_clear(&t);
}

/* out = <x, y> exactly (out's precision is set). */
static void dot_exact(mpfr_t out, const mvec *x, const mvec *y)
{
    mvec t;
    mvec_init(&t, x->n, 2);
    for (size_t i = 0; i < x->n; i++) {
        mpfr_set_prec(t.c[i], mpfr_get_prec(x->c[i]) + mpfr_get_prec(y->c[i]));
        mpfr_mul(t.c[i], x->c[i], y->c[i], MPFR_RNDN);
    }
    sum_terms(out, &t, t.n, 1);
    mvec_clear(&t);
}

/* out = 1 - |x|^2, correctly rounded to out's precision (sign exact). */
static void one_minus_norm2(mpfr_t out, const mvec *x)
{
    mvec t;
    mvec_init(&t, x->n + 1, 2);
    for (size_t i = 0; i < x->n; i++) {
        mpfr_set_prec(t.c[i], 2 * mpfr_get_prec(x->c[i]));
        mpfr_sqr(t.c[i], x->c[i], MPFR_RNDN);
        mpfr_neg(t.c[i], t.c[i], MPFR_RNDN);
    }
    mpfr_set_ui(t.c[x->n], 1, MPFR_RNDN);
    sum_terms(out, &t, t.n, 0);
    mvec_clear(&t);
}

/* out = |x - y|^2, correctly rounded to out's precision. */
static void dist2(mpfr_t out, const mvec *x, const mvec *y)
{
    mvec t;
    mvec_init(&t, x->n, 2);
    for (size_t i = 0; i < x->n; i++) {
        mpfr_srcptr a = x->c[i], b = y->c[i];
        mpfr_prec_t p;
        if (mpfr_zero_p(a) || mpfr_zero_p(b)) {
            p = mpfr_get_prec(a) > mpfr_get_prec(b) ? mpfr_get_prec(a) : mpfr_get_prec(b);
        } else {
            /* bits from the higher top down to the lower bottom, +1 for carry */
            mpfr_exp_t ea = mpfr_get_exp(a), eb = mpfr_get_exp(b);
            mpfr_exp_t la = ea - (mpfr_exp_t)mpfr_get_prec(a);
            mpfr_exp_t lb = eb - (mpfr_exp_t)mpfr_get_prec(b);
            p = (mpfr_prec_t)((ea > eb ? ea : eb) + 1 - (la < lb ? la : lb));
        }
        mpfr_t d;
        mpfr_init2(d, p);
        mpfr_sub(d, a, b, MPFR_RNDN); /* exact */
        mpfr_set_prec(t.c[i], 2 * p);
        mpfr_sqr(t.c[i], d, MPFR_RNDN); /* exact */
        mpfr_clear(d);
    }
    sum_terms(out, &t, t.n, 0);
    mvec_clear(&t);
}

/* ---- validity ---------------------------------------------------------- */

static int finite_coords(hyp_model model, size_t n, const double *x)
{
    const double *s = model == HYP_LORENTZ ? x + 1 : x;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(s[i]))
            return 0;
    return 1;
}

/* Classifies x from its authoritative coordinates v (spatial part for
 * Lorentz), given |v|^2 exactly. */
static int classify(hyp_model model, mpfr_srcptr norm2)
{
    if (model == HYP_POINCARE) {
        int c = mpfr_cmp_ui(norm2, 1);
        return c < 0 ? ORACLE_OK : c == 0 ? ORACLE_INF : ORACLE_INVALID;
    }
    if (model == HYP_EUCLID) {
        /* |v| > 2^24  <=>  |v|^2 > 2^48, exactly */
        return mpfr_cmp_d(norm2, HYP_EUCLID_RADIUS_MAX * HYP_EUCLID_RADIUS_MAX) > 0
                   ? ORACLE_INVALID
                   : ORACLE_OK;
    }
    return ORACLE_OK;
}

static int model_ok(hyp_model model, size_t n)
{
    return (model == HYP_POINCARE || model == HYP_LORENTZ || model == HYP_EUCLID) && n >= 1;
}

int oracle_check(hyp_model model, size_t n, const double *x)
{
    widen_range();
    if (!model_ok(model, n) || !finite_coords(model, n, x))
        return ORACLE_INVALID;
    mvec v;
    mvec_from_doubles(&v, n, model == HYP_LORENTZ ? x + 1 : x);
    mpfr_t n2;
    mpfr_init2(n2, 2);
    norm2_exact(n2, &v);
    int st = classify(model, n2);
    mpfr_clear(n2);
    mvec_clear(&v);
    return st;
}

/* ---- S = sinh^2(d/2) ------------------------------------------------------ */

/* Poincaré S for two points inside the ball; s has precision W. */
static void poincare_s(const mvec *x, const mvec *y, mpfr_t s)
{
    mpfr_t a, b;
    mpfr_inits2(W, a, b, (mpfr_ptr)0);
    one_minus_norm2(a, x);
    one_minus_norm2(b, y);
    dist2(s, x, y);
    mpfr_mul(a, a, b, MPFR_RNDN);
    mpfr_div(s, s, a, MPFR_RNDN);
    mpfr_clears(a, b, (mpfr_ptr)0);
}

/* Polar core (see the file comment); a2, b2 are |x|^2, |y|^2 exactly. */
static void polar_s(hyp_model model, const mvec *x, const mvec *y, mpfr_srcptr a2,
                    mpfr_srcptr b2, mpfr_t s)
{
    mpfr_t a, b, ab, ip, t, u, rad, ang;
    mpfr_inits2(W, a, b, ab, t, u, rad, ang, (mpfr_ptr)0);
    mpfr_init2(ip, 2);
    mpfr_sqrt(a, a2, MPFR_RNDN);
    mpfr_sqrt(b, b2, MPFR_RNDN);
    mpfr_mul(ab, a, b, MPFR_RNDN);

    /* T = a b - <x,y> >= 0, into ang */
    dot_exact(ip, x, y);
    if (mpfr_sgn(ip) <= 0) {
        mpfr_sub(ang, ab, ip, MPFR_RNDN); /* a sum of non-negative terms */
    } else {
        mpfr_t g, p1, p2;
        mpfr_init2(g, W);
        mpfr_init2(p1, mpfr_get_prec(a2) + mpfr_get_prec(b2));
        mpfr_init2(p2, 2 * mpfr_get_prec(ip));
        mpfr_mul(p1, a2, b2, MPFR_RNDN); /* exact */
        mpfr_sqr(p2, ip, MPFR_RNDN);     /* exact */
        mpfr_sub(g, p1, p2, MPFR_RNDN);  /* correctly rounded, >= 0 */
        mpfr_add(t, ab, ip, MPFR_RNDN);
        mpfr_div(ang, g, t, MPFR_RNDN);
        mpfr_clears(g, p1, p2, (mpfr_ptr)0);
    }

    /* D = a^2 - b^2, correctly rounded from exact operands, into u */
    mpfr_sub(u, a2, b2, MPFR_RNDN);
    if (model == HYP_LORENTZ) {
        /* sinh(r1 - r2) = D / (a sqrt(1+b^2) + b sqrt(1+a^2)) */
        if (mpfr_zero_p(u)) {
            mpfr_set_zero(rad, 1);
        } else {
            mpfr_t ca, cb;
            mpfr_inits2(W, ca, cb, (mpfr_ptr)0);
            mpfr_add_ui(ca, a2, 1, MPFR_RNDN);
            mpfr_sqrt(ca, ca, MPFR_RNDN);
            mpfr_add_ui(cb, b2, 1, MPFR_RNDN);
            mpfr_sqrt(cb, cb, MPFR_RNDN);
            mpfr_mul(cb, a, cb, MPFR_RNDN);
            mpfr_mul(ca, b, ca, MPFR_RNDN);
            mpfr_add(t, ca, cb, MPFR_RNDN);
            mpfr_div(t, u, t, MPFR_RNDN); /* sinh(delta) */
            mpfr_sqr(t, t, MPFR_RNDN);    /* sinh^2(delta) */
            mpfr_add_ui(ca, t, 1, MPFR_RNDN);
            mpfr_sqrt(ca, ca, MPFR_RNDN); /* cosh(delta) */
            mpfr_add_ui(ca, ca, 1, MPFR_RNDN);
            mpfr_mul_2ui(ca, ca, 1, MPFR_RNDN);
            mpfr_div(rad, t, ca, MPFR_RNDN);
            mpfr_clears(ca, cb, (mpfr_ptr)0);
        }
        mpfr_div_2ui(ang, ang, 1, MPFR_RNDN);
    } else {
        /* r1 - r2 = D / (a + b) */
        mpfr_add(t, a, b, MPFR_RNDN);
        if (mpfr_zero_p(u) || mpfr_zero_p(t)) {
            mpfr_set_zero(rad, 1);
        } else {
            mpfr_div(t, u, t, MPFR_RNDN);
            mpfr_div_2ui(t, t, 1, MPFR_RNDN);
            mpfr_sinh(t, t, MPFR_RNDN);
            mpfr_sqr(rad, t, MPFR_RNDN);
        }
        if (mpfr_zero_p(ab)) {
            mpfr_set_zero(ang, 1);
        } else {
            /* sinh(r1) sinh(r2) T / (2 a b) */
            mpfr_sinh(t, a, MPFR_RNDN);
            mpfr_sinh(u, b, MPFR_RNDN);
            mpfr_mul(t, t, u, MPFR_RNDN);
            mpfr_div(t, t, ab, MPFR_RNDN);
            mpfr_mul(ang, ang, t, MPFR_RNDN);
            mpfr_div_2ui(ang, ang, 1, MPFR_RNDN);
        }
    }
    mpfr_add(s, rad, ang, MPFR_RNDN);
    mpfr_clears(a, b, ab, ip, t, u, rad, ang, (mpfr_ptr)0);
}

/* d = 2 asinh(sqrt(S)), rounded into d. */
static void d_from_s(mpfr_t d, mpfr_srcptr s)
{
    mpfr_t t;
    mpfr_init2(t, W);
    mpfr_sqrt(t, s, MPFR_RNDN);
    mpfr_asinh(t, t, MPFR_RNDN);
    mpfr_mul_2ui(t, t, 1, MPFR_RNDN);
    mpfr_set(d, t, MPFR_RNDN);
    mpfr_clear(t);
}

/* ---- public ------------------------------------------------------------ */

int oracle_dist(hyp_model model, size_t n, const double *x, const double *y, mpfr_t d)
{
    widen_range();
    if (!model_ok(model, n) || !finite_coords(model, n, x) || !finite_coords(model, n, y))
        return ORACLE_INVALID;
    size_t off = model == HYP_LORENTZ ? 1 : 0;
    mvec vx, vy;
    mvec_from_doubles(&vx, n, x + off);
    mvec_from_doubles(&vy, n, y + off);
    mpfr_t a2, b2, s;
    mpfr_inits2(2, a2, b2, (mpfr_ptr)0);
    mpfr_init2(s, W);
    norm2_exact(a2, &vx);
    norm2_exact(b2, &vy);
    int cx = classify(model, a2), cy = classify(model, b2);
    int st;
    if (cx == ORACLE_INVALID || cy == ORACLE_INVALID) {
        st = ORACLE_INVALID;
    } else if (cx == ORACLE_INF || cy == ORACLE_INF) {
        st = ORACLE_INF;
    } else {
        if (model == HYP_POINCARE)
            poincare_s(&vx, &vy, s);
        else
            polar_s(model, &vx, &vy, a2, b2, s);
        d_from_s(d, s);
        st = ORACLE_OK;
    }
    mpfr_clears(a2, b2, s, (mpfr_ptr)0);
    mvec_clear(&vx);
    mvec_clear(&vy);
    return st;
}

/* r from the exact a2 = |v|^2 of a valid point (and, for Poincaré, the
 * point itself for 1 - |x|^2). */
static void radius_w(hyp_model model, const mvec *v, mpfr_srcptr a2, mpfr_t r)
{
    if (model == HYP_POINCARE) {
        /* S = |x|^2 / (1 - |x|^2) */
        mpfr_t a;
        mpfr_init2(a, W);
        one_minus_norm2(a, v);
        mpfr_div(r, a2, a, MPFR_RNDN);
        mpfr_sqrt(r, r, MPFR_RNDN);
        mpfr_asinh(r, r, MPFR_RNDN);
        mpfr_mul_2ui(r, r, 1, MPFR_RNDN);
        mpfr_clear(a);
    } else if (model == HYP_LORENTZ) {
        mpfr_sqrt(r, a2, MPFR_RNDN);
        mpfr_asinh(r, r, MPFR_RNDN);
    } else {
        mpfr_sqrt(r, a2, MPFR_RNDN);
    }
}

int oracle_radius(hyp_model model, size_t n, const double *x, mpfr_t r)
{
    widen_range();
    if (!model_ok(model, n) || !finite_coords(model, n, x))
        return ORACLE_INVALID;
    mvec v;
    mvec_from_doubles(&v, n, model == HYP_LORENTZ ? x + 1 : x);
    mpfr_t a2, t;
    mpfr_init2(a2, 2);
    mpfr_init2(t, W);
    norm2_exact(a2, &v);
    int st = classify(model, a2);
    if (st == ORACLE_OK) {
        radius_w(model, &v, a2, t);
        mpfr_set(r, t, MPFR_RNDN);
    }
    mpfr_clears(a2, t, (mpfr_ptr)0);
    mvec_clear(&v);
    return st;
}

int oracle_convert(hyp_model from, hyp_model to, size_t n, const double *x, mpfr_t *y)
{
    widen_range();
    if (!model_ok(from, n) || !model_ok(to, n) || !finite_coords(from, n, x))
        return ORACLE_INVALID;
    mvec v;
    mvec_from_doubles(&v, n, from == HYP_LORENTZ ? x + 1 : x);
    mpfr_t a2, a, f, c, t;
    mpfr_init2(a2, 2);
    mpfr_inits2(W, a, f, c, t, (mpfr_ptr)0);
    norm2_exact(a2, &v);
    int st = classify(from, a2);
    if (st != ORACLE_OK)
        goto out;
    mpfr_sqrt(a, a2, MPFR_RNDN);
    /* f = |image| / |x| (the image is f x), c = cosh(r) for a Lorentz x0. */
    if (from == HYP_POINCARE) {
        mpfr_t om;
        mpfr_init2(om, W);
        one_minus_norm2(om, &v); /* A */
        /* cosh r = (1 + |x|^2) / A = (2 - A) / A; sinh r = 2|x| / A */
        mpfr_ui_sub(c, 2, om, MPFR_RNDN);
        mpfr_div(c, c, om, MPFR_RNDN);
        if (to == HYP_POINCARE) {
            mpfr_set_ui(f, 1, MPFR_RNDN);
        } else if (to == HYP_LORENTZ) {
            mpfr_ui_div(f, 2, om, MPFR_RNDN);
        } else if (!mpfr_zero_p(a)) {
            radius_w(from, &v, a2, t);
            mpfr_div(f, t, a, MPFR_RNDN);
        } else {
            mpfr_set_ui(f, 2, MPFR_RNDN); /* the limit of r/|x| at 0 */
        }
        mpfr_clear(om);
    } else if (from == HYP_LORENTZ) {
        /* sinh r = a, cosh r = sqrt(1 + a^2) */
        mpfr_add_ui(c, a2, 1, MPFR_RNDN);
        mpfr_sqrt(c, c, MPFR_RNDN);
        if (to == HYP_POINCARE) {
            /* tanh(r/2) / sinh(r) = 1 / (1 + cosh r) */
            mpfr_add_ui(t, c, 1, MPFR_RNDN);
            mpfr_ui_div(f, 1, t, MPFR_RNDN);
        } else if (to == HYP_LORENTZ) {
            mpfr_set_ui(f, 1, MPFR_RNDN);
        } else if (!mpfr_zero_p(a)) {
            mpfr_asinh(t, a, MPFR_RNDN);
            mpfr_div(f, t, a, MPFR_RNDN);
        } else {
            mpfr_set_ui(f, 1, MPFR_RNDN);
        }
    } else {
        /* r = a */
        mpfr_cosh(c, a, MPFR_RNDN);
        if (to == HYP_EUCLID || mpfr_zero_p(a)) {
            mpfr_set_d(f, to == HYP_POINCARE ? 0.5 : 1.0, MPFR_RNDN);
        } else if (to == HYP_POINCARE) {
            mpfr_div_2ui(t, a, 1, MPFR_RNDN);
            mpfr_tanh(t, t, MPFR_RNDN);
            mpfr_div(f, t, a, MPFR_RNDN);
        } else {
            mpfr_sinh(t, a, MPFR_RNDN);
            mpfr_div(f, t, a, MPFR_RNDN);
        }
    }
    size_t off = to == HYP_LORENTZ ? 1 : 0;
    for (size_t i = 0; i < n; i++)
        mpfr_mul(y[i + off], v.c[i], f, MPFR_RNDN);
    if (off)
        mpfr_set(y[0], c, MPFR_RNDN);
out:
    mpfr_clears(a2, a, f, c, t, (mpfr_ptr)0);
    mvec_clear(&v);
    return st;
}

double oracle_ulps(double got, const mpfr_t ref)
{
    widen_range();
    if (!isfinite(got) || mpfr_nan_p(ref))
        return INFINITY;
    if (mpfr_inf_p(ref))
        return INFINITY; /* got is finite here */
    /* ulp(ref) = 2^(e - 53) for ref in [2^(e-1), 2^e), at least 2^-1074 */
    mpfr_exp_t ue = -1074;
    if (!mpfr_zero_p(ref)) {
        mpfr_exp_t e = mpfr_get_exp(ref) - 53;
        if (e > ue)
            ue = e;
    }
    /* |got - ref| from exact operands, rounded once to 64 bits */
    mpfr_t diff, g;
    mpfr_init2(diff, 64);
    mpfr_init2(g, 53);
    mpfr_set_d(g, got, MPFR_RNDN);
    mpfr_sub(diff, g, ref, MPFR_RNDN); /* correctly rounded to 64 bits */
    mpfr_abs(diff, diff, MPFR_RNDN);
    mpfr_mul_2si(diff, diff, -ue, MPFR_RNDN);
    double r = mpfr_get_d(diff, MPFR_RNDN);
    mpfr_clears(diff, g, (mpfr_ptr)0);
    return r;
}

double oracle_ulps_d(double got, double ref)
{
    mpfr_t r;
    mpfr_init2(r, 53);
    mpfr_set_d(r, ref, MPFR_RNDN);
    double e = isfinite(ref) ? oracle_ulps(got, r) : (got == ref ? 0.0 : INFINITY);
    mpfr_clear(r);
    return e;
}
