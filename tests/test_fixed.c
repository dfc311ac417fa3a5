/*
 * test_fixed.c — the fixed-point formats (hyp_fixed.h) against GMP/MPFR.
 *
 * Parts (one ctest each, `test_fixed PART`):
 *   formats  names and sizes; the generated constants against MPFR; the
 *            conversions' rounding (ties to even, from the doubles' exact
 *            values, checked against MPFR's round-to-nearest-even), their
 *            rejections and range errors at the exact edges; decoding to
 *            double; the canonical bytes; clamping; the Lorentz spatial part
 *            (hyp_fixed_lorentz_spatial) correctly rounded.
 *   dist     the integer-only distance (Q32.32 and Q64.64) and radius
 *            within 0.5 + 2^-30 units of MPFR on random and adversarial
 *            pairs: near points (1 unit apart), near the boundary, the
 *            largest radii of every format, identical points, the origin.
 *   cmp      the exact comparisons on constructed exact ties (symmetries,
 *            and the collinear Euclid ties of different radii) and on their
 *            1-unit perturbations, against MPFR at 4096 bits.
 *   maxdim   n = HYP_DIM_MAX with worst-case words: sums cannot overflow,
 *            distances and comparisons still agree with MPFR.
 * The claim tested is stronger than "within 1 unit": the library promises
 * the exact value rounded to nearest except within 2^-100 units of a
 * halfway point, so |error| <= 0.5 + 2^-30 units is asserted, and the
 * largest error seen is printed.
 *
 * Random inputs come from a seeded splitmix64 (same inputs everywhere).
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
#include "fixed_internal.h"
#include "oracle.h"
#include "ref.h"

#define TOL_UNITS (0.5 + 0x1p-30)

static const hyp_fixed_format formats[] = { HYP_FIXED_Q32, HYP_FIXED_Q64, HYP_FIXED_Q128 };
static const hyp_model models[] = { HYP_POINCARE, HYP_LORENTZ, HYP_EUCLID };

#define assert_code(got, want)                                                                 \
    do {                                                                                       \
        int gc_ = (got), wc_ = (want);                                                         \
        if (gc_ != wc_)                                                                        \
            fail_msg("%s returned %d (%s), expected %d (%s)", #got, gc_, hyp_strerror(gc_),    \
                     wc_, hyp_strerror(wc_));                                                  \
    } while (0)

/* ---- seeded generator ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static double rnd_unit(void) { return (double)(rnd() >> 11) * 0x1p-53; }
static size_t rnd_index(size_t k) { return (size_t)(rnd() % k); }
/* roughly Gaussian (sum of uniforms): only a direction is needed */
static double rnd_gauss(void)
{
    double s = 0;
    for (int i = 0; i < 6; i++)
        s += rnd_unit();
    return s - 3.0;
}

/* ---- points ---- */

typedef struct {
    hyp_fixed_format f;
    hyp_model m;
    size_t n;
} kind;

static void *pt_new(kind k) { return calloc(1, hyp_fixed_size(k.f, k.m, k.n)); }

static void pt_copy(kind k, void *dst, const void *src)
{
    memcpy(dst, src, hyp_fixed_size(k.f, k.m, k.n));
}

/* Adds delta to word i (the caller keeps it valid). */
static void pt_bump(kind k, void *x, size_t i, long delta)
{
    mpz_t v;
    mpz_init(v);
    ref_word(k.f, k.m, k.n, x, i, v);
    if (delta >= 0)
        mpz_add_ui(v, v, (unsigned long)delta);
    else
        mpz_sub_ui(v, v, (unsigned long)-delta);
    ref_set_word(k.f, x, i, v);
    mpz_clear(v);
}

static void pt_swap(kind k, void *x, size_t i, size_t j)
{
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    ref_word(k.f, k.m, k.n, x, i, a);
    ref_word(k.f, k.m, k.n, x, j, b);
    ref_set_word(k.f, x, i, b);
    ref_set_word(k.f, x, j, a);
    mpz_clears(a, b, NULL);
}

/* The largest radius a random point of the kind gets. */
static double cap(kind k)
{
    static const double c[3][3] = { { 21.5, 10.8, 200 }, { 43.5, 21.9, 4000 },
                                    { 87.8, 66.0, 16000000 } };
    return c[k.f - HYP_FIXED_Q32][k.m - HYP_POINCARE];
}

/*
 * A valid point near radius r in a random direction (dir: NULL for random,
 * else n doubles), built in MPFR and rounded word by word.  If rounding
 * leaves the format (the ball's edge, the largest word) r shrinks a little.
 */
static void pt_at(kind k, double r, const double *dir, void *x)
{
    ref_layout l = ref_layout_of(k.f, k.m);
    double *u = malloc(k.n * sizeof *u);
    for (;;) {
        double s = 0;
        for (size_t i = 0; i < k.n; i++) {
            u[i] = dir ? dir[i] : rnd_gauss();
            s += u[i] * u[i];
        }
        if (s == 0)
            continue;
        mpfr_t t, c, norm;
        mpfr_inits2(512, t, c, norm, (mpfr_ptr)0);
        mpz_t z;
        mpz_init(z);
        mpfr_set_d(norm, s, MPFR_RNDN);
        mpfr_sqrt(norm, norm, MPFR_RNDN);
        mpfr_set_d(t, r, MPFR_RNDN);
        size_t first = 0;
        double scale_bits = l.frac;
        if (k.m == HYP_POINCARE) {
            mpfr_div_2ui(t, t, 1, MPFR_RNDN);
            mpfr_tanh(t, t, MPFR_RNDN);
        } else if (k.m == HYP_LORENTZ) {
            mpfr_sinh(t, t, MPFR_RNDN);
        } else {
            mpfr_mul_2si(c, t, l.frac, MPFR_RNDN);
            mpfr_get_z(z, c, MPFR_RNDN);
            mpz_t lim;
            mpz_init(lim);
            mpz_setbit(lim, (mp_bitcnt_t)(l.wbits - 1));
            if (mpz_cmp(z, lim) >= 0)
                mpz_sub_ui(z, lim, 1);
            mpz_clear(lim);
            if (mpz_sgn(z) == 0) { /* rounds to the origin */
                memset(x, 0, hyp_fixed_size(k.f, k.m, k.n));
                mpz_clear(z);
                mpfr_clears(t, c, norm, (mpfr_ptr)0);
                break;
            }
            ref_set_word(k.f, x, 0, z);
            mpfr_set_ui(t, 1, MPFR_RNDN);
            first = 1;
            scale_bits = l.dirfrac;
        }
        for (size_t i = 0; i < k.n; i++) {
            mpfr_set_d(c, u[i], MPFR_RNDN);
            mpfr_div(c, c, norm, MPFR_RNDN);
            mpfr_mul(c, c, t, MPFR_RNDN);
            mpfr_mul_2si(c, c, (long)scale_bits, MPFR_RNDN);
            mpfr_get_z(z, c, MPFR_RNDN);
            mpz_t lim;
            mpz_init(lim);
            mpz_setbit(lim, (mp_bitcnt_t)(l.wbits - 1));
            int over = mpz_cmpabs(z, lim) >= 0;
            mpz_clear(lim);
            if (over)
                mpz_set_ui(z, 0); /* invalid Lorentz word: retried below */
            ref_set_word(k.f, x, first + i, z);
        }
        mpz_clear(z);
        mpfr_clears(t, c, norm, (mpfr_ptr)0);
        int rc = hyp_fixed_check(k.f, k.m, k.n, x);
        if (rc == HYP_OK && k.m == HYP_LORENTZ && r > 1) {
            uint64_t rr;
            hyp_fixed_radius(k.f, k.m, k.n, x, &rr);
            if ((double)rr * 0x1p-32 < 0.9 * r)
                rc = HYP_EFIXED_RANGE; /* a word overflowed and was zeroed */
        }
        if (rc == HYP_OK)
            break;
        r *= 0.999;
        if (dir == NULL && rc == HYP_EFIXED_WORD)
            continue;
    }
    free(u);
}

/* ---- formats ---- */

static void test_names(void **state)
{
    (void)state;
    hyp_fixed_format f;
    assert_string_equal(hyp_fixed_name(HYP_FIXED_Q32), "q32");
    assert_string_equal(hyp_fixed_name(HYP_FIXED_Q128), "q128");
    assert_null(hyp_fixed_name((hyp_fixed_format)1));
    assert_code(hyp_fixed_parse("q64", &f), HYP_OK);
    assert_int_equal(f, HYP_FIXED_Q64);
    assert_code(hyp_fixed_parse("f64", &f), HYP_EREPR);
    assert_code(hyp_fixed_parse(NULL, &f), HYP_EREPR);
    assert_int_equal(hyp_fixed_size(HYP_FIXED_Q32, HYP_POINCARE, 10), 40);
    assert_int_equal(hyp_fixed_size(HYP_FIXED_Q64, HYP_LORENTZ, 10), 80);
    assert_int_equal(hyp_fixed_size(HYP_FIXED_Q128, HYP_EUCLID, 10), 176);
    assert_int_equal(hyp_fixed_size((hyp_fixed_format)9, HYP_EUCLID, 10), 0);
    char buf[32];
    assert_string_equal(hyp_q32_32_format(0, buf), "0.0000000000");
    assert_string_equal(hyp_q32_32_format(1, buf), "0.0000000002");
    assert_string_equal(hyp_q32_32_format(1ull << 32, buf), "1.0000000000");
    assert_string_equal(hyp_q32_32_format(UINT64_MAX, buf), "4294967295.9999999998");
    assert_string_equal(hyp_q32_32_format((3ull << 32) + (1ull << 31), buf), "3.5000000000");
    int64_t x[2] = { 0, 0 };
    assert_code(hyp_fixed_check(HYP_FIXED_Q64, HYP_POINCARE, 0, x), HYP_EDIM);
    assert_code(hyp_fixed_check(HYP_FIXED_Q64, (hyp_model)7, 1, x), HYP_EMODEL);
    assert_code(hyp_fixed_check((hyp_fixed_format)1, HYP_POINCARE, 1, x), HYP_EREPR);
    assert_code(hyp_fixed_check(HYP_FIXED_Q64, HYP_POINCARE, HYP_DIM_MAX + 1, x), HYP_EDIM);
}

/* The generated tables equal MPFR's values bit for bit. */
static void check_const(const uint64_t *limbs, int count, mpfr_t v, int frac)
{
    mpz_t want, got;
    mpz_inits(want, got, NULL);
    mpfr_t s;
    mpfr_init2(s, 8192);
    mpfr_mul_2si(s, v, frac, MPFR_RNDN);
    mpfr_get_z(want, s, MPFR_RNDD);
    mpz_import(got, (size_t)count, -1, sizeof limbs[0], 0, 0, limbs);
    if (mpz_cmp(want, got) != 0)
        fail_msg("constant at scale 2^%d differs from MPFR", frac);
    mpfr_clear(s);
    mpz_clears(want, got, NULL);
}

static void test_constants(void **state)
{
    (void)state;
    mpfr_t v;
    mpfr_init2(v, 8192);
    mpfr_const_log2(v, MPFR_RNDN);
    check_const(fx_ln2, FX_LN2_LIMBS, v, 64 * FX_LN2_LIMBS);
    mpfr_ui_div(v, 1, v, MPFR_RNDN);
    check_const(fx_log2e, 2, v, 127);
    for (int k = 1; k <= FX_LN1P_COUNT; k++) {
        mpfr_set_ui(v, 1, MPFR_RNDN);
        mpfr_div_2ui(v, v, (unsigned long)k, MPFR_RNDN);
        mpfr_log1p(v, v, MPFR_RNDN);
        check_const(fx_ln1p[k - 1], 4, v, 256);
    }
    mpfr_clear(v);
}

/* MPFR's rounding of t 2^s to nearest even, as the reference word. */
static void ref_round(double t, int s, mpz_t z)
{
    mpfr_t c;
    mpfr_init2(c, 64);
    mpfr_set_d(c, t, MPFR_RNDN);
    mpfr_mul_2si(c, c, s, MPFR_RNDN);
    mpfr_rint(c, c, MPFR_RNDN);
    mpfr_get_z(z, c, MPFR_RNDN);
    mpfr_clear(c);
}

/* Word i of x equals want. */
static void assert_word(kind k, const void *x, size_t i, const mpz_t want)
{
    mpz_t got;
    mpz_init(got);
    ref_word(k.f, k.m, k.n, x, i, got);
    if (mpz_cmp(got, want) != 0)
        fail_msg("%s %s word %zu: got %s, want %s", hyp_fixed_name(k.f),
                 hyp_model_name(k.m), i, mpz_get_str(NULL, 10, got),
                 mpz_get_str(NULL, 10, want));
    mpz_clear(got);
}

static void test_round_coords(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < 3; fi++) {
        for (int mi = 0; mi < 2; mi++) {
            kind k = { formats[fi], models[mi], 1 };
            ref_layout l = ref_layout_of(k.f, k.m);
            void *x = pt_new(k);
            mpz_t z;
            mpz_init(z);
            double in[2];
            /* halfway cases j + 1/2 go to the even neighbour, both signs */
            for (int j = 0; j < 8; j++) {
                for (int sg = -1; sg <= 1; sg += 2) {
                    double t = sg * ldexp(2 * j + 1, -l.frac - 1);
                    in[0] = k.m == HYP_LORENTZ ? sqrt(1 + t * t) : t;
                    in[1] = t;
                    assert_code(hyp_fixed_from_double(k.f, k.m, 1, in, x), HYP_OK);
                    mpz_set_si(z, sg * (j + (j & 1)));
                    assert_word(k, x, 0, z);
                    /* a hair above the halfway point rounds away */
                    double t2 = nextafter(t, sg * 2.0);
                    in[k.m == HYP_LORENTZ] = t2;
                    if (k.m == HYP_LORENTZ)
                        in[0] = sqrt(1 + t2 * t2);
                    assert_code(hyp_fixed_from_double(k.f, k.m, 1, in, x), HYP_OK);
                    mpz_set_si(z, sg * (j + 1));
                    assert_word(k, x, 0, z);
                }
            }
            /* random values against MPFR */
            for (int it = 0; it < 200; it++) {
                double t = (rnd_unit() * 2 - 1) * (k.m == HYP_POINCARE ? 1.0 : 1000.0);
                t = ldexp(t, -(int)rnd_index(20));
                in[0] = k.m == HYP_LORENTZ ? sqrt(1 + t * t) : t;
                in[1] = t;
                assert_code(hyp_fixed_from_double(k.f, k.m, 1, in, x), HYP_OK);
                ref_round(t, l.frac, z);
                assert_word(k, x, 0, z);
            }
            mpz_clear(z);
            free(x);
        }
    }
}

static void test_round_edges(void **state)
{
    (void)state;
    double in[4];
    int32_t w32[4];
    int64_t w64[4];
    hyp_q128 w128[4];
    /* rejections of the input */
    in[0] = NAN;
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q64, HYP_POINCARE, 1, in, w64), HYP_ENONFINITE);
    in[0] = INFINITY;
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q64, HYP_EUCLID, 1, in, w64), HYP_ENONFINITE);
    in[0] = 1.0;
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q64, HYP_POINCARE, 1, in, w64), HYP_EBOUNDARY);
    in[0] = 0.8;
    in[1] = 0.8;
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q64, HYP_POINCARE, 2, in, w64), HYP_EOUTSIDE);
    /* Poincaré: rounding onto the boundary is refused, one step inside is not */
    in[0] = 1 - 0x1p-40; /* q32: 2^31 - 2^-9 rounds to 2^31 */
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q32, HYP_POINCARE, 1, in, w32),
                HYP_EFIXED_RANGE);
    in[0] = 1 - 0x1p-31 - 0x1p-33;
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q32, HYP_POINCARE, 1, in, w32), HYP_OK);
    assert_int_equal(w32[0], 0x7fffffff);
    in[0] = 1 - 0x1p-53; /* q64 resolves it: 2^63 - 2^10 */
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q64, HYP_POINCARE, 1, in, w64), HYP_OK);
    assert_true(w64[0] == INT64_MAX - 1023);
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q128, HYP_POINCARE, 1, in, w128), HYP_OK);
    assert_true(w128[0].hi == 0x7ffffffffffffc00u && w128[0].lo == 0); /* 2^127 - 2^74 */
    /* two coordinates, each fine, whose rounded norm reaches 1: (3/5, 4/5)
     * scaled just inside, where q32's rounding lands on or past the edge */
    for (int it = 0; it < 200; it++) {
        double a = rnd_unit() * 6.283185307179586, s = 1 - ldexp(rnd_unit(), -34);
        in[0] = s * cos(a);
        in[1] = s * sin(a);
        if (hyp_point_check(HYP_POINCARE, 2, in) != HYP_OK)
            continue;
        mpz_t k0, k1, sum, lim;
        mpz_inits(k0, k1, sum, lim, NULL);
        ref_round(in[0], 31, k0);
        ref_round(in[1], 31, k1);
        mpz_mul(sum, k0, k0);
        mpz_addmul(sum, k1, k1);
        mpz_setbit(lim, 62);
        int want = mpz_cmp(sum, lim) >= 0 ? HYP_EFIXED_RANGE : HYP_OK;
        assert_code(hyp_fixed_from_double(HYP_FIXED_Q32, HYP_POINCARE, 2, in, w32), want);
        mpz_clears(k0, k1, sum, lim, NULL);
    }
    /* Lorentz: the largest word, and the tie just below 2^15 that rounds up
     * (to even) past it */
    double xs = 32768 - 0x1p-16;
    in[0] = sqrt(1 + xs * xs);
    in[1] = xs;
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q32, HYP_LORENTZ, 1, in, w32), HYP_OK);
    assert_int_equal(w32[0], INT32_MAX);
    in[1] = -xs;
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q32, HYP_LORENTZ, 1, in, w32), HYP_OK);
    assert_int_equal(w32[0], -INT32_MAX);
    xs = 32768 - 0x1p-17;
    in[0] = sqrt(1 + xs * xs);
    in[1] = xs;
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q32, HYP_LORENTZ, 1, in, w32),
                HYP_EFIXED_RANGE);
    xs = 1e300;
    in[0] = INFINITY;
    in[1] = xs;
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q128, HYP_LORENTZ, 1, in, w128),
                HYP_EFIXED_RANGE);
    /* Euclid radius: exact |v| = 5 2^-k, ties to even, and the largest word */
    in[0] = 3 * 0x1p-24;
    in[1] = 4 * 0x1p-24; /* |v| 2^23 = 2.5 -> 2 */
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q32, HYP_EUCLID, 2, in, w32), HYP_OK);
    assert_int_equal(w32[0], 2);
    assert_int_equal(w32[1], 644245094); /* 0.6 2^30 = 644245094.4 */
    assert_int_equal(w32[2], 858993459); /* 0.8 2^30 = 858993459.2 */
    in[0] = 3 * 0x1p-26;
    in[1] = 4 * 0x1p-26; /* 0.625 -> 1 */
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q32, HYP_EUCLID, 2, in, w32), HYP_OK);
    assert_int_equal(w32[0], 1);
    in[0] = 3 * 0x1p-27;
    in[1] = 4 * 0x1p-27; /* 0.3125 -> 0: the origin, direction zero */
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q32, HYP_EUCLID, 2, in, w32), HYP_OK);
    assert_true(w32[0] == 0 && w32[1] == 0 && w32[2] == 0);
    in[0] = 256 - 0x1p-24; /* 2^31 - 1/2: tie to even 2^31, past the word */
    in[1] = 0;
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q32, HYP_EUCLID, 2, in, w32),
                HYP_EFIXED_RANGE);
    in[0] = -(256 - 0x1p-23);
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q32, HYP_EUCLID, 2, in, w32), HYP_OK);
    assert_true(w32[0] == INT32_MAX && w32[1] == -(1 << 30) && w32[2] == 0);
    in[0] = HYP_EUCLID_RADIUS_MAX; /* 2^24 = 2^127 2^-103: past q128's word */
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q128, HYP_EUCLID, 2, in, w128),
                HYP_EFIXED_RANGE);
}

/* Euclid words against MPFR: radius and direction from the exact |v|, also
 * for vectors mixing huge and subnormal coordinates. */
static void test_round_euclid(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < 3; fi++) {
        kind k = { formats[fi], HYP_EUCLID, 5 };
        ref_layout l = ref_layout_of(k.f, k.m);
        void *x = pt_new(k);
        double v[5];
        mpfr_t norm, c;
        mpfr_inits2(4096, norm, c, (mpfr_ptr)0);
        mpz_t z;
        mpz_init(z);
        for (int it = 0; it < 150; it++) {
            for (size_t i = 0; i < k.n; i++) {
                v[i] = rnd_gauss() * ldexp(1.0, (int)rnd_index(8) - 4);
                if (it % 3 == 1 && i == 2)
                    v[i] = ldexp(v[i], -1060); /* subnormal */
                if (it % 3 == 2 && i == 0)
                    v[i] = 3.0; /* a dominant axis */
            }
            if (it % 5 == 0)
                v[1] = 0;
            assert_code(hyp_fixed_from_double(k.f, k.m, k.n, v, x), HYP_OK);
            mpfr_set_ui(norm, 0, MPFR_RNDN);
            for (size_t i = 0; i < k.n; i++) {
                mpfr_set_d(c, v[i], MPFR_RNDN);
                mpfr_sqr(c, c, MPFR_RNDN);
                mpfr_add(norm, norm, c, MPFR_RNDN);
            }
            mpfr_sqrt(norm, norm, MPFR_RNDN);
            mpfr_mul_2si(c, norm, l.frac, MPFR_RNDN);
            mpfr_rint(c, c, MPFR_RNDN);
            mpfr_get_z(z, c, MPFR_RNDN);
            assert_word(k, x, 0, z);
            for (size_t i = 0; i < k.n; i++) {
                mpfr_set_d(c, v[i], MPFR_RNDN);
                mpfr_div(c, c, norm, MPFR_RNDN);
                mpfr_mul_2si(c, c, l.dirfrac, MPFR_RNDN);
                mpfr_rint(c, c, MPFR_RNDN);
                mpfr_get_z(z, c, MPFR_RNDN);
                assert_word(k, x, i + 1, z);
            }
        }
        mpz_clear(z);
        mpfr_clears(norm, c, (mpfr_ptr)0);
        free(x);
    }
}

/* Back to double: each coordinate correctly rounded (Poincaré, Lorentz
 * spatial), x0 and the Euclid coordinates within 1 ulp; Poincaré points too
 * deep for binary64 are HYP_ERANGE. */
static void test_to_double(void **state)
{
    (void)state;
    mpfr_t c;
    mpfr_init2(c, 1024);
    mpz_t z;
    mpz_init(z);
    for (size_t fi = 0; fi < 3; fi++) {
        for (size_t mi = 0; mi < 3; mi++) {
            kind k = { formats[fi], models[mi], 4 };
            ref_layout l = ref_layout_of(k.f, k.m);
            void *x = pt_new(k);
            double out[5];
            for (int it = 0; it < 60; it++) {
                double r = rnd_unit() * (k.m == HYP_POINCARE ? fmin(cap(k), 30) : fmin(cap(k), 60));
                pt_at(k, r, NULL, x);
                assert_code(hyp_fixed_to_double(k.f, k.m, k.n, x, out), HYP_OK);
                size_t first = k.m == HYP_EUCLID ? 1 : 0, off = k.m == HYP_LORENTZ ? 1 : 0;
                for (size_t i = 0; i < k.n && k.m != HYP_EUCLID; i++) {
                    ref_word(k.f, k.m, k.n, x, first + i, z);
                    mpfr_set_z_2exp(c, z, -l.frac, MPFR_RNDN);
                    if (out[off + i] != mpfr_get_d(c, MPFR_RNDN))
                        fail_msg("coordinate %zu not correctly rounded", i);
                }
                mpfr_t ref;
                mpfr_init2(ref, 256);
                uint64_t rr;
                double rd;
                assert_code(hyp_radius(k.m, k.n, out, &rd), HYP_OK);
                assert_code(hyp_fixed_radius(k.f, k.m, k.n, x, &rr), HYP_OK);
                /* the decoded point has (nearly) the stored radius */
                if (fabs(rd - (double)rr * 0x1p-32) > 1e-9 * (1 + rd) + 1e-15 * exp(rd))
                    fail_msg("decoded radius %.17g vs stored %.17g", rd, (double)rr * 0x1p-32);
                mpfr_clear(ref);
            }
            free(x);
        }
    }
    /* q64 Poincaré at 1 - 2^-63 rounds onto the boundary in binary64 */
    int64_t w = INT64_MAX;
    double out[1];
    assert_code(hyp_fixed_to_double(HYP_FIXED_Q64, HYP_POINCARE, 1, &w, out), HYP_ERANGE);
    mpz_clear(z);
    mpfr_clear(c);
}

/*
 * hyp_fixed_lorentz_spatial against MPFR.  Poincaré and Lorentz must be
 * correctly rounded: the exact rational k 2^(F+1) / (2^2F - |k|^2) or
 * k 2^-F, divided by MPFR at 53 bits with round-to-nearest-even, must be
 * the same double.  Euclid, sinh(r) u_i/|u| at 1024 bits, within 0.5 ulp
 * (+ 2^-30 of an ulp for the claimed 2^-200 relative).
 */
static void spatial_ref(kind k, const void *x, size_t i, mpfr_t out)
{
    ref_layout l = ref_layout_of(k.f, k.m);
    mpz_t w, s, t;
    mpz_inits(w, s, t, NULL);
    mpfr_t num, den;
    mpfr_inits2(1100, num, den, (mpfr_ptr)0);
    if (k.m == HYP_EUCLID) {
        ref_word(k.f, k.m, k.n, x, 0, w);
        mpfr_set_z_2exp(num, w, -l.frac, MPFR_RNDN); /* exact */
        mpfr_sinh(num, num, MPFR_RNDN);
        for (size_t j = 0; j < k.n; j++) {
            ref_word(k.f, k.m, k.n, x, j + 1, t);
            mpz_addmul(s, t, t);
        }
        mpfr_set_z(den, s, MPFR_RNDN);
        mpfr_sqrt(den, den, MPFR_RNDN);
        ref_word(k.f, k.m, k.n, x, i + 1, w);
        mpfr_mul_z(num, num, w, MPFR_RNDN);
        if (mpz_sgn(s) == 0)
            mpfr_set_ui(den, 1, MPFR_RNDN);
    } else if (k.m == HYP_POINCARE) {
        for (size_t j = 0; j < k.n; j++) {
            ref_word(k.f, k.m, k.n, x, j, t);
            mpz_addmul(s, t, t);
        }
        mpz_set_ui(t, 0);
        mpz_setbit(t, (mp_bitcnt_t)(2 * l.frac));
        mpz_sub(t, t, s);
        mpfr_set_z(den, t, MPFR_RNDN); /* exact: < 2^(2F+1) bits */
        ref_word(k.f, k.m, k.n, x, i, w);
        mpfr_set_z_2exp(num, w, l.frac + 1, MPFR_RNDN);
    } else {
        ref_word(k.f, k.m, k.n, x, i, w);
        mpfr_set_z_2exp(num, w, -l.frac, MPFR_RNDN);
        mpfr_set_ui(den, 1, MPFR_RNDN);
    }
    mpfr_div(out, num, den, MPFR_RNDN); /* one rounding, at out's precision */
    mpfr_clears(num, den, (mpfr_ptr)0);
    mpz_clears(w, s, t, NULL);
}

static void check_spatial(kind k, const void *x, const char *what)
{
    double *xs = malloc(k.n * sizeof *xs);
    assert_code(hyp_fixed_lorentz_spatial(k.f, k.m, k.n, x, xs), HYP_OK);
    mpfr_t r53, rhi;
    mpfr_init2(r53, 53);
    mpfr_init2(rhi, 1024);
    for (size_t i = 0; i < k.n; i++) {
        if (k.m != HYP_EUCLID) {
            spatial_ref(k, x, i, r53);
            double want = mpfr_get_d(r53, MPFR_RNDN); /* exact: 53 bits, normal */
            if (memcmp(&xs[i], &want, sizeof want) != 0)
                fail_msg("%s %s n=%zu %s: x_s[%zu] = %a, correctly rounded %a",
                         hyp_fixed_name(k.f), hyp_model_name(k.m), k.n, what, i, xs[i], want);
            continue;
        }
        spatial_ref(k, x, i, rhi);
        if (mpfr_zero_p(rhi)) {
            if (xs[i] != 0)
                fail_msg("Euclid x_s[%zu] = %a, want 0", i, xs[i]);
            continue;
        }
        /* |got - ref| in ulps of ref */
        long e = mpfr_get_exp(rhi); /* ref in [2^(e-1), 2^e) */
        mpfr_t d;
        mpfr_init2(d, 1100);
        mpfr_set_d(d, xs[i], MPFR_RNDN);
        mpfr_sub(d, d, rhi, MPFR_RNDN);
        mpfr_mul_2si(d, d, 53 - e, MPFR_RNDN);
        double ulps = fabs(mpfr_get_d(d, MPFR_RNDN));
        mpfr_clear(d);
        if (!(ulps <= 0.5 + 0x1p-30))
            fail_msg("%s Euclid %s: x_s[%zu] = %a is %.3g ulp off", hyp_fixed_name(k.f), what, i,
                     xs[i], ulps);
    }
    mpfr_clears(r53, rhi, (mpfr_ptr)0);
    free(xs);
}

static void test_lorentz_spatial(void **state)
{
    (void)state;
    static const size_t dims[] = { 1, 2, 5, 17 };
    for (size_t fi = 0; fi < 3; fi++) {
        for (size_t mi = 0; mi < 3; mi++) {
            for (size_t di = 0; di < 4; di++) {
                kind k = { formats[fi], models[mi], dims[di] };
                void *x = pt_new(k);
                double hi = k.m == HYP_EUCLID ? fmin(cap(k), 700) : cap(k);
                for (int it = 0; it < 40; it++) {
                    /* radii spread over the format's range, its cap included */
                    double r = it == 0 ? 0 : it == 1 ? hi : hi * rnd_unit() * rnd_unit();
                    pt_at(k, r, NULL, x);
                    check_spatial(k, x, it == 1 ? "at the cap" : "random");
                }
                memset(x, 0, hyp_fixed_size(k.f, k.m, k.n));
                check_spatial(k, x, "origin");
                free(x);
            }
        }
    }
    /* Round-to-nearest ties (Lorentz words of 55 significant bits whose two
     * dropped bits are 10): even stays, odd goes up. */
    mpz_t z;
    mpz_init(z);
    for (size_t fi = 1; fi < 3; fi++) {
        kind k = { formats[fi], HYP_LORENTZ, 3 };
        void *x = pt_new(k);
        unsigned long tails[3] = { 2, 6, 1 };
        for (size_t i = 0; i < 3; i++) {
            mpz_set_ui(z, 0);
            mpz_setbit(z, 54);
            mpz_add_ui(z, z, tails[i]);
            if (i == 1)
                mpz_neg(z, z);
            ref_set_word(k.f, x, i, z);
        }
        check_spatial(k, x, "ties");
        double xs[3];
        hyp_fixed_lorentz_spatial(k.f, k.m, k.n, x, xs);
        double unit = ldexp(1.0, -ref_layout_of(k.f, k.m).frac);
        if (xs[0] != 0x1p54 * unit || xs[1] != -(0x1p54 + 8) * unit)
            fail_msg("ties not rounded to even: %a %a", xs[0], xs[1]);
        free(x);
    }
    /* The deepest q128 Poincaré points: on an axis (1 - 2^-127) and off it,
     * where 1 - |x|^2 is a few units of 2^-254. */
    kind p = { HYP_FIXED_Q128, HYP_POINCARE, 2 };
    void *x = pt_new(p);
    mpz_set_ui(z, 0);
    mpz_setbit(z, 127);
    mpz_sub_ui(z, z, 1);
    ref_set_word(p.f, x, 0, z);
    check_spatial(p, x, "axis edge");
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    /* a^2 + b^2 just below 2^254: a = floor(2^127 / sqrt 2), b the largest
     * word that keeps the point inside */
    mpz_set_ui(a, 0);
    mpz_setbit(a, 253);
    mpz_sqrt(a, a);
    mpz_set_ui(b, 0);
    mpz_setbit(b, 254);
    mpz_submul(b, a, a);
    mpz_sub_ui(b, b, 1);
    mpz_sqrt(b, b);
    ref_set_word(p.f, x, 0, a);
    ref_set_word(p.f, x, 1, b);
    assert_code(hyp_fixed_check(p.f, p.m, p.n, x), HYP_OK);
    check_spatial(p, x, "off-axis edge");
    mpz_clears(a, b, NULL);
    free(x);
    /* Euclid beyond sinh's binary64 range: no image. */
    kind e = { HYP_FIXED_Q64, HYP_EUCLID, 2 };
    x = pt_new(e);
    double dir[2] = { 0.6, 0.8 }, xs[2] = { 7, 7 };
    pt_at(e, 720, dir, x);
    assert_code(hyp_fixed_lorentz_spatial(e.f, e.m, e.n, x, xs), HYP_ERANGE);
    if (xs[0] != 7 || xs[1] != 7)
        fail_msg("output written on error");
    pt_at(e, 700, dir, x);
    check_spatial(e, x, "radius 700");
    free(x);
    /* invalid points and arguments */
    int64_t bad[2] = { INT64_MIN, 0 };
    assert_code(hyp_fixed_lorentz_spatial(HYP_FIXED_Q64, HYP_LORENTZ, 2, bad, xs),
                HYP_EFIXED_WORD);
    int64_t edge1[1] = { INT64_MAX }; /* 1 - 2^-63: valid */
    assert_code(hyp_fixed_lorentz_spatial(HYP_FIXED_Q64, HYP_POINCARE, 1, edge1, xs), HYP_OK);
    assert_code(hyp_fixed_lorentz_spatial((hyp_fixed_format)1, HYP_LORENTZ, 1, bad, xs),
                HYP_EREPR);
    assert_code(hyp_fixed_lorentz_spatial(HYP_FIXED_Q64, HYP_LORENTZ, 0, bad, xs), HYP_EDIM);
    mpz_clear(z);
}

static void test_bytes(void **state)
{
    (void)state;
    int32_t a32[2] = { -2, 0x01020304 };
    unsigned char b[64];
    assert_code(hyp_fixed_encode(HYP_FIXED_Q32, HYP_LORENTZ, 2, a32, b), HYP_OK);
    const unsigned char want32[8] = { 0xfe, 0xff, 0xff, 0xff, 0x04, 0x03, 0x02, 0x01 };
    assert_memory_equal(b, want32, 8);
    hyp_q128 a128[2] = { { UINT64_MAX, UINT64_MAX }, { 0, 1 } }; /* -1, 2^64 */
    assert_code(hyp_fixed_encode(HYP_FIXED_Q128, HYP_LORENTZ, 2, a128, b), HYP_OK);
    for (int i = 0; i < 16; i++)
        assert_int_equal(b[i], 0xff);
    for (int i = 16; i < 32; i++)
        assert_int_equal(b[i], i == 24 ? 1 : 0);
    hyp_q128 back[2];
    assert_code(hyp_fixed_decode(HYP_FIXED_Q128, HYP_LORENTZ, 2, b, back), HYP_OK);
    assert_memory_equal(back, a128, sizeof back);
    /* round trips of random valid points, every kind */
    for (size_t fi = 0; fi < 3; fi++) {
        for (size_t mi = 0; mi < 3; mi++) {
            kind k = { formats[fi], models[mi], 3 };
            void *x = pt_new(k), *y = pt_new(k);
            unsigned char *e = malloc(hyp_fixed_size(k.f, k.m, k.n));
            for (int it = 0; it < 20; it++) {
                pt_at(k, rnd_unit() * cap(k) * 0.9, NULL, x);
                assert_code(hyp_fixed_encode(k.f, k.m, k.n, x, e), HYP_OK);
                assert_code(hyp_fixed_decode(k.f, k.m, k.n, e, y), HYP_OK);
                assert_memory_equal(x, y, hyp_fixed_size(k.f, k.m, k.n));
            }
            free(e);
            free(x);
            free(y);
        }
    }
    /* decoding validates */
    unsigned char most_negative[8] = { 0, 0, 0, 0x80, 0, 0, 0, 0 };
    int32_t out[2];
    assert_code(hyp_fixed_decode(HYP_FIXED_Q32, HYP_LORENTZ, 2, most_negative, out),
                HYP_EFIXED_WORD);
    assert_int_equal(out[0], INT32_MIN); /* written anyway */
    unsigned char edge[8] = { 0, 0, 0, 0x80, 0, 0, 0, 0 }; /* -1 exactly, then 0 */
    assert_code(hyp_fixed_decode(HYP_FIXED_Q32, HYP_POINCARE, 2, edge, out), HYP_EFIXED_WORD);
    int32_t p[2] = { 1 << 30, (int32_t)1859775394 }; /* 0.5^2 + (sqrt(0.75) + 2^-32)^2 > 1 */
    assert_code(hyp_fixed_check(HYP_FIXED_Q32, HYP_POINCARE, 2, p), HYP_EOUTSIDE);
    int32_t bnd[2] = { INT32_MAX, 0 };
    assert_code(hyp_fixed_check(HYP_FIXED_Q32, HYP_POINCARE, 2, bnd), HYP_OK);
    int64_t exact_edge[4] = { 1ll << 62, 1ll << 62, 1ll << 62, 1ll << 62 }; /* |x| = 1 */
    assert_code(hyp_fixed_check(HYP_FIXED_Q64, HYP_POINCARE, 4, exact_edge), HYP_EBOUNDARY);
    int32_t e1[3] = { -5, 1 << 30, 0 }, e2[3] = { 5, 0, 0 }, e3[3] = { 0, 1, 0 },
            e4[3] = { 5, (1 << 30) + 1, 0 }, e5[3] = { 0, 0, 0 };
    assert_code(hyp_fixed_check(HYP_FIXED_Q32, HYP_EUCLID, 2, e1), HYP_EFIXED_WORD);
    assert_code(hyp_fixed_check(HYP_FIXED_Q32, HYP_EUCLID, 2, e2), HYP_EFIXED_WORD);
    assert_code(hyp_fixed_check(HYP_FIXED_Q32, HYP_EUCLID, 2, e3), HYP_EFIXED_WORD);
    assert_code(hyp_fixed_check(HYP_FIXED_Q32, HYP_EUCLID, 2, e4), HYP_EFIXED_WORD);
    assert_code(hyp_fixed_check(HYP_FIXED_Q32, HYP_EUCLID, 2, e5), HYP_OK);
}

static void test_clamp(void **state)
{
    (void)state;
    double in[3], moved = -1;
    int32_t w[3];
    /* inside: the same words as hyp_fixed_from_double, moved 0 */
    in[0] = 0.25;
    in[1] = -0.5;
    int32_t plain[2];
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q32, HYP_POINCARE, 2, in, plain), HYP_OK);
    assert_code(hyp_fixed_clamp_from_double(HYP_FIXED_Q32, HYP_POINCARE, 2, in, w, &moved),
                HYP_OK);
    assert_memory_equal(w, plain, sizeof plain);
    assert_true(moved == 0.0);
    /* Poincaré on an axis at radius 30 in q32 (holds 22.18): rounds to
     * k = 2^31, clamped to 2^31 - 1, moved by 30 - 22.18 along the axis */
    double r = 30;
    in[0] = tanh(r / 2);
    in[1] = 0;
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q32, HYP_POINCARE, 2, in, w), HYP_EFIXED_RANGE);
    assert_code(hyp_fixed_clamp_from_double(HYP_FIXED_Q32, HYP_POINCARE, 2, in, w, &moved),
                HYP_OK);
    assert_true(w[0] == INT32_MAX && w[1] == 0);
    uint64_t rr;
    hyp_fixed_radius(HYP_FIXED_Q32, HYP_POINCARE, 2, w, &rr);
    double rc = (double)rr * 0x1p-32, rx;
    hyp_radius(HYP_POINCARE, 2, in, &rx); /* tanh(15) in binary64: not quite 30 */
    if (!(fabs(rc - 22.18070977768542) < 3e-10 && fabs(moved - (rx - rc)) < 1e-6))
        fail_msg("clamped radius %.15g, moved %.12g", rc, moved);
    /* off the axis: still inside afterwards, moved at least radially */
    in[0] = 1 - 0x1p-40;
    in[1] = 1e-6;
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q32, HYP_POINCARE, 2, in, w), HYP_EFIXED_RANGE);
    assert_code(hyp_fixed_clamp_from_double(HYP_FIXED_Q32, HYP_POINCARE, 2, in, w, &moved),
                HYP_OK);
    assert_code(hyp_fixed_check(HYP_FIXED_Q32, HYP_POINCARE, 2, w), HYP_OK);
    hyp_radius(HYP_POINCARE, 2, in, &rx);
    hyp_fixed_radius(HYP_FIXED_Q32, HYP_POINCARE, 2, w, &rr);
    rc = (double)rr * 0x1p-32;
    double y[2];
    assert_code(hyp_fixed_to_double(HYP_FIXED_Q32, HYP_POINCARE, 2, w, y), HYP_OK); /* exact */
    mpfr_t ref;
    mpfr_init2(ref, 128);
    assert_int_equal(oracle_dist(HYP_POINCARE, 2, in, y, ref), ORACLE_OK);
    if (!(rc > 22.18 && moved >= rx - rc - 1e-9 && fabs(moved - mpfr_get_d(ref, MPFR_RNDN)) < 1e-12 * moved))
        fail_msg("clamped radius %.12g from %.12g, moved %.12g", rc, rx, moved);
    mpfr_clear(ref);
    /* Lorentz q32: a coordinate of 1e6 (radius 14.5) onto the largest word */
    in[1] = 1e6;
    in[2] = -2e5;
    in[0] = sqrt(1 + in[1] * in[1] + in[2] * in[2]);
    assert_code(hyp_fixed_clamp_from_double(HYP_FIXED_Q32, HYP_LORENTZ, 2, in, w, &moved),
                HYP_OK);
    assert_int_equal(w[0], INT32_MAX);
    assert_int_equal(w[1], -(int32_t)(INT32_MAX / 5)); /* floor(0.2 (2^31 - 1)) */
    hyp_radius(HYP_LORENTZ, 2, in, &rx);
    hyp_fixed_radius(HYP_FIXED_Q32, HYP_LORENTZ, 2, w, &rr);
    if (!(fabs(moved - (rx - (double)rr * 0x1p-32)) < 1e-4))
        fail_msg("Lorentz moved %.9g, radii %.9g -> %.9g", moved, rx, (double)rr * 0x1p-32);
    /* Euclid q32: radius 300 on an axis -> 256 - 2^-23 */
    in[0] = 0;
    in[1] = -300;
    assert_code(hyp_fixed_from_double(HYP_FIXED_Q32, HYP_EUCLID, 2, in, w), HYP_EFIXED_RANGE);
    assert_code(hyp_fixed_clamp_from_double(HYP_FIXED_Q32, HYP_EUCLID, 2, in, w, &moved),
                HYP_OK);
    assert_true(w[0] == INT32_MAX && w[1] == 0 && w[2] == -(1 << 30));
    if (!(fabs(moved - (300 - (256 - 0x1p-23))) < 1e-12))
        fail_msg("Euclid moved %.12g", moved);
    /* off an axis the direction's rounding counts too (q32 cannot resolve
     * angles at radius 256): moved is the true distance, checked by MPFR */
    in[0] = 180;
    in[1] = 240;
    assert_code(hyp_fixed_clamp_from_double(HYP_FIXED_Q32, HYP_EUCLID, 2, in, w, &moved),
                HYP_OK);
    assert_int_equal(w[0], INT32_MAX);
    assert_code(hyp_fixed_to_double(HYP_FIXED_Q32, HYP_EUCLID, 2, w, y), HYP_OK);
    mpfr_init2(ref, 128);
    assert_int_equal(oracle_dist(HYP_EUCLID, 2, in, y, ref), ORACLE_OK);
    if (!(fabs(moved - mpfr_get_d(ref, MPFR_RNDN)) < 1e-12 * moved && moved > 44))
        fail_msg("Euclid moved %.12g", moved);
    mpfr_clear(ref);
}

/* ---- distances ---- */

static double worst[3][3], worst_wide[3][3];

static void check_dist(kind k, const void *x, const void *y, const char *what)
{
    uint64_t d, w[2], back;
    assert_code(hyp_fixed_dist(k.f, k.m, k.n, x, y, &d), HYP_OK);
    assert_code(hyp_fixed_dist_wide(k.f, k.m, k.n, x, y, w), HYP_OK);
    assert_code(hyp_fixed_dist(k.f, k.m, k.n, y, x, &back), HYP_OK);
    if (back != d)
        fail_msg("%s: d(x,y) != d(y,x)", what);
    mpfr_t ref;
    mpfr_init2(ref, 1024);
    ref_dist(k.f, k.m, k.n, x, y, ref);
    double u = ref_units(d, 0, 32, ref), uw = ref_units(w[0], w[1], 64, ref);
    int fi = k.f - HYP_FIXED_Q32, mi = k.m - HYP_POINCARE;
    if (u > worst[fi][mi])
        worst[fi][mi] = u;
    if (uw > worst_wide[fi][mi])
        worst_wide[fi][mi] = uw;
    if (!(u <= TOL_UNITS) || !(uw <= TOL_UNITS)) {
        char rb[80];
        mpfr_snprintf(rb, sizeof rb, "%.30Rg", ref);
        fail_msg("%s %s %s n=%zu: distance %.10f (%.4f units), wide %.4f units, MPFR %s",
                 hyp_fixed_name(k.f), hyp_model_name(k.m), what, k.n, (double)d * 0x1p-32, u,
                 uw, rb);
    }
    mpfr_clear(ref);
}

static void check_radius(kind k, const void *x)
{
    uint64_t r;
    assert_code(hyp_fixed_radius(k.f, k.m, k.n, x, &r), HYP_OK);
    mpfr_t ref;
    mpfr_init2(ref, 1024);
    ref_radius(k.f, k.m, k.n, x, ref);
    double u = ref_units(r, 0, 32, ref);
    if (!(u <= TOL_UNITS))
        fail_msg("%s %s radius %.10f is %.4f units off", hyp_fixed_name(k.f),
                 hyp_model_name(k.m), (double)r * 0x1p-32, u);
    mpfr_clear(ref);
}

static void test_dist(void **state)
{
    (void)state;
    static const size_t dims[] = { 1, 2, 3, 8, 40 };
    for (size_t fi = 0; fi < 3; fi++) {
        for (size_t mi = 0; mi < 3; mi++) {
            for (int it = 0; it < 250; it++) {
                kind k = { formats[fi], models[mi], dims[it % 5] };
                void *x = pt_new(k), *y = pt_new(k);
                double c = cap(k);
                /* radii: uniform, log-uniform toward 0, and the top 10% */
                double r1 = it % 3 == 0 ? rnd_unit() * c
                          : it % 3 == 1 ? c * exp(-20 * rnd_unit()) : c * (0.9 + 0.1 * rnd_unit());
                double r2 = rnd_unit() * c;
                pt_at(k, r1, NULL, x);
                check_radius(k, x);
                pt_at(k, r2, NULL, y);
                check_dist(k, x, y, "random");
                /* identical: exactly 0 */
                uint64_t d;
                assert_code(hyp_fixed_dist(k.f, k.m, k.n, x, x, &d), HYP_OK);
                assert_true(d == 0);
                /* 1 unit apart in one word, and in every word */
                pt_copy(k, y, x);
                size_t words = hyp_fixed_words(k.m, k.n), first = k.m == HYP_EUCLID;
                size_t i = first + rnd_index(k.n);
                pt_bump(k, y, i, (rnd() & 1) ? 1 : -1);
                if (hyp_fixed_check(k.f, k.m, k.n, y) == HYP_OK)
                    check_dist(k, x, y, "one unit");
                pt_copy(k, y, x);
                for (i = 0; i < words; i++)
                    pt_bump(k, y, i, (rnd() & 1) ? 1 : -1);
                if (hyp_fixed_check(k.f, k.m, k.n, y) == HYP_OK)
                    check_dist(k, x, y, "units");
                /* the origin */
                memset(y, 0, hyp_fixed_size(k.f, k.m, k.n));
                check_dist(k, x, y, "origin");
                free(x);
                free(y);
            }
        }
    }
}

/* Poincaré on the edge: the last word before the boundary on an axis, the
 * deepest off-axis points (|k|^2 = K - 1 and K - 2), and neighbours there. */
static void test_dist_boundary(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < 3; fi++) {
        kind k = { formats[fi], HYP_POINCARE, 4 };
        ref_layout l = ref_layout_of(k.f, k.m);
        void *x = pt_new(k), *y = pt_new(k);
        mpz_t z, h;
        mpz_inits(z, h, NULL);
        /* axis: 2^F - 1 */
        mpz_setbit(z, (mp_bitcnt_t)l.frac);
        mpz_sub_ui(z, z, 1);
        ref_set_word(k.f, x, 0, z);
        check_radius(k, x);
        pt_copy(k, y, x);
        pt_bump(k, y, 0, -1);
        check_dist(k, x, y, "axis edge");
        pt_bump(k, y, 1, 1);
        check_dist(k, x, y, "axis edge, off");
        /* antipodal on the axis: a word difference of 2^(F+1) - 2, the
         * largest any product kernel sees */
        memset(y, 0, hyp_fixed_size(k.f, k.m, k.n));
        mpz_neg(z, z);
        ref_set_word(k.f, y, 0, z);
        check_dist(k, x, y, "axis edge, antipodal");
        /* 2^2F - 1 = (2^F - 1)^2 + 2^(F+1) - 2: four squares summing to it,
         * from k = (2^F - 1, a, b, c) with a^2 + b^2 + c^2 = 2^(F+1) - 2 */
        mpz_set_ui(h, 0);
        mpz_setbit(h, (mp_bitcnt_t)(l.frac + 1));
        mpz_sub_ui(h, h, 2); /* find a, b, c by greedy square roots */
        mpz_t rest, s;
        mpz_inits(rest, s, NULL);
        mpz_set(rest, h);
        for (size_t i = 1; i < 4; i++) {
            mpz_sqrt(s, rest);
            if (i == 3 && mpz_cmp_ui(rest, 0) != 0 && !mpz_perfect_square_p(rest))
                break;
            ref_set_word(k.f, x, i, s);
            mpz_submul(rest, s, s);
        }
        int deepest = mpz_cmp_ui(rest, 0) == 0;
        assert_code(hyp_fixed_check(k.f, k.m, k.n, x), HYP_OK);
        check_radius(k, x);
        if (deepest) {
            uint64_t r;
            hyp_fixed_radius(k.f, k.m, k.n, x, &r);
            assert_true((double)r * 0x1p-32 > (2 * l.frac + 1) * 0.693);
        }
        pt_copy(k, y, x);
        pt_bump(k, y, 3, -1);
        check_dist(k, x, y, "deep edge");
        mpz_clears(z, h, rest, s, NULL);
        free(x);
        free(y);
    }
}

/* The largest radii: q128 Euclid near 2^24, Lorentz words at their limit. */
static void test_dist_huge(void **state)
{
    (void)state;
    kind e = { HYP_FIXED_Q128, HYP_EUCLID, 3 };
    void *x = pt_new(e), *y = pt_new(e);
    for (int it = 0; it < 6; it++) {
        double dir[3] = { 1, 0.5, -0.25 };
        pt_at(e, 16777215.0 - it, dir, x);
        pt_copy(e, y, x);
        pt_bump(e, y, 2, 1); /* one direction unit: d ~ 2^-126 sinh(r), huge */
        check_dist(e, x, y, "huge radius, one direction unit");
        pt_copy(e, y, x);
        pt_bump(e, y, 0, -1); /* one radius unit: d = 2^-103 */
        check_dist(e, x, y, "huge radius, one radius unit");
        pt_at(e, 1e6 * (it + 1), NULL, y);
        check_dist(e, x, y, "huge radii");
    }
    free(x);
    free(y);
    for (size_t fi = 0; fi < 3; fi++) {
        kind l = { formats[fi], HYP_LORENTZ, 2 };
        x = pt_new(l);
        y = pt_new(l);
        mpz_t z;
        mpz_init(z);
        mpz_setbit(z, (mp_bitcnt_t)(ref_layout_of(l.f, l.m).wbits - 1));
        mpz_sub_ui(z, z, 1);
        ref_set_word(l.f, x, 0, z);
        ref_set_word(l.f, x, 1, z);
        check_radius(l, x);
        pt_copy(l, y, x);
        pt_bump(l, y, 1, -1);
        check_dist(l, x, y, "largest words, one unit");
        mpz_neg(z, z);
        ref_set_word(l.f, y, 0, z);
        check_dist(l, x, y, "largest words, opposite");
        mpz_clear(z);
        free(x);
        free(y);
    }
}

static void test_dist_report(void **state)
{
    (void)state;
    printf("largest error in units of the output (Q32.32 / Q64.64) vs MPFR:\n");
    for (size_t fi = 0; fi < 3; fi++)
        for (size_t mi = 0; mi < 3; mi++)
            printf("  %-4s %-8s  %.6f / %.6f\n", hyp_fixed_name(formats[fi]),
                   hyp_model_name(models[mi]), worst[fi][mi], worst_wide[fi][mi]);
}

/* ---- comparisons ---- */

/* sign(d(q,a) - d(q,b)) from MPFR at 4096 bits; tie = the caller knows. */
static int ref_order(kind k, const void *q, const void *a, const void *b)
{
    mpfr_t da, db;
    mpfr_inits2(4096, da, db, (mpfr_ptr)0);
    ref_dist(k.f, k.m, k.n, q, a, da);
    ref_dist(k.f, k.m, k.n, q, b, db);
    mpfr_sub(da, da, db, MPFR_RNDN);
    int s = mpfr_sgn(da);
    /* the reference is good to ~2^-4000 of the distances (< 2^26): a gap
     * below 2^-3900 would be inconclusive */
    if (s != 0 && mpfr_get_exp(da) < -3900)
        fail_msg("reference cannot separate the distances");
    if (s == 0)
        fail_msg("reference finds an unexpected tie");
    mpfr_clears(da, db, (mpfr_ptr)0);
    return s;
}

static void expect_order(kind k, const void *q, const void *a, const void *b, int want,
                         const char *what)
{
    int got = 9;
    assert_code(hyp_fixed_dist_cmp(k.f, k.m, k.n, q, a, b, &got), HYP_OK);
    if (got != want)
        fail_msg("%s %s n=%zu %s: order %d, expected %d", hyp_fixed_name(k.f),
                 hyp_model_name(k.m), k.n, what, got, want);
    assert_code(hyp_fixed_dist_cmp(k.f, k.m, k.n, q, b, a, &got), HYP_OK);
    if (got != -want)
        fail_msg("%s: swapped order %d, expected %d", what, got, -want);
}

static void test_cmp(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < 3; fi++) {
        for (size_t mi = 0; mi < 3; mi++) {
            for (int it = 0; it < 40; it++) {
                kind k = { formats[fi], models[mi], 2 + (size_t)(it % 3) * 3 };
                void *q = pt_new(k), *a = pt_new(k), *b = pt_new(k), *c = pt_new(k);
                size_t first = k.m == HYP_EUCLID, i0 = first, i1 = first + 1;
                double cp = cap(k);
                double rq = it % 2 ? rnd_unit() * cp : cp * (0.9 + 0.1 * rnd_unit());
                pt_at(k, rq, NULL, q);
                /* q symmetric in words i0, i1: then swapping them in a is an isometry
                 * fixing q, an exact tie */
                mpz_t z;
                mpz_init(z);
                ref_word(k.f, k.m, k.n, q, i0, z);
                ref_set_word(k.f, q, i1, z);
                if (hyp_fixed_check(k.f, k.m, k.n, q) != HYP_OK) {
                    mpz_fdiv_q_2exp(z, z, 1);
                    ref_set_word(k.f, q, i0, z);
                    ref_set_word(k.f, q, i1, z);
                }
                assert_code(hyp_fixed_check(k.f, k.m, k.n, q), HYP_OK);
                /* a at the top of the format's range every other time (near
                 * the ball's edge, the largest words) */
                pt_at(k, it % 2 ? cp * (0.95 + 0.05 * rnd_unit()) : rnd_unit() * cp, NULL, a);
                ref_word(k.f, k.m, k.n, a, i0, z);
                mpz_t z1;
                mpz_init(z1);
                ref_word(k.f, k.m, k.n, a, i1, z1);
                if (mpz_cmp(z, z1) == 0) {
                    pt_bump(k, a, i0, 1);
                    if (hyp_fixed_check(k.f, k.m, k.n, a) != HYP_OK)
                        pt_bump(k, a, i0, -2);
                }
                pt_copy(k, b, a);
                pt_swap(k, b, i0, i1);
                expect_order(k, q, a, b, 0, "mirror tie");
                int o;
                assert_code(hyp_fixed_radius_cmp(k.f, k.m, k.n, a, b, &o), HYP_OK);
                assert_int_equal(o, 0);
                /* one unit away from the tie, in each word of b in turn */
                size_t words = hyp_fixed_words(k.m, k.n);
                for (size_t i = 0; i < words; i++) {
                    for (long dlt = -1; dlt <= 1; dlt += 2) {
                        pt_copy(k, c, b);
                        pt_bump(k, c, i, dlt);
                        if (hyp_fixed_check(k.f, k.m, k.n, c) != HYP_OK)
                            continue;
                        expect_order(k, q, a, c, ref_order(k, q, a, c), "one unit off a tie");
                    }
                }
                /* radius order one unit apart, against MPFR's radii */
                pt_copy(k, c, a);
                pt_bump(k, c, i0, 1);
                if (hyp_fixed_check(k.f, k.m, k.n, c) == HYP_OK) {
                    mpfr_t ra, rc;
                    mpfr_inits2(4096, ra, rc, (mpfr_ptr)0);
                    ref_radius(k.f, k.m, k.n, a, ra);
                    ref_radius(k.f, k.m, k.n, c, rc);
                    assert_code(hyp_fixed_radius_cmp(k.f, k.m, k.n, a, c, &o), HYP_OK);
                    assert_int_equal(o, mpfr_cmp(ra, rc) < 0 ? -1 : (mpfr_cmp(ra, rc) > 0));
                    mpfr_clears(ra, rc, (mpfr_ptr)0);
                }
                /* random b */
                pt_at(k, rnd_unit() * cp, NULL, b);
                expect_order(k, q, a, b, ref_order(k, q, a, b), "random");
                mpz_clears(z, z1, NULL);
                free(q);
                free(a);
                free(b);
                free(c);
            }
        }
    }
}

/* Euclid ties of different radii (collinear with the origin), which only
 * the Lindemann-Weierstrass test recognises, and their neighbours. */
static void test_cmp_euclid_collinear(void **state)
{
    (void)state;
    for (size_t fi = 0; fi < 3; fi++) {
        kind k = { formats[fi], HYP_EUCLID, 3 };
        ref_layout l = ref_layout_of(k.f, k.m);
        void *q = pt_new(k), *a = pt_new(k), *b = pt_new(k), *c = pt_new(k);
        double dir[3] = { 0.3, -0.4, 0.5 }, neg[3] = { -0.3, 0.4, -0.5 };
        mpz_t Rq, Ra, t;
        mpz_inits(Rq, Ra, t, NULL);
        for (int it = 0; it < 8; it++) {
            double rq = 1 + rnd_unit() * 30, ra = rnd_unit() * 30;
            if (l.wbits == 32) {
                rq /= 2;
                ra /= 2;
            }
            pt_at(k, rq, dir, q);
            pt_at(k, ra, neg, a);
            ref_word(k.f, k.m, k.n, q, 0, Rq);
            ref_word(k.f, k.m, k.n, a, 0, Ra);
            /* b on q's ray at radius 2 rq + ra: d(q,b) = rq + ra = d(q,a) */
            pt_copy(k, b, q);
            mpz_mul_2exp(t, Rq, 1);
            mpz_add(t, t, Ra);
            ref_set_word(k.f, b, 0, t);
            assert_code(hyp_fixed_check(k.f, k.m, k.n, b), HYP_OK);
            expect_order(k, q, a, b, 0, "collinear tie");
            /* the origin is at distance rq, as is q's ray point at 2 rq */
            memset(a, 0, hyp_fixed_size(k.f, k.m, k.n));
            mpz_mul_2exp(t, Rq, 1);
            ref_set_word(k.f, b, 0, t);
            expect_order(k, q, a, b, 0, "origin tie");
            /* one radius unit off, one direction unit off */
            pt_copy(k, c, b);
            pt_bump(k, c, 0, 1);
            expect_order(k, q, a, c, -1, "origin tie + 1 radius unit");
            pt_copy(k, c, b);
            pt_bump(k, c, 2, 1);
            expect_order(k, q, a, c, ref_order(k, q, a, c), "origin tie, direction unit");
        }
        mpz_clears(Rq, Ra, t, NULL);
        free(q);
        free(a);
        free(b);
        free(c);
    }
}

/* A collinear tie nudged by one q128 direction unit with small radii: the
 * relative gap of cosh d is about e^(2 rq) 2^-254, below what 192 bits can
 * certify, so the comparison must escalate (to 384 bits) and still be right;
 * the tie itself must come back as a tie. */
static void test_cmp_escalation(void **state)
{
    (void)state;
    kind k = { HYP_FIXED_Q128, HYP_EUCLID, 2 };
    hyp_q128 q[3] = { { 0, 0 } }, a[3] = { { 0, 0 } }, b[3] = { { 0, 0 } };
    for (int it = 1; it <= 6; it++) {
        q[0].hi = (uint64_t)it << 37;  /* rq = it/4 (2^103 is bit 39 of hi) */
        q[1].hi = 1ull << 62;         /* direction (1, 0) */
        a[0].hi = (uint64_t)it << 36;  /* ra = it/8, opposite direction */
        a[1].hi = (uint64_t)-(int64_t)(1ull << 62);
        b[0].hi = (uint64_t)(5 * it) << 36; /* rb = 2 rq + ra on q's ray */
        b[1].hi = 1ull << 62;
        b[2].lo = 0;
        expect_order(k, q, a, b, 0, "escalation: tie");
        b[2].lo = (uint64_t)it; /* a few direction units off */
        expect_order(k, q, a, b, ref_order(k, q, a, b), "escalation: nudged direction");
        b[2].lo = 0;
        b[0].lo = 1; /* one radius unit, 2^-103: gap ~2^-103, decided at once */
        expect_order(k, q, a, b, ref_order(k, q, a, b), "escalation: radius unit");
        b[0].lo = 0;
    }
}

/* ---- the largest dimension ---- */

static void test_maxdim(void **state)
{
    (void)state;
    const size_t n = HYP_DIM_MAX;
    for (size_t fi = 0; fi < 3; fi++) {
        for (size_t mi = 0; mi < 3; mi++) {
            kind k = { formats[fi], models[mi], n };
            ref_layout l = ref_layout_of(k.f, k.m);
            void *a = pt_new(k), *b = pt_new(k), *c = pt_new(k);
            size_t first = k.m == HYP_EUCLID, words = hyp_fixed_words(k.m, n);
            mpz_t big, v;
            mpz_inits(big, v, NULL);
            /* every word at its largest magnitude: the sums must not wrap */
            mpz_setbit(big, (mp_bitcnt_t)(l.wbits - 1));
            mpz_sub_ui(big, big, 1);
            for (size_t i = 0; i < words; i++)
                ref_set_word(k.f, a, i, big);
            if (k.m == HYP_POINCARE) {
                assert_code(hyp_fixed_check(k.f, k.m, n, a), HYP_EOUTSIDE);
                /* 2^(F-6) in every word is |x| = 1 exactly; one less is inside */
                mpz_set_ui(big, 0);
                mpz_setbit(big, (mp_bitcnt_t)(l.frac - 6));
                for (size_t i = 0; i < n; i++)
                    ref_set_word(k.f, a, i, big);
                assert_code(hyp_fixed_check(k.f, k.m, n, a), HYP_EBOUNDARY);
                mpz_sub_ui(big, big, 1);
                for (size_t i = 0; i < n; i++)
                    ref_set_word(k.f, a, i, big);
            } else if (k.m == HYP_EUCLID) {
                assert_code(hyp_fixed_check(k.f, k.m, n, a), HYP_EFIXED_WORD);
                mpz_set_ui(v, 0);
                mpz_setbit(v, (mp_bitcnt_t)l.dirfrac);
                for (size_t i = 1; i < words; i++)
                    ref_set_word(k.f, a, i, v);
            }
            assert_code(hyp_fixed_check(k.f, k.m, n, a), HYP_OK);
            /* b: a with alternating signs (largest |a - b|, dot near 0) */
            pt_copy(k, b, a);
            for (size_t i = first; i < words; i += 2) {
                ref_word(k.f, k.m, n, a, i, v);
                mpz_neg(v, v);
                ref_set_word(k.f, b, i, v);
            }
            check_dist(k, a, b, "max dim, alternating");
            check_radius(k, a);
            /* c: -a (Euclid: opposite direction) */
            pt_copy(k, c, a);
            for (size_t i = first; i < words; i++) {
                ref_word(k.f, k.m, n, a, i, v);
                mpz_neg(v, v);
                ref_set_word(k.f, c, i, v);
            }
            check_dist(k, a, c, "max dim, opposite");
            expect_order(k, a, b, c, ref_order(k, a, b, c), "max dim");
            /* one unit */
            pt_copy(k, c, a);
            pt_bump(k, c, n / 2, -1);
            check_dist(k, a, c, "max dim, one unit");
            expect_order(k, b, a, c, ref_order(k, b, a, c), "max dim, one unit");
            if (k.m == HYP_POINCARE) {
                /* one word near the edge, all others nonzero, against its
                 * antipode: word differences near 2^(F+1) at the largest n */
                mpz_set_ui(v, 0);
                mpz_setbit(v, (mp_bitcnt_t)l.frac);
                mpz_set_ui(big, 0);
                mpz_setbit(big, (mp_bitcnt_t)(l.frac - 8));
                mpz_sub(v, v, big);
                mpz_sub_ui(v, v, 0x2545f491u); /* 2^F - 2^(F-8) - junk: low bits set */
                ref_set_word(k.f, a, 0, v);
                mpz_neg(v, v);
                ref_set_word(k.f, c, 0, v);
                mpz_set_ui(big, 0);
                mpz_setbit(big, (mp_bitcnt_t)(l.frac - 10));
                for (size_t i = 1; i < n; i++) {
                    ref_set_word(k.f, a, i, big);
                    mpz_neg(v, big);
                    ref_set_word(k.f, c, i, v);
                }
                assert_code(hyp_fixed_check(k.f, k.m, n, a), HYP_OK);
                check_dist(k, a, c, "max dim, antipodal near the edge");
                check_radius(k, a);
            }
            /* the most negative word is refused */
            mpz_set_ui(v, 0);
            mpz_setbit(v, (mp_bitcnt_t)(l.wbits - 1));
            mpz_neg(v, v);
            ref_set_word(k.f, c, words - 1, v);
            assert_code(hyp_fixed_check(k.f, k.m, n, c), HYP_EFIXED_WORD);
            mpz_clears(big, v, NULL);
            free(a);
            free(b);
            free(c);
        }
    }
}

int main(int argc, char **argv)
{
    const char *part = argc > 1 ? argv[1] : "all";
    const struct CMUnitTest formats_tests[] = {
        cmocka_unit_test(test_names),         cmocka_unit_test(test_constants),
        cmocka_unit_test(test_round_coords),  cmocka_unit_test(test_round_edges),
        cmocka_unit_test(test_round_euclid),  cmocka_unit_test(test_to_double),
        cmocka_unit_test(test_bytes),         cmocka_unit_test(test_clamp),
        cmocka_unit_test(test_lorentz_spatial),
    };
    const struct CMUnitTest dist_tests[] = {
        cmocka_unit_test(test_dist),
        cmocka_unit_test(test_dist_boundary),
        cmocka_unit_test(test_dist_huge),
        cmocka_unit_test(test_dist_report),
    };
    const struct CMUnitTest cmp_tests[] = {
        cmocka_unit_test(test_cmp),
        cmocka_unit_test(test_cmp_euclid_collinear),
        cmocka_unit_test(test_cmp_escalation),
    };
    const struct CMUnitTest maxdim_tests[] = {
        cmocka_unit_test(test_maxdim),
        cmocka_unit_test(test_dist_report),
    };
    int all = strcmp(part, "all") == 0, failed = 0;
    if (all || strcmp(part, "formats") == 0)
        failed |= cmocka_run_group_tests_name("fixed formats", formats_tests, NULL, NULL);
    if (all || strcmp(part, "dist") == 0)
        failed |= cmocka_run_group_tests_name("fixed dist", dist_tests, NULL, NULL);
    if (all || strcmp(part, "cmp") == 0)
        failed |= cmocka_run_group_tests_name("fixed cmp", cmp_tests, NULL, NULL);
    if (all || strcmp(part, "maxdim") == 0)
        failed |= cmocka_run_group_tests_name("fixed maxdim", maxdim_tests, NULL, NULL);
    return failed ? 1 : 0;
}
