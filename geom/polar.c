/*
 * polar.c — the polar core shared by the Lorentz model (spatial part x_s,
 * sinh r = |x_s|) and the Euclidean parametrization (v, r = |v|).
 *
 *   S = sinh^2(d/2) = T_rad + T_ang,
 *   T_rad = sinh^2((r1 - r2)/2),  T_ang = sinh(r1) sinh(r2) sigma,
 *   sigma = sin^2(theta/2), theta the angle between the two vectors.
 *
 * Both terms are non-negative, so S has no cancellation; the work is in
 * getting each term to about 100 bits:
 *
 *  - Scaling.  Each vector is scaled by a power of two (geom_prep.k) so its
 *    largest coordinate is in [0.5, 1): no square overflows at |x_s| ~ 1e308
 *    and nothing underflows for tiny radii.  Two points whose scales differ by
 *    at most 2^400 are compared in the common frame of the larger one.
 *
 *  - The radial difference.  With Y the point of smaller norm and
 *    delta = X - Y split exactly by TwoSum, one pass accumulates in
 *    double-double D = |delta|^2 and G = Y.delta.  Then
 *    |X|^2 - |Y|^2 = 2G + D exactly enough that |X| - |Y| keeps its relative
 *    accuracy when the norms agree to every printed digit (points on one
 *    sphere, or a few ulp apart at radius 1e6); two rounded radii would
 *    lose it all.
 *
 *  - The angle.  sigma = (|x||y| - x.y) / (2|x||y|) when x.y <= 0 (no
 *    cancellation), otherwise sigma = W / (2|x||y| (|x||y| + x.y)) with
 *    W = |x|^2|y|^2 sin^2(theta) = |x ^ y|^2.  Fast path: W = |Y|^2 D - G^2
 *    in double-double, whose certified error bound (16n + 80) 2^-106 |Y|^2 D
 *    must be below 2^-56 W; it is unless delta is within ~1e-6 rad of the
 *    direction of Y (points on one ray).  Otherwise the exact Lagrange
 *    identity W = sum_{i<j} (x_i y_j - x_j y_i)^2, each 2x2 determinant
 *    formed from two exact products, in O(n^2).
 *
 *  - The model.  Lorentz: sinh r = |x_s| directly, and
 *    T_rad = (a - b)^2 / (2 (P Q + a b + 1)) with a = |x_s|, P = sqrt(1 + a^2)
 *    (the identity (PQ)^2 - (ab + 1)^2 = (a - b)^2), so no libm call at all.
 *    Euclid: r = |v| in double-double and sinh from exp (geom_sinh).
 */
#include <math.h>
#include <stdlib.h>
#include "geom_internal.h"

#define U2 0x1p-106 /* unit roundoff of double-double, squared-ish scale */

/* Compares two non-negative double-doubles: -1, 0, 1. */
static int dd_cmp(dd a, dd b)
{
    if (a.hi != b.hi)
        return a.hi < b.hi ? -1 : 1;
    if (a.lo != b.lo)
        return a.lo < b.lo ? -1 : 1;
    return 0;
}

int polar_prepare(hyp_model model, size_t n, const double *x, geom_prep *p)
{
    const double *v = model == HYP_LORENTZ ? x + 1 : x;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return HYP_ENONFINITE;
    p->k = geom_scale_exponent(n, v);
    p->norm2 = geom_norm2(n, v, p->k);
    if (model == HYP_EUCLID) {
        /* |v|^2 = norm2 4^k must not exceed 2^48 */
        if (dd_scale(p->norm2.hi, 2 * p->k - 48) > 1.0)
            return HYP_ERADIUS;
        return HYP_OK;
    }
    double x0 = x[0];
    if (isnan(x0))
        return HYP_ENONFINITE;
    if (x0 == INFINITY) /* allowed where the naive sqrt(1 + |x_s|^2) overflows */
        return dd_scale(p->norm2.hi, 2 * p->k - 1022) >= 1.0 ? HYP_OK : HYP_ENONFINITE;
    if (!(x0 > 0.0))
        return HYP_ELORENTZ_X0;
    double a = dd_scale(sqrt(p->norm2.hi), p->k); /* |x_s|, rounded: enough for 2^-20 */
    double want = a > 0x1p60 ? a : sqrt(1.0 + a * a);
    if (isinf(want))
        return HYP_ELORENTZ_X0; /* |x_s| > DBL_MAX needs x0 = +Inf */
    if (fabs(x0 - want) > 0x1p-20 * want)
        return HYP_ELORENTZ_X0;
    return HYP_OK;
}

/*
 * One pass over the coordinates of X = x 2^-k and Y = y 2^-k (Y the point of
 * smaller norm): D = |X - Y|^2 and G = Y.(X - Y), both in double-double, in
 * four lanes combined in a fixed order.
 */
static void delta_sums(size_t n, const double *x, const double *y, int k, dd *d_out,
                       dd *g_out)
{
    double scale = dd_pow2(-k);
    double dh[4] = { 0, 0, 0, 0 }, dl[4] = { 0, 0, 0, 0 };
    double gh[4] = { 0, 0, 0, 0 }, gl[4] = { 0, 0, 0, 0 };
    for (size_t i = 0; i < n; i++) {
        int l = (int)(i & 3);
        double X = x[i] * scale, Y = y[i] * scale;
        dd del = dd_two_sum(X, -Y);
        dd p = dd_two_prod(del.hi, del.hi);
        dd s = dd_two_sum(dh[l], p.hi);
        dh[l] = s.hi;
        dl[l] += s.lo + p.lo + 2.0 * del.hi * del.lo;
        dd q = dd_two_prod(Y, del.hi);
        dd t = dd_two_sum(gh[l], q.hi);
        gh[l] = t.hi;
        gl[l] += t.lo + q.lo + Y * del.lo;
    }
    *d_out = dd_add(dd_add((dd){ dh[0], dl[0] }, (dd){ dh[1], dl[1] }),
                    dd_add((dd){ dh[2], dl[2] }, (dd){ dh[3], dl[3] }));
    *g_out = dd_add(dd_add((dd){ gh[0], gl[0] }, (dd){ gh[1], gl[1] }),
                    dd_add((dd){ gh[2], gl[2] }, (dd){ gh[3], gl[3] }));
}

/* x 2^-kx . y 2^-ky in double-double (separate frames). */
static dd dot(size_t n, const double *x, int kx, const double *y, int ky)
{
    double sx = dd_pow2(-kx), sy = dd_pow2(-ky);
    dd acc = { 0.0, 0.0 };
    for (size_t i = 0; i < n; i++) {
        dd p = dd_two_prod(x[i] * sx, y[i] * sy);
        dd s = dd_two_sum(acc.hi, p.hi);
        acc.hi = s.hi;
        acc.lo += s.lo + p.lo;
    }
    return dd_fast_two_sum(acc.hi, acc.lo);
}

/* sum_{i<j} det_ij^2 with det_ij = X_i Y_j - X_j Y_i, X = x 2^-kx,
 * Y = y 2^-ky; each det exact to double-double, then scaled by 2^-e. */
static dd lagrange_sum(size_t n, const double *x, int kx, const double *y, int ky, int e,
                       double *max_det)
{
    double sx = dd_pow2(-kx), sy = dd_pow2(-ky), se = dd_pow2(-e);
    dd acc = { 0.0, 0.0 };
    double m = 0.0;
    for (size_t i = 0; i < n; i++) {
        double xi = x[i] * sx, yi = y[i] * sy;
        for (size_t j = i + 1; j < n; j++) {
            double xj = x[j] * sx, yj = y[j] * sy;
            dd det = dd_sub(dd_two_prod(xi, yj), dd_two_prod(xj, yi));
            if (fabs(det.hi) > m)
                m = fabs(det.hi);
            double h = det.hi * se, l = det.lo * se;
            dd p = dd_two_prod(h, h);
            dd s = dd_two_sum(acc.hi, p.hi);
            acc.hi = s.hi;
            acc.lo += s.lo + p.lo + 2.0 * h * l;
        }
    }
    *max_det = m;
    return dd_fast_two_sum(acc.hi, acc.lo);
}

/* W = |X ^ Y|^2 exactly (to ~100 bits), as an xdd: rescaled when tiny. */
static xdd lagrange(size_t n, const double *x, int kx, const double *y, int ky)
{
    double m;
    dd w = lagrange_sum(n, x, kx, y, ky, 0, &m);
    if (m > 0.0 && m < 0x1p-400) {
        int e = dd_exponent(m) + 1;
        w = lagrange_sum(n, x, kx, y, ky, e, &m);
        return xdd_norm(w, 2 * e);
    }
    return xdd_from_dd(w);
}

/* sigma = sin^2(theta/2) from c = X.Y, ab = |X||Y| and W = |X ^ Y|^2. */
static xdd sigma_from(dd c, dd ab, xdd w)
{
    if (ab.hi == 0.0) /* a point at the origin: no angle, and T_ang = 0 anyway */
        return xdd_from_dd(dd_from(0.0));
    if (c.hi <= 0.0) /* theta >= 90 degrees: 1 - cos(theta) does not cancel */
        return xdd_from_dd(dd_div(dd_sub(ab, c), dd_mul_d(ab, 2.0)));
    dd den = dd_mul_d(dd_mul(ab, dd_add(ab, c)), 2.0);
    return xdd_div(w, xdd_from_dd(den));
}

xdd geom_sinh(dd r)
{
    if (r.hi == 0.0)
        return xdd_from_dd(r);
    if (r.hi < 1.0) {
        /* sinh(h + l) = sinh(h) + cosh(h) l to 2^-106 */
        dd s = dd_two_sum(sinh(r.hi), cosh(r.hi) * r.lo);
        return xdd_from_dd(s);
    }
    /* e^r = 2^k e^f, f = r - k ln2 in double-double, |f| <= 0.35 */
    double k = nearbyint(r.hi / LN2_HI);
    dd kl = dd_two_prod(k, LN2_HI);
    kl.lo += k * LN2_LO;
    dd f = dd_sub(r, kl);
    double ef = exp(f.hi);
    dd e = dd_two_sum(ef, ef * f.lo); /* e^f (1 + f.lo) */
    xdd er = xdd_norm(e, (int)k);
    if (r.hi > 40.0) /* e^-r below 2^-115 of e^r */
        return xdd_norm(xdd_mant(er), er.e - 1);
    dd em = dd_ldexp(xdd_mant(er), er.e);
    dd s = dd_sub(em, dd_div(dd_from(1.0), em)); /* e^r - e^-r, loses < 1 bit */
    return xdd_norm(s, -1);
}

xdd polar_pair(hyp_model model, size_t n, const double *x, const geom_prep *px,
               const double *y, const geom_prep *py)
{
    if (model == HYP_LORENTZ) {
        x++;
        y++;
    }
    /* Let (x, px) be the point of larger norm. */
    int swap;
    if (px->norm2.hi == 0.0 || py->norm2.hi == 0.0)
        swap = px->norm2.hi == 0.0;
    else if (abs(px->k - py->k) > 400)
        swap = px->k < py->k;
    else
        swap = dd_cmp(px->norm2, dd_ldexp(py->norm2, 2 * (py->k - px->k))) < 0;
    if (swap) {
        const double *t = x;
        x = y;
        y = t;
        const geom_prep *tp = px;
        px = py;
        py = tp;
    }
    int kx = px->k, ky = py->k;
    dd nx = px->norm2, ny = py->norm2;
    if (nx.hi == 0.0) /* both at the origin */
        return xdd_from_dd(dd_from(0.0));
    int k;        /* the frame: |x| = |X| 2^k with X = x 2^-k, etc. */
    dd diff;      /* (|x| - |y|) 2^-k >= 0 */
    xdd sigma;
    if (kx - ky <= 400) {
        k = kx;
        ny = dd_ldexp(ny, 2 * (ky - kx));
        dd d, g;
        delta_sums(n, x, y, k, &d, &g);
        dd c = dd_add(ny, g); /* X.Y = |Y|^2 + Y.delta */
        dd ab = dd_sqrt(dd_mul(nx, ny));
        xdd w = { 0.0, 0.0, 0 };
        if (c.hi > 0.0) {
            dd wd = dd_sub(dd_mul(ny, d), dd_mul(g, g));
            double bound = (16.0 * (double)n + 80.0) * U2 * ny.hi * d.hi;
            if (d.hi > 0x1p-900 && wd.hi > bound * 0x1p56)
                w = xdd_from_dd(wd);
            else
                w = lagrange(n, x, k, y, k);
        }
        sigma = sigma_from(c, ab, w);
        /* |X| - |Y| = (|X|^2 - |Y|^2) / (|X| + |Y|), |X|^2 - |Y|^2 = 2G + D */
        dd n2diff = dd_add(dd_mul_d(g, 2.0), d);
        if (n2diff.hi < 0.0)
            n2diff = dd_neg(n2diff); /* only rounding can make it negative */
        diff = dd_div(n2diff, dd_add(dd_sqrt(nx), dd_sqrt(ny)));
    } else {
        /* |y| < 2^-390 |x|: |x| - |y| = |x| to double-double precision */
        k = kx;
        dd c = dot(n, x, kx, y, ky);
        dd ab = dd_sqrt(dd_mul(nx, ny));
        xdd w = { 0.0, 0.0, 0 };
        if (c.hi > 0.0)
            w = lagrange(n, x, kx, y, ky);
        sigma = sigma_from(c, ab, w);
        diff = dd_sqrt(nx);
    }
    int kyf = kx - ky <= 400 ? kx : ky; /* the frame ny is expressed in */

    if (model == HYP_LORENTZ) {
        xdd a = xdd_norm(dd_sqrt(nx), kx);
        xdd b = xdd_norm(dd_sqrt(ny), kyf);
        xdd one = xdd_from_dd(dd_from(1.0));
        xdd p = xdd_sqrt(xdd_add(one, xdd_mul(a, a)));
        xdd q = xdd_sqrt(xdd_add(one, xdd_mul(b, b)));
        xdd ab = xdd_mul(a, b);
        xdd den = xdd_add(xdd_add(xdd_mul(p, q), ab), one);
        den.e += 1;
        xdd amb = xdd_norm(diff, k);
        xdd t_rad = xdd_div(xdd_mul(amb, amb), den);
        xdd t_ang = xdd_mul(ab, sigma);
        return xdd_add(t_rad, t_ang);
    }
    /* Euclid: radii are at most 2^24, so 2^k scaling stays in range */
    dd r1 = dd_ldexp(dd_sqrt(nx), kx);
    dd r2 = dd_ldexp(dd_sqrt(ny), kyf);
    dd half = dd_ldexp(diff, k - 1);
    xdd sh = geom_sinh(half);
    xdd t_rad = xdd_mul(sh, sh);
    xdd t_ang = xdd_mul(xdd_mul(geom_sinh(r1), geom_sinh(r2)), sigma);
    return xdd_add(t_rad, t_ang);
}
