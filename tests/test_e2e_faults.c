/*  test_e2e_faults.c — faults of whole processes, with the real programs on
    loopback: reporters that start late or are killed with SIGKILL while
    changes stream in, and an aggregator killed with SIGKILL three times
    while a collector imports 200,000 updates. Each test asserts that what
   survives equals the aggregator's own state exactly, and prints what it did.
 */
#include <czmq.h>
#include <jansson.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "e2e_json.h"

#define CATALOGUE "config/heihe-2003.zpl"

//  A new CSV file dir/name, open for writing, its header written; its
//  path in path (room for size bytes). The caller closes it.
static FILE *
s_csv_new (const char *dir, const char *name, char *path, size_t size)
{
    snprintf (path, size, "%s/%s", dir, name);
    FILE *file = fopen (path, "w");
    assert_non_null (file);
    fprintf (file, "region,indicator,period,value,op\n");
    return file;
}

//  Write a CSV of count events (op add, value 1) for one county's new
//  employment in 2003-10, one row each; returns its path (static buffer).
static const char *
s_events_csv (const char *dir, const char *name, const char *region, int count)
{
    static char path[512];
    FILE *file = s_csv_new (dir, name, path, sizeof path);
    for (int row = 0; row < count; row++)
        fprintf (file, "%s,employed_new,2003-10,1,add\n", region);
    fclose (file);
    return path;
}

//  Start `jobtally-collector import CSV` for the aihui source, with its
//  state in DIR/STATE and batches of batch rows, giving the city up to
//  600 s; it logs to DIR/collector.log.
static pid_t
s_import_aihui (e2e_aggregator_t *aggregator, const char *csv,
                const char *state_name, int batch)
{
    char log[512];
    snprintf (log, sizeof log, "%s/collector.log", aggregator->dir);
    pid_t collector =
        e2e_spawn (log, "jobtally-collector",
                   "import %s --source aihui --aggregator %s --state %s/%s "
                   "--batch %d --timeout 600 %s",
                   csv, aggregator->collect, aggregator->dir, state_name, batch,
                   e2e_security (aggregator, "aihui"));
    assert_true (collector > 0);
    return collector;
}

//  Start `jobtally-reporter run` writing summaries every second into
//  DIR/NAME, logging to DIR/NAME.log.
static pid_t
s_start_reporter (e2e_aggregator_t *aggregator, const char *name)
{
    char out[512], log[512];
    snprintf (out, sizeof out, "%s/%s", aggregator->dir, name);
    snprintf (log, sizeof log, "%s/%s.log", aggregator->dir, name);
    zsys_dir_create ("%s", out);
    return e2e_spawn (log, "jobtally-reporter",
                      "run -c %s --query %s --publish %s --region heihe "
                      "--period 2003-10 --now 2003-11-20 --every 1 --out %s "
                      "--state %s/alerts.state %s",
                      e2e_source (CATALOGUE), aggregator->query,
                      aggregator->publish, out, out,
                      e2e_security (aggregator, "reporter"));
}

//  Start the reporter NAME and wait (up to a minute) for its first
//  summary, whose path goes to summary.
static pid_t
s_start_synced_reporter (e2e_aggregator_t *aggregator, const char *name,
                         char *summary, size_t size)
{
    pid_t reporter = s_start_reporter (aggregator, name);
    snprintf (summary, size, "%s/%s/summary.json", aggregator->dir, name);
    for (int tries = 0; tries < 600 && !zsys_file_exists (summary); tries++)
        zclock_sleep (100);
    assert_true (zsys_file_exists (summary));
    return reporter;
}

//  Wait (up to a minute) until the reporter NAME has written a JSON
//  summary equal to expected; returns the last one it wrote.
static char *
s_wait_for_summary (e2e_aggregator_t *aggregator, const char *name,
                    const char *expected)
{
    char path[512];
    snprintf (path, sizeof path, "%s/%s/summary.json", aggregator->dir, name);
    char *text = NULL;
    for (int tries = 0; tries < 600; tries++) {
        free (text);
        text = e2e_read_file (path);
        if (text && streq (text, expected))
            break;
        zclock_sleep (100);
    }
    return text ? text : strdup ("");
}

static void
test_reporters_late_and_killed_end_equal (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    const int events = 20000;
    const char *csv =
        s_events_csv (aggregator->dir, "events.csv", "heihe.aihui", events);

    //  "killed" is synced from the start; the collector streams 20,000
    //  events in batches of 2 (10,000 Changes messages); "killed" dies with
    //  SIGKILL as soon as the stream begins, "late" starts while it flows,
    //  and "killed" starts again.
    char first[512];
    pid_t killed =
        s_start_synced_reporter (aggregator, "killed", first, sizeof first);
    pid_t collector = s_import_aihui (aggregator, csv, "collector", 2);
    assert_true (killed > 0);
    assert_int_equal (e2e_signal (killed, SIGKILL), 128 + SIGKILL);
    pid_t late = s_start_reporter (aggregator, "late");
    killed = s_start_reporter (aggregator, "killed");
    assert_int_equal (e2e_wait (collector, 240), 0);

    char *expected =
        e2e_summary_text (aggregator, "heihe", "2003-10", "--now 2003-11-20");
    assert_true (e2e_summary_value (expected, "heihe", "employed_new") ==
                 events);
    char *from_late = s_wait_for_summary (aggregator, "late", expected);
    char *from_killed = s_wait_for_summary (aggregator, "killed", expected);
    printf ("reporters: %d events in %d batches; one killed -9 and "
            "restarted, one started late (their logs say at which state "
            "sequence); city new employment %.0f in the aggregator, %.0f and "
            "%.0f in the reporters' summaries\n",
            events, events / 2,
            e2e_summary_value (expected, "heihe", "employed_new"),
            e2e_summary_value (from_killed, "heihe", "employed_new"),
            e2e_summary_value (from_late, "heihe", "employed_new"));
    assert_string_equal (from_late, expected);
    assert_string_equal (from_killed, expected);
    assert_int_equal (e2e_signal (late, SIGTERM), 0);
    assert_int_equal (e2e_signal (killed, SIGTERM), 0);
    free (expected);
    free (from_late);
    free (from_killed);
}

//  Changes go out before their group is on disk. The aggregator dies
//  (the test hook) with a reporter holding a figure the restart does not
//  have; another county reports before the first one's collector sends
//  its batch again. The reporter must notice the restart (the state
//  sequence goes on above any it was sent) and end equal to the
//  aggregator, both counties in.
static void
test_published_then_lost_figure_is_resynced (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    assert_int_equal (e2e_kill (aggregator), 0);
    assert_int_equal (
        e2e_restart_env (aggregator, NULL, "JT_FAULT_KILL_AFTER_PUBLISH=1"), 0);
    char first[512];
    pid_t reporter =
        s_start_synced_reporter (aggregator, "watch", first, sizeof first);

    char csv[512], empty[512];
    snprintf (csv, sizeof csv, "%s",
              s_events_csv (aggregator->dir, "five.csv", "heihe.aihui", 5));
    snprintf (empty, sizeof empty, "%s",
              s_events_csv (aggregator->dir, "none.csv", "heihe.aihui", 0));
    pid_t collector = s_import_aihui (aggregator, csv, "aihui", 5);
    assert_int_equal (e2e_wait_signal (aggregator, 60000), SIGKILL);
    //  The reporter got the 5 the aggregator published and then lost.
    double seen = 0;
    for (int tries = 0; tries < 600 && seen != 5; tries++) {
        char *text = e2e_read_file (first);
        seen = text ? e2e_summary_value (text, "heihe", "employed_new") : 0;
        free (text);
        if (seen != 5)
            zclock_sleep (100);
    }
    assert_true (seen == 5);
    assert_int_equal (e2e_signal (collector, SIGKILL), 128 + SIGKILL);

    assert_int_equal (e2e_restart (aggregator, NULL), 0);
    //  The restart does not have it: the county has not reported.
    double recovered =
        e2e_figure (aggregator, "heihe.aihui", "2003-10", "employed_new");
    if (recovered != -1)
        fprintf (stderr, "recovered aihui employed_new %.1f\n", recovered);
    assert_true (recovered == -1);
    char *out = NULL, *err = NULL;
    assert_int_equal (
        e2e_run (&out, &err, "jobtally-collector",
                 "send heihe.sunwu employed_new 2003-10 7 --add "
                 "--source sunwu --aggregator %s --state %s/sunwu "
                 "--timeout 60 %s",
                 aggregator->collect, aggregator->dir,
                 e2e_security (aggregator, "sunwu")),
        0);
    free (out);
    free (err);
    //  The first county's collector again: its outbox goes first.
    collector = s_import_aihui (aggregator, empty, "aihui", 5);
    assert_int_equal (e2e_wait (collector, 120), 0);

    char *expected =
        e2e_summary_text (aggregator, "heihe", "2003-10", "--now 2003-11-20");
    assert_true (e2e_summary_value (expected, "heihe", "employed_new") == 12);
    char *got = s_wait_for_summary (aggregator, "watch", expected);
    char path[512];
    snprintf (path, sizeof path, "%s/watch.log", aggregator->dir);
    char *reporter_log = e2e_read_file (path);
    assert_non_null (reporter_log);
    printf ("faults: a reporter saw new employment 5 that the aggregator "
            "published and lost to a kill -9 before its fsync; after the "
            "restart another county reported 7 and the 5 came again; the "
            "reporter says %.0f, the aggregator %.0f\n",
            e2e_summary_value (got, "heihe", "employed_new"),
            e2e_summary_value (expected, "heihe", "employed_new"));
    assert_string_equal (got, expected);
    //  It had the lost 5 at 1048578 (the second start goes on above the
    //  first's 2^20 reserved sequences); the third start goes on above
    //  the second's reservation, at 2097154, and the reporter re-synced
    //  there or at one of the two batches after it.
    if (!strstr (reporter_log, "re-synced at sequence 209715"))
        fprintf (stderr, "the reporter's log:\n%s\n", reporter_log);
    assert_non_null (strstr (reporter_log, "re-synced at sequence 209715"));
    assert_int_equal (e2e_signal (reporter, SIGTERM), 0);
    free (reporter_log);
    free (expected);
    free (got);
}

//  Restart the aggregator; with after > 0 it kills itself (the test hook)
//  right after its after-th group commit, before that group's acks leave.
static void
s_restart (e2e_aggregator_t *aggregator, int after)
{
    char hook[64];
    snprintf (hook, sizeof hook, "JT_FAULT_KILL_AFTER_COMMIT=%d", after);
    int rc = e2e_restart_env (aggregator, NULL, after > 0 ? hook : NULL);
    if (rc != 0) {
        char *log = e2e_log (aggregator);
        fprintf (stderr, "aggregator did not come back:\n%s\n", log);
        free (log);
    }
    assert_int_equal (rc, 0);
}

static void
test_200000_updates_through_three_aggregator_kills (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    //  200,000 add events spread over ten months, values 1 to 7: a batch
    //  lost or applied twice moves a month's sum.
    const int events = 200000;
    char csv[512];
    FILE *file = s_csv_new (aggregator->dir, "events.csv", csv, sizeof csv);
    double expected[11] = {0};
    for (int row = 0; row < events; row++) {
        int month = row % 10 + 1, value = row % 7 + 1;
        fprintf (file, "heihe.aihui,employed_new,2003-%02d,%d,add\n", month,
                 value);
        expected[month] += value;
    }
    fclose (file);

    unsigned seed = (unsigned)zclock_time ();
    srandom (seed);
    int first = 10 + (int)(random () % 150),
        second = 10 + (int)(random () % 150);
    int third_ms = 50 + (int)(random () % 400);

    //  The first two deaths come from the test hook at random group
    //  commits, when a group is journaled but not acknowledged; the third
    //  is a plain kill -9 from outside at a random moment.
    assert_int_equal (e2e_kill (aggregator), 0);
    s_restart (aggregator, first);
    pid_t collector = s_import_aihui (aggregator, csv, "state", 100);
    assert_int_equal (e2e_wait_signal (aggregator, 300000), SIGKILL);
    s_restart (aggregator, second);
    assert_int_equal (e2e_wait_signal (aggregator, 300000), SIGKILL);
    s_restart (aggregator, 0);
    zclock_sleep (third_ms);
    bool importing = e2e_wait (collector, 0) == -2;
    assert_int_equal (e2e_kill (aggregator), 0);
    s_restart (aggregator, 0);
    assert_int_equal (e2e_wait (collector, 600), 0);

    double total = 0;
    for (int month = 1; month <= 10; month++) {
        total += expected[month];
        char period[8];
        snprintf (period, sizeof period, "2003-%02d", month);
        assert_true (e2e_figure (aggregator, "heihe.aihui", period,
                                 "employed_new") == total);
    }
    printf ("faults: %d updates in batches of 100 through 3 kill -9 of the "
            "aggregator (seed %u: after group commits %d and %d, then %d ms "
            "after a restart%s); every month's sum exact, city total %.0f: "
            "none lost, none doubled\n",
            events, seed, first, second, third_ms,
            importing ? ", mid-import" : ", after the import had ended", total);
}

//  The newest journal segment with records in it, and where its last
//  record starts and how long it is ([magic][length][crc][payload]).
static void
s_last_record (const char *state_dir, char *path, size_t size, long *start,
               long *length)
{
    zdir_t *dir = zdir_new (state_dir, NULL);
    assert_non_null (dir);
    zlist_t *files = zdir_list (dir);
    char newest[64] = "";
    for (zfile_t *file = (zfile_t *)zlist_first (files); file;
         file = (zfile_t *)zlist_next (files)) {
        const char *name = zfile_filename (file, state_dir);
        if (strncmp (name, "journal-", 8) == 0 && strlen (name) == 18 &&
            zfile_cursize (file) > 0 && strcmp (name, newest) > 0)
            snprintf (newest, sizeof newest, "%s", name);
    }
    zlist_destroy (&files);
    zdir_destroy (&dir);
    snprintf (path, size, "%s/%s", state_dir, newest);
    assert_true (newest[0] != 0);
    FILE *journal = fopen (path, "rb");
    assert_non_null (journal);
    unsigned char header[12];
    long at = 0;
    *start = -1;
    while (fseek (journal, at, SEEK_SET) == 0 &&
           fread (header, 1, sizeof header, journal) == sizeof header) {
        uint32_t record = (uint32_t)header[4] | (uint32_t)header[5] << 8 |
                          (uint32_t)header[6] << 16 | (uint32_t)header[7] << 24;
        *start = at;
        *length = 12 + (long)record;
        at += 12 + (long)record;
    }
    fclose (journal);
    assert_true (*start >= 0);
}

//  The aggregator dies right after its third group commit (journaled, not
//  acknowledged); the test then damages that group's last record — cut
//  mid-record, or one byte of it flipped — and starts the aggregator
//  again. It drops exactly that record with a warning; the collector,
//  which never had its ack, sends the batch again from its outbox, and the
//  totals come out exact.
static void
s_damaged_record_is_resent (e2e_aggregator_t *aggregator, bool flip)
{
    const int rows = 60;
    char csv[512];
    FILE *file = s_csv_new (aggregator->dir, "rows.csv", csv, sizeof csv);
    double total = 0;
    for (int row = 1; row <= rows; row++) {
        fprintf (file, "heihe.aihui,employed_new,2003-10,%d,add\n", row);
        total += row;
    }
    fclose (file);

    assert_int_equal (e2e_kill (aggregator), 0);
    assert_int_equal (
        e2e_restart_env (aggregator, NULL, "JT_FAULT_KILL_AFTER_COMMIT=3"), 0);
    pid_t collector = s_import_aihui (aggregator, csv, "state", 1);
    assert_int_equal (e2e_wait_signal (aggregator, 60000), SIGKILL);

    char state_dir[512], path[600];
    snprintf (state_dir, sizeof state_dir, "%s/aggregator-state",
              aggregator->dir);
    long start = 0, length = 0;
    s_last_record (state_dir, path, sizeof path, &start, &length);
    if (flip) {
        FILE *journal = fopen (path, "r+b");
        assert_non_null (journal);
        long at = start + 12 + (length - 12) / 2;
        fseek (journal, at, SEEK_SET);
        int byte = fgetc (journal);
        fseek (journal, at, SEEK_SET);
        fputc (byte ^ 0x40, journal);
        fclose (journal);
    } else
        assert_int_equal (truncate (path, start + length / 2), 0);

    assert_int_equal (e2e_restart (aggregator, NULL), 0);
    assert_int_equal (e2e_wait (collector, 300), 0);
    double value =
        e2e_figure (aggregator, "heihe.aihui", "2003-10", "employed_new");
    char *aggregator_log = e2e_log (aggregator);
    bool warned = strstr (aggregator_log, "dropped the last") != NULL;
    printf ("faults: journal's last record (%ld bytes at offset %ld of %s) "
            "%s after a kill -9 before its ack; the restart dropped it%s; "
            "the collector sent it again; total %.0f of %.0f\n",
            length, start, strrchr (path, '/') + 1,
            flip ? "had one byte flipped" : "was cut in the middle",
            warned ? " with a warning" : "", value, total);
    free (aggregator_log);
    assert_true (warned);
    assert_true (value == total);
}

static void
test_torn_journal_record_is_resent (void **state)
{
    s_damaged_record_is_resent (*state, false);
}

static void
test_flipped_journal_record_is_resent (void **state)
{
    s_damaged_record_is_resent (*state, true);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (
            test_reporters_late_and_killed_end_equal, e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown (
            test_200000_updates_through_three_aggregator_kills, e2e_setup,
            e2e_teardown),
        cmocka_unit_test_setup_teardown (
            test_published_then_lost_figure_is_resynced, e2e_setup,
            e2e_teardown),
        cmocka_unit_test_setup_teardown (test_torn_journal_record_is_resent,
                                         e2e_setup, e2e_teardown),
        cmocka_unit_test_setup_teardown (test_flipped_journal_record_is_resent,
                                         e2e_setup, e2e_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
