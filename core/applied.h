/*  applied.h — which batches of one source were applied: the highest
    sequence and a bitmap of the 64 below it. Lets the aggregator apply each
    (source, sequence) exactly once (DESIGN §3.5) and tell a batch sent
    again from one it has not seen. A batch more than 64 below the highest
    counts as applied: a collector never has that many in flight. */
#ifndef JT_APPLIED_H_INCLUDED
#define JT_APPLIED_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>

#define APPLIED_WINDOW 64

typedef struct {
    uint64_t last;  //  highest sequence applied, 0 for none
    uint64_t below; //  bit i: sequence last - i applied
} applied_t;

//  True when the batch with this sequence was applied (or is too old to
//  tell, and so was). Sequence 0 is never applied.
bool applied_contains (const applied_t *self, uint64_t sequence);

//  True when the sequence is so far below the highest applied (at least
//  APPLIED_WINDOW) that whether it was applied is no longer known: it
//  counts as applied (applied_contains), and an answer should say so.
bool applied_too_old (const applied_t *self, uint64_t sequence);

//  Record that the batch with this sequence (> 0) was applied.
void applied_mark (applied_t *self, uint64_t sequence);

#endif
