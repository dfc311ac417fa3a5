/*
 * batch.c — the write path: one LMDB write transaction per batch.
 *
 * Operations are applied to the transaction as they come, so each one's
 * error is known at once and a rejected one changes nothing.  Each applied
 * operation is also kept, encoded (op.c).  When LMDB reports MDB_MAP_FULL
 * the transaction is lost: we abort it, double the map, start a new one and
 * re-apply the kept operations, then go on.  Between the abort and the new
 * transaction LMDB's writer lock is released, so another process could
 * commit in between; if the replay then fails, the batch fails with
 * HYP_ECONFLICT and nothing of it is written.
 *
 * Commit computes the state hash inside the same transaction, appends the
 * log entry and updates the metadata, so the log can never disagree with the
 * content it describes, even across a crash.  The hash's tree (hash.c) is
 * brought up to date there too, for the buckets the batch touched only;
 * new labels and their record digests are written just before, sorted
 * (pending.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "store_ext.h"
#include "store_internal.h"

/* Errors caused by the operation's input: nothing was written. */
static int is_input_error(int rc)
{
    switch (rc) {
    case HYP_ELABEL_LEN:
    case HYP_ELABEL_UTF8:
    case HYP_EEXISTS:
    case HYP_ENOTFOUND:
    case HYP_ECYCLE:
        return 1;
    default:
        return rc >= HYP_EDIM && rc <= HYP_ERANGE; /* hyp_point_check codes */
    }
}

static int txn_start(hyp_batch *b)
{
    int rc = store_txn_begin(b->s, 0, &b->txn);
    if (rc != HYP_OK) {
        b->txn = NULL;
        return rc;
    }
    memset(&b->counts, 0, sizeof b->counts);
    b->nops = 0;
    b->ntouched = 0;
    ops_free(&b->ops);
    pending_reset(b);
    memset(b->dirty, 0, sizeof b->dirty);
    b->any_dirty = 0;
    b->append[0] = b->append[1] = NULL;
    rc = meta_get_u64(b->s, b->txn, META_NEXT_ID, &b->next_id);
    if (rc != HYP_OK) {
        store_txn_abort(b->s, b->txn);
        b->txn = NULL;
    }
    return rc;
}

/* After MDB_MAP_FULL: a larger map and the same operations in a new txn. */
static int regrow(hyp_batch *b)
{
    op_stream old = b->ops;
    int rc;

    b->ops = (op_stream){ 0 };
    for (;;) {
        uint64_t applied;
        if (b->txn) {
            store_txn_abort(b->s, b->txn);
            b->txn = NULL;
        }
        if ((rc = store_grow_map(b->s)) != HYP_OK)
            break;
        if ((rc = txn_start(b)) != HYP_OK)
            break;
        rc = HYP_OK;
        for (const op_chunk *c = old.head; c && rc == HYP_OK; c = c->next)
            rc = ops_apply(b, c->data, c->len, &applied);
        if (rc == MDB_MAP_FULL)
            continue;
        if (rc != HYP_OK)
            rc = store_fail(b->s, HYP_ECONFLICT,
                            "re-applying the batch into a larger map failed (%s): "
                            "another process wrote in between",
                            hyp_strerror(rc));
        break;
    }
    ops_free(&old);
    return rc;
}

int batch_begin(hyp_store *s, hyp_batch **out)
{
    hyp_batch *b;
    int rc;

    *out = NULL;
    pthread_mutex_lock(&s->batch_lock);
    rc = s->batch_open ? HYP_EBUSY : HYP_OK;
    s->batch_open = 1;
    pthread_mutex_unlock(&s->batch_lock);
    if (rc != HYP_OK)
        return rc;
    b = calloc(1, sizeof *b);
    if (b == NULL || (b->coords = malloc(s->point_bytes)) == NULL ||
        (b->words = malloc(repr_scratch_bytes(s))) == NULL) {
        if (b)
            free(b->coords);
        free(b);
        rc = ENOMEM;
    } else {
        b->s = s;
        rc = txn_start(b);
    }
    if (rc != HYP_OK) {
        if (b)
            hyp_batch_abort(b);
        else {
            pthread_mutex_lock(&s->batch_lock);
            s->batch_open = 0;
            pthread_mutex_unlock(&s->batch_lock);
        }
        return rc;
    }
    *out = b;
    return HYP_OK;
}

int hyp_batch_begin(hyp_store *s, hyp_batch **out)
{
    if (out == NULL)
        return EINVAL;
    *out = NULL;
    if (s->flags & HYP_STORE_RDONLY)
        return HYP_EREADONLY;
    return batch_begin(s, out);
}

void hyp_batch_abort(hyp_batch *b)
{
    if (b == NULL)
        return;
    if (b->txn)
        store_txn_abort(b->s, b->txn);
    pthread_mutex_lock(&b->s->batch_lock);
    b->s->batch_open = 0;
    pthread_mutex_unlock(&b->s->batch_lock);
    ops_free(&b->ops);
    pending_free(b);
    free(b->coords);
    free(b->words);
    free(b->stack);
    free(b->seen);
    free(b->touched);
    free(b);
}

/* Applies one operation, growing the map as often as it takes. */
static int run_op(hyp_batch *b, enum op_type type, const char *l1, size_t n1, const char *l2,
                  size_t n2, const unsigned char *coords, uint64_t *id)
{
    int rc;

    if (b->failed)
        return b->failed;
    for (;;) {
        switch (type) {
        case OP_PUT:
        case OP_UPSERT:
            rc = op_put(b, l1, n1, coords, type == OP_UPSERT, id);
            break;
        case OP_DELETE:
            rc = op_delete(b, l1, n1);
            break;
        case OP_EDGE_ADD:
            rc = op_edge_add(b, l1, n1, l2, n2);
            break;
        default:
            rc = op_edge_delete(b, l1, n1, l2, n2);
            break;
        }
        if (rc != MDB_MAP_FULL)
            break;
        if ((rc = regrow(b)) != HYP_OK)
            break;
    }
    if (rc == HYP_OK)
        rc = ops_record(b, type, l1, n1, l2, n2, coords);
    if (rc != HYP_OK && !is_input_error(rc))
        b->failed = rc;
    return rc;
}

/* Both puts: the point as width doubles, or (raw) as stored. */
static int put(hyp_batch *b, const char *label, size_t len, const void *point, int raw,
               unsigned flags, uint64_t *id)
{
    int rc;

    if (b->failed)
        return b->failed;
    if ((rc = hyp_label_check(label, len)) != HYP_OK)
        return rc;
    if (!raw)
        rc = repr_from_f64(b->s, point, b->coords, b->words);
    else if ((rc = repr_check(b->s, point, b->words)) == HYP_OK)
        memcpy(b->coords, point, b->s->point_bytes);
    if (rc != HYP_OK)
        return rc;
    return run_op(b, (flags & HYP_PUT_UPSERT) ? OP_UPSERT : OP_PUT, label, len, NULL, 0,
                  b->coords, id);
}

int hyp_batch_put(hyp_batch *b, const char *label, size_t len, const double *x,
                  unsigned flags, uint64_t *id)
{
    return put(b, label, len, x, 0, flags, id);
}

int hyp_batch_put_raw(hyp_batch *b, const char *label, size_t len, const unsigned char *bytes,
                      unsigned flags, uint64_t *id)
{
    return put(b, label, len, bytes, 1, flags, id);
}

int hyp_batch_delete(hyp_batch *b, const char *label, size_t len)
{
    return run_op(b, OP_DELETE, label, len, NULL, 0, NULL, NULL);
}

int hyp_batch_delete_id(hyp_batch *b, uint64_t id)
{
    unsigned char key[8];
    char label[HYP_LABEL_MAX];
    MDB_val k = { 8, key }, v;
    int rc;

    if (b->failed)
        return b->failed;
    put_be64(key, id);
    rc = mdb_get(b->txn, b->s->dbi[DB_ID2LABEL], &k, &v);
    if (rc == MDB_NOTFOUND)
        return HYP_ENOTFOUND;
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(b->s, rc, "looking up an id");
    if (v.mv_size > HYP_LABEL_MAX)
        return store_fail(b->s, HYP_ECORRUPT, "label of id %llu too long",
                          (unsigned long long)id);
    /* Copied: the map page may move when the delete writes. */
    memcpy(label, v.mv_data, v.mv_size);
    return hyp_batch_delete(b, label, v.mv_size);
}

int hyp_batch_edge_add(hyp_batch *b, const char *child, size_t child_len, const char *parent,
                       size_t parent_len)
{
    return run_op(b, OP_EDGE_ADD, child, child_len, parent, parent_len, NULL, NULL);
}

int hyp_batch_edge_delete(hyp_batch *b, const char *child, size_t child_len,
                          const char *parent, size_t parent_len)
{
    return run_op(b, OP_EDGE_DELETE, child, child_len, parent, parent_len, NULL, NULL);
}

uint64_t hyp_batch_size(const hyp_batch *b)
{
    return b->nops;
}

int hyp_batch_note(hyp_batch *b, const char *note)
{
    snprintf(b->note, sizeof b->note, "%s", note ? note : "");
    return HYP_OK;
}

int batch_touch(hyp_batch *b, uint64_t id)
{
    if (b->ntouched == b->touched_cap) {
        size_t cap = b->touched_cap ? b->touched_cap * 2 : 64;
        uint64_t *t = realloc(b->touched, cap * sizeof *t);
        if (t == NULL)
            return ENOMEM;
        b->touched = t;
        b->touched_cap = cap;
    }
    b->touched[b->ntouched++] = id;
    return 0;
}

/* The extension's derived data, in the batch's transaction (store_ext.h). */
static int run_ext(hyp_batch *b)
{
    hyp_store *s = b->s;
    if (s->ext_recorded[0] != '\0' &&
        (s->ext == NULL || strcmp(s->ext->name, s->ext_recorded) != 0))
        return store_fail(s, HYP_ENEEDINDEX,
                          "the store has an index ('%s'): write through a handle with it "
                          "attached (hyp_index_open)",
                          s->ext_recorded);
    if (s->ext == NULL)
        return HYP_OK;
    return s->ext->on_commit(s->ext_ctx, b->txn, b->touched, b->ntouched);
}

/* Hash, log entry and metadata, in the batch's transaction. */
static int finish(hyp_batch *b, uint64_t *seq, unsigned char *hash)
{
    hyp_store *s = b->s;
    MDB_stat st;
    uint64_t last;
    int rc;

    if ((rc = meta_get_u64(s, b->txn, META_LAST_SEQ, &last)) != HYP_OK)
        return rc;
    *seq = last + 1;
    /* Labels and record digests held back go in first: the extension and
     * the hash read them. */
    if ((rc = pending_flush(b)) != HYP_OK)
        return rc;
    if ((rc = run_ext(b)) != HYP_OK)
        return rc;
    if ((rc = hash_update(b)) != HYP_OK || (rc = state_hash_stored(s, b->txn, hash)) != HYP_OK)
        return rc;
    if ((rc = mdb_stat(b->txn, s->dbi[DB_POINTS], &st)) != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_stat");
    if ((rc = log_append(b, *seq, st.ms_entries, hash)) != HYP_OK ||
        (rc = meta_put_u64(s, b->txn, META_NEXT_ID, b->next_id)) != HYP_OK ||
        (rc = meta_put_u64(s, b->txn, META_LAST_SEQ, *seq)) != HYP_OK)
        return rc;
    return meta_put_bytes(s, b->txn, META_LAST_HASH, hash, HYP_HASH_SIZE);
}

int hyp_batch_commit(hyp_batch *b, uint64_t *seq_out, unsigned char *hash_out)
{
    unsigned char hash[HYP_HASH_SIZE];
    uint64_t seq = 0;
    int rc = b->failed;

    if (rc == HYP_OK && b->nops == 0) {
        /* Nothing to commit: report the current state. */
        MDB_val v;
        rc = meta_get_u64(b->s, b->txn, META_LAST_SEQ, &seq);
        if (rc == HYP_OK && (rc = meta_get_bytes(b->s, b->txn, META_LAST_HASH, &v)) == HYP_OK)
            memcpy(hash, v.mv_data, v.mv_size == HYP_HASH_SIZE ? HYP_HASH_SIZE : 0);
    } else {
        while (rc == HYP_OK) {
            rc = finish(b, &seq, hash);
            if (rc == HYP_OK) {
                rc = store_txn_commit(b->s, b->txn);
                b->txn = NULL; /* gone, committed or not */
            }
            if (rc != MDB_MAP_FULL)
                break;
            rc = regrow(b);
        }
    }
    if (rc == HYP_OK) {
        if (seq_out)
            *seq_out = seq;
        if (hash_out)
            memcpy(hash_out, hash, HYP_HASH_SIZE);
    }
    hyp_batch_abort(b);
    return rc;
}
