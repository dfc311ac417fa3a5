/*
 * fuzz_hier.c — the edge-file parser (tools/hierarchy.c: hier_read), which
 * `hyperstore embed`, `eval` and `edges` run on user files.
 *
 * The input is the file.  Properties of an accepted hierarchy:
 *   - labels are sorted, distinct, and each passes hyp_label_check;
 *     hier_find finds each at its rank;
 *   - the Hasse diagram has ascending, in-range parents, no self-loop, and
 *     is a transitive reduction: no kept parent of u is an ancestor of
 *     another kept parent of u;
 *   - tree parents are Hasse parents of greatest depth, depths are longest
 *     paths (depth(u) = 1 + max over Hasse parents), roots are counted, and
 *     `order` lists every node once, parents first;
 * and of any input: the verdict and the result do not depend on the order
 * of the lines (hierarchy.h promises it), checked by parsing the lines
 * reversed when the input has no TAB (with a TAB, the first edge line picks
 * the separator, so line order may legitimately matter).
 */
#define _POSIX_C_SOURCE 200809L /* fmemopen */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hierarchy.h"
#include "hyp_store.h"

static FILE *devnull;

static int parse(const uint8_t *data, size_t size, hier *h)
{
    FILE *in = fmemopen((void *)data, size, "r");
    if (in == NULL)
        abort();
    int rc = hier_read(in, "fuzz", devnull, h);
    fclose(in);
    return rc;
}

static void check(const hier *h)
{
    size_t n = h->n, roots = 0;
    unsigned *stamp = calloc(n, sizeof *stamp), gen = 0;
    size_t *anc = malloc(n * sizeof *anc), *stack = malloc((n + 1) * sizeof *stack);
    unsigned char *placed = calloc(n, 1);
    if (!stamp || !anc || !stack || !placed)
        abort();
    for (size_t u = 0; u < n; u++) {
        const char *l = h->label[u];
        if (hyp_label_check(l, strlen(l)) != HYP_OK || hier_find(h, l) != u ||
            (u > 0 && strcmp(h->label[u - 1], l) >= 0))
            abort();
        size_t k0 = h->hasse_off[u], k1 = h->hasse_off[u + 1], deepest = 0;
        for (size_t k = k0; k < k1; k++) {
            size_t p = h->hasse[k];
            if (p >= n || p == u || (k > k0 && h->hasse[k - 1] >= p))
                abort();
            if (h->depth[p] + 1 > deepest)
                deepest = h->depth[p] + 1;
        }
        if (h->depth[u] != deepest)
            abort();
        if (k0 == k1) {
            roots++;
            if (h->parent[u] != HIER_NONE)
                abort();
        } else if (h->parent[u] == HIER_NONE || h->depth[h->parent[u]] + 1 != deepest) {
            abort();
        }
        /* Transitive reduction: p kept beside q, p reachable from q, is redundant. */
        for (size_t k = k0; k < k1; k++) {
            size_t c = hier_ancestors(h, h->hasse[k], stamp, &gen, anc, stack);
            for (size_t j = k0; j < k1; j++)
                for (size_t i = 0; i < c; i++)
                    if (anc[i] == h->hasse[j])
                        abort();
        }
    }
    if (roots != h->roots || h->edges_hasse > h->edges_given || h->hasse_off[n] != h->edges_hasse)
        abort();
    for (size_t i = 0; i < n; i++) {
        size_t u = h->order[i];
        if (u >= n || placed[u] || (h->parent[u] != HIER_NONE && !placed[h->parent[u]]))
            abort();
        placed[u] = 1;
    }
    free(stamp);
    free(anc);
    free(stack);
    free(placed);
}

/* The lines of data in reverse order, each ended by '\n'. */
static uint8_t *reversed(const uint8_t *data, size_t size, size_t *out_size)
{
    uint8_t *r = malloc(size + 1), *w = r;
    if (r == NULL)
        abort();
    size_t end = size;
    if (end > 0 && data[end - 1] == '\n')
        end--; /* the last line's terminator */
    while (1) {
        size_t start = end;
        while (start > 0 && data[start - 1] != '\n')
            start--;
        memcpy(w, data + start, end - start);
        w += end - start;
        *w++ = '\n';
        if (start == 0)
            break;
        end = start - 1;
    }
    *out_size = (size_t)(w - r);
    return r;
}

static int same(const hier *a, const hier *b)
{
    if (a->n != b->n || a->edges_given != b->edges_given || a->edges_hasse != b->edges_hasse)
        return 0;
    for (size_t u = 0; u < a->n; u++)
        if (strcmp(a->label[u], b->label[u]) != 0 || a->parent[u] != b->parent[u] ||
            a->depth[u] != b->depth[u] || a->hasse_off[u + 1] != b->hasse_off[u + 1])
            return 0;
    return memcmp(a->hasse, b->hasse, a->edges_hasse * sizeof *a->hasse) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
        abort();
    if (size == 0)
        return 0;
    hier h, r;
    int rc = parse(data, size, &h);
    if (rc == 0)
        check(&h);
    else if (rc != 1) /* 3 (read error) and 4 (memory) cannot happen here */
        abort();
    if (memchr(data, '\t', size) == NULL) {
        size_t rsize;
        uint8_t *rev = reversed(data, size, &rsize);
        int rrc = parse(rev, rsize, &r);
        if (rrc != rc || (rc == 0 && !same(&h, &r))) {
            fprintf(stderr, "line order changed the result (%d, reversed %d)\n", rc, rrc);
            abort();
        }
        if (rrc == 0)
            hier_free(&r);
        free(rev);
    }
    if (rc == 0)
        hier_free(&h);
    return 0;
}
