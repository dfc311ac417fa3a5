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
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <mpfr.h>

#include "gen.h"
#include "index_internal.h"
#include "oracle.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
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
    gen_free(rng);
    printf("%lu pairs, %lu outside the bound\n", total, bad);
    return bad == 0 && total > 10000 ? 0 : 1;
}
