/*  figures.c — derived figures (see figures.h). Every measure is computed
    at the region asked for, from that region's own year-to-date cells, so
    a rate at the city is the city's summed numerator over its summed
    denominator, never an average of the counties' rates (DESIGN §3.1). */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "period.h"

//  A measure may refer to other measures; the catalogue rejects cycles, so
//  the recursion is at most figure_count deep.
static bool
s_value (const catalogue_t *catalogue, const store_t *store, int region,
         int figure, int period, int depth, double *value)
{
    assert (depth <= catalogue_figure_count (catalogue));
    if (figure < 0 || figure >= catalogue_figure_count (catalogue))
        return false;

    if (figure < catalogue_indicator_count (catalogue)) {
        jt_value_t ytd;
        if (!store_ytd (store, region, figure, period, &ytd))
            return false;
        *value = (double)ytd / JT_SCALE;
        return true;
    }
    const measure_t *measure = catalogue_measure (catalogue, figure);
    if (measure->kind == MEASURE_RATIO) {
        double numerator, denominator;
        if (!s_value (catalogue, store, region, measure->numerator, period,
                      depth + 1, &numerator) ||
            !s_value (catalogue, store, region, measure->denominator, period,
                      depth + 1, &denominator) ||
            denominator == 0)
            return false;
        *value = numerator / denominator * measure->scale;
        return true;
    }
    double sum = 0;
    for (int index = 0; index < measure->term_count; index++) {
        double term;
        if (!s_value (catalogue, store, region, measure->terms[index], period,
                      depth + 1, &term))
            return false;
        sum += term;
    }
    *value = sum;
    return true;
}

bool
figures_value (const catalogue_t *catalogue, const store_t *store, int region,
               int figure, int period, double *value)
{
    assert (catalogue);
    assert (store);
    assert (value);
    return s_value (catalogue, store, region, figure, period, 0, value);
}

//  Targets belong to the catalogue's year: a period of another year has
//  none. Completion and pace are filled only when the value is present and
//  the target is above zero (a zero target sets no task, and dividing by it
//  would give infinity); otherwise they stay 0 and has_target says whether
//  a target exists.
void
figures_row (const catalogue_t *catalogue, const store_t *store, int region,
             int figure, int period, figure_row_t *row)
{
    assert (catalogue);
    assert (store);
    assert (row);
    memset (row, 0, sizeof (*row));
    row->figure = figure;
    row->name = catalogue_figure_id (catalogue, figure);
    row->present =
        figures_value (catalogue, store, region, figure, period, &row->value);
    if (!row->present)
        row->value = 0;

    if (region < 0 || region >= catalogue_region_count (catalogue) ||
        figure < 0 || figure >= catalogue_figure_count (catalogue))
        return;

    jt_value_t target;
    if (figure < catalogue_indicator_count (catalogue) &&
        period_valid (period) &&
        period_year (period) == catalogue_year (catalogue) &&
        catalogue_target (catalogue, region, figure, &target)) {
        row->has_target = true;
        row->target = (double)target / JT_SCALE;
        double elapsed = figures_year_elapsed_pct (period);
        if (row->present && target > 0 && elapsed > 0) {
            row->completion_pct = row->value / row->target * 100;
            row->pace_pct = row->completion_pct / elapsed * 100;
        }
    }
    double limit;
    if (catalogue_limit (catalogue, region, figure, &limit)) {
        row->has_limit = true;
        row->limit = limit;
    }
}

double
figures_year_elapsed_pct (int period)
{
    if (!period_valid (period))
        return 0;
    return period_month (period) / 12.0 * 100;
}

//  Mark the indicators a figure is made of (itself, for an indicator).
static void
s_parts (const catalogue_t *catalogue, int figure, int depth, bool *parts)
{
    assert (depth <= catalogue_figure_count (catalogue));
    if (figure < catalogue_indicator_count (catalogue)) {
        parts[figure] = true;
        return;
    }
    const measure_t *measure = catalogue_measure (catalogue, figure);
    if (measure->kind == MEASURE_RATIO) {
        s_parts (catalogue, measure->numerator, depth + 1, parts);
        s_parts (catalogue, measure->denominator, depth + 1, parts);
    } else
        for (int index = 0; index < measure->term_count; index++)
            s_parts (catalogue, measure->terms[index], depth + 1, parts);
}

//  Add the leaves at or below region whose parts are carried, each leaf's
//  months in order (a month a bit of a year's mask).
static void
s_collect_carried (const catalogue_t *catalogue, const store_t *store,
                   int region, int period, const bool *parts,
                   figures_carried_t *list, size_t *count)
{
    const region_t *node = catalogue_region (catalogue, region);
    if (node->child_count > 0) {
        for (int index = 0; index < node->child_count; index++)
            s_collect_carried (catalogue, store, node->children[index], period,
                               parts, list, count);
        return;
    }
    uint16_t months = 0;
    for (int indicator = 0; indicator < catalogue_indicator_count (catalogue);
         indicator++) {
        if (!parts[indicator])
            continue;
        int from = store_figure_month (store, region, indicator, period);
        if (from != PERIOD_NONE && from < period)
            months |= (uint16_t)(1u << (period_month (from) - 1));
    }
    for (int month = 0; month < 12; month++)
        if (months & (1u << month))
            list[(*count)++] = (figures_carried_t){
                .region = region,
                .from = period_make (period_year (period), month + 1)};
}

figures_carried_t *
figures_carried (const catalogue_t *catalogue, const store_t *store, int region,
                 int figure, int period, size_t *count)
{
    assert (catalogue);
    assert (store);
    assert (count);
    *count = 0;
    int indicator_count = catalogue_indicator_count (catalogue);
    if (region < 0 || region >= catalogue_region_count (catalogue) ||
        figure >= catalogue_figure_count (catalogue) || !period_valid (period))
        return NULL;
    bool *parts = calloc (indicator_count + 1, sizeof (bool));
    assert (parts);
    for (int indicator = 0; indicator < indicator_count; indicator++)
        parts[indicator] = figure < 0;
    if (figure >= 0)
        s_parts (catalogue, figure, 0, parts);
    //  At most one entry per leaf and month before the period.
    size_t room = (size_t)catalogue_region_count (catalogue) * 12;
    figures_carried_t *list = malloc (room * sizeof (figures_carried_t));
    assert (list);
    s_collect_carried (catalogue, store, region, period, parts, list, count);
    free (parts);
    if (*count == 0) {
        free (list);
        return NULL;
    }
    return list;
}
