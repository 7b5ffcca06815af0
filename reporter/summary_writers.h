/*  summary_writers.h — the five writers of a summary, each in its own
    file, each reading only the model (summary_model.h) and the shared
    sentences, tables and words below it; none calls another or back into
    summary.c, which picks one by format. Not a public API: summary.h is. */
#ifndef JT_SUMMARY_WRITERS_H_INCLUDED
#define JT_SUMMARY_WRITERS_H_INCLUDED

#include <stdio.h>
#include <jansson.h>

#include "summary_model.h"

//  The report for a reader, with tables aligned by display width
//  (summary_text.c).
void summary_text_write (FILE *out, const summary_model_t *model);

//  The report as GitHub-flavoured Markdown (summary_md.c).
void summary_md_write (FILE *out, const summary_model_t *model);

//  RFC 4180: one row per (region, figure) (summary_csv.c).
void summary_csv_write (FILE *out, const summary_model_t *model);

//  DESIGN §6: the JSON document; the caller owns the reference
//  (summary_json.c).
json_t *summary_json_document (const summary_model_t *model);

//  One self-contained page with SVG charts (summary_html.c).
void summary_html_write (FILE *out, const summary_model_t *model);

#endif
