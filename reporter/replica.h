/*  replica.h — a subscriber's copy of the aggregator's state, kept by the
    Clone pattern (DESIGN §1): the SUB socket subscribes first, then the
    snapshot is fetched over a DEALER on the query socket, then published
    Changes newer than the snapshot are applied in order. A gap in the
    sequence (or a heartbeat ahead of or behind the replica, or silence
    longer than heartbeats allow) re-fetches the snapshot. Arrivals (the day
   each leaf's report for a month first came) are replicated beside the cells,
   so that summaries can tell on time from late. Cells naming a region or
   indicator the catalogue does not know are logged and skipped, never fatal. */
#ifndef JT_REPLICA_H_INCLUDED
#define JT_REPLICA_H_INCLUDED

#include <czmq.h>

#include "catalogue.h"
#include "store.h"

typedef struct _replica_t replica_t;

//  One cell changed by a Changes message, for `watch` and the alerts.
typedef struct {
    uint64_t sequence;    //  state sequence of the Changes message
    store_cell_t cell;    //  the cell with its value now
    bool had_value;       //  the cell was present before
    jt_value_t old_value; //  its value before, when had_value
} replica_change_t;

typedef void (replica_change_fn) (const replica_change_t *change, void *arg);

//  Create a replica for a catalogue, which it borrows and which must
//  outlive it, with its SUB socket connected and subscribed to
//  publish_endpoint and its DEALER connected to query_endpoint. Nothing is
//  fetched yet: call replica_sync. NULL (and a log line) when an endpoint
//  is not valid.
replica_t *replica_new (const catalogue_t *catalogue,
                        const char *publish_endpoint,
                        const char *query_endpoint);

//  Destroy a replica; NULL-safe, nulls the caller's pointer.
void replica_destroy (replica_t **self_p);

//  Fetch the snapshot and make it the replica's state, waiting at most
//  timeout_ms for each chunk; later re-syncs use the same timeout. On
//  failure returns -1, keeps the previous state (marked stale) and sets
//  replica_error ("no answer from aggregator at ENDPOINT").
int replica_sync (replica_t *self, int timeout_ms);

//  Why the last replica_sync or replica_handle failed. Borrowed.
const char *replica_error (replica_t *self);

//  The SUB socket, for the caller's poller. Borrowed.
zsock_t *replica_socket (replica_t *self);

//  Receive one published message (call when replica_socket is readable)
//  and apply it; each cell it changes is passed to changed (may be NULL).
//  A gap re-syncs first. Returns 0, or -1 when a needed re-sync failed
//  (the next message tries again). Malformed messages are logged and
//  dropped.
int replica_handle (replica_t *self, replica_change_fn *changed, void *arg);

//  The aggregator sends a heartbeat every second even when idle; a
//  replica that heard nothing (no change, no heartbeat) for longer than
//  silence_ms may have lost its connection or missed a restart, so it
//  fetches the snapshot again. Call when the poller times out. Returns 0
//  (still in touch, or re-synced), or -1 when the re-sync failed; the next
//  attempt waits another silence_ms.
#define REPLICA_SILENCE_MS 5000
int replica_check_silence (replica_t *self, int silence_ms);

//  The replicated state. Borrowed.
const store_t *replica_store (replica_t *self);

//  State sequence the replica stands at.
uint64_t replica_sequence (replica_t *self);

//  Number of snapshot loads so far (1 after the first replica_sync).
size_t replica_sync_count (replica_t *self);

#endif
