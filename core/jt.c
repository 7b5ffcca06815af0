/*  jt.c — the error strings and id check that every part of jobtally
    shares. Pure: no I/O. */

#include "jt.h"

#include <string.h>

#define JT_ID_MAX 64 //  longest id, in bytes

static const char *s_error_text[JT_ERR_COUNT] = {
    [JT_OK] = "ok",
    [JT_ERR_UNKNOWN_REGION] = "unknown region",
    [JT_ERR_NOT_LEAF] = "region is not a leaf",
    [JT_ERR_UNKNOWN_INDICATOR] = "unknown indicator",
    [JT_ERR_BAD_PERIOD] = "bad period",
    [JT_ERR_BAD_NUMBER] = "not a number",
    [JT_ERR_NEGATIVE] = "negative value",
    [JT_ERR_NOT_WHOLE] = "not a whole number",
    [JT_ERR_TOO_LARGE] = "value too large",
    [JT_ERR_BAD_OP] = "bad op",
    [JT_ERR_COLUMNS] = "wrong number of columns",
    [JT_ERR_NOT_ASSIGNED] = "region not assigned to source",
    [JT_ERR_UNKNOWN_SOURCE] = "unknown source",
    [JT_ERR_MALFORMED] = "malformed message",
    [JT_ERR_TOO_MANY] = "batch too large",
    [JT_ERR_BAD_ID] = "bad id",
    [JT_ERR_BAD_DATE] = "bad report date",
    [JT_ERR_FRAMES] = "wrong frame count",
    [JT_ERR_WRONG_TYPE] = "wrong message type",
    [JT_ERR_KEY] = "key not allowed",
    [JT_ERR_BAD_SEQUENCE] = "bad sequence",
    [JT_ERR_OUT_OF_ORDER] = "out of order",
    [JT_ERR_SEQUENCE_REUSED] = "sequence reused",
    [JT_ERR_NOT_ACCEPTED] = "period not accepted",
    [JT_ERR_NOT_BEGUN] = "month not begun",
    [JT_ERR_IMPLAUSIBLE] = "implausible figure",
};

//  Return a short English phrase for the code; a value outside the enum
//  (a corrupt or newer peer) reads "unknown error" rather than crashing.
const char *
jt_strerror (jt_error_t code)
{
    if ((int)code < 0 || code >= JT_ERR_COUNT || !s_error_text[code])
        return "unknown error";
    return s_error_text[code];
}

//  True when text is 1-64 bytes of a-z, 0-9, '_', '-' and '.'.
const char *
jt_plural (uint64_t count, const char *one, const char *many)
{
    return count == 1 ? one : many;
}

bool
jt_id_valid (const char *text)
{
    if (!text)
        return false;
    size_t length = strlen (text);
    if (length == 0 || length > JT_ID_MAX)
        return false;
    for (size_t index = 0; index < length; index++) {
        char c = text[index];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-' || c == '.'))
            return false;
    }
    return true;
}

//  The tables for the reflected polynomial 0x82F63B78, filled on first
//  use: s_crc_table[0] is the classic byte table, and s_crc_table[k] moves
//  a byte k positions further, so that eight bytes take one step
//  ("slicing-by-8"; a byte at a time cost as much as the journal write).
//  Filling them twice from two threads writes the same values: harmless.
static uint32_t s_crc_table[8][256];
static bool s_crc_ready = false;

uint32_t
jt_crc32c (uint32_t crc, const void *data, size_t size)
{
    if (!s_crc_ready) {
        for (uint32_t index = 0; index < 256; index++) {
            uint32_t value = index;
            for (int bit = 0; bit < 8; bit++)
                value = value & 1 ? (value >> 1) ^ 0x82F63B78u : value >> 1;
            s_crc_table[0][index] = value;
        }
        for (uint32_t index = 0; index < 256; index++)
            for (int slice = 1; slice < 8; slice++) {
                uint32_t before = s_crc_table[slice - 1][index];
                s_crc_table[slice][index] =
                    (before >> 8) ^ s_crc_table[0][before & 0xFF];
            }
        s_crc_ready = true;
    }
    const uint8_t *bytes = data;
    crc = ~crc;
    size_t index = 0;
    for (; index + 8 <= size; index += 8) {
        const uint8_t *at = bytes + index;
        uint32_t low = crc ^ ((uint32_t)at[0] | (uint32_t)at[1] << 8 |
                              (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24);
        crc = s_crc_table[7][low & 0xFF] ^ s_crc_table[6][(low >> 8) & 0xFF] ^
              s_crc_table[5][(low >> 16) & 0xFF] ^ s_crc_table[4][low >> 24] ^
              s_crc_table[3][at[4]] ^ s_crc_table[2][at[5]] ^
              s_crc_table[1][at[6]] ^ s_crc_table[0][at[7]];
    }
    for (; index < size; index++)
        crc = s_crc_table[0][(crc ^ bytes[index]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}
