/*
 * advise.c — the measurements behind `hyperstore advise` (advise.h says what
 * they mean).
 *
 * Exact top-k lists without n^2 exact comparisons.  For a query q, a point j
 * and a format f, let d_j be binary64's hyp_dist(q, j) (within 4 ulp of the
 * true distance between the inputs) and eps_j a proven upper bound on the
 * distance between input j and its image in f.  By the triangle inequality
 * the distance between the images lies in
 *     [d_j - eps_q - eps_j, d_j + eps_q + eps_j]   (widened for rounding).
 * If T is the k-th smallest upper end, at least k images are within T of
 * q's image, so a point whose lower end exceeds T cannot be in the top k:
 * only the others (the candidates) are ranked, with the exact predicate, in
 * input order so that ties go to the earlier line.  When the quantization is
 * coarse (q32 far out) the candidates are many; they are then filtered
 * again with distances between the decoded images, whose only uncertainty
 * is the decoding (zero for Poincaré and Lorentz, see decode_margin).
 *
 * eps_j is the measured error (hyp_dist(x_j, decoded image), within 4 ulp)
 * plus the decoding margin.  Everything here is binary64 with explicit
 * margins of 2^-44 relative, far above the few ulp actually at stake.
 */
#include "advise.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define REL 0x1p-44

/* What one format needs per point. */
typedef struct fmt_data {
    unsigned char *words; /* count * size bytes; malloc-aligned, size a word multiple */
    size_t size;
    double *dec;          /* decoded images, count * width doubles */
    double *eps;          /* bound on |point - image| (hyperbolic); INFINITY if unknown */
    double *edec;         /* bound on |image - decoded image| */
    unsigned char *fits;
} fmt_data;

/*
 * How far the decoded binary64 image can be from the fixed-point point.
 * Poincaré, Lorentz: 0 when every decoded coordinate times 2^F is an integer
 * that rounds back to the same word (then it *is* the word: decoding was
 * exact); otherwise unknown (INFINITY: the point is always a candidate).
 * Euclid: each v_i is within 1 ulp, so |v' - v| <= sqrt(n) 2^-52 r, and
 * exp_0 stretches tangent lengths by at most sinh(rho)/rho <= e^r / (2r)
 * (radially by 1), so the image moves by at most sqrt(n) 2^-52 max(r, e^r/2)
 * (r' = r (1 + 2^-40) changes nothing at this slack); returned with a
 * factor 8 to spare.
 */
static double decode_margin(hyp_fixed_format f, hyp_model model, size_t n, const void *words,
                            const double *dec, void *scratch)
{
    size_t w = hyp_model_width(model, n);
    if (model == HYP_EUCLID) {
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += dec[i] * dec[i];
        double r = sqrt(s) * (1.0 + REL);
        if (r > 700.0)
            return INFINITY;
        return sqrt((double)n) * 0x1p-49 * (r > 1.0 ? exp(r) : 2.0 * r);
    }
    const double *xs = dec + (w - n);
    int F = hyp_fixed_frac_bits(f, model);
    for (size_t i = 0; i < n; i++) {
        double y = ldexp(xs[i], F); /* exact: a power of two, no overflow below 2^(127+1024) */
        if (y != floor(y))
            return INFINITY;
    }
    if (hyp_fixed_from_double(f, model, n, dec, scratch) != HYP_OK ||
        memcmp(scratch, words, hyp_fixed_size(f, model, n)) != 0)
        return INFINITY;
    return 0.0;
}

/* One ranking problem: the points of one format, seen from query q. */
typedef struct ranker {
    hyp_model model;
    size_t n;
    int fixed;
    hyp_fixed_format format;
    const unsigned char *base; /* f64: the doubles; fixed: the words */
    size_t stride;             /* bytes per point */
    size_t q;
} ranker;

static int rank_cmp(const ranker *r, size_t a, size_t b)
{
    int order = 0;
    const void *pq = r->base + r->q * r->stride;
    const void *pa = r->base + a * r->stride, *pb = r->base + b * r->stride;
    if (r->fixed) {
        /* HYP_EUNDECIDED leaves order = 0: a tie, as hyp_fixed.h allows */
        hyp_fixed_dist_cmp(r->format, r->model, r->n, pq, pa, pb, &order);
    } else {
        hyp_dist_cmp(r->model, r->n, pq, pa, pb, &order);
    }
    return order;
}

/* The exact top k of cand[0..c) (increasing indices) into top; returns its
 * length.  A candidate enters only if strictly closer than the current k-th:
 * on a tie the earlier index, already there, stays ahead. */
static size_t rank_topk(const ranker *r, const size_t *cand, size_t c, size_t k, size_t *top)
{
    size_t len = 0;
    for (size_t i = 0; i < c; i++) {
        size_t j = cand[i];
        if (len == k && rank_cmp(r, j, top[k - 1]) >= 0)
            continue;
        /* binary search for the first entry farther than j */
        size_t lo = 0, hi = len == k ? k - 1 : len;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (rank_cmp(r, j, top[mid]) < 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        size_t end = len == k ? k - 1 : len;
        memmove(top + lo + 1, top + lo, (end - lo) * sizeof *top);
        top[lo] = j;
        if (len < k)
            len++;
    }
    return len;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The k-th smallest of the upper ends hi[0..m) (m >= k >= 1); sorts a copy. */
static double kth_smallest(const double *hi, size_t m, size_t k, double *scratch)
{
    memcpy(scratch, hi, m * sizeof *hi);
    qsort(scratch, m, sizeof *scratch, cmp_double);
    return scratch[k - 1];
}

typedef struct work {
    size_t *cand, *cand2;
    double *lo, *hi, *tmp;
} work;

/*
 * Candidates for query q among the points with fits[j] (NULL: all), from
 * distances d[] known within relative REL and absolute slack eq + e[j].
 * Writes wk->cand2 (increasing) and returns how many.
 */
static size_t select_candidates(const double *d, const size_t *among, size_t m, double eq,
                                const double *e, size_t k, work *wk)
{
    size_t c = 0;
    for (size_t t = 0; t < m; t++) {
        size_t j = among[t];
        double ej = e ? e[j] : 0.0;
        wk->lo[t] = (d[t] * (1.0 - REL) - eq - ej) * (1.0 - REL);
        wk->hi[t] = (d[t] * (1.0 + REL) + eq + ej) * (1.0 + REL);
    }
    double T = kth_smallest(wk->hi, m, k, wk->tmp);
    for (size_t t = 0; t < m; t++)
        if (wk->lo[t] <= T) /* false for NaN, but no bound here is NaN */
            wk->cand2[c++] = among[t];
    return c;
}

static void fmt_free(fmt_data *fd)
{
    free(fd->words);
    free(fd->dec);
    free(fd->eps);
    free(fd->edec);
    free(fd->fits);
}

/* Converts every point into format f and measures its error. */
static int fmt_prepare(hyp_model model, size_t n, const double *pts, size_t count,
                       hyp_fixed_format f, fmt_data *fd, advise_row *row)
{
    size_t w = hyp_model_width(model, n);
    fd->size = hyp_fixed_size(f, model, n);
    fd->words = malloc(count * fd->size);
    fd->dec = malloc(count * w * sizeof(double));
    fd->eps = malloc(count * sizeof(double));
    fd->edec = malloc(count * sizeof(double));
    fd->fits = malloc(count);
    void *scratch = malloc(fd->size);
    if (!fd->words || !fd->dec || !fd->eps || !fd->edec || !fd->fits || !scratch) {
        free(scratch);
        return ENOMEM;
    }
    row->fit = 0;
    row->max_error = 0.0;
    row->max_error_index = 0;
    for (size_t i = 0; i < count; i++) {
        const double *x = pts + i * w;
        unsigned char *wd = fd->words + i * fd->size;
        double *dec = fd->dec + i * w;
        fd->fits[i] = hyp_fixed_from_double(f, model, n, x, wd) == HYP_OK;
        fd->eps[i] = fd->edec[i] = INFINITY;
        if (!fd->fits[i])
            continue;
        row->fit++;
        double m;
        if (hyp_fixed_to_double(f, model, n, wd, dec) != HYP_OK ||
            hyp_dist(model, n, x, dec, &m) != HYP_OK) {
            /* no binary64 image (not reached for points read as doubles):
             * the point stays a candidate everywhere, its error unknown */
            memcpy(dec, x, w * sizeof(double));
            row->max_error = INFINITY;
            row->max_error_index = i;
            continue;
        }
        fd->edec[i] = decode_margin(f, model, n, wd, dec, scratch);
        fd->eps[i] = m * (1.0 + REL) + fd->edec[i];
        if (m > row->max_error) {
            row->max_error = m;
            row->max_error_index = i;
        }
    }
    free(scratch);
    return 0;
}

int advise_recommend(const advise_row *rows, size_t nrows, size_t points, size_t queries)
{
    int best = -1;
    for (size_t i = 0; i < nrows; i++) {
        const advise_row *r = &rows[i];
        if (r->fit != points ||
            (unsigned long long)r->agree * ADVISE_THRESHOLD_DEN <
                (unsigned long long)queries * ADVISE_THRESHOLD_NUM)
            continue;
        if (best < 0)
            best = (int)i;
        else {
            const advise_row *b = &rows[best];
            if (r->bytes_per_point < b->bytes_per_point ||
                (r->bytes_per_point == b->bytes_per_point && r->fixed && !b->fixed))
                best = (int)i;
        }
    }
    return best;
}

int advise_run(hyp_model model, size_t n, const double *pts, size_t count, size_t max_queries,
               advise_report *rep)
{
    static const char *const names[ADVISE_ROWS] = { "f64", "q32", "q64", "q128" };
    size_t w = hyp_model_width(model, n);
    fmt_data fd[ADVISE_ROWS] = { { 0 } };
    work wk = { 0 };
    size_t *among = malloc(count * sizeof(size_t));
    double *d = malloc(count * sizeof(double)), *d2 = malloc(count * sizeof(double));
    wk.cand = malloc(count * sizeof(size_t));
    wk.cand2 = malloc(count * sizeof(size_t));
    wk.lo = malloc(count * sizeof(double));
    wk.hi = malloc(count * sizeof(double));
    wk.tmp = malloc(count * sizeof(double));
    int rc = 0;

    memset(rep, 0, sizeof *rep);
    rep->points = count;
    rep->k = count - 1 < ADVISE_K ? count - 1 : ADVISE_K;
    rep->queries = max_queries == 0 || max_queries > count ? count : max_queries;
    if (!among || !d || !d2 || !wk.cand || !wk.cand2 || !wk.lo || !wk.hi || !wk.tmp) {
        rc = ENOMEM;
        goto out;
    }
    for (int r = 0; r < ADVISE_ROWS; r++) {
        advise_row *row = &rep->rows[r];
        row->name = names[r];
        row->fixed = r > 0;
        if (r == 0) {
            row->bytes_per_point = w * sizeof(double);
            row->fit = count;
            continue;
        }
        row->format = (hyp_fixed_format)(HYP_FIXED_Q32 + r - 1);
        row->bytes_per_point = hyp_fixed_size(row->format, model, n);
        if ((rc = fmt_prepare(model, n, pts, count, row->format, &fd[r], row)) != 0)
            goto out;
    }

    size_t k = rep->k;
    size_t ref[ADVISE_K], top[ADVISE_K];
    for (size_t qi = 0; qi < rep->queries; qi++) {
        size_t q = (size_t)((unsigned long long)qi * count / rep->queries);
        const double *xq = pts + q * w;
        hyp_dist_batch(model, n, xq, pts, count, d); /* every point is valid */

        /* binary64: distances within 4 ulp, no quantization */
        size_t m = 0;
        for (size_t j = 0; j < count; j++)
            if (j != q) {
                among[m] = j;
                d2[m++] = d[j];
            }
        size_t reflen = 0;
        if (k > 0) {
            size_t c = select_candidates(d2, among, m, 0.0, NULL, k, &wk);
            ranker rk = { model, n, 0, HYP_FIXED_Q32, (const unsigned char *)pts,
                          w * sizeof(double), q };
            reflen = rank_topk(&rk, wk.cand2, c, k, ref);
        }
        rep->rows[0].agree++;
        rep->rows[0].overlap += 1.0;

        for (int r = 1; r < ADVISE_ROWS; r++) {
            fmt_data *f = &fd[r];
            advise_row *row = &rep->rows[r];
            if (!f->fits[q])
                continue; /* a mismatch, overlap 0 */
            m = 0;
            for (size_t j = 0; j < count; j++)
                if (j != q && f->fits[j]) {
                    among[m] = j;
                    d2[m++] = d[j];
                }
            size_t kk = m < k ? m : k, len = 0;
            if (kk > 0) {
                size_t c = select_candidates(d2, among, m, f->eps[q], f->eps, kk, &wk);
                if (c > 4 * kk) {
                    /* coarse format: filter again on the decoded images */
                    memcpy(wk.cand, wk.cand2, c * sizeof *wk.cand);
                    for (size_t t = 0; t < c; t++)
                        hyp_dist(model, n, f->dec + q * w, f->dec + wk.cand[t] * w, &d2[t]);
                    c = select_candidates(d2, wk.cand, c, f->edec[q], f->edec, kk, &wk);
                }
                ranker rk = { model, n, 1, row->format, f->words, f->size, q };
                len = rank_topk(&rk, wk.cand2, c, kk, top);
            }
            size_t common = 0;
            for (size_t a = 0; a < reflen; a++)
                for (size_t b = 0; b < len; b++)
                    common += ref[a] == top[b];
            row->overlap += reflen ? (double)common / (double)reflen : 1.0;
            if (len == reflen && memcmp(top, ref, len * sizeof *top) == 0)
                row->agree++;
        }
    }
    for (int r = 0; r < ADVISE_ROWS; r++)
        rep->rows[r].overlap = rep->queries ? rep->rows[r].overlap / (double)rep->queries : 1.0;
    rep->recommended = advise_recommend(rep->rows, ADVISE_ROWS, count, rep->queries);
out:
    for (int r = 0; r < ADVISE_ROWS; r++)
        fmt_free(&fd[r]);
    free(among);
    free(d);
    free(d2);
    free(wk.cand);
    free(wk.cand2);
    free(wk.lo);
    free(wk.hi);
    free(wk.tmp);
    return rc;
}
