/*
 * points.h — one point of a model, from text to a validated array in the
 * library's layout, with a precise reason when it is not a point.
 */
#ifndef HYP_TOOLS_POINTS_H
#define HYP_TOOLS_POINTS_H

#include <stddef.h>

#include "hyp_geom.h"

/* How points of one model are written in the input. */
typedef struct point_format {
    hyp_model model;
    int spatial; /* Lorentz only: the text gives x_s alone, x0 is derived */
} point_format;

typedef struct point {
    size_t count;                  /* coordinates in the text */
    size_t n;                      /* dimension of H^n */
    double text[HYP_DIM_MAX + 1];  /* the coordinates as parsed */
    double x[HYP_DIM_MAX + 1];     /* hyp_model_width(model, n) doubles, the
                                      library's layout (x0 lifted with --spatial) */
} point;

/* Coordinates a point of H^n has in the text of this format. */
size_t point_text_count(const point_format *f, size_t n);

/*
 * point_parse — reads the coordinates of text into p->text, sets p->count
 * and p->n.  who ("first point", or NULL) starts the reason.
 * Returns 0, or -1 with a reason (syntax, too many coordinates, a Lorentz
 * point with no spatial coordinate).
 */
int point_parse(const point_format *f, const char *who, const char *text, point *p,
                char *why, size_t why_size);

/*
 * point_validate — fills p->x from p->text and checks it with
 * hyp_point_check.  Returns 0, or -1 with a reason naming the coordinate for
 * NaN/Inf and adding the expected x0 for an inconsistent Lorentz x0.
 */
int point_validate(const point_format *f, const char *who, point *p, char *why,
                   size_t why_size);

#endif
