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

/* Store commands (tools/cmd_<name>.c, store/hyp_store.h). */
int cmd_delete(int argc, char **argv);
int cmd_edges(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_get(int argc, char **argv);
int cmd_hash(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/* Embedding hierarchies (tools/cmd_embed.c, cmd_eval.c; issue 6). */
int cmd_embed(int argc, char **argv);
int cmd_eval(int argc, char **argv);

/* The HNSW index and its queries (tools/cmd_<name>.c, index/hyp_index.h; issue 5). */
int cmd_ancestors(int argc, char **argv);
int cmd_descendants(int argc, char **argv);
int cmd_index(int argc, char **argv);
int cmd_knn(int argc, char **argv);
int cmd_parent(int argc, char **argv);
int cmd_within(int argc, char **argv);

/* Each command's help text, printed by `CMD --help` and `help CMD`. */
extern const char cmd_convert_usage[];
extern const char cmd_dist_usage[];

extern const char cmd_delete_usage[];
extern const char cmd_edges_usage[];
extern const char cmd_export_usage[];
extern const char cmd_get_usage[];
extern const char cmd_hash_usage[];
extern const char cmd_import_usage[];
extern const char cmd_info_usage[];
extern const char cmd_init_usage[];
extern const char cmd_log_usage[];
extern const char cmd_replay_usage[];
extern const char cmd_snapshot_usage[];
extern const char cmd_verify_usage[];

extern const char cmd_embed_usage[];
extern const char cmd_eval_usage[];

extern const char cmd_ancestors_usage[];
extern const char cmd_descendants_usage[];
extern const char cmd_index_usage[];
extern const char cmd_knn_usage[];
extern const char cmd_parent_usage[];
extern const char cmd_within_usage[];

/* Representation advice (tools/cmd_advise.c, tools/advise.h; issue 3). */
int cmd_advise(int argc, char **argv);
extern const char cmd_advise_usage[];

/* Pictures (tools/cmd_plot.c, tools/plot.h; issue 6). */
int cmd_plot(int argc, char **argv);
extern const char cmd_plot_usage[];

#endif
