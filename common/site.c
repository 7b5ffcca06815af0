/*  site.c — the site's sections of the catalogue file (site.h), read
    through the shared scanner (core/zpl.h). The scan lives as long as the
    site: every name and key the accessors return is borrowed from it. */

#include <czmq.h>

#include "site.h"
#include "../core/zpl.h"

#define S_KEY_LENGTH 40 //  a Z85 CURVE public key

typedef enum {
    S_ENDPOINTS,
    S_SOURCES,
    S_SUBSCRIBERS,
    S_SECURITY,
    S_COUNT
} s_section_t;

static const char *s_section_names[S_COUNT + 1] = {
    "endpoints", "sources", "subscribers", "security", NULL};

#define S_ENDPOINT_COUNT 4
static const char *s_endpoint_keys[S_ENDPOINT_COUNT + 1] = {
    "collect", "publish", "query", "alerts", NULL};

struct _site_t {
    zpl_t *zpl;                              //  the scan: owns every string
    const char *endpoints[S_ENDPOINT_COUNT]; //  per s_endpoint_keys, or NULL
    bool insecure;                           //  security/insecure
    int source_count;                        //  sources, in file order
    site_key_t *sources;                     //  source_count entries
    zhashx_t *source_index;                  //  source name -> index + 1
    int subscriber_count;                    //  subscribers, in file order
    site_key_t *subscribers;                 //  subscriber_count entries
    zhashx_t *subscriber_index;              //  subscriber name -> index + 1
};

//  State while reading one text; gone when site_new returns.
typedef struct {
    site_t *self;            //  the site being built
    zpl_t *zpl;              //  the scan, which keeps the first error
    const zpl_node_t *nodes; //  every entry, in file order
    int sections[S_COUNT];   //  node of each section, or -1
} s_loader_t;

static int
s_read_endpoints (s_loader_t *loader)
{
    int section = loader->sections[S_ENDPOINTS];
    if (section < 0)
        return 0;
    int found[S_ENDPOINT_COUNT];
    if (zpl_keys (loader->zpl, section, "endpoints", s_endpoint_keys, found))
        return -1;
    for (int key = 0; key < S_ENDPOINT_COUNT; key++) {
        if (found[key] < 0)
            continue;
        const zpl_node_t *entry = &loader->nodes[found[key]];
        if (!*entry->value)
            return zpl_fail (loader->zpl, entry->line,
                             "empty endpoint '%s' in endpoints", entry->name);
        loader->self->endpoints[key] = entry->value;
    }
    return 0;
}

//  True when text is a Z85-encoded 32-byte key.
static bool
s_is_z85_key (const char *text)
{
    static const char *alphabet =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
        ".-:+=^!/*?&<>()[]{}@%$#";
    return strlen (text) == S_KEY_LENGTH &&
           strspn (text, alphabet) == S_KEY_LENGTH;
}

//  A block per name with a public_key (required unless optional), in a
//  section of what ("source", "subscriber"): each name once, each key
//  once among them. keys are the keys a block may have; the first must be
//  public_key, the others belong to another reader.
static int
s_read_keys (s_loader_t *loader, int section, const char *what,
             const char *const *keys, bool optional, zhashx_t *index,
             site_key_t **list, int *count)
{
    if (section < 0)
        return 0;
    *list = zpl_alloc ((size_t)zpl_child_count (loader->zpl, section),
                       sizeof (site_key_t));
    const char *plural = loader->nodes[section].name;
    for (int node = loader->nodes[section].child; node >= 0;
         node = loader->nodes[node].next) {
        const zpl_node_t *entry = &loader->nodes[node];
        site_key_t *item = &(*list)[*count];
        char where[ZPL_LINE_MAX + 32];
        snprintf (where, sizeof where, "%s/%s", plural, entry->name);
        if (zpl_block_id (loader->zpl, node, what, index, *count))
            return -1;
        (*count)++;
        item->id = entry->name;
        int found[4];
        if (zpl_no_value (loader->zpl, node, plural) ||
            zpl_keys (loader->zpl, node, where, keys, found))
            return -1;
        if (found[0] < 0 || !*loader->nodes[found[0]].value) {
            if (optional)
                continue;
            return zpl_fail (loader->zpl, entry->line,
                             "missing public_key in %s", where);
        }
        const zpl_node_t *key = &loader->nodes[found[0]];
        if (!s_is_z85_key (key->value))
            return zpl_fail (loader->zpl, key->line,
                             "public_key in %s must be %d Z85 characters",
                             where, S_KEY_LENGTH);
        for (int other = 0; other < *count - 1; other++)
            if ((*list)[other].public_key &&
                streq ((*list)[other].public_key, key->value))
                return zpl_fail (loader->zpl, key->line,
                                 "public_key in %s is also the key of %s/%s",
                                 where, plural, (*list)[other].id);
        item->public_key = key->value;
    }
    return 0;
}

static int
s_read_security (s_loader_t *loader)
{
    int section = loader->sections[S_SECURITY];
    if (section < 0)
        return 0;
    static const char *keys[] = {"insecure", NULL};
    int found[1];
    if (zpl_keys (loader->zpl, section, "security", keys, found))
        return -1;
    if (found[0] >= 0) {
        const zpl_node_t *insecure = &loader->nodes[found[0]];
        if (streq (insecure->value, "yes"))
            loader->self->insecure = true;
        else if (!streq (insecure->value, "no"))
            return zpl_fail (loader->zpl, insecure->line,
                             "insecure must be yes or no, not '%s'",
                             insecure->value);
    }
    return 0;
}

site_t *
site_new (const char *text, const char *filename, char **error)
{
    assert (text);
    site_t *self = zpl_alloc (1, sizeof (site_t));
    self->source_index = zhashx_new ();
    self->subscriber_index = zhashx_new ();
    if (!self->source_index || !self->subscriber_index)
        abort ();
    char *scan_error = NULL;
    self->zpl = zpl_new (text, filename, &scan_error);
    if (!self->zpl) {
        site_destroy (&self);
        return zpl_give_error (scan_error, error);
    }
    s_loader_t loader = {.self = self, .zpl = self->zpl};
    int node_count;
    loader.nodes = zpl_nodes (self->zpl, &node_count);
    //  A source's regions are the domain's (core/catalogue.c)
    static const char *source_keys[] = {"public_key", "regions", NULL};
    static const char *subscriber_keys[] = {"public_key", NULL};
    int rc = zpl_sections (self->zpl, s_section_names, loader.sections, true);
    if (rc == 0)
        rc = s_read_endpoints (&loader);
    if (rc == 0)
        rc = s_read_keys (&loader, loader.sections[S_SOURCES], "source",
                          source_keys, true, self->source_index, &self->sources,
                          &self->source_count);
    if (rc == 0)
        rc = s_read_keys (&loader, loader.sections[S_SUBSCRIBERS], "subscriber",
                          subscriber_keys, false, self->subscriber_index,
                          &self->subscribers, &self->subscriber_count);
    if (rc == 0)
        rc = s_read_security (&loader);
    if (rc) {
        char *reason = zpl_error (self->zpl);
        site_destroy (&self);
        return zpl_give_error (reason, error);
    }
    zpl_give_error (NULL, error);
    return self;
}

void
site_destroy (site_t **self_p)
{
    assert (self_p);
    site_t *self = *self_p;
    if (!self)
        return;
    free (self->sources);
    free (self->subscribers);
    zhashx_destroy (&self->source_index);
    zhashx_destroy (&self->subscriber_index);
    zpl_destroy (&self->zpl);
    free (self);
    *self_p = NULL;
}

const char *
site_endpoint (const site_t *self, const char *key)
{
    assert (self);
    if (!key)
        return NULL;
    for (int index = 0; index < S_ENDPOINT_COUNT; index++)
        if (streq (s_endpoint_keys[index], key))
            return self->endpoints[index];
    return NULL;
}

bool
site_insecure (const site_t *self)
{
    assert (self);
    return self->insecure;
}

int
site_source_count (const site_t *self)
{
    assert (self);
    return self->source_count;
}

const site_key_t *
site_source (const site_t *self, int index)
{
    assert (self);
    if (index < 0 || index >= self->source_count)
        return NULL;
    return &self->sources[index];
}

int
site_source_find (const site_t *self, const char *name)
{
    assert (self);
    return name ? zpl_lookup (self->source_index, name) : -1;
}

int
site_subscriber_count (const site_t *self)
{
    assert (self);
    return self->subscriber_count;
}

const site_key_t *
site_subscriber (const site_t *self, int index)
{
    assert (self);
    if (index < 0 || index >= self->subscriber_count)
        return NULL;
    return &self->subscribers[index];
}
