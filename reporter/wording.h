/*  wording.h — the wording's part of the catalogue file: what the
    reporter calls things and says about them. The names of regions and
    figures per language (names), each indicator's and measure's headline
    phrase, the catalogue's title and the summary's headline and columns
    (summary). Whoever writes the reports changes it; the domain
    (core/catalogue.h) and the site (common/site.h) are read from the same
    file by their own readers, through the one scanner (core/zpl.h).

    Sections and keys read: names, summary, catalogue/title and the phrase
    of each block under indicators and measures. Every other key is the
    domain's or the site's. The ids it names are resolved through the
    domain, which must be read from the same text first. */
#ifndef JT_WORDING_H_INCLUDED
#define JT_WORDING_H_INCLUDED

#include "catalogue.h"

typedef struct _wording_t wording_t;

//  Read the wording's sections and keys of a catalogue file's text, whose
//  domain is catalogue (borrowed; it must outlive the wording). filename
//  is used only in messages. On failure returns NULL and, if error is not
//  NULL, sets *error to a fresh "filename:line: reason" that the caller
//  frees.
wording_t *wording_new (const char *text, const char *filename,
                        const catalogue_t *catalogue, char **error);

//  True when the text's wording holds (wording_new succeeds); else false
//  with *error set as wording_new sets it. Every program's --check-config
//  reads the wording through it (common/options.h, check_part).
bool wording_check (const char *text, const char *filename,
                    const catalogue_t *catalogue, char **error);

//  Destroy a wording; NULL-safe, nulls the caller's pointer.
void wording_destroy (wording_t **self_p);

//  The optional catalogue/title ("Heihe City employment statistics"), or
//  NULL. Borrowed.
const char *wording_title (const wording_t *self);

//  Name of a region or figure in a language ("en", "zh"...), falling back
//  to the domain's default name, then to the id; NULL for an index out of
//  range. Borrowed.
const char *wording_region_name (const wording_t *self, int region,
                                 const char *lang);
const char *wording_figure_name (const wording_t *self, int figure,
                                 const char *lang);

//  A figure's headline wording ("people found employment"), or NULL.
//  Borrowed.
const char *wording_phrase (const wording_t *self, int figure);

//  Figures the summary's headline paragraph speaks of, in order (the
//  "summary/headline" key); *count is set. Borrowed; may be empty.
const int *wording_summary_headline (const wording_t *self, int *count);

//  Figures shown as columns of the per-region table ("summary/columns").
const int *wording_summary_columns (const wording_t *self, int *count);

#endif
