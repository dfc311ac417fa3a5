/*
 * test_embed_fixed.c — embedding into the fixed-point representations
 * (issue 6: "precision-aware ... show that it embeds trees far too deep for
 * double when the store uses the 128-bit format").
 *
 *   rounding      the words are the MPFR coordinates rounded once to
 *                 nearest: checked against the binary64 construction of the
 *                 same plan (q32 word by word, q128 through its binary64
 *                 image);
 *   eval          a fixed embedding is measured on its words (an exact tie
 *                 is found as in binary64; same figures for any thread
 *                 count);
 *   deep          a tree of depth 59 (a path of 60 nodes with a leaf beside
 *                 each) in a Poincaré q128 embedding: caps gives MAP 1 and
 *                 Sarkar low distortion at radius ~83, where binary64 caps
 *                 refuses the tree and binary64 Sarkar, squeezed into radius
 *                 32, distorts it by a factor of hundreds; Lorentz q128
 *                 takes the same tree to depth 47 (binary64 refuses).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "embed.h"
#include "trees.h"
#include "hierarchy.h"

static void read_tree(const char *text, hier *h)
{
    FILE *in = tmpfile();
    assert_non_null(in);
    fputs(text, in);
    rewind(in);
    assert_int_equal(hier_read(in, "t.tsv", stderr, h), 0);
    fclose(in);
}

/* The deep tree: p00 <- p01 <- ... <- p59, and a leaf s<i> beside p<i>. */
static void deep_text(char *buf, size_t size, unsigned path)
{
    size_t len = 0;
    for (unsigned i = 1; i < path; i++)
        len += (size_t)snprintf(buf + len, size - len, "p%02u\tp%02u\ns%02u\tp%02u\n", i, i - 1,
                                i, i - 1);
}

static void construct(const hier *h, hyp_model model, size_t dim, enum construct_kind kind,
                      int fixed, hyp_fixed_format format, double max_radius, embedding *e,
                      construct_info *info)
{
    construct_opts o = { 0 };
    char why[512];
    o.kind = kind;
    o.fixed = fixed;
    o.format = format;
    o.max_radius = max_radius;
    int rc = embed_construct(h, model, dim, &o, e, info, why, sizeof why);
    if (rc != 0)
        fail_msg("construct %s %s: %d %s", hyp_model_name(model),
                 fixed ? hyp_fixed_name(format) : "f64", rc, why);
}

/* q32: every word is round(x 2^F) of the exact coordinate x.  The binary64
 * construction holds x within 2^-53 relative, so wherever x 2^F is not
 * within 2^-20 of a half-integer (F <= 31 and |x 2^F| < 2^31 leave 2^-22 of
 * binary64 resolution), its nearest integer is the word. */
static void check_q32(const embedding *d, const embedding *q)
{
    int F = hyp_fixed_frac_bits(HYP_FIXED_Q32, d->model);
    size_t checked = 0, off = d->model == HYP_LORENTZ ? 1 : 0;
    for (size_t u = 0; u < d->count; u++) {
        const int32_t *k = embedding_words(q, u);
        for (size_t i = 0; i < d->dim; i++) {
            double y = ldexp(d->x[u * d->width + off + i], F);
            double frac = fabs(y - trunc(y));
            if (fabs(frac - 0.5) < ldexp(1, -20))
                continue;
            if ((double)k[i] != nearbyint(y))
                fail_msg("%s q32 point %zu coordinate %zu: word %d, x 2^F = %.17g",
                         hyp_model_name(d->model), u, i, k[i], y);
            checked++;
        }
    }
    assert_true(checked > d->count); /* not vacuous */
}

/* q128: its binary64 image (hyp_fixed_to_double, correctly rounded) and
 * the binary64 construction's point are roundings of the same MPFR value,
 * one through the word (half a unit 2^-F) and one directly (half an ulp),
 * so they agree within 2^-(F+1) + 1 ulp. */
static void check_q128(const embedding *d, const embedding *q)
{
    double x[HYP_DIM_MAX + 1];
    size_t off = d->model == HYP_LORENTZ ? 1 : 0;
    double unit = ldexp(1, -(hyp_fixed_frac_bits(HYP_FIXED_Q128, d->model) + 1));
    for (size_t u = 0; u < d->count; u++) {
        assert_int_equal(hyp_fixed_to_double(HYP_FIXED_Q128, d->model, d->dim,
                                             embedding_words(q, u), x),
                         HYP_OK);
        for (size_t i = off; i < d->width; i++) {
            double a = x[i], b = d->x[u * d->width + i];
            if (fabs(a - b) > unit + fabs(b) * 0x1p-52)
                fail_msg("%s q128 point %zu coordinate %zu: %a, binary64 %a",
                         hyp_model_name(d->model), u, i, a, b);
        }
    }
}

static void test_rounding(void **state)
{
    (void)state;
    static char buf[1 << 14];
    hier h;
    tree_text(buf, sizeof buf, 3, 3); /* 40 nodes */
    read_tree(buf, &h);
    for (int m = 0; m < 2; m++)
        for (int kind = 0; kind < 2; kind++) {
            hyp_model model = m ? HYP_LORENTZ : HYP_POINCARE;
            /* One plan for all three: the capacities differ, the given
             * radius does not (q32 Lorentz holds 10.4). */
            embedding d, q32, q128;
            construct(&h, model, 3, (enum construct_kind)kind, 0, HYP_FIXED_Q32, 10, &d, NULL);
            construct(&h, model, 3, (enum construct_kind)kind, 1, HYP_FIXED_Q32, 10, &q32,
                      NULL);
            construct(&h, model, 3, (enum construct_kind)kind, 1, HYP_FIXED_Q128, 10, &q128,
                      NULL);
            check_q32(&d, &q32);
            check_q128(&d, &q128);
            embedding_free(&d);
            embedding_free(&q32);
            embedding_free(&q128);
        }
    hier_free(&h);
}

static void test_capacity(void **state)
{
    (void)state;
    /* The figures embed.h and the help text quote. */
    assert_true(fabs(embed_capacity(HYP_POINCARE, 1, HYP_FIXED_Q128, 2) - 82.83) < 0.005);
    assert_true(fabs(embed_capacity(HYP_POINCARE, 1, HYP_FIXED_Q64, 2) - 38.47) < 0.005);
    assert_true(fabs(embed_capacity(HYP_POINCARE, 1, HYP_FIXED_Q32, 2) - 16.29) < 0.005);
    assert_true(fabs(embed_capacity(HYP_LORENTZ, 1, HYP_FIXED_Q128, 2) - 65.85) < 0.005);
    assert_true(fabs(embed_capacity(HYP_LORENTZ, 1, HYP_FIXED_Q64, 2) - 21.49) < 0.005);
    assert_true(fabs(embed_capacity(HYP_LORENTZ, 1, HYP_FIXED_Q32, 2) - 10.40) < 0.005);
    assert_true(embed_capacity(HYP_POINCARE, 0, HYP_FIXED_Q32, 2) == 32.0);
    assert_true(embed_capacity(HYP_LORENTZ, 0, HYP_FIXED_Q32, 2) == 60.0);
    /* The rule behind them: a Poincaré q128 point at the capacity, rounded
     * by half a unit in each coordinate, moves by at most 2^-8. */
    double R = embed_capacity(HYP_POINCARE, 1, HYP_FIXED_Q128, 2);
    assert_true((1 + cosh(R)) * sqrt(2.0) * 0x1p-128 <= 0x1p-8);
}

/* The tie of test_eval_hand (test_embed.c) in q32 words: u = (1/2, 0) is as
 * far from its parent r = (1/4, 1/4) as from w = (1/4, -1/4). */
static void test_eval_fixed_tie(void **state)
{
    (void)state;
    hier h;
    embedding e;
    eval_result r;
    char msg[256];
    read_tree("u\tr\nw\tr\n", &h);
    assert_int_equal(embedding_alloc_fixed(&e, HYP_POINCARE, 2, HYP_FIXED_Q32, 3), 0);
    const int32_t k[6] = { 1 << 29, 1 << 29, 1 << 30, 0, 1 << 29, -(1 << 29) }; /* r, u, w */
    memcpy(e.q, k, sizeof k);
    assert_int_equal(embed_eval(&h, &e, 1, &r, msg, sizeof msg), 0);
    assert_true(r.mean_rank == 2.0 && r.map == 0.5);
    assert_true(r.exact >= 1);
    /* Distortion from the words (hyp_fixed_dist_wide) against the binary64
     * figures of the same points (hyp_dist, a few ulp). */
    embedding d;
    eval_result rd;
    assert_int_equal(embedding_alloc(&d, HYP_POINCARE, 2, 3), 0);
    const double pts[6] = { 0.25, 0.25, 0.5, 0, 0.25, -0.25 };
    memcpy(d.x, pts, sizeof pts);
    assert_int_equal(embed_eval(&h, &d, 1, &rd, msg, sizeof msg), 0);
    assert_true(r.has_distortion && r.pairs == 3);
    if (fabs(r.distortion_avg - rd.distortion_avg) > 1e-14 ||
        fabs(r.distortion_worst - rd.distortion_worst) > 1e-14 * rd.distortion_worst)
        fail_msg("distortion %.17g %.17g, binary64 %.17g %.17g", r.distortion_avg,
                 r.distortion_worst, rd.distortion_avg, rd.distortion_worst);
    /* A point outside the ball is reported, with its label. */
    ((int32_t *)e.q)[2] = INT32_MAX;
    ((int32_t *)e.q)[3] = INT32_MAX;
    assert_int_equal(embed_eval(&h, &e, 1, &r, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "\"u\""));
    embedding_free(&d);
    embedding_free(&e);
    hier_free(&h);
}

static void test_deep_q128(void **state)
{
    (void)state;
    static char buf[1 << 14];
    hier h;
    embedding e;
    construct_info info;
    eval_result r, r1;
    char why[512];
    deep_text(buf, sizeof buf, 60);
    read_tree(buf, &h);
    assert_int_equal(h.n, 119);
    assert_int_equal(h.max_depth, 59);

    /* Caps in Poincaré q128: every ancestor nearer than every other node. */
    construct(&h, HYP_POINCARE, 2, CONSTRUCT_CAPS, 1, HYP_FIXED_Q128, 0, &e, &info);
    assert_true(info.max_radius > 80); /* 2.5 times binary64's 32 */
    assert_int_equal(embed_eval(&h, &e, 2, &r, why, sizeof why), 0);
    if (r.map != 1.0 || r.mean_rank != 1.0)
        fail_msg("deep caps q128: MAP %.17g, mean rank %.17g", r.map, r.mean_rank);
    assert_int_equal(r.queries, 118);
    assert_int_equal(r.positives, 59 * 60); /* sum over depths 1..59, twice */
    /* The same figures with one thread (exact decisions, fixed sums). */
    assert_int_equal(embed_eval(&h, &e, 1, &r1, why, sizeof why), 0);
    assert_true(r1.map == r.map && r1.mean_rank == r.mean_rank &&
                r1.distortion_avg == r.distortion_avg &&
                r1.distortion_worst == r.distortion_worst && r1.exact == r.exact);
    /* Far too deep for binary64: the deepest points, at radius ~82.8,
     * have no faithful binary64 image.  Rounded to binary64 they land on
     * the boundary (HYP_ERANGE) or, off-axis, back inside near radius 40,
     * and the leaf s59 and its sibling p59 become one point. */
    double x[2], y[2], rd = 0;
    uint64_t rq = 0;
    const void *p59 = embedding_words(&e, hier_find(&h, "p59"));
    const void *s59 = embedding_words(&e, hier_find(&h, "s59"));
    assert_int_equal(hyp_fixed_radius(HYP_FIXED_Q128, HYP_POINCARE, 2, p59, &rq), HYP_OK);
    assert_true(ldexp((double)rq, -32) > 82);
    int err = hyp_fixed_to_double(HYP_FIXED_Q128, HYP_POINCARE, 2, p59, x);
    if (err == HYP_OK) {
        assert_int_equal(hyp_fixed_to_double(HYP_FIXED_Q128, HYP_POINCARE, 2, s59, y), HYP_OK);
        assert_int_equal(hyp_radius(HYP_POINCARE, 2, x, &rd), HYP_OK);
        if (!(rd < 45) || memcmp(x, y, sizeof x) != 0)
            fail_msg("p59: binary64 image at radius %.3f (stored %.3f), s59's %s", rd,
                     ldexp((double)rq, -32), memcmp(x, y, sizeof x) ? "differs" : "is the same");
    } else {
        assert_int_equal(err, HYP_ERANGE);
    }
    embedding_free(&e);

    /* ... and binary64 caps refuses the tree, naming the way out. */
    construct_opts o = { 0 };
    o.kind = CONSTRUCT_CAPS;
    assert_int_equal(embed_construct(&h, HYP_POINCARE, 2, &o, &e, NULL, why, sizeof why), 1);
    if (strstr(why, "beyond the 32.0 that poincare binary64 allows") == NULL ||
        strstr(why, "try --repr q128") == NULL)
        fail_msg("binary64 refusal: %s", why);

    /* Sarkar: q128 takes edges of length 82.8/59 = 1.40 and keeps the tree
     * metric; binary64 must shrink them to 32/59 = 0.54, where the children
     * crowd together and the worst distortion runs into the hundreds. */
    construct(&h, HYP_POINCARE, 2, CONSTRUCT_SARKAR, 1, HYP_FIXED_Q128, 0, &e, &info);
    assert_true(info.scale > 1.4);
    assert_int_equal(embed_eval(&h, &e, 2, &r, why, sizeof why), 0);
    embedding_free(&e);
    construct(&h, HYP_POINCARE, 2, CONSTRUCT_SARKAR, 0, HYP_FIXED_Q128, 0, &e, &info);
    assert_true(info.scale < 0.55);
    assert_int_equal(embed_eval(&h, &e, 2, &r1, why, sizeof why), 0);
    embedding_free(&e);
    if (!(r.distortion_avg < 0.12 && r.distortion_worst < 2))
        fail_msg("deep sarkar q128: distortion avg %.4f worst %.4f", r.distortion_avg,
                 r.distortion_worst);
    if (!(r1.distortion_avg > 0.5 && r1.distortion_worst > 100))
        fail_msg("deep sarkar binary64 did not fail visibly: avg %.4f worst %.4f",
                 r1.distortion_avg, r1.distortion_worst);
    hier_free(&h);

    /* Lorentz q128 (words up to 2^95) goes to depth 47, where binary64
     * Lorentz (radius 60) refuses as well. */
    deep_text(buf, sizeof buf, 48);
    read_tree(buf, &h);
    construct(&h, HYP_LORENTZ, 2, CONSTRUCT_CAPS, 1, HYP_FIXED_Q128, 0, &e, &info);
    assert_true(info.max_radius > 65);
    assert_int_equal(embed_eval(&h, &e, 2, &r, why, sizeof why), 0);
    if (r.map != 1.0 || r.mean_rank != 1.0)
        fail_msg("deep caps lorentz q128: MAP %.17g, mean rank %.17g", r.map, r.mean_rank);
    embedding_free(&e);
    assert_int_equal(embed_construct(&h, HYP_LORENTZ, 2, &o, &e, NULL, why, sizeof why), 1);
    if (strstr(why, "beyond the 60.0 that lorentz binary64 allows") == NULL ||
        strstr(why, "try --repr q128") == NULL)
        fail_msg("binary64 lorentz refusal: %s", why);
    hier_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_rounding),
        cmocka_unit_test(test_eval_fixed_tie),
        cmocka_unit_test(test_deep_q128),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
