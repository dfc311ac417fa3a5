/*
 * dd.h — double-double arithmetic, internal to geom/.
 *
 * A dd is an unevaluated sum hi + lo with |lo| <= ulp(hi)/2, about 106
 * bits.  The error-free transformations are Knuth's TwoSum and the fma
 * two-product; everything else is built from them with the usual bounds
 * (relative error a small multiple of 2^-104 per operation).  An xdd adds a
 * binary exponent so that quantities like sinh(r1) sinh(r2) with r ~ 1e6
 * neither overflow nor underflow: value = (hi + lo) * 2^e.
 *
 * fma() is only ever called explicitly: the build uses -ffp-contract=off, so
 * the compiler never fuses anything on its own and every platform computes
 * the same bits.
 */
#ifndef HYP_DD_H
#define HYP_DD_H

#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct { double hi, lo; } dd;

/* Powers of two and binary exponents by bit manipulation: libm's ldexp and
 * frexp are function calls that dominated the profile. */

/* 2^k, exact; k in [-1022, 1023] (the normal range), libm outside it. */
static inline double dd_pow2(int k)
{
    if (k < -1022 || k > 1023)
        return ldexp(1.0, k);
    uint64_t bits = (uint64_t)(k + 1023) << 52;
    double r;
    memcpy(&r, &bits, sizeof r);
    return r;
}

/* a 2^k rounded once, as ldexp: multiplying by a normal power of two is
 * exact unless the result is subnormal, where both round the same way. */
static inline double dd_scale(double a, int k)
{
    return (k >= -1022 && k <= 1023) ? a * dd_pow2(k) : ldexp(a, k);
}

/* e with |a| in [2^e, 2^(e+1)), for finite a != 0. */
static inline int dd_exponent(double a)
{
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    int e = (int)((bits >> 52) & 0x7ff);
    if (e == 0) { /* subnormal */
        int k;
        frexp(a, &k);
        return k - 1;
    }
    return e - 1023;
}
typedef struct { double hi, lo; int e; } xdd;

/* s + err = a + b exactly (Knuth, any magnitudes). */
static inline dd dd_two_sum(double a, double b)
{
    double s = a + b;
    double bb = s - a;
    dd r = { s, (a - (s - bb)) + (b - bb) };
    return r;
}

/* Same, requires |a| >= |b| or a == 0 (Dekker). */
static inline dd dd_fast_two_sum(double a, double b)
{
    double s = a + b;
    dd r = { s, b - (s - a) };
    return r;
}

/* p + err = a * b exactly, unless a*b underflows. */
static inline dd dd_two_prod(double a, double b)
{
    double p = a * b;
    dd r = { p, fma(a, b, -p) };
    return r;
}

static inline dd dd_from(double a)
{
    dd r = { a, 0.0 };
    return r;
}

static inline dd dd_add(dd a, dd b)
{
    dd s = dd_two_sum(a.hi, b.hi);
    dd t = dd_two_sum(a.lo, b.lo);
    s.lo += t.hi;
    s = dd_fast_two_sum(s.hi, s.lo);
    s.lo += t.lo;
    return dd_fast_two_sum(s.hi, s.lo);
}

static inline dd dd_neg(dd a)
{
    dd r = { -a.hi, -a.lo };
    return r;
}

static inline dd dd_sub(dd a, dd b) { return dd_add(a, dd_neg(b)); }

static inline dd dd_add_d(dd a, double b)
{
    dd s = dd_two_sum(a.hi, b);
    s.lo += a.lo;
    return dd_fast_two_sum(s.hi, s.lo);
}

static inline dd dd_mul(dd a, dd b)
{
    dd p = dd_two_prod(a.hi, b.hi);
    p.lo += a.hi * b.lo + a.lo * b.hi;
    return dd_fast_two_sum(p.hi, p.lo);
}

static inline dd dd_mul_d(dd a, double b)
{
    dd p = dd_two_prod(a.hi, b);
    p.lo += a.lo * b;
    return dd_fast_two_sum(p.hi, p.lo);
}

static inline dd dd_div(dd a, dd b)
{
    double q1 = a.hi / b.hi;
    dd r = dd_sub(a, dd_mul_d(b, q1));
    double q2 = r.hi / b.hi;
    return dd_fast_two_sum(q1, q2);
}

/* sqrt of a >= 0, one Newton step on the double root. */
static inline dd dd_sqrt(dd a)
{
    if (a.hi <= 0.0) {
        dd z = { 0.0, 0.0 };
        return z;
    }
    double s = sqrt(a.hi);
    double res = fma(-s, s, a.hi) + a.lo;
    return dd_fast_two_sum(s, res / (2.0 * s));
}

/* Multiply by 2^k exactly (no under/overflow at the call sites). */
static inline dd dd_ldexp(dd a, int k)
{
    dd r = { dd_scale(a.hi, k), dd_scale(a.lo, k) };
    return r;
}

/* ---- extended exponent ----
 *
 * An xdd is (hi + lo) 2^e.  Normalisation is lazy, and canonical: a value of
 * magnitude in [2^-480, 2^480] has e = 0 (it is a plain double-double, so the
 * common case costs a range test per operation); any other has hi in [1, 2).
 * Products and quotients of two mantissas then stay below 2^960 and above
 * 2^-960, where neither hi overflows nor lo underflows.  Code that reads e
 * uses xdd_ilogb. */

#define XDD_WINDOW 0x1p480

static inline xdd xdd_norm(dd a, int e)
{
    double m = fabs(a.hi);
    if (e == 0 && m >= 1.0 / XDD_WINDOW && m <= XDD_WINDOW) {
        xdd r = { a.hi, a.lo, 0 };
        return r;
    }
    xdd r = { 0.0, 0.0, 0 };
    if (a.hi == 0.0)
        return r;
    int k = dd_exponent(a.hi) + e; /* the value's binary exponent */
    int s = k >= -480 && k < 480 ? e : e - k;
    r.hi = dd_scale(a.hi, s);
    r.lo = dd_scale(a.lo, s);
    r.e = e - s;
    return r;
}

static inline xdd xdd_from_dd(dd a) { return xdd_norm(a, 0); }

static inline dd xdd_mant(xdd a)
{
    dd r = { a.hi, a.lo };
    return r;
}

/* e with |a| in [2^e, 2^(e+1)) (a != 0). */
static inline int xdd_ilogb(xdd a) { return dd_exponent(a.hi) + a.e; }

/* a 2^k */
static inline xdd xdd_ldexp(xdd a, int k) { return xdd_norm(xdd_mant(a), a.e + k); }

static inline xdd xdd_neg(xdd a)
{
    xdd r = { -a.hi, -a.lo, a.e };
    return r;
}

static inline xdd xdd_mul(xdd a, xdd b)
{
    return xdd_norm(dd_mul(xdd_mant(a), xdd_mant(b)), a.e + b.e);
}

static inline xdd xdd_div(xdd a, xdd b)
{
    return xdd_norm(dd_div(xdd_mant(a), xdd_mant(b)), a.e - b.e);
}

/* Sum of two values of either sign (dd_add keeps cancellation exact). */
static inline xdd xdd_add(xdd a, xdd b)
{
    if (a.e == b.e) /* both in the window, the common case */
        return xdd_norm(dd_add(xdd_mant(a), xdd_mant(b)), a.e);
    if (b.hi == 0.0)
        return a;
    if (a.hi == 0.0)
        return b;
    int ka = xdd_ilogb(a), kb = xdd_ilogb(b);
    if (ka < kb) {
        xdd t = a;
        a = b;
        b = t;
        int tk = ka;
        ka = kb;
        kb = tk;
    }
    if (kb - ka < -120)
        return a; /* b < 2^-119 a: below the last bit of a double-double */
    /* b's mantissa expressed in a's exponent: a scaling by at most 2^±600 of
     * a value within 2^120 of a's, so exact */
    return xdd_norm(dd_add(xdd_mant(a), dd_ldexp(xdd_mant(b), b.e - a.e)), a.e);
}

/* sqrt: halve the exponent, moving one factor 2 into the mantissa if odd. */
static inline xdd xdd_sqrt(xdd a)
{
    if (a.hi == 0.0)
        return a;
    dd m = xdd_mant(a);
    int e = a.e;
    if (e & 1) {
        m = dd_ldexp(m, 1);
        e -= 1;
    }
    return xdd_norm(dd_sqrt(m), e / 2);
}

/* a <= b */
static inline int xdd_le(xdd a, xdd b) { return xdd_add(b, xdd_neg(a)).hi >= 0.0; }

/* The value as a double; only where the caller knows it is in range. */
static inline double xdd_to_double(xdd a) { return dd_scale(a.hi + a.lo, a.e); }

#endif
