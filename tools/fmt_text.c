/*
 * fmt_text.c — TSV, CSV and word2vec text records (rules in fmt.h).
 * Coordinates go through coords_parse, the parser `dist` uses, so every
 * command reads numbers the same way and says the same things about them.
 */
#include "fmt_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "coords.h"

static int is_blank(const char *line)
{
    return line[strspn(line, " \t")] == '\0';
}

/* Does text start with something strtod takes as a number? */
static int starts_with_number(const char *text)
{
    char *end;
    while (*text == ' ')
        text++;
    (void)strtod(text, &end);
    return end != text;
}

int fmt_text_open(fmt_reader *f, char *why, size_t why_size)
{
    if (f->kind != FMT_W2V)
        return 0;
    enum bline_status st = bline_next(&f->text);
    unsigned long long count, dim;
    char extra;
    if (st == BL_EOF) {
        snprintf(why, why_size, "%s: empty file, expected a word2vec header 'COUNT DIM'",
                 f->name);
        return -1;
    }
    if (st != BL_OK || sscanf(f->text.line, "%llu %llu%c", &count, &dim, &extra) != 2 ||
        f->text.line[0] < '0' || f->text.line[0] > '9') {
        snprintf(why, why_size, "%s:1: not a word2vec header: expected 'COUNT DIM'", f->name);
        return -1;
    }
    if (dim != f->max_coords) {
        snprintf(why, why_size, "%s:1: the header says %llu coordinates per vector, expected %zu",
                 f->name, dim, f->max_coords);
        return -1;
    }
    f->w2v_count = count;
    f->w2v_dim = (size_t)dim;
    return 0;
}

/* Splits the label off a CSV line, unquoting a quoted one in place.
 * Returns the rest (after the ','), or NULL with why. */
static char *csv_label(char *line, rec *r, char *why, size_t why_size)
{
    if (line[0] != '"') {
        char *comma = strchr(line, ',');
        if (comma == NULL) {
            snprintf(why, why_size, "no ',' after the label: expected LABEL,C1,C2,...");
            return NULL;
        }
        r->label = line;
        r->label_len = (size_t)(comma - line);
        return comma + 1;
    }
    char *in = line + 1, *out = line;
    for (;;) {
        if (*in == '\0') {
            snprintf(why, why_size, "quoted label without its closing quote");
            return NULL;
        }
        if (*in == '"') {
            if (in[1] == '"') {
                *out++ = '"';
                in += 2;
                continue;
            }
            break;
        }
        *out++ = *in++;
    }
    r->label = line;
    r->label_len = (size_t)(out - line);
    if (in[1] != ',') {
        snprintf(why, why_size, "expected ',' after the quoted label");
        return NULL;
    }
    return in + 2;
}

/* Replaces every sep in s by ','; refuses a ',' already there. */
static int to_commas(char *s, char sep, const char *what, char *why, size_t why_size)
{
    if (strchr(s, ',') != NULL) {
        snprintf(why, why_size, "a ',' among the coordinates (%s separates them)", what);
        return -1;
    }
    for (; *s; s++)
        if (*s == sep)
            *s = ',';
    return 0;
}

/* Parses one data line into r.  Returns REC_OK, REC_BAD, or REC_EOF to mean
 * "header line: skip it". */
static enum rec_status parse_line(fmt_reader *f, char *line, rec *r, char *why, size_t why_size)
{
    char *rest;

    if (f->kind == FMT_CSV) {
        if ((rest = csv_label(line, r, why, why_size)) == NULL)
            return REC_BAD;
    } else {
        char sep = f->kind == FMT_TSV ? '\t' : ' ';
        char *cut = strchr(line, sep);
        if (cut == NULL) {
            snprintf(why, why_size, f->kind == FMT_TSV
                                        ? "no TAB after the label: expected LABEL<TAB>C1<TAB>C2..."
                                        : "expected a label and its coordinates separated by spaces");
            return REC_BAD;
        }
        r->label = line;
        r->label_len = (size_t)(cut - line);
        rest = cut + 1;
        if (f->kind == FMT_W2V) {
            /* gensim ends each line with the last coordinate; tolerate a
             * trailing space as other writers add one. */
            size_t n = strlen(rest);
            while (n > 0 && rest[n - 1] == ' ')
                rest[--n] = '\0';
        }
        if (to_commas(rest, sep, f->kind == FMT_TSV ? "TSV uses TAB" : "word2vec uses spaces",
                      why, why_size) != 0)
            return REC_BAD;
    }
    if (!f->header_checked && f->kind != FMT_W2V) {
        f->header_checked = 1;
        if (!starts_with_number(rest))
            return REC_EOF; /* a header */
    }
    if (coords_parse(rest, f->coords, f->max_coords, &r->count, why, why_size) != 0)
        return REC_BAD;
    r->coords = f->coords;
    r->text = rest;
    return REC_OK;
}

enum rec_status fmt_text_next(fmt_reader *f, rec *r, char *why, size_t why_size)
{
    for (;;) {
        enum bline_status st = bline_next(&f->text);
        r->line = f->text.number;
        switch (st) {
        case BL_EOF:
            if (f->kind == FMT_W2V && f->w2v_seen != f->w2v_count) {
                snprintf(why, why_size, "the header announces %llu vectors, the file has %llu",
                         f->w2v_count, f->w2v_seen);
                r->line = 1;
                f->w2v_seen = f->w2v_count; /* said once */
                return REC_BAD;
            }
            return REC_EOF;
        case BL_ERROR:
            snprintf(why, why_size, "read error: %s", strerror(errno));
            return REC_FATAL;
        case BL_NOMEM:
            snprintf(why, why_size, "out of memory");
            return REC_FATAL;
        case BL_LONG:
            if (f->kind == FMT_W2V)
                f->w2v_seen++;
            snprintf(why, why_size, "line longer than %u bytes", FMT_LINE_MAX);
            return REC_BAD;
        case BL_OK:
            break;
        }
        char *line = f->text.line;
        if (strlen(line) != f->text.len) {
            if (f->kind == FMT_W2V)
                f->w2v_seen++;
            snprintf(why, why_size, "line contains a NUL byte");
            return REC_BAD;
        }
        if (is_blank(line) || (line[0] == '#' && f->kind != FMT_W2V))
            continue;
        if (f->kind == FMT_W2V)
            f->w2v_seen++;
        enum rec_status rs = parse_line(f, line, r, why, why_size);
        if (rs == REC_EOF)
            continue; /* header */
        return rs;
    }
}
