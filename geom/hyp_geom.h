/*
 * hyp_geom.h — hyperbolic geometry in binary64, numerically safe.
 *
 * Three models of hyperbolic n-space H^n of curvature -1:
 *
 *   HYP_POINCARE  x in R^n, |x| < 1.  What gensim, geoopt and
 *                 poincare-embeddings write.  n doubles per point.
 *   HYP_LORENTZ   (x0, x_1..x_n) on the hyperboloid x0^2 - |x_s|^2 = 1, x0 > 0.
 *                 n + 1 doubles per point, x0 first.  The spatial part x_s is
 *                 authoritative: every result is computed from x_s alone and x0
 *                 is only checked (see hyp_point_check).
 *   HYP_EUCLID    the Euclidean parametrization: v in R^n stands for the point
 *                 exp_0(v).  Its radius is |v|, its direction v/|v|.
 *                 n doubles per point.
 *
 * Tangent vectors at the origin (hyp_expmap0, hyp_logmap0) are given in an
 * orthonormal frame of T_0 H^n, so |v| = d(0, exp_0(v)); with that
 * convention a HYP_EUCLID point *is* its own log_0.
 *
 * Accuracy.  Every distance is computed from S = sinh^2(d/2) and
 * d = 2 asinh(sqrt(S)), never acosh(1 + tiny).  For every valid input the
 * result is finite, non-negative and within 4 ulp of the exact distance
 * between the points as given (tests/test_accuracy.c checks this against an
 * MPFR oracle at 576 bits on random and adversarial pairs); identical points
 * give exactly 0.
 *   - Poincaré: S = |x-y|^2 / ((1-|x|^2)(1-|y|^2)) with 1-|x|^2 computed in
 *     double-double and, when that cannot resolve it, exactly.
 *   - Lorentz and Euclid share a polar core:
 *     S = sinh^2((r1-r2)/2) + sinh(r1) sinh(r2) sin^2(theta/2); the radial
 *     difference is taken from the squared norms in double-double, never from
 *     two rounded radii, and sin^2(theta/2) comes from the Gram determinant
 *     |x|^2|y|^2 sin^2(theta) in double-double, whose error bound is
 *     certified against the result; when it is too wide, from the same
 *     determinant after removing the radial part of x - y; as a last resort
 *     (coordinates spread over hundreds of binades) from the exact Lagrange
 *     identity sum_{i<j} (x_i y_j - x_j y_i)^2, in O(n^2).  Scalars are
 *     carried as mantissa and exponent, so nothing overflows or underflows
 *     at any valid input.
 *
 * Capacity (binary64).  Each coordinate is rounded to 53 bits, which fixes
 * the smallest angle a point can resolve (about 2^-53 rad) and therefore the
 * radius r at which rounding moves a point by hyperbolic length ~u*sinh(r).
 * "Resolves unit distance" below is the largest radius at which rounding a
 * point's coordinates moves it by at most 0.5 in hyperbolic distance, so that
 * neighbours at distance 1 are still told apart; "holds" is the largest radius
 * a valid point can have at all.
 *
 *   model     resolves unit distance      holds
 *   POINCARE  ~36.7 (u*e^r/2 <= 0.5)      37.43 on an axis (|x| = 1 - 2^-53);
 *                                         beyond only for engineered points whose
 *                                         1-|x|^2 cancels below 2^-53
 *   LORENTZ   ~36.7 (u*sinh(r) <= 0.5)    710.47 (|x_s| = DBL_MAX)
 *   EUCLID    ~36.7 (u*sinh(r) <= 0.5)    HYP_EUCLID_RADIUS_MAX = 2^24 (|v| above
 *                                         it is refused: distances stay within
 *                                         4 ulp at every radius up to it)
 *
 * Deep hierarchies need more than 53 bits of angle: that is what the wide
 * fixed-point formats are for.
 *
 * Thread safety: every function here is pure and reentrant.
 */
#ifndef HYP_GEOM_H
#define HYP_GEOM_H

#include <stddef.h>
#include "hyp_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest dimension n of H^n accepted anywhere in the library. */
#define HYP_DIM_MAX 4096

/* Largest radius |v| of a HYP_EUCLID point.  2^24 keeps the binary exponent
 * of sinh(r1) sinh(r2) within an int; no embedding comes near it. */
#define HYP_EUCLID_RADIUS_MAX 16777216.0

typedef enum hyp_model {
    HYP_POINCARE = 1,
    HYP_LORENTZ = 2,
    HYP_EUCLID = 3
} hyp_model;

/* The number of doubles that store one point of H^n: n, or n + 1 for Lorentz.
 * Returns 0 for an unknown model. */
HYP_EXPORT size_t hyp_model_width(hyp_model model, size_t n);

/* "poincare", "lorentz", "euclid"; NULL for an unknown model. */
HYP_EXPORT const char *hyp_model_name(hyp_model model);

/* Parses a model name as hyp_model_name writes it.
 * [out] model.  Returns HYP_OK or HYP_EMODEL. */
HYP_EXPORT int hyp_model_parse(const char *name, hyp_model *model);

/*
 * hyp_point_check — is x a valid point of the model?
 *   [in] model, n (dimension of H^n, 1..HYP_DIM_MAX),
 *   [in] x, hyp_model_width(model, n) doubles.
 * Returns HYP_OK, or
 *   HYP_EMODEL, HYP_EDIM      bad arguments;
 *   HYP_ENONFINITE            a coordinate (x0 included) is NaN or infinite,
 *                             except the Lorentz x0 = +Inf allowed below;
 *   HYP_EOUTSIDE              Poincaré |x| > 1 (decided exactly);
 *   HYP_EBOUNDARY             Poincaré |x| = 1 exactly;
 *   HYP_ERADIUS               Euclid |v| > HYP_EUCLID_RADIUS_MAX;
 *   HYP_ELORENTZ_X0           Lorentz x0 differs from sqrt(1 + |x_s|^2) by more
 *                             than a relative 2^-20 (about 1e-6: loose enough for
 *                             hyperboloid points written in float32, tight enough
 *                             to reject another model's coordinates), or is
 *                             negative.  x0 = +Inf is accepted when
 *                             |x_s| >= 2^511, where sqrt(1 + |x_s|^2) overflows
 *                             when evaluated naively.
 */
HYP_EXPORT int hyp_point_check(hyp_model model, size_t n, const double *x);

/*
 * hyp_lorentz_lift — writes the Lorentz point (x0, x_s) for a spatial part.
 *   [in] n, xs (n doubles, finite); [out] x (n + 1 doubles; may not alias xs).
 * x0 = sqrt(1 + |x_s|^2) within 1 ulp, +Inf when that exceeds DBL_MAX.
 * Returns HYP_OK, HYP_EDIM or HYP_ENONFINITE.
 */
HYP_EXPORT int hyp_lorentz_lift(size_t n, const double *xs, double *x);

/*
 * The library's own elementary functions in binary64: within 1 ulp
 * (correctly rounded except within ~2^-100 of a midpoint), and the same bits
 * on every platform, compiler and CPU, which libm's are not (glibc picks
 * FMA or SSE2 code at run time).  For callers whose results must be
 * reproducible across machines (embed's Riemannian SGD).  About 30-100 ns.
 * Special values as C99's exp, log, sinh, cosh, asinh, acosh.
 */
HYP_EXPORT double hyp_exp(double x);
HYP_EXPORT double hyp_log(double x);
HYP_EXPORT double hyp_sinh(double x);
HYP_EXPORT double hyp_cosh(double x);
HYP_EXPORT double hyp_asinh(double x);
HYP_EXPORT double hyp_acosh(double x);

/*
 * hyp_radius — hyperbolic distance from the origin, within 4 ulp.
 *   [in] model, n, x; [out] radius.
 * Returns HYP_OK or any code of hyp_point_check (then *radius is untouched).
 */
HYP_EXPORT int hyp_radius(hyp_model model, size_t n, const double *x, double *radius);

/*
 * hyp_dist — hyperbolic distance between x and y, within 4 ulp of the exact
 * distance between the points as given (see the file comment).
 *   [in] model, n, x, y; [out] dist.
 * Returns HYP_OK or the hyp_point_check code of the first invalid point
 * (then *dist is untouched).
 */
HYP_EXPORT int hyp_dist(hyp_model model, size_t n, const double *x, const double *y,
                        double *dist);

/*
 * hyp_dist_batch — distances from one query to count points stored one after
 * another (stride hyp_model_width(model, n) doubles), the same values
 * hyp_dist gives, bit for bit.
 *   [in] model, n, q, points, count; [out] dist (count doubles).
 * Returns HYP_OK; or the code of an invalid query (every dist[i] is then NaN);
 * or the code of the first invalid point, after filling every slot: NaN for
 * each invalid point, the distance for each valid one.
 */
HYP_EXPORT int hyp_dist_batch(hyp_model model, size_t n, const double *q,
                              const double *points, size_t count, double *dist);

/*
 * hyp_dist_cmp — whether d(q,a) is less than, equal to or greater than
 * d(q,b), decided exactly from the points as given (not from two rounded
 * distances), so that rankings agree on every platform; ties are reported as
 * ties and the caller breaks them (by id).
 *   [in] model, n, q, a, b (width(model, n) doubles each); [out] order: -1,
 *   0 or 1.
 * Returns HYP_OK, the hyp_point_check code of the first invalid point, or
 * (HYP_EUCLID only, *order = 0) HYP_EUNDECIDED: the two distances differ by
 * less than 2^-4000 relative, too close to order at 4096 bits.  No such
 * input is known (points moved off a tie by the smallest subnormal differ
 * by about 2^-2150 and are ordered); callers may treat it as a tie.
 * A floating-point filter decides almost every call at the cost of two
 * distances; near-ties are settled exactly.  Every order returned is proven,
 * in every model:
 *   HYP_POINCARE, HYP_LORENTZ  the sign of a polynomial in the coordinates,
 *       in exact dyadic arithmetic (microseconds; about 32 KB of stack);
 *   HYP_EUCLID  transcendental in the radii.  Ties are found exactly by
 *       algebra: by Lindemann-Weierstrass two distances from q tie only if
 *       the radii are equal (then d is decreasing in q.y) or q, a, b lie on
 *       one line through the origin (then d is the Euclidean |q - y|).
 *       Any other pair has distinct distances, ordered by evaluating
 *       sinh^2(d/2) with proven error bounds at 128, 256, ... bits until
 *       the bounds separate them (15-30 us when 128 bits do, as for
 *       almost every near-tie, 50-80 us at 256, 10-15 ms at 4096, n <= 64;
 *       about 44 KB of stack).
 */
HYP_EXPORT int hyp_dist_cmp(hyp_model model, size_t n, const double *q, const double *a,
                            const double *b, int *order);

/*
 * hyp_radius_cmp — whether the radius of a is less than, equal to or greater
 * than that of b, exactly.  [out] order: -1, 0 or 1.  Returns HYP_OK or the
 * hyp_point_check code of the first invalid point.
 */
HYP_EXPORT int hyp_radius_cmp(hyp_model model, size_t n, const double *a, const double *b,
                              int *order);

/* How many hyp_dist_cmp and hyp_radius_cmp calls so far, in this process,
 * the filter could not decide (settled in exact arithmetic).  For benchmarks
 * and monitoring. */
HYP_EXPORT unsigned long hyp_exact_escalations(void);

/*
 * hyp_convert — the same point of H^n in another model, each output
 * coordinate within a few ulp of the exact image of the input.
 *   [in] from, to, n, x (width(from) doubles); [out] y (width(to) doubles;
 *   may alias x only when the widths are equal).
 * Returns HYP_OK, a hyp_point_check code for x, or HYP_ERANGE when the image
 * cannot be represented: a Poincaré point that would round onto the boundary,
 * or whose rounded radius is further from the true one than two ulps of its
 * coordinates can move it (beyond radius ~38, where the rounded point would
 * sit at a plausible but wrong radius); a Lorentz point with |x_s| > DBL_MAX
 * (radius beyond 710.47).
 */
HYP_EXPORT int hyp_convert(hyp_model from, hyp_model to, size_t n, const double *x,
                           double *y);

/*
 * hyp_expmap0 / hyp_logmap0 — the exponential and logarithm maps at the
 * origin, tangent vectors in an orthonormal frame (|v| = radius).
 *   [in] model, n, v or x; [out] x (width(model) doubles) or v (n doubles).
 * Same codes as hyp_convert (exp from HYP_EUCLID, log to HYP_EUCLID).
 */
HYP_EXPORT int hyp_expmap0(hyp_model model, size_t n, const double *v, double *x);
HYP_EXPORT int hyp_logmap0(hyp_model model, size_t n, const double *x, double *v);

#ifdef __cplusplus
}
#endif
#endif
