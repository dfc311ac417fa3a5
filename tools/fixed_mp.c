/*
 * fixed_mp.c — fixed-point words to and from GMP/MPFR (fixed_mp.h).
 * Magnitudes go through mpz_import/mpz_export of 64-bit limbs, so nothing
 * assumes the width of long.
 */
#include "fixed_mp.h"

#include <stdint.h>

void fixed_mp_get(hyp_fixed_format format, const void *words, size_t i, mpz_t k)
{
    uint64_t mag[2] = { 0, 0 };
    int neg = 0;
    if (format == HYP_FIXED_Q32) {
        int64_t v = ((const int32_t *)words)[i];
        neg = v < 0;
        mag[0] = (uint64_t)(neg ? -v : v);
    } else if (format == HYP_FIXED_Q64) {
        int64_t v = ((const int64_t *)words)[i];
        neg = v < 0;
        mag[0] = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    } else {
        hyp_q128 q = ((const hyp_q128 *)words)[i];
        neg = (q.hi >> 63) != 0;
        if (neg) { /* two's complement: ~x + 1 over 128 bits */
            q.lo = ~q.lo + 1;
            q.hi = ~q.hi + (q.lo == 0 ? 1 : 0);
        }
        mag[0] = q.lo;
        mag[1] = q.hi;
    }
    mpz_import(k, 2, -1, sizeof mag[0], 0, 0, mag);
    if (neg)
        mpz_neg(k, k);
}

int fixed_mp_set(hyp_fixed_format format, void *words, size_t i, const mpz_t k)
{
    size_t w = 8 * hyp_fixed_word_size(format), limbs = 0;
    uint64_t mag[2] = { 0, 0 };

    if (mpz_sizeinbase(k, 2) > w - 1)
        return HYP_EFIXED_RANGE;
    int neg = mpz_sgn(k) < 0;
    mpz_export(mag, &limbs, -1, sizeof mag[0], 0, 0, k); /* |k|, low limb first */
    if (format == HYP_FIXED_Q32) {
        int64_t m = (int64_t)mag[0]; /* < 2^31 */
        ((int32_t *)words)[i] = (int32_t)(neg ? -m : m);
    } else if (format == HYP_FIXED_Q64) {
        int64_t m = (int64_t)mag[0]; /* < 2^63 */
        ((int64_t *)words)[i] = neg ? -m : m;
    } else {
        hyp_q128 *q = (hyp_q128 *)words + i;
        q->lo = mag[0];
        q->hi = mag[1];
        if (neg) {
            q->lo = ~q->lo + 1;
            q->hi = ~q->hi + (q->lo == 0 ? 1 : 0);
        }
    }
    return HYP_OK;
}

void fixed_mp_value(hyp_fixed_format format, hyp_model model, const void *words, size_t i,
                    mpfr_t out)
{
    mpz_t k;
    mpz_init(k);
    fixed_mp_get(format, words, i, k);
    mpfr_set_z(out, k, MPFR_RNDN);
    mpfr_mul_2si(out, out, -hyp_fixed_frac_bits(format, model), MPFR_RNDN);
    mpz_clear(k);
}

int fixed_mp_round(hyp_fixed_format format, int F, mpfr_t v, mpz_t k, void *words, size_t i)
{
    mpfr_mul_2si(v, v, F, MPFR_RNDN); /* exact: only the exponent moves */
    mpfr_rint(v, v, MPFR_RNDN);       /* the one rounding, ties to even */
    mpfr_get_z(k, v, MPFR_RNDN);      /* exact: v is an integer */
    return fixed_mp_set(format, words, i, k);
}
