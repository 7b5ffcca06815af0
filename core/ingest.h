/*  ingest.h — the exactly-once engine: decides and applies each source's
    batches (DESIGN §3.5, §3.8). Pure: no sockets, files, clock or log; the
    aggregator passes the day in, journals what changed, sends the ack and
    logs what the result says. Live batches and the journal's replay at
    start go through one entry point, ingest_batch, so that the same batch
    on the same day always ends the same way.

    The rules, per source (a catalogue source):
    * a batch numbers from 1 and names the one sent before it (previous,
      below its sequence); else it is refused and changes nothing;
    * a batch already applied is re-acked, never applied again: the latest
      one with its own ack as it was, unless these are other figures under
      its sequence (another digest), which are refused as a reused
      sequence; one far below the latest is an old resend (applied.h);
    * a batch whose previous was not applied yet is not applied (out of
      order): the sender sends again, in order;
    * a batch too large, or naming a region not its source's, is refused
      whole: nothing of it lands, yet its sequence counts as applied so
      that later batches follow;
    * otherwise each valid update lands and each invalid one is refused
      with its reason; updates outside plausible bounds land flagged.

    Ownership: the engine owns the store, each source's applied window and
    latest ack, and the counters. The catalogue is borrowed and must
    outlive it. */
#ifndef JT_INGEST_H_INCLUDED
#define JT_INGEST_H_INCLUDED

#include "applied.h"
#include "stats.h"
#include "store.h"
#include "update.h"

typedef struct _ingest_t ingest_t;

//  What became of a batch.
typedef enum {
    INGEST_APPLIED,       //  applied, maybe with updates refused or flagged
    INGEST_REFUSED,       //  refused whole, its sequence used up
    INGEST_DUPLICATE,     //  applied before: re-acked, not applied again
    INGEST_REUSED,        //  the latest sequence with other figures
    INGEST_OUT_OF_ORDER,  //  the batch before it was not applied yet
    INGEST_BAD_SEQUENCE,  //  sequence 0, or previous not below it
    INGEST_UNKNOWN_SOURCE //  the source is not in the catalogue
} ingest_outcome_t;

//  The engine's answer to a batch. Borrowed from the engine: valid until
//  the next call on it.
typedef struct {
    ingest_outcome_t outcome; //  what became of it
    int source;               //  its catalogue source, -1 when unknown
    bool changed;             //  the source's applied state moved: the
                              //  batch must be journaled before the ack
    jt_error_t refusal;       //  INGEST_REFUSED: why (the text in
                              //  ack.error), what the journal keeps alone
    jt_ack_t ack;             //  what the sender is answered
} ingest_result_t;

//  A batch replayed from the journal, which keeps the day it came on and,
//  for a batch refused whole, only that decision.
typedef struct {
    jt_error_t refusal; //  JT_OK, or the refusal kept (a batch of no updates)
    const char *reason; //  with a refusal: the ack's error text
} ingest_replay_t;

//  One source's exactly-once state, as a snapshot keeps it.
typedef struct {
    applied_t applied;          //  which batches were applied
    uint64_t last_ack_sequence; //  sequence of last_ack, 0 for none
    uint64_t last_ack_digest;   //  digest of the batch it answered
    const jt_ack_t *last_ack;   //  the latest ack that changed the state,
                                //  re-sent as it was; NULL for none
} ingest_source_t;

//  An engine for a catalogue with an empty store, refusing whole any batch
//  of more than max_updates updates.
ingest_t *ingest_new (const catalogue_t *catalogue, size_t max_updates);

void ingest_destroy (ingest_t **self_p);

//  Decide and apply one batch that arrived on day today (period.h): the
//  day of an update that gives none, the limit of those that do. digest is
//  ingest_digest of the batch's encoded bytes. replay is NULL for a live
//  batch, which is counted; a replayed one is not. Fills *result.
void ingest_batch (ingest_t *self, const jt_batch_t *batch, uint64_t digest,
                   int today, const ingest_replay_t *replay,
                   ingest_result_t *result);

//  A 64-bit digest of a batch's bytes: tells a batch sent again (same
//  bytes) from another batch that reuses its sequence. The same on any
//  machine (it is kept in snapshots). Not a defence against a collector
//  forging collisions: it could only confuse the acks of its own batches.
uint64_t ingest_digest (const void *data, size_t size);

//  The store, borrowed: for queries and the change lists of a batch, and
//  for loading a snapshot into an engine just made or reset.
store_t *ingest_store (ingest_t *self);

//  The counters of live batches, borrowed; the caller counts there what it
//  refuses before a batch reaches the engine.
stats_t *ingest_stats (ingest_t *self);

//  The exactly-once state of a source (a catalogue index), borrowed.
const ingest_source_t *ingest_source (const ingest_t *self, int source);

//  Set a source's state from a snapshot; the ack (or NULL) is copied.
void ingest_restore (ingest_t *self, int source, const applied_t *applied,
                     uint64_t last_ack_sequence, uint64_t last_ack_digest,
                     const jt_ack_t *last_ack);

//  Forget all state: an empty store, nothing applied by any source. The
//  counters stay.
void ingest_reset (ingest_t *self);

#endif
