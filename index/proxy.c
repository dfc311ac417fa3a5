/*
 * proxy.c — how the index compares distances: fast, and exactly.
 *
 * Search vector.  Every node keeps, from its point as stored, the Lorentz
 * spatial part x_s (the point itself for a Lorentz store, hyp_convert's image
 * for the other models) as a = |x_s| = sinh r, c = sqrt(1 + a^2) = cosh r and
 * the direction u = x_s / a.  Only correctly rounded operations (+ - * /
 * sqrt) in a fixed order make them, so they are the same bits on every
 * platform for the same x_s.  The direction is taken from the coordinates
 * as stored (the Poincaré point and the Euclid tangent vector point the same
 * way as x_s), so for binary64 stores it carries no conversion error.  A
 * fixed-point store (point.c) has no binary64 coordinates: its x_s is
 * hyp_fixed_lorentz_spatial's correctly rounded image of the words, and
 * both a and u are made from that, as for a Lorentz store.
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
 * (proxy_dist) adds up: the error of each unit vector, which is a common
 * scale (1 + delta) of the exact direction, |delta| <= e_dir = (n/2 + 8)
 * 2^-53 from the norm's roundings, plus a componentwise rounding eps of
 * norm <= 2^-53 from the division.  A common scale moves D = |u_q - u_y|^2
 * only relatively (u_y . (u_q - u_y) = -D/2 for unit vectors), so D is off
 * by at most 4 e_dir D + 2 sqrt(D) |eps_q - eps_y| + (2 e_dir)^2 + small
 * terms: close pairs far out (angles of 1e-13 at radius 40) keep a bound of
 * about 1% of S rather than the 20% that a bound of 2 sqrt(D) e_u (every
 * error absolute) gave, and go to the exact predicate 30 times less often.
 * tests/index/test_proxy.c checks the bound against MPFR, for binary64 and
 * fixed-point stores.  The radii carry
 * e_u = (n + 40) 2^-53 (the conversion's few ulp per coordinate, the norm's
 * roundings): the same relative error in a and c, which
 * moves a_q - a_y by e_u (a_q + a_y) and s by that over the denominator, and
 * A by at most min(|s| + ds, 1) ds / 2 (dA/ds <= min(|s|, 1) / 2); the
 * roundings of the sums (n + 4 ulp of D, 16 of A, 4 of S); all doubled.
 * When S or E is not finite (radii past ~350, where a_q a_y overflows) E is
 * infinite and every comparison goes to the exact predicate.
 *
 * Fixed-point stores.  Their x_s is rounded once, correctly, per coordinate
 * (|x_s'_i - x_s_i| <= 2^-53 |x_s_i|), and a and u are then made from x_s'
 * as above.  (1) Radii: |x_s'| is within 2^-53 relative of |x_s|, and the
 * norm's roundings add (n/2 + 8) 2^-53: inside e_u = (n + 40) 2^-53, which
 * was sized for hyp_convert's few ulp per coordinate.  (2) Directions: the
 * rounding is not a common scale.  Split x_s' - x_s into a part along x_s
 * (a scale of at most 2^-53, which normalisation removes) and a
 * perpendicular part of norm <= 2^-53 |x_s|; the unit vector of x_s' is
 * then the true one times 1 - O(2^-106), plus a perpendicular error of norm
 * <= 2^-53 (1 + 2^-52).  That adds to the division's componentwise eps
 * (<= 2^-53): each vector's eps is <= 2 2^-53 (1 + 2^-52) instead of 2^-53,
 * so the bound on |eps_q - eps_y| doubles: proxy_ec(n, 1) = 4.01 2^-53
 * (1 + e_dir) where binary64 stores use 2 2^-53 (1 + e_dir); the O(2^-106)
 * scale disappears in e_dir's 0.25% margins (4.01, 2.01).  With it, angles
 * of 1e-13 keep a bound near 1% of S.  The scan's floor (proxy_floor) still
 * holds: its D bound's constants are far from tight (see there).
 *
 * Comparison (proxy_cmp).  When the intervals [S - E, S + E] of two nodes do
 * not overlap, the proxy's order is the exact order.  Otherwise the two
 * stored points are read and the exact predicate decides (hyp_dist_cmp, or
 * hyp_fixed_dist_cmp on a fixed store's words: point.c); equal distances
 * are ordered by id.  So every ranking the index returns is the exact
 * ranking of the stored points, and it is the same on every platform.  (The
 * graph's own orders use S without its bound: proxy_fast, cand_fast_cmp in
 * index_internal.h, hnsw.c departure 2.)
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

void proxy_prepare_spatial(size_t n, const double *xs, double *a, double *c, double *u)
{
    double scaled;
    int k;
    double norm = norm_scaled(n, xs, &scaled, &k);
    for (size_t i = 0; i < n; i++)
        u[i] = norm > 0 ? ldexp(xs[i], -k) / scaled : 0.0;
    *a = norm;
    *c = *a > 0x1p500 ? *a : sqrt(1.0 + *a * *a);
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
    proxy_finish(n, q, a, c, proxy_dd(n, q->u, u), out);
}

void proxy_finish(size_t n, const base *q, double a, double c, double dd, cand *out)
{
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
    /* D = |u_q - u_y|^2 against the true |uh_q - uh_y|^2 (see the top
     * comment): relative terms from the common scale errors and the sum,
     * absolute ones only from the componentwise roundings (ec) and the
     * square of the scale errors' difference. */
    double edir = (0.5 * (double)n + 8) * EPS, ec = q->ec;
    double sq = (sqrt(dd) * (1 + (double)(n + 4) * EPS) + 2 * edir + ec) * (1 + 2 * edir);
    double ed = (double)(n + 4) * EPS * dd + 4.01 * edir * sq * sq + 2.01 * sq * ec +
                4 * edir * edir + ec * ec + 4 * edir * ec;
    double eb = 0.25 * g2 * ed + bterm * (2 * eu + 4 * EPS);
    double ev = 2 * (ea + eb + 4 * EPS * sv);
    if (!(sv <= DBL_MAX && ev <= DBL_MAX)) { /* overflow or NaN: exact only */
        sv = 0;
        ev = INFINITY;
    }
    out->s = sv;
    out->e = ev;
}

double proxy_ec(size_t n, int rounded)
{
    double edir = (0.5 * (double)n + 8) * EPS;
    return (rounded ? 4.01 : 2.0) * EPS * (1 + edir);
}

double proxy_floor_factor(size_t n, const base *q)
{
    /* a_q and a_y each within e_u relative of the true sinh r; the product
     * a_q a_y and the two multiplications in proxy_floor round by 3 ulp. */
    double eu = (double)(n + 40) * EPS;
    if (!(q->a <= DBL_MAX))
        return 0;
    return 0.25 * q->a * (1 - 2.1 * eu - 8 * EPS);
}

int proxy_load(graph *g, uint32_t id, void *dst)
{
    const unsigned char *bytes;
    int rc = store_ext_point(g->s, g->txn, id, &bytes);
    if (rc == HYP_OK)
        rc = point_decode(g, bytes, dst);
    return rc;
}

/* The base's decoded point: its own, or for a stored node loaded now into
 * g->xq (NULL after an error, which is in g->err). */
static const void *base_point(graph *g, const base *q)
{
    if (q->x != NULL)
        return q->x;
    int rc = proxy_load(g, q->id, g->xq);
    if (rc != HYP_OK) {
        g->err = rc;
        return NULL;
    }
    return g->xq;
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
    const void *qx;
    if ((rc = proxy_load(g, x->id, g->xa)) != HYP_OK ||
        (rc = proxy_load(g, y->id, g->xb)) != HYP_OK) {
        g->err = rc;
    } else if (!point_same(g, g->xa, g->xb) && (qx = base_point(g, q)) != NULL) {
        /* (Equal points tie without the exact machinery.  A comparison
         * too close to decide is a tie too: point_dist_cmp.) */
        if ((rc = point_dist_cmp(g, qx, g->xa, g->xb, &order)) != HYP_OK)
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
    const void *qx = rc == HYP_OK ? base_point(g, q) : NULL;
    if (qx != NULL)
        rc = point_radius_cmp(g, g->xa, qx, &order);
    if (rc != HYP_OK)
        g->err = rc;
    return order;
}
