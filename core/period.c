/*  period.c — calendar months as integers (year * 12 + month - 1) and
    calendar days as days since 1970-01-01, so that both compare and
    subtract as ints. Pure: no I/O, no clock. */

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
bool
period_valid (int period)
{
    return period >= S_YEAR_MIN * 12 && period <= S_YEAR_MAX * 12 + 11;
}

static void
s_assert_valid (int period)
{
    assert (period_valid (period));
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
    unsigned year = (unsigned)period_year (period) % 10000;
    unsigned month = (unsigned)period_month (period) % 100;
    snprintf (buffer, PERIOD_TEXT_SIZE, "%04u-%02u", year, month);
    return buffer;
}

//  Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
//  days_from_civil): years counted from March, so the leap day falls last.
static int
s_days_from_civil (int year, int month, int day)
{
    year -= month <= 2;
    int era = (year >= 0 ? year : year - 399) / 400;
    int year_of_era = year - era * 400;
    int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

//  The inverse of s_days_from_civil.
static void
s_civil_from_days (int days, int *year, int *month, int *day)
{
    days += 719468;
    int era = (days >= 0 ? days : days - 146096) / 146097;
    int day_of_era = days - era * 146097;
    int year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
                       day_of_era / 146096) /
                      365;
    int day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int shifted_month = (5 * day_of_year + 2) / 153;
    *day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    *month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
    *year = year_of_era + era * 400 + (*month <= 2);
}

static int
s_month_length (int year, int month)
{
    static const int lengths[12] = {31, 28, 31, 30, 31, 30,
                                    31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : lengths[month - 1];
}

int
period_day_make (int year, int month, int day)
{
    if (period_make (year, month) == PERIOD_NONE || day < 1 ||
        day > s_month_length (year, month))
        return PERIOD_DAY_NONE;
    return s_days_from_civil (year, month, day);
}

//  Parse exactly "YYYY-MM-DD": digits with '-' at 4 and 7, nothing else.
int
period_day_parse (const char *text)
{
    if (!text)
        return PERIOD_DAY_NONE;
    for (int index = 0; index < 10; index++) {
        if (index == 4 || index == 7) {
            if (text[index] != '-')
                return PERIOD_DAY_NONE;
        } else if (!s_is_digit (text[index]))
            return PERIOD_DAY_NONE; //  also stops at a short string's NUL
    }
    if (text[10] != '\0')
        return PERIOD_DAY_NONE;
    int year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 +
               (text[2] - '0') * 10 + (text[3] - '0');
    int month = (text[5] - '0') * 10 + (text[6] - '0');
    int day = (text[8] - '0') * 10 + (text[9] - '0');
    return period_day_make (year, month, day);
}

int
period_day_from_yyyymmdd (uint32_t yyyymmdd)
{
    if (yyyymmdd > (uint32_t)S_YEAR_MAX * 10000 + 1231)
        return PERIOD_DAY_NONE;
    return period_day_make ((int)(yyyymmdd / 10000),
                            (int)(yyyymmdd / 100 % 100), (int)(yyyymmdd % 100));
}

//  A day outside 1900-01-01 .. 2999-12-31 here is a programmer's mistake.
static void
s_assert_day_valid (int day)
{
    assert (day >= s_days_from_civil (S_YEAR_MIN, 1, 1) &&
            day <= s_days_from_civil (S_YEAR_MAX, 12, 31));
    (void)day;
}

uint32_t
period_day_yyyymmdd (int day)
{
    s_assert_day_valid (day);
    int year, month, day_of_month;
    s_civil_from_days (day, &year, &month, &day_of_month);
    return (uint32_t)(year * 10000 + month * 100 + day_of_month);
}

char *
period_day_format (int day, char *buffer)
{
    assert (buffer);
    s_assert_day_valid (day);
    int year, month, day_of_month;
    s_civil_from_days (day, &year, &month, &day_of_month);
    //  Always 10 characters: the year is 1900-2999.
    snprintf (buffer, PERIOD_DAY_TEXT_SIZE, "%04u-%02u-%02u",
              (unsigned)year % 10000, (unsigned)month % 100,
              (unsigned)day_of_month % 100);
    return buffer;
}

int
period_first_day (int period)
{
    return s_days_from_civil (period_year (period), period_month (period), 1);
}

int
period_last_day (int period)
{
    int year = period_year (period), month = period_month (period);
    return s_days_from_civil (year, month, s_month_length (year, month));
}
