/*
 * predicate.c — exact comparisons of distances and radii (Shewchuk's shape:
 * a floating-point filter with a proven error bound, exact arithmetic only
 * when the filter cannot decide).  Every answer is proven: ties are
 * reported exactly as ties, and every other order is the true one.
 *
 * Filter.  d is increasing in S = sinh^2(d/2), and geom_pair gives S with a
 * relative error below 2^-50 (the certified wedge allows 2^-58, 1 - |x|^2
 * 2^-56, sinh of a Euclid radius 2^-101 (elem.c) plus the radius's own
 * ~2^-104 times r <= 2^24; the rest is ~2^-100).
 * When S_a and S_b differ by more than 2^-44 of the larger, the sign of the
 * difference is the answer.
 *
 * Exact.  Otherwise:
 *   Poincaré  S = |q-y|^2 / ((1-|q|^2)(1-|y|^2)), so
 *             d(q,a) < d(q,b)  <=>  |q-a|^2 (1-|b|^2) < |q-b|^2 (1-|a|^2),
 *             a polynomial sign in exact dyadic arithmetic (bignum.c).
 *   Lorentz   cosh d = Q Y - q.y with Q = sqrt(1+|q|^2), Y = sqrt(1+|y|^2)
 *             (spatial parts); the sign of Q (A - B) - (q.a - q.b) is found
 *             by squaring twice (see lorentz_exact).
 *   Euclid    cosh d = cosh r_q cosh r_y - sinh r_q sinh r_y cos(theta) is
 *             transcendental in the radii.  Every tie is found algebraically
 *             (equal radii; q at the origin; q, a, b on one line through the
 *             origin: see euclid_exact for the Lindemann-Weierstrass argument
 *             that there are no others), and every other pair has distinct
 *             distances, whose order rigorous multiprecision evaluation at
 *             128, 256, ... bits finds (euclid_cmp.c, mpfloat.c).  That ends
 *             for every input; a pair it could not separate at 4096 bits
 *             (distances within 2^-4000 relative, none known) is reported
 *             as HYP_EUNDECIDED rather than ordered by a guess.
 * Radii: r is increasing in |y|^2 in every model: the sign of |a|^2 - |b|^2.
 */
#include <stdatomic.h>
#include <string.h>
#include "bignum.h"
#include "euclid_cmp.h"
#include "geom_internal.h"

static atomic_ulong escalations; /* calls settled by exact arithmetic */

unsigned long hyp_exact_escalations(void)
{
    return atomic_load_explicit(&escalations, memory_order_relaxed);
}

/* *r = *a, copying only the limbs in use (a big is 2 KB, a sum of squares
 * of ordinary doubles a few limbs). */
static void big_copy(big *r, const big *a)
{
    r->neg = a->neg;
    r->exp = a->exp;
    r->len = a->len;
    memcpy(r->mag, a->mag, sizeof(uint32_t) * (size_t)a->len);
}

/* r = sum (x_i - y_i)^2, or sum x_i^2 when y is NULL. */
static void sum_sq(big *r, size_t n, const double *x, const double *y)
{
    big v, w, sq, acc;
    big_set_d(r, 0.0);
    for (size_t i = 0; i < n; i++) {
        big_set_d(&v, x[i]);
        if (y) {
            big_set_d(&w, y[i]);
            big_sub(&acc, &v, &w);
            big_copy(&v, &acc);
        }
        big_mul(&sq, &v, &v);
        big_add(&acc, r, &sq);
        big_copy(r, &acc);
    }
}

/* r = x.y */
static void dot(big *r, size_t n, const double *x, const double *y)
{
    big v, w, p, acc;
    big_set_d(r, 0.0);
    for (size_t i = 0; i < n; i++) {
        big_set_d(&v, x[i]);
        big_set_d(&w, y[i]);
        big_mul(&p, &v, &w);
        big_add(&acc, r, &p);
        big_copy(r, &acc);
    }
}

/* sign(|a|^2 - |b|^2) */
static int norm2_cmp(size_t n, const double *a, const double *b)
{
    big na, nb, t;
    sum_sq(&na, n, a, NULL);
    sum_sq(&nb, n, b, NULL);
    big_sub(&t, &na, &nb);
    return big_sign(&t);
}

static int poincare_exact(size_t n, const double *q, const double *a, const double *b)
{
    big da, db, one, na, nb, t, u, v;
    sum_sq(&da, n, q, a);
    sum_sq(&db, n, q, b);
    big_set_d(&one, 1.0);
    sum_sq(&t, n, a, NULL);
    big_sub(&na, &one, &t); /* 1 - |a|^2 > 0 */
    sum_sq(&t, n, b, NULL);
    big_sub(&nb, &one, &t);
    big_mul(&u, &da, &nb);
    big_mul(&v, &db, &na);
    big_sub(&t, &u, &v);
    return big_sign(&t);
}

/*
 * sign(cosh d(q,a) - cosh d(q,b)) = sign(X), X = sqrt(g)(sqrt(al) - sqrt(be)) - u
 * with g = 1+|q|^2, al = 1+|a|^2, be = 1+|b|^2, u = q.a - q.b.  The first
 * term has the sign s of al - be.  If u has the other sign (or is 0) X has
 * sign s.  Otherwise both terms have sign s and X = s (|t| - |u|), whose sign
 * is that of t^2 - u^2 = L - 2 g sqrt(al be) with L = g (al + be) - u^2:
 * negative if L <= 0, else that of L^2 - 4 g^2 al be.
 */
static int lorentz_exact(size_t n, const double *q, const double *a, const double *b)
{
    big one, g, al, be, t, u, v, w, L;
    big_set_d(&one, 1.0);
    sum_sq(&t, n, q, NULL);
    big_add(&g, &one, &t);
    sum_sq(&t, n, a, NULL);
    big_add(&al, &one, &t);
    sum_sq(&t, n, b, NULL);
    big_add(&be, &one, &t);
    dot(&v, n, q, a);
    dot(&w, n, q, b);
    big_sub(&u, &v, &w);
    big_sub(&t, &al, &be);
    int s = big_sign(&t), su = big_sign(&u);
    if (s == 0)
        return -su;
    if (su != s)
        return s;
    big_add(&t, &al, &be);
    big_mul(&v, &g, &t);
    big_mul(&w, &u, &u);
    big_sub(&L, &v, &w);
    if (big_sign(&L) <= 0)
        return -s;
    big_mul(&t, &L, &L);  /* L^2 */
    big_mul(&v, &g, &g);
    big_mul(&w, &al, &be);
    big_mul(&u, &v, &w);  /* g^2 al be */
    big_add(&v, &u, &u);
    big_add(&w, &v, &v);  /* 4 g^2 al be */
    big_sub(&v, &t, &w);
    return s * big_sign(&v);
}

/* r = |q|^2 |y|^2 - (q.y)^2, the Gram determinant: >= 0 (Cauchy-Schwarz),
 * and 0 exactly when q and y are linearly dependent. */
#if defined(__GNUC__)
__attribute__((noinline)) /* its two temporaries stay off euclid_exact's frame */
#endif
static void gram(big *r, const big *Q, const big *Y, const big *c)
{
    big u, v;
    big_mul(&u, Q, Y);
    big_mul(&v, c, c);
    big_sub(r, &u, &v);
}

/*
 * Euclid, exactly.  Ties first, by algebra; then, knowing the distances
 * differ, their order by rigorous evaluation (euclid_far_cmp).
 *
 * Where ties can be.  Write rq = |q|, ry = |y|, c_y = cos theta_y (any
 * value when y = 0, as sinh 0 = 0).  Then
 *   4 cosh d(q,y) = (1 - c_y)(e^(rq+ry) + e^-(rq+ry)) + (1 + c_y)(e^(rq-ry) + e^(ry-rq)).
 * The radii are square roots of dyadic rationals and c_y = q.y / (rq ry), so
 * exponents and coefficients are algebraic.  Lindemann-Weierstrass (Baker's
 * form): sum beta_i e^(alpha_i) != 0 for distinct algebraic alpha_i and
 * algebraic beta_i not all 0.  So cosh d(q,a) = cosh d(q,b) forces every
 * coefficient to vanish once equal exponents are gathered.
 *  - |a| = |b| = r: cosh d(q,y) = cosh rq cosh r - sinh rq sinh r c_y is
 *    decreasing in c_y, hence (q != 0, r > 0) in q.y: the order is the sign
 *    of q.b - q.a, exactly; a tie when q.a = q.b (always when q = 0).
 *  - q = 0: d(0,y) = ry, and |a| != |b|: never a tie; the order of |y|^2.
 *  - q != 0, |a| > |b| (else swap; so a != 0).  The exponent rq + ra
 *    exceeds every other one (rq > 0, ra > rb >= 0), so its coefficient
 *    (1 - c_a)/4 vanishes: a is on the ray of q, and cosh d(q,a) =
 *    cosh(rq - ra) has the exponents +-(rq - ra) only.  If b != 0 and
 *    |c_b| < 1, b brings the two disjoint symmetric pairs +-(rq + rb) and
 *    +-(rq - rb) (disjoint as rq, rb > 0; the second is the single
 *    exponent 0 when rq = rb), all with nonzero coefficients; a's one
 *    symmetric pair can cancel at most one of them.  So c_b = +-1 or b = 0.
 * Ties with |a| != |b| therefore need q, a, b on one line through the
 * origin: W_a = W_b = 0 (gram above).  There, y = t q with t real and
 * d(q,y) = |rq - sign(t) ry| = |1 - t| |q| = |q - y|: a geodesic through
 * the origin is a straight line of the parametrization, traversed at unit
 * speed.  So the order is the sign of |q-a|^2 - |q-b|^2 =
 * (|a|^2 - |b|^2) - 2 (q.a - q.b), exact, ties included.  Everywhere else
 * the distances differ, which is what makes euclid_far_cmp terminate.
 */
static int euclid_exact(size_t n, const double *q, const double *a, const double *b, int *order)
{
    big Q, A, B, ca, cb, t, u;
    sum_sq(&A, n, a, NULL);
    sum_sq(&B, n, b, NULL);
    dot(&ca, n, q, a);
    dot(&cb, n, q, b);
    big_sub(&t, &A, &B);
    big_sub(&u, &ca, &cb);
    if (big_sign(&t) == 0) { /* equal radii */
        *order = -big_sign(&u);
        return HYP_OK;
    }
    sum_sq(&Q, n, q, NULL);
    if (big_sign(&Q) == 0) { /* q at the origin */
        *order = big_sign(&t);
        return HYP_OK;
    }
    big Wa, Wb;
    gram(&Wa, &Q, &A, &ca);
    gram(&Wb, &Q, &B, &cb);
    if (big_sign(&Wa) == 0 && big_sign(&Wb) == 0) { /* collinear with the origin */
        big_add(&Q, &u, &u); /* Q is free now */
        big_sub(&u, &t, &Q);
        *order = big_sign(&u);
        return HYP_OK;
    }
    euclid_side sa = { &A, &ca, &Wa }, sb = { &B, &cb, &Wb };
    return euclid_far_cmp(&Q, &sa, &sb, order);
}

/* -1, 0, 1: S_a < S_b, undecided, S_a > S_b. */
static int filter(xdd sa, xdd sb, int *decided)
{
    xdd t = xdd_add(sa, xdd_neg(sb));
    *decided = 0;
    if (t.hi == 0.0)
        return 0;
    xdd m = xdd_le(sa, sb) ? sb : sa;
    *decided = xdd_ilogb(t) >= xdd_ilogb(m) - 44;
    return t.hi < 0.0 ? -1 : 1;
}

static int same_point(size_t width, const double *a, const double *b)
{
    for (size_t i = 0; i < width; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

int hyp_dist_cmp(hyp_model model, size_t n, const double *q, const double *a, const double *b,
                 int *order)
{
    geom_prep pq, pa, pb;
    int rc = geom_prepare(model, n, q, &pq);
    if (rc == HYP_OK)
        rc = geom_prepare(model, n, a, &pa);
    if (rc == HYP_OK)
        rc = geom_prepare(model, n, b, &pb);
    if (rc != HYP_OK)
        return rc;
    size_t off = model == HYP_LORENTZ ? 1 : 0; /* the spatial part decides */
    if (same_point(n, a + off, b + off)) {
        *order = 0;
        return HYP_OK;
    }
    int decided;
    int sign = filter(geom_pair(model, n, q, &pq, a, &pa), geom_pair(model, n, q, &pq, b, &pb),
                      &decided);
    if (!decided) {
        atomic_fetch_add_explicit(&escalations, 1, memory_order_relaxed);
        q += off;
        a += off;
        b += off;
        if (model == HYP_EUCLID)
            return euclid_exact(n, q, a, b, order);
        sign = model == HYP_POINCARE ? poincare_exact(n, q, a, b) : lorentz_exact(n, q, a, b);
    }
    *order = sign;
    return HYP_OK;
}

int hyp_radius_cmp(hyp_model model, size_t n, const double *a, const double *b, int *order)
{
    geom_prep pa, pb;
    int rc = geom_prepare(model, n, a, &pa);
    if (rc == HYP_OK)
        rc = geom_prepare(model, n, b, &pb);
    if (rc != HYP_OK)
        return rc;
    /* filter: 1 - |y|^2 (Poincaré, decreasing in r) or |y|, both from the
     * prepared points with relative errors below 2^-56 */
    int poincare = model == HYP_POINCARE, decided;
    int sign = filter(poincare ? pb.one_minus_norm2 : pa.r, poincare ? pa.one_minus_norm2 : pb.r,
                      &decided);
    size_t off = model == HYP_LORENTZ ? 1 : 0;
    if (!decided)
        atomic_fetch_add_explicit(&escalations, 1, memory_order_relaxed);
    *order = decided ? sign : norm2_cmp(n, a + off, b + off);
    return HYP_OK;
}
