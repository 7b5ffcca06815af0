/*  rules.c — the alert engine (see rules.h). Each pending or firing alert
    is one s_alert_t in a table keyed by its dedup key; an alert that goes
    back to OK is removed, so the table holds only what is active. Notices
    wait in a queue until the caller takes them with rules_next. */

#include <czmq.h>
#include <inttypes.h>
#include <math.h>

#include "decimal.h"
#include "figures.h"
#include "period.h"
#include "quality.h"
#include "rules.h"

#define S_DAY 86400           //  seconds
#define S_RELATIVE_EQUAL 1e-9 //  consistency: equal within this share
#define S_LINE_DECIMALS 6     //  most decimals of a threshold's line
#define S_STATE_HEADER "# jobtally alert state 1"

typedef enum {
    S_PENDING, //  the condition holds, not yet for `for`
    S_FIRING   //  fired; repeats and resolves from here
} s_phase_t;

//  What an evaluation found.
typedef enum {
    S_UNKNOWN, //  a figure is not present: change nothing
    S_CLEAR,   //  the condition does not hold
    S_HOLDS    //  the condition holds
} s_condition_t;

//  One pending or firing alert.
typedef struct {
    int rule;                 //  rule index
    int region;               //  region index
    int period;               //  the month it is about
    s_phase_t phase;          //  pending or firing
    int64_t since;            //  when the condition began
    int64_t last_sent;        //  when a firing notice last went; 0 pending
    jt_value_t reference;     //  restatement: the value before the drop
    double value;             //  last seen value
    double threshold;         //  last seen threshold
    char key[RULES_KEY_SIZE]; //  the dedup key, also the table's key
} s_alert_t;

struct _rules_t {
    const catalogue_t *catalogue; //  borrowed
    const store_t *store;         //  borrowed
    zhashx_t *alerts;             //  key -> s_alert_t, owned
    rules_notice_t *queue;        //  notices not yet taken
    size_t queue_count;           //  notices in queue
    size_t queue_next;            //  the next one rules_next returns
    size_t queue_capacity;        //  room in queue
};

static void
s_alert_free (void **item)
{
    free (*item);
    *item = NULL;
}

rules_t *
rules_new (const catalogue_t *catalogue, const store_t *store)
{
    assert (catalogue);
    assert (store);
    rules_t *self = calloc (1, sizeof (rules_t));
    if (!self)
        abort ();
    self->catalogue = catalogue;
    self->store = store;
    self->alerts = zhashx_new ();
    if (!self->alerts)
        abort ();
    zhashx_set_destructor (self->alerts, s_alert_free);
    return self;
}

void
rules_set_store (rules_t *self, const store_t *store)
{
    assert (self && store);
    self->store = store;
}

void
rules_destroy (rules_t **self_p)
{
    assert (self_p);
    rules_t *self = *self_p;
    if (!self)
        return;
    zhashx_destroy (&self->alerts);
    free (self->queue);
    free (self);
    *self_p = NULL;
}

//  Days from 1970-01-01 to a date of the proleptic Gregorian calendar
//  (H. Hinnant's days_from_civil).
static int64_t
s_days_from_civil (int64_t year, int month, int day)
{
    year -= month <= 2;
    int64_t era = (year >= 0 ? year : year - 399) / 400;
    int64_t year_of_era = year - era * 400;
    int64_t day_of_year =
        (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

//  The instant a month ends: 00:00 UTC on the first day of the next month,
//  in seconds since the epoch.
static int64_t
s_month_end (int period)
{
    int next = period + 1;
    return s_days_from_civil (next / 12, next % 12 + 1, 1) * S_DAY;
}

static void
s_key (const rules_t *self, int rule, int region, int period, char *key)
{
    char month[PERIOD_TEXT_SIZE];
    snprintf (key, RULES_KEY_SIZE, "%s/%s/%s",
              catalogue_rule (self->catalogue, rule)->id,
              catalogue_region (self->catalogue, region)->id,
              period_format (period, month));
}

static void
s_queue (rules_t *self, const s_alert_t *alert, notice_state_t state,
         bool repeat)
{
    if (self->queue_count == self->queue_capacity) {
        self->queue_capacity = self->queue_capacity * 2 + 16;
        self->queue = realloc (self->queue,
                               self->queue_capacity * sizeof (rules_notice_t));
        if (!self->queue)
            abort ();
    }
    rules_notice_t *notice = &self->queue[self->queue_count++];
    notice->rule = alert->rule;
    notice->region = alert->region;
    notice->period = alert->period;
    notice->state = state;
    notice->repeat = repeat;
    notice->severity = catalogue_rule (self->catalogue, alert->rule)->severity;
    notice->value = alert->value;
    notice->threshold = alert->threshold;
    notice->since = alert->since;
    memcpy (notice->key, alert->key, RULES_KEY_SIZE);
}

//  Move one alert by what an evaluation found at now. start is when the
//  condition began (now, or a silence's deadline); reference is kept for a
//  restatement. Returns the number of notices queued (0 or 1).
static int
s_step (rules_t *self, int rule, int region, int period,
        s_condition_t condition, double value, double threshold, int64_t start,
        jt_value_t reference, int64_t now)
{
    if (condition == S_UNKNOWN)
        return 0;
    char key[RULES_KEY_SIZE];
    s_key (self, rule, region, period, key);
    s_alert_t *alert = zhashx_lookup (self->alerts, key);
    if (condition == S_CLEAR) {
        if (!alert)
            return 0;
        int queued = 0;
        if (alert->phase == S_FIRING) {
            alert->value = value;
            alert->threshold = threshold;
            s_queue (self, alert, NOTICE_RESOLVED, false);
            queued = 1;
        }
        zhashx_delete (self->alerts, key);
        return queued;
    }
    if (!alert) {
        alert = calloc (1, sizeof (s_alert_t));
        if (!alert)
            abort ();
        alert->rule = rule;
        alert->region = region;
        alert->period = period;
        alert->phase = S_PENDING;
        alert->since = start;
        alert->reference = reference;
        memcpy (alert->key, key, RULES_KEY_SIZE);
        zhashx_insert (self->alerts, alert->key, alert);
    }
    alert->value = value;
    alert->threshold = threshold;
    const rule_t *definition = catalogue_rule (self->catalogue, rule);
    if (alert->phase == S_PENDING && now - alert->since >= definition->for_s) {
        alert->phase = S_FIRING;
        alert->last_sent = now;
        s_queue (self, alert, NOTICE_FIRING, false);
        return 1;
    }
    if (alert->phase == S_FIRING && definition->repeat_s > 0 &&
        now - alert->last_sent >= definition->repeat_s) {
        alert->last_sent = now;
        s_queue (self, alert, NOTICE_FIRING, true);
        return 1;
    }
    return 0;
}

static s_condition_t
s_threshold (const rules_t *self, const rule_t *rule, int region, int period,
             double *value)
{
    if (rule->target == RULE_TARGET_VALUE) {
        if (!figures_value (self->catalogue, self->store, region, rule->figure,
                            period, value))
            return S_UNKNOWN;
    } else {
        figure_row_t row;
        figures_row (self->catalogue, self->store, region, rule->figure, period,
                     &row);
        if (!row.present || !row.has_target || row.target <= 0)
            return S_UNKNOWN;
        *value = rule->target == RULE_TARGET_COMPLETION ? row.completion_pct
                                                        : row.pace_pct;
    }
    //  A figure on the line is not beyond it, also when the double holds
    //  it a few units in the last place off (3 of 10 at scale 100 is
    //  30.000000000000004): both are compared as rounded to the line's
    //  own precision (decimal.h), and the figure must be strictly beyond
    double figure = decimal_round (*value, S_LINE_DECIMALS);
    double line = decimal_round (rule->threshold, S_LINE_DECIMALS);
    bool holds = rule->direction == RULE_ABOVE ? figure > line : figure < line;
    return holds ? S_HOLDS : S_CLEAR;
}

static s_condition_t
s_consistency (const rules_t *self, const rule_t *rule, int region, int period,
               double *left, double *right)
{
    if (!figures_value (self->catalogue, self->store, region, rule->left,
                        period, left) ||
        !figures_value (self->catalogue, self->store, region, rule->right,
                        period, right))
        return S_UNKNOWN;
    double larger = fabs (*left) > fabs (*right) ? fabs (*left) : fabs (*right);
    double slack = S_RELATIVE_EQUAL * larger;
    bool consistent = rule->relation == RULE_EQUAL
                          ? fabs (*left - *right) <= slack
                          : *left <= *right + slack;
    return consistent ? S_CLEAR : S_HOLDS;
}

//  A leaf's figure for the month against its indicator's plausible bounds,
//  by the check the aggregator ran on it (core/quality.h). *bound is the
//  bound broken; while none is, the maximum (else the minimum, else 0).
static s_condition_t
s_outlier (const rules_t *self, const rule_t *rule, int region, int period,
           double *value, double *bound)
{
    jt_value_t figure;
    if (!store_get (self->store, region, rule->figure, period, &figure))
        return S_UNKNOWN;
    quality_finding_t finding;
    *value = (double)figure / JT_SCALE;
    if (quality_check_figure (self->catalogue, self->store, region,
                              rule->figure, period, figure,
                              &finding) != QUALITY_OK) {
        *bound = finding.bound;
        return S_HOLDS;
    }
    const indicator_t *indicator =
        catalogue_indicator (self->catalogue, rule->figure);
    *bound = indicator->has_max   ? (double)indicator->max / JT_SCALE
             : indicator->has_min ? (double)indicator->min / JT_SCALE
                                  : 0;
    return S_CLEAR;
}

//  A drop of more than drop_pct percent from reference to current.
static bool
s_dropped (const rule_t *rule, jt_value_t reference, jt_value_t current)
{
    return reference > 0 &&
           (double)(reference - current) * 100 > rule->drop_pct * reference;
}

//  The line a restatement is measured against, in units.
static double
s_restatement_line (const rule_t *rule, jt_value_t reference)
{
    return (double)reference / JT_SCALE * (1 - rule->drop_pct / 100);
}

static int
s_compare_alerts (const void *left, const void *right)
{
    const s_alert_t *const *a = left;
    const s_alert_t *const *b = right;
    return strcmp ((*a)->key, (*b)->key);
}

//  Every alert, sorted by key, in a fresh array (NULL when none).
static s_alert_t **
s_sorted_alerts (const rules_t *self, size_t *count)
{
    *count = zhashx_size (self->alerts);
    if (*count == 0)
        return NULL;
    s_alert_t **alerts = calloc (*count, sizeof (s_alert_t *));
    if (!alerts)
        abort ();
    size_t index = 0;
    for (s_alert_t *alert = zhashx_first (self->alerts); alert;
         alert = zhashx_next (self->alerts))
        alerts[index++] = alert;
    assert (index == *count);
    qsort (alerts, *count, sizeof (s_alert_t *), s_compare_alerts);
    return alerts;
}

//  Re-check restatement alerts of every period against their cells.
static int
s_recheck_restatements (rules_t *self, int64_t now)
{
    size_t count;
    s_alert_t **alerts = s_sorted_alerts (self, &count);
    int queued = 0;
    for (size_t index = 0; index < count; index++) {
        //  Copy: s_step may free the alert
        s_alert_t alert = *alerts[index];
        const rule_t *rule = catalogue_rule (self->catalogue, alert.rule);
        if (rule->kind != RULE_RESTATEMENT)
            continue;
        jt_value_t current = 0;
        s_condition_t condition = S_UNKNOWN;
        if (store_get (self->store, alert.region, rule->figure, alert.period,
                       &current))
            condition =
                s_dropped (rule, alert.reference, current) ? S_HOLDS : S_CLEAR;
        queued += s_step (self, alert.rule, alert.region, alert.period,
                          condition, (double)current / JT_SCALE,
                          s_restatement_line (rule, alert.reference),
                          alert.since, alert.reference, now);
    }
    free (alerts);
    return queued;
}

int
rules_evaluate (rules_t *self, int period, int64_t now)
{
    assert (self);
    assert (period_valid (period));
    int queued = 0;
    int64_t month_end = s_month_end (period);
    int on_time_days = catalogue_on_time_days (self->catalogue);
    int64_t deadline = month_end + (int64_t)on_time_days * S_DAY;
    for (int index = 0; index < catalogue_rule_count (self->catalogue);
         index++) {
        const rule_t *rule = catalogue_rule (self->catalogue, index);
        if (rule->kind == RULE_RESTATEMENT)
            continue;
        for (int member = 0; member < rule->region_count; member++) {
            int region = rule->regions[member];
            double value = 0, threshold = 0;
            s_condition_t condition;
            int64_t start = now;
            if (rule->kind == RULE_THRESHOLD) {
                condition = s_threshold (self, rule, region, period, &value);
                threshold = rule->threshold;
            } else if (rule->kind == RULE_SILENCE) {
                value = (double)(now - month_end) / S_DAY;
                threshold = on_time_days;
                condition = !store_reported (self->store, region, period) &&
                                    now > deadline
                                ? S_HOLDS
                                : S_CLEAR;
                start = deadline;
            } else if (rule->kind == RULE_OUTLIER)
                condition =
                    s_outlier (self, rule, region, period, &value, &threshold);
            else
                condition = s_consistency (self, rule, region, period, &value,
                                           &threshold);
            //  Missing is not zero: a total that not every part has
            //  reported into yet is no evidence either way.
            int reported, expected;
            store_coverage (self->store, region, period, &reported, &expected);
            if (rule->kind != RULE_SILENCE && reported < expected)
                condition = S_UNKNOWN;
            queued += s_step (self, index, region, period, condition, value,
                              threshold, start, 0, now);
        }
    }
    return queued + s_recheck_restatements (self, now);
}

int
rules_restated (rules_t *self, int region, int indicator, int period,
                jt_value_t old_value, jt_value_t new_value, int64_t now)
{
    assert (self);
    assert (period_valid (period));
    int queued = 0;
    for (int index = 0; index < catalogue_rule_count (self->catalogue);
         index++) {
        const rule_t *rule = catalogue_rule (self->catalogue, index);
        if (rule->kind != RULE_RESTATEMENT || rule->figure != indicator)
            continue;
        bool watched = false;
        for (int member = 0; member < rule->region_count && !watched; member++)
            watched = rule->regions[member] == region;
        if (!watched)
            continue;
        char key[RULES_KEY_SIZE];
        s_key (self, index, region, period, key);
        const s_alert_t *alert = zhashx_lookup (self->alerts, key);
        //  An active alert keeps measuring from the value before the drop
        jt_value_t reference = alert ? alert->reference : old_value;
        s_condition_t condition =
            s_dropped (rule, reference, new_value) ? S_HOLDS : S_CLEAR;
        queued +=
            s_step (self, index, region, period, condition,
                    (double)new_value / JT_SCALE,
                    s_restatement_line (rule, reference), now, reference, now);
    }
    return queued;
}

bool
rules_next (rules_t *self, rules_notice_t *notice)
{
    assert (self);
    assert (notice);
    if (self->queue_next == self->queue_count) {
        self->queue_next = 0;
        self->queue_count = 0;
        return false;
    }
    *notice = self->queue[self->queue_next++];
    return true;
}

rules_notice_t *
rules_active (const rules_t *self, size_t *count)
{
    assert (self);
    assert (count);
    size_t alert_count;
    s_alert_t **alerts = s_sorted_alerts (self, &alert_count);
    rules_notice_t *notices =
        alert_count ? calloc (alert_count, sizeof (rules_notice_t)) : NULL;
    if (alert_count && !notices)
        abort ();
    *count = 0;
    for (size_t index = 0; index < alert_count; index++) {
        const s_alert_t *alert = alerts[index];
        if (alert->phase != S_FIRING)
            continue;
        rules_notice_t *notice = &notices[(*count)++];
        notice->rule = alert->rule;
        notice->region = alert->region;
        notice->period = alert->period;
        notice->state = NOTICE_FIRING;
        notice->severity =
            catalogue_rule (self->catalogue, alert->rule)->severity;
        notice->value = alert->value;
        notice->threshold = alert->threshold;
        notice->since = alert->since;
        memcpy (notice->key, alert->key, RULES_KEY_SIZE);
    }
    free (alerts);
    if (*count == 0) {
        free (notices);
        return NULL;
    }
    return notices;
}

void
rules_forget_before (rules_t *self, int period)
{
    assert (self);
    size_t count;
    s_alert_t **alerts = s_sorted_alerts (self, &count);
    for (size_t index = 0; index < count; index++)
        if (alerts[index]->period < period) {
            char key[RULES_KEY_SIZE]; //  the alert and its key go together
            memcpy (key, alerts[index]->key, RULES_KEY_SIZE);
            zhashx_delete (self->alerts, key);
        }
    free (alerts);
}

//  Numbers are written with %.17g and read with strtod, so a value makes
//  the round trip exactly (in the C locale, which the programs keep).
char *
rules_save (const rules_t *self)
{
    assert (self);
    size_t count;
    s_alert_t **alerts = s_sorted_alerts (self, &count);
    size_t line_max = RULES_KEY_SIZE + 160;
    size_t size = sizeof (S_STATE_HEADER) + 1 + count * line_max;
    char *text = malloc (size);
    if (!text)
        abort ();
    size_t used = (size_t)snprintf (text, size, "%s\n", S_STATE_HEADER);
    for (size_t index = 0; index < count; index++) {
        const s_alert_t *alert = alerts[index];
        int written = snprintf (
            text + used, size - used,
            "%s %s %" PRId64 " %" PRId64 " %" PRId64 " %.17g %.17g\n",
            alert->key, alert->phase == S_FIRING ? "firing" : "pending",
            alert->since, alert->last_sent, alert->reference, alert->value,
            alert->threshold);
        assert (written > 0 && (size_t)written < line_max);
        used += (size_t)written;
    }
    free (alerts);
    return text;
}

static bool
s_parse_int64 (const char *text, int64_t *value)
{
    if (!text || !*text)
        return false;
    char *end;
    errno = 0;
    long long result = strtoll (text, &end, 10);
    if (*end || errno)
        return false;
    *value = result;
    return true;
}

static bool
s_parse_double (const char *text, double *value)
{
    if (!text || !*text)
        return false;
    char *end;
    errno = 0;
    *value = strtod (text, &end);
    return !*end && !errno && isfinite (*value);
}

//  Parse one saved line (our own copy, cut up here) into alert. Returns
//  -1 when malformed, 0 when alert is filled, 1 when the line names a rule
//  or region that the catalogue no longer has for it.
static int
s_parse_line (const rules_t *self, char *line, s_alert_t *alert)
{
    char *fields[8];
    int count = 0;
    char *save = NULL;
    for (char *field = strtok_r (line, " \t\r", &save); field;
         field = strtok_r (NULL, " \t\r", &save)) {
        if (count == 8)
            return -1;
        fields[count++] = field;
    }
    if (count != 7 || strlen (fields[0]) >= RULES_KEY_SIZE)
        return -1;
    memset (alert, 0, sizeof (*alert));
    strcpy (alert->key, fields[0]);
    if (streq (fields[1], "firing"))
        alert->phase = S_FIRING;
    else if (streq (fields[1], "pending"))
        alert->phase = S_PENDING;
    else
        return -1;
    if (!s_parse_int64 (fields[2], &alert->since) ||
        !s_parse_int64 (fields[3], &alert->last_sent) ||
        !s_parse_int64 (fields[4], &alert->reference) ||
        !s_parse_double (fields[5], &alert->value) ||
        !s_parse_double (fields[6], &alert->threshold))
        return -1;
    //  The key: rule/region/YYYY-MM, ids have no '/'
    char *first = strchr (fields[0], '/');
    char *last = strrchr (fields[0], '/');
    if (!first || first == last)
        return -1;
    *first = '\0';
    *last = '\0';
    alert->period = period_parse (last + 1);
    if (alert->period == PERIOD_NONE)
        return -1;
    alert->rule = catalogue_rule_find (self->catalogue, fields[0]);
    alert->region = catalogue_region_find (self->catalogue, first + 1);
    if (alert->rule < 0 || alert->region < 0)
        return 1;
    const rule_t *rule = catalogue_rule (self->catalogue, alert->rule);
    for (int member = 0; member < rule->region_count; member++)
        if (rule->regions[member] == alert->region)
            return 0;
    return 1;
}

int
rules_load (rules_t *self, const char *text)
{
    assert (self);
    assert (text);
    zhashx_t *alerts = zhashx_new ();
    if (!alerts)
        abort ();
    zhashx_set_destructor (alerts, s_alert_free);
    int rc = 0;
    const char *start = text;
    while (*start && rc == 0) {
        size_t length = strcspn (start, "\n");
        char *line = strndup (start, length);
        if (!line)
            abort ();
        start += length + (start[length] == '\n');
        size_t blank = strspn (line, " \t\r");
        if (line[blank] == '\0' || line[blank] == '#') {
            free (line);
            continue;
        }
        s_alert_t parsed;
        int result = s_parse_line (self, line, &parsed);
        free (line);
        if (result < 0)
            rc = -1;
        else if (result == 0) {
            s_alert_t *alert = malloc (sizeof (s_alert_t));
            if (!alert)
                abort ();
            *alert = parsed;
            //  Rebuild the key from the ids: parsing cut it up
            s_key (self, alert->rule, alert->region, alert->period, alert->key);
            zhashx_delete (alerts, alert->key); //  a later line wins
            zhashx_insert (alerts, alert->key, alert);
        }
    }
    if (rc) {
        zhashx_destroy (&alerts);
        return -1;
    }
    zhashx_destroy (&self->alerts);
    self->alerts = alerts;
    return 0;
}
