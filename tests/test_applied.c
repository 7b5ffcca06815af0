/*  test_applied.c — exactly once per (source, sequence): the window. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "applied.h"

static void
test_in_order (void **state)
{
    (void)state;
    applied_t applied = {0, 0};
    assert_false (applied_contains (&applied, 0));
    assert_false (applied_contains (&applied, 1));
    for (uint64_t sequence = 1; sequence <= 100; sequence++) {
        assert_false (applied_contains (&applied, sequence));
        applied_mark (&applied, sequence);
        assert_true (applied_contains (&applied, sequence));
    }
    assert_int_equal (applied.last, 100);
    assert_true (applied_contains (&applied, 1));
    assert_true (applied_contains (&applied, 37));
    assert_false (applied_contains (&applied, 101));
}

static void
test_out_of_order_and_gaps (void **state)
{
    (void)state;
    applied_t applied = {0, 0};
    applied_mark (&applied, 5);
    //  1-4 were never applied (reserved, lost, or still on the way).
    for (uint64_t sequence = 1; sequence < 5; sequence++)
        assert_false (applied_contains (&applied, sequence));
    applied_mark (&applied, 3);
    assert_true (applied_contains (&applied, 3));
    assert_false (applied_contains (&applied, 4));
    assert_false (applied_contains (&applied, 2));
    assert_int_equal (applied.last, 5);
    applied_mark (&applied, 4);
    assert_true (applied_contains (&applied, 4));
    assert_false (applied_contains (&applied, 6));
}

static void
test_window_edge (void **state)
{
    (void)state;
    applied_t applied = {0, 0};
    applied_mark (&applied, 100);
    //  63 below the last is still tracked: not applied.
    assert_false (applied_contains (&applied, 100 - 63));
    //  64 and more below count as applied: too old to be in flight.
    assert_true (applied_contains (&applied, 100 - 64));
    assert_true (applied_contains (&applied, 1));
    //  Marking an old one changes nothing tracked.
    applied_mark (&applied, 10);
    assert_int_equal (applied.last, 100);
    assert_int_equal (applied.below, 1);
    //  A jump past the window forgets the bitmap.
    applied_mark (&applied, 99);
    applied_mark (&applied, 1000);
    assert_int_equal (applied.below, 1);
    assert_false (applied_contains (&applied, 999));
    assert_true (applied_contains (&applied, 1000 - 64));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_in_order),
        cmocka_unit_test (test_out_of_order_and_gaps),
        cmocka_unit_test (test_window_edge),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
