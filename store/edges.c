/*
 * edges.c — hierarchy edges child -> parent inside a batch.
 *
 * Each edge is stored twice, parents[child] and children[parent] (sorted
 * duplicate lists of 8-byte big-endian ids), so that both directions are one
 * cursor walk.  The hierarchy stays a DAG: an edge child -> parent is refused
 * when child is parent itself or one of parent's ancestors, found by a
 * depth-first walk up from parent.  That walk costs the number of ancestors
 * of parent (dozens in WordNet), not the size of the store.
 */
#include <stdlib.h>

#include "store_internal.h"

/* The seen-set of the walk: open addressing on id + 1 (0 marks a free slot). */
static int seen_insert(hyp_batch *b, uint64_t id, size_t *used)
{
    if ((*used + 1) * 2 > b->seen_cap) {
        size_t cap = b->seen_cap ? b->seen_cap * 2 : 256;
        uint64_t *t = calloc(cap, sizeof *t);
        if (t == NULL)
            return -1;
        for (size_t i = 0; i < b->seen_cap; i++) {
            if (b->seen[i] == 0)
                continue;
            size_t j = (size_t)(b->seen[i] * 0x9e3779b97f4a7c15u) & (cap - 1);
            while (t[j] != 0)
                j = (j + 1) & (cap - 1);
            t[j] = b->seen[i];
        }
        free(b->seen);
        b->seen = t;
        b->seen_cap = cap;
    }
    uint64_t v = id + 1;
    size_t j = (size_t)(v * 0x9e3779b97f4a7c15u) & (b->seen_cap - 1);
    while (b->seen[j] != 0) {
        if (b->seen[j] == v)
            return 0; /* already there */
        j = (j + 1) & (b->seen_cap - 1);
    }
    b->seen[j] = v;
    (*used)++;
    return 1;
}

static int push(hyp_batch *b, size_t *top, uint64_t id)
{
    if (*top == b->stack_cap) {
        size_t cap = b->stack_cap ? b->stack_cap * 2 : 64;
        uint64_t *t = realloc(b->stack, cap * sizeof *t);
        if (t == NULL)
            return -1;
        b->stack = t;
        b->stack_cap = cap;
    }
    b->stack[(*top)++] = id;
    return 0;
}

/* Is target reachable from start by following parent links (start included)? */
static int reaches(hyp_batch *b, uint64_t start, uint64_t target, int *found)
{
    hyp_store *s = b->s;
    size_t top = 0, used = 0;
    MDB_cursor *c;
    int rc;

    *found = 0;
    if (b->seen_cap)
        memset(b->seen, 0, b->seen_cap * sizeof *b->seen);
    if (push(b, &top, start) != 0 || seen_insert(b, start, &used) < 0)
        return ENOMEM;
    rc = mdb_cursor_open(b->txn, s->dbi[DB_PARENTS], &c);
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_cursor_open");
    while (top > 0 && !*found) {
        uint64_t id = b->stack[--top];
        unsigned char key[8];
        MDB_val k = { 8, key }, v;

        if (id == target) {
            *found = 1;
            break;
        }
        put_be64(key, id);
        rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY);
        while (rc == MDB_SUCCESS) {
            uint64_t p = get_be64(v.mv_data);
            int fresh = seen_insert(b, p, &used);
            if (fresh < 0 || (fresh && push(b, &top, p) != 0)) {
                mdb_cursor_close(c);
                return ENOMEM;
            }
            rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP);
        }
        if (rc != MDB_NOTFOUND) {
            mdb_cursor_close(c);
            return store_lmdb_error(s, rc, "walking parents");
        }
    }
    mdb_cursor_close(c);
    return HYP_OK;
}

static int lookup_pair(hyp_batch *b, const char *child, size_t clen, const char *parent,
                       size_t plen, uint64_t *cid, uint64_t *pid)
{
    int rc = hyp_label_check(child, clen);
    if (rc == HYP_OK)
        rc = hyp_label_check(parent, plen);
    if (rc == HYP_OK)
        rc = store_find(b->s, b->txn, child, clen, cid);
    if (rc == HYP_OK)
        rc = store_find(b->s, b->txn, parent, plen, pid);
    return rc;
}

int op_edge_add(hyp_batch *b, const char *child, size_t clen, const char *parent,
                size_t plen)
{
    hyp_store *s = b->s;
    uint64_t cid, pid;
    unsigned char ck[8], pk[8];
    MDB_val c = { 8, ck }, p = { 8, pk };
    int found, rc = pending_flush(b);

    if (rc == HYP_OK)
        rc = lookup_pair(b, child, clen, parent, plen, &cid, &pid);
    if (rc != HYP_OK)
        return rc;
    if ((rc = reaches(b, pid, cid, &found)) != HYP_OK)
        return rc;
    if (found)
        return HYP_ECYCLE;
    put_be64(ck, cid);
    put_be64(pk, pid);
    /* The child's record lists its parents: out with its old digest. */
    if ((rc = record_unhash(b, cid)) != HYP_OK)
        return rc;
    rc = mdb_put(b->txn, s->dbi[DB_PARENTS], &c, &p, MDB_NODUPDATA);
    if (rc == MDB_KEYEXIST) /* already there: adding it again changes nothing */
        return record_rehash(b, cid);
    if (rc == MDB_SUCCESS)
        rc = mdb_put(b->txn, s->dbi[DB_CHILDREN], &p, &c, MDB_NODUPDATA);
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "adding an edge");
    if ((rc = record_rehash(b, cid)) != HYP_OK)
        return rc;
    b->counts.edges_added++;
    return HYP_OK;
}

int op_edge_delete(hyp_batch *b, const char *child, size_t clen, const char *parent,
                   size_t plen)
{
    hyp_store *s = b->s;
    uint64_t cid, pid;
    unsigned char ck[8], pk[8];
    MDB_val c = { 8, ck }, p = { 8, pk };
    int rc = pending_flush(b);

    if (rc == HYP_OK)
        rc = lookup_pair(b, child, clen, parent, plen, &cid, &pid);
    if (rc != HYP_OK)
        return rc;
    put_be64(ck, cid);
    put_be64(pk, pid);
    if ((rc = record_unhash(b, cid)) != HYP_OK)
        return rc;
    rc = mdb_del(b->txn, s->dbi[DB_PARENTS], &c, &p);
    if (rc == MDB_NOTFOUND) { /* no such edge: the record is as it was */
        rc = record_rehash(b, cid);
        return rc == HYP_OK ? HYP_ENOTFOUND : rc;
    }
    if (rc == MDB_SUCCESS)
        rc = mdb_del(b->txn, s->dbi[DB_CHILDREN], &p, &c);
    if (rc == MDB_NOTFOUND)
        return store_fail(s, HYP_ECORRUPT, "edge without its mirror");
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "deleting an edge");
    if ((rc = record_rehash(b, cid)) != HYP_OK)
        return rc;
    b->counts.edges_deleted++;
    return HYP_OK;
}
