/*
 * geom_internal.h — what the files of geom/ share and nothing outside sees.
 *
 * A distance is computed in two steps so that the batch form can do the
 * per-point work once: geom_prepare() validates a point and caches what
 * depends on it alone; geom_pair() combines two prepared points into
 * S = sinh^2(d/2), carried as an xdd, and geom_dist_from_s() turns S into d.
 */
#ifndef HYP_GEOM_INTERNAL_H
#define HYP_GEOM_INTERNAL_H

#include "hyp_geom.h"
#include "dd.h"

/* ln 2 as a double-double: LN2_HI = RN(ln 2), LN2_LO = RN(ln 2 - LN2_HI). */
#define LN2_HI 0x1.62e42fefa39efp-1
#define LN2_LO 0x1.abc9e3b39803fp-56

typedef struct {
    int code;   /* hyp_point_check() result; the rest is valid only if 0 */
    /* Poincaré */
    xdd one_minus_norm2; /* 1 - |x|^2, relative error below 2^-100 */
    /* Lorentz (spatial part) and Euclid: the point scaled by 2^-k has its
     * largest coordinate in [0.5, 1) */
    int k;
    dd norm2;            /* |x 2^-k|^2 */
    xdd r;               /* |x| (Lorentz: sinh of the radius; Euclid: the radius) */
    xdd aux;             /* Lorentz: sqrt(1 + |x|^2) (cosh of the radius); Euclid: sinh r */
} geom_prep;

/* Validates x and fills p; returns p->code. */
int geom_prepare(hyp_model model, size_t n, const double *x, geom_prep *p);

/* S = sinh^2(d(x, y)/2) for two valid prepared points. */
xdd geom_pair(hyp_model model, size_t n, const double *x, const geom_prep *px,
              const double *y, const geom_prep *py);

/* d = 2 asinh(sqrt(S)), within about 1 ulp for S exact. */
dd geom_dist_from_s(xdd s);

/* Per model (poincare.c, polar.c). */
int poincare_prepare(size_t n, const double *x, geom_prep *p);
xdd poincare_pair(size_t n, const double *x, const geom_prep *px, const double *y,
                  const geom_prep *py);
int polar_prepare(hyp_model model, size_t n, const double *x, geom_prep *p);
xdd polar_pair(hyp_model model, size_t n, const double *x, const geom_prep *px,
               const double *y, const geom_prep *py);

/* Exponent k with max|x_i| = f 2^k, f in [0.5, 1), clamped to >= -960 so
 * that 2^-k is a double; 0 for the zero vector. */
int geom_scale_exponent(size_t n, const double *x);

/* Sum of (x_i 2^-k)^2 in double-double, in a fixed order on every platform:
 * four lanes (i mod 4), each accumulated with TwoSum, combined as
 * (l0 + l1) + (l2 + l3). */
dd geom_norm2(size_t n, const double *x, int k);

#endif
