/*
 * hierarchy.c — reading an edge file into a hierarchy (rules in hierarchy.h).
 *
 * Labels are interned in an open-addressing hash table while reading; the
 * table is only ever probed, never iterated, so its layout cannot leak into
 * any result.  Ids are then renumbered by label order.
 *
 * The transitive reduction visits the nodes parents-first.  For a node u
 * with given parents P(u), an edge u -> p is redundant when p is a strict
 * ancestor of another q in P(u); the ancestors of q are found by a walk over
 * the already reduced parents (reachability is the same), with a generation
 * stamp so each node is visited once per u.  On a transitive closure this
 * costs about sum over u of |ancestors(u)|^2 steps: a few million for the
 * WordNet nouns.
 */
#include "hierarchy.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "coords.h"
#include "hyp_store.h"

/* ---- label interning ---- */

typedef struct intern {
    char **str;     /* by provisional id */
    size_t count, cap;
    size_t *slot;   /* hash slots: provisional id + 1, 0 = empty */
    size_t nslots;  /* a power of two, kept at most half full */
} intern;

static uint64_t fnv1a(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static int intern_grow(intern *t)
{
    size_t ns = t->nslots ? t->nslots * 2 : 1024;
    size_t *slot = calloc(ns, sizeof *slot);
    if (slot == NULL)
        return -1;
    for (size_t i = 0; i < t->count; i++) {
        size_t j = (size_t)fnv1a(t->str[i], strlen(t->str[i])) & (ns - 1);
        while (slot[j] != 0)
            j = (j + 1) & (ns - 1);
        slot[j] = i + 1;
    }
    free(t->slot);
    t->slot = slot;
    t->nslots = ns;
    return 0;
}

/* The provisional id of s[0..len), added if new; HIER_NONE out of memory. */
static size_t intern_get(intern *t, const char *s, size_t len)
{
    if (2 * (t->count + 1) > t->nslots && intern_grow(t) != 0)
        return HIER_NONE;
    size_t j = (size_t)fnv1a(s, len) & (t->nslots - 1);
    while (t->slot[j] != 0) {
        const char *o = t->str[t->slot[j] - 1];
        if (strncmp(o, s, len) == 0 && o[len] == '\0')
            return t->slot[j] - 1;
        j = (j + 1) & (t->nslots - 1);
    }
    if (t->count == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 1024;
        char **str = realloc(t->str, cap * sizeof *str);
        if (str == NULL)
            return HIER_NONE;
        t->str = str;
        t->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return HIER_NONE;
    memcpy(copy, s, len);
    copy[len] = '\0';
    t->str[t->count] = copy;
    t->slot[j] = t->count + 1;
    return t->count++;
}

/* ---- the edge list as read ---- */

typedef struct edge {
    size_t child, parent;
    unsigned long line;
} edge;

typedef struct reader {
    const char *name;
    FILE *err;
    unsigned reports;
    int bad;
} reader;

static void report(reader *r, unsigned long line, const char *fmt, const char *a,
                   const char *b)
{
    r->bad = 1;
    if (r->reports++ >= HIER_MAX_REPORTS)
        return;
    fprintf(r->err, "%s:%lu: ", r->name, line);
    fprintf(r->err, fmt, a, b);
    fputc('\n', r->err);
    if (r->reports == HIER_MAX_REPORTS)
        fprintf(r->err, "%s: (further errors not shown)\n", r->name);
}

/* Quotes up to 60 bytes of a label for a message. */
static const char *quote(const char *s, size_t len, char *buf, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; i < len && k + 5 < size && i < 60; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            k += (size_t)snprintf(buf + k, size - k, "\\x%02x", c);
        else
            buf[k++] = (char)c;
    }
    buf[k] = '\0';
    return buf;
}

static void trim(char **s, size_t *len)
{
    while (*len > 0 && (*s)[0] == ' ') {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && (*s)[*len - 1] == ' ')
        (*len)--;
}

static int is_comment(const char *line)
{
    return line[0] == '#' || line[strspn(line, " \t")] == '\0';
}

/* Checks one label; reports and returns -1 if it is bad. */
static int check_label(reader *r, unsigned long line, const char *what, char *s, size_t len)
{
    char q[256];
    if (len == 0) {
        report(r, line, "empty %s label%s", what, "");
        return -1;
    }
    int rc = hyp_label_check(s, len);
    if (rc == HYP_ELABEL_LEN) {
        report(r, line, "%s label longer than 511 bytes: \"%s...\"", what,
               quote(s, len, q, sizeof q));
        return -1;
    }
    if (rc != HYP_OK) {
        report(r, line, "%s label is not valid UTF-8 or holds a control character: \"%s\"",
               what, quote(s, len, q, sizeof q));
        return -1;
    }
    return 0;
}

static int cmp_edge(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    if (x->child != y->child)
        return x->child < y->child ? -1 : 1;
    if (x->parent != y->parent)
        return x->parent < y->parent ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static const char *const *sort_labels_base;
static int cmp_label_index(const void *a, const void *b)
{
    return strcmp(sort_labels_base[*(const size_t *)a], sort_labels_base[*(const size_t *)b]);
}

/* ---- building ---- */

/* CSR from (key, value) pairs sorted by key then value. */
static int csr(size_t n, size_t m, const edge *e, int by_child, size_t **off, size_t **adj)
{
    *off = calloc(n + 1, sizeof **off);
    *adj = malloc((m ? m : 1) * sizeof **adj);
    if (*off == NULL || *adj == NULL)
        return -1;
    for (size_t i = 0; i < m; i++)
        (*off)[(by_child ? e[i].child : e[i].parent) + 1]++;
    for (size_t u = 0; u < n; u++)
        (*off)[u + 1] += (*off)[u];
    size_t *pos = malloc((n ? n : 1) * sizeof *pos);
    if (pos == NULL)
        return -1;
    memcpy(pos, *off, n * sizeof *pos);
    for (size_t i = 0; i < m; i++) {
        size_t k = by_child ? e[i].child : e[i].parent;
        (*adj)[pos[k]++] = by_child ? e[i].parent : e[i].child;
    }
    free(pos);
    return 0;
}

/* Finds and reports a cycle among the nodes Kahn's algorithm left over
 * (each has a parent among them). */
static void report_cycle(reader *r, const hier *h, const size_t *poff, const size_t *par,
                         const unsigned long *pline, const unsigned char *done)
{
    size_t n = h->n, start = 0;
    while (start < n && done[start])
        start++;
    size_t *seen = malloc(n * sizeof *seen), *path = malloc(n * sizeof *path);
    if (seen == NULL || path == NULL) {
        report(r, 0, "the hierarchy has a cycle%s%s", "", "");
        free(seen);
        free(path);
        return;
    }
    for (size_t i = 0; i < n; i++)
        seen[i] = HIER_NONE;
    size_t len = 0, u = start;
    while (seen[u] == HIER_NONE) {
        seen[u] = len;
        path[len++] = u;
        size_t next = HIER_NONE;
        for (size_t k = poff[u]; k < poff[u + 1]; k++)
            if (!done[par[k]]) {
                next = par[k];
                break;
            }
        u = next;
    }
    /* path[seen[u] ..] is the cycle; rotate it to start at its smallest id
     * so the message does not depend on where the walk began. */
    size_t c0 = seen[u], clen = len - c0, best = 0;
    for (size_t i = 1; i < clen; i++)
        if (path[c0 + i] < path[c0 + best])
            best = i;
    size_t a = path[c0 + best], b = path[c0 + (best + 1) % clen];
    unsigned long line = 0;
    for (size_t k = poff[a]; k < poff[a + 1]; k++)
        if (par[k] == b)
            line = pline[k];
    /* Message: names joined by " -> " (child to parent), back to the first. */
    size_t cap = 64;
    for (size_t i = 0; i < clen; i++)
        cap += strlen(h->label[path[c0 + i]]) + 4;
    char *msg = malloc(cap + strlen(h->label[a]));
    if (msg != NULL) {
        size_t k = 0;
        for (size_t i = 0; i <= clen; i++) {
            const char *l = h->label[path[c0 + (best + i) % clen]];
            k += (size_t)sprintf(msg + k, "%s%s", i ? " -> " : "", l);
        }
        report(r, line, "cycle (child -> parent): %s%s", msg, "");
    } else {
        report(r, line, "the hierarchy has a cycle%s%s", "", "");
    }
    free(msg);
    free(seen);
    free(path);
}

size_t hier_ancestors(const hier *h, size_t u, unsigned *stamp, unsigned *gen, size_t *out,
                      size_t *stack)
{
    size_t count = 0, top = 0;
    if (++*gen == 0) { /* wrapped: clear the marks */
        memset(stamp, 0, h->n * sizeof *stamp);
        *gen = 1;
    }
    stack[top++] = u;
    while (top > 0) {
        size_t v = stack[--top];
        for (size_t k = h->hasse_off[v]; k < h->hasse_off[v + 1]; k++) {
            size_t p = h->hasse[k];
            if (stamp[p] != *gen) {
                stamp[p] = *gen;
                out[count++] = p;
                stack[top++] = p;
            }
        }
    }
    /* Ascending ids: callers rely on it for binary search. */
    for (size_t i = 1; i < count; i++) {
        size_t x = out[i], j = i;
        while (j > 0 && out[j - 1] > x) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = x;
    }
    return count;
}

size_t hier_find(const hier *h, const char *label)
{
    size_t lo = 0, hi = h->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(h->label[mid], label);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return HIER_NONE;
}

void hier_free(hier *h)
{
    if (h->label != NULL)
        for (size_t i = 0; i < h->n; i++)
            free(h->label[i]);
    free(h->label);
    free(h->hasse_off);
    free(h->hasse);
    free(h->parent);
    free(h->depth);
    free(h->child_off);
    free(h->child);
    free(h->order);
    memset(h, 0, sizeof *h);
}

/* Everything after the file is read and each line checked. */
static int build(hier *h, edge *e, size_t m, reader *r)
{
    size_t n = h->n;
    int status = CLI_EXIT_INTERNAL;
    size_t *poff = NULL, *par = NULL, *coff = NULL, *chl = NULL, *queue = NULL;
    size_t *pending = NULL, *hoff = NULL, *hadj = NULL, *stack = NULL;
    unsigned long *pline = NULL;
    unsigned char *done = NULL;
    unsigned *mark = NULL, *reach = NULL;

    qsort(e, m, sizeof *e, cmp_edge);
    /* Duplicates are adjacent now; the first line keeps the edge. */
    size_t w = 0;
    for (size_t i = 0; i < m; i++) {
        if (w > 0 && e[w - 1].child == e[i].child && e[w - 1].parent == e[i].parent) {
            char msg[160], qa[256], qb[256];
            snprintf(msg, sizeof msg, "\"%.60s\" -> \"%.60s\" (first on line %lu)",
                     quote(h->label[e[i].child], strlen(h->label[e[i].child]), qa, sizeof qa),
                     quote(h->label[e[i].parent], strlen(h->label[e[i].parent]), qb, sizeof qb),
                     e[w - 1].line);
            /* Reported in edge order, not line order; each names both lines. */
            report(r, e[i].line, "duplicate edge %s%s", msg, "");
            continue;
        }
        e[w++] = e[i];
    }
    if (r->bad)
        return CLI_EXIT_REJECTED;
    m = w;
    h->edges_given = m;

    if (csr(n, m, e, 1, &poff, &par) != 0 || csr(n, m, e, 0, &coff, &chl) != 0)
        goto out;
    pline = malloc(m * sizeof *pline);
    queue = malloc(n * sizeof *queue);
    pending = malloc(n * sizeof *pending);
    done = calloc(n, 1);
    h->depth = calloc(n, sizeof *h->depth);
    if (pline == NULL || queue == NULL || pending == NULL || done == NULL || h->depth == NULL)
        goto out;
    for (size_t i = 0; i < m; i++)
        pline[i] = e[i].line; /* e is sorted by child then parent, as par is */

    /* Kahn's algorithm, parents first: queue[] becomes a topological order. */
    size_t head = 0, tail = 0;
    for (size_t u = 0; u < n; u++) {
        pending[u] = poff[u + 1] - poff[u];
        if (pending[u] == 0)
            queue[tail++] = u;
    }
    while (head < tail) {
        size_t p = queue[head++];
        done[p] = 1;
        for (size_t k = coff[p]; k < coff[p + 1]; k++) {
            size_t c = chl[k];
            if (h->depth[c] < h->depth[p] + 1)
                h->depth[c] = h->depth[p] + 1;
            if (--pending[c] == 0)
                queue[tail++] = c;
        }
    }
    if (tail < n) {
        report_cycle(r, h, poff, par, pline, done);
        status = CLI_EXIT_REJECTED;
        goto out;
    }

    /* Transitive reduction, in topological order. */
    hoff = calloc(n + 1, sizeof *hoff);
    hadj = malloc((m ? m : 1) * sizeof *hadj);
    mark = calloc(n, sizeof *mark);
    reach = calloc(n, sizeof *reach);
    stack = malloc((n + 2 * m + 1) * sizeof *stack); /* each push follows an edge or a given parent */
    size_t *start = malloc(n * sizeof *start), *cnt = calloc(n, sizeof *cnt);
    if (hoff == NULL || hadj == NULL || mark == NULL || reach == NULL || stack == NULL ||
        start == NULL || cnt == NULL) {
        free(start);
        free(cnt);
        goto out;
    }
    /* Reduced parents are written per node in processing order, then
     * gathered into id order. */
    size_t used = 0;
    unsigned gen = 0;
    for (size_t i = 0; i < n; i++) {
        size_t u = queue[i];
        gen++;
        for (size_t k = poff[u]; k < poff[u + 1]; k++)
            mark[par[k]] = gen;
        /* Walk up from each given parent's own reduced parents. */
        size_t top = 0;
        for (size_t k = poff[u]; k < poff[u + 1]; k++) {
            size_t q = par[k];
            for (size_t j = start[q]; j < start[q] + cnt[q]; j++)
                stack[top++] = hadj[j];
        }
        while (top > 0) {
            size_t v = stack[--top];
            if (reach[v] == gen)
                continue;
            reach[v] = gen;
            for (size_t j = start[v]; j < start[v] + cnt[v]; j++)
                if (reach[hadj[j]] != gen)
                    stack[top++] = hadj[j];
        }
        start[u] = used;
        for (size_t k = poff[u]; k < poff[u + 1]; k++)
            if (reach[par[k]] != gen)
                hadj[used++] = par[k];
        cnt[u] = used - start[u];
    }
    h->edges_hasse = used;
    h->hasse_off = hoff;
    h->hasse = malloc((used ? used : 1) * sizeof *h->hasse);
    if (h->hasse == NULL) {
        free(start);
        free(cnt);
        hoff = NULL;
        goto out;
    }
    for (size_t u = 0; u < n; u++)
        hoff[u + 1] = hoff[u] + cnt[u];
    for (size_t u = 0; u < n; u++)
        memcpy(h->hasse + hoff[u], hadj + start[u], cnt[u] * sizeof *hadj);
    hoff = NULL; /* owned by h now */
    free(start);
    free(cnt);

    /* Spanning tree: the deepest Hasse parent, then the smallest id. */
    h->parent = malloc(n * sizeof *h->parent);
    h->child_off = calloc(n + 1, sizeof *h->child_off);
    h->child = malloc(n * sizeof *h->child);
    h->order = malloc(n * sizeof *h->order);
    if (h->parent == NULL || h->child_off == NULL || h->child == NULL || h->order == NULL)
        goto out;
    h->is_tree = 1;
    h->roots = 0;
    h->max_depth = 0;
    for (size_t u = 0; u < n; u++) {
        size_t best = HIER_NONE;
        size_t k0 = h->hasse_off[u], k1 = h->hasse_off[u + 1];
        if (k1 - k0 > 1)
            h->is_tree = 0;
        for (size_t k = k0; k < k1; k++) {
            size_t p = h->hasse[k];
            if (best == HIER_NONE || h->depth[p] > h->depth[best])
                best = p; /* ascending ids: the first of equal depth stays */
        }
        h->parent[u] = best;
        if (best == HIER_NONE)
            h->roots++;
        else
            h->child_off[best + 1]++;
        if (h->depth[u] > h->max_depth)
            h->max_depth = h->depth[u];
    }
    for (size_t u = 0; u < n; u++)
        h->child_off[u + 1] += h->child_off[u];
    memcpy(pending, h->child_off, n * sizeof *pending);
    for (size_t u = 0; u < n; u++)
        if (h->parent[u] != HIER_NONE)
            h->child[pending[h->parent[u]]++] = u;
    /* order: by depth, then id (a counting sort keeps ids ascending). */
    size_t *dcount = calloc(h->max_depth + 2, sizeof *dcount);
    if (dcount == NULL)
        goto out;
    for (size_t u = 0; u < n; u++)
        dcount[h->depth[u] + 1]++;
    for (size_t d = 0; d <= h->max_depth; d++)
        dcount[d + 1] += dcount[d];
    for (size_t u = 0; u < n; u++)
        h->order[dcount[h->depth[u]]++] = u;
    free(dcount);
    status = CLI_EXIT_OK;
out:
    free(poff);
    free(par);
    free(coff);
    free(chl);
    free(queue);
    free(pending);
    free(hoff);
    free(hadj);
    free(stack);
    free(pline);
    free(done);
    free(mark);
    free(reach);
    return status;
}

int hier_read(FILE *in, const char *name, FILE *err, hier *h)
{
    intern t = { 0 };
    edge *e = NULL;
    size_t m = 0, cap = 0;
    reader r = { name, err, 0, 0 };
    line_reader lr;
    enum line_status st;
    char sep = 0;
    int status = CLI_EXIT_INTERNAL;

    memset(h, 0, sizeof *h);
    line_reader_init(&lr, in);
    while ((st = line_reader_next(&lr)) == LINE_OK) {
        char *line = lr.buf;
        if (strlen(line) != lr.len) {
            report(&r, lr.number, "line contains a NUL byte%s%s", "", "");
            continue;
        }
        if (is_comment(line))
            continue;
        if (sep == 0)
            sep = strchr(line, '\t') != NULL ? '\t' : ',';
        char *a = line, *s1 = strchr(line, sep);
        if (s1 == NULL || strchr(s1 + 1, sep) != NULL) {
            size_t fields = 1;
            for (char *p = line; (p = strchr(p, sep)) != NULL; p++)
                fields++;
            char f[32];
            snprintf(f, sizeof f, "%zu", fields);
            report(&r, lr.number, "expected 2 fields (child%sparent), found %s",
                   sep == '\t' ? " TAB " : ", ", f);
            continue;
        }
        char *b = s1 + 1;
        size_t alen = (size_t)(s1 - a), blen = strlen(b);
        trim(&a, &alen);
        trim(&b, &blen);
        int bad = check_label(&r, lr.number, "child", a, alen);
        bad |= check_label(&r, lr.number, "parent", b, blen);
        if (bad)
            continue;
        if (alen == blen && memcmp(a, b, alen) == 0) {
            char q[256];
            report(&r, lr.number, "self-loop: \"%s\" is its own parent%s",
                   quote(a, alen, q, sizeof q), "");
            continue;
        }
        size_t c = intern_get(&t, a, alen), p = c == HIER_NONE ? c : intern_get(&t, b, blen);
        if (p == HIER_NONE)
            goto out;
        if (m == cap) {
            size_t nc = cap ? 2 * cap : 4096;
            edge *ne = realloc(e, nc * sizeof *ne);
            if (ne == NULL)
                goto out;
            e = ne;
            cap = nc;
        }
        e[m].child = c;
        e[m].parent = p;
        e[m].line = lr.number;
        m++;
    }
    if (st == LINE_EREAD) {
        fprintf(err, "%s: read error: %s\n", name, strerror(errno));
        status = CLI_EXIT_IO;
        goto out;
    }
    if (st == LINE_ENOMEM)
        goto out;
    if (r.bad) {
        status = CLI_EXIT_REJECTED;
        goto out;
    }
    if (m == 0) {
        fprintf(err, "%s: no edge in the file (%lu line%s)\n", name, lr.number,
                lr.number == 1 ? "" : "s");
        status = CLI_EXIT_REJECTED;
        goto out;
    }

    /* Renumber by label order. */
    size_t n = t.count, *rank_of = malloc(n * sizeof *rank_of), *idx = malloc(n * sizeof *idx);
    h->label = malloc(n * sizeof *h->label);
    if (rank_of == NULL || idx == NULL || h->label == NULL) {
        free(rank_of);
        free(idx);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sort_labels_base = (const char *const *)t.str;
    qsort(idx, n, sizeof *idx, cmp_label_index);
    for (size_t i = 0; i < n; i++) {
        rank_of[idx[i]] = i;
        h->label[i] = t.str[idx[i]];
    }
    h->n = n;
    t.count = 0; /* labels now owned by h */
    for (size_t i = 0; i < m; i++) {
        e[i].child = rank_of[e[i].child];
        e[i].parent = rank_of[e[i].parent];
    }
    free(rank_of);
    free(idx);
    status = build(h, e, m, &r);
out:
    if (status != CLI_EXIT_OK)
        hier_free(h);
    line_reader_free(&lr);
    for (size_t i = 0; i < t.count; i++)
        free(t.str[i]);
    free(t.str);
    free(t.slot);
    free(e);
    return status;
}
