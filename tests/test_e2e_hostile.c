/*  test_e2e_hostile.c — hostile input against the real aggregator
    (issue 3): a raw ZeroMQ client sends valid batches of a real source
    interleaved with every kind of malformed frame and refused batch. Each
    refusal is answered with its reason (where an answer is possible), the
    aggregator never stops answering, every valid batch lands exactly once
    (exact totals), and `jobtally-reporter stats --format json` shows the
    exact counts per source and reason. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <czmq.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <jansson.h>
#include "e2e.h"
#include "codec.h"
#include "../common/app.h"

#define CATALOGUE "config/heihe-2003.zpl"
#define ANSWER_MS 10000 //  wait for an answer (valgrind is slow)
#define SILENCE_MS 1000 //  wait to be sure no answer comes
#define VALID_AIHUI 24  //  valid batches from aihui: add 1, 2, ... persons
#define VALID_SUNWU 5   //  valid batches from sunwu: the same
#define FIRST_AIHUI 100 //  aihui's first sequence: room to go backwards

//  What the test sent, by kind, printed at the end for the CI log.
typedef struct {
    const char *kind;
    int count;
} sent_t;

typedef struct {
    e2e_aggregator_t *aggregator;
    zsock_t *collect;       //  raw DEALER to the collect socket
    zsock_t *sunwu;         //  another, for the second valid source
    zsock_t *query;         //  raw DEALER to the query socket
    codec_t *codec;         //  encodes what is sent
    codec_t *answers;       //  decodes what comes back
    uint64_t next;          //  aihui's next sequence
    uint64_t previous;      //  aihui's last batch taken, 0 none
    int valid_sent;         //  aihui's valid batches so far
    zframe_t *last_valid;   //  the last valid aihui batch, as sent
    uint64_t last_sequence; //  its sequence
    sent_t sent[32];        //  by kind
    size_t kinds;
    int probes; //  queries answered between hostile sends
} hostile_t;

static void
s_count (hostile_t *self, const char *kind)
{
    for (size_t index = 0; index < self->kinds; index++)
        if (streq (self->sent[index].kind, kind)) {
            self->sent[index].count++;
            return;
        }
    assert_true (self->kinds < sizeof self->sent / sizeof *self->sent);
    self->sent[self->kinds++] = (sent_t){kind, 1};
}

//  Wait for a one-frame answer on dealer; NULL when none within wait_ms.
static zframe_t *
s_receive (zsock_t *dealer, int wait_ms)
{
    zpoller_t *poller = zpoller_new (dealer, NULL);
    zframe_t *answer = NULL;
    if (zpoller_wait (poller, wait_ms) == dealer)
        answer = zframe_recv (dealer);
    zpoller_destroy (&poller);
    return answer;
}

//  Decode the one-frame answer on dealer into self->answers; fails the
//  test unless it comes as a message of type.
static void
s_answer (hostile_t *self, zsock_t *dealer, jt_msg_type_t type)
{
    zframe_t *answer = s_receive (dealer, ANSWER_MS);
    assert_non_null (answer);
    assert_int_equal (codec_decode (self->answers, zframe_data (answer),
                                    zframe_size (answer), NULL),
                      type);
    zframe_destroy (&answer);
}

//  Send a frame (consumed) on dealer and decode its answer, as s_answer.
static void
s_ask (hostile_t *self, zsock_t *dealer, zframe_t **frame, jt_msg_type_t type)
{
    assert_int_equal (zframe_send (frame, dealer, 0), 0);
    s_answer (self, dealer, type);
}

//  Send a frame (consumed) on dealer and decode the Ack that answers it.
static const jt_ack_t *
s_ack (hostile_t *self, zsock_t *dealer, zframe_t **frame)
{
    s_ask (self, dealer, frame, JT_MSG_ACK);
    return codec_ack (self->answers);
}

//  Destroy what a test made in self (each part may be NULL).
static void
s_hostile_destroy (hostile_t *self)
{
    zframe_destroy (&self->last_valid);
    codec_destroy (&self->codec);
    codec_destroy (&self->answers);
    zsock_destroy (&self->collect);
    zsock_destroy (&self->sunwu);
    zsock_destroy (&self->query);
}

//  The aggregator still answers a Query on its query socket.
static void
s_probe (hostile_t *self)
{
    wire_query_t query = {.region = "heihe", .period = 200310};
    zframe_t *frame = codec_encode_query (self->codec, &query);
    s_ask (self, self->query, &frame, JT_MSG_QUERY_REPLY);
    assert_string_equal (codec_query_reply (self->answers)->error, "");
    self->probes++;
}

//  A batch of aihui's, encoded.
static zframe_t *
s_batch (hostile_t *self, const char *source, uint64_t sequence,
         uint64_t previous, const jt_update_t *updates, size_t count)
{
    jt_batch_t batch = {.source = source,
                        .sequence = sequence,
                        .previous = previous,
                        .update_count = count,
                        .updates = (jt_update_t *)updates};
    return codec_encode_batch (self->codec, &batch);
}

//  One update of employed_new for October 2003.
static jt_update_t
s_update (const char *region, jt_value_t value, bool add)
{
    return (jt_update_t){.region = region,
                         .indicator = "employed_new",
                         .period = 200310,
                         .value = value,
                         .add = add};
}

//  The next valid aihui batch: adds n persons (n = 1, 2, ...) in October.
static void
s_valid (hostile_t *self)
{
    if (self->valid_sent == VALID_AIHUI)
        return;
    int persons = ++self->valid_sent;
    jt_update_t update = s_update ("heihe.aihui", persons * 1000, true);
    zframe_t *frame =
        s_batch (self, "aihui", self->next, self->previous, &update, 1);
    zframe_destroy (&self->last_valid);
    self->last_valid = zframe_dup (frame);
    self->last_sequence = self->next;
    const jt_ack_t *ack = s_ack (self, self->collect, &frame);
    assert_string_equal (ack->error, "");
    assert_int_equal (ack->sequence, self->next);
    assert_int_equal (ack->applied, 1);
    assert_int_equal (ack->rejection_count, 0);
    assert_false (ack->duplicate);
    self->previous = self->next++;
    s_count (self, "valid batch (aihui)");
}

//  A frame that is refused whole: the Ack's error is expected, exactly.
static void
s_refused_frame (hostile_t *self, const char *kind, zframe_t **frame,
                 const char *expected)
{
    const jt_ack_t *ack = s_ack (self, self->collect, frame);
    if (!streq (ack->error, expected))
        fail_msg ("%s: error '%s', expected '%s'", kind, ack->error, expected);
    assert_int_equal (ack->applied, 0);
    s_count (self, kind);
    s_probe (self);
    s_valid (self);
}

//  An aihui batch whose updates are all refused one by one: the batch is
//  taken (its sequence used), none of its updates applied.
static void
s_refused_updates (hostile_t *self, const char *kind,
                   const jt_update_t *updates, size_t count,
                   const char **expected)
{
    zframe_t *frame =
        s_batch (self, "aihui", self->next, self->previous, updates, count);
    const jt_ack_t *ack = s_ack (self, self->collect, &frame);
    assert_string_equal (ack->error, "");
    assert_int_equal (ack->applied, 0);
    assert_int_equal (ack->rejection_count, count);
    for (size_t index = 0; index < count; index++) {
        assert_int_equal (ack->rejections[index].index, index);
        if (!streq (ack->rejections[index].reason, expected[index]))
            fail_msg ("%s: reason '%s', expected '%s'", kind,
                      ack->rejections[index].reason, expected[index]);
    }
    self->previous = self->next++;
    s_count (self, kind);
    s_probe (self);
    s_valid (self);
}

//  A row's count for a reason in the stats JSON (0 when not listed).
static json_int_t
s_reason (json_t *row, const char *reason)
{
    json_t *count =
        json_object_get (json_object_get (row, "refused_by_reason"), reason);
    return count ? json_integer_value (count) : 0;
}

static json_t *
s_stats_row (json_t *stats, const char *source)
{
    size_t index;
    json_t *row;
    json_array_foreach (json_object_get (stats, "sources"), index, row)
    {
        if (streq (json_string_value (json_object_get (row, "source")), source))
            return row;
    }
    fail_msg ("no stats row for %s", source);
    return NULL;
}

#define assert_field(object, name, expected)                                   \
    assert_int_equal (json_integer_value (json_object_get (object, name)),     \
                      expected)

static void
test_hostile_stream (void **state)
{
    hostile_t hostile = {.aggregator = *state, .next = FIRST_AIHUI};
    hostile_t *self = &hostile;
    e2e_aggregator_t *aggregator = self->aggregator;
    self->collect = e2e_plain_dealer (aggregator->collect);
    self->sunwu = e2e_plain_dealer (aggregator->collect);
    self->query = e2e_plain_dealer (aggregator->query);
    self->codec = codec_new (64 * 1024 * 1024);
    self->answers = codec_new (64 * 1024 * 1024);
    s_valid (self);

    //  Frames that are no Batch at all.
    zframe_t *frame = zframe_new (NULL, 0);
    s_refused_frame (self, "empty frame", &frame,
                     "unsupported protocol version");
    byte noise[64];
    uint32_t seed = 20031114;
    for (size_t index = 0; index < sizeof noise; index++) {
        seed = seed * 1103515245 + 12345;
        noise[index] = (byte)(seed >> 16);
    }
    frame = zframe_new (noise, sizeof noise);
    s_refused_frame (self, "random bytes", &frame, "not a jobtally message");
    jt_update_t good = s_update ("heihe.aihui", 1000, true);
    zframe_t *whole = s_batch (self, "aihui", 999, 0, &good, 1);
    frame = zframe_new (zframe_data (whole), zframe_size (whole) - 5);
    zframe_destroy (&whole);
    s_refused_frame (self, "truncated batch", &frame, "not a jobtally message");

    //  Over ZMQ_MAXMSGSIZE: libzmq drops the connection before anything
    //  reaches the aggregator, so nothing answers; connect again, go on.
    frame = zframe_new (NULL, APP_MAX_MESSAGE + 1);
    memset (zframe_data (frame), 0x42, zframe_size (frame));
    assert_int_equal (zframe_send (&frame, self->collect, 0), 0);
    zframe_t *silence = s_receive (self->collect, SILENCE_MS);
    assert_null (silence);
    zsock_destroy (&self->collect);
    self->collect = e2e_plain_dealer (aggregator->collect);
    s_count (self, "frame over MAXMSGSIZE (no answer)");
    s_probe (self);
    s_valid (self);

    //  Two frames, and a well-formed message that is not a Batch.
    zmsg_t *two = zmsg_new ();
    frame = s_batch (self, "aihui", 999, 0, &good, 1);
    zmsg_append (two, &frame);
    zmsg_addstr (two, "extra");
    assert_int_equal (zmsg_send (&two, self->collect), 0);
    s_answer (self, self->collect, JT_MSG_ACK);
    assert_string_equal (codec_ack (self->answers)->error,
                         "wrong frame count: expected one frame, a Batch");
    s_count (self, "two-frame message");
    s_probe (self);
    s_valid (self);
    wire_query_t query = {.region = "heihe", .period = 200310};
    frame = codec_encode_query (self->codec, &query);
    s_refused_frame (self, "Query on the collect socket", &frame,
                     "wrong message type: expected a Batch on the collect "
                     "socket");

    //  Batches refused whole.
    frame = s_batch (self, "nobody", 1, 0, &good, 1);
    s_refused_frame (self, "unknown source", &frame, "unknown source");
    frame = s_batch (self, "aihui", 0, 0, &good, 1);
    s_refused_frame (self, "sequence 0", &frame,
                     "bad sequence: sequence must start at 1");
    frame = s_batch (self, "aihui", self->next, self->next, &good, 1);
    s_refused_frame (self, "previous not below sequence", &frame,
                     "bad sequence: previous must be below sequence");
    frame = s_batch (self, "aihui", self->next + 10, self->next + 9, &good, 1);
    const jt_ack_t *ack = s_ack (self, self->collect, &frame);
    assert_true (ack->out_of_order);
    assert_int_equal (ack->applied, 0);
    assert_string_equal (ack->error,
                         "out of order: the batch before it was not applied "
                         "yet");
    s_count (self, "out of order");
    s_probe (self);
    s_valid (self);

    //  Another source's region: refused whole, though its first update is
    //  good; the sequence is used up.
    jt_update_t trespass[2] = {good, s_update ("heihe.sunwu", 1000, true)};
    frame = s_batch (self, "aihui", self->next, self->previous, trespass, 2);
    ack = s_ack (self, self->collect, &frame);
    assert_string_equal (ack->error,
                         "region not assigned to source: 'heihe.sunwu' is not "
                         "aihui's; batch refused");
    assert_int_equal (ack->applied, 0);
    self->previous = self->next++;
    s_count (self, "region of another source");
    s_probe (self);
    s_valid (self);

    //  Over APP_MAX_BATCH updates, every one of them good: none lands.
    jt_update_t *many = calloc (APP_MAX_BATCH + 1, sizeof (jt_update_t));
    assert_non_null (many);
    for (size_t index = 0; index <= APP_MAX_BATCH; index++)
        many[index] = good;
    frame = s_batch (self, "aihui", self->next, self->previous, many,
                     APP_MAX_BATCH + 1);
    free (many);
    ack = s_ack (self, self->collect, &frame);
    assert_string_equal (ack->error,
                         "batch too large: 10001 updates, at most 10000");
    assert_int_equal (ack->applied, 0);
    self->previous = self->next++;
    s_count (self, "batch over 10,000 updates");
    s_probe (self);
    s_valid (self);

    //  Updates refused one by one.
    jt_update_t update = s_update ("heihe.\xc3\x28", 1000, true);
    const char *bad_id[] = {"bad id 'heihe.?('"};
    s_refused_updates (self, "invalid UTF-8 region", &update, 1, bad_id);
    update = s_update ("heihe.nowhere", 1000, true);
    const char *unknown_region[] = {"unknown region 'heihe.nowhere'"};
    s_refused_updates (self, "unknown region", &update, 1, unknown_region);
    update = s_update ("heihe.aihui", 1000, true);
    update.indicator = "employed_neww";
    const char *unknown_indicator[] = {"unknown indicator 'employed_neww'"};
    s_refused_updates (self, "unknown indicator", &update, 1,
                       unknown_indicator);
    update = s_update ("heihe.aihui", -5000, false);
    const char *negative[] = {"negative value: heihe.aihui employed_new -5"};
    s_refused_updates (self, "negative persons", &update, 1, negative);
    update = s_update ("heihe.aihui", 2500, false);
    const char *half[] = {"not a whole number: heihe.aihui employed_new 2.5"};
    s_refused_updates (self, "half a person", &update, 1, half);
    update = s_update ("heihe.aihui", 2000000000000000LL, false);
    const char *huge[] = {
        "value too large: heihe.aihui employed_new 2000000000000"};
    s_refused_updates (self, "value too large", &update, 1, huge);
    jt_update_t periods[3] = {good, good, good};
    periods[0].period = 0;
    periods[1].period = 999999;
    periods[2].period = 200313;
    const char *bad_periods[] = {"bad period 0", "bad period 999999",
                                 "bad period 200313"};
    s_refused_updates (self, "periods 0, 999999, 2003-13", periods, 3,
                       bad_periods);
    update = good;
    update.reported = 20030230;
    const char *bad_date[] = {"bad report date '2003-02-30'"};
    s_refused_updates (self, "report date 2003-02-30", &update, 1, bad_date);

    //  The latest valid batch again, same bytes: its own ack again, not
    //  applied twice. Then its sequence with other figures: refused.
    frame = zframe_dup (self->last_valid);
    ack = s_ack (self, self->collect, &frame);
    assert_int_equal (ack->sequence, self->last_sequence);
    assert_int_equal (ack->applied, 1); //  the original ack
    assert_string_equal (ack->error, "");
    s_count (self, "resend of the latest batch");
    frame = s_batch (self, "aihui", self->last_sequence,
                     self->last_sequence - 1, &good, 1);
    ack = s_ack (self, self->collect, &frame);
    assert_true (ack->duplicate);
    assert_int_equal (ack->applied, 0);
    assert_string_equal (ack->error,
                         "sequence reused: sequence already used for other "
                         "figures (was the collector's state directory "
                         "lost?)");
    s_count (self, "latest sequence, other figures");
    s_probe (self);
    //  An older applied batch again: acknowledged as a duplicate.
    jt_update_t first = s_update ("heihe.aihui", 1000, true);
    frame = s_batch (self, "aihui", FIRST_AIHUI, 0, &first, 1);
    ack = s_ack (self, self->collect, &frame);
    assert_true (ack->duplicate);
    assert_int_equal (ack->applied, 0);
    assert_string_equal (ack->error, "");
    s_count (self, "resend of an older batch");
    s_probe (self);
    //  A sequence going backwards, far below the window: applied before
    //  (each batch follows the one it names), so a duplicate, not applied
    //  again and not an error.
    frame = s_batch (self, "aihui", 5, 0, &good, 1);
    ack = s_ack (self, self->collect, &frame);
    assert_true (ack->duplicate);
    assert_int_equal (ack->applied, 0);
    assert_string_equal (ack->error, "");
    s_count (self, "sequence going backwards");
    s_probe (self);

    //  The rest of aihui's valid batches, and sunwu's.
    while (self->valid_sent < VALID_AIHUI)
        s_valid (self);
    for (int persons = 1; persons <= VALID_SUNWU; persons++) {
        update = s_update ("heihe.sunwu", persons * 1000, true);
        frame = s_batch (self, "sunwu", (uint64_t)persons,
                         (uint64_t)persons - 1, &update, 1);
        ack = s_ack (self, self->sunwu, &frame);
        assert_string_equal (ack->error, "");
        assert_int_equal (ack->applied, 1);
        s_count (self, "valid batch (sunwu)");
    }

    //  A frame on the query socket that is no request is answered too.
    frame = zframe_new ("garbage", 7);
    s_ask (self, self->query, &frame, JT_MSG_QUERY_REPLY);
    assert_string_not_equal (codec_query_reply (self->answers)->error, "");
    s_count (self, "garbage on the query socket");

    printf ("Sent to the aggregator, by kind:\n");
    for (size_t index = 0; index < self->kinds; index++)
        printf ("  %4d  %s\n", self->sent[index].count, self->sent[index].kind);
    printf ("  (%d queries answered in between)\n", self->probes);

    //  Every valid batch landed once: aihui 1 + ... + 24, sunwu 1 + ... + 5.
    int aihui = VALID_AIHUI * (VALID_AIHUI + 1) / 2;
    int sunwu = VALID_SUNWU * (VALID_SUNWU + 1) / 2;
    frame = codec_encode_query (self->codec, &query);
    s_ask (self, self->query, &frame, JT_MSG_QUERY_REPLY);
    const wire_query_reply_t *reply = codec_query_reply (self->answers);
    assert_int_equal (reply->reported, 2);
    //  One Changes per valid batch; refused ones change nothing.
    assert_int_equal (reply->sequence, VALID_AIHUI + VALID_SUNWU);
    bool found = false;
    for (size_t index = 0; index < reply->row_count; index++)
        if (streq (reply->rows[index].name, "employed_new")) {
            found = true;
            assert_true (reply->rows[index].value == aihui + sunwu);
        }
    assert_true (found);

    //  The stats, as an operator and a tool read them.
    char *out = NULL, *err = NULL;
    int status = e2e_run (&out, &err, "jobtally-reporter",
                          "stats -c %s --query %s --insecure",
                          e2e_source (CATALOGUE), aggregator->query);
    if (status != 0)
        fprintf (stderr, "reporter stats exited %d: %s\n", status, err);
    assert_int_equal (status, 0);
    printf ("\n%s", out);
    assert_non_null (strstr (out, "(unknown)"));
    assert_non_null (strstr (out, "Refused, by source and reason:"));
    free (out);
    free (err);
    status = e2e_run (&out, &err, "jobtally-reporter",
                      "stats -c %s --query %s --insecure --format json",
                      e2e_source (CATALOGUE), aggregator->query);
    assert_int_equal (status, 0);
    json_error_t error;
    json_t *stats = json_loads (out, 0, &error);
    if (!stats)
        fprintf (stderr, "not JSON (%s): %s\n", error.text, out);
    assert_non_null (stats);
    free (out);
    free (err);

    assert_field (stats, "sequence", VALID_AIHUI + VALID_SUNWU);
    json_t *totals = json_object_get (stats, "totals");
    //  aihui: its valid batches and the 8 whose updates were all refused.
    assert_field (totals, "batches", VALID_AIHUI + 8 + VALID_SUNWU);
    assert_field (totals, "updates", VALID_AIHUI + VALID_SUNWU);
    assert_field (totals, "duplicates", 3);
    assert_field (totals, "refused", 16 + 6);
    assert_field (totals, "queries_refused", 1);
    assert_field (totals, "connections_refused", 0);

    json_t *row = s_stats_row (stats, "aihui");
    assert_field (row, "batches", VALID_AIHUI + 8);
    assert_field (row, "updates", VALID_AIHUI);
    assert_field (row, "duplicates", 3);
    assert_field (row, "refused", 16);
    const struct {
        const char *reason;
        json_int_t count;
    } aihui_reasons[] = {
        {"bad sequence", 2},
        {"out of order", 1},
        {"region not assigned to source", 1},
        {"batch too large", 1},
        {"bad id", 1},
        {"unknown region", 1},
        {"unknown indicator", 1},
        {"negative value", 1},
        {"not a whole number", 1},
        {"value too large", 1},
        {"bad period", 3},
        {"bad report date", 1},
        {"sequence reused", 1},
    };
    size_t reason_count = sizeof aihui_reasons / sizeof *aihui_reasons;
    for (size_t index = 0; index < reason_count; index++)
        if (s_reason (row, aihui_reasons[index].reason) !=
            aihui_reasons[index].count)
            fail_msg ("aihui %s: %lld, expected %lld",
                      aihui_reasons[index].reason,
                      (long long)s_reason (row, aihui_reasons[index].reason),
                      (long long)aihui_reasons[index].count);
    assert_int_equal (
        json_object_size (json_object_get (row, "refused_by_reason")),
        reason_count);

    row = s_stats_row (stats, "sunwu");
    assert_field (row, "batches", VALID_SUNWU);
    assert_field (row, "updates", VALID_SUNWU);
    assert_field (row, "duplicates", 0);
    assert_field (row, "refused", 0);

    row = s_stats_row (stats, "(unknown)");
    assert_field (row, "batches", 0);
    assert_field (row, "refused", 6);
    assert_int_equal (s_reason (row, "malformed message"), 3);
    assert_int_equal (s_reason (row, "wrong frame count"), 1);
    assert_int_equal (s_reason (row, "wrong message type"), 1);
    assert_int_equal (s_reason (row, "unknown source"), 1);
    //  The other five sources sent nothing.
    row = s_stats_row (stats, "beian");
    assert_field (row, "batches", 0);
    assert_field (row, "refused", 0);
    json_decref (stats);

    s_hostile_destroy (self);
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  With CURVE the key says who sent a frame: garbage from aihui's key
//  counts under aihui; a batch naming sunwu sent with aihui's key is
//  refused as "key not allowed" and counted under "(unknown)".
static void
test_secure_frames_count_under_their_key (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    hostile_t hostile = {.aggregator = aggregator};
    hostile_t *self = &hostile;
    self->codec = codec_new (1024 * 1024);
    self->answers = codec_new (1024 * 1024);
    zsock_t *aihui = e2e_dealer (aggregator, aggregator->collect, "aihui");
    zframe_t *frame = zframe_new ("garbage", 7);
    const jt_ack_t *ack = s_ack (self, aihui, &frame);
    assert_string_equal (ack->error, "not a jobtally message");
    jt_update_t update = s_update ("heihe.sunwu", 1000, true);
    frame = s_batch (self, "sunwu", 1, 0, &update, 1);
    ack = s_ack (self, aihui, &frame);
    assert_string_equal (ack->error,
                         "key not allowed: source does not match its key");
    zsock_destroy (&aihui);

    char *out = NULL;
    assert_int_equal (e2e_run (&out, NULL, "jobtally-reporter",
                               "stats -c %s --query %s --format json %s",
                               e2e_source (CATALOGUE), aggregator->query,
                               e2e_security (aggregator, "reporter")),
                      0);
    json_t *stats = json_loads (out, 0, NULL);
    free (out);
    assert_non_null (stats);
    json_t *row = s_stats_row (stats, "aihui");
    assert_int_equal (s_reason (row, "malformed message"), 1);
    assert_field (row, "refused", 1);
    row = s_stats_row (stats, "(unknown)");
    assert_int_equal (s_reason (row, "key not allowed"), 1);
    assert_field (row, "refused", 1);
    json_decref (stats);
    s_hostile_destroy (self);
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  stats says clearly when nobody answers, and exits 3. Nobody is a TCP
//  listener of the test's own that never speaks: a port merely left free
//  could be taken by another program on the machine meanwhile.
static void
test_stats_no_answer (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    assert_int_equal (e2e_stop (aggregator), 0);
    int listener = socket (AF_INET, SOCK_STREAM, 0);
    assert_true (listener >= 0);
    struct sockaddr_in address = {.sin_family = AF_INET,
                                  .sin_addr.s_addr = htonl (INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    assert_int_equal (
        bind (listener, (struct sockaddr *)&address, sizeof address), 0);
    assert_int_equal (listen (listener, 8), 0);
    assert_int_equal (
        getsockname (listener, (struct sockaddr *)&address, &length), 0);
    char query[128];
    snprintf (query, sizeof query, "tcp://127.0.0.1:%d",
              ntohs (address.sin_port));
    char *err = NULL;
    assert_int_equal (e2e_run (NULL, &err, "jobtally-reporter",
                               "stats -c %s --query %s --insecure -t 0.5",
                               e2e_source (CATALOGUE), query),
                      3);
    assert_non_null (strstr (err, "no answer from the aggregator at"));
    free (err);
    assert_int_equal (e2e_run (NULL, &err, "jobtally-reporter",
                               "stats -c %s --query %s --insecure -f csv",
                               e2e_source (CATALOGUE), query),
                      2);
    assert_non_null (strstr (err, "unknown format 'csv' for stats"));
    free (err);
    close (listener);
}

//  A raw client keeps FLOOD_AHEAD batches of aihui's waiting on the
//  collect socket, up to FLOOD_BATCHES in all, each adding one person;
//  a Query sent once the first is acknowledged must be answered while
//  batches still wait, not when they run out: its figure is within
//  2 * FLOOD_AHEAD of the batches sent when it was asked. (The loop once
//  served the collect socket whenever it was ready, and queries and ZAP
//  requests only when no batch waited.)
#define FLOOD_AHEAD 2000
#define FLOOD_BATCHES 100000

static void
test_query_answered_under_batch_flood (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    codec_t *codec = codec_new (APP_ARENA_LIMIT);
    codec_t *answers = codec_new (APP_ARENA_LIMIT);
    zsock_t *collect = e2e_plain_dealer (aggregator->collect);
    zsock_t *query = e2e_plain_dealer (aggregator->query);
    zsock_set_sndhwm (collect, 2 * FLOOD_AHEAD);
    jt_update_t update = s_update ("heihe.aihui", 1000, true);
    uint64_t sent = 0, acked = 0, asked_at = 0;
    bool asked = false;
    zframe_t *reply = NULL;
    while (!reply && acked < FLOOD_BATCHES) {
        while (sent < FLOOD_BATCHES && sent - acked < FLOOD_AHEAD) {
            jt_batch_t batch = {.source = "aihui",
                                .sequence = sent + 1,
                                .previous = sent,
                                .update_count = 1,
                                .updates = &update};
            zframe_t *frame = codec_encode_batch (codec, &batch);
            assert_int_equal (zframe_send (&frame, collect, 0), 0);
            sent++;
        }
        zframe_t *ack = s_receive (collect, ANSWER_MS);
        assert_non_null (ack);
        zframe_destroy (&ack);
        acked++;
        while (zsock_events (collect) & ZMQ_POLLIN) {
            ack = zframe_recv (collect);
            zframe_destroy (&ack);
            acked++;
        }
        //  Asked once batches are acknowledged: the flood runs.
        if (!asked) {
            wire_query_t question = {.region = "heihe.aihui", .period = 200310};
            zframe_t *frame = codec_encode_query (codec, &question);
            assert_int_equal (zframe_send (&frame, query, 0), 0);
            asked = true;
            asked_at = sent;
        }
        if (zsock_events (query) & ZMQ_POLLIN)
            reply = zframe_recv (query);
    }
    if (!reply)
        reply = s_receive (query, ANSWER_MS);
    assert_non_null (reply);
    assert_int_equal (
        codec_decode (answers, zframe_data (reply), zframe_size (reply), NULL),
        JT_MSG_QUERY_REPLY);
    const wire_query_reply_t *answer = codec_query_reply (answers);
    double persons = -1;
    for (size_t index = 0; index < answer->row_count; index++)
        if (streq (answer->rows[index].name, "employed_new"))
            persons = answer->rows[index].value;
    printf ("flood: a query asked after batch %" PRIu64 " was answered with "
            "%.0f of %d batches applied (%" PRIu64 " sent, %" PRIu64
            " acknowledged by then)\n",
            asked_at, persons, FLOOD_BATCHES, sent, acked);
    //  Within a few groups of the batches waiting when it was asked.
    assert_true (persons >= 1 && persons <= asked_at + 2 * FLOOD_AHEAD);
    zframe_destroy (&reply);
    zsock_destroy (&collect);
    zsock_destroy (&query);
    codec_destroy (&codec);
    codec_destroy (&answers);
}

#define e2e_test(name)                                                         \
    cmocka_unit_test_setup_teardown (name, e2e_setup, e2e_teardown)

int
main (void)
{
    const struct CMUnitTest tests[] = {
        e2e_test (test_hostile_stream),
        e2e_test (test_stats_no_answer),
        e2e_test (test_query_answered_under_batch_flood),
        cmocka_unit_test_setup_teardown (
            test_secure_frames_count_under_their_key, e2e_setup_secure,
            e2e_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
