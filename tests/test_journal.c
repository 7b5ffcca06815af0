/*  test_journal.c — the aggregator's journal and snapshot on real files in
    a scratch directory: records come back as written, across segments; a
    torn or damaged last record is dropped, exactly that one, at every
    byte; damage before the last segment stops a replay unless tolerant;
    the state directory is locked; a snapshot reproduces the store cell
    for cell and every source's applied state and last ack; a corrupt
    snapshot, or one naming an id the catalogue lost, is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <czmq.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "journal.h"
#include "log.h"
#include "snapshot.h"
#include "period.h"

#define U(n) ((jt_value_t)(n)*JT_SCALE)

//  A fresh scratch directory per test; *state holds its path.
static int
s_setup (void **state)
{
    char *dir = strdup ("/tmp/jobtally-journal-XXXXXX");
    assert (dir && mkdtemp (dir));
    *state = dir;
    return 0;
}

static int
s_teardown (void **state)
{
    char *dir = *state;
    zdir_t *handle = zdir_new (dir, NULL);
    if (handle)
        zdir_remove (handle, true);
    zdir_destroy (&handle);
    free (dir);
    return 0;
}

static const char *
s_path (const char *dir, const char *name)
{
    static char path[512];
    snprintf (path, sizeof path, "%s/%s", dir, name);
    return path;
}

static byte *
s_read (const char *path, size_t *size)
{
    FILE *file = fopen (path, "rb");
    assert_non_null (file);
    fseek (file, 0, SEEK_END);
    *size = (size_t)ftell (file);
    fseek (file, 0, SEEK_SET);
    byte *data = malloc (*size + 1);
    assert_int_equal (fread (data, 1, *size, file), *size);
    fclose (file);
    return data;
}

static void
s_write (const char *path, const byte *data, size_t size)
{
    FILE *file = fopen (path, "wb");
    assert_non_null (file);
    assert_int_equal (fwrite (data, 1, size, file), size);
    fclose (file);
}

static size_t
s_file_size (const char *path)
{
    struct stat status;
    return stat (path, &status) == 0 ? (size_t)status.st_size : (size_t)-1;
}

//  What a replay saw.
typedef struct {
    int count;            //  records
    char sources[16][8];  //  their sources, first 16
    int days[16];         //  their days
    char batches[16][32]; //  their batch bytes as text
} s_seen_t;

static int
s_collect (const journal_record_t *record, void *arg)
{
    s_seen_t *seen = arg;
    if (seen->count < 16) {
        snprintf (seen->sources[seen->count], 8, "%s", record->source);
        seen->days[seen->count] = record->day;
        snprintf (seen->batches[seen->count], 32, "%.*s", (int)record->size,
                  (const char *)record->batch);
    }
    seen->count++;
    return 0;
}

//  Append one record with text as its batch bytes.
static void
s_append (journal_t *journal, const char *source, int day, const char *text)
{
    journal_record_t record = {.source = source,
                               .day = day,
                               .batch = (const byte *)text,
                               .size = strlen (text)};
    journal_append (journal, &record);
}

//  Write three records in two groups to segment 1 of dir; returns the
//  offset where the last one starts.
static size_t
s_three_records (const char *dir)
{
    char *error = NULL;
    journal_t *journal = journal_new (dir, JOURNAL_DURABLE, &error);
    assert_non_null (journal);
    s_append (journal, "aihui", 12000, "first batch");
    s_append (journal, "beian", 12001, "second batch");
    assert_int_equal (journal_commit (journal), 2);
    size_t last = s_file_size (s_path (dir, "journal-000001.log"));
    s_append (journal, "sunwu", 12002, "third batch, the last");
    assert_int_equal (journal_commit (journal), 1);
    assert_int_equal (journal_commit (journal), 0); //  empty group
    journal_destroy (&journal);
    return last;
}

static int64_t
s_replay (const char *dir, bool tolerant, s_seen_t *seen, char **error)
{
    memset (seen, 0, sizeof *seen);
    journal_t *journal = journal_new (dir, JOURNAL_DURABLE, error);
    assert_non_null (journal);
    int64_t records =
        journal_replay (journal, 0, tolerant, s_collect, seen, error);
    journal_destroy (&journal);
    return records;
}

static void
test_crc32c_check_value (void **state)
{
    (void)state;
    assert_int_equal (jt_crc32c (0, "123456789", 9), 0xE3069283u);
    //  Continued in two pieces, the same.
    assert_int_equal (jt_crc32c (jt_crc32c (0, "1234", 4), "56789", 5),
                      0xE3069283u);
    assert_int_equal (jt_crc32c (0, "", 0), 0);
    //  Eight bytes a step and the bytes left over: a long buffer gives the
    //  byte-at-a-time value (computed apart), cut anywhere.
    unsigned char data[1000];
    for (size_t index = 0; index < sizeof data; index++)
        data[index] = (unsigned char)(index * 7 + 3);
    assert_int_equal (jt_crc32c (0, data, sizeof data), 0xDD2EDFF7u);
    for (size_t cut = 0; cut <= 17; cut++)
        assert_int_equal (
            jt_crc32c (jt_crc32c (0, data, cut), data + cut, sizeof data - cut),
            0xDD2EDFF7u);
}

//  Durable: the writer thread has a group while the next one gathers; the
//  poller hears when it is done; a group still being written is finished
//  by journal_destroy. Lazy and off commit at once. Records stay in order.
static void
test_writer_overlaps_next_group (void **state)
{
    const char *dir = *state;
    char *error = NULL;
    journal_t *journal = journal_new (dir, JOURNAL_DURABLE, &error);
    assert_non_null (journal);
    assert_non_null (journal_writer (journal));
    assert_false (journal_committing (journal));
    assert_int_equal (journal_commit_start (journal), 0); //  empty group
    assert_false (journal_committing (journal));

    s_append (journal, "aihui", 12000, "first batch");
    s_append (journal, "beian", 12001, "second batch");
    assert_int_equal (journal_commit_start (journal), 2);
    assert_true (journal_committing (journal));
    assert_int_equal (journal_group_size (journal), 0);
    //  The next group gathers while the writer has the first.
    s_append (journal, "sunwu", 12002, "third batch");
    size_t gathered = journal_group_size (journal);
    assert_true (gathered > 0);
    zpoller_t *poller = zpoller_new (journal_writer (journal), NULL);
    assert_ptr_equal (zpoller_wait (poller, -1), journal_writer (journal));
    zpoller_destroy (&poller);
    assert_true (journal_commit_ready (journal));
    assert_int_equal (journal_commit_end (journal), 2);
    assert_false (journal_committing (journal));
    assert_false (journal_commit_ready (journal));
    assert_int_equal (journal_group_size (journal), gathered);
    assert_int_equal (journal_commit_start (journal), 1);
    journal_destroy (&journal); //  ends the write in flight

    s_seen_t seen;
    assert_int_equal (s_replay (dir, false, &seen, &error), 3);
    assert_string_equal (seen.batches[0], "first batch");
    assert_string_equal (seen.batches[1], "second batch");
    assert_string_equal (seen.batches[2], "third batch");
    assert_string_equal (seen.sources[2], "sunwu");

    journal = journal_new (dir, JOURNAL_LAZY, &error);
    assert_non_null (journal);
    assert_null (journal_writer (journal));
    assert_int_equal (
        journal_replay (journal, 0, false, s_collect, &seen, &error), 3);
    s_append (journal, "aihui", 12003, "fourth batch");
    assert_int_equal (journal_commit_start (journal), 1);
    assert_false (journal_committing (journal));
    journal_destroy (&journal);
    assert_int_equal (s_replay (dir, false, &seen, &error), 4);
    assert_string_equal (seen.batches[3], "fourth batch");
}

//  Reserved state sequences survive in dir/sequence; a damaged file stops
//  the start with a message naming it.
static void
test_sequence_reservation (void **state)
{
    const char *dir = *state;
    char *error = NULL;
    journal_t *journal = journal_new (dir, JOURNAL_DURABLE, &error);
    assert_non_null (journal);
    assert_int_equal (journal_sequence_reserved (journal), 0);
    assert_int_equal (journal_sequence_reserve (journal, 1048576), 0);
    assert_int_equal (journal_sequence_reserved (journal), 1048576);
    journal_destroy (&journal);
    size_t size = 0;
    byte *text = s_read (s_path (dir, "sequence"), &size);
    assert_int_equal (size, 8);
    assert_memory_equal (text, "1048576\n", 8);
    free (text);

    journal = journal_new (dir, JOURNAL_LAZY, &error);
    assert_non_null (journal);
    assert_int_equal (journal_sequence_reserved (journal), 1048576);
    journal_destroy (&journal);

    s_write (s_path (dir, "sequence"), (const byte *)"10485x6\n", 8);
    assert_null (journal_new (dir, JOURNAL_DURABLE, &error));
    assert_non_null (error);
    char expected[600];
    snprintf (expected, sizeof expected,
              "%s/sequence is damaged: expected one state sequence on a line; "
              "remove it to start anyway, and restart the reporters",
              dir);
    assert_string_equal (error, expected);
    free (error);
}

static void
test_round_trip (void **state)
{
    const char *dir = *state;
    s_three_records (dir);
    //  The file: three records, each header plus its payload.
    size_t expected = 3 * JOURNAL_HEADER + (1 + 5 + 4 + 11) + (1 + 5 + 4 + 12) +
                      (1 + 5 + 4 + 21);
    assert_int_equal (s_file_size (s_path (dir, "journal-000001.log")),
                      expected);
    s_seen_t seen;
    char *error = NULL;
    assert_int_equal (s_replay (dir, false, &seen, &error), 3);
    assert_null (error);
    assert_int_equal (seen.count, 3);
    assert_string_equal (seen.sources[0], "aihui");
    assert_string_equal (seen.sources[1], "beian");
    assert_string_equal (seen.sources[2], "sunwu");
    assert_int_equal (seen.days[0], 12000);
    assert_int_equal (seen.days[2], 12002);
    assert_string_equal (seen.batches[0], "first batch");
    assert_string_equal (seen.batches[2], "third batch, the last");
    //  Nothing was dropped, and new records go to segment 2.
    assert_int_equal (s_file_size (s_path (dir, "journal-000001.log")),
                      expected);
    journal_t *journal = journal_new (dir, JOURNAL_DURABLE, &error);
    assert_non_null (journal);
    assert_int_equal (journal_last_segment (journal), 1);
    assert_int_equal (
        journal_replay (journal, 0, false, s_collect, &seen, &error), 3);
    assert_string_equal (journal_path (journal),
                         s_path (dir, "journal-000002.log"));
    journal_destroy (&journal);
}

//  Fail unless replaying dir (not tolerant) keeps exactly the first two
//  of s_three_records' records and truncates segment where the last began.
static void
s_assert_last_dropped (const char *dir, const char *segment, size_t last)
{
    s_seen_t seen;
    char *error = NULL;
    assert_int_equal (s_replay (dir, false, &seen, &error), 2);
    assert_null (error);
    assert_string_equal (seen.batches[1], "second batch");
    assert_int_equal (s_file_size (segment), last);
}

static void
test_torn_tail_at_every_offset (void **state)
{
    const char *dir = *state;
    size_t last = s_three_records (dir);
    const char *segment = s_path (dir, "journal-000001.log");
    size_t size;
    byte *whole = s_read (segment, &size);
    //  Cut anywhere inside the last record: exactly it is dropped, and
    //  the segment is truncated where it began.
    for (size_t cut = last; cut < size; cut++) {
        s_write (segment, whole, cut);
        s_assert_last_dropped (dir, segment, last);
    }
    free (whole);
}

static void
test_flipped_byte_drops_that_record (void **state)
{
    const char *dir = *state;
    size_t last = s_three_records (dir);
    const char *segment = s_path (dir, "journal-000001.log");
    size_t size;
    byte *whole = s_read (segment, &size);
    //  Any byte of the last record flipped: magic, length, CRC, source,
    //  day or batch, it is caught and exactly that record dropped.
    for (size_t at = last; at < size; at++) {
        whole[at] ^= 0x20;
        s_write (segment, whole, size);
        whole[at] ^= 0x20;
        s_assert_last_dropped (dir, segment, last);
    }
    free (whole);
}

static void
test_bad_magic_and_empty (void **state)
{
    const char *dir = *state;
    const char *segment = s_path (dir, "journal-000001.log");
    s_write (segment, (const byte *)"", 0);
    s_seen_t seen;
    char *error = NULL;
    assert_int_equal (s_replay (dir, false, &seen, &error), 0);
    assert_null (error);
    //  Not a journal at all: nothing replayed, the segment emptied.
    s_write (segment, (const byte *)"this is not a journal record", 28);
    assert_int_equal (s_replay (dir, false, &seen, &error), 0);
    assert_null (error);
    assert_int_equal (s_file_size (segment), 0);
}

static void
test_segments_rotate_and_trim (void **state)
{
    const char *dir = *state;
    char *error = NULL;
    journal_t *journal = journal_new (dir, JOURNAL_LAZY, &error);
    assert_non_null (journal);
    s_append (journal, "aihui", 1, "one");
    assert_int_equal (journal_commit (journal), 1);
    uint64_t covered = 0;
    assert_int_equal (journal_rotate (journal, &covered), 0);
    assert_int_equal (covered, 1);
    s_append (journal, "aihui", 2, "two");
    s_append (journal, "beian", 3, "three");
    assert_int_equal (journal_commit (journal), 2);
    assert_int_equal (journal_tick (journal), 0);
    assert_int_equal (journal_rotate (journal, &covered), 0);
    assert_int_equal (covered, 2);
    //  Nothing written since, yet segment 3 is there (empty): the number
    //  is taken on disk.
    assert_int_equal (journal_last_segment (journal), 3);
    assert_int_equal (s_file_size (s_path (dir, "journal-000003.log")), 0);
    journal_destroy (&journal);

    s_seen_t seen;
    assert_int_equal (s_replay (dir, false, &seen, &error), 3);
    assert_string_equal (seen.batches[0], "one");
    assert_string_equal (seen.batches[1], "two");
    assert_string_equal (seen.batches[2], "three");
    //  After segment 1 (a snapshot covering it): only segment 2.
    journal = journal_new (dir, JOURNAL_DURABLE, &error);
    memset (&seen, 0, sizeof seen);
    assert_int_equal (
        journal_replay (journal, 1, false, s_collect, &seen, &error), 2);
    assert_string_equal (seen.batches[0], "two");
    journal_trim (journal, 1);
    assert_int_equal (journal_first_segment (journal), 2);
    journal_destroy (&journal);
    assert_false (zsys_file_exists (s_path (dir, "journal-000001.log")));
}

static void
test_damage_inside_the_last_segment (void **state)
{
    //  Four acknowledged batches; a byte of the first flipped (the
    //  reviewer's offset 40 among them). Good records follow it: damage,
    //  not a torn tail, and nothing may be cut.
    const char *dir = *state;
    char *error = NULL;
    journal_t *journal = journal_new (dir, JOURNAL_DURABLE, &error);
    const char *texts[] = {"first batch, the damaged one", "second batch",
                           "third batch", "fourth batch"};
    for (int index = 0; index < 4; index++) {
        s_append (journal, "xunke", 12000 + index, texts[index]);
        assert_int_equal (journal_commit (journal), 1);
    }
    journal_destroy (&journal);
    const char *segment = s_path (dir, "journal-000001.log");
    char *copy = zsys_sprintf ("%s.damaged", segment);
    size_t size;
    byte *whole = s_read (segment, &size);
    size_t first = JOURNAL_HEADER + 1 + 5 + 4 + strlen (texts[0]);
    s_seen_t seen;
    for (size_t at = 0; at < first; at++) {
        whole[at] ^= 0x20;
        s_write (segment, whole, size);
        assert_int_equal (s_replay (dir, false, &seen, &error), -1);
        char *expected = zsys_sprintf ("at offset 0, with good records after "
                                       "it (the first at offset %zu)",
                                       first);
        assert_non_null (strstr (error, "journal-000001.log: "));
        assert_non_null (strstr (error, expected));
        assert_non_null (strstr (error, "--rebuild"));
        zstr_free (&expected);
        zstr_free (&error);
        assert_int_equal (seen.count, 0);
        assert_int_equal (s_file_size (segment), size); //  left as it was
        assert_false (zsys_file_exists (copy));
        whole[at] ^= 0x20;
    }
    //  --rebuild: the segment copied aside as it was, only the bad record
    //  skipped, every good one after it kept.
    whole[40] ^= 0xFF;
    s_write (segment, whole, size);
    assert_int_equal (s_replay (dir, true, &seen, &error), 3);
    assert_null (error);
    assert_string_equal (seen.batches[0], "second batch");
    assert_string_equal (seen.batches[2], "fourth batch");
    assert_int_equal (seen.days[0], 12001);
    size_t copy_size;
    byte *copied = s_read (copy, &copy_size);
    assert_int_equal (copy_size, size);
    assert_memory_equal (copied, whole, size);
    free (copied);
    //  Damage in the middle record of three, and a torn tail after them
    //  both: the middle one skipped, the tail cut, the rest kept.
    whole[first + JOURNAL_HEADER + 2] ^= 1;
    s_write (segment, whole, size - 3);
    assert_int_equal (s_replay (dir, true, &seen, &error), 1);
    assert_string_equal (seen.batches[0], "third batch");
    free (whole);
    zstr_free (&copy);
}

static void
test_damage_before_the_last_segment (void **state)
{
    const char *dir = *state;
    size_t last = s_three_records (dir);
    char *error = NULL;
    journal_t *journal = journal_new (dir, JOURNAL_DURABLE, &error);
    s_seen_t seen;
    assert_int_equal (
        journal_replay (journal, 0, false, s_collect, &seen, &error), 3);
    s_append (journal, "xunke", 4, "in segment two");
    assert_int_equal (journal_commit (journal), 1);
    journal_destroy (&journal);
    //  Segment 1's last record damaged: acknowledged batches follow it.
    const char *segment = s_path (dir, "journal-000001.log");
    size_t size;
    byte *whole = s_read (segment, &size);
    whole[last + JOURNAL_HEADER + 3] ^= 1;
    s_write (segment, whole, size);
    free (whole);
    assert_int_equal (s_replay (dir, false, &seen, &error), -1);
    assert_non_null (strstr (error, "journal-000001.log: checksum mismatch at "
                                    "offset"));
    assert_non_null (strstr (error, "--rebuild"));
    zstr_free (&error);
    assert_int_equal (s_file_size (segment), size); //  left as it was
    //  Tolerant (--rebuild): what is before it, and what follows; the
    //  segment as it was kept aside.
    assert_int_equal (s_replay (dir, true, &seen, &error), 3);
    assert_null (error);
    assert_int_equal (s_file_size (s_path (dir, "journal-000001.log.damaged")),
                      size);
    assert_string_equal (seen.batches[1], "second batch");
    assert_string_equal (seen.batches[2], "in segment two");
}

//  Start a journal in dir, replay after the given generation into seen,
//  append one record with text and commit it; returns the path it went to
//  (static buffer).
static const char *
s_replay_then_write (const char *dir, uint64_t after, s_seen_t *seen,
                     const char *text)
{
    static char path[512];
    char *error = NULL;
    memset (seen, 0, sizeof *seen);
    journal_t *journal = journal_new (dir, JOURNAL_DURABLE, &error);
    assert_non_null (journal);
    assert_true (
        journal_replay (journal, after, false, s_collect, seen, &error) >= 0);
    assert_null (error);
    s_append (journal, "xunke", 7, text);
    assert_int_equal (journal_commit (journal), 1);
    snprintf (path, sizeof path, "%s", journal_path (journal));
    journal_destroy (&journal);
    return path;
}

static void
test_snapshot_generation_never_reused (void **state)
{
    //  The reviewer's case: a start replays (so it snapshots at its stop)
    //  and writes nothing. Its snapshot covers the segment it would have
    //  written next; a record the next start writes must land above it,
    //  or the start after that skips it.
    const char *dir = *state;
    s_seen_t seen;
    s_replay_then_write (dir, 0, &seen, "plus five");
    char *error = NULL;
    journal_t *journal = journal_new (dir, JOURNAL_DURABLE, &error);
    assert_int_equal (
        journal_replay (journal, 0, false, s_collect, &seen, &error), 1);
    uint64_t covered = 0;
    assert_int_equal (journal_rotate (journal, &covered), 0);
    assert_int_equal (covered, 2);
    journal_destroy (&journal);
    //  Segment 2 exists now, empty; lose it, as a crash before the
    //  directory's fsync could: the journal still numbers past it.
    assert_int_equal (unlink (s_path (dir, "journal-000003.log")), 0);
    const char *written = s_replay_then_write (dir, covered, &seen,
                                               "plus "
                                               "seven");
    assert_true (strcmp (written, s_path (dir, "journal-000002.log")) > 0);
    //  The next start, from the snapshot at covered, sees the record.
    s_replay_then_write (dir, covered, &seen, "later");
    assert_int_equal (seen.count, 1);
    assert_string_equal (seen.batches[0], "plus seven");

    //  The journal switched off and on: the snapshot names a generation
    //  no segment ever had.
    const char *other = s_path (dir, "off");
    char *off_dir = strdup (other);
    journal = journal_new (off_dir, JOURNAL_OFF, &error);
    assert_int_equal (
        journal_replay (journal, 0, false, s_collect, &seen, &error), 0);
    assert_int_equal (journal_rotate (journal, &covered), 0);
    assert_int_equal (covered, 1);
    assert_int_equal (journal_last_segment (journal), 0);
    journal_destroy (&journal);
    s_replay_then_write (off_dir, covered, &seen, "durable again");
    s_replay_then_write (off_dir, covered, &seen, "after a kill");
    assert_int_equal (seen.count, 1);
    assert_string_equal (seen.batches[0], "durable again");
    free (off_dir);
}

static void
test_segment_gap_refused (void **state)
{
    const char *dir = *state;
    s_seen_t seen;
    s_replay_then_write (dir, 0, &seen, "one");
    s_replay_then_write (dir, 0, &seen, "two");
    s_replay_then_write (dir, 0, &seen, "three");
    assert_int_equal (seen.count, 2);
    //  Segment 2 lost: its batch was acknowledged.
    assert_int_equal (unlink (s_path (dir, "journal-000002.log")), 0);
    char *error = NULL;
    assert_int_equal (s_replay (dir, false, &seen, &error), -1);
    assert_non_null (strstr (error, "journal-000002.log is missing"));
    assert_non_null (strstr (error, "--rebuild"));
    zstr_free (&error);
    //  The same after a snapshot covering segment 1.
    journal_t *journal = journal_new (dir, JOURNAL_DURABLE, &error);
    assert_int_equal (
        journal_replay (journal, 1, false, s_collect, &seen, &error), -1);
    assert_non_null (strstr (error, "journal-000002.log is missing"));
    zstr_free (&error);
    journal_destroy (&journal);
    //  Tolerant (--rebuild): what the others hold.
    assert_int_equal (s_replay (dir, true, &seen, &error), 2);
    assert_null (error);
    assert_string_equal (seen.batches[0], "one");
    assert_string_equal (seen.batches[1], "three");
}

//  What a replay saw of refusal records.
typedef struct {
    int count;                 //  records
    int refusals;              //  of them, refusals
    journal_refusal_t refusal; //  the last refusal
    char reason[128];          //  its text
    int day;                   //  its day
    const byte *batch;         //  its batch (NULL for a refusal)
    int last_day;              //  the last record's day
} s_refusals_t;

static int
s_collect_refusals (const journal_record_t *record, void *arg)
{
    s_refusals_t *seen = arg;
    seen->count++;
    seen->last_day = record->day;
    if (record->refusal) {
        seen->refusals++;
        seen->refusal = *record->refusal;
        snprintf (seen->reason, sizeof seen->reason, "%s",
                  record->refusal->reason);
        seen->refusal.reason = seen->reason;
        seen->day = record->day;
        seen->batch = record->batch;
    }
    return 0;
}

static void
test_refused_batch_journaled_small (void **state)
{
    //  A batch refused whole keeps only its refusal: megabytes of updates
    //  would be replayed only to be refused again.
    const char *dir = *state;
    char *error = NULL;
    journal_t *journal = journal_new (dir, JOURNAL_DURABLE, &error);
    size_t big = 4 * 1024 * 1024;
    byte *updates = calloc (1, big);
    journal_refusal_t refusal = {
        .sequence = 0x0102030405060708ULL,
        .previous = 41,
        .digest = 0xFEDCBA9876543210ULL,
        .code = 23,
        .reason = "region not assigned: 'city.b' is not north's; batch "
                  "refused"};
    journal_record_t record = {.source = "north",
                               .day = 12345,
                               .batch = updates,
                               .size = big,
                               .refusal = &refusal};
    journal_append (journal, &record);
    //  A batch on no day (the clock failed) is still a batch.
    s_append (journal, "north", INT32_MIN, "the next batch");
    assert_int_equal (journal_commit (journal), 2);
    journal_destroy (&journal);
    free (updates);
    size_t expected = 2 * JOURNAL_HEADER +
                      (1 + 5 + 4 + 28 + strlen (refusal.reason)) +
                      (1 + 5 + 4 + 14);
    assert_int_equal (s_file_size (s_path (dir, "journal-000001.log")),
                      expected);

    s_refusals_t seen;
    memset (&seen, 0, sizeof seen);
    journal = journal_new (dir, JOURNAL_DURABLE, &error);
    assert_int_equal (
        journal_replay (journal, 0, false, s_collect_refusals, &seen, &error),
        2);
    journal_destroy (&journal);
    assert_int_equal (seen.refusals, 1);
    assert_int_equal (seen.last_day, INT32_MIN);
    assert_null (seen.batch);
    assert_int_equal (seen.day, 12345);
    assert_true (seen.refusal.sequence == 0x0102030405060708ULL);
    assert_int_equal (seen.refusal.previous, 41);
    assert_true (seen.refusal.digest == 0xFEDCBA9876543210ULL);
    assert_int_equal (seen.refusal.code, 23);
    assert_string_equal (seen.reason, refusal.reason);
}

static void
test_state_directory_locked (void **state)
{
    const char *dir = *state;
    char *error = NULL;
    char *nested = zsys_sprintf ("%s/a/state", dir);
    journal_t *first = journal_new (nested, JOURNAL_DURABLE, &error);
    assert_non_null (first);
    struct stat status;
    assert_int_equal (stat (nested, &status), 0);
    assert_int_equal (status.st_mode & 0777, 0700);
    journal_t *second = journal_new (nested, JOURNAL_DURABLE, &error);
    assert_null (second);
    assert_non_null (strstr (error, "another aggregator is using the state "
                                    "directory"));
    zstr_free (&error);
    journal_destroy (&first);
    second = journal_new (nested, JOURNAL_DURABLE, &error);
    assert_non_null (second);
    journal_destroy (&second);
    zstr_free (&nested);
    assert_int_equal (journal_policy_parse ("durable"), JOURNAL_DURABLE);
    assert_int_equal (journal_policy_parse ("lazy"), JOURNAL_LAZY);
    assert_int_equal (journal_policy_parse ("off"), JOURNAL_OFF);
    assert_int_equal (journal_policy_parse ("sometimes"), -1);
}

//  A city, two counties (one with two towns), two sources.
static const char *s_city_zpl = "catalogue\n"
                                "    year = 2003\n"
                                "regions\n"
                                "    city\n"
                                "        city.a\n"
                                "            city.a.t1\n"
                                "            city.a.t2\n"
                                "        city.b\n"
                                "indicators\n"
                                "    employed_new\n"
                                "        time = flow\n"
                                "    income\n"
                                "        time = flow\n"
                                "        whole = no\n"
                                "sources\n"
                                "    north\n"
                                "        regions = \"city.a\"\n"
                                "    south\n"
                                "        regions = \"city.b\"\n";

static catalogue_t *
s_catalogue (const char *text)
{
    char *error = NULL;
    catalogue_t *catalogue = catalogue_new (text, "test.zpl", &error);
    if (!catalogue)
        fail_msg ("catalogue: %s", error);
    return catalogue;
}

typedef struct {
    const store_t *other; //  the store compared with
    int cells;            //  cells visited
} s_compare_t;

static int
s_same_cell (const store_cell_t *cell, void *arg)
{
    s_compare_t *compare = arg;
    jt_value_t value;
    assert_true (store_get (compare->other, cell->region, cell->indicator,
                            cell->period, &value));
    assert_true (value == cell->value);
    compare->cells++;
    return 0;
}

static int
s_same_arrival (const store_arrival_t *arrival, void *arg)
{
    s_compare_t *compare = arg;
    assert_int_equal (
        store_reported_day (compare->other, arrival->region, arrival->period),
        arrival->day);
    compare->cells++;
    return 0;
}

//  Every cell and arrival of one store is in the other with its value,
//  both ways.
static void
s_assert_same_store (const store_t *left, const store_t *right)
{
    assert_int_equal (store_cell_count (left), store_cell_count (right));
    assert_int_equal (store_arrival_count (left), store_arrival_count (right));
    s_compare_t compare = {right, 0};
    store_visit (left, s_same_cell, &compare);
    assert_int_equal (compare.cells, (int)store_cell_count (left));
    compare = (s_compare_t){left, 0};
    store_visit (right, s_same_cell, &compare);
    compare = (s_compare_t){right, 0};
    store_visit_arrivals (left, s_same_arrival, &compare);
    assert_int_equal (compare.cells, (int)store_arrival_count (left));
}

//  A store with set and add updates across years, towns and counties.
static store_t *
s_filled_store (const catalogue_t *catalogue)
{
    store_t *store = store_new (catalogue);
    int t1 = catalogue_region_find (catalogue, "city.a.t1");
    int t2 = catalogue_region_find (catalogue, "city.a.t2");
    int b = catalogue_region_find (catalogue, "city.b");
    int employed = catalogue_indicator_find (catalogue, "employed_new");
    int income = catalogue_indicator_find (catalogue, "income");
    assert_int_equal (store_apply (store, t1, employed, period_make (2003, 1),
                                   U (120), false),
                      JT_OK);
    assert_int_equal (
        store_apply (store, t1, employed, period_make (2003, 1), U (5), true),
        JT_OK);
    assert_int_equal (
        store_apply (store, t2, employed, period_make (2003, 1), U (80), false),
        JT_OK);
    assert_int_equal (
        store_apply (store, t2, employed, period_make (2002, 12), 0, false),
        JT_OK);
    assert_int_equal (
        store_apply (store, b, income, period_make (2003, 10), 1234567, false),
        JT_OK);
    assert_int_equal (store_apply (store, b, employed, period_make (2003, 10),
                                   U (1000000), false),
                      JT_OK);
    store_mark_reported (store, t1, period_make (2003, 1),
                         period_day_make (2003, 2, 3));
    store_mark_reported (store, b, period_make (2003, 10),
                         period_day_make (2003, 11, 14));
    return store;
}

static void
test_snapshot_round_trip (void **state)
{
    const char *dir = *state;
    catalogue_t *catalogue = s_catalogue (s_city_zpl);
    store_t *store = s_filled_store (catalogue);
    source_state_t sources[2] = {
        {.applied = {.last = 70, .below = 0x8000000000000005ULL},
         .last_ack_sequence = 70,
         .last_ack_digest = 0x0123456789ABCDEFULL,
         .last_ack = zframe_new ("ack bytes", 9)},
        {.last_ack = NULL}};
    snapshot_state_t saved = {
        .sequence = 4242, .generation = 17, .sources = sources};
    char *error = NULL;
    int dir_fd = open (dir, O_RDONLY);
    assert_int_equal (
        snapshot_save (dir, dir_fd, catalogue, store, &saved, &error), 0);
    assert_null (error);
    assert_false (zsys_file_exists (s_path (dir, "snapshot.tmp")));

    store_t *loaded = store_new (catalogue);
    source_state_t back[2];
    memset (back, 0, sizeof back);
    snapshot_state_t state_back = {.sources = back};
    assert_int_equal (snapshot_load (s_path (dir, "snapshot"), catalogue,
                                     loaded, &state_back, &error),
                      1);
    assert_null (error);
    //  The store exactly: leaves and every total rolled up again.
    s_assert_same_store (store, loaded);
    //  t1 Jan and t2 Dec with a, city; t2 Jan; b income and employed Oct
    //  with city: 3 + 3 + 1 + 2 + 2.
    assert_int_equal (store_cell_count (loaded), 11);
    assert_int_equal (state_back.sequence, 4242);
    assert_int_equal (state_back.generation, 17);
    assert_int_equal (back[0].applied.last, 70);
    assert_true (back[0].applied.below == 0x8000000000000005ULL);
    assert_int_equal (back[0].last_ack_sequence, 70);
    assert_true (back[0].last_ack_digest == 0x0123456789ABCDEFULL);
    assert_non_null (back[0].last_ack);
    assert_true (zframe_streq (back[0].last_ack, "ack bytes"));
    assert_int_equal (back[1].applied.last, 0);
    assert_null (back[1].last_ack);
    //  Nothing to publish as changed after a load.
    store_cell_t cell;
    assert_false (store_changes_next (loaded, &cell));

    //  A second snapshot keeps the first as snapshot.prev.
    saved.sequence = 5000;
    assert_int_equal (
        snapshot_save (dir, dir_fd, catalogue, store, &saved, &error), 0);
    store_clear (loaded);
    zframe_destroy (&back[0].last_ack);
    assert_int_equal (snapshot_load (s_path (dir, "snapshot.prev"), catalogue,
                                     loaded, &state_back, &error),
                      1);
    assert_int_equal (state_back.sequence, 4242);
    s_assert_same_store (store, loaded);
    zframe_destroy (&back[0].last_ack);
    //  A failed save leaves no snapshot.tmp behind: here the snapshot
    //  cannot be kept as snapshot.prev (a directory is in its place).
    char *blocked = zsys_sprintf ("%s/blocked", dir);
    assert_int_equal (mkdir (blocked, 0700), 0);
    assert_int_equal (mkdir (s_path (blocked, "snapshot"), 0700), 0);
    int blocked_fd = open (blocked, O_RDONLY);
    assert_int_equal (
        snapshot_save (blocked, blocked_fd, catalogue, store, &saved, &error),
        -1);
    assert_non_null (strstr (error, "cannot write"));
    zstr_free (&error);
    assert_false (zsys_file_exists (s_path (blocked, "snapshot.tmp")));
    close (blocked_fd);
    zstr_free (&blocked);
    //  No file: 0, no error.
    assert_int_equal (snapshot_load (s_path (dir, "none"), catalogue, loaded,
                                     &state_back, &error),
                      0);
    assert_null (error);

    close (dir_fd);
    zframe_destroy (&sources[0].last_ack);
    store_destroy (&loaded);
    store_destroy (&store);
    catalogue_destroy (&catalogue);
}

//  Fail unless snapshot_load refuses path into a fresh store of
//  catalogue; returns its reason, which the caller frees with zstr_free.
static char *
s_snapshot_refused (const char *path, catalogue_t *catalogue)
{
    store_t *loaded = store_new (catalogue);
    source_state_t back[2];
    memset (back, 0, sizeof back);
    snapshot_state_t state_back = {.sources = back};
    char *error = NULL;
    assert_int_equal (
        snapshot_load (path, catalogue, loaded, &state_back, &error), -1);
    store_destroy (&loaded);
    return error;
}

static void
test_corrupt_snapshot_refused (void **state)
{
    const char *dir = *state;
    catalogue_t *catalogue = s_catalogue (s_city_zpl);
    store_t *store = s_filled_store (catalogue);
    source_state_t sources[2];
    memset (sources, 0, sizeof sources);
    snapshot_state_t saved = {.sequence = 9, .sources = sources};
    char *error = NULL;
    int dir_fd = open (dir, O_RDONLY);
    assert_int_equal (
        snapshot_save (dir, dir_fd, catalogue, store, &saved, &error), 0);
    const char *path = s_path (dir, "snapshot");
    size_t size;
    byte *whole = s_read (path, &size);
    char *path_copy = strdup (path);

    //  Every byte flipped, and every cut, is refused.
    for (size_t at = 0; at < size; at++) {
        whole[at] ^= 0x04;
        s_write (path_copy, whole, size);
        whole[at] ^= 0x04;
        error = s_snapshot_refused (path_copy, catalogue);
        assert_non_null (strstr (error, "snapshot is corrupt"));
        zstr_free (&error);
    }
    for (size_t cut = 0; cut < size; cut += 7) {
        s_write (path_copy, whole, cut);
        error = s_snapshot_refused (path_copy, catalogue);
        zstr_free (&error);
    }
    //  A good file, but the catalogue lost source south: named.
    s_write (path_copy, whole, size);
    catalogue_t *smaller = s_catalogue (
        "catalogue\n    year = 2003\nregions\n    city\n        city.a\n"
        "            city.a.t1\n            city.a.t2\n        city.b\n"
        "indicators\n    employed_new\n        time = flow\n    income\n"
        "        time = flow\n        whole = no\nsources\n    north\n"
        "        regions = \"city.a\"\n");
    error = s_snapshot_refused (path_copy, smaller);
    assert_non_null (strstr (error, "source 'south' is not in the catalogue"));
    zstr_free (&error);
    catalogue_destroy (&smaller);

    close (dir_fd);
    free (path_copy);
    free (whole);
    store_destroy (&store);
    catalogue_destroy (&catalogue);
}

int
main (void)
{
    //  The journal warns of every dropped record; thousands here.
    FILE *quiet = fopen ("/dev/null", "w");
    log_set_stream (quiet);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_crc32c_check_value),
        cmocka_unit_test_setup_teardown (test_round_trip, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_writer_overlaps_next_group,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_sequence_reservation, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_torn_tail_at_every_offset,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_flipped_byte_drops_that_record,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_bad_magic_and_empty, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_segments_rotate_and_trim, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_damage_inside_the_last_segment,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_damage_before_the_last_segment,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_snapshot_generation_never_reused,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_segment_gap_refused, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_refused_batch_journaled_small,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_state_directory_locked, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_snapshot_round_trip, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_corrupt_snapshot_refused, s_setup,
                                         s_teardown),
    };
    int failed = cmocka_run_group_tests (tests, NULL, NULL);
    log_set_stream (NULL);
    fclose (quiet);
    return failed;
}
