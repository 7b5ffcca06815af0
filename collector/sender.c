/*  sender.c — batches from the outbox out, Acks in, one zpoller loop (see
    sender.h).

    The window is always the oldest batches of the outbox, in sequence
    order, and they are written to the socket in that order: when one is
    due again, every unacknowledged batch is sent again behind it, and a
    batch is never sent while one before it could not be. Each batch names
    the one queued before it (previous); the aggregator applies a batch
    only after that one, and answers out_of_order otherwise (a batch lost
    with a dropped connection), upon which every unacknowledged batch is
    sent again in order. When the oldest batch itself is out of order, the
    batch it names will never come (an aggregator that restarted empty, or
    a batch set aside as corrupt): it is written again without it. A batch
    applied before is re-acknowledged, never applied twice. The socket is
    IMMEDIATE: while the aggregator is away a send fails at once (and is
    retried every RETRY_MS) instead of piling up stale copies in a queue. */
#include "sender.h"
#include "app.h"
#include "codec.h"
#include "period.h"
#include "applied.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

#define RETRY_MS 100             //  retry a send the socket refused
#define RECONNECT_MAX_MS 5000    //  longest wait between connection attempts
#define WAITER_POLL_MS 50        //  a waiter looks for its Acks this often
#define WATCH_MS 1000            //  the holder looks for others' batches
#define SWEEP_MS 60000           //  and for Acks nobody took
#define ACK_KEEP_MS (10 * 60000) //  an Ack left this long is nobody's

//  Every batch in flight must lie within the aggregator's record of which
//  batches below the highest were applied (core/applied.h).
_Static_assert(SENDER_WINDOW <= APPLIED_WINDOW,
               "window wider than the applied record");

typedef struct {
    uint64_t sequence; //  the batch in this place of the window
    zframe_t *frame;   //  its encoded Batch, sent again as is
    int64_t sent_at;   //  zclock_mono of the last send, 0 never
    int sends;         //  times written to the socket by this process
    int answers;       //  out-of-order acks taken for it (one per copy)
    int stale;         //  its copies sent before the last in-order round
    bool resend;       //  due to be sent again, retried every RETRY_MS
                       //  while the socket refuses it
} slot_t;

typedef struct {
    uint64_t sequence; //  a batch this process queued
    size_t first;      //  index of its first update
    size_t count;      //  updates in it
} own_t;

struct _sender_t {
    outbox_t *outbox;             //  borrowed
    char *endpoint;               //  aggregator collect endpoint, or NULL
    char *source;                 //  source name, a valid id
    int pid;                      //  this process
    zsock_t *dealer;              //  to the aggregator's ROUTER
    zsock_t *events;              //  dealer's handshake failures
    zpoller_t *poller;            //  over dealer and events
    codec_t *codec;               //  encodes batches, decodes Acks
    codec_t *batch_codec;         //  decodes a batch for its lines
    size_t batch_size;            //  updates per batch
    int timeout_ms;               //  give up after this long; 0 never
    bool watch;                   //  look for others' batches
    int64_t watched_at;           //  zclock_mono of the last look
    int64_t swept_at;             //  and of the last sweep of Acks
    uint64_t loaded_max;          //  highest batch queued before we began
    sender_handler_fn *handler;   //  told of answered batches, or NULL
    void *handler_arg;            //  its argument
    jt_update_t *updates;         //  added updates; strings borrowed
    size_t update_count;          //  updates added
    size_t update_capacity;       //  room in updates
    size_t next_update;           //  first update not yet queued
    own_t *owns;                  //  batches this process queued
    size_t own_count;             //  entries in owns
    size_t own_capacity;          //  room in owns
    slot_t window[SENDER_WINDOW]; //  the oldest batches, in order
    size_t in_flight;             //  places of window in use
    int resend_ms;                //  wait before resending (backoff)
    int resend_wait;              //  this round's wait, with jitter
    int64_t answered_at;          //  zclock_mono of the last answer
    int broken_handshakes;        //  handshakes cut off since the last
                                  //  answer (an aggregator restarting)
    size_t sent;                  //  own updates handed on at least once
    size_t acknowledged;          //  own updates applied
    size_t answered;              //  own updates applied or rejected
    notes_t *rejections;          //  own refused updates
    notes_t *warnings;            //  own flagged updates
    sender_rejection_t *answer;   //  one batch's rejections, then its
                                  //  warnings; borrowed
    size_t answer_capacity;       //  room in answer
    char *error;                  //  why a run or pump failed, or NULL
};

static void
s_set_error (sender_t *self, char *message)
{
    zstr_free (&self->error);
    self->error = message;
}

static int
s_jitter (int wait_ms)
{
    //  80% to 120%, so that many collectors do not resend in step.
    return wait_ms * (80 + randof (41)) / 100;
}

//  Open the DEALER to the aggregator and its socket monitor. Returns 0, or
//  -1 with *error set.
static int
s_connect (sender_t *self, char **error)
{
    self->dealer = zsock_new (ZMQ_DEALER);
    assert (self->dealer);
    app_socket_defaults (self->dealer, SENDER_LINGER_MS);
    zsock_set_immediate (self->dealer, 1);
    zsock_set_reconnect_ivl_max (self->dealer, RECONNECT_MAX_MS);
    app_secure_client (self->dealer);
    //  Hear about a refused handshake (a key not listed, or security on one
    //  side only) instead of only timing out.
    static int monitors = 0;
    char *monitor =
        zsys_sprintf ("inproc://jobtally-sender-%d-%d", getpid (), monitors++);
    int rc = zmq_socket_monitor (zsock_resolve (self->dealer), monitor,
                                 ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
                                     ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                                     ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL);
    assert (rc == 0);
    self->events = zsock_new (ZMQ_PAIR);
    assert (self->events);
    rc = zsock_connect (self->events, "%s", monitor);
    assert (rc == 0);
    free (monitor);
    if (zsock_connect (self->dealer, "%s", self->endpoint) == -1) {
        *error = zsys_sprintf ("cannot connect to %s: %s", self->endpoint,
                               zmq_strerror (zmq_errno ()));
        return -1;
    }
    self->poller = zpoller_new (self->dealer, self->events, NULL);
    assert (self->poller);
    return 0;
}

sender_t *
sender_new (outbox_t *outbox, const char *endpoint, const char *source,
            char **error)
{
    assert (outbox && source && error);
    assert (jt_id_valid (source));
    *error = NULL;
    sender_t *self = (sender_t *)zmalloc (sizeof (sender_t));
    assert (self);
    self->outbox = outbox;
    self->source = strdup (source);
    assert (self->source);
    self->pid = getpid ();
    self->batch_size = SENDER_BATCH_DEFAULT;
    self->timeout_ms = SENDER_TIMEOUT_DEFAULT;
    self->resend_ms = SENDER_RESEND_MIN_MS;
    self->resend_wait = s_jitter (self->resend_ms);
    self->codec = codec_new (APP_ARENA_LIMIT);
    self->batch_codec = codec_new (APP_ARENA_LIMIT);
    self->rejections = notes_new ();
    self->warnings = notes_new ();
    assert (self->codec && self->batch_codec);
    if (endpoint) {
        self->endpoint = strdup (endpoint);
        assert (self->endpoint);
        int set_aside = outbox_load (outbox);
        if (set_aside < 0)
            *error = strdup (outbox_error (outbox));
        else if (s_connect (self, error) == 0) {
            size_t count = outbox_count (outbox);
            self->loaded_max =
                count ? outbox_entry (outbox, count - 1)->sequence : 0;
            if (count)
                log_info (
                    "sender: %zu %s (%" PRIu64 " %s) from earlier runs "
                    "in %s %s first",
                    count, jt_plural (count, "batch", "batches"),
                    outbox_updates (outbox),
                    jt_plural (outbox_updates (outbox), "update", "updates"),
                    outbox_path (outbox), jt_plural (count, "goes", "go"));
        }
    }
    if (*error) {
        sender_destroy (&self);
        return NULL;
    }
    if (log_verbose ())
        log_debug ("sender: source %s, last sequence %" PRIu64 ", %s %s",
                   source, outbox_sequence (outbox),
                   endpoint ? "to" : "waiting for the holder of",
                   endpoint ? endpoint : "the source lock");
    return self;
}

void
sender_destroy (sender_t **self_p)
{
    assert (self_p);
    sender_t *self = *self_p;
    if (!self)
        return;
    for (size_t index = 0; index < self->in_flight; index++)
        zframe_destroy (&self->window[index].frame);
    codec_destroy (&self->codec);
    codec_destroy (&self->batch_codec);
    zpoller_destroy (&self->poller);
    if (self->dealer)
        zmq_socket_monitor (zsock_resolve (self->dealer), NULL, 0);
    zsock_destroy (&self->events);
    zsock_destroy (&self->dealer);
    notes_destroy (&self->rejections);
    notes_destroy (&self->warnings);
    free (self->answer);
    free (self->updates);
    free (self->owns);
    zstr_free (&self->error);
    free (self->endpoint);
    free (self->source);
    free (self);
    *self_p = NULL;
}

void
sender_set_batch_size (sender_t *self, size_t batch_size)
{
    assert (self);
    assert (batch_size >= 1 && batch_size <= APP_MAX_BATCH);
    self->batch_size = batch_size;
}

void
sender_set_timeout (sender_t *self, int timeout_ms)
{
    assert (self);
    assert (timeout_ms >= 0);
    self->timeout_ms = timeout_ms;
}

void
sender_set_watch (sender_t *self, bool watch)
{
    assert (self);
    self->watch = watch;
}

void
sender_set_handler (sender_t *self, sender_handler_fn *handler, void *arg)
{
    assert (self);
    self->handler = handler;
    self->handler_arg = arg;
}

void
sender_add (sender_t *self, const jt_update_t *update)
{
    assert (self && update);
    assert (update->region && update->indicator &&
            period_from_yyyymm (update->period) != PERIOD_NONE);
    if (self->update_count == self->update_capacity) {
        self->update_capacity =
            self->update_capacity ? self->update_capacity * 2 : 1024;
        self->updates = realloc (self->updates,
                                 self->update_capacity * sizeof (jt_update_t));
        assert (self->updates);
    }
    self->updates[self->update_count++] = *update;
}

//  Queueing
//  ---------------------------------------------------------------------

int
sender_queue (sender_t *self, const char *origin, bool partial)
{
    assert (self && origin);
    if (self->next_update == self->update_count)
        return 0;
    if (outbox_begin (self->outbox) != 0) {
        s_set_error (self, strdup (outbox_error (self->outbox)));
        return -1;
    }
    size_t group_update = self->next_update;
    size_t group_own = self->own_count;
    bool refused = false;
    while (self->next_update < self->update_count) {
        size_t count = self->update_count - self->next_update;
        if (count > self->batch_size)
            count = self->batch_size;
        jt_batch_t batch = {.source = self->source,
                            .update_count = count,
                            .updates = &self->updates[self->next_update]};
        if (outbox_add (self->outbox, self->codec, &batch, origin,
                        self->endpoint ? 0 : self->pid) != 0) {
            refused = true;
            break;
        }
        if (self->own_count == self->own_capacity) {
            self->own_capacity =
                self->own_capacity ? self->own_capacity * 2 : 64;
            self->owns =
                realloc (self->owns, self->own_capacity * sizeof (own_t));
            assert (self->owns);
        }
        self->owns[self->own_count++] =
            (own_t){batch.sequence, self->next_update, count};
        self->next_update += count;
    }
    bool keep = !refused || (partial && outbox_full (self->outbox));
    if (keep && outbox_commit (self->outbox) == 0) {
        if (!self->endpoint)
            self->sent += self->next_update - group_update;
        if (!refused)
            return 0;
        s_set_error (self, strdup (outbox_error (self->outbox)));
        return -1;
    }
    if (keep) //  the commit failed and gave the group up
        s_set_error (self, strdup (outbox_error (self->outbox)));
    else {
        s_set_error (self, strdup (outbox_error (self->outbox)));
        outbox_abort (self->outbox);
    }
    self->next_update = group_update;
    self->own_count = group_own;
    return -1;
}

void
sender_forget_updates (sender_t *self)
{
    assert (self);
    assert (self->endpoint);
    self->update_count = 0;
    self->next_update = 0;
    self->own_count = 0;
}

size_t
sender_unqueued (const sender_t *self)
{
    assert (self);
    return self->update_count - self->next_update;
}

uint32_t
sender_unqueued_line (const sender_t *self)
{
    assert (self);
    return self->next_update < self->update_count
               ? self->updates[self->next_update].line
               : 0;
}

//  Answers
//  ------------------------------------------------------------------------

//  Text from the wire made safe to print: control characters become '?'.
//  In place; returns text.
static char *
s_printable (char *text)
{
    for (char *at = text; *at; at++)
        if ((unsigned char)*at < 0x20 || *at == 0x7f)
            *at = '?';
    return text;
}

//  Append a line and a copy of reason (or of fallback when it is empty)
//  to a list.
static void
s_list_add (notes_t *list, uint32_t line, const char *reason,
            const char *fallback)
{
    char *copy = strdup (reason && *reason ? reason : fallback);
    assert (copy);
    notes_add (list, line, &copy);
}

static const own_t *
s_own (const sender_t *self, uint64_t sequence)
{
    size_t low = 0, high = self->own_count;
    while (low < high) {
        size_t middle = (low + high) / 2;
        if (self->owns[middle].sequence < sequence)
            low = middle + 1;
        else
            high = middle;
    }
    return low < self->own_count && self->owns[low].sequence == sequence
               ? &self->owns[low]
               : NULL;
}

//  The line of each update of a batch, for a refusal of the whole batch:
//  from the updates this process added, else from the batch's own bytes.
//  Returns a fresh array of count lines (caller frees).
static uint32_t *
s_batch_lines (sender_t *self, uint64_t sequence, zframe_t *frame, size_t count)
{
    uint32_t *lines = calloc (count + 1, sizeof (uint32_t));
    assert (lines);
    const own_t *own = self->update_count ? s_own (self, sequence) : NULL;
    if (own && own->count == count) {
        for (size_t index = 0; index < count; index++)
            lines[index] = self->updates[own->first + index].line;
    } else if (frame &&
               codec_decode (self->batch_codec, zframe_data (frame),
                             zframe_size (frame), NULL) == JT_MSG_BATCH) {
        const jt_batch_t *batch = codec_batch (self->batch_codec);
        for (size_t index = 0; index < count && index < batch->update_count;
             index++)
            lines[index] = batch->updates[index].line;
    }
    return lines;
}

static void
s_answer_reserve (sender_t *self, size_t count)
{
    if (count <= self->answer_capacity)
        return;
    self->answer_capacity = count;
    self->answer = realloc (self->answer, self->answer_capacity *
                                              sizeof (sender_rejection_t));
    assert (self->answer);
}

//  Rejections of a batch of an earlier run, or of a process that went
//  away: on stderr and in <source>.rejected, so that they are not lost.
static void
s_record_orphan (sender_t *self, const sender_answer_t *answer)
{
    log_info ("sender: batch %" PRIu64 " from %s (queued by an earlier run) "
              "acknowledged: %zu applied, %zu rejected",
              answer->sequence, answer->origin, answer->applied,
              answer->rejection_count);
    //  Warnings go to stderr only: their rows were applied.
    for (size_t index = 0; index < answer->warning_count; index++)
        fprintf (stderr, "%s:%u: warning: %s\n", answer->origin,
                 answer->warnings[index].line, answer->warnings[index].reason);
    for (size_t index = 0; index < answer->rejection_count; index++) {
        const sender_rejection_t *rejection = &answer->rejections[index];
        char *text =
            rejection->line
                ? zsys_sprintf ("%s:%u: %s\n", answer->origin, rejection->line,
                                rejection->reason)
                : zsys_sprintf ("%s: %s\n", answer->origin, rejection->reason);
        fputs (text, stderr);
        if (outbox_record_rejected (self->outbox, text) != 0)
            log_error ("sender: %s", outbox_error (self->outbox));
        free (text);
    }
}

static void
s_deliver_answer (sender_t *self, const sender_answer_t *answer)
{
    if (self->handler && self->handler (self->handler_arg, answer))
        return;
    if (!answer->own) {
        s_record_orphan (self, answer);
        return;
    }
    for (size_t index = 0; index < answer->rejection_count; index++)
        s_list_add (self->rejections, answer->rejections[index].line,
                    answer->rejections[index].reason, "rejected");
    for (size_t index = 0; index < answer->warning_count; index++)
        s_list_add (self->warnings, answer->warnings[index].line,
                    answer->warnings[index].reason, "flagged");
    self->acknowledged += answer->applied;
    self->answered += answer->update_count;
}

//  Turn an Ack into the answer for one batch and deliver it. reused: the
//  Ack says duplicate though only this process ever sent the batch, once:
//  its sequence was used before for other figures.
static void
s_answer (sender_t *self, const outbox_entry_t *entry, const jt_ack_t *ack,
          zframe_t *frame, bool reused)
{
    size_t count = entry->update_count;
    sender_answer_t answer = {.sequence = entry->sequence,
                              .origin = entry->origin,
                              .own = entry->own,
                              .update_count = count};
    //  Every reason from the wire is printed or stored for the operator:
    //  each is a copy made printable, freed after delivery.
    char *whole = NULL; //  why the whole batch was refused
    if (reused) {
        whole = zsys_sprintf (
            "not applied: the city already has batch %" PRIu64 " from source "
            "'%s' (was this collector's --state directory lost or changed?)",
            ack->sequence, self->source);
        log_error ("sender: %s", whole);
    } else if (ack->error && *ack->error) {
        whole = s_printable (strdup (ack->error));
        log_warning ("sender: batch %" PRIu64 " refused: %s", ack->sequence,
                     whole);
    }
    char **reasons = NULL; //  copies, one per rejection
    if (whole) {
        s_answer_reserve (self, count);
        uint32_t *lines = s_batch_lines (self, entry->sequence, frame, count);
        for (size_t index = 0; index < count; index++)
            self->answer[index] =
                (sender_rejection_t){.line = lines[index], .reason = whole};
        free (lines);
        answer.rejection_count = count;
    } else {
        size_t rejected = ack->rejection_count;
        if (rejected > count)
            rejected = count;
        size_t warned = ack->warning_count;
        if (warned > count - rejected)
            warned = count - rejected;
        s_answer_reserve (self, rejected + warned);
        reasons = calloc (rejected + warned + 1, sizeof (char *));
        assert (reasons);
        for (size_t index = 0; index < rejected + warned; index++) {
            const jt_rejection_t *from = index < rejected
                                             ? &ack->rejections[index]
                                             : &ack->warnings[index - rejected];
            reasons[index] = s_printable (
                strdup (from->reason && *from->reason ? from->reason
                        : index < rejected            ? "rejected"
                                                      : "flagged"));
            self->answer[index] = (sender_rejection_t){
                .line = from->line, .reason = reasons[index]};
        }
        answer.rejection_count = rejected;
        answer.warning_count = warned;
        answer.warnings = self->answer + rejected;
        answer.applied = count - rejected;
        if (ack->duplicate)
            log_info ("sender: batch %" PRIu64 " (%s) had been applied "
                      "before this collector started; rows the city refused "
                      "in it then, if any, cannot be listed again",
                      ack->sequence, entry->origin);
        else if (log_verbose ())
            log_debug ("sender: batch %" PRIu64 " acknowledged: %u applied, "
                       "%zu rejected",
                       ack->sequence, ack->applied, ack->rejection_count);
    }
    answer.rejections = self->answer;
    s_deliver_answer (self, &answer);
    for (size_t index = 0;
         reasons && index < answer.rejection_count + answer.warning_count;
         index++)
        free (reasons[index]);
    free (reasons);
    zstr_free (&whole);
}

//  The holder: a waiting process's Ack goes to it, as encoded Ack bytes
//  (rewritten when the holder knows more: a reused sequence).
static bool
s_pass_to_waiter (sender_t *self, const outbox_entry_t *entry,
                  const jt_ack_t *ack, const void *data, size_t size,
                  bool reused)
{
    if (!entry->waiter || entry->waiter == self->pid)
        return false;
    if (kill (entry->waiter, 0) != 0 && errno != EPERM)
        return false; //  gone: the batch is an orphan
    int rc;
    if (reused) {
        char *reason = zsys_sprintf (
            "not applied: the city already has batch %" PRIu64 " from source "
            "'%s' (was this collector's --state directory lost or changed?)",
            ack->sequence, self->source);
        jt_ack_t told = {
            .source = ack->source, .sequence = ack->sequence, .error = reason};
        zframe_t *frame = codec_encode_ack (self->batch_codec, &told);
        rc = outbox_put_ack (self->outbox, entry->sequence, zframe_data (frame),
                             zframe_size (frame));
        zframe_destroy (&frame);
        free (reason);
    } else
        rc = outbox_put_ack (self->outbox, entry->sequence, data, size);
    if (rc != 0) {
        log_error ("sender: %s", outbox_error (self->outbox));
        return false;
    }
    if (log_verbose ())
        log_debug ("sender: ack for batch %" PRIu64 " left for pid %d",
                   entry->sequence, entry->waiter);
    return true;
}

//  The holder
//  ---------------------------------------------------------------------

//  Take the oldest batches of the outbox into the window, reading each
//  from its file. Returns 0, or -1 when a file could not be read.
static int
s_fill_window (sender_t *self)
{
    size_t bytes = 0;
    for (size_t index = 0; index < self->in_flight; index++)
        bytes += zframe_size (self->window[index].frame);
    while (self->in_flight < SENDER_WINDOW &&
           self->in_flight < outbox_count (self->outbox) &&
           (self->in_flight == 0 || bytes < SENDER_WINDOW_BYTES)) {
        const outbox_entry_t *entry =
            outbox_entry (self->outbox, self->in_flight);
        uint64_t sequence = entry->sequence;
        zframe_t *frame = outbox_read (self->outbox, sequence);
        if (!frame) {
            if (outbox_find (self->outbox, sequence))
                return -1; //  still there: an I/O error
            continue;      //  set aside as corrupt, loudly
        }
        bytes += zframe_size (frame);
        self->window[self->in_flight++] =
            (slot_t){.sequence = sequence, .frame = frame};
    }
    return 0;
}

//  Hand one batch to the socket without blocking. Returns 0, or -1 when
//  the socket has no aggregator to send to right now.
static int
s_send (sender_t *self, slot_t *slot, int64_t now)
{
    if (zframe_send (&slot->frame, self->dealer,
                     ZFRAME_REUSE | ZFRAME_DONTWAIT) == -1)
        return -1;
    const outbox_entry_t *entry = outbox_find (self->outbox, slot->sequence);
    if (slot->sends == 0 && entry && entry->own)
        self->sent += entry->update_count;
    if (log_verbose ())
        log_debug ("sender: batch %" PRIu64 " %s", slot->sequence,
                   slot->sends ? "sent again" : "sent");
    slot->sends++;
    slot->sent_at = now;
    slot->resend = false;
    return 0;
}

//  Send what is due, in sequence order: batches not sent yet, and when any
//  batch has waited resend_wait for its Ack, every unacknowledged one; the
//  next wait doubles, up to SENDER_RESEND_MAX_MS. A send the socket refuses
//  (no aggregator connected) is tried again every RETRY_MS, quietly: the
//  round of resends is decided once, not on every turn.
static void
s_send_due (sender_t *self, int64_t now)
{
    bool again = false;
    for (size_t index = 0; index < self->in_flight; index++) {
        const slot_t *slot = &self->window[index];
        if (slot->sent_at && !slot->resend &&
            now - slot->sent_at >= self->resend_wait)
            again = true;
    }
    if (again) {
        for (size_t index = 0; index < self->in_flight; index++)
            if (self->window[index].sent_at)
                self->window[index].resend = true;
        self->resend_ms = self->resend_ms * 2 > SENDER_RESEND_MAX_MS
                              ? SENDER_RESEND_MAX_MS
                              : self->resend_ms * 2;
        self->resend_wait = s_jitter (self->resend_ms);
        log_info ("sender: no ack from %s for batch %" PRIu64 " yet, sending "
                  "%zu %s again (next in %.1f s)",
                  self->endpoint, self->window[0].sequence, self->in_flight,
                  jt_plural (self->in_flight, "batch", "batches"),
                  self->resend_wait / 1000.0);
    }
    for (size_t index = 0; index < self->in_flight; index++) {
        slot_t *slot = &self->window[index];
        if ((slot->sent_at == 0 || slot->resend) &&
            s_send (self, slot, now) == -1)
            break; //  keep the order: later ones wait too
    }
}

//  Milliseconds until something is due: a retry or a resend.
static int64_t
s_wait_ms (const sender_t *self, int64_t now, int64_t wait)
{
    for (size_t index = 0; index < self->in_flight; index++) {
        const slot_t *slot = &self->window[index];
        int64_t due = slot->sent_at && !slot->resend
                          ? slot->sent_at + self->resend_wait - now
                          : RETRY_MS;
        if (due < wait)
            wait = due;
    }
    return wait < 0 ? 0 : wait;
}

//  The oldest batch is out of order: the one it names will never come.
static void
s_rechain (sender_t *self, slot_t *slot)
{
    zframe_t *frame =
        outbox_rechain (self->outbox, self->batch_codec, slot->sequence);
    if (!frame) {
        log_error ("sender: %s", outbox_error (self->outbox));
        return;
    }
    log_warning ("sender: the aggregator lacks the batch before batch "
                 "%" PRIu64 " (it restarted empty, or that batch was set "
                 "aside here): sending it on its own",
                 slot->sequence);
    zframe_destroy (&slot->frame);
    slot->frame = frame;
    slot->resend = true;
}

//  Take one Ack for a batch in the window. Returns true when the
//  aggregator answered (progress, even when out of order).
static bool
s_handle_ack (sender_t *self, const jt_ack_t *ack, zframe_t *raw)
{
    if (!ack->source || strcmp (ack->source, self->source) != 0) {
        log_warning ("sender: ack for another source dropped");
        return false;
    }
    size_t index = 0;
    while (index < self->in_flight &&
           self->window[index].sequence != ack->sequence)
        index++;
    if (index == self->in_flight) {
        if (log_verbose ())
            log_debug ("sender: ack for batch %" PRIu64 " again, ignored",
                       ack->sequence);
        return false;
    }
    slot_t *slot = &self->window[index];
    if (ack->out_of_order) {
        if (index == 0)
            s_rechain (self, slot);
        else if (++slot->answers > slot->stale) {
            //  A batch before it was lost with a dropped connection: send
            //  every unacknowledged batch again, oldest first. The copies
            //  sent before this round are answered out of order too, each
            //  once, the socket keeping their order: those answers are no
            //  news (else a window of n batches went again n times over).
            log_info ("sender: batch %" PRIu64 " arrived before an earlier "
                      "one; sending %zu %s again in order",
                      ack->sequence, self->in_flight,
                      jt_plural (self->in_flight, "batch", "batches"));
            for (size_t at = 0; at < self->in_flight; at++) {
                slot_t *other = &self->window[at];
                other->stale = other->sends;
                if (other->sent_at)
                    other->resend = true;
            }
        }
        return true;
    }
    const outbox_entry_t *entry = outbox_find (self->outbox, ack->sequence);
    assert (entry);
    //  Sent once, by us alone, yet the city had applied this sequence: it
    //  was used before for other figures (a lost or second state
    //  directory).
    bool reused = ack->duplicate && (!ack->error || !*ack->error) &&
                  slot->sends == 1 && entry->sequence > self->loaded_max;
    if (!s_pass_to_waiter (self, entry, ack, zframe_data (raw),
                           zframe_size (raw), reused))
        s_answer (self, entry, ack, slot->frame, reused);
    zframe_destroy (&slot->frame);
    if (outbox_remove (self->outbox, ack->sequence) != 0)
        log_error ("sender: %s", outbox_error (self->outbox));
    memmove (slot, slot + 1, (self->in_flight - index - 1) * sizeof (slot_t));
    self->in_flight--;
    self->resend_ms = SENDER_RESEND_MIN_MS;
    self->resend_wait = s_jitter (self->resend_ms);
    return true;
}

//  Read one message from the aggregator. Returns true on progress.
static bool
s_receive (sender_t *self)
{
    zmsg_t *msg = zmsg_recv (self->dealer);
    if (!msg)
        return false; //  interrupted
    bool progress = false;
    zframe_t *frame = zmsg_first (msg);
    if (zmsg_size (msg) != 1)
        log_warning ("sender: message of %zu frames dropped", zmsg_size (msg));
    else {
        const char *reason = NULL;
        jt_msg_type_t type = codec_decode (self->codec, zframe_data (frame),
                                           zframe_size (frame), &reason);
        if (type == JT_MSG_ACK)
            progress = s_handle_ack (self, codec_ack (self->codec), frame);
        else
            log_warning ("sender: message dropped: %s",
                         type == JT_MSG_NONE && reason ? reason : "not an ack");
    }
    zmsg_destroy (&msg);
    return progress;
}

//  A handshake cut off without a reason this many times in a row, with no
//  answer between, is taken as refused; fewer is an aggregator that died
//  or restarted in the middle of one, and the connection is tried again.
#define BROKEN_HANDSHAKES_MAX 3

//  Read one socket-monitor event: a refused handshake. Returns the message
//  for the operator (caller frees), or NULL when it was only cut off (see
//  BROKEN_HANDSHAKES_MAX).
static char *
s_handshake_failure (sender_t *self)
{
    zmsg_t *msg = zmsg_recv (self->events);
    zframe_t *frame = msg ? zmsg_first (msg) : NULL;
    uint16_t event = 0;
    if (frame && zframe_size (frame) >= 2)
        memcpy (&event, zframe_data (frame), 2);
    zmsg_destroy (&msg);
    if (event == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL &&
        ++self->broken_handshakes < BROKEN_HANDSHAKES_MAX) {
        log_info ("sender: the handshake with %s was cut off (the "
                  "aggregator restarting?); trying again",
                  self->endpoint);
        return NULL;
    }
    if (event == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
        return zsys_sprintf ("the aggregator at %s refused this collector's "
                             "key (not listed for source '%s', or revoked): "
                             "ask the city to list its public key",
                             self->endpoint, self->source);
    return zsys_sprintf ("the security handshake with %s failed: is CURVE "
                         "on at one end only (--insecure), or --server-key "
                         "not the aggregator's key?",
                         self->endpoint);
}

static int
s_pump_holder (sender_t *self, int max_wait_ms)
{
    int64_t now = zclock_mono ();
    if (self->watch && now - self->watched_at >= WATCH_MS) {
        self->watched_at = now;
        size_t found = outbox_refresh (self->outbox);
        if (found && log_verbose ())
            log_debug ("sender: %zu %s queued by others", found,
                       jt_plural (found, "batch", "batches"));
        if (now - self->swept_at >= SWEEP_MS) {
            self->swept_at = now;
            outbox_sweep_acks (self->outbox, ACK_KEEP_MS);
        }
    }
    if (s_fill_window (self) != 0) {
        s_set_error (self, strdup (outbox_error (self->outbox)));
        return -1;
    }
    s_send_due (self, now);
    int64_t wait = s_wait_ms (self, now, max_wait_ms);
    if (self->in_flight == 0 && self->watch && wait > WATCH_MS)
        wait = WATCH_MS;
    void *which = zpoller_wait (self->poller, (int)wait);
    if (which == self->dealer) {
        if (s_receive (self)) {
            self->answered_at = zclock_mono ();
            self->broken_handshakes = 0;
        }
    } else if (which == self->events) {
        char *failure = s_handshake_failure (self);
        if (failure) {
            s_set_error (self, failure);
            return -1;
        }
    }
    if (zpoller_terminated (self->poller) || zsys_interrupted) {
        s_set_error (self, strdup ("interrupted"));
        return -1;
    }
    return 0;
}

//  The waiter
//  ------------------------------------------------------------------------

//  Take the Acks the holder left for our batches. Returns how many.
static size_t
s_take_acks (sender_t *self)
{
    size_t taken = 0;
    for (size_t index = 0; index < outbox_count (self->outbox);) {
        const outbox_entry_t *entry = outbox_entry (self->outbox, index);
        uint64_t sequence = entry->sequence;
        zframe_t *frame = outbox_take_ack (self->outbox, sequence);
        if (!frame) {
            index++;
            continue;
        }
        if (codec_decode (self->codec, zframe_data (frame), zframe_size (frame),
                          NULL) == JT_MSG_ACK)
            s_answer (self, entry, codec_ack (self->codec), NULL, false);
        else
            log_warning ("sender: %s: the ack left for batch %" PRIu64
                         " is not an ack",
                         outbox_path (self->outbox), sequence);
        zframe_destroy (&frame);
        outbox_remove (self->outbox, sequence); //  the holder removed it
        taken++;
    }
    return taken;
}

static int
s_pump_waiter (sender_t *self, int max_wait_ms)
{
    if (s_take_acks (self))
        self->answered_at = zclock_mono ();
    else {
        int64_t until = zclock_mono () + max_wait_ms;
        while (!zsys_interrupted && zclock_mono () < until) {
            zclock_sleep (WAITER_POLL_MS);
            if (s_take_acks (self)) {
                self->answered_at = zclock_mono ();
                break;
            }
        }
    }
    if (zsys_interrupted) {
        s_set_error (self, strdup ("interrupted"));
        return -1;
    }
    return 0;
}

int
sender_pump (sender_t *self, int max_wait_ms)
{
    assert (self);
    assert (max_wait_ms >= 0);
    return self->endpoint ? s_pump_holder (self, max_wait_ms)
                          : s_pump_waiter (self, max_wait_ms);
}

static bool
s_run_done (const sender_t *self)
{
    if (self->next_update < self->update_count)
        return false;
    return self->endpoint ? outbox_count (self->outbox) == 0
                          : self->answered == self->update_count;
}

int
sender_run (sender_t *self, const char *origin)
{
    assert (self && origin);
    zstr_free (&self->error);
    self->answered_at = zclock_mono ();
    int64_t tried_at = 0;    //  last try to queue what the budget refused
    int64_t room_after = -1; //  answers seen at that try
    bool told_full = false;
    //  The holder delivers the whole outbox, earlier runs' batches first;
    //  a waiter waits for its own.
    while (!s_run_done (self)) {
        int64_t now = zclock_mono ();
        //  Queue what was added; after a refusal of the budget, again once
        //  an Ack freed room (or, for a waiter, once a second).
        if (self->next_update < self->update_count &&
            (tried_at == 0 || self->answered_at != room_after ||
             (!self->endpoint && now - tried_at >= 1000))) {
            tried_at = now;
            room_after = self->answered_at;
            if (sender_queue (self, origin, true) != 0) {
                if (!outbox_full (self->outbox))
                    return -1;
                if (!told_full)
                    log_warning ("sender: %s; waiting for acks to make room",
                                 self->error);
                told_full = true;
            }
        }
        if (s_run_done (self))
            break;
        int wait = 1000;
        if (self->timeout_ms) {
            int64_t left = self->answered_at + self->timeout_ms - now;
            wait = left < 0 ? 0 : left < wait ? (int)left : wait;
        }
        if (sender_pump (self, wait) != 0)
            return -1;
        now = zclock_mono ();
        if (self->timeout_ms && now - self->answered_at >= self->timeout_ms &&
            !s_run_done (self)) {
            if (self->next_update < self->update_count)
                s_set_error (
                    self, zsys_sprintf ("%s", outbox_error (self->outbox)
                                                  ? outbox_error (self->outbox)
                                                  : "outbox full"));
            else if (self->endpoint)
                s_set_error (self,
                             zsys_sprintf ("no acknowledgement from %s "
                                           "within %d s",
                                           self->endpoint,
                                           (self->timeout_ms + 999) / 1000));
            else
                s_set_error (self,
                             zsys_sprintf ("no acknowledgement came through "
                                           "the running collector within %d s",
                                           (self->timeout_ms + 999) / 1000));
            return -1;
        }
    }
    return 0;
}

//  Figures
//  ------------------------------------------------------------------------

size_t
sender_sent (const sender_t *self)
{
    assert (self);
    return self->sent;
}

size_t
sender_acknowledged (const sender_t *self)
{
    assert (self);
    return self->acknowledged;
}

size_t
sender_unanswered (const sender_t *self)
{
    assert (self);
    return self->update_count - self->answered;
}

size_t
sender_queued_batches (const sender_t *self)
{
    assert (self);
    size_t batches = 0;
    for (size_t index = 0; index < outbox_count (self->outbox); index++)
        batches += outbox_entry (self->outbox, index)->own;
    return batches;
}

size_t
sender_queued_updates (const sender_t *self)
{
    assert (self);
    size_t updates = 0;
    for (size_t index = 0; index < outbox_count (self->outbox); index++) {
        const outbox_entry_t *entry = outbox_entry (self->outbox, index);
        updates += entry->own ? entry->update_count : 0;
    }
    return updates;
}

size_t
sender_pending (const sender_t *self)
{
    assert (self);
    return outbox_count (self->outbox);
}

size_t
sender_rejection_count (const sender_t *self)
{
    assert (self);
    return notes_count (self->rejections);
}

size_t
sender_warning_count (const sender_t *self)
{
    assert (self);
    return notes_count (self->warnings);
}

const sender_rejection_t *
sender_warning (const sender_t *self, size_t index)
{
    assert (self);
    return notes_at (self->warnings, index);
}

const sender_rejection_t *
sender_rejection (const sender_t *self, size_t index)
{
    assert (self);
    return notes_at (self->rejections, index);
}

const char *
sender_error (const sender_t *self)
{
    assert (self);
    return self->error;
}
