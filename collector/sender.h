/*  sender.h — delivers a collector's batches from its outbox to the
    aggregator and waits for them to be acknowledged (DESIGN §1, §4,
    docs/protocol.md, docs/collector.md).

    Updates are first written to the outbox (outbox.h) in batches, each
    with the source's next sequence; only then are they sent. The process
    that holds the source lock sends: one DEALER socket, up to
    SENDER_WINDOW batches unacknowledged at a time, the oldest first. A
    batch without an Ack is sent again, with the same bytes, after a wait
    that starts at SENDER_RESEND_MIN_MS and doubles (with jitter) up to
    SENDER_RESEND_MAX_MS while the aggregator does not answer. A batch is
    removed from the outbox when its Ack came.

    A process that could not take the lock because `run` holds it is a
    waiter (sender_new without an endpoint): it writes its batches into the
    same outbox and waits for the Acks the holder leaves there for it. */
#ifndef JT_SENDER_H_INCLUDED
#define JT_SENDER_H_INCLUDED

#include "jt.h"
#include "notes.h"
#include "outbox.h"

#define SENDER_WINDOW 32              //  batches unacknowledged at most
#define SENDER_WINDOW_BYTES (8 << 20) //  and their bytes, unless one batch
#define SENDER_RESEND_MIN_MS 500      //  first wait for an Ack before resending
#define SENDER_RESEND_MAX_MS 30000    //  longest wait between resends
#define SENDER_LINGER_MS 1000         //  socket linger on destroy
#define SENDER_BATCH_DEFAULT 1000     //  updates per batch
#define SENDER_TIMEOUT_DEFAULT 30000  //  give up after this long without an Ack

//  line: the update's line in its file, 0 if none; reason: as the
//  aggregator wrote it, borrowed.
typedef note_t sender_rejection_t;

//  One answered batch, as a handler sees it. Everything is borrowed for
//  the call.
typedef struct {
    uint64_t sequence;                    //  the batch
    const char *origin;                   //  the file its rows came from
    bool own;                             //  queued by this process
    size_t update_count;                  //  updates in it
    size_t applied;                       //  updates the city applied
    size_t rejection_count;               //  updates it refused
    const sender_rejection_t *rejections; //  each with its line and reason
    size_t warning_count;                 //  applied but flagged
    const sender_rejection_t *warnings;   //  each with its line and warning
} sender_answer_t;

//  Told of every answered batch that no other process waits for; returns
//  true when it took care of it. Otherwise the sender counts it (a batch
//  of this process) or prints and records its rejections (a batch of an
//  earlier run, in <source>.rejected).
typedef bool (sender_handler_fn) (void *arg, const sender_answer_t *answer);

typedef struct _sender_t sender_t;

//  A sender for source over outbox (borrowed; it must outlive the sender).
//  With an endpoint, this process holds the source lock and sends; it
//  loads what the outbox holds, to send it first. Without (NULL), it is a
//  waiter. On failure returns NULL and sets *error to a fresh message the
//  caller frees.
sender_t *sender_new (outbox_t *outbox, const char *endpoint,
                      const char *source, char **error);

//  Destroy a sender, closing its socket with SENDER_LINGER_MS; NULL-safe,
//  nulls the caller's pointer. Queued batches stay in the outbox.
void sender_destroy (sender_t **self_p);

//  Updates per batch, 1 .. APP_MAX_BATCH.
void sender_set_batch_size (sender_t *self, size_t batch_size);

//  Give up when no Ack came for this long (milliseconds, > 0; 0 never).
void sender_set_timeout (sender_t *self, int timeout_ms);

//  Look for batches other processes add to the outbox (run).
void sender_set_watch (sender_t *self, bool watch);

void sender_set_handler (sender_t *self, sender_handler_fn *handler, void *arg);

//  Add one update to be queued (copied), with a valid period; reported 0
//  lets the aggregator take the day it arrives. The sender borrows its
//  region and indicator: they must stay valid until the update was queued
//  (and, for a waiter, until it was answered).
void sender_add (sender_t *self, const jt_update_t *update);

//  Write the updates added and not yet queued to the outbox as batches, in
//  one group named for origin. With partial, as many whole batches as the
//  budget allows are queued; without, all of them or none. Returns 0 when
//  all are queued, -1 otherwise: outbox_full (outbox) when the budget
//  refused, else an I/O error (sender_error).
int sender_queue (sender_t *self, const char *origin, bool partial);

//  Forget the updates added, queued or not: their strings may go. Only for
//  a sender that holds the lock (it reads lines from the batches).
void sender_forget_updates (sender_t *self);

//  Updates added but not queued, and the line of the first of them.
size_t sender_unqueued (const sender_t *self);
uint32_t sender_unqueued_line (const sender_t *self);

//  One turn of delivery, waiting at most max_wait_ms: send what is due,
//  take what arrived. Returns 0, or -1 on a refused handshake, an outbox
//  error or SIGINT/SIGTERM (sender_error says which).
int sender_pump (sender_t *self, int max_wait_ms);

//  Import and send: queue what was added (as the budget allows, more as
//  Acks free room) under origin, deliver, and wait until every update of
//  this process was answered. Returns 0 then; -1 when the timeout passed
//  without an Ack, on SIGINT/SIGTERM, on a refused handshake or an outbox
//  error (sender_error).
int sender_run (sender_t *self, const char *origin);

//  Updates of this process handed on at least once (sent, or queued for
//  the holder by a waiter).
size_t sender_sent (const sender_t *self);

//  Updates of this process the aggregator acknowledged as applied.
size_t sender_acknowledged (const sender_t *self);

//  Updates of this process not yet answered (queued or not).
size_t sender_unanswered (const sender_t *self);

//  Batches of this process and their updates still in the outbox.
size_t sender_queued_batches (const sender_t *self);
size_t sender_queued_updates (const sender_t *self);

//  Batches in the outbox not yet acknowledged, of any process (holder).
size_t sender_pending (const sender_t *self);

//  Updates of this process refused, each with its line and reason, in the
//  order the Acks came.
size_t sender_rejection_count (const sender_t *self);
const sender_rejection_t *sender_rejection (const sender_t *self, size_t index);

//  Updates of this process applied but flagged (a figure outside its
//  indicator's plausible bounds), each with its line and the warning as
//  reason, in the order the Acks came.
size_t sender_warning_count (const sender_t *self);
const sender_rejection_t *sender_warning (const sender_t *self, size_t index);

//  Why the last sender_run or sender_pump returned -1, or NULL. Borrowed.
const char *sender_error (const sender_t *self);

#endif
