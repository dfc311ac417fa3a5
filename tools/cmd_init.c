/*
 * cmd_init.c — `hyperstore init`: creates an empty store.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "store_cli.h"

const char cmd_init_usage[] =
    "usage: hyperstore init STORE --model MODEL --dim N [--repr R] [--curvature C]\n"
    "                       [--log hashes|full] [--single-file] [--map-size BYTES]\n"
    "\n"
    "Creates an empty store: a directory STORE holding an LMDB environment (or,\n"
    "with --single-file, the file STORE and STORE-lock).\n"
    "\n"
    "Options:\n"
    "  --model MODEL     poincare, lorentz or euclid (required)\n"
    "  --dim N           dimension n of H^n, 1..4096 (required); Lorentz points\n"
    "                    then have n + 1 coordinates\n"
    "  --repr R          how coordinates are stored: f64 (binary64, the default),\n"
    "                    or the fixed-point words q32, q64, q128 (poincare and\n"
    "                    lorentz; q128 holds Poincare radii up to ~88 where f64\n"
    "                    stops near 37).  Text import and export are exact.\n"
    "  --curvature C     the space's curvature, negative (default -1)\n"
    "  --log MODE        hashes: the change log keeps counts and state hashes (default);\n"
    "                    full: it keeps the operations too, for 'hyperstore replay'\n"
    "  --single-file     one file instead of a directory\n"
    "  --map-size BYTES  initial map size (default 64 MiB; it grows when full)\n"
    "  -h, --help        show this help\n";

int cmd_init(int argc, char **argv)
{
    const char *path = NULL, *model = NULL, *dim = NULL, *repr = NULL, *curv = NULL,
               *log = NULL, *map = NULL;
    hyp_store_config cfg = { 0 };
    unsigned long long v;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int m;
        if (cli_is_help(arg)) {
            fputs(cmd_init_usage, stdout);
            return CLI_EXIT_OK;
        }
        if ((m = cli_option_value("init", argc, argv, &i, "--model", &model)) ||
            (m = cli_option_value("init", argc, argv, &i, "--dim", &dim)) ||
            (m = cli_option_value("init", argc, argv, &i, "--repr", &repr)) ||
            (m = cli_option_value("init", argc, argv, &i, "--curvature", &curv)) ||
            (m = cli_option_value("init", argc, argv, &i, "--log", &log)) ||
            (m = cli_option_value("init", argc, argv, &i, "--map-size", &map))) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        if ((m = cli_option_flag("init", arg, "--single-file")) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            cfg.flags |= HYP_STORE_SINGLE_FILE;
            continue;
        }
        if (arg[0] == '-')
            return cli_usage_error("init", "unknown option '%s'", arg);
        if (path != NULL)
            return cli_usage_error("init", "unexpected argument '%s'", arg);
        path = arg;
    }
    if (path == NULL)
        return cli_usage_error("init", "expected STORE");
    if (model == NULL || dim == NULL)
        return cli_usage_error("init", "options --model and --dim are required");
    if (cli_model_parse("init", model, &cfg.model) != 0)
        return CLI_EXIT_USAGE;
    if (scli_parse_u64(dim, &v) != 0 || v < 1 || v > HYP_DIM_MAX)
        return cli_usage_error("init", "--dim needs an integer from 1 to %d, not '%s'",
                               HYP_DIM_MAX, dim);
    cfg.dim = (size_t)v;
    if (repr && hyp_repr_parse(repr, &cfg.repr) != HYP_OK)
        return cli_usage_error("init", "unknown representation '%s' (expected f64, q32, q64 or q128)", repr);
    if (curv) {
        char *end;
        cfg.curvature = strtod(curv, &end);
        if (*end != '\0' || end == curv || !(cfg.curvature < 0) || cfg.curvature < -1e300)
            return cli_usage_error("init", "--curvature needs a negative number, not '%s'", curv);
    }
    if (log) {
        if (strcmp(log, "hashes") == 0)
            cfg.log_mode = HYP_LOG_HASHES;
        else if (strcmp(log, "full") == 0)
            cfg.log_mode = HYP_LOG_FULL;
        else
            return cli_usage_error("init", "--log is hashes or full, not '%s'", log);
    }
    if (map) {
        if (scli_parse_u64(map, &v) != 0 || v < 4096)
            return cli_usage_error("init", "--map-size needs a byte count of at least 4096");
        cfg.map_size = (size_t)v;
    }
    hyp_store *s = NULL;
    int rc = hyp_store_create(path, &cfg, &s);
    int status = CLI_EXIT_OK;
    if (rc == HYP_EREPR)
        status = cli_usage_error("init", "%s", hyp_store_errmsg(s));
    else if (rc != HYP_OK) {
        char what[600];
        snprintf(what, sizeof what, "cannot create store '%s'", path);
        status = scli_fail("init", s, rc, what);
    }
    hyp_store_close(s);
    return status;
}
