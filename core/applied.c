/*  applied.c — the applied-batches window of one source. */
#include "applied.h"
#include <assert.h>

bool
applied_contains (const applied_t *self, uint64_t sequence)
{
    if (sequence == 0 || sequence > self->last)
        return false;
    uint64_t distance = self->last - sequence;
    return distance >= APPLIED_WINDOW || (self->below >> distance) & 1;
}

void
applied_mark (applied_t *self, uint64_t sequence)
{
    assert (sequence > 0);
    if (sequence > self->last) {
        uint64_t shift = sequence - self->last;
        self->below = shift >= APPLIED_WINDOW ? 0 : self->below << shift;
        self->below |= 1;
        self->last = sequence;
    } else if (self->last - sequence < APPLIED_WINDOW)
        self->below |= (uint64_t)1 << (self->last - sequence);
}
