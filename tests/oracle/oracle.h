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

/* Outcome of an oracle evaluation. */
enum oracle_status {
    ORACLE_OK = 0,       /* finite value written */
    ORACLE_INF = 1,      /* an ideal point (Poincaré |x| = 1 exactly): infinite distance */
    ORACLE_INVALID = -1  /* not a point: NaN/Inf coordinate, Poincaré |x| > 1 */
};

/* Exact distance between x and y (hyp_model_width(model, n) doubles each; the
 * Lorentz x0 is ignored, the spatial part is authoritative).  [out] d, an
 * initialised mpfr_t of any precision (rounded to nearest into it). */
int oracle_dist(hyp_model model, size_t n, const double *x, const double *y, mpfr_t d);

/* Exact radius (distance from the origin). */
int oracle_radius(hyp_model model, size_t n, const double *x, mpfr_t r);

/* Exact image of x in model `to`: [out] y, an array of hyp_model_width(to, n)
 * initialised mpfr_t (for Lorentz, y[0] = sqrt(1 + |y_s|^2)). */
int oracle_convert(hyp_model from, hyp_model to, size_t n, const double *x, mpfr_t *y);

/* |got - ref| / ulp(ref), where ulp(ref) is the spacing of doubles in ref's
 * binade (2^-1074 for ref = 0).  +Inf if got is NaN or infinite. */
double oracle_ulps(double got, const mpfr_t ref);

/* The same, with a double reference known exactly. */
double oracle_ulps_d(double got, double ref);

#endif
