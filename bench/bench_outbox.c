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
#include "bench_net.h"
#include "codec.h"
#include "outbox.h"
#include "period.h"
#include "sender.h"

#define DRAIN_UPDATES 1000000 //  updates in the outbox to drain
#define ARENA_LIMIT (64 * 1024 * 1024)

//  The stand-in aggregator's answer to a batch: an Ack that applies it
//  all. arg is a codec the router actor's thread uses alone.
static zframe_t *
s_ack (void *arg, const void *data, size_t size)
{
    codec_t *codec = (codec_t *)arg;
    if (codec_decode (codec, data, size, NULL) != JT_MSG_BATCH)
        return NULL;
    const jt_batch_t *batch = codec_batch (codec);
    jt_ack_t ack = {.source = batch->source,
                    .sequence = batch->sequence,
                    .applied = (uint32_t)batch->update_count,
                    .error = ""};
    return codec_encode_ack (codec, &ack);
}

//  A sender for source aihui over its outbox in dir (*outbox is set), to
//  endpoint, or with NULL one that only queues.
static sender_t *
s_sender_new (const char *dir, const char *endpoint, outbox_t **outbox)
{
    char *error = NULL;
    *outbox = outbox_new (dir, "aihui", &error);
    assert (*outbox);
    sender_t *sender = sender_new (*outbox, endpoint, "aihui", &error);
    assert (sender);
    return sender;
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
    char *dir = bench_scratch_dir ("outbox");
    outbox_t *outbox;
    sender_t *sender = s_sender_new (dir, NULL, &outbox);
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
    bench_scratch_remove (dir);
    free (dir);
}

static void
s_drain (void)
{
    codec_t *codec = codec_new (ARENA_LIMIT);
    bench_router_args_t args = {.answer = s_ack, .arg = codec};
    char *endpoint;
    zactor_t *router = bench_router_new (&args, &endpoint);
    char *dir = bench_scratch_dir ("outbox");
    outbox_t *outbox;
    //  Queued by one process (a waiter: no socket)...
    sender_t *sender = s_sender_new (dir, NULL, &outbox);
    s_queue (sender, DRAIN_UPDATES, 1000);
    sender_destroy (&sender);
    outbox_destroy (&outbox);
    //  ...and drained by the next, as after an outage.
    char *error = NULL;
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
    bench_scratch_remove (dir);
    free (dir);
    free (endpoint);
    zactor_destroy (&router);
    codec_destroy (&codec);
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
