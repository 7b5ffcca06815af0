/*  figures.h — derived figures for one region and period, computed from
    the store: year-to-date values of indicators, measures recomputed from
    that level's own summed parts (never an average of children's rates),
    completion against the annual target, pace against the share of the
    year gone, control lines and coverage. What summaries, queries and
    alert rules read. */
#ifndef JT_FIGURES_H_INCLUDED
#define JT_FIGURES_H_INCLUDED

#include "store.h"

typedef struct {
    int figure;            //  indicator or measure index; -1 when decoded
    const char *name;      //  its id, borrowed from the catalogue (or the
                           //  decode); what a query reply row carries
    bool present;          //  false: not reported (or a part missing)
    double value;          //  year to date, in the figure's unit
    bool has_target;       //  an indicator with an annual target here
    double target;         //  in the indicator's unit
    double completion_pct; //  value / target * 100
    double pace_pct;       //  completion / share of year elapsed * 100
    bool has_limit;        //  a control line is set here
    double limit;          //  in the figure's unit
} figure_row_t;

//  Value of one figure at a region, year to date through period: true and
//  *value (in units, not JT_SCALE) when present. A ratio is present when
//  both sides are and the denominator is not zero; a sum when every term is.
bool figures_value (const catalogue_t *catalogue, const store_t *store,
                    int region, int figure, int period, double *value);

//  Fill row for one figure at region and period.
void figures_row (const catalogue_t *catalogue, const store_t *store,
                  int region, int figure, int period, figure_row_t *row);

//  A leaf whose figure stands in a total from an earlier month than the
//  one asked for (DESIGN §3.2, store.h).
typedef struct {
    int region; //  the leaf
    int from;   //  the month its figure is from, before the period
} figures_carried_t;

//  The leaves at or below region whose figures are carried into period:
//  of figure (an indicator, or every stock and cumulative indicator a
//  measure is made of), or of any indicator when figure is -1. One entry
//  per (leaf, month), in catalogue order of the leaves, earlier months
//  first. Returns a fresh array that the caller frees and sets *count, or
//  NULL with *count 0 when nothing is carried.
figures_carried_t *figures_carried (const catalogue_t *catalogue,
                                    const store_t *store, int region,
                                    int figure, int period, size_t *count);

//  Share of the year elapsed at the end of period's month, in percent
//  (83.3 for October).
double figures_year_elapsed_pct (int period);

#endif
