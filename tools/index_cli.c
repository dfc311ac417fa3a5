/*
 * index_cli.c — shared code of the query commands (see index_cli.h).
 *
 * Exit statuses: 2 for a usage error (k < 1, a bad number); 1 for a query
 * the store cannot answer (no such label, a vector of the wrong dimension or
 * outside the model or, on a fixed-point store, one that does not fit the
 * store's format, a store without an index); 3 when the store cannot be
 * opened.  Queries open the store read-only: none can change it.
 *
 * Fixed-point stores (q32, q64, q128).  A --vector is rounded into the
 * store's format first (hyp_fixed_from_double, as import rounds a binary64
 * point), so the query is a point the store could hold and every ranking
 * is exact on the words.  Distances are the library's: hyp_fixed_dist_wide
 * (Q64.64, within 2^-64 of the exact distance between the stored points)
 * rounded to the nearest double, printed like binary64 distances with
 * %.17g (enough to tell any two doubles apart); --json likewise.
 */
#include "index_cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "coords.h"
#include "hyp_fixed.h"
#include "store_cli.h"

static int parse_double(const char *t, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(t, &end);
    return errno == 0 && end != t && *end == '\0' && isfinite(*v) ? 0 : -1;
}

int icli_parse(icli_opts *o, const char *allow, const char *usage, int argc, char **argv)
{
    const char *cmd = o->cmd, *val;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int m;
        if (cli_is_help(arg)) {
            fputs(usage, stdout);
            return -1;
        }
        if (strchr(allow, 'v') && (m = cli_option_value(cmd, argc, argv, &i, "--vector", &val))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            o->vector = val;
        } else if (strchr(allow, 'k') &&
                   ((m = cli_option_value(cmd, argc, argv, &i, "-k", &val)) ||
                    (m = cli_option_value(cmd, argc, argv, &i, "--k", &val)))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            if (scli_parse_u64(val, &o->k) != 0 || o->k < 1 || o->k > 1000000)
                return cli_usage_error(cmd, "-k needs an integer from 1 to 1000000, not '%s'", val);
        } else if (strchr(allow, 'e') && (m = cli_option_value(cmd, argc, argv, &i, "--ef", &val))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            if (scli_parse_u64(val, &o->ef) != 0 || o->ef < 1 || o->ef > 1000000)
                return cli_usage_error(cmd, "--ef needs an integer from 1 to 1000000, not '%s'", val);
        } else if (strchr(allow, 'e') && (m = cli_option_flag(cmd, arg, "--exact"))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            o->exact = 1;
        } else if ((m = cli_option_flag(cmd, arg, "--json"))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            o->json = 1;
        } else if (strchr(allow, 's') && (m = cli_option_value(cmd, argc, argv, &i, "--score", &val))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            if (strcmp(val, "isa") != 0 && strcmp(val, "dist") != 0)
                return cli_usage_error(cmd, "--score is 'dist' or 'isa', not '%s'", val);
            o->isa = strcmp(val, "isa") == 0;
        } else if (strchr(allow, 's') && (m = cli_option_value(cmd, argc, argv, &i, "--alpha", &val))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            if (parse_double(val, &o->alpha) != 0)
                return cli_usage_error(cmd, "--alpha needs a finite number, not '%s'", val);
        } else if (strchr(allow, 'r') && (m = cli_option_value(cmd, argc, argv, &i, "--radius", &val))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            if (parse_double(val, &o->radius) != 0 || !(o->radius > 0))
                return cli_usage_error(cmd, "--radius needs a positive number, not '%s'", val);
            o->has_radius = 1;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error(cmd, "unknown option '%s'", arg);
        } else if (o->path == NULL) {
            o->path = arg;
        } else if (o->label == NULL && o->vector == NULL) {
            o->label = arg;
        } else {
            return cli_usage_error(cmd, "unexpected argument '%s'", arg);
        }
    }
    if (o->path == NULL)
        return cli_usage_error(cmd, "expected STORE");
    if (o->label == NULL && o->vector == NULL)
        return cli_usage_error(cmd, strchr(allow, 'v') ? "expected LABEL or --vector COORDS"
                                                       : "expected LABEL");
    if (o->label && o->vector)
        return cli_usage_error(cmd, "give LABEL or --vector, not both");
    if (strchr(allow, 'r') && !o->has_radius)
        return cli_usage_error(cmd, "expected --radius R");
    return 0;
}

static void no_label(const char *cmd, const char *label, int rc)
{
    char shown[300];
    scli_quote(label, strlen(label), shown, sizeof shown);
    fprintf(stderr, "hyperstore %s: no point labelled \"%s\"%s%s\n", cmd, shown,
            rc == HYP_ENOTFOUND ? "" : ": ", rc == HYP_ENOTFOUND ? "" : hyp_strerror(rc));
}

int icli_run(const icli_opts *o, unsigned flags)
{
    const char *cmd = o->cmd;
    hyp_store *s;
    hyp_index *ix = NULL;
    hyp_searcher *sr = NULL;
    hyp_hit *hits = NULL;
    double *x = NULL;
    int status = scli_open(cmd, o->path, HYP_STORE_RDONLY, &s), rc;
    if (status != 0)
        return status;
    hyp_store_info info;
    if ((rc = hyp_store_get_info(s, &info)) != HYP_OK) {
        status = scli_fail(cmd, s, rc, "reading the store");
        goto out;
    }
    if ((rc = hyp_index_open(s, &ix)) != HYP_OK) {
        if (rc == HYP_ENOINDEX) {
            fprintf(stderr, "hyperstore %s: '%s' has no index; build one with "
                            "'hyperstore index %s'\n", cmd, o->path, o->path);
            status = CLI_EXIT_REJECTED;
        } else {
            status = scli_fail(cmd, s, rc, "opening the index");
        }
        goto out;
    }
    hyp_query q = { .k = o->k, .ef = o->ef, .flags = flags, .alpha = o->alpha };
    if (o->exact)
        q.flags |= HYP_SEARCH_EXACT;
    if (o->isa)
        q.flags |= HYP_SEARCH_ISA;
    if (o->has_radius) {
        q.max_dist = o->radius;
        q.k = info.count ? info.count : 1;
    }
    if (o->vector) {
        size_t count;
        char why[200];
        x = malloc((info.width + 1) * sizeof *x);
        if (x == NULL) {
            status = CLI_EXIT_INTERNAL;
            goto out;
        }
        if (coords_parse(o->vector, x, info.width + 1, &count, why, sizeof why) != 0) {
            fprintf(stderr, "hyperstore %s: --vector: %s\n", cmd, why);
            status = CLI_EXIT_REJECTED;
            goto out;
        }
        if (count != info.width) {
            fprintf(stderr, "hyperstore %s: --vector has %zu coordinates; a %s point of this "
                            "store has %zu\n", cmd, count, hyp_model_name(info.model), info.width);
            status = CLI_EXIT_REJECTED;
            goto out;
        }
        if ((rc = hyp_point_check(info.model, info.dim, x)) != HYP_OK) {
            fprintf(stderr, "hyperstore %s: --vector is not a %s point: %s\n", cmd,
                    hyp_model_name(info.model), hyp_strerror(rc));
            status = CLI_EXIT_REJECTED;
            goto out;
        }
        if (info.repr != HYP_REPR_F64) {
            /* Round here too (the library does it again) to say why a
             * vector does not fit before searching. */
            hyp_fixed_format f = (hyp_fixed_format)info.repr;
            void *words = malloc(hyp_fixed_size(f, info.model, info.dim));
            rc = words ? hyp_fixed_from_double(f, info.model, info.dim, x, words) : ENOMEM;
            free(words);
            if (rc == HYP_EFIXED_RANGE) {
                fprintf(stderr, "hyperstore %s: --vector does not fit this store's %s format: "
                                "%s\n", cmd, hyp_fixed_name(f),
                        info.model == HYP_POINCARE
                            ? "it rounds onto or past the boundary of the ball"
                            : "a coordinate is beyond the largest word");
                status = CLI_EXIT_REJECTED;
                goto out;
            }
            if (rc != HYP_OK) {
                status = scli_fail(cmd, s, rc, "rounding --vector");
                goto out;
            }
        }
        q.vector = x;
    } else {
        q.label = o->label;
        q.label_len = strlen(o->label);
    }
    if ((hits = malloc(q.k * sizeof *hits)) == NULL ||
        (rc = hyp_searcher_create(ix, &sr)) != HYP_OK) {
        status = CLI_EXIT_INTERNAL;
        goto out;
    }
    size_t n;
    rc = hyp_search(sr, &q, hits, &n);
    if (rc == HYP_ENOTFOUND || rc == HYP_ELABEL_LEN || rc == HYP_ELABEL_UTF8) {
        no_label(cmd, o->label ? o->label : "", rc);
        status = CLI_EXIT_REJECTED;
        goto out;
    }
    if (rc != HYP_OK) {
        status = scli_fail(cmd, s, rc, "searching");
        goto out;
    }
    if (o->json)
        printf("[");
    for (size_t i = 0; i < n; i++) {
        const char *l;
        size_t len;
        if (hyp_searcher_label(sr, hits[i].id, &l, &len) != HYP_OK)
            continue;
        if (o->json) {
            printf(i ? ", {\"label\": " : "{\"label\": ");
            scli_json_string(stdout, l, len);
            printf(", \"dist\": %.17g", hits[i].dist);
            if (o->isa)
                printf(", \"score\": %.17g", hits[i].score);
            printf("}");
        } else {
            printf("%.*s\t%.17g", (int)len, l, hits[i].dist);
            if (o->isa)
                printf("\t%.17g", hits[i].score);
            printf("\n");
        }
    }
    if (o->json)
        printf("]\n");
out:
    free(x);
    free(hits);
    hyp_searcher_destroy(sr);
    hyp_index_close(ix);
    hyp_store_close(s);
    return status;
}
