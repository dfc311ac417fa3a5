/*
 * predicate.c — exact comparisons of distances and radii (Shewchuk's shape:
 * a floating-point filter with a proven error bound, exact arithmetic only
 * when the filter cannot decide).
 *
 * Filter.  d is increasing in S = sinh^2(d/2), and geom_pair gives S with a
 * relative error below 2^-50 (the certified wedge allows 2^-58, 1 - |x|^2
 * 2^-56, libm's sinh/exp in the Euclid radii 2^-52; the rest is ~2^-100).
 * When S_a and S_b differ by more than 2^-44 of the larger, the sign of the
 * difference is the answer.
 *
 * Exact.  Otherwise the comparison is rewritten as the sign of a polynomial
 * in the coordinates and evaluated in exact dyadic arithmetic (bignum.c):
 *   Poincaré  S = |q-y|^2 / ((1-|q|^2)(1-|y|^2)), so
 *             d(q,a) < d(q,b)  <=>  |q-a|^2 (1-|b|^2) < |q-b|^2 (1-|a|^2).
 *   Lorentz   cosh d = Q Y - q.y with Q = sqrt(1+|q|^2), Y = sqrt(1+|y|^2)
 *             (spatial parts); the sign of Q (A - B) - (q.a - q.b) is found
 *             by squaring twice (see lorentz_exact).
 *   Euclid    cosh d = cosh r_q cosh r_y - sinh r_q sinh r_y cos(theta) is
 *             transcendental in the radii.  Equal radii are decided exactly
 *             (then d is decreasing in q.y); for different radii the two
 *             distances can tie only when q, a, b lie on one line through
 *             the origin (Lindemann-Weierstrass), so outside that case the
 *             sign of the 100-bit difference is taken even when below the
 *             filter's threshold.  This is the one case not proven exact.
 * Radii: r is increasing in |y|^2 in every model: the sign of |a|^2 - |b|^2.
 */
#include <stdatomic.h>
#include "bignum.h"
#include "geom_internal.h"

static atomic_ulong escalations; /* calls settled by exact arithmetic */

unsigned long hyp_exact_escalations(void)
{
    return atomic_load_explicit(&escalations, memory_order_relaxed);
}

/* r = sum (x_i - y_i)^2, or sum x_i^2 when y is NULL; sign -1 subtracts. */
static void sum_sq(big *r, size_t n, const double *x, const double *y)
{
    big v, w, sq, acc;
    big_set_d(r, 0.0);
    for (size_t i = 0; i < n; i++) {
        big_set_d(&v, x[i]);
        if (y) {
            big_set_d(&w, y[i]);
            big_sub(&acc, &v, &w);
            v = acc;
        }
        big_mul(&sq, &v, &v);
        big_add(&acc, r, &sq);
        *r = acc;
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
        *r = acc;
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

/* Equal radii: d(q,y) is decreasing in q.y (q != 0). */
static int euclid_equal_radii(size_t n, const double *q, const double *a, const double *b)
{
    big v, w, t;
    dot(&v, n, q, a);
    dot(&w, n, q, b);
    big_sub(&t, &w, &v);
    return big_sign(&t);
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
        if (model == HYP_POINCARE)
            sign = poincare_exact(n, q, a, b);
        else if (model == HYP_LORENTZ)
            sign = lorentz_exact(n, q, a, b);
        else if (norm2_cmp(n, a, b) == 0)
            sign = euclid_equal_radii(n, q, a, b);
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
