/*
 * cmd_replay.c — `hyperstore replay`: rebuilds a version of a store from
 * its full change log and proves it by hash.
 */
#include "cli.h"
#include "commands.h"
#include "store_cli.h"

const char cmd_replay_usage[] =
    "usage: hyperstore replay STORE DEST [--to SEQ]\n"
    "\n"
    "Creates the store DEST by re-applying the logged operations of STORE, batch\n"
    "by batch, up to sequence number SEQ (default: the last), checking after each\n"
    "batch that the state hash equals the one in the log.  STORE must have been\n"
    "created with --log full.  Exit status 1 if a hash differs.\n";

int cmd_replay(int argc, char **argv)
{
    const char *path = NULL, *dest = NULL, *to = NULL;
    unsigned long long seq = 0;
    for (int i = 1; i < argc; i++) {
        int m;
        if (cli_is_help(argv[i])) {
            fputs(cmd_replay_usage, stdout);
            return CLI_EXIT_OK;
        }
        if ((m = cli_option_value("replay", argc, argv, &i, "--to", &to)) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            if (scli_parse_u64(to, &seq) != 0 || seq == 0)
                return cli_usage_error("replay", "--to needs a positive sequence number");
        } else if (argv[i][0] == '-') {
            return cli_usage_error("replay", "unknown option '%s'", argv[i]);
        } else if (path == NULL) {
            path = argv[i];
        } else if (dest == NULL) {
            dest = argv[i];
        } else {
            return cli_usage_error("replay", "unexpected argument '%s'", argv[i]);
        }
    }
    if (path == NULL || dest == NULL)
        return cli_usage_error("replay", "expected STORE and DEST");
    hyp_store *s;
    unsigned char h[HYP_HASH_SIZE];
    char hex[2 * HYP_HASH_SIZE + 1];
    int status = scli_open("replay", path, HYP_STORE_RDONLY, &s), rc;
    if (status != 0)
        return status;
    rc = hyp_store_replay(s, dest, seq, h);
    if (rc == HYP_OK) {
        hyp_hash_hex(h, hex);
        printf("replayed into %s: state hash %s, as logged\n", dest, hex);
    } else if (rc == HYP_ECORRUPT || rc == HYP_ENOLOG || rc == HYP_ENOTFOUND) {
        scli_fail("replay", s, rc, "replay");
        status = CLI_EXIT_REJECTED;
    } else {
        status = scli_fail("replay", s, rc, "replay");
    }
    hyp_store_close(s);
    return status;
}
