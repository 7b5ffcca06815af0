/*  utf8.h — the structural UTF-8 check that test_check and fuzz_codec make
    of every reason check_update gives, since reasons travel in protobuf
    strings. Plain C, no cmocka: the fuzz target compiles it too. */
#ifndef JT_TEST_UTF8_H_INCLUDED
#define JT_TEST_UTF8_H_INCLUDED

#include <stdbool.h>

//  True when text is well-formed UTF-8 by its lead and continuation bytes.
bool utf8_valid (const char *text);

#endif
