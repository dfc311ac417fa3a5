/*
 * point.c — the index's view of a stored point, whatever the store's
 * representation: binary64 coordinates, or the words of a fixed-point store
 * (q32, q64, q128; geom/hyp_fixed.h).  The rest of index/ handles a point
 * only as an opaque decoded buffer of g->xbytes bytes and goes through here
 * for everything that reads its coordinates.
 *
 * Decoded form.  A binary64 store's point is width doubles; a fixed store's
 * is its words in host order (hyp_fixed_decode), in a malloc'd buffer so
 * that a q128 word is aligned.  The stored bytes themselves are unaligned in
 * the map (LMDB aligns values to 2), so they are always decoded first.
 *
 * Search vector.  A fixed point's (a, c, u) is made exactly as a Lorentz
 * binary64 store's: from the spatial part x_s, which
 * hyp_fixed_lorentz_spatial rounds correctly from the words (integer
 * arithmetic only, so the same bits everywhere: the graph is a function of
 * the operations on every platform, as for binary64 stores).  That rounding
 * is an error the binary64 Lorentz path does not have; proxy.c accounts for
 * it (proxy_ec and the e_u term).
 *
 * Exact decisions.  hyp_dist_cmp / hyp_radius_cmp on binary64 points,
 * hyp_fixed_dist_cmp / hyp_fixed_radius_cmp on the words: both exact.  A
 * comparison that reports HYP_EUNDECIDED (distances equal to 2^-4000
 * relative; only Euclid can, and no such input is known) is a tie, broken
 * by id like any other, rather than an error that would fail the query.
 *
 * Reported values.  For a fixed store, a distance is hyp_fixed_dist_wide
 * (Q64.64, within 2^-64 of the exact distance between the stored points)
 * rounded to the nearest double in integer arithmetic, and a radius is the
 * same distance from the origin (whose words are all zero in both models a
 * fixed store may have).
 */
#include <math.h>
#include <string.h>

#include "index_internal.h"

__extension__ typedef unsigned __int128 ix_u128;

void point_setup(graph *g, const hyp_index *ix)
{
    g->fmt = ix->fmt;
    g->xbytes = ix->fmt ? hyp_fixed_size(ix->fmt, g->model, g->n) : g->width * sizeof(double);
    g->ec = proxy_ec(g->n, ix->fmt != 0);
}

int point_decode(const graph *g, const unsigned char *bytes, void *dst)
{
    if (g->fmt == 0) {
        hyp_f64_decode(bytes, g->width, dst);
        return HYP_OK;
    }
    return hyp_fixed_decode(g->fmt, g->model, g->n, bytes, dst);
}

int point_from_vector(graph *g, const double *v, void *dst)
{
    if (g->fmt)
        return hyp_fixed_from_double(g->fmt, g->model, g->n, v, dst);
    int rc = hyp_point_check(g->model, g->n, v);
    if (rc == HYP_OK)
        memcpy(dst, v, g->width * sizeof(double));
    return rc;
}

int point_prepare(graph *g, const void *x, double *a, double *c, double *u)
{
    if (g->fmt == 0)
        return proxy_prepare(g->model, g->n, x, g->scratch_x, a, c, u);
    int rc = hyp_fixed_lorentz_spatial(g->fmt, g->model, g->n, x, g->scratch_x);
    if (rc != HYP_OK)
        return rc;
    proxy_prepare_spatial(g->n, g->scratch_x, a, c, u);
    return HYP_OK;
}

int point_dist_cmp(const graph *g, const void *q, const void *x, const void *y, int *order)
{
    int rc = g->fmt ? hyp_fixed_dist_cmp(g->fmt, g->model, g->n, q, x, y, order)
                    : hyp_dist_cmp(g->model, g->n, q, x, y, order);
    if (rc == HYP_EUNDECIDED) { /* see the top comment: a tie */
        *order = 0;
        rc = HYP_OK;
    }
    return rc;
}

int point_radius_cmp(const graph *g, const void *x, const void *y, int *order)
{
    return g->fmt ? hyp_fixed_radius_cmp(g->fmt, g->model, g->n, x, y, order)
                  : hyp_radius_cmp(g->model, g->n, x, y, order);
}

/* d[1] + d[0] 2^-64 rounded to nearest, ties to even: the 128-bit integer
 * cut to 53 bits with the dropped bits deciding, then an exact ldexp. */
static double q64_64_to_double(const uint64_t d[2])
{
    ix_u128 v = ((ix_u128)d[1] << 64) | d[0];
    int bits = 0;
    for (ix_u128 t = v; t != 0; t >>= 1)
        bits++;
    if (bits <= 53)
        return ldexp((double)(uint64_t)v, -64);
    int drop = bits - 53;
    ix_u128 kept = v >> drop, low = v & (((ix_u128)1 << drop) - 1);
    ix_u128 half = (ix_u128)1 << (drop - 1);
    if (low > half || (low == half && (kept & 1)))
        kept++;
    return ldexp((double)(uint64_t)kept, drop - 64);
}

int point_dist(const graph *g, const void *x, const void *y, double *d)
{
    if (g->fmt == 0)
        return hyp_dist(g->model, g->n, x, y, d);
    uint64_t w[2];
    int rc = hyp_fixed_dist_wide(g->fmt, g->model, g->n, x, y, w);
    if (rc == HYP_OK)
        *d = q64_64_to_double(w);
    return rc;
}

int point_radius(const graph *g, const void *x, double *r)
{
    if (g->fmt == 0)
        return hyp_radius(g->model, g->n, x, r);
    return point_dist(g, g->zero, x, r);
}
