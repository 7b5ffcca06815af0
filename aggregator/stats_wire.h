/*  stats_wire.h — the engine's counters (core/stats.h) as the Stats
    message that answers a StatsRequest on the query socket
    (docs/protocol.md). */
#ifndef JT_STATS_WIRE_H_INCLUDED
#define JT_STATS_WIRE_H_INCLUDED

#include "codec.h"
#include "stats.h"

//  The counters as a Stats message body: every catalogue source in
//  catalogue order, then "(unknown)" when it counted anything; in each row
//  only the reasons with a count. The other fields are the caller's. The
//  catalogue is the one stats counts for. Returns a fresh message in one
//  block, the caller's to free (); its strings are borrowed from the
//  catalogue and jt_strerror.
wire_stats_t *stats_wire (const stats_t *stats, const catalogue_t *catalogue,
                          uint64_t uptime_ms, uint64_t sequence,
                          uint64_t connections_refused);

#endif
