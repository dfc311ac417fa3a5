/*
 * treegen.h — seeded, tree-shaped point sets in hyperbolic space, for the
 * index tests and bench/bench_index.c.
 *
 * Point i > 0 has parent (i - 1) / branching (a complete tree in
 * breadth-first order).  Its tangent vector at the origin (the Euclidean
 * parametrization) has radius r_parent + step, step = max_radius / depth of
 * the tree, and the parent's direction perturbed by Gaussian noise of scale
 * spread * exp(-r_parent) (clamped below at 1e-13): siblings fan out by about
 * the angle that keeps them a few units apart at their radius, as an
 * embedding of a tree does.  The root is near the origin.  Splitmix64 and
 * Box-Muller (libm's log, sqrt, cos), so the bits may differ between libms;
 * tests that pin bytes use dyadic points instead.
 */
#ifndef HYP_TREEGEN_H
#define HYP_TREEGEN_H

#include <math.h>
#include <stdlib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct treegen {
    uint64_t state;
} treegen;

static inline uint64_t treegen_next(treegen *t)
{
    uint64_t z = (t->state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static inline double treegen_uniform(treegen *t)
{
    return ((double)(treegen_next(t) >> 11) + 0.5) * 0x1p-53;
}

static inline double treegen_gauss(treegen *t)
{
    double u = treegen_uniform(t), v = treegen_uniform(t);
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* Writes count points of H^n as Euclid tangent vectors (n doubles each) into
 * v; radii up to about max_radius. */
static inline void treegen_points(uint64_t seed, size_t count, size_t n, double max_radius,
                                  size_t branching, double spread, double *v)
{
    treegen t = { seed };
    size_t depth = 0;
    for (size_t c = 1, level = 1; c < count; depth++, level *= branching)
        c += level * branching;
    if (depth == 0)
        depth = 1;
    double step = max_radius / (double)depth;
    double *dir = malloc(n * sizeof *dir);
    for (size_t i = 0; i < count; i++) {
        double *x = v + i * n, r, norm = 0;
        if (i == 0) {
            for (size_t j = 0; j < n; j++)
                dir[j] = treegen_gauss(&t);
            r = 0.1 * step;
        } else {
            const double *p = v + ((i - 1) / branching) * n;
            double rp = 0;
            for (size_t j = 0; j < n; j++)
                rp += p[j] * p[j];
            rp = sqrt(rp);
            double s = spread * exp(-rp);
            if (s < 1e-13)
                s = 1e-13;
            for (size_t j = 0; j < n; j++)
                dir[j] = p[j] / rp + s * treegen_gauss(&t);
            r = rp + step * (0.75 + 0.5 * treegen_uniform(&t));
            if (r > max_radius)
                r = max_radius * (1 - 0.01 * treegen_uniform(&t));
        }
        for (size_t j = 0; j < n; j++)
            norm += dir[j] * dir[j];
        norm = sqrt(norm);
        for (size_t j = 0; j < n; j++)
            x[j] = dir[j] / norm * r;
    }
    free(dir);
}

#endif
