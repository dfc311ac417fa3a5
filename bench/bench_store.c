/*
 * bench_store.c — the store's speed and size.
 *
 *   bench_store HYPERSTORE [--points N] [--dim D] [--dir DIR] [--gets G] [--keep]
 *
 * 1. Bulk import: writes N points of dimension D (float64, seeded, inside
 *    the Poincaré ball) as a .npy with a labels file, then times the real CLI
 *    `hyperstore import` into a fresh store (one batch: parse, validate,
 *    write, state hash, commit with fsync).  Peer: the physical limit of
 *    reading the same .npy into memory (cat-to-/dev/null speed, measured in
 *    the same run).
 * 2. Random get by label: G lookups of random labels (label -> id -> point,
 *    decoded), in one read transaction and with one read transaction each,
 *    on one core.  Peer: the same number of lookups in a sorted in-memory
 *    array of labels with bsearch.
 * 3. Size: data.mdb against the raw data (N * D * 8 bytes of coordinates
 *    plus the label bytes).
 * DIR is removed at the end; with --keep, DIR/points.npy and DIR/labels.txt
 * stay, as inputs for profiling `hyperstore import` alone.
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hyp_store.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static uint64_t state = 42;
static uint64_t rng(void)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *cli = argc > 1 ? argv[1] : NULL;
    long n = 1000000, dim = 10, gets = 1000000;
    const char *dir = "/tmp/hyp_bench_store";
    int keep = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--keep") == 0) {
            keep = 1;
            continue;
        }
        if (i + 1 == argc)
            break;
        if (strcmp(argv[i], "--points") == 0)
            n = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--dim") == 0)
            dim = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--dir") == 0)
            dir = argv[i + 1];
        else if (strcmp(argv[i], "--gets") == 0)
            gets = atol(argv[i + 1]);
        i++;
    }
    if (cli == NULL || n < 1 || dim < 1) {
        fprintf(stderr, "usage: bench_store HYPERSTORE [--points N] [--dim D] [--dir DIR] [--gets G] "
                        "[--keep]\n");
        return 2;
    }
    char npy[1024], labels[1024], store[1024], cmd[4096];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    if (system(cmd) != 0)
        return 2;
    snprintf(npy, sizeof npy, "%s/points.npy", dir);
    snprintf(labels, sizeof labels, "%s/labels.txt", dir);
    snprintf(store, sizeof store, "%s/store", dir);

    /* The .npy: header padded to 64 bytes as numpy does, then the rows. */
    FILE *f = fopen(npy, "wb");
    char header[256];
    int hl = snprintf(header, sizeof header,
                      "{'descr': '<f8', 'fortran_order': False, 'shape': (%ld, %ld), }", n, dim);
    int total = 10 + hl + 1;
    int pad = (64 - total % 64) % 64;
    fwrite("\x93NUMPY\x01\x00", 1, 8, f);
    unsigned short hlen = (unsigned short)(hl + pad + 1);
    unsigned char hb[2] = { (unsigned char)hlen, (unsigned char)(hlen >> 8) };
    fwrite(hb, 1, 2, f);
    fwrite(header, 1, (size_t)hl, f);
    for (int i = 0; i < pad; i++)
        fputc(' ', f);
    fputc('\n', f);
    double *row = malloc((size_t)dim * sizeof *row);
    FILE *lf = fopen(labels, "w");
    size_t label_bytes = 0;
    for (long i = 0; i < n; i++) {
        /* Uniform in a cube of half-width 0.9 / sqrt(dim): inside the ball. */
        for (long j = 0; j < dim; j++)
            row[j] = ((double)(rng() >> 11) * 0x1p-53 * 2 - 1) * 0.9 / (dim > 1 ? 3.2 : 1);
        fwrite(row, sizeof *row, (size_t)dim, f);
        label_bytes += (size_t)fprintf(lf, "node%08ld\n", (i * 7919) % n) - 1;
    }
    fclose(f);
    fclose(lf);
    free(row);

    /* Peer: reading the .npy. */
    double t0 = now();
    snprintf(cmd, sizeof cmd, "cat '%s' '%s' > /dev/null", npy, labels);
    if (system(cmd) != 0)
        return 2;
    double t_cat = now() - t0;

    snprintf(cmd, sizeof cmd, "'%s' init '%s' --model poincare --dim %ld", cli, store, dim);
    if (system(cmd) != 0)
        return 2;
    snprintf(cmd, sizeof cmd, "'%s' import '%s' '%s' --labels '%s' > /dev/null", cli, store, npy,
             labels);
    t0 = now();
    if (system(cmd) != 0)
        return 1;
    double t_import = now() - t0;

    hyp_store *s;
    hyp_store_info info;
    if (hyp_store_open(store, HYP_STORE_RDONLY, &s) != HYP_OK)
        return 1;
    hyp_store_get_info(s, &info);
    t0 = now();
    unsigned char h[HYP_HASH_SIZE];
    hyp_store_hash(s, h);
    double t_hash = now() - t0;

    /* Random gets by label. */
    char label[32];
    double *x = malloc((size_t)dim * sizeof *x), sink = 0;
    hyp_read *r;
    uint64_t id;
    long found = 0;
    hyp_read_begin(s, &r);
    t0 = now();
    for (long g = 0; g < gets; g++) {
        snprintf(label, sizeof label, "node%08ld", (long)(rng() % (uint64_t)n));
        if (hyp_read_find(r, label, strlen(label), &id) == HYP_OK &&
            hyp_read_point_f64(r, id, x) == HYP_OK) {
            found++;
            sink += x[0];
        }
    }
    double t_get = now() - t0;
    hyp_read_end(r);
    long gets2 = gets / 10;
    t0 = now();
    for (long g = 0; g < gets2; g++) {
        snprintf(label, sizeof label, "node%08ld", (long)(rng() % (uint64_t)n));
        hyp_read_begin(s, &r);
        if (hyp_read_find(r, label, strlen(label), &id) == HYP_OK &&
            hyp_read_point_f64(r, id, x) == HYP_OK)
            sink += x[0];
        hyp_read_end(r);
    }
    double t_get_txn = now() - t0;
    hyp_store_close(s);

    /* Peer: bsearch in a sorted array of the same labels. */
    char **arr = malloc((size_t)n * sizeof *arr);
    for (long i = 0; i < n; i++) {
        arr[i] = malloc(32);
        snprintf(arr[i], 32, "node%08ld", i);
    }
    qsort(arr, (size_t)n, sizeof *arr, cmp_str);
    t0 = now();
    long found2 = 0;
    for (long g = 0; g < gets; g++) {
        snprintf(label, sizeof label, "node%08ld", (long)(rng() % (uint64_t)n));
        char *key = label;
        found2 += bsearch(&key, arr, (size_t)n, sizeof *arr, cmp_str) != NULL;
    }
    double t_bs = now() - t0;
    for (long i = 0; i < n; i++)
        free(arr[i]);
    free(arr);

    struct stat st;
    char data[1100];
    snprintf(data, sizeof data, "%s/data.mdb", store);
    stat(data, &st);
    double raw = (double)n * dim * 8 + (double)label_bytes;

    printf("store bench: %ld points, dimension %ld, float64 .npy (%s)\n", n, dim, dir);
    printf("bulk import (CLI, one batch, incl. state hash and fsync): %.3f s = %.0f points/s\n",
           t_import, n / t_import);
    printf("  peer: reading the input files (cat): %.3f s = %.0f points/s; import/read = %.1fx\n",
           t_cat, n / t_cat, t_import / t_cat);
    printf("  state hash alone (hyperstore hash): %.3f s\n", t_hash);
    printf("random get by label, one read txn: %.0f gets/s/core (%ld of %ld found)\n",
           gets / t_get, found, gets);
    printf("random get by label, one read txn each: %.0f gets/s/core\n", gets2 / t_get_txn);
    printf("  peer: bsearch in a sorted in-memory label array: %.0f lookups/s (%ld found); "
           "store/peer = %.2f\n",
           gets / t_bs, found2, (gets / t_get) / (gets / t_bs));
    printf("size: data.mdb %.1f MB, raw data %.1f MB (coordinates + labels): %.2fx\n",
           st.st_size / 1e6, raw / 1e6, st.st_size / raw);
    printf("points in store: %llu%s\n", (unsigned long long)info.count, sink == 12345 ? "!" : "");
    if (keep)
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", store);
    else
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) != 0;
}
