/*  period.h — calendar months. A period is an int counting months from
    year 0 (year * 12 + month - 1), so that periods compare and subtract as
    integers; -1 means "no period". Years 1900-2999 are accepted. */
#ifndef JT_PERIOD_H_INCLUDED
#define JT_PERIOD_H_INCLUDED

#include <stdint.h>

#define PERIOD_NONE (-1)
#define PERIOD_TEXT_SIZE 8      //  "YYYY-MM" and its NUL

//  Parse "YYYY-MM" exactly (no spaces, two-digit month). PERIOD_NONE if
//  malformed or out of range.
int
    period_parse (const char *text);

//  Period from year and month (1-12); PERIOD_NONE if out of range.
int
    period_make (int year, int month);

//  Period from the wire form YYYYMM (200310); PERIOD_NONE if invalid.
int
    period_from_yyyymm (uint32_t yyyymm);

//  The wire form YYYYMM of a valid period.
uint32_t
    period_yyyymm (int period);

int
    period_year (int period);

//  Month 1-12.
int
    period_month (int period);

//  Write "YYYY-MM" into buffer, which holds PERIOD_TEXT_SIZE bytes.
//  Returns buffer.
char *
    period_format (int period, char *buffer);

#endif
