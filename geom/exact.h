/*
 * exact.h — an exact accumulator for sums of scaled doubles, internal to geom/.
 *
 * A fixed-point integer of 104 limbs of 32 bits, bit 0 of limb 0 weighing
 * 2^-3264: it holds every v 2^e with v a double and v 2^e in [2^-3264, 2^64)
 * exactly, and sums of up to 2^30 such terms without overflow (limbs are
 * int64 and take carries lazily).  Used where double-double cannot resolve a
 * result: 1 - |x|^2 for Poincaré points closer to the boundary than about
 * 2^-42, and the exact radius limits of the Euclid and Lorentz checks
 * (|v| <= 2^24, |x_s| >= 2^511).  It decides inside / on / outside exactly, and gives the value even
 * when it is far below the smallest double (engineered points reach
 * 1 - |x|^2 ~ 2^-1100).
 */
#ifndef HYP_EXACT_H
#define HYP_EXACT_H

#include <stdint.h>
#include <stddef.h>
#include "dd.h"

#define EXACT_LIMBS 104
#define EXACT_BASE (-3264)

typedef struct {
    int64_t limb[EXACT_LIMBS];
} exact_acc;

/* acc = 1 - sum (x_i 2^e)^2 exactly; requires |x_i 2^e| < 1 for every i
 * and e >= -526 (the smallest square, 2^-2148 2^2e, must be held). */
void exact_one_minus_norm2(exact_acc *a, size_t n, const double *x, int e);
/* Sign of the sum: -1, 0, +1. */
int exact_sign(exact_acc *a);
/* The sum rounded to about 100 bits (relative error below 2^-90). */
xdd exact_value(exact_acc *a);

#endif
