/*  test_e2e.c — the real programs over real sockets on loopback: the Heihe
    2003 demo reproduces the report's figures; bad rows are refused with
    their reasons while good rows land; a batch is applied once however
    often it is sent; malformed frames are refused and change nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <czmq.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <sys/wait.h>
#include "e2e.h"
#include "json_check.h"
#include "codec.h"

#define CATALOGUE "config/heihe-2003.zpl"

static const char *s_counties[] = {"direct",   "aihui", "beian", "wudalianchi",
                                   "nenjiang", "xunke", "sunwu"};

//  Run the reporter's JSON summary against an aggregator; returns the parsed
//  document (caller decrefs).
static json_t *
s_summary (e2e_aggregator_t *aggregator, const char *region, const char *period,
           const char *lang)
{
    char *out = NULL, *err = NULL;
    int status = e2e_run (
        &out, &err, "jobtally-reporter",
        "summary -c %s --query %s --publish %s --region %s --period %s "
        "--format json --lang %s %s",
        e2e_source (CATALOGUE), aggregator->query, aggregator->publish, region,
        period, lang, e2e_security (aggregator, "reporter"));
    if (status != 0)
        fprintf (stderr, "reporter exited %d: %s\n", status, err);
    assert_int_equal (status, 0);
    json_error_t error;
    json_t *document = json_loads (out, 0, &error);
    if (!document)
        fprintf (stderr, "not JSON (%s): %s\n", error.text, out);
    assert_non_null (document);
    free (out);
    free (err);
    return document;
}

//  The row for (region, figure) in a summary.
static json_t *
s_row (json_t *document, const char *region, const char *name)
{
    json_t *rows = json_object_get (document, "rows");
    size_t index;
    json_t *row;
    json_array_foreach (rows, index, row)
    {
        if (streq (json_string_value (json_object_get (row, "region")),
                   region) &&
            streq (json_string_value (json_object_get (row, "name")), name))
            return row;
    }
    fail_msg ("no row for %s %s", region, name);
    return NULL;
}

static double
s_number (json_t *document, const char *region, const char *name,
          const char *field)
{
    json_t *value = json_object_get (s_row (document, region, name), field);
    if (!json_is_number (value))
        fail_msg ("%s %s %s is not a number", region, name, field);
    return json_number_value (value);
}

//  Assert a figure's value to the precision a reader sees.
#define assert_figure(document, region, name, field, expected)                 \
    assert_true (                                                              \
        fabs (s_number (document, region, name, field) - (expected)) < 1e-9)

static void
s_import_demo (e2e_aggregator_t *aggregator)
{
    for (size_t index = 0; index < sizeof s_counties / sizeof *s_counties;
         index++) {
        char *out = NULL, *err = NULL;
        char file[128];
        snprintf (file, sizeof file, "config/heihe-2003/%s.csv",
                  s_counties[index]);
        int status = e2e_run (
            &out, &err, "jobtally-collector",
            "import %s --source %s --aggregator %s --state %s/state %s",
            e2e_source (file), s_counties[index], aggregator->collect,
            aggregator->dir, e2e_security (aggregator, s_counties[index]));
        if (status != 0)
            fprintf (stderr, "collector %s exited %d: %s%s\n",
                     s_counties[index], status, out, err);
        assert_int_equal (status, 0);
        free (out);
        free (err);
    }
}

//  A collector whose state directory was lost reuses sequences: its rows
//  are reported as not applied, never as delivered.
static void
test_lost_state_directory_is_told (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    for (int value = 10; value <= 11; value++)
        assert_int_equal (e2e_send (NULL, aggregator, "xunke", "first",
                                    "heihe.xunke new_jobs 2003-02 %d", value),
                          0);
    //  A fresh state directory starts again at batch 1, an older one.
    char *err = NULL;
    assert_int_equal (e2e_send (&err, aggregator, "xunke", "second",
                                "heihe.xunke new_jobs 2003-02 99"),
                      1);
    assert_non_null (strstr (err, "not applied: the city already has batch 1 "
                                  "from source 'xunke'"));
    free (err);
    //  Again: now batch 2, the latest, with other figures.
    assert_int_equal (e2e_send (&err, aggregator, "xunke", "second",
                                "heihe.xunke new_jobs 2003-02 98"),
                      1);
    assert_non_null (strstr (err, "sequence already used for other figures"));
    free (err);
    json_t *summary = s_summary (aggregator, "heihe", "2003-02", "en");
    assert_figure (summary, "heihe.xunke", "new_jobs", "value", 11);
    json_decref (summary);
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  Send frame on a raw DEALER and decode its one-frame answer with codec;
//  fails the test unless the answer comes within 10 s as a message of
//  type. What codec decoded stays readable until its next decode.
static void
s_ask (codec_t *codec, zsock_t *dealer, zframe_t **frame, jt_msg_type_t type)
{
    zframe_send (frame, dealer, 0);
    zpoller_t *poller = zpoller_new (dealer, NULL);
    zframe_t *answer = NULL;
    if (zpoller_wait (poller, 10000) == dealer)
        answer = zframe_recv (dealer);
    zpoller_destroy (&poller);
    assert_non_null (answer);
    assert_int_equal (
        codec_decode (codec, zframe_data (answer), zframe_size (answer), NULL),
        type);
    zframe_destroy (&answer);
}

static void
test_demo_reproduces_the_report (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    s_import_demo (aggregator);

    json_t *summary = s_summary (aggregator, "heihe", "2003-10", "en");
    json_t *coverage = json_object_get (summary, "coverage");
    json_check_integer (coverage, "reported", 7);
    json_check_integer (coverage, "expected", 7);
    //  Timeliness, by the dates in the files' reported column: six counties
    //  filed October by 2003-11-10, Sunwu on 2003-11-14.
    json_check_integer (coverage, "on_time", 6);
    json_check_one_late (coverage, "heihe.sunwu", "2003-11-14");
    json_check_string (coverage, "deadline", "2003-11-10");

    //  The city: the report's headline figures.
    assert_figure (summary, "heihe", "employed_new", "value", 11800);
    assert_figure (summary, "heihe", "employed_new", "target", 4403);
    assert_figure (summary, "heihe", "employed_new", "completion_pct", 268.0);
    assert_figure (summary, "heihe", "reemployed", "value", 30161);
    assert_figure (summary, "heihe", "reemployed", "completion_pct", 249.0);
    assert_figure (summary, "heihe", "new_jobs", "value", 11207);
    assert_figure (summary, "heihe", "new_jobs", "target", 16500);
    assert_figure (summary, "heihe", "new_jobs", "completion_pct", 67.9);
    assert_figure (summary, "heihe", "new_jobs", "pace_pct", 81.5);
    assert_figure (summary, "heihe", "reemployment_rate", "value", 41.0);
    assert_figure (summary, "heihe", "unemployment_rate", "value", 2.96);
    assert_true (s_number (summary, "heihe", "unemployment_rate", "value") <=
                 2.99);

    //  The City level alone.
    assert_figure (summary, "heihe.direct", "employed_new", "value", 1484);
    assert_figure (summary, "heihe.direct", "employed_new", "completion_pct",
                   106.0);
    assert_figure (summary, "heihe.direct", "reemployed", "value", 2620);
    assert_figure (summary, "heihe.direct", "reemployed", "completion_pct",
                   115.0);
    assert_figure (summary, "heihe.direct", "reemployment_rate", "value", 48.0);
    assert_figure (summary, "heihe.direct", "new_jobs", "value", 1120);
    assert_figure (summary, "heihe.direct", "new_jobs", "completion_pct",
                   112.0);
    assert_figure (summary, "heihe.direct", "unemployment_rate", "value", 2.48);
    assert_true (s_number (summary, "heihe.direct", "unemployment_rate",
                           "value") <= 2.5);

    //  Re-employment by channel, which sums to 30,161.
    assert_figure (summary, "heihe", "reemployed_private", "value", 11775);
    assert_figure (summary, "heihe", "reemployed_tertiary", "value", 6536);
    assert_figure (summary, "heihe", "reemployed_public_welfare", "value", 740);
    assert_figure (summary, "heihe", "reemployed_labour_export", "value", 1900);
    assert_figure (summary, "heihe", "reemployed_diversion", "value", 1142);
    assert_figure (summary, "heihe", "reemployed_flexible", "value", 6431);
    assert_figure (summary, "heihe", "reemployed_farming", "value", 863);
    assert_figure (summary, "heihe", "reemployed_new_enterprise", "value", 774);
    assert_figure (summary, "heihe", "reemployed_by_channel", "value", 30161);

    //  Certificates, training, households.
    assert_figure (summary, "heihe", "certificates_issued", "value", 59469);
    assert_figure (summary, "heihe", "certificate_rate", "value", 90.0);
    assert_figure (summary, "heihe", "training_courses", "value", 208);
    assert_figure (summary, "heihe", "trained", "value", 9351);
    assert_figure (summary, "heihe", "reemployed_after_training", "value",
                   5700);
    assert_figure (summary, "heihe", "households_resettled", "value", 748);
    assert_figure (summary, "heihe", "households_assisted", "value", 773);
    json_decref (summary);

    //  The same figures read like the report in the text summary.
    char *out = NULL;
    assert_int_equal (e2e_run (&out, NULL, "jobtally-reporter",
                               "summary -c %s --query %s --publish %s --region "
                               "heihe --period 2003-10 %s",
                               e2e_source (CATALOGUE), aggregator->query,
                               aggregator->publish,
                               e2e_security (aggregator, "reporter")),
                      0);
    assert_non_null (strstr (out, "11,800 people found employment, 268.0%"));
    assert_non_null (strstr (out,
                             "\nAll 7 of 7 regions reported for 2003-10, "
                             "6 on time; late: Sunwu County (2003-11-14).\n"));
    assert_non_null (strstr (out, "30,161"));
    assert_non_null (strstr (out, "11,207 new jobs were created, 67.9%"));
    assert_non_null (strstr (out, "Aihui District"));
    free (out);

    //  Chinese names come out intact.
    summary = s_summary (aggregator, "heihe", "2003-10", "zh");
    json_check_string (summary, "region_name", "黑河市");
    const char *names[] = {"市本级", "爱辉区", "北安市", "五大连池市",
                           "嫩江县", "逊克县", "孙吴县"};
    for (size_t index = 0; index < 7; index++) {
        char region[64];
        snprintf (region, sizeof region, "heihe.%s", s_counties[index]);
        json_t *row = s_row (summary, region, "employed_new");
        assert_string_equal (
            json_string_value (json_object_get (row, "region_name")),
            names[index]);
    }
    json_decref (summary);

    //  The aggregator's own query socket answers the same city figures.
    zsock_t *dealer = e2e_dealer (aggregator, aggregator->query, "reporter");
    codec_t *codec = codec_new (1024 * 1024);
    wire_query_t query = {"heihe", 200310};
    zframe_t *frame = codec_encode_query (codec, &query);
    s_ask (codec, dealer, &frame, JT_MSG_QUERY_REPLY);
    const wire_query_reply_t *reply = codec_query_reply (codec);
    assert_string_equal (reply->error, "");
    assert_int_equal (reply->reported, 7);
    assert_int_equal (reply->expected, 7);
    assert_int_equal (reply->sequence, 7); //  one Changes per county batch
    bool found = false;
    for (size_t index = 0; index < reply->row_count; index++) {
        const figure_row_t *row = &reply->rows[index];
        if (streq (row->name, "employed_new")) {
            found = true;
            assert_true (row->present && row->has_target);
            assert_true (row->value == 11800.0);
            assert_true (row->target == 4403.0);
            assert_true (round (row->completion_pct * 10) / 10 == 268.0);
        }
        if (streq (row->name, "unemployment_rate"))
            assert_true (round (row->value * 100) / 100 == 2.96);
    }
    assert_true (found);
    //  An unknown region is answered with a reason, not silence.
    query.region = "heihe.nowhere";
    frame = codec_encode_query (codec, &query);
    s_ask (codec, dealer, &frame, JT_MSG_QUERY_REPLY);
    assert_string_equal (codec_query_reply (codec)->error, "unknown region");

    //  A report date that is no date, before its month or in the future is
    //  refused with its reason, and changes nothing.
    zsock_t *collect = e2e_dealer (aggregator, aggregator->collect, "aihui");
    jt_update_t dated[3] = {
        {"heihe.aihui", "employed_new", 200302, 1000, false, 2, 20030230},
        {"heihe.aihui", "employed_new", 200310, 1000, false, 3, 20030930},
        {"heihe.aihui", "employed_new", 200310, 1000, false, 4, 29991231}};
    jt_batch_t dated_batch = {"aihui", 100, 3, dated, 0};
    frame = codec_encode_batch (codec, &dated_batch);
    s_ask (codec, collect, &frame, JT_MSG_ACK);
    const jt_ack_t *ack = codec_ack (codec);
    assert_int_equal (ack->applied, 0);
    assert_int_equal (ack->rejection_count, 3);
    assert_string_equal (ack->rejections[0].reason,
                         "bad report date '2003-02-30'");
    assert_string_equal (ack->rejections[1].reason,
                         "bad report date '2003-09-30': before 2003-10");
    assert_string_equal (ack->rejections[2].reason,
                         "bad report date '2999-12-31': in the future");
    zsock_destroy (&collect);

    //  Sunwu's October report turns out to have been filed on 2003-11-09:
    //  the same figure (108) sent with that date changes no cell, only the
    //  day the report arrived, and that alone is published (sequence 8).
    assert_int_equal (
        e2e_send (NULL, aggregator, "sunwu", NULL,
                  "heihe.sunwu employed_new 2003-10 108 --reported 2003-11-09"),
        0);
    query.region = "heihe";
    frame = codec_encode_query (codec, &query);
    s_ask (codec, dealer, &frame, JT_MSG_QUERY_REPLY);
    assert_int_equal (codec_query_reply (codec)->sequence, 8);
    summary = s_summary (aggregator, "heihe", "2003-10", "en");
    coverage = json_object_get (summary, "coverage");
    json_check_integer (coverage, "on_time", 7);
    assert_int_equal (json_array_size (json_object_get (coverage, "late")), 0);
    assert_figure (summary, "heihe", "employed_new", "value", 11800);
    json_decref (summary);

    codec_destroy (&codec);
    zsock_destroy (&dealer);
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  Every program answers --help, --version and --check-config the same way.
static void
test_programs_flags_and_check_config (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    const char *programs[] = {"jobtally-aggregator", "jobtally-collector",
                              "jobtally-reporter"};
    const char *broken = e2e_write (aggregator->dir, "broken.zpl",
                                    "catalogue\n"
                                    "    year = 2003\n"
                                    "regions\n"
                                    "    heihe = \"Heihe City\"\n"
                                    "indicators\n"
                                    "    employed_new\n"
                                    "        time = flows\n");
    char broken_path[512];
    snprintf (broken_path, sizeof broken_path, "%s", broken);
    for (size_t index = 0; index < 3; index++) {
        char *out = NULL, *err = NULL;
        assert_int_equal (e2e_run (&out, NULL, programs[index], "--version"),
                          0);
        char expected[64];
        snprintf (expected, sizeof expected, "%s 0.1.0\n", programs[index]);
        assert_string_equal (out, expected);
        free (out);
        assert_int_equal (e2e_run (&out, NULL, programs[index], "--help"), 0);
        assert_non_null (strstr (out, "Usage:"));
        free (out);
        assert_int_equal (e2e_run (&out, NULL, programs[index],
                                   "-c %s --check-config",
                                   e2e_source (CATALOGUE)),
                          0);
        assert_non_null (strstr (out, "heihe-2003.zpl: ok"));
        free (out);
        assert_int_equal (e2e_run (&out, &err, programs[index],
                                   "-c %s --check-config", broken_path),
                          2);
        assert_non_null (strstr (err, "broken.zpl:7: time must be flow, "
                                      "stock or cumulative, not 'flows'"));
        free (out);
        free (err);
        assert_int_equal (
            e2e_run (NULL, &err, programs[index], "--no-such-flag"), 2);
        free (err);
    }
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  Every kind of bad row is refused with its reason and line; the good
//  rows around them land. A month the catalogue (year 2003) does not
//  accept is refused by the aggregator with what it expects.
static void
test_bad_rows_refused_good_rows_land (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    const char *path = e2e_write (
        aggregator->dir, "bad.csv",
        "region,indicator,period,value\n"         //  1
        "heihe.aihui,employed_new,2003-01,100\n"  //  2 good
        "heihe.nowhere,employed_new,2003-01,5\n"  //  3 unknown region
        "heihe.aihui,employed_neww,2003-01,5\n"   //  4 unknown indicator
        "heihe.aihui,employed_new,2003-13,5\n"    //  5 bad period
        "heihe.aihui,employed_new,2003-02,-4\n"   //  6 negative
        "heihe.aihui,employed_new,2003-02,many\n" //  7 not a number
        "heihe.aihui,employed_new,2003-02\n"      //  8 columns
        "heihe.aihui,employed_new,2003-02,2.5\n"  //  9 half a person
        "heihe.aihui,employed_new,2003-02,50\n"   // 10 good
        "heihe.aihui,employed_new,2030-11,7\n"    // 11 after the years
        "heihe.aihui,employed_new,2001-12,9\n");  // 12 before the years
    char *out = NULL, *err = NULL;
    int status =
        e2e_run (&out, &err, "jobtally-collector",
                 "import %s --source aihui --aggregator %s --state %s/state %s",
                 path, aggregator->collect, aggregator->dir,
                 e2e_security (aggregator, "aihui"));
    assert_int_equal (status, 1);
    const char *expected[] = {
        "bad.csv:3: unknown region 'heihe.nowhere'",
        "bad.csv:4: unknown indicator 'employed_neww'",
        "bad.csv:5: bad period '2003-13'",
        "bad.csv:6: negative value '-4'",
        "bad.csv:7: not a number 'many'",
        "bad.csv:8: wrong number of columns: 3, expected 4 or 5",
        "bad.csv:9: not a whole number: heihe.aihui employed_new 2.5",
        "bad.csv:11: 2030-11: only 2002-01 to 2003-12 accepted",
        "bad.csv:12: 2001-12: only 2002-01 to 2003-12 accepted",
    };
    for (size_t index = 0; index < sizeof expected / sizeof *expected; index++)
        if (!strstr (err, expected[index]))
            fail_msg ("missing '%s' in:\n%s", expected[index], err);
    //  Eleven data rows: two delivered, nine refused, each said once.
    assert_non_null (strstr (out, "2 acknowledged, 9 rejected"));
    free (out);
    free (err);

    json_t *summary = s_summary (aggregator, "heihe", "2003-02", "en");
    assert_figure (summary, "heihe.aihui", "employed_new", "value", 150);
    assert_figure (summary, "heihe", "employed_new", "value", 150);
    json_t *coverage = json_object_get (summary, "coverage");
    json_check_integer (coverage, "reported", 1);
    json_check_integer (coverage, "expected", 7);
    //  Missing is not zero: Sunwu reported nothing and has no value.
    assert_true (json_is_null (json_object_get (
        s_row (summary, "heihe.sunwu", "employed_new"), "value")));
    json_decref (summary);
    //  Nothing of the refused months was kept.
    summary = s_summary (aggregator, "heihe", "2001-12", "en");
    assert_true (json_is_null (json_object_get (
        s_row (summary, "heihe.aihui", "employed_new"), "value")));
    json_decref (summary);
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  send sets and adds; a restatement moves the city by the difference.
static void
test_send_add_and_restatement (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    const char *sends[] = {
        "heihe.xunke employed_new 2003-03 120",
        "heihe.xunke employed_new 2003-04 80",
        "heihe.sunwu employed_new 2003-04 60",
        "heihe.xunke employed_new 2003-03 100",     //  restated down by 20
        "heihe.sunwu employed_new 2003-04 1 --add", //  one more person
    };
    const char *sources[] = {"xunke", "xunke", "sunwu", "xunke", "sunwu"};
    for (size_t index = 0; index < 5; index++)
        assert_int_equal (e2e_send (NULL, aggregator, sources[index], NULL,
                                    "%s", sends[index]),
                          0);
    json_t *summary = s_summary (aggregator, "heihe", "2003-04", "en");
    assert_figure (summary, "heihe.xunke", "employed_new", "value", 180);
    assert_figure (summary, "heihe.sunwu", "employed_new", "value", 61);
    assert_figure (summary, "heihe", "employed_new", "value", 241);
    json_decref (summary);
    summary = s_summary (aggregator, "heihe", "2003-03", "en");
    assert_figure (summary, "heihe", "employed_new", "value", 100);
    json_decref (summary);
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  The same batch sent twice is applied once; garbage frames are refused
//  with a reason and change nothing; the aggregator stays up.
static void
test_raw_client_exactly_once_and_malformed (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    zsock_t *dealer = e2e_dealer (aggregator, aggregator->collect, "beian");
    codec_t *codec = codec_new (1024 * 1024);

//  Send a batch and decode its ack (kept in the codec).
#define SEND_BATCH(sequence_, previous_, value_, period_)                      \
    do {                                                                       \
        jt_update_t update = {"heihe.beian",     "new_jobs", period_, value_,  \
                              period_ == 200305, 0,          0};               \
        jt_batch_t batch = {"beian", sequence_, 1, &update, previous_};        \
        zframe_t *frame = codec_encode_batch (codec, &batch);                  \
        s_ask (codec, dealer, &frame, JT_MSG_ACK);                             \
    } while (0)
    const jt_ack_t *ack;

    //  Batch 1 adds 40 new jobs in May; sent three times, applied once.
    for (int round = 0; round < 3; round++) {
        SEND_BATCH (1, 0, 40000, 200305);
        ack = codec_ack (codec);
        assert_int_equal (ack->sequence, 1);
        assert_int_equal (ack->applied, 1); //  the original ack, again
        assert_string_equal (ack->error, "");
    }
    //  Other figures under sequence 1 (a collector that lost its state):
    //  refused, nothing applied.
    SEND_BATCH (1, 0, 7000, 200305);
    ack = codec_ack (codec);
    assert_true (ack->duplicate);
    assert_int_equal (ack->applied, 0);
    assert_non_null (strstr (ack->error, "sequence already used"));
    //  Batch 3 overtakes batch 2 (lost with a connection): not applied,
    //  the sender is told to send again in order.
    SEND_BATCH (3, 2, 5000, 200306);
    ack = codec_ack (codec);
    assert_true (ack->out_of_order);
    assert_int_equal (ack->applied, 0);
    SEND_BATCH (2, 1, 2000, 200305); //  adds 2 in May
    assert_int_equal (codec_ack (codec)->applied, 1);
    SEND_BATCH (3, 2, 5000, 200306); //  sets June to 5
    ack = codec_ack (codec);
    assert_false (ack->out_of_order);
    assert_int_equal (ack->applied, 1);
    //  An older batch again: acknowledged as a duplicate, not applied.
    SEND_BATCH (2, 1, 2000, 200305);
    ack = codec_ack (codec);
    assert_true (ack->duplicate);
    assert_int_equal (ack->applied, 0);

    //  Malformed frames of several kinds.
    const char *garbage[] = {"", "\x08\xff\xff", "\x08\x01",
                             "not protobuf at all"};
    const char *reasons[] = {"unsupported protocol version",
                             "not a jobtally message", "message has no body",
                             "not a jobtally message"};
    for (int index = 0; index < 4; index++) {
        zframe_t *frame = zframe_new (garbage[index], strlen (garbage[index]));
        s_ask (codec, dealer, &frame, JT_MSG_ACK);
        assert_string_equal (codec_ack (codec)->error, reasons[index]);
    }
    //  A batch still lands after all that.
    SEND_BATCH (4, 3, 1000, 200307);
    assert_int_equal (codec_ack (codec)->applied, 1);
#undef SEND_BATCH

    //  Each add counted once: 40 + 2 in May; June set to 5; year to date
    //  through July 40 + 2 + 5 + 1.
    json_t *summary = s_summary (aggregator, "heihe", "2003-05", "en");
    assert_figure (summary, "heihe.beian", "new_jobs", "value", 42);
    assert_figure (summary, "heihe", "new_jobs", "value", 42);
    json_decref (summary);
    summary = s_summary (aggregator, "heihe", "2003-07", "en");
    assert_figure (summary, "heihe", "new_jobs", "value", 48);
    json_decref (summary);
    codec_destroy (&codec);
    zsock_destroy (&dealer);
    assert_int_equal (e2e_stop (aggregator), 0);
}

//  watch prints each change as it arrives.
static void
test_watch_prints_changes (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    char log[300];
    snprintf (log, sizeof log, "%s/watch.out", aggregator->dir);
    char command[2048];
    snprintf (command, sizeof command,
              "exec %s watch -c %s --query %s --publish %s %s >%s 2>%s.err",
              e2e_program ("jobtally-reporter"), e2e_source (CATALOGUE),
              aggregator->query, aggregator->publish,
              e2e_security (aggregator, "reporter"), log, log);
    pid_t watcher = fork ();
    if (watcher == 0) {
        execl ("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit (127);
    }
    //  Send until watch has shown the change (it may join late: the
    //  snapshot then carries it, and the next send is shown as a change).
    bool seen = false;
    for (int tries = 0; tries < 100 && !seen; tries++) {
        char value[16];
        snprintf (value, sizeof value, "%d", 1000 + tries);
        assert_int_equal (e2e_send (NULL, aggregator, "aihui", NULL,
                                    "heihe.aihui trained 2003-07 %s", value),
                          0);
        zclock_sleep (100);
        FILE *file = fopen (log, "r");
        if (file) {
            char line[512];
            while (fgets (line, sizeof line, file))
                if (strstr (line, "heihe.aihui") && strstr (line, "trained") &&
                    strstr (line, "2003-07"))
                    seen = true;
            fclose (file);
        }
    }
    kill (watcher, SIGTERM);
    int status;
    waitpid (watcher, &status, 0);
    assert_true (seen);
    assert_true (WIFEXITED (status));
    assert_int_equal (WEXITSTATUS (status), 0);
    assert_int_equal (e2e_stop (aggregator), 0);
}

#define e2e_test(name)                                                         \
    cmocka_unit_test_setup_teardown (name, e2e_setup, e2e_teardown)
#define e2e_secure_test(name)                                                  \
    cmocka_unit_test_setup_teardown (name, e2e_setup_secure, e2e_teardown)

int
main (void)
{
    const struct CMUnitTest tests[] = {
        e2e_secure_test (test_demo_reproduces_the_report),
        e2e_test (test_bad_rows_refused_good_rows_land),
        e2e_test (test_send_add_and_restatement),
        e2e_test (test_raw_client_exactly_once_and_malformed),
        e2e_test (test_watch_prints_changes),
        e2e_test (test_programs_flags_and_check_config),
        e2e_test (test_lost_state_directory_is_told),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
