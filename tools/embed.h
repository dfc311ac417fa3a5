/*
 * embed.h — embedding a hierarchy (tools/hierarchy.h) in hyperbolic space and
 * measuring the result.
 *
 *   embed_construct.c  combinatorial constructions, computed with MPFR and
 *                      rounded once to binary64 or to a fixed-point format;
 *   embed_fixed.c      the fixed-point side: capacities, rounding MPFR into
 *                      words, a stored point's radius and direction;
 *   embed_rsgd.c       Riemannian SGD with Nickel and Kiela's loss;
 *   eval.c             reconstruction mean rank and MAP, distortion.
 *
 * An embedding holds one point per node of the hierarchy, in node-id order
 * (label order), in the Poincaré ball or the Lorentz model, either as
 * binary64 (n + 1 doubles for Lorentz, x0 first, derived from the spatial
 * part) or as the words of a fixed-point format (geom/hyp_fixed.h: n words,
 * Lorentz keeps its spatial part only), which is what lets a tree far too
 * deep for binary64 be stored exactly.
 */
#ifndef HYP_TOOLS_EMBED_H
#define HYP_TOOLS_EMBED_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hierarchy.h"
#include "hyp_fixed.h"
#include "hyp_geom.h"

typedef struct embedding {
    hyp_model model; /* HYP_POINCARE or HYP_LORENTZ */
    size_t dim;      /* n of H^n */
    size_t width;    /* doubles per point: hyp_model_width(model, dim) */
    size_t count;    /* points */
    double *x;       /* binary64: count * width doubles, owned; NULL if fixed */
    int fixed;       /* 0: binary64 in x; 1: fixed-point words in q */
    hyp_fixed_format format; /* when fixed */
    size_t qsize;    /* when fixed: bytes of one point (hyp_fixed_size) */
    unsigned char *q; /* when fixed: count * qsize bytes, owned; point u's
                         words in host order at q + u * qsize (aligned for
                         the word type: qsize is a multiple of it and malloc
                         aligns to 16) */
} embedding;

/* Allocates count zero points in binary64.  Returns 0 or -1 (out of
 * memory). */
int embedding_alloc(embedding *e, hyp_model model, size_t dim, size_t count);
/* The same in a fixed-point format (zero words: the origin). */
int embedding_alloc_fixed(embedding *e, hyp_model model, size_t dim, hyp_fixed_format format,
                          size_t count);
void embedding_free(embedding *e);

/* Point u's words (fixed embeddings only). */
static inline void *embedding_words(const embedding *e, size_t u)
{
    return e->q + u * e->qsize;
}

/* ---- combinatorial construction (embed_construct.c) ---- */

enum construct_kind {
    /* "Ancestor caps" (the default): every node owns a cap of directions on
     * the sphere that holds its descendants and no other node, at radii
     * chosen so that each node's ancestors are closer to it than every
     * other node.  Reconstruction MAP 1 on a tree by construction. */
    CONSTRUCT_CAPS = 0,
    /* Sarkar's construction (2-D) and its n-D form with children spread by a
     * spherical code (Sala et al. 2018): edge length tau, low distortion of
     * the tree metric, neighbours in the tree closest. */
    CONSTRUCT_SARKAR = 1
};

typedef struct construct_opts {
    enum construct_kind kind;
    double max_radius; /* largest radius allowed; 0: the capacity of the
                          output representation (see embed_capacity) */
    int fixed;         /* 0 (the default): binary64 output; 1: format */
    hyp_fixed_format format; /* the fixed-point output format */
    int verbose;       /* plan and precision on stderr */
} construct_opts;

typedef struct construct_info {
    double scale;      /* caps: the margin m (children caps shrink by 1+m);
                          sarkar: the edge length tau */
    double max_radius; /* largest radius of a point */
    unsigned long precision; /* MPFR bits used */
} construct_info;

/*
 * embed_capacity — the largest radius the construction may use for points
 * of H^dim stored in model and representation (fixed = 0: binary64).
 * The rule: rounding the exact point into the representation must move it
 * by at most 2^-8 in hyperbolic distance, so that a comparison d(u,a) <
 * d(u,w) moves by at most 4 * 2^-8 = 0.016, half the smallest slack the
 * caps construction leaves, 2 ln(1 + 1/64) = 0.031.
 *   binary64 Poincaré  32 (rounding moves a point by <= 0.004 there);
 *   binary64 Lorentz   60 (caps of angular radius 2 e^(-R/2) stay >= 2^-42
 *                      rad, many ulps of a unit direction);
 *   Poincaré qF        rounding moves each of n coordinates by <= 2^-(F+1),
 *                      a point at radius R by <= (1 + cosh R) sqrt(n)
 *                      2^-(F+1) <= e^R sqrt(n) 2^-(F+1) (the ball's metric
 *                      factor), so R = (F - 7) ln 2 - ln sqrt(n): q32 16.3, q64 38.5,
 *                      q128 82.8 at n = 2 (the format holds 88.7 on an
 *                      axis, less off-axis; the margin covers both);
 *   Lorentz qF         rounding moves a point by <= sqrt(n) 2^-(F+1) at every
 *                      radius (2^-33 sqrt(n) for q64/q128), so the limit is
 *                      the word: sinh R <= half the largest coordinate,
 *                      R = asinh(2^(w-2-F)): q32 10.4, q64 21.5, q128 65.8
 *                      (the factor 2 keeps the rounded plan clear of the
 *                      largest word).
 */
double embed_capacity(hyp_model model, int fixed, hyp_fixed_format format, size_t dim);

/*
 * embed_construct — builds the embedding of h's spanning tree.
 *   [in] h, model (HYP_POINCARE or HYP_LORENTZ), dim (>= 2), o;
 *   [out] e (allocated here: binary64, or o->format's words when o->fixed),
 *   info (may be NULL); why: the reason on failure.
 * Every output coordinate is rounded once from its MPFR value: to binary64
 * (round to nearest), or to k 2^-F with k = round(x 2^F), ties to even (the
 * rule of hyp_fixed_from_double), then checked (hyp_point_check,
 * hyp_fixed_check).
 * Returns 0; 1 when the tree cannot fit the representation (why names the
 * radius it needs); 4 out of memory.
 */
int embed_construct(const hier *h, hyp_model model, size_t dim, const construct_opts *o,
                    embedding *e, construct_info *info, char *why, size_t why_size);

/* ---- fixed-point helpers (embed_fixed.c) ---- */

/*
 * embed_fixed_polar — a stored fixed point's radius and unit direction in
 * binary64, for the ranking filter of eval.c.  The point's Lorentz spatial
 * image x_s (Poincaré: 2x / (1 - |x|^2), with 1 - |x|^2 exact) is formed in
 * MPFR from the exact words, and r = asinh |x_s|, sinh r, e^(r/2) and
 * x_s / |x_s| are each rounded once to nearest (so the same on every
 * platform).  The origin gets r = 0 and a zero direction.
 *   [in] format, model, n, words (a valid point: hyp_fixed_check);
 *   [out] r, sh, eh, dir (n doubles).
 * Returns 0 (MPFR aborts the process when out of memory).
 */
int embed_fixed_polar(hyp_fixed_format format, hyp_model model, size_t n, const void *words,
                      double *r, double *sh, double *eh, double *dir);

/* ---- Riemannian SGD (embed_rsgd.c) ---- */

typedef struct rsgd_opts {
    unsigned long epochs;  /* training epochs after the burn-in */
    unsigned long burnin;  /* burn-in epochs at lr / 10 */
    unsigned long seed;
    unsigned negatives;    /* negatives per positive */
    double lr;             /* learning rate */
    unsigned threads;      /* 1: bit-identical for a seed; >1: Hogwild */
    double init_radius;    /* random start: coordinates uniform in +-init */
    int verbose;           /* progress on stderr */
} rsgd_opts;

/* Fills o with the defaults (documented in the .c). */
void rsgd_defaults(rsgd_opts *o);

/*
 * embed_rsgd — trains e on the closure of h (every (node, ancestor) pair is a
 * positive).  If start is non-zero, e holds the starting points (from the
 * construction); otherwise e is allocated and initialised near the origin.
 * Returns 0, or 4 out of memory.
 */
int embed_rsgd(const hier *h, hyp_model model, size_t dim, const rsgd_opts *o, int start,
               embedding *e, double *final_loss);

/* ---- evaluation (eval.c) ---- */

typedef struct eval_result {
    size_t queries;        /* nodes with at least one ancestor */
    size_t positives;      /* (node, ancestor) pairs */
    double mean_rank;
    double map;            /* mean average precision */
    int has_distortion;    /* the hierarchy is a tree */
    size_t pairs;          /* node pairs the distortion was measured on */
    double distortion_avg; /* mean |d_H / (s d_T) - 1|, s the mean ratio */
    double distortion_worst; /* max(d_H/d_T) / min(d_H/d_T) */
    double scale;          /* s */
    unsigned long exact;   /* comparisons settled by hyp_dist_cmp */
} eval_result;

/*
 * embed_eval — reconstruction of h's closure by e (points in node order):
 * for every node u with ancestors, rank all other nodes by distance to u
 * (u itself excluded, as poincare-embeddings does; gensim counts u and
 * reports ranks one higher), rank(v) = 1 + the non-ancestors at distance
 * <= d(u, v) (ties count against), and average precision as sklearn
 * computes it.  Orders are exact (hyp_dist_cmp decides near-ties).
 * Distortion on the tree metric when h is a tree (all pairs up to
 * 3000 nodes, else the pairs from 1000 seeded random sources).
 * A fixed-point embedding is measured on its words: orders with
 * hyp_fixed_dist_cmp, distances with hyp_fixed_dist_wide (Q64.64, within
 * 2^-64), so nothing passes through a binary64 point.
 * threads: workers (the result does not depend on it).
 * Returns 0, 1 (a point is invalid: why), 4 out of memory.
 */
int embed_eval(const hier *h, const embedding *e, unsigned threads, eval_result *r,
               char *why, size_t why_size);

#endif
