/*  jobtally-reporter — subscribes to the aggregator and prints summaries.

    summary   sync a replica of the aggregator's state, print the one-shot
              summary of a region for a month, exit
    watch     sync, then print each changed cell as it is published, until
              SIGINT or SIGTERM
    run       sync, then raise alerts from the catalogue's rules and write
              summaries into a directory, until SIGINT or SIGTERM
    stats     ask the aggregator for its counters (applied and refused, per
              source and reason), print them, exit

    Exit status: 0 done; 1 the summary could not be written; 2 usage or
    configuration error; 3 the aggregator did not answer; 130 interrupted. */
#include <inttypes.h>

#include "app.h"
#include "check.h"
#include "codec.h"
#include "wording.h"
#include "options.h"
#include "period.h"
#include "replica.h"
#include "run.h"
#include "security.h"
#include "stats_report.h"
#include "summary.h"

#define PROGRAM "jobtally-reporter"

#define EXIT_USAGE 2
#define EXIT_CONFIG 2
#define EXIT_NO_ANSWER 3
#define EXIT_INTERRUPTED 130

typedef struct {
    const char *command;         //  summary, watch, run or stats
    const char *config;          //  -c: catalogue file
    bool verbose;                //  -v
    const char *region;          //  --region id, NULL: the root
    const char *period;          //  --period YYYY-MM
    const char *format;          //  --format name
    const char *lang;            //  --lang
    const char *publish;         //  --publish, else the catalogue's, else ours
    const char *query;           //  --query, else the catalogue's, else ours
    double timeout;              //  --timeout seconds
    const char *key;             //  --key: this reporter's secret certificate
    const char *server_key;      //  --server-key: the aggregator's public one
    bool insecure;               //  --insecure: plain TCP
    const char *alerts;          //  run --alerts FILE|-
    const char *alerts_endpoint; //  run --alerts-endpoint EP, or NULL
    bool syslog;                 //  run --syslog
    const char *state;           //  run --state FILE: alert state
    const char *keys;            //  run --keys DIR: alert stream subscribers
    const char *out;             //  run --out DIR: summaries
    int every;                   //  run --every SECONDS
    const char *now;             //  --now YYYY-MM-DD[THH:MM:SS]: fixed clock
    bool once;                   //  run --once
} reporter_options_t;

static const option_t s_options[] = {
    {.name = "region",
     .letter = 'r',
     .type = OPTION_STRING,
     .offset = offsetof (reporter_options_t, region),
     .argument = "ID",
     .help = "region to summarise (default: the catalogue's root)"},
    {.name = "period",
     .letter = 'p',
     .type = OPTION_STRING,
     .offset = offsetof (reporter_options_t, period),
     .argument = "YYYY-MM",
     .help = "month to summarise, year to date (summary: required); run: the "
             "month watched"},
    {.name = "format",
     .letter = 'f',
     .type = OPTION_STRING,
     .offset = offsetof (reporter_options_t, format),
     .argument = "FORMAT",
     .fallback = "text",
     .help = "text, md, csv, json or html; stats: text or json"},
    {.name = "lang",
     .letter = 'l',
     .type = OPTION_STRING,
     .offset = offsetof (reporter_options_t, lang),
     .argument = "LANG",
     .fallback = "en",
     .help = "language of names: en, zh, ..."},
    {.name = "publish",
     .type = OPTION_ENDPOINT,
     .offset = offsetof (reporter_options_t, publish),
     .argument = "EP",
     .fallback = APP_DEFAULT_PUBLISH,
     .key = "endpoints/publish",
     .help = "aggregator's PUB endpoint"},
    {.name = "query",
     .type = OPTION_ENDPOINT,
     .offset = offsetof (reporter_options_t, query),
     .argument = "EP",
     .fallback = APP_DEFAULT_QUERY,
     .key = "endpoints/query",
     .help = "aggregator's query endpoint"},
    {.name = "timeout",
     .letter = 't',
     .type = OPTION_DECIMAL,
     .unit = OPTION_UNIT_SECONDS,
     .offset = offsetof (reporter_options_t, timeout),
     .argument = "S",
     .fallback = "5",
     .min = "0.001",
     .max = "86400",
     .help = "seconds to wait for the aggregator, fractions allowed"},
    {.name = "key",
     .type = OPTION_PATH,
     .offset = offsetof (reporter_options_t, key),
     .argument = "FILE",
     .fallback = APP_KEY_DIR "/reporter.key_secret",
     .if_exists = true,
     .help = "this reporter's secret certificate (jobtally keygen)"},
    {.name = "server-key",
     .type = OPTION_PATH,
     .offset = offsetof (reporter_options_t, server_key),
     .argument = "FILE",
     .fallback = APP_KEY_DIR "/aggregator.key",
     .if_exists = true,
     .help = "the aggregator's public certificate"},
    {.name = "insecure",
     .type = OPTION_FLAG,
     .offset = offsetof (reporter_options_t, insecure),
     .key = "security/insecure",
     .help = "plain TCP, no CURVE; security is on by default"},
    {.name = "now",
     .type = OPTION_STRING,
     .offset = offsetof (reporter_options_t, now),
     .argument = "TIME",
     .help = "evaluate rules at YYYY-MM-DD[THH:MM:SS] UTC, not now"},
    {.name = "alerts",
     .type = OPTION_STRING,
     .offset = offsetof (reporter_options_t, alerts),
     .argument = "FILE",
     .fallback = "-",
     .help = "run: alert notices as JSON lines to FILE, - for stdout"},
    {.name = "alerts-endpoint",
     .type = OPTION_ENDPOINT,
     .offset = offsetof (reporter_options_t, alerts_endpoint),
     .argument = "EP",
     .key = "endpoints/alerts",
     .help = "run: publish them on a PUB socket bound at EP"},
    {.name = "keys",
     .type = OPTION_PATH,
     .offset = offsetof (reporter_options_t, keys),
     .argument = "DIR",
     .help = "run: subscribers the alert stream admits: DIR/subscribers"},
    {.name = "syslog",
     .type = OPTION_FLAG,
     .offset = offsetof (reporter_options_t, syslog),
     .help = "run: alert notices also to syslog"},
    {.name = "state",
     .type = OPTION_PATH,
     .offset = offsetof (reporter_options_t, state),
     .argument = "FILE",
     .help = "run: keep the alert state here across restarts (default "
             "$STATE_DIRECTORY/alerts.state, else " APP_STATE_DIR (
                 "reporter") "/alerts.state if that directory exists)"},
    {.name = "out",
     .type = OPTION_PATH,
     .offset = offsetof (reporter_options_t, out),
     .argument = "DIR",
     .help = "run: write summary.{txt,md,csv,json,html} into DIR"},
    {.name = "every",
     .type = OPTION_INT,
     .unit = OPTION_UNIT_SECONDS,
     .offset = offsetof (reporter_options_t, every),
     .argument = "S",
     .fallback = "60",
     .min = "1",
     .max = "86400",
     .help = "run: ... every S seconds and when the month's coverage becomes "
             "complete"},
    {.name = "once",
     .type = OPTION_FLAG,
     .offset = offsetof (reporter_options_t, once),
     .help = "run: evaluate and write once, then exit"}};

static const char *const s_usage[] = {
    "summary -c CATALOGUE --period YYYY-MM [--region ID]\n"
    "                         [--format text|md|csv|json|html] [--lang en|zh] "
    "[options]",
    "watch -c CATALOGUE [options]",
    "run -c CATALOGUE [--alerts FILE] [--out DIR] [options]",
    "stats -c CATALOGUE [--format text|json] [options]", NULL};

static const option_command_t s_commands[] = {
    {"summary", 0, "",
     "print the year-to-date summary of a region for a month and exit"},
    {"watch", 0, "",
     "print each changed cell as it arrives, until SIGINT or "
     "SIGTERM"},
    {"run", 0, "",
     "raise alerts from the catalogue's rules and write "
     "summaries, until SIGINT or SIGTERM"},
    {"stats", 0, "",
     "print the aggregator's counters: batches and updates "
     "applied, duplicates, and what it refused, by source and "
     "reason"},
    {NULL, 0, NULL, NULL}};

static const option_exit_t s_exits[] = {
    {EXIT_SUCCESS, "done"},
    {EXIT_FAILURE, "the summary could not be written"},
    {EXIT_USAGE, "usage or configuration error"},
    {EXIT_NO_ANSWER, "no answer from the aggregator"},
    {EXIT_INTERRUPTED, "interrupted"},
    {0, NULL}};

static const options_spec_t s_spec = {
    .program = PROGRAM,
    .usage = s_usage,
    .about = "Keeps a replica of the aggregator's state (snapshot, then "
             "published changes) and reports on it.",
    .commands = s_commands,
    .options = s_options,
    .count = sizeof s_options / sizeof s_options[0],
    .config_help = "the catalogue (required)",
    .config_required = true,
    .exits = s_exits,
    .check_part = wording_check};

static int
s_usage_error (const char *format, const char *detail)
{
    fprintf (stderr, PROGRAM ": ");
    fprintf (stderr, format, detail);
    fprintf (stderr, "\nTry '" PROGRAM " --help'.\n");
    return EXIT_USAGE;
}

//  Sync the replica; on failure say why and return the exit status.
static int
s_sync (replica_t *replica, const reporter_options_t *options)
{
    if (replica_sync (replica, (int)(options->timeout * 1000)) == 0)
        return EXIT_SUCCESS;
    if (zsys_interrupted)
        return EXIT_INTERRUPTED;
    fprintf (stderr, PROGRAM ": %s\n", replica_error (replica));
    return EXIT_NO_ANSWER;
}

//  --now: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS", UTC, into seconds since
//  the epoch; 0 when not given; -1 when malformed.
static int64_t
s_parse_now (const char *text)
{
    if (!text)
        return 0;
    struct tm tm;
    memset (&tm, 0, sizeof tm);
    const char *end = strptime (text, "%Y-%m-%d", &tm);
    if (end && *end == 'T')
        end = strptime (end + 1, "%H:%M:%S", &tm);
    if (!end || *end)
        return -1;
    return (int64_t)timegm (&tm);
}

//  The region asked for (--region), or the catalogue's root; -1 and a
//  message when unknown.
static int
s_region (const catalogue_t *catalogue, const reporter_options_t *options)
{
    int region = 0;
    if (options->region) {
        region = catalogue_region_find (catalogue, options->region);
        if (region < 0)
            fprintf (stderr,
                     PROGRAM ": unknown region '%s' (not in the "
                             "catalogue)\n",
                     options->region);
        return region;
    }
    while (catalogue_region (catalogue, region)->parent >= 0)
        region = catalogue_region (catalogue, region)->parent;
    return region;
}

static int
s_summary (const catalogue_t *catalogue, const wording_t *wording,
           replica_t *replica, const reporter_options_t *options)
{
    //  Everything the user typed is checked before the network is asked
    int region = s_region (catalogue, options);
    if (region < 0)
        return EXIT_USAGE;
    if (!options->period)
        return s_usage_error ("%s", "summary needs --period YYYY-MM");
    int period = period_parse (options->period);
    if (period == PERIOD_NONE) {
        fprintf (stderr,
                 PROGRAM ": unknown period '%s': expected YYYY-MM, "
                         "year 1900-2999\n",
                 options->period);
        return EXIT_USAGE;
    }
    summary_format_t format;
    if (summary_format_parse (options->format, &format))
        return s_usage_error (
            "unknown format '%s': text, md, csv, json or html",
            options->format);

    int64_t now = s_parse_now (options->now);
    if (now < 0)
        return s_usage_error ("bad --now '%s': YYYY-MM-DD[THH:MM:SS]",
                              options->now);
    int rc = s_sync (replica, options);
    if (rc != EXIT_SUCCESS)
        return rc;
    //  The active alerts: the rules evaluated once, now, on this state.
    alerts_config_t quiet = {.lang = options->lang};
    char *error = NULL;
    alerts_t *alerts = alerts_new (catalogue, wording, replica_store (replica),
                                   &quiet, &error);
    assert (alerts);
    alerts_evaluate (alerts, period, now ? now : app_now_ms () / 1000);
    size_t alert_count = 0;
    rules_notice_t *active = alerts_active (alerts, &alert_count);
    rc = summary_write (stdout, catalogue, wording, replica_store (replica),
                        region, period, options->lang, format, active,
                        alert_count);
    free (active);
    alerts_destroy (&alerts);
    if (rc || fflush (stdout)) {
        fprintf (stderr, PROGRAM ": cannot write the summary: %s\n",
                 strerror (errno));
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}

//  "seq 42  2003-10  heihe.aihui  employed_new  1,184 (was 1,100)"
static void
s_print_change (const replica_change_t *change, void *arg)
{
    const catalogue_t *catalogue = (const catalogue_t *)arg;
    const indicator_t *indicator =
        catalogue_indicator (catalogue, change->cell.indicator);
    int decimals = indicator->whole ? 0 : -1;
    char period[PERIOD_TEXT_SIZE], value[64], old_value[64];
    summary_number ((double)change->cell.value / JT_SCALE, decimals, value,
                    sizeof (value));
    if (change->had_value)
        summary_number ((double)change->old_value / JT_SCALE, decimals,
                        old_value, sizeof (old_value));
    printf ("seq %" PRIu64 "  %s  %s  %s  %s (%s%s)\n", change->sequence,
            period_format (change->cell.period, period),
            catalogue_region (catalogue, change->cell.region)->id,
            indicator->id, value, change->had_value ? "was " : "new",
            change->had_value ? old_value : "");
    fflush (stdout);
}

static int
s_watch (const catalogue_t *catalogue, replica_t *replica,
         const reporter_options_t *options, const char *publish)
{
    int rc = s_sync (replica, options);
    if (rc != EXIT_SUCCESS)
        return rc;
    log_info ("watch: synced at sequence %" PRIu64 "; waiting for changes "
              "from %s",
              replica_sequence (replica), publish);

    zpoller_t *poller = zpoller_new (replica_socket (replica), NULL);
    assert (poller);
    while (!zsys_interrupted) {
        void *which = zpoller_wait (poller, 1000);
        if (zpoller_terminated (poller))
            break;
        //  Silence (no heartbeat) re-fetches the snapshot: the replica logs
        //  each attempt, and changes print again once it is back.
        if (which)
            replica_handle (replica, s_print_change, (void *)catalogue);
        else
            replica_check_silence (replica, REPLICA_SILENCE_MS);
    }
    zpoller_destroy (&poller);
    log_info ("watch: stopped at sequence %" PRIu64,
              replica_sequence (replica));
    return EXIT_SUCCESS;
}

//  run's alert state without --state: in systemd's $STATE_DIRECTORY, else
//  in the installed layout's directory if it exists (docs/operations.md),
//  else none.
static const char *
s_default_state (void)
{
    static char path[PATH_MAX];
    const char *dir = getenv ("STATE_DIRECTORY");
    if (!dir || !*dir)
        dir = zsys_file_exists (APP_STATE_DIR ("reporter"))
                  ? APP_STATE_DIR ("reporter")
                  : NULL;
    if (!dir)
        return NULL;
    snprintf (path, sizeof path, "%s/alerts.state", dir);
    return path;
}

static int
s_run (const catalogue_t *catalogue, const wording_t *wording,
       const site_t *site, replica_t *replica,
       const reporter_options_t *options)
{
    run_options_t run = {.region = s_region (catalogue, options),
                         .period = PERIOD_NONE,
                         .lang = options->lang,
                         .out_dir = options->out,
                         .every_s = options->every,
                         .fixed_now = s_parse_now (options->now),
                         .once = options->once,
                         .timeout_ms = (int)(options->timeout * 1000)};
    if (run.region < 0)
        return EXIT_USAGE;
    if (options->period &&
        (run.period = period_parse (options->period)) == PERIOD_NONE)
        return s_usage_error ("bad --period '%s': YYYY-MM", options->period);
    if (run.fixed_now < 0)
        return s_usage_error ("bad --now '%s': YYYY-MM-DD[THH:MM:SS]",
                              options->now);
    if (options->out && !zsys_file_exists (options->out) &&
        zsys_dir_create ("%s", options->out) != 0) {
        fprintf (stderr, PROGRAM ": cannot create %s: %s\n", options->out,
                 strerror (errno));
        return EXIT_CONFIG;
    }
    alerts_config_t config = {.lines = options->alerts,
                              .endpoint = options->alerts_endpoint,
                              .syslog = options->syslog,
                              .state_path = options->state ? options->state
                                                           : s_default_state (),
                              .lang = options->lang,
                              .certificate = app_client_certificate (),
                              .key_dir = options->keys,
                              .site = site};
    char *error = NULL;
    alerts_t *alerts = alerts_new (catalogue, wording, replica_store (replica),
                                   &config, &error);
    if (!alerts) {
        fprintf (stderr, PROGRAM ": %s\n", error);
        free (error);
        return EXIT_CONFIG;
    }
    int rc = run_reporter (catalogue, wording, replica, alerts, &run);
    alerts_destroy (&alerts);
    return rc;
}

//  Wait up to timeout_ms for one frame on dealer: its body, or NULL with
//  *why set (no answer, interrupted, or not one frame).
static zframe_t *
s_receive_answer (zsock_t *dealer, int timeout_ms, const char **why)
{
    zpoller_t *poller = zpoller_new (dealer, NULL);
    assert (poller);
    void *which = zpoller_wait (poller, timeout_ms);
    zpoller_destroy (&poller);
    zmsg_t *msg = which ? zmsg_recv (dealer) : NULL;
    if (!msg) {
        *why = zsys_interrupted ? "interrupted" : "no answer";
        return NULL;
    }
    zframe_t *frame = zmsg_size (msg) == 1 ? zmsg_pop (msg) : NULL;
    zmsg_destroy (&msg);
    if (!frame)
        *why = "an answer of more than one frame";
    return frame;
}

//  stats: one StatsRequest on the query socket, its Stats printed.
static int
s_stats (const reporter_options_t *options, const char *query)
{
    stats_report_format_t format;
    if (stats_report_format_parse (options->format, &format))
        return s_usage_error ("unknown format '%s' for stats: text or json",
                              options->format);
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    assert (dealer);
    app_socket_defaults (dealer, 0);
    app_secure_client (dealer);
    if (zsock_connect (dealer, "%s", query) == -1) {
        fprintf (stderr, PROGRAM ": cannot connect to %s: %s\n", query,
                 zmq_strerror (zmq_errno ()));
        zsock_destroy (&dealer);
        return EXIT_USAGE;
    }
    codec_t *codec = codec_new (APP_ARENA_LIMIT);
    zframe_t *request = codec_encode_stats_request (codec);
    int timeout_ms = (int)(options->timeout * 1000);
    const char *why = NULL;
    zframe_t *answer = zframe_send (&request, dealer, 0) == 0
                           ? s_receive_answer (dealer, timeout_ms, &why)
                           : NULL;
    zframe_destroy (&request);
    if (!answer && !why)
        why = "the request could not be sent";
    const char *reason = NULL;
    jt_msg_type_t type = answer ? codec_decode (codec, zframe_data (answer),
                                                zframe_size (answer), &reason)
                                : JT_MSG_NONE;
    zframe_destroy (&answer);
    int rc = EXIT_NO_ANSWER;
    char shown[CHECK_SHOWN_SIZE];
    if (why && zsys_interrupted)
        rc = EXIT_INTERRUPTED;
    else if (why)
        fprintf (stderr,
                 PROGRAM
                 ": %s from the aggregator at %s within %g s (is it "
                 "running there, and with security on, is this reporter's "
                 "key listed as a subscriber?)\n",
                 why, query, options->timeout);
    else if (type == JT_MSG_QUERY_REPLY)
        fprintf (stderr,
                 PROGRAM ": the aggregator at %s refused the stats request: "
                         "%s (is it older than this reporter?)\n",
                 query, check_shown (codec_query_reply (codec)->error, shown));
    else if (type != JT_MSG_STATS)
        fprintf (
            stderr,
            PROGRAM ": malformed answer from the aggregator at %s: %s\n", query,
            type == JT_MSG_NONE && reason ? reason : "not a Stats message");
    else if (stats_report_write (stdout, codec_stats (codec), query, format) ||
             fflush (stdout)) {
        fprintf (stderr, PROGRAM ": cannot write the stats: %s\n",
                 strerror (errno));
        rc = EXIT_FAILURE;
    } else
        rc = EXIT_SUCCESS;
    codec_destroy (&codec);
    zsock_destroy (&dealer);
    return rc;
}

//  The wording's part of the catalogue file, whose domain is catalogue;
//  NULL told on stderr.
static wording_t *
s_load_wording (const char *path, const catalogue_t *catalogue)
{
    char *text = app_catalogue_text (path);
    char *error = NULL;
    wording_t *wording =
        text ? wording_new (text, path, catalogue, &error) : NULL;
    if (text && !wording)
        app_refused (error);
    free (text);
    return wording;
}

int
main (int argc, char *argv[])
{
    reporter_options_t options = {0};
    options_t *parser = options_new (&s_spec, &options);
    int rc = options_parse (parser, argc, argv);
    catalogue_t *catalogue = NULL;
    wording_t *wording = NULL;
    site_t *site = NULL; //  its strings are borrowed by options
    if (rc == OPTIONS_GO_ON) {
        options.command = options_command (parser);
        options.config = options_config (parser);
        options.verbose = options_verbose (parser);
        catalogue = app_load_catalogue (options.config);
        wording = catalogue ? s_load_wording (options.config, catalogue) : NULL;
        site = wording ? app_load_site (options.config) : NULL;
        if (!site || options_resolve (parser, site) != 0)
            rc = EXIT_CONFIG;
    }
    options_destroy (&parser);
    if (rc != OPTIONS_GO_ON) {
        site_destroy (&site);
        wording_destroy (&wording);
        catalogue_destroy (&catalogue);
        return rc;
    }
    app_logging (PROGRAM, options.verbose);
    const char *publish = options.publish;
    const char *query = options.query;
    if (app_client_security (site, options.key, options.server_key,
                             options.insecure)) {
        site_destroy (&site);
        wording_destroy (&wording);
        catalogue_destroy (&catalogue);
        return EXIT_CONFIG;
    }
    replica_t *replica = NULL;
    if (streq (options.command, "stats"))
        rc = s_stats (&options, query);
    else if (!(replica = replica_new (catalogue, publish, query)))
        rc = EXIT_USAGE;
    else if (streq (options.command, "summary"))
        rc = s_summary (catalogue, wording, replica, &options);
    else if (streq (options.command, "run"))
        rc = s_run (catalogue, wording, site, replica, &options);
    else
        rc = s_watch (catalogue, replica, &options, publish);

    replica_destroy (&replica);
    app_client_security_end ();
    site_destroy (&site);
    wording_destroy (&wording);
    catalogue_destroy (&catalogue);
    return rc;
}
