/*  run.c — the long-running reporter's loop. */
#include "run.h"
#include "app.h"
#include "period.h"
#include "summary.h"

#define EVALUATE_MS 1000 //  rules looked at this often at least

typedef struct {
    const catalogue_t *catalogue;
    const wording_t *wording;
    replica_t *replica;
    alerts_t *alerts;
    const run_options_t *options;
    int latest;  //  latest month any leaf reported
    int64_t now; //  seconds, for this turn of the loop
} run_t;

//  A leaf's cell is a report; a parent's may be a figure carried to the
//  year's end (store.h), which says nothing of the month.
static int
s_latest_cell (const store_cell_t *cell, void *arg)
{
    run_t *self = (run_t *)arg;
    if (catalogue_region (self->catalogue, cell->region)->child_count == 0 &&
        cell->period > self->latest)
        self->latest = cell->period;
    return 0;
}

static int64_t
s_now (const run_options_t *options)
{
    return options->fixed_now ? options->fixed_now : app_now_ms () / 1000;
}

//  The latest month whose report is due at now: the month before this
//  one once on_time_days of this month have passed, else the one before.
static int
s_due_month (const catalogue_t *catalogue, int64_t now)
{
    time_t seconds = (time_t)now;
    struct tm utc;
    gmtime_r (&seconds, &utc);
    int current = period_make (utc.tm_year + 1900, utc.tm_mon + 1);
    if (current == PERIOD_NONE)
        return PERIOD_NONE;
    bool passed = utc.tm_mday - 1 >= catalogue_on_time_days (catalogue) &&
                  !(utc.tm_mday - 1 == catalogue_on_time_days (catalogue) &&
                    utc.tm_hour == 0 && utc.tm_min == 0 && utc.tm_sec == 0);
    return current - (passed ? 1 : 2);
}

//  The month watched: the one asked for; else the latest with data, or
//  the latest due if that is newer (a month nobody reported is watched
//  too, so that silence is noticed).
static int
s_period (run_t *self)
{
    if (self->options->period != PERIOD_NONE)
        return self->options->period;
    int due = s_due_month (self->catalogue, self->now);
    return due > self->latest ? due : self->latest;
}

//  A cell changed: restatement rules see old and new values, except in a
//  parent's month that no leaf below reported (a carried figure moved by
//  an earlier month's restatement, which is seen there).
static void
s_changed (const replica_change_t *change, void *arg)
{
    run_t *self = (run_t *)arg;
    const store_cell_t *cell = &change->cell;
    const store_t *store = replica_store (self->replica);
    alerts_use_store (self->alerts, store);
    bool leaf =
        catalogue_region (self->catalogue, cell->region)->child_count == 0;
    if (leaf && cell->period > self->latest)
        self->latest = cell->period;
    //  Only a revision can be a restatement; the leaf walk is asked last.
    bool revised = change->had_value && change->old_value != cell->value;
    if (!revised ||
        (!leaf && !store_reported (store, cell->region, cell->period)))
        return;
    alerts_changed (self->alerts, cell->region, cell->indicator, cell->period,
                    change->had_value, change->old_value, cell->value,
                    self->now);
}

int
run_write_summaries (const catalogue_t *catalogue, const wording_t *wording,
                     const store_t *store, alerts_t *alerts,
                     const run_options_t *options, int period)
{
    if (!options->out_dir || period == PERIOD_NONE)
        return 0;
    size_t alert_count = 0;
    rules_notice_t *active = alerts_active (alerts, &alert_count);
    int rc = 0;
    for (int format = 0; format < SUMMARY_FORMAT_COUNT; format++) {
        char *text = summary_render (
            catalogue, wording, store, options->region, period, options->lang,
            (summary_format_t)format, active, alert_count);
        const char *name = summary_format_name ((summary_format_t)format);
        const char *extension = streq (name, "text") ? "txt" : name;
        char *path =
            zsys_sprintf ("%s/summary.%s", options->out_dir, extension);
        char *temporary = zsys_sprintf ("%s.tmp", path);
        FILE *file = fopen (temporary, "w");
        bool written =
            file && text && fputs (text, file) >= 0 && fflush (file) == 0;
        if (file)
            written = (fclose (file) == 0) && written;
        if (!written || rename (temporary, path) != 0) {
            log_error ("run: cannot write %s: %s", path, strerror (errno));
            remove (temporary);
            rc = -1;
        }
        free (temporary);
        free (path);
        free (text);
    }
    free (active);
    if (rc == 0 && log_verbose ())
        log_debug ("run: summaries written to %s", options->out_dir);
    return rc;
}

//  Whether every region expected to report for the month did.
static bool
s_complete (run_t *self, int period)
{
    if (period == PERIOD_NONE)
        return false;
    int reported, expected;
    store_coverage (replica_store (self->replica), self->options->region,
                    period, &reported, &expected);
    return expected > 0 && reported == expected;
}

int
run_reporter (const catalogue_t *catalogue, const wording_t *wording,
              replica_t *replica, alerts_t *alerts,
              const run_options_t *options)
{
    run_t self = {.catalogue = catalogue,
                  .wording = wording,
                  .replica = replica,
                  .alerts = alerts,
                  .options = options,
                  .latest = PERIOD_NONE};
    if (replica_sync (replica, options->timeout_ms) != 0) {
        fprintf (stderr, "jobtally-reporter: %s\n", replica_error (replica));
        return zsys_interrupted ? 130 : 3;
    }
    alerts_use_store (alerts, replica_store (replica));
    store_visit (replica_store (replica), s_latest_cell, &self);
    self.now = s_now (options);
    int period = s_period (&self);
    if (period != PERIOD_NONE)
        alerts_forget_before (alerts, period);
    if (period != PERIOD_NONE)
        alerts_evaluate (alerts, period, self.now);
    run_write_summaries (catalogue, wording, replica_store (replica), alerts,
                         options, period);
    if (options->once)
        return 0;

    log_info ("run: synced at sequence %" PRIu64 ", watching %s",
              replica_sequence (replica),
              period == PERIOD_NONE ? "the latest month" : "its month");
    zpoller_t *poller = zpoller_new (replica_socket (replica), NULL);
    assert (poller);
    if (alerts_zap_socket (alerts))
        zpoller_add (poller, alerts_zap_socket (alerts));
    bool complete = s_complete (&self, period);
    int64_t evaluated = app_now_ms ();
    int64_t written = app_now_ms ();
    while (!zsys_interrupted) {
        void *which = zpoller_wait (poller, EVALUATE_MS);
        if (zpoller_terminated (poller) && zsys_interrupted)
            break;
        self.now = s_now (options);
        bool changed = false;
        if (which == replica_socket (replica)) {
            replica_handle (replica, s_changed, &self);
            changed = true;
        } else if (which && which == alerts_zap_socket (alerts))
            alerts_handle_zap (alerts);
        else if (!which)
            replica_check_silence (replica, REPLICA_SILENCE_MS);
        //  A gap or a restart of the aggregator re-syncs into a new store.
        alerts_use_store (alerts, replica_store (replica));
        int watched = s_period (&self);
        if (watched == PERIOD_NONE)
            continue;
        if (watched != period) {
            //  On to a newer month: its alerts are what summaries speak of.
            log_info ("run: now watching %d-%02d", watched / 12,
                      watched % 12 + 1);
            alerts_forget_before (alerts, watched);
            period = watched;
            complete = false;
        }
        if (changed || app_now_ms () - evaluated >= EVALUATE_MS) {
            alerts_evaluate (alerts, period, self.now);
            evaluated = app_now_ms ();
        }
        bool now_complete = s_complete (&self, period);
        if ((now_complete && !complete) ||
            app_now_ms () - written >= (int64_t)options->every_s * 1000) {
            if (now_complete && !complete)
                log_info ("run: every region reported for the month");
            run_write_summaries (catalogue, wording, replica_store (replica),
                                 alerts, options, period);
            written = app_now_ms ();
        }
        complete = now_complete;
    }
    zpoller_destroy (&poller);
    uint64_t sent = alerts_sent (alerts);
    log_info ("run: stopped at sequence %" PRIu64 "; %" PRIu64 " alert %s sent",
              replica_sequence (replica), sent,
              jt_plural (sent, "notice", "notices"));
    return 0;
}
