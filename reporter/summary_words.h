/*  summary_words.h — the words and numbers every summary format shares,
    below the model and the writers: the fixed words of each language,
    month names, units, how a figure's value, a percentage or a time is
    written (one rounding rule, decimal.h), and the display width of a
    UTF-8 text. Knows nothing of the store or the model. Not a public API:
    summary.h is. */
#ifndef JT_SUMMARY_WORDS_H_INCLUDED
#define JT_SUMMARY_WORDS_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "summary.h"

//  "—", shown for an absent value.
#define SUMMARY_DASH "\xE2\x80\x94"

//  The fixed words of one language: headers, section titles, legends.
typedef struct {
    const char *figure;       //  "Figure"
    const char *value;        //  "Value"
    const char *unit;         //  "Unit"
    const char *target;       //  "Target"
    const char *completion;   //  "Completion"
    const char *pace;         //  "Pace"
    const char *region;       //  "Region"
    const char *of_task;      //  "% of task"
    const char *not_reported; //  "not reported"
    const char *severity;     //  "Severity"
    const char *rule;         //  "Rule"
    const char *condition;    //  "Value vs threshold"
    const char *since;        //  "Since"
    const char *alerts;       //  "Active alerts"
    const char *no_alerts;    //  "No active alerts."
    const char *figures;      //  section title of the figures table
    const char *regions;      //  section title of the regions table
    const char *chart_tasks;  //  chart (a) title
    const char *chart_rates;  //  chart (b) title
    const char *chart_trend;  //  chart (c) title
    const char *ahead;        //  legend: at or above pace
    const char *behind;       //  legend: behind pace
    const char *pace_line;    //  legend: "Pace: %s of the year gone"
    const char *task_line;    //  legend: "Task (100%)"
    const char *task_axis;    //  axis: "% of the annual task"
    const char *within;       //  legend: within the control line
    const char *above;        //  legend: above the control line
    const char *limit_line;   //  legend: control line
    const char *per_month;    //  axis: "Per month"
    const char *month_axis;   //  axis: "Month of %d"
    const char *trend_note;   //  note under the trend chart
    const char *generated;    //  footer: "jobtally summary" ...
} summary_words_t;

//  The words of lang: Chinese for "zh" (and "zh-..."), else English.
const summary_words_t *summary_words (const char *lang);

//  True when the sentence frames of lang are Chinese.
bool summary_chinese (const char *lang);

//  "January" or "1月": the month (1-12) in lang, short or in full.
const char *summary_month_name (int month, bool short_form, const char *lang);

//  "2003年10月" or "2003-10" into buffer of at least 32 bytes; returns
//  buffer.
char *summary_period_words (int period, const char *lang, char *buffer);

//  "2003-11-10 00:00 UTC" (iso false) or "2003-11-10T00:00:00Z" for
//  seconds since the epoch, into buffer of size bytes; returns buffer.
char *summary_time_text (int64_t seconds, bool iso, char *buffer, size_t size);

//  A severity as a word of lang ("critical", "严重").
const char *summary_severity_name (rule_severity_t severity, const char *lang);

//  "Heihe City — year to date through October 2003" or
//  "黑河市 — 2003年1—10月累计"; caller frees.
char *summary_title (const wording_t *wording, int region, int period,
                     const char *lang);

//  A fresh string from a format; out of memory aborts.
char *summary_printf (const char *format, ...)
    __attribute__ ((format (printf, 1, 2)));

//  Whether a figure index is an indicator (else a measure).
bool summary_is_indicator (const catalogue_t *catalogue, int figure);

//  A figure's unit as the catalogue writes it ("persons", "%", ""); never
//  NULL.
const char *summary_figure_unit (const catalogue_t *catalogue, int figure);

//  A figure's unit as shown in lang ("persons", "人"); never NULL.
const char *summary_unit (const catalogue_t *catalogue, int figure,
                          const char *lang);

//  Decimals a figure is shown with: a measure its own, an indicator as
//  few as its value needs (-1; whole units show 0).
int summary_figure_decimals (const catalogue_t *catalogue, int figure);

//  A figure's value with its decimals and thousands separators.
char *summary_value_text (const catalogue_t *catalogue, int figure,
                          double value, char *buffer, size_t size);

//  value rounded half away from zero (decimal.h) at places decimals,
//  without separators, SUMMARY_DASH when not finite; trim drops the
//  trailing zeros of the decimals ("1334.75", "100"). buffer holds size
//  bytes; returns buffer.
char *summary_plain_number (double value, int places, bool trim, char *buffer,
                            size_t size);

//  A percentage as every format shows it, rounded half away from zero to
//  1 decimal (decimal.h): "31.3%" for 5 of 16. buffer holds size bytes.
char *summary_percent (double value, char *buffer, size_t size);

//  Most decimals summary_contrast shows: the most a rule's line or a
//  control line may have in the catalogue.
#define SUMMARY_CONTRAST_MAX 6

//  value and the line it is shown against, as summary_number writes them
//  at decimals and line_decimals (< 0: as few as needed, at most 3), into
//  value_text and line_text of size bytes each. While the numbers shown
//  would stand in another order than the figures (the same number for two
//  that differ, or "28.8" against "28.75" for two that are equal), both
//  get one more decimal, at most SUMMARY_CONTRAST_MAX: "89.97" against
//  "90", never "90.0" against "90".
void summary_contrast (double value, int decimals, double line,
                       int line_decimals, char *value_text, char *line_text,
                       size_t size);

//  Decode the code point at text (not at its end): its size in bytes and
//  *point. A malformed byte is taken alone as U+FFFD.
size_t summary_utf8_next (const char *text, uint32_t *point);

//  Columns one code point takes on a terminal: East Asian wide and
//  full-width 2, combining marks 0, the rest 1.
int summary_code_point_width (uint32_t point);

#endif
