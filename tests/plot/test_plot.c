/*
 * test_plot.c — the geometry of `hyperstore plot` (tools/plot.h):
 *   - every edge arc is a geodesic: its circle is orthogonal to the rim,
 *     passes through both end points and through their hyperbolic midpoint,
 *     and turns the short way (the sense cmd_plot.c writes as sweep-flag);
 *   - the recentring isometry keeps distances and sends the focus to the
 *     centre, also far out (radius 45) where double would cancel;
 *   - dim 2 is drawn exactly (hyp_convert), the projection is exact in the
 *     principal plane and finds it;
 *   - the labelled points are the most general ones, ties by label.
 * Seeded inputs (a fixed LCG), no time(NULL).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plot.h"

#define PI 3.14159265358979323846

static uint64_t lcg = 12345;
static double uniform(void) /* [0, 1) */
{
    lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(lcg >> 11) * 0x1p-53;
}

/* cmocka 1.1.5 compares doubles as float: our own relative check. */
static void assert_rel(double got, double want, double tol, const char *what)
{
    double err = fabs(got - want) / (fabs(want) > 1e-300 ? fabs(want) : 1);
    if (!(err <= tol))
        fail_msg("%s: got %.17g, want %.17g (relative error %.3g > %.3g)", what, got, want, err,
                 tol);
}

/* The hyperbolic midpoint of two disk points, through the Lorentz model. */
static void midpoint(const double a[2], const double b[2], double m[2])
{
    double la[3], lb[3], s[3];
    assert_int_equal(hyp_convert(HYP_POINCARE, HYP_LORENTZ, 2, a, la), HYP_OK);
    assert_int_equal(hyp_convert(HYP_POINCARE, HYP_LORENTZ, 2, b, lb), HYP_OK);
    for (int i = 0; i < 3; i++)
        s[i] = la[i] + lb[i];
    double q = sqrt(s[0] * s[0] - s[1] * s[1] - s[2] * s[2]);
    double sp[2] = { s[1] / q, s[2] / q }, l[3];
    assert_int_equal(hyp_lorentz_lift(2, sp, l), HYP_OK);
    assert_int_equal(hyp_convert(HYP_LORENTZ, HYP_POINCARE, 2, l, m), HYP_OK);
}

static void random_disk_point(double p[2], double rmax)
{
    double r = tanh(rmax * uniform() / 2), t = 2 * PI * uniform();
    p[0] = r * cos(t);
    p[1] = r * sin(t);
}

static void test_arcs_are_geodesics(void **state)
{
    (void)state;
    int arcs = 0;
    for (int k = 0; k < 20000; k++) {
        double a[2], b[2], m[2];
        random_disk_point(a, 8);
        random_disk_point(b, 8);
        plot_arc arc;
        plot_geodesic(a, b, &arc);
        midpoint(a, b, m);
        if (arc.straight) {
            /* Only for (nearly) collinear ends: the chord bulges < 5e-5, so
             * the true midpoint lies within that of the segment's line. */
            double len = hypot(b[0] - a[0], b[1] - a[1]);
            double off = fabs((b[0] - a[0]) * (m[1] - a[1]) - (b[1] - a[1]) * (m[0] - a[0]));
            if (len > 0 && !(off / len <= 1e-4))
                fail_msg("straight edge off its geodesic by %g", off / len);
            continue;
        }
        arcs++;
        double c2 = arc.cx * arc.cx + arc.cy * arc.cy;
        /* Orthogonal to the rim: |c|^2 = r^2 + 1. */
        assert_rel(c2, arc.r * arc.r + 1, 1e-9 * (1 + arc.r), "orthogonality");
        assert_rel(hypot(arc.cx - b[0], arc.cy - b[1]), arc.r, 1e-9 * (1 + arc.r), "through b");
        assert_rel(hypot(arc.cx - m[0], arc.cy - m[1]), arc.r, 1e-9 * (1 + arc.r),
                   "through the midpoint");
        /* The midpoint is on the arc drawn: turning from a towards m has the
         * sense recorded in ccw. */
        double turn = (a[0] - arc.cx) * (m[1] - arc.cy) - (a[1] - arc.cy) * (m[0] - arc.cx);
        if ((turn > 0) != (arc.ccw != 0))
            fail_msg("arc %d turns the wrong way", k);
    }
    assert_true(arcs > 19000);
    /* Through the centre: a diameter piece. */
    double a[2] = { 0.5, 0.25 }, b[2] = { -0.3, -0.15 }, o[2] = { 0, 0 };
    plot_arc arc;
    plot_geodesic(a, b, &arc);
    assert_int_equal(arc.straight, 1);
    plot_geodesic(o, a, &arc);
    assert_int_equal(arc.straight, 1);
    /* Ideal end points on the rim (points beyond radius 37 are drawn there). */
    double e1[2] = { 1, 0 }, e2[2] = { 0, 1 };
    plot_geodesic(e1, e2, &arc);
    assert_int_equal(arc.straight, 0);
    assert_rel(arc.cx, 1, 1e-15, "ideal cx");
    assert_rel(arc.cy, 1, 1e-15, "ideal cy");
    assert_rel(arc.r, 1, 1e-15, "ideal r");
}

/* Lorentz spatial part of a point at radius r in direction u (unit). */
static void spatial(size_t n, const double *u, double r, double *xs)
{
    for (size_t i = 0; i < n; i++)
        xs[i] = sinh(r) * u[i];
}

static void random_unit(size_t n, double *u)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        u[i] = uniform() - 0.5;
        s += u[i] * u[i];
    }
    for (size_t i = 0; i < n; i++)
        u[i] /= sqrt(s);
}

static double dist_spatial(size_t n, const double *a, const double *b)
{
    double la[8], lb[8], d;
    assert_int_equal(hyp_lorentz_lift(n, a, la), HYP_OK);
    assert_int_equal(hyp_lorentz_lift(n, b, lb), HYP_OK);
    assert_int_equal(hyp_dist(HYP_LORENTZ, n, la, lb, &d), HYP_OK);
    return d;
}

static void test_recentre_is_an_isometry(void **state)
{
    (void)state;
    enum { N = 3, COUNT = 40 };
    double pts[COUNT * N], orig[COUNT * N], u[N];
    /* A cluster far out: radius 45 +- 0.5, directions within 1e-19 rad —
     * distances ~1 between points whose coordinates are ~1e19: the boost in
     * double would lose every bit. */
    random_unit(N, u);
    for (int k = 0; k < COUNT; k++) {
        double v[N], r = 45 + (uniform() - 0.5);
        for (int i = 0; i < N; i++)
            v[i] = u[i] + 1e-19 * (uniform() - 0.5);
        double s = 0;
        for (int i = 0; i < N; i++)
            s += v[i] * v[i];
        for (int i = 0; i < N; i++)
            v[i] /= sqrt(s);
        spatial(N, v, r, pts + k * N);
    }
    memcpy(orig, pts, sizeof pts);
    double p[N];
    memcpy(p, pts + 7 * N, sizeof p);
    assert_int_equal(plot_recentre(N, p, 46, pts, COUNT, NULL), 0);
    /* The focus goes to the centre. */
    double zero[N] = { 0 };
    assert_true(dist_spatial(N, pts + 7 * N, zero) < 1e-12);
    for (int k = 0; k < COUNT; k++) {
        /* Radius after = distance to the focus before. */
        double want = dist_spatial(N, orig + k * N, p);
        double got = dist_spatial(N, pts + k * N, zero);
        if (k != 7)
            assert_rel(got, want, 1e-12, "radius from the focus");
        for (int j = 0; j < k; j++)
            assert_rel(dist_spatial(N, pts + k * N, pts + j * N),
                       dist_spatial(N, orig + k * N, orig + j * N), 1e-11, "distance kept");
    }
}

static void test_disk_2d_exact(void **state)
{
    (void)state;
    for (int k = 0; k < 1000; k++) {
        double u[2], xs[2], l[3], want[2], got[2];
        random_unit(2, u);
        spatial(2, u, 30 * uniform(), xs);
        assert_int_equal(plot_disk_point(2, xs, NULL, got), HYP_OK);
        assert_int_equal(hyp_lorentz_lift(2, xs, l), HYP_OK);
        assert_int_equal(hyp_convert(HYP_LORENTZ, HYP_POINCARE, 2, l, want), HYP_OK);
        assert_memory_equal(got, want, sizeof got); /* bit for bit */
    }
    /* Beyond radius ~37.4 the point is on the rim, in its direction. */
    double u[2] = { 0.6, -0.8 }, xs[2], d[2];
    spatial(2, u, 50, xs);
    assert_int_equal(plot_disk_point(2, xs, NULL, d), HYP_OK);
    assert_rel(d[0], 0.6, 1e-15, "rim x");
    assert_rel(d[1], -0.8, 1e-15, "rim y");
}

static void test_projection(void **state)
{
    (void)state;
    enum { N = 5, COUNT = 4 * N };
    double *v = calloc(COUNT * N, sizeof *v), axes[2 * N];
    /* Points +-s, +-s/2 on each axis: sum v v^T is diagonal, so the
     * principal directions are axis 3 (s = 3), then axis 0 (s = 2). */
    const double sd[N] = { 2, 0.3, 0.25, 3, 0.35 };
    for (int i = 0; i < N; i++) {
        v[(4 * i + 0) * N + i] = sd[i];
        v[(4 * i + 1) * N + i] = -sd[i];
        v[(4 * i + 2) * N + i] = sd[i] / 2;
        v[(4 * i + 3) * N + i] = -sd[i] / 2;
    }
    assert_int_equal(plot_axes(N, v, COUNT, axes), 0);
    assert_rel(axes[3], 1, 1e-12, "e1 along axis 3");
    assert_rel(axes[N + 0], 1, 1e-12, "e2 along axis 0");
    double dot = 0;
    for (int i = 0; i < N; i++)
        dot += axes[i] * axes[N + i];
    assert_true(fabs(dot) < 1e-14);
    /* A point in the principal plane keeps its radius; others never grow. */
    double xs[N], d[2], r;
    for (int k = 0; k < 200; k++) {
        double w[N] = { 0 }, rad = 20 * uniform();
        double t = 2 * PI * uniform();
        for (int i = 0; i < N; i++)
            w[i] = cos(t) * axes[i] + sin(t) * axes[N + i];
        spatial(N, w, rad, xs);
        assert_int_equal(plot_disk_point(N, xs, axes, d), HYP_OK);
        r = 2 * atanh(hypot(d[0], d[1]));
        assert_rel(r, rad, 1e-9, "in-plane radius");
        random_unit(N, w);
        spatial(N, w, rad, xs);
        assert_int_equal(plot_disk_point(N, xs, axes, d), HYP_OK);
        assert_true(2 * atanh(hypot(d[0], d[1])) <= rad * (1 + 1e-12) + 1e-12);
    }
    free(v);
}

static void test_most_general(void **state)
{
    (void)state;
    /* Radii: b 0.1, a 0.5, c 0.5 (tie: label order a < c), d 0.5 with
     * "c" < "cc", e 2, f 0 (the origin). */
    double p[6 * 2];
    const double rad[6] = { 0.5, 0.1, 0.5, 0.5, 2, 0 };
    const double ang[6] = { 0.3, 1.0, 2.0, 4.0, 5.0, 0 };
    char *labels[6] = { "a", "b", "cc", "c", "e", "f" };
    size_t lens[6], order[6];
    for (int i = 0; i < 6; i++) {
        double t = tanh(rad[i] / 2);
        p[2 * i] = t * cos(ang[i]);
        p[2 * i + 1] = t * sin(ang[i]);
        lens[i] = strlen(labels[i]);
        order[i] = (size_t)i;
    }
    /* Make the three "0.5" radii exactly equal: same point rotated by
     * exact sign flips and swaps. */
    p[4] = -p[0];
    p[5] = p[1];
    p[6] = p[1];
    p[7] = -p[0];
    assert_int_equal(plot_most_general(HYP_POINCARE, 2, p, labels, lens, order, 6), 0);
    const size_t want[6] = { 5, 1, 0, 3, 2, 4 }; /* f b a c cc e */
    for (int i = 0; i < 6; i++)
        assert_int_equal(order[i], want[i]);
}

/* Do the text boxes of labels j and k (as plot.c sizes them) overlap? */
static int boxes_overlap(const plot_label *a, size_t ca, const plot_label *b, size_t cb,
                         double font)
{
    double wa = 0.6 * font * (double)ca, wb = 0.6 * font * (double)cb;
    double ax0 = a->end ? a->x - wa : a->x, bx0 = b->end ? b->x - wb : b->x;
    return ax0 < bx0 + wb && bx0 < ax0 + wa && a->y - 0.8 * font < b->y + 0.2 * font &&
           b->y - 0.8 * font < a->y + 0.2 * font;
}

static void test_label_spots(void **state)
{
    (void)state;
    plot_label out[10];
    size_t chars[10];
    double pts[20];
    /* Alone: beside the point, on the right; in the right part, on the left. */
    pts[0] = 0, pts[1] = 0, pts[2] = 300, pts[3] = 100, chars[0] = chars[1] = 5;
    assert_int_equal(plot_place_labels(2, pts, chars, 17, 540, out), 0);
    assert_true(out[0].x == 7 && out[0].y == -6 && !out[0].end);
    assert_true(out[1].x == 293 && out[1].y == 94 && out[1].end);
    /* Four labels on one point: four free spots, no two boxes overlap. */
    for (int k = 0; k < 10; k++)
        pts[2 * k] = -100, pts[2 * k + 1] = 50, chars[k] = 8;
    assert_int_equal(plot_place_labels(4, pts, chars, 17, 540, out), 0);
    for (int j = 0; j < 4; j++)
        for (int k = 0; k < j; k++)
            assert_false(boxes_overlap(&out[j], 8, &out[k], 8, 17));
    /* Ten on one point: six spots, so four are crowded; all are placed. */
    assert_int_equal(plot_place_labels(10, pts, chars, 17, 540, out), 4);
    /* At the picture's left edge, nothing sticks out on the left. */
    pts[0] = -530, pts[1] = 0;
    assert_int_equal(plot_place_labels(1, pts, chars, 17, 540, out), 0);
    assert_false(out[0].end);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arcs_are_geodesics),
        cmocka_unit_test(test_recentre_is_an_isometry),
        cmocka_unit_test(test_disk_2d_exact),
        cmocka_unit_test(test_projection),
        cmocka_unit_test(test_most_general),
        cmocka_unit_test(test_label_spots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
