/*
 * cmd_log.c — `hyperstore log`: the change log, one line per batch.
 */
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "store_cli.h"

const char cmd_log_usage[] =
    "usage: hyperstore log STORE [--json]\n"
    "\n"
    "Lists the change log: for each committed batch, its sequence number, the\n"
    "points inserted (+), replaced (~) and deleted (-), the edges added and\n"
    "deleted, the number of points after it, the state hash after it and its note.\n"
    "\n"
    "Options:\n"
    "  --json       one JSON object per line\n"
    "  -h, --help   show this help\n";

static int print_entry(void *ctx, const hyp_log_entry *e)
{
    int json = *(int *)ctx;
    char hex[2 * HYP_HASH_SIZE + 1];
    hyp_hash_hex(e->hash, hex);
    if (json) {
        printf("{\"seq\": %llu, \"inserted\": %llu, \"updated\": %llu, \"deleted\": %llu, "
               "\"edges_added\": %llu, \"edges_deleted\": %llu, \"points\": %llu, "
               "\"hash\": \"%s\", \"operations\": %llu, \"kept\": %s, \"note\": ",
               (unsigned long long)e->seq, (unsigned long long)e->inserted,
               (unsigned long long)e->updated, (unsigned long long)e->deleted,
               (unsigned long long)e->edges_added, (unsigned long long)e->edges_deleted,
               (unsigned long long)e->count, hex, (unsigned long long)e->ops,
               e->ops_kept ? "true" : "false");
        scli_json_string(stdout, e->note, strlen(e->note));
        printf("}\n");
    } else {
        printf("%llu\tpoints +%llu ~%llu -%llu\tedges +%llu -%llu\t%llu points\t%s\t%s\n",
               (unsigned long long)e->seq, (unsigned long long)e->inserted,
               (unsigned long long)e->updated, (unsigned long long)e->deleted,
               (unsigned long long)e->edges_added, (unsigned long long)e->edges_deleted,
               (unsigned long long)e->count, hex, e->note);
    }
    return 0;
}

int cmd_log(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        int m;
        if (cli_is_help(argv[i])) {
            fputs(cmd_log_usage, stdout);
            return CLI_EXIT_OK;
        }
        if ((m = cli_option_flag("log", argv[i], "--json")) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            json = 1;
        } else if (argv[i][0] == '-' || path) {
            return cli_usage_error("log", "unexpected argument '%s'", argv[i]);
        } else {
            path = argv[i];
        }
    }
    if (path == NULL)
        return cli_usage_error("log", "expected STORE");
    hyp_store *s;
    int status = scli_open("log", path, HYP_STORE_RDONLY, &s), rc;
    if (status != 0)
        return status;
    if ((rc = hyp_store_log(s, 0, 0, print_entry, &json)) != HYP_OK)
        status = scli_fail("log", s, rc, "reading the log");
    hyp_store_close(s);
    return status;
}
