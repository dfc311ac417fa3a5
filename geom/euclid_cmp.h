/*
 * euclid_cmp.h — the transcendental half of the exact HYP_EUCLID comparison
 * (euclid_cmp.c), internal to geom/.  predicate.c settles every tie
 * algebraically first and calls this only when the two distances are known
 * to differ.
 */
#ifndef HYP_EUCLID_CMP_H
#define HYP_EUCLID_CMP_H

#include "bignum.h"

/* One side y of the comparison, exact: Y = |y|^2, c = q.y and the Gram
 * determinant W = |q|^2 |y|^2 - (q.y)^2 >= 0. */
typedef struct {
    const big *Y, *c, *W;
} euclid_side;

/*
 * Sign of d(q,a) - d(q,b) for Euclid points with Q = |q|^2 > 0, given that
 * the distances differ.  [out] order: -1 or 1.
 * Returns HYP_OK, or HYP_EUNDECIDED (*order = 0) when even 4096-bit
 * evaluation cannot separate them: the distances then differ by less than
 * 2^-4000 relative.
 */
int euclid_far_cmp(const big *Q, const euclid_side *a, const euclid_side *b, int *order);

#endif
