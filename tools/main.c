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
    { "convert", cmd_convert, cmd_convert_usage, "convert points between models" },
    { "dist", cmd_dist, cmd_dist_usage, "hyperbolic distances between pairs of points" },
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
