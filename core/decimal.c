/*  decimal.c — rounding half away from zero on the decimal figure (see
    decimal.h). Pure: no I/O. */
#include <assert.h>
#include <float.h>
#include <math.h> //  isfinite, a macro: no libm needed
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"

//  Room for the integer part of any finite double (309 digits), a sign, a
//  point and DECIMAL_MAX decimals.
#define S_TEXT_MAX 330

//  The significant digits of |value| as written with significant digits
//  ("%.*e"): digits without the point into digits (room for 18), and
//  the power of ten of the first one into *exponent.
static void
s_digits (double value, int significant, char *digits, int *exponent)
{
    char text[40];
    snprintf (text, sizeof (text), "%.*e", significant - 1, value);
    char *mark = strchr (text, 'e');
    assert (mark);
    *exponent = atoi (mark + 1);
    size_t count = 0;
    for (const char *scan = text; scan < mark; scan++)
        if (*scan >= '0' && *scan <= '9') //  not the sign, nor the point
            digits[count++] = *scan;
    digits[count] = 0;
}

char *
decimal_text (double value, int decimals, char *buffer, size_t size)
{
    assert (decimals >= 0 && decimals <= DECIMAL_MAX);
    assert (buffer && size > 0);
    if (!isfinite (value)) {
        snprintf (buffer, size, "%f", value);
        return buffer;
    }
    //  15 significant digits, or more (at most 17) when the digits shown
    //  need more: one beyond the last shown decides the rounding
    char digits[20];
    int exponent;
    s_digits (value, DBL_DIG, digits, &exponent);
    int needed = exponent + 1 + decimals + 1;
    if (needed > DBL_DIG)
        s_digits (value, needed < 17 ? needed : 17, digits, &exponent);
    int count = (int)strlen (digits);

    //  rounded holds |value| * 10^decimals, rounded, as decimal digits
    //  after decimals + 1 leading zeros: room for a carry, and for the
    //  zeros of "0.05"
    char rounded[S_TEXT_MAX];
    int kept = exponent + 1 + decimals; //  digits before the rounding point
    int used = 0;
    while (used < decimals + 1)
        rounded[used++] = '0';
    for (int index = 0; index < kept; index++)
        rounded[used++] = index < count ? digits[index] : '0';
    if (kept >= 0 && kept < count && digits[kept] >= '5') {
        int at = used - 1;
        while (rounded[at] == '9')
            rounded[at--] = '0';
        rounded[at]++;
    }
    rounded[used] = 0;

    //  Drop the leading zeros but one before the point
    const char *start = rounded;
    while (*start == '0' && (int)strlen (start) > decimals + 1)
        start++;
    int length = (int)strlen (start);
    bool zero = strspn (start, "0") == (size_t)length;
    char text[S_TEXT_MAX + 4];
    snprintf (text, sizeof (text), "%s%.*s%s%s", value < 0 && !zero ? "-" : "",
              length - decimals, start, decimals > 0 ? "." : "",
              start + length - decimals);
    snprintf (buffer, size, "%s", text);
    return buffer;
}

double
decimal_round (double value, int decimals)
{
    if (!isfinite (value))
        return value;
    char text[S_TEXT_MAX + 4];
    decimal_text (value, decimals, text, sizeof (text));
    return strtod (text, NULL);
}
