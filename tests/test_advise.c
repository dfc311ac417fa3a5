/*
 * test_advise.c — tools/advise.c, the measurements behind `hyperstore advise`.
 *
 *   recommend   the rule on hand-made rows: smallest size first, a fixed
 *               format before f64 at equal size, every point must fit, the
 *               99.9% threshold decided in integers (999/1000 passes,
 *               998/1000 and 9989/10000 do not), nothing qualifies -> -1;
 *   brute       advise_run's filtered scan against a brute-force one that
 *               ranks every point of every format with the exact predicates
 *               (insertion sort, ties by index): the same agreement and
 *               overlap for every model, on seeded point sets built to make
 *               q32 (and, far out, q64) disagree: clusters of near
 *               duplicates, exact ties (mirror images), and radii up to 30;
 *               also fit counts and max_error against a direct recomputation.
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
#include "advise.h"

static advise_row row(const char *name, int fixed, size_t bytes, size_t fit, size_t agree)
{
    advise_row r = { 0 };
    r.name = name;
    r.fixed = fixed;
    r.bytes_per_point = bytes;
    r.fit = fit;
    r.agree = agree;
    return r;
}

static void test_recommend(void **state)
{
    (void)state;
    advise_row rows[4];
    /* everything agrees: q32, the smallest */
    rows[0] = row("f64", 0, 80, 100, 1000);
    rows[1] = row("q32", 1, 40, 100, 1000);
    rows[2] = row("q64", 1, 80, 100, 1000);
    rows[3] = row("q128", 1, 160, 100, 1000);
    assert_int_equal(advise_recommend(rows, 4, 100, 1000), 1);
    /* q32 at exactly 99.9% still qualifies; at 99.8% it does not, and q64
     * (same size as f64) comes before f64 */
    rows[1].agree = 999;
    assert_int_equal(advise_recommend(rows, 4, 100, 1000), 1);
    rows[1].agree = 998;
    assert_int_equal(advise_recommend(rows, 4, 100, 1000), 2);
    /* 9989/10000 = 99.89%: below */
    rows[1].agree = 9989;
    rows[0].agree = rows[2].agree = rows[3].agree = 10000;
    assert_int_equal(advise_recommend(rows, 4, 100, 10000), 2);
    /* a point that does not fit disqualifies even a perfect agreement */
    rows[1].agree = 10000;
    rows[1].fit = 99;
    rows[2].fit = 99;
    assert_int_equal(advise_recommend(rows, 4, 100, 10000), 0);
    /* f64 out too: q128 */
    rows[0].agree = 9000;
    assert_int_equal(advise_recommend(rows, 4, 100, 10000), 3);
    /* nothing */
    rows[3].fit = 0;
    assert_int_equal(advise_recommend(rows, 4, 100, 10000), -1);
    /* no query (a single point): every list is empty, all agree */
    rows[0] = row("f64", 0, 16, 1, 0);
    rows[1] = row("q32", 1, 8, 1, 0);
    assert_int_equal(advise_recommend(rows, 2, 1, 0), 1);
}

/* ---- brute force ------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static double rng_unit(void)
{
    return (double)(rng_next() >> 11) * 0x1p-53;
}

/* count points of H^n in `model`: tangent vectors at the origin mapped by
 * exp_0; a third are near duplicates of an earlier point (relative 1e-9 ..
 * 1e-13), some are mirror images of an earlier one (exact ties from a query
 * on the mirror axis), radii from 0.01 to rmax. */
static double *make_points(hyp_model model, size_t n, size_t count, double rmax)
{
    size_t w = hyp_model_width(model, n);
    double *pts = calloc(count * w, sizeof(double));
    double *v = calloc(count * n, sizeof(double));
    assert_non_null(pts);
    assert_non_null(v);
    for (size_t i = 0; i < count; i++) {
        double *vi = v + i * n;
        uint64_t kind = rng_next() % 6;
        if (i > 0 && kind < 2) {
            const double *vj = v + (rng_next() % i) * n;
            double eps = pow(10.0, -9.0 - 4.0 * rng_unit());
            for (size_t c = 0; c < n; c++)
                vi[c] = vj[c] * (1.0 + eps * (2.0 * rng_unit() - 1.0));
        } else if (i > 0 && kind == 2) {
            const double *vj = v + (rng_next() % i) * n;
            memcpy(vi, vj, n * sizeof(double));
            vi[n - 1] = -vi[n - 1];
        } else {
            double s = 0.0, r = 0.01 + rmax * rng_unit() * rng_unit();
            for (size_t c = 0; c < n; c++) {
                vi[c] = 2.0 * rng_unit() - 1.0;
                s += vi[c] * vi[c];
            }
            for (size_t c = 0; c < n; c++)
                vi[c] *= r / sqrt(s);
        }
        assert_int_equal(hyp_expmap0(model, n, vi, pts + i * w), HYP_OK);
    }
    free(v);
    return pts;
}

typedef struct bf {
    hyp_model model;
    size_t n;
    int fixed;
    hyp_fixed_format format;
    const unsigned char *base;
    size_t stride;
    size_t q;
} bf;

static int bf_cmp(const bf *b, size_t x, size_t y)
{
    int o = 0;
    const void *pq = b->base + b->q * b->stride;
    const void *px = b->base + x * b->stride, *py = b->base + y * b->stride;
    if (b->fixed)
        hyp_fixed_dist_cmp(b->format, b->model, b->n, pq, px, py, &o);
    else
        assert_int_equal(hyp_dist_cmp(b->model, b->n, pq, px, py, &o), HYP_OK);
    if (o == 0)
        o = (x > y) - (x < y); /* ties by index */
    return o;
}

/* Every point of `ok` but q, fully sorted with the exact predicate;
 * the first k into top.  Returns the length. */
static size_t bf_topk(const bf *b, size_t count, const unsigned char *ok, size_t k, size_t *top)
{
    size_t *all = malloc(count * sizeof *all), m = 0;
    assert_non_null(all);
    for (size_t j = 0; j < count; j++) {
        if (j == b->q || (ok && !ok[j]))
            continue;
        size_t lo = 0, hi = m; /* binary insertion: the full sort, fewer comparisons */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (bf_cmp(b, j, all[mid]) < 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        memmove(all + lo + 1, all + lo, (m - lo) * sizeof *all);
        all[lo] = j;
        m++;
    }
    size_t len = m < k ? m : k;
    memcpy(top, all, len * sizeof *top);
    free(all);
    return len;
}

static void check_model(hyp_model model, size_t n, size_t count, double rmax, uint64_t seed)
{
    rng_state = seed;
    size_t w = hyp_model_width(model, n);
    double *pts = make_points(model, n, count, rmax);
    advise_report rep;
    assert_int_equal(advise_run(model, n, pts, count, 0, &rep), 0);
    assert_int_equal(rep.points, count);
    assert_int_equal(rep.queries, count);
    assert_int_equal(rep.k, ADVISE_K);

    size_t ref[ADVISE_K], top[ADVISE_K];
    size_t agree[ADVISE_ROWS] = { 0 }, fit[ADVISE_ROWS] = { 0 };
    double overlap[ADVISE_ROWS] = { 0 }, maxerr[ADVISE_ROWS] = { 0 };
    unsigned char *words[ADVISE_ROWS] = { 0 }, *ok[ADVISE_ROWS] = { 0 };
    size_t size[ADVISE_ROWS] = { 0 };
    double *dec = malloc(w * sizeof(double));
    for (int r = 1; r < ADVISE_ROWS; r++) {
        hyp_fixed_format f = (hyp_fixed_format)(HYP_FIXED_Q32 + r - 1);
        size[r] = hyp_fixed_size(f, model, n);
        words[r] = malloc(count * size[r]);
        ok[r] = malloc(count);
        for (size_t i = 0; i < count; i++) {
            ok[r][i] = hyp_fixed_from_double(f, model, n, pts + i * w, words[r] + i * size[r]) ==
                       HYP_OK;
            if (!ok[r][i])
                continue;
            fit[r]++;
            double e;
            assert_int_equal(hyp_fixed_to_double(f, model, n, words[r] + i * size[r], dec), HYP_OK);
            assert_int_equal(hyp_dist(model, n, pts + i * w, dec, &e), HYP_OK);
            if (e > maxerr[r])
                maxerr[r] = e;
        }
    }
    for (size_t q = 0; q < count; q++) {
        bf b = { model, n, 0, HYP_FIXED_Q32, (const unsigned char *)pts, w * sizeof(double), q };
        size_t reflen = bf_topk(&b, count, NULL, ADVISE_K, ref);
        agree[0]++;
        overlap[0] += 1.0;
        for (int r = 1; r < ADVISE_ROWS; r++) {
            if (!ok[r][q])
                continue;
            bf bq = { model, n, 1, (hyp_fixed_format)(HYP_FIXED_Q32 + r - 1), words[r], size[r], q };
            size_t len = bf_topk(&bq, count, ok[r], ADVISE_K, top);
            size_t common = 0;
            for (size_t a = 0; a < reflen; a++)
                for (size_t c = 0; c < len; c++)
                    common += ref[a] == top[c];
            overlap[r] += (double)common / (double)reflen;
            agree[r] += len == reflen && memcmp(top, ref, len * sizeof *top) == 0;
        }
    }
    for (int r = 0; r < ADVISE_ROWS; r++) {
        const advise_row *row = &rep.rows[r];
        print_message("  %s n=%zu %-4s fit %zu/%zu agree %zu/%zu overlap %.4f max error %.3g\n",
                      hyp_model_name(model), n, row->name, row->fit, count, row->agree, count,
                      row->overlap, row->max_error);
        if (r > 0)
            assert_int_equal(row->fit, fit[r]);
        assert_int_equal(row->agree, agree[r]);
        assert_true(fabs(row->overlap - overlap[r] / (double)count) < 1e-12);
        assert_true(row->max_error == maxerr[r]);
        free(words[r]);
        free(ok[r]);
    }
    /* the sets are built so that q32 loses lists: the test would be empty otherwise */
    assert_true(rep.rows[1].agree < count);
    free(dec);
    free(pts);
}

static void test_brute_poincare(void **state)
{
    (void)state;
    check_model(HYP_POINCARE, 3, 160, 30.0, 1);
    check_model(HYP_POINCARE, 2, 120, 12.0, 2);
}

static void test_brute_lorentz(void **state)
{
    (void)state;
    check_model(HYP_LORENTZ, 3, 160, 30.0, 3);
    check_model(HYP_LORENTZ, 2, 120, 8.0, 4);
}

static void test_brute_euclid(void **state)
{
    (void)state;
    check_model(HYP_EUCLID, 3, 70, 30.0, 5);
    check_model(HYP_EUCLID, 2, 60, 8.0, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recommend),
        cmocka_unit_test(test_brute_poincare),
        cmocka_unit_test(test_brute_lorentz),
        cmocka_unit_test(test_brute_euclid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
