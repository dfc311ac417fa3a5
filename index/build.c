/*
 * build.c — the index's life: creating it over a store, opening it,
 * keeping it in step with every batch (the store's commit hook), rebuilding
 * and dropping it, its info and its hash.
 *
 * Commit hook.  The store calls index_on_commit inside the batch's write
 * transaction with every id the batch inserted, replaced or deleted.  The
 * hook sorts them, removes from the graph those that were in it (deleted or
 * replaced; hnsw_remove repairs their neighbourhoods), then links in id
 * order every one that is in the store now.  It keeps nothing between calls,
 * so the store may call it again after growing the map.
 *
 * Graph hash: ghash.c (kept up to date at each commit from the blocks the
 * commit wrote).
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "index_internal.h"

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Links every id of ins (ascending) whose point is in the store.  Every
 * max(256, nodes / 32) links the graph is reconnected (reach.c; and at the
 * end of the batch: apply, reconnect_due): a node cut off in the middle of
 * a large batch must be found again before the nodes after it look for
 * their neighbours, or they are built around its absence.  The interval
 * grows with the graph, so the walks cost a few passes over the final
 * graph. */
static int insert_points(graph *g, const uint32_t *ins, size_t n)
{
    void *x = malloc(g->xbytes);
    double *u = malloc(g->n * sizeof *u);
    int rc = x && u ? HYP_OK : ENOMEM;
    uint64_t since = 0;
    for (size_t i = 0; i < n && rc == HYP_OK; i++) {
        if (++since > 256 && since > g->st.count / 32) {
            if ((rc = hnsw_reconnect(g)) != HYP_OK)
                break;
            since = 1;
        }
        base q;
        const unsigned char *bytes;
        if ((rc = store_ext_point(g->s, g->txn, ins[i], &bytes)) != HYP_OK)
            break;
        if (point_decode(g, bytes, x) != HYP_OK ||
            point_prepare(g, x, &q.a, &q.c, u) != HYP_OK) {
            rc = store_ext_fail(g->s, HYP_ECORRUPT, "index: a stored point is not valid");
            break;
        }
        q.u = u;
        q.x = x;
        q.id = ins[i];
        q.ec = g->ec;
        unsigned level = hnsw_level(g->st.seed, g->st.m, ins[i]);
        if ((rc = graph_node_init(g, ins[i], level, q.a, q.c, u)) != HYP_OK)
            break;
        rc = hnsw_insert(g, ins[i], &q);
    }
    free(x);
    free(u);
    return rc;
}

/* Whether a batch ends with a reconnection walk (reach.c): one that deletes
 * or links 256 points or more, or links an id of the form 1024 k - 1.  The
 * walk reads every list, as much as the graph hash; small batches (an
 * insert service's stream of 100-point batches) skip it nine times in ten,
 * which leaves a node cut off by them unreachable for at most 1024 ids'
 * worth of inserts.  A function of the batch's ids: the same graph
 * everywhere. */
static int reconnect_due(const uint32_t *ins, size_t nins, size_t ndel)
{
    if (ndel > 0 || nins >= 256)
        return 1;
    for (size_t i = 0; i < nins; i++)
        if (ins[i] % 1024 == 1023)
            return 1;
    return 0;
}

/* Applies the changes of ids (any order, repeats allowed) in txn. */
static int apply(hyp_index *ix, MDB_txn *txn, const ixstate *st, const uint64_t *ids, size_t n,
                 int force)
{
    graph g;
    uint32_t *del = NULL, *ins = NULL;
    size_t ndel = 0, nins = 0, nmax = 0;
    int rc = graph_init(&g, ix, st);
    g.dbi_meta = ix->dbi_meta;
    g.dbi_blocks = ix->dbi_blocks;
    g.writer = 1;
    graph_bind(&g, txn, 1);
    if (rc == HYP_OK && n > 0) {
        del = malloc(n * sizeof *del);
        ins = malloc(n * sizeof *ins);
        if (del == NULL || ins == NULL)
            rc = ENOMEM;
    }
    for (size_t i = 0; i < n && rc == HYP_OK; i++) {
        if (ids[i] >= UINT32_MAX)
            rc = store_ext_fail(ix->s, HYP_EINDEX_LIMIT, "index: point id beyond 2^32 - 2");
        else
            ins[nmax++] = (uint32_t)ids[i];
    }
    if (rc == HYP_OK && nmax > 0) {
        qsort(ins, nmax, sizeof *ins, cmp_u32);
        size_t u = 0;
        for (size_t i = 0; i < nmax; i++)
            if (u == 0 || ins[u - 1] != ins[i])
                ins[u++] = ins[i];
        nmax = u;
        /* In the graph now: to remove (deleted or replaced).  In the store
         * now: to link (new or replaced). */
        for (size_t i = 0; i < nmax && rc == HYP_OK; i++) {
            if (slot_at(&g, ins[i]) != NULL)
                del[ndel++] = ins[i];
            else if (g.err)
                rc = g.err;
        }
        size_t k = 0;
        for (size_t i = 0; i < nmax && rc == HYP_OK; i++) {
            const unsigned char *bytes;
            int r = store_ext_point(ix->s, txn, ins[i], &bytes);
            if (r == HYP_OK)
                ins[k++] = ins[i];
            else if (r != HYP_ENOTFOUND)
                rc = r;
        }
        nins = k;
        if (rc == HYP_OK && graph_reserve_blocks(&g, (ins[nmax - 1] >> IX_BLOCK_SHIFT) + 1) != HYP_OK)
            rc = ENOMEM;
    }
    if (rc == HYP_OK && ndel > 0)
        rc = hnsw_remove(&g, del, ndel);
    if (rc == HYP_OK && nins > 0)
        rc = insert_points(&g, ins, nins);
    if (rc == HYP_OK && reconnect_due(ins, nins, ndel))
        rc = hnsw_reconnect(&g);
    if (rc == HYP_OK && (ndel > 0 || nins > 0 || force)) {
        g.st.generation++;
        if ((rc = graph_hash_commit(&g, force)) == HYP_OK)
            rc = graph_flush(&g);
    }
    free(del);
    free(ins);
    graph_free(&g);
    return rc;
}

static int open_dbis(hyp_index *ix, MDB_txn *txn, int create)
{
    int rc = store_ext_dbi(ix->s, txn, IX_DB_META, create, &ix->dbi_meta);
    if (rc == HYP_OK)
        rc = store_ext_dbi(ix->s, txn, IX_DB_BLOCKS, create, &ix->dbi_blocks);
    return rc == HYP_ENOTFOUND ? store_ext_fail(ix->s, HYP_ECORRUPT, "index: database missing")
                               : rc;
}

static int on_commit(void *ctx, MDB_txn *txn, const uint64_t *ids, size_t n)
{
    hyp_index *ix = ctx;
    ixstate st;
    if (n == 0)
        return HYP_OK;
    int rc = graph_read_state(ix->s, txn, ix->dbi_meta, &st);
    return rc == HYP_OK ? apply(ix, txn, &st, ids, n, 0) : rc;
}

static void close_owned(void *ctx);

/* The handle, with the store's representation (read once here, outside
 * any transaction: graphs are made inside the store's own). */
static int index_alloc(hyp_store *s, hyp_index **out)
{
    hyp_store_info info;
    int rc = hyp_store_get_info(s, &info);
    *out = NULL;
    if (rc != HYP_OK)
        return rc;
    hyp_index *ix = calloc(1, sizeof *ix);
    if (ix == NULL)
        return ENOMEM;
    ix->s = s;
    ix->fmt = info.repr == HYP_REPR_F64 ? (hyp_fixed_format)0 : (hyp_fixed_format)info.repr;
    ix->point_bytes = info.point_bytes;
    ix->ext.name = IX_EXT_NAME;
    ix->ext.on_commit = on_commit;
    ix->ext.on_close = close_owned;
    pthread_mutex_init(&ix->pool_lock, NULL);
    *out = ix;
    return HYP_OK;
}

typedef struct build_ctx {
    hyp_index *ix;
    ixstate st;
    uint64_t *ids;
    size_t n, cap;
} build_ctx;

static int collect(void *ctx, uint64_t id, const unsigned char *bytes)
{
    build_ctx *b = ctx;
    (void)bytes;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 1024;
        uint64_t *t = realloc(b->ids, cap * sizeof *t);
        if (t == NULL)
            return ENOMEM;
        b->ids = t;
        b->cap = cap;
    }
    b->ids[b->n++] = id;
    return 0;
}

/* Empties the graph and links every point: the create and rebuild step. */
static int build_fn(void *ctx, MDB_txn *txn)
{
    build_ctx *b = ctx;
    int rc = open_dbis(b->ix, txn, 1);
    if (rc != HYP_OK)
        return rc;
    if ((rc = mdb_drop(txn, b->ix->dbi_blocks, 0)) != MDB_SUCCESS)
        return store_ext_lmdb(b->ix->s, rc, "index: emptying");
    b->n = 0;
    if ((rc = store_ext_foreach_point(b->ix->s, txn, collect, b)) != HYP_OK)
        return rc;
    ixstate st = b->st;
    st.entry = UINT64_MAX;
    st.count = st.nblocks = 0;
    st.max_level = 0;
    /* generation continues across rebuilds so readers drop old pointers */
    return apply(b->ix, txn, &st, b->ids, b->n, 1);
}

static int check_config(const hyp_index_config *cfg, ixstate *st)
{
    hyp_index_config c = cfg ? *cfg : (hyp_index_config){ 0 };
    if (c.m == 0)
        c.m = 16;
    if (c.ef_construction == 0)
        c.ef_construction = 200;
    if (c.m < 2 || c.m > IX_MAX_M || c.ef_construction < c.m || c.ef_construction > 100000)
        return EINVAL;
    st->format = IX_FORMAT;
    st->m = c.m;
    st->ef_construction = c.ef_construction;
    st->seed = c.seed;
    return HYP_OK;
}

int hyp_index_create(hyp_store *s, const hyp_index_config *cfg, hyp_index **out)
{
    build_ctx b = { 0 };
    int rc;
    *out = NULL;
    if ((rc = check_config(cfg, &b.st)) != HYP_OK)
        return rc;
    if (store_ext_recorded(s)[0] != '\0')
        return store_ext_fail(s, HYP_EEXISTS, "the store already has an index");
    if ((rc = index_alloc(s, &b.ix)) != HYP_OK)
        return rc;
    rc = store_ext_write(s, build_fn, &b, IX_EXT_NAME);
    free(b.ids);
    if (rc != HYP_OK) {
        hyp_index_close(b.ix);
        return rc;
    }
    store_ext_attach(s, &b.ix->ext, b.ix, 0);
    *out = b.ix;
    return HYP_OK;
}

int hyp_index_rebuild(hyp_index *ix, const hyp_index_config *cfg)
{
    build_ctx b = { .ix = ix };
    MDB_txn *txn;
    int rc = store_ext_read_begin(ix->s, &txn);
    if (rc != HYP_OK)
        return rc;
    rc = graph_read_state(ix->s, txn, ix->dbi_meta, &b.st);
    store_ext_read_end(ix->s, txn, 1);
    if (rc != HYP_OK)
        return rc;
    if (cfg && (rc = check_config(cfg, &b.st)) != HYP_OK)
        return rc;
    rc = store_ext_write(ix->s, build_fn, &b, NULL);
    free(b.ids);
    return rc;
}

int hyp_index_open(hyp_store *s, hyp_index **out)
{
    MDB_txn *txn;
    ixstate st;
    int rc;
    *out = NULL;
    if (strcmp(store_ext_recorded(s), IX_EXT_NAME) != 0)
        return HYP_ENOINDEX;
    hyp_index *ix;
    if ((rc = index_alloc(s, &ix)) != HYP_OK)
        return rc;
    if ((rc = store_ext_read_begin(s, &txn)) != HYP_OK) {
        hyp_index_close(ix);
        return rc;
    }
    if ((rc = open_dbis(ix, txn, 0)) == HYP_OK &&
        (rc = graph_read_state(s, txn, ix->dbi_meta, &st)) == HYP_OK)
        rc = store_ext_read_commit(s, txn);
    else
        store_ext_read_end(s, txn, 1);
    if (rc != HYP_OK) {
        hyp_index_close(ix);
        return rc;
    }
    store_ext_attach(s, &ix->ext, ix, 0);
    *out = ix;
    return HYP_OK;
}

static void close_owned(void *ctx)
{
    hyp_index_close(ctx);
}

int hyp_index_attach(hyp_store *s)
{
    hyp_index *ix;
    int rc = hyp_index_open(s, &ix);
    if (rc == HYP_OK)
        store_ext_attach(s, &ix->ext, ix, 1);
    return rc;
}

static int drop_fn(void *ctx, MDB_txn *txn)
{
    hyp_index *ix = ctx;
    int rc = mdb_drop(txn, ix->dbi_blocks, 1);
    if (rc == MDB_SUCCESS)
        rc = mdb_drop(txn, ix->dbi_meta, 1);
    return store_ext_lmdb(ix->s, rc, "index: dropping");
}

int hyp_index_drop(hyp_index *ix)
{
    int rc = store_ext_write(ix->s, drop_fn, ix, "");
    hyp_index_close(ix);
    return rc;
}

void hyp_index_close(hyp_index *ix)
{
    if (ix == NULL)
        return;
    index_pool_free(ix);
    store_ext_detach(ix->s, ix);
    pthread_mutex_destroy(&ix->pool_lock);
    free(ix);
}

/* A reader's graph over the latest commit (for info, hash, verify). */
int index_read_graph(hyp_index *ix, MDB_txn **txn, graph *g)
{
    ixstate st;
    int rc = store_ext_read_begin(ix->s, txn);
    if (rc != HYP_OK)
        return rc;
    if ((rc = graph_read_state(ix->s, *txn, ix->dbi_meta, &st)) == HYP_OK &&
        (rc = graph_init(g, ix, &st)) == HYP_OK) {
        g->dbi_meta = ix->dbi_meta;
        g->dbi_blocks = ix->dbi_blocks;
        graph_bind(g, *txn, 1);
        return HYP_OK;
    }
    graph_free(g);
    store_ext_read_end(ix->s, *txn, 1);
    return rc;
}

int hyp_index_get_info(hyp_index *ix, hyp_index_info *info)
{
    MDB_txn *txn;
    graph g;
    MDB_stat ms;
    memset(info, 0, sizeof *info);
    int rc = index_read_graph(ix, &txn, &g);
    if (rc != HYP_OK)
        return rc;
    info->m = g.st.m;
    info->ef_construction = g.st.ef_construction;
    info->seed = g.st.seed;
    info->count = g.st.count;
    info->max_level = g.st.max_level;
    info->entry = g.st.entry;
    info->generation = g.st.generation;
    memcpy(info->graph_hash, g.st.hash, HYP_HASH_SIZE);
    if (mdb_stat(txn, ix->dbi_blocks, &ms) == MDB_SUCCESS)
        info->bytes = (uint64_t)(ms.ms_branch_pages + ms.ms_leaf_pages + ms.ms_overflow_pages) *
                      ms.ms_psize;
    graph_free(&g);
    store_ext_read_end(ix->s, txn, 1);
    return HYP_OK;
}

int hyp_index_hash(hyp_index *ix, unsigned char *hash)
{
    MDB_txn *txn;
    graph g;
    int rc = index_read_graph(ix, &txn, &g);
    if (rc != HYP_OK)
        return rc;
    rc = graph_hash(&g, hash);
    graph_free(&g);
    store_ext_read_end(ix->s, txn, 1);
    return rc;
}
