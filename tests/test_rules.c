/*  test_rules.c — the alert engine (core/rules.c): every rule kind fires on
    the right regions with the right value and threshold, each state
    transition (pending, firing, repeat, resolved, flap), restart through
    rules_save/rules_load, and the Heihe demo's expectation. Every store is
    built with store_apply from a small catalogue; the clock is a number. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "figures.h"
#include "fixture.h"
#include "period.h"
#include "rules.h"

#define U(n) ((jt_value_t)(n)*JT_SCALE)
#define EPSILON 1e-9

//  Seconds since the epoch, checked with date -u -d DAY +%s
#define T_2003_11_01 1067644800 //  the end of October 2003
#define T_2003_11_11 1068508800 //  ... plus on_time_days = 10
#define T_2004_01_11 1073779200
#define T_2004_03_11 1078963200

#define T0 1068000000 //  some time on 2003-11-05

//  Two counties under a city; the rules section is appended per test.
//  Some figures may have decimals, for rules at their edges; part and
//  whole make ratios with no scale (the documented default of 1) and
//  with a fractional one.
static const char *s_city_zpl = "catalogue\n"
                                "    year = 2003\n"
                                "    on_time_days = 10\n"
                                "regions\n"
                                "    city\n"
                                "        city.a\n"
                                "        city.b\n"
                                "indicators\n"
                                "    new_jobs\n"
                                "        time = flow\n"
                                "        whole = no\n"
                                "    employed_new\n"
                                "        time = flow\n"
                                "        whole = no\n"
                                "    registered_unemployed\n"
                                "        time = stock\n"
                                "    urban_employed\n"
                                "        time = stock\n"
                                "    reemployed\n"
                                "        time = flow\n"
                                "    reemployed_private\n"
                                "        time = flow\n"
                                "    reemployed_other\n"
                                "        time = flow\n"
                                "    certificates_issued\n"
                                "        time = cumulative\n"
                                "        whole = no\n"
                                "    certificates_due\n"
                                "        time = stock\n"
                                "    part\n"
                                "        time = stock\n"
                                "        whole = no\n"
                                "    whole\n"
                                "        time = stock\n"
                                "measures\n"
                                "    labour_force\n"
                                "        sum = \"urban_employed "
                                "registered_unemployed\"\n"
                                "    unemployment_rate\n"
                                "        numerator = registered_unemployed\n"
                                "        denominator = labour_force\n"
                                "        scale = 100\n"
                                "    reemployed_by_channel\n"
                                "        sum = \"reemployed_private "
                                "reemployed_other\"\n"
                                "    share\n"
                                "        numerator = part\n"
                                "        denominator = whole\n"
                                "    half_share\n"
                                "        numerator = part\n"
                                "        denominator = whole\n"
                                "        scale = 0.5\n"
                                "targets\n"
                                "    city\n"
                                "        new_jobs = 16500\n"
                                "        employed_new = 4403\n"
                                "    city.a\n"
                                "        new_jobs = 10000\n";

typedef struct {
    catalogue_t *catalogue;
    store_t *store;
    rules_t *rules;
    int period; //  2003-10
} fixture_t;

static fixture_t *
s_fixture_new (const char *base, const char *rules_text)
{
    fixture_t *fixture = calloc (1, sizeof (fixture_t));
    assert_non_null (fixture);
    size_t size = strlen (base) + strlen (rules_text) + 1;
    char *text = malloc (size);
    assert_non_null (text);
    snprintf (text, size, "%s%s", base, rules_text);
    fixture->catalogue = fixture_catalogue (text);
    free (text);
    fixture->store = store_new (fixture->catalogue);
    fixture->rules = rules_new (fixture->catalogue, fixture->store);
    fixture->period = period_parse ("2003-10");
    return fixture;
}

static void
s_fixture_destroy (fixture_t **fixture_p)
{
    fixture_t *fixture = *fixture_p;
    rules_destroy (&fixture->rules);
    assert_null (fixture->rules);
    rules_destroy (&fixture->rules); //  twice is fine
    store_destroy (&fixture->store);
    catalogue_destroy (&fixture->catalogue);
    free (fixture);
    *fixture_p = NULL;
}

//  Set a leaf's month ("YYYY-MM") to a whole number of units.
static void
s_set (fixture_t *fixture, const char *region, const char *indicator,
       const char *month, int64_t units)
{
    fixture_set_units (fixture->store, fixture->catalogue, region, indicator,
                       month, units);
}

static int
s_evaluate (fixture_t *fixture, int64_t now)
{
    return rules_evaluate (fixture->rules, fixture->period, now);
}

//  Take every queued notice into notices (room for max); returns how many.
static int
s_drain (fixture_t *fixture, rules_notice_t *notices, int max)
{
    int count = 0;
    rules_notice_t notice;
    while (rules_next (fixture->rules, &notice)) {
        if (count == max)
            fail_msg ("more than %d notices", max);
        notices[count++] = notice;
    }
    return count;
}

//  Assert that exactly no notice is queued.
static void
s_expect_none (fixture_t *fixture)
{
    rules_notice_t notice;
    if (rules_next (fixture->rules, &notice))
        fail_msg ("unexpected notice %s (%s)", notice.key,
                  notice.state == NOTICE_FIRING ? "firing" : "resolved");
}

static void
s_expect (const rules_notice_t *notice, const char *key, notice_state_t state,
          double value, double threshold, int64_t since)
{
    assert_string_equal (notice->key, key);
    assert_int_equal (notice->state, state);
    assert_float_equal (notice->value, value, EPSILON);
    assert_float_equal (notice->threshold, threshold, EPSILON);
    assert_int_equal (notice->since, since);
}

//  Take exactly one notice and check it.
static void
s_expect_one (fixture_t *fixture, const char *key, notice_state_t state,
              double value, double threshold, int64_t since)
{
    rules_notice_t notices[4];
    int count = s_drain (fixture, notices, 4);
    if (count != 1)
        fail_msg ("%d notices, expected one %s", count, key);
    s_expect (&notices[0], key, state, value, threshold, since);
}

//  Registered unemployed and urban employed in 2003-10 at a county.
static void
s_labour (fixture_t *fixture, const char *county, int64_t unemployed,
          int64_t employed)
{
    s_set (fixture, county, "registered_unemployed", "2003-10", unemployed);
    s_set (fixture, county, "urban_employed", "2003-10", employed);
}

static const char *s_rate_rule = "rules\n"
                                 "    unemployment_over_line\n"
                                 "        kind = threshold\n"
                                 "        figure = unemployment_rate\n"
                                 "        above = 2.99\n"
                                 "        regions = \"city city.*\"\n"
                                 "        severity = critical\n";

static void
test_threshold_fires_on_the_right_region (void **state)
{
    (void)state;
    fixture_t *fixture = s_fixture_new (s_city_zpl, s_rate_rule);
    //  a: 300 / 10,000 = 3.00% > 2.99; b: 2.00%; city: 500 / 20,000 = 2.50%
    s_labour (fixture, "city.a", 300, 9700);
    s_labour (fixture, "city.b", 200, 9800);
    assert_int_equal (s_evaluate (fixture, T0), 1);
    rules_notice_t notice;
    assert_true (rules_next (fixture->rules, &notice));
    s_expect (&notice, "unemployment_over_line/city.a/2003-10", NOTICE_FIRING,
              3.0, 2.99, T0);
    assert_int_equal (notice.rule, 0);
    assert_int_equal (notice.region,
                      fixture_find (fixture->catalogue, "city.a"));
    assert_int_equal (notice.period, fixture->period);
    assert_int_equal (notice.severity, SEVERITY_CRITICAL);
    assert_false (notice.repeat);
    s_expect_none (fixture);

    //  Still above: sent once, no repeat by default
    assert_int_equal (s_evaluate (fixture, T0 + 86400 * 30), 0);
    s_expect_none (fixture);

    //  a falls to 200 / 9,900 = 2.0202...%: resolved, since unchanged
    s_set (fixture, "city.a", "registered_unemployed", "2003-10", 200);
    assert_int_equal (s_evaluate (fixture, T0 + 100), 1);
    s_expect_one (fixture, "unemployment_over_line/city.a/2003-10",
                  NOTICE_RESOLVED, 200.0 / 9900 * 100, 2.99, T0);
    assert_int_equal (s_evaluate (fixture, T0 + 200), 0);
    s_expect_none (fixture);
    s_fixture_destroy (&fixture);
}

static void
test_threshold_missing_is_no_evidence (void **state)
{
    (void)state;
    fixture_t *fixture = s_fixture_new (s_city_zpl, s_rate_rule);
    //  a: no urban_employed, so no labour force and no rate: nothing
    s_set (fixture, "city.a", "registered_unemployed", "2003-10", 900);
    assert_int_equal (s_evaluate (fixture, T0), 0);
    s_expect_none (fixture);
    //  a fires; the city, with b not reported yet, is not judged: a total
    //  that not every part has reported into is no evidence either way
    s_set (fixture, "city.a", "urban_employed", "2003-10", 9100);
    assert_int_equal (s_evaluate (fixture, T0 + 10), 1); //  a 9%
    rules_notice_t notices[4];
    assert_int_equal (s_drain (fixture, notices, 4), 1);
    s_expect (&notices[0], "unemployment_over_line/city.a/2003-10",
              NOTICE_FIRING, 9.0, 2.99, T0 + 10);
    //  b reports: the city is whole, (900 + 100) / 20,000 = 5%
    s_set (fixture, "city.b", "registered_unemployed", "2003-10", 100);
    s_set (fixture, "city.b", "urban_employed", "2003-10", 9900);
    assert_int_equal (s_evaluate (fixture, T0 + 20), 1);
    assert_int_equal (s_drain (fixture, notices, 4), 1);
    s_expect (&notices[0], "unemployment_over_line/city/2003-10", NOTICE_FIRING,
              5.0, 2.99, T0 + 20);
    //  Then every figure goes missing in a new view: kept as is
    store_clear (fixture->store);
    assert_int_equal (s_evaluate (fixture, T0 + 30), 0);
    size_t count;
    rules_notice_t *active = rules_active (fixture->rules, &count);
    assert_int_equal (count, 2);
    free (active);
    s_fixture_destroy (&fixture);
}

static void
test_completion_and_pace (void **state)
{
    (void)state;
    fixture_t *fixture =
        s_fixture_new (s_city_zpl, "rules\n"
                                   "    new_jobs_behind_pace\n"
                                   "        kind = threshold\n"
                                   "        figure = new_jobs.pace\n"
                                   "        below = 90\n"
                                   "        regions = \"city city.*\"\n"
                                   "    new_jobs_two_thirds\n"
                                   "        kind = threshold\n"
                                   "        figure = new_jobs.completion\n"
                                   "        above = 66.6\n"
                                   "        regions = \"city city.a\"\n"
                                   "        severity = info\n");
    //  city: 11,207 of 16,500 = 67.92% done, pace 81.5%; a: 6,000 of
    //  10,000 = 60%, pace 72%; b has no target: nothing for it
    s_set (fixture, "city.a", "new_jobs", "2003-04", 2500);
    s_set (fixture, "city.a", "new_jobs", "2003-10", 3500);
    s_set (fixture, "city.b", "new_jobs", "2003-10", 5207);
    assert_int_equal (s_evaluate (fixture, T0), 3);
    rules_notice_t notices[4];
    assert_int_equal (s_drain (fixture, notices, 4), 3);
    s_expect (&notices[0], "new_jobs_behind_pace/city/2003-10", NOTICE_FIRING,
              11207.0 / 16500 * 100 / (10.0 / 12), 90, T0);
    assert_float_equal (notices[0].value, 81.505454545, 1e-6);
    assert_int_equal (notices[0].severity, SEVERITY_WARNING);
    s_expect (&notices[1], "new_jobs_behind_pace/city.a/2003-10", NOTICE_FIRING,
              72.0, 90, T0);
    s_expect (&notices[2], "new_jobs_two_thirds/city/2003-10", NOTICE_FIRING,
              11207.0 / 16500 * 100, 66.6, T0);
    assert_int_equal (notices[2].severity, SEVERITY_INFO);

    //  a catches up: 9,000 of 10,000 = 90% done, pace 108%, and so does
    //  the city, 14,207 of 16,500: both resolved; and a is now past two
    //  thirds of its task
    s_set (fixture, "city.a", "new_jobs", "2003-10", 6500);
    assert_int_equal (s_evaluate (fixture, T0 + 60), 3);
    assert_int_equal (s_drain (fixture, notices, 4), 3);
    s_expect (&notices[0], "new_jobs_behind_pace/city/2003-10", NOTICE_RESOLVED,
              14207.0 / 16500 * 120, 90, T0);
    s_expect (&notices[1], "new_jobs_behind_pace/city.a/2003-10",
              NOTICE_RESOLVED, 108.0, 90, T0);
    s_expect (&notices[2], "new_jobs_two_thirds/city.a/2003-10", NOTICE_FIRING,
              90.0, 66.6, T0 + 60);
    s_fixture_destroy (&fixture);
}

//  Heihe, end of October 2003 (config/heihe-2003.zpl's figures): new jobs
//  11,207 of 16,500 is behind pace; the unemployment rate 2.96% is inside
//  its 2.99% line; new employment 11,800 of 4,403 is far ahead.
static void
test_heihe_demo (void **state)
{
    (void)state;
    static const char *heihe_zpl = "catalogue\n"
                                   "    year = 2003\n"
                                   "    on_time_days = 10\n"
                                   "regions\n"
                                   "    heihe = \"Heihe City\"\n"
                                   "        heihe.direct = \"City level\"\n"
                                   "        heihe.aihui = \"Aihui District\"\n"
                                   "indicators\n"
                                   "    employed_new\n"
                                   "        time = flow\n"
                                   "    new_jobs\n"
                                   "        time = flow\n"
                                   "    registered_unemployed\n"
                                   "        time = stock\n"
                                   "    urban_employed\n"
                                   "        time = stock\n"
                                   "measures\n"
                                   "    urban_labour_force\n"
                                   "        sum = \"urban_employed "
                                   "registered_unemployed\"\n"
                                   "    unemployment_rate\n"
                                   "        numerator = registered_unemployed\n"
                                   "        denominator = urban_labour_force\n"
                                   "        scale = 100\n"
                                   "targets\n"
                                   "    heihe\n"
                                   "        employed_new = 4403\n"
                                   "        new_jobs = 16500\n";
    fixture_t *fixture =
        s_fixture_new (heihe_zpl, "rules\n"
                                  "    unemployment_over_line\n"
                                  "        kind = threshold\n"
                                  "        figure = unemployment_rate\n"
                                  "        above = 2.99\n"
                                  "        regions = \"heihe\"\n"
                                  "        severity = critical\n"
                                  "    new_jobs_behind_pace\n"
                                  "        kind = threshold\n"
                                  "        figure = new_jobs.pace\n"
                                  "        below = 90\n"
                                  "        regions = \"heihe\"\n"
                                  "    employed_new_behind_pace\n"
                                  "        kind = threshold\n"
                                  "        figure = employed_new.pace\n"
                                  "        below = 90\n"
                                  "        regions = \"heihe\"\n");
    for (int month = 1; month <= 10; month++) {
        char text[PERIOD_TEXT_SIZE];
        period_format (period_make (2003, month), text);
        //  direct 500 a month, aihui 620 a month and 627 in October
        s_set (fixture, "heihe.direct", "new_jobs", text, 500);
        s_set (fixture, "heihe.aihui", "new_jobs", text,
               month < 10 ? 620 : 627);
        s_set (fixture, "heihe.direct", "employed_new", text, 400);
        s_set (fixture, "heihe.aihui", "employed_new", text, 780);
    }
    //  2,960 of 100,000 = 2.96%
    s_set (fixture, "heihe.direct", "registered_unemployed", "2003-10", 960);
    s_set (fixture, "heihe.direct", "urban_employed", "2003-10", 39040);
    s_set (fixture, "heihe.aihui", "registered_unemployed", "2003-10", 2000);
    s_set (fixture, "heihe.aihui", "urban_employed", "2003-10", 58000);

    //  The month's report is all in: evaluated on the 5th of November
    assert_int_equal (s_evaluate (fixture, T0), 1);
    rules_notice_t notice;
    assert_true (rules_next (fixture->rules, &notice));
    //  67.9% of the task with 83.3% of the year gone
    s_expect (&notice, "new_jobs_behind_pace/heihe/2003-10", NOTICE_FIRING,
              11207.0 / 16500 * 120, 90, T0);
    assert_float_equal (notice.value, 81.5, 0.01);
    assert_int_equal (notice.severity, SEVERITY_WARNING);
    s_expect_none (fixture);

    //  And the quiet ones are quiet because of their figures
    figure_row_t row;
    figures_row (
        fixture->catalogue, fixture->store, 0,
        catalogue_figure_find (fixture->catalogue, "unemployment_rate"),
        fixture->period, &row);
    assert_float_equal (row.value, 2.96, EPSILON);
    figures_row (fixture->catalogue, fixture->store, 0,
                 catalogue_figure_find (fixture->catalogue, "employed_new"),
                 fixture->period, &row);
    assert_float_equal (row.value, 11800, EPSILON);
    assert_float_equal (row.pace_pct, 11800.0 / 4403 * 120, EPSILON);
    assert_true (row.pace_pct > 320);
    s_fixture_destroy (&fixture);
}

static void
test_pending_then_firing_after_for (void **state)
{
    (void)state;
    fixture_t *fixture =
        s_fixture_new (s_city_zpl, "rules\n"
                                   "    over\n"
                                   "        kind = threshold\n"
                                   "        figure = unemployment_rate\n"
                                   "        above = 2.99\n"
                                   "        regions = city.a\n"
                                   "        for = 3600\n");
    s_labour (fixture, "city.a", 400, 9600); //  4%
    assert_int_equal (s_evaluate (fixture, T0), 0);
    assert_int_equal (s_evaluate (fixture, T0 + 1800), 0);
    assert_int_equal (s_evaluate (fixture, T0 + 3599), 0);
    size_t count;
    assert_null (rules_active (fixture->rules, &count)); //  pending only
    assert_int_equal (count, 0);
    assert_int_equal (s_evaluate (fixture, T0 + 3600), 1);
    s_expect_one (fixture, "over/city.a/2003-10", NOTICE_FIRING, 4.0, 2.99, T0);
    assert_int_equal (s_evaluate (fixture, T0 + 7200), 0);
    rules_notice_t *active = rules_active (fixture->rules, &count);
    assert_int_equal (count, 1);
    s_expect (&active[0], "over/city.a/2003-10", NOTICE_FIRING, 4.0, 2.99, T0);
    free (active);
    s_fixture_destroy (&fixture);
}

static void
test_flap_inside_for_sends_nothing (void **state)
{
    (void)state;
    fixture_t *fixture =
        s_fixture_new (s_city_zpl, "rules\n"
                                   "    over\n"
                                   "        kind = threshold\n"
                                   "        figure = unemployment_rate\n"
                                   "        above = 2.99\n"
                                   "        regions = city.a\n"
                                   "        for = 3600\n");
    s_labour (fixture, "city.a", 400, 9600); //  4%
    assert_int_equal (s_evaluate (fixture, T0), 0);
    s_set (fixture, "city.a", "registered_unemployed", "2003-10", 100); //  1%
    assert_int_equal (s_evaluate (fixture, T0 + 600), 0);
    s_set (fixture, "city.a", "registered_unemployed", "2003-10", 400);
    assert_int_equal (s_evaluate (fixture, T0 + 1200), 0);
    //  The clock restarted at T0 + 1200: an hour from T0 is not enough
    assert_int_equal (s_evaluate (fixture, T0 + 4000), 0);
    s_set (fixture, "city.a", "registered_unemployed", "2003-10", 100);
    assert_int_equal (s_evaluate (fixture, T0 + 4500), 0);
    s_expect_none (fixture);
    char *saved = rules_save (fixture->rules);
    assert_string_equal (saved, "# jobtally alert state 1\n");
    free (saved);

    //  Held for the whole hour this time
    s_set (fixture, "city.a", "registered_unemployed", "2003-10", 400);
    assert_int_equal (s_evaluate (fixture, T0 + 5000), 0);
    assert_int_equal (s_evaluate (fixture, T0 + 8600), 1);
    s_expect_one (fixture, "over/city.a/2003-10", NOTICE_FIRING, 4.0, 2.99,
                  T0 + 5000);
    s_fixture_destroy (&fixture);
}

static void
test_repeat_interval (void **state)
{
    (void)state;
    fixture_t *fixture =
        s_fixture_new (s_city_zpl, "rules\n"
                                   "    over\n"
                                   "        kind = threshold\n"
                                   "        figure = unemployment_rate\n"
                                   "        above = 2.99\n"
                                   "        regions = city.a\n"
                                   "        repeat = 86400\n");
    s_labour (fixture, "city.a", 400, 9600);
    assert_int_equal (s_evaluate (fixture, T0), 1);
    rules_notice_t notice;
    assert_true (rules_next (fixture->rules, &notice));
    assert_false (notice.repeat);
    assert_int_equal (s_evaluate (fixture, T0 + 3600), 0);
    assert_int_equal (s_evaluate (fixture, T0 + 86399), 0);
    assert_int_equal (s_evaluate (fixture, T0 + 86400), 1);
    assert_true (rules_next (fixture->rules, &notice));
    s_expect (&notice, "over/city.a/2003-10", NOTICE_FIRING, 4.0, 2.99, T0);
    assert_true (notice.repeat);
    assert_int_equal (s_evaluate (fixture, T0 + 86400 + 100), 0);
    //  The next repeat counts from the last one sent
    assert_int_equal (s_evaluate (fixture, T0 + 2 * 86400 + 50), 1);
    assert_true (rules_next (fixture->rules, &notice));
    assert_true (notice.repeat);
    assert_int_equal (s_evaluate (fixture, T0 + 3 * 86400 + 49), 0);
    s_set (fixture, "city.a", "registered_unemployed", "2003-10", 100);
    assert_int_equal (s_evaluate (fixture, T0 + 3 * 86400 + 60), 1);
    assert_true (rules_next (fixture->rules, &notice));
    s_expect (&notice, "over/city.a/2003-10", NOTICE_RESOLVED,
              100.0 / 9700 * 100, 2.99, T0);
    assert_false (notice.repeat);
    assert_int_equal (s_evaluate (fixture, T0 + 5 * 86400), 0);
    s_fixture_destroy (&fixture);
}

static void
test_restart_keeps_state (void **state)
{
    (void)state;
    static const char *rules_text = "rules\n"
                                    "    over\n"
                                    "        kind = threshold\n"
                                    "        figure = unemployment_rate\n"
                                    "        above = 2.99\n"
                                    "        regions = \"city.a city.b\"\n"
                                    "        for = 600\n"
                                    "        repeat = 86400\n";
    fixture_t *fixture = s_fixture_new (s_city_zpl, rules_text);
    s_labour (fixture, "city.a", 400, 9600); //  4%
    s_labour (fixture, "city.b", 500, 9500); //  5%, from T0 + 500
    assert_int_equal (s_evaluate (fixture, T0), 0);
    s_labour (fixture, "city.b", 100, 9900);
    assert_int_equal (s_evaluate (fixture, T0 + 100), 0);
    s_labour (fixture, "city.b", 500, 9500);
    assert_int_equal (s_evaluate (fixture, T0 + 500), 0);
    assert_int_equal (s_evaluate (fixture, T0 + 600), 1); //  a fires
    s_expect_one (fixture, "over/city.a/2003-10", NOTICE_FIRING, 4.0, 2.99, T0);
    char *saved = rules_save (fixture->rules);
    assert_string_equal (
        saved,
        "# jobtally alert state 1\n"
        "over/city.a/2003-10 firing 1068000000 1068000600 0 4 "
        "2.9900000000000002\n"
        "over/city.b/2003-10 pending 1068000500 0 0 5 2.9900000000000002\n");

    //  A new reporter on the same store loads the file
    rules_t *restarted = rules_new (fixture->catalogue, fixture->store);
    assert_int_equal (rules_load (restarted, saved), 0);
    char *again = rules_save (restarted);
    assert_string_equal (again, saved);
    free (again);
    rules_destroy (&fixture->rules);
    fixture->rules = restarted;

    //  a is not sent again; b fires 600 s after it began, before the restart
    assert_int_equal (s_evaluate (fixture, T0 + 1000), 0);
    assert_int_equal (s_evaluate (fixture, T0 + 1100), 1);
    s_expect_one (fixture, "over/city.b/2003-10", NOTICE_FIRING, 5.0, 2.99,
                  T0 + 500);
    //  a's repeat is a day after its last notice before the restart
    assert_int_equal (s_evaluate (fixture, T0 + 600 + 86399), 0);
    assert_int_equal (s_evaluate (fixture, T0 + 600 + 86400), 1);
    s_expect_one (fixture, "over/city.a/2003-10", NOTICE_FIRING, 4.0, 2.99, T0);
    //  and it resolves with its firing-since from before the restart
    s_labour (fixture, "city.a", 100, 9900);
    assert_int_equal (s_evaluate (fixture, T0 + 87100), 1);
    s_expect_one (fixture, "over/city.a/2003-10", NOTICE_RESOLVED, 1.0, 2.99,
                  T0);
    free (saved);
    s_fixture_destroy (&fixture);
}

static void
test_load_refuses_and_skips (void **state)
{
    (void)state;
    fixture_t *fixture = s_fixture_new (s_city_zpl, s_rate_rule);
    const char *good = "over_no_more/city.a/2003-10 firing 5 5 0 4 2.99\n"
                       "unemployment_over_line/city.nowhere/2003-10 firing "
                       "5 5 0 4 2.99\n"
                       "\n"
                       "# a comment\n"
                       "unemployment_over_line/city.b/2003-10 firing 7 8 0 "
                       "4.5 2.99\r\n";
    assert_int_equal (rules_load (fixture->rules, good), 0);
    char *saved = rules_save (fixture->rules);
    assert_string_equal (saved, "# jobtally alert state 1\n"
                                "unemployment_over_line/city.b/2003-10 firing "
                                "7 8 0 4.5 2.9900000000000002\n");
    free (saved);
    const char *bad[] = {
        "unemployment_over_line/city.b/2003-10 burning 7 8 0 4.5 2.99\n",
        "unemployment_over_line/city.b/2003-10 firing 7 8 0 4.5\n",
        "unemployment_over_line/city.b/2003-10 firing 7x 8 0 4.5 2.99\n",
        "unemployment_over_line/city.b/2003-13 firing 7 8 0 4.5 2.99\n",
        "unemployment_over_line/city.b firing 7 8 0 4.5 2.99\n",
        "unemployment_over_line/city.b/2003-10 firing 7 8 0 nan 2.99\n",
        "unemployment_over_line/city.b/2003-10 firing 7 8 0 4 2.99 extra\n",
    };
    for (size_t index = 0; index < sizeof bad / sizeof bad[0]; index++) {
        if (rules_load (fixture->rules, bad[index]) != -1)
            fail_msg ("accepted '%s'", bad[index]);
        //  Refused: the state is as it was
        saved = rules_save (fixture->rules);
        assert_non_null (strstr (saved, "city.b/2003-10 firing 7 8"));
        free (saved);
    }
    s_fixture_destroy (&fixture);
}

static void
test_silence (void **state)
{
    (void)state;
    fixture_t *fixture = s_fixture_new (s_city_zpl, "rules\n"
                                                    "    silent_county\n"
                                                    "        kind = silence\n"
                                                    "        regions = city.*\n"
                                                    "        severity = "
                                                    "warning\n");
    s_set (fixture, "city.a", "new_jobs", "2003-10", 10);
    s_set (fixture, "city.b", "new_jobs", "2003-09", 10);
    //  During the month and inside on_time_days: nothing
    assert_int_equal (s_evaluate (fixture, T_2003_11_01 - 86400), 0);
    assert_int_equal (s_evaluate (fixture, T_2003_11_01 + 5 * 86400), 0);
    assert_int_equal (s_evaluate (fixture, T_2003_11_11), 0);
    //  One second after 10 days past the month: b is silent since then
    assert_int_equal (s_evaluate (fixture, T_2003_11_11 + 1), 1);
    s_expect_one (fixture, "silent_county/city.b/2003-10", NOTICE_FIRING,
                  10 + 1.0 / 86400, 10, T_2003_11_11);
    assert_int_equal (s_evaluate (fixture, T_2003_11_11 + 86400), 0);
    //  b's report arrives late: resolved
    s_set (fixture, "city.b", "new_jobs", "2003-10", 10);
    assert_int_equal (s_evaluate (fixture, T_2003_11_11 + 2 * 86400), 1);
    s_expect_one (fixture, "silent_county/city.b/2003-10", NOTICE_RESOLVED, 12,
                  10, T_2003_11_11);
    s_fixture_destroy (&fixture);
}

//  Month ends across a year and a leap February; and `for` counts from the
//  deadline, so a reporter started late fires at once.
static void
test_silence_month_ends (void **state)
{
    (void)state;
    fixture_t *fixture = s_fixture_new (s_city_zpl, "rules\n"
                                                    "    silent\n"
                                                    "        kind = silence\n"
                                                    "        regions = city\n"
                                                    "        for = 3600\n");
    fixture->period = period_parse ("2003-12");
    assert_int_equal (s_evaluate (fixture, T_2004_01_11), 0);
    assert_int_equal (s_evaluate (fixture, T_2004_01_11 + 3599), 0);
    assert_int_equal (s_evaluate (fixture, T_2004_01_11 + 3600), 1);
    s_expect_one (fixture, "silent/city/2003-12", NOTICE_FIRING,
                  10 + 3600.0 / 86400, 10, T_2004_01_11);

    fixture->period = period_parse ("2004-02");
    assert_int_equal (s_evaluate (fixture, T_2004_03_11), 0);
    assert_int_equal (s_evaluate (fixture, T_2004_03_11 + 86400), 1);
    s_expect_one (fixture, "silent/city/2004-02", NOTICE_FIRING, 11, 10,
                  T_2004_03_11);

    //  A county's report makes the city reported
    s_set (fixture, "city.b", "new_jobs", "2004-02", 1);
    assert_int_equal (s_evaluate (fixture, T_2004_03_11 + 2 * 86400), 1);
    s_expect_one (fixture, "silent/city/2004-02", NOTICE_RESOLVED, 12, 10,
                  T_2004_03_11);

    //  Forgetting the old month drops December without a notice
    rules_forget_before (fixture->rules, period_parse ("2004-01"));
    char *saved = rules_save (fixture->rules);
    assert_string_equal (saved, "# jobtally alert state 1\n");
    free (saved);
    s_expect_none (fixture);
    s_fixture_destroy (&fixture);
}

static void
test_consistency_equal (void **state)
{
    (void)state;
    fixture_t *fixture =
        s_fixture_new (s_city_zpl, "rules\n"
                                   "    channels_add_up\n"
                                   "        kind = consistency\n"
                                   "        left = reemployed\n"
                                   "        right = reemployed_by_channel\n"
                                   "        relation = equal\n"
                                   "        regions = \"city city.*\"\n");
    //  a: 10 = 6 + 4; b: 10 != 5 + 4; city: 20 != 19
    s_set (fixture, "city.a", "reemployed", "2003-10", 10);
    s_set (fixture, "city.a", "reemployed_private", "2003-10", 6);
    s_set (fixture, "city.a", "reemployed_other", "2003-10", 4);
    s_set (fixture, "city.b", "reemployed", "2003-10", 10);
    s_set (fixture, "city.b", "reemployed_private", "2003-10", 5);
    //  b's channels incomplete: b's sum is not present, so nothing for b;
    //  the city's channels sum what was reported, 6 + 5 + 4 = 15, and the
    //  city's figures do not add up
    assert_int_equal (s_evaluate (fixture, T0), 1);
    s_expect_one (fixture, "channels_add_up/city/2003-10", NOTICE_FIRING, 20,
                  15, T0);
    s_set (fixture, "city.b", "reemployed_other", "2003-10", 4);
    assert_int_equal (s_evaluate (fixture, T0 + 1), 1);
    s_expect_one (fixture, "channels_add_up/city.b/2003-10", NOTICE_FIRING, 10,
                  9, T0 + 1);
    rules_notice_t notices[4];
    //  More is as wrong as less
    s_set (fixture, "city.b", "reemployed_other", "2003-10", 6);
    assert_int_equal (s_evaluate (fixture, T0 + 2), 0);
    s_set (fixture, "city.b", "reemployed_other", "2003-10", 5);
    assert_int_equal (s_evaluate (fixture, T0 + 3), 2);
    assert_int_equal (s_drain (fixture, notices, 4), 2);
    s_expect (&notices[0], "channels_add_up/city/2003-10", NOTICE_RESOLVED, 20,
              20, T0);
    s_expect (&notices[1], "channels_add_up/city.b/2003-10", NOTICE_RESOLVED,
              10, 10, T0 + 1);
    s_fixture_destroy (&fixture);
}

static void
test_consistency_at_most (void **state)
{
    (void)state;
    fixture_t *fixture =
        s_fixture_new (s_city_zpl, "rules\n"
                                   "    certificates\n"
                                   "        kind = consistency\n"
                                   "        left = certificates_issued\n"
                                   "        right = certificates_due\n"
                                   "        relation = at_most\n"
                                   "        regions = \"city city.*\"\n"
                                   "        severity = critical\n");
    //  a: 5 <= 5; b: 7 > 6; city: 12 > 11
    s_set (fixture, "city.a", "certificates_issued", "2003-10", 5);
    s_set (fixture, "city.a", "certificates_due", "2003-10", 5);
    s_set (fixture, "city.b", "certificates_issued", "2003-10", 7);
    s_set (fixture, "city.b", "certificates_due", "2003-10", 6);
    assert_int_equal (s_evaluate (fixture, T0), 2);
    rules_notice_t notices[4];
    assert_int_equal (s_drain (fixture, notices, 4), 2);
    s_expect (&notices[0], "certificates/city/2003-10", NOTICE_FIRING, 12, 11,
              T0);
    s_expect (&notices[1], "certificates/city.b/2003-10", NOTICE_FIRING, 7, 6,
              T0);
    assert_int_equal (notices[1].severity, SEVERITY_CRITICAL);
    //  Fewer issued than due is fine
    s_set (fixture, "city.b", "certificates_issued", "2003-10", 2);
    assert_int_equal (s_evaluate (fixture, T0 + 1), 2);
    assert_int_equal (s_drain (fixture, notices, 4), 2);
    s_expect (&notices[0], "certificates/city/2003-10", NOTICE_RESOLVED, 7, 11,
              T0);
    s_expect (&notices[1], "certificates/city.b/2003-10", NOTICE_RESOLVED, 2, 6,
              T0);
    s_fixture_destroy (&fixture);
}

static const char *s_restated_rule = "rules\n"
                                     "    restated_down\n"
                                     "        kind = restatement\n"
                                     "        figure = employed_new\n"
                                     "        drop_pct = 10\n"
                                     "        regions = city.*\n";

//  Revise a leaf's October employed_new as the reporter would see it.
static int
s_restate (fixture_t *fixture, const char *region, int64_t old_units,
           int64_t new_units, int64_t now)
{
    s_set (fixture, region, "employed_new", "2003-10", new_units);
    return rules_restated (
        fixture->rules, fixture_find (fixture->catalogue, region),
        catalogue_indicator_find (fixture->catalogue, "employed_new"),
        fixture->period, U (old_units), U (new_units), now);
}

static void
test_restatement (void **state)
{
    (void)state;
    fixture_t *fixture = s_fixture_new (s_city_zpl, s_restated_rule);
    s_set (fixture, "city.a", "employed_new", "2003-10", 100);
    //  Exactly 10% down is not more than 10%
    assert_int_equal (s_restate (fixture, "city.a", 100, 90, T0), 0);
    assert_int_equal (s_restate (fixture, "city.a", 90, 100, T0), 0);
    //  11% down fires: value 89 against 100 less 10%
    assert_int_equal (s_restate (fixture, "city.a", 100, 89, T0 + 10), 1);
    s_expect_one (fixture, "restated_down/city.a/2003-10", NOTICE_FIRING, 89,
                  90, T0 + 10);
    //  Evaluations and a further drop keep it firing, measured from 100
    assert_int_equal (s_evaluate (fixture, T0 + 20), 0);
    assert_int_equal (s_restate (fixture, "city.a", 89, 85, T0 + 30), 0);
    assert_int_equal (s_restate (fixture, "city.a", 85, 88, T0 + 40), 0);
    //  Back to 95, at least 90: resolved
    assert_int_equal (s_restate (fixture, "city.a", 88, 95, T0 + 50), 1);
    s_expect_one (fixture, "restated_down/city.a/2003-10", NOTICE_RESOLVED, 95,
                  90, T0 + 10);
    //  Not watched: the city (a rollup) and another indicator
    assert_int_equal (
        rules_restated (
            fixture->rules, fixture_find (fixture->catalogue, "city"),
            catalogue_indicator_find (fixture->catalogue, "employed_new"),
            fixture->period, U (200), U (10), T0),
        0);
    assert_int_equal (
        rules_restated (
            fixture->rules, fixture_find (fixture->catalogue, "city.a"),
            catalogue_indicator_find (fixture->catalogue, "new_jobs"),
            fixture->period, U (200), U (10), T0),
        0);
    //  From nothing (0) is not a drop
    assert_int_equal (s_restate (fixture, "city.b", 0, 0, T0), 0);

    //  Restored without a rules_restated call (a snapshot reload): the
    //  next evaluation finds the cell back and resolves
    assert_int_equal (s_restate (fixture, "city.b", 50, 20, T0 + 60), 1);
    s_expect_one (fixture, "restated_down/city.b/2003-10", NOTICE_FIRING, 20,
                  45, T0 + 60);
    s_set (fixture, "city.b", "employed_new", "2003-10", 50);
    fixture->period = period_parse ("2003-11"); //  evaluating another month
    assert_int_equal (s_evaluate (fixture, T0 + 70), 1);
    s_expect_one (fixture, "restated_down/city.b/2003-10", NOTICE_RESOLVED, 50,
                  45, T0 + 60);
    s_fixture_destroy (&fixture);
}

static void
test_restatement_for_and_restart (void **state)
{
    (void)state;
    fixture_t *fixture =
        s_fixture_new (s_city_zpl, "rules\n"
                                   "    restated_down\n"
                                   "        kind = restatement\n"
                                   "        figure = employed_new\n"
                                   "        drop_pct = 12.5\n"
                                   "        regions = city.a\n"
                                   "        for = 600\n"
                                   "        severity = info\n");
    //  Corrected inside `for`: nothing
    assert_int_equal (s_restate (fixture, "city.a", 80, 60, T0), 0);
    assert_int_equal (s_evaluate (fixture, T0 + 300), 0);
    assert_int_equal (s_restate (fixture, "city.a", 60, 80, T0 + 400), 0);
    assert_int_equal (s_evaluate (fixture, T0 + 1000), 0);
    s_expect_none (fixture);
    //  Held: fires at the evaluation after `for`, and survives a restart
    assert_int_equal (s_restate (fixture, "city.a", 80, 60, T0 + 2000), 0);
    char *saved = rules_save (fixture->rules);
    assert_string_equal (saved, "# jobtally alert state 1\n"
                                "restated_down/city.a/2003-10 pending "
                                "1068002000 0 80000 60 70\n");
    rules_destroy (&fixture->rules);
    fixture->rules = rules_new (fixture->catalogue, fixture->store);
    assert_int_equal (rules_load (fixture->rules, saved), 0);
    free (saved);
    assert_int_equal (s_evaluate (fixture, T0 + 2599), 0);
    assert_int_equal (s_evaluate (fixture, T0 + 2600), 1);
    rules_notice_t notice;
    assert_true (rules_next (fixture->rules, &notice));
    s_expect (&notice, "restated_down/city.a/2003-10", NOTICE_FIRING, 60, 70,
              T0 + 2000);
    assert_int_equal (notice.severity, SEVERITY_INFO);
    //  Back to exactly 80 * (1 - 12.5%) = 70: resolved
    assert_int_equal (s_restate (fixture, "city.a", 60, 70, T0 + 3000), 1);
    s_expect_one (fixture, "restated_down/city.a/2003-10", NOTICE_RESOLVED, 70,
                  70, T0 + 2000);
    s_fixture_destroy (&fixture);
}

//  Set city.a's October to a value in thousandths of a unit.
static void
s_set_thousandths (fixture_t *fixture, const char *indicator,
                   jt_value_t thousandths)
{
    int figure = catalogue_indicator_find (fixture->catalogue, indicator);
    assert_true (figure >= 0);
    assert_int_equal (store_apply (fixture->store,
                                   fixture_find (fixture->catalogue, "city.a"),
                                   figure, fixture->period, thousandths, false),
                      JT_OK);
}

//  A figure exactly on a rule's line is not beyond it: above = 100 does
//  not fire at 100 and fires at 100.001 (the next figure a county can
//  report); below = 90 does not fire at 90 and fires at 89.999. The same
//  for ratios with no scale (the documented default of 1) and with a
//  fractional one: 3 of 4 is 0.75 unscaled and 0.375 at scale 0.5.
//  Turning ">" into ">=" (or "<" into "<="), or the other way, fails this
//  test.
static void
test_threshold_at_its_line (void **state)
{
    (void)state;
    fixture_t *fixture =
        s_fixture_new (s_city_zpl, "rules\n"
                                   "    jobs_above\n"
                                   "        kind = threshold\n"
                                   "        figure = new_jobs\n"
                                   "        above = 100\n"
                                   "        regions = city.a\n"
                                   "    employed_below\n"
                                   "        kind = threshold\n"
                                   "        figure = employed_new\n"
                                   "        below = 90\n"
                                   "        regions = city.a\n"
                                   "    share_above\n"
                                   "        kind = threshold\n"
                                   "        figure = share\n"
                                   "        above = 0.75\n"
                                   "        regions = city.a\n"
                                   "    half_below\n"
                                   "        kind = threshold\n"
                                   "        figure = half_share\n"
                                   "        below = 0.375\n"
                                   "        regions = city.a\n");
    s_set (fixture, "city.a", "new_jobs", "2003-10", 100);
    s_set (fixture, "city.a", "employed_new", "2003-10", 90);
    s_set (fixture, "city.a", "part", "2003-10", 3);
    s_set (fixture, "city.a", "whole", "2003-10", 4);
    assert_int_equal (s_evaluate (fixture, T0), 0);
    s_expect_none (fixture);

    s_set_thousandths (fixture, "new_jobs", 100001);
    assert_int_equal (s_evaluate (fixture, T0 + 1), 1);
    s_expect_one (fixture, "jobs_above/city.a/2003-10", NOTICE_FIRING, 100.001,
                  100, T0 + 1);
    s_set_thousandths (fixture, "employed_new", 89999);
    assert_int_equal (s_evaluate (fixture, T0 + 2), 1);
    s_expect_one (fixture, "employed_below/city.a/2003-10", NOTICE_FIRING,
                  89.999, 90, T0 + 2);
    s_set_thousandths (fixture, "part", 3001);
    assert_int_equal (s_evaluate (fixture, T0 + 3), 1);
    s_expect_one (fixture, "share_above/city.a/2003-10", NOTICE_FIRING,
                  3.001 / 4, 0.75, T0 + 3);
    s_set_thousandths (fixture, "part", 2999);
    assert_int_equal (s_evaluate (fixture, T0 + 4), 2);
    rules_notice_t notices[2];
    assert_int_equal (s_drain (fixture, notices, 2), 2);
    s_expect (&notices[0], "share_above/city.a/2003-10", NOTICE_RESOLVED,
              2.999 / 4, 0.75, T0 + 3);
    s_expect (&notices[1], "half_below/city.a/2003-10", NOTICE_FIRING,
              2.999 / 4 * 0.5, 0.375, T0 + 4);

    //  Back on their lines: the other two resolve
    s_set (fixture, "city.a", "new_jobs", "2003-10", 100);
    s_set (fixture, "city.a", "employed_new", "2003-10", 90);
    assert_int_equal (s_evaluate (fixture, T0 + 5), 2);
    s_fixture_destroy (&fixture);
}

//  A rate exactly on its line that the double holds a few units in the
//  last place off it: 7 of 25 at scale 100 is 28.000000000000004, and
//  above = 28 does not fire; 29 of 50 is 57.99999999999999, and below =
//  58 does not fire.
static void
test_threshold_rate_on_its_line (void **state)
{
    (void)state;
    const char *rules[] = {"rules\n"
                           "    rate_above\n"
                           "        kind = threshold\n"
                           "        figure = unemployment_rate\n"
                           "        above = 28\n"
                           "        regions = city.a\n",
                           "rules\n"
                           "    rate_below\n"
                           "        kind = threshold\n"
                           "        figure = unemployment_rate\n"
                           "        below = 58\n"
                           "        regions = city.a\n"};
    //  registered unemployed, urban employed, the rate as the double
    //  holds it, and whether it is beyond the line
    struct {
        int registered, employed;
        double rate;
        bool beyond;
    } cases[2][2] = {
        {{7, 18, 28.000000000000004, false}, {8, 17, 32, true}},
        {{29, 21, 57.99999999999999, false}, {29, 22, 29.0 / 51 * 100, true}}};
    for (int rule = 0; rule < 2; rule++) {
        fixture_t *fixture = s_fixture_new (s_city_zpl, rules[rule]);
        int city_a = fixture_find (fixture->catalogue, "city.a");
        int rate =
            catalogue_figure_find (fixture->catalogue, "unemployment_rate");
        for (int index = 0; index < 2; index++) {
            s_set (fixture, "city.a", "registered_unemployed", "2003-10",
                   cases[rule][index].registered);
            s_set (fixture, "city.a", "urban_employed", "2003-10",
                   cases[rule][index].employed);
            double value;
            assert_true (figures_value (fixture->catalogue, fixture->store,
                                        city_a, rate, fixture->period, &value));
            assert_true (value == cases[rule][index].rate);
            assert_int_equal (s_evaluate (fixture, T0 + index),
                              cases[rule][index].beyond);
            if (cases[rule][index].beyond)
                s_expect_one (fixture,
                              rule == 0 ? "rate_above/city.a/2003-10"
                                        : "rate_below/city.a/2003-10",
                              NOTICE_FIRING, value, rule == 0 ? 28 : 58,
                              T0 + index);
        }
        s_fixture_destroy (&fixture);
    }
}

//  Consistency at its edges: at_most and equal with both sides zero hold
//  (no alert), and so do equal sides; a thousandth more on the left of
//  at_most, or one more on the left of equal, fires.
static void
test_consistency_at_the_edge (void **state)
{
    (void)state;
    fixture_t *fixture =
        s_fixture_new (s_city_zpl, "rules\n"
                                   "    certificates\n"
                                   "        kind = consistency\n"
                                   "        left = certificates_issued\n"
                                   "        right = certificates_due\n"
                                   "        relation = at_most\n"
                                   "        regions = city.a\n"
                                   "    channels\n"
                                   "        kind = consistency\n"
                                   "        left = reemployed\n"
                                   "        right = reemployed_by_channel\n"
                                   "        relation = equal\n"
                                   "        regions = city.a\n");
    s_set (fixture, "city.a", "certificates_issued", "2003-10", 0);
    s_set (fixture, "city.a", "certificates_due", "2003-10", 0);
    s_set (fixture, "city.a", "reemployed", "2003-10", 0);
    s_set (fixture, "city.a", "reemployed_private", "2003-10", 0);
    s_set (fixture, "city.a", "reemployed_other", "2003-10", 0);
    assert_int_equal (s_evaluate (fixture, T0), 0);
    s_expect_none (fixture);

    //  Equal and not zero: still holds
    s_set (fixture, "city.a", "certificates_issued", "2003-10", 6);
    s_set (fixture, "city.a", "certificates_due", "2003-10", 6);
    s_set (fixture, "city.a", "reemployed", "2003-10", 5);
    s_set (fixture, "city.a", "reemployed_private", "2003-10", 2);
    s_set (fixture, "city.a", "reemployed_other", "2003-10", 3);
    assert_int_equal (s_evaluate (fixture, T0 + 1), 0);
    s_expect_none (fixture);

    s_set_thousandths (fixture, "certificates_issued", 6001);
    s_set (fixture, "city.a", "reemployed", "2003-10", 6);
    assert_int_equal (s_evaluate (fixture, T0 + 2), 2);
    rules_notice_t notices[2];
    assert_int_equal (s_drain (fixture, notices, 2), 2);
    s_expect (&notices[0], "certificates/city.a/2003-10", NOTICE_FIRING, 6.001,
              6, T0 + 2);
    s_expect (&notices[1], "channels/city.a/2003-10", NOTICE_FIRING, 6, 5,
              T0 + 2);
    s_fixture_destroy (&fixture);
}

//  An outlier rule on "city" watches its leaves' reported figures against
//  the indicator's bounds: the value and the bound it broke in each
//  notice, resolved when the figure is restated back inside.
static void
test_outlier (void **state)
{
    (void)state;
    fixture_t *fixture = s_fixture_new ("catalogue\n"
                                        "    year = 2003\n"
                                        "regions\n"
                                        "    city\n"
                                        "        city.a\n"
                                        "        city.b\n"
                                        "indicators\n"
                                        "    employed_new\n"
                                        "        time = flow\n"
                                        "        max = 20000\n"
                                        "        max_change = 200\n",
                                        "rules\n"
                                        "    odd_new_jobs\n"
                                        "        kind = outlier\n"
                                        "        figure = employed_new\n"
                                        "        regions = city\n"
                                        "        severity = critical\n");
    //  a: at the maximum, fine; b: above it.
    s_set (fixture, "city.a", "employed_new", "2003-10", 20000);
    s_set (fixture, "city.b", "employed_new", "2003-10", 98000);
    assert_int_equal (s_evaluate (fixture, T0), 1);
    rules_notice_t notice;
    assert_true (rules_next (fixture->rules, &notice));
    s_expect (&notice, "odd_new_jobs/city.b/2003-10", NOTICE_FIRING, 98000,
              20000, T0);
    assert_int_equal (notice.severity, SEVERITY_CRITICAL);
    s_expect_none (fixture);

    //  a's September was 450: 20000 is far more than +200%; 1350 is at it.
    s_set (fixture, "city.a", "employed_new", "2003-09", 450);
    assert_int_equal (s_evaluate (fixture, T0 + 1), 1);
    s_expect_one (fixture, "odd_new_jobs/city.a/2003-10", NOTICE_FIRING, 20000,
                  1350, T0 + 1);
    s_set (fixture, "city.a", "employed_new", "2003-10", 1350);
    s_set (fixture, "city.b", "employed_new", "2003-10", 15000);
    rules_notice_t notices[4];
    assert_int_equal (s_evaluate (fixture, T0 + 2), 2);
    assert_int_equal (s_drain (fixture, notices, 4), 2);
    s_expect (&notices[0], "odd_new_jobs/city.a/2003-10", NOTICE_RESOLVED, 1350,
              20000, T0 + 1);
    s_expect (&notices[1], "odd_new_jobs/city.b/2003-10", NOTICE_RESOLVED,
              15000, 20000, T0);
    //  The city's own cell is never judged: its figure is a sum.
    assert_int_equal (s_evaluate (fixture, T0 + 3), 0);
    s_fixture_destroy (&fixture);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_threshold_fires_on_the_right_region),
        cmocka_unit_test (test_threshold_missing_is_no_evidence),
        cmocka_unit_test (test_completion_and_pace),
        cmocka_unit_test (test_heihe_demo),
        cmocka_unit_test (test_pending_then_firing_after_for),
        cmocka_unit_test (test_flap_inside_for_sends_nothing),
        cmocka_unit_test (test_repeat_interval),
        cmocka_unit_test (test_restart_keeps_state),
        cmocka_unit_test (test_load_refuses_and_skips),
        cmocka_unit_test (test_silence),
        cmocka_unit_test (test_silence_month_ends),
        cmocka_unit_test (test_consistency_equal),
        cmocka_unit_test (test_consistency_at_most),
        cmocka_unit_test (test_restatement),
        cmocka_unit_test (test_restatement_for_and_restart),
        cmocka_unit_test (test_threshold_at_its_line),
        cmocka_unit_test (test_threshold_rate_on_its_line),
        cmocka_unit_test (test_consistency_at_the_edge),
        cmocka_unit_test (test_outlier),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
