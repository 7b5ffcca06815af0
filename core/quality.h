/*  quality.h — data quality as statisticians check it (the min-max and
    outlier checks of DHIS2): a leaf's monthly figure against its
    indicator's plausible bounds and largest month-over-month change, set
    in the catalogue (docs/configuration.md, "Data quality"). Pure: the
    aggregator runs it on every update, the reporter on the cells of its
    replica, with the same words.

    The figure checked is the leaf's cell for the month, as reported: for
    a flow the month's own amount, for a stock the month-end level, for a
    cumulative indicator the year to date as reported. Only leaf cells are
    read, never a parent's.

    min, max     the figure is below min or above max (equal is fine);
    max_change   the figure differs from the same leaf's cell of the month
                 before, in the same year, by more than max_change percent
                 of that cell, up or down (exactly at the limit is fine).
                 Nothing is compared in January, when the month before has
                 no cell, or when that cell is 0 (no base for a percent):
                 min and max still guard the size.

    An add update (an event) is checked by the cell it leaves, and only
    against max and a rise: a month still being added up is not yet below
    its minimum or its last month. */
#ifndef JT_QUALITY_H_INCLUDED
#define JT_QUALITY_H_INCLUDED

#include "store.h"

#define QUALITY_TEXT_SIZE 300 //  a finding's text

typedef enum {
    QUALITY_OK,        //  within every bound, or nothing to compare
    QUALITY_ABOVE_MAX, //  above the plausible maximum
    QUALITY_BELOW_MIN, //  below the plausible minimum
    QUALITY_RISE,      //  up more than max_change from the month before
    QUALITY_DROP       //  down more than max_change from the month before
} quality_flag_t;

//  What a check found; a plain value.
typedef struct {
    quality_flag_t flag;
    jt_value_t value; //  the month's figure checked, thousandths
    double bound;     //  in units: min, max, or the furthest the change
                      //  allowed from the month before; 0 when OK
    char text[QUALITY_TEXT_SIZE]; //  "" when OK, else what is wrong:
    //  "heihe.aihui employed_new 2003-10: 98000 above the plausible
    //  maximum 20000"; for a refusal, "implausible figure: " before it
} quality_finding_t;

//  Check value, the figure of a leaf region for period (a valid period),
//  against the bounds of indicator, reading the month before from store.
//  Returns finding->flag.
quality_flag_t quality_check_figure (const catalogue_t *catalogue,
                                     const store_t *store, int region,
                                     int indicator, int period,
                                     jt_value_t value,
                                     quality_finding_t *finding);

//  Check an update that check_update accepted, by the cell it would leave
//  (the store is not changed). Returns JT_OK, with finding->flag
//  QUALITY_OK or a warning in finding->text (the update may land,
//  flagged); or JT_ERR_IMPLAUSIBLE when the indicator is strict, with the
//  refusal's reason in finding->text (the update must not land).
jt_error_t quality_check_update (const catalogue_t *catalogue,
                                 const store_t *store, int region,
                                 int indicator, int period, jt_value_t value,
                                 bool add, quality_finding_t *finding);

#endif
