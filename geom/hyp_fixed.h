/*
 * hyp_fixed.h — hyperbolic points in fixed point, with integer-only
 * distances and exact comparisons.
 *
 * A fixed-point point is an array of signed two's-complement integer
 * *words*, all of one width: 32 bits (HYP_FIXED_Q32), 64 (HYP_FIXED_Q64) or
 * 128 (HYP_FIXED_Q128).  In memory a word is an int32_t, an int64_t, or a
 * hyp_q128 (low 64 bits, then high 64 bits, each in host order); on disk and
 * in hashes it is the canonical little-endian byte string that
 * hyp_fixed_encode writes.  What the integers mean depends on the model
 * (tables below).  The conversion from double rounds to nearest, ties to
 * even, and never clamps silently; after it, every value that decides a
 * stored word, a distance, a ranking or a hash is computed in integer
 * arithmetic (no floating point, no libm), so it is the same on every
 * platform, compiler and optimisation level.
 *
 * Why each model gets its own layout.  The resolution that matters is
 * hyperbolic: how far (in hyperbolic distance) one unit of the last bit
 * moves a point.  A Poincaré coordinate unit moves a point at radius r by
 * (1 + cosh r) units of 2^-F (the ball's metric factor 2/(1-|x|^2)), so the
 * ball wants every bit as fraction.  A Lorentz spatial coordinate unit moves
 * it by at most one unit anywhere (ds^2 = |dx_s|^2 - dx0^2 <= |dx_s|^2), so
 * its fixed point is uniformly fine and its integer bits buy radius.  The
 * Euclidean parametrization separates the two: a radius word (uniform radial
 * resolution) and a direction whose angular unit 2^-(w-2) moves the point by
 * sinh(r) 2^-(w-2).
 *
 * Capacity vocabulary (as in hyp_geom.h): "holds" is the largest radius of a
 * valid point along a coordinate axis (every direction holds at least that);
 * "resolves 1" is the radius up to which rounding a point into the format
 * moves it by at most 0.5 for n = 1 (Poincaré) or n = 2 (Euclid); subtract
 * ln(sqrt(n)) for n coordinates.  Maximum dimension: every format supports
 * n = 1..HYP_DIM_MAX (4096); the no-overflow bounds are proven in
 * fixed_internal.h and tested at n = 4096 with worst-case words.
 *
 * ---------------------------------------------------------------------------
 * HYP_POINCARE: n words, coordinate x_i = k_i 2^-F with F = w - 1 (Q0.F).
 *   Valid: |k_i| <= 2^F - 1 and sum k_i^2 < 2^(2F) (|x| < 1, decided exactly).
 *   Resolution: one unit moves a point at radius r by (1 + cosh r) 2^-F.
 *   Holds: ln(2^(F+1) - 1) on an axis (x = 1 - 2^-F).  Off-axis points can
 *   reach 1 - |x|^2 = 2^-2F, radius ~(2F + 2) ln 2, but with coarse angles.
 *
 *     format  F    unit       holds   resolves 1   unit moves a point by, at r =
 *                                                  0        10       20       40
 *     q32     31   4.66e-10   22.18   22.2         9.3e-10  5.1e-6   0.11     5.5e7
 *     q64     63   1.08e-19   44.36   44.4         2.2e-19  1.2e-15  2.6e-11  0.013
 *     q128    127  5.88e-39   88.72   88.7         1.2e-38  6.5e-35  1.4e-30  6.9e-22
 *   (binary64 Poincaré: holds 37.43, resolves 1 to ~36.7.)
 *   Examples (q64): k = 0 is the origin; k = 2^62 is x = 0.5, radius
 *   ln 3 = 1.0986; k = 2^63 - 1 is x = 1 - 2^-63, radius 44.36.
 *
 * HYP_LORENTZ: n words, the spatial part only: x_i = k_i 2^-F; x0 =
 *   sqrt(1 + |x_s|^2) is never stored (it is irrational).
 *   Valid: |k_i| <= 2^(w-1) - 1 (the most negative word is refused so that
 *   negation is exact).
 *   Resolution: one unit moves a point by at most 2^-F at every radius.
 *   Holds: asinh(2^(w-1-F)) on an axis.
 *
 *     format  Q       unit (= resolution)   holds   largest |x_i|
 *     q32     Q15.16  1.53e-5               11.09   32768 - 2^-16
 *     q64     Q31.32  2.33e-10              22.18   2^31 - 2^-32
 *     q128    Q95.32  2.33e-10              66.54   2^95 - 2^-32
 *   q32 is Valori's Q16.16 with a sign bit.  q128 spends its extra 64 bits on
 *   radius (deep hierarchies), keeping q64's resolution, which is also the
 *   unit of the Q32.32 distance.
 *   Examples (q64): k = (2^32, 0, ...) is x_s = (1, 0, ...), radius
 *   asinh(1) = 0.8814; k = (2^63 - 1, 0, ...) is radius 22.18.
 *
 * HYP_EUCLID: n + 1 words: word 0 is the radius r = k_0 2^-Fr (k_0 >= 0),
 *   words 1..n a direction u_i = k_i 2^-(w-2); the point is exp_0(r u/|u|).
 *   The direction need not be a unit vector (only u/|u| matters), but the
 *   conversion writes round(2^(w-2) v_i/|v|), so |u| = 1 within rounding.
 *   Valid: 0 <= k_0 <= 2^(w-1) - 1; |k_i| <= 2^(w-2); u = 0 exactly when
 *   r = 0 (the origin has one encoding).
 *   Resolution: radial 2^-Fr everywhere; a direction unit moves a point at
 *   radius r by about sinh(r) 2^-(w-2).
 *
 *     format  radius   radius unit  largest radius   direction unit  resolves 1
 *     q32     Q8.23    1.19e-7      256 - 2^-23      9.31e-10        21.49
 *     q64     Q16.47   7.11e-15     65536 - 2^-47    2.17e-19        43.67
 *     q128    Q24.103  9.86e-32     2^24 - 2^-103    1.18e-38        88.03
 *   Radii beyond "resolves 1" are kept exactly (radial order stays exact),
 *   only the angles coarsen.  q128 holds every valid binary64 Euclid point
 *   (HYP_EUCLID_RADIUS_MAX = 2^24).
 *   Examples (q64): (0, 0, 0) is the origin; (2^47, 2^62, 0) is the point
 *   at radius 1 on the first axis.
 *
 * ---------------------------------------------------------------------------
 * Distances are returned in Q32.32: a uint64_t D standing for D 2^-32
 * (unit 2.33e-10, largest 2^32 - 2^-32; the largest distance of any format,
 * 2^25 for q128 Euclid, fits).  The value is the exact distance between the
 * stored points rounded to nearest, except within 2^-100 units of a halfway
 * point: always within 1 unit (the error budget is in fixed_log.c, the MPFR
 * check in tests/test_fixed.c).  hyp_fixed_dist_wide gives Q64.64.
 *
 * Thread safety: every function is pure and reentrant.  Stack: up to about
 * 40 KB (the Euclid comparison; 33 KB measured with gcc -O3 -fstack-usage),
 * no heap except hyp_fixed_clamp_from_double's report.
 */
#ifndef HYP_FIXED_H
#define HYP_FIXED_H

#include <stddef.h>
#include <stdint.h>
#include "hyp_error.h"
#include "hyp_geom.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The fixed-point formats.  The values equal HYP_REPR_Q32..HYP_REPR_Q128 of
 * the store's hyp_repr (store/hyp_store.h), so a store's representation casts
 * to this type; HYP_REPR_F64 (1) is not a fixed format here. */
typedef enum hyp_fixed_format {
    HYP_FIXED_Q32 = 2,
    HYP_FIXED_Q64 = 3,
    HYP_FIXED_Q128 = 4
} hyp_fixed_format;

/* One q128 word: the two's-complement integer hi 2^64 + lo (hi's top bit is
 * the sign).  On a little-endian host this is the word's canonical bytes. */
typedef struct hyp_q128 {
    uint64_t lo;
    uint64_t hi;
} hyp_q128;

/* "q32", "q64", "q128"; NULL for any other value. */
HYP_EXPORT const char *hyp_fixed_name(hyp_fixed_format format);

/* Parses a name as hyp_fixed_name writes it.  [out] format.
 * Returns HYP_OK or HYP_EREPR ("f64" included: it is not a fixed format). */
HYP_EXPORT int hyp_fixed_parse(const char *name, hyp_fixed_format *format);

/* Bytes of one word: 4, 8 or 16; 0 for an unknown format. */
HYP_EXPORT size_t hyp_fixed_word_size(hyp_fixed_format format);

/* Words of one point of H^n: n (Poincaré, Lorentz: x0 is not stored) or
 * n + 1 (Euclid: the radius, then the direction); 0 for an unknown model. */
HYP_EXPORT size_t hyp_fixed_words(hyp_model model, size_t n);

/* Fraction bits F of a coordinate word (Poincaré, Lorentz: x_i = k_i 2^-F)
 * or of the radius word (Euclid), as the tables above give them; -1 for an
 * unknown format or model. */
HYP_EXPORT int hyp_fixed_frac_bits(hyp_fixed_format format, hyp_model model);

/* Bytes of one point: hyp_fixed_words * hyp_fixed_word_size; 0 if either is
 * unknown.  In memory and encoded the sizes are the same. */
HYP_EXPORT size_t hyp_fixed_size(hyp_fixed_format format, hyp_model model, size_t n);

/*
 * hyp_fixed_check — is x a valid point of the format (see the tables)?
 *   [in] format, model, n (1..HYP_DIM_MAX), x (hyp_fixed_size bytes, words
 *   in host order, aligned for the word type).
 * Returns HYP_OK, or
 *   HYP_EREPR, HYP_EMODEL, HYP_EDIM   bad arguments;
 *   HYP_EOUTSIDE, HYP_EBOUNDARY        Poincaré |x| > 1 or = 1 (exactly);
 *   HYP_EFIXED_WORD                    a word outside its range (the most
 *                                      negative word, a Euclid radius < 0 or
 *                                      direction word beyond 2^(w-2), a zero
 *                                      direction at r > 0 or a nonzero one
 *                                      at r = 0).
 */
HYP_EXPORT int hyp_fixed_check(hyp_fixed_format format, hyp_model model, size_t n,
                               const void *x);

/*
 * hyp_fixed_from_double — rounds a binary64 point into the format.
 *   [in] format, model, n, x (hyp_model_width(model, n) doubles, as hyp_geom.h
 *   takes them: the Lorentz x0 is checked by hyp_point_check, then ignored);
 *   [out] out (hyp_fixed_size bytes; untouched on error).
 * Every word is the exact value rounded to nearest, ties to even:
 *   Poincaré, Lorentz  k_i = round(x_i 2^F);
 *   Euclid             k_0 = round(|v| 2^Fr), k_i = round(2^(w-2) v_i / |v|),
 *                      from the exact |v| (not a rounded square root); a v
 *                      whose radius rounds to 0 becomes the origin.
 * Returns HYP_OK; any hyp_point_check code for x (HYP_ENONFINITE for NaN and
 * Inf among them); HYP_EREPR, HYP_EDIM; or HYP_EFIXED_RANGE when the rounded
 * point is not in the format: a Poincaré point that rounds onto or past the
 * boundary, a Lorentz coordinate or a Euclid radius beyond the largest word.
 * Nothing is clamped: see hyp_fixed_clamp_from_double for that.
 */
HYP_EXPORT int hyp_fixed_from_double(hyp_fixed_format format, hyp_model model, size_t n,
                                     const double *x, void *out);

/*
 * hyp_fixed_clamp_from_double — hyp_fixed_from_double, but a point that
 * does not fit is moved to one that does, and *moved says how far.
 *   [in] as hyp_fixed_from_double; [out] out, moved (may be NULL).
 * A point that fits is rounded exactly as hyp_fixed_from_double rounds it
 * and *moved = 0 (rounding is not counted as moving).  Otherwise it is moved
 * along its ray from the origin:
 *   Poincaré  k_i = floor(|k_i| (2^F - 1) / floor(|k|)) for the rounded k,
 *             then one unit off the largest word until |k| < 2^F (just
 *             inside the boundary);
 *   Lorentz   scaled so that its largest coordinate is the largest word,
 *             the others rounded toward zero;
 *   Euclid    radius set to the largest radius word, direction as usual;
 * and *moved is the hyperbolic distance from x to the result, computed in
 * binary64 (hyp_dist of x and the result decoded; a Poincaré result too
 * close to the boundary for binary64 reports r(x) - r(result), which is the
 * radial part of the move).
 * Returns the codes of hyp_fixed_from_double except HYP_EFIXED_RANGE, or
 * ENOMEM when the report could not be computed (out is written, *moved is -1).
 */
HYP_EXPORT int hyp_fixed_clamp_from_double(hyp_fixed_format format, hyp_model model, size_t n,
                                           const double *x, void *out, double *moved);

/*
 * hyp_fixed_to_double — the point in binary64, as hyp_geom.h takes it.
 *   [in] format, model, n, x; [out] out (hyp_model_width(model, n) doubles).
 * Poincaré and Lorentz spatial coordinates are the exact values rounded to
 * nearest; the Lorentz x0 and the Euclid v_i = r u_i/|u| are formed at 128
 * bits and rounded, within 1 ulp (correctly rounded but for ~2^-70 of cases).
 * Returns HYP_OK, a hyp_fixed_check code, or HYP_ERANGE when the point has no
 * binary64 image: a Poincaré point that rounds onto the boundary (beyond
 * radius ~37.4), a Euclid radius above HYP_EUCLID_RADIUS_MAX (never: the
 * largest q128 radius is below it).
 */
HYP_EXPORT int hyp_fixed_to_double(hyp_fixed_format format, hyp_model model, size_t n,
                                   const void *x, double *out);

/*
 * hyp_fixed_encode / hyp_fixed_decode — the canonical byte layout, what a
 * store keeps and hashes: the words in order, each little-endian two's
 * complement (a q128 word: low 8 bytes, then high 8 bytes).
 *   [in] format, model, n, x or bytes; [out] bytes or x (hyp_fixed_size
 *   bytes; may not overlap the input).
 * encode returns HYP_OK or an argument code (it does not validate x); decode
 * returns HYP_OK or any hyp_fixed_check code of the decoded point (the words
 * are written either way, so a caller can inspect a bad record).
 */
HYP_EXPORT int hyp_fixed_encode(hyp_fixed_format format, hyp_model model, size_t n,
                                const void *x, unsigned char *bytes);
HYP_EXPORT int hyp_fixed_decode(hyp_fixed_format format, hyp_model model, size_t n,
                                const unsigned char *bytes, void *x);

/*
 * hyp_fixed_dist — the hyperbolic distance between two stored points, in
 * integer arithmetic only, as Q32.32 (see the file comment): the exact
 * distance rounded to nearest, within 1 unit always.  Identical points give 0.
 *   [in] format, model, n, x, y; [out] dist (untouched on error).
 * Returns HYP_OK or the hyp_fixed_check code of the first invalid point.
 */
HYP_EXPORT int hyp_fixed_dist(hyp_fixed_format format, hyp_model model, size_t n,
                              const void *x, const void *y, uint64_t *dist);

/* The same in Q64.64: dist[1] is the integer part, dist[0] the fraction
 * (units of 2^-64); within 1 unit of 2^-64. */
HYP_EXPORT int hyp_fixed_dist_wide(hyp_fixed_format format, hyp_model model, size_t n,
                                   const void *x, const void *y, uint64_t dist[2]);

/* The distance from the origin, Q32.32, within 1 unit (Euclid: the radius
 * word rounded to nearest even, exactly).  Codes as hyp_fixed_dist. */
HYP_EXPORT int hyp_fixed_radius(hyp_fixed_format format, hyp_model model, size_t n,
                                const void *x, uint64_t *radius);

/*
 * hyp_fixed_dist_cmp — whether d(q,a) is less than, equal to or greater than
 * d(q,b), decided exactly from the stored integers; ties are reported as
 * ties and the caller breaks them (by id).
 *   [in] format, model, n, q, a, b; [out] order: -1, 0 or 1.
 * Poincaré and Lorentz reduce to the sign of an integer polynomial
 * (fixed_poincare.c, fixed_lorentz.c): exact, bounded time.  Euclid is
 * transcendental in the radii: values accurate to 2^-160 decide almost every
 * call; ties are recognised exactly (Lindemann-Weierstrass, fixed_euclid.c);
 * a closer non-tie escalates precision up to 4096 bits.
 * Returns HYP_OK, the hyp_fixed_check code of the first invalid point, or
 * HYP_EUNDECIDED (Euclid only, *order = 0): not a tie, but cosh d(q,a) and
 * cosh d(q,b) agree to 2^-4000 relative.  No such input is known; callers
 * may treat it as a tie.
 */
HYP_EXPORT int hyp_fixed_dist_cmp(hyp_fixed_format format, hyp_model model, size_t n,
                                  const void *q, const void *a, const void *b, int *order);

/* Whether the radius of a is less than, equal to or greater than that of b,
 * exactly (|k|^2 for Poincaré and Lorentz, the radius word for Euclid).
 * [out] order.  Codes as hyp_fixed_dist. */
HYP_EXPORT int hyp_fixed_radius_cmp(hyp_fixed_format format, hyp_model model, size_t n,
                                    const void *a, const void *b, int *order);

/*
 * hyp_fixed_lorentz_spatial — the Lorentz spatial part x_s of a point (its
 * image on the hyperboloid without x0 = sqrt(1 + |x_s|^2)), in binary64,
 * for code that works on the hyperboloid in floating point (the index's
 * search vectors).  |x_s| = sinh r, so its norm also gives the radius
 * cheaply: r = asinh |x_s|.
 *   [in] format, model, n, x; [out] xs (n doubles; untouched on error).
 * Poincaré  x_s = 2x / (1 - |x|^2) = k 2^(F+1) / (2^2F - |k|^2),
 * Lorentz   x_s = k 2^-F:
 *   each coordinate is the exact rational correctly rounded (to nearest, ties
 *   to even), by integer division: 0.5 ulp.  A q128 Poincaré point near the
 *   boundary (radius ~88) has |x_s| ~ 2^127, well inside binary64, so every
 *   Poincaré and Lorentz point of every format has an image.
 * Euclid    x_s = sinh(r) u/|u|: formed at 256 bits and rounded once, within
 *   0.5 ulp + 2^-200 relative (1 ulp).
 * Integer arithmetic (and ldexp, exact here) only: the same bits everywhere.
 * Returns HYP_OK, the hyp_fixed_check code of x (HYP_EREPR, HYP_EMODEL,
 * HYP_EDIM for bad arguments), or HYP_ERANGE (Euclid only: sinh r beyond
 * 2^1023, radius above ~709).
 */
HYP_EXPORT int hyp_fixed_lorentz_spatial(hyp_fixed_format format, hyp_model model, size_t n,
                                         const void *x, double *xs);

/*
 * hyp_q32_32_format — a Q32.32 value in decimal with 10 fraction digits
 * (enough to tell every two values apart), rounded half to even, in integer
 * arithmetic: 2^-32 prints "0.0000000002".
 *   [out] buf, at least 22 bytes.  Returns buf.
 */
HYP_EXPORT char *hyp_q32_32_format(uint64_t value, char *buf);

#ifdef __cplusplus
}
#endif
#endif
