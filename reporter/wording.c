/*  wording.c — the wording's sections and keys of the catalogue file
    (wording.h), read through the shared scanner (core/zpl.h). The scan
    lives as long as the wording: every name and phrase the accessors
    return is borrowed from it. Ids are resolved through the domain, which
    has already checked the blocks the phrases sit in. */

#include <czmq.h>

#include "wording.h"
#include "zpl.h"

typedef enum {
    S_CATALOGUE,
    S_INDICATORS,
    S_MEASURES,
    S_NAMES,
    S_SUMMARY,
    S_COUNT
} s_section_t;

//  The sections this reader reads from; the first three are the domain's,
//  which owns every key in them but title and phrase.
static const char *s_section_names[S_COUNT + 1] = {
    "catalogue", "indicators", "measures", "names", "summary", NULL};

//  Names in one language from the names section.
typedef struct {
    const char *lang;          //  language code, "zh"
    const char **region_names; //  per region, NULL when not named
    const char **figure_names; //  per figure, NULL when not named
} s_language_t;

struct _wording_t {
    zpl_t *zpl;                   //  the scan: owns every string we lend
    const catalogue_t *catalogue; //  the domain, borrowed
    const char *title;            //  catalogue/title, or NULL
    const char **phrases;         //  per figure, NULL when none
    int language_count;           //  languages in the names section
    s_language_t *languages;      //  language_count entries
    int headline_count;           //  figures in summary/headline
    int *headline;                //  their indices, or NULL
    int column_count;             //  figures in summary/columns
    int *columns;                 //  their indices, or NULL
};

//  State while reading one text; gone when wording_new returns.
typedef struct {
    wording_t *self;         //  the wording being built
    zpl_t *zpl;              //  the scan, which keeps the first error
    const zpl_node_t *nodes; //  every entry, in file order
    int sections[S_COUNT];   //  node of each section, or -1
} s_loader_t;

//  The first child of node called name, or -1. The domain has checked
//  that a key is given once.
static int
s_child (const s_loader_t *loader, int node, const char *name)
{
    for (int child = loader->nodes[node].child; child >= 0;
         child = loader->nodes[child].next)
        if (streq (loader->nodes[child].name, name))
            return child;
    return -1;
}

//  catalogue/title, when set and not empty.
static void
s_read_title (s_loader_t *loader)
{
    int section = loader->sections[S_CATALOGUE];
    int title = section >= 0 ? s_child (loader, section, "title") : -1;
    if (title >= 0 && *loader->nodes[title].value)
        loader->self->title = loader->nodes[title].value;
}

//  The phrase of each block of a section of figures (indicators or
//  measures), when set and not empty.
static void
s_read_phrases (s_loader_t *loader, int section)
{
    if (section < 0)
        return;
    wording_t *self = loader->self;
    for (int node = loader->nodes[section].child; node >= 0;
         node = loader->nodes[node].next) {
        int phrase = s_child (loader, node, "phrase");
        int figure =
            catalogue_figure_find (self->catalogue, loader->nodes[node].name);
        assert (figure >= 0); //  the domain read the same text
        if (phrase >= 0 && *loader->nodes[phrase].value)
            self->phrases[figure] = loader->nodes[phrase].value;
    }
}

static int
s_read_names (s_loader_t *loader)
{
    wording_t *self = loader->self;
    int section = loader->sections[S_NAMES];
    if (section < 0)
        return 0;
    int region_count = catalogue_region_count (self->catalogue);
    int figure_count = catalogue_figure_count (self->catalogue);
    self->languages = zpl_alloc ((size_t)zpl_child_count (loader->zpl, section),
                                 sizeof (s_language_t));
    for (int node = loader->nodes[section].child; node >= 0;
         node = loader->nodes[node].next) {
        const zpl_node_t *block = &loader->nodes[node];
        if (!jt_id_valid (block->name))
            return zpl_fail (loader->zpl, block->line,
                             "bad language '%s' in names", block->name);
        for (int index = 0; index < self->language_count; index++)
            if (streq (self->languages[index].lang, block->name))
                return zpl_fail (loader->zpl, block->line,
                                 "duplicate language '%s' in names",
                                 block->name);
        s_language_t *language = &self->languages[self->language_count++];
        language->lang = block->name;
        language->region_names =
            zpl_alloc ((size_t)region_count, sizeof (char *));
        language->figure_names =
            zpl_alloc ((size_t)figure_count, sizeof (char *));
        if (zpl_no_value (loader->zpl, node, "names"))
            return -1;
        char where[ZPL_LINE_MAX + 32];
        snprintf (where, sizeof where, "names/%s", block->name);
        for (int child = block->child; child >= 0;
             child = loader->nodes[child].next) {
            const zpl_node_t *entry = &loader->nodes[child];
            int region = catalogue_region_find (self->catalogue, entry->name);
            int figure = catalogue_figure_find (self->catalogue, entry->name);
            if (region < 0 && figure < 0)
                return zpl_fail (loader->zpl, entry->line,
                                 "unknown region or figure '%s' in %s",
                                 entry->name, where);
            if (zpl_no_children (loader->zpl, child, where))
                return -1;
            if (!*entry->value)
                return zpl_fail (loader->zpl, entry->line,
                                 "empty name for '%s' in %s", entry->name,
                                 where);
            if ((region >= 0 && language->region_names[region]) ||
                (figure >= 0 && language->figure_names[figure]))
                return zpl_fail (loader->zpl, entry->line,
                                 "duplicate name for '%s' in %s", entry->name,
                                 where);
            if (region >= 0)
                language->region_names[region] = entry->value;
            if (figure >= 0)
                language->figure_names[figure] = entry->value;
        }
    }
    return 0;
}

//  Resolve the space-separated figure ids in a key's value into a fresh
//  array that the caller owns. where names the key in messages.
static int
s_read_figures (s_loader_t *loader, int node, const char *where, int **list,
                int *count)
{
    const zpl_node_t *entry = &loader->nodes[node];
    int *result = zpl_alloc (strlen (entry->value) / 2 + 1, sizeof (int));
    int found = 0;
    char id[ZPL_LINE_MAX + 1];
    for (const char *scan = entry->value; (scan = zpl_word (scan, id));) {
        int figure = catalogue_figure_find (loader->self->catalogue, id);
        if (figure < 0) {
            free (result);
            return zpl_fail (loader->zpl, entry->line,
                             "unknown figure '%s' in %s", id, where);
        }
        result[found++] = figure;
    }
    *list = result;
    *count = found;
    return 0;
}

static int
s_read_summary (s_loader_t *loader)
{
    wording_t *self = loader->self;
    int section = loader->sections[S_SUMMARY];
    if (section < 0)
        return 0;
    static const char *keys[] = {"headline", "columns", NULL};
    int found[2];
    if (zpl_keys (loader->zpl, section, "summary", keys, found))
        return -1;
    if (found[0] >= 0 &&
        s_read_figures (loader, found[0], "summary/headline", &self->headline,
                        &self->headline_count))
        return -1;
    if (found[1] >= 0 && s_read_figures (loader, found[1], "summary/columns",
                                         &self->columns, &self->column_count))
        return -1;
    return 0;
}

wording_t *
wording_new (const char *text, const char *filename,
             const catalogue_t *catalogue, char **error)
{
    assert (text);
    assert (catalogue);
    wording_t *self = zpl_alloc (1, sizeof (wording_t));
    self->catalogue = catalogue;
    self->phrases =
        zpl_alloc ((size_t)catalogue_figure_count (catalogue), sizeof (char *));
    char *scan_error = NULL;
    self->zpl = zpl_new (text, filename, &scan_error);
    if (!self->zpl) {
        wording_destroy (&self);
        return zpl_give_error (scan_error, error);
    }
    s_loader_t loader = {.self = self, .zpl = self->zpl};
    int node_count;
    loader.nodes = zpl_nodes (self->zpl, &node_count);
    int rc = zpl_sections (self->zpl, s_section_names, loader.sections, true);
    if (rc == 0) {
        s_read_title (&loader);
        s_read_phrases (&loader, loader.sections[S_INDICATORS]);
        s_read_phrases (&loader, loader.sections[S_MEASURES]);
        rc = s_read_names (&loader);
    }
    if (rc == 0)
        rc = s_read_summary (&loader);
    if (rc) {
        char *reason = zpl_error (self->zpl);
        wording_destroy (&self);
        return zpl_give_error (reason, error);
    }
    zpl_give_error (NULL, error);
    return self;
}

bool
wording_check (const char *text, const char *filename,
               const catalogue_t *catalogue, char **error)
{
    wording_t *wording = wording_new (text, filename, catalogue, error);
    bool good = wording != NULL;
    wording_destroy (&wording);
    return good;
}

void
wording_destroy (wording_t **self_p)
{
    assert (self_p);
    wording_t *self = *self_p;
    if (!self)
        return;
    for (int index = 0; index < self->language_count; index++) {
        free (self->languages[index].region_names);
        free (self->languages[index].figure_names);
    }
    free (self->languages);
    free (self->phrases);
    free (self->headline);
    free (self->columns);
    zpl_destroy (&self->zpl);
    free (self);
    *self_p = NULL;
}

const char *
wording_title (const wording_t *self)
{
    assert (self);
    return self->title;
}

static const s_language_t *
s_language (const wording_t *self, const char *lang)
{
    if (!lang)
        return NULL;
    for (int index = 0; index < self->language_count; index++)
        if (streq (self->languages[index].lang, lang))
            return &self->languages[index];
    return NULL;
}

const char *
wording_region_name (const wording_t *self, int region, const char *lang)
{
    assert (self);
    const region_t *entry = catalogue_region (self->catalogue, region);
    if (!entry)
        return NULL;
    const s_language_t *language = s_language (self, lang);
    if (language && language->region_names[region])
        return language->region_names[region];
    return entry->name; //  the id when it has no name
}

const char *
wording_figure_name (const wording_t *self, int figure, const char *lang)
{
    assert (self);
    if (figure < 0 || figure >= catalogue_figure_count (self->catalogue))
        return NULL;
    const s_language_t *language = s_language (self, lang);
    if (language && language->figure_names[figure])
        return language->figure_names[figure];
    const indicator_t *indicator =
        catalogue_indicator (self->catalogue, figure);
    return indicator ? indicator->name
                     : catalogue_measure (self->catalogue, figure)->name;
}

const char *
wording_phrase (const wording_t *self, int figure)
{
    assert (self);
    if (figure < 0 || figure >= catalogue_figure_count (self->catalogue))
        return NULL;
    return self->phrases[figure];
}

const int *
wording_summary_headline (const wording_t *self, int *count)
{
    assert (self);
    assert (count);
    *count = self->headline_count;
    return self->headline;
}

const int *
wording_summary_columns (const wording_t *self, int *count)
{
    assert (self);
    assert (count);
    *count = self->column_count;
    return self->columns;
}
