/*
 * embed_fixed.h — rounding an MPFR coordinate into a fixed-point word, for
 * embed_construct.c (kept out of embed.h so that users of embed.h need not
 * see MPFR).
 */
#ifndef HYP_TOOLS_EMBED_FIXED_H
#define HYP_TOOLS_EMBED_FIXED_H

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>
#include <mpfr.h>

#include "hyp_fixed.h"

/*
 * embed_fixed_round_word — word i of words = round(v 2^F), to nearest with
 * ties to even (the rule of hyp_fixed_from_double), from v as it is (one
 * rounding: MPFR's rint in MPFR_RNDN is ties-to-even, and v's precision
 * must be at least the word's width so that the integer is exact).
 *   [in] format, F (embed_fixed_frac_bits); [in,out] v (clobbered: the
 *   integer); k (scratch); [out] words[i] (host order).
 * Returns HYP_OK, or HYP_EFIXED_RANGE when |k| > 2^(w-1) - 1 (the most
 * negative word is not a valid coordinate either), words untouched.
 */
int embed_fixed_round_word(hyp_fixed_format format, int F, mpfr_t v, mpz_t k, void *words,
                           size_t i);

#endif
