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
    absent to present) is listed once, however often it was touched. */
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

//  Create an empty store for a catalogue, which the store borrows and
//  which must outlive it.
store_t *
    store_new (const catalogue_t *catalogue);

void
    store_destroy (store_t **self_p);

//  Apply one update to a leaf region: set the month's value (add false) or
//  add to it (add true), rolling the difference up to every ancestor.
//  Validates what the core can see (leaf, indices, sign, whole units,
//  magnitude); on a refusal returns the reason and changes nothing.
jt_error_t
    store_apply (store_t *self, int region, int indicator, int period,
                 jt_value_t value, bool add);

//  Check an update exactly as store_apply would, without applying it.
jt_error_t
    store_check (const store_t *self, int region, int indicator, int period,
                 jt_value_t value, bool add);

//  Set one cell at any level as published by an aggregator, without
//  rolling up: how a subscriber's replica is filled.
void
    store_put (store_t *self, int region, int indicator, int period,
               jt_value_t value);

//  Remove every cell (a replica about to reload a snapshot).
void
    store_clear (store_t *self);

//  The month's own cell: true and *value when present.
bool
    store_get (const store_t *self, int region, int indicator, int period,
               jt_value_t *value);

//  Year to date through period by the indicator's time behaviour: true and
//  *value when anything was reported in that year up to the period.
bool
    store_ytd (const store_t *self, int region, int indicator, int period,
               jt_value_t *value);

//  Whether a region reported anything for the month: a leaf, its own
//  cells; a parent, any cell (so any child reported).
bool
    store_reported (const store_t *self, int region, int period);

//  Coverage of a month at a region: how many of its direct children (or,
//  for a leaf, itself) reported anything for that month.
void
    store_coverage (const store_t *self, int region, int period,
                    int *reported, int *expected);

//  Number of cells present.
size_t
    store_cell_count (const store_t *self);

//  Visit every present cell (for a snapshot), in no promised order.
//  Stops early and returns the callback's value when it is non-zero.
typedef int (store_visit_fn) (const store_cell_t *cell, void *arg);
int
    store_visit (const store_t *self, store_visit_fn *visit, void *arg);

//  Start collecting changes (the previous list is dropped).
void
    store_changes_begin (store_t *self);

//  Next cell changed since store_changes_begin, with its new value: true
//  and *cell, or false when done. A cell touched and restored to its old
//  value is not listed.
bool
    store_changes_next (store_t *self, store_cell_t *cell);

#endif
