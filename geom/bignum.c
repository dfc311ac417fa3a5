/* bignum.c — see bignum.h.  Schoolbook arithmetic on 32-bit limbs. */
#include <stdlib.h>
#include <string.h>
#include "bignum.h"
#include "dd.h"

static void trim(big *r)
{
    while (r->len > 0 && r->mag[r->len - 1] == 0)
        r->len--;
    if (r->len == 0)
        r->neg = 0;
}

static void need(int len)
{
    if (len > BIG_LIMBS)
        abort(); /* beyond the bound proven in bignum.h: a bug, never a wrong sign */
}

void big_set_d(big *r, double v)
{
    r->neg = v < 0.0;
    r->len = 0;
    r->exp = 0;
    if (v == 0.0)
        return;
    int e = dd_exponent(v);                            /* |v| = m 2^e, m in [1, 2) */
    uint64_t m = (uint64_t)dd_scale(fabs(v), 52 - e); /* exact 53-bit integer */
    r->exp = e - 52;
    r->mag[0] = (uint32_t)m;
    r->mag[1] = (uint32_t)(m >> 32);
    r->len = 2;
    trim(r);
}

/* dst = src << shift bits (dst has room; shift >= 0). */
static int shifted(uint32_t *dst, const big *src, int shift)
{
    int w = shift / 32, b = shift % 32;
    int len = src->len + w + 1;
    need(len);
    memset(dst, 0, sizeof(uint32_t) * (size_t)len);
    for (int i = 0; i < src->len; i++) {
        uint64_t v = (uint64_t)src->mag[i] << b;
        dst[i + w] |= (uint32_t)v;
        dst[i + w + 1] |= (uint32_t)(v >> 32);
    }
    return len;
}

/* Magnitude comparison of equal-exponent limb arrays. */
static int mag_cmp(const uint32_t *a, int la, const uint32_t *b, int lb)
{
    while (la > 0 && a[la - 1] == 0)
        la--;
    while (lb > 0 && b[lb - 1] == 0)
        lb--;
    if (la != lb)
        return la < lb ? -1 : 1;
    for (int i = la - 1; i >= 0; i--)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

static void add_signed(big *r, const big *a, const big *b, int bneg)
{
    if (b->len == 0) {
        *r = *a;
        return;
    }
    if (a->len == 0) {
        *r = *b;
        r->neg = bneg;
        return;
    }
    /* align both to the smaller exponent */
    static _Thread_local uint32_t x[BIG_LIMBS + 2], y[BIG_LIMBS + 2];
    int e = a->exp < b->exp ? a->exp : b->exp;
    int lx = shifted(x, a, a->exp - e), ly = shifted(y, b, b->exp - e);
    int n = (lx > ly ? lx : ly) + 1;
    need(n);
    for (int i = lx; i < n; i++)
        x[i] = 0;
    for (int i = ly; i < n; i++)
        y[i] = 0;
    r->exp = e;
    if (a->neg == bneg) {
        uint64_t carry = 0;
        for (int i = 0; i < n; i++) {
            uint64_t s = (uint64_t)x[i] + y[i] + carry;
            r->mag[i] = (uint32_t)s;
            carry = s >> 32;
        }
        r->neg = a->neg;
    } else {
        const uint32_t *p = x, *q = y; /* p - q with |p| >= |q| */
        r->neg = a->neg;
        if (mag_cmp(x, n, y, n) < 0) {
            p = y;
            q = x;
            r->neg = bneg;
        }
        int64_t borrow = 0;
        for (int i = 0; i < n; i++) {
            int64_t s = (int64_t)p[i] - q[i] - borrow;
            borrow = s < 0;
            r->mag[i] = (uint32_t)(s + (borrow ? ((int64_t)1 << 32) : 0));
        }
    }
    r->len = n;
    trim(r);
}

void big_add(big *r, const big *a, const big *b) { add_signed(r, a, b, b->neg); }

void big_sub(big *r, const big *a, const big *b) { add_signed(r, a, b, !b->neg && b->len); }

void big_mul(big *r, const big *a, const big *b)
{
    if (a->len == 0 || b->len == 0) {
        r->len = 0;
        r->neg = 0;
        r->exp = 0;
        return;
    }
    int n = a->len + b->len;
    need(n);
    memset(r->mag, 0, sizeof(uint32_t) * (size_t)n);
    for (int i = 0; i < a->len; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < b->len; j++) {
            uint64_t t = (uint64_t)a->mag[i] * b->mag[j] + r->mag[i + j] + carry;
            r->mag[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        r->mag[i + b->len] = (uint32_t)carry;
    }
    r->len = n;
    r->neg = a->neg != b->neg;
    r->exp = a->exp + b->exp;
    trim(r);
}

int big_sign(const big *a) { return a->len == 0 ? 0 : a->neg ? -1 : 1; }
