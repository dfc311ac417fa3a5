/*
 * store_cli.h — what the store commands share: opening a store with a
 * message a user can act on, mapping library codes to exit statuses, and
 * printing labels, points and hashes.
 */
#ifndef HYP_TOOLS_STORE_CLI_H
#define HYP_TOOLS_STORE_CLI_H

#include <stdio.h>

#include "hyp_store.h"

/* Opens path (flags: HYP_STORE_RDONLY or 0); on failure prints
 * "hyperstore CMD: cannot open store 'PATH': REASON" and returns the exit
 * status, else 0. */
int scli_open(const char *cmd, const char *path, unsigned flags, hyp_store **s);

/* The exit status for a library code that ends a command: CLI_EXIT_INTERNAL
 * for ENOMEM, CLI_EXIT_IO otherwise. */
int scli_status(int rc);

/* Prints "hyperstore CMD: WHAT: hyp_strerror(rc) (detail)" on stderr and
 * returns scli_status(rc). */
int scli_fail(const char *cmd, hyp_store *s, int rc, const char *what);

/* Writes the coordinates comma-separated, %.17g or %a. */
void scli_print_point(FILE *out, const double *x, size_t width, int hex);

/* Writes s[0..len) as a JSON string (with quotes). */
void scli_json_string(FILE *out, const char *s, size_t len);

/* Parses a non-negative decimal integer that fits in unsigned long long.
 * Returns 0 or -1. */
int scli_parse_u64(const char *text, unsigned long long *v);

/* Quotes at most 60 bytes of a label for a message (non-printable bytes as
 * \xNN) into dst. */
void scli_quote(const char *s, size_t len, char *dst, size_t size);

#endif
