/*  fuzz_codec.c — libFuzzer target for the wire decoder and for what the
    aggregator does with what it decodes.

    Each input is one message body as it arrives on a socket. A batch takes
    the aggregator's path: core/ingest's ingest_batch against a small
    catalogue (source, sequence, every update's check, report date and
    plausible bounds, the apply), the changed cells and arrivals are
    drained, and the ack is encoded and decoded again as the collector
    would, which must give back the same figures and reasons. Every other
    body has each of its fields read. The engine is reset after each
    batch, so that one input alone reproduces what it did. */
#include <czmq.h>

#include "../common/app.h"
#include "../tests/utf8.h"
#include "cell.h"
#include "check.h"
#include "codec.h"
#include "fuzz_catalogue_text.h"
#include "ingest.h"
#include "period.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

//  Small, so that inputs reach it, yet a batch of APP_MAX_BATCH + 1 empty
//  updates (20 KB, 80 arena bytes each) still decodes and is refused as
//  too large, as with the aggregator's APP_ARENA_LIMIT.
#define ARENA_LIMIT (2 * 1024 * 1024)

static codec_t *s_codec;         //  the aggregator's: decodes, encodes acks
static codec_t *s_peer;          //  the collector's: decodes the acks
static catalogue_t *s_catalogue; //  FUZZ_CATALOGUE_TEXT
static ingest_t *s_ingest;       //  the engine, reset after each batch
static int s_today;              //  the aggregator's clock, fixed: 2003-11-14
static volatile size_t s_sink;   //  what was read, so nothing is skipped

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char *error = NULL;
    s_catalogue = catalogue_new (FUZZ_CATALOGUE_TEXT, "fuzz.zpl", &error);
    if (!s_catalogue) {
        fprintf (stderr, "fuzz_codec: %s\n", error);
        abort ();
    }
    s_ingest = ingest_new (s_catalogue, APP_MAX_BATCH);
    s_today = period_day_make (2003, 11, 14);
    s_codec = codec_new (ARENA_LIMIT);
    s_peer = codec_new (ARENA_LIMIT);
    assert (s_ingest && s_codec && s_peer);
    return 0;
}

//  Read a borrowed string to its end; NULL is allowed where the header
//  says "NULL or ''".
static void
s_touch (const char *text)
{
    if (text)
        s_sink += strlen (text);
}

static bool
s_same (const char *one, const char *other)
{
    return strcmp (one ? one : "", other ? other : "") == 0;
}

//  Encode the ack as the aggregator sends it and decode it as the
//  collector does: both ends must agree on every field.
static void
s_round_trip (const jt_ack_t *ack)
{
    zframe_t *frame = codec_encode_ack (s_codec, ack);
    assert (frame);
    const char *error = NULL;
    jt_msg_type_t type =
        codec_decode (s_peer, zframe_data (frame), zframe_size (frame), &error);
    assert (type == JT_MSG_ACK);
    const jt_ack_t *back = codec_ack (s_peer);
    assert (back);
    assert (s_same (back->source, ack->source));
    assert (back->sequence == ack->sequence);
    assert (back->applied == ack->applied);
    assert (back->duplicate == ack->duplicate);
    assert (back->out_of_order == ack->out_of_order);
    assert (s_same (back->error, ack->error));
    assert (back->rejection_count == ack->rejection_count);
    for (size_t index = 0; index < ack->rejection_count; index++) {
        assert (back->rejections[index].index == ack->rejections[index].index);
        assert (back->rejections[index].line == ack->rejections[index].line);
        assert (s_same (back->rejections[index].reason,
                        ack->rejections[index].reason));
    }
    assert (back->warning_count == ack->warning_count);
    for (size_t index = 0; index < ack->warning_count; index++) {
        assert (back->warnings[index].index == ack->warnings[index].index);
        assert (back->warnings[index].line == ack->warnings[index].line);
        assert (
            s_same (back->warnings[index].reason, ack->warnings[index].reason));
    }
    zframe_destroy (&frame);
}

//  The aggregator's handling of one batch: the engine's one entry point
//  (core/ingest), as live traffic and journal replay take it. Every
//  refusal and warning must be a short valid UTF-8 text, an applied batch
//  accounts for each update, and what changed must drain cleanly.
static void
s_batch (const jt_batch_t *batch, const uint8_t *data, size_t size)
{
    s_touch (batch->source);
    ingest_result_t result;
    ingest_batch (s_ingest, batch, ingest_digest (data, size), s_today, NULL,
                  &result);
    const jt_ack_t *ack = &result.ack;
    if (result.outcome == INGEST_APPLIED)
        assert (ack->applied + ack->rejection_count == batch->update_count);
    for (size_t index = 0; index < ack->rejection_count; index++) {
        assert (strlen (ack->rejections[index].reason) < CHECK_REASON_SIZE);
        assert (utf8_valid (ack->rejections[index].reason));
    }
    for (size_t index = 0; index < ack->warning_count; index++)
        assert (utf8_valid (ack->warnings[index].reason));
    store_t *store = ingest_store (s_ingest);
    store_cell_t cell;
    while (store_changes_next (store, &cell)) {
        assert (cell.region >= 0 && cell.indicator >= 0);
        assert (period_from_yyyymm (period_yyyymm (cell.period)) ==
                cell.period);
        s_sink += (size_t)cell.value;
    }
    store_arrival_t arrival;
    while (store_arrival_changes_next (store, &arrival)) {
        assert (catalogue_region (s_catalogue, arrival.region)->child_count ==
                0);
        assert (period_day_from_yyyymmdd (period_day_yyyymmdd (arrival.day)) ==
                arrival.day);
        assert (store_reported_day (store, arrival.region, arrival.period) ==
                arrival.day);
    }
    s_round_trip (ack);
    //  Emptied after each batch: the next input starts from nothing, and
    //  frees what this one allocated, as libFuzzer's leak check expects.
    ingest_reset (s_ingest);
}

static void
s_ack (const jt_ack_t *ack)
{
    s_touch (ack->source);
    s_touch (ack->error);
    s_sink += ack->sequence + ack->applied + ack->duplicate + ack->out_of_order;
    for (size_t index = 0; index < ack->rejection_count; index++) {
        s_touch (ack->rejections[index].reason);
        s_sink += ack->rejections[index].index + ack->rejections[index].line;
    }
    for (size_t index = 0; index < ack->warning_count; index++) {
        s_touch (ack->warnings[index].reason);
        s_sink += ack->warnings[index].index + ack->warnings[index].line;
    }
}

//  Changes, snapshot and heartbeat: every field read, and each cell and
//  arrival resolved against the catalogue as a reporter would; one that
//  resolves names the same ids and month again.
static void
s_cells (const wire_cells_t *cells)
{
    s_sink += cells->sequence + cells->last;
    for (size_t index = 0; index < cells->cell_count; index++) {
        const jt_cell_t *cell = &cells->cells[index];
        s_touch (cell->region);
        s_touch (cell->indicator);
        store_cell_t resolved;
        if (cell_resolve (s_catalogue, cell, &resolved) == JT_OK) {
            jt_cell_t named = cell_from_store (s_catalogue, &resolved);
            assert (streq (named.region, cell->region) &&
                    streq (named.indicator, cell->indicator) &&
                    named.period == cell->period && named.value == cell->value);
        }
        s_sink += (size_t)cell->period + (size_t)cell->value;
    }
    for (size_t index = 0; index < cells->arrival_count; index++) {
        const jt_arrival_t *arrival = &cells->arrivals[index];
        s_touch (arrival->region);
        store_arrival_t resolved;
        if (cell_arrival_resolve (s_catalogue, arrival, &resolved) == JT_OK) {
            jt_arrival_t named =
                cell_arrival_from_store (s_catalogue, &resolved);
            assert (streq (named.region, arrival->region) &&
                    named.period == arrival->period &&
                    named.reported == arrival->reported);
        }
        s_sink += (size_t)arrival->period + (size_t)arrival->reported;
    }
}

static void
s_query_reply (const wire_query_reply_t *reply)
{
    s_touch (reply->error);
    s_touch (reply->region);
    s_sink +=
        reply->period + reply->reported + reply->expected + reply->sequence;
    for (size_t index = 0; index < reply->row_count; index++) {
        const figure_row_t *row = &reply->rows[index];
        s_touch (row->name);
        s_sink += row->present + row->has_target;
        //  Doubles from the wire may be NaN or infinite: read, not converted.
        double sum =
            row->value + row->target + row->completion_pct + row->pace_pct;
        s_sink += sum == sum;
    }
}

static void
s_stats (const wire_stats_t *stats)
{
    s_sink += stats->uptime_ms + stats->sequence + stats->batches +
              stats->updates + stats->duplicates + stats->refused +
              stats->connections_refused + stats->queries_refused;
    for (size_t index = 0; index < stats->source_count; index++) {
        const wire_source_stats_t *row = &stats->sources[index];
        s_touch (row->source);
        s_sink += row->batches + row->updates + row->duplicates;
        for (size_t at = 0; at < row->refused_count; at++) {
            s_touch (row->refused[at].reason);
            s_sink += row->refused[at].count;
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    const char *error = NULL;
    jt_msg_type_t type = codec_decode (s_codec, data, size, &error);
    switch (type) {
    case JT_MSG_NONE:
        assert (error && *error);
        break;
    case JT_MSG_BATCH:
        assert (codec_batch (s_codec));
        s_batch (codec_batch (s_codec), data, size);
        break;
    case JT_MSG_ACK:
        assert (codec_ack (s_codec));
        s_ack (codec_ack (s_codec));
        break;
    case JT_MSG_CHANGES:
    case JT_MSG_HEARTBEAT:
    case JT_MSG_SNAPSHOT:
        assert (codec_cells (s_codec));
        s_cells (codec_cells (s_codec));
        break;
    case JT_MSG_SNAPSHOT_REQUEST:
        break;
    case JT_MSG_QUERY:
        assert (codec_query (s_codec));
        s_touch (codec_query (s_codec)->region);
        s_sink += (size_t)period_from_yyyymm (codec_query (s_codec)->period);
        break;
    case JT_MSG_QUERY_REPLY:
        assert (codec_query_reply (s_codec));
        s_query_reply (codec_query_reply (s_codec));
        break;
    case JT_MSG_STATS_REQUEST:
        break;
    case JT_MSG_STATS:
        assert (codec_stats (s_codec));
        s_stats (codec_stats (s_codec));
        break;
    default:
        break; //  a type added since: decoded, not read
    }
    //  The accessors answer only for the type just decoded.
    assert ((codec_batch (s_codec) != NULL) == (type == JT_MSG_BATCH));
    assert ((codec_ack (s_codec) != NULL) == (type == JT_MSG_ACK));
    assert ((codec_query (s_codec) != NULL) == (type == JT_MSG_QUERY));
    assert ((codec_stats (s_codec) != NULL) == (type == JT_MSG_STATS));
    return 0;
}
