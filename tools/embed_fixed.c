/*
 * embed_fixed.c — the fixed-point side of embedding (embed.h,
 * embed_fixed.h): how far out each representation lets the construction
 * go, rounding an MPFR coordinate into a word, and a stored point's radius
 * and direction for the ranking filter of eval.c.
 *
 * Everything that decides a stored word or a figure is computed in MPFR,
 * whose every operation is correctly rounded, so the words and the filter's
 * inputs are the same on every platform; the filter's decisions near a tie
 * are then made exactly on the words (hyp_fixed_dist_cmp).
 */
#include "embed.h"
#include "embed_fixed.h"

#include <math.h>
#include <string.h>

#ifndef M_LN2
#define M_LN2 0.69314718055994530942
#endif

int embed_fixed_frac_bits(hyp_fixed_format format, hyp_model model)
{
    int w = (int)(8 * hyp_fixed_word_size(format));
    if (model == HYP_POINCARE)
        return w - 1;
    return format == HYP_FIXED_Q32 ? 16 : 32;
}

double embed_capacity(hyp_model model, int fixed, hyp_fixed_format format, size_t dim)
{
    if (!fixed)
        return model == HYP_LORENTZ ? 60.0 : 32.0;
    int w = (int)(8 * hyp_fixed_word_size(format)), F = embed_fixed_frac_bits(format, model);
    if (model == HYP_POINCARE) /* the reasons are in embed.h */
        return (double)(F - 7) * M_LN2 - 0.5 * log((double)dim);
    return asinh(ldexp(1.0, w - 2 - F));
}

int embed_fixed_round_word(hyp_fixed_format format, int F, mpfr_t v, mpz_t k, void *words,
                           size_t i)
{
    size_t w = 8 * hyp_fixed_word_size(format);
    uint64_t mag[2] = { 0, 0 };
    size_t limbs = 0;

    mpfr_mul_2si(v, v, F, MPFR_RNDN); /* exact: only the exponent moves */
    mpfr_rint(v, v, MPFR_RNDN);       /* the one rounding, ties to even */
    mpfr_get_z(k, v, MPFR_RNDN);      /* exact: v is an integer */
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
        if (neg) { /* two's complement: ~x + 1 over 128 bits */
            q->lo = ~q->lo + 1;
            q->hi = ~q->hi + (q->lo == 0 ? 1 : 0);
        }
    }
    return HYP_OK;
}

/* Word i as an integer, exactly (portable: no assumption on long). */
static void word_get(hyp_fixed_format format, const void *words, size_t i, mpz_t k)
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
        /* a valid word is never INT64_MIN (hyp_fixed_check refuses it) */
        mag[0] = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    } else {
        hyp_q128 q = ((const hyp_q128 *)words)[i];
        neg = (q.hi >> 63) != 0;
        if (neg) {
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

int embed_fixed_polar(hyp_fixed_format format, hyp_model model, size_t n, const void *words,
                      double *r, double *sh, double *eh, double *dir)
{
    int F = embed_fixed_frac_bits(format, model);
    size_t w = 8 * hyp_fixed_word_size(format);
    /* A word has at most w - 1 magnitude bits, a square 2w - 2, a sum of
     * n <= 4096 squares 2w + 10: prec 2w + 32 holds |k|^2 and 2^(2F) - |k|^2
     * exactly, and leaves w + 32 correct bits after a square root, far more
     * than the 53 kept. */
    mpfr_prec_t prec = (mpfr_prec_t)(2 * w + 32);
    mpfr_t s, t, norm;
    mpz_t k;

    mpz_init(k);
    mpfr_inits2(prec, s, t, norm, (mpfr_ptr)0);
    mpfr_set_ui(s, 0, MPFR_RNDN);
    for (size_t i = 0; i < n; i++) {
        word_get(format, words, i, k);
        mpfr_set_z(t, k, MPFR_RNDN);
        mpfr_sqr(t, t, MPFR_RNDN);
        mpfr_add(s, s, t, MPFR_RNDN); /* exact */
    }
    if (mpfr_zero_p(s)) {
        *r = 0;
        *sh = 0;
        *eh = 1;
        memset(dir, 0, n * sizeof *dir);
    } else {
        mpfr_sqrt(norm, s, MPFR_RNDN); /* |k| */
        for (size_t i = 0; i < n; i++) {
            word_get(format, words, i, k);
            mpfr_set_z(t, k, MPFR_RNDN);
            mpfr_div(t, t, norm, MPFR_RNDN);
            dir[i] = mpfr_get_d(t, MPFR_RNDN);
        }
        /* |x_s|: Lorentz |k| 2^-F; Poincaré 2|x| / (1 - |x|^2) =
         * 2 |k| 2^F / (2^(2F) - |k|^2), the difference exact. */
        if (model == HYP_POINCARE) {
            mpfr_set_ui_2exp(t, 1, (mpfr_exp_t)(2 * F), MPFR_RNDN);
            mpfr_sub(t, t, s, MPFR_RNDN); /* exact, > 0 for a valid point */
            mpfr_div(norm, norm, t, MPFR_RNDN);
            mpfr_mul_2si(norm, norm, F + 1, MPFR_RNDN);
        } else {
            mpfr_mul_2si(norm, norm, -F, MPFR_RNDN);
        }
        mpfr_asinh(norm, norm, MPFR_RNDN); /* the radius */
        *r = mpfr_get_d(norm, MPFR_RNDN);
        mpfr_sinh(t, norm, MPFR_RNDN);
        *sh = mpfr_get_d(t, MPFR_RNDN);
        mpfr_div_2ui(t, norm, 1, MPFR_RNDN);
        mpfr_exp(t, t, MPFR_RNDN);
        *eh = mpfr_get_d(t, MPFR_RNDN);
    }
    mpfr_clears(s, t, norm, (mpfr_ptr)0);
    mpz_clear(k);
    return 0;
}
