/*  test_codec.c — round trips of every message through the codec, the
    published cells and arrivals to and from the store (cell.h) through it,
    and refusal of bytes that are not a version-1 message. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "codec.h"
#include "cell.h"
#include "period.h"

static void
test_batch_round_trip (void **state)
{
    (void)state;
    codec_t *codec = codec_new (1024 * 1024);
    jt_update_t updates[2] = {
        {"heihe.aihui", "employed_new", 200310, 1184000, false, 12, 20031105},
        {"heihe.sunwu", "trained", 200301, 5000, true, 0, 0}};
    jt_batch_t batch = {"aihui", 42, 2, updates, 0};
    batch.previous = 41;
    zframe_t *frame = codec_encode_batch (codec, &batch);
    const char *error = "unset";
    assert_int_equal (
        codec_decode (codec, zframe_data (frame), zframe_size (frame), &error),
        JT_MSG_BATCH);
    assert_null (error);
    const jt_batch_t *decoded = codec_batch (codec);
    assert_non_null (decoded);
    assert_null (codec_ack (codec));
    assert_string_equal (decoded->source, "aihui");
    assert_int_equal (decoded->sequence, 42);
    assert_int_equal (decoded->previous, 41);
    assert_int_equal (decoded->update_count, 2);
    assert_string_equal (decoded->updates[0].region, "heihe.aihui");
    assert_string_equal (decoded->updates[0].indicator, "employed_new");
    assert_int_equal (decoded->updates[0].period, 200310);
    assert_int_equal (decoded->updates[0].value, 1184000);
    assert_false (decoded->updates[0].add);
    assert_int_equal (decoded->updates[0].line, 12);
    assert_int_equal (decoded->updates[0].reported, 20031105);
    assert_true (decoded->updates[1].add);
    assert_int_equal (decoded->updates[1].value, 5000);
    assert_int_equal (decoded->updates[1].reported, 0); //  not given
    zframe_destroy (&frame);
    codec_destroy (&codec);
    assert_null (codec);
    codec_destroy (&codec); //  twice is harmless
}

static void
test_ack_round_trip (void **state)
{
    (void)state;
    codec_t *codec = codec_new (1024 * 1024);
    jt_rejection_t rejections[1] = {{3, 17, "unknown region 'heihe.nowhere'"}};
    jt_ack_t ack = {"aihui", 7, 9, false, NULL, 1, rejections, false, 0, NULL};
    ack.out_of_order = true;
    zframe_t *frame = codec_encode_ack (codec, &ack);
    assert_int_equal (
        codec_decode (codec, zframe_data (frame), zframe_size (frame), NULL),
        JT_MSG_ACK);
    const jt_ack_t *decoded = codec_ack (codec);
    assert_string_equal (decoded->source, "aihui");
    assert_int_equal (decoded->sequence, 7);
    assert_int_equal (decoded->applied, 9);
    assert_false (decoded->duplicate);
    assert_true (decoded->out_of_order);
    assert_string_equal (decoded->error, "");
    assert_int_equal (decoded->rejection_count, 1);
    assert_int_equal (decoded->rejections[0].index, 3);
    assert_int_equal (decoded->rejections[0].line, 17);
    assert_string_equal (decoded->rejections[0].reason,
                         "unknown region 'heihe.nowhere'");
    zframe_destroy (&frame);
    codec_destroy (&codec);
}

//  Warnings ride beside rejections, each keeping its index, line and text;
//  an ack without any decodes with none, as from an aggregator before them.
static void
test_ack_warnings_round_trip (void **state)
{
    (void)state;
    codec_t *codec = codec_new (1024 * 1024);
    jt_rejection_t rejections[1] = {
        {1, 8,
         "implausible figure: heihe.aihui employed_new 2003-10: 98000 above "
         "the plausible maximum 20000"}};
    jt_rejection_t warnings[2] = {
        {0, 7,
         "heihe.aihui employed_new 2003-09: 30000 above the plausible "
         "maximum 20000"},
        {4, 12,
         "heihe.aihui reemployed 2003-10: 5400 is 12.0\xC3\x97 September's "
         "450 (at most +200%)"}};
    jt_ack_t ack = {.source = "aihui",
                    .sequence = 8,
                    .applied = 4,
                    .rejection_count = 1,
                    .rejections = rejections,
                    .warning_count = 2,
                    .warnings = warnings};
    zframe_t *frame = codec_encode_ack (codec, &ack);
    assert_int_equal (
        codec_decode (codec, zframe_data (frame), zframe_size (frame), NULL),
        JT_MSG_ACK);
    const jt_ack_t *decoded = codec_ack (codec);
    assert_int_equal (decoded->applied, 4);
    assert_int_equal (decoded->rejection_count, 1);
    assert_int_equal (decoded->rejections[0].index, 1);
    assert_int_equal (decoded->rejections[0].line, 8);
    assert_string_equal (decoded->rejections[0].reason, rejections[0].reason);
    assert_int_equal (decoded->warning_count, 2);
    for (size_t index = 0; index < 2; index++) {
        assert_int_equal (decoded->warnings[index].index,
                          warnings[index].index);
        assert_int_equal (decoded->warnings[index].line, warnings[index].line);
        assert_string_equal (decoded->warnings[index].reason,
                             warnings[index].reason);
    }
    zframe_destroy (&frame);

    //  Warnings alone, then none at all.
    ack.rejection_count = 0;
    ack.warning_count = 1;
    frame = codec_encode_ack (codec, &ack);
    codec_decode (codec, zframe_data (frame), zframe_size (frame), NULL);
    decoded = codec_ack (codec);
    assert_int_equal (decoded->rejection_count, 0);
    assert_int_equal (decoded->warning_count, 1);
    assert_string_equal (decoded->warnings[0].reason, warnings[0].reason);
    zframe_destroy (&frame);
    ack.warning_count = 0;
    ack.warnings = NULL;
    frame = codec_encode_ack (codec, &ack);
    codec_decode (codec, zframe_data (frame), zframe_size (frame), NULL);
    assert_int_equal (codec_ack (codec)->warning_count, 0);
    zframe_destroy (&frame);
    codec_destroy (&codec);
}

static void
test_cells_round_trip (void **state)
{
    (void)state;
    codec_t *codec = codec_new (1024 * 1024);
    jt_cell_t cells[2] = {{"heihe", "reemployed", 200310, 30161000},
                          {"heihe.direct", "reemployed", 200310, 2620000}};
    jt_arrival_t arrivals[2] = {{"heihe.sunwu", 200310, 20031114},
                                {"heihe.aihui", 200310, 20031103}};
    wire_cells_t changes = {99, false, 2, cells, 2, arrivals};
    zframe_t *frame = codec_encode_changes (codec, &changes);
    assert_int_equal (
        codec_decode (codec, zframe_data (frame), zframe_size (frame), NULL),
        JT_MSG_CHANGES);
    const wire_cells_t *decoded = codec_cells (codec);
    assert_int_equal (decoded->sequence, 99);
    assert_int_equal (decoded->cell_count, 2);
    assert_string_equal (decoded->cells[1].region, "heihe.direct");
    assert_int_equal (decoded->cells[0].value, 30161000);
    assert_int_equal (decoded->arrival_count, 2);
    assert_string_equal (decoded->arrivals[0].region, "heihe.sunwu");
    assert_int_equal (decoded->arrivals[0].period, 200310);
    assert_int_equal (decoded->arrivals[0].reported, 20031114);
    assert_string_equal (decoded->arrivals[1].region, "heihe.aihui");
    assert_int_equal (decoded->arrivals[1].reported, 20031103);
    zframe_destroy (&frame);

    //  A batch that changed only an arrival carries no cells.
    wire_cells_t only_arrival = {100, false, 0, NULL, 1, arrivals};
    frame = codec_encode_changes (codec, &only_arrival);
    assert_int_equal (
        codec_decode (codec, zframe_data (frame), zframe_size (frame), NULL),
        JT_MSG_CHANGES);
    assert_int_equal (codec_cells (codec)->cell_count, 0);
    assert_int_equal (codec_cells (codec)->arrival_count, 1);
    assert_int_equal (codec_cells (codec)->arrivals[0].reported, 20031114);
    zframe_destroy (&frame);

    wire_cells_t chunk = {5, true, 1, cells, 1, arrivals + 1};
    frame = codec_encode_snapshot (codec, &chunk);
    assert_int_equal (
        codec_decode (codec, zframe_data (frame), zframe_size (frame), NULL),
        JT_MSG_SNAPSHOT);
    assert_true (codec_cells (codec)->last);
    assert_int_equal (codec_cells (codec)->sequence, 5);
    assert_int_equal (codec_cells (codec)->cell_count, 1);
    assert_int_equal (codec_cells (codec)->arrival_count, 1);
    assert_string_equal (codec_cells (codec)->arrivals[0].region,
                         "heihe.aihui");
    assert_int_equal (codec_cells (codec)->arrivals[0].period, 200310);
    assert_int_equal (codec_cells (codec)->arrivals[0].reported, 20031103);
    zframe_destroy (&frame);

    frame = codec_encode_heartbeat (codec, 1234);
    assert_int_equal (
        codec_decode (codec, zframe_data (frame), zframe_size (frame), NULL),
        JT_MSG_HEARTBEAT);
    assert_int_equal (codec_cells (codec)->sequence, 1234);
    assert_int_equal (codec_cells (codec)->cell_count, 0);
    assert_int_equal (codec_cells (codec)->arrival_count, 0);
    zframe_destroy (&frame);

    frame = codec_encode_snapshot_request (codec);
    assert_int_equal (
        codec_decode (codec, zframe_data (frame), zframe_size (frame), NULL),
        JT_MSG_SNAPSHOT_REQUEST);
    zframe_destroy (&frame);
    codec_destroy (&codec);
}

static void
test_query_round_trip (void **state)
{
    (void)state;
    codec_t *codec = codec_new (1024 * 1024);
    wire_query_t query = {"heihe", 200310};
    zframe_t *frame = codec_encode_query (codec, &query);
    assert_int_equal (
        codec_decode (codec, zframe_data (frame), zframe_size (frame), NULL),
        JT_MSG_QUERY);
    assert_string_equal (codec_query (codec)->region, "heihe");
    assert_int_equal (codec_query (codec)->period, 200310);
    zframe_destroy (&frame);

    figure_row_t rows[1] = {{.name = "employed_new",
                             .present = true,
                             .value = 11800,
                             .has_target = true,
                             .target = 4403,
                             .completion_pct = 268.0,
                             .pace_pct = 321.6}};
    wire_query_reply_t reply = {NULL, "heihe", 200310, 7, 7, 12, 1, rows};
    frame = codec_encode_query_reply (codec, &reply);
    assert_int_equal (
        codec_decode (codec, zframe_data (frame), zframe_size (frame), NULL),
        JT_MSG_QUERY_REPLY);
    const wire_query_reply_t *decoded = codec_query_reply (codec);
    assert_int_equal (decoded->reported, 7);
    assert_int_equal (decoded->expected, 7);
    assert_int_equal (decoded->sequence, 12);
    assert_int_equal (decoded->row_count, 1);
    assert_string_equal (decoded->rows[0].name, "employed_new");
    assert_true (decoded->rows[0].value == 11800.0);
    assert_true (decoded->rows[0].completion_pct == 268.0);
    zframe_destroy (&frame);
    codec_destroy (&codec);
}

static void
test_stats_round_trip (void **state)
{
    (void)state;
    codec_t *codec = codec_new (1024 * 1024);
    zframe_t *frame = codec_encode_stats_request (codec);
    assert_int_equal (
        codec_decode (codec, zframe_data (frame), zframe_size (frame), NULL),
        JT_MSG_STATS_REQUEST);
    assert_null (codec_stats (codec));
    zframe_destroy (&frame);

    //  Rows with several reasons, none, and one: each keeps its own.
    wire_reason_count_t aihui[2] = {{"unknown region", 3}, {"bad period", 1}};
    wire_reason_count_t unknown[1] = {{"malformed message", 5}};
    wire_source_stats_t rows[3] = {{"aihui", 10, 120, 2, 2, aihui},
                                   {"sunwu", 4, 40, 0, 0, NULL},
                                   {"(unknown)", 0, 0, 0, 1, unknown}};
    wire_stats_t stats = {.uptime_ms = 61000,
                          .sequence = 14,
                          .batches = 14,
                          .updates = 160,
                          .duplicates = 2,
                          .refused = 9,
                          .connections_refused = 1,
                          .queries_refused = 6,
                          .source_count = 3,
                          .sources = rows};
    frame = codec_encode_stats (codec, &stats);
    assert_int_equal (
        codec_decode (codec, zframe_data (frame), zframe_size (frame), NULL),
        JT_MSG_STATS);
    assert_null (codec_query_reply (codec));
    const wire_stats_t *decoded = codec_stats (codec);
    assert_non_null (decoded);
    assert_int_equal (decoded->uptime_ms, 61000);
    assert_int_equal (decoded->sequence, 14);
    assert_int_equal (decoded->batches, 14);
    assert_int_equal (decoded->updates, 160);
    assert_int_equal (decoded->duplicates, 2);
    assert_int_equal (decoded->refused, 9);
    assert_int_equal (decoded->connections_refused, 1);
    assert_int_equal (decoded->queries_refused, 6);
    assert_int_equal (decoded->source_count, 3);
    assert_string_equal (decoded->sources[0].source, "aihui");
    assert_int_equal (decoded->sources[0].batches, 10);
    assert_int_equal (decoded->sources[0].updates, 120);
    assert_int_equal (decoded->sources[0].duplicates, 2);
    assert_int_equal (decoded->sources[0].refused_count, 2);
    assert_string_equal (decoded->sources[0].refused[0].reason,
                         "unknown region");
    assert_int_equal (decoded->sources[0].refused[0].count, 3);
    assert_string_equal (decoded->sources[0].refused[1].reason, "bad period");
    assert_int_equal (decoded->sources[0].refused[1].count, 1);
    assert_string_equal (decoded->sources[1].source, "sunwu");
    assert_int_equal (decoded->sources[1].refused_count, 0);
    assert_string_equal (decoded->sources[2].source, "(unknown)");
    assert_int_equal (decoded->sources[2].refused_count, 1);
    assert_string_equal (decoded->sources[2].refused[0].reason,
                         "malformed message");
    assert_int_equal (decoded->sources[2].refused[0].count, 5);
    zframe_destroy (&frame);

    //  No rows at all (an aggregator with no sources).
    wire_stats_t empty = {.uptime_ms = 1};
    frame = codec_encode_stats (codec, &empty);
    assert_int_equal (
        codec_decode (codec, zframe_data (frame), zframe_size (frame), NULL),
        JT_MSG_STATS);
    assert_int_equal (codec_stats (codec)->source_count, 0);
    assert_int_equal (codec_stats (codec)->uptime_ms, 1);
    zframe_destroy (&frame);
    codec_destroy (&codec);
}

static void
test_refuses_garbage (void **state)
{
    (void)state;
    codec_t *codec = codec_new (1024 * 1024);
    const char *error = NULL;
    //  A varint that never ends.
    const uint8_t garbage[] = {0x08, 0xff, 0xff, 0xff};
    assert_int_equal (codec_decode (codec, garbage, sizeof garbage, &error),
                      JT_MSG_NONE);
    assert_string_equal (error, "not a jobtally message");
    assert_null (codec_batch (codec));

    //  Empty bytes decode to version 0, which is not ours.
    assert_int_equal (codec_decode (codec, "", 0, &error), JT_MSG_NONE);
    assert_string_equal (error, "unsupported protocol version");

    //  Version 1 but no body: field 1 = 1 only.
    const uint8_t bodyless[] = {0x08, 0x01};
    assert_int_equal (codec_decode (codec, bodyless, sizeof bodyless, &error),
                      JT_MSG_NONE);
    assert_string_equal (error, "message has no body");
    codec_destroy (&codec);
}

static void
test_arena_limit (void **state)
{
    (void)state;
    //  A batch of 2,000 updates needs far more than 4 KiB to decode.
    codec_t *encoder = codec_new (64 * 1024 * 1024);
    jt_update_t *updates = calloc (2000, sizeof (jt_update_t));
    for (int index = 0; index < 2000; index++)
        updates[index] = (jt_update_t){
            "heihe.aihui", "employed_new", 200301, index, false, 0, 0};
    jt_batch_t batch = {"aihui", 1, 2000, updates, 0};
    zframe_t *frame = codec_encode_batch (encoder, &batch);
    codec_t *small = codec_new (4096);
    const char *error = NULL;
    assert_int_equal (
        codec_decode (small, zframe_data (frame), zframe_size (frame), &error),
        JT_MSG_NONE);
    assert_string_equal (error, "message too large to decode");
    //  The same codec still decodes a small message afterwards.
    jt_batch_t one = {"aihui", 2, 1, updates, 0};
    zframe_t *small_frame = codec_encode_batch (encoder, &one);
    assert_int_equal (codec_decode (small, zframe_data (small_frame),
                                    zframe_size (small_frame), &error),
                      JT_MSG_BATCH);
    //  The big codec decodes the big batch twice (second time warm).
    for (int round = 0; round < 2; round++) {
        assert_int_equal (codec_decode (encoder, zframe_data (frame),
                                        zframe_size (frame), &error),
                          JT_MSG_BATCH);
        assert_int_equal (codec_batch (encoder)->update_count, 2000);
        assert_int_equal (codec_batch (encoder)->updates[1999].value, 1999);
    }
    zframe_destroy (&small_frame);
    zframe_destroy (&frame);
    free (updates);
    codec_destroy (&small);
    codec_destroy (&encoder);
}

//  A city of two counties; unemployed is a stock, so a county that last
//  reported in September is carried in the city's later months.
static const char *s_city_zpl = "catalogue\n"
                                "    year = 2003\n"
                                "regions\n"
                                "    city = \"City\"\n"
                                "        city.a = \"County A\"\n"
                                "        city.b = \"County B\"\n"
                                "indicators\n"
                                "    unemployed\n"
                                "        time = stock\n"
                                "    income\n"
                                "        time = flow\n"
                                "        whole = no\n";

//  Up to 64 cells a store visit copies.
typedef struct {
    store_cell_t cells[64];
    size_t count;
} s_cells_t;

static int
s_copy_cell (const store_cell_t *cell, void *arg)
{
    s_cells_t *copy = (s_cells_t *)arg;
    assert_true (copy->count < 64);
    copy->cells[copy->count++] = *cell;
    return 0;
}

//  The city's catalogue, and two codecs: the aggregator's and a reporter's.
typedef struct {
    catalogue_t *catalogue;
    codec_t *encoder;
    codec_t *decoder;
} wire_fixture_t;

static int
s_wire_setup (void **state)
{
    wire_fixture_t *self = calloc (1, sizeof (wire_fixture_t));
    char *error = NULL;
    self->catalogue = catalogue_new (s_city_zpl, "city.zpl", &error);
    assert_non_null (self->catalogue);
    self->encoder = codec_new (1024 * 1024);
    self->decoder = codec_new (1024 * 1024);
    *state = self;
    return 0;
}

static int
s_wire_teardown (void **state)
{
    wire_fixture_t *self = (wire_fixture_t *)*state;
    codec_destroy (&self->encoder);
    codec_destroy (&self->decoder);
    catalogue_destroy (&self->catalogue);
    free (self);
    return 0;
}

//  Encode cells and arrivals as Changes and decode them with the other
//  codec, as the aggregator and a reporter do.
static const wire_cells_t *
s_through_wire (wire_fixture_t *self, wire_cells_t *changes)
{
    zframe_t *frame = codec_encode_changes (self->encoder, changes);
    assert_int_equal (codec_decode (self->decoder, zframe_data (frame),
                                    zframe_size (frame), NULL),
                      JT_MSG_CHANGES);
    zframe_destroy (&frame);
    return codec_cells (self->decoder);
}

static void
test_cell_mapping_round_trips_every_kind_of_region (void **state)
{
    wire_fixture_t *fixture = (wire_fixture_t *)*state;
    const catalogue_t *catalogue = fixture->catalogue;
    int city = catalogue_region_find (catalogue, "city");
    int a = catalogue_region_find (catalogue, "city.a");
    int b = catalogue_region_find (catalogue, "city.b");
    int unemployed = catalogue_indicator_find (catalogue, "unemployed");
    int income = catalogue_indicator_find (catalogue, "income");
    int september = period_make (2003, 9), october = period_make (2003, 10);
    store_t *store = store_new (catalogue);
    assert_int_equal (
        store_apply (store, a, unemployed, september, 120000, false), JT_OK);
    assert_int_equal (store_apply (store, b, unemployed, october, 80000, false),
                      JT_OK);
    assert_int_equal (store_apply (store, a, income, october, 1234567, false),
                      JT_OK);
    assert_true (store_mark_reported (store, a, september,
                                      period_day_make (2003, 10, 3)));
    assert_true (store_mark_reported (store, b, october,
                                      period_day_make (2003, 11, 14)));

    //  Leaves, the city's months, and the city's months carried from
    //  September through December: every cell the store holds.
    s_cells_t held = {.count = 0};
    store_visit (store, s_copy_cell, &held);
    assert_int_equal (held.count, store_cell_count (store));
    //  The leaves' three; the city's unemployed September to December
    //  and its income in October.
    assert_int_equal (held.count, 3 + 4 + 1);
    jt_cell_t named[64];
    for (size_t index = 0; index < held.count; index++)
        named[index] = cell_from_store (catalogue, &held.cells[index]);
    store_arrival_t held_arrivals[2] = {
        {a, september, store_reported_day (store, a, september)},
        {b, october, store_reported_day (store, b, october)}};
    jt_arrival_t arrivals[2];
    for (size_t index = 0; index < 2; index++)
        arrivals[index] =
            cell_arrival_from_store (catalogue, &held_arrivals[index]);
    wire_cells_t changes = {.sequence = 7,
                            .cell_count = held.count,
                            .cells = named,
                            .arrival_count = 2,
                            .arrivals = arrivals};
    const wire_cells_t *decoded = s_through_wire (fixture, &changes);
    assert_int_equal (decoded->cell_count, held.count);

    //  Each cell comes back as it was held, and a replica filled with
    //  them holds the same figures.
    store_t *replica = store_new (catalogue);
    bool carried = false;
    for (size_t index = 0; index < decoded->cell_count; index++) {
        const jt_cell_t *wire = &decoded->cells[index];
        const store_cell_t *held_cell = &held.cells[index];
        store_cell_t cell;
        assert_int_equal (cell_resolve (catalogue, wire, &cell), JT_OK);
        assert_int_equal (cell.region, held_cell->region);
        assert_int_equal (cell.indicator, held_cell->indicator);
        assert_int_equal (cell.period, held_cell->period);
        assert_int_equal (cell.value, held_cell->value);
        assert_string_equal (wire->region,
                             catalogue_region (catalogue, cell.region)->id);
        assert_int_equal (wire->period, period_yyyymm (cell.period));
        store_put (replica, cell.region, cell.indicator, cell.period,
                   cell.value);
        if (cell.region == city && cell.period == period_make (2003, 12)) {
            assert_string_equal (wire->region, "city");
            assert_string_equal (wire->indicator, "unemployed");
            assert_int_equal (wire->period, 200312);
            assert_int_equal (wire->value, 200000); //  a 120 carried + b 80
            carried = true;
        }
    }
    assert_true (carried);
    jt_value_t value = 0;
    assert_true (store_get (replica, a, income, october, &value));
    assert_int_equal (value, 1234567);
    assert_true (store_get (replica, city, income, october, &value));
    assert_int_equal (value, 1234567);
    assert_true (store_get (replica, city, unemployed, september, &value));
    assert_int_equal (value, 120000);
    assert_true (store_get (replica, city, unemployed, october, &value));
    assert_int_equal (value, 200000);
    assert_int_equal (store_cell_count (replica), store_cell_count (store));

    assert_int_equal (decoded->arrival_count, 2);
    assert_string_equal (decoded->arrivals[1].region, "city.b");
    assert_int_equal (decoded->arrivals[1].period, 200310);
    assert_int_equal (decoded->arrivals[1].reported, 20031114);
    for (size_t index = 0; index < decoded->arrival_count; index++) {
        store_arrival_t arrival;
        assert_int_equal (cell_arrival_resolve (
                              catalogue, &decoded->arrivals[index], &arrival),
                          JT_OK);
        store_mark_reported (replica, arrival.region, arrival.period,
                             arrival.day);
    }
    for (size_t index = 0; index < 2; index++)
        assert_int_equal (store_reported_day (replica,
                                              held_arrivals[index].region,
                                              held_arrivals[index].period),
                          held_arrivals[index].day);
    assert_int_equal (held_arrivals[0].day, period_day_make (2003, 10, 3));

    store_destroy (&replica);
    store_destroy (&store);
}

//  What a reporter whose catalogue is not the aggregator's cannot place is
//  refused with the reason it logs.
static void
test_cell_mapping_refuses_what_the_catalogue_lacks (void **state)
{
    wire_fixture_t *fixture = (wire_fixture_t *)*state;
    const catalogue_t *catalogue = fixture->catalogue;
    jt_cell_t cells[] = {{"city.x", "unemployed", 200310, 1000},
                         {"city.a", "employed_new", 200310, 1000},
                         {"city.a", "unemployed", 200313, 1000}};
    jt_arrival_t arrivals[] = {{"city.x", 200310, 20031105},
                               {"city", 200310, 20031105},
                               {"city.a", 200300, 20031105},
                               {"city.a", 200310, 20030230}};
    wire_cells_t changes = {.sequence = 8,
                            .cell_count = 3,
                            .cells = cells,
                            .arrival_count = 4,
                            .arrivals = arrivals};
    const wire_cells_t *decoded = s_through_wire (fixture, &changes);
    store_cell_t cell;
    const char *cell_reasons[] = {"unknown region", "unknown indicator",
                                  "bad period"};
    for (size_t index = 0; index < 3; index++)
        assert_string_equal (jt_strerror (cell_resolve (
                                 catalogue, &decoded->cells[index], &cell)),
                             cell_reasons[index]);
    store_arrival_t arrival;
    const char *arrival_reasons[] = {"unknown region", "region is not a leaf",
                                     "bad period", "bad report date"};
    for (size_t index = 0; index < 4; index++)
        assert_string_equal (
            jt_strerror (cell_arrival_resolve (
                catalogue, &decoded->arrivals[index], &arrival)),
            arrival_reasons[index]);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_batch_round_trip),
        cmocka_unit_test (test_ack_round_trip),
        cmocka_unit_test (test_ack_warnings_round_trip),
        cmocka_unit_test (test_cells_round_trip),
        cmocka_unit_test_setup_teardown (
            test_cell_mapping_round_trips_every_kind_of_region, s_wire_setup,
            s_wire_teardown),
        cmocka_unit_test_setup_teardown (
            test_cell_mapping_refuses_what_the_catalogue_lacks, s_wire_setup,
            s_wire_teardown),
        cmocka_unit_test (test_query_round_trip),
        cmocka_unit_test (test_stats_round_trip),
        cmocka_unit_test (test_refuses_garbage),
        cmocka_unit_test (test_arena_limit),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
