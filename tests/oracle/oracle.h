/*
 * oracle.h — the MPFR reference used by the accuracy tests and by bench/.
 *
 * Everything is computed from the doubles exactly as given, at
 * ORACLE_PREC bits, with cancellation-free formulas, so that the result can
 * judge the library (which must be within 4 ulp of it).  Not part of the
 * library: tests and benchmarks only.
 */
#ifndef HYP_ORACLE_H
#define HYP_ORACLE_H

#include <stddef.h>
#include <mpfr.h>
#include "hyp_geom.h"

#define ORACLE_PREC 512

/*
 * How exact (details in oracle.c): sums of squares, dot products and
 * differences of the doubles are formed exactly, every subtraction that can
 * cancel has exact operands, and everything else is a short chain of
 * correctly rounded operations at ORACLE_PREC + 64 bits on positive values,
 * so every result has relative error below 2^-540 at every valid input
 * (Euclid radii up to HYP_EUCLID_RADIUS_MAX included).  Every function widens
 * MPFR's exponent range to its maximum (mpfr_set_emin/emax) for the calling
 * thread.  Results are rounded to nearest into the caller's mpfr_t, at the
 * caller's precision.
 */

/* Outcome of an oracle evaluation. */
enum oracle_status {
    ORACLE_OK = 0,       /* finite value written */
    ORACLE_INF = 1,      /* an ideal point (Poincaré |x| = 1 exactly): infinite distance */
    ORACLE_INVALID = -1  /* not a point: NaN/Inf coordinate, Poincaré |x| > 1,
                            Euclid |v| > HYP_EUCLID_RADIUS_MAX (see oracle_check) */
};

/* Exact validity of x from its authoritative coordinates (the Lorentz x0 is
 * not read): ORACLE_OK; ORACLE_INF for a Poincaré point with |x| = 1 exactly;
 * ORACLE_INVALID for a NaN/Inf coordinate, Poincaré |x| > 1, Euclid
 * |v| > HYP_EUCLID_RADIUS_MAX, an unknown model or n = 0.  The same statuses,
 * decided the same way, are what the functions below return. */
int oracle_check(hyp_model model, size_t n, const double *x);

/* Exact distance between x and y (hyp_model_width(model, n) doubles each; the
 * Lorentz x0 is ignored, the spatial part is authoritative).  [out] d, an
 * initialised mpfr_t of any precision (rounded to nearest into it). */
int oracle_dist(hyp_model model, size_t n, const double *x, const double *y, mpfr_t d);

/* Exact radius (distance from the origin). */
int oracle_radius(hyp_model model, size_t n, const double *x, mpfr_t r);

/* Exact image of x in model `to`: [out] y, an array of hyp_model_width(to, n)
 * initialised mpfr_t (for Lorentz, y[0] = sqrt(1 + |y_s|^2)), each rounded to
 * nearest at its own precision.  Returns ORACLE_INF (y untouched) for a
 * Poincaré x with |x| = 1.  The image may exceed what a double holds (a
 * Lorentz point beyond radius 710.47, a Poincaré point that rounds onto the
 * boundary): that is the caller's business. */
int oracle_convert(hyp_model from, hyp_model to, size_t n, const double *x, mpfr_t *y);

/* |got - ref| / ulp(ref), where ulp(ref) is the spacing of doubles in ref's
 * binade, 2^(e-53) for |ref| in [2^(e-1), 2^e), never below 2^-1074 (so also
 * 2^-1074 for ref = 0).  +Inf if got is NaN or infinite or ref is not finite. */
double oracle_ulps(double got, const mpfr_t ref);

/* The same, with a double reference known exactly. */
double oracle_ulps_d(double got, double ref);

#endif
