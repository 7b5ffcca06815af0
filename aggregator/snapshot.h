/*  snapshot.h — the aggregator's whole state in one file, written
    atomically (snapshot.tmp, fsync, rename to snapshot, fsync of the
    directory) with the previous one kept as snapshot.prev (DESIGN §4).

    The file, all integers little-endian:
        magic "JTSNAPSH" (8 bytes), format version u32
        state sequence u64, journal generation covered u64
        sources u32, each: id (u8 length, bytes), applied last u64,
            applied below u64, last ack sequence u64, last ack digest u64,
            last ack (u32 length, bytes)
        regions u32, each an id (u8 length, bytes); indicators likewise
        leaf cells u64, each: region u32, indicator u32 (indices into the
            two tables above), period yyyymm u32, value i64
        arrivals u64, each: region u32, period yyyymm u32, day yyyymmdd u32
        CRC-32C u32 of every byte before it
    Only leaf cells are kept: loading applies them as reports, so every
    total is rolled up again for the catalogue of the day. */
#ifndef JT_SNAPSHOT_H_INCLUDED
#define JT_SNAPSHOT_H_INCLUDED

#include <czmq.h>
#include "applied.h"
#include "store.h"

#define SNAPSHOT_VERSION 1

//  What the file keeps per catalogue source: the ingest engine's state
//  (ingest.h), its latest ack encoded.
typedef struct {
    applied_t applied;          //  which batches were applied
    uint64_t last_ack_sequence; //  sequence of last_ack
    uint64_t last_ack_digest;   //  digest of the batch it answered
    zframe_t *last_ack;         //  the latest ack sent, re-sent as is
} source_state_t;

//  The state besides the store: sequence, generation, one source_state_t
//  per catalogue source (indexed as the catalogue's sources).
typedef struct {
    uint64_t sequence;       //  state sequence
    uint64_t generation;     //  journal segments up to this one are in it
    source_state_t *sources; //  catalogue_source_count entries, borrowed
} snapshot_state_t;

//  Write store and state to dir/snapshot atomically (dir_fd is the open
//  directory), keeping the file it replaces as dir/snapshot.prev.
//  Returns 0, or -1 with *error (a fresh string).
int snapshot_save (const char *dir, int dir_fd, const catalogue_t *catalogue,
                   const store_t *store, const snapshot_state_t *state,
                   char **error);

//  Load a snapshot file into an empty store and state (its sources zeroed,
//  last_ack NULL). Returns 1 when loaded, 0 when there is no such file,
//  or -1 with *error (a fresh string) when it is unreadable, corrupt, or
//  names an id the catalogue no longer has; the store and state may then
//  be partly filled.
int snapshot_load (const char *path, const catalogue_t *catalogue,
                   store_t *store, snapshot_state_t *state, char **error);

#endif
