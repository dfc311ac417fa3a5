/*
 * cmd_knn.c — `hyperstore knn`: the nearest points to a stored point or a
 * vector, by the HNSW index or by exact scan.
 */
#include "cli.h"
#include "commands.h"
#include "index_cli.h"

const char cmd_knn_usage[] =
    "usage: hyperstore knn STORE LABEL | --vector COORDS [-k K] [--ef N] [--exact]\n"
    "                      [--score dist|isa] [--alpha A] [--json]\n"
    "\n"
    "Prints the K (default 10) points nearest to the point labelled LABEL (itself\n"
    "excluded) or to the point COORDS (comma-separated, in the store's model), one\n"
    "per line: label, TAB, hyperbolic distance (%.17g), closest first; equal\n"
    "distances in id order.  The search uses the store's HNSW index with breadth N\n"
    "(default max(K, 64)); --exact scans every point instead (exact answer).\n"
    "--score isa ranks the candidates by Nickel & Kiela's is-a score\n"
    "-(1 + A (r_v - r_q)) d(q, v) (r: hyperbolic radius; A default 1000), best first,\n"
    "and prints it as a third column.  On a fixed-point store (q32, q64, q128)\n"
    "COORDS are first rounded into the store's format (as import rounds them) and\n"
    "distances are its Q64.64 fixed-point distance rounded to a double.  Exit\n"
    "status 1 when LABEL is unknown, the vector is not a point of the store's\n"
    "model (or does not fit its fixed-point format), or the store has no index.\n";

int cmd_knn(int argc, char **argv)
{
    icli_opts o = { .cmd = "knn", .k = 10, .alpha = 1000 };
    int rc = icli_parse(&o, "vkes", cmd_knn_usage, argc, argv);
    if (rc != 0)
        return rc < 0 ? CLI_EXIT_OK : rc;
    return icli_run(&o, 0);
}
