/*  stats.h — the aggregator's counters since it started: per source, the
    batches and updates it applied, the batches sent again, every refusal
    by reason (jt_error_t) and the updates applied but flagged; frames and
    batches from no known source count in one "(unknown)" row. What a
    StatsRequest on the query socket is answered with (docs/protocol.md).
    Counting only: no sockets, clock or log; the caller gives uptime and
    the rest. */
#ifndef JT_STATS_H_INCLUDED
#define JT_STATS_H_INCLUDED

#include "catalogue.h"
#include "codec.h"

//  The source index of the "(unknown)" row.
#define STATS_UNKNOWN (-1)

//  The name of that row on the wire.
#define STATS_UNKNOWN_NAME "(unknown)"

typedef struct _stats_t stats_t;

//  Counters for every source of a catalogue, which is borrowed and must
//  outlive them; all zero.
stats_t *stats_new (const catalogue_t *catalogue);

void stats_destroy (stats_t **self_p);

//  A batch of source (a catalogue index, or STATS_UNKNOWN) was applied,
//  with updates of its updates.
void stats_applied (stats_t *self, int source, uint64_t updates);

//  A batch of source that had been applied came again.
void stats_duplicate (stats_t *self, int source);

//  Something of source was refused for reason code (not JT_OK).
void stats_refused (stats_t *self, int source, jt_error_t code);

//  An update of source was applied but flagged: outside its indicator's
//  plausible bounds (core/quality.h).
void stats_flagged (stats_t *self, int source);

//  How many updates of source were flagged so far.
uint64_t stats_flagged_count (const stats_t *self, int source);

//  A frame on the query socket was refused.
void stats_query_refused (stats_t *self);

//  How many refusals of source for code so far.
uint64_t stats_refused_count (const stats_t *self, int source, jt_error_t code);

//  Totals over every source.
uint64_t stats_batches (const stats_t *self);
uint64_t stats_updates (const stats_t *self);
uint64_t stats_duplicates (const stats_t *self);
uint64_t stats_refusals (const stats_t *self);
uint64_t stats_flags (const stats_t *self);

//  The counters as a Stats message body: every catalogue source in
//  catalogue order, then "(unknown)" when it counted anything; in each row
//  only the reasons with a count. The other fields are the caller's.
//  Borrowed; valid until the next call on self.
const wire_stats_t *stats_wire (stats_t *self, uint64_t uptime_ms,
                                uint64_t sequence,
                                uint64_t connections_refused);

#endif
