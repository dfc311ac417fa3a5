/*
 * fixed_text.h — a fixed-point store's points as text, exactly.
 *
 * Written: each stored word's value k 2^-F as a decimal with
 * ceil(F log10 2) + 1 digits after the point (trailing zeros dropped), which
 * is within 2^-F / 20 of k 2^-F, so reading it back gives k again; with
 * --hex, C99 hexadecimal, exactly.  Columns are the model's binary64 layout
 * (hyp_geom.h): a Lorentz line starts with x0 = sqrt(1 + |x_s|^2) rounded to
 * binary64 (%.17g or %a), which is checked on input and not stored.
 * Read: each coordinate (decimal or hexadecimal) is rounded once, to nearest
 * with ties to even, from its exact value to k = x 2^F (MPFR at 320 bits,
 * truncated, with the inexact flag as a sticky bit, so a decimal just past a
 * midpoint is never rounded the wrong way).
 */
#ifndef HYP_TOOLS_FIXED_TEXT_H
#define HYP_TOOLS_FIXED_TEXT_H

#include <stddef.h>
#include <stdio.h>

#include "hyp_fixed.h"

/* Writes sep, coordinate, sep, coordinate... for the stored bytes of one
 * point.  Returns 0, or -1 (a point that does not decode: written anyway). */
int fixed_text_write(FILE *out, hyp_fixed_format f, hyp_model m, size_t n,
                     const unsigned char *bytes, char sep, int hex);

/*
 * fixed_text_parse — the words of a point from its text.
 *   [in] text: the coordinates as written, comma-separated (what
 *   coords_parse read), one per word, after an x0 that is skipped when
 *   with_x0 (Lorentz: the caller checked it); [out] bytes
 *   (hyp_fixed_size, the stored encoding, not yet checked: the store checks).
 * Returns HYP_OK, HYP_ENONFINITE (inf/nan), HYP_EFIXED_RANGE (beyond the
 * word), or EINVAL (not a number: coords_parse already refused those).
 */
int fixed_text_parse(hyp_fixed_format f, hyp_model m, size_t n, const char *text,
                     int with_x0, unsigned char *bytes);

#endif
