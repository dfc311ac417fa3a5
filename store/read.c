/*
 * read.c — read transactions: lookups by label and id, zero-copy points and
 * labels, walks in id order.  A hyp_read is one LMDB read-only transaction
 * (MVCC: it sees one committed state and blocks nobody); every pointer it
 * hands out points into the map and dies with it.
 */
#include <stdlib.h>

#include "store_internal.h"

int hyp_read_begin(hyp_store *s, hyp_read **out)
{
    hyp_read *r = calloc(1, sizeof *r);
    int rc;

    *out = NULL;
    if (r == NULL)
        return ENOMEM;
    r->s = s;
    if ((rc = store_txn_begin(s, MDB_RDONLY, &r->txn)) != HYP_OK) {
        free(r);
        return rc;
    }
    *out = r;
    return HYP_OK;
}

void hyp_read_end(hyp_read *r)
{
    if (r == NULL)
        return;
    store_txn_abort(r->s, r->txn);
    free(r);
}

int hyp_read_find(hyp_read *r, const char *label, size_t len, uint64_t *id)
{
    return store_find(r->s, r->txn, label, len, id);
}

static int get_by_id(hyp_read *r, enum store_db db, uint64_t id, MDB_val *v)
{
    unsigned char key[8];
    MDB_val k = { 8, key };
    put_be64(key, id);
    int rc = mdb_get(r->txn, r->s->dbi[db], &k, v);
    if (rc == MDB_NOTFOUND)
        return HYP_ENOTFOUND;
    return store_lmdb_error(r->s, rc, "mdb_get");
}

int hyp_read_point(hyp_read *r, uint64_t id, const unsigned char **bytes)
{
    MDB_val v;
    int rc = get_by_id(r, DB_POINTS, id, &v);
    if (rc != HYP_OK)
        return rc;
    if (v.mv_size != r->s->point_bytes)
        return store_fail(r->s, HYP_ECORRUPT, "point %llu has %zu bytes",
                          (unsigned long long)id, v.mv_size);
    *bytes = v.mv_data;
    return HYP_OK;
}

int hyp_read_point_f64(hyp_read *r, uint64_t id, double *x)
{
    const unsigned char *bytes;
    int rc = hyp_read_point(r, id, &bytes);
    if (rc != HYP_OK || r->s->repr == HYP_REPR_F64) {
        if (rc == HYP_OK)
            hyp_f64_decode(bytes, r->s->width, x);
        return rc;
    }
    void *words = malloc(r->s->point_bytes);
    if (words == NULL)
        return ENOMEM;
    rc = repr_to_f64(r->s, bytes, x, words);
    free(words);
    return rc;
}

int hyp_read_label(hyp_read *r, uint64_t id, const char **label, size_t *len)
{
    MDB_val v;
    int rc = get_by_id(r, DB_ID2LABEL, id, &v);
    if (rc == HYP_OK) {
        *label = v.mv_data;
        *len = v.mv_size;
    }
    return rc;
}

static int read_dups(hyp_read *r, enum store_db db, uint64_t id, uint64_t *ids, size_t cap,
                     size_t *count)
{
    unsigned char key[8];
    MDB_val k = { 8, key }, v;
    MDB_cursor *c;
    size_t n = 0;
    int rc;

    put_be64(key, id);
    if ((rc = mdb_cursor_open(r->txn, r->s->dbi[db], &c)) != MDB_SUCCESS)
        return store_lmdb_error(r->s, rc, "mdb_cursor_open");
    rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY);
    while (rc == MDB_SUCCESS) {
        if (n < cap)
            ids[n] = get_be64(v.mv_data);
        n++;
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP);
    }
    mdb_cursor_close(c);
    *count = n;
    return rc == MDB_NOTFOUND ? HYP_OK : store_lmdb_error(r->s, rc, "reading edges");
}

int hyp_read_parents(hyp_read *r, uint64_t id, uint64_t *ids, size_t cap, size_t *count)
{
    return read_dups(r, DB_PARENTS, id, ids, cap, count);
}

int hyp_read_children(hyp_read *r, uint64_t id, uint64_t *ids, size_t cap, size_t *count)
{
    return read_dups(r, DB_CHILDREN, id, ids, cap, count);
}

/* Walks points and id2label side by side: both are keyed by id, so the two
 * cursors advance together without a lookup per point. */
int hyp_read_foreach(hyp_read *r, hyp_point_fn fn, void *ctx)
{
    MDB_cursor *pc = NULL, *lc = NULL;
    MDB_val pk, pv, lk, lv;
    int rc, lrc;

    if ((rc = mdb_cursor_open(r->txn, r->s->dbi[DB_POINTS], &pc)) != MDB_SUCCESS ||
        (rc = mdb_cursor_open(r->txn, r->s->dbi[DB_ID2LABEL], &lc)) != MDB_SUCCESS) {
        if (pc)
            mdb_cursor_close(pc);
        return store_lmdb_error(r->s, rc, "mdb_cursor_open");
    }
    rc = mdb_cursor_get(pc, &pk, &pv, MDB_FIRST);
    lrc = mdb_cursor_get(lc, &lk, &lv, MDB_FIRST);
    while (rc == MDB_SUCCESS) {
        if (lrc != MDB_SUCCESS || lk.mv_size != 8 || pk.mv_size != 8 ||
            memcmp(lk.mv_data, pk.mv_data, 8) != 0 || pv.mv_size != r->s->point_bytes) {
            rc = store_fail(r->s, HYP_ECORRUPT, "points and labels disagree");
            break;
        }
        if ((rc = fn(ctx, get_be64(pk.mv_data), lv.mv_data, lv.mv_size, pv.mv_data)) != 0)
            break;
        rc = mdb_cursor_get(pc, &pk, &pv, MDB_NEXT);
        lrc = mdb_cursor_get(lc, &lk, &lv, MDB_NEXT);
    }
    mdb_cursor_close(pc);
    mdb_cursor_close(lc);
    if (rc == MDB_NOTFOUND)
        return HYP_OK;
    return rc >= MDB_KEYEXIST && rc <= MDB_LAST_ERRCODE ? store_lmdb_error(r->s, rc, "walking points")
                                                        : rc;
}

int hyp_read_foreach_edge(hyp_read *r, hyp_edge_fn fn, void *ctx)
{
    MDB_cursor *c;
    MDB_val k, v;
    int rc;

    if ((rc = mdb_cursor_open(r->txn, r->s->dbi[DB_PARENTS], &c)) != MDB_SUCCESS)
        return store_lmdb_error(r->s, rc, "mdb_cursor_open");
    rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    while (rc == MDB_SUCCESS) {
        if ((rc = fn(ctx, get_be64(k.mv_data), get_be64(v.mv_data))) != 0)
            break;
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(c);
    if (rc == MDB_NOTFOUND)
        return HYP_OK;
    return rc >= MDB_KEYEXIST && rc <= MDB_LAST_ERRCODE ? store_lmdb_error(r->s, rc, "walking edges")
                                                        : rc;
}
