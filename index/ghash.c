/*
 * ghash.c — the graph hash, kept up to date at every commit for the cost of
 * the blocks the commit wrote.
 *
 * Definition (index format 2), BLAKE2b-256 throughout, integers
 * little-endian:
 *   block digest(b) = H(for each node of block b in ascending id:
 *                       u64 id, u32 level, and for each level 0..level:
 *                       u32 count, count x u32 neighbour ids in list order)
 *                     (an empty block or one never written: H of nothing)
 *   graph hash      = H("hyperstore-graph-v2", u32 m, u32 ef_construction,
 *                       u64 seed, u64 entry (all ones when empty),
 *                       u32 max_level, u64 count, u64 nblocks,
 *                       block digest(0) .. block digest(nblocks - 1))
 * Only the graph is in it, not the search vectors: those are a function of
 * the points, which the state hash covers, and verify checks them.
 *
 * Why two levels: format 1 hashed every node's record in one stream, so a
 * commit of 100 points into a 1M-point index rehashed 256 MB (324 points/s
 * with the index, bench/RESULTS.md).  The block digests are kept in ix_meta
 * ("digests": nblocks x 32 bytes); a commit recomputes those of the blocks
 * it made dirty and hashes the record (32 bytes per 64 nodes).  The record
 * is derived data: verify recomputes every digest from the blocks and
 * compares both the record and the graph hash.  A format-1 index has no
 * record and a format-1 hash; its first commit computes the record from
 * every block and makes it format 2.
 */
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>

#include "index_internal.h"

#define DIGEST_KEY "digests"

static inline void put32(unsigned char *b, uint32_t v)
{
    b[0] = (unsigned char)v;
    b[1] = (unsigned char)(v >> 8);
    b[2] = (unsigned char)(v >> 16);
    b[3] = (unsigned char)(v >> 24);
}

static inline void put64(unsigned char *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b + 4, (uint32_t)(v >> 32));
}

/* The digest of block b as the graph sees it now (dirty copies included). */
static int block_digest(graph *g, size_t b, unsigned char *out)
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, HYP_HASH_SIZE);
    /* A node's record is at most 12 + (IX_MAX_LEVEL + 1) 4 (1 + 2 IX_MAX_M)
     * bytes (8.3 KiB); records go through a buffer, flushed when the next
     * might not fit. */
    enum { REC_MAX = 12 + (IX_MAX_LEVEL + 1) * 4 * (1 + 2 * IX_MAX_M), HBUF = 4 * REC_MAX };
    unsigned char buf[HBUF];
    size_t used = 0;
    for (size_t i = 0; i < IX_BLOCK_SLOTS; i++) {
        uint32_t id = (uint32_t)(b * IX_BLOCK_SLOTS + i);
        const unsigned char *p = slot_at(g, id);
        if (p == NULL) {
            if (g->err)
                return g->err;
            continue;
        }
        if (used > HBUF - REC_MAX) {
            crypto_generichash_update(&h, buf, used);
            used = 0;
        }
        put64(buf + used, id);
        put32(buf + used + 8, slot_level(p));
        used += 12;
        for (unsigned l = 0; l <= slot_level(p); l++) {
            uint32_t cnt;
            const uint32_t *lst = graph_list(g, id, l, &cnt);
            put32(buf + used, cnt);
            used += 4;
            for (uint32_t j = 0; j < cnt; j++, used += 4)
                put32(buf + used, lst[j]);
        }
    }
    crypto_generichash_update(&h, buf, used);
    crypto_generichash_final(&h, out, HYP_HASH_SIZE);
    return HYP_OK;
}

/* The graph hash from the state and the digests of g->nblocks blocks. */
static void hash_top(const graph *g, const unsigned char *digests, unsigned char *hash)
{
    crypto_generichash_state h;
    const char *dom = "hyperstore-graph-v2";
    unsigned char hdr[4 + 4 + 8 + 8 + 4 + 8 + 8];
    put32(hdr, g->st.m);
    put32(hdr + 4, g->st.ef_construction);
    put64(hdr + 8, g->st.seed);
    put64(hdr + 16, g->st.entry);
    put32(hdr + 24, g->st.max_level);
    put64(hdr + 28, g->st.count);
    put64(hdr + 36, g->nblocks);
    crypto_generichash_init(&h, NULL, 0, HYP_HASH_SIZE);
    crypto_generichash_update(&h, (const unsigned char *)dom, strlen(dom));
    crypto_generichash_update(&h, hdr, sizeof hdr);
    crypto_generichash_update(&h, digests, g->nblocks * HYP_HASH_SIZE);
    crypto_generichash_final(&h, hash, HYP_HASH_SIZE);
}

/* Every block's digest, from the blocks: [out] *digests (malloc'd). */
static int all_digests(graph *g, unsigned char **digests)
{
    unsigned char *d = malloc(g->nblocks * HYP_HASH_SIZE + 1);
    if (d == NULL)
        return ENOMEM;
    for (size_t b = 0; b < g->nblocks; b++) {
        int rc = block_digest(g, b, d + b * HYP_HASH_SIZE);
        if (rc != HYP_OK) {
            free(d);
            return rc;
        }
    }
    *digests = d;
    return HYP_OK;
}

/* The stored record: [out] *rec, *len (len 0 when absent). */
static int read_record(graph *g, const unsigned char **rec, size_t *len)
{
    MDB_val k = { sizeof DIGEST_KEY - 1, DIGEST_KEY }, v;
    int rc = mdb_get(g->txn, g->dbi_meta, &k, &v);
    *rec = NULL;
    *len = 0;
    if (rc == MDB_NOTFOUND)
        return HYP_OK;
    if (rc != MDB_SUCCESS)
        return store_ext_lmdb(g->s, rc, "index: reading the block digests");
    *rec = v.mv_data;
    *len = v.mv_size;
    return HYP_OK;
}

int graph_hash(graph *g, unsigned char *hash)
{
    unsigned char *d;
    int rc = all_digests(g, &d);
    if (rc != HYP_OK)
        return rc;
    hash_top(g, d, hash);
    free(d);
    return HYP_OK;
}

int graph_hash_commit(graph *g, int all)
{
    const unsigned char *rec;
    size_t len;
    int rc = read_record(g, &rec, &len);
    if (rc != HYP_OK)
        return rc;
    unsigned char *d;
    /* The record is reused when it describes the blocks as this commit
     * found them (format 2, one digest per block); otherwise every digest
     * is recomputed (a rebuild, a format-1 index). */
    size_t old = g->st.format == IX_FORMAT ? (size_t)g->st.nblocks : 0;
    if (all || len != old * HYP_HASH_SIZE || old > g->nblocks) {
        if ((rc = all_digests(g, &d)) != HYP_OK)
            return rc;
    } else {
        if ((d = malloc(g->nblocks * HYP_HASH_SIZE + 1)) == NULL)
            return ENOMEM;
        if (len > 0)
            memcpy(d, rec, len);
        for (size_t b = 0; b < g->nblocks && rc == HYP_OK; b++)
            if (b >= old || g->dirty[b])
                rc = block_digest(g, b, d + b * HYP_HASH_SIZE);
        if (rc != HYP_OK) {
            free(d);
            return rc;
        }
    }
    MDB_val k = { sizeof DIGEST_KEY - 1, DIGEST_KEY }, v = { g->nblocks * HYP_HASH_SIZE, d };
    rc = mdb_put(g->txn, g->dbi_meta, &k, &v, 0);
    if (rc == MDB_SUCCESS) {
        g->st.format = IX_FORMAT;
        hash_top(g, d, g->st.hash);
        rc = HYP_OK;
    } else if (rc != MDB_MAP_FULL) {
        rc = store_ext_lmdb(g->s, rc, "index: writing the block digests");
    }
    free(d);
    return rc;
}

int graph_hash_check(graph *g, unsigned char *hash, int *record_ok)
{
    unsigned char *d;
    const unsigned char *rec;
    size_t len;
    int rc = all_digests(g, &d);
    if (rc != HYP_OK)
        return rc;
    if ((rc = read_record(g, &rec, &len)) == HYP_OK) {
        *record_ok = len == g->nblocks * HYP_HASH_SIZE && (len == 0 || memcmp(rec, d, len) == 0);
        hash_top(g, d, hash);
    }
    free(d);
    return rc;
}
