/*  catalogue.h — the domain of a city: regions, indicators, measures,
    targets, control lines, sources and the regions each may report, and
    alert rules, read from a ZPL text (DESIGN §7, docs/configuration.md)
    through the one scanner (zpl.h). Ids are interned here once: the rest
    of jobtally works with indices.

    The same file also holds the site (endpoints, keys, subscribers,
    security: common/site.h) and the wording (names, summary, the title and
    the figures' phrases: reporter/wording.h), each read by its own reader;
    this one checks that every section of the file is one that some reader
    knows, and accepts the other readers' keys in its own blocks.

    Figures share one index space: indicators are 0..indicator_count-1,
    measures follow them, so a measure's operand is simply a figure index. */
#ifndef JT_CATALOGUE_H_INCLUDED
#define JT_CATALOGUE_H_INCLUDED

#include "jt.h"

typedef enum {
    TIME_FLOW,      //  months add up to the year
    TIME_STOCK,     //  latest month in the year stands for the year
    TIME_CUMULATIVE //  reported year to date; latest month stands
} time_kind_t;

typedef enum {
    MEASURE_RATIO, //  numerator / denominator * scale
    MEASURE_SUM    //  sum of terms
} measure_kind_t;

typedef struct {
    const char *id;      //  "heihe.aihui"
    const char *name;    //  default (English) name
    int parent;          //  index of the parent, -1 for the root
    int depth;           //  0 for the root
    int child_count;     //  direct children
    const int *children; //  their indices, in file order
} region_t;

typedef struct {
    const char *id;   //  "employed_new"
    const char *name; //  "Newly employed persons"
    const char *unit; //  "persons"
    time_kind_t time;
    bool whole; //  only whole units (persons, households...)
    //  Data quality (core/quality.h): plausible bounds of a leaf's monthly
    //  reported figure and its largest change from the month before.
    bool has_min;       //  min is set
    jt_value_t min;     //  plausible minimum, thousandths of the unit
    bool has_max;       //  max is set
    jt_value_t max;     //  plausible maximum, thousandths of the unit
    int64_t max_change; //  largest change, thousandths of a percent; 0 none
    bool strict;        //  a figure outside them is refused, not flagged
} indicator_t;

typedef struct {
    const char *id; //  "unemployment_rate"
    const char *name;
    const char *unit; //  "%" or the unit of its terms
    measure_kind_t kind;
    int numerator;    //  figure index (ratio)
    int denominator;  //  figure index (ratio)
    double scale;     //  ratio multiplier, 100 for percent
    int decimals;     //  decimals to show, default 1
    int term_count;   //  sum
    const int *terms; //  figure indices (sum)
} measure_t;

typedef struct {
    const char *id;   //  source name, "aihui"
    int region_count; //  regions assigned (each covers its subtree)
    const int *regions;
} source_t;

typedef enum {
    RULE_THRESHOLD,   //  a figure above or below a value
    RULE_SILENCE,     //  a region that has not reported a month in time
    RULE_RESTATEMENT, //  a reported figure revised down by > drop_pct
    RULE_CONSISTENCY, //  left must equal, or not exceed, right
    RULE_OUTLIER      //  a leaf's figure outside its indicator's bounds
} rule_kind_t;

typedef enum {
    RULE_TARGET_VALUE,      //  the figure's own value
    RULE_TARGET_COMPLETION, //  "<indicator>.completion", percent of target
    RULE_TARGET_PACE        //  "<indicator>.pace", completion against the year
} rule_target_t;

typedef enum {
    RULE_ABOVE, //  fires while value > threshold
    RULE_BELOW  //  fires while value < threshold
} rule_direction_t;

typedef enum {
    RULE_EQUAL,  //  left == right (within 1e-9 relative)
    RULE_AT_MOST //  left <= right
} rule_relation_t;

typedef enum {
    SEVERITY_INFO,
    SEVERITY_WARNING, //  the default
    SEVERITY_CRITICAL
} rule_severity_t;

typedef struct {
    const char *id; //  "new_jobs_behind_pace"
    rule_kind_t kind;
    int figure; //  threshold, restatement, outlier: figure index; else -1
    rule_target_t target;       //  threshold: value, completion or pace
    double threshold;           //  threshold: above or below this
    rule_direction_t direction; //  threshold
    int left;                   //  consistency: figure index; else -1
    int right;                  //  consistency: figure index; else -1
    rule_relation_t relation;   //  consistency
    double drop_pct;            //  restatement: percent, above 0, at most 100
    rule_severity_t severity;
    int64_t for_s;      //  seconds the condition holds before firing
    int64_t repeat_s;   //  seconds between repeats; 0 never repeats
    int region_count;   //  regions, "x.*" expanded, no duplicates; for an
                        //  outlier rule, the leaves at or below them
    const int *regions; //  their indices, in the order written
} rule_t;

typedef struct _catalogue_t catalogue_t;

//  Parse the ZPL text of a catalogue. filename is used only in messages.
//  On failure returns NULL and, if error is not NULL, sets *error to a
//  fresh string "filename:line: reason" that the caller frees.
catalogue_t *catalogue_new (const char *text, const char *filename,
                            char **error);

//  Destroy a catalogue; NULL-safe, nulls the caller's pointer.
void catalogue_destroy (catalogue_t **self_p);

//  The year that targets refer to.
int catalogue_year (const catalogue_t *self);

//  The first and last months an update may be for (catalogue/years, by
//  default January of the year before the year to December of the year),
//  as periods (period.h); first <= last.
int catalogue_first_period (const catalogue_t *self);
int catalogue_last_period (const catalogue_t *self);

//  Days after a month ends during which its report is on time.
int catalogue_on_time_days (const catalogue_t *self);

int catalogue_region_count (const catalogue_t *self);
const region_t *catalogue_region (const catalogue_t *self, int index);
//  Index of the region with this id, or -1.
int catalogue_region_find (const catalogue_t *self, const char *id);
//  True when region is ancestor or the same as descendant.
bool catalogue_region_covers (const catalogue_t *self, int ancestor,
                              int descendant);

int catalogue_indicator_count (const catalogue_t *self);
const indicator_t *catalogue_indicator (const catalogue_t *self, int index);
int catalogue_indicator_find (const catalogue_t *self, const char *id);

int catalogue_measure_count (const catalogue_t *self);
//  index is a figure index (indicator_count .. figure_count - 1).
const measure_t *catalogue_measure (const catalogue_t *self, int figure);

//  Indicators plus measures.
int catalogue_figure_count (const catalogue_t *self);
//  Index of the indicator or measure with this id, or -1.
int catalogue_figure_find (const catalogue_t *self, const char *id);
const char *catalogue_figure_id (const catalogue_t *self, int figure);

//  Annual target of an indicator at a region: true and *target (in
//  JT_SCALE units) when the catalogue sets one.
bool catalogue_target (const catalogue_t *self, int region, int indicator,
                       jt_value_t *target);

//  Upper control line of a figure (a measure such as the unemployment
//  rate) at a region, in the figure's own unit: true when one is set.
bool catalogue_limit (const catalogue_t *self, int region, int figure,
                      double *limit);

int catalogue_source_count (const catalogue_t *self);
const source_t *catalogue_source (const catalogue_t *self, int index);
//  Index of the source with this name, or -1.
int catalogue_source_find (const catalogue_t *self, const char *name);
//  True when the source may report for region (one of its regions covers it).
bool catalogue_source_allows (const catalogue_t *self, int source, int region);

//  Alert rules (the "rules" section), in file order.
int catalogue_rule_count (const catalogue_t *self);
const rule_t *catalogue_rule (const catalogue_t *self, int index);
//  Index of the rule with this id, or -1.
int catalogue_rule_find (const catalogue_t *self, const char *id);

//  Words of the enums, as the file writes them: "critical", "threshold".
const char *catalogue_severity_name (rule_severity_t severity);
const char *catalogue_rule_kind_name (rule_kind_t kind);

#endif
