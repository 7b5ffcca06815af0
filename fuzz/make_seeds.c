/*  make_seeds.c — writes the fuzz_codec seed corpus: one encoded message of
    each type, as the programs send them, into the folder given. The ids in
    the batches are those of fuzz_catalogue_text.h, so the seeds reach the
    store; some updates are refused on purpose, one per reason.

    Usage: make_seeds DIR */
#include <czmq.h>

#include "codec.h"

//  Write one frame to dir/name and destroy it; returns 0 or -1.
static int
s_write (const char *dir, const char *name, zframe_t **frame_p)
{
    char path[1024];
    snprintf (path, sizeof path, "%s/%s", dir, name);
    FILE *file = fopen (path, "wb");
    int rc = -1;
    if (file) {
        size_t size = zframe_size (*frame_p);
        rc = fwrite (zframe_data (*frame_p), 1, size, file) == size ? 0 : -1;
        if (fclose (file))
            rc = -1;
    }
    if (rc)
        fprintf (stderr, "make_seeds: cannot write %s\n", path);
    zframe_destroy (frame_p);
    return rc;
}

//  Designated initializers throughout, so a field added to a wire struct
//  is left zero here instead of shifting the others.
static jt_update_t
s_update (const char *region, const char *indicator, uint32_t period,
          jt_value_t value, bool add, uint32_t line)
{
    return (jt_update_t){.region = region,
                         .indicator = indicator,
                         .period = period,
                         .value = value,
                         .add = add,
                         .line = line};
}

static jt_rejection_t
s_rejection (uint32_t index, uint32_t line, const char *reason)
{
    return (jt_rejection_t){.index = index, .line = line, .reason = reason};
}

static jt_cell_t
s_cell (const char *region, const char *indicator, uint32_t period,
        jt_value_t value)
{
    return (jt_cell_t){.region = region,
                       .indicator = indicator,
                       .period = period,
                       .value = value};
}

static figure_row_t
s_row (const char *name, bool present, double value, bool has_target,
       double target, double completion_pct, double pace_pct)
{
    return (figure_row_t){.name = name,
                          .present = present,
                          .value = value,
                          .has_target = has_target,
                          .target = target,
                          .completion_pct = completion_pct,
                          .pace_pct = pace_pct};
}

int
main (int argc, char *argv[])
{
    if (argc != 2) {
        fprintf (stderr, "usage: make_seeds DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    codec_t *codec = codec_new (1024 * 1024);
    assert (codec);
    int rc = 0;
    zframe_t *frame;

    //  A north batch: sets, adds and restatements on both leaves, then one
    //  update refused for each reason the aggregator gives.
    jt_update_t updates[] = {
        s_update ("city.north.a", "employed_new", 200301, 120000, false, 2),
        s_update ("city.north.b", "employed_new", 200301, 80000, false, 3),
        s_update ("city.north.a", "employed_new", 200301, 5000, true, 4),
        s_update ("city.north.a", "wages", 200302, 1234567, false, 5),
        s_update ("city.north.b", "registered", 200310, 4403000, false, 6),
        s_update ("city.north.a", "certificates", 200312, 11800000, false, 7),
        s_update ("city.north.a", "employed_new", 200301, 100000, false, 8),
        s_update ("city.north.a", "employed_new", 200313, 1000, false, 9),
        s_update ("city.x", "employed_new", 200301, 1000, false, 10),
        s_update ("City.North.A", "employed_new", 200301, 1000, false, 11),
        s_update ("city.north", "employed_new", 200301, 1000, false, 12),
        s_update ("city.north.a", "employed_nwe", 200301, 1000, false, 13),
        s_update ("city.south", "employed_new", 200301, 1000, false, 14),
        s_update ("city.north.a", "employed_new", 200301, -1000, false, 15),
        s_update ("city.north.a", "employed_new", 200301, 1500, false, 16),
        s_update ("city.north.a", "wages", 200301, 1000000000000001000, false,
                  17),
        s_update ("city.north.a", "employed_new", 189912, 1000, true, 18),
        s_update ("\xe9\xbb\x91\xe6\xb2\xb3", "employed_new", 200301, 1000,
                  false, 19),
        s_update ("city.north.b", "wages", 200310, 2000, false, 20),
        s_update ("city.north.b", "wages", 200310, 3000, false, 21),
        s_update ("city.north.b", "wages", 200310, 4000, false, 22),
        s_update ("city.north.b", "wages", 200310, 5000, false, 23),
        s_update ("city.north.b", "wages", 200310, 6000, false, 24),
    };
    //  Report dates: two good ones (the earlier is kept), then a day that
    //  is not a date, one before the month and one in the future.
    updates[0].reported = 20030205;
    updates[18].reported = 20031110;
    updates[19].reported = 20031103;
    updates[20].reported = 20031131;
    updates[21].reported = 20030930;
    updates[22].reported = 20991231;
    jt_batch_t batch = {.source = "north",
                        .sequence = 2,
                        .previous = 1,
                        .update_count = sizeof updates / sizeof updates[0],
                        .updates = updates};
    frame = codec_encode_batch (codec, &batch);
    rc |= s_write (dir, "batch-north", &frame);

    jt_update_t south[] = {
        s_update ("city.south", "employed_new", 200310, 43000, false, 5),
        s_update ("city.south", "employed_new", 200310, 2000, true, 6),
    };
    batch = (jt_batch_t){
        .source = "south", .sequence = 1, .update_count = 2, .updates = south};
    frame = codec_encode_batch (codec, &batch);
    rc |= s_write (dir, "batch-south", &frame);

    batch = (jt_batch_t){.source = "south", .sequence = 7};
    frame = codec_encode_batch (codec, &batch);
    rc |= s_write (dir, "batch-empty", &frame);

    batch = (jt_batch_t){
        .source = "west", .sequence = 1, .update_count = 1, .updates = south};
    frame = codec_encode_batch (codec, &batch);
    rc |= s_write (dir, "batch-unknown-source", &frame);

    //  One update more than a batch may carry (APP_MAX_BATCH), each empty
    //  (two bytes on the wire): decoded, then refused whole. Three times as
    //  many do not fit fuzz_codec's 2 MiB decode arena.
    size_t counts[2] = {10001, 30000};
    const char *names[2] = {"batch-too-large", "batch-over-arena"};
    jt_update_t *empty = calloc (counts[1], sizeof (jt_update_t));
    assert (empty);
    for (size_t index = 0; index < 2; index++) {
        batch = (jt_batch_t){.source = "north",
                             .sequence = 3,
                             .update_count = counts[index],
                             .updates = empty};
        frame = codec_encode_batch (codec, &batch);
        rc |= s_write (dir, names[index], &frame);
    }
    free (empty);

    jt_rejection_t rejections[] = {
        s_rejection (7, 9, "bad period 200313"),
        s_rejection (8, 10, "unknown region 'city.x'"),
        s_rejection (12, 14,
                     "not assigned to the source: 'city.south' is not north's"),
    };
    jt_ack_t ack = {.source = "north",
                    .sequence = 2,
                    .applied = 7,
                    .rejection_count = 3,
                    .rejections = rejections};
    frame = codec_encode_ack (codec, &ack);
    rc |= s_write (dir, "ack-rejections", &frame);

    jt_rejection_t warnings[] = {
        s_rejection (0, 2,
                     "city.north.a employed_new 2003-01: 120 above the "
                     "plausible maximum 110"),
        s_rejection (2, 4,
                     "city.north.a employed_new 2003-02: 100 is 2.5\xC3\x97 "
                     "January's 40 (at most +100%)"),
    };
    ack = (jt_ack_t){.source = "north",
                     .sequence = 4,
                     .applied = 3,
                     .rejection_count = 1,
                     .rejections = rejections,
                     .warning_count = 2,
                     .warnings = warnings};
    frame = codec_encode_ack (codec, &ack);
    rc |= s_write (dir, "ack-warnings", &frame);

    ack = (jt_ack_t){
        .source = "north",
        .sequence = 3,
        .out_of_order = true,
        .error = "out of order: the batch before it was not applied yet"};
    frame = codec_encode_ack (codec, &ack);
    rc |= s_write (dir, "ack-out-of-order", &frame);

    ack = (jt_ack_t){.source = "south", .sequence = 1, .duplicate = true};
    frame = codec_encode_ack (codec, &ack);
    rc |= s_write (dir, "ack-duplicate", &frame);

    jt_cell_t cells[] = {
        s_cell ("city", "employed_new", 200301, 205000),
        s_cell ("city.north", "employed_new", 200301, 205000),
        s_cell ("city.north.a", "wages", 200302, 1234567),
    };
    jt_arrival_t arrivals[] = {
        {.region = "city.north.a", .period = 200301, .reported = 20030205},
        {.region = "city.north.b", .period = 200310, .reported = 20031103},
    };
    wire_cells_t changes = {.sequence = 9,
                            .cell_count = 3,
                            .cells = cells,
                            .arrival_count = 2,
                            .arrivals = arrivals};
    frame = codec_encode_changes (codec, &changes);
    rc |= s_write (dir, "changes", &frame);

    changes.last = true;
    frame = codec_encode_snapshot (codec, &changes);
    rc |= s_write (dir, "snapshot-last", &frame);

    frame = codec_encode_heartbeat (codec, 9);
    rc |= s_write (dir, "heartbeat", &frame);

    frame = codec_encode_snapshot_request (codec);
    rc |= s_write (dir, "snapshot-request", &frame);

    wire_query_t query = {.region = "city.north", .period = 200310};
    frame = codec_encode_query (codec, &query);
    rc |= s_write (dir, "query", &frame);

    figure_row_t rows[] = {
        s_row ("employed_new", true, 205.0, true, 4403.0, 4.66, 5.59),
        s_row ("wages", true, 1234.567, false, 0, 0, 0),
        s_row ("unemployment_rate", false, 0, false, 0, 0, 0),
    };
    wire_query_reply_t reply = {.region = "city.north",
                                .period = 200310,
                                .reported = 2,
                                .expected = 2,
                                .sequence = 9,
                                .row_count = 3,
                                .rows = rows};
    frame = codec_encode_query_reply (codec, &reply);
    rc |= s_write (dir, "query-reply", &frame);

    reply = (wire_query_reply_t){.error = "unknown region 'city.x'"};
    frame = codec_encode_query_reply (codec, &reply);
    rc |= s_write (dir, "query-reply-error", &frame);

    frame = codec_encode_stats_request (codec);
    rc |= s_write (dir, "stats-request", &frame);

    wire_reason_count_t north[] = {{.reason = "unknown region", .count = 3},
                                   {.reason = "bad period", .count = 1}};
    wire_reason_count_t unknown[] = {
        {.reason = "malformed message", .count = 2}};
    wire_source_stats_t sources[] = {
        {.source = "north",
         .batches = 4,
         .updates = 30,
         .duplicates = 1,
         .refused_count = 2,
         .refused = north},
        {.source = "south", .batches = 2, .updates = 8},
        {.source = "(unknown)", .refused_count = 1, .refused = unknown}};
    wire_stats_t stats = {.uptime_ms = 60000,
                          .sequence = 6,
                          .batches = 6,
                          .updates = 38,
                          .duplicates = 1,
                          .refused = 6,
                          .connections_refused = 1,
                          .source_count = 3,
                          .sources = sources};
    frame = codec_encode_stats (codec, &stats);
    rc |= s_write (dir, "stats", &frame);

    codec_destroy (&codec);
    return rc ? 1 : 0;
}
