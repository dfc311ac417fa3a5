/*
 * points.c — inserting, replacing and deleting points inside a batch's write
 * transaction.  Each operation first checks everything that can fail for a
 * reason of the input (label, point, existence) and only then writes, so a
 * rejected operation leaves the transaction untouched and the batch usable.
 * A write that fails after that (MDB_MAP_FULL, I/O) spoils the whole LMDB
 * transaction; batch.c then re-applies the batch or gives up.
 */
#include <stdlib.h>

#include "store_internal.h"

int store_find(hyp_store *s, MDB_txn *txn, const char *label, size_t len, uint64_t *id)
{
    MDB_val k = { len, (void *)label }, v;
    int rc = hyp_label_check(label, len);
    if (rc != HYP_OK)
        return rc;
    rc = mdb_get(txn, s->dbi[DB_LABEL2ID], &k, &v);
    if (rc == MDB_NOTFOUND)
        return HYP_ENOTFOUND;
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "looking up a label");
    if (v.mv_size != 8)
        return store_fail(s, HYP_ECORRUPT, "label2id value of %zu bytes", v.mv_size);
    *id = get_be64(v.mv_data);
    return HYP_OK;
}

/* Appends k -> v at the end of db through the batch's cursor `which`. */
static int append_put(hyp_batch *b, int which, enum store_db db, MDB_val *k, MDB_val *v)
{
    if (b->append[which] == NULL) {
        int rc = mdb_cursor_open(b->txn, b->s->dbi[db], &b->append[which]);
        if (rc != MDB_SUCCESS) {
            b->append[which] = NULL;
            return rc;
        }
    }
    return mdb_cursor_put(b->append[which], k, v, MDB_APPEND);
}

int op_put(hyp_batch *b, const char *label, size_t len, const unsigned char *coords,
           int upsert, uint64_t *id_out)
{
    hyp_store *s = b->s;
    unsigned char key[8];
    uint64_t id;
    int pend, rc = store_find(s, b->txn, label, len, &id);
    MDB_val k = { 8, key }, v = { s->point_bytes, (void *)coords };

    if (rc == HYP_ENOTFOUND && (rc = pending_find(b, label, len, &pend)) == HYP_OK) {
        rc = HYP_ENOTFOUND;
        if (pend && !upsert)
            return HYP_EEXISTS;
        /* Replacing a pending point: write the pending labels out, then
         * take the common path (rare: a duplicate inside one batch). */
        if (pend && (rc = pending_flush(b)) == HYP_OK)
            rc = store_find(s, b->txn, label, len, &id);
    }
    if (rc == HYP_OK) {
        if (!upsert)
            return HYP_EEXISTS;
        put_be64(key, id);
        if ((rc = record_unhash(b, id)) != HYP_OK)
            return rc;
        rc = mdb_put(b->txn, s->dbi[DB_POINTS], &k, &v, 0);
        if (rc != MDB_SUCCESS)
            return store_lmdb_error(s, rc, "replacing a point");
        if ((rc = record_rehash(b, id)) != HYP_OK)
            return rc;
        if (batch_touch(b, id) != 0)
            return ENOMEM;
        b->counts.updated++;
    } else if (rc == HYP_ENOTFOUND) {
        MDB_val lk = { len, (void *)label };
        /* Where our caller will record this put: the pending entry reads
         * the label and the point from there. */
        const unsigned char *rec = ops_next_put(b, len);
        if (rec == NULL)
            return ENOMEM;
        id = b->next_id;
        put_be64(key, id);
        /* Ids only grow, so both id-keyed trees take the new key at their
         * end; the label and the record digest wait to go in sorted
         * (pending.c).  A new point has no parents yet. */
        if ((rc = append_put(b, 0, DB_POINTS, &k, &v)) ||
            (rc = append_put(b, 1, DB_ID2LABEL, &k, &lk)))
            return store_lmdb_error(s, rc, "inserting a point");
        if (pending_add(b, label, len, rec) != HYP_OK || batch_touch(b, id) != 0)
            return ENOMEM;
        b->next_id++;
        b->counts.inserted++;
    } else {
        return rc;
    }
    if (id_out)
        *id_out = id;
    return HYP_OK;
}

/* Removes every edge of one direction's list of id, and the mirror entries
 * in the other direction's database. */
static int drop_edges(hyp_batch *b, enum store_db from, enum store_db mirror, uint64_t id,
                      uint64_t *removed)
{
    hyp_store *s = b->s;
    unsigned char key[8];
    MDB_val k = { 8, key }, v;
    MDB_cursor *c;
    int rc;

    put_be64(key, id);
    rc = mdb_cursor_open(b->txn, s->dbi[from], &c);
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY);
    while (rc == MDB_SUCCESS) {
        MDB_val mk = { 8, v.mv_data }, mv = { 8, key };
        rc = mdb_del(b->txn, s->dbi[mirror], &mk, &mv);
        if (rc == MDB_NOTFOUND)
            rc = store_fail(s, HYP_ECORRUPT, "edge of id %llu has no mirror",
                            (unsigned long long)id);
        if (rc != MDB_SUCCESS)
            break;
        (*removed)++;
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND && rc != MDB_SUCCESS)
        return rc == HYP_ECORRUPT ? rc : store_lmdb_error(s, rc, "deleting edges");
    rc = mdb_del(b->txn, s->dbi[from], &k, NULL);
    if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND)
        return store_lmdb_error(s, rc, "deleting edges");
    return HYP_OK;
}

/* The children of id, into *out (malloc'd, caller frees). */
static int children_of(hyp_batch *b, uint64_t id, uint64_t **out, size_t *n)
{
    unsigned char key[8];
    MDB_val k = { 8, key }, v;
    MDB_cursor *c;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    put_be64(key, id);
    if ((rc = mdb_cursor_open(b->txn, b->s->dbi[DB_CHILDREN], &c)) != MDB_SUCCESS)
        return store_lmdb_error(b->s, rc, "mdb_cursor_open");
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY); rc == MDB_SUCCESS;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            uint64_t *t = realloc(*out, cap * sizeof *t);
            if (t == NULL) {
                mdb_cursor_close(c);
                return ENOMEM;
            }
            *out = t;
        }
        (*out)[(*n)++] = get_be64(v.mv_data);
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? HYP_OK : store_lmdb_error(b->s, rc, "reading children");
}

int op_delete(hyp_batch *b, const char *label, size_t len)
{
    hyp_store *s = b->s;
    unsigned char key[8];
    MDB_val k = { 8, key }, lk = { len, (void *)label };
    uint64_t id, removed = 0, *kids = NULL;
    size_t nkids = 0;
    int rc;

    if ((rc = pending_flush(b)) != HYP_OK)
        return rc;
    if ((rc = store_find(s, b->txn, label, len, &id)) != HYP_OK)
        return rc;
    /* The point's record goes, and each child's record loses a parent:
     * their digests are taken out before and the children's put back after. */
    if ((rc = children_of(b, id, &kids, &nkids)) != HYP_OK)
        goto out;
    if ((rc = record_unhash(b, id)) != HYP_OK)
        goto out;
    for (size_t i = 0; i < nkids; i++)
        if ((rc = record_unhash(b, kids[i])) != HYP_OK)
            goto out;
    put_be64(key, id);
    if ((rc = mdb_del(b->txn, s->dbi[DB_LABEL2ID], &lk, NULL)) ||
        (rc = mdb_del(b->txn, s->dbi[DB_ID2LABEL], &k, NULL)) ||
        (rc = mdb_del(b->txn, s->dbi[DB_POINTS], &k, NULL))) {
        rc = rc == MDB_NOTFOUND
                 ? store_fail(s, HYP_ECORRUPT, "label '%.*s' has a dangling id", (int)len, label)
                 : store_lmdb_error(s, rc, "deleting a point");
        goto out;
    }
    /* Parents: each edge is one entry in parents and one in children; count it once. */
    if ((rc = drop_edges(b, DB_PARENTS, DB_CHILDREN, id, &removed)) != HYP_OK ||
        (rc = drop_edges(b, DB_CHILDREN, DB_PARENTS, id, &removed)) != HYP_OK)
        goto out;
    for (size_t i = 0; i < nkids; i++)
        if ((rc = record_rehash(b, kids[i])) != HYP_OK)
            goto out;
    if (batch_touch(b, id) != 0) {
        rc = ENOMEM;
        goto out;
    }
    b->counts.deleted++;
    b->counts.edges_deleted += removed;
out:
    free(kids);
    return rc;
}
