/*
 * fixed_sum.c — exact coordinate sums of fixed-point points: |x|^2,
 * |x - y|^2 and x.y, the only places where n enters the arithmetic.
 *
 * Bounds (n <= HYP_DIM_MAX = 2^12):
 *   q32, q64   a word is below 2^63 in magnitude, a difference of two below
 *              2^64, so a square is below 2^128 (an unsigned __int128) and a
 *              product below 2^126.  A sum of n of them is below 2^140: it is
 *              kept as a 128-bit low part plus a 64-bit count of carries
 *              (below 2^12), positive and negative products in separate
 *              accumulators, so nothing wraps.
 *   q128       a word is below 2^127, a difference below 2^128, a product or
 *              square below 2^256 (formed from four 64x64 products); the sum,
 *              below 2^268, is kept in the 384-bit two's-complement fx_acc.
 * Every sum is exact, and integer addition is associative: the result does
 * not depend on the order, the compiler or the vector width.
 */
#include "fixed_internal.h"

/* ---- q32 / q64: 128-bit sums with a carry word ---- */

typedef struct {
    fx_u128 lo;
    uint64_t hi; /* carries out of lo */
} sum192;

static inline void s192_add(sum192 *s, fx_u128 v)
{
    fx_u128 t = s->lo + v;
    s->hi += t < v;
    s->lo = t;
}

static void s192_to_nat(const sum192 *s, fx_nat *r)
{
    uint64_t w[3] = { (uint64_t)s->lo, (uint64_t)(s->lo >> 64), s->hi };
    fx_nat_set_limbs(r, w, 3);
}

static inline int64_t small_word(const fx_layout *lay, const void *x, size_t i)
{
    const unsigned char *p = (const unsigned char *)x + (size_t)lay->wbytes * i;
    if (lay->wbytes == 4) {
        int32_t t;
        memcpy(&t, p, 4);
        return t;
    }
    int64_t t;
    memcpy(&t, p, 8);
    return t;
}

/* ---- q128: 384-bit accumulator ---- */

/* p = a * b exactly (a, b < 2^128), 4 limbs. */
static void mul128(fx_u128 a, fx_u128 b, uint64_t p[4])
{
    uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
    uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
    fx_u128 p00 = (fx_u128)a0 * b0, p01 = (fx_u128)a0 * b1;
    fx_u128 p10 = (fx_u128)a1 * b0, p11 = (fx_u128)a1 * b1;
    fx_u128 mid = p01 + p10;
    uint64_t midc = mid < p01; /* weight 2^192 */
    p[0] = (uint64_t)p00;
    fx_u128 t = (p00 >> 64) + (uint64_t)mid;
    p[1] = (uint64_t)t;
    t = (t >> 64) + (mid >> 64) + (uint64_t)p11;
    p[2] = (uint64_t)t;
    t = (t >> 64) + (p11 >> 64) + midc;
    p[3] = (uint64_t)t;
}

static void acc_add(fx_acc *a, const uint64_t p[4], int neg)
{
    uint64_t c = 0;
    for (int i = 0; i < 6; i++) {
        uint64_t pi = i < 4 ? p[i] : 0;
        if (!neg) {
            fx_u128 s = (fx_u128)a->w[i] + pi + c;
            a->w[i] = (uint64_t)s;
            c = (uint64_t)(s >> 64);
        } else {
            uint64_t d = a->w[i] - pi - c;
            c = (a->w[i] < pi) || (a->w[i] - pi < c);
            a->w[i] = d;
        }
    }
}

static void acc_to_int(const fx_acc *a, fx_int *r)
{
    uint64_t w[6];
    int neg = (int)(a->w[5] >> 63);
    uint64_t c = 1;
    for (int i = 0; i < 6; i++) {
        if (neg) {
            fx_u128 s = (fx_u128)(~a->w[i]) + c;
            w[i] = (uint64_t)s;
            c = (uint64_t)(s >> 64);
        } else {
            w[i] = a->w[i];
        }
    }
    fx_nat_set_limbs(&r->m, w, 6);
    r->neg = r->m.n ? neg : 0;
}

/* x - y as sign and magnitude (< 2^128). */
static inline int word_diff(int nx, fx_u128 mx, int ny, fx_u128 my, fx_u128 *d)
{
    if (nx != ny) {
        *d = mx + my;
        return nx;
    }
    if (mx >= my) {
        *d = mx - my;
        return nx;
    }
    *d = my - mx;
    return !nx;
}

void fx_sum_sq(const fx_layout *lay, size_t first, size_t count, const void *x,
               const void *y, fx_nat *r)
{
    if (lay->wbytes <= 8) {
        sum192 s = { 0, 0 };
        for (size_t i = first; i < first + count; i++) {
            fx_i128 d = (fx_i128)small_word(lay, x, i) - (y ? small_word(lay, y, i) : 0);
            fx_u128 m = d < 0 ? (fx_u128)(-d) : (fx_u128)d;
            s192_add(&s, m * m);
        }
        s192_to_nat(&s, r);
        return;
    }
    fx_acc acc = { { 0 } };
    for (size_t i = first; i < first + count; i++) {
        fx_u128 mx, my = 0, d;
        int nx = fx_word(lay, x, i, &mx), ny = y ? fx_word(lay, y, i, &my) : 0;
        word_diff(nx, mx, ny, my, &d);
        uint64_t p[4];
        mul128(d, d, p);
        acc_add(&acc, p, 0);
    }
    fx_int t;
    acc_to_int(&acc, &t);
    *r = t.m;
}

void fx_dot(const fx_layout *lay, size_t first, size_t count, const void *x, const void *y,
            fx_int *r)
{
    if (lay->wbytes <= 8) {
        sum192 pos = { 0, 0 }, neg = { 0, 0 };
        for (size_t i = first; i < first + count; i++) {
            fx_i128 p = (fx_i128)small_word(lay, x, i) * small_word(lay, y, i);
            if (p >= 0)
                s192_add(&pos, (fx_u128)p);
            else
                s192_add(&neg, (fx_u128)(-p));
        }
        fx_int a, b;
        s192_to_nat(&pos, &a.m);
        a.neg = 0;
        s192_to_nat(&neg, &b.m);
        b.neg = 0;
        fx_int_sub(r, &a, &b);
        return;
    }
    fx_acc acc = { { 0 } };
    for (size_t i = first; i < first + count; i++) {
        fx_u128 mx, my;
        int nx = fx_word(lay, x, i, &mx), ny = fx_word(lay, y, i, &my);
        uint64_t p[4];
        mul128(mx, my, p);
        acc_add(&acc, p, nx != ny);
    }
    acc_to_int(&acc, r);
}
