/*
 * cmd_parent.c — `hyperstore parent`: the closest more general points
 * (gensim's closest_parent).
 */
#include "cli.h"
#include "commands.h"
#include "index_cli.h"

const char cmd_parent_usage[] =
    "usage: hyperstore parent STORE LABEL | --vector COORDS [-k K] [--ef N] [--exact] [--json]\n"
    "\n"
    "Prints the K (default 1) points closest to the query among those with a smaller\n"
    "hyperbolic radius (more general, as gensim's closest_parent), one per line:\n"
    "label, TAB, distance.  Radii are compared exactly.  Nothing is printed for the\n"
    "most general point.  Exit status 1 for an unknown label or a bad vector.\n";

int cmd_parent(int argc, char **argv)
{
    icli_opts o = { .cmd = "parent", .k = 1 };
    int rc = icli_parse(&o, "vke", cmd_parent_usage, argc, argv);
    if (rc != 0)
        return rc < 0 ? CLI_EXIT_OK : rc;
    return icli_run(&o, HYP_SEARCH_SMALLER);
}
