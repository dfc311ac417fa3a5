/*
 * fixed_poincare.c — distance, radius and exact comparison of fixed-point
 * Poincaré points, x = k 2^-F with K = 2^(2F):
 *
 *   S(x, y) = sinh^2(d/2) = |x - y|^2 / ((1 - |x|^2)(1 - |y|^2))
 *           = K |k_x - k_y|^2 / ((K - |k_x|^2)(K - |k_y|^2)),
 *
 * a ratio of exact integers (fixed_sum.c).  The distance hands A and B to
 * fx_dist_from_ratio, truncated once to 192 bits (relative error 2^-191,
 * within its 2^-180 budget).  For a fixed q, d(q, y) increases with S, so
 *
 *   d(q,a) < d(q,b)  <=>  |q - a|^2 (K - |b|^2) < |q - b|^2 (K - |a|^2),
 *
 * both sides exact integers: the comparison is exact, ties included.
 * Bit widths (q128, n = 2^12, the widest): a valid point has |k|^2 < 2^254,
 * so |k_q - k_a| < 2^128, |k_q - k_a|^2 < 2^256 (whatever n: it is a norm),
 * K - |k|^2 <= 2^254, each product < 2^510: 8 limbs, far inside fx_nat.
 */
#include "fixed_internal.h"

static void one_minus(const fx_layout *lay, const fx_nat *norm2, fx_nat *r)
{
    fx_nat k;
    fx_nat_set_u128(&k, 1);
    fx_nat_shl(&k, &k, 2 * lay->frac);
    fx_nat_sub(r, &k, norm2); /* valid points: |k|^2 < K */
}

void fx_poincare_dist(const fx_layout *lay, size_t n, const void *x, const void *y,
                      int out_frac, uint64_t *out)
{
    fx_nat num, nx, ny, dx, dy, den;
    fx_sum_sq(lay, 0, n, x, y, &num);
    fx_sum_sq(lay, 0, n, x, NULL, &nx);
    fx_sum_sq(lay, 0, n, y, NULL, &ny);
    one_minus(lay, &nx, &dx);
    one_minus(lay, &ny, &dy);
    fx_nat_mul(&den, &dx, &dy);
    fx_xf A, B;
    fx_xf_from_nat(&A, &num, 3);
    fx_xf_scale(&A, &A, 2 * lay->frac); /* times K, exactly */
    fx_xf_from_nat(&B, &den, 3);
    fx_dist_from_ratio(&A, &B, out_frac, out);
}

void fx_poincare_radius(const fx_layout *lay, size_t n, const void *x, uint64_t *out)
{
    /* S(0, x) = |k|^2 / (K - |k|^2) */
    fx_nat nx, dx;
    fx_sum_sq(lay, 0, n, x, NULL, &nx);
    one_minus(lay, &nx, &dx);
    fx_xf A, B;
    fx_xf_from_nat(&A, &nx, 3);
    fx_xf_from_nat(&B, &dx, 3);
    fx_dist_from_ratio(&A, &B, 32, out);
}

int fx_poincare_cmp(const fx_layout *lay, size_t n, const void *q, const void *a,
                    const void *b)
{
    fx_nat qa, qb, na, nb, da, db, l, r;
    fx_sum_sq(lay, 0, n, q, a, &qa);
    fx_sum_sq(lay, 0, n, q, b, &qb);
    fx_sum_sq(lay, 0, n, a, NULL, &na);
    fx_sum_sq(lay, 0, n, b, NULL, &nb);
    one_minus(lay, &na, &da);
    one_minus(lay, &nb, &db);
    fx_nat_mul(&l, &qa, &db);
    fx_nat_mul(&r, &qb, &da);
    return fx_nat_cmp(&l, &r);
}
