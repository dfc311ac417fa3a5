/*
 * cmd_advise.c — `hyperstore advise FILE --model M`: which representation
 * (f64, q32, q64, q128) a file of embeddings needs, measured on the file
 * itself (tools/advise.h has the measures and the rule).  Reads the files
 * `import` reads, with the same readers (tools/fmt.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "advise.h"
#include "cli.h"
#include "commands.h"
#include "fmt.h"
#include "points.h"

#define ADVISE_QUERIES_DEFAULT 1000

const char cmd_advise_usage[] =
    "usage: hyperstore advise FILE --model MODEL [--spatial] [--format tsv|csv|w2v|npy]\n"
    "                         [--labels FILE] [--queries N] [--json]\n"
    "\n"
    "Measures what each representation (f64, q32, q64, q128) does to the points of\n"
    "FILE ('-': standard input) and recommends the smallest one that is good enough.\n"
    "FILE is read as 'import' reads it: one labelled point per record (tsv\n"
    "LABEL<TAB>C1<TAB>C2..., csv, word2vec text, or .npy with --labels); the labels\n"
    "are not used.  Per format it reports:\n"
    "  fit        how many points convert into the format without clamping;\n"
    "  max error  the largest quantization error, as a hyperbolic distance: binary64\n"
    "             hyp_dist between each point and its image decoded to binary64 (exact\n"
    "             images for poincare and lorentz; for euclid the figure may include\n"
    "             binary64's own rounding of the image, about sqrt(n) 2^-52 sinh(r));\n"
    "  agree      for how many query points the list of the 10 nearest other points,\n"
    "             ranked exactly (exact comparisons, ties by input order) among the\n"
    "             points of the format, equals the binary64 list, order included (a\n"
    "             query that does not fit counts as a disagreement);\n"
    "  overlap    the mean fraction of the binary64 list found in the format's list.\n"
    "The recommendation is the format with the fewest bytes per point (a fixed-point\n"
    "format before f64 at equal size) in which every point fits and at least 99.9%\n"
    "of the lists agree.\n"
    "\n"
    "Options:\n"
    "  --model MODEL  poincare, lorentz or euclid: the file's model (required)\n"
    "  --spatial      Lorentz points give only their n spatial coordinates\n"
    "  --format F     the file's format (default: from the extension, else tsv)\n"
    "  --labels FILE  the labels of a .npy file\n"
    "  --queries N    at most N query points, evenly spread over the file (point\n"
    "                 floor(j * count / N) for j < N); 0: every point (default 1000)\n"
    "  --json         one JSON object instead of the table\n"
    "  -h, --help     show this help\n"
    "\n"
    "A bad record is reported as FILE:LINE: REASON and left out; the advice is\n"
    "given on the rest and the exit status is then 1.  Cost: one binary64 distance\n"
    "per point and query, plus a few exact comparisons per query and format.\n";

struct advise_opts {
    const char *file, *labels, *format_name, *model_name, *queries;
    enum fmt_kind kind;
    point_format pf;
    int json;
    size_t max_queries;
};

static int parse_args(int argc, char **argv, struct advise_opts *o)
{
    o->max_queries = ADVISE_QUERIES_DEFAULT;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int m;
        if (cli_is_help(arg)) {
            fputs(cmd_advise_usage, stdout);
            return -1;
        }
        if ((m = cli_option_value("advise", argc, argv, &i, "--model", &o->model_name)) ||
            (m = cli_option_value("advise", argc, argv, &i, "--format", &o->format_name)) ||
            (m = cli_option_value("advise", argc, argv, &i, "--labels", &o->labels)) ||
            (m = cli_option_value("advise", argc, argv, &i, "--queries", &o->queries))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        if ((m = cli_option_flag("advise", arg, "--spatial")) ||
            (m = cli_option_flag("advise", arg, "--json"))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            if (strcmp(arg, "--spatial") == 0)
                o->pf.spatial = 1;
            else
                o->json = 1;
            continue;
        }
        if (arg[0] == '-' && arg[1] != '\0')
            return cli_usage_error("advise", "unknown option '%s'", arg);
        if (o->file != NULL)
            return cli_usage_error("advise", "unexpected argument '%s'", arg);
        o->file = arg;
    }
    if (o->file == NULL)
        return cli_usage_error("advise", "expected FILE");
    if (o->model_name == NULL)
        return cli_usage_error("advise", "option --model is required");
    if (cli_model_parse("advise", o->model_name, &o->pf.model) != 0)
        return CLI_EXIT_USAGE;
    if (o->pf.spatial && o->pf.model != HYP_LORENTZ)
        return cli_usage_error("advise", "--spatial applies only to --model lorentz");
    if (o->format_name) {
        if (fmt_parse(o->format_name, &o->kind) != 0)
            return cli_usage_error("advise", "unknown format '%s' (expected tsv, csv, w2v or npy)",
                                   o->format_name);
    } else {
        o->kind = strcmp(o->file, "-") == 0 ? FMT_TSV : fmt_guess(o->file);
    }
    if (o->kind == FMT_NPY && o->labels == NULL)
        return cli_usage_error("advise", "a .npy file needs --labels FILE");
    if (o->kind != FMT_NPY && o->labels != NULL)
        return cli_usage_error("advise", "--labels applies only to --format npy");
    if (o->queries) {
        char *end;
        unsigned long long v = strtoull(o->queries, &end, 10);
        if (o->queries[0] < '0' || o->queries[0] > '9' || *end != '\0' || v > (size_t)-1 / 2)
            return cli_usage_error("advise", "--queries needs a non-negative integer, not '%s'",
                                   o->queries);
        o->max_queries = (size_t)v;
    }
    return 0;
}

static void report_bad(const rec *r, const char *why)
{
    if (r->is_row)
        fprintf(stderr, "%s: row %lu: %s\n", r->file, r->line, why);
    else
        fprintf(stderr, "%s:%lu: %s\n", r->file, r->line, why);
}

/* The points of the file, validated, in the library's layout.  Returns 0
 * (with *bad counting the records left out) or an exit status (reported). */
static int read_points(const struct advise_opts *o, double **pts, size_t *count, size_t *n,
                       unsigned long *bad)
{
    const char *name;
    FILE *in = cli_open_input("advise", o->file, &name), *labels = NULL;
    fmt_reader *f = NULL;
    point *p = malloc(sizeof *p);
    char why[600];
    size_t cap = 0, width = 0, in_count = 0;
    int status = 0;

    *pts = NULL;
    *count = *n = 0;
    *bad = 0;
    if (in == NULL) {
        free(p);
        return CLI_EXIT_IO;
    }
    if (o->labels && (labels = fopen(o->labels, "r")) == NULL) {
        fprintf(stderr, "hyperstore advise: cannot open '%s'\n", o->labels);
        status = CLI_EXIT_IO;
        goto out;
    }
    if (p == NULL ||
        (f = fmt_open(o->kind, in, name, labels, o->labels, HYP_DIM_MAX + 1, why, sizeof why)) ==
            NULL) {
        fprintf(stderr, "hyperstore advise: %s: %s\n", name, p ? why : "out of memory");
        status = p ? CLI_EXIT_REJECTED : CLI_EXIT_INTERNAL;
        goto out;
    }
    for (;;) {
        rec r;
        enum rec_status st = fmt_next(f, &r, why, sizeof why);
        if (st == REC_EOF)
            break;
        if (st == REC_FATAL) {
            report_bad(&r, why);
            status = CLI_EXIT_IO;
            goto out;
        }
        if (st == REC_BAD) {
            report_bad(&r, why);
            (*bad)++;
            continue;
        }
        size_t need = o->pf.model == HYP_LORENTZ && !o->pf.spatial ? 2 : 1;
        if (r.count < need || (in_count != 0 && r.count != in_count)) {
            if (in_count != 0)
                snprintf(why, sizeof why, "expected %zu coordinates, found %zu", in_count,
                         r.count);
            else
                snprintf(why, sizeof why, "a Lorentz point needs x0 and a spatial coordinate");
            report_bad(&r, why);
            (*bad)++;
            continue;
        }
        memcpy(p->text, r.coords, r.count * sizeof *r.coords);
        p->count = r.count;
        p->n = r.count - (need - 1);
        if (point_validate(&o->pf, NULL, p, why, sizeof why) != 0) {
            report_bad(&r, why);
            (*bad)++;
            continue;
        }
        if (in_count == 0) {
            in_count = r.count;
            *n = p->n;
            width = hyp_model_width(o->pf.model, *n);
        }
        if (*count == cap) {
            size_t ncap = cap ? 2 * cap : 256;
            double *grown = realloc(*pts, ncap * width * sizeof(double));
            if (grown == NULL) {
                fprintf(stderr, "hyperstore advise: out of memory\n");
                status = CLI_EXIT_INTERNAL;
                goto out;
            }
            *pts = grown;
            cap = ncap;
        }
        memcpy(*pts + *count * width, p->x, width * sizeof(double));
        (*count)++;
    }
out:
    fmt_close(f);
    if (labels)
        fclose(labels);
    cli_close_input(in);
    free(p);
    return status;
}

static void print_error(FILE *out, double e, int json)
{
    if (e == INFINITY)
        fputs(json ? "null" : "unknown", out);
    else
        fprintf(out, json ? "%.17g" : "%.3g", e);
}

static void print_table(const struct advise_opts *o, size_t n, const advise_report *rep)
{
    const char *model = hyp_model_name(o->pf.model);
    printf("%s: %zu points of H^%zu (%s)\n", strcmp(o->file, "-") ? o->file : "<stdin>",
           rep->points, n, model);
    printf("top-%zu lists of %zu query points (%s), exact comparisons, ties by input order\n\n",
           rep->k, rep->queries, rep->queries == rep->points ? "every point" : "evenly spread");
    printf("format  bytes/point  fit          max error  agree                 overlap\n");
    for (int r = 0; r < ADVISE_ROWS; r++) {
        const advise_row *row = &rep->rows[r];
        char fit[48], agree[64], err[32];
        snprintf(fit, sizeof fit, "%zu/%zu", row->fit, rep->points);
        snprintf(agree, sizeof agree, "%zu/%zu (%.1f%%)", row->agree, rep->queries,
                 rep->queries ? 100.0 * (double)row->agree / (double)rep->queries : 100.0);
        if (row->fit == 0)
            snprintf(err, sizeof err, "-");
        else if (row->max_error == INFINITY)
            snprintf(err, sizeof err, "unknown");
        else
            snprintf(err, sizeof err, "%.3g", row->max_error);
        printf("%-6s  %11zu  %-11s  %9s  %-20s  %.4f\n", row->name, row->bytes_per_point, fit, err,
               agree, row->overlap);
    }
    printf("\nrecommended: %s (the smallest format that holds every point and agrees on\n"
           "at least 99.9%% of the top-%zu lists)\n",
           rep->rows[rep->recommended].name, rep->k);
}

static void print_json(const struct advise_opts *o, size_t n, unsigned long bad,
                       const advise_report *rep)
{
    printf("{\"model\": \"%s\", \"dim\": %zu, \"points\": %zu, \"rejected\": %lu, "
           "\"queries\": %zu, \"k\": %zu, \"threshold\": 0.999, \"formats\": [",
           hyp_model_name(o->pf.model), n, rep->points, bad, rep->queries, rep->k);
    for (int r = 0; r < ADVISE_ROWS; r++) {
        const advise_row *row = &rep->rows[r];
        printf("%s{\"format\": \"%s\", \"bytes_per_point\": %zu, \"fit\": %zu, \"max_error\": ",
               r ? ", " : "", row->name, row->bytes_per_point, row->fit);
        if (row->fit == 0)
            fputs("null", stdout);
        else
            print_error(stdout, row->max_error, 1);
        printf(", \"max_error_point\": %zu, \"agree\": %zu, \"overlap\": %.6f}",
               row->max_error_index, row->agree, row->overlap);
    }
    printf("], \"recommended\": \"%s\"}\n", rep->rows[rep->recommended].name);
}

int cmd_advise(int argc, char **argv)
{
    struct advise_opts o = { 0 };
    int status = parse_args(argc, argv, &o);
    if (status != 0)
        return status < 0 ? CLI_EXIT_OK : status;

    double *pts;
    size_t count, n;
    unsigned long bad;
    if ((status = read_points(&o, &pts, &count, &n, &bad)) != 0) {
        free(pts);
        return status;
    }
    if (count == 0) {
        fprintf(stderr, "hyperstore advise: %s: no valid point to advise on\n",
                strcmp(o.file, "-") ? o.file : "<stdin>");
        free(pts);
        return CLI_EXIT_REJECTED;
    }
    advise_report rep;
    if (advise_run(o.pf.model, n, pts, count, o.max_queries, &rep) != 0) {
        fprintf(stderr, "hyperstore advise: out of memory\n");
        free(pts);
        return CLI_EXIT_INTERNAL;
    }
    free(pts);
    if (o.json)
        print_json(&o, n, bad, &rep);
    else
        print_table(&o, n, &rep);
    return bad ? CLI_EXIT_REJECTED : CLI_EXIT_OK;
}
