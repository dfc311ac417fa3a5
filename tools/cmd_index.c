/*
 * cmd_index.c — `hyperstore index`: build, rebuild, drop or describe a
 * store's HNSW index.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "hyp_index.h"
#include "store_cli.h"

const char cmd_index_usage[] =
    "usage: hyperstore index STORE [--m M] [--ef-construction N] [--seed S]\n"
    "       hyperstore index STORE --rebuild [--m M] [--ef-construction N] [--seed S]\n"
    "       hyperstore index STORE --drop | --info\n"
    "\n"
    "Builds an HNSW index over every point of STORE (M neighbours per node, 2M on\n"
    "level 0, default 16; N candidates while inserting, default 200; S seeds the\n"
    "level hash, default 0).  From then on every write to the store updates the\n"
    "index in the same transaction.  --rebuild builds it again from the points;\n"
    "--drop removes it; --info prints its parameters, size and graph hash.\n";

int cmd_index(int argc, char **argv)
{
    const char *path = NULL, *val;
    hyp_index_config cfg = { 0 };
    int rebuild = 0, drop = 0, info = 0, cfg_given = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        unsigned long long v;
        int m;
        if (cli_is_help(arg)) {
            fputs(cmd_index_usage, stdout);
            return CLI_EXIT_OK;
        }
        if ((m = cli_option_value("index", argc, argv, &i, "--m", &val)) ||
            (m = cli_option_value("index", argc, argv, &i, "--ef-construction", &val)) ||
            (m = cli_option_value("index", argc, argv, &i, "--seed", &val))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            if (scli_parse_u64(val, &v) != 0)
                return cli_usage_error("index", "'%s' needs an integer, not '%s'", arg, val);
            if (strncmp(arg, "--m", 3) == 0 && (arg[3] == '\0' || arg[3] == '=')) {
                if (v < 2 || v > 64)
                    return cli_usage_error("index", "--m must be from 2 to 64");
                cfg.m = (unsigned)v;
            } else if (strncmp(arg, "--ef", 4) == 0) {
                if (v < 2 || v > 100000)
                    return cli_usage_error("index", "--ef-construction must be from 2 to 100000");
                cfg.ef_construction = (unsigned)v;
            } else {
                cfg.seed = v;
            }
            cfg_given = 1;
        } else if ((m = cli_option_flag("index", arg, "--rebuild")) ||
                   (m = cli_option_flag("index", arg, "--drop")) ||
                   (m = cli_option_flag("index", arg, "--info"))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            rebuild |= strcmp(arg, "--rebuild") == 0;
            drop |= strcmp(arg, "--drop") == 0;
            info |= strcmp(arg, "--info") == 0;
        } else if (arg[0] == '-' || path) {
            return cli_usage_error("index", "unexpected argument '%s'", arg);
        } else {
            path = arg;
        }
    }
    if (path == NULL)
        return cli_usage_error("index", "expected STORE");
    if (rebuild + drop + info > 1 || ((drop || info) && cfg_given))
        return cli_usage_error("index", "--rebuild, --drop and --info go alone");
    if (cfg.m && cfg.ef_construction && cfg.ef_construction < cfg.m)
        return cli_usage_error("index", "--ef-construction must be at least --m");

    hyp_store *s;
    hyp_index *ix = NULL;
    int status = scli_open("index", path, info ? HYP_STORE_RDONLY : 0, &s), rc;
    if (status != 0)
        return status;
    if (!rebuild && !drop && !info) {
        rc = hyp_index_create(s, &cfg, &ix);
        if (rc == HYP_EEXISTS) {
            fprintf(stderr, "hyperstore index: '%s' already has an index (--rebuild builds it "
                            "again)\n", path);
            status = CLI_EXIT_REJECTED;
        } else if (rc != HYP_OK) {
            status = scli_fail("index", s, rc, "building the index");
        }
    } else {
        /* A read-write open attached the index, owned by the store handle:
         * detach it by opening our own. */
        rc = hyp_index_open(s, &ix);
        if (rc == HYP_ENOINDEX) {
            fprintf(stderr, "hyperstore index: '%s' has no index\n", path);
            status = CLI_EXIT_REJECTED;
        } else if (rc != HYP_OK) {
            status = scli_fail("index", s, rc, "opening the index");
        } else if (rebuild && (rc = hyp_index_rebuild(ix, cfg_given ? &cfg : NULL)) != HYP_OK) {
            status = scli_fail("index", s, rc, "rebuilding the index");
        } else if (drop) {
            rc = hyp_index_drop(ix);
            ix = NULL;
            if (rc != HYP_OK)
                status = scli_fail("index", s, rc, "dropping the index");
            else
                printf("index dropped\n");
        }
    }
    if (ix && status == 0) {
        hyp_index_info in;
        char hex[2 * HYP_HASH_SIZE + 1];
        if ((rc = hyp_index_get_info(ix, &in)) != HYP_OK) {
            status = scli_fail("index", s, rc, "reading the index");
        } else {
            hyp_hash_hex(in.graph_hash, hex);
            printf("index: %llu points, m %u, ef_construction %u, seed %llu, top level %u, "
                   "%llu bytes\ngraph hash %s\n",
                   (unsigned long long)in.count, in.m, in.ef_construction,
                   (unsigned long long)in.seed, in.max_level, (unsigned long long)in.bytes, hex);
        }
    }
    hyp_index_close(ix);
    hyp_store_close(s);
    return status;
}
