/*
 * fixed_euclid.c — distance, radius and exact comparison of fixed-point
 * Euclid points: radius r = R 2^-Fr, direction u (any length, u/|u| counts).
 *
 * Distance (the polar core of hyp_geom.h, every term non-negative):
 *   S = sinh^2((r1 - r2)/2) + sinh(r1) sinh(r2) sin^2(θ/2),
 *   sin^2(θ/2) = (1 - c)/2,  c = D / G,  D = u1.u2,  G = sqrt(N1 N2), N = |u|^2.
 * 1 - c cancels when D > 0; there the exact Lagrange numerator
 * Λ = N1 N2 - D^2 >= 0 gives 1 - c = Λ / (G (G + D)).  So S = A/B with
 *   D > 0:   B = 2 G (G + D),   A = sinh^2(Δ/2) B + sinh r1 sinh r2 Λ
 *   D <= 0:  B = 2 G,           A = sinh^2(Δ/2) B + sinh r1 sinh r2 (G + |D|)
 * with Δ = |R1 - R2| exact.  At 256 bits (L = 4) every factor is within
 * 2^-245 (fixed_exp.c), A and B within 2^-240: inside fx_dist_from_ratio's
 * budget.  An origin gives d = |r1 - r2| exactly.
 *
 * Comparison.  cosh d is transcendental in the radii, so no integer
 * polynomial decides d(q,a) < d(q,b).  Instead:
 *   1. X_y = cosh d(q,y) = cosh(rq - ry) + sinh rq sinh ry (1 - c_y), a sum of
 *      positive terms, is formed at P bits as num_y / den_y (1 - c_y as
 *      above) and X_a den_b is compared with X_b den_a; each side is within
 *      2^(15-P) (cosh 2^(4-P), sinh 2^(11-P) twice, then about ten
 *      operations of 2^(2-P)), so a relative gap above 2^(17-P) decides.
 *   2. Otherwise the exact tie test below runs; a tie returns 0.
 *   3. Otherwise P doubles (192, 384, ..., 4096 bits).  A pair still
 *      undecided at 4096 bits returns HYP_EUNDECIDED.
 * The tie test.  Expand, with exponents in units of 2^-Fr:
 *   4 cosh d(q,y) = (1 - c_y)(e^(Rq+Ry) + e^-(Rq+Ry)) + (1 + c_y)(e^(Rq-Ry) + e^(Ry-Rq)).
 * The radii are rational and c_y is algebraic, so by Lindemann-Weierstrass
 * (Baker's form: sum β_i e^(α_i) != 0 for distinct algebraic α_i and
 * algebraic β_i not all 0) cosh d(q,a) = cosh d(q,b) exactly when, after
 * gathering equal exponents, every coefficient vanishes.  By symmetry only
 * exponents >= 0 are listed, with coefficient (scaled by 4) 1 - c or 1 + c
 * for an exponent > 0, 2 + 2c for exponent 0, and 2 for ry = 0 (cosh rq).
 * Each gathered coefficient is κ0 + κ1 c_a + κ2 c_b with small integers;
 * c_y = D_y / sqrt(Nq N_y), so "= 0" is decided by signs and squares:
 *   κ2 = 0:  κ1 D_a = -κ0 sqrt(Nq N_a)  <=>  equal signs, κ1^2 D_a^2 = κ0^2 Nq N_a
 *   κ0 = 0:  κ1 D_a sqrt(N_b) = -κ2 D_b sqrt(N_a)  <=>  signs, κ1^2 D_a^2 N_b = κ2^2 D_b^2 N_a.
 * κ0, κ1, κ2 all nonzero cannot occur: a side contributes one entry per
 * exponent (rq + ry != |rq - ry| when both are > 0), entries at exponents > 0
 * have κ0 = ±1 and meet only each other, those at 0 have κ0 = ±2 and meet
 * only each other, so a sum with both c terms has κ0 = 0.  (If it did occur
 * the test would answer "not a tie" and escalation would end in
 * HYP_EUNDECIDED, never in a wrong order.)
 * Widths (q128, n = 2^12): N < 2^264, D^2 < 2^528, D^2 N < 2^792.
 */
#include "fixed_internal.h"

static fx_u128 radius_word(const fx_layout *lay, const void *x)
{
    fx_u128 r;
    fx_word(lay, x, 0, &r);
    return r;
}

/* v 2^-frac rounded half to even at out_frac bits into out (Q32.32 or Q64.64). */
static void round_fixed(fx_u128 v, int frac, int out_frac, uint64_t *out)
{
    fx_u128 q;
    if (out_frac >= frac) {
        q = v << (out_frac - frac);
    } else {
        int s = frac - out_frac;
        q = v >> s;
        fx_u128 rem = v - (q << s), half = (fx_u128)1 << (s - 1);
        if (rem > half || (rem == half && (q & 1)))
            q++;
    }
    out[0] = (uint64_t)q;
    if (out_frac == 64)
        out[1] = (uint64_t)(q >> 64);
}

void fx_euclid_radius(const fx_layout *lay, const void *x, uint64_t *out)
{
    round_fixed(radius_word(lay, x), lay->frac, 32, out);
}

void fx_euclid_dist(const fx_layout *lay, size_t n, const void *x, const void *y,
                    int out_frac, uint64_t *out)
{
    const int L = 4;
    fx_u128 r1 = radius_word(lay, x), r2 = radius_word(lay, y);
    fx_u128 dr = r1 > r2 ? r1 - r2 : r2 - r1;
    if (r1 == 0 || r2 == 0) {
        round_fixed(dr, lay->frac, out_frac, out);
        return;
    }
    fx_nat n1, n2, g2, t;
    fx_int D;
    fx_sum_sq(lay, 1, n, x, NULL, &n1);
    fx_sum_sq(lay, 1, n, y, NULL, &n2);
    fx_dot(lay, 1, n, x, y, &D);
    fx_nat_mul(&g2, &n1, &n2);
    fx_xf G, d, B, A, sh, s1, s2, w;
    fx_xf_from_nat(&G, &g2, L);
    fx_xf_sqrt(&G, &G);
    fx_xf_from_nat(&d, &D.m, L);
    fx_sinh(&sh, dr, lay->frac + 1, L);
    fx_xf_mul(&sh, &sh, &sh);
    fx_sinh(&s1, r1, lay->frac, L);
    fx_sinh(&s2, r2, lay->frac, L);
    if (fx_int_sign(&D) > 0) {
        fx_xf_add(&B, &G, &d);
        fx_xf_mul(&B, &B, &G);
        fx_nat_mul(&t, &D.m, &D.m);
        fx_nat_sub(&t, &g2, &t); /* Λ = N1 N2 - D^2 >= 0 */
        fx_xf_from_nat(&w, &t, L);
    } else {
        B = G;
        fx_xf_add(&w, &G, &d);
    }
    fx_xf_scale(&B, &B, 1);
    fx_xf_mul(&A, &sh, &B);
    fx_xf_mul(&s1, &s1, &s2);
    fx_xf_mul(&s1, &s1, &w);
    fx_xf_add(&A, &A, &s1);
    fx_dist_from_ratio(&A, &B, out_frac, out);
}

/* ---- comparison ---- */

typedef struct {
    fx_u128 R;   /* radius word */
    fx_nat N;    /* |u|^2 */
    fx_int D;    /* u_q . u */
    fx_nat G2;   /* Nq N */
} side;

/* cosh d(q,y) = num / den at L limbs (see the file comment). */
static void cosh_dist(const fx_layout *lay, fx_u128 Rq, const fx_xf *shq, const side *y,
                      int L, fx_xf *num, fx_xf *den)
{
    fx_u128 dr = Rq > y->R ? Rq - y->R : y->R - Rq;
    fx_cosh(num, dr, lay->frac, L);
    if (y->R == 0) {
        fx_nat one;
        fx_nat_set_u128(&one, 1);
        fx_xf_from_nat(den, &one, L);
        return;
    }
    fx_xf G, d, w, s;
    fx_xf_from_nat(&G, &y->G2, L);
    fx_xf_sqrt(&G, &G);
    fx_xf_from_nat(&d, &y->D.m, L);
    if (fx_int_sign(&y->D) > 0) {
        fx_nat t;
        fx_nat_mul(&t, &y->D.m, &y->D.m);
        fx_nat_sub(&t, &y->G2, &t);
        fx_xf_from_nat(&w, &t, L);
        fx_xf_add(den, &G, &d);
        fx_xf_mul(den, den, &G);
    } else {
        fx_xf_add(&w, &G, &d);
        *den = G;
    }
    fx_xf_mul(num, num, den);
    fx_sinh(&s, y->R, lay->frac, L);
    fx_xf_mul(&s, &s, shq);
    fx_xf_mul(&s, &s, &w);
    fx_xf_add(num, num, &s);
}

/* Is κ0 + κ1 c_a + κ2 c_b = 0?  1 yes, 0 no (or the impossible case). */
static int coef_zero(int k0, int k1, int k2, const side *a, const side *b, const fx_nat *nq)
{
    fx_nat l, r, t;
    if (k1 == 0 && k2 == 0)
        return k0 == 0;
    if (k1 != 0 && k2 != 0 && k0 != 0)
        return 0; /* cannot occur (file comment) */
    if (k2 == 0 || k1 == 0) {
        /* κ D = -κ0 sqrt(Nq N) */
        int k = k1 ? k1 : k2;
        const side *y = k1 ? a : b;
        int sl = fx_int_sign(&y->D) * (k > 0 ? 1 : -1), sr = k0 > 0 ? -1 : (k0 < 0 ? 1 : 0);
        if (sl != sr)
            return 0;
        fx_nat_mul(&l, &y->D.m, &y->D.m);
        fx_nat_mul_u64(&l, &l, (uint64_t)(k * k));
        fx_nat_mul(&r, nq, &y->N);
        fx_nat_mul_u64(&r, &r, (uint64_t)(k0 * k0));
        return fx_nat_cmp(&l, &r) == 0;
    }
    /* κ1 D_a sqrt(N_b) = -κ2 D_b sqrt(N_a) */
    int sl = fx_int_sign(&a->D) * (k1 > 0 ? 1 : -1), sr = -fx_int_sign(&b->D) * (k2 > 0 ? 1 : -1);
    if (sl != sr)
        return 0;
    fx_nat_mul(&l, &a->D.m, &a->D.m);
    fx_nat_mul(&l, &l, &b->N);
    fx_nat_mul_u64(&l, &l, (uint64_t)(k1 * k1));
    fx_nat_mul(&r, &b->D.m, &b->D.m);
    fx_nat_mul(&t, &r, &a->N);
    fx_nat_mul_u64(&r, &t, (uint64_t)(k2 * k2));
    return fx_nat_cmp(&l, &r) == 0;
}

typedef struct {
    fx_u128 e;
    int k[3];
} term;

static int add_term(term *t, int count, fx_u128 e, int k0, int k1, int k2)
{
    for (int i = 0; i < count; i++) {
        if (t[i].e == e) {
            t[i].k[0] += k0;
            t[i].k[1] += k1;
            t[i].k[2] += k2;
            return count;
        }
    }
    t[count].e = e;
    t[count].k[0] = k0;
    t[count].k[1] = k1;
    t[count].k[2] = k2;
    return count + 1;
}

/* Exact: is d(q,a) = d(q,b)?  Requires Rq > 0. */
static int exact_tie(fx_u128 Rq, const side *a, const side *b, const fx_nat *nq)
{
    term t[4];
    int c = 0;
    const side *s[2] = { a, b };
    for (int i = 0; i < 2; i++) {
        int sg = i == 0 ? 1 : -1; /* b's coefficients are subtracted */
        int ka = i == 0, kb = i == 1;
        fx_u128 R = s[i]->R;
        if (R == 0) {
            c = add_term(t, c, Rq, 2 * sg, 0, 0);
            continue;
        }
        /* (1 - c) at Rq + R; (1 + c) at |Rq - R|, or 2 + 2c at 0 */
        c = add_term(t, c, Rq + R, sg, -sg * ka, -sg * kb);
        fx_u128 m = Rq > R ? Rq - R : R - Rq;
        if (m == 0)
            c = add_term(t, c, 0, 2 * sg, 2 * sg * ka, 2 * sg * kb);
        else
            c = add_term(t, c, m, sg, sg * ka, sg * kb);
    }
    for (int i = 0; i < c; i++)
        if (!coef_zero(t[i].k[0], t[i].k[1], t[i].k[2], a, b, nq))
            return 0;
    return 1;
}

int fx_euclid_cmp(const fx_layout *lay, size_t n, const void *q, const void *a,
                  const void *b, int *order)
{
    fx_u128 Rq = radius_word(lay, q);
    side sa, sb;
    sa.R = radius_word(lay, a);
    sb.R = radius_word(lay, b);
    if (Rq == 0) { /* d = the radius */
        *order = sa.R < sb.R ? -1 : (sa.R > sb.R ? 1 : 0);
        return HYP_OK;
    }
    fx_nat nq;
    fx_sum_sq(lay, 1, n, q, NULL, &nq);
    side *ys[2] = { &sa, &sb };
    const void *pts[2] = { a, b };
    for (int i = 0; i < 2; i++) {
        fx_sum_sq(lay, 1, n, pts[i], NULL, &ys[i]->N);
        fx_dot(lay, 1, n, q, pts[i], &ys[i]->D);
        fx_nat_mul(&ys[i]->G2, &nq, &ys[i]->N);
    }
    static const int precisions[] = { 3, 6, 12, 24, 48, 64 };
    for (size_t p = 0; p < sizeof precisions / sizeof precisions[0]; p++) {
        int L = precisions[p];
        fx_xf shq, na, da, nb, db, lhs, rhs, gap, tol;
        fx_sinh(&shq, Rq, lay->frac, L);
        cosh_dist(lay, Rq, &shq, &sa, L, &na, &da);
        cosh_dist(lay, Rq, &shq, &sb, L, &nb, &db);
        fx_xf_mul(&lhs, &na, &db);
        fx_xf_mul(&rhs, &nb, &da);
        int c = fx_xf_cmp(&lhs, &rhs);
        const fx_xf *hi = c >= 0 ? &lhs : &rhs, *lo = c >= 0 ? &rhs : &lhs;
        fx_xf_sub(&gap, hi, lo);
        fx_xf_scale(&tol, hi, 17 - 64 * L);
        if (fx_xf_cmp(&gap, &tol) > 0) {
            *order = c;
            return HYP_OK;
        }
        if (p == 0 && exact_tie(Rq, &sa, &sb, &nq)) {
            *order = 0;
            return HYP_OK;
        }
    }
    *order = 0;
    return HYP_EUNDECIDED;
}
