/*  bench_recovery.c — how long the aggregator takes to start from its
    journal, and from a snapshot.

    A journal of 1,000 batches of 1,000 updates (10^6 updates) from one
    source is written with the aggregator's own journal code into a
    scratch state directory; each update sets a random (leaf, indicator,
    month of 2003) cell of a depth-4 catalogue with 1,000 leaves and 10
    indicators. The real jobtally-aggregator is then started on it RUNS
    times and killed with SIGKILL once its sockets are bound, so every run
    replays the whole journal again (a kill writes no snapshot). The
    figure is the aggregator's own "state recovered ... N ms" (snapshot
    load and replay, the same apply path as live batches), with the time
    from exec to the endpoints file beside it. Last, one run stopped with
    SIGTERM writes a snapshot, and the next start loads it alone. */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <czmq.h>

#include "bench.h"
#include "bench_net.h"
#include "codec.h"
#include "journal.h"

#define RUNS 5
#define BATCHES 1000
#define BATCH_UPDATES 1000
#define INDICATORS 10

//  Updates the aggregator said it replayed at its last start.
static uint64_t s_replayed;

//  Start the aggregator on the state directory, wait for its endpoints,
//  end it with signal; *wall_ms is exec to endpoints. Returns the ms its
//  log reports for recovery, or -1; s_replayed is set from the log.
static double
s_start (const char *dir, int signal_number, double *wall_ms)
{
    char *endpoints = zsys_sprintf ("%s/endpoints", dir);
    char *log = zsys_sprintf ("%s/aggregator.log", dir);
    remove (endpoints);
    remove (log);
    char *command = zsys_sprintf (
        "%s/jobtally-aggregator -c %s/catalogue.zpl --insecure "
        "--collect 'tcp://127.0.0.1:*' --publish 'tcp://127.0.0.1:*' "
        "--query 'tcp://127.0.0.1:*' --endpoints-file %s --state %s/state "
        "2>%s",
        JT_BINARY_DIR, dir, endpoints, dir, log);
    int64_t started = bench_now_ns ();
    pid_t pid = bench_spawn (command, endpoints, 60000);
    bool up = pid > 0;
    *wall_ms = (double)(bench_now_ns () - started) / 1e6;
    if (up)
        bench_stop (pid, signal_number);
    double reported = -1;
    FILE *file = fopen (log, "r");
    char line[1024];
    while (file && fgets (line, sizeof line, file)) {
        char *found = strstr (line, "state recovered");
        char *ms = found ? strrchr (line, ',') : NULL;
        if (ms)
            reported = atof (ms + 1);
        char *batches = found ? strstr (line, " batches and ") : NULL;
        if (batches)
            s_replayed =
                strtoull (batches + strlen (" batches and "), NULL, 10);
    }
    if (file)
        fclose (file);
    if (!up || reported < 0)
        fprintf (stderr,
                 "bench_recovery: the aggregator did not start; see "
                 "its log in %s\n",
                 log);
    free (endpoints);
    free (log);
    free (command);
    return up ? reported : -1;
}

//  BATCHES batches of BATCH_UPDATES random updates from source "bench",
//  the first with sequence first; a fresh array of frames.
static zframe_t **
s_encode_batches (const catalogue_t *catalogue, uint64_t first)
{
    int leaf_count = 0;
    int *leaves = bench_leaves (catalogue, &leaf_count);
    codec_t *codec = codec_new (64 * 1024 * 1024);
    jt_update_t *updates = calloc (BATCH_UPDATES, sizeof (jt_update_t));
    zframe_t **frames = calloc (BATCHES, sizeof (zframe_t *));
    assert (updates && frames);
    uint64_t random = 0x9E3779B97F4A7C15ULL ^ first;
    for (int batch = 0; batch < BATCHES; batch++) {
        for (int index = 0; index < BATCH_UPDATES; index++) {
            uint64_t pick = bench_random (&random);
            int region = leaves[pick % (uint64_t)leaf_count];
            updates[index] = (jt_update_t){
                .region = catalogue_region (catalogue, region)->id,
                .indicator = catalogue_indicator (
                                 catalogue, (int)((pick >> 20) % INDICATORS))
                                 ->id,
                .period = 200301 + (uint32_t)((pick >> 40) % 12),
                .value = (jt_value_t)((pick >> 8) % 100000) * JT_SCALE,
                .line = (uint32_t)index + 2};
        }
        jt_batch_t wire = {.source = "bench",
                           .sequence = first + (uint64_t)batch,
                           .previous = first + (uint64_t)batch - 1,
                           .update_count = BATCH_UPDATES,
                           .updates = updates};
        frames[batch] = codec_encode_batch (codec, &wire);
    }
    free (updates);
    free (leaves);
    codec_destroy (&codec);
    return frames;
}

static void
s_frames_destroy (zframe_t ***frames_p)
{
    for (int batch = 0; batch < BATCHES; batch++)
        zframe_destroy (&(*frames_p)[batch]);
    free (*frames_p);
    *frames_p = NULL;
}

//  Write the frames into a fresh state directory's journal with the
//  aggregator's journal code.
static void
s_write_journal (const char *dir, zframe_t **frames)
{
    char *state = zsys_sprintf ("%s/state", dir);
    char *error = NULL;
    journal_t *journal = journal_new (state, JOURNAL_LAZY, &error);
    if (!journal) {
        fprintf (stderr, "bench_recovery: %s\n", error);
        exit (EXIT_FAILURE);
    }
    size_t bytes = 0;
    for (int batch = 0; batch < BATCHES; batch++) {
        journal_record_t record = {.source = "bench",
                                   .day = 12345,
                                   .batch = zframe_data (frames[batch]),
                                   .size = zframe_size (frames[batch])};
        journal_append (journal, &record);
        bytes += zframe_size (frames[batch]);
        if ((batch + 1) % 100 == 0 && journal_commit (journal) < 0) {
            fprintf (stderr, "bench_recovery: cannot write %s\n",
                     journal_path (journal));
            exit (EXIT_FAILURE);
        }
    }
    journal_destroy (&journal);
    char text[32];
    printf ("journal: %d batches x %d updates = %s updates, %.1f MB\n", BATCHES,
            BATCH_UPDATES,
            bench_thousands ((double)BATCHES * BATCH_UPDATES, text),
            (double)bytes / 1e6);
    free (state);
}

//  Start the aggregator on the state directory, send it the frames as a
//  collector does (durable journal, window of 10), and kill it: its
//  snapshot is left as it was and the batches are in its journal alone.
static void
s_feed (const char *dir, zframe_t **frames)
{
    char *endpoints = zsys_sprintf ("%s/endpoints", dir);
    remove (endpoints);
    char *command = zsys_sprintf (
        "%s/jobtally-aggregator -c %s/catalogue.zpl --insecure "
        "--collect 'tcp://127.0.0.1:*' --publish 'tcp://127.0.0.1:*' "
        "--query 'tcp://127.0.0.1:*' --endpoints-file %s --state %s/state "
        "--snapshot-interval 0 2>%s/feed.log",
        JT_BINARY_DIR, dir, endpoints, dir, dir);
    pid_t pid = bench_spawn (command, endpoints, 60000);
    char *collect = pid > 0 ? bench_endpoint (endpoints, "collect") : NULL;
    if (!collect) {
        fprintf (stderr, "bench_recovery: the aggregator did not start\n");
        exit (EXIT_FAILURE);
    }
    zsock_t *dealer = zsock_new_dealer (collect);
    assert (dealer);
    zsock_set_linger (dealer, 0);
    codec_t *codec = codec_new (64 * 1024 * 1024);
    bench_acks_t acks = {0};
    int64_t taken = bench_pump (zsock_resolve (dealer), frames, BATCHES,
                                BENCH_WINDOW, 1, codec, &acks);
    bench_stop (pid, SIGKILL);
    if (acks.applied != (uint64_t)BATCHES * BATCH_UPDATES || acks.refused) {
        fprintf (stderr, "bench_recovery: %" PRIu64 " updates applied\n",
                 acks.applied);
        exit (EXIT_FAILURE);
    }
    char text[32];
    printf ("fed %s updates to the running aggregator in %.0f ms (journal "
            "durable), then kill -9\n",
            bench_thousands ((double)acks.applied, text), (double)taken / 1e6);
    codec_destroy (&codec);
    zsock_destroy (&dealer);
    free (collect);
    free (command);
    free (endpoints);
}

int
main (void)
{
    zsys_init ();
    char *dir = bench_scratch_dir ("recovery");
    const int fanouts[BENCH_DEPTH] = {1, 10, 10, 10};
    char *text = bench_catalogue_text (fanouts, INDICATORS, "flow");
    char *path = zsys_sprintf ("%s/catalogue.zpl", dir);
    FILE *file = fopen (path, "w");
    fprintf (file, "%s\nsources\n    bench\n        regions = \"prov\"\n",
             text);
    fclose (file);
    free (path);
    catalogue_t *catalogue = bench_catalogue_new (fanouts, INDICATORS);
    zframe_t **frames = s_encode_batches (catalogue, 1);
    s_write_journal (dir, frames);
    s_frames_destroy (&frames);

    double replay[RUNS], wall[RUNS];
    for (int run = 0; run < RUNS; run++) {
        replay[run] = s_start (dir, SIGKILL, &wall[run]);
        if (replay[run] < 0)
            return EXIT_FAILURE;
    }
    bench_stats_t replayed = bench_stats (replay, RUNS);
    bench_stats_t walled = bench_stats (wall, RUNS);
    printf ("replay of 10^6 updates at start: median %.0f ms (min %.0f, max "
            "%.0f); exec to sockets bound %.0f ms\n",
            replayed.median, replayed.min, replayed.max, walled.median);
    printf ("  = %.2f million updates/s (%" PRIu64 " updates replayed)\n",
            (double)BATCHES * BATCH_UPDATES / (replayed.median / 1000) / 1e6,
            s_replayed);

    //  A clean stop writes the snapshot; the next start reads it alone.
    double ignored;
    s_start (dir, SIGTERM, &ignored);
    double from_snapshot = s_start (dir, SIGTERM, &wall[0]);
    printf ("start from the snapshot alone: %.0f ms; exec to sockets bound "
            "%.0f ms\n",
            from_snapshot, wall[0]);

    //  Another 10^6 updates after that snapshot: the start loads it and
    //  replays them, as after a crash a while after the last snapshot.
    frames = s_encode_batches (catalogue, BATCHES + 1);
    s_feed (dir, frames);
    s_frames_destroy (&frames);
    for (int run = 0; run < RUNS; run++) {
        replay[run] = s_start (dir, SIGKILL, &wall[run]);
        if (replay[run] < 0)
            return EXIT_FAILURE;
    }
    replayed = bench_stats (replay, RUNS);
    walled = bench_stats (wall, RUNS);
    printf ("start from the snapshot + a journal of 10^6 updates: median %.0f "
            "ms (min %.0f, max %.0f); exec to sockets bound %.0f ms (%" PRIu64
            " updates replayed)\n",
            replayed.median, replayed.min, replayed.max, walled.median,
            s_replayed);
    printf ("collector outbox drain: see bench_outbox\n");

    free (text);
    catalogue_destroy (&catalogue);
    bench_scratch_remove (dir);
    free (dir);
    return EXIT_SUCCESS;
}
