/*
 * fmt_npy.c — NumPy .npy files (format versions 1.0, 2.0, 3.0): a magic
 * string, a header that is a Python dict literal, then the raw array.  We
 * accept float32 and float64 in either byte order, C order, two dimensions
 * (rows, coordinates), and read one row at a time so a file of any size
 * streams.  Row labels come from a separate text file, one per line.
 *
 * The header is parsed by looking up its three keys, not by evaluating it;
 * every length is checked against the bytes really there, because the file
 * is input, not trusted (tests/store fuzzes this parser).
 */
#define _POSIX_C_SOURCE 200809L /* fileno */
#include "fmt_internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NPY_HEADER_MAX (1u << 20)

static int host_is_little(void)
{
    const uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

/* Finds 'key': in the header and returns what follows, spaces skipped. */
static const char *find_key(const char *h, const char *key)
{
    char pat[32];
    snprintf(pat, sizeof pat, "'%s'", key);
    const char *p = strstr(h, pat);
    if (p == NULL) {
        snprintf(pat, sizeof pat, "\"%s\"", key);
        if ((p = strstr(h, pat)) == NULL)
            return NULL;
    }
    p += strlen(pat);
    while (*p == ' ')
        p++;
    if (*p != ':')
        return NULL;
    p++;
    while (*p == ' ')
        p++;
    return p;
}

static int parse_header(fmt_reader *f, const char *h, char *why, size_t why_size)
{
    const char *d = find_key(h, "descr"), *fo = find_key(h, "fortran_order"),
               *sh = find_key(h, "shape");
    char descr[16];
    size_t n = 0;

    if (d == NULL || fo == NULL || sh == NULL) {
        snprintf(why, why_size, "%s: .npy header lacks descr, fortran_order or shape", f->name);
        return -1;
    }
    if (*d != '\'' && *d != '"') {
        snprintf(why, why_size, "%s: .npy header: descr is not a string (a structured dtype?)",
                 f->name);
        return -1;
    }
    char q = *d++;
    while (d[n] && d[n] != q && n < sizeof descr - 1) {
        descr[n] = d[n];
        n++;
    }
    descr[n] = '\0';
    if (d[n] != q) {
        snprintf(why, why_size, "%s: .npy header: bad descr", f->name);
        return -1;
    }
    int little = host_is_little();
    if ((descr[0] == '<' || descr[0] == '>' || descr[0] == '=') && descr[1] == 'f' &&
        (strcmp(descr + 2, "8") == 0 || strcmp(descr + 2, "4") == 0)) {
        f->f32 = descr[2] == '4';
        int data_little = descr[0] == '<' || (descr[0] == '=' && little);
        f->swap = data_little != little;
    } else {
        snprintf(why, why_size,
                 "%s: wrong dtype '%s': expected float64 ('<f8') or float32 ('<f4')", f->name,
                 descr);
        return -1;
    }
    if (strncmp(fo, "False", 5) != 0) {
        snprintf(why, why_size, "%s: Fortran-order array: save it in C order (np.ascontiguousarray)",
                 f->name);
        return -1;
    }
    if (*sh != '(') {
        snprintf(why, why_size, "%s: .npy header: bad shape", f->name);
        return -1;
    }
    /* (rows, cols) with optional spaces and a trailing comma. */
    unsigned long long dims[3];
    int nd = 0;
    const char *p = sh + 1;
    for (;;) {
        while (*p == ' ')
            p++;
        if (*p == ')')
            break;
        if (*p < '0' || *p > '9' || nd == 3) {
            snprintf(why, why_size, "%s: .npy header: bad shape", f->name);
            return -1;
        }
        char *end;
        errno = 0;
        dims[nd++] = strtoull(p, &end, 10);
        if (errno != 0) {
            snprintf(why, why_size, "%s: .npy header: shape out of range", f->name);
            return -1;
        }
        p = end;
        while (*p == ' ')
            p++;
        if (*p == ',')
            p++;
        else if (*p != ')') {
            snprintf(why, why_size, "%s: .npy header: bad shape", f->name);
            return -1;
        }
    }
    if (nd != 2) {
        snprintf(why, why_size, "%s: the array has %d dimension%s, expected 2 (rows, coordinates)",
                 f->name, nd, nd == 1 ? "" : "s");
        return -1;
    }
    if (dims[1] != f->max_coords) {
        snprintf(why, why_size, "%s: rows have %llu coordinates, expected %zu", f->name, dims[1],
                 f->max_coords);
        return -1;
    }
    f->rows = dims[0];
    f->cols = (size_t)dims[1];
    size_t item = f->f32 ? 4 : 8;
    if (f->rows > UINT64_MAX / (f->cols * item)) {
        snprintf(why, why_size, "%s: shape too large", f->name);
        return -1;
    }
    f->npy_data_bytes = f->rows * f->cols * item;
    return 0;
}

int fmt_npy_open(fmt_reader *f, FILE *in, char *why, size_t why_size)
{
    unsigned char pre[12];
    size_t hlen, prelen;
    char *h;

    f->npy = in;
    if (f->text.in == NULL) {
        snprintf(why, why_size, "a .npy needs a labels file (--labels FILE)");
        return -1;
    }
    if (fread(pre, 1, 10, in) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0) {
        snprintf(why, why_size, "%s: not a .npy file (no \\x93NUMPY magic)", f->name);
        return -1;
    }
    if (pre[6] == 1) {
        hlen = (size_t)pre[8] | (size_t)pre[9] << 8;
        prelen = 10;
    } else if (pre[6] == 2 || pre[6] == 3) {
        if (fread(pre + 10, 1, 2, in) != 2) {
            snprintf(why, why_size, "%s: truncated .npy header", f->name);
            return -1;
        }
        hlen = (size_t)pre[8] | (size_t)pre[9] << 8 | (size_t)pre[10] << 16 |
               (size_t)pre[11] << 24;
        prelen = 12;
    } else {
        snprintf(why, why_size, "%s: .npy format version %d.%d is not supported", f->name,
                 pre[6], pre[7]);
        return -1;
    }
    if (hlen > NPY_HEADER_MAX) {
        snprintf(why, why_size, "%s: .npy header of %zu bytes is too long", f->name, hlen);
        return -1;
    }
    if ((h = malloc(hlen + 1)) == NULL) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    if (fread(h, 1, hlen, in) != hlen) {
        free(h);
        snprintf(why, why_size, "%s: truncated .npy header", f->name);
        return -1;
    }
    h[hlen] = '\0';
    if (strlen(h) != hlen) {
        free(h);
        snprintf(why, why_size, "%s: NUL byte in the .npy header", f->name);
        return -1;
    }
    int rc = parse_header(f, h, why, why_size);
    free(h);
    if (rc != 0)
        return -1;
    (void)prelen;
    if ((f->rowbuf = malloc(f->cols * 8)) == NULL) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    return 0;
}

static void decode_row(fmt_reader *f)
{
    const unsigned char *b = f->rowbuf;
    size_t item = f->f32 ? 4 : 8;
    for (size_t i = 0; i < f->cols; i++) {
        unsigned char v[8];
        for (size_t k = 0; k < item; k++)
            v[k] = b[i * item + (f->swap ? item - 1 - k : k)];
        if (f->f32) {
            float x;
            memcpy(&x, v, 4);
            f->coords[i] = x; /* exact: every float is a double */
        } else {
            memcpy(&f->coords[i], v, 8);
        }
    }
}

enum rec_status fmt_npy_next(fmt_reader *f, rec *r, char *why, size_t why_size)
{
    size_t item = f->f32 ? 4 : 8;

    r->is_row = 1;
    r->line = (unsigned long)f->row;
    if (f->row == f->rows) {
        /* Past the last row: leftovers in either file are errors, said once. */
        if (f->row != UINT64_MAX) {
            unsigned long long nrows = f->rows;
            int extra_data = fgetc(f->npy) != EOF;
            enum bline_status st = bline_next(&f->text);
            f->row = UINT64_MAX;
            f->rows = UINT64_MAX;
            if (extra_data) {
                snprintf(why, why_size, "bytes after the last row (the header announces %llu rows)",
                         nrows);
                return REC_BAD;
            }
            if (st == BL_OK || st == BL_LONG) {
                r->file = f->labels_name;
                r->is_row = 0;
                r->line = f->text.number;
                snprintf(why, why_size, "more labels than the %llu rows of %s", nrows, f->name);
                return REC_BAD;
            }
        }
        return REC_EOF;
    }
    size_t got = fread(f->rowbuf, 1, f->cols * item, f->npy);
    f->npy_done += got;
    if (got != f->cols * item) {
        snprintf(why, why_size, "truncated: row %llu is incomplete (the header announces %llu rows)",
                 (unsigned long long)f->row, (unsigned long long)f->rows);
        return REC_FATAL;
    }
    f->row++;
    enum bline_status st = bline_next(&f->text);
    if (st == BL_EOF) {
        snprintf(why, why_size, "%s has no label for this row", f->labels_name);
        return REC_BAD;
    }
    if (st == BL_ERROR || st == BL_NOMEM) {
        snprintf(why, why_size, "%s: %s", f->labels_name,
                 st == BL_NOMEM ? "out of memory" : strerror(errno));
        return REC_FATAL;
    }
    if (st == BL_LONG) {
        snprintf(why, why_size, "%s:%lu: label line longer than %u bytes", f->labels_name,
                 f->text.number, FMT_LINE_MAX);
        return REC_BAD;
    }
    r->label = f->text.line;
    r->label_len = f->text.len;
    decode_row(f);
    r->coords = f->coords;
    r->count = f->cols;
    return REC_OK;
}
