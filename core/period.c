/*  period.c — calendar months as integers (year * 12 + month - 1), so
    that periods compare and subtract as ints. Pure: no I/O. */

#include "period.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>

#define S_YEAR_MIN 1900
#define S_YEAR_MAX 2999

static bool
s_is_digit (char c)
{
    return c >= '0' && c <= '9';
}

//  Parse exactly "YYYY-MM": four digits, '-', two digits, nothing else.
int
period_parse (const char *text)
{
    if (!text)
        return PERIOD_NONE;
    for (int index = 0; index < 7; index++) {
        if (index == 4) {
            if (text[index] != '-')
                return PERIOD_NONE;
        } else if (!s_is_digit (text[index]))
            return PERIOD_NONE; //  also stops at a short string's NUL
    }
    if (text[7] != '\0')
        return PERIOD_NONE;
    int year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 +
               (text[2] - '0') * 10 + (text[3] - '0');
    int month = (text[5] - '0') * 10 + (text[6] - '0');
    return period_make (year, month);
}

int
period_make (int year, int month)
{
    if (year < S_YEAR_MIN || year > S_YEAR_MAX || month < 1 || month > 12)
        return PERIOD_NONE;
    return year * 12 + month - 1;
}

int
period_from_yyyymm (uint32_t yyyymm)
{
    if (yyyymm > (uint32_t)S_YEAR_MAX * 100 + 12)
        return PERIOD_NONE;
    return period_make ((int)(yyyymm / 100), (int)(yyyymm % 100));
}

//  A period outside 1900-01 .. 2999-12 here is a programmer's mistake.
static void
s_assert_valid (int period)
{
    assert (period >= S_YEAR_MIN * 12 && period <= S_YEAR_MAX * 12 + 11);
    (void)period;
}

uint32_t
period_yyyymm (int period)
{
    s_assert_valid (period);
    return (uint32_t)(period_year (period) * 100 + period_month (period));
}

int
period_year (int period)
{
    s_assert_valid (period);
    return period / 12;
}

int
period_month (int period)
{
    s_assert_valid (period);
    return period % 12 + 1;
}

char *
period_format (int period, char *buffer)
{
    assert (buffer);
    s_assert_valid (period);
    //  The year is 1900-2999 and the month 1-12: always 7 characters.
    unsigned year = (unsigned) period_year (period) % 10000;
    unsigned month = (unsigned) period_month (period) % 100;
    snprintf (buffer, PERIOD_TEXT_SIZE, "%04u-%02u", year, month);
    return buffer;
}
