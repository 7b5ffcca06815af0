/*  test_store.c — the rollup store: rollup by difference, year to date by
    time behaviour, missing is not zero, refusals, change tracking, the
    O(depth) cost of an update, and when reports arrived: on time or late.
    Values are in JT_SCALE units. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "store.h"
#include "period.h"

#define U(n) ((jt_value_t)(n)*JT_SCALE)

//  A city with three counties; county a goes down two more levels, so the
//  community c1 has three ancestors (t1, a, city).
static const char *s_city_zpl =
    "catalogue\n"
    "    year = 2003\n"
    "\n"
    "regions\n"
    "    city = \"City\"\n"
    "        city.a = \"County A\"\n"
    "            city.a.t1 = \"Town 1\"\n"
    "                city.a.t1.c1 = \"Community 1\"\n"
    "                city.a.t1.c2 = \"Community 2\"\n"
    "            city.a.t2 = \"Town 2\"\n"
    "        city.b = \"County B\"\n"
    "        city.c = \"County C\"\n"
    "\n"
    "indicators\n"
    "    employed_new\n"
    "        time = flow\n"
    "    unemployed\n"
    "        time = stock\n"
    "    trained\n"
    "        time = cumulative\n"
    "    income\n"
    "        time = flow\n"
    "        whole = no\n";

typedef struct {
    catalogue_t *catalogue;
    store_t *store;
    int city, a, t1, c1, c2, t2, b, c;             //  regions
    int employed_new, unemployed, trained, income; //  indicators
} fixture_t;

static int
s_region (const fixture_t *fx, const char *id)
{
    int index = catalogue_region_find (fx->catalogue, id);
    assert_true (index >= 0);
    return index;
}

static int
s_indicator (const fixture_t *fx, const char *id)
{
    int index = catalogue_indicator_find (fx->catalogue, id);
    assert_true (index >= 0);
    return index;
}

static int
s_setup (void **state)
{
    fixture_t *fx = calloc (1, sizeof (fixture_t));
    assert_non_null (fx);
    fx->catalogue = fixture_catalogue (s_city_zpl);
    fx->store = store_new (fx->catalogue);
    assert_non_null (fx->store);
    fx->city = s_region (fx, "city");
    fx->a = s_region (fx, "city.a");
    fx->t1 = s_region (fx, "city.a.t1");
    fx->c1 = s_region (fx, "city.a.t1.c1");
    fx->c2 = s_region (fx, "city.a.t1.c2");
    fx->t2 = s_region (fx, "city.a.t2");
    fx->b = s_region (fx, "city.b");
    fx->c = s_region (fx, "city.c");
    fx->employed_new = s_indicator (fx, "employed_new");
    fx->unemployed = s_indicator (fx, "unemployed");
    fx->trained = s_indicator (fx, "trained");
    fx->income = s_indicator (fx, "income");
    *state = fx;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *fx = *state;
    store_destroy (&fx->store);
    assert_null (fx->store);
    store_destroy (&fx->store); //  twice is harmless
    catalogue_destroy (&fx->catalogue);
    free (fx);
    return 0;
}

//  The month's own cell, or -1 when absent (so absent never reads as 0).
static jt_value_t
s_get (const fixture_t *fx, int region, int indicator, int period)
{
    jt_value_t value = 12345;
    if (!store_get (fx->store, region, indicator, period, &value))
        return -1;
    return value;
}

//  Year to date, or -1 when absent.
static jt_value_t
s_ytd (const fixture_t *fx, int region, int indicator, int period)
{
    jt_value_t value = 12345;
    if (!store_ytd (fx->store, region, indicator, period, &value))
        return -1;
    return value;
}

static void
s_set (const fixture_t *fx, int region, int indicator, int period,
       jt_value_t value)
{
    fixture_set (fx->store, region, indicator, period, value);
}

static void
s_add (const fixture_t *fx, int region, int indicator, int period,
       jt_value_t value)
{
    assert_int_equal (
        store_apply (fx->store, region, indicator, period, value, true), JT_OK);
}

//  Drain the change list into cells (at most max); returns how many.
static int
s_drain (store_t *store, store_cell_t *cells, int max)
{
    int count = 0;
    store_cell_t cell;
    while (store_changes_next (store, &cell)) {
        if (count < max)
            cells[count] = cell;
        count++;
    }
    return count;
}

//  The change listed for (region, indicator, period), or NULL.
static const store_cell_t *
s_find_change (const store_cell_t *cells, int count, int region, int indicator,
               int period)
{
    for (int index = 0; index < count; index++)
        if (cells[index].region == region &&
            cells[index].indicator == indicator &&
            cells[index].period == period)
            return &cells[index];
    return NULL;
}

static void
test_set_rolls_up_every_level (void **state)
{
    fixture_t *fx = *state;
    int may = period_make (2003, 5);
    s_set (fx, fx->c1, fx->employed_new, may, U (100));
    assert_int_equal (s_get (fx, fx->c1, fx->employed_new, may), U (100));
    assert_int_equal (s_get (fx, fx->t1, fx->employed_new, may), U (100));
    assert_int_equal (s_get (fx, fx->a, fx->employed_new, may), U (100));
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, may), U (100));
    //  Siblings, other indicators and other months stay absent.
    assert_int_equal (s_get (fx, fx->c2, fx->employed_new, may), -1);
    assert_int_equal (s_get (fx, fx->b, fx->employed_new, may), -1);
    assert_int_equal (s_get (fx, fx->city, fx->unemployed, may), -1);
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, may + 1), -1);
    assert_int_equal (store_cell_count (fx->store), 4);

    s_set (fx, fx->c2, fx->employed_new, may, U (30));
    s_set (fx, fx->b, fx->employed_new, may, U (7));
    assert_int_equal (s_get (fx, fx->t1, fx->employed_new, may), U (130));
    assert_int_equal (s_get (fx, fx->a, fx->employed_new, may), U (130));
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, may), U (137));
    assert_int_equal (store_cell_count (fx->store), 6);
}

static void
test_set_replaces_add_accumulates (void **state)
{
    fixture_t *fx = *state;
    int jun = period_make (2003, 6);
    s_add (fx, fx->b, fx->employed_new, jun, U (1));
    s_add (fx, fx->b, fx->employed_new, jun, U (1));
    assert_int_equal (s_get (fx, fx->b, fx->employed_new, jun), U (2));
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, jun), U (2));

    s_set (fx, fx->b, fx->employed_new, jun, U (50));
    assert_int_equal (s_get (fx, fx->b, fx->employed_new, jun), U (50));
    s_set (fx, fx->b, fx->employed_new, jun, U (40));
    assert_int_equal (s_get (fx, fx->b, fx->employed_new, jun), U (40));
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, jun), U (40));

    s_add (fx, fx->b, fx->employed_new, jun, U (5));
    assert_int_equal (s_get (fx, fx->b, fx->employed_new, jun), U (45));
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, jun), U (45));

    //  Setting zero is a report of zero: present, not absent.
    s_set (fx, fx->c, fx->employed_new, jun, 0);
    assert_int_equal (s_get (fx, fx->c, fx->employed_new, jun), 0);
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, jun), U (45));
}

//  A first report of zero is a report: every ancestor's cell becomes
//  present (0, not absent) and the county counts as having reported.
static void
test_zero_report_is_present_at_every_level (void **state)
{
    fixture_t *fx = *state;
    int may = period_make (2003, 5);
    store_changes_begin (fx->store);
    s_set (fx, fx->c1, fx->employed_new, may, 0);
    assert_int_equal (s_get (fx, fx->c1, fx->employed_new, may), 0);
    assert_int_equal (s_get (fx, fx->t1, fx->employed_new, may), 0);
    assert_int_equal (s_get (fx, fx->a, fx->employed_new, may), 0);
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, may), 0);
    assert_int_equal (s_ytd (fx, fx->city, fx->employed_new, may), 0);
    int reported = -1, expected = -1;
    store_coverage (fx->store, fx->city, may, &reported, &expected);
    assert_int_equal (reported, 1);
    assert_int_equal (expected, 3);
    //  Absent to present is a change, even at value 0.
    store_cell_t cells[8];
    assert_int_equal (s_drain (fx->store, cells, 8), 4);
    assert_int_equal (
        s_find_change (cells, 4, fx->city, fx->employed_new, may)->value, 0);
}

static void
test_restatement_moves_every_ancestor (void **state)
{
    fixture_t *fx = *state;
    int oct = period_make (2003, 10);
    s_set (fx, fx->c1, fx->employed_new, oct, U (100));
    s_set (fx, fx->c2, fx->employed_new, oct, U (11));
    s_set (fx, fx->t2, fx->employed_new, oct, U (22));
    s_set (fx, fx->b, fx->employed_new, oct, U (33));
    assert_int_equal (s_get (fx, fx->t1, fx->employed_new, oct), U (111));
    assert_int_equal (s_get (fx, fx->a, fx->employed_new, oct), U (133));
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, oct), U (166));

    s_set (fx, fx->c1, fx->employed_new, oct, U (80));
    assert_int_equal (s_get (fx, fx->c1, fx->employed_new, oct), U (80));
    assert_int_equal (s_get (fx, fx->t1, fx->employed_new, oct), U (91));
    assert_int_equal (s_get (fx, fx->a, fx->employed_new, oct), U (113));
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, oct), U (146));
    //  Untouched parts keep their values.
    assert_int_equal (s_get (fx, fx->c2, fx->employed_new, oct), U (11));
    assert_int_equal (s_get (fx, fx->b, fx->employed_new, oct), U (33));
}

static void
test_flow_ytd_sums_months (void **state)
{
    fixture_t *fx = *state;
    s_set (fx, fx->b, fx->employed_new, period_make (2003, 1), U (10));
    s_set (fx, fx->b, fx->employed_new, period_make (2003, 3), U (5));
    s_set (fx, fx->b, fx->employed_new, period_make (2003, 7), U (100));
    s_set (fx, fx->b, fx->employed_new, period_make (2002, 12), U (999));

    assert_int_equal (
        s_ytd (fx, fx->b, fx->employed_new, period_make (2003, 1)), U (10));
    assert_int_equal (
        s_ytd (fx, fx->b, fx->employed_new, period_make (2003, 2)), U (10));
    assert_int_equal (
        s_ytd (fx, fx->b, fx->employed_new, period_make (2003, 3)), U (15));
    assert_int_equal (
        s_ytd (fx, fx->b, fx->employed_new, period_make (2003, 6)), U (15));
    assert_int_equal (
        s_ytd (fx, fx->b, fx->employed_new, period_make (2003, 12)), U (115));
    assert_int_equal (
        s_ytd (fx, fx->city, fx->employed_new, period_make (2003, 12)),
        U (115));
    //  December 2002 belongs to 2002 only.
    assert_int_equal (
        s_ytd (fx, fx->b, fx->employed_new, period_make (2002, 12)), U (999));
    assert_int_equal (
        s_ytd (fx, fx->b, fx->employed_new, period_make (2004, 1)), -1);
}

static void
test_flow_ytd_absent_before_first_month (void **state)
{
    fixture_t *fx = *state;
    s_set (fx, fx->b, fx->employed_new, period_make (2003, 3), U (5));
    assert_int_equal (
        s_ytd (fx, fx->b, fx->employed_new, period_make (2003, 2)), -1);
    assert_int_equal (
        s_ytd (fx, fx->b, fx->employed_new, period_make (2003, 3)), U (5));
}

static void
test_stock_ytd_takes_latest_month (void **state)
{
    fixture_t *fx = *state;
    s_set (fx, fx->b, fx->unemployed, period_make (2003, 1), U (300));
    s_set (fx, fx->b, fx->unemployed, period_make (2003, 3), U (250));
    s_set (fx, fx->b, fx->unemployed, period_make (2003, 9), U (270));

    assert_int_equal (s_ytd (fx, fx->b, fx->unemployed, period_make (2003, 2)),
                      U (300));
    assert_int_equal (s_ytd (fx, fx->b, fx->unemployed, period_make (2003, 3)),
                      U (250));
    //  Not 300 + 250: a stock is never summed.
    assert_int_equal (s_ytd (fx, fx->b, fx->unemployed, period_make (2003, 8)),
                      U (250));
    assert_int_equal (s_ytd (fx, fx->b, fx->unemployed, period_make (2003, 12)),
                      U (270));
}

static void
test_cumulative_ytd_takes_latest_month (void **state)
{
    fixture_t *fx = *state;
    s_set (fx, fx->b, fx->trained, period_make (2003, 4), U (120));
    s_set (fx, fx->b, fx->trained, period_make (2003, 5), U (170));
    assert_int_equal (s_ytd (fx, fx->b, fx->trained, period_make (2003, 4)),
                      U (120));
    assert_int_equal (s_ytd (fx, fx->b, fx->trained, period_make (2003, 5)),
                      U (170));
    assert_int_equal (s_ytd (fx, fx->b, fx->trained, period_make (2003, 6)),
                      U (170));
}

static void
test_cumulative_restarts_in_january (void **state)
{
    fixture_t *fx = *state;
    s_set (fx, fx->b, fx->trained, period_make (2003, 12), U (500));
    s_set (fx, fx->b, fx->trained, period_make (2004, 1), U (40));
    assert_int_equal (s_ytd (fx, fx->b, fx->trained, period_make (2004, 1)),
                      U (40));
    assert_int_equal (s_ytd (fx, fx->b, fx->trained, period_make (2004, 2)),
                      U (40));
    assert_int_equal (s_ytd (fx, fx->b, fx->trained, period_make (2003, 12)),
                      U (500));
    assert_int_equal (s_ytd (fx, fx->city, fx->trained, period_make (2004, 1)),
                      U (40));
}

static void
test_no_carry_over_from_previous_year (void **state)
{
    fixture_t *fx = *state;
    s_set (fx, fx->b, fx->unemployed, period_make (2002, 12), U (410));
    assert_int_equal (s_ytd (fx, fx->b, fx->unemployed, period_make (2002, 12)),
                      U (410));
    assert_int_equal (s_ytd (fx, fx->b, fx->unemployed, period_make (2003, 3)),
                      -1);
    assert_int_equal (
        s_ytd (fx, fx->city, fx->unemployed, period_make (2003, 3)), -1);
}

static void
test_missing_is_not_zero (void **state)
{
    fixture_t *fx = *state;
    int may = period_make (2003, 5);
    s_set (fx, fx->c1, fx->employed_new, may, U (40));
    s_set (fx, fx->b, fx->unemployed, may, U (60));

    //  The city's cell sums only what was reported; c is absent, not 0.
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, may), U (40));
    assert_int_equal (s_get (fx, fx->city, fx->unemployed, may), U (60));
    jt_value_t value = 777;
    assert_false (store_get (fx->store, fx->c, fx->employed_new, may, &value));
    assert_int_equal (value, 777);
    assert_false (store_ytd (fx->store, fx->c, fx->employed_new, may, &value));
    assert_int_equal (value, 777);

    int reported = -1, expected = -1;
    store_coverage (fx->store, fx->city, may, &reported, &expected);
    assert_int_equal (reported, 2);
    assert_int_equal (expected, 3);
    //  County a: t1 reported (through c1), t2 did not.
    store_coverage (fx->store, fx->a, may, &reported, &expected);
    assert_int_equal (reported, 1);
    assert_int_equal (expected, 2);
    store_coverage (fx->store, fx->t1, may, &reported, &expected);
    assert_int_equal (reported, 1);
    assert_int_equal (expected, 2);
    store_coverage (fx->store, fx->c, may, &reported, &expected);
    assert_int_equal (reported, 0);
    assert_int_equal (expected, 1);
    store_coverage (fx->store, fx->b, may, &reported, &expected);
    assert_int_equal (reported, 1);
    assert_int_equal (expected, 1);
    //  Another month: nobody.
    store_coverage (fx->store, fx->city, may + 1, &reported, &expected);
    assert_int_equal (reported, 0);
    assert_int_equal (expected, 3);

    assert_true (store_reported (fx->store, fx->city, may));
    assert_true (store_reported (fx->store, fx->a, may));
    assert_true (store_reported (fx->store, fx->b, may));
    assert_false (store_reported (fx->store, fx->c, may));
    assert_false (store_reported (fx->store, fx->t2, may));
    assert_false (store_reported (fx->store, fx->city, may + 1));

    //  Once c reports, even zero, it counts.
    s_set (fx, fx->c, fx->employed_new, may, 0);
    store_coverage (fx->store, fx->city, may, &reported, &expected);
    assert_int_equal (reported, 3);
    assert_int_equal (expected, 3);
}

//  The regions expected to report at a parent are its direct children,
//  in catalogue order; a leaf is expected to report for itself.
static void
test_expected_are_children_or_the_leaf_itself (void **state)
{
    fixture_t *fx = *state;
    assert_int_equal (store_expected_count (fx->store, fx->city), 3);
    assert_int_equal (store_expected_region (fx->store, fx->city, 0), fx->a);
    assert_int_equal (store_expected_region (fx->store, fx->city, 1), fx->b);
    assert_int_equal (store_expected_region (fx->store, fx->city, 2), fx->c);
    assert_int_equal (store_expected_count (fx->store, fx->a), 2);
    assert_int_equal (store_expected_region (fx->store, fx->a, 0), fx->t1);
    assert_int_equal (store_expected_region (fx->store, fx->a, 1), fx->t2);
    assert_int_equal (store_expected_count (fx->store, fx->c1), 1);
    assert_int_equal (store_expected_region (fx->store, fx->c1, 0), fx->c1);
    assert_int_equal (store_expected_count (fx->store, -1), 0);
}

//  The city: County B last reported March (80), County C reports
//  April (120). April's stock at the city is 200, not 120, so the rows
//  add up; B's figure is carried from March until it reports again.
static void
test_stock_carries_a_late_leaf (void **state)
{
    fixture_t *fx = *state;
    int march = period_make (2003, 3), april = period_make (2003, 4);
    s_set (fx, fx->b, fx->unemployed, march, U (80));
    s_set (fx, fx->c, fx->unemployed, april, U (120));
    assert_int_equal (s_get (fx, fx->city, fx->unemployed, march), U (80));
    assert_int_equal (s_get (fx, fx->city, fx->unemployed, april), U (200));
    assert_int_equal (s_ytd (fx, fx->city, fx->unemployed, april), U (200));
    assert_int_equal (s_ytd (fx, fx->b, fx->unemployed, april), U (80));
    assert_int_equal (s_get (fx, fx->b, fx->unemployed, april), -1);
    //  Carried to the year's end, never before the first report.
    assert_int_equal (
        s_get (fx, fx->city, fx->unemployed, period_make (2003, 12)), U (200));
    assert_int_equal (
        s_get (fx, fx->city, fx->unemployed, period_make (2003, 2)), -1);
    //  Which month each figure is from.
    assert_int_equal (
        store_figure_month (fx->store, fx->b, fx->unemployed, april), march);
    assert_int_equal (
        store_figure_month (fx->store, fx->c, fx->unemployed, april), april);
    assert_int_equal (
        store_figure_month (fx->store, fx->c, fx->unemployed, march),
        PERIOD_NONE);
    //  Carried cells are not reports: April's coverage is C alone.
    int reported, expected;
    store_coverage (fx->store, fx->city, april, &reported, &expected);
    assert_int_equal (reported, 1);
    assert_int_equal (expected, 3);
    assert_false (store_reported (fx->store, fx->city, period_make (2003, 5)));

    //  A restatement of March moves every month it stands for.
    s_set (fx, fx->b, fx->unemployed, march, U (90));
    assert_int_equal (s_get (fx, fx->city, fx->unemployed, march), U (90));
    assert_int_equal (s_get (fx, fx->city, fx->unemployed, april), U (210));
    //  B's June report stands from June; April and May keep March's.
    s_set (fx, fx->b, fx->unemployed, period_make (2003, 6), U (70));
    assert_int_equal (
        s_get (fx, fx->city, fx->unemployed, period_make (2003, 5)), U (210));
    assert_int_equal (
        s_get (fx, fx->city, fx->unemployed, period_make (2003, 6)), U (190));
    //  B's late April report moves April and May only.
    s_set (fx, fx->b, fx->unemployed, april, U (85));
    assert_int_equal (s_get (fx, fx->city, fx->unemployed, april), U (205));
    assert_int_equal (
        s_get (fx, fx->city, fx->unemployed, period_make (2003, 5)), U (205));
    assert_int_equal (
        s_get (fx, fx->city, fx->unemployed, period_make (2003, 6)), U (190));
    assert_int_equal (s_get (fx, fx->city, fx->unemployed, march), U (90));
}

//  A cumulative figure (re-employed year to date) never falls at the city
//  because one county files late.
static void
test_cumulative_total_does_not_fall_when_a_county_is_late (void **state)
{
    fixture_t *fx = *state;
    int september = period_make (2003, 9), october = period_make (2003, 10);
    s_set (fx, fx->b, fx->trained, september, U (900));
    s_set (fx, fx->c, fx->trained, september, U (100));
    s_set (fx, fx->c, fx->trained, october, U (120));
    assert_int_equal (s_ytd (fx, fx->city, fx->trained, september), U (1000));
    assert_int_equal (s_ytd (fx, fx->city, fx->trained, october), U (1020));
    //  Inside a county whose communities report in different months too.
    s_set (fx, fx->c1, fx->trained, september, U (30));
    s_set (fx, fx->c2, fx->trained, october, U (5));
    assert_int_equal (s_ytd (fx, fx->t1, fx->trained, october), U (35));
    assert_int_equal (s_ytd (fx, fx->a, fx->trained, october), U (35));
    assert_int_equal (s_ytd (fx, fx->city, fx->trained, october), U (1055));
    //  A flow is not carried: October sums only October's reports.
    s_set (fx, fx->b, fx->employed_new, september, U (7));
    s_set (fx, fx->c, fx->employed_new, october, U (3));
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, october), U (3));
    assert_int_equal (s_ytd (fx, fx->city, fx->employed_new, october), U (10));
    assert_int_equal (
        store_figure_month (fx->store, fx->b, fx->employed_new, october),
        october);
}

//  Nothing is carried across a year: December's stock stays in its year.
static void
test_carry_stops_at_the_year_end (void **state)
{
    fixture_t *fx = *state;
    s_set (fx, fx->b, fx->unemployed, period_make (2002, 12), U (50));
    s_set (fx, fx->c, fx->unemployed, period_make (2003, 1), U (40));
    assert_int_equal (
        s_get (fx, fx->city, fx->unemployed, period_make (2002, 12)), U (50));
    assert_int_equal (
        s_get (fx, fx->city, fx->unemployed, period_make (2003, 1)), U (40));
    assert_int_equal (store_figure_month (fx->store, fx->b, fx->unemployed,
                                          period_make (2003, 1)),
                      PERIOD_NONE);
}

//  A carried report lists the leaf's month and every month it moves at
//  each ancestor: March at a leaf of depth 1 lists b and the city's March
//  to December. Reporting the same figure for April moves nothing above.
static void
test_carried_report_lists_each_month_it_moves (void **state)
{
    fixture_t *fx = *state;
    store_changes_begin (fx->store);
    s_set (fx, fx->b, fx->unemployed, period_make (2003, 3), U (80));
    store_cell_t cells[16];
    assert_int_equal (s_drain (fx->store, cells, 16), 1 + 10);
    for (int month = 3; month <= 12; month++)
        assert_int_equal (s_find_change (cells, 11, fx->city, fx->unemployed,
                                         period_make (2003, month))
                              ->value,
                          U (80));
    store_changes_begin (fx->store);
    s_set (fx, fx->b, fx->unemployed, period_make (2003, 4), U (80));
    assert_int_equal (s_drain (fx->store, cells, 16), 1);
    assert_int_equal (cells[0].region, fx->b);
}

//  Every refusal returns its reason and leaves every cell and the change
//  list as they were.
static void
test_refusals_change_nothing (void **state)
{
    fixture_t *fx = *state;
    int may = period_make (2003, 5);
    s_set (fx, fx->c1, fx->employed_new, may, U (100));
    s_set (fx, fx->b, fx->income, may,
           1500); //  1.5 yuan: not whole is fine here
    assert_int_equal (s_get (fx, fx->city, fx->income, may), 1500);
    store_changes_begin (fx->store);
    size_t cells = store_cell_count (fx->store);

    struct {
        int region, indicator, period;
        jt_value_t value;
        bool add;
        jt_error_t expect;
    } cases[] = {
        {fx->t1, fx->employed_new, may, U (5), false, JT_ERR_NOT_LEAF},
        {fx->city, fx->employed_new, may, U (5), true, JT_ERR_NOT_LEAF},
        {fx->c1, fx->employed_new, may, U (-5), false, JT_ERR_NEGATIVE},
        {fx->c1, fx->employed_new, may, U (-5), true, JT_ERR_NEGATIVE},
        {fx->c1, fx->employed_new, may, 1500, false, JT_ERR_NOT_WHOLE},
        {fx->c1, fx->employed_new, may, 1, true, JT_ERR_NOT_WHOLE},
        {fx->c1, fx->employed_new, may, U (JT_VALUE_MAX_UNITS) + JT_SCALE,
         false, JT_ERR_TOO_LARGE},
        {fx->c1, fx->employed_new, may, U (JT_VALUE_MAX_UNITS - 50), true,
         JT_ERR_TOO_LARGE}, //  100 + (max - 50) passes the max
        {fx->c1, fx->employed_new, -1, U (5), false, JT_ERR_BAD_PERIOD},
        {fx->c1, fx->employed_new, period_make (2999, 12) + 1, U (5), false,
         JT_ERR_BAD_PERIOD},
        {-1, fx->employed_new, may, U (5), false, JT_ERR_UNKNOWN_REGION},
        {1000, fx->employed_new, may, U (5), false, JT_ERR_UNKNOWN_REGION},
        {fx->c1, -1, may, U (5), false, JT_ERR_UNKNOWN_INDICATOR},
        {fx->c1, 99, may, U (5), false, JT_ERR_UNKNOWN_INDICATOR},
    };
    for (size_t index = 0; index < sizeof (cases) / sizeof (cases[0]);
         index++) {
        assert_int_equal (store_check (fx->store, cases[index].region,
                                       cases[index].indicator,
                                       cases[index].period, cases[index].value,
                                       cases[index].add),
                          cases[index].expect);
        assert_int_equal (store_apply (fx->store, cases[index].region,
                                       cases[index].indicator,
                                       cases[index].period, cases[index].value,
                                       cases[index].add),
                          cases[index].expect);
        assert_int_equal (s_get (fx, fx->c1, fx->employed_new, may), U (100));
        assert_int_equal (s_get (fx, fx->t1, fx->employed_new, may), U (100));
        assert_int_equal (s_get (fx, fx->a, fx->employed_new, may), U (100));
        assert_int_equal (s_get (fx, fx->city, fx->employed_new, may), U (100));
        assert_int_equal (store_cell_count (fx->store), cells);
    }
    store_cell_t cell;
    assert_false (store_changes_next (fx->store, &cell));

    //  The edges are accepted: exactly the maximum, and adding up to it.
    assert_int_equal (store_check (fx->store, fx->c1, fx->employed_new, may,
                                   U (JT_VALUE_MAX_UNITS), false),
                      JT_OK);
    assert_int_equal (store_check (fx->store, fx->c1, fx->employed_new, may,
                                   U (JT_VALUE_MAX_UNITS - 100), true),
                      JT_OK);
    //  store_check applies nothing.
    assert_int_equal (s_get (fx, fx->c1, fx->employed_new, may), U (100));
    s_add (fx, fx->c1, fx->employed_new, may, U (JT_VALUE_MAX_UNITS - 100));
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, may),
                      U (JT_VALUE_MAX_UNITS));
}

static void
test_first_report_lists_leaf_and_ancestors (void **state)
{
    fixture_t *fx = *state;
    int may = period_make (2003, 5);
    store_changes_begin (fx->store);
    s_set (fx, fx->c1, fx->employed_new, may, U (9));
    store_cell_t cells[8];
    assert_int_equal (s_drain (fx->store, cells, 8), 4);
    const int expect[] = {fx->c1, fx->t1, fx->a, fx->city};
    for (int index = 0; index < 4; index++) {
        const store_cell_t *cell =
            s_find_change (cells, 4, expect[index], fx->employed_new, may);
        assert_non_null (cell);
        assert_int_equal (cell->value, U (9));
    }
    //  Drained: nothing more until something changes.
    assert_int_equal (s_drain (fx->store, cells, 8), 0);
}

static void
test_same_value_again_lists_nothing (void **state)
{
    fixture_t *fx = *state;
    int may = period_make (2003, 5);
    s_set (fx, fx->c1, fx->employed_new, may, U (9));
    store_changes_begin (fx->store);
    s_set (fx, fx->c1, fx->employed_new, may, U (9));
    s_add (fx, fx->c1, fx->employed_new, may, 0);
    store_cell_t cells[8];
    assert_int_equal (s_drain (fx->store, cells, 8), 0);
}

static void
test_batch_lists_parent_once_with_final_value (void **state)
{
    fixture_t *fx = *state;
    int may = period_make (2003, 5);
    s_set (fx, fx->b, fx->employed_new, may, U (10));
    store_changes_begin (fx->store);
    s_set (fx, fx->b, fx->employed_new, may, U (15));
    s_add (fx, fx->b, fx->employed_new, may, U (3));
    store_cell_t cells[8];
    assert_int_equal (s_drain (fx->store, cells, 8), 2);
    const store_cell_t *city =
        s_find_change (cells, 2, fx->city, fx->employed_new, may);
    assert_non_null (city);
    assert_int_equal (city->value, U (18));
    const store_cell_t *b =
        s_find_change (cells, 2, fx->b, fx->employed_new, may);
    assert_non_null (b);
    assert_int_equal (b->value, U (18));
}

static void
test_set_then_restore_lists_nothing (void **state)
{
    fixture_t *fx = *state;
    int may = period_make (2003, 5);
    s_set (fx, fx->c1, fx->employed_new, may, U (10));
    s_set (fx, fx->c2, fx->employed_new, may, U (20));
    store_changes_begin (fx->store);
    s_set (fx, fx->c1, fx->employed_new, may, U (70));
    s_set (fx, fx->c1, fx->employed_new, may, U (10));
    store_cell_t cells[8];
    assert_int_equal (s_drain (fx->store, cells, 8), 0);

    //  Two restatements that cancel at the parents: only the leaves moved.
    store_changes_begin (fx->store);
    s_set (fx, fx->c1, fx->employed_new, may, U (15));
    s_set (fx, fx->c2, fx->employed_new, may, U (15));
    assert_int_equal (s_drain (fx->store, cells, 8), 2);
    assert_non_null (s_find_change (cells, 2, fx->c1, fx->employed_new, may));
    assert_non_null (s_find_change (cells, 2, fx->c2, fx->employed_new, may));
}

//  begin drops the old list, and a cell on the dropped list is listed
//  afresh when it changes after begin.
static void
test_begin_drops_previous_list (void **state)
{
    fixture_t *fx = *state;
    int may = period_make (2003, 5);
    s_set (fx, fx->b, fx->employed_new, may, U (5)); //  tracked, never drained
    store_changes_begin (fx->store);
    store_cell_t cells[8];
    assert_int_equal (s_drain (fx->store, cells, 8), 0);

    s_set (fx, fx->b, fx->employed_new, may, U (5));
    store_changes_begin (fx->store);
    s_set (fx, fx->b, fx->employed_new, may, U (7));
    assert_int_equal (s_drain (fx->store, cells, 8), 2);
    assert_int_equal (cells[0].value, U (7));
    assert_int_equal (cells[1].value, U (7));

    //  begin in the middle of draining drops the rest too.
    store_changes_begin (fx->store);
    s_set (fx, fx->c1, fx->employed_new, may, U (1));
    assert_true (store_changes_next (fx->store, &cells[0]));
    store_changes_begin (fx->store);
    assert_int_equal (s_drain (fx->store, cells, 8), 0);
    s_set (fx, fx->c1, fx->employed_new, may, U (2));
    assert_int_equal (s_drain (fx->store, cells, 8), 4);
}

//  A cell drained and then touched again in the same batch is listed again
//  with its newest value.
static void
test_change_after_drain_is_listed_again (void **state)
{
    fixture_t *fx = *state;
    int may = period_make (2003, 5);
    store_changes_begin (fx->store);
    s_set (fx, fx->b, fx->employed_new, may, U (5));
    store_cell_t cells[8];
    assert_int_equal (s_drain (fx->store, cells, 8), 2);
    s_set (fx, fx->b, fx->employed_new, may, U (6));
    assert_int_equal (s_drain (fx->store, cells, 8), 2);
    assert_int_equal (cells[0].value, U (6));
    s_set (fx, fx->b, fx->employed_new, may, U (6));
    assert_int_equal (s_drain (fx->store, cells, 8), 0);
}

static void
test_put_sets_one_cell_without_rollup (void **state)
{
    fixture_t *fx = *state;
    int may = period_make (2003, 5);
    store_changes_begin (fx->store);
    store_put (fx->store, fx->city, fx->employed_new, may, U (500));
    store_put (fx->store, fx->c1, fx->employed_new, may, U (20));
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, may), U (500));
    assert_int_equal (s_get (fx, fx->c1, fx->employed_new, may), U (20));
    assert_int_equal (s_get (fx, fx->t1, fx->employed_new, may), -1);
    assert_int_equal (s_get (fx, fx->a, fx->employed_new, may), -1);
    assert_int_equal (store_cell_count (fx->store), 2);

    store_cell_t cells[8];
    assert_int_equal (s_drain (fx->store, cells, 8), 2);
    assert_int_equal (
        s_find_change (cells, 2, fx->city, fx->employed_new, may)->value,
        U (500));
    store_put (fx->store, fx->city, fx->employed_new, may, U (500));
    assert_int_equal (s_drain (fx->store, cells, 8), 0);
    store_put (fx->store, fx->city, fx->employed_new, may, U (501));
    assert_int_equal (s_drain (fx->store, cells, 8), 1);
    assert_int_equal (cells[0].value, U (501));
}

typedef struct {
    int count;
    jt_value_t sum;
    int stop_after; //  return 42 after this many cells, 0: never
} visit_state_t;

static int
s_visit (const store_cell_t *cell, void *arg)
{
    visit_state_t *visit = arg;
    visit->count++;
    visit->sum += cell->value;
    return visit->stop_after && visit->count == visit->stop_after ? 42 : 0;
}

static int
s_copy (const store_cell_t *cell, void *arg)
{
    store_put (arg, cell->region, cell->indicator, cell->period, cell->value);
    return 0;
}

static void
test_visit_count_and_clear (void **state)
{
    fixture_t *fx = *state;
    s_set (fx, fx->c1, fx->employed_new, period_make (2003, 5), U (1));
    s_set (fx, fx->b, fx->employed_new, period_make (2003, 5), U (2));
    s_set (fx, fx->b, fx->unemployed, period_make (2002, 11), U (3));
    //  c1, t1, a, city, b (May) + b, city (unemployed 2002-11) + city
    //  (2002-12: a stock is carried to the year's end at a parent)
    assert_int_equal (store_cell_count (fx->store), 8);

    visit_state_t visit = {0, 0, 0};
    assert_int_equal (store_visit (fx->store, s_visit, &visit), 0);
    assert_int_equal (visit.count, 8);
    assert_int_equal (visit.sum, U (1 + 1 + 1 + 3 + 2 + 3 + 3 + 3));

    visit_state_t early = {0, 0, 3};
    assert_int_equal (store_visit (fx->store, s_visit, &early), 42);
    assert_int_equal (early.count, 3);

    //  A visited cell carries its period: put it back into a second store.
    store_t *copy = store_new (fx->catalogue);
    assert_non_null (copy);
    assert_int_equal (store_visit (fx->store, s_copy, copy), 0);
    assert_int_equal (store_cell_count (copy), 8);
    jt_value_t value;
    assert_true (store_get (copy, fx->city, fx->unemployed,
                            period_make (2002, 11), &value));
    assert_int_equal (value, U (3));
    store_destroy (&copy);

    store_clear (fx->store);
    assert_int_equal (store_cell_count (fx->store), 0);
    assert_int_equal (
        s_get (fx, fx->city, fx->employed_new, period_make (2003, 5)), -1);
    store_cell_t cell;
    assert_false (store_changes_next (fx->store, &cell));
    visit.count = 0;
    assert_int_equal (store_visit (fx->store, s_visit, &visit), 0);
    assert_int_equal (visit.count, 0);

    //  Usable again after clearing.
    s_set (fx, fx->b, fx->employed_new, period_make (2003, 5), U (4));
    assert_int_equal (
        s_get (fx, fx->city, fx->employed_new, period_make (2003, 5)), U (4));
    assert_int_equal (s_drain (fx->store, (store_cell_t[4]){0}, 4), 2);
}

//  A calendar day (days since 1970-01-01).
static int
s_day (int year, int month, int day)
{
    int value = period_day_make (year, month, day);
    assert_int_not_equal (value, PERIOD_DAY_NONE);
    return value;
}

//  Timeliness of a region for October 2003, and the day it was complete.
static store_timeliness_t
s_october (const fixture_t *fx, int region, int *day)
{
    return store_timeliness (fx->store, region, period_make (2003, 10), day);
}

//  October's deadline is 10 days (the default on_time_days) after the 31st:
//  a report on 2003-11-10 is on time, one on 2003-11-11 late.
static void
test_on_time_until_deadline_late_after (void **state)
{
    fixture_t *fx = *state;
    int october = period_make (2003, 10);
    assert_int_equal (catalogue_on_time_days (fx->catalogue), 10);
    assert_int_equal (store_deadline (fx->store, october),
                      s_day (2003, 11, 10));

    assert_true (
        store_mark_reported (fx->store, fx->b, october, s_day (2003, 11, 10)));
    assert_true (
        store_mark_reported (fx->store, fx->c, october, s_day (2003, 11, 11)));
    int day = 0;
    assert_int_equal (s_october (fx, fx->b, &day), STORE_ON_TIME);
    assert_int_equal (day, s_day (2003, 11, 10));
    assert_int_equal (s_october (fx, fx->c, &day), STORE_LATE);
    assert_int_equal (day, s_day (2003, 11, 11));
    assert_int_equal (store_reported_day (fx->store, fx->b, october),
                      s_day (2003, 11, 10));
    //  Reported within the month itself: on time
    assert_true (store_mark_reported (fx->store, fx->b, period_make (2003, 9),
                                      s_day (2003, 9, 1)));
    assert_int_equal (
        store_timeliness (fx->store, fx->b, period_make (2003, 9), NULL),
        STORE_ON_TIME);
    //  A 30-day month and February: the deadline follows the month's end
    assert_int_equal (store_deadline (fx->store, period_make (2003, 9)),
                      s_day (2003, 10, 10));
    assert_int_equal (store_deadline (fx->store, period_make (2004, 2)),
                      s_day (2004, 3, 10));
    assert_int_equal (store_deadline (fx->store, period_make (2003, 12)),
                      s_day (2004, 1, 10));
}

//  on_time_days = 0: only a report by the month's last day is on time.
static void
test_on_time_days_from_catalogue (void **state)
{
    (void)state;
    catalogue_t *catalogue = fixture_catalogue ("catalogue\n"
                                                "    year = 2003\n"
                                                "    on_time_days = 0\n"
                                                "regions\n"
                                                "    city = \"City\"\n"
                                                "        city.a = \"A\"\n"
                                                "indicators\n"
                                                "    employed_new\n"
                                                "        time = flow\n");
    store_t *store = store_new (catalogue);
    int a = catalogue_region_find (catalogue, "city.a");
    int october = period_make (2003, 10);
    assert_int_equal (store_deadline (store, october), s_day (2003, 10, 31));
    store_mark_reported (store, a, october, s_day (2003, 10, 31));
    assert_int_equal (store_timeliness (store, a, october, NULL),
                      STORE_ON_TIME);
    store_mark_reported (store, a, period_make (2003, 11), s_day (2003, 12, 1));
    assert_int_equal (store_timeliness (store, a, period_make (2003, 11), NULL),
                      STORE_LATE);
    store_destroy (&store);
    catalogue_destroy (&catalogue);
}

//  A region that did not report is missing, never on time; so is a parent
//  while any leaf below it is; a report for another month does not count.
static void
test_missing_until_every_leaf_reported (void **state)
{
    fixture_t *fx = *state;
    int october = period_make (2003, 10);
    int day = 0;
    assert_int_equal (s_october (fx, fx->b, &day), STORE_MISSING);
    assert_int_equal (day, PERIOD_DAY_NONE);
    assert_int_equal (store_reported_day (fx->store, fx->b, october),
                      PERIOD_DAY_NONE);
    store_mark_reported (fx->store, fx->b, period_make (2003, 9),
                         s_day (2003, 10, 2));
    store_mark_reported (fx->store, fx->b, period_make (2004, 10),
                         s_day (2004, 11, 2));
    assert_int_equal (s_october (fx, fx->b, NULL), STORE_MISSING);

    store_mark_reported (fx->store, fx->b, october, s_day (2003, 11, 2));
    store_mark_reported (fx->store, fx->c, october, s_day (2003, 11, 3));
    store_mark_reported (fx->store, fx->c1, october, s_day (2003, 11, 4));
    store_mark_reported (fx->store, fx->c2, october, s_day (2003, 11, 5));
    //  t2 is silent: County A and the city are missing
    assert_int_equal (s_october (fx, fx->a, &day), STORE_MISSING);
    assert_int_equal (day, PERIOD_DAY_NONE);
    assert_int_equal (s_october (fx, fx->city, NULL), STORE_MISSING);
    assert_int_equal (s_october (fx, fx->t1, &day), STORE_ON_TIME);
    assert_int_equal (day, s_day (2003, 11, 5));
    //  Bad indices read as missing
    assert_int_equal (s_october (fx, -1, &day), STORE_MISSING);
    assert_int_equal (day, PERIOD_DAY_NONE);
    assert_int_equal (s_october (fx, 99, NULL), STORE_MISSING);
    assert_int_equal (store_timeliness (fx->store, fx->b, PERIOD_NONE, NULL),
                      STORE_MISSING);
    assert_int_equal (store_reported_day (fx->store, fx->b, PERIOD_NONE),
                      PERIOD_DAY_NONE);
    assert_int_equal (store_reported_day (fx->store, -1, october),
                      PERIOD_DAY_NONE);
}

//  A non-leaf child is judged by its leaves: complete on the day its last
//  leaf first reported, and late when that day is after the deadline.
static void
test_parent_judged_by_its_leaves (void **state)
{
    fixture_t *fx = *state;
    int october = period_make (2003, 10);
    store_mark_reported (fx->store, fx->c1, october, s_day (2003, 11, 2));
    store_mark_reported (fx->store, fx->c2, october, s_day (2003, 11, 9));
    store_mark_reported (fx->store, fx->t2, october, s_day (2003, 11, 12));
    store_mark_reported (fx->store, fx->b, october, s_day (2003, 11, 1));
    store_mark_reported (fx->store, fx->c, october, s_day (2003, 11, 10));
    int day = 0;
    assert_int_equal (s_october (fx, fx->t1, &day), STORE_ON_TIME);
    assert_int_equal (day, s_day (2003, 11, 9));
    assert_int_equal (s_october (fx, fx->a, &day), STORE_LATE);
    assert_int_equal (day, s_day (2003, 11, 12));
    assert_int_equal (s_october (fx, fx->city, &day), STORE_LATE);
    assert_int_equal (day, s_day (2003, 11, 12));
    //  A parent keeps no day of its own
    assert_int_equal (store_reported_day (fx->store, fx->a, october),
                      PERIOD_DAY_NONE);

    //  Town 2's report turns out to have come on the 5th after all
    assert_true (
        store_mark_reported (fx->store, fx->t2, october, s_day (2003, 11, 5)));
    assert_int_equal (s_october (fx, fx->a, &day), STORE_ON_TIME);
    assert_int_equal (day, s_day (2003, 11, 9));
    assert_int_equal (s_october (fx, fx->city, &day), STORE_ON_TIME);
    assert_int_equal (day, s_day (2003, 11, 10));
}

//  The earliest day stands: a restatement filed later does not make a
//  month's report late. Each arrival set or lowered in a batch is listed
//  once, with its final day; one left as it was is not listed.
static void
test_earliest_day_kept_and_listed_once (void **state)
{
    fixture_t *fx = *state;
    int october = period_make (2003, 10);
    store_changes_begin (fx->store);
    assert_true (
        store_mark_reported (fx->store, fx->b, october, s_day (2003, 11, 8)));
    assert_false (
        store_mark_reported (fx->store, fx->b, october, s_day (2003, 11, 20)));
    assert_false (
        store_mark_reported (fx->store, fx->b, october, s_day (2003, 11, 8)));
    assert_int_equal (store_reported_day (fx->store, fx->b, october),
                      s_day (2003, 11, 8));
    assert_true (
        store_mark_reported (fx->store, fx->b, october, s_day (2003, 11, 3)));
    assert_true (
        store_mark_reported (fx->store, fx->c, october, s_day (2003, 11, 4)));
    store_arrival_t arrivals[4];
    store_arrival_t arrival;
    int count = 0;
    while (store_arrival_changes_next (fx->store, &arrival))
        if (count < 4)
            arrivals[count++] = arrival;
    assert_int_equal (count, 2);
    assert_int_equal (arrivals[0].region, fx->b);
    assert_int_equal (arrivals[0].period, october);
    assert_int_equal (arrivals[0].day, s_day (2003, 11, 3));
    assert_int_equal (arrivals[1].region, fx->c);
    assert_int_equal (arrivals[1].day, s_day (2003, 11, 4));
    //  Cells are listed apart: marking an arrival changes no cell
    store_cell_t cell;
    assert_false (store_changes_next (fx->store, &cell));

    //  The next batch: a later restatement lists nothing
    store_changes_begin (fx->store);
    assert_false (
        store_mark_reported (fx->store, fx->b, october, s_day (2003, 12, 1)));
    assert_false (store_arrival_changes_next (fx->store, &arrival));
    //  An unread list is dropped by the next begin
    store_mark_reported (fx->store, fx->c1, october, s_day (2003, 11, 6));
    store_changes_begin (fx->store);
    assert_false (store_arrival_changes_next (fx->store, &arrival));
    store_mark_reported (fx->store, fx->c1, october, s_day (2003, 11, 5));
    assert_true (store_arrival_changes_next (fx->store, &arrival));
    assert_int_equal (arrival.region, fx->c1);
    assert_int_equal (arrival.day, s_day (2003, 11, 5));
    assert_false (store_arrival_changes_next (fx->store, &arrival));
}

static int
s_copy_arrival (const store_arrival_t *arrival, void *arg)
{
    store_mark_reported (arg, arrival->region, arrival->period, arrival->day);
    return 0;
}

static int
s_stop_arrival (const store_arrival_t *arrival, void *arg)
{
    (void)arrival;
    return ++*(int *)arg == 2 ? 7 : 0;
}

//  Arrivals are visited for a snapshot and copied into a replica; clearing
//  drops them.
static void
test_arrivals_visit_and_clear (void **state)
{
    fixture_t *fx = *state;
    store_mark_reported (fx->store, fx->b, period_make (2003, 10),
                         s_day (2003, 11, 3));
    store_mark_reported (fx->store, fx->b, period_make (2002, 12),
                         s_day (2003, 1, 6));
    store_mark_reported (fx->store, fx->c1, period_make (2003, 10),
                         s_day (2003, 11, 14));
    assert_int_equal (store_arrival_count (fx->store), 3);
    store_t *copy = store_new (fx->catalogue);
    assert_int_equal (store_visit_arrivals (fx->store, s_copy_arrival, copy),
                      0);
    assert_int_equal (store_arrival_count (copy), 3);
    assert_int_equal (store_reported_day (copy, fx->b, period_make (2002, 12)),
                      s_day (2003, 1, 6));
    assert_int_equal (store_reported_day (copy, fx->c1, period_make (2003, 10)),
                      s_day (2003, 11, 14));
    store_destroy (&copy);
    int visited = 0;
    assert_int_equal (
        store_visit_arrivals (fx->store, s_stop_arrival, &visited), 7);
    assert_int_equal (visited, 2);

    store_clear (fx->store);
    assert_int_equal (store_arrival_count (fx->store), 0);
    assert_int_equal (
        store_reported_day (fx->store, fx->b, period_make (2003, 10)),
        PERIOD_DAY_NONE);
    store_arrival_t arrival;
    assert_false (store_arrival_changes_next (fx->store, &arrival));
    //  Usable again after clearing
    assert_true (store_mark_reported (fx->store, fx->b, period_make (2003, 10),
                                      s_day (2003, 11, 20)));
    assert_int_equal (store_arrival_count (fx->store), 1);
}

//  A tree four levels deep whose bottom has 1,000 leaves under one parent.
static char *
s_wide_zpl (int leaves)
{
    size_t size = 512 + (size_t)leaves * 64;
    char *text = malloc (size);
    assert_non_null (text);
    int length = snprintf (text, size,
                           "catalogue\n    year = 2003\n\nregions\n"
                           "    root = \"Root\"\n"
                           "        root.x = \"X\"\n"
                           "            root.x.y = \"Y\"\n");
    for (int index = 0; index < leaves; index++)
        length += snprintf (text + length, size - (size_t)length,
                            "                root.x.y.l%d = \"Leaf %d\"\n",
                            index, index);
    snprintf (text + length, size - (size_t)length,
              "\nindicators\n    employed_new\n        time = flow\n");
    return text;
}

static void
test_update_touches_only_its_path (void **state)
{
    (void)state;
    char *text = s_wide_zpl (1000);
    catalogue_t *catalogue = fixture_catalogue (text);
    free (text);
    store_t *store = store_new (catalogue);
    int indicator = catalogue_indicator_find (catalogue, "employed_new");
    int may = period_make (2003, 5);
    char id[32];
    //  Every sibling reports, so the parents' cells exist already.
    for (int index = 0; index < 1000; index++) {
        snprintf (id, sizeof (id), "root.x.y.l%d", index);
        int leaf = catalogue_region_find (catalogue, id);
        assert_true (leaf >= 0);
        assert_int_equal (
            store_apply (store, leaf, indicator, may, U (1), false), JT_OK);
    }
    assert_int_equal (store_cell_count (store), 1003);

    store_changes_begin (store);
    int leaf = catalogue_region_find (catalogue, "root.x.y.l500");
    assert_int_equal (store_apply (store, leaf, indicator, may, U (2), false),
                      JT_OK);
    store_cell_t cells[8];
    assert_int_equal (s_drain (store, cells, 8), 4);
    int root = catalogue_region_find (catalogue, "root");
    const store_cell_t *top = s_find_change (cells, 4, root, indicator, may);
    assert_non_null (top);
    assert_int_equal (top->value, U (1001));
    assert_non_null (s_find_change (cells, 4, leaf, indicator, may));

    int reported, expected;
    store_coverage (store, catalogue_region_find (catalogue, "root.x.y"), may,
                    &reported, &expected);
    assert_int_equal (reported, 1000);
    assert_int_equal (expected, 1000);
    store_destroy (&store);
    catalogue_destroy (&catalogue);
}

//  A total that could no longer be summed over a year inside int64 is
//  refused at the leaf, and nothing moves.
static void
test_total_beyond_int64_year_is_refused (void **state)
{
    (void)state;
    char *text = s_wide_zpl (800);
    catalogue_t *catalogue = fixture_catalogue (text);
    free (text);
    store_t *store = store_new (catalogue);
    int may = period_make (2003, 5);
    char id[32];
    jt_value_t max = U (JT_VALUE_MAX_UNITS);
    //  INT64_MAX / 12 holds 768 leaves at the maximum, not 769.
    for (int index = 0; index < 768; index++) {
        snprintf (id, sizeof (id), "root.x.y.l%d", index);
        assert_int_equal (store_apply (store,
                                       catalogue_region_find (catalogue, id), 0,
                                       may, max, false),
                          JT_OK);
    }
    int leaf = catalogue_region_find (catalogue, "root.x.y.l768");
    assert_int_equal (store_apply (store, leaf, 0, may, max, false),
                      JT_ERR_TOO_LARGE);
    jt_value_t value;
    assert_false (store_get (store, leaf, 0, may, &value));
    assert_true (store_get (store, catalogue_region_find (catalogue, "root"), 0,
                            may, &value));
    assert_int_equal (value, 768 * max);
    //  Lowering a leaf is always possible.
    assert_int_equal (
        store_apply (store, catalogue_region_find (catalogue, "root.x.y.l0"), 0,
                     may, 0, false),
        JT_OK);
    store_destroy (&store);
    catalogue_destroy (&catalogue);
}

static void
test_queries_with_bad_indices_read_absent (void **state)
{
    fixture_t *fx = *state;
    jt_value_t value = 5;
    assert_false (store_get (fx->store, -1, 0, period_make (2003, 1), &value));
    assert_false (
        store_get (fx->store, fx->b, 99, period_make (2003, 1), &value));
    assert_false (store_ytd (fx->store, fx->b, 0, PERIOD_NONE, &value));
    assert_int_equal (value, 5);
    assert_false (store_reported (fx->store, 1000, period_make (2003, 1)));
    int reported = -1, expected = -1;
    store_coverage (fx->store, -1, period_make (2003, 1), &reported, &expected);
    assert_int_equal (reported, 0);
    assert_int_equal (expected, 0);
}

//  A series keeps its latest year inline and earlier ones apart: a later
//  year takes over the inline slot, an earlier one arriving afterwards goes
//  beside the others, and every year stays readable, rolls up, is visited
//  and is cleared.
static void
test_years_before_the_latest_stay_readable (void **state)
{
    fixture_t *fx = *state;
    int may_2003 = period_make (2003, 5);
    int jun_2003 = period_make (2003, 6);
    int jul_2003 = period_make (2003, 7);
    int jan_2004 = period_make (2004, 1);
    int dec_2001 = period_make (2001, 12);
    int mar_2002 = period_make (2002, 3);
    s_set (fx, fx->c1, fx->employed_new, may_2003, U (10));
    s_set (fx, fx->c1, fx->employed_new, jun_2003, U (5));
    s_set (fx, fx->c1, fx->employed_new, jan_2004, U (7));  //  2003 moves
    s_set (fx, fx->c1, fx->employed_new, dec_2001, U (3));  //  earlier
    s_set (fx, fx->c1, fx->employed_new, jul_2003, U (4));  //  a moved year
    s_set (fx, fx->c1, fx->employed_new, mar_2002, U (2));  //  earlier again
    s_set (fx, fx->c1, fx->employed_new, jun_2003, U (50)); //  restated

    //  Each month's cell and the year to date through it, at every level.
    const struct {
        int period;
        jt_value_t value; //  -1: absent
        jt_value_t ytd;
    } expected[] = {
        {may_2003, U (10), U (10)}, {jun_2003, U (50), U (60)},
        {jul_2003, U (4), U (64)},  {period_make (2003, 12), -1, U (64)},
        {jan_2004, U (7), U (7)},   {dec_2001, U (3), U (3)},
        {mar_2002, U (2), U (2)},   {period_make (2002, 12), -1, U (2)},
    };
    int path[] = {fx->c1, fx->t1, fx->a, fx->city};
    for (int level = 0; level < 4; level++)
        for (size_t index = 0; index < sizeof expected / sizeof expected[0];
             index++) {
            int period = expected[index].period;
            assert_int_equal (s_get (fx, path[level], fx->employed_new, period),
                              expected[index].value);
            assert_int_equal (s_ytd (fx, path[level], fx->employed_new, period),
                              expected[index].ytd);
        }
    //  Six cells at each of the four levels.
    assert_int_equal (store_cell_count (fx->store), 24);
    visit_state_t visit = {0, 0, 0};
    assert_int_equal (store_visit (fx->store, s_visit, &visit), 0);
    assert_int_equal (visit.count, 24);
    assert_int_equal (visit.sum, U (4 * (10 + 50 + 4 + 7 + 3 + 2)));

    store_t *copy = store_new (fx->catalogue);
    assert_non_null (copy);
    assert_int_equal (store_visit (fx->store, s_copy, copy), 0);
    assert_int_equal (store_cell_count (copy), 24);
    jt_value_t value;
    assert_true (store_get (copy, fx->a, fx->employed_new, dec_2001, &value));
    assert_int_equal (value, U (3));
    assert_true (store_get (copy, fx->a, fx->employed_new, jun_2003, &value));
    assert_int_equal (value, U (50));
    store_destroy (&copy);

    //  A restatement in a year out of the inline slot moves the ancestors
    //  by the difference: c2's figure stays in their totals.
    s_set (fx, fx->c2, fx->employed_new, jun_2003, U (1));
    s_set (fx, fx->c1, fx->employed_new, jun_2003, U (20));
    assert_int_equal (s_get (fx, fx->c1, fx->employed_new, jun_2003), U (20));
    for (int level = 1; level < 4; level++)
        assert_int_equal (s_get (fx, path[level], fx->employed_new, jun_2003),
                          U (21));

    store_clear (fx->store);
    assert_int_equal (store_cell_count (fx->store), 0);
    for (int level = 0; level < 4; level++) {
        assert_int_equal (s_get (fx, path[level], fx->employed_new, may_2003),
                          -1);
        assert_int_equal (s_get (fx, path[level], fx->employed_new, dec_2001),
                          -1);
        assert_int_equal (s_get (fx, path[level], fx->employed_new, jan_2004),
                          -1);
    }
    s_set (fx, fx->c1, fx->employed_new, mar_2002, U (8));
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, mar_2002), U (8));
    assert_int_equal (s_get (fx, fx->city, fx->employed_new, jan_2004), -1);
    assert_int_equal (store_cell_count (fx->store), 4);
}

//  A cell listed as changed is listed once with its final value, and its
//  mark is cleared, also when a later year moved its year out of the
//  inline slot after it was listed.
static void
test_changes_across_years (void **state)
{
    fixture_t *fx = *state;
    int may_2003 = period_make (2003, 5);
    int feb_2004 = period_make (2004, 2);
    store_changes_begin (fx->store);
    s_set (fx, fx->b, fx->employed_new, may_2003, U (5));
    s_set (fx, fx->b, fx->employed_new, feb_2004, U (6)); //  2003 moves
    s_set (fx, fx->b, fx->employed_new, may_2003, U (8));
    store_cell_t cells[8];
    assert_int_equal (s_drain (fx->store, cells, 8), 4);
    int regions[] = {fx->b, fx->city};
    for (int index = 0; index < 2; index++) {
        const store_cell_t *may = s_find_change (cells, 4, regions[index],
                                                 fx->employed_new, may_2003);
        const store_cell_t *feb = s_find_change (cells, 4, regions[index],
                                                 fx->employed_new, feb_2004);
        assert_non_null (may);
        assert_int_equal (may->value, U (8));
        assert_non_null (feb);
        assert_int_equal (feb->value, U (6));
    }
    s_set (fx, fx->b, fx->employed_new, may_2003, U (8));
    assert_int_equal (s_drain (fx->store, cells, 8), 0);

    //  Listed, moved out of the inline slot, dropped by begin: unmarked,
    //  so it is listed again when it changes.
    int mar_2006 = period_make (2006, 3);
    s_set (fx, fx->b, fx->employed_new, mar_2006, U (1));
    s_set (fx, fx->b, fx->employed_new, period_make (2007, 3), U (1));
    store_changes_begin (fx->store);
    s_set (fx, fx->b, fx->employed_new, mar_2006, U (9));
    assert_int_equal (s_drain (fx->store, cells, 8), 2);
    assert_int_equal (cells[0].period, mar_2006);
    assert_int_equal (cells[0].value, U (9));
    assert_int_equal (cells[1].period, mar_2006);
    assert_int_equal (cells[1].value, U (9));
}

#define T(name) cmocka_unit_test_setup_teardown (name, s_setup, s_teardown)

int
main (void)
{
    const struct CMUnitTest tests[] = {
        T (test_set_rolls_up_every_level),
        T (test_set_replaces_add_accumulates),
        T (test_zero_report_is_present_at_every_level),
        T (test_restatement_moves_every_ancestor),
        T (test_flow_ytd_sums_months),
        T (test_flow_ytd_absent_before_first_month),
        T (test_stock_ytd_takes_latest_month),
        T (test_cumulative_ytd_takes_latest_month),
        T (test_cumulative_restarts_in_january),
        T (test_no_carry_over_from_previous_year),
        T (test_missing_is_not_zero),
        T (test_expected_are_children_or_the_leaf_itself),
        T (test_stock_carries_a_late_leaf),
        T (test_cumulative_total_does_not_fall_when_a_county_is_late),
        T (test_carry_stops_at_the_year_end),
        T (test_carried_report_lists_each_month_it_moves),
        T (test_refusals_change_nothing),
        T (test_first_report_lists_leaf_and_ancestors),
        T (test_same_value_again_lists_nothing),
        T (test_batch_lists_parent_once_with_final_value),
        T (test_set_then_restore_lists_nothing),
        T (test_begin_drops_previous_list),
        T (test_change_after_drain_is_listed_again),
        T (test_put_sets_one_cell_without_rollup),
        T (test_visit_count_and_clear),
        T (test_years_before_the_latest_stay_readable),
        T (test_changes_across_years),
        T (test_queries_with_bad_indices_read_absent),
        T (test_on_time_until_deadline_late_after),
        T (test_missing_until_every_leaf_reported),
        T (test_parent_judged_by_its_leaves),
        T (test_earliest_day_kept_and_listed_once),
        T (test_arrivals_visit_and_clear),
        cmocka_unit_test (test_on_time_days_from_catalogue),
        cmocka_unit_test (test_update_touches_only_its_path),
        cmocka_unit_test (test_total_beyond_int64_year_is_refused),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
