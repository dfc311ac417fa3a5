/*
 * fixed_api.c — the public entry points of hyp_fixed.h for conversion,
 * distance and comparison: argument and validity checks, then the model's
 * kernel (fixed_poincare.c, fixed_lorentz.c, fixed_euclid.c).
 */
#include "fixed_internal.h"

int hyp_fixed_from_double(hyp_fixed_format format, hyp_model model, size_t n,
                          const double *x, void *out)
{
    const fx_layout *lay;
    int rc = fx_args(format, model, n, &lay);
    if (rc == HYP_OK)
        rc = hyp_point_check(model, n, x);
    if (rc != HYP_OK)
        return rc;
    int clamped;
    return fx_from_double(lay, model, n, x, out, 0, &clamped);
}

int hyp_fixed_to_double(hyp_fixed_format format, hyp_model model, size_t n, const void *x,
                        double *out)
{
    const fx_layout *lay;
    int rc = fx_args(format, model, n, &lay);
    if (rc == HYP_OK)
        rc = fx_check(lay, model, n, x);
    return rc != HYP_OK ? rc : fx_to_double(lay, model, n, x, out);
}

/* Arguments, then each point in order. */
static int checked(hyp_fixed_format format, hyp_model model, size_t n, const void *p1,
                   const void *p2, const void *p3, const fx_layout **lay)
{
    int rc = fx_args(format, model, n, lay);
    if (rc == HYP_OK)
        rc = fx_check(*lay, model, n, p1);
    if (rc == HYP_OK && p2)
        rc = fx_check(*lay, model, n, p2);
    if (rc == HYP_OK && p3)
        rc = fx_check(*lay, model, n, p3);
    return rc;
}

static void dist(const fx_layout *lay, hyp_model model, size_t n, const void *x,
                 const void *y, int out_frac, uint64_t *out)
{
    if (model == HYP_POINCARE)
        fx_poincare_dist(lay, n, x, y, out_frac, out);
    else if (model == HYP_LORENTZ)
        fx_lorentz_dist(lay, n, x, y, out_frac, out);
    else
        fx_euclid_dist(lay, n, x, y, out_frac, out);
}

int hyp_fixed_dist(hyp_fixed_format format, hyp_model model, size_t n, const void *x,
                   const void *y, uint64_t *d)
{
    const fx_layout *lay;
    int rc = checked(format, model, n, x, y, NULL, &lay);
    if (rc != HYP_OK)
        return rc;
    uint64_t out[1];
    dist(lay, model, n, x, y, 32, out);
    *d = out[0];
    return HYP_OK;
}

int hyp_fixed_dist_wide(hyp_fixed_format format, hyp_model model, size_t n, const void *x,
                        const void *y, uint64_t d[2])
{
    const fx_layout *lay;
    int rc = checked(format, model, n, x, y, NULL, &lay);
    if (rc != HYP_OK)
        return rc;
    uint64_t out[2];
    dist(lay, model, n, x, y, 64, out);
    d[0] = out[0];
    d[1] = out[1];
    return HYP_OK;
}

int hyp_fixed_radius(hyp_fixed_format format, hyp_model model, size_t n, const void *x,
                     uint64_t *radius)
{
    const fx_layout *lay;
    int rc = checked(format, model, n, x, NULL, NULL, &lay);
    if (rc != HYP_OK)
        return rc;
    if (model == HYP_POINCARE)
        fx_poincare_radius(lay, n, x, radius);
    else if (model == HYP_LORENTZ)
        fx_lorentz_radius(lay, n, x, radius);
    else
        fx_euclid_radius(lay, x, radius);
    return HYP_OK;
}

int hyp_fixed_dist_cmp(hyp_fixed_format format, hyp_model model, size_t n, const void *q,
                       const void *a, const void *b, int *order)
{
    const fx_layout *lay;
    int rc = checked(format, model, n, q, a, b, &lay);
    if (rc != HYP_OK)
        return rc;
    if (model == HYP_POINCARE)
        *order = fx_poincare_cmp(lay, n, q, a, b);
    else if (model == HYP_LORENTZ)
        *order = fx_lorentz_cmp(lay, n, q, a, b);
    else
        return fx_euclid_cmp(lay, n, q, a, b, order);
    return HYP_OK;
}

int hyp_fixed_radius_cmp(hyp_fixed_format format, hyp_model model, size_t n, const void *a,
                         const void *b, int *order)
{
    const fx_layout *lay;
    int rc = checked(format, model, n, a, b, NULL, &lay);
    if (rc != HYP_OK)
        return rc;
    if (model == HYP_EUCLID) {
        fx_u128 ra, rb;
        fx_word(lay, a, 0, &ra);
        fx_word(lay, b, 0, &rb);
        *order = ra < rb ? -1 : (ra > rb ? 1 : 0);
        return HYP_OK;
    }
    /* the radius increases with |k|^2 in both other models */
    fx_nat na, nb;
    fx_sum_sq(lay, 0, n, a, NULL, &na);
    fx_sum_sq(lay, 0, n, b, NULL, &nb);
    *order = fx_nat_cmp(&na, &nb);
    return HYP_OK;
}
