/*
 * fuzz_fixtext.c — the exact text reader of fixed-point stores
 * (tools/fixed_text.c: fixed_text_parse, what `import` runs on each line
 * of a TSV/CSV file for a q32/q64/q128 store, after coords_parse accepted
 * it) and its writer (fixed_text_write, `export` and `get`).
 *
 * Input: byte 0 picks the format and the model (Poincaré or Lorentz: the
 * models a fixed store has), byte 1 the dimension (1..4), byte 2 the mode:
 *   bit 0 clear: the rest is one encoded point.  A valid point is written
 *     (decimal, or hexadecimal with bit 1) and read back: the same bytes,
 *     as fixed_text.h promises;
 *   bit 0 set: the rest, up to a NUL, is a line's coordinates.  When
 *     coords_parse accepts it with the point's count, fixed_text_parse
 *     gives one of its documented codes, never EINVAL (mpfr_strtofr must
 *     read every number strtod read); an accepted point written and read
 *     again gives the same bytes.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coords.h"
#include "fixed_text.h"

/* Writes the point and parses it back into out; aborts on any difference. */
static void round_trip(hyp_fixed_format f, hyp_model m, size_t n, const unsigned char *bytes,
                       int hex, unsigned char *out)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem == NULL || fixed_text_write(mem, f, m, n, bytes, ',', hex) != 0)
        abort(); /* the point decoded: the writer must not refuse it */
    fclose(mem);
    /* The writer starts with the separator; the reader starts at a number. */
    int rc = fixed_text_parse(f, m, n, text + 1, m == HYP_LORENTZ, out);
    if (rc != HYP_OK || memcmp(out, bytes, hyp_fixed_size(f, m, n)) != 0) {
        fprintf(stderr, "written \"%s\", read back %d%s\n", text + 1, rc,
                rc == HYP_OK ? " with other words" : "");
        abort();
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3 || size > 4000)
        return 0;
    hyp_fixed_format f = (hyp_fixed_format)(HYP_FIXED_Q32 + data[0] % 3);
    hyp_model m = (data[0] / 3) % 2 ? HYP_LORENTZ : HYP_POINCARE;
    size_t n = 1 + data[1] % 4, bytes = hyp_fixed_size(f, m, n);
    int text_mode = data[2] & 1, hex = (data[2] >> 1) & 1;
    data += 3;
    size -= 3;
    unsigned char *a = malloc(bytes), *b = malloc(bytes), *words = malloc(bytes);
    if (!a || !b || !words)
        abort();
    if (!text_mode) {
        if (size >= bytes && hyp_fixed_decode(f, m, n, data, words) == HYP_OK)
            round_trip(f, m, n, data, hex, a);
    } else {
        char *text = malloc(size + 1);
        double coords[8];
        size_t count, want = hyp_fixed_words(m, n) + (m == HYP_LORENTZ);
        char why[256];
        if (text == NULL)
            abort();
        memcpy(text, data, size);
        text[size] = '\0';
        if (coords_parse(text, coords, 8, &count, why, sizeof why) == 0 && count == want) {
            int rc = fixed_text_parse(f, m, n, text, m == HYP_LORENTZ, a);
            if (rc != HYP_OK && rc != HYP_ENONFINITE && rc != HYP_EFIXED_RANGE) {
                fprintf(stderr, "coords_parse read \"%s\", fixed_text_parse says %d\n", text, rc);
                abort();
            }
            if (rc == HYP_OK && hyp_fixed_decode(f, m, n, a, words) == HYP_OK)
                round_trip(f, m, n, a, hex, b);
        }
        free(text);
    }
    free(a);
    free(b);
    free(words);
    return 0;
}
