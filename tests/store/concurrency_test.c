/*
 * concurrency_test.c — readers see consistent snapshots while an import
 * runs in another process.
 *
 *   concurrency_test HYPERSTORE WORKDIR
 *   concurrency_test --reader STORE          (the second reading process)
 *
 * The writer is the CLI importing 6000 points in batches of 50 into a store
 * whose map starts at 16 KiB, so it grows many times under the readers
 * (exercising MDB_MAP_RESIZED).  Four reader threads in this process and one
 * reader process loop until the import ends; each read must see a state that
 * some commit produced: a whole number of batches, exactly the first
 * count points with their exact coordinates, and labels mapping to ids and
 * back.  Readers never wait for the writer, so each should complete many
 * reads during the import.
 */
#define _XOPEN_SOURCE 700
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hyp_store.h"

#define POINTS 6000
#define BATCH 50
#define THREADS 4

static volatile int done;

static void coords(int i, double *x)
{
    x[0] = ((i * 37) % 101) / 250.0;
    x[1] = ((i * 53) % 97) / 250.0 - 0.2;
}

struct walk {
    uint64_t n;
    int bad;
};

static int check_point(void *ctx, uint64_t id, const char *label, size_t len,
                       const unsigned char *bytes)
{
    struct walk *w = ctx;
    char want[32];
    double x[2], y[2];
    int i = (int)w->n;
    snprintf(want, sizeof want, "p%05d", i);
    hyp_f64_decode(bytes, 2, x);
    coords(i, y);
    if (id != (uint64_t)i || len != strlen(want) || memcmp(label, want, len) != 0 ||
        memcmp(x, y, sizeof x) != 0)
        w->bad = 1;
    w->n++;
    return 0;
}

/* One snapshot: returns its point count, or -1 if inconsistent. */
static long read_once(hyp_store *s)
{
    hyp_read *r;
    struct walk w = { 0, 0 };
    if (hyp_read_begin(s, &r) != HYP_OK)
        return -1;
    int rc = hyp_read_foreach(r, check_point, &w);
    /* A label lookup in the same snapshot agrees with the walk. */
    if (rc == HYP_OK && w.n > 0) {
        char last[32];
        uint64_t id;
        snprintf(last, sizeof last, "p%05d", (int)(w.n - 1));
        if (hyp_read_find(r, last, strlen(last), &id) != HYP_OK || id != w.n - 1)
            w.bad = 1;
        snprintf(last, sizeof last, "p%05d", (int)w.n);
        if (hyp_read_find(r, last, strlen(last), &id) != HYP_ENOTFOUND)
            w.bad = 1;
    }
    hyp_read_end(r);
    if (rc != HYP_OK || w.bad || w.n % BATCH != 0)
        return -1;
    return (long)w.n;
}

struct reader {
    hyp_store *s;
    long reads, bad, distinct;
};

static void *reader_thread(void *arg)
{
    struct reader *rd = arg;
    long last = -2;
    while (!done) {
        long n = read_once(rd->s);
        rd->reads++;
        if (n < 0)
            rd->bad++;
        else if (n < last)
            rd->bad++; /* time went backwards */
        if (n != last)
            rd->distinct++;
        if (n >= 0)
            last = n;
    }
    return NULL;
}

static int reader_process(const char *path)
{
    hyp_store *s;
    if (hyp_store_open(path, HYP_STORE_RDONLY, &s) != HYP_OK)
        return 2;
    long reads = 0, bad = 0, n = 0;
    time_t start = time(NULL);
    /* Until the import is complete; a minute is far more than it needs. */
    while (n != POINTS && time(NULL) - start < 60) {
        n = read_once(s);
        reads++;
        if (n < 0) {
            bad++;
            n = 0;
        }
    }
    hyp_store_close(s);
    printf("reader process: %ld reads, %ld inconsistent%s\n", reads, bad,
           n == POINTS ? "" : ", never saw the complete import");
    return bad || n != POINTS ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--reader") == 0)
        return reader_process(argv[2]);
    if (argc != 3) {
        fprintf(stderr, "usage: concurrency_test HYPERSTORE WORKDIR\n");
        return 2;
    }
    const char *cli = argv[1];
    char store[600], input[600], cmd[2000];
    mkdir(argv[2], 0755);
    snprintf(store, sizeof store, "%s/store", argv[2]);
    snprintf(input, sizeof input, "%s/input.tsv", argv[2]);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && '%s' init '%s' --model poincare --dim 2 "
             "--map-size 16384", store, cli, store);
    if (system(cmd) != 0)
        return 2;
    FILE *f = fopen(input, "w");
    for (int i = 0; i < POINTS; i++) {
        double x[2];
        coords(i, x);
        fprintf(f, "p%05d\t%a\t%a\n", i, x[0], x[1]);
    }
    fclose(f);

    hyp_store *s;
    if (hyp_store_open(store, HYP_STORE_RDONLY, &s) != HYP_OK)
        return 2;
    struct reader rd[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        rd[i] = (struct reader){ .s = s };
        pthread_create(&t[i], NULL, reader_thread, &rd[i]);
    }
    fflush(NULL);
    pid_t second = fork();
    if (second == 0) {
        execl(argv[0], argv[0], "--reader", store, (char *)NULL);
        _exit(127);
    }
    pid_t writer = fork();
    if (writer == 0) {
        freopen("/dev/null", "w", stdout);
        execl(cli, cli, "import", store, input, "--batch-size", "50", (char *)NULL);
        _exit(127);
    }
    int wst, rst, failures = 0;
    waitpid(writer, &wst, 0);
    done = 1;
    if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0)
        kill(second, SIGKILL); /* it would wait for a complete import */
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    waitpid(second, &rst, 0);

    if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
        printf("the import failed\n");
        failures++;
    }
    if (!WIFEXITED(rst) || WEXITSTATUS(rst) != 0) {
        printf("the reader process saw an inconsistent state (or failed)\n");
        failures++;
    }
    long distinct = 0;
    for (int i = 0; i < THREADS; i++) {
        printf("reader thread %d: %ld reads, %ld distinct states, %ld inconsistent\n", i,
               rd[i].reads, rd[i].distinct, rd[i].bad);
        failures += rd[i].bad != 0;
        distinct += rd[i].distinct;
    }
    /* The readers must really have overlapped the import. */
    if (distinct < THREADS * 3) {
        printf("the readers saw too few states to test anything\n");
        failures++;
    }
    if (read_once(s) != POINTS) {
        printf("the final state is not the whole import\n");
        failures++;
    }
    hyp_store_close(s);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", argv[2]);
    if (system(cmd) != 0)
        failures++;
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
