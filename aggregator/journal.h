/*  journal.h — the aggregator's state directory and its journal (DESIGN
    §4): an exclusive lock, and numbered segments (journal-000001.log, ...)
    of checksummed records, one per batch that changed a source's applied
    state. Records are gathered into a group and written together, made
    durable (fsync) before the group's acks leave. Under the durable policy
    a writer thread writes and fsyncs one group while the next gathers. A
    snapshot (snapshot.h) covers every segment up to a generation; the
    journal then starts the next segment, and older segments are trimmed.
    Beside them, the file `sequence` holds the state sequences reserved.

    A record on disk is [magic u32][length u32][crc32c u32][payload], all
    little-endian, the CRC-32C taken over the payload; the payload is
    [source id length u8][source id][day u32][the Batch frame's bytes].
    A batch refused whole is journaled small, without its updates: the
    day's bit 30 set (never set in a day, PERIOD_DAY_NONE included), and
    instead of the frame [sequence u64][previous
    u64][digest u64][error code u32][the ack's error text]. */
#ifndef JT_JOURNAL_H_INCLUDED
#define JT_JOURNAL_H_INCLUDED

#include <czmq.h>

#define JOURNAL_MAGIC 0x4C4E524Au //  "JRNL" little-endian
#define JOURNAL_HEADER 12         //  magic, length, crc
//  Largest payload a record may have: a batch frame of the largest message
//  a socket accepts, and the source and day. Longer means corrupt.
#define JOURNAL_MAX_PAYLOAD (8 * 1024 * 1024 + 128)

typedef enum {
    JOURNAL_DURABLE, //  fsync each group before its acks are sent
    JOURNAL_LAZY,    //  write before acks, fsync at most once a second
    JOURNAL_OFF      //  write nothing: state only in snapshots
} journal_policy_t;

//  A batch refused whole yet counted as done (too many updates, a region
//  not its source's): what replaying the same decision takes.
typedef struct {
    uint64_t sequence;  //  the batch's sequence
    uint64_t previous;  //  the batch it names as sent before
    uint64_t digest;    //  of the batch's bytes, as the server takes it
    int code;           //  jt_error_t of the refusal
    const char *reason; //  the ack's error text
} journal_refusal_t;

//  One journaled batch: its frame, or for a batch refused whole only the
//  refusal (batch NULL).
typedef struct {
    const char *source;               //  the catalogue source id it came from
    int day;                          //  the server's today when received
    const byte *batch;                //  the encoded Batch frame, as received
    size_t size;                      //  bytes in batch
    const journal_refusal_t *refusal; //  or this, for a batch refused whole
} journal_record_t;

typedef struct _journal_t journal_t;

//  Open the state directory (created, mode 0700, when missing) and take
//  its lock, so that no two aggregators share it. NULL with *error (a
//  fresh string the caller frees) when it cannot.
journal_t *journal_new (const char *dir, journal_policy_t policy, char **error);

//  Close the segment (fsynced first) and release the lock.
void journal_destroy (journal_t **self_p);

//  The state directory's path and open descriptor (for fsync). Borrowed.
const char *journal_dir (journal_t *self);
int journal_dir_fd (journal_t *self);

//  State sequences are reserved ahead in dir/sequence (one line, the
//  highest reserved), so that a start can go on above any sequence the
//  last run published, durable or not. journal_new reads it (a damaged
//  file fails the start).
//  The highest state sequence reserved, 0 when none ever was.
uint64_t journal_sequence_reserved (journal_t *self);

//  Reserve state sequences through `through`: written and fsynced before
//  the caller publishes any above the last reservation. Returns 0, or -1
//  with errno set.
int journal_sequence_reserve (journal_t *self, uint64_t through);

//  Parse "durable", "lazy" or "off"; -1 for anything else.
int journal_policy_parse (const char *text);

//  Lowest and highest segment numbers present, 0 when none.
uint64_t journal_first_segment (journal_t *self);
uint64_t journal_last_segment (journal_t *self);

//  Called for each good record in replay; a non-zero return stops the
//  replay, which then fails with the error the callback set (if any).
typedef int (journal_replay_fn) (const journal_record_t *record, void *arg);

//  Replay every segment numbered above after, in order. Those segments
//  must be consecutive: a missing one fails the replay, naming the file,
//  unless tolerant (--rebuild), when it is warned about. A record that is
//  short, has a bad magic, a length beyond JOURNAL_MAX_PAYLOAD or a bad
//  CRC is bad. With no good record after it in the last segment it is a
//  torn tail (a crash mid-write, never acknowledged): dropped with a
//  warning naming the file and offset, the segment truncated there. Any
//  other bad record is damage, and acknowledged batches may follow it:
//  the replay fails naming the file and offset, unless tolerant, when the
//  segment is first copied to journal-N.log.damaged and then only the bad
//  bytes are skipped (a bad tail truncated). A segment that cannot be
//  read whole fails the replay. Afterwards new records go to a fresh
//  segment, numbered above both the last segment on disk and after.
//  Returns the number of records replayed, or -1 with *error (a fresh
//  string).
int64_t journal_replay (journal_t *self, uint64_t after, bool tolerant,
                        journal_replay_fn *replay, void *arg, char **error);

//  Add one record to the group being gathered (copied).
void journal_append (journal_t *self, const journal_record_t *record);

//  Bytes in the group being gathered, so that a group can end before it
//  grows too large.
size_t journal_group_size (journal_t *self);

//  Start writing the group to the current segment (created when needed).
//  Under the durable policy a writer thread writes and fsyncs it while the
//  caller goes on gathering the next group; journal_commit_end ends it.
//  Under lazy it is written at once (fsynced later by journal_tick), and
//  under off nothing is written. Returns the number of records started (0
//  for an empty group or policy off), or -1 with errno set; journal_path
//  then names the file.
int journal_commit_start (journal_t *self);

//  True from a durable journal_commit_start until its journal_commit_end.
bool journal_committing (journal_t *self);

//  True when the writer has finished, so that journal_commit_end will not
//  wait.
bool journal_commit_ready (journal_t *self);

//  The writer thread (durable policy only, else NULL): readable when the
//  group it writes is done. For a poller.
zactor_t *journal_writer (journal_t *self);

//  Wait for the group being written and end it. Returns its number of
//  records, or -1 with errno set (journal_path names the file).
int journal_commit_end (journal_t *self);

//  Write the group and, when durable, fsync it before returning: start and
//  end in one call. Returns as journal_commit_end.
int journal_commit (journal_t *self);

//  Under the lazy policy, fsync what was written if the last fsync is a
//  second old or more. Returns 0, or -1 with errno set.
int journal_tick (journal_t *self);

//  The current segment's path (for messages). Borrowed.
const char *journal_path (journal_t *self);

//  End the current segment (fsynced) and start the next, created on disk
//  at once (unless the policy is off): a snapshot taken now covers every
//  segment up to *covered. The group must be empty, and no group being written.
//  Returns 0, or -1 with errno set when the next segment cannot be created
//  (journal_path names it); a snapshot must not be taken then.
int journal_rotate (journal_t *self, uint64_t *covered);

//  Delete every segment numbered through or below.
void journal_trim (journal_t *self, uint64_t through);

#endif
