/*
 * meta.c — the metadata database: what a store is (format version, model,
 * dimension, representation, curvature, log mode) and its counters (next id,
 * last sequence number and hash).  Every value is little-endian.
 *
 * The format version is checked before anything else is read, so that a
 * store written by a newer library is refused with a message naming both
 * versions instead of being misread.
 */
#include <math.h>
#include <stdio.h>

#include "store_internal.h"

static MDB_val key_of(const char *key)
{
    MDB_val k = { strlen(key), (void *)key };
    return k;
}

int meta_get_bytes(hyp_store *s, MDB_txn *txn, const char *key, MDB_val *v)
{
    MDB_val k = key_of(key);
    int rc = mdb_get(txn, s->dbi[DB_META], &k, v);
    if (rc == MDB_NOTFOUND)
        return HYP_ENOTFOUND;
    return store_lmdb_error(s, rc, "reading metadata");
}

int meta_put_bytes(hyp_store *s, MDB_txn *txn, const char *key, const void *v, size_t len)
{
    MDB_val k = key_of(key);
    MDB_val d = { len, (void *)v };
    return store_lmdb_error(s, mdb_put(txn, s->dbi[DB_META], &k, &d, 0), "writing metadata");
}

int meta_put_u64(hyp_store *s, MDB_txn *txn, const char *key, uint64_t v)
{
    unsigned char b[8];
    put_le64(b, v);
    return meta_put_bytes(s, txn, key, b, 8);
}

int meta_put_u32(hyp_store *s, MDB_txn *txn, const char *key, uint32_t v)
{
    unsigned char b[4];
    put_le32(b, v);
    return meta_put_bytes(s, txn, key, b, 4);
}

int meta_get_u64(hyp_store *s, MDB_txn *txn, const char *key, uint64_t *v)
{
    MDB_val d;
    int rc = meta_get_bytes(s, txn, key, &d);
    if (rc == HYP_ENOTFOUND)
        return store_fail(s, HYP_ECORRUPT, "metadata '%s' missing", key);
    if (rc != HYP_OK)
        return rc;
    if (d.mv_size != 8)
        return store_fail(s, HYP_ECORRUPT, "metadata '%s' has %zu bytes, expected 8", key,
                          d.mv_size);
    *v = get_le64(d.mv_data);
    return HYP_OK;
}

static int meta_get_u32(hyp_store *s, MDB_txn *txn, const char *key, uint32_t *v)
{
    MDB_val d;
    int rc = meta_get_bytes(s, txn, key, &d);
    if (rc == HYP_ENOTFOUND)
        return store_fail(s, HYP_ECORRUPT, "metadata '%s' missing", key);
    if (rc != HYP_OK)
        return rc;
    if (d.mv_size != 4)
        return store_fail(s, HYP_ECORRUPT, "metadata '%s' has %zu bytes, expected 4", key,
                          d.mv_size);
    *v = get_le32(d.mv_data);
    return HYP_OK;
}

int meta_init(hyp_store *s, MDB_txn *txn)
{
    unsigned char c[8], hash[HYP_HASH_SIZE];
    uint64_t bits;
    int rc;

    memcpy(&bits, &s->curvature, 8);
    put_le64(c, bits);
    if ((rc = meta_put_bytes(s, txn, META_MAGIC, STORE_MAGIC, strlen(STORE_MAGIC))) ||
        (rc = meta_put_u32(s, txn, META_VERSION, HYP_STORE_FORMAT_VERSION)) ||
        (rc = meta_put_u32(s, txn, META_MODEL, (uint32_t)s->model)) ||
        (rc = meta_put_u32(s, txn, META_DIM, (uint32_t)s->dim)) ||
        (rc = meta_put_u32(s, txn, META_REPR, (uint32_t)s->repr)) ||
        (rc = meta_put_u32(s, txn, META_REPR_BITS, repr_fraction_bits(s->repr, s->model))) ||
        (rc = meta_put_bytes(s, txn, META_CURVATURE, c, 8)) ||
        (rc = meta_put_u32(s, txn, META_LOG_MODE, (uint32_t)s->log_mode)) ||
        (rc = meta_put_u64(s, txn, META_NEXT_ID, 0)) ||
        (rc = meta_put_u64(s, txn, META_LAST_SEQ, 0)))
        return rc;
    /* The empty store's hash, so that info and verify need no special case. */
    if ((rc = state_hash_stored(s, txn, hash)) != HYP_OK)
        return rc;
    return meta_put_bytes(s, txn, META_LAST_HASH, hash, HYP_HASH_SIZE);
}

int meta_load(hyp_store *s, MDB_txn *txn)
{
    MDB_val v;
    uint32_t version, model, dim, repr, bits, log_mode;
    int rc;

    rc = meta_get_bytes(s, txn, META_MAGIC, &v);
    if (rc == HYP_ENOTFOUND || (rc == HYP_OK && (v.mv_size != strlen(STORE_MAGIC) ||
                                                 memcmp(v.mv_data, STORE_MAGIC, v.mv_size))))
        return store_fail(s, HYP_ENOTSTORE, "no hyperstore magic in the metadata");
    if (rc != HYP_OK)
        return rc;
    if ((rc = meta_get_u32(s, txn, META_VERSION, &version)) != HYP_OK)
        return rc;
    if (version > HYP_STORE_FORMAT_VERSION)
        return store_fail(s, HYP_EVERSION,
                          "store format version %u is newer than this library supports (%d): "
                          "upgrade hyperstore to open it",
                          (unsigned)version, HYP_STORE_FORMAT_VERSION);
    if (version == 1)
        return store_fail(s, HYP_EVERSION,
                          "store format version 1 is older than this library's (%d), whose "
                          "state hash is kept incrementally: export the store with the "
                          "hyperstore that wrote it and import it again",
                          HYP_STORE_FORMAT_VERSION);
    if (version != HYP_STORE_FORMAT_VERSION)
        return store_fail(s, HYP_EVERSION, "store format version %u is unknown (this library: %d)",
                          (unsigned)version, HYP_STORE_FORMAT_VERSION);
    if ((rc = meta_get_u32(s, txn, META_MODEL, &model)) ||
        (rc = meta_get_u32(s, txn, META_DIM, &dim)) ||
        (rc = meta_get_u32(s, txn, META_REPR, &repr)) ||
        (rc = meta_get_u32(s, txn, META_REPR_BITS, &bits)) ||
        (rc = meta_get_u32(s, txn, META_LOG_MODE, &log_mode)))
        return rc;
    if (hyp_model_name((hyp_model)model) == NULL)
        return store_fail(s, HYP_ECORRUPT, "metadata: unknown model %u", (unsigned)model);
    if (dim < 1 || dim > HYP_DIM_MAX)
        return store_fail(s, HYP_ECORRUPT, "metadata: dimension %u out of range", (unsigned)dim);
    if (hyp_repr_name((hyp_repr)repr) == NULL)
        return store_fail(s, HYP_EREPR, "metadata: unknown representation %u", (unsigned)repr);
    if (!repr_supported((hyp_repr)repr, (hyp_model)model))
        return store_fail(s, HYP_EREPR, "representation %s is not supported for model %s",
                          hyp_repr_name((hyp_repr)repr), hyp_model_name((hyp_model)model));
    if (bits != repr_fraction_bits((hyp_repr)repr, (hyp_model)model))
        return store_fail(s, HYP_ECORRUPT, "metadata: %u fraction bits for %s (expected %u)",
                          (unsigned)bits, hyp_repr_name((hyp_repr)repr),
                          repr_fraction_bits((hyp_repr)repr, (hyp_model)model));
    if (log_mode > HYP_LOG_FULL)
        return store_fail(s, HYP_ECORRUPT, "metadata: unknown log mode %u", (unsigned)log_mode);
    if ((rc = meta_get_bytes(s, txn, META_CURVATURE, &v)) != HYP_OK)
        return rc == HYP_ENOTFOUND ? store_fail(s, HYP_ECORRUPT, "metadata: curvature missing")
                                   : rc;
    if (v.mv_size != 8)
        return store_fail(s, HYP_ECORRUPT, "metadata: curvature has %zu bytes", v.mv_size);
    uint64_t cbits = get_le64(v.mv_data);
    double c;
    memcpy(&c, &cbits, 8);
    if (!(c < 0) || !isfinite(c))
        return store_fail(s, HYP_ECORRUPT, "metadata: curvature %g is not negative", c);
    /* The extension whose derived data the store holds (store_ext.h). */
    s->ext_recorded[0] = '\0';
    if ((rc = meta_get_bytes(s, txn, META_EXT, &v)) == HYP_OK) {
        if (v.mv_size == 0 || v.mv_size >= sizeof s->ext_recorded)
            return store_fail(s, HYP_ECORRUPT, "metadata: extension name of %zu bytes",
                              v.mv_size);
        memcpy(s->ext_recorded, v.mv_data, v.mv_size);
        s->ext_recorded[v.mv_size] = '\0';
    } else if (rc != HYP_ENOTFOUND) {
        return rc;
    }
    s->model = (hyp_model)model;
    s->dim = dim;
    s->width = hyp_model_width(s->model, dim);
    s->repr = (hyp_repr)repr;
    s->point_bytes = repr_point_bytes(s->repr, s->model, dim);
    s->curvature = c;
    s->log_mode = (hyp_log_mode)log_mode;
    return HYP_OK;
}
