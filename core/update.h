/*  update.h — an update and a batch as every part of jobtally sees them:
    the codec maps the wire's Update and Batch one to one onto these, the
    collector's CSV reader and sender fill them, and the ingest engine
    (ingest.h) applies them. Plain values: strings are borrowed from
    whoever filled the struct (a decode arena, a reader). */
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

#endif
