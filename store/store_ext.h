/*
 * store_ext.h — what the store offers the layers built on it inside the
 * library (index/), and nothing else: not installed, not public.
 *
 * An extension keeps derived data (the HNSW graph) in named databases of the
 * store's environment and must change it in the same write transaction as
 * the points it derives from.  The store knows nothing of what an extension
 * does; it only:
 *   - records the extension's name in the metadata ("ext") while the
 *     extension's data exists, so that every handle learns it at open;
 *   - refuses to commit a batch on a handle where a recorded extension is
 *     not attached (HYP_ENEEDINDEX): a write through a library user that
 *     forgot to attach it would leave the derived data stale;
 *   - calls the attached extension's on_commit inside the batch's
 *     transaction, after the content changes and before the state hash, with
 *     every point id the batch inserted, replaced or deleted.  on_commit may
 *     return MDB_MAP_FULL: the batch then grows the map, re-applies its
 *     operations in a new transaction and calls on_commit again, so
 *     on_commit must keep no state across calls.
 * It also hands out what a reader needs to lay pointers into the map: read
 * transactions that can be reset and renewed under the remap lock, and a map
 * epoch that changes whenever the map may have moved.
 */
#ifndef HYP_STORE_EXT_H
#define HYP_STORE_EXT_H

#include <lmdb.h>
#include <stdint.h>

#include "hyp_store.h"

#define STORE_EXT_NAME_MAX 31

typedef struct store_ext {
    const char *name; /* 1..STORE_EXT_NAME_MAX bytes */
    int (*on_commit)(void *ctx, MDB_txn *txn, const uint64_t *ids, size_t n);
    void (*on_close)(void *ctx); /* frees ctx when the handle owns it */
} store_ext;

/* Attaches ext to the handle (replacing any); NULL detaches.  Not while a
 * batch is open.  owned: hyp_store_close calls ext->on_close(ctx). */
void store_ext_attach(hyp_store *s, const store_ext *ext, void *ctx, int owned);

/* Detaches the extension attached with ctx, if it still is. */
void store_ext_detach(hyp_store *s, void *ctx);

/* The extension name recorded in the store ("" if none); valid while s is. */
const char *store_ext_recorded(const hyp_store *s);

/* Runs fn(ctx, txn) in a write transaction of its own and commits it (not
 * logged: the content does not change).  fn may return MDB_MAP_FULL; the map
 * is then grown and fn called again in a new transaction.  record: the name
 * to record as the store's extension, "" to remove the record, NULL to leave
 * it.  Takes the handle's batch slot (HYP_EBUSY if a batch is open).
 * Returns fn's code, HYP_EREADONLY, HYP_EBUSY or an LMDB-mapped code. */
int store_ext_write(hyp_store *s, int (*fn)(void *ctx, MDB_txn *txn), void *ctx,
                    const char *record);

/* Opens (create: creates) a named database for the extension inside txn. */
int store_ext_dbi(hyp_store *s, MDB_txn *txn, const char *name, int create, MDB_dbi *dbi);

/* Read transactions.  begin holds the remap lock shared until reset/end;
 * renew takes it again.  A renewed transaction sees the latest commit.
 * renew may replace *txn (after the map was grown by another process). */
int store_ext_read_begin(hyp_store *s, MDB_txn **txn);
void store_ext_read_reset(hyp_store *s, MDB_txn *txn);
int store_ext_read_renew(hyp_store *s, MDB_txn **txn);
/* Commits a read transaction (so that databases it opened stay open). */
int store_ext_read_commit(hyp_store *s, MDB_txn *txn);
/* Ends a read transaction; live: not reset (it holds the remap lock). */
void store_ext_read_end(hyp_store *s, MDB_txn *txn, int live);

/* The txn behind a hyp_read, and a read's point as stored (width f64 LE). */
MDB_txn *store_ext_read_txn(hyp_read *r);
int store_ext_point(hyp_store *s, MDB_txn *txn, uint64_t id, const unsigned char **bytes);
/* Label of id (zero-copy) or HYP_ENOTFOUND; id of a label. */
int store_ext_label(hyp_store *s, MDB_txn *txn, uint64_t id, const char **label, size_t *len);
int store_ext_find(hyp_store *s, MDB_txn *txn, const char *label, size_t len, uint64_t *id);
/* The store's last committed sequence number as seen by txn. */
int store_ext_last_seq(hyp_store *s, MDB_txn *txn, uint64_t *seq);
/* Walks the points db in id order: fn(ctx, id, bytes); non-zero stops. */
int store_ext_foreach_point(hyp_store *s, MDB_txn *txn,
                            int (*fn)(void *ctx, uint64_t id, const unsigned char *bytes),
                            void *ctx);

/* Changes whenever this handle's map may have moved (grown or adopted a size
 * grown elsewhere).  Read it with a transaction open. */
uint64_t store_ext_map_epoch(const hyp_store *s);

/* Model, dimension and width of the store. */
hyp_model store_ext_model(const hyp_store *s);
size_t store_ext_dim(const hyp_store *s);
size_t store_ext_width(const hyp_store *s);

/* Records a detail message on the handle (hyp_store_errmsg); returns err. */
int store_ext_fail(hyp_store *s, int err, const char *msg);
/* Maps an LMDB status (and records LMDB's text). */
int store_ext_lmdb(hyp_store *s, int rc, const char *what);

#endif
