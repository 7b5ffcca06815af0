/*  jobtally-aggregator — the city server: rolls county figures up in
    memory, acks each batch, publishes every change, answers snapshots and
    queries. */
#include <getopt.h>
#include "journal.h"
#include "security.h"
#include "server.h"

static void
s_usage (FILE *stream)
{
    fprintf (
        stream,
        "Usage: jobtally-aggregator -c CATALOGUE [options]\n"
        "Roll up county employment figures into city totals, rates and task\n"
        "completion; publish every change.\n\n"
        "  -c, --config FILE        the catalogue (ZPL), required\n"
        "      --collect EP         bind for collectors (default %s)\n"
        "      --publish EP         bind for subscribers (default %s)\n"
        "      --query EP           bind for snapshots and queries (default "
        "%s)\n"
        "      --heartbeat MS       heartbeat after this much quiet (default "
        "1000)\n"
        "      --endpoints-file F   write the bound endpoints to F once ready\n"
        "      --key FILE           the aggregator's secret certificate\n"
        "      --keys DIR           key directory: "
        "DIR/collectors/<source>.key,\n"
        "                           DIR/subscribers/<name>.key\n"
        "      --insecure           plain TCP, no CURVE (security is on by "
        "default)\n"
        "      --state DIR          journal, snapshots and lock (default\n"
        "                           aggregator-state; created, mode 0700)\n"
        "      --journal POLICY     durable: fsync before acks (default);\n"
        "                           lazy: write before acks, fsync once a "
        "second;\n"
        "                           off: no journal, state saved only on a "
        "clean stop\n"
        "      --snapshot-interval S  snapshot every S seconds when changed "
        "(default\n"
        "                           60; 0: only on a clean stop)\n"
        "      --rebuild            the snapshot is bad: rebuild the state "
        "from\n"
        "                           snapshot.prev and the journal\n"
        "      --check-config       check the catalogue and exit\n"
        "  -v, --verbose            log every refusal and snapshot\n"
        "  -h, --help               this text\n"
        "      --version            print the version\n\n"
        "An endpoint may use port * to take a free port; --endpoints-file "
        "then\n"
        "tells which. Endpoints also come from the catalogue's endpoints "
        "section.\n"
        "SIGHUP, or a change of the catalogue or key directory, reloads the "
        "keys.\n",
        APP_DEFAULT_COLLECT, APP_DEFAULT_PUBLISH, APP_DEFAULT_QUERY);
}

int
main (int argc, char *argv[])
{
    enum {
        OPT_COLLECT = 256,
        OPT_PUBLISH,
        OPT_QUERY,
        OPT_HEARTBEAT,
        OPT_ENDPOINTS_FILE,
        OPT_CHECK,
        OPT_VERSION,
        OPT_KEY,
        OPT_KEYS,
        OPT_INSECURE,
        OPT_STATE,
        OPT_JOURNAL,
        OPT_SNAPSHOT_INTERVAL,
        OPT_REBUILD
    };
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'},
        {"collect", required_argument, NULL, OPT_COLLECT},
        {"publish", required_argument, NULL, OPT_PUBLISH},
        {"query", required_argument, NULL, OPT_QUERY},
        {"heartbeat", required_argument, NULL, OPT_HEARTBEAT},
        {"endpoints-file", required_argument, NULL, OPT_ENDPOINTS_FILE},
        {"check-config", no_argument, NULL, OPT_CHECK},
        {"key", required_argument, NULL, OPT_KEY},
        {"keys", required_argument, NULL, OPT_KEYS},
        {"insecure", no_argument, NULL, OPT_INSECURE},
        {"state", required_argument, NULL, OPT_STATE},
        {"journal", required_argument, NULL, OPT_JOURNAL},
        {"snapshot-interval", required_argument, NULL, OPT_SNAPSHOT_INTERVAL},
        {"rebuild", no_argument, NULL, OPT_REBUILD},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0}};
    const char *config_path = NULL, *collect = NULL, *publish = NULL,
               *query = NULL;
    server_config_t config = {.heartbeat_ms = 1000,
                              .state_dir = "aggregator-state",
                              .journal_policy = JOURNAL_DURABLE,
                              .snapshot_interval_s = 60};
    bool check_only = false, verbose = false;
    int option;
    while ((option = getopt_long (argc, argv, "c:vh", options, NULL)) != -1) {
        switch (option) {
        case 'c':
            config_path = optarg;
            break;
        case OPT_COLLECT:
            collect = optarg;
            break;
        case OPT_PUBLISH:
            publish = optarg;
            break;
        case OPT_QUERY:
            query = optarg;
            break;
        case OPT_HEARTBEAT: {
            char *end;
            long value = strtol (optarg, &end, 10);
            if (*end || value < 10 || value > 3600000) {
                fprintf (stderr,
                         "jobtally-aggregator: --heartbeat takes "
                         "10 to 3600000 ms, not '%s'\n",
                         optarg);
                return 2;
            }
            config.heartbeat_ms = (int)value;
            break;
        }
        case OPT_ENDPOINTS_FILE:
            config.endpoints_file = optarg;
            break;
        case OPT_CHECK:
            check_only = true;
            break;
        case OPT_KEY:
            config.key_path = optarg;
            break;
        case OPT_KEYS:
            config.key_dir = optarg;
            break;
        case OPT_INSECURE:
            config.insecure = true;
            break;
        case OPT_STATE:
            config.state_dir = optarg;
            break;
        case OPT_JOURNAL:
            config.journal_policy = journal_policy_parse (optarg);
            if (config.journal_policy < 0) {
                fprintf (stderr,
                         "jobtally-aggregator: --journal takes durable, lazy "
                         "or off, not '%s'\n",
                         optarg);
                return 2;
            }
            break;
        case OPT_SNAPSHOT_INTERVAL: {
            char *end;
            long value = strtol (optarg, &end, 10);
            if (!*optarg || *end || value < 0 || value > 86400) {
                fprintf (stderr,
                         "jobtally-aggregator: --snapshot-interval takes "
                         "0 to 86400 seconds, not '%s'\n",
                         optarg);
                return 2;
            }
            config.snapshot_interval_s = (int)value;
            break;
        }
        case OPT_REBUILD:
            config.rebuild = true;
            break;
        case 'v':
            verbose = true;
            break;
        case 'h':
            s_usage (stdout);
            return 0;
        case OPT_VERSION:
            printf ("jobtally-aggregator %s\n", JT_VERSION);
            return 0;
        default:
            s_usage (stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf (stderr, "jobtally-aggregator: unexpected argument '%s'\n",
                 argv[optind]);
        return 2;
    }
    if (!config_path) {
        fprintf (stderr,
                 "jobtally-aggregator: a catalogue is required (-c FILE)\n");
        return 2;
    }
    catalogue_t *catalogue = app_load_catalogue (config_path);
    if (!catalogue)
        return 2;
    if (check_only) {
        printf ("%s: ok\n", config_path);
        catalogue_destroy (&catalogue);
        return 0;
    }
    app_logging ("jobtally-aggregator", verbose);
    config.catalogue_path = config_path;
    config.insecure = config.insecure || catalogue_insecure (catalogue);
    if (!config.insecure) {
        //  A key that is missing or not private is a configuration error
        //  (exit 2), told before anything binds.
        char *error = NULL;
        zcert_t *certificate =
            config.key_path ? security_load_secret (config.key_path, &error)
                            : NULL;
        if (!certificate) {
            fprintf (stderr, "jobtally-aggregator: %s\n",
                     config.key_path
                         ? error
                         : "security is on: give --key FILE (the "
                           "aggregator's secret certificate, made by 'jobtally "
                           "keygen'), or --insecure");
            freen (error);
            catalogue_destroy (&catalogue);
            return 2;
        }
        zcert_destroy (&certificate);
    }
    server_catch_sighup ();
    config.collect =
        app_endpoint (collect, catalogue, "collect", APP_DEFAULT_COLLECT);
    config.publish =
        app_endpoint (publish, catalogue, "publish", APP_DEFAULT_PUBLISH);
    config.query = app_endpoint (query, catalogue, "query", APP_DEFAULT_QUERY);
    server_t *server = server_new (catalogue, &config);
    int status = 1;
    if (server) {
        status = server_run (server);
        server_destroy (&server);
    }
    catalogue_destroy (&catalogue);
    return status;
}
