/*
 * records.c — the per-line loop behind `dist` and `convert`; see records.h
 * for the policy.
 */
#include "records.h"

#include <errno.h>
#include <string.h>

#include "cli.h"

/* Long enough for any reason a command writes (they quote at most 40 input
 * bytes); a longer one is cut, never overflowed. */
#define WHY_SIZE 512

static int is_comment(const char *line)
{
    if (line[0] == '#')
        return 1;
    return line[strspn(line, " \t")] == '\0';
}

int records_run(const char *cmd, FILE *in, const char *in_name, FILE *out, record_fn fn,
                void *ctx)
{
    line_reader reader;
    enum line_status st;
    int status = CLI_EXIT_OK;
    char why[WHY_SIZE];

    line_reader_init(&reader, in);
    while ((st = line_reader_next(&reader)) == LINE_OK) {
        char *line = reader.buf;
        int bad;

        /* An embedded NUL would hide the rest of the line from the parser. */
        if (strlen(line) != reader.len) {
            snprintf(why, sizeof why, "line contains a NUL byte");
            bad = 1;
        } else if (is_comment(line)) {
            continue;
        } else {
            bad = fn(ctx, line, reader.number, out, why, sizeof why) != 0;
        }
        if (bad) {
            fputs("error\n", out);
            fprintf(stderr, "%s:%lu: %s\n", in_name, reader.number, why);
            status = CLI_EXIT_REJECTED;
        }
    }
    if (st == LINE_EREAD) {
        fprintf(stderr, "hyperstore %s: error reading %s: %s\n", cmd, in_name,
                strerror(errno));
        status = CLI_EXIT_IO;
    } else if (st == LINE_ENOMEM) {
        fprintf(stderr, "hyperstore %s: %s:%lu: out of memory reading a line\n", cmd,
                in_name, reader.number + 1);
        status = CLI_EXIT_INTERNAL;
    }
    line_reader_free(&reader);
    return status;
}
