/*  server.h — the aggregator's one loop: batches in on the collect socket
    (ROUTER), acks out; every change published on the PUB socket with a
    state sequence; snapshots and queries answered on the query socket
    (ROUTER). The exactly-once rules and the state live in the core ingest
    engine (core/ingest.h); see docs/protocol.md. */
#ifndef JT_SERVER_H_INCLUDED
#define JT_SERVER_H_INCLUDED

#include "app.h"
#include "store.h"

typedef struct {
    const char *collect;        //  endpoint to bind for collectors
    const char *publish;        //  endpoint to bind for subscribers
    const char *query;          //  endpoint to bind for snapshots, queries
    int heartbeat_ms;           //  publish a heartbeat after this much quiet
    const char *endpoints_file; //  write the bound endpoints here, or NULL
    bool insecure;              //  plain TCP: no CURVE, no ZAP
    const char *key_path;       //  the aggregator's secret certificate
    const char *key_dir;        //  key directory (security.h), or NULL
    const char *catalogue_path; //  re-read for keys on change or SIGHUP
    const char *state_dir;      //  journal, snapshots and lock
    int journal_policy;         //  journal_policy_t (journal.h)
    int snapshot_interval_s;    //  snapshot this often, 0 only on exit
    bool rebuild;               //  a bad snapshot: rebuild from the journal
} server_config_t;

typedef struct _server_t server_t;

//  Recover the state from the state directory (snapshot, then journal),
//  then bind the sockets; the catalogue is borrowed and must outlive the
//  server. NULL (with the reason logged) when the state cannot be
//  recovered or an endpoint cannot be bound.
server_t *server_new (const catalogue_t *catalogue,
                      const server_config_t *config);

void server_destroy (server_t **self_p);

//  Make SIGHUP reload the keys (catalogue and key directory) instead of
//  ending the process.
void server_catch_sighup (void);

//  Serve until SIGINT or SIGTERM, then snapshot the state. Returns 0, or
//  1 when the journal could not be written (no ack was sent for what it
//  missed) or the last snapshot failed.
int server_run (server_t *self);

#endif
