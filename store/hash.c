/*
 * hash.c — the state hash: BLAKE2b-256 (libsodium's crypto_generichash) over
 * a canonical form of the content, kept up to date incrementally.
 *
 * Specification, version 2 (all integers little-endian, H = BLAKE2b-256):
 *
 *   record(label) = H( u32 length, label bytes,
 *                      the point as stored (f64 LE, or a fixed format's
 *                      canonical words: point_bytes bytes),
 *                      u32 number of parents, then for each parent label in
 *                      bytewise order (shorter first on a tie):
 *                        u32 length, label bytes )
 *   A record's bucket is the first two bytes of its digest read big-endian
 *   (65536 buckets), a bucket's group the first byte (256 groups of 256).
 *   bucket(k) = H( the digests of the records of bucket k, ascending,
 *                  concatenated ), or 32 zero bytes if it has none
 *   group(g)  = H( bucket(256 g), ..., bucket(256 g + 255) ), or 32 zero
 *               bytes if all 256 are empty
 *   state     = H( "hyperstore-state-v2" (19 bytes, no NUL),
 *                  u32 model, u32 dim, u32 repr, u32 repr_bits,
 *                  u64 curvature (binary64 bits), u64 number of points,
 *                  group(0), ..., group(255) )
 *
 * Why this shape.  Version 1 hashed every record in label order, so every
 * commit cost O(store).  Here a commit recomputes only what it touched: the
 * digest of each changed record, the buckets those digests leave or enter
 * (a range scan of the records database, about n / 65536 keys each), their
 * groups (256 stored digests each) and the state (256 stored digests).
 * Ordering a bucket by digest rather than by label keeps it a pure function
 * of the set of records, hence of the content: the same labelled points
 * and edges give the same hash whatever history produced them, and no label
 * order needs a key prefix (labels keep LMDB's full 511 bytes).  Digests
 * are fixed-size, so each concatenation parses one way only.  An all-zero
 * digest stands for "empty"; a real one equal to it would be a preimage of
 * zero under BLAKE2b.
 *
 * Ids are left out on purpose: they record insertion order.  Children are
 * left out because they mirror parents (verify checks that).  The log and
 * counters (next id, last sequence) are history, not content.
 *
 * Stored: records (digest -> empty), buckets (u16 BE -> digest, absent when
 * empty), groups (u8 -> digest, absent when empty).  state_hash_full
 * recomputes all of it from the content alone, for verify and `hash`.
 */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "store_internal.h"

#define HASH_DOMAIN "hyperstore-state-v2"
#define D HYP_HASH_SIZE

static const unsigned char zero_digest[D];

static int cmp_val(const void *a, const void *b)
{
    const MDB_val *x = a, *y = b;
    size_t n = x->mv_size < y->mv_size ? x->mv_size : y->mv_size;
    int c = memcmp(x->mv_data, y->mv_data, n);
    if (c != 0)
        return c;
    return (x->mv_size > y->mv_size) - (x->mv_size < y->mv_size);
}

void record_digest(const char *label, size_t len, const unsigned char *coords, size_t point_bytes,
                   const MDB_val *parents, size_t nparents, unsigned char *out)
{
    crypto_generichash_state h;
    unsigned char b[4];

    crypto_generichash_init(&h, NULL, 0, D);
    put_le32(b, (uint32_t)len);
    crypto_generichash_update(&h, b, 4);
    crypto_generichash_update(&h, (const unsigned char *)label, len);
    crypto_generichash_update(&h, coords, point_bytes);
    put_le32(b, (uint32_t)nparents);
    crypto_generichash_update(&h, b, 4);
    for (size_t i = 0; i < nparents; i++) {
        put_le32(b, (uint32_t)parents[i].mv_size);
        crypto_generichash_update(&h, b, 4);
        crypto_generichash_update(&h, parents[i].mv_data, parents[i].mv_size);
    }
    crypto_generichash_final(&h, out, D);
}

/* The parent labels of the id keyed by key (8 bytes BE), sorted, into
 * *labels (grown as needed).  Pointers into the map: valid in txn. */
static int parent_labels(hyp_store *s, MDB_txn *txn, MDB_cursor *pc, const void *key,
                         MDB_val **labels, size_t *cap, size_t *n)
{
    MDB_val k = { 8, (void *)key }, v;
    int rc = mdb_cursor_get(pc, &k, &v, MDB_SET_KEY);

    *n = 0;
    while (rc == MDB_SUCCESS) {
        MDB_val pk = { 8, v.mv_data }, lv;
        if (*n == *cap) {
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
        (*labels)[(*n)++] = lv;
        rc = mdb_cursor_get(pc, &k, &v, MDB_NEXT_DUP);
    }
    if (rc != MDB_NOTFOUND)
        return store_lmdb_error(s, rc, "hashing parents");
    if (*n > 1)
        qsort(*labels, *n, sizeof **labels, cmp_val);
    return HYP_OK;
}

/* The record digest of id as the txn holds it. */
static int record_of(hyp_store *s, MDB_txn *txn, uint64_t id, unsigned char *digest)
{
    unsigned char key[8];
    MDB_val k = { 8, key }, label, point, *parents = NULL;
    MDB_cursor *pc;
    size_t cap = 0, n = 0;
    int rc;

    put_be64(key, id);
    if ((rc = mdb_get(txn, s->dbi[DB_ID2LABEL], &k, &label)) != MDB_SUCCESS ||
        (rc = mdb_get(txn, s->dbi[DB_POINTS], &k, &point)) != MDB_SUCCESS)
        return rc == MDB_NOTFOUND ? store_fail(s, HYP_ECORRUPT, "id %llu has no label or point",
                                               (unsigned long long)id)
                                  : store_lmdb_error(s, rc, "hashing a record");
    if (point.mv_size != s->point_bytes)
        return store_fail(s, HYP_ECORRUPT, "point %llu has %zu bytes", (unsigned long long)id,
                          point.mv_size);
    if ((rc = mdb_cursor_open(txn, s->dbi[DB_PARENTS], &pc)) != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    rc = parent_labels(s, txn, pc, key, &parents, &cap, &n);
    mdb_cursor_close(pc);
    if (rc == HYP_OK)
        record_digest(label.mv_data, label.mv_size, point.mv_data, s->point_bytes, parents, n, digest);
    free(parents);
    return rc;
}

int record_unhash(hyp_batch *b, uint64_t id)
{
    unsigned char d[D];
    MDB_val k = { D, d };
    int rc = record_of(b->s, b->txn, id, d);
    if (rc != HYP_OK)
        return rc;
    rc = mdb_del(b->txn, b->s->dbi[DB_RECORDS], &k, NULL);
    if (rc == MDB_NOTFOUND)
        return store_fail(b->s, HYP_ECORRUPT, "the record digest of id %llu is missing",
                          (unsigned long long)id);
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(b->s, rc, "updating record digests");
    bucket_mark(b, d);
    return HYP_OK;
}

int record_rehash(hyp_batch *b, uint64_t id)
{
    unsigned char d[D];
    MDB_val k = { D, d }, v = { 0, NULL };
    int rc = record_of(b->s, b->txn, id, d);
    if (rc != HYP_OK)
        return rc;
    rc = mdb_put(b->txn, b->s->dbi[DB_RECORDS], &k, &v, MDB_NOOVERWRITE);
    if (rc == MDB_KEYEXIST) /* two records with one BLAKE2b-256 digest */
        return store_fail(b->s, HYP_ECORRUPT, "record digest of id %llu already present",
                          (unsigned long long)id);
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(b->s, rc, "updating record digests");
    bucket_mark(b, d);
    return HYP_OK;
}

/* Digest of the concatenation of n digests; 0 of them: the zero digest. */
static void digest_of_run(const unsigned char *run, size_t n, unsigned char *out)
{
    if (n == 0)
        memcpy(out, zero_digest, D);
    else
        crypto_generichash(out, D, run, n * D, NULL, 0);
}

/* Stores (or, when zero, deletes) one bucket or group digest. */
static int store_digest(hyp_store *s, MDB_txn *txn, enum store_db db, const unsigned char *key,
                        size_t klen, const unsigned char *digest)
{
    MDB_val k = { klen, (void *)key }, v = { D, (void *)digest };
    int rc = memcmp(digest, zero_digest, D) == 0 ? mdb_del(txn, s->dbi[db], &k, NULL)
                                                  : mdb_put(txn, s->dbi[db], &k, &v, 0);
    return rc == MDB_NOTFOUND ? HYP_OK : store_lmdb_error(s, rc, "storing a digest");
}

/* Reads the stored digests of db whose keys start with prefix (plen bytes,
 * then one index byte) into table[256] (zeros where absent). */
static int read_level(hyp_store *s, MDB_txn *txn, enum store_db db, const unsigned char *prefix,
                      size_t plen, unsigned char *table)
{
    MDB_cursor *c;
    MDB_val k = { plen, (void *)prefix }, v;
    int rc = mdb_cursor_open(txn, s->dbi[db], &c);
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    memset(table, 0, 256 * D);
    rc = mdb_cursor_get(c, &k, &v, plen ? MDB_SET_RANGE : MDB_FIRST);
    while (rc == MDB_SUCCESS && k.mv_size > plen &&
           (plen == 0 || memcmp(k.mv_data, prefix, plen) == 0)) {
        if (v.mv_size != D || k.mv_size != plen + 1) {
            mdb_cursor_close(c);
            return store_fail(s, HYP_ECORRUPT, "a stored digest of %zu bytes under a key of %zu",
                              v.mv_size, k.mv_size);
        }
        memcpy(table + D * ((const unsigned char *)k.mv_data)[plen], v.mv_data, D);
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(c);
    /* MDB_SUCCESS here: walked past the prefix. */
    return rc == MDB_NOTFOUND || rc == MDB_SUCCESS ? HYP_OK
                                                  : store_lmdb_error(s, rc, "reading digests");
}

/* The top of the tree from the 256 group digests. */
static void state_from_groups(hyp_store *s, uint64_t count, const unsigned char *groups,
                              unsigned char *hash)
{
    crypto_generichash_state h;
    unsigned char b[32];
    uint64_t cbits;

    memcpy(&cbits, &s->curvature, 8);
    put_le32(b, (uint32_t)s->model);
    put_le32(b + 4, (uint32_t)s->dim);
    put_le32(b + 8, (uint32_t)s->repr);
    put_le32(b + 12, repr_fraction_bits(s->repr, s->model)); /* 0 for f64 */
    put_le64(b + 16, cbits);
    put_le64(b + 24, count);
    crypto_generichash_init(&h, NULL, 0, D);
    crypto_generichash_update(&h, (const unsigned char *)HASH_DOMAIN, strlen(HASH_DOMAIN));
    crypto_generichash_update(&h, b, 32);
    crypto_generichash_update(&h, groups, HASH_GROUPS * D);
    crypto_generichash_final(&h, hash, D);
}

int state_hash_stored(hyp_store *s, MDB_txn *txn, unsigned char *hash)
{
    unsigned char *groups = malloc(HASH_GROUPS * D);
    MDB_stat st;
    int rc;

    if (groups == NULL)
        return ENOMEM;
    if ((rc = mdb_stat(txn, s->dbi[DB_POINTS], &st)) != MDB_SUCCESS)
        rc = store_lmdb_error(s, rc, "mdb_stat");
    else if ((rc = read_level(s, txn, DB_GROUPS, NULL, 0, groups)) == HYP_OK)
        state_from_groups(s, st.ms_entries, groups, hash);
    free(groups);
    return rc;
}

/* Recomputes bucket k from the records database. */
static int bucket_recompute(hyp_batch *b, MDB_cursor *c, unsigned k, unsigned char *digest)
{
    unsigned char prefix[2] = { (unsigned char)(k >> 8), (unsigned char)k };
    MDB_val key = { 2, prefix }, v;
    crypto_generichash_state h;
    size_t n = 0;
    int rc = mdb_cursor_get(c, &key, &v, MDB_SET_RANGE);

    crypto_generichash_init(&h, NULL, 0, D);
    while (rc == MDB_SUCCESS && memcmp(key.mv_data, prefix, 2) == 0) {
        if (key.mv_size != D)
            return store_fail(b->s, HYP_ECORRUPT, "a record digest of %zu bytes", key.mv_size);
        crypto_generichash_update(&h, key.mv_data, D);
        n++;
        rc = mdb_cursor_get(c, &key, &v, MDB_NEXT);
    }
    if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND)
        return store_lmdb_error(b->s, rc, "reading record digests");
    if (n == 0)
        memcpy(digest, zero_digest, D);
    else
        crypto_generichash_final(&h, digest, D);
    return HYP_OK;
}

int hash_update(hyp_batch *b)
{
    hyp_store *s = b->s;
    unsigned char groups_dirty[HASH_GROUPS] = { 0 }, digest[D], *table;
    MDB_cursor *c;
    int rc = HYP_OK;

    if (!b->any_dirty)
        return HYP_OK;
    if ((table = malloc(256 * D)) == NULL)
        return ENOMEM;
    if ((rc = mdb_cursor_open(b->txn, s->dbi[DB_RECORDS], &c)) != MDB_SUCCESS) {
        free(table);
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    }
    for (unsigned k = 0; k < HASH_BUCKETS && rc == HYP_OK; k++) {
        if (!(b->dirty[k / 8] & (1u << (k % 8))))
            continue;
        unsigned char key[2] = { (unsigned char)(k >> 8), (unsigned char)k };
        if ((rc = bucket_recompute(b, c, k, digest)) == HYP_OK)
            rc = store_digest(s, b->txn, DB_BUCKETS, key, 2, digest);
        groups_dirty[k >> 8] = 1;
    }
    mdb_cursor_close(c);
    for (unsigned g = 0; g < HASH_GROUPS && rc == HYP_OK; g++) {
        unsigned char key[1] = { (unsigned char)g };
        size_t nonempty = 0;
        if (!groups_dirty[g])
            continue;
        if ((rc = read_level(s, b->txn, DB_BUCKETS, key, 1, table)) != HYP_OK)
            break;
        for (int i = 0; i < 256; i++)
            nonempty += memcmp(table + i * D, zero_digest, D) != 0;
        digest_of_run(table, nonempty ? 256 : 0, digest);
        rc = store_digest(s, b->txn, DB_GROUPS, key, 1, digest);
    }
    free(table);
    if (rc == HYP_OK) {
        memset(b->dirty, 0, sizeof b->dirty);
        b->any_dirty = 0;
    }
    return rc;
}

/* ---- from scratch ---- */

static int cmp_digest(const void *a, const void *b)
{
    return memcmp(a, b, D);
}

/* Sorts n digests: by their first two bytes (a counting sort: digests are
 * uniform, so buckets hold n / 65536 on average), then within buckets. */
int digests_sort(unsigned char *d, size_t n)
{
    if (n < 4096) {
        qsort(d, n, D, cmp_digest);
        return 0;
    }
    size_t *start = calloc(HASH_BUCKETS + 1, sizeof *start);
    unsigned char *tmp = malloc(n * D);
    if (start == NULL || tmp == NULL) {
        free(start);
        free(tmp);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        start[(d[i * D] << 8 | d[i * D + 1]) + 1]++;
    for (size_t k = 0; k < HASH_BUCKETS; k++)
        start[k + 1] += start[k];
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)(d[i * D] << 8 | d[i * D + 1]);
        memcpy(tmp + D * start[k]++, d + i * D, D);
    }
    /* start[k] is now the end of bucket k, i.e. the start of k + 1. */
    size_t from = 0;
    for (size_t k = 0; k < HASH_BUCKETS; k++) {
        if (start[k] - from > 1)
            qsort(tmp + D * from, start[k] - from, D, cmp_digest);
        from = start[k];
    }
    memcpy(d, tmp, n * D);
    free(start);
    free(tmp);
    return 0;
}

typedef struct checker {
    void (*report)(void *ctx, const char *msg);
    void *ctx;
} checker;

static void say(const checker *ck, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void say(const checker *ck, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    if (ck->report == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ck->report(ck->ctx, msg);
}

/* Compares the records database with the sorted recomputed digests. */
static int check_records(hyp_store *s, MDB_txn *txn, const unsigned char *d, size_t n,
                         const checker *ck)
{
    MDB_cursor *c;
    MDB_val k, v;
    size_t i = 0, missing = 0, extra = 0;
    int rc = mdb_cursor_open(txn, s->dbi[DB_RECORDS], &c);
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == MDB_SUCCESS;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        int cmp = 1;
        while (i < n && k.mv_size == D && (cmp = memcmp(d + i * D, k.mv_data, D)) < 0) {
            missing++;
            i++;
        }
        if (cmp == 0 && k.mv_size == D)
            i++;
        else
            extra++;
    }
    missing += n - i;
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return store_lmdb_error(s, rc, "reading record digests");
    if (missing || extra)
        say(ck, "state hash: %zu record digest%s missing and %zu stored for no record", missing,
            missing == 1 ? "" : "s", extra);
    return missing || extra ? 1 : 0;
}

/* Compares one level's stored digests (keys prefix + index byte) with
 * the recomputed table of 256. */
static int check_level(hyp_store *s, MDB_txn *txn, enum store_db db, const unsigned char *prefix,
                       size_t plen, const unsigned char *want, unsigned char *scratch,
                       const checker *ck)
{
    int bad = 0, rc = read_level(s, txn, db, prefix, plen, scratch);
    if (rc == HYP_ECORRUPT) {
        say(ck, "state hash: %s", s->errmsg);
        return 1;
    }
    if (rc != HYP_OK)
        return rc;
    for (int i = 0; i < 256; i++) {
        if (memcmp(scratch + i * D, want + i * D, D) == 0)
            continue;
        bad = 1;
        if (db == DB_BUCKETS)
            say(ck, "state hash: stored digest of bucket %u differs from its records",
                (unsigned)(prefix[0] << 8 | i));
        else
            say(ck, "state hash: stored digest of group %d differs from its buckets", i);
    }
    return bad;
}

int state_hash_full(hyp_store *s, MDB_txn *txn, unsigned char *hash,
                    void (*report)(void *ctx, const char *msg), void *ctx)
{
    checker ck = { report, ctx };
    MDB_cursor *lc = NULL, *pc = NULL;
    MDB_val k, v, pv, *labels = NULL;
    MDB_stat st;
    size_t cap = 0, n = 0, np;
    unsigned char *d = NULL, *groups = NULL, *table = NULL, *scratch = NULL;
    int rc;

    if ((rc = mdb_stat(txn, s->dbi[DB_LABEL2ID], &st)) != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_stat");
    d = malloc((st.ms_entries ? st.ms_entries : 1) * D);
    groups = malloc(HASH_GROUPS * D);
    table = malloc(256 * D);
    scratch = malloc(256 * D);
    if (d == NULL || groups == NULL || table == NULL || scratch == NULL) {
        rc = ENOMEM;
        goto out;
    }
    if ((rc = mdb_cursor_open(txn, s->dbi[DB_LABEL2ID], &lc)) != MDB_SUCCESS ||
        (rc = mdb_cursor_open(txn, s->dbi[DB_PARENTS], &pc)) != MDB_SUCCESS) {
        rc = store_lmdb_error(s, rc, "mdb_cursor_open");
        goto out;
    }
    for (rc = mdb_cursor_get(lc, &k, &v, MDB_FIRST); rc == MDB_SUCCESS && n < st.ms_entries;
         rc = mdb_cursor_get(lc, &k, &v, MDB_NEXT)) {
        if (v.mv_size != 8) {
            rc = store_fail(s, HYP_ECORRUPT, "label2id value of %zu bytes", v.mv_size);
            goto out;
        }
        rc = mdb_get(txn, s->dbi[DB_POINTS], &v, &pv);
        if (rc != MDB_SUCCESS || pv.mv_size != s->point_bytes) {
            rc = rc == MDB_SUCCESS || rc == MDB_NOTFOUND
                     ? store_fail(s, HYP_ECORRUPT, "label '%.*s' has no valid point",
                                  (int)k.mv_size, (const char *)k.mv_data)
                     : store_lmdb_error(s, rc, "hashing points");
            goto out;
        }
        if ((rc = parent_labels(s, txn, pc, v.mv_data, &labels, &cap, &np)) != HYP_OK)
            goto out;
        record_digest(k.mv_data, k.mv_size, pv.mv_data, s->point_bytes, labels, np, d + n * D);
        n++;
    }
    if (rc != MDB_NOTFOUND && rc != MDB_SUCCESS) {
        rc = store_lmdb_error(s, rc, "hashing labels");
        goto out;
    }
    if (digests_sort(d, n) != 0) {
        rc = ENOMEM;
        goto out;
    }
    if (report && (rc = check_records(s, txn, d, n, &ck)) != 0) {
        if (rc != 1) /* 1: reported */
            goto out;
            }
    /* Buckets in order, then groups: one pass over the sorted digests. */
    size_t i = 0;
    for (unsigned g = 0; g < HASH_GROUPS; g++) {
        size_t nonempty = 0;
        for (unsigned j = 0; j < 256; j++) {
            size_t from = i;
            while (i < n && d[i * D] == g && d[i * D + 1] == j)
                i++;
            digest_of_run(d + from * D, i - from, table + j * D);
            nonempty += i > from;
        }
        digest_of_run(table, nonempty ? 256 : 0, groups + g * D);
        unsigned char prefix[1] = { (unsigned char)g };
        if (report && (rc = check_level(s, txn, DB_BUCKETS, prefix, 1, table, scratch, &ck)) != 0) {
            if (rc != 1) /* 1: reported */
                goto out;
                    }
    }
    if (report && (rc = check_level(s, txn, DB_GROUPS, NULL, 0, groups, scratch, &ck)) != 0) {
        if (rc != 1) /* 1: reported */
            goto out;
            }
    if ((rc = mdb_stat(txn, s->dbi[DB_POINTS], &st)) != MDB_SUCCESS) {
        rc = store_lmdb_error(s, rc, "mdb_stat");
        goto out;
    }
    state_from_groups(s, st.ms_entries, groups, hash);
    rc = HYP_OK;
out:
    if (lc)
        mdb_cursor_close(lc);
    if (pc)
        mdb_cursor_close(pc);
    free(labels);
    free(d);
    free(groups);
    free(table);
    free(scratch);
    return rc;
}

int hyp_store_hash(hyp_store *s, unsigned char *hash)
{
    MDB_txn *txn;
    int rc = store_txn_begin(s, MDB_RDONLY, &txn);
    if (rc != HYP_OK)
        return rc;
    rc = state_hash_full(s, txn, hash, NULL, NULL);
    store_txn_abort(s, txn);
    return rc;
}
