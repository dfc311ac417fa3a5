/*
 * bench_index.c — the HNSW index against the exact scan, a plain memory
 * scan, and hnswlib (bench_index_hnswlib, run on the same points and
 * queries from this program).
 *
 *   bench_index [--points N] [--dim D] [--radius R] [--queries Q]
 *               [--dir DIR] [--peer PATH] [--from-store STORE]
 *               [--m M] [--ef-construction E]     (both sides; 16, 200)
 *
 * Data: treegen (tests/index/treegen.h) tree-shaped points, stored in the
 * Lorentz model; Q extra points of the same tree are the queries (vectors).
 * With --from-store, the points of an existing store instead (e.g. the
 * WordNet nouns from `hyperstore embed`), converted to Lorentz f64, every
 * (count / Q)-th one held out as a query.
 * Prints build time, sizes, first-query latency after reopening, the scans,
 * then recall@10 against the exact scan and QPS (1 and 2 threads) per ef,
 * each timing the median of 3 runs, and the exact escalations
 * (hyp_exact_escalations) per query; resident memory (VmRSS, VmHWM: the
 * store's pages are file-backed and count once touched, the benchmark's
 * own copies of the points are listed beside); and QPS at ef 40 while a
 * writer thread inserts new points of the same tree in batches of 100
 * (each batch updates the graph in its commit).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hyp_index.h"
#include "treegen.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* A "Vm...:" figure of /proc/self/status in kB, or -1. */
static long status_kb(const char *key)
{
    char line[256];
    long v = -1;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, strlen(key)) == 0)
            v = strtol(line + strlen(key) + 1, NULL, 10);
    if (f)
        fclose(f);
    return v;
}

typedef struct writer_job {
    hyp_store *s;
    const double *pts;
    size_t count, w;
    volatile int *stop;
    volatile int finished;
    size_t done;
    double secs;
} writer_job;

/* Inserts batches of 100 points until told to stop or out of points. */
static void *writer(void *arg)
{
    writer_job *j = arg;
    double t0 = now();
    while (!*j->stop && j->done < j->count) {
        hyp_batch *b;
        if (hyp_batch_begin(j->s, &b) != HYP_OK)
            break;
        for (size_t k = 0; k < 100 && j->done < j->count; k++, j->done++) {
            char l[32];
            snprintf(l, sizeof l, "w%zu", j->done);
            hyp_batch_put(b, l, strlen(l), j->pts + j->done * j->w, 0, NULL);
        }
        if (hyp_batch_commit(b, NULL, NULL) != HYP_OK)
            break;
    }
    j->secs = now() - t0;
    j->finished = 1;
    return NULL;
}

typedef struct loaded {
    hyp_store_info info;
    hyp_read *r;
    double *x, *v;
    size_t count;
} loaded;

static int take(void *ctx, uint64_t id, const char *label, size_t len, const unsigned char *b)
{
    loaded *l = ctx;
    (void)label, (void)len, (void)b;
    if (hyp_read_point_f64(l->r, id, l->x) != HYP_OK)
        return -1;
    return hyp_convert(l->info.model, HYP_EUCLID, l->info.dim, l->x,
                       l->v + l->count++ * l->info.dim) != HYP_OK;
}

/* Every point of a store, as the Euclidean parametrization (n doubles). */
static int load_store(const char *path, size_t *count, size_t *n, double **v)
{
    hyp_store *s;
    loaded l = { 0 };
    int rc = hyp_store_open(path, HYP_STORE_RDONLY, &s);
    if (rc == HYP_OK)
        rc = hyp_store_get_info(s, &l.info);
    if (rc == HYP_OK && (rc = hyp_read_begin(s, &l.r)) == HYP_OK) {
        l.x = malloc(l.info.width * sizeof *l.x);
        l.v = malloc((l.info.count ? l.info.count : 1) * l.info.dim * sizeof *l.v);
        rc = l.x && l.v ? hyp_read_foreach(l.r, take, &l) : ENOMEM;
        hyp_read_end(l.r);
        free(l.x);
    }
    hyp_store_close(s);
    *count = l.count;
    *n = l.info.dim;
    *v = l.v;
    return rc;
}

/* Recall@10 where a returned point counts if it is no farther than the
 * 10th true neighbour (exactly, hyp_dist_cmp): with many exact ties (a
 * construction puts siblings at equal distances) the ids of a tie are
 * interchangeable, and recall by id would count a correct answer as a miss. */
static double recall_ties(const double *pts, const double *qs, size_t nq, size_t n,
                          const uint64_t *truth, const uint64_t *got)
{
    size_t w = n + 1, hit = 0;
    for (size_t i = 0; i < nq; i++) {
        uint64_t t10 = truth[i * 10 + 9];
        for (size_t a = 0; a < 10; a++) {
            uint64_t g = got[i * 10 + a];
            int order = 1, dup = 0;
            for (size_t b = 0; b < a; b++)
                dup |= got[i * 10 + b] == g;
            if (g == UINT64_MAX || t10 == UINT64_MAX || dup)
                continue;
            hyp_dist_cmp(HYP_LORENTZ, n, qs + i * w, pts + g * w, pts + t10 * w, &order);
            hit += order <= 0;
        }
    }
    return hit / (double)(nq * 10);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

typedef struct job {
    hyp_index *ix;
    const double *q;
    size_t nq, w, ef, from, step;
    uint64_t *out; /* nq * 10 */
} job;

static void *run(void *arg)
{
    job *j = arg;
    hyp_searcher *sr;
    hyp_hit h[10];
    hyp_searcher_create(j->ix, &sr);
    for (size_t i = j->from; i < j->nq; i += j->step) {
        size_t n;
        hyp_query q = { .vector = j->q + i * j->w, .k = 10, .ef = j->ef,
                        .flags = HYP_SEARCH_NO_DIST | (j->ef == 0 ? HYP_SEARCH_EXACT : 0) };
        hyp_search(sr, &q, h, &n);
        for (size_t k = 0; k < 10; k++)
            j->out[i * 10 + k] = k < n ? h[k].id : UINT64_MAX;
    }
    hyp_searcher_destroy(sr);
    return NULL;
}

static double timed(hyp_index *ix, const double *q, size_t nq, size_t w, size_t ef, int threads,
                    uint64_t *out)
{
    pthread_t t[8];
    job j[8];
    double t0 = now();
    for (int i = 0; i < threads; i++) {
        j[i] = (job){ ix, q, nq, w, ef, (size_t)i, (size_t)threads, out };
        pthread_create(&t[i], NULL, run, &j[i]);
    }
    for (int i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
    return nq / (now() - t0);
}

int main(int argc, char **argv)
{
    size_t npts = 100000, n = 10, nq = 1000;
    double radius = 10;
    const char *dir = "/tmp/bench_index", *peer = NULL, *from = NULL;
    unsigned m = 16, efc = 200; /* both sides */
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--points")) npts = strtoul(argv[i + 1], 0, 10);
        else if (!strcmp(argv[i], "--dim")) n = strtoul(argv[i + 1], 0, 10);
        else if (!strcmp(argv[i], "--radius")) radius = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--queries")) nq = strtoul(argv[i + 1], 0, 10);
        else if (!strcmp(argv[i], "--dir")) dir = argv[i + 1];
        else if (!strcmp(argv[i], "--peer")) peer = argv[i + 1];
        else if (!strcmp(argv[i], "--from-store")) from = argv[i + 1];
        else if (!strcmp(argv[i], "--m")) m = (unsigned)strtoul(argv[i + 1], 0, 10);
        else if (!strcmp(argv[i], "--ef-construction")) efc = (unsigned)strtoul(argv[i + 1], 0, 10);
    }
    double *v = NULL;
    if (from && load_store(from, &npts, &n, &v) != 0) {
        fprintf(stderr, "bench_index: cannot read the points of '%s'\n", from);
        return 1;
    }
    if (from)
        npts -= nq; /* the store's points are both */
    size_t w = n + 1, total = npts + nq;
    /* Points and queries from one tree, interleaved so queries are spread
     * (or a store's points, Euclidean-parametrized like treegen's). */
    if (v == NULL) {
        v = malloc(total * n * sizeof *v);
        treegen_points(2024, total, n, radius, 8, 1.0, v);
    }
    double *pts = malloc(npts * w * sizeof *pts), *qs = malloc(nq * w * sizeof *qs);
    size_t ip = 0, iq = 0, stride = total / nq;
    for (size_t i = 0; i < total; i++) {
        int is_q = (i % stride == stride - 1 && iq < nq) || ip == npts;
        double *dst = is_q ? qs + w * iq++ : pts + w * ip++;
        hyp_convert(HYP_EUCLID, HYP_LORENTZ, n, v + i * n, dst);
    }
    free(v);
    char cmd[1200], path[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    if (system(cmd) != 0)
        return 1;
    snprintf(path, sizeof path, "%s/store", dir);
    if (from)
        printf("bench_index: %zu points of %s, dim %zu, %zu of them held out as queries, "
               "Lorentz f64\n", npts, from, n, nq);
    else
        printf("bench_index: %zu points, dim %zu, radius <= %g, %zu queries, Lorentz f64\n",
               npts, n, radius, nq);

    hyp_store *s;
    hyp_index *ix;
    hyp_store_config sc = { .model = HYP_LORENTZ, .dim = n, .map_size = (size_t)1 << 30 };
    if (hyp_store_create(path, &sc, &s) != HYP_OK)
        return 1;
    double t0 = now();
    for (size_t i = 0; i < npts;) {
        hyp_batch *b;
        hyp_batch_begin(s, &b);
        for (size_t j = 0; j < 50000 && i < npts; j++, i++) {
            char l[32];
            snprintf(l, sizeof l, "p%zu", i);
            hyp_batch_put(b, l, strlen(l), pts + i * w, 0, NULL);
        }
        hyp_batch_commit(b, NULL, NULL);
    }
    double t_import = now() - t0;
    t0 = now();
    hyp_index_config cfg = { .m = m, .ef_construction = efc };
    int rc = hyp_index_create(s, &cfg, &ix);
    double t_build = now() - t0;
    if (rc != HYP_OK) {
        fprintf(stderr, "index: %s (%s)\n", hyp_strerror(rc), hyp_store_errmsg(s));
        return 1;
    }
    hyp_index_info ii;
    hyp_store_info si;
    hyp_index_get_info(ix, &ii);
    hyp_store_get_info(s, &si);
    printf("import %.2f s; index build %.2f s (m %u, ef_construction %u); data file %.1f MB, "
           "graph %.1f MB\n", t_import, t_build, m, efc, si.file_bytes / 1e6, ii.bytes / 1e6);
    hyp_index_close(ix);
    hyp_store_close(s);

    /* First query after opening. */
    t0 = now();
    hyp_store_open(path, HYP_STORE_RDONLY, &s);
    hyp_index_open(s, &ix);
    hyp_hit h[10];
    size_t nh;
    hyp_query q0 = { .vector = qs, .k = 10, .ef = 40 };
    hyp_index_search(ix, &q0, h, &nh);
    printf("open + first query: %.2f ms\n", (now() - t0) * 1e3);

    /* Physical limits.  (a) one pass over the search vectors (a, c, u and a
     * flags word: 4 + n doubles per point) packed; (b) the same doubles read
     * at the graph's slot stride (32 + 8n bytes of vector, then 2m ids),
     * which is what a scan of our blocks must stream.  Four accumulators so
     * the pass is bound by memory, not by one add's latency.  Median of 5. */
    {
        size_t per = 4 + n, stride = (32 + 8 * n + 4 * 2 * 16) / 8;
        double *flat = malloc(npts * stride * sizeof *flat), acc = 0, tp[5], ts[5];
        for (size_t i = 0; i < npts * stride; i++)
            flat[i] = (double)(i & 1023);
        for (int r = 0; r < 5; r++) {
            for (int pass = 0; pass < 2; pass++) {
                size_t step = pass ? stride : per;
                double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                t0 = now();
                for (size_t i = 0; i < npts; i++) {
                    const double *v = flat + i * step;
                    size_t j = 0;
                    for (; j + 4 <= per; j += 4) {
                        a0 += v[j];
                        a1 += v[j + 1];
                        a2 += v[j + 2];
                        a3 += v[j + 3];
                    }
                    for (; j < per; j++)
                        a0 += v[j];
                }
                (pass ? ts : tp)[r] = now() - t0;
                acc += (a0 + a1) + (a2 + a3);
            }
        }
        printf("memory pass over the vectors: packed %.3f ms, at the slot stride (%zu B) "
               "%.3f ms (median of 5) [%g]\n",
               median(tp, 5) * 1e3, stride * 8, median(ts, 5) * 1e3, acc > 0 ? 1.0 : 0.0);
        free(flat);
    }
    uint64_t *truth = malloc(nq * 10 * sizeof *truth), *got = malloc(nq * 10 * sizeof *got);
    /* Every timing is the median of 3 runs (the machine may be shared). */
    double t3[3];
    for (int r = 0; r < 3; r++)
        t3[r] = timed(ix, qs, nq, w, 0, 1, truth);
    double qps = median(t3, 3);
    unsigned long esc0 = hyp_exact_escalations();
    printf("exact scan: %.0f QPS (1 thread), %.3f ms per query (median of 3)\n", qps, 1e3 / qps);
    printf("  ef   recall@10   (ties)   QPS 1 thread   QPS 2 threads   exact escalations/query\n");
    size_t efs[] = { 10, 20, 40, 80, 160 };
    for (size_t e = 0; e < sizeof efs / sizeof *efs; e++) {
        unsigned long esc = hyp_exact_escalations();
        double q1s[3], q2s[3];
        for (int r = 0; r < 3; r++) {
            q1s[r] = timed(ix, qs, nq, w, efs[e], 1, got);
            q2s[r] = timed(ix, qs, nq, w, efs[e], 2, got);
        }
        double q1 = median(q1s, 3), q2 = median(q2s, 3);
        double epq = (double)(hyp_exact_escalations() - esc) / (6.0 * (double)nq);
        size_t hit = 0;
        for (size_t i = 0; i < nq; i++)
            for (size_t a = 0; a < 10; a++)
                for (size_t c = 0; c < 10; c++)
                    hit += got[i * 10 + a] == truth[i * 10 + c] && truth[i * 10 + c] != UINT64_MAX;
        printf("%5zu   %.4f   %.4f   %12.0f   %13.0f   %.2f\n", efs[e], hit / (double)(nq * 10),
               recall_ties(pts, qs, nq, n, truth, got), q1, q2, epq);
    }
    printf("exact escalations in the scans and searches: %lu\n", hyp_exact_escalations() - esc0);
    printf("resident memory after the queries: VmRSS %.1f MB, VmHWM %.1f MB (the benchmark's "
           "own point, query and truth arrays: %.1f MB)\n",
           status_kb("VmRSS") / 1024.0, status_kb("VmHWM") / 1024.0,
           (npts + nq) * w * 8 / 1048576.0);
    hyp_index_close(ix);
    hyp_store_close(s);

    /* Queries while a writer inserts (one store handle, shared: LMDB allows
     * one environment per process).  Reader QPS is the median of the
     * passes taken while the writer runs; the writer stops after them. */
    {
        size_t nw = npts / 5;
        double *wv = malloc(nw * n * sizeof *wv), *wp = malloc(nw * w * sizeof *wp);
        treegen_points(4048, nw, n, radius, 8, 1.0, wv);
        for (size_t i = 0; i < nw; i++)
            hyp_convert(HYP_EUCLID, HYP_LORENTZ, n, wv + i * n, wp + i * w);
        hyp_store_open(path, 0, &s);
        hyp_index_open(s, &ix);
        double alone[3], busy[4096];
        timed(ix, qs, nq, w, 40, 1, got); /* warm: the map was just reopened */
        for (int r = 0; r < 3; r++)
            alone[r] = timed(ix, qs, nq, w, 40, 1, got);
        volatile int stop = 0;
        writer_job wj = { s, wp, nw, w, &stop, 0, 0, 0 };
        pthread_t wt;
        pthread_create(&wt, NULL, writer, &wj);
        /* Passes for 3 s or until the writer runs out of points; the median
         * of those (the pass that saw the writer end may be partly alone). */
        int nb = 0;
        for (double tb = now(); nb < 4096 && (nb == 0 || (!wj.finished && now() - tb < 3.0)); nb++)
            busy[nb] = timed(ix, qs, nq, w, 40, 1, got);
        stop = 1;
        pthread_join(wt, NULL);
        printf("ef 40, 1 reader thread: %.0f QPS alone, %.0f QPS while a writer inserts "
               "(%zu points in %.2f s = %.0f points/s, batches of 100, index updated in "
               "each commit)\n",
               median(alone, 3), median(busy, (size_t)nb), wj.done, wj.secs, wj.done / wj.secs);
        hyp_index_close(ix);
        hyp_store_close(s);
        free(wv);
        free(wp);
    }

    if (peer) {
        /* Same points, queries and truth for hnswlib. */
        char f[1100];
        snprintf(f, sizeof f, "%s/peer.bin", dir);
        FILE *o = fopen(f, "wb");
        uint64_t hdr[3] = { npts, nq, w };
        fwrite(hdr, sizeof hdr, 1, o);
        fwrite(pts, sizeof *pts, npts * w, o);
        fwrite(qs, sizeof *qs, nq * w, o);
        fwrite(truth, sizeof *truth, nq * 10, o);
        fclose(o);
        snprintf(cmd, sizeof cmd, "'%s' '%s' %u %u", peer, f, m, efc);
        fflush(stdout);
        if (system(cmd) != 0)
            fprintf(stderr, "peer failed\n");
        /* The peer leaves its answers beside its input: recall with ties. */
        printf("hnswlib recall@10 with ties (as ours):");
        for (size_t e = 0; e < sizeof efs / sizeof *efs; e++) {
            snprintf(f, sizeof f, "%s/peer.bin.got.%zu", dir, efs[e]);
            FILE *in = fopen(f, "rb");
            if (in == NULL || fread(got, sizeof *got, nq * 10, in) != nq * 10)
                printf(" ef %zu: -", efs[e]);
            else
                printf(" ef %zu: %.4f", efs[e], recall_ties(pts, qs, nq, n, truth, got));
            if (in)
                fclose(in);
        }
        printf("\n");
    }
    free(truth);
    free(got);
    free(pts);
    free(qs);
    return 0;
}
