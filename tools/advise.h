/*
 * advise.h — which representation a set of points needs (`hyperstore
 * advise`): each format is emulated on the points and judged by what it does
 * to the task, nearest-neighbour lists, as Pychop judges low-precision floats.
 *
 * For each of f64, q32, q64, q128 (hyp_fixed.h):
 *   fit        how many points convert into the format without clamping
 *              (hyp_fixed_from_double; every point fits f64);
 *   max_error  the largest quantization error, as a hyperbolic distance:
 *              binary64 hyp_dist (within 4 ulp) between each point and its
 *              image decoded with hyp_fixed_to_double.  For Poincaré and
 *              Lorentz the decoded image is the fixed-point point exactly
 *              (its words have at most 53 significant bits when they come
 *              from doubles; advise.c checks it per point), so the figure is
 *              the true error within 4 ulp.  For Euclid the decoding rounds
 *              each coordinate once (1 ulp), so the figure can include
 *              binary64's own resolution at that radius, about
 *              sqrt(n) 2^-52 sinh(r): an upper bound, tight for q32;
 *   agree      for how many sampled query points the top-k list (k = 10)
 *              among the points of the format equals the binary64 one, order
 *              included; both lists are exact: ranked with hyp_dist_cmp /
 *              hyp_fixed_dist_cmp, ties (and undecided Euclid comparisons,
 *              none known) broken by input order; a query that does not fit
 *              the format counts as a mismatch;
 *   overlap    the mean fraction of the binary64 list found in the format's.
 * The recommendation is the smallest format (bytes per point; between equal
 * sizes the fixed-point one, whose arithmetic is integer-only) in which every
 * point fits and agree >= 99.9% of the queries.  f64 agrees with itself, so
 * some format is always recommended.
 *
 * The scan is exact but not quadratic in cost: binary64 distances from the
 * query (one hyp_dist_batch per query), widened by proven bounds on each
 * point's quantization error, select the candidates that can be in a top-k
 * list; only those are ranked with the exact predicates (advise.c).
 */
#ifndef HYP_TOOLS_ADVISE_H
#define HYP_TOOLS_ADVISE_H

#include <stddef.h>

#include "hyp_fixed.h"
#include "hyp_geom.h"

#define ADVISE_K 10
#define ADVISE_ROWS 4 /* f64, q32, q64, q128, in that order */
/* The agreement a format needs, as a fraction agree / queries >= NUM / DEN
 * (integers: no rounding decides a recommendation). */
#define ADVISE_THRESHOLD_NUM 999
#define ADVISE_THRESHOLD_DEN 1000

typedef struct advise_row {
    const char *name;        /* "f64", "q32", "q64", "q128" */
    int fixed;               /* 0 for f64 */
    hyp_fixed_format format; /* fixed only */
    size_t bytes_per_point;
    size_t fit;              /* points that convert without clamping */
    double max_error;        /* largest quantization error (see above); 0 for f64 */
    size_t max_error_index;  /* the point that has it (0-based input order) */
    size_t agree;            /* queries whose top-k list equals the f64 one */
    double overlap;          /* mean fraction of the f64 list in this format's */
} advise_row;

typedef struct advise_report {
    size_t points;           /* points advised on */
    size_t queries;          /* query points sampled */
    size_t k;                /* list length: min(ADVISE_K, points - 1) */
    advise_row rows[ADVISE_ROWS];
    int recommended;         /* index into rows */
} advise_report;

/*
 * advise_run — measures every format on count points of H^n.
 *   [in] model, n, points (count * hyp_model_width(model, n) doubles, each
 *   valid: hyp_point_check), count >= 1, max_queries (0: every point is a
 *   query; otherwise at most that many, query j being point
 *   floor(j * count / queries): evenly spread, deterministic);
 *   [out] rep.
 * Returns 0, or ENOMEM.
 */
int advise_run(hyp_model model, size_t n, const double *points, size_t count,
               size_t max_queries, advise_report *rep);

/*
 * advise_recommend — the index of the row to recommend: among the rows in
 * which all `points` fit and agree * DEN >= NUM * queries, the one with the
 * fewest bytes per point, a fixed format before f64 at equal size, then the
 * earlier row.  -1 if none qualifies (advise_run's f64 row always does).
 */
int advise_recommend(const advise_row *rows, size_t nrows, size_t points, size_t queries);

#endif
