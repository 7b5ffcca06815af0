/*  bench_ingest.c — what decoding, applying and acking costs against the
    bare transport, over the socket pair collectors and the aggregator use.

    A DEALER (the main thread) sends encoded Batches of 1,000 updates to a
    ROUTER (a zactor) over tcp://127.0.0.1, keeping at most 10 batches
    unacknowledged; the ROUTER answers each batch with one Ack. Two ROUTER
    modes are timed:

    raw     takes the batch as bytes and sends back a ready-made Ack: the
            transport alone.
    apply   decodes the batch (codec_decode), resolves each update's ids
            and month, applies it to a store_t (store_apply; a depth-4
            catalogue with 7 leaves and 10 indicators), and encodes and
            sends an Ack with the count applied.

    Not included, as the real aggregator does them: source and id checks,
    store_check, publishing changes, journaling. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <czmq.h>

#include "bench.h"
#include "bench_net.h"
#include "codec.h"
#include "period.h"
#include "store.h"

#define RUNS 5
#define DISTINCT 16         //  different batches sent in turn
#define WARM_UP_BATCHES 200 //  before each mode's timed runs
#define RUN_TARGET_S 0.5    //  aim for runs of about this long
#define ARENA_LIMIT (64 * 1024 * 1024)

typedef enum { INGEST_RAW, INGEST_APPLY } ingest_mode_t;

//  The apply mode's state, used on the router actor's thread.
typedef struct {
    const catalogue_t *catalogue; //  borrowed
    codec_t *codec;               //  decodes batches, encodes acks
    store_t *store;               //  the rollup
    uint64_t applied;             //  updates applied
    uint64_t refused;             //  updates refused
} applier_t;

//  Decode and apply one batch; returns the encoded Ack (bench_answer_fn).
static zframe_t *
s_apply (void *arg, const void *data, size_t size)
{
    applier_t *self = (applier_t *)arg;
    const char *error = NULL;
    if (codec_decode (self->codec, data, size, &error) != JT_MSG_BATCH) {
        fprintf (stderr, "bench_ingest: bad batch: %s\n", error);
        exit (EXIT_FAILURE);
    }
    const jt_batch_t *batch = codec_batch (self->codec);
    jt_ack_t ack = {.source = batch->source, .sequence = batch->sequence};
    store_changes_begin (self->store);
    for (size_t index = 0; index < batch->update_count; index++) {
        const jt_update_t *update = &batch->updates[index];
        int region = catalogue_region_find (self->catalogue, update->region);
        int indicator =
            catalogue_indicator_find (self->catalogue, update->indicator);
        int period = period_from_yyyymm (update->period);
        if (region >= 0 && indicator >= 0 && period != PERIOD_NONE &&
            store_apply (self->store, region, indicator, period, update->value,
                         update->add) == JT_OK)
            ack.applied++;
        else
            self->refused++;
    }
    self->applied += ack.applied;
    return codec_encode_ack (self->codec, &ack);
}

//  Send total batches, taking them in turn from the DISTINCT batches.
static int64_t
s_pump (void *dealer, zframe_t **batches, size_t total)
{
    zframe_t **frames = malloc (total * sizeof (zframe_t *));
    assert (frames);
    for (size_t index = 0; index < total; index++)
        frames[index] = batches[index % DISTINCT];
    bench_acks_t acks = {0};
    int64_t taken =
        bench_pump (dealer, frames, total, BENCH_WINDOW, 1, NULL, &acks);
    free (frames);
    return taken;
}

//  Time one ROUTER mode: prints a table row and returns the median rate
//  in updates per second.
static double
s_bench_mode (ingest_mode_t mode, const char *label,
              const catalogue_t *catalogue, zframe_t **batches)
{
    applier_t applier = {.catalogue = catalogue};
    bench_router_args_t args = {0};
    if (mode == INGEST_APPLY) {
        applier.codec = codec_new (ARENA_LIMIT);
        applier.store = store_new (catalogue);
        args = (bench_router_args_t){.answer = s_apply, .arg = &applier};
    }
    char *endpoint = NULL;
    zactor_t *router = bench_router_new (&args, &endpoint);
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    assert (dealer && endpoint);
    zsock_set_linger (dealer, 0);
    if (zsock_connect (dealer, "%s", endpoint) == -1) {
        fprintf (stderr, "bench_ingest: cannot connect to %s\n", endpoint);
        exit (EXIT_FAILURE);
    }
    void *socket = zsock_resolve (dealer);

    //  Warm up (connection, arena, year blocks) and size the runs.
    int64_t taken = s_pump (socket, batches, WARM_UP_BATCHES);
    size_t per_run =
        (size_t)(RUN_TARGET_S * 1e9 * WARM_UP_BATCHES / (double)taken);
    if (per_run < WARM_UP_BATCHES)
        per_run = WARM_UP_BATCHES;

    double rates[RUNS];
    for (int run = 0; run < RUNS; run++) {
        taken = s_pump (socket, batches, per_run);
        rates[run] = (double)(per_run * BENCH_BATCH) * 1e9 / (double)taken;
    }
    bench_stats_t stats = bench_stats (rates, RUNS);

    uint64_t answered = bench_router_count (router);
    uint64_t applied = applier.applied, refused = applier.refused;
    uint64_t expected = WARM_UP_BATCHES + (uint64_t)RUNS * per_run;
    if (answered != expected ||
        (mode == INGEST_APPLY &&
         (refused != 0 || applied != expected * BENCH_BATCH))) {
        fprintf (stderr,
                 "bench_ingest: %s: %" PRIu64 " batches answered of %" PRIu64
                 ", %" PRIu64 " updates applied, %" PRIu64 " refused\n",
                 label, answered, expected, applied, refused);
        exit (EXIT_FAILURE);
    }

    char text[4][32];
    printf ("%-22s %11s %14s %14s %14s\n", label,
            bench_thousands ((double)per_run, text[0]),
            bench_thousands (stats.median, text[1]),
            bench_thousands (stats.min, text[2]),
            bench_thousands (stats.max, text[3]));
    fflush (stdout);

    zsock_destroy (&dealer);
    zactor_destroy (&router);
    zstr_free (&endpoint);
    store_destroy (&applier.store);
    codec_destroy (&applier.codec);
    return stats.median;
}

int
main (void)
{
    int fanouts[BENCH_DEPTH] = {1, 1, 1, 7};
    const int indicator_count = 10;
    catalogue_t *catalogue = bench_catalogue_new (fanouts, indicator_count);
    int leaf_count;
    int *leaves = bench_leaves (catalogue, &leaf_count);
    codec_t *codec = codec_new (ARENA_LIMIT);
    uint64_t seed = 0xDA942042E4DD58B5ULL;

    //  DISTINCT batches of random (leaf, indicator, month of 2003) cells.
    jt_update_t updates[BENCH_BATCH];
    zframe_t *batches[DISTINCT];
    for (int batch = 0; batch < DISTINCT; batch++) {
        for (int index = 0; index < BENCH_BATCH; index++) {
            updates[index] = bench_random_update (catalogue, leaves, leaf_count,
                                                  indicator_count,
                                                  (uint32_t)index + 2, &seed);
        }
        jt_batch_t body = {.source = "county-07",
                           .sequence = (uint64_t)batch + 1,
                           .update_count = BENCH_BATCH,
                           .updates = updates};
        batches[batch] = codec_encode_batch (codec, &body);
    }

    char batch_text[32], bytes_text[32];
    printf ("ingest: DEALER -> ROUTER over tcp://127.0.0.1, batches of %s "
            "updates (%s bytes),\nwindow %d batches, one ack per batch; "
            "%d leaves x %d indicators; %d runs each\n\n",
            bench_thousands (BENCH_BATCH, batch_text),
            bench_thousands ((double)zframe_size (batches[0]), bytes_text),
            BENCH_WINDOW, leaf_count, indicator_count, RUNS);
    printf ("%-22s %11s %14s %14s %14s\n", "router side", "batches/run",
            "updates/s med", "min", "max");
    double raw =
        s_bench_mode (INGEST_RAW, "raw DEALER->ROUTER", catalogue, batches);
    double apply =
        s_bench_mode (INGEST_APPLY, "decode+apply+ack", catalogue, batches);

    char raw_text[32], apply_text[32];
    printf ("\nraw DEALER->ROUTER: %s updates/s; decode+apply+ack: %s "
            "updates/s; ratio Y/X %.2f\n",
            bench_thousands (raw, raw_text),
            bench_thousands (apply, apply_text), apply / raw);

    for (int batch = 0; batch < DISTINCT; batch++)
        zframe_destroy (&batches[batch]);
    codec_destroy (&codec);
    free (leaves);
    catalogue_destroy (&catalogue);
    return 0;
}
