/*
 * commands.h — the subcommands of `hyperstore`, one tools/cmd_<name>.c each
 * (the shape of git's builtin.h).  main.c holds the dispatch table.
 *
 * A command gets argv with argv[0] its own name, handles -h/--help itself,
 * and returns an exit status from the table in cli.h.
 */
#ifndef HYP_TOOLS_COMMANDS_H
#define HYP_TOOLS_COMMANDS_H

int cmd_convert(int argc, char **argv);
int cmd_dist(int argc, char **argv);

/* Each command's help text, printed by `CMD --help` and `help CMD`. */
extern const char cmd_convert_usage[];
extern const char cmd_dist_usage[];

#endif
