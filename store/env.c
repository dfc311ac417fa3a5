/*
 * env.c — the store handle: creating and opening the LMDB environment, the
 * named databases, error mapping, and the transactions every other file uses.
 *
 * The map.  LMDB reserves address space of a fixed size (the map size) and
 * fails a write with MDB_MAP_FULL when the data outgrows it.  We start small
 * and double on demand (batch.c re-applies the batch into the larger map).
 * LMDB may only change the map size while this process has no transaction
 * open on the environment, hence remap_lock: every transaction holds it
 * shared, a resize holds it exclusive.  A map grown by another process shows
 * up as MDB_MAP_RESIZED when a transaction begins; we adopt it the same way.
 */
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "store_ext.h"
#include "store_internal.h"

static const char *const db_names[DB_COUNT] = {
    [DB_META] = "meta",         [DB_POINTS] = "points",     [DB_LABEL2ID] = "label2id",
    [DB_ID2LABEL] = "id2label", [DB_PARENTS] = "parents",   [DB_CHILDREN] = "children",
    [DB_LOG] = "log",           [DB_RECORDS] = "records",   [DB_BUCKETS] = "buckets",
    [DB_GROUPS] = "groups",
};

static const unsigned db_flags[DB_COUNT] = {
    [DB_PARENTS] = MDB_DUPSORT | MDB_DUPFIXED,
    [DB_CHILDREN] = MDB_DUPSORT | MDB_DUPFIXED,
};

int store_fail(hyp_store *s, int err, const char *fmt, ...)
{
    if (s != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->errmsg, sizeof s->errmsg, fmt, ap);
        va_end(ap);
    }
    return err;
}

int store_lmdb_error(hyp_store *s, int rc, const char *what)
{
    switch (rc) {
    case MDB_SUCCESS:
        return HYP_OK;
    case MDB_NOTFOUND:
        return HYP_ENOTFOUND;
    case MDB_MAP_FULL:
        /* Internal only: the batch or create loop grows the map and retries;
         * no public function returns it. */
        return MDB_MAP_FULL;
    case MDB_INVALID:
    case MDB_VERSION_MISMATCH:
        return store_fail(s, HYP_ENOTSTORE, "%s: %s", what, mdb_strerror(rc));
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
        return store_fail(s, HYP_ECORRUPT, "%s: %s", what, mdb_strerror(rc));
    default:
        if (rc > 0) /* an errno value */
            return store_fail(s, rc, "%s: %s", what, strerror(rc));
        return store_fail(s, HYP_ELMDB, "%s: %s", what, mdb_strerror(rc));
    }
}

const char *hyp_store_errmsg(const hyp_store *s)
{
    return s ? s->errmsg : "out of memory";
}

const char *hyp_repr_name(hyp_repr repr)
{
    switch (repr) {
    case HYP_REPR_F64: return "f64";
    case HYP_REPR_Q32: return "q32";
    case HYP_REPR_Q64: return "q64";
    case HYP_REPR_Q128: return "q128";
    }
    return NULL;
}

int hyp_repr_parse(const char *name, hyp_repr *repr)
{
    for (int r = HYP_REPR_F64; r <= HYP_REPR_Q128; r++) {
        if (strcmp(name, hyp_repr_name((hyp_repr)r)) == 0) {
            *repr = (hyp_repr)r;
            return HYP_OK;
        }
    }
    return HYP_EREPR;
}

int store_txn_begin(hyp_store *s, unsigned flags, MDB_txn **txn)
{
    for (;;) {
        pthread_rwlock_rdlock(&s->remap_lock);
        int rc = mdb_txn_begin(s->env, NULL, flags, txn);
        if (rc == MDB_SUCCESS)
            return HYP_OK;
        pthread_rwlock_unlock(&s->remap_lock);
        if (rc != MDB_MAP_RESIZED)
            return store_lmdb_error(s, rc, "mdb_txn_begin");
        /* Another process grew the map: adopt its size, then retry. */
        pthread_rwlock_wrlock(&s->remap_lock);
        rc = mdb_env_set_mapsize(s->env, 0);
        s->map_epoch++;
        pthread_rwlock_unlock(&s->remap_lock);
        if (rc != MDB_SUCCESS)
            return store_lmdb_error(s, rc, "mdb_env_set_mapsize");
    }
}

void store_txn_abort(hyp_store *s, MDB_txn *txn)
{
    mdb_txn_abort(txn);
    pthread_rwlock_unlock(&s->remap_lock);
}

int store_txn_commit(hyp_store *s, MDB_txn *txn)
{
    int rc = mdb_txn_commit(txn); /* frees txn whatever happens */
    pthread_rwlock_unlock(&s->remap_lock);
    if (rc == MDB_MAP_FULL)
        return MDB_MAP_FULL; /* the caller grows and retries */
    return store_lmdb_error(s, rc, "mdb_txn_commit");
}

int store_grow_map(hyp_store *s)
{
    MDB_envinfo info;
    int rc;

    pthread_rwlock_wrlock(&s->remap_lock);
    rc = mdb_env_info(s->env, &info);
    if (rc == MDB_SUCCESS) {
        size_t size = info.me_mapsize;
        if (size > SIZE_MAX / 2)
            rc = MDB_MAP_FULL;
        else
            rc = mdb_env_set_mapsize(s->env, size * 2);
    }
    s->map_epoch++;
    pthread_rwlock_unlock(&s->remap_lock);
    return store_lmdb_error(s, rc, "growing the map");
}

int hyp_store_reserve(hyp_store *s, uint64_t bytes)
{
    MDB_envinfo info;
    MDB_stat st;
    int rc = HYP_OK;

    if (s->flags & HYP_STORE_RDONLY)
        return HYP_OK;
    pthread_mutex_lock(&s->batch_lock);
    if (s->batch_open)
        rc = HYP_EBUSY;
    pthread_mutex_unlock(&s->batch_lock);
    while (rc == HYP_OK) {
        if ((rc = mdb_env_info(s->env, &info)) != MDB_SUCCESS ||
            (rc = mdb_env_stat(s->env, &st)) != MDB_SUCCESS)
            return store_lmdb_error(s, rc, "reading the map size");
        uint64_t used = ((uint64_t)info.me_last_pgno + 1) * st.ms_psize;
        if (info.me_mapsize >= used && info.me_mapsize - used >= bytes)
            break;
        rc = store_grow_map(s);
    }
    return rc;
}

static int store_alloc(unsigned flags, hyp_store **out)
{
    hyp_store *s = calloc(1, sizeof *s);
    *out = s;
    if (s == NULL)
        return ENOMEM;
    s->flags = flags;
    /* Lets libsodium pick its fastest BLAKE2b for this CPU (same digests
     * whichever); idempotent and thread-safe. */
    if (sodium_init() < 0) {
        free(s);
        *out = NULL;
        return ENOMEM;
    }
    if (pthread_rwlock_init(&s->remap_lock, NULL) != 0) {
        free(s);
        *out = NULL;
        return ENOMEM;
    }
    pthread_mutex_init(&s->batch_lock, NULL);
    int rc = mdb_env_create(&s->env);
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_env_create");
    mdb_env_set_maxdbs(s->env, STORE_MAX_DBS);
    return HYP_OK;
}

/* MDB_NOTLS: a read transaction is not tied to its thread, so a hyp_read can
 * move between threads and one thread can hold several. */
static int env_open(hyp_store *s, const char *path)
{
    unsigned flags = MDB_NOTLS;
    int dead = 0;

    if (s->flags & HYP_STORE_RDONLY)
        flags |= MDB_RDONLY;
    if (s->flags & HYP_STORE_SINGLE_FILE)
        flags |= MDB_NOSUBDIR;
    int rc = mdb_env_open(s->env, path, flags, 0644);
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(s, rc, path);
    /* Reader slots of processes that died with a read open would pin old
     * pages forever; clear them. */
    rc = mdb_reader_check(s->env, &dead);
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_reader_check");
    return HYP_OK;
}

static int open_dbs(hyp_store *s, MDB_txn *txn, unsigned create)
{
    for (int i = 0; i < DB_COUNT; i++) {
        int rc = mdb_dbi_open(txn, db_names[i], db_flags[i] | create, &s->dbi[i]);
        if (rc == MDB_NOTFOUND)
            return store_fail(s, HYP_ENOTSTORE, "database '%s' missing", db_names[i]);
        if (rc == MDB_INCOMPATIBLE)
            return store_fail(s, HYP_ENOTSTORE, "database '%s' has the wrong flags",
                              db_names[i]);
        if (rc != MDB_SUCCESS)
            return store_lmdb_error(s, rc, "mdb_dbi_open");
    }
    return HYP_OK;
}

static int check_config(const hyp_store_config *cfg, hyp_store *s)
{
    if (hyp_model_name(cfg->model) == NULL)
        return HYP_EMODEL;
    if (cfg->dim < 1 || cfg->dim > HYP_DIM_MAX)
        return HYP_EDIM;
    hyp_repr repr = cfg->repr ? cfg->repr : HYP_REPR_F64;
    if (hyp_repr_name(repr) == NULL)
        return HYP_EREPR;
    if (!repr_supported(repr, cfg->model))
        return store_fail(s, HYP_EREPR, "representation %s is not available for the %s model "
                          "(fixed formats: poincare and lorentz)",
                          hyp_repr_name(repr), hyp_model_name(cfg->model));
    double c = cfg->curvature == 0 ? -1.0 : cfg->curvature;
    if (!(c < 0) || c < -1e300)
        return HYP_ECURVATURE;
    if (cfg->log_mode != HYP_LOG_HASHES && cfg->log_mode != HYP_LOG_FULL)
        return EINVAL;
    s->model = cfg->model;
    s->dim = cfg->dim;
    s->width = hyp_model_width(cfg->model, cfg->dim);
    s->repr = repr;
    s->point_bytes = repr_point_bytes(repr, cfg->model, cfg->dim);
    s->curvature = c;
    s->log_mode = cfg->log_mode;
    return HYP_OK;
}

/* Is something already at the path where the store would go? */
static int check_create_path(hyp_store *s, const char *path)
{
    struct stat st;

    if (s->flags & HYP_STORE_SINGLE_FILE) {
        if (stat(path, &st) == 0)
            return store_fail(s, HYP_EEXISTS, "'%s' already exists", path);
        return errno == ENOENT ? HYP_OK : store_fail(s, errno, "%s: %s", path, strerror(errno));
    }
    if (mkdir(path, 0755) != 0) {
        if (errno != EEXIST)
            return store_fail(s, errno, "cannot create '%s': %s", path, strerror(errno));
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            return store_fail(s, HYP_EEXISTS, "'%s' exists and is not a directory", path);
    }
    size_t n = strlen(path) + sizeof "/data.mdb";
    char *data = malloc(n);
    if (data == NULL)
        return ENOMEM;
    snprintf(data, n, "%s/data.mdb", path);
    int there = stat(data, &st) == 0;
    free(data);
    if (there)
        return store_fail(s, HYP_EEXISTS, "'%s' already holds a store", path);
    return HYP_OK;
}

int hyp_store_create(const char *path, const hyp_store_config *cfg, hyp_store **out)
{
    hyp_store *s;
    int rc;

    if (out == NULL || path == NULL || cfg == NULL)
        return EINVAL;
    rc = store_alloc(cfg->flags & HYP_STORE_SINGLE_FILE, out);
    s = *out;
    if (rc != HYP_OK)
        return rc;
    if ((rc = check_config(cfg, s)) != HYP_OK)
        return rc;
    if ((rc = check_create_path(s, path)) != HYP_OK)
        return rc;
    rc = mdb_env_set_mapsize(s->env, cfg->map_size ? cfg->map_size : STORE_DEFAULT_MAP);
    if (rc != MDB_SUCCESS)
        return store_lmdb_error(s, rc, "mdb_env_set_mapsize");
    if ((rc = env_open(s, path)) != HYP_OK)
        return rc;

    /* Even the schema may not fit a tiny map: grow and retry. */
    for (;;) {
        MDB_txn *txn;
        if ((rc = store_txn_begin(s, 0, &txn)) != HYP_OK)
            return rc;
        rc = open_dbs(s, txn, MDB_CREATE);
        if (rc == HYP_OK) {
            MDB_val v;
            /* Two creators racing: the second finds the first's metadata. */
            if (meta_get_bytes(s, txn, META_MAGIC, &v) == HYP_OK)
                rc = store_fail(s, HYP_EEXISTS, "'%s' already holds a store", path);
            else
                rc = meta_init(s, txn);
        }
        if (rc == MDB_MAP_FULL) {
            store_txn_abort(s, txn);
            if ((rc = store_grow_map(s)) != HYP_OK)
                return rc;
            continue;
        }
        if (rc != HYP_OK) {
            store_txn_abort(s, txn);
            return rc;
        }
        rc = store_txn_commit(s, txn);
        if (rc == MDB_MAP_FULL) {
            if ((rc = store_grow_map(s)) != HYP_OK)
                return rc;
            continue;
        }
        return rc;
    }
}

int hyp_store_open(const char *path, unsigned flags, hyp_store **out)
{
    struct stat st;
    hyp_store *s;
    MDB_txn *txn;
    int rc;

    if (out == NULL || path == NULL)
        return EINVAL;
    rc = store_alloc(flags & HYP_STORE_RDONLY, out);
    s = *out;
    if (rc != HYP_OK)
        return rc;
    if (stat(path, &st) != 0)
        return store_fail(s, errno, "%s: %s", path, strerror(errno));
    if (S_ISREG(st.st_mode)) {
        s->flags |= HYP_STORE_SINGLE_FILE;
    } else {
        /* Without this check LMDB would create an empty environment in any
         * directory opened read-write. */
        size_t n = strlen(path) + sizeof "/data.mdb";
        char *data = malloc(n);
        if (data == NULL)
            return ENOMEM;
        snprintf(data, n, "%s/data.mdb", path);
        int there = stat(data, &st) == 0;
        free(data);
        if (!there)
            return store_fail(s, HYP_ENOTSTORE, "'%s' holds no store (no data.mdb)", path);
    }
    if ((rc = env_open(s, path)) != HYP_OK)
        return rc;
    if ((rc = store_txn_begin(s, MDB_RDONLY, &txn)) != HYP_OK)
        return rc;
    /* meta first: a missing one means "not ours", not "damaged". */
    rc = mdb_dbi_open(txn, "meta", 0, &s->dbi[DB_META]);
    if (rc == MDB_NOTFOUND || rc == MDB_INCOMPATIBLE)
        rc = store_fail(s, HYP_ENOTSTORE, "'%s' is an LMDB environment but not a hyperstore store",
                        path);
    else if (rc != MDB_SUCCESS)
        rc = store_lmdb_error(s, rc, "mdb_dbi_open");
    else if ((rc = meta_load(s, txn)) == HYP_OK)
        rc = open_dbs(s, txn, 0);
    if (rc != HYP_OK) {
        store_txn_abort(s, txn);
        return rc;
    }
    /* Committing the read makes the database handles usable by every later
     * transaction. */
    rc = store_txn_commit(s, txn);
    return rc == MDB_MAP_FULL ? store_lmdb_error(s, rc, "open") : rc;
}

void hyp_store_close(hyp_store *s)
{
    if (s == NULL)
        return;
    if (s->ext != NULL && s->ext_owned) {
        const struct store_ext *ext = s->ext;
        s->ext_owned = 0;
        ext->on_close(s->ext_ctx);
    }
    if (s->env != NULL)
        mdb_env_close(s->env);
    pthread_rwlock_destroy(&s->remap_lock);
    pthread_mutex_destroy(&s->batch_lock);
    free(s);
}

int hyp_store_get_info(hyp_store *s, hyp_store_info *info)
{
    MDB_txn *txn;
    MDB_stat st;
    MDB_envinfo ei;
    MDB_val v;
    int rc;

    memset(info, 0, sizeof *info);
    info->format_version = HYP_STORE_FORMAT_VERSION;
    info->model = s->model;
    info->dim = s->dim;
    info->width = s->width;
    info->point_bytes = s->point_bytes;
    info->repr = s->repr;
    info->curvature = s->curvature;
    info->log_mode = s->log_mode;
    if ((rc = store_txn_begin(s, MDB_RDONLY, &txn)) != HYP_OK)
        return rc;
    if ((rc = mdb_stat(txn, s->dbi[DB_POINTS], &st)) == MDB_SUCCESS) {
        info->count = st.ms_entries;
        rc = mdb_stat(txn, s->dbi[DB_PARENTS], &st);
        info->edges = st.ms_entries;
    }
    rc = store_lmdb_error(s, rc, "mdb_stat");
    if (rc == HYP_OK)
        rc = meta_get_u64(s, txn, META_NEXT_ID, &info->next_id);
    if (rc == HYP_OK)
        rc = meta_get_u64(s, txn, META_LAST_SEQ, &info->last_seq);
    if (rc == HYP_OK && (rc = meta_get_bytes(s, txn, META_LAST_HASH, &v)) == HYP_OK) {
        if (v.mv_size == HYP_HASH_SIZE)
            memcpy(info->hash, v.mv_data, HYP_HASH_SIZE);
        else
            rc = store_fail(s, HYP_ECORRUPT, "metadata last_hash has %zu bytes", v.mv_size);
    }
    if (rc == HYP_OK) {
        MDB_stat es;
        mdb_env_info(s->env, &ei);
        mdb_env_stat(s->env, &es);
        info->map_size = ei.me_mapsize;
        info->used_bytes = (uint64_t)(ei.me_last_pgno + 1) * es.ms_psize;
    }
    store_txn_abort(s, txn);
    if (rc == HYP_OK) {
        const char *path;
        struct stat fst;
        if (mdb_env_get_path(s->env, &path) == MDB_SUCCESS) {
            if (s->flags & HYP_STORE_SINGLE_FILE) {
                if (stat(path, &fst) == 0)
                    info->file_bytes = (uint64_t)fst.st_size;
            } else {
                size_t n = strlen(path) + sizeof "/data.mdb";
                char *data = malloc(n);
                if (data) {
                    snprintf(data, n, "%s/data.mdb", path);
                    if (stat(data, &fst) == 0)
                        info->file_bytes = (uint64_t)fst.st_size;
                    free(data);
                }
            }
        }
    }
    return rc;
}
