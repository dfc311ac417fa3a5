/*
 * fuzz_ops.c — the operation-list decoders of store/op.c: ops_check (what
 * verify runs on a full log's kept operations) and ops_apply (the replay
 * decoder: hyp_store_replay feeds it a log record's bytes).  A damaged or
 * hostile store file controls those bytes.
 *
 * Input: byte 0 picks a scratch store (model, representation: different
 * point sizes), the rest is the op stream.  Properties:
 *   - ops_apply succeeding implies ops_check accepts the stream with the
 *     same count: replay never applies what verify calls malformed;
 *   - the ops a successful apply records (b->ops, the batch's own encoding)
 *     are byte for byte the input: decode and re-encode agree;
 *   - a failure is an error code, never a crash or a sanitizer report.
 * The batch is aborted, so the stores keep their three points and one edge.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_scratch.h"
#include "store_internal.h"

static hyp_store *stores[3];

static void seed(hyp_store *s, hyp_model model)
{
    /* Three points exactly representable in every format, one edge, so that
     * deletes, upserts and edge ops find something. */
    static const double spatial[3][2] = { { 0, 0 }, { 0.75, 0 }, { 0, -0.5 } };
    static const double x0[3] = { 1, 1.25, 1.1180339887498949 };
    hyp_batch *b;
    double x[3];
    if (hyp_batch_begin(s, &b) != HYP_OK)
        abort();
    for (int i = 0; i < 3; i++) {
        size_t k = 0;
        if (model == HYP_LORENTZ)
            x[k++] = x0[i];
        x[k++] = spatial[i][0];
        x[k++] = spatial[i][1];
        const char label[2] = { (char)('a' + i), 0 };
        if (hyp_batch_put(b, label, 1, x, 0, NULL) != HYP_OK)
            abort();
    }
    if (hyp_batch_edge_add(b, "b", 1, "a", 1) != HYP_OK || hyp_batch_commit(b, NULL, NULL) != HYP_OK)
        abort();
}

static void setup(void)
{
    static const hyp_store_config cfg[3] = {
        { .model = HYP_POINCARE, .dim = 2, .repr = HYP_REPR_F64, .log_mode = HYP_LOG_FULL },
        { .model = HYP_LORENTZ, .dim = 2, .repr = HYP_REPR_Q32, .log_mode = HYP_LOG_FULL },
        { .model = HYP_EUCLID, .dim = 2, .repr = HYP_REPR_F64, .log_mode = HYP_LOG_FULL },
    };
    for (int i = 0; i < 3; i++) {
        stores[i] = fuzz_scratch_store(&cfg[i]);
        seed(stores[i], cfg[i].model);
    }
}

/* Do the op stream's chunks, concatenated, hold exactly p[0..len)? */
static int same_stream(const op_stream *o, const unsigned char *p, size_t len)
{
    size_t at = 0;
    for (const op_chunk *c = o->head; c; c = c->next) {
        if (c->len > len - at || memcmp(c->data, p + at, c->len) != 0)
            return 0;
        at += c->len;
    }
    return at == len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (stores[0] == NULL)
        setup();
    if (size < 1)
        return 0;
    hyp_store *s = stores[data[0] % 3];
    const unsigned char *ops = data + 1;
    size_t len = size - 1;

    uint64_t count = 0, applied = 0;
    int checked = ops_check(ops, len, s->point_bytes, &count);

    hyp_batch *b;
    if (batch_begin(s, &b) != HYP_OK)
        abort();
    int rc = ops_apply(b, ops, len, &applied);
    if (getenv("FUZZ_VERBOSE")) /* to see where the seeds go */
        fprintf(stderr, "ops_check %d (%llu ops), ops_apply %d: %s\n", checked,
                (unsigned long long)count, rc, hyp_store_errmsg(s));
    if (rc == HYP_OK) {
        if (checked != 0 || applied != count) {
            fprintf(stderr, "ops_apply accepted %llu ops, ops_check says %d (%llu ops)\n",
                    (unsigned long long)applied, checked, (unsigned long long)count);
            abort();
        }
        if (b->nops != applied || b->ops.len != len || !same_stream(&b->ops, ops, len)) {
            fprintf(stderr, "re-encoded ops differ from the input\n");
            abort();
        }
    } else if (rc == MDB_MAP_FULL) {
        abort(); /* 64 MiB cannot fill up from a few KiB of ops */
    }
    if (strlen(hyp_store_errmsg(s)) >= 256)
        abort();
    hyp_batch_abort(b);
    return 0;
}
