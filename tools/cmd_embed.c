/*
 * cmd_embed.c — `hyperstore embed`: a hierarchy's edge file to an embedding,
 * written as TSV or into a new store (labels, points and the Hasse edges).
 *
 * Nothing is written unless everything succeeded: the edge file is checked
 * whole, the embedding computed, and only then is OUT created (a TSV is
 * written to OUT.tmp and renamed; a store is created and filled in one
 * batch).
 *
 * --repr q32|q64|q128: the constructions are rounded once from MPFR into
 * the format's words and stored as such (hyp_batch_put_raw), and a TSV
 * holds each word's exact value k 2^-F in decimal (fixed_text.h, what
 * `export` writes, so `import` into a store of the same format gives back
 * the same words).  RSGD trains in binary64 (its arithmetic is binary64
 * throughout), from a construction scaled to fit both binary64 and the
 * format, and its points are then rounded once (hyp_fixed_from_double);
 * a trained point that does not fit the format is refused, never clamped.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "embed.h"
#include "fixed_text.h"
#include "hierarchy.h"
#include "store_cli.h"

const char cmd_embed_usage[] =
    "usage: hyperstore embed EDGES OUT [--dim N] [--model poincare|lorentz]\n"
    "                        [--repr f64|q32|q64|q128] [--method caps|sarkar|rsgd|both]\n"
    "                        [--epochs E] [--burnin B] [--negatives K] [--lr LR]\n"
    "                        [--seed S] [--threads T] [--hex] [--verbose]\n"
    "\n"
    "Embeds the hierarchy of EDGES (lines CHILD<TAB>PARENT or CHILD,PARENT; direct\n"
    "edges or the transitive closure) and writes OUT: a TSV file (LABEL<TAB>C1<TAB>...,\n"
    "one point per line, %.17g or --hex) when OUT ends in .tsv or is '-', otherwise a\n"
    "new store (labels, points and the hierarchy's edges) in representation R.\n"
    "\n"
    "Methods:\n"
    "  caps     (default; 'combinatorial' is a synonym) each node's ancestors closer to\n"
    "           it than any other node: reconstruction MAP 1 on a tree.  Radii grow\n"
    "           with depth; the margin is the largest that fits the model's capacity.\n"
    "  sarkar   Sarkar's construction (Sala et al. in n-D): low distortion of the tree\n"
    "           metric, edge length min(capacity / depth, 10).\n"
    "  rsgd     Riemannian SGD on Nickel and Kiela's loss from a small random start.\n"
    "  both     caps, then RSGD from it.\n"
    "The scale comes from the representation's capacity, the largest radius at which\n"
    "rounding moves a point by at most 2^-8 (half the caps' smallest slack):\n"
    "  poincare  f64 32, q32 16.3, q64 38.5, q128 82.8 (less ln sqrt(N/2) at --dim N)\n"
    "  lorentz   f64 60, q32 10.4, q64 21.5, q128 65.8\n"
    "Caps needs a radius of about 1.4 per level of a chain (more for nodes with many\n"
    "children): in poincare, binary64 holds a path of depth ~23, q128 of depth ~59.\n"
    "The constructions are computed in MPFR and each coordinate is rounded once, to\n"
    "binary64 or to the fixed word (nearest, ties to even).  RSGD trains in binary64\n"
    "and rounds its points into a fixed R once at the end (a point that does not fit\n"
    "is refused).\n"
    "A DAG is embedded through a spanning tree: each node keeps its deepest parent\n"
    "(longest path from a root), ties to the first label in byte order.\n"
    "\n"
    "Options:\n"
    "  --dim N          dimension n of H^n (default 2)\n"
    "  --model M        poincare (default) or lorentz\n"
    "  --repr R         f64 (binary64, default), q32, q64 or q128 (fixed-point words\n"
    "                   k 2^-F, as `init --repr`); a TSV then holds each word's\n"
    "                   exact value in decimal (or hexadecimal with --hex), as\n"
    "                   export writes it, and a store keeps the words themselves\n"
    "  --epochs E       RSGD epochs after the burn-in (default 50)\n"
    "  --burnin B       burn-in epochs at lr/10 (default 10)\n"
    "  --negatives K    negatives per positive (default 10)\n"
    "  --lr LR          learning rate (default 0.1)\n"
    "  --seed S         random seed (default 1)\n"
    "  --threads T      RSGD threads; 1 (default) is bit-reproducible\n"
    "  --hex            TSV coordinates as C99 hexadecimal floats\n"
    "  --verbose        construction and training details on stderr\n"
    "  -h, --help       show this help\n"
    "\n"
    "A malformed EDGES gets FILE:LINE: REASON on stderr (wrong field count, empty or\n"
    "invalid label, self-loop, duplicate edge, cycle with its nodes, no edge) and\n"
    "status 1; nothing is written.\n";

struct embed_opts {
    const char *edges, *out;
    size_t dim;
    hyp_model model;
    hyp_repr repr;
    int method; /* 0 caps, 1 sarkar, 2 rsgd, 3 both */
    int hex, verbose;
    rsgd_opts r;
};

static int parse_ulong(const char *cmd, const char *opt, const char *v, unsigned long lo,
                       unsigned long hi, unsigned long *out)
{
    unsigned long long x;
    if (scli_parse_u64(v, &x) != 0 || x < lo || x > hi)
        return cli_usage_error(cmd, "%s needs an integer from %lu to %lu, not '%s'", opt, lo, hi,
                               v);
    *out = (unsigned long)x;
    return 0;
}

static int parse_args(int argc, char **argv, struct embed_opts *o)
{
    const char *dim = NULL, *model = NULL, *method = NULL, *epochs = NULL, *burnin = NULL;
    const char *negs = NULL, *lr = NULL, *seed = NULL, *threads = NULL, *repr = NULL;
    rsgd_defaults(&o->r);
    o->dim = 2;
    o->model = HYP_POINCARE;
    o->repr = HYP_REPR_F64;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int m;
        if (cli_is_help(arg)) {
            fputs(cmd_embed_usage, stdout);
            return -1;
        }
        if ((m = cli_option_value("embed", argc, argv, &i, "--dim", &dim)) ||
            (m = cli_option_value("embed", argc, argv, &i, "--model", &model)) ||
            (m = cli_option_value("embed", argc, argv, &i, "--repr", &repr)) ||
            (m = cli_option_value("embed", argc, argv, &i, "--method", &method)) ||
            (m = cli_option_value("embed", argc, argv, &i, "--epochs", &epochs)) ||
            (m = cli_option_value("embed", argc, argv, &i, "--burnin", &burnin)) ||
            (m = cli_option_value("embed", argc, argv, &i, "--negatives", &negs)) ||
            (m = cli_option_value("embed", argc, argv, &i, "--lr", &lr)) ||
            (m = cli_option_value("embed", argc, argv, &i, "--seed", &seed)) ||
            (m = cli_option_value("embed", argc, argv, &i, "--threads", &threads))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        if ((m = cli_option_flag("embed", arg, "--hex")) ||
            (m = cli_option_flag("embed", arg, "--verbose"))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            if (strcmp(arg, "--hex") == 0)
                o->hex = 1;
            else
                o->verbose = o->r.verbose = 1;
            continue;
        }
        if (arg[0] == '-' && arg[1] != '\0')
            return cli_usage_error("embed", "unknown option '%s'", arg);
        if (o->edges == NULL)
            o->edges = arg;
        else if (o->out == NULL)
            o->out = arg;
        else
            return cli_usage_error("embed", "unexpected argument '%s'", arg);
    }
    if (o->edges == NULL || o->out == NULL)
        return cli_usage_error("embed", "expected EDGES and OUT");
    unsigned long v = 0;
    if (dim) {
        if (parse_ulong("embed", "--dim", dim, 2, HYP_DIM_MAX, &v))
            return CLI_EXIT_USAGE;
        o->dim = v;
    }
    if (model) {
        if (cli_model_parse("embed", model, &o->model) != 0)
            return CLI_EXIT_USAGE;
        if (o->model == HYP_EUCLID)
            return cli_usage_error("embed", "--model must be poincare or lorentz");
    }
    if (repr && hyp_repr_parse(repr, &o->repr) != HYP_OK)
        return cli_usage_error("embed", "unknown representation '%s' (expected f64, q32, q64 "
                                        "or q128)", repr);
    if (method) {
        if (strcmp(method, "caps") == 0 || strcmp(method, "combinatorial") == 0)
            o->method = 0;
        else if (strcmp(method, "sarkar") == 0)
            o->method = 1;
        else if (strcmp(method, "rsgd") == 0)
            o->method = 2;
        else if (strcmp(method, "both") == 0)
            o->method = 3;
        else
            return cli_usage_error("embed", "unknown method '%s' (caps, sarkar, rsgd, both)",
                                   method);
    }
    if (epochs && parse_ulong("embed", "--epochs", epochs, 0, 1000000, &o->r.epochs))
        return CLI_EXIT_USAGE;
    if (burnin && parse_ulong("embed", "--burnin", burnin, 0, 1000000, &o->r.burnin))
        return CLI_EXIT_USAGE;
    if (negs) {
        if (parse_ulong("embed", "--negatives", negs, 1, 64, &v))
            return CLI_EXIT_USAGE;
        o->r.negatives = (unsigned)v;
    }
    if (seed && parse_ulong("embed", "--seed", seed, 0, 0xffffffffUL, &o->r.seed))
        return CLI_EXIT_USAGE;
    if (threads) {
        if (parse_ulong("embed", "--threads", threads, 1, 64, &v))
            return CLI_EXIT_USAGE;
        o->r.threads = (unsigned)v;
    }
    if (lr) {
        char *end;
        errno = 0;
        o->r.lr = strtod(lr, &end);
        if (*end != '\0' || errno != 0 || !(o->r.lr > 0) || !isfinite(o->r.lr))
            return cli_usage_error("embed", "--lr needs a positive number, not '%s'", lr);
    }
    return 0;
}

static int is_tsv_path(const char *p)
{
    size_t n = strlen(p);
    return strcmp(p, "-") == 0 || (n >= 4 && strcmp(p + n - 4, ".tsv") == 0);
}

static int write_tsv(FILE *f, const hier *h, const embedding *e, const char *what, int hex)
{
    unsigned char *bytes = NULL;
    if (e->fixed && (bytes = malloc(e->qsize)) == NULL)
        return -1;
    fprintf(f, "# hyperstore embed: %s, model %s, dim %zu, %zu points%s%s%s\n", what,
            hyp_model_name(e->model), e->dim, e->count,
            e->fixed ? ", repr " : "", e->fixed ? hyp_fixed_name(e->format) : "",
            e->model == HYP_LORENTZ ? " (x0 first)" : "");
    for (size_t u = 0; u < e->count; u++) {
        fputs(h->label[u], f);
        if (e->fixed) {
            /* Exact decimals of k 2^-F (and a binary64 x0 for Lorentz): the
             * export format, read back to the same words by import. */
            hyp_fixed_encode(e->format, e->model, e->dim, embedding_words(e, u), bytes);
            fixed_text_write(f, e->format, e->model, e->dim, bytes, '\t', hex);
        } else {
            for (size_t i = 0; i < e->width; i++) {
                fputc('\t', f);
                cli_print_double(f, e->x[u * e->width + i], hex);
            }
        }
        fputc('\n', f);
    }
    free(bytes);
    return 0;
}

static int output_tsv(const struct embed_opts *o, const hier *h, const embedding *e,
                      const char *what)
{
    if (strcmp(o->out, "-") == 0)
        return write_tsv(stdout, h, e, what, o->hex) == 0 ? CLI_EXIT_OK : CLI_EXIT_INTERNAL;
    FILE *f;
    char *tmp;
    int st = cli_out_open("embed", o->out, &f, &tmp);
    if (st != CLI_EXIT_OK)
        return st;
    return cli_out_close("embed", o->out, f, tmp, write_tsv(f, h, e, what, o->hex) != 0);
}

static int output_store(const struct embed_opts *o, const hier *h, const embedding *e,
                        const char *what)
{
    hyp_store_config cfg = { 0 };
    hyp_store *s = NULL;
    hyp_batch *b = NULL;
    unsigned char *bytes = NULL;
    cfg.model = e->model;
    cfg.dim = e->dim;
    cfg.repr = o->repr;
    if (e->fixed && (bytes = malloc(e->qsize)) == NULL)
        return CLI_EXIT_INTERNAL;
    int rc = hyp_store_create(o->out, &cfg, &s);
    if (rc != HYP_OK) {
        int st = scli_fail("embed", s, rc, "cannot create the store");
        hyp_store_close(s);
        free(bytes);
        return st;
    }
    if ((rc = hyp_batch_begin(s, &b)) != HYP_OK)
        goto fail;
    for (size_t u = 0; u < h->n; u++) {
        if (e->fixed) {
            /* The words as computed: no second rounding on the way in. */
            hyp_fixed_encode(e->format, e->model, e->dim, embedding_words(e, u), bytes);
            rc = hyp_batch_put_raw(b, h->label[u], strlen(h->label[u]), bytes, 0, NULL);
        } else {
            rc = hyp_batch_put(b, h->label[u], strlen(h->label[u]), e->x + u * e->width, 0,
                               NULL);
        }
        if (rc != HYP_OK)
            goto fail;
    }
    for (size_t u = 0; u < h->n; u++)
        for (size_t k = h->hasse_off[u]; k < h->hasse_off[u + 1]; k++) {
            const char *p = h->label[h->hasse[k]];
            if ((rc = hyp_batch_edge_add(b, h->label[u], strlen(h->label[u]), p, strlen(p))) !=
                HYP_OK)
                goto fail;
        }
    char note[200];
    snprintf(note, sizeof note, "embed %s (%s)", o->edges, what);
    hyp_batch_note(b, note);
    rc = hyp_batch_commit(b, NULL, NULL);
    b = NULL;
    if (rc != HYP_OK)
        goto fail;
    hyp_store_close(s);
    free(bytes);
    return CLI_EXIT_OK;
fail:
    hyp_batch_abort(b);
    free(bytes);
    {
        int st = scli_fail("embed", s, rc, "writing the store");
        hyp_store_close(s);
        return st;
    }
}

/* Replaces the binary64 points of e by their words in format, each
 * coordinate rounded once (hyp_fixed_from_double: nearest, ties to even).
 * A point that does not fit is refused with its label and radius. */
static int round_trained(const hier *h, embedding *e, hyp_fixed_format format)
{
    embedding q;
    if (embedding_alloc_fixed(&q, e->model, e->dim, format, e->count) != 0) {
        embedding_free(&q);
        fprintf(stderr, "hyperstore embed: out of memory\n");
        return CLI_EXIT_INTERNAL;
    }
    for (size_t u = 0; u < e->count; u++) {
        const double *x = e->x + u * e->width;
        int err = hyp_fixed_from_double(format, e->model, e->dim, x, embedding_words(&q, u));
        if (err != HYP_OK) {
            double r = 0;
            hyp_radius(e->model, e->dim, x, &r);
            fprintf(stderr, "hyperstore embed: the trained point of \"%s\" (radius %.2f) does "
                            "not fit %s %s: %s\n",
                    h->label[u], r, hyp_model_name(e->model), hyp_fixed_name(format),
                    hyp_strerror(err));
            embedding_free(&q);
            return CLI_EXIT_REJECTED;
        }
    }
    embedding_free(e);
    *e = q;
    return CLI_EXIT_OK;
}

int cmd_embed(int argc, char **argv)
{
    struct embed_opts o = { 0 };
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? CLI_EXIT_OK : rc;

    const char *name;
    FILE *in = cli_open_input("embed", o.edges, &name);
    if (in == NULL)
        return CLI_EXIT_IO;
    hier h;
    rc = hier_read(in, name, stderr, &h);
    cli_close_input(in);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (o.verbose)
        fprintf(stderr,
                "embed: %zu nodes, %zu edges given, %zu in the Hasse diagram, %zu root%s, "
                "depth %zu, %s\n",
                h.n, h.edges_given, h.edges_hasse, h.roots, h.roots == 1 ? "" : "s",
                h.max_depth, h.is_tree ? "a tree" : "a DAG (embedded through a spanning tree)");

    embedding e = { 0 };
    char why[512] = "";
    const char *what = o.method == 1 ? "sarkar" : o.method == 2 ? "rsgd"
                     : o.method == 3 ? "caps+rsgd" : "caps";
    int fixed = o.repr != HYP_REPR_F64;
    hyp_fixed_format format = fixed ? (hyp_fixed_format)o.repr : HYP_FIXED_Q128;
    if (o.method != 2) {
        construct_opts co = { 0 };
        construct_info info;
        co.kind = o.method == 1 ? CONSTRUCT_SARKAR : CONSTRUCT_CAPS;
        co.verbose = o.verbose;
        if (o.method == 3 && fixed) /* RSGD follows in binary64: fit both */
            co.max_radius = fmin(embed_capacity(o.model, 0, format, o.dim),
                                 embed_capacity(o.model, 1, format, o.dim));
        else if (fixed) {
            co.fixed = 1;
            co.format = format;
        }
        rc = embed_construct(&h, o.model, o.dim, &co, &e, &info, why, sizeof why);
        if (rc != CLI_EXIT_OK) {
            if (rc == CLI_EXIT_INTERNAL)
                fprintf(stderr, "hyperstore embed: out of memory\n");
            else if (o.method == 3 && fixed)
                fprintf(stderr, "hyperstore embed: RSGD trains in binary64, so its start "
                                "must fit both binary64 and %s %s: %s\n",
                        hyp_model_name(o.model), hyp_fixed_name(format), why);
            else
                fprintf(stderr, "hyperstore embed: %s\n", why);
            hier_free(&h);
            return rc;
        }
    }
    if (o.method >= 2) {
        rc = embed_rsgd(&h, o.model, o.dim, &o.r, o.method == 3, &e, NULL);
        if (rc != CLI_EXIT_OK) {
            fprintf(stderr, "hyperstore embed: out of memory\n");
            embedding_free(&e);
            hier_free(&h);
            return rc;
        }
        if (fixed && (rc = round_trained(&h, &e, format)) != CLI_EXIT_OK) {
            embedding_free(&e);
            hier_free(&h);
            return rc;
        }
    }
    rc = is_tsv_path(o.out) ? output_tsv(&o, &h, &e, what) : output_store(&o, &h, &e, what);
    embedding_free(&e);
    hier_free(&h);
    return rc;
}
