/*
 * fixed_text.c — a fixed-point store's points as text (fixed_text.h).
 */
#include "fixed_text.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixed_mp.h"

int fixed_text_write(FILE *out, hyp_fixed_format f, hyp_model m, size_t n,
                     const unsigned char *bytes, char sep, int hex)
{
    size_t nw = hyp_fixed_words(m, n);
    void *words = malloc(hyp_fixed_size(f, m, n));
    mpz_t k;
    mpfr_t x, sum;
    int F = hyp_fixed_frac_bits(f, m), digits = (int)(F * 0.30102999566398120) + 2, rc;
    char *s;

    if (words == NULL)
        return -1;
    rc = hyp_fixed_decode(f, m, n, bytes, words) == HYP_OK ? 0 : -1;
    mpz_init(k);
    mpfr_inits2(160, x, NULL);
    mpfr_init2(sum, 400);
    if (m == HYP_LORENTZ) {
        mpfr_set_ui(sum, 1, MPFR_RNDN);
        for (size_t i = 0; i < nw; i++) {
            fixed_mp_get(f, words, i, k);
            mpfr_set_z(x, k, MPFR_RNDN);
            mpfr_mul_2si(x, x, -F, MPFR_RNDN);
            mpfr_fma(sum, x, x, sum, MPFR_RNDN); /* 2 * 160 bits: exact */
        }
        mpfr_sqrt(sum, sum, MPFR_RNDN);
        double x0 = mpfr_get_d(sum, MPFR_RNDN);
        fputc(sep, out);
        fprintf(out, hex ? "%a" : "%.17g", x0);
    }
    for (size_t i = 0; i < nw; i++) {
        fixed_mp_get(f, words, i, k);
        mpfr_set_z(x, k, MPFR_RNDN); /* at most 128 bits: exact */
        mpfr_mul_2si(x, x, -F, MPFR_RNDN);
        fputc(sep, out);
        if (hex) {
            mpfr_fprintf(out, "%Ra", x);
            continue;
        }
        if (mpfr_asprintf(&s, "%.*Rf", digits, x) < 0) {
            rc = -1;
            continue;
        }
        /* Trailing zeros say nothing; "0.500" reads back as "0.5". */
        size_t len = strlen(s);
        while (len > 1 && s[len - 1] == '0')
            len--;
        if (s[len - 1] == '.')
            len--;
        fwrite(s, 1, len, out);
        mpfr_free_str(s);
    }
    mpfr_clears(x, sum, NULL);
    mpz_clear(k);
    free(words);
    return rc;
}

/* One coordinate to k = round_half_even(x 2^F); x (320 bits) and k scratch. */
static int parse_word(const char *text, char **end, int F, mpfr_t x, mpz_t k)
{
    int t = mpfr_strtofr(x, text, end, 0, MPFR_RNDZ);
    if (*end == text)
        return EINVAL;
    if (!mpfr_number_p(x))
        return HYP_ENONFINITE;
    if (mpfr_get_exp(x) > 200 && !mpfr_zero_p(x))
        return HYP_EFIXED_RANGE;
    mpfr_mul_2si(x, x, F, MPFR_RNDN); /* exact: only the exponent moves */
    /* x is the exact value v truncated toward zero (t != 0 when inexact),
     * so |v| lies in [|x|, |x| + ulp): a fraction of x below 1/2 is one of v
     * below 1/2 (k + 1/2 has 320 bits, so x would have reached it), and a
     * fraction of exactly 1/2 with t != 0 means v is past the midpoint. */
    int sign = mpfr_sgn(x);
    mpfr_get_z(k, x, MPFR_RNDZ);
    mpfr_sub_z(x, x, k, MPFR_RNDN); /* the fraction, exactly */
    mpfr_abs(x, x, MPFR_RNDN);
    int half = mpfr_cmp_d(x, 0.5);
    if (half > 0 || (half == 0 && (t != 0 || mpz_odd_p(k)))) {
        if (sign < 0)
            mpz_sub_ui(k, k, 1);
        else
            mpz_add_ui(k, k, 1);
    }
    return HYP_OK;
}

int fixed_text_parse(hyp_fixed_format f, hyp_model m, size_t n, const char *text,
                     int with_x0, unsigned char *bytes)
{
    size_t nw = hyp_fixed_words(m, n), width = nw + (with_x0 ? 1 : 0);
    void *words = malloc(hyp_fixed_size(f, m, n));
    const char *p = text;
    char *end;
    mpfr_t x;
    mpz_t k;
    int F = hyp_fixed_frac_bits(f, m), rc = HYP_OK;

    if (words == NULL)
        return ENOMEM;
    mpfr_init2(x, 320);
    mpz_init(k);
    for (size_t c = 0; c < width && rc == HYP_OK; c++) {
        if (with_x0 && c == 0) {
            /* x0: the caller checked it against the spatial part. */
            end = strchr(p, ',');
            if (end == NULL)
                rc = EINVAL;
        } else if ((rc = parse_word(p, &end, F, x, k)) == HYP_OK &&
                   fixed_mp_set(f, words, c - (width - nw), k) != HYP_OK) {
            rc = HYP_EFIXED_RANGE;
        }
        if (rc == HYP_OK) {
            p = end + strspn(end, " ");
            if (c + 1 < width && *p++ != ',')
                rc = EINVAL;
        }
    }
    if (rc == HYP_OK)
        rc = hyp_fixed_encode(f, m, n, words, bytes);
    mpz_clear(k);
    mpfr_clear(x);
    free(words);
    return rc;
}
