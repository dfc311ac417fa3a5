/*
 * test_convert_dist.c — conversions measured as the issue asks: convert,
 * then the exact hyperbolic distance between the original point and its
 * converted image (MPFR), which must be at most 4 ulp "in hyperbolic
 * distance".
 *
 * The scale of an ulp in hyperbolic distance depends on the point and the
 * direction (the Lorentz and Euclid coordinates are not conformal), so the
 * bound is first order and rigorous: with u_i the exact distance between the
 * image y and y moved by one ulp in coordinate i, any image within 4 ulp per
 * coordinate of the exact one lies within 4 sum_i u_i of it.  The test checks
 * d(x, y) <= 4 sum_i u_i (plus 2^-1000 for images that equal x's exact
 * image up to the oracle's own error).
 *
 * d(x, y) between different models: both are mapped exactly (oracle_convert,
 * relative error below 2^-540) to Lorentz spatial coordinates in MPFR, and
 * d = 2 asinh(sqrt(S)) with S = sinh^2(d/2) = (A B - a.b - 1)/2,
 * A = sqrt(1 + |a|^2), evaluated at 1024 bits: the cancellation in
 * A B - a.b - 1 costs about 2 log2(cosh r) - log2(d^2) bits, below 300 here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "gen.h"
#include "oracle.h"

#define NMAX 64
#define PREC 1024

static long checks, failures;

/* Lorentz spatial coordinates of x (model m) at PREC bits. */
static int to_lorentz(hyp_model m, size_t n, const double *x, mpfr_t *s)
{
    mpfr_t y[NMAX + 1];
    for (size_t i = 0; i <= n; i++)
        mpfr_init2(y[i], PREC);
    int st = oracle_convert(m, HYP_LORENTZ, n, x, y);
    for (size_t i = 0; i < n; i++)
        mpfr_set(s[i], y[i + 1], MPFR_RNDN);
    for (size_t i = 0; i <= n; i++)
        mpfr_clear(y[i]);
    return st;
}

/* d between two Lorentz spatial vectors, PREC bits. */
static void lorentz_dist(size_t n, mpfr_t *a, mpfr_t *b, mpfr_t d)
{
    mpfr_t na, nb, ab, t;
    mpfr_inits2(PREC, na, nb, ab, t, (mpfr_ptr)0);
    mpfr_set_ui(na, 0, MPFR_RNDN);
    mpfr_set_ui(nb, 0, MPFR_RNDN);
    mpfr_set_ui(ab, 0, MPFR_RNDN);
    for (size_t i = 0; i < n; i++) {
        mpfr_fma(na, a[i], a[i], na, MPFR_RNDN);
        mpfr_fma(nb, b[i], b[i], nb, MPFR_RNDN);
        mpfr_fma(ab, a[i], b[i], ab, MPFR_RNDN);
    }
    mpfr_add_ui(na, na, 1, MPFR_RNDN);
    mpfr_sqrt(na, na, MPFR_RNDN);
    mpfr_add_ui(nb, nb, 1, MPFR_RNDN);
    mpfr_sqrt(nb, nb, MPFR_RNDN);
    mpfr_mul(t, na, nb, MPFR_RNDN);
    mpfr_sub(t, t, ab, MPFR_RNDN);
    mpfr_sub_ui(t, t, 1, MPFR_RNDN);
    mpfr_div_2ui(t, t, 1, MPFR_RNDN);
    if (mpfr_sgn(t) < 0)
        mpfr_set_ui(t, 0, MPFR_RNDN);
    mpfr_sqrt(t, t, MPFR_RNDN);
    mpfr_asinh(t, t, MPFR_RNDN);
    mpfr_mul_2ui(d, t, 1, MPFR_RNDN);
    mpfr_clears(na, nb, ab, t, (mpfr_ptr)0);
}

/* sum_i d(y, y with coordinate i moved one ulp away from 0), model m. */
static void ulp_lengths(hyp_model m, size_t n, const double *y, mpfr_t sum)
{
    size_t off = m == HYP_LORENTZ ? 1 : 0;
    double z[NMAX + 1];
    mpfr_t d;
    mpfr_init2(d, PREC);
    mpfr_set_ui(sum, 0, MPFR_RNDN);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < hyp_model_width(m, n); j++)
            z[j] = y[j];
        double v = y[off + i];
        z[off + i] = nextafter(v, v < 0 ? -INFINITY : INFINITY);
        if (m == HYP_POINCARE && oracle_check(m, n, z) != ORACLE_OK)
            z[off + i] = nextafter(v, v < 0 ? INFINITY : -INFINITY); /* toward 0 */
        oracle_dist(m, n, y, z, d);
        mpfr_add(sum, sum, d, MPFR_RNDN);
    }
    mpfr_clear(d);
}

static void check(hyp_model from, hyp_model to, size_t n, const double *x)
{
    double y[NMAX + 1];
    if (hyp_convert(from, to, n, x, y) != HYP_OK)
        return; /* not representable: test_accuracy checks the refusal */
    mpfr_t a[NMAX], b[NMAX], d, bound;
    for (size_t i = 0; i < n; i++) {
        mpfr_init2(a[i], PREC);
        mpfr_init2(b[i], PREC);
    }
    mpfr_inits2(PREC, d, bound, (mpfr_ptr)0);
    checks++;
    if (to_lorentz(from, n, x, a) != ORACLE_OK || to_lorentz(to, n, y, b) != ORACLE_OK) {
        failures++;
        fprintf(stderr, "FAIL oracle refused %s -> %s\n", hyp_model_name(from), hyp_model_name(to));
    } else {
        lorentz_dist(n, a, b, d);
        ulp_lengths(to, n, y, bound);
        mpfr_mul_ui(bound, bound, 4, MPFR_RNDU);
        mpfr_t floor;
        mpfr_init2(floor, PREC);
        mpfr_set_ui_2exp(floor, 1, -1000, MPFR_RNDN);
        mpfr_add(bound, bound, floor, MPFR_RNDU);
        mpfr_clear(floor);
        if (mpfr_cmp(d, bound) > 0) {
            failures++;
            if (failures <= 10) {
                double rx = 0, ry = 0;
                hyp_radius(from, n, x, &rx);
                hyp_radius(to, n, y, &ry);
                mpfr_fprintf(stderr, "FAIL %s -> %s n=%zu: d(x, y) = %.6Rg > 4 ulp lengths %.6Rg "
                             "(radii %.17g, %.17g)\n",
                             hyp_model_name(from), hyp_model_name(to), n, d, bound, rx, ry);
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        mpfr_clear(a[i]);
        mpfr_clear(b[i]);
    }
    mpfr_clears(d, bound, (mpfr_ptr)0);
}

int main(void)
{
    gen_rng *g = gen_create(1129);
    if (!g)
        return 2;
    const hyp_model models[] = { HYP_POINCARE, HYP_LORENTZ, HYP_EUCLID };
    const size_t dims[] = { 2, 3, 10, 64 };
    double x[NMAX + 1], dir[NMAX];
    for (int f = 0; f < 3; f++) {
        hyp_model from = models[f];
        double top = from == HYP_POINCARE ? 37.0 : from == HYP_LORENTZ ? 700.0 : 1e3;
        for (int di = 0; di < 4; di++) {
            size_t n = dims[di];
            int count = n == 64 ? 15 : 60;
            for (int it = 0; it < count; it++) {
                int st;
                if (from == HYP_POINCARE && it % 10 == 9) { /* the last doubles before the boundary */
                    gen_direction(g, n, dir);
                    st = gen_poincare_edge(n, dir, (unsigned)gen_index(g, 4), x);
                } else {
                    st = gen_point(g, from, n, gen_log_uniform(g, 1e-8, top), x);
                }
                if (st != GEN_OK)
                    continue;
                for (int t = 0; t < 3; t++)
                    if (models[t] != from)
                        check(from, models[t], n, x);
            }
        }
    }
    gen_free(g);
    printf("%ld conversions measured, %ld failures (bound: 4 ulp lengths)\n", checks, failures);
    return failures != 0;
}
