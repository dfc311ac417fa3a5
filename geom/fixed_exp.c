/*
 * fixed_exp.c — integer-only e^x, sinh x and cosh x for exact rational x,
 * at any precision P = 64 L up to 4096 bits (the Euclid model needs them:
 * its radius is stored linearly, so its distances are transcendental).
 *
 * e^x = 2^k e^t with k = floor(x / ln 2) and t = x - k ln 2 in [0, ln 2 + 2^-100);
 * e^t = (e^(t/256))^256, e^(t/256) by its Taylor series.  Everything is done
 * in fixed point with W = P + 64 fraction bits (nats), then made an fx_xf.
 *
 * Error budget of fx_exp (relative).  Callers pass |x| < 2^27 (the largest
 * argument is a sum of two q128 Euclid radii, below 2^25), so |k| < 2^28.
 *   k: log2(e) is truncated at 2^-127, so k may be one less than the floor
 *      (then t is just above ln 2, still below 1: harmless); for x < 0 the
 *      ceiling may be one short, which would make t negative and is corrected.
 *   t: X 2^(W-frac) is exact (frac <= 128 < W); k ln 2 uses ln 2 truncated
 *      at 2^-W (fx_ln2 holds 4224 bits, W <= 4160), so t is within
 *      |k| 2^-W < 2^(28-W), which is also the relative error it gives e^t.
 *   t/256 is truncated (2^-W); the Taylor series of e^(t/256) has J < 300
 *      terms above 2^-W (8j + log2 j! > 4160 at j = 300), each truncated
 *      twice (product, division): sum within 2J 2^-W < 2^(10-W); the
 *      neglected tail is below one unit.  Each of the 8 squarings doubles
 *      the relative error and adds one truncation: 2^8 (2^(11-W)) + 2^(28-W)
 *      < 2^(29-W) = 2^(-35-P).
 *   Final truncation to L limbs: 2^(1-P).  Total below 2^(2-P); the
 *   interface promises 2^(8-P).
 * cosh = (e^x + e^-x)/2: below 2^(4-P).  sinh: for x >= 1,
 * (e^x - e^-x)/2 loses at most a factor coth(1) < 1.32 to cancellation,
 * below 2^(9-P); for x < 1 the series x + x^3/3! + ... of positive terms,
 * each formed with two truncations and summed with one, below
 * (J' + 4) 2^(2-P) with J' < 300 terms: below 2^(11-P).
 */
#include <stdlib.h>
#include "fixed_internal.h"

/* floor(ln 2 2^W), W a multiple of 64 up to 64 FX_LN2_LIMBS. */
static void ln2_at(fx_nat *r, int W)
{
    int limbs = W / 64;
    fx_nat_set_limbs(r, fx_ln2 + FX_LN2_LIMBS - limbs, limbs);
}

void fx_exp(fx_xf *r, fx_u128 X, int neg, int frac, int L)
{
    const int W = 64 * L + 64;
    if (L > FX_XF_LIMBS || frac > 128 || W > 64 * FX_LN2_LIMBS)
        abort();
    fx_nat x, l2e, q, one, t, l2, kl2;
    /* k = floor(x log2 e), or -ceil(|x| log2 e) for x < 0 (see above) */
    fx_nat_set_u128(&x, X);
    fx_nat_set_limbs(&l2e, fx_log2e, 2);
    fx_nat_mul(&q, &x, &l2e);
    fx_nat_shr(&t, &q, frac + 127);
    uint64_t kabs = (uint64_t)fx_nat_low128(&t);
    if (t.n > 1 || kabs >= ((uint64_t)1 << 28))
        abort(); /* |x| < 2^27 (see above): unreachable from the formats */
    if (neg) {
        fx_nat_shl(&one, &t, frac + 127);
        if (fx_nat_cmp(&one, &q) != 0)
            kabs += 1;
    }
    /* t = x - k ln 2 at scale 2^-W (nonnegative; corrected once for x < 0) */
    ln2_at(&l2, W);
    fx_nat_shl(&x, &x, W - frac);
    fx_nat_mul_u64(&kl2, &l2, kabs);
    if (!neg) {
        fx_nat_sub(&t, &x, &kl2); /* k ln 2 (truncated) <= x */
    } else {
        if (fx_nat_cmp(&kl2, &x) < 0) {
            kabs += 1;
            fx_nat_add(&kl2, &kl2, &l2);
        }
        fx_nat_sub(&t, &kl2, &x);
    }
    int64_t k = neg ? -(int64_t)kabs : (int64_t)kabs;
    /* e^(t/256) by Taylor, then 8 squarings */
    fx_nat s, term, p;
    fx_nat_shr(&t, &t, 8);
    fx_nat_set_u128(&s, 1);
    fx_nat_shl(&s, &s, W);
    term = s;
    for (uint64_t j = 1; term.n > 0; j++) {
        fx_nat_mul(&p, &term, &t);
        fx_nat_shr(&p, &p, W);
        fx_nat_div_u64(&term, &p, j);
        fx_nat_add(&s, &s, &term);
    }
    for (int i = 0; i < 8; i++) {
        fx_nat_mul(&p, &s, &s);
        fx_nat_shr(&s, &p, W);
    }
    fx_xf_from_nat(r, &s, L);
    fx_xf_scale(r, r, k - W);
}

void fx_cosh(fx_xf *r, fx_u128 X, int frac, int L)
{
    fx_xf a, b;
    fx_exp(&a, X, 0, frac, L);
    fx_exp(&b, X, 1, frac, L);
    fx_xf_add(r, &a, &b);
    fx_xf_scale(r, r, -1);
}

void fx_sinh(fx_xf *r, fx_u128 X, int frac, int L)
{
    if (X == 0) {
        fx_xf_zero(r, L);
        return;
    }
    if ((X >> frac) != 0) { /* x >= 1 */
        fx_xf a, b;
        fx_exp(&a, X, 0, frac, L);
        fx_exp(&b, X, 1, frac, L);
        fx_xf_sub(r, &a, &b);
        fx_xf_scale(r, r, -1);
        return;
    }
    /* x < 1: x + x^3/3! + x^5/5! + ..., stopped when a term falls below
     * 2^-(P+2) of the sum (the rest is smaller still: each term is below
     * x^2/((2j)(2j+1)) < 1/6 of the previous) */
    fx_nat xn;
    fx_xf x, x2, term, sum;
    fx_nat_set_u128(&xn, X);
    fx_xf_from_nat(&x, &xn, L);
    fx_xf_scale(&x, &x, -frac);
    fx_xf_mul(&x2, &x, &x);
    term = x;
    sum = x;
    for (uint64_t j = 1;; j++) {
        fx_xf_mul(&term, &term, &x2);
        fx_xf_div_u64(&term, &term, (2 * j) * (2 * j + 1));
        /* term < 2^(term.e + 64L), sum >= 2^(sum.e + 64L - 1) */
        if (term.zero || term.e < sum.e - 64 * L - 2)
            break;
        fx_xf_add(&sum, &sum, &term);
    }
    *r = sum;
}
