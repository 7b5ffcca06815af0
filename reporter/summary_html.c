/*  summary_html.c — the summary as one self-contained HTML page: the
    headline, coverage and alerts, three inline SVG charts (completion of
    the annual tasks by region against the pace line, rates against their
    control lines, the month-by-month trend at the region) and the tables
    of the other formats. Nothing is fetched: no external style, script,
    font or image; every text from the catalogue is escaped. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "summary_writers.h"
#include "summary_parts.h"
#include "period.h"

#define DASH SUMMARY_DASH

//  The drawing width of every chart, in CSS pixels: the page's content
//  column at 1280 pixels wide.
#define CHART_WIDTH 1136
#define ROW_HEIGHT 26 //  one region's bar and its gap
#define BAR_HEIGHT 16 //  one bar
#define PANEL_GAP 40  //  between side-by-side panels
#define LEGEND_HEIGHT 34

//  Colours, chosen to read apart for the common colour blindnesses.
#define COLOUR_AHEAD "#2a7f62"
#define COLOUR_BEHIND "#d9822b"
#define COLOUR_WITHIN "#3a6ea5"
#define COLOUR_ABOVE "#c0392b"
#define COLOUR_LINE "#b03a2e"
#define COLOUR_AXIS "#56606e"
#define COLOUR_GRID "#e3e6ea"

static const char *s_series_colours[] = {"#3a6ea5", "#d9822b", "#2a7f62",
                                         "#8e44ad", "#c0392b", "#7f8c8d"};
#define SERIES_COLOURS                                                         \
    (sizeof (s_series_colours) / sizeof (s_series_colours[0]))

//  Text with HTML's (and SVG's) special characters escaped.
static void
s_escape (FILE *out, const char *text)
{
    for (; *text; text++)
        switch (*text) {
        case '&':
            fputs ("&amp;", out);
            break;
        case '<':
            fputs ("&lt;", out);
            break;
        case '>':
            fputs ("&gt;", out);
            break;
        case '"':
            fputs ("&quot;", out);
            break;
        case '\'':
            fputs ("&#39;", out);
            break;
        default:
            fputc (*text, out);
        }
}

//  The smallest "nice" number (1, 2, 2.5 or 5 times a power of ten) at
//  or above value, which is above 0.
static double
s_nice (double value)
{
    double power = 1;
    while (power * 10 <= value)
        power *= 10;
    while (power > value)
        power /= 10;
    const double steps[] = {1, 2, 2.5, 5, 10};
    for (size_t index = 0; index < sizeof (steps) / sizeof (steps[0]); index++)
        if (steps[index] * power >= value)
            return steps[index] * power;
    return 10 * power;
}

//  An axis from 0 to at least top, in about five nice steps: *step, and
//  the axis maximum returned.
static double
s_axis (double top, double *step)
{
    if (!(top > 0))
        top = 1;
    *step = s_nice (top / 5);
    int steps = (int)(top / *step);
    if (steps * *step < top)
        steps++;
    return steps * *step;
}

//  Width in pixels of text at a font size, roughly: a wide (CJK)
//  character is a full em, any other about 0.58 of one.
static double
s_text_width (const char *text, double size)
{
    return summary_display_width (text) * size * 0.58;
}

//  Legend entries: a swatch (a box, or a line when dashed is set) and text.
typedef struct {
    const char *colour;
    bool line;   //  a line, not a box
    bool dashed; //  the line is dashed
    char *text;  //  owned
} s_legend_t;

static void
s_write_legend (FILE *out, s_legend_t *entries, size_t count, double y)
{
    double x = 0;
    for (size_t index = 0; index < count; index++) {
        s_legend_t *entry = &entries[index];
        if (entry->line)
            fprintf (out,
                     "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                     "stroke=\"%s\" stroke-width=\"2.5\"%s/>",
                     x, y + 7, x + 22, y + 7, entry->colour,
                     entry->dashed ? " stroke-dasharray=\"5 3\"" : "");
        else
            fprintf (out,
                     "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"14\" "
                     "rx=\"2\" fill=\"%s\"/>",
                     x, y, entry->colour);
        fprintf (out,
                 "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" "
                 "fill=\"#1d2330\">",
                 x + 28, y + 12);
        s_escape (out, entry->text);
        fputs ("</text>\n", out);
        x += 28 + s_text_width (entry->text, 13) + 28;
        free (entry->text);
    }
}

//  One bar of a panel: its value (NAN-free; present false draws none), a
//  colour and a label written after it.
typedef struct {
    bool present;
    double value;
    const char *colour;
    char label[64]; //  value and unit sign
    bool has_mark;  //  a reference mark for this row only (control line)
    double mark;
} s_bar_t;

//  One panel of horizontal bars, one per row region of the model (the
//  region, then its direct children), at x, y (its title's
//  top) of width; scale runs 0..top with tick labels in unit. Lines across
//  every row at reference[] (pace, 100%). Returns the panel's height.
static double
s_write_panel (FILE *out, const summary_model_t *model, const char *title,
               const s_bar_t *bars, double top, const char *unit,
               const double *reference, const char *const *reference_colour,
               const bool *reference_dashed, size_t reference_count,
               const char *axis_title, double x, double y, double width)
{
    const char *lang = model->lang;
    int row_count = model->row_count;
    double step;
    double axis_top = s_axis (top, &step);
    //  The widest region name sets where the bars start
    double label_width = 0;
    for (int row = 0; row < row_count; row++) {
        double size = s_text_width (
            wording_region_name (model->wording, model->rows[row].region, lang),
            13);
        if (size > label_width)
            label_width = size;
    }
    label_width += 12;
    double left = x + label_width;
    double right = x + width - 58; //  room for the last bar's label
    double span = right - left;
    double top_y = y + 30;
    double bottom = top_y + row_count * ROW_HEIGHT;

    fprintf (out,
             "<text x=\"%.1f\" y=\"%.1f\" font-size=\"15\" font-weight=\"600\" "
             "fill=\"#1d2330\">",
             x, y + 14);
    s_escape (out, title);
    fputs ("</text>\n", out);

    //  Grid and tick labels
    char number[64];
    for (double tick = 0; tick <= axis_top + step / 1000; tick += step) {
        double tick_x = left + span * tick / axis_top;
        fprintf (out,
                 "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                 "stroke=\"%s\"/>",
                 tick_x, top_y - 4, tick_x, bottom, COLOUR_GRID);
        fprintf (out,
                 "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
                 "text-anchor=\"middle\" fill=\"%s\">%s%s</text>\n",
                 tick_x, bottom + 16, COLOUR_AXIS,
                 summary_number (tick, -1, number, sizeof (number)), unit);
    }
    fprintf (out,
             "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
             "stroke=\"%s\"/>\n",
             left, bottom, right, bottom, COLOUR_AXIS);
    fprintf (out,
             "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
             "text-anchor=\"middle\" fill=\"%s\">",
             left + span / 2, bottom + 34, COLOUR_AXIS);
    s_escape (out, axis_title);
    fputs ("</text>\n", out);

    //  The region's own row is shaded; reference lines go under the bars
    //  and their labels
    fprintf (out,
             "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
             "fill=\"#f1f3f6\"/>\n",
             x, top_y, width, ROW_HEIGHT);
    for (size_t index = 0; index < reference_count; index++) {
        double line_x = left + span * reference[index] / axis_top;
        fprintf (out,
                 "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                 "stroke=\"%s\" stroke-width=\"2\"%s/>\n",
                 line_x, top_y - 6, line_x, bottom, reference_colour[index],
                 reference_dashed[index] ? " stroke-dasharray=\"6 4\"" : "");
    }
    for (int row = 0; row < row_count; row++) {
        double row_y = top_y + row * ROW_HEIGHT;
        const s_bar_t *bar = &bars[row];
        fprintf (out,
                 "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" "
                 "text-anchor=\"end\" fill=\"#1d2330\"%s>",
                 left - 8, row_y + ROW_HEIGHT / 2.0 + 4.5,
                 row == 0 ? " font-weight=\"600\"" : "");
        s_escape (out, wording_region_name (model->wording,
                                            model->rows[row].region, lang));
        fputs ("</text>", out);
        double end = left;
        const char *label = bar->present ? bar->label : DASH;
        if (bar->present) {
            double length = span * (bar->value < 0 ? 0 : bar->value) / axis_top;
            end = left + length;
            fprintf (out,
                     "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                     "height=\"%d\" rx=\"2\" fill=\"%s\"><title>",
                     left, row_y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0, length,
                     BAR_HEIGHT, bar->colour);
            s_escape (out, wording_region_name (model->wording,
                                                model->rows[row].region, lang));
            fprintf (out, ": %s</title></rect>", bar->label);
        }
        if (bar->has_mark) {
            double mark_x = left + span * bar->mark / axis_top;
            fprintf (out,
                     "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                     "stroke=\"%s\" stroke-width=\"3\"/>",
                     mark_x, row_y + 2, mark_x, row_y + ROW_HEIGHT - 2,
                     COLOUR_LINE);
            //  The label goes after the bar when it fits before the
            //  mark, else after the mark
            if (mark_x > end - 1 &&
                end + 6 + s_text_width (label, 12) + 4 > mark_x)
                end = mark_x;
        }
        //  Past any reference line the label would cross (twice: the
        //  lines may be close together); a white halo for the rest
        double label_x = end + 6;
        for (int pass = 0; pass < 2; pass++)
            for (size_t index = 0; index < reference_count; index++) {
                double line_x = left + span * reference[index] / axis_top;
                if (line_x >= label_x - 4 &&
                    line_x < label_x + s_text_width (label, 12) + 2)
                    label_x = line_x + 5;
            }
        fprintf (out,
                 "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
                 "fill=\"#1d2330\" stroke=\"#fff\" stroke-width=\"3\" "
                 "paint-order=\"stroke\">%s</text>\n",
                 label_x, row_y + ROW_HEIGHT / 2.0 + 4, label);
    }
    return bottom + 44 - y;
}

static void
s_svg_open (FILE *out, double height, const char *label)
{
    fprintf (
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %.0f\" "
        "width=\"%d\" height=\"%.0f\" role=\"img\" aria-label=\"",
        CHART_WIDTH, height, CHART_WIDTH, height);
    s_escape (out, label);
    fputs ("\">\n", out);
}

//  Open a chart's section under its title. With no figures to draw, it
//  says so with a dash, closes the section and returns false.
static bool
s_chart_open (FILE *out, const char *title, int figure_count)
{
    fprintf (out, "<section class=\"chart\">\n<h2>%s</h2>\n", title);
    if (figure_count > 0)
        return true;
    fprintf (out, "<p class=\"note\">%s</p>\n</section>\n", DASH);
    return false;
}

//  Open the SVG of a chart of panels side by side, one per figure, each
//  with a bar per row, under the legend: *panel_width is set.
static void
s_panels_open (FILE *out, const char *label, int figure_count, int row_count,
               double *panel_width)
{
    *panel_width =
        (CHART_WIDTH - PANEL_GAP * (figure_count - 1)) / (double)figure_count;
    s_svg_open (out, LEGEND_HEIGHT + 30 + row_count * ROW_HEIGHT + 50, label);
}

//  A figure's name with its unit: "Unemployment rate (%)", in Chinese
//  "城镇登记失业率（%）"; the name alone when it has no unit. Caller frees.
static char *
s_name_with_unit (const summary_model_t *model, int figure)
{
    const char *unit = summary_unit (model->catalogue, figure, model->lang);
    bool chinese = summary_chinese (model->lang);
    return summary_printf (
        "%s%s%s%s", wording_figure_name (model->wording, figure, model->lang),
        *unit ? (chinese ? "（" : " (") : "", unit,
        *unit ? (chinese ? "）" : ")") : "");
}

//  Chart (a): completion of each targeted headline indicator by region,
//  against the pace line (the share of the year gone) and 100%.
static void
s_chart_tasks (FILE *out, const summary_model_t *model)
{
    const catalogue_t *catalogue = model->catalogue;
    const char *lang = model->lang;
    const summary_words_t *words = summary_words (lang);
    int row_count = model->row_count;
    int count;
    const int *headline = wording_summary_headline (model->wording, &count);
    int *figures = calloc (count + 1, sizeof (int));
    assert (figures);
    int figure_count = 0;
    for (int index = 0; index < count; index++) {
        if (headline[index] >= catalogue_indicator_count (catalogue))
            continue;
        for (int row = 0; row < row_count; row++) {
            if (summary_model_row (model, row, headline[index])->has_target) {
                figures[figure_count++] = headline[index];
                break;
            }
        }
    }
    if (!s_chart_open (out, words->chart_tasks, figure_count)) {
        free (figures);
        return;
    }
    double elapsed = figures_year_elapsed_pct (model->period);
    s_bar_t *bars = calloc (row_count * figure_count, sizeof (s_bar_t));
    assert (bars);
    double top = 100;
    for (int index = 0; index < figure_count; index++)
        for (int row = 0; row < row_count; row++) {
            figure_row_t data = *summary_model_row (model, row, figures[index]);
            s_bar_t *bar = &bars[index * row_count + row];
            bar->present = data.has_target && data.present && data.target > 0;
            if (!bar->present)
                continue;
            bar->value = data.completion_pct;
            bar->colour =
                data.completion_pct >= elapsed ? COLOUR_AHEAD : COLOUR_BEHIND;
            summary_percent (data.completion_pct, bar->label,
                             sizeof (bar->label));
            if (bar->value > top)
                top = bar->value;
        }
    char elapsed_text[32];
    summary_percent (elapsed, elapsed_text, sizeof (elapsed_text));
    double panel_width;
    s_panels_open (out, words->chart_tasks, figure_count, row_count,
                   &panel_width);
    s_legend_t legend[] = {
        {COLOUR_AHEAD, false, false, strdup (words->ahead)},
        {COLOUR_BEHIND, false, false, strdup (words->behind)},
        {COLOUR_LINE, true, true,
         summary_printf (words->pace_line, elapsed_text)},
        {COLOUR_AXIS, true, false, strdup (words->task_line)}};
    s_write_legend (out, legend, sizeof (legend) / sizeof (legend[0]), 4);
    double reference[] = {elapsed, 100};
    const char *reference_colour[] = {COLOUR_LINE, COLOUR_AXIS};
    bool reference_dashed[] = {true, false};
    for (int index = 0; index < figure_count; index++)
        s_write_panel (
            out, model,
            wording_figure_name (model->wording, figures[index], lang),
            &bars[index * row_count], top, "%", reference, reference_colour,
            reference_dashed, 2, words->task_axis,
            index * (panel_width + PANEL_GAP), LEGEND_HEIGHT, panel_width);
    fputs ("</svg>\n</section>\n", out);
    free (bars);
    free (figures);
}

//  Chart (b): each rate with a control line at any row region (headline
//  figures first; any figure with a limit when no headline one has),
//  each region's bar against its own control line.
static void
s_chart_rates (FILE *out, const summary_model_t *model)
{
    const catalogue_t *catalogue = model->catalogue;
    const char *lang = model->lang;
    const summary_words_t *words = summary_words (lang);
    int *figures = calloc (catalogue_figure_count (catalogue), sizeof (int));
    assert (figures);
    int row_count = model->row_count;
    int figure_count = 0;
    int count;
    const int *headline = wording_summary_headline (model->wording, &count);
    for (int pass = 0; pass < 2 && figure_count == 0; pass++) {
        int candidates = pass == 0 ? count : catalogue_figure_count (catalogue);
        for (int index = 0; index < candidates; index++) {
            int figure = pass == 0 ? headline[index] : index;
            for (int row = 0; row < row_count; row++) {
                if (summary_model_row (model, row, figure)->has_limit) {
                    figures[figure_count++] = figure;
                    break;
                }
            }
        }
    }
    if (!s_chart_open (out, words->chart_rates, figure_count)) {
        free (figures);
        return;
    }
    s_bar_t *bars = calloc (row_count * figure_count, sizeof (s_bar_t));
    assert (bars);
    double *tops = calloc (figure_count, sizeof (double));
    assert (tops);
    for (int index = 0; index < figure_count; index++) {
        const char *unit = summary_unit (catalogue, figures[index], lang);
        for (int row = 0; row < row_count; row++) {
            figure_row_t data = *summary_model_row (model, row, figures[index]);
            s_bar_t *bar = &bars[index * row_count + row];
            bar->present = data.present;
            bar->has_mark = data.has_limit;
            bar->mark = data.limit;
            if (data.has_limit && data.limit > tops[index])
                tops[index] = data.limit;
            if (!data.present)
                continue;
            bar->value = data.value;
            bar->colour = data.has_limit && data.value > data.limit
                              ? COLOUR_ABOVE
                              : COLOUR_WITHIN;
            char value[48];
            summary_value_text (catalogue, figures[index], data.value, value,
                                sizeof (value));
            snprintf (bar->label, sizeof (bar->label), "%s%s", value,
                      strcmp (unit, "%") == 0 ? "%" : "");
            if (data.value > tops[index])
                tops[index] = data.value;
        }
    }
    double panel_width;
    s_panels_open (out, words->chart_rates, figure_count, row_count,
                   &panel_width);
    s_legend_t legend[] = {
        {COLOUR_WITHIN, false, false, strdup (words->within)},
        {COLOUR_ABOVE, false, false, strdup (words->above)},
        {COLOUR_LINE, true, false, strdup (words->limit_line)}};
    s_write_legend (out, legend, sizeof (legend) / sizeof (legend[0]), 4);
    for (int index = 0; index < figure_count; index++) {
        const char *unit = summary_unit (catalogue, figures[index], lang);
        char *title = s_name_with_unit (model, figures[index]);
        s_write_panel (
            out, model, title, &bars[index * row_count], tops[index] * 1.1,
            strcmp (unit, "%") == 0 ? "%" : "", NULL, NULL, NULL, 0,
            wording_figure_name (model->wording, figures[index], lang),
            index * (panel_width + PANEL_GAP), LEGEND_HEIGHT, panel_width);
        free (title);
    }
    fputs ("</svg>\n</section>\n", out);
    free (tops);
    free (bars);
    free (figures);
}

//  Chart (c): the headline indicators month by month at the region,
//  January to period, and the same figures as a table.
static void
s_chart_trend (FILE *out, const summary_model_t *model)
{
    const catalogue_t *catalogue = model->catalogue;
    const char *lang = model->lang;
    const summary_words_t *words = summary_words (lang);
    int figure_count = model->series_count;
    if (!s_chart_open (out, words->chart_trend, figure_count))
        return;
    int months = model->month_count;
    double top = 0;
    for (int index = 0; index < figure_count; index++)
        for (int month = 0; month < months; month++) {
            const summary_series_t *series = &model->series[index];
            if (series->known[month] && series->values[month] > top)
                top = series->values[month];
        }
    double step;
    double axis_top = s_axis (top * 1.1, &step);
    double height = 380;
    double left = 90, right = CHART_WIDTH - 30;
    double plot_top = LEGEND_HEIGHT + 20, plot_bottom = height - 60;
    double span_x = right - left, span_y = plot_bottom - plot_top;
    double slot = span_x / months;

    s_svg_open (out, height, words->chart_trend);
    s_legend_t *legend = calloc (figure_count, sizeof (s_legend_t));
    assert (legend);
    for (int index = 0; index < figure_count; index++) {
        legend[index].colour = s_series_colours[index % SERIES_COLOURS];
        legend[index].line = true;
        legend[index].text =
            s_name_with_unit (model, model->series[index].figure);
    }
    s_write_legend (out, legend, figure_count, 4);
    free (legend);

    char number[64];
    for (double tick = 0; tick <= axis_top + step / 1000; tick += step) {
        double y = plot_bottom - span_y * tick / axis_top;
        fprintf (out,
                 "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                 "stroke=\"%s\"/>",
                 left, y, right, y, tick == 0 ? COLOUR_AXIS : COLOUR_GRID);
        fprintf (out,
                 "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
                 "text-anchor=\"end\" fill=\"%s\">%s</text>\n",
                 left - 8, y + 4, COLOUR_AXIS,
                 summary_number (tick, -1, number, sizeof (number)));
    }
    fprintf (out,
             "<text transform=\"translate(24 %.1f) rotate(-90)\" "
             "font-size=\"12\" text-anchor=\"middle\" fill=\"%s\">",
             plot_top + span_y / 2, COLOUR_AXIS);
    s_escape (out, words->per_month);
    fputs ("</text>\n", out);
    for (int month = 0; month < months; month++) {
        double x = left + slot * (month + 0.5);
        fprintf (out,
                 "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
                 "text-anchor=\"middle\" fill=\"%s\">%s</text>",
                 x, plot_bottom + 18, COLOUR_AXIS,
                 summary_month_name (month + 1, true, lang));
    }
    char *axis =
        summary_printf (words->month_axis, period_year (model->period));
    fprintf (out,
             "\n<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
             "text-anchor=\"middle\" fill=\"%s\">",
             left + span_x / 2, plot_bottom + 40, COLOUR_AXIS);
    s_escape (out, axis);
    fputs ("</text>\n", out);
    free (axis);

    for (int index = 0; index < figure_count; index++) {
        const char *colour = s_series_colours[index % SERIES_COLOURS];
        //  A polyline per run of known months: a gap is not a zero
        bool open = false;
        for (int month = 0; month < months; month++) {
            const summary_series_t *series = &model->series[index];
            if (!series->known[month]) {
                if (open)
                    fputs ("\"/>\n", out);
                open = false;
                continue;
            }
            double x = left + slot * (month + 0.5);
            double y = plot_bottom - span_y * series->values[month] / axis_top;
            if (!open)
                fprintf (out,
                         "<polyline fill=\"none\" stroke=\"%s\" "
                         "stroke-width=\"2.5\" points=\"",
                         colour);
            fprintf (out, "%s%.1f,%.1f", open ? " " : "", x, y);
            open = true;
        }
        if (open)
            fputs ("\"/>\n", out);
        for (int month = 0; month < months; month++) {
            const summary_series_t *series = &model->series[index];
            if (!series->known[month])
                continue;
            double x = left + slot * (month + 0.5);
            double y = plot_bottom - span_y * series->values[month] / axis_top;
            summary_value_text (catalogue, model->series[index].figure,
                                series->values[month], number, sizeof (number));
            fprintf (out,
                     "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">"
                     "<title>",
                     x, y, colour);
            s_escape (out,
                      wording_figure_name (model->wording,
                                           model->series[index].figure, lang));
            fprintf (out, ", %s: %s</title></circle>\n",
                     summary_month_name (month + 1, false, lang), number);
        }
    }
    fputs ("</svg>\n", out);

    //  The numbers behind the chart
    fprintf (out, "<table class=\"trend\">\n<thead><tr><th></th>");
    for (int month = 0; month < months; month++)
        fprintf (out, "<th class=\"num\">%s</th>",
                 summary_month_name (month + 1, true, lang));
    fputs ("</tr></thead>\n<tbody>\n", out);
    for (int index = 0; index < figure_count; index++) {
        fprintf (out,
                 "<tr><th><span class=\"swatch\" style=\"background:%s\">"
                 "</span>",
                 s_series_colours[index % SERIES_COLOURS]);
        s_escape (out, wording_figure_name (model->wording,
                                            model->series[index].figure, lang));
        fputs ("</th>", out);
        for (int month = 0; month < months; month++) {
            const summary_series_t *series = &model->series[index];
            fprintf (out, "<td class=\"num\">%s</td>",
                     series->known[month]
                         ? summary_value_text (
                               catalogue, model->series[index].figure,
                               series->values[month], number, sizeof (number))
                         : DASH);
        }
        fputs ("</tr>\n", out);
    }
    fprintf (out, "</tbody>\n</table>\n<p class=\"note\">");
    s_escape (out, words->trend_note);
    fputs ("</p>\n</section>\n", out);
}

//  A table of the other formats as an HTML table; first_bold marks the
//  region's own row.
static void
s_write_table (FILE *out, const summary_table_t *table, const char *class_name,
               bool first_bold)
{
    fprintf (out, "<table class=\"%s\">\n<thead><tr>", class_name);
    for (size_t column = 0; column < table->columns; column++) {
        fprintf (out, "<th%s>", table->right[column] ? " class=\"num\"" : "");
        s_escape (out, table->headers[column] ? table->headers[column] : "");
        fputs ("</th>", out);
    }
    fputs ("</tr></thead>\n<tbody>\n", out);
    for (size_t row = 0; row < table->rows; row++) {
        fputs (row == 0 && first_bold ? "<tr class=\"own\">" : "<tr>", out);
        for (size_t column = 0; column < table->columns; column++) {
            fprintf (out, "<td%s>",
                     table->right[column] ? " class=\"num\"" : "");
            s_escape (out, summary_table_cell (table, row, column));
            fputs ("</td>", out);
        }
        fputs ("</tr>\n", out);
    }
    fputs ("</tbody>\n</table>\n", out);
}

static const char *s_style =
    "body{margin:0;background:#eef0f3;color:#1d2330;"
    "font-family:\"Noto Sans CJK SC\",\"Noto Sans SC\",\"Source Han Sans SC\","
    "\"WenQuanYi Micro Hei\",\"Noto Sans\",\"DejaVu Sans\",Arial,sans-serif;"
    "font-size:15px;line-height:1.5}\n"
    "main{max-width:1136px;margin:0 auto;padding:24px 32px 32px;"
    "background:#fff}\n"
    "h1{font-size:26px;margin:0 0 4px}\n"
    "h2{font-size:19px;margin:28px 0 10px;padding-bottom:4px;"
    "border-bottom:2px solid #e3e6ea}\n"
    ".coverage{color:#56606e;margin:0 0 12px}\n"
    ".headline{font-size:16px;background:#f6f8fb;border-left:4px solid "
    "#3a6ea5;padding:12px 16px;margin:12px 0}\n"
    "svg{display:block;max-width:100%;height:auto;margin:8px 0}\n"
    "table{border-collapse:collapse;font-size:13px;margin:8px 0}\n"
    "th,td{padding:4px 10px;border-bottom:1px solid #e3e6ea;"
    "text-align:left;vertical-align:bottom}\n"
    "thead th{background:#f6f8fb;font-weight:600}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "th.num{text-align:right;max-width:9em}\n"
    "tr.own td{font-weight:600;background:#fafbfc}\n"
    ".note{color:#56606e;font-size:13px}\n"
    ".swatch{display:inline-block;width:12px;height:12px;margin-right:6px;"
    "border-radius:2px}\n"
    ".alerts td:first-child{font-weight:600}\n"
    ".alerts tr.critical td:first-child{color:#c0392b}\n"
    ".alerts tr.warning td:first-child{color:#b9770e}\n"
    ".alerts tr.info td:first-child{color:#3a6ea5}\n"
    ".ok{color:#2a7f62}\n"
    "footer{color:#56606e;font-size:12px;margin-top:28px}\n";

void
summary_html_write (FILE *out, const summary_model_t *model)
{
    const char *lang = model->lang;
    const summary_words_t *words = summary_words (lang);
    const char *title = model->title;
    fprintf (out,
             "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
             "<meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width\">\n"
             "<title>",
             summary_chinese (lang) ? "zh-CN" : "en");
    s_escape (out, title);
    fprintf (out,
             "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<h1>",
             s_style);
    s_escape (out, title);
    fputs ("</h1>\n<p class=\"coverage\">", out);
    char *text = summary_coverage (model);
    s_escape (out, text);
    free (text);
    fputs ("</p>\n", out);
    text = summary_headline (model);
    if (text) {
        fputs ("<p class=\"headline\">", out);
        s_escape (out, text);
        fputs ("</p>\n", out);
    }
    free (text);

    //  Alerts come before the charts: they are what needs doing
    fprintf (out, "<section>\n<h2>%s</h2>\n", words->alerts);
    summary_table_t *table = summary_alerts_table (model);
    if (table) {
        fputs ("<table class=\"alerts\">\n<thead><tr>", out);
        for (size_t column = 0; column < table->columns; column++) {
            fputs ("<th>", out);
            s_escape (out, table->headers[column]);
            fputs ("</th>", out);
        }
        fputs ("</tr></thead>\n<tbody>\n", out);
        for (size_t row = 0; row < table->rows; row++) {
            fprintf (out, "<tr class=\"%s\">",
                     catalogue_severity_name (model->alerts[row].severity));
            for (size_t column = 0; column < table->columns; column++) {
                fputs ("<td>", out);
                s_escape (out, summary_table_cell (table, row, column));
                fputs ("</td>", out);
            }
            fputs ("</tr>\n", out);
        }
        fputs ("</tbody>\n</table>\n", out);
        summary_table_destroy (&table);
    } else
        fprintf (out, "<p class=\"ok\">%s</p>\n", words->no_alerts);
    fputs ("</section>\n", out);

    s_chart_tasks (out, model);
    s_chart_rates (out, model);
    s_chart_trend (out, model);

    table = summary_regions_table (model);
    if (table) {
        fprintf (out, "<section>\n<h2>%s</h2>\n", words->regions);
        s_write_table (out, table, "regions", true);
        summary_table_destroy (&table);
        text = summary_footnote (model);
        if (text) {
            fputs ("<p class=\"note\">", out);
            s_escape (out, text);
            fputs ("</p>\n", out);
        }
        free (text);
        fputs ("</section>\n", out);
    }
    fprintf (out, "<section>\n<h2>%s</h2>\n", words->figures);
    table = summary_figures_table (model);
    s_write_table (out, table, "figures", false);
    summary_table_destroy (&table);
    fputs ("</section>\n<footer>", out);
    s_escape (out, words->generated);
    fputs ("</footer>\n</main>\n</body>\n</html>\n", out);
}
