/*  test_check.c — the one update check shared by aggregator and collector:
    each refusal with its exact reason, and reasons that stay valid UTF-8. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fixture.h"
#include "period.h"
#include "utf8.h"

static const char *s_catalogue =
    FIXTURE_NORTH_SOUTH "        unit = persons\n"
                        "        time = flow\n"
                        "    wages\n"
                        "        unit = yuan\n"
                        "        time = flow\n"
                        "        whole = no\n"
                        "sources\n"
                        "    north\n"
                        "        regions = \"city.north\"\n";

typedef struct {
    catalogue_t *catalogue;
    store_t *store;
} fixture_t;

static int
s_setup (void **state)
{
    fixture_t *fixture = calloc (1, sizeof (fixture_t));
    fixture->catalogue = fixture_catalogue (s_catalogue);
    assert_non_null (fixture->catalogue);
    fixture->store = store_new (fixture->catalogue);
    *state = fixture;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *fixture = *state;
    store_destroy (&fixture->store);
    catalogue_destroy (&fixture->catalogue);
    free (fixture);
    return 0;
}

//  Check one update from source "north"; returns the code, reason in buffer.
static jt_error_t
s_check (fixture_t *fixture, const char *region, const char *indicator,
         jt_value_t value, char *reason)
{
    int region_index, indicator_index;
    int source = catalogue_source_find (fixture->catalogue, "north");
    return check_update (fixture->catalogue, fixture->store, source, region,
                         indicator, period_parse ("2003-05"),
                         period_day_parse ("2003-11-14"), value, false,
                         &region_index, &indicator_index, reason);
}

//  Check a north employed_new update for month (YYYY-MM) that arrived on
//  day (YYYY-MM-DD, or NULL for no day); returns the code, reason in buffer.
static jt_error_t
s_check_month (fixture_t *fixture, const char *month, const char *day,
               char *reason)
{
    int region_index, indicator_index;
    int source = catalogue_source_find (fixture->catalogue, "north");
    int period = period_parse (month);
    assert_int_not_equal (period, PERIOD_NONE);
    int arrived = day ? period_day_parse (day) : PERIOD_DAY_NONE;
    assert_true (!day || arrived != PERIOD_DAY_NONE);
    return check_update (fixture->catalogue, fixture->store, source,
                         "city.north", "employed_new", period, arrived, 5000,
                         false, &region_index, &indicator_index, reason);
}

static void
test_reasons (void **state)
{
    fixture_t *fixture = *state;
    char reason[CHECK_REASON_SIZE];
    assert_int_equal (
        s_check (fixture, "city.north", "employed_new", 5000, reason), JT_OK);
    assert_int_equal (
        s_check (fixture, "city.west", "employed_new", 5000, reason),
        JT_ERR_UNKNOWN_REGION);
    assert_string_equal (reason, "unknown region 'city.west'");
    assert_int_equal (s_check (fixture, "city.north", "employed", 5000, reason),
                      JT_ERR_UNKNOWN_INDICATOR);
    assert_string_equal (reason, "unknown indicator 'employed'");
    assert_int_equal (
        s_check (fixture, "city.south", "employed_new", 5000, reason),
        JT_ERR_NOT_ASSIGNED);
    assert_string_equal (reason, "region not assigned to source: "
                                 "'city.south' is not north's");
    assert_int_equal (
        s_check (fixture, "city.north", "employed_new", -4000, reason),
        JT_ERR_NEGATIVE);
    assert_string_equal (reason, "negative value: city.north employed_new -4");
    assert_int_equal (
        s_check (fixture, "city.north", "employed_new", 2500, reason),
        JT_ERR_NOT_WHOLE);
    assert_string_equal (reason, "not a whole number: city.north "
                                 "employed_new 2.5");
    //  Yuan may have fen.
    assert_int_equal (s_check (fixture, "city.north", "wages", 12340, reason),
                      JT_OK);
    assert_int_equal (s_check (fixture, "City.North", "wages", 1, reason),
                      JT_ERR_BAD_ID);
    assert_string_equal (reason, "bad id 'City.North'");
    //  Nothing was applied by checking.
    assert_int_equal (store_cell_count (fixture->store), 0);
}

//  The catalogue's year is 2003 and it sets no years: 2002 and 2003 are
//  accepted, from the first month of 2002 to the last of 2003 exactly, and
//  the refusal says what is expected.
static void
test_months_outside_the_years_are_refused (void **state)
{
    fixture_t *fixture = *state;
    char reason[CHECK_REASON_SIZE];
    assert_int_equal (s_check_month (fixture, "2001-12", "2004-01-05", reason),
                      JT_ERR_NOT_ACCEPTED);
    assert_string_equal (reason, "2001-12: only 2002-01 to 2003-12 accepted");
    assert_int_equal (s_check_month (fixture, "2002-01", "2004-01-05", reason),
                      JT_OK);
    assert_int_equal (s_check_month (fixture, "2003-12", "2004-01-05", reason),
                      JT_OK);
    //  January 2004 has begun, but is not a month of the years.
    assert_int_equal (s_check_month (fixture, "2004-01", "2004-01-05", reason),
                      JT_ERR_NOT_ACCEPTED);
    assert_string_equal (reason, "2004-01: only 2002-01 to 2003-12 accepted");
    //  Outside the years and in the future: the years are what it misses.
    assert_int_equal (s_check_month (fixture, "2030-11", "2003-11-14", reason),
                      JT_ERR_NOT_ACCEPTED);
    assert_string_equal (reason, "2030-11: only 2002-01 to 2003-12 accepted");
    //  Without a day, the years still hold.
    assert_int_equal (s_check_month (fixture, "1999-10", NULL, reason),
                      JT_ERR_NOT_ACCEPTED);
    assert_string_equal (reason, "1999-10: only 2002-01 to 2003-12 accepted");
    assert_int_equal (store_cell_count (fixture->store), 0);
}

//  A month is accepted from its first day on: the month containing the day
//  the update arrived is, the month starting the day after is not.
static void
test_month_not_begun_on_the_day_it_arrived (void **state)
{
    fixture_t *fixture = *state;
    char reason[CHECK_REASON_SIZE];
    assert_int_equal (s_check_month (fixture, "2003-11", "2003-11-14", reason),
                      JT_OK);
    assert_int_equal (s_check_month (fixture, "2003-12", "2003-11-14", reason),
                      JT_ERR_NOT_BEGUN);
    assert_string_equal (reason,
                         "2003-12: month not begun on 2003-11-14, the day it "
                         "arrived");
    assert_int_equal (s_check_month (fixture, "2003-12", "2003-11-30", reason),
                      JT_ERR_NOT_BEGUN);
    assert_string_equal (reason,
                         "2003-12: month not begun on 2003-11-30, the day it "
                         "arrived");
    assert_int_equal (s_check_month (fixture, "2003-12", "2003-12-01", reason),
                      JT_OK);
    //  No day known (a clock that could not be read): only the years hold.
    assert_int_equal (s_check_month (fixture, "2003-12", NULL, reason), JT_OK);
    assert_int_equal (store_cell_count (fixture->store), 0);
}

//  One memo over a run of updates, as the aggregator keeps one per batch:
//  every answer (code, indices, reason) is check_update's own.
static void
test_memo_answers_the_same (void **state)
{
    fixture_t *fixture = *state;
    int source = catalogue_source_find (fixture->catalogue, "north");
    const char *cases[][2] = {
        {"city.north", "employed_new"}, {"city.north", "employed_new"},
        {"city.north", "wages"},        {"city.north", "wage"},
        {"city.west", "wages"},         {"City.North", "wages"},
        {"city.south", "wages"},        {"city.north", "Wages"},
        {"city", "employed_new"},       {"city.north", "wages"}};
    check_memo_t memo = {0};
    for (size_t index = 0; index < sizeof cases / sizeof cases[0]; index++) {
        char plain_reason[CHECK_REASON_SIZE] = "";
        char memo_reason[CHECK_REASON_SIZE] = "";
        int plain_region, plain_indicator, memo_region, memo_indicator;
        jt_error_t plain = check_update (
            fixture->catalogue, fixture->store, source, cases[index][0],
            cases[index][1], period_parse ("2003-05"),
            period_day_parse ("2003-11-14"), 5000, false, &plain_region,
            &plain_indicator, plain_reason);
        jt_error_t memoed = check_update_memo (
            fixture->catalogue, fixture->store, &memo, source, cases[index][0],
            cases[index][1], period_parse ("2003-05"),
            period_day_parse ("2003-11-14"), 5000, false, &memo_region,
            &memo_indicator, memo_reason);
        assert_int_equal (memoed, plain);
        assert_int_equal (memo_region, plain_region);
        assert_int_equal (memo_indicator, plain_indicator);
        assert_string_equal (memo_reason, plain_reason);
        assert_int_equal (
            check_region_find (fixture->catalogue, &memo, cases[index][0]),
            catalogue_region_find (fixture->catalogue, cases[index][0]));
    }
}

static void
test_reasons_stay_utf8 (void **state)
{
    fixture_t *fixture = *state;
    char reason[CHECK_REASON_SIZE];
    //  30 three-byte characters (90 bytes): cut on a character boundary.
    char long_id[128] = "";
    for (int index = 0; index < 30; index++)
        strcat (long_id, "黑");
    assert_int_equal (s_check (fixture, long_id, "wages", 1, reason),
                      JT_ERR_BAD_ID);
    assert_true (utf8_valid (reason));
    //  21 characters of 3 bytes fit in 64 bytes; the cut is marked.
    char expected[128] = "bad id '";
    for (int index = 0; index < 21; index++)
        strcat (expected, "黑");
    strcat (expected, "...'");
    assert_string_equal (reason, expected);
    //  Bytes that are not UTF-8, a control character and a quote.
    assert_int_equal (s_check (fixture, "a\xff\xfe\n'b", "wages", 1, reason),
                      JT_ERR_BAD_ID);
    assert_string_equal (reason, "bad id 'a????b'");
    assert_true (utf8_valid (reason));
    //  Overlong, surrogate and beyond U+10FFFF: not UTF-8 either.
    assert_int_equal (s_check (fixture,
                               "\xc0\x80|\xed\xa0\x80|\xf5\x80\x80\x80",
                               "wages", 1, reason),
                      JT_ERR_BAD_ID);
    assert_string_equal (reason, "bad id '??|???|????"
                                 "'");
}

static void
test_format_value (void **state)
{
    (void)state;
    char buffer[32];
    assert_string_equal (check_format_value (1184000, buffer), "1184");
    assert_string_equal (check_format_value (-4000, buffer), "-4");
    assert_string_equal (check_format_value (12500, buffer), "12.5");
    assert_string_equal (check_format_value (1, buffer), "0.001");
    assert_string_equal (check_format_value (-1, buffer), "-0.001");
    assert_string_equal (check_format_value (INT64_MIN, buffer),
                         "-9223372036854775.808");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_reasons, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_memo_answers_the_same, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_reasons_stay_utf8, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (
            test_months_outside_the_years_are_refused, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (
            test_month_not_begun_on_the_day_it_arrived, s_setup, s_teardown),
        cmocka_unit_test (test_format_value),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
