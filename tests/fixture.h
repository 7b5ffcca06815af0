/*  fixture.h — what several unit tests of the core and the summary build
    their stores from: a catalogue read from a test's text (a refusal fails
    the test with its reason), an index found by id, a cell set through
    store_apply, and a file read whole. Each function fails the running
    cmocka test on a programmer's mistake in the test itself. */
#ifndef JT_FIXTURE_H_INCLUDED
#define JT_FIXTURE_H_INCLUDED

#include <stddef.h>

#include "catalogue.h"
#include "store.h"
#include "wording.h"

//  The catalogue of text, read as "test.zpl"; fails the test with the
//  reason when it is refused. The caller destroys it.
catalogue_t *fixture_catalogue (const char *text);

//  The catalogue of text and, when wording_p is not NULL, its wording read
//  from the same text into *wording_p; fails the test with the reason when
//  either is refused. The caller destroys both.
catalogue_t *fixture_load (const char *text, wording_t **wording_p);

//  The index of a region, or else of a figure (indicator or measure),
//  named id; fails the test when there is neither.
int fixture_find (const catalogue_t *catalogue, const char *id);

//  Set a cell through store_apply, as the aggregator does; fails the test
//  unless the store takes it.
void fixture_set (store_t *store, int region, int indicator, int period,
                  jt_value_t value);

//  Set a cell named by ids and a month "YYYY-MM" to a whole number of
//  units.
void fixture_set_units (store_t *store, const catalogue_t *catalogue,
                        const char *region, const char *indicator,
                        const char *month, int64_t units);

//  The file at path whole, NUL-terminated, with its size in *size_p when
//  size_p is not NULL; NULL when it cannot be opened. The caller frees it.
char *fixture_read (const char *path, size_t *size_p);

//  How many times what stands in text, not overlapping.
size_t fixture_count (const char *text, const char *what);

//  The head of the catalogue test_check, test_stats and test_ingest share,
//  up to its first indicator: a city of two counties, north and south.
#define FIXTURE_NORTH_SOUTH                                                    \
    "catalogue\n"                                                              \
    "    year = 2003\n"                                                        \
    "regions\n"                                                                \
    "    city = \"City\"\n"                                                    \
    "        city.north = \"North\"\n"                                         \
    "        city.south = \"South\"\n"                                         \
    "indicators\n"                                                             \
    "    employed_new\n"

#endif
