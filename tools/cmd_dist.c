/*
 * cmd_dist.c — `hyperstore dist`: the hyperbolic distance of each pair of
 * points read, one pair per line, in binary64 or, with --repr q32|q64|q128,
 * between the points rounded into a fixed-point format (hyp_fixed.h) and in
 * integer arithmetic only, printed in Q32.32.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hyp_fixed.h"

#include "cli.h"
#include "commands.h"
#include "points.h"
#include "records.h"

const char cmd_dist_usage[] =
    "usage: hyperstore dist --model MODEL [--repr f64|q32|q64|q128] [--file FILE]\n"
    "                       [--spatial] [--hex]\n"
    "\n"
    "Prints the hyperbolic distance of each pair of points read, one pair per\n"
    "line: the coordinates of the first point, a TAB, those of the second.\n"
    "Coordinates are separated by commas, written as decimal or C99 hexadecimal\n"
    "floats (0x1.8p-3); spaces around a coordinate are ignored.  Each distance\n"
    "is printed with 17 significant digits, enough to give back the double.\n"
    "\n"
    "With --repr q32, q64 or q128 each point is first rounded into that\n"
    "fixed-point format (to nearest, ties to even; a point that does not fit,\n"
    "such as a Poincare point that rounds onto the boundary, is a bad line),\n"
    "and the distance between the rounded points is computed in integer\n"
    "arithmetic as a Q32.32 number (unit 2^-32, within one unit of the exact\n"
    "distance).  It prints with 10 decimals (rounded half to even: every two\n"
    "Q32.32 values print differently), or with --hex as the raw 64-bit word\n"
    "(0x followed by 16 hex digits; the distance is that integer times 2^-32).\n"
    "\n"
    "Options:\n"
    "  --model MODEL  poincare, lorentz or euclid (required)\n"
    "  --repr R       f64 (default: binary64), q32, q64 or q128 (fixed point)\n"
    "  --file FILE    read FILE instead of standard input ('-': standard input)\n"
    "  --spatial      Lorentz points give only their n spatial coordinates\n"
    "                 (otherwise n + 1 coordinates, x0 first)\n"
    "  --hex          print distances as hexadecimal floats (%a); with a fixed\n"
    "                 --repr, as the raw Q32.32 word in hex\n"
    "  -h, --help     show this help\n"
    "\n"
    "The first valid line fixes the dimension.  A bad line prints 'error' in\n"
    "its place and its reason on stderr as FILE:LINE: REASON; the other lines\n"
    "are still processed and the exit status is 1.  Empty lines, lines of\n"
    "spaces and tabs, and lines starting with '#' are comments: they print\n"
    "nothing.\n";

struct dist_ctx {
    point_format fmt;
    int hex;
    int fixed;             /* 0: binary64; 1: rounded into `format` first */
    hyp_fixed_format format;
    void *fa, *fb;         /* fixed: the rounded points (q128 Euclid at n = 4096: 64 KB) */
    size_t n;              /* dimension fixed by the first valid line; 0 before */
    unsigned long n_line;  /* that line's number */
    point *a, *b;          /* scratch, too large for the stack */
};

/* The fixed-point path: both points (valid in binary64) rounded into the
 * format, then the integer-only distance.  A point that does not fit is a
 * bad line, named like the binary64 reasons. */
static int dist_fixed(struct dist_ctx *ctx, unsigned long line_number, FILE *out, char *why,
                      size_t why_size)
{
    hyp_model model = ctx->fmt.model;
    size_t n = ctx->a->n;
    const char *name = hyp_fixed_name(ctx->format);
    uint64_t d;
    int rc;

    if ((rc = hyp_fixed_from_double(ctx->format, model, n, ctx->a->x, ctx->fa)) != HYP_OK) {
        snprintf(why, why_size, "first point: in %s: %s", name, hyp_strerror(rc));
        return -1;
    }
    if ((rc = hyp_fixed_from_double(ctx->format, model, n, ctx->b->x, ctx->fb)) != HYP_OK) {
        snprintf(why, why_size, "second point: in %s: %s", name, hyp_strerror(rc));
        return -1;
    }
    if ((rc = hyp_fixed_dist(ctx->format, model, n, ctx->fa, ctx->fb, &d)) != HYP_OK) {
        snprintf(why, why_size, "in %s: %s", name, hyp_strerror(rc)); /* not reached: checked */
        return -1;
    }
    if (ctx->n == 0) {
        ctx->n = n;
        ctx->n_line = line_number;
    }
    if (ctx->hex) {
        fprintf(out, "0x%016" PRIx64 "\n", d);
    } else {
        char buf[32];
        fprintf(out, "%s\n", hyp_q32_32_format(d, buf));
    }
    return 0;
}

static int dist_record(void *vctx, char *line, unsigned long line_number, FILE *out,
                       char *why, size_t why_size)
{
    struct dist_ctx *ctx = vctx;
    const point_format *fmt = &ctx->fmt;
    point *a = ctx->a, *b = ctx->b;
    char *tab = strchr(line, '\t');
    double d;
    int rc;

    if (tab == NULL) {
        snprintf(why, why_size, "missing TAB between the two points");
        return -1;
    }
    if (strchr(tab + 1, '\t') != NULL) {
        snprintf(why, why_size, "more than one TAB: expected exactly two points");
        return -1;
    }
    *tab = '\0';
    if (point_parse(fmt, "first point", line, a, why, why_size) != 0 ||
        point_parse(fmt, "second point", tab + 1, b, why, why_size) != 0)
        return -1;

    if (ctx->n != 0 && (a->n != ctx->n || b->n != ctx->n)) {
        const char *which = a->n != ctx->n ? "first" : "second";
        size_t count = a->n != ctx->n ? a->count : b->count;
        snprintf(why, why_size, "%s point has %zu coordinate%s, expected %zu as on line %lu",
                 which, count, count == 1 ? "" : "s", point_text_count(fmt, ctx->n),
                 ctx->n_line);
        return -1;
    }
    if (a->n != b->n) {
        snprintf(why, why_size,
                 "the points differ in dimension: first has %zu coordinate%s, second %zu",
                 a->count, a->count == 1 ? "" : "s", b->count);
        return -1;
    }
    if (point_validate(fmt, "first point", a, why, why_size) != 0 ||
        point_validate(fmt, "second point", b, why, why_size) != 0)
        return -1;

    if (ctx->fixed)
        return dist_fixed(ctx, line_number, out, why, why_size);
    rc = hyp_dist(fmt->model, a->n, a->x, b->x, &d);
    if (rc != HYP_OK) {
        snprintf(why, why_size, "%s", hyp_strerror(rc));
        return -1;
    }
    if (ctx->n == 0) {
        ctx->n = a->n;
        ctx->n_line = line_number;
    }
    cli_print_double(out, d, ctx->hex);
    fputc('\n', out);
    return 0;
}

int cmd_dist(int argc, char **argv)
{
    const char *model_name = NULL;
    const char *repr_name = NULL;
    const char *file = NULL;
    const char *in_name;
    struct dist_ctx ctx = { 0 };
    int status;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int m;

        if (cli_is_help(arg)) {
            fputs(cmd_dist_usage, stdout);
            return CLI_EXIT_OK;
        }
        if ((m = cli_option_value("dist", argc, argv, &i, "--model", &model_name)) == 0 &&
            (m = cli_option_value("dist", argc, argv, &i, "--repr", &repr_name)) == 0 &&
            (m = cli_option_value("dist", argc, argv, &i, "--file", &file)) == 0 &&
            (m = cli_option_flag("dist", arg, "--spatial")) == 0 &&
            (m = cli_option_flag("dist", arg, "--hex")) == 0) {
            return arg[0] == '-' ? cli_usage_error("dist", "unknown option '%s'", arg)
                                 : cli_usage_error("dist", "unexpected argument '%s'", arg);
        }
        if (m < 0)
            return CLI_EXIT_USAGE;
        if (strcmp(arg, "--spatial") == 0)
            ctx.fmt.spatial = 1;
        else if (strcmp(arg, "--hex") == 0)
            ctx.hex = 1;
    }
    if (model_name == NULL)
        return cli_usage_error("dist", "option --model is required");
    if (cli_model_parse("dist", model_name, &ctx.fmt.model) != 0)
        return CLI_EXIT_USAGE;
    if (ctx.fmt.spatial && ctx.fmt.model != HYP_LORENTZ)
        return cli_usage_error("dist", "--spatial applies only to --model lorentz");
    if (repr_name != NULL && strcmp(repr_name, "f64") != 0) {
        if (hyp_fixed_parse(repr_name, &ctx.format) != HYP_OK)
            return cli_usage_error("dist", "unknown representation '%s' (expected f64, q32, q64 "
                                   "or q128)", repr_name);
        ctx.fixed = 1;
    }

    FILE *in = cli_open_input("dist", file, &in_name);
    if (in == NULL)
        return CLI_EXIT_IO;
    ctx.a = malloc(sizeof *ctx.a);
    ctx.b = malloc(sizeof *ctx.b);
    if (ctx.fixed) {
        size_t size = hyp_fixed_size(ctx.format, ctx.fmt.model, HYP_DIM_MAX);
        ctx.fa = malloc(size); /* malloc is aligned for every word type */
        ctx.fb = malloc(size);
    }
    if (ctx.a == NULL || ctx.b == NULL || (ctx.fixed && (ctx.fa == NULL || ctx.fb == NULL))) {
        fprintf(stderr, "hyperstore dist: out of memory\n");
        status = CLI_EXIT_INTERNAL;
    } else {
        status = records_run("dist", in, in_name, stdout, dist_record, &ctx);
    }
    free(ctx.a);
    free(ctx.b);
    free(ctx.fa);
    free(ctx.fb);
    cli_close_input(in);
    return status;
}
