/*  refusal.c — see refusal.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "refusal.h"

void
refusal_assert (refusal_read_fn *read, refusal_destroy_fn *destroy, void *arg,
                const char *text, const char *expected)
{
    char *error = NULL;
    void *object = read (text, &error, arg);
    if (object) {
        destroy (object);
        fail_msg ("accepted, expected '%s'", expected);
    }
    assert_non_null (error);
    assert_string_equal (error, expected);
    free (error);
    //  Without an error pointer: refused the same, nothing leaks
    assert_null (read (text, NULL, arg));
}
