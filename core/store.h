/*  store.h — the rollup: one cell per (region, indicator, month) holding
    that month's figure, for every level of the region tree. A report at a
    leaf moves each ancestor's cell by the difference, so an update costs
    O(depth) and no total is ever recomputed from scratch (DESIGN §3).

    A leaf's cells are what it reported. A parent's cell depends on the
    indicator's time behaviour (DESIGN §3.2):
    * a flow: the sum of the leaves below that reported that month, so its
      months add up to the year;
    * a stock or cumulative figure: the sum, over the leaves below that
      reported in that year up to the month, of each leaf's latest figure
      in that year up to the month. A leaf that has not reported the month
      is carried from its latest earlier month (store_figure_month says
      which); nothing is carried across a year, and a leaf with no report
      in the year is missing, not zero. So a parent's cell is present from
      the first month any leaf below reported through December, and every
      parent equals the sum of its children as they are shown.
    A report for March of a carried figure moves its ancestors' March and
    every later month up to the leaf's next report in that year: at most
    twelve months per level, still O(depth).

    Year to date is read, not stored: a flow sums the year's months through
    the period, a stock or cumulative figure takes the latest month present
    in that year through the period (at a parent, the month itself).
    Missing is not zero: a cell nobody reported is absent.

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
//  cells; a parent, any leaf below it (carried cells do not count).
//  Costs O(cells of the month below the region) at most.
bool store_reported (const store_t *self, int region, int period);

//  The month a region's year-to-date figure of an indicator at period
//  comes from: for a stock or cumulative figure the latest month up to
//  period with a cell in that year (at a leaf, the month it last reported;
//  at a parent, period itself), for a flow period; PERIOD_NONE when
//  nothing is there. A leaf's figure is carried when this is before
//  period.
int store_figure_month (const store_t *self, int region, int indicator,
                        int period);

//  The regions expected to report for a month at region (DESIGN §3.3):
//  its direct children, or a leaf region itself. The one place this rule
//  is written; coverage, silence and summaries ask here. Returns how many
//  (at least 1; 0 for an invalid region).
int store_expected_count (const store_t *self, int region);

//  The index-th (0 .. store_expected_count - 1) region expected to report
//  at region, in catalogue order.
int store_expected_region (const store_t *self, int region, int index);

//  Coverage of a month at a region: how many of the regions expected to
//  report (store_expected_count) reported anything for that month.
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
