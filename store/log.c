/*
 * log.c — the change log: one record per committed batch, keyed by its
 * sequence number (u64 big-endian, 1, 2, ...).
 *
 * Record, version 1, little-endian:
 *   u32 record version (1)
 *   u64 seq
 *   u64 inserted, updated, deleted, edges_added, edges_deleted
 *   u64 count (points after the batch)
 *   32 bytes: state hash after the batch
 *   u16 note length, note bytes
 *   u64 number of operations
 *   u64 length of the kept operations (0 unless HYP_LOG_FULL), then that many
 *       bytes of the op stream (op.c)
 */
#include <stdio.h>

#include "store_internal.h"

#define LOG_RECORD_VERSION 1
#define LOG_FIXED (4 + 8 * 7 + HYP_HASH_SIZE + 2)

int log_append(hyp_batch *b, uint64_t seq, uint64_t count, const unsigned char *hash)
{
    hyp_store *s = b->s;
    size_t note_len = strlen(b->note);
    size_t ops_len = s->log_mode == HYP_LOG_FULL ? b->ops.len : 0;
    unsigned char key[8], *p;
    MDB_val k = { 8, key }, v;
    int rc;

    put_be64(key, seq);
    v.mv_size = LOG_FIXED + note_len + 16 + ops_len;
    /* MDB_RESERVE: write the record straight into the map, no second copy of
     * a large op stream. */
    rc = mdb_put(b->txn, s->dbi[DB_LOG], &k, &v, MDB_RESERVE | MDB_APPEND);
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "appending to the log");
    p = v.mv_data;
    put_le32(p, LOG_RECORD_VERSION);
    put_le64(p + 4, seq);
    put_le64(p + 12, b->counts.inserted);
    put_le64(p + 20, b->counts.updated);
    put_le64(p + 28, b->counts.deleted);
    put_le64(p + 36, b->counts.edges_added);
    put_le64(p + 44, b->counts.edges_deleted);
    put_le64(p + 52, count);
    memcpy(p + 60, hash, HYP_HASH_SIZE);
    put_le16(p + 60 + HYP_HASH_SIZE, (unsigned)note_len);
    p += LOG_FIXED;
    memcpy(p, b->note, note_len);
    p += note_len;
    put_le64(p, b->nops);
    put_le64(p + 8, ops_len);
    p += 16;
    for (const op_chunk *c = ops_len ? b->ops.head : NULL; c; c = c->next) {
        memcpy(p, c->data, c->len);
        p += c->len;
    }
    return HYP_OK;
}

int log_decode(const MDB_val *v, hyp_log_entry *e, char *note, size_t note_size,
               const unsigned char **ops, size_t *ops_len)
{
    const unsigned char *p = v->mv_data;
    size_t n = v->mv_size, note_len;

    if (n < LOG_FIXED || get_le32(p) != LOG_RECORD_VERSION)
        return -1;
    memset(e, 0, sizeof *e);
    e->seq = get_le64(p + 4);
    e->inserted = get_le64(p + 12);
    e->updated = get_le64(p + 20);
    e->deleted = get_le64(p + 28);
    e->edges_added = get_le64(p + 36);
    e->edges_deleted = get_le64(p + 44);
    e->count = get_le64(p + 52);
    memcpy(e->hash, p + 60, HYP_HASH_SIZE);
    note_len = get_le16(p + 60 + HYP_HASH_SIZE);
    if (n - LOG_FIXED < note_len + 16)
        return -1;
    snprintf(note, note_size, "%.*s", (int)note_len, (const char *)p + LOG_FIXED);
    e->note = note;
    p += LOG_FIXED + note_len;
    e->ops = get_le64(p);
    uint64_t len = get_le64(p + 8);
    if (len != n - LOG_FIXED - note_len - 16)
        return -1;
    e->ops_kept = len > 0 || e->ops == 0;
    *ops = p + 16;
    *ops_len = (size_t)len;
    return 0;
}

int hyp_store_log(hyp_store *s, uint64_t from, uint64_t to, hyp_log_fn fn, void *ctx)
{
    unsigned char key[8];
    MDB_val k = { 8, key }, v;
    MDB_cursor *c;
    MDB_txn *txn;
    char note[256];
    int rc = store_txn_begin(s, MDB_RDONLY, &txn);

    if (rc != HYP_OK)
        return rc;
    if ((rc = mdb_cursor_open(txn, s->dbi[DB_LOG], &c)) != MDB_SUCCESS) {
        store_txn_abort(s, txn);
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    }
    put_be64(key, from);
    rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    while (rc == MDB_SUCCESS) {
        hyp_log_entry e;
        const unsigned char *ops;
        size_t ops_len;
        if (k.mv_size != 8 || log_decode(&v, &e, note, sizeof note, &ops, &ops_len) != 0) {
            rc = store_fail(s, HYP_ECORRUPT, "undecodable log record");
            break;
        }
        if (to != 0 && e.seq > to) {
            rc = MDB_NOTFOUND;
            break;
        }
        if ((rc = fn(ctx, &e)) != 0)
            break;
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(c);
    store_txn_abort(s, txn);
    if (rc == MDB_NOTFOUND)
        return HYP_OK;
    return rc >= MDB_KEYEXIST && rc <= MDB_LAST_ERRCODE ? store_lmdb_error(s, rc, "reading the log") : rc;
}
