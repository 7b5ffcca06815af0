/*  notes.h — what was said about the lines of a file: the rejections and
    warnings the collector's reader finds (collector/csvread.h) and those
    the aggregator answers for a batch (collector/sender.h). A note is a
    line and a reason; the list owns every reason. Pure: no I/O. */
#ifndef JT_NOTES_H_INCLUDED
#define JT_NOTES_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t line;      //  the line in its file, from 1; 0 for none
    const char *reason; //  "bad period '2003-13'", borrowed from the list
} note_t;

typedef struct _notes_t notes_t;

//  An empty list.
notes_t *notes_new (void);

//  Destroy a list and every reason in it; NULL-safe, nulls the caller's
//  pointer.
void notes_destroy (notes_t **self_p);

//  Append a note about line. The list takes reason (a fresh string) and
//  nulls the caller's pointer.
void notes_add (notes_t *self, uint32_t line, char **reason_p);

//  Notes so far, in the order added.
size_t notes_count (const notes_t *self);
const note_t *notes_at (const notes_t *self, size_t index);

#endif
