/*
 * cli.h — what every subcommand shares: exit statuses, option matching,
 * usage errors, opening the input, printing numbers.
 */
#ifndef HYP_TOOLS_CLI_H
#define HYP_TOOLS_CLI_H

#include <stdio.h>

#include "hyp_geom.h"

/* The exit-status table; README.md, `hyperstore --help` and hyperstore.1
 * document the same numbers. */
enum cli_exit {
    CLI_EXIT_OK = 0,       /* success */
    CLI_EXIT_REJECTED = 1, /* some input records were rejected, the rest processed */
    CLI_EXIT_USAGE = 2,    /* bad option or argument */
    CLI_EXIT_IO = 3,       /* cannot open, read or write a file */
    CLI_EXIT_INTERNAL = 4  /* internal error (out of memory) */
};

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

/* Prints "hyperstore CMD: MESSAGE" and a pointer to CMD's help on stderr.
 * Returns CLI_EXIT_USAGE, so a caller can `return cli_usage_error(...)`. */
int cli_usage_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);

/*
 * cli_option_value — does argv[*i] name the option `name` that takes a value?
 * Accepts "--name VALUE" (then *i moves past VALUE) and "--name=VALUE".
 * Returns 1 and sets *value on a match, 0 if argv[*i] is another option, and
 * -1 (after a usage error on stderr) when the value is missing.
 */
int cli_option_value(const char *cmd, int argc, char **argv, int *i, const char *name,
                     const char **value);

/*
 * cli_option_flag — is arg the flag `name` (an option without a value)?
 * Returns 1 on a match, 0 otherwise, -1 (after a usage error) for "--name=...".
 */
int cli_option_flag(const char *cmd, const char *arg, const char *name);

/* Parses a model name; on failure prints a usage error naming the choices.
 * Returns 0 or -1. */
int cli_model_parse(const char *cmd, const char *name, hyp_model *model);

/* Is arg "-h" or "--help"? */
int cli_is_help(const char *arg);

/*
 * cli_open_input — opens path for reading; NULL or "-" is standard input.
 * [out] *display: the name used in messages ("<stdin>" for standard input).
 * Returns the stream, or NULL after printing why on stderr (exit CLI_EXIT_IO).
 */
FILE *cli_open_input(const char *cmd, const char *path, const char **display);

/* Closes what cli_open_input opened; standard input is left open. */
void cli_close_input(FILE *in);

/* Writes v as "%.17g" (round-trips exactly) or, with hex, as "%a". */
void cli_print_double(FILE *out, double v, int hex);

/* An output file written whole or not at all: cli_out_open creates
 * PATH.tmp (*tmp is malloc'd); cli_out_close closes it and renames it over
 * PATH, or removes it when `bad` is set or writing failed.  Both report on
 * stderr ("hyperstore CMD: ...") and return CLI_EXIT_OK, CLI_EXIT_IO or
 * CLI_EXIT_INTERNAL; cli_out_close frees tmp. */
int cli_out_open(const char *cmd, const char *path, FILE **f, char **tmp);
int cli_out_close(const char *cmd, const char *path, FILE *f, char *tmp, int bad);

#endif
