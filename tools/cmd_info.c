/*
 * cmd_info.c — `hyperstore info`: what a store is and holds.
 */
#include <string.h>

#include "cli.h"
#include "hyp_index.h"
#include "commands.h"
#include "store_cli.h"

const char cmd_info_usage[] =
    "usage: hyperstore info STORE [--json]\n"
    "\n"
    "Prints the store's format version, model, dimension, representation,\n"
    "curvature, log mode, number of points and edges, last sequence number,\n"
    "state hash (as recorded at the last commit) and size on disk, and the\n"
    "HNSW index if the store has one (parameters, nodes, bytes, graph hash).\n"
    "\n"
    "Options:\n"
    "  --json       one JSON object\n"
    "  -h, --help   show this help\n";

int cmd_info(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0;

    for (int i = 1; i < argc; i++) {
        int m;
        if (cli_is_help(argv[i])) {
            fputs(cmd_info_usage, stdout);
            return CLI_EXIT_OK;
        }
        if ((m = cli_option_flag("info", argv[i], "--json")) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            json = 1;
        } else if (argv[i][0] == '-') {
            return cli_usage_error("info", "unknown option '%s'", argv[i]);
        } else if (path) {
            return cli_usage_error("info", "unexpected argument '%s'", argv[i]);
        } else {
            path = argv[i];
        }
    }
    if (path == NULL)
        return cli_usage_error("info", "expected STORE");

    hyp_store *s;
    hyp_store_info in;
    char hex[2 * HYP_HASH_SIZE + 1];
    int status = scli_open("info", path, HYP_STORE_RDONLY, &s), rc;
    if (status != 0)
        return status;
    if ((rc = hyp_store_get_info(s, &in)) != HYP_OK) {
        status = scli_fail("info", s, rc, "reading");
        hyp_store_close(s);
        return status;
    }
    hyp_hash_hex(in.hash, hex);
    /* The index, if any (read-only: opening it changes nothing).  A store
     * without one says so rather than omitting the line, so scripts can
     * tell "no index" from an older hyperstore. */
    hyp_index *ix = NULL;
    hyp_index_info ii;
    char ihex[2 * HYP_HASH_SIZE + 1];
    rc = hyp_index_open(s, &ix);
    if (rc == HYP_OK && (rc = hyp_index_get_info(ix, &ii)) == HYP_OK)
        hyp_hash_hex(ii.graph_hash, ihex);
    if (rc != HYP_OK && rc != HYP_ENOINDEX) {
        status = scli_fail("info", s, rc, "reading the index");
        hyp_index_close(ix);
        hyp_store_close(s);
        return status;
    }
    int has_ix = rc == HYP_OK;
    const char *log = in.log_mode == HYP_LOG_FULL ? "full" : "hashes";
    if (json) {
        printf("{\"store\": ");
        scli_json_string(stdout, path, strlen(path));
        printf(", \"format_version\": %u, \"model\": \"%s\", \"dimension\": %zu, "
               "\"coordinates\": %zu, \"representation\": \"%s\", \"curvature\": %.17g, "
               "\"log\": \"%s\", \"points\": %llu, \"edges\": %llu, \"next_id\": %llu, "
               "\"sequence\": %llu, \"hash\": \"%s\", \"file_bytes\": %llu, "
               "\"used_bytes\": %llu, \"map_bytes\": %llu",
               in.format_version, hyp_model_name(in.model), in.dim, in.width,
               hyp_repr_name(in.repr), in.curvature, log, (unsigned long long)in.count,
               (unsigned long long)in.edges, (unsigned long long)in.next_id,
               (unsigned long long)in.last_seq, hex, (unsigned long long)in.file_bytes,
               (unsigned long long)in.used_bytes, (unsigned long long)in.map_size);
        if (has_ix)
            printf(", \"index\": {\"m\": %u, \"ef_construction\": %u, \"seed\": %llu, "
                   "\"count\": %llu, \"max_level\": %u, \"bytes\": %llu, "
                   "\"graph_hash\": \"%s\"}}\n",
                   ii.m, ii.ef_construction, (unsigned long long)ii.seed,
                   (unsigned long long)ii.count, ii.max_level, (unsigned long long)ii.bytes, ihex);
        else
            printf(", \"index\": null}\n");
    } else {
        printf("store           %s\n"
               "format version  %u\n"
               "model           %s\n"
               "dimension       %zu (%zu coordinates per point)\n"
               "representation  %s\n"
               "curvature       %.17g\n"
               "log             %s\n"
               "points          %llu\n"
               "edges           %llu\n"
               "sequence        %llu\n"
               "hash            %s\n"
               "size            %llu bytes on disk, %llu in use, map %llu\n",
               path, in.format_version, hyp_model_name(in.model), in.dim, in.width,
               hyp_repr_name(in.repr), in.curvature, log, (unsigned long long)in.count,
               (unsigned long long)in.edges, (unsigned long long)in.last_seq, hex,
               (unsigned long long)in.file_bytes, (unsigned long long)in.used_bytes,
               (unsigned long long)in.map_size);
        if (has_ix)
            printf("index           hnsw, m %u, ef_construction %u, seed %llu, %llu nodes, "
                   "top level %u, %llu bytes\n"
                   "graph hash      %s\n",
                   ii.m, ii.ef_construction, (unsigned long long)ii.seed,
                   (unsigned long long)ii.count, ii.max_level, (unsigned long long)ii.bytes, ihex);
        else
            printf("index           none\n");
    }
    hyp_index_close(ix);
    hyp_store_close(s);
    return CLI_EXIT_OK;
}
