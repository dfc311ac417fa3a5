/*
 * cmd_delete.c — `hyperstore delete`: removes points by label, all in one
 * batch: if one label is missing, nothing is deleted.
 */
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "store_cli.h"

const char cmd_delete_usage[] =
    "usage: hyperstore delete STORE LABEL...\n"
    "\n"
    "Deletes the points labelled LABEL, and every hierarchy edge that touches\n"
    "them, in one transaction.  If a label has no point, nothing is deleted and\n"
    "the exit status is 1.\n";

int cmd_delete(int argc, char **argv)
{
    if (argc > 1 && cli_is_help(argv[1])) {
        fputs(cmd_delete_usage, stdout);
        return CLI_EXIT_OK;
    }
    if (argc < 3)
        return cli_usage_error("delete", "expected STORE and at least one LABEL");

    hyp_store *s;
    hyp_batch *b;
    int status = scli_open("delete", argv[1], 0, &s), rc, missing = 0;
    if (status != 0)
        return status;
    if ((rc = hyp_batch_begin(s, &b)) != HYP_OK) {
        status = scli_fail("delete", s, rc, "starting a batch");
        hyp_store_close(s);
        return status;
    }
    hyp_batch_note(b, "delete");
    for (int i = 2; i < argc; i++) {
        rc = hyp_batch_delete(b, argv[i], strlen(argv[i]));
        if (rc == HYP_ENOTFOUND || rc == HYP_ELABEL_LEN || rc == HYP_ELABEL_UTF8) {
            char shown[300];
            scli_quote(argv[i], strlen(argv[i]), shown, sizeof shown);
            fprintf(stderr, "hyperstore delete: no point labelled \"%s\"\n", shown);
            missing++;
        } else if (rc != HYP_OK) {
            hyp_batch_abort(b);
            status = scli_fail("delete", s, rc, "deleting");
            hyp_store_close(s);
            return status;
        }
    }
    if (missing) {
        hyp_batch_abort(b);
        fprintf(stderr, "hyperstore delete: nothing deleted\n");
        status = CLI_EXIT_REJECTED;
    } else {
        uint64_t seq;
        if ((rc = hyp_batch_commit(b, &seq, NULL)) != HYP_OK)
            status = scli_fail("delete", s, rc, "commit");
        else
            printf("deleted %d point%s, sequence %llu\n", argc - 2, argc == 3 ? "" : "s",
                   (unsigned long long)seq);
    }
    hyp_store_close(s);
    return status;
}
