/*  json_check.c — see json_check.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "json_check.h"

void
json_check_integer (const json_t *object, const char *key, json_int_t expected)
{
    assert_int_equal (json_integer_value (json_object_get (object, key)),
                      expected);
}

void
json_check_string (const json_t *object, const char *key, const char *expected)
{
    const char *actual = json_string_value (json_object_get (object, key));
    if (!actual)
        fail_msg ("'%s' is not a string, expected '%s'", key, expected);
    assert_string_equal (actual, expected);
}

void
json_check_one_late (const json_t *coverage, const char *region,
                     const char *reported)
{
    json_t *late = json_object_get (coverage, "late");
    assert_int_equal (json_array_size (late), 1);
    json_check_string (json_array_get (late, 0), "region", region);
    json_check_string (json_array_get (late, 0), "reported", reported);
}
