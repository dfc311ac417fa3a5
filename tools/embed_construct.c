/*
 * embed_construct.c — combinatorial embeddings of a tree, computed in MPFR
 * and rounded once to the output representation.
 *
 * Two constructions (embed.h):
 *
 * Ancestor caps (CONSTRUCT_CAPS).  The benchmark (poincare-embeddings'
 * reconstruction) asks, for every node u, that all its ancestors be closer
 * to u than every other node.  With the root at the origin, u's farthest
 * ancestor is the root, at distance R_u (u's radius), so it suffices that
 *   (A) d(u, a) <= R_u for every ancestor a, and
 *   (B) d(u, w) >  R_u for every other node w.
 * In polar coordinates (radius R, unit direction w) and for any two points,
 *   d(u, w) <= R_u  <=>  cos angle(u, w) >= coth(R_u) tanh(R_w / 2),
 * so a node w is "close to u" exactly when u's direction lies in a cap
 * around w's direction of angular radius theta(R_u, R_w), where
 *   1 - cos theta = sinh(R_u - R_w/2) / (sinh(R_u) cosh(R_w/2)),
 * which grows with R_u towards rho(R_w) = 2 atan(e^(-R_w/2)).  Give every
 * node a an outer cap O_a of radius rho(R_a) and an inner cap I_a of radius
 * iota_a = theta(R_c, R_a), R_c its children's radius.  Then (A) and (B)
 * hold for the whole tree if, recursively, the outer caps of a's children
 * are disjoint, lie inside I_a and leave out a's own direction, and radii
 * grow along every path (descendants of a are inside I_a, so (A); every
 * other node is outside O_a, so (B), since theta <= rho).
 * Children are placed on a ring at angle t from the parent's direction, in
 * directions from a spherical code on S^(n-2) (in 2-D: on both sides along
 * the circle); their caps shrink by a margin 1+m below what fits, which
 * leaves each comparison a slack of about 2 ln(1+m) in distance.  The radius
 * of the children follows from the cap they get (R = -2 ln tan(rho/2)), and
 * iota from that radius: the fixed point is found by bisection.  Radii grow
 * by about 2 ln(fan-out) per level in 2-D and 2 ln(2.5) in 10-D, so a deep
 * tree needs large radii: the margin is the largest (up to 1) that keeps
 * every radius within the representation's capacity.  A forest gets a
 * virtual root at the origin.
 *
 * Sarkar (CONSTRUCT_SARKAR).  Root at the origin, each edge of hyperbolic
 * length tau; the children of a node are spread around it with the
 * direction back to its parent as one point of a spherical code of c+1
 * points (equally spaced in 2-D: Sarkar 2011; a code in n-D: Sala et al.
 * 2018), using the boost of the Lorentz model that takes the origin to the
 * node.  tau = min(capacity / depth, 10).  Low distortion of the tree
 * metric; it does not make far ancestors close, so its reconstruction MAP
 * of a deep closure is low.
 *
 * Representation and scale.  The output is binary64 or one of the
 * fixed-point formats of geom/hyp_fixed.h (q32, q64, q128: words k 2^-F).
 * The scale is picked from the representation's capacity and the longest
 * path: the largest radius the representation can take with the rounding
 * moving no point by more than 2^-8 (embed_capacity in embed.h, which
 * derives the figures: Poincaré binary64 32, q128 82.8; Lorentz binary64
 * 60, q128 65.8), and then the caps margin is the largest that keeps the
 * deepest node within it, and Sarkar's tau = capacity / depth.  So a chain
 * of depth 50 that binary64 refuses (it needs radius ~70) fits a Poincaré
 * q128 store with MAP 1.
 *
 * Precision.  The plan (radii, angles, margins) is computed in double: it
 * only chooses numbers, and the margins absorb its rounding; its functions
 * are correctly rounded (MPFR, hyp_geom.h's), so it is the same plan on
 * every platform.  Directions
 * are sums of ever smaller offsets (caps of radius ~e^(-R/2)) and Lorentz
 * coordinates grow as e^R, so they are computed in MPFR with
 * 128 + 3 R_max / ln 2 bits (at least the 128 bits of the widest word) and
 * each output coordinate is rounded once from its MPFR value: to binary64
 * (round to nearest), or to the word k = round(x 2^F) with ties to even,
 * the rule of hyp_fixed_from_double (embed_fixed.c), never through a
 * double.  Every point is then checked (hyp_point_check, hyp_fixed_check).
 * MPFR is therefore a runtime dependency of the CLI.
 *
 * Spherical codes: greedy max-min over seeded candidates (GSL's mt19937,
 * points of the cube normalised, so only sqrt is involved); the first
 * point is e_1.  On a circle, equally spaced points.
 */
#include "embed.h"
#include "embed_fixed.h"
#include "fixed_mp.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "cli.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#ifndef M_LN2
#define M_LN2 0.69314718055994530942
#endif

/* The plan's trigonometry, correctly rounded by MPFR (and its hyperbolic
 * functions from hyp_geom.h), so that the plan, and with it every output
 * bit, is the same on every platform: libm's sin or tan may differ in the
 * last bit between CPUs, and a radius chosen one ulp apart moves every
 * point below it. */
static double cr_fn(int (*f)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t), double x)
{
    mpfr_t t;
    mpfr_init2(t, 53);
    mpfr_set_d(t, x, MPFR_RNDN);
    f(t, t, MPFR_RNDN);
    double r = mpfr_get_d(t, MPFR_RNDN);
    mpfr_clear(t);
    return r;
}
static double cr_sin(double x) { return cr_fn(mpfr_sin, x); }
static double cr_cos(double x) { return cr_fn(mpfr_cos, x); }
static double cr_tan(double x) { return cr_fn(mpfr_tan, x); }
static double cr_asin(double x) { return cr_fn(mpfr_asin, x); }

int embedding_alloc(embedding *e, hyp_model model, size_t dim, size_t count)
{
    memset(e, 0, sizeof *e);
    e->model = model;
    e->dim = dim;
    e->width = hyp_model_width(model, dim);
    e->count = count;
    e->x = calloc(count * e->width + 1, sizeof *e->x);
    return e->x == NULL ? -1 : 0;
}

int embedding_alloc_fixed(embedding *e, hyp_model model, size_t dim, hyp_fixed_format format,
                          size_t count)
{
    memset(e, 0, sizeof *e);
    e->model = model;
    e->dim = dim;
    e->width = hyp_model_width(model, dim);
    e->count = count;
    e->fixed = 1;
    e->format = format;
    e->qsize = hyp_fixed_size(format, model, dim);
    if (e->qsize == 0)
        return -1;
    /* All-zero words are the origin in every format and model. */
    e->q = calloc(count + 1, e->qsize);
    return e->q == NULL ? -1 : 0;
}

void embedding_free(embedding *e)
{
    free(e->x);
    free(e->q);
    e->x = NULL;
    e->q = NULL;
}

/* ---- spherical codes ---- */

typedef struct code {
    size_t k, c;     /* c unit vectors in R^k */
    double *y;       /* c * k */
    double min_angle;
    struct code *next;
} code;

static void code_free_all(code *list)
{
    while (list != NULL) {
        code *next = list->next;
        free(list->y);
        free(list);
        list = next;
    }
}

static double angle_of(const double *a, const double *b, size_t k)
{
    /* 2 asin(|a-b|/2) is accurate for small angles, unlike acos. */
    double s = 0;
    for (size_t i = 0; i < k; i++)
        s += (a[i] - b[i]) * (a[i] - b[i]);
    double h = sqrt(s) / 2;
    return 2 * cr_asin(h > 1 ? 1 : h);
}

/* The code of c points in R^k (k >= 1), cached in *cache. */
static const code *get_code(code **cache, size_t k, size_t c)
{
    for (code *q = *cache; q != NULL; q = q->next)
        if (q->k == k && q->c == c)
            return q;
    code *q = calloc(1, sizeof *q);
    if (q == NULL)
        return NULL;
    q->k = k;
    q->c = c;
    q->y = calloc(c * k, sizeof *q->y);
    if (q->y == NULL) {
        free(q);
        return NULL;
    }
    if (k == 1) { /* S^0: at most two points */
        q->y[0] = 1;
        if (c > 1)
            q->y[1] = -1;
    } else if (k == 2) {
        for (size_t i = 0; i < c; i++) {
            q->y[2 * i] = cr_cos(2 * M_PI * (double)i / (double)c);
            q->y[2 * i + 1] = cr_sin(2 * M_PI * (double)i / (double)c);
        }
    } else {
        size_t K = 20 * c + 200;
        double *cand = malloc(K * k * sizeof *cand), *maxdot = malloc(K * sizeof *maxdot);
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (cand == NULL || maxdot == NULL || rng == NULL) {
            free(cand);
            free(maxdot);
            if (rng != NULL)
                gsl_rng_free(rng);
            free(q->y);
            free(q);
            return NULL;
        }
        gsl_rng_set(rng, 0x5eedUL + 1000003UL * k + c);
        for (size_t j = 0; j < K; j++) {
            double s;
            do {
                s = 0;
                for (size_t i = 0; i < k; i++) {
                    double v = 2 * gsl_rng_uniform(rng) - 1;
                    cand[j * k + i] = v;
                    s += v * v;
                }
            } while (s < 1e-4);
            s = sqrt(s);
            for (size_t i = 0; i < k; i++)
                cand[j * k + i] /= s;
            maxdot[j] = cand[j * k]; /* dot with the first point, e_1 */
        }
        q->y[0] = 1;
        for (size_t m = 1; m < c; m++) {
            size_t best = 0;
            for (size_t j = 1; j < K; j++)
                if (maxdot[j] < maxdot[best])
                    best = j;
            memcpy(q->y + m * k, cand + best * k, k * sizeof *q->y);
            for (size_t j = 0; j < K; j++) {
                double d = 0;
                for (size_t i = 0; i < k; i++)
                    d += cand[j * k + i] * q->y[m * k + i];
                if (d > maxdot[j])
                    maxdot[j] = d;
            }
        }
        free(cand);
        free(maxdot);
        gsl_rng_free(rng);
    }
    q->min_angle = M_PI;
    for (size_t i = 0; i < c; i++)
        for (size_t j = i + 1; j < c; j++) {
            double a = angle_of(q->y + i * k, q->y + j * k, k);
            if (a < q->min_angle)
                q->min_angle = a;
        }
    q->next = *cache;
    *cache = q;
    return q;
}

/* ---- the caps plan (double) ---- */

/* theta(Ru, Rw): the angle at which w is at distance Ru from u. */
static double cap_theta(double ru, double rw)
{
    double one_minus_c = hyp_sinh(ru - rw / 2) / (hyp_sinh(ru) * hyp_cosh(rw / 2));
    if (!(one_minus_c > 0))
        return 0;
    double h = sqrt(one_minus_c / 2);
    return 2 * cr_asin(h > 1 ? 1 : h);
}

/* The radius whose outer cap has angular radius rho. */
static double radius_of_cap(double rho)
{
    return -2 * hyp_log(cr_tan(rho / 2));
}

typedef struct place {
    double rc;    /* children's radius */
    double t;     /* ring angle (n >= 3), or the half slot width (2-D) */
} place;

/* The outer-cap radius the children get when the inner cap is iota. */
static double child_cap(size_t n, size_t c, const code *cd, double iota, double margin,
                        double *t)
{
    double rho;
    if (n == 2) {
        size_t side = (c + 1) / 2;
        *t = iota / (double)(2 * side); /* slot half-width: centres at (2j+1) t */
        rho = *t;
    } else if (c == 1) {
        *t = iota / 2;
        rho = *t;
    } else {
        double s = cr_sin(cd->min_angle / 2);
        *t = iota / (1 + s);
        double sep = 2 * cr_asin(cr_sin(*t) * s);
        rho = fmin(sep / 2, fmin(*t, iota - *t));
    }
    return rho / (1 + margin);
}

/* Children of a non-root node of radius ra: the fixed point of
 * g(R) = radius_of_cap(child_cap(theta(R, ra))), found by bisection on a
 * bracket whose lower end stays valid (g(lo) >= lo). */
static place plan_children(size_t n, size_t c, const code *cd, double ra, double margin)
{
    place p;
    double t, lo = ra, hi = radius_of_cap(child_cap(n, c, cd, cap_theta(ra, ra), margin, &t));
    for (int it = 0; it < 60 && hi - lo > 1e-12 * hi; it++) {
        double mid = lo + (hi - lo) / 2;
        double g = radius_of_cap(child_cap(n, c, cd, cap_theta(mid, ra), margin, &t));
        if (g >= mid)
            lo = mid;
        else
            hi = mid;
    }
    p.rc = radius_of_cap(child_cap(n, c, cd, cap_theta(lo, ra), margin, &p.t));
    return p;
}

/* Children of the origin (the root, or the virtual root of a forest). */
static place plan_origin(size_t n, size_t c, const code *cd, double margin)
{
    place p;
    double rho = c == 1 ? M_PI / 2 : cd->min_angle / 2;
    (void)n;
    p.t = 0;
    p.rc = radius_of_cap(rho / (1 + margin));
    return p;
}

/* Radii of every node for a margin; returns the largest, or -1 out of
 * memory.  roots_at_origin: one root, placed at the origin. */
static double plan_caps(const hier *h, size_t n, double margin, code **cache, double *radius)
{
    double rmax = 0;
    int single = h->roots == 1;
    if (!single) {
        const code *cd = get_code(cache, n, h->roots);
        if (cd == NULL)
            return -1;
        place p = plan_origin(n, h->roots, cd, margin);
        for (size_t u = 0; u < h->n; u++)
            if (h->parent[u] == HIER_NONE)
                radius[u] = p.rc;
    }
    for (size_t i = 0; i < h->n; i++) {
        size_t a = h->order[i], c = h->child_off[a + 1] - h->child_off[a];
        if (h->parent[a] == HIER_NONE && single)
            radius[a] = 0;
        if (radius[a] > rmax)
            rmax = radius[a];
        if (c == 0)
            continue;
        const code *cd = get_code(cache, radius[a] == 0 ? n : n - 1, c);
        if (cd == NULL)
            return -1;
        place p = radius[a] == 0 ? plan_origin(n, c, cd, margin)
                                 : plan_children(n, c, cd, radius[a], margin);
        for (size_t k = h->child_off[a]; k < h->child_off[a + 1]; k++)
            radius[h->child[k]] = p.rc;
    }
    return rmax;
}

/* ---- MPFR vectors ---- */

typedef struct mvec {
    mpfr_t *v;
    size_t len;
} mvec;

static int mvec_init(mvec *m, size_t len, mpfr_prec_t prec)
{
    m->v = NULL;
    m->len = 0;
    if (len == 0 || len > HYP_DIM_MAX + 1)
        return -1;
    m->v = malloc(len * sizeof *m->v);
    m->len = len;
    if (m->v == NULL)
        return -1;
    for (size_t i = 0; i < len; i++)
        mpfr_init2(m->v[i], prec);
    return 0;
}

static void mvec_clear(mvec *m)
{
    if (m->v == NULL)
        return;
    for (size_t i = 0; i < m->len; i++)
        mpfr_clear(m->v[i]);
    free(m->v);
    m->v = NULL;
}

/* Scratch numbers for one construction. */
typedef struct work {
    mpfr_prec_t prec;
    size_t n;
    mpfr_t s, t1, t2, ct, st;
    mvec hv, tan; /* Householder vector, tangent */
    mvec out;     /* the point being emitted: its n model coordinates
                     (Poincaré x, or the Lorentz spatial part) */
    int F;        /* fixed output: fraction bits of a word */
    mpz_t k;      /* fixed output: the rounded word */
    size_t bad;   /* the node whose point did not fit, when emit failed */
} work;

static void dot(work *w, mpfr_t out, const mpfr_t *a, const mpfr_t *b, size_t len)
{
    mpfr_set_ui(out, 0, MPFR_RNDN);
    for (size_t i = 0; i < len; i++) {
        mpfr_mul(w->t1, a[i], b[i], MPFR_RNDN);
        mpfr_add(out, out, w->t1, MPFR_RNDN);
    }
}

static void normalise(work *w, mpfr_t *v, size_t len)
{
    dot(w, w->s, v, v, len);
    mpfr_sqrt(w->s, w->s, MPFR_RNDN);
    for (size_t i = 0; i < len; i++)
        mpfr_div(v[i], v[i], w->s, MPFR_RNDN);
}

/*
 * Sets out = Q (0, y) for y in R^(len-1) (or Q y for a full-length y when
 * full), with Q the orthogonal map taking e_1 to the unit vector u:
 * Q = -s H, H = I - 2 h h^T / |h|^2, h = u + s e_1, s = sign(u_1); |h|^2 =
 * 2(1 + |u_1|) >= 2, so no cancellation.
 */
static void frame_apply(work *w, const mpfr_t *u, size_t len, const double *y, int full,
                        mpfr_t *out)
{
    int s = mpfr_sgn(u[0]) >= 0 ? 1 : -1;
    for (size_t i = 0; i < len; i++)
        mpfr_set(w->hv.v[i], u[i], MPFR_RNDN);
    if (s > 0)
        mpfr_add_ui(w->hv.v[0], w->hv.v[0], 1, MPFR_RNDN);
    else
        mpfr_sub_ui(w->hv.v[0], w->hv.v[0], 1, MPFR_RNDN);
    /* z = the input vector in R^len */
    for (size_t i = 0; i < len; i++) {
        if (full)
            mpfr_set_d(out[i], y[i], MPFR_RNDN);
        else
            mpfr_set_d(out[i], i == 0 ? 0.0 : y[i - 1], MPFR_RNDN);
    }
    dot(w, w->t2, w->hv.v, out, len);     /* h.z */
    dot(w, w->s, w->hv.v, w->hv.v, len);  /* |h|^2 */
    mpfr_div(w->t2, w->t2, w->s, MPFR_RNDN);
    mpfr_mul_2ui(w->t2, w->t2, 1, MPFR_RNDN); /* 2 h.z / |h|^2 */
    for (size_t i = 0; i < len; i++) {
        mpfr_mul(w->t1, w->hv.v[i], w->t2, MPFR_RNDN);
        mpfr_sub(out[i], out[i], w->t1, MPFR_RNDN); /* H z */
        if (s > 0)
            mpfr_neg(out[i], out[i], MPFR_RNDN);
    }
}

/*
 * Rounds w->out (the point's n model coordinates in MPFR) into point id of
 * e, once per coordinate: to binary64 (nearest; a Lorentz x0 is then
 * derived by hyp_lorentz_lift), or to a word k = round(x 2^F), ties to
 * even.  Returns 0, or -1 when a coordinate does not fit a word (w->bad =
 * id; the capacity keeps that from happening, this is the guard).
 */
static int emit_point(work *w, embedding *e, size_t id)
{
    size_t n = e->dim;
    if (e->fixed) {
        void *q = embedding_words(e, id);
        for (size_t i = 0; i < n; i++) {
            mpfr_set(w->t1, w->out.v[i], MPFR_RNDN);
            if (fixed_mp_round(e->format, w->F, w->t1, w->k, q, i) != HYP_OK) {
                w->bad = id;
                return -1;
            }
        }
        return 0;
    }
    double *x = e->x + id * e->width;
    double xs[HYP_DIM_MAX];
    for (size_t i = 0; i < n; i++)
        xs[i] = mpfr_get_d(w->out.v[i], MPFR_RNDN);
    if (e->model == HYP_POINCARE)
        memcpy(x, xs, n * sizeof *x);
    else
        hyp_lorentz_lift(n, xs, x);
    return 0;
}

/* Emits the point of radius r (double) and unit direction dir. */
static int emit_polar(work *w, embedding *e, size_t id, double r, const mpfr_t *dir)
{
    mpfr_set_d(w->s, r, MPFR_RNDN);
    if (e->model == HYP_POINCARE) {
        mpfr_div_2ui(w->s, w->s, 1, MPFR_RNDN);
        mpfr_tanh(w->s, w->s, MPFR_RNDN);
    } else {
        mpfr_sinh(w->s, w->s, MPFR_RNDN);
    }
    for (size_t i = 0; i < e->dim; i++)
        mpfr_mul(w->out.v[i], w->s, dir[i], MPFR_RNDN);
    return emit_point(w, e, id);
}

static int work_init(work *w, const embedding *e, mpfr_prec_t prec)
{
    size_t n = e->dim;
    w->prec = prec;
    w->n = n;
    w->F = e->fixed ? hyp_fixed_frac_bits(e->format, e->model) : 0;
    w->bad = 0;
    mpfr_inits2(prec, w->s, w->t1, w->t2, w->ct, w->st, (mpfr_ptr)0);
    mpz_init(w->k);
    w->hv.v = w->tan.v = w->out.v = NULL;
    return mvec_init(&w->hv, n + 1, prec) || mvec_init(&w->tan, n + 1, prec) ||
                   mvec_init(&w->out, n, prec)
               ? -1
               : 0;
}

static void work_clear(work *w)
{
    mpfr_clears(w->s, w->t1, w->t2, w->ct, w->st, (mpfr_ptr)0);
    mpz_clear(w->k);
    mvec_clear(&w->hv);
    mvec_clear(&w->tan);
    mvec_clear(&w->out);
}

/* ---- caps placement ---- */

static int place_caps(const hier *h, embedding *e, double margin, const double *radius,
                      code **cache, mpfr_prec_t prec, size_t *bad)
{
    size_t n = e->dim;
    work w;
    int rc = CLI_EXIT_INTERNAL;
    mvec *dir = calloc(h->n, sizeof *dir); /* live from placement to children */
    if (dir == NULL || work_init(&w, e, prec) != 0) {
        free(dir);
        return rc;
    }
    int single = h->roots == 1;
    if (!single) { /* the roots are the children of a virtual origin */
        const code *cd = get_code(cache, n, h->roots);
        if (cd == NULL)
            goto out;
        size_t j = 0;
        for (size_t u = 0; u < h->n; u++) {
            if (h->parent[u] != HIER_NONE)
                continue;
            if (mvec_init(&dir[u], n, prec) != 0)
                goto out;
            for (size_t i = 0; i < n; i++)
                mpfr_set_d(dir[u].v[i], cd->y[j * n + i], MPFR_RNDN);
            normalise(&w, dir[u].v, n);
            j++;
        }
    }
    for (size_t oi = 0; oi < h->n; oi++) {
        size_t a = h->order[oi], c = h->child_off[a + 1] - h->child_off[a];
        if (radius[a] == 0) { /* the root at the origin */
            if (e->fixed) {
                memset(embedding_words(e, a), 0, e->qsize);
            } else {
                memset(e->x + a * e->width, 0, e->width * sizeof *e->x);
                e->x[a * e->width] = e->model == HYP_LORENTZ ? 1.0 : 0.0;
            }
        } else if (emit_polar(&w, e, a, radius[a], dir[a].v) != 0) {
            *bad = w.bad;
            rc = CLI_EXIT_REJECTED;
            goto out;
        }
        if (c > 0) {
            int origin = radius[a] == 0;
            const code *cd = get_code(cache, origin ? n : n - 1, c);
            if (cd == NULL)
                goto out;
            place p = origin ? plan_origin(n, c, cd, margin)
                             : plan_children(n, c, cd, radius[a], margin);
            for (size_t k = h->child_off[a]; k < h->child_off[a + 1]; k++) {
                size_t b = h->child[k], j = k - h->child_off[a];
                if (mvec_init(&dir[b], n, prec) != 0)
                    goto out;
                if (origin) {
                    for (size_t i = 0; i < n; i++)
                        mpfr_set_d(dir[b].v[i], cd->y[j * n + i], MPFR_RNDN);
                } else {
                    double ang;
                    if (n == 2) {
                        /* Slots (2q+1) t on alternate sides of the parent. */
                        double y = j % 2 == 0 ? 1.0 : -1.0;
                        ang = (double)(2 * (j / 2) + 1) * p.t;
                        frame_apply(&w, dir[a].v, n, &y, 0, w.tan.v);
                    } else {
                        ang = p.t;
                        frame_apply(&w, dir[a].v, n, cd->y + j * (n - 1), 0, w.tan.v);
                    }
                    /* child = cos(ang) parent + sin(ang) tangent */
                    mpfr_set_d(w.ct, ang, MPFR_RNDN);
                    mpfr_sin_cos(w.st, w.ct, w.ct, MPFR_RNDN);
                    for (size_t i = 0; i < n; i++) {
                        mpfr_mul(dir[b].v[i], dir[a].v[i], w.ct, MPFR_RNDN);
                        mpfr_mul(w.t1, w.tan.v[i], w.st, MPFR_RNDN);
                        mpfr_add(dir[b].v[i], dir[b].v[i], w.t1, MPFR_RNDN);
                    }
                }
                normalise(&w, dir[b].v, n);
            }
        }
        mvec_clear(&dir[a]);
    }
    rc = CLI_EXIT_OK;
out:
    for (size_t u = 0; u < h->n; u++)
        mvec_clear(&dir[u]);
    free(dir);
    work_clear(&w);
    return rc;
}

/* ---- Sarkar placement (Lorentz vectors in MPFR) ---- */

/* out = L_a(0, z): the unit tangent at a that the boost taking the origin
 * to a makes of the unit tangent z at the origin:
 * (a_s.z, z + (a_s.z)/(a0 + 1) a_s). */
static void boost_tangent(work *w, const mpfr_t *a, const mpfr_t *z, size_t n, mpfr_t *out)
{
    dot(w, w->t2, a + 1, z, n);
    mpfr_add_ui(w->s, a[0], 1, MPFR_RNDN);
    mpfr_div(w->s, w->t2, w->s, MPFR_RNDN);
    mpfr_set(out[0], w->t2, MPFR_RNDN);
    for (size_t i = 0; i < n; i++) {
        mpfr_mul(w->t1, w->s, a[1 + i], MPFR_RNDN);
        mpfr_add(out[1 + i], z[i], w->t1, MPFR_RNDN);
    }
}

static int place_sarkar(const hier *h, embedding *e, double tau, code **cache,
                        mpfr_prec_t prec, size_t *bad)
{
    size_t n = e->dim;
    work w;
    int rc = CLI_EXIT_INTERNAL;
    mvec *pt = calloc(h->n, sizeof *pt); /* Lorentz points, n + 1 coordinates */
    mvec z = { 0 }, zp = { 0 };
    mpfr_t ch, sh;
    if (pt == NULL || work_init(&w, e, prec) != 0) {
        free(pt);
        return rc;
    }
    mpfr_inits2(prec, ch, sh, (mpfr_ptr)0);
    mpfr_set_d(ch, tau, MPFR_RNDN);
    mpfr_sinh_cosh(sh, ch, ch, MPFR_RNDN);
    if (mvec_init(&z, n, prec) != 0 || mvec_init(&zp, n, prec) != 0)
        goto out;
    /* Roots: at the origin if alone, else at distance tau around it. */
    {
        const code *cd = h->roots > 1 ? get_code(cache, n, h->roots) : NULL;
        size_t j = 0;
        if (h->roots > 1 && cd == NULL)
            goto out;
        for (size_t u = 0; u < h->n; u++) {
            if (h->parent[u] != HIER_NONE)
                continue;
            if (mvec_init(&pt[u], n + 1, prec) != 0)
                goto out;
            if (h->roots == 1) {
                mpfr_set_ui(pt[u].v[0], 1, MPFR_RNDN);
                for (size_t i = 0; i < n; i++)
                    mpfr_set_ui(pt[u].v[1 + i], 0, MPFR_RNDN);
            } else {
                for (size_t i = 0; i < n; i++)
                    mpfr_set_d(z.v[i], cd->y[j * n + i], MPFR_RNDN);
                normalise(&w, z.v, n);
                mpfr_set(pt[u].v[0], ch, MPFR_RNDN);
                for (size_t i = 0; i < n; i++)
                    mpfr_mul(pt[u].v[1 + i], z.v[i], sh, MPFR_RNDN);
                j++;
            }
        }
    }
    for (size_t oi = 0; oi < h->n; oi++) {
        size_t a = h->order[oi], c = h->child_off[a + 1] - h->child_off[a];
        size_t par = h->parent[a];
        /* Emit a: spatial part, Poincaré x_s / (1 + x0). */
        mpfr_add_ui(w.s, pt[a].v[0], 1, MPFR_RNDN);
        for (size_t i = 0; i < n; i++) {
            if (e->model == HYP_POINCARE)
                mpfr_div(w.out.v[i], pt[a].v[1 + i], w.s, MPFR_RNDN);
            else
                mpfr_set(w.out.v[i], pt[a].v[1 + i], MPFR_RNDN);
        }
        if (emit_point(&w, e, a) != 0) {
            *bad = w.bad;
            rc = CLI_EXIT_REJECTED;
            goto out;
        }
        if (c == 0)
            goto next;
        int at_origin = h->roots == 1 && par == HIER_NONE;
        /* Directions: c points, or c + 1 with the first towards the parent. */
        const code *cd = get_code(cache, n, at_origin ? c : c + 1);
        if (cd == NULL)
            goto out;
        int have_back = 0;
        if (!at_origin) {
            /* zp = the direction of the parent seen from a, at the origin:
             * spatial part of L_a^{-1}(p) = p_s - p0 a_s + (a_s.p_s)/(a0+1) a_s. */
            const mpfr_t *pp;
            mvec origin = { 0 };
            if (par == HIER_NONE) { /* a forest root: its "parent" is the origin */
                if (mvec_init(&origin, n + 1, prec) != 0)
                    goto out;
                mpfr_set_ui(origin.v[0], 1, MPFR_RNDN);
                for (size_t i = 0; i < n; i++)
                    mpfr_set_ui(origin.v[1 + i], 0, MPFR_RNDN);
                pp = origin.v;
            } else {
                pp = pt[par].v;
            }
            dot(&w, w.t2, pt[a].v + 1, pp + 1, n);
            mpfr_add_ui(w.s, pt[a].v[0], 1, MPFR_RNDN);
            mpfr_div(w.t2, w.t2, w.s, MPFR_RNDN);
            mpfr_sub(w.t2, w.t2, pp[0], MPFR_RNDN);
            for (size_t i = 0; i < n; i++) {
                mpfr_mul(w.t1, w.t2, pt[a].v[1 + i], MPFR_RNDN);
                mpfr_add(zp.v[i], pp[1 + i], w.t1, MPFR_RNDN);
            }
            normalise(&w, zp.v, n);
            mvec_clear(&origin);
            have_back = 1;
        }
        for (size_t k = h->child_off[a]; k < h->child_off[a + 1]; k++) {
            size_t b = h->child[k], j = k - h->child_off[a] + (size_t)have_back;
            if (mvec_init(&pt[b], n + 1, prec) != 0)
                goto out;
            if (have_back)
                frame_apply(&w, zp.v, n, cd->y + j * n, 1, z.v); /* e_1 -> zp */
            else
                for (size_t i = 0; i < n; i++)
                    mpfr_set_d(z.v[i], cd->y[j * n + i], MPFR_RNDN);
            normalise(&w, z.v, n);
            /* b = cosh(tau) a + sinh(tau) L_a(0, z) */
            boost_tangent(&w, pt[a].v, z.v, n, w.tan.v);
            for (size_t i = 0; i <= n; i++) {
                mpfr_mul(pt[b].v[i], pt[a].v[i], ch, MPFR_RNDN);
                mpfr_mul(w.t1, w.tan.v[i], sh, MPFR_RNDN);
                mpfr_add(pt[b].v[i], pt[b].v[i], w.t1, MPFR_RNDN);
            }
        }
    next:; /* pt[a] stays: its children need it for their back direction */
    }
    rc = CLI_EXIT_OK;
out:
    for (size_t u = 0; u < h->n; u++)
        mvec_clear(&pt[u]);
    free(pt);
    mvec_clear(&z);
    mvec_clear(&zp);
    mpfr_clears(ch, sh, (mpfr_ptr)0);
    work_clear(&w);
    return rc;
}

/* ---- entry point ---- */

/* "binary64" or the fixed format's name, for messages. */
static const char *repr_name(int fixed, hyp_fixed_format format)
{
    return fixed ? hyp_fixed_name(format) : "binary64";
}

/* Why a tree does not fit, with what might: q128 in this model, else in
 * the other one (the radii of the plan do not depend on the model), else
 * nothing but a higher dimension, which lowers the radii of nodes with
 * many children (not of a chain). */
static void too_deep(char *why, size_t why_size, const hier *h, hyp_model model, size_t dim,
                     const construct_opts *o, double need, double cap)
{
    hyp_model other = model == HYP_POINCARE ? HYP_LORENTZ : HYP_POINCARE;
    double here = embed_capacity(model, 1, HYP_FIXED_Q128, dim);
    double there = embed_capacity(other, 1, HYP_FIXED_Q128, dim);
    char hint[200];
    if (need <= here && !(o->fixed && o->format == HYP_FIXED_Q128))
        snprintf(hint, sizeof hint, "try --repr q128 (radii up to %.1f)", here);
    else if (need <= there)
        snprintf(hint, sizeof hint, "try --model %s --repr q128 (radii up to %.1f)",
                 hyp_model_name(other), there);
    else
        snprintf(hint, sizeof hint,
                 "no representation holds that (q128 %s: %.1f); a higher dimension helps "
                 "only nodes with many children",
                 hyp_model_name(here >= there ? model : other), here >= there ? here : there);
    if (o->max_radius > 0) /* the caller's limit, not the representation's */
        snprintf(why, why_size,
                 "the tree needs radius %.1f even with the smallest margin, beyond the "
                 "limit %.1f (depth %zu)",
                 need, cap, h->max_depth);
    else
        snprintf(why, why_size,
                 "the tree needs radius %.1f even with the smallest margin, beyond the %.1f "
                 "that %s %s allows (depth %zu); %s",
                 need, cap, hyp_model_name(model), repr_name(o->fixed, o->format),
                 h->max_depth, hint);
}

int embed_construct(const hier *h, hyp_model model, size_t dim, const construct_opts *o,
                    embedding *e, construct_info *info, char *why, size_t why_size)
{
    double cap = o->max_radius > 0 ? o->max_radius
                                   : embed_capacity(model, o->fixed, o->format, dim);
    code *cache = NULL;
    double *radius = NULL, margin = 0, rmax = 0, tau = 0;
    size_t bad = 0;
    int rc = CLI_EXIT_INTERNAL;

    if (dim < 2 || dim > HYP_DIM_MAX) {
        snprintf(why, why_size, "the construction needs a dimension from 2 to %d", HYP_DIM_MAX);
        return CLI_EXIT_USAGE;
    }
    if ((o->fixed ? embedding_alloc_fixed(e, model, dim, o->format, h->n)
                  : embedding_alloc(e, model, dim, h->n)) != 0) {
        embedding_free(e);
        return CLI_EXIT_INTERNAL;
    }
    if (o->kind == CONSTRUCT_CAPS) {
        radius = calloc(h->n, sizeof *radius);
        if (radius == NULL)
            goto out;
        /* The largest margin in [1/64, 1] that fits (radii grow with it). */
        double lo = 1.0 / 64, hi = 1.0;
        double r_hi = plan_caps(h, dim, hi, &cache, radius);
        if (r_hi < 0)
            goto out;
        if (r_hi <= cap) {
            margin = hi;
        } else {
            double r_lo = plan_caps(h, dim, lo, &cache, radius);
            if (r_lo < 0)
                goto out;
            if (r_lo > cap) {
                too_deep(why, why_size, h, model, dim, o, r_lo, cap);
                rc = CLI_EXIT_REJECTED;
                goto out;
            }
            for (int it = 0; it < 20; it++) {
                double mid = (lo + hi) / 2, r = plan_caps(h, dim, mid, &cache, radius);
                if (r < 0)
                    goto out;
                if (r <= cap)
                    lo = mid;
                else
                    hi = mid;
            }
            margin = lo;
        }
        rmax = plan_caps(h, dim, margin, &cache, radius);
        if (rmax < 0)
            goto out;
        /* Directions are sums of offsets down to ~e^(-R/2) and Lorentz
         * coordinates reach e^R: 3 R / ln 2 bits cover both, 128 more the
         * widest word (a q128 coordinate needs 127 bits below e^R). */
        mpfr_prec_t prec = 128 + (mpfr_prec_t)ceil(3 * rmax / M_LN2);
        if (info != NULL) {
            info->scale = margin;
            info->max_radius = rmax;
            info->precision = (unsigned long)prec;
        }
        rc = place_caps(h, e, margin, radius, &cache, prec, &bad);
    } else {
        size_t levels = h->max_depth + (h->roots > 1 ? 1 : 0);
        tau = levels > 0 ? fmin(cap / (double)levels, 10.0) : 1.0;
        rmax = tau * (double)levels;
        mpfr_prec_t prec = 128 + (mpfr_prec_t)ceil(3 * rmax / M_LN2);
        if (info != NULL) {
            info->scale = tau;
            info->max_radius = rmax;
            info->precision = (unsigned long)prec;
        }
        rc = place_sarkar(h, e, tau, &cache, prec, &bad);
    }
    if (rc == CLI_EXIT_REJECTED)
        snprintf(why, why_size, "the point of \"%s\" does not fit %s %s", h->label[bad],
                 hyp_model_name(model), repr_name(o->fixed, o->format));
    if (rc == CLI_EXIT_OK && o->verbose)
        fprintf(stderr, "construct: %s, %s %s (capacity %.2f), max radius %.3f, %s %.4g, "
                "%lu-bit MPFR\n",
                o->kind == CONSTRUCT_CAPS ? "caps" : "sarkar", hyp_model_name(model),
                repr_name(o->fixed, o->format), cap, rmax,
                o->kind == CONSTRUCT_CAPS ? "margin" : "tau",
                o->kind == CONSTRUCT_CAPS ? margin : tau,
                info != NULL ? info->precision : 0UL);
    /* Every point must be valid in its model and representation (a radius
     * past the capacity of Poincaré binary64 would round onto the
     * boundary). */
    for (size_t u = 0; rc == CLI_EXIT_OK && u < h->n; u++) {
        int err = e->fixed ? hyp_fixed_check(e->format, model, dim, embedding_words(e, u))
                           : hyp_point_check(model, dim, e->x + u * e->width);
        if (err != HYP_OK) {
            snprintf(why, why_size, "point of \"%s\" is not representable: %s", h->label[u],
                     hyp_strerror(err));
            rc = CLI_EXIT_REJECTED;
        }
    }
out:
    code_free_all(cache);
    free(radius);
    if (rc != CLI_EXIT_OK)
        embedding_free(e);
    return rc;
}
