/*
 * hash.c — the state hash: BLAKE2b-256 (libsodium's crypto_generichash) over
 * a canonical serialisation of the content.
 *
 * Serialisation, version 1 (all integers little-endian):
 *   "hyperstore-state-v1"                 19 bytes, no NUL
 *   u32 model, u32 dim, u32 repr, u32 repr_bits, u64 curvature (binary64 bits)
 *   u64 number of points
 *   for each label, in LMDB's key order (bytewise, shorter first on a tie):
 *     u32 length, label bytes
 *     width * 8 bytes: the point as stored (f64 LE)
 *     u32 number of parents, then for each parent label in the same order:
 *       u32 length, label bytes
 * Ids are left out on purpose: they record insertion order, and the hash
 * must be the same for the same labelled content whatever history made it.
 * Children are left out because they mirror parents (verify checks that).
 * The log and counters (next id, last sequence) are history, not content.
 *
 * Cost: one pass over the labels with a lookup of each point and parent
 * label, O(n log n) in the store size, paid at every commit.  Big batches
 * amortise it; a store updated one point at a time pays it per point.
 */
#include <sodium.h>
#include <stdlib.h>

#include "store_internal.h"

#define HASH_DOMAIN "hyperstore-state-v1"

static void h_u32(crypto_generichash_state *h, uint32_t v)
{
    unsigned char b[4];
    put_le32(b, v);
    crypto_generichash_update(h, b, 4);
}

static void h_u64(crypto_generichash_state *h, uint64_t v)
{
    unsigned char b[8];
    put_le64(b, v);
    crypto_generichash_update(h, b, 8);
}

static int cmp_val(const void *a, const void *b)
{
    const MDB_val *x = a, *y = b;
    size_t n = x->mv_size < y->mv_size ? x->mv_size : y->mv_size;
    int c = memcmp(x->mv_data, y->mv_data, n);
    if (c != 0)
        return c;
    return (x->mv_size > y->mv_size) - (x->mv_size < y->mv_size);
}

/* Hashes the sorted labels of id's parents. */
static int hash_parents(hyp_store *s, MDB_txn *txn, MDB_cursor *pc, const unsigned char *key,
                        crypto_generichash_state *h, MDB_val **labels, size_t *cap)
{
    MDB_val k = { 8, (void *)key }, v;
    size_t n = 0;
    int rc = mdb_cursor_get(pc, &k, &v, MDB_SET_KEY);

    while (rc == MDB_SUCCESS) {
        MDB_val pk = { 8, v.mv_data }, lv;
        if (n == *cap) {
            size_t c = *cap ? *cap * 2 : 16;
            MDB_val *t = realloc(*labels, c * sizeof *t);
            if (t == NULL)
                return ENOMEM;
            *labels = t;
            *cap = c;
        }
        rc = mdb_get(txn, s->dbi[DB_ID2LABEL], &pk, &lv);
        if (rc == MDB_NOTFOUND)
            return store_fail(s, HYP_ECORRUPT, "edge to a parent id without a label");
        if (rc != MDB_SUCCESS)
            return store_lmdb_error(s, rc, "hashing parents");
        (*labels)[n++] = lv;
        rc = mdb_cursor_get(pc, &k, &v, MDB_NEXT_DUP);
    }
    if (rc != MDB_NOTFOUND)
        return store_lmdb_error(s, rc, "hashing parents");
    if (n > 1)
        qsort(*labels, n, sizeof **labels, cmp_val);
    h_u32(h, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        h_u32(h, (uint32_t)(*labels)[i].mv_size);
        crypto_generichash_update(h, (*labels)[i].mv_data, (*labels)[i].mv_size);
    }
    return HYP_OK;
}

int state_hash(hyp_store *s, MDB_txn *txn, unsigned char *hash)
{
    crypto_generichash_state h;
    MDB_cursor *lc = NULL, *pc = NULL;
    MDB_val k, v, *labels = NULL;
    MDB_stat st;
    size_t cap = 0;
    uint64_t cbits;
    int rc;

    if ((rc = mdb_stat(txn, s->dbi[DB_POINTS], &st)) != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_stat");
    crypto_generichash_init(&h, NULL, 0, HYP_HASH_SIZE);
    crypto_generichash_update(&h, (const unsigned char *)HASH_DOMAIN, strlen(HASH_DOMAIN));
    h_u32(&h, (uint32_t)s->model);
    h_u32(&h, (uint32_t)s->dim);
    h_u32(&h, (uint32_t)s->repr);
    h_u32(&h, 0);
    memcpy(&cbits, &s->curvature, 8);
    h_u64(&h, cbits);
    h_u64(&h, st.ms_entries);

    if ((rc = mdb_cursor_open(txn, s->dbi[DB_LABEL2ID], &lc)) != MDB_SUCCESS ||
        (rc = mdb_cursor_open(txn, s->dbi[DB_PARENTS], &pc)) != MDB_SUCCESS) {
        rc = store_lmdb_error(s, rc, "mdb_cursor_open");
        goto out;
    }
    rc = mdb_cursor_get(lc, &k, &v, MDB_FIRST);
    while (rc == MDB_SUCCESS) {
        MDB_val pv;
        if (v.mv_size != 8) {
            rc = store_fail(s, HYP_ECORRUPT, "label2id value of %zu bytes", v.mv_size);
            goto out;
        }
        h_u32(&h, (uint32_t)k.mv_size);
        crypto_generichash_update(&h, k.mv_data, k.mv_size);
        rc = mdb_get(txn, s->dbi[DB_POINTS], &v, &pv);
        if (rc != MDB_SUCCESS || pv.mv_size != s->width * 8) {
            rc = rc == MDB_SUCCESS || rc == MDB_NOTFOUND
                     ? store_fail(s, HYP_ECORRUPT, "label '%.*s' has no valid point",
                                  (int)k.mv_size, (const char *)k.mv_data)
                     : store_lmdb_error(s, rc, "hashing points");
            goto out;
        }
        crypto_generichash_update(&h, pv.mv_data, pv.mv_size);
        if ((rc = hash_parents(s, txn, pc, v.mv_data, &h, &labels, &cap)) != HYP_OK)
            goto out;
        rc = mdb_cursor_get(lc, &k, &v, MDB_NEXT);
    }
    rc = rc == MDB_NOTFOUND ? HYP_OK : store_lmdb_error(s, rc, "hashing labels");
out:
    if (lc)
        mdb_cursor_close(lc);
    if (pc)
        mdb_cursor_close(pc);
    free(labels);
    if (rc == HYP_OK)
        crypto_generichash_final(&h, hash, HYP_HASH_SIZE);
    return rc;
}

int hyp_store_hash(hyp_store *s, unsigned char *hash)
{
    MDB_txn *txn;
    int rc = store_txn_begin(s, MDB_RDONLY, &txn);
    if (rc != HYP_OK)
        return rc;
    rc = state_hash(s, txn, hash);
    store_txn_abort(s, txn);
    return rc;
}
