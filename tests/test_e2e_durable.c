/*  test_e2e_durable.c — the aggregator's journal and snapshots with the
    real programs (DESIGN §4): kill -9 loses no acknowledged figure and a
    batch sent again after the restart is re-acknowledged, not applied
    twice; a clean stop and start keeps the state from the snapshot; a
    batch journaled but never acknowledged, torn by the crash, is dropped
    with a warning and only it is missing; a corrupt snapshot stops the
    start until --rebuild. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <czmq.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <unistd.h>
#include "e2e.h"
#include "codec.h"
#include "../common/app.h"

#define CATALOGUE "config/heihe-2003.zpl"

static const char *s_counties[] = {"direct",   "aihui", "beian", "wudalianchi",
                                   "nenjiang", "xunke", "sunwu"};

static json_t *
s_summary (e2e_aggregator_t *aggregator, const char *period)
{
    char *out = NULL, *err = NULL;
    int status =
        e2e_run (&out, &err, "jobtally-reporter",
                 "summary -c %s --query %s --publish %s --region "
                 "heihe --period %s --format json %s",
                 e2e_source (CATALOGUE), aggregator->query, aggregator->publish,
                 period, e2e_security (aggregator, "reporter"));
    if (status != 0)
        fprintf (stderr, "reporter exited %d: %s\n", status, err);
    json_t *document = status == 0 ? json_loads (out, 0, NULL) : NULL;
    free (out);
    free (err);
    assert_non_null (document);
    return document;
}

//  The figures and coverage of the city's summary for period, as one
//  canonical string the caller frees: two equal strings, equal figures.
static char *
s_figures (e2e_aggregator_t *aggregator, const char *period)
{
    json_t *document = s_summary (aggregator, period);
    json_t *figures =
        json_pack ("{sOsO}", "rows", json_object_get (document, "rows"),
                   "coverage", json_object_get (document, "coverage"));
    char *text = json_dumps (figures, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref (figures);
    json_decref (document);
    assert_non_null (text);
    return text;
}

//  A figure's value in the city's summary, NAN when absent. A flow's is
//  the year to date through the period.
static double
s_value (e2e_aggregator_t *aggregator, const char *period, const char *region,
         const char *name)
{
    json_t *document = s_summary (aggregator, period);
    double value = NAN;
    size_t index;
    json_t *row;
    json_array_foreach (json_object_get (document, "rows"), index, row)
    {
        if (streq (json_string_value (json_object_get (row, "region")),
                   region) &&
            streq (json_string_value (json_object_get (row, "name")), name) &&
            json_is_number (json_object_get (row, "value")))
            value = json_number_value (json_object_get (row, "value"));
    }
    json_decref (document);
    return value;
}

//  Import every county's demo file, each collector keeping its sequence in
//  DIR/state_dir; every row must be acknowledged.
static void
s_import_demo (e2e_aggregator_t *aggregator, const char *state_dir)
{
    for (size_t index = 0; index < sizeof s_counties / sizeof *s_counties;
         index++) {
        char file[128];
        snprintf (file, sizeof file, "config/heihe-2003/%s.csv",
                  s_counties[index]);
        char *out = NULL, *err = NULL;
        int status =
            e2e_run (&out, &err, "jobtally-collector",
                     "import %s --source %s --aggregator %s --state %s/%s %s",
                     e2e_source (file), s_counties[index], aggregator->collect,
                     aggregator->dir, state_dir,
                     e2e_security (aggregator, s_counties[index]));
        if (status != 0)
            fprintf (stderr, "collector %s exited %d: %s%s\n",
                     s_counties[index], status, out, err);
        free (out);
        free (err);
        assert_int_equal (status, 0);
    }
}

//  One event (an add) from xunke, with its sequence kept in DIR/state_dir.
static int
s_send (e2e_aggregator_t *aggregator, const char *what, const char *state_dir,
        int timeout_s)
{
    char *out = NULL, *err = NULL;
    int status = e2e_run (&out, &err, "jobtally-collector",
                          "send %s --source xunke --aggregator %s --state "
                          "%s/%s --timeout %d %s",
                          what, aggregator->collect, aggregator->dir, state_dir,
                          timeout_s, e2e_security (aggregator, "xunke"));
    if (status != 0)
        fprintf (stderr, "collector send exited %d: %s%s\n", status, out, err);
    free (out);
    free (err);
    return status;
}

static bool
s_log_has (e2e_aggregator_t *aggregator, const char *text)
{
    char *log = e2e_log (aggregator);
    bool found = strstr (log, text) != NULL;
    if (!found)
        fprintf (stderr, "not in the aggregator's log: %s\n%s\n", text, log);
    free (log);
    return found;
}

static void
test_kill_9_loses_nothing_and_counts_nothing_twice (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    s_import_demo (aggregator, "state");
    char *before = s_figures (aggregator, "2003-10");

    assert_int_equal (e2e_kill (aggregator), 0);
    assert_int_equal (e2e_restart (aggregator, NULL), 0);
    //  7 Changes replayed; the state goes on above the 2^20 sequences the
    //  first start reserved (operations.md).
    assert_true (s_log_has (aggregator, "snapshot at sequence 0 with 0 cells, "
                                        "7 batches and 1475 updates "
                                        "replayed, sequence 1048577"));
    char *after = s_figures (aggregator, "2003-10");
    assert_string_equal (after, before);
    free (after);

    //  The same files again, from collectors that lost their state (so
    //  the very same batches): each is its source's latest, answered with
    //  its own ack kept across the crash, and not applied again.
    s_import_demo (aggregator, "again");
    after = s_figures (aggregator, "2003-10");
    assert_string_equal (after, before);
    free (after);

    //  An event, one more person employed in Xunke in November, sent from
    //  a copy of the collector's state too.
    char command[600];
    snprintf (command, sizeof command, "cp -r %s/state %s/copy",
              aggregator->dir, aggregator->dir);
    assert_int_equal (system (command), 0);
    double october =
        s_value (aggregator, "2003-10", "heihe.xunke", "employed_new");
    assert_true (october > 0);
    assert_int_equal (s_send (aggregator,
                              "heihe.xunke employed_new 2003-11 7 --add",
                              "state", 10),
                      0);
    assert_true (s_value (aggregator, "2003-11", "heihe.xunke",
                          "employed_new") == october + 7);
    assert_int_equal (e2e_kill (aggregator), 0);
    assert_int_equal (e2e_restart (aggregator, NULL), 0);
    //  Above the second start's reservation: 1048577 + 2^20.
    assert_true (s_log_has (aggregator, "8 batches and 1476 updates "
                                        "replayed, sequence 2097154"));
    //  Sent again (a collector that never heard the ack): re-acknowledged,
    //  not added twice.
    assert_int_equal (s_send (aggregator,
                              "heihe.xunke employed_new 2003-11 7 --add",
                              "copy", 10),
                      0);
    assert_true (s_value (aggregator, "2003-11", "heihe.xunke",
                          "employed_new") == october + 7);
    after = s_figures (aggregator, "2003-10");
    assert_string_equal (after, before);
    assert_int_equal (e2e_stop (aggregator), 0);
    assert_true (s_log_has (aggregator, "stopping: 0 batches, 0 updates "
                                        "applied, 0 refused, 1 duplicate "
                                        "batch, "));
    free (before);
    free (after);
}

//  State kept without a reservation (an upgrade from a version before
//  it, or the file removed): the start steps the sequence by one
//  reservation anyway, and writes one.
static void
test_state_without_a_reservation_steps (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    s_import_demo (aggregator, "state");
    assert_int_equal (e2e_kill (aggregator), 0);
    char path[600];
    snprintf (path, sizeof path, "%s/aggregator-state/sequence",
              aggregator->dir);
    assert_int_equal (unlink (path), 0);
    assert_int_equal (e2e_restart (aggregator, NULL), 0);
    assert_true (s_log_has (aggregator, "7 batches and 1475 updates "
                                        "replayed, sequence 1048583"));
    char *text = e2e_read_file (path);
    assert_non_null (text);
    assert_string_equal (text, "2097159\n");
    free (text);
}

static void
test_clean_stop_keeps_state (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    s_import_demo (aggregator, "state");
    char *before = s_figures (aggregator, "2003-10");
    assert_int_equal (e2e_stop (aggregator), 0);
    assert_true (s_log_has (aggregator, "server: snapshot at sequence 7: "));
    assert_int_equal (e2e_restart (aggregator, NULL), 0);
    //  All from the snapshot; the journal after it is empty.
    assert_true (s_log_has (aggregator, "snapshot at sequence 7 with "));
    //  Above the 2^20 sequences the first start reserved (operations.md).
    assert_true (s_log_has (aggregator, "0 batches and 0 updates replayed, "
                                        "sequence 1048577"));
    char *after = s_figures (aggregator, "2003-10");
    assert_string_equal (after, before);
    free (after);
    //  And the next batch lands on top of it.
    double october =
        s_value (aggregator, "2003-10", "heihe.xunke", "employed_new");
    assert_int_equal (
        s_send (aggregator, "heihe.xunke employed_new 2003-11 3", "state", 10),
        0);
    assert_true (s_value (aggregator, "2003-11", "heihe.xunke",
                          "employed_new") == october + 3);
    assert_int_equal (e2e_stop (aggregator), 0);
    free (before);
}

//  The path of the highest journal segment in the state directory.
static void
s_last_segment (e2e_aggregator_t *aggregator, char *path, size_t size)
{
    for (int number = 99; number > 0; number--) {
        snprintf (path, size, "%s/aggregator-state/journal-%06d.log",
                  aggregator->dir, number);
        if (zsys_file_exists (path))
            return;
    }
    fail_msg ("no journal segment");
}

static void
test_torn_unacknowledged_batch_is_dropped (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    assert_int_equal (
        s_send (aggregator, "heihe.xunke employed_new 2003-05 10", "event", 10),
        0);
    assert_int_equal (e2e_stop (aggregator), 0);
    //  Dies right after its first group commit, before that group's ack.
    assert_int_equal (
        e2e_restart_env (aggregator, NULL, "JT_FAULT_KILL_AFTER_COMMIT=1"), 0);
    //  Set for the aggregator alone, and loud in its log.
    assert_null (getenv ("JT_FAULT_KILL_AFTER_COMMIT"));
    char *log = e2e_log (aggregator);
    const char *hook = strstr (log, "server: TEST HOOK ON: "
                                    "JT_FAULT_KILL_AFTER_COMMIT=1");
    assert_non_null (hook);
    //  At error level: "TIME jobtally-aggregator[PID]: error: server: ...".
    const char *level = "jobtally-aggregator[";
    const char *line = hook;
    while (line > log && line[-1] != '\n')
        line--;
    assert_memory_equal (line + strlen ("2026-12-02T14:13:03+08:00 "), level,
                         strlen (level));
    assert_memory_equal (hook - strlen ("]: error: "),
                         "]: error: ", strlen ("]: error: "));
    free (log);
    //  Never acknowledged: the collector gives up (exit 3).
    assert_int_equal (
        s_send (aggregator, "heihe.xunke employed_new 2003-05 25", "event", 1),
        3);
    assert_int_equal (e2e_wait_signal (aggregator, 30000), SIGKILL);
    //  Tear the record as a crash in mid-write would.
    char path[512];
    s_last_segment (aggregator, path, sizeof path);
    FILE *file = fopen (path, "r+");
    assert_non_null (file);
    fseek (file, 0, SEEK_END);
    long size = ftell (file);
    fclose (file);
    assert_true (size > 20);
    assert_int_equal (truncate (path, size - 9), 0);

    assert_int_equal (e2e_restart (aggregator, NULL), 0);
    char *expected = zsys_sprintf ("%s: short record at offset 0: dropped "
                                   "the last %ld bytes",
                                   strrchr (path, '/') + 1, size - 9);
    assert_true (s_log_has (aggregator, expected));
    free (expected);
    //  The batch acknowledged before is there; the torn one is not.
    assert_true (
        s_value (aggregator, "2003-05", "heihe.xunke", "employed_new") == 10);
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  A start that only replays, then stops cleanly, snapshots; the batches
//  the next start journals must survive its kill -9. Then the same after
//  a run with the journal off. (Its snapshot once claimed the journal
//  segment the next start wrote into, and the start after skipped it.)
static void
test_snapshot_after_replay_loses_nothing (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    assert_int_equal (s_send (aggregator,
                              "heihe.xunke employed_new 2003-11 5 --add",
                              "state", 10),
                      0);
    assert_int_equal (e2e_kill (aggregator), 0);
    assert_int_equal (e2e_restart (aggregator, NULL), 0);
    assert_int_equal (e2e_stop (aggregator), 0);
    assert_int_equal (e2e_restart (aggregator, NULL), 0);
    assert_int_equal (s_send (aggregator,
                              "heihe.xunke employed_new 2003-11 7 --add",
                              "state", 10),
                      0);
    assert_int_equal (e2e_kill (aggregator), 0);
    assert_int_equal (e2e_restart (aggregator, NULL), 0);
    //  Above the third start's reservation (3145730 = 2097154 + 2^20).
    assert_true (s_log_has (aggregator, "1 batch and 1 update replayed, "
                                        "sequence 3145731"));
    assert_true (
        s_value (aggregator, "2003-11", "heihe.xunke", "employed_new") == 12);

    assert_int_equal (e2e_stop (aggregator), 0);
    assert_int_equal (e2e_restart (aggregator, "--journal off"), 0);
    assert_int_equal (s_send (aggregator,
                              "heihe.xunke employed_new 2003-11 3 --add",
                              "state", 10),
                      0);
    assert_int_equal (e2e_stop (aggregator), 0);
    assert_int_equal (e2e_restart (aggregator, NULL), 0);
    assert_int_equal (s_send (aggregator,
                              "heihe.xunke employed_new 2003-11 4 --add",
                              "state", 10),
                      0);
    assert_int_equal (e2e_kill (aggregator), 0);
    assert_int_equal (e2e_restart (aggregator, NULL), 0);
    assert_true (
        s_value (aggregator, "2003-11", "heihe.xunke", "employed_new") == 19);
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  Send one frame (consumed) on a raw DEALER and return the answer's
//  bytes (the caller's), failing when none comes within a minute.
static zframe_t *
s_raw_ack (zsock_t *dealer, zframe_t **frame)
{
    assert_int_equal (zframe_send (frame, dealer, 0), 0);
    zpoller_t *poller = zpoller_new (dealer, NULL);
    zframe_t *answer = NULL;
    if (zpoller_wait (poller, 60000) == dealer)
        answer = zframe_recv (dealer);
    zpoller_destroy (&poller);
    assert_non_null (answer);
    return answer;
}

//  A batch refused whole (5,000 updates of a region not its source's) is
//  journaled as its refusal alone, and replayed to the same decision: the
//  same batch sent after kill -9 gets the very ack it got before, and the
//  next batch, which names it as previous, is applied.
static void
test_refused_batch_journaled_small (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    codec_t *codec = codec_new (APP_ARENA_LIMIT);
    zsock_t *dealer = e2e_plain_dealer (aggregator->collect);
    jt_update_t good = {.region = "heihe.xunke",
                        .indicator = "employed_new",
                        .period = 200311,
                        .value = 5000,
                        .add = true};
    jt_batch_t batch = {
        .source = "xunke", .sequence = 1, .update_count = 1, .updates = &good};
    zframe_t *frame = codec_encode_batch (codec, &batch);
    zframe_t *answer = s_raw_ack (dealer, &frame);
    zframe_destroy (&answer);
    const size_t count = 5000;
    jt_update_t *foreign = calloc (count, sizeof (jt_update_t));
    for (size_t index = 0; index < count; index++)
        foreign[index] = (jt_update_t){.region = "heihe.aihui",
                                       .indicator = "employed_new",
                                       .period = 200311,
                                       .value = 1000,
                                       .line = (uint32_t)index + 2};
    batch = (jt_batch_t){.source = "xunke",
                         .sequence = 2,
                         .previous = 1,
                         .update_count = count,
                         .updates = foreign};
    zframe_t *refused = codec_encode_batch (codec, &batch);
    free (foreign);
    assert_true (zframe_size (refused) > 100000);
    frame = zframe_dup (refused);
    zframe_t *first_ack = s_raw_ack (dealer, &frame);
    assert_int_equal (codec_decode (codec, zframe_data (first_ack),
                                    zframe_size (first_ack), NULL),
                      JT_MSG_ACK);
    assert_non_null (strstr (codec_ack (codec)->error, "batch refused"));

    assert_int_equal (e2e_kill (aggregator), 0);
    char path[512];
    snprintf (path, sizeof path, "%s/aggregator-state/journal-000001.log",
              aggregator->dir);
    FILE *file = fopen (path, "r");
    assert_non_null (file);
    fseek (file, 0, SEEK_END);
    long size = ftell (file);
    fclose (file);
    assert_true (size < 1000);
    assert_int_equal (e2e_restart (aggregator, NULL), 0);
    assert_true (s_log_has (aggregator, "2 batches and 1 update replayed"));
    //  The reconnect is the DEALER's own; the same bytes, the same ack.
    frame = zframe_dup (refused);
    answer = s_raw_ack (dealer, &frame);
    assert_true (zframe_eq (answer, first_ack));
    zframe_destroy (&answer);
    good.value = 2000;
    batch = (jt_batch_t){.source = "xunke",
                         .sequence = 3,
                         .previous = 2,
                         .update_count = 1,
                         .updates = &good};
    frame = codec_encode_batch (codec, &batch);
    answer = s_raw_ack (dealer, &frame);
    assert_int_equal (
        codec_decode (codec, zframe_data (answer), zframe_size (answer), NULL),
        JT_MSG_ACK);
    assert_string_equal (codec_ack (codec)->error, "");
    assert_int_equal (codec_ack (codec)->applied, 1);
    zframe_destroy (&answer);
    assert_true (
        s_value (aggregator, "2003-11", "heihe.xunke", "employed_new") == 7);
    zframe_destroy (&first_ack);
    zframe_destroy (&refused);
    zsock_destroy (&dealer);
    codec_destroy (&codec);
    assert_int_equal (e2e_stop (aggregator), 0);
}

static void
test_corrupt_snapshot_needs_rebuild (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    s_import_demo (aggregator, "state");
    char *before = s_figures (aggregator, "2003-10");
    assert_int_equal (e2e_stop (aggregator), 0);
    //  One byte of the snapshot flipped.
    char path[512];
    snprintf (path, sizeof path, "%s/aggregator-state/snapshot",
              aggregator->dir);
    FILE *file = fopen (path, "r+");
    assert_non_null (file);
    fseek (file, 40, SEEK_SET);
    int byte = fgetc (file);
    fseek (file, 40, SEEK_SET);
    fputc (byte ^ 0x10, file);
    fclose (file);

    assert_int_equal (e2e_restart (aggregator, NULL), -1);
    assert_true (s_log_has (aggregator, "snapshot is corrupt (checksum "
                                        "mismatch); the aggregator will not "
                                        "start on it: start it once with "
                                        "--rebuild"));
    //  Rebuilt from the journal, which still holds every batch.
    assert_int_equal (e2e_restart (aggregator, "--rebuild"), 0);
    assert_true (s_log_has (aggregator, "the bad snapshot is kept as"));
    assert_true (s_log_has (aggregator, "7 batches and 1475 updates replayed"));
    char *after = s_figures (aggregator, "2003-10");
    assert_string_equal (after, before);
    assert_int_equal (e2e_stop (aggregator), 0);
    //  And it starts plainly again.
    assert_int_equal (e2e_restart (aggregator, NULL), 0);
    free (after);
    after = s_figures (aggregator, "2003-10");
    assert_string_equal (after, before);
    assert_int_equal (e2e_stop (aggregator), 0);
    free (before);
    free (after);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (
            test_kill_9_loses_nothing_and_counts_nothing_twice, e2e_setup,
            e2e_teardown),
        cmocka_unit_test_setup_teardown (test_clean_stop_keeps_state, e2e_setup,
                                         e2e_teardown),
        cmocka_unit_test_setup_teardown (test_state_without_a_reservation_steps,
                                         e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown (
            test_torn_unacknowledged_batch_is_dropped, e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown (
            test_snapshot_after_replay_loses_nothing, e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown (test_refused_batch_journaled_small,
                                         e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown (test_corrupt_snapshot_needs_rebuild,
                                         e2e_setup_secure, e2e_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
