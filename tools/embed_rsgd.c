/*
 * embed_rsgd.c — Riemannian SGD on Nickel and Kiela's loss (embed.h).
 *
 * Data: every (u, a), a an ancestor of u in the Hasse diagram, is a
 * positive.  For a positive (u, v) we draw `negatives` nodes w uniformly
 * among those that are neither u nor an ancestor of u (rejection, up to 10
 * tries each, as poincare-embeddings does) and minimise
 *   L = d(u, v) + log sum_{x in {v} + N} exp(-d(u, x)),
 * updating u, v and the negatives after each positive (batch size 1).
 * The first `burnin` epochs run at lr / 10 (Nickel and Kiela's burn-in
 * puts the points in roughly the right directions before they move out).
 *
 * Poincaré ball (NIPS 2017): d = 2 asinh(sqrt(S)), S = |u-x|^2 / (a b),
 * a = 1-|u|^2, b = 1-|x|^2; dd/du = (2 / (a b sqrt(S (1+S)))) ((u - x) +
 * (|u-x|^2 / a) u); the Riemannian gradient is (a^2/4) times it; after a
 * step, a point is pulled back to |x| <= 1 - 1e-12 (radius 28.3): the
 * double cannot do much better there, which is the model's limit, not the
 * method's.  Lorentz model (ICML 2018): K = -<u,x>_L, d = acosh K, the
 * Riemannian gradient is -x / sqrt(K^2-1) projected on the tangent space at
 * u, and the step is the exponential map; x0 is re-derived from the spatial
 * part after each step (hyp_lorentz_lift), so points stay on the
 * hyperboloid.
 *
 * Determinism.  With one thread every operation happens in a fixed order
 * from a seeded GSL mt19937 (the pair order is a Fisher-Yates shuffle per
 * epoch), so a seed gives the same bits on every run, and on every
 * platform: the transcendental functions are the library's own (hyp_exp,
 * hyp_log, hyp_sinh, hyp_cosh, hyp_asinh, hyp_acosh: the same bits
 * everywhere, where glibc's pick FMA or SSE2 code per CPU), sqrt is IEEE,
 * and -ffp-contract=off keeps the compiler from fusing.  With T > 1
 * threads the shuffled pairs are cut into T slices trained concurrently
 * without locks (Hogwild): faster, not reproducible.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, isatty */
#include "embed.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "cli.h"

#define NEG_MAX 64
#define BALL_MAX (1.0 - 1e-12)

void rsgd_defaults(rsgd_opts *o)
{
    o->epochs = 50;
    o->burnin = 10;
    o->seed = 1;
    o->negatives = 10;
    o->lr = 0.1;
    o->threads = 1;
    o->init_radius = 1e-3;
    o->verbose = 0;
}

typedef struct pairs {
    size_t count;
    size_t (*uv)[2];
    size_t *anc_off, *anc; /* ancestors of each node, ascending (negative test) */
} pairs;

typedef struct train {
    const hier *h;
    embedding *e;
    const rsgd_opts *o;
    pairs *P;
    size_t *order;  /* shuffled pair indices */
    double lr;
    double loss[64]; /* per thread, this epoch */
} train;

static int is_anc(const pairs *P, size_t u, size_t w)
{
    size_t lo = P->anc_off[u], hi = P->anc_off[u + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (P->anc[mid] == w)
            return 1;
        if (P->anc[mid] < w)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* ---- Poincaré ---- */

static double poincare_d(const double *u, const double *x, size_t n, double *a, double *b,
                         double *nd)
{
    double su = 0, sx = 0, sd = 0;
    for (size_t i = 0; i < n; i++) {
        su += u[i] * u[i];
        sx += x[i] * x[i];
        sd += (u[i] - x[i]) * (u[i] - x[i]);
    }
    *a = 1 - su;
    *b = 1 - sx;
    *nd = sd;
    double S = sd / (*a * *b);
    return 2 * hyp_asinh(sqrt(S));
}

/* Adds coef * dd/du to g (and, swapped, coef * dd/dx to gx). */
static void poincare_grad(const double *u, const double *x, size_t n, double a, double b,
                          double nd, double coef, double *gu, double *gx)
{
    double S = nd / (a * b);
    if (!(S > 1e-300))
        return; /* the same point: no direction */
    double f = 2 / (a * b * sqrt(S * (1 + S))) * coef;
    for (size_t i = 0; i < n; i++) {
        gu[i] += f * ((u[i] - x[i]) + nd / a * u[i]);
        gx[i] += f * ((x[i] - u[i]) + nd / b * x[i]);
    }
}

static void poincare_step(double *x, const double *g, size_t n, double lr)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i] * x[i];
    double f = lr * (1 - s) * (1 - s) / 4;
    s = 0;
    for (size_t i = 0; i < n; i++) {
        x[i] -= f * g[i];
        s += x[i] * x[i];
    }
    double norm = sqrt(s);
    if (norm > BALL_MAX)
        for (size_t i = 0; i < n; i++)
            x[i] *= BALL_MAX / norm;
}

/* ---- Lorentz ---- */

static double lorentz_k(const double *u, const double *x, size_t n)
{
    double k = u[0] * x[0];
    for (size_t i = 1; i <= n; i++)
        k -= u[i] * x[i];
    return k < 1 ? 1 : k;
}

/* Adds coef * (Riemannian gradient of d(u, x) at u) to g (n + 1 entries). */
static void lorentz_grad(const double *u, const double *x, size_t n, double k, double coef,
                         double *g)
{
    double s = sqrt(k * k - 1);
    if (!(s > 1e-12))
        return;
    /* h = -x / s; tangent projection h + <u,h>_L u; <u,x>_L = -k. */
    double f = -coef / s, uh = -k * f; /* <u, h>_L = f <u, x>_L */
    for (size_t i = 0; i <= n; i++)
        g[i] += f * x[i] + uh * u[i];
}

static void lorentz_step(double *x, const double *g, size_t n, double lr)
{
    /* g is tangent at x, so <g,g>_L >= 0; the step is exp_x(-lr g) =
     * cosh(l) x - sinh(l) g / |g|_L with l = lr |g|_L. */
    double v[HYP_DIM_MAX + 1], gg = -g[0] * g[0];
    for (size_t i = 1; i <= n; i++)
        gg += g[i] * g[i];
    if (!(gg > 0))
        return;
    double gl = sqrt(gg), len = lr * gl;
    if (len > 1)
        len = 1; /* a step longer than one unit is never what SGD meant */
    double c = hyp_cosh(len), sh = hyp_sinh(len) / gl;
    for (size_t i = 0; i <= n; i++)
        v[i] = c * x[i] - sh * g[i];
    hyp_lorentz_lift(n, v + 1, x);
}

/* ---- one slice of an epoch ---- */

typedef struct slice {
    train *t;
    size_t from, to;
    unsigned id;
    gsl_rng *rng;
} slice;

static void *run_slice(void *arg)
{
    slice *sl = arg;
    train *t = sl->t;
    embedding *e = t->e;
    size_t n = e->dim, w = e->width, nn = t->h->n;
    unsigned negs = t->o->negatives > NEG_MAX ? NEG_MAX : t->o->negatives;
    double loss = 0;
    double gu[HYP_DIM_MAX + 1], gx[NEG_MAX + 1][HYP_DIM_MAX + 1];
    size_t nodes[NEG_MAX + 1];
    double dist[NEG_MAX + 1], pa[NEG_MAX + 1], pb[NEG_MAX + 1], pn[NEG_MAX + 1];

    for (size_t s = sl->from; s < sl->to; s++) {
        size_t pi = t->order[s], u = t->P->uv[pi][0];
        nodes[0] = t->P->uv[pi][1];
        unsigned m = 1;
        for (unsigned j = 0; j < negs; j++) {
            for (int tries = 0; tries < 10; tries++) {
                size_t c = (size_t)gsl_rng_uniform_int(sl->rng, nn);
                if (c != u && !is_anc(t->P, u, c)) {
                    nodes[m++] = c;
                    break;
                }
            }
        }
        double *xu = e->x + u * w;
        double mind = INFINITY;
        for (unsigned j = 0; j < m; j++) {
            const double *xx = e->x + nodes[j] * w;
            if (e->model == HYP_POINCARE)
                dist[j] = poincare_d(xu, xx, n, &pa[j], &pb[j], &pn[j]);
            else
                dist[j] = hyp_acosh(pn[j] = lorentz_k(xu, xx, n));
            if (dist[j] < mind)
                mind = dist[j];
        }
        /* softmax of -d, shifted by the smallest distance */
        double z = 0;
        for (unsigned j = 0; j < m; j++)
            z += hyp_exp(-(dist[j] - mind));
        loss += dist[0] - mind + hyp_log(z);
        memset(gu, 0, w * sizeof *gu);
        for (unsigned j = 0; j < m; j++) {
            double p = hyp_exp(-(dist[j] - mind)) / z;
            double coef = (j == 0 ? 1.0 : 0.0) - p;
            const double *xx = e->x + nodes[j] * w;
            memset(gx[j], 0, w * sizeof gx[j][0]);
            if (e->model == HYP_POINCARE) {
                poincare_grad(xu, xx, n, pa[j], pb[j], pn[j], coef, gu, gx[j]);
            } else {
                lorentz_grad(xu, xx, n, pn[j], coef, gu);
                lorentz_grad(xx, xu, n, pn[j], coef, gx[j]);
            }
        }
        for (unsigned j = 0; j < m; j++) {
            double *xx = e->x + nodes[j] * w;
            if (e->model == HYP_POINCARE)
                poincare_step(xx, gx[j], n, t->lr);
            else
                lorentz_step(xx, gx[j], n, t->lr);
        }
        if (e->model == HYP_POINCARE)
            poincare_step(xu, gu, n, t->lr);
        else
            lorentz_step(xu, gu, n, t->lr);
    }
    t->loss[sl->id] = loss;
    return NULL;
}

static int build_pairs(const hier *h, pairs *P)
{
    size_t n = h->n, cap = 1024;
    unsigned *stamp = calloc(n, sizeof *stamp), gen = 0;
    size_t *buf = malloc(n * sizeof *buf), *stack = malloc((n + h->edges_hasse + 1) * sizeof *stack);
    P->anc_off = calloc(n + 1, sizeof *P->anc_off);
    P->anc = malloc(cap * sizeof *P->anc);
    if (stamp == NULL || buf == NULL || stack == NULL || P->anc_off == NULL || P->anc == NULL)
        goto fail;
    size_t total = 0;
    for (size_t u = 0; u < n; u++) {
        size_t k = hier_ancestors(h, u, stamp, &gen, buf, stack);
        if (total + k > cap) {
            while (total + k > cap)
                cap *= 2;
            size_t *na = realloc(P->anc, cap * sizeof *na);
            if (na == NULL)
                goto fail;
            P->anc = na;
        }
        memcpy(P->anc + total, buf, k * sizeof *buf);
        total += k;
        P->anc_off[u + 1] = total;
    }
    P->count = total;
    P->uv = malloc((total ? total : 1) * sizeof *P->uv);
    if (P->uv == NULL)
        goto fail;
    for (size_t u = 0; u < n; u++)
        for (size_t k = P->anc_off[u]; k < P->anc_off[u + 1]; k++) {
            P->uv[k][0] = u;
            P->uv[k][1] = P->anc[k];
        }
    free(stamp);
    free(buf);
    free(stack);
    return 0;
fail:
    free(stamp);
    free(buf);
    free(stack);
    return -1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int embed_rsgd(const hier *h, hyp_model model, size_t dim, const rsgd_opts *o, int start,
               embedding *e, double *final_loss)
{
    pairs P = { 0 };
    train t = { 0 };
    unsigned T = o->threads == 0 ? 1 : o->threads > 64 ? 64 : o->threads;
    gsl_rng *rng[64] = { 0 };
    int rc = CLI_EXIT_INTERNAL;
    int progress = o->verbose || isatty(2);

    if (!start) {
        if (embedding_alloc(e, model, dim, h->n) != 0)
            return CLI_EXIT_INTERNAL;
        gsl_rng *r0 = gsl_rng_alloc(gsl_rng_mt19937);
        if (r0 == NULL)
            goto out;
        gsl_rng_set(r0, o->seed);
        double xs[HYP_DIM_MAX];
        for (size_t u = 0; u < h->n; u++) {
            for (size_t i = 0; i < dim; i++)
                xs[i] = o->init_radius * (2 * gsl_rng_uniform(r0) - 1);
            if (model == HYP_POINCARE)
                memcpy(e->x + u * e->width, xs, dim * sizeof *xs);
            else
                hyp_lorentz_lift(dim, xs, e->x + u * e->width);
        }
        gsl_rng_free(r0);
    }
    if (build_pairs(h, &P) != 0)
        goto out;
    t.h = h;
    t.e = e;
    t.o = o;
    t.P = &P;
    t.order = malloc((P.count ? P.count : 1) * sizeof *t.order);
    if (t.order == NULL)
        goto out;
    for (size_t i = 0; i < P.count; i++)
        t.order[i] = i;
    for (unsigned k = 0; k < T; k++) {
        if ((rng[k] = gsl_rng_alloc(gsl_rng_mt19937)) == NULL)
            goto out;
        gsl_rng_set(rng[k], o->seed * 2654435761UL + 1 + k);
    }
    double t0 = now(), loss = 0;
    unsigned long total = o->burnin + o->epochs;
    for (unsigned long ep = 0; ep < total; ep++) {
        t.lr = ep < o->burnin ? o->lr / 10 : o->lr;
        /* Fisher-Yates with the first thread's generator. */
        for (size_t i = P.count; i > 1; i--) {
            size_t j = (size_t)gsl_rng_uniform_int(rng[0], i);
            size_t tmp = t.order[i - 1];
            t.order[i - 1] = t.order[j];
            t.order[j] = tmp;
        }
        slice sl[64];
        pthread_t tid[64];
        for (unsigned k = 0; k < T; k++) {
            sl[k].t = &t;
            sl[k].id = k;
            sl[k].rng = rng[k];
            sl[k].from = P.count * k / T;
            sl[k].to = P.count * (k + 1) / T;
        }
        if (T == 1) {
            run_slice(&sl[0]);
        } else {
            unsigned started = 0;
            for (; started < T; started++)
                if (pthread_create(&tid[started], NULL, run_slice, &sl[started]) != 0)
                    break;
            for (unsigned k = 0; k < started; k++)
                pthread_join(tid[k], NULL);
            for (unsigned k = started; k < T; k++)
                run_slice(&sl[k]);
        }
        loss = 0;
        for (unsigned k = 0; k < T; k++)
            loss += t.loss[k];
        loss /= (double)(P.count ? P.count : 1);
        if (progress) {
            double el = now() - t0, left = el / (double)(ep + 1) * (double)(total - ep - 1);
            fprintf(stderr, "rsgd: epoch %lu/%lu%s  loss %.5f  elapsed %.1fs  left %.1fs\n",
                    ep + 1, total, ep < o->burnin ? " (burn-in)" : "", loss, el, left);
        }
    }
    if (final_loss != NULL)
        *final_loss = loss;
    rc = CLI_EXIT_OK;
out:
    for (unsigned k = 0; k < T; k++)
        if (rng[k] != NULL)
            gsl_rng_free(rng[k]);
    free(t.order);
    free(P.uv);
    free(P.anc);
    free(P.anc_off);
    if (rc != CLI_EXIT_OK && !start)
        embedding_free(e);
    return rc;
}
