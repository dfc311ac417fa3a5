/*
 * proxy.c — how the index compares distances: fast, and exactly.
 *
 * Search vector.  Every node keeps, from its point as stored, the Lorentz
 * spatial part x_s (the point itself for a Lorentz store, hyp_convert's image
 * for the other models) as a = |x_s| = sinh r, c = sqrt(1 + a^2) = cosh r and
 * the direction u = x_s / a.  Only correctly rounded operations (+ - * /
 * sqrt) in a fixed order make them, so they are the same bits on every
 * platform for the same x_s.
 *
 * Proxy.  For a base q (the query) and a node y, the polar identity
 *   S = sinh^2(d/2) = sinh^2((r_q - r_y)/2) + sinh r_q sinh r_y sin^2(theta/2)
 * is evaluated without a transcendental function and without cancellation:
 *   B = a_q a_y |u_q - u_y|^2 / 4                 (|u_q-u_y|^2 = 4 sin^2(theta/2))
 *   s = (a_q - a_y)(a_q + a_y) / (a_q c_y + a_y c_q) = sinh(r_q - r_y)
 *   A = s^2 / (2 (sqrt(1 + s^2) + 1))             = sinh^2((r_q - r_y)/2)
 * d is increasing in S, so S ranks; no acosh, no asinh per comparison.
 *
 * Error bound.  S is within E of the S of the points as stored, where E
 * (proxy_dist) adds up: the error of each unit vector (e_u = (n + 40) 2^-53,
 * from the conversion's few ulp per coordinate, the norm's n/2 + 2 roundings
 * and the division), which moves |u_q - u_y| by 2 e_u and so D = |u_q-u_y|^2
 * by 2 sqrt(D) 2 e_u + (2 e_u)^2; the same relative error in a and c, which
 * moves a_q - a_y by e_u (a_q + a_y) and s by that over the denominator, and
 * A by at most min(|s| + ds, 1) ds / 2 (dA/ds <= min(|s|, 1) / 2); the
 * roundings of the sums (n + 4 ulp of D, 16 of A, 4 of S); all doubled.
 * When S or E is not finite (radii past ~350, where a_q a_y overflows) E is
 * infinite and every comparison goes to the exact predicate.
 *
 * Comparison (proxy_cmp).  When the intervals [S - E, S + E] of two nodes do
 * not overlap, the proxy's order is the exact order.  Otherwise the two
 * stored points are read and hyp_dist_cmp decides exactly; equal distances
 * are ordered by id.  So every ranking the index makes is the exact ranking
 * of the stored points, and it is the same on every platform.
 */
#include <float.h>
#include <math.h>

#include "index_internal.h"

#define EPS 0x1p-53

/* Scaled Euclidean norm: |v| = 2^k sqrt(sum (v_i 2^-k)^2), four lanes in a
 * fixed order; [out] *scaled = sqrt(sum (v_i 2^-k)^2), *k. */
static double norm_scaled(size_t n, const double *v, double *scaled, int *kout)
{
    double mx = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(v[i]) > mx)
            mx = fabs(v[i]);
    int k = 0;
    if (mx > 0)
        frexp(mx, &k); /* exact: mx = f 2^k, f in [0.5, 1) */
    if (k < -1000)
        k = -1000;
    double l0 = 0, l1 = 0, l2 = 0, l3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        double w0 = ldexp(v[i], -k), w1 = ldexp(v[i + 1], -k);
        double w2 = ldexp(v[i + 2], -k), w3 = ldexp(v[i + 3], -k);
        l0 += w0 * w0;
        l1 += w1 * w1;
        l2 += w2 * w2;
        l3 += w3 * w3;
    }
    for (; i < n; i++) {
        double w = ldexp(v[i], -k);
        l0 += w * w;
    }
    *scaled = sqrt((l0 + l1) + (l2 + l3));
    *kout = k;
    return ldexp(*scaled, k);
}

int proxy_prepare(hyp_model model, size_t n, const double *x, double *scratch, double *a,
                  double *c, double *u)
{
    int rc = hyp_point_check(model, n, x);
    if (rc != HYP_OK)
        return rc;
    /* Direction from the coordinates as stored (the Poincaré point, the
     * Euclid tangent vector and x_s all point the same way). */
    const double *dir = model == HYP_LORENTZ ? x + 1 : x;
    double scaled;
    int k;
    double norm = norm_scaled(n, dir, &scaled, &k);
    for (size_t i = 0; i < n; i++)
        u[i] = norm > 0 ? ldexp(dir[i], -k) / scaled : 0.0;
    /* a = |x_s|: the stored one, or the image's on the hyperboloid. */
    if (model == HYP_LORENTZ) {
        *a = norm;
    } else if (norm == 0) {
        *a = 0;
    } else {
        rc = hyp_convert(model, HYP_LORENTZ, n, x, scratch);
        if (rc == HYP_ERANGE) { /* beyond radius 710: only exact comparisons */
            *a = *c = INFINITY;
            return HYP_OK;
        }
        if (rc != HYP_OK)
            return rc;
        *a = norm_scaled(n, scratch + 1, &scaled, &k);
    }
    *c = *a > 0x1p500 ? *a : sqrt(1.0 + *a * *a);
    return HYP_OK;
}

void proxy_dist(size_t n, const base *q, double a, double c, const double *u, cand *out)
{
    const double *uq = q->u;
    double l0 = 0, l1 = 0, l2 = 0, l3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        double d0 = uq[i] - u[i], d1 = uq[i + 1] - u[i + 1];
        double d2 = uq[i + 2] - u[i + 2], d3 = uq[i + 3] - u[i + 3];
        l0 += d0 * d0;
        l1 += d1 * d1;
        l2 += d2 * d2;
        l3 += d3 * d3;
    }
    for (; i < n; i++) {
        double d = uq[i] - u[i];
        l0 += d * d;
    }
    double dd = (l0 + l1) + (l2 + l3);
    double g2 = q->a * a;
    double bterm = 0.25 * g2 * dd;
    double den = q->a * c + a * q->c, s = 0, ds = 0;
    double eu = (double)(n + 40) * EPS;
    if (den > 0) {
        double sum = q->a + a;
        s = ((q->a - a) * sum) / den;
        ds = eu * sum * (sum / den) + 2 * eu * fabs(s);
    }
    double s2 = s * s;
    double aterm = s2 / (2.0 * (sqrt(1.0 + s2) + 1.0));
    double sv = aterm + bterm;
    double ea = 0.5 * fmin(fabs(s) + ds, 1.0) * ds + 16 * EPS * aterm;
    double e2 = 2 * eu;
    double ed = 2 * sqrt(dd) * e2 + e2 * e2 + (double)(n + 4) * EPS * dd;
    double eb = 0.25 * g2 * ed + bterm * (2 * eu + 4 * EPS);
    double ev = 2 * (ea + eb + 4 * EPS * sv);
    if (!(sv <= DBL_MAX && ev <= DBL_MAX)) { /* overflow or NaN: exact only */
        sv = 0;
        ev = INFINITY;
    }
    out->s = sv;
    out->e = ev;
}

int proxy_load(graph *g, uint32_t id, double *dst)
{
    const unsigned char *bytes;
    int rc = store_ext_point(g->s, g->txn, id, &bytes);
    if (rc == HYP_OK)
        hyp_f64_decode(bytes, g->width, dst);
    return rc;
}

int proxy_cmp(graph *g, const base *q, const cand *x, const cand *y)
{
    if (x->s + x->e < y->s - y->e)
        return -1;
    if (y->s + y->e < x->s - x->e)
        return 1;
    if (x->id == y->id)
        return 0;
    int order = 0, rc;
    if ((rc = proxy_load(g, x->id, g->xa)) != HYP_OK ||
        (rc = proxy_load(g, y->id, g->xb)) != HYP_OK) {
        g->err = rc;
    } else if (memcmp(g->xa, g->xb, g->width * sizeof(double)) != 0) {
        /* (Equal points tie without the exact machinery.) */
        if ((rc = hyp_dist_cmp(g->model, g->n, q->x, g->xa, g->xb, &order)) != HYP_OK)
            g->err = rc;
    }
    if (order != 0)
        return order;
    return x->id < y->id ? -1 : 1;
}

int proxy_radius_cmp(graph *g, const base *q, uint32_t id, double a)
{
    double tol = 4 * (double)(g->n + 40) * EPS;
    if (a < q->a * (1 - tol) && isfinite(q->a))
        return -1;
    if (a * (1 - tol) > q->a && isfinite(a))
        return 1;
    int order = 0, rc = proxy_load(g, id, g->xa);
    if (rc == HYP_OK)
        rc = hyp_radius_cmp(g->model, g->n, g->xa, q->x, &order);
    if (rc != HYP_OK)
        g->err = rc;
    return order;
}
