/*  security.h — CURVE for every jobtally socket (DESIGN §1, issue 4):
    loading certificates (a secret one only with mode 0600 or stricter),
    the keyring of who may connect where, the ZAP handler that enforces it,
    and applying CURVE to sockets.

    Who may connect comes from two places, merged: the site part of the
    catalogue file (common/site.h: a source's public_key, a subscriber's
    public_key) and an optional key directory
    holding CZMQ public certificate files:

        KEYS/collectors/<source>.key     a collector's key, for that source
        KEYS/subscribers/<name>.key      a reporter's or tool's key

    ZAP domains: the collect socket uses "collect" (collector keys only); the
    publish and query sockets use "subscribe" (subscriber keys only). */
#ifndef JT_SECURITY_H_INCLUDED
#define JT_SECURITY_H_INCLUDED

#include <czmq.h>
#include "site.h"
#include "../core/jt.h"

#define SECURITY_DOMAIN_COLLECT "collect"
#define SECURITY_DOMAIN_SUBSCRIBE "subscribe"

//  Load a certificate with its secret key (CZMQ's NAME.key_secret file).
//  Refuses a file that group or others may read or write. On failure
//  returns NULL and sets *error to a fresh message naming the file.
zcert_t *security_load_secret (const char *path, char **error);

//  Load a public certificate (NAME.key). NULL and *error on failure.
zcert_t *security_load_public (const char *path, char **error);

//  Make a new key pair and save it as DIR/NAME.key and DIR/NAME.key_secret
//  (mode 0600). Returns the new certificate (caller destroys) or NULL and
//  *error.
zcert_t *security_keygen (const char *dir, const char *name, char **error);

//  Names of the files in dir whose names end in suffix (".key",
//  ".key_secret"), sorted, hidden ones left out; NULL and *error when dir
//  exists but cannot be read. A missing dir gives an empty list.
zlistx_t *security_key_files (const char *dir, const char *suffix,
                              char **error);

typedef struct _keyring_t keyring_t;

//  Build the keyring from the site's keys and, when key_dir is not NULL,
//  the key directory. A key file whose source is not in the site's sources
//  is skipped with a warning in *warnings (a fresh string, or NULL when
//  none). NULL and *error when the directory or a file cannot be read.
keyring_t *keyring_new (const site_t *site, const char *key_dir,
                        char **warnings, char **error);

void keyring_destroy (keyring_t **self_p);

//  The site source index (site_source) of a collector key (Z85), or -1.
int keyring_source (const keyring_t *self, const char *public_key);

//  True when the key (Z85) belongs to a listed subscriber.
bool keyring_subscriber (const keyring_t *self, const char *public_key);

//  Numbers of collector and subscriber keys.
size_t keyring_collector_count (const keyring_t *self);
size_t keyring_subscriber_count (const keyring_t *self);

//  A fingerprint of what the keyring is read from (the catalogue file's
//  and every key file's name, size and mtime, and the directories'): when
//  it changes, reload. Fresh string, caller frees.
char *security_watch_fingerprint (const char *catalogue_path,
                                  const char *key_dir);

//  The ZAP handler: a REP socket on inproc://zeromq.zap.01 that must exist
//  before any CURVE socket binds (otherwise libzmq admits anyone).
typedef struct _zap_t zap_t;

zap_t *zap_new (void);

void zap_destroy (zap_t **self_p);

//  The socket to poll.
zsock_t *zap_socket (zap_t *self);

//  Answer one ZAP request from the keyring: 200 with the key (Z85) as
//  User-Id when the key is listed for the request's domain, 400 otherwise.
//  A refusal is logged (address, domain, key) and counted.
void zap_handle (zap_t *self, const keyring_t *keyring);

//  Handshakes refused so far.
uint64_t zap_refused (zap_t *self);

//  Make socket a CURVE server with the certificate's keys and the domain.
//  Call before bind.
void security_server_socket (zsock_t *socket, zcert_t *certificate,
                             const char *domain);

//  Make socket a CURVE client of the server whose public key (Z85) is
//  given, with this certificate's keys. Call before connect.
void security_client_socket (zsock_t *socket, zcert_t *certificate,
                             const char *server_public_key);

#endif
