/*  test_period.c — calendar months and days and the shared id check and
    error strings (core/period.c, core/jt.c). */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "jt.h"
#include "period.h"

static void
test_parse_valid (void **state)
{
    (void)state;
    assert_int_equal (period_parse ("2003-10"), 2003 * 12 + 9);
    assert_int_equal (period_parse ("2003-01"), 2003 * 12);
    assert_int_equal (period_parse ("2003-12"), 2003 * 12 + 11);
    assert_int_equal (period_parse ("1900-01"), 1900 * 12);
    assert_int_equal (period_parse ("2999-12"), 2999 * 12 + 11);
    assert_int_equal (period_year (period_parse ("2003-10")), 2003);
    assert_int_equal (period_month (period_parse ("2003-10")), 10);
}

//  Fail unless parse (named name) answers none to every text in bad, and
//  to NULL.
static void
s_assert_refused (int (*parse) (const char *), const char *name, int none,
                  const char *const *bad, size_t count)
{
    for (size_t index = 0; index < count; index++) {
        if (parse (bad[index]) != none)
            fail_msg ("%s accepted '%s'", name, bad[index]);
    }
    assert_int_equal (parse (NULL), none);
}

static void
test_parse_invalid (void **state)
{
    (void)state;
    const char *bad[] = {"",         "2003",       "2003-",   "2003-1",
                         "2003-001", "2003-00",    "2003-13", "1899-12",
                         "3000-01",  "03-10",      "2003/10", "2003-10 ",
                         " 2003-10", "2003-10x",   "200a-10", "2003-1a",
                         "+003-10",  "2003--1",    "20031",   "2003-10-01",
                         "-003-10",  "２００３-10"};
    s_assert_refused (period_parse, "period_parse", PERIOD_NONE, bad,
                      sizeof bad / sizeof bad[0]);
}

static void
test_make (void **state)
{
    (void)state;
    assert_int_equal (period_make (2003, 10), 24045);
    assert_int_equal (period_make (2003, 0), PERIOD_NONE);
    assert_int_equal (period_make (2003, 13), PERIOD_NONE);
    assert_int_equal (period_make (1899, 12), PERIOD_NONE);
    assert_int_equal (period_make (3000, 1), PERIOD_NONE);
    assert_int_equal (period_make (1900, 1), 22800);
    //  The valid range is exactly what period_make gives
    assert_true (period_valid (period_make (1900, 1)));
    assert_true (period_valid (period_make (2999, 12)));
    assert_false (period_valid (period_make (1900, 1) - 1));
    assert_false (period_valid (period_make (2999, 12) + 1));
    assert_false (period_valid (PERIOD_NONE));
    //  Periods subtract as months
    assert_int_equal (period_make (2004, 2) - period_make (2003, 11), 3);
    assert_true (period_make (2003, 12) < period_make (2004, 1));
}

static void
test_yyyymm (void **state)
{
    (void)state;
    assert_int_equal (period_from_yyyymm (200310), period_make (2003, 10));
    assert_int_equal (period_from_yyyymm (190001), period_make (1900, 1));
    assert_int_equal (period_from_yyyymm (299912), period_make (2999, 12));
    assert_int_equal (period_from_yyyymm (200300), PERIOD_NONE);
    assert_int_equal (period_from_yyyymm (200313), PERIOD_NONE);
    assert_int_equal (period_from_yyyymm (189912), PERIOD_NONE);
    assert_int_equal (period_from_yyyymm (300001), PERIOD_NONE);
    assert_int_equal (period_from_yyyymm (0), PERIOD_NONE);
    assert_int_equal (period_from_yyyymm (2003), PERIOD_NONE);
    assert_int_equal (period_from_yyyymm (UINT32_MAX), PERIOD_NONE);
    assert_int_equal (period_yyyymm (period_make (2003, 10)), 200310);
    assert_int_equal (period_yyyymm (period_make (2003, 1)), 200301);
}

static void
test_format (void **state)
{
    (void)state;
    char buffer[PERIOD_TEXT_SIZE];
    assert_string_equal (period_format (period_make (2003, 10), buffer),
                         "2003-10");
    assert_ptr_equal (period_format (period_make (1900, 1), buffer), buffer);
    assert_string_equal (buffer, "1900-01");
    assert_string_equal (period_format (period_make (2999, 12), buffer),
                         "2999-12");
    //  Round trip over every month of a few years
    for (int year = 1999; year <= 2001; year++)
        for (int month = 1; month <= 12; month++) {
            int period = period_make (year, month);
            assert_int_equal (period_parse (period_format (period, buffer)),
                              period);
            assert_int_equal (period_from_yyyymm (period_yyyymm (period)),
                              period);
        }
}

static void
test_day_make (void **state)
{
    (void)state;
    //  Days since 1970-01-01
    assert_int_equal (period_day_make (1970, 1, 1), 0);
    assert_int_equal (period_day_make (1969, 12, 31), -1);
    assert_int_equal (period_day_make (2003, 11, 14), 12370);
    assert_int_equal (period_day_make (2003, 10, 1), 12326);
    assert_int_equal (period_day_make (2000, 2, 29), 11016);
    assert_int_equal (period_day_make (2004, 2, 29), 12477);
    assert_int_equal (period_day_make (1900, 1, 1), -25567);
    assert_int_equal (period_day_make (2999, 12, 31), 376199);
    //  Not calendar dates, or out of range
    assert_int_equal (period_day_make (2003, 2, 29), PERIOD_DAY_NONE);
    assert_int_equal (period_day_make (1900, 2, 29), PERIOD_DAY_NONE);
    assert_int_equal (period_day_make (2003, 2, 30), PERIOD_DAY_NONE);
    assert_int_equal (period_day_make (2003, 4, 31), PERIOD_DAY_NONE);
    assert_int_equal (period_day_make (2003, 1, 0), PERIOD_DAY_NONE);
    assert_int_equal (period_day_make (2003, 13, 1), PERIOD_DAY_NONE);
    assert_int_equal (period_day_make (1899, 12, 31), PERIOD_DAY_NONE);
    assert_int_equal (period_day_make (3000, 1, 1), PERIOD_DAY_NONE);
    //  Days subtract as days, across a leap day
    assert_int_equal (
        period_day_make (2004, 3, 1) - period_day_make (2004, 2, 28), 2);
    assert_int_equal (
        period_day_make (2003, 3, 1) - period_day_make (2003, 2, 28), 1);

    //  A month's first and last day
    int october = period_make (2003, 10);
    assert_int_equal (period_first_day (october), 12326);
    assert_int_equal (period_last_day (october),
                      period_day_make (2003, 10, 31));
    assert_int_equal (period_last_day (period_make (2004, 2)),
                      period_day_make (2004, 2, 29));
    assert_int_equal (period_last_day (period_make (2003, 2)),
                      period_day_make (2003, 2, 28));
    assert_int_equal (period_last_day (period_make (2003, 12)) + 1,
                      period_first_day (period_make (2004, 1)));
}

static void
test_day_text_and_wire (void **state)
{
    (void)state;
    assert_int_equal (period_day_parse ("2003-11-14"), 12370);
    assert_int_equal (period_day_parse ("2004-02-29"), 12477);
    const char *bad[] = {
        "",           "2003-11",       "2003-11-1",   "2003-11-014",
        "2003/11/14", "2003-11-14 ",   " 2003-11-14", "2003-02-30",
        "2003-02-29", "2003-13-01",    "2003-00-10",  "2003-11-00",
        "20031114",   "1899-12-31",    "3000-01-01",  "2003-1a-14",
        "14-11-2003", "２００３-11-14"};
    s_assert_refused (period_day_parse, "period_day_parse", PERIOD_DAY_NONE,
                      bad, sizeof bad / sizeof bad[0]);

    assert_int_equal (period_day_from_yyyymmdd (20031114), 12370);
    assert_int_equal (period_day_from_yyyymmdd (20030230), PERIOD_DAY_NONE);
    assert_int_equal (period_day_from_yyyymmdd (0), PERIOD_DAY_NONE);
    assert_int_equal (period_day_from_yyyymmdd (200311), PERIOD_DAY_NONE);
    assert_int_equal (period_day_from_yyyymmdd (30000101), PERIOD_DAY_NONE);
    assert_int_equal (period_day_from_yyyymmdd (UINT32_MAX), PERIOD_DAY_NONE);
    assert_int_equal (period_day_yyyymmdd (12370), 20031114);
    assert_int_equal (period_day_yyyymmdd (-1), 19691231);

    char buffer[PERIOD_DAY_TEXT_SIZE];
    assert_string_equal (period_day_format (12370, buffer), "2003-11-14");
    assert_ptr_equal (period_day_format (-25567, buffer), buffer);
    assert_string_equal (buffer, "1900-01-01");
    assert_string_equal (period_day_format (376199, buffer), "2999-12-31");
    //  Round trip over every day of a few years, leap and not, and each
    //  day follows the one before
    int previous = period_day_make (1999, 12, 31);
    for (int year = 2000; year <= 2004; year++)
        for (int month = 1; month <= 12; month++)
            for (int day = 1; day <= 31; day++) {
                int value = period_day_make (year, month, day);
                if (value == PERIOD_DAY_NONE)
                    continue;
                assert_int_equal (value, previous + 1);
                previous = value;
                assert_int_equal (
                    period_day_parse (period_day_format (value, buffer)),
                    value);
                assert_int_equal (period_day_yyyymmdd (value),
                                  (uint32_t)(year * 10000 + month * 100 + day));
                assert_int_equal (
                    period_day_from_yyyymmdd (period_day_yyyymmdd (value)),
                    value);
            }
    assert_int_equal (previous, period_day_make (2004, 12, 31));
}

static void
test_strerror (void **state)
{
    (void)state;
    const struct {
        jt_error_t code;
        const char *text;
    } texts[] = {
        {JT_OK, "ok"},
        {JT_ERR_UNKNOWN_REGION, "unknown region"},
        {JT_ERR_NOT_LEAF, "region is not a leaf"},
        {JT_ERR_UNKNOWN_INDICATOR, "unknown indicator"},
        {JT_ERR_BAD_PERIOD, "bad period"},
        {JT_ERR_BAD_NUMBER, "not a number"},
        {JT_ERR_NEGATIVE, "negative value"},
        {JT_ERR_NOT_WHOLE, "not a whole number"},
        {JT_ERR_TOO_LARGE, "value too large"},
        {JT_ERR_BAD_OP, "bad op"},
        {JT_ERR_COLUMNS, "wrong number of columns"},
        {JT_ERR_NOT_ASSIGNED, "region not assigned to source"},
        {JT_ERR_UNKNOWN_SOURCE, "unknown source"},
        {JT_ERR_MALFORMED, "malformed message"},
        {JT_ERR_TOO_MANY, "batch too large"},
        {JT_ERR_BAD_ID, "bad id"},
        {JT_ERR_BAD_DATE, "bad report date"},
        {JT_ERR_FRAMES, "wrong frame count"},
        {JT_ERR_WRONG_TYPE, "wrong message type"},
        {JT_ERR_KEY, "key not allowed"},
        {JT_ERR_BAD_SEQUENCE, "bad sequence"},
        {JT_ERR_OUT_OF_ORDER, "out of order"},
        {JT_ERR_SEQUENCE_REUSED, "sequence reused"},
        {JT_ERR_NOT_ACCEPTED, "period not accepted"},
        {JT_ERR_NOT_BEGUN, "month not begun"},
        {JT_ERR_COUNT, "unknown error"},
    };
    for (size_t index = 0; index < sizeof texts / sizeof texts[0]; index++)
        assert_string_equal (jt_strerror (texts[index].code),
                             texts[index].text);
    //  Stats name a reason by its text: every code has its own.
    for (int one = 0; one < JT_ERR_COUNT; one++) {
        assert_string_not_equal (jt_strerror ((jt_error_t)one),
                                 "unknown error");
        for (int other = one + 1; other < JT_ERR_COUNT; other++)
            assert_string_not_equal (jt_strerror ((jt_error_t)one),
                                     jt_strerror ((jt_error_t)other));
    }
    assert_string_equal (jt_strerror ((jt_error_t)999), "unknown error");
    assert_string_equal (jt_strerror ((jt_error_t)-1), "unknown error");
}

static void
test_id_valid (void **state)
{
    (void)state;
    assert_true (jt_id_valid ("heihe"));
    assert_true (jt_id_valid ("heihe.aihui"));
    assert_true (jt_id_valid ("employed_new"));
    assert_true (jt_id_valid ("a-b_c.9"));
    assert_true (jt_id_valid ("0"));
    char longest[65];
    memset (longest, 'a', 64);
    longest[64] = '\0';
    assert_true (jt_id_valid (longest));
    char too_long[66];
    memset (too_long, 'a', 65);
    too_long[65] = '\0';
    assert_false (jt_id_valid (too_long));
    assert_false (jt_id_valid (""));
    assert_false (jt_id_valid (NULL));
    assert_false (jt_id_valid ("Heihe"));
    assert_false (jt_id_valid ("heihe aihui"));
    assert_false (jt_id_valid ("heihe/aihui"));
    assert_false (jt_id_valid ("黑河"));
    assert_false (jt_id_valid ("a,b"));
    assert_false (jt_id_valid ("a\n"));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_parse_valid),
        cmocka_unit_test (test_parse_invalid),
        cmocka_unit_test (test_make),
        cmocka_unit_test (test_yyyymm),
        cmocka_unit_test (test_format),
        cmocka_unit_test (test_day_make),
        cmocka_unit_test (test_day_text_and_wire),
        cmocka_unit_test (test_strerror),
        cmocka_unit_test (test_id_valid),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
