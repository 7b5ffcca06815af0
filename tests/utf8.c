/*  utf8.c — see utf8.h. */
#include <stddef.h>

#include "utf8.h"

bool
utf8_valid (const char *text)
{
    const unsigned char *in = (const unsigned char *)text;
    while (*in) {
        size_t length = *in < 0x80             ? 1
                        : (*in & 0xe0) == 0xc0 ? 2
                        : (*in & 0xf0) == 0xe0 ? 3
                        : (*in & 0xf8) == 0xf0 ? 4
                                               : 0;
        if (length == 0)
            return false;
        for (size_t at = 1; at < length; at++)
            if ((in[at] & 0xc0) != 0x80)
                return false;
        in += length;
    }
    return true;
}
