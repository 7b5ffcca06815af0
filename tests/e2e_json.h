/*  e2e_json.h — the aggregator's figures as end-to-end tests read them: a
    `jobtally-reporter summary --format json` run against the test's
    aggregator (the Clone snapshot, so the aggregator's own state). */
#ifndef JT_E2E_JSON_H_INCLUDED
#define JT_E2E_JSON_H_INCLUDED

#include <jansson.h>

#include "e2e.h"

//  The JSON summary of region for period (YYYY-MM) as text, with extra
//  flags (or ""); fails the test when the reporter does not exit 0.
//  The caller frees it.
char *e2e_summary_text (e2e_aggregator_t *aggregator, const char *region,
                        const char *period, const char *extra_flags);

//  The value of the row (region, figure name) in a JSON summary's text, or
//  -1 when it has none.
double e2e_summary_value (const char *text, const char *region,
                          const char *name);

//  The aggregator's value of (region, figure name) for period, -1 if none.
double e2e_figure (e2e_aggregator_t *aggregator, const char *region,
                   const char *period, const char *name);

#endif
