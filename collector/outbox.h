/*  outbox.h — the collector's on-disk outbox (DESIGN §4, docs/collector.md):
    every batch is on disk, synced, before it is first sent, and is removed
    only when its Ack came. A collector killed at any moment resends, on its
    next start, exactly what was not acknowledged.

    Layout, under the state directory:

        <source>.seq          last sequence reserved (fsync + rename)
        <source>.lock         held (fcntl) by the collector that sends;
                              holds "COMMAND PID"
        <source>.rejected     rows refused in Acks nobody waited for
        <source>.outbox/      one file per queued batch, named by its
                              sequence in 20 digits; .lock (flock) held
                              around every write; .queueing while a group
                              of batches is being written; NAME.ack, the
                              Ack of a batch a waiting process queued;
                              NAME.bad, a file set aside as corrupt

    A batch file is a 52-byte header (magic "JTOB", format version,
    CRC-32C of everything after the CRC field — jt_crc32c, as the
    aggregator's journal — sequence, previous, waiting pid, update count,
    first and last line, origin length, body length), the origin's name,
    and the encoded Batch exactly as sent, so a resend is byte-identical.
    It is written to NAME.tmp, synced, renamed and the directory synced.

    Batches are written in groups (outbox_begin, outbox_add...,
    outbox_commit) under the short lock; .queueing marks an open group.
    Whoever takes the lock next and finds a .queueing left by a process that
    died removes that group's batches: none of them was sent, since a
    sender only takes committed batches. The writer of a file thus knows
    that either all the batches it committed will be delivered or, if it
    died before committing, none. */
#ifndef JT_OUTBOX_H_INCLUDED
#define JT_OUTBOX_H_INCLUDED

#include <czmq.h>
#include "codec.h"

#define OUTBOX_LIMIT_DEFAULT (1024ULL * 1024 * 1024) //  bytes, 1 GiB
#define OUTBOX_HEADER_SIZE 52  //  fixed part of a batch file's header
#define OUTBOX_VERSION 1       //  format version of a batch file
#define OUTBOX_MAX_ORIGIN 4096 //  longest origin name kept

typedef struct {
    uint64_t sequence;     //  the batch's sequence, also its file name
    uint64_t previous;     //  the batch it names as the one before, 0 none
    uint64_t size;         //  bytes of its file, header included
    uint32_t update_count; //  updates in the batch
    uint32_t first_line;   //  line of its first update in origin, 0 none
    uint32_t last_line;    //  line of its last update, 0 none
    int waiter;            //  pid of a process waiting for its Ack, 0 none
    int64_t queued_ms;     //  file's mtime, ms since the epoch
    const char *origin;    //  the file its rows came from, or "send"
    bool own;              //  written by this process
} outbox_entry_t;

typedef struct _outbox_t outbox_t;

//  Open (creating if missing) the state directory and the source's outbox
//  directory in it. source must be a valid id. Returns NULL with *error a
//  fresh message the caller frees.
outbox_t *outbox_new (const char *state_dir, const char *source, char **error);

//  Release the source lock if held (emptying the lock file), close every
//  file; NULL-safe, nulls the caller's pointer.
void outbox_destroy (outbox_t **self_p);

//  Refuse a batch that would take the files queued above this many bytes.
void outbox_set_limit (outbox_t *self, uint64_t limit);
uint64_t outbox_limit (const outbox_t *self);

//  Take the source lock for command ("import", "send", "run"): only the
//  holder sends. Returns 0, or -1 when another process holds it (see
//  outbox_holder) or on an I/O error, with outbox_error set.
int outbox_hold (outbox_t *self, const char *command);

//  Who holds the source lock: its pid and command (into a buffer of size
//  bytes), or 0 when nobody does. Does not disturb the holder.
int outbox_holder (outbox_t *self, char *command, size_t size);

//  The holder's start: remove temp files, set aside (NAME.bad, with a
//  warning) every batch file that fails its checks, and read every good
//  one into the entry list. Returns the number set aside, or -1 on an I/O
//  error (outbox_error).
int outbox_load (outbox_t *self);

//  Add to the entry list the batches other processes committed since the
//  last look (the holder calls this while it runs). Returns how many.
size_t outbox_refresh (outbox_t *self);

//  Start a group of batches: takes the short lock (waiting for it), removes
//  what a dead writer left, reads the sequence file and what is queued.
//  Returns 0, or -1 (outbox_error).
int outbox_begin (outbox_t *self);

//  Write one batch of the open group. Sets batch->sequence (the next one,
//  written to the sequence file first) and batch->previous (the highest
//  sequence queued, 0 when none: a batch needs no order against batches
//  already acknowledged). origin names the rows' file; waiter is the pid
//  of a process waiting for the Ack, or 0. The batch's strings are
//  borrowed. Returns 0, or -1: outbox_full tells a full budget (nothing
//  written) from an I/O error (outbox_error).
int outbox_add (outbox_t *self, codec_t *codec, jt_batch_t *batch,
                const char *origin, int waiter);

//  True when the last outbox_add was refused for the budget.
bool outbox_full (const outbox_t *self);

//  End the group: its batches may be sent. Releases the short lock.
//  Returns 0, or -1 when the marker could not be removed (outbox_error).
int outbox_commit (outbox_t *self);

//  Give up the group: remove the batches it wrote, release the lock.
void outbox_abort (outbox_t *self);

//  Batches in the entry list, in sequence order.
size_t outbox_count (const outbox_t *self);
const outbox_entry_t *outbox_entry (const outbox_t *self, size_t index);

//  The entry with this sequence, or NULL.
const outbox_entry_t *outbox_find (const outbox_t *self, uint64_t sequence);

//  Bytes and updates of the entry list's batches.
uint64_t outbox_bytes (const outbox_t *self);
uint64_t outbox_updates (const outbox_t *self);

//  The encoded Batch of a queued batch, read and checked again. NULL with
//  outbox_error when the file is gone or corrupt. Caller owns the frame.
zframe_t *outbox_read (outbox_t *self, uint64_t sequence);

//  Rewrite a queued batch with previous = 0 (the aggregator no longer
//  knows the batch it named; it was not applied). Returns the new encoded
//  Batch (caller owns), or NULL with outbox_error.
zframe_t *outbox_rechain (outbox_t *self, codec_t *codec, uint64_t sequence);

//  The Ack came: remove the batch, sync the directory, drop the entry.
//  Returns 0 or -1 (outbox_error).
int outbox_remove (outbox_t *self, uint64_t sequence);

//  Leave a batch's Ack for the process waiting for it (NAME.ack, written
//  atomically). Returns 0 or -1.
int outbox_put_ack (outbox_t *self, uint64_t sequence, const void *data,
                    size_t size);

//  Take (read and remove) the Ack left for a batch; NULL when none yet.
zframe_t *outbox_take_ack (outbox_t *self, uint64_t sequence);

//  Remove acks older than max_age_ms (their waiter went away).
void outbox_sweep_acks (outbox_t *self, int64_t max_age_ms);

//  Append lines to <source>.rejected and sync it. Returns 0 or -1.
int outbox_record_rejected (outbox_t *self, const char *text);

//  The last sequence reserved (the sequence file as last read).
uint64_t outbox_sequence (const outbox_t *self);

//  The outbox directory's path. Borrowed.
const char *outbox_path (const outbox_t *self);

//  Why the last command failed. Borrowed; NULL if none.
const char *outbox_error (const outbox_t *self);

//  Status without touching anything: every committed batch file's header
//  is read into the entry list (none is sent, moved or removed) and the
//  names of files set aside are counted. Returns the number of .bad
//  files, or -1.
int outbox_inspect (outbox_t *self);

#endif
