/*  json_check.h — the checks tests make of the JSON the programs print (a
    summary's coverage, an outbox's status): a member's exact integer or
    string, and a summary's one late region. Each fails the running cmocka
    test with the values it compared. */
#ifndef JT_JSON_CHECK_H_INCLUDED
#define JT_JSON_CHECK_H_INCLUDED

#include <jansson.h>

//  Fail unless object's member key is the integer expected (a member that
//  is absent or not an integer reads as 0, as json_integer_value has it).
void json_check_integer (const json_t *object, const char *key,
                         json_int_t expected);

//  Fail unless object's member key is the string expected.
void json_check_string (const json_t *object, const char *key,
                        const char *expected);

//  Fail unless a summary's coverage lists exactly one late region, region,
//  whose report arrived on reported (YYYY-MM-DD).
void json_check_one_late (const json_t *coverage, const char *region,
                          const char *reported);

#endif
