/*  summary_model.c — the summary's model (see summary_model.h). Every
    figure comes from figures_row and figures_carried, and who was expected
    to report from store_expected_region, so the summary shows exactly what
    the core computes. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "summary_model.h"
#include "summary_words.h"
#include "period.h"

//  How one expected region stands for the month.
static summary_expected_t
s_expected (const catalogue_t *catalogue, const store_t *store, int region,
            int period)
{
    summary_expected_t expected = {
        .region = region, .report = SUMMARY_MISSING, .day = PERIOD_DAY_NONE};
    if (!store_reported (store, region, period))
        return expected;
    int day;
    switch (store_timeliness (store, region, period, &day)) {
    case STORE_ON_TIME:
        expected.report = SUMMARY_ON_TIME;
        expected.day = day;
        break;
    case STORE_LATE:
        expected.report = SUMMARY_LATE;
        expected.day = day;
        break;
    case STORE_MISSING:
        //  A leaf with figures but no report day (from an aggregator that
        //  kept none) is neither; a region with parts is short.
        expected.report = catalogue_region (catalogue, region)->child_count
                              ? SUMMARY_INCOMPLETE
                              : SUMMARY_UNDATED;
        break;
    }
    return expected;
}

static void
s_coverage (summary_model_t *self, const store_t *store)
{
    summary_coverage_t *coverage = &self->coverage;
    coverage->expected = store_expected_count (store, self->region);
    coverage->regions =
        calloc (coverage->expected, sizeof (summary_expected_t));
    assert (coverage->regions);
    for (int index = 0; index < coverage->expected; index++) {
        summary_expected_t *expected = &coverage->regions[index];
        *expected = s_expected (
            self->catalogue, store,
            store_expected_region (store, self->region, index), self->period);
        coverage->reported += expected->report != SUMMARY_MISSING;
        coverage->on_time += expected->report == SUMMARY_ON_TIME;
    }
    coverage->carried =
        figures_carried (self->catalogue, store, self->region, -1, self->period,
                         &coverage->carried_count);
    coverage->deadline = period_valid (self->period)
                             ? store_deadline (store, self->period)
                             : PERIOD_DAY_NONE;
}

//  The region, then each direct child, with every figure.
static void
s_rows (summary_model_t *self, const store_t *store)
{
    const catalogue_t *catalogue = self->catalogue;
    const region_t *info = catalogue_region (catalogue, self->region);
    int figure_count = catalogue_figure_count (catalogue);
    self->row_count = info->child_count + 1;
    self->rows = calloc (self->row_count, sizeof (summary_row_t));
    assert (self->rows);
    for (int index = 0; index < self->row_count; index++) {
        summary_row_t *row = &self->rows[index];
        row->region = index ? info->children[index - 1] : self->region;
        //  A child silent this month shows its latest figures
        row->silent =
            index > 0 && !store_reported (store, row->region, self->period);
        self->silent_count += row->silent;
        row->cells = calloc (figure_count + 1, sizeof (summary_cell_t));
        assert (row->cells);
        for (int figure = 0; figure < figure_count; figure++) {
            summary_cell_t *cell = &row->cells[figure];
            figures_row (catalogue, store, row->region, figure, self->period,
                         &cell->row);
            cell->carried =
                figures_carried (catalogue, store, row->region, figure,
                                 self->period, &cell->carried_count);
        }
    }
}

static void
s_clauses (summary_model_t *self)
{
    int count;
    const int *figures = wording_summary_headline (self->wording, &count);
    self->clause_count = count;
    self->clauses = calloc (count + 1, sizeof (summary_clause_t));
    assert (self->clauses);
    bool task_named = false;
    for (int index = 0; index < count; index++) {
        summary_clause_t *clause = &self->clauses[index];
        clause->figure = figures[index];
        clause->row = &self->rows[0].cells[clause->figure].row;
        clause->task = summary_is_indicator (self->catalogue, clause->figure) &&
                       clause->row->present && clause->row->has_target &&
                       clause->row->target > 0;
        if (!clause->task)
            continue;
        clause->provincial = !task_named && self->root;
        clause->behind = clause->row->pace_pct < 100;
        task_named = true;
    }
}

//  The month's own figure of an indicator at region: a flow's or a
//  stock's cell; for a cumulative indicator (reported year to date) the
//  difference from the month before (January: its own). True and *value
//  (in units) when known.
static bool
s_month_value (const catalogue_t *catalogue, const store_t *store, int region,
               int indicator, int period, double *value)
{
    jt_value_t cell, before;
    if (!store_get (store, region, indicator, period, &cell))
        return false;
    if (catalogue_indicator (catalogue, indicator)->time == TIME_CUMULATIVE &&
        period_month (period) > 1) {
        if (!store_get (store, region, indicator, period - 1, &before))
            return false;
        cell -= before;
    }
    *value = (double)cell / JT_SCALE;
    return true;
}

//  The headline indicators, January to the period.
static void
s_series (summary_model_t *self, const store_t *store)
{
    int count;
    const int *headline = wording_summary_headline (self->wording, &count);
    self->series = calloc (count + 1, sizeof (summary_series_t));
    assert (self->series);
    self->month_count = period_month (self->period);
    int first = self->period - (self->month_count - 1);
    for (int index = 0; index < count; index++) {
        if (!summary_is_indicator (self->catalogue, headline[index]))
            continue;
        summary_series_t *series = &self->series[self->series_count++];
        series->figure = headline[index];
        series->known = calloc (self->month_count, sizeof (bool));
        series->values = calloc (self->month_count, sizeof (double));
        assert (series->known && series->values);
        for (int month = 0; month < self->month_count; month++)
            series->known[month] = s_month_value (
                self->catalogue, store, self->region, series->figure,
                first + month, &series->values[month]);
    }
}

static void
s_alerts (summary_model_t *self, const rules_notice_t *alerts,
          size_t alert_count)
{
    self->alert_count = alert_count;
    self->alerts = calloc (alert_count + 1, sizeof (rules_notice_t));
    self->restatements = calloc (alert_count + 1, sizeof (size_t));
    assert (self->alerts && self->restatements);
    for (size_t index = 0; index < alert_count; index++) {
        assert (alerts[index].rule >= 0 &&
                alerts[index].rule < catalogue_rule_count (self->catalogue));
        self->alerts[index] = alerts[index];
        if (catalogue_rule (self->catalogue, alerts[index].rule)->kind ==
            RULE_RESTATEMENT)
            self->restatements[self->restatement_count++] = index;
    }
}

summary_model_t *
summary_model_new (const catalogue_t *catalogue, const wording_t *wording,
                   const store_t *store, int region, int period,
                   const char *lang, const rules_notice_t *alerts,
                   size_t alert_count)
{
    assert (catalogue);
    assert (wording);
    assert (store);
    assert (region >= 0 && region < catalogue_region_count (catalogue));
    assert (period >= 0);
    assert (alerts || alert_count == 0);
    summary_model_t *self = calloc (1, sizeof (summary_model_t));
    assert (self);
    self->catalogue = catalogue;
    self->wording = wording;
    self->region = region;
    self->period = period;
    self->lang = lang ? lang : "en";
    const region_t *info = catalogue_region (catalogue, region);
    self->leaf = info->child_count == 0;
    self->root = info->parent < 0;
    self->title = summary_title (wording, region, period, self->lang);
    s_coverage (self, store);
    s_rows (self, store);
    s_clauses (self);
    s_series (self, store);
    s_alerts (self, alerts, alert_count);
    return self;
}

void
summary_model_destroy (summary_model_t **self_p)
{
    assert (self_p);
    summary_model_t *self = *self_p;
    if (!self)
        return;
    int figure_count = catalogue_figure_count (self->catalogue);
    for (int index = 0; index < self->row_count; index++) {
        for (int figure = 0; figure < figure_count; figure++)
            free (self->rows[index].cells[figure].carried);
        free (self->rows[index].cells);
    }
    for (int index = 0; index < self->series_count; index++) {
        free (self->series[index].known);
        free (self->series[index].values);
    }
    free (self->title);
    free (self->coverage.regions);
    free (self->coverage.carried);
    free (self->rows);
    free (self->clauses);
    free (self->series);
    free (self->alerts);
    free (self->restatements);
    free (self);
    *self_p = NULL;
}

const figure_row_t *
summary_model_row (const summary_model_t *self, int index, int figure)
{
    assert (self);
    assert (index >= 0 && index < self->row_count);
    assert (figure >= 0 && figure < catalogue_figure_count (self->catalogue));
    return &self->rows[index].cells[figure].row;
}
