/*
 * ref.h — MPFR/GMP reference for the fixed-point formats (tests only).
 *
 * Independent of the library's arithmetic: words are read back through the
 * canonical bytes (hyp_fixed_encode) into mpz, the layouts come from the
 * tables of hyp_fixed.h restated here, and the distances are evaluated in
 * MPFR at the caller's precision + 64 bits:
 *   Poincaré  S = K |kx - ky|^2 / ((K - |kx|^2)(K - |ky|^2)) from exact
 *             integers, d = 2 asinh(sqrt S);
 *   Lorentz   the textbook d = acosh(x0 y0 - x.y), whose cancellation
 *             (at most ~300 bits for the widest format) is absorbed by the
 *             working precision (callers use >= 1024 bits);
 *   Euclid    S = sinh^2((r1 - r2)/2) + sinh r1 sinh r2 (1 - cos θ)/2.
 */
#ifndef HYP_FIXED_REF_H
#define HYP_FIXED_REF_H

#include <stddef.h>
#include <gmp.h>
#include <mpfr.h>
#include "hyp_fixed.h"

typedef struct {
    int wbits;   /* word bits */
    int frac;    /* F (Poincaré, Lorentz) or Fr (Euclid radius) */
    int dirfrac; /* Euclid direction fraction bits, w - 2 */
} ref_layout;

ref_layout ref_layout_of(hyp_fixed_format f, hyp_model m);

/* Word i of x (host-order words) as an integer, via hyp_fixed_encode. */
void ref_word(hyp_fixed_format f, hyp_model m, size_t n, const void *x, size_t i, mpz_t v);
/* Sets word i of x to v (which must fit the word). */
void ref_set_word(hyp_fixed_format f, void *x, size_t i, const mpz_t v);

/* The exact distance between the stored points / from the origin, rounded
 * into d at d's precision (computed at that + 64 bits). */
void ref_dist(hyp_fixed_format f, hyp_model m, size_t n, const void *x, const void *y,
              mpfr_t d);
void ref_radius(hyp_fixed_format f, hyp_model m, size_t n, const void *x, mpfr_t r);

/* |got 2^-frac - ref| in units of 2^-frac (got = lo + hi 2^64). */
double ref_units(uint64_t lo, uint64_t hi, int frac, const mpfr_t ref);

#endif
