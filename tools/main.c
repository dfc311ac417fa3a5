/*
 * main.c — `hyperstore`: dispatches to one tools/cmd_<name>.c per command
 * and turns a failed write of standard output into exit status 3, so that
 * `hyperstore dist > /full/disk` never reports success.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

#ifndef HYPERSTORE_VERSION
#error "HYPERSTORE_VERSION must come from the build (tools/CMakeLists.txt)"
#endif

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
    const char *summary; /* one line for the command list */
};

/* Sorted by name, as `hyperstore --help` lists them. */
static const struct command commands[] = {
    { "advise", cmd_advise, cmd_advise_usage, "which representation (f64, q32, q64, q128) points need" },
    { "ancestors", cmd_ancestors, cmd_ancestors_usage, "chain of closest parents of a point" },
    { "convert", cmd_convert, cmd_convert_usage, "convert points between models" },
    { "delete", cmd_delete, cmd_delete_usage, "delete points by label" },
    { "descendants", cmd_descendants, cmd_descendants_usage, "closest points of larger radius" },
    { "dist", cmd_dist, cmd_dist_usage, "hyperbolic distances between pairs of points" },
    { "edges", cmd_edges, cmd_edges_usage, "add hierarchy edges (child, parent) to a store" },
    { "embed", cmd_embed, cmd_embed_usage, "embed a hierarchy (edge file) in hyperbolic space" },
    { "eval", cmd_eval, cmd_eval_usage, "reconstruction mean rank, MAP and distortion of an embedding" },
    { "export", cmd_export, cmd_export_usage, "write a store's points as TSV, CSV or word2vec text" },
    { "get", cmd_get, cmd_get_usage, "print one point of a store" },
    { "hash", cmd_hash, cmd_hash_usage, "print a store's state hash" },
    { "import", cmd_import, cmd_import_usage, "import points into a store (tsv, csv, w2v, npy)" },
    { "index", cmd_index, cmd_index_usage, "build, rebuild, drop or describe the HNSW index" },
    { "info", cmd_info, cmd_info_usage, "describe a store" },
    { "init", cmd_init, cmd_init_usage, "create an empty store" },
    { "knn", cmd_knn, cmd_knn_usage, "nearest points to a point or a vector" },
    { "log", cmd_log, cmd_log_usage, "list a store's change log" },
    { "parent", cmd_parent, cmd_parent_usage, "closest points of smaller radius (more general)" },
    { "plot", cmd_plot, cmd_plot_usage, "draw a store in the Poincare disk (SVG)" },
    { "replay", cmd_replay, cmd_replay_usage, "rebuild a store from its full change log" },
    { "snapshot", cmd_snapshot, cmd_snapshot_usage, "compacting hot copy of a store" },
    { "verify", cmd_verify, cmd_verify_usage, "check every invariant of a store" },
    { "within", cmd_within, cmd_within_usage, "points within a distance of a point" },
};

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_help(FILE *out)
{
    fputs("usage: hyperstore COMMAND [OPTIONS]\n"
          "       hyperstore help COMMAND\n"
          "       hyperstore --help | --version\n"
          "\n"
          "Hyperbolic embeddings: numerically safe distances and conversions.\n"
          "\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\n"
          "Exit status:\n"
          "  0  success\n"
          "  1  some input records were rejected (the rest was processed)\n"
          "  2  usage error (bad option or argument)\n"
          "  3  cannot open, read or write a file\n"
          "  4  internal error (out of memory)\n"
          "\n"
          "'hyperstore help COMMAND' or 'hyperstore COMMAND --help' describes a command.\n",
          out);
}

static int unknown_command(const char *name)
{
    fprintf(stderr, "hyperstore: '%s' is not a command; see 'hyperstore --help'.\n", name);
    return CLI_EXIT_USAGE;
}

static int run(int argc, char **argv)
{
    const char *first = argc > 1 ? argv[1] : NULL;
    const struct command *cmd;

    if (first == NULL) {
        print_help(stderr);
        return CLI_EXIT_USAGE;
    }
    if (cli_is_help(first)) {
        print_help(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(first, "--version") == 0) {
        printf("hyperstore %s\n", HYPERSTORE_VERSION);
        return CLI_EXIT_OK;
    }
    if (strcmp(first, "help") == 0) {
        if (argc == 2) {
            print_help(stdout);
            return CLI_EXIT_OK;
        }
        if (argc > 3) {
            fprintf(stderr, "hyperstore help: expected one command, got %d arguments.\n",
                    argc - 2);
            return CLI_EXIT_USAGE;
        }
        if ((cmd = find_command(argv[2])) == NULL)
            return unknown_command(argv[2]);
        fputs(cmd->usage, stdout);
        return CLI_EXIT_OK;
    }
    if (first[0] == '-') {
        fprintf(stderr, "hyperstore: unknown option '%s'; see 'hyperstore --help'.\n", first);
        return CLI_EXIT_USAGE;
    }
    if ((cmd = find_command(first)) == NULL)
        return unknown_command(first);
    return cmd->run(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
    int status = run(argc, argv);

    /* Output is fully buffered when redirected: a full disk shows up only here. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "hyperstore: error writing standard output: %s\n", strerror(errno));
        return CLI_EXIT_IO;
    }
    return status;
}
