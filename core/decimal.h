/*  decimal.h — the one rounding rule of jobtally: a figure is rounded half
    away from zero at the decimals it is shown with, in every format (text,
    Markdown, CSV, JSON, HTML, alert lines), so that 5 of 16 reads 31.3%
    everywhere. Pure: no I/O.

    A double rarely holds a decimal tie exactly: 2.675 is stored as
    2.67499999999999982236431605997495353221893310546875, and a rate
    computed as 5 / 16 * 100 or a pace as completion / elapsed * 100 may be
    a few units in the last place off the decimal figure a statistician
    computes by hand. So the rounding is done on the value's decimal
    figure, not on its binary one: the value is first written with 15
    significant digits (DBL_DIG, the most a double keeps faithfully, which
    absorbs those few units in the last place), and that decimal text is
    rounded half away from zero. Only a figure whose shown digits need
    more than 15 significant ones (above 10^11 at 3 decimals) is written
    with up to 17 first, so that no shown digit is lost. */
#ifndef JT_DECIMAL_H_INCLUDED
#define JT_DECIMAL_H_INCLUDED

#include <stddef.h>

//  Most decimals a figure is rounded to.
#define DECIMAL_MAX 9

//  Write value rounded half away from zero at decimals (0..DECIMAL_MAX)
//  into buffer of size bytes as plain decimal text, without separators:
//  "31.3" for 31.25 at 1, "2.68" for 2.675 at 2, "-0.13" for -0.125 at 2,
//  "0.0" (never "-0.0") for -0.04 at 1. A value that is not finite reads
//  as printf writes it ("inf", "nan"). Returns buffer.
char *decimal_text (double value, int decimals, char *buffer, size_t size);

//  value rounded as decimal_text rounds it: the double nearest to that
//  text (31.3 for 31.25 at 1), so that a JSON number printed with 15
//  significant digits reads as the text does. Not finite: value itself.
double decimal_round (double value, int decimals);

#endif
