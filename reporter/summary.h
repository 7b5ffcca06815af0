/*  summary.h — the one-shot summary of a region for a month, year to
    date: coverage, a headline paragraph in the words of a bureau's report,
    the region's figures and a table of its direct children. Pure: it reads
    a catalogue and a store and writes text; no sockets, no clock, no log.

    Formats are an enum so that md, csv and html can be added beside text
    and json without changing callers. */
#ifndef JT_SUMMARY_H_INCLUDED
#define JT_SUMMARY_H_INCLUDED

#include <stdio.h>
#include <jansson.h>

#include "catalogue.h"
#include "store.h"

typedef enum {
    SUMMARY_TEXT,        //  the report for a reader, with tables
    SUMMARY_JSON,        //  DESIGN §6: one row per (region, figure)
    SUMMARY_FORMAT_COUNT //  number of formats, not a format
} summary_format_t;

//  Parse a format name ("text", "json"): 0 and *format, or -1.
int summary_format_parse (const char *name, summary_format_t *format);

//  Name of a format ("text").
const char *summary_format_name (summary_format_t format);

//  Write the summary of region for period (year to date) in format to out.
//  lang picks region and figure names ("en", "zh"; NULL means "en").
//  Returns 0, or -1 when writing failed.
int summary_write (FILE *out, const catalogue_t *catalogue,
                   const store_t *store, int region, int period,
                   const char *lang, summary_format_t format);

//  The same summary as a fresh string the caller frees.
char *summary_render (const catalogue_t *catalogue, const store_t *store,
                      int region, int period, const char *lang,
                      summary_format_t format);

//  The JSON document of the summary; the caller owns the reference
//  (json_decref). What summary_write prints for SUMMARY_JSON.
json_t *summary_json (const catalogue_t *catalogue, const store_t *store,
                      int region, int period, const char *lang);

//  Format value rounded to decimals with thousands separators
//  ("11,800", "1,234.5", "-2.96") into buffer of size bytes; returns
//  buffer. decimals < 0 means "as few as needed, at most 3".
char *summary_number (double value, int decimals, char *buffer, size_t size);

//  Columns a UTF-8 string takes on a terminal: East Asian wide and
//  full-width characters count 2, combining marks 0, the rest 1.
size_t summary_display_width (const char *text);

#endif
