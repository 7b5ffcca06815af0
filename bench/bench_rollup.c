/*  bench_rollup.c — what one rollup update costs, and what a live cell
    costs in memory.

    Time: ns per store_apply on a leaf at depth 3, 4 and 5, for trees of
    10, 1,000 and 100,000 leaves with 10 and 200 flow indicators. Updates
    set random (leaf, indicator, month) cells of 2003, cycling over a ring
    of cells that a warm-up pass has already applied once, so every year
    block exists and no run allocates. As in the aggregator, the change
    list is emptied (store_changes_begin) after every batch of 1,000
    updates; that cost is timed apart and shown as its own column.

    Then the same at depth 4 with stock indicators, whose totals carry a
    late leaf's figure (store.h): with random months, where an update
    moves its month and the few up to the leaf's next report, and with
    January alone, where every update moves all twelve months of each
    ancestor, the most a carried update can cost.

    Memory: resident set growth (/proc/self/statm) per live series, a
    series being one (region, indicator, month) cell that holds a value
    (store_cell_count: leaves and the ancestors they roll up into). Leaves
    of a depth-4 tree of 100,000 leaves x 10 indicators are filled in
    order, a whole year each, until 10^4, 10^5 and 10^6 series are live;
    then one month alone (January) of every (leaf, indicator), and all
    twelve. Each measure runs in a child process of its own, on a fresh
    heap. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "period.h"
#include "store.h"

#define RUNS 5
#define RING_CELLS (1 << 20) //  distinct cells updates cycle over
#define RUN_TARGET_S 0.2     //  aim for runs of about this long
#define RUN_MIN_S 0.1        //  a calibration run at least this long
#define YEAR 2003

typedef struct {
    int region; //  a leaf
    int indicator;
    int period; //  a month of YEAR
} cell_ref_t;

typedef struct {
    int depth;  //  of every leaf
    int leaves; //  leaf regions
    int fanouts[BENCH_DEPTH];
} tree_shape_t;

//  Province -> city -> counties -> streets -> communities -> groups, cut
//  at the depth: 10, 1,000 and 100,000 leaves at depth 3, 4 and 5.
static const tree_shape_t s_shapes[] = {
    {3, 10, {1, 1, 10}},
    {3, 1000, {1, 10, 100}},
    {3, 100000, {1, 100, 1000}},
    {4, 10, {1, 1, 1, 10}},
    {4, 1000, {1, 10, 10, 10}},
    {4, 100000, {1, 10, 100, 100}},
    {5, 10, {1, 1, 1, 1, 10}},
    {5, 1000, {1, 10, 10, 1, 10}},
    {5, 100000, {1, 10, 10, 100, 10}},
};
#define SHAPE_COUNT (int)(sizeof s_shapes / sizeof s_shapes[0])
#define SIZES 3 //  shapes per depth, fewest leaves first

static const int s_indicator_counts[] = {10, 200};
#define INDICATOR_CASES (int)(sizeof s_indicator_counts / sizeof (int))

typedef struct {
    double apply_ns; //  per update, store_apply only
    double reset_ns; //  per update, store_changes_begin per batch
} run_result_t;

//  Resident set size in bytes, from /proc/self/statm.
static size_t
s_resident_bytes (void)
{
    FILE *file = fopen ("/proc/self/statm", "r");
    if (!file)
        return 0;
    unsigned long size = 0, resident = 0;
    if (fscanf (file, "%lu %lu", &size, &resident) != 2)
        resident = 0;
    fclose (file);
    return (size_t)resident * (size_t)sysconf (_SC_PAGESIZE);
}

static void
s_apply_or_die (store_t *store, const cell_ref_t *cell, jt_value_t value)
{
    jt_error_t code = store_apply (store, cell->region, cell->indicator,
                                   cell->period, value, false);
    if (code != JT_OK) {
        fprintf (stderr, "bench_rollup: store_apply refused: %s\n",
                 jt_strerror (code));
        exit (EXIT_FAILURE);
    }
}

//  Apply count updates from the ring starting at *position, in batches of
//  BENCH_BATCH with the change list emptied after each; *position moves on.
static run_result_t
s_run (store_t *store, const cell_ref_t *ring, size_t *position, size_t count)
{
    int64_t apply_ns = 0;
    int64_t reset_ns = 0;
    size_t at = *position;
    for (size_t done = 0; done < count;) {
        size_t batch = count - done < BENCH_BATCH ? count - done : BENCH_BATCH;
        int64_t start = bench_now_ns ();
        for (size_t index = 0; index < batch; index++) {
            //  A value that changes from one pass over the ring to the next.
            jt_value_t value =
                (jt_value_t)((done + index) % 1000 + 1) * JT_SCALE;
            s_apply_or_die (store, &ring[at], value);
            at = (at + 1) & (RING_CELLS - 1);
        }
        int64_t applied = bench_now_ns ();
        store_changes_begin (store);
        int64_t reset = bench_now_ns ();
        apply_ns += applied - start;
        reset_ns += reset - applied;
        done += batch;
    }
    *position = at;
    run_result_t result = {(double)apply_ns / (double)count,
                           (double)reset_ns / (double)count};
    return result;
}

//  A ring of random cells of YEAR over the given leaves: of random months,
//  or of month alone when it is not 0.
static cell_ref_t *
s_ring_new (const int *leaves, int leaf_count, int indicator_count, int month,
            uint64_t *seed)
{
    cell_ref_t *ring = malloc (RING_CELLS * sizeof (cell_ref_t));
    if (!ring)
        abort ();
    for (size_t index = 0; index < RING_CELLS; index++) {
        ring[index].region = leaves[bench_random (seed) % (uint64_t)leaf_count];
        ring[index].indicator =
            (int)(bench_random (seed) % (uint64_t)indicator_count);
        ring[index].period = period_make (
            YEAR, month ? month : (int)(bench_random (seed) % 12) + 1);
    }
    return ring;
}

//  Time one tree and indicator count, of one time behaviour, updating
//  random months or month alone (s_ring_new); prints a table row and
//  returns the median ns per store_apply.
static double
s_bench_case (const tree_shape_t *shape, int indicator_count, const char *time,
              int month, uint64_t *seed)
{
    int64_t load_start = bench_now_ns ();
    catalogue_t *catalogue =
        bench_catalogue_timed (shape->fanouts, indicator_count, time);
    double load_ms = (double)(bench_now_ns () - load_start) / 1e6;
    int leaf_count;
    int *leaves = bench_leaves (catalogue, &leaf_count);
    cell_ref_t *ring =
        s_ring_new (leaves, leaf_count, indicator_count, month, seed);
    store_t *store = store_new (catalogue);

    //  Warm-up: every ring cell once, so that its year blocks exist.
    size_t position = 0;
    s_run (store, ring, &position, RING_CELLS);

    //  Calibrate: double until a run takes RUN_MIN_S, then aim for
    //  RUN_TARGET_S.
    size_t count = 1 << 16;
    for (;;) {
        run_result_t probe = s_run (store, ring, &position, count);
        double seconds = probe.apply_ns * (double)count / 1e9;
        if (seconds >= RUN_MIN_S || count >= ((size_t)1 << 30)) {
            count = (size_t)(RUN_TARGET_S * 1e9 / probe.apply_ns);
            break;
        }
        count *= 2;
    }

    double apply[RUNS], reset[RUNS];
    for (int run = 0; run < RUNS; run++) {
        run_result_t result = s_run (store, ring, &position, count);
        apply[run] = result.apply_ns;
        reset[run] = result.reset_ns;
    }
    bench_stats_t apply_stats = bench_stats (apply, RUNS);
    bench_stats_t reset_stats = bench_stats (reset, RUNS);

    char leaves_text[32], regions_text[32], count_text[32];
    printf ("%5d %9s %6d %9s %8.0f %11s %8.1f %6.1f %6.1f %10.1f\n",
            shape->depth, bench_thousands (leaf_count, leaves_text),
            indicator_count,
            bench_thousands (catalogue_region_count (catalogue), regions_text),
            load_ms, bench_thousands ((double)count, count_text),
            apply_stats.median, apply_stats.min, apply_stats.max,
            reset_stats.median);
    fflush (stdout);

    store_destroy (&store);
    free (ring);
    free (leaves);
    catalogue_destroy (&catalogue);
    return apply_stats.median;
}

//  Fill months 1 .. through_month of every (leaf, indicator) in batches,
//  as the aggregator would.
static void
s_fill (store_t *store, const int *leaves, int leaf_count, int indicator_count,
        int from_month, int through_month)
{
    size_t in_batch = 0;
    for (int month = from_month; month <= through_month; month++)
        for (int leaf = 0; leaf < leaf_count; leaf++)
            for (int indicator = 0; indicator < indicator_count; indicator++) {
                cell_ref_t cell = {leaves[leaf], indicator,
                                   period_make (YEAR, month)};
                s_apply_or_die (store, &cell, (jt_value_t)7 * JT_SCALE);
                if (++in_batch == BENCH_BATCH) {
                    store_changes_begin (store);
                    in_batch = 0;
                }
            }
    store_changes_begin (store);
}

static void
s_print_memory_row (const char *filled, size_t cells, size_t before,
                    size_t after)
{
    char cells_text[32];
    double grown = (double)after - (double)before;
    printf ("%-26s %12s %10.1f %10.1f\n", filled,
            bench_thousands ((double)cells, cells_text), grown / 1048576.0,
            grown / (double)cells);
    fflush (stdout);
}

//  In a child process, on a fresh heap: fill whole years of leaves in
//  order until target series are live (target 0: January of every
//  (leaf, indicator), then all twelve months), printing the growth.
static void
s_memory_child (size_t target)
{
    const tree_shape_t *shape = &s_shapes[5]; //  depth 4, 100,000 leaves
    const int indicator_count = 10;
    catalogue_t *catalogue =
        bench_catalogue_new (shape->fanouts, indicator_count);
    int leaf_count;
    int *leaves = bench_leaves (catalogue, &leaf_count);
    store_t *store = store_new (catalogue);
    size_t before = s_resident_bytes ();
    if (target) {
        int filled = 0;
        while (store_cell_count (store) < target && filled < leaf_count) {
            s_fill (store, leaves + filled, 1, indicator_count, 1, 12);
            filled++;
        }
        char label[64];
        snprintf (label, sizeof label, "10^%d: %d leaves x 12",
                  target == 10000    ? 4
                  : target == 100000 ? 5
                                     : 6,
                  filled);
        s_print_memory_row (label, store_cell_count (store), before,
                            s_resident_bytes ());
    } else {
        s_fill (store, leaves, leaf_count, indicator_count, 1, 1);
        s_print_memory_row ("all leaves, 2003-01 only",
                            store_cell_count (store), before,
                            s_resident_bytes ());
        s_fill (store, leaves, leaf_count, indicator_count, 2, 12);
        s_print_memory_row ("all leaves, all of 2003", store_cell_count (store),
                            before, s_resident_bytes ());
    }
    store_destroy (&store);
    free (leaves);
    catalogue_destroy (&catalogue);
}

static void
s_bench_memory (void)
{
    printf ("resident memory per live series (one region x indicator x month "
            "cell holding a value,\nleaves and ancestors: store_cell_count); "
            "100,000 leaves x 10 indicators, depth 4;\nRSS growth from "
            "/proc/self/statm, each line in a fresh process\n\n");
    printf ("%-26s %12s %10s %10s\n", "series filled", "series", "RSS MiB",
            "bytes/series");
    const size_t targets[] = {10000, 100000, 1000000, 0};
    for (int index = 0; index < 4; index++) {
        fflush (stdout);
        pid_t child = fork ();
        if (child == 0) {
            s_memory_child (targets[index]);
            exit (EXIT_SUCCESS);
        }
        int status = 0;
        waitpid (child, &status, 0);
        if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
            fprintf (stderr, "bench_rollup: the memory child failed\n");
            exit (EXIT_FAILURE);
        }
    }
    printf ("\n");
}

int
main (void)
{
    s_bench_memory ();

    char ring_text[32], batch_text[32];
    printf ("ns per store_apply on a leaf, random cells of 2003 (ring of %s "
            "cells)\n%d runs each; the change list is emptied every %s "
            "updates\n\n",
            bench_thousands (RING_CELLS, ring_text), RUNS,
            bench_thousands (BENCH_BATCH, batch_text));
    printf ("%5s %9s %6s %9s %8s %11s %8s %6s %6s %10s\n", "depth", "leaves",
            "indic", "regions", "load ms", "N per run", "median", "min", "max",
            "+changes");
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    double median[SHAPE_COUNT][INDICATOR_CASES];
    for (int indicators = 0; indicators < INDICATOR_CASES; indicators++)
        for (int shape = 0; shape < SHAPE_COUNT; shape++)
            median[shape][indicators] =
                s_bench_case (&s_shapes[shape], s_indicator_counts[indicators],
                              "flow", 0, &seed);

    printf ("\n(+changes: store_changes_begin per update, amortised over "
            "each batch)\n\nratio of medians, 100,000 / 10 leaves:\n");
    for (int first = 0; first < SHAPE_COUNT; first += SIZES) {
        printf ("  depth %d:", s_shapes[first].depth);
        for (int indicators = 0; indicators < INDICATOR_CASES; indicators++)
            printf ("%s %d indicators x%.2f", indicators ? "," : "",
                    s_indicator_counts[indicators],
                    median[first + SIZES - 1][indicators] /
                        median[first][indicators]);
        printf ("\n");
    }

    //  Carried figures at depth 4: random months, then January alone.
    static const char *const cases[2] = {"random months", "January alone"};
    for (int month = 0; month < 2; month++) {
        printf ("\nstock indicators (carried totals), depth 4, %s:\n",
                cases[month]);
        printf ("%5s %9s %6s %9s %8s %11s %8s %6s %6s %10s\n", "depth",
                "leaves", "indic", "regions", "load ms", "N per run", "median",
                "min", "max", "+changes");
        double carried[SIZES][INDICATOR_CASES];
        for (int indicators = 0; indicators < INDICATOR_CASES; indicators++)
            for (int size = 0; size < SIZES; size++)
                carried[size][indicators] = s_bench_case (
                    &s_shapes[SIZES + size], s_indicator_counts[indicators],
                    "stock", month, &seed);
        printf ("ratio of medians, stock / flow at depth 4:");
        for (int indicators = 0; indicators < INDICATOR_CASES; indicators++)
            for (int size = 0; size < SIZES; size++)
                printf ("%s %d x %d x%.2f", size || indicators ? "," : "",
                        s_shapes[SIZES + size].leaves,
                        s_indicator_counts[indicators],
                        carried[size][indicators] /
                            median[SIZES + size][indicators]);
        printf ("\n");
    }
    return 0;
}
