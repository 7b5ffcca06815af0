/*  stats.h — the aggregator's counters since it started: per source, the
    batches and updates it applied, the batches sent again, every refusal
    by reason (jt_error_t) and the updates applied but flagged; frames and
    batches from no known source count in one "(unknown)" row. The ingest
    engine (ingest.h) owns them and counts what it decides; the server
    counts what it refuses before a batch reaches the engine. What a
    StatsRequest on the query socket is answered with (docs/protocol.md,
    aggregator/stats_wire.h). Counting only: no sockets, clock or log. */
#ifndef JT_STATS_H_INCLUDED
#define JT_STATS_H_INCLUDED

#include "catalogue.h"

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

//  One source's counters.
typedef struct {
    uint64_t batches;               //  batches applied
    uint64_t updates;               //  updates applied
    uint64_t duplicates;            //  applied batches that came again
    uint64_t refused[JT_ERR_COUNT]; //  refusals by reason
    uint64_t flagged;               //  updates applied but flagged
} stats_row_t;

//  The counters of source (a catalogue index, or STATS_UNKNOWN). Borrowed.
const stats_row_t *stats_row (const stats_t *self, int source);

//  How many frames were refused on the query socket.
uint64_t stats_queries_refused (const stats_t *self);

#endif
