/*  inbox.h — the directory `jobtally-collector run` watches for CSV drops
    (docs/collector.md).

    A file NAME.csv in DIR is taken once its size and mtime stayed the same
    for a poll and it is at least a second old (so a file still being
    written is left alone; one renamed in is taken at the next poll); names
    starting with '.' are ignored. Taking it moves it to DIR/.jobtally/NAME
    (the work area), where it stays while its batches are queued and
    answered, with two sidecars: NAME.queued once its batches are committed
    to the outbox, and NAME.errors, one "LINE: reason" per refused row,
    appended as answers come. When every batch was answered the file goes
    to DIR/done/, or to DIR/failed/ with NAME.errors (lines in order) when
    any row was refused. */
#ifndef JT_INBOX_H_INCLUDED
#define JT_INBOX_H_INCLUDED

#include <czmq.h>

typedef struct _inbox_t inbox_t;

//  Watch dir (its done/, failed/ and .jobtally/ are created). NULL with
//  *error (a fresh message the caller frees) when it is not a directory.
inbox_t *inbox_new (const char *dir, char **error);

//  NULL-safe; nulls the caller's pointer.
void inbox_destroy (inbox_t **self_p);

//  The directory's real path. Borrowed.
const char *inbox_path (const inbox_t *self);

//  The names of files ready to take, in name order: a fresh list of
//  strings the caller destroys. Call about once a second.
zlist_t *inbox_poll (inbox_t *self);

//  The files in the work area (taken by this or an earlier run), in name
//  order: a fresh list the caller destroys.
zlist_t *inbox_taken (inbox_t *self);

//  Move DIR/name into the work area. Returns 0, 1 when a file of that name
//  is still there (taken before, not finished: this one waits in the
//  inbox), or -1 (logged).
int inbox_take (inbox_t *self, const char *name);

//  Path of the work copy of name: a fresh string the caller frees.
char *inbox_work_path (const inbox_t *self, const char *name);

//  The origin that names name's batches in the outbox: a fresh string.
char *inbox_origin (const inbox_t *self, const char *name);

//  Its batches are committed to the outbox. Returns 0 or -1.
int inbox_mark_queued (inbox_t *self, const char *name);
bool inbox_queued (const inbox_t *self, const char *name);

//  Append a refused row ("LINE: reason", line 0 for the whole file) to
//  name's errors, synced. Returns 0 or -1.
int inbox_add_error (inbox_t *self, const char *name, uint32_t line,
                     const char *reason);

//  Every batch of name was answered: move it to done/, or to failed/ with
//  NAME.errors when it has any; a name already there gets a suffix (.2,
//  .3...). Sets *failed. Returns 0 or -1.
int inbox_finish (inbox_t *self, const char *name, bool *failed);

//  Give name back to DIR (it could not be queued now); forgets its
//  sidecars. Returns 0 or -1.
int inbox_put_back (inbox_t *self, const char *name);

#endif
