/*
 * test_embed.c — edge-file parsing, the constructions, RSGD reproducibility
 * and the reconstruction measures (tools/hierarchy.h, tools/embed.h).
 *
 * argv[1]: the bundled mammal edge file (tools/examples/mammals.tsv).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "embed.h"
#include "trees.h"
#include "hierarchy.h"

static const char *mammals_path;

/* Reads text as an edge file named "t.tsv"; returns the status and copies
 * the messages into msg. */
static int read_text(const char *text, hier *h, char *msg, size_t size)
{
    FILE *in = tmpfile(), *err = tmpfile();
    assert_non_null(in);
    assert_non_null(err);
    fputs(text, in);
    rewind(in);
    int rc = hier_read(in, "t.tsv", err, h);
    rewind(err);
    size_t n = fread(msg, 1, size - 1, err);
    msg[n] = '\0';
    fclose(in);
    fclose(err);
    return rc;
}

static void expect_error(const char *text, const char *message)
{
    hier h;
    char msg[2048];
    int rc = read_text(text, &h, msg, sizeof msg);
    if (rc != 1 || strstr(msg, message) == NULL)
        fail_msg("input %s: status %d, messages:\n%s\nexpected: %s", text, rc, msg, message);
    assert_int_equal(h.n, 0); /* nothing built */
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_error("a\tb\tc\n", "t.tsv:1: expected 2 fields (child TAB parent), found 3\n");
    expect_error("# c\nab\n", "t.tsv:2: expected 2 fields (child, parent), found 1\n");
    expect_error("a\tb\nx\t\n", "t.tsv:2: empty parent label\n");
    expect_error("a,b\n ,b\n", "t.tsv:2: empty child label\n");
    expect_error("a\tb\nb\tb\n", "t.tsv:2: self-loop: \"b\" is its own parent\n");
    expect_error("a\tb\nc\tb\n\na\tb\n",
                 "t.tsv:4: duplicate edge \"a\" -> \"b\" (first on line 1)\n");
    expect_error("x\ty\nb\tc\nc\td\nd\tb\n",
                 "t.tsv:2: cycle (child -> parent): b -> c -> d -> b\n");
    expect_error("", "t.tsv: no edge in the file (0 lines)\n");
    expect_error("# only\n\n", "t.tsv: no edge in the file (2 lines)\n");
    expect_error("a\tb\x01\n", "t.tsv:1: parent label is not valid UTF-8 or holds a control "
                               "character: \"b\\x01\"\n");
    /* Every bad line is reported, not only the first. */
    hier h;
    char msg[2048];
    assert_int_equal(read_text("a\ta\nb\t\nc\td\n", &h, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "t.tsv:1: self-loop"));
    assert_non_null(strstr(msg, "t.tsv:2: empty parent label"));
}

static void test_closure_reduced(void **state)
{
    (void)state;
    hier a, b;
    char msg[512];
    /* A small tree as direct edges and as its closure (shuffled, CSV). */
    assert_int_equal(read_text("b\tr\nc\tr\nd\tb\ne\tb\nf\td\n", &a, msg, sizeof msg), 0);
    assert_int_equal(read_text("f,b\nd,b\nb,r\nf,r\ne,r\nc,r\nd,r\nf,d\ne,b\n", &b, msg,
                               sizeof msg),
                     0);
    assert_int_equal(a.n, 6);
    assert_int_equal(b.n, 6);
    assert_int_equal(b.edges_given, 9);
    assert_int_equal(b.edges_hasse, 5);
    assert_true(a.is_tree && b.is_tree);
    assert_int_equal(a.max_depth, 3);
    for (size_t u = 0; u < a.n; u++) {
        assert_string_equal(a.label[u], b.label[u]);
        assert_int_equal(a.parent[u], b.parent[u]);
        assert_int_equal(a.depth[u], b.depth[u]);
    }
    assert_int_equal(a.parent[hier_find(&a, "f")], hier_find(&a, "d"));
    hier_free(&a);
    hier_free(&b);

    /* A DAG: x has parents p (depth 1) and q (depth 2): the deeper wins;
     * y has two parents of equal depth: the first label wins. */
    assert_int_equal(read_text("p\tr\nq\tp2\np2\tr\nx\tp\nx\tq\ny\tq\ny\tp2\n", &a, msg,
                               sizeof msg),
                     0);
    assert_false(a.is_tree);
    assert_int_equal(a.parent[hier_find(&a, "x")], hier_find(&a, "q"));
    assert_int_equal(a.parent[hier_find(&a, "y")], hier_find(&a, "q"));
    assert_int_equal(a.depth[hier_find(&a, "x")], 3);
    hier_free(&a);
    assert_int_equal(read_text("y\tb\ny\ta\na\tr\nb\tr\n", &a, msg, sizeof msg), 0);
    assert_int_equal(a.parent[hier_find(&a, "y")], hier_find(&a, "a"));
    hier_free(&a);
}

static void check_construct(const hier *h, hyp_model model, size_t dim, enum construct_kind kind,
                            eval_result *r)
{
    construct_opts o = { 0 };
    embedding e;
    char why[256];
    o.kind = kind;
    int rc = embed_construct(h, model, dim, &o, &e, NULL, why, sizeof why);
    if (rc != 0)
        fail_msg("construct %s dim %zu: %d %s", hyp_model_name(model), dim, rc, why);
    assert_int_equal(embed_eval(h, &e, 2, r, why, sizeof why), 0);
    embedding_free(&e);
}

static void test_construct_caps(void **state)
{
    (void)state;
    static char buf[1 << 16];
    hier h;
    char msg[512];
    eval_result r;
    tree_text(buf, sizeof buf, 3, 5); /* 364 nodes */
    assert_int_equal(read_text(buf, &h, msg, sizeof msg), 0);
    const size_t dims[] = { 2, 3, 10 };
    for (size_t i = 0; i < 3; i++)
        for (int m = 0; m < 2; m++) {
            check_construct(&h, m ? HYP_LORENTZ : HYP_POINCARE, dims[i], CONSTRUCT_CAPS, &r);
            if (r.map != 1.0 || r.mean_rank != 1.0)
                fail_msg("caps dim %zu model %d: MAP %.17g, mean rank %.17g", dims[i], m, r.map,
                         r.mean_rank);
            assert_int_equal(r.queries, 363);
        }
    hier_free(&h);

    /* The bundled WordNet mammals (a DAG: a few nodes lose a parent). */
    FILE *in = fopen(mammals_path, "r");
    assert_non_null(in);
    assert_int_equal(hier_read(in, mammals_path, stderr, &h), 0);
    fclose(in);
    assert_int_equal(h.n, 1182);
    check_construct(&h, HYP_POINCARE, 10, CONSTRUCT_CAPS, &r);
    if (r.map < 0.998)
        fail_msg("mammals dim 10: MAP %.6f", r.map);
    check_construct(&h, HYP_LORENTZ, 2, CONSTRUCT_CAPS, &r);
    if (r.map < 0.998)
        fail_msg("mammals dim 2 lorentz: MAP %.6f", r.map);
    hier_free(&h);
}

static void test_construct_sarkar(void **state)
{
    (void)state;
    static char buf[1 << 16];
    hier h;
    char msg[512];
    eval_result r;
    tree_text(buf, sizeof buf, 3, 4); /* 121 nodes */
    assert_int_equal(read_text(buf, &h, msg, sizeof msg), 0);
    const size_t dims[] = { 2, 5 };
    for (size_t i = 0; i < 2; i++) {
        check_construct(&h, HYP_POINCARE, dims[i], CONSTRUCT_SARKAR, &r);
        assert_true(r.has_distortion);
        assert_int_equal(r.pairs, 121 * 120 / 2);
        if (!(r.distortion_avg < 0.05 && r.distortion_worst < 1.25))
            fail_msg("sarkar dim %zu: distortion avg %.4f worst %.4f", dims[i],
                     r.distortion_avg, r.distortion_worst);
    }
    hier_free(&h);
}

static void rsgd_once(const hier *h, hyp_model model, embedding *e, unsigned long epochs)
{
    rsgd_opts o;
    rsgd_defaults(&o);
    o.epochs = epochs;
    o.burnin = epochs > 0 ? 2 : 0;
    o.seed = 42;
    assert_int_equal(embed_rsgd(h, model, 5, &o, 0, e, NULL), 0);
}

static void test_rsgd_reproducible(void **state)
{
    (void)state;
    static char buf[1 << 16];
    hier h;
    char msg[512];
    tree_text(buf, sizeof buf, 4, 3); /* 85 nodes */
    assert_int_equal(read_text(buf, &h, msg, sizeof msg), 0);
    for (int m = 0; m < 2; m++) {
        hyp_model model = m ? HYP_LORENTZ : HYP_POINCARE;
        embedding a, b, start;
        rsgd_once(&h, model, &a, 20);
        rsgd_once(&h, model, &b, 20);
        assert_int_equal(a.count, b.count);
        assert_memory_equal(a.x, b.x, a.count * a.width * sizeof *a.x);
        for (size_t u = 0; u < a.count; u++)
            assert_int_equal(hyp_point_check(model, 5, a.x + u * a.width), HYP_OK);
        /* Training helps: far better than the random start. */
        eval_result r, r0;
        rsgd_once(&h, model, &start, 0);
        assert_int_equal(embed_eval(&h, &start, 1, &r0, msg, sizeof msg), 0);
        assert_int_equal(embed_eval(&h, &a, 1, &r, msg, sizeof msg), 0);
        if (!(r.map > r0.map + 0.2 && r.map > 0.6))
            fail_msg("rsgd %s: MAP %.4f after 22 epochs, %.4f at the start",
                     hyp_model_name(model), r.map, r0.map);
        embedding_free(&start);
        embedding_free(&a);
        embedding_free(&b);
    }
    hier_free(&h);
}

static void test_eval_hand(void **state)
{
    (void)state;
    hier h;
    char msg[512];
    eval_result r;
    embedding e;
    /* r <- a <- b, r <- c on the Poincaré line; labels sort a, b, c, r. */
    assert_int_equal(read_text("a\tr\nb\ta\nc\tr\n", &h, msg, sizeof msg), 0);
    assert_int_equal(embedding_alloc(&e, HYP_POINCARE, 1, 4), 0);
    e.x[0] = 0.5;  /* a */
    e.x[1] = 0.9;  /* b */
    e.x[2] = 0.95; /* c: beside b, far from r */
    e.x[3] = 0.0;  /* r */
    assert_int_equal(embed_eval(&h, &e, 1, &r, msg, sizeof msg), 0);
    /* d = 2|atanh x - atanh y|.  Query a: r is nearest (rank 1).  Query b:
     * c (0.72) before a (1.85) and r (2.94): ranks 2, 2, AP (1/2 + 2/3)/2.
     * Query c: b, a before r: rank 3, AP 1/3. */
    assert_int_equal(r.queries, 3);
    assert_int_equal(r.positives, 4);
    assert_true(fabs(r.mean_rank - 2.0) < 1e-15);
    double map = (1.0 + (0.5 + 2.0 / 3.0) / 2 + 1.0 / 3.0) / 3;
    if (fabs(r.map - map) > 1e-15)
        fail_msg("MAP %.17g, expected %.17g", r.map, map);
    /* Distortion: the tree distances 1,1,1,2,2,3 against 2|atanh - atanh|. */
    assert_true(r.has_distortion);
    assert_int_equal(r.pairs, 6);
    double t[4] = { atanh(0.5), atanh(0.9), atanh(0.95), 0 };
    int dt[4][4] = { { 0, 1, 2, 1 }, { 1, 0, 3, 2 }, { 2, 3, 0, 1 }, { 1, 2, 1, 0 } };
    double ratio[6], lo = INFINITY, hi = 0, s = 0, dev = 0;
    int k = 0;
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++) {
            ratio[k] = 2 * fabs(t[i] - t[j]) / dt[i][j];
            lo = fmin(lo, ratio[k]);
            hi = fmax(hi, ratio[k]);
            s += ratio[k++];
        }
    s /= 6;
    for (k = 0; k < 6; k++)
        dev += fabs(ratio[k] / s - 1);
    assert_true(fabs(r.distortion_worst - hi / lo) < 1e-12 * hi / lo);
    assert_true(fabs(r.distortion_avg - dev / 6) < 1e-12);
    embedding_free(&e);
    hier_free(&h);

    /* An exact tie counts against: u = (1/2, 0) is as far from its parent
     * r = (1/4, 1/4) as from its sibling w = (1/4, -1/4) (mirror images). */
    assert_int_equal(read_text("u\tr\nw\tr\n", &h, msg, sizeof msg), 0);
    assert_int_equal(embedding_alloc(&e, HYP_POINCARE, 2, 3), 0);
    const double pts[6] = { 0.25, 0.25, 0.5, 0, 0.25, -0.25 }; /* r, u, w */
    memcpy(e.x, pts, sizeof pts);
    assert_int_equal(embed_eval(&h, &e, 1, &r, msg, sizeof msg), 0);
    /* Query u: tie, rank 2, AP 1/2.  Query w: u (S = 0.19) is nearer than
     * r (S = 0.33): rank 2, AP 1/2. */
    assert_true(r.mean_rank == 2.0 && r.map == 0.5);
    assert_true(r.exact >= 1);
    embedding_free(&e);
    hier_free(&h);
}

int main(int argc, char **argv)
{
    mammals_path = argc > 1 ? argv[1] : "tools/examples/mammals.tsv";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_closure_reduced),
        cmocka_unit_test(test_eval_hand),
        cmocka_unit_test(test_construct_caps),
        cmocka_unit_test(test_construct_sarkar),
        cmocka_unit_test(test_rsgd_reproducible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
