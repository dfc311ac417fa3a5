/*
 * search.c — queries: k nearest neighbours by graph or by exact scan,
 * filters (a callback, the radius bounds of the hierarchy queries, a
 * distance bound), the is-a score, ancestors, batches, and the searcher
 * that carries a query's state.
 *
 * Searcher.  One read transaction, reset after each query and renewed at the
 * next (LMDB keeps its reader slot: no allocation), the graph view with its
 * cached block pointers (layout.c), the visited set and the heaps, all kept
 * at their high-water size: a steady stream of queries allocates nothing.
 *
 * Filters and the scan.  The graph is walked through every node, but only
 * nodes passing the filter enter the results.  When few nodes pass, such a
 * search visits most of the graph before it has k results, and a scan of the
 * candidates is cheaper: before searching, the filter is tried on up to 256
 * nodes spread evenly over the ids, and when the estimated work of the graph
 * search (ef * 16 / the passing fraction distance evaluations) exceeds the
 * number of nodes, the query scans instead.  A graph search that still ends
 * with fewer than k results falls back to the scan, so a filtered query never
 * misses results for lack of connectivity among the passing nodes.
 *
 * The scan (HYP_SEARCH_EXACT) reads the blocks in order and keeps the k best
 * in a heap.  Once the heap is full, a node first gets only D = |u_q - u|^2
 * and a floor of its S (proxy_floor: a_q a_y D / 4 less the error bound, no
 * division, no square root); most nodes are proven worse than the k-th
 * there and cost about what reading their vector costs.  The others get the
 * full proxy, skipped when its interval lies wholly above the k-th's, and
 * the heap compares exactly (near-ties go to the exact predicate), so the
 * answer is the exact ranking whatever was skipped.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "index_internal.h"

struct hyp_searcher {
    hyp_index *ix;
    hyp_store *s;
    MDB_txn *txn;
    int live;               /* txn is live (not reset) */
    graph g;
    int ginit;
    uint64_t gen, epoch, stamp;
    void *qx;               /* the query point, decoded (the graph's xbytes) */
    double *qu;
    uint64_t qid;
    hyp_searcher *next;     /* pool */
};

int hyp_searcher_create(hyp_index *ix, hyp_searcher **out)
{
    hyp_searcher *sr = calloc(1, sizeof *sr);
    *out = NULL;
    if (sr == NULL)
        return ENOMEM;
    sr->ix = ix;
    sr->s = ix->s;
    sr->qid = UINT64_MAX;
    size_t w = store_ext_width(ix->s), n = store_ext_dim(ix->s);
    sr->qx = malloc(ix->fmt ? hyp_fixed_size(ix->fmt, store_ext_model(ix->s), n)
                            : w * sizeof(double));
    sr->qu = malloc(n * sizeof(double));
    if (sr->qx == NULL || sr->qu == NULL) {
        hyp_searcher_destroy(sr);
        return ENOMEM;
    }
    pthread_mutex_lock(&ix->pool_lock);
    ix->searchers++;
    pthread_mutex_unlock(&ix->pool_lock);
    *out = sr;
    return HYP_OK;
}

void hyp_searcher_destroy(hyp_searcher *sr)
{
    if (sr == NULL)
        return;
    if (sr->txn)
        store_ext_read_end(sr->s, sr->txn, sr->live);
    if (sr->ginit)
        graph_free(&sr->g);
    free(sr->qx);
    free(sr->qu);
    if (sr->ix) {
        pthread_mutex_lock(&sr->ix->pool_lock);
        sr->ix->searchers--;
        pthread_mutex_unlock(&sr->ix->pool_lock);
    }
    free(sr);
}

void hyp_searcher_release(hyp_searcher *sr)
{
    if (sr->live) {
        store_ext_read_reset(sr->s, sr->txn);
        sr->live = 0;
    }
}

void index_pool_free(hyp_index *ix)
{
    pthread_mutex_lock(&ix->pool_lock);
    hyp_searcher *p = ix->pool;
    ix->pool = NULL;
    pthread_mutex_unlock(&ix->pool_lock);
    while (p) {
        hyp_searcher *n = p->next;
        hyp_searcher_destroy(p);
        p = n;
    }
}

/* A fresh snapshot: renew the transaction, read the index state, drop the
 * cached block pointers if the graph or the map changed. */
static int sr_begin(hyp_searcher *sr)
{
    int rc;
    hyp_searcher_release(sr);
    if (sr->txn == NULL)
        rc = store_ext_read_begin(sr->s, &sr->txn);
    else
        rc = store_ext_read_renew(sr->s, &sr->txn);
    if (rc != HYP_OK) {
        sr->txn = NULL;
        return rc;
    }
    sr->live = 1;
    ixstate st;
    if ((rc = graph_read_state(sr->s, sr->txn, sr->ix->dbi_meta, &st)) != HYP_OK)
        return rc;
    uint64_t epoch = store_ext_map_epoch(sr->s);
    if (sr->ginit && st.m != sr->g.st.m) {
        graph_free(&sr->g);
        sr->ginit = 0;
    }
    if (!sr->ginit) {
        if ((rc = graph_init(&sr->g, sr->ix, &st)) != HYP_OK) {
            graph_free(&sr->g);
            return rc;
        }
        sr->g.dbi_meta = sr->ix->dbi_meta;
        sr->g.dbi_blocks = sr->ix->dbi_blocks;
        sr->ginit = 1;
        sr->stamp++;
    } else if (st.generation != sr->gen || epoch != sr->epoch) {
        sr->stamp++;
    }
    sr->g.st = st;
    if ((rc = graph_reserve_blocks(&sr->g, (size_t)st.nblocks)) != HYP_OK)
        return rc;
    sr->gen = st.generation;
    sr->epoch = epoch;
    graph_bind(&sr->g, sr->txn, sr->stamp);
    return HYP_OK;
}

/* ---- the query point ---- */

static int resolve_query(hyp_searcher *sr, const hyp_query *q, base *b)
{
    graph *g = &sr->g;
    int rc;
    sr->qid = UINT64_MAX;
    if (q->vector) {
        /* A fixed store compares its own words exactly: the vector is
         * rounded into the store's format first, as hyp_batch_put would
         * store it (hyp_index.h). */
        rc = point_from_vector(g, q->vector, sr->qx);
        if (rc == HYP_EFIXED_RANGE)
            return store_ext_fail(sr->s, rc, "the query vector does not fit the store's "
                                             "fixed-point format");
        if (rc != HYP_OK)
            return rc;
    } else {
        uint64_t id = q->id;
        const unsigned char *bytes;
        if (q->label && (rc = store_ext_find(sr->s, sr->txn, q->label, q->label_len, &id)) != HYP_OK)
            return rc;
        if ((rc = store_ext_point(sr->s, sr->txn, id, &bytes)) != HYP_OK)
            return rc;
        if (point_decode(g, bytes, sr->qx) != HYP_OK)
            return store_ext_fail(sr->s, HYP_ECORRUPT, "a stored point is not valid");
        sr->qid = id;
    }
    if ((rc = point_prepare(g, sr->qx, &b->a, &b->c, sr->qu)) != HYP_OK)
        return rc;
    b->u = sr->qu;
    b->x = sr->qx;
    b->id = sr->qid < UINT32_MAX ? (uint32_t)sr->qid : IX_NONE;
    b->ec = g->ec;
    return HYP_OK;
}

/* ---- filters ---- */

typedef struct fctx {
    hyp_searcher *sr;
    const hyp_query *q;
    const base *b;
    double tlo, thi;       /* max_dist as S bounds: sure inside below tlo, outside above thi */
} fctx;

static int within(fctx *f, graph *g, uint32_t id, const unsigned char *p)
{
    cand d;
    proxy_dist(g->n, f->b, slot_a(p), slot_c(p), slot_u(p), &d);
    if (d.s + d.e < f->tlo)
        return 1;
    if (d.s - d.e > f->thi)
        return 0;
    double dist;
    if (proxy_load(g, id, g->xa) != HYP_OK || point_dist(g, f->b->x, g->xa, &dist) != HYP_OK)
        return 0;
    return dist <= f->q->max_dist;
}

static int node_pass(void *ctx, graph *g, uint32_t id, const unsigned char *p)
{
    fctx *f = ctx;
    const hyp_query *q = f->q;
    if (id == f->sr->qid && !(q->flags & HYP_SEARCH_INCLUDE_SELF))
        return 0;
    if (q->flags & (HYP_SEARCH_SMALLER | HYP_SEARCH_LARGER)) {
        int o = proxy_radius_cmp(g, f->b, id, slot_a(p));
        if ((q->flags & HYP_SEARCH_SMALLER) ? o >= 0 : o <= 0)
            return 0;
    }
    if (q->max_dist > 0 && !within(f, g, id, p))
        return 0;
    return q->filter == NULL || q->filter(q->filter_ctx, id);
}

static int has_filter(const hyp_query *q, const hyp_searcher *sr)
{
    return q->filter || q->max_dist > 0 || (q->flags & (HYP_SEARCH_SMALLER | HYP_SEARCH_LARGER)) ||
           (sr->qid != UINT64_MAX && !(q->flags & HYP_SEARCH_INCLUDE_SELF));
}

/* ---- scan ---- */

static int scan(hyp_searcher *sr, const base *b, size_t k, fctx *f, int filtered, size_t *nres)
{
    graph *g = &sr->g;
    size_t nr = 0;
    int rc = cand_reserve(&g->h2, &g->h2cap, k + 1);
    if (rc != HYP_OK)
        return rc;
    cand *h = g->h2;
    /* Once the heap is full, a node whose S is surely above the k-th's
     * upper end (thr) cannot enter: proxy_floor rejects most of them from
     * D alone, before the proxy's division and square roots.  Exactness is
     * untouched (only nodes proven worse are skipped). */
    double qf = proxy_floor_factor(g->n, b), thr = INFINITY;
    for (size_t blk = 0; blk < g->nblocks; blk++) {
        if (g->tag[blk] != g->stamp && graph_resolve(g, blk) != 0)
            return g->err;
        const unsigned char *base = g->ptr[blk];
        if (base == NULL)
            continue;
        for (uint32_t i = 0; i < IX_BLOCK_SLOTS; i++) {
            const unsigned char *p = base + i * g->slot_size;
            if (!(*(const uint32_t *)p & SLOT_PRESENT))
                continue;
            uint32_t id = (uint32_t)(blk << IX_BLOCK_SHIFT) + i;
            double a = slot_a(p), dd = proxy_dd(g->n, b->u, slot_u(p));
            if (proxy_floor(qf, a, dd) > thr && a <= DBL_MAX)
                continue;
            cand d;
            proxy_finish(g->n, b, a, slot_c(p), dd, &d);
            d.id = id;
            if (d.s - d.e > thr)
                continue;
            if (filtered && !node_pass(f, g, id, p))
                continue;
            if (nr < k) {
                heap_push_max(g, b, h, &nr, d);
            } else if (proxy_cmp(g, b, &d, &h[0]) < 0) {
                heap_pop_max(g, b, h, &nr);
                heap_push_max(g, b, h, &nr, d);
            } else {
                continue;
            }
            if (nr == k)
                thr = h[0].s + h[0].e;
        }
        if (g->err)
            return g->err;
    }
    *nres = nr;
    return HYP_OK;
}

/* ---- graph ---- */

static int graph_search(hyp_searcher *sr, const base *b, size_t k, size_t ef, fctx *f,
                        int filtered, size_t *nres)
{
    graph *g = &sr->g;
    int rc;
    *nres = 0;
    if (g->st.entry == UINT64_MAX)
        return HYP_OK;
    /* The walk orders candidates as the graph was built (cand_fast_cmp:
     * S bits, then id); only the ef it ends with are ranked exactly, by
     * search_one, with their error bounds computed here at the end. */
    cand cur;
    if ((rc = hnsw_descend(g, b, 0, &cur)) != HYP_OK)
        return rc;
    if (ef < k)
        ef = k;
    rc = hnsw_search_level(g, b, &cur, 1, ef, 0, filtered ? node_pass : NULL, f, nres);
    for (size_t i = 0; rc == HYP_OK && i < *nres; i++) {
        cand *c = &g->h2[i];
        const unsigned char *p = slot_at(g, c->id);
        if (p == NULL)
            return g->err ? g->err : store_ext_fail(sr->s, HYP_ECORRUPT, "index: node missing");
        proxy_dist(g->n, b, slot_a(p), slot_c(p), slot_u(p), c);
    }
    return rc;
}

/* Estimated fraction of nodes passing the filter, from up to 256 nodes
 * spread over the ids. */
static double pass_fraction(hyp_searcher *sr, fctx *f)
{
    graph *g = &sr->g;
    size_t limit = g->nblocks * IX_BLOCK_SLOTS, tried = 0, passed = 0;
    size_t step = limit / 256 + 1;
    for (size_t id = 0; id < limit && tried < 256; id += step) {
        const unsigned char *p = slot_at(g, (uint32_t)id);
        for (size_t j = id; p == NULL && j < id + step && j < limit; j++)
            p = slot_at(g, (uint32_t)(id = j));
        if (p == NULL)
            continue;
        tried++;
        passed += node_pass(f, g, (uint32_t)id, p) != 0;
    }
    return tried ? (double)passed / (double)tried : 1.0;
}

static int fill_hits(hyp_searcher *sr, const hyp_query *q, const base *b, cand *res, size_t nr,
                     hyp_hit *hits, size_t *count)
{
    graph *g = &sr->g;
    int rc;
    size_t k = q->k;
    if (q->flags & HYP_SEARCH_ISA) {
        double rq;
        if ((rc = point_radius(g, b->x, &rq)) != HYP_OK)
            return rc;
        /* Score every candidate, then keep the k best (insertion into a
         * sorted prefix: candidate counts are small). */
        size_t n = 0;
        for (size_t i = 0; i < nr; i++) {
            double d, rv;
            if ((rc = proxy_load(g, res[i].id, g->xa)) != HYP_OK ||
                (rc = point_dist(g, b->x, g->xa, &d)) != HYP_OK ||
                (rc = point_radius(g, g->xa, &rv)) != HYP_OK)
                return rc;
            hyp_hit h = { res[i].id, d, -(1.0 + q->alpha * (rv - rq)) * d };
            size_t j = n < k ? n++ : k;
            if (j == k && !(h.score > hits[k - 1].score ||
                            (h.score == hits[k - 1].score && h.id < hits[k - 1].id)))
                continue;
            if (j == k)
                j = k - 1;
            while (j > 0 && (h.score > hits[j - 1].score ||
                             (h.score == hits[j - 1].score && h.id < hits[j - 1].id))) {
                hits[j] = hits[j - 1];
                j--;
            }
            hits[j] = h;
        }
        *count = n;
        return HYP_OK;
    }
    size_t n = nr < k ? nr : k;
    for (size_t i = 0; i < n; i++) {
        hits[i].id = res[i].id;
        hits[i].dist = NAN;
        if (!(q->flags & HYP_SEARCH_NO_DIST)) {
            if ((rc = proxy_load(g, res[i].id, g->xa)) != HYP_OK ||
                (rc = point_dist(g, b->x, g->xa, &hits[i].dist)) != HYP_OK)
                return rc;
        }
        hits[i].score = -hits[i].dist;
    }
    *count = n;
    return HYP_OK;
}

/* The k best of the nr candidates in g->h2, in exact order, into h2[0..k):
 * an exact max-heap of k in g->h3.  Only comparisons near the k-th place
 * reach the exact predicate; a full sort of the ef candidates also ranked
 * the near-ties far behind it (siblings equidistant from the query's
 * parent, common in the WordNet nouns), each one a read of two stored
 * points and an exact comparison that changes no answer. */
static size_t best_of(graph *g, const base *b, size_t nr, size_t k)
{
    if (nr <= k || cand_reserve(&g->h3, &g->h3cap, k + 1) != HYP_OK) {
        cand_sort(g, b, g->h2, nr);
        return nr < k ? nr : k;
    }
    cand *h = g->h3;
    size_t n = 0;
    for (size_t i = 0; i < nr; i++) {
        if (n < k) {
            heap_push_max(g, b, h, &n, g->h2[i]);
        } else if (proxy_cmp(g, b, &g->h2[i], &h[0]) < 0) {
            heap_pop_max(g, b, h, &n);
            heap_push_max(g, b, h, &n, g->h2[i]);
        }
    }
    cand_sort(g, b, h, n);
    memcpy(g->h2, h, n * sizeof *h);
    return n;
}

/* One query in the searcher's current snapshot. */
static int search_one(hyp_searcher *sr, const hyp_query *q, hyp_hit *hits, size_t *count)
{
    graph *g = &sr->g;
    base b;
    int rc;
    *count = 0;
    if (q->k == 0)
        return EINVAL;
    if (q->max_dist < 0 || isnan(q->max_dist))
        return EINVAL;
    if ((rc = resolve_query(sr, q, &b)) != HYP_OK)
        return rc;
    fctx f = { sr, q, &b, 0, 0 };
    if (q->max_dist > 0) {
        double t = sinh(q->max_dist / 2);
        t *= t;
        f.tlo = t * (1 - 0x1p-40);
        f.thi = t * (1 + 0x1p-40);
    }
    int filtered = has_filter(q, sr);
    size_t ef = q->ef ? q->ef : (q->k > 64 ? q->k : 64);
    size_t want = q->k;
    if (q->flags & HYP_SEARCH_ISA) /* candidates for the rerank */
        want = q->k * 10 > ef ? q->k * 10 : ef;
    if (ef < want)
        ef = want;
    int exact = (q->flags & HYP_SEARCH_EXACT) || q->max_dist > 0;
    if (!exact && filtered && (q->filter || (q->flags & (HYP_SEARCH_SMALLER | HYP_SEARCH_LARGER)))) {
        double p = pass_fraction(sr, &f);
        exact = (double)ef * 16.0 > (p > 1e-9 ? p : 1e-9) * (double)g->st.count;
    }
    size_t nr = 0;
    if (!exact) {
        if ((rc = graph_search(sr, &b, want, ef, &f, filtered, &nr)) != HYP_OK)
            return rc;
        if (nr < want && nr < g->st.count) /* a filter starved the graph walk */
            exact = 1;
        else if (!(q->flags & HYP_SEARCH_ISA))
            nr = best_of(g, &b, nr, want);
        else
            cand_sort(g, &b, g->h2, nr);
    }
    if (exact) {
        if ((rc = scan(sr, &b, want, &f, filtered, &nr)) != HYP_OK)
            return rc;
        cand_sort(g, &b, g->h2, nr);
    }
    if (g->err)
        return g->err;
    return fill_hits(sr, q, &b, g->h2, nr, hits, count);
}

int hyp_search(hyp_searcher *sr, const hyp_query *q, hyp_hit *hits, size_t *count)
{
    int rc = sr_begin(sr);
    *count = 0;
    return rc == HYP_OK ? search_one(sr, q, hits, count) : rc;
}

int hyp_search_batch(hyp_searcher *sr, const hyp_query *q, size_t nq, hyp_hit *hits,
                     size_t *counts, size_t *done)
{
    int rc = sr_begin(sr);
    size_t i = 0;
    /* One snapshot for the whole batch: its answers are consistent. */
    for (; rc == HYP_OK && i < nq; i++) {
        rc = search_one(sr, &q[i], hits, &counts[i]);
        if (rc == HYP_OK)
            hits += q[i].k;
        else
            break;
    }
    if (done)
        *done = i;
    return rc;
}

int hyp_search_ancestors(hyp_searcher *sr, uint64_t id, int exact, size_t ef, uint64_t *ids,
                         size_t cap, size_t *count)
{
    int rc = sr_begin(sr);
    size_t n = 0;
    *count = 0;
    while (rc == HYP_OK) {
        hyp_query q = { .id = id, .k = 1, .ef = ef,
                        .flags = HYP_SEARCH_SMALLER | HYP_SEARCH_NO_DIST |
                                 (exact ? HYP_SEARCH_EXACT : 0) };
        hyp_hit h;
        size_t c;
        if ((rc = search_one(sr, &q, &h, &c)) != HYP_OK || c == 0)
            break;
        if (n < cap)
            ids[n] = h.id;
        n++;
        id = h.id; /* radii strictly decrease: the chain ends */
    }
    sr->qid = UINT64_MAX;
    *count = n;
    return rc;
}

int hyp_searcher_label(hyp_searcher *sr, uint64_t id, const char **label, size_t *len)
{
    if (!sr->live)
        return EINVAL;
    return store_ext_label(sr->s, sr->txn, id, label, len);
}

uint64_t hyp_searcher_query_id(const hyp_searcher *sr)
{
    return sr->qid;
}

int hyp_index_search(hyp_index *ix, const hyp_query *q, hyp_hit *hits, size_t *count)
{
    hyp_searcher *sr;
    int rc;
    pthread_mutex_lock(&ix->pool_lock);
    sr = ix->pool;
    if (sr)
        ix->pool = sr->next;
    pthread_mutex_unlock(&ix->pool_lock);
    if (sr == NULL && (rc = hyp_searcher_create(ix, &sr)) != HYP_OK)
        return rc;
    rc = hyp_search(sr, q, hits, count);
    hyp_searcher_release(sr);
    pthread_mutex_lock(&ix->pool_lock);
    sr->next = ix->pool;
    ix->pool = sr;
    pthread_mutex_unlock(&ix->pool_lock);
    return rc;
}
