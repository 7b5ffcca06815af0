/*  run.h — `jobtally-reporter run`: the long-running reporter. It keeps a
    replica of the aggregator's state, evaluates the catalogue's rules on
    every change and every second (alerts.h), and writes the summary of a
    region in every format into an output directory on a schedule and when
    a month's coverage becomes complete. */
#ifndef JT_RUN_H_INCLUDED
#define JT_RUN_H_INCLUDED

#include "alerts.h"
#include "replica.h"

typedef struct {
    int region;          //  region summarised
    int period;          //  month watched, or PERIOD_NONE: the latest
    const char *lang;    //  names and sentences
    const char *out_dir; //  summaries written here, or NULL
    int every_s;         //  write summaries this often (seconds)
    int64_t fixed_now;   //  evaluate at this time (seconds), or 0
    bool once;           //  sync, evaluate, write, exit
    int timeout_ms;      //  for the snapshot
} run_options_t;

//  Run until SIGINT/SIGTERM (or once). Borrows everything. Returns the
//  program's exit status.
int run_reporter (const catalogue_t *catalogue, const wording_t *wording,
                  replica_t *replica, alerts_t *alerts,
                  const run_options_t *options);

//  Write one summary file atomically (temp file, rename) into dir as
//  summary.<ext>. Returns 0 or -1 (logged).
int run_write_summaries (const catalogue_t *catalogue, const wording_t *wording,
                         const store_t *store, alerts_t *alerts,
                         const run_options_t *options, int period);

#endif
