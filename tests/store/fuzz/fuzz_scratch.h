/*
 * fuzz_scratch.h — scratch stores for the harnesses that need a live LMDB
 * environment (the replay decoder applies ops to a batch; the metadata
 * decoder reads from a transaction).  Each store lives in its own mkdtemp
 * directory under $TMPDIR and is removed at exit; every fuzz input works in
 * a transaction that is aborted, so the stores never change and a crash
 * reproduces from its input alone.
 */
#ifndef HYP_FUZZ_SCRATCH_H
#define HYP_FUZZ_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hyp_store.h"

#define FUZZ_MAX_STORES 8

static char fuzz_dirs[FUZZ_MAX_STORES][256];
static int fuzz_ndirs;

static void fuzz_scratch_cleanup(void)
{
    char path[300];
    for (int i = 0; i < fuzz_ndirs; i++) {
        /* LMDB's two files, then the directory: nothing else is made there. */
        snprintf(path, sizeof path, "%s/data.mdb", fuzz_dirs[i]);
        unlink(path);
        snprintf(path, sizeof path, "%s/lock.mdb", fuzz_dirs[i]);
        unlink(path);
        rmdir(fuzz_dirs[i]);
    }
}

/* Creates a store in a fresh directory; aborts on failure (a harness that
 * cannot set up must not report "no crash"). */
static hyp_store *fuzz_scratch_store(const hyp_store_config *cfg)
{
    const char *tmp = getenv("TMPDIR");
    hyp_store *s = NULL;
    if (fuzz_ndirs == FUZZ_MAX_STORES)
        abort();
    char *dir = fuzz_dirs[fuzz_ndirs];
    snprintf(dir, sizeof fuzz_dirs[0], "%s/hypfuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        perror("fuzz: mkdtemp");
        abort();
    }
    if (fuzz_ndirs++ == 0)
        atexit(fuzz_scratch_cleanup);
    int rc = hyp_store_create(dir, cfg, &s);
    if (rc != HYP_OK) {
        fprintf(stderr, "fuzz: creating a scratch store: %s\n", hyp_store_errmsg(s));
        abort();
    }
    return s;
}

#endif
