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
#include "fixed_mp.h"

#include <math.h>
#include <string.h>

#ifndef M_LN2
#define M_LN2 0.69314718055994530942
#endif

double embed_capacity(hyp_model model, int fixed, hyp_fixed_format format, size_t dim)
{
    if (!fixed)
        return model == HYP_LORENTZ ? 60.0 : 32.0;
    int w = (int)(8 * hyp_fixed_word_size(format)), F = hyp_fixed_frac_bits(format, model);
    if (model == HYP_POINCARE) /* the reasons are in embed.h */
        return (double)(F - 7) * M_LN2 - 0.5 * log((double)dim);
    return asinh(ldexp(1.0, w - 2 - F));
}

int embed_fixed_polar(hyp_fixed_format format, hyp_model model, size_t n, const void *words,
                      double *r, double *sh, double *eh, double *dir)
{
    int F = hyp_fixed_frac_bits(format, model);
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
        fixed_mp_get(format, words, i, k);
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
            fixed_mp_get(format, words, i, k);
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
