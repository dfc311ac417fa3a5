/*
 * bench_predicate.c — the cost of the exact comparison hyp_dist_cmp, and how
 * often its filter escalates to exact arithmetic, against the two ways a
 * caller would otherwise rank: two hyp_dist calls and a comparison of the
 * rounded distances (not exact: near-ties can come out either way or tie
 * falsely), and two textbook distances (gensim / acosh(-<x,y>_L) / via
 * Lorentz; wrong on close pairs).
 *
 * Usage: bench_predicate [--seed N] [--reps N]
 * Data, per model and n in {2, 10, 64}, 2000 triples (q, a, b):
 *   random  independent points, radii log-uniform up to 30 / 300 / 1e4;
 *   near    b = a moved by 1..2 ulp per coordinate (every comparison is a
 *           near-tie below the filter's threshold);
 *   ties    q on an axis and b = a mirrored in it (exact ties).
 * Times are medians over --reps passes of ns per comparison.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gen.h"
#include "textbook.h"

#define COUNT 2000
#define NMAX 64

static double now(void)
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

static double textbook(hyp_model m, size_t n, const double *x, const double *y)
{
    return m == HYP_POINCARE ? tb_gensim_dist(n, x, y)
           : m == HYP_LORENTZ ? tb_lorentz_dist(n, x, y)
                              : tb_euclid_dist(n, x, y);
}

static volatile long sink;

/* ns per comparison for method 0 (hyp_dist_cmp), 1 (two hyp_dist), 2 (textbook) */
static double run(int method, hyp_model m, size_t n, const double *t)
{
    size_t w = hyp_model_width(m, n);
    long acc = 0;
    double t0 = now();
    for (int i = 0; i < COUNT; i++) {
        const double *q = t + (size_t)i * 3 * w, *a = q + w, *b = a + w;
        int o = 0;
        if (method == 0) {
            hyp_dist_cmp(m, n, q, a, b, &o);
        } else if (method == 1) {
            double da, db;
            hyp_dist(m, n, q, a, &da);
            hyp_dist(m, n, q, b, &db);
            o = (da > db) - (da < db);
        } else {
            double da = textbook(m, n, q, a), db = textbook(m, n, q, b);
            o = (da > db) - (da < db);
        }
        acc += o;
    }
    sink += acc;
    return (now() - t0) * 1e9 / COUNT;
}

static void make(gen_rng *g, int kind, hyp_model m, size_t n, double *t)
{
    size_t w = hyp_model_width(m, n), off = m == HYP_LORENTZ ? 1 : 0;
    double top = m == HYP_POINCARE ? 30.0 : m == HYP_LORENTZ ? 300.0 : 1e4;
    double dir[NMAX] = { 1.0 };
    for (int i = 0; i < COUNT; i++) {
        double *q = t + (size_t)i * 3 * w, *a = q + w, *b = a + w;
        while (gen_point(g, m, n, gen_log_uniform(g, 1e-3, top), a) != GEN_OK)
            ;
        if (kind == 2) {
            while (gen_point_dir(m, n, dir, gen_log_uniform(g, 1e-3, top), q) != GEN_OK)
                ;
            memcpy(b, a, w * sizeof *a);
            for (size_t j = 1; j < n; j++)
                b[off + j] = -a[off + j];
            continue;
        }
        while (gen_point(g, m, n, gen_log_uniform(g, 1e-3, top), q) != GEN_OK)
            ;
        if (kind == 0) {
            while (gen_point(g, m, n, gen_log_uniform(g, 1e-3, top), b) != GEN_OK)
                ;
        } else {
            do
                gen_point_ulps(g, m, n, a, 2, b);
            while (hyp_point_check(m, n, b) != HYP_OK || !memcmp(a, b, w * sizeof *b));
        }
    }
}

int main(int argc, char **argv)
{
    unsigned long seed = 20261129;
    int reps = 9;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seed"))
            seed = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--reps"))
            reps = atoi(argv[i + 1]);
    }
    if (reps < 1 || reps > 1000) {
        fprintf(stderr, "usage: bench_predicate [--seed N] [--reps N]\n");
        return 2;
    }
    gen_rng *g = gen_create(seed);
    double *t = malloc(sizeof(double) * COUNT * 3 * (NMAX + 1));
    if (!g || !t)
        return 2;
    static const char *kinds[] = { "random", "near", "ties" };
    const hyp_model models[] = { HYP_POINCARE, HYP_LORENTZ, HYP_EUCLID };
    const size_t dims[] = { 2, 10, 64 };
    printf("Command: bench_predicate --seed %lu --reps %d; %d triples per row, "
           "median ns per comparison over the passes.\n\n",
           seed, reps, COUNT);
    printf("| model | n | data | escalated | hyp_dist_cmp ns | two hyp_dist ns | two textbook ns "
           "| cmp / two hyp_dist | cmp / textbook |\n|---|--:|---|--:|--:|--:|--:|--:|--:|\n");
    for (int mi = 0; mi < 3; mi++) {
        for (int di = 0; di < 3; di++) {
            for (int k = 0; k < 3; k++) {
                hyp_model m = models[mi];
                size_t n = dims[di];
                make(g, k, m, n, t);
                unsigned long e0 = hyp_exact_escalations();
                double ns[3][1000];
                for (int r = 0; r < reps; r++)
                    for (int meth = 0; meth < 3; meth++)
                        ns[meth][r] = run(meth, m, n, t);
                double esc = (double)(hyp_exact_escalations() - e0) / (reps * COUNT);
                double med[3];
                for (int meth = 0; meth < 3; meth++) {
                    qsort(ns[meth], (size_t)reps, sizeof(double), cmp_double);
                    med[meth] = ns[meth][reps / 2];
                }
                printf("| %s | %zu | %s | %.1f%% | %.0f | %.0f | %.0f | %.2f | %.1f |\n",
                       hyp_model_name(m), n, kinds[k], 100.0 * esc, med[0], med[1], med[2],
                       med[0] / med[1], med[0] / med[2]);
            }
        }
    }
    free(t);
    gen_free(g);
    return 0;
}
