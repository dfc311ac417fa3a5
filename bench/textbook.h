/*
 * textbook.h — the distance formulas today's tools use, in C, as the peers
 * that bench/bench_dist.c measures hyperstore against.
 *
 * These are deliberately NOT numerically safe: each one is a faithful
 * transcription of what a peer library evaluates, written the way a
 * reasonable person writes it (plain sequential loops, libm functions, no
 * compensated arithmetic, no special cases the peer does not have), compiled
 * with the same flags as the library (the top-level CMakeLists.txt sets
 * -ffp-contract=off and the build type's -O level for every target).  Where
 * the peer sums with numpy/torch reductions (pairwise or vectorised in a
 * platform-dependent order) we sum left to right: for sums of squares the
 * difference is a few ulp and changes none of the failures measured here.
 *
 * None of them validates its input: like the peers, they return some number
 * (often finite) for NaN coordinates, |x| >= 1, or an x0 off the hyperboloid.
 *
 * The batch forms take one query q and count points stored one after another
 * (stride n doubles, or n + 1 for Lorentz, the same layout hyp_dist_batch
 * reads) and write count distances.
 */
#ifndef HYP_BENCH_TEXTBOOK_H
#define HYP_BENCH_TEXTBOOK_H

#include <stddef.h>

/* gensim's clipping epsilon (PoincareModel(epsilon=1e-5)). */
#define TB_GENSIM_EPSILON 1e-5

/* geoopt's artanh clamp: the argument is clamped to [-1 + 1e-7, 1 - 1e-7]. */
#define TB_GEOOPT_ARTANH_CLAMP 1e-7

/* geoopt's Möbius-addition denominator clamp (denom.clamp_min(1e-15)). */
#define TB_GEOOPT_DENOM_MIN 1e-15

/*
 * Poincaré ball, gensim (gensim 4.2, models/poincare.py,
 * PoincareKeyedVectors.vector_distance_batch):
 *
 *   d = acosh(1 + 2 (|x - y|^2 / ((1 - |x|^2)(1 - |y|^2))))
 *
 * with |x - y| and |x| computed as norms (sqrt of a sum of squares, as
 * np.linalg.norm does) and squared again, exactly as gensim writes it.
 * No clipping happens here: gensim's distance function does not clip.
 */
double tb_gensim_dist(size_t n, const double *x, const double *y);
void tb_gensim_dist_batch(size_t n, const double *q, const double *points,
                          size_t count, double *dist);

/*
 * The projection gensim's training applies to every vector it updates
 * (PoincareModel._clip_vectors, the 2-D branch used by
 * _update_vectors_batch), in place on one n-vector:
 *
 *   threshold = 1 - epsilon
 *   if |x| >= threshold:  x *= threshold / |x|;  x_i -= sign(x_i) epsilon
 *
 * (np.sign(0) = 0, so zero coordinates stay zero).  After it |x| is slightly
 * below 1 - 1e-5, so no trained gensim vector lies beyond hyperbolic radius
 * 2 artanh(1 - 1e-5) = 12.2.  bench_dist models "the distance gensim reports
 * for these points" as tb_gensim_clip on both, then tb_gensim_dist: that is
 * what a gensim-trained model holds and measures for points further out.
 */
void tb_gensim_clip(size_t n, double *x);

/*
 * Poincaré ball, geoopt (geoopt/manifolds/stereographic/math.py, _dist with
 * k = -1, as PoincareBall().dist evaluates it):
 *
 *   d = 2 artanh(|(-x) (+) y|)
 *   a (+) b = ((1 - 2k<a,b> - k|b|^2) a + (1 + k|a|^2) b)
 *             / max(1 - 2k<a,b> + k^2 |a|^2 |b|^2, 1e-15)
 *   artanh(t) = 0.5 (log(1 + t') - log(1 - t')),  t' = clamp(t, -1+1e-7, 1-1e-7)
 *
 * so no distance exceeds 2 artanh(1 - 1e-7) = 16.8.
 */
double tb_geoopt_dist(size_t n, const double *x, const double *y);
void tb_geoopt_dist_batch(size_t n, const double *q, const double *points,
                          size_t count, double *dist);

/*
 * Lorentz (hyperboloid), textbook (geoopt's Lorentz, hyperbolic-image-
 * embeddings and most papers): using the stored x0,
 *
 *   d = acosh(max(-<x, y>_L, 1)),  -<x, y>_L = x0 y0 - sum_i x_i y_i
 *
 * x and y are n + 1 doubles, x0 first.
 */
double tb_lorentz_dist(size_t n, const double *x, const double *y);
void tb_lorentz_dist_batch(size_t n, const double *q, const double *points,
                           size_t count, double *dist);

/*
 * Euclidean parametrization (v stands for exp_0(v)).  No peer computes
 * distances on this parametrization directly; what its users do is convert
 * to the hyperboloid and apply the Lorentz textbook formula above:
 *
 *   r = |v|,  x0 = cosh r,  x_s = (sinh r / r) v   (x = (1, 0) for v = 0)
 *
 * (geoopt's Lorentz expmap0 does the same).  The batch form converts every
 * point on the fly, since the points are stored as v; cosh overflows past
 * r = 710.5, so beyond that the peer returns Inf or NaN.
 */
void tb_euclid_to_lorentz(size_t n, const double *v, double *x);
double tb_euclid_dist(size_t n, const double *v, const double *w);
void tb_euclid_dist_batch(size_t n, const double *q, const double *points,
                          size_t count, double *dist);

#endif
