/*
 * hyp_store.h — a store of hyperbolic embeddings in one LMDB environment.
 *
 * A store holds labelled points of one model (hyp_geom.h) and dimension, a
 * hierarchy of edges between them (a DAG: many parents allowed), and a change
 * log.  It is a directory holding LMDB's data.mdb and lock.mdb, or, when
 * created with HYP_STORE_SINGLE_FILE, one file PATH plus PATH-lock.
 *
 * Content and its canonical form
 *   - metadata: format version, model, dimension n, representation,
 *     curvature (default -1), log mode;
 *   - points: each has a dense id (uint64, assigned in insertion order,
 *     never reused) and a label (1..HYP_LABEL_MAX bytes of UTF-8 without
 *     control characters; labels and ids are a bijection);
 *   - edges child -> parent between points (no cycles, no self-loops);
 *   - the change log: one entry per committed batch (sequence number, what it
 *     did, the state hash after it; with HYP_LOG_FULL the operations too).
 *   On disk every value is little-endian and every id key big-endian, so the
 *   bytes are the same on every platform and ids sort numerically.
 *
 * The state hash (hyp_store_hash) is BLAKE2b-256 (libsodium) over a
 * canonical form of the content: the metadata and a two-level tree of
 * BLAKE2b digests over each point's record (its label, its coordinates and
 * its parents' labels), the spec in store/hash.c.  Ids are not part of it,
 * since they record insertion order: the same labelled points and edges give
 * the same hash whatever history produced them.  A commit updates only the
 * parts of the tree its batch touched.
 *
 * Transactions.  One writer and any number of readers, in this process or
 * others; readers never block and see a consistent snapshot (LMDB MVCC).
 * Writes go through a batch: one LMDB write transaction, committed whole or
 * not at all, so a crash loses nothing committed and keeps nothing
 * uncommitted.  The map (LMDB's address-space reservation) grows by itself
 * when full.  Durability is LMDB's default: each commit is synced.
 *
 * Threads.  A hyp_store handle may be shared by threads.  Each hyp_read and
 * hyp_batch belongs to one thread at a time (they may move between threads);
 * one batch per handle at a time.  When a batch must grow the map, it waits
 * until this process has no read open on the handle (LMDB cannot remap under
 * a live transaction), so keep reads short while writing in the same process.
 * A flush of many new points (at a commit, or before an operation that is
 * not an insert; 4096 or more) hashes and sorts them partly on a helper
 * thread that it starts and joins itself; LMDB is only called from the
 * batch's thread, and nothing written depends on the helper's timing.
 * Open a store once per process and share the handle: LMDB forbids opening
 * one environment twice in a process (its locks are per process, and
 * closing one handle would release the other's), so a second hyp_store_open
 * of the same path in one process is not supported.
 *
 * Errors.  Functions return 0 (HYP_OK), a code of hyp_error.h, or an errno
 * value; hyp_store_errmsg() gives a detail message for the handle's last
 * failure (LMDB's text for HYP_ELMDB, the version found for HYP_EVERSION).
 */
#ifndef HYP_STORE_H
#define HYP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "hyp_error.h"
#include "hyp_geom.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The on-disk format this library writes.  Stores with another version are
 * refused with HYP_EVERSION, never misread. */
#define HYP_STORE_FORMAT_VERSION 2

/* Longest label in bytes: LMDB's key size limit (511 in Debian's build). */
#define HYP_LABEL_MAX 511

/* Bytes of a state hash (BLAKE2b-256). */
#define HYP_HASH_SIZE 32

/* How coordinates are stored.  The fixed formats are those of hyp_fixed.h
 * (the values are equal, so a fixed repr casts to hyp_fixed_format), for the
 * Poincaré and Lorentz models; a Euclid store is f64 only (store/repr.c says
 * why).  A fixed store keeps points exactly as given in its words: a point
 * given in binary64 is rounded once (hyp_fixed_from_double, ties to even;
 * HYP_EFIXED_RANGE when it does not fit), and hyp_batch_put_raw takes the
 * words themselves, e.g. a Poincaré point at radius 80 that no binary64
 * Poincaré point can be. */
typedef enum hyp_repr {
    HYP_REPR_F64 = 1,  /* IEEE binary64, 8 bytes little-endian per coordinate */
    HYP_REPR_Q32 = 2,  /* 32-bit fixed point words (hyp_fixed.h) */
    HYP_REPR_Q64 = 3,  /* 64-bit */
    HYP_REPR_Q128 = 4  /* 128-bit */
} hyp_repr;

/* "f64", "q32", "q64", "q128"; NULL for an unknown value. */
HYP_EXPORT const char *hyp_repr_name(hyp_repr repr);
/* Parses a name as hyp_repr_name writes it.  Returns HYP_OK or HYP_EREPR. */
HYP_EXPORT int hyp_repr_parse(const char *name, hyp_repr *repr);

typedef enum hyp_log_mode {
    HYP_LOG_HASHES = 0, /* each log entry: sequence, counts, state hash */
    HYP_LOG_FULL = 1    /* ... and the batch's operations, for hyp_store_replay */
} hyp_log_mode;

/* Open flags. */
#define HYP_STORE_RDONLY 0x1u      /* read-only: batches fail with HYP_EREADONLY */
#define HYP_STORE_SINGLE_FILE 0x2u /* create: one file instead of a directory
                                      (open detects the form by itself) */

typedef struct hyp_store_config {
    hyp_model model;       /* required */
    size_t dim;            /* n of H^n, 1..HYP_DIM_MAX */
    hyp_repr repr;         /* 0 means HYP_REPR_F64 */
    double curvature;      /* 0 means -1; otherwise finite and negative */
    hyp_log_mode log_mode; /* HYP_LOG_HASHES or HYP_LOG_FULL */
    size_t map_size;       /* initial map size in bytes; 0: 64 MiB.  It grows
                              by doubling when full, so small is only slower */
    unsigned flags;        /* HYP_STORE_SINGLE_FILE or 0 */
} hyp_store_config;

typedef struct hyp_store hyp_store;

/*
 * hyp_store_create — creates a new, empty store at path and opens it
 * read-write.  A directory path is created if missing and must not hold a
 * store already.
 *   [in] path, cfg; [out] *out (set even on failure, except EINVAL/ENOMEM:
 *   pass it to hyp_store_close either way; it may be NULL).
 * Returns HYP_OK, HYP_EMODEL, HYP_EDIM, HYP_EREPR, HYP_ECURVATURE,
 * HYP_EEXISTS (a store is there), HYP_ELMDB, or an errno value (EACCES...).
 */
HYP_EXPORT int hyp_store_create(const char *path, const hyp_store_config *cfg,
                                hyp_store **out);

/*
 * hyp_store_open — opens an existing store; flags: HYP_STORE_RDONLY or 0.
 * Clears reader slots left by dead processes (mdb_reader_check).
 *   [out] *out, to be closed with hyp_store_close even on failure.
 * Returns HYP_OK, ENOENT (nothing at path), HYP_ENOTSTORE, HYP_EVERSION
 * (errmsg names the version found), HYP_EREPR, HYP_ECORRUPT, HYP_ELMDB, errno.
 */
HYP_EXPORT int hyp_store_open(const char *path, unsigned flags, hyp_store **out);

/*
 * hyp_store_reserve — grows the map (doubling, as a full map does) until
 * `bytes` more fit after the pages in use.  A batch that fills the map is
 * re-applied from its start in a larger one, so a bulk load that knows its
 * size reserves it first and writes once.  Nothing changes on disk but the
 * map's reservation; a read-only handle or a map already large enough is a
 * no-op.  Not while this handle has a batch open (HYP_EBUSY).
 * Returns HYP_OK, HYP_EBUSY, HYP_ELMDB.
 */
HYP_EXPORT int hyp_store_reserve(hyp_store *s, uint64_t bytes);

/* Closes the store; NULL is a no-op.  Every hyp_read and hyp_batch of it must
 * have ended first. */
HYP_EXPORT void hyp_store_close(hyp_store *s);

/* The detail message of the handle's last failure ("" if none); never NULL.
 * Valid until the next call on the handle.  NULL handle: "out of memory". */
HYP_EXPORT const char *hyp_store_errmsg(const hyp_store *s);

/* Summary of a store, as of a consistent snapshot. */
typedef struct hyp_store_info {
    unsigned format_version;
    hyp_model model;
    size_t dim;
    size_t width;                 /* coordinates per point: hyp_model_width(model, dim) */
    hyp_repr repr;
    size_t point_bytes;           /* bytes of one stored point (hyp_read_point) */
    double curvature;
    hyp_log_mode log_mode;
    uint64_t count;               /* points */
    uint64_t edges;               /* child -> parent edges */
    uint64_t next_id;             /* the id the next new point gets */
    uint64_t last_seq;            /* sequence number of the last committed batch; 0: none */
    unsigned char hash[HYP_HASH_SIZE]; /* state hash after last_seq (the empty
                                          store's hash when last_seq = 0) */
    uint64_t map_size;            /* current map size in bytes */
    uint64_t used_bytes;          /* pages in use times page size */
    uint64_t file_bytes;          /* size of the data file on disk */
} hyp_store_info;

/* Fills *info.  Returns HYP_OK or HYP_ELMDB / errno. */
HYP_EXPORT int hyp_store_get_info(hyp_store *s, hyp_store_info *info);

/* ---- label rules ---- */

/* Is label[0..len) a valid label?  Returns HYP_OK, HYP_ELABEL_LEN or
 * HYP_ELABEL_UTF8 (invalid UTF-8: overlong forms, surrogates and code
 * points above U+10FFFF are refused; so are the ASCII control characters
 * U+0000..U+001F and U+007F, TAB and newline included, so that every label
 * is a C string and fits on one line of any text format). */
HYP_EXPORT int hyp_label_check(const char *label, size_t len);

/* ---- reading ---- */

typedef struct hyp_read hyp_read;

/* Starts a read: a consistent snapshot until hyp_read_end.  Pointers it
 * returns point into the map and are valid until hyp_read_end.
 * Returns HYP_OK, ENOMEM, HYP_ELMDB. */
HYP_EXPORT int hyp_read_begin(hyp_store *s, hyp_read **out);
/* Ends the read; NULL is a no-op. */
HYP_EXPORT void hyp_read_end(hyp_read *r);

/* The id of a label.  Returns HYP_OK, HYP_ENOTFOUND, HYP_ELABEL_*. */
HYP_EXPORT int hyp_read_find(hyp_read *r, const char *label, size_t len, uint64_t *id);

/*
 * hyp_read_point — zero-copy access to a stored point.
 *   [out] *bytes: point_bytes bytes (hyp_store_info) in the map itself:
 *   valid until hyp_read_end, read-only, and NOT aligned (LMDB aligns values
 *   to 2 bytes).  An f64 store: width little-endian binary64, decode with
 *   hyp_f64_decode; a fixed store: the canonical words, decode with
 *   hyp_fixed_decode.  Returns HYP_OK or HYP_ENOTFOUND.
 */
HYP_EXPORT int hyp_read_point(hyp_read *r, uint64_t id, const unsigned char **bytes);

/* Copies a stored point into x (width doubles).  HYP_OK or HYP_ENOTFOUND;
 * for a fixed store, hyp_fixed_to_double's rounding and codes: HYP_ERANGE
 * for a point with no binary64 image (Poincaré beyond radius ~37.4); ENOMEM. */
HYP_EXPORT int hyp_read_point_f64(hyp_read *r, uint64_t id, double *x);

/* Decodes count little-endian binary64 values (any alignment) into out. */
HYP_EXPORT void hyp_f64_decode(const unsigned char *bytes, size_t count, double *out);

/* The label of an id, zero-copy: [out] *label (NOT NUL-terminated), *len;
 * valid until hyp_read_end.  HYP_OK or HYP_ENOTFOUND. */
HYP_EXPORT int hyp_read_label(hyp_read *r, uint64_t id, const char **label, size_t *len);

/* Parents (or children) of id, ascending ids.  Writes up to cap ids and sets
 * *count to the total number (which may exceed cap).  HYP_OK (also for an id
 * with none) or HYP_ELMDB. */
HYP_EXPORT int hyp_read_parents(hyp_read *r, uint64_t id, uint64_t *ids, size_t cap,
                                size_t *count);
HYP_EXPORT int hyp_read_children(hyp_read *r, uint64_t id, uint64_t *ids, size_t cap,
                                 size_t *count);

/* Calls fn for every point in id order, with zero-copy label and
 * coordinates (as hyp_read_point).  A non-zero return from fn stops the walk
 * and is returned. */
typedef int (*hyp_point_fn)(void *ctx, uint64_t id, const char *label, size_t len,
                            const unsigned char *bytes);
HYP_EXPORT int hyp_read_foreach(hyp_read *r, hyp_point_fn fn, void *ctx);

/* Calls fn for every edge (child id, parent id) in child then parent order. */
typedef int (*hyp_edge_fn)(void *ctx, uint64_t child, uint64_t parent);
HYP_EXPORT int hyp_read_foreach_edge(hyp_read *r, hyp_edge_fn fn, void *ctx);

/* ---- writing ---- */

typedef struct hyp_batch hyp_batch;

/* Starts a batch (one write transaction; waits for another process's
 * writer).  [out] *out.  Returns HYP_OK, HYP_EREADONLY, HYP_EBUSY, ENOMEM,
 * HYP_ELMDB. */
HYP_EXPORT int hyp_batch_begin(hyp_store *s, hyp_batch **out);

/* Put flags. */
#define HYP_PUT_UPSERT 0x1u /* replace the point of an existing label (id kept) */

/*
 * hyp_batch_put — inserts a point under a label (or replaces it, with
 * HYP_PUT_UPSERT).  x holds width doubles in the store's model; an f64 store
 * keeps the bits as given, a fixed store rounds them once into its format.
 *   [out] id (may be NULL): the point's id.
 * Returns HYP_OK; HYP_ELABEL_LEN, HYP_ELABEL_UTF8; any hyp_point_check code;
 * HYP_EFIXED_RANGE (a fixed store: the point does not fit its format);
 * HYP_EEXISTS (label present, no upsert); HYP_ELMDB; HYP_ECONFLICT.
 * A failed operation changes nothing and the batch stays usable.
 */
HYP_EXPORT int hyp_batch_put(hyp_batch *b, const char *label, size_t len, const double *x,
                             unsigned flags, uint64_t *id);

/* hyp_batch_put with the point as stored: point_bytes bytes in the store's
 * encoding (see hyp_read_point), any alignment, kept bit for bit.  Returns
 * hyp_batch_put's codes, with hyp_fixed_check's (via hyp_fixed_decode) for
 * a fixed store. */
HYP_EXPORT int hyp_batch_put_raw(hyp_batch *b, const char *label, size_t len,
                                 const unsigned char *bytes, unsigned flags, uint64_t *id);

/* Deletes a point and every edge that touches it.  Returns HYP_OK,
 * HYP_ENOTFOUND, HYP_ELABEL_*, HYP_ELMDB. */
HYP_EXPORT int hyp_batch_delete(hyp_batch *b, const char *label, size_t len);
HYP_EXPORT int hyp_batch_delete_id(hyp_batch *b, uint64_t id);

/* Adds the edge child -> parent (adding an existing edge changes nothing).
 * Returns HYP_OK, HYP_ENOTFOUND (a label has no point), HYP_ECYCLE (parent
 * is child or one of its descendants), HYP_ELABEL_*, HYP_ELMDB. */
HYP_EXPORT int hyp_batch_edge_add(hyp_batch *b, const char *child, size_t child_len,
                                  const char *parent, size_t parent_len);
/* Removes an edge.  HYP_OK, HYP_ENOTFOUND, HYP_ELABEL_*, HYP_ELMDB. */
HYP_EXPORT int hyp_batch_edge_delete(hyp_batch *b, const char *child, size_t child_len,
                                     const char *parent, size_t parent_len);

/* Operations applied so far in this batch (failed ones not counted). */
HYP_EXPORT uint64_t hyp_batch_size(const hyp_batch *b);

/* A short note stored in the batch's log entry (e.g. "import pts.tsv"),
 * truncated to 255 bytes.  Returns HYP_OK or ENOMEM. */
HYP_EXPORT int hyp_batch_note(hyp_batch *b, const char *note);

/*
 * hyp_batch_commit — computes the state hash, appends the log entry and
 * commits, all in the one transaction; frees b whatever happens.  A batch
 * with no operation commits nothing and logs nothing.
 *   [out] seq (may be NULL): the batch's sequence number (the last one for an
 *   empty batch); [out] hash (may be NULL): HYP_HASH_SIZE bytes.
 * Returns HYP_OK, HYP_ELMDB, HYP_ECONFLICT, ENOSPC/EIO (nothing committed).
 */
HYP_EXPORT int hyp_batch_commit(hyp_batch *b, uint64_t *seq, unsigned char *hash);

/* Discards the batch; NULL is a no-op. */
HYP_EXPORT void hyp_batch_abort(hyp_batch *b);

/* ---- integrity ---- */

/* The state hash of the current content, recomputed from the content alone
 * without the digests commits keep (O(size of the store)).
 * [out] hash, HYP_HASH_SIZE bytes.  HYP_OK, HYP_ECORRUPT or HYP_ELMDB. */
HYP_EXPORT int hyp_store_hash(hyp_store *s, unsigned char *hash);

/* Writes the hash as 64 lowercase hex digits and a NUL (65 bytes). */
HYP_EXPORT void hyp_hash_hex(const unsigned char *hash, char *hex);

/* One change-log entry. */
typedef struct hyp_log_entry {
    uint64_t seq;
    uint64_t inserted, updated, deleted;   /* points */
    uint64_t edges_added, edges_deleted;   /* edges deleted with their points included */
    uint64_t count;                        /* points after the batch */
    unsigned char hash[HYP_HASH_SIZE];     /* state hash after the batch */
    const char *note;                      /* NUL-terminated, "" if none */
    uint64_t ops;                          /* operations the batch applied */
    int ops_kept;                          /* 1: they are in the log (HYP_LOG_FULL) */
} hyp_log_entry;

/* Calls fn for each log entry with seq in [from, to] (to = 0: to the end), in
 * order.  The entry is valid during the call only. */
typedef int (*hyp_log_fn)(void *ctx, const hyp_log_entry *e);
HYP_EXPORT int hyp_store_log(hyp_store *s, uint64_t from, uint64_t to, hyp_log_fn fn,
                             void *ctx);

/*
 * hyp_store_verify — checks every invariant: metadata sane; every point of
 * the right size and valid for the model; labels valid and a bijection with
 * ids, ids below next_id; every edge between existing points, mirrored in
 * both directions, no cycle; the log numbered 1..last_seq with decodable
 * entries, its last hash equal to the stored one and to the recomputed state
 * hash; every digest of the hash's tree equal to one recomputed from the
 * content.  report (may be NULL) gets one line per problem, at most max_reports
 * (0: no limit).  [out] problems (may be NULL).
 * Returns HYP_OK when the store is sound, HYP_ECORRUPT when a problem was
 * found, or another code when the check itself failed.
 */
HYP_EXPORT int hyp_store_verify(hyp_store *s, void (*report)(void *ctx, const char *msg),
                                void *ctx, size_t max_reports, uint64_t *problems);

/*
 * hyp_store_snapshot — a compacting hot copy (mdb_env_copy2 with
 * MDB_CP_COMPACT) of the store as of one read snapshot, while readers and a
 * writer go on.  dest: for a directory store, a directory that is created
 * if missing and must hold no data.mdb; for a single-file store, a file that
 * must not exist.  The copy has the same content, log and state hash.
 * Returns HYP_OK, HYP_EEXISTS, HYP_ELMDB or errno.
 */
HYP_EXPORT int hyp_store_snapshot(hyp_store *s, const char *dest);

/*
 * hyp_store_replay — rebuilds, in a new store at dest, the state of s after
 * log entry to_seq (0: the last), re-applying each logged batch and checking
 * that its state hash equals the logged one.  s must have HYP_LOG_FULL.
 * [out] hash (may be NULL): the state hash reached.
 * Returns HYP_OK, HYP_ENOLOG, HYP_ENOTFOUND (to_seq past the log),
 * HYP_ECORRUPT (a hash differs: errmsg says where), or a create/batch code.
 */
HYP_EXPORT int hyp_store_replay(hyp_store *s, const char *dest, uint64_t to_seq,
                                unsigned char *hash);

#ifdef __cplusplus
}
#endif
#endif
