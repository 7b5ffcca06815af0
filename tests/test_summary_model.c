/*  test_summary_model.c — the summary's model (reporter/summary_model.h),
    read as a user checks a report: who was expected to report and how
    each stands, which figure is carried from which month, the rows of the
    region and its children, the headline's clauses, the month-by-month
    series, and the alert and restatement rows. The writers only print
    this; test_summary checks what they print. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "summary_model.h"
#include "period.h"

//  Three leaves under a city. In 2003 every leaf reports September; in
//  October the City level reports on time, North District late and South
//  County not at all, so its stock is carried from September.
static const char *s_city_zpl =
    "catalogue\n"
    "    year = 2003\n"
    "    on_time_days = 10\n"
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
    "    registered_unemployed\n"
    "        name = \"Registered unemployed\"\n"
    "        unit = persons\n"
    "        time = stock\n"
    "    labour_force\n"
    "        name = \"Urban labour force\"\n"
    "        unit = persons\n"
    "        time = stock\n"
    "\n"
    "measures\n"
    "    unemployment_rate\n"
    "        name = \"Unemployment rate\"\n"
    "        numerator = registered_unemployed\n"
    "        denominator = labour_force\n"
    "        scale = 100\n"
    "        unit = \"%\"\n"
    "        decimals = 2\n"
    "\n"
    "targets\n"
    "    city\n"
    "        employed_new = 4400\n"
    "\n"
    "limits\n"
    "    city\n"
    "        unemployment_rate = 2.99\n"
    "\n"
    "rules\n"
    "    unemployment_over_line\n"
    "        kind = threshold\n"
    "        figure = unemployment_rate\n"
    "        above = 0.5\n"
    "        regions = \"city\"\n"
    "    employment_restated_down\n"
    "        kind = restatement\n"
    "        figure = employed_new\n"
    "        drop_pct = 20\n"
    "        regions = \"city.*\"\n"
    "\n"
    "summary\n"
    "    headline = \"employed_new unemployment_rate\"\n";

typedef struct {
    catalogue_t *catalogue;
    wording_t *wording; //  read from the same text
    store_t *store;
    int city, direct, north, south;
    int employed_new, registered_unemployed, labour_force, unemployment_rate;
    int october;
} fixture_t;

static void
s_set (fixture_t *self, const char *region, const char *indicator,
       const char *period, int units)
{
    fixture_set_units (self->store, self->catalogue, region, indicator, period,
                       units);
}

static void
s_arrived (fixture_t *self, const char *region, const char *period,
           const char *day)
{
    store_mark_reported (self->store, fixture_find (self->catalogue, region),
                         period_parse (period), period_day_parse (day));
}

static int
s_setup (void **state)
{
    fixture_t *self = calloc (1, sizeof (fixture_t));
    assert_non_null (self);
    self->catalogue = fixture_load (s_city_zpl, &self->wording);
    self->store = store_new (self->catalogue);
    self->city = fixture_find (self->catalogue, "city");
    self->direct = fixture_find (self->catalogue, "city.direct");
    self->north = fixture_find (self->catalogue, "city.north");
    self->south = fixture_find (self->catalogue, "city.south");
    self->employed_new = fixture_find (self->catalogue, "employed_new");
    self->registered_unemployed =
        fixture_find (self->catalogue, "registered_unemployed");
    self->labour_force = fixture_find (self->catalogue, "labour_force");
    self->unemployment_rate =
        fixture_find (self->catalogue, "unemployment_rate");
    self->october = period_parse ("2003-10");

    const char *leaves[] = {"city.direct", "city.north", "city.south"};
    const char *september_days[] = {"2003-10-03", "2003-10-05", "2003-10-06"};
    for (int index = 0; index < 3; index++) {
        s_arrived (self, leaves[index], "2003-09", september_days[index]);
        s_set (self, leaves[index], "employed_new", "2003-09",
               1000 * (index + 1));
        s_set (self, leaves[index], "registered_unemployed", "2003-09",
               100 * (index + 1));
        s_set (self, leaves[index], "labour_force", "2003-09",
               10000 * (index + 1));
    }
    s_arrived (self, "city.direct", "2003-10", "2003-11-03");
    s_arrived (self, "city.north", "2003-10", "2003-11-14");
    s_set (self, "city.direct", "employed_new", "2003-10", 400);
    s_set (self, "city.north", "employed_new", "2003-10", 600);
    s_set (self, "city.direct", "registered_unemployed", "2003-10", 110);
    s_set (self, "city.north", "registered_unemployed", "2003-10", 190);
    s_set (self, "city.direct", "labour_force", "2003-10", 10000);
    s_set (self, "city.north", "labour_force", "2003-10", 20000);
    *state = self;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *self = *state;
    store_destroy (&self->store);
    wording_destroy (&self->wording);
    catalogue_destroy (&self->catalogue);
    free (self);
    return 0;
}

static int
s_day (const char *text)
{
    return period_day_parse (text);
}

//  Coverage: 2 of 3 reported, the City level on time, North District late
//  with the day it came, South County missing; its stock is carried from
//  September; reports were due by 10 November.
static void
test_coverage_names_each_expected_region (void **state)
{
    fixture_t *fx = *state;
    summary_model_t *model =
        summary_model_new (fx->catalogue, fx->wording, fx->store, fx->city,
                           fx->october, NULL, NULL, 0);
    assert_non_null (model);
    assert_string_equal (model->lang, "en");
    assert_false (model->leaf);
    assert_true (model->root);
    assert_string_equal (model->title,
                         "River City \xE2\x80\x94 year to date through "
                         "October 2003");

    const summary_coverage_t *coverage = &model->coverage;
    assert_int_equal (coverage->expected, 3);
    assert_int_equal (coverage->reported, 2);
    assert_int_equal (coverage->on_time, 1);
    assert_int_equal (coverage->regions[0].region, fx->direct);
    assert_int_equal (coverage->regions[0].report, SUMMARY_ON_TIME);
    assert_int_equal (coverage->regions[0].day, s_day ("2003-11-03"));
    assert_int_equal (coverage->regions[1].region, fx->north);
    assert_int_equal (coverage->regions[1].report, SUMMARY_LATE);
    assert_int_equal (coverage->regions[1].day, s_day ("2003-11-14"));
    assert_int_equal (coverage->regions[2].region, fx->south);
    assert_int_equal (coverage->regions[2].report, SUMMARY_MISSING);
    assert_int_equal (coverage->regions[2].day, PERIOD_DAY_NONE);
    assert_int_equal (coverage->carried_count, 1);
    assert_int_equal (coverage->carried[0].region, fx->south);
    assert_int_equal (coverage->carried[0].from, period_parse ("2003-09"));
    assert_int_equal (coverage->deadline, s_day ("2003-11-10"));
    summary_model_destroy (&model);
    assert_null (model);
    summary_model_destroy (&model);
}

//  The rows: the city, then its children in catalogue order; South County
//  is marked silent; the city's stock holds South County's September
//  figure, named as carried on the city's row and on South County's own.
static void
test_rows_are_the_region_then_its_children (void **state)
{
    fixture_t *fx = *state;
    summary_model_t *model =
        summary_model_new (fx->catalogue, fx->wording, fx->store, fx->city,
                           fx->october, "en", NULL, 0);
    assert_int_equal (model->row_count, 4);
    assert_int_equal (model->rows[0].region, fx->city);
    assert_int_equal (model->rows[1].region, fx->direct);
    assert_int_equal (model->rows[2].region, fx->north);
    assert_int_equal (model->rows[3].region, fx->south);
    assert_false (model->rows[0].silent);
    assert_false (model->rows[2].silent);
    assert_true (model->rows[3].silent);
    assert_int_equal (model->silent_count, 1);

    //  Flows add up the year: 1000 + 2000 + 3000 + 400 + 600
    const figure_row_t *row = summary_model_row (model, 0, fx->employed_new);
    assert_true (row->present);
    assert_true (row->value == 7000);
    assert_true (row->has_target);
    assert_true (row->target == 4400);
    assert_true (row->completion_pct == 7000.0 / 4400 * 100);
    //  110 + 190 + South County's 300 of September, of 60,000
    row = summary_model_row (model, 0, fx->registered_unemployed);
    assert_true (row->value == 600);
    row = summary_model_row (model, 0, fx->unemployment_rate);
    assert_true (row->present);
    assert_true (row->value > 0.999999 && row->value < 1.000001);
    assert_true (row->has_limit);
    assert_true (row->limit == 2.99);
    //  South County's flow is its September one; nothing carried there
    row = summary_model_row (model, 3, fx->employed_new);
    assert_true (row->value == 3000);
    assert_false (row->has_target);

    const summary_cell_t *cell =
        &model->rows[0].cells[fx->registered_unemployed];
    assert_int_equal (cell->carried_count, 1);
    assert_int_equal (cell->carried[0].region, fx->south);
    assert_int_equal (cell->carried[0].from, period_parse ("2003-09"));
    //  A rate made of a carried stock names it too
    assert_int_equal (model->rows[0].cells[fx->unemployment_rate].carried_count,
                      1);
    assert_int_equal (model->rows[0].cells[fx->employed_new].carried_count, 0);
    assert_int_equal (
        model->rows[3].cells[fx->registered_unemployed].carried_count, 1);
    assert_int_equal (model->rows[1].cells[fx->labour_force].carried_count, 0);
    summary_model_destroy (&model);
}

//  The headline: the employment clause is the city's task, said as the
//  provincial one and ahead of pace; the rate is no task. The trend has
//  the flow's own months: unknown until September.
static void
test_headline_clauses_and_series (void **state)
{
    fixture_t *fx = *state;
    summary_model_t *model =
        summary_model_new (fx->catalogue, fx->wording, fx->store, fx->city,
                           fx->october, "zh", NULL, 0);
    assert_string_equal (model->lang, "zh");
    assert_int_equal (model->clause_count, 2);
    assert_int_equal (model->clauses[0].figure, fx->employed_new);
    assert_ptr_equal (model->clauses[0].row,
                      summary_model_row (model, 0, fx->employed_new));
    assert_true (model->clauses[0].task);
    assert_true (model->clauses[0].provincial);
    assert_false (model->clauses[0].behind); //  159% against 83.3%
    assert_int_equal (model->clauses[1].figure, fx->unemployment_rate);
    assert_false (model->clauses[1].task);
    assert_false (model->clauses[1].provincial);

    //  Only indicators make a series: the rate has none
    assert_int_equal (model->series_count, 1);
    assert_int_equal (model->month_count, 10);
    const summary_series_t *series = &model->series[0];
    assert_int_equal (series->figure, fx->employed_new);
    for (int month = 0; month < 8; month++)
        assert_false (series->known[month]);
    assert_true (series->known[8]);
    assert_true (series->values[8] == 6000);
    assert_true (series->known[9]);
    assert_true (series->values[9] == 1000);
    summary_model_destroy (&model);
}

//  A leaf is expected to report for itself: South County's model has one
//  expected region, itself, missing, and one row.
static void
test_leaf_is_expected_for_itself (void **state)
{
    fixture_t *fx = *state;
    summary_model_t *model =
        summary_model_new (fx->catalogue, fx->wording, fx->store, fx->south,
                           fx->october, "en", NULL, 0);
    assert_true (model->leaf);
    assert_false (model->root);
    assert_int_equal (model->coverage.expected, 1);
    assert_int_equal (model->coverage.reported, 0);
    assert_int_equal (model->coverage.regions[0].region, fx->south);
    assert_int_equal (model->coverage.regions[0].report, SUMMARY_MISSING);
    assert_int_equal (model->coverage.carried_count, 1);
    assert_int_equal (model->row_count, 1);
    assert_false (model->rows[0].silent);
    assert_int_equal (model->silent_count, 0);
    //  No target at the leaf: no task clause
    assert_false (model->clauses[0].task);
    summary_model_destroy (&model);
}

//  The alert rows are copies of the alerts given, in their order; the
//  restatements are those of kind restatement among them.
static void
test_alert_rows_and_restatements (void **state)
{
    fixture_t *fx = *state;
    rules_notice_t alerts[2] = {
        {.rule = catalogue_rule_find (fx->catalogue, "unemployment_over_line"),
         .region = fx->city,
         .period = fx->october,
         .state = NOTICE_FIRING,
         .severity = SEVERITY_WARNING,
         .value = 1,
         .threshold = 0.5,
         .since = 1069286400,
         .key = "unemployment_over_line/city/2003-10"},
        {.rule =
             catalogue_rule_find (fx->catalogue, "employment_restated_down"),
         .region = fx->north,
         .period = fx->october,
         .state = NOTICE_FIRING,
         .severity = SEVERITY_WARNING,
         .value = 600,
         .threshold = 800,
         .since = 1069286400,
         .key = "employment_restated_down/city.north/2003-10"}};
    summary_model_t *model =
        summary_model_new (fx->catalogue, fx->wording, fx->store, fx->city,
                           fx->october, "en", alerts, 2);
    //  The caller's array may go: the model has its own
    memset (alerts, 0, sizeof (alerts));
    assert_int_equal (model->alert_count, 2);
    assert_int_equal (model->alerts[0].region, fx->city);
    assert_true (model->alerts[0].value == 1);
    assert_string_equal (model->alerts[0].key,
                         "unemployment_over_line/city/2003-10");
    assert_int_equal (model->alerts[1].region, fx->north);
    assert_true (model->alerts[1].threshold == 800);
    assert_int_equal (model->restatement_count, 1);
    assert_int_equal (model->restatements[0], 1);
    summary_model_destroy (&model);

    model = summary_model_new (fx->catalogue, fx->wording, fx->store, fx->city,
                               fx->october, "en", NULL, 0);
    assert_int_equal (model->alert_count, 0);
    assert_int_equal (model->restatement_count, 0);
    summary_model_destroy (&model);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (
            test_coverage_names_each_expected_region, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (
            test_rows_are_the_region_then_its_children, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_headline_clauses_and_series,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_leaf_is_expected_for_itself,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_alert_rows_and_restatements,
                                         s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
