/*  bench_pipeline.c — the real jobtally-aggregator (and jobtally-reporter)
    against what ZeroMQ itself does on the same machine, in the same run.

    The programs are the built binaries, started with --insecure on
    tcp://127.0.0.1:* ports and a fresh state directory, on the demo
    catalogue (config/heihe-2003.zpl: 7 sources, each writing its own
    county heihe.<source>). Collectors are threads of this program with
    one DEALER each, sending pre-encoded Batches with each source's own
    sequence chain (sequence n, previous n-1) and at most 10 batches
    unacknowledged, as collector/sender.c does; every ack is decoded and
    counted, and a run whose acks do not say that every update was applied
    stops the benchmark.

    ingest    updates/s from 1 and 4 collectors with batches of 1, 100 and
              1,000, through the aggregator until acked, journal off and
              durable; baseline: the same collector threads and bytes
              against a ROUTER that answers each batch with a fixed Ack.
    latency   a probe update sent by a collector until the alert it
              causes arrives on the reporter's alert stream, while a
              paced collector offers 1,000 or 100,000 updates/s;
              baseline: a DEALER->ROUTER->DEALER round trip.
    fanout    1, 10 and 100 subscribers on the aggregator's PUB socket
              while a collector ingests: Changes delivered, sequence gaps.

    Figures only; nothing passes or fails on time (bench/README.md). */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"
#include "bench_net.h"

#define RUNS 5
#define ARENA_LIMIT (64 * 1024 * 1024)
#define SOURCE_COUNT 7
#define PROBE_SOURCE 6 //  sunwu: only the latency probe writes it
#define PROBE_INDICATOR "employed_new"
#define PROBE_PERIOD 200310
#define PROBE_ABOVE 500      //  the probe rule fires above this
#define PROBES 2000          //  per offered rate
#define PROBE_GAP_NS 2000000 //  between one probe's alert and the next
#define ROUND_TRIPS 2000     //  raw baseline samples
#define FANOUT_BATCHES 300
#define START_TIMEOUT_MS 30000

//  The demo catalogue's sources; source i writes region heihe.<source>.
static const char *s_sources[SOURCE_COUNT] = {
    "direct", "aihui", "beian", "wudalianchi", "nenjiang", "xunke", "sunwu"};

//  What the whole benchmark shares.
typedef struct {
    catalogue_t *catalogue; //  the demo catalogue
    char *dir;              //  scratch directory
    char *demo_path;        //  config/heihe-2003.zpl
    char *probe_path;       //  the demo catalogue with the probe rule alone
    codec_t *codec;         //  encodes batches on the main thread
    uint64_t seed;          //  the update generator
    int runs;               //  aggregator processes started
} bench_t;

//  A running aggregator.
typedef struct {
    pid_t pid;
    char *collect; //  endpoints it bound
    char *publish;
    char *query;
    char *state; //  its state directory
} aggregator_t;

//  What a collector thread is asked to send.
typedef struct {
    zframe_t **frames;
    size_t count;
    size_t per_ack;      //  frames one ack answers (0 taken for 1)
    int64_t interval_ns; //  paced: one frame this often; 0: as fast as acks
} collector_job_t;

static char *
s_read_file (const char *path)
{
    FILE *file = fopen (path, "r");
    if (!file) {
        fprintf (stderr, "bench_pipeline: cannot read %s\n", path);
        exit (EXIT_FAILURE);
    }
    fseek (file, 0, SEEK_END);
    long size = ftell (file);
    fseek (file, 0, SEEK_SET);
    char *text = malloc ((size_t)size + 1);
    assert (text);
    size_t got = fread (text, 1, (size_t)size, file);
    text[got] = '\0';
    fclose (file);
    return text;
}

//  Write the demo catalogue with its rules replaced by one threshold rule
//  on the probe's cell, which fires (for 0) while the value is above
//  PROBE_ABOVE and resolves when it drops.
static char *
s_write_probe_catalogue (const char *demo_path, const char *dir)
{
    char *text = s_read_file (demo_path);
    char *path = zsys_sprintf ("%s/probe.zpl", dir);
    FILE *file = fopen (path, "w");
    assert (file);
    bool in_rules = false;
    for (char *line = strtok (text, "\n"); line; line = strtok (NULL, "\n")) {
        if (line[0] >= 'a' && line[0] <= 'z')
            in_rules = strncmp (line, "rules", 5) == 0;
        if (!in_rules)
            fprintf (file, "%s\n", line);
    }
    fprintf (file,
             "rules\n    bench_probe\n        kind = threshold\n"
             "        figure = %s\n        above = %d\n"
             "        regions = \"heihe.%s\"\n"
             "        severity = critical\n        for = 0\n",
             PROBE_INDICATOR, PROBE_ABOVE, s_sources[PROBE_SOURCE]);
    fclose (file);
    free (text);
    return path;
}

//  Encode count batches of size random updates from source, chained from
//  *sequence (advanced). Months 2003-01 to 2003-09, so that the probe's
//  month stays the probe's. Returns a fresh array of frames.
static zframe_t **
s_encode (bench_t *self, int source, uint64_t *sequence, size_t size,
          size_t count)
{
    char region[64];
    snprintf (region, sizeof region, "heihe.%s", s_sources[source]);
    int indicators = catalogue_indicator_count (self->catalogue);
    jt_update_t *updates = calloc (size, sizeof (jt_update_t));
    zframe_t **frames = calloc (count, sizeof (zframe_t *));
    assert (updates && frames);
    for (size_t batch = 0; batch < count; batch++) {
        for (size_t index = 0; index < size; index++) {
            uint64_t pick = bench_random (&self->seed);
            updates[index] = (jt_update_t){
                .region = region,
                .indicator =
                    catalogue_indicator (self->catalogue,
                                         (int)(pick % (uint64_t)indicators))
                        ->id,
                .period = 200301 + (uint32_t)((pick >> 32) % 9),
                .value = (jt_value_t)((pick >> 40) % 1000) * JT_SCALE,
                .line = (uint32_t)index + 2};
        }
        *sequence += 1;
        jt_batch_t body = {.source = s_sources[source],
                           .sequence = *sequence,
                           .previous = *sequence - 1,
                           .update_count = size,
                           .updates = updates};
        frames[batch] = codec_encode_batch (self->codec, &body);
    }
    free (updates);
    return frames;
}

static void
s_frames_destroy (zframe_t ***frames_p, size_t count)
{
    for (size_t index = 0; index < count; index++)
        zframe_destroy (&(*frames_p)[index]);
    free (*frames_p);
    *frames_p = NULL;
}

//  Start the aggregator on a fresh state directory with the journal
//  policy; exits when it does not start.
static aggregator_t
s_aggregator_start (bench_t *self, const char *catalogue, const char *journal,
                    const char *extra)
{
    aggregator_t aggregator = {0};
    self->runs++;
    aggregator.state = zsys_sprintf ("%s/state-%d", self->dir, self->runs);
    char *endpoints = zsys_sprintf ("%s/endpoints-%d", self->dir, self->runs);
    char *command = zsys_sprintf (
        "%s/jobtally-aggregator -c %s --insecure --collect 'tcp://127.0.0.1:*' "
        "--publish 'tcp://127.0.0.1:*' --query 'tcp://127.0.0.1:*' "
        "--endpoints-file %s --state %s --journal %s %s 2>%s/aggregator-%d.log",
        JT_BINARY_DIR, catalogue, endpoints, aggregator.state, journal, extra,
        self->dir, self->runs);
    aggregator.pid = bench_spawn (command, endpoints, START_TIMEOUT_MS);
    if (aggregator.pid < 0) {
        fprintf (stderr,
                 "bench_pipeline: the aggregator did not start; see "
                 "%s/aggregator-%d.log\n",
                 self->dir, self->runs);
        exit (EXIT_FAILURE);
    }
    aggregator.collect = bench_endpoint (endpoints, "collect");
    aggregator.publish = bench_endpoint (endpoints, "publish");
    aggregator.query = bench_endpoint (endpoints, "query");
    assert (aggregator.collect && aggregator.publish && aggregator.query);
    free (endpoints);
    free (command);
    return aggregator;
}

//  Stop the aggregator (SIGKILL: no snapshot to wait for) and remove its
//  state.
static void
s_aggregator_stop (aggregator_t *aggregator)
{
    bench_stop (aggregator->pid, SIGKILL);
    bench_scratch_remove (aggregator->state);
    free (aggregator->collect);
    free (aggregator->publish);
    free (aggregator->query);
    free (aggregator->state);
}

//  A collector thread: one DEALER connected to the endpoint it is given.
//  "RUN" + job pointer: send the job's frames, as fast as the window
//  lets or paced, and answer with the nanoseconds taken, acks, updates
//  applied and acks that refused anything. A paced job stops early when
//  the pipe says "STOP".
static void
s_collector_actor (zsock_t *pipe, void *args)
{
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    assert (dealer);
    zsock_set_linger (dealer, 0);
    int rc = zsock_connect (dealer, "%s", (const char *)args);
    assert (rc == 0);
    codec_t *codec = codec_new (ARENA_LIMIT);
    void *socket = zsock_resolve (dealer);
    zsock_signal (pipe, 0);
    for (;;) {
        char *command = NULL;
        void *pointer = NULL;
        if (zsock_recv (pipe, "sp", &command, &pointer) == -1)
            break;
        bool run = command && streq (command, "RUN");
        zstr_free (&command);
        if (!run)
            break;
        const collector_job_t *job = (const collector_job_t *)pointer;
        bench_acks_t acks = {0};
        int64_t taken = 0;
        size_t sent = job->count;
        if (job->interval_ns == 0)
            taken = bench_pump (socket, job->frames, job->count, BENCH_WINDOW,
                                job->per_ack ? job->per_ack : 1, codec, &acks);
        else {
            //  Paced: frame n is due at start + n * interval; a full
            //  window holds it back and it goes as soon as there is room.
            int64_t start = bench_now_ns ();
            zmq_pollitem_t items[] = {{socket, 0, ZMQ_POLLIN, 0},
                                      {zsock_resolve (pipe), 0, ZMQ_POLLIN, 0}};
            sent = 0;
            bool stop = false;
            while (!stop && (sent < job->count || acks.acks < sent)) {
                int64_t now = bench_now_ns ();
                int64_t due = start + (int64_t)sent * job->interval_ns;
                if (sent < job->count && now >= due &&
                    sent - acks.acks < BENCH_WINDOW) {
                    zmq_msg_t message;
                    zmq_msg_init_data (
                        &message, zframe_data (job->frames[sent]),
                        zframe_size (job->frames[sent]), NULL, NULL);
                    zmq_msg_send (&message, socket, 0);
                    sent++;
                    continue;
                }
                long wait = sent < job->count && sent - acks.acks < BENCH_WINDOW
                                ? (long)((due - now) / 1000000)
                                : 100;
                zmq_poll (items, 2, wait);
                if (items[1].revents & ZMQ_POLLIN)
                    stop = true; //  "STOP": answered below
                zmq_msg_t ack;
                zmq_msg_init (&ack);
                while (zmq_msg_recv (&ack, socket, ZMQ_DONTWAIT) != -1) {
                    const char *error = NULL;
                    if (codec_decode (codec, zmq_msg_data (&ack),
                                      zmq_msg_size (&ack),
                                      &error) == JT_MSG_ACK) {
                        const jt_ack_t *answer = codec_ack (codec);
                        acks.applied += answer->applied;
                        if ((answer->error && *answer->error) ||
                            answer->rejection_count)
                            acks.refused++;
                    }
                    acks.acks++;
                }
                zmq_msg_close (&ack);
            }
            taken = bench_now_ns () - start;
            if (stop) {
                char *word = zstr_recv (pipe);
                zstr_free (&word);
            }
        }
        zsock_send (pipe, "88888", (uint64_t)taken, acks.acks, acks.applied,
                    acks.refused, (uint64_t)sent);
    }
    codec_destroy (&codec);
    zsock_destroy (&dealer);
}

//  What collectors answered for one run.
typedef struct {
    int64_t taken;
    uint64_t acks, applied, refused, sent;
} collector_result_t;

static collector_result_t
s_collector_result (zactor_t *collector)
{
    collector_result_t result = {0};
    uint64_t taken = 0;
    zsock_recv (collector, "88888", &taken, &result.acks, &result.applied,
                &result.refused, &result.sent);
    result.taken = (int64_t)taken;
    return result;
}

//  Updates each run sends, by batch size: runs of roughly 0.1 to 1 s.
static size_t
s_run_updates (size_t batch)
{
    return batch == 1 ? 15000 : batch == 100 ? 300000 : 600000;
}

//  What an ingest row sends to.
typedef enum {
    TARGET_RAW,        //  a bare ROUTER: one message per batch, one Ack each
    TARGET_RAW_UPDATE, //  a bare ROUTER: one message per update, one Ack
                       //  per batch's worth
    TARGET_AGGREGATOR  //  the real aggregator
} ingest_target_t;

//  One ingest row: collectors collectors sending batches of batch updates
//  to the target (for the aggregator, with journal). Prints the row, with
//  its share of the raw rates raw[0] (per batch) and raw[1] (per update)
//  when given, and returns the median updates/s.
static double
s_ingest_row (bench_t *self, int collectors, size_t batch,
              ingest_target_t target, const char *journal, const double *raw)
{
    aggregator_t aggregator = {0};
    zactor_t *router = NULL;
    char *endpoint = NULL;
    //  Per update: each update its own 1-update Batch frame, answered once
    //  per batch's worth of them.
    bool per_update = target == TARGET_RAW_UPDATE;
    bench_router_args_t router_args = {.ack_every = per_update ? batch : 1};
    if (target == TARGET_AGGREGATOR) {
        aggregator = s_aggregator_start (self, self->demo_path, journal,
                                         "--snapshot-interval 0");
        endpoint = strdup (aggregator.collect);
    } else
        router = bench_router_new (&router_args, &endpoint);

    zactor_t *actors[SOURCE_COUNT];
    uint64_t sequences[SOURCE_COUNT] = {0};
    for (int index = 0; index < collectors; index++)
        actors[index] = zactor_new (s_collector_actor, endpoint);

    size_t per_run = s_run_updates (batch) / batch / (size_t)collectors;
    double rates[RUNS];
    //  Run 0 warms up (connections, the store's year blocks) and is not
    //  counted.
    for (int run = 0; run <= RUNS; run++) {
        size_t count = run == 0 ? per_run / 4 + 1 : per_run;
        size_t frames = per_update ? count * batch : count;
        collector_job_t jobs[SOURCE_COUNT];
        for (int index = 0; index < collectors; index++)
            jobs[index] = (collector_job_t){
                .frames = s_encode (self, index, &sequences[index],
                                    per_update ? 1 : batch, frames),
                .count = frames,
                .per_ack = per_update ? batch : 1};
        int64_t start = bench_now_ns ();
        for (int index = 0; index < collectors; index++)
            zsock_send (actors[index], "sp", "RUN", &jobs[index]);
        uint64_t applied = 0, refused = 0, acks = 0;
        for (int index = 0; index < collectors; index++) {
            collector_result_t result = s_collector_result (actors[index]);
            applied += result.applied;
            refused += result.refused;
            acks += result.acks;
        }
        int64_t taken = bench_now_ns () - start;
        uint64_t updates = (uint64_t)collectors * count * batch;
        if (target == TARGET_AGGREGATOR &&
            (applied != updates || refused != 0 ||
             acks != (uint64_t)collectors * count)) {
            fprintf (stderr,
                     "bench_pipeline: %d x %zu, journal %s: %" PRIu64
                     " of %" PRIu64 " updates applied, %" PRIu64
                     " acks refused something\n",
                     collectors, batch, journal, applied, updates, refused);
            exit (EXIT_FAILURE);
        }
        if (run > 0)
            rates[run - 1] = (double)updates * 1e9 / (double)taken;
        for (int index = 0; index < collectors; index++)
            s_frames_destroy (&jobs[index].frames, frames);
    }
    bench_stats_t stats = bench_stats (rates, RUNS);
    char text[4][32];
    printf ("%10d %6zu  %-8s %12s %12s %12s %10s", collectors, batch,
            target == TARGET_RAW          ? "raw zmq"
            : target == TARGET_RAW_UPDATE ? "raw/upd"
                                          : journal,
            bench_thousands ((double)per_run * batch * collectors, text[0]),
            bench_thousands (stats.median, text[1]),
            bench_thousands (stats.min, text[2]),
            bench_thousands (stats.max, text[3]));
    if (raw)
        printf ("  %6.1f%%", 100 * stats.median / raw[0]);
    if (raw && raw[1] > 0)
        printf ("  %9.1f%%", 100 * stats.median / raw[1]);
    printf ("\n");
    fflush (stdout);

    for (int index = 0; index < collectors; index++)
        zactor_destroy (&actors[index]);
    if (target == TARGET_AGGREGATOR)
        s_aggregator_stop (&aggregator);
    zactor_destroy (&router);
    free (endpoint);
    return stats.median;
}

static void
s_ingest (bench_t *self)
{
    printf ("== ingest: collectors -> aggregator until acked, window %d "
            "batches; %d runs each (median, min, max)\n",
            BENCH_WINDOW, RUNS);
    printf ("   raw zmq: the same collector threads and bytes against a "
            "ROUTER that answers each batch with a fixed Ack\n");
    printf ("   raw/upd: each update sent as its own message (a 1-update "
            "Batch frame), one Ack per batch's worth of messages, the same "
            "window of Acks\n\n");
    printf ("%10s %6s  %-8s %12s %12s %12s %10s  %7s  %10s\n", "collectors",
            "batch", "journal", "updates/run", "updates/s", "min", "max",
            "of raw", "of raw/upd");
    const int collector_cases[] = {1, 4};
    const size_t batch_cases[] = {1, 100, 1000};
    for (int c = 0; c < 2; c++)
        for (int b = 0; b < 3; b++) {
            int collectors = collector_cases[c];
            size_t batch = batch_cases[b];
            double raw[2] = {0, 0};
            raw[0] =
                s_ingest_row (self, collectors, batch, TARGET_RAW, NULL, NULL);
            //  With batches of 1 the two raw rows are the same thing.
            if (batch > 1)
                raw[1] = s_ingest_row (self, collectors, batch,
                                       TARGET_RAW_UPDATE, NULL, NULL);
            s_ingest_row (self, collectors, batch, TARGET_AGGREGATOR, "off",
                          raw);
            s_ingest_row (self, collectors, batch, TARGET_AGGREGATOR, "durable",
                          raw);
        }
    printf ("\n");
}

static int
s_compare_ns (const void *left, const void *right)
{
    int64_t a = *(const int64_t *)left, b = *(const int64_t *)right;
    return (a > b) - (a < b);
}

//  p50, p99, p99.9 and max of count samples in microseconds, sorted in
//  place, as text.
static void
s_percentiles (int64_t *samples, size_t count, char *text, size_t size)
{
    qsort (samples, count, sizeof (int64_t), s_compare_ns);
    snprintf (text, size, "%8.1f %8.1f %8.1f %8.1f",
              (double)samples[count / 2] / 1e3,
              (double)samples[count * 99 / 100] / 1e3,
              (double)samples[count * 999 / 1000] / 1e3,
              (double)samples[count - 1] / 1e3);
}

//  The raw baseline: a DEALER->ROUTER->DEALER round trip of the probe's
//  bytes, ROUND_TRIPS times; percentiles as text.
static void
s_raw_round_trip (zframe_t *probe, char *text, size_t size)
{
    bench_router_args_t args = {0};
    char *endpoint = NULL;
    zactor_t *router = bench_router_new (&args, &endpoint);
    zsock_t *dealer = zsock_new_dealer (endpoint);
    assert (dealer);
    zsock_set_linger (dealer, 0);
    int64_t *samples = calloc (ROUND_TRIPS, sizeof (int64_t));
    assert (samples);
    for (int trip = -100; trip < ROUND_TRIPS; trip++) {
        int64_t start = bench_now_ns ();
        zmq_send (zsock_resolve (dealer), zframe_data (probe),
                  zframe_size (probe), 0);
        zframe_t *reply = zframe_recv (dealer);
        if (trip >= 0)
            samples[trip] = bench_now_ns () - start;
        zframe_destroy (&reply);
    }
    s_percentiles (samples, ROUND_TRIPS, text, size);
    free (samples);
    zsock_destroy (&dealer);
    zactor_destroy (&router);
    free (endpoint);
}

//  Wait for a line holding what in the log; returns it (fresh) or NULL.
static char *
s_wait_log (const char *path, const char *what, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms; waited += 10) {
        FILE *file = fopen (path, "r");
        char line[2048];
        while (file && fgets (line, sizeof line, file))
            if (strstr (line, what)) {
                fclose (file);
                return strdup (line);
            }
        if (file)
            fclose (file);
        usleep (10000);
    }
    return NULL;
}

//  One probe: set the probe cell to value; sequence advanced.
static zframe_t *
s_probe_frame (bench_t *self, uint64_t *sequence, int value)
{
    char region[64];
    snprintf (region, sizeof region, "heihe.%s", s_sources[PROBE_SOURCE]);
    jt_update_t update = {.region = region,
                          .indicator = PROBE_INDICATOR,
                          .period = PROBE_PERIOD,
                          .value = (jt_value_t)value * JT_SCALE,
                          .line = 2};
    *sequence += 1;
    jt_batch_t body = {.source = s_sources[PROBE_SOURCE],
                       .sequence = *sequence,
                       .previous = *sequence - 1,
                       .update_count = 1,
                       .updates = &update};
    return codec_encode_batch (self->codec, &body);
}

//  Where a probe is watched: the reporter's alert stream, and the
//  aggregator's PUB socket, whose Changes are decoded to see when the
//  probe's cell is published.
typedef struct {
    zsock_t *dealer;   //  the probe's collector
    zsock_t *alerts;   //  SUB on the reporter's alert stream
    zsock_t *changes;  //  SUB on the aggregator's publish socket
    codec_t *codec;    //  decodes Changes
    uint64_t sequence; //  the probe source's last batch
    int value;         //  the probe's last value
} probe_t;

//  Whether a Changes message carries the probe's cell.
static bool
s_carries_probe (probe_t *probe, zmsg_t *msg)
{
    zframe_t *body = zmsg_last (msg);
    const char *error = NULL;
    if (!body || codec_decode (probe->codec, zframe_data (body),
                               zframe_size (body), &error) != JT_MSG_CHANGES)
        return false;
    char region[64];
    snprintf (region, sizeof region, "heihe.%s", s_sources[PROBE_SOURCE]);
    const wire_cells_t *cells = codec_cells (probe->codec);
    for (size_t index = 0; index < cells->cell_count; index++)
        if (cells->cells[index].period == PROBE_PERIOD &&
            streq (cells->cells[index].region, region) &&
            streq (cells->cells[index].indicator, PROBE_INDICATOR))
            return true;
    return false;
}

//  Send one probe, flipping its value across the rule's threshold, and
//  wait (up to timeout_ms) for its alert. Returns the nanoseconds to the
//  alert, or -1 when none came; *published is the nanoseconds until the
//  aggregator published the cell (-1 if not seen). Acks are read as they
//  come.
static int64_t
s_probe (bench_t *self, probe_t *probe, int timeout_ms, int64_t *published)
{
    probe->value = probe->value ? 0 : 2 * PROBE_ABOVE;
    zframe_t *frame = s_probe_frame (self, &probe->sequence, probe->value);
    //  Changes first: when both are ready, the cell was published first.
    zpoller_t *poller = zpoller_new (probe->changes, probe->alerts, NULL);
    *published = -1;
    int64_t start = bench_now_ns ();
    zframe_send (&frame, probe->dealer, 0);
    int64_t taken = -1;
    while (taken < 0) {
        int left = timeout_ms - (int)((bench_now_ns () - start) / 1000000);
        void *which = left > 0 ? zpoller_wait (poller, left) : NULL;
        int64_t now = bench_now_ns ();
        if (which == probe->changes) {
            zmsg_t *msg = zmsg_recv (probe->changes);
            if (msg && *published < 0 && s_carries_probe (probe, msg))
                *published = now - start;
            zmsg_destroy (&msg);
        } else if (which == probe->alerts) {
            zmsg_t *alert = zmsg_recv (probe->alerts);
            zmsg_destroy (&alert);
            taken = now - start;
        } else
            break;
    }
    zpoller_destroy (&poller);
    //  Changes queued behind the alert are not this probe's.
    zmsg_t *stale;
    while ((zsock_events (probe->changes) & ZMQ_POLLIN) &&
           (stale = zmsg_recv (probe->changes)))
        zmsg_destroy (&stale);
    zframe_t *ack;
    while ((zsock_events (probe->dealer) & ZMQ_POLLIN) &&
           (ack = zframe_recv (probe->dealer)))
        zframe_destroy (&ack);
    return taken;
}

//  Latency at one offered rate (updates/s), through the real aggregator
//  and reporter.
static void
s_latency_row (bench_t *self, int rate, const char *journal)
{
    aggregator_t aggregator =
        s_aggregator_start (self, self->probe_path, journal, "");
    char *log = zsys_sprintf ("%s/reporter-%d.log", self->dir, self->runs);
    char *command = zsys_sprintf (
        "%s/jobtally-reporter run -c %s --insecure --publish %s --query %s "
        "--alerts %s/alerts-%d.jsonl --alerts-endpoint 'tcp://127.0.0.1:*' "
        "--period 2003-10 --now 2003-11-20 2>%s",
        JT_BINARY_DIR, self->probe_path, aggregator.publish, aggregator.query,
        self->dir, self->runs, log);
    //  The reporter writes its log before it is synced; wait for that.
    pid_t reporter = bench_spawn (command, log, START_TIMEOUT_MS);
    char *synced = reporter > 0 ? s_wait_log (log, "run: synced", 10000) : NULL;
    char *stream = synced ? s_wait_log (log, "stream on ", 100) : NULL;
    if (!stream) {
        fprintf (stderr, "bench_pipeline: the reporter did not start; see %s\n",
                 log);
        exit (EXIT_FAILURE);
    }
    char *endpoint = strstr (stream, "stream on ") + strlen ("stream on ");
    endpoint[strcspn (endpoint, " \n")] = '\0';
    probe_t probe = {.alerts = zsock_new_sub (endpoint, ""),
                     .changes = zsock_new (ZMQ_SUB),
                     .dealer = zsock_new_dealer (aggregator.collect),
                     .codec = codec_new (ARENA_LIMIT)};
    assert (probe.alerts && probe.changes && probe.dealer);
    zsock_set_rcvhwm (probe.changes, 1000000);
    zsock_set_subscribe (probe.changes, "changes");
    zsock_connect (probe.changes, "%s", aggregator.publish);
    zsock_set_linger (probe.dealer, 0);

    //  Until both streams are joined, probes may go unseen.
    bool joined = false;
    for (int tries = 0; tries < 100 && !joined; tries++) {
        int64_t published;
        joined = s_probe (self, &probe, 200, &published) >= 0 && published >= 0;
    }
    if (!joined) {
        fprintf (stderr, "bench_pipeline: no alert from the reporter; see %s\n",
                 log);
        exit (EXIT_FAILURE);
    }
    zframe_t *sample = s_probe_frame (self, &(uint64_t){0}, 0);
    char raw_text[64];
    s_raw_round_trip (sample, raw_text, sizeof raw_text);
    zframe_destroy (&sample);

    //  The load: one collector (aihui), a batch every millisecond, for
    //  twice the probes' expected time at most.
    size_t per_batch = (size_t)(rate / 1000);
    size_t load_batches = (size_t)PROBES * 2 * 3;
    uint64_t load_sequence = 0;
    collector_job_t job = {
        .frames = s_encode (self, 1, &load_sequence, per_batch, load_batches),
        .count = load_batches,
        .interval_ns = 1000000};
    zactor_t *load = zactor_new (s_collector_actor, aggregator.collect);
    zsock_send (load, "sp", "RUN", &job);
    usleep (200000); //  the load is running before the first probe

    int64_t *samples = calloc (PROBES, sizeof (int64_t));
    int64_t *publish_samples = calloc (PROBES, sizeof (int64_t));
    assert (samples && publish_samples);
    size_t count = 0, publish_count = 0, lost = 0;
    for (int sent = 0; sent < PROBES; sent++) {
        int64_t published;
        int64_t taken = s_probe (self, &probe, 2000, &published);
        if (taken < 0)
            lost++;
        else
            samples[count++] = taken;
        if (published >= 0)
            publish_samples[publish_count++] = published;
        zclock_sleep (PROBE_GAP_NS / 1000000);
    }
    zstr_send (load, "STOP");
    collector_result_t result = s_collector_result (load);
    double achieved =
        (double)result.sent * (double)per_batch * 1e9 / (double)result.taken;
    if (result.applied != result.acks * per_batch || result.refused)
        fprintf (stderr,
                 "bench_pipeline: load: %" PRIu64 " updates applied of %" PRIu64
                 " acked\n",
                 result.applied, result.acks * per_batch);

    char text[64], publish_text[64], offered[32], achieved_text[32];
    s_percentiles (samples, count, text, sizeof text);
    s_percentiles (publish_samples, publish_count, publish_text,
                   sizeof publish_text);
    printf ("%10s %10s %-8s %6zu %4zu  to alert   %s\n",
            bench_thousands (rate, offered),
            bench_thousands (achieved, achieved_text), journal, count, lost,
            text);
    printf ("%10s %10s %-8s %6zu %4s  to publish %s\n", "", "", "",
            publish_count, "", publish_text);
    printf ("%10s %10s %-8s %6d %4s  raw zmq    %s\n", "", "", "", ROUND_TRIPS,
            "", raw_text);
    fflush (stdout);

    zactor_destroy (&load);
    s_frames_destroy (&job.frames, load_batches);
    free (samples);
    free (publish_samples);
    zsock_destroy (&probe.dealer);
    zsock_destroy (&probe.alerts);
    zsock_destroy (&probe.changes);
    codec_destroy (&probe.codec);
    bench_stop (reporter, SIGTERM);
    s_aggregator_stop (&aggregator);
    free (synced);
    free (stream);
    free (command);
    free (log);
}

static void
s_latency (bench_t *self)
{
    printf ("== latency: a probe update sent by a collector -> the alert it "
            "causes, received from the reporter's alert stream\n"
            "   (one threshold rule, for 0, "
            "fires and resolves as the probe alternates); %d probes,\n"
            "   %d ms apart, while another collector offers the load in "
            "batches every ms; times in microseconds\n"
            "   to publish: until the aggregator's PUB socket delivers the "
            "probe's cell (a SUB in this program);\n"
            "   raw zmq: DEALER->ROUTER->DEALER round trip of the probe's "
            "bytes, %d times, same run, before the load\n\n",
            PROBES, PROBE_GAP_NS / 1000000, ROUND_TRIPS);
    printf ("%10s %10s %-8s %6s %4s  %-10s %8s %8s %8s %8s\n", "offered/s",
            "achieved", "journal", "probes", "lost", "", "p50", "p99", "p99.9",
            "max");
    s_latency_row (self, 1000, "durable");
    s_latency_row (self, 1000, "off");
    s_latency_row (self, 100000, "durable");
    printf ("\n");
}

//  A subscriber thread: a SUB on the publish endpoint it is given,
//  counting Changes and sequence gaps. "STATS" is answered with changes,
//  cells, last sequence, gaps, heartbeats and when the last Changes came.
static void
s_subscriber_actor (zsock_t *pipe, void *args)
{
    zsock_t *subscriber = zsock_new (ZMQ_SUB);
    assert (subscriber);
    //  As reporter/replica.c: queue rather than drop.
    zsock_set_rcvhwm (subscriber, 1000000);
    zsock_set_subscribe (subscriber, "");
    int rc = zsock_connect (subscriber, "%s", (const char *)args);
    assert (rc == 0);
    codec_t *codec = codec_new (ARENA_LIMIT);
    zsock_signal (pipe, 0);
    uint64_t changes = 0, cells = 0, last = 0, gaps = 0, heartbeats = 0;
    int64_t last_at = 0;
    zpoller_t *poller = zpoller_new (pipe, subscriber, NULL);
    for (;;) {
        void *which = zpoller_wait (poller, -1);
        if (which == subscriber) {
            zmsg_t *msg = zmsg_recv (subscriber);
            zframe_t *body = msg ? zmsg_last (msg) : NULL;
            const char *error = NULL;
            jt_msg_type_t type = body
                                     ? codec_decode (codec, zframe_data (body),
                                                     zframe_size (body), &error)
                                     : JT_MSG_NONE;
            const wire_cells_t *decoded =
                type != JT_MSG_NONE ? codec_cells (codec) : NULL;
            if (decoded && decoded->cell_count + decoded->arrival_count > 0) {
                if (decoded->sequence != last + 1)
                    gaps++;
                last = decoded->sequence;
                changes++;
                cells += decoded->cell_count;
                last_at = bench_now_ns ();
            } else if (decoded) {
                heartbeats++;
                if (decoded->sequence > last) {
                    gaps++; //  changes missed: a replica would resync
                    last = decoded->sequence;
                }
            }
            zmsg_destroy (&msg);
        } else if (which == pipe) {
            char *command = zstr_recv (pipe);
            bool stats = command && streq (command, "STATS");
            zstr_free (&command);
            if (!stats)
                break;
            zsock_send (pipe, "888888", changes, cells, last, gaps, heartbeats,
                        (uint64_t)last_at);
        } else
            break;
    }
    zpoller_destroy (&poller);
    codec_destroy (&codec);
    zsock_destroy (&subscriber);
}

typedef struct {
    uint64_t changes, cells, last, gaps, heartbeats, last_at;
} subscriber_stats_t;

static subscriber_stats_t
s_subscriber_stats (zactor_t *subscriber)
{
    subscriber_stats_t stats;
    zstr_send (subscriber, "STATS");
    zsock_recv (subscriber, "888888", &stats.changes, &stats.cells, &stats.last,
                &stats.gaps, &stats.heartbeats, &stats.last_at);
    return stats;
}

static void
s_fanout_row (bench_t *self, int subscriber_count)
{
    aggregator_t aggregator = s_aggregator_start (self, self->demo_path,
                                                  "durable", "--heartbeat 100");
    zactor_t **subscribers =
        calloc ((size_t)subscriber_count, sizeof (zactor_t *));
    assert (subscribers);
    for (int index = 0; index < subscriber_count; index++)
        subscribers[index] =
            zactor_new (s_subscriber_actor, aggregator.publish);
    //  Every subscriber has heard a heartbeat: it is joined.
    for (int waited = 0; waited < 10000; waited += 20) {
        int joined = 0;
        for (int index = 0; index < subscriber_count; index++)
            joined += s_subscriber_stats (subscribers[index]).heartbeats > 0;
        if (joined == subscriber_count)
            break;
        zclock_sleep (20);
    }

    uint64_t sequence = 0;
    collector_job_t job = {
        .frames = s_encode (self, 0, &sequence, BENCH_BATCH, FANOUT_BATCHES),
        .count = FANOUT_BATCHES};
    zactor_t *collector = zactor_new (s_collector_actor, aggregator.collect);
    int64_t start = bench_now_ns ();
    zsock_send (collector, "sp", "RUN", &job);
    collector_result_t result = s_collector_result (collector);
    double ingest =
        (double)FANOUT_BATCHES * BENCH_BATCH * 1e9 / (double)result.taken;

    //  Wait until every subscriber holds the same last sequence, for a
    //  few heartbeats (which carry the aggregator's sequence).
    subscriber_stats_t total = {0};
    uint64_t slowest = 0, final = 0;
    int settled = 0;
    for (int waited = 0; waited < 30000 && settled < 5; waited += 50) {
        zclock_sleep (50);
        uint64_t low = UINT64_MAX, high = 0;
        for (int index = 0; index < subscriber_count; index++) {
            subscriber_stats_t stats = s_subscriber_stats (subscribers[index]);
            low = stats.last < low ? stats.last : low;
            high = stats.last > high ? stats.last : high;
        }
        settled = low == high && high == final ? settled + 1 : 0;
        final = high;
    }
    for (int index = 0; index < subscriber_count; index++) {
        subscriber_stats_t stats = s_subscriber_stats (subscribers[index]);
        total.changes += stats.changes;
        total.cells += stats.cells;
        total.gaps += stats.gaps;
        if (stats.last_at > slowest)
            slowest = stats.last_at;
    }
    double seconds = (double)((int64_t)slowest - start) / 1e9;
    char text[4][32];
    printf ("%11d %12s %10" PRIu64 " %10s %14s %12s %6" PRIu64 "\n",
            subscriber_count, bench_thousands (ingest, text[0]), final,
            bench_thousands ((double)total.changes / subscriber_count, text[1]),
            bench_thousands ((double)total.changes / seconds, text[2]),
            bench_thousands ((double)total.cells / seconds, text[3]),
            total.gaps + ((uint64_t)subscriber_count * final - total.changes));
    fflush (stdout);

    zactor_destroy (&collector);
    s_frames_destroy (&job.frames, FANOUT_BATCHES);
    for (int index = 0; index < subscriber_count; index++)
        zactor_destroy (&subscribers[index]);
    free (subscribers);
    s_aggregator_stop (&aggregator);
}

static void
s_fanout (bench_t *self)
{
    printf ("== fan-out: subscribers on the aggregator's PUB socket while one "
            "collector sends %d batches of %d (journal durable)\n"
            "   published: Changes messages (one per turn of the aggregator's "
            "loop, cells coalesced); delivered: to all subscribers together,\n"
            "   from the first send until the last subscriber has the last "
            "Changes; gaps: missing sequences, summed\n\n",
            FANOUT_BATCHES, BENCH_BATCH);
    printf ("%11s %12s %10s %10s %14s %12s %6s\n", "subscribers", "ingest/s",
            "published", "got/sub", "delivered msg/s", "cells/s", "gaps");
    const int cases[] = {1, 10, 100};
    for (int index = 0; index < 3; index++)
        s_fanout_row (self, cases[index]);
    printf ("\n");
}

int
main (int argc, char *argv[])
{
    zsys_init ();
    zsys_set_logstream (stderr);
    bench_t self = {.seed = 0x5851F42D4C957F2DULL,
                    .dir = bench_scratch_dir ("pipeline"),
                    .demo_path =
                        strdup (JT_SOURCE_DIR "/config/heihe-2003.zpl"),
                    .codec = codec_new (ARENA_LIMIT)};
    char *text = s_read_file (self.demo_path);
    char *error = NULL;
    self.catalogue = catalogue_new (text, self.demo_path, &error);
    free (text);
    if (!self.catalogue) {
        fprintf (stderr, "bench_pipeline: %s\n", error);
        return EXIT_FAILURE;
    }
    self.probe_path = s_write_probe_catalogue (self.demo_path, self.dir);
    printf ("pipeline: the real jobtally-aggregator and jobtally-reporter "
            "(%s) on %s, over tcp://127.0.0.1;\nscratch in %s\n\n",
            JT_BINARY_DIR, self.demo_path, self.dir);
    //  Any of ingest, latency, fanout may be named; none names all.
    bool all = argc < 2;
    for (int arg = 1; arg < argc; arg++)
        if (!streq (argv[arg], "ingest") && !streq (argv[arg], "latency") &&
            !streq (argv[arg], "fanout")) {
            fprintf (stderr, "usage: bench_pipeline [ingest] [latency] "
                             "[fanout]\n");
            return EXIT_FAILURE;
        }
    for (int part = 0; part < 3; part++) {
        const char *name = part == 0   ? "ingest"
                           : part == 1 ? "latency"
                                       : "fanout";
        bool wanted = all;
        for (int arg = 1; arg < argc; arg++)
            wanted = wanted || streq (argv[arg], name);
        if (wanted && part == 0)
            s_ingest (&self);
        else if (wanted && part == 1)
            s_latency (&self);
        else if (wanted)
            s_fanout (&self);
    }
    bench_scratch_remove (self.dir);
    free (self.dir);
    free (self.demo_path);
    free (self.probe_path);
    codec_destroy (&self.codec);
    catalogue_destroy (&self.catalogue);
    return EXIT_SUCCESS;
}
