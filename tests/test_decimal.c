/*  test_decimal.c — the one rounding rule: half away from zero on the
    figure's decimal digits, whatever its binary representation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "decimal.h"

static char s_buffer[400];

static const char *
s_text (double value, int decimals)
{
    return decimal_text (value, decimals, s_buffer, sizeof (s_buffer));
}

//  Exact ties go away from zero: 5 of 16 is 31.25%, shown 31.3% (printf's
//  "%.1f" writes 31.2, rounding the tie to even).
static void
test_exact_ties_go_away_from_zero (void **state)
{
    (void)state;
    assert_string_equal (s_text (5.0 / 16 * 100, 1), "31.3");
    assert_string_equal (s_text (-5.0 / 16 * 100, 1), "-31.3");
    assert_string_equal (s_text (0.125, 2), "0.13");
    assert_string_equal (s_text (-0.125, 2), "-0.13");
    assert_string_equal (s_text (2.5, 0), "3");
    assert_string_equal (s_text (-2.5, 0), "-3");
    assert_string_equal (s_text (0.5, 0), "1");
    assert_string_equal (s_text (12.5, 0), "13");
    assert_string_equal (s_text (0.0005, 3), "0.001");
    //  Just below a tie stays below
    assert_string_equal (s_text (31.249, 1), "31.2");
    assert_string_equal (s_text (0.1249, 2), "0.12");
}

//  A tie the double holds a few units in the last place off: the
//  decimal figure decides, as a statistician computes it by hand.
static void
test_ties_off_by_the_binary_representation (void **state)
{
    (void)state;
    //  2.675 is stored as 2.67499999999999982...
    assert_string_equal (s_text (2.675, 2), "2.68");
    assert_string_equal (s_text (1.005, 2), "1.01");
    assert_string_equal (s_text (-1.005, 2), "-1.01");
    //  23 of 80 is 28.75%, computed as 28.749999999999996
    double low = 23.0 / 80 * 100;
    assert_true (low < 28.75);
    assert_string_equal (s_text (low, 1), "28.8");
    //  41 of 80 is 51.25%, computed as 51.24999999999999
    assert_string_equal (s_text (41.0 / 80 * 100, 1), "51.3");
    //  11 of 80 is 13.75%, computed as 13.750000000000002
    assert_string_equal (s_text (11.0 / 80 * 100, 1), "13.8");
    //  A pace: 12.5% of the task at the end of August (66.7% of the year
    //  gone) is 18.75, computed as 18.750000000000004
    double pace = (1.0 / 8 * 100) / (8 / 12.0 * 100) * 100;
    assert_string_equal (s_text (pace, 1), "18.8");
    assert_string_equal (s_text (pace, 2), "18.75");
}

//  Carries run through nines; zero has no sign; small values keep their
//  leading zeros.
static void
test_carries_zero_and_small (void **state)
{
    (void)state;
    assert_string_equal (s_text (9.95, 1), "10.0");
    assert_string_equal (s_text (99.995, 2), "100.00");
    assert_string_equal (s_text (999.5, 0), "1000");
    assert_string_equal (s_text (-999.5, 0), "-1000");
    assert_string_equal (s_text (0, 0), "0");
    assert_string_equal (s_text (0, 2), "0.00");
    assert_string_equal (s_text (-0.0, 1), "0.0");
    assert_string_equal (s_text (-0.04, 1), "0.0");
    assert_string_equal (s_text (-0.05, 1), "-0.1");
    assert_string_equal (s_text (0.004, 2), "0.00");
    assert_string_equal (s_text (0.005, 2), "0.01");
    assert_string_equal (s_text (0.0004, 2), "0.00");
    assert_string_equal (s_text (0.96, 0), "1");
    assert_string_equal (s_text (0.049, 1), "0.0");
    assert_string_equal (s_text (11800, 0), "11800");
    assert_string_equal (s_text (1334.75, 3), "1334.750");
    assert_string_equal (s_text (2.9600001, 2), "2.96");
    assert_string_equal (s_text (1.0 / 3, 9), "0.333333333");
}

//  Large figures keep every shown digit: 17 significant digits are read
//  when 15 do not reach the decimals shown.
static void
test_large_figures_keep_their_digits (void **state)
{
    (void)state;
    assert_string_equal (s_text (1234567890123.456, 3), "1234567890123.456");
    assert_string_equal (s_text (999999999999.999, 3), "999999999999.999");
    assert_string_equal (s_text (123456789012.345, 2), "123456789012.35");
    assert_string_equal (s_text (1e15, 0), "1000000000000000");
    assert_string_equal (s_text (1e20, 1), "100000000000000000000.0");
}

//  decimal_round gives the double of the text, so that a JSON real
//  printed with 15 significant digits reads as the text does.
static void
test_round_matches_the_text (void **state)
{
    (void)state;
    assert_true (decimal_round (5.0 / 16 * 100, 1) == 31.3);
    assert_true (decimal_round (2.675, 2) == 2.68);
    assert_true (decimal_round (23.0 / 80 * 100, 1) == 28.8);
    assert_true (decimal_round (-0.125, 2) == -0.13);
    assert_true (decimal_round (81.5049, 3) == 81.505);
    assert_true (decimal_round (2.9600001, 2) == 2.96);
    assert_true (decimal_round (1234567890123.4561, 3) == 1234567890123.456);
    assert_true (decimal_round (7, 0) == 7);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_exact_ties_go_away_from_zero),
        cmocka_unit_test (test_ties_off_by_the_binary_representation),
        cmocka_unit_test (test_carries_zero_and_small),
        cmocka_unit_test (test_large_figures_keep_their_digits),
        cmocka_unit_test (test_round_matches_the_text),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
