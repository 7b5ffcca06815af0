/*  zpl.h — the one scanner of the catalogue file (ZPL, read with CZMQ's
    zconfig), shared by its three readers: the domain (core/catalogue), the
    site (common/site) and the wording (reporter/wording). It checks every
    line the way zconfig will read it, so that a syntax error comes back as
    "file:line: reason" instead of being logged by zconfig, and lays the
    entries out in file order, each with its line, for a reader to walk.

    A reader records the first problem it finds with zpl_fail; the helpers
    below (sections, keys, ids) fail the same way, so that every reader
    words its errors alike. Pure: no I/O, clock or logging. */
#ifndef JT_ZPL_H_INCLUDED
#define JT_ZPL_H_INCLUDED

#include <czmq.h>

#include "jt.h"

#define ZPL_LINE_MAX 1024 //  zconfig silently cuts longer lines

//  One entry (line) of the text.
typedef struct {
    const char *name;  //  key or id, borrowed from the zpl_t
    const char *value; //  its value, "" when none
    int line;          //  line in the text, from 1
    int depth;         //  0 for a section
    int child;         //  index of the first child, or -1
    int next;          //  index of the next sibling, or -1
} zpl_node_t;

typedef struct _zpl_t zpl_t;

//  Scan a ZPL text (a leading UTF-8 byte order mark is skipped). filename
//  is used only in messages. On failure returns NULL and, if error is not
//  NULL, sets *error to a fresh "filename:line: reason" the caller frees.
zpl_t *zpl_new (const char *text, const char *filename, char **error);

//  Destroy the scan and every string it lent; NULL-safe, nulls the
//  caller's pointer.
void zpl_destroy (zpl_t **self_p);

//  Every entry, in file (pre-)order; *count is set. Borrowed.
const zpl_node_t *zpl_nodes (const zpl_t *self, int *count);

//  Record the first problem as "file:line: reason" (line 0: "file:
//  reason"); later ones are dropped. Always returns -1, so that a reader
//  can return zpl_fail (...).
int zpl_fail (zpl_t *self, int line, const char *format, ...)
    __attribute__ ((format (printf, 3, 4)));

//  Take the first problem recorded: a fresh string the caller frees, or
//  NULL when there was none.
char *zpl_error (zpl_t *self);

//  Hand reason (a fresh string, or NULL for none) to a reader's caller:
//  *error takes it when error is not NULL, else it is freed. Returns NULL,
//  so that a reader's constructor can end with return zpl_give_error (...).
void *zpl_give_error (char *reason, char **error);

//  Find the top-level sections named in names (NULL-terminated): found [k]
//  is the node of names [k], or -1. A named section given twice, or with a
//  value, is an error; so is any other section unless others is true (the
//  sections another reader owns).
int zpl_sections (zpl_t *self, const char *const *names, int *found,
                  bool others);

//  Check the keys under node against allowed (NULL-terminated): unknown or
//  repeated keys and blocks under a key are errors. found [k] is set to the
//  node of allowed [k], or -1. where names the block in messages.
int zpl_keys (zpl_t *self, int node, const char *where,
              const char *const *allowed, int *found);

//  A block or section takes no value. where names it in messages.
int zpl_no_value (zpl_t *self, int node, const char *where);

//  A key takes no block under it.
int zpl_no_children (zpl_t *self, int node, const char *where);

//  Direct children of node.
int zpl_child_count (const zpl_t *self, int node);

//  The id of a block at node, of kind what ("source"): a valid id
//  (jt_id_valid) not already in index, where it is then stored with
//  position. Fails with "bad <what> id" or "duplicate <what> id".
int zpl_block_id (zpl_t *self, int node, const char *what, zhashx_t *index,
                  int position);

//  Index stored for id in index by zpl_block_id, or -1.
int zpl_lookup (zhashx_t *index, const char *id);

//  The next space-separated word of a list value from scan, copied into
//  word (ZPL_LINE_MAX + 1 bytes). Returns where the scan goes on, or NULL
//  when no word is left.
const char *zpl_word (const char *scan, char *word);

//  Allocate zeroed memory for count items; out of memory aborts.
void *zpl_alloc (size_t count, size_t size);

#endif
