/*  replica.c — the Clone-pattern subscriber (see replica.h). */
#include "replica.h"
#include "app.h"
#include "cell.h"
#include "codec.h"
#include "period.h"

//  A subscriber may fall behind a busy aggregator; messages wait here
//  rather than being dropped at the default mark of 1,000 (DESIGN §8).
#define REPLICA_RCVHWM 1000000

//  Unknown cells in one snapshot logged one by one before a total.
#define REPLICA_LOG_UNKNOWN 5

struct _replica_t {
    const catalogue_t *catalogue; //  borrowed
    char *publish_endpoint;       //  where the SUB connects
    char *query_endpoint;         //  where the DEALER connects
    zsock_t *subscriber;          //  SUB: "changes" and "heartbeat"
    zsock_t *dealer;              //  DEALER: snapshot requests
    codec_t *codec;               //  decoder and encoder
    store_t *store;               //  the state, one cell per month
    uint64_t sequence;            //  state sequence the store stands at
    bool synced;                  //  false until a snapshot is loaded,
                                  //  and again after a failed re-sync
    int timeout_ms;               //  wait per snapshot chunk
    size_t sync_count;            //  snapshots loaded
    int64_t heard;                //  when the aggregator was last heard
                                  //  (app_now_ms), or last tried
    char error[512];              //  why the last operation failed
};

static zsock_t *
s_dealer_new (const char *endpoint)
{
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    assert (dealer);
    app_socket_defaults (dealer, 0);
    app_secure_client (dealer);
    if (zsock_connect (dealer, "%s", endpoint) == -1) {
        log_error ("replica: cannot connect to query endpoint %s: %s", endpoint,
                   zmq_strerror (zmq_errno ()));
        zsock_destroy (&dealer);
    }
    return dealer;
}

replica_t *
replica_new (const catalogue_t *catalogue, const char *publish_endpoint,
             const char *query_endpoint)
{
    assert (catalogue);
    assert (publish_endpoint);
    assert (query_endpoint);
    replica_t *self = (replica_t *)zmalloc (sizeof (replica_t));
    assert (self);
    self->catalogue = catalogue;
    self->publish_endpoint = strdup (publish_endpoint);
    self->query_endpoint = strdup (query_endpoint);
    self->codec = codec_new (APP_ARENA_LIMIT);
    self->store = store_new (catalogue);
    self->timeout_ms = 5000;
    assert (self->publish_endpoint && self->query_endpoint);
    assert (self->codec && self->store);

    //  Subscribe before anything else: changes published while the
    //  snapshot is fetched must already be queued for us
    self->subscriber = zsock_new (ZMQ_SUB);
    assert (self->subscriber);
    app_socket_defaults (self->subscriber, 0);
    zsock_set_rcvhwm (self->subscriber, REPLICA_RCVHWM);
    zsock_set_subscribe (self->subscriber, "changes");
    zsock_set_subscribe (self->subscriber, "heartbeat");
    app_secure_client (self->subscriber);
    if (zsock_connect (self->subscriber, "%s", publish_endpoint) == -1) {
        log_error ("replica: cannot connect to publish endpoint %s: %s",
                   publish_endpoint, zmq_strerror (zmq_errno ()));
        replica_destroy (&self);
        return NULL;
    }
    self->dealer = s_dealer_new (query_endpoint);
    if (!self->dealer)
        replica_destroy (&self);
    return self;
}

void
replica_destroy (replica_t **self_p)
{
    assert (self_p);
    replica_t *self = *self_p;
    if (!self)
        return;
    zsock_destroy (&self->subscriber);
    zsock_destroy (&self->dealer);
    codec_destroy (&self->codec);
    store_destroy (&self->store);
    free (self->publish_endpoint);
    free (self->query_endpoint);
    free (self);
    *self_p = NULL;
}

//  A store being filled from snapshot chunks or from one Changes message.
typedef struct {
    store_t *store;             //  the store filled, borrowed
    const char *what;           //  "snapshot" or "change", for the log
    size_t log_limit;           //  skipped ones logged one by one
    size_t cells;               //  cells put
    size_t arrivals;            //  arrivals put
    size_t skipped;             //  cells and arrivals skipped
    replica_change_fn *changed; //  told of each cell put, or NULL
    void *arg;                  //  for changed
} s_filling_t;

//  Put the cells and arrivals of a snapshot chunk or a Changes message into
//  the filling's store. One the catalogue does not know is skipped, and
//  logged while the filling's skipped count is within its log limit.
static void
s_fill (replica_t *self, s_filling_t *filling, const wire_cells_t *cells)
{
    for (size_t index = 0; index < cells->cell_count; index++) {
        const jt_cell_t *wire = &cells->cells[index];
        store_cell_t cell;
        jt_error_t code = cell_resolve (self->catalogue, wire, &cell);
        if (code != JT_OK) {
            if (++filling->skipped <= filling->log_limit)
                log_warning ("replica: %s cell skipped at sequence %" PRIu64
                             ": %s (%s %s %u); is the catalogue the "
                             "aggregator's?",
                             filling->what, cells->sequence, jt_strerror (code),
                             wire->region, wire->indicator, wire->period);
            continue;
        }
        replica_change_t change = {.sequence = cells->sequence, .cell = cell};
        if (filling->changed)
            change.had_value =
                store_get (filling->store, cell.region, cell.indicator,
                           cell.period, &change.old_value);
        store_put (filling->store, cell.region, cell.indicator, cell.period,
                   cell.value);
        filling->cells++;
        if (filling->changed)
            filling->changed (&change, filling->arg);
    }
    for (size_t index = 0; index < cells->arrival_count; index++) {
        const jt_arrival_t *wire = &cells->arrivals[index];
        store_arrival_t arrival;
        jt_error_t code =
            cell_arrival_resolve (self->catalogue, wire, &arrival);
        if (code != JT_OK) {
            if (++filling->skipped <= filling->log_limit)
                log_warning ("replica: %s arrival skipped at sequence "
                             "%" PRIu64 ": %s (%s %u %u); is the catalogue "
                             "the aggregator's?",
                             filling->what, cells->sequence, jt_strerror (code),
                             wire->region, wire->period, wire->reported);
            continue;
        }
        store_mark_reported (filling->store, arrival.region, arrival.period,
                             arrival.day);
        filling->arrivals++;
    }
}

//  Wait for one frame on the DEALER: its body, or NULL on timeout or
//  interrupt (with the error set).
static zframe_t *
s_receive_chunk (replica_t *self)
{
    zpoller_t *poller = zpoller_new (self->dealer, NULL);
    assert (poller);
    void *which = zpoller_wait (poller, self->timeout_ms);
    bool terminated = zpoller_terminated (poller);
    zpoller_destroy (&poller);
    if (!which) {
        if (terminated)
            snprintf (self->error, sizeof (self->error), "interrupted");
        else
            snprintf (self->error, sizeof (self->error),
                      "no answer from aggregator at %s (waited %d ms)",
                      self->query_endpoint, self->timeout_ms);
        return NULL;
    }
    zmsg_t *msg = zmsg_recv (self->dealer);
    if (!msg) {
        snprintf (self->error, sizeof (self->error), "interrupted");
        return NULL;
    }
    size_t frames = zmsg_size (msg);
    zframe_t *frame = zmsg_pop (msg);
    if (frames != 1) {
        zframe_destroy (&frame);
        snprintf (self->error, sizeof (self->error),
                  "malformed snapshot from aggregator at %s: %zu %s",
                  self->query_endpoint, frames,
                  jt_plural (frames, "frame", "frames"));
    }
    zmsg_destroy (&msg);
    return frame;
}

//  Load a snapshot into a fresh store, then make it the replica's state,
//  so a failure half-way leaves the previous state in place.
int
replica_sync (replica_t *self, int timeout_ms)
{
    assert (self);
    assert (timeout_ms >= 0);
    self->timeout_ms = timeout_ms;
    self->error[0] = 0;
    if (!self->dealer)
        self->dealer = s_dealer_new (self->query_endpoint);
    if (!self->dealer) {
        snprintf (self->error, sizeof (self->error), "cannot connect to %s",
                  self->query_endpoint);
        self->synced = false;
        return -1;
    }

    zframe_t *request = codec_encode_snapshot_request (self->codec);
    assert (request);
    if (zframe_send (&request, self->dealer, 0) == -1) {
        zframe_destroy (&request);
        snprintf (self->error, sizeof (self->error),
                  "cannot send snapshot request to %s", self->query_endpoint);
        return -1;
    }
    store_t *store = store_new (self->catalogue);
    assert (store);
    uint64_t sequence = 0;
    size_t chunks = 0;
    s_filling_t filling = {
        .store = store, .what = "snapshot", .log_limit = REPLICA_LOG_UNKNOWN};
    bool done = false;
    while (!done) {
        zframe_t *frame = s_receive_chunk (self);
        if (!frame)
            break;
        const char *reason = NULL;
        jt_msg_type_t type = codec_decode (self->codec, zframe_data (frame),
                                           zframe_size (frame), &reason);
        zframe_destroy (&frame);
        const wire_cells_t *chunk = codec_cells (self->codec);
        if (type != JT_MSG_SNAPSHOT || !chunk) {
            snprintf (self->error, sizeof (self->error),
                      "malformed snapshot from aggregator at %s: %s",
                      self->query_endpoint,
                      type == JT_MSG_NONE && reason ? reason
                                                    : "not a Snapshot message");
            break;
        }
        if (chunks > 0 && chunk->sequence != sequence) {
            snprintf (self->error, sizeof (self->error),
                      "inconsistent snapshot from aggregator at %s: "
                      "chunks at sequence %" PRIu64 " and %" PRIu64,
                      self->query_endpoint, sequence, chunk->sequence);
            break;
        }
        sequence = chunk->sequence;
        chunks++;
        s_fill (self, &filling, chunk);
        done = chunk->last;
    }
    if (!done) {
        store_destroy (&store);
        //  A late answer to this request must not be taken for the answer
        //  to the next one: start over with a new socket
        zsock_destroy (&self->dealer);
        self->dealer = s_dealer_new (self->query_endpoint);
        self->synced = false;
        return -1;
    }
    if (filling.skipped > 0) {
        size_t all = filling.skipped + filling.cells + filling.arrivals;
        log_warning ("replica: skipped %zu of %zu snapshot %s that the "
                     "catalogue does not know",
                     filling.skipped, all,
                     jt_plural (all, "cell or arrival", "cells and arrivals"));
    }
    store_destroy (&self->store);
    self->store = store;
    self->sequence = sequence;
    self->synced = true;
    self->sync_count++;
    self->heard = app_now_ms ();
    if (log_verbose ())
        log_debug ("replica: snapshot at sequence %" PRIu64 ": %zu %s and "
                   "%zu %s in %zu %s",
                   sequence, filling.cells,
                   jt_plural (filling.cells, "cell", "cells"), filling.arrivals,
                   jt_plural (filling.arrivals, "arrival", "arrivals"), chunks,
                   jt_plural (chunks, "chunk", "chunks"));
    return 0;
}

const char *
replica_error (replica_t *self)
{
    assert (self);
    return self->error;
}

zsock_t *
replica_socket (replica_t *self)
{
    assert (self);
    return self->subscriber;
}

//  Apply the Changes last decoded, which must follow the replica's
//  sequence exactly.
static void
s_apply_changes (replica_t *self, const wire_cells_t *changes,
                 replica_change_fn *changed, void *arg)
{
    assert (changes->sequence == self->sequence + 1);
    s_filling_t filling = {.store = self->store,
                           .what = "change",
                           .log_limit = SIZE_MAX,
                           .changed = changed,
                           .arg = arg};
    s_fill (self, &filling, changes);
    self->sequence = changes->sequence;
}

static int
s_resync (replica_t *self, const char *why)
{
    log_info ("replica: %s; re-fetching the snapshot", why);
    if (replica_sync (self, self->timeout_ms)) {
        log_error ("replica: re-sync failed: %s", self->error);
        return -1;
    }
    log_info ("replica: re-synced at sequence %" PRIu64, self->sequence);
    return 0;
}

//  Decode body as the type its topic promises; NULL (logged) if not.
static const wire_cells_t *
s_decode (replica_t *self, zframe_t *body, jt_msg_type_t expected,
          const char *topic)
{
    const char *reason = NULL;
    jt_msg_type_t type = codec_decode (self->codec, zframe_data (body),
                                       zframe_size (body), &reason);
    if (type != expected) {
        log_warning ("replica: dropped malformed '%s' message: %s", topic,
                     type == JT_MSG_NONE && reason ? reason
                                                   : "wrong body type");
        return NULL;
    }
    return codec_cells (self->codec);
}

int
replica_handle (replica_t *self, replica_change_fn *changed, void *arg)
{
    assert (self);
    zmsg_t *msg = zmsg_recv (self->subscriber);
    if (!msg)
        return 0; //  interrupted
    zframe_t *topic_frame = zmsg_first (msg);
    zframe_t *body = zmsg_next (msg);
    if (zmsg_size (msg) != 2) {
        log_warning ("replica: dropped published message of %zu %s",
                     zmsg_size (msg),
                     jt_plural (zmsg_size (msg), "frame", "frames"));
        zmsg_destroy (&msg);
        return 0;
    }
    self->heard = app_now_ms ();
    char *topic = zframe_strdup (topic_frame);
    jt_msg_type_t expected = streq (topic, "changes")     ? JT_MSG_CHANGES
                             : streq (topic, "heartbeat") ? JT_MSG_HEARTBEAT
                                                          : JT_MSG_NONE;
    int rc = 0;
    const wire_cells_t *cells =
        expected == JT_MSG_NONE ? NULL : s_decode (self, body, expected, topic);
    if (expected == JT_MSG_NONE)
        log_warning ("replica: dropped message with unknown topic '%s'", topic);
    else if (cells && !self->synced)
        rc = s_resync (self, "the replica is stale");
    else if (cells && expected == JT_MSG_HEARTBEAT &&
             cells->sequence != self->sequence) {
        //  Ahead: we missed changes. Behind: the aggregator restarted with
        //  less state than we hold. Either way the snapshot is the truth.
        char why[128];
        snprintf (why, sizeof (why),
                  "heartbeat at sequence %" PRIu64 ", replica at %" PRIu64,
                  cells->sequence, self->sequence);
        rc = s_resync (self, why);
    } else if (cells && expected == JT_MSG_CHANGES &&
               cells->sequence > self->sequence + 1) {
        char why[128];
        snprintf (why, sizeof (why),
                  "gap: expected sequence %" PRIu64 ", got %" PRIu64,
                  self->sequence + 1, cells->sequence);
        rc = s_resync (self, why);
    }
    //  A re-sync reused the codec: decode the changes again
    if (rc == 0 && cells && expected == JT_MSG_CHANGES) {
        cells = s_decode (self, body, expected, topic);
        assert (cells);
        if (cells->sequence == self->sequence + 1)
            s_apply_changes (self, cells, changed, arg);
        else if (log_verbose ())
            log_debug ("replica: dropped changes at sequence %" PRIu64
                       " (replica at %" PRIu64 ")",
                       cells->sequence, self->sequence);
    }
    zstr_free (&topic);
    zmsg_destroy (&msg);
    return rc;
}

int
replica_check_silence (replica_t *self, int silence_ms)
{
    assert (self);
    assert (silence_ms > 0);
    int64_t quiet = app_now_ms () - self->heard;
    if (quiet <= silence_ms)
        return 0;
    //  Try again only after another silence_ms, however the attempt ends.
    self->heard = app_now_ms ();
    char why[128];
    snprintf (why, sizeof (why),
              "nothing heard from the aggregator for %" PRId64 " ms", quiet);
    return s_resync (self, why);
}

const store_t *
replica_store (replica_t *self)
{
    assert (self);
    return self->store;
}

uint64_t
replica_sequence (replica_t *self)
{
    assert (self);
    return self->sequence;
}

size_t
replica_sync_count (replica_t *self)
{
    assert (self);
    return self->sync_count;
}
