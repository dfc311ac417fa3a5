/*
 * reach.c — keeping every node reachable on level 0 (hnsw.c departure 6).
 *
 * Why.  HNSW's lists are bounded (2m on level 0) and re-selected by the
 * heuristic when full, and nothing in the paper stops a re-selection from
 * dropping a node's last in-link.  On tree-shaped hyperbolic data it
 * happens in bulk: a parent with hundreds of children, all at the same
 * distance from it and farther from each other (what `hyperstore embed
 * --model caps` makes), fills its list with children, and whole subtrees
 * hanging off it (a sibling hub and its family, reached only through the
 * parent) become islands that no search enters.  The WordNet nouns lost
 * 5,350 of 82,115 nodes that way, and recall@10 was 0.96 at ef 160.
 *
 * What.  After a batch's changes (all but most small batches that only
 * insert: build.c, reconnect_due), and every so often inside a large one,
 * a breadth-first walk from the entry point marks what level 0
 * reaches, in order.  Each node left out, in ascending id, gets an in-link
 * from a reached node of its own level-0 list (its closest neighbours, as
 * the heuristic wrote them): appended where a list has room, else in place
 * of the entry farthest from the list's owner among those that keep a path
 * without it (link_in).  The walk then continues from the newly linked
 * node, which brings in the nodes behind it.  A node none of whose
 * neighbours is reached (all cut off with it, as more than 2m copies of
 * one point are, each listing only the others) is linked from the closest
 * reached node a search for it finds.

 * Cost.  One pass over the level-0 lists per walk: less than the graph
 * hash (build.c), which every commit computes over every list too.  Determinism: ids in ascending order, distances by the
 * graph's order (proxy_fast, S bits then id): a function of the graph.
 */
#include <errno.h>
#include <stdlib.h>

#include "index_internal.h"

#define REACH_ROUNDS 8

typedef struct reach {
    uint32_t *rin;        /* level-0 in-links of each reached id from nodes
                             reached before it */
    uint32_t *order;      /* when each reached id was reached */
    uint32_t next;        /* the next order */
    unsigned char *seen;  /* 1: reached from the entry point */
    uint32_t *queue;      /* breadth-first queue */
    size_t limit;
} reach;

/* Walks level 0 from start (already marked seen, with its order),
 * marking what it reaches. */
static void walk(graph *g, reach *r, uint32_t start)
{
    size_t head = 0, tail = 0;
    r->queue[tail++] = start;
    while (head < tail) {
        uint32_t u = r->queue[head++], cnt;
        const uint32_t *l = graph_list(g, u, 0, &cnt);
        for (uint32_t j = 0; l && j < cnt; j++) {
            uint32_t v = l[j];
            if (v >= r->limit)
                continue;
            if (!r->seen[v]) {
                r->seen[v] = 1;
                r->order[v] = r->next++;
                r->rin[v] = 0;
                r->queue[tail++] = v;
            }
            if (r->order[v] > r->order[u])
                r->rin[v]++;
        }
    }
}

/* Marks x reached (just linked from a reached node) and walks from it. */
static void reach_from(graph *g, reach *r, uint32_t x)
{
    r->seen[x] = 1;
    r->order[x] = r->next++;
    r->rin[x] = 1;
    walk(g, r, x);
}

/* Adds the link y -> x on level 0: appended, or with evict, in place of
 * the entry farthest from y (S bits, then id) that keeps a path: an entry
 * z reached before y has nothing to lose, and one reached after y has one
 * when another node reached before z lists it (so every reached node keeps
 * an in-link from an earlier one, hence a path from the entry).  1 when
 * linked, 0 when not possible, -1 on error. */
static int link_in(graph *g, reach *r, uint32_t y, uint32_t x, int evict)
{
    uint32_t cnt;
    const unsigned char *py = slot_at(g, y);
    const uint32_t *l = graph_list(g, y, 0, &cnt);
    if (py == NULL || l == NULL)
        return -1;
    long victim = -1;
    if (cnt >= g->m0 && !evict)
        return 0;
    if (cnt >= g->m0) {
        base by = { slot_a(py), slot_c(py), slot_u(py), NULL, y, g->ec };
        cand worst = { 0, 0, 0 };
        for (uint32_t j = 0; j < cnt; j++) {
            const unsigned char *pz = slot_at(g, l[j]);
            uint32_t z = l[j];
            if (pz == NULL || z >= r->limit || !r->seen[z] ||
                r->rin[z] < 1u + (r->order[y] < r->order[z]))
                continue;
            /* S bits then id; an S that overflowed (e infinite) counts as
             * farthest: by has no coordinates for the exact order. */
            cand d;
            proxy_fast(&by, slot_a(pz), slot_c(pz), proxy_dd(g->n, by.u, slot_u(pz)), &d);
            d.id = z;
            if (d.e != 0)
                d.s = INFINITY;
            if (victim < 0 || d.s > worst.s || (d.s == worst.s && d.id > worst.id)) {
                worst = d;
                victim = j;
            }
        }
        if (victim < 0)
            return 0;
    }
    uint32_t *count, *w = graph_list_mut(g, y, 0, &count);
    if (w == NULL)
        return -1;
    if (victim < 0) {
        w[cnt] = x;
        *count = cnt + 1;
    } else {
        if (r->order[y] < r->order[w[victim]])
            r->rin[w[victim]]--;
        w[victim] = x;
    }
    return 1;
}

/* Links x from the closest node a search for x finds (the search only
 * finds reached nodes): for nodes whose own neighbours are all cut off with
 * them, such as more than 2m copies of one point, each listing only the
 * others.  1 linked, 0 not, -1 error. */
static int link_found(graph *g, reach *r, uint32_t x, base *b, double *ubuf)
{
    size_t nr;
    if (hnsw_base(g, x, ubuf, b) != HYP_OK ||
        hnsw_nearest(g, b, g->st.ef_construction, &nr) != HYP_OK)
        return -1;
    if (cand_reserve(&g->h3, &g->h3cap, nr) != HYP_OK)
        return -1;
    memcpy(g->h3, g->h2, nr * sizeof *g->h3);
    for (int evict = 0; evict < 2; evict++)
        for (size_t i = 0; i < nr; i++) {
            if (g->h3[i].id == x || g->h3[i].id >= r->limit || !r->seen[g->h3[i].id])
                continue;
            int k = link_in(g, r, g->h3[i].id, x, evict);
            if (k != 0)
                return k;
        }
    return 0;
}

int hnsw_reconnect(graph *g)
{
    if (g->st.entry == UINT64_MAX)
        return HYP_OK;
    reach r = { 0 };
    r.limit = g->nblocks * IX_BLOCK_SLOTS;
    r.rin = malloc(r.limit * sizeof *r.rin);
    r.order = malloc(r.limit * sizeof *r.order);
    r.seen = malloc(r.limit);
    r.queue = malloc(r.limit * sizeof *r.queue);
    double *ubuf = malloc(g->n * sizeof *ubuf);
    base b;
    int rc = r.rin && r.order && r.seen && r.queue && ubuf ? HYP_OK : ENOMEM;
    /* A link never cuts another node off (link_in), so a round ends with
     * every node reached but those it could not link; another round helps
     * only when something was linked after such a node. */
    for (int round = 0, again = 1; rc == HYP_OK && again && round < REACH_ROUNDS; round++) {
        int linked = 0, failed = 0;
        memset(r.seen, 0, r.limit);
        r.next = 0;
        reach_from(g, &r, (uint32_t)g->st.entry);
        for (size_t x = 0; x < r.limit && rc == HYP_OK; x++) {
            if (r.seen[x] || slot_at(g, (uint32_t)x) == NULL)
                continue;
            int k = 0;
            uint32_t cnt;
            const uint32_t *l = graph_list(g, (uint32_t)x, 0, &cnt);
            for (int evict = 0; evict < 2 && k == 0; evict++)
                for (uint32_t j = 0; l && j < cnt && k == 0; j++) {
                    if (l[j] >= r.limit || !r.seen[l[j]])
                        continue;
                    k = link_in(g, &r, l[j], (uint32_t)x, evict);
                    l = graph_list(g, (uint32_t)x, 0, &cnt); /* the block may be a copy now */
                }
            if (k == 0) /* no neighbour of x is reached: search for x */
                k = link_found(g, &r, (uint32_t)x, &b, ubuf);
            if (k < 0) {
                rc = g->err ? g->err : ENOMEM;
            } else if (k > 0) {
                reach_from(g, &r, (uint32_t)x);
                linked = 1;
            } else {
                failed = 1;
            }
        }
        again = linked && failed;
    }
    if (rc == HYP_OK && g->err)
        rc = g->err;
    free(r.rin);
    free(r.order);
    free(r.seen);
    free(r.queue);
    free(ubuf);
    return rc;
}
