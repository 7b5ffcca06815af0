/*  test_log.c — the log's lines (common/log.c): on a terminal or in a
    file, the time in ISO 8601 with its numeric zone, the program and pid,
    the level; under journald (JOURNAL_STREAM naming the stream), the
    syslog priority and nothing else; a message of several lines; debug
    lines only with -v. The clock is fixed and the zone set with TZ, so
    every line is known to the character. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

//  The fixed clock: 2026-12-02T06:13:03Z, set by main with timegm.
static time_t s_epoch = 0;

static time_t
s_clock (void)
{
    return s_epoch;
}

//  Everything written to file since the start, a fresh string.
static char *
s_read (FILE *file)
{
    fflush (file);
    long size = ftell (file);
    assert_true (size >= 0);
    char *text = calloc (1, (size_t)size + 1);
    assert_non_null (text);
    rewind (file);
    assert_int_equal (fread (text, 1, (size_t)size, file), (size_t)size);
    return text;
}

//  A stream for one test, set as the log's, with the zone given.
static FILE *
s_open (const char *zone)
{
    setenv ("TZ", zone, 1);
    tzset ();
    FILE *file = tmpfile ();
    assert_non_null (file);
    log_set_stream (file);
    log_set_clock (s_clock);
    return file;
}

static void
s_close (FILE *file)
{
    log_set_stream (NULL);
    log_set_clock (NULL);
    fclose (file);
    unsetenv ("JOURNAL_STREAM");
}

static void
test_line_has_time_zone_program_pid_and_level (void **state)
{
    (void)state;
    unsetenv ("JOURNAL_STREAM");
    log_open ("jobtally-aggregator", false);
    FILE *file = s_open ("CST-8"); //  China, UTC+8, no tz database needed
    log_warning ("server: batch %d from source '%s' refused: %s", 7, "aihui",
                 "bad sequence");
    log_error ("journal: cannot fsync");
    log_notice ("server: notice");
    log_info ("server: info");
    char *text = s_read (file);
    char expected[1024];
    long pid = (long)getpid ();
    snprintf (expected, sizeof expected,
              "2026-12-02T14:13:03+08:00 jobtally-aggregator[%ld]: warning: "
              "server: batch 7 from source 'aihui' refused: bad sequence\n"
              "2026-12-02T14:13:03+08:00 jobtally-aggregator[%ld]: error: "
              "journal: cannot fsync\n"
              "2026-12-02T14:13:03+08:00 jobtally-aggregator[%ld]: notice: "
              "server: notice\n"
              "2026-12-02T14:13:03+08:00 jobtally-aggregator[%ld]: info: "
              "server: info\n",
              pid, pid, pid, pid);
    assert_string_equal (text, expected);
    free (text);
    s_close (file);
}

static void
test_zone_west_of_utc_and_utc_itself (void **state)
{
    (void)state;
    log_open ("jobtally-collector", false);
    //  Newfoundland: UTC-3:30, minutes in the zone too.
    FILE *file = s_open ("NST+3:30");
    log_info ("run: west");
    char *text = s_read (file);
    char expected[256];
    snprintf (expected, sizeof expected,
              "2026-12-02T02:43:03-03:30 jobtally-collector[%ld]: info: "
              "run: west\n",
              (long)getpid ());
    assert_string_equal (text, expected);
    free (text);
    s_close (file);

    file = s_open ("UTC0");
    log_info ("run: utc");
    text = s_read (file);
    snprintf (expected, sizeof expected,
              "2026-12-02T06:13:03+00:00 jobtally-collector[%ld]: info: "
              "run: utc\n",
              (long)getpid ());
    assert_string_equal (text, expected);
    free (text);
    s_close (file);
}

//  JOURNAL_STREAM set to the stream's own device and inode, as systemd
//  sets it for a service whose standard error is the journal.
static void
s_be_the_journal (FILE *file)
{
    struct stat status;
    assert_int_equal (fstat (fileno (file), &status), 0);
    char value[64];
    snprintf (value, sizeof value, "%ju:%ju", (uintmax_t)status.st_dev,
              (uintmax_t)status.st_ino);
    setenv ("JOURNAL_STREAM", value, 1);
}

static void
test_under_journald_a_priority_and_no_time (void **state)
{
    (void)state;
    log_open ("jobtally-reporter", true);
    FILE *file = s_open ("CST-8");
    s_be_the_journal (file);
    assert_true (log_journal_stream (fileno (file)));
    log_set_stream (file); //  tells again, now the journal's
    log_error ("replica: re-sync failed: %s", "no answer");
    log_warning ("replica: dropped message");
    log_notice ("alerts: notice");
    log_info ("run: synced at sequence %d", 12);
    log_debug ("run: summaries written to %s", "out");
    char *text = s_read (file);
    assert_string_equal (text, "<3>error: replica: re-sync failed: no answer\n"
                               "<4>warning: replica: dropped message\n"
                               "<5>notice: alerts: notice\n"
                               "<6>info: run: synced at sequence 12\n"
                               "<7>debug: run: summaries written to out\n");
    free (text);
    s_close (file);
}

static void
test_another_stream_is_not_the_journal (void **state)
{
    (void)state;
    FILE *file = s_open ("UTC0");
    FILE *other = tmpfile ();
    assert_non_null (other);
    s_be_the_journal (other); //  the journal is some other file
    assert_false (log_journal_stream (fileno (file)));
    assert_true (log_journal_stream (fileno (other)));
    setenv ("JOURNAL_STREAM", "12:", 1);
    assert_false (log_journal_stream (fileno (other)));
    setenv ("JOURNAL_STREAM", "junk", 1);
    assert_false (log_journal_stream (fileno (other)));
    unsetenv ("JOURNAL_STREAM");
    assert_false (log_journal_stream (fileno (other)));
    fclose (other);
    s_close (file);
}

static void
test_every_line_of_a_message_has_the_prefix (void **state)
{
    (void)state;
    log_open ("jobtally-reporter", false);
    FILE *file = s_open ("CST-8");
    s_be_the_journal (file);
    log_set_stream (file);
    log_warning ("alerts: %s", "first\nsecond\n");
    log_warning ("alerts: a\n\nb");
    char *text = s_read (file);
    assert_string_equal (text, "<4>warning: alerts: first\n"
                               "<4>warning: second\n"
                               "<4>warning: alerts: a\n"
                               "<4>warning: \n"
                               "<4>warning: b\n");
    free (text);
    s_close (file);
}

static void
test_debug_lines_only_when_verbose (void **state)
{
    (void)state;
    log_open ("jobtally-collector", false);
    assert_false (log_verbose ());
    FILE *file = s_open ("UTC0");
    s_be_the_journal (file);
    log_set_stream (file);
    log_debug ("sender: batch 1 sent");
    log_open ("jobtally-collector", true);
    assert_true (log_verbose ());
    log_debug ("sender: batch 2 sent");
    char *text = s_read (file);
    assert_string_equal (text, "<7>debug: sender: batch 2 sent\n");
    free (text);
    s_close (file);
}

int
main (void)
{
    struct tm when = {.tm_year = 2026 - 1900,
                      .tm_mon = 11,
                      .tm_mday = 2,
                      .tm_hour = 6,
                      .tm_min = 13,
                      .tm_sec = 3};
    s_epoch = timegm (&when);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_line_has_time_zone_program_pid_and_level),
        cmocka_unit_test (test_zone_west_of_utc_and_utc_itself),
        cmocka_unit_test (test_under_journald_a_priority_and_no_time),
        cmocka_unit_test (test_another_stream_is_not_the_journal),
        cmocka_unit_test (test_every_line_of_a_message_has_the_prefix),
        cmocka_unit_test (test_debug_lines_only_when_verbose),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
