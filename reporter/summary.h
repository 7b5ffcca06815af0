/*  summary.h — the one-shot summary of a region for a month, year to
    date: coverage, a headline paragraph in the words of a bureau's report,
    the region's figures, a table of its direct children and the active
    alerts, as text, Markdown, CSV, JSON or a self-contained HTML page with
    SVG charts. Pure: it reads a catalogue, its wording (wording.h), a
    store and the alerts it is given and writes text; no sockets, no
    clock, no log. */
#ifndef JT_SUMMARY_H_INCLUDED
#define JT_SUMMARY_H_INCLUDED

#include <stdio.h>
#include <jansson.h>

#include "catalogue.h"
#include "wording.h"
#include "store.h"
#include "figures.h"
#include "rules.h"

typedef enum {
    SUMMARY_TEXT,        //  the report for a reader, with tables
    SUMMARY_JSON,        //  DESIGN §6: one row per (region, figure)
    SUMMARY_MD,          //  the report as GitHub-flavoured Markdown
    SUMMARY_CSV,         //  RFC 4180: one row per (region, figure)
    SUMMARY_HTML,        //  one self-contained page with SVG charts
    SUMMARY_FORMAT_COUNT //  number of formats, not a format
} summary_format_t;

//  Parse a format name ("text", "json", "md", "csv", "html"): 0 and
//  *format, or -1.
int summary_format_parse (const char *name, summary_format_t *format);

//  Name of a format ("text").
const char *summary_format_name (summary_format_t format);

//  Write the summary of region for period (year to date) in format to out.
//  lang picks region and figure names ("en", "zh"; NULL means "en") and,
//  for text, md and html, the sentence frames and headers (Chinese for
//  "zh", else English). alerts are the alerts firing now (rules_active),
//  alert_count of them, in the order to show; NULL and 0 for none. The
//  wording is the one read with catalogue. All are borrowed. Returns 0,
//  or -1 when writing failed.
int summary_write (FILE *out, const catalogue_t *catalogue,
                   const wording_t *wording, const store_t *store, int region,
                   int period, const char *lang, summary_format_t format,
                   const rules_notice_t *alerts, size_t alert_count);

//  The same summary as a fresh string the caller frees.
char *summary_render (const catalogue_t *catalogue, const wording_t *wording,
                      const store_t *store, int region, int period,
                      const char *lang, summary_format_t format,
                      const rules_notice_t *alerts, size_t alert_count);

//  The JSON document of the summary; the caller owns the reference
//  (json_decref). What summary_write prints for SUMMARY_JSON.
json_t *summary_json (const catalogue_t *catalogue, const wording_t *wording,
                      const store_t *store, int region, int period,
                      const char *lang, const rules_notice_t *alerts,
                      size_t alert_count);

//  The carried figures of figures_carried as a JSON array of objects with
//  region, region_name (in lang) and from ("2003-09"); the caller owns
//  the reference.
json_t *summary_carried_json (const catalogue_t *catalogue,
                              const wording_t *wording,
                              const figures_carried_t *carried, size_t count,
                              const char *lang);

//  Format value rounded to decimals with thousands separators
//  ("11,800", "1,234.5", "-2.96") into buffer of size bytes; returns
//  buffer. decimals < 0 means "as few as needed, at most 3".
char *summary_number (double value, int decimals, char *buffer, size_t size);

//  Columns a UTF-8 string takes on a terminal: East Asian wide and
//  full-width characters count 2, combining marks 0, the rest 1.
size_t summary_display_width (const char *text);

#endif
