/*
 * fuzz_ixstate.c — the index state record decoder (index/layout.c:
 * ixstate_decode), read from the store's ix_meta database whenever an index
 * is opened.  Properties:
 *   - only a record of exactly IXSTATE_BYTES is accepted;
 *   - an accepted record (index format 1 or 2: 1 is read and upgraded)
 *     satisfies the bounds the graph code relies on
 *     (restated here from index_internal.h and the readers in search.c and
 *     hnsw.c, not taken from the decoder) and re-encodes to the same bytes;
 *   - a refused record of the right size breaks one of those bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "index_internal.h"

static int sane(const ixstate *st)
{
    if (!(st->format >= 1 && st->format <= IX_FORMAT && st->m >= 2 && st->m <= 64 &&
          st->max_level <= IX_MAX_LEVEL &&
          st->nblocks <= ((uint64_t)1 << 32) / IX_BLOCK_SLOTS)) /* ids fit a u32 */
        return 0;
    /* The entry point and every node are ids inside the blocks written:
     * search and insert use (uint32_t)entry. */
    uint64_t ids = st->nblocks * IX_BLOCK_SLOTS;
    return st->count <= ids &&
           (st->entry == UINT64_MAX || (st->entry < ids && st->entry < IX_NONE));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *rec = malloc(size ? size : 1); /* exact size: ASan sees overreads */
    if (rec == NULL)
        return 0;
    memcpy(rec, data, size);
    ixstate st;
    int rc = ixstate_decode(rec, size, &st);
    if (rc == 0) {
        unsigned char again[IXSTATE_BYTES];
        if (size != IXSTATE_BYTES || !sane(&st))
            abort();
        ixstate_encode(&st, again);
        if (memcmp(again, rec, IXSTATE_BYTES) != 0)
            abort();
    } else if (size == IXSTATE_BYTES && sane(&st)) {
        abort();
    }
    free(rec);
    return 0;
}
