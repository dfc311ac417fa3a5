/*
 * gen.c — seeded generators of test inputs (see gen.h).
 *
 * Construction: a point is (radius r, unit direction u) held in MPFR at
 * GP = ORACLE_PREC + 64 bits or more; place() turns it into the doubles of a
 * model.  gen_point_at() moves from x along a geodesic using the 2-dimensional
 * hyperbolic plane through the origin, x and the chosen tangent direction: in
 * that plane's hyperboloid coordinates x = (cosh r, sinh r, 0) and the unit
 * tangent w = (sinh r cos phi, cosh r cos phi, sin phi), so
 *     y = cosh(s) x + sinh(s) w
 *       = (., cosh s sinh r + sinh s cosh r cos phi, sinh s sin phi),
 * whose radius is asinh(|(Y1, Y2)|) and whose direction is turned by
 * alpha = atan2(Y2, Y1) from u towards the tangent's perpendicular part t.
 * Y1 loses bits only when the geodesic passes near the origin (r' << r, i.e.
 * s ~ r); the precision is raised by 1.5 s bits for that (capped).
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"
#include "oracle.h"

#define GP (ORACLE_PREC + 64)

struct gen_rng {
    gsl_rng *r;
};

gen_rng *gen_create(unsigned long seed)
{
    gen_rng *g = malloc(sizeof *g);
    if (!g)
        return NULL;
    g->r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!g->r) {
        free(g);
        return NULL;
    }
    gsl_rng_set(g->r, seed);
    return g;
}

void gen_free(gen_rng *g)
{
    if (!g)
        return;
    gsl_rng_free(g->r);
    free(g);
}

double gen_uniform(gen_rng *g)
{
    return gsl_rng_uniform(g->r);
}

unsigned long gen_index(gen_rng *g, unsigned long k)
{
    return gsl_rng_uniform_int(g->r, k);
}

double gen_log_uniform(gen_rng *g, double lo, double hi)
{
    double t = gsl_rng_uniform(g->r);
    double v = exp(log(lo) + (log(hi) - log(lo)) * t);
    return v < lo ? lo : v > hi ? hi : v;
}

void gen_direction(gen_rng *g, size_t n, double *dir)
{
    for (;;) {
        int nonzero = 0;
        for (size_t i = 0; i < n; i++) {
            dir[i] = gsl_ran_gaussian_ziggurat(g->r, 1.0);
            nonzero |= dir[i] != 0.0;
        }
        if (nonzero)
            return;
    }
}

/* ---- MPFR helpers ------------------------------------------------------ */

static void widen(void)
{
    mpfr_set_emax(mpfr_get_emax_max());
    mpfr_set_emin(mpfr_get_emin_min());
}

static mpfr_t *mv_new(size_t n, mpfr_prec_t p)
{
    mpfr_t *v = malloc((n ? n : 1) * sizeof(mpfr_t));
    if (!v)
        abort();
    for (size_t i = 0; i < n; i++)
        mpfr_init2(v[i], p);
    return v;
}

static void mv_free(mpfr_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mpfr_clear(v[i]);
    free(v);
}

/* out = |v|^2 correctly rounded to out's precision. */
static void mv_norm2(mpfr_t out, mpfr_t *v, size_t n)
{
    mpfr_t *sq = mv_new(n, 2);
    mpfr_ptr *p = calloc(n ? n : 1, sizeof *p);
    if (!p)
        abort();
    for (size_t i = 0; i < n; i++) {
        mpfr_set_prec(sq[i], 2 * mpfr_get_prec(v[i]));
        mpfr_sqr(sq[i], v[i], MPFR_RNDN);
        p[i] = sq[i];
    }
    mpfr_sum(out, p, (unsigned long)n, MPFR_RNDN);
    free(p);
    mv_free(sq, n);
}

/* u = v / |v| at u's precision; returns 0 if v = 0. */
static int mv_normalise(mpfr_t *u, mpfr_t *v, size_t n)
{
    mpfr_t nr;
    mpfr_init2(nr, mpfr_get_prec(u[0]) + 16);
    mv_norm2(nr, v, n);
    int ok = !mpfr_zero_p(nr);
    if (ok) {
        mpfr_sqrt(nr, nr, MPFR_RNDN);
        for (size_t i = 0; i < n; i++)
            mpfr_div(u[i], v[i], nr, MPFR_RNDN);
    }
    mpfr_clear(nr);
    return ok;
}

/* The unit direction of the authoritative coordinates of x (the first axis
 * for the origin). */
static void direction_of(hyp_model model, size_t n, const double *x, mpfr_t *u)
{
    const double *v = model == HYP_LORENTZ ? x + 1 : x;
    mpfr_t *m = mv_new(n, 53);
    for (size_t i = 0; i < n; i++)
        mpfr_set_d(m[i], v[i], MPFR_RNDN);
    if (!mv_normalise(u, m, n)) {
        for (size_t i = 0; i < n; i++)
            mpfr_set_ui(u[i], i == 0, MPFR_RNDN);
    }
    mv_free(m, n);
}

static int status_of(hyp_model model, size_t n, const double *x)
{
    int st = oracle_check(model, n, x);
    if (st == ORACLE_OK)
        return GEN_OK;
    if (model == HYP_POINCARE) {
        if (st == ORACLE_INF)
            return GEN_BOUNDARY;
        return GEN_OUTSIDE;
    }
    return GEN_RANGE;
}

/* Writes the point (r, u) of the model, rounded to nearest. */
static int place(hyp_model model, size_t n, mpfr_t *u, mpfr_srcptr r, double *x)
{
    mpfr_t s, t;
    mpfr_init2(s, mpfr_get_prec(u[0]) + 16);
    mpfr_init2(t, mpfr_get_prec(u[0]) + 16);
    if (model == HYP_POINCARE) {
        mpfr_div_2ui(s, r, 1, MPFR_RNDN);
        mpfr_tanh(s, s, MPFR_RNDN);
    } else if (model == HYP_LORENTZ) {
        mpfr_sinh(s, r, MPFR_RNDN);
    } else {
        mpfr_set(s, r, MPFR_RNDN);
    }
    size_t off = model == HYP_LORENTZ ? 1 : 0;
    double *v = x + off;
    for (size_t i = 0; i < n; i++) {
        mpfr_mul(t, s, u[i], MPFR_RNDN);
        v[i] = mpfr_get_d(t, MPFR_RNDN);
    }
    mpfr_clears(s, t, (mpfr_ptr)0);
    if (model == HYP_LORENTZ) {
        x[0] = INFINITY;
        for (size_t i = 0; i < n; i++)
            if (!isfinite(v[i]))
                return GEN_RANGE;
        double *tmp = malloc((n + 1) * sizeof *tmp);
        if (!tmp)
            abort();
        int rc = hyp_lorentz_lift(n, v, tmp);
        if (rc == HYP_OK)
            x[0] = tmp[0];
        free(tmp);
        return rc == HYP_OK ? GEN_OK : GEN_RANGE;
    }
    return status_of(model, n, x);
}

/* ---- public generators ------------------------------------------------- */

int gen_point_dir(hyp_model model, size_t n, const double *dir, double radius, double *x)
{
    widen();
    mpfr_t *d = mv_new(n, 53), *u = mv_new(n, GP);
    for (size_t i = 0; i < n; i++)
        mpfr_set_d(d[i], dir[i], MPFR_RNDN);
    if (!mv_normalise(u, d, n))
        for (size_t i = 0; i < n; i++)
            mpfr_set_ui(u[i], i == 0, MPFR_RNDN);
    mpfr_t r;
    mpfr_init2(r, 53);
    mpfr_set_d(r, radius, MPFR_RNDN);
    int st = place(model, n, u, r, x);
    mpfr_clear(r);
    mv_free(d, n);
    mv_free(u, n);
    return st;
}

int gen_point(gen_rng *g, hyp_model model, size_t n, double radius, double *x)
{
    double *dir = malloc(n * sizeof *dir);
    if (!dir)
        abort();
    gen_direction(g, n, dir);
    int st = gen_point_dir(model, n, dir, radius, x);
    free(dir);
    return st;
}

static int ray(hyp_model model, size_t n, const double *x, double radius, int sign, double *y)
{
    widen();
    mpfr_t *u = mv_new(n, GP);
    direction_of(model, n, x, u);
    if (sign < 0)
        for (size_t i = 0; i < n; i++)
            mpfr_neg(u[i], u[i], MPFR_RNDN);
    mpfr_t r;
    mpfr_init2(r, 53);
    mpfr_set_d(r, radius, MPFR_RNDN);
    int st = place(model, n, u, r, y);
    mpfr_clear(r);
    mv_free(u, n);
    return st;
}

int gen_point_ray(hyp_model model, size_t n, const double *x, double radius, double *y)
{
    return ray(model, n, x, radius, 1, y);
}

int gen_point_antipodal(hyp_model model, size_t n, const double *x, double radius, double *y)
{
    return ray(model, n, x, radius, -1, y);
}

int gen_point_at(gen_rng *g, hyp_model model, size_t n, const double *x, double sep, double *y)
{
    widen();
    double *gd = malloc(n * sizeof *gd);
    if (!gd)
        abort();
    gen_direction(g, n, gd);

    mpfr_t r;
    mpfr_init2(r, GP);
    if (oracle_radius(model, n, x, r) != ORACLE_OK) {
        /* not a valid point: fall back on the origin's neighbourhood */
        mpfr_set_zero(r, 1);
    }
    double rd = mpfr_get_d(r, MPFR_RNDN);
    double extra = 1.5 * (sep < rd ? sep : rd);
    mpfr_prec_t p = GP + (extra < 20000 ? (mpfr_prec_t)extra : 20000);
    mpfr_set_prec(r, p); /* re-evaluate at the raised precision */
    if (oracle_radius(model, n, x, r) != ORACLE_OK)
        mpfr_set_zero(r, 1);

    mpfr_t *u = mv_new(n, p), *gv = mv_new(n, p), *t = mv_new(n, p);
    mpfr_t s, c, gn, tn, ch, sh, cs, ss, y1, y2, rr, al, ca, sa, tmp;
    mpfr_inits2(p, s, c, gn, tn, ch, sh, cs, ss, y1, y2, rr, al, ca, sa, tmp, (mpfr_ptr)0);
    mpfr_set_d(s, sep, MPFR_RNDN);
    for (size_t i = 0; i < n; i++)
        mpfr_set_d(gv[i], gd[i], MPFR_RNDN);
    int st;
    if (mpfr_zero_p(r)) {
        mv_normalise(u, gv, n);
        st = place(model, n, u, s, y);
    } else {
        direction_of(model, n, x, u);
        /* c = <g, u>, t = g - c u */
        mpfr_set_zero(c, 1);
        for (size_t i = 0; i < n; i++) {
            mpfr_mul(tmp, gv[i], u[i], MPFR_RNDN);
            mpfr_add(c, c, tmp, MPFR_RNDN);
        }
        for (size_t i = 0; i < n; i++) {
            mpfr_mul(tmp, c, u[i], MPFR_RNDN);
            mpfr_sub(t[i], gv[i], tmp, MPFR_RNDN);
        }
        mv_norm2(gn, gv, n);
        mpfr_sqrt(gn, gn, MPFR_RNDN);
        mv_norm2(tn, t, n);
        mpfr_sqrt(tn, tn, MPFR_RNDN);
        /* cos phi = c/|g|, sin phi = |t|/|g| */
        mpfr_div(c, c, gn, MPFR_RNDN);
        mpfr_div(tn, tn, gn, MPFR_RNDN);
        int have_t = mv_normalise(t, t, n);
        mpfr_cosh(ch, r, MPFR_RNDN);
        mpfr_sinh(sh, r, MPFR_RNDN);
        mpfr_cosh(cs, s, MPFR_RNDN);
        mpfr_sinh(ss, s, MPFR_RNDN);
        /* Y1 = cosh s sinh r + sinh s cosh r cos phi, Y2 = sinh s sin phi */
        mpfr_mul(y1, cs, sh, MPFR_RNDN);
        mpfr_mul(tmp, ss, ch, MPFR_RNDN);
        mpfr_mul(tmp, tmp, c, MPFR_RNDN);
        mpfr_add(y1, y1, tmp, MPFR_RNDN);
        mpfr_mul(y2, ss, tn, MPFR_RNDN);
        if (!have_t)
            mpfr_set_zero(y2, 1);
        mpfr_hypot(rr, y1, y2, MPFR_RNDN);
        mpfr_asinh(rr, rr, MPFR_RNDN);
        mpfr_atan2(al, y2, y1, MPFR_RNDN);
        mpfr_sin_cos(sa, ca, al, MPFR_RNDN);
        for (size_t i = 0; i < n; i++) {
            mpfr_mul(u[i], u[i], ca, MPFR_RNDN);
            if (have_t) {
                mpfr_mul(tmp, t[i], sa, MPFR_RNDN);
                mpfr_add(u[i], u[i], tmp, MPFR_RNDN);
            }
        }
        st = place(model, n, u, rr, y);
    }
    mpfr_clears(r, s, c, gn, tn, ch, sh, cs, ss, y1, y2, rr, al, ca, sa, tmp, (mpfr_ptr)0);
    mv_free(u, n);
    mv_free(gv, n);
    mv_free(t, n);
    free(gd);
    return st;
}

int gen_point_ulps(gen_rng *g, hyp_model model, size_t n, const double *x, unsigned k,
                   double *y)
{
    size_t off = model == HYP_LORENTZ ? 1 : 0;
    memcpy(y, x, hyp_model_width(model, n) * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        long steps = (long)gsl_rng_uniform_int(g->r, 2 * (unsigned long)k + 1) - (long)k;
        double v = y[off + i];
        for (; steps > 0; steps--)
            v = nextafter(v, INFINITY);
        for (; steps < 0; steps++)
            v = nextafter(v, -INFINITY);
        y[off + i] = v;
    }
    if (model == HYP_LORENTZ) {
        for (size_t i = 0; i < n; i++)
            if (!isfinite(y[1 + i]))
                return GEN_RANGE;
        double *tmp = malloc((n + 1) * sizeof *tmp);
        if (!tmp)
            abort();
        int rc = hyp_lorentz_lift(n, y + 1, tmp);
        y[0] = rc == HYP_OK ? tmp[0] : INFINITY;
        free(tmp);
        return rc == HYP_OK ? GEN_OK : GEN_RANGE;
    }
    return status_of(model, n, y);
}

/* RN(c u) into x; returns 1 if strictly inside the ball. */
static int scaled_inside(size_t n, mpfr_t *u, mpfr_srcptr c, mpfr_t tmp, double *x)
{
    for (size_t i = 0; i < n; i++) {
        mpfr_mul(tmp, c, u[i], MPFR_RNDN);
        x[i] = mpfr_get_d(tmp, MPFR_RNDN);
    }
    return oracle_check(HYP_POINCARE, n, x) == ORACLE_OK;
}

int gen_poincare_edge(size_t n, const double *dir, unsigned k, double *x)
{
    widen();
    mpfr_t *d = mv_new(n, 53), *u = mv_new(n, GP);
    for (size_t i = 0; i < n; i++)
        mpfr_set_d(d[i], dir[i], MPFR_RNDN);
    if (!mv_normalise(u, d, n))
        for (size_t i = 0; i < n; i++)
            mpfr_set_ui(u[i], i == 0, MPFR_RNDN);
    mpfr_t lo, hi, mid, tmp;
    mpfr_inits2(GP, lo, hi, mid, tmp, (mpfr_ptr)0);
    /* hi = 1 + 2^-30 is outside: |RN(c u_i)| >= c |u_i| (1 - 2^-53).
     * lo = 1 - 2^-30 is inside unless a coordinate is huge relative to the
     * gap; fall back on 1/2. */
    mpfr_set_ui(hi, 1, MPFR_RNDN);
    mpfr_set_ui(lo, 1, MPFR_RNDN);
    mpfr_mul_2si(tmp, hi, -30, MPFR_RNDN);
    mpfr_add(hi, hi, tmp, MPFR_RNDN);
    mpfr_sub(lo, lo, tmp, MPFR_RNDN);
    if (!scaled_inside(n, u, lo, tmp, x))
        mpfr_set_d(lo, 0.5, MPFR_RNDN);
    for (int it = 0; it < 112; it++) {
        mpfr_add(mid, lo, hi, MPFR_RNDN);
        mpfr_div_2ui(mid, mid, 1, MPFR_RNDN);
        if (scaled_inside(n, u, mid, tmp, x))
            mpfr_set(lo, mid, MPFR_RNDN);
        else
            mpfr_set(hi, mid, MPFR_RNDN);
    }
    scaled_inside(n, u, lo, tmp, x);
    for (size_t i = 0; i < n; i++)
        for (unsigned j = 0; j < k && x[i] != 0.0; j++)
            x[i] = nextafter(x[i], 0.0);
    mpfr_clears(lo, hi, mid, tmp, (mpfr_ptr)0);
    mv_free(d, n);
    mv_free(u, n);
    return status_of(HYP_POINCARE, n, x);
}
