/*
 * textbook.c — the peers' distance formulas (see textbook.h for what each
 * one transcribes and where it comes from).  Plain double arithmetic,
 * sequential sums, libm; no validation, exactly like the peers.
 */
#include "textbook.h"

#include <math.h>
#include <stdlib.h>

/* ---- gensim ------------------------------------------------------------ */

/* sqrt(sum v_i^2): np.linalg.norm of one row. */
static double norm2_then_sqrt(size_t n, const double *v)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += v[i] * v[i];
    return sqrt(s);
}

/* The gensim formula given the three norms, operation for operation as
 * vector_distance_batch writes it. */
static double gensim_formula(double euclid, double norm_q, double norm_v)
{
    return acosh(1.0 + 2.0 * ((euclid * euclid) /
                              ((1.0 - norm_q * norm_q) * (1.0 - norm_v * norm_v))));
}

static double diff_norm(size_t n, const double *x, const double *y)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - y[i];
        s += d * d;
    }
    return sqrt(s);
}

double tb_gensim_dist(size_t n, const double *x, const double *y)
{
    return gensim_formula(diff_norm(n, x, y), norm2_then_sqrt(n, x),
                          norm2_then_sqrt(n, y));
}

void tb_gensim_dist_batch(size_t n, const double *q, const double *points,
                          size_t count, double *dist)
{
    double norm_q = norm2_then_sqrt(n, q);
    for (size_t j = 0; j < count; j++) {
        const double *v = points + j * n;
        dist[j] = gensim_formula(diff_norm(n, q, v), norm_q, norm2_then_sqrt(n, v));
    }
}

void tb_gensim_clip(size_t n, double *x)
{
    const double threshold = 1.0 - TB_GENSIM_EPSILON;
    double norm = norm2_then_sqrt(n, x);
    if (norm < threshold)
        return;
    double factor = threshold / norm; /* numpy: (threshold / norms)[:, None] */
    for (size_t i = 0; i < n; i++)
        x[i] *= factor;
    for (size_t i = 0; i < n; i++) {
        double sign = x[i] > 0.0 ? 1.0 : (x[i] < 0.0 ? -1.0 : 0.0);
        x[i] -= sign * TB_GENSIM_EPSILON;
    }
}

/* ---- geoopt ------------------------------------------------------------ */

/* geoopt's artanh: clamp, then 0.5 (log(1 + t) - log(1 - t)). */
static double geoopt_artanh(double t)
{
    const double lo = -1.0 + TB_GEOOPT_ARTANH_CLAMP, hi = 1.0 - TB_GEOOPT_ARTANH_CLAMP;
    if (t < lo)
        t = lo;
    if (t > hi)
        t = hi;
    return (log(1.0 + t) - log(1.0 - t)) * 0.5;
}

/* 2 artanh(|(-x) (+)_k y|) with k = -1; a = -x.  The sums x2, y2, xy and the
 * numerator and denominator are evaluated as _mobius_add writes them (k is
 * kept so the operation order matches; multiplying by k = -1 is exact). */
double tb_geoopt_dist(size_t n, const double *x, const double *y)
{
    const double k = -1.0;
    double x2 = 0.0, y2 = 0.0, xy = 0.0;
    for (size_t i = 0; i < n; i++) {
        double a = -x[i];
        x2 += a * a;
        y2 += y[i] * y[i];
        xy += a * y[i];
    }
    double ca = 1.0 - 2.0 * k * xy - k * y2; /* coefficient of a = -x */
    double cb = 1.0 + k * x2;                 /* coefficient of y */
    double denom = 1.0 - 2.0 * k * xy + k * k * x2 * y2;
    if (denom < TB_GEOOPT_DENOM_MIN)
        denom = TB_GEOOPT_DENOM_MIN;
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        double m = (ca * -x[i] + cb * y[i]) / denom;
        s += m * m;
    }
    return 2.0 * geoopt_artanh(sqrt(s));
}

void tb_geoopt_dist_batch(size_t n, const double *q, const double *points,
                          size_t count, double *dist)
{
    for (size_t j = 0; j < count; j++)
        dist[j] = tb_geoopt_dist(n, q, points + j * n);
}

/* ---- Lorentz ----------------------------------------------------------- */

double tb_lorentz_dist(size_t n, const double *x, const double *y)
{
    double a = x[0] * y[0];
    for (size_t i = 1; i <= n; i++)
        a -= x[i] * y[i];
    if (a < 1.0)
        a = 1.0;
    return acosh(a);
}

void tb_lorentz_dist_batch(size_t n, const double *q, const double *points,
                           size_t count, double *dist)
{
    for (size_t j = 0; j < count; j++)
        dist[j] = tb_lorentz_dist(n, q, points + j * (n + 1));
}

/* ---- Euclidean parametrization, through the hyperboloid ------------------ */

void tb_euclid_to_lorentz(size_t n, const double *v, double *x)
{
    double r = norm2_then_sqrt(n, v);
    if (r == 0.0) {
        x[0] = 1.0;
        for (size_t i = 0; i < n; i++)
            x[i + 1] = 0.0;
        return;
    }
    double f = sinh(r) / r;
    x[0] = cosh(r);
    for (size_t i = 0; i < n; i++)
        x[i + 1] = f * v[i];
}

/* -<exp_0(v), y>_L for y already on the hyperboloid, converting v on the fly
 * exactly as tb_euclid_to_lorentz would (same roundings). */
static double euclid_minus_inner(size_t n, const double *v, const double *y)
{
    double r = norm2_then_sqrt(n, v);
    double x0 = 1.0, f = 0.0;
    if (r != 0.0) {
        f = sinh(r) / r;
        x0 = cosh(r);
    }
    double a = x0 * y[0];
    for (size_t i = 0; i < n; i++)
        a -= (f * v[i]) * y[i + 1];
    return a;
}

double tb_euclid_dist(size_t n, const double *v, const double *w)
{
    /* Convert w into a buffer, v on the fly: the same numbers as converting
     * both and calling tb_lorentz_dist. */
    double stack[65];
    double *y = n + 1 <= 65 ? stack : malloc((n + 1) * sizeof *y);
    if (y == NULL)
        return NAN;
    tb_euclid_to_lorentz(n, w, y);
    double a = euclid_minus_inner(n, v, y);
    if (y != stack)
        free(y);
    if (a < 1.0)
        a = 1.0;
    return acosh(a);
}

void tb_euclid_dist_batch(size_t n, const double *q, const double *points,
                          size_t count, double *dist)
{
    double stack[65];
    double *y = n + 1 <= 65 ? stack : malloc((n + 1) * sizeof *y);
    if (y == NULL) {
        for (size_t j = 0; j < count; j++)
            dist[j] = NAN;
        return;
    }
    tb_euclid_to_lorentz(n, q, y);
    for (size_t j = 0; j < count; j++) {
        double a = euclid_minus_inner(n, points + j * n, y);
        if (a < 1.0)
            a = 1.0;
        dist[j] = acosh(a);
    }
    if (y != stack)
        free(y);
}
