/*
 * index_internal.h — what the files of index/ share.
 *
 * On-disk layout (index format 2).  Two named databases of the store:
 *   ix_meta    "state" -> the index record (ixstate below, little-endian)
 *              "digests" -> nblocks x 32 bytes, each block's digest
 *              (ghash.c; new in format 2, the only difference from 1)
 *   ix_blocks  block number (u64 BE) -> one block
 * Point ids are dense (store ids: assigned in order, never reused), so the
 * node of id i is slot i % IX_BLOCK_SLOTS of block i / IX_BLOCK_SLOTS: no
 * id -> node table.  A block is IX_BLOCK_SLOTS slots of slot_size bytes, then
 * the upper-level lists of its nodes of level >= 1, in slot order, packed:
 *
 *   slot (offsets in bytes, all little-endian, 8-byte aligned):
 *     0  u32 flags        SLOT_PRESENT, or 0 for an id not in the graph
 *                         (then the whole slot is zero)
 *     4  u32 level        0..IX_MAX_LEVEL
 *     8  u32 upper        offset in the block of this node's level-1..level
 *                         lists (0 when level = 0)
 *    12  u32 deg0         neighbours on level 0
 *    16  f64 a            sinh(radius) = |x_s|, the Lorentz spatial norm
 *    24  f64 c            cosh(radius) = sqrt(1 + a^2)
 *    32  f64 u[n]         direction x_s / a (zero at the origin)
 *    32+8n u32 nbr0[2m]   level-0 neighbours (ids), unused entries zero
 *   upper lists, for l = 1..level:  u32 count, u32 ids[m] (unused zero)
 *
 * A block is big enough (> 2 KiB) to sit on LMDB overflow pages, which are
 * contiguous in the map and start 16 bytes into a page: the f64 fields are
 * read in place, 8-byte aligned.  Nothing in a block depends on history but
 * the graph itself (upper lists are repacked when a block is written), so
 * equal graphs have equal bytes.
 */
#ifndef HYP_INDEX_INTERNAL_H
#define HYP_INDEX_INTERNAL_H

#include <float.h>
#include <lmdb.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "hyp_fixed.h"
#include "hyp_index.h"
#include "store_ext.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "index/ reads the graph in place and needs a little-endian host"
#endif

#define IX_FORMAT 2         /* written; format 1 is read and upgraded (ghash.c) */
#define IX_EXT_NAME "hnsw"
#define IX_BLOCK_SHIFT 6
#define IX_BLOCK_SLOTS (1u << IX_BLOCK_SHIFT)
#define IX_MAX_LEVEL 15
#define IX_MAX_M 64         /* m: 2..IX_MAX_M (level 0 holds 2m) */
#define IX_NONE UINT32_MAX
#define SLOT_PRESENT 1u

#define IX_DB_META "ix_meta"
#define IX_DB_BLOCKS "ix_blocks"

/* The index record ("state" in ix_meta). */
typedef struct ixstate {
    uint32_t format, m, ef_construction, max_level;
    uint64_t seed;
    uint64_t entry;      /* UINT64_MAX: empty graph */
    uint64_t count;      /* nodes */
    uint64_t nblocks;    /* blocks ever written (ids < nblocks * IX_BLOCK_SLOTS) */
    uint64_t generation;
    unsigned char hash[HYP_HASH_SIZE];
} ixstate;
#define IXSTATE_BYTES (4 * 4 + 8 * 5 + HYP_HASH_SIZE)

void ixstate_encode(const ixstate *st, unsigned char *p);
int ixstate_decode(const unsigned char *p, size_t len, ixstate *st);

/* A candidate: proxy S = sinh^2(d/2) of its distance to the current base
 * point, with an absolute error bound E (proxy.c). */
typedef struct cand {
    double s, e;
    uint32_t id;
} cand;

/* The base of distance computations: a point's search vector (a, c, u) and,
 * for exact comparisons, its coordinates in the store's model. */
typedef struct base {
    double a, c;
    const double *u;    /* n doubles */
    const void *x;      /* the point as stored (or the query), decoded: width
                           doubles, or a fixed store's words (point.c); NULL
                           for a stored node until an exact comparison
                           needs it (proxy.c loads it into g->xq) */
    uint32_t id;        /* IX_NONE for a vector query */
    double ec;          /* bound on |eps_q - eps_y|, the componentwise errors
                           of two unit vectors (proxy_ec) */
} base;

/*
 * The graph as one transaction sees it.  Blocks are resolved to pointers
 * lazily, once per generation of the index (ptr[b] valid while tag[b] ==
 * stamp).  The writer keeps modified blocks as malloc'd copies (dirty[b]),
 * written back by graph_flush.
 */
typedef struct graph {
    hyp_store *s;
    MDB_txn *txn;
    MDB_dbi dbi_meta, dbi_blocks;
    hyp_model model;
    size_t n, width;        /* dimension, doubles per stored point */
    hyp_fixed_format fmt;   /* a fixed store's format; 0 for binary64 */
    size_t xbytes;          /* bytes of one decoded point (point.c) */
    double ec;              /* proxy_ec of the store's search vectors */
    size_t m, m0;           /* capacities: levels >= 1, level 0 */
    size_t slot_size;       /* bytes */
    size_t upper_rec;       /* bytes of one upper list: 4 (1 + m) */
    ixstate st;
    /* blocks */
    size_t nblocks, cap;
    unsigned char **ptr;
    uint64_t *tag;
    uint64_t stamp;
    size_t *len;            /* bytes of each resolved block */
    unsigned char *dirty;   /* writer: 1 if ptr[b] is our malloc'd copy */
    size_t *dcap;           /* writer: capacity of the copy */
    int writer;
    /* visited set: visit[id] == vmark means visited */
    uint32_t *visit;
    size_t visit_cap;
    uint32_t vmark;
    /* heaps and scratch, grown as needed, kept across searches */
    cand *h1, *h2, *h3, *hs, *hr; /* hs: cand_sort_fast's merge buffer;
                                     hr: reselect's candidates */
    size_t h1cap, h2cap, h3cap, hscap, hrcap;
    void *xa, *xb, *xq;     /* one decoded point each (xbytes, malloc'd, so
                               aligned for any word type): exact comparisons;
                               xq: a base's own point, loaded on demand */
    double *scratch_u;      /* n doubles: reselect's base direction */
    double *scratch_x;      /* n + 1 doubles: point_prepare */
    void *zero;             /* fixed stores: the origin's words (point_radius) */
    int err;                /* first error inside a search (ENOMEM, LMDB) */
} graph;

/* ---- layout.c ---- */
int graph_init(graph *g, hyp_index *ix, const ixstate *st);
void graph_free(graph *g);
/* Sets the transaction and (for a reader) invalidates cached blocks when
 * the generation or the map changed. */
void graph_bind(graph *g, MDB_txn *txn, uint64_t stamp);
int graph_reserve_blocks(graph *g, size_t nblocks);
int graph_resolve(graph *g, size_t b);
/* Where the slot of id is, present or not (NULL when the id is beyond the
 * blocks): for prefetching before the slot is read. */
static inline const unsigned char *slot_addr(graph *g, uint32_t id)
{
    size_t b = id >> IX_BLOCK_SHIFT;
    if (b >= g->nblocks)
        return NULL;
    if (g->tag[b] != g->stamp && graph_resolve(g, b) != 0)
        return NULL;
    if (g->ptr[b] == NULL)
        return NULL;
    return g->ptr[b] + (size_t)(id & (IX_BLOCK_SLOTS - 1)) * g->slot_size;
}
/* The slot of id, or NULL when the id is beyond the blocks or absent. */
static inline const unsigned char *slot_at(graph *g, uint32_t id)
{
    const unsigned char *p = slot_addr(g, id);
    return p && (*(const uint32_t *)p & SLOT_PRESENT) ? p : NULL;
}
static inline uint32_t slot_level(const unsigned char *p) { return ((const uint32_t *)p)[1]; }
static inline double slot_a(const unsigned char *p) { return ((const double *)p)[2]; }
static inline double slot_c(const unsigned char *p) { return ((const double *)p)[3]; }
static inline const double *slot_u(const unsigned char *p) { return (const double *)p + 4; }
/* The list of id on level l: [out] *cnt; NULL if absent. */
const uint32_t *graph_list(graph *g, uint32_t id, unsigned level, uint32_t *cnt);
/* Writer: a writable slot (makes the block dirty; creates it if missing). */
unsigned char *graph_slot_mut(graph *g, uint32_t id);
/* Writer: writable list of id on level l; [out] *count: its count. */
uint32_t *graph_list_mut(graph *g, uint32_t id, unsigned level, uint32_t **count);
/* Writer: makes the slot of id a node of the given level with search vector
 * (a, c, u) and empty lists. */
int graph_node_init(graph *g, uint32_t id, unsigned level, double a, double c, const double *u);
/* Writer: zeroes the slot of id. */
int graph_node_clear(graph *g, uint32_t id);
/* Writer: writes every dirty block and the state record. */
int graph_flush(graph *g);
/* Reads ix_meta's state record. */
int graph_read_state(hyp_store *s, MDB_txn *txn, MDB_dbi dbi, ixstate *st);
int graph_write_state(graph *g);
/* Grows a cand array to hold n. */
int cand_reserve(cand **a, size_t *cap, size_t n);
/* Visited set for ids < limit, cleared. */
int graph_visit_begin(graph *g, size_t limit);

/* ---- proxy.c ---- */
/* The search vector of a point (in the store's model): a, c and u (n
 * doubles); scratch: n + 1 doubles.  Returns HYP_OK or hyp_point_check's code. */
int proxy_prepare(hyp_model model, size_t n, const double *x, double *scratch, double *a,
                  double *c, double *u);
/* The same from a Lorentz spatial part xs (n doubles, finite), unchecked:
 * what proxy_prepare does for a Lorentz point. */
void proxy_prepare_spatial(size_t n, const double *xs, double *a, double *c, double *u);
/* S and its error bound for the base and a node's search vector. */
void proxy_dist(size_t n, const base *q, double a, double c, const double *u, cand *out);
/* D = |u_q - u|^2, four lanes in a fixed order (the first half of
 * proxy_dist, inline for the scan's cheap rejection). */
static inline double proxy_dd(size_t n, const double *uq, const double *u)
{
    double l0 = 0, l1 = 0, l2 = 0, l3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        double d0 = uq[i] - u[i], d1 = uq[i + 1] - u[i + 1];
        double d2 = uq[i + 2] - u[i + 2], d3 = uq[i + 3] - u[i + 3];
        l0 += d0 * d0;
        l1 += d1 * d1;
        l2 += d2 * d2;
        l3 += d3 * d3;
    }
    for (; i < n; i++) {
        double d = uq[i] - u[i];
        l0 += d * d;
    }
    return (l0 + l1) + (l2 + l3);
}
/* The rest of proxy_dist from D. */
void proxy_finish(size_t n, const base *q, double a, double c, double dd, cand *out);
/* S alone from D, without its error bound: the same operations in the same
 * order as proxy_finish, so the same bits (the build has no fma
 * contraction).  e is 0, or S is 0 and e infinite where proxy_finish's S
 * would not be finite (radii past ~350): such a candidate is ordered
 * exactly (cand_fast_cmp).  For the graph's own orders (hnsw.c departure
 * 2), which need no bound. */
static inline void proxy_fast(const base *q, double a, double c, double dd, cand *out)
{
    double g2 = q->a * a;
    double bterm = 0.25 * g2 * dd;
    double den = q->a * c + a * q->c, s = 0;
    if (den > 0) {
        double sum = q->a + a;
        s = ((q->a - a) * sum) / den;
    }
    double s2 = s * s;
    double sv = s2 / (2.0 * (sqrt(1.0 + s2) + 1.0)) + bterm;
    if (sv <= DBL_MAX) {
        out->s = sv;
        out->e = 0;
    } else {
        out->s = 0;
        out->e = INFINITY;
    }
}
/* A lower bound of the true S from D alone, without division or square
 * root: S >= sinh r_q sinh r_y sin^2(theta/2) = a_q a_y D_true / 4, with
 * D_true >= dd (1 - 1e-6) - 1e-20 (proxy.c's bound on D with sqrt(dd) <=
 * dd / 2t + t / 2, t = 1e-8, far inside these constants for n < 10^6) and
 * the relative errors of a_q, a_y and the products inside qf (see
 * proxy_floor_factor).  Only for finite a (an infinite one stands for any
 * radius past 710).  For rejecting nodes whose S is surely above a
 * threshold before the proxy's division and square roots. */
static inline double proxy_floor(double qf, double a, double dd)
{
    return qf * a * (dd * (1 - 0x1p-20) - 1e-20);
}
/* The factor qf of proxy_floor for base q: a_q / 4 less the relative
 * errors; 0 (no rejection) when a_q is not finite. */
double proxy_floor_factor(size_t n, const base *q);
/* Bound on |eps_q - eps_y| for search vectors made from points as stored
 * (rounded: 0) or from a correctly rounded image of them (1: fixed stores). */
double proxy_ec(size_t n, int rounded);
/* Exact order of candidates x, y by distance to q: -1, 1 (ties by id). */
int proxy_cmp(graph *g, const base *q, const cand *x, const cand *y);
/* The graph's order of candidates made by proxy_fast: by the bits of S,
 * then by id (hnsw.c departure 2); exact (proxy_cmp) only for a candidate
 * whose S overflowed.  The same on every platform, and no stored point is
 * read. */
static inline int cand_fast_cmp(graph *g, const base *q, const cand *x, const cand *y)
{
    if (x->e != 0 || y->e != 0) /* rare */
        return proxy_cmp(g, q, x, y);
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}
/* Exact radius order of node id against the base: -1 smaller, 0, 1. */
int proxy_radius_cmp(graph *g, const base *q, uint32_t id, double a);
/* Loads the stored point of id, decoded, into dst (g->xbytes). */
int proxy_load(graph *g, uint32_t id, void *dst);

/* ---- point.c: the store's representation (binary64 or fixed point) ---- */
/* The representation of ix's store into the graph's fmt, xbytes and ec. */
void point_setup(graph *g, const hyp_index *ix);
/* Decodes point_bytes stored bytes into dst (xbytes): HYP_OK or the fixed
 * format's check code. */
int point_decode(const graph *g, const unsigned char *bytes, void *dst);
/* A query vector (width doubles in the model) into dst, rounded into a fixed
 * store's format: HYP_OK, a hyp_point_check code or HYP_EFIXED_RANGE. */
int point_from_vector(graph *g, const double *v, void *dst);
/* The search vector (a, c, u) of a decoded point (proxy_prepare's codes). */
int point_prepare(graph *g, const void *x, double *a, double *c, double *u);
/* Exact orders: d(q, x) against d(q, y), radius of x against y.  A
 * comparison too close to decide (HYP_EUNDECIDED) is a tie. */
int point_dist_cmp(const graph *g, const void *q, const void *x, const void *y, int *order);
int point_radius_cmp(const graph *g, const void *x, const void *y, int *order);
/* The distance d(x, y) and the radius of x, as hyp_hit reports them. */
int point_dist(const graph *g, const void *x, const void *y, double *d);
int point_radius(const graph *g, const void *x, double *r);
/* Bitwise equality of two decoded points. */
static inline int point_same(const graph *g, const void *x, const void *y)
{
    return memcmp(x, y, g->xbytes) == 0;
}

/* ---- hnsw.c ---- */
unsigned hnsw_level(uint64_t seed, unsigned m, uint64_t id);
/* Greedy/ef search on one level from the entry points eps (made by
 * proxy_fast); results in g->h2 (max-heap of size <= ef, cand_fast_cmp's
 * order; their e is proxy_fast's, not a bound).  filter/ctx only
 * decide which nodes may enter the results. */
typedef int (*node_filter)(void *ctx, graph *g, uint32_t id, const unsigned char *slot);
int hnsw_search_level(graph *g, const base *q, const cand *eps, size_t neps, size_t ef,
                      unsigned level, node_filter filter, void *fctx, size_t *nres);
/* Sorts cands ascending in exact order (heap sort; total order). */
void cand_sort(graph *g, const base *q, cand *a, size_t n);
/* The same in the graph's order (cand_fast_cmp), for cands of proxy_fast. */
void cand_sort_fast(graph *g, const base *q, cand *a, size_t n);
/* Links a node (its slot already initialised) into the graph; q: its base
 * (search vector and coordinates). */
int hnsw_insert(graph *g, uint32_t id, const base *q);
/* Removes the nodes of the sorted id list del and repairs their
 * neighbourhoods (one pass over the graph). */
int hnsw_remove(graph *g, const uint32_t *del, size_t ndel);
/* Greedy descent from the entry point down to level stop + 1: [out] *cur,
 * the node where the search of level stop starts (proxy_fast's S). */
int hnsw_descend(graph *g, const base *q, unsigned stop, cand *cur);
/* The ef nearest nodes to q on level 0 by the graph's search (descent from
 * the entry point), in g->h2, sorted closest first (cand_fast_cmp). */
int hnsw_nearest(graph *g, const base *q, size_t ef, size_t *nres);
/* reach.c: links every node that a level-0 walk from the entry point does
 * not reach from a reached neighbour (hnsw.c departure 6). */
int hnsw_reconnect(graph *g);
/* Base of a stored node: its search vector, copied from its slot into ubuf
 * (n doubles); its coordinates are read only if an exact comparison needs
 * them. */
int hnsw_base(graph *g, uint32_t id, double *ubuf, base *q);

/* heap helpers (hnsw.c) */
void heap_push_max(graph *g, const base *q, cand *h, size_t *n, cand c);
void heap_pop_max(graph *g, const base *q, cand *h, size_t *n);

/* ---- ghash.c ---- */
/* The graph hash recomputed from every block. */
int graph_hash(graph *g, unsigned char *hash);
/* Writer, before graph_flush: brings the stored block digests up to date
 * (those of dirty blocks; all of them when all is set or the record does
 * not match) and sets g->st.hash and the format.  MDB_MAP_FULL passes
 * through. */
int graph_hash_commit(graph *g, int all);
/* verify: the hash from every block, and whether the stored digests
 * record equals the recomputed digests. */
int graph_hash_check(graph *g, unsigned char *hash, int *record_ok);

/* ---- build.c ---- */
/* A reader's graph over the latest commit; end with graph_free and
 * store_ext_read_end(s, txn, 1). */
int index_read_graph(hyp_index *ix, MDB_txn **txn, graph *g);
/* search.c: frees the pooled searchers. */
void index_pool_free(hyp_index *ix);

struct hyp_index {
    hyp_store *s;
    hyp_fixed_format fmt;   /* the store's fixed format; 0 for binary64 */
    size_t point_bytes;     /* bytes of one stored point */
    MDB_dbi dbi_meta, dbi_blocks;
    store_ext ext;
    pthread_mutex_t pool_lock;
    hyp_searcher *pool;     /* idle searchers */
    unsigned searchers;     /* alive, pooled or not */
};

#endif
