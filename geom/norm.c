/* norm.c — scaled sums of squares shared by every model. */
#include <math.h>
#include "geom_internal.h"

int geom_scale_exponent(size_t n, const double *x)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++) {
        double a = fabs(x[i]);
        if (a > m)
            m = a;
    }
    if (m == 0.0)
        return 0;
    int k = dd_exponent(m) + 1;
    return k < -960 ? -960 : k;
}

dd geom_norm2(size_t n, const double *x, int k)
{
    double scale = dd_pow2(-k);
    double hi[4] = { 0, 0, 0, 0 }, lo[4] = { 0, 0, 0, 0 };
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        for (int l = 0; l < 4; l++) {
            double v = x[i + l] * scale;
            dd p = dd_two_prod(v, v);
            dd s = dd_two_sum(hi[l], p.hi);
            hi[l] = s.hi;
            lo[l] += s.lo + p.lo;
        }
    }
    for (int l = 0; i + (size_t)l < n; l++) {
        double v = x[i + l] * scale;
        dd p = dd_two_prod(v, v);
        dd s = dd_two_sum(hi[l], p.hi);
        hi[l] = s.hi;
        lo[l] += s.lo + p.lo;
    }
    dd a = dd_add((dd){ hi[0], lo[0] }, (dd){ hi[1], lo[1] });
    dd b = dd_add((dd){ hi[2], lo[2] }, (dd){ hi[3], lo[3] });
    return dd_add(a, b);
}
