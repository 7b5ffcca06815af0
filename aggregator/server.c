/*  server.c — the aggregator's loop. One zpoller over three sockets, one
    dispatch per socket over the decoded message type. */
#include "server.h"
#include "cell.h"
#include "check.h"
#include "ingest.h"
#include "journal.h"
#include "log.h"
#include "security.h"
#include "snapshot.h"
#include "stats_wire.h"
#include <signal.h>
#include <sys/stat.h>
#include "codec.h"
#include "figures.h"
#include "period.h"

#define CHANGES_PER_MESSAGE 10000 //  cells (and arrivals) in one Changes
#define SNAPSHOT_CHUNK 5000       //  cells (and arrivals) in one chunk
#define HIGH_WATER_MARK 1000000   //  PUB and query ROUTER send HWM
#define KEY_WATCH_MS 1000         //  how often to look for changed keys
#define GROUP_MAX 256             //  batches in one group commit
#define GROUP_BYTES (32 << 20)    //  a group ends once its records pass this
#define OTHERS_PER_GROUP 64       //  queries, ZAP requests served per group
#define SEQUENCE_RESERVE (1ULL << 20) //  state sequences reserved at once

//  Set by SIGHUP: reload the keys at the next turn of the loop.
static volatile sig_atomic_t s_reload_requested = 0;

//  An ack waiting for its group's journal write.
typedef struct {
    zframe_t *routing_id; //  the collector it goes to
    zframe_t *body;       //  the encoded Ack
} pending_ack_t;

struct _server_t {
    const catalogue_t *catalogue;    //  borrowed
    ingest_t *ingest;                //  the exactly-once engine
    store_t *store;                  //  the engine's rollup, borrowed
    codec_t *codec;                  //  decoder arena and encode scratch
    zsock_t *collect;                //  ROUTER: batches in, acks out
    zsock_t *publish;                //  PUB: changes and heartbeats
    zsock_t *query;                  //  ROUTER: snapshots and queries
    zpoller_t *poller;               //  over collect, query and zap
    const char *catalogue_path;      //  read again for keys
    const char *key_dir;             //  key directory, or NULL
    zap_t *zap;                      //  ZAP handler; NULL when insecure
    zcert_t *certificate;            //  the aggregator's CURVE keys
    site_t *key_site;                //  last site part read for keys
    keyring_t *keyring;              //  who may connect where
    char *key_fingerprint;           //  of the files keys are read from
    int64_t key_checked;             //  when the fingerprint was last taken
    int heartbeat_ms;                //  quiet time before a heartbeat
    int64_t last_heartbeat;          //  when the last heartbeat went out
    uint64_t sequence;               //  state sequence, +1 per Changes
    jt_cell_t *cells;                //  scratch for changes and snapshots
    size_t cell_count;               //  cells filled
    jt_arrival_t *arrivals;          //  scratch for changes and snapshots
    size_t arrival_count;            //  arrivals filled
    int64_t started;                 //  zclock_mono at start, for uptime
    journal_t *journal;              //  the state directory's journal
    journal_policy_t policy;         //  when the journal is written
    bool replaying;                  //  applying the journal at start
    bool dirty;                      //  changed since the last snapshot
    bool snapshot_exists;            //  dir/snapshot is ours
    uint64_t snapshot_generation;    //  the segments dir/snapshot covers
    int64_t snapshot_interval_ms;    //  timer snapshots, 0 for none
    int64_t snapshot_due;            //  zclock_mono of the next one
    pending_ack_t acks[GROUP_MAX];   //  acks of the group gathering
    size_t ack_count;                //  entries used in acks
    pending_ack_t flight[GROUP_MAX]; //  acks of the group being written
    size_t flight_count;             //  entries used in flight
    uint64_t commits;                //  group commits that wrote records
    uint64_t kill_after_commit;      //  test hook: SIGKILL after this one
    uint64_t published;              //  groups whose Changes went out
    uint64_t kill_after_publish;     //  test hook: SIGKILL after this one
    bool failed;                     //  the journal failed: stop, exit 1
};

//  Bind one socket, logging the endpoint actually bound (a "*" port
//  becomes a number). Returns 0 or -1.
static int
s_bind (zsock_t *socket, const char *endpoint, const char *what)
{
    if (zsock_bind (socket, "%s", endpoint) == -1) {
        log_error ("server: cannot bind %s endpoint %s: %s", what, endpoint,
                   zmq_strerror (zmq_errno ()));
        return -1;
    }
    char *bound = zsock_last_endpoint (socket);
    log_info ("server: %s on %s", what, bound);
    freen (bound);
    return 0;
}

//  Write the bound endpoints as key=value lines, atomically, so that a
//  script or test that waits for the file sees the sockets ready.
static int
s_write_endpoints (server_t *self, const char *path)
{
    char temporary[PATH_MAX];
    snprintf (temporary, sizeof temporary, "%s.tmp", path);
    FILE *file = fopen (temporary, "w");
    if (!file) {
        log_error ("server: cannot write %s: %s", temporary, strerror (errno));
        return -1;
    }
    char *collect = zsock_last_endpoint (self->collect);
    char *publish = zsock_last_endpoint (self->publish);
    char *query = zsock_last_endpoint (self->query);
    fprintf (file, "collect=%s\npublish=%s\nquery=%s\n", collect, publish,
             query);
    freen (collect);
    freen (publish);
    freen (query);
    if (fclose (file) != 0 || rename (temporary, path) != 0) {
        log_error ("server: cannot write %s: %s", path, strerror (errno));
        return -1;
    }
    return 0;
}

//  Read the site part of the catalogue file (common/site.h: sources' and
//  subscribers' keys) and the key directory again and build a keyring from
//  them; the domain is not read again. The running catalogue keeps
//  serving figures; only who may connect changes. Returns 0, or -1
//  (logged) keeping the old keyring.
static int
s_load_keys (server_t *self)
{
    char *text = app_read_file (self->catalogue_path);
    char *error = NULL, *warnings = NULL;
    site_t *site = text ? site_new (text, self->catalogue_path, &error) : NULL;
    free (text);
    keyring_t *keyring =
        site ? keyring_new (site, self->key_dir, &warnings, &error) : NULL;
    if (warnings)
        log_warning ("security: %s", warnings);
    freen (warnings);
    if (!keyring) {
        log_error ("security: keys not reloaded: %s",
                   error ? error : strerror (errno));
        freen (error);
        site_destroy (&site);
        return -1;
    }
    keyring_destroy (&self->keyring);
    site_destroy (&self->key_site);
    self->keyring = keyring;
    self->key_site = site;
    size_t collectors = keyring_collector_count (keyring);
    size_t subscribers = keyring_subscriber_count (keyring);
    log_info ("security: %zu collector %s, %zu subscriber %s", collectors,
              jt_plural (collectors, "key", "keys"), subscribers,
              jt_plural (subscribers, "key", "keys"));
    return 0;
}

//  CURVE on every socket and the ZAP handler bound before any of them, so
//  that no connection is ever admitted unchecked (DESIGN §8).
static int
s_security_start (server_t *self, const server_config_t *config)
{
    char *error = NULL;
    if (!config->key_path) {
        log_error ("server: security is on: give --key FILE (the aggregator's "
                   "secret certificate, made by 'jobtally keygen'), or "
                   "--insecure");
        return -1;
    }
    self->certificate = security_load_secret (config->key_path, &error);
    if (!self->certificate) {
        log_error ("server: %s", error);
        freen (error);
        return -1;
    }
    self->key_fingerprint =
        security_watch_fingerprint (self->catalogue_path, self->key_dir);
    self->key_checked = zclock_mono ();
    if (s_load_keys (self))
        return -1;
    self->zap = zap_new ();
    if (!self->zap) {
        log_error ("server: cannot start the ZAP handler");
        return -1;
    }
    security_server_socket (self->collect, self->certificate,
                            SECURITY_DOMAIN_COLLECT);
    security_server_socket (self->publish, self->certificate,
                            SECURITY_DOMAIN_SUBSCRIBE);
    security_server_socket (self->query, self->certificate,
                            SECURITY_DOMAIN_SUBSCRIBE);
    log_info ("server: CURVE on, public key %s",
              zcert_public_txt (self->certificate));
    return 0;
}

//  Reload the keys after SIGHUP, or when the files they come from changed
//  (looked at once a second).
static void
s_watch_keys (server_t *self)
{
    if (!self->zap)
        return;
    bool reload = s_reload_requested;
    if (!reload && zclock_mono () - self->key_checked < KEY_WATCH_MS)
        return;
    s_reload_requested = 0;
    self->key_checked = zclock_mono ();
    char *fingerprint =
        security_watch_fingerprint (self->catalogue_path, self->key_dir);
    if (!streq (fingerprint, self->key_fingerprint))
        reload = true;
    freen (self->key_fingerprint);
    self->key_fingerprint = fingerprint;
    if (reload)
        s_load_keys (self);
}

static void
s_sighup (int signal_number)
{
    (void)signal_number;
    s_reload_requested = 1;
}

void
server_catch_sighup (void)
{
    struct sigaction action;
    memset (&action, 0, sizeof action);
    action.sa_handler = s_sighup;
    sigemptyset (&action.sa_mask);
    sigaction (SIGHUP, &action, NULL);
}

static int s_recover (server_t *self, const server_config_t *config);
static void s_drop_acks (server_t *self);

server_t *
server_new (const catalogue_t *catalogue, const server_config_t *config)
{
    server_t *self = calloc (1, sizeof (server_t));
    assert (self);
    self->catalogue = catalogue;
    self->ingest = ingest_new (catalogue, APP_MAX_BATCH);
    self->store = ingest_store (self->ingest);
    self->started = zclock_mono ();
    self->codec = codec_new (APP_ARENA_LIMIT);
    self->heartbeat_ms = config->heartbeat_ms > 0 ? config->heartbeat_ms : 1000;
    self->cells = malloc (CHANGES_PER_MESSAGE * sizeof (jt_cell_t));
    self->arrivals = malloc (CHANGES_PER_MESSAGE * sizeof (jt_arrival_t));
    assert (self->cells && self->arrivals);

    self->collect = zsock_new (ZMQ_ROUTER);
    self->publish = zsock_new (ZMQ_PUB);
    self->query = zsock_new (ZMQ_ROUTER);
    assert (self->collect && self->publish && self->query);
    //  Acks and snapshot chunks still queued at exit get a second to go.
    app_socket_defaults (self->collect, 1000);
    app_socket_defaults (self->query, 1000);
    app_socket_defaults (self->publish, 1000);
    zsock_set_sndhwm (self->publish, HIGH_WATER_MARK);
    zsock_set_sndhwm (self->query, HIGH_WATER_MARK);
    zsock_set_sndhwm (self->collect, HIGH_WATER_MARK);

    self->catalogue_path = config->catalogue_path;
    self->key_dir = config->key_dir;
    if (config->insecure)
        log_warning ("server: security is off (--insecure): anyone who "
                     "reaches these sockets can report and read figures");
    else if (s_security_start (self, config)) {
        server_destroy (&self);
        return NULL;
    }
    //  The state is whole before any socket is bound.
    if (s_recover (self, config)) {
        server_destroy (&self);
        return NULL;
    }
    if (s_bind (self->collect, config->collect, "collect") ||
        s_bind (self->publish, config->publish, "publish") ||
        s_bind (self->query, config->query, "query") ||
        (config->endpoints_file &&
         s_write_endpoints (self, config->endpoints_file))) {
        server_destroy (&self);
        return NULL;
    }
    self->poller = zpoller_new (self->collect, self->query, NULL);
    assert (self->poller);
    if (journal_writer (self->journal))
        zpoller_add (self->poller, journal_writer (self->journal));
    if (self->zap)
        zpoller_add (self->poller, zap_socket (self->zap));
    self->last_heartbeat = zclock_mono ();
    return self;
}

void
server_destroy (server_t **self_p)
{
    assert (self_p);
    server_t *self = *self_p;
    if (self) {
        zpoller_destroy (&self->poller);
        zsock_destroy (&self->collect);
        zsock_destroy (&self->publish);
        zsock_destroy (&self->query);
        zap_destroy (&self->zap);
        zcert_destroy (&self->certificate);
        keyring_destroy (&self->keyring);
        site_destroy (&self->key_site);
        freen (self->key_fingerprint);
        s_drop_acks (self);
        journal_destroy (&self->journal);
        free (self->cells);
        free (self->arrivals);
        codec_destroy (&self->codec);
        ingest_destroy (&self->ingest);
        free (self);
        *self_p = NULL;
    }
}

//  Publish the cells and arrivals gathered in self->cells and
//  self->arrivals as one Changes message with the next state sequence.
//  Replaying the journal, only the sequence moves; the start then goes on
//  above the reserved sequences (s_recover), so that a subscriber never
//  holds the restarted state's sequence with other cells.
static void
s_publish_cells (server_t *self)
{
    if (self->cell_count == 0 && self->arrival_count == 0)
        return;
    self->sequence++;
    if (!self->replaying &&
        self->sequence > journal_sequence_reserved (self->journal) &&
        journal_sequence_reserve (self->journal,
                                  self->sequence + SEQUENCE_RESERVE) != 0) {
        log_error ("server: cannot write %s/sequence: %s; stopping",
                   journal_dir (self->journal), strerror (errno));
        s_drop_acks (self);
        self->failed = true;
        self->cell_count = 0;
        self->arrival_count = 0;
        return;
    }
    if (self->replaying) {
        self->cell_count = 0;
        self->arrival_count = 0;
        return;
    }
    wire_cells_t changes = {.sequence = self->sequence,
                            .cell_count = self->cell_count,
                            .cells = self->cells,
                            .arrival_count = self->arrival_count,
                            .arrivals = self->arrivals};
    zframe_t *body = codec_encode_changes (self->codec, &changes);
    zsock_send (self->publish, "sf", "changes", body);
    zframe_destroy (&body);
    self->cell_count = 0;
    self->arrival_count = 0;
}

//  Publish every cell the last batch changed, coalesced: one entry per
//  cell with its final value (DESIGN §3.6, §3.7); and every arrival it set
//  or moved earlier, in the same message as the last of the cells.
static void
s_publish_changes (server_t *self)
{
    store_cell_t cell;
    while (store_changes_next (self->store, &cell)) {
        self->cells[self->cell_count++] =
            cell_from_store (self->catalogue, &cell);
        if (self->cell_count == CHANGES_PER_MESSAGE)
            s_publish_cells (self);
    }
    store_arrival_t arrival;
    while (store_arrival_changes_next (self->store, &arrival)) {
        self->arrivals[self->arrival_count++] =
            cell_arrival_from_store (self->catalogue, &arrival);
        if (self->arrival_count == CHANGES_PER_MESSAGE)
            s_publish_cells (self);
    }
    s_publish_cells (self);
}

//  Queue an ack to leave after its group's journal write: the one place
//  acks go out (s_send_acks). Consumes routing_id and body.
static void
s_queue_ack (server_t *self, zframe_t **routing_id, zframe_t **body)
{
    assert (self->ack_count < GROUP_MAX);
    self->acks[self->ack_count++] =
        (pending_ack_t){.routing_id = *routing_id, .body = *body};
    *routing_id = NULL;
    *body = NULL;
}

//  Encode an ack and queue it. Consumes routing_id.
static void
s_answer (server_t *self, zframe_t **routing_id, const jt_ack_t *ack)
{
    zframe_t *body = codec_encode_ack (self->codec, ack);
    s_queue_ack (self, routing_id, &body);
}

//  Send the acks of the group just written, in the order their batches
//  came.
static void
s_send_acks (server_t *self)
{
    for (size_t index = 0; index < self->flight_count; index++) {
        pending_ack_t *pending = &self->flight[index];
        zsock_send (self->collect, "ff", pending->routing_id, pending->body);
        zframe_destroy (&pending->routing_id);
        zframe_destroy (&pending->body);
    }
    self->flight_count = 0;
}

//  Drop every ack unsent, gathering and being written (the journal failed,
//  or the server stops).
static void
s_drop_acks (server_t *self)
{
    for (size_t index = 0; index < self->ack_count; index++) {
        zframe_destroy (&self->acks[index].routing_id);
        zframe_destroy (&self->acks[index].body);
    }
    self->ack_count = 0;
    for (size_t index = 0; index < self->flight_count; index++) {
        zframe_destroy (&self->flight[index].routing_id);
        zframe_destroy (&self->flight[index].body);
    }
    self->flight_count = 0;
}

//  With CURVE, whether a batch may come from the source it names: the
//  source its authenticated key belongs to (the frame's User-Id) must be
//  that one. Returns JT_OK (always without CURVE: the engine then finds the
//  source by its name), or the code with *error.
static jt_error_t
s_authenticate (server_t *self, const jt_batch_t *batch, const char *key,
                const char **error)
{
    if (!self->zap)
        return JT_OK;
    int listed = key ? keyring_source (self->keyring, key) : -1;
    if (listed < 0) {
        *error = "key not allowed (revoked?)";
        return JT_ERR_KEY;
    }
    const char *name = site_source (self->key_site, listed)->id;
    if (catalogue_source_find (self->catalogue, name) < 0) {
        *error = "unknown source: added since start: restart the aggregator";
        return JT_ERR_UNKNOWN_SOURCE;
    }
    if (!streq (name, batch->source)) {
        *error = "key not allowed: source does not match its key";
        return JT_ERR_KEY;
    }
    return JT_OK;
}

//  Who sent a frame, for counting what could not be read as a batch: the
//  source its CURVE key belongs to, else STATS_UNKNOWN.
static int
s_frame_source (server_t *self, zframe_t *frame)
{
    const char *key =
        self->zap && frame ? zframe_meta (frame, "User-Id") : NULL;
    int listed = key ? keyring_source (self->keyring, key) : -1;
    if (listed < 0)
        return STATS_UNKNOWN;
    int source = catalogue_source_find (
        self->catalogue, site_source (self->key_site, listed)->id);
    return source < 0 ? STATS_UNKNOWN : source;
}

//  Log what became of a live batch: refusals always, updates refused or
//  flagged with -v, one line each in batch order.
static void
s_log_result (const jt_batch_t *batch, const ingest_result_t *result)
{
    const jt_ack_t *ack = &result->ack;
    if (result->outcome == INGEST_UNKNOWN_SOURCE) {
        //  The name may be anything: the log shows it made harmless.
        char shown[CHECK_SHOWN_SIZE];
        log_warning ("server: batch %" PRIu64 " from source '%s' refused: %s",
                     batch->sequence, check_shown (batch->source, shown),
                     ack->error);
    } else if (result->outcome == INGEST_BAD_SEQUENCE ||
               result->outcome == INGEST_REUSED ||
               result->outcome == INGEST_REFUSED)
        log_warning ("server: %s #%" PRIu64 ": %s", batch->source,
                     batch->sequence, ack->error);
    if (result->outcome != INGEST_APPLIED ||
        (!ack->rejection_count && !ack->warning_count))
        return;
    size_t refused = 0, flagged = 0;
    while (log_verbose () &&
           (refused < ack->rejection_count || flagged < ack->warning_count)) {
        bool take_refused =
            flagged == ack->warning_count ||
            (refused < ack->rejection_count &&
             ack->rejections[refused].index < ack->warnings[flagged].index);
        const jt_rejection_t *row = take_refused ? &ack->rejections[refused++]
                                                 : &ack->warnings[flagged++];
        log_debug ("server: %s #%" PRIu64 " line %u: %s", batch->source,
                   batch->sequence, row->line, row->reason);
    }
    log_info ("server: %s #%" PRIu64 ": %u applied, %zu refused, %zu "
              "flagged",
              batch->source, batch->sequence, ack->applied,
              ack->rejection_count, ack->warning_count);
}

//  A batch from the collect socket: let the engine decide and apply it,
//  journal it when it changed the source's state, queue its ack. Consumes
//  routing_id.
static void
s_handle_batch (server_t *self, zframe_t **routing_id, zframe_t *body,
                const jt_batch_t *batch, const char *key)
{
    //  Echo the source only when it is an id: it may be anything.
    jt_ack_t refused = {.source =
                            jt_id_valid (batch->source) ? batch->source : "",
                        .sequence = batch->sequence};
    jt_error_t code = s_authenticate (self, batch, key, &refused.error);
    if (code != JT_OK) {
        stats_refused (ingest_stats (self->ingest), STATS_UNKNOWN, code);
        char shown[CHECK_SHOWN_SIZE];
        log_warning ("server: batch %" PRIu64 " from source '%s' refused: %s",
                     batch->sequence, check_shown (batch->source, shown),
                     refused.error);
        s_answer (self, routing_id, &refused);
        return;
    }
    //  Today by the aggregator's clock: the day of an update that gives
    //  none, the limit of those that do, and the day its month must have
    //  begun by. Journaled with the batch, so that replay decides alike.
    int today = app_today ();
    uint64_t digest = ingest_digest (zframe_data (body), zframe_size (body));
    ingest_result_t result;
    ingest_batch (self->ingest, batch, digest, today, NULL, &result);
    s_log_result (batch, &result);
    if (result.changed) {
        //  A batch refused whole is journaled as its refusal alone: it may
        //  be megabytes of updates that replay would only refuse again.
        journal_refusal_t kept = {.sequence = batch->sequence,
                                  .previous = batch->previous,
                                  .digest = digest,
                                  .code = result.refusal,
                                  .reason = result.ack.error};
        journal_record_t record = {
            .source = catalogue_source (self->catalogue, result.source)->id,
            .day = today,
            .batch = zframe_data (body),
            .size = zframe_size (body),
            .refusal = result.refusal != JT_OK ? &kept : NULL};
        journal_append (self->journal, &record);
        self->dirty = true;
    }
    s_answer (self, routing_id, &result.ack);
}

static void
s_handle_collect (server_t *self)
{
    zmsg_t *msg = zmsg_recv (self->collect);
    if (!msg)
        return;
    zframe_t *routing_id = zmsg_pop (msg);
    zframe_t *body = zmsg_pop (msg);
    if (!routing_id || !body || zmsg_size (msg) != 0) {
        stats_refused (ingest_stats (self->ingest), s_frame_source (self, body),
                       JT_ERR_FRAMES);
        size_t frames = zmsg_size (msg) + (body ? 1 : 0);
        log_warning ("server: collect message with %zu %s refused", frames,
                     jt_plural (frames, "frame", "frames"));
        jt_ack_t ack = {.error =
                            "wrong frame count: expected one frame, a Batch"};
        if (routing_id)
            s_answer (self, &routing_id, &ack);
    } else {
        const char *error = NULL;
        jt_msg_type_t type = codec_decode (self->codec, zframe_data (body),
                                           zframe_size (body), &error);
        if (type == JT_MSG_BATCH)
            s_handle_batch (self, &routing_id, body, codec_batch (self->codec),
                            zframe_meta (body, "User-Id"));
        else {
            stats_refused (
                ingest_stats (self->ingest), s_frame_source (self, body),
                type == JT_MSG_NONE ? JT_ERR_MALFORMED : JT_ERR_WRONG_TYPE);
            jt_ack_t ack = {.error = error ? error
                                           : "wrong message type: expected "
                                             "a Batch on the collect socket"};
            log_warning ("server: collect frame of %zu %s refused: %s",
                         zframe_size (body),
                         jt_plural (zframe_size (body), "byte", "bytes"),
                         ack.error);
            s_answer (self, &routing_id, &ack);
        }
    }
    zframe_destroy (&routing_id);
    zframe_destroy (&body);
    zmsg_destroy (&msg);
}

//  The journal failed: stop with no ack sent. Memory is ahead of disk,
//  and a restart recovers.
static void
s_journal_failed (server_t *self)
{
    size_t unacknowledged = self->ack_count + self->flight_count;
    log_error ("server: cannot write the journal %s: %s; stopping "
               "without acknowledging %zu %s (a restart recovers)",
               journal_path (self->journal), strerror (errno), unacknowledged,
               jt_plural (unacknowledged, "batch", "batches"));
    s_drop_acks (self);
    self->failed = true;
}

//  The group in flight is on disk (written records, 0 for none): its acks
//  leave.
static void
s_committed (server_t *self, int written)
{
    if (written > 0) {
        self->commits++;
        //  Test hook (docs/operations.md): die with the group durable and
        //  its acks unsent.
        if (self->kill_after_commit && self->commits == self->kill_after_commit)
            raise (SIGKILL);
    }
    s_send_acks (self);
}

//  The gathered group and its acks go to the journal. Under the durable
//  policy the writer thread has it until s_commit_end; otherwise it is
//  written now and its acks leave at once.
static void
s_commit_start (server_t *self)
{
    assert (self->flight_count == 0);
    memcpy (self->flight, self->acks, self->ack_count * sizeof (pending_ack_t));
    self->flight_count = self->ack_count;
    self->ack_count = 0;
    int written = journal_commit_start (self->journal);
    if (written < 0)
        s_journal_failed (self);
    else if (!journal_committing (self->journal))
        s_committed (self, written);
}

//  Wait for the writer to finish the group in flight, send its acks, and
//  hand it the group gathered meanwhile, if any.
static void
s_commit_end (server_t *self)
{
    int written = journal_commit_end (self->journal);
    if (written < 0) {
        s_journal_failed (self);
        return;
    }
    s_committed (self, written);
    if (self->ack_count > 0 || journal_group_size (self->journal) > 0)
        s_commit_start (self);
}

//  Until every group handled is on disk and acked: before a snapshot, and
//  at a stop.
static void
s_drain (server_t *self)
{
    while (!self->failed && journal_committing (self->journal))
        s_commit_end (self);
}

static bool
s_group_full (server_t *self)
{
    return self->ack_count >= GROUP_MAX ||
           journal_group_size (self->journal) >= GROUP_BYTES;
}

//  One group: handle the batches waiting on the collect socket (until the
//  group holds GROUP_MAX, or its records pass GROUP_BYTES) without
//  blocking, publish what they changed in one Changes, and commit them. A
//  batch's ack leaves only once its journal record is on disk (fsynced, by
//  policy), with every ack before it. Under the durable policy the fsync
//  runs in the journal's writer thread: while it runs, the next group is
//  applied and published, and it is committed when the writer is done. A
//  figure may thus be published before it is durable. A crash then loses
//  it from memory, never from the collector's outbox: unacked, it is sent
//  again and applied as before (docs/reliability.md).
static void
s_handle_group (server_t *self)
{
    if (journal_commit_ready (self->journal) ||
        (s_group_full (self) && journal_committing (self->journal)))
        s_commit_end (self);
    if (self->failed)
        return;
    store_changes_begin (self->store);
    for (int count = 0; !s_group_full (self); count++) {
        if (count > 0 && !(zsock_events (self->collect) & ZMQ_POLLIN))
            break;
        s_handle_collect (self);
    }
    uint64_t sequence = self->sequence;
    s_publish_changes (self);
    if (self->failed)
        return;
    //  Test hook (docs/operations.md): die with the group's Changes out (a
    //  moment for the publisher's I/O thread to send them) and its journal
    //  records not yet handed to the writer.
    if (self->sequence != sequence && self->kill_after_publish &&
        ++self->published == self->kill_after_publish) {
        zclock_sleep (200);
        raise (SIGKILL);
    }
    if (journal_commit_ready (self->journal))
        s_commit_end (self);
    else if (!journal_committing (self->journal))
        s_commit_start (self);
}

static int
s_snapshot_cell (const store_cell_t *cell, void *arg)
{
    server_t *self = (server_t *)arg;
    self->cells[self->cell_count++] = cell_from_store (self->catalogue, cell);
    return 0;
}

static int
s_snapshot_arrival (const store_arrival_t *arrival, void *arg)
{
    server_t *self = (server_t *)arg;
    self->arrivals[self->arrival_count++] =
        cell_arrival_from_store (self->catalogue, arrival);
    return 0;
}

//  Send the whole state to one subscriber in chunks, each stamped with the
//  current state sequence; the last chunk says so (the Clone pattern).
static void
s_send_snapshot (server_t *self, zframe_t *routing_id)
{
    //  Gather all cells and arrivals first: the snapshot must be one
    //  consistent state.
    size_t total = store_cell_count (self->store);
    jt_cell_t *all = malloc ((total + 1) * sizeof (jt_cell_t));
    size_t arrival_total = store_arrival_count (self->store);
    jt_arrival_t *all_arrivals =
        malloc ((arrival_total + 1) * sizeof (jt_arrival_t));
    assert (all && all_arrivals);
    jt_cell_t *saved = self->cells;
    jt_arrival_t *saved_arrivals = self->arrivals;
    self->cells = all;
    self->cell_count = 0;
    self->arrivals = all_arrivals;
    self->arrival_count = 0;
    store_visit (self->store, s_snapshot_cell, self);
    store_visit_arrivals (self->store, s_snapshot_arrival, self);
    assert (self->cell_count == total);
    assert (self->arrival_count == arrival_total);
    self->cells = saved;
    self->cell_count = 0;
    self->arrivals = saved_arrivals;
    self->arrival_count = 0;

    //  Each chunk carries up to SNAPSHOT_CHUNK of each.
    size_t sent = 0, arrivals_sent = 0;
    do {
        size_t count =
            total - sent < SNAPSHOT_CHUNK ? total - sent : SNAPSHOT_CHUNK;
        size_t arrival_count = arrival_total - arrivals_sent < SNAPSHOT_CHUNK
                                   ? arrival_total - arrivals_sent
                                   : SNAPSHOT_CHUNK;
        wire_cells_t chunk = {.sequence = self->sequence,
                              .last = sent + count == total &&
                                      arrivals_sent + arrival_count ==
                                          arrival_total,
                              .cell_count = count,
                              .cells = all + sent,
                              .arrival_count = arrival_count,
                              .arrivals = all_arrivals + arrivals_sent};
        zframe_t *body = codec_encode_snapshot (self->codec, &chunk);
        zsock_send (self->query, "ff", routing_id, body);
        zframe_destroy (&body);
        sent += count;
        arrivals_sent += arrival_count;
    } while (sent < total || arrivals_sent < arrival_total);
    free (all);
    free (all_arrivals);
    if (log_verbose ())
        log_debug ("server: snapshot of %zu %s and %zu %s at sequence "
                   "%" PRIu64,
                   total, jt_plural (total, "cell", "cells"), arrival_total,
                   jt_plural (arrival_total, "arrival", "arrivals"),
                   self->sequence);
}

//  Answer a Query with the derived figures of one region and period.
static void
s_send_query_reply (server_t *self, zframe_t *routing_id,
                    const wire_query_t *query)
{
    //  Echo the region only when it is an id: it may be anything.
    wire_query_reply_t reply = {
        .region = jt_id_valid (query->region) ? query->region : "",
        .period = query->period,
        .sequence = self->sequence};
    int region = catalogue_region_find (self->catalogue, query->region);
    int period = period_from_yyyymm (query->period);
    int figure_count = catalogue_figure_count (self->catalogue);
    figure_row_t *rows = calloc (figure_count + 1, sizeof (figure_row_t));
    assert (rows);
    if (region < 0)
        reply.error = "unknown region";
    else if (period == PERIOD_NONE)
        reply.error = "bad period";
    else {
        int reported, expected;
        store_coverage (self->store, region, period, &reported, &expected);
        reply.reported = reported;
        reply.expected = expected;
        for (int figure = 0; figure < figure_count; figure++)
            figures_row (self->catalogue, self->store, region, figure, period,
                         &rows[figure]);
        reply.rows = rows;
        reply.row_count = figure_count;
    }
    zframe_t *body = codec_encode_query_reply (self->codec, &reply);
    zsock_send (self->query, "ff", routing_id, body);
    zframe_destroy (&body);
    free (rows);
}

//  Answer a StatsRequest with the counters since the start.
static void
s_send_stats (server_t *self, zframe_t *routing_id)
{
    wire_stats_t *stats =
        stats_wire (ingest_stats (self->ingest), self->catalogue,
                    (uint64_t)(zclock_mono () - self->started), self->sequence,
                    self->zap ? zap_refused (self->zap) : 0);
    zframe_t *body = codec_encode_stats (self->codec, stats);
    free (stats);
    zsock_send (self->query, "ff", routing_id, body);
    zframe_destroy (&body);
}

//  Refuse a frame on the query socket: counted, logged, answered with a
//  QueryReply that says why when there is someone to answer.
static void
s_refuse_query (server_t *self, zframe_t *routing_id, const char *error)
{
    stats_query_refused (ingest_stats (self->ingest));
    log_warning ("server: query frame refused: %s", error);
    if (!routing_id)
        return;
    wire_query_reply_t reply = {.error = error};
    zframe_t *answer = codec_encode_query_reply (self->codec, &reply);
    zsock_send (self->query, "ff", routing_id, answer);
    zframe_destroy (&answer);
}

static void
s_handle_query (server_t *self)
{
    zmsg_t *msg = zmsg_recv (self->query);
    if (!msg)
        return;
    zframe_t *routing_id = zmsg_pop (msg);
    zframe_t *body = zmsg_pop (msg);
    if (!routing_id || !body || zmsg_size (msg) != 0)
        s_refuse_query (self, routing_id,
                        "wrong frame count: expected one frame");
    else {
        const char *error = NULL;
        jt_msg_type_t type = codec_decode (self->codec, zframe_data (body),
                                           zframe_size (body), &error);
        if (type == JT_MSG_SNAPSHOT_REQUEST)
            s_send_snapshot (self, routing_id);
        else if (type == JT_MSG_QUERY) {
            //  The query's strings live in the decode arena; copy the
            //  region id before encoding reuses nothing of it.
            wire_query_t query = *codec_query (self->codec);
            char *region = strdup (query.region);
            query.region = region;
            s_send_query_reply (self, routing_id, &query);
            free (region);
        } else if (type == JT_MSG_STATS_REQUEST)
            s_send_stats (self, routing_id);
        else
            s_refuse_query (self, routing_id,
                            error ? error
                                  : "wrong message type: expected a "
                                    "SnapshotRequest, Query or StatsRequest");
    }
    zframe_destroy (&routing_id);
    zframe_destroy (&body);
    zmsg_destroy (&msg);
}

//  A heartbeat with the state sequence every heartbeat interval, busy or
//  not: a subscriber that hears none, or hears a sequence it does not
//  hold, fetches the snapshot again.
static void
s_heartbeat (server_t *self)
{
    if (zclock_mono () - self->last_heartbeat < self->heartbeat_ms)
        return;
    zframe_t *body = codec_encode_heartbeat (self->codec, self->sequence);
    zsock_send (self->publish, "sf", "heartbeat", body);
    zframe_destroy (&body);
    self->last_heartbeat = zclock_mono ();
}

//  Each source's exactly-once state as the snapshot file keeps it, its
//  latest ack encoded. Returns a fresh array that s_sources_free frees.
static source_state_t *
s_sources_save (server_t *self)
{
    int count = catalogue_source_count (self->catalogue);
    source_state_t *sources = calloc (count + 1, sizeof (source_state_t));
    assert (sources);
    for (int index = 0; index < count; index++) {
        const ingest_source_t *source = ingest_source (self->ingest, index);
        sources[index] = (source_state_t){
            .applied = source->applied,
            .last_ack_sequence = source->last_ack_sequence,
            .last_ack_digest = source->last_ack_digest,
            .last_ack = source->last_ack
                            ? codec_encode_ack (self->codec, source->last_ack)
                            : NULL};
    }
    return sources;
}

static void
s_sources_free (server_t *self, source_state_t **sources_p)
{
    int count = catalogue_source_count (self->catalogue);
    for (int index = 0; index < count; index++)
        zframe_destroy (&(*sources_p)[index].last_ack);
    free (*sources_p);
    *sources_p = NULL;
}

//  Give the engine each source's state as a snapshot file (path) kept it.
//  Returns 0, or -1 with *error when a kept ack is not an ack.
static int
s_sources_restore (server_t *self, const source_state_t *sources,
                   const char *path, char **error)
{
    int count = catalogue_source_count (self->catalogue);
    for (int index = 0; index < count; index++) {
        const source_state_t *source = &sources[index];
        const char *reason = NULL;
        if (source->last_ack &&
            codec_decode (self->codec, zframe_data (source->last_ack),
                          zframe_size (source->last_ack),
                          &reason) != JT_MSG_ACK) {
            *error = zsys_sprintf (
                "%s: the last ack kept for source '%s' is not an ack: %s", path,
                catalogue_source (self->catalogue, index)->id,
                reason ? reason : "another message");
            return -1;
        }
        ingest_restore (self->ingest, index, &source->applied,
                        source->last_ack_sequence, source->last_ack_digest,
                        source->last_ack ? codec_ack (self->codec) : NULL);
    }
    return 0;
}

//  Snapshot the state: start the next journal segment, write the snapshot
//  covering the ones before, and trim the segments that the snapshot it
//  replaces (now snapshot.prev) covered, so that snapshot.prev and the
//  segments after it can still rebuild the state (--rebuild). Returns 0,
//  or -1 (logged; the journal still holds everything).
static int
s_snapshot (server_t *self)
{
    s_drain (self);
    if (self->failed)
        return -1;
    int64_t started = zclock_mono ();
    snapshot_state_t state = {.sequence = self->sequence};
    if (journal_rotate (self->journal, &state.generation) != 0) {
        log_error ("server: snapshot not taken: cannot create the next "
                   "journal segment %s: %s",
                   journal_path (self->journal), strerror (errno));
        return -1;
    }
    char *error = NULL;
    state.sources = s_sources_save (self);
    int rc = snapshot_save (journal_dir (self->journal),
                            journal_dir_fd (self->journal), self->catalogue,
                            self->store, &state, &error);
    s_sources_free (self, &state.sources);
    if (rc != 0) {
        log_error ("server: snapshot not taken: %s", error);
        freen (error);
        return -1;
    }
    if (self->snapshot_exists)
        journal_trim (self->journal, self->snapshot_generation);
    self->snapshot_exists = true;
    self->snapshot_generation = state.generation;
    self->dirty = false;
    size_t cells = store_cell_count (self->store);
    size_t arrivals = store_arrival_count (self->store);
    log_info ("server: snapshot at sequence %" PRIu64 ": %zu %s, %zu %s, "
              "journal through segment %" PRIu64 " (%" PRId64 " ms)",
              self->sequence, cells, jt_plural (cells, "cell", "cells"),
              arrivals, jt_plural (arrivals, "arrival", "arrivals"),
              state.generation, zclock_mono () - started);
    return 0;
}

//  Forget all state: an empty store, no source has anything applied.
static void
s_reset_state (server_t *self)
{
    ingest_reset (self->ingest);
    self->sequence = 0;
}

//  Load one snapshot file into the reset state. Returns 1 loaded, 0 none,
//  -1 with *error.
static int
s_load_snapshot (server_t *self, const char *name, uint64_t *generation,
                 char **error)
{
    char *path = zsys_sprintf ("%s/%s", journal_dir (self->journal), name);
    int count = catalogue_source_count (self->catalogue);
    snapshot_state_t state = {.sources =
                                  calloc (count + 1, sizeof (source_state_t))};
    assert (state.sources);
    int rc = snapshot_load (path, self->catalogue, self->store, &state, error);
    if (rc == 1 && s_sources_restore (self, state.sources, path, error) != 0)
        rc = -1;
    s_sources_free (self, &state.sources);
    zstr_free (&path);
    self->sequence = state.sequence;
    *generation = rc == 1 ? state.generation : 0;
    return rc;
}

//  What replaying the journal at start has done so far.
typedef struct {
    server_t *server; //  the server replaying
    uint64_t updates; //  updates applied
} replay_t;

//  One journal record at start: the very engine entry live batches take,
//  with the day they came on; the ack is dropped (it was sent, or never
//  will be).
static int
s_replay_record (const journal_record_t *record, void *arg)
{
    replay_t *replay = (replay_t *)arg;
    server_t *self = replay->server;
    if (catalogue_source_find (self->catalogue, record->source) < 0) {
        log_error ("server: the journal holds batches of source '%s', which "
                   "is not in the catalogue any more; put it back",
                   record->source);
        return -1;
    }
    const char *error = NULL;
    const journal_refusal_t *refused = record->refusal;
    //  A refusal kept alone stands for a batch of no updates.
    jt_batch_t refused_batch = {.source = record->source,
                                .sequence = refused ? refused->sequence : 0,
                                .previous = refused ? refused->previous : 0};
    if (!refused && codec_decode (self->codec, record->batch, record->size,
                                  &error) != JT_MSG_BATCH) {
        log_error ("server: a journal record of %s is not a batch: %s",
                   record->source, error ? error : "another message");
        return -1;
    }
    ingest_replay_t kept = {.refusal = refused ? refused->code : JT_OK,
                            .reason = refused ? refused->reason : NULL};
    store_changes_begin (self->store);
    ingest_result_t result;
    ingest_batch (
        self->ingest, refused ? &refused_batch : codec_batch (self->codec),
        refused ? refused->digest : ingest_digest (record->batch, record->size),
        record->day, &kept, &result);
    if (result.changed)
        replay->updates += result.ack.applied;
    s_publish_changes (self);
    return 0;
}

static bool
s_state_file_exists (server_t *self, const char *name)
{
    char *path = zsys_sprintf ("%s/%s", journal_dir (self->journal), name);
    bool exists = zsys_file_exists (path);
    zstr_free (&path);
    return exists;
}

//  Open the state directory, load the snapshot and replay the journal
//  after it. A snapshot that cannot be used stops the start unless
//  config->rebuild, which then starts from snapshot.prev (or from nothing)
//  and replays every segment after it. Returns 0, or -1 (logged).
static int
s_recover (server_t *self, const server_config_t *config)
{
    int64_t started = zclock_mono ();
    const char *dir =
        config->state_dir ? config->state_dir : "aggregator-state";
    self->policy = (journal_policy_t)config->journal_policy;
    char *error = NULL;
    self->journal = journal_new (dir, self->policy, &error);
    if (!self->journal) {
        log_error ("server: %s", error);
        freen (error);
        return -1;
    }
    if (self->policy == JOURNAL_OFF)
        log_warning ("server: the journal is off (--journal off): batches "
                     "acknowledged since the last clean stop are lost if "
                     "the aggregator dies");
    uint64_t generation = 0;
    int loaded = s_load_snapshot (self, "snapshot", &generation, &error);
    uint64_t first = journal_first_segment (self->journal);
    //  Without a snapshot, the journal must start at its first segment and
    //  no older snapshot may be lying about: else state is missing.
    const char *problem = error;
    char missing[PATH_MAX + 200] = "";
    if (loaded == 0 && s_state_file_exists (self, "snapshot.prev")) {
        snprintf (missing, sizeof missing,
                  "%s/snapshot is missing but snapshot.prev is there", dir);
        problem = missing;
    } else if (loaded == 0 && first > 1) {
        snprintf (missing, sizeof missing,
                  "%s: there is no snapshot and the journal starts at "
                  "segment %" PRIu64 ": segments before it are gone",
                  dir, first);
        problem = missing;
    }
    if (problem && !config->rebuild) {
        log_error ("server: %s; the aggregator will not start on it: "
                   "start it once with --rebuild to rebuild the state from "
                   "snapshot.prev and the journal",
                   problem);
        freen (error);
        return -1;
    }
    if (problem) {
        log_warning ("server: rebuilding (--rebuild): %s", problem);
        freen (error);
        if (loaded < 0) {
            char *from = zsys_sprintf ("%s/snapshot", dir);
            char *to = zsys_sprintf ("%s/snapshot.corrupt", dir);
            if (rename (from, to) == 0)
                log_warning ("server: the bad snapshot is kept as %s", to);
            zstr_free (&from);
            zstr_free (&to);
        }
        s_reset_state (self);
        loaded = s_load_snapshot (self, "snapshot.prev", &generation, &error);
        if (loaded < 0) {
            log_warning ("server: snapshot.prev cannot be used either: %s",
                         error);
            freen (error);
            s_reset_state (self);
            generation = 0;
        }
        if (loaded != 1 && first > 1)
            log_warning ("server: journal segments before %" PRIu64
                         " are gone: the figures of batches only they held "
                         "are lost; collectors must send them again",
                         first);
        self->dirty = true; //  a fresh snapshot at once
    } else if (loaded == 1) {
        self->snapshot_exists = true;
        self->snapshot_generation = generation;
    }
    uint64_t snapshot_sequence = self->sequence;
    size_t snapshot_cells = store_cell_count (self->store);
    //  Replay is not counted: the counters a StatsRequest and the stop line
    //  tell are this run's.
    replay_t replay = {.server = self};
    self->replaying = true;
    int64_t records =
        journal_replay (self->journal, generation, config->rebuild,
                        s_replay_record, &replay, &error);
    self->replaying = false;
    if (records < 0) {
        log_error ("server: %s", error);
        freen (error);
        return -1;
    }
    //  Changes go out before their group's fsync, so a subscriber may hold
    //  a sequence (and cells) that a crash took back. The state goes on
    //  above every sequence the last run may have published, so that no
    //  subscriber takes the recovered state for the one it holds.
    //  State kept without a reservation (written by a version before it,
    //  or the file removed) steps by one reservation.
    uint64_t reserved = journal_sequence_reserved (self->journal);
    if (reserved > 0 && reserved >= self->sequence)
        self->sequence = reserved + 1;
    else if (reserved == 0 && (loaded == 1 || records > 0))
        self->sequence += SEQUENCE_RESERVE;
    if (journal_sequence_reserve (self->journal,
                                  self->sequence + SEQUENCE_RESERVE) != 0) {
        log_error ("server: cannot write %s/sequence: %s",
                   journal_dir (self->journal), strerror (errno));
        return -1;
    }
    log_info ("server: state recovered from %s: snapshot at sequence "
              "%" PRIu64 " with %zu %s, %" PRId64 " %s and %" PRIu64
              " %s replayed, sequence %" PRIu64 ", %" PRId64 " ms",
              dir, snapshot_sequence, snapshot_cells,
              jt_plural (snapshot_cells, "cell", "cells"), records,
              jt_plural ((uint64_t)records, "batch", "batches"), replay.updates,
              jt_plural (replay.updates, "update", "updates"), self->sequence,
              zclock_mono () - started);
    if (records > 0)
        self->dirty = true;
    if (config->rebuild && s_snapshot (self) != 0)
        return -1;
    self->snapshot_interval_ms =
        self->policy == JOURNAL_OFF
            ? 0
            : (int64_t)config->snapshot_interval_s * 1000;
    self->snapshot_due = zclock_mono () + self->snapshot_interval_ms;
    const char *hooks[] = {"JT_FAULT_KILL_AFTER_COMMIT",
                           "JT_FAULT_KILL_AFTER_PUBLISH"};
    uint64_t *counts[] = {&self->kill_after_commit, &self->kill_after_publish};
    for (int index = 0; index < 2; index++) {
        const char *hook = getenv (hooks[index]);
        if (hook && *hook) {
            *counts[index] = strtoull (hook, NULL, 10);
            log_error ("server: TEST HOOK ON: %s=%s: this aggregator kills "
                       "itself (SIGKILL) after %s %" PRIu64
                       "; never set it in production",
                       hooks[index], hook,
                       index == 0 ? "group commit" : "published group",
                       *counts[index]);
        }
    }
    return 0;
}

//  After a group, serve up to OTHERS_PER_GROUP of what waits on the query
//  and ZAP sockets: zpoller returns the first ready socket in the order
//  they were added, collect first, so a steady stream of batches would keep
//  queries and new connections waiting for as long as it lasts.
static void
s_serve_others (server_t *self)
{
    for (int count = 0;
         count < OTHERS_PER_GROUP && (zsock_events (self->query) & ZMQ_POLLIN);
         count++)
        s_handle_query (self);
    for (int count = 0; self->zap && count < OTHERS_PER_GROUP &&
                        (zsock_events (zap_socket (self->zap)) & ZMQ_POLLIN);
         count++)
        zap_handle (self->zap, self->keyring);
}

int
server_run (server_t *self)
{
    int regions = catalogue_region_count (self->catalogue);
    int indicators = catalogue_indicator_count (self->catalogue);
    log_info ("server: serving %d %s, %d %s", regions,
              jt_plural ((uint64_t)regions, "region", "regions"), indicators,
              jt_plural ((uint64_t)indicators, "indicator", "indicators"));
    while (!zsys_interrupted && !self->failed) {
        void *which = zpoller_wait (self->poller, self->heartbeat_ms);
        if (which == self->collect) {
            s_handle_group (self);
            if (!self->failed)
                s_serve_others (self);
        } else if (which == self->query)
            s_handle_query (self);
        else if (self->zap && which == zap_socket (self->zap))
            zap_handle (self->zap, self->keyring);
        else if (which && which == journal_writer (self->journal) &&
                 journal_committing (self->journal))
            s_commit_end (self);
        else if (zpoller_terminated (self->poller) && zsys_interrupted)
            break;
        //  The poller answers the first ready socket, collect and query
        //  before the writer: its end is looked for on every turn, or
        //  busy sockets would hold back acks already durable.
        if (!self->failed && journal_commit_ready (self->journal))
            s_commit_end (self);
        if (self->failed)
            break;
        if (journal_tick (self->journal) != 0) {
            log_error ("server: cannot fsync the journal %s: %s; stopping",
                       journal_path (self->journal), strerror (errno));
            self->failed = true;
            break;
        }
        s_heartbeat (self);
        s_watch_keys (self);
        if (self->snapshot_interval_ms && self->dirty &&
            zclock_mono () >= self->snapshot_due) {
            s_snapshot (self);
            self->snapshot_due = zclock_mono () + self->snapshot_interval_ms;
        }
    }
    //  The last groups' acks still go. Memory may be ahead of the journal
    //  after a failure: no snapshot then, a restart recovers from what is
    //  on disk.
    s_drain (self);
    int status = self->failed ? 1 : 0;
    if (!self->failed && self->dirty && s_snapshot (self) != 0)
        status = 1;
    const stats_t *stats = ingest_stats (self->ingest);
    uint64_t batches = stats_batches (stats);
    uint64_t updates = stats_updates (stats);
    uint64_t duplicates = stats_duplicates (stats);
    uint64_t connections = self->zap ? zap_refused (self->zap) : 0;
    log_info ("server: stopping: %" PRIu64 " %s, %" PRIu64 " %s applied, "
              "%" PRIu64 " refused, %" PRIu64 " duplicate %s, %" PRIu64
              " %s refused, %" PRIu64 " flagged, state sequence %" PRIu64,
              batches, jt_plural (batches, "batch", "batches"), updates,
              jt_plural (updates, "update", "updates"), stats_refusals (stats),
              duplicates, jt_plural (duplicates, "batch", "batches"),
              connections, jt_plural (connections, "connection", "connections"),
              stats_flags (stats), self->sequence);
    return status;
}
