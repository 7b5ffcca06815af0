/*  quality.c — plausible bounds and month-over-month change (quality.h). */
#include "quality.h"
#include "check.h"
#include "period.h"
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define S_PERCENT_SCALE 100000.0 //  max_change is in thousandths of a percent

static const char *s_month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

//  True when more is more than limit percent (thousandths) of base. Both
//  products are exact integers below 2^70, rounded once to a double: equal
//  products round alike, so a change exactly at the limit is never flagged.
static bool
s_beyond (jt_value_t more, jt_value_t base, int64_t limit)
{
    return (double)more * S_PERCENT_SCALE > (double)base * (double)limit;
}

//  Write a finding's text. Ids are at most 64 bytes and numbers short, so
//  a text fits; were one longer, it would be cut, never overrun.
static void
s_write (quality_finding_t *finding, const char *format, ...)
{
    va_list arguments;
    va_start (arguments, format);
    vsnprintf (finding->text, QUALITY_TEXT_SIZE, format, arguments);
    va_end (arguments);
}

//  The finding's text, once a bound is broken: "heihe.aihui employed_new
//  2003-10: 98000 above the plausible maximum 20000". Only then is
//  anything formatted, so that a figure within its bounds costs a few
//  compares.
static void
s_describe (const catalogue_t *catalogue, const indicator_t *definition,
            int region, int period, jt_value_t before,
            quality_finding_t *finding)
{
    char subject[160], shown[32], bound[32], month[PERIOD_TEXT_SIZE];
    snprintf (subject, sizeof subject, "%s %s %s: %s",
              catalogue_region (catalogue, region)->id, definition->id,
              period_format (period, month),
              check_format_value (finding->value, shown));
    char before_text[32], limit_text[32];
    check_format_value (before, before_text);
    check_format_value (definition->max_change, limit_text);
    const char *before_month = period_month (period) > 1
                                   ? s_month_names[period_month (period) - 2]
                                   : "";
    switch (finding->flag) {
    case QUALITY_ABOVE_MAX:
        s_write (finding, "%s above the plausible maximum %s", subject,
                 check_format_value (definition->max, bound));
        break;
    case QUALITY_BELOW_MIN:
        s_write (finding, "%s below the plausible minimum %s", subject,
                 check_format_value (definition->min, bound));
        break;
    case QUALITY_RISE:
        s_write (finding, "%s is %.1f\xC3\x97 %s's %s (at most +%s%%)", subject,
                 (double)finding->value / (double)before, before_month,
                 before_text, limit_text);
        break;
    case QUALITY_DROP:
        s_write (finding, "%s is %.1f%% below %s's %s (at most -%s%%)", subject,
                 (double)(before - finding->value) * 100 / (double)before,
                 before_month, before_text, limit_text);
        break;
    case QUALITY_OK:
        break;
    }
}

//  Check against min, max and (with a month before) max_change; with
//  rising_only, only what a growing figure can break: max and a rise.
static quality_flag_t
s_check (const catalogue_t *catalogue, const store_t *store, int region,
         int indicator, int period, jt_value_t value, bool rising_only,
         quality_finding_t *finding)
{
    const indicator_t *definition = catalogue_indicator (catalogue, indicator);
    assert (definition);
    finding->flag = QUALITY_OK;
    finding->value = value;
    finding->bound = 0;
    finding->text[0] = 0;
    jt_value_t before = 0;
    int64_t limit = definition->max_change;
    double allowed = (double)limit / S_PERCENT_SCALE;
    if (definition->has_max && value > definition->max) {
        finding->flag = QUALITY_ABOVE_MAX;
        finding->bound = (double)definition->max / JT_SCALE;
    } else if (!rising_only && definition->has_min && value < definition->min) {
        finding->flag = QUALITY_BELOW_MIN;
        finding->bound = (double)definition->min / JT_SCALE;
    } else if (!limit || period_month (period) == 1 ||
               !store_get (store, region, indicator, period - 1, &before) ||
               before <= 0)
        return QUALITY_OK;
    else if (value > before && s_beyond (value - before, before, limit)) {
        finding->flag = QUALITY_RISE;
        finding->bound = (double)before / JT_SCALE * (1 + allowed);
    } else if (!rising_only && value < before &&
               s_beyond (before - value, before, limit)) {
        finding->flag = QUALITY_DROP;
        finding->bound =
            allowed < 1 ? (double)before / JT_SCALE * (1 - allowed) : 0;
    }
    if (finding->flag != QUALITY_OK)
        s_describe (catalogue, definition, region, period, before, finding);
    return finding->flag;
}

quality_flag_t
quality_check_figure (const catalogue_t *catalogue, const store_t *store,
                      int region, int indicator, int period, jt_value_t value,
                      quality_finding_t *finding)
{
    assert (catalogue && store && finding);
    return s_check (catalogue, store, region, indicator, period, value, false,
                    finding);
}

jt_error_t
quality_check_update (const catalogue_t *catalogue, const store_t *store,
                      int region, int indicator, int period, jt_value_t value,
                      bool add, quality_finding_t *finding)
{
    assert (catalogue && store && finding);
    jt_value_t figure = value;
    jt_value_t current = 0;
    if (add && store_get (store, region, indicator, period, &current))
        figure = current + value;
    if (s_check (catalogue, store, region, indicator, period, figure, add,
                 finding) == QUALITY_OK ||
        !catalogue_indicator (catalogue, indicator)->strict)
        return JT_OK;
    char warning[QUALITY_TEXT_SIZE];
    memcpy (warning, finding->text, QUALITY_TEXT_SIZE);
    s_write (finding, "%s: %s", jt_strerror (JT_ERR_IMPLAUSIBLE), warning);
    return JT_ERR_IMPLAUSIBLE;
}
