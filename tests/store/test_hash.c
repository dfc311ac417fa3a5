/*
 * test_hash.c — the incremental state hash (store/hash.c, format 2) on real
 * LMDB environments: the hash a commit keeps equals the one recomputed from
 * scratch and depends on the content only, however many batches and detours
 * made it; buckets emptied by deletes leave no trace; verify finds a damaged
 * digest of the tree.  Damage is made with LMDB's own API after the handle
 * is closed, as a foreign writer would.
 */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <lmdb.h>

#include "hyp_store.h"

static char tmp_root[256];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static int setup_tmp(void **state)
{
    (void)state;
    snprintf(tmp_root, sizeof tmp_root, "/tmp/hyp_hash_test_XXXXXX");
    return mkdtemp(tmp_root) == NULL ? -1 : 0;
}

static int teardown_tmp(void **state)
{
    (void)state;
    nftw(tmp_root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static const char *path_of(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmp_root, name);
    return buf[k];
}

#define check_rc(expr, want)                                                                \
    do {                                                                                    \
        int rc_ = (expr);                                                                   \
        if (rc_ != (want))                                                                  \
            fail_msg("%s: got %d (%s), want %d (%s)", #expr, rc_, hyp_strerror(rc_), (want), \
                     hyp_strerror(want));                                                   \
    } while (0)

static hyp_store *make_store(const char *name)
{
    hyp_store_config cfg = { .model = HYP_POINCARE, .dim = 2, .map_size = 64 << 10 };
    hyp_store *s = NULL;
    int rc = hyp_store_create(path_of(name), &cfg, &s);
    if (rc != HYP_OK)
        fail_msg("create %s: %s (%s)", name, hyp_strerror(rc), hyp_store_errmsg(s));
    return s;
}

/* The content of the tests: N points, point i > 0 under parent i / 2 and,
 * for i divisible by 3, also under i / 3 (a DAG). */
#define N 600

static void label_of(int i, char *out)
{
    snprintf(out, 16, "n%d", i);
}

static void coords_of(int i, double *x, int variant)
{
    x[0] = 0.9 * (i % 37) / 37.0 - 0.45 + variant * 0.01;
    x[1] = 0.9 * (i % 41) / 41.0 - 0.45;
}

static void put(hyp_batch *b, int i, int variant, unsigned flags)
{
    char l[16];
    double x[2];
    label_of(i, l);
    coords_of(i, x, variant);
    check_rc(hyp_batch_put(b, l, strlen(l), x, flags, NULL), HYP_OK);
}

static void edge(hyp_batch *b, int c, int p)
{
    char lc[16], lp[16];
    label_of(c, lc);
    label_of(p, lp);
    check_rc(hyp_batch_edge_add(b, lc, strlen(lc), lp, strlen(lp)), HYP_OK);
}

/* The hash a commit recorded and the one recomputed from the content agree;
 * verify passes; *h gets the hash. */
static void consistent_hash(hyp_store *s, unsigned char *h)
{
    hyp_store_info info;
    uint64_t problems = 99;
    check_rc(hyp_store_get_info(s, &info), HYP_OK);
    check_rc(hyp_store_hash(s, h), HYP_OK);
    assert_memory_equal(info.hash, h, HYP_HASH_SIZE);
    int rc = hyp_store_verify(s, NULL, NULL, 0, &problems);
    if (rc != HYP_OK || problems != 0)
        fail_msg("verify: %s, %llu problems", hyp_strerror(rc), (unsigned long long)problems);
}

static void build_at_once(hyp_store *s)
{
    hyp_batch *b;
    check_rc(hyp_batch_begin(s, &b), HYP_OK);
    for (int i = 0; i < N; i++)
        put(b, i, 0, 0);
    for (int i = 1; i < N; i++) {
        edge(b, i, i / 2);
        if (i % 3 == 0 && i / 3 != i / 2)
            edge(b, i, i / 3);
    }
    check_rc(hyp_batch_commit(b, NULL, NULL), HYP_OK);
}

/* The same content through hundreds of one-operation batches in another
 * order, with detours: wrong coordinates fixed by upserts, extra points and
 * edges added and removed again.  The tiny map makes several of them grow
 * it (re-applying the batch). */
static void test_many_small_batches(void **state)
{
    (void)state;
    hyp_store *a = make_store("a"), *b = make_store("b");
    unsigned char ha[HYP_HASH_SIZE], hb[HYP_HASH_SIZE];
    hyp_batch *t;
    uint64_t seq = 0;

    build_at_once(a);
    consistent_hash(a, ha);

    /* Points in reverse order, every fifth with wrong coordinates. */
    for (int i = N - 1; i >= 0; i--) {
        check_rc(hyp_batch_begin(b, &t), HYP_OK);
        put(t, i, i % 5 == 0, 0);
        check_rc(hyp_batch_commit(t, &seq, NULL), HYP_OK);
    }
    /* Edges, each in its own batch, with a temporary extra parent. */
    check_rc(hyp_batch_begin(b, &t), HYP_OK);
    check_rc(hyp_batch_put(t, "tmp", 3, (double[]){ 0.1, 0.2 }, 0, NULL), HYP_OK);
    check_rc(hyp_batch_commit(t, NULL, NULL), HYP_OK);
    for (int i = N - 1; i >= 1; i--) {
        check_rc(hyp_batch_begin(b, &t), HYP_OK);
        edge(t, i, i / 2);
        if (i % 3 == 0 && i / 3 != i / 2)
            edge(t, i, i / 3);
        if (i % 7 == 0) {
            char l[16];
            label_of(i, l);
            check_rc(hyp_batch_edge_add(t, l, strlen(l), "tmp", 3), HYP_OK);
        }
        check_rc(hyp_batch_commit(t, NULL, NULL), HYP_OK);
    }
    /* The fixes: upserts, one batch each, then the extra point goes and
     * takes its edges along (every child of it changes its record). */
    for (int i = 0; i < N; i += 5) {
        check_rc(hyp_batch_begin(b, &t), HYP_OK);
        put(t, i, 0, HYP_PUT_UPSERT);
        check_rc(hyp_batch_commit(t, NULL, NULL), HYP_OK);
    }
    check_rc(hyp_batch_begin(b, &t), HYP_OK);
    check_rc(hyp_batch_delete(t, "tmp", 3), HYP_OK);
    check_rc(hyp_batch_commit(t, &seq, NULL), HYP_OK);
    assert_true(seq > N);
    consistent_hash(b, hb);
    assert_memory_equal(ha, hb, HYP_HASH_SIZE);

    /* Inside one batch too: insert, upsert, delete, insert again. */
    check_rc(hyp_batch_begin(b, &t), HYP_OK);
    check_rc(hyp_batch_put(t, "x", 1, (double[]){ 0.3, 0.3 }, 0, NULL), HYP_OK);
    check_rc(hyp_batch_put(t, "x", 1, (double[]){ 0.3, 0.3 }, 0, NULL), HYP_EEXISTS);
    check_rc(hyp_batch_put(t, "x", 1, (double[]){ 0.2, 0.3 }, HYP_PUT_UPSERT, NULL), HYP_OK);
    check_rc(hyp_batch_delete(t, "x", 1), HYP_OK);
    check_rc(hyp_batch_put(t, "x", 1, (double[]){ 0.3, 0.3 }, 0, NULL), HYP_OK);
    check_rc(hyp_batch_delete(t, "x", 1), HYP_OK);
    check_rc(hyp_batch_commit(t, NULL, NULL), HYP_OK);
    consistent_hash(b, hb);
    assert_memory_equal(ha, hb, HYP_HASH_SIZE);
    hyp_store_close(a);
    hyp_store_close(b);
}

/* Labels for the large-batch test: short ones ("m17"), chains of prefixes
 * ("ppp...", one to 90 bytes: each sorts before the next), and long ones
 * that share 100 bytes and differ after (past the label sort's radix
 * depth), in an order that is none of these. */
#define BIG 9000
static void big_label(int i, char *out)
{
    int k = (i * 7919) % BIG; /* a permutation of 0..BIG-1 */
    if (k < 90) {
        memset(out, 'p', (size_t)k + 1);
        out[k + 1] = '\0';
    } else if (k < 1090) {
        memset(out, 'q', 100);
        snprintf(out + 100, 32, "%d", k);
    } else {
        snprintf(out, 32, "m%d", k);
    }
}

static void big_put(hyp_batch *b, int i, int variant, unsigned flags, int want)
{
    char l[160];
    double x[2] = { 0.9 * (i % 53) / 53.0 - 0.45 + variant * 0.001, 0.9 * (i % 59) / 59.0 - 0.45 };
    big_label(i, l);
    check_rc(hyp_batch_put(b, l, strlen(l), x, flags, NULL), want);
}

/* A batch of thousands of new labels (a flush large enough for its second
 * thread: pending.c), in a map that has to grow several times under it,
 * gives the store that hundreds of small batches give; duplicates are
 * still refused at once; a second large batch into a store that already
 * holds labels on both sides of the new ones (no append) agrees too. */
static void test_large_batches(void **state)
{
    (void)state;
    hyp_store *a = make_store("big_a"), *b = make_store("big_b");
    unsigned char ha[HYP_HASH_SIZE], hb[HYP_HASH_SIZE];
    hyp_batch *t;
    hyp_read *r;

    /* a: the first half at once (wrong coordinates for every 11th, fixed
     * by upserts of pending points inside the batch), then the second half
     * at once. */
    check_rc(hyp_batch_begin(a, &t), HYP_OK);
    for (int i = 0; i < BIG; i += 2)
        big_put(t, i, i % 11 == 0, 0, HYP_OK);
    big_put(t, 4, 0, 0, HYP_EEXISTS);
    for (int i = 0; i < BIG; i += 22)
        big_put(t, i, 0, HYP_PUT_UPSERT, HYP_OK);
    for (int i = 22 * 3; i < BIG; i += 2) /* pending again after the upserts' flush */
        if (i % 22 != 0)
            big_put(t, i, 0, 0, HYP_EEXISTS);
    check_rc(hyp_batch_commit(t, NULL, NULL), HYP_OK);
    check_rc(hyp_batch_begin(a, &t), HYP_OK);
    for (int i = 1; i < BIG; i += 2)
        big_put(t, i, 0, 0, HYP_OK);
    big_put(t, 7, 0, 0, HYP_EEXISTS);
    big_put(t, 8, 0, 0, HYP_EEXISTS);
    check_rc(hyp_batch_commit(t, NULL, NULL), HYP_OK);
    consistent_hash(a, ha);

    /* b: batches of 100, backwards. */
    for (int i = BIG - 1; i >= 0;) {
        check_rc(hyp_batch_begin(b, &t), HYP_OK);
        for (int k = 0; k < 100 && i >= 0; k++, i--)
            big_put(t, i, 0, 0, HYP_OK);
        check_rc(hyp_batch_commit(t, NULL, NULL), HYP_OK);
    }
    consistent_hash(b, hb);
    assert_memory_equal(ha, hb, HYP_HASH_SIZE);

    /* Every label finds its point, in both. */
    hyp_store *both[2] = { a, b };
    for (int s = 0; s < 2; s++) {
        check_rc(hyp_read_begin(both[s], &r), HYP_OK);
        for (int i = 0; i < BIG; i++) {
            char l[160];
            uint64_t id;
            double x[2];
            big_label(i, l);
            check_rc(hyp_read_find(r, l, strlen(l), &id), HYP_OK);
            check_rc(hyp_read_point_f64(r, id, x), HYP_OK);
            assert_true(x[0] == 0.9 * (i % 53) / 53.0 - 0.45);
        }
        hyp_read_end(r);
    }
    hyp_store_close(a);
    hyp_store_close(b);
}

static size_t entries(const char *store, const char *db)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_stat st;
    assert_int_equal(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 16);
    assert_int_equal(mdb_env_open(env, path_of(store), MDB_RDONLY, 0644), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, db, 0, &dbi), 0);
    assert_int_equal(mdb_stat(txn, dbi, &st), 0);
    mdb_txn_abort(txn);
    mdb_env_close(env);
    return st.ms_entries;
}

/* Deleting points empties their buckets (and groups): the stored tree has
 * no entry for them, and the hash is that of a store that never held them,
 * down to the empty store's. */
static void test_deletes_empty_buckets(void **state)
{
    (void)state;
    hyp_store *s = make_store("d"), *e = make_store("e"), *one = make_store("one");
    unsigned char empty[HYP_HASH_SIZE], h[HYP_HASH_SIZE], h1[HYP_HASH_SIZE];
    hyp_batch *t;

    consistent_hash(e, empty);
    check_rc(hyp_batch_begin(one, &t), HYP_OK);
    put(t, 7, 0, 0);
    check_rc(hyp_batch_commit(t, NULL, NULL), HYP_OK);
    consistent_hash(one, h1);

    build_at_once(s);
    hyp_store_close(s);
    assert_int_equal(entries("d", "records"), N);
    size_t buckets = entries("d", "buckets"), groups = entries("d", "groups");
    /* 600 uniform digests: nearly one bucket each, about 231 of 256 groups */
    assert_true(buckets > N / 2 && buckets <= N);
    assert_true(groups > 150 && groups <= 256);
    check_rc(hyp_store_open(path_of("d"), 0, &s), HYP_OK);

    /* Everything but n7, in batches of 50 from the leaves up. */
    for (int i = N - 1; i >= 0;) {
        check_rc(hyp_batch_begin(s, &t), HYP_OK);
        for (int k = 0; k < 50 && i >= 0; k++, i--) {
            char l[16];
            label_of(i, l);
            if (i != 7)
                check_rc(hyp_batch_delete(t, l, strlen(l)), HYP_OK);
        }
        check_rc(hyp_batch_commit(t, NULL, NULL), HYP_OK);
    }
    consistent_hash(s, h);
    assert_memory_equal(h, h1, HYP_HASH_SIZE);
    hyp_store_close(s);
    assert_int_equal(entries("d", "records"), 1);
    assert_int_equal(entries("d", "buckets"), 1);
    assert_int_equal(entries("d", "groups"), 1);

    check_rc(hyp_store_open(path_of("d"), 0, &s), HYP_OK);
    check_rc(hyp_batch_begin(s, &t), HYP_OK);
    check_rc(hyp_batch_delete(t, "n7", 2), HYP_OK);
    check_rc(hyp_batch_commit(t, NULL, NULL), HYP_OK);
    consistent_hash(s, h);
    assert_memory_equal(h, empty, HYP_HASH_SIZE);
    hyp_store_close(s);
    assert_int_equal(entries("d", "records"), 0);
    assert_int_equal(entries("d", "buckets"), 0);
    assert_int_equal(entries("d", "groups"), 0);
    hyp_store_close(e);
    hyp_store_close(one);
}

/* Damages db's first entry with LMDB: flip: one bit of its 32-byte value
 * flipped; otherwise the entry deleted. */
static void damage(const char *store, const char *db, int flip)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_cursor *c;
    MDB_val k, v;
    unsigned char copy[64];
    assert_int_equal(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 16);
    mdb_env_set_mapsize(env, 64 << 20); /* the store grew past LMDB's default */
    assert_int_equal(mdb_env_open(env, path_of(store), 0, 0644), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, db, 0, &dbi), 0);
    assert_int_equal(mdb_cursor_open(txn, dbi, &c), 0);
    assert_int_equal(mdb_cursor_get(c, &k, &v, MDB_FIRST), 0);
    if (flip) {
        assert_int_equal(v.mv_size, 32);
        memcpy(copy, v.mv_data, 32);
        copy[5] ^= 0x10;
        MDB_val nv = { 32, copy };
        assert_int_equal(mdb_cursor_put(c, &k, &nv, MDB_CURRENT), 0);
    } else {
        assert_int_equal(mdb_cursor_del(c, 0), 0);
    }
    mdb_cursor_close(c);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

struct reports {
    int bucket, group, record;
};

static void collect(void *ctx, const char *msg)
{
    struct reports *r = ctx;
    r->bucket += strstr(msg, "bucket") != NULL;
    r->group += strstr(msg, "group") != NULL;
    r->record += strstr(msg, "record digest") != NULL;
}

static void verify_reports(const char *store, struct reports *r)
{
    hyp_store *s;
    uint64_t problems = 0;
    memset(r, 0, sizeof *r);
    check_rc(hyp_store_open(path_of(store), HYP_STORE_RDONLY, &s), HYP_OK);
    check_rc(hyp_store_verify(s, collect, r, 0, &problems), HYP_ECORRUPT);
    assert_true(problems >= 1);
    hyp_store_close(s);
}

/* verify recomputes the tree from the content and names what differs. */
static void test_verify_finds_bad_digests(void **state)
{
    (void)state;
    struct reports r;
    hyp_store *s = make_store("v");
    build_at_once(s);
    hyp_store_close(s);
    damage("v", "buckets", 1);
    verify_reports("v", &r);
    assert_int_equal(r.bucket, 1);

    s = make_store("w");
    build_at_once(s);
    hyp_store_close(s);
    damage("w", "groups", 1);
    verify_reports("w", &r);
    assert_int_equal(r.group, 1);

    s = make_store("x");
    build_at_once(s);
    hyp_store_close(s);
    damage("x", "records", 0);
    verify_reports("x", &r);
    assert_int_equal(r.record, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_many_small_batches, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_large_batches, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_deletes_empty_buckets, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_verify_finds_bad_digests, setup_tmp, teardown_tmp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
