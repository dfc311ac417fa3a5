/*
 * fixed_mp.h — fixed-point words (geom/hyp_fixed.h) to and from GMP/MPFR
 * numbers, for the tools that need more than binary64: exact text
 * (fixed_text.c), the constructions (embed_construct.c), the plots and the
 * ranking filter of eval.  Words are decoded (host order, aligned).
 */
#ifndef HYP_TOOLS_FIXED_MP_H
#define HYP_TOOLS_FIXED_MP_H

#include <stddef.h>

#include <gmp.h>
#include <mpfr.h>

#include "hyp_fixed.h"

/* Word i as an integer, exactly. */
void fixed_mp_get(hyp_fixed_format format, const void *words, size_t i, mpz_t k);

/* Word i := k.  Returns HYP_OK, or HYP_EFIXED_RANGE when |k| > 2^(w-1) - 1
 * (the most negative word is not a valid coordinate either), words untouched. */
int fixed_mp_set(hyp_fixed_format format, void *words, size_t i, const mpz_t k);

/* Word i's value k 2^-F (F = hyp_fixed_frac_bits) in out, exact when out has
 * at least the word's bits. */
void fixed_mp_value(hyp_fixed_format format, hyp_model model, const void *words, size_t i,
                    mpfr_t out);

/*
 * fixed_mp_round — word i := round(v 2^F), to nearest with ties to even (the
 * rule of hyp_fixed_from_double), from v as it is: one rounding (MPFR's rint
 * in MPFR_RNDN is ties-to-even; v's precision must be at least the word's
 * width so that the integer is exact).
 *   [in] format, F; [in,out] v (clobbered: the integer); k (scratch).
 * Returns fixed_mp_set's codes.
 */
int fixed_mp_round(hyp_fixed_format format, int F, mpfr_t v, mpz_t k, void *words, size_t i);

#endif
