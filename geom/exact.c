/* exact.c — see exact.h. */
#include <math.h>
#include <string.h>
#include "exact.h"

#define MASK32 0xffffffffu
#define TWO32 4294967296.0

/* a += v 2^e exactly (v finite, v 2^e in the accumulator's range). */
static void exact_add(exact_acc *a, double v, int e)
{
    if (v == 0.0)
        return;
    int q;
    double f = frexp(fabs(v), &q);       /* |v| = f 2^q, f in [0.5, 1) */
    uint64_t m = (uint64_t)ldexp(f, 53); /* exact 53-bit integer */
    int pos = q + e - 53 - EXACT_BASE;   /* weight of m's bit 0 above the base */
    int j = pos / 32, off = pos % 32;
    uint64_t ml = (m & MASK32) << off;   /* < 2^64 */
    uint64_t mh = (m >> 32) << off;      /* < 2^53 */
    int64_t s = v < 0 ? -1 : 1;
    a->limb[j] += s * (int64_t)(ml & MASK32);
    a->limb[j + 1] += s * (int64_t)((ml >> 32) + (mh & MASK32));
    a->limb[j + 2] += s * (int64_t)(mh >> 32);
}

void exact_one_minus_norm2(exact_acc *a, size_t n, const double *x, int e)
{
    memset(a, 0, sizeof *a);
    exact_add(a, 1.0, 0);
    for (size_t i = 0; i < n; i++) {
        /* Squares of coordinates below 2^-400 are formed at scale 2^600 so
         * that the two-product stays exact (no subnormal low part). */
        int small = fabs(x[i]) < 0x1p-400;
        double v = small ? x[i] * 0x1p600 : x[i];
        int pe = 2 * e - (small ? 1200 : 0);
        dd p = dd_two_prod(v, v);
        exact_add(a, -p.hi, pe);
        exact_add(a, -p.lo, pe);
    }
}

/* Propagate carries so that every limb but the top one is in [0, 2^32). */
static void normalise(int64_t *l)
{
    for (int j = 0; j + 1 < EXACT_LIMBS; j++) {
        int64_t low = (int64_t)((uint64_t)l[j] & MASK32);
        l[j + 1] += (l[j] - low) / (int64_t)TWO32;
        l[j] = low;
    }
}

int exact_sign(exact_acc *a)
{
    normalise(a->limb);
    if (a->limb[EXACT_LIMBS - 1] < 0)
        return -1;
    for (int j = EXACT_LIMBS - 1; j >= 0; j--)
        if (a->limb[j] != 0)
            return 1;
    return 0;
}

xdd exact_value(exact_acc *a)
{
    int64_t l[EXACT_LIMBS];
    normalise(a->limb);
    int neg = a->limb[EXACT_LIMBS - 1] < 0;
    for (int j = 0; j < EXACT_LIMBS; j++)
        l[j] = neg ? -a->limb[j] : a->limb[j];
    normalise(l);
    int t = EXACT_LIMBS - 1;
    while (t >= 0 && l[t] == 0)
        t--;
    if (t < 0)
        return xdd_from_dd(dd_from(0.0));
    /* the top four limbs, weighted relative to the top one */
    dd m = { 0.0, 0.0 };
    for (int j = t >= 3 ? t - 3 : 0; j <= t; j++)
        m = dd_add_d(m, ldexp((double)l[j], 32 * (j - t)));
    return xdd_norm(neg ? dd_neg(m) : m, EXACT_BASE + 32 * t);
}
