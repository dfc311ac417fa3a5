/*
 * test_predicate.c — hyp_dist_cmp and hyp_radius_cmp against the MPFR oracle.
 *
 * For every model and n in {2, 3, 10, 64}:
 *   random   q, a, b at independent radii (the filter decides);
 *   ulps     b = a moved by 1..2 ulp per coordinate: the distances agree to
 *            about 2^-52, below the filter's 2^-44, so the exact path decides;
 *   mirror   q on the first axis and b = a reflected in it (an isometry that
 *            fixes q): an exact tie, then b moved by one ulp (exact path);
 *   perm     q with equal coordinates and b = a with two coordinates swapped
 *            (again an isometry fixing q): a tie; the same with q = origin;
 *   radius   hyp_radius_cmp on permuted points (ties) and ulp-moved ones.
 * Euclid only (the exact path of euclid_cmp.c and mpfloat.c):
 *   line     q, a, b on one line through the origin with d(q,a) = d(q,b)
 *            and |a| != |b| (q = (1,0), a = (-1,0), b = (3,0) and its kin),
 *            scaled by powers of two up to the radius limit and by other
 *            exact factors: ties by construction; then one coordinate moved
 *            by one ulp (oracle), and b (or a) moved off the line by 2^-k,
 *            k up to 1074, which lengthens d(q,b) (or d(q,a)) by about
 *            2^-2k relative: order known by construction, decided only at
 *            512 to 4096 bits;
 *   far      radii 1e3..1e6: ulp-moved and mirrored near-ties (oracle).
 *   mpfl     the multiprecision functions against MPFR: every result within
 *            the error bound it reports.
 * The expected order is the sign of the difference of the two oracle
 * distances at 576 bits (their relative error is below 2^-540, far below the
 * 2^-60 to 2^-200 by which a 1-ulp move of a nonzero coordinate separates
 * the distances here; an ulp of a zero coordinate, 2^-1074, is not resolved
 * by the oracle and is only used where the order is known by construction).
 * Ties by construction
 * are asserted as ties, and the oracle must agree (to 2^-500 where the two
 * oracle evaluations are not symmetric).  Antisymmetry: swapping a and b
 * negates the order.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gmp.h>
#include "gen.h"
#include "mpfloat.h"
#include "oracle.h"

#define NMAX 64

static long checks, failures;

static int oracle_order(hyp_model model, size_t n, const double *q, const double *a,
                        const double *b)
{
    mpfr_t da, db;
    mpfr_inits2(ORACLE_PREC, da, db, (mpfr_ptr)0);
    oracle_dist(model, n, q, a, da);
    oracle_dist(model, n, q, b, db);
    int c = mpfr_cmp(da, db);
    mpfr_clears(da, db, (mpfr_ptr)0);
    return (c > 0) - (c < 0);
}

/* 1 if the oracle distances d(q,a), d(q,b) agree to 2^-500 relative. */
static int oracle_tie(hyp_model model, size_t n, const double *q, const double *a,
                      const double *b)
{
    mpfr_t da, db;
    mpfr_inits2(ORACLE_PREC, da, db, (mpfr_ptr)0);
    oracle_dist(model, n, q, a, da);
    oracle_dist(model, n, q, b, db);
    mpfr_sub(db, db, da, MPFR_RNDN);
    int ok = mpfr_zero_p(db) || mpfr_get_exp(db) < mpfr_get_exp(da) - 500;
    mpfr_clears(da, db, (mpfr_ptr)0);
    return ok;
}

static int oracle_radius_order(hyp_model model, size_t n, const double *a, const double *b)
{
    mpfr_t ra, rb;
    mpfr_inits2(ORACLE_PREC, ra, rb, (mpfr_ptr)0);
    oracle_radius(model, n, a, ra);
    oracle_radius(model, n, b, rb);
    int c = mpfr_cmp(ra, rb);
    mpfr_clears(ra, rb, (mpfr_ptr)0);
    return (c > 0) - (c < 0);
}

static void fail(const char *what, hyp_model model, size_t n, int got, int want)
{
    failures++;
    if (failures <= 20)
        fprintf(stderr, "FAIL %s model %s n=%zu: order %d, expected %d\n", what,
                hyp_model_name(model), n, got, want);
}

/* Checks hyp_dist_cmp(q, a, b) against want (and its antisymmetry). */
static void check_cmp(const char *what, hyp_model model, size_t n, const double *q,
                      const double *a, const double *b, int want)
{
    int got = 2, back = 2;
    checks++;
    if (hyp_dist_cmp(model, n, q, a, b, &got) != HYP_OK ||
        hyp_dist_cmp(model, n, q, b, a, &back) != HYP_OK) {
        fail(what, model, n, 99, want);
        return;
    }
    if (got != want || back != -want)
        fail(what, model, n, got, want);
}

static void check_radius(const char *what, hyp_model model, size_t n, const double *a,
                         const double *b, int want)
{
    int got = 2;
    checks++;
    if (hyp_radius_cmp(model, n, a, b, &got) != HYP_OK || got != want)
        fail(what, model, n, got, want);
}

static double radius_for(gen_rng *g, hyp_model model)
{
    double top = model == HYP_POINCARE ? 30.0 : model == HYP_LORENTZ ? 300.0 : 1e4;
    return gen_log_uniform(g, 1e-6, top);
}

/* A random valid point (retries on the rare rounding onto the boundary). */
static void point(gen_rng *g, hyp_model model, size_t n, double *x)
{
    while (gen_point(g, model, n, radius_for(g, model), x) != GEN_OK)
        ;
}

/* b = a moved by 1..2 ulp, valid and different from a. */
static void moved(gen_rng *g, hyp_model model, size_t n, const double *a, double *b)
{
    size_t w = hyp_model_width(model, n);
    do {
        gen_point_ulps(g, model, n, a, 2, b);
    } while (hyp_point_check(model, n, b) != HYP_OK || !memcmp(a, b, w * sizeof *b));
}

static void run_model(gen_rng *g, hyp_model model, size_t n, int count)
{
    size_t off = model == HYP_LORENTZ ? 1 : 0, w = hyp_model_width(model, n);
    double q[NMAX + 1], a[NMAX + 1], b[NMAX + 1], dir[NMAX];
    for (int it = 0; it < count; it++) {
        /* random */
        point(g, model, n, q);
        point(g, model, n, a);
        point(g, model, n, b);
        check_cmp("random", model, n, q, a, b, oracle_order(model, n, q, a, b));

        /* ulps: a and b nearly equal, q random or near them */
        moved(g, model, n, a, b);
        check_cmp("ulps", model, n, q, a, b, oracle_order(model, n, q, a, b));
        gen_point_at(g, model, n, a, 1e-3, q);
        if (hyp_point_check(model, n, q) == HYP_OK)
            check_cmp("ulps-near", model, n, q, a, b, oracle_order(model, n, q, a, b));

        /* mirror: q on the first axis, b = a reflected in it */
        memset(dir, 0, sizeof dir);
        dir[0] = 1.0;
        while (gen_point_dir(model, n, dir, radius_for(g, model), q) != GEN_OK)
            ;
        memcpy(b, a, w * sizeof *a);
        for (size_t i = 1; i < n; i++)
            b[off + i] = -a[off + i];
        if (oracle_order(model, n, q, a, b) != 0)
            fail("mirror (oracle)", model, n, 1, 0);
        check_cmp("mirror", model, n, q, a, b, 0);
        size_t j = 1 + gen_index(g, n - 1);
        b[off + j] = nextafter(b[off + j], gen_uniform(g) < 0.5 ? -INFINITY : INFINITY);
        if (model == HYP_LORENTZ)
            hyp_lorentz_lift(n, b + 1, b);
        if (hyp_point_check(model, n, b) == HYP_OK)
            check_cmp("mirror-ulp", model, n, q, a, b, oracle_order(model, n, q, a, b));

        /* perm: q with equal coordinates (or the origin), b = a with a swap */
        double c = gen_uniform(g) < 0.25 ? 0.0 : (gen_uniform(g) - 0.5) / sqrt((double)n);
        for (size_t i = 0; i < n; i++)
            dir[i] = 1.0;
        double rq = c == 0.0 ? 0.0 : radius_for(g, model);
        while (gen_point_dir(model, n, dir, rq, q) != GEN_OK)
            rq *= 0.5;
        /* the rounded coordinates of q must be exactly equal for the swap
         * to be an isometry fixing q */
        for (size_t i = 1; i < n; i++)
            q[off + i] = q[off];
        if (model == HYP_LORENTZ)
            hyp_lorentz_lift(n, q + 1, q);
        if (hyp_point_check(model, n, q) != HYP_OK)
            continue;
        memcpy(b, a, w * sizeof *a);
        size_t i0 = gen_index(g, n), i1 = (i0 + 1 + gen_index(g, n - 1)) % n;
        b[off + i0] = a[off + i1];
        b[off + i1] = a[off + i0];
        check_cmp("perm", model, n, q, a, b, 0);
        check_radius("radius-perm", model, n, a, b, 0);
        moved(g, model, n, a, b);
        check_radius("radius-ulps", model, n, a, b, oracle_radius_order(model, n, a, b));
    }
}

/* ---- Euclid: ties on a line through the origin ---------------------------- */

/* A direction with n - 1 nonzero coordinates of at most 40 significant bits
 * (so that small multiples are exact) and a last coordinate 0 (room to
 * leave the line). */
static void line_dir(gen_rng *g, size_t n, double *u)
{
    for (size_t i = 0; i + 1 < n; i++) {
        double v = 0.0;
        while (v == 0.0)
            v = ldexp(floor(ldexp(gen_uniform(g), 40)), -40) - 0.5;
        u[i] = v;
    }
    u[n - 1] = 0.0;
}

/* Configurations (t_q, t_a, t_b) with |t_q - t_a| = |t_q - t_b|, t_a != +-t_b. */
static const double line_ties[][3] = {
    { 1, -1, 3 }, { 2, 1, 3 }, { 1, 0, 2 }, { 0.5, -0.25, 1.25 }, { 3, -5, 11 }, { -1, 1, -3 },
};

static void scaled(size_t n, const double *u, double t, double s, double *x)
{
    for (size_t i = 0; i < n; i++)
        x[i] = t * s * u[i];
}

static void run_line(gen_rng *g, size_t n, int count)
{
    const hyp_model E = HYP_EUCLID;
    double u[NMAX], q[NMAX], a[NMAX], b[NMAX], c[NMAX];
    for (int it = 0; it < count; it++) {
        line_dir(g, n, u);
        double umax = 0.0;
        for (size_t i = 0; i < n; i++)
            umax = fmax(umax, fabs(u[i]));
        const double *t = line_ties[gen_index(g, sizeof line_ties / sizeof line_ties[0])];
        /* a power of two, or an odd multiple of one (exact: u has 40 bits,
         * the t have at most 4, the factor at most 8) */
        int e = -40 + (int)gen_index(g, 60);
        double s = ldexp(gen_uniform(g) < 0.5 ? 1.0 : (double)(1 + 2 * gen_index(g, 100)), e);
        double big_t = fmax(fabs(t[0]), fmax(fabs(t[1]), fabs(t[2])));
        while (big_t * s * umax * sqrt((double)n) > 0x1p23)
            s *= 0.5;
        scaled(n, u, t[0], s, q);
        scaled(n, u, t[1], s, a);
        scaled(n, u, t[2], s, b);
        if (hyp_point_check(E, n, b) != HYP_OK || hyp_point_check(E, n, a) != HYP_OK)
            continue;
        if (!oracle_tie(E, n, q, a, b))
            fail("line (oracle)", E, n, 1, 0);
        check_cmp("line", E, n, q, a, b, 0);

        /* one coordinate of q, a or b moved by one ulp */
        double *moved_pt[3] = { q, a, b };
        double *m = moved_pt[gen_index(g, 3)];
        if (m[0] == 0.0) /* the origin: an ulp there is 2^-1074, beyond the oracle */
            m = q;
        memcpy(c, m, n * sizeof *c);
        size_t j = gen_index(g, n - 1);
        m[j] = nextafter(m[j], gen_uniform(g) < 0.5 ? -INFINITY : INFINITY);
        if (hyp_point_check(E, n, m) == HYP_OK)
            check_cmp("line-ulp", E, n, q, a, b, oracle_order(E, n, q, a, b));
        memcpy(m, c, n * sizeof *c);

        /* b (or a) off the line by e = 2^-k: its distance from q grows, so
         * the order is known.  To second order in e (r = |q|, s = |y|):
         * beyond q, radius and angle both grow; between 0 and q, cosh d
         * gains (e^2/2s)(sinh r sinh s / s - sinh(r - s)) > 0 (as
         * tanh s >= s/(1+s)); on the far side of 0 it gains
         * (e^2/2s)(sinh(r + s) - sinh r sinh s / s) > 0 (s cosh s > sinh s).
         * The oracle confirms it where it can resolve it (k <= 200). */
        static const int ks[] = { 30, 60, 100, 200, 400, 700, 1000, 1074 };
        int k = ks[gen_index(g, it < 4 ? 8 : 5)]; /* the slow ones a few times */
        int off_b = gen_uniform(g) < 0.5;
        double *y = off_b ? b : a;
        if (y[0] == 0.0 && y[1] == 0.0) /* the origin: use the other one */
            y = off_b ? a : b, off_b = !off_b;
        y[n - 1] = ldexp(gen_uniform(g) < 0.5 ? 1.0 : -1.0, -k);
        check_cmp("line-off", E, n, q, a, b, off_b ? -1 : 1);
        if (k <= 200)
            check_cmp("line-off (oracle)", E, n, q, a, b, oracle_order(E, n, q, a, b));
    }
}

/* The q = (1,0), a = (-1,0), b = (3,0) family at every power of two the
 * radius limit allows, and with both a and b off the line. */
static void run_line_axis(void)
{
    const hyp_model E = HYP_EUCLID;
    for (int e = -1060; e <= 22; e += (e < -60 || e > -20) ? 1 : 7) {
        double s = ldexp(1.0, e);
        double q[2] = { s, 0 }, a[2] = { -s, 0 }, b[2] = { 3 * s, 0 }, z[2] = { 0, 0 },
               b2[2] = { 2 * s, 0 };
        check_cmp("axis", E, 2, q, a, b, 0);
        check_cmp("axis-origin", E, 2, q, z, b2, 0); /* d = |q| both */
        if (e > -1000) {
            double bu[2] = { nextafter(3 * s, INFINITY), 0 };
            check_cmp("axis-ulp", E, 2, q, a, bu, -1);
        }
    }
    /* off the line on both sides: d(q,a) - 2 and d(q,b) - 2 are both of
     * order 2^-2k, so only the oracle knows; at k = 20 it resolves it */
    double q[3] = { 1, 0, 0 }, a[3] = { -1, 0x1p-20, 0 }, b[3] = { 3, 0, 0x1p-20 };
    check_cmp("axis-both-off", E, 3, q, a, b, oracle_order(E, 3, q, a, b));
}

/* Near-ties far out: radii 1e3..1e6. */
static void run_far(gen_rng *g, size_t n, int count)
{
    const hyp_model E = HYP_EUCLID;
    double q[NMAX], a[NMAX], b[NMAX], dir[NMAX];
    for (int it = 0; it < count; it++) {
        while (gen_point(g, E, n, gen_log_uniform(g, 1e3, 1e6), q) != GEN_OK)
            ;
        while (gen_point(g, E, n, gen_log_uniform(g, 1e3, 1e6), a) != GEN_OK)
            ;
        moved(g, E, n, a, b);
        check_cmp("far-ulps", E, n, q, a, b, oracle_order(E, n, q, a, b));
        if (gen_point_at(g, E, n, a, 1.0, q) == GEN_OK)
            check_cmp("far-ulps-near", E, n, q, a, b, oracle_order(E, n, q, a, b));

        memset(dir, 0, sizeof dir);
        dir[0] = 1.0;
        while (gen_point_dir(E, n, dir, gen_log_uniform(g, 1e3, 1e6), q) != GEN_OK)
            ;
        memcpy(b, a, n * sizeof *a);
        for (size_t i = 1; i < n; i++)
            b[i] = -a[i];
        check_cmp("far-mirror", E, n, q, a, b, 0);
        size_t j = 1 + gen_index(g, n - 1);
        b[j] = nextafter(b[j], gen_uniform(g) < 0.5 ? -INFINITY : INFINITY);
        if (hyp_point_check(E, n, b) == HYP_OK)
            check_cmp("far-mirror-ulp", E, n, q, a, b, oracle_order(E, n, q, a, b));
    }
}

/* ---- mpfloat against MPFR ------------------------------------------------- */

static void mpfl_to_mpfr(mpfr_t r, const mpfl *a)
{
    mpz_t z;
    mpz_init(z);
    mpz_import(z, (size_t)a->len, -1, sizeof(uint32_t), 0, 0, a->mag);
    if (a->neg)
        mpz_neg(z, z);
    mpfr_set_prec(r, a->len * 32 + 32);
    mpfr_set_z_2exp(r, z, a->exp, MPFR_RNDN); /* exact */
    mpz_clear(z);
}

/* |got - ref| <= bound 2^-prec |ref| */
static void check_mpfl(const char *what, const mpfl *got, double bound, const mpfr_t ref,
                       int prec)
{
    mpfr_t x, d;
    mpfr_init2(x, 64);
    mpfr_init2(d, prec + 300);
    mpfl_to_mpfr(x, got);
    mpfr_sub(d, x, ref, MPFR_RNDN);
    mpfr_div(d, d, ref, MPFR_RNDN);
    mpfr_mul_2si(d, d, prec, MPFR_RNDN);
    checks++;
    if (!(mpfr_cmpabs_ui(d, 0) == 0 || fabs(mpfr_get_d(d, MPFR_RNDA)) <= bound)) {
        failures++;
        if (failures <= 20)
            fprintf(stderr, "FAIL mpfl %s prec %d: error %g units, bound %g\n", what, prec,
                    mpfr_get_d(d, MPFR_RNDA), bound);
    }
    mpfr_clears(x, d, (mpfr_ptr)0);
}

/* An argument of prec bits: log-uniform magnitude 2^lo..2^hi, random bits. */
static void mpfl_arg(gen_rng *g, mpfl *x, int prec, double lo, double hi)
{
    mpfl t;
    mpfl_set_ui(x, 0);
    for (int k = 0; k <= prec / 48; k++) {
        mpfl_set_d(&t, ldexp(floor(ldexp(gen_uniform(g), 48)), -48 * (k + 1)));
        mpfl_add(x, x, &t, prec + 64);
    }
    mpfl_ldexp(x, (int)floor(lo + (hi - lo) * gen_uniform(g)));
    mpfl_round(x, x, prec);
}

static void run_mpfl(gen_rng *g)
{
    static const int precs[] = { 128, 256, 512, 1024, 4096 };
    for (int pi = 0; pi < 5; pi++) {
        int prec = precs[pi];
        mpfl r, x;
        mpfr_t X, ref;
        mpfr_inits2(prec + 300, X, ref, (mpfr_ptr)0);
        double bound = mpfl_ln2(&r, prec);
        mpfr_const_log2(ref, MPFR_RNDN);
        check_mpfl("ln2", &r, bound, ref, prec);
        int count = prec <= 256 ? 200 : prec <= 1024 ? 30 : 6;
        for (int it = 0; it < count + 6; it++) {
            /* the edges first: 1/2 (the series/exp switch), the limit, tiny */
            if (it < 6) {
                static const double edge[] = { 0.5, 0x1.fffffffffffffp-2, 0x1p26, 0x1p-1074,
                                               0.6931471805599453, 1.0 };
                mpfl_set_d(&x, edge[it]);
            } else {
                mpfl_arg(g, &x, prec, -70, 25);
            }
            mpfl_to_mpfr(X, &x);
            bound = mpfl_recip(&r, &x, prec);
            mpfr_ui_div(ref, 1, X, MPFR_RNDN);
            check_mpfl("recip", &r, bound, ref, prec);
            bound = mpfl_sqrt(&r, &x, prec);
            mpfr_sqrt(ref, X, MPFR_RNDN);
            check_mpfl("sqrt", &r, bound, ref, prec);
            bound = mpfl_exp(&r, &x, prec);
            mpfr_exp(ref, X, MPFR_RNDN);
            check_mpfl("exp", &r, bound, ref, prec);
            bound = mpfl_sinh(&r, &x, prec);
            mpfr_sinh(ref, X, MPFR_RNDN);
            check_mpfl("sinh", &r, bound, ref, prec);
            bound = mpfl_sinhc(&r, &x, prec);
            mpfr_div(ref, ref, X, MPFR_RNDN);
            check_mpfl("sinhc", &r, bound, ref, prec);
        }
        mpfr_clears(X, ref, (mpfr_ptr)0);
    }
}

int main(void)
{
    gen_rng *g = gen_create(20261129);
    if (!g)
        return 2;
    const hyp_model models[] = { HYP_POINCARE, HYP_LORENTZ, HYP_EUCLID };
    const size_t dims[] = { 2, 3, 10, 64 };
    for (int m = 0; m < 3; m++)
        for (int d = 0; d < 4; d++)
            run_model(g, models[m], dims[d], dims[d] == 64 ? 40 : 150);
    for (int d = 0; d < 4; d++) {
        run_line(g, dims[d], dims[d] == 64 ? 20 : 60);
        run_far(g, dims[d], dims[d] == 64 ? 20 : 60);
    }
    run_line_axis();
    run_mpfl(g);
    gen_free(g);
    printf("%ld checks, %ld failures\n", checks, failures);
    return failures != 0;
}
