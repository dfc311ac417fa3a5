/*
 * fixed_spatial.c — the Lorentz spatial part x_s of a fixed-point point, in
 * binary64, for callers that work on the hyperboloid in floating point (the
 * index's search vectors, index/proxy.c).
 *
 * Poincaré and Lorentz: x_s is a ratio of integers, so it is rounded
 * correctly (to nearest, ties to even), from integer division alone:
 *   Poincaré  x_s,i = 2 x_i / (1 - |x|^2) = k_i 2^(F+1) / (2^2F - |k|^2),
 *   Lorentz   x_s,i = k_i 2^-F.
 * The denominator D = 2^2F - |k|^2 is exact (|k|^2 is a sum of squares of
 * words, at most 2F + 12 bits, and D >= 1 for a valid point), and every
 * quotient is formed to 55-56 bits with the remainder kept as a sticky bit,
 * which is all round-to-nearest needs.  No floating-point operation takes
 * part except ldexp of a 53-bit integer, which is exact in the range met
 * here: |x_s,i| lies in [2^-F, 2^(2F+1)] (Poincaré) or [2^-F, 2^(w-1-F)]
 * (Lorentz), normal doubles for every format.  So the bits are the same on
 * every platform.
 *
 * Euclid: x_s = sinh(r) u/|u| is transcendental; it is formed in fx_xf at
 * 256 bits (fx_sinh, a square root, a division, each far below 2^-200
 * relative) and rounded once, so each coordinate is within 0.5 ulp plus
 * 2^-200 relative of the exact value: within 1 ulp (correctly rounded but for
 * inputs within 2^-200 of a halfway point).  The integer-only fx_xf
 * arithmetic is deterministic too.  sinh r overflows binary64 beyond r ~ 709:
 * such points have no binary64 image and give HYP_ERANGE.
 */
#include <math.h>
#include "fixed_internal.h"

/* Bits of the mantissa kept before the final rounding: 2 or 3 guard bits. */
#define QBITS 55

/* num / den * 2^e2 rounded to nearest, ties to even; num, den > 0, and the
 * result a normal double (the callers' ranges). */
static double round_ratio(const fx_nat *num, const fx_nat *den, int e2)
{
    fx_nat a, b, q, r;
    int s = QBITS - (fx_nat_bitlen(num) - fx_nat_bitlen(den));
    /* With s shifted in, a / b lies in (2^(QBITS-1), 2^(QBITS+1)): the
     * quotient has QBITS or QBITS + 1 bits. */
    if (s >= 0) {
        fx_nat_shl(&a, num, s);
        fx_nat_set_limbs(&b, den->w, den->n);
    } else {
        fx_nat_set_limbs(&a, num->w, num->n);
        fx_nat_shl(&b, den, -s);
    }
    fx_nat_divmod(&q, &r, &a, &b);
    uint64_t m = (uint64_t)fx_nat_low128(&q);
    int t = fx_nat_bitlen(&q) - 53; /* 2 or 3 bits to drop */
    uint64_t kept = m >> t, low = m & ((1ull << t) - 1), half = 1ull << (t - 1);
    if (low > half || (low == half && (!fx_nat_is_zero(&r) || (kept & 1))))
        kept++; /* 2^53 at most: still exact in a double */
    return ldexp((double)kept, t - s + e2);
}

/* The Euclid image: x_s,i = sinh(r) u_i / |u|. */
static int euclid_spatial(const fx_layout *lay, size_t n, const void *x, double *xs)
{
    enum { L = 4 };
    fx_u128 R;
    fx_word(lay, x, 0, &R);
    if (R == 0) { /* the origin (its direction is zero too) */
        for (size_t i = 0; i < n; i++)
            xs[i] = 0.0;
        return HYP_OK;
    }
    fx_xf sh, norm, v;
    fx_nat t;
    fx_sinh(&sh, R, lay->frac, L);
    /* |x_s,i| <= sinh r < 2^(e + 64 L): below 2^1023 keeps every rounded
     * coordinate finite. */
    if (sh.e + 64 * L > 1023)
        return HYP_ERANGE;
    fx_sum_sq(lay, 1, n, x, NULL, &t);
    fx_xf_from_nat(&norm, &t, L);
    fx_xf_sqrt(&norm, &norm);
    fx_xf_div(&sh, &sh, &norm); /* sinh(r) / |u| */
    for (size_t i = 0; i < n; i++) {
        fx_u128 m;
        int neg = fx_word(lay, x, i + 1, &m);
        if (m == 0) {
            xs[i] = 0.0;
            continue;
        }
        fx_nat_set_u128(&t, m);
        fx_xf_from_nat(&v, &t, L);
        fx_xf_mul(&v, &v, &sh);
        double d = fx_xf_to_double(&v);
        xs[i] = neg ? -d : d;
    }
    return HYP_OK;
}

int hyp_fixed_lorentz_spatial(hyp_fixed_format format, hyp_model model, size_t n,
                              const void *x, double *xs)
{
    const fx_layout *lay;
    int rc = fx_args(format, model, n, &lay);
    if (rc == HYP_OK)
        rc = fx_check(lay, model, n, x);
    if (rc != HYP_OK)
        return rc;
    if (model == HYP_EUCLID)
        return euclid_spatial(lay, n, x, xs);
    fx_nat den, num;
    int e2;
    if (model == HYP_POINCARE) {
        fx_nat k2;
        fx_sum_sq(lay, 0, n, x, NULL, &k2);
        fx_nat_set_u128(&den, 1);
        fx_nat_shl(&den, &den, 2 * lay->frac);
        fx_nat_sub(&den, &den, &k2); /* >= 1: fx_check proved |k|^2 < 2^2F */
        e2 = lay->frac + 1;
    } else {
        fx_nat_set_u128(&den, 1);
        e2 = -lay->frac;
    }
    for (size_t i = 0; i < n; i++) {
        fx_u128 m;
        int neg = fx_word(lay, x, i, &m);
        if (m == 0) {
            xs[i] = 0.0;
            continue;
        }
        fx_nat_set_u128(&num, m);
        double d = round_ratio(&num, &den, e2);
        xs[i] = neg ? -d : d;
    }
    return HYP_OK;
}
