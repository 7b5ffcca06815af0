/*  site.h — the site's part of the catalogue file: where the sockets are
    (endpoints), who may connect (sources' and subscribers' public keys)
    and whether plain TCP is allowed (security). The city's IT team changes
    it; the domain (core/catalogue.h) and the wording (reporter/wording.h)
    are read from the same file by their own readers, through the one
    scanner (core/zpl.h). A key reload (SIGHUP in the aggregator) reads only
    this part.

    Sections read: endpoints, sources (each source's public_key; its
    regions are the domain's), subscribers, security. Other sections are
    left to the other readers. */
#ifndef JT_SITE_H_INCLUDED
#define JT_SITE_H_INCLUDED

#include <stdbool.h>

//  A name and its CURVE public key: a source or a subscriber.
typedef struct {
    const char *id;         //  "aihui", "reporter"
    const char *public_key; //  Z85 key; a source's may be NULL
} site_key_t;

typedef struct _site_t site_t;

//  Read the site's sections of a catalogue file's text. filename is used
//  only in messages. On failure returns NULL and, if error is not NULL,
//  sets *error to a fresh "filename:line: reason" that the caller frees.
site_t *site_new (const char *text, const char *filename, char **error);

//  Destroy a site; NULL-safe, nulls the caller's pointer.
void site_destroy (site_t **self_p);

//  Value of key in the optional "endpoints" section (collect, publish,
//  query, alerts), or NULL. Borrowed.
const char *site_endpoint (const site_t *self, const char *key);

//  security/insecure: true when the file allows plain TCP (default false).
bool site_insecure (const site_t *self);

//  Sources, in file order, each with its public_key or NULL. Borrowed.
int site_source_count (const site_t *self);
const site_key_t *site_source (const site_t *self, int index);
//  Index of the source with this name, or -1.
int site_source_find (const site_t *self, const char *name);

//  Subscribers (reporters and tools) allowed on the publish and query
//  sockets, in file order; each has a public_key. Borrowed.
int site_subscriber_count (const site_t *self);
const site_key_t *site_subscriber (const site_t *self, int index);

#endif
