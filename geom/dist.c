/*
 * dist.c — distances and radii: validation, dispatch, and the one step every
 * model shares, d = 2 asinh(sqrt(S)).
 *
 * geom_dist_from_s receives S = sinh^2(d/2) to about 100 bits (an xdd) and
 * evaluates, with t = sqrt(S) and z = t + sqrt(1 + S) = e^(d/2) in
 * double-double,
 *   S < 2^-60:  d = 2 t               (asinh(t) = t (1 - t^2/6 ...), the
 *                                      correction is below 2^-62)
 *   S > 2^60:   d = ln(4 S)           (the next term, 1/(2S), is below 2^-61)
 *   otherwise:  d = 2 ln(z)
 * with log_dd below: the distance needs its logarithm to about 2^-58, not to
 * the 2^-102 of elem.h's, at a third of the cost.  Only +, -, *, / and fma,
 * so the same bits on every platform; d is within about 0.52 ulp of the
 * distance of the inputs.
 */
#include <math.h>
#include "geom_internal.h"

/*
 * ln(m 2^k) for a double-double m > 0, relative error below 2^-58.
 * m = f 2^j with f in [sqrt(1/2), sqrt(2)) (exact scaling), and
 * ln f = 2 atanh(s) = 2 s + 2 s^3 (1/3 + s^2/5 + ...), s = (f - 1)/(f + 1),
 * |s| <= 0.1716.  s is a double-double quotient of exact sums, so 2s carries
 * ~2^-104; the tail, at most 0.0102 of ln f,
 * is summed in double to 2^-52 of itself (terms through s^25: the next is
 * below 2^-64 of 2s).  (k + j) ln 2 is a double-double product.  With
 * |ln f| <= ln(2)/2 the final sum cancels at most by a factor 2.
 */
static dd log_dd(dd m, int k)
{
    int j = dd_exponent(m.hi);
    dd f = dd_ldexp(m, -j);
    if (f.hi > 0x1.6a09e667f3bcdp+0) { /* sqrt(2) */
        f = dd_ldexp(f, -1);
        j++;
    }
    dd num = dd_add_d(dd_from(f.hi - 1.0), f.lo); /* f.hi - 1 exact (Sterbenz) */
    dd den = dd_add_d(dd_two_sum(f.hi, 1.0), f.lo);
    dd s = dd_div(num, den);
    double s2 = s.hi * s.hi;
    double p = 1.0 / 25;
    static const double inv_odd[] = { 1.0 / 23, 1.0 / 21, 1.0 / 19, 1.0 / 17, 1.0 / 15, 1.0 / 13,
                                      1.0 / 11, 1.0 / 9,  1.0 / 7,  1.0 / 5,  1.0 / 3 };
    for (int i = 0; i < 11; i++)
        p = p * s2 + inv_odd[i];
    dd r = dd_add_d(dd_ldexp(s, 1), 2.0 * s.hi * s2 * p);
    double e = (double)(k + j);
    dd l2 = dd_two_prod(e, LN2_HI);
    l2.lo += e * LN2_LO;
    return dd_add(l2, r);
}

dd geom_dist_from_s(xdd s)
{
    if (s.hi == 0.0)
        return dd_from(0.0);
    int se = xdd_ilogb(s);
    if (se < -60) {
        xdd t = xdd_sqrt(s);
        return dd_ldexp(xdd_mant(t), t.e + 1);
    }
    if (se > 60)
        return log_dd(xdd_mant(s), s.e + 2);
    dd sv = dd_ldexp(xdd_mant(s), s.e);
    dd z = dd_add(dd_sqrt(sv), dd_sqrt(dd_add_d(sv, 1.0)));
    return dd_ldexp(log_dd(z, 0), 1);
}

xdd geom_pair(hyp_model model, size_t n, const double *x, const geom_prep *px,
              const double *y, const geom_prep *py)
{
    if (model == HYP_POINCARE)
        return poincare_pair(n, x, px, y, py);
    return polar_pair(model, n, x, px, y, py);
}

static double dist_prepared(hyp_model model, size_t n, const double *x, const geom_prep *px,
                            const double *y, const geom_prep *py)
{
    dd d = geom_dist_from_s(geom_pair(model, n, x, px, y, py));
    return d.hi + d.lo;
}

int hyp_dist(hyp_model model, size_t n, const double *x, const double *y, double *dist)
{
    geom_prep px, py;
    int rc = geom_prepare(model, n, x, &px);
    if (rc == HYP_OK)
        rc = geom_prepare(model, n, y, &py);
    if (rc == HYP_OK)
        *dist = dist_prepared(model, n, x, &px, y, &py);
    return rc;
}

int hyp_dist_batch(hyp_model model, size_t n, const double *q, const double *points,
                   size_t count, double *dist)
{
    geom_prep pq, pp;
    int rc = geom_prepare(model, n, q, &pq);
    if (rc != HYP_OK) {
        for (size_t i = 0; i < count; i++)
            dist[i] = NAN;
        return rc;
    }
    size_t width = hyp_model_width(model, n);
    int first = HYP_OK;
    for (size_t i = 0; i < count; i++) {
        const double *y = points + i * width;
        int c = geom_prepare(model, n, y, &pp);
        if (c != HYP_OK) {
            dist[i] = NAN;
            if (first == HYP_OK)
                first = c;
            continue;
        }
        dist[i] = dist_prepared(model, n, q, &pq, y, &pp);
    }
    return first;
}

int hyp_radius(hyp_model model, size_t n, const double *x, double *radius)
{
    geom_prep p;
    int rc = geom_prepare(model, n, x, &p);
    if (rc != HYP_OK)
        return rc;
    if (model == HYP_EUCLID) {
        dd r = dd_sqrt(p.norm2);
        *radius = dd_scale(r.hi + r.lo, p.k);
        return HYP_OK;
    }
    const double *v = model == HYP_LORENTZ ? x + 1 : x;
    int k = geom_scale_exponent(n, v);
    xdd n2 = xdd_norm(geom_norm2(n, v, k), 2 * k); /* |x|^2 */
    xdd s;
    if (model == HYP_POINCARE) { /* S = |x|^2 / (1 - |x|^2) */
        s = xdd_div(n2, p.one_minus_norm2);
    } else { /* S = (P - 1)/2 = |x_s|^2 / (2 (P + 1)), P = sqrt(1 + |x_s|^2) */
        xdd one = xdd_from_dd(dd_from(1.0));
        xdd den = xdd_add(xdd_sqrt(xdd_add(one, n2)), one);
        den = xdd_ldexp(den, 1);
        s = xdd_div(n2, den);
    }
    dd r = geom_dist_from_s(s);
    *radius = r.hi + r.lo;
    return HYP_OK;
}
