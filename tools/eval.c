/*
 * eval.c — reconstruction mean rank and MAP, and distortion (embed.h).
 *
 * Ranking.  For a query u, the distance to every other node w is monotone in
 * the polar value S(u, w) = sinh^2((r_u - r_w)/2) + sinh(r_u) sinh(r_w)
 * sin^2(theta/2) (= sinh^2(d/2)), computed here in double from per-point
 * radii (hyp_radius, within 4 ulp) and unit directions, with a generous
 * error bound.  Two values whose bounds overlap are compared exactly with
 * hyp_dist_cmp on the stored points, so every order (and every tie) is the
 * exact one and the result is the same on every platform.  The filter
 * decides almost everything: a query costs O(N n) flops plus a binary
 * search over its ancestors for the few nodes closer than its farthest
 * ancestor.
 *
 * Counting.  rank(v) = 1 + #{w not u, not an ancestor: d(u,w) <= d(u,v)}:
 * exact ties count against (an embedding that puts everything at one point
 * scores badly, not perfectly).  AP(u) = mean over ancestors v of
 * P(v) = #{ancestors at <= d(u,v)} / #{nodes at <= d(u,v)}, which is what
 * sklearn's average_precision_score computes, ties grouped.  Mean rank is
 * over all (u, v) pairs, MAP over queries (poincare-embeddings).
 *
 * A fixed-point embedding goes the same way on its words: each point's
 * radius and direction come from embed_fixed_polar (formed in MPFR from
 * the exact words and rounded once, so within half an ulp, inside the
 * bound below), the exact decisions from hyp_fixed_dist_cmp, and the
 * distortion from hyp_fixed_dist_wide (Q64.64).  A Poincaré q128 point at
 * radius 80 has no binary64 image; none is needed.  Deep points have
 * directions closer than the bound resolves (caps of ~e^(-R/2)), so more
 * of their comparisons go to the exact predicate, which is what it is for.
 *
 * Threads take queries round-robin and write per-query results; the sums
 * are taken in query order afterwards, so the figures do not depend on the
 * number of threads.
 */
#include "embed.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "cli.h"

typedef struct pre {
    double r, sh, eh; /* radius, sinh(r), e^(r/2) */
} pre;

typedef struct ctx {
    const hier *h;
    const embedding *e;
    const pre *p;
    const double *dir; /* unit directions, n per point */
    unsigned threads;
    double *ap;        /* per query (u): AP, or -1 for a non-query */
    double *ranksum;   /* per query */
    size_t *npos;
    unsigned long *exact; /* per thread */
    int failed;
} ctx;

typedef struct key {
    double s, err;
} key;

static key polar_key(const ctx *c, size_t u, size_t w)
{
    const pre *a = &c->p[u], *b = &c->p[w];
    size_t n = c->e->dim;
    const double *x = c->dir + u * n, *y = c->dir + w * n;
    double g = 0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - y[i];
        g += d * d;
    }
    /* sinh((ru - rw)/2) = (A^2 - B^2) / (2AB), A = e^(ru/2), B = e^(rw/2):
     * absolute error a few eps, whatever the radii. */
    double rad = (a->eh * a->eh - b->eh * b->eh) / (2 * a->eh * b->eh);
    double prod = a->sh * b->sh;
    key k;
    k.s = rad * rad + prod * g / 4;
    /* Directions carry ~3 eps per coordinate: |d omega| is off by eta. */
    double eta = 8e-16 * sqrt((double)n) * 4, dg = sqrt(g);
    k.err = 1e-11 * k.s + 1e-13 * fabs(rad) + 1e-26 + prod * (2 * dg * eta + eta * eta);
    return k;
}

/* Order of d(u, a) and d(u, b): -1, 0, 1 (exact). */
static int cmp_dist(const ctx *c, size_t u, size_t a, key ka, size_t b, key kb,
                    unsigned long *exact)
{
    if (ka.s + ka.err < kb.s - kb.err)
        return -1;
    if (ka.s - ka.err > kb.s + kb.err)
        return 1;
    const embedding *e = c->e;
    int order = 0;
    (*exact)++;
    if (e->fixed)
        hyp_fixed_dist_cmp(e->format, e->model, e->dim, embedding_words(e, u),
                           embedding_words(e, a), embedding_words(e, b), &order);
    else
        hyp_dist_cmp(e->model, e->dim, e->x + u * e->width, e->x + a * e->width,
                     e->x + b * e->width, &order);
    return order;
}

static void query(ctx *c, size_t u, size_t *anc, key *kv, size_t *cnt, unsigned *stamp,
                  unsigned *gen, size_t *stack, unsigned char *is_anc, unsigned long *exact)
{
    const hier *h = c->h;
    size_t k = hier_ancestors(h, u, stamp, gen, anc, stack);
    if (k == 0) {
        c->ap[u] = -1;
        return;
    }
    for (size_t i = 0; i < k; i++) {
        is_anc[anc[i]] = 1;
        kv[i] = polar_key(c, u, anc[i]);
    }
    /* Sort the ancestors by exact distance, ties by id (insertion sort: k is
     * the depth, small). */
    for (size_t i = 1; i < k; i++) {
        size_t v = anc[i], j = i;
        key kk = kv[i];
        while (j > 0) {
            int o = cmp_dist(c, u, anc[j - 1], kv[j - 1], v, kk, exact);
            if (o < 0 || (o == 0 && anc[j - 1] < v))
                break;
            anc[j] = anc[j - 1];
            kv[j] = kv[j - 1];
            j--;
        }
        anc[j] = v;
        kv[j] = kk;
    }
    memset(cnt, 0, (k + 1) * sizeof *cnt);
    double far = kv[k - 1].s + kv[k - 1].err;
    for (size_t w = 0; w < h->n; w++) {
        if (w == u || is_anc[w])
            continue;
        key kw = polar_key(c, u, w);
        if (kw.s - kw.err > far)
            continue; /* farther than every ancestor */
        /* First j with d(u,w) <= d(u,anc[j]). */
        size_t lo = 0, hi = k;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cmp_dist(c, u, w, kw, anc[mid], kv[mid], exact) <= 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        cnt[lo]++;
    }
    /* neg_le[i] = negatives at <= d(u, anc[i]). */
    double ranks = 0, ap = 0;
    size_t neg = 0;
    for (size_t i = 0; i < k; i++) {
        neg += cnt[i];
        cnt[i] = neg;
        ranks += 1.0 + (double)neg;
    }
    for (size_t i = 0; i < k;) {
        size_t j = i + 1; /* the group of ancestors at exactly this distance */
        while (j < k && cmp_dist(c, u, anc[j], kv[j], anc[i], kv[i], exact) == 0)
            j++;
        double prec = (double)j / (double)(j + cnt[j - 1]);
        ap += prec * (double)(j - i);
        i = j;
    }
    c->ap[u] = ap / (double)k;
    c->ranksum[u] = ranks;
    c->npos[u] = k;
    for (size_t i = 0; i < k; i++)
        is_anc[anc[i]] = 0;
}

typedef struct job {
    ctx *c;
    unsigned t;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    ctx *c = j->c;
    size_t n = c->h->n;
    size_t *anc = malloc(n * sizeof *anc), *cnt = malloc((n + 1) * sizeof *cnt);
    size_t *stack = malloc((n + c->h->edges_hasse + 1) * sizeof *stack);
    key *kv = malloc(n * sizeof *kv);
    unsigned *stamp = calloc(n, sizeof *stamp), gen = 0;
    unsigned char *is_anc = calloc(n, 1);
    if (anc == NULL || cnt == NULL || stack == NULL || kv == NULL || stamp == NULL ||
        is_anc == NULL) {
        c->failed = 1;
    } else {
        for (size_t u = j->t; u < n; u += c->threads)
            query(c, u, anc, kv, cnt, stamp, &gen, stack, is_anc, &c->exact[j->t]);
    }
    free(anc);
    free(cnt);
    free(stack);
    free(kv);
    free(stamp);
    free(is_anc);
    return NULL;
}

/* Tree distances from s (BFS over the spanning tree, undirected). */
static void tree_bfs(const hier *h, size_t s, size_t *dist, size_t *queue)
{
    for (size_t i = 0; i < h->n; i++)
        dist[i] = HIER_NONE;
    size_t head = 0, tail = 0;
    dist[s] = 0;
    queue[tail++] = s;
    while (head < tail) {
        size_t v = queue[head++];
        size_t p = h->parent[v];
        if (p != HIER_NONE && dist[p] == HIER_NONE) {
            dist[p] = dist[v] + 1;
            queue[tail++] = p;
        }
        for (size_t k = h->child_off[v]; k < h->child_off[v + 1]; k++)
            if (dist[h->child[k]] == HIER_NONE) {
                dist[h->child[k]] = dist[v] + 1;
                queue[tail++] = h->child[k];
            }
    }
}

/* dh[w] = d(s, w) for w in [from, to), from the words: Q64.64 within
 * 2^-64, converted exactly in two parts and added once (the same double on
 * every platform and for any split among threads). */
typedef struct row_job {
    const embedding *e;
    size_t s, from, to;
    double *dh;
} row_job;

static void *fixed_row(void *arg)
{
    const row_job *j = arg;
    const embedding *e = j->e;
    for (size_t w = j->from; w < j->to; w++) {
        uint64_t d[2] = { 0, 0 };
        hyp_fixed_dist_wide(e->format, e->model, e->dim, embedding_words(e, j->s),
                            embedding_words(e, w), d);
        j->dh[w] = (double)d[1] + ldexp((double)d[0], -64);
    }
    return NULL;
}

/* The same over threads (an exact distance costs ~8 us, so a tree of 3000
 * nodes is 4.5M of them): blocks of w, each thread writing its own. */
static void fixed_dists(const embedding *e, size_t s, size_t from, double *dh, unsigned threads)
{
    enum { TMAX = 64 };
    row_job jobs[TMAX];
    pthread_t tid[TMAX];
    size_t len = e->count - from;
    unsigned t = threads < TMAX ? threads : TMAX, started = 0;
    if (len < 256 || t < 2)
        t = 1;
    for (unsigned i = 0; i < t; i++) {
        jobs[i].e = e;
        jobs[i].s = s;
        jobs[i].from = from + len * i / t;
        jobs[i].to = from + len * (i + 1) / t;
        jobs[i].dh = dh;
    }
    for (unsigned i = 1; i < t; i++, started++)
        if (pthread_create(&tid[i], NULL, fixed_row, &jobs[i]) != 0)
            break;
    fixed_row(&jobs[0]);
    for (unsigned i = 1; i <= started; i++)
        pthread_join(tid[i], NULL);
    for (unsigned i = started + 1; i < t; i++) /* could not start: do it here */
        fixed_row(&jobs[i]);
}

/* Distortion over the pairs (s, w), s a source, w > s (all sources) or any
 * w != s (sampled sources).  Two passes: the scale, then the deviations. */
static int distortion(const hier *h, const embedding *e, unsigned threads, eval_result *r)
{
    size_t n = h->n, nsrc = n <= 3000 ? n : 1000;
    size_t *src = malloc(nsrc * sizeof *src), *dist = malloc(n * sizeof *dist);
    size_t *queue = malloc(n * sizeof *queue), *all = malloc(n * sizeof *all);
    double *dh = malloc(n * sizeof *dh);
    if (src == NULL || dist == NULL || queue == NULL || all == NULL || dh == NULL) {
        free(src), free(dist), free(queue), free(all), free(dh);
        return -1;
    }
    int sampled = nsrc < n;
    if (sampled) {
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (rng == NULL) {
            free(src), free(dist), free(queue), free(all), free(dh);
            return -1;
        }
        gsl_rng_set(rng, 1);
        for (size_t i = 0; i < n; i++)
            all[i] = i;
        gsl_ran_choose(rng, src, nsrc, all, n, sizeof *all);
        gsl_rng_free(rng);
    } else {
        for (size_t i = 0; i < n; i++)
            src[i] = i;
    }
    /* Fixed points: keep the exact distances of the first pass for the
     * second when they take at most 64 MB (all pairs up to 3000 nodes: 36
     * MB; 1000 sampled rows up to 8000 nodes); else compute them twice. */
    size_t cached = sampled ? nsrc * n : n * (n - 1) / 2;
    double *cache = e->fixed && cached <= ((size_t)1 << 23)
                        ? malloc((cached + 1) * sizeof *cache)
                        : NULL;
    double sum = 0, lo = INFINITY, hi = 0, dev = 0;
    size_t pairs = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < nsrc; i++) {
            size_t s = src[i];
            /* row[w]: for w > s (all pairs: cache row s starts at
             * s n - s (s+1) / 2), or every w (sampled: row i at i n). */
            double *row = cache == NULL ? dh
                          : sampled     ? cache + i * n
                                        : cache + s * n - s * (s + 1) / 2 - (s + 1);
            tree_bfs(h, s, dist, queue);
            if (e->fixed) {
                if (pass == 0 || cache == NULL)
                    fixed_dists(e, s, sampled ? 0 : s + 1, row, threads);
            } else {
                hyp_dist_batch(e->model, e->dim, e->x + s * e->width, e->x, n, dh);
            }
            for (size_t w = sampled ? 0 : s + 1; w < n; w++) {
                if (w == s || dist[w] == HIER_NONE)
                    continue; /* another tree of a forest */
                double ratio = row[w] / (double)dist[w];
                if (pass == 0) {
                    sum += ratio;
                    pairs++;
                    if (ratio < lo)
                        lo = ratio;
                    if (ratio > hi)
                        hi = ratio;
                } else {
                    dev += fabs(ratio / r->scale - 1);
                }
            }
        }
        if (pass == 0)
            r->scale = pairs ? sum / (double)pairs : 0;
    }
    r->pairs = pairs;
    r->distortion_avg = pairs ? dev / (double)pairs : 0;
    r->distortion_worst = lo > 0 ? hi / lo : INFINITY;
    free(src), free(dist), free(queue), free(all), free(dh), free(cache);
    return 0;
}

int embed_eval(const hier *h, const embedding *e, unsigned threads, eval_result *r,
               char *why, size_t why_size)
{
    size_t n = h->n, dim = e->dim;
    int rc = CLI_EXIT_INTERNAL;
    memset(r, 0, sizeof *r);
    if (threads == 0)
        threads = 1;
    if (e->count != n) {
        snprintf(why, why_size, "%zu points for %zu nodes", e->count, n);
        return CLI_EXIT_REJECTED;
    }
    ctx c = { 0 };
    pre *p = malloc(n * sizeof *p);
    double *dir = malloc(n * dim * sizeof *dir);
    c.ap = malloc(n * sizeof *c.ap);
    c.ranksum = calloc(n, sizeof *c.ranksum);
    c.npos = calloc(n, sizeof *c.npos);
    c.exact = calloc(threads, sizeof *c.exact);
    pthread_t *tid = malloc(threads * sizeof *tid);
    job *jobs = malloc(threads * sizeof *jobs);
    if (p == NULL || dir == NULL || c.ap == NULL || c.ranksum == NULL || c.npos == NULL ||
        c.exact == NULL || tid == NULL || jobs == NULL)
        goto out;
    for (size_t u = 0; u < n; u++) {
        if (e->fixed) {
            int err = hyp_fixed_check(e->format, e->model, dim, embedding_words(e, u));
            if (err != HYP_OK) {
                snprintf(why, why_size, "the point of \"%s\" is invalid: %s", h->label[u],
                         hyp_strerror(err));
                rc = CLI_EXIT_REJECTED;
                goto out;
            }
            embed_fixed_polar(e->format, e->model, dim, embedding_words(e, u), &p[u].r,
                              &p[u].sh, &p[u].eh, dir + u * dim);
            continue;
        }
        const double *x = e->x + u * e->width;
        int err = hyp_radius(e->model, dim, x, &p[u].r);
        if (err != HYP_OK) {
            snprintf(why, why_size, "the point of \"%s\" is invalid: %s", h->label[u],
                     hyp_strerror(err));
            rc = CLI_EXIT_REJECTED;
            goto out;
        }
        p[u].sh = hyp_sinh(p[u].r);
        p[u].eh = hyp_exp(p[u].r / 2);
        const double *xs = e->model == HYP_LORENTZ ? x + 1 : x;
        double s = 0;
        for (size_t i = 0; i < dim; i++)
            s += xs[i] * xs[i];
        /* Scale first so that the squares neither overflow nor underflow. */
        double m = 0;
        for (size_t i = 0; i < dim; i++)
            if (fabs(xs[i]) > m)
                m = fabs(xs[i]);
        s = 0;
        for (size_t i = 0; i < dim; i++)
            s += (xs[i] / (m > 0 ? m : 1)) * (xs[i] / (m > 0 ? m : 1));
        s = sqrt(s);
        for (size_t i = 0; i < dim; i++)
            dir[u * dim + i] = m > 0 ? (xs[i] / m) / s : 0;
    }
    c.h = h;
    c.e = e;
    c.p = p;
    c.dir = dir;
    c.threads = threads;
    for (unsigned t = 0; t < threads; t++) {
        jobs[t].c = &c;
        jobs[t].t = t;
    }
    if (threads == 1) {
        worker(&jobs[0]);
    } else {
        unsigned started = 0;
        for (; started < threads; started++)
            if (pthread_create(&tid[started], NULL, worker, &jobs[started]) != 0)
                break;
        for (unsigned t = 0; t < started; t++)
            pthread_join(tid[t], NULL);
        if (started < threads) {
            /* Could not start them all: do the rest here, same results. */
            for (unsigned t = started; t < threads; t++)
                worker(&jobs[t]);
        }
    }
    if (c.failed)
        goto out;
    double ranksum = 0, apsum = 0;
    for (size_t u = 0; u < n; u++) {
        if (c.ap[u] < 0)
            continue;
        r->queries++;
        r->positives += c.npos[u];
        ranksum += c.ranksum[u];
        apsum += c.ap[u];
    }
    for (unsigned t = 0; t < threads; t++)
        r->exact += c.exact[t];
    r->mean_rank = r->positives ? ranksum / (double)r->positives : 0;
    r->map = r->queries ? apsum / (double)r->queries : 0;
    if (h->is_tree) {
        r->has_distortion = 1;
        if (distortion(h, e, threads, r) != 0)
            goto out;
    }
    rc = CLI_EXIT_OK;
out:
    free(p);
    free(dir);
    free(c.ap);
    free(c.ranksum);
    free(c.npos);
    free(c.exact);
    free(tid);
    free(jobs);
    return rc;
}
