/*
 * repr.c — how a point is kept, by the store's representation.
 *
 *   f64         hyp_model_width(model, n) binary64 values, little-endian;
 *   q32/q64/q128  the canonical words of geom/hyp_fixed.h (hyp_fixed_encode),
 *               for the Poincaré ball and the Lorentz model.
 *
 * A fixed store keeps what a user puts in exactly, bit for bit, so the hash,
 * the log and replay work on the stored bytes whatever the representation.
 * The Euclidean parametrization has no fixed store: in binary64 it already
 * holds every radius up to HYP_EUCLID_RADIUS_MAX with a relative resolution
 * of 2^-53, which is what its radius word adds in fixed point, and its
 * direction words are not canonical (any multiple of a direction is the
 * same point), so a text export could not give the same bytes back.
 */
#include <stdlib.h>

#include "hyp_fixed.h"
#include "store_internal.h"

int repr_supported(hyp_repr repr, hyp_model model)
{
    if (repr == HYP_REPR_F64)
        return 1;
    return hyp_repr_name(repr) != NULL && (model == HYP_POINCARE || model == HYP_LORENTZ);
}

unsigned repr_fraction_bits(hyp_repr repr, hyp_model model)
{
    int F = repr == HYP_REPR_F64 ? 0 : hyp_fixed_frac_bits((hyp_fixed_format)repr, model);
    return F > 0 ? (unsigned)F : 0;
}

size_t repr_point_bytes(hyp_repr repr, hyp_model model, size_t dim)
{
    if (repr == HYP_REPR_F64)
        return hyp_model_width(model, dim) * 8;
    return hyp_fixed_size((hyp_fixed_format)repr, model, dim);
}

size_t repr_scratch_bytes(const hyp_store *s)
{
    size_t f = s->width * sizeof(double);
    return f > s->point_bytes ? f : s->point_bytes;
}

int repr_check(const hyp_store *s, const unsigned char *bytes, void *scratch)
{
    if (s->repr == HYP_REPR_F64) {
        hyp_f64_decode(bytes, s->width, scratch);
        return hyp_point_check(s->model, s->dim, scratch);
    }
    return hyp_fixed_decode((hyp_fixed_format)s->repr, s->model, s->dim, bytes, scratch);
}

int repr_from_f64(const hyp_store *s, const double *x, unsigned char *out, void *scratch)
{
    int rc;
    if (s->repr == HYP_REPR_F64) {
        if ((rc = hyp_point_check(s->model, s->dim, x)) == HYP_OK)
            f64_encode(x, s->width, out);
        return rc;
    }
    hyp_fixed_format f = (hyp_fixed_format)s->repr;
    if ((rc = hyp_fixed_from_double(f, s->model, s->dim, x, scratch)) != HYP_OK)
        return rc;
    return hyp_fixed_encode(f, s->model, s->dim, scratch, out);
}

int repr_to_f64(const hyp_store *s, const unsigned char *bytes, double *x, void *scratch)
{
    if (s->repr == HYP_REPR_F64) {
        hyp_f64_decode(bytes, s->width, x);
        return HYP_OK;
    }
    hyp_fixed_format f = (hyp_fixed_format)s->repr;
    int rc = hyp_fixed_decode(f, s->model, s->dim, bytes, scratch);
    return rc != HYP_OK ? rc : hyp_fixed_to_double(f, s->model, s->dim, scratch, x);
}
