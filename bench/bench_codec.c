/*  bench_codec.c — how fast Batches go through the codec, and how big they
    are on the wire.

    For batches of 1, 100 and 1,000 updates: updates per second through
    codec_encode_batch (including the zframe it returns and its destroy) and
    through codec_decode of the same bytes on a warm codec, and bytes per
    update in the encoded frame. Updates use the ids of a 1,000-leaf depth-4
    catalogue ("prov.c0.d3.s4.v7", "indicator_007"), months of 2003, whole
    values up to 100,000 units and increasing line numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "codec.h"

#define RUNS 5
#define RUN_TARGET_S 0.3 //  aim for runs of about this long
#define RUN_MIN_S 0.1    //  a calibration run at least this long
#define ARENA_LIMIT (64 * 1024 * 1024)

static const size_t s_batch_sizes[] = {1, 100, 1000};
#define SIZE_COUNT (int)(sizeof s_batch_sizes / sizeof s_batch_sizes[0])

typedef enum { OP_ENCODE, OP_DECODE } operation_t;

//  Encode or decode batch repeat times; returns the nanoseconds taken.
static int64_t
s_run (codec_t *codec, operation_t operation, const jt_batch_t *batch,
       const zframe_t *encoded, size_t repeat)
{
    int64_t start = bench_now_ns ();
    for (size_t index = 0; index < repeat; index++) {
        if (operation == OP_ENCODE) {
            zframe_t *frame = codec_encode_batch (codec, batch);
            zframe_destroy (&frame);
        } else {
            const char *error = NULL;
            jt_msg_type_t type =
                codec_decode (codec, zframe_data ((zframe_t *)encoded),
                              zframe_size ((zframe_t *)encoded), &error);
            if (type != JT_MSG_BATCH ||
                codec_batch (codec)->update_count != batch->update_count) {
                fprintf (stderr, "bench_codec: decode failed: %s\n",
                         error ? error : "wrong body");
                exit (EXIT_FAILURE);
            }
        }
    }
    return bench_now_ns () - start;
}

//  Updates per second for one operation: RUNS runs after calibration.
static bench_stats_t
s_rate (codec_t *codec, operation_t operation, const jt_batch_t *batch,
        const zframe_t *encoded)
{
    size_t repeat = 1;
    double ns_per_batch;
    for (;;) {
        int64_t taken = s_run (codec, operation, batch, encoded, repeat);
        if ((double)taken >= RUN_MIN_S * 1e9) {
            ns_per_batch = (double)taken / (double)repeat;
            break;
        }
        repeat *= 2;
    }
    repeat = (size_t)(RUN_TARGET_S * 1e9 / ns_per_batch) + 1;
    double rates[RUNS];
    for (int run = 0; run < RUNS; run++) {
        int64_t taken = s_run (codec, operation, batch, encoded, repeat);
        rates[run] =
            (double)(repeat * batch->update_count) * 1e9 / (double)taken;
    }
    return bench_stats (rates, RUNS);
}

int
main (void)
{
    int fanouts[BENCH_DEPTH] = {1, 10, 10, 10};
    const int indicator_count = 10;
    catalogue_t *catalogue = bench_catalogue_new (fanouts, indicator_count);
    int leaf_count;
    int *leaves = bench_leaves (catalogue, &leaf_count);
    codec_t *codec = codec_new (ARENA_LIMIT);
    uint64_t seed = 0x853C49E6748FEA9BULL;

    size_t largest = s_batch_sizes[SIZE_COUNT - 1];
    jt_update_t *updates = calloc (largest, sizeof (jt_update_t));
    if (!updates)
        abort ();
    size_t id_bytes = 0;
    for (size_t index = 0; index < largest; index++) {
        updates[index] =
            bench_random_update (catalogue, leaves, leaf_count, indicator_count,
                                 (uint32_t)index + 2, &seed);
        id_bytes +=
            strlen (updates[index].region) + strlen (updates[index].indicator);
    }

    printf ("codec: Batch encode and decode, warm codec, %d runs each\n"
            "(ids average %.1f bytes per update: region + indicator; "
            "source \"county-07\")\n\n",
            RUNS, (double)id_bytes / (double)largest);
    printf ("%6s %11s %9s   %-36s %s\n", "batch", "bytes/batch", "bytes/upd",
            "encode updates/s median (min-max)",
            "decode updates/s median (min-max)");
    for (int size = 0; size < SIZE_COUNT; size++) {
        jt_batch_t batch = {.source = "county-07",
                            .sequence = 123456,
                            .update_count = s_batch_sizes[size],
                            .updates = updates};
        zframe_t *encoded = codec_encode_batch (codec, &batch);
        bench_stats_t encode = s_rate (codec, OP_ENCODE, &batch, encoded);
        bench_stats_t decode = s_rate (codec, OP_DECODE, &batch, encoded);
        char text[6][32];
        char encode_text[64], decode_text[64];
        snprintf (encode_text, sizeof encode_text, "%s (%s-%s)",
                  bench_thousands (encode.median, text[0]),
                  bench_thousands (encode.min, text[1]),
                  bench_thousands (encode.max, text[2]));
        snprintf (decode_text, sizeof decode_text, "%s (%s-%s)",
                  bench_thousands (decode.median, text[3]),
                  bench_thousands (decode.min, text[4]),
                  bench_thousands (decode.max, text[5]));
        char bytes_text[32];
        printf ("%6zu %11s %9.1f   %-36s %s\n", batch.update_count,
                bench_thousands ((double)zframe_size (encoded), bytes_text),
                (double)zframe_size (encoded) / (double)batch.update_count,
                encode_text, decode_text);
        fflush (stdout);
        zframe_destroy (&encoded);
    }

    free (updates);
    codec_destroy (&codec);
    free (leaves);
    catalogue_destroy (&catalogue);
    return 0;
}
