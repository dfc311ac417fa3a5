/*
 * poincare.c — the Poincaré ball.
 *
 *   S = sinh^2(d/2) = |x - y|^2 / ((1 - |x|^2)(1 - |y|^2))
 *
 * Every factor is computed to about 100 bits, so S is exact to the last bits
 * of a double and the final asinh decides the error (geom_dist_from_s):
 *  - 1 - |x|^2: the sum of squares in double-double (geom_norm2) has an
 *    absolute error below (4n+16) 2^-106; when that is more than 2^-56 of
 *    1 - |x|^2 (the point is within about 2^-42 of the boundary) the value is
 *    recomputed exactly (exact.c), which also decides inside / on / outside,
 *    down to 1 - |x|^2 ~ 2^-1100 for engineered points.
 *  - |x - y|^2: each difference is split exactly into hi + lo (TwoSum) and the
 *    squares are accumulated in double-double, so no digit of a near-identical
 *    pair is lost; pairs closer than 2^-450 are rescaled so nothing underflows.
 */
#include <math.h>
#include "exact.h"
#include "geom_internal.h"

int poincare_prepare(size_t n, const double *x, geom_prep *p)
{
    int unit_axis = 0; /* some |x_i| == 1 */
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            return HYP_ENONFINITE;
        double a = fabs(x[i]);
        if (a > 1.0)
            return HYP_EOUTSIDE;
        if (a == 1.0)
            unit_axis = 1;
    }
    if (unit_axis) {
        /* |x| >= 1: exactly 1 iff every other coordinate is zero */
        int others = 0;
        for (size_t i = 0; i < n; i++)
            others += fabs(x[i]) != 1.0 && x[i] != 0.0;
        int ones = 0;
        for (size_t i = 0; i < n; i++)
            ones += fabs(x[i]) == 1.0;
        return (ones == 1 && others == 0) ? HYP_EBOUNDARY : HYP_EOUTSIDE;
    }
    dd s = geom_norm2(n, x, 0);
    dd a = dd_sub(dd_from(1.0), s);
    double bound = (4.0 * (double)n + 16.0) * 0x1p-106 * (s.hi > 1.0 ? s.hi : 1.0);
    if (a.hi < -bound)
        return HYP_EOUTSIDE;
    if (!(a.hi > bound * 0x1p56)) {
        exact_acc acc;
        exact_one_minus_norm2(&acc, n, x, 0);
        int sign = exact_sign(&acc);
        if (sign < 0)
            return HYP_EOUTSIDE;
        if (sign == 0)
            return HYP_EBOUNDARY;
        p->one_minus_norm2 = exact_value(&acc);
        return HYP_OK;
    }
    p->one_minus_norm2 = xdd_from_dd(a);
    return HYP_OK;
}

/* |x - y|^2 2^-2k in double-double, four lanes as geom_norm2. */
static dd diff_norm2(size_t n, const double *x, const double *y, int k)
{
    double scale = dd_pow2(-k);
    double hi[4] = { 0, 0, 0, 0 }, lo[4] = { 0, 0, 0, 0 };
    for (size_t i = 0; i < n; i++) {
        int l = (int)(i & 3);
        dd dlt = dd_two_sum(x[i], -y[i]); /* exact difference */
        double h = dlt.hi * scale, t = dlt.lo * scale;
        dd p = dd_two_prod(h, h);
        dd s = dd_two_sum(hi[l], p.hi);
        hi[l] = s.hi;
        lo[l] += s.lo + p.lo + 2.0 * h * t;
    }
    dd a = dd_add((dd){ hi[0], lo[0] }, (dd){ hi[1], lo[1] });
    dd b = dd_add((dd){ hi[2], lo[2] }, (dd){ hi[3], lo[3] });
    return dd_add(a, b);
}

/* Exponent k with max |x_i - y_i| < 2^k, clamped to >= -960 so that 2^-k is
 * a double (0 when x == y: with gradual underflow a difference of distinct
 * doubles is never 0). */
static int diff_exponent(size_t n, const double *x, const double *y)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(x[i] - y[i]);
        if (d > m)
            m = d;
    }
    if (m == 0.0)
        return 0;
    int k = dd_exponent(m) + 1;
    return k < -960 ? -960 : k;
}

xdd poincare_pair(size_t n, const double *x, const geom_prep *px, const double *y,
                  const geom_prep *py)
{
    int k = 0;
    dd num = diff_norm2(n, x, y, 0);
    if (num.hi < 0x1p-900) { /* tiny or underflowed: rescale (rare) */
        k = diff_exponent(n, x, y);
        if (k != 0)
            num = diff_norm2(n, x, y, k);
    }
    xdd den = xdd_mul(px->one_minus_norm2, py->one_minus_norm2);
    return xdd_div(xdd_norm(num, 2 * k), den);
}
