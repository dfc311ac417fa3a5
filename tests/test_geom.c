/*
 * test_geom.c — cmocka unit tests of geom/ (hyp_geom.h, hyp_error.h):
 * names and widths, every hyp_point_check code at its exact edge,
 * hyp_strerror, hyp_lorentz_lift, batch semantics with invalid points,
 * conversion and exp/log round trips, isometry invariance.
 *
 * Debian 12's cmocka 1.1.5 compares floating point as float, so the numeric
 * assertions here are our own (assert_ulps, assert_rel, assert_same_bits),
 * built on fail_msg.  The accuracy contract itself is tested at scale in
 * test_accuracy.c; the references here come from the same MPFR oracle.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "gen.h"
#include "hyp_geom.h"
#include "oracle.h"

/* ---- assertions ---------------------------------------------------------- */

/* got within tol ulp of the MPFR reference ref (ulp as oracle_ulps). */
#define assert_ulps(got, ref, tol)                                                             \
    do {                                                                                       \
        double got_ = (got);                                                                   \
        double u_ = oracle_ulps(got_, (ref));                                                  \
        if (!(u_ <= (tol))) {                                                                  \
            char rb_[80];                                                                      \
            mpfr_snprintf(rb_, sizeof rb_, "%.25Rg", (ref));                                   \
            fail_msg("%s = %a (%.17g) is %.3f ulp from %s (tolerance %g ulp)", #got, got_,     \
                     got_, u_, rb_, (double)(tol));                                            \
        }                                                                                      \
    } while (0)

/* |got - want| <= tol |want| */
#define assert_rel(got, want, tol)                                                             \
    do {                                                                                       \
        double g_ = (got), w_ = (want);                                                        \
        if (!(fabs(g_ - w_) <= (tol) * fabs(w_)))                                              \
            fail_msg("%s = %a (%.17g), expected %a (%.17g) within relative %g", #got, g_, g_,  \
                     w_, w_, (double)(tol));                                                   \
    } while (0)

/* The same 64 bits (so +0 != -0, and NaN == the same NaN). */
#define assert_same_bits(a, b)                                                                 \
    do {                                                                                       \
        double a_ = (a), b_ = (b);                                                             \
        if (memcmp(&a_, &b_, sizeof a_) != 0)                                                  \
            fail_msg("%s = %a and %s = %a differ in their bits", #a, a_, #b, b_);              \
    } while (0)

/* A return code, with both messages on failure. */
#define assert_code(got, want)                                                                 \
    do {                                                                                       \
        int gc_ = (got), wc_ = (want);                                                         \
        if (gc_ != wc_)                                                                        \
            fail_msg("%s returned %d (%s), expected %d (%s)", #got, gc_, hyp_strerror(gc_),    \
                     wc_, hyp_strerror(wc_));                                                  \
    } while (0)

static const hyp_model models[] = { HYP_POINCARE, HYP_LORENTZ, HYP_EUCLID };

/* d(x, y) checked against the oracle within 4 ulp; returns it. */
static double checked_dist(hyp_model m, size_t n, const double *x, const double *y)
{
    double d = NAN;
    assert_code(hyp_dist(m, n, x, y, &d), HYP_OK);
    mpfr_t ref;
    mpfr_init2(ref, 200);
    assert_int_equal(oracle_dist(m, n, x, y, ref), ORACLE_OK);
    assert_ulps(d, ref, 4.0);
    mpfr_clear(ref);
    return d;
}

/* ---- names, parse, width ------------------------------------------------- */

static void test_model_names(void **state)
{
    (void)state;
    assert_string_equal(hyp_model_name(HYP_POINCARE), "poincare");
    assert_string_equal(hyp_model_name(HYP_LORENTZ), "lorentz");
    assert_string_equal(hyp_model_name(HYP_EUCLID), "euclid");
    assert_null(hyp_model_name((hyp_model)0));
    assert_null(hyp_model_name((hyp_model)4));
    assert_null(hyp_model_name((hyp_model)-1));
    for (size_t i = 0; i < 3; i++) {
        hyp_model m = (hyp_model)0;
        assert_code(hyp_model_parse(hyp_model_name(models[i]), &m), HYP_OK);
        assert_int_equal(m, models[i]);
    }
    hyp_model m = HYP_EUCLID;
    assert_code(hyp_model_parse("Poincare", &m), HYP_EMODEL);
    assert_code(hyp_model_parse("poincare ", &m), HYP_EMODEL);
    assert_code(hyp_model_parse("", &m), HYP_EMODEL);
    assert_code(hyp_model_parse("hyperboloid", &m), HYP_EMODEL);
    assert_int_equal(m, HYP_EUCLID); /* untouched on failure */

    assert_int_equal(hyp_model_width(HYP_POINCARE, 10), 10);
    assert_int_equal(hyp_model_width(HYP_LORENTZ, 10), 11);
    assert_int_equal(hyp_model_width(HYP_EUCLID, 10), 10);
    assert_int_equal(hyp_model_width(HYP_LORENTZ, 1), 2);
    assert_int_equal(hyp_model_width((hyp_model)0, 10), 0);
    assert_int_equal(hyp_model_width((hyp_model)7, 10), 0);
}

/* ---- hyp_point_check ------------------------------------------------------ */

static void test_check_dimensions(void **state)
{
    (void)state;
    double *x = calloc(HYP_DIM_MAX + 2, sizeof *x);
    assert_non_null(x);
    for (size_t i = 0; i < 3; i++) {
        hyp_model m = models[i];
        if (m == HYP_LORENTZ)
            x[0] = 1.0;
        assert_code(hyp_point_check(m, 0, x), HYP_EDIM);
        assert_code(hyp_point_check(m, HYP_DIM_MAX + 1, x), HYP_EDIM);
        assert_code(hyp_point_check(m, HYP_DIM_MAX, x), HYP_OK);
        assert_code(hyp_point_check(m, 1, x), HYP_OK);
        double d = 7.0;
        assert_code(hyp_dist(m, 0, x, x, &d), HYP_EDIM);
        assert_code(hyp_dist(m, HYP_DIM_MAX + 1, x, x, &d), HYP_EDIM);
        assert_same_bits(d, 7.0);
        assert_code(hyp_radius(m, 0, x, &d), HYP_EDIM);
        x[0] = 0.0;
    }
    assert_code(hyp_point_check((hyp_model)0, 2, x), HYP_EMODEL);
    assert_code(hyp_point_check((hyp_model)4, 2, x), HYP_EMODEL);
    double d;
    assert_code(hyp_dist((hyp_model)9, 2, x, x, &d), HYP_EMODEL);
    /* the largest dimension computes */
    for (size_t i = 0; i < HYP_DIM_MAX; i++)
        x[i] = 0x1p-7;
    double r = NAN;
    assert_code(hyp_radius(HYP_POINCARE, HYP_DIM_MAX, x, &r), HYP_OK);
    mpfr_t ref;
    mpfr_init2(ref, 200);
    assert_int_equal(oracle_radius(HYP_POINCARE, HYP_DIM_MAX, x, ref), ORACLE_OK);
    assert_ulps(r, ref, 4.0);
    mpfr_clear(ref);
    free(x);
}

static void test_check_nonfinite(void **state)
{
    (void)state;
    const double bad[] = { NAN, INFINITY, -INFINITY };
    for (size_t b = 0; b < 3; b++) {
        for (size_t pos = 0; pos < 3; pos++) {
            double p[3] = { 0.1, 0.2, 0.3 };
            p[pos] = bad[b];
            assert_code(hyp_point_check(HYP_POINCARE, 3, p), HYP_ENONFINITE);
            assert_code(hyp_point_check(HYP_EUCLID, 3, p), HYP_ENONFINITE);
            double l[4] = { 1.0, 0.0, 0.0, 0.0 };
            double xs[3] = { 0.1, 0.2, 0.3 };
            assert_code(hyp_lorentz_lift(3, xs, l), HYP_OK);
            l[1 + pos] = bad[b];
            assert_code(hyp_point_check(HYP_LORENTZ, 3, l), HYP_ENONFINITE);
        }
    }
    /* x0 = NaN */
    double l[3] = { NAN, 0.0, 0.0 };
    assert_code(hyp_point_check(HYP_LORENTZ, 2, l), HYP_ENONFINITE);
}

static void test_check_poincare_boundary(void **state)
{
    (void)state;
    /* |x| = 1 exactly: on an axis, and (1/2, 1/2, 1/2, 1/2) */
    double a[2] = { 1.0, 0.0 }, b[2] = { 0.0, -1.0 };
    assert_code(hyp_point_check(HYP_POINCARE, 2, a), HYP_EBOUNDARY);
    assert_code(hyp_point_check(HYP_POINCARE, 2, b), HYP_EBOUNDARY);
    double h[4] = { 0.5, -0.5, 0.5, 0.5 };
    assert_int_equal(oracle_check(HYP_POINCARE, 4, h), ORACLE_INF);
    assert_code(hyp_point_check(HYP_POINCARE, 4, h), HYP_EBOUNDARY);
    h[3] = nextafter(0.5, 1.0);
    assert_code(hyp_point_check(HYP_POINCARE, 4, h), HYP_EOUTSIDE);
    h[3] = nextafter(0.5, 0.0);
    assert_code(hyp_point_check(HYP_POINCARE, 4, h), HYP_OK);
    /* just outside / inside on an axis */
    a[0] = 1.0 + 0x1p-52;
    assert_code(hyp_point_check(HYP_POINCARE, 2, a), HYP_EOUTSIDE);
    a[0] = nextafter(1.0, 0.0);
    assert_code(hyp_point_check(HYP_POINCARE, 2, a), HYP_OK);
    a[0] = -2.0;
    assert_code(hyp_point_check(HYP_POINCARE, 2, a), HYP_EOUTSIDE);
    /* decided exactly, far below double resolution:
     * (1 - 2^-53)^2 + (2^-26)^2 = 1 + 2^-106 > 1 */
    double c[2] = { 1.0 - 0x1p-53, 0x1p-26 };
    assert_int_equal(oracle_check(HYP_POINCARE, 2, c), ORACLE_INVALID);
    assert_code(hyp_point_check(HYP_POINCARE, 2, c), HYP_EOUTSIDE);
    /* (1 - 2^-53)^2 + (2^-26 (1 - 2^-53))^2 = 1 - 2^-104 + 2^-106 + ... < 1 */
    c[1] = nextafter(0x1p-26, 0.0);
    assert_int_equal(oracle_check(HYP_POINCARE, 2, c), ORACLE_OK);
    assert_code(hyp_point_check(HYP_POINCARE, 2, c), HYP_OK);
    double r;
    assert_code(hyp_radius(HYP_POINCARE, 2, c, &r), HYP_OK);
    mpfr_t ref;
    mpfr_init2(ref, 200);
    oracle_radius(HYP_POINCARE, 2, c, ref);
    assert_ulps(r, ref, 4.0);
    assert_true(r > 70.0); /* 1 - |x|^2 ~ 2^-105: an engineered deep point */
    /* x = (RN(sqrt 1/2), RN(sqrt 1/2)): whatever the exact side, the library agrees */
    double s[2] = { sqrt(0.5), -sqrt(0.5) };
    int st = oracle_check(HYP_POINCARE, 2, s);
    assert_code(hyp_point_check(HYP_POINCARE, 2, s),
                st == ORACLE_OK ? HYP_OK : st == ORACLE_INF ? HYP_EBOUNDARY : HYP_EOUTSIDE);
    /* subnormal and tiny coordinates are fine */
    double t[3] = { 0x1p-1074, -0x1p-1060, 0x1p-600 };
    assert_code(hyp_point_check(HYP_POINCARE, 3, t), HYP_OK);
    assert_code(hyp_radius(HYP_POINCARE, 3, t, &r), HYP_OK);
    oracle_radius(HYP_POINCARE, 3, t, ref);
    assert_ulps(r, ref, 4.0);
    mpfr_clear(ref);
}

/* sqrt(1 + |x_s|^2) from the oracle, into ref (initialised). */
static void exact_x0_mp(size_t n, const double *xs, mpfr_t ref)
{
    double *p = malloc((n + 1) * sizeof *p);
    p[0] = 1.0; /* not read */
    memcpy(p + 1, xs, n * sizeof *xs);
    mpfr_t *y = malloc((n + 1) * sizeof *y);
    for (size_t i = 0; i <= n; i++)
        mpfr_init2(y[i], 200);
    assert_int_equal(oracle_convert(HYP_LORENTZ, HYP_LORENTZ, n, p, y), ORACLE_OK);
    mpfr_set(ref, y[0], MPFR_RNDN);
    for (size_t i = 0; i <= n; i++)
        mpfr_clear(y[i]);
    free(y);
    free(p);
}

/* RN(sqrt(1 + |x_s|^2)). */
static double exact_x0(size_t n, const double *xs)
{
    mpfr_t r;
    mpfr_init2(r, 200);
    exact_x0_mp(n, xs, r);
    double x0 = mpfr_get_d(r, MPFR_RNDN);
    mpfr_clear(r);
    return x0;
}

static void test_check_lorentz_x0(void **state)
{
    (void)state;
    const double spatial[][3] = { { 0, 0, 0 },      { 0.3, -0.2, 0.1 }, { 3, 4, 12 },
                                  { 1e-9, 0, 2e-9 }, { 1e10, -3e9, 7 }, { 1e150, 1e150, 0 } };
    for (size_t k = 0; k < sizeof spatial / sizeof spatial[0]; k++) {
        double x[4];
        memcpy(x + 1, spatial[k], sizeof spatial[k]);
        double want = exact_x0(3, spatial[k]);
        /* within the 2^-20 relative tolerance: accepted */
        x[0] = want;
        assert_code(hyp_point_check(HYP_LORENTZ, 3, x), HYP_OK);
        x[0] = want * (1 + 0x1p-21);
        assert_code(hyp_point_check(HYP_LORENTZ, 3, x), HYP_OK);
        x[0] = want * (1 - 0x1p-21);
        assert_code(hyp_point_check(HYP_LORENTZ, 3, x), HYP_OK);
        /* beyond it: refused */
        x[0] = want * (1 + 0x1p-19);
        assert_code(hyp_point_check(HYP_LORENTZ, 3, x), HYP_ELORENTZ_X0);
        x[0] = want * (1 - 0x1p-19);
        assert_code(hyp_point_check(HYP_LORENTZ, 3, x), HYP_ELORENTZ_X0);
        /* negative or zero x0: the lower sheet, or no sheet */
        x[0] = -want;
        assert_code(hyp_point_check(HYP_LORENTZ, 3, x), HYP_ELORENTZ_X0);
        x[0] = 0.0;
        assert_code(hyp_point_check(HYP_LORENTZ, 3, x), HYP_ELORENTZ_X0);
        x[0] = -0.0;
        assert_code(hyp_point_check(HYP_LORENTZ, 3, x), HYP_ELORENTZ_X0);
        /* x0 = -Inf: non-finite, as the header says of every x0 but +Inf */
        x[0] = -INFINITY;
        assert_code(hyp_point_check(HYP_LORENTZ, 3, x), HYP_ENONFINITE);
    }
    /* Another model's coordinates passed as Lorentz: refused */
    double pc[3] = { 0.5, 0.3, 0.2 };
    assert_code(hyp_point_check(HYP_LORENTZ, 2, pc), HYP_ELORENTZ_X0);
}

static void test_check_lorentz_x0_inf(void **state)
{
    (void)state;
    /* x0 = +Inf accepted exactly when |x_s| >= 2^511 */
    double x[3] = { INFINITY, 0x1p511, 0.0 };
    assert_code(hyp_point_check(HYP_LORENTZ, 2, x), HYP_OK);
    x[1] = -0x1p511;
    assert_code(hyp_point_check(HYP_LORENTZ, 2, x), HYP_OK);
    x[1] = nextafter(0x1p511, 0.0);
    assert_code(hyp_point_check(HYP_LORENTZ, 2, x), HYP_ENONFINITE);
    x[1] = 1.0;
    assert_code(hyp_point_check(HYP_LORENTZ, 2, x), HYP_ENONFINITE);
    /* |x_s| = 2^511 from two coordinates 2^510.5-ish is still >= 2^511 */
    x[1] = 0x1p511 * sqrt(0.5) * (1 + 0x1p-40);
    x[2] = x[1];
    assert_code(hyp_point_check(HYP_LORENTZ, 2, x), HYP_OK);
    /* |x_s| = DBL_MAX: x0 = +Inf or RN(...) = DBL_MAX both valid */
    x[1] = DBL_MAX;
    x[2] = 0.0;
    assert_code(hyp_point_check(HYP_LORENTZ, 2, x), HYP_OK);
    x[0] = DBL_MAX;
    assert_code(hyp_point_check(HYP_LORENTZ, 2, x), HYP_OK);
    /* |x_s| = sqrt(2) DBL_MAX > DBL_MAX: only x0 = +Inf describes it */
    x[2] = DBL_MAX;
    assert_code(hyp_point_check(HYP_LORENTZ, 2, x), HYP_ELORENTZ_X0);
    x[0] = INFINITY;
    assert_code(hyp_point_check(HYP_LORENTZ, 2, x), HYP_OK);
    double r;
    assert_code(hyp_radius(HYP_LORENTZ, 2, x, &r), HYP_OK);
    mpfr_t ref;
    mpfr_init2(ref, 200);
    oracle_radius(HYP_LORENTZ, 2, x, ref);
    assert_ulps(r, ref, 4.0);
    mpfr_clear(ref);
}

static void test_check_euclid_radius(void **state)
{
    (void)state;
    double v[2] = { HYP_EUCLID_RADIUS_MAX, 0.0 };
    assert_code(hyp_point_check(HYP_EUCLID, 2, v), HYP_OK);
    v[0] = -HYP_EUCLID_RADIUS_MAX;
    assert_code(hyp_point_check(HYP_EUCLID, 2, v), HYP_OK);
    v[0] = nextafter(HYP_EUCLID_RADIUS_MAX, INFINITY);
    assert_code(hyp_point_check(HYP_EUCLID, 2, v), HYP_ERADIUS);
    v[0] = 1e300;
    assert_code(hyp_point_check(HYP_EUCLID, 2, v), HYP_ERADIUS);
    v[0] = DBL_MAX;
    assert_code(hyp_point_check(HYP_EUCLID, 2, v), HYP_ERADIUS);
    /* two coordinates of 2^24 / sqrt 2 each, rounded either way */
    v[0] = v[1] = HYP_EUCLID_RADIUS_MAX * sqrt(0.5);
    int st = oracle_check(HYP_EUCLID, 2, v);
    assert_code(hyp_point_check(HYP_EUCLID, 2, v), st == ORACLE_OK ? HYP_OK : HYP_ERADIUS);
}

/* |x_s| just below 2^511 by a relative 2^-61, with x0 = +Inf: the header
 * accepts +Inf only when |x_s| >= 2^511 (the oracle decides exactly). */
static void test_check_lorentz_x0_inf_exact(void **state)
{
    (void)state;
    double x[3] = { INFINITY, nextafter(0x1p511, 0.0), 0x1p511 * 0x1p-26 * sqrt(1 - 0x1p-8) };
    mpfr_t s, t;
    mpfr_inits2(3000, s, t, (mpfr_ptr)0);
    mpfr_set_d(s, x[1], MPFR_RNDN);
    mpfr_sqr(s, s, MPFR_RNDN);
    mpfr_set_d(t, x[2], MPFR_RNDN);
    mpfr_sqr(t, t, MPFR_RNDN);
    mpfr_add(s, s, t, MPFR_RNDN); /* exact at 3000 bits */
    assert_true(mpfr_cmp_d(s, 0x1p1022) < 0);
    mpfr_clears(s, t, (mpfr_ptr)0);
    assert_code(hyp_point_check(HYP_LORENTZ, 2, x), HYP_ENONFINITE);
}

/* |v| just above 2^24 by less than an ulp of |v|^2: the header refuses every
 * |v| > HYP_EUCLID_RADIUS_MAX (the oracle decides exactly). */
static void test_check_euclid_radius_exact(void **state)
{
    (void)state;
    double v[2] = { HYP_EUCLID_RADIUS_MAX, 0x1p-10 };
    assert_int_equal(oracle_check(HYP_EUCLID, 2, v), ORACLE_INVALID);
    assert_code(hyp_point_check(HYP_EUCLID, 2, v), HYP_ERADIUS);
}

/* ---- hyp_strerror --------------------------------------------------------- */

static void test_strerror(void **state)
{
    (void)state;
    const char *seen[HYP_ERR_LAST - HYP_ERR_FIRST];
    for (int c = HYP_ERR_FIRST; c < HYP_ERR_LAST; c++) {
        const char *m = hyp_strerror(c);
        assert_non_null(m);
        assert_true(strlen(m) > 5);
        for (int k = HYP_ERR_FIRST; k < c; k++)
            if (!strcmp(seen[k - HYP_ERR_FIRST], m))
                fail_msg("codes %d and %d share the message \"%s\"", k, c, m);
        seen[c - HYP_ERR_FIRST] = m;
        assert_string_not_equal(m, hyp_strerror(HYP_OK));
    }
    assert_non_null(hyp_strerror(HYP_OK));
    assert_true(strlen(hyp_strerror(HYP_OK)) > 0);
    /* errno values pass through */
    char buf[256];
    snprintf(buf, sizeof buf, "%s", strerror(ENOMEM));
    assert_string_equal(hyp_strerror(ENOMEM), buf);
    snprintf(buf, sizeof buf, "%s", strerror(EACCES));
    assert_string_equal(hyp_strerror(EACCES), buf);
    /* anything else: still a message */
    assert_non_null(hyp_strerror(HYP_ERR_LAST));
    assert_non_null(hyp_strerror(-1));
    assert_non_null(hyp_strerror(HYP_ERR_FIRST - 1));
    assert_non_null(hyp_strerror(INT32_MIN));
}

/* ---- hyp_lorentz_lift ---------------------------------------------------- */

static void test_lorentz_lift(void **state)
{
    (void)state;
    gen_rng *g = gen_create(11);
    double xs[64], x[65];
    for (int k = 0; k < 400; k++) {
        size_t n = (size_t)(1 + k % 64);
        double scale = ldexp(1.0, (int)gen_index(g, 1400) - 700);
        gen_direction(g, n, xs);
        for (size_t i = 0; i < n; i++)
            xs[i] *= scale;
        memset(x, 0xff, sizeof x);
        assert_code(hyp_lorentz_lift(n, xs, x), HYP_OK);
        assert_memory_equal(x + 1, xs, n * sizeof *xs);
        /* within 1 ulp of sqrt(1 + |x_s|^2) */
        mpfr_t want;
        mpfr_init2(want, 200);
        exact_x0_mp(n, xs, want);
        assert_ulps(x[0], want, 1.0);
        mpfr_clear(want);
        assert_code(hyp_point_check(HYP_LORENTZ, n, x), HYP_OK);
    }
    /* the origin */
    double z[2] = { 0.0, 0.0 }, zl[3];
    assert_code(hyp_lorentz_lift(2, z, zl), HYP_OK);
    assert_same_bits(zl[0], 1.0);
    /* overflow: +Inf (documented), and the point is valid */
    double big[2] = { DBL_MAX, DBL_MAX }, bl[3];
    assert_code(hyp_lorentz_lift(2, big, bl), HYP_OK);
    assert_same_bits(bl[0], INFINITY);
    assert_code(hyp_point_check(HYP_LORENTZ, 2, bl), HYP_OK);
    /* errors */
    double nanv[2] = { 0.0, NAN };
    assert_code(hyp_lorentz_lift(2, nanv, bl), HYP_ENONFINITE);
    double infv[2] = { -INFINITY, 0.0 };
    assert_code(hyp_lorentz_lift(2, infv, bl), HYP_ENONFINITE);
    assert_code(hyp_lorentz_lift(0, z, zl), HYP_EDIM);
    assert_code(hyp_lorentz_lift(HYP_DIM_MAX + 1, z, zl), HYP_EDIM);
    gen_free(g);
}

/* ---- batch semantics ------------------------------------------------------ */

static void test_batch_invalid_points(void **state)
{
    (void)state;
    /* Poincaré, n = 2: valid, NaN, valid, outside, boundary, valid */
    const double q[2] = { 0.1, -0.2 };
    const double pts[6][2] = { { 0.3, 0.4 }, { NAN, 0.0 }, { -0.5, 0.1 },
                               { 0.9, 0.9 }, { 0.0, 1.0 }, { 0.0, 0.0 } };
    double d[6];
    assert_code(hyp_dist_batch(HYP_POINCARE, 2, q, &pts[0][0], 6, d), HYP_ENONFINITE);
    for (int i = 0; i < 6; i++) {
        double e = NAN;
        int rc = hyp_dist(HYP_POINCARE, 2, q, pts[i], &e);
        if (rc == HYP_OK)
            assert_same_bits(d[i], e);
        else
            assert_true(isnan(d[i]));
    }
    /* the first invalid point decides the code */
    assert_code(hyp_dist_batch(HYP_POINCARE, 2, q, &pts[2][0], 4, d), HYP_EOUTSIDE);
    assert_true(isnan(d[1]) && isnan(d[2]));
    assert_false(isnan(d[0]) || isnan(d[3]));
    assert_code(hyp_dist_batch(HYP_POINCARE, 2, q, &pts[4][0], 2, d), HYP_EBOUNDARY);
    /* invalid query: every slot NaN, the query's code */
    const double bq[2] = { 2.0, 0.0 };
    for (int i = 0; i < 6; i++)
        d[i] = 1.0;
    assert_code(hyp_dist_batch(HYP_POINCARE, 2, bq, &pts[0][0], 6, d), HYP_EOUTSIDE);
    for (int i = 0; i < 6; i++)
        assert_true(isnan(d[i]));
    const double nq[2] = { NAN, 0.0 };
    assert_code(hyp_dist_batch(HYP_POINCARE, 2, nq, &pts[0][0], 1, d), HYP_ENONFINITE);
    assert_true(isnan(d[0]));
    /* count 0 */
    assert_code(hyp_dist_batch(HYP_POINCARE, 2, q, &pts[0][0], 0, d), HYP_OK);
    /* Lorentz stride n + 1 and a bad x0 in the middle */
    double lp[3][3];
    const double s1[2] = { 0.5, 0.25 }, s2[2] = { -3.0, 1.0 }, s3[2] = { 1e3, -2e3 };
    hyp_lorentz_lift(2, s1, lp[0]);
    hyp_lorentz_lift(2, s2, lp[1]);
    hyp_lorentz_lift(2, s3, lp[2]);
    lp[1][0] *= 2.0;
    double lq[3];
    const double sq[2] = { 0.0, 0.25 };
    hyp_lorentz_lift(2, sq, lq);
    assert_code(hyp_dist_batch(HYP_LORENTZ, 2, lq, &lp[0][0], 3, d), HYP_ELORENTZ_X0);
    assert_true(isnan(d[1]));
    double e;
    assert_code(hyp_dist(HYP_LORENTZ, 2, lq, lp[2], &e), HYP_OK);
    assert_same_bits(d[2], e);
    /* Euclid radius too large */
    const double ev[2][2] = { { 1.0, 2.0 }, { 1e30, 0.0 } };
    const double eq[2] = { 0.0, 0.5 };
    assert_code(hyp_dist_batch(HYP_EUCLID, 2, eq, &ev[0][0], 2, d), HYP_ERADIUS);
    assert_true(isnan(d[1]) && !isnan(d[0]));
}

static void test_untouched_on_error(void **state)
{
    (void)state;
    const double good[2] = { 0.1, 0.1 }, bad[2] = { 1.5, 0.0 };
    double d = 42.0;
    assert_code(hyp_dist(HYP_POINCARE, 2, good, bad, &d), HYP_EOUTSIDE);
    assert_same_bits(d, 42.0);
    assert_code(hyp_dist(HYP_POINCARE, 2, bad, good, &d), HYP_EOUTSIDE);
    assert_same_bits(d, 42.0);
    assert_code(hyp_radius(HYP_POINCARE, 2, bad, &d), HYP_EOUTSIDE);
    assert_same_bits(d, 42.0);
    /* hyp_dist reports the first invalid point */
    const double nanp[2] = { NAN, 0.0 }, edge[2] = { 1.0, 0.0 };
    assert_code(hyp_dist(HYP_POINCARE, 2, nanp, edge, &d), HYP_ENONFINITE);
    assert_code(hyp_dist(HYP_POINCARE, 2, edge, nanp, &d), HYP_EBOUNDARY);
}

/* ---- identical points, the origin ---------------------------------------- */

static void test_identical_and_origin(void **state)
{
    (void)state;
    gen_rng *g = gen_create(12);
    double x[11], o[11], d;
    for (size_t mi = 0; mi < 3; mi++) {
        hyp_model m = models[mi];
        for (int k = 0; k < 50; k++) {
            double r = gen_log_uniform(g, 1e-300, m == HYP_POINCARE ? 30.0 : 700.0);
            assert_int_equal(gen_point(g, m, 10, r, x), GEN_OK);
            assert_code(hyp_dist(m, 10, x, x, &d), HYP_OK);
            assert_same_bits(d, 0.0);
            /* d(origin, x) and hyp_radius(x) agree with the oracle */
            memset(o, 0, sizeof o);
            if (m == HYP_LORENTZ)
                o[0] = 1.0;
            double rr;
            assert_code(hyp_radius(m, 10, x, &rr), HYP_OK);
            double d0 = checked_dist(m, 10, o, x);
            mpfr_t ref;
            mpfr_init2(ref, 200);
            oracle_radius(m, 10, x, ref);
            assert_ulps(rr, ref, 4.0);
            assert_ulps(d0, ref, 4.0);
            mpfr_clear(ref);
        }
        assert_code(hyp_dist(m, 10, o, o, &d), HYP_OK);
        assert_same_bits(d, 0.0);
        assert_code(hyp_radius(m, 10, o, &d), HYP_OK);
        assert_same_bits(d, 0.0);
    }
    gen_free(g);
}

/* ---- conversions and maps ------------------------------------------------ */

/* Round trips through a model and back where the way back is well
 * conditioned (so the composition is within a small multiple of 4 ulp):
 * anything -> Poincaré (tanh, 1/(1 + x0) shrink errors), and any round trip
 * at moderate radius.  Relative 2^-40 per coordinate is far looser than the
 * composition needs and far tighter than any formula error. */
static void test_convert_round_trips(void **state)
{
    (void)state;
    gen_rng *g = gen_create(13);
    double x[65], y[65], z[65];
    const size_t dims[] = { 1, 2, 3, 10, 64 };
    for (int k = 0; k < 600; k++) {
        size_t n = dims[k % 5];
        hyp_model from = models[k % 3], via = models[(k / 3) % 3];
        double r = gen_log_uniform(g, 1e-10, 5.0);
        if (gen_point(g, from, n, r, x) != GEN_OK)
            continue;
        assert_code(hyp_convert(from, via, n, x, y), HYP_OK);
        assert_code(hyp_point_check(via, n, y), HYP_OK);
        assert_code(hyp_convert(via, from, n, y, z), HYP_OK);
        size_t w = hyp_model_width(from, n);
        for (size_t i = 0; i < w; i++)
            assert_rel(z[i], x[i], 0x1p-40);
        /* same model: the identity, bit for bit (Lorentz x0 re-lifted) */
        assert_code(hyp_convert(from, from, n, x, z), HYP_OK);
        for (size_t i = from == HYP_LORENTZ ? 1 : 0; i < w; i++)
            assert_same_bits(z[i], x[i]);
        /* distances agree across the models (the same point set) */
        double x2[65], y2[65], a[65], b[65], d1, d2;
        if (gen_point(g, from, n, gen_log_uniform(g, 1e-6, 5.0), x2) != GEN_OK)
            continue;
        assert_code(hyp_convert(from, via, n, x2, y2), HYP_OK);
        memcpy(a, x, sizeof a);
        memcpy(b, y, sizeof b);
        d1 = checked_dist(from, n, a, x2);
        d2 = checked_dist(via, n, b, y2);
        assert_rel(d2, d1, 0x1p-36);
    }
    /* deep points end in Poincaré without loss */
    for (int k = 0; k < 200; k++) {
        size_t n = dims[k % 5];
        hyp_model from = k % 2 ? HYP_LORENTZ : HYP_EUCLID;
        if (gen_point(g, from, n, gen_log_uniform(g, 5.0, 30.0), x) != GEN_OK)
            continue;
        assert_code(hyp_convert(from, HYP_POINCARE, n, x, y), HYP_OK);
        assert_code(hyp_convert(HYP_POINCARE, from, n, y, z), HYP_OK);
        assert_code(hyp_convert(from, HYP_POINCARE, n, z, x), HYP_OK);
        for (size_t i = 0; i < n; i++)
            assert_rel(x[i], y[i], 0x1p-40);
    }
    /* aliasing allowed when the widths are equal */
    double p[3] = { 0.2, -0.1, 0.3 }, q[3];
    assert_code(hyp_convert(HYP_POINCARE, HYP_EUCLID, 3, p, q), HYP_OK);
    assert_code(hyp_convert(HYP_POINCARE, HYP_EUCLID, 3, p, p), HYP_OK);
    for (int i = 0; i < 3; i++)
        assert_same_bits(p[i], q[i]);
    /* errors */
    double bad[2] = { 1.0, 0.0 }, out[3];
    assert_code(hyp_convert(HYP_POINCARE, HYP_LORENTZ, 2, bad, out), HYP_EBOUNDARY);
    assert_code(hyp_convert((hyp_model)0, HYP_LORENTZ, 2, p, out), HYP_EMODEL);
    assert_code(hyp_convert(HYP_POINCARE, (hyp_model)0, 2, p, out), HYP_EMODEL);
    double big[2] = { 800.0, 0.0 };
    assert_code(hyp_convert(HYP_EUCLID, HYP_LORENTZ, 2, big, out), HYP_ERANGE);
    assert_code(hyp_convert(HYP_EUCLID, HYP_POINCARE, 2, big, out), HYP_ERANGE);
    double ok[2] = { 700.0, 0.0 };
    assert_code(hyp_convert(HYP_EUCLID, HYP_LORENTZ, 2, ok, out), HYP_OK);
    assert_code(hyp_convert(HYP_EUCLID, HYP_POINCARE, 2, ok, out), HYP_ERANGE);
    gen_free(g);
}

static void test_exp_log_maps(void **state)
{
    (void)state;
    gen_rng *g = gen_create(14);
    double v[64], x[65], w[64];
    for (int k = 0; k < 300; k++) {
        size_t n = (size_t)(1 + k % 64);
        hyp_model m = models[k % 3];
        double r = gen_log_uniform(g, 1e-12, 5.0);
        gen_direction(g, n, v);
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += v[i] * v[i];
        for (size_t i = 0; i < n; i++)
            v[i] *= r / sqrt(s);
        assert_code(hyp_expmap0(m, n, v, x), HYP_OK);
        /* exp_0(v) is the HYP_EUCLID point v converted */
        double c[65];
        assert_code(hyp_convert(HYP_EUCLID, m, n, v, c), HYP_OK);
        for (size_t i = 0; i < hyp_model_width(m, n); i++)
            assert_same_bits(x[i], c[i]);
        /* |v| = d(0, exp_0(v)) */
        double rad;
        assert_code(hyp_radius(m, n, x, &rad), HYP_OK);
        double vn;
        assert_code(hyp_radius(HYP_EUCLID, n, v, &vn), HYP_OK);
        assert_rel(rad, vn, 0x1p-40);
        /* log_0(exp_0(v)) = v */
        assert_code(hyp_logmap0(m, n, x, w), HYP_OK);
        for (size_t i = 0; i < n; i++)
            assert_rel(w[i], v[i], 0x1p-40);
    }
    /* Euclid: exp and log are the identity, bit for bit */
    gen_direction(g, 10, v);
    assert_code(hyp_expmap0(HYP_EUCLID, 10, v, x), HYP_OK);
    assert_memory_equal(x, v, 10 * sizeof *v);
    assert_code(hyp_logmap0(HYP_EUCLID, 10, v, w), HYP_OK);
    assert_memory_equal(w, v, 10 * sizeof *v);
    /* the zero vector maps to the origin */
    memset(v, 0, sizeof v);
    assert_code(hyp_expmap0(HYP_LORENTZ, 5, v, x), HYP_OK);
    assert_same_bits(x[0], 1.0);
    for (int i = 1; i <= 5; i++)
        assert_true(x[i] == 0.0);
    assert_code(hyp_expmap0(HYP_POINCARE, 5, v, x), HYP_OK);
    for (int i = 0; i < 5; i++)
        assert_true(x[i] == 0.0);
    /* errors */
    double nanv[2] = { NAN, 1.0 };
    assert_code(hyp_expmap0(HYP_POINCARE, 2, nanv, x), HYP_ENONFINITE);
    assert_code(hyp_logmap0(HYP_POINCARE, 2, nanv, w), HYP_ENONFINITE);
    double outside[2] = { 0.8, 0.8 };
    assert_code(hyp_logmap0(HYP_POINCARE, 2, outside, w), HYP_EOUTSIDE);
    gen_free(g);
}

/* ---- isometries ----------------------------------------------------------- */

/* A sign flip of one coordinate on both points is an exact isometry, and
 * round-to-nearest is symmetric under negation: the bits must not change.
 * A permutation of the coordinates (also exact) may change the summation
 * order, so only the 4-ulp contract is required. */
static void test_isometries(void **state)
{
    (void)state;
    gen_rng *g = gen_create(15);
    double x[65], y[65], xf[65], yf[65];
    const size_t dims[] = { 2, 3, 5, 10, 64 };
    for (int k = 0; k < 600; k++) {
        size_t n = dims[k % 5];
        hyp_model m = models[k % 3];
        size_t off = m == HYP_LORENTZ ? 1 : 0, w = hyp_model_width(m, n);
        double cap = m == HYP_POINCARE ? 36.0 : 700.0;
        if (gen_point(g, m, n, gen_log_uniform(g, 1e-8, cap), x) != GEN_OK)
            continue;
        int st = k % 2 ? gen_point(g, m, n, gen_log_uniform(g, 1e-8, cap), y)
                       : gen_point_at(g, m, n, x, gen_log_uniform(g, 1e-12, 1.0), y);
        if (st != GEN_OK)
            continue;
        double d = checked_dist(m, n, x, y), e;
        /* flip the sign of every subset of up to 3 coordinates, one at a time */
        memcpy(xf, x, w * sizeof *x);
        memcpy(yf, y, w * sizeof *y);
        for (int f = 0; f < 3; f++) {
            size_t i = off + gen_index(g, n);
            xf[i] = -xf[i];
            yf[i] = -yf[i];
            assert_code(hyp_dist(m, n, xf, yf, &e), HYP_OK);
            assert_same_bits(e, d);
        }
        /* all signs flipped: the point reflection through the origin */
        for (size_t i = off; i < w; i++) {
            xf[i] = -x[i];
            yf[i] = -y[i];
        }
        assert_code(hyp_dist(m, n, xf, yf, &e), HYP_OK);
        assert_same_bits(e, d);
        /* a random permutation (Fisher-Yates), and a cyclic shift */
        memcpy(xf, x, w * sizeof *x);
        memcpy(yf, y, w * sizeof *y);
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = gen_index(g, i + 1);
            double t = xf[off + i];
            xf[off + i] = xf[off + j];
            xf[off + j] = t;
            t = yf[off + i];
            yf[off + i] = yf[off + j];
            yf[off + j] = t;
        }
        checked_dist(m, n, xf, yf);
        for (size_t i = 0; i < n; i++) {
            xf[off + i] = x[off + (i + 1) % n];
            yf[off + i] = y[off + (i + 1) % n];
        }
        checked_dist(m, n, xf, yf);
        /* a quarter turn in the plane of the first two coordinates */
        memcpy(xf, x, w * sizeof *x);
        memcpy(yf, y, w * sizeof *y);
        xf[off] = -x[off + 1];
        xf[off + 1] = x[off];
        yf[off] = -y[off + 1];
        yf[off + 1] = y[off];
        checked_dist(m, n, xf, yf);
        /* the radius is invariant too */
        double r1, r2;
        assert_code(hyp_radius(m, n, x, &r1), HYP_OK);
        for (size_t i = off; i < w; i++)
            xf[i] = -x[i];
        assert_code(hyp_radius(m, n, xf, &r2), HYP_OK);
        assert_same_bits(r1, r2);
    }
    gen_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_names),
        cmocka_unit_test(test_check_dimensions),
        cmocka_unit_test(test_check_nonfinite),
        cmocka_unit_test(test_check_poincare_boundary),
        cmocka_unit_test(test_check_lorentz_x0),
        cmocka_unit_test(test_check_lorentz_x0_inf),
        cmocka_unit_test(test_check_lorentz_x0_inf_exact),
        cmocka_unit_test(test_check_euclid_radius),
        cmocka_unit_test(test_check_euclid_radius_exact),
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_lorentz_lift),
        cmocka_unit_test(test_batch_invalid_points),
        cmocka_unit_test(test_untouched_on_error),
        cmocka_unit_test(test_identical_and_origin),
        cmocka_unit_test(test_convert_round_trips),
        cmocka_unit_test(test_exp_log_maps),
        cmocka_unit_test(test_isometries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
