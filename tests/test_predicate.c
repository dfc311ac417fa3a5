/*
 * test_predicate.c — hyp_dist_cmp and hyp_radius_cmp against the MPFR oracle.
 *
 * For every model and n in {2, 3, 10, 64}:
 *   random   q, a, b at independent radii (the filter decides);
 *   ulps     b = a moved by 1..2 ulp per coordinate: the distances agree to
 *            about 2^-52, below the filter's 2^-44, so the exact path decides;
 *   mirror   q on the first axis and b = a reflected in it (an isometry that
 *            fixes q): an exact tie, then b moved by one ulp (exact path);
 *   perm     q with equal coordinates and b = a with two coordinates swapped
 *            (again an isometry fixing q): a tie; the same with q = origin;
 *   radius   hyp_radius_cmp on permuted points (ties) and ulp-moved ones.
 * The expected order is the sign of the difference of the two oracle
 * distances at 576 bits (their relative error is below 2^-540, far below the
 * 2^-60 by which 1-ulp moves separate the distances).  Ties by construction
 * are asserted as ties, and the oracle must agree.  Antisymmetry: swapping a
 * and b negates the order.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"
#include "oracle.h"

#define NMAX 64

static long checks, failures;

static int oracle_order(hyp_model model, size_t n, const double *q, const double *a,
                        const double *b)
{
    mpfr_t da, db;
    mpfr_inits2(ORACLE_PREC, da, db, (mpfr_ptr)0);
    oracle_dist(model, n, q, a, da);
    oracle_dist(model, n, q, b, db);
    int c = mpfr_cmp(da, db);
    mpfr_clears(da, db, (mpfr_ptr)0);
    return (c > 0) - (c < 0);
}

static int oracle_radius_order(hyp_model model, size_t n, const double *a, const double *b)
{
    mpfr_t ra, rb;
    mpfr_inits2(ORACLE_PREC, ra, rb, (mpfr_ptr)0);
    oracle_radius(model, n, a, ra);
    oracle_radius(model, n, b, rb);
    int c = mpfr_cmp(ra, rb);
    mpfr_clears(ra, rb, (mpfr_ptr)0);
    return (c > 0) - (c < 0);
}

static void fail(const char *what, hyp_model model, size_t n, int got, int want)
{
    failures++;
    if (failures <= 20)
        fprintf(stderr, "FAIL %s model %s n=%zu: order %d, expected %d\n", what,
                hyp_model_name(model), n, got, want);
}

/* Checks hyp_dist_cmp(q, a, b) against want (and its antisymmetry). */
static void check_cmp(const char *what, hyp_model model, size_t n, const double *q,
                      const double *a, const double *b, int want)
{
    int got = 2, back = 2;
    checks++;
    if (hyp_dist_cmp(model, n, q, a, b, &got) != HYP_OK ||
        hyp_dist_cmp(model, n, q, b, a, &back) != HYP_OK) {
        fail(what, model, n, 99, want);
        return;
    }
    if (got != want || back != -want)
        fail(what, model, n, got, want);
}

static void check_radius(const char *what, hyp_model model, size_t n, const double *a,
                         const double *b, int want)
{
    int got = 2;
    checks++;
    if (hyp_radius_cmp(model, n, a, b, &got) != HYP_OK || got != want)
        fail(what, model, n, got, want);
}

static double radius_for(gen_rng *g, hyp_model model)
{
    double top = model == HYP_POINCARE ? 30.0 : model == HYP_LORENTZ ? 300.0 : 1e4;
    return gen_log_uniform(g, 1e-6, top);
}

/* A random valid point (retries on the rare rounding onto the boundary). */
static void point(gen_rng *g, hyp_model model, size_t n, double *x)
{
    while (gen_point(g, model, n, radius_for(g, model), x) != GEN_OK)
        ;
}

/* b = a moved by 1..2 ulp, valid and different from a. */
static void moved(gen_rng *g, hyp_model model, size_t n, const double *a, double *b)
{
    size_t w = hyp_model_width(model, n);
    do {
        gen_point_ulps(g, model, n, a, 2, b);
    } while (hyp_point_check(model, n, b) != HYP_OK || !memcmp(a, b, w * sizeof *b));
}

static void run_model(gen_rng *g, hyp_model model, size_t n, int count)
{
    size_t off = model == HYP_LORENTZ ? 1 : 0, w = hyp_model_width(model, n);
    double q[NMAX + 1], a[NMAX + 1], b[NMAX + 1], dir[NMAX];
    for (int it = 0; it < count; it++) {
        /* random */
        point(g, model, n, q);
        point(g, model, n, a);
        point(g, model, n, b);
        check_cmp("random", model, n, q, a, b, oracle_order(model, n, q, a, b));

        /* ulps: a and b nearly equal, q random or near them */
        moved(g, model, n, a, b);
        check_cmp("ulps", model, n, q, a, b, oracle_order(model, n, q, a, b));
        gen_point_at(g, model, n, a, 1e-3, q);
        if (hyp_point_check(model, n, q) == HYP_OK)
            check_cmp("ulps-near", model, n, q, a, b, oracle_order(model, n, q, a, b));

        /* mirror: q on the first axis, b = a reflected in it */
        memset(dir, 0, sizeof dir);
        dir[0] = 1.0;
        while (gen_point_dir(model, n, dir, radius_for(g, model), q) != GEN_OK)
            ;
        memcpy(b, a, w * sizeof *a);
        for (size_t i = 1; i < n; i++)
            b[off + i] = -a[off + i];
        if (oracle_order(model, n, q, a, b) != 0)
            fail("mirror (oracle)", model, n, 1, 0);
        check_cmp("mirror", model, n, q, a, b, 0);
        size_t j = 1 + gen_index(g, n - 1);
        b[off + j] = nextafter(b[off + j], gen_uniform(g) < 0.5 ? -INFINITY : INFINITY);
        if (model == HYP_LORENTZ)
            hyp_lorentz_lift(n, b + 1, b);
        if (hyp_point_check(model, n, b) == HYP_OK)
            check_cmp("mirror-ulp", model, n, q, a, b, oracle_order(model, n, q, a, b));

        /* perm: q with equal coordinates (or the origin), b = a with a swap */
        double c = gen_uniform(g) < 0.25 ? 0.0 : (gen_uniform(g) - 0.5) / sqrt((double)n);
        for (size_t i = 0; i < n; i++)
            dir[i] = 1.0;
        double rq = c == 0.0 ? 0.0 : radius_for(g, model);
        while (gen_point_dir(model, n, dir, rq, q) != GEN_OK)
            rq *= 0.5;
        /* the rounded coordinates of q must be exactly equal for the swap
         * to be an isometry fixing q */
        for (size_t i = 1; i < n; i++)
            q[off + i] = q[off];
        if (model == HYP_LORENTZ)
            hyp_lorentz_lift(n, q + 1, q);
        if (hyp_point_check(model, n, q) != HYP_OK)
            continue;
        memcpy(b, a, w * sizeof *a);
        size_t i0 = gen_index(g, n), i1 = (i0 + 1 + gen_index(g, n - 1)) % n;
        b[off + i0] = a[off + i1];
        b[off + i1] = a[off + i0];
        check_cmp("perm", model, n, q, a, b, 0);
        check_radius("radius-perm", model, n, a, b, 0);
        moved(g, model, n, a, b);
        check_radius("radius-ulps", model, n, a, b, oracle_radius_order(model, n, a, b));
    }
}

int main(void)
{
    gen_rng *g = gen_create(20261129);
    if (!g)
        return 2;
    const hyp_model models[] = { HYP_POINCARE, HYP_LORENTZ, HYP_EUCLID };
    const size_t dims[] = { 2, 3, 10, 64 };
    for (int m = 0; m < 3; m++)
        for (int d = 0; d < 4; d++)
            run_model(g, models[m], dims[d], dims[d] == 64 ? 40 : 150);
    gen_free(g);
    printf("%ld checks, %ld failures\n", checks, failures);
    return failures != 0;
}
