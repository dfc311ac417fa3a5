/*
 * layout.c — the graph's blocks in the map (index_internal.h gives the
 * layout): resolving them to pointers once per index generation, the
 * writer's private copies of the blocks it changes, and writing them back.
 *
 * Why blocks.  A query touches a few hundred nodes; a B-tree lookup per node
 * would cost more than the distances.  Ids are dense, so a node's place is
 * arithmetic (block id / 64, slot id % 64) and a block, once looked up, is a
 * plain pointer into the map for as long as the index does not change: LMDB
 * never writes a committed page in place, and a page freed by a later commit
 * is reused only after every reader that could see it has gone.  A reader
 * therefore keeps its block pointers across read transactions and drops them
 * when the index's generation (bumped by every commit that changes the
 * graph) or the map (grown) changes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "index_internal.h"

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++, v >>= 8)
        p[i] = (unsigned char)v;
}
static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        p[i] = (unsigned char)v;
}
static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

void ixstate_encode(const ixstate *st, unsigned char *p)
{
    put_u32(p, st->format);
    put_u32(p + 4, st->m);
    put_u32(p + 8, st->ef_construction);
    put_u32(p + 12, st->max_level);
    put_u64(p + 16, st->seed);
    put_u64(p + 24, st->entry);
    put_u64(p + 32, st->count);
    put_u64(p + 40, st->nblocks);
    put_u64(p + 48, st->generation);
    memcpy(p + 56, st->hash, HYP_HASH_SIZE);
}

int ixstate_decode(const unsigned char *p, size_t len, ixstate *st)
{
    if (len != IXSTATE_BYTES)
        return -1;
    st->format = get_u32(p);
    st->m = get_u32(p + 4);
    st->ef_construction = get_u32(p + 8);
    st->max_level = get_u32(p + 12);
    st->seed = get_u64(p + 16);
    st->entry = get_u64(p + 24);
    st->count = get_u64(p + 32);
    st->nblocks = get_u64(p + 40);
    st->generation = get_u64(p + 48);
    memcpy(st->hash, p + 56, HYP_HASH_SIZE);
    if (st->format < 1 || st->format > IX_FORMAT || st->m < 2 || st->m > IX_MAX_M || st->max_level > IX_MAX_LEVEL ||
        st->nblocks > ((uint64_t)1 << 32) / IX_BLOCK_SLOTS)
        return -1;
    /* Nodes live in the blocks written.  Readers cast the entry to a u32 id:
     * one beyond the blocks would silently name another node (a property
     * tests/store/fuzz/fuzz_ixstate.c checks). */
    uint64_t ids = st->nblocks * IX_BLOCK_SLOTS;
    if (st->count > ids || (st->entry != UINT64_MAX && (st->entry >= ids || st->entry >= IX_NONE)))
        return -1;
    return 0;
}

int graph_read_state(hyp_store *s, MDB_txn *txn, MDB_dbi dbi, ixstate *st)
{
    MDB_val k = { 5, "state" }, v;
    int rc = mdb_get(txn, dbi, &k, &v);
    if (rc == MDB_NOTFOUND)
        return store_ext_fail(s, HYP_ECORRUPT, "index: state record missing");
    if (rc != MDB_SUCCESS)
        return store_ext_lmdb(s, rc, "index: reading the state");
    if (v.mv_size >= 4 && get_u32(v.mv_data) > IX_FORMAT) {
        char msg[96];
        snprintf(msg, sizeof msg, "index: format %u is newer than this hyperstore's (%u)",
                 (unsigned)get_u32(v.mv_data), (unsigned)IX_FORMAT);
        return store_ext_fail(s, HYP_ECORRUPT, msg);
    }
    if (ixstate_decode(v.mv_data, v.mv_size, st) != 0)
        return store_ext_fail(s, HYP_ECORRUPT, "index: malformed state record");
    return HYP_OK;
}

int graph_write_state(graph *g)
{
    unsigned char rec[IXSTATE_BYTES];
    MDB_val k = { 5, "state" }, v = { IXSTATE_BYTES, rec };
    ixstate_encode(&g->st, rec);
    int rc = mdb_put(g->txn, g->dbi_meta, &k, &v, 0);
    if (rc == MDB_MAP_FULL)
        return rc;
    return store_ext_lmdb(g->s, rc, "index: writing the state");
}

int graph_init(graph *g, hyp_index *ix, const ixstate *st)
{
    hyp_store *s = ix->s;
    memset(g, 0, sizeof *g);
    g->s = s;
    g->st = *st;
    g->model = store_ext_model(s);
    g->n = store_ext_dim(s);
    g->width = store_ext_width(s);
    g->m = st->m;
    g->m0 = 2 * (size_t)st->m;
    g->slot_size = (32 + 8 * g->n + 4 * g->m0 + 7) & ~(size_t)7;
    g->upper_rec = 4 * (1 + g->m);
    g->stamp = 1;
    point_setup(g, ix);
    if ((g->xa = malloc(g->xbytes)) == NULL || (g->xb = malloc(g->xbytes)) == NULL ||
        (g->xq = malloc(g->xbytes)) == NULL ||
        (g->scratch_u = malloc(g->n * sizeof(double))) == NULL ||
        (g->scratch_x = malloc((g->n + 1) * sizeof(double))) == NULL ||
        (g->fmt && (g->zero = calloc(1, g->xbytes)) == NULL))
        return ENOMEM;
    return graph_reserve_blocks(g, (size_t)st->nblocks);
}

void graph_free(graph *g)
{
    if (g->dirty)
        for (size_t b = 0; b < g->cap; b++)
            if (g->dirty[b])
                free(g->ptr[b]);
    free(g->ptr);
    free(g->tag);
    free(g->len);
    free(g->dirty);
    free(g->dcap);
    free(g->visit);
    free(g->h1);
    free(g->h2);
    free(g->h3);
    free(g->hs);
    free(g->hr);
    free(g->xa);
    free(g->xb);
    free(g->xq);
    free(g->scratch_u);
    free(g->scratch_x);
    free(g->zero);
    memset(g, 0, sizeof *g);
}

void graph_bind(graph *g, MDB_txn *txn, uint64_t stamp)
{
    g->txn = txn;
    g->stamp = stamp;
    g->err = 0;
}

#define GROW(p, cap, n)                                                          \
    do {                                                                         \
        void *t_ = realloc((p), (n) * sizeof *(p));                              \
        if (t_ == NULL)                                                          \
            return ENOMEM;                                                       \
        (p) = t_;                                                                \
        memset((p) + (cap), 0, ((n) - (cap)) * sizeof *(p));                     \
    } while (0)

int graph_reserve_blocks(graph *g, size_t nblocks)
{
    if (nblocks > g->cap) {
        size_t cap = g->cap ? g->cap : 16;
        while (cap < nblocks)
            cap *= 2;
        GROW(g->ptr, g->cap, cap);
        GROW(g->tag, g->cap, cap);
        GROW(g->len, g->cap, cap);
        GROW(g->dirty, g->cap, cap);
        GROW(g->dcap, g->cap, cap);
        g->cap = cap;
    }
    if (nblocks > g->nblocks)
        g->nblocks = nblocks;
    return HYP_OK;
}

int graph_resolve(graph *g, size_t b)
{
    unsigned char key[8];
    MDB_val k = { 8, key }, v;
    for (int i = 7, x = 0; i >= 0; i--, x += 8)
        key[i] = (unsigned char)((uint64_t)b >> x);
    int rc = mdb_get(g->txn, g->dbi_blocks, &k, &v);
    if (rc == MDB_NOTFOUND) {
        g->ptr[b] = NULL;
        g->len[b] = 0;
    } else if (rc != MDB_SUCCESS) {
        g->err = store_ext_lmdb(g->s, rc, "index: reading a block");
        return -1;
    } else if (v.mv_size < IX_BLOCK_SLOTS * g->slot_size || ((uintptr_t)v.mv_data & 7) != 0) {
        /* Overflow pages keep values 8-byte aligned; anything else is not a
         * block this library wrote. */
        g->err = store_ext_fail(g->s, HYP_ECORRUPT, "index: malformed block");
        return -1;
    } else {
        g->ptr[b] = v.mv_data;
        g->len[b] = v.mv_size;
    }
    g->tag[b] = g->stamp;
    return 0;
}

const uint32_t *graph_list(graph *g, uint32_t id, unsigned level, uint32_t *cnt)
{
    const unsigned char *p = slot_at(g, id);
    if (p == NULL || level > slot_level(p))
        return NULL;
    if (level == 0) {
        *cnt = ((const uint32_t *)p)[3];
        return (const uint32_t *)(p + 32 + 8 * g->n);
    }
    const unsigned char *blk = g->ptr[id >> IX_BLOCK_SHIFT];
    const uint32_t *l =
        (const uint32_t *)(blk + ((const uint32_t *)p)[2] + (level - 1) * g->upper_rec);
    *cnt = l[0];
    return l + 1;
}

/* Writer: block b as a private, writable copy with room for extra bytes. */
static int make_dirty(graph *g, size_t b, size_t extra)
{
    if (b >= g->nblocks && graph_reserve_blocks(g, b + 1) != HYP_OK)
        return ENOMEM;
    if (!g->dirty[b]) {
        if (g->tag[b] != g->stamp && graph_resolve(g, b) != 0)
            return g->err;
        size_t base = IX_BLOCK_SLOTS * g->slot_size;
        size_t len = g->ptr[b] ? g->len[b] : base;
        size_t cap = len + extra + 16 * g->upper_rec;
        unsigned char *copy = malloc(cap);
        if (copy == NULL)
            return ENOMEM;
        if (g->ptr[b])
            memcpy(copy, g->ptr[b], len);
        else
            memset(copy, 0, len);
        g->ptr[b] = copy;
        g->len[b] = len;
        g->dcap[b] = cap;
        g->dirty[b] = 1;
        g->tag[b] = g->stamp;
    } else if (g->len[b] + extra > g->dcap[b]) {
        size_t cap = 2 * (g->len[b] + extra);
        unsigned char *t = realloc(g->ptr[b], cap);
        if (t == NULL)
            return ENOMEM;
        g->ptr[b] = t;
        g->dcap[b] = cap;
    }
    return HYP_OK;
}

unsigned char *graph_slot_mut(graph *g, uint32_t id)
{
    size_t b = id >> IX_BLOCK_SHIFT;
    if ((g->err = make_dirty(g, b, 0)) != HYP_OK)
        return NULL;
    return g->ptr[b] + (size_t)(id & (IX_BLOCK_SLOTS - 1)) * g->slot_size;
}

uint32_t *graph_list_mut(graph *g, uint32_t id, unsigned level, uint32_t **count)
{
    unsigned char *p = graph_slot_mut(g, id);
    if (p == NULL)
        return NULL;
    if (level == 0) {
        *count = (uint32_t *)p + 3;
        return (uint32_t *)(p + 32 + 8 * g->n);
    }
    uint32_t *l = (uint32_t *)(g->ptr[id >> IX_BLOCK_SHIFT] + ((uint32_t *)p)[2] +
                               (level - 1) * g->upper_rec);
    *count = l;
    return l + 1;
}

int graph_node_init(graph *g, uint32_t id, unsigned level, double a, double c, const double *u)
{
    size_t b = id >> IX_BLOCK_SHIFT, need = level * g->upper_rec;
    int rc = make_dirty(g, b, need);
    if (rc != HYP_OK)
        return rc;
    unsigned char *p = g->ptr[b] + (size_t)(id & (IX_BLOCK_SLOTS - 1)) * g->slot_size;
    memset(p, 0, g->slot_size);
    uint32_t *h = (uint32_t *)p;
    h[0] = SLOT_PRESENT;
    h[1] = level;
    if (level > 0) {
        /* Appended; graph_flush repacks the upper lists in slot order. */
        h[2] = (uint32_t)g->len[b];
        memset(g->ptr[b] + g->len[b], 0, need);
        g->len[b] += need;
    }
    double *d = (double *)p;
    d[2] = a;
    d[3] = c;
    memcpy(d + 4, u, g->n * sizeof(double));
    return HYP_OK;
}

int graph_node_clear(graph *g, uint32_t id)
{
    unsigned char *p = graph_slot_mut(g, id);
    if (p == NULL)
        return g->err;
    memset(p, 0, g->slot_size);
    return HYP_OK;
}

/* Writes block b repacked: slots, then the upper lists of present nodes in
 * slot order, so that the bytes depend on the graph only. */
static int flush_block(graph *g, size_t b)
{
    const unsigned char *src = g->ptr[b];
    size_t base = IX_BLOCK_SLOTS * g->slot_size, size = base;
    for (size_t i = 0; i < IX_BLOCK_SLOTS; i++) {
        const uint32_t *h = (const uint32_t *)(src + i * g->slot_size);
        if (h[0] & SLOT_PRESENT)
            size += h[1] * g->upper_rec;
    }
    unsigned char key[8];
    for (int i = 7, x = 0; i >= 0; i--, x += 8)
        key[i] = (unsigned char)((uint64_t)b >> x);
    MDB_val k = { 8, key }, v = { size, NULL };
    int rc = mdb_put(g->txn, g->dbi_blocks, &k, &v, MDB_RESERVE);
    if (rc == MDB_MAP_FULL)
        return rc;
    if (rc != MDB_SUCCESS)
        return store_ext_lmdb(g->s, rc, "index: writing a block");
    unsigned char *dst = v.mv_data;
    size_t off = base;
    memcpy(dst, src, base);
    for (size_t i = 0; i < IX_BLOCK_SLOTS; i++) {
        uint32_t *h = (uint32_t *)(dst + i * g->slot_size);
        if (!(h[0] & SLOT_PRESENT) || h[1] == 0) {
            h[2] = 0;
            continue;
        }
        size_t bytes = h[1] * g->upper_rec;
        memcpy(dst + off, src + h[2], bytes);
        h[2] = (uint32_t)off;
        off += bytes;
    }
    return HYP_OK;
}

int graph_flush(graph *g)
{
    for (size_t b = 0; b < g->nblocks; b++) {
        if (!g->dirty[b])
            continue;
        int rc = flush_block(g, b);
        if (rc != HYP_OK)
            return rc;
    }
    if (g->nblocks > g->st.nblocks)
        g->st.nblocks = g->nblocks;
    return graph_write_state(g);
}

int cand_reserve(cand **a, size_t *cap, size_t n)
{
    if (n <= *cap)
        return HYP_OK;
    size_t c = *cap ? *cap : 64;
    while (c < n)
        c *= 2;
    cand *t = realloc(*a, c * sizeof *t);
    if (t == NULL)
        return ENOMEM;
    *a = t;
    *cap = c;
    return HYP_OK;
}

int graph_visit_begin(graph *g, size_t limit)
{
    if (limit > g->visit_cap) {
        size_t c = g->visit_cap ? g->visit_cap : 1024;
        while (c < limit)
            c *= 2;
        uint32_t *t = realloc(g->visit, c * sizeof *t);
        if (t == NULL)
            return ENOMEM;
        memset(t + g->visit_cap, 0, (c - g->visit_cap) * sizeof *t);
        g->visit = t;
        g->visit_cap = c;
    }
    if (++g->vmark == 0) {
        memset(g->visit, 0, g->visit_cap * sizeof *g->visit);
        g->vmark = 1;
    }
    return HYP_OK;
}
