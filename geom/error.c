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
