/*
 * hyp_index.h — nearest-neighbour and hierarchy queries over a store
 * (hyp_store.h): an HNSW graph kept in the store's own LMDB environment, an
 * exact scan beside it, and the closest-parent / ancestor / descendant
 * queries of hyperbolic embeddings.
 *
 * The index lives in two named databases of the store and changes in the
 * same write transaction as the points: once a store has an index, every
 * batch on a handle with the index attached (hyp_index_open or
 * hyp_index_create) updates it at commit, and a batch on a handle without it
 * fails with HYP_ENEEDINDEX rather than leave it stale.  Opening is instant:
 * nothing is loaded, queries read the graph in the map.
 *
 * Results are exact rankings: "closer" is decided by hyp_dist_cmp's exact
 * order (a fast proxy decides when it can prove the order, see proxy.c), and
 * ties are broken by the smaller id.
 *
 * Fixed-point stores (HYP_REPR_Q32/Q64/Q128, geom/hyp_fixed.h) are indexed
 * the same way: rankings and radius tests are decided exactly on the stored
 * words (hyp_fixed_dist_cmp, hyp_fixed_radius_cmp), a vector query is first
 * rounded into the store's format with hyp_fixed_from_double (as
 * hyp_batch_put stores a binary64 point; HYP_EFIXED_RANGE when it does not
 * fit), and reported distances and radii are hyp_fixed_dist_wide's Q64.64
 * value rounded to the nearest double (integer arithmetic: the same bits
 * everywhere).  A deep q128 Poincaré point with no binary64 image is
 * indexed and queried like any other.  So the exact scan's answer is the same
 * on every platform, and the graph, built from the same operations, has the
 * same bytes everywhere (hnsw.c explains the one place where that rests on
 * geom's conversions being bit-reproducible).
 *
 * Threads.  A hyp_index may be shared by threads.  A hyp_searcher (its read
 * transaction, visited set, heaps and cached block pointers) belongs to one
 * thread at a time; hyp_index_search takes one from the handle's pool, so a
 * shared handle needs no setup.  Each search runs in a read transaction of
 * its own (LMDB reset/renew: no allocation in the steady state) and sees the
 * latest commit.  Pointers a search returns (labels) stay valid until the
 * next search on the same searcher or hyp_searcher_release.
 *
 * Requirements: a little-endian host (the graph is read in place); point ids
 * below 2^32 (HYP_EINDEX_LIMIT).
 *
 * Errors: the codes of hyp_error.h; hyp_store_errmsg() of the store handle
 * gives details.
 */
#ifndef HYP_INDEX_H
#define HYP_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "hyp_store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hyp_index_config {
    unsigned m;               /* neighbours per node on levels >= 1, 2m on level 0;
                                 0: 16; 2..64 */
    unsigned ef_construction; /* candidates kept while inserting; 0: 200; >= m */
    uint64_t seed;            /* seed of the level hash (any value, 0 included) */
} hyp_index_config;

typedef struct hyp_index hyp_index;

/*
 * hyp_index_create — builds an index over every point of s (one write
 * transaction, not logged: the content does not change) and attaches it.
 *   [in] s (read-write), cfg (NULL: defaults); [out] *out.
 * Returns HYP_OK, HYP_EEXISTS (s has an index), HYP_EREADONLY, HYP_EBUSY,
 * HYP_EINDEX_LIMIT, EINVAL (cfg out of range), ENOMEM, an LMDB-mapped code.
 */
HYP_EXPORT int hyp_index_create(hyp_store *s, const hyp_index_config *cfg, hyp_index **out);

/* hyp_index_open — the index of s, attached to s so that batches update it.
 * Returns HYP_OK, HYP_ENOINDEX, HYP_ECORRUPT, ENOMEM, an LMDB-mapped code. */
HYP_EXPORT int hyp_index_open(hyp_store *s, hyp_index **out);

/* hyp_index_attach — opens the index of s and hands it to s: batches on s
 * update it, and hyp_store_close frees it.  For programs that write through
 * a store handle and never query (the CLI's import, delete, edges).
 * Returns HYP_OK, HYP_ENOINDEX (nothing to attach: writes need nothing),
 * or hyp_index_open's codes. */
HYP_EXPORT int hyp_index_attach(hyp_store *s);

/* Detaches and frees; NULL is a no-op.  Searchers must be destroyed first.
 * Close it before its store. */
HYP_EXPORT void hyp_index_close(hyp_index *ix);

/* Rebuilds the graph from the points, from scratch, with the same
 * parameters (cfg NULL) or new ones.  The result is the graph
 * hyp_index_create would build now. */
HYP_EXPORT int hyp_index_rebuild(hyp_index *ix, const hyp_index_config *cfg);

/* Removes the index from the store and closes ix (also on failure). */
HYP_EXPORT int hyp_index_drop(hyp_index *ix);

typedef struct hyp_index_info {
    unsigned m, ef_construction;
    uint64_t seed;
    uint64_t count;      /* points in the graph */
    unsigned max_level;  /* level of the entry point */
    uint64_t entry;      /* entry point id; UINT64_MAX when empty */
    uint64_t bytes;      /* size of the graph's blocks */
    uint64_t generation; /* bumped at every commit that changed the graph */
    unsigned char graph_hash[HYP_HASH_SIZE]; /* see hyp_index_hash */
} hyp_index_info;

HYP_EXPORT int hyp_index_get_info(hyp_index *ix, hyp_index_info *info);

/* The graph hash: BLAKE2b-256 over the parameters, the entry point and a
 * digest per block of 64 node ids (each node's level and neighbour lists;
 * index/ghash.c gives the serialisation), recomputed now from every block.
 * Every commit stores it too (hyp_index_info.graph_hash), rehashing only
 * the blocks it wrote; verify compares the two. */
HYP_EXPORT int hyp_index_hash(hyp_index *ix, unsigned char *hash);

/*
 * hyp_index_verify — checks the graph's invariants against the store: every
 * point in the graph and nothing else; each node's search vector equal to
 * the one its point gives; levels equal to the level hash; lists within
 * capacity, without duplicates or self-loops, naming nodes present at that
 * level; the entry point at the top level; the stored graph hash equal to
 * the recomputed one.  Nodes a walk of level 0 from the entry point does
 * not reach are reported as a "note: ..." line (a recall matter, not a
 * broken invariant) and not counted.  Same reporting as hyp_store_verify.
 * Returns HYP_OK or HYP_ECORRUPT.
 */
HYP_EXPORT int hyp_index_verify(hyp_index *ix, void (*report)(void *ctx, const char *msg),
                                void *ctx, size_t max_reports, uint64_t *problems);

/* ---- queries ---- */

/* Query flags. */
#define HYP_SEARCH_EXACT 0x1u        /* scan every point instead of the graph */
#define HYP_SEARCH_SMALLER 0x2u      /* only points of smaller radius than the query
                                        (closest parents, gensim's closest_parent) */
#define HYP_SEARCH_LARGER 0x4u       /* only points of larger radius (closest children) */
#define HYP_SEARCH_INCLUDE_SELF 0x8u /* a query by id or label may return itself */
#define HYP_SEARCH_NO_DIST 0x10u     /* skip computing hit distances (hits[i].dist = NaN) */
#define HYP_SEARCH_ISA 0x20u         /* rank by the is-a score, best first (see score) */

/* A filter: non-zero keeps the point. Called from the searching thread. */
typedef int (*hyp_filter_fn)(void *ctx, uint64_t id);

typedef struct hyp_query {
    /* The query point: vector if not NULL (width doubles of the store's
     * model, checked with hyp_point_check; on a fixed-point store rounded
     * into its format first, hyp_fixed_from_double), else label if not
     * NULL, else id. */
    const double *vector;
    const char *label;
    size_t label_len;
    uint64_t id;
    size_t k;             /* hits wanted, >= 1 */
    size_t ef;            /* graph search breadth; 0: max(k, 64); raised to k */
    unsigned flags;       /* HYP_SEARCH_* */
    hyp_filter_fn filter; /* NULL: none */
    void *filter_ctx;
    double max_dist;      /* > 0: only points within this distance (d <= max_dist,
                             d as hyp_hit.dist reports it); 0: no bound */
    double alpha;         /* HYP_SEARCH_ISA: score(v) = -(1 + alpha (r_v - r_q)) d(q, v),
                             r the hyperbolic radius (Nickel & Kiela) */
} hyp_query;

typedef struct hyp_hit {
    uint64_t id;
    double dist;  /* hyp_dist to the query (4 ulp); on a fixed-point store
                     hyp_fixed_dist_wide rounded to nearest (within 2^-64 +
                     0.5 ulp of the exact distance between the stored points);
                     NaN with HYP_SEARCH_NO_DIST */
    double score; /* the is-a score with HYP_SEARCH_ISA, else -dist */
} hyp_hit;

typedef struct hyp_searcher hyp_searcher;

/* A searcher for one thread at a time.  [out] *out.  HYP_OK, ENOMEM, LMDB. */
HYP_EXPORT int hyp_searcher_create(hyp_index *ix, hyp_searcher **out);
HYP_EXPORT void hyp_searcher_destroy(hyp_searcher *sr);

/*
 * hyp_search — the k closest points to the query, closest first (exact order,
 * ties by id), among those passing the flags, filter and max_dist.  Graph
 * search is approximate (recall depends on ef); HYP_SEARCH_EXACT is exact.
 * A selective filter switches to a scan of the candidates (search.c).
 *   [out] hits (k entries), *count (<= k).
 * Returns HYP_OK; HYP_ENOTFOUND (no such label or id); HYP_ELABEL_*; a
 * hyp_point_check code for a bad vector; HYP_EFIXED_RANGE (a fixed-point
 * store: the vector does not fit its format); EINVAL (k = 0); LMDB codes.
 * Never writes to the store.
 */
HYP_EXPORT int hyp_search(hyp_searcher *sr, const hyp_query *q, hyp_hit *hits, size_t *count);

/* nq queries one after another in one call: query i's hits start at
 * hits + q[0].k + ... + q[i-1].k, and counts[i] gets its count.  Stops at
 * the first failing query and returns its code; *done (may be NULL) tells
 * how many succeeded. */
HYP_EXPORT int hyp_search_batch(hyp_searcher *sr, const hyp_query *q, size_t nq, hyp_hit *hits,
                                size_t *counts, size_t *done);

/* The chain of closest parents of a stored point: its closest point of
 * smaller radius, that one's, and so on up to a point with no smaller one.
 * [out] ids (cap entries), *count (total, may exceed cap).  exact: scan. */
HYP_EXPORT int hyp_search_ancestors(hyp_searcher *sr, uint64_t id, int exact, size_t ef,
                                    uint64_t *ids, size_t cap, size_t *count);

/* Label of a hit, zero-copy, valid until the next search on sr. */
HYP_EXPORT int hyp_searcher_label(hyp_searcher *sr, uint64_t id, const char **label,
                                  size_t *len);
/* The query's id after a search by label (UINT64_MAX for a vector). */
HYP_EXPORT uint64_t hyp_searcher_query_id(const hyp_searcher *sr);
/* Ends the searcher's read transaction now rather than at the next search
 * (a long idle read would keep old pages from being reused). */
HYP_EXPORT void hyp_searcher_release(hyp_searcher *sr);

/* hyp_search through a searcher from the handle's pool (thread-safe). */
HYP_EXPORT int hyp_index_search(hyp_index *ix, const hyp_query *q, hyp_hit *hits, size_t *count);

#ifdef __cplusplus
}
#endif
#endif
