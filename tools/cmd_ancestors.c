/*
 * cmd_ancestors.c — `hyperstore ancestors`: the chain of closest parents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "index_cli.h"
#include "store_cli.h"

const char cmd_ancestors_usage[] =
    "usage: hyperstore ancestors STORE LABEL [--ef N] [--exact] [--json]\n"
    "\n"
    "Prints the closest parent of LABEL (the closest point of smaller radius), then\n"
    "its closest parent, and so on up to the most general point, one label per\n"
    "line.  Radii strictly decrease along the chain, so it always ends.\n";

int cmd_ancestors(int argc, char **argv)
{
    icli_opts o = { .cmd = "ancestors" };
    int status = icli_parse(&o, "e", cmd_ancestors_usage, argc, argv), rc;
    if (status != 0)
        return status < 0 ? CLI_EXIT_OK : status;
    hyp_store *s;
    hyp_index *ix = NULL;
    hyp_searcher *sr = NULL;
    uint64_t id, *ids = NULL;
    size_t n = 0;
    if ((status = scli_open("ancestors", o.path, HYP_STORE_RDONLY, &s)) != 0)
        return status;
    if ((rc = hyp_index_open(s, &ix)) != HYP_OK) {
        if (rc == HYP_ENOINDEX) {
            fprintf(stderr, "hyperstore ancestors: '%s' has no index; build one with "
                            "'hyperstore index %s'\n", o.path, o.path);
            status = CLI_EXIT_REJECTED;
        } else {
            status = scli_fail("ancestors", s, rc, "opening the index");
        }
        goto out;
    }
    hyp_read *r;
    if ((rc = hyp_read_begin(s, &r)) != HYP_OK) {
        status = scli_fail("ancestors", s, rc, "reading");
        goto out;
    }
    rc = hyp_read_find(r, o.label, strlen(o.label), &id);
    hyp_read_end(r);
    if (rc != HYP_OK) {
        char shown[300];
        scli_quote(o.label, strlen(o.label), shown, sizeof shown);
        fprintf(stderr, "hyperstore ancestors: no point labelled \"%s\"\n", shown);
        status = CLI_EXIT_REJECTED;
        goto out;
    }
    if ((rc = hyp_searcher_create(ix, &sr)) != HYP_OK) {
        status = CLI_EXIT_INTERNAL;
        goto out;
    }
    size_t cap = 64;
    for (;;) {
        free(ids);
        if ((ids = malloc(cap * sizeof *ids)) == NULL) {
            status = CLI_EXIT_INTERNAL;
            goto out;
        }
        rc = hyp_search_ancestors(sr, id, o.exact, (size_t)o.ef, ids, cap, &n);
        if (rc != HYP_OK || n <= cap)
            break;
        cap = n;
    }
    if (rc != HYP_OK) {
        status = scli_fail("ancestors", s, rc, "searching");
        goto out;
    }
    if (o.json)
        printf("[");
    for (size_t i = 0; i < n; i++) {
        const char *l;
        size_t len;
        if (hyp_searcher_label(sr, ids[i], &l, &len) != HYP_OK)
            continue;
        if (o.json) {
            printf(i ? ", " : "");
            scli_json_string(stdout, l, len);
        } else {
            printf("%.*s\n", (int)len, l);
        }
    }
    if (o.json)
        printf("]\n");
out:
    free(ids);
    hyp_searcher_destroy(sr);
    hyp_index_close(ix);
    hyp_store_close(s);
    return status;
}
