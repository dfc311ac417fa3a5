/*
 * embed.h — embedding a hierarchy (tools/hierarchy.h) in hyperbolic space and
 * measuring the result.
 *
 *   embed_construct.c  combinatorial constructions, computed with MPFR and
 *                      rounded once to binary64 (or to a fixed-point format);
 *   embed_rsgd.c       Riemannian SGD with Nickel and Kiela's loss;
 *   eval.c             reconstruction mean rank and MAP, distortion.
 *
 * An embedding holds one point per node of the hierarchy, in node-id order
 * (label order), as binary64 in the Poincaré ball or the Lorentz model
 * (n + 1 doubles, x0 first, derived from the spatial part).
 */
#ifndef HYP_TOOLS_EMBED_H
#define HYP_TOOLS_EMBED_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hierarchy.h"
#include "hyp_geom.h"

typedef struct embedding {
    hyp_model model; /* HYP_POINCARE or HYP_LORENTZ */
    size_t dim;      /* n of H^n */
    size_t width;    /* doubles per point: hyp_model_width(model, dim) */
    size_t count;    /* points */
    double *x;       /* count * width doubles, owned */
} embedding;

/* Allocates count zero points.  Returns 0 or -1 (out of memory). */
int embedding_alloc(embedding *e, hyp_model model, size_t dim, size_t count);
void embedding_free(embedding *e);

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
    int verbose;       /* plan and precision on stderr */
} construct_opts;

typedef struct construct_info {
    double scale;      /* caps: the margin m (children caps shrink by 1+m);
                          sarkar: the edge length tau */
    double max_radius; /* largest radius of a point */
    unsigned long precision; /* MPFR bits used */
} construct_info;

/* The largest radius the construction may use for points stored as model
 * in binary64 (hyp_geom.h's capacity table, with room for the margins):
 * Poincaré 32 (rounding moves a point by <= 0.004 there), Lorentz 60 (caps
 * of angular radius 2 e^(-R/2) stay >= 2^-42 rad, many ulps of a unit
 * direction). */
double embed_capacity(hyp_model model);

/*
 * embed_construct — builds the embedding of h's spanning tree.
 *   [in] h, model (HYP_POINCARE or HYP_LORENTZ), dim (>= 2), o;
 *   [out] e (allocated here), info (may be NULL); why: the reason on failure.
 * Returns 0; 1 when the tree cannot fit the representation (why names the
 * radius it needs); 4 out of memory.
 */
int embed_construct(const hier *h, hyp_model model, size_t dim, const construct_opts *o,
                    embedding *e, construct_info *info, char *why, size_t why_size);

/* Not yet written: output to the wide fixed-point formats (geom/hyp_fixed.h).
 * Every point exists in MPFR before rounding (emit_polar, place_sarkar in
 * the .c), so rounding x * 2^F once to the q128 words there is the hook;
 * that is what deeper trees (depth 50+) need. */

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
 * threads: workers (the result does not depend on it).
 * Returns 0, 1 (a point is invalid: why), 4 out of memory.
 */
int embed_eval(const hier *h, const embedding *e, unsigned threads, eval_result *r,
               char *why, size_t why_size);

#endif
