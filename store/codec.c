/*
 * codec.c — the canonical encodings: binary64 as 8 little-endian bytes
 * (whatever the host's byte order), label validation, hex for hashes.
 */
#include <stdlib.h>

#include "store_internal.h"

void f64_encode(const double *x, size_t count, unsigned char *out)
{
    for (size_t i = 0; i < count; i++) {
        uint64_t bits;
        memcpy(&bits, &x[i], 8);
        put_le64(out + 8 * i, bits);
    }
}

void hyp_f64_decode(const unsigned char *bytes, size_t count, double *out)
{
    for (size_t i = 0; i < count; i++) {
        uint64_t bits = get_le64(bytes + 8 * i);
        memcpy(&out[i], &bits, 8);
    }
}

/*
 * UTF-8 as RFC 3629 defines it: the shortest form only, no surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF.  ASCII control characters
 * (U+0000..U+001F, U+007F) are refused as well: a label is then a C string
 * and fits every text format (TSV, CSV, word2vec) on one line.
 */
int hyp_label_check(const char *label, size_t len)
{
    const unsigned char *p = (const unsigned char *)label;
    size_t i = 0;

    if (len == 0 || len > HYP_LABEL_MAX)
        return HYP_ELABEL_LEN;
    while (i < len) {
        unsigned c = p[i];
        size_t need;
        unsigned lo = 0x80, hi = 0xbf; /* range of the second byte */

        if (c < 0x20 || c == 0x7f)
            return HYP_ELABEL_UTF8;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            need = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            need = 2;
            if (c == 0xe0)
                lo = 0xa0; /* overlong below U+0800 */
            else if (c == 0xed)
                hi = 0x9f; /* surrogates */
        } else if (c >= 0xf0 && c <= 0xf4) {
            need = 3;
            if (c == 0xf0)
                lo = 0x90; /* overlong below U+10000 */
            else if (c == 0xf4)
                hi = 0x8f; /* above U+10FFFF */
        } else {
            return HYP_ELABEL_UTF8; /* continuation byte, 0xc0/0xc1, 0xf5.. */
        }
        if (len - i - 1 < need)
            return HYP_ELABEL_UTF8;
        if (p[i + 1] < lo || p[i + 1] > hi)
            return HYP_ELABEL_UTF8;
        for (size_t k = 2; k <= need; k++)
            if ((p[i + k] & 0xc0) != 0x80)
                return HYP_ELABEL_UTF8;
        i += need + 1;
    }
    return HYP_OK;
}

void hyp_hash_hex(const unsigned char *hash, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < HYP_HASH_SIZE; i++) {
        hex[2 * i] = digits[hash[i] >> 4];
        hex[2 * i + 1] = digits[hash[i] & 15];
    }
    hex[2 * HYP_HASH_SIZE] = '\0';
}
