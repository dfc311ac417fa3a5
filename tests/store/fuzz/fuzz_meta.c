/*
 * fuzz_meta.c — the metadata decoder (store/meta.c: meta_load), which every
 * hyp_store_open and verify run on the metadata database of a store file.
 *
 * Input: byte 0, bit 0: start from an empty metadata database (else from a
 * valid store's); then records "u8 key length, key, u8 value length, value",
 * each put into the database (value length 255: the key is deleted).  It
 * all happens in a write transaction that is aborted.  Properties:
 *   - an accepted store is one this library can work with: known model,
 *     dimension 1..HYP_DIM_MAX, a representation supported for the model,
 *     negative finite curvature, a known log mode, and the derived sizes
 *     (width, point bytes) those imply;
 *   - what was accepted is what the database holds (re-read independently
 *     here: model, dim, repr, log mode, curvature bits);
 *   - a refusal leaves a message.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_scratch.h"
#include "store_internal.h"

static hyp_store *store;

/* The little-endian u32 at key, or UINT64_MAX if absent or not 4 bytes. */
static uint64_t raw_u32(MDB_txn *txn, const char *key)
{
    MDB_val k = { strlen(key), (void *)key }, v;
    if (mdb_get(txn, store->dbi[DB_META], &k, &v) != MDB_SUCCESS || v.mv_size != 4)
        return UINT64_MAX;
    return get_le32(v.mv_data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (store == NULL) {
        hyp_store_config cfg = { .model = HYP_LORENTZ, .dim = 3, .repr = HYP_REPR_Q64 };
        store = fuzz_scratch_store(&cfg);
    }
    if (size < 1)
        return 0;
    MDB_txn *txn;
    if (store_txn_begin(store, 0, &txn) != HYP_OK)
        abort();
    MDB_dbi dbi = store->dbi[DB_META];
    if ((data[0] & 1) && mdb_drop(txn, dbi, 0) != MDB_SUCCESS)
        abort();
    size_t i = 1;
    while (i < size) {
        size_t klen = data[i++];
        if (size - i < klen + 1)
            break;
        MDB_val k = { klen, (void *)(data + i) };
        i += klen;
        size_t vlen = data[i++];
        if (vlen == 255) {
            if (klen > 0)
                mdb_del(txn, dbi, &k, NULL);
            continue;
        }
        if (size - i < vlen)
            break;
        MDB_val v = { vlen, (void *)(data + i) };
        i += vlen;
        if (klen > 0) /* LMDB refuses empty keys; nothing to learn there */
            mdb_put(txn, dbi, &k, &v, 0);
    }

    hyp_store copy = *store; /* as verify does: meta_load writes what it reads */
    copy.errmsg[0] = '\0';
    int rc = meta_load(&copy, txn);
    if (getenv("FUZZ_VERBOSE")) /* to see where the seeds go */
        fprintf(stderr, "meta_load %d: %s\n", rc, copy.errmsg);
    if (rc == HYP_OK) {
        if (hyp_model_name(copy.model) == NULL || copy.dim < 1 || copy.dim > HYP_DIM_MAX ||
            !repr_supported(copy.repr, copy.model) || copy.log_mode > HYP_LOG_FULL ||
            !(copy.curvature < 0) || !isfinite(copy.curvature) ||
            copy.width != hyp_model_width(copy.model, copy.dim) ||
            copy.point_bytes != repr_point_bytes(copy.repr, copy.model, copy.dim) ||
            copy.point_bytes == 0)
            abort();
        if (raw_u32(txn, META_MODEL) != (uint64_t)copy.model ||
            raw_u32(txn, META_DIM) != copy.dim || raw_u32(txn, META_REPR) != (uint64_t)copy.repr ||
            raw_u32(txn, META_LOG_MODE) != (uint64_t)copy.log_mode)
            abort();
        MDB_val k = { strlen(META_CURVATURE), META_CURVATURE }, v;
        if (mdb_get(txn, dbi, &k, &v) != MDB_SUCCESS || v.mv_size != 8)
            abort();
        uint64_t bits = get_le64(v.mv_data), have;
        memcpy(&have, &copy.curvature, 8);
        if (bits != have)
            abort();
        if (strlen(copy.ext_recorded) >= sizeof copy.ext_recorded)
            abort();
    } else if (copy.errmsg[0] == '\0' || strlen(copy.errmsg) >= sizeof copy.errmsg) {
        fprintf(stderr, "meta_load refused (%d) without a message\n", rc);
        abort();
    }
    store_txn_abort(store, txn);
    return 0;
}
