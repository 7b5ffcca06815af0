/*  bench.h — what the benchmarks share: a monotonic clock, a small fast
    random generator, run statistics, and a synthetic catalogue built in
    memory (a region tree with every leaf at the same depth). Benchmarks
    print figures; nothing here passes or fails on time. */
#ifndef JT_BENCH_H_INCLUDED
#define JT_BENCH_H_INCLUDED

#include <stdint.h>
#include "catalogue.h"
#include "update.h"

//  Most levels below the root in a synthetic tree: province -> city ->
//  county -> street -> community -> group. A fanout of 0 at a level ends
//  the tree above it: {1, 10, 10, 10} (a fifth fanout of 0) puts every
//  leaf at depth 4.
#define BENCH_DEPTH 5

//  Updates per batch where a benchmark mimics the aggregator's batches.
#define BENCH_BATCH 1000

//  Now, in nanoseconds, from CLOCK_MONOTONIC.
int64_t bench_now_ns (void);

//  Next number from an xorshift64* generator; *state must not be 0.
uint64_t bench_random (uint64_t *state);

typedef struct {
    double median;
    double min;
    double max;
} bench_stats_t;

//  Median, min and max of count samples; sorts samples in place.
bench_stats_t bench_stats (double *samples, int count);

//  ZPL text of a catalogue for 2003 whose region tree has fanouts [level]
//  children per node at each level below the root down to the first 0,
//  and indicator_count indicators "indicator_000"... of one time
//  behaviour ("flow", "stock" or "cumulative"). Region ids are
//  hierarchical, "prov.c0.d3.s12.v7". Returns a fresh string the caller
//  frees.
char *bench_catalogue_text (const int fanouts[BENCH_DEPTH], int indicator_count,
                            const char *time);

//  Load that catalogue; a failure is a bug in the benchmark and aborts.
catalogue_t *bench_catalogue_timed (const int fanouts[BENCH_DEPTH],
                                    int indicator_count, const char *time);

//  bench_catalogue_timed with flow indicators.
catalogue_t *bench_catalogue_new (const int fanouts[BENCH_DEPTH],
                                  int indicator_count);

//  Indices of the catalogue's leaf regions, in catalogue order, as a fresh
//  array the caller frees; *count is set.
int *bench_leaves (const catalogue_t *catalogue, int *count);

//  A random "set" update on line, for one of the leaves (leaf_count of them,
//  as bench_leaves gives) and one of the first indicator_count
//  indicators, in a month of 2003, of 0 to 100,000 units. Ids are
//  borrowed from the catalogue.
jt_update_t bench_random_update (const catalogue_t *catalogue,
                                 const int *leaves, int leaf_count,
                                 int indicator_count, uint32_t line,
                                 uint64_t *seed);

//  Print a count with thousands separators into buffer (at least 32
//  bytes). Returns buffer.
char *bench_thousands (double value, char *buffer);

#endif
