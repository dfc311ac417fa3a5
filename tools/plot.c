/*
 * plot.c — the geometry of `hyperstore plot` (see plot.h for the pipeline
 * and why the projection is the one it is).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>

#include "plot.h"

void plot_geodesic(const double a[2], const double b[2], plot_arc *arc)
{
    double ax = a[0], ay = a[1], bx = b[0], by = b[1];
    double det = 2 * (ax * by - ay * bx);
    memset(arc, 0, sizeof *arc);
    arc->straight = 1;
    /* Collinear with the centre (or an end point at the centre): the geodesic
     * is the diameter's piece. */
    if (det == 0)
        return;
    double na = 1 + ax * ax + ay * ay, nb = 1 + bx * bx + by * by;
    double cx = (na * by - nb * ay) / det, cy = (nb * ax - na * bx) / det;
    /* The radius from an end point rather than sqrt(|c|^2 - 1): the arc then
     * passes through a to the last bit, whatever the conditioning of c. */
    double r = hypot(cx - ax, cy - ay);
    if (!(r <= PLOT_STRAIGHT_RADIUS)) /* also NaN and Inf from a tiny det */
        return;
    arc->straight = 0;
    arc->cx = cx;
    arc->cy = cy;
    arc->r = r;
    /* The arc inside the disk spans less than half its circle (2 atan(1/r)),
     * so the short way round from a to b is the geodesic: its turning sense
     * is the sign of the cross product of the radii to a and b. */
    arc->ccw = (ax - cx) * (by - cy) - (ay - cy) * (bx - cx) > 0;
}

/* |x| without overflow or underflow, for n doubles. */
static double norm_scaled(size_t n, const double *x)
{
    double m = 0, s = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(x[i]) > m)
            m = fabs(x[i]);
    if (m == 0 || !isfinite(m))
        return m;
    for (size_t i = 0; i < n; i++)
        s += (x[i] / m) * (x[i] / m);
    return m * sqrt(s);
}

/* The spatial part of point k (PLOT_FOCUS: the focus) at x's precision. */
static void spatial_of(const plot_exact *ex, size_t n, const double *xs, const double *p,
                       size_t k, mpfr_t *x)
{
    if (ex != NULL) {
        ex->spatial(ex->ctx, k == PLOT_FOCUS ? ex->focus : k, x);
        return;
    }
    const double *v = k == PLOT_FOCUS ? p : xs + k * n;
    for (size_t i = 0; i < n; i++)
        mpfr_set_d(x[i], v[i], MPFR_RNDN);
}

int plot_recentre(size_t n, const double *p, double rmax, double *xs, size_t count,
                  const plot_exact *ex)
{
    double rp = asinh(norm_scaled(n, p));
    /* See plot.h: the largest terms are about e^(rp + rx) / 2 and the image
     * about sinh(d); 96 bits beyond the terms' binary magnitude leave every
     * image correct to far below its last bit of double. */
    mpfr_prec_t prec = 96 + (mpfr_prec_t)ceil(1.45 * (rp + rmax));
    mpfr_t *pm = malloc(n * sizeof *pm), *xm = malloc(n * sizeof *xm);
    if (pm == NULL || xm == NULL) {
        free(pm);
        free(xm);
        return -1;
    }
    mpfr_t p0, x0, t, c, tmp;
    mpfr_inits2(prec, p0, x0, t, c, tmp, (mpfr_ptr)0);
    for (size_t i = 0; i < n; i++) {
        mpfr_init2(pm[i], prec);
        mpfr_init2(xm[i], prec);
    }
    spatial_of(ex, n, xs, p, PLOT_FOCUS, pm);
    mpfr_set_ui(p0, 1, MPFR_RNDN);
    for (size_t i = 0; i < n; i++)
        mpfr_fma(p0, pm[i], pm[i], p0, MPFR_RNDN);
    mpfr_sqrt(p0, p0, MPFR_RNDN);
    mpfr_add_ui(p0, p0, 1, MPFR_RNDN); /* p0 + 1 from here on */
    int rc = 0;
    for (size_t k = 0; k < count; k++) {
        double *x = xs + k * n;
        spatial_of(ex, n, xs, p, k, xm);
        mpfr_set_ui(x0, 1, MPFR_RNDN);
        mpfr_set_ui(t, 0, MPFR_RNDN);
        for (size_t i = 0; i < n; i++) {
            mpfr_fma(x0, xm[i], xm[i], x0, MPFR_RNDN);
            mpfr_fma(t, pm[i], xm[i], t, MPFR_RNDN);
        }
        mpfr_sqrt(x0, x0, MPFR_RNDN);
        mpfr_div(c, t, p0, MPFR_RNDN);
        mpfr_sub(c, c, x0, MPFR_RNDN);
        for (size_t i = 0; i < n; i++) {
            mpfr_fma(tmp, c, pm[i], xm[i], MPFR_RNDN);
            x[i] = mpfr_get_d(tmp, MPFR_RNDN);
            if (!isfinite(x[i]))
                rc = -1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        mpfr_clear(pm[i]);
        mpfr_clear(xm[i]);
    }
    mpfr_clears(p0, x0, t, c, tmp, (mpfr_ptr)0);
    free(pm);
    free(xm);
    mpfr_free_cache();
    return rc;
}

static double dot(size_t n, const double *a, const double *b)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* Scales x to unit length; returns its former length. */
static double normalise(size_t n, double *x)
{
    double len = sqrt(dot(n, x, x));
    if (len > 0)
        for (size_t i = 0; i < n; i++)
            x[i] /= len;
    return len;
}

/* z -= (z.q) q, for unit q. */
static void remove_along(size_t n, double *z, const double *q)
{
    double s = dot(n, z, q);
    for (size_t i = 0; i < n; i++)
        z[i] -= s * q[i];
}

/* Flips e so that its largest component (the first of equals) is positive. */
static void fix_sign(size_t n, double *e)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (fabs(e[i]) > fabs(e[best]))
            best = i;
    if (e[best] < 0)
        for (size_t i = 0; i < n; i++)
            e[i] = -e[i];
}

/* z1, z2 = M q1, M q2 with M = sum_i v_i v_i^T, in point order. */
static void apply(size_t n, const double *v, size_t count, const double *q, double *z)
{
    memset(z, 0, 2 * n * sizeof *z);
    for (size_t k = 0; k < count; k++) {
        const double *vk = v + k * n;
        double s1 = dot(n, vk, q), s2 = dot(n, vk, q + n);
        for (size_t i = 0; i < n; i++) {
            z[i] += s1 * vk[i];
            z[n + i] += s2 * vk[i];
        }
    }
}

int plot_axes(size_t n, const double *v, size_t count, double *axes)
{
    double *q = axes, *z = malloc(2 * n * sizeof *z);
    if (z == NULL)
        return -1;
    /* A fixed start with a component along every axis, so no principal
     * direction is orthogonal to it. */
    for (size_t i = 0; i < n; i++) {
        q[i] = 1.0 / (double)(i + 1);
        q[n + i] = (i % 2 ? -1.0 : 1.0) / (double)(i + 2);
    }
    normalise(n, q);
    remove_along(n, q + n, q);
    normalise(n, q + n);
    /* Subspace iteration: converges at the rate lambda3 / lambda2 to the top
     * two-dimensional eigenspace; 300 rounds are plenty for a picture, and
     * when the spread is isotropic any plane is as good as another. */
    for (int it = 0; it < 300; it++) {
        apply(n, v, count, q, z);
        if (normalise(n, z) == 0)
            break; /* every v is 0: keep the start */
        remove_along(n, z + n, z);
        if (normalise(n, z + n) == 0) { /* rank 1: any unit vector orthogonal to e1 */
            memcpy(z + n, q + n, n * sizeof *z);
            remove_along(n, z + n, z);
            if (normalise(n, z + n) == 0)
                break;
        }
        double change = 0;
        for (size_t i = 0; i < 2 * n; i++)
            change += fabs(z[i] - q[i]);
        memcpy(q, z, 2 * n * sizeof *z);
        if (change < 1e-13)
            break;
    }
    /* Rayleigh-Ritz in the plane found: rotate (q1, q2) onto the
     * eigenvectors of the 2x2 matrix Q^T M Q, largest first. */
    apply(n, v, count, q, z);
    double a = dot(n, q, z), b = dot(n, q, z + n), d = dot(n, q + n, z + n);
    double phi = 0.5 * atan2(2 * b, a - d);
    double cs = cos(phi), sn = sin(phi);
    for (size_t i = 0; i < n; i++) {
        double u = q[i], w = q[n + i];
        q[i] = cs * u + sn * w;
        q[n + i] = -sn * u + cs * w;
    }
    fix_sign(n, q);
    fix_sign(n, q + n);
    free(z);
    return 0;
}

int plot_log0(size_t n, const double *xs, double *v)
{
    double *x = malloc((n + 1) * sizeof *x);
    if (x == NULL)
        return ENOMEM;
    int rc = hyp_lorentz_lift(n, xs, x);
    if (rc == HYP_OK)
        rc = hyp_logmap0(HYP_LORENTZ, n, x, v);
    free(x);
    return rc;
}

/* The direction of u on the rim (the centre for u = 0). */
static void rim(const double u[2], double d[2])
{
    double len = hypot(u[0], u[1]);
    d[0] = len > 0 ? u[0] / len : 0;
    d[1] = len > 0 ? u[1] / len : 0;
}

int plot_disk_point(size_t n, const double *xs, const double *axes, double d[2])
{
    int rc;
    if (axes == NULL) {
        double x[3];
        if (n != 2)
            return HYP_EDIM;
        if ((rc = hyp_lorentz_lift(2, xs, x)) != HYP_OK)
            return rc;
        rc = hyp_convert(HYP_LORENTZ, HYP_POINCARE, 2, x, d);
        if (rc == HYP_ERANGE) { /* rounds onto the rim: draw it there */
            rim(xs, d);
            rc = HYP_OK;
        }
        return rc;
    }
    double *v = malloc(n * sizeof *v), w[2];
    if (v == NULL)
        return ENOMEM;
    rc = plot_log0(n, xs, v);
    if (rc == HYP_OK) {
        w[0] = dot(n, v, axes);
        w[1] = dot(n, v, axes + n);
        rc = hyp_expmap0(HYP_POINCARE, 2, w, d);
        if (rc == HYP_ERANGE) {
            rim(w, d);
            rc = HYP_OK;
        }
    }
    free(v);
    return rc;
}

struct sort_ctx {
    hyp_model model;
    size_t dim, width;
    const double *pts;
    char *const *labels;
    const size_t *lens;
    int err;
};

/* Exact radius order, then label bytes (a prefix first). */
static int cmp_general(struct sort_ctx *c, size_t i, size_t j)
{
    int order = 0, rc;
    rc = hyp_radius_cmp(c->model, c->dim, c->pts + i * c->width, c->pts + j * c->width, &order);
    if (rc != HYP_OK && c->err == 0)
        c->err = rc;
    if (order != 0)
        return order;
    size_t li = c->lens[i], lj = c->lens[j];
    int m = memcmp(c->labels[i], c->labels[j], li < lj ? li : lj);
    if (m != 0)
        return m;
    return li < lj ? -1 : li > lj;
}

static void merge_sort(struct sort_ctx *c, size_t *a, size_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(c, a, tmp, h);
    merge_sort(c, a + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_general(c, a[j], a[i]) < 0 ? a[j++] : a[i++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

int plot_most_general(hyp_model model, size_t dim, const double *pts, char *const *labels,
                      const size_t *lens, size_t *order, size_t count)
{
    struct sort_ctx c = { model, dim, hyp_model_width(model, dim), pts, labels, lens, 0 };
    size_t *tmp = malloc((count ? count : 1) * sizeof *tmp);
    if (tmp == NULL)
        return -1;
    merge_sort(&c, order, tmp, count);
    free(tmp);
    return c.err;
}

/* A label's box: [x0, x1] x [y0, y1]. */
typedef struct box {
    double x0, y0, x1, y1;
} box;

static box label_box(const plot_label *l, double width, double font)
{
    box b = { l->end ? l->x - width : l->x, l->y - 0.8 * font, 0, l->y + 0.2 * font };
    b.x1 = b.x0 + width;
    return b;
}

static double overlap(const box *a, const box *b)
{
    double w = fmin(a->x1, b->x1) - fmax(a->x0, b->x0);
    double h = fmin(a->y1, b->y1) - fmax(a->y0, b->y0);
    return w > 0 && h > 0 ? w * h : 0;
}

long plot_place_labels(size_t count, const double *pts, const size_t *chars, double font,
                       double half, plot_label *out)
{
    box *placed = malloc((count ? count : 1) * sizeof *placed);
    long crowded = 0;

    if (placed == NULL)
        return -1;
    for (size_t k = 0; k < count; k++) {
        double px = pts[2 * k], py = pts[2 * k + 1], width = 0.6 * font * (double)chars[k];
        int left_first = px > 0.4 * half;
        /* Beside the point (as a caption sits), then above and below it. */
        const double dy[3] = { -6, -6 - font, 6 + 0.8 * font };
        plot_label best = { 0 };
        double best_cost = INFINITY;
        for (int c = 0; c < 6 && best_cost > 0; c++) {
            int end = (c % 2 == 0) == left_first;
            plot_label l = { end ? px - 7 : px + 7, py + dy[c / 2], end };
            box b = label_box(&l, width, font);
            /* Leaving the picture costs as much as covering a label. */
            double cost = 0;
            if (b.x0 < -half || b.x1 > half || b.y0 < -half || b.y1 > half)
                cost += width * font;
            for (size_t j = 0; j < k; j++)
                cost += overlap(&b, &placed[j]);
            if (cost < best_cost) {
                best_cost = cost;
                best = l;
            }
        }
        out[k] = best;
        placed[k] = label_box(&best, width, font);
        crowded += best_cost > 0;
    }
    free(placed);
    return crowded;
}
