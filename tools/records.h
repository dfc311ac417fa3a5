/*
 * records.h — the bad-line policy, in one place for every command that reads
 * one record per line:
 *   - empty lines, lines of only spaces and tabs, and lines whose first byte
 *     is '#' are comments and print nothing;
 *   - every other line prints exactly one output line: its result, or the
 *     marker "error" (which no number printed by %.17g or %a can look like);
 *   - a rejected line's reason goes to stderr as "FILE:LINE: reason";
 *   - processing goes on; the exit status is 1 if any line was rejected.
 */
#ifndef HYP_TOOLS_RECORDS_H
#define HYP_TOOLS_RECORDS_H

#include <stddef.h>
#include <stdio.h>

#include "coords.h"

/*
 * Handles one record.  [in] line (NUL-terminated, may be modified),
 * line_number; [out] writes the result line to out, including its '\n'.
 * Returns 0 on success, or -1 with a reason in why (nothing written to out).
 */
typedef int (*record_fn)(void *ctx, char *line, unsigned long line_number, FILE *out,
                         char *why, size_t why_size);

/*
 * records_run — applies fn to every record of in, named in_name in messages.
 * Returns a CLI exit status: CLI_EXIT_OK, CLI_EXIT_REJECTED, CLI_EXIT_IO
 * (read error, after a message) or CLI_EXIT_INTERNAL (out of memory).
 */
int records_run(const char *cmd, FILE *in, const char *in_name, FILE *out, record_fn fn,
                void *ctx);

#endif
