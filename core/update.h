/*  update.h — the values that travel between jobtally's processes, as
    every part sees them: an update, a batch and its ack, and a published
    cell and arrival. The codec maps the wire's Update, Batch, Ack, Cell and
    Arrival one to one onto these; the collector's CSV reader and sender
    fill updates, the ingest engine (ingest.h) applies batches and answers
    with acks, and cell.h maps cells and arrivals to and from the store's
    index form. Plain values: strings are borrowed from whoever filled the
    struct (a decode arena, a reader, the catalogue). */
#ifndef JT_UPDATE_H_INCLUDED
#define JT_UPDATE_H_INCLUDED

#include "jt.h"

//  One figure for (region, indicator, month): set, or added to (an event).
//  The month and the report date are kept as sent, so that a bad one is
//  refused with the very number the sender wrote.
typedef struct {
    const char *region;    //  region id, as sent (maybe not an id at all)
    const char *indicator; //  indicator id, as sent
    uint32_t period;       //  YYYYMM as sent; validate with period_from_yyyymm
    jt_value_t value;      //  thousandths of the unit
    bool add;              //  add to the month's value; false: set it
    uint32_t line;         //  the line of the sender's file, 0 for none
    uint32_t reported;     //  YYYYMMDD the report was filed, 0: on arrival
} jt_update_t;

//  A source's numbered batch of updates (DESIGN §3.5): applied once, and
//  only after the batch it names as sent before it.
typedef struct {
    const char *source;   //  source id, as sent
    uint64_t sequence;    //  from 1, per source
    size_t update_count;  //  entries in updates
    jt_update_t *updates; //  borrowed
    uint64_t previous;    //  batch that must be applied first, 0 none
} jt_batch_t;

//  An update refused, or applied but flagged, in an ack.
typedef struct {
    uint32_t index;     //  its index in the batch
    uint32_t line;      //  its line (jt_update_t.line)
    const char *reason; //  why refused, or the warning
} jt_rejection_t;

//  The answer to a batch.
typedef struct {
    const char *source;         //  the batch's source when an id, else ""
    uint64_t sequence;          //  the batch's sequence
    uint32_t applied;           //  updates applied
    bool duplicate;             //  applied before: not applied again
    const char *error;          //  NULL or "" when the batch was taken
    size_t rejection_count;     //  updates refused, each with its reason
    jt_rejection_t *rejections; //  in batch order
    bool out_of_order;          //  not applied: send again, in order
    size_t warning_count;       //  updates applied but flagged
    jt_rejection_t *warnings;   //  each: index, line, warning as reason
} jt_ack_t;

//  One month's figure of a region at any level of the tree, as the
//  aggregator publishes it: ids and month as on the wire, so that one a
//  subscriber's catalogue does not know is logged as it was sent. The
//  store's index form is store_cell_t; cell.h maps between the two.
typedef struct {
    const char *region;    //  region id
    const char *indicator; //  indicator id
    uint32_t period;       //  YYYYMM
    jt_value_t value;      //  thousandths of the unit
} jt_cell_t;

//  When a leaf region's report for a month first arrived, as published
//  (the store's index form is store_arrival_t).
typedef struct {
    const char *region; //  leaf region id
    uint32_t period;    //  YYYYMM
    uint32_t reported;  //  YYYYMMDD of the earliest report
} jt_arrival_t;

#endif
