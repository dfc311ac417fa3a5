/*
 * cmd_eval.c — `hyperstore eval`: how well an embedding reconstructs a
 * hierarchy (mean rank, MAP, distortion; definitions in embed.h / eval.c).
 *
 * A fixed-point store (or a TSV with --repr q32|q64|q128, as export and
 * embed write it) is measured on its words, never through binary64: a
 * Poincaré q128 point at radius 80 has no binary64 image (eval.c).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "embed.h"
#include "fixed_text.h"
#include "fmt.h"
#include "hierarchy.h"
#include "store_cli.h"

const char cmd_eval_usage[] =
    "usage: hyperstore eval EMBEDDING EDGES [--model poincare|lorentz]\n"
    "                       [--repr f64|q32|q64|q128] [--threads T] [--json] [--no-time]\n"
    "\n"
    "Measures how well EMBEDDING (a store, or a TSV file LABEL<TAB>C1<TAB>... when\n"
    "its name ends in .tsv or is '-') reconstructs the hierarchy of EDGES:\n"
    "  mean rank, MAP  for every node u with ancestors, all other nodes ranked by\n"
    "                  distance to u (u itself excluded, as in poincare-embeddings;\n"
    "                  gensim counts u and reports ranks one higher); the\n"
    "                  ancestors (transitive closure of EDGES) are the positives;\n"
    "                  rank = 1 + the non-ancestors at a distance <= the ancestor's.\n"
    "                  Distances are compared exactly (ties count against).\n"
    "                  A fixed-point embedding (q32, q64, q128) is measured on its\n"
    "                  words: exact comparisons and distances to 2^-64, with no\n"
    "                  binary64 point in between (so the figures of a tree too deep\n"
    "                  for binary64 are exact too, and the same on every platform).\n"
    "  distortion      for a tree: mean |d_H/(s d_T) - 1| with s the mean ratio\n"
    "                  d_H/d_T, and the worst max(d_H/d_T) / min(d_H/d_T); all pairs\n"
    "                  up to 3000 nodes, else the pairs of 1000 seeded sources.\n"
    "\n"
    "Options:\n"
    "  --model M     the TSV's model: poincare (default; n coordinates) or lorentz\n"
    "                (n + 1, x0 first)\n"
    "  --repr R      the TSV's representation: f64 (default) or q32, q64, q128: each\n"
    "                coordinate rounded once to its word (nearest, ties to even), as\n"
    "                import does; a Lorentz x0 is skipped.  A store has its own.\n"
    "  --threads T   worker threads (default 2; the figures do not depend on it)\n"
    "  --json        one JSON object instead of text\n"
    "  --no-time     leave out the time (output that depends on the inputs only,\n"
    "                for golden tests and diffs)\n"
    "  -h, --help    show this help\n";

struct eval_opts {
    const char *emb, *edges;
    hyp_model model;
    hyp_repr repr;
    unsigned threads;
    int json;
    int no_time; /* --no-time */
};

static int parse_args(int argc, char **argv, struct eval_opts *o)
{
    const char *model = NULL, *threads = NULL, *repr = NULL;
    o->model = HYP_POINCARE;
    o->repr = HYP_REPR_F64;
    o->threads = 2;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int m;
        if (cli_is_help(arg)) {
            fputs(cmd_eval_usage, stdout);
            return -1;
        }
        if ((m = cli_option_value("eval", argc, argv, &i, "--model", &model)) ||
            (m = cli_option_value("eval", argc, argv, &i, "--repr", &repr)) ||
            (m = cli_option_value("eval", argc, argv, &i, "--threads", &threads))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        if ((m = cli_option_flag("eval", arg, "--json")) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            o->json = 1;
            continue;
        }
        if ((m = cli_option_flag("eval", arg, "--no-time")) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            o->no_time = 1;
            continue;
        }
        if (arg[0] == '-' && arg[1] != '\0')
            return cli_usage_error("eval", "unknown option '%s'", arg);
        if (o->emb == NULL)
            o->emb = arg;
        else if (o->edges == NULL)
            o->edges = arg;
        else
            return cli_usage_error("eval", "unexpected argument '%s'", arg);
    }
    if (o->emb == NULL || o->edges == NULL)
        return cli_usage_error("eval", "expected EMBEDDING and EDGES");
    if (model && (cli_model_parse("eval", model, &o->model) != 0))
        return CLI_EXIT_USAGE;
    if (o->model == HYP_EUCLID)
        return cli_usage_error("eval", "--model must be poincare or lorentz");
    if (repr && hyp_repr_parse(repr, &o->repr) != HYP_OK)
        return cli_usage_error("eval", "unknown representation '%s' (expected f64, q32, q64 "
                                       "or q128)", repr);
    if (threads) {
        unsigned long long t;
        if (scli_parse_u64(threads, &t) != 0 || t < 1 || t > 64)
            return cli_usage_error("eval", "--threads needs an integer from 1 to 64");
        o->threads = (unsigned)t;
    }
    return 0;
}

/* Marks node u as having a point and copies it (width doubles, or the
 * decoded words of a fixed embedding); reports a label twice. */
static int take(const hier *h, embedding *e, unsigned char *have, const char *label,
                size_t len, const void *x, size_t width, size_t *unknown)
{
    char buf[HYP_LABEL_MAX + 1];
    if (len > HYP_LABEL_MAX) {
        (*unknown)++;
        return 0;
    }
    memcpy(buf, label, len);
    buf[len] = '\0';
    size_t u = hier_find(h, buf);
    if (u == HIER_NONE) {
        (*unknown)++;
        return 0;
    }
    if (have[u])
        return -1;
    have[u] = 1;
    if (e->fixed)
        memcpy(embedding_words(e, u), x, e->qsize);
    else
        memcpy(e->x + u * e->width, x, width * sizeof *e->x);
    return 0;
}

static int load_tsv(const struct eval_opts *o, const hier *h, embedding *e,
                    unsigned char *have, size_t *unknown)
{
    const char *name;
    char why[512];
    FILE *in = cli_open_input("eval", o->emb, &name);
    if (in == NULL)
        return CLI_EXIT_IO;
    fmt_reader *f = fmt_open(FMT_TSV, in, name, NULL, NULL, HYP_DIM_MAX + 1, why, sizeof why);
    if (f == NULL) {
        fprintf(stderr, "hyperstore eval: %s: %s\n", name, why);
        cli_close_input(in);
        return CLI_EXIT_IO;
    }
    int st = CLI_EXIT_OK, fixed = o->repr != HYP_REPR_F64;
    hyp_fixed_format format = (hyp_fixed_format)o->repr;
    unsigned char *bytes = NULL; /* fixed: one point encoded, then decoded */
    void *words = NULL;
    rec r;
    enum rec_status rs;
    while ((rs = fmt_next(f, &r, why, sizeof why)) != REC_EOF) {
        if (rs != REC_OK) {
            fprintf(stderr, "%s:%lu: %s\n", r.file, r.line, why);
            st = CLI_EXIT_REJECTED;
            if (rs == REC_FATAL)
                break;
            continue;
        }
        if (e->width == 0) {
            size_t dim = o->model == HYP_LORENTZ ? r.count - 1 : r.count;
            if (dim < 1 ||
                (fixed ? embedding_alloc_fixed(e, o->model, dim, format, h->n)
                       : embedding_alloc(e, o->model, dim, h->n)) != 0 ||
                (fixed && ((bytes = malloc(e->qsize)) == NULL ||
                           (words = malloc(e->qsize)) == NULL))) {
                fprintf(stderr, "%s:%lu: %s\n", r.file, r.line,
                        dim < 1 ? "a Lorentz point needs at least 2 coordinates"
                                : "out of memory");
                st = dim < 1 ? CLI_EXIT_REJECTED : CLI_EXIT_INTERNAL;
                break;
            }
        }
        if (r.count != e->width) {
            fprintf(stderr, "%s:%lu: %zu coordinates, expected %zu\n", r.file, r.line, r.count,
                    e->width);
            st = CLI_EXIT_REJECTED;
            continue;
        }
        if (fixed) {
            /* One rounding from the decimal to the word, as import does; the
             * decoded point is checked by embed_eval with the others. */
            int err = fixed_text_parse(format, o->model, e->dim, r.text,
                                       o->model == HYP_LORENTZ, bytes);
            if (err != HYP_OK) {
                fprintf(stderr, "%s:%lu: %s\n", r.file, r.line,
                        err == EINVAL ? "not a number" : hyp_strerror(err));
                st = CLI_EXIT_REJECTED;
                continue;
            }
            hyp_fixed_decode(format, o->model, e->dim, bytes, words);
        }
        if (take(h, e, have, r.label, r.label_len, fixed ? words : (const void *)r.coords,
                 r.count, unknown) != 0) {
            fprintf(stderr, "%s:%lu: label given twice\n", r.file, r.line);
            st = CLI_EXIT_REJECTED;
        }
    }
    fmt_close(f);
    cli_close_input(in);
    free(bytes);
    free(words);
    if (st == CLI_EXIT_OK && e->width == 0) {
        fprintf(stderr, "hyperstore eval: %s holds no point\n", name);
        st = CLI_EXIT_REJECTED;
    }
    return st;
}

struct store_load {
    const hier *h;
    embedding *e;
    unsigned char *have;
    size_t *unknown;
    void *x; /* one point, aligned: width doubles, or the decoded words */
};

static int store_point(void *ctx, uint64_t id, const char *label, size_t len,
                       const unsigned char *bytes)
{
    struct store_load *sl = ctx;
    const embedding *e = sl->e;
    (void)id;
    /* The bytes are unaligned in the map: decode into the aligned buffer.
     * A fixed point that does not check is copied anyway and reported by
     * embed_eval with its label, as a bad binary64 point is. */
    if (e->fixed)
        hyp_fixed_decode(e->format, e->model, e->dim, bytes, sl->x);
    else
        hyp_f64_decode(bytes, e->width, sl->x);
    return take(sl->h, sl->e, sl->have, label, len, sl->x, e->width, sl->unknown);
}

static int load_store(const struct eval_opts *o, const hier *h, embedding *e,
                      unsigned char *have, size_t *unknown)
{
    hyp_store *s = NULL;
    hyp_read *r = NULL;
    hyp_store_info info;
    int st = scli_open("eval", o->emb, HYP_STORE_RDONLY, &s);
    if (st != 0) {
        hyp_store_close(s);
        return st;
    }
    int rc = hyp_store_get_info(s, &info);
    if (rc == HYP_OK && info.model == HYP_EUCLID) {
        fprintf(stderr, "hyperstore eval: the store is in the euclid model; convert it first\n");
        hyp_store_close(s);
        return CLI_EXIT_REJECTED;
    }
    int fixed = rc == HYP_OK && info.repr != HYP_REPR_F64;
    if (rc == HYP_OK &&
        (fixed ? embedding_alloc_fixed(e, info.model, info.dim, (hyp_fixed_format)info.repr,
                                       h->n)
               : embedding_alloc(e, info.model, info.dim, h->n)) != 0)
        rc = ENOMEM;
    void *x = rc == HYP_OK ? malloc(fixed ? e->qsize : e->width * sizeof(double)) : NULL;
    if (rc == HYP_OK && x == NULL)
        rc = ENOMEM;
    if (rc == HYP_OK)
        rc = hyp_read_begin(s, &r);
    if (rc == HYP_OK) {
        struct store_load sl = { h, e, have, unknown, x };
        rc = hyp_read_foreach(r, store_point, &sl);
    }
    hyp_read_end(r);
    free(x);
    if (rc != HYP_OK)
        st = scli_fail("eval", s, rc, "reading the store");
    hyp_store_close(s);
    return st;
}

int cmd_eval(int argc, char **argv)
{
    struct eval_opts o = { 0 };
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? CLI_EXIT_OK : rc;
    size_t len = strlen(o.emb);
    int tsv = strcmp(o.emb, "-") == 0 || (len >= 4 && strcmp(o.emb + len - 4, ".tsv") == 0);
    if (!tsv && strcmp(o.edges, "-") == 0)
        ; /* fine: only one of them may be standard input */
    else if (tsv && strcmp(o.emb, "-") == 0 && strcmp(o.edges, "-") == 0)
        return cli_usage_error("eval", "EMBEDDING and EDGES cannot both be standard input");

    const char *name;
    FILE *in = cli_open_input("eval", o.edges, &name);
    if (in == NULL)
        return CLI_EXIT_IO;
    hier h;
    rc = hier_read(in, name, stderr, &h);
    cli_close_input(in);
    if (rc != CLI_EXIT_OK)
        return rc;

    embedding e = { 0 };
    unsigned char *have = calloc(h.n, 1);
    size_t unknown = 0;
    if (have == NULL) {
        hier_free(&h);
        return CLI_EXIT_INTERNAL;
    }
    rc = tsv ? load_tsv(&o, &h, &e, have, &unknown) : load_store(&o, &h, &e, have, &unknown);
    if (rc == CLI_EXIT_OK) {
        size_t missing = 0;
        for (size_t u = 0; u < h.n; u++)
            if (!have[u] && missing++ < 5)
                fprintf(stderr, "hyperstore eval: no point for \"%s\"\n", h.label[u]);
        if (missing > 0) {
            fprintf(stderr, "hyperstore eval: %zu node%s of %s without a point\n", missing,
                    missing == 1 ? "" : "s", name);
            rc = CLI_EXIT_REJECTED;
        }
    }
    eval_result r;
    char why[512];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (rc == CLI_EXIT_OK) {
        rc = embed_eval(&h, &e, o.threads, &r, why, sizeof why);
        if (rc == CLI_EXIT_REJECTED)
            fprintf(stderr, "hyperstore eval: %s\n", why);
        else if (rc == CLI_EXIT_INTERNAL)
            fprintf(stderr, "hyperstore eval: out of memory\n");
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    if (rc == CLI_EXIT_OK) {
        if (o.json) {
            printf("{\"nodes\": %zu, \"queries\": %zu, \"positives\": %zu, "
                   "\"mean_rank\": %.17g, \"map\": %.17g, ",
                   h.n, r.queries, r.positives, r.mean_rank, r.map);
            if (r.has_distortion)
                printf("\"distortion\": {\"avg\": %.17g, \"worst\": %.17g, \"scale\": %.17g, "
                       "\"pairs\": %zu}, ",
                       r.distortion_avg, r.distortion_worst, r.scale, r.pairs);
            else
                printf("\"distortion\": null, ");
            printf("\"exact_comparisons\": %lu, \"unknown_labels\": %zu", r.exact, unknown);
            if (!o.no_time)
                printf(", \"seconds\": %.3f", secs);
            printf("}\n");
        } else {
            printf("nodes       %zu (%s)\n", h.n, h.is_tree ? "tree" : "DAG");
            printf("queries     %zu nodes with ancestors, %zu (node, ancestor) pairs\n",
                   r.queries, r.positives);
            printf("mean rank   %.4f\n", r.mean_rank);
            printf("MAP         %.6f\n", r.map);
            if (r.has_distortion)
                printf("distortion  avg %.4f, worst %.4g (%zu pairs, scale %.4g)\n",
                       r.distortion_avg, r.distortion_worst, r.pairs, r.scale);
            printf("exact       %lu comparisons settled exactly\n", r.exact);
            if (unknown)
                printf("ignored     %zu points whose labels are not in %s\n", unknown, name);
            if (!o.no_time)
                printf("time        %.2f s\n", secs);
        }
    }
    free(have);
    embedding_free(&e);
    hier_free(&h);
    return rc;
}
