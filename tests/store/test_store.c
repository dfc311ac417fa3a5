/*
 * test_store.c — unit tests of the store API (store/hyp_store.h) on real
 * LMDB environments in temporary directories.  Where a test needs a damaged
 * or future store, it edits the environment with LMDB's own API after the
 * store handle is closed, exactly as a foreign writer or a newer library
 * would.
 */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <lmdb.h>

#include "hyp_fixed.h"
#include "hyp_store.h"

/* ---- helpers ---- */

static char tmp_root[256];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static int setup_tmp(void **state)
{
    (void)state;
    snprintf(tmp_root, sizeof tmp_root, "/tmp/hyp_store_test_XXXXXX");
    if (mkdtemp(tmp_root) == NULL)
        return -1;
    return 0;
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

static hyp_store *make_store(const char *name, hyp_model model, size_t dim, hyp_log_mode log,
                             size_t map)
{
    hyp_store_config cfg = { .model = model, .dim = dim, .log_mode = log, .map_size = map };
    hyp_store *s = NULL;
    int rc = hyp_store_create(path_of(name), &cfg, &s);
    if (rc != HYP_OK)
        fail_msg("create %s: %s (%s)", name, hyp_strerror(rc), hyp_store_errmsg(s));
    return s;
}

static void put(hyp_batch *b, const char *label, double x, double y)
{
    double p[2] = { x, y };
    check_rc(hyp_batch_put(b, label, strlen(label), p, 0, NULL), HYP_OK);
}

static void edge(hyp_batch *b, const char *c, const char *p)
{
    check_rc(hyp_batch_edge_add(b, c, strlen(c), p, strlen(p)), HYP_OK);
}

static void commit(hyp_batch *b)
{
    check_rc(hyp_batch_commit(b, NULL, NULL), HYP_OK);
}

static void assert_verifies(hyp_store *s)
{
    uint64_t problems = 99;
    int rc = hyp_store_verify(s, NULL, NULL, 0, &problems);
    if (rc != HYP_OK || problems != 0)
        fail_msg("verify: %s, %llu problems (%s)", hyp_strerror(rc),
                 (unsigned long long)problems, hyp_store_errmsg(s));
}

static void get_hash(hyp_store *s, unsigned char *h)
{
    check_rc(hyp_store_hash(s, h), HYP_OK);
}

/* ---- tests ---- */

static void test_create_open_info(void **state)
{
    (void)state;
    hyp_store *s = make_store("a", HYP_POINCARE, 2, HYP_LOG_HASHES, 0);
    hyp_store_info info;
    hyp_batch *b;

    check_rc(hyp_store_get_info(s, &info), HYP_OK);
    assert_int_equal(info.model, HYP_POINCARE);
    assert_int_equal(info.dim, 2);
    assert_int_equal(info.width, 2);
    assert_int_equal(info.repr, HYP_REPR_F64);
    assert_true(info.curvature == -1.0);
    assert_int_equal(info.count, 0);
    assert_int_equal(info.last_seq, 0);
    unsigned char h[HYP_HASH_SIZE];
    get_hash(s, h);
    assert_memory_equal(h, info.hash, HYP_HASH_SIZE);

    check_rc(hyp_batch_begin(s, &b), HYP_OK);
    hyp_batch *b2 = (hyp_batch *)1;
    check_rc(hyp_batch_begin(s, &b2), HYP_EBUSY); /* one batch per handle */
    assert_null(b2);
    put(b, "root", 0, 0);
    put(b, "leaf", 0.5, -0.25);
    uint64_t seq = 0;
    check_rc(hyp_batch_commit(b, &seq, h), HYP_OK);
    assert_int_equal(seq, 1);
    hyp_store_close(s);

    /* Creating again over it is refused. */
    hyp_store_config cfg = { .model = HYP_POINCARE, .dim = 2 };
    s = NULL;
    check_rc(hyp_store_create(path_of("a"), &cfg, &s), HYP_EEXISTS);
    hyp_store_close(s);

    check_rc(hyp_store_open(path_of("a"), HYP_STORE_RDONLY, &s), HYP_OK);
    check_rc(hyp_store_get_info(s, &info), HYP_OK);
    assert_int_equal(info.count, 2);
    assert_int_equal(info.last_seq, 1);
    assert_memory_equal(h, info.hash, HYP_HASH_SIZE);
    check_rc(hyp_batch_begin(s, &b), HYP_EREADONLY);
    assert_verifies(s);
    hyp_store_close(s);

    /* Nothing there; a directory without a store; NULL close. */
    check_rc(hyp_store_open(path_of("missing"), 0, &s), ENOENT);
    hyp_store_close(s);
    assert_int_equal(mkdir(path_of("empty"), 0755), 0);
    check_rc(hyp_store_open(path_of("empty"), 0, &s), HYP_ENOTSTORE);
    hyp_store_close(s);
    hyp_store_close(NULL);
}

static void test_bad_config(void **state)
{
    (void)state;
    hyp_store *s = NULL;
    hyp_store_config cfg = { .model = HYP_POINCARE, .dim = 0 };
    check_rc(hyp_store_create(path_of("c1"), &cfg, &s), HYP_EDIM);
    hyp_store_close(s);
    cfg.dim = 3;
    cfg.model = (hyp_model)9;
    check_rc(hyp_store_create(path_of("c2"), &cfg, &s), HYP_EMODEL);
    hyp_store_close(s);
    cfg.model = HYP_EUCLID;
    cfg.repr = HYP_REPR_Q64; /* fixed formats: Poincaré and Lorentz only */
    check_rc(hyp_store_create(path_of("c3"), &cfg, &s), HYP_EREPR);
    hyp_store_close(s);
    cfg.model = HYP_LORENTZ;
    cfg.repr = (hyp_repr)5;
    check_rc(hyp_store_create(path_of("c3b"), &cfg, &s), HYP_EREPR);
    hyp_store_close(s);
    cfg.repr = HYP_REPR_F64;
    cfg.curvature = 1.0;
    check_rc(hyp_store_create(path_of("c4"), &cfg, &s), HYP_ECURVATURE);
    hyp_store_close(s);
    cfg.curvature = NAN;
    check_rc(hyp_store_create(path_of("c5"), &cfg, &s), HYP_ECURVATURE);
    hyp_store_close(s);
}

static void test_points_bits_and_errors(void **state)
{
    (void)state;
    hyp_store *s = make_store("p", HYP_POINCARE, 3, HYP_LOG_HASHES, 0);
    hyp_batch *b;
    /* Bits that a decimal round trip could lose: -0, a subnormal, 1 - 2^-53. */
    double x[3] = { -0.0, 0x1p-1074, 0x1.fffffffffffffp-1 };
    double y[3] = { 0.1, 0.2, 0.3 };
    double bad[3] = { 0.9, 0.9, 0.9 };
    double nan3[3] = { 0, NAN, 0 };
    uint64_t id1, id2, id3;

    check_rc(hyp_batch_begin(s, &b), HYP_OK);
    check_rc(hyp_batch_put(b, "x", 1, x, 0, &id1), HYP_OK);
    check_rc(hyp_batch_put(b, "y", 1, y, 0, &id2), HYP_OK);
    assert_int_equal(id1, 0);
    assert_int_equal(id2, 1);
    /* Rejected operations change nothing and leave the batch usable. */
    check_rc(hyp_batch_put(b, "x", 1, y, 0, NULL), HYP_EEXISTS);
    check_rc(hyp_batch_put(b, "z", 1, bad, 0, NULL), HYP_EOUTSIDE);
    check_rc(hyp_batch_put(b, "z", 1, nan3, 0, NULL), HYP_ENONFINITE);
    check_rc(hyp_batch_put(b, "", 0, y, 0, NULL), HYP_ELABEL_LEN);
    check_rc(hyp_batch_put(b, "\xff", 1, y, 0, NULL), HYP_ELABEL_UTF8);
    check_rc(hyp_batch_delete(b, "nope", 4), HYP_ENOTFOUND);
    assert_int_equal(hyp_batch_size(b), 2);
    /* Upsert keeps the id. */
    check_rc(hyp_batch_put(b, "y", 1, x, HYP_PUT_UPSERT, &id3), HYP_OK);
    assert_int_equal(id3, id2);
    commit(b);

    hyp_read *r;
    const unsigned char *bytes;
    double got[3];
    uint64_t id;
    const char *label;
    size_t len;
    check_rc(hyp_read_begin(s, &r), HYP_OK);
    check_rc(hyp_read_find(r, "x", 1, &id), HYP_OK);
    assert_int_equal(id, id1);
    check_rc(hyp_read_point(r, id, &bytes), HYP_OK);
    /* The canonical encoding: little-endian binary64. */
    assert_int_equal(bytes[23], 0x3f);
    assert_int_equal(bytes[16], 0xff);
    assert_int_equal(bytes[7], 0x80); /* -0.0 */
    assert_int_equal(bytes[8], 0x01); /* smallest subnormal */
    check_rc(hyp_read_point_f64(r, id, got), HYP_OK);
    assert_memory_equal(got, x, sizeof x);
    check_rc(hyp_read_point_f64(r, id2, got), HYP_OK);
    assert_memory_equal(got, x, sizeof x); /* upserted */
    check_rc(hyp_read_label(r, id2, &label, &len), HYP_OK);
    assert_int_equal(len, 1);
    assert_memory_equal(label, "y", 1);
    check_rc(hyp_read_find(r, "z", 1, &id), HYP_ENOTFOUND);
    check_rc(hyp_read_point(r, 77, &bytes), HYP_ENOTFOUND);
    hyp_read_end(r);
    assert_verifies(s);

    /* Delete by id; the id is not reused. */
    check_rc(hyp_batch_begin(s, &b), HYP_OK);
    check_rc(hyp_batch_delete_id(b, id1), HYP_OK);
    check_rc(hyp_batch_delete_id(b, id1), HYP_ENOTFOUND);
    check_rc(hyp_batch_put(b, "x", 1, y, 0, &id), HYP_OK);
    assert_int_equal(id, 2);
    commit(b);
    assert_verifies(s);
    hyp_store_close(s);
}

static void test_labels(void **state)
{
    (void)state;
    char long_label[HYP_LABEL_MAX + 2];
    memset(long_label, 'a', sizeof long_label);
    check_rc(hyp_label_check(long_label, HYP_LABEL_MAX), HYP_OK);
    check_rc(hyp_label_check(long_label, HYP_LABEL_MAX + 1), HYP_ELABEL_LEN);
    check_rc(hyp_label_check("", 0), HYP_ELABEL_LEN);
    check_rc(hyp_label_check("caf\xc3\xa9", 5), HYP_OK);          /* é */
    check_rc(hyp_label_check("\xe2\x82\xac", 3), HYP_OK);         /* € */
    check_rc(hyp_label_check("\xf0\x9f\x98\x80", 4), HYP_OK);     /* U+1F600 */
    check_rc(hyp_label_check("\xf4\x8f\xbf\xbf", 4), HYP_OK);     /* U+10FFFF */
    check_rc(hyp_label_check("a\0b", 3), HYP_ELABEL_UTF8);        /* NUL */
    check_rc(hyp_label_check("a\tb", 3), HYP_ELABEL_UTF8);        /* TAB */
    check_rc(hyp_label_check("a\nb", 3), HYP_ELABEL_UTF8);        /* newline */
    check_rc(hyp_label_check("a\x7f", 2), HYP_ELABEL_UTF8);       /* DEL */
    check_rc(hyp_label_check("a b,\"c\"", 7), HYP_OK);           /* space, comma, quote */
    check_rc(hyp_label_check("\xc0\xaf", 2), HYP_ELABEL_UTF8);    /* overlong '/' */
    check_rc(hyp_label_check("\xe0\x80\xaf", 3), HYP_ELABEL_UTF8); /* overlong */
    check_rc(hyp_label_check("\xed\xa0\x80", 3), HYP_ELABEL_UTF8); /* surrogate */
    check_rc(hyp_label_check("\xf4\x90\x80\x80", 4), HYP_ELABEL_UTF8); /* > U+10FFFF */
    check_rc(hyp_label_check("\xc3", 1), HYP_ELABEL_UTF8);        /* truncated */
    check_rc(hyp_label_check("\x80", 1), HYP_ELABEL_UTF8);        /* lone continuation */
    check_rc(hyp_label_check("\xe2\x28\xa1", 3), HYP_ELABEL_UTF8); /* bad continuation */

    /* The longest label is storable. */
    hyp_store *s = make_store("l", HYP_EUCLID, 2, HYP_LOG_HASHES, 0);
    hyp_batch *b;
    double p[2] = { 3, 4 };
    check_rc(hyp_batch_begin(s, &b), HYP_OK);
    check_rc(hyp_batch_put(b, long_label, HYP_LABEL_MAX, p, 0, NULL), HYP_OK);
    commit(b);
    assert_verifies(s);
    hyp_store_close(s);
}

/* A 32 KiB map holds a few pages: thousands of points force many doublings,
 * both inside operations and at commit. */
static void test_map_growth(void **state)
{
    (void)state;
    hyp_store *s = make_store("g", HYP_POINCARE, 10, HYP_LOG_FULL, 32 << 10);
    hyp_store_info info;
    char label[32];
    double x[10];

    check_rc(hyp_store_get_info(s, &info), HYP_OK);
    uint64_t map0 = info.map_size;
    assert_true(map0 <= (64 << 10));
    for (int batch = 0; batch < 4; batch++) {
        hyp_batch *b;
        check_rc(hyp_batch_begin(s, &b), HYP_OK);
        for (int i = 0; i < 5000; i++) {
            int k = batch * 5000 + i;
            for (int j = 0; j < 10; j++)
                x[j] = ((k * 7 + j * 13) % 97) / 1000.0;
            snprintf(label, sizeof label, "point-%06d", k);
            check_rc(hyp_batch_put(b, label, strlen(label), x, 0, NULL), HYP_OK);
        }
        commit(b);
    }
    check_rc(hyp_store_get_info(s, &info), HYP_OK);
    assert_int_equal(info.count, 20000);
    assert_int_equal(info.last_seq, 4);
    assert_true(info.map_size >= 8 * map0);
    assert_verifies(s);
    /* Every point is there with its bits. */
    hyp_read *r;
    uint64_t id;
    double got[10];
    check_rc(hyp_read_begin(s, &r), HYP_OK);
    for (int k = 0; k < 20000; k += 997) {
        snprintf(label, sizeof label, "point-%06d", k);
        check_rc(hyp_read_find(r, label, strlen(label), &id), HYP_OK);
        check_rc(hyp_read_point_f64(r, id, got), HYP_OK);
        for (int j = 0; j < 10; j++)
            assert_true(got[j] == ((k * 7 + j * 13) % 97) / 1000.0);
    }
    hyp_read_end(r);
    hyp_store_close(s);

    /* The grown map persists: reopening sees everything. */
    check_rc(hyp_store_open(path_of("g"), 0, &s), HYP_OK);
    check_rc(hyp_store_get_info(s, &info), HYP_OK);
    assert_int_equal(info.count, 20000);
    hyp_store_close(s);
}

/* Rewrites one metadata value with LMDB directly. */
static void poke_meta(const char *path, const char *key, const void *val, size_t len)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_val k = { strlen(key), (void *)key }, v = { len, (void *)val };
    assert_int_equal(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 16);
    assert_int_equal(mdb_env_open(env, path, 0, 0644), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
    assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

/* hyp_store_reserve grows the map ahead of a bulk load, by doubling, and
 * refuses while a batch is open (growing would wait for its own txn). */
static void test_reserve(void **state)
{
    (void)state;
    hyp_store *s = make_store("rs", HYP_POINCARE, 2, HYP_LOG_HASHES, 32 << 10);
    hyp_store_info info;
    hyp_batch *b;

    check_rc(hyp_store_get_info(s, &info), HYP_OK);
    uint64_t map0 = info.map_size;
    check_rc(hyp_store_reserve(s, 1), HYP_OK);
    check_rc(hyp_store_get_info(s, &info), HYP_OK);
    assert_int_equal(info.map_size, map0); /* already fits */
    check_rc(hyp_store_reserve(s, 5u << 20), HYP_OK);
    check_rc(hyp_store_get_info(s, &info), HYP_OK);
    assert_true(info.map_size >= info.used_bytes + (5u << 20));
    assert_true(info.map_size < 2 * (info.used_bytes + (5u << 20)) + map0);
    assert_int_equal(info.map_size % map0, 0);
    check_rc(hyp_batch_begin(s, &b), HYP_OK);
    check_rc(hyp_store_reserve(s, 64u << 20), HYP_EBUSY);
    put(b, "a", 0.1, 0.2);
    commit(b);
    hyp_store_close(s);
}

static void test_version_refused(void **state)
{
    (void)state;
    hyp_store *s = make_store("v", HYP_LORENTZ, 2, HYP_LOG_HASHES, 0);
    hyp_store_close(s);
    assert_int_equal(HYP_STORE_FORMAT_VERSION, 2);
    unsigned char v3[4] = { 3, 0, 0, 0 };
    poke_meta(path_of("v"), "format_version", v3, 4);
    check_rc(hyp_store_open(path_of("v"), HYP_STORE_RDONLY, &s), HYP_EVERSION);
    assert_non_null(strstr(hyp_store_errmsg(s), "version 3 is newer"));
    hyp_store_close(s);
    unsigned char v0[4] = { 0, 0, 0, 0 };
    poke_meta(path_of("v"), "format_version", v0, 4);
    check_rc(hyp_store_open(path_of("v"), 0, &s), HYP_EVERSION);
    hyp_store_close(s);
    /* Version 1 (a state hash without its tree) is refused with a way out. */
    unsigned char v1[4] = { 1, 0, 0, 0 };
    poke_meta(path_of("v"), "format_version", v1, 4);
    check_rc(hyp_store_open(path_of("v"), 0, &s), HYP_EVERSION);
    assert_non_null(strstr(hyp_store_errmsg(s), "version 1 is older"));
    assert_non_null(strstr(hyp_store_errmsg(s), "import it again"));
    hyp_store_close(s);
    /* An unknown representation is refused too, never misread. */
    unsigned char v2[4] = { 2, 0, 0, 0 }, r9[4] = { 9, 0, 0, 0 };
    poke_meta(path_of("v"), "format_version", v2, 4);
    poke_meta(path_of("v"), "repr", r9, 4);
    check_rc(hyp_store_open(path_of("v"), 0, &s), HYP_EREPR);
    hyp_store_close(s);
}

static void build_family(hyp_store *s, int variant)
{
    hyp_batch *b;
    if (variant == 0) {
        check_rc(hyp_batch_begin(s, &b), HYP_OK);
        put(b, "animal", 0, 0);
        put(b, "mammal", 0.3, 0);
        put(b, "dog", 0.6, 0.1);
        put(b, "cat", 0.6, -0.1);
        edge(b, "mammal", "animal");
        edge(b, "dog", "mammal");
        edge(b, "cat", "mammal");
        edge(b, "dog", "animal");
        commit(b);
        return;
    }
    /* Another order, several batches, detours that are undone. */
    check_rc(hyp_batch_begin(s, &b), HYP_OK);
    put(b, "cat", 0.1, 0.1); /* wrong at first, fixed by an upsert below */
    put(b, "temp", 0.2, 0.2);
    put(b, "dog", 0.6, 0.1);
    commit(b);
    check_rc(hyp_batch_begin(s, &b), HYP_OK);
    put(b, "mammal", 0.3, 0);
    put(b, "animal", 0, 0);
    edge(b, "dog", "animal");
    edge(b, "temp", "dog");
    edge(b, "cat", "temp");
    double c[2] = { 0.6, -0.1 };
    check_rc(hyp_batch_put(b, "cat", 3, c, HYP_PUT_UPSERT, NULL), HYP_OK);
    commit(b);
    check_rc(hyp_batch_begin(s, &b), HYP_OK);
    check_rc(hyp_batch_delete(b, "temp", 4), HYP_OK); /* takes its two edges along */
    edge(b, "cat", "mammal");
    edge(b, "dog", "mammal");
    edge(b, "mammal", "animal");
    edge(b, "mammal", "animal"); /* again: no change */
    commit(b);
}

static void test_hash_history_independent(void **state)
{
    (void)state;
    hyp_store *a = make_store("h1", HYP_POINCARE, 2, HYP_LOG_HASHES, 0);
    hyp_store *b = make_store("h2", HYP_POINCARE, 2, HYP_LOG_FULL, 0);
    unsigned char ha[HYP_HASH_SIZE], hb[HYP_HASH_SIZE], empty[HYP_HASH_SIZE];
    hyp_store_info ia, ib;

    get_hash(a, empty);
    build_family(a, 0);
    build_family(b, 1);
    get_hash(a, ha);
    get_hash(b, hb);
    assert_memory_equal(ha, hb, HYP_HASH_SIZE);
    assert_memory_not_equal(ha, empty, HYP_HASH_SIZE);
    check_rc(hyp_store_get_info(a, &ia), HYP_OK);
    check_rc(hyp_store_get_info(b, &ib), HYP_OK);
    assert_memory_equal(ia.hash, ha, HYP_HASH_SIZE); /* the logged hash is the recomputed one */
    assert_int_equal(ia.last_seq, 1);
    assert_int_equal(ib.last_seq, 3);
    assert_int_equal(ib.edges, 4);
    assert_verifies(a);
    assert_verifies(b);

    /* One ulp in one coordinate changes the hash. */
    hyp_batch *t;
    double p[2] = { nextafter(0.6, 1), 0.1 };
    check_rc(hyp_batch_begin(a, &t), HYP_OK);
    check_rc(hyp_batch_put(t, "dog", 3, p, HYP_PUT_UPSERT, NULL), HYP_OK);
    commit(t);
    get_hash(a, ha);
    assert_memory_not_equal(ha, hb, HYP_HASH_SIZE);
    /* So does one edge less. */
    check_rc(hyp_batch_begin(b, &t), HYP_OK);
    check_rc(hyp_batch_edge_delete(t, "dog", 3, "animal", 6), HYP_OK);
    check_rc(hyp_batch_edge_delete(t, "dog", 3, "animal", 6), HYP_ENOTFOUND);
    commit(t);
    unsigned char hb2[HYP_HASH_SIZE];
    get_hash(b, hb2);
    assert_memory_not_equal(hb2, hb, HYP_HASH_SIZE);
    hyp_store_close(a);
    hyp_store_close(b);
}

static void test_edges(void **state)
{
    (void)state;
    hyp_store *s = make_store("e", HYP_POINCARE, 2, HYP_LOG_HASHES, 0);
    hyp_batch *b;
    build_family(s, 0);
    check_rc(hyp_batch_begin(s, &b), HYP_OK);
    check_rc(hyp_batch_edge_add(b, "animal", 6, "dog", 3), HYP_ECYCLE);
    check_rc(hyp_batch_edge_add(b, "dog", 3, "dog", 3), HYP_ECYCLE);
    check_rc(hyp_batch_edge_add(b, "dog", 3, "fish", 4), HYP_ENOTFOUND);
    put(b, "puppy", 0.7, 0.1);
    edge(b, "puppy", "dog");
    check_rc(hyp_batch_edge_add(b, "mammal", 6, "puppy", 5), HYP_ECYCLE);
    commit(b);

    hyp_read *r;
    uint64_t dog, ids[8];
    size_t n;
    check_rc(hyp_read_begin(s, &r), HYP_OK);
    check_rc(hyp_read_find(r, "dog", 3, &dog), HYP_OK);
    check_rc(hyp_read_parents(r, dog, ids, 8, &n), HYP_OK);
    assert_int_equal(n, 2); /* mammal and animal: a DAG */
    assert_true(ids[0] < ids[1]);
    check_rc(hyp_read_children(r, dog, ids, 8, &n), HYP_OK);
    assert_int_equal(n, 1);
    hyp_read_end(r);

    /* Deleting dog takes its 3 edges. */
    check_rc(hyp_batch_begin(s, &b), HYP_OK);
    check_rc(hyp_batch_delete(b, "dog", 3), HYP_OK);
    commit(b);
    hyp_store_info info;
    check_rc(hyp_store_get_info(s, &info), HYP_OK);
    assert_int_equal(info.edges, 2); /* mammal->animal, cat->mammal */
    assert_verifies(s);
    hyp_store_close(s);
}

static int count_entry(void *ctx, const hyp_log_entry *e)
{
    hyp_log_entry *all = ctx;
    all[e->seq - 1] = *e;
    all[e->seq - 1].note = NULL;
    return 0;
}

static void test_log_snapshot_replay(void **state)
{
    (void)state;
    hyp_store *s = make_store("r", HYP_POINCARE, 2, HYP_LOG_FULL, 0);
    hyp_store *c = NULL;
    unsigned char h[HYP_HASH_SIZE], hc[HYP_HASH_SIZE], hr[HYP_HASH_SIZE];
    hyp_log_entry log[8];

    build_family(s, 1);
    memset(log, 0, sizeof log);
    check_rc(hyp_store_log(s, 0, 0, count_entry, log), HYP_OK);
    assert_int_equal(log[0].seq, 1);
    assert_int_equal(log[0].inserted, 3);
    assert_int_equal(log[1].updated, 1);
    assert_int_equal(log[1].edges_added, 3);
    assert_int_equal(log[2].deleted, 1);
    assert_int_equal(log[2].edges_deleted, 2);
    assert_int_equal(log[2].edges_added, 3);
    assert_int_equal(log[2].count, 4);
    assert_true(log[2].ops_kept);
    get_hash(s, h);
    assert_memory_equal(log[2].hash, h, HYP_HASH_SIZE);

    /* Snapshot: same hash, opens, verifies; refuses to overwrite. */
    check_rc(hyp_store_snapshot(s, path_of("snap")), HYP_OK);
    check_rc(hyp_store_snapshot(s, path_of("snap")), HYP_EEXISTS);
    check_rc(hyp_store_open(path_of("snap"), HYP_STORE_RDONLY, &c), HYP_OK);
    get_hash(c, hc);
    assert_memory_equal(h, hc, HYP_HASH_SIZE);
    assert_verifies(c);
    hyp_store_close(c);

    /* Replay to the end and to the middle. */
    check_rc(hyp_store_replay(s, path_of("re3"), 0, hr), HYP_OK);
    assert_memory_equal(hr, h, HYP_HASH_SIZE);
    check_rc(hyp_store_replay(s, path_of("re2"), 2, hr), HYP_OK);
    assert_memory_equal(hr, log[1].hash, HYP_HASH_SIZE);
    check_rc(hyp_store_open(path_of("re2"), 0, &c), HYP_OK);
    get_hash(c, hc);
    assert_memory_equal(hc, log[1].hash, HYP_HASH_SIZE);
    assert_verifies(c);
    hyp_store_close(c);
    check_rc(hyp_store_replay(s, path_of("re9"), 9, hr), HYP_ENOTFOUND);
    hyp_store_close(s);

    /* A hashes-only log cannot replay. */
    s = make_store("r2", HYP_POINCARE, 2, HYP_LOG_HASHES, 0);
    build_family(s, 0);
    check_rc(hyp_store_replay(s, path_of("re4"), 0, hr), HYP_ENOLOG);
    hyp_store_close(s);
}

/* A fixed-point store keeps its words bit for bit, rounds binary64 input
 * once, holds a Poincaré point deeper than any binary64 one, and logs,
 * hashes, replays and verifies like an f64 store. */
static void test_fixed_store(void **state)
{
    (void)state;
    hyp_store_config cfg = { .model = HYP_POINCARE, .dim = 2, .repr = HYP_REPR_Q128,
                             .log_mode = HYP_LOG_FULL };
    hyp_store *s = NULL, *c = NULL;
    hyp_batch *b;
    hyp_read *r;
    hyp_store_info info;
    const unsigned char *got;
    unsigned char deep[32], bad[32], rounded[32], h[HYP_HASH_SIZE], hr[HYP_HASH_SIZE];
    double x[2] = { 0.5, -0.1 }, back[2];

    check_rc(hyp_store_create(path_of("q"), &cfg, &s), HYP_OK);
    check_rc(hyp_store_get_info(s, &info), HYP_OK);
    assert_int_equal(info.repr, HYP_REPR_Q128);
    assert_int_equal(info.point_bytes, 32);

    /* x = 1 - 2^-87 on the first axis: radius ln(2^88 - 1), about 61, where
     * binary64 Poincaré points stop near 37. */
    hyp_q128 w[2] = { { UINT64_MAX << 40, (1ull << 63) - 1 }, { 0, 0 } };
    check_rc(hyp_fixed_encode(HYP_FIXED_Q128, HYP_POINCARE, 2, w, deep), HYP_OK);
    /* 0.75 on both axes: outside the ball. */
    hyp_q128 o[2] = { { 0, 3ull << 61 }, { 0, 3ull << 61 } };
    check_rc(hyp_fixed_encode(HYP_FIXED_Q128, HYP_POINCARE, 2, o, bad), HYP_OK);
    hyp_q128 rw[2];
    check_rc(hyp_fixed_from_double(HYP_FIXED_Q128, HYP_POINCARE, 2, x, rw), HYP_OK);
    check_rc(hyp_fixed_encode(HYP_FIXED_Q128, HYP_POINCARE, 2, rw, rounded), HYP_OK);

    check_rc(hyp_batch_begin(s, &b), HYP_OK);
    check_rc(hyp_batch_put_raw(b, "deep", 4, deep, 0, NULL), HYP_OK);
    check_rc(hyp_batch_put_raw(b, "out", 3, bad, 0, NULL), HYP_EOUTSIDE);
    check_rc(hyp_batch_put(b, "near", 4, x, 0, NULL), HYP_OK);
    edge(b, "deep", "near");
    commit(b);

    check_rc(hyp_read_begin(s, &r), HYP_OK);
    uint64_t id;
    check_rc(hyp_read_find(r, "deep", 4, &id), HYP_OK);
    check_rc(hyp_read_point(r, id, &got), HYP_OK);
    assert_memory_equal(got, deep, 32);
    check_rc(hyp_read_point_f64(r, id, back), HYP_ERANGE);
    check_rc(hyp_read_find(r, "near", 4, &id), HYP_OK);
    check_rc(hyp_read_point(r, id, &got), HYP_OK);
    assert_memory_equal(got, rounded, 32);
    check_rc(hyp_read_point_f64(r, id, back), HYP_OK);
    assert_true(back[0] == 0.5 && back[1] == -0.1); /* q128 holds every binary64 here */
    hyp_read_end(r);
    assert_verifies(s);

    /* Replay rebuilds the words and proves it by hash; the same content in
     * another order hashes the same; a q64 store of it does not. */
    get_hash(s, h);
    check_rc(hyp_store_replay(s, path_of("qr"), 0, hr), HYP_OK);
    assert_memory_equal(h, hr, HYP_HASH_SIZE);
    check_rc(hyp_store_create(path_of("q2"), &cfg, &c), HYP_OK);
    check_rc(hyp_batch_begin(c, &b), HYP_OK);
    check_rc(hyp_batch_put(b, "near", 4, x, 0, NULL), HYP_OK);
    check_rc(hyp_batch_put_raw(b, "deep", 4, deep, 0, NULL), HYP_OK);
    edge(b, "deep", "near");
    commit(b);
    get_hash(c, hr);
    assert_memory_equal(h, hr, HYP_HASH_SIZE);
    hyp_store_close(c);
    hyp_store_close(s);

    /* Reopened, the representation is read back from the metadata. */
    check_rc(hyp_store_open(path_of("q"), HYP_STORE_RDONLY, &s), HYP_OK);
    check_rc(hyp_store_get_info(s, &info), HYP_OK);
    assert_int_equal(info.repr, HYP_REPR_Q128);
    assert_verifies(s);
    hyp_store_close(s);

    /* q32: a point that rounds onto the boundary is refused, not clamped. */
    cfg.repr = HYP_REPR_Q32;
    cfg.log_mode = HYP_LOG_HASHES;
    check_rc(hyp_store_create(path_of("q32"), &cfg, &s), HYP_OK);
    check_rc(hyp_batch_begin(s, &b), HYP_OK);
    double edge_x[2] = { 1 - 0x1p-40, 0 };
    check_rc(hyp_batch_put(b, "edge", 4, edge_x, 0, NULL), HYP_EFIXED_RANGE);
    check_rc(hyp_batch_put(b, "near", 4, x, 0, NULL), HYP_OK);
    commit(b);
    get_hash(s, hr);
    assert_memory_not_equal(h, hr, HYP_HASH_SIZE);
    hyp_store_close(s);
}

static void test_abort_writes_nothing(void **state)
{
    (void)state;
    hyp_store *s = make_store("ab", HYP_POINCARE, 2, HYP_LOG_HASHES, 0);
    unsigned char h0[HYP_HASH_SIZE], h1[HYP_HASH_SIZE];
    hyp_batch *b;
    get_hash(s, h0);
    check_rc(hyp_batch_begin(s, &b), HYP_OK);
    put(b, "a", 0.1, 0.1);
    hyp_batch_abort(b);
    get_hash(s, h1);
    assert_memory_equal(h0, h1, HYP_HASH_SIZE);
    hyp_store_info info;
    check_rc(hyp_store_get_info(s, &info), HYP_OK);
    assert_int_equal(info.count, 0);
    assert_int_equal(info.last_seq, 0);
    /* An empty batch commits nothing. */
    uint64_t seq = 9;
    check_rc(hyp_batch_begin(s, &b), HYP_OK);
    check_rc(hyp_batch_commit(b, &seq, NULL), HYP_OK);
    assert_int_equal(seq, 0);
    hyp_store_close(s);
}

/* Damage made with LMDB directly must be found by verify. */
static void test_verify_finds_damage(void **state)
{
    (void)state;
    hyp_store *s = make_store("d", HYP_POINCARE, 2, HYP_LOG_HASHES, 0);
    build_family(s, 0);
    hyp_store_close(s);

    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    unsigned char key[8] = { 0, 0, 0, 0, 0, 0, 0, 2 }; /* id 2 */
    unsigned char bad[16] = { 0 };
    bad[7] = 0x3f, bad[6] = 0xf0; /* x = 1.0: on the boundary */
    MDB_val k = { 8, key }, v = { 16, bad };
    assert_int_equal(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 16);
    assert_int_equal(mdb_env_open(env, path_of("d"), 0, 0644), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "points", 0, &dbi), 0);
    assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
    assert_int_equal(mdb_dbi_open(txn, "label2id", 0, &dbi), 0);
    MDB_val lk = { 3, "cat" };
    assert_int_equal(mdb_del(txn, dbi, &lk, NULL), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);

    uint64_t problems = 0;
    check_rc(hyp_store_open(path_of("d"), HYP_STORE_RDONLY, &s), HYP_OK);
    check_rc(hyp_store_verify(s, NULL, NULL, 0, &problems), HYP_ECORRUPT);
    /* boundary point, cat's id without a way back, counts, hash */
    assert_true(problems >= 3);
    hyp_store_close(s);
}

static void test_single_file(void **state)
{
    (void)state;
    hyp_store_config cfg = { .model = HYP_EUCLID, .dim = 2, .flags = HYP_STORE_SINGLE_FILE };
    hyp_store *s = NULL;
    check_rc(hyp_store_create(path_of("one.hyp"), &cfg, &s), HYP_OK);
    build_family(s, 0);
    unsigned char h[HYP_HASH_SIZE], h2[HYP_HASH_SIZE];
    get_hash(s, h);
    check_rc(hyp_store_snapshot(s, path_of("one-copy.hyp")), HYP_OK);
    hyp_store_close(s);
    check_rc(hyp_store_open(path_of("one.hyp"), 0, &s), HYP_OK);
    get_hash(s, h2);
    assert_memory_equal(h, h2, HYP_HASH_SIZE);
    assert_verifies(s);
    hyp_store_close(s);
    check_rc(hyp_store_open(path_of("one-copy.hyp"), 0, &s), HYP_OK);
    get_hash(s, h2);
    assert_memory_equal(h, h2, HYP_HASH_SIZE);
    hyp_store_close(s);
}

/* The hash is a pinned value: the serialisation is part of the format and
 * must not change by accident on any platform. */
static void test_hash_pinned(void **state)
{
    (void)state;
    hyp_store *s = make_store("pin", HYP_POINCARE, 2, HYP_LOG_HASHES, 0);
    unsigned char h[HYP_HASH_SIZE];
    char hex[2 * HYP_HASH_SIZE + 1];
    build_family(s, 0);
    get_hash(s, h);
    hyp_hash_hex(h, hex);
    const char *pinned = getenv("HYP_PINNED_HASH") ? getenv("HYP_PINNED_HASH")
                                                   : PINNED_FAMILY_HASH;
    if (strcmp(hex, pinned) != 0)
        fail_msg("family hash %s, pinned %s", hex, pinned);
    hyp_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_open_info, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_bad_config, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_points_bits_and_errors, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_labels, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_map_growth, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_reserve, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_version_refused, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_hash_history_independent, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_edges, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_log_snapshot_replay, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_fixed_store, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_abort_writes_nothing, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_verify_finds_damage, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_single_file, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_hash_pinned, setup_tmp, teardown_tmp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
