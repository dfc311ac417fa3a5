/*
 * gen.h — seeded generators of test inputs for the accuracy tests and bench/.
 *
 * Every point is constructed in MPFR from an exact description (a radius, a
 * direction, a hyperbolic separation) at ORACLE_PREC + 64 bits or more and
 * then rounded to nearest coordinate by coordinate.  The rounded doubles are
 * the test input: the oracle judges them exactly as they are, so a generated
 * point need only be *near* its description (rounding moves a point by about
 * 2^-53 sinh(r) in hyperbolic length; beyond radius ~37 that is more than 1).
 *
 * Randomness: GSL's gsl_rng_mt19937 with an explicit seed; the same seed gives
 * the same inputs on every platform (directions come from
 * gsl_ran_gaussian_ziggurat, radii from gsl_rng_uniform).  Never time().
 *
 * Lorentz points are written as (x0, x_s) with x0 from hyp_lorentz_lift, so
 * they pass hyp_point_check whenever x_s is finite.
 *
 * Every point-writing function writes hyp_model_width(model, n) doubles and
 * returns a gen_status.  The coordinates are written even when the status is
 * not GEN_OK, so that tests can feed such points to the library's validation.
 */
#ifndef HYP_GEN_H
#define HYP_GEN_H

#include <stddef.h>
#include "hyp_geom.h"

enum gen_status {
    GEN_OK = 0,
    GEN_BOUNDARY = 1, /* Poincaré: the rounded point has |x| = 1 exactly */
    GEN_OUTSIDE = 2,  /* Poincaré: the rounded point has |x| > 1 */
    GEN_RANGE = 3     /* Lorentz: a spatial coordinate overflowed to Inf;
                         Euclid: the rounded |v| exceeds HYP_EUCLID_RADIUS_MAX */
};

typedef struct gen_rng gen_rng;

/* A generator seeded with seed (gsl_rng_mt19937).  NULL on allocation failure.
 * gen_free(NULL) is a no-op. */
gen_rng *gen_create(unsigned long seed);
void gen_free(gen_rng *g);

/* Uniform in [0, 1). */
double gen_uniform(gen_rng *g);
/* Uniform integer in [0, k), k >= 1. */
unsigned long gen_index(gen_rng *g, unsigned long k);
/* exp(uniform(log lo, log hi)), 0 < lo <= hi. */
double gen_log_uniform(gen_rng *g, double lo, double hi);
/* n independent standard Gaussians: a vector whose direction is uniform on
 * the sphere (not normalised; nonzero). */
void gen_direction(gen_rng *g, size_t n, double *dir);

/* The point at hyperbolic radius `radius` (>= 0, taken exactly) in direction
 * dir (n doubles, nonzero, normalised exactly inside), rounded: Poincaré
 * tanh(r/2) u, Lorentz sinh(r) u lifted, Euclid r u. */
int gen_point_dir(hyp_model model, size_t n, const double *dir, double radius, double *x);

/* gen_point_dir in a uniformly random direction. */
int gen_point(gen_rng *g, hyp_model model, size_t n, double radius, double *x);

/* A point at hyperbolic distance sep (>= 0) from the exact point x (a valid
 * point of the model), along a geodesic leaving x in a uniformly random
 * direction of its tangent space; constructed in the plane through the origin,
 * x and that direction (hyperbolic trigonometry), then rounded. */
int gen_point_at(gen_rng *g, hyp_model model, size_t n, const double *x, double sep,
                 double *y);

/* The point at hyperbolic radius `radius` on the ray from the origin through
 * x (the first axis if x is the origin). */
int gen_point_ray(hyp_model model, size_t n, const double *x, double radius, double *y);

/* The point at hyperbolic radius `radius` in the direction opposite to x
 * (minus the first axis if x is the origin). */
int gen_point_antipodal(hyp_model model, size_t n, const double *x, double radius,
                        double *y);

/* x with every authoritative coordinate moved by an independent uniform
 * number of ulps in [-k, k] (nextafter steps; a Lorentz x0 is lifted again).
 * The result may equal x. */
int gen_point_ulps(gen_rng *g, hyp_model model, size_t n, const double *x, unsigned k,
                   double *y);

/* Poincaré points at the last doubles before the boundary: with u = dir/|dir|,
 * the largest c (to within 2^-140) such that RN(c u) is strictly inside the
 * ball, decided exactly; then each nonzero coordinate moved k ulps towards 0
 * (k = 0: that last point itself).  On an axis and k = 0 this is
 * (1 - 2^-53) e_i.  Returns GEN_OK (the result is always inside). */
int gen_poincare_edge(size_t n, const double *dir, unsigned k, double *x);

#endif
