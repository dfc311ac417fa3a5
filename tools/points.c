/*
 * points.c — parsing and validating one point.  The library decides what is
 * a point (hyp_point_check); this file only turns its codes into reasons a
 * user can act on: which coordinate, and what was expected.
 */
#include "points.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "coords.h"

/* Writes "who: message" (or just the message when who is NULL). */
static void say(char *why, size_t size, const char *who, const char *fmt, ...)
    CLI_PRINTF(4, 5);
static void say(char *why, size_t size, const char *who, const char *fmt, ...)
{
    int used = who ? snprintf(why, size, "%s: ", who) : 0;
    va_list ap;

    if (used < 0 || (size_t)used >= size)
        return;
    va_start(ap, fmt);
    vsnprintf(why + used, size - (size_t)used, fmt, ap);
    va_end(ap);
}

static int lorentz_full(const point_format *f)
{
    return f->model == HYP_LORENTZ && !f->spatial;
}

size_t point_text_count(const point_format *f, size_t n)
{
    return lorentz_full(f) ? n + 1 : n;
}

int point_parse(const point_format *f, const char *who, const char *text, point *p,
                char *why, size_t why_size)
{
    char reason[400];
    size_t max = point_text_count(f, HYP_DIM_MAX);

    if (coords_parse(text, p->text, max, &p->count, reason, sizeof reason) != 0) {
        say(why, why_size, who, "%s", reason);
        return -1;
    }
    if (lorentz_full(f)) {
        if (p->count < 2) {
            say(why, why_size, who,
                "a Lorentz point needs x0 and at least one spatial coordinate "
                "(use --spatial to give the spatial part alone)");
            return -1;
        }
        p->n = p->count - 1;
    } else {
        p->n = p->count;
    }
    return 0;
}

int point_validate(const point_format *f, const char *who, point *p, char *why,
                   size_t why_size)
{
    int rc;

    if (f->model == HYP_LORENTZ && f->spatial)
        rc = hyp_lorentz_lift(p->n, p->text, p->x);
    else {
        memcpy(p->x, p->text, p->count * sizeof p->text[0]);
        rc = HYP_OK;
    }
    if (rc == HYP_OK)
        rc = hyp_point_check(f->model, p->n, p->x);
    if (rc == HYP_OK)
        return 0;

    if (rc == HYP_ENONFINITE) {
        /* Name the first culprit in the user's numbering.  A Lorentz x0 of
         * +Inf can be legal (huge |x_s|), so when that is the only one,
         * say what makes it illegal here. */
        for (size_t i = 0; i < p->count; i++) {
            if (isnan(p->text[i])) {
                say(why, why_size, who, "coordinate %zu is NaN", i + 1);
                return -1;
            }
        }
        for (size_t i = lorentz_full(f) ? 1 : 0; i < p->count; i++) {
            if (isinf(p->text[i])) {
                say(why, why_size, who, "coordinate %zu is infinite", i + 1);
                return -1;
            }
        }
        if (lorentz_full(f) && isinf(p->text[0])) {
            say(why, why_size, who,
                "coordinate 1 (x0) is infinite, allowed only when |x_s| >= 2^511");
            return -1;
        }
    } else if (rc == HYP_ELORENTZ_X0 && lorentz_full(f)) {
        /* Show the x0 the spatial part implies; p->x is scratch by now. */
        if (hyp_lorentz_lift(p->n, p->text + 1, p->x) == HYP_OK) {
            say(why, why_size, who, "%s (x0 is %.17g, sqrt(1 + |x_s|^2) is %.17g)",
                hyp_strerror(rc), p->text[0], p->x[0]);
            return -1;
        }
    }
    say(why, why_size, who, "%s", hyp_strerror(rc));
    return -1;
}
