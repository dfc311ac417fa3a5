/*
 * pending.c — new labels of a batch, held back and written sorted.
 *
 * Why.  A bulk import inserts labels in the input's order, which is random
 * as far as label2id's B-tree is concerned, and each record digest's key in
 * the records database is random by nature: two random B-tree inserts per
 * point, each a descent, a page touch and a memmove, with half-full pages
 * after the splits.  Held back and sorted, the same keys go in as one
 * ordered sweep (hot pages), and with MDB_APPEND, when they all sort after
 * what the tree holds (a fresh store), LMDB fills pages completely and does
 * no search at all.  points and id2label need no such help: ids only grow,
 * so op_put appends to them at once.
 *
 * What it keeps.  Each entry: a pointer to the point's PUT record in the
 * batch's op stream (op.c), which holds the label and the point as stored
 * and never moves; no copy.  Ids need no room: a new point takes
 * b->next_id and every new point of the txn is pending until a flush, so
 * entry i has id first_id + i.  A hash table on the label finds a duplicate
 * at once, so hyp_batch_put still reports HYP_EEXISTS when called, never at
 * commit.  The record digests are computed at the flush, not at each put:
 * there they can be split between two threads.
 *
 * When it flushes.  Only plain inserts may stay pending: any other operation
 * (delete, edges, an upsert of a pending label) and the commit flush first,
 * so every operation that reads label2id or records sees everything the
 * batch wrote.  The entries live in the batch's transaction: a new one
 * (after MDB_MAP_FULL) starts empty and re-applies the operations.
 *
 * The flush and its second thread.  Four jobs: the record digests (BLAKE2b
 * of each label and point), their sort, the label sort, and the writes into
 * label2id and records.  LMDB binds a write txn to its thread, so the
 * writes stay on the caller's thread; the rest is pure computation on
 * memory nobody writes meanwhile, so a large flush runs it in two phases:
 * (1) the digests, half each; (2) a helper thread sorts the digests while
 * the caller sorts the labels and writes label2id.  Then the caller marks
 * the buckets and writes records.  Every result is a function of the
 * entries alone, so the bytes written do not depend on which thread ran
 * what or when; without a thread (small flushes, pthread_create failing)
 * the caller runs the same code in turn.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>

#include "store_internal.h"

/* Flushes smaller than this do not start a thread (its cost, ~50 us, would
 * be most of theirs). */
#define PENDING_THREAD_MIN 4096

struct pending {
    const unsigned char **rec; /* rec[i]: the PUT record of entry i (op.c's layout:
                                  u8 type, u16 label length, label, point) */
    size_t n, cap;
    uint64_t first_id;  /* id of entry 0 */
    /* Open addressing with linear probing; a slot holds the label hash's
     * top 32 bits (its tag) and the entry index + 1 (0 = free), so that a
     * probe reads the entry and its label (two more cache misses) only when
     * the tags agree: most lookups are of new labels and touch only the
     * table.  A label's home slot is the top tbits bits of its hash, which
     * the tag holds: growing the table moves every slot to its new home
     * from the tag alone, in order, with no label read or hashed again.
     * (The price: the tag tells apart labels of one home by its 32 - tbits
     * other bits only, 11 at a million entries: a needless label compare
     * for about one lookup in a thousand.) */
    uint64_t *table;
    size_t tcap;     /* 2^tbits slots (0: none yet), at least twice n */
    unsigned tbits;  /* at most 32 */
    uint64_t last_hash; /* hash of the label pending_find saw last */
    size_t last_slot;   /* its slot, for pending_add */
    const char *last_label;
};

static size_t rec_len(const unsigned char *rec)
{
    return get_le16(rec + 1);
}

static const unsigned char *rec_label(const unsigned char *rec)
{
    return rec + 3;
}

/* SipHash-2-4 (libsodium) with a fixed key: the table only needs a good
 * spread; nothing here reaches the disk or the state hash. */
static uint64_t label_hash(const void *label, size_t len)
{
    static const unsigned char key[crypto_shorthash_siphash24_KEYBYTES] = "hyperstore-pend";
    unsigned char out[8];
    crypto_shorthash_siphash24(out, label, len, key);
    uint64_t h;
    memcpy(&h, out, 8);
    return h;
}

static int same(const struct pending *p, size_t i, const char *label, size_t len)
{
    return rec_len(p->rec[i]) == len && memcmp(rec_label(p->rec[i]), label, len) == 0;
}

/* The slot of label (hash h): its entry's, or the free one where it
 * would go. */
static size_t slot_of(const struct pending *p, uint64_t h, const char *label, size_t len)
{
    size_t j = (size_t)(h >> (64 - p->tbits));
    uint64_t tag = h >> 32 << 32;
    for (;; j = (j + 1) & (p->tcap - 1)) {
        uint64_t t = p->table[j];
        if (t == 0 || ((t >> 32 << 32) == tag && same(p, (uint32_t)t - 1, label, len)))
            return j;
    }
}

/* Doubles the table (or makes the first).  Old slots are taken in order and
 * their homes are in the same order, so both tables are walked about
 * sequentially (the old one once more from its start for the slots that
 * probing wrapped around). */
static int grow_table(struct pending *p)
{
    unsigned bits = p->tbits ? p->tbits + 1 : 10;
    size_t cap = (size_t)1 << bits;
    uint64_t *t = calloc(cap, sizeof *t);
    if (t == NULL)
        return ENOMEM;
    for (size_t i = 0; i < p->tcap; i++) {
        uint64_t v = p->table[i];
        if (v == 0)
            continue;
        size_t j = (size_t)(v >> (64 - bits));
        while (t[j] != 0)
            j = (j + 1) & (cap - 1);
        t[j] = v;
    }
    free(p->table);
    p->table = t;
    p->tcap = cap;
    p->tbits = bits;
    p->last_label = NULL;
    return 0;
}

int pending_find(hyp_batch *b, const char *label, size_t len, int *found)
{
    struct pending *p = b->pend;
    *found = 0;
    if (p == NULL || p->tcap == 0)
        return HYP_OK;
    p->last_hash = label_hash(label, len);
    p->last_slot = slot_of(p, p->last_hash, label, len);
    p->last_label = label;
    *found = p->table[p->last_slot] != 0;
    return HYP_OK;
}

int pending_add(hyp_batch *b, const char *label, size_t len, const unsigned char *rec)
{
    struct pending *p = b->pend;

    if (p == NULL && (p = b->pend = calloc(1, sizeof *p)) == NULL)
        return ENOMEM;
    if (p->n >= ((size_t)1 << 31) - 1)
        return ENOMEM; /* 32-bit indices, and 2n slots must fit 32 bits of hash */
    if ((p->n + 1) * 2 > p->tcap && grow_table(p) != 0)
        return ENOMEM;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 1024;
        const unsigned char **r = realloc(p->rec, cap * sizeof *r);
        if (r == NULL)
            return ENOMEM;
        p->rec = r;
        p->cap = cap;
    }
    /* op_put asked pending_find about this very label just before: reuse
     * its slot unless the table has changed since. */
    uint64_t h;
    size_t j;
    if (p->last_label == label && p->table[p->last_slot] == 0) {
        h = p->last_hash;
        j = p->last_slot;
    } else {
        h = label_hash(label, len);
        j = slot_of(p, h, label, len);
    }
    p->last_label = NULL;
    if (p->n == 0)
        p->first_id = b->next_id;
    p->rec[p->n] = rec;
    p->table[j] = h >> 32 << 32 | ++p->n;
    return HYP_OK;
}

/* ---- sorting labels: MSD radix sort on cached 8-byte keys ---- */

/* An entry under sort: 8 bytes of its label from the current depth, and
 * its index.  The radix passes read only this array, sequentially; a
 * label itself is read once per 8 bytes of depth, not once per byte. */
typedef struct skey {
    uint64_t key;
    uint64_t idx;
} skey;

/* Bytes [depth, depth + 8) of entry i's label, big-endian, zero past its
 * end.  Labels hold no NUL (hyp_label_check), so the zero padding sorts a
 * label before its extensions, as LMDB does. */
static uint64_t key_at(const struct pending *p, size_t i, size_t depth)
{
    const unsigned char *l = rec_label(p->rec[i]);
    size_t len = rec_len(p->rec[i]);
    uint64_t k = 0;
    for (size_t j = depth; j < depth + 8; j++)
        k = k << 8 | (j < len ? l[j] : 0);
    return k;
}

/* LMDB's default key order: bytewise, the shorter first on a tie; the
 * labels of a and b agree on their first `from` bytes. */
static int cmp_labels(const struct pending *p, size_t a, size_t b, size_t from)
{
    const unsigned char *x = rec_label(p->rec[a]), *y = rec_label(p->rec[b]);
    size_t nx = rec_len(p->rec[a]), ny = rec_len(p->rec[b]);
    size_t n = nx < ny ? nx : ny;
    int c = n > from ? memcmp(x + from, y + from, n - from) : 0;
    if (c != 0)
        return c;
    return (nx > ny) - (nx < ny);
}

/* Entries that share depth bytes: their keys first, the labels on a tie. */
static int cmp_skey(const struct pending *p, const skey *a, const skey *b, size_t depth)
{
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return cmp_labels(p, (size_t)a->idx, (size_t)b->idx, depth);
}

/* Merge sort by cmp_skey, for long shared prefixes (the radix sort's
 * recursion stops at depth 64); tmp has room for n. */
static void merge_sort(const struct pending *p, skey *a, skey *tmp, size_t n, size_t depth)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(p, a, tmp, h, depth);
    merge_sort(p, a + h, tmp, n - h, depth);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_skey(p, &a[j], &a[i], depth) < 0 ? a[j++] : a[i++];
    while (i < h)
        tmp[k++] = a[i++];
    memcpy(a, tmp, k * sizeof *a); /* a[j..n) is in place */
}

/* a[0..n) share their first depth + byte label bytes; a[i].key holds bytes
 * [depth, depth + 8).  tmp has room for n. */
static void radix_sort(const struct pending *p, skey *a, skey *tmp, size_t n, size_t depth,
                       int byte)
{
    size_t count[257];

    for (;;) {
        if (n < 32 || depth >= 64) {
            /* Insertion sort for small runs; merge sort for deep shared
             * prefixes (rare; the cap bounds the recursion's stack). */
            if (n >= 32) {
                merge_sort(p, a, tmp, n, depth);
                return;
            }
            for (size_t i = 1; i < n; i++) {
                skey v = a[i];
                size_t j = i;
                while (j > 0 && cmp_skey(p, &a[j - 1], &v, depth) > 0) {
                    a[j] = a[j - 1];
                    j--;
                }
                a[j] = v;
            }
            return;
        }
        if (byte == 8) {
            /* All share depth + 8 bytes: load the next 8. */
            depth += 8;
            byte = 0;
            for (size_t i = 0; i < n; i++)
                a[i].key = key_at(p, (size_t)a[i].idx, depth);
            continue;
        }
        int shift = 56 - 8 * byte;
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[(a[i].key >> shift & 255) + 1]++;
        if (count[(a[0].key >> shift & 255) + 1] == n) {
            byte++; /* one class: nothing to move */
            continue;
        }
        for (int c = 0; c < 256; c++)
            count[c + 1] += count[c];
        for (size_t i = 0; i < n; i++)
            tmp[count[a[i].key >> shift & 255]++] = a[i];
        memcpy(a, tmp, n * sizeof *a);
        /* count[c] is now the end of class c. */
        for (int c = 0; c < 256; c++) {
            size_t from = c ? count[c - 1] : 0, to = count[c];
            if (to - from > 1)
                radix_sort(p, a + from, tmp, to - from, depth, byte + 1);
        }
        return;
    }
}

/* Is the last key of db before first (or the db empty)?  Then every sorted
 * key may be appended. */
static int appendable(MDB_cursor *c, const void *first, size_t len, int *yes)
{
    MDB_val k, v;
    int rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
    if (rc == MDB_NOTFOUND) {
        *yes = 1;
        return MDB_SUCCESS;
    }
    if (rc != MDB_SUCCESS)
        return rc;
    size_t n = k.mv_size < len ? k.mv_size : len;
    int cmp = memcmp(k.mv_data, first, n);
    *yes = cmp < 0 || (cmp == 0 && k.mv_size < len);
    return MDB_SUCCESS;
}

/* The work a helper thread may take off the caller (see the top). */
typedef struct job {
    const struct pending *p;
    size_t point_bytes;
    unsigned char *d;   /* n digests, entry order; sorted by phase 2 */
    size_t from, to;    /* phase 1: the entries whose digests this job computes */
    int rc;             /* phase 2: digests_sort's result */
    void (*run)(struct job *);
    pthread_t thread;
    int threaded;
} job;

static void job_digests(job *j)
{
    for (size_t i = j->from; i < j->to; i++) {
        const unsigned char *r = j->p->rec[i];
        size_t len = rec_len(r);
        /* A new point has no parents yet. */
        record_digest((const char *)rec_label(r), len, rec_label(r) + len, j->point_bytes, NULL,
                      0, j->d + i * HYP_HASH_SIZE);
    }
}

static void job_sort(job *j)
{
    j->rc = digests_sort(j->d, j->p->n) != 0 ? ENOMEM : HYP_OK;
}

static void *job_thread(void *arg)
{
    job *j = arg;
    j->run(j);
    return NULL;
}

/* Runs j->run on a helper thread when allowed and possible, else here and
 * now.  job_wait joins it. */
static void job_start(job *j, int allow_thread)
{
    j->threaded = allow_thread && pthread_create(&j->thread, NULL, job_thread, j) == 0;
    if (!j->threaded)
        j->run(j);
}

static void job_wait(job *j)
{
    if (j->threaded)
        pthread_join(j->thread, NULL);
    j->threaded = 0;
}

static int flush_labels(hyp_batch *b, struct pending *p, skey *keys, skey *tmp)
{
    hyp_store *s = b->s;
    MDB_cursor *c;
    int rc, append;

    for (size_t i = 0; i < p->n; i++) {
        keys[i].key = key_at(p, i, 0);
        keys[i].idx = i;
    }
    radix_sort(p, keys, tmp, p->n, 0, 0);
    if ((rc = mdb_cursor_open(b->txn, s->dbi[DB_LABEL2ID], &c)) != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    const unsigned char *first = p->rec[keys[0].idx];
    rc = appendable(c, rec_label(first), rec_len(first), &append);
    for (size_t i = 0; i < p->n && rc == MDB_SUCCESS; i++) {
#if defined(__GNUC__)
        /* Label order is random in memory: two misses per label (its
         * entry, then its record), started some labels ahead. */
        if (i + 16 < p->n)
            __builtin_prefetch(&p->rec[keys[i + 16].idx]);
        if (i + 8 < p->n)
            __builtin_prefetch(p->rec[keys[i + 8].idx]);
#endif
        const unsigned char *r = p->rec[keys[i].idx];
        unsigned char id[8];
        MDB_val k = { rec_len(r), (void *)rec_label(r) }, v = { 8, id };
        put_be64(id, p->first_id + keys[i].idx);
        rc = mdb_cursor_put(c, &k, &v, append ? MDB_APPEND : MDB_NOOVERWRITE);
    }
    mdb_cursor_close(c);
    if (rc == MDB_KEYEXIST) /* pending_find and store_find said it was new */
        return store_fail(s, HYP_ECORRUPT, "a new label is already in label2id");
    return store_lmdb_error(s, rc, "inserting labels");
}

/* d: the n digests, sorted. */
static int flush_records(hyp_batch *b, struct pending *p, const unsigned char *d)
{
    hyp_store *s = b->s;
    MDB_cursor *c;
    int rc, append;

    for (size_t i = 0; i < p->n; i++)
        bucket_mark(b, d + i * HYP_HASH_SIZE);
    if ((rc = mdb_cursor_open(b->txn, s->dbi[DB_RECORDS], &c)) != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    rc = appendable(c, d, HYP_HASH_SIZE, &append);
    for (size_t i = 0; i < p->n && rc == MDB_SUCCESS; i++) {
        MDB_val k = { HYP_HASH_SIZE, (void *)(d + i * HYP_HASH_SIZE) }, v = { 0, NULL };
        rc = mdb_cursor_put(c, &k, &v, append ? MDB_APPEND : MDB_NOOVERWRITE);
    }
    mdb_cursor_close(c);
    if (rc == MDB_KEYEXIST) /* two records with one BLAKE2b-256 digest */
        return store_fail(s, HYP_ECORRUPT, "a record digest is already present");
    return store_lmdb_error(s, rc, "inserting record digests");
}

int pending_flush(hyp_batch *b)
{
    struct pending *p = b->pend;
    int rc;

    if (p == NULL || p->n == 0)
        return HYP_OK;
    size_t n = p->n;
    int threads = n >= PENDING_THREAD_MIN;
    unsigned char *d = malloc(n * HYP_HASH_SIZE);
    skey *keys = malloc(2 * n * sizeof *keys);
    if (d == NULL || keys == NULL) {
        free(d);
        free(keys);
        return ENOMEM;
    }
    /* Phase 1: the digests, the first half on the helper. */
    job j = { .p = p, .point_bytes = b->s->point_bytes, .d = d, .from = 0, .to = n / 2,
              .run = job_digests };
    job mine = j;
    mine.from = n / 2;
    mine.to = n;
    job_start(&j, threads);
    job_digests(&mine);
    job_wait(&j);
    /* Phase 2: the helper sorts the digests while we sort and write the
     * labels. */
    j.run = job_sort;
    job_start(&j, threads);
    rc = flush_labels(b, p, keys, keys + n);
    job_wait(&j);
    if (rc == HYP_OK)
        rc = j.rc;
    free(keys);
    if (rc == HYP_OK)
        rc = flush_records(b, p, d);
    free(d);
    if (rc == HYP_OK)
        pending_reset(b);
    return rc;
}

void pending_reset(hyp_batch *b)
{
    struct pending *p = b->pend;
    if (p == NULL)
        return;
    if (p->n > 0)
        memset(p->table, 0, p->tcap * sizeof *p->table);
    p->n = 0;
    p->last_label = NULL;
}

void pending_free(hyp_batch *b)
{
    struct pending *p = b->pend;
    if (p == NULL)
        return;
    free(p->rec);
    free(p->table);
    free(p);
    b->pend = NULL;
}
