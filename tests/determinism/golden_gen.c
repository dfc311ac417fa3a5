/*
 * golden_gen.c — the golden cases of the cross-build determinism test.
 *
 *   golden_gen MODEL [--full]      MODEL: poincare | lorentz | euclid
 *
 * Prints, for one model, the bits of every result of the public API
 * (hyp_dist, hyp_dist_batch, hyp_radius, hyp_convert, hyp_expmap0,
 * hyp_logmap0, hyp_lorentz_lift) on a fixed set of generated inputs, one
 * result per line, then an FNV-1a hash of everything printed before it.
 * tests/determinism/run.sh builds this file with the geom/ sources under
 * several compilers, optimisation levels and architectures and compares the
 * output byte for byte with golden/MODEL.txt: the library promises the same
 * bits everywhere (shared/DESIGN.md, "Determinism").
 *
 * Portability of the driver itself.  It depends on libc and the public API
 * only (no MPFR, no GSL: it must cross-compile with a bare cross compiler),
 * and its own arithmetic must give the same bits everywhere too, or a
 * difference in the inputs would be blamed on the library.  So the generator
 * uses integer arithmetic, IEEE + - * / and sqrt (all correctly rounded by
 * IEEE 754; sqrt is one instruction on both targets) in a fixed order, and no
 * libm transcendental: gen_expm1 below is a Taylor series of its own.  It
 * is built with -ffp-contract=off like the library.  Each section also prints
 * a hash of its inputs ("in" lines), so that an input difference shows up as
 * such.
 *
 * Random generator: splitmix64 (Steele, Lea and Flood, OOPSLA 2014):
 *     state += 0x9e3779b97f4a7c15;
 *     z = state;
 *     z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
 *     z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
 *     return z ^ (z >> 31);
 * seeded per section with seed_of(model, n, category) below.  A uniform
 * double in [0, 1) is (z >> 11) * 2^-53; an integer in [lo, hi] is
 * lo + z mod (hi - lo + 1).  Never rand(), never time().  At most one draw
 * per full expression: C leaves the order of a call's arguments unspecified.
 *
 * Output format (one line per result; all numbers are hexadecimal, a double
 * as the 16 hex digits of its IEEE binary64 bit pattern, so NaN payloads and
 * signs of zero count):
 *   # ...                          comments (the format, the model)
 *   @ MODEL n=N                    start of a section: dimension N
 *   in CAT HASH                    FNV-1a 64 of the generated input bits of
 *                                  category CAT (vector parts and tangents;
 *                                  edge points also use hyp_point_check)
 *   lift CAT HASH                  Lorentz: FNV-1a 64 of the x0 that
 *                                  hyp_lorentz_lift gave the inputs
 *   CAT.I d RC BITS                hyp_dist(x_I, y_I)
 *   CAT.I r RC BITS                hyp_radius(x_I)
 *   CAT.I >M RC V...               hyp_convert(x_I) to model M (P, L, E)
 *   CAT.I log RC V...              hyp_logmap0(x_I)
 *   CAT.I exp RC V...              hyp_expmap0(t_I), t_I the tangent vector
 *                                  the generator made x_I from
 *   batch rc RC                    hyp_dist_batch(q, points): its code
 *   batch.I BITS =|!               slot I, and whether it is what hyp_dist(q,
 *                                  point I) gives (NaN for an invalid point)
 *   batchq rc RC V...              hyp_dist_batch with an invalid query
 *   hash fnv1a64 HASH              last line: FNV-1a 64 of every byte above
 * RC is the return code as a 32-bit two's complement hex number (0 = HYP_OK).
 * A result the call must leave untouched on error starts as the sentinel
 * 5ca1ab1e5ca1ab1e, so an error line shows whether the output was written.
 * V... is a whole point (every coordinate) when it has at most 4
 * coordinates, otherwise the first coordinate and h + an FNV-1a 64 of all of
 * them (--full prints every coordinate, for diagnosing a difference; the
 * golden files are made without it).
 *
 * Categories of inputs, for every model and n in {2, 3, 10, 64, 300}:
 *   rand  independent points at radii log-uniform from 2^-27 (~7e-9) to the
 *         model's capacity (Poincaré 37, Lorentz 709, Euclid 2^24)
 *   near  x at a random radius, y = x moved by a relative 2^-k, k in [1, 52]
 *   ulp   y = x with one to three coordinates moved by 1-3 ulp
 *   same  y = x (exactly 0), the origin included
 *   ray   y on the ray of x or on the opposite ray, at another radius
 *   wild  subnormal, tiny and huge coordinates, coordinates whose binary
 *         exponents are spread over the whole double range
 *   edge  the limits: Poincaré points within 2^-20..2^-53 of the boundary and
 *         the engineered ones that cancel in 1 - |x|^2, Lorentz radii near
 *         710 (|x_s| near DBL_MAX, x0 = +Inf), Euclid radii near 2^24
 *   bad   invalid input (NaN, Inf, outside, on the boundary, wrong x0, radius
 *         too large, bad dimension or model), and a few valid neighbours of
 *         it (signed zeros, a Lorentz x0 within the 2^-20 tolerance)
 *   batch one query against the rand points, a NaN point and a y of near
 *
 * Fixed point (hyp_fixed.h), for n in {2, 10, 64} after the sections above:
 *   @ MODEL fixed n=N              start of the section
 *   in fixed HASH                  FNV-1a 64 of the FIXED_POINTS input points:
 *                                  random radii up to past q32's capacity
 *                                  (conversion errors), every 4th point a near
 *                                  duplicate of the one before (relative 2^-20
 *                                  .. 2^-45: near-ties and equal words in q32)
 *   dt.Q I...                      binary64 top-10 of point Q among all the
 *                                  others, ranked with hyp_dist_cmp, ties by
 *                                  index (indices in hex)
 *   then for FMT = q32, q64, q128:
 *   fx.FMT.I RC WORDS              hyp_fixed_from_double of point I: its
 *                                  canonical bytes (hyp_fixed_encode) in hex
 *                                  when at most 48, else h + their FNV-1a 64
 *   fd.FMT.I RC D                  hyp_fixed_dist(I, next point that fits),
 *                                  the Q32.32 word in hex
 *   fr.FMT.I RC D                  hyp_fixed_radius(I)
 *   fc.FMT.I RC ORDER              hyp_fixed_dist_cmp(I, I+1, I+2) (the next
 *                                  points that fit), ORDER as a signed int
 *   ftie.FMT.I RC ORDER            an exact tie: q = point I with its last word
 *                                  0, a = the next point, b = a with its last
 *                                  word negated (a mirror image: ORDER 0)
 *   ft.FMT.Q I...                  top-10 of point Q among the points that
 *                                  fit, hyp_fixed_dist_cmp, ties by index
 *   hash fixed MODEL n=N HASH      FNV-1a 64 of the section's lines above
 * Conversions and everything after them are integer-only in the library.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hyp_fixed.h"
#include "hyp_geom.h"

#define SENTINEL_BITS UINT64_C(0x5ca1ab1e5ca1ab1e)

/* ---- bits and hashing -------------------------------------------------- */

static uint64_t bits_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static double from_bits(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

/* Hash of doubles by their bit patterns, as little-endian bytes on every
 * host (not memory order). */
static uint64_t fnv1a_doubles(uint64_t h, const double *x, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        uint64_t u = bits_of(x[i]);
        for (int b = 0; b < 8; b++) {
            h ^= (u >> (8 * b)) & 0xff;
            h *= FNV_PRIME;
        }
    }
    return h;
}

/* ---- output: everything printed goes through emit() into the hash ------ */

static uint64_t out_hash = FNV_OFFSET;
static int full_output;
/* FNV-1a 64 of the lines of the current fixed-point section only, for its
 * own "hash fixed" line (section_on: inside one). */
static uint64_t section_hash;
static int section_on;

static void emit(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (len < 0 || (size_t)len >= sizeof buf) {
        fprintf(stderr, "golden_gen: output line too long\n");
        exit(2);
    }
    out_hash = fnv1a(out_hash, buf, (size_t)len);
    if (section_on)
        section_hash = fnv1a(section_hash, buf, (size_t)len);
    fputs(buf, stdout);
}

static unsigned rc_hex(int rc)
{
    return (unsigned)rc & 0xffffffffu;
}

/* A point or vector of count doubles, in the V... form of the file comment. */
static void emit_vec(const double *v, size_t count)
{
    if (count <= 4 || full_output) {
        for (size_t i = 0; i < count; i++)
            emit(" %016llx", (unsigned long long)bits_of(v[i]));
    } else {
        emit(" %016llx h%016llx", (unsigned long long)bits_of(v[0]),
             (unsigned long long)fnv1a_doubles(FNV_OFFSET, v, count));
    }
    emit("\n");
}

/* ---- the generator ----------------------------------------------------- */

typedef struct {
    uint64_t state;
} rng;

static uint64_t rng_next(rng *g)
{
    uint64_t z = (g->state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Uniform in [0, 1), exact. */
static double rng_unit(rng *g)
{
    return (double)(rng_next(g) >> 11) * 0x1p-53;
}

/* Uniform in [-1, 1), exact. */
static double rng_sym(rng *g)
{
    return 2.0 * rng_unit(g) - 1.0;
}

/* Integer in [lo, hi]. */
static int rng_int(rng *g, int lo, int hi)
{
    return lo + (int)(rng_next(g) % (uint64_t)(hi - lo + 1));
}

/* 2^k exactly, k in [-1074, 1023], from the bit pattern. */
static double pow2(int k)
{
    if (k >= -1022)
        return from_bits((uint64_t)(k + 1023) << 52);
    return from_bits(UINT64_C(1) << (k + 1074)); /* subnormal */
}

/* a 2^k, rounded once: for |a| in [2^-60, 2^60] and |k| <= 1900, the first
 * multiplication (by 2^-+960) is exact, the second rounds (to a subnormal,
 * or overflows to Inf). */
static double scale2(double a, int k)
{
    if (k < -960) {
        a *= pow2(-960);
        k += 960;
    } else if (k > 960) {
        a *= pow2(960);
        k -= 960;
    }
    if (k < -1074)
        k = -1074;
    if (k > 1023)
        k = 1023;
    return a * pow2(k);
}

/*
 * e^x - 1 for |x| <= 1024, in + - * / only, so the same bits everywhere.
 * Not correctly rounded (a few ulp), which does not matter: the inputs need
 * only be the same on every platform, not be exactly where their names say.
 *   |x| < 1/2: Taylor series x + x^2/2! + ... + x^27/27! in Horner form;
 *   otherwise: e^x = 2^k e^f with k = nearest integer to x/ln2,
 *              f = x - k ln2 (|f| <= 0.35), e^f from the series, minus 1.
 */
static double gen_expm1(double x)
{
    double ax = x < 0 ? -x : x;
    if (ax < 0.5) {
        double s = 0.0;
        for (int j = 27; j >= 1; j--)
            s = (s + 1.0) * (x / (double)j);
        return s;
    }
    double t = x * 0x1.71547652b82fep0; /* x / ln 2 */
    long long k = (long long)(t < 0 ? t - 0.5 : t + 0.5);
    double f = (x - (double)k * 0x1.62e42fefa39efp-1) - (double)k * 0x1.abc9e3b39803fp-56;
    double ef = 0.0;
    for (int j = 27; j >= 1; j--)
        ef = (ef + 1.0) * (f / (double)j);
    ef += 1.0;
    return scale2(ef, (int)k) - 1.0; /* +Inf past e^709.78 */
}

/* Radius log-uniform: m 2^e, e uniform in [emin, emax], m in [1, 2),
 * at most rmax. */
static double gen_radius(rng *g, int emin, int emax, double rmax)
{
    /* one draw per statement: the order in which a call's arguments are
     * evaluated is unspecified (gcc and clang differ) */
    double m = 1.0 + rng_unit(g);
    double r = scale2(m, rng_int(g, emin, emax));
    return r > rmax ? rmax * (0.5 + 0.5 * rng_unit(g)) : r;
}

/* A direction: n coordinates uniform in [-1, 1), not all zero, scaled to
 * unit length (to within rounding). */
static void gen_dir(rng *g, size_t n, double *u)
{
    double s;
    do {
        s = 0.0;
        for (size_t i = 0; i < n; i++) {
            u[i] = rng_sym(g);
            s += u[i] * u[i];
        }
    } while (s == 0.0);
    double inv = 1.0 / sqrt(s);
    for (size_t i = 0; i < n; i++)
        u[i] *= inv;
}

/* Number of bits of n (bitlen(300) = 9). */
static int bitlen(size_t n)
{
    int b = 0;
    for (; n; n >>= 1)
        b++;
    return b;
}

/* One bit-pattern step of |x| away from (+1) or toward (-1) zero, `steps`
 * times; zero stays zero when stepping toward it. */
static double ulp_step(double x, int dir, int steps)
{
    uint64_t u = bits_of(x);
    uint64_t sign = u & (UINT64_C(1) << 63), mag = u & ~(UINT64_C(1) << 63);
    if (dir > 0)
        mag += (uint64_t)steps;
    else
        mag = mag >= (uint64_t)steps ? mag - (uint64_t)steps : 0;
    return from_bits(sign | mag);
}

/* ---- points of a model ------------------------------------------------- */

typedef struct {
    hyp_model model;
    size_t n, w;  /* dimension, doubles per point */
    size_t off;   /* 1 for Lorentz (x0 first), else 0: x + off is the vector part */
    int emax;     /* largest binary exponent of a random radius */
    double rmax;  /* largest random radius */
    int ecoord;   /* largest binary exponent of a "wild" coordinate */
    double *u, *tmp; /* scratch, n and w doubles */
} model_ctx;

/* Writes x0 from the vector part for Lorentz (hyp_lorentz_lift; a lift that
 * fails leaves x0 = NaN, which the library then rejects). */
static void finish(const model_ctx *c, double *x)
{
    if (c->model != HYP_LORENTZ)
        return;
    memcpy(c->tmp, x + 1, c->n * sizeof(double));
    if (hyp_lorentz_lift(c->n, c->tmp, x) != HYP_OK)
        x[0] = from_bits(UINT64_C(0x7ff8000000000000));
}

/* |vector part| of the point at radius r: tanh(r/2), sinh(r) or r. */
static double radial_factor(hyp_model model, double r)
{
    if (model == HYP_POINCARE) {
        if (r > 40.0)
            return 1.0;
        double e = gen_expm1(r);
        return e / (e + 2.0);
    }
    if (model == HYP_LORENTZ) {
        if (r < 20.0) {
            double e = gen_expm1(r);
            return e * (e + 2.0) / (2.0 * (e + 1.0));
        }
        return gen_expm1(r - 0x1.62e42fefa39efp-1) + 1.0; /* e^r / 2 */
    }
    return r;
}

/* The point at radius r in direction u (unit), and its tangent vector r u. */
static void make_point(const model_ctx *c, double r, const double *u, double *x, double *t)
{
    double f = radial_factor(c->model, r);
    for (size_t i = 0; i < c->n; i++) {
        x[c->off + i] = u[i] * f;
        if (t)
            t[i] = u[i] * r;
    }
    finish(c, x);
}

static void random_point(const model_ctx *c, rng *g, double *x, double *t)
{
    gen_dir(g, c->n, c->u);
    make_point(c, gen_radius(g, -27, c->emax, c->rmax), c->u, x, t);
}

/* ---- categories -------------------------------------------------------- */

typedef struct {
    const char *name;
    size_t count;
    double *x, *y, *t; /* count * w, count * w, count * n */
} cases;

static void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size);
    if (!p) {
        fprintf(stderr, "golden_gen: out of memory\n");
        exit(2);
    }
    return p;
}

static void cases_init(cases *cs, const model_ctx *c, const char *name, size_t count)
{
    cs->name = name;
    cs->count = count;
    cs->x = xcalloc(count * c->w, sizeof(double));
    cs->y = xcalloc(count * c->w, sizeof(double));
    cs->t = xcalloc(count * c->n, sizeof(double));
}

static void cases_free(cases *cs)
{
    free(cs->x);
    free(cs->y);
    free(cs->t);
}

static uint64_t seed_of(const model_ctx *c, const char *cat)
{
    uint64_t h = fnv1a(FNV_OFFSET, cat, strlen(cat));
    return h ^ ((uint64_t)c->model << 56) ^ ((uint64_t)c->n << 32);
}

static void gen_rand(const model_ctx *c, cases *cs)
{
    rng g = { seed_of(c, cs->name) };
    for (size_t i = 0; i < cs->count; i++) {
        random_point(c, &g, cs->x + i * c->w, cs->t + i * c->n);
        random_point(c, &g, cs->y + i * c->w, NULL);
    }
}

/* y = x with every vector coordinate moved by a relative eps w_i, w_i in
 * [-1, 1) (Poincaré: toward the origin, so that y stays in the ball). */
static void gen_near(const model_ctx *c, cases *cs, int kmin, int kmax)
{
    rng g = { seed_of(c, cs->name) };
    for (size_t i = 0; i < cs->count; i++) {
        double *x = cs->x + i * c->w, *y = cs->y + i * c->w;
        random_point(c, &g, x, cs->t + i * c->n);
        double eps = pow2(-rng_int(&g, kmin, kmax));
        for (size_t j = 0; j < c->n; j++) {
            double w = rng_sym(&g);
            if (c->model == HYP_POINCARE && w > 0)
                w = -w;
            y[c->off + j] = x[c->off + j] * (1.0 + eps * w);
        }
        finish(c, y);
    }
}

static void gen_ulp(const model_ctx *c, cases *cs)
{
    rng g = { seed_of(c, cs->name) };
    for (size_t i = 0; i < cs->count; i++) {
        double *x = cs->x + i * c->w, *y = cs->y + i * c->w;
        random_point(c, &g, x, cs->t + i * c->n);
        memcpy(y, x, c->w * sizeof(double));
        int moves = rng_int(&g, 1, 3);
        for (int m = 0; m < moves; m++) {
            size_t j = (size_t)rng_int(&g, 0, (int)c->n - 1);
            int dir = c->model == HYP_POINCARE ? -1 : (rng_next(&g) & 1 ? 1 : -1);
            y[c->off + j] = ulp_step(y[c->off + j], dir, rng_int(&g, 1, 3));
        }
        finish(c, y);
    }
}

/* A point near the model's limit: Poincaré 1 - |x| ~ 2^-k, Lorentz radius in
 * [700, 710.5], Euclid radius in [2^23, 2^24]. */
static void edge_point(const model_ctx *c, rng *g, double *x, double *t)
{
    gen_dir(g, c->n, c->u);
    if (c->model == HYP_POINCARE) {
        double rho = 1.0 - pow2(-rng_int(g, 20, 53));
        for (size_t i = 0; i < c->n; i++)
            x[i] = c->u[i] * rho;
        /* pull back inside if rounding put it on or past the boundary */
        for (int k = 0; k < 8 && hyp_point_check(c->model, c->n, x) != HYP_OK; k++)
            for (size_t i = 0; i < c->n; i++)
                x[i] = ulp_step(x[i], -1, 1);
        for (size_t i = 0; i < c->n; i++)
            t[i] = c->u[i] * (36.0 + 2.0 * rng_unit(g));
        return;
    }
    double r = c->model == HYP_LORENTZ ? 700.0 + 10.5 * rng_unit(g)
                                       : 0x1p24 * (1.0 - 0.5 * rng_unit(g));
    make_point(c, r, c->u, x, t);
    if (c->model == HYP_LORENTZ)
        for (size_t i = 0; i < c->n; i++)
            t[i] = c->u[i] * (700.0 + 11.0 * rng_unit(g));
}

static void gen_same(const model_ctx *c, cases *cs)
{
    rng g = { seed_of(c, cs->name) };
    double *x = cs->x, *y = cs->y;
    random_point(c, &g, x, cs->t); /* 0: a random point */
    memset(x + c->w, 0, c->w * sizeof(double)); /* 1: the origin */
    finish(c, x + c->w);
    edge_point(c, &g, x + 2 * c->w, cs->t + 2 * c->n); /* 2: at the limit */
    memcpy(y, x, cs->count * c->w * sizeof(double));
}

static void gen_ray(const model_ctx *c, cases *cs)
{
    rng g = { seed_of(c, cs->name) };
    for (size_t i = 0; i < cs->count; i++) {
        double *x = cs->x + i * c->w, *y = cs->y + i * c->w;
        gen_dir(&g, c->n, c->u);
        double r1 = gen_radius(&g, -27, c->emax, c->rmax);
        double r2 = i % 3 == 2 ? r1 : gen_radius(&g, -27, c->emax, c->rmax);
        make_point(c, r1, c->u, x, cs->t + i * c->n);
        if (i % 2)
            for (size_t j = 0; j < c->n; j++)
                c->u[j] = -c->u[j];
        make_point(c, r2, c->u, y, NULL);
    }
}

/* Coordinates uniform in [-1, 1) times 2^e, e uniform in [elo, ehi]. */
static void wild_coords(const model_ctx *c, rng *g, double *v, int elo, int ehi)
{
    for (size_t i = 0; i < c->n; i++) {
        double m = rng_sym(g);
        v[i] = scale2(m, rng_int(g, elo, ehi));
    }
}

static void gen_wild(const model_ctx *c, cases *cs)
{
    rng g = { seed_of(c, cs->name) };
    int top = c->ecoord;
    for (size_t i = 0; i < cs->count; i++) {
        double *x = cs->x + i * c->w, *y = cs->y + i * c->w;
        double *xv = x + c->off, *yv = y + c->off;
        switch (i % 4) {
        case 0: /* subnormal */
            wild_coords(c, &g, xv, -1074, -1023);
            wild_coords(c, &g, yv, -1074, -1023);
            break;
        case 1: /* binary exponents over the whole range */
            wild_coords(c, &g, xv, -1074, top);
            wild_coords(c, &g, yv, -1074, top);
            break;
        case 2: /* one large coordinate, the rest tiny; y differs in the tiny ones */
            wild_coords(c, &g, xv, -1074, -900);
            wild_coords(c, &g, yv, -1074, -900);
            xv[0] = yv[0] = scale2(0.5 + 0.5 * rng_unit(&g), top);
            break;
        default: /* multiples of the smallest subnormal; y may be the origin */
            for (size_t j = 0; j < c->n; j++) {
                xv[j] = pow2(-1074) * (double)rng_int(&g, -3, 3);
                yv[j] = i % 8 == 3 ? 0.0 : pow2(-1074) * (double)rng_int(&g, -3, 3);
            }
            break;
        }
        finish(c, x);
        finish(c, y);
        /* tangent vector: x's vector part, brought into Euclid's range */
        int shift = c->model == HYP_LORENTZ ? 23 - top : 0;
        for (size_t j = 0; j < c->n; j++)
            cs->t[i * c->n + j] = scale2(xv[j], shift);
    }
}

static void gen_edge(const model_ctx *c, cases *cs)
{
    rng g = { seed_of(c, cs->name) };
    for (size_t i = 0; i < cs->count; i++) {
        double *x = cs->x + i * c->w, *y = cs->y + i * c->w;
        double *xv = x + c->off, *yv = y + c->off;
        double *t = cs->t + i * c->n;
        size_t axis = (size_t)rng_int(&g, 0, (int)c->n - 1);
        switch (i % 4) {
        case 0: /* two points at the limit */
            edge_point(c, &g, x, t);
            edge_point(c, &g, y, c->tmp);
            break;
        case 1: /* on an axis, and the same moved by one ulp inward */
            edge_point(c, &g, x, t);
            memset(xv, 0, c->n * sizeof(double));
            xv[axis] = c->model == HYP_POINCARE  ? 1.0 - pow2(-rng_int(&g, 20, 53))
                       : c->model == HYP_LORENTZ ? 0x1.fffffffffffffp1023
                                                 : 0x1p24;
            if (rng_next(&g) & 1)
                xv[axis] = -xv[axis];
            finish(c, x);
            memcpy(y, x, c->w * sizeof(double));
            yv[axis] = ulp_step(yv[axis], -1, 1);
            finish(c, y);
            break;
        case 2: /* Poincaré: 1 - |x|^2 cancels (|x|^2 within ulps of 1 in two
                 * coordinates); others: at the limit vs near the origin */
            if (c->model == HYP_POINCARE) {
                memset(x, 0, c->w * sizeof(double));
                size_t other = (axis + 1) % c->n;
                double a = rng_unit(&g);
                xv[axis] = a;
                xv[other] = sqrt(1.0 - a * a);
                if (c->n == 1)
                    xv[0] = 1.0 - 0x1p-53;
                for (int k = 0; k < 8 && hyp_point_check(c->model, c->n, x) != HYP_OK; k++)
                    xv[other] = ulp_step(xv[other], -1, 1);
                memcpy(y, x, c->w * sizeof(double));
                yv[axis] = ulp_step(yv[axis], -1, 1 + (int)(i % 3));
                for (size_t j = 0; j < c->n; j++)
                    t[j] = xv[j] * 37.0;
            } else {
                edge_point(c, &g, x, t);
                gen_dir(&g, c->n, c->u);
                double m = 1.0 + rng_unit(&g);
                make_point(c, scale2(m, rng_int(&g, -27, 0)), c->u, y, NULL);
            }
            break;
        default: /* a close pair at the limit */
            edge_point(c, &g, x, t);
            memcpy(y, x, c->w * sizeof(double));
            double eps = pow2(-rng_int(&g, 30, 52));
            for (size_t j = 0; j < c->n; j++) {
                double w = rng_sym(&g);
                if (c->model == HYP_POINCARE && w > 0)
                    w = -w;
                yv[j] = xv[j] * (1.0 + eps * w);
            }
            finish(c, y);
            break;
        }
    }
}

/* ---- evaluation -------------------------------------------------------- */

static const char model_letter[] = { '?', 'P', 'L', 'E' };

static void emit_inputs(const model_ctx *c, const cases *cs)
{
    uint64_t h = FNV_OFFSET, lift = FNV_OFFSET;
    for (size_t i = 0; i < cs->count; i++) {
        const double *x = cs->x + i * c->w, *y = cs->y + i * c->w;
        h = fnv1a_doubles(h, x + c->off, c->n);
        h = fnv1a_doubles(h, y + c->off, c->n);
        h = fnv1a_doubles(h, cs->t + i * c->n, c->n);
        if (c->off) {
            lift = fnv1a_doubles(lift, x, 1);
            lift = fnv1a_doubles(lift, y, 1);
        }
    }
    emit("in %s %016llx\n", cs->name, (unsigned long long)h);
    if (c->off) /* x0 comes from hyp_lorentz_lift: a library result */
        emit("lift %s %016llx\n", cs->name, (unsigned long long)lift);
}

/* A double the call must leave untouched on error. */
static double sentinel(void)
{
    return from_bits(SENTINEL_BITS);
}

static void emit_scalar(const char *cat, size_t i, const char *op, int rc, double v)
{
    emit("%s.%zu %s %x %016llx\n", cat, i, op, rc_hex(rc), (unsigned long long)bits_of(v));
}

static void emit_point_op(const char *cat, size_t i, const char *op, int rc, const double *v,
                          size_t count)
{
    emit("%s.%zu %s %x", cat, i, op, rc_hex(rc));
    emit_vec(v, count);
}

/* Every operation on case i: distance, radius, conversions, log and exp. */
static void eval_case(const model_ctx *c, const char *cat, size_t i, hyp_model model, size_t n,
                      const double *x, const double *y, const double *t)
{
    double d = sentinel();
    int rc = hyp_dist(model, n, x, y, &d);
    emit_scalar(cat, i, "d", rc, d);
    d = sentinel();
    rc = hyp_radius(model, n, x, &d);
    emit_scalar(cat, i, "r", rc, d);

    size_t wmax = c->n + 1;
    double *out = xcalloc(wmax, sizeof(double));
    for (int to = HYP_POINCARE; to <= HYP_EUCLID; to++) {
        if (to == (int)c->model)
            continue;
        size_t w = hyp_model_width((hyp_model)to, c->n);
        for (size_t j = 0; j < wmax; j++)
            out[j] = sentinel();
        rc = hyp_convert(model, (hyp_model)to, n, x, out);
        char op[4] = { '>', model_letter[to], 0, 0 };
        emit_point_op(cat, i, op, rc, out, w);
    }
    for (size_t j = 0; j < wmax; j++)
        out[j] = sentinel();
    rc = hyp_logmap0(model, n, x, out);
    emit_point_op(cat, i, "log", rc, out, c->n);
    for (size_t j = 0; j < wmax; j++)
        out[j] = sentinel();
    rc = hyp_expmap0(model, n, t, out);
    emit_point_op(cat, i, "exp", rc, out, c->w);
    free(out);
}

static void run_category(const model_ctx *c, cases *cs)
{
    emit_inputs(c, cs);
    for (size_t i = 0; i < cs->count; i++)
        eval_case(c, cs->name, i, c->model, c->n, cs->x + i * c->w, cs->y + i * c->w,
                  cs->t + i * c->n);
}

/* Invalid inputs: each case is a valid pair (from rand) with one thing broken. */
static void run_bad(const model_ctx *c, const cases *good)
{
    enum { NBAD = 10 };
    size_t w = c->w, n = c->n;
    double *x = xcalloc(w, sizeof(double)), *y = xcalloc(w, sizeof(double));
    double *t = xcalloc(n, sizeof(double));
    const double qnan = from_bits(UINT64_C(0x7ff8000000000000));
    for (size_t i = 0; i < NBAD; i++) {
        memcpy(x, good->x, w * sizeof(double));
        memcpy(y, good->y, w * sizeof(double));
        memcpy(t, good->t, n * sizeof(double));
        double *xv = x + c->off, *yv = y + c->off;
        switch (i) {
        case 0: /* NaN in x and in the tangent vector */
            xv[0] = qnan;
            t[0] = qnan;
            break;
        case 1: /* -Inf in y, a NaN with a payload and the sign set in t */
            yv[n - 1] = -INFINITY;
            t[n - 1] = from_bits(UINT64_C(0xfff8000000000123));
            break;
        case 2: /* +Inf in x; a signalling NaN pattern in y */
            xv[n - 1] = INFINITY;
            yv[0] = from_bits(UINT64_C(0x7ff0000000000001));
            break;
        case 3: /* out of the model: outside the ball, x0 too small, radius too big */
            memset(xv, 0, n * sizeof(double));
            xv[0] = c->model == HYP_POINCARE ? 1.5 : c->model == HYP_LORENTZ ? 3.0 : 0x1p25;
            finish(c, x);
            if (c->model == HYP_LORENTZ)
                x[0] = 0.5;
            t[0] = 0x1.0000000000001p24;
            break;
        case 4: /* on the boundary; x0 negative; radius 2^24 plus a tiny bit */
            memset(xv, 0, n * sizeof(double));
            xv[0] = c->model == HYP_POINCARE ? 1.0 : c->model == HYP_LORENTZ ? 2.0 : 0x1p24;
            if (n > 1)
                xv[1] = c->model == HYP_EUCLID ? 0x1p-10 : 0.0;
            finish(c, x);
            if (c->model == HYP_LORENTZ)
                x[0] = -x[0];
            break;
        case 5: /* |x|^2 just above 1 in two coordinates; x0 = +Inf for a small
                 * x_s; DBL_MAX */
            memset(xv, 0, n * sizeof(double));
            if (c->model == HYP_POINCARE) {
                xv[0] = 0.75;
                if (n > 1) {
                    xv[1] = sqrt(1.0 - 0.75 * 0.75);
                    for (int k = 0; k < 8 && hyp_point_check(c->model, n, x) == HYP_OK; k++)
                        xv[1] = ulp_step(xv[1], 1, 1);
                } else {
                    xv[0] = 0x1.0000000000001p0;
                }
            } else {
                xv[0] = c->model == HYP_LORENTZ ? 1.0 : 0x1.fffffffffffffp1023;
                finish(c, x);
                if (c->model == HYP_LORENTZ)
                    x[0] = INFINITY;
            }
            break;
        case 6: /* Lorentz x0 off by a relative 2^-19 (rejected), others: -0 */
        case 7: /* Lorentz x0 off by a relative 2^-21 (accepted), others: -0 */
            if (c->model == HYP_LORENTZ) {
                x[0] *= 1.0 + (i == 6 ? 0x1p-19 : 0x1p-21);
            } else {
                for (size_t j = 0; j < n; j++)
                    xv[j] = i == 6 ? -0.0 : 0.0;
                yv[0] = -0.0;
            }
            break;
        case 8: /* dimension 0 and above HYP_DIM_MAX */
        case 9: /* unknown models */
            break;
        }
        if (i < 8) {
            eval_case(c, "bad", i, c->model, n, x, y, t);
            continue;
        }
        /* argument errors: every call on the valid pair */
        static const size_t bad_dims[] = { 0, HYP_DIM_MAX + 1 };
        static const int bad_models[] = { 0, 4 };
        for (int k = 0; k < 2; k++) {
            double d = sentinel();
            int rc = i == 8 ? hyp_dist(c->model, bad_dims[k], x, y, &d)
                            : hyp_dist((hyp_model)bad_models[k], n, x, y, &d);
            emit_scalar("bad", i * 10 + (size_t)k, "d", rc, d);
            d = sentinel();
            rc = i == 8 ? hyp_radius(c->model, bad_dims[k], x, &d)
                        : hyp_radius((hyp_model)bad_models[k], n, x, &d);
            emit_scalar("bad", i * 10 + (size_t)k, "r", rc, d);
            if (i == 9) { /* conversion to an unknown model */
                double *out = xcalloc(c->n + 1, sizeof(double));
                for (size_t j = 0; j <= c->n; j++)
                    out[j] = sentinel();
                rc = hyp_convert(c->model, (hyp_model)bad_models[k], n, x, out);
                emit_point_op("bad", i * 10 + (size_t)k, ">?", rc, out, c->w);
                free(out);
            }
        }
    }
    free(x);
    free(y);
    free(t);
}

/* hyp_dist_batch: q = rand x_0 against every rand x, a near y and a NaN
 * point; then a NaN query against three points. */
static void run_batch(const model_ctx *c, const cases *rnd, const cases *near)
{
    size_t w = c->w, count = rnd->count + 2;
    double *pts = xcalloc(count * w, sizeof(double));
    double *dist = xcalloc(count, sizeof(double));
    memcpy(pts, rnd->x, rnd->count * w * sizeof(double));
    memcpy(pts + rnd->count * w, near->y, w * sizeof(double));
    memcpy(pts + (rnd->count + 1) * w, rnd->x + w, w * sizeof(double));
    pts[(rnd->count + 1) * w + c->off] = from_bits(UINT64_C(0x7ff8000000000000));
    const double *q = rnd->x;
    for (size_t i = 0; i < count; i++)
        dist[i] = sentinel();
    int rc = hyp_dist_batch(c->model, c->n, q, pts, count, dist);
    emit("batch rc %x\n", rc_hex(rc));
    for (size_t i = 0; i < count; i++) {
        double d = sentinel();
        int rc1 = hyp_dist(c->model, c->n, q, pts + i * w, &d);
        int same = rc1 == HYP_OK ? bits_of(d) == bits_of(dist[i]) : dist[i] != dist[i];
        emit("batch.%zu %016llx %c\n", i, (unsigned long long)bits_of(dist[i]), same ? '=' : '!');
    }
    double *qbad = xcalloc(w, sizeof(double));
    memcpy(qbad, q, w * sizeof(double));
    qbad[w - 1] = -INFINITY;
    for (size_t i = 0; i < 3; i++)
        dist[i] = sentinel();
    rc = hyp_dist_batch(c->model, c->n, qbad, pts, 3, dist);
    emit("batchq rc %x", rc_hex(rc));
    emit_vec(dist, 3);
    free(qbad);
    free(pts);
    free(dist);
}

static void run_dim(hyp_model model, size_t n)
{
    model_ctx c = { 0 };
    c.model = model;
    c.n = n;
    c.w = hyp_model_width(model, n);
    c.off = model == HYP_LORENTZ ? 1 : 0;
    int half = (bitlen(n) + 1) / 2;
    switch (model) {
    case HYP_POINCARE:
        c.emax = 5;
        c.rmax = 37.0;
        c.ecoord = -1 - half;
        break;
    case HYP_LORENTZ:
        c.emax = 9;
        c.rmax = 709.0;
        c.ecoord = 1020 - half;
        break;
    default:
        c.emax = 24;
        c.rmax = 0x1p24;
        c.ecoord = 23 - half;
        break;
    }
    c.u = xcalloc(n, sizeof(double));
    c.tmp = xcalloc(c.w, sizeof(double));

    /* Case counts: full for n <= 3, three quarters for 10, half above. */
    size_t scale4 = n <= 3 ? 4 : n <= 10 ? 3 : 2;
#define COUNT(k) ((size_t)(k) * scale4 / 4)
    cases rnd, near, ulp, same, ray, wild, edge;
    cases_init(&rnd, &c, "rand", COUNT(16));
    cases_init(&near, &c, "near", COUNT(16));
    cases_init(&ulp, &c, "ulp", COUNT(8));
    cases_init(&same, &c, "same", 3);
    cases_init(&ray, &c, "ray", COUNT(8));
    cases_init(&wild, &c, "wild", COUNT(12));
    cases_init(&edge, &c, "edge", COUNT(12));
#undef COUNT
    gen_rand(&c, &rnd);
    gen_near(&c, &near, 1, 52);
    gen_ulp(&c, &ulp);
    gen_same(&c, &same);
    gen_ray(&c, &ray);
    gen_wild(&c, &wild);
    gen_edge(&c, &edge);

    emit("@ %s n=%zu\n", hyp_model_name(model), n);
    cases *all[] = { &rnd, &near, &ulp, &same, &ray, &wild, &edge };
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        run_category(&c, all[k]);
    run_bad(&c, &rnd);
    run_batch(&c, &rnd, &near);
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        cases_free(all[k]);
    free(c.u);
    free(c.tmp);
}

/* ---- fixed point ------------------------------------------------------- */

#define FIXED_POINTS 24
#define FIXED_K 10

/* Ranks the points idx[0..m) by distance from q with cmp (ties by index,
 * which idx is sorted by) by insertion; writes the first k to out. */
typedef int (*rank_cmp_fn)(const void *ctx, size_t q, size_t a, size_t b);

static size_t rank_top(const void *ctx, rank_cmp_fn cmp, size_t q, const size_t *idx, size_t m,
                       size_t *sorted, size_t k)
{
    size_t len = 0;
    for (size_t t = 0; t < m; t++) {
        if (idx[t] == q)
            continue;
        size_t p = len++;
        while (p > 0 && cmp(ctx, q, idx[t], sorted[p - 1]) < 0) {
            sorted[p] = sorted[p - 1];
            p--;
        }
        sorted[p] = idx[t];
    }
    return len < k ? len : k;
}

typedef struct {
    hyp_model model;
    size_t n, w;
    const double *pts;
    hyp_fixed_format f;
    const unsigned char *words;
    size_t size;
} fixed_ctx;

static int cmp_double_pts(const void *vc, size_t q, size_t a, size_t b)
{
    const fixed_ctx *c = vc;
    int o = 0;
    hyp_dist_cmp(c->model, c->n, c->pts + q * c->w, c->pts + a * c->w, c->pts + b * c->w, &o);
    return o;
}

static int cmp_fixed_pts(const void *vc, size_t q, size_t a, size_t b)
{
    const fixed_ctx *c = vc;
    int o = 0;
    hyp_fixed_dist_cmp(c->f, c->model, c->n, c->words + q * c->size, c->words + a * c->size,
                       c->words + b * c->size, &o);
    return o;
}

static void emit_list(const char *head, size_t q, const size_t *list, size_t len)
{
    emit("%s.%zx", head, q);
    for (size_t i = 0; i < len; i++)
        emit(" %zx", list[i]);
    emit("\n");
}

/* Word i of a point: negate it (two's complement, exact: the most negative
 * word is never valid) or set it to zero. */
static void word_op(hyp_fixed_format f, void *x, size_t i, int negate)
{
    size_t ws = hyp_fixed_word_size(f);
    unsigned char *p = (unsigned char *)x + i * ws;
    if (!negate) {
        memset(p, 0, ws);
    } else if (ws == 4) {
        uint32_t u;
        memcpy(&u, p, 4);
        u = 0u - u;
        memcpy(p, &u, 4);
    } else if (ws == 8) {
        uint64_t u;
        memcpy(&u, p, 8);
        u = 0u - u;
        memcpy(p, &u, 8);
    } else {
        hyp_q128 v;
        memcpy(&v, p, 16);
        v.hi = ~v.hi + (v.lo == 0);
        v.lo = 0u - v.lo;
        memcpy(p, &v, 16);
    }
}

static void run_fixed(hyp_model model, size_t n)
{
    model_ctx c = { 0 };
    c.model = model;
    c.n = n;
    c.w = hyp_model_width(model, n);
    c.off = model == HYP_LORENTZ ? 1 : 0;
    c.u = xcalloc(n, sizeof(double));
    c.tmp = xcalloc(c.w, sizeof(double));
    /* radii up to past q32's capacity: Poincaré 22.2, Lorentz 11.1, Euclid 256 */
    int emax = model == HYP_EUCLID ? 8 : model == HYP_LORENTZ ? 4 : 4;
    double rmax = model == HYP_EUCLID ? 300.0 : model == HYP_LORENTZ ? 24.0 : 30.0;
    double *pts = xcalloc(FIXED_POINTS * c.w, sizeof(double));
    rng g = { seed_of(&c, "fixed") };
    for (size_t i = 0; i < FIXED_POINTS; i++) {
        double *x = pts + i * c.w;
        if (i % 4 == 3) { /* near duplicate of the point before */
            const double *p = x - c.w;
            double eps = pow2(-rng_int(&g, 20, 45));
            for (size_t j = 0; j < n; j++) {
                double wgt = rng_sym(&g);
                if (model == HYP_POINCARE && wgt > 0)
                    wgt = -wgt;
                x[c.off + j] = p[c.off + j] * (1.0 + eps * wgt);
            }
            finish(&c, x);
        } else {
            gen_dir(&g, n, c.u);
            make_point(&c, gen_radius(&g, -4, emax, rmax), c.u, x, NULL);
        }
    }
    section_on = 1;
    section_hash = FNV_OFFSET;
    emit("@ %s fixed n=%zu\n", hyp_model_name(model), n);
    uint64_t h = FNV_OFFSET;
    for (size_t i = 0; i < FIXED_POINTS; i++)
        h = fnv1a_doubles(h, pts + i * c.w + c.off, n);
    emit("in fixed %016llx\n", (unsigned long long)h);

    size_t all[FIXED_POINTS], idx[FIXED_POINTS], top[FIXED_POINTS];
    for (size_t i = 0; i < FIXED_POINTS; i++)
        all[i] = i;
    fixed_ctx fc = { model, n, c.w, pts, HYP_FIXED_Q32, NULL, 0 };
    for (size_t q = 0; q < 3; q++)
        emit_list("dt", q, top, rank_top(&fc, cmp_double_pts, q, all, FIXED_POINTS, top, FIXED_K));

    for (int f = HYP_FIXED_Q32; f <= HYP_FIXED_Q128; f++) {
        const char *name = hyp_fixed_name((hyp_fixed_format)f);
        size_t size = hyp_fixed_size((hyp_fixed_format)f, model, n);
        unsigned char *words = xcalloc(FIXED_POINTS, size);
        unsigned char *bytes = xcalloc(1, size), *q = xcalloc(1, size), *b = xcalloc(1, size);
        size_t m = 0;
        for (size_t i = 0; i < FIXED_POINTS; i++) {
            unsigned char *x = words + i * size;
            memset(x, 0xa5, size); /* must stay untouched on error */
            int rc = hyp_fixed_from_double((hyp_fixed_format)f, model, n, pts + i * c.w, x);
            hyp_fixed_encode((hyp_fixed_format)f, model, n, x, bytes);
            emit("fx.%s.%zu %x ", name, i, rc_hex(rc));
            if (size <= 48) {
                for (size_t k = 0; k < size; k++)
                    emit("%02x", bytes[k]);
                emit("\n");
            } else {
                emit("h%016llx\n", (unsigned long long)fnv1a(FNV_OFFSET, bytes, size));
            }
            if (rc == HYP_OK)
                idx[m++] = i;
        }
        for (size_t t = 0; t < m; t++) {
            const unsigned char *x = words + idx[t] * size;
            uint64_t d = SENTINEL_BITS;
            int rc = hyp_fixed_dist((hyp_fixed_format)f, model, n, x,
                                    words + idx[(t + 1) % m] * size, &d);
            emit("fd.%s.%zu %x %016llx\n", name, idx[t], rc_hex(rc), (unsigned long long)d);
            d = SENTINEL_BITS;
            rc = hyp_fixed_radius((hyp_fixed_format)f, model, n, x, &d);
            emit("fr.%s.%zu %x %016llx\n", name, idx[t], rc_hex(rc), (unsigned long long)d);
            int o = 7;
            rc = hyp_fixed_dist_cmp((hyp_fixed_format)f, model, n, x,
                                    words + idx[(t + 1) % m] * size,
                                    words + idx[(t + 2) % m] * size, &o);
            emit("fc.%s.%zu %x %d\n", name, idx[t], rc_hex(rc), o);
        }
        size_t last = hyp_fixed_words(model, n) - 1;
        for (size_t t = 0; t < 3 && t + 1 < m; t++) {
            memcpy(q, words + idx[t] * size, size);
            word_op((hyp_fixed_format)f, q, last, 0);
            const unsigned char *a = words + idx[t + 1] * size;
            memcpy(b, a, size);
            word_op((hyp_fixed_format)f, b, last, 1);
            int o = 7;
            int rc = hyp_fixed_dist_cmp((hyp_fixed_format)f, model, n, q, a, b, &o);
            emit("ftie.%s.%zu %x %d\n", name, idx[t], rc_hex(rc), o);
        }
        fixed_ctx fx = { model, n, c.w, pts, (hyp_fixed_format)f, words, size };
        for (size_t t = 0; t < 3 && t < m; t++) {
            char head[16];
            snprintf(head, sizeof head, "ft.%s", name);
            emit_list(head, idx[t], top, rank_top(&fx, cmp_fixed_pts, idx[t], idx, m, top, FIXED_K));
        }
        free(words);
        free(bytes);
        free(q);
        free(b);
    }
    section_on = 0;
    emit("hash fixed %s n=%zu %016llx\n", hyp_model_name(model), n,
         (unsigned long long)section_hash);
    free(pts);
    free(c.u);
    free(c.tmp);
}

int main(int argc, char **argv)
{
    hyp_model model;
    if (argc < 2 || argc > 3 || hyp_model_parse(argv[1], &model) != HYP_OK ||
        (argc == 3 && strcmp(argv[2], "--full") != 0)) {
        fprintf(stderr, "usage: golden_gen poincare|lorentz|euclid [--full]\n");
        return 2;
    }
    full_output = argc == 3;
    emit("# hyperstore determinism golden cases, model %s (tests/determinism/golden_gen.c)\n",
         hyp_model_name(model));
    emit("# every double is its IEEE binary64 bit pattern in hex; format in golden_gen.c\n");
    static const size_t dims[] = { 2, 3, 10, 64, 300 };
    for (size_t k = 0; k < sizeof dims / sizeof dims[0]; k++)
        run_dim(model, dims[k]);
    static const size_t fixed_dims[] = { 2, 10, 64 };
    for (size_t k = 0; k < sizeof fixed_dims / sizeof fixed_dims[0]; k++)
        run_fixed(model, fixed_dims[k]);
    printf("hash fnv1a64 %016llx\n", (unsigned long long)out_hash);
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
