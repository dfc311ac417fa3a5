/*
 * fixed_internal.h — integer machinery of the fixed-point formats, internal
 * to geom/ (hyp_fixed.h is the contract).
 *
 * Three kinds of integers, all free of floating point:
 *
 *   fx_acc  a 384-bit two's-complement accumulator for the coordinate sums
 *           |x|^2, |x - y|^2 and x.y.  Bound: a word is below 2^127 in
 *           magnitude (the most negative word is invalid), a difference of two
 *           words below 2^128, so a product or square is below 2^256 and a
 *           sum of n <= HYP_DIM_MAX = 2^12 of them below 2^268 < 2^383.  It
 *           never wraps; there is no carry to lose.
 *   fx_nat  an unsigned integer of up to FX_LIMBS 64-bit limbs (8704 bits)
 *           for the exact predicates and conversions.  The largest value any
 *           caller forms is 8192 bits (fx_xf_sqrt at L = 64: the mantissa
 *           shifted by 64 L); the exact Euclid conversion from doubles needs
 *           2462 bits (fixed_convert.c), the predicates below 1100 (each file
 *           proves its own).  An operation whose result would not
 *           fit calls abort(): unreachable for valid inputs, and a wrong sign
 *           would be worse.
 *   fx_xf   an unsigned floating value m 2^e, m an integer of L limbs
 *           (L <= FX_XF_LIMBS, P = 64 L bits) with its top bit set, for the
 *           transcendental parts (sqrt, ln, exp).  Every operation rounds
 *           toward zero, so its relative error is below 2^(2-P) (one ulp of
 *           m is 2^(1-P) relative, at most two truncations per operation);
 *           the callers add these up.
 *
 * Word access: a point is hyp_fixed_size bytes of host-order words (int32_t,
 * int64_t or hyp_q128).  fx_word() returns word i as sign + magnitude.
 */
#ifndef HYP_FIXED_INTERNAL_H
#define HYP_FIXED_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "hyp_fixed.h"

__extension__ typedef __int128 fx_i128;
__extension__ typedef unsigned __int128 fx_u128;

/* ---- formats ------------------------------------------------------------ */

/* The integer layout of one format and model (see the tables in hyp_fixed.h). */
typedef struct {
    int wbits;   /* word bits w: 32, 64, 128 */
    int wbytes;  /* w / 8 */
    int frac;    /* fraction bits F of a coordinate (Poincaré, Lorentz) or of
                    the radius word (Euclid: Fr) */
    int dirfrac; /* Euclid: fraction bits of a direction word, w - 2; else 0 */
} fx_layout;

/* The layout, or NULL for an unknown format or model. */
const fx_layout *fx_layout_of(hyp_fixed_format format, hyp_model model);

/* Word i of x: |value| in *mag, returns 1 if negative. */
static inline int fx_word(const fx_layout *lay, const void *x, size_t i, fx_u128 *mag)
{
    const unsigned char *p = (const unsigned char *)x + (size_t)lay->wbytes * i;
    fx_i128 v;
    if (lay->wbytes == 4) {
        int32_t t;
        memcpy(&t, p, 4);
        v = t;
    } else if (lay->wbytes == 8) {
        int64_t t;
        memcpy(&t, p, 8);
        v = t;
    } else {
        hyp_q128 t;
        memcpy(&t, p, 16);
        /* two's complement without a signed shift: the most negative word
         * (invalid, refused by fx_check) wraps to itself and is never used */
        fx_u128 u = ((fx_u128)t.hi << 64) | t.lo;
        int neg = (int)(t.hi >> 63);
        *mag = neg ? (fx_u128)0 - u : u;
        return neg;
    }
    *mag = v < 0 ? (fx_u128)0 - (fx_u128)v : (fx_u128)v;
    return v < 0;
}

/* Stores the value (neg ? -mag : mag), which must fit the word. */
void fx_word_set(const fx_layout *lay, void *x, size_t i, int neg, fx_u128 mag);

/* Argument checks of the public functions: HYP_EMODEL, HYP_EREPR, HYP_EDIM
 * or HYP_OK with *lay set. */
int fx_args(hyp_fixed_format format, hyp_model model, size_t n, const fx_layout **lay);

/* Validity of x (hyp_fixed_check without argument checks). */
int fx_check(const fx_layout *lay, hyp_model model, size_t n, const void *x);

/* ---- 384-bit accumulator -------------------------------------------------- */

typedef struct {
    uint64_t w[6];
} fx_acc;

/* ---- natural numbers -------------------------------------------------------- */

#define FX_LIMBS 136

typedef struct {
    int n; /* limbs in use: w[n-1] != 0, or n == 0 for zero */
    uint64_t w[FX_LIMBS];
} fx_nat;

/* A signed integer, sign and magnitude (zero is never negative). */
typedef struct {
    int neg;
    fx_nat m;
} fx_int;

void fx_nat_set_u128(fx_nat *r, fx_u128 v);
void fx_nat_set_limbs(fx_nat *r, const uint64_t *w, int n);
int fx_nat_is_zero(const fx_nat *a);
int fx_nat_cmp(const fx_nat *a, const fx_nat *b);
int fx_nat_bitlen(const fx_nat *a);
int fx_nat_bit(const fx_nat *a, int k);
/* r = a + b, r = a - b (requires a >= b), r = a * b, r = a << k, r = a >> k.
 * r may alias a or b, except in fx_nat_mul. */
void fx_nat_add(fx_nat *r, const fx_nat *a, const fx_nat *b);
void fx_nat_sub(fx_nat *r, const fx_nat *a, const fx_nat *b);
void fx_nat_mul(fx_nat *r, const fx_nat *a, const fx_nat *b);
void fx_nat_shl(fx_nat *r, const fx_nat *a, int k);
void fx_nat_shr(fx_nat *r, const fx_nat *a, int k);
void fx_nat_add_u64(fx_nat *r, const fx_nat *a, uint64_t b);
void fx_nat_mul_u64(fx_nat *r, const fx_nat *a, uint64_t b);
/* r = floor(a / b), returns a mod b; b != 0. */
uint64_t fx_nat_div_u64(fx_nat *r, const fx_nat *a, uint64_t b);
/* q = floor(a / b), rem = a mod b (either may be NULL); b != 0; q and rem
 * may not alias a or b. */
void fx_nat_divmod(fx_nat *q, fx_nat *rem, const fx_nat *a, const fx_nat *b);
/* r = floor(sqrt(a)); r may not alias a. */
void fx_nat_isqrt(fx_nat *r, const fx_nat *a);
/* The low 128 bits. */
fx_u128 fx_nat_low128(const fx_nat *a);

/* Signed helpers: r = a + b, a - b, a * b over sign and magnitude. */
void fx_int_add(fx_int *r, const fx_int *a, const fx_int *b);
void fx_int_sub(fx_int *r, const fx_int *a, const fx_int *b);
void fx_int_mul(fx_int *r, const fx_int *a, const fx_int *b);
void fx_int_from_nat(fx_int *r, const fx_nat *a, int neg);
int fx_int_sign(const fx_int *a);

/* ---- exact coordinate sums ------------------------------------------------- */

/* sum_i (x_i - y_i)^2 over words first..first+count-1, or sum x_i^2 when y is
 * NULL, exactly. */
void fx_sum_sq(const fx_layout *lay, size_t first, size_t count, const void *x,
               const void *y, fx_nat *r);
/* sum_i x_i y_i exactly. */
void fx_dot(const fx_layout *lay, size_t first, size_t count, const void *x, const void *y,
            fx_int *r);

/* ---- floating values ------------------------------------------------------- */

#define FX_XF_LIMBS 64

typedef struct {
    int L;      /* limbs of m */
    int zero;   /* 1: the value is 0 (m and e unused) */
    int64_t e;  /* value = m 2^e */
    uint64_t m[FX_XF_LIMBS];
} fx_xf;

void fx_xf_zero(fx_xf *r, int L);
/* r = a (exact if a has at most 64 L bits, else truncated). */
void fx_xf_from_nat(fx_xf *r, const fx_nat *a, int L);
/* r = a 2^k: the same mantissa, exponent + k. */
void fx_xf_scale(fx_xf *r, const fx_xf *a, int64_t k);
/* r = a * b, a + b, a - b (a >= b), sqrt(a), a / b (b != 0); truncated.
 * r may alias an operand. */
void fx_xf_mul(fx_xf *r, const fx_xf *a, const fx_xf *b);
void fx_xf_add(fx_xf *r, const fx_xf *a, const fx_xf *b);
void fx_xf_sub(fx_xf *r, const fx_xf *a, const fx_xf *b);
void fx_xf_sqrt(fx_xf *r, const fx_xf *a);
void fx_xf_div(fx_xf *r, const fx_xf *a, const fx_xf *b);
void fx_xf_mul_u64(fx_xf *r, const fx_xf *a, uint64_t b);
void fx_xf_div_u64(fx_xf *r, const fx_xf *a, uint64_t b);
int fx_xf_cmp(const fx_xf *a, const fx_xf *b);
/* floor(a 2^k) as a natural number (a 2^k < 2^(64 FX_LIMBS)). */
void fx_xf_to_nat(fx_nat *r, const fx_xf *a, int64_t k);
/* a rounded to the nearest double (a must be within the double range), in
 * fixed_convert.c: output only, never on a deciding path. */
double fx_xf_to_double(const fx_xf *a);

/* ---- constants (fixed_consts.c, generated, checked by test_fixed) ---------- */

#define FX_LN2_LIMBS 66
#define FX_LN1P_COUNT 128
extern const uint64_t fx_ln2[FX_LN2_LIMBS];     /* floor(ln 2 2^4224) */
extern const uint64_t fx_log2e[2];              /* floor(log2(e) 2^127) */
extern const uint64_t fx_ln1p[FX_LN1P_COUNT][4]; /* floor(ln(1 + 2^-(k+1)) 2^256) */

/* ---- transcendental parts -------------------------------------------------- */

/* Scale of fx_ln results: 2^-FX_LN_FRAC. */
#define FX_LN_FRAC 256

/* floor-ish ln(a) 2^256 for a >= 1 with a.L <= 4: error below 2^-240
 * absolute plus the error of a (fixed_log.c). */
void fx_ln(fx_nat *r, const fx_xf *a);

/*
 * d = 2 ln(sqrt(A) + sqrt(A + B)) - ln(B), the distance whose
 * S = sinh^2(d/2) is A / B (A >= 0, B >= 1), rounded to nearest at
 * out_frac (32 or 64) fraction bits into out[0] (and out[1] for 64).  A and B
 * have the same L, 3 or 4, and relative errors at most 2^-180 each.  A == 0
 * gives 0.
 */
void fx_dist_from_ratio(const fx_xf *A, const fx_xf *B, int out_frac, uint64_t *out);

/* e^x and sinh(x), cosh(x) for x = (neg ? -X : X) 2^-frac, X < 2^128,
 * frac <= 128; relative error below 2^(8-64L) (exp, cosh) and 2^(10-64L)
 * (sinh, x != 0); L <= FX_XF_LIMBS (fixed_exp.c). */
void fx_exp(fx_xf *r, fx_u128 X, int neg, int frac, int L);
void fx_sinh(fx_xf *r, fx_u128 X, int frac, int L);
void fx_cosh(fx_xf *r, fx_u128 X, int frac, int L);

/* ---- conversions (fixed_convert.c) ----------------------------------------- */

/* v = (-1)^neg m 2^e exactly, m < 2^53 (m = 0 for zero). */
void fx_split(double v, int *neg, uint64_t *m, int *e);
/* r = round(m 2^s), half to even. */
void fx_round_scaled(uint64_t m, int s, fx_nat *r);
/* hyp_fixed_from_double after the argument and hyp_point_check checks;
 * clamp: a Euclid radius beyond the largest word becomes the largest word
 * and *clamped is set (the other models clamp in fixed_clamp.c). */
int fx_from_double(const fx_layout *lay, hyp_model model, size_t n, const double *x,
                   void *out, int clamp, int *clamped);
/* hyp_fixed_to_double after the checks. */
int fx_to_double(const fx_layout *lay, hyp_model model, size_t n, const void *x, double *out);

/* ---- per-model kernels (fixed_poincare.c, fixed_lorentz.c, fixed_euclid.c) -- */

void fx_poincare_dist(const fx_layout *lay, size_t n, const void *x, const void *y,
                      int out_frac, uint64_t *out);
void fx_poincare_radius(const fx_layout *lay, size_t n, const void *x, uint64_t *out);
int fx_poincare_cmp(const fx_layout *lay, size_t n, const void *q, const void *a,
                    const void *b);
void fx_lorentz_dist(const fx_layout *lay, size_t n, const void *x, const void *y,
                     int out_frac, uint64_t *out);
void fx_lorentz_radius(const fx_layout *lay, size_t n, const void *x, uint64_t *out);
int fx_lorentz_cmp(const fx_layout *lay, size_t n, const void *q, const void *a,
                   const void *b);
void fx_euclid_dist(const fx_layout *lay, size_t n, const void *x, const void *y,
                    int out_frac, uint64_t *out);
void fx_euclid_radius(const fx_layout *lay, const void *x, uint64_t *out);
/* *order, and HYP_OK or HYP_EUNDECIDED. */
int fx_euclid_cmp(const fx_layout *lay, size_t n, const void *q, const void *a,
                  const void *b, int *order);

#endif
