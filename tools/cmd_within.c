/*
 * cmd_within.c — `hyperstore within`: every point within a distance.
 */
#include "cli.h"
#include "commands.h"
#include "index_cli.h"

const char cmd_within_usage[] =
    "usage: hyperstore within STORE LABEL --radius R [--json]\n"
    "\n"
    "Prints every point at hyperbolic distance at most R from LABEL (itself\n"
    "excluded), closest first: label, TAB, distance.  An exact scan.\n";

int cmd_within(int argc, char **argv)
{
    icli_opts o = { .cmd = "within", .k = 1 };
    int rc = icli_parse(&o, "r", cmd_within_usage, argc, argv);
    if (rc != 0)
        return rc < 0 ? CLI_EXIT_OK : rc;
    return icli_run(&o, 0);
}
