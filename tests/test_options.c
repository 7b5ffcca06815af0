/*  test_options.c — a program's options from its one table
    (common/options.c): defaults, a flag beating an environment variable
    beating a catalogue key, bounds at their edges with the exact message,
    unknown options and missing values, a bool, an enum word, --help with
    every option and its default, the exit-status section, and
    --check-config reading the spec's further part (the wording). */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ctype.h>

#include "app.h"
#include "options.h"
#include "wording.h"

#define ENV "JT_TEST_COLLECT"

typedef struct {
    const char *collect; //  --collect, $JT_TEST_COLLECT, endpoints/collect
    int heartbeat;       //  --heartbeat MS, 1 to 60000
    int64_t limit;       //  --limit BYTES
    double wait;         //  --wait S, 0.5 to 10
    int journal;         //  --journal durable|lazy|off
    bool insecure;       //  --insecure, security/insecure
    const char *name;    //  -n, --name
} values_t;

static const char *const s_journal[] = {"durable", "lazy", "off", NULL};

static const option_t s_table[] = {{.name = "collect",
                                    .type = OPTION_ENDPOINT,
                                    .offset = offsetof (values_t, collect),
                                    .argument = "EP",
                                    .fallback = "tcp://127.0.0.1:5560",
                                    .key = "endpoints/collect",
                                    .env = ENV,
                                    .help = "where to connect"},
                                   {.name = "heartbeat",
                                    .type = OPTION_INT,
                                    .unit = OPTION_UNIT_MILLISECONDS,
                                    .offset = offsetof (values_t, heartbeat),
                                    .argument = "MS",
                                    .fallback = "1000",
                                    .min = "1",
                                    .max = "60000",
                                    .help = "heartbeat after this much quiet"},
                                   {.name = "limit",
                                    .type = OPTION_INT64,
                                    .unit = OPTION_UNIT_BYTES,
                                    .offset = offsetof (values_t, limit),
                                    .argument = "BYTES",
                                    .fallback = "1G",
                                    .min = "1",
                                    .help = "most bytes queued"},
                                   {.name = "wait",
                                    .type = OPTION_DECIMAL,
                                    .unit = OPTION_UNIT_SECONDS,
                                    .offset = offsetof (values_t, wait),
                                    .argument = "S",
                                    .fallback = "5",
                                    .min = "0.5",
                                    .max = "10",
                                    .help = "how long to wait"},
                                   {.name = "journal",
                                    .type = OPTION_ENUM,
                                    .offset = offsetof (values_t, journal),
                                    .argument = "POLICY",
                                    .fallback = "durable",
                                    .words = s_journal,
                                    .help = "how to keep the journal"},
                                   {.name = "insecure",
                                    .type = OPTION_FLAG,
                                    .offset = offsetof (values_t, insecure),
                                    .key = "security/insecure",
                                    .help = "plain TCP"},
                                   {.name = "name",
                                    .letter = 'n',
                                    .type = OPTION_STRING,
                                    .offset = offsetof (values_t, name),
                                    .argument = "NAME",
                                    .help = "who we are"}};

enum { COLLECT, HEARTBEAT, LIMIT, WAIT, JOURNAL, INSECURE, NAME };

static const char *const s_usage[] = {"-c CATALOGUE [options]", NULL};

static const option_exit_t s_exits[] = {
    {0, "done"}, {1, "failed"}, {2, "usage or configuration error"}, {0, NULL}};

static const options_spec_t s_spec = {
    .program = "jobtally-x",
    .usage = s_usage,
    .about = "A program to test the option table.",
    .options = s_table,
    .count = sizeof s_table / sizeof s_table[0],
    .config_help = "the catalogue",
    .exits = s_exits,
    .check_part = wording_check};

static const char *s_catalogue_text =
    "catalogue\n"
    "    year = 2003\n"
    "endpoints\n"
    "    collect = \"tcp://city.example:5560\"\n"
    "security\n"
    "    insecure = yes\n"
    "regions\n"
    "    heihe = \"Heihe City\"\n"
    "indicators\n"
    "    employed_new\n"
    "        time = flow\n";

//  What the last s_parse wrote on stderr and stdout.
static char s_err[4096];
static char s_out[8192];

//  Read what fd's temporary file holds into buffer, then empty it.
static void
s_drain (FILE *file, char *buffer, size_t size)
{
    fflush (file);
    rewind (file);
    size_t got = fread (buffer, 1, size - 1, file);
    buffer[got] = 0;
    rewind (file);
    assert_int_equal (ftruncate (fileno (file), 0), 0);
}

//  Parse a NULL-ended list of arguments after the program's name into
//  values; stdout and stderr land in s_out and s_err. Returns the
//  parse's answer; *parser_p keeps the parser when asked for.
static int
s_parse (values_t *values, options_t **parser_p, ...)
{
    char *argv[32] = {"jobtally-x"};
    int argc = 1;
    va_list arguments;
    va_start (arguments, parser_p);
    char *argument;
    while ((argument = va_arg (arguments, char *)) && argc < 31)
        argv[argc++] = argument;
    va_end (arguments);
    FILE *err = tmpfile (), *out = tmpfile ();
    assert_non_null (err);
    assert_non_null (out);
    fflush (stderr);
    fflush (stdout);
    int saved_err = dup (2), saved_out = dup (1);
    dup2 (fileno (err), 2);
    dup2 (fileno (out), 1);
    options_t *parser = options_new (&s_spec, values);
    int rc = options_parse (parser, argc, argv);
    fflush (stderr);
    fflush (stdout);
    dup2 (saved_err, 2);
    dup2 (saved_out, 1);
    close (saved_err);
    close (saved_out);
    s_drain (err, s_err, sizeof s_err);
    s_drain (out, s_out, sizeof s_out);
    fclose (err);
    fclose (out);
    if (parser_p)
        *parser_p = parser;
    else
        options_destroy (&parser);
    return rc;
}

static void
test_defaults_fill_every_value (void **state)
{
    (void)state;
    unsetenv (ENV);
    values_t values;
    memset (&values, 0xff, sizeof values);
    options_t *parser = NULL;
    assert_int_equal (s_parse (&values, &parser, NULL), OPTIONS_GO_ON);
    assert_string_equal (values.collect, "tcp://127.0.0.1:5560");
    assert_int_equal (values.heartbeat, 1000);
    assert_int_equal (values.limit, 1024 * 1024 * 1024);
    assert_true (values.wait == 5.0);
    assert_int_equal (values.journal, 0);
    assert_false (values.insecure);
    assert_null (values.name);
    assert_int_equal (options_origin (parser, COLLECT), OPTION_FROM_DEFAULT);
    assert_null (options_config (parser));
    assert_false (options_verbose (parser));
    assert_string_equal (s_err, "");
    options_destroy (&parser);
    options_destroy (&parser); //  twice is harmless
}

//  The flag beats the environment, which beats the catalogue, which
//  beats the default.
static void
test_flag_beats_env_beats_catalogue (void **state)
{
    (void)state;
    char *error = NULL;
    site_t *site = site_new (s_catalogue_text, "x.zpl", &error);
    assert_non_null (site);
    values_t values;
    options_t *parser = NULL;

    unsetenv (ENV);
    assert_int_equal (s_parse (&values, &parser, NULL), OPTIONS_GO_ON);
    assert_int_equal (options_resolve (parser, site), 0);
    assert_string_equal (values.collect, "tcp://city.example:5560");
    assert_int_equal (options_origin (parser, COLLECT), OPTION_FROM_CATALOGUE);
    assert_true (values.insecure); //  security/insecure = yes
    assert_int_equal (options_origin (parser, HEARTBEAT), OPTION_FROM_DEFAULT);
    options_destroy (&parser);

    setenv (ENV, "tcp://env.example:1", 1);
    assert_int_equal (s_parse (&values, &parser, NULL), OPTIONS_GO_ON);
    assert_int_equal (options_resolve (parser, site), 0);
    assert_string_equal (values.collect, "tcp://env.example:1");
    assert_int_equal (options_origin (parser, COLLECT), OPTION_FROM_ENV);
    options_destroy (&parser);

    assert_int_equal (
        s_parse (&values, &parser, "--collect", "tcp://flag.example:2", NULL),
        OPTIONS_GO_ON);
    assert_int_equal (options_resolve (parser, site), 0);
    assert_string_equal (values.collect, "tcp://flag.example:2");
    assert_int_equal (options_origin (parser, COLLECT), OPTION_FROM_FLAG);
    options_destroy (&parser);

    //  A bad environment variable is told by its name; a flag hides it.
    setenv (ENV, "nowhere", 1);
    assert_int_equal (s_parse (&values, NULL, NULL), 2);
    assert_string_equal (s_err, "jobtally-x: " ENV ": 'nowhere' is not an "
                                "endpoint (transport://address)\n"
                                "Try 'jobtally-x --help'.\n");
    assert_int_equal (
        s_parse (&values, NULL, "--collect", "tcp://flag.example:2", NULL),
        OPTIONS_GO_ON);
    unsetenv (ENV);
    site_destroy (&site);
}

static void
test_bounds_at_the_edges (void **state)
{
    (void)state;
    values_t values;
    assert_int_equal (s_parse (&values, NULL, "--heartbeat", "1", NULL),
                      OPTIONS_GO_ON);
    assert_int_equal (values.heartbeat, 1);
    assert_int_equal (s_parse (&values, NULL, "--heartbeat=60000", NULL),
                      OPTIONS_GO_ON);
    assert_int_equal (values.heartbeat, 60000);
    assert_int_equal (s_parse (&values, NULL, "--heartbeat", "0", NULL), 2);
    assert_string_equal (s_err,
                         "jobtally-x: --heartbeat: 0 is below the minimum 1\n"
                         "Try 'jobtally-x --help'.\n");
    assert_int_equal (s_parse (&values, NULL, "--heartbeat", "60001", NULL), 2);
    assert_string_equal (
        s_err, "jobtally-x: --heartbeat: 60001 is above the maximum 60000\n"
               "Try 'jobtally-x --help'.\n");
    assert_int_equal (s_parse (&values, NULL, "--heartbeat", "1e3", NULL), 2);
    assert_string_equal (
        s_err, "jobtally-x: --heartbeat: '1e3' is not a whole number\n"
               "Try 'jobtally-x --help'.\n");
    //  A decimal's edges, and bytes with their suffixes.
    assert_int_equal (s_parse (&values, NULL, "--wait", "0.5", NULL),
                      OPTIONS_GO_ON);
    assert_true (values.wait == 0.5);
    assert_int_equal (s_parse (&values, NULL, "--wait", "0.49", NULL), 2);
    assert_string_equal (s_err,
                         "jobtally-x: --wait: 0.49 is below the minimum 0.5\n"
                         "Try 'jobtally-x --help'.\n");
    assert_int_equal (s_parse (&values, NULL, "--limit", "10k", NULL),
                      OPTIONS_GO_ON);
    assert_int_equal (values.limit, 10240);
    assert_int_equal (s_parse (&values, NULL, "--limit", "500MB", NULL),
                      OPTIONS_GO_ON);
    assert_int_equal (values.limit, 500LL * 1024 * 1024);
    assert_int_equal (s_parse (&values, NULL, "--limit", "0", NULL), 2);
    assert_string_equal (s_err,
                         "jobtally-x: --limit: 0 is below the minimum 1\n"
                         "Try 'jobtally-x --help'.\n");
    assert_int_equal (s_parse (&values, NULL, "--limit", "5T", NULL), 2);
    assert_string_equal (s_err, "jobtally-x: --limit: '5T' is not a size in "
                                "bytes (such as 500M or 2G)\n"
                                "Try 'jobtally-x --help'.\n");
}

static void
test_unknown_option_and_missing_value (void **state)
{
    (void)state;
    values_t values;
    assert_int_equal (s_parse (&values, NULL, "--no-such-flag", NULL), 2);
    assert_string_equal (s_err, "jobtally-x: unknown option --no-such-flag\n"
                                "Try 'jobtally-x --help'.\n");
    assert_int_equal (s_parse (&values, NULL, "-q", NULL), 2);
    assert_string_equal (s_err, "jobtally-x: unknown option -q\n"
                                "Try 'jobtally-x --help'.\n");
    assert_int_equal (s_parse (&values, NULL, "--heartbeat", NULL), 2);
    assert_string_equal (s_err, "jobtally-x: --heartbeat needs a value\n"
                                "Try 'jobtally-x --help'.\n");
    assert_int_equal (s_parse (&values, NULL, "-n", NULL), 2);
    assert_string_equal (s_err, "jobtally-x: --name needs a value\n"
                                "Try 'jobtally-x --help'.\n");
    assert_int_equal (s_parse (&values, NULL, "--insecure=yes", NULL), 2);
    assert_string_equal (s_err, "jobtally-x: --insecure takes no value\n"
                                "Try 'jobtally-x --help'.\n");
    assert_int_equal (s_parse (&values, NULL, "stray", NULL), 2);
    assert_string_equal (s_err, "jobtally-x: unexpected argument 'stray'\n"
                                "Try 'jobtally-x --help'.\n");
}

static void
test_bool_enum_and_standard_options (void **state)
{
    (void)state;
    values_t values;
    options_t *parser = NULL;
    assert_int_equal (s_parse (&values, &parser, "--insecure", "--journal",
                               "off", "-n", "aihui", "-v", "-c", "x.zpl", NULL),
                      OPTIONS_GO_ON);
    assert_true (values.insecure);
    assert_int_equal (values.journal, 2);
    assert_string_equal (values.name, "aihui");
    assert_true (options_verbose (parser));
    assert_string_equal (options_config (parser), "x.zpl");
    options_destroy (&parser);
    assert_int_equal (s_parse (&values, NULL, "--journal", "fast", NULL), 2);
    assert_string_equal (
        s_err, "jobtally-x: --journal: 'fast' is not durable, lazy or off\n"
               "Try 'jobtally-x --help'.\n");
    assert_int_equal (s_parse (&values, NULL, "-V", NULL), 0);
    assert_string_equal (s_out, "jobtally-x 0.1.0\n");
    assert_int_equal (s_parse (&values, NULL, "--version", NULL), 0);
    assert_string_equal (s_out, "jobtally-x 0.1.0\n");
}

//  --check-config loads the catalogue and checks the values it gives.
static void
test_check_config (void **state)
{
    (void)state;
    char path[] = "/tmp/test_options_XXXXXX";
    int fd = mkstemp (path);
    assert_true (fd >= 0);
    FILE *file = fdopen (fd, "w");
    fputs (s_catalogue_text, file);
    fclose (file);
    values_t values;
    assert_int_equal (
        s_parse (&values, NULL, "-c", path, "--check-config", NULL), 0);
    char expected[128];
    snprintf (expected, sizeof expected, "%s: ok\n", path);
    assert_string_equal (s_out, expected);
    char option[128];
    snprintf (option, sizeof option, "--check-config=%s", path);
    assert_int_equal (s_parse (&values, NULL, option, NULL), 0);
    assert_string_equal (s_out, expected);
    //  A catalogue key that is not a value of the option's type.
    file = fopen (path, "w");
    fputs ("catalogue\n    year = 2003\nendpoints\n    collect = city:5560\n"
           "regions\n    heihe\nindicators\n    employed_new\n"
           "        time = flow\n",
           file);
    fclose (file);
    assert_int_equal (s_parse (&values, NULL, option, NULL), 2);
    snprintf (expected, sizeof expected,
              "%s: endpoints/collect: 'city:5560' is not an endpoint "
              "(transport://address)\n",
              path);
    assert_string_equal (s_err, expected);
    //  A catalogue that is not valid: file:line: reason.
    file = fopen (path, "w");
    fputs ("catalogue\n    year = 2003\n    yaer = 2003\n", file);
    fclose (file);
    assert_int_equal (s_parse (&values, NULL, option, NULL), 2);
    snprintf (expected, sizeof expected,
              "%s:3: unknown key 'yaer' in catalogue\n", path);
    assert_string_equal (s_err, expected);
    //  The spec's further part (the wording) is read too: a name for a
    //  region the domain does not have.
    file = fopen (path, "w");
    fprintf (file, "%snames\n    en\n        heihe.nowhere = \"Nowhere\"\n",
             s_catalogue_text);
    fclose (file);
    assert_int_equal (s_parse (&values, NULL, option, NULL), 2);
    snprintf (expected, sizeof expected,
              "%s:14: unknown region or figure 'heihe.nowhere' in names/en\n",
              path);
    assert_string_equal (s_err, expected);
    //  Without -c, $JOBTALLY_CATALOGUE names the catalogue.
    file = fopen (path, "w");
    fputs (s_catalogue_text, file);
    fclose (file);
    setenv ("JOBTALLY_CATALOGUE", path, 1);
    assert_int_equal (s_parse (&values, NULL, "--check-config", NULL), 0);
    snprintf (expected, sizeof expected, "%s: ok\n", path);
    assert_string_equal (s_out, expected);
    unsetenv ("JOBTALLY_CATALOGUE");
    assert_int_equal (s_parse (&values, NULL, "--check-config", NULL), 2);
    assert_string_equal (s_err, "jobtally-x: --check-config needs -c FILE\n"
                                "Try 'jobtally-x --help'.\n");
    unlink (path);
}

static void
test_help_names_every_option_its_default_and_exit_statuses (void **state)
{
    (void)state;
    values_t values;
    assert_int_equal (s_parse (&values, NULL, "--help", NULL), 0);
    const char *wanted[] = {
        "Usage: jobtally-x -c CATALOGUE [options]\n",
        "       jobtally-x --check-config[=FILE] [-c FILE]\n",
        "A program to test the option table.\n",
        "      --collect EP           where to connect (default: $" ENV
        ", else\n                             the catalogue's "
        "endpoints/collect, else\n                             "
        "tcp://127.0.0.1:5560)\n",
        "      --heartbeat MS         heartbeat after this much quiet "
        "(default 1000; 1\n                             to 60000 ms)\n",
        "      --limit BYTES          most bytes queued (default 1G; at least "
        "1 byte)\n",
        "      --wait S               how long to wait (default 5; 0.5 to 10 "
        "seconds)\n",
        "      --journal POLICY       how to keep the journal (durable, lazy "
        "or off;\n                             default durable)\n",
        "      --insecure             plain TCP (also security/insecure = yes "
        "in the\n                             catalogue)\n",
        "  -n, --name NAME            who we are\n",
        "  -c, --config FILE          the catalogue (default",
        "  -v, --verbose",
        "  -h, --help",
        "  -V, --version",
        "\nExit status:\n"
        "  0    done\n"
        "  1    failed\n"
        "  2    usage or configuration error\n"};
    for (size_t index = 0; index < sizeof wanted / sizeof *wanted; index++)
        if (!strstr (s_out, wanted[index]))
            fail_msg ("missing '%s' in:\n%s", wanted[index], s_out);
    //  -c's default, wrapped as the installed path's length makes it.
    char folded[sizeof s_out];
    size_t length = 0;
    for (const char *at = s_out; *at; at++)
        if (!isspace ((unsigned char)*at) ||
            (length && folded[length - 1] != ' '))
            folded[length++] = isspace ((unsigned char)*at) ? ' ' : *at;
    folded[length] = 0;
    assert_non_null (strstr (folded,
                             "the catalogue (default $JOBTALLY_CATALOGUE, "
                             "else " APP_CATALOGUE_FILE " if it exists)"));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_defaults_fill_every_value),
        cmocka_unit_test (test_flag_beats_env_beats_catalogue),
        cmocka_unit_test (test_bounds_at_the_edges),
        cmocka_unit_test (test_unknown_option_and_missing_value),
        cmocka_unit_test (test_bool_enum_and_standard_options),
        cmocka_unit_test (test_check_config),
        cmocka_unit_test (
            test_help_names_every_option_its_default_and_exit_statuses),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
