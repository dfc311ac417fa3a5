/*
 * crash_index.c — SIGKILL a process while it builds an index or inserts
 * into an indexed store; after every kill the store must open, pass
 * hyp_store_verify, and either have no index or an index that passes
 * hyp_index_verify (the build is one transaction: all or nothing).
 *
 *   crash_index WORKDIR [KILLS]
 * Kill times come from a seeded generator spread over a measured build.
 */
#define _XOPEN_SOURCE 700
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hyp_index.h"
#include "treegen.h"

#define N 8
#define POINTS 6000

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* The child's work: build (or rebuild) the index, then insert more points
 * in small batches through the attached index. */
static int work(const char *path, const double *v, int round)
{
    hyp_store *s;
    hyp_index *ix;
    double x[N + 1];
    if (hyp_store_open(path, 0, &s) != HYP_OK)
        return 1;
    int rc = hyp_index_open(s, &ix);
    if (rc == HYP_ENOINDEX)
        rc = hyp_index_create(s, NULL, &ix);
    else if (rc == HYP_OK)
        rc = hyp_index_rebuild(ix, NULL);
    for (int i = 0; rc == HYP_OK && i < 20; i++) {
        hyp_batch *b;
        if ((rc = hyp_batch_begin(s, &b)) != HYP_OK)
            break;
        for (int j = 0; j < 50; j++) {
            char l[32];
            int p = (i * 50 + j) % POINTS;
            snprintf(l, sizeof l, "r%d-%d", round, i * 50 + j);
            hyp_convert(HYP_EUCLID, HYP_LORENTZ, N, v + p * N, x);
            hyp_batch_put(b, l, strlen(l), x, 0, NULL);
        }
        rc = hyp_batch_commit(b, NULL, NULL);
    }
    hyp_index_close(ix);
    hyp_store_close(s);
    return rc != HYP_OK;
}

static void report(void *ctx, const char *msg)
{
    (void)ctx;
    if (strncmp(msg, "note:", 5) != 0)
        fprintf(stderr, "verify: %s\n", msg);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    int kills = argc > 2 ? atoi(argv[2]) : 12;
    char path[512], cmd[600];
    snprintf(path, sizeof path, "%s/store", argv[1]);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", argv[1], argv[1]);
    if (system(cmd) != 0)
        return 2;
    double *v = malloc(POINTS * N * sizeof *v), x[N + 1];
    treegen_points(77, POINTS, N, 10.0, 6, 1.0, v);
    hyp_store *s;
    hyp_store_config sc = { .model = HYP_LORENTZ, .dim = N, .map_size = 1 << 16 };
    if (hyp_store_create(path, &sc, &s) != HYP_OK)
        return 2;
    hyp_batch *b;
    hyp_batch_begin(s, &b);
    for (int i = 0; i < POINTS; i++) {
        char l[32];
        snprintf(l, sizeof l, "p%d", i);
        hyp_convert(HYP_EUCLID, HYP_LORENTZ, N, v + i * N, x);
        hyp_batch_put(b, l, strlen(l), x, 0, NULL);
    }
    if (hyp_batch_commit(b, NULL, NULL) != HYP_OK)
        return 2;
    hyp_store_close(s);

    /* How long one round takes, unkilled (it also leaves an index). */
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0)
        _exit(work(path, v, 0));
    int st;
    waitpid(pid, &st, 0);
    double span = now() - t0;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "reference round failed\n");
        return 1;
    }
    treegen rng = { 4242 };
    int bad = 0;
    for (int k = 1; k <= kills; k++) {
        double at = span * treegen_uniform(&rng);
        pid = fork();
        if (pid == 0)
            _exit(work(path, v, k));
        struct timespec d = { (time_t)at, (long)((at - (time_t)at) * 1e9) };
        nanosleep(&d, NULL);
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
        hyp_index *ix;
        uint64_t problems = 0;
        if (hyp_store_open(path, 0, &s) != HYP_OK) {
            fprintf(stderr, "kill %d: the store does not open\n", k);
            return 1;
        }
        int rc = hyp_store_verify(s, report, NULL, 10, &problems);
        int irc = hyp_index_open(s, &ix);
        if (irc == HYP_OK) {
            irc = hyp_index_verify(ix, report, NULL, 10, &problems);
            hyp_index_close(ix);
        } else if (irc == HYP_ENOINDEX) {
            irc = HYP_OK;
        }
        printf("kill %d at %.3f s: store %s, index %s\n", k, at, hyp_strerror(rc),
               hyp_strerror(irc));
        bad += rc != HYP_OK || irc != HYP_OK;
        hyp_store_close(s);
    }
    free(v);
    return bad ? 1 : 0;
}
