/*
 * cmd_export.c — `hyperstore export`: every point of a store, in id order,
 * as TSV, CSV or word2vec text that `import` reads back to the same bits:
 * %.17g gives back the exact double under strtod (and %a with --hex), and a
 * fixed store's words are written as decimals that read back to the same
 * words (fixed_text.h), so an export imported into an empty store of the
 * same representation gives the same state hash.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "fixed_text.h"
#include "fmt.h"
#include "store_cli.h"

const char cmd_export_usage[] =
    "usage: hyperstore export STORE [--format tsv|csv|w2v] [--hex] [--output FILE]\n"
    "\n"
    "Writes every point of STORE, in insertion (id) order, in a format that\n"
    "'hyperstore import' reads back bit for bit.\n"
    "\n"
    "Options:\n"
    "  --format F     tsv (default), csv or w2v (word2vec text with its COUNT DIM line)\n"
    "  --hex          coordinates as C99 hexadecimal floats (default: %.17g decimals)\n"
    "A fixed-point store (q32, q64, q128) writes each coordinate's exact value\n"
    "k 2^-F with enough decimals to give k back (hexadecimal with --hex); a Lorentz\n"
    "x0 is rounded to binary64 (import checks it, the store does not keep it).\n"
    "  --output FILE  write FILE instead of standard output\n"
    "  -h, --help     show this help\n"
    "\n"
    "A label that the format cannot carry (TSV: one starting with '#' or only\n"
    "spaces, which import would read as a comment; w2v: one with a space) is an\n"
    "error: export to csv, which quotes labels, instead.\n";

struct export_ctx {
    FILE *out;
    enum fmt_kind kind;
    int hex;
    hyp_store_info info;
    size_t width;
    double *x;
};

static int write_point(void *vctx, uint64_t id, const char *label, size_t len,
                       const unsigned char *bytes)
{
    struct export_ctx *c = vctx;
    char shown[300];

    /* Labels from the map are not NUL-terminated: stay within len. */
    size_t spaces = 0;
    while (spaces < len && label[spaces] == ' ')
        spaces++;
    int blank = spaces == len;
    if (c->kind == FMT_CSV &&
        (memchr(label, ',', len) || memchr(label, '"', len) || label[0] == '#' || blank)) {
        /* Quoted: commas, quotes, and what import would take for a comment. */
        fputc('"', c->out);
        for (size_t i = 0; i < len; i++) {
            if (label[i] == '"')
                fputc('"', c->out);
            fputc(label[i], c->out);
        }
        fputc('"', c->out);
    } else {
        if ((c->kind == FMT_TSV && (label[0] == '#' || blank)) ||
            (c->kind == FMT_W2V && memchr(label, ' ', len))) {
            scli_quote(label, len, shown, sizeof shown);
            fprintf(stderr, "hyperstore export: point %llu: label \"%s\" cannot be written as %s "
                            "(use --format csv)\n",
                    (unsigned long long)id, shown, c->kind == FMT_TSV ? "TSV" : "word2vec");
            return CLI_EXIT_REJECTED;
        }
        fwrite(label, 1, len, c->out);
    }
    char sep = c->kind == FMT_TSV ? '\t' : c->kind == FMT_CSV ? ',' : ' ';
    if (c->info.repr != HYP_REPR_F64) {
        fixed_text_write(c->out, (hyp_fixed_format)c->info.repr, c->info.model, c->info.dim,
                         bytes, sep, c->hex);
        fputc('\n', c->out);
        return ferror(c->out) ? CLI_EXIT_IO : 0;
    }
    hyp_f64_decode(bytes, c->width, c->x);
    for (size_t i = 0; i < c->width; i++) {
        fputc(sep, c->out);
        cli_print_double(c->out, c->x[i], c->hex);
    }
    fputc('\n', c->out);
    return ferror(c->out) ? CLI_EXIT_IO : 0;
}

static int count_one(void *ctx, uint64_t id, const char *label, size_t len, const unsigned char *b)
{
    (void)id, (void)label, (void)len, (void)b;
    (*(uint64_t *)ctx)++;
    return 0;
}

int cmd_export(int argc, char **argv)
{
    const char *path = NULL, *format = NULL, *output = NULL;
    struct export_ctx c = { .kind = FMT_TSV };

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int m;
        if (cli_is_help(arg)) {
            fputs(cmd_export_usage, stdout);
            return CLI_EXIT_OK;
        }
        if ((m = cli_option_value("export", argc, argv, &i, "--format", &format)) ||
            (m = cli_option_value("export", argc, argv, &i, "--output", &output))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        if ((m = cli_option_flag("export", arg, "--hex")) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            c.hex = 1;
            continue;
        }
        if (arg[0] == '-')
            return cli_usage_error("export", "unknown option '%s'", arg);
        if (path)
            return cli_usage_error("export", "unexpected argument '%s'", arg);
        path = arg;
    }
    if (path == NULL)
        return cli_usage_error("export", "expected STORE");
    if (format && (fmt_parse(format, &c.kind) != 0 || c.kind == FMT_NPY))
        return cli_usage_error("export", "unknown format '%s' (expected tsv, csv or w2v)", format);

    hyp_store *s;
    hyp_read *r = NULL;
    hyp_store_info info;
    int status = scli_open("export", path, HYP_STORE_RDONLY, &s), rc;
    if (status != 0)
        return status;
    c.out = stdout;
    if (output && (c.out = fopen(output, "w")) == NULL) {
        fprintf(stderr, "hyperstore export: cannot open '%s': %s\n", output, strerror(errno));
        hyp_store_close(s);
        return CLI_EXIT_IO;
    }
    hyp_store_get_info(s, &info);
    c.info = info;
    c.width = info.width;
    c.x = malloc(c.width * sizeof *c.x);
    if (c.x == NULL) {
        status = CLI_EXIT_INTERNAL;
    } else if ((rc = hyp_read_begin(s, &r)) != HYP_OK) {
        status = scli_fail("export", s, rc, "reading");
    } else {
        if (c.kind == FMT_W2V) {
            uint64_t n = 0;
            /* Counted in the same read, so the header matches the lines. */
            hyp_read_foreach(r, count_one, &n);
            fprintf(c.out, "%llu %zu\n", (unsigned long long)n, c.width);
        }
        rc = hyp_read_foreach(r, write_point, &c);
        if (rc < 0)
            status = scli_fail("export", s, rc, "reading");
        else
            status = rc;
        hyp_read_end(r);
    }
    if (c.out != stdout && fclose(c.out) != 0 && status == 0) {
        fprintf(stderr, "hyperstore export: error writing '%s': %s\n", output, strerror(errno));
        status = CLI_EXIT_IO;
    }
    free(c.x);
    hyp_store_close(s);
    return status;
}

