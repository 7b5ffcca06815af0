/*  summary_parts.h — the sentences and tables of a summary, written from
    its model in the words of its language: the coverage line, the
    headline paragraph, the footnote on silent regions, and the figures,
    regions and alerts tables that text, Markdown and HTML each print in
    their own way. Reads only the model (and the words below it). Not a
    public API: summary.h is. */
#ifndef JT_SUMMARY_PARTS_H_INCLUDED
#define JT_SUMMARY_PARTS_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

#include "summary_model.h"
#include "summary_words.h"

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

//  Coverage and headline as fresh strings (caller frees) without a final
//  newline. The headline is NULL when the catalogue names no headline
//  figures.
char *summary_coverage (const summary_model_t *model);
char *summary_headline (const summary_model_t *model);

//  "* not reported for 2003-10: ..." (fresh, caller frees), or NULL when
//  every child reported (no row is marked).
char *summary_footnote (const summary_model_t *model);

//  Every figure of the region: name, value, unit, target, completion,
//  pace.
summary_table_t *summary_figures_table (const summary_model_t *model);

//  The region and its direct children with the summary columns; NULL for
//  a leaf. A child that did not report for the month is marked " *"
//  (summary_footnote explains it).
summary_table_t *summary_regions_table (const summary_model_t *model);

//  One row per alert: severity, rule, region, value vs threshold, since.
//  NULL when there are none.
summary_table_t *summary_alerts_table (const summary_model_t *model);

#endif
