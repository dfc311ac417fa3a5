/*
 * hierarchy.h — a hierarchy read from an edge file, reduced to its Hasse
 * diagram, with the spanning tree the constructions embed.
 *
 * Edge file.  One edge per line, "CHILD<sep>PARENT".  The separator is TAB
 * if the first edge line holds a TAB, ',' otherwise (no quoting: a CSV label
 * cannot hold a comma; use TSV for those).  Spaces around a label are
 * dropped.  Empty lines, lines of spaces and tabs, and lines whose first byte
 * is '#' are comments.  Labels follow the store's rules (hyp_label_check).
 * The file may list direct edges, the transitive closure, or anything in
 * between: the same hierarchy results (its transitive reduction).
 *
 * Refused, each with "FILE:LINE: reason" (every bad line is reported, up to
 * HIER_MAX_REPORTS, and nothing is built):
 *   a line without exactly two fields, an empty or invalid label, a
 *   self-loop, an edge given twice, a cycle (the message names its nodes in
 *   order and the line of one of its edges), a file with no edge.
 *
 * Node ids are the ranks of the labels in byte order (strcmp), so every
 * result below is independent of the order of the lines.
 *
 * Spanning tree.  A node with several parents in the Hasse diagram (a DAG,
 * as WordNet) keeps one in the tree: the parent with the greatest depth,
 * where depth is the length of the longest path up to a root — the most
 * specific parent — and among equals the one whose label sorts first.  So a
 * node's tree depth equals its longest-path depth.  Roots are the nodes
 * without parents; a forest is allowed.
 */
#ifndef HYP_TOOLS_HIERARCHY_H
#define HYP_TOOLS_HIERARCHY_H

#include <stddef.h>
#include <stdio.h>

#define HIER_NONE ((size_t)-1)
#define HIER_MAX_REPORTS 20

typedef struct hier {
    size_t n;            /* nodes */
    char **label;        /* label[id], NUL-terminated, owned */
    size_t edges_given;  /* edges in the file */
    size_t edges_hasse;  /* edges after the transitive reduction */
    /* Hasse diagram, child -> parents (CSR: parents of u are
     * hasse[hasse_off[u] .. hasse_off[u+1]), ascending ids). */
    size_t *hasse_off, *hasse;
    /* Spanning tree. */
    size_t *parent;      /* tree parent, HIER_NONE for a root */
    size_t *depth;       /* longest-path depth; roots 0 */
    size_t *child_off;   /* tree children CSR, ascending ids */
    size_t *child;
    size_t *order;       /* all ids, parents before children (by depth, then id) */
    size_t max_depth;
    size_t roots;
    int is_tree;         /* every node has at most one Hasse parent */
} hier;

/*
 * hier_read — reads and checks an edge file.
 *   [in] in (open stream), name (for messages), err (where the FILE:LINE
 *   messages go, usually stderr); [out] h.
 * Returns 0; 1 for a malformed file (messages written); 3 for a read error;
 * 4 out of memory (the CLI exit statuses).  On failure h holds nothing.
 */
int hier_read(FILE *in, const char *name, FILE *err, hier *h);

/* Frees h (a zeroed or freed hier is fine). */
void hier_free(hier *h);

/* The id of a label, or HIER_NONE (binary search over the sorted labels). */
size_t hier_find(const hier *h, const char *label);

/*
 * hier_ancestors — the ancestors of u in the Hasse diagram (transitive
 * closure), ascending ids.  [in,out] stamp: n entries, zero at the first
 * call, kept between calls (a visit mark; *gen is bumped per call);
 * [out] out (capacity n); returns their number.
 */
size_t hier_ancestors(const hier *h, size_t u, unsigned *stamp, unsigned *gen, size_t *out,
                      size_t *stack);

#endif
