/*  main.c — jobtally-collector: a county's figures to the city aggregator.

    jobtally-collector import FILE|- --source NAME [options]
    jobtally-collector send REGION INDICATOR PERIOD VALUE [--add]
                       [--reported YYYY-MM-DD] --source NAME
    jobtally-collector run --source NAME [--inbox DIR] [options]
    jobtally-collector status --source NAME [--format json]

    Reads the rows (csvread), checks them against the catalogue when -c is
    given, queues the good ones in the outbox and delivers them (sender),
    and prints every rejected row as "FILE:LINE: reason" plus one summary
    line. run does the same for each CSV file dropped in an inbox
    directory, for as long as it runs (inbox). docs/collector.md is the
    operator's page. */
#include <limits.h>
#include <unistd.h>

#include "app.h"
#include "csvread.h"
#include "period.h"
#include "sender.h"
#include "check.h"
#include "inbox.h"
#include "outbox.h"
#include "wording.h"
#include "options.h"

#include <errno.h>

#define PROGRAM "jobtally-collector"
#define READ_CHUNK (64 * 1024)

//  Exit statuses (docs/collector.md).
#define EXIT_DELIVERED 0 //  every row acknowledged, none rejected
#define EXIT_REJECTED 1  //  some rows rejected, the rest delivered
#define EXIT_USAGE 2     //  bad flags, config, file or state dir
#define EXIT_UNACKED 3   //  not all acknowledged: timeout, signal
#define EXIT_FULL 4      //  the outbox is full: rows were not queued

typedef struct {
    const char *command;      //  import, send, run or status
    const char *arguments[4]; //  FILE, or REGION INDICATOR PERIOD VALUE
    const char *config;       //  -c, or NULL
    bool verbose;             //  -v
    const char *inbox;        //  run --inbox DIR
    int format;               //  status --format: FORMAT_TEXT or FORMAT_JSON
    int64_t outbox_limit;     //  --outbox-limit, bytes
    bool add;                 //  send --add
    const char *reported;     //  send --reported YYYY-MM-DD, or NULL
    const char *source;       //  --source
    const char *aggregator;   //  --aggregator, else the catalogue's, else ours
    const char *state_dir;    //  --state
    int batch_size;           //  --batch
    int timeout_s;            //  --timeout
    const char *key;          //  --key: this site's secret certificate
    const char *server_key;   //  --server-key: the aggregator's public one
    bool insecure;            //  --insecure: plain TCP
} collector_options_t;

//  status --format, in the order of s_format_words.
enum { FORMAT_TEXT, FORMAT_JSON };
static const char *const s_format_words[] = {"text", "json", NULL};

//  The table writes these numbers as a user types them.
_Static_assert(APP_MAX_BATCH == 10000, "--batch's maximum");
_Static_assert(SENDER_BATCH_DEFAULT == 1000, "--batch's default");
_Static_assert(SENDER_TIMEOUT_DEFAULT == 30 * 1000, "--timeout's default");
_Static_assert(OUTBOX_LIMIT_DEFAULT == 1024 * 1024 * 1024,
               "--outbox-limit's default");
static const option_t s_options[] = {
    {.name = "source",
     .letter = 's',
     .type = OPTION_STRING,
     .offset = offsetof (collector_options_t, source),
     .argument = "NAME",
     .help = "source name from the catalogue (required)"},
    {.name = "aggregator",
     .letter = 'a',
     .type = OPTION_ENDPOINT,
     .offset = offsetof (collector_options_t, aggregator),
     .argument = "ENDPOINT",
     .fallback = APP_DEFAULT_COLLECT,
     .key = "endpoints/collect",
     .help = "aggregator collect endpoint"},
    {.name = "state",
     .type = OPTION_PATH,
     .offset = offsetof (collector_options_t, state_dir),
     .argument = "DIR",
     .fallback = APP_STATE_DIR ("collector"),
     .env = "STATE_DIRECTORY",
     .help = "sequence counter and outbox, created if missing"},
    {.name = "outbox-limit",
     .type = OPTION_INT64,
     .unit = OPTION_UNIT_BYTES,
     .offset = offsetof (collector_options_t, outbox_limit),
     .argument = "BYTES",
     .fallback = "1G",
     .min = "1",
     .env = "JOBTALLY_OUTBOX_LIMIT",
     .help = "most bytes queued in the outbox; k, M, G allowed"},
    {.name = "batch",
     .type = OPTION_INT,
     .offset = offsetof (collector_options_t, batch_size),
     .argument = "N",
     .fallback = "1000",
     .min = "1",
     .max = "10000",
     .help = "updates per batch"},
    {.name = "timeout",
     .type = OPTION_INT,
     .unit = OPTION_UNIT_SECONDS,
     .offset = offsetof (collector_options_t, timeout_s),
     .argument = "SECONDS",
     .fallback = "30",
     .min = "1",
     .max = "86400",
     .help = "give up after this long without an ack; run never gives up"},
    {.name = "inbox",
     .type = OPTION_PATH,
     .offset = offsetof (collector_options_t, inbox),
     .argument = "DIR",
     .help = "run: the directory to watch (default " APP_SPOOL_DIR "/SOURCE)"},
    {.name = "format",
     .type = OPTION_ENUM,
     .offset = offsetof (collector_options_t, format),
     .argument = "FORMAT",
     .fallback = "text",
     .words = s_format_words,
     .help = "status: the output"},
    {.name = "add",
     .type = OPTION_FLAG,
     .offset = offsetof (collector_options_t, add),
     .help = "send: add VALUE to the month's figure instead of setting it"},
    {.name = "reported",
     .type = OPTION_STRING,
     .offset = offsetof (collector_options_t, reported),
     .argument = "YYYY-MM-DD",
     .help = "send: the day the report was filed (default: the day it "
             "reaches the aggregator)"},
    {.name = "key",
     .type = OPTION_PATH,
     .offset = offsetof (collector_options_t, key),
     .argument = "FILE",
     .help =
         "this site's secret certificate (jobtally keygen; default " APP_KEY_DIR
         "/SOURCE.key_secret if it exists)"},
    {.name = "server-key",
     .type = OPTION_PATH,
     .offset = offsetof (collector_options_t, server_key),
     .argument = "FILE",
     .fallback = APP_KEY_DIR "/aggregator.key",
     .if_exists = true,
     .help = "the aggregator's public certificate"},
    {.name = "insecure",
     .type = OPTION_FLAG,
     .offset = offsetof (collector_options_t, insecure),
     .key = "security/insecure",
     .help = "plain TCP, no CURVE; security is on by default"}};

static const char *const s_usage[] = {
    "import FILE|- --source NAME [options]",
    "send REGION INDICATOR PERIOD VALUE [--add]\n"
    "                          [--reported YYYY-MM-DD] --source NAME [options]",
    "run --source NAME [--inbox DIR] [options]",
    "status --source NAME [--state DIR] [--format json]", NULL};

static const option_command_t s_commands[] = {
    {"import", 1, "FILE|-",
     "send the rows of a CSV file, or of standard input"},
    {"send", 4, "REGION INDICATOR PERIOD VALUE", "send one figure"},
    {"run", 0, "", "watch the inbox for CSV files until SIGINT or SIGTERM"},
    {"status", 0, "", "show what the outbox holds"},
    {NULL, 0, NULL, NULL}};

static const option_exit_t s_exits[] = {
    {EXIT_DELIVERED, "every row acknowledged"},
    {EXIT_REJECTED, "some rows rejected (the others delivered)"},
    {EXIT_USAGE, "usage, configuration or file error"},
    {EXIT_UNACKED, "not acknowledged in time, or interrupted (what was queued "
                   "stays in the outbox)"},
    {EXIT_FULL, "the outbox is full and some rows were not queued (named on "
                "stderr)"},
    {0, NULL}};

static const options_spec_t s_spec = {
    .program = PROGRAM,
    .usage = s_usage,
    .about =
        "Sends a county's figures to the city aggregator and waits until each "
        "is acknowledged. FILE is CSV with the header "
        "region,indicator,period,value[,op[,reported]]; '-' reads standard "
        "input. reported is the day the county filed the row's report "
        "(YYYY-MM-DD); without it the aggregator takes the day the row "
        "arrives.\n\n"
        "Every batch is first written to the outbox in the state directory "
        "and removed only when the city acknowledged it; what is left goes "
        "first with the next import, send or run. run watches DIR for CSV "
        "files (moved to DIR/done, or DIR/failed with NAME.errors, once "
        "answered) until SIGINT or SIGTERM; while it runs, import and send "
        "queue through it. status shows what is queued.",
    .commands = s_commands,
    .options = s_options,
    .count = sizeof s_options / sizeof s_options[0],
    .config_help = "the catalogue: check rows against it before sending",
    .notes = "Warnings (FILE:LINE: warning: ...: a cell given twice, a figure "
             "outside its plausible bounds) do not change the exit status.",
    .exits = s_exits,
    .check_part = wording_check};

typedef struct {
    uint32_t line; //  line in the file, 0 for send
    size_t order;  //  keeps equal lines in their order
    char *reason;  //  owned
    bool warning;  //  a warning: the row was kept (or applied)
} problem_t;

//  One run of the program: what it was told, what it holds, what it found.
typedef struct {
    collector_options_t options;
    const char *name;       //  FILE as shown: "stdin" for "-"
    catalogue_t *catalogue; //  NULL without -c
    site_t *site;           //  the file's site part (site.h), NULL without -c
    store_t *store;         //  empty; checks updates like the aggregator
    int source;             //  index in the catalogue, or -1
    problem_t *problems;    //  rejected rows
    size_t problem_count;
    size_t problem_capacity;
    size_t rejected; //  rows rejected, locally or remotely
    size_t warned;   //  warnings: cells set twice, figures flagged
} collector_t;

//  The installed layout's defaults that name the source (docs/operations.md):
//  run's inbox, and this site's key when it exists.
static void
s_installed_defaults (collector_options_t *options)
{
    static char inbox[PATH_MAX], key[PATH_MAX];
    if (!options->inbox && streq (options->command, "run")) {
        snprintf (inbox, sizeof inbox, APP_SPOOL_DIR "/%s", options->source);
        options->inbox = inbox;
    }
    if (!options->key && !options->insecure) {
        snprintf (key, sizeof key, APP_KEY_DIR "/%s.key_secret",
                  options->source);
        if (access (key, F_OK) == 0)
            options->key = key;
    }
}

//  Parse argv with parser into its values, then check what the table
//  cannot: which options go with which command. Returns OPTIONS_GO_ON, or
//  the exit status when the program is done (help, version, check, usage
//  error).
static int
s_parse_options (options_t *parser, int argc, char *argv[],
                 collector_options_t *options)
{
    int status = options_parse (parser, argc, argv);
    if (status != OPTIONS_GO_ON)
        return status;
    options->command = options_command (parser);
    options->config = options_config (parser);
    options->verbose = options_verbose (parser);
    bool send = streq (options->command, "send");
    for (int index = 0; index < (send ? 4 : streq (options->command, "import"));
         index++)
        options->arguments[index] = options_argument (parser, index);
    if (options->inbox && !streq (options->command, "run"))
        return options_usage_error (parser, "--inbox is for run");
    if (options->add && !send)
        return options_usage_error (
            parser, "--add is for send; in a file, use the op column");
    if (options->reported && !send)
        return options_usage_error (parser, "--reported is for send; in a "
                                            "file, use the reported column");
    if (!options->source)
        return options_usage_error (parser, "--source NAME is required");
    if (!jt_id_valid (options->source))
        return options_usage_error (
            parser, "--source must be an id: 1-64 of a-z 0-9 _ - .");
    s_installed_defaults (options);
    return OPTIONS_GO_ON;
}

//  Record a rejected row, or a warning about a kept one; the reason is
//  copied.
static void
s_note (collector_t *self, uint32_t line, const char *reason, bool warning)
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
        (problem_t){.line = line,
                    .order = self->problem_count,
                    .reason = copy,
                    .warning = warning};
    self->problem_count++;
    if (warning)
        self->warned++;
    else
        self->rejected++;
}

static void
s_problem (collector_t *self, uint32_t line, const char *reason)
{
    s_note (self, line, reason, false);
}

//  A warning does not change the exit status (docs/collector.md).
static void
s_warning (collector_t *self, uint32_t line, const char *reason)
{
    s_note (self, line, reason, true);
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

//  Print the recorded problems in line order as "FILE:LINE: reason" (and
//  warnings as "FILE:LINE: warning: text"), then forget them.
static void
s_print_problems (collector_t *self)
{
    if (self->problem_count == 0)
        return;
    qsort (self->problems, self->problem_count, sizeof (problem_t),
           s_problem_compare);
    for (size_t index = 0; index < self->problem_count; index++) {
        problem_t *problem = &self->problems[index];
        const char *kind = problem->warning ? "warning: " : "";
        if (problem->line)
            fprintf (stderr, "%s:%u: %s%s\n", self->name, problem->line, kind,
                     problem->reason);
        else
            fprintf (stderr, "%s: %s%s\n", self->name, kind, problem->reason);
        free (problem->reason);
    }
    self->problem_count = 0;
}

//  With a catalogue, check an update with the aggregator's own check
//  (core/check.c), so that a county sees a bad row, in the same words,
//  before it leaves; today (our clock) stands for the day it will arrive.
//  True when it may be sent; otherwise reason is written.
static bool
s_check_update (collector_t *self, const char *region_id,
                const char *indicator_id, int period, int today,
                jt_value_t value, bool add, char *reason)
{
    if (!self->catalogue)
        return true;
    int region, indicator;
    return check_update (self->catalogue, self->store, self->source, region_id,
                         indicator_id, period, today, value, add, &region,
                         &indicator, reason) == JT_OK;
}

//  Read FILE (or stdin) through csvread. Returns the reader, or NULL when
//  the file could not be read or a signal came.
static csvread_t *
s_read_file (const char *path)
{
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
        fprintf (stderr, PROGRAM ": cannot read %s: %s\n",
                 is_stdin ? "stdin" : path, strerror (errno));
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
    for (size_t index = 0; index < csvread_warning_count (reader); index++)
        s_warning (self, csvread_warning (reader, index)->line,
                   csvread_warning (reader, index)->reason);
    char reason[CHECK_REASON_SIZE];
    int today = app_today ();
    for (size_t index = 0; index < csvread_row_count (reader); index++) {
        const jt_update_t *row = csvread_row (reader, index);
        if (s_check_update (self, row->region, row->indicator,
                            period_from_yyyymm (row->period), today, row->value,
                            row->add, reason))
            sender_add (sender, row);
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
    } else if (!s_check_update (self, region, indicator, period, app_today (),
                                value, self->options.add, reason))
        s_problem (self, 0, reason);
    else {
        jt_update_t update = {.region = region,
                              .indicator = indicator,
                              .period = period_yyyymm (period),
                              .value = value,
                              .add = self->options.add,
                              .reported = reported == PERIOD_DAY_NONE
                                              ? 0
                                              : period_day_yyyymmdd (reported)};
        sender_add (sender, &update);
    }
}

//  Open the outbox in the state directory, with the budget. On failure
//  prints why and returns NULL.
static outbox_t *
s_open_outbox (collector_t *self)
{
    char *error = NULL;
    outbox_t *outbox =
        outbox_new (self->options.state_dir, self->options.source, &error);
    if (!outbox) {
        fprintf (stderr, PROGRAM ": %s\n", error);
        zstr_free (&error);
        return NULL;
    }
    outbox_set_limit (outbox, self->options.outbox_limit);
    return outbox;
}

//  Take the source lock and a sender that delivers; or, while `run` holds
//  the lock, a waiter that queues through it. NULL with the reason printed.
static sender_t *
s_open_sender (collector_t *self, outbox_t *outbox, const char *endpoint)
{
    const collector_options_t *options = &self->options;
    bool held = outbox_hold (outbox, options->command) == 0;
    char holder[64] = "";
    int pid = 0;
    //  A holder that just left: try once more.
    if (!held && (pid = outbox_holder (outbox, holder, sizeof holder)) == 0)
        held = outbox_hold (outbox, options->command) == 0;
    if (!held && (!pid || !streq (holder, "run"))) {
        fprintf (stderr, PROGRAM ": %s\n", outbox_error (outbox));
        return NULL;
    }
    if (!held)
        log_info ("outbox: `run` (pid %d) holds source '%s': queueing "
                  "through it",
                  pid, options->source);
    char *error = NULL;
    sender_t *sender =
        sender_new (outbox, held ? endpoint : NULL, options->source, &error);
    if (!sender) {
        fprintf (stderr, PROGRAM ": %s\n", error);
        zstr_free (&error);
        return NULL;
    }
    sender_set_batch_size (sender, options->batch_size);
    return sender;
}

//  Import or send: read, check, queue, deliver, report. Returns the exit
//  status.
static int
s_run (collector_t *self)
{
    const collector_options_t *options = &self->options;
    const char *endpoint = options->aggregator;
    bool import = streq (options->command, "import");
    csvread_t *reader = NULL;
    if (import) {
        reader = s_read_file (options->arguments[0]);
        if (!reader && zsys_interrupted)
            fprintf (stderr, PROGRAM ": interrupted\n");
        if (!reader)
            return zsys_interrupted ? EXIT_UNACKED : EXIT_USAGE;
    }
    outbox_t *outbox = s_open_outbox (self);
    sender_t *sender = outbox ? s_open_sender (self, outbox, endpoint) : NULL;
    if (!sender) {
        outbox_destroy (&outbox);
        csvread_destroy (&reader);
        return EXIT_USAGE;
    }
    sender_set_timeout (sender, options->timeout_s * 1000);
    if (import)
        s_queue_file (self, reader, sender);
    else
        s_queue_arguments (self, sender);
    //  Local rejections now, before a possibly long wait for the aggregator.
    s_print_problems (self);

    int rc = sender_run (sender, self->name);
    for (size_t index = 0; index < sender_rejection_count (sender); index++) {
        const sender_rejection_t *rejection = sender_rejection (sender, index);
        s_problem (self, rejection->line, rejection->reason);
    }
    for (size_t index = 0; index < sender_warning_count (sender); index++)
        s_warning (self, sender_warning (sender, index)->line,
                   sender_warning (sender, index)->reason);
    s_print_problems (self);
    size_t sent = sender_sent (sender);
    size_t unanswered = sender_unanswered (sender);
    printf ("%s%s%s: %zu %s sent, %zu acknowledged, %zu rejected",
            options->command, import ? " " : "", import ? self->name : "", sent,
            jt_plural (sent, "row", "rows"), sender_acknowledged (sender),
            self->rejected);
    if (unanswered)
        printf (", %zu not acknowledged", unanswered);
    if (self->warned)
        printf (", %zu %s", self->warned,
                jt_plural (self->warned, "warning", "warnings"));
    printf ("\n");
    fflush (stdout);
    int status = rc == -1         ? EXIT_UNACKED
                 : self->rejected ? EXIT_REJECTED
                                  : EXIT_DELIVERED;
    size_t unqueued = sender_unqueued (sender);
    if (rc == -1 && unqueued) {
        //  The budget: say what is queued and from where nothing is.
        uint32_t line = sender_unqueued_line (sender);
        if (line)
            fprintf (stderr,
                     PROGRAM ": %s (--outbox-limit); the rows of %s from line "
                             "%u on (%zu %s) were not queued: send them again "
                             "once the queue has gone out (" PROGRAM
                             " status)\n",
                     sender_error (sender), self->name, line, unqueued,
                     jt_plural (unqueued, "row", "rows"));
        else
            fprintf (stderr,
                     PROGRAM ": %s (--outbox-limit); %zu %s not queued\n",
                     sender_error (sender), unqueued,
                     jt_plural (unqueued, "row was", "rows were"));
        status = EXIT_FULL;
    } else if (rc == -1)
        fprintf (stderr, PROGRAM ": %s\n", sender_error (sender));
    size_t batches = sender_queued_batches (sender);
    if (rc == -1 && batches) {
        size_t updates = sender_queued_updates (sender);
        char holder[64];
        int pid = outbox_holder (outbox, holder, sizeof holder);
        if (pid && pid != getpid ())
            fprintf (stderr,
                     PROGRAM ": %zu %s (%zu %s) %s queued in %s; the "
                             "running collector (%s, pid %d) sends %s\n",
                     batches, jt_plural (batches, "batch", "batches"), updates,
                     jt_plural (updates, "update", "updates"),
                     jt_plural (batches, "stays", "stay"), outbox_path (outbox),
                     holder, pid, jt_plural (batches, "it", "them"));
        else
            fprintf (stderr,
                     PROGRAM ": %zu %s (%zu %s) %s queued in %s; %s "
                             "with the next import, send or run (" PROGRAM
                             " status shows %s)\n",
                     batches, jt_plural (batches, "batch", "batches"), updates,
                     jt_plural (updates, "update", "updates"),
                     jt_plural (batches, "stays", "stay"), outbox_path (outbox),
                     jt_plural (batches, "it goes", "they go"),
                     jt_plural (batches, "it", "them"));
    }
    sender_destroy (&sender);
    outbox_destroy (&outbox);
    csvread_destroy (&reader);
    return status;
}

//  run ---------------------------------------------------------------------

#define POLL_MS 1000 //  run looks at its inbox this often

typedef struct {
    char *name;         //  in the inbox's work area
    char *origin;       //  names its batches in the outbox
    size_t outstanding; //  its batches not answered yet
} inbox_file_t;

//  The state of one `run`.
typedef struct {
    collector_t *collector; //  options, catalogue, problems
    inbox_t *inbox;         //  the watched directory
    outbox_t *outbox;       //  the source's outbox, held
    sender_t *sender;       //  delivers it
    zlist_t *files;         //  inbox_file_t: queued, waiting for answers
    zhash_t *no_room;       //  name -> batches queued when refused for room
} run_t;

static void
s_inbox_file_destroy (void *item)
{
    inbox_file_t *file = (inbox_file_t *)item;
    free (file->name);
    free (file->origin);
    free (file);
}

static size_t
s_batches_from (outbox_t *outbox, const char *origin)
{
    size_t batches = 0;
    for (size_t index = 0; index < outbox_count (outbox); index++)
        batches += streq (outbox_entry (outbox, index)->origin, origin);
    return batches;
}

static void
s_track (run_t *self, const char *name, size_t outstanding)
{
    inbox_file_t *file = (inbox_file_t *)zmalloc (sizeof (inbox_file_t));
    assert (file);
    file->name = strdup (name);
    file->origin = inbox_origin (self->inbox, name);
    file->outstanding = outstanding;
    zlist_append (self->files, file);
    zlist_freefn (self->files, file, s_inbox_file_destroy, true);
}

//  The sender's handler: answers for an inbox file's batches (of this run
//  or an earlier one) go to that file's errors.
static bool
s_run_answer (void *arg, const sender_answer_t *answer)
{
    run_t *self = (run_t *)arg;
    inbox_file_t *file = (inbox_file_t *)zlist_first (self->files);
    while (file && !streq (file->origin, answer->origin))
        file = (inbox_file_t *)zlist_next (self->files);
    if (!file)
        return false;
    for (size_t index = 0; index < answer->rejection_count; index++)
        inbox_add_error (self->inbox, file->name,
                         answer->rejections[index].line,
                         answer->rejections[index].reason);
    //  Flagged rows were applied: logged, the file still counts as done.
    for (size_t index = 0; index < answer->warning_count; index++)
        log_warning ("run: %s:%u: warning: %s", file->name,
                     answer->warnings[index].line,
                     answer->warnings[index].reason);
    if (file->outstanding)
        file->outstanding--;
    return true;
}

//  Move every file whose batches were all answered to done/ or failed/.
static void
s_finish_files (run_t *self)
{
    inbox_file_t *file = (inbox_file_t *)zlist_first (self->files);
    while (file) {
        inbox_file_t *next = (inbox_file_t *)zlist_next (self->files);
        bool failed = false;
        if (file->outstanding == 0 &&
            inbox_finish (self->inbox, file->name, &failed) == 0) {
            log_info ("run: %s: %s", file->origin,
                      failed ? "some rows refused: moved to failed/ with "
                               "its .errors"
                             : "delivered: moved to done/");
            zlist_remove (self->files, file);
        }
        file = next;
    }
}

//  Write the rows rejected while reading a file to its errors, and forget
//  them.
static void
s_problems_to_inbox (run_t *self, const char *name)
{
    collector_t *collector = self->collector;
    for (size_t index = 0; index < collector->problem_count; index++) {
        problem_t *problem = &collector->problems[index];
        if (problem->warning)
            log_warning ("run: %s:%u: warning: %s", name, problem->line,
                         problem->reason);
        else
            inbox_add_error (self->inbox, name, problem->line, problem->reason);
        free (problem->reason);
    }
    collector->problem_count = 0;
    collector->rejected = 0;
    collector->warned = 0;
}

//  Take one file from the inbox and queue its rows as one group: all of
//  them or, when the outbox has no room now, none (it goes back and waits
//  for room).
static void
s_run_file (run_t *self, const char *name)
{
    size_t *refused_at = (size_t *)zhash_lookup (self->no_room, name);
    if (refused_at && outbox_count (self->outbox) >= *refused_at)
        return; //  no room was made since
    int taken = inbox_take (self->inbox, name);
    if (taken == 1 && !zhash_lookup (self->no_room, name)) {
        //  A file of that name is still being delivered: this one waits.
        log_warning ("run: %s waits in the inbox until the earlier file of "
                     "that name is delivered",
                     name);
        size_t *count = (size_t *)malloc (sizeof (size_t));
        assert (count);
        *count = (size_t)-1; //  looked at again each turn, quietly
        zhash_update (self->no_room, name, count);
        zhash_freefn (self->no_room, name, free);
    }
    if (taken != 0)
        return;
    char *path = inbox_work_path (self->inbox, name);
    char *origin = inbox_origin (self->inbox, name);
    csvread_t *reader = s_read_file (path);
    if (!reader) {
        inbox_add_error (self->inbox, name, 0, "cannot read the file");
        s_track (self, name, 0);
    } else {
        s_queue_file (self->collector, reader, self->sender);
        //  Rows refused here are written before any batch is committed.
        s_problems_to_inbox (self, name);
        if (sender_queue (self->sender, origin, false) == 0) {
            zhash_delete (self->no_room, name);
            inbox_mark_queued (self->inbox, name);
            size_t batches = s_batches_from (self->outbox, origin);
            log_info ("run: %s: %zu %s queued", origin, batches,
                      jt_plural (batches, "batch", "batches"));
            s_track (self, name, batches);
        } else if (outbox_full (self->outbox) &&
                   outbox_count (self->outbox) == 0) {
            char *reason = zsys_sprintf (
                "the file needs more room than the outbox may take: %s",
                sender_error (self->sender));
            log_error ("run: %s: %s", origin, reason);
            inbox_add_error (self->inbox, name, 0, reason);
            free (reason);
            zhash_delete (self->no_room, name);
            s_track (self, name, 0);
        } else if (outbox_full (self->outbox)) {
            //  Full for now: back to the inbox until acks make room.
            if (!refused_at || *refused_at == (size_t)-1)
                log_error ("run: %s waits in the inbox: %s", origin,
                           sender_error (self->sender));
            inbox_put_back (self->inbox, name);
            size_t *count = (size_t *)malloc (sizeof (size_t));
            assert (count);
            *count = outbox_count (self->outbox);
            zhash_update (self->no_room, name, count);
            zhash_freefn (self->no_room, name, free);
        } else {
            //  An I/O error: back to the inbox, tried again next turn.
            log_error ("run: %s waits in the inbox: %s", origin,
                       sender_error (self->sender));
            inbox_put_back (self->inbox, name);
        }
        sender_forget_updates (self->sender);
        csvread_destroy (&reader);
    }
    free (origin);
    free (path);
}

//  Files an earlier run took: still waiting for answers, all answered, or
//  never committed to the outbox (queued again from the start).
static void
s_run_recover (run_t *self)
{
    zlist_t *taken = inbox_taken (self->inbox);
    for (const char *name = (const char *)zlist_first (taken); name;
         name = (const char *)zlist_next (taken)) {
        char *origin = inbox_origin (self->inbox, name);
        size_t batches = s_batches_from (self->outbox, origin);
        if (batches || inbox_queued (self->inbox, name)) {
            if (!inbox_queued (self->inbox, name))
                inbox_mark_queued (self->inbox, name);
            log_info ("run: %s: %zu %s from an earlier run still queued",
                      origin, batches, jt_plural (batches, "batch", "batches"));
            s_track (self, name, batches);
        } else {
            log_info ("run: %s was never queued whole: queueing it again",
                      origin);
            inbox_put_back (self->inbox, name);
        }
        free (origin);
    }
    zlist_destroy (&taken);
}

//  run: watch the inbox and deliver until SIGINT or SIGTERM.
static int
s_run_inbox (collector_t *collector)
{
    const collector_options_t *options = &collector->options;
    const char *endpoint = options->aggregator;
    run_t self = {.collector = collector};
    char *error = NULL;
    self.inbox = inbox_new (options->inbox, &error);
    if (!self.inbox) {
        fprintf (stderr, PROGRAM ": %s\n", error);
        zstr_free (&error);
        return EXIT_USAGE;
    }
    self.outbox = s_open_outbox (collector);
    if (self.outbox && outbox_hold (self.outbox, "run") != 0) {
        fprintf (stderr, PROGRAM ": %s\n", outbox_error (self.outbox));
        outbox_destroy (&self.outbox);
    }
    if (self.outbox) {
        self.sender =
            sender_new (self.outbox, endpoint, options->source, &error);
        if (!self.sender) {
            fprintf (stderr, PROGRAM ": %s\n", error);
            zstr_free (&error);
        }
    }
    if (!self.sender) {
        outbox_destroy (&self.outbox);
        inbox_destroy (&self.inbox);
        return EXIT_USAGE;
    }
    sender_set_batch_size (self.sender, options->batch_size);
    sender_set_timeout (self.sender, 0);
    sender_set_watch (self.sender, true);
    sender_set_handler (self.sender, s_run_answer, &self);
    self.files = zlist_new ();
    self.no_room = zhash_new ();
    s_run_recover (&self);
    log_info ("run: watching %s for source %s, sending to %s",
              inbox_path (self.inbox), options->source, endpoint);

    char *told = NULL; //  the last error logged
    int64_t next_poll = 0;
    while (!zsys_interrupted) {
        int64_t now = zclock_mono ();
        if (now >= next_poll) {
            next_poll = now + POLL_MS;
            zlist_t *ready = inbox_poll (self.inbox);
            for (const char *name = (const char *)zlist_first (ready);
                 name && !zsys_interrupted;
                 name = (const char *)zlist_next (ready))
                s_run_file (&self, name);
            zlist_destroy (&ready);
        }
        s_finish_files (&self);
        int wait = (int)(next_poll - zclock_mono ());
        if (sender_pump (self.sender, wait < 0 ? 0 : wait) != 0 &&
            !zsys_interrupted) {
            //  A refused key or a disk error: say it once, keep trying.
            const char *now_error = sender_error (self.sender);
            if (!told || !streq (told, now_error))
                log_error ("run: %s", now_error);
            zstr_free (&told);
            told = strdup (now_error);
            zclock_sleep (100);
        }
    }
    size_t pending = sender_pending (self.sender);
    log_info ("run: stopping; %zu %s queued in %s", pending,
              jt_plural (pending, "batch stays", "batches stay"),
              outbox_path (self.outbox));
    zstr_free (&told);
    zlist_destroy (&self.files);
    zhash_destroy (&self.no_room);
    sender_destroy (&self.sender);
    outbox_destroy (&self.outbox);
    inbox_destroy (&self.inbox);
    return EXIT_SUCCESS;
}

//  A string as JSON, escaped.
static void
s_json_string (FILE *stream, const char *text)
{
    fputc ('"', stream);
    for (const unsigned char *at = (const unsigned char *)text; *at; at++) {
        if (*at == '"' || *at == '\\')
            fprintf (stream, "\\%c", *at);
        else if (*at < 0x20)
            fprintf (stream, "\\u%04x", *at);
        else
            fputc (*at, stream);
    }
    fputc ('"', stream);
}

//  A count with thousands commas, into buffer (at least 32 bytes).
static const char *
s_thousands (uint64_t value, char *buffer)
{
    char digits[32];
    int length = snprintf (digits, sizeof digits, "%" PRIu64, value);
    int out = 0;
    for (int index = 0; index < length; index++) {
        if (index > 0 && (length - index) % 3 == 0)
            buffer[out++] = ',';
        buffer[out++] = digits[index];
    }
    buffer[out] = 0;
    return buffer;
}

//  status: what the outbox holds, read without changing anything.
static int
s_status (collector_t *self)
{
    const collector_options_t *options = &self->options;
    if (!zsys_file_exists (options->state_dir)) {
        //  Nothing was ever queued here: say so without creating anything.
        if (options->format == FORMAT_JSON) {
            printf ("{\"source\": ");
            s_json_string (stdout, options->source);
            printf (", \"outbox\": null, \"last_sequence\": 0, "
                    "\"batches\": 0, \"updates\": 0, \"bytes\": 0, "
                    "\"limit\": %" PRIu64 ", \"set_aside\": 0, \"oldest\": "
                    "null, \"running\": null}\n",
                    (uint64_t)options->outbox_limit);
        } else
            printf ("source %s: nothing queued (no state directory %s)\n",
                    options->source, options->state_dir);
        return EXIT_SUCCESS;
    }
    outbox_t *outbox = s_open_outbox (self);
    if (!outbox)
        return EXIT_USAGE;
    int bad = outbox_inspect (outbox);
    if (bad < 0) {
        fprintf (stderr, PROGRAM ": %s\n", outbox_error (outbox));
        outbox_destroy (&outbox);
        return EXIT_USAGE;
    }
    char holder[64];
    int pid = outbox_holder (outbox, holder, sizeof holder);
    size_t batches = outbox_count (outbox);
    const outbox_entry_t *oldest = batches ? outbox_entry (outbox, 0) : NULL;
    int64_t age_s = oldest ? (app_now_ms () - oldest->queued_ms) / 1000 : 0;
    if (age_s < 0)
        age_s = 0;
    if (options->format == FORMAT_JSON) {
        printf ("{\"source\": ");
        s_json_string (stdout, options->source);
        printf (", \"outbox\": ");
        s_json_string (stdout, outbox_path (outbox));
        printf (", \"last_sequence\": %" PRIu64 ", \"batches\": %zu, "
                "\"updates\": %" PRIu64 ", \"bytes\": %" PRIu64
                ", \"limit\": %" PRIu64 ", \"set_aside\": %d, \"oldest\": ",
                outbox_sequence (outbox), batches, outbox_updates (outbox),
                outbox_bytes (outbox), outbox_limit (outbox), bad);
        if (oldest) {
            printf ("{\"sequence\": %" PRIu64 ", \"age_s\": %" PRId64
                    ", \"origin\": ",
                    oldest->sequence, age_s);
            s_json_string (stdout, oldest->origin);
            printf (", \"first_line\": %u, \"last_line\": %u}",
                    oldest->first_line, oldest->last_line);
        } else
            printf ("null");
        printf (", \"running\": ");
        if (pid) {
            printf ("{\"command\": ");
            s_json_string (stdout, holder);
            printf (", \"pid\": %d}", pid);
        } else
            printf ("null");
        printf ("}\n");
    } else {
        char one[32], two[32], three[32];
        printf ("source %s, outbox %s\n", options->source,
                outbox_path (outbox));
        printf ("last sequence: %" PRIu64 "\n", outbox_sequence (outbox));
        printf ("queued: %zu %s, %s %s, %s bytes of %s\n", batches,
                jt_plural (batches, "batch", "batches"),
                s_thousands (outbox_updates (outbox), one),
                jt_plural (outbox_updates (outbox), "update", "updates"),
                s_thousands (outbox_bytes (outbox), two),
                s_thousands (outbox_limit (outbox), three));
        if (oldest) {
            printf ("oldest unacknowledged: batch %" PRIu64 ", queued "
                    "%" PRId64 "h %02" PRId64 "m %02" PRId64 "s ago, from %s",
                    oldest->sequence, age_s / 3600, age_s / 60 % 60, age_s % 60,
                    oldest->origin);
            if (oldest->first_line)
                printf (" lines %u-%u", oldest->first_line, oldest->last_line);
            printf ("\n");
        }
        if (bad)
            printf ("set aside as corrupt: %d %s (*.bad in the outbox; their "
                    "rows must be sent again)\n",
                    bad, jt_plural ((size_t)bad, "file", "files"));
        if (pid)
            printf ("running: %s, pid %d\n", holder, pid);
        else
            printf ("running: none\n");
    }
    outbox_destroy (&outbox);
    return EXIT_SUCCESS;
}

int
main (int argc, char *argv[])
{
    collector_t self = {.source = -1};
    options_t *parser = options_new (&s_spec, &self.options);
    int status = s_parse_options (parser, argc, argv, &self.options);
    const collector_options_t *options = &self.options;
    if (status == OPTIONS_GO_ON && options->config) {
        self.catalogue = app_load_catalogue (options->config);
        self.site = self.catalogue ? app_load_site (options->config) : NULL;
        if (!self.site || options_resolve (parser, self.site) != 0)
            status = EXIT_USAGE;
    }
    options_destroy (&parser);
    if (status != OPTIONS_GO_ON) {
        site_destroy (&self.site);
        catalogue_destroy (&self.catalogue);
        return status;
    }
    app_logging (PROGRAM, options->verbose);
    zsys_init (); //  SIGINT/SIGTERM set zsys_interrupted

    if (self.catalogue) {
        self.source = catalogue_source_find (self.catalogue, options->source);
        if (self.source < 0) {
            fprintf (stderr, "%s: %s '%s'\n", options->config,
                     jt_strerror (JT_ERR_UNKNOWN_SOURCE), options->source);
            site_destroy (&self.site);
            catalogue_destroy (&self.catalogue);
            return EXIT_USAGE;
        }
        self.store = store_new (self.catalogue);
        assert (self.store);
    }
    if (streq (options->command, "status")) {
        self.name = "status";
        status = s_status (&self);
        store_destroy (&self.store);
        site_destroy (&self.site);
        catalogue_destroy (&self.catalogue);
        return status;
    }
    if (app_client_security (self.site, options->key, options->server_key,
                             options->insecure)) {
        store_destroy (&self.store);
        site_destroy (&self.site);
        catalogue_destroy (&self.catalogue);
        return EXIT_USAGE;
    }
    if (streq (options->command, "import"))
        self.name = streq (options->arguments[0], "-") ? "stdin"
                                                       : options->arguments[0];
    else
        self.name = options->command;

    if (streq (options->command, "run"))
        status = s_run_inbox (&self);
    else
        status = s_run (&self);

    free (self.problems);
    app_client_security_end ();
    store_destroy (&self.store);
    site_destroy (&self.site);
    catalogue_destroy (&self.catalogue);
    return status;
}
