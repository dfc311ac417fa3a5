/*
 * mpfloat.c — the basic operations of mpfloat.h: exact results truncated
 * towards zero (RZ) to a given number of significant bits.  Schoolbook limb
 * arithmetic; the operands are a few hundred bits in practice.
 *
 * Why RZ is within 2^(1-prec): a nonzero value v with |v| in [2^t, 2^(t+1))
 * truncated to prec bits loses less than one unit of its last kept bit,
 * 2^(t+1-prec) <= 2^(1-prec) |v|.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dd.h"
#include "mpfloat.h"

/* Scratch sizes (limbs).  Sums: the aligned operands span at most the
 * exponent gap (<= prec + 2 bits, see add_signed) plus one mantissa (below
 * MPFL_PREC_MAX bits), so 2 MPFL_PREC_MAX + 3 bits, plus the limbs shifted()
 * may leave empty.  Quotients: prec + 34 bits plus one limb. */
#define ADD_LIMBS (2 * MPFL_LIMBS + 8)
#define DIV_LIMBS (MPFL_LIMBS + 6)

static void need(int ok)
{
    if (!ok)
        abort(); /* a size beyond the bounds proven above: a bug, never a wrong result */
}

static int bitlen(uint32_t v)
{
#if defined(__GNUC__)
    return 32 - __builtin_clz(v);
#else
    int n = 0;
    while (v) {
        n++;
        v >>= 1;
    }
    return n;
#endif
}

static void set_zero(mpfl *r)
{
    r->neg = 0;
    r->exp = 0;
    r->len = 0;
}

/* r = RZ((-1)^neg m 2^exp) to prec bits; m (len limbs) may be r->mag. */
static void set_rz(mpfl *r, int neg, int exp, const uint32_t *m, int len, int prec)
{
    need(prec >= 2 && prec <= MPFL_PREC_MAX);
    while (len > 0 && m[len - 1] == 0)
        len--;
    if (len == 0) {
        set_zero(r);
        return;
    }
    int drop = 32 * (len - 1) + bitlen(m[len - 1]) - prec;
    if (drop <= 0) {
        need(len <= MPFL_LIMBS);
        if (r->mag != m)
            memmove(r->mag, m, sizeof(uint32_t) * (size_t)len);
    } else {
        /* shift right by drop bits; reads stay at or above the write index,
         * so m may alias r->mag */
        int w = drop / 32, b = drop % 32, out = len - w;
        need(out <= MPFL_LIMBS); /* prec bits, plus a limb the shift may empty */
        for (int i = 0; i < out; i++) {
            uint32_t lo = m[i + w] >> b;
            uint32_t hi = (b && i + w + 1 < len) ? m[i + w + 1] << (32 - b) : 0;
            r->mag[i] = lo | hi;
        }
        len = out;
        while (len > 0 && r->mag[len - 1] == 0)
            len--;
        need(len <= MPFL_LIMBS);
        exp += drop;
    }
    r->len = len;
    r->neg = neg;
    r->exp = exp;
}

void mpfl_set_ui(mpfl *r, uint32_t v)
{
    r->neg = 0;
    r->exp = 0;
    r->mag[0] = v;
    r->len = v != 0;
}

void mpfl_set_d(mpfl *r, double v)
{
    set_zero(r);
    if (v == 0.0)
        return;
    int e = dd_exponent(v);                            /* |v| = m 2^e, m in [1, 2) */
    uint64_t m = (uint64_t)dd_scale(fabs(v), 52 - e); /* exact 53-bit integer */
    uint32_t t[2] = { (uint32_t)m, (uint32_t)(m >> 32) };
    set_rz(r, v < 0.0, e - 52, t, 2, 64);
}

void mpfl_copy(mpfl *r, const mpfl *a)
{
    if (r == a)
        return;
    r->neg = a->neg;
    r->exp = a->exp;
    r->len = a->len;
    memcpy(r->mag, a->mag, sizeof(uint32_t) * (size_t)a->len);
}

void mpfl_to_big(big *r, const mpfl *a)
{
    need(a->len <= BIG_LIMBS);
    r->neg = a->neg;
    r->exp = a->exp;
    r->len = a->len;
    memcpy(r->mag, a->mag, sizeof(uint32_t) * (size_t)a->len);
}

void mpfl_ldexp(mpfl *r, int k)
{
    if (r->len)
        r->exp += k;
}

void mpfl_abs(mpfl *r) { r->neg = 0; }

int mpfl_sign(const mpfl *a) { return a->len == 0 ? 0 : a->neg ? -1 : 1; }

int mpfl_ilogb(const mpfl *a) { return a->exp + 32 * (a->len - 1) + bitlen(a->mag[a->len - 1]) - 1; }

void mpfl_from_big(mpfl *r, const big *a, int prec)
{
    set_rz(r, a->neg, a->exp, a->mag, a->len, prec);
}

void mpfl_round(mpfl *r, const mpfl *a, int prec) { set_rz(r, a->neg, a->exp, a->mag, a->len, prec); }

void mpfl_mul(mpfl *r, const mpfl *a, const mpfl *b, int prec)
{
    if (a->len == 0 || b->len == 0) {
        set_zero(r);
        return;
    }
    uint32_t t[2 * MPFL_LIMBS];
    int n = a->len + b->len;
    memset(t, 0, sizeof(uint32_t) * (size_t)n);
    for (int i = 0; i < a->len; i++) {
        uint64_t carry = 0, ai = a->mag[i];
        for (int j = 0; j < b->len; j++) {
            uint64_t v = ai * b->mag[j] + t[i + j] + carry;
            t[i + j] = (uint32_t)v;
            carry = v >> 32;
        }
        t[i + b->len] = (uint32_t)carry;
    }
    set_rz(r, a->neg != b->neg, a->exp + b->exp, t, n, prec);
}

/* dst = src->mag << shift bits; returns the limbs written (cap: room of dst). */
static int shifted(uint32_t *dst, int cap, const mpfl *src, int shift)
{
    int w = shift / 32, b = shift % 32, len = src->len + w + 1;
    need(len <= cap);
    memset(dst, 0, sizeof(uint32_t) * (size_t)len);
    for (int i = 0; i < src->len; i++) {
        uint64_t v = (uint64_t)src->mag[i] << b;
        dst[i + w] |= (uint32_t)v;
        dst[i + w + 1] |= (uint32_t)(v >> 32);
    }
    return len;
}

/*
 * r = RZ(a + (-1)^bneg |b|).  If one operand is below 2^-(prec+2) of the
 * other (ilogb gap > prec + 2) the exact sum is not formed: the result is
 * the larger operand rounded.  Error then: with |a| in [2^la, 2^(la+1)) and
 * |b| < 2^(la-prec-2), |RZ(a) - (a + b)| < 2^(la+1-prec) (1 + 1/8) while
 * |a + b| > 2^la (1 - 2^(-prec-2)): relative < 2.26 * 2^-prec.  Otherwise
 * the sum is exact before the one rounding, and its width is at most the
 * gap (<= prec + 2) plus one mantissa (<= MPFL_PREC_MAX) plus a carry.
 */
static void add_signed(mpfl *r, const mpfl *a, const mpfl *b, int bneg, int prec)
{
    if (b->len == 0) {
        mpfl_round(r, a, prec);
        return;
    }
    if (a->len == 0) {
        set_rz(r, bneg, b->exp, b->mag, b->len, prec);
        return;
    }
    int la = mpfl_ilogb(a), lb = mpfl_ilogb(b);
    if (lb < la - prec - 2) {
        mpfl_round(r, a, prec);
        return;
    }
    if (la < lb - prec - 2) {
        set_rz(r, bneg, b->exp, b->mag, b->len, prec);
        return;
    }
    uint32_t x[ADD_LIMBS], y[ADD_LIMBS];
    int e = a->exp < b->exp ? a->exp : b->exp;
    int lx = shifted(x, ADD_LIMBS, a, a->exp - e), ly = shifted(y, ADD_LIMBS, b, b->exp - e);
    int n = (lx > ly ? lx : ly) + 1;
    need(n <= ADD_LIMBS);
    for (int i = lx; i < n; i++)
        x[i] = 0;
    for (int i = ly; i < n; i++)
        y[i] = 0;
    int neg = a->neg;
    if (a->neg == bneg) {
        uint64_t carry = 0;
        for (int i = 0; i < n; i++) {
            uint64_t s = (uint64_t)x[i] + y[i] + carry;
            x[i] = (uint32_t)s;
            carry = s >> 32;
        }
    } else {
        int i = n - 1;
        while (i >= 0 && x[i] == y[i])
            i--;
        if (i < 0) {
            set_zero(r);
            return;
        }
        const uint32_t *p = x, *q = y; /* |p| >= |q| */
        if (x[i] < y[i]) {
            p = y;
            q = x;
            neg = bneg;
        }
        uint32_t *d = p == x ? x : y; /* difference in place of the larger */
        int64_t borrow = 0;
        for (int k = 0; k < n; k++) {
            int64_t s = (int64_t)p[k] - q[k] - borrow;
            borrow = s < 0;
            d[k] = (uint32_t)(s + (borrow ? ((int64_t)1 << 32) : 0));
        }
        set_rz(r, neg, e, d, n, prec);
        return;
    }
    set_rz(r, neg, e, x, n, prec);
}

void mpfl_add(mpfl *r, const mpfl *a, const mpfl *b, int prec) { add_signed(r, a, b, b->neg, prec); }

void mpfl_sub(mpfl *r, const mpfl *a, const mpfl *b, int prec)
{
    add_signed(r, a, b, !b->neg && b->len, prec);
}

/*
 * r = RZ(a / d).  a is first shifted left to at least prec + 34 bits, so
 * the integer quotient has at least prec + 2 bits and flooring it loses
 * less than 2^-(prec+1) of it; with the final RZ, below 2.5 * 2^-prec.
 */
void mpfl_div_ui(mpfl *r, const mpfl *a, uint32_t d, int prec)
{
    need(d >= 1);
    if (a->len == 0) {
        set_zero(r);
        return;
    }
    int bits = 32 * (a->len - 1) + bitlen(a->mag[a->len - 1]);
    int s = prec + 34 - bits;
    s = s < 0 ? 0 : s;
    uint32_t x[DIV_LIMBS];
    int lx = shifted(x, DIV_LIMBS, a, s);
    uint64_t rem = 0;
    for (int i = lx - 1; i >= 0; i--) {
        uint64_t cur = rem << 32 | x[i];
        x[i] = (uint32_t)(cur / d);
        rem = cur % d;
    }
    set_rz(r, a->neg, a->exp - s, x, lx, prec);
}

double mpfl_get_d_2exp(const mpfl *a, int *e)
{
    /* the top three limbs as a double (rounded), and the exponent of that
     * double, so that m and e agree even when rounding carried */
    int l = a->len, used = l < 3 ? l : 3;
    double m = 0.0;
    for (int i = l - 1; i >= l - used; i--)
        m = m * 0x1p32 + (double)a->mag[i];
    int k = dd_exponent(m);
    *e = k + a->exp + 32 * (l - used);
    m = dd_scale(m, -k);
    return a->neg ? -m : m;
}
