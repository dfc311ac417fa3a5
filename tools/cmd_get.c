/*
 * cmd_get.c — `hyperstore get`: one point, its id and its neighbours in the
 * hierarchy.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "fixed_text.h"
#include "store_cli.h"

const char cmd_get_usage[] =
    "usage: hyperstore get STORE LABEL [--hex] [--json]\n"
    "\n"
    "Prints the point stored under LABEL: its id, its coordinates (comma-separated,\n"
    "%.17g, or C99 hexadecimal floats with --hex), then one line per parent and per\n"
    "child.  A fixed-point store prints each coordinate's exact value k 2^-F as\n"
    "'export' writes it.  Exit status 1 when there is no such label.\n"
    "\n"
    "Options:\n"
    "  --hex         hexadecimal floats\n"
    "  --json        one JSON object: label, id, point, parents, children\n"
    "  -h, --help    show this help\n";

/* Prints the labels of ids, as lines "KIND<TAB>LABEL" or a JSON array. */
static void print_related(hyp_read *r, const char *kind, const uint64_t *ids, size_t n, int json)
{
    if (json)
        printf(", \"%s\": [", kind);
    for (size_t i = 0; i < n; i++) {
        const char *l;
        size_t len;
        if (hyp_read_label(r, ids[i], &l, &len) != HYP_OK)
            continue;
        if (json) {
            printf(i ? ", " : "");
            scli_json_string(stdout, l, len);
        } else {
            printf("%s\t%.*s\n", kind, (int)len, l);
        }
    }
    if (json)
        printf("]");
}

int cmd_get(int argc, char **argv)
{
    const char *path = NULL, *label = NULL;
    int hex = 0, json = 0;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int m;
        if (cli_is_help(arg)) {
            fputs(cmd_get_usage, stdout);
            return CLI_EXIT_OK;
        }
        if ((m = cli_option_flag("get", arg, "--hex")) || (m = cli_option_flag("get", arg, "--json"))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            if (strcmp(arg, "--hex") == 0)
                hex = 1;
            else
                json = 1;
            continue;
        }
        if (arg[0] == '-' && arg[1] == '-' && arg[2] != '\0' && label == NULL && path != NULL)
            return cli_usage_error("get", "unknown option '%s'", arg);
        if (path == NULL)
            path = arg;
        else if (label == NULL)
            label = arg;
        else
            return cli_usage_error("get", "unexpected argument '%s'", arg);
    }
    if (path == NULL || label == NULL)
        return cli_usage_error("get", "expected STORE and LABEL");

    hyp_store *s;
    hyp_read *r;
    hyp_store_info info;
    uint64_t id;
    int status = scli_open("get", path, HYP_STORE_RDONLY, &s), rc;
    if (status != 0)
        return status;
    hyp_store_get_info(s, &info);
    if ((rc = hyp_read_begin(s, &r)) != HYP_OK) {
        status = scli_fail("get", s, rc, "reading");
        hyp_store_close(s);
        return status;
    }
    rc = hyp_read_find(r, label, strlen(label), &id);
    if (rc != HYP_OK) {
        char shown[300];
        scli_quote(label, strlen(label), shown, sizeof shown);
        if (rc == HYP_ENOTFOUND || rc == HYP_ELABEL_LEN || rc == HYP_ELABEL_UTF8) {
            fprintf(stderr, "hyperstore get: no point labelled \"%s\"%s%s\n", shown,
                    rc == HYP_ENOTFOUND ? "" : ": ", rc == HYP_ENOTFOUND ? "" : hyp_strerror(rc));
            status = CLI_EXIT_REJECTED;
        } else {
            status = scli_fail("get", s, rc, "reading");
        }
        goto out;
    }
    double *x = malloc(info.width * sizeof *x);
    size_t np = 0, nc = 0;
    hyp_read_parents(r, id, NULL, 0, &np);
    hyp_read_children(r, id, NULL, 0, &nc);
    uint64_t *ids = malloc((np + nc + 1) * sizeof *ids);
    if (x == NULL || ids == NULL) {
        free(x);
        free(ids);
        status = CLI_EXIT_INTERNAL;
        goto out;
    }
    /* The coordinates, comma-separated: a fixed store's exactly
     * (fixed_text.h), since a deep Poincaré q128 point has no binary64. */
    char *coords = NULL;
    size_t clen = 0;
    FILE *mem = open_memstream(&coords, &clen);
    const unsigned char *bytes;
    if (mem == NULL || hyp_read_point(r, id, &bytes) != HYP_OK) {
        if (mem)
            fclose(mem);
        free(coords);
        free(x);
        free(ids);
        status = CLI_EXIT_INTERNAL;
        goto out;
    }
    if (info.repr != HYP_REPR_F64) {
        fixed_text_write(mem, (hyp_fixed_format)info.repr, info.model, info.dim, bytes, ',', hex);
    } else {
        hyp_f64_decode(bytes, info.width, x);
        for (size_t i = 0; i < info.width; i++) {
            fputc(',', mem);
            cli_print_double(mem, x[i], hex);
        }
    }
    fclose(mem);
    hyp_read_parents(r, id, ids, np, &np);
    hyp_read_children(r, id, ids + np, nc, &nc);
    if (json) {
        printf("{\"label\": ");
        scli_json_string(stdout, label, strlen(label));
        printf(", \"id\": %llu, \"point\": [", (unsigned long long)id);
        /* JSON has no hex floats: hex values go as strings. */
        for (const char *c = coords + 1, *e; *c; c = *e ? e + 1 : e) {
            e = c + strcspn(c, ",");
            printf(hex ? "%s\"%.*s\"" : "%s%.*s", c == coords + 1 ? "" : ", ", (int)(e - c), c);
        }
        printf("]");
        print_related(r, "parents", ids, np, 1);
        print_related(r, "children", ids + np, nc, 1);
        printf("}\n");
    } else {
        printf("label\t%s\nid\t%llu\npoint\t", label, (unsigned long long)id);
        printf("%s\n", coords + 1);
        print_related(r, "parent", ids, np, 0);
        print_related(r, "child", ids + np, nc, 0);
    }
    free(coords);
    free(x);
    free(ids);
out:
    hyp_read_end(r);
    hyp_store_close(s);
    return status;
}
