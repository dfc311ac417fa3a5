/*
 * fmt.h — readers for the point files `hyperstore import` takes: TSV, CSV,
 * word2vec text, NumPy .npy (with a labels file).  A reader hands out one
 * record at a time: a label and its coordinates, or the reason the record is
 * bad, with where it is.  Readers parse and check syntax only; what a point
 * is belongs to the library (hyp_point_check), what a label is too
 * (hyp_label_check).
 *
 * Text rules (TSV, CSV):
 *   - a record is a label, then its coordinates: TSV separates every field
 *     with TAB, CSV with ',' (a CSV label may be double-quoted, "" inside for
 *     a quote);
 *   - coordinates are decimal or C99 hexadecimal floats, as `dist` reads them;
 *   - empty lines, lines of spaces and tabs and lines starting with '#' are
 *     comments;
 *   - the first other line is a header, and skipped, when its second field
 *     is not a number;
 *   - a line longer than FMT_LINE_MAX bytes is a bad record.
 * word2vec text (what gensim's save_word2vec_format writes): a first line
 * "COUNT DIM", then "LABEL C1 C2 ... CDIM" per line, single spaces (a space
 * at the end of a line is allowed); the label is the first field, so it
 * cannot hold a space.  COUNT must match the records found.
 * .npy: format 1.0-3.0, dtype float32 or float64 (either byte order), C
 * order, two dimensions (rows, coordinates); row i's label is line i of the
 * labels file (one label per line, no comments).
 */
#ifndef HYP_TOOLS_FMT_H
#define HYP_TOOLS_FMT_H

#include <stddef.h>
#include <stdio.h>

#define FMT_LINE_MAX (1u << 20)

enum fmt_kind { FMT_TSV, FMT_CSV, FMT_W2V, FMT_NPY };

enum rec_status {
    REC_OK,     /* a record */
    REC_BAD,    /* a bad record: why and where are set; reading may go on */
    REC_EOF,    /* no more records */
    REC_FATAL   /* the input cannot be read further: why is set */
};

typedef struct rec {
    const char *label;   /* not NUL-terminated; valid until the next call */
    size_t label_len;
    double *coords;      /* count coordinates; valid until the next call */
    const char *text;    /* TSV, CSV, w2v: the coordinates as written, joined
                            by commas (NUL-terminated), for readers that need
                            more than binary64 (fixed_text.h); .npy: NULL */
    size_t count;
    const char *file;    /* where: file name ... */
    unsigned long line;  /* ... and 1-based line (text) or row (npy) */
    int is_row;          /* line is a .npy row number */
} rec;

typedef struct fmt_reader fmt_reader;

/* Parses "tsv", "csv", "w2v", "npy".  Returns 0 or -1. */
int fmt_parse(const char *name, enum fmt_kind *kind);
/* Guesses the format from a file name's extension (.csv, .npy, .w2v, .vec;
 * anything else: TSV). */
enum fmt_kind fmt_guess(const char *path);

/*
 * fmt_open — a reader of in (named name in messages).  labels/labels_name:
 * the labels file of a .npy (NULL otherwise).  max_coords: the most
 * coordinates a record may have (longer records are bad without being
 * stored).  Returns the reader, or NULL with why set (a bad .npy header, a
 * bad word2vec header, out of memory).
 */
fmt_reader *fmt_open(enum fmt_kind kind, FILE *in, const char *name, FILE *labels,
                     const char *labels_name, size_t max_coords, char *why, size_t why_size);

/* The next record.  For REC_BAD and REC_FATAL, why holds the reason and
 * r->file, r->line say where. */
enum rec_status fmt_next(fmt_reader *f, rec *r, char *why, size_t why_size);

/* Bytes read so far, and the input's total size (0 if unknown): progress. */
void fmt_progress(const fmt_reader *f, unsigned long long *done, unsigned long long *total);

/* Records the input holds, when its header says (.npy rows); else 0. */
unsigned long long fmt_records_hint(const fmt_reader *f);

void fmt_close(fmt_reader *f);

#endif
