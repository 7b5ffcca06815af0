/*  options.c — a program's options from its one typed table (options.h). */
#include "options.h"
#include "app.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>

//  getopt_long values: a table entry is 256 + its index (or its letter),
//  the standard options follow the table.
#define S_FIRST 256

//  The standard options every program has, after the table.
typedef enum {
    S_CONFIG,
    S_CHECK_CONFIG,
    S_VERBOSE,
    S_HELP,
    S_VERSION,
    S_STANDARD_COUNT
} s_standard_t;

static const struct {
    const char *name;
    char letter;
    int has_arg;
    const char *left; //  as --help shows it
    const char *help;
} s_standard[S_STANDARD_COUNT] = {
    {"config", 'c', required_argument, "-c, --config FILE", NULL},
    {"check-config", 0, optional_argument, "    --check-config[=FILE]",
     "check the catalogue (FILE, else -c's) and every option's value, print "
     "FILE: ok or file:line: reason, and exit"},
    {"verbose", 'v', no_argument, "-v, --verbose", "log more"},
    {"help", 'h', no_argument, "-h, --help", "show this help and exit"},
    {"version", 'V', no_argument, "-V, --version",
     "show the version and exit"}};

//  Where the name column of --help ends and the help begins.
#define S_HELP_COLUMN 29
#define S_WIDTH 79

struct _options_t {
    const options_spec_t *spec; //  borrowed: the program and its table
    void *values;               //  borrowed: the program's struct
    option_origin_t *origins;   //  per table entry: who set its value
    const char *config;         //  -c FILE, or NULL
    const char *check;          //  --check-config's FILE, else config
    bool checking;              //  --check-config was given
    bool verbose;               //  -v
    const char *command;        //  the command word, or NULL
    char **arguments;           //  what follows it, borrowed from argv
    int argument_count;
};

options_t *
options_new (const options_spec_t *spec, void *values)
{
    assert (spec && values);
    options_t *self = (options_t *)calloc (1, sizeof (options_t));
    assert (self);
    self->spec = spec;
    self->values = values;
    self->origins =
        (option_origin_t *)calloc (spec->count + 1, sizeof (option_origin_t));
    assert (self->origins);
    return self;
}

void
options_destroy (options_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        free ((*self_p)->origins);
        free (*self_p);
        *self_p = NULL;
    }
}

int
options_usage_error (const options_t *self, const char *format, ...)
{
    const char *program = self->spec->program;
    va_list arguments;
    va_start (arguments, format);
    fprintf (stderr, "%s: ", program);
    vfprintf (stderr, format, arguments);
    va_end (arguments);
    fprintf (stderr, "\nTry '%s --help'.\n", program);
    return OPTIONS_EXIT_USAGE;
}

static bool
s_numeric (option_type_t type)
{
    return type == OPTION_INT || type == OPTION_INT64 || type == OPTION_DECIMAL;
}

//  A whole number as text: digits, and for bytes an optional k, M or G
//  (powers of 1024) and B. 0, or -1 when text is not one.
static int
s_whole (const option_t *entry, const char *text, int64_t *number)
{
    char *end = NULL;
    errno = 0;
    long long value = strtoll (text, &end, 10);
    if (errno || end == text)
        return -1;
    if (entry->unit == OPTION_UNIT_BYTES) {
        long long scale = 1;
        if (*end == 'k' || *end == 'K')
            scale = 1024, end++;
        else if (*end == 'M')
            scale = 1024 * 1024, end++;
        else if (*end == 'G')
            scale = 1024 * 1024 * 1024, end++;
        if (*end == 'B' || *end == 'b')
            end++;
        if (value > LLONG_MAX / scale || value < LLONG_MIN / scale)
            return -1;
        value *= scale;
    }
    if (*end)
        return -1;
    *number = (int64_t)value;
    return 0;
}

//  A number with fractions; 0, or -1 when text is not one.
static int
s_decimal (const char *text, double *number)
{
    char *end = NULL;
    errno = 0;
    double value = strtod (text, &end);
    if (errno || end == text || *end || !isfinite (value))
        return -1;
    *number = value;
    return 0;
}

//  A number against the entry's bounds: the bound it broke, as the table
//  writes it, with *below true for the minimum; NULL when within them.
//  Bounds that do not parse are the table's bug.
static const char *
s_broken_bound (const option_t *entry, const char *text, bool *below)
{
    const char *bounds[2] = {entry->min, entry->max};
    for (int which = 0; which < 2; which++) {
        if (!bounds[which])
            continue;
        int order;
        if (entry->type == OPTION_DECIMAL) {
            double value = 0, bound = 0;
            int rc = s_decimal (text, &value);
            rc |= s_decimal (bounds[which], &bound);
            assert (rc == 0);
            order = value < bound ? -1 : value > bound;
        } else {
            int64_t value = 0, bound = 0;
            int rc = s_whole (entry, text, &value);
            rc |= s_whole (entry, bounds[which], &bound);
            assert (rc == 0);
            order = value < bound ? -1 : value > bound;
        }
        *below = which == 0;
        if (*below ? order < 0 : order > 0)
            return bounds[which];
    }
    return NULL;
}

//  "durable, lazy or off" into buffer.
static const char *
s_words (const char *const *words, char *buffer, size_t size)
{
    size_t length = 0;
    buffer[0] = 0;
    for (size_t index = 0; words[index]; index++) {
        const char *glue = index == 0 ? "" : words[index + 1] ? ", " : " or ";
        int wrote = snprintf (buffer + length, size - length, "%s%s", glue,
                              words[index]);
        if (wrote < 0 || (size_t)wrote >= size - length)
            break;
        length += (size_t)wrote;
    }
    return buffer;
}

//  yes or no, as an environment variable or the catalogue may say it.
static int
s_yes_no (const char *text, bool *value)
{
    const char *yes[] = {"yes", "true", "on", "1"};
    const char *no[] = {"no", "false", "off", "0"};
    for (size_t index = 0; index < 4; index++) {
        if (streq (text, yes[index]) || streq (text, no[index])) {
            *value = streq (text, yes[index]);
            return 0;
        }
    }
    return -1;
}

//  Set the index-th entry's value from text. 0, or -1 with the reason
//  (without the option's name) in why.
static int
s_set (options_t *self, size_t index, const char *text, char *why, size_t size)
{
    const option_t *entry = &self->spec->options[index];
    void *target = (char *)self->values + entry->offset;
    int64_t whole = 0;
    double decimal = 0;
    switch (entry->type) {
    case OPTION_FLAG: {
        bool value = false;
        if (s_yes_no (text, &value)) {
            snprintf (why, size, "'%s' is not yes or no", text);
            return -1;
        }
        *(bool *)target = value;
        return 0;
    }
    case OPTION_PATH:
        if (!*text) {
            snprintf (why, size, "an empty path");
            return -1;
        }
        break;
    case OPTION_ENDPOINT: {
        const char *separator = strstr (text, "://");
        if (!separator || separator == text || !separator[3]) {
            snprintf (why, size,
                      "'%s' is not an endpoint (transport://address)", text);
            return -1;
        }
        break;
    }
    case OPTION_STRING:
        break;
    case OPTION_INT:
    case OPTION_INT64:
        if (s_whole (entry, text, &whole)) {
            snprintf (why, size, "'%s' is not %s", text,
                      entry->unit == OPTION_UNIT_BYTES
                          ? "a size in bytes (such as 500M or 2G)"
                          : "a whole number");
            return -1;
        }
        if (entry->type == OPTION_INT && (whole < INT_MIN || whole > INT_MAX)) {
            snprintf (why, size, "%s is out of range", text);
            return -1;
        }
        break;
    case OPTION_DECIMAL:
        if (s_decimal (text, &decimal)) {
            snprintf (why, size, "'%s' is not a number", text);
            return -1;
        }
        break;
    case OPTION_ENUM: {
        for (int word = 0; entry->words[word]; word++)
            if (streq (entry->words[word], text)) {
                *(int *)target = word;
                return 0;
            }
        char words[256];
        snprintf (why, size, "'%s' is not %s", text,
                  s_words (entry->words, words, sizeof words));
        return -1;
    }
    }
    bool below = false;
    const char *bound =
        s_numeric (entry->type) ? s_broken_bound (entry, text, &below) : NULL;
    if (bound) {
        snprintf (why, size, "%s is %s %s", text,
                  below ? "below the minimum" : "above the maximum", bound);
        return -1;
    }
    if (entry->type == OPTION_INT)
        *(int *)target = (int)whole;
    else if (entry->type == OPTION_INT64)
        *(int64_t *)target = whole;
    else if (entry->type == OPTION_DECIMAL)
        *(double *)target = decimal;
    else
        *(const char **)target = text;
    return 0;
}

//  The index-th entry's value when no flag gave it: its environment
//  variable, else its default, else zero. 0, or -1 when the environment
//  variable is not a value (told).
static int
s_unflagged (options_t *self, size_t index)
{
    const option_t *entry = &self->spec->options[index];
    char why[300];
    const char *text = entry->env ? getenv (entry->env) : NULL;
    if (text && *text) {
        if (s_set (self, index, text, why, sizeof why) != 0) {
            options_usage_error (self, "%s: %s", entry->env, why);
            return -1;
        }
        self->origins[index] = OPTION_FROM_ENV;
        return 0;
    }
    self->origins[index] = OPTION_FROM_DEFAULT;
    if (entry->fallback &&
        (!entry->if_exists || access (entry->fallback, F_OK) == 0)) {
        int rc = s_set (self, index, entry->fallback, why, sizeof why);
        assert (rc == 0); //  a default the table cannot take is a bug
        return 0;
    }
    void *target = (char *)self->values + entry->offset;
    switch (entry->type) {
    case OPTION_FLAG:
        *(bool *)target = false;
        break;
    case OPTION_INT:
    case OPTION_ENUM:
        *(int *)target = 0;
        break;
    case OPTION_INT64:
        *(int64_t *)target = 0;
        break;
    case OPTION_DECIMAL:
        *(double *)target = 0;
        break;
    default:
        *(const char **)target = NULL;
    }
    return 0;
}

//  The getopt_long value of the index-th entry of table and standard.
static int
s_value (const options_t *self, size_t index)
{
    size_t count = self->spec->count;
    char letter = index < count ? self->spec->options[index].letter
                                : s_standard[index - count].letter;
    return letter ? letter : S_FIRST + (int)index;
}

//  The entry (table, then standard) whose getopt_long value is value, or
//  -1.
static int
s_find (const options_t *self, int value)
{
    size_t total = self->spec->count + S_STANDARD_COUNT;
    for (size_t index = 0; index < total; index++)
        if (s_value (self, index) == value)
            return (int)index;
    return -1;
}

static const char *
s_name (const options_t *self, size_t index)
{
    size_t count = self->spec->count;
    return index < count ? self->spec->options[index].name
                         : s_standard[index - count].name;
}

//  The getopt_long array and short-option string of the table and the
//  standard options, in fresh buffers the caller frees.
static struct option *
s_getopt_table (const options_t *self, char **letters_p)
{
    size_t count = self->spec->count;
    size_t total = count + S_STANDARD_COUNT;
    struct option *longs =
        (struct option *)calloc (total + 1, sizeof (struct option));
    char *letters = (char *)calloc (2 * total + 2, 1);
    assert (longs && letters);
    size_t length = 0;
    letters[length++] = ':'; //  a missing value is ':', not '?'
    for (size_t index = 0; index < total; index++) {
        int has_arg = index < count
                          ? (self->spec->options[index].type == OPTION_FLAG
                                 ? no_argument
                                 : required_argument)
                          : s_standard[index - count].has_arg;
        int value = s_value (self, index);
        longs[index] =
            (struct option){s_name (self, index), has_arg, NULL, value};
        if (value < S_FIRST) {
            //  A letter used twice is the table's bug.
            assert (!strchr (letters, value));
            letters[length++] = (char)value;
            if (has_arg == required_argument)
                letters[length++] = ':';
        }
    }
    *letters_p = letters;
    return longs;
}

//  The option getopt_long could not take, told as a usage error.
static int
s_refused (options_t *self, int option, const char *word)
{
    int index = optopt ? s_find (self, optopt) : -1;
    if (option == ':' && index >= 0)
        return options_usage_error (self, "--%s needs a value",
                                    s_name (self, (size_t)index));
    if (index >= 0)
        return options_usage_error (self, "--%s takes no value",
                                    s_name (self, (size_t)index));
    if (optopt > 0 && optopt < S_FIRST)
        return options_usage_error (self, "unknown option -%c", optopt);
    return options_usage_error (self, "unknown option %s", word);
}

//  How many of the count words given a command's name matches: 1 for a
//  one-word name ("import"), 2 for a two-word one ("keys list"), 0 when it
//  does not match.
static int
s_command_words (const char *name, char *const *words, int count)
{
    const char *space = strchr (name, ' ');
    if (!space)
        return streq (name, words[0]) ? 1 : 0;
    size_t first = (size_t)(space - name);
    return count >= 2 && strlen (words[0]) == first &&
                   strncmp (name, words[0], first) == 0 &&
                   streq (space + 1, words[1])
               ? 2
               : 0;
}

//  The command and its arguments, or without commands none. -1 to go on,
//  else 2 (told).
static int
s_positional (options_t *self, int argc, char *argv[])
{
    const option_command_t *commands = self->spec->commands;
    int count = argc - optind;
    if (self->checking && count > 0)
        return options_usage_error (self, "--check-config takes no command");
    if (!commands || self->checking) {
        if (count > 0)
            return options_usage_error (self, "unexpected argument '%s'",
                                        argv[optind]);
        return OPTIONS_GO_ON;
    }
    char names[256];
    const char *words[16];
    size_t known = 0;
    for (; commands[known].name && known < 15; known++)
        words[known] = commands[known].name;
    words[known] = NULL;
    s_words (words, names, sizeof names);
    if (count == 0)
        return options_usage_error (self, "a command is needed: %s", names);
    const option_command_t *command = commands;
    int words_used = 0;
    while (command->name && !(words_used = s_command_words (
                                  command->name, argv + optind, count)))
        command++;
    if (!command->name)
        return options_usage_error (self, "unknown command '%s': %s",
                                    argv[optind], names);
    if (count - words_used != command->count)
        return options_usage_error (self, "%s takes %s", command->name,
                                    command->count ? command->arguments
                                                   : "no arguments");
    self->command = command->name;
    self->arguments = argv + optind + words_used;
    self->argument_count = command->count;
    return OPTIONS_GO_ON;
}

//  The spec's further part of the file (check_part), or true without one.
static bool
s_check_part (options_t *self, const catalogue_t *catalogue)
{
    if (!self->spec->check_part)
        return true;
    char *text = app_catalogue_text (self->check);
    char *error = NULL;
    bool good =
        text && self->spec->check_part (text, self->check, catalogue, &error);
    if (text && !good)
        app_refused (error);
    free (text);
    return good;
}

//  --check-config: read the whole file (the domain, which also checks that
//  every section is known, then the spec's further part and the site) and
//  resolve the options the site gives.
static int
s_check_config (options_t *self)
{
    if (!self->check)
        return options_usage_error (self, "--check-config needs -c FILE");
    catalogue_t *catalogue = app_load_catalogue (self->check);
    site_t *site = catalogue && s_check_part (self, catalogue)
                       ? app_load_site (self->check)
                       : NULL;
    int rc = site ? options_resolve (self, site) : -1;
    site_destroy (&site);
    catalogue_destroy (&catalogue);
    if (rc != 0)
        return OPTIONS_EXIT_USAGE;
    printf ("%s: ok\n", self->check);
    return EXIT_SUCCESS;
}

//  The catalogue when no -c is given: $JOBTALLY_CATALOGUE, else the
//  installed one if it exists (docs/operations.md), else NULL.
static const char *
s_default_config (void)
{
    const char *path = getenv (OPTIONS_CATALOGUE_ENV);
    if (path && *path)
        return path;
    return access (APP_CATALOGUE_FILE, F_OK) == 0 ? APP_CATALOGUE_FILE : NULL;
}

int
options_parse (options_t *self, int argc, char *argv[])
{
    const options_spec_t *spec = self->spec;
    char *letters = NULL;
    struct option *longs = s_getopt_table (self, &letters);
    for (size_t index = 0; index < spec->count; index++)
        self->origins[index] = OPTION_FROM_DEFAULT;
    optind = 0; //  glibc: start afresh, also after an earlier parse
    opterr = 0;
    int rc = OPTIONS_GO_ON, option;
    while (rc == OPTIONS_GO_ON &&
           (option = getopt_long (argc, argv, letters, longs, NULL)) != -1) {
        int index = option == ':' || option == '?' ? -1 : s_find (self, option);
        if (index < 0) {
            rc = s_refused (self, option, argv[optind - 1]);
            break;
        }
        if ((size_t)index < spec->count) {
            char why[300];
            self->origins[index] = OPTION_FROM_FLAG;
            if (spec->options[index].type == OPTION_FLAG)
                *(bool *)((char *)self->values + spec->options[index].offset) =
                    true;
            else if (s_set (self, (size_t)index, optarg, why, sizeof why))
                rc = options_usage_error (self, "--%s: %s",
                                          spec->options[index].name, why);
            continue;
        }
        switch (index - (int)spec->count) {
        case S_CONFIG:
            self->config = optarg;
            break;
        case S_CHECK_CONFIG:
            self->checking = true;
            self->check = optarg;
            break;
        case S_VERBOSE:
            self->verbose = true;
            break;
        case S_HELP:
            options_help (self, stdout);
            rc = EXIT_SUCCESS;
            break;
        default:
            printf ("%s %s\n", spec->program, JT_VERSION);
            rc = EXIT_SUCCESS;
        }
    }
    free (longs);
    free (letters);
    for (size_t index = 0; rc == OPTIONS_GO_ON && index < spec->count; index++)
        if (self->origins[index] != OPTION_FROM_FLAG &&
            s_unflagged (self, index) != 0)
            rc = OPTIONS_EXIT_USAGE;
    if (rc == OPTIONS_GO_ON && !self->config)
        self->config = s_default_config ();
    if (rc == OPTIONS_GO_ON && !self->check)
        self->check = self->config;
    if (rc == OPTIONS_GO_ON)
        rc = s_positional (self, argc, argv);
    if (rc == OPTIONS_GO_ON && self->checking)
        rc = s_check_config (self);
    if (rc == OPTIONS_GO_ON && spec->config_required && !self->config)
        rc =
            options_usage_error (self, "a catalogue is required: -c FILE (none "
                                       "in $" OPTIONS_CATALOGUE_ENV
                                       ", none at " APP_CATALOGUE_FILE ")");
    return rc;
}

//  The site's value of "section/key" as text, or NULL when it gives none.
//  The site keeps these keys, checked, for the programs.
static const char *
s_site_value (const site_t *site, const char *key)
{
    if (strncmp (key, "endpoints/", 10) == 0)
        return site_endpoint (site, key + 10);
    assert (streq (key, "security/insecure")); //  a key the site keeps
    return site_insecure (site) ? "yes" : NULL;
}

int
options_resolve (options_t *self, const site_t *site)
{
    assert (site);
    const options_spec_t *spec = self->spec;
    for (size_t index = 0; index < spec->count; index++) {
        const option_t *entry = &spec->options[index];
        if (!entry->key || self->origins[index] != OPTION_FROM_DEFAULT)
            continue;
        const char *text = s_site_value (site, entry->key);
        if (!text)
            continue;
        char why[300];
        if (s_set (self, index, text, why, sizeof why) != 0) {
            fprintf (stderr, "%s: %s: %s\n", self->check, entry->key, why);
            return -1;
        }
        self->origins[index] = OPTION_FROM_CATALOGUE;
    }
    return 0;
}

const char *
options_config (const options_t *self)
{
    return self->config;
}

bool
options_verbose (const options_t *self)
{
    return self->verbose;
}

const char *
options_command (const options_t *self)
{
    return self->command;
}

const char *
options_argument (const options_t *self, int index)
{
    assert (index >= 0 && index < self->argument_count);
    return self->arguments[index];
}

option_origin_t
options_origin (const options_t *self, size_t index)
{
    assert (index < self->spec->count);
    return self->origins[index];
}

//  Write text from column at, breaking lines before S_WIDTH and starting
//  each new one at indent; a newline in text starts a new line too.
static void
s_wrap (FILE *stream, const char *text, int at, int indent)
{
    const char *word = text;
    while (*word) {
        if (*word == '\n') {
            fprintf (stream, "\n%*s", word[1] == '\n' ? 0 : indent, "");
            at = indent;
            word++;
            continue;
        }
        size_t length = strcspn (word, " \n");
        if (at > indent && at + 1 + (int)length > S_WIDTH) {
            fprintf (stream, "\n%*s", indent, "");
            at = indent;
        } else if (at > indent) {
            fputc (' ', stream);
            at++;
        }
        fprintf (stream, "%.*s", (int)length, word);
        at += (int)length;
        word += length;
        while (*word == ' ')
            word++;
    }
    fputc ('\n', stream);
}

//  One option's line or lines: its flags in the left column, its help and
//  what it defaults to on the right.
static void
s_help_line (FILE *stream, const char *left, const char *help)
{
    int at = fprintf (stream, "  %s", left);
    if (at >= S_HELP_COLUMN - 1) {
        fputc ('\n', stream);
        at = 0;
    }
    fprintf (stream, "%*s", S_HELP_COLUMN - at, "");
    s_wrap (stream, help, S_HELP_COLUMN, S_HELP_COLUMN);
}

//  "(durable, lazy or off; default durable)", "(default $ENV, else the
//  catalogue's endpoints/collect, else tcp://...; 1 to 10000 ms)": what an
//  entry's help does not say, made from the entry.
static void
s_help_suffix (const option_t *entry, char *buffer, size_t size)
{
    static const char *units[] = {"", " ms", " seconds", " bytes"};
    static const char *units_of_one[] = {"", " ms", " second", " byte"};
    char words[256] = "";
    char given[512] = "";
    char bounds[128] = "";
    if (entry->words)
        s_words (entry->words, words, sizeof words);
    if (entry->type == OPTION_FLAG && entry->key)
        snprintf (given, sizeof given, "also %s = yes in the catalogue",
                  entry->key);
    else if (entry->env || entry->key || entry->fallback) {
        bool several = (entry->env || entry->key) && entry->fallback;
        size_t length = (size_t)snprintf (given, sizeof given, "default%s ",
                                          several ? ":" : "");
        const char *parts[3] = {entry->env, entry->key, entry->fallback};
        const char *forms[3] = {"$%s", "the catalogue's %s",
                                entry->if_exists ? "%s if it exists" : "%s"};
        bool first = true;
        for (int part = 0; part < 3; part++) {
            if (!parts[part])
                continue;
            if (!first)
                length += (size_t)snprintf (given + length,
                                            sizeof given - length, ", else ");
            first = false;
            length += (size_t)snprintf (given + length, sizeof given - length,
                                        forms[part], parts[part]);
        }
    }
    const char *unit = units[entry->unit];
    if (entry->min && entry->max)
        snprintf (bounds, sizeof bounds, "%s to %s%s", entry->min, entry->max,
                  unit);
    else if (entry->min || entry->max) {
        const char *bound = entry->min ? entry->min : entry->max;
        snprintf (bounds, sizeof bounds, "at %s %s%s",
                  entry->min ? "least" : "most", bound,
                  streq (bound, "1") ? units_of_one[entry->unit] : unit);
    } else if (*given && s_numeric (entry->type))
        strncat (given,
                 entry->fallback && streq (entry->fallback, "1")
                     ? units_of_one[entry->unit]
                     : unit,
                 sizeof given - strlen (given) - 1);
    const char *parts[3] = {words, given, bounds};
    size_t length = 0;
    buffer[0] = 0;
    for (int part = 0; part < 3; part++) {
        if (!*parts[part])
            continue;
        int wrote = snprintf (buffer + length, size - length, "%s%s",
                              length ? "; " : " (", parts[part]);
        if (wrote < 0 || (size_t)wrote >= size - length)
            break;
        length += (size_t)wrote;
    }
    if (length && length + 1 < size)
        strcat (buffer, ")");
}

void
options_help (const options_t *self, FILE *stream)
{
    const options_spec_t *spec = self->spec;
    const char *program = spec->program;
    for (size_t index = 0; spec->usage[index]; index++)
        fprintf (stream, "%s %s %s\n", index ? "      " : "Usage:", program,
                 spec->usage[index]);
    fprintf (stream,
             "       %s --check-config[=FILE] [-c FILE]\n"
             "       %s --help | --version\n\n",
             program, program);
    s_wrap (stream, spec->about, 0, 0);
    if (spec->commands) {
        fprintf (stream, "\nCommands:\n");
        for (const option_command_t *command = spec->commands; command->name;
             command++) {
            if (!command->help)
                continue;
            char left[128];
            snprintf (left, sizeof left, "%s %s", command->name,
                      command->arguments);
            s_help_line (stream, left, command->help);
        }
    }
    char config_help[512];
    snprintf (config_help, sizeof config_help,
              "%s (default $" OPTIONS_CATALOGUE_ENV ", else " APP_CATALOGUE_FILE
              " if it exists)",
              spec->config_help);
    fprintf (stream, "\nOptions:\n");
    for (size_t index = 0; index < spec->count; index++) {
        const option_t *entry = &spec->options[index];
        char left[128], help[1024], suffix[768];
        snprintf (
            left, sizeof left, "%c%c%c --%s%s%s", entry->letter ? '-' : ' ',
            entry->letter ? entry->letter : ' ', entry->letter ? ',' : ' ',
            entry->name, entry->argument ? " " : "",
            entry->argument ? entry->argument : "");
        s_help_suffix (entry, suffix, sizeof suffix);
        snprintf (help, sizeof help, "%s%s", entry->help, suffix);
        s_help_line (stream, left, help);
    }
    for (int index = 0; index < S_STANDARD_COUNT; index++)
        s_help_line (stream, s_standard[index].left,
                     index == S_CONFIG ? config_help : s_standard[index].help);
    if (spec->notes) {
        fputc ('\n', stream);
        s_wrap (stream, spec->notes, 0, 0);
    }
    fprintf (stream, "\nExit status:\n");
    for (const option_exit_t *exit = spec->exits; exit->meaning; exit++) {
        int at = fprintf (stream, "  %-4d ", exit->status);
        s_wrap (stream, exit->meaning, at, at);
    }
}
