/*  stats.c — the aggregator's counters per source and reason. */
#include "stats.h"
#include <assert.h>
#include <stdlib.h>

struct _stats_t {
    const catalogue_t *catalogue; //  borrowed: names the rows
    int source_count;             //  rows 0 .. source_count - 1; then unknown
    stats_row_t *rows;            //  source_count + 1 of them
    uint64_t queries_refused;     //  frames refused on the query socket
};

stats_t *
stats_new (const catalogue_t *catalogue)
{
    assert (catalogue);
    stats_t *self = (stats_t *)calloc (1, sizeof (stats_t));
    assert (self);
    self->catalogue = catalogue;
    self->source_count = catalogue_source_count (catalogue);
    size_t rows = (size_t)self->source_count + 1;
    self->rows = (stats_row_t *)calloc (rows, sizeof (stats_row_t));
    assert (self->rows);
    return self;
}

void
stats_destroy (stats_t **self_p)
{
    assert (self_p);
    stats_t *self = *self_p;
    if (self) {
        free (self->rows);
        free (self);
        *self_p = NULL;
    }
}

//  The row of a source index; STATS_UNKNOWN is the last one.
static stats_row_t *
s_row (const stats_t *self, int source)
{
    assert (source == STATS_UNKNOWN ||
            (source >= 0 && source < self->source_count));
    return &self->rows[source == STATS_UNKNOWN ? self->source_count : source];
}

void
stats_applied (stats_t *self, int source, uint64_t updates)
{
    assert (self);
    stats_row_t *row = s_row (self, source);
    row->batches++;
    row->updates += updates;
}

void
stats_duplicate (stats_t *self, int source)
{
    assert (self);
    s_row (self, source)->duplicates++;
}

void
stats_refused (stats_t *self, int source, jt_error_t code)
{
    assert (self);
    assert (code > JT_OK && code < JT_ERR_COUNT);
    s_row (self, source)->refused[code]++;
}

void
stats_flagged (stats_t *self, int source)
{
    assert (self);
    s_row (self, source)->flagged++;
}

uint64_t
stats_flagged_count (const stats_t *self, int source)
{
    assert (self);
    return s_row (self, source)->flagged;
}

void
stats_query_refused (stats_t *self)
{
    assert (self);
    self->queries_refused++;
}

uint64_t
stats_refused_count (const stats_t *self, int source, jt_error_t code)
{
    assert (self);
    assert (code > JT_OK && code < JT_ERR_COUNT);
    return s_row (self, source)->refused[code];
}

uint64_t
stats_batches (const stats_t *self)
{
    uint64_t total = 0;
    for (int row = 0; row <= self->source_count; row++)
        total += self->rows[row].batches;
    return total;
}

uint64_t
stats_updates (const stats_t *self)
{
    uint64_t total = 0;
    for (int row = 0; row <= self->source_count; row++)
        total += self->rows[row].updates;
    return total;
}

uint64_t
stats_duplicates (const stats_t *self)
{
    uint64_t total = 0;
    for (int row = 0; row <= self->source_count; row++)
        total += self->rows[row].duplicates;
    return total;
}

uint64_t
stats_refusals (const stats_t *self)
{
    uint64_t total = 0;
    for (int row = 0; row <= self->source_count; row++)
        for (int code = 0; code < JT_ERR_COUNT; code++)
            total += self->rows[row].refused[code];
    return total;
}

uint64_t
stats_flags (const stats_t *self)
{
    uint64_t total = 0;
    for (int row = 0; row <= self->source_count; row++)
        total += self->rows[row].flagged;
    return total;
}

const stats_row_t *
stats_row (const stats_t *self, int source)
{
    assert (self);
    return s_row (self, source);
}

uint64_t
stats_queries_refused (const stats_t *self)
{
    assert (self);
    return self->queries_refused;
}
