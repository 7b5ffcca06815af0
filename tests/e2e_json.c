/*  e2e_json.c — figures from the reporter's JSON summary (e2e_json.h). */
#include "e2e_json.h"
#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define CATALOGUE "config/heihe-2003.zpl"

char *
e2e_summary_text (e2e_aggregator_t *aggregator, const char *region,
                  const char *period, const char *extra_flags)
{
    char *out = NULL, *err = NULL;
    int status = e2e_run (&out, &err, "jobtally-reporter",
                          "summary -c %s --query %s --publish %s --region %s "
                          "--period %s --format json %s %s",
                          e2e_source (CATALOGUE), aggregator->query,
                          aggregator->publish, region, period, extra_flags,
                          e2e_security (aggregator, "reporter"));
    if (status != 0)
        fprintf (stderr, "reporter exited %d: %s\n", status, err);
    free (err);
    assert_int_equal (status, 0);
    return out;
}

double
e2e_summary_value (const char *text, const char *region, const char *name)
{
    json_error_t error;
    json_t *document = json_loads (text, 0, &error);
    if (!document)
        fprintf (stderr, "not JSON (%s): %s\n", error.text, text);
    assert_non_null (document);
    double value = -1;
    size_t index;
    json_t *row;
    json_array_foreach (json_object_get (document, "rows"), index, row)
    {
        json_t *number = json_object_get (row, "value");
        if (streq (json_string_value (json_object_get (row, "region")),
                   region) &&
            streq (json_string_value (json_object_get (row, "name")), name) &&
            json_is_number (number))
            value = json_number_value (number);
    }
    json_decref (document);
    return value;
}

double
e2e_figure (e2e_aggregator_t *aggregator, const char *region,
            const char *period, const char *name)
{
    char *text = e2e_summary_text (aggregator, region, period, "");
    double value = e2e_summary_value (text, region, name);
    free (text);
    return value;
}
