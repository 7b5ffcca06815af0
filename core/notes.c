/*  notes.c — a growing list of notes on the lines of a file (notes.h). */
#include <assert.h>
#include <stdlib.h>

#include "notes.h"

struct _notes_t {
    note_t *items;   //  count entries, each owning its reason
    size_t count;    //  entries in items
    size_t capacity; //  room in items
};

notes_t *
notes_new (void)
{
    notes_t *self = calloc (1, sizeof (notes_t));
    assert (self);
    return self;
}

void
notes_destroy (notes_t **self_p)
{
    assert (self_p);
    notes_t *self = *self_p;
    if (!self)
        return;
    for (size_t index = 0; index < self->count; index++)
        free ((char *)self->items[index].reason);
    free (self->items);
    free (self);
    *self_p = NULL;
}

void
notes_add (notes_t *self, uint32_t line, char **reason_p)
{
    assert (self && reason_p && *reason_p);
    if (self->count == self->capacity) {
        self->capacity = self->capacity ? self->capacity * 2 : 16;
        self->items = realloc (self->items, self->capacity * sizeof (note_t));
        assert (self->items);
    }
    self->items[self->count++] = (note_t){.line = line, .reason = *reason_p};
    *reason_p = NULL;
}

size_t
notes_count (const notes_t *self)
{
    assert (self);
    return self->count;
}

const note_t *
notes_at (const notes_t *self, size_t index)
{
    assert (self);
    assert (index < self->count);
    return &self->items[index];
}
