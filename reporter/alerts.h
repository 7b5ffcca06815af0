/*  alerts.h — the reporter's alert output: the catalogue's rules (core
    rules_t) evaluated against the replica, each notice sent as one JSON
    line (stdout or a file), on the alert stream (a PUB socket; topic
    "<severity> <region>" so a tool can subscribe to "critical" only) and
    optionally to syslog; the alert state kept in a file so that a
    restarted reporter neither forgets a firing alert nor sends it again.
    See docs/protocol.md, "The alert stream". */
#ifndef JT_ALERTS_H_INCLUDED
#define JT_ALERTS_H_INCLUDED

#include <czmq.h>
#include "rules.h"
#include "site.h"
#include "wording.h"

typedef struct {
    const char *lines;      //  "-" for stdout, a file to append, or NULL
    const char *endpoint;   //  bind the alert stream here, or NULL
    bool syslog;            //  also to syslog (LOG_DAEMON)
    const char *state_path; //  alert state file, or NULL
    const char *lang;       //  language of region names, "en" default
    zcert_t *certificate;   //  CURVE keys of the stream; NULL: plain TCP
    const char *key_dir;    //  key directory for subscribers, or NULL
    const site_t *site;     //  subscribers' keys, with certificate
} alerts_config_t;

typedef struct _alerts_t alerts_t;

//  Open the outputs and load the saved state. Borrows catalogue, its
//  wording (for region names), store, certificate and site. NULL and
//  *error (fresh, caller frees) on failure.
alerts_t *alerts_new (const catalogue_t *catalogue, const wording_t *wording,
                      const store_t *store, const alerts_config_t *config,
                      char **error);

void alerts_destroy (alerts_t **self_p);

//  Read from this store from now on: call after every replica sync, which
//  loads the snapshot into a fresh store.
void alerts_use_store (alerts_t *self, const store_t *store);

//  The ZAP socket to poll when the stream is CURVE, else NULL; call
//  alerts_handle_zap when it is readable.
zsock_t *alerts_zap_socket (alerts_t *self);
void alerts_handle_zap (alerts_t *self);

//  A cell changed (restatement rules look at it). Values in JT_SCALE.
void alerts_changed (alerts_t *self, int region, int indicator, int period,
                     bool had_value, jt_value_t old_value, jt_value_t value,
                     int64_t now);

//  Evaluate every rule for period at now (seconds), send the notices due
//  and save the state. Returns how many notices were sent.
int alerts_evaluate (alerts_t *self, int period, int64_t now);

//  Drop the alerts about months before period, without notices: the
//  reporter has moved on to a newer month.
void alerts_forget_before (alerts_t *self, int period);

//  The alerts firing now (see rules_active); caller frees.
rules_notice_t *alerts_active (alerts_t *self, size_t *count);

//  Notices sent so far.
uint64_t alerts_sent (alerts_t *self);

#endif
