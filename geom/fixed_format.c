/*
 * fixed_format.c — the fixed-point formats' layouts (hyp_fixed.h has the
 * tables), names, sizes, validity, and the canonical little-endian bytes.
 */
#include <stdio.h>
#include <string.h>
#include "fixed_internal.h"

/* [format - HYP_FIXED_Q32][model - HYP_POINCARE] */
static const fx_layout layouts[3][3] = {
    { { 32, 4, 31, 0 }, { 32, 4, 16, 0 }, { 32, 4, 23, 30 } },
    { { 64, 8, 63, 0 }, { 64, 8, 32, 0 }, { 64, 8, 47, 62 } },
    { { 128, 16, 127, 0 }, { 128, 16, 32, 0 }, { 128, 16, 103, 126 } },
};

const fx_layout *fx_layout_of(hyp_fixed_format format, hyp_model model)
{
    if (format < HYP_FIXED_Q32 || format > HYP_FIXED_Q128)
        return NULL;
    if (model < HYP_POINCARE || model > HYP_EUCLID)
        return NULL;
    return &layouts[format - HYP_FIXED_Q32][model - HYP_POINCARE];
}

static const char *const names[] = { "q32", "q64", "q128" };

const char *hyp_fixed_name(hyp_fixed_format format)
{
    if (format < HYP_FIXED_Q32 || format > HYP_FIXED_Q128)
        return NULL;
    return names[format - HYP_FIXED_Q32];
}

int hyp_fixed_parse(const char *name, hyp_fixed_format *format)
{
    for (int f = HYP_FIXED_Q32; name && f <= HYP_FIXED_Q128; f++) {
        if (strcmp(name, names[f - HYP_FIXED_Q32]) == 0) {
            *format = (hyp_fixed_format)f;
            return HYP_OK;
        }
    }
    return HYP_EREPR;
}

size_t hyp_fixed_word_size(hyp_fixed_format format)
{
    const fx_layout *lay = fx_layout_of(format, HYP_POINCARE);
    return lay ? (size_t)lay->wbytes : 0;
}

size_t hyp_fixed_words(hyp_model model, size_t n)
{
    switch (model) {
    case HYP_POINCARE:
    case HYP_LORENTZ:
        return n;
    case HYP_EUCLID:
        return n + 1;
    }
    return 0;
}

size_t hyp_fixed_size(hyp_fixed_format format, hyp_model model, size_t n)
{
    return hyp_fixed_word_size(format) * hyp_fixed_words(model, n);
}

void fx_word_set(const fx_layout *lay, void *x, size_t i, int neg, fx_u128 mag)
{
    unsigned char *p = (unsigned char *)x + (size_t)lay->wbytes * i;
    fx_u128 u = neg ? (fx_u128)0 - mag : mag; /* two's complement */
    if (lay->wbytes == 4) {
        uint32_t t = (uint32_t)u;
        memcpy(p, &t, 4);
    } else if (lay->wbytes == 8) {
        uint64_t t = (uint64_t)u;
        memcpy(p, &t, 8);
    } else {
        hyp_q128 t = { (uint64_t)u, (uint64_t)(u >> 64) };
        memcpy(p, &t, 16);
    }
}

int fx_check(const fx_layout *lay, hyp_model model, size_t n, const void *x)
{
    size_t words = hyp_fixed_words(model, n);
    const fx_u128 top = (fx_u128)1 << (lay->wbits - 1);
    for (size_t i = 0; i < words; i++) {
        fx_u128 m;
        int neg = fx_word(lay, x, i, &m);
        if (m >= top)
            return HYP_EFIXED_WORD; /* the most negative word */
        if (model == HYP_EUCLID && i == 0 && neg)
            return HYP_EFIXED_WORD; /* negative radius */
        if (model == HYP_EUCLID && i > 0 && m > ((fx_u128)1 << lay->dirfrac))
            return HYP_EFIXED_WORD; /* direction word beyond 2^(w-2) */
    }
    if (model == HYP_POINCARE) {
        fx_nat s, one;
        fx_sum_sq(lay, 0, n, x, NULL, &s);
        fx_nat_set_u128(&one, 1);
        fx_nat_shl(&one, &one, 2 * lay->frac);
        int c = fx_nat_cmp(&s, &one);
        return c < 0 ? HYP_OK : (c == 0 ? HYP_EBOUNDARY : HYP_EOUTSIDE);
    }
    if (model == HYP_EUCLID) {
        fx_u128 r, m;
        fx_word(lay, x, 0, &r);
        int any = 0;
        for (size_t i = 1; i <= n && !any; i++) {
            fx_word(lay, x, i, &m);
            any = m != 0;
        }
        if ((r != 0) != any)
            return HYP_EFIXED_WORD; /* r > 0 needs a direction, r = 0 has none */
    }
    return HYP_OK;
}

int fx_args(hyp_fixed_format format, hyp_model model, size_t n, const fx_layout **lay)
{
    if (model < HYP_POINCARE || model > HYP_EUCLID)
        return HYP_EMODEL;
    *lay = fx_layout_of(format, model);
    if (!*lay)
        return HYP_EREPR;
    if (n < 1 || n > HYP_DIM_MAX)
        return HYP_EDIM;
    return HYP_OK;
}

int hyp_fixed_frac_bits(hyp_fixed_format format, hyp_model model)
{
    const fx_layout *lay = model >= HYP_POINCARE && model <= HYP_EUCLID
                               ? fx_layout_of(format, model) : NULL;
    return lay ? lay->frac : -1;
}

int hyp_fixed_check(hyp_fixed_format format, hyp_model model, size_t n, const void *x)
{
    const fx_layout *lay;
    int rc = fx_args(format, model, n, &lay);
    return rc ? rc : fx_check(lay, model, n, x);
}

int hyp_fixed_encode(hyp_fixed_format format, hyp_model model, size_t n, const void *x,
                     unsigned char *bytes)
{
    const fx_layout *lay;
    int rc = fx_args(format, model, n, &lay);
    if (rc)
        return rc;
    size_t words = hyp_fixed_words(model, n);
    for (size_t i = 0; i < words; i++) {
        fx_u128 m;
        int neg = fx_word(lay, x, i, &m);
        fx_u128 u = neg ? (fx_u128)0 - m : m;
        for (int j = 0; j < lay->wbytes; j++)
            bytes[(size_t)lay->wbytes * i + (size_t)j] = (unsigned char)(u >> (8 * j));
    }
    return HYP_OK;
}

int hyp_fixed_decode(hyp_fixed_format format, hyp_model model, size_t n,
                     const unsigned char *bytes, void *x)
{
    const fx_layout *lay;
    int rc = fx_args(format, model, n, &lay);
    if (rc)
        return rc;
    size_t words = hyp_fixed_words(model, n);
    for (size_t i = 0; i < words; i++) {
        fx_u128 u = 0;
        for (int j = lay->wbytes - 1; j >= 0; j--)
            u = (u << 8) | bytes[(size_t)lay->wbytes * i + (size_t)j];
        /* sign-extend the w-bit value */
        int neg = (int)((u >> (lay->wbits - 1)) & 1);
        fx_u128 mag;
        if (lay->wbits == 128)
            mag = neg ? (fx_u128)0 - u : u;
        else
            mag = neg ? ((fx_u128)1 << lay->wbits) - u : u;
        fx_word_set(lay, x, i, neg, mag);
    }
    return fx_check(lay, model, n, x);
}

char *hyp_q32_32_format(uint64_t value, char *buf)
{
    uint64_t ip = value >> 32;
    fx_u128 num = (fx_u128)(value & 0xffffffffu) * 10000000000u;
    uint64_t fd = (uint64_t)(num >> 32);
    uint64_t rem = (uint64_t)(num & 0xffffffffu);
    if (rem > 0x80000000u || (rem == 0x80000000u && (fd & 1)))
        fd++;
    if (fd == 10000000000u) {
        fd = 0;
        ip++;
    }
    snprintf(buf, 22, "%llu.%010llu", (unsigned long long)ip, (unsigned long long)fd);
    return buf;
}
