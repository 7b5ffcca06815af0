/*  sender.c — batches out, Acks in, one zpoller loop (see sender.h).

    Batches are kept in sequence order and are always written to the socket
    in that order: when one is due again, every unacknowledged batch is
    sent again behind it, and a batch is never sent while one before it
    could not be. Each batch names the one opened before it (previous); the
    aggregator applies a batch only after that one, and answers
    out_of_order otherwise (a batch lost with a dropped connection), upon
    which every unacknowledged batch is sent again in order. A batch it
    applied before is re-acknowledged, never applied twice. The socket is
    IMMEDIATE: while the aggregator is away a send fails at once (and is
    retried every RETRY_MS) instead of piling up stale copies in a queue. */
#include "sender.h"
#include "app.h"
#include "codec.h"
#include "period.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#define RETRY_MS 20 //  retry a send the socket refused

typedef struct {
    uint64_t sequence; //  reserved in the state file
    size_t first;      //  index of its first update
    size_t count;      //  updates in it
    zframe_t *frame;   //  encoded Message, sent again as is
    int64_t sent_at;   //  zclock_mono of the last send, 0 never
    int sends;         //  times written to the socket
} batch_t;

struct _sender_t {
    char *endpoint;         //  aggregator collect endpoint
    char *source;           //  source name, a valid id
    char *sequence_path;    //  <state>/<source>.seq
    char *sequence_temp;    //  <state>/<source>.seq.tmp
    int directory_fd;       //  the state directory, for fsync
    int lock_fd;            //  <state>/<source>.lock, flocked
    uint64_t sequence;      //  last sequence reserved
    uint64_t previous;      //  last batch opened in this run, or 0
    zsock_t *dealer;        //  to the aggregator's ROUTER
    zpoller_t *poller;      //  over dealer and events
    zsock_t *events;        //  dealer's handshake failures (socket monitor)
    codec_t *codec;         //  encodes batches, decodes Acks
    size_t batch_size;      //  updates per batch
    int timeout_ms;         //  give up after this long without an Ack
    wire_update_t *updates; //  queued updates; strings borrowed
    size_t update_count;
    size_t update_capacity;
    size_t next_update;             //  first update not yet in a batch
    batch_t window[SENDER_WINDOW];  //  unacknowledged batches, in order
    size_t in_flight;               //  batches in window
    size_t sent;                    //  updates sent at least once
    size_t acknowledged;            //  updates applied
    size_t answered;                //  updates applied or rejected
    sender_rejection_t *rejections; //  refused updates; reasons owned
    size_t rejection_count;
    size_t rejection_capacity;
    char *error; //  why sender_run failed, or NULL
};

//  Read the last sequence used; a missing file means none yet. Returns 0,
//  or -1 with *error set.
static int
s_read_sequence (sender_t *self, char **error)
{
    FILE *file = fopen (self->sequence_path, "r");
    if (!file) {
        if (errno == ENOENT) {
            self->sequence = 0;
            return 0;
        }
        *error = zsys_sprintf ("cannot read %s: %s", self->sequence_path,
                               strerror (errno));
        return -1;
    }
    char text[32];
    size_t size = fread (text, 1, sizeof text - 1, file);
    fclose (file);
    text[size] = 0;
    char *end = NULL;
    errno = 0;
    unsigned long long sequence = strtoull (text, &end, 10);
    if (size == 0 || text[0] < '0' || text[0] > '9' || errno ||
        (*end && strcmp (end, "\n") != 0)) {
        //  Starting again from 0 would reuse sequences: refuse instead.
        *error = zsys_sprintf ("%s: not a sequence number; it must hold the "
                               "last sequence this source used",
                               self->sequence_path);
        return -1;
    }
    self->sequence = (uint64_t)sequence;
    return 0;
}

//  Make sequence the last one used, durably: temp file, fsync, rename,
//  fsync of the directory. Returns 0, or -1 with self->error set.
static int
s_write_sequence (sender_t *self, uint64_t sequence)
{
    char text[32];
    int length = snprintf (text, sizeof text, "%" PRIu64 "\n", sequence);
    int fd = open (self->sequence_temp,
                   O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool good = fd >= 0;
    for (int done = 0; good && done < length;) {
        ssize_t wrote = write (fd, text + done, (size_t)(length - done));
        if (wrote < 0 && errno == EINTR)
            continue;
        good = wrote > 0;
        done += good ? (int)wrote : 0;
    }
    good = good && fsync (fd) == 0;
    if (fd >= 0 && close (fd) != 0)
        good = false;
    good = good && rename (self->sequence_temp, self->sequence_path) == 0;
    good = good && fsync (self->directory_fd) == 0;
    if (!good) {
        zstr_free (&self->error);
        self->error = zsys_sprintf ("cannot write %s: %s", self->sequence_path,
                                    strerror (errno));
        return -1;
    }
    return 0;
}

//  Create the state directory if needed and hold the source's lock.
static int
s_open_state (sender_t *self, const char *state_dir, char **error)
{
    if (zsys_dir_create ("%s", state_dir) != 0) {
        *error = zsys_sprintf ("cannot create state directory %s: %s",
                               state_dir, strerror (errno));
        return -1;
    }
    self->directory_fd = open (state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (self->directory_fd < 0) {
        *error = zsys_sprintf ("cannot open state directory %s: %s", state_dir,
                               strerror (errno));
        return -1;
    }
    char *lock_path = zsys_sprintf ("%s/%s.lock", state_dir, self->source);
    assert (lock_path);
    self->lock_fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    int rc = 0;
    if (self->lock_fd < 0) {
        *error =
            zsys_sprintf ("cannot open %s: %s", lock_path, strerror (errno));
        rc = -1;
    } else if (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        *error = errno == EWOULDBLOCK
                     ? zsys_sprintf ("another collector for source '%s' is "
                                     "running (%s is locked)",
                                     self->source, lock_path)
                     : zsys_sprintf ("cannot lock %s: %s", lock_path,
                                     strerror (errno));
        rc = -1;
    }
    zstr_free (&lock_path);
    if (rc == 0) {
        self->sequence_path =
            zsys_sprintf ("%s/%s.seq", state_dir, self->source);
        self->sequence_temp =
            zsys_sprintf ("%s/%s.seq.tmp", state_dir, self->source);
        assert (self->sequence_path && self->sequence_temp);
        rc = s_read_sequence (self, error);
    }
    return rc;
}

sender_t *
sender_new (const char *endpoint, const char *source, const char *state_dir,
            char **error)
{
    assert (endpoint && source && state_dir && error);
    //  The source names files in the state directory.
    assert (jt_id_valid (source));
    *error = NULL;
    sender_t *self = (sender_t *)zmalloc (sizeof (sender_t));
    assert (self);
    self->directory_fd = -1;
    self->lock_fd = -1;
    self->endpoint = strdup (endpoint);
    self->source = strdup (source);
    assert (self->endpoint && self->source);
    self->batch_size = SENDER_BATCH_DEFAULT;
    self->timeout_ms = SENDER_TIMEOUT_DEFAULT;

    if (s_open_state (self, state_dir, error) == 0) {
        self->dealer = zsock_new (ZMQ_DEALER);
        assert (self->dealer);
        app_socket_defaults (self->dealer, SENDER_LINGER_MS);
        zsock_set_immediate (self->dealer, 1);
        app_secure_client (self->dealer);
        //  Hear about a refused handshake (a key not listed, or security on
        //  one side only) instead of only timing out.
        static int monitors = 0;
        char *monitor = zsys_sprintf ("inproc://jobtally-sender-%d-%d",
                                      getpid (), monitors++);
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
        if (zsock_connect (self->dealer, "%s", endpoint) == -1)
            *error = zsys_sprintf ("cannot connect to %s: %s", endpoint,
                                   zmq_strerror (zmq_errno ()));
    }
    if (*error) {
        sender_destroy (&self);
        return NULL;
    }
    self->poller = zpoller_new (self->dealer, self->events, NULL);
    self->codec = codec_new (APP_ARENA_LIMIT);
    assert (self->poller && self->codec);
    if (app_verbose ())
        zsys_debug ("sender: source %s, last sequence %" PRIu64 ", to %s",
                    source, self->sequence, endpoint);
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
    zpoller_destroy (&self->poller);
    if (self->dealer)
        zmq_socket_monitor (zsock_resolve (self->dealer), NULL, 0);
    zsock_destroy (&self->events);
    zsock_destroy (&self->dealer);
    if (self->lock_fd >= 0)
        close (self->lock_fd); //  releases the flock
    if (self->directory_fd >= 0)
        close (self->directory_fd);
    for (size_t index = 0; index < self->rejection_count; index++)
        free ((char *)self->rejections[index].reason);
    free (self->rejections);
    free (self->updates);
    zstr_free (&self->error);
    zstr_free (&self->sequence_path);
    zstr_free (&self->sequence_temp);
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
    assert (timeout_ms > 0);
    self->timeout_ms = timeout_ms;
}

void
sender_add (sender_t *self, const char *region, const char *indicator,
            int period, jt_value_t value, bool add, uint32_t line, int reported)
{
    assert (self);
    assert (region && indicator && period != PERIOD_NONE);
    if (self->update_count == self->update_capacity) {
        self->update_capacity =
            self->update_capacity ? self->update_capacity * 2 : 1024;
        self->updates = realloc (self->updates, self->update_capacity *
                                                    sizeof (wire_update_t));
        assert (self->updates);
    }
    self->updates[self->update_count++] = (wire_update_t){
        .region = region,
        .indicator = indicator,
        .period = period_yyyymm (period),
        .value = value,
        .add = add,
        .line = line,
        .reported =
            reported == PERIOD_DAY_NONE ? 0 : period_day_yyyymmdd (reported)};
}

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

static void
s_add_rejection (sender_t *self, uint32_t line, const char *reason)
{
    if (self->rejection_count == self->rejection_capacity) {
        self->rejection_capacity =
            self->rejection_capacity ? self->rejection_capacity * 2 : 16;
        self->rejections =
            realloc (self->rejections,
                     self->rejection_capacity * sizeof (sender_rejection_t));
        assert (self->rejections);
    }
    char *copy = strdup (reason && *reason ? reason : "rejected");
    assert (copy);
    s_printable (copy); //  printed for the operator

    self->rejections[self->rejection_count++] =
        (sender_rejection_t){.line = line, .reason = copy};
}

//  Put the next updates in a batch with a fresh sequence, written to the
//  state file before the batch can leave. Returns 0 or -1.
static int
s_open_batch (sender_t *self)
{
    size_t count = self->update_count - self->next_update;
    if (count > self->batch_size)
        count = self->batch_size;
    uint64_t sequence = self->sequence + 1;
    if (s_write_sequence (self, sequence) == -1)
        return -1;
    self->sequence = sequence;
    wire_batch_t batch = {.source = self->source,
                          .sequence = sequence,
                          .update_count = count,
                          .updates = &self->updates[self->next_update],
                          .previous = self->previous};
    self->previous = sequence;
    zframe_t *frame = codec_encode_batch (self->codec, &batch);
    assert (frame);
    self->window[self->in_flight++] = (batch_t){.sequence = sequence,
                                                .first = self->next_update,
                                                .count = count,
                                                .frame = frame};
    self->next_update += count;
    return 0;
}

//  Hand one batch to the socket without blocking. Returns 0, or -1 when
//  the socket has no aggregator to send to right now.
static int
s_send (sender_t *self, batch_t *batch, int64_t now)
{
    if (zframe_send (&batch->frame, self->dealer,
                     ZFRAME_REUSE | ZFRAME_DONTWAIT) == -1)
        return -1;
    if (batch->sent_at == 0)
        self->sent += batch->count;
    batch->sends++;
    if (app_verbose ())
        zsys_debug ("sender: batch %" PRIu64 " (%zu updates) %s",
                    batch->sequence, batch->count,
                    batch->sent_at ? "sent again" : "sent");
    batch->sent_at = now;
    return 0;
}

//  Send what is due, in sequence order: batches never sent, and when any
//  batch has waited SENDER_RESEND_MS for its Ack, every unacknowledged one.
static void
s_send_due (sender_t *self, int64_t now)
{
    bool again = false;
    for (size_t index = 0; index < self->in_flight; index++) {
        const batch_t *batch = &self->window[index];
        if (batch->sent_at && now - batch->sent_at >= SENDER_RESEND_MS)
            again = true;
    }
    if (again)
        zsys_info ("sender: no ack from %s for batch %" PRIu64
                   " yet, sending %zu batches again",
                   self->endpoint, self->window[0].sequence, self->in_flight);
    for (size_t index = 0; index < self->in_flight; index++) {
        batch_t *batch = &self->window[index];
        if ((batch->sent_at == 0 || again) && s_send (self, batch, now) == -1)
            break; //  keep the order: later ones wait too
    }
}

//  Milliseconds until something is due: a retry, a resend or the deadline.
static int64_t
s_wait_ms (const sender_t *self, int64_t now, int64_t deadline)
{
    int64_t wait = deadline - now;
    for (size_t index = 0; index < self->in_flight; index++) {
        const batch_t *batch = &self->window[index];
        int64_t due =
            batch->sent_at ? batch->sent_at + SENDER_RESEND_MS - now : RETRY_MS;
        if (due < wait)
            wait = due;
    }
    return wait < 0 ? 0 : wait;
}

//  Take one Ack: record the batch's rejections and free its place in the
//  window. Returns true when it answered a batch we were waiting for.
static bool
s_handle_ack (sender_t *self, const wire_ack_t *ack)
{
    if (!ack->source || strcmp (ack->source, self->source) != 0) {
        zsys_warning ("sender: ack for another source dropped");
        return false;
    }
    size_t index = 0;
    while (index < self->in_flight &&
           self->window[index].sequence != ack->sequence)
        index++;
    if (index == self->in_flight) {
        if (app_verbose ())
            zsys_debug ("sender: ack for batch %" PRIu64 " again, ignored",
                        ack->sequence);
        return false;
    }
    batch_t *batch = &self->window[index];
    const wire_update_t *updates = &self->updates[batch->first];
    if (ack->out_of_order) {
        //  A batch before it was lost with a dropped connection: send every
        //  unacknowledged batch again, oldest first.
        zsys_info ("sender: batch %" PRIu64 " arrived before an earlier one; "
                   "sending %zu batches again in order",
                   ack->sequence, self->in_flight);
        for (size_t at = 0; at < self->in_flight; at++)
            if (self->window[at].sent_at)
                self->window[at].sent_at = 1; //  long due
        return false;
    }
    if (ack->duplicate && batch->sends == 1 && (!ack->error || !*ack->error)) {
        //  Sent once, yet the city had applied this sequence: it was used
        //  before for other figures (a lost or second state directory).
        //  These rows were not applied: say so rather than count them.
        char *reason = zsys_sprintf (
            "not applied: the city already has batch "
            "%" PRIu64 " from source '%s' (was this collector's --state "
            "directory lost or changed?)",
            ack->sequence, self->source);
        zsys_error ("sender: %s", reason);
        for (size_t at = 0; at < batch->count; at++)
            s_add_rejection (self, updates[at].line, reason);
        free (reason);
    } else if (ack->error && *ack->error) {
        //  The whole batch was refused: every update in it carries why.
        char shown[512];
        snprintf (shown, sizeof shown, "%s", ack->error);
        zsys_warning ("sender: batch %" PRIu64 " refused: %s", ack->sequence,
                      s_printable (shown));
        for (size_t at = 0; at < batch->count; at++)
            s_add_rejection (self, updates[at].line, ack->error);
    } else {
        size_t rejected = 0;
        for (size_t at = 0; at < ack->rejection_count; at++) {
            const wire_rejection_t *rejection = &ack->rejections[at];
            uint32_t line = rejection->index < batch->count
                                ? updates[rejection->index].line
                                : rejection->line;
            s_add_rejection (self, line, rejection->reason);
            rejected++;
        }
        if (rejected > batch->count)
            rejected = batch->count;
        self->acknowledged += batch->count - rejected;
        if (ack->duplicate)
            zsys_info ("sender: batch %" PRIu64 " had been applied before",
                       ack->sequence);
        else if (app_verbose ())
            zsys_debug ("sender: batch %" PRIu64 " acknowledged: %u applied, "
                        "%zu rejected",
                        ack->sequence, ack->applied, ack->rejection_count);
    }
    self->answered += batch->count;
    zframe_destroy (&batch->frame);
    memmove (batch, batch + 1,
             (self->in_flight - index - 1) * sizeof (batch_t));
    self->in_flight--;
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
        zsys_warning ("sender: message of %zu frames dropped", zmsg_size (msg));
    else {
        const char *reason = NULL;
        jt_msg_type_t type = codec_decode (self->codec, zframe_data (frame),
                                           zframe_size (frame), &reason);
        if (type == JT_MSG_ACK)
            progress = s_handle_ack (self, codec_ack (self->codec));
        else
            zsys_warning ("sender: message dropped: %s",
                          type == JT_MSG_NONE && reason ? reason
                                                        : "not an ack");
    }
    zmsg_destroy (&msg);
    return progress;
}

//  Read one socket-monitor event: a refused handshake. Returns the message
//  for the operator (caller frees).
static char *
s_handshake_failure (sender_t *self)
{
    zmsg_t *msg = zmsg_recv (self->events);
    zframe_t *frame = msg ? zmsg_first (msg) : NULL;
    uint16_t event = 0;
    if (frame && zframe_size (frame) >= 2)
        memcpy (&event, zframe_data (frame), 2);
    zmsg_destroy (&msg);
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

int
sender_run (sender_t *self)
{
    assert (self);
    zstr_free (&self->error);
    int64_t now = zclock_mono ();
    int64_t deadline = now + self->timeout_ms;
    while (self->next_update < self->update_count || self->in_flight > 0) {
        while (self->in_flight < SENDER_WINDOW &&
               self->next_update < self->update_count)
            if (s_open_batch (self) == -1)
                return -1;
        s_send_due (self, now);
        void *which =
            zpoller_wait (self->poller, (int)s_wait_ms (self, now, deadline));
        now = zclock_mono ();
        if (which == self->dealer) {
            if (s_receive (self))
                deadline = now + self->timeout_ms;
        } else if (which == self->events) {
            self->error = s_handshake_failure (self);
            return -1;
        }
        if (zpoller_terminated (self->poller) || zsys_interrupted) {
            self->error = strdup ("interrupted");
            return -1;
        }
        if (now >= deadline) {
            self->error =
                zsys_sprintf ("no acknowledgement from %s within "
                              "%d s",
                              self->endpoint, (self->timeout_ms + 999) / 1000);
            return -1;
        }
    }
    return 0;
}

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
sender_rejection_count (const sender_t *self)
{
    assert (self);
    return self->rejection_count;
}

const sender_rejection_t *
sender_rejection (const sender_t *self, size_t index)
{
    assert (self);
    assert (index < self->rejection_count);
    return &self->rejections[index];
}

const char *
sender_error (const sender_t *self)
{
    assert (self);
    return self->error;
}

uint64_t
sender_sequence (const sender_t *self)
{
    assert (self);
    return self->sequence;
}
