/*  check.c — one check of an update, shared by aggregator and collector. */
#include "check.h"
#include "period.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
check_format_value (jt_value_t value, char *buffer)
{
    uint64_t magnitude =
        value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    int length = snprintf (buffer, 32, "%s%" PRIu64, value < 0 ? "-" : "",
                           magnitude / JT_SCALE);
    unsigned fraction = (unsigned)(magnitude % JT_SCALE);
    if (fraction) {
        snprintf (buffer + length, 32 - length, ".%03u", fraction);
        char *end = buffer + strlen (buffer) - 1;
        while (*end == '0')
            *end-- = 0;
    }
    return buffer;
}

char *
check_shown (const char *text, char *buffer)
{
    const unsigned char *in = (const unsigned char *)text;
    size_t out = 0;
    while (*in && out < 64) {
        //  RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF.
        size_t length = *in < 0x80                   ? 1
                        : *in >= 0xc2 && *in <= 0xdf ? 2
                        : *in >= 0xe0 && *in <= 0xef ? 3
                        : *in >= 0xf0 && *in <= 0xf4 ? 4
                                                     : 0;
        unsigned char low = 0x80, high = 0xbf;
        if (*in == 0xe0)
            low = 0xa0;
        else if (*in == 0xed)
            high = 0x9f;
        else if (*in == 0xf0)
            low = 0x90;
        else if (*in == 0xf4)
            high = 0x8f;
        size_t valid = length;
        for (size_t at = 1; at < length && valid; at++) {
            unsigned char byte = in[at];
            if (at == 1 ? (byte < low || byte > high) : (byte & 0xc0) != 0x80)
                valid = 0;
        }
        if (valid == 0 ||
            (length == 1 && (*in < 0x20 || *in == 0x7f || *in == '\''))) {
            buffer[out++] = '?';
            in++;
            continue;
        }
        if (out + length > 64)
            break;
        memcpy (buffer + out, in, length);
        out += length;
        in += length;
    }
    strcpy (buffer + out, *in ? "..." : "");
    return buffer;
}

int
check_region_find (const catalogue_t *catalogue, check_memo_t *memo,
                   const char *region_id)
{
    if (memo->region.id && region_id &&
        strcmp (region_id, memo->region.id) == 0)
        return memo->region.index;
    int region = catalogue_region_find (catalogue, region_id);
    if (region >= 0)
        memo->region = (check_memo_slot_t){
            .id = catalogue_region (catalogue, region)->id, .index = region};
    return region;
}

//  The memo slot of an indicator id: by its length and end letters.
static check_memo_slot_t *
s_indicator_slot (check_memo_t *memo, const char *indicator_id)
{
    size_t length = strlen (indicator_id);
    size_t hash = length * 31;
    if (length > 0)
        hash += (unsigned char)indicator_id[length - 1] * 7u +
                (unsigned char)indicator_id[length / 2];
    return &memo->indicators[hash % CHECK_MEMO_SLOTS];
}

//  The remembered index of indicator_id, or -1.
static int
s_indicator_known (check_memo_t *memo, const char *indicator_id)
{
    if (!indicator_id)
        return -1;
    check_memo_slot_t *slot = s_indicator_slot (memo, indicator_id);
    return slot->id && strcmp (indicator_id, slot->id) == 0 ? slot->index : -1;
}

//  The index of indicator_id, remembered in memo; -1 when it is not one.
static int
s_indicator_find (const catalogue_t *catalogue, check_memo_t *memo,
                  const char *indicator_id)
{
    int indicator = catalogue_indicator_find (catalogue, indicator_id);
    if (indicator >= 0)
        *s_indicator_slot (memo, indicator_id) = (check_memo_slot_t){
            .id = catalogue_indicator (catalogue, indicator)->id,
            .index = indicator};
    return indicator;
}

//  Whether a city can mean period on the day arrived: a month of the
//  catalogue's years that has begun. Returns JT_OK, or the code with the
//  reason written, saying what is expected.
static jt_error_t
s_check_period (const catalogue_t *catalogue, int period, int arrived,
                char *reason)
{
    char month[PERIOD_TEXT_SIZE], first[PERIOD_TEXT_SIZE],
        last[PERIOD_TEXT_SIZE], day[PERIOD_DAY_TEXT_SIZE];
    int first_period = catalogue_first_period (catalogue);
    int last_period = catalogue_last_period (catalogue);
    if (period < first_period || period > last_period) {
        snprintf (reason, CHECK_REASON_SIZE, "%s: only %s to %s accepted",
                  period_format (period, month),
                  period_format (first_period, first),
                  period_format (last_period, last));
        return JT_ERR_NOT_ACCEPTED;
    }
    if (arrived != PERIOD_DAY_NONE && period_first_day (period) > arrived) {
        snprintf (reason, CHECK_REASON_SIZE,
                  "%s: month not begun on %s, the day it arrived",
                  period_format (period, month),
                  period_day_format (arrived, day));
        return JT_ERR_NOT_BEGUN;
    }
    return JT_OK;
}

jt_error_t
check_update (const catalogue_t *catalogue, const store_t *store, int source,
              const char *region_id, const char *indicator_id, int period,
              int arrived, jt_value_t value, bool add, int *region,
              int *indicator, char *reason)
{
    check_memo_t memo = {0};
    return check_update_memo (catalogue, store, &memo, source, region_id,
                              indicator_id, period, arrived, value, add, region,
                              indicator, reason);
}

jt_error_t
check_update_memo (const catalogue_t *catalogue, const store_t *store,
                   check_memo_t *memo, int source, const char *region_id,
                   const char *indicator_id, int period, int arrived,
                   jt_value_t value, bool add, int *region, int *indicator,
                   char *reason)
{
    char shown[CHECK_SHOWN_SIZE];
    *region = -1;
    *indicator = -1;
    //  An id equal to one the memo holds is a catalogue id: valid.
    bool known_region = memo->region.id && region_id &&
                        strcmp (region_id, memo->region.id) == 0;
    int known_indicator = s_indicator_known (memo, indicator_id);
    if (!known_region && !jt_id_valid (region_id)) {
        snprintf (reason, CHECK_REASON_SIZE, "%s '%s'",
                  jt_strerror (JT_ERR_BAD_ID), check_shown (region_id, shown));
        return JT_ERR_BAD_ID;
    }
    if (known_indicator < 0 && !jt_id_valid (indicator_id)) {
        snprintf (reason, CHECK_REASON_SIZE, "%s '%s'",
                  jt_strerror (JT_ERR_BAD_ID),
                  check_shown (indicator_id, shown));
        return JT_ERR_BAD_ID;
    }
    *region = known_region ? memo->region.index
                           : check_region_find (catalogue, memo, region_id);
    if (*region < 0) {
        snprintf (reason, CHECK_REASON_SIZE, "%s '%s'",
                  jt_strerror (JT_ERR_UNKNOWN_REGION), region_id);
        return JT_ERR_UNKNOWN_REGION;
    }
    *indicator = known_indicator >= 0
                     ? known_indicator
                     : s_indicator_find (catalogue, memo, indicator_id);
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
    jt_error_t code = s_check_period (catalogue, period, arrived, reason);
    if (code != JT_OK)
        return code;
    code = store_check (store, *region, *indicator, period, value, add);
    if (code != JT_OK) {
        char number[32];
        snprintf (reason, CHECK_REASON_SIZE, "%s: %s %s %s", jt_strerror (code),
                  region_id, indicator_id, check_format_value (value, number));
    }
    return code;
}
