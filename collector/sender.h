/*  sender.h — delivers a collector's updates to the aggregator and waits
    for them to be acknowledged (DESIGN §1, docs/protocol.md).

    One DEALER socket connected to the aggregator's collect endpoint. The
    updates go out in batches, each with the source's next sequence number;
    up to SENDER_WINDOW batches are unacknowledged at a time; a batch
    without an Ack is sent again, with the same sequence, every
    SENDER_RESEND_MS (the aggregator re-acks a batch it has applied without
    applying it again).

    The last sequence used is kept in <state>/<source>.seq, written with
    fsync and rename before a batch with that sequence is first sent, so a
    restarted collector never reuses one; <state>/<source>.lock keeps two
    collectors of one source from sharing the counter. This is the seam an
    on-disk outbox will replace. */
#ifndef JT_SENDER_H_INCLUDED
#define JT_SENDER_H_INCLUDED

#include "jt.h"

#define SENDER_WINDOW 10             //  batches unacknowledged at most
#define SENDER_RESEND_MS 2000        //  resend a batch unacked this long
#define SENDER_LINGER_MS 1000        //  socket linger on destroy
#define SENDER_BATCH_DEFAULT 1000    //  updates per batch
#define SENDER_TIMEOUT_DEFAULT 30000 //  give up after this long without an Ack

typedef struct {
    uint32_t line;      //  the update's line in its file, 0 if none
    const char *reason; //  as the aggregator wrote it; borrowed
} sender_rejection_t;

typedef struct _sender_t sender_t;

//  Open the state directory (created if missing), take the source's lock,
//  read its sequence and connect to endpoint. On failure returns NULL and
//  sets *error to a fresh message the caller frees.
sender_t *sender_new (const char *endpoint, const char *source,
                      const char *state_dir, char **error);

//  Destroy a sender, closing its socket with SENDER_LINGER_MS; NULL-safe,
//  nulls the caller's pointer.
void sender_destroy (sender_t **self_p);

//  Updates per batch, 1 .. APP_MAX_BATCH.
void sender_set_batch_size (sender_t *self, size_t batch_size);

//  Give up when no Ack came for this long (milliseconds, > 0).
void sender_set_timeout (sender_t *self, int timeout_ms);

//  Queue one update. The sender borrows region and indicator: they must
//  stay valid until sender_run returns. period is a core period; reported
//  the day the county filed the report (period.h), or PERIOD_DAY_NONE to
//  let the aggregator take the day it arrives.
void sender_add (sender_t *self, const char *region, const char *indicator,
                 int period, jt_value_t value, bool add, uint32_t line,
                 int reported);

//  Send every queued update and wait for the Acks: the one loop. Returns 0
//  when each update was acknowledged (applied or rejected), -1 when the
//  timeout passed without an Ack, on SIGINT/SIGTERM, or when the sequence
//  file could not be written (sender_error says which).
int sender_run (sender_t *self);

//  Updates handed to the socket at least once.
size_t sender_sent (const sender_t *self);

//  Updates the aggregator acknowledged as applied.
size_t sender_acknowledged (const sender_t *self);

//  Updates not yet answered (after a failed sender_run).
size_t sender_unanswered (const sender_t *self);

//  Updates the aggregator refused, each with its line and reason, in the
//  order the Acks came.
size_t sender_rejection_count (const sender_t *self);
const sender_rejection_t *sender_rejection (const sender_t *self, size_t index);

//  Why the last sender_run returned -1, or NULL. Borrowed.
const char *sender_error (const sender_t *self);

//  The last sequence reserved in the state directory.
uint64_t sender_sequence (const sender_t *self);

#endif
