/*
 * bench_index_ops.c — one index operation timed on an existing store, for
 * A/B runs of two builds of the library on the same store (build this file
 * in each, or compile it by hand against an older libhyperstore.a, and run
 * them alternately; the machines here are shared, so compare medians).
 *
 *   bench_index_ops query STORE EF QUERIES
 *       QUERIES searches by id (ids below the store's count, a fixed
 *       pseudo-random sequence), k 10, no distances; prints QPS from the
 *       thread's CPU time (less sensitive than wall time to the other core's
 *       load), the median of 3 passes.
 *   bench_index_ops insert STORE BATCHES SEED
 *       BATCHES commits of 100 new random Lorentz points (labels from SEED,
 *       so reruns on one store need new seeds); prints points per second of
 *       wall time (the commits' fsyncs included).
 * The store must have an index and be in the Lorentz model (insert).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hyp_index.h"

static double seconds(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static uint64_t next(uint64_t *x)
{
    *x = *x * 6364136223846793005u + 1442695040888963407u;
    return *x >> 11;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int query(hyp_store *s, hyp_index *ix, size_t ef, size_t nq)
{
    hyp_store_info info;
    hyp_searcher *sr;
    if (hyp_store_get_info(s, &info) != HYP_OK || info.count == 0 ||
        hyp_searcher_create(ix, &sr) != HYP_OK)
        return 1;
    double qps[3];
    for (int pass = 0; pass < 3; pass++) {
        uint64_t x = 12345;
        double t0 = seconds(CLOCK_THREAD_CPUTIME_ID);
        for (size_t i = 0; i < nq; i++) {
            hyp_query q = { .id = next(&x) % info.count, .k = 10, .ef = ef,
                            .flags = HYP_SEARCH_NO_DIST };
            hyp_hit hits[10];
            size_t n;
            int rc = hyp_search(sr, &q, hits, &n);
            if (rc != HYP_OK && rc != HYP_ENOTFOUND) {
                fprintf(stderr, "search: %s\n", hyp_strerror(rc));
                return 1;
            }
        }
        qps[pass] = (double)nq / (seconds(CLOCK_THREAD_CPUTIME_ID) - t0);
    }
    qsort(qps, 3, sizeof *qps, cmp_double);
    printf("ef %zu: %.0f QPS (thread CPU time, median of 3)\n", ef, qps[1]);
    hyp_searcher_destroy(sr);
    return 0;
}

static int insert(hyp_store *s, size_t batches, uint64_t seed)
{
    enum { DIM = 10, PER = 100 };
    uint64_t x = seed;
    double t0 = seconds(CLOCK_MONOTONIC);
    for (size_t b = 0; b < batches; b++) {
        hyp_batch *bt;
        if (hyp_batch_begin(s, &bt) != HYP_OK)
            return 1;
        for (int i = 0; i < PER; i++) {
            double v[DIM + 1], sq = 0;
            for (int j = 1; j <= DIM; j++) {
                v[j] = ((double)next(&x) / 9007199254740992.0 - 0.5) * 4;
                sq += v[j] * v[j];
            }
            v[0] = sqrt(1 + sq);
            char label[48];
            snprintf(label, sizeof label, "ops%llu_%zu_%d", (unsigned long long)seed, b, i);
            int rc = hyp_batch_put(bt, label, strlen(label), v, 0, NULL);
            if (rc != HYP_OK) {
                fprintf(stderr, "put: %s\n", hyp_strerror(rc));
                hyp_batch_abort(bt);
                return 1;
            }
        }
        int rc = hyp_batch_commit(bt, NULL, NULL);
        if (rc != HYP_OK) {
            fprintf(stderr, "commit: %s\n", hyp_strerror(rc));
            return 1;
        }
    }
    printf("%.0f points/s (%zu commits of %d)\n",
           (double)(batches * PER) / (seconds(CLOCK_MONOTONIC) - t0), batches, PER);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 5 || (strcmp(argv[1], "query") && strcmp(argv[1], "insert"))) {
        fprintf(stderr, "usage: bench_index_ops query STORE EF QUERIES\n"
                        "       bench_index_ops insert STORE BATCHES SEED\n");
        return 2;
    }
    int reading = !strcmp(argv[1], "query");
    hyp_store *s;
    hyp_index *ix;
    if (hyp_store_open(argv[2], reading ? HYP_STORE_RDONLY : 0, &s) != HYP_OK) {
        fprintf(stderr, "cannot open %s\n", argv[2]);
        return 1;
    }
    if (hyp_index_open(s, &ix) != HYP_OK) {
        fprintf(stderr, "%s has no index\n", argv[2]);
        hyp_store_close(s);
        return 1;
    }
    int rc = reading ? query(s, ix, strtoul(argv[3], NULL, 10), strtoul(argv[4], NULL, 10))
                     : insert(s, strtoul(argv[3], NULL, 10), strtoull(argv[4], NULL, 10));
    hyp_index_close(ix);
    hyp_store_close(s);
    return rc;
}
