/*  summary_parts.c — the sentences and tables of a summary (see
    summary_parts.h), from its model. Missing is never shown as zero: an
    absent value is "not reported" or "—". */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary_parts.h"
#include "period.h"

#define DASH SUMMARY_DASH

//  A fresh string of what write printed to a memory stream.
typedef void (s_writer_fn) (FILE *out, const summary_model_t *model);

static char *
s_capture (s_writer_fn *write, const summary_model_t *model)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    assert (out);
    write (out, model);
    fclose (out);
    return text;
}

//  ---------------------------------------------------------------------
//  A text table: a header and rows of owned strings, printed with columns
//  padded to their display width (not their byte length).

static summary_table_t *
s_table_new (size_t columns)
{
    summary_table_t *self = calloc (1, sizeof (summary_table_t));
    assert (self);
    self->columns = columns;
    self->headers = calloc (columns, sizeof (char *));
    self->right = calloc (columns, sizeof (bool));
    assert (self->headers && self->right);
    return self;
}

void
summary_table_destroy (summary_table_t **self_p)
{
    summary_table_t *self = *self_p;
    if (!self)
        return;
    for (size_t index = 0; index < self->rows * self->columns; index++)
        free (self->cells[index]);
    free (self->cells);
    free (self->headers);
    free (self->right);
    free (self);
    *self_p = NULL;
}

static void
s_table_header (summary_table_t *self, size_t column, const char *text,
                bool right)
{
    assert (column < self->columns);
    self->headers[column] = text;
    self->right[column] = right;
}

//  A table whose headers are known up front: one per letter of align, 'r'
//  for a column aligned right, any other letter for left.
static summary_table_t *
s_table_headed (const char *const *headers, const char *align)
{
    summary_table_t *self = s_table_new (strlen (align));
    for (size_t column = 0; align[column]; column++)
        s_table_header (self, column, headers[column], align[column] == 'r');
    return self;
}

//  Add a row of empty cells; returns its index.
static size_t
s_table_row (summary_table_t *self)
{
    if (self->rows == self->capacity) {
        self->capacity = self->capacity ? self->capacity * 2 : 16;
        self->cells = realloc (self->cells, self->capacity * self->columns *
                                                sizeof (char *));
        assert (self->cells);
    }
    for (size_t column = 0; column < self->columns; column++)
        self->cells[self->rows * self->columns + column] = strdup ("");
    return self->rows++;
}

static void
s_table_set (summary_table_t *self, size_t row, size_t column, const char *text)
{
    assert (row < self->rows && column < self->columns);
    char **cell = &self->cells[row * self->columns + column];
    free (*cell);
    *cell = strdup (text);
    assert (*cell);
}

const char *
summary_table_cell (const summary_table_t *self, size_t row, size_t column)
{
    assert (row < self->rows && column < self->columns);
    return self->cells[row * self->columns + column];
}

//  ---------------------------------------------------------------------
//  Carried figures

//  The months one leaf's figures are carried from, entries first ..
//  last - 1 of a list: "September figure", "August, September figures";
//  in Chinese "9月数", "8月、9月数".
static void
s_write_carried_months (FILE *out, const figures_carried_t *carried,
                        size_t first, size_t last, const char *lang)
{
    bool chinese = summary_chinese (lang);
    for (size_t index = first; index < last; index++) {
        int month = period_month (carried[index].from);
        if (index > first)
            fputs (chinese ? "、" : ", ", out);
        if (chinese)
            fprintf (out, "%d月", month);
        else
            fputs (summary_month_name (month, false, "en"), out);
    }
    fputs (chinese ? "数" : last - first > 1 ? " figures" : " figure", out);
}

//  The leaves whose figures are carried into the month, each with the
//  months they are from: "Sunwu County (September figure), Xunke County
//  (August, September figures)"; in Chinese "孙吴县（9月数）".
static void
s_write_carried (FILE *out, const wording_t *wording,
                 const figures_carried_t *carried, size_t count,
                 const char *lang)
{
    bool chinese = summary_chinese (lang);
    size_t first = 0;
    while (first < count) {
        size_t last = first + 1;
        while (last < count && carried[last].region == carried[first].region)
            last++;
        if (first > 0)
            fputs (chinese ? "、" : ", ", out);
        fprintf (out, chinese ? "%s（" : "%s (",
                 wording_region_name (wording, carried[first].region, lang));
        s_write_carried_months (out, carried, first, last, lang);
        fputs (chinese ? "）" : ")", out);
        first = last;
    }
}

//  ---------------------------------------------------------------------
//  Coverage

//  A leaf's own line: "Sunwu County reported for 2003-10 on 2003-11-14,
//  late (due by 2003-11-10)."; without a known report day, only whether it
//  reported.
static void
s_write_leaf_coverage (FILE *out, const summary_model_t *model)
{
    const summary_expected_t *self = &model->coverage.regions[0];
    char period_text[32], day_text[PERIOD_DAY_TEXT_SIZE];
    bool chinese = summary_chinese (model->lang);
    const char *name =
        wording_region_name (model->wording, self->region, model->lang);
    summary_period_words (model->period, model->lang, period_text);
    if (self->report == SUMMARY_MISSING) {
        fprintf (out,
                 chinese ? "%s尚未上报%s报表。" : "%s has not reported for %s.",
                 name, period_text);
        return;
    }
    if (self->report != SUMMARY_ON_TIME && self->report != SUMMARY_LATE) {
        fprintf (out, chinese ? "%s已上报%s报表。" : "%s reported for %s.",
                 name, period_text);
        return;
    }
    char deadline_text[PERIOD_DAY_TEXT_SIZE];
    period_day_format (self->day, day_text);
    period_day_format (model->coverage.deadline, deadline_text);
    if (chinese) {
        if (self->report == SUMMARY_ON_TIME)
            fprintf (out, "%s于%s按时上报%s报表。", name, day_text,
                     period_text);
        else
            fprintf (out, "%s于%s上报%s报表，逾期（截止日期%s）。", name,
                     day_text, period_text, deadline_text);
        return;
    }
    fprintf (out, "%s reported for %s on %s, ", name, period_text, day_text);
    if (self->report == SUMMARY_ON_TIME)
        fputs ("on time.", out);
    else
        fprintf (out, "late (due by %s).", deadline_text);
}

//  The expected regions that stand as report, after prefix (English or
//  Chinese), separated by commas; a late one with its day. Nothing when
//  none does.
static void
s_write_expected (FILE *out, const summary_model_t *model,
                  summary_report_t report, const char *prefix,
                  const char *chinese_prefix)
{
    bool chinese = summary_chinese (model->lang);
    bool first = true;
    for (int index = 0; index < model->coverage.expected; index++) {
        const summary_expected_t *expected = &model->coverage.regions[index];
        if (expected->report != report)
            continue;
        fputs (first ? (chinese ? chinese_prefix : prefix)
                     : (chinese ? "、" : ", "),
               out);
        fputs (
            wording_region_name (model->wording, expected->region, model->lang),
            out);
        char day_text[PERIOD_DAY_TEXT_SIZE];
        if (report == SUMMARY_LATE)
            fprintf (out, chinese ? "（%s）" : " (%s)",
                     period_day_format (expected->day, day_text));
        first = false;
    }
}

//  "All 7 of 7 regions reported for 2003-10, 6 on time; late: Sunwu
//  County (2003-11-14)." Timeliness is said once any report day is known.
//  In Chinese: "2003年10月应报7个地区，已全部上报，其中6个按时上报；逾期
//  上报：孙吴县（2003-11-14）。"
static void
s_write_coverage (FILE *out, const summary_model_t *model)
{
    const summary_coverage_t *coverage = &model->coverage;
    bool chinese = summary_chinese (model->lang);
    if (model->leaf) {
        s_write_leaf_coverage (out, model);
        //  " Its September figure is carried.", "沿用其9月数。"
        size_t count = coverage->carried_count;
        if (count) {
            fputs (chinese ? "沿用其" : " Its ", out);
            s_write_carried_months (out, coverage->carried, 0, count,
                                    model->lang);
            fputs (chinese     ? "。"
                   : count > 1 ? " are carried."
                               : " is carried.",
                   out);
        }
        return;
    }
    char period_text[32];
    summary_period_words (model->period, model->lang, period_text);
    int reported = coverage->reported, expected = coverage->expected;
    bool all = reported == expected;
    if (chinese) {
        if (all)
            fprintf (out, "%s应报%d个地区，已全部上报", period_text, expected);
        else
            fprintf (out, "%s应报%d个地区，已上报%d个", period_text, expected,
                     reported);
    } else
        fprintf (out, "%s%d of %d %s reported for %s", all ? "All " : "",
                 reported, expected, expected == 1 ? "region" : "regions",
                 period_text);

    int late = 0;
    for (int index = 0; index < expected; index++)
        late += coverage->regions[index].report == SUMMARY_LATE;
    if (coverage->on_time + late > 0) {
        if (all && coverage->on_time == reported)
            fputs (chinese ? "，均按时上报" : ", all on time", out);
        else if (coverage->on_time == 0)
            fputs (chinese ? "，均未按时上报" : ", none on time", out);
        else
            fprintf (out, chinese ? "，其中%d个按时上报" : ", %d on time",
                     coverage->on_time);
        s_write_expected (out, model, SUMMARY_LATE, "; late: ", "；逾期上报：");
        s_write_expected (out, model, SUMMARY_INCOMPLETE,
                          "; incomplete: ", "；部分上报：");
    }
    s_write_expected (out, model, SUMMARY_MISSING, "; missing: ", "；未上报：");
    if (coverage->carried_count) {
        fputs (chinese ? "；沿用前期数：" : "; carried: ", out);
        s_write_carried (out, model->wording, coverage->carried,
                         coverage->carried_count, model->lang);
    }
    fputs (chinese ? "。" : ".", out);
}

char *
summary_coverage (const summary_model_t *model)
{
    return s_capture (s_write_coverage, model);
}

//  ---------------------------------------------------------------------
//  Headline

//  Completion and the share of the year gone as a clause shows them, each
//  in 64 bytes: "67.9%" and "83.3%", or with more decimals where the
//  completion is behind the year but would read the same ("83.30%" and
//  "83.33%").
static void
s_task_texts (const figure_row_t *row, int period, char *completion,
              char *elapsed)
{
    char completion_number[60], elapsed_number[60];
    summary_contrast (row->completion_pct, 1, figures_year_elapsed_pct (period),
                      1, completion_number, elapsed_number, 60);
    snprintf (completion, 64, "%s%%", completion_number);
    snprintf (elapsed, 64, "%s%%", elapsed_number);
}

//  A clause's value, in 64 bytes; with a control line, the line too (in
//  64 bytes), both with the decimals that tell them apart.
static void
s_clause_value (const catalogue_t *catalogue, int figure,
                const figure_row_t *row, char *value, char *limit)
{
    if (row->has_limit)
        summary_contrast (row->value,
                          summary_figure_decimals (catalogue, figure),
                          row->limit, -1, value, limit, 64);
    else
        summary_value_text (catalogue, figure, row->value, value, 64);
}

//  One clause of the headline, as the bureau writes it:
//  "11,800 people found employment, 268.0% of the provincial task (4,403)"
//  or "the re-employment rate was 41.0%". Only the first task at the top
//  of the tree is "the provincial task"; later clauses say "the task".
static void
s_write_clause (FILE *out, const summary_model_t *model,
                const summary_clause_t *clause)
{
    const catalogue_t *catalogue = model->catalogue;
    int figure = clause->figure;
    figure_row_t row = *clause->row;
    const char *lang = model->lang;
    const char *phrase = wording_phrase (model->wording, figure);
    const char *name = wording_figure_name (model->wording, figure, lang);
    const char *unit = summary_figure_unit (catalogue, figure);
    char value[64], number[64], limit[64];
    s_clause_value (catalogue, figure, &row, value, limit);

    if (summary_is_indicator (catalogue, figure)) {
        if (!row.present) {
            fprintf (out, "%s: not reported", name);
            return;
        }
        if (phrase)
            fprintf (out, "%s %s", value, phrase);
        else
            fprintf (out, "%s: %s%s%s", name, value, *unit ? " " : "", unit);
        if (clause->task) {
            summary_number (row.target,
                            summary_figure_decimals (catalogue, figure), number,
                            sizeof (number));
            char completion[64], elapsed[64];
            s_task_texts (&row, model->period, completion, elapsed);
            fprintf (out, ", %s of the %stask (%s)", completion,
                     clause->provincial ? "provincial " : "", number);
            if (clause->behind)
                fprintf (out, ", with %s of the year gone", elapsed);
        }
    } else {
        if (phrase)
            fprintf (out, "the %s ", phrase);
        else
            fprintf (out, "%s ", name);
        if (!row.present) {
            fputs ("was not reported", out);
            return;
        }
        bool percent = strcmp (unit, "%") == 0;
        fprintf (out, "was %s%s%s", value, percent || !*unit ? "" : " ", unit);
    }
    if (row.has_limit) {
        bool percent = strcmp (unit, "%") == 0;
        fprintf (out, ", %s the control line of %s%s%s",
                 row.value > row.limit ? "above" : "within", limit,
                 percent || !*unit ? "" : " ", unit);
    }
}

static bool
s_ends_with (const char *text, const char *end)
{
    size_t size = strlen (text), end_size = strlen (end);
    return size >= end_size && strcmp (text + size - end_size, end) == 0;
}

//  What a Chinese report writes before a number: the name without its
//  counting word, "新增就业人数" -> "新增就业" (then "11,800人"),
//  "援助零就业家庭户数" -> "援助零就业家庭". Caller frees.
static char *
s_chinese_stem (const char *name, const char *unit)
{
    char *stem = strdup (name);
    assert (stem);
    if (s_ends_with (stem, "数")) {
        stem[strlen (stem) - strlen ("数")] = 0;
        if (*unit && s_ends_with (stem, unit) && strlen (stem) > strlen (unit))
            stem[strlen (stem) - strlen (unit)] = 0;
    }
    return stem;
}

//  One clause in Chinese: "新增就业11,800人，完成省下达任务的268.0%" or
//  "城镇登记失业率2.96%，控制在2.99%以内".
static void
s_write_chinese_clause (FILE *out, const summary_model_t *model,
                        const summary_clause_t *clause)
{
    const catalogue_t *catalogue = model->catalogue;
    int figure = clause->figure;
    figure_row_t row = *clause->row;
    const char *lang = model->lang;
    const char *name = wording_figure_name (model->wording, figure, lang);
    const char *unit = summary_unit (catalogue, figure, lang);
    if (!row.present) {
        fprintf (out, "%s未上报", name);
        return;
    }
    char value[64], limit[64];
    s_clause_value (catalogue, figure, &row, value, limit);
    char *stem = s_chinese_stem (name, unit);
    fprintf (out, "%s%s%s", stem, value, unit);
    free (stem);
    if (clause->task) {
        char completion[64], elapsed[64];
        s_task_texts (&row, model->period, completion, elapsed);
        fprintf (out, "，完成%s任务的%s", clause->provincial ? "省下达" : "",
                 completion);
        if (clause->behind)
            fprintf (out, "，低于时间进度（%s）", elapsed);
    }
    if (row.has_limit) {
        if (row.value > row.limit)
            fprintf (out, "，超过%s%s的控制线", limit, unit);
        else
            fprintf (out, "，控制在%s%s以内", limit, unit);
    }
}

//  "全市" for the root named "黑河市", else the region's name.
static char *
s_chinese_subject (const summary_model_t *model)
{
    const char *name =
        wording_region_name (model->wording, model->region, model->lang);
    if (model->root) {
        const char *levels[] = {"市", "县", "区", "省", "州", "旗"};
        for (size_t index = 0; index < sizeof (levels) / sizeof (levels[0]);
             index++)
            if (s_ends_with (name, levels[index]) &&
                strlen (name) > strlen (levels[index]))
                return summary_printf ("全%s", levels[index]);
    }
    return strdup (name);
}

//  What the headline says of a month not every region reported, or with
//  figures carried: " (6 of 7 regions reported; figures carried for Sunwu
//  County)", in Chinese "（应报7个地区，已上报6个；沿用前期数：孙吴县）";
//  nothing when the month is complete.
static void
s_write_headline_coverage (FILE *out, const summary_model_t *model)
{
    bool chinese = summary_chinese (model->lang);
    int reported = model->coverage.reported;
    int expected = model->coverage.expected;
    size_t carried_count = model->coverage.carried_count;
    const figures_carried_t *carried = model->coverage.carried;
    if (reported == expected && carried_count == 0)
        return;
    fputs (chinese ? "（" : " (", out);
    if (reported < expected) {
        if (model->leaf)
            fputs (chinese ? "尚未上报" : "not reported yet", out);
        else
            fprintf (out,
                     chinese ? "应报%1$d个地区，已上报%2$d个"
                             : "%2$d of %1$d regions reported",
                     expected, reported);
    }
    for (size_t index = 0; index < carried_count; index++) {
        if (index > 0 && carried[index - 1].region == carried[index].region)
            continue;
        if (index == 0)
            fputs (reported < expected
                       ? (chinese ? "；沿用前期数：" : "; figures carried for ")
                       : (chinese ? "沿用前期数：" : "figures carried for "),
                   out);
        else
            fputs (chinese ? "、" : ", ", out);
        fputs (wording_region_name (model->wording, carried[index].region,
                                    model->lang),
               out);
    }
    fputs (chinese ? "）" : ")", out);
}

static void
s_write_headline (FILE *out, const summary_model_t *model)
{
    int period = model->period;
    if (summary_chinese (model->lang)) {
        char *subject = s_chinese_subject (model);
        fprintf (out, "截至%d年%d月底", period_year (period),
                 period_month (period));
        s_write_headline_coverage (out, model);
        fprintf (out, "，%s", subject);
        free (subject);
        for (int index = 0; index < model->clause_count; index++) {
            if (index > 0)
                fputs ("；", out);
            s_write_chinese_clause (out, model, &model->clauses[index]);
        }
        fputs ("。", out);
        return;
    }
    fprintf (out, "By the end of %s %d",
             summary_month_name (period_month (period), false, "en"),
             period_year (period));
    s_write_headline_coverage (out, model);
    fputs (", ", out);
    for (int index = 0; index < model->clause_count; index++) {
        if (index > 0)
            fputs ("; ", out);
        s_write_clause (out, model, &model->clauses[index]);
    }
    fputs (".", out);
}

char *
summary_headline (const summary_model_t *model)
{
    if (model->clause_count == 0)
        return NULL;
    return s_capture (s_write_headline, model);
}

//  ---------------------------------------------------------------------
//  Tables

//  Name, value, unit, target, completion and pace of every figure.
summary_table_t *
summary_figures_table (const summary_model_t *model)
{
    const catalogue_t *catalogue = model->catalogue;
    const char *lang = model->lang;
    const summary_words_t *words = summary_words (lang);
    const char *headers[] = {words->figure, words->value,      words->unit,
                             words->target, words->completion, words->pace};
    summary_table_t *table = s_table_headed (headers, "lrlrrr");
    for (int figure = 0; figure < catalogue_figure_count (catalogue);
         figure++) {
        figure_row_t row = *summary_model_row (model, 0, figure);
        char text[64];
        size_t line = s_table_row (table);
        s_table_set (table, line, 0,
                     wording_figure_name (model->wording, figure, lang));
        s_table_set (table, line, 1,
                     row.present
                         ? summary_value_text (catalogue, figure, row.value,
                                               text, sizeof (text))
                         : words->not_reported);
        s_table_set (table, line, 2, summary_unit (catalogue, figure, lang));
        if (row.has_target) {
            s_table_set (table, line, 3,
                         summary_value_text (catalogue, figure, row.target,
                                             text, sizeof (text)));
            bool computed = row.present && row.target > 0;
            summary_percent (row.completion_pct, text, sizeof (text));
            s_table_set (table, line, 4, computed ? text : DASH);
            summary_percent (row.pace_pct, text, sizeof (text));
            s_table_set (table, line, 5, computed ? text : DASH);
        }
    }
    return table;
}

//  One row per region (the region itself, then its direct children) with
//  the catalogue's summary columns, and "% of task" after each indicator
//  that has a target at any of those regions. With no summary columns in
//  the catalogue, every figure is a column.
summary_table_t *
summary_regions_table (const summary_model_t *model)
{
    if (model->leaf)
        return NULL;
    const catalogue_t *catalogue = model->catalogue;
    const char *lang = model->lang;
    int count;
    const int *columns = wording_summary_columns (model->wording, &count);
    int *all = NULL;
    if (count == 0) {
        count = catalogue_figure_count (catalogue);
        all = calloc (count, sizeof (int));
        assert (all);
        for (int figure = 0; figure < count; figure++)
            all[figure] = figure;
        columns = all;
    }
    //  Which columns get a completion column beside them
    bool *targeted = calloc (count, sizeof (bool));
    assert (targeted);
    size_t width = 1;
    for (int column = 0; column < count; column++) {
        for (int index = 0; index < model->row_count; index++)
            if (summary_model_row (model, index, columns[column])->has_target)
                targeted[column] = true;
        width += targeted[column] ? 2 : 1;
    }

    const summary_words_t *words = summary_words (lang);
    summary_table_t *table = s_table_new (width);
    s_table_header (table, 0, words->region, false);
    size_t at = 1;
    for (int column = 0; column < count; column++) {
        s_table_header (
            table, at++,
            wording_figure_name (model->wording, columns[column], lang), true);
        if (targeted[column])
            s_table_header (table, at++, words->of_task, true);
    }
    for (int index = 0; index < model->row_count; index++) {
        const summary_row_t *region = &model->rows[index];
        size_t line = s_table_row (table);
        //  A child silent this month shows its latest figures: say so
        char *name = summary_printf (
            "%s%s", wording_region_name (model->wording, region->region, lang),
            region->silent ? " *" : "");
        s_table_set (table, line, 0, name);
        free (name);
        at = 1;
        for (int column = 0; column < count; column++) {
            figure_row_t row =
                *summary_model_row (model, index, columns[column]);
            char text[64];
            if (row.present) {
                //  Rates read as rates: "41.0%"
                summary_value_text (catalogue, columns[column], row.value, text,
                                    sizeof (text) - 1);
                if (strcmp (summary_figure_unit (catalogue, columns[column]),
                            "%") == 0)
                    strcat (text, "%");
            }
            s_table_set (table, line, at++, row.present ? text : DASH);
            if (targeted[column]) {
                if (row.has_target) {
                    summary_percent (row.completion_pct, text, sizeof (text));
                    s_table_set (table, line, at,
                                 row.present && row.target > 0 ? text : DASH);
                }
                at++;
            }
        }
    }
    free (targeted);
    free (all);
    return table;
}

char *
summary_footnote (const summary_model_t *model)
{
    if (model->silent_count == 0)
        return NULL;
    int period = model->period;
    const char *lang = model->lang;
    char period_text[32];
    summary_period_words (period, lang, period_text);
    if (summary_chinese (lang))
        return summary_printf ("* %s未上报：数据截至其本年最近一次上报。",
                               period_text);
    return summary_printf ("* not reported for %s: figures run to its latest "
                           "report this year.",
                           period_text);
}

//  A number of an alert with its unit: "81.5%", "3.64%", "1,000 persons".
static char *
s_alert_number (const char *number, const char *unit, char *buffer, size_t size)
{
    bool glued = !*unit || strcmp (unit, "%") == 0 ||
                 summary_display_width (unit) == 2; //  "人", "天"
    snprintf (buffer, size, "%s%s%s", number, glued ? "" : " ", unit);
    return buffer;
}

//  "81.5% < 90%": what was seen against what it was compared with, as the
//  rule's kind compares them (rules.h), with the decimals that tell the
//  two apart ("89.97% < 90%").
static char *
s_alert_condition (const catalogue_t *catalogue, const rules_notice_t *alert,
                   const char *lang)
{
    const rule_t *rule = catalogue_rule (catalogue, alert->rule);
    const char *unit = "";
    const char *relation = "vs";
    int decimals = -1;           //  the value's
    int threshold_decimals = -1; //  the threshold's
    switch (rule->kind) {
    case RULE_THRESHOLD:
        if (rule->target == RULE_TARGET_VALUE) {
            unit = summary_unit (catalogue, rule->figure, lang);
            decimals = summary_figure_decimals (catalogue, rule->figure);
        } else {
            unit = "%";
            decimals = 1;
        }
        relation = rule->direction == RULE_ABOVE ? ">" : "<";
        break;
    case RULE_SILENCE:
        unit = summary_chinese (lang) ? "天" : "days";
        decimals = threshold_decimals = 0;
        relation = ">";
        break;
    case RULE_RESTATEMENT:
        unit = summary_unit (catalogue, rule->figure, lang);
        decimals = threshold_decimals =
            summary_figure_decimals (catalogue, rule->figure);
        relation = "<";
        break;
    case RULE_OUTLIER:
        //  The bound it broke: above a maximum or rise, below a minimum or
        //  drop.
        unit = summary_unit (catalogue, rule->figure, lang);
        decimals = threshold_decimals =
            summary_figure_decimals (catalogue, rule->figure);
        relation = alert->value > alert->threshold ? ">" : "<";
        break;
    case RULE_CONSISTENCY:
        unit = summary_unit (catalogue, rule->left, lang);
        decimals = threshold_decimals =
            summary_figure_decimals (catalogue, rule->left);
        relation = rule->relation == RULE_EQUAL ? "\xE2\x89\xA0" : ">"; //  ≠
        break;
    }
    char value_number[64], threshold_number[64], value[96], threshold[96];
    summary_contrast (alert->value, decimals, alert->threshold,
                      threshold_decimals, value_number, threshold_number,
                      sizeof (value_number));
    s_alert_number (value_number, unit, value, sizeof (value));
    s_alert_number (threshold_number, unit, threshold, sizeof (threshold));
    return summary_printf ("%s %s %s", value, relation, threshold);
}

summary_table_t *
summary_alerts_table (const summary_model_t *model)
{
    if (model->alert_count == 0)
        return NULL;
    const catalogue_t *catalogue = model->catalogue;
    const char *lang = model->lang;
    const summary_words_t *words = summary_words (lang);
    const char *headers[] = {words->severity, words->rule, words->region,
                             words->condition, words->since};
    summary_table_t *table = s_table_headed (headers, "lllll");
    for (size_t index = 0; index < model->alert_count; index++) {
        const rules_notice_t *alert = &model->alerts[index];
        size_t line = s_table_row (table);
        s_table_set (table, line, 0,
                     summary_severity_name (alert->severity, lang));
        s_table_set (table, line, 1,
                     catalogue_rule (catalogue, alert->rule)->id);
        s_table_set (table, line, 2,
                     wording_region_name (model->wording, alert->region, lang));
        char *condition = s_alert_condition (catalogue, alert, lang);
        s_table_set (table, line, 3, condition);
        free (condition);
        char since[48];
        s_table_set (
            table, line, 4,
            summary_time_text (alert->since, false, since, sizeof (since)));
    }
    return table;
}
