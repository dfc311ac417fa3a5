/*
 * trees.h — edge files of test trees, shared by the embed tests.
 */
#ifndef HYP_TESTS_TREES_H
#define HYP_TESTS_TREES_H

#include <stdio.h>

/* A complete tree as CHILD<TAB>PARENT lines: branching k, depth d, labels
 * n<i> (n0 the root), into buf (size bytes). */
static inline void tree_text(char *buf, size_t size, unsigned k, unsigned d)
{
    size_t len = 0;
    unsigned count = 1, first = 0;
    buf[0] = '\0';
    for (unsigned level = 0; level < d; level++) {
        unsigned next = first + count;
        for (unsigned i = 0; i < count; i++)
            for (unsigned j = 0; j < k; j++)
                len += (size_t)snprintf(buf + len, size - len, "n%u\tn%u\n",
                                        next + i * k + j, first + i);
        first = next;
        count *= k;
    }
}

#endif
