/*  test_ingest.c — the exactly-once engine without a socket: every rule of
    DESIGN §3.5 (each (source, sequence) applied once, also across a
    restart) and §3.8 (bad input changes nothing and is refused with a
    reason), with the figures and acks it leaves asserted exactly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fixture.h"
#include "ingest.h"
#include "period.h"

//  Two counties, each its own source; employed_new warns above 20,000, a
//  registered_unemployed figure above 5,000 is refused.
static const char *s_catalogue =
    FIXTURE_NORTH_SOUTH "        time = flow\n"
                        "        max = 20000\n"
                        "    registered_unemployed\n"
                        "        time = stock\n"
                        "        max = 5000\n"
                        "        strict = yes\n"
                        "sources\n"
                        "    north\n"
                        "        regions = \"city.north\"\n"
                        "    south\n"
                        "        regions = \"city.south\"\n";

#define MAX_UPDATES 100 //  a larger batch is refused whole
#define NORTH 0         //  the catalogue index of source north
#define OCTOBER 200310

//  The catalogue of the test running, to find ids in.
static const catalogue_t *s_loaded;

typedef struct {
    catalogue_t *catalogue;
    ingest_t *ingest;
    int today; //  2003-11-15
} fixture_t;

static int
s_setup (void **state)
{
    fixture_t *fixture = calloc (1, sizeof (fixture_t));
    assert_non_null (fixture);
    fixture->catalogue = fixture_catalogue (s_catalogue);
    fixture->ingest = ingest_new (fixture->catalogue, MAX_UPDATES);
    fixture->today = period_day_from_yyyymmdd (20031115);
    s_loaded = fixture->catalogue;
    *state = fixture;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *fixture = (fixture_t *)*state;
    ingest_destroy (&fixture->ingest);
    assert_null (fixture->ingest);
    ingest_destroy (&fixture->ingest);
    catalogue_destroy (&fixture->catalogue);
    free (fixture);
    return 0;
}

//  An update of a figure in whole units.
static jt_update_t
s_update (const char *region, const char *indicator, uint32_t period,
          int64_t units, bool add, uint32_t line)
{
    return (jt_update_t){.region = region,
                         .indicator = indicator,
                         .period = period,
                         .value = units * JT_SCALE,
                         .add = add,
                         .line = line};
}

//  A digest that stands for the batch's bytes: the same figures give the
//  same digest, as the same bytes would.
static uint64_t
s_digest (const jt_batch_t *batch)
{
    uint64_t digest = ingest_digest (batch->source, strlen (batch->source));
    for (size_t index = 0; index < batch->update_count; index++) {
        const jt_update_t *update = &batch->updates[index];
        char text[200];
        snprintf (text, sizeof text, "%s %s %u %lld %d", update->region,
                  update->indicator, update->period, (long long)update->value,
                  update->add);
        digest = digest * 31 + ingest_digest (text, strlen (text));
    }
    return digest * 31 + batch->sequence * 7 + batch->previous;
}

//  Send a live batch to engine on the fixture's day.
static void
s_send (fixture_t *fixture, ingest_t *engine, const jt_batch_t *batch,
        ingest_result_t *result)
{
    ingest_batch (engine, batch, s_digest (batch), fixture->today, NULL,
                  result);
}

//  A region's October figure of an indicator, in units; -1 when absent.
static int64_t
s_figure (ingest_t *engine, const char *region, const char *indicator)
{
    jt_value_t value = 0;
    if (!store_get (ingest_store (engine),
                    catalogue_region_find (s_loaded, region),
                    catalogue_indicator_find (s_loaded, indicator),
                    period_from_yyyymm (OCTOBER), &value))
        return -1;
    return value / JT_SCALE;
}

//  How many refusals of source north for code the engine counted.
static uint64_t
s_refused (fixture_t *fixture, jt_error_t code)
{
    return stats_refused_count (ingest_stats (fixture->ingest), NORTH, code);
}

//  The same batch sent again is re-acked with its own ack, and never
//  applied twice.
static void
test_duplicate_reacked_not_reapplied (void **state)
{
    fixture_t *fixture = (fixture_t *)*state;
    jt_update_t updates[] = {
        s_update ("city.north", "employed_new", OCTOBER, 120, false, 2),
        s_update ("city.north", "employed_new", OCTOBER, 5, true, 3)};
    jt_batch_t batch = {"north", 1, 2, updates, 0};
    ingest_result_t result;
    s_send (fixture, fixture->ingest, &batch, &result);
    assert_int_equal (result.outcome, INGEST_APPLIED);
    assert_true (result.changed);
    assert_int_equal (result.source, NORTH);
    assert_int_equal (result.refusal, JT_OK);
    assert_string_equal (result.ack.source, "north");
    assert_int_equal (result.ack.sequence, 1);
    assert_int_equal (result.ack.applied, 2);
    assert_false (result.ack.duplicate);
    assert_null (result.ack.error);
    assert_int_equal (s_figure (fixture->ingest, "city", "employed_new"), 125);

    for (int again = 0; again < 2; again++) {
        s_send (fixture, fixture->ingest, &batch, &result);
        assert_int_equal (result.outcome, INGEST_DUPLICATE);
        assert_false (result.changed);
        assert_int_equal (result.ack.sequence, 1);
        assert_int_equal (result.ack.applied, 2);
        assert_false (result.ack.duplicate);
        assert_null (result.ack.error);
    }
    assert_int_equal (s_figure (fixture->ingest, "city", "employed_new"), 125);
    stats_t *stats = ingest_stats (fixture->ingest);
    assert_int_equal (stats_batches (stats), 1);
    assert_int_equal (stats_updates (stats), 2);
    assert_int_equal (stats_duplicates (stats), 2);
    assert_int_equal (stats_refusals (stats), 0);
}

//  The latest sequence sent again with other figures (a collector that
//  lost its state) is refused; the batch it first was is still re-acked as
//  itself.
static void
test_reused_sequence_refused (void **state)
{
    fixture_t *fixture = (fixture_t *)*state;
    jt_update_t first =
        s_update ("city.north", "employed_new", OCTOBER, 120, false, 2);
    jt_update_t other =
        s_update ("city.north", "employed_new", OCTOBER, 999, false, 2);
    jt_batch_t batch = {"north", 1, 1, &first, 0};
    jt_batch_t reused = {"north", 1, 1, &other, 0};
    ingest_result_t result;
    s_send (fixture, fixture->ingest, &batch, &result);
    assert_int_equal (result.outcome, INGEST_APPLIED);

    s_send (fixture, fixture->ingest, &reused, &result);
    assert_int_equal (result.outcome, INGEST_REUSED);
    assert_false (result.changed);
    assert_true (result.ack.duplicate);
    assert_int_equal (result.ack.applied, 0);
    assert_string_equal (result.ack.error,
                         "sequence reused: sequence already used for other "
                         "figures (was the collector's state directory "
                         "lost?)");
    assert_int_equal (s_figure (fixture->ingest, "city", "employed_new"), 120);
    assert_int_equal (s_refused (fixture, JT_ERR_SEQUENCE_REUSED), 1);

    s_send (fixture, fixture->ingest, &batch, &result);
    assert_int_equal (result.outcome, INGEST_DUPLICATE);
    assert_int_equal (result.ack.applied, 1);
    assert_false (result.ack.duplicate);
}

//  A batch whose previous was not applied waits: not applied, nothing
//  changes, and it lands once the one before it did.
static void
test_out_of_order_not_applied (void **state)
{
    fixture_t *fixture = (fixture_t *)*state;
    jt_update_t one =
        s_update ("city.north", "employed_new", OCTOBER, 100, false, 2);
    jt_update_t two =
        s_update ("city.north", "employed_new", OCTOBER, 7, true, 3);
    jt_batch_t first = {"north", 1, 1, &one, 0};
    jt_batch_t second = {"north", 2, 1, &two, 1};
    ingest_result_t result;
    s_send (fixture, fixture->ingest, &second, &result);
    assert_int_equal (result.outcome, INGEST_OUT_OF_ORDER);
    assert_false (result.changed);
    assert_true (result.ack.out_of_order);
    assert_int_equal (result.ack.applied, 0);
    assert_string_equal (result.ack.error,
                         "out of order: the batch before it was not applied "
                         "yet");
    assert_int_equal (s_figure (fixture->ingest, "city", "employed_new"), -1);
    assert_int_equal (ingest_source (fixture->ingest, NORTH)->applied.last, 0);

    s_send (fixture, fixture->ingest, &first, &result);
    assert_int_equal (result.outcome, INGEST_APPLIED);
    s_send (fixture, fixture->ingest, &second, &result);
    assert_int_equal (result.outcome, INGEST_APPLIED);
    assert_int_equal (result.ack.applied, 1);
    //  Set to 100, then 7 added: the order the collector meant.
    assert_int_equal (s_figure (fixture->ingest, "city", "employed_new"), 107);
    assert_int_equal (s_refused (fixture, JT_ERR_OUT_OF_ORDER), 1);
}

//  Sequence 0, or a previous not below the sequence, is refused and
//  changes nothing; the source's numbering is untouched.
static void
test_bad_sequence_refused (void **state)
{
    fixture_t *fixture = (fixture_t *)*state;
    jt_update_t update =
        s_update ("city.north", "employed_new", OCTOBER, 10, false, 2);
    jt_batch_t zero = {"north", 0, 1, &update, 0};
    jt_batch_t backwards = {"north", 3, 1, &update, 3};
    ingest_result_t result;
    s_send (fixture, fixture->ingest, &zero, &result);
    assert_int_equal (result.outcome, INGEST_BAD_SEQUENCE);
    assert_false (result.changed);
    assert_string_equal (result.ack.error,
                         "bad sequence: sequence must start at 1");
    s_send (fixture, fixture->ingest, &backwards, &result);
    assert_int_equal (result.outcome, INGEST_BAD_SEQUENCE);
    assert_string_equal (result.ack.error,
                         "bad sequence: previous must be below sequence");
    assert_int_equal (s_figure (fixture->ingest, "city", "employed_new"), -1);
    assert_int_equal (ingest_source (fixture->ingest, NORTH)->applied.last, 0);
    assert_int_equal (s_refused (fixture, JT_ERR_BAD_SEQUENCE), 2);
}

//  A source the catalogue does not have is refused, counted as unknown.
static void
test_unknown_source_refused (void **state)
{
    fixture_t *fixture = (fixture_t *)*state;
    jt_update_t update =
        s_update ("city.north", "employed_new", OCTOBER, 10, false, 2);
    jt_batch_t batch = {"east", 1, 1, &update, 0};
    ingest_result_t result;
    s_send (fixture, fixture->ingest, &batch, &result);
    assert_int_equal (result.outcome, INGEST_UNKNOWN_SOURCE);
    assert_int_equal (result.source, -1);
    assert_false (result.changed);
    assert_string_equal (result.ack.source, "east");
    assert_string_equal (result.ack.error, "unknown source");
    assert_int_equal (stats_refused_count (ingest_stats (fixture->ingest),
                                           STATS_UNKNOWN,
                                           JT_ERR_UNKNOWN_SOURCE),
                      1);
    //  A name that is not an id is not echoed.
    batch.source = "Ea\"st";
    s_send (fixture, fixture->ingest, &batch, &result);
    assert_string_equal (result.ack.source, "");
    assert_int_equal (s_figure (fixture->ingest, "city", "employed_new"), -1);
}

//  A batch refused whole changes no figure, yet uses up its sequence: the
//  next batch may name it as previous, and sent again it is re-acked with
//  its refusal.
static void
test_refused_whole_changes_nothing (void **state)
{
    fixture_t *fixture = (fixture_t *)*state;
    jt_update_t trespass[] = {
        s_update ("city.north", "employed_new", OCTOBER, 50, false, 2),
        s_update ("city.south", "employed_new", OCTOBER, 60, false, 3)};
    jt_batch_t batch = {"north", 1, 2, trespass, 0};
    ingest_result_t result;
    s_send (fixture, fixture->ingest, &batch, &result);
    assert_int_equal (result.outcome, INGEST_REFUSED);
    assert_true (result.changed);
    assert_int_equal (result.refusal, JT_ERR_NOT_ASSIGNED);
    assert_int_equal (result.ack.applied, 0);
    assert_string_equal (result.ack.error,
                         "region not assigned to source: 'city.south' is not "
                         "north's; batch refused");
    assert_int_equal (s_figure (fixture->ingest, "city", "employed_new"), -1);
    assert_int_equal (ingest_source (fixture->ingest, NORTH)->applied.last, 1);

    //  Sent again: the same refusal, nothing applied.
    s_send (fixture, fixture->ingest, &batch, &result);
    assert_int_equal (result.outcome, INGEST_DUPLICATE);
    assert_string_equal (result.ack.error,
                         "region not assigned to source: 'city.south' is not "
                         "north's; batch refused");

    //  Too many updates: refused whole too.
    jt_update_t *many = calloc (MAX_UPDATES + 1, sizeof (jt_update_t));
    assert_non_null (many);
    for (size_t index = 0; index <= MAX_UPDATES; index++)
        many[index] = s_update ("city.north", "employed_new", OCTOBER, 1, true,
                                (uint32_t)index + 2);
    jt_batch_t large = {"north", 2, MAX_UPDATES + 1, many, 1};
    s_send (fixture, fixture->ingest, &large, &result);
    assert_int_equal (result.outcome, INGEST_REFUSED);
    assert_int_equal (result.refusal, JT_ERR_TOO_MANY);
    assert_string_equal (result.ack.error,
                         "batch too large: 101 updates, at most 100");
    free (many);

    //  The next batch follows both.
    jt_update_t good =
        s_update ("city.north", "employed_new", OCTOBER, 50, false, 2);
    jt_batch_t next = {"north", 3, 1, &good, 2};
    s_send (fixture, fixture->ingest, &next, &result);
    assert_int_equal (result.outcome, INGEST_APPLIED);
    assert_int_equal (s_figure (fixture->ingest, "city", "employed_new"), 50);
    stats_t *stats = ingest_stats (fixture->ingest);
    assert_int_equal (stats_refused_count (stats, NORTH, JT_ERR_NOT_ASSIGNED),
                      1);
    assert_int_equal (stats_refused_count (stats, NORTH, JT_ERR_TOO_MANY), 1);
    assert_int_equal (stats_batches (stats), 1);
}

//  A batch far below the latest (an old resend still on its way) is taken
//  as applied, whatever it holds: never applied again.
static void
test_far_below_window_taken_as_applied (void **state)
{
    fixture_t *fixture = (fixture_t *)*state;
    jt_update_t one =
        s_update ("city.north", "employed_new", OCTOBER, 1, true, 2);
    ingest_result_t result;
    for (uint64_t sequence = 1; sequence <= APPLIED_WINDOW + 6; sequence++) {
        jt_batch_t batch = {"north", sequence, 1, &one, sequence - 1};
        s_send (fixture, fixture->ingest, &batch, &result);
        assert_int_equal (result.outcome, INGEST_APPLIED);
    }
    assert_int_equal (s_figure (fixture->ingest, "city", "employed_new"),
                      APPLIED_WINDOW + 6);
    jt_update_t other =
        s_update ("city.north", "employed_new", OCTOBER, 500, false, 2);
    jt_batch_t old = {"north", 3, 1, &other, 2};
    s_send (fixture, fixture->ingest, &old, &result);
    assert_int_equal (result.outcome, INGEST_DUPLICATE);
    assert_false (result.changed);
    assert_true (result.ack.duplicate);
    assert_int_equal (result.ack.applied, 0);
    assert_null (result.ack.error);
    assert_int_equal (s_figure (fixture->ingest, "city", "employed_new"),
                      APPLIED_WINDOW + 6);
}

//  Bad rows are refused one by one, each with its index, line and reason;
//  the rest land, a figure beyond its bounds flagged.
static void
test_rows_refused_individually (void **state)
{
    fixture_t *fixture = (fixture_t *)*state;
    jt_update_t updates[] = {
        s_update ("city.north", "employed_new", OCTOBER, 120, false, 2),
        s_update ("city.east", "employed_new", OCTOBER, 5, false, 3),
        s_update ("city.north", "employed_new", 200313, 5, false, 4),
        s_update ("city.north", "registered_unemployed", OCTOBER, 6000, false,
                  5),
        s_update ("city.north", "registered_unemployed", OCTOBER, 300, false,
                  6),
        s_update ("city.north", "employed_new", 200309, 25000, false, 7),
        s_update ("city.north", "employed_new", 200308, 1, false, 8)};
    updates[6].reported = 20031201; //  after tomorrow
    jt_batch_t batch = {"north", 1, 7, updates, 0};
    ingest_result_t result;
    s_send (fixture, fixture->ingest, &batch, &result);
    assert_int_equal (result.outcome, INGEST_APPLIED);
    assert_true (result.changed);
    assert_int_equal (result.ack.applied, 3);
    assert_null (result.ack.error);
    assert_int_equal (result.ack.rejection_count, 4);
    const jt_rejection_t *rejections = result.ack.rejections;
    assert_int_equal (rejections[0].index, 1);
    assert_int_equal (rejections[0].line, 3);
    assert_string_equal (rejections[0].reason, "unknown region 'city.east'");
    assert_int_equal (rejections[1].index, 2);
    assert_int_equal (rejections[1].line, 4);
    assert_string_equal (rejections[1].reason, "bad period 200313");
    assert_int_equal (rejections[2].index, 3);
    assert_int_equal (rejections[2].line, 5);
    assert_string_equal (rejections[2].reason,
                         "implausible figure: city.north "
                         "registered_unemployed 2003-10: 6000 above the "
                         "plausible maximum 5000");
    assert_int_equal (rejections[3].index, 6);
    assert_int_equal (rejections[3].line, 8);
    assert_string_equal (rejections[3].reason,
                         "bad report date '2003-12-01': in the future");
    assert_int_equal (result.ack.warning_count, 1);
    assert_int_equal (result.ack.warnings[0].index, 5);
    assert_int_equal (result.ack.warnings[0].line, 7);
    assert_string_equal (result.ack.warnings[0].reason,
                         "city.north employed_new 2003-09: 25000 above the "
                         "plausible maximum 20000");

    assert_int_equal (s_figure (fixture->ingest, "city", "employed_new"), 120);
    assert_int_equal (
        s_figure (fixture->ingest, "city.north", "registered_unemployed"), 300);
    //  The report arrived today, the day it came without a date of its own.
    store_t *store = ingest_store (fixture->ingest);
    int north = catalogue_region_find (fixture->catalogue, "city.north");
    assert_int_equal (
        store_reported_day (store, north, period_from_yyyymm (OCTOBER)),
        fixture->today);
    assert_int_equal (
        store_reported_day (store, north, period_from_yyyymm (200308)),
        PERIOD_DAY_NONE);
    stats_t *stats = ingest_stats (fixture->ingest);
    assert_int_equal (stats_updates (stats), 3);
    assert_int_equal (stats_refusals (stats), 4);
    assert_int_equal (stats_flags (stats), 1);
    assert_int_equal (stats_refused_count (stats, NORTH, JT_ERR_IMPLAUSIBLE),
                      1);
}

//  What a journal keeps of a batch that changed the state.
typedef struct {
    jt_batch_t batch;
    uint64_t digest;
    int day;
    jt_error_t refusal;
    char reason[512];
} kept_t;

//  Restart: a new engine fed what the journal kept, as replay, ends in the
//  same state and answers every batch sent again the same; replay is not
//  counted. A snapshot's state restored answers the same too.
static void
test_restart_replays_to_the_same_state (void **state)
{
    fixture_t *fixture = (fixture_t *)*state;
    jt_update_t north_one[] = {
        s_update ("city.north", "employed_new", OCTOBER, 120, false, 2),
        s_update ("city.east", "employed_new", OCTOBER, 5, false, 3)};
    jt_update_t north_two =
        s_update ("city.north", "employed_new", OCTOBER, 30, true, 4);
    jt_update_t trespass =
        s_update ("city.south", "employed_new", OCTOBER, 9, false, 2);
    jt_update_t south_one =
        s_update ("city.south", "employed_new", OCTOBER, 80, false, 2);
    jt_batch_t batches[] = {
        {"north", 1, 2, north_one, 0},  {"north", 3, 1, &north_two, 2},
        {"north", 2, 1, &trespass, 1},  {"north", 3, 1, &north_two, 2},
        {"south", 1, 1, &south_one, 0}, {"north", 1, 2, north_one, 0}};
    size_t count = sizeof batches / sizeof batches[0];
    kept_t journal[6];
    size_t kept = 0;
    ingest_result_t result;
    for (size_t index = 0; index < count; index++) {
        s_send (fixture, fixture->ingest, &batches[index], &result);
        if (!result.changed)
            continue;
        kept_t *record = &journal[kept++];
        *record = (kept_t){.batch = batches[index],
                           .digest = s_digest (&batches[index]),
                           .day = fixture->today,
                           .refusal = result.refusal};
        if (result.refusal != JT_OK) {
            //  Only the decision is kept: a batch of no updates.
            snprintf (record->reason, sizeof record->reason, "%s",
                      result.ack.error);
            record->batch.update_count = 0;
            record->batch.updates = NULL;
        }
    }
    assert_int_equal (kept, 4);
    assert_int_equal (s_figure (fixture->ingest, "city", "employed_new"), 230);

    ingest_t *restarted = ingest_new (fixture->catalogue, MAX_UPDATES);
    for (size_t index = 0; index < kept; index++) {
        ingest_replay_t replay = {.refusal = journal[index].refusal,
                                  .reason = journal[index].reason};
        ingest_batch (restarted, &journal[index].batch, journal[index].digest,
                      journal[index].day, &replay, &result);
        assert_true (result.changed);
    }
    assert_int_equal (stats_batches (ingest_stats (restarted)), 0);
    assert_int_equal (stats_refusals (ingest_stats (restarted)), 0);

    //  A third engine restored from the first's state, as from a snapshot.
    ingest_t *restored = ingest_new (fixture->catalogue, MAX_UPDATES);
    for (int source = 0; source < 2; source++) {
        const ingest_source_t *kept_state =
            ingest_source (fixture->ingest, source);
        ingest_restore (restored, source, &kept_state->applied,
                        kept_state->last_ack_sequence,
                        kept_state->last_ack_digest, kept_state->last_ack);
    }
    ingest_t *engines[] = {restarted, restored};
    for (size_t engine = 0; engine < 2; engine++) {
        for (int source = 0; source < 2; source++) {
            const ingest_source_t *before =
                ingest_source (fixture->ingest, source);
            const ingest_source_t *after =
                ingest_source (engines[engine], source);
            assert_int_equal (after->applied.last, before->applied.last);
            assert_int_equal (after->applied.below, before->applied.below);
            assert_int_equal (after->last_ack_sequence,
                              before->last_ack_sequence);
            assert_true (after->last_ack_digest == before->last_ack_digest);
        }
    }
    assert_int_equal (s_figure (restarted, "city", "employed_new"), 230);
    assert_int_equal (s_figure (restarted, "city.north", "employed_new"), 150);
    assert_int_equal (s_figure (restarted, "city.south", "employed_new"), 80);

    //  Every batch sent again: the same answer from each engine.
    for (size_t index = 0; index < count; index++) {
        ingest_result_t first, again;
        s_send (fixture, fixture->ingest, &batches[index], &first);
        for (size_t engine = 0; engine < 2; engine++) {
            s_send (fixture, engines[engine], &batches[index], &again);
            assert_int_equal (again.outcome, first.outcome);
            assert_int_equal (again.outcome, INGEST_DUPLICATE);
            assert_int_equal (again.ack.applied, first.ack.applied);
            assert_int_equal (again.ack.duplicate, first.ack.duplicate);
            assert_int_equal (again.ack.rejection_count,
                              first.ack.rejection_count);
            if (first.ack.rejection_count)
                assert_string_equal (again.ack.rejections[0].reason,
                                     first.ack.rejections[0].reason);
            if (first.ack.error)
                assert_string_equal (again.ack.error, first.ack.error);
            else
                assert_null (again.ack.error);
        }
    }
    //  The next batch of each source lands alike.
    jt_update_t more =
        s_update ("city.north", "employed_new", OCTOBER, 1, true, 2);
    jt_batch_t next = {"north", 4, 1, &more, 3};
    for (size_t engine = 0; engine < 2; engine++) {
        s_send (fixture, engines[engine], &next, &result);
        assert_int_equal (result.outcome, INGEST_APPLIED);
    }
    assert_int_equal (s_figure (restarted, "city", "employed_new"), 231);
    ingest_destroy (&restarted);
    ingest_destroy (&restored);
}

//  A reset engine forgets the store and what each source applied.
static void
test_reset_forgets_everything (void **state)
{
    fixture_t *fixture = (fixture_t *)*state;
    jt_update_t update =
        s_update ("city.north", "employed_new", OCTOBER, 10, false, 2);
    jt_batch_t batch = {"north", 1, 1, &update, 0};
    ingest_result_t result;
    s_send (fixture, fixture->ingest, &batch, &result);
    ingest_reset (fixture->ingest);
    assert_int_equal (s_figure (fixture->ingest, "city", "employed_new"), -1);
    assert_null (ingest_source (fixture->ingest, NORTH)->last_ack);
    s_send (fixture, fixture->ingest, &batch, &result);
    assert_int_equal (result.outcome, INGEST_APPLIED);
    assert_int_equal (s_figure (fixture->ingest, "city", "employed_new"), 10);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_duplicate_reacked_not_reapplied,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_reused_sequence_refused, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_out_of_order_not_applied, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_bad_sequence_refused, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_unknown_source_refused, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_refused_whole_changes_nothing,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_far_below_window_taken_as_applied,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_rows_refused_individually,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_restart_replays_to_the_same_state,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_reset_forgets_everything, s_setup,
                                         s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
