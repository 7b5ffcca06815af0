/*  stats_wire.c — the counters as a Stats message. */
#include "stats_wire.h"

wire_stats_t *
stats_wire (const stats_t *stats, const catalogue_t *catalogue,
            uint64_t uptime_ms, uint64_t sequence, uint64_t connections_refused)
{
    assert (stats && catalogue);
    int source_count = catalogue_source_count (catalogue);
    size_t rows = (size_t)source_count + 1;
    wire_stats_t *message = (wire_stats_t *)malloc (
        sizeof (wire_stats_t) + rows * sizeof (wire_source_stats_t) +
        rows * JT_ERR_COUNT * sizeof (wire_reason_count_t));
    assert (message);
    wire_source_stats_t *sources = (wire_source_stats_t *)(message + 1);
    wire_reason_count_t *reasons = (wire_reason_count_t *)(sources + rows);
    size_t count = 0;
    for (int index = 0; index <= source_count; index++) {
        bool unknown = index == source_count;
        const stats_row_t *row =
            stats_row (stats, unknown ? STATS_UNKNOWN : index);
        wire_source_stats_t *wire = &sources[count];
        *wire = (wire_source_stats_t){
            .source = unknown ? STATS_UNKNOWN_NAME
                              : catalogue_source (catalogue, index)->id,
            .batches = row->batches,
            .updates = row->updates,
            .duplicates = row->duplicates,
            .refused = reasons};
        for (int code = 0; code < JT_ERR_COUNT; code++)
            if (row->refused[code])
                reasons[wire->refused_count++] = (wire_reason_count_t){
                    .reason = jt_strerror ((jt_error_t)code),
                    .count = row->refused[code]};
        bool counted = row->batches || row->updates || row->duplicates ||
                       wire->refused_count;
        if (unknown && !counted)
            break;
        reasons += wire->refused_count;
        count++;
    }
    *message = (wire_stats_t){.uptime_ms = uptime_ms,
                              .sequence = sequence,
                              .batches = stats_batches (stats),
                              .updates = stats_updates (stats),
                              .duplicates = stats_duplicates (stats),
                              .refused = stats_refusals (stats),
                              .connections_refused = connections_refused,
                              .queries_refused = stats_queries_refused (stats),
                              .source_count = count,
                              .sources = sources};
    return message;
}
