/*  test_sender.c — the collector's sender against a stand-in aggregator on
    loopback: when a batch is lost and those after it are answered out of
    order, the whole window goes again once, in order, not once per
    out-of-order answer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <czmq.h>

#include "log.h"
#include "outbox.h"
#include "period.h"
#include "sender.h"

#define BATCHES 8 //  batches queued, all in one window

//  Send one Ack to the peer named by identity (kept).
static void
s_answer (zsock_t *router, codec_t *codec, zframe_t *identity,
          const jt_ack_t *ack)
{
    zframe_t *answer = codec_encode_ack (codec, ack);
    zframe_send (&identity, router, ZFRAME_MORE + ZFRAME_REUSE);
    zframe_send (&answer, router, 0);
}

//  The stand-in aggregator: it takes the first copy of every batch and
//  "loses" batch 1's; once it has all BATCHES first copies it answers
//  batches 2.. out of order (as an aggregator does that never saw batch
//  1), and it acks every later copy. "COUNTS" on the pipe answers with
//  the copies received of each batch.
static void
s_stand_in (zsock_t *pipe, void *args)
{
    (void)args;
    zsock_t *router = zsock_new_router ("tcp://127.0.0.1:*");
    assert (router);
    codec_t *codec = codec_new (1024 * 1024);
    zsock_signal (pipe, 0);
    zstr_send (pipe, zsock_endpoint (router));
    int copies[BATCHES + 1] = {0};
    int firsts = 0;
    zpoller_t *poller = zpoller_new (pipe, router, NULL);
    while (true) {
        void *which = zpoller_wait (poller, -1);
        if (which == pipe) {
            char *command = zstr_recv (pipe);
            bool counts = command && streq (command, "COUNTS");
            zstr_free (&command);
            if (!counts)
                break;
            zsock_send (pipe, "b", copies, sizeof copies);
            continue;
        }
        if (which != router)
            break;
        zframe_t *identity = zframe_recv (router);
        zframe_t *body = zframe_recv (router);
        if (codec_decode (codec, zframe_data (body), zframe_size (body),
                          NULL) == JT_MSG_BATCH) {
            const jt_batch_t *batch = codec_batch (codec);
            uint64_t sequence = batch->sequence;
            assert (sequence >= 1 && sequence <= BATCHES);
            if (++copies[sequence] > 1) {
                jt_ack_t ack = {.source = "aihui",
                                .sequence = sequence,
                                .applied = (uint32_t)batch->update_count,
                                .error = ""};
                s_answer (router, codec, identity, &ack);
            } else if (++firsts == BATCHES)
                for (uint64_t later = 2; later <= BATCHES; later++) {
                    jt_ack_t ack = {.source = "aihui",
                                    .sequence = later,
                                    .out_of_order = true,
                                    .error = ""};
                    s_answer (router, codec, identity, &ack);
                }
        }
        zframe_destroy (&identity);
        zframe_destroy (&body);
    }
    zpoller_destroy (&poller);
    codec_destroy (&codec);
    zsock_destroy (&router);
}

static void
test_out_of_order_answers_send_the_window_once (void **state)
{
    (void)state;
    zactor_t *stand_in = zactor_new (s_stand_in, NULL);
    assert_non_null (stand_in);
    char *endpoint = zstr_recv (stand_in);
    char dir[] = "/tmp/jobtally-sender-XXXXXX";
    assert_non_null (mkdtemp (dir));

    char *error = NULL;
    outbox_t *outbox = outbox_new (dir, "aihui", &error);
    assert_non_null (outbox);
    assert_int_equal (outbox_hold (outbox, "import"), 0);
    sender_t *sender = sender_new (outbox, endpoint, "aihui", &error);
    assert_non_null (sender);
    sender_set_batch_size (sender, 1);
    for (int row = 0; row < BATCHES; row++) {
        jt_update_t update = {.region = "heihe.aihui",
                              .indicator = "employed_new",
                              .period = 200310,
                              .value = (jt_value_t)(row + 1) * JT_SCALE,
                              .add = true,
                              .line = (uint32_t)row + 2};
        sender_add (sender, &update);
    }
    assert_int_equal (sender_queue (sender, "rows.csv", false), 0);
    assert_int_equal (sender_run (sender, "rows.csv"), 0);
    assert_int_equal (sender_pending (sender), 0);

    //  Every batch twice: its first copy, and one round of resends after
    //  the first out-of-order answer; the other six answers changed
    //  nothing.
    zstr_send (stand_in, "COUNTS");
    zframe_t *counts = zframe_recv (stand_in);
    assert_non_null (counts);
    assert_int_equal (zframe_size (counts), (BATCHES + 1) * sizeof (int));
    const int *copies = (const int *)zframe_data (counts);
    for (int sequence = 1; sequence <= BATCHES; sequence++)
        assert_int_equal (copies[sequence], 2);
    zframe_destroy (&counts);

    sender_destroy (&sender);
    outbox_destroy (&outbox);
    zactor_destroy (&stand_in);
    zstr_free (&endpoint);
    zdir_t *handle = zdir_new (dir, NULL);
    zdir_remove (handle, true);
    zdir_destroy (&handle);
}

int
main (void)
{
    //  The sender logs what it resends and drops; not wanted here.
    zsys_init ();
    FILE *quiet = fopen ("/dev/null", "w");
    log_set_stream (quiet);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_out_of_order_answers_send_the_window_once),
    };
    int failed = cmocka_run_group_tests (tests, NULL, NULL);
    log_set_stream (NULL);
    fclose (quiet);
    return failed;
}
