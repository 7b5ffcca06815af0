/*  summary_csv.c — the summary as CSV (see summary_writers.h): one row
    per (region, figure), numbers without separators as the JSON writes
    them. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary_writers.h"
#include "summary_words.h"
#include "period.h"

//  RFC 4180: CRLF line ends, a field quoted when it holds a comma, a
//  quote or a line break, quotes doubled.
static void
s_csv_field (FILE *out, const char *text, bool last)
{
    if (strpbrk (text, ",\"\r\n")) {
        fputc ('"', out);
        for (; *text; text++) {
            if (*text == '"')
                fputc ('"', out);
            fputc (*text, out);
        }
        fputc ('"', out);
    } else
        fputs (text, out);
    fputs (last ? "\r\n" : ",", out);
}

//  A number as the JSON writes it, without separators: decimals < 0 means
//  "as few as needed, at most 3". buffer holds 64 bytes.
static const char *
s_csv_number (double value, int decimals, char *buffer)
{
    return summary_plain_number (value, decimals < 0 ? 3 : decimals,
                                 decimals < 0, buffer, 64);
}

//  The carried column: "heihe.sunwu:2003-09" for each carried leaf and
//  month, separated by spaces; empty when nothing is carried. Caller frees.
static char *
s_csv_carried (const catalogue_t *catalogue, const summary_cell_t *cell)
{
    const figures_carried_t *carried = cell->carried;
    size_t count = cell->carried_count;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    assert (out);
    for (size_t index = 0; index < count; index++) {
        char from[PERIOD_TEXT_SIZE];
        fprintf (out, "%s%s:%s", index ? " " : "",
                 catalogue_region (catalogue, carried[index].region)->id,
                 period_format (carried[index].from, from));
    }
    fclose (out);
    return text;
}

void
summary_csv_write (FILE *out, const summary_model_t *model)
{
    const catalogue_t *catalogue = model->catalogue;
    const char *lang = model->lang;
    fputs ("region,region_name,name,label,unit,period,value,target,"
           "completion_pct,pace_pct,limit,carried\r\n",
           out);
    char period_text[PERIOD_TEXT_SIZE], number[64];
    period_format (model->period, period_text);
    for (int index = 0; index < model->row_count; index++) {
        int which = model->rows[index].region;
        for (int figure = 0; figure < catalogue_figure_count (catalogue);
             figure++) {
            const summary_cell_t *cell = &model->rows[index].cells[figure];
            figure_row_t row = cell->row;
            int decimals = summary_figure_decimals (catalogue, figure);
            bool computed = row.has_target && row.present && row.target > 0;
            s_csv_field (out, catalogue_region (catalogue, which)->id, false);
            s_csv_field (out, wording_region_name (model->wording, which, lang),
                         false);
            s_csv_field (out, catalogue_figure_id (catalogue, figure), false);
            s_csv_field (
                out, wording_figure_name (model->wording, figure, lang), false);
            s_csv_field (out, summary_figure_unit (catalogue, figure), false);
            s_csv_field (out, period_text, false);
            s_csv_field (
                out,
                row.present ? s_csv_number (row.value, decimals, number) : "",
                false);
            s_csv_field (out,
                         row.has_target
                             ? s_csv_number (row.target, decimals, number)
                             : "",
                         false);
            s_csv_field (out,
                         computed ? s_csv_number (row.completion_pct, 1, number)
                                  : "",
                         false);
            s_csv_field (out,
                         computed ? s_csv_number (row.pace_pct, 1, number) : "",
                         false);
            s_csv_field (
                out, row.has_limit ? s_csv_number (row.limit, -1, number) : "",
                false);
            char *carried = s_csv_carried (catalogue, cell);
            s_csv_field (out, carried, true);
            free (carried);
        }
    }
}
