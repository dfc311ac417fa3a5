/*
 * fuzz_fmt.c — libFuzzer harness for the import parsers (tools/fmt*.c):
 * the first input byte picks TSV, CSV, word2vec or .npy (with a labels
 * file cut from the end of the input); the rest is the file.  Every record
 * is read to the end; the sanitizers and the checks below catch the bugs.
 *
 * Built and run by bench/fuzz.sh (clang -fsanitize=fuzzer,address,undefined).
 */
#define _POSIX_C_SOURCE 200809L /* fmemopen */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    enum fmt_kind kind = (enum fmt_kind)(data[0] % 4);
    size_t width = 1 + data[1] % 8;
    data += 2;
    size -= 2;
    size_t cut = kind == FMT_NPY ? size - size / 4 : size;
    FILE *in = fmemopen((void *)data, cut ? cut : 1, "r");
    FILE *labels = kind == FMT_NPY && size > cut ? fmemopen((void *)(data + cut), size - cut, "r")
                                                 : NULL;
    if (in == NULL)
        return 0;
    if (kind == FMT_NPY && labels == NULL)
        labels = fmemopen((void *)"a\n", 2, "r");
    char why[600];
    fmt_reader *f = fmt_open(kind, in, "in", labels, "labels", width, why, sizeof why);
    if (f != NULL) {
        rec r;
        enum rec_status st;
        unsigned long n = 0;
        while ((st = fmt_next(f, &r, why, sizeof why)) != REC_EOF && st != REC_FATAL) {
            if (st == REC_OK) {
                if (r.count > width || r.label == NULL)
                    abort();
                volatile double sink = 0;
                for (size_t i = 0; i < r.count; i++)
                    sink += r.coords[i];
                volatile char c = r.label_len ? r.label[r.label_len - 1] : 0;
                (void)c;
                (void)sink;
            }
            if (++n > 10000000)
                abort(); /* no endless loop */
        }
        fmt_close(f);
    }
    fclose(in);
    if (labels)
        fclose(labels);
    return 0;
}
