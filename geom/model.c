/* model.c — model names, point validation, the Lorentz lift. */
#include <math.h>
#include <string.h>
#include "geom_internal.h"

static const char *const model_names[] = {
    [HYP_POINCARE] = "poincare",
    [HYP_LORENTZ] = "lorentz",
    [HYP_EUCLID] = "euclid",
};

static int model_known(hyp_model model)
{
    return model == HYP_POINCARE || model == HYP_LORENTZ || model == HYP_EUCLID;
}

size_t hyp_model_width(hyp_model model, size_t n)
{
    if (!model_known(model))
        return 0;
    return model == HYP_LORENTZ ? n + 1 : n;
}

const char *hyp_model_name(hyp_model model)
{
    return model_known(model) ? model_names[model] : NULL;
}

int hyp_model_parse(const char *name, hyp_model *model)
{
    for (int m = HYP_POINCARE; m <= HYP_EUCLID; m++) {
        if (name && strcmp(name, model_names[m]) == 0) {
            *model = (hyp_model)m;
            return HYP_OK;
        }
    }
    return HYP_EMODEL;
}

int geom_prepare(hyp_model model, size_t n, const double *x, geom_prep *p)
{
    if (!model_known(model))
        return p->code = HYP_EMODEL;
    if (n < 1 || n > HYP_DIM_MAX)
        return p->code = HYP_EDIM;
    if (model == HYP_POINCARE)
        return p->code = poincare_prepare(n, x, p);
    return p->code = polar_prepare(model, n, x, p);
}

int hyp_point_check(hyp_model model, size_t n, const double *x)
{
    geom_prep p;
    return geom_prepare(model, n, x, &p);
}

int hyp_lorentz_lift(size_t n, const double *xs, double *x)
{
    if (n < 1 || n > HYP_DIM_MAX)
        return HYP_EDIM;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(xs[i]))
            return HYP_ENONFINITE;
    int k = geom_scale_exponent(n, xs);
    dd a2 = geom_norm2(n, xs, k); /* |x_s|^2 = a2 4^k */
    double x0;
    if (2 * k > 120) {
        /* 1 is below the last bit of |x_s|^2: x0 = |x_s| (1 + 1/(2|x_s|^2)) */
        dd a = dd_sqrt(a2);
        x0 = dd_scale(a.hi + a.lo, k); /* may overflow to +Inf, as documented */
    } else {
        dd s = dd_add_d(dd_ldexp(a2, 2 * k), 1.0);
        dd r = dd_sqrt(s);
        x0 = r.hi + r.lo;
    }
    x[0] = x0;
    for (size_t i = 0; i < n; i++)
        x[i + 1] = xs[i];
    return HYP_OK;
}
