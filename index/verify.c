/*
 * verify.c — hyp_index_verify: the graph against the store and against its
 * own invariants, in one read transaction.
 *
 * Checked (each failure is a problem): the state record; every point of the
 * store is a node and every node a point; each node's search vector is
 * bit-for-bit the one its point gives and its level the level hash's; lists
 * within capacity, unused entries zero, no self-loop, no duplicate, every
 * neighbour a node of at least that level; the entry point a node of the top
 * level (none above it), or no entry point exactly when the graph is empty;
 * the node count; the stored graph hash equal to the recomputed one.
 * Reachability is measured, not required: HNSW's pruning can in principle
 * leave a node without in-links, which costs recall, not correctness; the
 * number of nodes a breadth-first walk on level 0 does not reach is
 * reported as a note.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "index_internal.h"

typedef struct vctx {
    void (*report)(void *, const char *);
    void *ctx;
    size_t max;
    uint64_t problems;
} vctx;

static void problem(vctx *v, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void problem(vctx *v, const char *fmt, ...)
{
    v->problems++;
    if (v->report == NULL || (v->max && v->problems > v->max))
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    v->report(v->ctx, msg);
}

typedef struct pctx {
    graph *g;
    vctx *v;
    void *x;
    double *u;
    uint64_t points;
} pctx;

static int check_point(void *ctx, uint64_t id, const unsigned char *bytes)
{
    pctx *c = ctx;
    graph *g = c->g;
    c->points++;
    const unsigned char *p = id < UINT32_MAX ? slot_at(g, (uint32_t)id) : NULL;
    if (p == NULL) {
        problem(c->v, "index: point %llu is not in the graph", (unsigned long long)id);
        return g->err;
    }
    double a, cc;
    if (point_decode(g, bytes, c->x) != HYP_OK || point_prepare(g, c->x, &a, &cc, c->u) != HYP_OK)
        return 0; /* the store's verify reports invalid points */
    if (memcmp(&a, p + 16, 8) != 0 || memcmp(&cc, p + 24, 8) != 0 ||
        memcmp(c->u, p + 32, g->n * 8) != 0)
        problem(c->v, "index: node %llu: search vector differs from its point",
                (unsigned long long)id);
    if (slot_level(p) != hnsw_level(g->st.seed, g->st.m, id))
        problem(c->v, "index: node %llu: level %u, the level hash gives %u",
                (unsigned long long)id, slot_level(p), hnsw_level(g->st.seed, g->st.m, id));
    return 0;
}

static void check_lists(graph *g, vctx *v, uint32_t id, const unsigned char *p)
{
    for (unsigned l = 0; l <= slot_level(p); l++) {
        uint32_t cnt;
        const uint32_t *lst = graph_list(g, id, l, &cnt);
        size_t cap = l ? g->m : g->m0;
        if (lst == NULL || cnt > cap) {
            problem(v, "index: node %u level %u: %u neighbours, capacity %zu", id, l,
                    lst ? cnt : 0, cap);
            continue;
        }
        for (size_t j = cnt; j < cap; j++)
            if (lst[j] != 0) {
                problem(v, "index: node %u level %u: unused entry not zero", id, l);
                break;
            }
        for (uint32_t j = 0; j < cnt; j++) {
            const unsigned char *q = slot_at(g, lst[j]);
            if (lst[j] == id)
                problem(v, "index: node %u level %u: links to itself", id, l);
            else if (q == NULL || slot_level(q) < l)
                problem(v, "index: node %u level %u: neighbour %u is not a node of that level",
                        id, l, lst[j]);
            for (uint32_t t = 0; t < j; t++)
                if (lst[t] == lst[j]) {
                    problem(v, "index: node %u level %u: neighbour %u twice", id, l, lst[j]);
                    break;
                }
        }
    }
}

int hyp_index_verify(hyp_index *ix, void (*report)(void *ctx, const char *msg), void *ctx,
                     size_t max_reports, uint64_t *problems)
{
    vctx v = { report, ctx, max_reports, 0 };
    MDB_txn *txn;
    graph g;
    int rc = index_read_graph(ix, &txn, &g);
    if (rc == HYP_ECORRUPT) {
        problem(&v, "index: %s", hyp_store_errmsg(ix->s));
        if (problems)
            *problems = v.problems;
        return HYP_ECORRUPT;
    }
    if (rc != HYP_OK)
        return rc;
    pctx pc = { &g, &v, malloc(g.xbytes), malloc(g.n * 8), 0 };
    uint32_t *queue = NULL;
    if (pc.x == NULL || pc.u == NULL) {
        rc = ENOMEM;
        goto out;
    }
    if ((rc = store_ext_foreach_point(ix->s, txn, check_point, &pc)) != HYP_OK)
        goto out;
    size_t limit = g.nblocks * IX_BLOCK_SLOTS;
    uint64_t nodes = 0;
    unsigned top = 0;
    for (size_t id = 0; id < limit; id++) {
        const unsigned char *p = slot_at(&g, (uint32_t)id);
        if (p == NULL) {
            if (g.err) {
                rc = g.err;
                goto out;
            }
            continue;
        }
        nodes++;
        if (slot_level(p) > top)
            top = slot_level(p);
        const unsigned char *bytes;
        if (store_ext_point(ix->s, txn, id, &bytes) != HYP_OK)
            problem(&v, "index: node %zu has no point in the store", id);
        check_lists(&g, &v, (uint32_t)id, p);
    }
    if (nodes != pc.points || nodes != g.st.count)
        problem(&v, "index: %llu nodes, %llu points, the state says %llu",
                (unsigned long long)nodes, (unsigned long long)pc.points,
                (unsigned long long)g.st.count);
    if (nodes == 0) {
        if (g.st.entry != UINT64_MAX)
            problem(&v, "index: an entry point in an empty graph");
    } else {
        const unsigned char *pe =
            g.st.entry < UINT32_MAX ? slot_at(&g, (uint32_t)g.st.entry) : NULL;
        if (pe == NULL)
            problem(&v, "index: the entry point is not a node");
        else if (slot_level(pe) != g.st.max_level || top != g.st.max_level)
            problem(&v, "index: entry point at level %u, top level %u, state says %u",
                    slot_level(pe), top, g.st.max_level);
        else if ((queue = malloc(nodes * sizeof *queue)) == NULL ||
                 graph_visit_begin(&g, limit) != HYP_OK) {
            rc = ENOMEM;
            goto out;
        } else {
            /* Level-0 reachability, reported as a note. */
            size_t head = 0, tail = 0;
            queue[tail++] = (uint32_t)g.st.entry;
            g.visit[g.st.entry] = g.vmark;
            while (head < tail) {
                uint32_t cnt;
                const uint32_t *lst = graph_list(&g, queue[head++], 0, &cnt);
                for (uint32_t j = 0; lst && j < cnt; j++)
                    if (lst[j] < limit && g.visit[lst[j]] != g.vmark && tail < nodes &&
                        slot_at(&g, lst[j])) {
                        g.visit[lst[j]] = g.vmark;
                        queue[tail++] = lst[j];
                    }
            }
            if (tail < nodes && report) {
                char msg[160];
                snprintf(msg, sizeof msg,
                         "note: index: %llu of %llu nodes not reachable on level 0 (recall only)",
                         (unsigned long long)(nodes - tail), (unsigned long long)nodes);
                report(ctx, msg);
            }
        }
    }
    unsigned char h[HYP_HASH_SIZE];
    int record_ok;
    if (g.st.format < IX_FORMAT) {
        /* Hashed by the old definition, which ghash.c no longer computes. */
        if (report)
            report(ctx, "note: index: format 1, graph hash not checked (the next write "
                        "or `hyperstore index --rebuild` upgrades it)");
    } else if ((rc = graph_hash_check(&g, h, &record_ok)) != HYP_OK) {
        goto out;
    } else {
        if (memcmp(h, g.st.hash, HYP_HASH_SIZE) != 0)
            problem(&v, "index: the graph hash differs from the one stored at the last commit");
        if (!record_ok)
            problem(&v, "index: the stored block digests differ from the blocks");
    }
out:
    free(queue);
    free(pc.x);
    free(pc.u);
    graph_free(&g);
    store_ext_read_end(ix->s, txn, 1);
    if (problems)
        *problems = v.problems;
    if (rc != HYP_OK)
        return rc;
    return v.problems ? HYP_ECORRUPT : HYP_OK;
}
