/*  jobtally-aggregator — the city server: rolls county figures up in
    memory, acks each batch, publishes every change, answers snapshots and
    queries. */
#include "journal.h"
#include "wording.h"
#include "options.h"
#include "security.h"
#include "server.h"

#define PROGRAM "jobtally-aggregator"

//  In journal_policy_t's order (journal.h).
static const char *const s_journal_words[] = {"durable", "lazy", "off", NULL};

static const option_t s_options[] = {
    {.name = "collect",
     .type = OPTION_ENDPOINT,
     .offset = offsetof (server_config_t, collect),
     .argument = "EP",
     .fallback = APP_DEFAULT_COLLECT,
     .key = "endpoints/collect",
     .help = "bind for collectors"},
    {.name = "publish",
     .type = OPTION_ENDPOINT,
     .offset = offsetof (server_config_t, publish),
     .argument = "EP",
     .fallback = APP_DEFAULT_PUBLISH,
     .key = "endpoints/publish",
     .help = "bind for subscribers"},
    {.name = "query",
     .type = OPTION_ENDPOINT,
     .offset = offsetof (server_config_t, query),
     .argument = "EP",
     .fallback = APP_DEFAULT_QUERY,
     .key = "endpoints/query",
     .help = "bind for snapshots and queries"},
    {.name = "heartbeat",
     .type = OPTION_INT,
     .unit = OPTION_UNIT_MILLISECONDS,
     .offset = offsetof (server_config_t, heartbeat_ms),
     .argument = "MS",
     .fallback = "1000",
     .min = "10",
     .max = "3600000",
     .help = "heartbeat after this much quiet"},
    {.name = "endpoints-file",
     .type = OPTION_PATH,
     .offset = offsetof (server_config_t, endpoints_file),
     .argument = "F",
     .help = "write the bound endpoints to F once ready"},
    {.name = "key",
     .type = OPTION_PATH,
     .offset = offsetof (server_config_t, key_path),
     .argument = "FILE",
     .fallback = APP_KEY_DIR "/aggregator.key_secret",
     .if_exists = true,
     .help = "the aggregator's secret certificate"},
    {.name = "keys",
     .type = OPTION_PATH,
     .offset = offsetof (server_config_t, key_dir),
     .argument = "DIR",
     .fallback = APP_KEY_DIR,
     .if_exists = true,
     .help = "key directory: DIR/collectors/<source>.key, "
             "DIR/subscribers/<name>.key"},
    {.name = "insecure",
     .type = OPTION_FLAG,
     .offset = offsetof (server_config_t, insecure),
     .key = "security/insecure",
     .help = "plain TCP, no CURVE (security is on by default)"},
    {.name = "state",
     .type = OPTION_PATH,
     .offset = offsetof (server_config_t, state_dir),
     .argument = "DIR",
     .fallback = APP_STATE_DIR ("aggregator"),
     .env = "STATE_DIRECTORY",
     .help = "journal, snapshots and lock (created, mode 0700)"},
    {.name = "journal",
     .type = OPTION_ENUM,
     .offset = offsetof (server_config_t, journal_policy),
     .argument = "POLICY",
     .fallback = "durable",
     .words = s_journal_words,
     .help = "durable: fsync before acks; lazy: write before acks, fsync "
             "once a second; off: no journal, state saved only on a clean "
             "stop"},
    {.name = "snapshot-interval",
     .type = OPTION_INT,
     .unit = OPTION_UNIT_SECONDS,
     .offset = offsetof (server_config_t, snapshot_interval_s),
     .argument = "S",
     .fallback = "60",
     .min = "0",
     .max = "86400",
     .help = "snapshot every S seconds when changed (0: only on a clean "
             "stop)"},
    {.name = "rebuild",
     .type = OPTION_FLAG,
     .offset = offsetof (server_config_t, rebuild),
     .help = "the snapshot is bad: rebuild the state from snapshot.prev and "
             "the journal"}};

static const char *const s_usage[] = {"-c CATALOGUE [options]", NULL};

static const option_exit_t s_exits[] = {
    {0, "stopped by SIGINT or SIGTERM, the state saved"},
    {1, "failed: an endpoint could not be bound, the state directory is "
        "locked or damaged, the journal could not be written (the reason is "
        "on standard error)"},
    {2, "usage or configuration error: a bad flag, a catalogue that cannot "
        "be read or is not valid, a missing or unprotected key"},
    {0, NULL}};

static const options_spec_t s_spec = {
    .program = PROGRAM,
    .usage = s_usage,
    .about = "Roll up county employment figures into city totals, rates and "
             "task completion; publish every change.",
    .options = s_options,
    .count = sizeof s_options / sizeof s_options[0],
    .config_help = "the catalogue (ZPL), required",
    .config_required = true,
    .notes = "An endpoint may use port * to take a free port; "
             "--endpoints-file then tells which. Endpoints also come from the "
             "catalogue's endpoints section. SIGHUP, or a change of the "
             "catalogue or key directory, reloads the keys.",
    .exits = s_exits,
    .check_part = wording_check};

int
main (int argc, char *argv[])
{
    server_config_t config = {0};
    options_t *options = options_new (&s_spec, &config);
    int status = options_parse (options, argc, argv);
    if (status != OPTIONS_GO_ON) {
        options_destroy (&options);
        return status;
    }
    config.catalogue_path = options_config (options);
    catalogue_t *catalogue = app_load_catalogue (config.catalogue_path);
    //  The site gives endpoints and security (its strings are borrowed by
    //  config); the server reads the keys itself, again on SIGHUP.
    site_t *site = catalogue ? app_load_site (config.catalogue_path) : NULL;
    if (!site || options_resolve (options, site) != 0) {
        options_destroy (&options);
        site_destroy (&site);
        catalogue_destroy (&catalogue);
        return OPTIONS_EXIT_USAGE;
    }
    app_logging (PROGRAM, options_verbose (options));
    options_destroy (&options);
    if (!config.insecure) {
        //  A key that is missing or not private is a configuration error
        //  (exit 2), told before anything binds.
        char *error = NULL;
        zcert_t *certificate =
            config.key_path ? security_load_secret (config.key_path, &error)
                            : NULL;
        if (!certificate) {
            fprintf (stderr, PROGRAM ": %s\n",
                     config.key_path
                         ? error
                         : "security is on: give --key FILE (the "
                           "aggregator's secret certificate, made by 'jobtally "
                           "keygen'), or --insecure");
            freen (error);
            site_destroy (&site);
            catalogue_destroy (&catalogue);
            return 2;
        }
        zcert_destroy (&certificate);
    }
    server_catch_sighup ();
    server_t *server = server_new (catalogue, &config);
    status = 1;
    if (server) {
        status = server_run (server);
        server_destroy (&server);
    }
    site_destroy (&site);
    catalogue_destroy (&catalogue);
    return status;
}
