/*
 * test_oracle.c — the oracle against a second, independent evaluation.
 *
 * The oracle (tests/oracle/oracle.c) uses exact sums and cancellation-free
 * identities at a fixed precision.  Here the textbook formulas, which cancel
 * catastrophically, are evaluated instead with precision escalation: at
 * P = 1024, 2048, ... bits until two successive precisions agree to 2^-300
 * relative, capped at 2^17 bits:
 *   Poincaré  d = acosh(1 + 2 |x-y|^2 / ((1 - |x|^2)(1 - |y|^2)))
 *   Lorentz   d = acosh(sqrt(1+|x|^2) sqrt(1+|y|^2) - <x,y>)   (x0 not read)
 *   Euclid    d = acosh(cosh r1 cosh r2 - sinh r1 sinh r2 cos theta)
 * and the oracle must agree to 2^-280 relative (both are far beyond what
 * judging doubles needs; the point is that two unrelated derivations agree).
 * Inputs: seeded random pairs (near, far, same ray, antipodal), Poincaré
 * points at the boundary's last doubles, and "wild" points whose coordinates
 * have independent exponents (subnormals included).  Euclid radii are kept
 * below 1000 here: the textbook form needs ~3 r bits.  Also checks
 * oracle_radius, oracle_convert against the closed forms, and oracle_ulps.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"
#include "oracle.h"

#define NMAX 64
static long failures, checks;

static void textbook_at(hyp_model m, size_t n, const double *x, const double *y, mpfr_prec_t p,
                        mpfr_t d)
{
    mpfr_t a, b, c, t, u;
    mpfr_inits2(p, a, b, c, t, u, (mpfr_ptr)0);
    mpfr_set_prec(d, p);
    if (m == HYP_POINCARE) {
        mpfr_set_zero(c, 1);
        mpfr_set_ui(a, 1, MPFR_RNDN);
        mpfr_set_ui(b, 1, MPFR_RNDN);
        for (size_t i = 0; i < n; i++) {
            mpfr_set_d(t, x[i], MPFR_RNDN);
            mpfr_sub_d(t, t, y[i], MPFR_RNDN);
            mpfr_sqr(t, t, MPFR_RNDN);
            mpfr_add(c, c, t, MPFR_RNDN);
            mpfr_set_d(t, x[i], MPFR_RNDN);
            mpfr_sqr(t, t, MPFR_RNDN);
            mpfr_sub(a, a, t, MPFR_RNDN);
            mpfr_set_d(t, y[i], MPFR_RNDN);
            mpfr_sqr(t, t, MPFR_RNDN);
            mpfr_sub(b, b, t, MPFR_RNDN);
        }
        mpfr_mul(a, a, b, MPFR_RNDN);
        mpfr_div(c, c, a, MPFR_RNDN);
        mpfr_mul_2ui(c, c, 1, MPFR_RNDN);
        mpfr_add_ui(c, c, 1, MPFR_RNDN);
    } else {
        const double *xs = m == HYP_LORENTZ ? x + 1 : x, *ys = m == HYP_LORENTZ ? y + 1 : y;
        mpfr_set_zero(a, 1);
        mpfr_set_zero(b, 1);
        mpfr_set_zero(c, 1);
        for (size_t i = 0; i < n; i++) {
            mpfr_set_d(t, xs[i], MPFR_RNDN);
            mpfr_sqr(u, t, MPFR_RNDN);
            mpfr_add(a, a, u, MPFR_RNDN);
            mpfr_mul_d(u, t, ys[i], MPFR_RNDN);
            mpfr_add(c, c, u, MPFR_RNDN); /* <x,y> */
            mpfr_set_d(t, ys[i], MPFR_RNDN);
            mpfr_sqr(u, t, MPFR_RNDN);
            mpfr_add(b, b, u, MPFR_RNDN);
        }
        if (m == HYP_LORENTZ) {
            mpfr_add_ui(a, a, 1, MPFR_RNDN);
            mpfr_sqrt(a, a, MPFR_RNDN);
            mpfr_add_ui(b, b, 1, MPFR_RNDN);
            mpfr_sqrt(b, b, MPFR_RNDN);
            mpfr_mul(a, a, b, MPFR_RNDN);
            mpfr_sub(c, a, c, MPFR_RNDN);
        } else {
            /* cosh r1 cosh r2 - sinh r1 sinh r2 <v,w>/(r1 r2) */
            mpfr_sqrt(a, a, MPFR_RNDN);
            mpfr_sqrt(b, b, MPFR_RNDN);
            mpfr_mul(t, a, b, MPFR_RNDN);
            if (mpfr_zero_p(t)) {
                mpfr_set_zero(c, 1);
            } else {
                mpfr_div(c, c, t, MPFR_RNDN); /* cos theta */
                mpfr_sinh(t, a, MPFR_RNDN);
                mpfr_sinh(u, b, MPFR_RNDN);
                mpfr_mul(t, t, u, MPFR_RNDN);
                mpfr_mul(c, c, t, MPFR_RNDN);
            }
            mpfr_cosh(t, a, MPFR_RNDN);
            mpfr_cosh(u, b, MPFR_RNDN);
            mpfr_mul(t, t, u, MPFR_RNDN);
            mpfr_sub(c, t, c, MPFR_RNDN);
        }
    }
    if (mpfr_cmp_ui(c, 1) <= 0)
        mpfr_set_zero(d, 1);
    else
        mpfr_acosh(d, c, MPFR_RNDN);
    mpfr_clears(a, b, c, t, u, (mpfr_ptr)0);
}

/* The textbook value with precision escalation; 0 if it did not settle.
 * acosh(1 + tiny) reads 0 until the precision holds tiny, so a zero only
 * settles for identical points. */
static int textbook(hyp_model m, size_t n, const double *x, const double *y, mpfr_t d)
{
    size_t off = m == HYP_LORENTZ ? 1 : 0;
    int same = 1;
    for (size_t i = 0; i < n; i++)
        same &= x[off + i] == y[off + i];
    mpfr_t prev, diff;
    mpfr_init2(prev, 64);
    mpfr_init2(diff, 64);
    int ok = 0;
    for (mpfr_prec_t p = 1024; p <= (1 << 17); p *= 2) {
        textbook_at(m, n, x, y, p, d);
        if (p > 1024) {
            if (mpfr_zero_p(d) && mpfr_zero_p(prev)) {
                if (same) {
                    ok = 1;
                    break;
                }
                mpfr_set_prec(prev, p);
                mpfr_set(prev, d, MPFR_RNDN);
                continue;
            }
            mpfr_sub(diff, d, prev, MPFR_RNDN);
            mpfr_mul_2si(diff, diff, 300, MPFR_RNDN);
            if (!mpfr_zero_p(d) && mpfr_cmpabs(diff, d) <= 0) {
                ok = 1;
                break;
            }
        }
        mpfr_set_prec(prev, p);
        mpfr_set(prev, d, MPFR_RNDN);
    }
    mpfr_clears(prev, diff, (mpfr_ptr)0);
    return ok;
}

static void print_point(const char *name, const double *x, size_t w)
{
    fprintf(stderr, "  %s = ", name);
    for (size_t i = 0; i < w; i++)
        fprintf(stderr, "%a%s", x[i], i + 1 < w ? "," : "\n");
}

static void compare(hyp_model m, size_t n, const double *x, const double *y, const char *what)
{
    mpfr_t o, t, diff;
    mpfr_init2(o, ORACLE_PREC);
    mpfr_init2(t, 64);
    mpfr_init2(diff, 64);
    checks++;
    int st = oracle_dist(m, n, x, y, o);
    int ok = textbook(m, n, x, y, t);
    int bad = st != ORACLE_OK || !ok;
    if (!bad) {
        mpfr_sub(diff, o, t, MPFR_RNDN);
        mpfr_mul_2si(diff, diff, 280, MPFR_RNDN);
        bad = mpfr_zero_p(t) ? !mpfr_zero_p(o) : mpfr_cmpabs(diff, t) > 0;
    }
    if (bad && failures++ < 20) {
        mpfr_fprintf(stderr, "FAIL %s %s n=%zu: oracle (status %d) %.40Rg, textbook (%s) %.40Rg\n",
                     what, hyp_model_name(m), n, st, o, ok ? "settled" : "did not settle", t);
        print_point("x", x, hyp_model_width(m, n));
        print_point("y", y, hyp_model_width(m, n));
    }
    mpfr_clears(o, t, diff, (mpfr_ptr)0);
}

static void wild(gen_rng *g, hyp_model m, size_t n, double *x)
{
    size_t off = m == HYP_LORENTZ ? 1 : 0;
    int emax = m == HYP_POINCARE ? -2 : m == HYP_LORENTZ ? 1020 : 7;
    for (;;) {
        int spread = (int)gen_index(g, 2) ? 40 : 2000;
        int center = -1074 + (int)gen_index(g, (unsigned long)(emax + 1075));
        for (size_t i = 0; i < n; i++) {
            int e = center + (int)gen_index(g, 2 * (unsigned long)spread + 1) - spread;
            e = e < -1074 ? -1074 : e > emax ? emax : e;
            x[off + i] = gen_index(g, 6) ? ldexp(gen_index(g, 2) ? 1.0 + gen_uniform(g)
                                                                  : -1.0 - gen_uniform(g),
                                                 e)
                                         : 0.0;
        }
        if (m == HYP_LORENTZ)
            x[0] = 1.0; /* not read by either evaluation */
        if (oracle_check(m, n, x) == ORACLE_OK)
            return;
    }
}

static void check_radius_convert(gen_rng *g)
{
    /* oracle_radius = oracle_dist from the origin; conversions preserve it
     * (closed forms: |P| = tanh(r/2), |L_s| = sinh r, |E| = r). */
    double x[NMAX + 1], o[NMAX + 1];
    mpfr_t r, d, t, y[NMAX + 1];
    mpfr_inits2(ORACLE_PREC, r, d, t, (mpfr_ptr)0);
    for (size_t i = 0; i <= NMAX; i++)
        mpfr_init2(y[i], ORACLE_PREC);
    for (int k = 0; k < 300; k++) {
        size_t n = (size_t)(1 + gen_index(g, 10));
        hyp_model m = (hyp_model)(1 + k % 3);
        if (gen_point(g, m, n, gen_log_uniform(g, 1e-8, m == HYP_POINCARE ? 36.0 : 700.0), x) !=
            GEN_OK)
            continue;
        memset(o, 0, sizeof o);
        if (m == HYP_LORENTZ)
            o[0] = 1.0;
        oracle_radius(m, n, x, r);
        oracle_dist(m, n, o, x, d);
        mpfr_sub(t, r, d, MPFR_RNDN);
        mpfr_mul_2si(t, t, 480, MPFR_RNDN);
        checks++;
        if (mpfr_cmpabs(t, r) > 0 && failures++ < 20)
            mpfr_fprintf(stderr, "FAIL radius %.40Rg vs dist from origin %.40Rg\n", r, d);
        for (int to = HYP_POINCARE; to <= HYP_EUCLID; to++) {
            size_t off = to == HYP_LORENTZ ? 1 : 0;
            oracle_convert(m, (hyp_model)to, n, x, y);
            /* norm of the image */
            mpfr_set_zero(t, 1);
            for (size_t i = 0; i < n; i++)
                mpfr_fma(t, y[off + i], y[off + i], t, MPFR_RNDN);
            mpfr_sqrt(t, t, MPFR_RNDN);
            if (to == HYP_POINCARE) {
                mpfr_atanh(t, t, MPFR_RNDN);
                mpfr_mul_2ui(t, t, 1, MPFR_RNDN);
            } else if (to == HYP_LORENTZ) {
                /* x0 = sqrt(1 + |x_s|^2) too */
                mpfr_t c;
                mpfr_init2(c, ORACLE_PREC);
                mpfr_sqr(c, t, MPFR_RNDN);
                mpfr_add_ui(c, c, 1, MPFR_RNDN);
                mpfr_sqrt(c, c, MPFR_RNDN);
                mpfr_sub(c, c, y[0], MPFR_RNDN);
                mpfr_mul_2si(c, c, 480, MPFR_RNDN);
                checks++;
                if (mpfr_cmpabs(c, y[0]) > 0 && failures++ < 20)
                    fprintf(stderr, "FAIL convert x0\n");
                mpfr_clear(c);
                mpfr_asinh(t, t, MPFR_RNDN);
            }
            /* A Poincaré image at radius r has 1 - |x| ~ 2 e^-r, so its
             * rounding to ORACLE_PREC bits moves the radius by ~2^-512 e^r:
             * only where a double can hold the image (r < 40) is the radius
             * recoverable to 2^-(ORACLE_PREC - 80). */
            if (to == HYP_POINCARE && mpfr_cmp_ui(r, 40) > 0)
                continue;
            mpfr_sub(d, t, r, MPFR_RNDN);
            mpfr_mul_2si(d, d, ORACLE_PREC - 80, MPFR_RNDN);
            checks++;
            if (mpfr_cmpabs(d, r) > 0 && failures++ < 20)
                mpfr_fprintf(stderr, "FAIL convert %s->%s: image radius %.40Rg, radius %.40Rg\n",
                             hyp_model_name(m), hyp_model_name((hyp_model)to), t, r);
        }
    }
    for (size_t i = 0; i <= NMAX; i++)
        mpfr_clear(y[i]);
    mpfr_clears(r, d, t, (mpfr_ptr)0);
}

static void check_ulps(void)
{
    struct {
        double got, ref, want;
    } c[] = {
        { 1.0, 1.0, 0.0 },
        { nextafter(1.0, 2.0), 1.0, 1.0 },
        { nextafter(1.0, 0.0), 1.0, 0.5 }, /* ref's binade [1, 2): spacing 2^-52 */
        { 0x1p-1074, 0.0, 1.0 },
        { 3 * 0x1p-1074, 0x1p-1074, 2.0 },
        { 0x1.0000000000004p+0, 0x1p+0, 4.0 },
        { -2.0, 2.0, 0x1p53 },
        { 0x1.fffffffffffffp+1023, 0x1.ffffffffffffep+1023, 1.0 },
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        checks++;
        double u = oracle_ulps_d(c[i].got, c[i].ref);
        if (u != c[i].want && failures++ < 20)
            fprintf(stderr, "FAIL oracle_ulps_d(%a, %a) = %g, expected %g\n", c[i].got, c[i].ref,
                    u, c[i].want);
    }
    checks += 2;
    if (oracle_ulps_d(NAN, 1.0) != INFINITY || oracle_ulps_d(INFINITY, 1.0) != INFINITY)
        failures++;
    /* a reference between doubles */
    mpfr_t r;
    mpfr_init2(r, 200);
    mpfr_set_ui(r, 1, MPFR_RNDN);
    mpfr_div_ui(r, r, 3, MPFR_RNDN); /* 1/3 in [2^-2, 2^-1): ulp 2^-54 */
    double third = 1.0 / 3.0;        /* RN(1/3) = 1/3 - 2^-54/3 */
    double u = oracle_ulps(third, r);
    checks++;
    if (!(fabs(u - 1.0 / 3.0) < 1e-12) && failures++ < 20)
        fprintf(stderr, "FAIL oracle_ulps(RN(1/3), 1/3) = %.17g, expected 1/3\n", u);
    mpfr_clear(r);
}

int main(void)
{
    gen_rng *g = gen_create(606);
    double x[NMAX + 1], y[NMAX + 1], dir[NMAX];
    const size_t dims[] = { 1, 2, 3, 10, 64 };
    for (int k = 0; k < 1800; k++) {
        hyp_model m = (hyp_model)(1 + k % 3);
        size_t n = dims[(k / 3) % 5];
        double cap = m == HYP_POINCARE ? 37.0 : m == HYP_LORENTZ ? 700.0 : 900.0;
        const char *what;
        switch ((k / 15) % 6) {
        case 0:
            what = "rand";
            if (gen_point(g, m, n, gen_log_uniform(g, 1e-8, cap), x) ||
                gen_point(g, m, n, gen_log_uniform(g, 1e-8, cap), y))
                continue;
            break;
        case 1:
            what = "near";
            if (gen_point(g, m, n, gen_log_uniform(g, 1e-8, cap), x) ||
                gen_point_at(g, m, n, x, gen_log_uniform(g, 1e-15, 1e-3), y))
                continue;
            break;
        case 2:
            what = "ulps";
            if (gen_point(g, m, n, gen_log_uniform(g, 1e-8, cap), x) ||
                gen_point_ulps(g, m, n, x, 3, y))
                continue;
            break;
        case 3:
            what = "ray/anti";
            if (gen_point(g, m, n, gen_log_uniform(g, 1e-8, cap), x))
                continue;
            if ((k & 1 ? gen_point_ray : gen_point_antipodal)(m, n, x,
                                                              gen_log_uniform(g, 1e-8, cap), y))
                continue;
            break;
        case 4:
            what = "wild";
            wild(g, m, n, x);
            if (k & 1) {
                wild(g, m, n, y);
            } else if (gen_point_ulps(g, m, n, x, 1, y) != GEN_OK) {
                continue;
            }
            break;
        default:
            what = "edge";
            if (m != HYP_POINCARE) {
                wild(g, m, n, x);
                memcpy(y, x, sizeof y);
                size_t off = m == HYP_LORENTZ ? 1 : 0;
                y[off + gen_index(g, n)] *= -1.0; /* a mirror image */
                break;
            }
            gen_direction(g, n, dir);
            gen_poincare_edge(n, dir, (unsigned)gen_index(g, 3), x);
            gen_direction(g, n, dir);
            if (k & 1)
                gen_poincare_edge(n, dir, (unsigned)gen_index(g, 3), y);
            else if (gen_point_ulps(g, m, n, x, 1, y) != GEN_OK)
                continue;
            break;
        }
        compare(m, n, x, y, what);
    }
    check_radius_convert(g);
    check_ulps();
    gen_free(g);
    printf("oracle self-test: %ld checks, %ld failures\n", checks, failures);
    return failures == 0 && checks > 500 ? 0 : 1;
}
