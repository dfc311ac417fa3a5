/*
 * fixed_nat.c — natural numbers of up to FX_LIMBS 64-bit limbs, and signed
 * integers over them, for the exact predicates and conversions of the
 * fixed-point formats (see fixed_internal.h for the sizes callers need).
 *
 * Plain schoolbook algorithms on little-endian limbs with unsigned __int128
 * for the 64x64->128 products: the operands are at most a few dozen limbs,
 * where nothing cleverer pays.  Division is Knuth's algorithm D (TAOCP vol. 2,
 * 4.3.1); the square root is Newton's iteration on integers from an
 * overestimate, which decreases monotonically to floor(sqrt(a)).
 *
 * A result that would not fit aborts (fixed_internal.h explains why that is
 * unreachable for valid inputs and better than a wrong answer).
 */
#include <stdlib.h>
#include "fixed_internal.h"

static void trim(fx_nat *r)
{
    while (r->n > 0 && r->w[r->n - 1] == 0)
        r->n--;
}

static void need(int limbs)
{
    if (limbs > FX_LIMBS)
        abort();
}

void fx_nat_set_u128(fx_nat *r, fx_u128 v)
{
    r->w[0] = (uint64_t)v;
    r->w[1] = (uint64_t)(v >> 64);
    r->n = 2;
    trim(r);
}

void fx_nat_set_limbs(fx_nat *r, const uint64_t *w, int n)
{
    need(n);
    memmove(r->w, w, (size_t)n * sizeof *w);
    r->n = n;
    trim(r);
}

int fx_nat_is_zero(const fx_nat *a) { return a->n == 0; }

fx_u128 fx_nat_low128(const fx_nat *a)
{
    fx_u128 v = 0;
    if (a->n > 1)
        v = (fx_u128)a->w[1] << 64;
    if (a->n > 0)
        v |= a->w[0];
    return v;
}

int fx_nat_cmp(const fx_nat *a, const fx_nat *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

static int clz64(uint64_t v) { return v ? __builtin_clzll(v) : 64; }

int fx_nat_bitlen(const fx_nat *a)
{
    return a->n == 0 ? 0 : 64 * a->n - clz64(a->w[a->n - 1]);
}

int fx_nat_bit(const fx_nat *a, int k)
{
    int i = k / 64;
    return i < a->n ? (int)((a->w[i] >> (k % 64)) & 1) : 0;
}

void fx_nat_add(fx_nat *r, const fx_nat *a, const fx_nat *b)
{
    if (a->n < b->n) {
        const fx_nat *t = a;
        a = b;
        b = t;
    }
    int n = a->n;
    uint64_t carry = 0;
    for (int i = 0; i < n; i++) {
        fx_u128 s = (fx_u128)a->w[i] + (i < b->n ? b->w[i] : 0) + carry;
        r->w[i] = (uint64_t)s;
        carry = (uint64_t)(s >> 64);
    }
    if (carry) {
        need(n + 1);
        r->w[n++] = carry;
    }
    r->n = n;
}

void fx_nat_sub(fx_nat *r, const fx_nat *a, const fx_nat *b)
{
    if (fx_nat_cmp(a, b) < 0)
        abort(); /* callers order their operands */
    uint64_t borrow = 0;
    int n = a->n;
    for (int i = 0; i < n; i++) {
        uint64_t bi = i < b->n ? b->w[i] : 0;
        uint64_t d = a->w[i] - bi - borrow;
        borrow = (a->w[i] < bi) || (a->w[i] - bi < borrow);
        r->w[i] = d;
    }
    r->n = n;
    trim(r);
}

void fx_nat_mul(fx_nat *r, const fx_nat *a, const fx_nat *b)
{
    if (a->n == 0 || b->n == 0) {
        r->n = 0;
        return;
    }
    int n = a->n + b->n;
    need(n);
    uint64_t t[FX_LIMBS];
    memset(t, 0, (size_t)n * sizeof t[0]);
    for (int i = 0; i < a->n; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < b->n; j++) {
            fx_u128 p = (fx_u128)a->w[i] * b->w[j] + t[i + j] + carry;
            t[i + j] = (uint64_t)p;
            carry = (uint64_t)(p >> 64);
        }
        t[i + b->n] = carry;
    }
    memcpy(r->w, t, (size_t)n * sizeof t[0]);
    r->n = n;
    trim(r);
}

void fx_nat_shl(fx_nat *r, const fx_nat *a, int k)
{
    if (a->n == 0) {
        r->n = 0;
        return;
    }
    int q = k / 64, s = k % 64;
    need(a->n + q);
    uint64_t t[FX_LIMBS + 1];
    memset(t, 0, (size_t)(a->n + q + 1) * sizeof t[0]);
    for (int i = 0; i < a->n; i++) {
        t[i + q] |= a->w[i] << s;
        if (s)
            t[i + q + 1] = a->w[i] >> (64 - s);
    }
    int n = a->n + q + 1;
    while (n > 0 && t[n - 1] == 0)
        n--;
    need(n);
    memcpy(r->w, t, (size_t)n * sizeof t[0]);
    r->n = n;
}

void fx_nat_shr(fx_nat *r, const fx_nat *a, int k)
{
    int q = k / 64, s = k % 64;
    if (q >= a->n) {
        r->n = 0;
        return;
    }
    int n = a->n - q;
    for (int i = 0; i < n; i++) {
        uint64_t lo = a->w[i + q] >> s;
        uint64_t hi = (s && i + q + 1 < a->n) ? a->w[i + q + 1] << (64 - s) : 0;
        r->w[i] = lo | hi;
    }
    r->n = n;
    trim(r);
}

void fx_nat_add_u64(fx_nat *r, const fx_nat *a, uint64_t b)
{
    fx_nat t;
    fx_nat_set_u128(&t, b);
    fx_nat_add(r, a, &t);
}

void fx_nat_mul_u64(fx_nat *r, const fx_nat *a, uint64_t b)
{
    uint64_t carry = 0;
    int n = a->n;
    for (int i = 0; i < n; i++) {
        fx_u128 p = (fx_u128)a->w[i] * b + carry;
        r->w[i] = (uint64_t)p;
        carry = (uint64_t)(p >> 64);
    }
    if (carry) {
        need(n + 1);
        r->w[n++] = carry;
    }
    r->n = n;
    trim(r);
}

uint64_t fx_nat_div_u64(fx_nat *r, const fx_nat *a, uint64_t b)
{
    fx_u128 rem = 0;
    int n = a->n;
    for (int i = n - 1; i >= 0; i--) {
        fx_u128 cur = (rem << 64) | a->w[i];
        r->w[i] = (uint64_t)(cur / b);
        rem = cur % b;
    }
    r->n = n;
    trim(r);
    return (uint64_t)rem;
}

/* Knuth D.  u: the dividend shifted by s (a->n + 1 limbs), v: the divisor
 * shifted by s so that its top bit is set (b->n >= 2 limbs). */
void fx_nat_divmod(fx_nat *q, fx_nat *rem, const fx_nat *a, const fx_nat *b)
{
    if (b->n == 0)
        abort();
    if (fx_nat_cmp(a, b) < 0) {
        if (rem)
            *rem = *a;
        if (q)
            q->n = 0;
        return;
    }
    if (b->n == 1) {
        fx_nat t;
        uint64_t r = fx_nat_div_u64(&t, a, b->w[0]);
        if (q)
            *q = t;
        if (rem)
            fx_nat_set_u128(rem, r);
        return;
    }
    int n = b->n, m = a->n - b->n;
    int s = clz64(b->w[n - 1]);
    uint64_t u[FX_LIMBS + 1], v[FX_LIMBS], qw[FX_LIMBS];
    for (int i = n - 1; i >= 0; i--)
        v[i] = (b->w[i] << s) | (s && i > 0 ? b->w[i - 1] >> (64 - s) : 0);
    u[a->n] = s ? a->w[a->n - 1] >> (64 - s) : 0;
    for (int i = a->n - 1; i >= 0; i--)
        u[i] = (a->w[i] << s) | (s && i > 0 ? a->w[i - 1] >> (64 - s) : 0);
    for (int j = m; j >= 0; j--) {
        fx_u128 num = ((fx_u128)u[j + n] << 64) | u[j + n - 1];
        fx_u128 qhat = num / v[n - 1];
        fx_u128 rhat = num % v[n - 1];
        /* at most two corrections make qhat exact or one too large */
        while ((qhat >> 64) != 0 || qhat * v[n - 2] > ((rhat << 64) | u[j + n - 2])) {
            qhat--;
            rhat += v[n - 1];
            if ((rhat >> 64) != 0)
                break;
        }
        uint64_t carry = 0, borrow = 0;
        for (int i = 0; i < n; i++) {
            fx_u128 p = qhat * v[i] + carry;
            carry = (uint64_t)(p >> 64);
            uint64_t pl = (uint64_t)p;
            uint64_t t = u[i + j] - pl - borrow;
            borrow = (u[i + j] < pl) || (u[i + j] - pl < borrow);
            u[i + j] = t;
        }
        uint64_t top = u[j + n];
        u[j + n] = top - carry - borrow;
        if (top < carry || top - carry < borrow) {
            /* qhat was one too large: add v back */
            qhat--;
            uint64_t c = 0;
            for (int i = 0; i < n; i++) {
                fx_u128 sum = (fx_u128)u[i + j] + v[i] + c;
                u[i + j] = (uint64_t)sum;
                c = (uint64_t)(sum >> 64);
            }
            u[j + n] += c;
        }
        qw[j] = (uint64_t)qhat;
    }
    if (q)
        fx_nat_set_limbs(q, qw, m + 1);
    if (rem) {
        for (int i = 0; i < n; i++)
            rem->w[i] = (u[i] >> s) | (s ? u[i + 1] << (64 - s) : 0);
        rem->n = n;
        trim(rem);
    }
}

void fx_nat_isqrt(fx_nat *r, const fx_nat *a)
{
    if (a->n == 0) {
        r->n = 0;
        return;
    }
    /* x0 = 2^ceil(bits/2) >= sqrt(a); then x <- (x + a/x)/2 while it
     * decreases.  For x > floor(sqrt(a)) the step decreases strictly and never
     * goes below floor(sqrt(a)) (AM-GM), so the first non-decrease stops at
     * floor(sqrt(a)). */
    fx_nat x, y, t;
    fx_nat_set_u128(&x, 1);
    fx_nat_shl(&x, &x, (fx_nat_bitlen(a) + 1) / 2);
    for (;;) {
        fx_nat_divmod(&t, NULL, a, &x);
        fx_nat_add(&y, &x, &t);
        fx_nat_shr(&y, &y, 1);
        if (fx_nat_cmp(&y, &x) >= 0)
            break;
        x = y;
    }
    *r = x;
}

/* ---- signed ---- */

void fx_int_from_nat(fx_int *r, const fx_nat *a, int neg)
{
    r->m = *a;
    r->neg = a->n ? neg : 0;
}

int fx_int_sign(const fx_int *a) { return a->m.n == 0 ? 0 : (a->neg ? -1 : 1); }

void fx_int_add(fx_int *r, const fx_int *a, const fx_int *b)
{
    if (a->neg == b->neg) {
        int neg = a->neg;
        fx_nat_add(&r->m, &a->m, &b->m);
        r->neg = r->m.n ? neg : 0;
        return;
    }
    int c = fx_nat_cmp(&a->m, &b->m);
    if (c >= 0) {
        int neg = a->neg;
        fx_nat_sub(&r->m, &a->m, &b->m);
        r->neg = r->m.n ? neg : 0;
    } else {
        int neg = b->neg;
        fx_nat_sub(&r->m, &b->m, &a->m);
        r->neg = neg;
    }
}

void fx_int_sub(fx_int *r, const fx_int *a, const fx_int *b)
{
    fx_int nb = *b;
    nb.neg = nb.m.n ? !nb.neg : 0;
    fx_int_add(r, a, &nb);
}

void fx_int_mul(fx_int *r, const fx_int *a, const fx_int *b)
{
    int neg = a->neg != b->neg;
    fx_nat t;
    fx_nat_mul(&t, &a->m, &b->m);
    r->m = t;
    r->neg = t.n ? neg : 0;
}
