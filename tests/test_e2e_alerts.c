/*  test_e2e_alerts.c — the reporter's alerts end to end, real programs on
    loopback: on the Heihe demo exactly the alerts the report itself would
    raise (new jobs behind pace), and only those; the alert stream by
    severity topic; no repeat after a restart; a restatement caught as it
    arrives; summaries written in every format; a county's late stock
    carried into the city's total and named in every output and alert. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <czmq.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <sys/wait.h>
#include "e2e.h"

#define CATALOGUE "config/heihe-2003.zpl"

//  A reporter the test started, stopped by teardown if the test failed.
static pid_t s_reporter = 0;

static const char *s_counties[] = {"direct",   "aihui", "beian", "wudalianchi",
                                   "nenjiang", "xunke", "sunwu"};

static void
s_import_demo (e2e_aggregator_t *aggregator)
{
    for (size_t index = 0; index < 7; index++) {
        char file[128];
        snprintf (file, sizeof file, "config/heihe-2003/%s.csv",
                  s_counties[index]);
        assert_int_equal (
            e2e_run (
                NULL, NULL, "jobtally-collector",
                "import %s --source %s --aggregator %s --state %s/state %s",
                e2e_source (file), s_counties[index], aggregator->collect,
                aggregator->dir, e2e_security (aggregator, s_counties[index])),
            0);
    }
}

//  The alert lines of a file, parsed; caller decrefs the array.
static json_t *
s_alert_lines (const char *path)
{
    json_t *lines = json_array ();
    FILE *file = fopen (path, "r");
    if (!file)
        return lines;
    char line[4096];
    while (fgets (line, sizeof line, file)) {
        json_error_t error;
        json_t *object = json_loads (line, 0, &error);
        if (!object)
            fail_msg ("not a JSON line (%s): %s", error.text, line);
        json_array_append_new (lines, object);
    }
    fclose (file);
    return lines;
}

static const char *
s_field (json_t *object, const char *name)
{
    return json_string_value (json_object_get (object, name));
}

//  Run the reporter once over the aggregator's state, at a fixed time.
static void
s_run_once_at (e2e_aggregator_t *aggregator, const char *now,
               const char *alerts, const char *state, const char *out)
{
    char *err = NULL;
    int status = e2e_run (NULL, &err, "jobtally-reporter",
                          "run --once -c %s --query %s --publish %s --now %s "
                          "--alerts %s --state %s --out %s %s",
                          e2e_source (CATALOGUE), aggregator->query,
                          aggregator->publish, now, alerts, state, out,
                          e2e_security (aggregator, "reporter"));
    if (status != 0)
        fprintf (stderr, "reporter run exited %d: %s\n", status, err);
    assert_int_equal (status, 0);
    free (err);
}

static void
s_run_once (e2e_aggregator_t *aggregator, const char *alerts, const char *state,
            const char *out)
{
    s_run_once_at (aggregator, "2003-11-20", alerts, state, out);
}

static void
test_demo_raises_only_what_the_report_would (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    s_import_demo (aggregator);
    char alerts[400], saved[400], out[400];
    snprintf (alerts, sizeof alerts, "%s/alerts.jsonl", aggregator->dir);
    snprintf (saved, sizeof saved, "%s/alerts.state", aggregator->dir);
    snprintf (out, sizeof out, "%s/out", aggregator->dir);
    s_run_once (aggregator, alerts, saved, out);

    //  New jobs behind pace at the city and the five counties below 90%
    //  of pace; nothing else: rates within their lines, employment and
    //  re-employment ahead, channels adding up, nobody silent.
    const char *expected[] = {
        "new_jobs_behind_pace/heihe/2003-10",
        "new_jobs_behind_pace/heihe.aihui/2003-10",
        "new_jobs_behind_pace/heihe.beian/2003-10",
        "new_jobs_behind_pace/heihe.wudalianchi/2003-10",
        "new_jobs_behind_pace/heihe.nenjiang/2003-10",
        "new_jobs_behind_pace/heihe.sunwu/2003-10",
    };
    json_t *lines = s_alert_lines (alerts);
    assert_int_equal (json_array_size (lines), 6);
    for (size_t index = 0; index < 6; index++) {
        bool found = false;
        size_t at;
        json_t *line;
        json_array_foreach (
            lines, at, line) if (streq (s_field (line, "key"), expected[index]))
            found = true;
        if (!found)
            fail_msg ("no alert %s", expected[index]);
    }
    size_t at;
    json_t *line;
    json_array_foreach (lines, at, line)
    {
        assert_string_equal (s_field (line, "state"), "firing");
        assert_string_equal (s_field (line, "severity"), "warning");
        assert_string_equal (s_field (line, "rule"), "new_jobs_behind_pace");
        assert_string_equal (s_field (line, "period"), "2003-10");
        assert_string_equal (s_field (line, "figure"), "new_jobs");
        if (streq (s_field (line, "region"), "heihe")) {
            //  67.9% of the task with 83.3% of the year gone.
            double value = json_number_value (json_object_get (line, "value"));
            assert_true (fabs (round (value * 10) / 10 - 81.5) < 1e-9);
            assert_true (json_number_value (
                             json_object_get (line, "threshold")) == 90.0);
            assert_string_equal (s_field (line, "region_name"), "Heihe City");
        }
    }
    json_decref (lines);

    //  A restart with the same state sends nothing again.
    s_run_once (aggregator, alerts, saved, out);
    lines = s_alert_lines (alerts);
    assert_int_equal (json_array_size (lines), 6);
    json_decref (lines);

    //  Summaries in every format, with the active alerts.
    const char *files[] = {"summary.txt", "summary.md", "summary.csv",
                           "summary.json", "summary.html"};
    for (size_t index = 0; index < 5; index++) {
        char path[500];
        snprintf (path, sizeof path, "%s/%s", out, files[index]);
        assert_true (zsys_file_exists (path));
    }
    char path[500];
    snprintf (path, sizeof path, "%s/summary.json", out);
    json_error_t error;
    json_t *summary = json_load_file (path, 0, &error);
    assert_non_null (summary);
    assert_int_equal (json_array_size (json_object_get (summary, "alerts")), 6);
    json_decref (summary);

    //  On 20 December, November's reports are due and nobody filed one:
    //  every county is silent for 2003-11 (19 days past the month, 10
    //  allowed), and October's alerts are no longer the month watched.
    char december[400];
    snprintf (december, sizeof december, "%s/december.jsonl", aggregator->dir);
    s_run_once_at (aggregator, "2003-12-20", december, saved, out);
    lines = s_alert_lines (december);
    assert_int_equal (json_array_size (lines), 7);
    json_array_foreach (lines, at, line)
    {
        assert_string_equal (s_field (line, "rule"), "county_silent");
        assert_string_equal (s_field (line, "period"), "2003-11");
        assert_string_equal (s_field (line, "since"), "2003-12-11T00:00:00Z");
        assert_true (json_number_value (json_object_get (line, "value")) ==
                     19.0);
    }
    json_decref (lines);
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  A SUB on the alert stream, CURVE client with the given secret key.
static zsock_t *
s_subscriber (e2e_aggregator_t *aggregator, const char *endpoint,
              const char *topic)
{
    zsock_t *sub = zsock_new (ZMQ_SUB);
    assert_non_null (sub);
    zsock_set_linger (sub, 0);
    char secret[400], server[400];
    snprintf (secret, sizeof secret, "%s/keys/subscribers/tool.key_secret",
              aggregator->dir);
    snprintf (server, sizeof server, "%s/keys/subscribers/reporter.key",
              aggregator->dir);
    e2e_curve_client (sub, secret, server);
    zsock_set_subscribe (sub, topic);
    //  Watch the socket for its CURVE handshake (libzmq's socket monitor).
    static int monitors = 0;
    char monitor[64];
    snprintf (monitor, sizeof monitor, "inproc://e2e-monitor-%d", monitors++);
    assert_int_equal (zmq_socket_monitor (zsock_resolve (sub), monitor,
                                          ZMQ_EVENT_HANDSHAKE_SUCCEEDED),
                      0);
    zsock_t *events = zsock_new (ZMQ_PAIR);
    assert_int_equal (zsock_connect (events, "%s", monitor), 0);
    assert_int_equal (zsock_connect (sub, "%s", endpoint), 0);
    //  Bounded wait for the handshake, so the reporter's ZAP handler has
    //  admitted this subscriber before anything is published.
    zpoller_t *poller = zpoller_new (events, NULL);
    bool handshaken = zpoller_wait (poller, 10000) == events;
    zpoller_destroy (&poller);
    zmq_socket_monitor (zsock_resolve (sub), NULL, 0);
    zsock_destroy (&events);
    assert_true (handshaken);
    return sub;
}

//  The alert stream's endpoint from the reporter's log, once it is bound
//  ("alerts: stream on tcp://127.0.0.1:NNNN"); a bounded wait.
static bool
s_stream_endpoint (const char *log, char *endpoint, size_t size)
{
    for (int tries = 0; tries < 200; tries++) {
        FILE *file = fopen (log, "r");
        char line[512];
        while (file && fgets (line, sizeof line, file)) {
            char *found = strstr (line, "alerts: stream on ");
            if (found) {
                found += strlen ("alerts: stream on ");
                size_t length = strcspn (found, " \n");
                snprintf (endpoint, size, "%.*s", (int)length, found);
                fclose (file);
                return true;
            }
        }
        if (file)
            fclose (file);
        zclock_sleep (50);
    }
    return false;
}

static void
test_alert_stream_by_severity_and_restatement (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    char *out = NULL;
    assert_int_equal (e2e_run (&out, NULL, "jobtally",
                               "keygen tool --dir %s/keys/subscribers",
                               aggregator->dir),
                      0);
    free (out);
    char endpoint[64], alerts[400], log[400];
    snprintf (alerts, sizeof alerts, "%s/alerts.jsonl", aggregator->dir);
    snprintf (log, sizeof log, "%s/reporter.log", aggregator->dir);
    char command[4096];
    //  Evaluated as of 5 November, before the reports are due: no county
    //  is silent while the others are still being imported.
    snprintf (
        command, sizeof command,
        "exec %s run -c %s --query %s --publish %s --now 2003-11-05 "
        "--alerts %s --alerts-endpoint 'tcp://127.0.0.1:*' --keys %s/keys "
        "%s 2>%s",
        e2e_program ("jobtally-reporter"), e2e_source (CATALOGUE),
        aggregator->query, aggregator->publish, alerts, aggregator->dir,
        e2e_security (aggregator, "reporter"), log);
    pid_t reporter = s_reporter = fork ();
    if (reporter == 0) {
        execl ("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit (127);
    }
    assert_true (s_stream_endpoint (log, endpoint, sizeof endpoint));
    zsock_t *warnings = s_subscriber (aggregator, endpoint, "warning");
    zsock_t *critical = s_subscriber (aggregator, endpoint, "critical");
    //  Both handshakes are done; the subscriptions travel right after them.
    //  Give them a moment to reach the PUB, which drops what it sends
    //  before a subscription has arrived.
    zclock_sleep (300);
    s_import_demo (aggregator);

    zpoller_t *poller = zpoller_new (warnings, NULL);
    size_t received = 0;
    char *regions[6] = {NULL};
    //  Bounded: 10 s at most, whatever signal interrupts a wait.
    int64_t deadline = zclock_mono () + 10000;
    while (received < 6 && zclock_mono () < deadline) {
        if (zpoller_wait (poller, 100) != warnings)
            continue;
        char *topic = NULL, *body = NULL;
        assert_int_equal (zsock_recv (warnings, "ss", &topic, &body), 0);
        json_t *notice = json_loads (body, 0, NULL);
        assert_non_null (notice);
        //  The topic is severity then region, and says what the body does.
        char expected[128];
        snprintf (expected, sizeof expected, "warning %s",
                  s_field (notice, "region"));
        assert_string_equal (topic, expected);
        assert_string_equal (s_field (notice, "rule"), "new_jobs_behind_pace");
        assert_string_equal (s_field (notice, "period"), "2003-10");
        regions[received] = strdup (s_field (notice, "region"));
        json_decref (notice);
        free (topic);
        free (body);
        received++;
    }
    //  And no seventh warning.
    assert_null (zpoller_wait (poller, 500));
    zpoller_destroy (&poller);
    assert_int_equal (received, 6);
    const char *behind[] = {"heihe",          "heihe.aihui",
                            "heihe.beian",    "heihe.wudalianchi",
                            "heihe.nenjiang", "heihe.sunwu"};
    for (size_t index = 0; index < 6; index++) {
        bool found = false;
        for (size_t at = 0; at < 6; at++)
            if (streq (regions[at], behind[index]))
                found = true;
        if (!found)
            fail_msg ("no warning for %s on the stream", behind[index]);
    }
    for (size_t at = 0; at < 6; at++)
        free (regions[at]);

    //  A restatement down by more than 20%: an info notice, not a warning.
    assert_int_equal (
        e2e_send (NULL, aggregator, "xunke", NULL,
                  "heihe.xunke employed_new 2003-03 10 --reported 2003-11-19"),
        0);
    bool restated = false;
    for (int tries = 0; tries < 200 && !restated; tries++) {
        json_t *lines = s_alert_lines (alerts);
        size_t at;
        json_t *line;
        json_array_foreach (
            lines, at,
            line) if (streq (s_field (line, "key"),
                             "employment_restated_down/heihe.xunke/2003-03"))
        {
            restated = true;
            assert_string_equal (s_field (line, "severity"), "info");
            assert_string_equal (s_field (line, "state"), "firing");
            assert_true (json_number_value (json_object_get (line, "value")) ==
                         10.0);
        }
        json_decref (lines);
        if (!restated)
            zclock_sleep (50);
    }
    assert_true (restated);
    //  Nothing critical came: no rate over its line, figures add up.
    poller = zpoller_new (critical, NULL);
    assert_null (zpoller_wait (poller, 500));
    zpoller_destroy (&poller);

    kill (reporter, SIGTERM);
    int status;
    waitpid (reporter, &status, 0);
    s_reporter = 0;
    assert_true (WIFEXITED (status));
    assert_int_equal (WEXITSTATUS (status), 0);
    zsock_destroy (&warnings);
    zsock_destroy (&critical);
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  The rows of a demo county's file without the lines that contain drop,
//  written to the test's directory; returns its path (static buffer).
static const char *
s_without (e2e_aggregator_t *aggregator, const char *county, const char *drop)
{
    char file[128];
    snprintf (file, sizeof file, "config/heihe-2003/%s.csv", county);
    char *text = e2e_read_file (e2e_source (file));
    assert_non_null (text);
    size_t size = strlen (text) + 1;
    char *kept = calloc (1, size);
    assert_non_null (kept);
    for (char *line = strtok (text, "\n"); line; line = strtok (NULL, "\n"))
        if (!strstr (line, drop)) {
            strcat (kept, line);
            strcat (kept, "\n");
        }
    snprintf (file, sizeof file, "%s-without.csv", county);
    const char *path = e2e_write (aggregator->dir, file, kept);
    free (kept);
    free (text);
    return path;
}

//  A summary of heihe for 2003-10 in a format, from the reporter.
static char *
s_summary (e2e_aggregator_t *aggregator, const char *catalogue,
           const char *format)
{
    char *out = NULL;
    assert_int_equal (
        e2e_run (&out, NULL, "jobtally-reporter",
                 "summary -c %s --query %s --region heihe --period 2003-10 "
                 "--format %s %s",
                 catalogue, aggregator->query, format,
                 e2e_security (aggregator, "reporter")),
        0);
    return out;
}

static json_int_t
s_row_value (json_t *document, const char *region, const char *name)
{
    json_t *rows = json_object_get (document, "rows");
    for (size_t index = 0; index < json_array_size (rows); index++) {
        json_t *row = json_array_get (rows, index);
        if (strcmp (s_field (row, "region"), region) == 0 &&
            strcmp (s_field (row, "name"), name) == 0)
            return json_integer_value (json_object_get (row, "value"));
    }
    fail_msg ("no row %s %s", region, name);
    return -1;
}

//  Sunwu County files October without its registered unemployed: the
//  city's October stock is the other six counties' October plus Sunwu's
//  September (646), 8,876, not the 8,230 of the six alone; the rows add
//  up to it, every output names Sunwu's September figure, and so does the
//  alert on the rate built from it. Sunwu's late figure (650) then moves
//  the total to the report's 8,880 and nothing is carried any more.
static void
test_late_stock_is_carried_and_named (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    for (size_t index = 0; index < 7; index++) {
        const char *file = strcmp (s_counties[index], "sunwu") == 0
                               ? s_without (aggregator, "sunwu",
                                            "registered_unemployed,2003-10")
                               : NULL;
        char demo[128];
        snprintf (demo, sizeof demo, "config/heihe-2003/%s.csv",
                  s_counties[index]);
        assert_int_equal (
            e2e_run (
                NULL, NULL, "jobtally-collector",
                "import %s --source %s --aggregator %s --state %s/state %s",
                file ? file : e2e_source (demo), s_counties[index],
                aggregator->collect, aggregator->dir,
                e2e_security (aggregator, s_counties[index])),
            0);
    }
    //  The same city with a control line the city is above, so that the
    //  rate's alert fires and shows what it was built from.
    char *text = e2e_read_file (e2e_source (CATALOGUE));
    char *line = strstr (text, "above = 2.99");
    assert_non_null (line);
    memcpy (line, "above = 2.00", strlen ("above = 2.00"));
    char catalogue[400];
    snprintf (catalogue, sizeof catalogue, "%s",
              e2e_write (aggregator->dir, "low-line.zpl", text));
    free (text);

    char *summary = s_summary (aggregator, catalogue, "text");
    assert_non_null (strstr (summary, "All 7 of 7 regions reported for "
                                      "2003-10, 6 on time; late: Sunwu County "
                                      "(2003-11-14); carried: Sunwu County "
                                      "(September figure).\n"));
    assert_non_null (strstr (summary, "By the end of October 2003 (figures "
                                      "carried for Sunwu County), "));
    free (summary);
    summary = s_summary (aggregator, catalogue, "csv");
    assert_non_null (strstr (summary, "\r\nheihe,Heihe City,"
                                      "registered_unemployed,Registered urban "
                                      "unemployed,persons,2003-10,8876,,,,,"
                                      "heihe.sunwu:2003-09\r\n"));
    free (summary);

    summary = s_summary (aggregator, catalogue, "json");
    json_error_t error;
    json_t *document = json_loads (summary, 0, &error);
    free (summary);
    assert_non_null (document);
    assert_int_equal (s_row_value (document, "heihe", "registered_unemployed"),
                      8876);
    json_int_t sum = 0;
    const char *children[] = {
        "heihe.direct",   "heihe.aihui", "heihe.beian", "heihe.wudalianchi",
        "heihe.nenjiang", "heihe.xunke", "heihe.sunwu"};
    for (size_t index = 0; index < 7; index++)
        sum += s_row_value (document, children[index], "registered_unemployed");
    assert_int_equal (sum, 8876);
    assert_int_equal (
        s_row_value (document, "heihe.sunwu", "registered_unemployed"), 646);
    json_t *carried =
        json_object_get (json_object_get (document, "coverage"), "carried");
    assert_int_equal (json_array_size (carried), 1);
    assert_string_equal (s_field (json_array_get (carried, 0), "region"),
                         "heihe.sunwu");
    assert_string_equal (s_field (json_array_get (carried, 0), "from"),
                         "2003-09");
    json_int_t employed = s_row_value (document, "heihe", "urban_employed");
    json_decref (document);

    char alerts[400], saved[400], out[400];
    snprintf (alerts, sizeof alerts, "%s/alerts.jsonl", aggregator->dir);
    snprintf (saved, sizeof saved, "%s/alerts.state", aggregator->dir);
    snprintf (out, sizeof out, "%s/out", aggregator->dir);
    char *err = NULL;
    assert_int_equal (
        e2e_run (NULL, &err, "jobtally-reporter",
                 "run --once -c %s --query %s --publish %s --now 2003-11-20 "
                 "--alerts %s --state %s --out %s %s",
                 catalogue, aggregator->query, aggregator->publish, alerts,
                 saved, out, e2e_security (aggregator, "reporter")),
        0);
    free (err);
    json_t *lines = s_alert_lines (alerts);
    json_t *rate = NULL;
    for (size_t index = 0; index < json_array_size (lines); index++)
        if (strcmp (s_field (json_array_get (lines, index), "key"),
                    "unemployment_over_line/heihe/2003-10") == 0)
            rate = json_array_get (lines, index);
    assert_non_null (rate);
    //  The rate is the table's own parts: 8,876 of the labour force.
    double expected =
        round (100000.0 * 8876 / (double)(employed + 8876)) / 1000;
    assert_true (json_real_value (json_object_get (rate, "value")) == expected);
    carried = json_object_get (rate, "carried");
    assert_int_equal (json_array_size (carried), 1);
    assert_string_equal (s_field (json_array_get (carried, 0), "region"),
                         "heihe.sunwu");
    assert_string_equal (s_field (json_array_get (carried, 0), "from"),
                         "2003-09");
    json_decref (lines);

    //  Sunwu's late October figure arrives: the report's 8,880.
    assert_int_equal (
        e2e_send (NULL, aggregator, "sunwu", NULL,
                  "heihe.sunwu registered_unemployed 2003-10 650"),
        0);
    summary = s_summary (aggregator, catalogue, "json");
    document = json_loads (summary, 0, &error);
    free (summary);
    assert_non_null (document);
    assert_int_equal (s_row_value (document, "heihe", "registered_unemployed"),
                      8880);
    assert_int_equal (json_array_size (json_object_get (
                          json_object_get (document, "coverage"), "carried")),
                      0);
    json_decref (document);
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  Stop the reporter a failed test left running, then the aggregator.
static int
s_teardown (void **state)
{
    if (s_reporter > 0) {
        kill (s_reporter, SIGKILL);
        waitpid (s_reporter, NULL, 0);
        s_reporter = 0;
    }
    return e2e_teardown (state);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (
            test_demo_raises_only_what_the_report_would, e2e_setup_secure,
            s_teardown),
        cmocka_unit_test_setup_teardown (
            test_alert_stream_by_severity_and_restatement, e2e_setup_secure,
            s_teardown),
        cmocka_unit_test_setup_teardown (test_late_stock_is_carried_and_named,
                                         e2e_setup_secure, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
