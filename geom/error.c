/* error.c — messages for the one error space (see hyp_error.h). */
#include <string.h>
#include "hyp_error.h"

static const char *const library_messages[] = {
    [HYP_EDIM - HYP_ERR_FIRST] = "dimension out of range (1..HYP_DIM_MAX)",
    [HYP_EMODEL - HYP_ERR_FIRST] = "unknown model",
    [HYP_ENONFINITE - HYP_ERR_FIRST] = "coordinate is NaN or infinite",
    [HYP_EOUTSIDE - HYP_ERR_FIRST] = "point outside the Poincare ball (|x| > 1)",
    [HYP_EBOUNDARY - HYP_ERR_FIRST] = ("point on the boundary of the Poincare ball (|x| = 1): "
                                       "an ideal point at infinite distance"),
    [HYP_ERADIUS - HYP_ERR_FIRST] = "radius |v| above HYP_EUCLID_RADIUS_MAX (2^24)",
    [HYP_ELORENTZ_X0 - HYP_ERR_FIRST] = "Lorentz x0 disagrees with sqrt(1 + |x_s|^2)",
    [HYP_ERANGE - HYP_ERR_FIRST] = "result not representable in the target model",
    [HYP_ENOTSTORE - HYP_ERR_FIRST] = "not a hyperstore store",
    [HYP_EVERSION - HYP_ERR_FIRST] = ("store format version unknown or newer than this "
                                      "library supports"),
    [HYP_EREPR - HYP_ERR_FIRST] = "representation unknown or not supported by the store yet",
    [HYP_ECURVATURE - HYP_ERR_FIRST] = "curvature must be finite and negative",
    [HYP_ELABEL_LEN - HYP_ERR_FIRST] = "label is empty or longer than 511 bytes",
    [HYP_ELABEL_UTF8 - HYP_ERR_FIRST] = "label is not valid UTF-8 or holds a control character",
    [HYP_EEXISTS - HYP_ERR_FIRST] = "already exists",
    [HYP_ENOTFOUND - HYP_ERR_FIRST] = "not found",
    [HYP_ECYCLE - HYP_ERR_FIRST] = "edge would make the hierarchy cyclic",
    [HYP_EREADONLY - HYP_ERR_FIRST] = "store is opened read-only",
    [HYP_EBUSY - HYP_ERR_FIRST] = "a batch is already open on this store handle",
    [HYP_ECORRUPT - HYP_ERR_FIRST] = "store is inconsistent (failed verification)",
    [HYP_ELMDB - HYP_ERR_FIRST] = "LMDB error",
    [HYP_ECONFLICT - HYP_ERR_FIRST] = ("another writer changed the store while the batch "
                                       "was being replayed into a larger map"),
    [HYP_ENOLOG - HYP_ERR_FIRST] = "the store keeps log hashes only (create it with the full log)",
    [HYP_EFIXED_RANGE - HYP_ERR_FIRST] = ("point does not fit the fixed-point format (it rounds "
                                          "onto or past the boundary, or beyond the largest word)"),
    [HYP_EFIXED_WORD - HYP_ERR_FIRST] = "fixed-point word outside its range",
    [HYP_EUNDECIDED - HYP_ERR_FIRST] = ("comparison undecided at the highest precision (the "
                                        "distances differ by less than 2^-4000 relative)"),
    [HYP_ENOINDEX - HYP_ERR_FIRST] = "the store has no index (build one with 'hyperstore index')",
    [HYP_ENEEDINDEX - HYP_ERR_FIRST] = ("the store has an index: write through a handle with "
                                        "the index attached (hyp_index_open)"),
    [HYP_EINDEX_LIMIT - HYP_ERR_FIRST] = "the index holds point ids below 2^32 only",
};

const char *hyp_strerror(int err)
{
    if (err == HYP_OK)
        return "success";
    if (err >= HYP_ERR_FIRST && err < HYP_ERR_LAST) {
        const char *m = library_messages[err - HYP_ERR_FIRST];
        return m ? m : "unknown library error";
    }
    if (err > 0)
        return strerror(err);
    return "unknown error";
}
