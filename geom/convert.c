/*
 * convert.c — conversions between the models, and exp/log at the origin.
 *
 * Every conversion scales the input vector (the Lorentz spatial part) by one
 * factor that depends only on its norm:
 *   Poincaré -> Lorentz   x_s = x 2/(1 - |x|^2)
 *   Poincaré -> Euclid    v   = x r/|x|,          r = 2 artanh |x|
 *   Lorentz  -> Poincaré  x   = x_s / (1 + sqrt(1 + |x_s|^2))
 *   Lorentz  -> Euclid    v   = x_s r/|x_s|,      r = asinh |x_s|
 *   Euclid   -> Lorentz   x_s = v sinh(r)/r,      r = |v|
 *   Euclid   -> Poincaré  x   = v tanh(r/2)/r
 * The factor is computed to about 100 bits (radii through the shared
 * geom_dist_from_s, within 1 ulp), so each output coordinate carries one
 * rounding of the product plus that ulp: within 2 ulp of the exact image.
 * A Lorentz output gets x0 from hyp_lorentz_lift; a Poincaré output is
 * checked exactly and refused (HYP_ERANGE) if it rounded onto or past the
 * boundary.
 */
#include <math.h>
#include <string.h>
#include "elem.h"
#include "geom_internal.h"

static const xdd ONE = { 1.0, 0.0, 0 };

/* |x|^2 as an xdd for the vector part of a point. */
static xdd norm2_of(size_t n, const double *v)
{
    int k = geom_scale_exponent(n, v);
    return xdd_norm(geom_norm2(n, v, k), 2 * k);
}

/* The factor that maps the vector part of x (model `from`) to model `to`. */
static xdd conversion_factor(hyp_model from, hyp_model to, size_t n, const double *v,
                             const geom_prep *p)
{
    xdd n2 = norm2_of(n, v);
    if (n2.hi == 0.0) /* the origin: any factor; keep the limits for clarity */
        return from == HYP_POINCARE && to != HYP_POINCARE ? xdd_norm(dd_from(2.0), 0)
               : to == HYP_POINCARE && from != HYP_POINCARE ? xdd_norm(dd_from(0.5), 0)
                                                             : ONE;
    xdd norm = xdd_sqrt(n2);
    if (from == HYP_POINCARE) {
        xdd s = xdd_div(n2, p->one_minus_norm2); /* sinh^2(r/2) */
        if (to == HYP_LORENTZ) {
            xdd two = xdd_norm(dd_from(2.0), 0);
            return xdd_div(two, p->one_minus_norm2);
        }
        return xdd_div(xdd_from_dd(geom_dist_from_s(s)), norm);
    }
    if (from == HYP_LORENTZ) {
        xdd pp1 = xdd_add(xdd_sqrt(xdd_add(ONE, n2)), ONE); /* 1 + x0 */
        if (to == HYP_POINCARE)
            return xdd_div(ONE, pp1);
        xdd s = xdd_div(n2, pp1);
        s = xdd_ldexp(s, -1); /* sinh^2(r/2) = |x_s|^2 / (2 (1 + x0)) */
        return xdd_div(xdd_from_dd(geom_dist_from_s(s)), norm);
    }
    /* from Euclid: r = |v| */
    dd r = dd_ldexp(dd_sqrt(p->norm2), p->k);
    xdd rx = xdd_from_dd(r);
    if (to == HYP_LORENTZ)
        return xdd_div(geom_sinh_xdd(r), rx);
    xdd sh = geom_sinh_xdd(dd_ldexp(r, -1)); /* tanh(r/2) = sh / sqrt(1 + sh^2) */
    xdd th = xdd_div(sh, xdd_sqrt(xdd_add(ONE, xdd_mul(sh, sh))));
    return xdd_div(th, rx);
}

/* ln(1 + x) and asinh(x), x >= 0, in double from the library's own log:
 * a refusal must not depend on the platform's libm. */
static double log1p_d(double x) { return geom_log1p_dd(dd_from(x)).hi; }

static double asinh_d(double x)
{
    /* asinh x = ln(1 + x + x^2 / (1 + sqrt(1 + x^2))); ln(2x) to 2^-1000 beyond 2^500 */
    return log1p_d(x < 0x1p500 ? x + x * x / (1.0 + sqrt(1.0 + x * x)) : 2.0 * x);
}

/*
 * Near the boundary of the ball the Poincaré metric grows by orders of
 * magnitude within one ulp of a coordinate, so an image within an ulp per
 * coordinate can still be far away in hyperbolic distance (a Lorentz point at
 * radius 300 rounds to a double point at radius ~40).  Refuse an image whose
 * radius differs from the source's by more than two "ulp lengths" (the
 * conversion is accurate to 2 ulp per coordinate): for each
 * coordinate, the distance that moving it by one ulp can cover, tangentially
 * 2 asinh(lambda ulp / 2) (lambda = 2/(1 - |y|^2), the metric at y) plus
 * radially |ln(1 -+ 2 |y_i| ulp / (1 - |y|^2))| (outward, or inward where one
 * ulp outward leaves the ball).  A faithful image is within that.
 */
static int poincare_image_check(hyp_model from, size_t n, const double *x, const double *y)
{
    double rx, ry;
    geom_prep p;
    if (hyp_radius(from, n, x, &rx) != HYP_OK || hyp_radius(HYP_POINCARE, n, y, &ry) != HYP_OK ||
        geom_prepare(HYP_POINCARE, n, y, &p) != HYP_OK)
        return HYP_ERANGE;
    double a = xdd_to_double(p.one_minus_norm2); /* 1 - |y|^2; 0 if below 2^-1074 */
    double len = 0.0;
    for (size_t i = 0; i < n; i++) {
        double ulp = y[i] == 0.0 ? 0x1p-1074 : dd_scale(1.0, dd_exponent(y[i]) - 52);
        ulp = ulp > 0x1p-1074 ? ulp : 0x1p-1074;
        double radial = 2.0 * fabs(y[i]) * ulp / a;
        /* outward, or inward when one ulp outward leaves the ball */
        len += 2.0 * asinh_d(ulp / a) + (radial < 1.0 ? -log1p_d(-radial) : log1p_d(radial));
    }
    return fabs(rx - ry) > 2.0 * len + 0x1p-40 * rx ? HYP_ERANGE : HYP_OK;
}

int hyp_convert(hyp_model from, hyp_model to, size_t n, const double *x, double *y)
{
    geom_prep p;
    int rc = geom_prepare(from, n, x, &p);
    if (rc != HYP_OK)
        return rc;
    if (hyp_model_width(to, n) == 0)
        return HYP_EMODEL;
    const double *v = from == HYP_LORENTZ ? x + 1 : x;
    double *out = to == HYP_LORENTZ ? y + 1 : y;
    xdd f = from == to ? ONE : conversion_factor(from, to, n, v, &p);
    dd fm = xdd_mant(f);
    for (size_t i = 0; i < n; i++) {
        /* v_i = m 2^e with m in [1, 2): a subnormal v_i times the factor
         * would otherwise lose its low bits before the scaling */
        int e = v[i] == 0.0 ? 0 : dd_exponent(v[i]);
        dd prod = dd_mul_d(fm, dd_scale(v[i], -e));
        out[i] = dd_scale(prod.hi + prod.lo, f.e + e);
        if (!isfinite(out[i]))
            return HYP_ERANGE;
    }
    if (to == HYP_LORENTZ)
        return hyp_lorentz_lift(n, out, y);
    rc = hyp_point_check(to, n, y);
    if (rc != HYP_OK)
        return HYP_ERANGE;
    return to == HYP_POINCARE && from != HYP_POINCARE ? poincare_image_check(from, n, x, y) : rc;
}

int hyp_expmap0(hyp_model model, size_t n, const double *v, double *x)
{
    return hyp_convert(HYP_EUCLID, model, n, v, x);
}

int hyp_logmap0(hyp_model model, size_t n, const double *x, double *v)
{
    return hyp_convert(model, HYP_EUCLID, n, x, v);
}
