/*
 * fuzz_log.c — the change-log record decoder (store/log.c: log_decode), which
 * `hyperstore log`, verify and replay run on every record a store file
 * holds, followed by ops_check on the kept operations as verify does.
 *
 * Input: byte 0 picks the point size ops_check assumes; the rest is the
 * record.  Properties of an accepted record:
 *   - the kept operations are exactly the record's tail (pointer and length
 *     inside the input, ending at its end);
 *   - the note handed back is a C string no longer than the stored one;
 *   - re-encoding the decoded fields with the layout documented in log.c
 *     (an independent encoder, below) gives back the input, whenever the
 *     note survives the decode intact (no NUL byte, under 256 bytes);
 *   - ops_check stops inside the tail and counts at most one op per 4 bytes (type, length, a
 *     non-empty label).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "store_internal.h"

/* The record as log.c's header comment specifies it. */
static size_t encode(const hyp_log_entry *e, const char *note, size_t note_len,
                     const unsigned char *ops, size_t ops_len, unsigned char *out)
{
    unsigned char *p = out;
    put_le32(p, 1);
    put_le64(p + 4, e->seq);
    put_le64(p + 12, e->inserted);
    put_le64(p + 20, e->updated);
    put_le64(p + 28, e->deleted);
    put_le64(p + 36, e->edges_added);
    put_le64(p + 44, e->edges_deleted);
    put_le64(p + 52, e->count);
    memcpy(p + 60, e->hash, HYP_HASH_SIZE);
    p += 60 + HYP_HASH_SIZE;
    put_le16(p, (unsigned)note_len);
    memcpy(p + 2, note, note_len);
    p += 2 + note_len;
    put_le64(p, e->ops);
    put_le64(p + 8, ops_len);
    memcpy(p + 16, ops, ops_len);
    return (size_t)(p + 16 + ops_len - out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t point_bytes[4] = { 16, 24, 8, 48 };
    if (size < 1)
        return 0;
    size_t pb = point_bytes[data[0] % 4];
    /* A private copy: LMDB hands the decoder a value of exactly this size,
     * and ASan then sees any read past its end. */
    unsigned char *rec = malloc(size - 1 ? size - 1 : 1);
    if (rec == NULL)
        return 0;
    memcpy(rec, data + 1, size - 1);
    MDB_val v = { size - 1, rec };

    hyp_log_entry e;
    char note[256];
    const unsigned char *ops = NULL;
    size_t ops_len = 0;
    int rc = log_decode(&v, &e, note, sizeof note, &ops, &ops_len);
    if (getenv("FUZZ_VERBOSE")) /* to see where the seeds go */
        fprintf(stderr, "log_decode %d\n", rc);
    if (rc == 0) {
        if (ops < rec || ops > rec + v.mv_size || ops_len != (size_t)(rec + v.mv_size - ops))
            abort();
        size_t note_len = strlen(e.note);
        if (e.note != note || note_len >= sizeof note)
            abort();
        size_t stored = get_le16(rec + 60 + HYP_HASH_SIZE);
        if (note_len > stored)
            abort();
        if (e.ops_kept != (ops_len > 0 || e.ops == 0))
            abort();
        if (note_len == stored) {
            unsigned char *again = malloc(v.mv_size);
            if (again == NULL)
                abort();
            size_t n = encode(&e, note, note_len, ops, ops_len, again);
            if (n != v.mv_size || memcmp(again, rec, n) != 0) {
                fprintf(stderr, "log record does not re-encode to its bytes\n");
                abort();
            }
            free(again);
        }
        uint64_t count;
        if (ops_check(ops, ops_len, pb, &count) == 0 && count > ops_len / 4)
            abort();
    }
    free(rec);
    return 0;
}
