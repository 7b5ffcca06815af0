/*  test_outbox.c — the collector's on-disk outbox without a network: batch
    files written and read back byte for byte, in sequence order, with
    their bytes counted; the budget; leftovers of a crash (temp files, a
    group never committed) removed; corrupt files set aside, never sent;
    the source lock and who holds it; Acks left for a waiting process. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <czmq.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outbox.h"

typedef struct {
    char dir[64];   //  a fresh state directory
    char path[128]; //  its outbox: DIR/aihui.outbox
    codec_t *codec; //  encodes the batches
    jt_update_t updates[3];
} fixture_t;

static int
s_setup (void **state)
{
    fixture_t *self = calloc (1, sizeof (fixture_t));
    assert_non_null (self);
    snprintf (self->dir, sizeof self->dir, "/tmp/jobtally-outbox-XXXXXX");
    assert_non_null (mkdtemp (self->dir));
    snprintf (self->path, sizeof self->path, "%s/aihui.outbox", self->dir);
    self->codec = codec_new (1024 * 1024);
    for (int index = 0; index < 3; index++)
        self->updates[index] = (jt_update_t){.region = "heihe.aihui",
                                             .indicator = "employed_new",
                                             .period = 200310,
                                             .value = (index + 1) * 1000,
                                             .add = true,
                                             .line = (uint32_t)(index + 2)};
    *state = self;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *self = *state;
    codec_destroy (&self->codec);
    zdir_t *dir = zdir_new (self->dir, NULL);
    zdir_remove (dir, true);
    zdir_destroy (&dir);
    free (self);
    return 0;
}

static outbox_t *
s_open (fixture_t *self)
{
    char *error = NULL;
    outbox_t *outbox = outbox_new (self->dir, "aihui", &error);
    if (!outbox)
        fail_msg ("%s", error);
    return outbox;
}

//  Queue one batch of count updates (from the fixture's) in its own group.
static uint64_t
s_queue (fixture_t *self, outbox_t *outbox, size_t count, const char *origin)
{
    assert_int_equal (outbox_begin (outbox), 0);
    jt_batch_t batch = {
        .source = "aihui", .update_count = count, .updates = self->updates};
    assert_int_equal (outbox_add (outbox, self->codec, &batch, origin, 0), 0);
    assert_int_equal (outbox_commit (outbox), 0);
    return batch.sequence;
}

static const char *
s_file (fixture_t *self, uint64_t sequence, const char *suffix)
{
    static char path[256];
    snprintf (path, sizeof path, "%s/%020" PRIu64 "%s", self->path, sequence,
              suffix);
    return path;
}

static uint64_t
s_size (const char *path)
{
    struct stat info;
    assert_int_equal (stat (path, &info), 0);
    return (uint64_t)info.st_size;
}

//  Written, then read back by a fresh outbox: same order, same headers,
//  the body byte for byte as encoded, each batch chained to the one
//  before.
static void
test_round_trip_in_order (void **state)
{
    fixture_t *self = *state;
    outbox_t *outbox = s_open (self);
    assert_int_equal (outbox_begin (outbox), 0);
    uint64_t sequences[3];
    zframe_t *expected[3];
    for (int index = 0; index < 3; index++) {
        jt_batch_t batch = {.source = "aihui",
                            .update_count = (size_t)index + 1,
                            .updates = self->updates};
        assert_int_equal (
            outbox_add (outbox, self->codec, &batch, "aihui.csv", 0), 0);
        sequences[index] = batch.sequence;
        expected[index] = codec_encode_batch (self->codec, &batch);
    }
    assert_int_equal (outbox_commit (outbox), 0);
    assert_int_equal (sequences[0], 1);
    assert_int_equal (sequences[1], 2);
    assert_int_equal (sequences[2], 3);
    assert_int_equal (outbox_sequence (outbox), 3);
    outbox_destroy (&outbox);

    outbox = s_open (self);
    assert_int_equal (outbox_load (outbox), 0);
    assert_int_equal (outbox_count (outbox), 3);
    for (size_t index = 0; index < 3; index++) {
        const outbox_entry_t *entry = outbox_entry (outbox, index);
        assert_int_equal (entry->sequence, index + 1);
        assert_int_equal (entry->previous, index); //  0, then 1, then 2
        assert_int_equal (entry->update_count, index + 1);
        assert_int_equal (entry->first_line, 2);
        assert_int_equal (entry->last_line, index + 2);
        assert_string_equal (entry->origin, "aihui.csv");
        assert_int_equal (entry->waiter, 0);
        assert_false (entry->own);
        zframe_t *body = outbox_read (outbox, entry->sequence);
        assert_non_null (body);
        assert_true (zframe_eq (body, expected[index]));
        //  And it decodes as the batch it was.
        assert_int_equal (codec_decode (self->codec, zframe_data (body),
                                        zframe_size (body), NULL),
                          JT_MSG_BATCH);
        const jt_batch_t *batch = codec_batch (self->codec);
        assert_int_equal (batch->sequence, index + 1);
        assert_int_equal (batch->previous, index);
        assert_int_equal (batch->updates[index].value, (index + 1) * 1000);
        zframe_destroy (&body);
        zframe_destroy (&expected[index]);
    }
    outbox_destroy (&outbox);
}

//  Bytes and updates queued are those of the files; a removed batch is
//  gone from both, and the next batch after an empty outbox chains to
//  nothing but continues the sequence.
static void
test_bytes_remove_and_sequence (void **state)
{
    fixture_t *self = *state;
    outbox_t *outbox = s_open (self);
    s_queue (self, outbox, 3, "a.csv");
    s_queue (self, outbox, 1, "b.csv");
    uint64_t bytes =
        s_size (s_file (self, 1, "")) + s_size (s_file (self, 2, ""));
    assert_int_equal (outbox_bytes (outbox), bytes);
    assert_int_equal (outbox_updates (outbox), 4);
    //  Own batches are marked as such.
    assert_true (outbox_entry (outbox, 0)->own);
    assert_int_equal (outbox_entry (outbox, 0)->size,
                      s_size (s_file (self, 1, "")));

    assert_int_equal (outbox_remove (outbox, 1), 0);
    assert_false (zsys_file_exists (s_file (self, 1, "")));
    assert_int_equal (outbox_count (outbox), 1);
    assert_int_equal (outbox_bytes (outbox), s_size (s_file (self, 2, "")));
    assert_int_equal (outbox_updates (outbox), 1);
    assert_int_equal (outbox_remove (outbox, 2), 0);
    assert_int_equal (outbox_count (outbox), 0);
    outbox_destroy (&outbox);

    outbox = s_open (self);
    assert_int_equal (outbox_load (outbox), 0);
    assert_int_equal (outbox_count (outbox), 0);
    assert_int_equal (s_queue (self, outbox, 1, "c.csv"), 3);
    assert_int_equal (outbox_entry (outbox, 0)->previous, 0);
    outbox_destroy (&outbox);
}

//  A batch that would go over the budget is refused and nothing of it is
//  written; what was queued before stays.
static void
test_budget_refuses_and_keeps (void **state)
{
    fixture_t *self = *state;
    outbox_t *outbox = s_open (self);
    s_queue (self, outbox, 3, "a.csv");
    uint64_t one = outbox_bytes (outbox);
    outbox_set_limit (outbox, one * 2 + one / 2);
    s_queue (self, outbox, 3, "a.csv");
    assert_int_equal (outbox_begin (outbox), 0);
    jt_batch_t batch = {
        .source = "aihui", .update_count = 3, .updates = self->updates};
    assert_int_equal (outbox_add (outbox, self->codec, &batch, "a.csv", 0), -1);
    assert_true (outbox_full (outbox));
    assert_non_null (strstr (outbox_error (outbox), "is full"));
    assert_int_equal (outbox_commit (outbox), 0);
    assert_false (zsys_file_exists (s_file (self, 3, "")));
    outbox_destroy (&outbox);
    outbox = s_open (self);
    assert_int_equal (outbox_load (outbox), 0);
    assert_int_equal (outbox_count (outbox), 2);
    assert_int_equal (outbox_bytes (outbox), s_size (s_file (self, 1, "")) +
                                                 s_size (s_file (self, 2, "")));
    //  Room made: it fits again.
    assert_int_equal (outbox_remove (outbox, 1), 0);
    outbox_set_limit (outbox, one * 2 + one / 2);
    assert_int_equal (s_queue (self, outbox, 3, "a.csv"), 3);
    outbox_destroy (&outbox);
}

//  A temp file (a crash while writing) is removed; a file that fails its
//  CRC, or is cut short, is set aside as NAME.bad and never read again.
static void
test_leftovers_and_corrupt_files (void **state)
{
    fixture_t *self = *state;
    outbox_t *outbox = s_open (self);
    for (int index = 0; index < 3; index++)
        s_queue (self, outbox, 3, "a.csv");
    outbox_destroy (&outbox);
    //  Batch 1: one body byte flipped. Batch 2: cut short.
    FILE *file = fopen (s_file (self, 1, ""), "r+b");
    assert_non_null (file);
    fseek (file, -3, SEEK_END);
    int byte = fgetc (file);
    fseek (file, -3, SEEK_END);
    fputc (byte ^ 0x20, file);
    fclose (file);
    assert_int_equal (truncate (s_file (self, 2, ""), 30), 0);
    file = fopen (s_file (self, 4, ".tmp"), "w");
    fputs ("JTOB half", file);
    fclose (file);

    outbox = s_open (self);
    assert_int_equal (outbox_load (outbox), 2);
    assert_int_equal (outbox_count (outbox), 1);
    assert_int_equal (outbox_entry (outbox, 0)->sequence, 3);
    assert_true (zsys_file_exists (s_file (self, 1, ".bad")));
    assert_true (zsys_file_exists (s_file (self, 2, ".bad")));
    assert_false (zsys_file_exists (s_file (self, 1, "")));
    assert_false (zsys_file_exists (s_file (self, 4, ".tmp")));
    outbox_destroy (&outbox);
    //  status counts them without touching anything.
    outbox = s_open (self);
    assert_int_equal (outbox_inspect (outbox), 2);
    assert_int_equal (outbox_count (outbox), 1);
    outbox_destroy (&outbox);
}

//  A corrupt file found when it is read for sending is set aside too.
static void
test_corrupt_at_read (void **state)
{
    fixture_t *self = *state;
    outbox_t *outbox = s_open (self);
    s_queue (self, outbox, 2, "a.csv");
    FILE *file = fopen (s_file (self, 1, ""), "r+b");
    fseek (file, 20, SEEK_SET); //  previous, in the header
    fputc (7, file);
    fclose (file);
    assert_null (outbox_read (outbox, 1));
    assert_non_null (strstr (outbox_error (outbox), "CRC mismatch"));
    assert_true (zsys_file_exists (s_file (self, 1, ".bad")));
    assert_int_equal (outbox_count (outbox), 0);
    outbox_destroy (&outbox);
}

//  A writer that dies inside a group leaves its batches uncommitted: the
//  next process to take the lock removes them, and the sequence goes on.
static void
test_group_never_committed_is_removed (void **state)
{
    fixture_t *self = *state;
    outbox_t *outbox = s_open (self);
    s_queue (self, outbox, 1, "kept.csv");
    outbox_destroy (&outbox);
    pid_t child = fork ();
    if (child == 0) {
        outbox_t *writer = s_open (self);
        outbox_begin (writer);
        for (int index = 0; index < 2; index++) {
            jt_batch_t batch = {
                .source = "aihui", .update_count = 3, .updates = self->updates};
            outbox_add (writer, self->codec, &batch, "lost.csv", 0);
        }
        _exit (0); //  as kill -9: no commit, no clean up
    }
    int status;
    waitpid (child, &status, 0);
    assert_true (zsys_file_exists (s_file (self, 3, "")));

    outbox = s_open (self);
    assert_int_equal (outbox_load (outbox), 0);
    assert_int_equal (outbox_count (outbox), 1);
    assert_string_equal (outbox_entry (outbox, 0)->origin, "kept.csv");
    assert_false (zsys_file_exists (s_file (self, 2, "")));
    assert_false (zsys_file_exists (s_file (self, 3, "")));
    //  Sequences 2 and 3 were never sent: using them again is harmless.
    assert_int_equal (s_queue (self, outbox, 1, "next.csv"), 2);
    assert_int_equal (outbox_entry (outbox, 1)->previous, 1);
    outbox_destroy (&outbox);
}

//  The source lock: one holder; another process sees who it is.
static void
test_hold_and_holder (void **state)
{
    fixture_t *self = *state;
    outbox_t *outbox = s_open (self);
    char command[64];
    assert_int_equal (outbox_holder (outbox, command, sizeof command), 0);
    assert_int_equal (outbox_hold (outbox, "run"), 0);
    pid_t child = fork ();
    if (child == 0) {
        outbox_t *other = s_open (self);
        int rc = outbox_hold (other, "import") == -1 &&
                         strstr (outbox_error (other), "another collector") &&
                         outbox_holder (other, command, sizeof command) ==
                             getppid () &&
                         streq (command, "run")
                     ? 0
                     : 1;
        outbox_destroy (&other);
        _exit (rc);
    }
    int status;
    waitpid (child, &status, 0);
    assert_true (WIFEXITED (status));
    assert_int_equal (WEXITSTATUS (status), 0);
    outbox_destroy (&outbox);
    outbox = s_open (self);
    assert_int_equal (outbox_holder (outbox, command, sizeof command), 0);
    outbox_destroy (&outbox);
}

//  Acks left for a waiting process, and a batch rewritten without the one
//  before it.
static void
test_acks_and_rechain (void **state)
{
    fixture_t *self = *state;
    outbox_t *outbox = s_open (self);
    s_queue (self, outbox, 1, "a.csv");
    s_queue (self, outbox, 2, "a.csv");
    assert_null (outbox_take_ack (outbox, 2));
    assert_int_equal (outbox_put_ack (outbox, 2, "ack bytes", 9), 0);
    zframe_t *ack = outbox_take_ack (outbox, 2);
    assert_non_null (ack);
    assert_true (zframe_streq (ack, "ack bytes"));
    zframe_destroy (&ack);
    assert_null (outbox_take_ack (outbox, 2));

    assert_int_equal (outbox_entry (outbox, 1)->previous, 1);
    zframe_t *body = outbox_rechain (outbox, self->codec, 2);
    assert_non_null (body);
    assert_int_equal (outbox_entry (outbox, 1)->previous, 0);
    zframe_t *read = outbox_read (outbox, 2);
    assert_true (zframe_eq (body, read));
    assert_int_equal (codec_decode (self->codec, zframe_data (read),
                                    zframe_size (read), NULL),
                      JT_MSG_BATCH);
    assert_int_equal (codec_batch (self->codec)->previous, 0);
    assert_int_equal (codec_batch (self->codec)->sequence, 2);
    assert_int_equal (codec_batch (self->codec)->update_count, 2);
    zframe_destroy (&body);
    zframe_destroy (&read);
    outbox_destroy (&outbox);
}

//  The holder keeps every batch in sequence order: batches a waiting
//  process committed come before those it queues next, even before it
//  looked for them.
static void
test_holder_sees_others_first (void **state)
{
    fixture_t *self = *state;
    outbox_t *holder = s_open (self);
    assert_int_equal (outbox_load (holder), 0);
    outbox_t *waiter = s_open (self);
    assert_int_equal (outbox_begin (waiter), 0);
    jt_batch_t batch = {
        .source = "aihui", .update_count = 1, .updates = self->updates};
    assert_int_equal (outbox_add (waiter, self->codec, &batch, "w.csv", 4242),
                      0);
    assert_int_equal (outbox_commit (waiter), 0);
    assert_int_equal (s_queue (self, holder, 2, "h.csv"), 2);
    assert_int_equal (outbox_count (holder), 2);
    const outbox_entry_t *first = outbox_entry (holder, 0);
    assert_int_equal (first->sequence, 1);
    assert_string_equal (first->origin, "w.csv");
    assert_int_equal (first->waiter, 4242);
    assert_false (first->own);
    assert_int_equal (outbox_entry (holder, 1)->sequence, 2);
    assert_int_equal (outbox_entry (holder, 1)->previous, 1);
    assert_true (outbox_entry (holder, 1)->own);
    assert_int_equal (outbox_refresh (holder), 0);
    //  The waiter knows only its own.
    assert_int_equal (outbox_count (waiter), 1);
    outbox_destroy (&waiter);
    outbox_destroy (&holder);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_round_trip_in_order, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_bytes_remove_and_sequence,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_budget_refuses_and_keeps, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_leftovers_and_corrupt_files,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_corrupt_at_read, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_group_never_committed_is_removed,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_hold_and_holder, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_acks_and_rechain, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_holder_sees_others_first, s_setup,
                                         s_teardown),
    };
    zsys_init ();
    return cmocka_run_group_tests (tests, NULL, NULL);
}
