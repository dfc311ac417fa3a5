/*
 * cmd_verify.c — `hyperstore verify`: every invariant of a store.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hyp_index.h"
#include "commands.h"
#include "store_cli.h"

const char cmd_verify_usage[] =
    "usage: hyperstore verify STORE [--max N]\n"
    "\n"
    "Checks every invariant of STORE: the metadata; every point of the right size\n"
    "and valid for the model; labels valid UTF-8 and a bijection with ids; every\n"
    "edge between existing points, stored in both directions, and no cycle; the\n"
    "change log numbered without gaps, decodable, and ending at the state hash of\n"
    "the content, recomputed; and, when the store has an index, the graph's\n"
    "invariants (hyp_index_verify).  Prints each problem (at most N, default 100)\n"
    "and exits 1 if there is any; prints a summary and exits 0 otherwise.\n";

static void print_problem(void *ctx, const char *msg)
{
    (void)ctx;
    if (strncmp(msg, "note: ", 6) == 0)
        printf("%s\n", msg);
    else
        printf("problem: %s\n", msg);
}

int cmd_verify(int argc, char **argv)
{
    const char *path = NULL, *max = NULL;
    unsigned long long limit = 100;
    for (int i = 1; i < argc; i++) {
        int m;
        if (cli_is_help(argv[i])) {
            fputs(cmd_verify_usage, stdout);
            return CLI_EXIT_OK;
        }
        if ((m = cli_option_value("verify", argc, argv, &i, "--max", &max)) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            if (scli_parse_u64(max, &limit) != 0)
                return cli_usage_error("verify", "--max needs an integer");
        } else if (argv[i][0] == '-' || path) {
            return cli_usage_error("verify", "unexpected argument '%s'", argv[i]);
        } else {
            path = argv[i];
        }
    }
    if (path == NULL)
        return cli_usage_error("verify", "expected STORE");
    hyp_store *s;
    uint64_t problems = 0;
    int status = scli_open("verify", path, HYP_STORE_RDONLY, &s), rc;
    if (status != 0)
        return status;
    rc = hyp_store_verify(s, print_problem, NULL, (size_t)limit, &problems);
    hyp_index *ix = NULL;
    int irc = hyp_index_open(s, &ix);
    if (irc == HYP_OK) {
        uint64_t more = 0;
        irc = hyp_index_verify(ix, print_problem, NULL, (size_t)limit, &more);
        problems += more;
        if (irc == HYP_ECORRUPT && rc == HYP_OK)
            rc = HYP_ECORRUPT;
        else if (irc != HYP_OK && irc != HYP_ECORRUPT && rc == HYP_OK)
            rc = irc;
        hyp_index_close(ix);
    } else if (irc != HYP_ENOINDEX) {
        printf("problem: index: %s\n", hyp_strerror(irc));
        problems++;
        if (rc == HYP_OK)
            rc = HYP_ECORRUPT;
    }
    if (rc == HYP_OK) {
        hyp_store_info in;
        char hex[2 * HYP_HASH_SIZE + 1];
        hyp_store_get_info(s, &in);
        hyp_hash_hex(in.hash, hex);
        printf("ok: %llu points, %llu edges, log at %llu, state hash %s\n",
               (unsigned long long)in.count, (unsigned long long)in.edges,
               (unsigned long long)in.last_seq, hex);
    } else if (rc == HYP_ECORRUPT) {
        printf("%llu problem%s found\n", (unsigned long long)problems, problems == 1 ? "" : "s");
        status = CLI_EXIT_REJECTED;
    } else {
        status = scli_fail("verify", s, rc, "verifying");
    }
    hyp_store_close(s);
    return status;
}
