/*
 * fixed_convert.c — binary64 points into the fixed-point formats and back.
 *
 * Into fixed point every word is the exact value rounded to nearest, ties to
 * even, computed from the doubles' bits in integer arithmetic (a double is
 * exactly m 2^e with m < 2^53), so the stored words are the same on every
 * platform.  For Euclid the radius |v| and the direction v/|v| are
 * irrational; they are rounded exactly all the same:
 *   with v_i = V_i 2^emin (V_i integers, emin the smallest exponent in v) and
 *   N = sum V_i^2, the radius word is round(sqrt(N) 2^(emin + Fr)) and a
 *   direction word round(2^Df V_i / sqrt(N)): t = floor(x) comes from an
 *   integer square root, and x >= t + 1/2 is decided by squaring both sides
 *   (all quantities are integers), equality being a tie.
 * Size: |v| <= 2^24 and emin >= -1074 give V_i < 2^1151, N < 2^2314, and
 * the largest product formed, (2t + 1)^2 N with t <= 2^126, below 2^2570:
 * 41 limbs, inside fx_nat.
 *
 * Back to binary64 (output only, never a decision): Poincaré and Lorentz
 * coordinates are correctly rounded (an integer of at most 127 bits times a
 * power of two); Lorentz x0 and the Euclid coordinates r u_i/|u| are formed
 * at 128 bits and then rounded, within 1 ulp.
 */
#include <math.h>
#include <stdlib.h>
#include "fixed_internal.h"

void fx_split(double v, int *neg, uint64_t *m, int *e)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    *neg = (int)(b >> 63);
    int ex = (int)((b >> 52) & 0x7ff);
    uint64_t f = b & ((1ull << 52) - 1);
    if (ex == 0) {
        *m = f;
        *e = -1074;
    } else {
        *m = f | (1ull << 52);
        *e = ex - 1075;
    }
}

void fx_round_scaled(uint64_t m, int s, fx_nat *r)
{
    fx_nat_set_u128(r, m);
    if (s >= 0) {
        fx_nat_shl(r, r, s);
        return;
    }
    if (-s > 64) { /* m < 2^53 <= 2^(-s-2): below half */
        r->n = 0;
        return;
    }
    int t = -s;
    fx_u128 q = (fx_u128)m >> t, rem = (fx_u128)m - (q << t), half = (fx_u128)1 << (t - 1);
    if (rem > half || (rem == half && (q & 1)))
        q++;
    fx_nat_set_u128(r, q);
}

/* 2^k as a nat. */
static void pow2(fx_nat *r, int k)
{
    fx_nat_set_u128(r, 1);
    fx_nat_shl(r, r, k);
}

/* Poincaré and Lorentz: k_i = round(x_i 2^F).  Poincaré needs |k_i| < 2^F
 * and sum k_i^2 < 2^2F, Lorentz |k_i| <= 2^(w-1) - 1.  Two passes, so that
 * out is written only when every word fits. */
static int coords(const fx_layout *lay, hyp_model model, size_t n, const double *x,
                  void *out)
{
    int bound = model == HYP_POINCARE ? lay->frac : lay->wbits - 1;
    fx_nat k, sum, sq, lim;
    sum.n = 0;
    pow2(&lim, bound);
    for (size_t i = 0; i < n; i++) {
        int neg, e;
        uint64_t m;
        fx_split(x[i], &neg, &m, &e);
        fx_round_scaled(m, e + lay->frac, &k);
        if (fx_nat_cmp(&k, &lim) >= 0)
            return HYP_EFIXED_RANGE;
        if (model == HYP_POINCARE) {
            fx_nat_mul(&sq, &k, &k);
            fx_nat_add(&sum, &sum, &sq);
        }
    }
    if (model == HYP_POINCARE) {
        pow2(&lim, 2 * lay->frac);
        if (fx_nat_cmp(&sum, &lim) >= 0)
            return HYP_EFIXED_RANGE;
    }
    for (size_t i = 0; i < n; i++) {
        int neg, e;
        uint64_t m;
        fx_split(x[i], &neg, &m, &e);
        fx_round_scaled(m, e + lay->frac, &k);
        fx_word_set(lay, out, i, neg && k.n, fx_nat_low128(&k));
    }
    return HYP_OK;
}

/* The exact integers V_i (|v_i| = V_i 2^emin) of a Euclid vector. */
static int emin_of(size_t n, const double *v)
{
    int emin = 1 << 20;
    for (size_t i = 0; i < n; i++) {
        int neg, e;
        uint64_t m;
        fx_split(v[i], &neg, &m, &e);
        if (m && e < emin)
            emin = e;
    }
    return emin;
}

static void big_v(double v, int emin, fx_nat *r)
{
    int neg, e;
    uint64_t m;
    fx_split(v, &neg, &m, &e);
    fx_nat_set_u128(r, m);
    if (m)
        fx_nat_shl(r, r, e - emin);
}

/* round(sqrt(N) 2^s), half to even. */
static void round_sqrt(const fx_nat *N, int s, fx_nat *r)
{
    fx_nat M, f, lhs, rhs;
    if (s >= 0) {
        fx_nat_shl(&M, N, 2 * s);
        fx_nat_isqrt(&f, &M);
        fx_nat_shl(&lhs, &M, 2); /* 4M vs (2f + 1)^2 */
        fx_nat_add(&rhs, &f, &f);
    } else {
        fx_nat_isqrt(&f, N);
        fx_nat_shr(&f, &f, -s); /* floor(floor(sqrt N) / 2^t) = floor(sqrt(N) / 2^t) */
        lhs = *N;            /* N vs (2f + 1)^2 2^(2t - 2) */
        fx_nat_add(&rhs, &f, &f);
    }
    fx_nat_add_u64(&rhs, &rhs, 1);
    fx_nat_mul(&M, &rhs, &rhs);
    if (s < 0)
        fx_nat_shl(&M, &M, -2 * s - 2);
    int c = fx_nat_cmp(&lhs, &M);
    if (c > 0 || (c == 0 && fx_nat_bit(&f, 0)))
        fx_nat_add_u64(&f, &f, 1);
    *r = f;
}

/* round(2^df V / sqrt(N)), half to even (V <= sqrt(N)). */
static void round_dir(const fx_nat *V, const fx_nat *N, int df, fx_nat *r)
{
    fx_nat q, f, lhs, rhs;
    fx_nat_mul(&q, V, V);
    fx_nat_shl(&q, &q, 2 * df);
    fx_nat_shl(&lhs, &q, 2); /* 4 4^df V^2 vs (2f + 1)^2 N */
    fx_nat_divmod(&f, NULL, &q, N);
    fx_nat_isqrt(&q, &f);
    fx_nat_add(&rhs, &q, &q);
    fx_nat_add_u64(&rhs, &rhs, 1);
    fx_nat_mul(&f, &rhs, &rhs);
    fx_nat_mul(&rhs, &f, N);
    int c = fx_nat_cmp(&lhs, &rhs);
    if (c > 0 || (c == 0 && fx_nat_bit(&q, 0)))
        fx_nat_add_u64(&q, &q, 1);
    *r = q;
}

/* Euclid; clamp: a radius beyond the largest word becomes the largest word. */
static int euclid(const fx_layout *lay, size_t n, const double *v, void *out, int clamp,
                  int *clamped)
{
    fx_nat N, V, sq, r, lim;
    int emin = emin_of(n, v);
    N.n = 0;
    for (size_t i = 0; i < n && emin < (1 << 20); i++) {
        big_v(v[i], emin, &V);
        fx_nat_mul(&sq, &V, &V);
        fx_nat_add(&N, &N, &sq);
    }
    if (N.n == 0) {
        r.n = 0;
    } else {
        round_sqrt(&N, emin + lay->frac, &r);
    }
    pow2(&lim, lay->wbits - 1);
    if (fx_nat_cmp(&r, &lim) >= 0) {
        if (!clamp)
            return HYP_EFIXED_RANGE;
        fx_nat_set_u128(&r, ((fx_u128)1 << (lay->wbits - 1)) - 1);
        *clamped = 1;
    }
    if (r.n == 0) { /* the origin, or a point that rounds onto it */
        for (size_t i = 0; i <= n; i++)
            fx_word_set(lay, out, i, 0, 0);
        return HYP_OK;
    }
    fx_word_set(lay, out, 0, 0, fx_nat_low128(&r));
    for (size_t i = 0; i < n; i++) {
        int neg, e;
        uint64_t m;
        fx_split(v[i], &neg, &m, &e);
        big_v(v[i], emin, &V);
        round_dir(&V, &N, lay->dirfrac, &r);
        fx_word_set(lay, out, i + 1, neg && r.n, fx_nat_low128(&r));
    }
    return HYP_OK;
}

int fx_from_double(const fx_layout *lay, hyp_model model, size_t n, const double *x,
                   void *out, int clamp, int *clamped)
{
    *clamped = 0;
    if (model == HYP_EUCLID)
        return euclid(lay, n, x, out, clamp, clamped);
    return coords(lay, model, n, model == HYP_LORENTZ ? x + 1 : x, out);
}

/* ---- back to double ---- */

double fx_xf_to_double(const fx_xf *a)
{
    if (a->zero)
        return 0.0;
    /* the top 64 bits with the rest folded into a sticky bit: converting that
     * to double rounds to nearest exactly as the whole mantissa would (the
     * sticky bit lies 10 places below the last kept bit) */
    uint64_t t = a->m[a->L - 1];
    uint64_t sticky = 0;
    for (int i = 0; i < a->L - 1; i++)
        sticky |= a->m[i];
    t |= sticky != 0;
    return ldexp((double)t, (int)(a->e + 64 * (a->L - 1)));
}


static double word_to_double(const fx_layout *lay, const void *x, size_t i, int frac)
{
    fx_u128 m;
    int neg = fx_word(lay, x, i, &m);
    fx_nat t;
    fx_xf v;
    fx_nat_set_u128(&t, m);
    fx_xf_from_nat(&v, &t, 2); /* exact: m < 2^127 */
    fx_xf_scale(&v, &v, -frac);
    double d = fx_xf_to_double(&v);
    return neg ? -d : d;
}

int fx_to_double(const fx_layout *lay, hyp_model model, size_t n, const void *x, double *out)
{
    if (model == HYP_POINCARE) {
        for (size_t i = 0; i < n; i++)
            out[i] = word_to_double(lay, x, i, lay->frac);
        int rc = hyp_point_check(model, n, out);
        return rc == HYP_OK ? HYP_OK : HYP_ERANGE;
    }
    if (model == HYP_LORENTZ) {
        /* x0 = sqrt(K + |k|^2) 2^-F */
        fx_nat s, k;
        fx_sum_sq(lay, 0, n, x, NULL, &s);
        pow2(&k, 2 * lay->frac);
        fx_nat_add(&s, &s, &k);
        fx_xf v;
        fx_xf_from_nat(&v, &s, 2);
        fx_xf_sqrt(&v, &v);
        fx_xf_scale(&v, &v, -lay->frac);
        out[0] = fx_xf_to_double(&v);
        for (size_t i = 0; i < n; i++)
            out[i + 1] = word_to_double(lay, x, i, lay->frac);
        return HYP_OK;
    }
    /* Euclid: v_i = r u_i / |u| */
    fx_u128 R;
    fx_word(lay, x, 0, &R);
    if (R == 0) {
        for (size_t i = 0; i < n; i++)
            out[i] = 0.0;
        return HYP_OK;
    }
    fx_nat N, t;
    fx_xf norm, r, v;
    fx_sum_sq(lay, 1, n, x, NULL, &N);
    fx_xf_from_nat(&norm, &N, 2);
    fx_xf_sqrt(&norm, &norm);
    fx_nat_set_u128(&t, R);
    fx_xf_from_nat(&r, &t, 2);
    fx_xf_scale(&r, &r, -lay->frac);
    for (size_t i = 0; i < n; i++) {
        fx_u128 m;
        int neg = fx_word(lay, x, i + 1, &m);
        if (m == 0) {
            out[i] = 0.0;
            continue;
        }
        fx_nat_set_u128(&t, m);
        fx_xf_from_nat(&v, &t, 2);
        fx_xf_mul(&v, &v, &r);
        fx_xf_div(&v, &v, &norm);
        out[i] = neg ? -fx_xf_to_double(&v) : fx_xf_to_double(&v);
    }
    return HYP_OK;
}
