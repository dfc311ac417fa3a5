/*
 * store_cli.c — helpers shared by the store commands (see store_cli.h).
 */
#include "store_cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hyp_index.h"

int scli_status(int rc)
{
    return rc == ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_IO;
}

int scli_fail(const char *cmd, hyp_store *s, int rc, const char *what)
{
    const char *detail = s ? hyp_store_errmsg(s) : "";
    if (detail[0] != '\0' && strcmp(detail, hyp_strerror(rc)) != 0)
        fprintf(stderr, "hyperstore %s: %s: %s (%s)\n", cmd, what, hyp_strerror(rc), detail);
    else
        fprintf(stderr, "hyperstore %s: %s: %s\n", cmd, what, hyp_strerror(rc));
    return scli_status(rc);
}

int scli_open(const char *cmd, const char *path, unsigned flags, hyp_store **s)
{
    int rc = hyp_store_open(path, flags, s);
    /* A writer keeps the store's index in step (index/hyp_index.h): attach
     * it, owned by the store handle; a store without one needs nothing. */
    if (rc == HYP_OK && !(flags & HYP_STORE_RDONLY)) {
        rc = hyp_index_attach(*s);
        if (rc == HYP_ENOINDEX)
            rc = HYP_OK;
    }
    if (rc == HYP_OK)
        return 0;
    char what[600];
    snprintf(what, sizeof what, "cannot open store '%s'", path);
    int status = scli_fail(cmd, *s, rc, what);
    hyp_store_close(*s);
    *s = NULL;
    return status;
}

void scli_print_point(FILE *out, const double *x, size_t width, int hex)
{
    for (size_t i = 0; i < width; i++) {
        if (i)
            fputc(',', out);
        cli_print_double(out, x[i], hex);
    }
}

void scli_json_string(FILE *out, const char *s, size_t len)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

int scli_parse_u64(const char *text, unsigned long long *v)
{
    char *end;
    if (text[0] < '0' || text[0] > '9')
        return -1;
    errno = 0;
    *v = strtoull(text, &end, 10);
    return errno == 0 && *end == '\0' ? 0 : -1;
}

void scli_quote(const char *s, size_t len, char *dst, size_t size)
{
    size_t used = 0, i;
    /* Bytes of valid UTF-8 print as they are; otherwise every byte outside
     * printable ASCII is escaped, so a message never carries broken text. */
    int raw_ok = hyp_label_check(s, len < HYP_LABEL_MAX ? len : HYP_LABEL_MAX) == HYP_OK;
    if (size == 0)
        return;
    dst[0] = '\0';
    for (i = 0; i < len && i < 60; i++) {
        unsigned char c = (unsigned char)s[i];
        int n = (c >= 0x20 && c != 0x7f && c != '"' && c != '\\' && (c < 0x80 || raw_ok))
                    ? snprintf(dst + used, size - used, "%c", c)
                    : snprintf(dst + used, size - used, "\\x%02x", c);
        if (n < 0 || (size_t)n >= size - used)
            return;
        used += (size_t)n;
    }
    if (i < len)
        snprintf(dst + used, size - used, "...");
}
