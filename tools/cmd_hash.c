/*
 * cmd_hash.c — `hyperstore hash`: the state hash, recomputed from content.
 */
#include "cli.h"
#include "commands.h"
#include "store_cli.h"

const char cmd_hash_usage[] =
    "usage: hyperstore hash STORE\n"
    "\n"
    "Prints the state hash of STORE, recomputed from its content: BLAKE2b-256 over\n"
    "the metadata and a tree of BLAKE2b digests of each point's record (label,\n"
    "coordinates as stored, parents' labels), grouped by digest (spec in\n"
    "store/hash.c).  The same content gives the same hash on every platform,\n"
    "whatever the order of the operations that produced it; a snapshot keeps it.\n";

int cmd_hash(int argc, char **argv)
{
    if (argc > 1 && cli_is_help(argv[1])) {
        fputs(cmd_hash_usage, stdout);
        return CLI_EXIT_OK;
    }
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage_error("hash", "expected STORE");
    hyp_store *s;
    unsigned char h[HYP_HASH_SIZE];
    char hex[2 * HYP_HASH_SIZE + 1];
    int status = scli_open("hash", argv[1], HYP_STORE_RDONLY, &s), rc;
    if (status != 0)
        return status;
    if ((rc = hyp_store_hash(s, h)) != HYP_OK) {
        status = scli_fail("hash", s, rc, "hashing");
    } else {
        hyp_hash_hex(h, hex);
        printf("%s\n", hex);
    }
    hyp_store_close(s);
    return status;
}
