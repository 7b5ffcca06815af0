/*  test_figures.c — derived figures: rates from summed parts, sums that
    need every term, completion and pace against targets, control lines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "figures.h"
#include "fixture.h"
#include "period.h"

#define U(n) ((jt_value_t)(n)*JT_SCALE)

static const char *s_city_zpl = "catalogue\n"
                                "    year = 2003\n"
                                "\n"
                                "regions\n"
                                "    city = \"City\"\n"
                                "        city.a = \"County A\"\n"
                                "        city.b = \"County B\"\n"
                                "\n"
                                "indicators\n"
                                "    employed_new\n"
                                "        time = flow\n"
                                "    laid_off\n"
                                "        time = flow\n"
                                "    reemployed\n"
                                "        time = flow\n"
                                "    unemployed\n"
                                "        time = stock\n"
                                "    employed\n"
                                "        time = stock\n"
                                "\n"
                                "measures\n"
                                "    reemployment_rate\n"
                                "        numerator = reemployed\n"
                                "        denominator = laid_off\n"
                                "        scale = 100\n"
                                "        unit = \"%\"\n"
                                "    labour_force\n"
                                "        sum = \"employed unemployed\"\n"
                                "    unemployment_rate\n"
                                "        numerator = unemployed\n"
                                "        denominator = labour_force\n"
                                "        scale = 100\n"
                                "        unit = \"%\"\n"
                                "\n"
                                "targets\n"
                                "    city\n"
                                "        employed_new = 4403\n"
                                "    city.a\n"
                                "        employed_new = 16500\n"
                                "        reemployed = 0\n"
                                "\n"
                                "limits\n"
                                "    city\n"
                                "        unemployment_rate = 2.99\n";

typedef struct {
    catalogue_t *catalogue;
    store_t *store;
    int city, a, b;
    int employed_new, laid_off, reemployed, unemployed, employed;
    int reemployment_rate, labour_force, unemployment_rate;
} fixture_t;

static int
s_setup (void **state)
{
    fixture_t *fx = calloc (1, sizeof (fixture_t));
    assert_non_null (fx);
    fx->catalogue = fixture_catalogue (s_city_zpl);
    fx->store = store_new (fx->catalogue);
    fx->city = fixture_find (fx->catalogue, "city");
    fx->a = fixture_find (fx->catalogue, "city.a");
    fx->b = fixture_find (fx->catalogue, "city.b");
    fx->employed_new = fixture_find (fx->catalogue, "employed_new");
    fx->laid_off = fixture_find (fx->catalogue, "laid_off");
    fx->reemployed = fixture_find (fx->catalogue, "reemployed");
    fx->unemployed = fixture_find (fx->catalogue, "unemployed");
    fx->employed = fixture_find (fx->catalogue, "employed");
    fx->reemployment_rate = fixture_find (fx->catalogue, "reemployment_rate");
    fx->labour_force = fixture_find (fx->catalogue, "labour_force");
    fx->unemployment_rate = fixture_find (fx->catalogue, "unemployment_rate");
    *state = fx;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *fx = *state;
    store_destroy (&fx->store);
    catalogue_destroy (&fx->catalogue);
    free (fx);
    return 0;
}

static void
s_set (const fixture_t *fx, int region, int indicator, int period,
       jt_value_t value)
{
    fixture_set (fx->store, region, indicator, period, value);
}

static void
s_assert_near (double actual, double expected, double tolerance)
{
    double difference = actual - expected;
    if (difference < -tolerance || difference > tolerance)
        fail_msg ("%.9f is not %.9f", actual, expected);
}

//  Round half up to one decimal, as a summary prints it.
static double
s_round1 (double value)
{
    return (double)(int64_t)(value * 10 + 0.5) / 10;
}

//  The figure's value, or -1 when absent.
static double
s_value (const fixture_t *fx, int region, int figure, int period)
{
    double value = 12345;
    if (!figures_value (fx->catalogue, fx->store, region, figure, period,
                        &value))
        return -1;
    return value;
}

static void
test_rate_from_summed_parts (void **state)
{
    fixture_t *fx = *state;
    int jun = period_make (2003, 6);
    s_set (fx, fx->a, fx->reemployed, jun, U (10));
    s_set (fx, fx->a, fx->laid_off, jun, U (100));
    s_set (fx, fx->b, fx->reemployed, jun, U (90));
    s_set (fx, fx->b, fx->laid_off, jun, U (300));
    s_assert_near (s_value (fx, fx->a, fx->reemployment_rate, jun), 10.0, 1e-9);
    s_assert_near (s_value (fx, fx->b, fx->reemployment_rate, jun), 30.0, 1e-9);
    //  100 / 400, not the average of 10 and 30.
    s_assert_near (s_value (fx, fx->city, fx->reemployment_rate, jun), 25.0,
                   1e-9);
}

static void
test_rate_uses_year_to_date_parts (void **state)
{
    fixture_t *fx = *state;
    s_set (fx, fx->a, fx->reemployed, period_make (2003, 1), U (10));
    s_set (fx, fx->a, fx->laid_off, period_make (2003, 1), U (100));
    s_set (fx, fx->a, fx->reemployed, period_make (2003, 2), U (50));
    s_set (fx, fx->a, fx->laid_off, period_make (2003, 2), U (100));
    //  (10 + 50) / (100 + 100), not the February month's 50%.
    s_assert_near (
        s_value (fx, fx->a, fx->reemployment_rate, period_make (2003, 2)), 30.0,
        1e-9);
    s_assert_near (
        s_value (fx, fx->a, fx->reemployment_rate, period_make (2003, 1)), 10.0,
        1e-9);
}

static void
test_measure_of_measure (void **state)
{
    fixture_t *fx = *state;
    int oct = period_make (2003, 10);
    s_set (fx, fx->a, fx->unemployed, oct, U (299));
    s_set (fx, fx->a, fx->employed, oct, U (9701));
    s_set (fx, fx->b, fx->unemployed, oct, U (1));
    s_set (fx, fx->b, fx->employed, oct, U (9999));
    s_assert_near (s_value (fx, fx->a, fx->labour_force, oct), 10000, 1e-9);
    s_assert_near (s_value (fx, fx->a, fx->unemployment_rate, oct), 2.99, 1e-9);
    s_assert_near (s_value (fx, fx->b, fx->unemployment_rate, oct), 0.01, 1e-9);
    //  300 of 20,000 at the city.
    s_assert_near (s_value (fx, fx->city, fx->labour_force, oct), 20000, 1e-9);
    s_assert_near (s_value (fx, fx->city, fx->unemployment_rate, oct), 1.5,
                   1e-9);
}

static void
test_sum_absent_when_a_term_is_missing (void **state)
{
    fixture_t *fx = *state;
    int oct = period_make (2003, 10);
    s_set (fx, fx->a, fx->employed, oct, U (9701));
    assert_true (s_value (fx, fx->a, fx->labour_force, oct) == -1);
    assert_true (s_value (fx, fx->a, fx->unemployment_rate, oct) == -1);
    //  A reported zero is a term like any other.
    s_set (fx, fx->a, fx->unemployed, oct, 0);
    s_assert_near (s_value (fx, fx->a, fx->labour_force, oct), 9701, 1e-9);
    s_assert_near (s_value (fx, fx->a, fx->unemployment_rate, oct), 0.0, 1e-9);
}

static void
test_ratio_absent_when_denominator_zero_or_missing (void **state)
{
    fixture_t *fx = *state;
    int jun = period_make (2003, 6);
    s_set (fx, fx->a, fx->reemployed, jun, U (10));
    assert_true (s_value (fx, fx->a, fx->reemployment_rate, jun) == -1);
    s_set (fx, fx->a, fx->laid_off, jun, 0);
    double value = 777;
    assert_false (figures_value (fx->catalogue, fx->store, fx->a,
                                 fx->reemployment_rate, jun, &value));
    assert_true (value == 777);
    //  Numerator missing, denominator present: absent too.
    s_set (fx, fx->b, fx->laid_off, jun, U (40));
    assert_true (s_value (fx, fx->b, fx->reemployment_rate, jun) == -1);
    //  At the city both sides are present: 10 / 40.
    s_assert_near (s_value (fx, fx->city, fx->reemployment_rate, jun), 25.0,
                   1e-9);
}

static void
test_indicator_value_in_units (void **state)
{
    fixture_t *fx = *state;
    s_set (fx, fx->a, fx->employed_new, period_make (2003, 1), U (1200));
    s_set (fx, fx->a, fx->employed_new, period_make (2003, 2), U (34));
    s_assert_near (s_value (fx, fx->a, fx->employed_new, period_make (2003, 2)),
                   1234, 1e-9);
    assert_true (s_value (fx, fx->b, fx->employed_new, period_make (2003, 2)) ==
                 -1);
    assert_true (s_value (fx, fx->a, 99, period_make (2003, 2)) == -1);
}

static void
test_completion_and_pace (void **state)
{
    fixture_t *fx = *state;
    //  County a: 11,207 by the end of October, over ten months; b: 593.
    for (int month = 1; month <= 10; month++)
        s_set (fx, fx->a, fx->employed_new, period_make (2003, month),
               U (month < 10 ? 1120 : 1127));
    s_set (fx, fx->b, fx->employed_new, period_make (2003, 10), U (593));
    int oct = period_make (2003, 10);

    figure_row_t row;
    figures_row (fx->catalogue, fx->store, fx->city, fx->employed_new, oct,
                 &row);
    assert_int_equal (row.figure, fx->employed_new);
    assert_true (row.present);
    s_assert_near (row.value, 11800, 1e-9);
    assert_true (row.has_target);
    s_assert_near (row.target, 4403, 1e-9);
    s_assert_near (s_round1 (row.completion_pct), 268.0, 1e-9);
    s_assert_near (row.completion_pct, 11800.0 / 4403 * 100, 1e-9);
    s_assert_near (s_round1 (row.pace_pct), 321.6, 1e-9);
    assert_false (row.has_limit);

    figures_row (fx->catalogue, fx->store, fx->a, fx->employed_new, oct, &row);
    s_assert_near (row.value, 11207, 1e-9);
    s_assert_near (row.target, 16500, 1e-9);
    s_assert_near (s_round1 (row.completion_pct), 67.9, 1e-9);
    s_assert_near (s_round1 (row.pace_pct), 81.5, 1e-9);

    //  County b has no target of its own.
    figures_row (fx->catalogue, fx->store, fx->b, fx->employed_new, oct, &row);
    assert_true (row.present);
    assert_false (row.has_target);
    s_assert_near (row.completion_pct, 0, 0);

    //  Through June: the pace measures against half a year.
    figures_row (fx->catalogue, fx->store, fx->a, fx->employed_new,
                 period_make (2003, 6), &row);
    s_assert_near (row.value, 6720, 1e-9);
    s_assert_near (row.completion_pct, 6720.0 / 16500 * 100, 1e-9);
    s_assert_near (row.pace_pct, 6720.0 / 16500 * 100 * 2, 1e-9);
}

static void
test_target_without_value_or_of_another_year (void **state)
{
    fixture_t *fx = *state;
    figure_row_t row;
    //  Nothing reported: the target is known, completion is not made up.
    figures_row (fx->catalogue, fx->store, fx->city, fx->employed_new,
                 period_make (2003, 3), &row);
    assert_false (row.present);
    assert_true (row.has_target);
    s_assert_near (row.target, 4403, 1e-9);
    s_assert_near (row.completion_pct, 0, 0);
    s_assert_near (row.pace_pct, 0, 0);

    //  The 2003 target says nothing about 2004.
    s_set (fx, fx->a, fx->employed_new, period_make (2004, 3), U (100));
    figures_row (fx->catalogue, fx->store, fx->city, fx->employed_new,
                 period_make (2004, 3), &row);
    assert_true (row.present);
    s_assert_near (row.value, 100, 1e-9);
    assert_false (row.has_target);

    //  A zero target sets no task: no division by zero.
    s_set (fx, fx->a, fx->reemployed, period_make (2003, 3), U (5));
    figures_row (fx->catalogue, fx->store, fx->a, fx->reemployed,
                 period_make (2003, 3), &row);
    assert_true (row.present);
    assert_true (row.has_target);
    s_assert_near (row.target, 0, 0);
    s_assert_near (row.completion_pct, 0, 0);
    s_assert_near (row.pace_pct, 0, 0);
}

static void
test_limit_and_measure_rows (void **state)
{
    fixture_t *fx = *state;
    int oct = period_make (2003, 10);
    s_set (fx, fx->a, fx->unemployed, oct, U (299));
    s_set (fx, fx->a, fx->employed, oct, U (9701));
    figure_row_t row;
    figures_row (fx->catalogue, fx->store, fx->city, fx->unemployment_rate, oct,
                 &row);
    assert_int_equal (row.figure, fx->unemployment_rate);
    assert_true (row.present);
    s_assert_near (row.value, 2.99, 1e-9);
    assert_false (row.has_target);
    assert_true (row.has_limit);
    s_assert_near (row.limit, 2.99, 1e-9);

    //  The control line is the city's; county a has none.
    figures_row (fx->catalogue, fx->store, fx->a, fx->unemployment_rate, oct,
                 &row);
    assert_true (row.present);
    assert_false (row.has_limit);

    //  County b reported nothing.
    figures_row (fx->catalogue, fx->store, fx->b, fx->unemployment_rate, oct,
                 &row);
    assert_false (row.present);
    s_assert_near (row.value, 0, 0);
}

static void
test_year_elapsed (void **state)
{
    (void)state;
    s_assert_near (figures_year_elapsed_pct (period_make (2003, 10)),
                   1000.0 / 12, 1e-9);
    s_assert_near (s_round1 (figures_year_elapsed_pct (period_make (2003, 10))),
                   83.3, 1e-9);
    s_assert_near (figures_year_elapsed_pct (period_make (2003, 1)), 100.0 / 12,
                   1e-9);
    s_assert_near (figures_year_elapsed_pct (period_make (2003, 6)), 50.0,
                   1e-9);
    s_assert_near (figures_year_elapsed_pct (period_make (2003, 12)), 100.0,
                   1e-9);
    s_assert_near (figures_year_elapsed_pct (PERIOD_NONE), 0, 0);
    s_assert_near (figures_year_elapsed_pct (5), 0, 0);
}

static void
test_bad_period_or_figure_reads_absent (void **state)
{
    fixture_t *fx = *state;
    s_set (fx, fx->a, fx->employed_new, period_make (2003, 1), U (1));
    figure_row_t row;
    figures_row (fx->catalogue, fx->store, fx->city, fx->employed_new,
                 PERIOD_NONE, &row);
    assert_false (row.present);
    assert_false (row.has_target);
    figures_row (fx->catalogue, fx->store, fx->city, 99, period_make (2003, 1),
                 &row);
    assert_false (row.present);
    assert_false (row.has_target);
    assert_false (row.has_limit);
}

//  A ratio's scale: none means 1 (docs/configuration.md), a fractional
//  one multiplies as written (0.5, and 333.333333 for "a thousand over
//  three" at the catalogue's 6 decimals).
static void
test_ratio_scale_default_and_fractional (void **state)
{
    (void)state;
    char *error = NULL;
    catalogue_t *catalogue = catalogue_new ("catalogue\n"
                                            "    year = 2003\n"
                                            "regions\n"
                                            "    city\n"
                                            "indicators\n"
                                            "    part\n"
                                            "        time = stock\n"
                                            "    whole\n"
                                            "        time = stock\n"
                                            "measures\n"
                                            "    share\n"
                                            "        numerator = part\n"
                                            "        denominator = whole\n"
                                            "    half_share\n"
                                            "        numerator = part\n"
                                            "        denominator = whole\n"
                                            "        scale = 0.5\n"
                                            "    per_third\n"
                                            "        numerator = part\n"
                                            "        denominator = whole\n"
                                            "        scale = 333.333333\n",
                                            "scale.zpl", &error);
    free (error);
    assert_non_null (catalogue);
    int share = catalogue_figure_find (catalogue, "share");
    int half = catalogue_figure_find (catalogue, "half_share");
    int third = catalogue_figure_find (catalogue, "per_third");
    assert_true (catalogue_measure (catalogue, share)->scale == 1);
    assert_true (catalogue_measure (catalogue, half)->scale == 0.5);
    assert_true (catalogue_measure (catalogue, third)->scale == 333.333333);
    store_t *store = store_new (catalogue);
    int october = period_parse ("2003-10");
    assert_int_equal (store_apply (store, 0, 0, october, U (3), false), JT_OK);
    assert_int_equal (store_apply (store, 0, 1, october, U (4), false), JT_OK);
    double value;
    assert_true (figures_value (catalogue, store, 0, share, october, &value));
    assert_true (value == 0.75);
    assert_true (figures_value (catalogue, store, 0, half, october, &value));
    assert_true (value == 0.375);
    assert_true (figures_value (catalogue, store, 0, third, october, &value));
    s_assert_near (value, 249.99999975, 1e-9);
    store_destroy (&store);
    catalogue_destroy (&catalogue);
}

#define T(name) cmocka_unit_test_setup_teardown (name, s_setup, s_teardown)

int
main (void)
{
    const struct CMUnitTest tests[] = {
        T (test_rate_from_summed_parts),
        T (test_rate_uses_year_to_date_parts),
        T (test_measure_of_measure),
        T (test_sum_absent_when_a_term_is_missing),
        T (test_ratio_absent_when_denominator_zero_or_missing),
        T (test_indicator_value_in_units),
        T (test_completion_and_pace),
        T (test_target_without_value_or_of_another_year),
        T (test_limit_and_measure_rows),
        T (test_bad_period_or_figure_reads_absent),
        cmocka_unit_test (test_year_elapsed),
        cmocka_unit_test (test_ratio_scale_default_and_fractional),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
