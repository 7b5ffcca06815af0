/*  test_jt.c — what every part shares (core/jt.c): the count grammar of
    messages, singular for exactly one. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>

#include "jt.h"

static void
test_one_is_singular_every_other_count_plural (void **state)
{
    (void)state;
    const char *expected[] = {"0 connections refused", "1 connection refused",
                              "2 connections refused"};
    for (uint64_t count = 0; count < 3; count++) {
        char line[64];
        snprintf (line, sizeof line, "%" PRIu64 " %s refused", count,
                  jt_plural (count, "connection", "connections"));
        assert_string_equal (line, expected[count]);
    }
    assert_string_equal (jt_plural (1, "batch stays", "batches stay"),
                         "batch stays");
    assert_string_equal (jt_plural (11, "batch", "batches"), "batches");
    assert_string_equal (jt_plural (UINT64_MAX, "byte", "bytes"), "bytes");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_one_is_singular_every_other_count_plural),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
