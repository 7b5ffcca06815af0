/*  check.c — one check of an update, shared by aggregator and collector. */
#include "check.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
check_format_value (jt_value_t value, char *buffer)
{
    uint64_t magnitude = value < 0 ? (uint64_t) 0 - (uint64_t) value
                                   : (uint64_t) value;
    int length = snprintf (buffer, 32, "%s%" PRIu64, value < 0 ? "-" : "",
                           magnitude / JT_SCALE);
    unsigned fraction = (unsigned) (magnitude % JT_SCALE);
    if (fraction) {
        snprintf (buffer + length, 32 - length, ".%03u", fraction);
        char *end = buffer + strlen (buffer) - 1;
        while (*end == '0')
            *end-- = 0;
    }
    return buffer;
}

//  Copy an id for a message: at most 64 bytes, no control characters or
//  quotes (the id may be anything a sender typed).
static const char *
s_shown (const char *id, char *buffer)
{
    snprintf (buffer, 68, "%s", id);
    for (char *c = buffer; *c; c++)
        if ((unsigned char) *c < 0x20 || *c == '\'')
            *c = '?';
    return buffer;
}

jt_error_t
check_update (const catalogue_t *catalogue, const store_t *store, int source,
              const char *region_id, const char *indicator_id, int period,
              jt_value_t value, bool add, int *region, int *indicator,
              char *reason)
{
    char shown [68];
    *region = -1;
    *indicator = -1;
    if (!jt_id_valid (region_id)) {
        snprintf (reason, CHECK_REASON_SIZE, "%s '%s'",
                  jt_strerror (JT_ERR_BAD_ID), s_shown (region_id, shown));
        return JT_ERR_BAD_ID;
    }
    if (!jt_id_valid (indicator_id)) {
        snprintf (reason, CHECK_REASON_SIZE, "%s '%s'",
                  jt_strerror (JT_ERR_BAD_ID), s_shown (indicator_id, shown));
        return JT_ERR_BAD_ID;
    }
    *region = catalogue_region_find (catalogue, region_id);
    if (*region < 0) {
        snprintf (reason, CHECK_REASON_SIZE, "%s '%s'",
                  jt_strerror (JT_ERR_UNKNOWN_REGION), region_id);
        return JT_ERR_UNKNOWN_REGION;
    }
    *indicator = catalogue_indicator_find (catalogue, indicator_id);
    if (*indicator < 0) {
        snprintf (reason, CHECK_REASON_SIZE, "%s '%s'",
                  jt_strerror (JT_ERR_UNKNOWN_INDICATOR), indicator_id);
        return JT_ERR_UNKNOWN_INDICATOR;
    }
    if (!catalogue_source_allows (catalogue, source, *region)) {
        snprintf (reason, CHECK_REASON_SIZE, "%s: '%s' is not %s's",
                  jt_strerror (JT_ERR_NOT_ASSIGNED), region_id,
                  catalogue_source (catalogue, source)->id);
        return JT_ERR_NOT_ASSIGNED;
    }
    jt_error_t code = store_check (store, *region, *indicator, period, value,
                                   add);
    if (code != JT_OK) {
        char number [32];
        snprintf (reason, CHECK_REASON_SIZE, "%s: %s %s %s",
                  jt_strerror (code), region_id, indicator_id,
                  check_format_value (value, number));
    }
    return code;
}
