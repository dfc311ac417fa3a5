/*
 * fmt_internal.h — the reader state shared by fmt.c, fmt_text.c and
 * fmt_npy.c, and a bounded line reader.
 */
#ifndef HYP_TOOLS_FMT_INTERNAL_H
#define HYP_TOOLS_FMT_INTERNAL_H

#include "fmt.h"

/* Reads lines of at most FMT_LINE_MAX bytes from a stream through its own
 * buffer; a longer line is skipped (never held in memory whole). */
typedef struct bline {
    FILE *in;
    unsigned char buf[1 << 16];
    size_t pos, end;
    char *line;                /* current line, NUL-terminated, without "\r\n" */
    size_t len, cap;
    unsigned long number;      /* 1-based number of the current line */
    unsigned long long done;   /* bytes consumed */
    int eof, error;
} bline;

enum bline_status { BL_OK, BL_LONG, BL_EOF, BL_ERROR, BL_NOMEM };

void bline_init(bline *b, FILE *in);
enum bline_status bline_next(bline *b);
void bline_free(bline *b);

struct fmt_reader {
    enum fmt_kind kind;
    const char *name;
    size_t max_coords;
    double *coords;            /* max_coords + 1 */
    bline text;                /* TSV, CSV, w2v: the data; npy: the labels */
    int header_checked;        /* TSV/CSV: first data line seen */
    /* word2vec */
    unsigned long long w2v_count, w2v_seen;
    size_t w2v_dim;
    /* npy */
    const char *labels_name;
    FILE *npy;
    unsigned long long rows, row;
    size_t cols;
    int f32, swap;             /* float32 data; data byte order is not the host's */
    unsigned char *rowbuf;
    unsigned long long npy_data_bytes, npy_done;
};

int fmt_text_open(fmt_reader *f, char *why, size_t why_size);
enum rec_status fmt_text_next(fmt_reader *f, rec *r, char *why, size_t why_size);
int fmt_npy_open(fmt_reader *f, FILE *in, char *why, size_t why_size);
enum rec_status fmt_npy_next(fmt_reader *f, rec *r, char *why, size_t why_size);

#endif
