/*
 * fmt.c — format names, the reader's life cycle, and the bounded line
 * reader the text formats (and the .npy labels file) share.
 */
#define _POSIX_C_SOURCE 200809L /* fileno */
#include "fmt_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int fmt_parse(const char *name, enum fmt_kind *kind)
{
    static const char *const names[] = { "tsv", "csv", "w2v", "npy" };
    for (int i = 0; i < 4; i++) {
        if (strcmp(name, names[i]) == 0) {
            *kind = (enum fmt_kind)i;
            return 0;
        }
    }
    return -1;
}

enum fmt_kind fmt_guess(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot == NULL)
        return FMT_TSV;
    if (strcmp(dot, ".csv") == 0)
        return FMT_CSV;
    if (strcmp(dot, ".npy") == 0)
        return FMT_NPY;
    if (strcmp(dot, ".w2v") == 0 || strcmp(dot, ".vec") == 0)
        return FMT_W2V;
    return FMT_TSV;
}

void bline_init(bline *b, FILE *in)
{
    b->in = in;
    b->pos = b->end = 0;
    b->line = NULL;
    b->len = b->cap = 0;
    b->number = 0;
    b->done = 0;
    b->eof = b->error = 0;
}

void bline_free(bline *b)
{
    free(b->line);
    b->line = NULL;
}

static int refill(bline *b)
{
    if (b->eof)
        return 0;
    b->end = fread(b->buf, 1, sizeof b->buf, b->in);
    b->pos = 0;
    if (b->end == 0) {
        b->eof = 1;
        b->error = ferror(b->in) != 0;
        return 0;
    }
    return 1;
}

enum bline_status bline_next(bline *b)
{
    size_t len = 0;
    int too_long = 0, any = 0;

    for (;;) {
        if (b->pos == b->end && !refill(b)) {
            if (b->error)
                return BL_ERROR;
            if (!any)
                return BL_EOF;
            break; /* a last line without '\n' */
        }
        any = 1;
        unsigned char *start = b->buf + b->pos;
        unsigned char *nl = memchr(start, '\n', b->end - b->pos);
        size_t chunk = nl ? (size_t)(nl - start) : b->end - b->pos;
        if (!too_long) {
            if (len + chunk > FMT_LINE_MAX) {
                too_long = 1;
            } else {
                if (len + chunk + 1 > b->cap) {
                    size_t cap = b->cap ? b->cap : 256;
                    while (cap < len + chunk + 1)
                        cap *= 2;
                    char *t = realloc(b->line, cap);
                    if (t == NULL)
                        return BL_NOMEM;
                    b->line = t;
                    b->cap = cap;
                }
                memcpy(b->line + len, start, chunk);
                len += chunk;
            }
        }
        b->pos += chunk + (nl != NULL);
        b->done += chunk + (nl != NULL);
        if (nl)
            break;
    }
    b->number++;
    if (too_long)
        return BL_LONG;
    if (len > 0 && b->line[len - 1] == '\r')
        len--;
    if (b->line == NULL) {
        b->line = malloc(1);
        if (b->line == NULL)
            return BL_NOMEM;
        b->cap = 1;
    }
    b->line[len] = '\0';
    b->len = len;
    return BL_OK;
}

fmt_reader *fmt_open(enum fmt_kind kind, FILE *in, const char *name, FILE *labels,
                     const char *labels_name, size_t max_coords, char *why, size_t why_size)
{
    fmt_reader *f = calloc(1, sizeof *f);
    if (f == NULL || (f->coords = malloc((max_coords + 1) * sizeof *f->coords)) == NULL) {
        free(f);
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    f->kind = kind;
    f->name = name;
    f->max_coords = max_coords;
    int rc;
    if (kind == FMT_NPY) {
        bline_init(&f->text, labels);
        f->labels_name = labels_name;
        rc = fmt_npy_open(f, in, why, why_size);
    } else {
        bline_init(&f->text, in);
        rc = fmt_text_open(f, why, why_size);
    }
    if (rc != 0) {
        fmt_close(f);
        return NULL;
    }
    return f;
}

enum rec_status fmt_next(fmt_reader *f, rec *r, char *why, size_t why_size)
{
    memset(r, 0, sizeof *r);
    r->file = f->name;
    if (f->kind == FMT_NPY)
        return fmt_npy_next(f, r, why, why_size);
    return fmt_text_next(f, r, why, why_size);
}

void fmt_progress(const fmt_reader *f, unsigned long long *done, unsigned long long *total)
{
    struct stat st;
    FILE *in = f->kind == FMT_NPY ? f->npy : f->text.in;
    *done = f->kind == FMT_NPY ? f->npy_done : f->text.done;
    *total = f->kind == FMT_NPY ? f->npy_data_bytes : 0;
    if (*total == 0 && in && fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode))
        *total = (unsigned long long)st.st_size;
}

unsigned long long fmt_records_hint(const fmt_reader *f)
{
    return f->kind == FMT_NPY ? f->rows : 0;
}

void fmt_close(fmt_reader *f)
{
    if (f == NULL)
        return;
    bline_free(&f->text);
    free(f->coords);
    free(f->rowbuf);
    free(f);
}
