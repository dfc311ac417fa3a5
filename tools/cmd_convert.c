/*
 * cmd_convert.c — `hyperstore convert`: each point read, one per line,
 * written in another model.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "points.h"
#include "records.h"

const char cmd_convert_usage[] =
    "usage: hyperstore convert --from MODEL --to MODEL [--file FILE] [--spatial] [--hex]\n"
    "\n"
    "Writes each point read, one per line, in another model of the same\n"
    "hyperbolic space.  Coordinates are separated by commas, written as decimal\n"
    "or C99 hexadecimal floats; the output uses the same layout with 17\n"
    "significant digits.\n"
    "\n"
    "Options:\n"
    "  --from MODEL   model of the input: poincare, lorentz or euclid (required)\n"
    "  --to MODEL     model of the output (required)\n"
    "  --file FILE    read FILE instead of standard input ('-': standard input)\n"
    "  --spatial      Lorentz points, read or written, have only their n spatial\n"
    "                 coordinates (otherwise n + 1, x0 first)\n"
    "  --hex          print hexadecimal floats (%a)\n"
    "  -h, --help     show this help\n"
    "\n"
    "The first valid line fixes the dimension.  A bad line, or a point the\n"
    "target model cannot represent (a Poincare point that would round onto the\n"
    "boundary), prints 'error' in its place and its reason on stderr as\n"
    "FILE:LINE: REASON; the other lines are still processed and the exit status\n"
    "is 1.  Empty lines, lines of spaces and tabs, and lines starting with '#'\n"
    "are comments: they print nothing.\n";

struct convert_ctx {
    point_format from;
    hyp_model to;
    int spatial_out;       /* write Lorentz output without x0 */
    int hex;
    size_t n;              /* dimension fixed by the first valid line; 0 before */
    unsigned long n_line;
    point *p;
    double *y;             /* HYP_DIM_MAX + 1 doubles */
};

static int convert_record(void *vctx, char *line, unsigned long line_number, FILE *out,
                          char *why, size_t why_size)
{
    struct convert_ctx *ctx = vctx;
    point *p = ctx->p;
    int rc;

    if (strchr(line, '\t') != NULL) {
        snprintf(why, why_size, "unexpected TAB: convert reads one point per line");
        return -1;
    }
    if (point_parse(&ctx->from, NULL, line, p, why, why_size) != 0)
        return -1;
    if (ctx->n != 0 && p->n != ctx->n) {
        snprintf(why, why_size, "point has %zu coordinate%s, expected %zu as on line %lu",
                 p->count, p->count == 1 ? "" : "s", point_text_count(&ctx->from, ctx->n),
                 ctx->n_line);
        return -1;
    }
    if (point_validate(&ctx->from, NULL, p, why, why_size) != 0)
        return -1;
    rc = hyp_convert(ctx->from.model, ctx->to, p->n, p->x, ctx->y);
    if (rc != HYP_OK) {
        snprintf(why, why_size, "cannot convert to %s: %s", hyp_model_name(ctx->to),
                 hyp_strerror(rc));
        return -1;
    }
    if (ctx->n == 0) {
        ctx->n = p->n;
        ctx->n_line = line_number;
    }

    size_t width = hyp_model_width(ctx->to, p->n);
    size_t first = ctx->spatial_out ? 1 : 0;
    for (size_t i = first; i < width; i++) {
        if (i > first)
            fputc(',', out);
        cli_print_double(out, ctx->y[i], ctx->hex);
    }
    fputc('\n', out);
    return 0;
}

int cmd_convert(int argc, char **argv)
{
    const char *from_name = NULL, *to_name = NULL;
    const char *file = NULL;
    const char *in_name;
    struct convert_ctx ctx = { 0 };
    int spatial = 0;
    int status;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int m;

        if (cli_is_help(arg)) {
            fputs(cmd_convert_usage, stdout);
            return CLI_EXIT_OK;
        }
        if ((m = cli_option_value("convert", argc, argv, &i, "--from", &from_name)) == 0 &&
            (m = cli_option_value("convert", argc, argv, &i, "--to", &to_name)) == 0 &&
            (m = cli_option_value("convert", argc, argv, &i, "--file", &file)) == 0 &&
            (m = cli_option_flag("convert", arg, "--spatial")) == 0 &&
            (m = cli_option_flag("convert", arg, "--hex")) == 0) {
            return arg[0] == '-' ? cli_usage_error("convert", "unknown option '%s'", arg)
                                 : cli_usage_error("convert", "unexpected argument '%s'", arg);
        }
        if (m < 0)
            return CLI_EXIT_USAGE;
        if (strcmp(arg, "--spatial") == 0)
            spatial = 1;
        else if (strcmp(arg, "--hex") == 0)
            ctx.hex = 1;
    }
    if (from_name == NULL)
        return cli_usage_error("convert", "option --from is required");
    if (to_name == NULL)
        return cli_usage_error("convert", "option --to is required");
    if (cli_model_parse("convert", from_name, &ctx.from.model) != 0)
        return CLI_EXIT_USAGE;
    if (cli_model_parse("convert", to_name, &ctx.to) != 0)
        return CLI_EXIT_USAGE;
    if (spatial && ctx.from.model != HYP_LORENTZ && ctx.to != HYP_LORENTZ)
        return cli_usage_error("convert", "--spatial applies only to the lorentz model");
    ctx.from.spatial = spatial && ctx.from.model == HYP_LORENTZ;
    ctx.spatial_out = spatial && ctx.to == HYP_LORENTZ;

    FILE *in = cli_open_input("convert", file, &in_name);
    if (in == NULL)
        return CLI_EXIT_IO;
    ctx.p = malloc(sizeof *ctx.p);
    ctx.y = malloc((HYP_DIM_MAX + 1) * sizeof *ctx.y);
    if (ctx.p == NULL || ctx.y == NULL) {
        fprintf(stderr, "hyperstore convert: out of memory\n");
        status = CLI_EXIT_INTERNAL;
    } else {
        status = records_run("convert", in, in_name, stdout, convert_record, &ctx);
    }
    free(ctx.p);
    free(ctx.y);
    cli_close_input(in);
    return status;
}
