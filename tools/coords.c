/*
 * coords.c — line reading and coordinate parsing for the CLI.
 *
 * Lines are read with getc rather than fgets because fgets cannot tell how
 * many bytes it read when a line holds a NUL byte; we want to reject such a
 * line, not silently parse its first half.
 */
#include "coords.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void line_reader_init(line_reader *r, FILE *in)
{
    r->in = in;
    r->buf = NULL;
    r->cap = 0;
    r->len = 0;
    r->number = 0;
}

void line_reader_free(line_reader *r)
{
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
}

/* Makes room for at least need bytes, doubling so a long line costs O(len). */
static int reserve(line_reader *r, size_t need)
{
    if (need <= r->cap)
        return 0;
    size_t cap = r->cap ? r->cap : 256;
    while (cap < need) {
        if (cap > SIZE_MAX / 2)
            return -1;
        cap *= 2;
    }
    char *buf = realloc(r->buf, cap);
    if (!buf)
        return -1;
    r->buf = buf;
    r->cap = cap;
    return 0;
}

enum line_status line_reader_next(line_reader *r)
{
    size_t len = 0;
    int c;

    if (reserve(r, 1) != 0)
        return LINE_ENOMEM;
    while ((c = getc(r->in)) != EOF && c != '\n') {
        /* +2: this byte and the terminating NUL. */
        if (reserve(r, len + 2) != 0)
            return LINE_ENOMEM;
        r->buf[len++] = (char)c;
    }
    if (c == EOF) {
        if (ferror(r->in))
            return LINE_EREAD;
        if (len == 0)
            return LINE_EOF;
    }
    /* Tolerate CRLF files: the CR belongs to the line ending, not the data. */
    if (len > 0 && r->buf[len - 1] == '\r')
        len--;
    r->buf[len] = '\0';
    r->len = len;
    r->number++;
    return LINE_OK;
}

/* Copies at most 40 bytes of [s, end) into a quotable form: printable ASCII
 * as is, other bytes as \xNN, "..." if cut, so a reason never carries raw
 * control bytes to the terminal. */
static void quote(const char *s, const char *end, char *dst, size_t size)
{
    size_t used = 0;
    size_t shown = 0;

    if (size == 0)
        return;
    for (; s < end && shown < 40; s++, shown++) {
        unsigned char c = (unsigned char)*s;
        int n = (c >= 0x20 && c < 0x7f && c != '"')
                    ? snprintf(dst + used, size - used, "%c", c)
                    : snprintf(dst + used, size - used, "\\x%02x", c);
        if (n < 0 || (size_t)n >= size - used)
            return;
        used += (size_t)n;
    }
    if (s < end)
        snprintf(dst + used, size - used, "...");
}

int coords_parse(const char *text, double *out, size_t max, size_t *count,
                 char *why, size_t why_size)
{
    const char *p = text;
    size_t k = 0;
    char shown[200];

    for (;;) {
        /* One coordinate: [spaces] number [spaces], ended by ',' or NUL. */
        const char *field = p;
        const char *field_end = p + strcspn(p, ",");
        char *end;

        while (*p == ' ')
            p++;
        if (p == field_end) {
            snprintf(why, why_size, "coordinate %zu is empty", k + 1);
            return -1;
        }
        if (k == max) {
            snprintf(why, why_size, "more than %zu coordinates", max);
            return -1;
        }
        quote(field, field_end, shown, sizeof shown);
        /* strtod would skip other white space (CR, FF, VT) on its own. */
        if (*p == '\t' || *p == '\r' || *p == '\f' || *p == '\v' || *p == '\n') {
            snprintf(why, why_size, "coordinate %zu is not a number: \"%s\"", k + 1, shown);
            return -1;
        }
        errno = 0;
        double v = strtod(p, &end);
        if (end == p) {
            snprintf(why, why_size, "coordinate %zu is not a number: \"%s\"", k + 1, shown);
            return -1;
        }
        /* ERANGE with an infinite result is overflow; ERANGE with a tiny
         * result is underflow, which is just rounding and is accepted. */
        if (errno == ERANGE && isinf(v)) {
            snprintf(why, why_size, "coordinate %zu is out of range for a double: \"%s\"",
                     k + 1, shown);
            return -1;
        }
        while (*end == ' ')
            end++;
        if (end != field_end) {
            snprintf(why, why_size, "coordinate %zu has junk after the number: \"%s\"",
                     k + 1, shown);
            return -1;
        }
        out[k++] = v;
        if (*field_end == '\0')
            break;
        p = field_end + 1;
    }
    *count = k;
    return 0;
}
