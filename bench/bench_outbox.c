/*  bench_outbox.c — what the collector's outbox costs: bytes on disk per
    queued update, the time to queue updates (each batch file synced), and
    the time to drain a queued outbox through the sender to a stand-in
    aggregator on tcp://127.0.0.1 (a ROUTER actor that decodes each batch
    and answers it with an Ack, as the aggregator would without applying
    anything). The state directory is under $TMPDIR (default /tmp), so the
    figures are those of that file system's fsync. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <czmq.h>

#include "bench.h"
#include "app.h"
#include "codec.h"
#include "outbox.h"
#include "period.h"
#include "sender.h"

#define DRAIN_UPDATES 1000000 //  updates in the outbox to drain
#define ARENA_LIMIT (64 * 1024 * 1024)

//  The stand-in aggregator: acks every batch it is sent.
static void
s_router (zsock_t *pipe, void *args)
{
    (void)args;
    zsock_t *router = zsock_new_router ("tcp://127.0.0.1:*");
    assert (router);
    codec_t *codec = codec_new (ARENA_LIMIT);
    zsock_signal (pipe, 0);
    zstr_send (pipe, zsock_endpoint (router));
    zpoller_t *poller = zpoller_new (pipe, router, NULL);
    while (true) {
        void *which = zpoller_wait (poller, -1);
        if (which != router)
            break;
        zframe_t *identity = zframe_recv (router);
        zframe_t *body = zframe_recv (router);
        if (codec_decode (codec, zframe_data (body), zframe_size (body),
                          NULL) == JT_MSG_BATCH) {
            const jt_batch_t *batch = codec_batch (codec);
            jt_ack_t ack = {.source = batch->source,
                            .sequence = batch->sequence,
                            .applied = (uint32_t)batch->update_count,
                            .error = ""};
            zframe_t *answer = codec_encode_ack (codec, &ack);
            zframe_send (&identity, router, ZFRAME_MORE);
            zframe_send (&answer, router, 0);
        }
        zframe_destroy (&identity);
        zframe_destroy (&body);
    }
    zpoller_destroy (&poller);
    codec_destroy (&codec);
    zsock_destroy (&router);
}

static char *
s_state_dir (void)
{
    const char *tmp = getenv ("TMPDIR");
    char *dir =
        zsys_sprintf ("%s/jobtally-bench-outbox-XXXXXX", tmp ? tmp : "/tmp");
    assert (mkdtemp (dir));
    return dir;
}

static void
s_remove (const char *path)
{
    zdir_t *dir = zdir_new (path, NULL);
    zdir_remove (dir, true);
    zdir_destroy (&dir);
}

//  Queue count updates in batches of batch_size through a sender (as an
//  import does); returns the seconds it took.
static double
s_queue (sender_t *sender, size_t count, size_t batch_size)
{
    sender_set_batch_size (sender, batch_size);
    for (size_t index = 0; index < count; index++) {
        jt_update_t update = {.region = "heihe.aihui",
                              .indicator = "employed_new",
                              .period = 200310,
                              .value = (jt_value_t)(index % 7 + 1) * 1000,
                              .add = true,
                              .line = (uint32_t)index + 2};
        sender_add (sender, &update);
    }
    int64_t start = bench_now_ns ();
    int rc = sender_queue (sender, "aihui-2003-10.csv", false);
    assert (rc == 0);
    return (bench_now_ns () - start) / 1e9;
}

static void
s_bytes_per_update (size_t count, size_t batch_size)
{
    char *dir = s_state_dir ();
    char *error = NULL;
    outbox_t *outbox = outbox_new (dir, "aihui", &error);
    assert (outbox);
    sender_t *sender = sender_new (outbox, NULL, "aihui", &error);
    assert (sender);
    double seconds = s_queue (sender, count, batch_size);
    char one[32], two[32];
    printf ("batches of %5zu: %s updates queued in %.2f s (%s updates/s, "
            "%.0f batch files/s): %.1f bytes per update on disk\n",
            batch_size, bench_thousands ((double)count, one), seconds,
            bench_thousands (count / seconds, two),
            (double)outbox_count (outbox) / seconds,
            (double)outbox_bytes (outbox) / (double)outbox_updates (outbox));
    sender_destroy (&sender);
    outbox_destroy (&outbox);
    s_remove (dir);
    free (dir);
}

static void
s_drain (void)
{
    zactor_t *router = zactor_new (s_router, NULL);
    char *endpoint = zstr_recv (router);
    char *dir = s_state_dir ();
    char *error = NULL;
    outbox_t *outbox = outbox_new (dir, "aihui", &error);
    assert (outbox);
    //  Queued by one process (a waiter: no socket)...
    sender_t *sender = sender_new (outbox, NULL, "aihui", &error);
    assert (sender);
    s_queue (sender, DRAIN_UPDATES, 1000);
    sender_destroy (&sender);
    outbox_destroy (&outbox);
    //  ...and drained by the next, as after an outage.
    outbox = outbox_new (dir, "aihui", &error);
    assert (outbox && outbox_hold (outbox, "import") == 0);
    int64_t start = bench_now_ns ();
    sender = sender_new (outbox, endpoint, "aihui", &error);
    assert (sender);
    size_t batches = sender_pending (sender);
    //  The sender logs each batch of an earlier run as it is acked: a
    //  thousand lines here. The result is checked below instead.
    FILE *quiet = fopen ("/dev/null", "w");
    assert (quiet);
    log_set_stream (quiet);
    int rc = sender_run (sender, "none");
    log_set_stream (NULL);
    fclose (quiet);
    double seconds = (bench_now_ns () - start) / 1e9;
    assert (rc == 0 && sender_pending (sender) == 0);
    char one[32], two[32];
    printf ("drain: %s updates in %zu batches of 1,000 loaded, sent, acked "
            "and removed in %.2f s (%s updates/s)\n",
            bench_thousands (DRAIN_UPDATES, one), batches, seconds,
            bench_thousands (DRAIN_UPDATES / seconds, two));
    sender_destroy (&sender);
    outbox_destroy (&outbox);
    s_remove (dir);
    free (dir);
    free (endpoint);
    zactor_destroy (&router);
}

int
main (void)
{
    app_logging ("bench_outbox", false);
    printf ("outbox in %s\n", getenv ("TMPDIR") ? getenv ("TMPDIR") : "/tmp");
    s_bytes_per_update (100000, 1000);
    s_bytes_per_update (100000, 100);
    s_bytes_per_update (5000, 1);
    s_drain ();
    return 0;
}
