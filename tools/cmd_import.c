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
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#define _POSIX_C_SOURCE 200809L /* isatty, fileno */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h> /* mallopt */
#include <sys/mman.h> /* madvise */
#endif

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
    /* The reader's scratch (see "Reading ahead" below: the reader thread
     * owns these while it runs). */
    point *p;
    double *y;                /* converted point */
    unsigned char *raw;       /* a fixed store: one point's stored bytes; else NULL */
    size_t slot;              /* bytes a prepared point takes in a chunk */
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

/*
 * heap_prime — makes the heap that the import's batch will fill use huge
 * pages, and has a helper thread fault them in ahead of the batch.  A
 * 1M-point batch mallocs some 400 MB that is touched once: LMDB's dirty
 * pages (one malloc per 4 KiB page, until the commit writes them out), the
 * op stream, the pending labels.  With 4 KiB pages that is ~100,000 page
 * faults, a third of the import's time on a VM; Linux's transparent huge
 * pages (THP) make it ~500, but where THP is "madvise" (Debian's default)
 * only for memory that asks.  LMDB's mallocs cannot ask, so we ask for the
 * heap they will come from: one block of `bytes`, taken from the top of
 * the heap (not mmap'd: threshold raised for it), marked MADV_HUGEPAGE and
 * freed again, and kept (trim threshold raised), so later mallocs carve it
 * up from its start.  What is left is the kernel zeroing each new page, on
 * the thread that first touches it: a helper thread prefaults the first
 * `use` bytes (MADV_POPULATE_WRITE, which maps zeroed pages without
 * writing to them, so it cannot race with the mallocs that hand them out),
 * slice by slice, while the main thread parses and puts.  Performance
 * only: without glibc, THP or a thread this does (part of) nothing, and no
 * byte of the store depends on it.  After it, blocks up to 64 MiB come from
 * the heap too (the op stream's chunks, the flush's sort arrays).
 */
typedef struct heap_prefault {
    char *from;
    size_t len;
    atomic_int stop;
    int running;
    pthread_t thread;
} heap_prefault;

#define PREFAULT_SLICE ((size_t)16 << 20)

static void *prefault_main(void *arg)
{
#if defined(MADV_POPULATE_WRITE)
    heap_prefault *h = arg;
    for (size_t off = 0; off < h->len && !atomic_load(&h->stop); off += PREFAULT_SLICE) {
        size_t len = h->len - off < PREFAULT_SLICE ? h->len - off : PREFAULT_SLICE;
        if (madvise(h->from + off, len, MADV_POPULATE_WRITE) != 0)
            break; /* an older kernel, or the heap trimmed: nothing to do */
    }
#else
    (void)arg;
#endif
    return NULL;
}

static void heap_prime(unsigned long long bytes, unsigned long long use, heap_prefault *h)
{
    h->running = 0;
    atomic_init(&h->stop, 0);
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
    const size_t huge = (size_t)2 << 20;
    if (bytes > INT_MAX / 2) /* mallopt takes an int: prime the first GiB */
        bytes = INT_MAX / 2;
    if (bytes == 0)
        return;
    if (mallopt(M_TRIM_THRESHOLD, (int)bytes * 2) != 1 ||
        mallopt(M_MMAP_THRESHOLD, (int)bytes + (int)huge) != 1)
        return;
    char *block = malloc((size_t)bytes);
    if (block) {
        uintptr_t from = ((uintptr_t)block + huge - 1) & ~(uintptr_t)(huge - 1);
        uintptr_t to = (uintptr_t)block + (size_t)bytes;
        if (to > from && madvise((void *)from, to - from, MADV_HUGEPAGE) == 0) {
            h->from = (char *)from;
            h->len = use < to - from ? (size_t)use : to - from;
        }
        free(block);
    }
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    if (h->len > 0)
        h->running = pthread_create(&h->thread, NULL, prefault_main, h) == 0;
#else
    (void)bytes, (void)use;
#endif
}

/* Stops the prefaulting (at the end of its slice) and joins it. */
static void heap_prime_end(heap_prefault *h)
{
    if (!h->running)
        return;
    atomic_store(&h->stop, 1);
    pthread_join(h->thread, NULL);
    h->running = 0;
}

/*
 * Reading ahead.  A record goes through two steps: preparing it (reading,
 * parsing, checking the label and the point, converting it) and putting it
 * into the batch.  LMDB binds the batch to the thread that began it, so
 * puts stay on the main thread, while a reader thread prepares the next
 * records, CHUNK_ITEMS at a time, into a ring of NCHUNKS chunks.  The main
 * thread takes the chunks in order and does for each item what the loop
 * did for each record, messages included, so what is written and printed,
 * and in what order, does not depend on the threads' timing.  When the main
 * thread stops early (a bad record with --batch-size, a fatal error) it
 * tells the reader to stop; what the reader prepared past that point is
 * dropped unread, as the records were never read before.  Only regular
 * files are read ahead: a pipe or a terminal may deliver its records slowly
 * (each --batch-size batch is committed as soon as its records arrive) or
 * never end, so the main thread reads those itself, one record at a time,
 * as it does when pthread_create fails.
 */
#define CHUNK_ITEMS 4096
#define NCHUNKS 3

enum item_kind {
    ITEM_PUT,     /* the point as width doubles */
    ITEM_PUT_RAW, /* the point as stored (a fixed store, read exactly) */
    ITEM_RC,      /* preparing failed with a library code: put_result judges it */
    ITEM_BAD,     /* a bad record: the message at msg */
    ITEM_FATAL    /* the input cannot be read further: the message at msg */
};

typedef struct item {
    enum item_kind kind;
    int rc;                   /* ITEM_RC */
    const char *file;         /* where (the reader's names live until fmt_close) */
    unsigned long line;
    int is_row;
    size_t label, label_len;  /* offset in the chunk's text */
    size_t msg;               /* ITEM_BAD, ITEM_FATAL: offset of a NUL-terminated message */
} item;

typedef struct chunk {
    size_t n;                 /* items */
    item it[CHUNK_ITEMS];
    unsigned char *points;    /* CHUNK_ITEMS slots of im->slot bytes */
    char *text;               /* labels and messages */
    size_t text_len, text_cap;
    int end;                  /* the last chunk: EOF or ITEM_FATAL reached */
    int nomem;                /* text could not grow: stop as out of memory */
    unsigned long long at, total; /* fmt_progress after the chunk */
    int full;                 /* threaded: filled and not yet consumed */
} chunk;

/* Appends len bytes (and a NUL) to the chunk's text; returns their offset,
 * or SIZE_MAX with no memory. */
static size_t chunk_text(chunk *c, const char *bytes, size_t len)
{
    if (c->text_cap - c->text_len < len + 1) {
        size_t cap = c->text_cap ? c->text_cap : 65536;
        while (cap - c->text_len < len + 1)
            cap *= 2;
        char *t = realloc(c->text, cap);
        if (t == NULL)
            return SIZE_MAX;
        c->text = t;
        c->text_cap = cap;
    }
    size_t off = c->text_len;
    memcpy(c->text + off, bytes, len);
    c->text[off + len] = '\0';
    c->text_len += len + 1;
    return off;
}

/* Checks and converts one record into it (and slot, its point's room).
 * Runs on the reader thread: touches only im's scratch and read-only
 * fields, never the store. */
static void prepare_one(struct importer *im, const rec *r, item *it, unsigned char *slot,
                        char *why, size_t why_size)
{
    char shown[300];
    int rc;

    it->kind = ITEM_BAD;
    if ((rc = hyp_label_check(r->label, r->label_len)) != HYP_OK) {
        scli_quote(r->label, r->label_len, shown, sizeof shown);
        snprintf(why, why_size, "label \"%s\": %s", shown, hyp_strerror(rc));
        return;
    }
    if (r->count != im->in_count) {
        snprintf(why, why_size, "expected %zu coordinates, found %zu", im->in_count, r->count);
        return;
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
        point_validate(&im->in_fmt, NULL, p, why, why_size) != 0)
        return;
    if (exact) {
        rc = fixed_text_parse((hyp_fixed_format)im->info.repr, im->info.model, im->info.dim,
                              r->text, im->info.model == HYP_LORENTZ && !im->in_fmt.spatial,
                              im->raw);
        if (rc != HYP_OK) {
            it->kind = ITEM_RC;
            it->rc = rc;
            return;
        }
        memcpy(slot, im->raw, im->info.point_bytes);
        it->kind = ITEM_PUT_RAW;
        return;
    }
    const double *x = p->x;
    if (im->in_fmt.model != im->info.model) {
        rc = hyp_convert(im->in_fmt.model, im->info.model, im->info.dim, p->x, im->y);
        if (rc != HYP_OK) {
            snprintf(why, why_size, "converting to %s: %s", hyp_model_name(im->info.model),
                     hyp_strerror(rc));
            return;
        }
        x = im->y;
    }
    memcpy(slot, x, im->info.width * sizeof *x);
    it->kind = ITEM_PUT;
}

/* Reads and prepares the next CHUNK_ITEMS records (fewer at the end) into c. */
static void fill_chunk(struct importer *im, fmt_reader *f, chunk *c, size_t cap)
{
    char why[600];
    rec r;

    c->n = 0;
    c->text_len = 0;
    c->end = 0;
    c->nomem = 0;
    while (c->n < cap) {
        enum rec_status st = fmt_next(f, &r, why, sizeof why);
        if (st == REC_EOF) {
            c->end = 1;
            break;
        }
        item *it = &c->it[c->n];
        it->file = r.file;
        it->line = r.line;
        it->is_row = r.is_row;
        it->label = it->msg = 0;
        it->label_len = 0;
        if (st == REC_OK)
            prepare_one(im, &r, it, c->points + c->n * im->slot, why, sizeof why);
        else
            it->kind = st == REC_FATAL ? ITEM_FATAL : ITEM_BAD;
        if (it->kind == ITEM_BAD || it->kind == ITEM_FATAL)
            it->msg = chunk_text(c, why, strlen(why));
        else {
            it->label = chunk_text(c, r.label, r.label_len);
            it->label_len = r.label_len;
        }
        if (it->label == SIZE_MAX || it->msg == SIZE_MAX) {
            c->nomem = c->end = 1;
            break;
        }
        c->n++;
        if (it->kind == ITEM_FATAL) {
            c->end = 1;
            break;
        }
    }
    fmt_progress(f, &c->at, &c->total);
}

typedef struct pipeline {
    struct importer *im;
    fmt_reader *f;
    chunk *chunks;            /* NCHUNKS */
    size_t next;              /* the chunk the main thread takes next */
    size_t cap;               /* records per chunk: CHUNK_ITEMS, or 1 when not threaded */
    int threaded, stop;
    pthread_mutex_t lock;
    pthread_cond_t cond;      /* a chunk filled, a chunk freed, or stop */
    pthread_t reader;
} pipeline;

static void *reader_main(void *arg)
{
    pipeline *pl = arg;
    for (size_t k = 0;; k = (k + 1) % NCHUNKS) {
        chunk *c = &pl->chunks[k];
        pthread_mutex_lock(&pl->lock);
        while (c->full && !pl->stop)
            pthread_cond_wait(&pl->cond, &pl->lock);
        int stop = pl->stop;
        pthread_mutex_unlock(&pl->lock);
        if (stop)
            break;
        fill_chunk(pl->im, pl->f, c, pl->cap);
        pthread_mutex_lock(&pl->lock);
        c->full = 1;
        pthread_cond_broadcast(&pl->cond);
        pthread_mutex_unlock(&pl->lock);
        if (c->end)
            break;
    }
    return NULL;
}

/* The next chunk in order, filled; pipeline_done gives it back. */
static chunk *pipeline_take(pipeline *pl)
{
    chunk *c = &pl->chunks[pl->next];
    if (!pl->threaded) {
        fill_chunk(pl->im, pl->f, c, pl->cap);
        return c;
    }
    pthread_mutex_lock(&pl->lock);
    while (!c->full)
        pthread_cond_wait(&pl->cond, &pl->lock);
    pthread_mutex_unlock(&pl->lock);
    return c;
}

static void pipeline_done(pipeline *pl, chunk *c)
{
    pl->next = (pl->next + 1) % NCHUNKS;
    if (!pl->threaded)
        return;
    pthread_mutex_lock(&pl->lock);
    c->full = 0;
    pthread_cond_broadcast(&pl->cond);
    pthread_mutex_unlock(&pl->lock);
}

/* read_ahead: the inputs are regular files.  Returns 0, or -1 with no
 * memory. */
static int pipeline_start(pipeline *pl, struct importer *im, fmt_reader *f, int read_ahead)
{
    *pl = (pipeline){ .im = im, .f = f, .cap = 1 };
    if ((pl->chunks = calloc(NCHUNKS, sizeof *pl->chunks)) == NULL)
        return -1;
    for (int k = 0; k < NCHUNKS; k++)
        if ((pl->chunks[k].points = malloc(CHUNK_ITEMS * im->slot)) == NULL)
            return -1;
    if (!read_ahead || pthread_mutex_init(&pl->lock, NULL) != 0)
        return 0; /* no thread then */
    if (pthread_cond_init(&pl->cond, NULL) != 0) {
        pthread_mutex_destroy(&pl->lock);
        return 0;
    }
    pl->cap = CHUNK_ITEMS;
    pl->threaded = pthread_create(&pl->reader, NULL, reader_main, pl) == 0;
    if (!pl->threaded) {
        pl->cap = 1;
        pthread_cond_destroy(&pl->cond);
        pthread_mutex_destroy(&pl->lock);
    }
    return 0;
}

/* Stops the reader (wherever it is) and frees everything. */
static void pipeline_end(pipeline *pl)
{
    if (pl->threaded) {
        pthread_mutex_lock(&pl->lock);
        pl->stop = 1;
        pthread_cond_broadcast(&pl->cond);
        pthread_mutex_unlock(&pl->lock);
        pthread_join(pl->reader, NULL);
        pthread_cond_destroy(&pl->cond);
        pthread_mutex_destroy(&pl->lock);
        pl->threaded = 0;
    }
    for (int k = 0; pl->chunks && k < NCHUNKS; k++) {
        free(pl->chunks[k].points);
        free(pl->chunks[k].text);
    }
    free(pl->chunks);
    pl->chunks = NULL;
}

/* Stores one prepared item.  Returns 0, 1 (bad record, reported), or an
 * exit status > 1 (fatal, reported). */
static int import_one(struct importer *im, const chunk *c, const item *it, const void *point)
{
    rec r = { .label = c->text + it->label, .label_len = it->label_len, .file = it->file,
              .line = it->line, .is_row = it->is_row };
    unsigned flags = im->o->upsert ? HYP_PUT_UPSERT : 0;

    switch (it->kind) {
    case ITEM_BAD:
    case ITEM_FATAL:
        report(&r, c->text + it->msg);
        return 1;
    case ITEM_RC:
        return put_result(im, &r, it->rc);
    case ITEM_PUT_RAW:
        return put_result(im, &r,
                          hyp_batch_put_raw(im->b, r.label, r.label_len, point, flags, NULL));
    default:
        return put_result(im, &r, hyp_batch_put(im->b, r.label, r.label_len, point, flags, NULL));
    }
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

static void progress(unsigned long long at, unsigned long long total, unsigned long long records,
                     int done)
{
    if (done)
        fputs("\r\033[K", stderr);
    else if (total > 0)
        fprintf(stderr, "\rimporting: %llu records (%3d%%)", records, (int)(100.0 * at / total));
    else
        fprintf(stderr, "\rimporting: %llu records", records);
}

static int import_all(struct importer *im, fmt_reader *f, int read_ahead)
{
    const struct import_opts *o = im->o;
    int tty = isatty(STDERR_FILENO);
    int status;
    pipeline pl;

    if ((status = begin(im)) != 0)
        return status;
    if (pipeline_start(&pl, im, f, read_ahead) != 0) {
        pipeline_end(&pl);
        hyp_batch_abort(im->b);
        fprintf(stderr, "hyperstore import: out of memory\n");
        return CLI_EXIT_INTERNAL;
    }
    int stop = 0;
    while (!stop) {
        chunk *c = pipeline_take(&pl);
        for (size_t i = 0; i < c->n && !stop; i++) {
            const item *it = &c->it[i];
            int res = import_one(im, c, it, c->points + i * im->slot);
            if (res > 1) {
                pipeline_end(&pl);
                hyp_batch_abort(im->b);
                return res;
            }
            if (it->kind == ITEM_FATAL) {
                im->bad++;
                stop = 1;
                break;
            }
            if (res == 1) {
                im->bad++;
                if (o->batch_size && !o->skip_bad)
                    stop = 1; /* batches are committed as they fill: stop at once */
                continue;
            }
            im->good++;
            im->in_batch++;
            if (o->batch_size && im->in_batch == o->batch_size) {
                if ((status = commit(im)) != 0 || (status = begin(im)) != 0) {
                    pipeline_end(&pl);
                    return status;
                }
            }
            if (tty && (im->good & 0xffff) == 0)
                progress(c->at, c->total, im->good, 0);
        }
        if (c->nomem && !stop) {
            pipeline_end(&pl);
            hyp_batch_abort(im->b);
            fprintf(stderr, "hyperstore import: out of memory\n");
            return CLI_EXIT_INTERNAL;
        }
        stop = stop || c->end;
        pipeline_done(&pl, c);
    }
    pipeline_end(&pl);
    if (tty)
        progress(0, 0, im->good, 1);
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

/* A regular file: reading it never waits for a writer. */
static int is_file(FILE *in)
{
    struct stat st;
    return fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode);
}

static int run(struct importer *im, fmt_reader *f, int read_ahead)
{
    /* Reserve the map the input will take (a store needs about its point
     * bytes plus 200 per point; a text file about as many bytes as its
     * points take in the store), so that one batch is written once, not
     * re-applied at every doubling of a full map; the heap too, twice
     * that (the op stream and the flush's arrays come on top). */
    unsigned long long at, total, rows = fmt_records_hint(f);
    fmt_progress(f, &at, &total);
    unsigned long long need = rows ? rows * (im->info.point_bytes + 200) : total * 2;
    heap_prefault h = { 0 };
    hyp_store_reserve(im->s, need);
    heap_prime(need * 2, need, &h);
    int status = import_all(im, f, read_ahead);
    heap_prime_end(&h);
    return status;
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
    im.slot = im.info.width * sizeof(double);
    if (im.slot < im.info.point_bytes)
        im.slot = im.info.point_bytes;
    im.slot = (im.slot + 15) / 16 * 16; /* keeps each slot's doubles aligned */
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
    status = run(&im, f, is_file(in) && (labels == NULL || is_file(labels)));
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
