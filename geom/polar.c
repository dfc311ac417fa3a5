/*
 * polar.c — the polar core shared by the Lorentz model (spatial part x_s,
 * sinh r = |x_s|) and the Euclidean parametrization (v, r = |v|).
 *
 *   S = sinh^2(d/2) = T_rad + T_ang,
 *   T_rad = sinh^2((r1 - r2)/2),  T_ang = sinh(r1) sinh(r2) sigma,
 *   sigma = sin^2(theta/2), theta the angle between the two vectors.
 *
 * Both terms are non-negative, so S has no cancellation; the work is in
 * getting each term to about 100 bits, for every pair of valid inputs,
 * whatever the spread of the coordinates' exponents:
 *
 *  - Frames.  Each vector is scaled by a power of two (geom_prep.k) so its
 *    largest coordinate is in [0.5, 1).  Let x be the point of larger norm,
 *    y the other, delta = x - y.  The scalars (norms, dot products, the
 *    wedge) are carried as xdd, an exponent apart, so nothing over- or
 *    underflows from 1e-308 to 1e308.
 *
 *  - The radial difference.  delta is split exactly by TwoSum, and one pass
 *    accumulates in double-double D = |delta|^2 and G = y.delta (each vector
 *    in its frame).  Then |x|^2 - |y|^2 = 2G + D exactly enough that
 *    |x| - |y| keeps its relative accuracy when the norms agree to every
 *    printed digit; two rounded radii would lose it all.  delta is formed in
 *    the frame of x; when it is tiny there (below 2^-300 of |x|, where its
 *    scaled coordinates may underflow) it is formed again from the unscaled
 *    coordinates, exactly, in a frame of its own.
 *
 *  - The angle.  sigma = (|x||y| - x.y) / (2|x||y|) when x.y <= 0 (no
 *    cancellation), otherwise sigma = W / (2|x||y| (|x||y| + x.y)) with
 *    W = |x ^ y|^2 = |y ^ delta|^2 = |y|^2 D - G^2 (the Gram determinant).
 *    Its error bound, (16n + 80) 2^-106 |y|^2 D, is certified against the
 *    whole of S: the result is accepted when that error, carried through to
 *    T_ang, is below 2^-58 S.  That fails when delta is nearly parallel to y
 *    (close pairs far from the origin: the angular part of delta is about
 *    e^-r of the radial part) and T_ang still matters.  Then delta is
 *    deflated: q = delta - t y with t = G/|y|^2 rounded to a double, each
 *    t y_i formed exactly, each q_i to 2^-104, and the Gram determinant of
 *    (y, q) has the same value as that of (y, delta) with a cancellation
 *    smaller by about 2^53.  If even that is not certified (coordinates
 *    whose exponents spread over hundreds of binades), W is computed from
 *    the Lagrange identity sum_{i<j} (x_i y_j - x_j y_i)^2, each determinant
 *    exact from unscaled mantissas and exponents, in O(n^2).
 *
 *  - The model.  Lorentz: sinh r = |x_s| directly, and
 *    T_rad = (a - b)^2 / (2 (P Q + a b + 1)) with a = |x_s|, P = sqrt(1 + a^2)
 *    (the identity (PQ)^2 - (ab + 1)^2 = (a - b)^2), so no libm call at all.
 *    Euclid: r = |v| and sinh from the library's own exp (elem.h).
 */
#include <math.h>
#include "elem.h"
#include "exact.h"
#include "geom_internal.h"

#define U2 0x1p-106 /* unit roundoff of double-double */

static xdd sinh_x(xdd r)
{
    if (r.hi == 0.0 || xdd_ilogb(r) < -60) /* sinh r = r (1 + r^2/6 ...) */
        return r;
    return geom_sinh_xdd(dd_ldexp(xdd_mant(r), r.e)); /* |r| <= 2^25 here */
}

/* ---- validation ---------------------------------------------------------- */

/* Sign of |v|^2 - 4^m, exactly; requires every |v_i| < 2^m and m <= 526. */
static int norm2_cmp_pow4(size_t n, const double *v, int m)
{
    exact_acc acc;
    exact_one_minus_norm2(&acc, n, v, -m);
    return -exact_sign(&acc);
}

/* Sign of |v|^2 - 4^m given the rounded sum of squares: exact.c decides
 * only when the double-double value (relative error below 2^-90) is within
 * 2^-40 of the limit. */
static int norm2_cmp_limit(size_t n, const double *v, const geom_prep *p, int m)
{
    double r = dd_scale(p->norm2.hi, 2 * (p->k - m)); /* |v|^2 / 4^m, rounded */
    if (r > 1.0 + 0x1p-40)
        return 1;
    if (r < 1.0 - 0x1p-40)
        return -1;
    double lim = dd_pow2(m);
    int at_limit = 0;
    for (size_t i = 0; i < n; i++) {
        if (fabs(v[i]) > lim)
            return 1;
        at_limit += fabs(v[i]) == lim;
    }
    if (at_limit) /* one coordinate is +-2^m: |v| = 2^m iff the rest are 0 */
        return p->norm2.lo != 0.0 || p->norm2.hi != dd_pow2(2 * (m - p->k)) ? 1 : 0;
    return norm2_cmp_pow4(n, v, m);
}

int polar_prepare(hyp_model model, size_t n, const double *x, geom_prep *p)
{
    const double *v = model == HYP_LORENTZ ? x + 1 : x;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return HYP_ENONFINITE;
    p->k = geom_scale_exponent(n, v);
    p->norm2 = geom_norm2(n, v, p->k);
    p->r = xdd_norm(dd_sqrt(p->norm2), p->k);
    if (model == HYP_EUCLID) {
        if (norm2_cmp_limit(n, v, p, 24) > 0)
            return HYP_ERADIUS;
        p->aux = sinh_x(p->r);
        return HYP_OK;
    }
    xdd one = { 1.0, 0.0, 0 };
    p->aux = xdd_sqrt(xdd_add(one, xdd_mul(p->r, p->r)));
    double x0 = x[0];
    if (isnan(x0) || x0 == -INFINITY)
        return HYP_ENONFINITE;
    if (x0 == INFINITY) /* allowed where the naive sqrt(1 + |x_s|^2) overflows */
        return norm2_cmp_limit(n, v, p, 511) >= 0 ? HYP_OK : HYP_ENONFINITE;
    if (!(x0 > 0.0))
        return HYP_ELORENTZ_X0;
    double a = dd_scale(sqrt(p->norm2.hi), p->k); /* |x_s|, rounded: enough for 2^-20 */
    double want = a > 0x1p60 ? a : sqrt(1.0 + a * a);
    if (isinf(want))
        return HYP_ELORENTZ_X0; /* |x_s| > DBL_MAX needs x0 = +Inf */
    if (fabs(x0 - want) > 0x1p-20 * want)
        return HYP_ELORENTZ_X0;
    return HYP_OK;
}

/* ---- sums over the coordinates ------------------------------------------- */

/* Four double-double accumulators (lane i mod 4), combined in a fixed order
 * on every platform. */
typedef struct {
    double hi[4], lo[4];
} lanes;

static inline void lanes_add_sq(lanes *a, int l, dd v)
{
    dd p = dd_two_prod(v.hi, v.hi);
    dd s = dd_two_sum(a->hi[l], p.hi);
    a->hi[l] = s.hi;
    a->lo[l] += s.lo + p.lo + 2.0 * v.hi * v.lo;
}

static inline void lanes_add_prod(lanes *a, int l, double y, dd v)
{
    dd p = dd_two_prod(y, v.hi);
    dd s = dd_two_sum(a->hi[l], p.hi);
    a->hi[l] = s.hi;
    a->lo[l] += s.lo + p.lo + y * v.lo;
}

static inline dd lanes_sum(const lanes *a)
{
    return dd_add(dd_add((dd){ a->hi[0], a->lo[0] }, (dd){ a->hi[1], a->lo[1] }),
                  dd_add((dd){ a->hi[2], a->lo[2] }, (dd){ a->hi[3], a->lo[3] }));
}

/* How delta and y are scaled: y_i sy is y in its frame; delta_i is formed
 * either from x_i sx - y_i sx (the frame of x; exact while those products
 * do not underflow) or, when unscaled, as x_i - y_i (exact: there delta is
 * tiny, so no overflow) times sd. */
typedef struct {
    double sx, sy, sd;
    int unscaled;
} frames;

static inline dd delta_at(const frames *f, double xi, double yi)
{
    if (!f->unscaled)
        return dd_two_sum(xi * f->sx, -(yi * f->sx));
    dd d = dd_two_sum(xi, -yi);
    return (dd){ d.hi * f->sd, d.lo * f->sd };
}

/* D = |delta|^2 and G = y.delta in their frames. */
static inline void delta_step(lanes *d, lanes *g, int l, const frames *f, double xi, double yi)
{
    dd del = delta_at(f, xi, yi);
    lanes_add_sq(d, l, del);
    lanes_add_prod(g, l, yi * f->sy, del);
}

static void delta_sums(size_t n, const double *x, const double *y, const frames *f, dd *d_out,
                       dd *g_out)
{
    lanes d = { { 0 }, { 0 } }, g = { { 0 }, { 0 } };
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int l = 0; l < 4; l++)
            delta_step(&d, &g, l, f, x[i + l], y[i + l]);
    for (int l = 0; i + (size_t)l < n; l++)
        delta_step(&d, &g, l, f, x[i + l], y[i + l]);
    *d_out = lanes_sum(&d);
    *g_out = lanes_sum(&g);
}

/* Q = |q|^2 and H = y.q for q = delta - t y, each q_i to 2^-104 relative:
 * t y_i is an exact product and the four parts are summed with TwoSums. */
static inline void deflate_step(lanes *q2, lanes *h, int l, const frames *f, double t, double xi,
                                double yi)
{
    dd del = delta_at(f, xi, yi);
    double Y = yi * f->sy;
    dd p = dd_two_prod(t, Y);
    dd q = dd_add(dd_two_sum(del.hi, -p.hi), dd_two_sum(del.lo, -p.lo));
    lanes_add_sq(q2, l, q);
    lanes_add_prod(h, l, Y, q);
}

static void deflated_sums(size_t n, const double *x, const double *y, const frames *f, double t,
                          dd *q_out, dd *h_out)
{
    lanes q = { { 0 }, { 0 } }, h = { { 0 }, { 0 } };
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int l = 0; l < 4; l++)
            deflate_step(&q, &h, l, f, t, x[i + l], y[i + l]);
    for (int l = 0; i + (size_t)l < n; l++)
        deflate_step(&q, &h, l, f, t, x[i + l], y[i + l]);
    *q_out = lanes_sum(&q);
    *h_out = lanes_sum(&h);
}

/* x 2^-kx . y 2^-ky in double-double (separate frames). */
static dd dot(size_t n, const double *x, int kx, const double *y, int ky)
{
    double sx = dd_pow2(-kx), sy = dd_pow2(-ky);
    lanes a = { { 0 }, { 0 } };
    for (size_t i = 0; i < n; i++)
        lanes_add_prod(&a, (int)(i & 3), y[i] * sy, dd_from(x[i] * sx));
    return lanes_sum(&a);
}

/* v = m 2^e with |m| in [1, 2), exactly (v != 0, subnormals included). */
static inline double mantissa(double v, int *e)
{
    *e = dd_exponent(v);
    return dd_scale(v, -*e);
}

/* |x ^ y|^2 = sum_{i<j} (x_i y_j - x_j y_i)^2 from the unscaled doubles:
 * each product is an exact two-product of mantissas with its exponent kept
 * apart, so every determinant is right to 2^-104 whatever the exponents. */
static xdd wedge2_exact(size_t n, const double *x, const double *y)
{
    xdd w = { 0.0, 0.0, 0 };
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            dd t[2] = { { 0.0, 0.0 }, { 0.0, 0.0 } };
            int e[2] = { 0, 0 };
            const double a[2] = { x[i], -x[j] }, b[2] = { y[j], y[i] };
            int any = 0;
            for (int s = 0; s < 2; s++) {
                if (a[s] == 0.0 || b[s] == 0.0)
                    continue;
                int ea, eb;
                t[s] = dd_two_prod(mantissa(a[s], &ea), mantissa(b[s], &eb));
                e[s] = ea + eb;
                any |= 1 << s;
            }
            if (!any)
                continue;
            int top = any == 1 ? e[0] : any == 2 ? e[1] : (e[0] > e[1] ? e[0] : e[1]);
            dd det = { 0.0, 0.0 };
            for (int s = 0; s < 2; s++)
                if ((any >> s & 1) && e[s] - top >= -200) /* else below 2^-198 of the other */
                    det = dd_add(det, dd_ldexp(t[s], e[s] - top));
            xdd dx = xdd_norm(det, top);
            w = xdd_add(w, xdd_mul(dx, dx));
        }
    }
    return w;
}

/* ---- assembling S -------------------------------------------------------- */

/* A candidate for W = |x ^ y|^2 with a bound on its error: below 2^err_e. */
typedef struct {
    xdd w;
    int err_e;
} wedge;

/* The Gram determinant |a|^2 |b|^2 - (a.b)^2 from the three sums (a and b
 * in the frames 2^ea, 2^eb), with the error bound c 2^-106 |a|^2 |b|^2
 * rounded up to a power of two. */
static wedge gram(dd na, dd nb, dd ab, int ea, int eb, double c)
{
    wedge r;
    dd w = dd_sub(dd_mul(na, nb), dd_mul(ab, ab));
    int e = 2 * (ea + eb);
    r.w = w.hi > 0.0 ? xdd_norm(w, e) : xdd_norm(dd_from(0.0), 0);
    /* na nb c < 2^(ilogb na + ilogb nb + ilogb c + 3) */
    r.err_e = dd_exponent(na.hi) + dd_exponent(nb.hi) + dd_exponent(c) + 3 - 106 + e;
    return r;
}

/* S = T_rad + T_ang with T_ang = W / den if the error of W, carried to S,
 * is below 2^-58 S (the test itself is conservative by at most 4). */
static int certified(wedge c, xdd den, xdd t_rad, xdd *s)
{
    *s = xdd_add(t_rad, xdd_div(c.w, den));
    return c.err_e - xdd_ilogb(den) + 1 + 58 <= xdd_ilogb(*s);
}

/* Orders two prepared points by norm: nonzero when |x| < |y|. */
static int smaller(const geom_prep *px, const geom_prep *py)
{
    int ex = xdd_ilogb(px->r), ey = xdd_ilogb(py->r);
    if (px->r.hi == 0.0 || py->r.hi == 0.0)
        return px->r.hi == 0.0 && py->r.hi != 0.0;
    if (ex != ey)
        return ex < ey;
    return !xdd_le(py->r, px->r);
}

xdd polar_pair(hyp_model model, size_t n, const double *x, const geom_prep *px,
               const double *y, const geom_prep *py)
{
    if (model == HYP_LORENTZ) {
        x++;
        y++;
    }
    if (smaller(px, py)) { /* let x be the point of larger norm */
        const double *t = x;
        x = y;
        y = t;
        const geom_prep *tp = px;
        px = py;
        py = tp;
    }
    xdd a = px->r, b = py->r;
    if (a.hi == 0.0) /* both at the origin */
        return a;
    int kx = px->k, ky = py->k, kd = kx;
    dd nx = px->norm2, ny = py->norm2;
    xdd ab = xdd_mul(a, b);

    xdd diff;     /* |x| - |y| >= 0 */
    xdd c;        /* x.y */
    wedge w;      /* W from the Gram determinant */
    frames f = { dd_pow2(-kx), dd_pow2(-ky), dd_pow2(-kx), 0 };
    int near = 0; /* delta computed: deflation possible */
    dd g = { 0.0, 0.0 };
    if (b.hi == 0.0) { /* y at the origin */
        diff = a;
        c = b;
        w.w = b;
        w.err_e = 0;
    } else if (kx - ky > 400) {
        /* |y| < 2^-399 |x|: delta is x to double-double precision, so the
         * radial difference is |x| - |y| and x.y a plain dot product. */
        diff = xdd_add(a, xdd_neg(b));
        dd cf = dot(n, x, kx, y, ky);
        c = xdd_norm(cf, kx + ky);
        w = gram(nx, ny, cf, kx, ky, 16.0 * (double)n + 80.0);
    } else {
        near = 1;
        dd d;
        delta_sums(n, x, y, &f, &d, &g);
        if (d.hi < 0x1p-600) {
            /* delta tiny against x: its scaled coordinates may have
             * underflowed.  Form it from the unscaled ones in its frame. */
            double m = 0.0;
            for (size_t i = 0; i < n; i++) {
                double v = fabs(x[i] - y[i]);
                m = v > m ? v : m;
            }
            if (m == 0.0) /* x == y */
                return xdd_norm(dd_from(0.0), 0);
            kd = dd_exponent(m) + 1;
            kd = kd < -960 ? -960 : kd;
            f.sd = dd_pow2(-kd);
            f.unscaled = 1;
            delta_sums(n, x, y, &f, &d, &g);
        }
        /* |x|^2 - |y|^2 = 2 y.delta + |delta|^2 */
        xdd n2diff = xdd_add(xdd_norm(dd_ldexp(g, 1), ky + kd), xdd_norm(d, 2 * kd));
        if (n2diff.hi < 0.0) /* only rounding can make it negative */
            n2diff = xdd_neg(n2diff);
        diff = xdd_div(n2diff, xdd_add(a, b));
        /* x.y = |y|^2 + y.delta */
        c = xdd_add(xdd_norm(ny, 2 * ky), xdd_norm(g, ky + kd));
        w = gram(ny, d, g, ky, kd, 16.0 * (double)n + 80.0);
    }

    /* S = T_rad + A sigma, A = sinh r1 sinh r2, sigma = sin^2(theta/2) */
    xdd t_rad, A;
    if (model == HYP_LORENTZ) {
        xdd one = { 1.0, 0.0, 0 };
        xdd den = xdd_ldexp(xdd_add(xdd_add(xdd_mul(px->aux, py->aux), ab), one), 1);
        t_rad = xdd_div(xdd_mul(diff, diff), den);
        A = ab;
    } else {
        xdd sh = sinh_x(xdd_ldexp(diff, -1));
        t_rad = xdd_mul(sh, sh);
        A = xdd_mul(px->aux, py->aux);
    }
    if (ab.hi == 0.0) /* y at the origin: no angle */
        return t_rad;
    if (c.hi <= 0.0) { /* theta >= 90 degrees: 1 - cos(theta) does not cancel */
        xdd sigma = xdd_div(xdd_add(ab, xdd_neg(c)), xdd_ldexp(ab, 1));
        return xdd_add(t_rad, xdd_mul(A, sigma));
    }
    /* theta < 90 degrees: T_ang = W / den, den = 2 ab (ab + c) / A */
    xdd den = xdd_ldexp(xdd_add(ab, c), 1);
    if (model != HYP_LORENTZ) /* Lorentz: A = ab cancels */
        den = xdd_div(xdd_mul(den, ab), A);
    xdd s;
    if (certified(w, den, t_rad, &s))
        return s;
    if (near) {
        double t = dd_div(g, ny).hi; /* q = delta - t y nearly orthogonal to y */
        dd q, h;
        deflated_sums(n, x, y, &f, t, &q, &h);
        if (certified(gram(ny, q, h, ky, kd, 16.0 * (double)n + 128.0), den, t_rad, &s))
            return s;
    }
    return xdd_add(t_rad, xdd_div(wedge2_exact(n, x, y), den));
}
