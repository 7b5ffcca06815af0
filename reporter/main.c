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
#include <getopt.h>
#include <inttypes.h>

#include "app.h"
#include "check.h"
#include "codec.h"
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
    const char *command;         //  "summary" or "watch"
    const char *config;          //  -c: catalogue file
    const char *region;          //  --region id, NULL: the root
    const char *period;          //  --period YYYY-MM
    const char *format;          //  --format name
    const char *lang;            //  --lang
    const char *publish;         //  --publish endpoint or NULL
    const char *query;           //  --query endpoint or NULL
    double timeout;              //  --timeout seconds
    bool verbose;                //  -v
    bool check_config;           //  --check-config
    const char *check_file;      //  --check-config=FILE
    const char *key;             //  --key: this reporter's secret certificate
    const char *server_key;      //  --server-key: the aggregator's public one
    bool insecure;               //  --insecure: plain TCP
    const char *alerts;          //  run --alerts FILE|-
    const char *alerts_endpoint; //  run --alerts-endpoint EP
    bool syslog;                 //  run --syslog
    const char *state;           //  run --state FILE: alert state
    const char *keys;            //  run --keys DIR: alert stream subscribers
    const char *out;             //  run --out DIR: summaries
    int every;                   //  run --every SECONDS
    const char *now;             //  --now YYYY-MM-DD[THH:MM:SS]: fixed clock
    bool once;                   //  run --once
} options_t;

static void
s_usage (FILE *out)
{
    fprintf (
        out,
        "Usage: " PROGRAM
        " summary -c CATALOGUE --period YYYY-MM [--region ID]\n"
        "                         [--format text|md|csv|json|html] [--lang "
        "en|zh] "
        "[options]\n"
        "       " PROGRAM " watch -c CATALOGUE [options]\n"
        "       " PROGRAM " run -c CATALOGUE [--alerts FILE] [--out DIR] "
        "[options]\n"
        "       " PROGRAM " stats -c CATALOGUE [--format text|json] [options]\n"
        "       " PROGRAM " --check-config[=FILE] [-c CATALOGUE]\n"
        "\n"
        "Keeps a replica of the aggregator's state (snapshot, then published\n"
        "changes) and reports on it.\n"
        "\n"
        "Commands:\n"
        "  summary               print the year-to-date summary of a region "
        "for a\n"
        "                        month and exit\n"
        "  watch                 print each changed cell as it arrives, until\n"
        "                        SIGINT or SIGTERM\n"
        "  run                   raise alerts from the catalogue's rules and\n"
        "                        write summaries, until SIGINT or SIGTERM\n"
        "  stats                 print the aggregator's counters: batches and\n"
        "                        updates applied, duplicates, and what it\n"
        "                        refused, by source and reason\n"
        "\n"
        "Options:\n"
        "  -c, --config FILE     the catalogue (required)\n"
        "  -r, --region ID       region to summarise (default: the catalogue's "
        "root)\n"
        "  -p, --period YYYY-MM  month to summarise, year to date (summary: "
        "required)\n"
        "  -f, --format FORMAT   text (default), md, csv, json or html; "
        "stats:\n"
        "                        text or json\n"
        "  -l, --lang LANG       language of names: en (default), zh, ...\n"
        "      --publish EP      aggregator's PUB endpoint (default: "
        "catalogue's\n"
        "                        endpoints/publish, else " APP_DEFAULT_PUBLISH
        ")\n"
        "      --query EP        aggregator's query endpoint (default: "
        "catalogue's\n"
        "                        endpoints/query, else " APP_DEFAULT_QUERY ")\n"
        "  -t, --timeout S       seconds to wait for the aggregator (default "
        "5)\n"
        "      --key FILE        this reporter's secret certificate (jobtally "
        "keygen)\n"
        "      --server-key FILE the aggregator's public certificate\n"
        "      --insecure        plain TCP, no CURVE (security is on by "
        "default)\n"
        "      --now TIME        evaluate rules at YYYY-MM-DD[THH:MM:SS] UTC, "
        "not now\n"
        "\n"
        "run options:\n"
        "      --alerts FILE     alert notices as JSON lines to FILE (default "
        "-,"
        " stdout)\n"
        "      --alerts-endpoint EP  publish them on a PUB socket bound at EP\n"
        "                        (default: the catalogue's endpoints/alerts)\n"
        "      --keys DIR        subscribers the alert stream admits: "
        "DIR/subscribers\n"
        "      --syslog          also to syslog\n"
        "      --state FILE      keep the alert state here across restarts\n"
        "      --out DIR         write summary.{txt,md,csv,json,html} into "
        "DIR\n"
        "      --every S         ... every S seconds (default 60) and when "
        "the\n"
        "                        month's coverage becomes complete\n"
        "      --once            evaluate and write once, then exit\n"
        "      --check-config[=FILE]\n"
        "                        check the catalogue (FILE or -c) and exit\n"
        "  -v, --verbose         more logging\n"
        "  -h, --help            this help\n"
        "  -V, --version         the version\n"
        "\n"
        "Exit status: 0 done, 1 the summary could not be written, 2 usage or\n"
        "configuration error, 3 no answer from the aggregator, 130 "
        "interrupted.\n");
}

static int
s_usage_error (const char *format, const char *detail)
{
    fprintf (stderr, PROGRAM ": ");
    fprintf (stderr, format, detail);
    fprintf (stderr, "\nTry '" PROGRAM " --help'.\n");
    return EXIT_USAGE;
}

//  Parse the command line into options: -1 to go on, else an exit status.
static int
s_parse (int argc, char *argv[], options_t *options)
{
    enum {
        OPT_PUBLISH = 256,
        OPT_QUERY,
        OPT_CHECK_CONFIG,
        OPT_KEY,
        OPT_SERVER_KEY,
        OPT_INSECURE,
        OPT_ALERTS,
        OPT_ALERTS_ENDPOINT,
        OPT_SYSLOG,
        OPT_STATE,
        OPT_KEYS,
        OPT_OUT,
        OPT_EVERY,
        OPT_NOW,
        OPT_ONCE
    };
    static const struct option long_options[] = {
        {"config", required_argument, NULL, 'c'},
        {"region", required_argument, NULL, 'r'},
        {"period", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"lang", required_argument, NULL, 'l'},
        {"timeout", required_argument, NULL, 't'},
        {"publish", required_argument, NULL, OPT_PUBLISH},
        {"query", required_argument, NULL, OPT_QUERY},
        {"check-config", optional_argument, NULL, OPT_CHECK_CONFIG},
        {"key", required_argument, NULL, OPT_KEY},
        {"server-key", required_argument, NULL, OPT_SERVER_KEY},
        {"insecure", no_argument, NULL, OPT_INSECURE},
        {"alerts", required_argument, NULL, OPT_ALERTS},
        {"alerts-endpoint", required_argument, NULL, OPT_ALERTS_ENDPOINT},
        {"syslog", no_argument, NULL, OPT_SYSLOG},
        {"state", required_argument, NULL, OPT_STATE},
        {"keys", required_argument, NULL, OPT_KEYS},
        {"out", required_argument, NULL, OPT_OUT},
        {"every", required_argument, NULL, OPT_EVERY},
        {"now", required_argument, NULL, OPT_NOW},
        {"once", no_argument, NULL, OPT_ONCE},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    memset (options, 0, sizeof (*options));
    options->format = "text";
    options->lang = "en";
    options->timeout = 5;
    options->alerts = "-";
    options->every = 60;

    opterr = 0;
    int option;
    while ((option = getopt_long (argc, argv, ":c:r:p:f:l:t:vhV", long_options,
                                  NULL)) != -1) {
        switch (option) {
        case 'c':
            options->config = optarg;
            break;
        case OPT_KEY:
            options->key = optarg;
            break;
        case OPT_SERVER_KEY:
            options->server_key = optarg;
            break;
        case OPT_INSECURE:
            options->insecure = true;
            break;
        case OPT_ALERTS:
            options->alerts = optarg;
            break;
        case OPT_ALERTS_ENDPOINT:
            options->alerts_endpoint = optarg;
            break;
        case OPT_SYSLOG:
            options->syslog = true;
            break;
        case OPT_STATE:
            options->state = optarg;
            break;
        case OPT_KEYS:
            options->keys = optarg;
            break;
        case OPT_OUT:
            options->out = optarg;
            break;
        case OPT_NOW:
            options->now = optarg;
            break;
        case OPT_ONCE:
            options->once = true;
            break;
        case OPT_EVERY: {
            char *end;
            long every = strtol (optarg, &end, 10);
            if (*optarg == 0 || *end || every < 1 || every > 86400)
                return s_usage_error ("bad --every '%s': seconds, 1 to 86400",
                                      optarg);
            options->every = (int)every;
            break;
        }
        case 'r':
            options->region = optarg;
            break;
        case 'p':
            options->period = optarg;
            break;
        case 'f':
            options->format = optarg;
            break;
        case 'l':
            options->lang = optarg;
            break;
        case OPT_PUBLISH:
            options->publish = optarg;
            break;
        case OPT_QUERY:
            options->query = optarg;
            break;
        case 'v':
            options->verbose = true;
            break;
        case OPT_CHECK_CONFIG:
            options->check_config = true;
            options->check_file = optarg;
            break;
        case 't': {
            char *end;
            options->timeout = strtod (optarg, &end);
            if (*optarg == 0 || *end || !(options->timeout > 0) ||
                options->timeout > 86400)
                return s_usage_error ("bad --timeout '%s': seconds above 0",
                                      optarg);
            break;
        }
        case 'h':
            s_usage (stdout);
            return EXIT_SUCCESS;
        case 'V':
            printf (PROGRAM " " JT_VERSION "\n");
            return EXIT_SUCCESS;
        case ':':
            return s_usage_error ("%s needs a value", argv[optind - 1]);
        default:
            return s_usage_error ("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        options->command = argv[optind++];
    if (optind < argc)
        return s_usage_error ("unexpected argument '%s'", argv[optind]);
    if (options->check_config) {
        if (!options->check_file && !options->config)
            return s_usage_error ("%s", "--check-config needs -c FILE");
        return -1;
    }
    if (!options->command)
        return s_usage_error ("%s", "say summary, watch, run or stats");
    if (!streq (options->command, "summary") &&
        !streq (options->command, "watch") &&
        !streq (options->command, "run") && !streq (options->command, "stats"))
        return s_usage_error ("unknown command '%s'", options->command);
    if (!options->config)
        return s_usage_error ("%s", "the catalogue is required: -c FILE");
    return -1;
}

static int
s_check_config (const options_t *options)
{
    const char *path =
        options->check_file ? options->check_file : options->config;
    catalogue_t *catalogue = app_load_catalogue (path);
    if (!catalogue)
        return EXIT_CONFIG;
    printf ("%s: ok\n", path);
    catalogue_destroy (&catalogue);
    return EXIT_SUCCESS;
}

//  Sync the replica; on failure say why and return the exit status.
static int
s_sync (replica_t *replica, const options_t *options)
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
s_region (const catalogue_t *catalogue, const options_t *options)
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
s_summary (const catalogue_t *catalogue, replica_t *replica,
           const options_t *options)
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
    alerts_t *alerts =
        alerts_new (catalogue, replica_store (replica), &quiet, &error);
    assert (alerts);
    alerts_evaluate (alerts, period, now ? now : app_now_ms () / 1000);
    size_t alert_count = 0;
    rules_notice_t *active = alerts_active (alerts, &alert_count);
    rc = summary_write (stdout, catalogue, replica_store (replica), region,
                        period, options->lang, format, active, alert_count);
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
        catalogue_indicator (catalogue, change->indicator);
    int decimals = indicator->whole ? 0 : -1;
    char period[PERIOD_TEXT_SIZE], value[64], old_value[64];
    summary_number ((double)change->value / JT_SCALE, decimals, value,
                    sizeof (value));
    if (change->had_value)
        summary_number ((double)change->old_value / JT_SCALE, decimals,
                        old_value, sizeof (old_value));
    printf ("seq %" PRIu64 "  %s  %s  %s  %s (%s%s)\n", change->sequence,
            period_format (change->period, period),
            catalogue_region (catalogue, change->region)->id, indicator->id,
            value, change->had_value ? "was " : "new",
            change->had_value ? old_value : "");
    fflush (stdout);
}

static int
s_watch (const catalogue_t *catalogue, replica_t *replica,
         const options_t *options, const char *publish)
{
    int rc = s_sync (replica, options);
    if (rc != EXIT_SUCCESS)
        return rc;
    zsys_info ("watch: synced at sequence %" PRIu64 "; waiting for changes "
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
    zsys_info ("watch: stopped at sequence %" PRIu64,
               replica_sequence (replica));
    return EXIT_SUCCESS;
}

static int
s_run (const catalogue_t *catalogue, replica_t *replica,
       const options_t *options)
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
    alerts_config_t config = {
        .lines = options->alerts,
        .endpoint =
            app_endpoint (options->alerts_endpoint, catalogue, "alerts", NULL),
        .syslog = options->syslog,
        .state_path = options->state,
        .lang = options->lang,
        .certificate = app_client_certificate (),
        .key_dir = options->keys};
    char *error = NULL;
    alerts_t *alerts =
        alerts_new (catalogue, replica_store (replica), &config, &error);
    if (!alerts) {
        fprintf (stderr, PROGRAM ": %s\n", error);
        free (error);
        return EXIT_CONFIG;
    }
    int rc = run_reporter (catalogue, replica, alerts, &run);
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
s_stats (const options_t *options, const char *query)
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

int
main (int argc, char *argv[])
{
    options_t options;
    int rc = s_parse (argc, argv, &options);
    if (rc >= 0)
        return rc;
    app_logging (PROGRAM, options.verbose);
    if (options.check_config)
        return s_check_config (&options);

    catalogue_t *catalogue = app_load_catalogue (options.config);
    if (!catalogue)
        return EXIT_CONFIG;
    const char *publish = app_endpoint (options.publish, catalogue, "publish",
                                        APP_DEFAULT_PUBLISH);
    const char *query =
        app_endpoint (options.query, catalogue, "query", APP_DEFAULT_QUERY);
    if (app_client_security (catalogue, options.key, options.server_key,
                             options.insecure)) {
        catalogue_destroy (&catalogue);
        return EXIT_CONFIG;
    }
    replica_t *replica = NULL;
    if (streq (options.command, "stats"))
        rc = s_stats (&options, query);
    else if (!(replica = replica_new (catalogue, publish, query)))
        rc = EXIT_USAGE;
    else if (streq (options.command, "summary"))
        rc = s_summary (catalogue, replica, &options);
    else if (streq (options.command, "run"))
        rc = s_run (catalogue, replica, &options);
    else
        rc = s_watch (catalogue, replica, &options, publish);

    replica_destroy (&replica);
    app_client_security_end ();
    catalogue_destroy (&catalogue);
    return rc;
}
