/*
 * ext.c — the store's side of extensions (store_ext.h): attaching one to a
 * handle, writing its data in a transaction of its own, and the read
 * transactions and lookups a reader above the store needs.
 */
#include <stdio.h>
#include <stdlib.h>

#include "store_ext.h"
#include "store_internal.h"

void store_ext_attach(hyp_store *s, const store_ext *ext, void *ctx, int owned)
{
    if (s->ext != NULL && s->ext_owned && s->ext_ctx != ctx) {
        /* Replacing an extension the handle owns: free it (its close
         * detaches nothing, the slot is already clear). */
        const store_ext *old = s->ext;
        void *octx = s->ext_ctx;
        s->ext = NULL;
        s->ext_ctx = NULL;
        s->ext_owned = 0;
        old->on_close(octx);
    }
    s->ext = ext;
    s->ext_ctx = ctx;
    s->ext_owned = ext != NULL && owned;
}

void store_ext_detach(hyp_store *s, void *ctx)
{
    if (s->ext_ctx == ctx) {
        s->ext = NULL;
        s->ext_ctx = NULL;
        s->ext_owned = 0;
    }
}

const char *store_ext_recorded(const hyp_store *s)
{
    return s->ext_recorded;
}

static int record_ext(hyp_store *s, MDB_txn *txn, const char *record)
{
    MDB_val k = { strlen(META_EXT), (void *)META_EXT };
    if (record[0] == '\0') {
        int rc = mdb_del(txn, s->dbi[DB_META], &k, NULL);
        return rc == MDB_NOTFOUND ? HYP_OK : store_lmdb_error(s, rc, "writing metadata");
    }
    return meta_put_bytes(s, txn, META_EXT, record, strlen(record));
}

int store_ext_write(hyp_store *s, int (*fn)(void *ctx, MDB_txn *txn), void *ctx,
                    const char *record)
{
    int rc;

    if (s->flags & HYP_STORE_RDONLY)
        return HYP_EREADONLY;
    if (record && strlen(record) > STORE_EXT_NAME_MAX)
        return EINVAL;
    pthread_mutex_lock(&s->batch_lock);
    rc = s->batch_open ? HYP_EBUSY : HYP_OK;
    s->batch_open = 1;
    pthread_mutex_unlock(&s->batch_lock);
    if (rc != HYP_OK)
        return rc;
    for (;;) {
        MDB_txn *txn;
        if ((rc = store_txn_begin(s, 0, &txn)) != HYP_OK)
            break;
        rc = fn(ctx, txn);
        if (rc == HYP_OK && record)
            rc = record_ext(s, txn, record);
        if (rc != HYP_OK) {
            store_txn_abort(s, txn);
        } else {
            rc = store_txn_commit(s, txn);
        }
        if (rc != MDB_MAP_FULL)
            break;
        if ((rc = store_grow_map(s)) != HYP_OK)
            break;
    }
    if (rc == HYP_OK && record)
        snprintf(s->ext_recorded, sizeof s->ext_recorded, "%s", record);
    pthread_mutex_lock(&s->batch_lock);
    s->batch_open = 0;
    pthread_mutex_unlock(&s->batch_lock);
    return rc;
}

int store_ext_dbi(hyp_store *s, MDB_txn *txn, const char *name, int create, MDB_dbi *dbi)
{
    int rc = mdb_dbi_open(txn, name, create ? MDB_CREATE : 0, dbi);
    if (rc == MDB_NOTFOUND)
        return HYP_ENOTFOUND;
    return store_lmdb_error(s, rc, "mdb_dbi_open");
}

int store_ext_read_begin(hyp_store *s, MDB_txn **txn)
{
    return store_txn_begin(s, MDB_RDONLY, txn);
}

void store_ext_read_reset(hyp_store *s, MDB_txn *txn)
{
    mdb_txn_reset(txn);
    pthread_rwlock_unlock(&s->remap_lock);
}

int store_ext_read_renew(hyp_store *s, MDB_txn **txn)
{
    pthread_rwlock_rdlock(&s->remap_lock);
    int rc = mdb_txn_renew(*txn);
    if (rc == MDB_SUCCESS)
        return HYP_OK;
    pthread_rwlock_unlock(&s->remap_lock);
    /* Most likely the map was grown by another process (MDB_MAP_RESIZED):
     * a fresh transaction adopts the new size. */
    mdb_txn_abort(*txn);
    *txn = NULL;
    return store_txn_begin(s, MDB_RDONLY, txn);
}

int store_ext_read_commit(hyp_store *s, MDB_txn *txn)
{
    return store_txn_commit(s, txn);
}

void store_ext_read_end(hyp_store *s, MDB_txn *txn, int live)
{
    if (txn == NULL)
        return;
    if (live)
        store_txn_abort(s, txn); /* releases the remap lock too */
    else
        mdb_txn_abort(txn);
}

MDB_txn *store_ext_read_txn(hyp_read *r)
{
    return r->txn;
}

int store_ext_point(hyp_store *s, MDB_txn *txn, uint64_t id, const unsigned char **bytes)
{
    unsigned char key[8];
    MDB_val k = { 8, key }, v;
    put_be64(key, id);
    int rc = mdb_get(txn, s->dbi[DB_POINTS], &k, &v);
    if (rc == MDB_NOTFOUND)
        return HYP_ENOTFOUND;
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "reading a point");
    if (v.mv_size != s->point_bytes)
        return store_fail(s, HYP_ECORRUPT, "point %llu has %zu bytes", (unsigned long long)id,
                          v.mv_size);
    *bytes = v.mv_data;
    return HYP_OK;
}

int store_ext_label(hyp_store *s, MDB_txn *txn, uint64_t id, const char **label, size_t *len)
{
    unsigned char key[8];
    MDB_val k = { 8, key }, v;
    put_be64(key, id);
    int rc = mdb_get(txn, s->dbi[DB_ID2LABEL], &k, &v);
    if (rc == MDB_NOTFOUND)
        return HYP_ENOTFOUND;
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "reading a label");
    *label = v.mv_data;
    *len = v.mv_size;
    return HYP_OK;
}

int store_ext_find(hyp_store *s, MDB_txn *txn, const char *label, size_t len, uint64_t *id)
{
    return store_find(s, txn, label, len, id);
}

int store_ext_last_seq(hyp_store *s, MDB_txn *txn, uint64_t *seq)
{
    return meta_get_u64(s, txn, META_LAST_SEQ, seq);
}

int store_ext_foreach_point(hyp_store *s, MDB_txn *txn,
                            int (*fn)(void *ctx, uint64_t id, const unsigned char *bytes),
                            void *ctx)
{
    MDB_cursor *c;
    MDB_val k, v;
    int rc = mdb_cursor_open(txn, s->dbi[DB_POINTS], &c);
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == MDB_SUCCESS;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 8 || v.mv_size != s->point_bytes) {
            rc = store_fail(s, HYP_ECORRUPT, "points: malformed entry");
            break;
        }
        if ((rc = fn(ctx, get_be64(k.mv_data), v.mv_data)) != 0)
            break;
    }
    mdb_cursor_close(c);
    if (rc == MDB_NOTFOUND)
        return HYP_OK;
    return rc >= MDB_KEYEXIST && rc <= MDB_LAST_ERRCODE ? store_lmdb_error(s, rc, "walking points")
                                                        : rc;
}

uint64_t store_ext_map_epoch(const hyp_store *s)
{
    return s->map_epoch;
}

hyp_model store_ext_model(const hyp_store *s)
{
    return s->model;
}

size_t store_ext_dim(const hyp_store *s)
{
    return s->dim;
}

size_t store_ext_width(const hyp_store *s)
{
    return s->width;
}

int store_ext_fail(hyp_store *s, int err, const char *msg)
{
    return store_fail(s, err, "%s", msg);
}

int store_ext_lmdb(hyp_store *s, int rc, const char *what)
{
    return store_lmdb_error(s, rc, what);
}
