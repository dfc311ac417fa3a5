/*
 * fixed_lorentz.c — distance, radius and exact comparison of fixed-point
 * Lorentz points, x_s = k 2^-F, K = 2^(2F), x0 = sqrt(1 + |x_s|^2) never
 * rounded (it is irrational: only exact integers and square roots of them
 * appear below).
 *
 * With Q_x = K + |k_x|^2, W = Q_x Q_y and V = k_x.k_y + K (exact integers),
 *   cosh d = x0 y0 - x_s.y_s = (sqrt(W) - V) / K,   2 S = cosh d - 1,
 *   so S = (sqrt(W) - V) / (2K).
 * The subtraction cancels when V > 0; there the exact identity
 *   W - V^2 = K |k_x - k_y|^2 + (|k_x|^2 |k_y|^2 - (k_x.k_y)^2) =: M >= 0
 * (Lagrange; both terms are exact integers) gives
 *   sqrt(W) - V = M / (sqrt(W) + V),
 * a ratio of positive quantities.  So the distance gets S = A/B with
 *   V > 0:   A = M,               B = 2K (sqrt(W) + V)
 *   V <= 0:  A = sqrt(W) + |V|,   B = 2K,
 * each formed with at most four 192-bit operations (relative error below
 * 2^-186, inside fx_dist_from_ratio's 2^-180).  Identical points give M = 0.
 *
 * Comparison: d(q,a) < d(q,b) <=> cosh d(q,a) < cosh d(q,b)
 *   <=> sign(sqrt(u) - sqrt(w) - E) < 0 with u = Q_q Q_a, w = Q_q Q_b,
 *   E = k_q.(k_a - k_b) (K cancels), decided by squaring with the signs
 *   tracked (sign_sqrt_diff below), so it is exact.
 * Bit widths (q128, Q95.32, n = 2^12, the widest): |k|^2 < 2^266, Q < 2^267,
 * u, w < 2^534, |E| < 2^268, E^2 < 2^536, |P| = |u - w - E^2| < 2^537,
 * P^2 < 2^1074, R^2 w = 4 E^2 w < 2^1072: at most 17 limbs.
 */
#include "fixed_internal.h"

static void big_k(const fx_layout *lay, fx_nat *k)
{
    fx_nat_set_u128(k, 1);
    fx_nat_shl(k, k, 2 * lay->frac);
}

void fx_lorentz_dist(const fx_layout *lay, size_t n, const void *x, const void *y,
                     int out_frac, uint64_t *out)
{
    fx_nat K, nx, ny, qx, qy, W, t;
    fx_int dot, V;
    big_k(lay, &K);
    fx_sum_sq(lay, 0, n, x, NULL, &nx);
    fx_sum_sq(lay, 0, n, y, NULL, &ny);
    fx_dot(lay, 0, n, x, y, &dot);
    fx_nat_add(&qx, &K, &nx);
    fx_nat_add(&qy, &K, &ny);
    fx_nat_mul(&W, &qx, &qy);
    fx_int Ki;
    fx_int_from_nat(&Ki, &K, 0);
    fx_int_add(&V, &dot, &Ki);
    fx_xf sw, v, A, B;
    fx_xf_from_nat(&sw, &W, 3);
    fx_xf_sqrt(&sw, &sw);
    fx_xf_from_nat(&v, &V.m, 3);
    if (fx_int_sign(&V) > 0) {
        fx_nat d2, m, l;
        fx_sum_sq(lay, 0, n, x, y, &d2);
        fx_nat_mul(&m, &K, &d2);
        fx_nat_mul(&l, &nx, &ny);
        fx_nat_mul(&t, &dot.m, &dot.m);
        fx_nat_sub(&l, &l, &t); /* Cauchy-Schwarz: >= 0 */
        fx_nat_add(&m, &m, &l);
        fx_xf_from_nat(&A, &m, 3);
        fx_xf_add(&B, &sw, &v);
        fx_xf_scale(&B, &B, 2 * lay->frac + 1);
    } else {
        fx_xf_add(&A, &sw, &v);
        fx_nat_set_u128(&t, 1);
        fx_xf_from_nat(&B, &t, 3);
        fx_xf_scale(&B, &B, 2 * lay->frac + 1);
    }
    fx_dist_from_ratio(&A, &B, out_frac, out);
}

void fx_lorentz_radius(const fx_layout *lay, size_t n, const void *x, uint64_t *out)
{
    /* S(0, x) = (sqrt(1 + |x|^2) - 1)/2 = |k|^2 / (2 (sqrt(K Q) + K)) */
    fx_nat K, nx, q, kq;
    big_k(lay, &K);
    fx_sum_sq(lay, 0, n, x, NULL, &nx);
    fx_nat_add(&q, &K, &nx);
    fx_nat_mul(&kq, &K, &q);
    fx_xf A, B, k;
    fx_xf_from_nat(&A, &nx, 3);
    fx_xf_from_nat(&B, &kq, 3);
    fx_xf_sqrt(&B, &B);
    fx_xf_from_nat(&k, &K, 3);
    fx_xf_add(&B, &B, &k);
    fx_xf_scale(&B, &B, 1);
    fx_dist_from_ratio(&A, &B, 32, out);
}

/* sign(P - R sqrt(w)) for w > 0. */
static int sign_p_minus_r_sqrt(const fx_int *P, const fx_int *R, const fx_nat *w)
{
    int sp = fx_int_sign(P), sy = fx_int_sign(R);
    if (sp >= 0 && sy <= 0)
        return (sp == 0 && sy == 0) ? 0 : 1;
    if (sp <= 0 && sy >= 0)
        return -1;
    /* same sign: compare P^2 with R^2 w */
    fx_nat p2, r2w;
    fx_nat_mul(&p2, &P->m, &P->m);
    fx_nat_mul(&r2w, &R->m, &R->m);
    fx_nat_mul(&r2w, &r2w, w);
    int c = fx_nat_cmp(&p2, &r2w);
    return sp > 0 ? c : -c;
}

/* sign(sqrt(u) - sqrt(w) - E) for u, w > 0. */
static int sign_sqrt_diff(const fx_nat *u, const fx_nat *w, const fx_int *E)
{
    /* t = sqrt(w) + E; if t <= 0 the answer is +1 (sqrt(u) > 0) */
    if (fx_int_sign(E) < 0) {
        fx_nat e2;
        fx_nat_mul(&e2, &E->m, &E->m);
        if (fx_nat_cmp(w, &e2) <= 0)
            return 1;
    }
    /* t > 0: sign(u - t^2) = sign((u - w - E^2) - 2 E sqrt(w)) */
    fx_int P, R, t;
    fx_int_from_nat(&P, u, 0);
    fx_int_from_nat(&t, w, 0);
    fx_int_sub(&P, &P, &t);
    fx_int_mul(&t, E, E);
    fx_int_sub(&P, &P, &t);
    R = *E;
    fx_nat_add(&R.m, &R.m, &R.m);
    return sign_p_minus_r_sqrt(&P, &R, w);
}

int fx_lorentz_cmp(const fx_layout *lay, size_t n, const void *q, const void *a,
                   const void *b)
{
    fx_nat K, nq, na, nb, u, w, t;
    fx_int da, db, E;
    big_k(lay, &K);
    fx_sum_sq(lay, 0, n, q, NULL, &nq);
    fx_sum_sq(lay, 0, n, a, NULL, &na);
    fx_sum_sq(lay, 0, n, b, NULL, &nb);
    fx_dot(lay, 0, n, q, a, &da);
    fx_dot(lay, 0, n, q, b, &db);
    fx_int_sub(&E, &da, &db);
    fx_nat_add(&nq, &nq, &K);
    fx_nat_add(&t, &na, &K);
    fx_nat_mul(&u, &nq, &t);
    fx_nat_add(&t, &nb, &K);
    fx_nat_mul(&w, &nq, &t);
    return sign_sqrt_diff(&u, &w, &E);
}
