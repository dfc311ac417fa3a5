/*
 * fixed_clamp.c — hyp_fixed_clamp_from_double: conversion that moves a point
 * that does not fit, on request, and says how far.
 *
 * The move is along the point's ray from the origin (the hyperbolic
 * geodesic through the origin), to just inside what the format holds:
 *   Poincaré  k'_i = floor(|k_i| (2^F - 1) / floor(|k|)) with k = round(x 2^F),
 *             then a unit off the largest word until the point is inside:
 *             the deepest point of the ray that the format holds, to a unit.
 *   Lorentz   k'_i = floor(|x_i| / max_j |x_j| (2^(w-1) - 1)): the largest
 *             coordinate becomes the largest word exactly.
 *   Euclid    the radius word becomes the largest word (fixed_convert.c).
 * The words are decided in integer arithmetic, like every stored value.  The
 * distance moved is a report, computed in binary64 (hyp_dist of x and the
 * result decoded); a Poincaré result too deep for binary64 reports the
 * radial part of the move, r(x) - r(result).
 */
#include <errno.h>
#include <stdlib.h>
#include "fixed_internal.h"

static void pow2(fx_nat *r, int k)
{
    fx_nat_set_u128(r, 1);
    fx_nat_shl(r, r, k);
}

static void rounded(const fx_layout *lay, double v, int *neg, fx_nat *k)
{
    int e;
    uint64_t m;
    fx_split(v, neg, &m, &e);
    fx_round_scaled(m, e + lay->frac, k);
}

static void clamp_poincare(const fx_layout *lay, size_t n, const double *x, void *out)
{
    fx_nat s, k, sq, c, t, lim;
    int neg;
    s.n = 0;
    for (size_t i = 0; i < n; i++) {
        rounded(lay, x[i], &neg, &k);
        fx_nat_mul(&sq, &k, &k);
        fx_nat_add(&s, &s, &sq);
    }
    fx_nat_isqrt(&c, &s); /* floor(|k|) >= 2^F: the point is on or past the edge */
    pow2(&lim, lay->frac);
    fx_nat_set_u128(&t, 1);
    fx_nat_sub(&lim, &lim, &t);
    for (size_t i = 0; i < n; i++) {
        rounded(lay, x[i], &neg, &k);
        fx_nat_mul(&k, &k, &lim);
        fx_nat_divmod(&t, NULL, &k, &c);
        fx_word_set(lay, out, i, neg && t.n, fx_nat_low128(&t));
    }
    /* |k'| <= (2^F - 1) |k| / floor(|k|) < (2^F - 1) (1 + 2^-F) < 2^F + 1, so
     * the point may still touch the edge: take a unit off its largest word
     * until it is inside (at most a few times; each step lowers |k'|^2 by
     * about 2^(F+1) / sqrt(n)). */
    pow2(&lim, 2 * lay->frac);
    for (;;) {
        fx_sum_sq(lay, 0, n, out, NULL, &s);
        if (fx_nat_cmp(&s, &lim) < 0)
            break;
        size_t jmax = 0;
        fx_u128 mmax = 0, m;
        for (size_t i = 0; i < n; i++) {
            fx_word(lay, out, i, &m);
            if (m > mmax) {
                mmax = m;
                jmax = i;
            }
        }
        neg = fx_word(lay, out, jmax, &m);
        fx_word_set(lay, out, jmax, neg, m - 1);
    }
}

/* Integers of |x_i| on a common scale 2^emin. */
static void scaled(double v, int emin, fx_nat *r)
{
    int neg, e;
    uint64_t m;
    fx_split(v, &neg, &m, &e);
    fx_nat_set_u128(r, m);
    if (m)
        fx_nat_shl(r, r, e - emin);
}

static void clamp_lorentz(const fx_layout *lay, size_t n, const double *xs, void *out)
{
    int emin = 1 << 20;
    size_t jmax = 0;
    uint64_t bmax = 0;
    for (size_t i = 0; i < n; i++) {
        int neg, e;
        uint64_t m, bits;
        fx_split(xs[i], &neg, &m, &e);
        if (m && e < emin)
            emin = e;
        memcpy(&bits, &xs[i], sizeof bits);
        bits &= ~(1ull << 63); /* |x_i|: for finite doubles the bits order as the values */
        if (bits > bmax) {
            bmax = bits;
            jmax = i;
        }
    }
    fx_nat den, num, q, kmax;
    scaled(xs[jmax], emin, &den);
    fx_nat_set_u128(&kmax, ((fx_u128)1 << (lay->wbits - 1)) - 1);
    for (size_t i = 0; i < n; i++) {
        int neg, e;
        uint64_t m;
        fx_split(xs[i], &neg, &m, &e);
        scaled(xs[i], emin, &num);
        fx_nat_mul(&num, &num, &kmax);
        fx_nat_divmod(&q, NULL, &num, &den);
        fx_word_set(lay, out, i, neg && q.n, fx_nat_low128(&q));
    }
}

int hyp_fixed_clamp_from_double(hyp_fixed_format format, hyp_model model, size_t n,
                                const double *x, void *out, double *moved)
{
    const fx_layout *lay;
    int rc = fx_args(format, model, n, &lay);
    if (rc == HYP_OK)
        rc = hyp_point_check(model, n, x);
    if (rc != HYP_OK)
        return rc;
    int clamped = 0;
    rc = fx_from_double(lay, model, n, x, out, 1, &clamped);
    if (rc == HYP_EFIXED_RANGE) {
        if (model == HYP_POINCARE)
            clamp_poincare(lay, n, x, out);
        else
            clamp_lorentz(lay, n, x + 1, out);
        clamped = 1;
    } else if (rc != HYP_OK) {
        return rc;
    }
    if (!moved)
        return HYP_OK;
    *moved = 0.0;
    if (!clamped)
        return HYP_OK;
    double *y = malloc(hyp_model_width(model, n) * sizeof *y);
    if (!y) {
        *moved = -1.0;
        return ENOMEM; /* out is written; only the report failed */
    }
    if (fx_to_double(lay, model, n, out, y) == HYP_OK) {
        hyp_dist(model, n, x, y, moved);
    } else {
        /* Poincaré beyond binary64's reach: the radial part of the move */
        double rx = 0.0;
        uint64_t ry;
        hyp_radius(model, n, x, &rx);
        fx_poincare_radius(lay, n, out, &ry);
        *moved = rx - (double)ry * 0x1p-32;
    }
    free(y);
    return HYP_OK;
}
