/*  csvread.h — the collector's CSV reader: bureau exports in, checked rows
    and per-line rejections out (DESIGN §6, docs/collector.md). Columns:
    region,indicator,period,value and optionally op and reported (the day
    the county filed the row's report, YYYY-MM-DD). Built on
    libcsv and fed bytes, so it reads a file, stdin or a test's string alike
    and never touches a file itself.

    A good row is kept and a bad row is rejected with its physical line and
    a reason; a bad row never stops the reading of the rows after it. Only
    a missing or wrong header stops the reader, since the columns are then
    unknown. */
#ifndef JT_CSVREAD_H_INCLUDED
#define JT_CSVREAD_H_INCLUDED

#include "notes.h"
#include "update.h"

//  line: the physical line where the row starts, from 1; reason:
//  "bad period '2003-13'", borrowed from the reader.
typedef note_t csvread_rejection_t;

typedef struct _csvread_t csvread_t;

//  Create a reader waiting for the first byte of a file.
csvread_t *csvread_new (void);

//  Destroy a reader and every row and reason it holds; NULL-safe, nulls
//  the caller's pointer.
void csvread_destroy (csvread_t **self_p);

//  Parse the next size bytes of the file; a row may span calls. Returns 0,
//  or -1 once the header was found missing or wrong (further bytes are
//  ignored).
int csvread_feed (csvread_t *self, const void *data, size_t size);

//  End of file: the last row may lack its line end. Returns 0, or -1 when
//  the file had no good header. Call once, after the last feed.
int csvread_finish (csvread_t *self);

//  Good rows so far, in file order, each an update as a batch carries it:
//  line the physical line where the row starts (from 1); region and
//  indicator valid ids, borrowed from the reader; period a valid month as
//  YYYYMM; value >= 0; add for op "add"; reported the day the county filed
//  it as YYYYMMDD, not before its month, or 0 when not given.
size_t csvread_row_count (const csvread_t *self);
const jt_update_t *csvread_row (const csvread_t *self, size_t index);

//  Rejections so far, in file order.
size_t csvread_rejection_count (const csvread_t *self);
const csvread_rejection_t *csvread_rejection (const csvread_t *self,
                                              size_t index);

//  Warnings, known after csvread_finish, in file order: each row that sets
//  a cell (region, indicator, month; op set) an earlier row set to another
//  value, as "heihe.aihui employed_new 2003-10 given again (was 120 on
//  line 7, now 130)". The row itself is kept: the later value wins.
size_t csvread_warning_count (const csvread_t *self);
const csvread_rejection_t *csvread_warning (const csvread_t *self,
                                            size_t index);

//  Parse a figure as written in a bureau's sheet: digits with optional
//  thousands commas between groups of three ("11,800") and up to three
//  decimals ("12.5"), spaces around allowed. On JT_OK sets *value in
//  thousandths; otherwise returns JT_ERR_BAD_NUMBER, JT_ERR_NEGATIVE (a
//  well-formed number with a leading '-') or JT_ERR_TOO_LARGE.
jt_error_t csvread_parse_value (const char *text, jt_value_t *value);

#endif
