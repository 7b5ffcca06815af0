/*  fuzz_csvread.c — libFuzzer target for the collector's CSV reader.

    The first byte of an input chooses where the rest, the file, is cut in
    two; the reader is fed the two pieces, finished, and every row and
    rejection is read. csvread.h promises that a row may span feeds, so a
    second reader fed the whole file at once must come out the same, and
    every row kept must hold what the header says of it. */
#include <czmq.h>

#include "csvread.h"
#include "period.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static volatile size_t s_sink; //  what was read, so nothing is skipped

//  Read a file fed in two pieces cut at cut (either may be empty) or, when
//  whole, in one; returns the reader, which the caller destroys, with the
//  result of csvread_finish in *finished.
static csvread_t *
s_read (const uint8_t *file, size_t size, size_t cut, bool whole, int *finished)
{
    csvread_t *reader = csvread_new ();
    assert (reader);
    int rc = csvread_feed (reader, file, whole ? size : cut);
    //  As collector/main.c: no more feeding once the header was refused.
    if (rc == 0 && !whole)
        rc = csvread_feed (reader, file + cut, size - cut);
    *finished = csvread_finish (reader);
    assert (rc == 0 || *finished == -1);
    return reader;
}

//  Read every row and rejection, checking what csvread.h promises.
static void
s_walk (const csvread_t *reader)
{
    uint32_t line = 0;
    for (size_t index = 0; index < csvread_row_count (reader); index++) {
        const jt_update_t *row = csvread_row (reader, index);
        assert (row->line >= 1 && row->line >= line);
        line = row->line;
        assert (jt_id_valid (row->region));
        assert (jt_id_valid (row->indicator));
        int period = period_from_yyyymm (row->period);
        assert (period != PERIOD_NONE);
        assert (period_yyyymm (period) == row->period);
        assert (row->value >= 0 &&
                row->value <= JT_VALUE_MAX_UNITS * (jt_value_t)JT_SCALE);
        //  A report date, when given, is a calendar date not before its month.
        if (row->reported) {
            int day = period_day_from_yyyymmdd (row->reported);
            assert (day != PERIOD_DAY_NONE);
            assert (period_day_yyyymmdd (day) == row->reported);
            assert (day >= period_first_day (period));
        }
        s_sink += (size_t)row->value + row->add;
    }
    for (size_t index = 0; index < csvread_rejection_count (reader); index++) {
        const csvread_rejection_t *rejection =
            csvread_rejection (reader, index);
        assert (rejection->line >= 1);
        assert (rejection->reason && *rejection->reason);
        s_sink += strlen (rejection->reason);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t *file = data + 1;
    size_t file_size = size - 1;
    size_t cut = (size_t)data[0] * file_size / 255;

    int split_rc, whole_rc;
    csvread_t *split = s_read (file, file_size, cut, false, &split_rc);
    csvread_t *whole = s_read (file, file_size, 0, true, &whole_rc);
    s_walk (split);

    assert (split_rc == whole_rc);
    assert (csvread_row_count (split) == csvread_row_count (whole));
    for (size_t index = 0; index < csvread_row_count (split); index++) {
        const jt_update_t *one = csvread_row (split, index);
        const jt_update_t *other = csvread_row (whole, index);
        assert (one->line == other->line);
        assert (streq (one->region, other->region));
        assert (streq (one->indicator, other->indicator));
        assert (one->period == other->period);
        assert (one->value == other->value);
        assert (one->add == other->add);
        assert (one->reported == other->reported);
    }
    assert (csvread_rejection_count (split) == csvread_rejection_count (whole));
    for (size_t index = 0; index < csvread_rejection_count (split); index++) {
        const csvread_rejection_t *one = csvread_rejection (split, index);
        const csvread_rejection_t *other = csvread_rejection (whole, index);
        assert (one->line == other->line);
        assert (streq (one->reason, other->reason));
    }
    csvread_destroy (&split);
    csvread_destroy (&whole);
    assert (split == NULL && whole == NULL);
    return 0;
}
