/*
 * elem.h — the library's own log, exp, sinh and cosh in double-double,
 * internal to geom/.
 *
 * Why: glibc's transcendental functions are not correctly rounded and pick
 * different code (FMA or not) per CPU at run time, so their bits differ
 * between x86-64 machines and aarch64.  These use only +, -, *, / and
 * explicit fma(), all correctly rounded by IEEE 754, in a fixed order, plus
 * small tables of constants computed once with MPFR: every platform, compiler
 * and optimisation level gives the same bits.  Nothing here reads the
 * rounding mode or the CPU; the default round-to-nearest is assumed.
 *
 * Accuracy: u = 2^-53 and u^2 = 2^-106.  Each bound below is for the value
 * of the argument as given (an exact dd or xdd) and is proved in elem.c;
 * tests/test_elem.c measures the errors against MPFR.  Arguments must be
 * normalised double-doubles (hi = RN(hi + lo)), as every dd_* function
 * returns.  The results are normalised too.
 *
 *   function              domain (of the value)       relative error
 *   geom_log_dd           x > 0                       < 12.1 u^2  (2^-102.4)
 *   geom_log_xdd          x > 0 (any exponent)        < 12.1 u^2
 *   geom_log1p_dd         x > -1                      < 16.8 u^2  (2^-101.9)
 *   geom_exp_xdd          |x| <= 2^30                 < 7.2 u^2   (2^-103.1)
 *   geom_exp_dd           e^x in [2^-968, DBL_MAX]    < 7.2 u^2
 *   geom_sinh_xdd         |x| <= 2^30                 < 24.4 u^2  (2^-101.3)
 *   geom_cosh_xdd         |x| <= 2^30                 < 15.3 u^2  (2^-102.0)
 *
 * All are relative bounds: the results are accurate near the zeros too
 * (log(1 + 2^-100), log1p(2^-1000), sinh(2^-900) to full precision), so
 * a caller never needs a special case for small arguments.
 *
 * Cost (x86-64 at ~2.4 GHz, gcc -O3 -mfma; tests/test_elem prints it): log
 * and exp about 25-45 ns, cosh and sinh 1.5 to 2.5 times that (an exp and a
 * reciprocal, or for |x| < ln 2 an expm1 and a division).
 */
#ifndef HYP_ELEM_H
#define HYP_ELEM_H

#include "dd.h"

/* ln x.  [in] x > 0 (a normalised dd; subnormal hi allowed).
 * x = +0 gives {-Inf, 0}, x < 0 or NaN gives NaN, x = +Inf gives {+Inf, 0}. */
dd geom_log_dd(dd x);

/* ln x for x = (hi + lo) 2^e, any exponent e; same special values as
 * geom_log_dd.  The result is at most ~1.5e9 in magnitude, so a dd. */
dd geom_log_xdd(xdd x);

/* ln(1 + x) for x > -1 (accurate for tiny x: the result is relative to
 * ln(1 + x), not to 1).  x = -1 gives {-Inf, 0}, x < -1 or NaN gives NaN. */
dd geom_log1p_dd(dd x);

/* e^x as an xdd (canonical, see dd.h), for |x.hi| <= 2^30, where the result's
 * exponent still fits an int.  Beyond: x.hi > 2^30 gives {+Inf, 0, 0},
 * x.hi < -2^30 gives {0, 0, 0}; NaN gives NaN. */
xdd geom_exp_xdd(dd x);

/* e^x as a plain dd.  The bound holds while e^x is in [2^-968, DBL_MAX]
 * (x in about [-670.9, 709.78]); above, {+Inf, 0}; below, the low and then
 * the high part underflow gradually (absolute error below 2^-1070). */
dd geom_exp_dd(dd x);

/* sinh x and cosh x as xdd, |x.hi| <= 2^30 (beyond: +-Inf, as exp). */
xdd geom_sinh_xdd(dd x);
xdd geom_cosh_xdd(dd x);

#endif
