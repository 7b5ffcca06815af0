/*  period.h — calendar months and days. A period is an int counting months
    from year 0 (year * 12 + month - 1), so that periods compare and
    subtract as integers; -1 means "no period". A day is an int counting
    days from 1970-01-01 (negative before it), for the same reason;
    PERIOD_DAY_NONE means "no day". Years 1900-2999 are accepted. */
#ifndef JT_PERIOD_H_INCLUDED
#define JT_PERIOD_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>

#define PERIOD_NONE (-1)
#define PERIOD_TEXT_SIZE 8 //  "YYYY-MM" and its NUL
#define PERIOD_DAY_NONE INT32_MIN
#define PERIOD_DAY_TEXT_SIZE 11 //  "YYYY-MM-DD" and its NUL

//  Parse "YYYY-MM" exactly (no spaces, two-digit month). PERIOD_NONE if
//  malformed or out of range.
int period_parse (const char *text);

//  Period from year and month (1-12); PERIOD_NONE if out of range.
int period_make (int year, int month);

//  True for a period inside the accepted range (years 1900-2999).
bool period_valid (int period);

//  Period from the wire form YYYYMM (200310); PERIOD_NONE if invalid.
int period_from_yyyymm (uint32_t yyyymm);

//  The wire form YYYYMM of a valid period.
uint32_t period_yyyymm (int period);

int period_year (int period);

//  Month 1-12.
int period_month (int period);

//  Write "YYYY-MM" into buffer, which holds PERIOD_TEXT_SIZE bytes.
//  Returns buffer.
char *period_format (int period, char *buffer);

//  Day from year, month (1-12) and day of the month; PERIOD_DAY_NONE if
//  that is not a calendar date (2003-02-30) or the year is out of range.
int period_day_make (int year, int month, int day);

//  Parse "YYYY-MM-DD" exactly, as a calendar date; PERIOD_DAY_NONE if not.
int period_day_parse (const char *text);

//  Day from the wire form YYYYMMDD (20031114); PERIOD_DAY_NONE if invalid.
int period_day_from_yyyymmdd (uint32_t yyyymmdd);

//  The wire form YYYYMMDD of a valid day.
uint32_t period_day_yyyymmdd (int day);

//  Write "YYYY-MM-DD" into buffer, which holds PERIOD_DAY_TEXT_SIZE bytes.
//  Returns buffer.
char *period_day_format (int day, char *buffer);

//  First and last day of a valid period's month.
int period_first_day (int period);
int period_last_day (int period);

#endif
