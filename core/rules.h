/*  rules.h — the alert engine: the catalogue's rules evaluated against the
    store at a time the caller passes in (DESIGN §2, "Rules"). Pure: no
    clock, no socket, no file; the reporter sends the notices and keeps the
    saved state in a file.

    Each (rule, region, period) has its own alert, named by its dedup key
    "rule/region/YYYY-MM". An alert is OK (not kept), PENDING from the time
    its condition began, or FIRING once the condition has held for the
    rule's `for`. Going FIRING queues a firing notice; while firing, a
    notice is repeated every `repeat` seconds (never when 0); when the
    condition clears, a resolved notice is queued if it had fired, and a
    pending alert goes back to OK silently (flapping inside `for` sends
    nothing). A figure that is not present is no evidence either way: the
    alert is left as it is and nothing is sent.

    What each kind compares (value against threshold in every notice):
    threshold    the figure (or its completion or pace, in percent) above
                 or below the rule's threshold;
    silence      days since the month ended against on_time_days: fires
                 once the month's end (00:00 UTC on the 1st of the next
                 month) plus on_time_days has passed with no report; since
                 is that deadline, not the time it was noticed;
    restatement  the month's cell after a revision against the old value
                 less drop_pct percent; starts only from rules_restated,
                 holds while the cell stays below that line, and resolves
                 when a later revision (or evaluation) finds it back;
    consistency  left side against right side;
    outlier      a leaf's figure for the month against its indicator's
                 plausible bounds (core/quality.h): threshold is the bound
                 it broke (min, max, or the furthest max_change allows from
                 the month before); holds while the figure is outside. */
#ifndef JT_RULES_H_INCLUDED
#define JT_RULES_H_INCLUDED

#include "store.h"

//  Room for a dedup key: two ids of at most 64 bytes, a period, slashes.
#define RULES_KEY_SIZE 160

typedef enum {
    NOTICE_FIRING,  //  fired, or a repeat while firing
    NOTICE_RESOLVED //  the condition cleared after firing
} notice_state_t;

//  One notice for the reporter to send; a plain value, nothing to free.
typedef struct {
    int rule;                 //  rule index in the catalogue
    int region;               //  region index
    int period;               //  the month the alert is about
    notice_state_t state;     //  firing or resolved
    bool repeat;              //  a firing notice sent again (repeat)
    rule_severity_t severity; //  the rule's
    double value;             //  what was seen (see rules.h, per kind)
    double threshold;         //  what it was compared with
    int64_t since;            //  when the condition began, seconds
    char key[RULES_KEY_SIZE]; //  "new_jobs_behind_pace/heihe/2003-10"
} rules_notice_t;

typedef struct _rules_t rules_t;

//  Create an engine with no alert state. It borrows the catalogue and the
//  store, which must outlive it.
rules_t *rules_new (const catalogue_t *catalogue, const store_t *store);

//  Read from another store from now on (a replica that loaded a new
//  snapshot into a fresh store); the alert state is kept.
void rules_set_store (rules_t *self, const store_t *store);

//  Destroy the engine; NULL-safe, nulls the caller's pointer.
void rules_destroy (rules_t **self_p);

//  Evaluate every threshold, silence, consistency and outlier rule at each
//  of its regions for period (a valid period) at time now (seconds since
//  the epoch), and re-check every restatement alert (of any period)
//  against its cell. Queues the notices due; returns how many were queued.
int rules_evaluate (rules_t *self, int period, int64_t now);

//  Tell the engine that a cell changed from old_value to new_value (in
//  JT_SCALE units): the only way a restatement alert starts. A drop of
//  more than the rule's drop_pct percent (of old_value) starts an alert at
//  now; a revision back to at least that line clears it. Returns how many
//  notices were queued.
int rules_restated (rules_t *self, int region, int indicator, int period,
                    jt_value_t old_value, jt_value_t new_value, int64_t now);

//  Next queued notice, oldest first: true and *notice, or false when the
//  queue is empty.
bool rules_next (rules_t *self, rules_notice_t *notice);

//  Every alert now firing, as firing notices with the value and threshold
//  last seen, sorted by key; *count is set. Returns a fresh array that the
//  caller frees, or NULL when none is firing.
rules_notice_t *rules_active (const rules_t *self, size_t *count);

//  Forget, without notices, every alert about a month before period (a
//  reporter that has moved on from old months).
void rules_forget_before (rules_t *self, int period);

//  The alert state as text: a "# jobtally alert state 1" line, then one
//  line per pending or firing alert, sorted by key, of space-separated
//  fields "key state since last_sent reference value threshold": state is
//  pending or firing, since and last_sent are seconds (last_sent 0 while
//  pending), reference is a restatement's value before the drop in
//  JT_SCALE units (else 0), value and threshold the last seen. Returns a
//  fresh string that the caller frees.
char *rules_save (const rules_t *self);

//  Replace the alert state with one saved by rules_save. Lines whose rule
//  or region is no longer in the catalogue (or no longer in the rule) are
//  skipped. On a malformed line returns -1 and keeps the state as it was.
int rules_load (rules_t *self, const char *text);

#endif
