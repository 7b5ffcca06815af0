/*  stats_report.c — the aggregator's counters as text or JSON. */
#include "stats_report.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "check.h"

int
stats_report_format_parse (const char *name, stats_report_format_t *format)
{
    if (streq (name, "text"))
        *format = STATS_REPORT_TEXT;
    else if (streq (name, "json"))
        *format = STATS_REPORT_JSON;
    else
        return -1;
    return 0;
}

//  A count with thousands separators ("12,345") into buffer of 32 bytes.
static char *
s_count (uint64_t count, char *buffer)
{
    char digits[24];
    int length = snprintf (digits, sizeof digits, "%" PRIu64, count);
    size_t used = 0;
    for (int index = 0; index < length; index++) {
        if (index > 0 && (length - index) % 3 == 0)
            buffer[used++] = ',';
        buffer[used++] = digits[index];
    }
    buffer[used] = 0;
    return buffer;
}

//  "3 h 07 min" from milliseconds, into buffer of 64 bytes.
static char *
s_uptime (uint64_t ms, char *buffer)
{
    uint64_t minutes = ms / 60000;
    if (minutes < 1)
        snprintf (buffer, 64, "%" PRIu64 " s", ms / 1000);
    else if (minutes < 60)
        snprintf (buffer, 64, "%" PRIu64 " min", minutes);
    else if (minutes < 24 * 60)
        snprintf (buffer, 64, "%" PRIu64 " h %02" PRIu64 " min", minutes / 60,
                  minutes % 60);
    else
        snprintf (buffer, 64, "%" PRIu64 " d %02" PRIu64 " h",
                  minutes / (24 * 60), minutes / 60 % 24);
    return buffer;
}

//  Refusals of one row: the sum of its reasons.
static uint64_t
s_refused (const wire_source_stats_t *row)
{
    uint64_t total = 0;
    for (size_t index = 0; index < row->refused_count; index++)
        total += row->refused[index].count;
    return total;
}

static int
s_write_text (FILE *out, const wire_stats_t *stats, const char *endpoint)
{
    char uptime[64], shown[CHECK_SHOWN_SIZE];
    char batches[32], updates[32], duplicates[32], refused[32];
    fprintf (out, "Aggregator at %s: up %s, state sequence %" PRIu64 ".\n",
             endpoint, s_uptime (stats->uptime_ms, uptime), stats->sequence);
    fprintf (out,
             "Applied %s batches and %s updates; %s duplicate batches; %s "
             "refused.\n",
             s_count (stats->batches, batches),
             s_count (stats->updates, updates),
             s_count (stats->duplicates, duplicates),
             s_count (stats->refused, refused));
    fprintf (out,
             "Connections refused: %" PRIu64 ". Query frames refused: %" PRIu64
             ".\n\n",
             stats->connections_refused, stats->queries_refused);

    //  One row per source, the columns as wide as their widest cell.
    int width = (int)strlen ("source");
    for (size_t index = 0; index < stats->source_count; index++) {
        int length =
            (int)strlen (check_shown (stats->sources[index].source, shown));
        if (length > width)
            width = length;
    }
    fprintf (out, "%-*s  %12s  %12s  %10s  %10s\n", width, "source", "batches",
             "updates", "duplicates", "refused");
    for (size_t index = 0; index < stats->source_count; index++) {
        const wire_source_stats_t *row = &stats->sources[index];
        fprintf (out, "%-*s  %12s  %12s  %10s  %10s\n", width,
                 check_shown (row->source, shown),
                 s_count (row->batches, batches),
                 s_count (row->updates, updates),
                 s_count (row->duplicates, duplicates),
                 s_count (s_refused (row), refused));
    }
    fprintf (out, "%-*s  %12s  %12s  %10s  %10s\n", width, "total",
             s_count (stats->batches, batches),
             s_count (stats->updates, updates),
             s_count (stats->duplicates, duplicates),
             s_count (stats->refused, refused));

    //  Then what was refused, by source and reason.
    if (stats->refused == 0)
        return 0;
    int reason_width = (int)strlen ("reason");
    for (size_t index = 0; index < stats->source_count; index++)
        for (size_t at = 0; at < stats->sources[index].refused_count; at++) {
            int length = (int)strlen (
                check_shown (stats->sources[index].refused[at].reason, shown));
            if (length > reason_width)
                reason_width = length;
        }
    fprintf (out, "\nRefused, by source and reason:\n\n");
    fprintf (out, "%-*s  %-*s  %10s\n", width, "source", reason_width, "reason",
             "count");
    for (size_t index = 0; index < stats->source_count; index++) {
        const wire_source_stats_t *row = &stats->sources[index];
        char source[CHECK_SHOWN_SIZE];
        check_shown (row->source, source);
        for (size_t at = 0; at < row->refused_count; at++)
            fprintf (out, "%-*s  %-*s  %10s\n", width, source, reason_width,
                     check_shown (row->refused[at].reason, shown),
                     s_count (row->refused[at].count, refused));
    }
    return 0;
}

//  A count as a JSON integer (json_int_t is signed: the top half clamps).
static json_t *
s_integer (uint64_t count)
{
    return json_integer (count > INT64_MAX ? INT64_MAX : (json_int_t)count);
}

static json_t *
s_json (const wire_stats_t *stats, const char *endpoint)
{
    char shown[CHECK_SHOWN_SIZE];
    json_t *document = json_object ();
    json_object_set_new (document, "aggregator", json_string (endpoint));
    json_object_set_new (document, "uptime_ms", s_integer (stats->uptime_ms));
    json_object_set_new (document, "sequence", s_integer (stats->sequence));
    json_t *totals = json_object ();
    json_object_set_new (totals, "batches", s_integer (stats->batches));
    json_object_set_new (totals, "updates", s_integer (stats->updates));
    json_object_set_new (totals, "duplicates", s_integer (stats->duplicates));
    json_object_set_new (totals, "refused", s_integer (stats->refused));
    json_object_set_new (totals, "connections_refused",
                         s_integer (stats->connections_refused));
    json_object_set_new (totals, "queries_refused",
                         s_integer (stats->queries_refused));
    json_object_set_new (document, "totals", totals);
    json_t *sources = json_array ();
    for (size_t index = 0; index < stats->source_count; index++) {
        const wire_source_stats_t *row = &stats->sources[index];
        json_t *object = json_object ();
        json_object_set_new (object, "source",
                             json_string (check_shown (row->source, shown)));
        json_object_set_new (object, "batches", s_integer (row->batches));
        json_object_set_new (object, "updates", s_integer (row->updates));
        json_object_set_new (object, "duplicates", s_integer (row->duplicates));
        json_object_set_new (object, "refused", s_integer (s_refused (row)));
        json_t *reasons = json_object ();
        for (size_t at = 0; at < row->refused_count; at++) {
            const char *reason = check_shown (row->refused[at].reason, shown);
            //  A reason named twice (only a broken peer does that) adds up.
            json_t *seen = json_object_get (reasons, reason);
            uint64_t before = seen ? (uint64_t)json_integer_value (seen) : 0;
            json_object_set_new (reasons, reason,
                                 s_integer (before + row->refused[at].count));
        }
        json_object_set_new (object, "refused_by_reason", reasons);
        json_array_append_new (sources, object);
    }
    json_object_set_new (document, "sources", sources);
    return document;
}

int
stats_report_write (FILE *out, const wire_stats_t *stats, const char *endpoint,
                    stats_report_format_t format)
{
    assert (out && stats && endpoint);
    if (format == STATS_REPORT_TEXT)
        return s_write_text (out, stats, endpoint) || ferror (out) ? -1 : 0;
    json_t *document = s_json (stats, endpoint);
    int rc = json_dumpf (document, out, JSON_INDENT (2) | JSON_PRESERVE_ORDER);
    json_decref (document);
    if (rc == 0 && fputc ('\n', out) == EOF)
        rc = -1;
    return rc || ferror (out) ? -1 : 0;
}
