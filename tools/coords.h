/*
 * coords.h — reading text input: lines of any length, and comma-separated
 * coordinates in them.  Knows nothing about models; tools/points.h does.
 */
#ifndef HYP_TOOLS_COORDS_H
#define HYP_TOOLS_COORDS_H

#include <stddef.h>
#include <stdio.h>

/* Reads a FILE* one line at a time into a buffer that grows as needed. */
typedef struct line_reader {
    FILE *in;
    char *buf;            /* owned; the current line, NUL-terminated, without
                             its '\n' or a CR just before it */
    size_t cap;           /* bytes allocated in buf */
    size_t len;           /* bytes in the current line; may exceed strlen(buf)
                             when the line holds a NUL byte */
    unsigned long number; /* 1-based number of the current line, 0 before */
} line_reader;

enum line_status {
    LINE_OK = 0,  /* a line was read */
    LINE_EOF,     /* end of input, nothing read */
    LINE_EREAD,   /* read error; errno says why */
    LINE_ENOMEM   /* the line does not fit in memory */
};

void line_reader_init(line_reader *r, FILE *in);
/* Reads the next line; a last line without '\n' counts as a line. */
enum line_status line_reader_next(line_reader *r);
void line_reader_free(line_reader *r);

/*
 * coords_parse — parses "c1,c2,...,ck" into out[0..k-1].
 *   [in] text (NUL-terminated), max (capacity of out);
 *   [out] out, *count, why (a reason, on failure).
 * Each coordinate is a decimal or C99 hexadecimal float as strtod reads it in
 * the C locale ("inf" and "nan" included: whether they are allowed is the
 * model's business), with optional spaces around it.  A decimal that
 * underflows is rounded to a subnormal or zero, as strtod does; one that
 * overflows is an error, never silently infinite.
 * Returns 0, or -1 with a reason naming the 1-based coordinate: empty, not a
 * number, junk after the number, out of range, or more than max coordinates.
 */
int coords_parse(const char *text, double *out, size_t max, size_t *count,
                 char *why, size_t why_size);

#endif
