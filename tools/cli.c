/*
 * cli.c — pieces shared by every subcommand.  Options are matched by hand
 * rather than with getopt_long: that is a GNU extension, and the few long
 * options we have do not need it.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "hyperstore %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'hyperstore %s --help'.\n", cmd);
    return CLI_EXIT_USAGE;
}

int cli_option_value(const char *cmd, int argc, char **argv, int *i, const char *name,
                     const char **value)
{
    const char *arg = argv[*i];
    size_t len = strlen(name);

    if (strncmp(arg, name, len) != 0)
        return 0;
    if (arg[len] == '=') {
        *value = arg + len + 1;
        return 1;
    }
    if (arg[len] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        cli_usage_error(cmd, "option %s needs a value", name);
        return -1;
    }
    *i += 1;
    *value = argv[*i];
    return 1;
}

int cli_option_flag(const char *cmd, const char *arg, const char *name)
{
    size_t len = strlen(name);

    if (strncmp(arg, name, len) != 0)
        return 0;
    if (arg[len] == '\0')
        return 1;
    if (arg[len] == '=') {
        cli_usage_error(cmd, "option %s takes no value", name);
        return -1;
    }
    return 0;
}

int cli_model_parse(const char *cmd, const char *name, hyp_model *model)
{
    if (hyp_model_parse(name, model) == HYP_OK)
        return 0;
    cli_usage_error(cmd, "unknown model '%s' (expected poincare, lorentz or euclid)", name);
    return -1;
}

int cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

FILE *cli_open_input(const char *cmd, const char *path, const char **display)
{
    if (path == NULL || strcmp(path, "-") == 0) {
        *display = "<stdin>";
        return stdin;
    }
    FILE *in = fopen(path, "r");
    if (in == NULL) {
        fprintf(stderr, "hyperstore %s: cannot open '%s': %s\n", cmd, path, strerror(errno));
        return NULL;
    }
    *display = path;
    return in;
}

void cli_close_input(FILE *in)
{
    if (in != NULL && in != stdin)
        fclose(in);
}

void cli_print_double(FILE *out, double v, int hex)
{
    fprintf(out, hex ? "%a" : "%.17g", v);
}

int cli_out_open(const char *cmd, const char *path, FILE **f, char **tmp)
{
    size_t len = strlen(path);
    if ((*tmp = malloc(len + 5)) == NULL)
        return CLI_EXIT_INTERNAL;
    memcpy(*tmp, path, len);
    memcpy(*tmp + len, ".tmp", 5);
    if ((*f = fopen(*tmp, "w")) == NULL) {
        fprintf(stderr, "hyperstore %s: cannot create '%s': %s\n", cmd, *tmp, strerror(errno));
        free(*tmp);
        *tmp = NULL;
        return CLI_EXIT_IO;
    }
    return CLI_EXIT_OK;
}

int cli_out_close(const char *cmd, const char *path, FILE *f, char *tmp, int bad)
{
    bad |= ferror(f);
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        fprintf(stderr, "hyperstore %s: cannot write '%s': %s\n", cmd, path, strerror(errno));
        remove(tmp);
        free(tmp);
        return CLI_EXIT_IO;
    }
    free(tmp);
    return CLI_EXIT_OK;
}
