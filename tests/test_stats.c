/*  test_stats.c — the aggregator's counters: per source and reason, the
    "(unknown)" row only when it counted something, totals that are the
    sums of the rows, and the rows as the Stats message carries them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "fixture.h"
#include "stats_wire.h"

static const char *s_catalogue =
    FIXTURE_NORTH_SOUTH "        unit = persons\n"
                        "        time = flow\n"
                        "sources\n"
                        "    north\n"
                        "        regions = \"city.north\"\n"
                        "    south\n"
                        "        regions = \"city.south\"\n";

//  The reason's count in a wire row, 0 when the row does not list it.
static uint64_t
s_reason (const wire_source_stats_t *row, const char *reason)
{
    for (size_t index = 0; index < row->refused_count; index++)
        if (strcmp (row->refused[index].reason, reason) == 0)
            return row->refused[index].count;
    return 0;
}

static void
test_counts_per_source_and_reason (void **state)
{
    (void)state;
    catalogue_t *catalogue = fixture_catalogue (s_catalogue);
    assert_non_null (catalogue);
    stats_t *stats = stats_new (catalogue);

    //  Nothing yet: both sources listed, all zero, no "(unknown)" row.
    wire_stats_t *wire = stats_wire (stats, catalogue, 5, 0, 0);
    assert_int_equal (wire->source_count, 2);
    assert_string_equal (wire->sources[0].source, "north");
    assert_string_equal (wire->sources[1].source, "south");
    assert_int_equal (wire->sources[0].refused_count, 0);
    assert_int_equal (wire->refused, 0);
    assert_int_equal (wire->uptime_ms, 5);

    stats_applied (stats, 0, 10);
    stats_applied (stats, 0, 0); //  every row refused: still applied
    stats_applied (stats, 1, 3);
    stats_duplicate (stats, 0);
    stats_refused (stats, 0, JT_ERR_UNKNOWN_REGION);
    stats_refused (stats, 0, JT_ERR_UNKNOWN_REGION);
    stats_refused (stats, 0, JT_ERR_BAD_PERIOD);
    stats_refused (stats, STATS_UNKNOWN, JT_ERR_MALFORMED);
    stats_refused (stats, STATS_UNKNOWN, JT_ERR_UNKNOWN_SOURCE);
    stats_query_refused (stats);
    assert_int_equal (stats_refused_count (stats, 0, JT_ERR_UNKNOWN_REGION), 2);
    assert_int_equal (stats_refused_count (stats, 1, JT_ERR_UNKNOWN_REGION), 0);
    assert_int_equal (
        stats_refused_count (stats, STATS_UNKNOWN, JT_ERR_MALFORMED), 1);
    assert_int_equal (stats_batches (stats), 3);
    assert_int_equal (stats_updates (stats), 13);
    assert_int_equal (stats_duplicates (stats), 1);
    assert_int_equal (stats_refusals (stats), 5);

    free (wire);
    wire = stats_wire (stats, catalogue, 60000, 42, 7);
    assert_int_equal (wire->uptime_ms, 60000);
    assert_int_equal (wire->sequence, 42);
    assert_int_equal (wire->connections_refused, 7);
    assert_int_equal (wire->queries_refused, 1);
    assert_int_equal (wire->batches, 3);
    assert_int_equal (wire->updates, 13);
    assert_int_equal (wire->duplicates, 1);
    assert_int_equal (wire->refused, 5);
    assert_int_equal (wire->source_count, 3);
    const wire_source_stats_t *north = &wire->sources[0];
    assert_string_equal (north->source, "north");
    assert_int_equal (north->batches, 2);
    assert_int_equal (north->updates, 10);
    assert_int_equal (north->duplicates, 1);
    assert_int_equal (north->refused_count, 2);
    assert_int_equal (s_reason (north, "unknown region"), 2);
    assert_int_equal (s_reason (north, "bad period"), 1);
    const wire_source_stats_t *south = &wire->sources[1];
    assert_int_equal (south->batches, 1);
    assert_int_equal (south->updates, 3);
    assert_int_equal (south->refused_count, 0);
    const wire_source_stats_t *unknown = &wire->sources[2];
    assert_string_equal (unknown->source, STATS_UNKNOWN_NAME);
    assert_int_equal (unknown->refused_count, 2);
    assert_int_equal (s_reason (unknown, "malformed message"), 1);
    assert_int_equal (s_reason (unknown, "unknown source"), 1);

    //  The message encodes and decodes as it is.
    codec_t *codec = codec_new (1024 * 1024);
    zframe_t *frame = codec_encode_stats (codec, wire);
    assert_int_equal (
        codec_decode (codec, zframe_data (frame), zframe_size (frame), NULL),
        JT_MSG_STATS);
    assert_int_equal (codec_stats (codec)->source_count, 3);
    assert_int_equal (s_reason (&codec_stats (codec)->sources[0], "bad period"),
                      1);
    zframe_destroy (&frame);
    codec_destroy (&codec);
    free (wire);

    stats_destroy (&stats);
    assert_null (stats);
    stats_destroy (&stats);
    catalogue_destroy (&catalogue);
}

//  Every reason can be counted, for every row.
static void
test_every_reason (void **state)
{
    (void)state;
    catalogue_t *catalogue = fixture_catalogue (s_catalogue);
    stats_t *stats = stats_new (catalogue);
    for (int source = STATS_UNKNOWN; source < 2; source++)
        for (int code = JT_OK + 1; code < JT_ERR_COUNT; code++)
            stats_refused (stats, source, (jt_error_t)code);
    wire_stats_t *wire = stats_wire (stats, catalogue, 0, 0, 0);
    assert_int_equal (wire->source_count, 3);
    for (size_t row = 0; row < 3; row++)
        assert_int_equal (wire->sources[row].refused_count, JT_ERR_COUNT - 1);
    assert_int_equal (wire->refused, 3 * (JT_ERR_COUNT - 1));
    free (wire);
    stats_destroy (&stats);
    catalogue_destroy (&catalogue);
}

//  Updates applied but flagged count apart from refusals, per source.
static void
test_flagged_are_not_refusals (void **state)
{
    (void)state;
    catalogue_t *catalogue = fixture_catalogue (s_catalogue);
    assert_non_null (catalogue);
    stats_t *stats = stats_new (catalogue);
    stats_applied (stats, 0, 3);
    stats_flagged (stats, 0);
    stats_flagged (stats, 0);
    stats_flagged (stats, 1);
    assert_int_equal (stats_flagged_count (stats, 0), 2);
    assert_int_equal (stats_flagged_count (stats, 1), 1);
    assert_int_equal (stats_flagged_count (stats, STATS_UNKNOWN), 0);
    assert_int_equal (stats_flags (stats), 3);
    assert_int_equal (stats_refusals (stats), 0);
    assert_int_equal (stats_updates (stats), 3);
    stats_destroy (&stats);
    catalogue_destroy (&catalogue);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_counts_per_source_and_reason),
        cmocka_unit_test (test_every_reason),
        cmocka_unit_test (test_flagged_are_not_refusals),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
