/*  stats_report.h — the aggregator's counters (a Stats message, as
    `jobtally-reporter stats` fetches it) written for an operator, as a
    small aligned table, or as JSON for tools. Pure: it writes what it is
    given; the text that came over the wire (source names, reasons) is
    shown through check_shown, so a hostile or broken peer cannot put
    control characters or bad UTF-8 on the terminal or in the JSON. */
#ifndef JT_STATS_REPORT_H_INCLUDED
#define JT_STATS_REPORT_H_INCLUDED

#include <stdio.h>

#include "codec.h"

typedef enum {
    STATS_REPORT_TEXT, //  tables for a reader
    STATS_REPORT_JSON  //  one document for tools
} stats_report_format_t;

//  Parse "text" or "json": 0 and *format, or -1.
int stats_report_format_parse (const char *name, stats_report_format_t *format);

//  Write stats, as answered by the aggregator at endpoint (named in the
//  output), to out. Returns 0, or -1 when writing failed.
int stats_report_write (FILE *out, const wire_stats_t *stats,
                        const char *endpoint, stats_report_format_t format);

#endif
