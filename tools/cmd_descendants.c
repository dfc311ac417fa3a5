/*
 * cmd_descendants.c — `hyperstore descendants`: the closest less general
 * points (gensim's closest_child, K of them).
 */
#include "cli.h"
#include "commands.h"
#include "index_cli.h"

const char cmd_descendants_usage[] =
    "usage: hyperstore descendants STORE LABEL [-k K] [--ef N] [--exact] [--json]\n"
    "\n"
    "Prints the K (default 10) points closest to LABEL among those with a larger\n"
    "hyperbolic radius (less general), one per line: label, TAB, distance.\n";

int cmd_descendants(int argc, char **argv)
{
    icli_opts o = { .cmd = "descendants", .k = 10 };
    int rc = icli_parse(&o, "ke", cmd_descendants_usage, argc, argv);
    if (rc != 0)
        return rc < 0 ? CLI_EXIT_OK : rc;
    return icli_run(&o, HYP_SEARCH_LARGER);
}
