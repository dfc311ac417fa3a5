/*
 * crash_test.c — SIGKILL an importer at random moments; after every kill the
 * store must open, verify, and hold exactly the batches committed before the
 * kill: its last sequence number s, point count and recomputed state hash
 * must equal those a reference import (never killed) logged at s.
 *
 *   crash_test HYPERSTORE WORKDIR [KILLS]
 *
 * The importer is the real CLI (`hyperstore import --batch-size`), started
 * on a store with a 16 KiB initial map so kills also land in map growth.
 * The kill times come from a seeded generator (reproducible), spread over
 * the duration of the reference import.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hyp_store.h"

#define POINTS 3000
#define BATCH 100
#define BATCHES (POINTS / BATCH)

static const char *cli;
static char work[512];
static unsigned char ref_hash[BATCHES + 1][HYP_HASH_SIZE];
static uint64_t ref_count[BATCHES + 1];

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* splitmix64: a specified, seeded generator. */
static uint64_t rng_state = 0x1234567u;
static uint64_t rng(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int run_wait(char *const argv[])
{
    fflush(NULL); /* no buffered output duplicated into the child */
    pid_t pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        execv(argv[0], argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int init_store(const char *path)
{
    char *argv[] = { (char *)cli, "init", (char *)path, "--model", "poincare", "--dim", "3",
                     "--map-size", "16384", NULL };
    return run_wait(argv);
}

static pid_t start_import(const char *path, const char *input)
{
    fflush(NULL); /* no buffered output duplicated into the child */
    pid_t pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        execl(cli, cli, "import", path, input, "--batch-size", "100", (char *)NULL);
        _exit(127);
    }
    return pid;
}

static int log_cb(void *ctx, const hyp_log_entry *e)
{
    (void)ctx;
    if (e->seq <= BATCHES) {
        memcpy(ref_hash[e->seq], e->hash, HYP_HASH_SIZE);
        ref_count[e->seq] = e->count;
    }
    return 0;
}

static void rm_rf(const char *path)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", path);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: crash_test HYPERSTORE WORKDIR [KILLS]\n");
        return 2;
    }
    cli = argv[1];
    snprintf(work, sizeof work, "%s", argv[2]);
    int kills = argc > 3 ? atoi(argv[3]) : 40;
    char input[600], ref[600], victim[600];
    mkdir(work, 0755);
    snprintf(input, sizeof input, "%s/input.tsv", work);
    snprintf(ref, sizeof ref, "%s/ref", work);
    snprintf(victim, sizeof victim, "%s/victim", work);

    FILE *f = fopen(input, "w");
    if (f == NULL)
        return 2;
    for (int i = 0; i < POINTS; i++)
        fprintf(f, "p%05d\t%.17g\t%.17g\t%.17g\n", i, ((i * 37) % 101) / 250.0,
                ((i * 53) % 97) / 250.0 - 0.2, ((i * 11) % 89) / 300.0);
    fclose(f);

    /* Reference: the same import, never killed. */
    rm_rf(ref);
    if (init_store(ref) != 0)
        return 2;
    double t0 = now();
    pid_t pid = start_import(ref, input);
    int st;
    waitpid(pid, &st, 0);
    double span = now() - t0;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "reference import failed\n");
        return 1;
    }
    hyp_store *s;
    if (hyp_store_open(ref, HYP_STORE_RDONLY, &s) != HYP_OK)
        return 1;
    hyp_store_info info;
    hyp_store_get_info(s, &info);
    if (info.last_seq != BATCHES || info.count != POINTS) {
        fprintf(stderr, "reference: %llu batches, %llu points\n",
                (unsigned long long)info.last_seq, (unsigned long long)info.count);
        return 1;
    }
    hyp_store_log(s, 0, 0, log_cb, NULL);
    hyp_store_close(s);
    /* The empty store's hash, for a kill before the first commit. */
    rm_rf(victim);
    init_store(victim);
    hyp_store_open(victim, HYP_STORE_RDONLY, &s);
    hyp_store_hash(s, ref_hash[0]);
    hyp_store_close(s);
    printf("reference import: %d batches in %.3f s\n", BATCHES, span);

    int failures = 0, mid = 0;
    for (int k = 0; k < kills; k++) {
        rm_rf(victim);
        if (init_store(victim) != 0)
            return 2;
        /* Up to 1.2 times the reference duration: some kills land after the end. */
        unsigned delay = (unsigned)((double)(rng() % 1000000) / 1e6 * span * 1.2 * 1e6);
        pid = start_import(victim, input);
        struct timespec ts = { delay / 1000000, (long)(delay % 1000000) * 1000 };
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);

        int rc = hyp_store_open(victim, 0, &s);
        if (rc != HYP_OK) {
            printf("kill %d: open failed: %s (%s)\n", k, hyp_strerror(rc), hyp_store_errmsg(s));
            failures++;
            hyp_store_close(s);
            continue;
        }
        uint64_t problems = 0;
        unsigned char h[HYP_HASH_SIZE];
        rc = hyp_store_verify(s, NULL, NULL, 0, &problems);
        hyp_store_get_info(s, &info);
        hyp_store_hash(s, h);
        uint64_t seq = info.last_seq;
        int bad = rc != HYP_OK || seq > BATCHES || info.count != ref_count[seq] ||
                  info.count != seq * BATCH || memcmp(h, ref_hash[seq], HYP_HASH_SIZE) != 0;
        if (bad) {
            printf("kill %d after %u us: verify %s (%llu problems), seq %llu, count %llu: "
                   "not the reference state\n",
                   k, (unsigned)delay, hyp_strerror(rc), (unsigned long long)problems,
                   (unsigned long long)seq, (unsigned long long)info.count);
            failures++;
        }
        if (seq > 0 && seq < BATCHES)
            mid++;
        /* The store stays usable: a writer after the crash commits normally. */
        hyp_batch *b;
        double x[3] = { 0, 0, 0.5 };
        if (hyp_batch_begin(s, &b) != HYP_OK || hyp_batch_put(b, "after", 5, x, 0, NULL) != HYP_OK ||
            hyp_batch_commit(b, NULL, NULL) != HYP_OK) {
            printf("kill %d: cannot write after the crash\n", k);
            failures++;
        }
        hyp_store_close(s);
    }
    printf("%d kills, %d in the middle of the import, %d failures\n", kills, mid, failures);
    if (mid < kills / 4) {
        printf("too few kills landed mid-import to test anything\n");
        failures++;
    }
    rm_rf(work);
    return failures ? 1 : 0;
}
