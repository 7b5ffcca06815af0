/*  test_e2e_quality.c — data quality end to end, real programs on
    loopback: a collector imports a file with one figure above its
    indicator's plausible maximum and one cell given twice; it exits 0 and
    prints both warnings with their lines, the figures are applied, and a
    reporter's run --once raises an outlier alert for the figure. With a
    strict indicator the same kind of row is refused with its reason, the
    collector exits 1, and the other rows are applied. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <czmq.h>
#include <jansson.h>
#include <math.h>
#include "e2e.h"

//  employed_new only warns; reemployed is strict.
static const char *s_catalogue = "catalogue\n"
                                 "    year = 2003\n"
                                 "regions\n"
                                 "    heihe = \"Heihe City\"\n"
                                 "        heihe.aihui = \"Aihui District\"\n"
                                 "        heihe.sunwu = \"Sunwu County\"\n"
                                 "indicators\n"
                                 "    employed_new\n"
                                 "        unit = persons\n"
                                 "        time = flow\n"
                                 "        min = 10\n"
                                 "        max = 20000\n"
                                 "    reemployed\n"
                                 "        unit = persons\n"
                                 "        time = flow\n"
                                 "        max = 20000\n"
                                 "        strict = yes\n"
                                 "sources\n"
                                 "    aihui\n"
                                 "        regions = \"heihe.aihui\"\n"
                                 "rules\n"
                                 "    odd_figures\n"
                                 "        kind = outlier\n"
                                 "        figure = employed_new\n"
                                 "        regions = heihe\n";

typedef struct {
    e2e_aggregator_t aggregator;
    char catalogue_dir[64]; //  where the catalogue is written
    char catalogue[128];    //  its path
} fixture_t;

static int
s_setup (void **state)
{
    fixture_t *fixture = calloc (1, sizeof (fixture_t));
    assert (fixture);
    *state = fixture;
    snprintf (fixture->catalogue_dir, sizeof fixture->catalogue_dir,
              "/tmp/jobtally-quality-XXXXXX");
    if (!mkdtemp (fixture->catalogue_dir))
        return -1;
    snprintf (fixture->catalogue, sizeof fixture->catalogue, "%s",
              e2e_write (fixture->catalogue_dir, "city.zpl", s_catalogue));
    return e2e_start (&fixture->aggregator, fixture->catalogue);
}

static int
s_teardown (void **state)
{
    fixture_t *fixture = *state;
    e2e_aggregator_t *aggregator = &fixture->aggregator;
    if (aggregator->pid > 0)
        e2e_stop (aggregator);
    const char *dirs[] = {aggregator->dir, fixture->catalogue_dir};
    for (size_t index = 0; index < 2; index++) {
        zdir_t *dir = *dirs[index] ? zdir_new (dirs[index], NULL) : NULL;
        if (dir && !getenv ("JT_E2E_KEEP"))
            zdir_remove (dir, true);
        zdir_destroy (&dir);
    }
    free (fixture);
    return 0;
}

//  Import text as aihui.csv; returns the exit status, output in *out and
//  *err (caller frees).
static int
s_import (fixture_t *fixture, const char *text, char **out, char **err)
{
    e2e_aggregator_t *aggregator = &fixture->aggregator;
    const char *path = e2e_write (aggregator->dir, "aihui.csv", text);
    return e2e_run (out, err, "jobtally-collector",
                    "import %s --source aihui --aggregator %s --state %s/state "
                    "%s",
                    path, aggregator->collect, aggregator->dir,
                    e2e_security (aggregator, "aihui"));
}

//  Year to date of heihe.aihui's figure through 2003-10, from the
//  reporter's JSON summary.
static double
s_year_to_date (fixture_t *fixture, const char *name)
{
    e2e_aggregator_t *aggregator = &fixture->aggregator;
    char *out = NULL, *err = NULL;
    int status = e2e_run (
        &out, &err, "jobtally-reporter",
        "summary -c %s --query %s --publish %s --region heihe.aihui --period "
        "2003-10 --format json %s",
        fixture->catalogue, aggregator->query, aggregator->publish,
        e2e_security (aggregator, "reporter"));
    if (status != 0)
        fprintf (stderr, "reporter exited %d: %s\n", status, err);
    assert_int_equal (status, 0);
    json_t *document = json_loads (out, 0, NULL);
    assert_non_null (document);
    free (out);
    free (err);
    double value = NAN;
    size_t index;
    json_t *row;
    json_array_foreach (json_object_get (document, "rows"), index, row)
    {
        if (streq (json_string_value (json_object_get (row, "region")),
                   "heihe.aihui") &&
            streq (json_string_value (json_object_get (row, "name")), name))
            value = json_number_value (json_object_get (row, "value"));
    }
    json_decref (document);
    return value;
}

static void
test_flagged_row_is_applied_and_raises_an_outlier_alert (void **state)
{
    fixture_t *fixture = *state;
    e2e_aggregator_t *aggregator = &fixture->aggregator;
    char *out = NULL, *err = NULL;
    int status = s_import (fixture,
                           "region,indicator,period,value\n"
                           "heihe.aihui,employed_new,2003-09,450\n"
                           "heihe.aihui,employed_new,2003-10,98000\n"
                           "heihe.aihui,reemployed,2003-10,300\n"
                           "heihe.aihui,reemployed,2003-10,310\n",
                           &out, &err);
    if (status != 0)
        fprintf (stderr, "collector exited %d: %s\n", status, err);
    assert_int_equal (status, 0);
    if (!strstr (err, "aihui.csv:3: warning: heihe.aihui employed_new "
                      "2003-10: 98000 above the plausible maximum 20000\n"))
        fail_msg ("no warning for line 3 in: %s", err);
    if (!strstr (err, "aihui.csv:5: warning: heihe.aihui reemployed 2003-10 "
                      "given again (was 300 on line 4, now 310)\n"))
        fail_msg ("no warning for line 5 in: %s", err);
    if (!strstr (out, "4 rows sent, 4 acknowledged, 0 rejected, 2 warnings"))
        fail_msg ("unexpected summary line: %s", out);
    free (out);
    free (err);
    assert_true (fabs (s_year_to_date (fixture, "employed_new") - 98450) <
                 1e-9);
    assert_true (fabs (s_year_to_date (fixture, "reemployed") - 310) < 1e-9);

    char alerts[400], saved[400], reports[400];
    snprintf (alerts, sizeof alerts, "%s/alerts.jsonl", aggregator->dir);
    snprintf (saved, sizeof saved, "%s/alerts.state", aggregator->dir);
    snprintf (reports, sizeof reports, "%s/out", aggregator->dir);
    status =
        e2e_run (NULL, &err, "jobtally-reporter",
                 "run --once -c %s --query %s --publish %s --now "
                 "2003-11-20 --alerts %s --state %s --out %s %s",
                 fixture->catalogue, aggregator->query, aggregator->publish,
                 alerts, saved, reports, e2e_security (aggregator, "reporter"));
    if (status != 0)
        fprintf (stderr, "reporter run exited %d: %s\n", status, err);
    assert_int_equal (status, 0);
    free (err);
    char *text = e2e_read_file (alerts);
    assert_non_null (text);
    json_error_t error;
    json_t *alert = json_loads (text, JSON_DISABLE_EOF_CHECK, &error);
    if (!alert)
        fail_msg ("no alert line (%s): %s", error.text, text);
    //  One line only: sunwu reported nothing, and 450 is within bounds.
    assert_null (strchr (strchr (text, '\n') + 1, '\n'));
    free (text);
    const char *expected[][2] = {{"kind", "outlier"},
                                 {"rule", "odd_figures"},
                                 {"region", "heihe.aihui"},
                                 {"figure", "employed_new"},
                                 {"period", "2003-10"},
                                 {"state", "firing"},
                                 {"key", "odd_figures/heihe.aihui/2003-10"},
                                 {"message",
                                  "heihe.aihui employed_new 2003-10: 98000 "
                                  "above the plausible maximum 20000"}};
    for (size_t index = 0; index < sizeof expected / sizeof *expected; index++)
        assert_string_equal (
            json_string_value (json_object_get (alert, expected[index][0])),
            expected[index][1]);
    assert_true (json_number_value (json_object_get (alert, "value")) ==
                 98000.0);
    assert_true (json_number_value (json_object_get (alert, "threshold")) ==
                 20000.0);
    json_decref (alert);
}

static void
test_strict_row_is_refused_and_the_others_applied (void **state)
{
    fixture_t *fixture = *state;
    char *out = NULL, *err = NULL;
    int status = s_import (fixture,
                           "region,indicator,period,value\n"
                           "heihe.aihui,employed_new,2003-10,120\n"
                           "heihe.aihui,reemployed,2003-09,300\n"
                           "heihe.aihui,reemployed,2003-10,30000\n",
                           &out, &err);
    assert_int_equal (status, 1);
    if (!strstr (err, "aihui.csv:4: implausible figure: heihe.aihui "
                      "reemployed 2003-10: 30000 above the plausible maximum "
                      "20000\n"))
        fail_msg ("no refusal for line 4 in: %s", err);
    //  No row flagged (the log's "warning:" lines are about other things).
    assert_null (strstr (err, ": warning: heihe."));
    if (!strstr (out, "3 rows sent, 2 acknowledged, 1 rejected"))
        fail_msg ("unexpected summary line: %s", out);
    free (out);
    free (err);
    assert_true (fabs (s_year_to_date (fixture, "employed_new") - 120) < 1e-9);
    //  Only September's 300: October's refused row changed nothing.
    assert_true (fabs (s_year_to_date (fixture, "reemployed") - 300) < 1e-9);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (
            test_flagged_row_is_applied_and_raises_an_outlier_alert, s_setup,
            s_teardown),
        cmocka_unit_test_setup_teardown (
            test_strict_row_is_refused_and_the_others_applied, s_setup,
            s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
