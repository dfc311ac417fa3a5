/*
 * fuzz_fixed.c — the fixed-point point decoder (geom: hyp_fixed_decode, and
 * hyp_fixed_check behind it), which a fixed-point store runs on every stored
 * point it reads.
 *
 * Input: byte 0 picks the format (q32, q64, q128) and the model, byte 1 the
 * dimension (1..8); then one or two encoded points.  Properties:
 *   - decode's verdict is hyp_fixed_check's on the decoded words;
 *   - encode gives back the input bytes (the encoding is a bijection);
 *   - a valid point converts to binary64 as a valid point of the model (or
 *     HYP_ERANGE, documented for Poincaré points that round onto the
 *     boundary), and is at distance 0 from itself, in both Q32.32 and Q64.64;
 *   - two valid points: the distance is symmetric within the documented
 *     1 unit each way, and d(x,x) < d(x,y) is decided as the distances say.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hyp_fixed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    hyp_fixed_format f = (hyp_fixed_format)(HYP_FIXED_Q32 + data[0] % 3);
    hyp_model m = (hyp_model)(HYP_POINCARE + (data[0] / 3) % 3);
    size_t n = 1 + data[1] % 8, bytes = hyp_fixed_size(f, m, n);
    data += 2;
    size -= 2;
    if (bytes == 0 || size < bytes)
        return 0;
    /* malloc: aligned for every word type, as the API requires. */
    unsigned char *x = malloc(bytes), *y = malloc(bytes), *again = malloc(bytes);
    double *d = malloc((HYP_DIM_MAX + 1) * sizeof *d);
    if (!x || !y || !again || !d)
        abort();

    int rc = hyp_fixed_decode(f, m, n, data, x);
    if (rc != hyp_fixed_check(f, m, n, x))
        abort();
    if (hyp_fixed_encode(f, m, n, x, again) != HYP_OK || memcmp(again, data, bytes) != 0)
        abort();
    if (rc == HYP_OK) {
        int rd = hyp_fixed_to_double(f, m, n, x, d);
        if (rd == HYP_OK ? hyp_point_check(m, n, d) != HYP_OK
                         : !(rd == HYP_ERANGE && m == HYP_POINCARE))
            abort();
        uint64_t self, wide[2], r;
        if (hyp_fixed_dist(f, m, n, x, x, &self) != HYP_OK || self != 0)
            abort();
        if (hyp_fixed_dist_wide(f, m, n, x, x, wide) != HYP_OK || wide[0] || wide[1])
            abort();
        if (hyp_fixed_radius(f, m, n, x, &r) != HYP_OK)
            abort();
        if (size >= 2 * bytes && hyp_fixed_decode(f, m, n, data + bytes, y) == HYP_OK) {
            uint64_t dxy, dyx;
            int order;
            if (hyp_fixed_dist(f, m, n, x, y, &dxy) != HYP_OK ||
                hyp_fixed_dist(f, m, n, y, x, &dyx) != HYP_OK)
                abort();
            if ((dxy > dyx ? dxy - dyx : dyx - dxy) > 2) /* each within 1 unit */
                abort();
            if (hyp_fixed_dist_cmp(f, m, n, x, x, y, &order) != HYP_OK || order > 0 ||
                (dxy >= 2 && order != -1))
                abort();
        }
    }
    free(x);
    free(y);
    free(again);
    free(d);
    return 0;
}
