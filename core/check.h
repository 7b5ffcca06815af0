/*  check.h — the one check of an update against the catalogue and the
    store, with the reason a sender reads. The aggregator runs it on every
    update it receives; a collector given the catalogue runs it before
    sending, so that a county sees a bad row with the same words. */
#ifndef JT_CHECK_H_INCLUDED
#define JT_CHECK_H_INCLUDED

#include "store.h"

#define CHECK_REASON_SIZE 200

//  Check one update from source (a catalogue source index) and resolve its
//  ids into *region and *indicator. period must be valid (callers parse it
//  and refuse a bad one themselves); it must lie in the catalogue's years
//  and its month must have begun on arrived, the day the update arrived
//  (a day of period.h; PERIOD_DAY_NONE skips that test). Returns JT_OK, or
//  the code with a reason such as "unknown region 'heihe.x'" written into
//  reason, which holds CHECK_REASON_SIZE bytes.
jt_error_t check_update (const catalogue_t *catalogue, const store_t *store,
                         int source, const char *region_id,
                         const char *indicator_id, int period, int arrived,
                         jt_value_t value, bool add, int *region,
                         int *indicator, char *reason);

//  The ids a batch named and what they resolved to: a batch names the same
//  few regions and indicators again and again, and one strcmp against a
//  remembered id costs less than validating and hashing it. The last
//  region; indicators in a small table by length and end letters (rows
//  cycle through a county's indicators). Zero it before each batch; it
//  borrows the catalogue's id strings.
#define CHECK_MEMO_SLOTS 64
typedef struct {
    const char *id; //  the catalogue's id, or NULL
    int index;      //  its index
} check_memo_slot_t;

typedef struct {
    check_memo_slot_t region;
    check_memo_slot_t indicators[CHECK_MEMO_SLOTS];
} check_memo_t;

//  check_update, resolving ids through memo first (and remembering what it
//  resolved). The same result as check_update for every input.
jt_error_t check_update_memo (const catalogue_t *catalogue,
                              const store_t *store, check_memo_t *memo,
                              int source, const char *region_id,
                              const char *indicator_id, int period, int arrived,
                              jt_value_t value, bool add, int *region,
                              int *indicator, char *reason);

//  The index of region_id, through memo; -1 when it is not a region.
int check_region_find (const catalogue_t *catalogue, check_memo_t *memo,
                       const char *region_id);

//  Write outside text (an id, a value, a header) as a reason may show it,
//  always valid UTF-8: at most 64 bytes of whole characters, then "..."
//  when cut; control characters, quotes and bytes that are not UTF-8
//  (RFC 3629: no overlong forms, no surrogates) become '?'. buffer holds
//  CHECK_SHOWN_SIZE bytes; returns buffer.
#define CHECK_SHOWN_SIZE 72
char *check_shown (const char *text, char *buffer);

//  Write value (thousandths) as a plain decimal: "1184", "-4", "12.5".
//  buffer holds at least 32 bytes; returns it.
char *check_format_value (jt_value_t value, char *buffer);

#endif
