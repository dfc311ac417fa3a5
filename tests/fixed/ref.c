/* ref.c — see ref.h. */
#include <stdlib.h>
#include <string.h>
#include "ref.h"

ref_layout ref_layout_of(hyp_fixed_format f, hyp_model m)
{
    static const int wbits[] = { 32, 64, 128 };
    ref_layout l = { wbits[f - HYP_FIXED_Q32], 0, 0 };
    int w = l.wbits;
    if (m == HYP_POINCARE)
        l.frac = w - 1;
    else if (m == HYP_LORENTZ)
        l.frac = w == 32 ? 16 : 32;
    else {
        l.frac = w == 32 ? 23 : (w == 64 ? 47 : 103);
        l.dirfrac = w - 2;
    }
    return l;
}

void ref_word(hyp_fixed_format f, hyp_model m, size_t n, const void *x, size_t i, mpz_t v)
{
    (void)m;
    (void)n;
    size_t wb = hyp_fixed_word_size(f);
    unsigned char b[16];
    /* one word's canonical bytes: encode it as a 1-word Lorentz point (no
     * validation, any value) */
    if (hyp_fixed_encode(f, HYP_LORENTZ, 1, (const unsigned char *)x + wb * i, b) != HYP_OK)
        abort();
    mpz_import(v, wb, -1, 1, 0, 0, b); /* little-endian bytes */
    if (b[wb - 1] & 0x80) {            /* two's complement */
        mpz_t t;
        mpz_init(t);
        mpz_setbit(t, (mp_bitcnt_t)(8 * wb));
        mpz_sub(v, v, t);
        mpz_clear(t);
    }
}

void ref_set_word(hyp_fixed_format f, void *x, size_t i, const mpz_t v)
{
    size_t wb = hyp_fixed_word_size(f);
    mpz_t u;
    mpz_init_set(u, v);
    if (mpz_sgn(u) < 0) {
        mpz_t t;
        mpz_init(t);
        mpz_setbit(t, (mp_bitcnt_t)(8 * wb));
        mpz_add(u, u, t);
        mpz_clear(t);
    }
    unsigned char bytes[16] = { 0 };
    size_t count = 0;
    mpz_export(bytes, &count, -1, 1, 0, 0, u);
    unsigned char *p = (unsigned char *)x + wb * i;
    /* host order: assemble the word from its little-endian bytes */
    if (wb == 4) {
        uint32_t w = 0;
        for (int j = 3; j >= 0; j--)
            w = (w << 8) | bytes[j];
        memcpy(p, &w, 4);
    } else if (wb == 8) {
        uint64_t w = 0;
        for (int j = 7; j >= 0; j--)
            w = (w << 8) | bytes[j];
        memcpy(p, &w, 8);
    } else {
        hyp_q128 w = { 0, 0 };
        for (int j = 7; j >= 0; j--) {
            w.lo = (w.lo << 8) | bytes[j];
            w.hi = (w.hi << 8) | bytes[j + 8];
        }
        memcpy(p, &w, 16);
    }
    mpz_clear(u);
}

/* Words first..first+count-1 as integers. */
static mpz_t *words(hyp_fixed_format f, hyp_model m, size_t n, const void *x)
{
    size_t c = hyp_fixed_words(m, n);
    mpz_t *v = malloc(c * sizeof *v);
    for (size_t i = 0; i < c; i++) {
        mpz_init(v[i]);
        ref_word(f, m, n, x, i, v[i]);
    }
    return v;
}

static void free_words(mpz_t *v, size_t c)
{
    for (size_t i = 0; i < c; i++)
        mpz_clear(v[i]);
    free(v);
}

/* r = sum (a_i - b_i)^2 (b NULL: sum a_i^2), r = sum a_i b_i */
static void sumsq(mpz_t r, const mpz_t *a, const mpz_t *b, size_t from, size_t to)
{
    mpz_t t;
    mpz_init(t);
    mpz_set_ui(r, 0);
    for (size_t i = from; i < to; i++) {
        if (b)
            mpz_sub(t, a[i], b[i]);
        else
            mpz_set(t, a[i]);
        mpz_addmul(r, t, t);
    }
    mpz_clear(t);
}

static void dot(mpz_t r, const mpz_t *a, const mpz_t *b, size_t from, size_t to)
{
    mpz_set_ui(r, 0);
    for (size_t i = from; i < to; i++)
        mpz_addmul(r, a[i], b[i]);
}

static void poincare(const ref_layout *l, size_t n, mpz_t *a, mpz_t *b, mpfr_t d)
{
    mpfr_prec_t p = mpfr_get_prec(d) + 64;
    mpz_t K, num, na, nb;
    mpz_inits(K, num, na, nb, NULL);
    mpz_setbit(K, (mp_bitcnt_t)(2 * l->frac));
    sumsq(num, a, b, 0, n); /* b NULL (radius): S = K|k|^2 / ((K - |k|^2) K) */
    if (b)
        sumsq(nb, b, NULL, 0, n);
    else
        mpz_set_ui(nb, 0);
    sumsq(na, a, NULL, 0, n);
    mpz_mul(num, num, K);
    mpz_sub(na, K, na);
    mpz_sub(nb, K, nb);
    mpz_mul(na, na, nb);
    mpfr_t s, t;
    mpfr_inits2(p, s, t, (mpfr_ptr)0);
    mpfr_set_z(s, num, MPFR_RNDN);
    mpfr_set_z(t, na, MPFR_RNDN);
    mpfr_div(s, s, t, MPFR_RNDN);
    mpfr_sqrt(s, s, MPFR_RNDN);
    mpfr_asinh(s, s, MPFR_RNDN);
    mpfr_mul_2ui(d, s, 1, MPFR_RNDN);
    mpfr_clears(s, t, (mpfr_ptr)0);
    mpz_clears(K, num, na, nb, NULL);
}

static void lorentz(const ref_layout *l, size_t n, mpz_t *a, mpz_t *b, mpfr_t d)
{
    mpfr_prec_t p = mpfr_get_prec(d) + 64;
    mpz_t K, na, nb, ab;
    mpz_inits(K, na, nb, ab, NULL);
    mpz_setbit(K, (mp_bitcnt_t)(2 * l->frac));
    sumsq(na, a, NULL, 0, n);
    if (b) {
        sumsq(nb, b, NULL, 0, n);
        dot(ab, a, b, 0, n);
    } else {
        mpz_set_ui(nb, 0);
        mpz_set_ui(ab, 0);
    }
    mpz_add(na, na, K);
    mpz_add(nb, nb, K);
    mpz_mul(na, na, nb); /* K^2 x0 y0 squared */
    mpfr_t c, t;
    mpfr_inits2(p, c, t, (mpfr_ptr)0);
    mpfr_set_z(c, na, MPFR_RNDN);
    mpfr_sqrt(c, c, MPFR_RNDN);
    mpfr_sub_z(c, c, ab, MPFR_RNDN);
    mpfr_div_z(c, c, K, MPFR_RNDN); /* cosh d */
    if (mpfr_cmp_ui(c, 1) < 0)
        mpfr_set_ui(c, 1, MPFR_RNDN);
    mpfr_acosh(d, c, MPFR_RNDN);
    mpfr_clears(c, t, (mpfr_ptr)0);
    mpz_clears(K, na, nb, ab, NULL);
}

static void euclid(const ref_layout *l, size_t n, mpz_t *a, mpz_t *b, mpfr_t d)
{
    mpfr_prec_t p = mpfr_get_prec(d) + 64;
    mpfr_t r1, r2, s, t, u;
    mpfr_inits2(p, r1, r2, s, t, u, (mpfr_ptr)0);
    mpfr_set_z_2exp(r1, a[0], -l->frac, MPFR_RNDN);
    if (b)
        mpfr_set_z_2exp(r2, b[0], -l->frac, MPFR_RNDN);
    else
        mpfr_set_ui(r2, 0, MPFR_RNDN);
    if (mpfr_zero_p(r1) || mpfr_zero_p(r2)) {
        mpfr_sub(s, r1, r2, MPFR_RNDN);
        mpfr_abs(d, s, MPFR_RNDN);
    } else {
        mpz_t n1, n2, dd;
        mpz_inits(n1, n2, dd, NULL);
        sumsq(n1, a, NULL, 1, n + 1);
        sumsq(n2, b, NULL, 1, n + 1);
        dot(dd, a, b, 1, n + 1);
        mpz_mul(n1, n1, n2);
        mpfr_set_z(t, n1, MPFR_RNDN);
        mpfr_sqrt(t, t, MPFR_RNDN);
        mpfr_set_z(u, dd, MPFR_RNDN);
        mpfr_div(u, u, t, MPFR_RNDN); /* cos θ */
        mpfr_ui_sub(u, 1, u, MPFR_RNDN);
        mpfr_div_2ui(u, u, 1, MPFR_RNDN); /* sin^2(θ/2) */
        mpfr_sinh(s, r1, MPFR_RNDN);
        mpfr_mul(u, u, s, MPFR_RNDN);
        mpfr_sinh(s, r2, MPFR_RNDN);
        mpfr_mul(u, u, s, MPFR_RNDN);
        mpfr_sub(s, r1, r2, MPFR_RNDN);
        mpfr_div_2ui(s, s, 1, MPFR_RNDN);
        mpfr_sinh(s, s, MPFR_RNDN);
        mpfr_sqr(s, s, MPFR_RNDN);
        mpfr_add(s, s, u, MPFR_RNDN);
        mpfr_sqrt(s, s, MPFR_RNDN);
        mpfr_asinh(s, s, MPFR_RNDN);
        mpfr_mul_2ui(d, s, 1, MPFR_RNDN);
        mpz_clears(n1, n2, dd, NULL);
    }
    mpfr_clears(r1, r2, s, t, u, (mpfr_ptr)0);
}

static void eval(hyp_fixed_format f, hyp_model m, size_t n, const void *x, const void *y,
                 mpfr_t d)
{
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_set_emax(mpfr_get_emax_max());
    ref_layout l = ref_layout_of(f, m);
    size_t c = hyp_fixed_words(m, n);
    mpz_t *a = words(f, m, n, x), *b = y ? words(f, m, n, y) : NULL;
    if (m == HYP_POINCARE)
        poincare(&l, n, a, b, d);
    else if (m == HYP_LORENTZ)
        lorentz(&l, n, a, b, d);
    else
        euclid(&l, n, a, b, d);
    free_words(a, c);
    if (b)
        free_words(b, c);
}

void ref_dist(hyp_fixed_format f, hyp_model m, size_t n, const void *x, const void *y,
              mpfr_t d)
{
    eval(f, m, n, x, y, d);
}

void ref_radius(hyp_fixed_format f, hyp_model m, size_t n, const void *x, mpfr_t r)
{
    eval(f, m, n, x, NULL, r);
}

double ref_units(uint64_t lo, uint64_t hi, int frac, const mpfr_t ref)
{
    mpfr_t g;
    mpfr_init2(g, mpfr_get_prec(ref) + 192);
    mpfr_set_ui(g, hi, MPFR_RNDN);
    mpfr_mul_2ui(g, g, 64, MPFR_RNDN);
    mpfr_add_ui(g, g, lo, MPFR_RNDN);
    mpfr_div_2ui(g, g, (unsigned long)frac, MPFR_RNDN);
    mpfr_sub(g, g, ref, MPFR_RNDN);
    mpfr_mul_2ui(g, g, (unsigned long)frac, MPFR_RNDN);
    double u = mpfr_get_d(g, MPFR_RNDN);
    mpfr_clear(g);
    return u < 0 ? -u : u;
}
