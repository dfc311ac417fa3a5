/*
 * fixed_log.c — integer-only natural logarithm, and the distance from
 * S = sinh^2(d/2) = A/B that every model reduces to.
 *
 * ln.  For a = f 2^E with f in [1, 2), ln a = E ln 2 + ln f.  ln f comes from
 * shift-and-add (the multiplicative normalisation of Briggs and of
 * Specker's/Meggitt's pseudo-division): multiply x = f by (1 + 2^-k) for
 * k = 1, 2, ... whenever that keeps x <= 2, subtracting ln(1 + 2^-k) (a
 * table, fixed_consts.c) from ln 2.  Each k is used at most once: after step
 * k, 2/x < 1 + 2^-k (if the factor was refused, x(1 + 2^-k) > 2; if taken,
 * 2/x < (1 + 2^(1-k))/(1 + 2^-k) < 1 + 2^-k).  After k = 128, 2/x = 1/(1 - δ)
 * with δ = (2 - x)/2 < 2^-128, and ln(2/x) = δ + O(δ^2) = δ within 2^-255.
 * Every operation is a shift, an add or a compare on four 64-bit limbs.
 *
 * Error of fx_ln (absolute, at the result scale 2^-256):
 *   x is truncated at 2^-254 per step: x drifts by a factor (1 + η),
 *   |η| < 128 2^-254 = 2^-247, which is an error of |η| in ln;
 *   the table and ln 2 are truncated at 2^-256: at most 129 2^-256 < 2^-248;
 *   the δ^2 term: 2^-255;  E ln 2 with ln 2 at 2^-320, E < 2^31: 2^-289.
 *   Total below 2^-245 (the interface promises 2^-240), plus the error the
 *   argument already carries (relative error ε of a is ~ε absolute in ln a).
 *
 * Distance.  With S = A/B, d = 2 asinh(sqrt S) = 2 ln(sqrt S + sqrt(S + 1))
 *   = 2 ln(sqrt A + sqrt(A + B)) - ln B.
 * Only sums of positive values are formed, so relative errors do not grow:
 * with A and B within 2^-180 (relative), sqrt A and sqrt(A + B) are within
 * 2^-180.9, their sum within 2^-180.8, and d within
 * 2 (2^-180.8 + 2^-240) + 2^-180 + 2^-240 < 2^-179 absolute.  Rounded to
 * Q32.32 (or Q64.64) that is at most 0.5 + 2^-147 (0.5 + 2^-115) units:
 * correctly rounded except within 2^-115 units of a halfway point, always
 * within 1 unit.  The difference of two logarithms is harmless here because
 * the target is an absolute error: ln B may be 100 while d is 2^-120.
 */
#include <stdlib.h>
#include "fixed_internal.h"

/* 4-limb fixed point helpers (little-endian). */
static void shr4(uint64_t r[4], const uint64_t a[4], int k)
{
    int q = k / 64, s = k % 64;
    for (int i = 0; i < 4; i++) {
        uint64_t lo = i + q < 4 ? a[i + q] >> s : 0;
        uint64_t hi = (s && i + q + 1 < 4) ? a[i + q + 1] << (64 - s) : 0;
        r[i] = lo | hi;
    }
}

static uint64_t add4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
    uint64_t c = 0;
    for (int i = 0; i < 4; i++) {
        fx_u128 s = (fx_u128)a[i] + b[i] + c;
        r[i] = (uint64_t)s;
        c = (uint64_t)(s >> 64);
    }
    return c;
}

/* r = a - b, a >= b */
static void sub4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
    uint64_t c = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t d = a[i] - b[i] - c;
        c = (a[i] < b[i]) || (a[i] - b[i] < c);
        r[i] = d;
    }
}

/* a <= 2^255 */
static int le_two(const uint64_t a[4])
{
    if (a[3] != (1ull << 63))
        return a[3] < (1ull << 63);
    return a[2] == 0 && a[1] == 0 && a[0] == 0;
}

void fx_ln(fx_nat *r, const fx_xf *a)
{
    int L = a->L;
    if (L > 4 || a->zero)
        abort();
    int64_t E = a->e + 64 * L - 1; /* a = f 2^E, f = m / 2^(64L-1) */
    if (E < 0 || E >= ((int64_t)1 << 31))
        abort(); /* callers pass 1 <= a < 2^(2^31) */
    /* x = f at scale 2^254 */
    uint64_t x[4] = { 0, 0, 0, 0 };
    int sh = 254 - (64 * L - 1);
    if (sh >= 0) {
        fx_nat t;
        fx_nat_set_limbs(&t, a->m, L);
        fx_nat_shl(&t, &t, sh);
        memcpy(x, t.w, (size_t)t.n * sizeof x[0]);
    } else {
        shr4(x, a->m, -sh); /* L == 4: one bit dropped */
    }
    /* sum of the ln(1 + 2^-k) taken, at scale 2^256 (below ln 2) */
    uint64_t sum[4] = { 0, 0, 0, 0 };
    for (int k = 1; k <= FX_LN1P_COUNT; k++) {
        uint64_t t[4], s[4];
        shr4(s, x, k);
        add4(t, x, s); /* x <= 2^255, so no carry */
        if (le_two(t)) {
            memcpy(x, t, sizeof x);
            add4(sum, sum, fx_ln1p[k - 1]);
        }
    }
    /* sum += δ 2^256 = 2 (2^255 - x) */
    uint64_t two[4] = { 0, 0, 0, 1ull << 63 }, dl[4];
    sub4(dl, two, x);
    uint64_t d2[4] = { dl[0] << 1, (dl[1] << 1) | (dl[0] >> 63), (dl[2] << 1) | (dl[1] >> 63),
                       (dl[3] << 1) | (dl[2] >> 63) };
    add4(sum, sum, d2);
    /* r = (E + 1) ln 2 - sum, ln 2 at scale 2^320 shifted to 2^256.  The
     * truncations may make sum exceed ln 2 by ~2^-247 when f = 1: then the
     * true ln a is within the error bound of 0 (E = 0) and 0 is returned. */
    fx_nat l2, s;
    fx_nat_set_limbs(&l2, fx_ln2 + FX_LN2_LIMBS - 5, 5);
    fx_nat_mul_u64(&l2, &l2, (uint64_t)E + 1);
    fx_nat_shr(&l2, &l2, 64);
    fx_nat_set_limbs(&s, sum, 4);
    if (fx_nat_cmp(&l2, &s) <= 0)
        r->n = 0;
    else
        fx_nat_sub(r, &l2, &s);
}

void fx_dist_from_ratio(const fx_xf *A, const fx_xf *B, int out_frac, uint64_t *out)
{
    out[0] = 0;
    if (out_frac == 64)
        out[1] = 0;
    if (A->zero)
        return; /* identical points: exactly 0 */
    fx_xf sa, sab, u;
    fx_xf_sqrt(&sa, A);
    fx_xf_add(&sab, A, B);
    fx_xf_sqrt(&sab, &sab);
    fx_xf_add(&u, &sa, &sab);
    fx_nat lu, lb, d;
    fx_ln(&lu, &u);
    fx_ln(&lb, B);
    fx_nat_add(&lu, &lu, &lu);
    if (fx_nat_cmp(&lu, &lb) <= 0)
        return; /* d below the error bound: 0 is within it */
    fx_nat_sub(&d, &lu, &lb);
    /* round half to even at out_frac fraction bits */
    int drop = FX_LN_FRAC - out_frac;
    fx_nat q, rem, half;
    fx_nat_shr(&q, &d, drop);
    fx_nat_shl(&rem, &q, drop);
    fx_nat_sub(&rem, &d, &rem);
    fx_nat_set_u128(&half, 1);
    fx_nat_shl(&half, &half, drop - 1);
    int c = fx_nat_cmp(&rem, &half);
    if (c > 0 || (c == 0 && fx_nat_bit(&q, 0)))
        fx_nat_add_u64(&q, &q, 1);
    fx_u128 v = fx_nat_low128(&q);
    out[0] = (uint64_t)v;
    if (out_frac == 64)
        out[1] = (uint64_t)(v >> 64);
}
