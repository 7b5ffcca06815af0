/*  summary_json.c — the summary as a JSON document (see
    summary_writers.h, DESIGN §6): coverage, one row per (region, figure)
    with the carried figures it holds, and the active alerts as the alert
    stream writes them. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "summary_writers.h"
#include "summary_words.h"
#include "decimal.h"
#include "period.h"

//  A region's id, as a JSON string.
static json_t *
s_json_region (const catalogue_t *catalogue, int region)
{
    return json_string (catalogue_region (catalogue, region)->id);
}

//  Set a region's "region" (its id) and "region_name" (in lang).
static void
s_set_region (json_t *object, const catalogue_t *catalogue,
              const wording_t *wording, int region, const char *lang)
{
    json_object_set_new (object, "region", s_json_region (catalogue, region));
    json_object_set_new (
        object, "region_name",
        json_string (wording_region_name (wording, region, lang)));
}

json_t *
summary_carried_json (const catalogue_t *catalogue, const wording_t *wording,
                      const figures_carried_t *carried, size_t count,
                      const char *lang)
{
    json_t *list = json_array ();
    for (size_t index = 0; index < count; index++) {
        char from[PERIOD_TEXT_SIZE];
        json_t *entry = json_object ();
        s_set_region (entry, catalogue, wording, carried[index].region, lang);
        json_object_set_new (
            entry, "from",
            json_string (period_format (carried[index].from, from)));
        json_array_append_new (list, entry);
    }
    return list;
}

//  A number in a figure's unit: an integer when it is whole, else a real
//  rounded to decimals (< 0: at most 3).
static json_t *
s_json_number (double value, int decimals)
{
    double rounded = decimal_round (value, decimals < 0 ? 3 : decimals);
    if (decimals <= 0 && rounded == (double)(long long)rounded)
        return json_integer ((json_int_t)rounded);
    return json_real (rounded);
}

//  One (region, figure) row with the carried figures it holds.
static json_t *
s_json_row (const summary_model_t *model, int index, int figure)
{
    const catalogue_t *catalogue = model->catalogue;
    const char *lang = model->lang;
    int region = model->rows[index].region;
    const summary_cell_t *cell = &model->rows[index].cells[figure];
    figure_row_t row = cell->row;
    char period_text[PERIOD_TEXT_SIZE];
    int decimals = summary_figure_decimals (catalogue, figure);

    json_t *object = json_object ();
    s_set_region (object, catalogue, model->wording, region, lang);
    json_object_set_new (object, "name",
                         json_string (catalogue_figure_id (catalogue, figure)));
    json_object_set_new (
        object, "label",
        json_string (wording_figure_name (model->wording, figure, lang)));
    json_object_set_new (object, "unit",
                         json_string (summary_figure_unit (catalogue, figure)));
    json_object_set_new (
        object, "period",
        json_string (period_format (model->period, period_text)));
    json_object_set_new (object, "value",
                         row.present ? s_json_number (row.value, decimals)
                                     : json_null ());
    if (row.has_target) {
        //  No completion without a value, or against a zero target
        bool computed = row.present && row.target > 0;
        json_object_set_new (object, "target",
                             s_json_number (row.target, decimals));
        json_object_set_new (
            object, "completion_pct",
            computed ? json_real (decimal_round (row.completion_pct, 1))
                     : json_null ());
        json_object_set_new (object, "pace_pct",
                             computed
                                 ? json_real (decimal_round (row.pace_pct, 1))
                                 : json_null ());
    }
    if (row.has_limit)
        json_object_set_new (object, "limit", json_real (row.limit));
    if (cell->carried_count)
        json_object_set_new (object, "carried",
                             summary_carried_json (catalogue, model->wording,
                                                   cell->carried,
                                                   cell->carried_count, lang));
    return object;
}

//  The active alerts as the alert stream writes them (docs/protocol.md),
//  without the stream's state and repeat.
static json_t *
s_json_alerts (const catalogue_t *catalogue, const rules_notice_t *alerts,
               size_t alert_count)
{
    json_t *array = json_array ();
    for (size_t index = 0; index < alert_count; index++) {
        const rules_notice_t *alert = &alerts[index];
        char period_text[PERIOD_TEXT_SIZE], since[48];
        json_t *object = json_object ();
        json_object_set_new (
            object, "rule",
            json_string (catalogue_rule (catalogue, alert->rule)->id));
        json_object_set_new (object, "region",
                             s_json_region (catalogue, alert->region));
        json_object_set_new (
            object, "severity",
            json_string (catalogue_severity_name (alert->severity)));
        json_object_set_new (object, "value",
                             json_real (decimal_round (alert->value, 3)));
        json_object_set_new (object, "threshold",
                             json_real (decimal_round (alert->threshold, 3)));
        json_object_set_new (
            object, "period",
            json_string (period_format (alert->period, period_text)));
        json_object_set_new (object, "since",
                             json_string (summary_time_text (
                                 alert->since, true, since, sizeof (since))));
        json_object_set_new (object, "key", json_string (alert->key));
        json_array_append_new (array, object);
    }
    return array;
}

//  The region ids of the expected regions that stand as report.
static json_t *
s_json_expected (const summary_model_t *model, summary_report_t report)
{
    json_t *array = json_array ();
    for (int index = 0; index < model->coverage.expected; index++)
        if (model->coverage.regions[index].report == report)
            json_array_append_new (
                array, s_json_region (model->catalogue,
                                      model->coverage.regions[index].region));
    return array;
}

static json_t *
s_json_coverage (const summary_model_t *model)
{
    const catalogue_t *catalogue = model->catalogue;
    const summary_coverage_t *self = &model->coverage;
    json_t *coverage = json_object ();
    json_object_set_new (coverage, "reported", json_integer (self->reported));
    json_object_set_new (coverage, "expected", json_integer (self->expected));
    json_object_set_new (coverage, "missing",
                         s_json_expected (model, SUMMARY_MISSING));
    char day_text[PERIOD_DAY_TEXT_SIZE];
    json_t *late = json_array ();
    for (int index = 0; index < self->expected; index++) {
        const summary_expected_t *expected = &self->regions[index];
        if (expected->report != SUMMARY_LATE)
            continue;
        json_t *entry = json_object ();
        json_object_set_new (entry, "region",
                             s_json_region (catalogue, expected->region));
        json_object_set_new (
            entry, "reported",
            json_string (period_day_format (expected->day, day_text)));
        json_array_append_new (late, entry);
    }
    json_object_set_new (coverage, "on_time", json_integer (self->on_time));
    json_object_set_new (
        coverage, "carried",
        summary_carried_json (catalogue, model->wording, self->carried,
                              self->carried_count, model->lang));
    json_object_set_new (coverage, "late", late);
    json_object_set_new (coverage, "incomplete",
                         s_json_expected (model, SUMMARY_INCOMPLETE));
    json_object_set_new (
        coverage, "deadline",
        json_string (period_day_format (self->deadline, day_text)));
    return coverage;
}

json_t *
summary_json_document (const summary_model_t *model)
{
    const catalogue_t *catalogue = model->catalogue;
    char period_text[PERIOD_TEXT_SIZE];
    json_t *root = json_object ();
    s_set_region (root, catalogue, model->wording, model->region, model->lang);
    json_object_set_new (
        root, "period",
        json_string (period_format (model->period, period_text)));
    json_object_set_new (root, "title", json_string (model->title));
    json_object_set_new (root, "coverage", s_json_coverage (model));

    //  The region itself, then each direct child
    json_t *rows = json_array ();
    for (int index = 0; index < model->row_count; index++)
        for (int figure = 0; figure < catalogue_figure_count (catalogue);
             figure++)
            json_array_append_new (rows, s_json_row (model, index, figure));
    json_object_set_new (root, "rows", rows);
    json_object_set_new (
        root, "alerts",
        s_json_alerts (catalogue, model->alerts, model->alert_count));
    return root;
}
