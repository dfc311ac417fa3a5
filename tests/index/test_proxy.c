/*
 * test_proxy.c — the index's distance proxy (index/proxy.c) against the MPFR
 * oracle: for every pair, the true S = sinh^2(d/2) of the points as stored
 * lies within the proven bound E of the proxy S.  The index's exactness
 * rests on this: when two intervals [S - E, S + E] do not overlap it trusts
 * the proxy's order without the exact predicate.  Pairs cover the three
 * models, dimensions 2, 10 and 64, radii up to 45 (300 for Lorentz and
 * Euclid) and separations from 1e-15 up, the close pairs far out (angles
 * near 1e-13 at radius 40, as treegen makes them) above all, since that is
 * where a loose bound costs speed and a wrong one costs exactness.  The
 * scan's floor (proxy_floor) must stay below the true S on the same pairs.
 *
 * Fixed-point stores (fixed_pairs): search vectors made as point.c makes
 * them (hyp_fixed_lorentz_spatial's rounded x_s, proxy_ec(n, 1)), against
 * the exact distance of the stored words (tests/fixed/ref.c, MPFR):
 * Poincaré and Lorentz, q64 and q128, radii up to 80 (Poincaré q128 past
 * binary64's reach), the far close pairs again, and pairs one unit apart in
 * one word, the closest two distinct points a format has.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <mpfr.h>

#include "gen.h"
#include "index_internal.h"
#include "oracle.h"
#include "ref.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Words of the point at radius r in direction dir (n doubles, any norm):
 * k_i = round(2^F t dir_i / |dir|), t = tanh(r/2) (Poincaré) or sinh r,
 * at 1024 bits; one unit toward the origin per word until valid.  0 if
 * valid. */
static int fixed_point(hyp_fixed_format f, hyp_model m, size_t n, const double *dir, double r,
                       void *x)
{
    ref_layout l = ref_layout_of(f, m);
    mpfr_t t, c, norm;
    mpfr_inits2(1024, t, c, norm, (mpfr_ptr)0);
    mpz_t z;
    mpz_init(z);
    mpfr_set_ui(norm, 0, MPFR_RNDN);
    for (size_t i = 0; i < n; i++) {
        mpfr_set_d(c, dir[i], MPFR_RNDN);
        mpfr_sqr(c, c, MPFR_RNDN);
        mpfr_add(norm, norm, c, MPFR_RNDN);
    }
    mpfr_sqrt(norm, norm, MPFR_RNDN);
    mpfr_set_d(t, r, MPFR_RNDN);
    if (m == HYP_POINCARE) {
        mpfr_div_2ui(t, t, 1, MPFR_RNDN);
        mpfr_tanh(t, t, MPFR_RNDN);
    } else {
        mpfr_sinh(t, t, MPFR_RNDN);
    }
    for (size_t i = 0; i < n; i++) {
        mpfr_set_d(c, dir[i], MPFR_RNDN);
        mpfr_mul(c, c, t, MPFR_RNDN);
        mpfr_div(c, c, norm, MPFR_RNDN);
        mpfr_mul_2si(c, c, l.frac, MPFR_RNDN);
        mpfr_rint(c, c, MPFR_RNDN);
        mpfr_get_z(z, c, MPFR_RNDN);
        ref_set_word(f, x, i, z);
    }
    int rc = hyp_fixed_check(f, m, n, x);
    for (int tries = 0; rc != HYP_OK && tries < 4; tries++) {
        for (size_t i = 0; i < n; i++) {
            ref_word(f, m, n, x, i, z);
            if (mpz_sgn(z) != 0)
                mpz_sgn(z) > 0 ? mpz_sub_ui(z, z, 1) : mpz_add_ui(z, z, 1);
            ref_set_word(f, x, i, z);
        }
        rc = hyp_fixed_check(f, m, n, x);
    }
    mpz_clear(z);
    mpfr_clears(t, c, norm, (mpfr_ptr)0);
    return rc == HYP_OK ? 0 : -1;
}

/* The proxy's bound on fixed-point pairs; returns the pairs outside it
 * (and the floor's failures), adds the pairs checked to *total. */
static unsigned long fixed_pairs(gen_rng *rng, unsigned long *total)
{
    const hyp_fixed_format fmts[] = { HYP_FIXED_Q64, HYP_FIXED_Q128 };
    const hyp_model models[] = { HYP_POINCARE, HYP_LORENTZ };
    const size_t dims[] = { 2, 10 };
    unsigned long bad = 0;
    mpfr_t d, sv, diff;
    mpfr_inits2(1024, d, sv, diff, (mpfr_ptr)0);
    for (size_t fi = 0; fi < 2; fi++)
        for (size_t mi = 0; mi < 2; mi++)
            for (size_t di = 0; di < 2; di++) {
                hyp_fixed_format f = fmts[fi];
                hyp_model model = models[mi];
                size_t n = dims[di];
                /* the deepest radius the format resolves well */
                double rmax = model == HYP_POINCARE ? (f == HYP_FIXED_Q64 ? 40 : 80)
                                                    : (f == HYP_FIXED_Q64 ? 21 : 60);
                graph g;
                memset(&g, 0, sizeof g);
                g.model = model;
                g.n = n;
                g.fmt = f;
                g.scratch_x = malloc((n + 1) * sizeof(double));
                void *x = malloc(hyp_fixed_size(f, model, n)), *y = malloc(hyp_fixed_size(f, model, n));
                double *ux = malloc(n * sizeof *ux), *uy = malloc(n * sizeof *uy);
                double *dir = malloc(n * sizeof *dir);
                mpz_t z;
                mpz_init(z);
                size_t checked = 0;
                for (size_t i = 0; i < 600; i++) {
                    double r = i % 2 ? rmax * (1 - 0.5 * gen_uniform(rng))
                                     : gen_log_uniform(rng, 1e-3, rmax);
                    gen_direction(rng, n, dir);
                    if (fixed_point(f, model, n, dir, r, x) != 0)
                        continue;
                    if (i % 3 == 0) { /* one unit apart in one word */
                        memcpy(y, x, hyp_fixed_size(f, model, n));
                        size_t w = (size_t)(gen_uniform(rng) * (double)n) % n;
                        ref_word(f, model, n, y, w, z);
                        mpz_sgn(z) > 0 ? mpz_sub_ui(z, z, 1) : mpz_add_ui(z, z, 1);
                        ref_set_word(f, y, w, z);
                    } else { /* far siblings: angles 1e-13 .. 1e-6 */
                        double s = gen_log_uniform(rng, 1e-13, 1e-6), nd = 0;
                        for (size_t j = 0; j < n; j++)
                            nd += dir[j] * dir[j];
                        nd = sqrt(nd);
                        for (size_t j = 0; j < n; j++)
                            dir[j] = dir[j] / nd + s * (gen_uniform(rng) - 0.5);
                        double ry = r + 4 * (gen_uniform(rng) - 0.5);
                        if (fixed_point(f, model, n, dir, ry > 0 ? ry : r, y) != 0)
                            continue;
                    }
                    if (hyp_fixed_check(f, model, n, y) != HYP_OK)
                        continue;
                    base q;
                    cand c;
                    double ay, cy;
                    if (point_prepare(&g, x, &q.a, &q.c, ux) != HYP_OK ||
                        point_prepare(&g, y, &ay, &cy, uy) != HYP_OK) {
                        printf("FAIL fixed: point_prepare refused a valid point\n");
                        bad++;
                        continue;
                    }
                    q.u = ux;
                    q.x = x;
                    q.id = IX_NONE;
                    q.ec = proxy_ec(n, 1);
                    proxy_dist(n, &q, ay, cy, uy, &c);
                    if (!isfinite(c.e))
                        continue;
                    ref_dist(f, model, n, x, y, d);
                    mpfr_div_2ui(sv, d, 1, MPFR_RNDN);
                    mpfr_sinh(sv, sv, MPFR_RNDN);
                    mpfr_sqr(sv, sv, MPFR_RNDN);
                    mpfr_sub_d(diff, sv, c.s, MPFR_RNDN);
                    mpfr_abs(diff, diff, MPFR_RNDN);
                    checked++;
                    if (mpfr_cmp_d(diff, c.e) > 0 && bad++ < 10)
                        printf("FAIL %s %s n=%zu r=%.17g: S=%.17g, proxy %.17g +- %.3g, off by "
                               "%.3g\n", hyp_fixed_name(f), hyp_model_name(model), n, r,
                               mpfr_get_d(sv, MPFR_RNDN), c.s, c.e, mpfr_get_d(diff, MPFR_RNDN));
                    double fl = proxy_floor(proxy_floor_factor(n, &q), ay, proxy_dd(n, ux, uy));
                    if (mpfr_cmp_d(sv, fl) < 0 && bad++ < 10)
                        printf("FAIL %s %s: S=%.17g below the floor %.17g\n", hyp_fixed_name(f),
                               hyp_model_name(model), mpfr_get_d(sv, MPFR_RNDN), fl);
                }
                printf("%-4s %-8s n=%-2zu pairs %4zu\n", hyp_fixed_name(f), hyp_model_name(model),
                       n, checked);
                *total += checked;
                mpz_clear(z);
                free(g.scratch_x);
                free(x);
                free(y);
                free(ux);
                free(uy);
                free(dir);
            }
    mpfr_clears(d, sv, diff, (mpfr_ptr)0);
    return bad;
}

int main(void)
{
    const hyp_model models[] = { HYP_LORENTZ, HYP_POINCARE, HYP_EUCLID };
    const size_t dims[] = { 2, 10, 64 };
    const char *names[] = { "lorentz", "poincare", "euclid" };
    gen_rng *rng = gen_create(20260501);
    mpfr_t d, sv, diff;
    mpfr_inits2(600, d, sv, diff, (mpfr_ptr)0);
    unsigned long bad = 0, total = 0;
    for (size_t mi = 0; mi < 3; mi++) {
        for (size_t di = 0; di < 3; di++) {
            hyp_model model = models[mi];
            size_t n = dims[di], w = hyp_model_width(model, n);
            double *x = malloc(w * sizeof *x), *y = malloc(w * sizeof *y);
            double *ux = malloc(n * sizeof *ux), *uy = malloc(n * sizeof *uy);
            double *scratch = malloc((n + 1) * sizeof *scratch), *dir = malloc(n * sizeof *dir);
            double rmax = model == HYP_POINCARE ? 36 : 300;
            const size_t pairs = 3000;
            double *ratio = malloc(pairs * sizeof *ratio);
            size_t nr = 0, tried = 0;
            for (size_t i = 0; i < pairs; i++) {
                double r = i % 3 == 0 ? 40 * (1 - 0.01 * gen_uniform(rng))
                                      : gen_log_uniform(rng, 1e-3, rmax);
                if (model == HYP_POINCARE && r > 36)
                    r = 36;
                int rc;
                if (i % 3 == 0 && model != HYP_POINCARE) {
                    /* treegen's far siblings: the same radius band, directions
                     * 1e-13 .. 1e-10 apart. */
                    gen_direction(rng, n, dir);
                    double nd = 0;
                    for (size_t j = 0; j < n; j++)
                        nd += dir[j] * dir[j];
                    nd = sqrt(nd);
                    rc = gen_point_dir(model, n, dir, r, x);
                    double s = gen_log_uniform(rng, 1e-13, 1e-10);
                    for (size_t j = 0; j < n; j++)
                        dir[j] = dir[j] / nd + s * (gen_uniform(rng) - 0.5);
                    if (rc == GEN_OK)
                        rc = gen_point_dir(model, n, dir, r + 6 * (gen_uniform(rng) - 0.5), y);
                } else {
                    double sep = gen_log_uniform(rng, 1e-15, 20);
                    rc = gen_point(rng, model, n, r, x);
                    if (rc == GEN_OK)
                        rc = gen_point_at(rng, model, n, x, sep, y);
                }
                if (rc != GEN_OK || hyp_point_check(model, n, x) != HYP_OK ||
                    hyp_point_check(model, n, y) != HYP_OK)
                    continue;
                base q;
                cand c;
                if (proxy_prepare(model, n, x, scratch, &q.a, &q.c, ux) != HYP_OK ||
                    proxy_prepare(model, n, y, scratch, &c.s, &c.e, uy) != HYP_OK) {
                    printf("FAIL %s n=%zu: proxy_prepare refused a valid point\n", names[mi], n);
                    bad++;
                    continue;
                }
                double ay = c.s, cy = c.e;
                q.u = ux;
                q.x = x;
                q.id = IX_NONE;
                q.ec = proxy_ec(n, 0);
                proxy_dist(n, &q, ay, cy, uy, &c);
                if (!isfinite(c.e))
                    continue; /* beyond the proxy: every comparison is exact */
                tried++;
                if (oracle_dist(model, n, x, y, d) != 0)
                    continue;
                mpfr_div_2ui(sv, d, 1, MPFR_RNDN);
                mpfr_sinh(sv, sv, MPFR_RNDN);
                mpfr_sqr(sv, sv, MPFR_RNDN);
                mpfr_sub_d(diff, sv, c.s, MPFR_RNDN);
                mpfr_abs(diff, diff, MPFR_RNDN);
                total++;
                if (mpfr_cmp_d(diff, c.e) > 0) {
                    if (bad++ < 10)
                        printf("FAIL %s n=%zu r=%.17g: S=%.17g, proxy %.17g +- %.3g, off by %.3g\n",
                               names[mi], n, r, mpfr_get_d(sv, MPFR_RNDN), c.s, c.e,
                               mpfr_get_d(diff, MPFR_RNDN));
                }
                if (c.s > 0)
                    ratio[nr++] = c.e / c.s;
                /* The scan's cheap rejection: a floor below the true S. */
                double fl = proxy_floor(proxy_floor_factor(n, &q), ay, proxy_dd(n, ux, uy));
                if (ay <= DBL_MAX && mpfr_cmp_d(sv, fl) < 0 && bad++ < 10)
                    printf("FAIL %s n=%zu r=%.17g: S=%.17g below the floor %.17g\n", names[mi], n,
                           r, mpfr_get_d(sv, MPFR_RNDN), fl);
            }
            qsort(ratio, nr, sizeof *ratio, cmp_double);
            printf("%-8s n=%-2zu pairs %4zu: E/S median %.2g, p99 %.2g, max %.2g\n", names[mi], n,
                   tried, nr ? ratio[nr / 2] : 0, nr ? ratio[nr * 99 / 100] : 0,
                   nr ? ratio[nr - 1] : 0);
            free(ratio);
            free(x);
            free(y);
            free(ux);
            free(uy);
            free(scratch);
            free(dir);
        }
    }
    mpfr_clears(d, sv, diff, (mpfr_ptr)0);
    unsigned long ftotal = 0;
    bad += fixed_pairs(rng, &ftotal);
    total += ftotal;
    gen_free(rng);
    printf("%lu pairs, %lu outside the bound\n", total, bad);
    return bad == 0 && total > 10000 && ftotal > 3000 ? 0 : 1;
}
