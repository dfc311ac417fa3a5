/*
 * hyp_error.h — the one error space of libhyperstore.
 *
 * Every function that can fail returns an int: 0 (HYP_OK) on success, a
 * library code from the reserved negative band [HYP_ERR_FIRST, HYP_ERR_LAST)
 * on a library-detected failure, or a positive errno value passed through
 * from the operating system.  Later layers (store/, index/) add their codes to
 * this same band, never a second error space.  hyp_strerror() names them all.
 */
#ifndef HYP_ERROR_H
#define HYP_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(HYP_BUILDING_LIBRARY) && defined(__GNUC__)
#define HYP_EXPORT __attribute__((visibility("default")))
#else
#define HYP_EXPORT
#endif

#define HYP_OK 0

/* Library codes: a reserved negative band, as LMDB's MDB_KEYEXIST..MDB_LAST_ERRCODE. */
enum hyp_error {
    HYP_ERR_FIRST = -31000,
    HYP_EDIM = HYP_ERR_FIRST, /* dimension is 0 or above HYP_DIM_MAX */
    HYP_EMODEL,               /* unknown model */
    HYP_ENONFINITE,           /* a coordinate is NaN or infinite */
    HYP_EOUTSIDE,             /* Poincaré: |x| > 1, not a point of the ball */
    HYP_EBOUNDARY,            /* Poincaré: |x| = 1 exactly, an ideal point at infinite distance */
    HYP_ERADIUS,              /* Euclid: |v| above HYP_EUCLID_RADIUS_MAX */
    HYP_ELORENTZ_X0,          /* Lorentz: x0 disagrees with sqrt(1 + |x_s|^2) */
    HYP_ERANGE,               /* the result is not representable in the output model
                                 (a Poincaré point that would round onto the boundary) */
    /* store/ (hyp_store.h) */
    HYP_ENOTSTORE,            /* the path is not a hyperstore store */
    HYP_EVERSION,             /* the store's format version is unknown or newer than this library */
    HYP_EREPR,                /* representation unknown or not supported by this build */
    HYP_ECURVATURE,           /* curvature not finite and negative */
    HYP_ELABEL_LEN,           /* label empty or longer than HYP_LABEL_MAX bytes */
    HYP_ELABEL_UTF8,          /* label not valid UTF-8, or holds a control character */
    HYP_EEXISTS,              /* the label (or store) already exists */
    HYP_ENOTFOUND,            /* no such label, id, edge or log entry */
    HYP_ECYCLE,               /* the edge would make the hierarchy cyclic */
    HYP_EREADONLY,            /* write to a store opened read-only */
    HYP_EBUSY,                /* a batch is already open on this handle */
    HYP_ECORRUPT,             /* the store breaks one of its invariants */
    HYP_ELMDB,                /* LMDB failed; hyp_store_errmsg() has its message */
    HYP_ECONFLICT,            /* another writer changed the store while a batch regrew the map */
    HYP_ENOLOG,               /* replay needs a store created with the full log */
    /* fixed point (hyp_fixed.h) */
    HYP_EFIXED_RANGE,         /* the rounded point is not in the fixed-point format (onto or
                                 past the Poincaré boundary, or beyond the largest word) */
    HYP_EFIXED_WORD,          /* a fixed-point word outside its range (see hyp_fixed_check) */
    HYP_EUNDECIDED,           /* exact comparison undecided at the highest precision (Euclid
                                 fixed point: distances within 2^-4000 relative, not tied) */
    /* index/ (hyp_index.h) */
    HYP_ENOINDEX,             /* the store has no index (hyperstore index STORE builds one) */
    HYP_ENEEDINDEX,           /* the store has an index: write through a handle with it
                                 attached (hyp_index_open), so that it stays in step */
    HYP_EINDEX_LIMIT,         /* the index holds ids below 2^32 only */
    HYP_ERR_LAST              /* sentinel: not an error */
};

/*
 * hyp_strerror — a static English message for any code this library returns
 * (0, a library code, or an errno value).  Never NULL; the string lives forever.
 */
HYP_EXPORT const char *hyp_strerror(int err);

#ifdef __cplusplus
}
#endif
#endif
