/*  test_summary.c — the reporter's summary writers, without a network: a
    small catalogue and a store filled with store_apply are rendered as
    text, Markdown, CSV, JSON and HTML, in English and Chinese, with and
    without the alerts the core's rule engine raises on them, compared byte
    for byte with tests/golden/, and the numbers a reader checks are
    asserted one by one. The golden files were written
    from this output once and checked by eye; to rewrite them after a
    deliberate change, run with JT_UPDATE_GOLDEN=1 and review the diff. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "json_check.h"
#include "summary.h"
#include "period.h"
#include "rules.h"

//  The totals are the Heihe 2003 report's, split over three regions.
static const char *s_city_zpl =
    "catalogue\n"
    "    year = 2003\n"
    "\n"
    "regions\n"
    "    city = \"River City\"\n"
    "        city.direct = \"City level\"\n"
    "        city.north = \"North District\"\n"
    "        city.south = \"South County\"\n"
    "\n"
    "indicators\n"
    "    employed_new\n"
    "        name = \"Newly employed persons\"\n"
    "        unit = persons\n"
    "        time = flow\n"
    "        phrase = \"people found employment\"\n"
    "    reemployed\n"
    "        name = \"Re-employed persons\"\n"
    "        unit = persons\n"
    "        time = cumulative\n"
    "        phrase = \"laid-off and unemployed people were re-employed\"\n"
    "    laid_off\n"
    "        name = \"Laid-off and unemployed\"\n"
    "        unit = persons\n"
    "        time = cumulative\n"
    "    new_jobs\n"
    "        name = \"New jobs\"\n"
    "        unit = jobs\n"
    "        time = flow\n"
    "        phrase = \"new jobs were created\"\n"
    "    registered_unemployed\n"
    "        name = \"Registered unemployed\"\n"
    "        unit = persons\n"
    "        time = stock\n"
    "    labour_force\n"
    "        name = \"Urban labour force\"\n"
    "        unit = persons\n"
    "        time = stock\n"
    "    subsidies\n"
    "        name = \"Subsidies paid\"\n"
    "        unit = yuan\n"
    "        time = flow\n"
    "        whole = no\n"
    "\n"
    "measures\n"
    "    reemployment_rate\n"
    "        name = \"Re-employment rate\"\n"
    "        numerator = reemployed\n"
    "        denominator = laid_off\n"
    "        scale = 100\n"
    "        unit = \"%\"\n"
    "        decimals = 1\n"
    "        phrase = \"re-employment rate\"\n"
    "    unemployment_rate\n"
    "        name = \"Unemployment rate\"\n"
    "        numerator = registered_unemployed\n"
    "        denominator = labour_force\n"
    "        scale = 100\n"
    "        unit = \"%\"\n"
    "        decimals = 2\n"
    "        phrase = \"registered urban unemployment rate\"\n"
    "\n"
    "targets\n"
    "    city\n"
    "        employed_new = 4403\n"
    "        reemployed = 12113\n"
    "        new_jobs = 16500\n"
    "    city.direct\n"
    "        employed_new = 1400\n"
    "        new_jobs = 1000\n"
    "\n"
    "limits\n"
    "    city\n"
    "        unemployment_rate = 2.99\n"
    "    city.south\n"
    "        unemployment_rate = 3.5\n"
    "\n"
    "names\n"
    "    zh\n"
    "        city = \"黑河市\"\n"
    "        city.direct = \"市本级\"\n"
    "        city.north = \"爱辉区\"\n"
    "        city.south = \"孙吴县\"\n"
    "        employed_new = \"新增就业人数\"\n"
    "        reemployed = \"下岗失业人员再就业人数\"\n"
    "        new_jobs = \"新增就业岗位\"\n"
    "        reemployment_rate = \"再就业率\"\n"
    "        unemployment_rate = \"城镇登记失业率\"\n"
    "\n"
    "rules\n"
    "    new_jobs_behind_pace\n"
    "        kind = threshold\n"
    "        figure = new_jobs.pace\n"
    "        below = 90\n"
    "        regions = \"city city.*\"\n"
    "    unemployment_over_line\n"
    "        kind = threshold\n"
    "        figure = unemployment_rate\n"
    "        above = 3.5\n"
    "        regions = \"city.*\"\n"
    "        severity = critical\n"
    "    county_silent\n"
    "        kind = silence\n"
    "        regions = \"city.*\"\n"
    "        severity = info\n"
    "\n"
    "summary\n"
    "    headline = \"employed_new reemployed reemployment_rate new_jobs "
    "unemployment_rate\"\n"
    "    columns = \"employed_new reemployed new_jobs unemployment_rate\"\n";

typedef struct {
    catalogue_t *catalogue;
    wording_t *wording; //  read from the same text
    store_t *full;      //  every region reported September and October
    store_t *partial;   //  South County silent in October
    int city, north, south;
    int october;
    rules_notice_t *alerts; //  firing on full at s_now
    size_t alert_count;
    rules_notice_t *partial_alerts; //  firing on partial at s_now
    size_t partial_alert_count;
} fixture_t;

//  When the rules are evaluated: 2003-11-20 00:00 UTC, ten days after
//  October's reports were due.
static const int64_t s_now = 1069286400;

static void
s_set (fixture_t *self, store_t *store, const char *region,
       const char *indicator, const char *period, double units)
{
    fixture_set (store, fixture_find (self->catalogue, region),
                 fixture_find (self->catalogue, indicator),
                 period_parse (period), (jt_value_t)(units * JT_SCALE + 0.5));
}

//  The day a region's report for a month arrived, as the aggregator
//  records it.
static void
s_arrived (fixture_t *self, store_t *store, const char *region,
           const char *period, const char *day)
{
    int value = period_day_parse (day);
    assert_int_not_equal (value, PERIOD_DAY_NONE);
    store_mark_reported (store, fixture_find (self->catalogue, region),
                         period_parse (period), value);
}

//  One region's months. south_october false leaves South County silent in
//  October (its September figures still stand). Every September report
//  came on time; in October the City level reported on the 3rd, North
//  District on the 10th (the last day on time) and South County on the
//  12th, late.
static void
s_fill (fixture_t *self, store_t *store, bool south_october)
{
    s_arrived (self, store, "city.direct", "2003-09", "2003-10-03");
    s_arrived (self, store, "city.north", "2003-09", "2003-10-06");
    s_arrived (self, store, "city.south", "2003-09", "2003-10-08");
    s_arrived (self, store, "city.direct", "2003-10", "2003-11-03");
    s_arrived (self, store, "city.north", "2003-10", "2003-11-10");
    if (south_october)
        s_arrived (self, store, "city.south", "2003-10", "2003-11-12");

    //  September
    s_set (self, store, "city.direct", "employed_new", "2003-09", 1000);
    s_set (self, store, "city.north", "employed_new", "2003-09", 5000);
    s_set (self, store, "city.south", "employed_new", "2003-09", 4000);
    s_set (self, store, "city.direct", "reemployed", "2003-09", 2000);
    s_set (self, store, "city.north", "reemployed", "2003-09", 12000);
    s_set (self, store, "city.south", "reemployed", "2003-09", 10000);

    //  October: flows add to September; cumulative and stock figures stand
    s_set (self, store, "city.direct", "employed_new", "2003-10", 484);
    s_set (self, store, "city.north", "employed_new", "2003-10", 1000);
    s_set (self, store, "city.direct", "reemployed", "2003-10", 2620);
    s_set (self, store, "city.north", "reemployed", "2003-10", 15000);
    s_set (self, store, "city.direct", "laid_off", "2003-10", 5458);
    s_set (self, store, "city.north", "laid_off", "2003-10", 40000);
    s_set (self, store, "city.direct", "new_jobs", "2003-10", 1120);
    s_set (self, store, "city.north", "new_jobs", "2003-10", 6000);
    s_set (self, store, "city.direct", "registered_unemployed", "2003-10",
           1240);
    s_set (self, store, "city.north", "registered_unemployed", "2003-10", 4000);
    s_set (self, store, "city.direct", "labour_force", "2003-10", 50000);
    s_set (self, store, "city.north", "labour_force", "2003-10", 150000);
    s_set (self, store, "city.direct", "subsidies", "2003-10", 100.25);
    s_set (self, store, "city.north", "subsidies", "2003-10", 1234.5);
    if (south_october) {
        s_set (self, store, "city.south", "employed_new", "2003-10", 316);
        s_set (self, store, "city.south", "reemployed", "2003-10", 12541);
        s_set (self, store, "city.south", "laid_off", "2003-10", 28105);
        s_set (self, store, "city.south", "new_jobs", "2003-10", 4087);
        s_set (self, store, "city.south", "registered_unemployed", "2003-10",
               3640);
        s_set (self, store, "city.south", "labour_force", "2003-10", 100000);
    }
}

//  The alerts the core's rule engine has firing on store at s_now (for =
//  0, so they fire on the first evaluation); caller frees.
static rules_notice_t *
s_alerts (const catalogue_t *catalogue, const store_t *store, int period,
          size_t *count)
{
    rules_t *rules = rules_new (catalogue, store);
    assert_non_null (rules);
    rules_evaluate (rules, period, s_now);
    rules_notice_t *alerts = rules_active (rules, count);
    rules_destroy (&rules);
    return alerts;
}

static int
s_setup (void **state)
{
    fixture_t *self = calloc (1, sizeof (fixture_t));
    assert_non_null (self);
    self->catalogue = fixture_load (s_city_zpl, &self->wording);
    self->city = fixture_find (self->catalogue, "city");
    self->north = fixture_find (self->catalogue, "city.north");
    self->south = fixture_find (self->catalogue, "city.south");
    self->october = period_parse ("2003-10");
    self->full = store_new (self->catalogue);
    self->partial = store_new (self->catalogue);
    s_fill (self, self->full, true);
    s_fill (self, self->partial, false);
    self->alerts = s_alerts (self->catalogue, self->full, self->october,
                             &self->alert_count);
    self->partial_alerts = s_alerts (self->catalogue, self->partial,
                                     self->october, &self->partial_alert_count);
    *state = self;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *self = *state;
    store_destroy (&self->full);
    store_destroy (&self->partial);
    free (self->alerts);
    free (self->partial_alerts);
    wording_destroy (&self->wording);
    catalogue_destroy (&self->catalogue);
    free (self);
    return 0;
}

//  Whether actual equals tests/golden/name byte for byte; on a difference
//  the actual output is left beside the build for `diff`. The caller frees
//  actual and then asserts, so a failure leaks nothing.
static bool
s_matches_golden (const char *name, const char *actual)
{
    char path[1024];
    snprintf (path, sizeof (path), "%s/tests/golden/%s", JT_SOURCE_DIR, name);
    if (getenv ("JT_UPDATE_GOLDEN")) {
        FILE *file = fopen (path, "wb");
        if (!file)
            return false;
        fputs (actual, file);
        fclose (file);
        print_message ("wrote %s\n", path);
        return true;
    }
    char *expected = fixture_read (path, NULL);
    if (!expected) {
        print_error ("cannot read %s\n", path);
        return false;
    }
    bool same = strcmp (expected, actual) == 0;
    free (expected);
    if (!same) {
        char actual_path[1024];
        snprintf (actual_path, sizeof (actual_path), "%s/tests/%s.actual",
                  JT_BINARY_DIR, name);
        FILE *file = fopen (actual_path, "wb");
        if (file) {
            fputs (actual, file);
            fclose (file);
        }
        print_error ("%s differs: diff %s %s\n", name, path, actual_path);
    }
    return same;
}

static json_t *
s_row (json_t *document, const char *region, const char *name)
{
    size_t index;
    json_t *row;
    json_array_foreach (json_object_get (document, "rows"), index, row)
    {
        if (strcmp (json_string_value (json_object_get (row, "region")),
                    region) == 0 &&
            strcmp (json_string_value (json_object_get (row, "name")), name) ==
                0)
            return row;
    }
    fail_msg ("no row for %s %s", region, name);
    return NULL;
}

static json_t *
s_field (json_t *document, const char *region, const char *name,
         const char *field)
{
    json_t *value = json_object_get (s_row (document, region, name), field);
    if (!value)
        fail_msg ("%s %s has no %s", region, name, field);
    return value;
}

static void
s_assert_integer (json_t *document, const char *region, const char *name,
                  const char *field, json_int_t expected)
{
    json_t *value = s_field (document, region, name, field);
    assert_true (json_is_integer (value));
    assert_int_equal (json_integer_value (value), expected);
}

//  A real as the JSON text shows it: equal to the rounded decimal.
static void
s_assert_real (json_t *document, const char *region, const char *name,
               const char *field, double expected)
{
    json_t *value = s_field (document, region, name, field);
    assert_true (json_is_real (value));
    assert_true (json_real_value (value) == expected);
}

//  Whether the last table in text is aligned: its rule and every row take
//  the same number of display columns (the last column is right-aligned),
//  no header line is wider, and it has rows regions. Prints what is wrong.
static bool
s_last_table_aligned (const char *text, size_t rows)
{
    //  The regions table is the last but the alerts section
    char *copy = strdup (text);
    char *alerts = strstr (copy, "\n\nNo active alerts.");
    if (!alerts)
        alerts = strstr (copy, "\n\n无当前告警");
    if (alerts)
        alerts[1] = 0;
    const char *table = copy;
    const char *blank;
    while ((blank = strstr (table, "\n\n")))
        table = blank + 2;
    size_t rule_width = 0, row_count = 0, header_width = 0;
    bool aligned = true;
    while (*table && *table != '*') { //  up to a footnote
        const char *end = strchr (table, '\n');
        if (!end)
            break;
        char *line = strndup (table, end - table);
        size_t width = summary_display_width (line);
        if (rule_width == 0 && line[0] == '-')
            rule_width = width;
        else if (rule_width == 0) {
            if (width > header_width)
                header_width = width;
        } else {
            row_count++;
            if (width != rule_width) {
                print_error ("row of %zu columns under a rule of %zu: %s\n",
                             width, rule_width, line);
                aligned = false;
            }
        }
        free (line);
        table = end + 1;
    }
    if (header_width > rule_width || row_count != rows) {
        print_error ("header %zu columns, rule %zu, %zu rows\n", header_width,
                     rule_width, row_count);
        aligned = false;
    }
    free (copy);
    return aligned;
}

static void
test_numbers (void **state)
{
    (void)state;
    char buffer[64];
    assert_string_equal (summary_number (11800, 0, buffer, sizeof buffer),
                         "11,800");
    assert_string_equal (
        summary_number (1234567.891, -1, buffer, sizeof buffer),
        "1,234,567.891");
    assert_string_equal (summary_number (1334.75, -1, buffer, sizeof buffer),
                         "1,334.75");
    assert_string_equal (summary_number (100, -1, buffer, sizeof buffer),
                         "100");
    assert_string_equal (summary_number (999, 0, buffer, sizeof buffer), "999");
    assert_string_equal (summary_number (-30161, 0, buffer, sizeof buffer),
                         "-30,161");
    assert_string_equal (summary_number (2.9600001, 2, buffer, sizeof buffer),
                         "2.96");
    assert_string_equal (summary_number (-0.001, 1, buffer, sizeof buffer),
                         "0.0");
    assert_string_equal (summary_number (0, 0, buffer, sizeof buffer), "0");

    assert_int_equal (summary_display_width ("Aihui District"), 14);
    assert_int_equal (summary_display_width ("黑河市"), 6);
    assert_int_equal (summary_display_width ("五大连池市 x"), 12);
    assert_int_equal (summary_display_width ("\xE2\x80\x94"), 1); //  —
    assert_int_equal (summary_display_width ("e\xCC\x81"), 1);    //  é
    assert_int_equal (summary_display_width ("\xFF"
                                             "a"),
                      2); //  bad byte

    summary_format_t format;
    assert_int_equal (summary_format_parse ("json", &format), 0);
    assert_int_equal (format, SUMMARY_JSON);
    assert_int_equal (summary_format_parse ("text", &format), 0);
    assert_int_equal (format, SUMMARY_TEXT);
    assert_int_equal (summary_format_parse ("md", &format), 0);
    assert_int_equal (format, SUMMARY_MD);
    assert_int_equal (summary_format_parse ("csv", &format), 0);
    assert_int_equal (format, SUMMARY_CSV);
    assert_int_equal (summary_format_parse ("html", &format), 0);
    assert_int_equal (format, SUMMARY_HTML);
    assert_string_equal (summary_format_name (SUMMARY_HTML), "html");
    assert_int_equal (summary_format_parse ("xml", &format), -1);
    assert_int_equal (summary_format_parse (NULL, &format), -1);
    assert_string_equal (summary_format_name (SUMMARY_JSON), "json");
}

static void
test_text_reads_like_the_report (void **state)
{
    fixture_t *self = *state;
    char *text =
        summary_render (self->catalogue, self->wording, self->full, self->city,
                        self->october, "en", SUMMARY_TEXT, NULL, 0);
    assert_non_null (strstr (
        text, "River City \xE2\x80\x94 year to date through October 2003\n"
              "All 3 of 3 regions reported for 2003-10, 2 on time; late: "
              "South County (2003-11-12).\n"));
    assert_non_null (strstr (
        text,
        "By the end of October 2003, 11,800 people found employment, 268.0% "
        "of the provincial task (4,403); 30,161 laid-off and unemployed "
        "people were re-employed, 249.0% of the task (12,113); the "
        "re-employment rate was 41.0%; 11,207 new jobs were created, 67.9% "
        "of the task (16,500), with 83.3% of the year gone; the registered "
        "urban unemployment rate was 2.96%, within the control line of "
        "2.99%.\n"));
    bool aligned = s_last_table_aligned (text, 4);
    bool same = s_matches_golden ("summary_en.txt", text);
    free (text);
    assert_true (aligned);
    assert_true (same);

    //  A child region: "the task", and a rate above its control line
    int south = self->south;
    text = summary_render (self->catalogue, self->wording, self->full, south,
                           self->october, "en", SUMMARY_TEXT, NULL, 0);
    assert_non_null (strstr (text, "South County reported for 2003-10 on "
                                   "2003-11-12, late (due by 2003-11-10).\n"));
    assert_non_null (strstr (text,
                             "the registered urban unemployment rate "
                             "was 3.64%, above the control line of 3.5%."));
    assert_null (strstr (text, "provincial"));
    free (text);
}

//  Timeliness in the coverage line: every report on time, one late, and
//  none known (a store whose figures came with no report days).
static void
test_coverage_timeliness (void **state)
{
    fixture_t *self = *state;
    int september = period_parse ("2003-09");
    char *text =
        summary_render (self->catalogue, self->wording, self->full, self->city,
                        september, "en", SUMMARY_TEXT, NULL, 0);
    assert_non_null (
        strstr (text, "\nAll 3 of 3 regions reported for 2003-09, all on "
                      "time.\n"));
    free (text);
    text =
        summary_render (self->catalogue, self->wording, self->full, self->north,
                        self->october, "en", SUMMARY_TEXT, NULL, 0);
    assert_non_null (strstr (text, "\nNorth District reported for 2003-10 on "
                                   "2003-11-10, on time.\n"));
    free (text);

    json_t *document = summary_json (self->catalogue, self->wording, self->full,
                                     self->city, september, "en", NULL, 0);
    json_t *coverage = json_object_get (document, "coverage");
    json_check_integer (coverage, "on_time", 3);
    assert_int_equal (json_array_size (json_object_get (coverage, "late")), 0);
    json_check_string (coverage, "deadline", "2003-10-10");
    json_decref (document);

    //  Every region late
    store_t *store = store_new (self->catalogue);
    s_set (self, store, "city.direct", "employed_new", "2003-10", 1);
    s_set (self, store, "city.north", "employed_new", "2003-10", 1);
    s_set (self, store, "city.south", "employed_new", "2003-10", 1);
    s_arrived (self, store, "city.direct", "2003-10", "2003-11-11");
    s_arrived (self, store, "city.north", "2003-10", "2003-12-01");
    s_arrived (self, store, "city.south", "2003-10", "2004-01-15");
    text = summary_render (self->catalogue, self->wording, store, self->city,
                           self->october, "en", SUMMARY_TEXT, NULL, 0);
    assert_non_null (strstr (
        text, "\nAll 3 of 3 regions reported for 2003-10, none on time; late: "
              "City level (2003-11-11), North District (2003-12-01), South "
              "County (2004-01-15).\n"));
    free (text);
    store_destroy (&store);

    //  No report days known: coverage only, as before timeliness
    store = store_new (self->catalogue);
    s_set (self, store, "city.direct", "employed_new", "2003-10", 1);
    s_set (self, store, "city.north", "employed_new", "2003-10", 1);
    text = summary_render (self->catalogue, self->wording, store, self->city,
                           self->october, "en", SUMMARY_TEXT, NULL, 0);
    assert_non_null (strstr (text, "\n2 of 3 regions reported for 2003-10; "
                                   "missing: South County.\n"));
    free (text);
    text = summary_render (self->catalogue, self->wording, store, self->north,
                           self->october, "en", SUMMARY_TEXT, NULL, 0);
    assert_non_null (strstr (text, "\nNorth District reported for 2003-10.\n"));
    free (text);
    document = summary_json (self->catalogue, self->wording, store, self->city,
                             self->october, "en", NULL, 0);
    coverage = json_object_get (document, "coverage");
    json_check_integer (coverage, "on_time", 0);
    assert_int_equal (json_array_size (json_object_get (coverage, "late")), 0);
    json_decref (document);
    store_destroy (&store);
}

static void
test_json_rows (void **state)
{
    fixture_t *self = *state;
    char *text =
        summary_render (self->catalogue, self->wording, self->full, self->city,
                        self->october, "en", SUMMARY_JSON, NULL, 0);
    if (!s_matches_golden ("summary_en.json", text)) {
        free (text);
        fail ();
    }
    json_error_t error;
    json_t *document = json_loads (text, 0, &error);
    free (text);
    assert_non_null (document);

    json_check_string (document, "region", "city");
    json_check_string (document, "period", "2003-10");
    json_t *coverage = json_object_get (document, "coverage");
    json_check_integer (coverage, "reported", 3);
    json_check_integer (coverage, "expected", 3);
    assert_int_equal (json_array_size (json_object_get (coverage, "missing")),
                      0);
    //  Two on time, South County late
    json_check_integer (coverage, "on_time", 2);
    json_check_one_late (coverage, "city.south", "2003-11-12");
    json_check_string (coverage, "deadline", "2003-11-10");
    assert_true (json_is_array (json_object_get (document, "alerts")));
    //  7 indicators and 2 measures, for the city and each of 3 children
    assert_int_equal (json_array_size (json_object_get (document, "rows")),
                      4 * 9);

    s_assert_integer (document, "city", "employed_new", "value", 11800);
    s_assert_integer (document, "city", "employed_new", "target", 4403);
    s_assert_real (document, "city", "employed_new", "completion_pct", 268.0);
    s_assert_real (document, "city", "employed_new", "pace_pct", 321.6);
    s_assert_integer (document, "city", "reemployed", "value", 30161);
    s_assert_real (document, "city", "reemployed", "completion_pct", 249.0);
    s_assert_integer (document, "city", "new_jobs", "value", 11207);
    s_assert_real (document, "city", "new_jobs", "completion_pct", 67.9);
    s_assert_real (document, "city", "new_jobs", "pace_pct", 81.5);
    s_assert_real (document, "city", "reemployment_rate", "value", 41.0);
    s_assert_real (document, "city", "unemployment_rate", "value", 2.96);
    s_assert_real (document, "city", "unemployment_rate", "limit", 2.99);
    s_assert_real (document, "city", "subsidies", "value", 1334.75);
    s_assert_integer (document, "city.direct", "employed_new", "value", 1484);
    s_assert_real (document, "city.direct", "employed_new", "completion_pct",
                   106.0);
    s_assert_real (document, "city.direct", "reemployment_rate", "value", 48.0);
    s_assert_real (document, "city.direct", "unemployment_rate", "value", 2.48);
    //  Not reported is null, never 0; no target, no completion
    assert_true (
        json_is_null (s_field (document, "city.south", "subsidies", "value")));
    assert_null (json_object_get (
        s_row (document, "city.north", "employed_new"), "target"));
    assert_string_equal (json_string_value (s_field (
                             document, "city", "unemployment_rate", "unit")),
                         "%");
    assert_string_equal (
        json_string_value (s_field (document, "city", "employed_new", "label")),
        "Newly employed persons");
    json_decref (document);
}

//  The Chinese summary reads as the bureau's own report: its sentence
//  frames, headers and names, the CJK table still aligned.
static void
test_chinese_names_align (void **state)
{
    fixture_t *self = *state;
    char *text =
        summary_render (self->catalogue, self->wording, self->full, self->city,
                        self->october, "zh", SUMMARY_TEXT, NULL, 0);
    assert_non_null (strstr (text, "黑河市 \xE2\x80\x94 2003年1\xE2\x80\x94"
                                   "10月累计\n"
                                   "2003年10月应报3个地区，已全部上报，其中2个"
                                   "按时上报；逾期上报：孙吴县（2003-11-12）。"
                                   "\n"));
    assert_non_null (strstr (
        text, "\n截至2003年10月底，全市新增就业11,800人，完成省下达任务的"
              "268.0%；下岗失业人员再就业30,161人，完成任务的249.0%；再就业率"
              "41.0%；新增就业岗位11,207个，完成任务的67.9%，低于时间进度"
              "（83.3%）；城镇登记失业率2.96%，控制在2.99%以内。\n"));
    assert_non_null (strstr (text, "\n爱辉区 "));
    assert_non_null (strstr (text, "新增就业人数"));
    assert_non_null (strstr (text, "\n指标 "));
    assert_non_null (strstr (text, "\n无当前告警。\n"));
    assert_null (strstr (text, "year to date"));
    assert_null (strstr (text, "Figure"));
    bool aligned = s_last_table_aligned (text, 4);
    bool same = s_matches_golden ("summary_zh.txt", text);
    free (text);
    assert_true (aligned);
    assert_true (same);

    json_t *document = summary_json (self->catalogue, self->wording, self->full,
                                     self->city, self->october, "zh", NULL, 0);
    json_check_string (document, "region_name", "黑河市");
    assert_string_equal (
        json_string_value (
            s_field (document, "city.south", "employed_new", "region_name")),
        "孙吴县");
    assert_string_equal (json_string_value (s_field (document, "city.south",
                                                     "employed_new", "label")),
                         "新增就业人数");
    //  Without a zh name, the default name stands
    assert_string_equal (json_string_value (s_field (document, "city.south",
                                                     "laid_off", "label")),
                         "Laid-off and unemployed");
    json_decref (document);
}

static void
test_missing_region (void **state)
{
    fixture_t *self = *state;
    char *text =
        summary_render (self->catalogue, self->wording, self->partial,
                        self->city, self->october, "en", SUMMARY_TEXT, NULL, 0);
    assert_non_null (strstr (text, "2 of 3 regions reported for 2003-10, 2 on "
                                   "time; missing: South County; carried: "
                                   "South County (September figure).\n"));
    //  The headline says the month is incomplete, not only the coverage
    assert_non_null (strstr (text, "By the end of October 2003 (2 of 3 "
                                   "regions reported; figures carried for "
                                   "South County), "));
    //  Its row shows its latest figures, marked as such
    assert_non_null (strstr (text, "\nSouth County *  "));
    assert_non_null (strstr (text, "\n* not reported for 2003-10: figures "
                                   "run to its latest report this year.\n"));
    bool aligned = s_last_table_aligned (text, 4);
    bool same = s_matches_golden ("summary_missing.txt", text);
    free (text);
    assert_true (aligned);
    assert_true (same);

    text =
        summary_render (self->catalogue, self->wording, self->partial,
                        self->city, self->october, "en", SUMMARY_JSON, NULL, 0);
    if (!s_matches_golden ("summary_missing.json", text)) {
        free (text);
        fail ();
    }
    json_error_t error;
    json_t *document = json_loads (text, 0, &error);
    free (text);
    assert_non_null (document);
    json_t *coverage = json_object_get (document, "coverage");
    json_check_integer (coverage, "reported", 2);
    json_check_integer (coverage, "expected", 3);
    json_t *missing = json_object_get (coverage, "missing");
    assert_int_equal (json_array_size (missing), 1);
    assert_string_equal (json_string_value (json_array_get (missing, 0)),
                         "city.south");
    json_check_integer (coverage, "on_time", 2);
    assert_int_equal (json_array_size (json_object_get (coverage, "late")), 0);
    //  South County's September stands in the city's cumulative total,
    //  named as carried in the coverage and in the rows it is part of
    json_t *carried = json_object_get (coverage, "carried");
    assert_int_equal (json_array_size (carried), 1);
    assert_string_equal (json_string_value (json_object_get (
                             json_array_get (carried, 0), "region")),
                         "city.south");
    assert_string_equal (json_string_value (json_object_get (
                             json_array_get (carried, 0), "from")),
                         "2003-09");
    s_assert_integer (document, "city", "reemployed", "value", 27620);
    assert_string_equal (
        json_string_value (json_object_get (
            json_array_get (s_field (document, "city", "reemployed", "carried"),
                            0),
            "from")),
        "2003-09");
    assert_null (
        json_object_get (s_row (document, "city", "employed_new"), "carried"));
    //  South County's flow still counts its September; what it never
    //  reported is null, not 0
    s_assert_integer (document, "city.south", "employed_new", "value", 4000);
    assert_true (
        json_is_null (s_field (document, "city.south", "new_jobs", "value")));
    assert_true (json_is_null (
        s_field (document, "city.south", "unemployment_rate", "value")));
    json_decref (document);

    //  A leaf that did not report says so
    text = summary_render (self->catalogue, self->wording, self->partial,
                           self->south, self->october, "en", SUMMARY_TEXT, NULL,
                           0);
    assert_non_null (strstr (text, "South County has not reported for "
                                   "2003-10. Its September figure is "
                                   "carried.\n"));
    assert_non_null (strstr (text, "new jobs were created") == NULL
                         ? strstr (text, "New jobs: not reported")
                         : NULL);
    free (text);
}

//  A child with parts is judged by its leaves: incomplete while one has
//  not reported, late when its last one reported after the deadline.
static void
test_child_with_parts (void **state)
{
    (void)state;
    wording_t *wording = NULL;
    catalogue_t *catalogue =
        fixture_load ("catalogue\n"
                      "    year = 2003\n"
                      "regions\n"
                      "    city = \"City\"\n"
                      "        city.a = \"County A\"\n"
                      "            city.a.t1 = \"Town 1\"\n"
                      "            city.a.t2 = \"Town 2\"\n"
                      "        city.b = \"County B\"\n"
                      "indicators\n"
                      "    employed_new\n"
                      "        time = flow\n",
                      &wording);
    assert_non_null (catalogue);
    store_t *store = store_new (catalogue);
    int october = period_parse ("2003-10");
    const char *leaves[] = {"city.a.t1", "city.b", "city.a.t2"};
    const char *days[] = {"2003-11-02", "2003-11-04", "2003-11-20"};
    for (int index = 0; index < 2; index++) {
        int region = catalogue_region_find (catalogue, leaves[index]);
        assert_int_equal (store_apply (store, region, 0, october, 5000, false),
                          JT_OK);
        store_mark_reported (store, region, october,
                             period_day_parse (days[index]));
    }
    int city = catalogue_region_find (catalogue, "city");
    char *text = summary_render (catalogue, wording, store, city, october, "en",
                                 SUMMARY_TEXT, NULL, 0);
    assert_non_null (strstr (text, "\nAll 2 of 2 regions reported for 2003-10, "
                                   "1 on time; incomplete: County A.\n"));
    free (text);
    json_t *document =
        summary_json (catalogue, wording, store, city, october, "en", NULL, 0);
    json_t *coverage = json_object_get (document, "coverage");
    json_t *incomplete = json_object_get (coverage, "incomplete");
    assert_int_equal (json_array_size (incomplete), 1);
    assert_string_equal (json_string_value (json_array_get (incomplete, 0)),
                         "city.a");
    json_decref (document);

    //  Town 2 reports on the 20th: County A is complete, and late
    int region = catalogue_region_find (catalogue, leaves[2]);
    assert_int_equal (store_apply (store, region, 0, october, 5000, false),
                      JT_OK);
    store_mark_reported (store, region, october, period_day_parse (days[2]));
    text = summary_render (catalogue, wording, store, city, october, "en",
                           SUMMARY_TEXT, NULL, 0);
    assert_non_null (strstr (text,
                             "\nAll 2 of 2 regions reported for 2003-10, "
                             "1 on time; late: County A (2003-11-20).\n"));
    free (text);
    store_destroy (&store);
    wording_destroy (&wording);
    catalogue_destroy (&catalogue);
}

//  A child region in Chinese: its own name as the subject, a rate above
//  its control line, a missing county and the footnote.
static void
test_chinese_frames (void **state)
{
    fixture_t *self = *state;
    char *text =
        summary_render (self->catalogue, self->wording, self->full, self->south,
                        self->october, "zh", SUMMARY_TEXT, NULL, 0);
    assert_non_null (strstr (text, "孙吴县于2003-11-12上报2003年10月报表，"
                                   "逾期（截止日期2003-11-10）。\n"));
    assert_non_null (
        strstr (text, "截至2003年10月底，孙吴县新增就业4,316人；"));
    assert_non_null (strstr (text, "城镇登记失业率3.64%，超过3.5%的控制线。"));
    assert_null (strstr (text, "省下达"));
    free (text);

    text =
        summary_render (self->catalogue, self->wording, self->partial,
                        self->city, self->october, "zh", SUMMARY_TEXT, NULL, 0);
    assert_non_null (strstr (text, "2003年10月应报3个地区，已上报2个，其中2个"
                                   "按时上报；未上报：孙吴县；沿用前期数："
                                   "孙吴县（9月数）。\n"));
    assert_non_null (strstr (text, "截至2003年10月底（应报3个地区，已上报2个；"
                                   "沿用前期数：孙吴县），全市"));
    assert_non_null (strstr (text, "\n孙吴县 *  "));
    assert_non_null (
        strstr (text, "\n* 2003年10月未上报：数据截至其本年最近一次上报。\n"));
    assert_true (s_last_table_aligned (text, 4));
    free (text);
}

//  The rule engine's alerts in every format: the text's section, the
//  JSON's array (DESIGN §6) and what the partial store adds (silence).
static void
test_alerts (void **state)
{
    fixture_t *self = *state;
    //  new_jobs at 81.5% of pace in the city; South County above 3.5%
    assert_int_equal (self->alert_count, 2);
    assert_non_null (self->alerts);
    char *text = summary_render (self->catalogue, self->wording, self->full,
                                 self->city, self->october, "en", SUMMARY_TEXT,
                                 self->alerts, self->alert_count);
    assert_non_null (strstr (text, "\n\nActive alerts:\n"));
    assert_non_null (strstr (text, "\nwarning   new_jobs_behind_pace    River "
                                   "City    81.5% < 90%   2003-11-20 "
                                   "00:00 UTC\n"));
    assert_non_null (strstr (text, "\ncritical  unemployment_over_line  South "
                                   "County  3.64% > 3.5%  2003-11-20 "
                                   "00:00 UTC\n"));
    assert_null (strstr (text, "No active alerts."));
    bool same = s_matches_golden ("summary_alerts_en.txt", text);
    free (text);
    assert_true (same);

    text = summary_render (self->catalogue, self->wording, self->full,
                           self->city, self->october, "zh", SUMMARY_TEXT,
                           self->alerts, self->alert_count);
    assert_non_null (strstr (text, "\n当前告警：\n"));
    assert_non_null (strstr (text, "\n警告  new_jobs_behind_pace    黑河市  "));
    assert_non_null (strstr (text, "\n严重  unemployment_over_line  孙吴县  "
                                   "3.64% > 3.5%"));
    same = s_matches_golden ("summary_alerts_zh.txt", text);
    free (text);
    assert_true (same);

    json_t *document =
        summary_json (self->catalogue, self->wording, self->full, self->city,
                      self->october, "en", self->alerts, self->alert_count);
    json_t *alerts = json_object_get (document, "alerts");
    assert_int_equal (json_array_size (alerts), 2);
    json_t *alert = json_array_get (alerts, 0);
    json_check_string (alert, "rule", "new_jobs_behind_pace");
    json_check_string (alert, "region", "city");
    json_check_string (alert, "severity", "warning");
    //  The engine's pace, unrounded: 67.92 / 83.33 * 100, to 3 decimals
    double pace = json_real_value (json_object_get (alert, "value"));
    assert_true (pace > 81.45 && pace < 81.55);
    assert_true (json_real_value (json_object_get (alert, "threshold")) == 90);
    json_check_string (alert, "period", "2003-10");
    json_check_string (alert, "since", "2003-11-20T00:00:00Z");
    json_check_string (alert, "key", "new_jobs_behind_pace/city/2003-10");
    json_decref (document);
    text = summary_render (self->catalogue, self->wording, self->full,
                           self->city, self->october, "en", SUMMARY_JSON,
                           self->alerts, self->alert_count);
    same = s_matches_golden ("summary_alerts_en.json", text);
    free (text);
    assert_true (same);

    //  South County silent in October: silence (19 days since October
    //  ended, against 10; since the deadline passed). The city's own
    //  figures are not judged while a county is missing (no new_jobs
    //  alert at the city on the partial store).
    bool silence = false;
    for (size_t index = 0; index < self->partial_alert_count; index++)
        if (strcmp (self->partial_alerts[index].key,
                    "county_silent/city.south/2003-10") == 0)
            silence = true;
    assert_true (silence);
    text = summary_render (self->catalogue, self->wording, self->partial,
                           self->city, self->october, "en", SUMMARY_TEXT,
                           self->partial_alerts, self->partial_alert_count);
    assert_non_null (strstr (text, "\ninfo      county_silent  South "
                                   "County  19 days > 10 days  2003-11-11 "
                                   "00:00 UTC\n"));
    assert_null (strstr (text, "new_jobs_behind_pace"));
    free (text);
}

//  Markdown: the report's sections as GitHub tables, en and zh.
static void
test_markdown (void **state)
{
    fixture_t *self = *state;
    char *text = summary_render (self->catalogue, self->wording, self->full,
                                 self->city, self->october, "en", SUMMARY_MD,
                                 self->alerts, self->alert_count);
    assert_true (strncmp (text,
                          "# River City \xE2\x80\x94 year to date through "
                          "October 2003\n\nAll 3 of 3 regions reported for "
                          "2003-10, 2 on time; late: South County "
                          "(2003-11-12).\n\nBy the end of October 2003, "
                          "11,800 people found employment, 268.0% of the "
                          "provincial task (4,403);",
                          strlen ("# River City")) == 0);
    assert_non_null (strstr (text, "\n\nBy the end of October 2003, 11,800 "
                                   "people found employment, 268.0% of the "
                                   "provincial task (4,403);"));
    assert_non_null (strstr (text, "\n## Figures\n\n| Figure | Value | Unit | "
                                   "Target | Completion | Pace |\n"
                                   "|---|---:|---|---:|---:|---:|\n"
                                   "| Newly employed persons | 11,800 | "
                                   "persons | 4,403 | 268.0% | 321.6% |\n"));
    assert_non_null (strstr (text, "\n| New jobs | 11,207 | jobs | 16,500 | "
                                   "67.9% | 81.5% |\n"));
    assert_non_null (strstr (text, "\n## By region\n\n| Region | Newly "
                                   "employed persons | % of task |"));
    assert_non_null (strstr (text, "\n| South County | 4,316 |  | 12,541 |"));
    assert_non_null (strstr (text, "\n## Active alerts\n\n| Severity | Rule | "
                                   "Region | Value vs threshold | Since |\n"));
    //  "<" and ">" escaped, so that no name makes HTML
    assert_non_null (strstr (text, "\n| critical | unemployment_over_line | "
                                   "South County | 3.64% \\> 3.5% | "
                                   "2003-11-20 00:00 UTC |\n"));
    bool same = s_matches_golden ("summary_en.md", text);
    free (text);
    assert_true (same);

    text =
        summary_render (self->catalogue, self->wording, self->partial,
                        self->city, self->october, "zh", SUMMARY_MD, NULL, 0);
    assert_non_null (strstr (text, "\n## 主要指标\n\n| 指标 | 数值 | 单位 | "
                                   "年度任务 | 完成率 | 进度比 |\n"));
    assert_non_null (strstr (text, "\n| 孙吴县 \\* | 4,000 |"));
    assert_non_null (strstr (text, "\n\\* 2003年10月未上报"));
    assert_non_null (strstr (text, "\n## 当前告警\n\n无当前告警。\n"));
    same = s_matches_golden ("summary_zh.md", text);
    free (text);
    assert_true (same);
}

//  CSV: one RFC 4180 row per (region, figure) like the JSON's, absent
//  values empty (never 0), fields with commas quoted.
static void
test_csv (void **state)
{
    fixture_t *self = *state;
    char *text = summary_render (self->catalogue, self->wording, self->full,
                                 self->city, self->october, "en", SUMMARY_CSV,
                                 self->alerts, self->alert_count);
    assert_true (strncmp (text,
                          "region,region_name,name,label,unit,period,value,"
                          "target,completion_pct,pace_pct,limit,carried\r\n",
                          strlen ("region,region_name,name,label,unit,period,"
                                  "value,target,completion_pct,pace_pct,"
                                  "limit,carried\r\n")) == 0);
    assert_int_equal (fixture_count (text, "\r\n"), 1 + 4 * 9);
    assert_int_equal (fixture_count (text, "\n"), 1 + 4 * 9);
    assert_non_null (strstr (text, "\r\ncity,River City,new_jobs,New jobs,"
                                   "jobs,2003-10,11207,16500,67.9,81.5,,\r\n"));
    assert_non_null (strstr (text, "\r\ncity,River City,employed_new,Newly "
                                   "employed persons,persons,2003-10,11800,"
                                   "4403,268.0,321.6,,\r\n"));
    assert_non_null (strstr (text, "\r\ncity,River City,unemployment_rate,"
                                   "Unemployment rate,%,2003-10,2.96,,,,"
                                   "2.99,\r\n"));
    assert_non_null (strstr (text, "\r\ncity,River City,subsidies,Subsidies "
                                   "paid,yuan,2003-10,1334.75,,,,,\r\n"));
    //  Not reported is empty, not 0
    assert_non_null (strstr (text, "\r\ncity.south,South County,subsidies,"
                                   "Subsidies paid,yuan,2003-10,,,,,,\r\n"));
    //  A target with no value: target, and no completion
    assert_non_null (strstr (text, "\r\ncity.direct,City level,reemployed,"
                                   "Re-employed persons,persons,2003-10,"
                                   "2620,,,,,\r\n"));
    bool same = s_matches_golden ("summary_en.csv", text);
    free (text);
    assert_true (same);

    text =
        summary_render (self->catalogue, self->wording, self->partial,
                        self->city, self->october, "zh", SUMMARY_CSV, NULL, 0);
    assert_non_null (strstr (text, "\r\ncity.south,孙吴县,new_jobs,新增就业"
                                   "岗位,jobs,2003-10,,,,,,\r\n"));
    //  The carried column names the leaf and the month it is from
    assert_non_null (strstr (text, "\r\ncity,黑河市,reemployed,"));
    assert_non_null (strstr (strstr (text, "\r\ncity,黑河市,reemployed,"),
                             ",city.south:2003-09\r\n"));
    same = s_matches_golden ("summary_zh.csv", text);
    free (text);
    assert_true (same);

    //  RFC 4180 quoting of names with a comma or a quote
    wording_t *wording = NULL;
    catalogue_t *catalogue =
        fixture_load ("catalogue\n"
                      "    year = 2003\n"
                      "regions\n"
                      "    city = 'Town, \"Old\"'\n"
                      "indicators\n"
                      "    employed_new\n"
                      "        name = \"Newly employed, all\"\n"
                      "        time = flow\n",
                      &wording);
    assert_non_null (catalogue);
    store_t *store = store_new (catalogue);
    assert_int_equal (store_apply (store, 0, 0, self->october, 5000, false),
                      JT_OK);
    text = summary_render (catalogue, wording, store, 0, self->october, "en",
                           SUMMARY_CSV, NULL, 0);
    assert_string_equal (text, "region,region_name,name,label,unit,period,"
                               "value,target,completion_pct,pace_pct,limit,"
                               "carried\r\n"
                               "city,\"Town, \"\"Old\"\"\",employed_new,"
                               "\"Newly employed, all\",,2003-10,5,,,,,\r\n");
    free (text);
    store_destroy (&store);
    wording_destroy (&wording);
    catalogue_destroy (&catalogue);
}

//  HTML: one self-contained page with three SVG charts, every name
//  escaped, nothing fetched.
static void
test_html (void **state)
{
    fixture_t *self = *state;
    char *text = summary_render (self->catalogue, self->wording, self->full,
                                 self->city, self->october, "en", SUMMARY_HTML,
                                 self->alerts, self->alert_count);
    assert_true (strncmp (text, "<!DOCTYPE html>\n<html lang=\"en\">", 32) ==
                 0);
    assert_non_null (strstr (text, "<meta charset=\"utf-8\">"));
    assert_int_equal (fixture_count (text, "<svg"), 3);
    assert_int_equal (fixture_count (text, "</svg>"), 3);
    //  The only "http" is the SVG namespace, once per chart
    assert_int_equal (fixture_count (text, "http"), 3);
    assert_int_equal (
        fixture_count (text, "xmlns=\"http://www.w3.org/2000/svg\""), 3);
    assert_null (strstr (text, "<script"));
    assert_null (strstr (text, "<link"));
    assert_null (strstr (text, "<img"));
    assert_null (strstr (text, "url("));
    assert_null (strstr (text, "@import"));
    assert_non_null (strstr (text, "<h1>River City \xE2\x80\x94 year to date "
                                   "through October 2003</h1>"));
    assert_non_null (strstr (text, "11,207 new jobs were created, 67.9% of "
                                   "the task (16,500), with 83.3% of the "
                                   "year gone;"));
    //  Chart (a): the pace line's legend; (b) the control line; (c) months
    assert_non_null (strstr (text, "Pace: 83.3% of the year gone"));
    assert_non_null (strstr (text, "Control line"));
    assert_non_null (strstr (text, ">Oct</text>"));
    assert_non_null (strstr (text, "<td>new_jobs_behind_pace</td>"));
    assert_non_null (strstr (text, "<tr class=\"critical\">"));
    //  Trend: October's own new jobs, and a cumulative figure's month is
    //  the change from September (24,000 to 30,161: 6,161)
    assert_non_null (strstr (text, "New jobs, October: 11,207</title>"));
    assert_non_null (
        strstr (text, "Re-employed persons, October: 6,161</title>"));
    bool same = s_matches_golden ("summary_en.html", text);
    free (text);
    assert_true (same);

    text = summary_render (self->catalogue, self->wording, self->partial,
                           self->city, self->october, "zh", SUMMARY_HTML,
                           self->partial_alerts, self->partial_alert_count);
    assert_non_null (strstr (text, "<html lang=\"zh-CN\">"));
    assert_int_equal (fixture_count (text, "<svg"), 3);
    assert_int_equal (fixture_count (text, "http"), 3);
    assert_non_null (strstr (text, "各地区年度任务完成情况"));
    assert_non_null (strstr (text, "时间进度：83.3%"));
    same = s_matches_golden ("summary_zh.html", text);
    free (text);
    assert_true (same);

    //  A county alone: no task there, so no completion chart; its rate
    //  and its months still are
    text =
        summary_render (self->catalogue, self->wording, self->full, self->south,
                        self->october, "en", SUMMARY_HTML, NULL, 0);
    assert_int_equal (fixture_count (text, "<svg"), 2);
    assert_non_null (strstr (text, "New jobs, October: 4,087</title>"));
    free (text);

    //  Names from the catalogue are escaped, in the page and in the charts
    wording_t *wording = NULL;
    catalogue_t *catalogue = fixture_load ("catalogue\n"
                                           "    year = 2003\n"
                                           "regions\n"
                                           "    city = \"<b>Town</b> & 'Co'\"\n"
                                           "        city.a = \"A<script>\"\n"
                                           "indicators\n"
                                           "    employed_new\n"
                                           "        name = 'Jobs \"new\" <i>'\n"
                                           "        time = flow\n"
                                           "targets\n"
                                           "    city\n"
                                           "        employed_new = 10\n"
                                           "summary\n"
                                           "    headline = employed_new\n",
                                           &wording);
    assert_non_null (catalogue);
    store_t *store = store_new (catalogue);
    assert_int_equal (store_apply (store, 1, 0, self->october, 5000, false),
                      JT_OK);
    text = summary_render (catalogue, wording, store, 0, self->october, "en",
                           SUMMARY_HTML, NULL, 0);
    assert_null (strstr (text, "<b>"));
    assert_null (strstr (text, "<i>"));
    assert_null (strstr (text, "<script"));
    assert_non_null (
        strstr (text, "&lt;b&gt;Town&lt;/b&gt; &amp; &#39;Co&#39;"));
    assert_non_null (strstr (text, "A&lt;script&gt;"));
    free (text);
    store_destroy (&store);
    wording_destroy (&wording);
    catalogue_destroy (&catalogue);
}

//  Exact ties, and figures that only look tied, in every format: 5 of a
//  task of 16 is 31.25%, shown 31.3% in text, Markdown, CSV, JSON and
//  HTML alike (printf's "%.1f" wrote 31.2 where the JSON said 31.3); 23 of
//  80 is 28.75%, which the double holds as 28.749999999999996, shown 28.8%
//  everywhere. A figure shown against a line gets the decimals that tell
//  the two apart: a pace of 89.97% below 90 reads "89.97% < 90%", not
//  "90.0% < 90%".
static const char *s_ties_zpl = "catalogue\n"
                                "    year = 2003\n"
                                "regions\n"
                                "    town = \"Town\"\n"
                                "        town.a = \"Ward A\"\n"
                                "        town.b = \"Ward B\"\n"
                                "indicators\n"
                                "    placed\n"
                                "        name = \"Placed\"\n"
                                "        unit = persons\n"
                                "        time = flow\n"
                                "        phrase = \"people were placed\"\n"
                                "    asked\n"
                                "        unit = persons\n"
                                "        time = flow\n"
                                "    seen\n"
                                "        unit = persons\n"
                                "        time = flow\n"
                                "measures\n"
                                "    share\n"
                                "        name = \"Share seen\"\n"
                                "        numerator = seen\n"
                                "        denominator = asked\n"
                                "        scale = 100\n"
                                "        unit = \"%\"\n"
                                "        decimals = 1\n"
                                "        phrase = \"share seen\"\n"
                                "targets\n"
                                "    town\n"
                                "        placed = 10000\n"
                                "    town.a\n"
                                "        placed = 16\n"
                                "limits\n"
                                "    town.a\n"
                                "        share = 28.8\n"
                                "rules\n"
                                "    placed_behind_pace\n"
                                "        kind = threshold\n"
                                "        figure = placed.pace\n"
                                "        below = 90\n"
                                "        regions = town\n"
                                "summary\n"
                                "    headline = \"placed share\"\n"
                                "    columns = \"placed share\"\n";

//  An outlier alert in the alert table: the leaf's figure against the
//  bound it broke, with its unit, in text and in Chinese.
static void
test_outlier_alert_row (void **state)
{
    (void)state;
    wording_t *wording = NULL;
    catalogue_t *catalogue = fixture_load ("catalogue\n"
                                           "    year = 2003\n"
                                           "regions\n"
                                           "    city = \"River City\"\n"
                                           "        city.a = \"North County\"\n"
                                           "indicators\n"
                                           "    employed_new\n"
                                           "        name = \"Newly employed\"\n"
                                           "        unit = persons\n"
                                           "        time = flow\n"
                                           "        max = 20000\n"
                                           "rules\n"
                                           "    odd_new_jobs\n"
                                           "        kind = outlier\n"
                                           "        figure = employed_new\n"
                                           "        regions = city\n"
                                           "names\n"
                                           "    zh\n"
                                           "        city.a = \"北县\"\n",
                                           &wording);
    assert_non_null (catalogue);
    int city = catalogue_region_find (catalogue, "city");
    int north = catalogue_region_find (catalogue, "city.a");
    int october = period_parse ("2003-10");
    store_t *store = store_new (catalogue);
    assert_int_equal (
        store_apply (store, north, 0, october, 98000 * JT_SCALE, false), JT_OK);
    size_t alert_count;
    rules_notice_t *alerts = s_alerts (catalogue, store, october, &alert_count);
    assert_int_equal (alert_count, 1);
    assert_string_equal (alerts[0].key, "odd_new_jobs/city.a/2003-10");
    char *text = summary_render (catalogue, wording, store, city, october, "en",
                                 SUMMARY_TEXT, alerts, alert_count);
    assert_non_null (strstr (text, "odd_new_jobs  North County  98,000 persons "
                                   "> 20,000 persons"));
    free (text);
    text = summary_render (catalogue, wording, store, city, october, "zh",
                           SUMMARY_TEXT, alerts, alert_count);
    assert_non_null (strstr (text, "北县"));
    assert_non_null (strstr (text, "98,000人 > 20,000人"));
    free (text);
    free (alerts);
    store_destroy (&store);
    wording_destroy (&wording);
    catalogue_destroy (&catalogue);
}

static void
test_ties_in_every_format (void **state)
{
    (void)state;
    wording_t *wording = NULL;
    catalogue_t *catalogue = fixture_load (s_ties_zpl, &wording);
    assert_non_null (catalogue);
    int town = catalogue_region_find (catalogue, "town");
    int ward_a = catalogue_region_find (catalogue, "town.a");
    int ward_b = catalogue_region_find (catalogue, "town.b");
    int placed = catalogue_indicator_find (catalogue, "placed");
    int asked = catalogue_indicator_find (catalogue, "asked");
    int seen = catalogue_indicator_find (catalogue, "seen");
    //  December: the whole year gone, so pace equals completion
    int december = period_parse ("2003-12");
    store_t *store = store_new (catalogue);
    struct {
        int region, indicator, units;
    } cells[] = {{ward_a, placed, 5}, {ward_b, placed, 8992},
                 {ward_a, asked, 80}, {ward_a, seen, 23},
                 {ward_b, asked, 80}, {ward_b, seen, 17}};
    for (size_t index = 0; index < sizeof (cells) / sizeof (cells[0]); index++)
        assert_int_equal (store_apply (store, cells[index].region,
                                       cells[index].indicator, december,
                                       cells[index].units * JT_SCALE, false),
                          JT_OK);
    //  The town placed 8,997 of 10,000: 89.97% at the end of the year
    size_t alert_count;
    rules_notice_t *alerts =
        s_alerts (catalogue, store, december, &alert_count);
    assert_int_equal (alert_count, 1);

    //  Text: the headline, the figures table, the alert
    char *text = summary_render (catalogue, wording, store, ward_a, december,
                                 "en", SUMMARY_TEXT, NULL, 0);
    assert_non_null (strstr (text, "5 people were placed, 31.3% of the task "
                                   "(16), with 100.0% of the year gone; the "
                                   "share seen was 28.75%, within the "
                                   "control line of 28.8%.\n"));
    assert_non_null (strstr (text, "  31.3%  31.3%\n"));
    assert_null (strstr (text, "31.2%"));
    free (text);
    text = summary_render (catalogue, wording, store, town, december, "en",
                           SUMMARY_TEXT, alerts, alert_count);
    assert_non_null (strstr (text, "  89.97% < 90%  "));
    assert_null (strstr (text, "90.0% < 90%"));
    //  The wards' rows in the regions table: % of task and the share
    //  (17 of 80 is 21.25%, held exactly: 21.3%)
    assert_non_null (strstr (text, "\nWard A       5  31.3%  28.8%\n"));
    assert_non_null (strstr (text, "\nWard B   8,992         21.3%\n"));
    free (text);
    text = summary_render (catalogue, wording, store, ward_a, december, "zh",
                           SUMMARY_TEXT, NULL, 0);
    assert_non_null (strstr (text, "，完成任务的31.3%"));
    assert_non_null (strstr (text, "28.75%，控制在28.8%以内"));
    free (text);

    //  Markdown
    text = summary_render (catalogue, wording, store, town, december, "en",
                           SUMMARY_MD, alerts, alert_count);
    assert_non_null (strstr (text, "\n| Ward A | 5 | 31.3% | 28.8% |\n"));
    assert_non_null (strstr (text, " | 89.97% \\< 90% | "));
    free (text);
    text = summary_render (catalogue, wording, store, ward_a, december, "en",
                           SUMMARY_MD, NULL, 0);
    assert_non_null (
        strstr (text, "\n| Placed | 5 | persons | 16 | 31.3% | 31.3% |\n"));
    assert_non_null (strstr (text, "\n| Share seen | 28.8 | % |  |  |  |\n"));
    free (text);

    //  CSV
    text = summary_render (catalogue, wording, store, town, december, "en",
                           SUMMARY_CSV, NULL, 0);
    assert_non_null (strstr (text, "\r\ntown.a,Ward A,placed,Placed,persons,"
                                   "2003-12,5,16,31.3,31.3,,\r\n"));
    assert_non_null (strstr (text, "\r\ntown.a,Ward A,share,Share seen,%,"
                                   "2003-12,28.8,,,,28.8,\r\n"));
    assert_non_null (strstr (text, "\r\ntown,Town,placed,Placed,persons,"
                                   "2003-12,8997,10000,90.0,90.0,,\r\n"));
    free (text);

    //  JSON: the same numbers as the text, and the alert's to 3 decimals
    json_t *document = summary_json (catalogue, wording, store, town, december,
                                     "en", alerts, alert_count);
    s_assert_real (document, "town.a", "placed", "completion_pct", 31.3);
    s_assert_real (document, "town.a", "placed", "pace_pct", 31.3);
    s_assert_real (document, "town.a", "share", "value", 28.8);
    s_assert_real (document, "town", "placed", "pace_pct", 90.0);
    json_t *alert = json_array_get (json_object_get (document, "alerts"), 0);
    assert_true (json_real_value (json_object_get (alert, "value")) == 89.97);
    assert_true (json_real_value (json_object_get (alert, "threshold")) == 90);
    json_decref (document);
    text = summary_render (catalogue, wording, store, town, december, "en",
                           SUMMARY_JSON, alerts, alert_count);
    assert_non_null (strstr (text, "\"completion_pct\": 31.3,"));
    assert_non_null (strstr (text, "\"value\": 89.97,"));
    free (text);

    //  HTML: the tables, the headline and the completion chart's labels
    text = summary_render (catalogue, wording, store, town, december, "en",
                           SUMMARY_HTML, alerts, alert_count);
    assert_non_null (strstr (text, "Ward A: 31.3%</title>"));
    assert_non_null (strstr (text, ">89.97% &lt; 90%<"));
    assert_null (strstr (text, "31.2%"));
    assert_null (strstr (text, "28.7%"));
    free (text);

    free (alerts);
    store_destroy (&store);
    wording_destroy (&wording);
    catalogue_destroy (&catalogue);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_numbers),
        cmocka_unit_test_setup_teardown (test_text_reads_like_the_report,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_json_rows, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_chinese_names_align, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_missing_region, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_coverage_timeliness, s_setup,
                                         s_teardown),
        cmocka_unit_test (test_child_with_parts),
        cmocka_unit_test_setup_teardown (test_chinese_frames, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_alerts, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_markdown, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_csv, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_html, s_setup, s_teardown),
        cmocka_unit_test (test_ties_in_every_format),
        cmocka_unit_test (test_outlier_alert_row),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
