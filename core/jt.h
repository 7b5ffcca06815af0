/*  jt.h — what every part of jobtally shares: the value type, the error
    enum and its strings. Pure: no I/O. */
#ifndef JT_H_INCLUDED
#define JT_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JT_VERSION "0.1.0"

/*  A figure's value in thousandths of its unit: 11,800 persons is
    11800000. Integers keep sums and restatements exact; three decimals
    cover yuan and fen. */
typedef int64_t jt_value_t;
#define JT_SCALE 1000

/*  The largest magnitude a reported value may have, in units (one
    trillion): well inside int64 after scaling and summing a large tree. */
#define JT_VALUE_MAX_UNITS 1000000000000LL

/*  Why an input was refused. One enum for the whole project; the wire
    carries the text from jt_strerror, never the number. */
typedef enum {
    JT_OK = 0,
    JT_ERR_UNKNOWN_REGION,    //  region id not in the catalogue
    JT_ERR_NOT_LEAF,          //  region has children: report its parts
    JT_ERR_UNKNOWN_INDICATOR, //  indicator id not in the catalogue
    JT_ERR_BAD_PERIOD,        //  not YYYY-MM, or month/year out of range
    JT_ERR_BAD_NUMBER,        //  value is not a number
    JT_ERR_NEGATIVE,          //  value below zero
    JT_ERR_NOT_WHOLE,         //  fraction of a whole unit (persons...)
    JT_ERR_TOO_LARGE,         //  beyond JT_VALUE_MAX_UNITS
    JT_ERR_BAD_OP,            //  op is neither set nor add
    JT_ERR_COLUMNS,           //  wrong number of CSV columns
    JT_ERR_NOT_ASSIGNED,      //  region not assigned to the source
    JT_ERR_UNKNOWN_SOURCE,    //  source not in the catalogue
    JT_ERR_MALFORMED,         //  message could not be decoded
    JT_ERR_TOO_MANY,          //  batch larger than allowed
    JT_ERR_BAD_ID,            //  id with characters outside [a-z0-9_.-]
    JT_ERR_BAD_DATE,          //  report date not a date, or out of range
    JT_ERR_FRAMES,            //  wrong number of frames in a message
    JT_ERR_WRONG_TYPE,        //  a message of another type than expected
    JT_ERR_KEY,               //  key not allowed, or not the source's
    JT_ERR_BAD_SEQUENCE,      //  sequence 0, or previous not below it
    JT_ERR_OUT_OF_ORDER,      //  the batch before it was not applied yet
    JT_ERR_SEQUENCE_REUSED,   //  latest sequence sent again, other figures
    JT_ERR_NOT_ACCEPTED,      //  month outside the catalogue's years
    JT_ERR_NOT_BEGUN,         //  month not begun on the day it arrived
    JT_ERR_IMPLAUSIBLE,       //  outside a strict indicator's bounds
    JT_ERR_COUNT              //  number of codes, not a code
} jt_error_t;

//  Return a short English phrase for the code ("unknown region").
const char *jt_strerror (jt_error_t code);

//  True when text is a valid id: 1-64 of lower-case letters, digits, _ - .
bool jt_id_valid (const char *text);

//  one when count is 1, else many, for a count in a message: "1 batch",
//  "2 batches", "0 batches".
const char *jt_plural (uint64_t count, const char *one, const char *many);

//  CRC-32C (Castagnoli) of size bytes, continuing from crc (0 to start):
//  the checksum of the aggregator's journal records and snapshots.
//  jt_crc32c (0, "123456789", 9) is 0xE3069283.
uint32_t jt_crc32c (uint32_t crc, const void *data, size_t size);

#endif
