/*  test_e2e_security.c — CURVE end to end, real programs on loopback:
    only listed keys get in, a source writes only its own regions, plain TCP
    and unknown subscribers get nothing, a revoked key is refused from its
    next connection, and secret keys must be private files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <czmq.h>
#include <signal.h>
#include <sys/stat.h>
#include "e2e.h"
#include "codec.h"

#define CATALOGUE "config/heihe-2003.zpl"

//  Make a key pair outside the aggregator's key directory: a stranger.
static void
s_stranger (e2e_aggregator_t *aggregator, const char *name)
{
    char *out = NULL;
    assert_int_equal (e2e_run (&out, NULL, "jobtally",
                               "keygen %s --dir %s/strangers", name,
                               aggregator->dir),
                      0);
    //  It prints the line to paste into the catalogue.
    assert_non_null (strstr (out, "public_key = \""));
    free (out);
}

//  The JSON summary's value of employed_new at a region for 2003-01, as
//  text ("null" when absent), read by the listed reporter.
static char *
s_employed (e2e_aggregator_t *aggregator, const char *region)
{
    char *out = NULL;
    assert_int_equal (e2e_run (&out, NULL, "jobtally-reporter",
                               "summary -c %s --query %s --publish %s --region "
                               "%s --period 2003-01 "
                               "--format json %s",
                               e2e_source (CATALOGUE), aggregator->query,
                               aggregator->publish, region,
                               e2e_security (aggregator, "reporter")),
                      0);
    //  The region's own row comes first: "name": "employed_new", then value.
    char *row = strstr (out, "\"name\": \"employed_new\"");
    assert_non_null (row);
    char *value = strstr (row, "\"value\": ");
    assert_non_null (value);
    value += strlen ("\"value\": ");
    char *result = strndup (value, strcspn (value, ",\n}"));
    free (out);
    return result;
}

static void
test_unknown_collector_key_refused (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    s_stranger (aggregator, "aihui");
    char *err = NULL;
    int status = e2e_run (
        NULL, &err, "jobtally-collector",
        "send heihe.aihui employed_new 2003-01 77 --source aihui "
        "--aggregator %s --state %s/state --timeout 2 "
        "--key %s/strangers/aihui.key_secret --server-key %s/aggregator.key",
        aggregator->collect, aggregator->dir, aggregator->dir, aggregator->dir);
    assert_int_equal (status, 3); //  never acknowledged
    //  The county operator is told why, not only that nothing came back.
    if (!strstr (err, "refused this collector's key (not listed for source "
                      "'aihui', or revoked)"))
        fail_msg ("no refusal message in:\n%s", err);
    free (err);
    char *value = s_employed (aggregator, "heihe.aihui");
    assert_string_equal (value, "null"); //  nothing changed
    free (value);
    assert_int_equal (e2e_stop (aggregator), 0);
    char *log = e2e_log (aggregator);
    assert_non_null (strstr (log, "security: refused CURVE key"));
    assert_non_null (strstr (log, "on collect"));
    //  Counted: the exit line says how many connections were refused.
    char *stopping = strstr (log, "server: stopping:");
    assert_non_null (stopping);
    assert_null (strstr (stopping, " 0 connections refused"));
    free (log);
}

static void
test_listed_collector_writes_only_its_regions (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    char *err = NULL;
    int status = e2e_send (&err, aggregator, "aihui", NULL,
                           "heihe.sunwu employed_new 2003-01 5");
    assert_int_equal (status, 1);
    assert_non_null (strstr (err, "region not assigned to source: "
                                  "'heihe.sunwu' is not aihui's"));
    free (err);
    //  Claiming to be Sunwu with Aihui's key does not help either.
    status = e2e_run (NULL, &err, "jobtally-collector",
                      "send heihe.sunwu employed_new 2003-01 5 --source sunwu "
                      "--aggregator %s --state %s/state2 %s",
                      aggregator->collect, aggregator->dir,
                      e2e_security (aggregator, "aihui"));
    assert_int_equal (status, 1);
    assert_non_null (strstr (err, "source does not match its key"));
    free (err);
    char *value = s_employed (aggregator, "heihe.sunwu");
    assert_string_equal (value, "null");
    free (value);
    //  A batch mixing its own region with another county's is refused
    //  whole: its own row does not land either.
    const char *mixed = e2e_write (aggregator->dir, "mixed.csv",
                                   "region,indicator,period,value\n"
                                   "heihe.aihui,employed_new,2003-01,500\n"
                                   "heihe.sunwu,employed_new,2003-01,5\n");
    status =
        e2e_run (NULL, &err, "jobtally-collector",
                 "import %s --source aihui --aggregator %s --state %s/state %s",
                 mixed, aggregator->collect, aggregator->dir,
                 e2e_security (aggregator, "aihui"));
    assert_int_equal (status, 1);
    assert_non_null (strstr (err,
                             "mixed.csv:2: region not assigned to source: "
                             "'heihe.sunwu' is not aihui's; batch refused"));
    assert_non_null (strstr (err,
                             "mixed.csv:3: region not assigned to source: "
                             "'heihe.sunwu' is not aihui's; batch refused"));
    free (err);
    value = s_employed (aggregator, "heihe.aihui");
    assert_string_equal (value, "null");
    free (value);
    //  Its own region lands.
    assert_int_equal (e2e_send (NULL, aggregator, "aihui", NULL,
                                "heihe.aihui employed_new 2003-01 12"),
                      0);
    value = s_employed (aggregator, "heihe.aihui");
    assert_string_equal (value, "12");
    free (value);
    assert_int_equal (e2e_stop (aggregator), 0);
}

static void
test_plain_tcp_client_refused (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    zsock_t *dealer = e2e_plain_dealer (aggregator->collect);
    codec_t *codec = codec_new (1024 * 1024);
    jt_update_t update = {
        "heihe.aihui", "employed_new", 200301, 9000, false, 0, 0};
    jt_batch_t batch = {"aihui", 1, 1, &update, 0};
    zframe_t *frame = codec_encode_batch (codec, &batch);
    zframe_send (&frame, dealer, ZFRAME_DONTWAIT);
    zframe_destroy (&frame);
    //  No handshake, so no ack: wait a bounded while for nothing.
    zpoller_t *poller = zpoller_new (dealer, NULL);
    assert_null (zpoller_wait (poller, 1000));
    zpoller_destroy (&poller);
    codec_destroy (&codec);
    zsock_destroy (&dealer);
    char *value = s_employed (aggregator, "heihe.aihui");
    assert_string_equal (value, "null");
    free (value);
    assert_int_equal (e2e_stop (aggregator), 0);
}

static void
test_unknown_subscriber_gets_nothing (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    assert_int_equal (e2e_send (NULL, aggregator, "aihui", NULL,
                                "heihe.aihui employed_new 2003-01 3"),
                      0);
    s_stranger (aggregator, "spy");
    char *out = NULL, *err = NULL;
    int status = e2e_run (
        &out, &err, "jobtally-reporter",
        "summary -c %s --query %s --publish %s --region heihe --period 2003-01 "
        "--timeout 2 --key %s/strangers/spy.key_secret --server-key "
        "%s/aggregator.key",
        e2e_source (CATALOGUE), aggregator->query, aggregator->publish,
        aggregator->dir, aggregator->dir);
    assert_int_equal (status, 3);
    assert_string_equal (out, "");
    free (out);
    free (err);
    //  A collector's key is not a subscriber's.
    status = e2e_run (
        &out, NULL, "jobtally-reporter",
        "summary -c %s --query %s --publish %s --region heihe --period 2003-01 "
        "--timeout 2 %s",
        e2e_source (CATALOGUE), aggregator->query, aggregator->publish,
        e2e_security (aggregator, "aihui"));
    assert_int_equal (status, 3);
    assert_string_equal (out, "");
    free (out);
    //  The listed reporter reads it.
    char *value = s_employed (aggregator, "heihe");
    assert_string_equal (value, "3");
    free (value);
    assert_int_equal (e2e_stop (aggregator), 0);
}

static void
test_revoked_key_refused_from_next_connection (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    assert_int_equal (e2e_send (NULL, aggregator, "xunke", NULL,
                                "heihe.xunke employed_new 2003-01 40"),
                      0);
    char path[400];
    snprintf (path, sizeof path, "%s/keys/collectors/xunke.key",
              aggregator->dir);
    assert_int_equal (remove (path), 0);
    kill (aggregator->pid, SIGHUP);
    //  Wait for the reload to be logged (bounded).
    bool reloaded = false;
    for (int tries = 0; tries < 200 && !reloaded; tries++) {
        char *log = e2e_log (aggregator);
        reloaded = strstr (log, "security: 6 collector keys") != NULL;
        free (log);
        if (!reloaded)
            zclock_sleep (50);
    }
    assert_true (reloaded);
    char *err = NULL;
    int status =
        e2e_run (NULL, &err, "jobtally-collector",
                 "send heihe.xunke employed_new 2003-01 41 --source xunke "
                 "--aggregator %s --state %s/state --timeout 2 %s",
                 aggregator->collect, aggregator->dir,
                 e2e_security (aggregator, "xunke"));
    assert_int_equal (status, 3);
    free (err);
    char *value = s_employed (aggregator, "heihe.xunke");
    assert_string_equal (value, "40");
    free (value);

    //  Without a signal: the aggregator sees the key directory change.
    snprintf (path, sizeof path, "%s/keys/collectors/sunwu.key",
              aggregator->dir);
    assert_int_equal (remove (path), 0);
    reloaded = false;
    for (int tries = 0; tries < 200 && !reloaded; tries++) {
        char *log = e2e_log (aggregator);
        reloaded = strstr (log, "security: 5 collector keys") != NULL;
        free (log);
        if (!reloaded)
            zclock_sleep (50);
    }
    assert_true (reloaded);
    status = e2e_run (NULL, NULL, "jobtally-collector",
                      "send heihe.sunwu employed_new 2003-01 41 --source sunwu "
                      "--aggregator %s --state %s/state --timeout 2 %s",
                      aggregator->collect, aggregator->dir,
                      e2e_security (aggregator, "sunwu"));
    assert_int_equal (status, 3);
    assert_int_equal (e2e_stop (aggregator), 0);
}

static void
test_secret_keys_must_be_private (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    char path[400];
    snprintf (path, sizeof path, "%s/keys/collectors/aihui.key_secret",
              aggregator->dir);
    struct stat status_buffer;
    assert_int_equal (stat (path, &status_buffer), 0);
    assert_int_equal (status_buffer.st_mode & 0777, 0600);
    assert_int_equal (chmod (path, 0644), 0);
    char *err = NULL;
    int status = e2e_send (&err, aggregator, "aihui", NULL,
                           "heihe.aihui employed_new 2003-01 1");
    assert_int_equal (status, 2);
    assert_non_null (
        strstr (err, "aihui.key_secret: permissions 0644 are too open"));
    free (err);
    assert_int_equal (e2e_stop (aggregator), 0);

    //  The aggregator refuses to start with a loose secret key.
    snprintf (path, sizeof path, "%s/aggregator.key_secret", aggregator->dir);
    assert_int_equal (chmod (path, 0640), 0);
    status = e2e_run (
        NULL, &err, "jobtally-aggregator",
        "-c %s --collect 'tcp://127.0.0.1:*' --publish 'tcp://127.0.0.1:*' "
        "--query 'tcp://127.0.0.1:*' --key %s --keys %s/keys",
        e2e_source (CATALOGUE), path, aggregator->dir);
    assert_int_equal (status, 2);
    assert_non_null (
        strstr (err, "aggregator.key_secret: permissions 0640 are too open"));
    free (err);
    //  And security is on unless asked otherwise.
    status =
        e2e_run (NULL, &err, "jobtally-aggregator",
                 "-c %s --collect 'tcp://127.0.0.1:*'", e2e_source (CATALOGUE));
    assert_int_equal (status, 2);
    assert_non_null (strstr (err, "security is on: give --key FILE"));
    free (err);
}

#define secure_test(name)                                                      \
    cmocka_unit_test_setup_teardown (name, e2e_setup_secure, e2e_teardown)

int
main (void)
{
    const struct CMUnitTest tests[] = {
        secure_test (test_unknown_collector_key_refused),
        secure_test (test_listed_collector_writes_only_its_regions),
        secure_test (test_plain_tcp_client_refused),
        secure_test (test_unknown_subscriber_gets_nothing),
        secure_test (test_revoked_key_refused_from_next_connection),
        secure_test (test_secret_keys_must_be_private),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
