/*  store.h — the rollup: one cell per (region, indicator, month) holding
    that month's figure, for every level of the region tree. A report at a
    leaf moves each ancestor's cell by the difference, so an update costs
    O(depth) and no total is ever recomputed from scratch (DESIGN §3).

    Year to date is read, not stored: a flow sums the year's months through
    the period, a stock or cumulative figure takes the latest month reported
    in that year through the period. Missing is not zero: a cell nobody
    reported is absent, and a parent's cell sums only the children that
    reported that month.

    Changes are tracked per batch: between store_changes_begin and
    store_changes_next each cell that ended with another value (or went from
    absent to present) is listed once, however often it was touched.

    Beside the cells, the store keeps when each leaf region's report for a
    month arrived: the earliest report day (period.h) of any update that
    landed for that month, which timeliness is judged on (DESIGN §3.3). A
    later restatement never moves it. Arrivals are tracked per batch too:
    one whose day was set or lowered is listed once by
    store_arrival_changes_next. */
#ifndef JT_STORE_H_INCLUDED
#define JT_STORE_H_INCLUDED

#include "catalogue.h"

typedef struct _store_t store_t;

typedef struct {
    int region;
    int indicator;
    int period;
    jt_value_t value;
} store_cell_t;

//  When a leaf region's report for a month arrived.
typedef struct {
    int region; //  a leaf
    int period;
    int day; //  earliest report day, days since 1970-01-01 (period.h)
} store_arrival_t;

//  How a region's report for a month stands against its deadline, the
//  month's last day plus the catalogue's on_time_days.
typedef enum {
    STORE_MISSING, //  some leaf at or below the region has not reported
    STORE_LATE,    //  every leaf reported, at least one after the deadline
    STORE_ON_TIME  //  every leaf reported by the deadline
} store_timeliness_t;

//  Create an empty store for a catalogue, which the store borrows and
//  which must outlive it.
store_t *store_new (const catalogue_t *catalogue);

void store_destroy (store_t **self_p);

//  Apply one update to a leaf region: set the month's value (add false) or
//  add to it (add true), rolling the difference up to every ancestor.
//  Validates what the core can see (leaf, indices, sign, whole units,
//  magnitude); on a refusal returns the reason and changes nothing.
jt_error_t store_apply (store_t *self, int region, int indicator, int period,
                        jt_value_t value, bool add);

//  Check an update exactly as store_apply would, without applying it.
jt_error_t store_check (const store_t *self, int region, int indicator,
                        int period, jt_value_t value, bool add);

//  Set one cell at any level as published by an aggregator, without
//  rolling up: how a subscriber's replica is filled.
void store_put (store_t *self, int region, int indicator, int period,
                jt_value_t value);

//  Remove every cell (a replica about to reload a snapshot).
void store_clear (store_t *self);

//  The month's own cell: true and *value when present.
bool store_get (const store_t *self, int region, int indicator, int period,
                jt_value_t *value);

//  Year to date through period by the indicator's time behaviour: true and
//  *value when anything was reported in that year up to the period.
bool store_ytd (const store_t *self, int region, int indicator, int period,
                jt_value_t *value);

//  Whether a region reported anything for the month: a leaf, its own
//  cells; a parent, any cell (so any child reported).
bool store_reported (const store_t *self, int region, int period);

//  Coverage of a month at a region: how many of its direct children (or,
//  for a leaf, itself) reported anything for that month.
void store_coverage (const store_t *self, int region, int period, int *reported,
                     int *expected);

//  Record that a leaf region reported for period on day (days since
//  1970-01-01, period.h); the earliest day is kept. True when the recorded
//  day was set or lowered, and then the arrival is listed for
//  store_arrival_changes_next. The caller resolves indices first (a
//  non-leaf or an invalid index is a bug), as for store_put.
bool store_mark_reported (store_t *self, int region, int period, int day);

//  The earliest report day recorded for a leaf region and period, or
//  PERIOD_DAY_NONE (also for a non-leaf or an invalid index).
int store_reported_day (const store_t *self, int region, int period);

//  Timeliness of a region's report for period, judged by every leaf at or
//  below it: on time when each reported by the last day of the month plus
//  the catalogue's on_time_days. *day (when day is not NULL) is set to the
//  day the last of those leaves first reported, the day the region's
//  report was complete, or PERIOD_DAY_NONE when one is missing. Costs
//  O(leaves below the region).
store_timeliness_t store_timeliness (const store_t *self, int region,
                                     int period, int *day);

//  The last day on which a report for period is on time.
int store_deadline (const store_t *self, int period);

//  Number of cells present.
size_t store_cell_count (const store_t *self);

//  Visit every present cell (for a snapshot), in no promised order.
//  Stops early and returns the callback's value when it is non-zero.
typedef int (store_visit_fn) (const store_cell_t *cell, void *arg);
int store_visit (const store_t *self, store_visit_fn *visit, void *arg);

//  Number of arrivals recorded (leaf, month pairs).
size_t store_arrival_count (const store_t *self);

//  Visit every recorded arrival (for a snapshot), in no promised order.
//  Stops early and returns the callback's value when it is non-zero.
typedef int (store_arrival_visit_fn) (const store_arrival_t *arrival,
                                      void *arg);
int store_visit_arrivals (const store_t *self, store_arrival_visit_fn *visit,
                          void *arg);

//  Start collecting changes of cells and arrivals (the previous lists are
//  dropped).
void store_changes_begin (store_t *self);

//  Next cell changed since store_changes_begin, with its new value: true
//  and *cell, or false when done. A cell touched and restored to its old
//  value is not listed.
bool store_changes_next (store_t *self, store_cell_t *cell);

//  Next arrival set or lowered since store_changes_begin, with its day now:
//  true and *arrival, or false when done.
bool store_arrival_changes_next (store_t *self, store_arrival_t *arrival);

#endif
