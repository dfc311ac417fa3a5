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

#endif
