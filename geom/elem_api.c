/*
 * elem_api.c — the library's own elementary functions for binary64 callers
 * (hyp_geom.h): the double-double ones of elem.c, rounded once.
 *
 * Each evaluates the function to about 2^-100 relative and returns the
 * leading double, so the result is the correctly rounded one unless the
 * exact value lies within ~2^-100 of a midpoint between two doubles, and
 * then it is the other neighbour: within 1 ulp always, and the same bits on
 * every platform (elem.h says why glibc's are not).  asinh and acosh are
 * written through log1p so that they keep their relative accuracy near 0
 * and 1; beyond 2^28 the dropped term (1 / 4x^2) is below 2^-58 relative.
 */
#include <math.h>

#include "elem.h"
#include "geom_internal.h"

double hyp_exp(double x)
{
    return geom_exp_dd(dd_from(x)).hi;
}

double hyp_log(double x)
{
    return geom_log_dd(dd_from(x)).hi;
}

double hyp_sinh(double x)
{
    return xdd_to_double(geom_sinh_xdd(dd_from(x)));
}

double hyp_cosh(double x)
{
    return xdd_to_double(geom_cosh_xdd(dd_from(x)));
}

/* ln(2 a): asinh and acosh of a > 2^28. */
static double log_twice(double a)
{
    return geom_log_dd(dd_from(2 * a)).hi;
}

double hyp_asinh(double x)
{
    double a = fabs(x);
    if (isnan(x) || isinf(x))
        return x;
    if (a > 0x1p28)
        return copysign(log_twice(a), x);
    /* asinh a = log1p(a + a^2 / (1 + sqrt(1 + a^2))) */
    dd t = dd_two_prod(a, a);
    dd s = dd_sqrt(dd_add_d(t, 1.0));
    dd u = dd_add_d(dd_div(t, dd_add_d(s, 1.0)), a);
    return copysign(geom_log1p_dd(u).hi, x);
}

double hyp_acosh(double x)
{
    if (!(x >= 1))
        return NAN;
    if (isinf(x))
        return x;
    if (x > 0x1p28)
        return log_twice(x);
    /* acosh x = log1p(t + sqrt(t (t + 2))), t = x - 1 exactly as a dd */
    dd t = dd_two_sum(x, -1.0);
    dd s = dd_sqrt(dd_mul(t, dd_add_d(t, 2.0)));
    return geom_log1p_dd(dd_add(t, s)).hi;
}
