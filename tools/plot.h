/*
 * plot.h — the geometry behind `hyperstore plot`: where each point of a store
 * lands in the Poincaré disk, how a hierarchy edge is drawn, which labels
 * are written.  tools/cmd_plot.c reads the store and writes the SVG.
 *
 * Pipeline.  Every point is first taken to the spatial part x_s of its
 * Lorentz form (hyp_convert; a Lorentz store's x_s as stored, bit for bit;
 * a fixed-point store's from its words, hyp_fixed_lorentz_spatial, and for
 * the focus boost the exact words themselves: plot_exact).
 *
 *  1. Focus (optional): the Lorentz boost that maps the focus point p to the
 *     origin, an isometry of H^n (the Möbius map x -> (-p) (+) x of the
 *     ball).  It is evaluated in MPFR at 96 + 1.45 (r_p + r_max) bits, so the
 *     cancellation in p0 x0 - <p_s, x_s> (which loses about
 *     log2(e^(r_p + r_x)) bits) costs nothing: an image is correct to the
 *     last bits of double, at any radius the store can hold.
 *  2. Disk coordinates.
 *     dim 2: exact — the Poincaré point of x_s (hyp_convert).
 *     dim > 2: the log map at the centre (the origin, or the focus after
 *       step 1) followed by the orthogonal projection of T_0 H^n onto the
 *       plane of its two principal directions (the top eigenvectors of
 *       sum_i v_i v_i^T, v_i = log_0(x_i), not centred: the origin is the
 *       place that means "most general"), then exp_0 into the disk.
 *     Why this projection: in a hierarchy embedding the hyperbolic radius
 *     is the generality and the direction is the branch.  The log map at the
 *     centre keeps every radius and every angle at the centre; the projection
 *     keeps the two directions along which the points spread most, so the
 *     largest branches separate.  It is exact (an isometry) for points in
 *     that plane, never moves a point away from the centre, and is
 *     deterministic (subspace iteration from a fixed start in a fixed
 *     summation order, signs fixed by the largest component).
 *  Points whose disk image rounds onto the rim in binary64 (radius beyond
 *  ~37.4, hyp_convert's HYP_ERANGE) are drawn on the rim in their
 *  direction: at that radius a point is within 2^-53 of the rim anyway.
 *
 * Edges are geodesics of the disk between the drawn end points: arcs of
 * circles orthogonal to the unit circle, or segments through the centre.
 *
 * Labels: the N most general points — smallest hyperbolic radius in the
 * store as stored, ordered exactly (hyp_radius_cmp), ties by label bytes —
 * each placed at the first of six spots around its point where it overlaps
 * no label placed before it (plot_place_labels).
 */
#ifndef HYP_TOOLS_PLOT_H
#define HYP_TOOLS_PLOT_H

#include <stddef.h>

#include <mpfr.h>

#include "hyp_geom.h"

/* A geodesic between two points of the closed unit disk. */
typedef struct plot_arc {
    int straight;  /* 1: draw the segment (a diameter's piece, or an arc so
                      flat that it is the segment at any drawing size) */
    double cx, cy; /* centre of the circle orthogonal to the unit circle */
    double r;      /* its radius: r^2 + 1 = cx^2 + cy^2 */
    int ccw;       /* 1 if the arc from a to b turns counter-clockwise about
                      (cx, cy) in the disk's own axes (y up) */
} plot_arc;

/* Arcs with a radius above this are drawn straight: over a chord of at most
 * 2 they bulge by at most 4 / (8 r) = 5e-5 of the disk's radius. */
#define PLOT_STRAIGHT_RADIUS 1e4

/*
 * plot_geodesic — the geodesic from a to b (|a|, |b| <= 1) as a circle
 * orthogonal to the unit circle: the one through a, b and a's inverse
 * a / |a|^2, i.e. 2 c.a = 1 + |a|^2 and 2 c.b = 1 + |b|^2.  Straight when
 * a, b and the centre are (nearly) collinear.
 */
void plot_geodesic(const double a[2], const double b[2], plot_arc *arc);

/* Where plot_recentre may take the points from instead of their binary64
 * spatial parts: spatial(ctx, k, out) sets out[0..n) (initialised, at the
 * precision plot_recentre chose) to point k's spatial part, or the focus's
 * for k = focus.  A fixed-point store gives its exact words this way: a
 * q128 tree 60 levels deep has directions closer than binary64 resolves,
 * which the binary64 x_s would merge before the boost could separate them. */
typedef struct plot_exact {
    void (*spatial)(void *ctx, size_t k, mpfr_t *out);
    void *ctx;
    size_t focus;
} plot_exact;
#define PLOT_FOCUS ((size_t)-1)

/*
 * plot_recentre — applies to count Lorentz spatial parts xs (count * n
 * doubles, in place) the boost that maps the point with spatial part p (n
 * doubles) to the origin.  rmax: an upper bound of the radii of xs.
 *   x0' = p0 x0 - <p, x>,  x' = x + (<p, x> / (p0 + 1) - x0) p
 * computed in MPFR (see the file comment) and rounded once per coordinate;
 * ex (may be NULL) supplies the points more precisely than xs and p.
 * Returns 0, or -1 when an image overflows binary64 (radius beyond 710) or
 * memory runs out.
 */
int plot_recentre(size_t n, const double *p, double rmax, double *xs, size_t count,
                  const plot_exact *ex);

/*
 * plot_axes — the two principal directions of the tangent vectors v
 * (count * n doubles): [out] axes, 2 * n doubles, orthonormal, e1 the
 * direction of largest sum (v.e)^2.  n >= 2.  Returns 0 or -1 (out of
 * memory).
 */
int plot_axes(size_t n, const double *v, size_t count, double *axes);

/*
 * plot_disk_point — the disk position of the point with Lorentz spatial
 * part xs (n doubles).  axes: NULL for n = 2 (exact), else plot_axes's
 * result for the log maps of all points.  [out] d: 2 doubles, |d| <= 1.
 * Returns HYP_OK, the hyp_convert / hyp_logmap0 code of an invalid point,
 * or ENOMEM.
 */
int plot_disk_point(size_t n, const double *xs, const double *axes, double d[2]);

/* The log map at the origin of a Lorentz spatial part: [out] v, n doubles,
 * |v| = radius.  Returns HYP_OK, a hyp_logmap0 code or ENOMEM. */
int plot_log0(size_t n, const double *xs, double *v);

/*
 * plot_most_general — sorts order[0..count) (indexes into the points) by
 * radius, exactly (hyp_radius_cmp on the stored coordinates pts, count *
 * width doubles of model/dim), then by label bytes (labels[i], lens[i]);
 * a stable merge sort, so the result does not depend on qsort's choices.
 * Returns 0, -1 (out of memory) or the hyp_radius_cmp code of an invalid
 * point.
 */
int plot_most_general(hyp_model model, size_t dim, const double *pts, char *const *labels,
                      const size_t *lens, size_t *order, size_t count);

/* Where a label's text goes, in SVG units (y down). */
typedef struct plot_label {
    double x, y; /* the text's anchor, on its baseline */
    int end;     /* 1: text-anchor="end" (the text runs left of x) */
} plot_label;

/*
 * plot_place_labels — spots for labels so that they do not overlap.
 * Labels are placed in order (most general first).  Each tries six spots
 * around its point: beside it on the right and on the left (left first in
 * the right part of the picture, x > 0.4 half), then above and
 * below each; it takes the first whose box overlaps no box placed before
 * and stays inside [-half, half]^2, or else the spot of least overlap: every
 * label is written.  A box is 0.6 font per character wide (an average
 * sans-serif advance) and font high.
 *   [in] count, pts (2 per label: the point, SVG units), chars (characters
 *   of each label), font, half; [out] out[count].
 * Returns the number of labels that overlap one placed before them (0 when
 * every label found a free spot); -1 when out of memory.
 */
long plot_place_labels(size_t count, const double *pts, const size_t *chars, double font,
                       double half, plot_label *out);

#endif
