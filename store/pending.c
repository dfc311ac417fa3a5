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
 * What it keeps.  Each entry: the label (bytes in an arena), its id and its
 * record digest.  A hash table on the label finds a duplicate at once, so
 * hyp_batch_put still reports HYP_EEXISTS when called, never at commit.
 *
 * When it flushes.  Only plain inserts may stay pending: any other operation
 * (delete, edges, an upsert of a pending label) and the commit flush first,
 * so every operation that reads label2id or records sees everything the
 * batch wrote.  The entries live in the batch's transaction: a new one
 * (after MDB_MAP_FULL) starts empty and re-applies the operations.
 */
#include <sodium.h>
#include <stdlib.h>

#include "store_internal.h"

typedef struct pent {
    size_t off;     /* label bytes at arena + off */
    uint32_t len;
    uint64_t id;
    unsigned char digest[HYP_HASH_SIZE];
} pent;

struct pending {
    char *arena;
    size_t arena_len, arena_cap;
    pent *e;
    size_t n, cap;
    /* Open addressing; a slot holds the label hash's top 32 bits and the
     * entry index + 1 (0 = free), so that a probe reads the entry and its
     * label (two more cache misses) only when the tags agree: most lookups
     * are of new labels and touch only the table. */
    uint64_t *table;
    size_t tcap;     /* a power of two, at least twice n */
    uint64_t last_hash; /* hash of the label pending_find saw last */
    size_t last_slot;   /* its slot, for pending_add */
    const char *last_label;
};

/* SipHash-2-4 (libsodium) with a fixed key: the table only needs a good
 * spread; nothing here reaches the disk or the state hash. */
static uint64_t label_hash(const char *label, size_t len)
{
    static const unsigned char key[crypto_shorthash_siphash24_KEYBYTES] = "hyperstore-pend";
    unsigned char out[8];
    crypto_shorthash_siphash24(out, (const unsigned char *)label, len, key);
    uint64_t h;
    memcpy(&h, out, 8);
    return h;
}

static int same(const struct pending *p, const pent *e, const char *label, size_t len)
{
    return e->len == len && memcmp(p->arena + e->off, label, len) == 0;
}

/* The slot of label (hash h): its entry's, or the free one where it
 * would go. */
static size_t slot_of(const struct pending *p, uint64_t h, const char *label, size_t len)
{
    size_t j = (size_t)h & (p->tcap - 1);
    uint64_t tag = h >> 32 << 32;
    for (;; j = (j + 1) & (p->tcap - 1)) {
        uint64_t t = p->table[j];
        if (t == 0 || ((t >> 32 << 32) == tag &&
                       same(p, &p->e[(uint32_t)t - 1], label, len)))
            return j;
    }
}

static int grow_table(struct pending *p)
{
    size_t cap = p->tcap ? p->tcap * 2 : 1024;
    uint64_t *t = calloc(cap, sizeof *t);
    if (t == NULL)
        return ENOMEM;
    free(p->table);
    p->table = t;
    p->tcap = cap;
    for (size_t i = 0; i < p->n; i++) {
        const char *l = p->arena + p->e[i].off;
        uint64_t h = label_hash(l, p->e[i].len);
        p->table[slot_of(p, h, l, p->e[i].len)] = h >> 32 << 32 | (i + 1);
    }
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

int pending_add(hyp_batch *b, const char *label, size_t len, uint64_t id,
                const unsigned char *digest)
{
    struct pending *p = b->pend;

    if (p == NULL && (p = b->pend = calloc(1, sizeof *p)) == NULL)
        return ENOMEM;
    if (p->n >= UINT32_MAX - 1)
        return ENOMEM; /* the table holds 32-bit indices */
    if ((p->n + 1) * 2 > p->tcap && grow_table(p) != 0)
        return ENOMEM;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 1024;
        pent *e = realloc(p->e, cap * sizeof *e);
        if (e == NULL)
            return ENOMEM;
        p->e = e;
        p->cap = cap;
    }
    if (p->arena_cap - p->arena_len < len) {
        size_t cap = p->arena_cap ? p->arena_cap : 65536;
        while (cap - p->arena_len < len)
            cap *= 2;
        char *a = realloc(p->arena, cap);
        if (a == NULL)
            return ENOMEM;
        p->arena = a;
        p->arena_cap = cap;
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
    pent *e = &p->e[p->n];
    memcpy(p->arena + p->arena_len, label, len);
    e->off = p->arena_len;
    e->len = (uint32_t)len;
    e->id = id;
    memcpy(e->digest, digest, HYP_HASH_SIZE);
    p->arena_len += len;
    p->table[j] = h >> 32 << 32 | ++p->n;
    bucket_mark(b, digest);
    return HYP_OK;
}

/* ---- sorting labels: MSD radix sort on bytes ---- */

/* LMDB's default key order: bytewise, the shorter first on a tie. */
static int cmp_labels(const struct pending *p, uint32_t a, uint32_t b, size_t from)
{
    const pent *x = &p->e[a], *y = &p->e[b];
    size_t n = (x->len < y->len ? x->len : y->len);
    int c = n > from ? memcmp(p->arena + x->off + from, p->arena + y->off + from, n - from) : 0;
    if (c != 0)
        return c;
    return (x->len > y->len) - (x->len < y->len);
}

/* a[0..n) all share their first depth bytes; tmp has room for n. */
static void radix_sort(const struct pending *p, uint32_t *a, uint32_t *tmp, size_t n,
                       size_t depth)
{
    if (n < 32 || depth >= 64) {
        /* Insertion sort: small runs, or deep shared prefixes (rare; the
         * depth cap bounds the recursion's stack). */
        for (size_t i = 1; i < n; i++) {
            uint32_t v = a[i];
            size_t j = i;
            while (j > 0 && cmp_labels(p, a[j - 1], v, depth) > 0) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = v;
        }
        return;
    }
    /* Byte value + 1 at depth; 0 for a label that ends before it. */
    size_t count[258] = { 0 };
    for (size_t i = 0; i < n; i++) {
        const pent *e = &p->e[a[i]];
        count[(e->len > depth ? (unsigned char)p->arena[e->off + depth] + 1 : 0) + 1]++;
    }
    for (int c = 0; c < 257; c++)
        count[c + 1] += count[c];
    for (size_t i = 0; i < n; i++) {
        const pent *e = &p->e[a[i]];
        tmp[count[e->len > depth ? (unsigned char)p->arena[e->off + depth] + 1 : 0]++] = a[i];
    }
    memcpy(a, tmp, n * sizeof *a);
    /* count[c] is now the end of class c; class 0 (ended) needs no sort. */
    for (int c = 1; c < 257; c++) {
        size_t from = count[c - 1], to = count[c];
        if (to - from > 1)
            radix_sort(p, a + from, tmp, to - from, depth + 1);
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

static int flush_labels(hyp_batch *b, struct pending *p, uint32_t *order, uint32_t *tmp)
{
    hyp_store *s = b->s;
    MDB_cursor *c;
    int rc, append;

    for (size_t i = 0; i < p->n; i++)
        order[i] = (uint32_t)i;
    radix_sort(p, order, tmp, p->n, 0);
    if ((rc = mdb_cursor_open(b->txn, s->dbi[DB_LABEL2ID], &c)) != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    rc = appendable(c, p->arena + p->e[order[0]].off, p->e[order[0]].len, &append);
    for (size_t i = 0; i < p->n && rc == MDB_SUCCESS; i++) {
        const pent *e = &p->e[order[i]];
        unsigned char id[8];
        MDB_val k = { e->len, p->arena + e->off }, v = { 8, id };
        put_be64(id, e->id);
        rc = mdb_cursor_put(c, &k, &v, append ? MDB_APPEND : MDB_NOOVERWRITE);
    }
    mdb_cursor_close(c);
    if (rc == MDB_KEYEXIST) /* pending_find and store_find said it was new */
        return store_fail(s, HYP_ECORRUPT, "a new label is already in label2id");
    return store_lmdb_error(s, rc, "inserting labels");
}

static int flush_records(hyp_batch *b, struct pending *p, unsigned char *d)
{
    hyp_store *s = b->s;
    MDB_cursor *c;
    int rc, append;

    for (size_t i = 0; i < p->n; i++)
        memcpy(d + i * HYP_HASH_SIZE, p->e[i].digest, HYP_HASH_SIZE);
    if (digests_sort(d, p->n) != 0)
        return ENOMEM;
    if ((rc = mdb_cursor_open(b->txn, s->dbi[DB_RECORDS], &c)) != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    rc = appendable(c, d, HYP_HASH_SIZE, &append);
    for (size_t i = 0; i < p->n && rc == MDB_SUCCESS; i++) {
        MDB_val k = { HYP_HASH_SIZE, d + i * HYP_HASH_SIZE }, v = { 0, NULL };
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
    /* One scratch block serves both sorts (the digests need 32 bytes each,
     * the label order 2 x 4). */
    unsigned char *scratch = malloc(p->n * HYP_HASH_SIZE);
    if (scratch == NULL)
        return ENOMEM;
    uint32_t *order = (uint32_t *)(void *)scratch, *tmp = order + p->n;
    rc = flush_labels(b, p, order, tmp);
    if (rc == HYP_OK)
        rc = flush_records(b, p, scratch);
    free(scratch);
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
    p->arena_len = 0;
    p->last_label = NULL;
}

void pending_free(hyp_batch *b)
{
    struct pending *p = b->pend;
    if (p == NULL)
        return;
    free(p->arena);
    free(p->e);
    free(p->table);
    free(p);
    b->pend = NULL;
}
