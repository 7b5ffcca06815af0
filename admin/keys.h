/*  keys.h — jobtally keys list and keys revoke (docs/security.md, "Listing
    and revoking keys"). */
#ifndef JT_KEYS_H_INCLUDED
#define JT_KEYS_H_INCLUDED

#include <czmq.h>
#include "site.h"

//  Print every key the city admits, one line each: name, role (collector,
//  subscriber, aggregator), where it is listed (the catalogue's section or
//  the key file) and the public key; then the counts. site (the
//  catalogue's site part, read from catalogue_path) and key_dir may each
//  be NULL. 0, or -1 when a key file cannot be read (told on stderr; the
//  others are still listed).
int keys_list (FILE *out, const site_t *site, const char *catalogue_path,
               const char *key_dir);

//  Move key_dir/collectors/NAME.key and key_dir/subscribers/NAME.key into
//  key_dir/revoked/, which the aggregator does not read. 0, or -1 told on
//  stderr: no such key, a key revoked before under the name, or NAME is
//  also admitted by the catalogue (site), which only an edit can change.
int keys_revoke (FILE *out, const site_t *site, const char *catalogue_path,
                 const char *key_dir, const char *name);

#endif
