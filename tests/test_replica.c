/*  test_replica.c — the reporter's Clone-pattern replica against a stand-in
    aggregator on real loopback sockets (a PUB and a ROUTER in an actor
    thread, speaking the real wire format): it follows changes in order,
    and re-fetches the snapshot on a gap in the state sequence, on a
    heartbeat ahead of it or behind it, and on silence — and keeps its state
    when the aggregator is gone. */
#include <czmq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "app.h"
#include "codec.h"
#include "period.h"
#include "replica.h"

//  The stand-in aggregator: one cell of state, its state sequence, and
//  the snapshot requests it answered.
typedef struct {
    zsock_t *pipe;     //  commands from the test
    zsock_t *publish;  //  PUB: what it publishes
    zsock_t *query;    //  ROUTER: snapshot requests
    codec_t *codec;    //  wire format
    jt_cell_t cell;    //  the whole state
    uint64_t sequence; //  its state sequence
    int requests;      //  snapshot requests answered
} fake_t;

static const char *REGION = "heihe.aihui";
static const char *INDICATOR = "employed_new";
static const uint32_t PERIOD = 200310;

static void
s_publish_cell (fake_t *self, uint64_t sequence, int64_t value)
{
    jt_cell_t cell = self->cell;
    cell.value = value;
    wire_cells_t changes = {
        .sequence = sequence, .cell_count = 1, .cells = &cell};
    zframe_t *body = codec_encode_changes (self->codec, &changes);
    zsock_send (self->publish, "sf", "changes", body);
    zframe_destroy (&body);
}

static void
s_answer_snapshot (fake_t *self)
{
    zmsg_t *msg = zmsg_recv (self->query);
    zframe_t *routing_id = zmsg_pop (msg);
    zframe_t *request = zmsg_pop (msg);
    assert_non_null (request);
    assert_int_equal (codec_decode (self->codec, zframe_data (request),
                                    zframe_size (request), NULL),
                      JT_MSG_SNAPSHOT_REQUEST);
    wire_cells_t chunk = {.sequence = self->sequence,
                          .last = true,
                          .cell_count = 1,
                          .cells = &self->cell};
    zframe_t *body = codec_encode_snapshot (self->codec, &chunk);
    zsock_send (self->query, "ff", routing_id, body);
    self->requests++;
    zframe_destroy (&body);
    zframe_destroy (&request);
    zframe_destroy (&routing_id);
    zmsg_destroy (&msg);
}

//  Commands (each answered with a signal, or a number):
//  STATE seq value   the snapshot it serves from now on
//  CHANGES seq value publish a Changes of the one cell, state untouched
//  HEARTBEAT seq     publish a heartbeat
//  RAW topic body    publish two frames as given
//  REQUESTS          answer with the snapshot requests served
static void
s_fake_actor (zsock_t *pipe, void *args)
{
    fake_t self = {
        .pipe = pipe,
        .publish = zsock_new_pub ("tcp://127.0.0.1:*"),
        .query = zsock_new_router ("tcp://127.0.0.1:*"),
        .codec = codec_new (APP_ARENA_LIMIT),
        .cell = {.region = REGION, .indicator = INDICATOR, .period = PERIOD}};
    (void)args;
    assert_non_null (self.publish);
    assert_non_null (self.query);
    zsock_signal (pipe, 0);
    zpoller_t *poller = zpoller_new (pipe, self.query, NULL);
    bool running = true;
    while (running) {
        void *which = zpoller_wait (poller, -1);
        if (which == self.query) {
            s_answer_snapshot (&self);
            continue;
        }
        if (which != pipe)
            break;
        char *command = NULL, *one = NULL, *two = NULL;
        zsock_recv (pipe, "sss", &command, &one, &two);
        if (streq (command, "$TERM"))
            running = false;
        else if (streq (command, "ENDPOINTS"))
            zsock_send (pipe, "ss", zsock_endpoint (self.publish),
                        zsock_endpoint (self.query));
        else if (streq (command, "STATE")) {
            self.sequence = strtoull (one, NULL, 10);
            self.cell.value = strtoll (two, NULL, 10);
        } else if (streq (command, "CHANGES"))
            s_publish_cell (&self, strtoull (one, NULL, 10),
                            strtoll (two, NULL, 10));
        else if (streq (command, "HEARTBEAT")) {
            zframe_t *body =
                codec_encode_heartbeat (self.codec, strtoull (one, NULL, 10));
            zsock_send (self.publish, "sf", "heartbeat", body);
            zframe_destroy (&body);
        } else if (streq (command, "RAW"))
            zsock_send (self.publish, "ss", one, two);
        else if (streq (command, "REQUESTS"))
            zsock_send (pipe, "i", self.requests);
        if (running && !streq (command, "ENDPOINTS") &&
            !streq (command, "REQUESTS"))
            zsock_signal (pipe, 0);
        zstr_free (&command);
        zstr_free (&one);
        zstr_free (&two);
    }
    zpoller_destroy (&poller);
    codec_destroy (&self.codec);
    zsock_destroy (&self.publish);
    zsock_destroy (&self.query);
}

typedef struct {
    catalogue_t *catalogue;
    zactor_t *fake;
    replica_t *replica;
    int region;    //  REGION's index
    int indicator; //  INDICATOR's index
    int changes;   //  cells the change callback saw
    jt_value_t last_old, last_new;
} fixture_t;

static void
s_command (fixture_t *self, const char *command, const char *one,
           const char *two)
{
    zsock_send (self->fake, "sss", command, one ? one : "", two ? two : "");
    zsock_wait (self->fake);
}

static int
s_requests (fixture_t *self)
{
    int requests = -1;
    zsock_send (self->fake, "sss", "REQUESTS", "", "");
    zsock_recv (self->fake, "i", &requests);
    return requests;
}

static void
s_changed (const replica_change_t *change, void *arg)
{
    fixture_t *self = (fixture_t *)arg;
    self->changes++;
    self->last_old = change->had_value ? change->old_value : -1;
    self->last_new = change->cell.value;
}

//  Receive and handle one published message, waiting for it.
static void
s_handle_one (fixture_t *self)
{
    zpoller_t *poller = zpoller_new (replica_socket (self->replica), NULL);
    void *which = zpoller_wait (poller, 10000);
    zpoller_destroy (&poller);
    assert_non_null (which);
    assert_int_equal (replica_handle (self->replica, s_changed, self), 0);
}

static jt_value_t
s_value (fixture_t *self)
{
    jt_value_t value = -1;
    int period = period_from_yyyymm (PERIOD);
    assert_true (store_get (replica_store (self->replica), self->region,
                            self->indicator, period, &value));
    return value;
}

static int
s_setup (void **state)
{
    fixture_t *self = calloc (1, sizeof (fixture_t));
    char *text = app_read_file (JT_SOURCE_DIR "/config/heihe-2003.zpl");
    char *error = NULL;
    self->catalogue = catalogue_new (text, "heihe-2003.zpl", &error);
    free (text);
    assert_non_null (self->catalogue);
    self->region = catalogue_region_find (self->catalogue, REGION);
    self->indicator = catalogue_indicator_find (self->catalogue, INDICATOR);
    assert_true (self->region >= 0 && self->indicator >= 0);
    self->fake = zactor_new (s_fake_actor, NULL);
    char *publish = NULL, *query = NULL;
    zsock_send (self->fake, "sss", "ENDPOINTS", "", "");
    zsock_recv (self->fake, "ss", &publish, &query);
    self->replica = replica_new (self->catalogue, publish, query);
    assert_non_null (self->replica);
    zstr_free (&publish);
    zstr_free (&query);

    //  First state: 100 at sequence 5; then wait until the subscription
    //  is through (a heartbeat at the replica's own sequence changes
    //  nothing), so that nothing published later is lost to a slow join.
    s_command (self, "STATE", "5", "100000");
    assert_int_equal (replica_sync (self->replica, 2000), 0);
    zpoller_t *poller = zpoller_new (replica_socket (self->replica), NULL);
    while (!zpoller_wait (poller, 100))
        s_command (self, "HEARTBEAT", "5", NULL);
    zpoller_destroy (&poller);
    //  More heartbeats may still be on their way: a change at sequence 6
    //  (the same value) comes after all of them, so once it is applied
    //  nothing else is in flight.
    s_command (self, "STATE", "6", "100000");
    s_command (self, "CHANGES", "6", "100000");
    while (replica_sequence (self->replica) != 6)
        s_handle_one (self);
    assert_int_equal (replica_sync_count (self->replica), 1);
    self->changes = 0;
    *state = self;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *self = (fixture_t *)*state;
    replica_destroy (&self->replica);
    zactor_destroy (&self->fake);
    catalogue_destroy (&self->catalogue);
    free (self);
    return 0;
}

static void
test_changes_in_order_apply (void **state)
{
    fixture_t *self = (fixture_t *)*state;
    assert_int_equal (s_value (self), 100000);
    s_command (self, "CHANGES", "7", "150000");
    s_handle_one (self);
    assert_int_equal (replica_sequence (self->replica), 7);
    assert_int_equal (s_value (self), 150000);
    assert_int_equal (self->changes, 1);
    assert_int_equal (self->last_old, 100000);
    assert_int_equal (self->last_new, 150000);
    //  An old change (already in the snapshot) is dropped, not applied.
    s_command (self, "CHANGES", "7", "999000");
    s_handle_one (self);
    assert_int_equal (s_value (self), 150000);
    assert_int_equal (replica_sync_count (self->replica), 1);
    assert_int_equal (s_requests (self), 1);
}

static void
test_gap_refetches_the_snapshot (void **state)
{
    fixture_t *self = (fixture_t *)*state;
    //  Sequence 7 never reaches the replica; 8 does.
    s_command (self, "STATE", "9", "300000");
    s_command (self, "CHANGES", "8", "250000");
    s_handle_one (self);
    assert_int_equal (replica_sync_count (self->replica), 2);
    assert_int_equal (s_requests (self), 2);
    //  The snapshot (sequence 9) is the truth; change 8 is older.
    assert_int_equal (replica_sequence (self->replica), 9);
    assert_int_equal (s_value (self), 300000);
    assert_int_equal (self->changes, 0);
    //  And the next change follows on.
    s_command (self, "CHANGES", "10", "310000");
    s_handle_one (self);
    assert_int_equal (replica_sequence (self->replica), 10);
    assert_int_equal (s_value (self), 310000);
}

static void
test_heartbeat_ahead_or_behind_refetches (void **state)
{
    fixture_t *self = (fixture_t *)*state;
    //  Ahead: changes were missed while idle.
    s_command (self, "STATE", "11", "400000");
    s_command (self, "HEARTBEAT", "11", NULL);
    s_handle_one (self);
    assert_int_equal (replica_sync_count (self->replica), 2);
    assert_int_equal (replica_sequence (self->replica), 11);
    assert_int_equal (s_value (self), 400000);
    //  Behind: the aggregator restarted with less than the replica holds.
    s_command (self, "STATE", "3", "50000");
    s_command (self, "HEARTBEAT", "3", NULL);
    s_handle_one (self);
    assert_int_equal (replica_sync_count (self->replica), 3);
    assert_int_equal (replica_sequence (self->replica), 3);
    assert_int_equal (s_value (self), 50000);
    //  In step: nothing fetched.
    s_command (self, "HEARTBEAT", "3", NULL);
    s_handle_one (self);
    assert_int_equal (replica_sync_count (self->replica), 3);
    assert_int_equal (s_requests (self), 3);
}

static void
test_malformed_messages_change_nothing (void **state)
{
    fixture_t *self = (fixture_t *)*state;
    s_command (self, "RAW", "changes", "not a protobuf \xff\xff\xff");
    s_handle_one (self);
    s_command (self, "RAW", "heartbeat", "");
    s_handle_one (self);
    assert_int_equal (replica_sequence (self->replica), 6);
    assert_int_equal (s_value (self), 100000);
    assert_int_equal (replica_sync_count (self->replica), 1);
    assert_int_equal (self->changes, 0);
}

static void
test_silence_refetches_and_survives_a_dead_aggregator (void **state)
{
    fixture_t *self = (fixture_t *)*state;
    //  Heard from within the last minute: nothing to do.
    assert_int_equal (replica_check_silence (self->replica, 60000), 0);
    assert_int_equal (replica_sync_count (self->replica), 1);
    //  Quiet for longer than 1 ms: the snapshot is fetched again.
    s_command (self, "STATE", "8", "170000");
    zclock_sleep (20);
    assert_int_equal (replica_check_silence (self->replica, 1), 0);
    assert_int_equal (replica_sync_count (self->replica), 2);
    assert_int_equal (replica_sequence (self->replica), 8);
    assert_int_equal (s_value (self), 170000);
    //  The aggregator goes away: the attempt fails and says why, and the
    //  replica keeps what it had.
    zactor_destroy (&self->fake);
    assert_int_equal (replica_sync (self->replica, 200), -1);
    assert_non_null (strstr (replica_error (self->replica), "no answer"));
    assert_int_equal (replica_sequence (self->replica), 8);
    assert_int_equal (s_value (self), 170000);
    zclock_sleep (20);
    assert_int_equal (replica_check_silence (self->replica, 1), -1);
    assert_int_equal (s_value (self), 170000);
}

int
main (void)
{
    zsys_init ();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_changes_in_order_apply, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_gap_refetches_the_snapshot,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (
            test_heartbeat_ahead_or_behind_refetches, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_malformed_messages_change_nothing,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (
            test_silence_refetches_and_survives_a_dead_aggregator, s_setup,
            s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
