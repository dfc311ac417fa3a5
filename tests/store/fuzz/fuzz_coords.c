/*
 * fuzz_coords.c — the CLI's coordinate parser (tools/coords.c:
 * coords_parse, behind `knn --vector` and every `dist`/`convert` line) and
 * the point reader on top of it (tools/points.c), fed a `dist` line.
 *
 * Input: byte 0 picks the capacity (1..12) and the model, byte 1 whether
 * Lorentz points are given spatial-only; the rest, up to a NUL, is the text.
 * Properties:
 *   - an accepted list has exactly one coordinate per comma-separated field,
 *     at most the capacity, each the value strtod gives for that field
 *     alone (same bits; NaN for NaN); a refusal comes with a reason;
 *   - on the line as `dist` reads it (two points around a TAB): when both
 *     points are valid and of one dimension, d(a,a) = 0 and d(a,b) is finite,
 *     non-negative, and d(b,a) agrees within the 4 ulp contract each way.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coords.h"
#include "points.h"

static void check_list(const char *text, size_t max)
{
    double out[12];
    size_t count = 0;
    char why[256] = "";
    if (coords_parse(text, out, max, &count, why, sizeof why) != 0) {
        if (why[0] == '\0')
            abort();
        return;
    }
    size_t fields = 1;
    for (const char *p = text; *p; p++)
        fields += *p == ',';
    if (count != fields || count < 1 || count > max)
        abort();
    const char *field = text;
    for (size_t i = 0; i < count; i++) {
        size_t len = strcspn(field, ",");
        char buf[4096];
        if (len >= sizeof buf)
            abort();
        memcpy(buf, field, len);
        buf[len] = '\0';
        double v = strtod(buf, NULL);
        if (isnan(v) ? !isnan(out[i]) : memcmp(&v, &out[i], sizeof v) != 0)
            abort();
        field += len + 1;
    }
}

static int near(double x, double y)
{
    double m = fmax(x, y);
    return fabs(x - y) <= 8 * DBL_EPSILON * m + 8 * DBL_TRUE_MIN;
}

static void check_line(char *line, const point_format *f)
{
    static point a, b; /* large: HYP_DIM_MAX coordinates each */
    char why[600];
    char *tab = strchr(line, '\t');
    if (tab == NULL || strchr(tab + 1, '\t') != NULL)
        return;
    *tab = '\0';
    if (point_parse(f, "first point", line, &a, why, sizeof why) != 0 ||
        point_parse(f, "second point", tab + 1, &b, why, sizeof why) != 0 || a.n != b.n ||
        point_validate(f, "first point", &a, why, sizeof why) != 0 ||
        point_validate(f, "second point", &b, why, sizeof why) != 0)
        return;
    double dab, dba, daa;
    if (hyp_dist(f->model, a.n, a.x, a.x, &daa) != HYP_OK || daa != 0 ||
        hyp_dist(f->model, a.n, a.x, b.x, &dab) != HYP_OK ||
        hyp_dist(f->model, a.n, b.x, a.x, &dba) != HYP_OK)
        abort();
    if (!isfinite(dab) || dab < 0 || !near(dab, dba))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 4000)
        return 0;
    size_t max = 1 + data[0] % 12;
    point_format f = { (hyp_model)(HYP_POINCARE + (data[0] / 12) % 3), data[1] & 1 };
    if (f.model != HYP_LORENTZ)
        f.spatial = 0;
    char *text = malloc(size - 1);
    if (text == NULL)
        return 0;
    memcpy(text, data + 2, size - 2);
    text[size - 2] = '\0'; /* the line reader's buffer: a C string */
    check_list(text, max);
    check_line(text, &f);
    free(text);
    return 0;
}
