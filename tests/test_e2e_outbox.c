/*  test_e2e_outbox.c — the collector's outbox with the real programs on
    loopback: an import while the city is unreachable stays queued and goes
    with the next one; a collector killed with SIGKILL mid-import resends
    exactly what was not acknowledged; `run` takes CSV drops from an inbox
    while an import queues through it; a full outbox refuses rows loudly
    and drops nothing. Totals are checked against the reporter's summary,
    exactly. Nothing is timed: each wait is on a condition, with a
    generous deadline. */
#include <czmq.h>
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>
#include <sys/wait.h>

#include "e2e_json.h"
#include "json_check.h"

#define CATALOGUE "config/heihe-2003.zpl"
#define NOBODY "tcp://127.0.0.1:1" //  nothing listens there
#define DEADLINE_MS 120000         //  generous: valgrind, a busy machine

//  A background collector of the running test, stopped by the teardown
//  should the test fail half way.
static pid_t s_spawned = 0;

//  The city's figure for (region, indicator) in 2003-10, or -1 if none.
static double
s_figure (e2e_aggregator_t *aggregator, const char *region,
          const char *indicator)
{
    return e2e_figure (aggregator, region, "2003-10", indicator);
}

//  `jobtally-collector status --format json` for source, parsed (caller
//  decrefs). The limit is not kept in the state directory: it is given the
//  one the test's imports use.
static json_t *
s_status (e2e_aggregator_t *aggregator, const char *source)
{
    char *out = NULL, *err = NULL;
    int status = e2e_run (&out, &err, "jobtally-collector",
                          "status --source %s --state %s/state --format json "
                          "--outbox-limit 10k",
                          source, aggregator->dir);
    if (status != 0)
        fprintf (stderr, "status exited %d: %s\n", status, err);
    assert_int_equal (status, 0);
    json_error_t error;
    json_t *document = json_loads (out, 0, &error);
    if (!document)
        fprintf (stderr, "not JSON: %s\n", out);
    assert_non_null (document);
    free (out);
    free (err);
    return document;
}

static json_int_t
s_status_number (e2e_aggregator_t *aggregator, const char *source,
                 const char *key)
{
    json_t *document = s_status (aggregator, source);
    json_int_t value = json_integer_value (json_object_get (document, key));
    json_decref (document);
    return value;
}

//  A CSV of count add rows for region's employed_new in 2003-10, values
//  1, 2, 3...; returns its path (static buffer) and the values' sum.
static const char *
s_events_csv (const char *dir, const char *name, const char *region, int count,
              double *sum)
{
    static char path[512];
    snprintf (path, sizeof path, "%s/%s", dir, name);
    FILE *file = fopen (path, "w");
    assert_non_null (file);
    fprintf (file, "region,indicator,period,value,op\n");
    *sum = 0;
    for (int row = 0; row < count; row++) {
        fprintf (file, "%s,employed_new,2003-10,%d,add\n", region, row % 7 + 1);
        *sum += row % 7 + 1;
    }
    fclose (file);
    return path;
}

//  Batch files in a source's outbox, and whether a group is being written.
static int
s_outbox_files (e2e_aggregator_t *aggregator, const char *source,
                bool *queueing)
{
    char path[512];
    snprintf (path, sizeof path, "%s/state/%s.outbox", aggregator->dir, source);
    DIR *dir = opendir (path);
    if (!dir)
        return -1;
    int count = 0;
    *queueing = false;
    struct dirent *item;
    while ((item = readdir (dir))) {
        if (strlen (item->d_name) == 20 && item->d_name[0] == '0')
            count++;
        if (streq (item->d_name, ".queueing"))
            *queueing = true;
    }
    closedir (dir);
    return count;
}

//  (1) The city unreachable: the import says what stays queued and exits
//  3; status shows it; the next import delivers it first, exactly.
static void
test_unreachable_then_delivered (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    double first_sum = 0, second_sum = 0;
    char first[512];
    snprintf (first, sizeof first, "%s",
              s_events_csv (aggregator->dir, "first.csv", "heihe.aihui", 2500,
                            &first_sum));
    char *out = NULL, *err = NULL;
    int status = e2e_run (
        &out, &err, "jobtally-collector",
        "import %s --source aihui --aggregator " NOBODY " --state %s/state "
        "--batch 1000 --timeout 2 %s",
        first, aggregator->dir, e2e_security (aggregator, "aihui"));
    if (status != 3)
        fprintf (stderr, "%s%s", out, err);
    assert_int_equal (status, 3);
    assert_non_null (strstr (out, "2500 not acknowledged"));
    assert_non_null (strstr (err, "3 batches (2500 updates) stay queued in"));
    assert_non_null (strstr (err, "they go with the next import, send or run"));
    free (out);
    free (err);

    json_t *document = s_status (aggregator, "aihui");
    json_check_integer (document, "batches", 3);
    json_check_integer (document, "updates", 2500);
    json_check_integer (document, "last_sequence", 3);
    json_t *oldest = json_object_get (document, "oldest");
    json_check_integer (oldest, "sequence", 1);
    assert_string_equal (json_string_value (json_object_get (oldest, "origin")),
                         first);
    json_check_integer (oldest, "first_line", 2);
    json_check_integer (oldest, "last_line", 1001);
    assert_true (json_is_null (json_object_get (document, "running")));
    json_decref (document);
    //  The text form says the same.
    assert_int_equal (e2e_run (&out, NULL, "jobtally-collector",
                               "status --source aihui --state %s/state",
                               aggregator->dir),
                      0);
    assert_non_null (strstr (out, "queued: 3 batches, 2,500 updates"));
    assert_non_null (strstr (out, "oldest unacknowledged: batch 1"));
    free (out);

    //  The city is there now: the queued batches go first, then the new.
    const char *second = s_events_csv (aggregator->dir, "second.csv",
                                       "heihe.aihui", 300, &second_sum);
    status = e2e_run (&out, &err, "jobtally-collector",
                      "import %s --source aihui --aggregator %s --state "
                      "%s/state --batch 1000 %s",
                      second, aggregator->collect, aggregator->dir,
                      e2e_security (aggregator, "aihui"));
    if (status != 0)
        fprintf (stderr, "%s%s", out, err);
    assert_int_equal (status, 0);
    assert_non_null (
        strstr (out, "300 rows sent, 300 acknowledged, 0 rejected"));
    free (out);
    free (err);
    assert_int_equal (s_status_number (aggregator, "aihui", "batches"), 0);
    assert_int_equal (s_status_number (aggregator, "aihui", "last_sequence"),
                      4);
    assert_true (s_figure (aggregator, "heihe.aihui", "employed_new") ==
                 first_sum + second_sum);
    assert_true (s_figure (aggregator, "heihe", "employed_new") ==
                 first_sum + second_sum);
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  (2) SIGKILL while some batches are acknowledged and some not: the next
//  start sends exactly the rest; add rows are counted once.
static void
test_killed_mid_import_resends_the_rest (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    double sum = 0;
    char path[512];
    snprintf (
        path, sizeof path, "%s",
        s_events_csv (aggregator->dir, "big.csv", "heihe.beian", 50000, &sum));
    char log[512];
    snprintf (log, sizeof log, "%s/import.log", aggregator->dir);
    pid_t import =
        e2e_spawn (log, "jobtally-collector",
                   "import %s --source beian --aggregator %s --state %s/state "
                   "--batch 100 %s",
                   path, aggregator->collect, aggregator->dir,
                   e2e_security (aggregator, "beian"));
    assert_true (import > 0);
    s_spawned = import;
    //  Wait until all 500 batches were committed and some, not all, were
    //  acknowledged (removed).
    int64_t deadline = zclock_mono () + DEADLINE_MS;
    int files = -1;
    bool queueing = true, seen_all = false;
    while (zclock_mono () < deadline) {
        files = s_outbox_files (aggregator, "beian", &queueing);
        if (files == 500 && !queueing)
            seen_all = true;
        if (seen_all && files > 0 && files < 500)
            break;
        int raw;
        if (waitpid (import, &raw, WNOHANG) == import)
            fail_msg ("the import ended before it could be killed");
        zclock_sleep (1);
    }
    assert_true (seen_all);
    assert_true (files > 0 && files < 500);
    assert_int_equal (e2e_signal (import, SIGKILL), 128 + SIGKILL);
    s_spawned = 0;
    json_int_t left = s_status_number (aggregator, "beian", "batches");
    assert_true (left > 0 && left < 500);
    printf ("killed with %lld of 500 batches unacknowledged\n",
            (long long)left);

    //  Started again (a send of another figure): the rest goes first.
    char *out = NULL, *err = NULL;
    int status = e2e_run (&out, &err, "jobtally-collector",
                          "send heihe.beian trained 2003-10 5 --source beian "
                          "--aggregator %s --state %s/state %s",
                          aggregator->collect, aggregator->dir,
                          e2e_security (aggregator, "beian"));
    if (status != 0)
        fprintf (stderr, "%s%s", out, err);
    assert_int_equal (status, 0);
    assert_non_null (strstr (err, "from earlier runs"));
    free (out);
    free (err);
    assert_int_equal (s_status_number (aggregator, "beian", "batches"), 0);
    assert_true (s_figure (aggregator, "heihe.beian", "employed_new") == sum);
    assert_true (s_figure (aggregator, "heihe.beian", "trained") == 5);
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  Wait until path exists.
static bool
s_appears (const char *path)
{
    int64_t deadline = zclock_mono () + DEADLINE_MS;
    while (zclock_mono () < deadline) {
        if (zsys_file_exists (path))
            return true;
        zclock_sleep (20);
    }
    return false;
}

//  (3) run: a good drop goes to done/, one with bad rows to failed/ with
//  its errors; an import while run holds the lock queues through it and
//  exits 0; SIGTERM stops run cleanly.
static void
test_run_inbox_and_import_through_it (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    char inbox[512], log[512], path[600];
    snprintf (inbox, sizeof inbox, "%s/inbox", aggregator->dir);
    snprintf (log, sizeof log, "%s/run.log", aggregator->dir);
    assert_int_equal (zsys_dir_create ("%s", inbox), 0);
    pid_t run = e2e_spawn (log, "jobtally-collector",
                           "run --inbox %s --source xunke --aggregator %s "
                           "--state %s/state --batch 2 %s",
                           inbox, aggregator->collect, aggregator->dir,
                           e2e_security (aggregator, "xunke"));
    assert_true (run > 0);
    s_spawned = run;
    //  Wait until run holds the source lock.
    int64_t deadline = zclock_mono () + DEADLINE_MS;
    json_t *running = NULL;
    while (zclock_mono () < deadline) {
        json_t *document = s_status (aggregator, "xunke");
        running = json_incref (json_object_get (document, "running"));
        json_decref (document);
        if (json_is_object (running))
            break;
        json_decref (running);
        running = NULL;
        zclock_sleep (50);
    }
    assert_non_null (running);
    json_check_string (running, "command", "run");
    json_check_integer (running, "pid", run);
    json_decref (running);

    //  Dropped as a spreadsheet program would not: written elsewhere and
    //  renamed in. One good file, one with bad rows.
    e2e_write (aggregator->dir, "good.csv",
               "region,indicator,period,value\n"
               "heihe.xunke,new_jobs,2003-10,120\n"
               "heihe.xunke,trained,2003-10,30\n"
               "heihe.xunke,reemployed,2003-10,44\n");
    e2e_write (aggregator->dir, "bad.csv",
               "region,indicator,period,value,op\n"
               "heihe.xunke,employed_new,2003-10,7,add\n"
               "heihe.xunke,employed_neww,2003-10,5\n"
               "heihe.xunke,employed_new,2003-13,5\n"
               "heihe.nowhere,employed_new,2003-10,5\n"
               "heihe.xunke,employed_new,2003-10,2,add\n");
    char from[600], to[600];
    snprintf (from, sizeof from, "%s/good.csv", aggregator->dir);
    snprintf (to, sizeof to, "%s/good.csv", inbox);
    assert_int_equal (rename (from, to), 0);
    snprintf (from, sizeof from, "%s/bad.csv", aggregator->dir);
    snprintf (to, sizeof to, "%s/bad.csv", inbox);
    assert_int_equal (rename (from, to), 0);

    //  While run holds the lock, an import queues through it.
    const char *extra = e2e_write (aggregator->dir, "extra.csv",
                                   "region,indicator,period,value,op\n"
                                   "heihe.xunke,employed_new,2003-10,100,add\n"
                                   "heihe.xunke,employed_new,2003-10,20,add\n"
                                   "heihe.xunke,households_assisted,2003-10,"
                                   "9\n");
    char *out = NULL, *err = NULL;
    int status = e2e_run (&out, &err, "jobtally-collector",
                          "import %s --source xunke --aggregator %s --state "
                          "%s/state --batch 2 %s",
                          extra, aggregator->collect, aggregator->dir,
                          e2e_security (aggregator, "xunke"));
    if (status != 0)
        fprintf (stderr, "%s%s", out, err);
    assert_int_equal (status, 0);
    assert_non_null (strstr (err, "holds source 'xunke': queueing through it"));
    assert_non_null (strstr (out, "3 rows sent, 3 acknowledged, 0 rejected"));
    free (out);
    free (err);

    snprintf (path, sizeof path, "%s/done/good.csv", inbox);
    assert_true (s_appears (path));
    snprintf (path, sizeof path, "%s/failed/bad.csv", inbox);
    assert_true (s_appears (path));
    snprintf (path, sizeof path, "%s/failed/bad.csv.errors", inbox);
    char *errors = e2e_read_file (path);
    assert_non_null (errors);
    assert_string_equal (errors, "3: unknown indicator 'employed_neww'\n"
                                 "4: bad period '2003-13'\n"
                                 "5: unknown region 'heihe.nowhere'\n");
    free (errors);
    snprintf (path, sizeof path, "%s/good.csv", inbox);
    assert_false (zsys_file_exists (path));
    assert_int_equal (s_status_number (aggregator, "xunke", "batches"), 0);

    assert_int_equal (e2e_signal (run, SIGTERM), 0);
    s_spawned = 0;
    assert_true (s_figure (aggregator, "heihe.xunke", "new_jobs") == 120);
    assert_true (s_figure (aggregator, "heihe.xunke", "trained") == 30);
    assert_true (s_figure (aggregator, "heihe.xunke", "reemployed") == 44);
    assert_true (s_figure (aggregator, "heihe.xunke", "employed_new") ==
                 7 + 2 + 100 + 20);
    assert_true (s_figure (aggregator, "heihe.xunke", "households_assisted") ==
                 9);
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  (4) The outbox full: a clear error naming the line from which rows were
//  not queued, exit 4, and nothing already queued dropped.
static void
test_outbox_full_refuses_and_drops_nothing (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    double sum = 0;
    char path[512];
    snprintf (
        path, sizeof path, "%s",
        s_events_csv (aggregator->dir, "many.csv", "heihe.sunwu", 1000, &sum));
    //  Batches of 100 rows take some 4 kB each: 10 kB holds two.
    char *out = NULL, *err = NULL;
    int status = e2e_run (
        &out, &err, "jobtally-collector",
        "import %s --source sunwu --aggregator " NOBODY " --state %s/state "
        "--batch 100 --timeout 2 --outbox-limit 10k %s",
        path, aggregator->dir, e2e_security (aggregator, "sunwu"));
    if (status != 4)
        fprintf (stderr, "%s%s", out, err);
    assert_int_equal (status, 4);
    assert_non_null (strstr (err, "sunwu.outbox is full: "));
    assert_non_null (strstr (err, "limit 10240 (--outbox-limit)"));
    assert_non_null (
        strstr (err, "many.csv from line 202 on (800 rows) were not queued"));
    assert_non_null (strstr (err, "2 batches (200 updates) stay queued"));
    free (out);
    free (err);
    json_t *document = s_status (aggregator, "sunwu");
    json_check_integer (document, "batches", 2);
    json_check_integer (document, "updates", 200);
    json_check_integer (document, "limit", 10240);
    assert_true (json_integer_value (json_object_get (document, "bytes")) <=
                 10240);
    json_decref (document);

    //  Delivered with the next send: the 200 queued rows, exactly.
    status = e2e_run (&out, &err, "jobtally-collector",
                      "send heihe.sunwu trained 2003-10 1 --source sunwu "
                      "--aggregator %s --state %s/state --outbox-limit 10k %s",
                      aggregator->collect, aggregator->dir,
                      e2e_security (aggregator, "sunwu"));
    if (status != 0)
        fprintf (stderr, "%s%s", out, err);
    assert_int_equal (status, 0);
    free (out);
    free (err);
    double queued = 0;
    for (int row = 0; row < 200; row++)
        queued += row % 7 + 1;
    assert_true (s_figure (aggregator, "heihe.sunwu", "employed_new") ==
                 queued);
    assert_int_equal (s_status_number (aggregator, "sunwu", "batches"), 0);

    //  With the city there, an import larger than the budget goes through:
    //  acknowledgements make room as it goes.
    const char *more =
        s_events_csv (aggregator->dir, "more.csv", "heihe.sunwu", 1000, &sum);
    status = e2e_run (&out, &err, "jobtally-collector",
                      "import %s --source sunwu --aggregator %s --state "
                      "%s/state --batch 100 --outbox-limit 10k %s",
                      more, aggregator->collect, aggregator->dir,
                      e2e_security (aggregator, "sunwu"));
    if (status != 0)
        fprintf (stderr, "%s%s", out, err);
    assert_int_equal (status, 0);
    assert_non_null (
        strstr (out, "1000 rows sent, 1000 acknowledged, 0 rejected"));
    free (out);
    free (err);
    assert_true (s_figure (aggregator, "heihe.sunwu", "employed_new") ==
                 queued + sum);
    assert_int_equal (e2e_stop (aggregator), 0);
}

static int
s_teardown (void **state)
{
    if (s_spawned > 0)
        e2e_signal (s_spawned, SIGKILL);
    s_spawned = 0;
    return e2e_teardown (state);
}

#define e2e_test(name)                                                         \
    cmocka_unit_test_setup_teardown (name, e2e_setup, s_teardown)

int
main (void)
{
    const struct CMUnitTest tests[] = {
        e2e_test (test_unreachable_then_delivered),
        e2e_test (test_killed_mid_import_resends_the_rest),
        e2e_test (test_run_inbox_and_import_through_it),
        e2e_test (test_outbox_full_refuses_and_drops_nothing),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
