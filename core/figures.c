/*  figures.c — derived figures (see figures.h). Every measure is computed
    at the region asked for, from that region's own year-to-date cells, so
    a rate at the city is the city's summed numerator over its summed
    denominator, never an average of the counties' rates (DESIGN §3.1). */
#include <assert.h>
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
