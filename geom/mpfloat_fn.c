/*
 * mpfloat_fn.c — reciprocal, square root, ln 2, exp, sinh and sinh(x)/x in
 * mpfloat, each with a proven relative error bound (conventions in
 * mpfloat.h: a returned e means r = f(x) (1 + rho), |rho| <= e 2^-prec).
 *
 * Bookkeeping rules used below (u = 2^-prec; all bounds e u <= 2^-50, so
 * the products of two relative errors are below 2^-50 of their sum and
 * MPFL_MARGIN absorbs them):
 *   product of values with errors a, b, then rounded:  a + b + 3
 *   sum of non-negative values with errors a, b, rounded:  max(a, b) + 3
 *   squaring:  2a + 3
 *   reciprocal of a value with error a:  a (1 + 2^-49) (1/(1+t) = 1 - t + ...)
 */
#include <math.h>
#include <stdlib.h>
#include "mpfloat.h"

#define M MPFL_MARGIN
#define R MPFL_ROUND

static int big_ilogb(const big *a)
{
    int t = 31;
    while (!(a->mag[a->len - 1] >> t))
        t--;
    return a->exp + 32 * (a->len - 1) + t;
}

/* x as a double (x < 2^27; estimates only) */
static double approx(const mpfl *x)
{
    int e;
    double m = mpfl_get_d_2exp(x, &e);
    return ldexp(m, e);
}

/* 2^k in units of 2^-prec as a double bound: 2^(k + prec). */
static double units(int k, int prec)
{
    int s = k + prec;
    return s > 1000 ? INFINITY : ldexp(1.0, s < -1000 ? -1000 : s);
}

/*
 * 1/a for a > 0.  Newton's iteration y += y (1 - a y) from a double seed,
 * the precision doubling with the accuracy, then a certificate: with
 * rho = 1 - a y formed exactly (bignum), y = (1/a)(1 - rho) exactly, so
 * |rho| < 2^(ilogb(rho) + 1) is the relative error of the returned y,
 * whatever the iteration did.
 */
double mpfl_recip(mpfl *r, const mpfl *a, int prec)
{
    int e;
    double m = mpfl_get_d_2exp(a, &e);
    mpfl y, t, one;
    mpfl_set_d(&y, 1.0 / m);
    mpfl_ldexp(&y, -e);
    mpfl_set_ui(&one, 1);
    int top = prec + 16;
    for (int bits = 48; bits < prec + 8;) {
        int w = 2 * bits + 16 < top ? 2 * bits + 16 : top;
        mpfl_mul(&t, a, &y, w);
        mpfl_sub(&t, &one, &t, w);
        mpfl_mul(&t, &y, &t, w);
        mpfl_add(&y, &y, &t, w);
        bits = 2 * bits - 4 < w - 8 ? 2 * bits - 4 : w - 8;
    }
    mpfl_round(r, &y, prec);

    big A, Y, P; /* 2 KB each: reused */
    mpfl_to_big(&A, a);
    mpfl_to_big(&Y, r);
    big_mul(&P, &A, &Y);
    big_set_d(&A, 1.0);
    big_sub(&Y, &A, &P);
    return big_sign(&Y) == 0 ? 0.0 : units(big_ilogb(&Y) + 1, prec);
}

/*
 * sqrt(a) for a >= 0.  Newton on z ~ 1/sqrt(a): z += z (1 - a z^2) / 2,
 * then s = a z.  Certificate: rho = (a - s^2)/a, with a - s^2 exact
 * (bignum), gives s = sqrt(a) sqrt(1 - rho) and
 * |sqrt(1 - rho) - 1| = |rho| / (1 + sqrt(1 - rho)) <= |rho|, and
 * |rho| < 2^(ilogb(a - s^2) + 1 - ilogb(a)).
 */
double mpfl_sqrt(mpfl *r, const mpfl *a, int prec)
{
    if (a->len == 0) {
        mpfl_round(r, a, prec);
        return 0.0;
    }
    int e;
    double m = mpfl_get_d_2exp(a, &e);
    if (e & 1) { /* make the exponent even: a ~ m 2^e, m in [1, 4) */
        m *= 2.0;
        e -= 1;
    }
    mpfl z, t, one;
    mpfl_set_d(&z, 1.0 / sqrt(m));
    mpfl_ldexp(&z, -e / 2);
    mpfl_set_ui(&one, 1);
    int top = prec + 16;
    for (int bits = 48; bits < prec + 8;) {
        int w = 2 * bits + 16 < top ? 2 * bits + 16 : top;
        mpfl_mul(&t, &z, &z, w);
        mpfl_mul(&t, a, &t, w);
        mpfl_sub(&t, &one, &t, w);
        mpfl_mul(&t, &z, &t, w);
        mpfl_ldexp(&t, -1);
        mpfl_add(&z, &z, &t, w);
        bits = 2 * bits - 4 < w - 8 ? 2 * bits - 4 : w - 8;
    }
    mpfl_mul(r, a, &z, prec);

    big A, S, P;
    mpfl_to_big(&A, a);
    mpfl_to_big(&S, r);
    big_mul(&P, &S, &S);
    big_sub(&S, &A, &P);
    if (big_sign(&S) == 0)
        return 0.0;
    return units(big_ilogb(&S) + 1 - mpfl_ilogb(a), prec);
}

/*
 * ln 2 = 2 atanh(1/3) = 2 sum_{i>=0} 1 / ((2i+1) 3^(2i+1)).  Every term is
 * positive: 3^-(2i+1) by repeated division (3 units each), the term one
 * more division, the sum one rounding per term (rules above).  Stop after
 * the first term below 2^-(prec+4): the rest is below 1/8 of it (ratio
 * <= 1/9), under 2^-(prec+7) absolutely, under u/32 of the sum (> 1/3):
 * one more unit.  About prec/3.17 terms.
 */
static double ln2_series(mpfl *r, int prec)
{
    mpfl p3, term;
    mpfl_set_ui(&p3, 1);
    mpfl_div_ui(&p3, &p3, 3, prec);
    mpfl_copy(r, &p3);
    double ep = R, es = R;
    for (uint32_t i = 1;; i++) {
        mpfl_div_ui(&p3, &p3, 9, prec);
        ep = (ep + R) * M;
        mpfl_div_ui(&term, &p3, 2 * i + 1, prec);
        double et = (ep + R) * M;
        mpfl_add(r, r, &term, prec);
        es = ((es > et ? es : et) + R) * M;
        if (mpfl_ilogb(&term) < -prec - 4)
            break;
    }
    mpfl_ldexp(r, 1);
    return (es + 1.0) * M;
}

/* Per thread, one slot per precision asked for (the callers ask for a
 * handful), so that a value never depends on what was computed before. */
#define LN2_SLOTS 8
static _Thread_local struct {
    int prec; /* 0: empty */
    double e;
    mpfl v;
} ln2_cache[LN2_SLOTS];
static _Thread_local int ln2_next;

double mpfl_ln2(mpfl *r, int prec)
{
    for (int i = 0; i < LN2_SLOTS; i++) {
        if (ln2_cache[i].prec == prec) {
            mpfl_copy(r, &ln2_cache[i].v);
            return ln2_cache[i].e;
        }
    }
    double e = ln2_series(r, prec);
    int s = ln2_next;
    ln2_next = (ln2_next + 1) % LN2_SLOTS;
    ln2_cache[s].prec = prec;
    ln2_cache[s].e = e;
    mpfl_copy(&ln2_cache[s].v, r);
    return e;
}

/*
 * e^x for 0 <= x <= 2^26.
 *
 * Reduction: x = k ln2 + f.  With L = ln 2 (1 + l) at pl = prec + 40 bits,
 * kL is exact (k < 2^27) and f' = x - kL is rounded at pl + 64 bits (in
 * fact exact when x has at most prec bits: both operands are multiples of
 * 2^-pl below 2^27); k is adjusted until 0 <= f' < 1.  Against the exact
 * f = x - k ln2: k ln2 |l| <= k eL 2^-pl from L, under 3 2^-(pl+64) < u
 * from rounding f', under 3u from rounding f' again to prec bits.  So
 * f~ = f + D with |D| <= (k eL 2^(prec-pl) + 4) u, and e^f~ = e^f (1 + t),
 * |t| <= |D| (1 + |D|).
 *
 * e^f~ = (e^g)^(2^j), g = f~ 2^-j exact, g < 2^-j.  Taylor series of e^g:
 * term_i = term_(i-1) g / i (errors 6i units), the sum one rounding per
 * term; stop after a term below 2^-(prec+4): the tail is below that term
 * (ratio g/(i+1) <= 1/2), below u/8 of the sum (>= 1): one unit.  Then j
 * squarings, each 2e + 3.  Finally the exact factor 2^k.
 * j ~ sqrt(prec)/2 balances series terms against squarings (each squaring
 * doubles the bound: about j bits are lost, inside the callers' guard).
 */
double mpfl_exp(mpfl *r, const mpfl *x, int prec)
{
    if (x->len == 0) {
        mpfl_set_ui(r, 1);
        return 0.0;
    }
    int pl = prec + 40;
    mpfl L, K, f;
    double eL = mpfl_ln2(&L, pl);
    double xd = approx(x);
    long k = (long)floor(xd / 0.6931471805599453);
    k = k < 0 ? 0 : k;
    for (;;) {
        mpfl_set_d(&K, (double)k);
        mpfl_mul(&K, &K, &L, pl + 32); /* exact: k < 2^27 */
        mpfl_sub(&f, x, &K, pl + 64);
        if (mpfl_sign(&f) >= 0 && (f.len == 0 || mpfl_ilogb(&f) < 0))
            break;
        long step = (long)floor(approx(&f) / 0.6931471805599453); /* f' ~ step ln2 */
        k += step != 0 ? step : mpfl_sign(&f);
    }
    double d = ((double)k * eL * ldexp(1.0, prec - pl) + R + 1.0) * M;
    mpfl_round(&f, &f, prec);

    int j = 1;
    while ((j + 1) * (j + 1) * 4 <= prec)
        j++;
    mpfl_ldexp(&f, -j); /* g */
    mpfl t, s;
    mpfl_set_ui(&t, 1);
    mpfl_set_ui(&s, 1);
    double et = 0.0, es = 0.0;
    for (uint32_t i = 1;; i++) {
        mpfl_mul(&t, &t, &f, prec);
        mpfl_div_ui(&t, &t, i, prec);
        et = (et + 2 * R) * M;
        mpfl_add(&s, &s, &t, prec);
        es = ((es > et ? es : et) + R) * M;
        if (t.len == 0 || mpfl_ilogb(&t) < -prec - 4)
            break;
    }
    es = (es + 1.0) * M;
    for (int i = 0; i < j; i++) {
        mpfl_mul(&s, &s, &s, prec);
        es = (2.0 * es + R) * M;
    }
    mpfl_copy(r, &s);
    mpfl_ldexp(r, (int)k);
    return (es + d) * M;
}

/*
 * sinh(x)/x = sum_{k>=0} x^(2k) / (2k+1)! for 0 < x < 1/2: positive terms,
 * term_k = term_(k-1) x^2 / ((2k)(2k+1)), x^2 rounded once (3 units, which
 * enter every term: errors e2 + 6 per step).  Stop after a term below
 * 2^-(prec+4): the tail is below it (ratio < 1/24), under u/8 of the sum
 * (>= 1): one unit.
 */
static double sinhc_series(mpfl *r, const mpfl *x, int prec)
{
    mpfl x2, t;
    mpfl_mul(&x2, x, x, prec);
    mpfl_set_ui(&t, 1);
    mpfl_set_ui(r, 1);
    double et = 0.0, es = 0.0;
    for (uint32_t k = 1;; k++) {
        mpfl_mul(&t, &t, &x2, prec);
        mpfl_div_ui(&t, &t, (2 * k) * (2 * k + 1), prec);
        et = (et + 3 * R) * M;
        mpfl_add(r, r, &t, prec);
        es = ((es > et ? es : et) + R) * M;
        if (t.len == 0 || mpfl_ilogb(&t) < -prec - 4)
            break;
    }
    return (es + 1.0) * M;
}

/*
 * sinh(x), 0 <= x <= 2^26.
 *   x < 1/2:  x (sinh(x)/x) by the series, one product more.
 *   otherwise (e^x - e^-x)/2.  With E = e^x (1 + a), I = e^-x (1 + b),
 *   E - I - (e^x - e^-x) = e^x a - e^-x b, relative to e^x - e^-x at most
 *   |a| / (1 - e^-2x) + |b| e^-2x / (1 - e^-2x) <= 1.582 |a| + 0.582 |b|
 *   (x >= 1/2: e^-2x <= e^-1).  I = recip(E): b = eI + eE (reciprocal
 *   rule).  When e^-2x < 2^-(prec+1) (x > 0.35 (prec + 2), with a margin
 *   for xd being a rounded x) I is dropped: one unit.
 */
double mpfl_sinh(mpfl *r, const mpfl *x, int prec)
{
    if (x->len == 0) {
        mpfl_round(r, x, prec);
        return 0.0;
    }
    if (mpfl_ilogb(x) <= -2) {
        double ec = sinhc_series(r, x, prec);
        mpfl_mul(r, r, x, prec);
        return (ec + R) * M;
    }
    mpfl E, I;
    double eE = mpfl_exp(&E, x, prec);
    double xd = approx(x);
    if (xd > 0.35 * (prec + 2) + 1.0) {
        mpfl_copy(r, &E);
        mpfl_ldexp(r, -1);
        return (eE + 1.0) * M;
    }
    double eI = (mpfl_recip(&I, &E, prec) + eE) * M;
    mpfl_sub(r, &E, &I, prec);
    mpfl_ldexp(r, -1);
    return (1.582 * eE + 0.582 * eI + R) * M;
}

/* sinh(x)/x, 0 <= x <= 2^26: the series below 1/2, else sinh(x) * (1/x). */
double mpfl_sinhc(mpfl *r, const mpfl *x, int prec)
{
    if (x->len == 0) {
        mpfl_set_ui(r, 1);
        return 0.0;
    }
    if (mpfl_ilogb(x) <= -2)
        return sinhc_series(r, x, prec);
    mpfl s, ix;
    double es = mpfl_sinh(&s, x, prec);
    double ei = mpfl_recip(&ix, x, prec);
    mpfl_mul(r, &s, &ix, prec);
    return (es + ei + R) * M;
}
