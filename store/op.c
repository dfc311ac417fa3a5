/*
 * op.c — the encoded operation stream.  Every operation a batch applies is
 * appended to b->ops in this form, for two uses: re-applying the batch into
 * a grown map after MDB_MAP_FULL, and (HYP_LOG_FULL) keeping it in the log
 * so that hyp_store_replay can rebuild any version.
 *
 * Encoding, little-endian, one record per operation:
 *   u8 type (enum op_type)
 *   u16 label length, label bytes            (every type)
 *   PUT, UPSERT:      the point as stored (point_bytes bytes)
 *   EDGE_ADD/DELETE:  u16 length, parent label
 * Operations name points by label, never by id, so a replay does not depend
 * on ids (it reproduces them anyway, since ids are assigned in order).
 *
 * The stream lives in chunks that never move (store_internal.h), so it
 * grows without copying what it holds, and the PUT records of new points
 * double as the pending set's copy of their labels and points (pending.c).
 */
#include <stdlib.h>

#include "store_internal.h"

/* Chunks start small (most batches are a few operations) and double up to
 * a size where malloc's cost no longer shows. */
#define OPS_CHUNK_MIN ((size_t)64 << 10)
#define OPS_CHUNK_MAX ((size_t)8 << 20)

/* Room for need bytes at the stream's tail: in the tail chunk, or in a new
 * one (the old tail keeps its unused end).  NULL: no memory. */
static unsigned char *ops_room(op_stream *o, size_t need)
{
    op_chunk *t = o->tail, *c;
    if (t && t->cap - t->len >= need)
        return t->data + t->len;
    size_t cap = t ? (t->cap < OPS_CHUNK_MAX ? t->cap * 2 : t->cap) : OPS_CHUNK_MIN;
    if (cap < need)
        cap = need;
    if ((c = malloc(sizeof *c + cap)) == NULL)
        return NULL;
    c->next = NULL;
    c->len = 0;
    c->cap = cap;
    if (t)
        t->next = c;
    else
        o->head = c;
    o->tail = c;
    return c->data;
}

unsigned char *ops_next_put(hyp_batch *b, size_t n1)
{
    return ops_room(&b->ops, 1 + 2 + n1 + b->s->point_bytes);
}

void ops_free(op_stream *o)
{
    op_chunk *c = o->head;
    while (c) {
        op_chunk *next = c->next;
        free(c);
        c = next;
    }
    *o = (op_stream){ 0 };
}

int ops_record(hyp_batch *b, enum op_type type, const char *l1, size_t n1, const char *l2,
               size_t n2, const unsigned char *coords)
{
    size_t width = b->s->point_bytes;
    size_t need = 1 + 2 + n1 + (l2 ? 2 + n2 : 0) + (coords ? width : 0);
    unsigned char *p;

    /* For a PUT this is the address ops_next_put gave op_put just before. */
    if ((p = ops_room(&b->ops, need)) == NULL)
        return ENOMEM;
    *p++ = (unsigned char)type;
    put_le16(p, (unsigned)n1);
    memcpy(p + 2, l1, n1);
    p += 2 + n1;
    if (l2) {
        put_le16(p, (unsigned)n2);
        memcpy(p + 2, l2, n2);
        p += 2 + n2;
    }
    if (coords)
        memcpy(p, coords, width);
    b->ops.tail->len += need;
    b->ops.len += need;
    b->nops++;
    return HYP_OK;
}

/* Reads a u16-prefixed label at *p, moving *p past it. */
static int take_label(const unsigned char **p, const unsigned char *end, const char **l,
                      size_t *n)
{
    if (end - *p < 2)
        return -1;
    *n = get_le16(*p);
    if ((size_t)(end - *p - 2) < *n)
        return -1;
    *l = (const char *)*p + 2;
    *p += 2 + *n;
    return 0;
}

int ops_apply(hyp_batch *b, const unsigned char *p, size_t len, uint64_t *applied)
{
    *applied = 0;
    if (len == 0) /* p may be NULL: an empty buffer was never allocated */
        return HYP_OK;
    const unsigned char *end = p + len;
    size_t width = b->s->point_bytes;
    int rc = HYP_OK;

    *applied = 0;
    while (p < end) {
        enum op_type type = (enum op_type)*p++;
        const char *l1, *l2 = NULL;
        size_t n1, n2 = 0;
        const unsigned char *coords = NULL;

        if (take_label(&p, end, &l1, &n1) != 0)
            return store_fail(b->s, HYP_ECORRUPT, "truncated operation record");
        switch (type) {
        case OP_PUT:
        case OP_UPSERT:
            if ((size_t)(end - p) < width)
                return store_fail(b->s, HYP_ECORRUPT, "truncated operation record");
            coords = p;
            p += width;
            rc = op_put(b, l1, n1, coords, type == OP_UPSERT, NULL);
            break;
        case OP_DELETE:
            rc = op_delete(b, l1, n1);
            break;
        case OP_EDGE_ADD:
        case OP_EDGE_DELETE:
            if (take_label(&p, end, &l2, &n2) != 0)
                return store_fail(b->s, HYP_ECORRUPT, "truncated operation record");
            rc = type == OP_EDGE_ADD ? op_edge_add(b, l1, n1, l2, n2)
                                     : op_edge_delete(b, l1, n1, l2, n2);
            break;
        default:
            return store_fail(b->s, HYP_ECORRUPT, "unknown operation type %d", (int)type);
        }
        if (rc != HYP_OK)
            return rc;
        if ((rc = ops_record(b, type, l1, n1, l2, n2, coords)) != HYP_OK)
            return rc;
        (*applied)++;
    }
    return HYP_OK;
}

int ops_check(const unsigned char *p, size_t len, size_t point_bytes, uint64_t *count)
{
    const char *l;
    size_t n;

    *count = 0;
    if (len == 0)
        return 0;
    const unsigned char *end = p + len;
    while (p < end) {
        enum op_type type = (enum op_type)*p++;
        if (take_label(&p, end, &l, &n) != 0 || hyp_label_check(l, n) != HYP_OK)
            return -1;
        if (type == OP_PUT || type == OP_UPSERT) {
            if ((size_t)(end - p) < point_bytes)
                return -1;
            p += point_bytes;
        } else if (type == OP_EDGE_ADD || type == OP_EDGE_DELETE) {
            if (take_label(&p, end, &l, &n) != 0 || hyp_label_check(l, n) != HYP_OK)
                return -1;
        } else if (type != OP_DELETE) {
            return -1;
        }
        (*count)++;
    }
    return 0;
}
