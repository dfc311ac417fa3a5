/*
 * cmd_import.c — `hyperstore import`: points from a TSV, CSV, word2vec or
 * .npy file into a store.
 *
 * Atomic by default: every record goes into one batch (one LMDB write
 * transaction), and if any record is bad the batch is dropped, so a store
 * never holds half a file.  Every bad record is still reported, as
 * FILE:LINE: REASON, so that one run shows everything to fix.  --skip-bad
 * commits the good records; --batch-size N commits every N records (for
 * imports larger than memory wants in one transaction; a failure then keeps
 * the batches committed before it, each one whole).
 */
#define _POSIX_C_SOURCE 200809L /* isatty, fileno */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "fixed_text.h"
#include "fmt.h"
#include "points.h"
#include "store_cli.h"

const char cmd_import_usage[] =
    "usage: hyperstore import STORE FILE [--format tsv|csv|w2v|npy] [--labels FILE]\n"
    "                         [--from-model MODEL] [--spatial] [--skip-bad] [--upsert]\n"
    "                         [--batch-size N]\n"
    "\n"
    "Adds the points of FILE ('-': standard input) to STORE, each under its label.\n"
    "\n"
    "Formats (default: from the extension, .csv .npy .w2v/.vec, else tsv):\n"
    "  tsv   LABEL<TAB>C1<TAB>C2...       one point per line\n"
    "  csv   LABEL,C1,C2,...              (a label may be \"quoted\", \"\" for a quote)\n"
    "  w2v   word2vec text, as gensim's save_word2vec_format writes it:\n"
    "        a line 'COUNT DIM', then LABEL C1 C2 ... per line\n"
    "  npy   NumPy .npy, float32 or float64, C order, shape (points, coordinates);\n"
    "        labels from --labels FILE, one per line, row i on line i + 1\n"
    "In tsv and csv, lines starting with '#' and blank lines are comments, and a\n"
    "first line whose second field is not a number is a header.\n"
    "Coordinates are decimal or C99 hexadecimal floats.  Lorentz points have n + 1\n"
    "coordinates, x0 first (n with --spatial).\n"
    "\n"
    "Options:\n"
    "  --format F        the file's format\n"
    "  --labels FILE     the labels of a .npy file\n"
    "  --from-model M    the file's points are in model M: convert them to the store's\n"
    "  --spatial         Lorentz input gives only the spatial coordinates\n"
    "  --upsert          replace the point of a label already in the store (or\n"
    "                    earlier in the file); without it that is a bad record\n"
    "  --skip-bad        import the good records even if some are bad\n"
    "  --batch-size N    commit every N records instead of once at the end\n"
    "  -h, --help        show this help\n"
    "\n"
    "Each bad record is reported on stderr as FILE:LINE: REASON (.npy: FILE: row R,\n"
    "counted from 0).  By default the import is atomic: if any record is bad,\n"
    "nothing is imported and the exit status is 1.  With --skip-bad the rest is\n"
    "imported and the status is 1 if anything was skipped.\n";

struct import_opts {
    const char *store, *file, *labels;
    const char *format_name, *from_name;
    enum fmt_kind kind;
    int spatial, skip_bad, upsert;
    unsigned long long batch_size;
};

static int parse_args(int argc, char **argv, struct import_opts *o)
{
    const char *batch = NULL;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int m;
        if (cli_is_help(arg)) {
            fputs(cmd_import_usage, stdout);
            return -1;
        }
        if ((m = cli_option_value("import", argc, argv, &i, "--format", &o->format_name)) ||
            (m = cli_option_value("import", argc, argv, &i, "--labels", &o->labels)) ||
            (m = cli_option_value("import", argc, argv, &i, "--from-model", &o->from_name)) ||
            (m = cli_option_value("import", argc, argv, &i, "--batch-size", &batch))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        if ((m = cli_option_flag("import", arg, "--spatial")) ||
            (m = cli_option_flag("import", arg, "--skip-bad")) ||
            (m = cli_option_flag("import", arg, "--upsert"))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            if (strcmp(arg, "--spatial") == 0)
                o->spatial = 1;
            else if (strcmp(arg, "--skip-bad") == 0)
                o->skip_bad = 1;
            else
                o->upsert = 1;
            continue;
        }
        if (arg[0] == '-' && arg[1] != '\0')
            return cli_usage_error("import", "unknown option '%s'", arg);
        if (o->store == NULL)
            o->store = arg;
        else if (o->file == NULL)
            o->file = arg;
        else
            return cli_usage_error("import", "unexpected argument '%s'", arg);
    }
    if (o->store == NULL || o->file == NULL)
        return cli_usage_error("import", "expected STORE and FILE");
    if (o->format_name) {
        if (fmt_parse(o->format_name, &o->kind) != 0)
            return cli_usage_error("import", "unknown format '%s' (expected tsv, csv, w2v or npy)",
                                   o->format_name);
    } else {
        o->kind = fmt_guess(o->file);
    }
    if (o->kind == FMT_NPY && o->labels == NULL)
        return cli_usage_error("import", "a .npy file needs --labels FILE");
    if (o->kind != FMT_NPY && o->labels != NULL)
        return cli_usage_error("import", "--labels applies only to --format npy");
    if (batch && (scli_parse_u64(batch, &o->batch_size) != 0 || o->batch_size == 0))
        return cli_usage_error("import", "--batch-size needs a positive integer, not '%s'", batch);
    return 0;
}

struct importer {
    const struct import_opts *o;
    hyp_store *s;
    hyp_batch *b;
    hyp_store_info info;
    point_format in_fmt;      /* the file's model */
    size_t in_count;          /* coordinates per record */
    point *p;
    double *y;                /* converted point */
    unsigned char *raw;       /* a fixed store: one point's stored bytes; else NULL */
    unsigned long long good, bad, in_batch, batches;
    uint64_t seq;
    unsigned char hash[HYP_HASH_SIZE];
};

static void report(const rec *r, const char *why)
{
    if (r->is_row)
        fprintf(stderr, "%s: row %lu: %s\n", r->file, r->line, why);
    else
        fprintf(stderr, "%s:%lu: %s\n", r->file, r->line, why);
}

static int put_result(struct importer *im, const rec *r, int rc);

/* Checks and stores one record.  Returns 0, 1 (bad record, reported), or an
 * exit status > 1 (fatal, reported). */
static int import_one(struct importer *im, const rec *r)
{
    char why[600], shown[300];
    int rc;

    if ((rc = hyp_label_check(r->label, r->label_len)) != HYP_OK) {
        scli_quote(r->label, r->label_len, shown, sizeof shown);
        snprintf(why, sizeof why, "label \"%s\": %s", shown, hyp_strerror(rc));
        report(r, why);
        return 1;
    }
    if (r->count != im->in_count) {
        snprintf(why, sizeof why, "expected %zu coordinates, found %zu", im->in_count, r->count);
        report(r, why);
        return 1;
    }
    point *p = im->p;
    memcpy(p->text, r->coords, r->count * sizeof *r->coords);
    p->count = r->count;
    p->n = im->info.dim;
    /* A fixed store reads text exactly (fixed_text.h): binary64 would round
     * a Poincaré coordinate such as 1 - 2^-80 onto the boundary first.  The
     * Lorentz x0 is still checked in binary64, as for an f64 store. */
    int exact = im->raw != NULL && r->text != NULL && im->in_fmt.model == im->info.model;
    if ((!exact || im->info.model == HYP_LORENTZ) &&
        point_validate(&im->in_fmt, NULL, p, why, sizeof why) != 0) {
        report(r, why);
        return 1;
    }
    unsigned flags = im->o->upsert ? HYP_PUT_UPSERT : 0;
    if (exact) {
        rc = fixed_text_parse((hyp_fixed_format)im->info.repr, im->info.model, im->info.dim,
                              r->text, im->info.model == HYP_LORENTZ && !im->in_fmt.spatial,
                              im->raw);
        if (rc == HYP_OK)
            rc = hyp_batch_put_raw(im->b, r->label, r->label_len, im->raw, flags, NULL);
        return put_result(im, r, rc);
    }
    const double *x = p->x;
    if (im->in_fmt.model != im->info.model) {
        rc = hyp_convert(im->in_fmt.model, im->info.model, im->info.dim, p->x, im->y);
        if (rc != HYP_OK) {
            snprintf(why, sizeof why, "converting to %s: %s", hyp_model_name(im->info.model),
                     hyp_strerror(rc));
            report(r, why);
            return 1;
        }
        x = im->y;
    }
    return put_result(im, r, hyp_batch_put(im->b, r->label, r->label_len, x, flags, NULL));
}

/* What import_one reports for the store's answer rc to a put. */
static int put_result(struct importer *im, const rec *r, int rc)
{
    char why[600], shown[300];

    if (rc == HYP_EEXISTS) {
        scli_quote(r->label, r->label_len, shown, sizeof shown); /* only when needed: it is slow */
        snprintf(why, sizeof why,
                 "duplicate label \"%s\": already in the store or earlier in the input "
                 "(--upsert replaces it)", shown);
        report(r, why);
        return 1;
    }
    if (rc != HYP_OK) {
        /* the store's model or format refuses the point */
        if ((rc >= HYP_EDIM && rc <= HYP_ERANGE) || rc == HYP_EFIXED_RANGE ||
            rc == HYP_EFIXED_WORD || rc == EINVAL) {
            snprintf(why, sizeof why, "%s", hyp_strerror(rc));
            report(r, why);
            return 1;
        }
        return scli_fail("import", im->s, rc, "writing");
    }
    return 0;
}

static int commit(struct importer *im)
{
    int rc = hyp_batch_commit(im->b, &im->seq, im->hash);
    im->b = NULL;
    if (rc != HYP_OK)
        return scli_fail("import", im->s, rc, "commit");
    im->batches++;
    im->in_batch = 0;
    return 0;
}

static int begin(struct importer *im)
{
    int rc = hyp_batch_begin(im->s, &im->b);
    if (rc != HYP_OK)
        return scli_fail("import", im->s, rc, "starting a batch");
    char note[256];
    snprintf(note, sizeof note, "import %s", im->o->file);
    hyp_batch_note(im->b, note);
    return 0;
}

static void progress(fmt_reader *f, unsigned long long records, int done)
{
    unsigned long long at, total;
    fmt_progress(f, &at, &total);
    if (done)
        fputs("\r\033[K", stderr);
    else if (total > 0)
        fprintf(stderr, "\rimporting: %llu records (%3d%%)", records, (int)(100.0 * at / total));
    else
        fprintf(stderr, "\rimporting: %llu records", records);
}

static int run(struct importer *im, fmt_reader *f)
{
    const struct import_opts *o = im->o;
    int tty = isatty(STDERR_FILENO);
    char why[600];
    rec r;
    enum rec_status st;
    int status;

    /* Reserve the map the input will take (a store needs about its point
     * bytes plus 200 per point; a text file about as many bytes as its
     * points take in the store), so that one batch is written once, not
     * re-applied at every doubling of a full map. */
    unsigned long long at, total, rows = fmt_records_hint(f);
    fmt_progress(f, &at, &total);
    hyp_store_reserve(im->s, rows ? rows * (im->info.point_bytes + 200) : total * 2);
    if ((status = begin(im)) != 0)
        return status;
    while ((st = fmt_next(f, &r, why, sizeof why)) != REC_EOF) {
        if (st == REC_FATAL) {
            report(&r, why);
            im->bad++;
            break;
        }
        int res = st == REC_BAD ? (report(&r, why), 1) : import_one(im, &r);
        if (res > 1) {
            hyp_batch_abort(im->b);
            return res;
        }
        if (res == 1) {
            im->bad++;
            if (o->batch_size && !o->skip_bad)
                break; /* batches are committed as they fill: stop at once */
            continue;
        }
        im->good++;
        im->in_batch++;
        if (o->batch_size && im->in_batch == o->batch_size) {
            if ((status = commit(im)) != 0 || (status = begin(im)) != 0)
                return status;
        }
        if (tty && (im->good & 0xffff) == 0)
            progress(f, im->good, 0);
    }
    if (tty)
        progress(f, im->good, 1);
    if (im->bad && !o->skip_bad) {
        hyp_batch_abort(im->b);
        if (o->batch_size)
            fprintf(stderr, "hyperstore import: stopped at a bad record; the %llu batch%s of %llu "
                            "records committed before it stay%s\n",
                    im->batches, im->batches == 1 ? "" : "es", o->batch_size,
                    im->batches == 1 ? "s" : "");
        else
            fprintf(stderr, "hyperstore import: %llu bad record%s: nothing imported "
                            "(--skip-bad imports the rest)\n",
                    im->bad, im->bad == 1 ? "" : "s");
        return CLI_EXIT_REJECTED;
    }
    if ((status = commit(im)) != 0)
        return status;
    char hex[2 * HYP_HASH_SIZE + 1];
    hyp_hash_hex(im->hash, hex);
    printf("imported %llu point%s from %s", im->good, im->good == 1 ? "" : "s", o->file);
    if (im->bad)
        printf(", skipped %llu bad record%s", im->bad, im->bad == 1 ? "" : "s");
    printf("\nsequence %llu, state hash %s\n", (unsigned long long)im->seq, hex);
    return im->bad ? CLI_EXIT_REJECTED : CLI_EXIT_OK;
}

int cmd_import(int argc, char **argv)
{
    struct import_opts o = { 0 };
    struct importer im = { .o = &o };
    FILE *in = NULL, *labels = NULL;
    const char *in_name, *labels_name = NULL;
    fmt_reader *f = NULL;
    char why[600];
    int status = parse_args(argc, argv, &o);

    if (status != 0)
        return status < 0 ? CLI_EXIT_OK : status;
    if ((status = scli_open("import", o.store, 0, &im.s)) != 0)
        return status;
    hyp_store_get_info(im.s, &im.info);
    im.in_fmt.model = im.info.model;
    if (o.from_name && cli_model_parse("import", o.from_name, &im.in_fmt.model) != 0) {
        status = CLI_EXIT_USAGE;
        goto out;
    }
    if (o.spatial && im.in_fmt.model != HYP_LORENTZ) {
        status = cli_usage_error("import", "--spatial applies only to Lorentz input");
        goto out;
    }
    im.in_fmt.spatial = o.spatial;
    im.in_count = point_text_count(&im.in_fmt, im.info.dim);
    im.p = malloc(sizeof *im.p);
    im.y = malloc((HYP_DIM_MAX + 1) * sizeof *im.y);
    if (im.p == NULL || im.y == NULL ||
        (im.info.repr != HYP_REPR_F64 && (im.raw = malloc(im.info.point_bytes)) == NULL)) {
        fprintf(stderr, "hyperstore import: out of memory\n");
        status = CLI_EXIT_INTERNAL;
        goto out;
    }
    if (o.kind == FMT_NPY) {
        /* Binary: "r" and "rb" are the same on POSIX, but say what we mean. */
        in = strcmp(o.file, "-") == 0 ? stdin : fopen(o.file, "rb");
        in_name = strcmp(o.file, "-") == 0 ? "<stdin>" : o.file;
        if (in == NULL)
            fprintf(stderr, "hyperstore import: cannot open '%s': %s\n", o.file, strerror(errno));
    } else {
        in = cli_open_input("import", o.file, &in_name);
    }
    if (in == NULL) {
        status = CLI_EXIT_IO;
        goto out;
    }
    if (o.labels && (labels = cli_open_input("import", o.labels, &labels_name)) == NULL) {
        status = CLI_EXIT_IO;
        goto out;
    }
    f = fmt_open(o.kind, in, in_name, labels, labels_name, im.in_count, why, sizeof why);
    if (f == NULL) {
        fprintf(stderr, "%s\nhyperstore import: nothing imported\n", why);
        status = CLI_EXIT_REJECTED;
        goto out;
    }
    status = run(&im, f);
out:
    fmt_close(f);
    cli_close_input(in);
    cli_close_input(labels);
    free(im.p);
    free(im.y);
    free(im.raw);
    hyp_store_close(im.s);
    return status;
}
