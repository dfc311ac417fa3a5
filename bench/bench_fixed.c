/*
 * bench_fixed.c — fixed point against binary64 (issue 3): distance
 * throughput per model, format and dimension, and the cost of the exact
 * comparisons, hyp_fixed_dist_cmp beside hyp_dist_cmp, on random data and
 * on adversarial near-ties, in the same run.
 *
 * Usage: bench_fixed [--seed N] [--reps N] [--count N]
 * Data, per model and n in {2, 10, 64}: --count triples (q, a, b) of
 * independent points at radii log-uniform in [0.01, R], R = 20 (Poincaré,
 * Euclid) or 10 (Lorentz), which every format holds (q32: 22.2, 11.1, 256).
 * Each format converts the same doubles (hyp_fixed_from_double); binary64
 * uses them as they are.  Comparison data:
 *   random  the triples as drawn;
 *   near    b = a with its last word moved by one unit (fixed), or its last
 *           coordinate by one ulp (binary64): the closest non-ties;
 *   ties    q's last word (coordinate) 0 and b = a with its last word
 *           negated: mirror images, exact ties.
 * "escalated" is the fraction of hyp_dist_cmp calls its floating-point filter
 * could not decide (hyp_exact_escalations).  The fixed comparisons have no
 * filter to count: Poincaré and Lorentz evaluate an integer polynomial
 * exactly every time; Euclid refines internally (its near/ties columns show
 * what that costs).  Times: median over --reps passes, ns per call.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gen.h"
#include "hyp_fixed.h"

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

static volatile unsigned long long sink;

typedef struct data {
    hyp_model m;
    size_t n, w, count;
    double *x;                 /* 3 * count points: q, a, b */
    unsigned char *fx[3];      /* the same in q32, q64, q128 */
    size_t size[3];
} data;

/* One timed pass.  fmt: -1 binary64, 0..2 q32..q128.  op 0: distance
 * d(q, a) and d(a, b); op 1: comparison.  Returns ns per call. */
static double pass(const data *d, int fmt, int op)
{
    unsigned long long acc = 0;
    double t0 = now();
    for (size_t i = 0; i < d->count; i++) {
        if (fmt < 0) {
            const double *q = d->x + 3 * i * d->w, *a = q + d->w, *b = a + d->w;
            if (op == 0) {
                double r1, r2;
                hyp_dist(d->m, d->n, q, a, &r1);
                hyp_dist(d->m, d->n, a, b, &r2);
                acc += (unsigned long long)(r1 + r2);
            } else {
                int o;
                hyp_dist_cmp(d->m, d->n, q, a, b, &o);
                acc += (unsigned)o;
            }
        } else {
            hyp_fixed_format f = (hyp_fixed_format)(HYP_FIXED_Q32 + fmt);
            size_t s = d->size[fmt];
            const unsigned char *q = d->fx[fmt] + 3 * i * s, *a = q + s, *b = a + s;
            if (op == 0) {
                uint64_t r1, r2;
                hyp_fixed_dist(f, d->m, d->n, q, a, &r1);
                hyp_fixed_dist(f, d->m, d->n, a, b, &r2);
                acc += r1 + r2;
            } else {
                int o;
                hyp_fixed_dist_cmp(f, d->m, d->n, q, a, b, &o);
                acc += (unsigned)o;
            }
        }
    }
    double t = now() - t0;
    sink += acc;
    return t * 1e9 / (double)(d->count * (op == 0 ? 2 : 1));
}

static double median(const data *d, int fmt, int op, int reps)
{
    double ns[64];
    for (int r = 0; r < reps; r++)
        ns[r] = pass(d, fmt, op);
    qsort(ns, (size_t)reps, sizeof ns[0], cmp_double);
    return ns[reps / 2];
}

/* Adds `delta` units to word i of a fixed point (two's complement). */
static void word_add(hyp_fixed_format f, unsigned char *x, size_t i, int delta, int negate,
                     int zero)
{
    size_t ws = hyp_fixed_word_size(f);
    unsigned char *p = x + i * ws;
    if (zero) {
        memset(p, 0, ws);
        return;
    }
    if (ws == 4) {
        uint32_t u;
        memcpy(&u, p, 4);
        u = negate ? 0u - u : u + (uint32_t)delta;
        memcpy(p, &u, 4);
    } else if (ws == 8) {
        uint64_t u;
        memcpy(&u, p, 8);
        u = negate ? 0u - u : u + (uint64_t)(int64_t)delta;
        memcpy(p, &u, 8);
    } else {
        hyp_q128 v;
        memcpy(&v, p, 16);
        if (negate) {
            v.hi = ~v.hi + (v.lo == 0);
            v.lo = 0u - v.lo;
        } else {
            uint64_t lo = v.lo + (uint64_t)(int64_t)delta;
            v.hi += (delta > 0 && lo < v.lo) ? 1 : (delta < 0 && lo > v.lo) ? (uint64_t)-1 : 0;
            v.lo = lo;
        }
        memcpy(p, &v, 16);
    }
}

/* Rewrites the triples for kind 1 (near) or 2 (ties), in every format. */
static void adversarial(data *d, int kind)
{
    size_t last = d->w - 1; /* last coordinate; the last word is at the same index */
    for (size_t i = 0; i < d->count; i++) {
        double *q = d->x + 3 * i * d->w, *a = q + d->w, *b = a + d->w;
        memcpy(b, a, d->w * sizeof(double));
        if (kind == 1) {
            /* one ulp toward the origin (stays a valid point) */
            b[last] = b[last] != 0.0 ? nextafter(b[last], 0.0) : 0x1p-1074;
        } else {
            q[last] = 0.0;
            b[last] = -a[last];
        }
        if (d->m == HYP_LORENTZ) { /* keep x0 consistent */
            double s[NMAX];
            memcpy(s, q + 1, d->n * sizeof(double));
            hyp_lorentz_lift(d->n, s, q);
            memcpy(s, b + 1, d->n * sizeof(double));
            hyp_lorentz_lift(d->n, s, b);
        }
        for (int f = 0; f < 3; f++) {
            hyp_fixed_format ff = (hyp_fixed_format)(HYP_FIXED_Q32 + f);
            size_t s = d->size[f];
            unsigned char *fq = d->fx[f] + 3 * i * s, *fa = fq + s, *fb = fa + s;
            size_t lw = hyp_fixed_words(d->m, d->n) - 1;
            memcpy(fb, fa, s);
            if (kind == 1) {
                /* one unit toward zero, or away from zero if the word is 0 */
                unsigned char tmp[16] = { 0 };
                memcpy(tmp, fb + lw * hyp_fixed_word_size(ff), hyp_fixed_word_size(ff));
                int neg = (tmp[hyp_fixed_word_size(ff) - 1] & 0x80) != 0;
                int zero = 1;
                for (size_t k = 0; k < hyp_fixed_word_size(ff); k++)
                    zero &= tmp[k] == 0;
                word_add(ff, fb, lw, zero ? 1 : neg ? 1 : -1, 0, 0);
            } else {
                word_add(ff, fq, lw, 0, 0, 1);
                word_add(ff, fb, lw, 0, 1, 0);
            }
        }
    }
}

static int make(gen_rng *g, data *d, double rmax)
{
    for (size_t i = 0; i < 3 * d->count; i++) {
        double *x = d->x + i * d->w;
        if (gen_point(g, d->m, d->n, gen_log_uniform(g, 0.01, rmax), x) != HYP_OK)
            return -1;
        for (int f = 0; f < 3; f++)
            if (hyp_fixed_from_double((hyp_fixed_format)(HYP_FIXED_Q32 + f), d->m, d->n, x,
                                      d->fx[f] + i * d->size[f]) != HYP_OK)
                return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long seed = 20261129;
    int reps = 5;
    size_t count = 1000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seed"))
            seed = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--reps"))
            reps = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--count"))
            count = strtoul(argv[i + 1], NULL, 10);
    }
    if (reps < 1 || reps > 64 || count < 1 || count > 1000000) {
        fprintf(stderr, "usage: bench_fixed [--seed N] [--reps 1..64] [--count N]\n");
        return 2;
    }
    gen_rng *g = gen_create(seed);
    data d = { 0 };
    d.count = count;
    d.x = malloc(3 * count * (NMAX + 1) * sizeof(double));
    for (int f = 0; f < 3; f++)
        d.fx[f] = malloc(3 * count * 16 * (NMAX + 1));
    if (!g || !d.x || !d.fx[0] || !d.fx[1] || !d.fx[2])
        return 2;
    const hyp_model models[] = { HYP_POINCARE, HYP_LORENTZ, HYP_EUCLID };
    const double rmax[] = { 20.0, 10.0, 20.0 };
    const size_t dims[] = { 2, 10, 64 };
    static const char *kinds[] = { "random", "near", "ties" };
    double cmp_ns[3][3][3][4], esc[3][3][3];

    printf("Command: bench_fixed --seed %lu --reps %d --count %zu; median ns per call.\n\n", seed,
           reps, count);
    printf("Distance (random pairs): ns per distance, and fixed / binary64.\n\n"
           "| model | n | f64 ns | q32 ns | q64 ns | q128 ns | q32/f64 | q64/f64 | q128/f64 |\n"
           "|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (int mi = 0; mi < 3; mi++) {
        for (int di = 0; di < 3; di++) {
            d.m = models[mi];
            d.n = dims[di];
            d.w = hyp_model_width(d.m, d.n);
            for (int f = 0; f < 3; f++)
                d.size[f] = hyp_fixed_size((hyp_fixed_format)(HYP_FIXED_Q32 + f), d.m, d.n);
            if (make(g, &d, rmax[mi]) != 0) {
                fprintf(stderr, "bench_fixed: cannot generate points\n");
                return 2;
            }
            double ns[4];
            for (int f = -1; f < 3; f++)
                ns[f + 1] = median(&d, f, 0, reps);
            printf("| %s | %zu | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f |\n",
                   hyp_model_name(d.m), d.n, ns[0], ns[1], ns[2], ns[3], ns[1] / ns[0],
                   ns[2] / ns[0], ns[3] / ns[0]);
            fflush(stdout);
            for (int k = 0; k < 3; k++) {
                if (k > 0)
                    adversarial(&d, k);
                unsigned long e0 = hyp_exact_escalations();
                for (int f = -1; f < 3; f++)
                    cmp_ns[mi][di][k][f + 1] = median(&d, f, 1, reps);
                esc[mi][di][k] = (double)(hyp_exact_escalations() - e0) / (double)(reps * count);
            }
        }
    }
    printf("\nExact comparison d(q,a) vs d(q,b): ns per call; 'escalated' is the share of\n"
           "hyp_dist_cmp calls its filter passed to exact arithmetic.\n\n"
           "| model | n | data | f64 hyp_dist_cmp ns | escalated | q32 ns | q64 ns | q128 ns |\n"
           "|---|--:|---|--:|--:|--:|--:|--:|\n");
    for (int mi = 0; mi < 3; mi++)
        for (int di = 0; di < 3; di++)
            for (int k = 0; k < 3; k++) {
                const double *c = cmp_ns[mi][di][k];
                printf("| %s | %zu | %s | %.0f | %.3f | %.0f | %.0f | %.0f |\n",
                       hyp_model_name(models[mi]), dims[di], kinds[k], c[0], esc[mi][di][k], c[1],
                       c[2], c[3]);
            }
    printf("\n(sink %llu)\n", (unsigned long long)(sink & 1));
    gen_free(g);
    free(d.x);
    for (int f = 0; f < 3; f++)
        free(d.fx[f]);
    return 0;
}
