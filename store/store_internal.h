/*
 * store_internal.h — what the store's source files share: the handle, the
 * batch, the schema (named databases and metadata keys), the canonical
 * encodings and the error mapping.  Nothing here is public.
 *
 * Schema (format version 2).  Named databases of one LMDB environment:
 *   meta      ASCII key -> little-endian value (see META_* below)
 *   points    id (u64 BE)  -> the point: width * f64 LE, or a fixed format's
 *                              canonical words (hyp_fixed_encode)
 *   label2id  label bytes  -> id (u64 BE)
 *   id2label  id (u64 BE)  -> label bytes
 *   parents   child id (BE) -> parent id (BE)   DUPSORT|DUPFIXED
 *   children  parent id (BE) -> child id (BE)   DUPSORT|DUPFIXED
 *   log       seq (u64 BE) -> log record (log.c)
 *   records   record digest (32 bytes) -> empty      (hash.c)
 *   buckets   bucket (u16 BE) -> bucket digest (32)  (hash.c; absent: empty)
 *   groups    group (u8) -> group digest (32)        (hash.c; absent: empty)
 * Version 2 added the last three, which make the state hash incremental.
 * Big-endian keys make LMDB's memcmp order the numeric order, so ids append
 * at the end of the tree (MDB_APPEND) and iterate in id order.
 */
#ifndef HYP_STORE_INTERNAL_H
#define HYP_STORE_INTERNAL_H

#include <errno.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "hyp_store.h"

#define STORE_MAGIC "hyperstore"
#define STORE_DEFAULT_MAP (64u << 20)
#define STORE_MAX_DBS 16

/* The state hash's tree (hash.c): a record's bucket is the first two bytes
 * of its digest, a bucket's group the first byte. */
#define HASH_BUCKETS 65536
#define HASH_GROUPS 256

/* Metadata keys. */
#define META_MAGIC "magic"           /* "hyperstore" */
#define META_VERSION "format_version" /* u32 */
#define META_MODEL "model"           /* u32 hyp_model */
#define META_DIM "dim"               /* u32 */
#define META_REPR "repr"             /* u32 hyp_repr */
#define META_REPR_BITS "repr_bits"   /* u32: fraction bits of a fixed format, 0 for f64 */
#define META_CURVATURE "curvature"   /* f64 */
#define META_LOG_MODE "log_mode"     /* u32 */
#define META_NEXT_ID "next_id"       /* u64 */
#define META_LAST_SEQ "last_seq"     /* u64 */
#define META_LAST_HASH "last_hash"   /* 32 bytes */
#define META_EXT "ext"               /* name of the extension whose data the store
                                        holds (store_ext.h); absent: none */

enum store_db {
    DB_META,
    DB_POINTS,
    DB_LABEL2ID,
    DB_ID2LABEL,
    DB_PARENTS,
    DB_CHILDREN,
    DB_LOG,
    DB_RECORDS,
    DB_BUCKETS,
    DB_GROUPS,
    DB_COUNT
};

struct hyp_store {
    MDB_env *env;
    MDB_dbi dbi[DB_COUNT];
    unsigned flags;          /* HYP_STORE_RDONLY, HYP_STORE_SINGLE_FILE */
    /* Metadata, fixed at creation and read once at open. */
    hyp_model model;
    size_t dim;
    size_t width;            /* coordinates per point (hyp_model_width) */
    size_t point_bytes;      /* bytes of one stored point (point_size) */
    hyp_repr repr;
    double curvature;
    hyp_log_mode log_mode;
    /* Every transaction of this handle holds remap_lock shared; changing the
     * map size (ours, or adopting another process's) takes it exclusive,
     * because LMDB may not remap under a live transaction. */
    pthread_rwlock_t remap_lock;
    pthread_mutex_t batch_lock; /* one batch at a time */
    int batch_open;
    uint64_t map_epoch;      /* bumped under remap_lock (exclusive) at every map change */
    /* Extensions (store_ext.h): the name recorded in the metadata ("" none),
     * and the one attached to this handle (NULL none). */
    char ext_recorded[32];
    const struct store_ext *ext;
    void *ext_ctx;
    int ext_owned;           /* hyp_store_close calls ext->on_close(ext_ctx) */
    char errmsg[256];
};

struct hyp_read {
    hyp_store *s;
    MDB_txn *txn;
};

/* Operation codes of the encoded op stream (batch replay, full log). */
enum op_type {
    OP_PUT = 1,
    OP_UPSERT = 2,
    OP_DELETE = 3,
    OP_EDGE_ADD = 4,
    OP_EDGE_DELETE = 5
};

/* The op stream: a list of chunks that never move once allocated, so a
 * record's address stays valid until the stream is freed (pending.c keeps
 * pointers to the records of new points instead of copies).  A record never
 * straddles two chunks. */
typedef struct op_chunk {
    struct op_chunk *next;
    size_t len, cap;         /* bytes used, bytes of data[] */
    unsigned char data[];
} op_chunk;

typedef struct op_stream {
    op_chunk *head, *tail;   /* NULL, NULL when empty */
    size_t len;              /* bytes in all chunks */
} op_stream;

typedef struct batch_counts {
    uint64_t inserted, updated, deleted, edges_added, edges_deleted;
} batch_counts;

struct hyp_batch {
    hyp_store *s;
    MDB_txn *txn;
    uint64_t next_id;   /* as of this transaction */
    batch_counts counts;
    uint64_t nops;
    int failed;         /* non-zero: the transaction is spoilt, every call returns this */
    unsigned char *coords; /* scratch: one encoded point */
    void *words;           /* scratch: repr_scratch_bytes (repr.c) */
    op_stream ops;      /* every applied operation, encoded (see op.c) */
    char note[256];
    /* scratch for the cycle check (edges.c) */
    uint64_t *stack;
    size_t stack_cap;
    uint64_t *seen;     /* open-addressing set, 0 = empty slot (ids + 1 stored) */
    size_t seen_cap;
    /* ids inserted, replaced or deleted in this transaction (repeats
     * possible), for the extension's on_commit; reset with the txn */
    uint64_t *touched;
    size_t ntouched, touched_cap;
    /* New labels not yet in label2id/records (pending.c); reset with the txn */
    struct pending *pend;
    /* Buckets whose records changed in this txn, one bit each (hash.c) */
    unsigned char dirty[HASH_BUCKETS / 8];
    int any_dirty;
    /* Cursors of points and id2label for new ids' appends (points.c),
     * opened at the first; LMDB closes them with the txn, so txn_start
     * forgets them.  A cursor left at the tree's end appends without
     * searching from the root each time as mdb_put does. */
    MDB_cursor *append[2];
};

/* Records id as touched by the batch (points.c).  Returns 0 or ENOMEM. */
int batch_touch(hyp_batch *b, uint64_t id);

/* ---- encodings (codec.c) ---- */
static inline void put_be64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}
static inline uint64_t get_be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}
static inline void put_le64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        p[i] = (unsigned char)v;
}
static inline uint64_t get_le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}
static inline void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++, v >>= 8)
        p[i] = (unsigned char)v;
}
static inline uint32_t get_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}
static inline void put_le16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}
static inline unsigned get_le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}
void f64_encode(const double *x, size_t count, unsigned char *out);

/* ---- representations (repr.c) ---- */
/* Can a store of this model keep points in repr? */
int repr_supported(hyp_repr repr, hyp_model model);
/* Fraction bits of a fixed format's coordinates (metadata "repr_bits"); 0 for f64. */
unsigned repr_fraction_bits(hyp_repr repr, hyp_model model);
size_t repr_point_bytes(hyp_repr repr, hyp_model model, size_t dim);
/* Bytes of the scratch (malloc'd, so aligned for every word type) that the
 * functions below take: room for width doubles or one point's words. */
size_t repr_scratch_bytes(const hyp_store *s);
/* Is a stored point valid?  HYP_OK or the hyp_point_check / hyp_fixed_check code. */
int repr_check(const hyp_store *s, const unsigned char *bytes, void *scratch);
/* width doubles to the stored bytes (checked; a fixed store rounds with
 * hyp_fixed_from_double), and back (hyp_fixed_to_double: may be HYP_ERANGE). */
int repr_from_f64(const hyp_store *s, const double *x, unsigned char *out, void *scratch);
int repr_to_f64(const hyp_store *s, const unsigned char *bytes, double *x, void *scratch);

/* ---- errors (env.c) ---- */
/* Maps an LMDB status to the library's error space and records its text. */
int store_lmdb_error(hyp_store *s, int rc, const char *what);
/* Records a formatted detail message; returns err. */
int store_fail(hyp_store *s, int err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ---- transactions (env.c) ---- */
/* Begins a txn under the remap lock (shared), adopting a map grown by another
 * process.  store_txn_end aborts (or commits with store_txn_commit). */
int store_txn_begin(hyp_store *s, unsigned flags, MDB_txn **txn);
void store_txn_abort(hyp_store *s, MDB_txn *txn);
int store_txn_commit(hyp_store *s, MDB_txn *txn);
/* Doubles the map size.  No transaction of this handle may be open. */
int store_grow_map(hyp_store *s);

/* ---- metadata (meta.c) ---- */
int meta_get_u64(hyp_store *s, MDB_txn *txn, const char *key, uint64_t *v);
int meta_put_u64(hyp_store *s, MDB_txn *txn, const char *key, uint64_t v);
int meta_put_u32(hyp_store *s, MDB_txn *txn, const char *key, uint32_t v);
int meta_put_bytes(hyp_store *s, MDB_txn *txn, const char *key, const void *v, size_t len);
int meta_get_bytes(hyp_store *s, MDB_txn *txn, const char *key, MDB_val *v);
/* Writes the metadata of a new store. */
int meta_init(hyp_store *s, MDB_txn *txn);
/* Reads and checks the metadata into s (model, dim, ...). */
int meta_load(hyp_store *s, MDB_txn *txn);

/* ---- operations on a write txn (points.c, edges.c) ---- */
int op_put(hyp_batch *b, const char *label, size_t len, const unsigned char *coords,
           int upsert, uint64_t *id);
int op_delete(hyp_batch *b, const char *label, size_t len);
int op_edge_add(hyp_batch *b, const char *child, size_t clen, const char *parent,
                size_t plen);
int op_edge_delete(hyp_batch *b, const char *child, size_t clen, const char *parent,
                   size_t plen);
/* Looks a label up in txn: HYP_OK, HYP_ENOTFOUND or an LMDB-mapped code. */
int store_find(hyp_store *s, MDB_txn *txn, const char *label, size_t len, uint64_t *id);

/* ---- op stream (op.c) ---- */
/* Applies every encoded op of [p, p+len) to b; used to replay a batch into a
 * grown map and by hyp_store_replay.  Returns the first failure. */
int ops_apply(hyp_batch *b, const unsigned char *p, size_t len, uint64_t *applied);
/* Checks that [p, p+len) is a well-formed op stream; counts its ops.
 * Returns 0 or -1. */
int ops_check(const unsigned char *p, size_t len, size_t point_bytes, uint64_t *count);
/* Encodes one op into b->ops. */
int ops_record(hyp_batch *b, enum op_type type, const char *l1, size_t n1, const char *l2,
               size_t n2, const unsigned char *coords);
/* Where ops_record will write the next PUT/UPSERT record of a label of n1
 * bytes: room for it is made at the stream's tail now, so the address is
 * final (NULL: no memory).  op_put's new points are pending under it. */
unsigned char *ops_next_put(hyp_batch *b, size_t n1);
/* Frees every chunk; the stream is empty after. */
void ops_free(op_stream *o);

/* ---- state hash (hash.c) ---- */
/* The digest of one record from its parts; parents sorted bytewise. */
void record_digest(const char *label, size_t len, const unsigned char *coords, size_t point_bytes,
                   const MDB_val *parents, size_t nparents, unsigned char *out);
/* The state hash from the stored group digests (cheap).  Commit first
 * brings them up to date with hash_update. */
int state_hash_stored(hyp_store *s, MDB_txn *txn, unsigned char *hash);
/* Recomputes every record, bucket and group digest from the content,
 * ignoring the stored ones, and the state hash from them: O(store).  With
 * report non-NULL, each stored digest that differs is reported (verify);
 * the return code stays HYP_OK for those, the hash being the content's. */
int state_hash_full(hyp_store *s, MDB_txn *txn, unsigned char *hash,
                    void (*report)(void *ctx, const char *msg), void *ctx);
/* Sorts n 32-byte digests ascending.  Returns 0 or -1 (no memory). */
int digests_sort(unsigned char *d, size_t n);
/* Brings bucket and group digests of the buckets marked dirty up to date. */
int hash_update(hyp_batch *b);
/* Removes id's current record digest from records (before its record
 * changes), or adds its digest as it now is (after).  Mark the bucket dirty. */
int record_unhash(hyp_batch *b, uint64_t id);
int record_rehash(hyp_batch *b, uint64_t id);
static inline void bucket_mark(hyp_batch *b, const unsigned char *digest)
{
    b->dirty[digest[0] * 32 + digest[1] / 8] |= (unsigned char)(1u << (digest[1] & 7));
    b->any_dirty = 1;
}

/* ---- pending inserts (pending.c) ---- */
/* A fresh label: HYP_OK (not in the batch's pending set), HYP_EEXISTS. */
int pending_find(hyp_batch *b, const char *label, size_t len, int *found);
/* Records a new point (id b->next_id) for a later flush.  rec is where its
 * PUT record will be in the op stream (ops_next_put): the flush reads the
 * label and the point from there, so op_put's caller must record the op
 * before the next flush. */
int pending_add(hyp_batch *b, const char *label, size_t len, const unsigned char *rec);
/* Writes every pending entry into label2id and records, sorted.  May return
 * MDB_MAP_FULL (the txn is then lost). */
int pending_flush(hyp_batch *b);
/* Empties the set (new txn) / frees it. */
void pending_reset(hyp_batch *b);
void pending_free(hyp_batch *b);

/* ---- log (log.c) ---- */
int log_append(hyp_batch *b, uint64_t seq, uint64_t count, const unsigned char *hash);
/* Decodes a log record; ops/ops_len point into v.  Returns 0 or -1. */
int log_decode(const MDB_val *v, hyp_log_entry *e, char *note, size_t note_size,
               const unsigned char **ops, size_t *ops_len);

/* ---- batches (batch.c) ---- */
/* Like hyp_batch_begin, without the read-only check (replay's target). */
int batch_begin(hyp_store *s, hyp_batch **out);

#endif
