/*  summary_model.h — what a summary of a region for a month (year to
    date) says, computed once from the store: the title, the coverage of
    the month, the headline's clauses, the figures of the region and of
    each direct child, the month-by-month series of the headline
    indicators, the active alerts and the restatements among them. The
    writers for text, Markdown, CSV, JSON and HTML only read it; none asks
    the store again.

    The model is a plain read-only value: its fields are public so that
    each writer reads what it shows without a getter per field, and only
    summary_model_new fills them. Every array is the model's own; the
    catalogue and the wording are borrowed. Pure: no sockets, no clock, no
    log. */
#ifndef JT_SUMMARY_MODEL_H_INCLUDED
#define JT_SUMMARY_MODEL_H_INCLUDED

#include "catalogue.h"
#include "wording.h"
#include "store.h"
#include "figures.h"
#include "rules.h"

//  How a region expected to report for the month stands (DESIGN §3.3).
typedef enum {
    SUMMARY_MISSING,    //  reported nothing for the month
    SUMMARY_ON_TIME,    //  reported in full by the deadline
    SUMMARY_LATE,       //  reported in full, the last part after it
    SUMMARY_INCOMPLETE, //  a region with parts: some reported, not all
    SUMMARY_UNDATED     //  a leaf with figures but no known report day
} summary_report_t;

//  One region expected to report (store_expected_region).
typedef struct {
    int region;              //  region index
    summary_report_t report; //  how it stands
    int day;                 //  on time or late: the day it was complete; else
                             //  PERIOD_DAY_NONE
} summary_expected_t;

//  The month's coverage at the region.
typedef struct {
    int expected;                //  regions expected to report
    int reported;                //  of them, how many reported anything
    int on_time;                 //  of them, how many in full by the deadline
    summary_expected_t *regions; //  expected of them, in catalogue order
    figures_carried_t *carried;  //  leaves carried into the month (any
                                 //  indicator), as figures_carried lists them
    size_t carried_count;        //  entries in carried
    int deadline;                //  last day a report is on time
} summary_coverage_t;

//  One figure at one row region.
typedef struct {
    figure_row_t row;           //  figures_row at the region and period
    figures_carried_t *carried; //  figures_carried of this figure there
    size_t carried_count;       //  entries in carried
} summary_cell_t;

//  One row region: the region itself, then each direct child.
typedef struct {
    int region;            //  region index
    bool silent;           //  a child that reported nothing for the month:
                           //  its figures run to its latest report
    summary_cell_t *cells; //  one per figure, in catalogue order
} summary_row_t;

//  One clause of the headline: a headline figure at the region.
typedef struct {
    int figure;              //  figure index
    const figure_row_t *row; //  its row, in rows[0].cells
    bool task;       //  says the completion of an annual task: a present
                     //  indicator with a target above 0
    bool provincial; //  the first task clause at the top of the tree: the
                     //  task came from the level above ("provincial")
    bool behind;     //  a task clause behind pace (pace below 100%)
} summary_clause_t;

//  A headline indicator month by month at the region, January to the
//  period: each month's own figure (for a cumulative indicator the change
//  from the month before).
typedef struct {
    int figure;     //  indicator index
    bool *known;    //  month_count entries: the month's figure is known
    double *values; //  month_count entries, in the indicator's unit
} summary_series_t;

typedef struct {
    const catalogue_t *catalogue; //  borrowed; outlives the model
    const wording_t *wording;     //  its names and phrases; borrowed, outlives
    int region;                   //  the region summarised
    int period;                   //  year to date through this month
    const char *lang;             //  "en" or the lang given (borrowed)
    bool leaf;                    //  the region has no children
    bool root;                    //  the region is the top of the tree
    char *title;                  //  summary_title in lang
    summary_coverage_t coverage;  //  who reported, when, what is carried
    summary_clause_t *clauses;    //  the wording's headline figures
    int clause_count;             //  entries in clauses
    summary_row_t *rows;          //  the region, then its direct children
    int row_count;                //  entries in rows (1 for a leaf)
    int silent_count;             //  rows with silent set
    summary_series_t *series;     //  the headline indicators month by month
    int series_count;             //  entries in series
    int month_count;              //  months in each series (the period's)
    rules_notice_t *alerts;       //  copies of the alerts, in the order given
    size_t alert_count;           //  entries in alerts
    //  The restatements: indices into alerts of the alerts of kind
    //  restatement. The store keeps no history of revisions, so the
    //  restatements a summary knows are the restatement alerts firing.
    size_t *restatements;
    size_t restatement_count; //  entries in restatements
} summary_model_t;

//  The model of the summary of region for period (year to date). lang
//  picks names ("en", "zh"; NULL means "en") and is borrowed; alerts are
//  the alert_count alerts firing now (rules_active), copied; NULL and 0
//  for none. catalogue, wording (read with that catalogue) and store are
//  borrowed for the call only, except that the catalogue and the wording
//  must outlive the model. Returns a fresh model that the caller destroys.
summary_model_t *summary_model_new (const catalogue_t *catalogue,
                                    const wording_t *wording,
                                    const store_t *store, int region,
                                    int period, const char *lang,
                                    const rules_notice_t *alerts,
                                    size_t alert_count);

//  Destroy the model; NULL-safe, nulls the caller's pointer.
void summary_model_destroy (summary_model_t **self_p);

//  The row of figure at the index-th row region (0: the region itself).
const figure_row_t *summary_model_row (const summary_model_t *self, int index,
                                       int figure);

#endif
