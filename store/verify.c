/*
 * verify.c — hyp_store_verify: every invariant of the schema, checked in one
 * read transaction (so a writer may run meanwhile).  Each problem is
 * reported and counted; the walk goes on so that one report shows them all.
 *
 * The state hash's tree is recomputed from the content (state_hash_full):
 * each stored record, bucket and group digest that differs is a problem.
 *
 * The hierarchy is checked for cycles with Kahn's algorithm over the points
 * (in id order, indexed by binary search), O(E log N) time and O(N) memory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "store_internal.h"

typedef struct vctx {
    hyp_store *s;
    MDB_txn *txn;
    void (*report)(void *, const char *);
    void *ctx;
    size_t max_reports;
    uint64_t problems;
    uint64_t *ids;    /* every point id, ascending */
    size_t n;
} vctx;

static void problem(vctx *v, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void problem(vctx *v, const char *fmt, ...)
{
    v->problems++;
    if (v->report == NULL || (v->max_reports && v->problems > v->max_reports))
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    v->report(v->ctx, msg);
}

/* A stored digest of the hash tree that differs (hash.c). */
static void hash_problem(void *ctx, const char *msg)
{
    problem(ctx, "%s", msg);
}

static long find_index(const vctx *v, uint64_t id)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < v->n && v->ids[lo] == id ? (long)lo : -1;
}

static int has_entry(vctx *v, enum store_db db, const unsigned char *key, size_t klen,
                     MDB_val *out)
{
    MDB_val k = { klen, (void *)key };
    return mdb_get(v->txn, v->s->dbi[db], &k, out) == MDB_SUCCESS;
}

static int check_points(vctx *v, uint64_t next_id)
{
    hyp_store *s = v->s;
    MDB_cursor *c;
    MDB_val k, d, l;
    size_t cap = 0;
    void *x = malloc(repr_scratch_bytes(s));
    int rc;

    if (x == NULL)
        return ENOMEM;
    if ((rc = mdb_cursor_open(v->txn, s->dbi[DB_POINTS], &c)) != MDB_SUCCESS) {
        free(x);
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    }
    for (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST); rc == MDB_SUCCESS;
         rc = mdb_cursor_get(c, &k, &d, MDB_NEXT)) {
        if (k.mv_size != 8) {
            problem(v, "points: key of %zu bytes", k.mv_size);
            continue;
        }
        uint64_t id = get_be64(k.mv_data);
        if (v->n == cap) {
            cap = cap ? cap * 2 : 1024;
            uint64_t *t = realloc(v->ids, cap * sizeof *t);
            if (t == NULL) {
                rc = ENOMEM;
                break;
            }
            v->ids = t;
        }
        v->ids[v->n++] = id;
        if (id >= next_id)
            problem(v, "point %llu: id not below next_id %llu", (unsigned long long)id,
                    (unsigned long long)next_id);
        if (d.mv_size != s->point_bytes) {
            problem(v, "point %llu: %zu bytes, expected %zu", (unsigned long long)id,
                    d.mv_size, s->point_bytes);
        } else {
            int pc = repr_check(s, d.mv_data, x);
            if (pc != HYP_OK)
                problem(v, "point %llu: %s", (unsigned long long)id, hyp_strerror(pc));
        }
        if (!has_entry(v, DB_ID2LABEL, k.mv_data, 8, &l))
            problem(v, "point %llu has no label", (unsigned long long)id);
    }
    mdb_cursor_close(c);
    free(x);
    return rc == MDB_NOTFOUND ? HYP_OK : rc == ENOMEM ? rc : store_lmdb_error(s, rc, "points");
}

static int check_labels(vctx *v)
{
    hyp_store *s = v->s;
    MDB_cursor *c;
    MDB_val k, d, back;
    MDB_stat a, b;
    int rc;

    /* id2label: each label valid, mapped back to its id, with a point. */
    if ((rc = mdb_cursor_open(v->txn, s->dbi[DB_ID2LABEL], &c)) != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    for (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST); rc == MDB_SUCCESS;
         rc = mdb_cursor_get(c, &k, &d, MDB_NEXT)) {
        uint64_t id = k.mv_size == 8 ? get_be64(k.mv_data) : UINT64_MAX;
        if (hyp_label_check(d.mv_data, d.mv_size) != HYP_OK)
            problem(v, "id %llu: invalid label", (unsigned long long)id);
        if (!has_entry(v, DB_LABEL2ID, d.mv_data, d.mv_size, &back) || back.mv_size != 8 ||
            memcmp(back.mv_data, k.mv_data, 8) != 0)
            problem(v, "id %llu: label '%.*s' does not map back to it", (unsigned long long)id,
                    (int)d.mv_size, (const char *)d.mv_data);
        if (find_index(v, id) < 0)
            problem(v, "id %llu has a label but no point", (unsigned long long)id);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return store_lmdb_error(s, rc, "id2label");

    /* label2id: each id mapped back to the label. */
    if ((rc = mdb_cursor_open(v->txn, s->dbi[DB_LABEL2ID], &c)) != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    for (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST); rc == MDB_SUCCESS;
         rc = mdb_cursor_get(c, &k, &d, MDB_NEXT)) {
        if (d.mv_size != 8 || !has_entry(v, DB_ID2LABEL, d.mv_data, 8, &back) ||
            back.mv_size != k.mv_size || memcmp(back.mv_data, k.mv_data, k.mv_size) != 0)
            problem(v, "label '%.*s' does not map to an id that maps back", (int)k.mv_size,
                    (const char *)k.mv_data);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return store_lmdb_error(s, rc, "label2id");
    mdb_stat(v->txn, s->dbi[DB_LABEL2ID], &a);
    mdb_stat(v->txn, s->dbi[DB_ID2LABEL], &b);
    if (a.ms_entries != b.ms_entries || a.ms_entries != v->n)
        problem(v, "counts differ: %zu points, %zu labels, %zu ids with labels", v->n,
                a.ms_entries, b.ms_entries);
    return HYP_OK;
}

/* Every edge of db (from -> to) joins two points and is mirrored in the other
 * database; counts[i] (if non-NULL) gets the number of parents of point i. */
static int check_edges(vctx *v, enum store_db db, enum store_db mirror, uint32_t *counts)
{
    hyp_store *s = v->s;
    MDB_cursor *c;
    MDB_val k, d;
    int rc;

    if ((rc = mdb_cursor_open(v->txn, s->dbi[db], &c)) != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    for (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST); rc == MDB_SUCCESS;
         rc = mdb_cursor_get(c, &k, &d, MDB_NEXT)) {
        uint64_t a = get_be64(k.mv_data), b = get_be64(d.mv_data);
        long ia = find_index(v, a), ib = find_index(v, b);
        const char *what = db == DB_PARENTS ? "parent" : "child";
        if (ia < 0 || ib < 0)
            problem(v, "edge %llu -> %s %llu: no such point", (unsigned long long)a, what,
                    (unsigned long long)b);
        else if (counts)
            counts[ia]++;
        MDB_val mk = { 8, d.mv_data }, mv = { 8, k.mv_data };
        MDB_cursor *m;
        if (mdb_cursor_open(v->txn, s->dbi[mirror], &m) == MDB_SUCCESS) {
            if (mdb_cursor_get(m, &mk, &mv, MDB_GET_BOTH) != MDB_SUCCESS)
                problem(v, "edge %llu -> %s %llu is not mirrored", (unsigned long long)a, what,
                        (unsigned long long)b);
            mdb_cursor_close(m);
        }
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? HYP_OK : store_lmdb_error(s, rc, "edges");
}

/* Kahn: repeatedly remove points whose parents are all removed. */
static int check_acyclic(vctx *v)
{
    hyp_store *s = v->s;
    uint32_t *left = calloc(v->n ? v->n : 1, sizeof *left);
    size_t *queue = malloc((v->n ? v->n : 1) * sizeof *queue);
    size_t head = 0, tail = 0;
    MDB_cursor *c = NULL;
    int rc = HYP_OK;

    if (left == NULL || queue == NULL) {
        rc = ENOMEM;
        goto out;
    }
    if ((rc = check_edges(v, DB_PARENTS, DB_CHILDREN, left)) != HYP_OK ||
        (rc = check_edges(v, DB_CHILDREN, DB_PARENTS, NULL)) != HYP_OK)
        goto out;
    for (size_t i = 0; i < v->n; i++)
        if (left[i] == 0)
            queue[tail++] = i;
    if ((rc = mdb_cursor_open(v->txn, s->dbi[DB_CHILDREN], &c)) != MDB_SUCCESS) {
        rc = store_lmdb_error(s, rc, "mdb_cursor_open");
        goto out;
    }
    while (head < tail) {
        unsigned char key[8];
        MDB_val k = { 8, key }, d;
        put_be64(key, v->ids[queue[head++]]);
        int g = mdb_cursor_get(c, &k, &d, MDB_SET_KEY);
        while (g == MDB_SUCCESS) {
            long j = find_index(v, get_be64(d.mv_data));
            if (j >= 0 && left[j] > 0 && --left[j] == 0)
                queue[tail++] = (size_t)j;
            g = mdb_cursor_get(c, &k, &d, MDB_NEXT_DUP);
        }
    }
    if (tail < v->n)
        problem(v, "the hierarchy has a cycle through %zu point%s", v->n - tail,
                v->n - tail == 1 ? "" : "s");
    rc = HYP_OK;
out:
    if (c)
        mdb_cursor_close(c);
    free(left);
    free(queue);
    return rc;
}

static int check_log(vctx *v, uint64_t last_seq, const unsigned char *last_hash)
{
    hyp_store *s = v->s;
    MDB_cursor *c;
    MDB_val k, d;
    uint64_t expect = 1;
    hyp_log_entry e, last = { 0 };
    char note[256];
    int rc;

    if ((rc = mdb_cursor_open(v->txn, s->dbi[DB_LOG], &c)) != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    for (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST); rc == MDB_SUCCESS;
         rc = mdb_cursor_get(c, &k, &d, MDB_NEXT), expect++) {
        const unsigned char *ops;
        size_t ops_len;
        uint64_t nops;
        uint64_t seq = k.mv_size == 8 ? get_be64(k.mv_data) : 0;
        if (seq != expect) {
            problem(v, "log: entry %llu where %llu was expected", (unsigned long long)seq,
                    (unsigned long long)expect);
            expect = seq;
        }
        if (log_decode(&d, &e, note, sizeof note, &ops, &ops_len) != 0 || e.seq != seq) {
            problem(v, "log: entry %llu cannot be decoded", (unsigned long long)seq);
            continue;
        }
        if (s->log_mode == HYP_LOG_FULL &&
            (ops_check(ops, ops_len, s->point_bytes, &nops) != 0 || nops != e.ops))
            problem(v, "log: entry %llu: malformed operations", (unsigned long long)seq);
        last = e;
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return store_lmdb_error(s, rc, "log");
    if (last.seq != last_seq)
        problem(v, "log ends at %llu but the metadata says %llu", (unsigned long long)last.seq,
                (unsigned long long)last_seq);
    if (last_seq > 0 && memcmp(last.hash, last_hash, HYP_HASH_SIZE) != 0)
        problem(v, "log: last hash differs from the metadata's");
    if (last_seq > 0 && last.count != v->n)
        problem(v, "log: last entry counts %llu points, the store has %zu",
                (unsigned long long)last.count, v->n);
    return HYP_OK;
}

int hyp_store_verify(hyp_store *s, void (*report)(void *ctx, const char *msg), void *ctx,
                     size_t max_reports, uint64_t *problems)
{
    vctx v = { .s = s, .report = report, .ctx = ctx, .max_reports = max_reports };
    uint64_t next_id = 0, last_seq = 0;
    unsigned char last_hash[HYP_HASH_SIZE] = { 0 }, now[HYP_HASH_SIZE];
    MDB_val h;
    int rc;

    if ((rc = store_txn_begin(s, MDB_RDONLY, &v.txn)) != HYP_OK)
        return rc;
    hyp_store copy = *s; /* meta_load writes what it reads: check on a copy */
    if ((rc = meta_load(&copy, v.txn)) != HYP_OK)
        problem(&v, "metadata: %s", copy.errmsg);
    if (meta_get_u64(s, v.txn, META_NEXT_ID, &next_id) != HYP_OK)
        problem(&v, "metadata: next_id missing or malformed");
    if (meta_get_u64(s, v.txn, META_LAST_SEQ, &last_seq) != HYP_OK)
        problem(&v, "metadata: last_seq missing or malformed");
    if (meta_get_bytes(s, v.txn, META_LAST_HASH, &h) != HYP_OK || h.mv_size != HYP_HASH_SIZE)
        problem(&v, "metadata: last_hash missing or malformed");
    else
        memcpy(last_hash, h.mv_data, HYP_HASH_SIZE);

    if ((rc = check_points(&v, next_id)) == HYP_OK && (rc = check_labels(&v)) == HYP_OK &&
        (rc = check_acyclic(&v)) == HYP_OK && (rc = check_log(&v, last_seq, last_hash)) == HYP_OK) {
        /* Every record, bucket and group digest recomputed from the content
         * and compared with the stored ones; then the top. */
        int hr = state_hash_full(s, v.txn, now, hash_problem, &v);
        if (hr == HYP_ECORRUPT)
            problem(&v, "state hash: %s", s->errmsg);
        else if (hr != HYP_OK)
            rc = hr;
        else if (memcmp(now, last_hash, HYP_HASH_SIZE) != 0)
            problem(&v, "the content's state hash differs from the one recorded at the last commit");
    }
    store_txn_abort(s, v.txn);
    free(v.ids);
    if (problems)
        *problems = v.problems;
    if (rc != HYP_OK)
        return rc;
    return v.problems ? HYP_ECORRUPT : HYP_OK;
}
