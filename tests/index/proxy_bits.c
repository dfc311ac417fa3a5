/*
 * proxy_bits.c — the graph's order is the same on every platform: the bits
 * of the proxy S (index/proxy.c, proxy_fast and proxy_dist; hnsw.c
 * departure 2) over all pairs of 600 dyadic points in dim 10, radii up to
 * about 40, one-ulp near-copies included, hashed (FNV-1a over the bits).
 * It also checks that proxy_fast gives proxy_dist's S to the bit.
 *
 * The index needs LMDB, which is not cross-built, so the graph hash itself
 * (tests/index test_golden_hash) runs on the host only; this runs in every
 * build of the cross-build determinism test (tests/determinism/run.sh: gcc
 * and clang at -O0 and -O3 -march=native, aarch64 under qemu), whose
 * output must equal tests/determinism/golden/proxy_bits.txt.  With
 * -ffp-contract=fast instead, clang -O3 -march=native prints another hash:
 * the check does see an fma contraction.
 */
#include <stdint.h>
#include <stdio.h>

#include "index_internal.h"

/* proxy.c's references to the rest of the library, never called here. */
int store_ext_point(hyp_store *s, MDB_txn *t, uint64_t id, const unsigned char **b)
{
    (void)s, (void)t, (void)id, (void)b;
    return -1;
}
int point_decode(const graph *g, const unsigned char *b, void *d)
{
    (void)g, (void)b, (void)d;
    return -1;
}
int point_dist_cmp(const graph *g, const void *q, const void *x, const void *y, int *o)
{
    (void)g, (void)q, (void)x, (void)y;
    *o = 0;
    return 0;
}
int point_radius_cmp(const graph *g, const void *x, const void *y, int *o)
{
    (void)g, (void)x, (void)y;
    *o = 0;
    return 0;
}
int hyp_point_check(hyp_model m, size_t n, const double *x)
{
    (void)m, (void)n, (void)x;
    return 0;
}
int hyp_convert(hyp_model a, hyp_model b, size_t n, const double *x, double *y)
{
    (void)a, (void)b, (void)n, (void)x, (void)y;
    return 0;
}

/* A 64-bit LCG: integers only, the same sequence everywhere. */
static uint64_t lcg = 12345;
static uint64_t next(void)
{
    lcg = lcg * 6364136223846793005u + 1442695040888963407u;
    return lcg >> 11;
}

int main(void)
{
    enum { N = 600, D = 10 };
    static double a[N], c[N], u[N][D];
    for (int i = 0; i < N; i++) {
        /* Dyadic coordinates (exact in binary64, no libm): |x_s| up to
         * about 2^57, radius about 40. */
        double xs[D];
        int e = (int)(next() % 58) - 1;
        for (int j = 0; j < D; j++)
            xs[j] = ldexp((double)(int64_t)(next() % 2000001) - 1000000.0, e - 20);
        if (i % 7 == 1) /* near-ties: the point one ulp away per coordinate */
            for (int j = 0; j < D; j++)
                xs[j] = nextafter(xs[j], 1e300);
        proxy_prepare_spatial(D, xs, &a[i], &c[i], u[i]);
    }
    uint64_t h1 = 1469598103934665603u, h2 = h1;
    for (int i = 0; i < N; i++) {
        base q = { a[i], c[i], u[i], NULL, (uint32_t)i, proxy_ec(D, 0) };
        for (int j = 0; j < N; j++) {
            cand f, s;
            proxy_fast(&q, a[j], c[j], proxy_dd(D, q.u, u[j]), &f);
            proxy_dist(D, &q, a[j], c[j], u[j], &s);
            uint64_t b1, b2;
            memcpy(&b1, &f.s, 8);
            memcpy(&b2, &s.s, 8);
            if (f.e == 0 && b1 != b2) {
                printf("proxy_fast and proxy_dist differ at %d %d\n", i, j);
                return 1;
            }
            h1 = (h1 ^ b1) * 1099511628211u;
            h2 = (h2 ^ b2) * 1099511628211u;
        }
    }
    printf("S bits hash %016llx, full %016llx\n", (unsigned long long)h1,
           (unsigned long long)h2);
    return 0;
}
