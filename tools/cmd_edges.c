/*
 * cmd_edges.c — `hyperstore edges`: hierarchy edges from a file of
 * (child, parent) pairs, atomically like `import`.
 */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "fmt_internal.h"
#include "store_cli.h"

const char cmd_edges_usage[] =
    "usage: hyperstore edges STORE FILE [--delete] [--skip-bad]\n"
    "\n"
    "Adds the hierarchy edges of FILE ('-': standard input), one per line:\n"
    "CHILD<TAB>PARENT, both labels of points in STORE.  A point may have many\n"
    "parents (a DAG); an edge that would close a cycle is a bad record, an edge\n"
    "already there is no change.  Blank lines and lines starting with '#' are\n"
    "comments.\n"
    "\n"
    "Options:\n"
    "  --delete     remove the listed edges instead\n"
    "  --skip-bad   apply the good lines even if some are bad\n"
    "  -h, --help   show this help\n"
    "\n"
    "Each bad line is reported as FILE:LINE: REASON.  By default nothing is\n"
    "changed if any line is bad (exit status 1).\n";

int cmd_edges(int argc, char **argv)
{
    const char *path = NULL, *file = NULL, *name;
    int del = 0, skip_bad = 0;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int m;
        if (cli_is_help(arg)) {
            fputs(cmd_edges_usage, stdout);
            return CLI_EXIT_OK;
        }
        if ((m = cli_option_flag("edges", arg, "--delete")) ||
            (m = cli_option_flag("edges", arg, "--skip-bad"))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            if (strcmp(arg, "--delete") == 0)
                del = 1;
            else
                skip_bad = 1;
            continue;
        }
        if (arg[0] == '-' && arg[1] != '\0')
            return cli_usage_error("edges", "unknown option '%s'", arg);
        if (path == NULL)
            path = arg;
        else if (file == NULL)
            file = arg;
        else
            return cli_usage_error("edges", "unexpected argument '%s'", arg);
    }
    if (path == NULL || file == NULL)
        return cli_usage_error("edges", "expected STORE and FILE");

    hyp_store *s;
    hyp_batch *b;
    int status = scli_open("edges", path, 0, &s), rc;
    if (status != 0)
        return status;
    FILE *in = cli_open_input("edges", file, &name);
    if (in == NULL) {
        hyp_store_close(s);
        return CLI_EXIT_IO;
    }
    if ((rc = hyp_batch_begin(s, &b)) != HYP_OK) {
        status = scli_fail("edges", s, rc, "starting a batch");
        goto out;
    }
    char note[256];
    snprintf(note, sizeof note, "edges %s%s", del ? "--delete " : "", file);
    hyp_batch_note(b, note);

    static bline lr; /* 64 KiB buffer: not on the stack */
    enum bline_status st;
    unsigned long long good = 0, bad = 0;
    bline_init(&lr, in);
    while ((st = bline_next(&lr)) != BL_EOF) {
        char why[700], c1[300], c2[300];
        if (st == BL_ERROR || st == BL_NOMEM) {
            fprintf(stderr, "hyperstore edges: error reading %s: %s\n", name,
                    st == BL_NOMEM ? "out of memory" : strerror(errno));
            hyp_batch_abort(b);
            status = st == BL_NOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_IO;
            goto out_free;
        }
        why[0] = '\0';
        char *line = lr.line, *tab = NULL;
        if (st == BL_LONG) {
            snprintf(why, sizeof why, "line longer than %u bytes", FMT_LINE_MAX);
        } else if (strlen(line) != lr.len) {
            snprintf(why, sizeof why, "line contains a NUL byte");
        } else if (line[0] == '#' || line[strspn(line, " \t")] == '\0') {
            continue;
        } else if ((tab = strchr(line, '\t')) == NULL || strchr(tab + 1, '\t') != NULL) {
            snprintf(why, sizeof why, "expected CHILD<TAB>PARENT");
        } else {
            *tab = '\0';
            const char *child = line, *parent = tab + 1;
            size_t cl = strlen(child), pl = strlen(parent);
            rc = del ? hyp_batch_edge_delete(b, child, cl, parent, pl)
                     : hyp_batch_edge_add(b, child, cl, parent, pl);
            scli_quote(child, cl, c1, sizeof c1);
            scli_quote(parent, pl, c2, sizeof c2);
            if (rc == HYP_OK) {
                good++;
                continue;
            }
            if (rc == HYP_ENOTFOUND) {
                uint64_t id;
                hyp_read *r;
                int child_there = 0;
                /* Which one is missing?  (The batch sees its own writes;
                 * a read sees the store, which is what the user means.) */
                if (hyp_read_begin(s, &r) == HYP_OK) {
                    child_there = hyp_read_find(r, child, cl, &id) == HYP_OK;
                    hyp_read_end(r);
                }
                if (del)
                    snprintf(why, sizeof why, "no edge \"%s\" -> \"%s\"", c1, c2);
                else
                    snprintf(why, sizeof why, "no point labelled \"%s\"", child_there ? c2 : c1);
            } else if (rc == HYP_ECYCLE) {
                snprintf(why, sizeof why, "edge \"%s\" -> \"%s\" would make a cycle", c1, c2);
            } else if (rc == HYP_ELABEL_LEN || rc == HYP_ELABEL_UTF8) {
                snprintf(why, sizeof why, "%s", hyp_strerror(rc));
            } else {
                status = scli_fail("edges", s, rc, "writing");
                hyp_batch_abort(b);
                goto out_free;
            }
        }
        fprintf(stderr, "%s:%lu: %s\n", name, lr.number, why);
        bad++;
    }
    if (bad && !skip_bad) {
        hyp_batch_abort(b);
        fprintf(stderr, "hyperstore edges: %llu bad line%s: nothing changed "
                        "(--skip-bad applies the rest)\n", bad, bad == 1 ? "" : "s");
        status = CLI_EXIT_REJECTED;
    } else {
        uint64_t seq;
        if ((rc = hyp_batch_commit(b, &seq, NULL)) != HYP_OK) {
            status = scli_fail("edges", s, rc, "commit");
        } else {
            printf("%s %llu edge line%s", del ? "deleted" : "applied", good, good == 1 ? "" : "s");
            if (bad)
                printf(", skipped %llu bad line%s", bad, bad == 1 ? "" : "s");
            printf(", sequence %llu\n", (unsigned long long)seq);
            status = bad ? CLI_EXIT_REJECTED : CLI_EXIT_OK;
        }
    }
out_free:
    bline_free(&lr);
out:
    cli_close_input(in);
    hyp_store_close(s);
    return status;
}
