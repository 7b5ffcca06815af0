/*  jobtally-reporter — subscribes to the aggregator and prints summaries.

    summary   sync a replica of the aggregator's state, print the one-shot
              summary of a region for a month, exit
    watch     sync, then print each changed cell as it is published, until
              SIGINT or SIGTERM

    Exit status: 0 done; 1 usage, unknown region or period; 2 catalogue not
    valid; 3 the aggregator did not answer; 130 interrupted. */
#include <getopt.h>
#include <inttypes.h>

#include "app.h"
#include "period.h"
#include "replica.h"
#include "summary.h"

#define PROGRAM "jobtally-reporter"

#define EXIT_USAGE 2
#define EXIT_CONFIG 2
#define EXIT_NO_ANSWER 3
#define EXIT_INTERRUPTED 130

//  watch says so once when nothing at all arrives for this long
#define WATCH_SILENCE_MS (30 * 1000)

typedef struct {
    const char *command;    //  "summary" or "watch"
    const char *config;     //  -c: catalogue file
    const char *region;     //  --region id, NULL: the root
    const char *period;     //  --period YYYY-MM
    const char *format;     //  --format name
    const char *lang;       //  --lang
    const char *publish;    //  --publish endpoint or NULL
    const char *query;      //  --query endpoint or NULL
    double timeout;         //  --timeout seconds
    bool verbose;           //  -v
    bool check_config;      //  --check-config
    const char *check_file; //  --check-config=FILE
    const char *key;        //  --key: this reporter's secret certificate
    const char *server_key; //  --server-key: the aggregator's public one
    bool insecure;          //  --insecure: plain TCP
} options_t;

static void
s_usage (FILE *out)
{
    fprintf (
        out,
        "Usage: " PROGRAM
        " summary -c CATALOGUE --period YYYY-MM [--region ID]\n"
        "                         [--format text|json] [--lang en|zh] "
        "[options]\n"
        "       " PROGRAM " watch -c CATALOGUE [options]\n"
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
        "\n"
        "Options:\n"
        "  -c, --config FILE     the catalogue (required)\n"
        "  -r, --region ID       region to summarise (default: the catalogue's "
        "root)\n"
        "  -p, --period YYYY-MM  month to summarise, year to date (summary: "
        "required)\n"
        "  -f, --format FORMAT   text (default) or json\n"
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
    enum { OPT_PUBLISH = 256, OPT_QUERY, OPT_CHECK_CONFIG, OPT_KEY,
           OPT_SERVER_KEY, OPT_INSECURE };
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
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    memset (options, 0, sizeof (*options));
    options->format = "text";
    options->lang = "en";
    options->timeout = 5;

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
        return s_usage_error ("%s", "say summary or watch");
    if (!streq (options->command, "summary") &&
        !streq (options->command, "watch"))
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

static int
s_summary (const catalogue_t *catalogue, replica_t *replica,
           const options_t *options)
{
    //  Everything the user typed is checked before the network is asked
    int region = 0;
    if (options->region) {
        region = catalogue_region_find (catalogue, options->region);
        if (region < 0) {
            fprintf (stderr,
                     PROGRAM ": unknown region '%s' (not in the "
                             "catalogue)\n",
                     options->region);
            return EXIT_USAGE;
        }
    } else
        while (catalogue_region (catalogue, region)->parent >= 0)
            region = catalogue_region (catalogue, region)->parent;
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
        return s_usage_error ("unknown format '%s': text or json",
                              options->format);

    int rc = s_sync (replica, options);
    if (rc != EXIT_SUCCESS)
        return rc;
    if (summary_write (stdout, catalogue, replica_store (replica), region,
                       period, options->lang, format) ||
        fflush (stdout)) {
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
    int64_t heard = app_now_ms ();
    bool silence_logged = false;
    while (!zsys_interrupted) {
        void *which = zpoller_wait (poller, 1000);
        if (zpoller_terminated (poller))
            break;
        if (which) {
            replica_handle (replica, s_print_change, (void *)catalogue);
            heard = app_now_ms ();
            silence_logged = false;
        } else if (!silence_logged &&
                   app_now_ms () - heard > WATCH_SILENCE_MS) {
            zsys_warning ("watch: nothing from the aggregator at %s for %d s",
                          publish, WATCH_SILENCE_MS / 1000);
            silence_logged = true;
        }
    }
    zpoller_destroy (&poller);
    zsys_info ("watch: stopped at sequence %" PRIu64,
               replica_sequence (replica));
    return EXIT_SUCCESS;
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
    replica_t *replica = replica_new (catalogue, publish, query);
    if (!replica)
        rc = EXIT_USAGE;
    else if (streq (options.command, "summary"))
        rc = s_summary (catalogue, replica, &options);
    else
        rc = s_watch (catalogue, replica, &options, publish);

    replica_destroy (&replica);
    app_client_security_end ();
    catalogue_destroy (&catalogue);
    return rc;
}
