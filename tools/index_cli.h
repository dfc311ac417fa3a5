/*
 * index_cli.h — what the query commands (knn, parent, descendants,
 * ancestors, within) and `index` share: their options, opening a store with
 * its index, naming the query, printing hits.
 */
#ifndef HYP_TOOLS_INDEX_CLI_H
#define HYP_TOOLS_INDEX_CLI_H

#include "hyp_index.h"

typedef struct icli_opts {
    const char *cmd;
    const char *path, *label, *vector;
    unsigned long long k, ef;
    int exact, json, isa;
    double alpha, radius;
    int has_radius;
} icli_opts;

/* Parses STORE (LABEL | --vector COORDS) [-k K] [--ef N] [--exact] [--json]
 * and, where allowed, --score isa [--alpha A] and --radius R.  allow: a
 * string of the option letters the command takes: "v" --vector, "k" -k,
 * "e" --ef and --exact, "s" --score/--alpha, "r" --radius.  Returns 0 (and
 * -1 after printing --help), or an exit status. */
int icli_parse(icli_opts *o, const char *allow, const char *usage, int argc, char **argv);

/* Runs one query described by o with the given flags and prints the hits
 * ("LABEL<TAB>DIST" per line, or a JSON array).  Returns the exit status. */
int icli_run(const icli_opts *o, unsigned flags);

#endif
