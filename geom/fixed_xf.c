/*
 * fixed_xf.c — floating values m 2^e with an integer mantissa of L limbs,
 * for the transcendental parts of the integer-only distance (no floating
 * point anywhere: the mantissa is an integer, the exponent an int64; the
 * one conversion to double, for output, is in fixed_convert.c).
 *
 * Invariant: m has exactly 64 L bits (its top bit is set) unless zero is set.
 * Every operation truncates (rounds toward zero); with P = 64 L, one ulp of
 * m is below 2^(1-P) of the value, and each operation below truncates at
 * most twice, so its relative error is below 2^(2-P) (fx_xf_sub: absolute, below
 * 2^(1-P) times the larger operand).  The callers' error budgets count these.
 */
#include <stdlib.h>
#include "fixed_internal.h"

void fx_xf_zero(fx_xf *r, int L)
{
    r->L = L;
    r->zero = 1;
    r->e = 0;
    memset(r->m, 0, (size_t)L * sizeof r->m[0]);
}

/* Sets r from a nat t with exactly 64 L bits, exponent e. */
static void from_top(fx_xf *r, const fx_nat *t, int L, int64_t e)
{
    r->L = L;
    r->zero = 0;
    r->e = e;
    memcpy(r->m, t->w, (size_t)L * sizeof r->m[0]);
}

/* r = t 2^e, truncated to L limbs (t != 0). */
static void norm_nat(fx_xf *r, const fx_nat *t, int L, int64_t e)
{
    int b = fx_nat_bitlen(t);
    fx_nat s;
    if (b <= 64 * L)
        fx_nat_shl(&s, t, 64 * L - b);
    else
        fx_nat_shr(&s, t, b - 64 * L);
    from_top(r, &s, L, e + b - 64 * L);
}

void fx_xf_from_nat(fx_xf *r, const fx_nat *a, int L)
{
    if (a->n == 0)
        fx_xf_zero(r, L);
    else
        norm_nat(r, a, L, 0);
}

void fx_xf_scale(fx_xf *r, const fx_xf *a, int64_t k)
{
    *r = *a;
    if (!r->zero)
        r->e += k;
}

static void mant(fx_nat *t, const fx_xf *a) { fx_nat_set_limbs(t, a->m, a->L); }

void fx_xf_mul(fx_xf *r, const fx_xf *a, const fx_xf *b)
{
    int L = a->L;
    if (a->zero || b->zero) {
        fx_xf_zero(r, L);
        return;
    }
    /* 2L-limb product; its top L limbs (after a possible 1-bit shift) */
    uint64_t p[2 * FX_XF_LIMBS];
    memset(p, 0, (size_t)(2 * L) * sizeof p[0]);
    for (int i = 0; i < L; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < L; j++) {
            fx_u128 t = (fx_u128)a->m[i] * b->m[j] + p[i + j] + carry;
            p[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        p[i + L] = carry;
    }
    int64_t e = a->e + b->e + 64 * L;
    if ((p[2 * L - 1] >> 63) == 0) {
        for (int i = 2 * L - 1; i > 0; i--)
            p[i] = (p[i] << 1) | (p[i - 1] >> 63);
        p[0] <<= 1;
        e -= 1;
    }
    r->L = L;
    r->zero = 0;
    r->e = e;
    memmove(r->m, p + L, (size_t)L * sizeof p[0]);
}

void fx_xf_add(fx_xf *r, const fx_xf *a, const fx_xf *b)
{
    if (b->zero) {
        *r = *a;
        return;
    }
    if (a->zero) {
        *r = *b;
        return;
    }
    if (a->e < b->e) {
        const fx_xf *t = a;
        a = b;
        b = t;
    }
    int L = a->L;
    int64_t sh = a->e - b->e;
    fx_nat x, y;
    mant(&x, a);
    if (sh < 64 * L) {
        mant(&y, b);
        fx_nat_shr(&y, &y, (int)sh);
        fx_nat_add(&x, &x, &y);
    }
    norm_nat(r, &x, L, a->e);
}

void fx_xf_sub(fx_xf *r, const fx_xf *a, const fx_xf *b)
{
    int L = a->L;
    if (b->zero) {
        *r = *a;
        return;
    }
    if (a->zero || a->e < b->e)
        abort(); /* requires a >= b */
    int64_t sh = a->e - b->e;
    fx_nat x, y;
    mant(&x, a);
    if (sh < 64 * L) {
        mant(&y, b);
        fx_nat_shr(&y, &y, (int)sh);
        fx_nat_sub(&x, &x, &y);
    }
    if (x.n == 0)
        fx_xf_zero(r, L);
    else
        norm_nat(r, &x, L, a->e);
}

void fx_xf_sqrt(fx_xf *r, const fx_xf *a)
{
    int L = a->L;
    if (a->zero) {
        fx_xf_zero(r, L);
        return;
    }
    /* m 2^e = M 2^E with M = m 2^s, E = e - s even, s = 64L or 64L - 1:
     * M in [2^(128L-2), 2^(128L)), so floor(sqrt(M)) has exactly 64 L bits. */
    int s = (a->e - 64 * L) % 2 == 0 ? 64 * L : 64 * L - 1;
    fx_nat M, q;
    mant(&M, a);
    fx_nat_shl(&M, &M, s);
    fx_nat_isqrt(&q, &M);
    from_top(r, &q, L, (a->e - s) / 2);
}

void fx_xf_div(fx_xf *r, const fx_xf *a, const fx_xf *b)
{
    int L = a->L;
    if (b->zero)
        abort();
    if (a->zero) {
        fx_xf_zero(r, L);
        return;
    }
    fx_nat x, y, q;
    mant(&x, a);
    fx_nat_shl(&x, &x, 64 * L);
    mant(&y, b);
    fx_nat_divmod(&q, NULL, &x, &y);
    norm_nat(r, &q, L, a->e - b->e - 64 * L);
}

void fx_xf_mul_u64(fx_xf *r, const fx_xf *a, uint64_t b)
{
    int L = a->L;
    if (a->zero || b == 0) {
        fx_xf_zero(r, L);
        return;
    }
    fx_nat x;
    mant(&x, a);
    fx_nat_mul_u64(&x, &x, b);
    norm_nat(r, &x, L, a->e);
}

void fx_xf_div_u64(fx_xf *r, const fx_xf *a, uint64_t b)
{
    int L = a->L;
    if (a->zero) {
        fx_xf_zero(r, L);
        return;
    }
    fx_nat x;
    mant(&x, a);
    fx_nat_shl(&x, &x, 64);
    fx_nat_div_u64(&x, &x, b);
    norm_nat(r, &x, L, a->e - 64);
}

int fx_xf_cmp(const fx_xf *a, const fx_xf *b)
{
    if (a->zero || b->zero)
        return a->zero && b->zero ? 0 : (a->zero ? -1 : 1);
    if (a->e != b->e)
        return a->e < b->e ? -1 : 1;
    for (int i = a->L - 1; i >= 0; i--)
        if (a->m[i] != b->m[i])
            return a->m[i] < b->m[i] ? -1 : 1;
    return 0;
}

void fx_xf_to_nat(fx_nat *r, const fx_xf *a, int64_t k)
{
    if (a->zero) {
        r->n = 0;
        return;
    }
    fx_nat t;
    mant(&t, a);
    int64_t sh = a->e + k;
    if (sh >= 0)
        fx_nat_shl(r, &t, (int)sh);
    else if (sh > -64 * (int64_t)a->L)
        fx_nat_shr(r, &t, (int)-sh);
    else
        r->n = 0;
}
