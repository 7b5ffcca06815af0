/*  cell.c — published cells and arrivals to and from the store's index
    form (see cell.h). */
#include "cell.h"
#include "period.h"

jt_cell_t
cell_from_store (const catalogue_t *catalogue, const store_cell_t *cell)
{
    return (jt_cell_t){.region = catalogue_region (catalogue, cell->region)->id,
                       .indicator =
                           catalogue_indicator (catalogue, cell->indicator)->id,
                       .period = period_yyyymm (cell->period),
                       .value = cell->value};
}

jt_error_t
cell_resolve (const catalogue_t *catalogue, const jt_cell_t *cell,
              store_cell_t *resolved)
{
    *resolved = (store_cell_t){
        .region = catalogue_region_find (catalogue, cell->region),
        .indicator = catalogue_indicator_find (catalogue, cell->indicator),
        .period = period_from_yyyymm (cell->period),
        .value = cell->value};
    if (resolved->region < 0)
        return JT_ERR_UNKNOWN_REGION;
    if (resolved->indicator < 0)
        return JT_ERR_UNKNOWN_INDICATOR;
    if (resolved->period == PERIOD_NONE)
        return JT_ERR_BAD_PERIOD;
    return JT_OK;
}

jt_arrival_t
cell_arrival_from_store (const catalogue_t *catalogue,
                         const store_arrival_t *arrival)
{
    return (jt_arrival_t){.region =
                              catalogue_region (catalogue, arrival->region)->id,
                          .period = period_yyyymm (arrival->period),
                          .reported = period_day_yyyymmdd (arrival->day)};
}

jt_error_t
cell_arrival_resolve (const catalogue_t *catalogue, const jt_arrival_t *arrival,
                      store_arrival_t *resolved)
{
    *resolved = (store_arrival_t){
        .region = catalogue_region_find (catalogue, arrival->region),
        .period = period_from_yyyymm (arrival->period),
        .day = period_day_from_yyyymmdd (arrival->reported)};
    if (resolved->region < 0)
        return JT_ERR_UNKNOWN_REGION;
    if (catalogue_region (catalogue, resolved->region)->child_count > 0)
        return JT_ERR_NOT_LEAF;
    if (resolved->period == PERIOD_NONE)
        return JT_ERR_BAD_PERIOD;
    if (resolved->day == PERIOD_DAY_NONE)
        return JT_ERR_BAD_DATE;
    return JT_OK;
}
