/*  cell.h — the one mapping between a cell or an arrival as published
    (update.h: ids, YYYYMM, YYYYMMDD) and the store's index form (store.h).
    The aggregator names the store's cells before they are encoded; a
    subscriber resolves what it decoded against its own catalogue, which
    may not know every id: that is outside input, refused with a reason. */
#ifndef JT_CELL_H_INCLUDED
#define JT_CELL_H_INCLUDED

#include "store.h"
#include "update.h"

//  The published form of a store cell. The ids are borrowed from the
//  catalogue, whose indices the cell must hold.
jt_cell_t cell_from_store (const catalogue_t *catalogue,
                           const store_cell_t *cell);

//  Resolve a published cell into the store's form: JT_OK and *resolved,
//  or JT_ERR_UNKNOWN_REGION, JT_ERR_UNKNOWN_INDICATOR or JT_ERR_BAD_PERIOD
//  (the first that applies), and then *resolved is not to be used.
jt_error_t cell_resolve (const catalogue_t *catalogue, const jt_cell_t *cell,
                         store_cell_t *resolved);

//  The published form of a store arrival; the region id is borrowed from
//  the catalogue.
jt_arrival_t cell_arrival_from_store (const catalogue_t *catalogue,
                                      const store_arrival_t *arrival);

//  Resolve a published arrival into the store's form: JT_OK and
//  *resolved, or JT_ERR_UNKNOWN_REGION, JT_ERR_NOT_LEAF, JT_ERR_BAD_PERIOD
//  or JT_ERR_BAD_DATE (the first that applies).
jt_error_t cell_arrival_resolve (const catalogue_t *catalogue,
                                 const jt_arrival_t *arrival,
                                 store_arrival_t *resolved);

#endif
