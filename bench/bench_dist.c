/*
 * bench_dist.c — hyperstore's distances against the textbook formulas the
 * peers use (textbook.h), in one run:
 *
 *  (a) accuracy: for every model, random and close pairs made by the seeded
 *      generators of tests/oracle/gen.h, tallied by the exact radius of the
 *      farther point and by the exact distance (both from the MPFR oracle,
 *      never from the generator's targets: rounding the coordinates moves a
 *      point by about 2^-53 sinh(r), so far out a "close pair" is no longer
 *      close).  For ours and each peer: the largest relative error against
 *      oracle_dist, and how many results were 0, NaN/Inf, or off by more than
 *      1e-6.  Ours also gets its largest error in ulp, and every result above
 *      4 ulp is listed with its exact inputs.
 *      The same on the adversarial hard pairs of DESIGN.md, by category.
 *      Ours is also checked to give bit for bit the same value from
 *      hyp_dist_batch as from hyp_dist.
 *  (b) throughput: distances per second in batch form (one query against a
 *      contiguous array), hyp_dist_batch against each peer's batch, median of
 *      several repetitions; the ratio is ours/peer in time, the median of the
 *      ratios of repetitions measured back to back (the machine is shared and
 *      noisy: a ratio of two runs taken seconds apart is not worth much).
 *
 * Usage: bench_dist [--dims 2,10,64] [--seed N] [--scale X] [--reps N]
 *                   [--accuracy-only | --speed-only]
 *                   [--hard-pairs DIR | --no-hard-pairs]
 * --scale multiplies the number of pairs per cell and the time per
 * repetition.  Output is markdown, for bench/RESULTS.md.  Exit status 0 even
 * when ours is found wrong: this is a report, the tests are the gate.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gen.h"
#include "hyp_geom.h"
#include "oracle.h"
#include "textbook.h"

#ifndef HYP_BENCH_FLAGS
#define HYP_BENCH_FLAGS "?"
#endif
#ifndef HYP_BENCH_KERNEL_FLAGS
#define HYP_BENCH_KERNEL_FLAGS "?"
#endif
#ifndef HYP_BENCH_BUILD_TYPE
#define HYP_BENCH_BUILD_TYPE "?"
#endif

#define MAX_DIMS 8
#define MAX_PEERS 3
#define MAX_ALARMS 40 /* results of ours above 4 ulp listed in full */

/* ------------------------------------------------------------------------ */
/* Options                                                                   */

typedef struct {
    size_t dims[MAX_DIMS];
    int ndims;
    uint64_t seed;
    double scale;
    int reps;
    int accuracy, speed;
    const char *hard_pairs; /* folder of the shared hard pairs, or NULL */
} options;

static void usage(FILE *f)
{
    fprintf(f, "usage: bench_dist [--dims 2,10,64] [--seed N] [--scale X] [--reps N]\n"
               "                  [--accuracy-only | --speed-only]\n"
               "                  [--hard-pairs DIR | --no-hard-pairs]\n");
}

static int parse_dims(const char *s, options *o)
{
    o->ndims = 0;
    while (*s) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(s, &end, 10);
        if (end == s || errno || v < 1 || v > HYP_DIM_MAX || o->ndims == MAX_DIMS)
            return -1;
        o->dims[o->ndims++] = v;
        s = end;
        if (*s == ',')
            s++;
        else if (*s)
            return -1;
    }
    return o->ndims ? 0 : -1;
}

static int parse_options(int argc, char **argv, options *o)
{
    o->dims[0] = 2, o->dims[1] = 10, o->dims[2] = 64, o->ndims = 3;
    o->seed = 20240601;
    o->scale = 1.0;
    o->reps = 15;
    o->accuracy = o->speed = 1;
#ifdef HYP_BENCH_HARD_PAIRS
    o->hard_pairs = HYP_BENCH_HARD_PAIRS;
#else
    o->hard_pairs = NULL;
#endif
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--dims") && v) {
            if (parse_dims(v, o))
                return -1;
            i++;
        } else if (!strcmp(a, "--seed") && v) {
            o->seed = strtoull(v, NULL, 0);
            i++;
        } else if (!strcmp(a, "--scale") && v) {
            o->scale = strtod(v, NULL);
            if (!(o->scale > 0 && o->scale < 1000))
                return -1;
            i++;
        } else if (!strcmp(a, "--reps") && v) {
            o->reps = atoi(v);
            if (o->reps < 1 || o->reps > 101)
                return -1;
            i++;
        } else if (!strcmp(a, "--hard-pairs") && v) {
            o->hard_pairs = v;
            i++;
        } else if (!strcmp(a, "--no-hard-pairs")) {
            o->hard_pairs = NULL;
        } else if (!strcmp(a, "--accuracy-only")) {
            o->speed = 0;
        } else if (!strcmp(a, "--speed-only")) {
            o->accuracy = 0;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        } else {
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Peers                                                                     */

typedef double (*dist_fn)(size_t n, const double *x, const double *y);
typedef void (*batch_fn)(size_t n, const double *q, const double *points, size_t count,
                         double *dist);

typedef struct {
    const char *name;  /* column title */
    dist_fn one;
    batch_fn batch;    /* NULL: accuracy only */
    int gensim_clip;   /* clip both points first (as gensim's training does) */
} peer;

typedef struct {
    hyp_model model;
    const char *title;
    int npeers;
    peer peers[MAX_PEERS];
    int nradius; /* radius buckets used, a prefix of radius_edges */
} model_spec;

static const model_spec MODELS[] = {
    { HYP_POINCARE, "Poincaré ball", 3,
      { { "gensim (clipped as trained)", tb_gensim_dist, NULL, 1 },
        { "gensim formula, unclipped", tb_gensim_dist, tb_gensim_dist_batch, 0 },
        { "geoopt", tb_geoopt_dist, tb_geoopt_dist_batch, 0 } },
      6 },
    { HYP_LORENTZ, "Lorentz (hyperboloid)", 1,
      { { "acosh(-<x,y>_L), stored x0", tb_lorentz_dist, tb_lorentz_dist_batch, 0 } },
      8 },
    { HYP_EUCLID, "Euclidean parametrization", 1,
      { { "via Lorentz: acosh(-<x,y>_L)", tb_euclid_dist, tb_euclid_dist_batch, 0 } },
      9 },
};
#define NMODELS (sizeof MODELS / sizeof MODELS[0])

/* Radius buckets [edge[i], edge[i+1]) by the exact radius of the farther
 * point of a pair, and where generated radii are drawn (log-uniform between
 * gen_lo and the upper edge).  Poincaré stops at 37.5: no point of the ball
 * is further out in binary64 (hyp_geom.h, "Capacity"); Lorentz at 710.5
 * (|x_s| = DBL_MAX). */
static const double radius_edges[] = { 0, 1e-4, 1, 5, 10, 20, 37.5, 100, 710.5, 1e6 };
static const double radius_gen_lo[] = { 1e-8, 1e-4, 1, 5, 10, 20, 37.5, 100, 710.5 };
static const char *radius_label[] = { "< 1e-4", "1e-4 .. 1", "1 .. 5", "5 .. 10",
                                      "10 .. 20", "20 .. 37.5", "37.5 .. 100",
                                      "100 .. 710.5", "710.5 .. 1e6" };
#define NRADIUS 9

/* Separation buckets by the exact distance. */
static const double sep_edges[] = { 0, 1e-9, 1e-6, 1e-3, 1, INFINITY };
static const double sep_gen_lo[] = { 1e-12, 1e-9, 1e-6, 1e-3, 1 };
static const char *sep_label[] = { "< 1e-9", "1e-9 .. 1e-6", "1e-6 .. 1e-3", "1e-3 .. 1",
                                   "> 1" };
#define NSEP 5

static int bucket_of(const double *edges, int nb, double v)
{
    for (int i = 0; i < nb; i++)
        if (v < edges[i + 1])
            return i;
    return nb - 1;
}

/* ------------------------------------------------------------------------ */
/* Accuracy                                                                  */

typedef struct {
    double max_rel;  /* largest relative error among finite results */
    long zero;       /* returned exactly 0 for a positive distance */
    long nonfinite;  /* NaN or Inf */
    long bad;        /* relative error above 1e-6 (zeros included, NaN/Inf not) */
} err_stats;

typedef struct {
    long pairs;
    double max_ulp;  /* ours */
    err_stats ours;
    err_stats peer[MAX_PEERS];
} cell;

typedef struct {
    hyp_model model;
    size_t n;
    double x[HYP_DIM_MAX + 1], y[HYP_DIM_MAX + 1];
    double got, ulps;
    char ref[64];
} alarm;

static alarm alarms[MAX_ALARMS];
static int nalarms;
static long alarms_total;
static long batch_mismatch; /* hyp_dist_batch not bit-identical to hyp_dist */
static long ours_failed;    /* hyp_dist returned an error on a valid point */

/* Relative error of got against ref (> 0 or 0), into s. */
static void tally(err_stats *s, double got, const mpfr_t ref, mpfr_t tmp)
{
    if (!isfinite(got)) {
        s->nonfinite++;
        return;
    }
    double rel;
    if (mpfr_zero_p(ref)) {
        rel = got == 0.0 ? 0.0 : INFINITY;
    } else {
        mpfr_set_d(tmp, got, MPFR_RNDN);
        mpfr_sub(tmp, tmp, ref, MPFR_RNDN);
        mpfr_div(tmp, tmp, ref, MPFR_RNDN);
        rel = fabs(mpfr_get_d(tmp, MPFR_RNDN));
        if (got == 0.0)
            s->zero++;
    }
    if (rel > 1e-6)
        s->bad++;
    if (rel > s->max_rel)
        s->max_rel = rel;
}

static void print_hex_point(FILE *f, size_t n, const double *x)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%a", i ? "," : "", x[i]);
}

static void record_alarm(hyp_model model, size_t n, const double *x, const double *y,
                         double got, double ulps, const mpfr_t ref)
{
    alarms_total++;
    if (nalarms == MAX_ALARMS)
        return;
    alarm *a = &alarms[nalarms++];
    size_t w = hyp_model_width(model, n);
    a->model = model;
    a->n = n;
    memcpy(a->x, x, w * sizeof *x);
    memcpy(a->y, y, w * sizeof *y);
    a->got = got;
    a->ulps = ulps;
    mpfr_snprintf(a->ref, sizeof a->ref, "%.25Rg", ref);
}

/* Evaluates ours and every peer on one valid pair, exact distance ref, and
 * tallies the results in c. */
static void measure_into(const model_spec *m, size_t n, const double *x, const double *y,
                         cell *c, const mpfr_t ref, mpfr_t tmp)
{
    c->pairs++;

    double d = NAN, db = NAN;
    if (hyp_dist(m->model, n, x, y, &d) != HYP_OK) {
        ours_failed++;
        d = NAN;
    }
    if (hyp_dist_batch(m->model, n, x, y, 1, &db) != HYP_OK ||
        memcmp(&d, &db, sizeof d) != 0)
        batch_mismatch++;
    tally(&c->ours, d, ref, tmp);
    double u = oracle_ulps(d, ref);
    if (u > c->max_ulp)
        c->max_ulp = u;
    if (u > 4.0)
        record_alarm(m->model, n, x, y, d, u, ref);

    static double cx[HYP_DIM_MAX + 1], cy[HYP_DIM_MAX + 1];
    for (int p = 0; p < m->npeers; p++) {
        const peer *pe = &m->peers[p];
        double v;
        if (pe->gensim_clip) {
            memcpy(cx, x, n * sizeof *x);
            memcpy(cy, y, n * sizeof *y);
            tb_gensim_clip(n, cx);
            tb_gensim_clip(n, cy);
            v = pe->one(n, cx, cy);
        } else {
            v = pe->one(n, x, y);
        }
        tally(&c->peer[p], v, ref, tmp);
    }
}

/* Evaluates one generated pair and tallies it in the cell of its exact radius
 * (of the farther point) and exact distance. */
static void measure_pair(const model_spec *m, size_t n, const double *x, const double *y,
                         cell cells[NRADIUS][NSEP], mpfr_t ref, mpfr_t rx, mpfr_t ry,
                         mpfr_t tmp)
{
    if (oracle_dist(m->model, n, x, y, ref) != ORACLE_OK)
        return; /* not a pair of valid points: the generators should not make one */
    oracle_radius(m->model, n, x, rx);
    oracle_radius(m->model, n, y, ry);
    double radius = fmax(mpfr_get_d(rx, MPFR_RNDN), mpfr_get_d(ry, MPFR_RNDN));
    double sep = mpfr_get_d(ref, MPFR_RNDN);
    measure_into(m, n, x, y,
                 &cells[bucket_of(radius_edges, m->nradius, radius)]
                       [bucket_of(sep_edges, NSEP, sep)],
                 ref, tmp);
}

static const char *fmt_rel(char *buf, size_t len, const err_stats *s, long pairs)
{
    if (pairs == 0)
        snprintf(buf, len, "—");
    else if (s->nonfinite == pairs)
        snprintf(buf, len, "all NaN/Inf");
    else if (s->max_rel > 1e300)
        snprintf(buf, len, "inf");
    else if (s->max_rel == 0.0)
        snprintf(buf, len, "0");
    else if (isinf(s->max_rel))
        snprintf(buf, len, "inf");
    else
        snprintf(buf, len, "%.1e", s->max_rel);
    return buf;
}

static const char *fmt_counts(char *buf, size_t len, const err_stats *s, long pairs)
{
    if (pairs == 0)
        snprintf(buf, len, "—");
    else
        snprintf(buf, len, "%ld / %ld / %ld", s->zero, s->nonfinite, s->bad);
    return buf;
}

static void print_accuracy_table(const model_spec *m, cell cells[NRADIUS][NSEP],
                                 const options *o, long per_cell)
{
    printf("\n### %s\n\n", m->title);
    printf("Dimensions");
    for (int i = 0; i < o->ndims; i++)
        printf("%s %zu", i ? "," : "", o->dims[i]);
    printf("; per dimension and radius bucket, %ld pairs per separation bucket plus %ld "
           "pairs a few ulps apart%s.  Each method: max relative error, then counts "
           "`0 / NaN,Inf / >1e-6`.\n\n",
           per_cell, per_cell,
           m->model == HYP_POINCARE ? " (and per dimension, that many pairs among the last "
                                      "doubles before the boundary)" : "");
    printf("| radius | distance | pairs | ours (max ulp) | ours: counts");
    for (int p = 0; p < m->npeers; p++)
        printf(" | %s | counts", m->peers[p].name);
    printf(" |\n|---|---|--:|--:|--:");
    for (int p = 0; p < m->npeers; p++)
        printf("|--:|--:");
    printf("|\n");
    char b1[64], b2[64];
    for (int r = 0; r < m->nradius; r++) {
        for (int s = 0; s < NSEP; s++) {
            const cell *c = &cells[r][s];
            if (c->pairs == 0)
                continue;
            printf("| %s | %s | %ld | %s (%.2g) | %s", radius_label[r], sep_label[s],
                   c->pairs, fmt_rel(b1, sizeof b1, &c->ours, c->pairs), c->max_ulp,
                   fmt_counts(b2, sizeof b2, &c->ours, c->pairs));
            for (int p = 0; p < m->npeers; p++)
                printf(" | %s | %s", fmt_rel(b1, sizeof b1, &c->peer[p], c->pairs),
                       fmt_counts(b2, sizeof b2, &c->peer[p], c->pairs));
            printf(" |\n");
        }
    }
}

/* Summary line per model: the whole table collapsed. */
static void print_accuracy_summary(const model_spec *m, cell cells[NRADIUS][NSEP])
{
    cell t;
    memset(&t, 0, sizeof t);
    for (int r = 0; r < m->nradius; r++) {
        for (int s = 0; s < NSEP; s++) {
            const cell *c = &cells[r][s];
            t.pairs += c->pairs;
            t.max_ulp = fmax(t.max_ulp, c->max_ulp);
            err_stats *dst[MAX_PEERS + 1];
            const err_stats *src[MAX_PEERS + 1];
            dst[0] = &t.ours, src[0] = &c->ours;
            for (int p = 0; p < m->npeers; p++)
                dst[p + 1] = &t.peer[p], src[p + 1] = &c->peer[p];
            for (int k = 0; k <= m->npeers; k++) {
                dst[k]->max_rel = fmax(dst[k]->max_rel, src[k]->max_rel);
                dst[k]->zero += src[k]->zero;
                dst[k]->nonfinite += src[k]->nonfinite;
                dst[k]->bad += src[k]->bad;
            }
        }
    }
    char b1[64], b2[64];
    printf("| %s | %ld | %s (%.2g ulp) | %s", m->title, t.pairs,
           fmt_rel(b1, sizeof b1, &t.ours, t.pairs), t.max_ulp,
           fmt_counts(b2, sizeof b2, &t.ours, t.pairs));
    for (int p = 0; p < m->npeers; p++)
        printf(" | %s: %s, %s", m->peers[p].name, fmt_rel(b1, sizeof b1, &t.peer[p], t.pairs),
               fmt_counts(b2, sizeof b2, &t.peer[p], t.pairs));
    printf(" |\n");
}

static cell acc_cells[NMODELS][NRADIUS][NSEP];

/* Generates the pairs of one model and dimension and measures them:
 *  - for every radius bucket and separation bucket, per_cell pairs: x at a
 *    log-uniform radius in the bucket, y at a log-uniform separation in the
 *    bucket along a random geodesic from x (gen_point_at); for "> 1", y is an
 *    independent point at a radius in the same bucket;
 *  - per radius bucket, per_cell pairs whose y is x with every coordinate
 *    moved by up to 4 ulps (gen_point_ulps): the closest pairs binary64 can
 *    hold at that radius, the hardest case for every cancellation;
 *  - Poincaré: per_cell pairs among the last doubles before the boundary
 *    (gen_poincare_edge, 0..64 ulps in), on an axis and in random directions.
 * Returns -1 if the generator cannot be created. */
static int accuracy_model(const options *o, size_t mi, size_t n, long per_cell, mpfr_t ref,
                          mpfr_t rx, mpfr_t ry, mpfr_t tmp)
{
    const model_spec *m = &MODELS[mi];
    static double x[HYP_DIM_MAX + 1], y[HYP_DIM_MAX + 1], dir[HYP_DIM_MAX];
    gen_rng *g = gen_create((unsigned long)(o->seed * 1000003u + mi * 131u + n));
    if (g == NULL)
        return -1;
    for (int r = 0; r < m->nradius; r++) {
        double r_hi = radius_edges[r + 1];
        for (int s = 0; s < NSEP; s++) {
            if (sep_gen_lo[s] > 2.0 * r_hi)
                continue; /* no pair that far apart at this radius */
            for (long k = 0; k < per_cell; k++) {
                double radius = gen_log_uniform(g, radius_gen_lo[r], r_hi);
                if (gen_point(g, m->model, n, radius, x) != GEN_OK)
                    continue;
                int st;
                if (s == NSEP - 1) {
                    double r2 = gen_log_uniform(g, radius_gen_lo[r], r_hi);
                    st = gen_point(g, m->model, n, r2, y);
                } else {
                    double sep = gen_log_uniform(g, sep_gen_lo[s],
                                                 fmin(sep_edges[s + 1], 2.0 * r_hi));
                    st = gen_point_at(g, m->model, n, x, sep, y);
                }
                if (st == GEN_OK)
                    measure_pair(m, n, x, y, acc_cells[mi], ref, rx, ry, tmp);
            }
        }
        for (long k = 0; k < per_cell; k++) {
            double radius = gen_log_uniform(g, radius_gen_lo[r], r_hi);
            if (gen_point(g, m->model, n, radius, x) == GEN_OK &&
                gen_point_ulps(g, m->model, n, x, 4, y) == GEN_OK)
                measure_pair(m, n, x, y, acc_cells[mi], ref, rx, ry, tmp);
        }
    }
    if (m->model == HYP_POINCARE) {
        for (long k = 0; k < per_cell; k++) {
            int axis = k % 4 == 0;
            if (axis) {
                memset(dir, 0, n * sizeof *dir);
                dir[gen_index(g, n)] = gen_uniform(g) < 0.5 ? -1.0 : 1.0;
            } else {
                gen_direction(g, n, dir);
            }
            gen_poincare_edge(n, dir, (unsigned)gen_index(g, 65), x);
            if (k % 2) { /* a second edge point nearby, or the same direction deeper */
                gen_poincare_edge(n, dir, (unsigned)gen_index(g, 65), y);
            } else if (gen_point_ulps(g, m->model, n, x, 4, y) != GEN_OK) {
                continue;
            }
            measure_pair(m, n, x, y, acc_cells[mi], ref, rx, ry, tmp);
        }
    }
    gen_free(g);
    return 0;
}

static int run_accuracy(const options *o)
{
    long per_cell = (long)ceil(200.0 * o->scale);
    mpfr_t ref, rx, ry, tmp;
    mpfr_inits2(ORACLE_PREC, ref, rx, ry, (mpfr_ptr)0);
    mpfr_init2(tmp, 128);

    for (size_t mi = 0; mi < NMODELS; mi++) {
        for (int di = 0; di < o->ndims; di++)
            if (accuracy_model(o, mi, o->dims[di], per_cell, ref, rx, ry, tmp)) {
                fprintf(stderr, "bench_dist: cannot create a generator\n");
                return -1;
            }
        print_accuracy_table(&MODELS[mi], acc_cells[mi], o, per_cell);
        fflush(stdout);
    }

    printf("\n### Summary over all cells\n\n"
           "| model | pairs | ours: max rel (max ulp) | ours: counts | peers: max rel, counts |\n"
           "|---|--:|--:|--:|---|\n");
    for (size_t mi = 0; mi < NMODELS; mi++)
        print_accuracy_summary(&MODELS[mi], acc_cells[mi]);

    mpfr_clears(ref, rx, ry, tmp, (mpfr_ptr)0);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The shared hard pairs (shared/testdata/hard-pairs, README there): the same
 * measurement on about 8,800 adversarial pairs, tallied by their category.
 * The exact distance is the oracle's; the file's published reference is
 * compared with it as a cross-check of the oracle. */

#define MAX_CATEGORIES 32
#define HARD_LINE_MAX (1 << 20)

typedef struct {
    char name[24];
    cell c;
} category;

static category categories[NMODELS][MAX_CATEGORIES];
static int ncategories[NMODELS];

static cell *category_cell(size_t mi, const char *name)
{
    for (int i = 0; i < ncategories[mi]; i++)
        if (!strcmp(categories[mi][i].name, name))
            return &categories[mi][i].c;
    if (ncategories[mi] == MAX_CATEGORIES)
        return NULL;
    category *k = &categories[mi][ncategories[mi]++];
    snprintf(k->name, sizeof k->name, "%s", name);
    return &k->c;
}

/* Parses count comma-separated hex floats; 0 on success. */
static int parse_point(char *text, size_t count, double *x)
{
    char *p = text;
    for (size_t i = 0; i < count; i++) {
        char *end;
        x[i] = strtod(p, &end);
        if (end == p)
            return -1;
        p = end;
        if (i + 1 < count) {
            if (*p != ',')
                return -1;
            p++;
        }
    }
    return *p == '\0' ? 0 : -1;
}

static int run_hard_pairs(const options *o)
{
    static const char *files[] = { "pairs_poincare.tsv", "pairs_lorentz.tsv",
                                   "pairs_euclid.tsv", "pairs_euclid_big.tsv" };
    static double x[HYP_DIM_MAX + 1], y[HYP_DIM_MAX + 1];
    char *line = malloc(HARD_LINE_MAX);
    if (line == NULL)
        return -1;
    mpfr_t ref, pub, tmp;
    mpfr_inits2(ORACLE_PREC, ref, pub, (mpfr_ptr)0);
    mpfr_init2(tmp, 128);
    double oracle_vs_published = 0.0;
    long used = 0, skipped = 0;
    int nfiles = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", o->hard_pairs, files[f]);
        FILE *in = fopen(path, "r");
        if (in == NULL)
            continue;
        nfiles++;
        while (fgets(line, HARD_LINE_MAX, in)) {
            char *col[10];
            int nc = 0;
            line[strcspn(line, "\n")] = '\0';
            for (char *t = strtok(line, "\t"); t && nc < 10; t = strtok(NULL, "\t"))
                col[nc++] = t;
            if (nc < 9)
                continue;
            hyp_model model;
            if (hyp_model_parse(col[0], &model) != HYP_OK)
                continue;
            size_t mi = 0;
            while (mi < NMODELS && MODELS[mi].model != model)
                mi++;
            size_t n = strtoul(col[1], NULL, 10);
            size_t w = hyp_model_width(model, n);
            if (mi == NMODELS || n < 1 || n > HYP_DIM_MAX || parse_point(col[2], w, x) ||
                parse_point(col[3], w, y)) {
                skipped++;
                continue;
            }
            /* only pairs of valid points with a finite distance */
            if (hyp_point_check(model, n, x) != HYP_OK || hyp_point_check(model, n, y) != HYP_OK ||
                oracle_dist(model, n, x, y, ref) != ORACLE_OK) {
                skipped++;
                continue;
            }
            cell *c = category_cell(mi, col[8]);
            if (c == NULL)
                continue;
            if (mpfr_set_str(pub, col[4], 10, MPFR_RNDN) == 0 && !mpfr_zero_p(ref)) {
                mpfr_sub(tmp, pub, ref, MPFR_RNDN);
                mpfr_div(tmp, tmp, ref, MPFR_RNDN);
                oracle_vs_published = fmax(oracle_vs_published, fabs(mpfr_get_d(tmp, MPFR_RNDN)));
            }
            measure_into(&MODELS[mi], n, x, y, c, ref, tmp);
            used++;
        }
        fclose(in);
    }
    free(line);
    mpfr_clears(ref, pub, tmp, (mpfr_ptr)0);
    if (nfiles == 0) {
        printf("\n(hard pairs: none found in %s)\n", o->hard_pairs);
        return 0;
    }

    /* the path inside the repository, not this machine's absolute path */
    const char *shown = strstr(o->hard_pairs, "tests/data/");
    if (!shown)
        shown = strrchr(o->hard_pairs, '/') ? strrchr(o->hard_pairs, '/') + 1 : o->hard_pairs;
    printf("\n### The shared hard pairs\n\n"
           "%ld pairs of valid points from the hard pairs (`%s`; %ld invalid or "
           "infinite ones left out), by the file's category (its README explains them); "
           "exact distance from the oracle, which agrees with the file's published "
           "references to %.1e relative (they are given to 40 digits).\n",
           used, shown, skipped, oracle_vs_published);
    char b1[64], b2[64];
    for (size_t mi = 0; mi < NMODELS; mi++) {
        const model_spec *m = &MODELS[mi];
        if (ncategories[mi] == 0)
            continue;
        printf("\n%s:\n\n| category | pairs | ours (max ulp) | ours: counts", m->title);
        for (int p = 0; p < m->npeers; p++)
            printf(" | %s | counts", m->peers[p].name);
        printf(" |\n|---|--:|--:|--:");
        for (int p = 0; p < m->npeers; p++)
            printf("|--:|--:");
        printf("|\n");
        for (int i = 0; i < ncategories[mi]; i++) {
            const cell *c = &categories[mi][i].c;
            printf("| %s | %ld | %s (%.2g) | %s", categories[mi][i].name, c->pairs,
                   fmt_rel(b1, sizeof b1, &c->ours, c->pairs), c->max_ulp,
                   fmt_counts(b2, sizeof b2, &c->ours, c->pairs));
            for (int p = 0; p < m->npeers; p++)
                printf(" | %s | %s", fmt_rel(b1, sizeof b1, &c->peer[p], c->pairs),
                       fmt_counts(b2, sizeof b2, &c->peer[p], c->pairs));
            printf(" |\n");
        }
    }
    return 0;
}

/* What the accuracy sections found wrong with ours, in full. */
static void print_alarms(void)
{
    printf("\n### Problems found in ours\n\n"
           "hyp_dist failed on a valid pair: %ld times; hyp_dist_batch differed from "
           "hyp_dist: %ld times.\n",
           ours_failed, batch_mismatch);
    printf("Results of ours above 4 ulp: %ld.\n", alarms_total);
    for (int i = 0; i < nalarms; i++) {
        const alarm *a = &alarms[i];
        size_t w = hyp_model_width(a->model, a->n);
        printf("\n- %s n=%zu: got %a (%.17g), exact %s, %.2f ulp\n  x = ",
               hyp_model_name(a->model), a->n, a->got, a->got, a->ref, a->ulps);
        print_hex_point(stdout, w, a->x);
        printf("\n  y = ");
        print_hex_point(stdout, w, a->y);
        printf("\n");
    }
}

/* ------------------------------------------------------------------------ */
/* Throughput                                                                */

#define BATCH_POINTS 1024
#define QUERIES 8

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static volatile double sink; /* keeps the results alive */

typedef struct {
    hyp_model model;
    size_t n;
    const double *queries; /* QUERIES points */
    const double *points;  /* BATCH_POINTS points */
    double *out;
} speed_data;

/* Seconds for `rounds` rounds, each one batch per query.  method < 0: ours. */
static double time_method(const speed_data *d, const model_spec *m, int method, long rounds)
{
    size_t w = hyp_model_width(d->model, d->n);
    double acc = 0.0;
    double t0 = now_seconds();
    for (long r = 0; r < rounds; r++) {
        for (int q = 0; q < QUERIES; q++) {
            const double *qp = d->queries + (size_t)q * w;
            if (method < 0)
                hyp_dist_batch(d->model, d->n, qp, d->points, BATCH_POINTS, d->out);
            else
                m->peers[method].batch(d->n, qp, d->points, BATCH_POINTS, d->out);
            acc += d->out[q];
        }
    }
    double t = now_seconds() - t0;
    sink = acc;
    return t;
}

/* Point mixes for the throughput table. */
enum { MIX_TYPICAL, MIX_CLOSE_FAR, NMIX };
static const char *mix_title[NMIX] = {
    "typical: independent points, radii uniform in [0, 10]",
    "hard: a neighbourhood at radius 15 .. 30; queries within 1e-6 .. 1e-3 of its "
    "centre, points within 1e-6 .. 1 (every distance below ~2)",
};

/* Fills the query and point arrays; returns 0 or -1. */
static int make_speed_points(gen_rng *g, int mix, hyp_model model, size_t n, double *queries,
                             double *points)
{
    size_t w = hyp_model_width(model, n);
    static double centre[HYP_DIM_MAX + 1];
    if (mix == MIX_TYPICAL) {
        for (int q = 0; q < QUERIES; q++)
            if (gen_point(g, model, n, 10.0 * gen_uniform(g), queries + (size_t)q * w))
                return -1;
        for (size_t i = 0; i < BATCH_POINTS; i++)
            if (gen_point(g, model, n, 10.0 * gen_uniform(g), points + i * w))
                return -1;
        return 0;
    }
    /* every query close to every point: the pairs that need the most care */
    if (gen_point(g, model, n, 15.0 + 15.0 * gen_uniform(g), centre))
        return -1;
    for (int q = 0; q < QUERIES; q++)
        if (gen_point_at(g, model, n, centre, gen_log_uniform(g, 1e-6, 1e-3),
                         queries + (size_t)q * w))
            return -1;
    for (size_t i = 0; i < BATCH_POINTS; i++)
        if (gen_point_at(g, model, n, centre, gen_log_uniform(g, 1e-6, 1.0), points + i * w))
            return -1;
    return 0;
}

static int run_speed(const options *o)
{
    printf("\n## Throughput\n\n"
           "Batch form: one query against %d points stored contiguously, %d queries per "
           "round; M/s = million distances per second, median of %d repetitions; "
           "ratio = ours/peer in time (median of per-repetition ratios, each from "
           "slices of ~0.04 s measured back to back; > 1 means ours is slower), with "
           "the quartiles of those ratios.  Ours validates every point, as "
           "hyp_dist_batch must; the peers validate nothing.\n",
           BATCH_POINTS, QUERIES, o->reps);
    for (int mix = 0; mix < NMIX; mix++) {
        printf("\n### Points %s\n\n", mix_title[mix]);
        printf("| model | n | ours M/s | peer | peer M/s | ratio ours/peer | quartiles |\n"
               "|---|--:|--:|---|--:|--:|--:|\n");
        for (size_t mi = 0; mi < NMODELS; mi++) {
            const model_spec *m = &MODELS[mi];
            for (int di = 0; di < o->ndims; di++) {
                size_t n = o->dims[di];
                size_t w = hyp_model_width(m->model, n);
                double *queries = malloc(QUERIES * w * sizeof *queries);
                double *points = malloc(BATCH_POINTS * w * sizeof *points);
                double *out = malloc(BATCH_POINTS * sizeof *out);
                if (!queries || !points || !out) {
                    fprintf(stderr, "bench_dist: out of memory\n");
                    return -1;
                }
                gen_rng *g = gen_create((unsigned long)(o->seed * 7919u + mi * 31u + n +
                                                        (uint64_t)mix * 1000u));
                if (g == NULL || make_speed_points(g, mix, m->model, n, queries, points)) {
                    fprintf(stderr, "bench_dist: could not generate points\n");
                    return -1;
                }
                gen_free(g);
                speed_data d = { m->model, n, queries, points, out };

                /* Calibrate: rounds so that ours takes about 0.04 s * scale.  Short
                 * slices, ours and the peers alternating, many repetitions: on a
                 * shared machine the load drifts, and only back-to-back slices see
                 * the same machine. */
                long rounds = 1;
                for (;;) {
                    double t = time_method(&d, m, -1, rounds);
                    if (t > 0.02 || rounds > (1L << 30))
                        break;
                    rounds *= 2;
                }
                double t1 = time_method(&d, m, -1, rounds);
                rounds = (long)ceil(rounds * 0.04 * o->scale / fmax(t1, 1e-9));
                if (rounds < 1)
                    rounds = 1;
                double per_rep = (double)rounds * QUERIES * BATCH_POINTS;

                int np = 0;
                int idx[MAX_PEERS];
                for (int p = 0; p < m->npeers; p++)
                    if (m->peers[p].batch)
                        idx[np++] = p;
                double t_ours[101], t_peer[MAX_PEERS][101], ratio[MAX_PEERS][101];
                for (int rep = 0; rep < o->reps; rep++) {
                    t_ours[rep] = time_method(&d, m, -1, rounds);
                    for (int k = 0; k < np; k++) {
                        t_peer[k][rep] = time_method(&d, m, idx[k], rounds);
                        ratio[k][rep] = t_ours[rep] / t_peer[k][rep];
                    }
                }
                double mo = median(t_ours, o->reps);
                for (int k = 0; k < np; k++) {
                    double mp = median(t_peer[k], o->reps);
                    double mr = median(ratio[k], o->reps); /* sorts ratio[k] */
                    double q1 = ratio[k][(o->reps - 1) / 4];
                    double q3 = ratio[k][o->reps - 1 - (o->reps - 1) / 4];
                    printf("| %s | %zu | %.1f | %s | %.1f | %.2f | %.2f .. %.2f |\n",
                           hyp_model_name(m->model), n, per_rep / mo * 1e-6,
                           m->peers[idx[k]].name, per_rep / mp * 1e-6, mr, q1, q3);
                }
                fflush(stdout);
                free(queries);
                free(points);
                free(out);
            }
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    options o;
    if (parse_options(argc, argv, &o)) {
        usage(stderr);
        return 2;
    }
    printf("## Distances: accuracy and speed against the textbook formulas\n\n");
    printf("Command: `build/bench/bench_dist --dims ");
    for (int i = 0; i < o.ndims; i++)
        printf("%s%zu", i ? "," : "", o.dims[i]);
    printf(" --seed %llu --scale %g --reps %d%s%s`  \n", (unsigned long long)o.seed, o.scale,
           o.reps, o.accuracy ? "" : " --speed-only", o.speed ? "" : " --accuracy-only");
#ifdef __clang__
#define COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define COMPILER "gcc " __VERSION__
#else
#define COMPILER "unknown compiler"
#endif
    printf("Build: %s, C flags `%s`, plus `%s` for the library's kernels (geom/) and the "
           "textbook peers alike; " COMPILER "; MPFR %s, oracle at %d bits.\n",
           HYP_BENCH_BUILD_TYPE, HYP_BENCH_FLAGS, HYP_BENCH_KERNEL_FLAGS, mpfr_get_version(),
           ORACLE_PREC);
    fflush(stdout);
    if (o.accuracy) {
        printf("\n## Accuracy against MPFR\n\n"
               "Pairs are tallied by the exact radius of the farther point and the exact "
               "distance; a bucket that binary64 cannot populate (a separation below the "
               "rounding of coordinates at that radius) does not appear.  Relative error = "
               "|got - exact| / exact.  Counts: results that were exactly 0 for a positive "
               "distance / NaN or Inf / off by more than 1e-6 relatively (zeros included); "
               "a max relative error of `inf` means a positive result for identical points "
               "or an error beyond 1e300.  "
               "The gensim column 'clipped as trained' first applies gensim's training "
               "projection (norm >= 1 - 1e-5 pulled back inside) to both points; the "
               "unclipped column is the same formula on the points as given.\n");
        fflush(stdout);
        if (run_accuracy(&o))
            return 1;
        if (o.hard_pairs && run_hard_pairs(&o))
            return 1;
        print_alarms();
        fflush(stdout);
    }
    if (o.speed && run_speed(&o))
        return 1;
    return 0;
}
