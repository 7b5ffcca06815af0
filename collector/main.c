/*  main.c — jobtally-collector: a county's figures to the city aggregator.

    jobtally-collector import FILE|- --source NAME [options]
    jobtally-collector send REGION INDICATOR PERIOD VALUE [--add]
                       [--reported YYYY-MM-DD] --source NAME

    Reads the rows (csvread), checks them against the catalogue when -c is
    given, delivers the good ones (sender) and prints every rejected row as
    "FILE:LINE: reason" plus one summary line. docs/collector.md is the
    operator's page. */
#include "app.h"
#include "csvread.h"
#include "period.h"
#include "sender.h"
#include "check.h"

#include <errno.h>
#include <getopt.h>

#define PROGRAM "jobtally-collector"
#define DEFAULT_STATE_DIR "./jobtally-state"
#define READ_CHUNK (64 * 1024)

#define MAX_TIMEOUT_S 86400

//  Exit statuses (docs/collector.md).
#define EXIT_DELIVERED 0 //  every row acknowledged, none rejected
#define EXIT_REJECTED 1  //  some rows rejected, the rest delivered
#define EXIT_USAGE 2     //  bad flags, config, file or state dir
#define EXIT_UNACKED 3   //  not all acknowledged: timeout, signal

typedef struct {
    const char *command;      //  "import" or "send", or NULL
    const char *arguments[4]; //  FILE, or REGION INDICATOR PERIOD VALUE
    bool add;                 //  send --add
    const char *reported;     //  send --reported YYYY-MM-DD, or NULL
    const char *source;       //  --source
    const char *aggregator;   //  --aggregator, or NULL
    const char *state_dir;    //  --state
    size_t batch_size;        //  --batch
    int timeout_s;            //  --timeout
    const char *config;       //  -c, or NULL
    bool verbose;             //  -v
    bool check_config;        //  --check-config
    const char *key;          //  --key: this site's secret certificate
    const char *server_key;   //  --server-key: the aggregator's public one
    bool insecure;            //  --insecure: plain TCP
} options_t;

typedef struct {
    uint32_t line; //  line in the file, 0 for send
    size_t order;  //  keeps equal lines in their order
    char *reason;  //  owned
} problem_t;

//  One run of the program: what it was told, what it holds, what it found.
typedef struct {
    options_t options;
    const char *name;       //  FILE as shown: "stdin" for "-"
    catalogue_t *catalogue; //  NULL without -c
    store_t *store;         //  empty; checks updates like the aggregator
    int source;             //  index in the catalogue, or -1
    problem_t *problems;    //  rejected rows
    size_t problem_count;
    size_t problem_capacity;
    size_t rejected; //  rows rejected, locally or remotely
} collector_t;

static void
s_usage (FILE *stream)
{
    fprintf (
        stream,
        "Usage: " PROGRAM " import FILE|- --source NAME [options]\n"
        "       " PROGRAM " send REGION INDICATOR PERIOD VALUE [--add]\n"
        "                    [--reported YYYY-MM-DD] --source NAME [options]\n"
        "       " PROGRAM " -c CATALOGUE --check-config\n"
        "\n"
        "Sends a county's figures to the city aggregator and waits until each "
        "is\n"
        "acknowledged. FILE is CSV with the header\n"
        "region,indicator,period,value[,op[,reported]]; '-' reads standard "
        "input.\n"
        "reported is the day the county filed the row's report (YYYY-MM-DD); "
        "without\n"
        "it the aggregator takes the day the row arrives.\n"
        "\n"
        "Options:\n"
        "  -s, --source NAME         source name from the catalogue "
        "(required)\n"
        "  -a, --aggregator ENDPOINT aggregator collect endpoint (default: "
        "the\n"
        "                            catalogue's endpoints/collect, "
        "else " APP_DEFAULT_COLLECT ")\n"
        "      --state DIR           where the sequence counter is kept\n"
        "                            (default " DEFAULT_STATE_DIR
        ", created if missing)\n"
        "      --batch N             updates per batch, 1-%d (default %d)\n"
        "      --timeout SECONDS     give up after this long without an ack "
        "(default %d)\n"
        "      --add                 send: add VALUE to the month's figure "
        "instead of\n"
        "                            setting it\n"
        "      --reported YYYY-MM-DD send: the day the report was filed "
        "(default: the\n"
        "                            day it reaches the aggregator)\n"
        "      --key FILE            this site's secret certificate (jobtally "
        "keygen)\n"
        "      --server-key FILE     the aggregator's public certificate\n"
        "      --insecure            plain TCP, no CURVE (security is on by "
        "default)\n"
        "  -c, --config CATALOGUE    check rows against the catalogue before "
        "sending\n"
        "      --check-config        load the catalogue given with -c and "
        "exit\n"
        "  -v, --verbose             log more\n"
        "  -h, --help                show this help\n"
        "      --version             show the version\n"
        "\n"
        "Exit status: 0 every row acknowledged; 1 some rows rejected (the "
        "others\n"
        "delivered); 2 usage, configuration or file error; 3 not acknowledged "
        "in\n"
        "time, or interrupted.\n",
        APP_MAX_BATCH, SENDER_BATCH_DEFAULT, SENDER_TIMEOUT_DEFAULT / 1000);
}

static int
s_usage_error (const char *message)
{
    fprintf (stderr, PROGRAM ": %s\nTry '" PROGRAM " --help'.\n", message);
    return EXIT_USAGE;
}

//  A whole decimal number within [low, high]; -1 if not.
static long
s_number (const char *text, long low, long high)
{
    char *end = NULL;
    errno = 0;
    long number = strtol (text, &end, 10);
    if (errno || end == text || *end || number < low || number > high)
        return -1;
    return number;
}

//  Fill options from argv. Returns -1 to go on, or the exit status when
//  the program is done (help, version, usage error).
static int
s_parse_options (int argc, char *argv[], options_t *options)
{
    enum {
        OPT_STATE = 256,
        OPT_BATCH,
        OPT_TIMEOUT,
        OPT_ADD,
        OPT_VERSION,
        OPT_CHECK_CONFIG,
        OPT_KEY,
        OPT_SERVER_KEY,
        OPT_INSECURE,
        OPT_REPORTED
    };
    static const struct option longs[] = {
        {"source", required_argument, NULL, 's'},
        {"aggregator", required_argument, NULL, 'a'},
        {"state", required_argument, NULL, OPT_STATE},
        {"batch", required_argument, NULL, OPT_BATCH},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"add", no_argument, NULL, OPT_ADD},
        {"reported", required_argument, NULL, OPT_REPORTED},
        {"config", required_argument, NULL, 'c'},
        {"check-config", no_argument, NULL, OPT_CHECK_CONFIG},
        {"key", required_argument, NULL, OPT_KEY},
        {"server-key", required_argument, NULL, OPT_SERVER_KEY},
        {"insecure", no_argument, NULL, OPT_INSECURE},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0}};
    *options = (options_t){.state_dir = DEFAULT_STATE_DIR,
                           .batch_size = SENDER_BATCH_DEFAULT,
                           .timeout_s = SENDER_TIMEOUT_DEFAULT / 1000};
    opterr = 0;
    int option;
    long number;
    while ((option = getopt_long (argc, argv, "s:a:c:vh", longs, NULL)) != -1) {
        switch (option) {
        case 's':
            options->source = optarg;
            break;
        case 'a':
            options->aggregator = optarg;
            break;
        case 'c':
            options->config = optarg;
            break;
        case 'v':
            options->verbose = true;
            break;
        case OPT_STATE:
            options->state_dir = optarg;
            break;
        case OPT_ADD:
            options->add = true;
            break;
        case OPT_REPORTED:
            options->reported = optarg;
            break;
        case OPT_CHECK_CONFIG:
            options->check_config = true;
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
        case OPT_BATCH:
            if ((number = s_number (optarg, 1, APP_MAX_BATCH)) < 0)
                return s_usage_error ("--batch takes a number of updates "
                                      "from 1 to 10000");
            options->batch_size = (size_t)number;
            break;
        case OPT_TIMEOUT:
            if ((number = s_number (optarg, 1, MAX_TIMEOUT_S)) < 0)
                return s_usage_error ("--timeout takes seconds from 1 to "
                                      "86400");
            options->timeout_s = (int)number;
            break;
        case 'h':
            s_usage (stdout);
            return EXIT_SUCCESS;
        case OPT_VERSION:
            printf (PROGRAM " " JT_VERSION "\n");
            return EXIT_SUCCESS;
        default: {
            char message[200];
            if (optopt >= 256 || (optopt && strchr ("sac", optopt)))
                snprintf (message, sizeof message, "%s needs a value",
                          argv[optind - 1]);
            else
                snprintf (message, sizeof message, "unknown option %s",
                          argv[optind - 1]);
            return s_usage_error (message);
        }
        }
    }
    int count = argc - optind;
    if (options->check_config) {
        if (!options->config)
            return s_usage_error ("--check-config needs -c CATALOGUE");
        if (count > 0)
            return s_usage_error ("--check-config takes no command");
        return -1;
    }
    if (count == 0)
        return s_usage_error ("a command is needed: import or send");
    options->command = argv[optind++];
    count--;
    int wanted = 0;
    if (streq (options->command, "import"))
        wanted = 1;
    else if (streq (options->command, "send"))
        wanted = 4;
    else
        return s_usage_error ("the command is import or send");
    if (count != wanted)
        return s_usage_error (wanted == 1
                                  ? "import takes one FILE, or - for stdin"
                                  : "send takes REGION INDICATOR PERIOD VALUE");
    for (int index = 0; index < wanted; index++)
        options->arguments[index] = argv[optind + index];
    if (options->add && wanted == 1)
        return s_usage_error (
            "--add is for send; in a file, use the op column");
    if (options->reported && wanted == 1)
        return s_usage_error ("--reported is for send; in a file, use the "
                              "reported column");
    if (!options->source)
        return s_usage_error ("--source NAME is required");
    if (!jt_id_valid (options->source))
        return s_usage_error ("--source must be an id: 1-64 of a-z 0-9 _ - .");
    return -1;
}

//  Record a rejected row; the reason is copied.
static void
s_problem (collector_t *self, uint32_t line, const char *reason)
{
    if (self->problem_count == self->problem_capacity) {
        self->problem_capacity =
            self->problem_capacity ? self->problem_capacity * 2 : 64;
        self->problems = realloc (self->problems,
                                  self->problem_capacity * sizeof (problem_t));
        assert (self->problems);
    }
    char *copy = strdup (reason);
    assert (copy);
    self->problems[self->problem_count] =
        (problem_t){.line = line, .order = self->problem_count, .reason = copy};
    self->problem_count++;
    self->rejected++;
}

static int
s_problem_compare (const void *one, const void *two)
{
    const problem_t *a = (const problem_t *)one;
    const problem_t *b = (const problem_t *)two;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

//  Print the recorded problems in line order as "FILE:LINE: reason", then
//  forget them.
static void
s_print_problems (collector_t *self)
{
    if (self->problem_count == 0)
        return;
    qsort (self->problems, self->problem_count, sizeof (problem_t),
           s_problem_compare);
    for (size_t index = 0; index < self->problem_count; index++) {
        problem_t *problem = &self->problems[index];
        if (problem->line)
            fprintf (stderr, "%s:%u: %s\n", self->name, problem->line,
                     problem->reason);
        else
            fprintf (stderr, "%s: %s\n", self->name, problem->reason);
        free (problem->reason);
    }
    self->problem_count = 0;
}

//  With a catalogue, check an update with the aggregator's own check
//  (core/check.c), so that a county sees a bad row, in the same words,
//  before it leaves. True when it may be sent; otherwise reason is written.
static bool
s_check_update (collector_t *self, const char *region_id,
                const char *indicator_id, int period, jt_value_t value,
                bool add, char *reason)
{
    if (!self->catalogue)
        return true;
    int region, indicator;
    return check_update (self->catalogue, self->store, self->source, region_id,
                         indicator_id, period, value, add, &region, &indicator,
                         reason) == JT_OK;
}

//  Read FILE (or stdin) through csvread. Returns the reader, or NULL when
//  the file could not be read or a signal came.
static csvread_t *
s_read_file (collector_t *self)
{
    const char *path = self->options.arguments[0];
    bool is_stdin = streq (path, "-");
    FILE *file = is_stdin ? stdin : fopen (path, "rb");
    if (!file) {
        fprintf (stderr, PROGRAM ": cannot open %s: %s\n", path,
                 strerror (errno));
        return NULL;
    }
    csvread_t *reader = csvread_new ();
    char *buffer = malloc (READ_CHUNK);
    assert (buffer);
    size_t got;
    while (!zsys_interrupted && (got = fread (buffer, 1, READ_CHUNK, file)) > 0)
        if (csvread_feed (reader, buffer, got) == -1)
            break; //  bad header: nothing more to learn
    bool failed = ferror (file) && !zsys_interrupted;
    if (failed)
        fprintf (stderr, PROGRAM ": cannot read %s: %s\n", self->name,
                 strerror (errno));
    free (buffer);
    if (!is_stdin)
        fclose (file);
    if (failed || zsys_interrupted) {
        csvread_destroy (&reader);
        return NULL;
    }
    csvread_finish (reader);
    return reader;
}

//  Queue each good row of the file for sender, recording every rejected
//  one. The rows stay in reader, which must outlive the sending.
static void
s_queue_file (collector_t *self, csvread_t *reader, sender_t *sender)
{
    //  csvread's rejections and rows are each in line order.
    for (size_t index = 0; index < csvread_rejection_count (reader); index++) {
        const csvread_rejection_t *rejection =
            csvread_rejection (reader, index);
        s_problem (self, rejection->line, rejection->reason);
    }
    char reason[CHECK_REASON_SIZE];
    for (size_t index = 0; index < csvread_row_count (reader); index++) {
        const csvread_row_t *row = csvread_row (reader, index);
        if (s_check_update (self, row->region, row->indicator, row->period,
                            row->value, row->add, reason))
            sender_add (sender, row->region, row->indicator, row->period,
                        row->value, row->add, row->line, row->reported);
        else
            s_problem (self, row->line, reason);
    }
}

//  Check the four arguments of send (and --reported) and queue the update.
static void
s_queue_arguments (collector_t *self, sender_t *sender)
{
    const char *region = self->options.arguments[0];
    const char *indicator = self->options.arguments[1];
    const char *period_text = self->options.arguments[2];
    const char *value_text = self->options.arguments[3];
    char reason[CHECK_REASON_SIZE];
    char shown[CHECK_SHOWN_SIZE];
    jt_value_t value = 0;
    int period = period_parse (period_text);
    jt_error_t code = JT_OK;
    const char *subject = NULL;
    if (!jt_id_valid (region))
        code = JT_ERR_BAD_ID, subject = region;
    else if (!jt_id_valid (indicator))
        code = JT_ERR_BAD_ID, subject = indicator;
    else if (period == PERIOD_NONE)
        code = JT_ERR_BAD_PERIOD, subject = period_text;
    else if ((code = csvread_parse_value (value_text, &value)) != JT_OK)
        subject = value_text;
    int reported = PERIOD_DAY_NONE;
    const char *reported_text = self->options.reported;
    if (code != JT_OK) {
        snprintf (reason, sizeof reason, "%s '%s'", jt_strerror (code),
                  check_shown (subject, shown));
        s_problem (self, 0, reason);
    } else if (reported_text && (reported = period_day_parse (reported_text)) ==
                                    PERIOD_DAY_NONE) {
        snprintf (reason, sizeof reason, "bad report date '%s'",
                  check_shown (reported_text, shown));
        s_problem (self, 0, reason);
    } else if (reported_text && reported < period_first_day (period)) {
        char month[PERIOD_TEXT_SIZE];
        snprintf (reason, sizeof reason, "bad report date '%s': before %s",
                  check_shown (reported_text, shown),
                  period_format (period, month));
        s_problem (self, 0, reason);
    } else if (!s_check_update (self, region, indicator, period, value,
                                self->options.add, reason))
        s_problem (self, 0, reason);
    else
        sender_add (sender, region, indicator, period, value, self->options.add,
                    0, reported);
}

//  Import or send: read, check, deliver, report. Returns the exit status.
static int
s_run (collector_t *self)
{
    const options_t *options = &self->options;
    const char *endpoint = app_endpoint (options->aggregator, self->catalogue,
                                         "collect", APP_DEFAULT_COLLECT);
    bool import = streq (options->command, "import");
    csvread_t *reader = NULL;
    if (import) {
        reader = s_read_file (self);
        if (!reader && zsys_interrupted)
            fprintf (stderr, PROGRAM ": interrupted\n");
        if (!reader)
            return zsys_interrupted ? EXIT_UNACKED : EXIT_USAGE;
    }
    char *error = NULL;
    sender_t *sender =
        sender_new (endpoint, options->source, options->state_dir, &error);
    if (!sender) {
        fprintf (stderr, PROGRAM ": %s\n", error);
        zstr_free (&error);
        csvread_destroy (&reader);
        return EXIT_USAGE;
    }
    sender_set_batch_size (sender, options->batch_size);
    sender_set_timeout (sender, options->timeout_s * 1000);
    if (import)
        s_queue_file (self, reader, sender);
    else
        s_queue_arguments (self, sender);
    //  Local rejections now, before a possibly long wait for the aggregator.
    s_print_problems (self);

    int rc = sender_run (sender);
    for (size_t index = 0; index < sender_rejection_count (sender); index++) {
        const sender_rejection_t *rejection = sender_rejection (sender, index);
        s_problem (self, rejection->line, rejection->reason);
    }
    s_print_problems (self);
    size_t sent = sender_sent (sender);
    size_t unanswered = sender_unanswered (sender);
    printf ("%s%s%s: %zu row%s sent, %zu acknowledged, %zu rejected",
            options->command, import ? " " : "", import ? self->name : "", sent,
            sent == 1 ? "" : "s", sender_acknowledged (sender), self->rejected);
    if (unanswered)
        printf (", %zu not acknowledged", unanswered);
    printf ("\n");
    fflush (stdout);
    if (rc == -1)
        fprintf (stderr, PROGRAM ": %s\n", sender_error (sender));

    int status = rc == -1         ? EXIT_UNACKED
                 : self->rejected ? EXIT_REJECTED
                                  : EXIT_DELIVERED;
    sender_destroy (&sender);
    csvread_destroy (&reader);
    return status;
}

int
main (int argc, char *argv[])
{
    collector_t self = {.source = -1};
    int status = s_parse_options (argc, argv, &self.options);
    if (status >= 0)
        return status;
    const options_t *options = &self.options;
    app_logging (PROGRAM, options->verbose);
    zsys_init (); //  SIGINT/SIGTERM set zsys_interrupted

    if (options->config) {
        self.catalogue = app_load_catalogue (options->config);
        if (!self.catalogue)
            return EXIT_USAGE;
    }
    if (options->check_config) {
        printf ("%s: ok\n", options->config);
        catalogue_destroy (&self.catalogue);
        return EXIT_SUCCESS;
    }
    if (self.catalogue) {
        self.source = catalogue_source_find (self.catalogue, options->source);
        if (self.source < 0) {
            fprintf (stderr, "%s: %s '%s'\n", options->config,
                     jt_strerror (JT_ERR_UNKNOWN_SOURCE), options->source);
            catalogue_destroy (&self.catalogue);
            return EXIT_USAGE;
        }
        self.store = store_new (self.catalogue);
        assert (self.store);
    }
    if (app_client_security (self.catalogue, options->key, options->server_key,
                             options->insecure)) {
        store_destroy (&self.store);
        catalogue_destroy (&self.catalogue);
        return EXIT_USAGE;
    }
    if (streq (options->command, "import"))
        self.name = streq (options->arguments[0], "-") ? "stdin"
                                                       : options->arguments[0];
    else
        self.name = "send";

    status = s_run (&self);

    free (self.problems);
    app_client_security_end ();
    store_destroy (&self.store);
    catalogue_destroy (&self.catalogue);
    return status;
}
