/*
 * mpfloat.h — multiprecision binary floating point with proven error bounds,
 * internal to geom/.  It exists for one caller: the exact comparison of
 * HYP_EUCLID distances (euclid_cmp.c), which must evaluate sinh of radii up
 * to 2^24 to a few hundred bits and know how far off the result can be.
 *
 * An mpfl is (-1)^neg * mag * 2^exp, mag an unsigned integer of up to
 * MPFL_LIMBS limbs of 32 bits (not normalised; mag[len - 1] != 0, len == 0
 * for zero).  The exponent is an int, so e^(2^25) (binary exponent ~4.8e7)
 * is an ordinary value: nothing is ever held in fixed point.
 *
 * Precision is an argument of every operation, never a property of a value.
 * The basic operations form the exact result and truncate it towards zero
 * to prec significant bits (RZ), which changes it by less than 2^(1-prec) of
 * itself; mpfl_add and mpfl_sub take a shortcut when one operand is below
 * 2^-(prec+2) of the other and are then within 2.26 * 2^-prec.  So:
 *
 *   every basic operation (from_big, mul, add, sub, div_ui, round) returns
 *   the exact result times (1 + rho) with |rho| < 3 * 2^-prec.   [MPFL_ROUND]
 *
 * The functions (mpfl_recip, mpfl_sqrt, mpfl_exp, mpfl_sinh, mpfl_sinhc,
 * mpfl_ln2) return r and a bound e such that r = f(x) (1 + rho) with
 * |rho| <= e * 2^-prec, relative to the exact value of f at the given
 * argument x (an mpfl taken as exact).  Each proves its bound in a comment;
 * recip and sqrt measure theirs a posteriori from an exact residual (bignum),
 * so a Newton iteration that converged badly yields a large bound, never a
 * wrong one (possibly +Inf).  The domains in the prototypes are the
 * callers' to respect (they are not checked).  The bounds rely on
 * e * 2^-prec <= 2^-50 for their second-order terms (MPFL_MARGIN covers them);
 * callers check that.
 *
 * Sizes: prec <= MPFL_PREC_MAX everywhere (checked: abort() beyond, a bug).
 * The exact residuals multiply two mantissas of at most MPFL_PREC_MAX bits:
 * 2 * 4256 + 64 bits, well inside BIG_LIMBS (bignum.h).
 *
 * Thread safety: reentrant; ln 2 is cached per thread.
 */
#ifndef HYP_MPFLOAT_H
#define HYP_MPFLOAT_H

#include <stdint.h>
#include "bignum.h"

#define MPFL_PREC_MAX 4256 /* bits: 4096 + the guard bits of mpfl_exp */
#define MPFL_LIMBS (MPFL_PREC_MAX / 32 + 1)

/* Relative error of one basic operation, in units of 2^-prec. */
#define MPFL_ROUND 3.0
/* Factor that absorbs second-order terms and the rounding of the bounds
 * themselves (computed in double): every bound is multiplied by it once per
 * step.  Valid while every bound e has e * 2^-prec <= 2^-50. */
#define MPFL_MARGIN (1.0 + 0x1p-40)

typedef struct {
    int neg;
    int exp;
    int len; /* limbs in use; mag[len - 1] != 0, or 0 for zero */
    uint32_t mag[MPFL_LIMBS];
} mpfl;

/* ---- exact ---- */
void mpfl_set_ui(mpfl *r, uint32_t v);
void mpfl_set_d(mpfl *r, double v);        /* v finite */
void mpfl_copy(mpfl *r, const mpfl *a);     /* copies the used limbs only */
void mpfl_to_big(big *r, const mpfl *a);
void mpfl_ldexp(mpfl *r, int k);           /* r *= 2^k, in place */
void mpfl_abs(mpfl *r);                    /* in place */
int mpfl_sign(const mpfl *a);              /* -1, 0, 1 */
int mpfl_ilogb(const mpfl *a);             /* e with |a| in [2^e, 2^(e+1)); a != 0 */

/* ---- rounded: MPFL_ROUND units of 2^-prec; r may alias an operand ---- */
void mpfl_from_big(mpfl *r, const big *a, int prec);
void mpfl_round(mpfl *r, const mpfl *a, int prec);
void mpfl_mul(mpfl *r, const mpfl *a, const mpfl *b, int prec);
void mpfl_add(mpfl *r, const mpfl *a, const mpfl *b, int prec);
void mpfl_sub(mpfl *r, const mpfl *a, const mpfl *b, int prec);
void mpfl_div_ui(mpfl *r, const mpfl *a, uint32_t d, int prec); /* d >= 1 */

/* a ~ m 2^e with m in [1, 2), m rounded to a double (for seeds and
 * estimates only; no bound is claimed).  a != 0. */
double mpfl_get_d_2exp(const mpfl *a, int *e);

/* ---- functions with certified bounds (mpfloat_fn.c) ---- */
double mpfl_recip(mpfl *r, const mpfl *a, int prec);  /* 1/a, a > 0 */
double mpfl_sqrt(mpfl *r, const mpfl *a, int prec);   /* a >= 0 */
double mpfl_ln2(mpfl *r, int prec);
double mpfl_exp(mpfl *r, const mpfl *x, int prec);    /* 0 <= x <= 2^26 */
double mpfl_sinh(mpfl *r, const mpfl *x, int prec);   /* 0 <= x <= 2^26 */
double mpfl_sinhc(mpfl *r, const mpfl *x, int prec);  /* sinh(x)/x (1 at 0) */

#endif
