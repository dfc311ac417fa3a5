/*
 * cmd_snapshot.c — `hyperstore snapshot`: a compacting hot copy.
 */
#include "cli.h"
#include "commands.h"
#include "store_cli.h"

const char cmd_snapshot_usage[] =
    "usage: hyperstore snapshot STORE DEST\n"
    "\n"
    "Copies STORE to DEST as of one consistent moment, leaving out free pages\n"
    "(LMDB's compacting copy), while readers and a writer may go on.  DEST is\n"
    "a new directory (a new file for a single-file store).  The copy has the\n"
    "same content, log and state hash.\n";

int cmd_snapshot(int argc, char **argv)
{
    if (argc > 1 && cli_is_help(argv[1])) {
        fputs(cmd_snapshot_usage, stdout);
        return CLI_EXIT_OK;
    }
    if (argc != 3)
        return cli_usage_error("snapshot", "expected STORE and DEST");
    hyp_store *s, *d;
    unsigned char h[HYP_HASH_SIZE];
    char hex[2 * HYP_HASH_SIZE + 1];
    int status = scli_open("snapshot", argv[1], HYP_STORE_RDONLY, &s), rc;
    if (status != 0)
        return status;
    if ((rc = hyp_store_snapshot(s, argv[2])) != HYP_OK) {
        status = scli_fail("snapshot", s, rc, "copying");
    } else if ((status = scli_open("snapshot", argv[2], HYP_STORE_RDONLY, &d)) == 0) {
        if ((rc = hyp_store_hash(d, h)) != HYP_OK) {
            status = scli_fail("snapshot", d, rc, "hashing the copy");
        } else {
            hyp_hash_hex(h, hex);
            printf("snapshot in %s, state hash %s\n", argv[2], hex);
        }
        hyp_store_close(d);
    }
    hyp_store_close(s);
    return status;
}
