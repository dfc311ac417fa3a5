/*
 * bignum.h — exact dyadic numbers for the exact predicates, internal to geom/.
 *
 * A big is (-1)^neg * mag * 2^exp with mag an unsigned integer of up to
 * BIG_LIMBS limbs of 32 bits.  Every double is one exactly; sums and products
 * are exact.  Sizes: a double's mantissa spans 53 bits within the exponent
 * range [-1074, 1023], so a sum of up to HYP_DIM_MAX = 2^12 squares or
 * products of doubles spans at most 4196 + 12 + 2 bits; the largest value
 * the predicates form is a product of four such sums (the Lorentz test
 * L^2 - 4 g^2 a b, predicate.c), at most 4 * 4210 + 4 = 16844 bits.
 * The Euclid comparison forms less: Gram determinants |q|^2|y|^2 - (q.y)^2
 * (two such sums multiplied, 2 * 4210 bits; with |v_i| <= 2^24 in fact
 * 2 * 2208) and mpfloat's certificates, a product of two mantissas of at
 * most MPFL_PREC_MAX = 4256 bits aligned with a value of about its size
 * (8514 bits).
 * BIG_LIMBS * 32 = 17408 covers it; big_mul and big_add check the bound and
 * abort() rather than return a wrong sign (unreachable for valid inputs).
 *
 * These are slow (a few microseconds per product at full size): the
 * predicates call them only when a floating-point filter cannot decide.
 */
#ifndef HYP_BIGNUM_H
#define HYP_BIGNUM_H

#include <stdint.h>

#define BIG_LIMBS 544

typedef struct {
    int neg;
    int exp;
    int len; /* limbs in use; mag[len - 1] != 0, or len == 0 for zero */
    uint32_t mag[BIG_LIMBS];
} big;

void big_set_d(big *r, double v);
/* r = a + b, r = a - b, r = a * b; r may not alias a or b. */
void big_add(big *r, const big *a, const big *b);
void big_sub(big *r, const big *a, const big *b);
void big_mul(big *r, const big *a, const big *b);
/* -1, 0 or 1. */
int big_sign(const big *a);

#endif
