/*
 * snapshot.c — hot copies and replay.
 *
 * A snapshot is LMDB's compacting copy (mdb_env_copy2, MDB_CP_COMPACT): it
 * reads one MVCC snapshot, so readers and a writer go on meanwhile, and
 * writes only live pages, so the copy is as small as the content.  Content,
 * log and therefore the state hash are those of that snapshot.
 *
 * Replay re-applies the logged operations of a HYP_LOG_FULL store batch by
 * batch into a new store and checks every batch's state hash against the
 * log: the proof that the log explains the content (Valori's replayable
 * memory).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "store_internal.h"

int hyp_store_snapshot(hyp_store *s, const char *dest)
{
    struct stat st;
    unsigned flags = MDB_CP_COMPACT;
    int rc;

    if (s->flags & HYP_STORE_SINGLE_FILE) {
        if (stat(dest, &st) == 0)
            return store_fail(s, HYP_EEXISTS, "'%s' already exists", dest);
    } else {
        if (mkdir(dest, 0755) != 0 && errno != EEXIST)
            return store_fail(s, errno, "cannot create '%s': %s", dest, strerror(errno));
        size_t n = strlen(dest) + sizeof "/data.mdb";
        char *data = malloc(n);
        if (data == NULL)
            return ENOMEM;
        snprintf(data, n, "%s/data.mdb", dest);
        int there = stat(data, &st) == 0;
        free(data);
        if (there)
            return store_fail(s, HYP_EEXISTS, "'%s' already holds a store", dest);
    }
    /* mdb_env_copy2 opens its own read transaction: take the remap lock so
     * that no resize happens under it. */
    pthread_rwlock_rdlock(&s->remap_lock);
    rc = mdb_env_copy2(s->env, dest, flags);
    pthread_rwlock_unlock(&s->remap_lock);
    return store_lmdb_error(s, rc, "mdb_env_copy2");
}

int hyp_store_replay(hyp_store *s, const char *dest, uint64_t to_seq, unsigned char *hash)
{
    hyp_store_config cfg = { .model = s->model, .dim = s->dim, .repr = s->repr,
                             .curvature = s->curvature, .log_mode = HYP_LOG_FULL,
                             .flags = s->flags & HYP_STORE_SINGLE_FILE };
    hyp_store *d = NULL;
    MDB_txn *txn = NULL;
    MDB_cursor *c = NULL;
    MDB_val k, v;
    unsigned char reached[HYP_HASH_SIZE];
    uint64_t last = 0;
    int rc;

    if (s->log_mode != HYP_LOG_FULL)
        return HYP_ENOLOG;
    if ((rc = hyp_store_create(dest, &cfg, &d)) != HYP_OK) {
        store_fail(s, rc, "creating '%s': %s", dest, d ? d->errmsg : "");
        goto out;
    }
    if ((rc = hyp_store_hash(d, reached)) != HYP_OK)
        goto out;
    if ((rc = store_txn_begin(s, MDB_RDONLY, &txn)) != HYP_OK)
        goto out;
    if ((rc = mdb_cursor_open(txn, s->dbi[DB_LOG], &c)) != MDB_SUCCESS) {
        rc = store_lmdb_error(s, rc, "mdb_cursor_open");
        goto out;
    }
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == MDB_SUCCESS;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        hyp_log_entry e;
        const unsigned char *ops;
        size_t ops_len;
        uint64_t applied, seq;
        char note[256];
        hyp_batch *b;

        if (log_decode(&v, &e, note, sizeof note, &ops, &ops_len) != 0) {
            rc = store_fail(s, HYP_ECORRUPT, "log entry cannot be decoded");
            break;
        }
        if (to_seq != 0 && e.seq > to_seq)
            break;
        if ((rc = batch_begin(d, &b)) != HYP_OK)
            break;
        hyp_batch_note(b, note);
        rc = ops_apply(b, ops, ops_len, &applied);
        /* A grown map inside a replayed batch: redo it in the larger map. */
        while (rc == MDB_MAP_FULL) {
            hyp_batch_abort(b);
            if ((rc = store_grow_map(d)) != HYP_OK || (rc = batch_begin(d, &b)) != HYP_OK)
                goto out;
            hyp_batch_note(b, note);
            rc = ops_apply(b, ops, ops_len, &applied);
        }
        if (rc != HYP_OK) {
            hyp_batch_abort(b);
            rc = store_fail(s, HYP_ECORRUPT, "log entry %llu does not apply: %s",
                            (unsigned long long)e.seq, hyp_strerror(rc));
            break;
        }
        if ((rc = hyp_batch_commit(b, &seq, reached)) != HYP_OK)
            break;
        if (seq != e.seq || memcmp(reached, e.hash, HYP_HASH_SIZE) != 0) {
            rc = store_fail(s, HYP_ECORRUPT,
                            "replaying log entry %llu gives another state hash than the log's",
                            (unsigned long long)e.seq);
            break;
        }
        last = e.seq;
    }
    if (rc == MDB_NOTFOUND || rc == MDB_SUCCESS)
        rc = HYP_OK;
    if (rc == HYP_OK && to_seq != 0 && last != to_seq)
        rc = store_fail(s, HYP_ENOTFOUND, "the log ends at %llu, before %llu",
                        (unsigned long long)last, (unsigned long long)to_seq);
out:
    if (c)
        mdb_cursor_close(c);
    if (txn)
        store_txn_abort(s, txn);
    hyp_store_close(d);
    if (rc == HYP_OK && hash)
        memcpy(hash, reached, HYP_HASH_SIZE);
    return rc;
}
