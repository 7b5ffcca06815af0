/*  summary_parts.h — what the summary's formats share, inside the
    reporter: the words of each language, the sentences (title, coverage,
    headline), the tables (figures, regions, alerts) built once and printed
    by each format in its own way. Not a public API: summary.h is. */
#ifndef JT_SUMMARY_PARTS_H_INCLUDED
#define JT_SUMMARY_PARTS_H_INCLUDED

#include <stdio.h>

#include "summary.h"

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

//  A table of owned cell strings with borrowed headers; text, md and html
//  print it each in their own way.
typedef struct {
    size_t columns;       //  number of columns
    const char **headers; //  borrowed header texts
    bool *right;          //  right-align this column (numbers)
    size_t rows;          //  rows added
    size_t capacity;      //  rows allocated
    char **cells;         //  rows * columns owned strings, row-major
} summary_table_t;

void summary_table_destroy (summary_table_t **self_p);

//  Cell text (never NULL).
const char *summary_table_cell (const summary_table_t *self, size_t row,
                                size_t column);

//  Title, coverage and headline as fresh strings (caller frees) without a
//  final newline. The headline is NULL when the catalogue names no
//  headline figures.
char *summary_title (const catalogue_t *catalogue, int region, int period,
                     const char *lang);
char *summary_coverage (const catalogue_t *catalogue, const store_t *store,
                        int region, int period, const char *lang);
char *summary_headline (const catalogue_t *catalogue, const store_t *store,
                        int region, int period, const char *lang);

//  Every figure of region: name, value, unit, target, completion, pace.
summary_table_t *summary_figures_table (const catalogue_t *catalogue,
                                        const store_t *store, int region,
                                        int period, const char *lang);

//  The region and its direct children with the summary columns; NULL for
//  a leaf. *silent is set when a child did not report for period (its row
//  is marked " *" and summary_footnote explains it).
summary_table_t *summary_regions_table (const catalogue_t *catalogue,
                                        const store_t *store, int region,
                                        int period, const char *lang,
                                        bool *silent);

//  "* not reported for 2003-10: ..." (fresh, caller frees).
char *summary_footnote (int period, const char *lang);

//  One row per alert: severity, rule, region, value vs threshold, since.
//  NULL when alert_count is 0.
summary_table_t *summary_alerts_table (const catalogue_t *catalogue,
                                       const rules_notice_t *alerts,
                                       size_t alert_count, const char *lang);

//  A figure's unit as shown in lang ("persons", "人"); never NULL.
const char *summary_unit (const catalogue_t *catalogue, int figure,
                          const char *lang);

//  A figure's value with its decimals and thousands separators.
char *summary_value_text (const catalogue_t *catalogue, int figure,
                          double value, char *buffer, size_t size);

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

//  "January" or "1月": the month (1-12) in lang, short or in full.
const char *summary_month_name (int month, bool short_form, const char *lang);

//  The HTML page (summary_html.c).
void summary_write_html (FILE *out, const catalogue_t *catalogue,
                         const store_t *store, int region, int period,
                         const char *lang, const rules_notice_t *alerts,
                         size_t alert_count);

#endif
