/*
 * test_index_fixed.c — the index on fixed-point stores (q32, q64, q128;
 * geom/hyp_fixed.h): every answer against brute force on the stored words.
 *
 *   - The exact scan's k nearest are exactly the brute-force ranking by
 *     hyp_fixed_dist_cmp with ties by id (duplicated points make real ties);
 *     so are closest parents (radii by hyp_fixed_radius_cmp).
 *   - HNSW recall@10 against the exact scan stays above a threshold on
 *     tree-shaped points (treegen.h, fixed seed), in Poincaré q64, Lorentz
 *     q64 and q128, and a deep Poincaré q128 set out to radius ~60, beyond
 *     what binary64 Poincaré holds (37.4): some of its points have no
 *     binary64 image at all, which the test checks.
 *   - Reported distances are within 2^-64 + half an ulp of the exact
 *     distance between the stored points (MPFR, tests/fixed/ref.c); a
 *     max_dist query returns exactly the points within the bound.
 *   - hyp_index_verify finds no problem, also after deletes and upserts.
 *   - A vector query is rounded into the store's format (the point itself
 *     is then found at distance 0); one that does not fit is refused with
 *     HYP_EFIXED_RANGE.
 * The points are made in MPFR from treegen's tangent vectors, each word the
 * exact value rounded once, so they are the same everywhere.
 *
 *   test_index_fixed WORKDIR
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gmp.h>
#include <mpfr.h>

#include "hyp_fixed.h"
#include "hyp_index.h"
#include "ref.h"
#include "treegen.h"

static char workdir[400];
static int store_no;

typedef struct kind {
    hyp_fixed_format f;
    hyp_model m;
    size_t n;
    double max_radius;
    const char *name;
} kind;

static size_t psize(const kind *k) { return hyp_fixed_size(k->f, k->m, k->n); }

/* Sets word i of x (host order) to v, which fits. */
static void set_word(hyp_fixed_format f, void *x, size_t i, const mpz_t v)
{
    ref_set_word(f, x, i, v);
}

/*
 * The point at tangent vector v (n doubles, the Euclid parametrization) in
 * the kind's model: k_i = round(2^F t v_i / |v|) with t = tanh(|v|/2)
 * (Poincaré) or sinh |v| (Lorentz), at 1024 bits.  A Poincaré point that
 * rounds onto the boundary is pulled in by one unit per word.  Returns 0 if
 * the point is valid.
 */
static int make_point(const kind *k, const double *v, void *x)
{
    ref_layout l = ref_layout_of(k->f, k->m);
    mpfr_t r, t, c;
    mpfr_inits2(1024, r, t, c, (mpfr_ptr)0);
    mpz_t z;
    mpz_init(z);
    mpfr_set_ui(r, 0, MPFR_RNDN);
    for (size_t i = 0; i < k->n; i++) {
        mpfr_set_d(c, v[i], MPFR_RNDN);
        mpfr_sqr(c, c, MPFR_RNDN);
        mpfr_add(r, r, c, MPFR_RNDN);
    }
    mpfr_sqrt(r, r, MPFR_RNDN);
    if (k->m == HYP_POINCARE) {
        mpfr_div_2ui(t, r, 1, MPFR_RNDN);
        mpfr_tanh(t, t, MPFR_RNDN);
    } else {
        mpfr_sinh(t, r, MPFR_RNDN);
    }
    for (size_t i = 0; i < k->n; i++) {
        if (mpfr_zero_p(r)) {
            mpz_set_ui(z, 0);
        } else {
            mpfr_set_d(c, v[i], MPFR_RNDN);
            mpfr_mul(c, c, t, MPFR_RNDN);
            mpfr_div(c, c, r, MPFR_RNDN);
            mpfr_mul_2si(c, c, l.frac, MPFR_RNDN);
            mpfr_rint(c, c, MPFR_RNDN);
            mpfr_get_z(z, c, MPFR_RNDN);
        }
        set_word(k->f, x, i, z);
    }
    int rc = hyp_fixed_check(k->f, k->m, k->n, x);
    for (int tries = 0; rc == HYP_EBOUNDARY || rc == HYP_EOUTSIDE || rc == HYP_EFIXED_WORD; tries++) {
        if (tries > 4)
            break;
        for (size_t i = 0; i < k->n; i++) { /* one unit toward the origin */
            ref_word(k->f, k->m, k->n, x, i, z);
            if (mpz_sgn(z) > 0)
                mpz_sub_ui(z, z, 1);
            else if (mpz_sgn(z) < 0)
                mpz_add_ui(z, z, 1);
            set_word(k->f, x, i, z);
        }
        rc = hyp_fixed_check(k->f, k->m, k->n, x);
    }
    mpz_clear(z);
    mpfr_clears(r, t, c, (mpfr_ptr)0);
    return rc == HYP_OK ? 0 : -1;
}

/* A fixture: a store of count tree points of the kind (labels "p<i>"),
 * every 50th one stored twice (labels "d<i>": an exact tie), its index, and
 * the words of every id in memory for brute force. */
typedef struct fixture {
    kind k;
    hyp_store *s;
    hyp_index *ix;
    unsigned char *words; /* id -> psize bytes (host order), aligned by malloc */
    unsigned char *alive; /* id -> 1 if stored */
    size_t ids;           /* ids assigned */
} fixture;

static void *word_at(const fixture *fx, uint64_t id) { return fx->words + id * psize(&fx->k); }

static void put_raw(fixture *fx, hyp_batch *b, const char *label, const void *x, unsigned flags)
{
    unsigned char *bytes = malloc(psize(&fx->k));
    uint64_t id;
    assert_int_equal(hyp_fixed_encode(fx->k.f, fx->k.m, fx->k.n, x, bytes), HYP_OK);
    assert_int_equal(hyp_batch_put_raw(b, label, strlen(label), bytes, flags, &id), HYP_OK);
    assert_true(id < fx->ids + 1 || (flags & HYP_PUT_UPSERT));
    if (id == fx->ids)
        fx->ids++;
    memcpy(word_at(fx, id), x, psize(&fx->k));
    fx->alive[id] = 1;
    free(bytes);
}

static void fixture_make(fixture *fx, const kind *k, size_t count, uint64_t seed)
{
    char path[500], cmd[600];
    snprintf(path, sizeof path, "%s/f%d", workdir, store_no++);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    assert_int_equal(system(cmd), 0);
    memset(fx, 0, sizeof *fx);
    fx->k = *k;
    hyp_store_config sc = { .model = k->m, .dim = k->n, .repr = (hyp_repr)k->f };
    assert_int_equal(hyp_store_create(path, &sc, &fx->s), HYP_OK);
    size_t cap = 2 * count + 16;
    fx->words = calloc(cap, psize(k));
    fx->alive = calloc(cap, 1);
    double *v = malloc(count * k->n * sizeof *v);
    treegen_points(seed, count, k->n, k->max_radius, 4, 1.0, v);
    void *x = malloc(psize(k));
    hyp_batch *b;
    assert_int_equal(hyp_batch_begin(fx->s, &b), HYP_OK);
    for (size_t i = 0; i < count; i++) {
        char label[32];
        if (make_point(k, v + i * k->n, x) != 0)
            fail_msg("%s: point %zu not representable", k->name, i);
        snprintf(label, sizeof label, "p%zu", i);
        put_raw(fx, b, label, x, 0);
        if (i % 50 == 7) {
            snprintf(label, sizeof label, "d%zu", i);
            put_raw(fx, b, label, x, 0);
        }
    }
    assert_int_equal(hyp_batch_commit(b, NULL, NULL), HYP_OK);
    hyp_index_config cfg = { .m = 12, .ef_construction = 100, .seed = 3 };
    assert_int_equal(hyp_index_create(fx->s, &cfg, &fx->ix), HYP_OK);
    free(x);
    free(v);
}

static void fixture_free(fixture *fx)
{
    hyp_index_close(fx->ix);
    hyp_store_close(fx->s);
    free(fx->words);
    free(fx->alive);
}

static void report(void *ctx, const char *msg)
{
    (void)ctx;
    if (strncmp(msg, "note:", 5) != 0)
        print_message("%s\n", msg);
}

static void verify_clean(fixture *fx)
{
    uint64_t problems = 0;
    assert_int_equal(hyp_store_verify(fx->s, report, NULL, 20, &problems), HYP_OK);
    assert_int_equal(hyp_index_verify(fx->ix, report, NULL, 20, &problems), HYP_OK);
    assert_int_equal(problems, 0);
}

/* Is id a closer to q than id b: exact distance, ties by id. */
static int closer(const fixture *fx, const void *q, uint64_t a, uint64_t b)
{
    int order;
    assert_int_equal(hyp_fixed_dist_cmp(fx->k.f, fx->k.m, fx->k.n, q, word_at(fx, a),
                                        word_at(fx, b), &order),
                     HYP_OK);
    return order < 0 || (order == 0 && a < b);
}

/* Brute force: the k closest stored ids to q other than self (UINT64_MAX:
 * none), keeping only those of smaller radius when smaller is set.
 * Insertion into a sorted prefix.  Returns the count. */
static size_t brute(const fixture *fx, const void *q, uint64_t self, int smaller, size_t k,
                    uint64_t *out)
{
    size_t n = 0;
    for (uint64_t id = 0; id < fx->ids; id++) {
        if (!fx->alive[id] || id == self)
            continue;
        if (smaller) {
            int o;
            assert_int_equal(hyp_fixed_radius_cmp(fx->k.f, fx->k.m, fx->k.n, word_at(fx, id), q,
                                                  &o),
                             HYP_OK);
            if (o >= 0)
                continue;
        }
        if (n == k && !closer(fx, q, id, out[k - 1]))
            continue;
        size_t j = n < k ? n++ : k - 1;
        while (j > 0 && closer(fx, q, id, out[j - 1])) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = id;
    }
    return n;
}

/* |d - exact distance| <= 2^-64 + half an ulp of d (hit distances are
 * Q64.64 rounded to a double). */
static void check_dist(const fixture *fx, const void *q, uint64_t id, double d)
{
    mpfr_t ref, diff;
    mpfr_inits2(1024, ref, diff, (mpfr_ptr)0); /* ref.h: Lorentz cancels ~300 bits */
    ref_dist(fx->k.f, fx->k.m, fx->k.n, q, word_at(fx, id), ref);
    mpfr_sub_d(diff, ref, d, MPFR_RNDN);
    mpfr_abs(diff, diff, MPFR_RNDN);
    int e;
    frexp(d, &e);
    double tol = 0x1p-64 + ldexp(1.0, e - 54);
    if (mpfr_cmp_d(diff, tol) > 0)
        fail_msg("%s: distance to %llu is %.17g, exact %.20g", fx->k.name,
                 (unsigned long long)id, d, mpfr_get_d(ref, MPFR_RNDN));
    mpfr_clears(ref, diff, (mpfr_ptr)0);
}

/*
 * For nq query ids: the exact scan equals brute force (ids and order), its
 * distances are right, closest parents equal brute force; the graph's
 * recall@10 against the exact scan (breadth ef 16, narrow on purpose so
 * that the graph's quality shows) is returned.
 */
static double check_queries(fixture *fx, size_t nq)
{
    enum { K = 10 };
    hyp_hit g[K], e[K];
    uint64_t want[K];
    size_t found = 0, total = 0, stride = fx->ids / nq + 1;
    for (size_t i = 0; i < nq; i++) {
        uint64_t qid = (i * stride + 3) % fx->ids;
        if (!fx->alive[qid])
            continue;
        const void *q = word_at(fx, qid);
        size_t ng, ne, nw;
        hyp_query qq = { .id = qid, .k = K, .ef = 16 };
        assert_int_equal(hyp_index_search(fx->ix, &qq, g, &ng), HYP_OK);
        qq.flags = HYP_SEARCH_EXACT;
        assert_int_equal(hyp_index_search(fx->ix, &qq, e, &ne), HYP_OK);
        nw = brute(fx, q, qid, 0, K, want);
        assert_int_equal(ne, nw);
        for (size_t j = 0; j < ne; j++) {
            if (e[j].id != want[j])
                fail_msg("%s query %llu: exact hit %zu is %llu, brute force %llu", fx->k.name,
                         (unsigned long long)qid, j, (unsigned long long)e[j].id,
                         (unsigned long long)want[j]);
            check_dist(fx, q, e[j].id, e[j].dist);
            assert_true(j == 0 || e[j].dist >= e[j - 1].dist);
        }
        for (size_t j = 0; j < ng; j++)
            for (size_t t = 0; t < ne; t++)
                found += g[j].id == e[t].id;
        total += ne;
        /* closest parents, k = 3, exact scan */
        hyp_query pq = { .id = qid, .k = 3, .flags = HYP_SEARCH_SMALLER | HYP_SEARCH_EXACT };
        assert_int_equal(hyp_index_search(fx->ix, &pq, e, &ne), HYP_OK);
        nw = brute(fx, q, qid, 1, 3, want);
        assert_int_equal(ne, nw);
        for (size_t j = 0; j < ne; j++)
            assert_int_equal(e[j].id, want[j]);
    }
    assert_true(total > 0);
    return (double)found / (double)total;
}

static void run_kind(const kind *k, size_t count, double min_recall)
{
    fixture fx;
    fixture_make(&fx, k, count, 20260601);
    verify_clean(&fx);
    double recall = check_queries(&fx, 300);
    print_message("%s: %zu points, recall@10 %.4f (ef 16)\n", k->name, fx.ids, recall);
    assert_true(recall >= min_recall);
    /* Deletes and replacements keep the graph right. */
    hyp_batch *b;
    assert_int_equal(hyp_batch_begin(fx.s, &b), HYP_OK);
    for (size_t i = 5; i < count; i += 37) {
        char label[32];
        uint64_t id;
        hyp_read *r;
        snprintf(label, sizeof label, "p%zu", i);
        assert_int_equal(hyp_read_begin(fx.s, &r), HYP_OK);
        assert_int_equal(hyp_read_find(r, label, strlen(label), &id), HYP_OK);
        hyp_read_end(r);
        assert_int_equal(hyp_batch_delete(b, label, strlen(label)), HYP_OK);
        fx.alive[id] = 0;
    }
    assert_int_equal(hyp_batch_commit(b, NULL, NULL), HYP_OK);
    assert_int_equal(hyp_batch_begin(fx.s, &b), HYP_OK);
    void *x = malloc(psize(k));
    for (size_t i = 11; i < count; i += 41) { /* p<i> takes p<i+1>'s point */
        char label[32];
        snprintf(label, sizeof label, "p%zu", i);
        hyp_read *r;
        uint64_t id, src;
        assert_int_equal(hyp_read_begin(fx.s, &r), HYP_OK);
        int rc = hyp_read_find(r, label, strlen(label), &id);
        char lab2[32];
        snprintf(lab2, sizeof lab2, "p%zu", i + 1);
        int rc2 = hyp_read_find(r, lab2, strlen(lab2), &src);
        hyp_read_end(r);
        if (rc != HYP_OK || rc2 != HYP_OK)
            continue;
        memcpy(x, word_at(&fx, src), psize(k));
        put_raw(&fx, b, label, x, HYP_PUT_UPSERT);
    }
    free(x);
    assert_int_equal(hyp_batch_commit(b, NULL, NULL), HYP_OK);
    verify_clean(&fx);
    recall = check_queries(&fx, 100);
    print_message("%s after deletes and upserts: recall@10 %.4f\n", k->name, recall);
    assert_true(recall >= min_recall);
    fixture_free(&fx);
}

static void test_poincare_q64(void **state)
{
    (void)state;
    kind k = { HYP_FIXED_Q64, HYP_POINCARE, 5, 30, "poincare q64" };
    run_kind(&k, 1500, 0.95);
}

static void test_lorentz_q64(void **state)
{
    (void)state;
    kind k = { HYP_FIXED_Q64, HYP_LORENTZ, 5, 20, "lorentz q64" };
    run_kind(&k, 1500, 0.95);
}

static void test_lorentz_q32(void **state)
{
    (void)state;
    kind k = { HYP_FIXED_Q32, HYP_LORENTZ, 3, 10, "lorentz q32" };
    run_kind(&k, 800, 0.95);
}

/* Deep q128 Poincaré points: radius ~60, where binary64 Poincaré has no
 * points at all (it rounds onto the boundary past 37.4). */
static void test_poincare_q128_deep(void **state)
{
    (void)state;
    kind k = { HYP_FIXED_Q128, HYP_POINCARE, 4, 60, "poincare q128 deep" };
    fixture fx;
    fixture_make(&fx, &k, 1200, 777);
    size_t deep = 0, no_f64 = 0;
    double *xd = malloc(k.n * sizeof *xd);
    for (uint64_t id = 0; id < fx.ids; id++) {
        uint64_t r;
        assert_int_equal(hyp_fixed_radius(k.f, k.m, k.n, word_at(&fx, id), &r), HYP_OK);
        deep += (double)r * 0x1p-32 > 50;
        no_f64 += hyp_fixed_to_double(k.f, k.m, k.n, word_at(&fx, id), xd) == HYP_ERANGE;
    }
    free(xd);
    print_message("%s: %zu points beyond radius 50, %zu without a binary64 image\n", k.name,
                  deep, no_f64);
    assert_true(deep > 100 && no_f64 > 100);
    verify_clean(&fx);
    double recall = check_queries(&fx, 300);
    print_message("%s: recall@10 %.4f (ef 16)\n", k.name, recall);
    assert_true(recall >= 0.95);
    fixture_free(&fx);
}

/* Vector queries are rounded into the format; max_dist is exact. */
static void test_vector_and_within(void **state)
{
    (void)state;
    kind k = { HYP_FIXED_Q64, HYP_POINCARE, 3, 12, "poincare q64" };
    fixture fx;
    fixture_make(&fx, &k, 400, 99);
    /* A binary64 point put with hyp_batch_put is rounded once; querying
     * with the same vector finds it at distance 0. */
    double v[3] = { 0.3, -0.2, 0.1234567890123 };
    hyp_batch *b;
    uint64_t vid;
    assert_int_equal(hyp_batch_begin(fx.s, &b), HYP_OK);
    assert_int_equal(hyp_batch_put(b, "v", 1, v, 0, &vid), HYP_OK);
    assert_int_equal(hyp_batch_commit(b, NULL, NULL), HYP_OK);
    assert_int_equal(hyp_fixed_from_double(k.f, k.m, k.n, v, word_at(&fx, vid)), HYP_OK);
    fx.alive[vid] = 1;
    fx.ids = vid + 1;
    hyp_hit h[5];
    size_t nh;
    uint64_t want[5];
    for (unsigned flags = 0; flags <= HYP_SEARCH_EXACT; flags += HYP_SEARCH_EXACT) {
        hyp_query q = { .vector = v, .k = 5, .flags = flags };
        assert_int_equal(hyp_index_search(fx.ix, &q, h, &nh), HYP_OK);
        assert_int_equal(nh, 5);
        assert_int_equal(h[0].id, vid);
        assert_true(h[0].dist == 0.0);
        if (flags) {
            assert_int_equal(brute(&fx, word_at(&fx, vid), UINT64_MAX, 0, 5, want), 5);
            for (size_t j = 0; j < 5; j++)
                assert_int_equal(h[j].id, want[j]);
        }
    }
    /* A vector that rounds onto the boundary of q32's ball does not fit
     * q32 (F = 31: 1 - 1e-10 is within half a unit of 1). */
    kind k32 = { HYP_FIXED_Q32, HYP_POINCARE, 3, 5, "poincare q32" };
    fixture f32;
    fixture_make(&f32, &k32, 50, 5);
    double edge[3] = { 1 - 1e-10, 0, 0 };
    hyp_query qe = { .vector = edge, .k = 3 };
    assert_int_equal(hyp_index_search(f32.ix, &qe, h, &nh), HYP_EFIXED_RANGE);
    double outside[3] = { 1.5, 0, 0 };
    qe.vector = outside;
    assert_int_not_equal(hyp_index_search(f32.ix, &qe, h, &nh), HYP_OK);
    fixture_free(&f32);
    /* max_dist: every point whose exact distance is clearly within R, none
     * clearly beyond (no exact distance falls within 1e-9 of R here). */
    const double R = 6.0;
    hyp_hit *all = malloc(fx.ids * sizeof *all);
    for (uint64_t qid = 0; qid < fx.ids; qid += 97) {
        hyp_query q = { .id = qid, .k = fx.ids, .max_dist = R };
        assert_int_equal(hyp_index_search(fx.ix, &q, all, &nh), HYP_OK);
        size_t inside = 0;
        mpfr_t d;
        mpfr_init2(d, 1024);
        for (uint64_t id = 0; id < fx.ids; id++) {
            if (!fx.alive[id] || id == qid)
                continue;
            ref_dist(k.f, k.m, k.n, word_at(&fx, qid), word_at(&fx, id), d);
            double dd = mpfr_get_d(d, MPFR_RNDN);
            assert_true(fabs(dd - R) > 1e-9);
            inside += dd <= R;
        }
        mpfr_clear(d);
        assert_int_equal(nh, inside);
        for (size_t j = 0; j < nh; j++) {
            assert_true(all[j].dist <= R);
            check_dist(&fx, word_at(&fx, qid), all[j].id, all[j].dist);
        }
        /* the is-a score runs on fixed stores too and ranks those hits */
        hyp_query qi = { .id = qid, .k = 5, .flags = HYP_SEARCH_ISA, .alpha = 10 };
        assert_int_equal(hyp_index_search(fx.ix, &qi, h, &nh), HYP_OK);
        for (size_t j = 1; j < nh; j++)
            assert_true(h[j].score <= h[j - 1].score);
    }
    free(all);
    fixture_free(&fx);
}

int main(int argc, char **argv)
{
    snprintf(workdir, sizeof workdir, "%s", argc > 1 ? argv[1] : "/tmp/test_index_fixed");
    char cmd[500];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", workdir);
    if (system(cmd) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_poincare_q64),
        cmocka_unit_test(test_lorentz_q64),
        cmocka_unit_test(test_lorentz_q32),
        cmocka_unit_test(test_poincare_q128_deep),
        cmocka_unit_test(test_vector_and_within),
    };
    return cmocka_run_group_tests_name("index on fixed-point stores", tests, NULL, NULL);
}
