/*
 * test_index.c — the HNSW index (index/hyp_index.h) on real LMDB stores:
 * recall against the exact scan, the same neighbours in every model and
 * after an isometry, the graph hash on golden inputs, interleaved inserts,
 * replacements and deletes against an in-memory model, hierarchy queries
 * against brute force, bad queries, concurrent readers with a writer.
 *
 *   test_index WORKDIR
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <lmdb.h>

#include "hyp_index.h"
#include "treegen.h"

#ifndef GOLDEN_GRAPH_HASH
#define GOLDEN_GRAPH_HASH "unset"
#endif

static char workdir[400];
static int store_no;

static void fresh_path(char *path, size_t size)
{
    snprintf(path, size, "%s/s%d", workdir, store_no++);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fail_msg("cannot clear %s", path);
}

/* A store of the given model holding count points (converted from Euclid
 * tangent vectors v), labels "p<i>", in batches of batch points. */
static hyp_store *make_store(hyp_model model, size_t n, const double *v, size_t count,
                             size_t batch, int with_index, const hyp_index_config *cfg,
                             hyp_index **ix)
{
    char path[500];
    hyp_store *s;
    fresh_path(path, sizeof path);
    hyp_store_config sc = { .model = model, .dim = n };
    assert_int_equal(hyp_store_create(path, &sc, &s), HYP_OK);
    *ix = NULL;
    if (with_index)
        assert_int_equal(hyp_index_create(s, cfg, ix), HYP_OK);
    size_t w = hyp_model_width(model, n);
    double *x = malloc(w * sizeof *x);
    for (size_t i = 0; i < count;) {
        hyp_batch *b;
        assert_int_equal(hyp_batch_begin(s, &b), HYP_OK);
        for (size_t j = 0; j < batch && i < count; j++, i++) {
            char label[32];
            snprintf(label, sizeof label, "p%zu", i);
            assert_int_equal(hyp_convert(HYP_EUCLID, model, n, v + i * n, x), HYP_OK);
            assert_int_equal(hyp_batch_put(b, label, strlen(label), x, 0, NULL), HYP_OK);
        }
        assert_int_equal(hyp_batch_commit(b, NULL, NULL), HYP_OK);
    }
    free(x);
    if (!with_index)
        assert_int_equal(hyp_index_create(s, cfg, ix), HYP_OK);
    return s;
}

static void report(void *ctx, const char *msg)
{
    (void)ctx;
    if (strncmp(msg, "note:", 5) != 0)
        print_message("verify: %s\n", msg);
}

static void assert_verifies(hyp_store *s, hyp_index *ix)
{
    uint64_t problems = 0;
    assert_int_equal(hyp_store_verify(s, report, NULL, 20, &problems), HYP_OK);
    assert_int_equal(hyp_index_verify(ix, report, NULL, 20, &problems), HYP_OK);
    assert_int_equal(problems, 0);
}

static double recall_at(hyp_index *ix, size_t nq, size_t stride, size_t k, size_t ef)
{
    hyp_hit *a = malloc(k * sizeof *a), *b = malloc(k * sizeof *b);
    size_t found = 0, total = 0;
    for (size_t i = 0; i < nq; i++) {
        hyp_query q = { .id = (i * stride) % 100000, .k = k, .ef = ef, .flags = HYP_SEARCH_NO_DIST };
        size_t na, nb;
        int rc = hyp_index_search(ix, &q, a, &na);
        if (rc == HYP_ENOTFOUND)
            continue;
        assert_int_equal(rc, HYP_OK);
        q.flags |= HYP_SEARCH_EXACT;
        assert_int_equal(hyp_index_search(ix, &q, b, &nb), HYP_OK);
        for (size_t x = 0; x < nb; x++)
            for (size_t y = 0; y < na; y++)
                if (a[y].id == b[x].id) {
                    found++;
                    break;
                }
        total += nb;
    }
    free(a);
    free(b);
    return total ? (double)found / (double)total : 0;
}

/* Recall@k of the graph search (ef) against the exact scan over nq
 * queries, printed, and at least min. */
static void assert_recall(hyp_index *ix, size_t nq, size_t stride, size_t k, size_t ef, double min,
                          const char *what)
{
    double r = recall_at(ix, nq, stride, k, ef);
    print_message("recall@%zu %s, ef=%zu: %.4f\n", k, what, ef, r);
    assert_true(r >= min);
}

/* ---- recall ---- */

static void test_recall(void **state)
{
    (void)state;
    const size_t n = 10, count = 4000;
    double *v = malloc(count * n * sizeof *v);
    treegen_points(11, count, n, 10.0, 6, 1.0, v);
    hyp_index *ix;
    hyp_store *s = make_store(HYP_LORENTZ, n, v, count, 1000, 1, NULL, &ix);
    assert_verifies(s, ix);
    assert_recall(ix, 300, 13, 10, 64, 0.97, "radius 10");
    assert_recall(ix, 300, 13, 10, 200, 0.99, "radius 10");
    hyp_index_close(ix);
    hyp_store_close(s);

    /* Far out: radius 40, where unit distances are at the edge of binary64. */
    treegen_points(12, 3000, n, 40.0, 6, 1.0, v);
    s = make_store(HYP_EUCLID, n, v, 3000, 3000, 0, NULL, &ix);
    assert_verifies(s, ix);
    assert_recall(ix, 200, 7, 10, 100, 0.97, "radius 40");
    hyp_index_close(ix);
    hyp_store_close(s);
    free(v);
}


/* Radii past ~355, where the proxy S overflows: every order involving such
 * a node is exact (proxy_cmp), and the bases of re-selected lists load
 * their coordinates only then (hnsw_base). */
static void test_huge_radii(void **state)
{
    (void)state;
    enum { COUNT = 800, N = 3 };
    double *v = malloc(COUNT * N * sizeof *v);
    uint64_t st = 5;
    for (size_t i = 0; i < COUNT; i++) {
        double d[N], norm = 0;
        for (size_t j = 0; j < N; j++) {
            st = st * 6364136223846793005u + 1442695040888963407u;
            d[j] = (double)(st >> 11) / 9007199254740992.0 - 0.5;
            norm += d[j] * d[j];
        }
        norm = sqrt(norm);
        double r = i % 4 == 0 ? 2.0 + (double)(i % 7) : 360.0 + (double)(i % 340);
        for (size_t j = 0; j < N; j++)
            v[i * N + j] = r * d[j] / norm; /* Euclid parametrization: |v| = radius */
    }
    hyp_index *ix;
    hyp_store *s = make_store(HYP_LORENTZ, N, v, COUNT, 100, 1, NULL, &ix);
    assert_verifies(s, ix);
    assert_recall(ix, 200, 3, 10, 64, 0.97, "radii up to 700");
    hyp_index_close(ix);
    hyp_store_close(s);
    free(v);
}

/* Counts the nodes verify's note says a level-0 walk does not reach. */
static void count_unreached(void *ctx, const char *msg)
{
    unsigned long long a, b;
    if (sscanf(msg, "note: index: %llu of %llu nodes not reachable", &a, &b) == 2)
        *(unsigned long long *)ctx = a;
    else if (strncmp(msg, "note:", 5) != 0)
        print_message("verify: %s\n", msg);
}

/* A deep 8-ary tree out to radius 40 (the bench's shape, smaller): siblings
 * far out are mutually farther apart than from their common ancestors, so
 * the plain heuristic linked each new node to one hub only and the hub's
 * overflowing list left thousands of nodes without an in-link (recall 0.96
 * whatever ef on 100k points).  Held-out tree points are the queries. */
static void test_far_tree(void **state)
{
    (void)state;
    const size_t n = 10, count = 20000, nq = 200, k = 10;
    size_t total = count + nq;
    double *v = malloc(total * n * sizeof *v), *qv = malloc(nq * (n + 1) * sizeof *qv);
    treegen_points(2024, total, n, 40.0, 8, 1.0, v);
    /* Queries: every (total / nq)-th point of the tree, the rest stored. */
    double *pts = malloc(count * n * sizeof *pts);
    size_t ip = 0, iq = 0, stride = total / nq;
    for (size_t i = 0; i < total; i++) {
        if (i % stride == stride - 1 && iq < nq)
            assert_int_equal(hyp_convert(HYP_EUCLID, HYP_LORENTZ, n, v + i * n, qv + iq++ * (n + 1)),
                             HYP_OK);
        else if (ip < count)
            memcpy(pts + ip++ * n, v + i * n, n * sizeof *v);
    }
    hyp_index *ix;
    hyp_store *s = make_store(HYP_LORENTZ, n, pts, count, 5000, 0, NULL, &ix);
    unsigned long long unreached = 0;
    uint64_t problems = 0;
    assert_int_equal(hyp_index_verify(ix, count_unreached, &unreached, 20, &problems), HYP_OK);
    assert_int_equal(problems, 0);
    print_message("radius 40 tree: %llu of %zu nodes unreachable\n", unreached, count);
    assert_true(unreached * 100 < count); /* under 1% */
    size_t found = 0, want = 0;
    hyp_hit a[10], b[10];
    for (size_t i = 0; i < nq; i++) {
        size_t na, nb;
        hyp_query q = { .vector = qv + i * (n + 1), .k = k, .ef = 64, .flags = HYP_SEARCH_NO_DIST };
        assert_int_equal(hyp_index_search(ix, &q, a, &na), HYP_OK);
        q.flags |= HYP_SEARCH_EXACT;
        assert_int_equal(hyp_index_search(ix, &q, b, &nb), HYP_OK);
        for (size_t x = 0; x < nb; x++)
            for (size_t y = 0; y < na; y++)
                found += a[y].id == b[x].id;
        want += nb;
    }
    double r = (double)found / (double)want;
    print_message("radius 40 tree: recall@10 at ef=64: %.4f\n", r);
    assert_true(r >= 0.99);
    hyp_index_close(ix);
    hyp_store_close(s);
    free(v);
    free(qv);
    free(pts);
}

/* Hubs with hundreds of children each, every child at the same distance
 * from its hub in a random direction (the shape `hyperstore embed --model
 * caps` gives a node with many children): siblings are about twice as far
 * from each other as from their hub, so the heuristic keeps only the hub,
 * whose list (2m) overflows with children.  The origin's list dropped the
 * other hubs, which then listed only each other: an island of 4 nodes no
 * walk entered, and their own children, inserted later, never found their
 * hub (recall 0.93 at any ef once the island was linked only at the end of
 * the batch).  Every node must be reachable, and recall full.  Hub j > 0
 * sits at distance 4 from the origin along axis j; its children are the
 * origin's star moved there by the boost along that axis (Lorentz
 * coordinates), so that they are equidistant up to rounding. */
static void test_hub_children(void **state)
{
    (void)state;
    const size_t n = 10, hubs = 5, kids = 400, count = hubs * (kids + 1);
    double *v = malloc(count * n * sizeof *v), x[11], y[11];
    treegen t = { 99 };
    for (size_t h = 0; h < hubs; h++) {
        double r = h ? 4.0 : 0.0;
        for (size_t c = 0; c <= kids; c++) {
            /* c == 0: the hub itself; else a point at distance 2 from the
             * origin in a random direction, then boosted to the hub. */
            double norm = 0;
            memset(y, 0, sizeof y);
            if (c > 0) {
                for (size_t j = 0; j < n; j++) {
                    y[j + 1] = treegen_gauss(&t);
                    norm += y[j + 1] * y[j + 1];
                }
                norm = sqrt(norm);
                for (size_t j = 0; j < n; j++)
                    y[j + 1] *= sinh(2.0) / norm;
            }
            y[0] = c > 0 ? cosh(2.0) : 1.0;
            memcpy(x, y, sizeof x);
            if (h > 0) {
                x[0] = cosh(r) * y[0] + sinh(r) * y[h];
                x[h] = sinh(r) * y[0] + cosh(r) * y[h];
            }
            size_t i = c == 0 ? h : hubs + h * kids + (c - 1); /* hubs first */
            assert_int_equal(hyp_convert(HYP_LORENTZ, HYP_EUCLID, n, x, v + i * n), HYP_OK);
        }
    }
    hyp_index *ix;
    hyp_store *s = make_store(HYP_LORENTZ, n, v, count, count, 1, NULL, &ix);
    unsigned long long unreached = 0;
    uint64_t problems = 0;
    assert_int_equal(hyp_index_verify(ix, count_unreached, &unreached, 20, &problems), HYP_OK);
    assert_int_equal(problems, 0);
    print_message("hubs with %zu children: %llu of %zu nodes unreachable\n", kids, unreached,
                  count);
    assert_true(unreached == 0);
    assert_recall(ix, 200, 7, 10, 64, 0.99, "hubs with many children");
    hyp_index_close(ix);
    hyp_store_close(s);
    free(v);
}

/* Exact-scan ids of the k nearest to stored point id. */
static void exact_ids(hyp_index *ix, uint64_t id, size_t k, uint64_t *out, size_t *n)
{
    hyp_hit h[16];
    hyp_query q = { .id = id, .k = k, .flags = HYP_SEARCH_EXACT | HYP_SEARCH_NO_DIST };
    assert_int_equal(hyp_index_search(ix, &q, h, n), HYP_OK);
    for (size_t i = 0; i < *n; i++)
        out[i] = h[i].id;
}

static void graph_ids(hyp_index *ix, uint64_t id, size_t k, uint64_t *out, size_t *n)
{
    hyp_hit h[16];
    hyp_query q = { .id = id, .k = k, .ef = 32, .flags = HYP_SEARCH_NO_DIST };
    assert_int_equal(hyp_index_search(ix, &q, h, n), HYP_OK);
    for (size_t i = 0; i < *n; i++)
        out[i] = h[i].id;
}

/* ---- the same neighbours in every model ---- */

static void test_models(void **state)
{
    (void)state;
    const size_t n = 6, count = 1500;
    double *v = malloc(count * n * sizeof *v);
    treegen_points(21, count, n, 8.0, 5, 1.0, v);
    hyp_model models[3] = { HYP_EUCLID, HYP_POINCARE, HYP_LORENTZ };
    hyp_store *s[3];
    hyp_index *ix[3];
    unsigned char h[3][HYP_HASH_SIZE];
    for (int m = 0; m < 3; m++) {
        s[m] = make_store(models[m], n, v, count, 500, 1, NULL, &ix[m]);
        assert_verifies(s[m], ix[m]);
        assert_int_equal(hyp_index_hash(ix[m], h[m]), HYP_OK);
    }
    for (uint64_t id = 0; id < count; id += 7) {
        uint64_t a[10], b[10];
        size_t na, nb;
        exact_ids(ix[0], id, 10, a, &na);
        graph_ids(ix[0], id, 10, b, &nb);
        for (int m = 1; m < 3; m++) {
            uint64_t c[10], d[10];
            size_t nc, nd;
            exact_ids(ix[m], id, 10, c, &nc);
            graph_ids(ix[m], id, 10, d, &nd);
            assert_int_equal(na, nc);
            assert_memory_equal(a, c, na * sizeof *a);
            assert_int_equal(nb, nd);
            assert_memory_equal(b, d, nb * sizeof *b);
        }
    }
    /* Same decisions, hence the same graph, from all three representations. */
    assert_memory_equal(h[0], h[1], HYP_HASH_SIZE);
    assert_memory_equal(h[0], h[2], HYP_HASH_SIZE);
    for (int m = 0; m < 3; m++) {
        hyp_index_close(ix[m]);
        hyp_store_close(s[m]);
    }
    free(v);
}

/* ---- an isometry moves every point, not the neighbours ---- */

static void test_isometry(void **state)
{
    (void)state;
    const size_t n = 5, count = 1200;
    double *v = malloc(count * n * sizeof *v), *w = malloc(count * n * sizeof *w);
    double x[6], y[6];
    treegen_points(31, count, n, 6.0, 4, 1.0, v);
    /* A boost along x1 by 1.3, then a rotation in the (x2, x3) plane,
     * applied in the Lorentz model, back to Euclid tangent vectors. */
    double ch = cosh(1.3), sh = sinh(1.3), co = cos(0.7), si = sin(0.7);
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(hyp_convert(HYP_EUCLID, HYP_LORENTZ, n, v + i * n, x), HYP_OK);
        double xs[5] = { sh * x[0] + ch * x[1], co * x[2] - si * x[3], si * x[2] + co * x[3],
                         x[4], x[5] };
        assert_int_equal(hyp_lorentz_lift(n, xs, y), HYP_OK);
        assert_int_equal(hyp_convert(HYP_LORENTZ, HYP_EUCLID, n, y, w + i * n), HYP_OK);
    }
    hyp_index *ia, *ib;
    hyp_store *sa = make_store(HYP_LORENTZ, n, v, count, count, 1, NULL, &ia);
    hyp_store *sb = make_store(HYP_LORENTZ, n, w, count, count, 1, NULL, &ib);
    size_t same = 0, total = 0;
    for (uint64_t id = 0; id < count; id += 5) {
        uint64_t a[10], b[10];
        size_t na, nb;
        exact_ids(ia, id, 10, a, &na);
        exact_ids(ib, id, 10, b, &nb);
        assert_int_equal(na, nb);
        assert_memory_equal(a, b, na * sizeof *a);
        graph_ids(ib, id, 10, b, &nb);
        for (size_t p = 0; p < nb; p++)
            for (size_t q = 0; q < na; q++)
                same += a[q] == b[p];
        total += na;
    }
    print_message("graph recall after the isometry: %.4f\n", (double)same / (double)total);
    assert_true((double)same / (double)total >= 0.97);
    hyp_index_close(ia);
    hyp_index_close(ib);
    hyp_store_close(sa);
    hyp_store_close(sb);
    free(v);
    free(w);
}

/* ---- golden graph hash ---- */

/* 300 dyadic Poincaré points of the disc (exact bits everywhere). */
static void dyadic_points(double *x, size_t count)
{
    uint64_t st = 99;
    for (size_t i = 0; i < count; i++) {
        for (;;) {
            st = st * 6364136223846793005u + 1442695040888963407u;
            double a = (double)((int)(st >> 40) % 4096) / 4096.0;
            st = st * 6364136223846793005u + 1442695040888963407u;
            double b = (double)((int)(st >> 40) % 4096) / 4096.0;
            if (a * a + b * b < 0.98) {
                x[2 * i] = a * ((st >> 20) & 1 ? -1 : 1);
                x[2 * i + 1] = b * ((st >> 21) & 1 ? -1 : 1);
                break;
            }
        }
    }
}

static void test_golden_hash(void **state)
{
    (void)state;
    double x[600];
    char path[500], hex[65];
    dyadic_points(x, 300);
    unsigned char h1[HYP_HASH_SIZE], h2[HYP_HASH_SIZE];
    hyp_index_config cfg = { .m = 4, .ef_construction = 16, .seed = 7 };
    for (int round = 0; round < 2; round++) {
        hyp_store *s;
        hyp_index *ix;
        fresh_path(path, sizeof path);
        hyp_store_config sc = { .model = HYP_POINCARE, .dim = 2 };
        assert_int_equal(hyp_store_create(path, &sc, &s), HYP_OK);
        assert_int_equal(hyp_index_create(s, &cfg, &ix), HYP_OK);
        /* Built twice from the same operations: the same graph. */
        for (size_t i = 0; i < 300;) {
            hyp_batch *b;
            assert_int_equal(hyp_batch_begin(s, &b), HYP_OK);
            for (size_t j = 0; j < 100 && i < 300; j++, i++) {
                char l[16];
                snprintf(l, sizeof l, "d%03zu", i);
                assert_int_equal(hyp_batch_put(b, l, strlen(l), x + 2 * i, 0, NULL), HYP_OK);
            }
            assert_int_equal(hyp_batch_commit(b, NULL, NULL), HYP_OK);
        }
        assert_verifies(s, ix);
        assert_int_equal(hyp_index_hash(ix, round ? h2 : h1), HYP_OK);
        hyp_index_close(ix);
        hyp_store_close(s);
    }
    assert_memory_equal(h1, h2, HYP_HASH_SIZE);
    hyp_hash_hex(h1, hex);
    print_message("golden graph hash %s\n", hex);
    assert_string_equal(hex, GOLDEN_GRAPH_HASH);
}

/* ---- interleaved inserts, replacements and deletes against a model ---- */

static void test_interleaved(void **state)
{
    (void)state;
    const size_t n = 4, pool = 1500;
    double *v = malloc(pool * n * sizeof *v), x[4];
    int *live = calloc(pool, sizeof *live);
    uint64_t *idof = calloc(pool, sizeof *idof);
    treegen_points(41, pool, n, 7.0, 5, 1.0, v);
    char path[500];
    hyp_store *s;
    hyp_index *ix;
    fresh_path(path, sizeof path);
    hyp_store_config sc = { .model = HYP_EUCLID, .dim = n };
    assert_int_equal(hyp_store_create(path, &sc, &s), HYP_OK);
    hyp_index_config cfg = { .m = 8, .ef_construction = 64 };
    assert_int_equal(hyp_index_create(s, &cfg, &ix), HYP_OK);
    treegen rng = { 5 };
    for (int batch = 0; batch < 25; batch++) {
        hyp_batch *b;
        assert_int_equal(hyp_batch_begin(s, &b), HYP_OK);
        for (int op = 0; op < 80; op++) {
            size_t i = (size_t)(treegen_next(&rng) % pool);
            char l[16];
            snprintf(l, sizeof l, "q%zu", i);
            unsigned kind = (unsigned)(treegen_next(&rng) % 10);
            if (!live[i]) {
                assert_int_equal(hyp_batch_put(b, l, strlen(l), v + i * n, 0, &idof[i]), HYP_OK);
                live[i] = 1;
            } else if (kind < 4) {
                assert_int_equal(hyp_batch_delete(b, l, strlen(l)), HYP_OK);
                live[i] = 0;
            } else if (kind < 6) { /* replace: a point of another place, same id */
                size_t j = (size_t)(treegen_next(&rng) % pool);
                memcpy(x, v + j * n, sizeof x);
                x[0] += 1e-3;
                assert_int_equal(hyp_batch_put(b, l, strlen(l), x, HYP_PUT_UPSERT, NULL), HYP_OK);
                memcpy(v + i * n, x, sizeof x);
            }
        }
        assert_int_equal(hyp_batch_commit(b, NULL, NULL), HYP_OK);
        assert_verifies(s, ix);
        /* The exact scan against brute force over the model. */
        for (size_t t = 0; t < pool; t += 97) {
            if (!live[t])
                continue;
            hyp_hit h[5];
            size_t nh;
            hyp_query q = { .id = idof[t], .k = 5, .flags = HYP_SEARCH_EXACT };
            assert_int_equal(hyp_index_search(ix, &q, h, &nh), HYP_OK);
            /* each hit: live, and no live point strictly closer than the
             * last hit is missing */
            for (size_t a = 0; a < nh; a++) {
                int found = 0;
                for (size_t j = 0; j < pool; j++)
                    found |= live[j] && idof[j] == h[a].id;
                assert_true(found);
            }
            size_t closer = 0;
            double last = h[nh - 1].dist;
            for (size_t j = 0; j < pool; j++) {
                double d;
                if (!live[j] || j == t)
                    continue;
                assert_int_equal(hyp_dist(HYP_EUCLID, n, v + t * n, v + j * n, &d), HYP_OK);
                closer += d < last;
            }
            assert_true(closer <= nh);
            assert_true(nh == 5);
        }
    }
    assert_recall(ix, 200, 11, 5, 64, 0.95, "after interleaving");
    hyp_index_close(ix);
    hyp_store_close(s);
    free(v);
    free(live);
    free(idof);
}

/* ---- hierarchy queries against brute force; bad queries ---- */

static void test_hierarchy(void **state)
{
    (void)state;
    const size_t n = 3, count = 800;
    double *v = malloc(count * n * sizeof *v);
    treegen_points(51, count, n, 6.0, 4, 1.0, v);
    hyp_index *ix;
    hyp_store *s = make_store(HYP_EUCLID, n, v, count, count, 1, NULL, &ix);
    unsigned char before[HYP_HASH_SIZE], after[HYP_HASH_SIZE];
    assert_int_equal(hyp_store_hash(s, before), HYP_OK);
    for (uint64_t id = 1; id < count; id += 37) {
        for (int graph = 0; graph < 2; graph++) {
            hyp_hit h[3];
            size_t nh;
            hyp_query q = { .id = id, .k = 3,
                            .flags = HYP_SEARCH_SMALLER | (graph ? 0 : HYP_SEARCH_EXACT) };
            assert_int_equal(hyp_index_search(ix, &q, h, &nh), HYP_OK);
            /* brute force: the closest point of smaller radius */
            uint64_t best = UINT64_MAX;
            for (uint64_t j = 0; j < count; j++) {
                int o;
                assert_int_equal(hyp_radius_cmp(HYP_EUCLID, n, v + j * n, v + id * n, &o), HYP_OK);
                if (o >= 0)
                    continue;
                if (best == UINT64_MAX) {
                    best = j;
                    continue;
                }
                assert_int_equal(hyp_dist_cmp(HYP_EUCLID, n, v + id * n, v + j * n, v + best * n, &o),
                                 HYP_OK);
                if (o < 0 || (o == 0 && j < best))
                    best = j;
            }
            if (best == UINT64_MAX) {
                assert_int_equal(nh, 0);
            } else {
                assert_true(nh >= 1);
                if (!graph)
                    assert_int_equal(h[0].id, best);
            }
        }
    }
    /* within: every point at distance <= 1.5, closest first */
    hyp_hit *h = malloc(count * sizeof *h);
    size_t nh, expect = 0;
    hyp_query q = { .id = 10, .k = count, .max_dist = 1.5 };
    assert_int_equal(hyp_index_search(ix, &q, h, &nh), HYP_OK);
    for (uint64_t j = 0; j < count; j++) {
        double d;
        assert_int_equal(hyp_dist(HYP_EUCLID, n, v + 10 * n, v + j * n, &d), HYP_OK);
        expect += j != 10 && d <= 1.5;
    }
    assert_int_equal(nh, expect);
    for (size_t i = 1; i < nh; i++)
        assert_true(h[i - 1].dist <= h[i].dist);
    /* ancestors: radii strictly decrease */
    hyp_searcher *sr;
    uint64_t chain[64];
    size_t nc;
    assert_int_equal(hyp_searcher_create(ix, &sr), HYP_OK);
    assert_int_equal(hyp_search_ancestors(sr, count - 1, 1, 0, chain, 64, &nc), HYP_OK);
    assert_true(nc >= 1 && nc <= 64);
    for (size_t i = 1; i < nc; i++) {
        int o;
        assert_int_equal(hyp_radius_cmp(HYP_EUCLID, n, v + chain[i] * n, v + chain[i - 1] * n, &o),
                         HYP_OK);
        assert_int_equal(o, -1);
    }
    /* bad queries */
    double bad[3] = { NAN, 0, 0 };
    hyp_query qb = { .vector = bad, .k = 3 };
    assert_int_equal(hyp_search(sr, &qb, h, &nh), HYP_ENONFINITE);
    hyp_query qk = { .id = 1, .k = 0 };
    assert_int_equal(hyp_search(sr, &qk, h, &nh), EINVAL);
    hyp_query ql = { .label = "nope", .label_len = 4, .k = 3 };
    assert_int_equal(hyp_search(sr, &ql, h, &nh), HYP_ENOTFOUND);
    hyp_query qi = { .id = count + 5, .k = 3 };
    assert_int_equal(hyp_search(sr, &qi, h, &nh), HYP_ENOTFOUND);
    /* batch: two queries in one snapshot */
    hyp_query qs[2] = { { .id = 3, .k = 2 }, { .id = 4, .k = 3 } };
    size_t counts[2], done;
    assert_int_equal(hyp_search_batch(sr, qs, 2, h, counts, &done), HYP_OK);
    assert_int_equal(done, 2);
    assert_int_equal(counts[0], 2);
    assert_int_equal(counts[1], 3);
    hyp_searcher_destroy(sr);
    assert_int_equal(hyp_store_hash(s, after), HYP_OK);
    assert_memory_equal(before, after, HYP_HASH_SIZE);
    /* A handle without the index may not write. */
    hyp_index_close(ix);
    hyp_batch *b;
    assert_int_equal(hyp_batch_begin(s, &b), HYP_OK);
    assert_int_equal(hyp_batch_put(b, "new", 3, v, 0, NULL), HYP_OK);
    assert_int_equal(hyp_batch_commit(b, NULL, NULL), HYP_ENEEDINDEX);
    free(h);
    free(v);
    hyp_store_close(s);
}

/* ---- readers on threads while a writer commits ---- */

typedef struct rd {
    hyp_index *ix;
    int fails;
} rd;

static void *reader(void *arg)
{
    rd *r = arg;
    hyp_hit h[10];
    for (int i = 0; i < 400; i++) {
        size_t nh;
        hyp_query q = { .id = (uint64_t)(i * 7 % 500), .k = 10 };
        if (hyp_index_search(r->ix, &q, h, &nh) != HYP_OK || nh != 10)
            r->fails++;
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    const size_t n = 8, count = 3000;
    double *v = malloc(count * n * sizeof *v);
    treegen_points(61, count, n, 9.0, 6, 1.0, v);
    hyp_index *ix;
    hyp_store *s = make_store(HYP_LORENTZ, n, v, 1000, 1000, 1, NULL, &ix);
    rd r[2] = { { ix, 0 }, { ix, 0 } };
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, reader, &r[i]);
    double x[9];
    for (size_t i = 1000; i < count;) {
        hyp_batch *b;
        assert_int_equal(hyp_batch_begin(s, &b), HYP_OK);
        for (size_t j = 0; j < 250; j++, i++) {
            char l[16];
            snprintf(l, sizeof l, "p%zu", i);
            assert_int_equal(hyp_convert(HYP_EUCLID, HYP_LORENTZ, n, v + i * n, x), HYP_OK);
            assert_int_equal(hyp_batch_put(b, l, strlen(l), x, 0, NULL), HYP_OK);
        }
        assert_int_equal(hyp_batch_commit(b, NULL, NULL), HYP_OK);
    }
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(r[0].fails + r[1].fails, 0);
    assert_verifies(s, ix);
    hyp_index_close(ix);
    hyp_store_close(s);
    free(v);
}

/* ---- a damaged state record ---- */

/* An entry point beyond the blocks written (here: 2^32 added, so that its
 * low 32 bits still name a node) is refused as corrupt, not truncated to
 * another node and searched from. */
/* Opens the store at path raw and hands ix_meta to fn. */
static void patch_meta(const char *path, void (*fn)(MDB_txn *txn, MDB_dbi dbi))
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 32), 0);
    assert_int_equal(mdb_env_set_mapsize(env, (size_t)1 << 30), 0);
    assert_int_equal(mdb_env_open(env, path, 0, 0644), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "ix_meta", 0, &dbi), 0);
    fn(txn, dbi);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

/* The state record's entry (u64 LE at offset 24) with bit 32 set. */
static void set_entry_high(MDB_txn *txn, MDB_dbi dbi)
{
    MDB_val k = { 5, "state" }, d;
    unsigned char rec[256];
    assert_int_equal(mdb_get(txn, dbi, &k, &d), 0);
    assert_true(d.mv_size <= sizeof rec && d.mv_size >= 32);
    memcpy(rec, d.mv_data, d.mv_size);
    assert_int_equal(rec[28], 0); /* the entry is below 2^32 */
    rec[28] = 1;
    d.mv_data = rec;
    assert_int_equal(mdb_put(txn, dbi, &k, &d, 0), 0);
}

static void test_state_entry_range(void **state)
{
    (void)state;
    enum { COUNT = 100 };
    double v[2 * COUNT];
    for (size_t i = 0; i < COUNT; i++) {
        v[2 * i] = 0.01 * (double)i;
        v[2 * i + 1] = 0.5 - 0.003 * (double)i;
    }
    hyp_index *ix;
    hyp_store *s = make_store(HYP_POINCARE, 2, v, COUNT, COUNT, 1, NULL, &ix);
    char path[500];
    snprintf(path, sizeof path, "%s/s%d", workdir, store_no - 1);
    hyp_index_close(ix);
    hyp_store_close(s);

    patch_meta(path, set_entry_high);

    assert_int_equal(hyp_store_open(path, 0, &s), HYP_OK);
    int rc = hyp_index_open(s, &ix);
    if (rc == HYP_OK) { /* refused at the first read of the state, then */
        hyp_query q = { .id = 0, .k = 5, .ef = 16 };
        hyp_hit hits[5];
        size_t n;
        rc = hyp_index_search(ix, &q, hits, &n);
        hyp_index_close(ix);
    }
    assert_int_equal(rc, HYP_ECORRUPT);
    hyp_store_close(s);
}

/* ---- the graph hash kept by commits (ghash.c) ---- */

static unsigned patch_format_value;
static void set_format(MDB_txn *txn, MDB_dbi dbi)
{
    MDB_val k = { 5, "state" }, d;
    unsigned char rec[256];
    assert_int_equal(mdb_get(txn, dbi, &k, &d), 0);
    assert_true(d.mv_size <= sizeof rec);
    memcpy(rec, d.mv_data, d.mv_size);
    rec[0] = (unsigned char)patch_format_value; /* u32 LE at offset 0 */
    d.mv_data = rec;
    assert_int_equal(mdb_put(txn, dbi, &k, &d, 0), 0);
}
static void make_format1(MDB_txn *txn, MDB_dbi dbi)
{
    MDB_val k = { 7, "digests" };
    patch_format_value = 1;
    set_format(txn, dbi);
    assert_int_equal(mdb_del(txn, dbi, &k, NULL), 0);
}
static void flip_digest(MDB_txn *txn, MDB_dbi dbi)
{
    MDB_val k = { 7, "digests" }, d;
    unsigned char *rec;
    assert_int_equal(mdb_get(txn, dbi, &k, &d), 0);
    assert_true(d.mv_size > 40);
    rec = malloc(d.mv_size);
    memcpy(rec, d.mv_data, d.mv_size);
    rec[40] ^= 1; /* the second block's digest */
    d.mv_data = rec;
    assert_int_equal(mdb_put(txn, dbi, &k, &d, 0), 0);
    free(rec);
}

static void collect_msgs(void *ctx, const char *msg)
{
    char *buf = ctx;
    size_t used = strlen(buf);
    snprintf(buf + used, 4096 - used, "%s\n", msg);
}

/* The hash a commit stores (from the blocks it wrote) against the hash
 * recomputed from every block. */
static void assert_hash_current(hyp_index *ix)
{
    hyp_index_info info;
    unsigned char h[HYP_HASH_SIZE];
    assert_int_equal(hyp_index_get_info(ix, &info), HYP_OK);
    assert_int_equal(hyp_index_hash(ix, h), HYP_OK);
    assert_memory_equal(info.graph_hash, h, HYP_HASH_SIZE);
}

static void test_hash_commits(void **state)
{
    (void)state;
    enum { COUNT = 700, MORE = 200 };
    double v[2 * (COUNT + MORE)], x[2];
    dyadic_points(v, COUNT + MORE);
    hyp_index_config cfg = { .m = 4, .ef_construction = 16, .seed = 3 };
    hyp_index *ix;
    hyp_store *s = make_store(HYP_POINCARE, 2, v, COUNT, 50, 1, &cfg, &ix);
    char path[500], msgs[4096];
    snprintf(path, sizeof path, "%s/s%d", workdir, store_no - 1);
    assert_hash_current(ix);
    /* Small batches that insert, replace and delete across the blocks. */
    for (size_t r = 0; r < 10; r++) {
        hyp_batch *b;
        assert_int_equal(hyp_batch_begin(s, &b), HYP_OK);
        for (size_t j = 0; j < 20; j++) {
            size_t i = COUNT + r * 20 + j;
            char l[16];
            snprintf(l, sizeof l, "n%zu", i);
            assert_int_equal(hyp_batch_put(b, l, strlen(l), v + 2 * i, 0, NULL), HYP_OK);
        }
        char l[16];
        snprintf(l, sizeof l, "p%zu", r * 61 + 5);
        assert_int_equal(hyp_batch_delete(b, l, strlen(l)), HYP_OK);
        x[0] = 0.001 * (double)r;
        x[1] = -0.3;
        snprintf(l, sizeof l, "p%zu", r * 67 + 2);
        assert_int_equal(hyp_batch_put(b, l, strlen(l), x, HYP_PUT_UPSERT, NULL), HYP_OK);
        assert_int_equal(hyp_batch_commit(b, NULL, NULL), HYP_OK);
        assert_hash_current(ix);
    }
    assert_verifies(s, ix);
    hyp_index_close(ix);
    hyp_store_close(s);

    /* A stored digest that no longer matches its block: verify says so. */
    char copy[1700];
    snprintf(copy, sizeof copy, "rm -rf '%s-c' && cp -r '%s' '%s-c'", path, path, path);
    assert_int_equal(system(copy), 0);
    snprintf(copy, sizeof copy, "%s-c", path);
    patch_meta(copy, flip_digest);
    assert_int_equal(hyp_store_open(copy, 0, &s), HYP_OK);
    assert_int_equal(hyp_index_open(s, &ix), HYP_OK);
    uint64_t problems = 0;
    msgs[0] = '\0';
    assert_int_equal(hyp_index_verify(ix, collect_msgs, msgs, 20, &problems), HYP_ECORRUPT);
    assert_non_null(strstr(msgs, "block digests differ"));
    hyp_index_close(ix);
    hyp_store_close(s);

    /* Format 1 (no digests record): verify notes it and checks the rest;
     * the first commit upgrades it to format 2 with the hash of now. */
    patch_meta(path, make_format1);
    assert_int_equal(hyp_store_open(path, 0, &s), HYP_OK);
    assert_int_equal(hyp_index_open(s, &ix), HYP_OK);
    msgs[0] = '\0';
    assert_int_equal(hyp_index_verify(ix, collect_msgs, msgs, 20, &problems), HYP_OK);
    assert_non_null(strstr(msgs, "format 1"));
    hyp_batch *b;
    assert_int_equal(hyp_batch_begin(s, &b), HYP_OK);
    x[0] = 0.25;
    x[1] = 0.125;
    assert_int_equal(hyp_batch_put(b, "up", 2, x, 0, NULL), HYP_OK);
    assert_int_equal(hyp_batch_commit(b, NULL, NULL), HYP_OK);
    assert_hash_current(ix);
    msgs[0] = '\0';
    assert_int_equal(hyp_index_verify(ix, collect_msgs, msgs, 20, &problems), HYP_OK);
    assert_null(strstr(msgs, "format 1"));
    hyp_index_close(ix);
    hyp_store_close(s);

    /* A newer format is refused, with its number. */
    patch_format_value = 3;
    patch_meta(path, set_format);
    assert_int_equal(hyp_store_open(path, 0, &s), HYP_OK);
    assert_int_equal(hyp_index_open(s, &ix), HYP_ECORRUPT);
    assert_non_null(strstr(hyp_store_errmsg(s), "format 3 is newer"));
    hyp_store_close(s);
}

int main(int argc, char **argv)
{
    snprintf(workdir, sizeof workdir, "%s", argc > 1 ? argv[1] : "index-work");
    mkdir(workdir, 0755);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recall),
        cmocka_unit_test(test_far_tree),
        cmocka_unit_test(test_huge_radii),
        cmocka_unit_test(test_hub_children),
        cmocka_unit_test(test_models),
        cmocka_unit_test(test_isometry),
        cmocka_unit_test(test_golden_hash),
        cmocka_unit_test(test_interleaved),
        cmocka_unit_test(test_hierarchy),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_state_entry_range),
        cmocka_unit_test(test_hash_commits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
