/*  applied.h — which batches of one source were applied: the highest
    sequence and a bitmap of the 64 below it. Lets the aggregator apply each
    (source, sequence) exactly once (DESIGN §3.5) and tell a batch sent
    again from one it has not seen, with no time window and across
    restarts (the aggregator keeps it in its snapshot and journal).

    Exact, not a guess: a batch names the one before it (`previous`), and
    the aggregator applies a batch only once that one is applied, so what a
    source has applied runs without holes below the newest batches in
    flight. A batch 64 or more below the highest was therefore applied; the
    bitmap covers the few in flight together (a collector's window is 32,
    collector/sender.h),
    whose acks may come in any order. */
#ifndef JT_APPLIED_H_INCLUDED
#define JT_APPLIED_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>

#define APPLIED_WINDOW 64

typedef struct {
    uint64_t last;  //  highest sequence applied, 0 for none
    uint64_t below; //  bit i: sequence last - i applied
} applied_t;

//  True when the batch with this sequence was applied (64 or more below
//  the highest: applied, as above). Sequence 0 is never applied.
bool applied_contains (const applied_t *self, uint64_t sequence);

//  Record that the batch with this sequence (> 0) was applied.
void applied_mark (applied_t *self, uint64_t sequence);

#endif
