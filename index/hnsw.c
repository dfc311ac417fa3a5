/*
 * hnsw.c — a hierarchical navigable small world graph (Malkov & Yashunin,
 * "Efficient and robust approximate nearest neighbor search using HNSW
 * graphs", 2016/2018) over hyperbolic distance.
 *
 * Structure.  Every point of the store is a node.  A node of level L has a
 * list of neighbours on each level 0..L: at most 2m on level 0, m above.
 * Level l holds the nodes of level >= l; the entry point is a node of the top
 * level.  A search descends greedily from the entry point through the upper
 * levels and runs a best-first search of breadth ef on level 0.  Insertion
 * finds the new node's neighbours the same way (breadth ef_construction) on
 * each of its levels, keeps those the paper's heuristic selects (a candidate
 * is dropped when it is closer to an already kept neighbour than to the new
 * node), and links them back, re-selecting a neighbour's list when it is
 * over capacity.
 *
 * Ownership.  The graph lives in the store's LMDB environment (layout.c);
 * the store owns the transaction, this file only reads and writes blocks
 * through the graph struct.  Writes happen at a batch's commit, in the
 * batch's transaction (build.c), so the graph always describes exactly the
 * points committed with it.
 *
 * Level distribution.  As in the paper, P(level >= l) = m^-l (mult =
 * 1/ln m), but the level is a function of the point's id: the top bits of
 * splitmix64(seed ^ splitmix64(id)) compared with 2^64 / m^l in integer
 * arithmetic (no log, no floating point), capped at IX_MAX_LEVEL.  The same
 * id gets the same level in every run and on every platform, and a replaced
 * point keeps its level.
 *
 * Departures from the paper, all deliberate:
 *  1. Levels come from a seeded hash of the id, not a random generator
 *     (above), so that the graph is a function of the operations.
 *  2. The graph orders candidates by the proxy S alone, its bits then the
 *     id (cand_fast_cmp): the heaps and sorts of construction and of a
 *     query's walk, the greedy descent, the heuristic.  S is made only with
 *     correctly rounded + - * / sqrt in a fixed order (the build forbids
 *     fma contraction), so its bits, and the graph, are the same on every
 *     platform (checked with gcc and clang at -O0 and -O3 -march=native and
 *     on aarch64: bench/RESULTS.md, 2026-11-29; the golden graph hash in
 *     tests/index).  The issue asked for exact comparisons
 *     with ties by id; that was as deterministic but not better: near-ties
 *     (siblings equidistant from their parent, in bulk in embeddings built
 *     by construction) sent 40% of the build time to exact arithmetic
 *     whose verdict only decides which of two equally good candidates an
 *     approximate graph keeps.  What users get stays exact: a query's
 *     final ef candidates, the scan, the hierarchy queries and every
 *     reported ranking are ordered by proxy_cmp (the bound, then the exact
 *     predicate; search.c).  A candidate whose S overflows (radii past
 *     ~350) has no usable S and is ordered exactly even here.
 *  3. Deletes repair the graph at once rather than leave tombstones: at
 *     commit, one pass over the graph finds every list naming a deleted
 *     node and re-selects it (the heuristic again) from its surviving
 *     neighbours plus the deleted node's neighbours on that level, as
 *     FreshDiskANN's delete consolidation does.  A deleted entry point is
 *     replaced by the lowest id among the nodes of the highest level left.
 *     The cost is one pass over the graph per batch that deletes.
 *  4. Within a batch, points are linked in ascending id order after the
 *     batch's deletes, whatever order the batch wrote them in.
 *  5. A new node's own lists are filled up to m with the candidates the
 *     heuristic pruned, closest first (the paper's keepPrunedConnections;
 *     hnswlib leaves them short), and so is a full list re-selected when
 *     it gains a link (its own 2m slots).  Without it, tree-shaped points
 *     far out (radius 40) left 27% of the nodes with no in-link and recall
 *     stuck at 0.96 whatever ef; see select_heuristic.  With departure 6,
 *     filling re-selected lists as well took the WordNet nouns' recall@10
 *     at ef 80 from 0.955 to 0.994 (bench/RESULTS.md).
 *  6. No node is left unreachable on level 0 for long: after a batch
 *     (most small insert-only batches excepted: build.c, reconnect_due),
 *     and every so often inside a large one, a walk from the entry point
 *     finds the nodes no list leads to and links each from a reached
 *     neighbour (reach.c).  The paper accepts such nodes as a cost of
 *     pruning; on the WordNet nouns they were 6.5% of the graph.
 */
#include <errno.h>
#include <stdlib.h>

#include "index_internal.h"

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

unsigned hnsw_level(uint64_t seed, unsigned m, uint64_t id)
{
    uint64_t h = splitmix64(seed ^ splitmix64(id)), t = UINT64_MAX;
    unsigned level = 0;
    while (level < IX_MAX_LEVEL) {
        t /= m;
        if (h >= t)
            break;
        level++;
    }
    return level;
}

/* ---- heaps; sign +1: max-heap, -1: min-heap; fast: cand_fast_cmp's
 * order (the graph's own searches), else proxy_cmp's exact order ---- */

static inline int hcmp(graph *g, const base *q, const cand *a, const cand *b, int sign, int fast)
{
    return sign * (fast ? cand_fast_cmp(g, q, a, b) : proxy_cmp(g, q, a, b));
}

/* x before y in the graph's order, for candidates whose S did not
 * overflow (e == 0): without a branch on S. */
static inline int fast_before(const cand *x, const cand *y)
{
    /* S >= +0 and finite here, so its bits order as unsigned integers,
     * and integer compares combine without branches. */
    uint64_t kx, ky;
    memcpy(&kx, &x->s, sizeof kx);
    memcpy(&ky, &y->s, sizeof ky);
    return (kx < ky) | ((kx == ky) & (x->id < y->id));
}

/* a goes above b in the heap (a > b for a max-heap, a < b for a min-heap).
 * In the graph's order the verdict is computed without a branch on S (the
 * heaps' comparisons are coin flips for the branch predictor); a candidate
 * whose S overflowed is ordered exactly, as in cand_fast_cmp. */
static inline int above(graph *g, const base *q, const cand *a, const cand *b, int sign, int fast)
{
    if (!fast || a->e != 0 || b->e != 0) /* rare: overflowed S */
        return hcmp(g, q, a, b, sign, fast) > 0;
    return sign > 0 ? fast_before(b, a) : fast_before(a, b);
}

static inline void sift_down(graph *g, const base *q, cand *h, size_t n, size_t i, int sign,
                             int fast)
{
    for (;;) {
        size_t l = 2 * i + 1;
        if (l >= n)
            return;
        size_t c = l + (size_t)(l + 1 < n && above(g, q, &h[l + 1], &h[l], sign, fast));
        if (!above(g, q, &h[c], &h[i], sign, fast))
            return;
        cand t = h[i];
        h[i] = h[c];
        h[c] = t;
        i = c;
    }
}

static inline void heap_push(graph *g, const base *q, cand *h, size_t *n, cand c, int sign,
                             int fast)
{
    size_t i = (*n)++;
    h[i] = c;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!above(g, q, &h[i], &h[p], sign, fast))
            break;
        cand t = h[i];
        h[i] = h[p];
        h[p] = t;
        i = p;
    }
}

static inline void heap_pop(graph *g, const base *q, cand *h, size_t *n, int sign, int fast)
{
    h[0] = h[--*n];
    sift_down(g, q, h, *n, 0, sign, fast);
}

void heap_push_max(graph *g, const base *q, cand *h, size_t *n, cand c)
{
    heap_push(g, q, h, n, c, 1, 0);
}

void heap_pop_max(graph *g, const base *q, cand *h, size_t *n)
{
    heap_pop(g, q, h, n, 1, 0);
}

static inline void heap_sort(graph *g, const base *q, cand *a, size_t n, int fast)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(g, q, a, n, i, 1, fast);
    for (size_t end = n; end > 1; end--) {
        cand t = a[0];
        a[0] = a[end - 1];
        a[end - 1] = t;
        sift_down(g, q, a, end - 1, 0, 1, fast);
    }
}

void cand_sort(graph *g, const base *q, cand *a, size_t n)
{
    heap_sort(g, q, a, n, 0);
}

/* The graph's order by a bottom-up merge sort whose merge step picks
 * without branching (a heap sort's comparisons are coin flips for the
 * branch predictor, and this sort runs on every insert's ef_construction
 * candidates).  A candidate whose S overflowed needs proxy_cmp: then the
 * heap sort. */
void cand_sort_fast(graph *g, const base *q, cand *a, size_t n)
{
    int plain = 1;
    for (size_t i = 0; i < n; i++)
        plain &= a[i].e == 0;
    if (!plain || cand_reserve(&g->hs, &g->hscap, n) != HYP_OK) {
        heap_sort(g, q, a, n, 1);
        return;
    }
    cand *src = a, *dst = g->hs;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                size_t tb = (size_t)fast_before(&src[j], &src[i]);
                dst[k++] = src[i ^ ((i ^ j) & (0 - tb))]; /* tb ? j : i */
                j += tb;
                i += tb ^ 1;
            }
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        cand *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

/*
 * The graph's proxies of a node's neighbours, in two passes: first every
 * slot is prefetched (a search vector spans two or three cache lines), so
 * that the misses overlap instead of coming one per node; then S is
 * computed for each with no branch on the results in between, so that the
 * divisions and square roots of different nodes overlap too.  ps[i] are
 * slot addresses (slot_addr) of ids[i]; absent slots are dropped, and ps
 * is compacted alongside.  Returns how many went to out.
 */
static uint32_t dist_batch(graph *g, const base *q, const unsigned char **ps, const uint32_t *ids,
                           uint32_t nn, cand *out)
{
#if defined(__GNUC__)
    for (uint32_t j = 0; j < nn; j++) {
        __builtin_prefetch(ps[j]);
        __builtin_prefetch(ps[j] + 64);
        __builtin_prefetch(ps[j] + 32 + 8 * g->n - 1);
    }
#endif
    uint32_t m = 0;
    for (uint32_t j = 0; j < nn; j++) {
        const unsigned char *p = ps[j];
        if (!(*(const uint32_t *)p & SLOT_PRESENT))
            continue;
        proxy_fast(q, slot_a(p), slot_c(p), proxy_dd(g->n, q->u, slot_u(p)), &out[m]);
        out[m].id = ids[j];
        ps[m++] = p;
    }
    return m;
}

int hnsw_search_level(graph *g, const base *q, const cand *eps, size_t neps, size_t ef,
                      unsigned level, node_filter filter, void *fctx, size_t *nres)
{
    size_t limit = g->nblocks * IX_BLOCK_SLOTS, nc = 0, nr = 0;
    int rc;
    if ((rc = graph_visit_begin(g, limit)) != HYP_OK ||
        (rc = cand_reserve(&g->h2, &g->h2cap, ef + 2)) != HYP_OK ||
        (rc = cand_reserve(&g->h1, &g->h1cap, neps + 64)) != HYP_OK)
        return rc;
    cand *cands = g->h1, *res = g->h2;
    for (size_t i = 0; i < neps; i++) {
        if (g->visit[eps[i].id] == g->vmark)
            continue;
        g->visit[eps[i].id] = g->vmark;
        heap_push(g, q, cands, &nc, eps[i], -1, 1);
        const unsigned char *p = slot_at(g, eps[i].id);
        if (p && (filter == NULL || filter(fctx, g, eps[i].id, p))) {
            heap_push(g, q, res, &nr, eps[i], 1, 1);
            if (nr > ef)
                heap_pop(g, q, res, &nr, 1, 1);
        }
    }
    while (nc > 0) {
        cand cur = cands[0];
        if (nr >= ef && hcmp(g, q, &cur, &res[0], 1, 1) > 0)
            break;
        heap_pop(g, q, cands, &nc, -1, 1);
#if defined(__GNUC__)
        /* The next candidate's level-0 list, read at the next turn. */
        const unsigned char *pn = level == 0 && nc > 0 ? slot_addr(g, cands[0].id) : NULL;
        if (pn) {
            __builtin_prefetch(pn + 32 + 8 * g->n);
            __builtin_prefetch(pn + 32 + 8 * g->n + 64);
        }
#endif
        uint32_t cnt;
        const uint32_t *nb = graph_list(g, cur.id, level, &cnt);
        if (nb == NULL)
            continue;
        const unsigned char *ps[2 * IX_MAX_M];
        uint32_t ids[2 * IX_MAX_M], nn = 0;
        for (uint32_t j = 0; j < cnt && nn < 2 * IX_MAX_M; j++) {
            uint32_t v = nb[j];
            if (v >= limit || g->visit[v] == g->vmark)
                continue;
            g->visit[v] = g->vmark;
            if ((ps[nn] = slot_addr(g, v)) != NULL)
                ids[nn++] = v;
        }
        cand ds[2 * IX_MAX_M];
        nn = dist_batch(g, q, ps, ids, nn, ds);
        for (uint32_t j = 0; j < nn; j++) {
            cand d = ds[j];
            uint32_t v = d.id;
            const unsigned char *p = ps[j];
            if (nr < ef || hcmp(g, q, &d, &res[0], 1, 1) < 0) {
                if (nc + 1 > g->h1cap) {
                    if ((rc = cand_reserve(&g->h1, &g->h1cap, nc + 1)) != HYP_OK)
                        return rc;
                    cands = g->h1;
                }
                heap_push(g, q, cands, &nc, d, -1, 1);
                if (filter == NULL || filter(fctx, g, v, p)) {
                    heap_push(g, q, res, &nr, d, 1, 1);
                    if (nr > ef)
                        heap_pop(g, q, res, &nr, 1, 1);
                }
            }
        }
        if (g->err)
            return g->err;
    }
    *nres = nr;
    return g->err;
}

/* Greedy descent on one level: moves cur to a closer neighbour while there
 * is one. */
static int greedy(graph *g, const base *q, unsigned level, cand *cur)
{
    for (int changed = 1; changed;) {
        changed = 0;
        uint32_t cnt;
        const uint32_t *nb = graph_list(g, cur->id, level, &cnt);
        if (nb == NULL)
            break;
        const unsigned char *ps[2 * IX_MAX_M];
        uint32_t ids[2 * IX_MAX_M], nn = 0;
        for (uint32_t j = 0; j < cnt && nn < 2 * IX_MAX_M; j++)
            if ((ps[nn] = slot_addr(g, nb[j])) != NULL)
                ids[nn++] = nb[j];
        cand ds[2 * IX_MAX_M];
        nn = dist_batch(g, q, ps, ids, nn, ds);
        for (uint32_t j = 0; j < nn; j++)
            if (cand_fast_cmp(g, q, &ds[j], cur) < 0) {
                *cur = ds[j];
                changed = 1;
            }
    }
    return g->err;
}

int hnsw_descend(graph *g, const base *q, unsigned stop, cand *cur)
{
    const unsigned char *pe = slot_at(g, (uint32_t)g->st.entry);
    if (pe == NULL)
        return g->err ? g->err : store_ext_fail(g->s, HYP_ECORRUPT, "index: entry point missing");
    proxy_fast(q, slot_a(pe), slot_c(pe), proxy_dd(g->n, q->u, slot_u(pe)), cur);
    cur->id = (uint32_t)g->st.entry;
    int rc;
    for (unsigned l = g->st.max_level; l > stop; l--)
        if ((rc = greedy(g, q, l, cur)) != HYP_OK)
            return rc;
    return HYP_OK;
}

int hnsw_nearest(graph *g, const base *q, size_t ef, size_t *nres)
{
    *nres = 0;
    if (g->st.entry == UINT64_MAX)
        return HYP_OK;
    cand cur;
    int rc = hnsw_descend(g, q, 0, &cur);
    if (rc != HYP_OK)
        return rc;
    if ((rc = hnsw_search_level(g, q, &cur, 1, ef, 0, NULL, NULL, nres)) != HYP_OK)
        return rc;
    cand_sort_fast(g, q, g->h2, *nres);
    return g->err;
}

/* The paper's neighbour-selection heuristic: walk the candidates closest
 * first, keep one unless it is closer to a kept one than to the base.  The
 * slots it leaves empty take the pruned candidates, closest first (the
 * paper's keepPrunedConnections, for every list).  Why: on tree-shaped
 * hyperbolic data the heuristic keeps one neighbour (the hub every other
 * candidate is "behind"), the hub's list overflows, and nodes it drops are
 * left without any in-link: at radius 40 a quarter of the graph was
 * unreachable (bench/RESULTS.md).  Filled lists link each node to its
 * siblings as well, which link back. */
static size_t select_heuristic(graph *g, const cand *c, size_t nc, size_t cap, cand *out)
{
    /* Most candidates are dropped by the first one kept (on a tree, the
     * hub every other candidate is behind): their S to it is computed
     * ahead, a chunk at a time, in a loop with no branch on the results,
     * so that those computations overlap (same operations, same bits). */
    enum { CHUNK = 64 };
    double s0[CHUNK];
    size_t nout = 0, i = 0, lo = 0, hi = 0;
    const unsigned char *p0 = NULL; /* slot of out[0] */
    for (; i < nc && nout < cap; i++) {
        if (p0 != NULL && i >= hi) {
            lo = i;
            hi = i + CHUNK < nc ? i + CHUNK : nc;
            for (size_t k = lo; k < hi; k++) {
                const unsigned char *pk = slot_at(g, c[k].id);
                cand d = { 0, 0, 0 };
                if (pk != NULL) {
                    base bk = { slot_a(pk), slot_c(pk), slot_u(pk), NULL, c[k].id, g->ec };
                    proxy_fast(&bk, slot_a(p0), slot_c(p0), proxy_dd(g->n, bk.u, slot_u(p0)), &d);
                }
                s0[k - lo] = d.s;
            }
        }
        const unsigned char *pe = slot_at(g, c[i].id);
        if (pe == NULL)
            continue;
        base be = { slot_a(pe), slot_c(pe), slot_u(pe), NULL, c[i].id, g->ec };
        int good = nout == 0 || !(s0[i - lo] < c[i].s);
        for (size_t j = 1; j < nout && good; j++) {
            const unsigned char *pr = slot_at(g, out[j].id);
            cand d;
            proxy_fast(&be, slot_a(pr), slot_c(pr), proxy_dd(g->n, be.u, slot_u(pr)), &d);
            if (d.s < c[i].s)
                good = 0;
        }
        if (good) {
            if (nout == 0)
                p0 = pe;
            out[nout++] = c[i];
        }
    }
    /* The pruned ones are those of c[0..i) not in out (out keeps c's order,
     * so one merge pass finds them); then the unexamined rest. */
    size_t kept = nout;
    for (size_t j = 0, o = 0; j < nc && nout < cap; j++) {
        if (j < i && o < kept && out[o].id == c[j].id) {
            o++;
            continue;
        }
        if (slot_at(g, c[j].id) != NULL)
            out[nout++] = c[j];
    }
    return nout;
}

int hnsw_base(graph *g, uint32_t id, double *ubuf, base *q)
{
    const unsigned char *p = slot_at(g, id);
    if (p == NULL)
        return g->err ? g->err : HYP_ENOTFOUND;
    q->a = slot_a(p);
    q->c = slot_c(p);
    memcpy(ubuf, slot_u(p), g->n * sizeof(double));
    q->u = ubuf;
    q->id = id;
    q->x = NULL;
    q->ec = g->ec;
    return HYP_OK;
}

/* Writes list (ids of c[0..n)) as the list of id on level. */
static int write_list(graph *g, uint32_t id, unsigned level, const cand *c, size_t n)
{
    uint32_t *count, *l = graph_list_mut(g, id, level, &count);
    if (l == NULL)
        return g->err ? g->err : ENOMEM;
    size_t cap = level ? g->m : g->m0;
    for (size_t i = 0; i < cap; i++)
        l[i] = i < n ? c[i].id : 0;
    *count = (uint32_t)n;
    return HYP_OK;
}

/* Re-selects the list of node id on level from the candidate ids (which
 * may repeat and may include id itself: both skipped). */
static int reselect(graph *g, uint32_t id, unsigned level, const uint32_t *ids, size_t nids)
{
    cand out[2 * IX_MAX_M];
    base b;
    int rc = cand_reserve(&g->hr, &g->hrcap, nids);
    if (rc == HYP_OK)
        rc = hnsw_base(g, id, g->scratch_u, &b);
    cand *c = g->hr;
    size_t nc = 0;
    if (rc == HYP_OK && (rc = graph_visit_begin(g, g->nblocks * IX_BLOCK_SLOTS)) == HYP_OK) {
        g->visit[id] = g->vmark;
        /* The candidates' distances in batches (dist_batch), in id order. */
        for (size_t i = 0; i < nids;) {
            const unsigned char *ps[2 * IX_MAX_M];
            uint32_t bid[2 * IX_MAX_M], nn = 0;
            for (; i < nids && nn < 2 * IX_MAX_M; i++) {
                uint32_t v = ids[i];
                const unsigned char *p;
                if (g->visit[v] == g->vmark || (p = slot_at(g, v)) == NULL ||
                    slot_level(p) < level)
                    continue;
                g->visit[v] = g->vmark;
                ps[nn] = p;
                bid[nn++] = v;
            }
            nc += dist_batch(g, &b, ps, bid, nn, c + nc);
        }
        cand_sort_fast(g, &b, c, nc);
        size_t n = select_heuristic(g, c, nc, level ? g->m : g->m0, out);
        rc = g->err ? g->err : write_list(g, id, level, out, n);
    }
    return rc;
}

/* Adds id to nb's list on level, re-selecting when full. */
static int link_back(graph *g, uint32_t nb, unsigned level, uint32_t id)
{
    uint32_t cnt, ids[129];
    const uint32_t *l = graph_list(g, nb, level, &cnt);
    size_t cap = level ? g->m : g->m0;
    if (l == NULL)
        return g->err;
    if (cnt < cap) {
        uint32_t *count, *w = graph_list_mut(g, nb, level, &count);
        if (w == NULL)
            return g->err ? g->err : ENOMEM;
        w[cnt] = id;
        *count = cnt + 1;
        return HYP_OK;
    }
    memcpy(ids, l, cnt * sizeof *ids);
    ids[cnt] = id;
    return reselect(g, nb, level, ids, cnt + 1);
}

int hnsw_insert(graph *g, uint32_t id, const base *q)
{
    const unsigned char *p = slot_at(g, id);
    if (p == NULL)
        return g->err ? g->err : HYP_ENOTFOUND;
    unsigned level = slot_level(p);
    ixstate *st = &g->st;
    int rc;

    if (st->entry == UINT64_MAX) {
        st->entry = id;
        st->max_level = level;
        st->count++;
        return HYP_OK;
    }
    cand cur;
    if ((rc = hnsw_descend(g, q, level, &cur)) != HYP_OK)
        return rc;
    cand sel[128];
    for (int l = (int)(level < st->max_level ? level : st->max_level); l >= 0; l--) {
        size_t nr;
        if ((rc = hnsw_search_level(g, q, &cur, 1, st->ef_construction, (unsigned)l, NULL, NULL,
                                    &nr)) != HYP_OK)
            return rc;
        cand_sort_fast(g, q, g->h2, nr);
        if ((rc = cand_reserve(&g->h3, &g->h3cap, nr)) != HYP_OK)
            return rc;
        memcpy(g->h3, g->h2, nr * sizeof *g->h3);
        size_t ns = select_heuristic(g, g->h3, nr, g->m, sel);
        cur = g->h3[0];
        if ((rc = write_list(g, id, (unsigned)l, sel, ns)) != HYP_OK)
            return rc;
        for (size_t i = 0; i < ns; i++)
            if ((rc = link_back(g, sel[i].id, (unsigned)l, id)) != HYP_OK)
                return rc;
        if (g->err)
            return g->err;
    }
    if (level > st->max_level) {
        st->entry = id;
        st->max_level = level;
    }
    st->count++;
    return HYP_OK;
}

/* The saved lists of the deleted nodes: for del[i], level l, the ids at
 * saved + off[i * (IX_MAX_LEVEL + 1) + l], count cnt[...]. */
typedef struct saved_lists {
    uint32_t *ids;
    size_t *off;
    uint32_t *cnt;
} saved_lists;

static long find_sorted(const uint32_t *a, size_t n, uint32_t v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && a[lo] == v ? (long)lo : -1;
}

int hnsw_remove(graph *g, const uint32_t *del, size_t ndel)
{
    const size_t nl = IX_MAX_LEVEL + 1;
    saved_lists sv = { 0 };
    size_t total = 0, used = 0;
    uint32_t *cands = NULL;
    int rc = HYP_OK;

    /* Save the deleted nodes' lists, then clear their slots. */
    sv.off = calloc(ndel * nl, sizeof *sv.off);
    sv.cnt = calloc(ndel * nl, sizeof *sv.cnt);
    if (sv.off == NULL || sv.cnt == NULL) {
        rc = ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < ndel; i++) {
        const unsigned char *p = slot_at(g, del[i]);
        if (p != NULL)
            total += g->m0 + (size_t)slot_level(p) * g->m;
    }
    sv.ids = malloc((total + 1) * sizeof *sv.ids);
    cands = malloc((g->m0 * (size_t)(g->m0 + 1) + 1) * sizeof *cands);
    if (sv.ids == NULL || cands == NULL) {
        rc = ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < ndel; i++) {
        const unsigned char *p = slot_at(g, del[i]);
        if (p == NULL)
            continue;
        for (unsigned l = 0; l <= slot_level(p); l++) {
            uint32_t cnt;
            const uint32_t *lst = graph_list(g, del[i], l, &cnt);
            sv.off[i * nl + l] = used;
            sv.cnt[i * nl + l] = cnt;
            memcpy(sv.ids + used, lst, cnt * sizeof *lst);
            used += cnt;
        }
    }
    for (size_t i = 0; i < ndel; i++) {
        if (slot_at(g, del[i]) == NULL)
            continue;
        if ((rc = graph_node_clear(g, del[i])) != HYP_OK)
            goto out;
        g->st.count--;
    }
    if (g->err) {
        rc = g->err;
        goto out;
    }

    /* One pass: repair every list that names a deleted node; find the new
     * entry point if the old one went. */
    int entry_gone = g->st.entry != UINT64_MAX && find_sorted(del, ndel, (uint32_t)g->st.entry) >= 0;
    uint64_t best = UINT64_MAX;
    unsigned best_level = 0;
    size_t limit = g->nblocks * IX_BLOCK_SLOTS;
    for (size_t x = 0; x < limit; x++) {
        const unsigned char *p = slot_at(g, (uint32_t)x);
        if (p == NULL) {
            if (g->err) {
                rc = g->err;
                goto out;
            }
            continue;
        }
        unsigned lx = slot_level(p);
        if (best == UINT64_MAX || lx > best_level) {
            best = x;
            best_level = lx;
        }
        for (unsigned l = 0; l <= lx; l++) {
            uint32_t cnt, n = 0;
            const uint32_t *lst = graph_list(g, (uint32_t)x, l, &cnt);
            int hit = 0;
            for (uint32_t j = 0; j < cnt && !hit; j++)
                hit = find_sorted(del, ndel, lst[j]) >= 0;
            if (!hit)
                continue;
            for (uint32_t j = 0; j < cnt; j++) {
                long di = find_sorted(del, ndel, lst[j]);
                if (di < 0) {
                    cands[n++] = lst[j];
                    continue;
                }
                const uint32_t *dl = sv.ids + sv.off[di * nl + l];
                for (uint32_t t = 0; t < sv.cnt[di * nl + l]; t++)
                    if (find_sorted(del, ndel, dl[t]) < 0)
                        cands[n++] = dl[t];
            }
            if ((rc = reselect(g, (uint32_t)x, l, cands, n)) != HYP_OK)
                goto out;
            p = slot_at(g, (uint32_t)x); /* the block may now be a copy */
        }
    }
    if (entry_gone) {
        g->st.entry = best;
        g->st.max_level = best == UINT64_MAX ? 0 : best_level;
    }
out:
    free(sv.ids);
    free(sv.off);
    free(sv.cnt);
    free(cands);
    return rc;
}
