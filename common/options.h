/*  options.h — one typed table of a program's options, from which its
    getopt_long parser, its --help and its --check-config are all made.

    Each program describes itself once (options_spec_t): its usage lines,
    its commands, a table of options (option_t) and its exit statuses. An
    entry says where its value goes in the program's own struct (offsetof),
    of what type, within which bounds, with which default, and which
    environment variable and catalogue key may give it. A value is taken
    from the first of: the flag, the environment variable, the catalogue
    key, the default. As in Redis's config table, the rules of a setting
    live in its entry, not in code written per flag.

    Every program also gets the same five standard options from here:
    -c/--config FILE, --check-config[=FILE], -v/--verbose, -h/--help and
    -V/--version. --help and -V print to stdout and exit 0; --check-config
    loads the catalogue, resolves every option it gives, prints "FILE: ok"
    and exits 0, or prints "file:line: reason" and exits 2; a usage error
    prints "program: reason" and "Try 'program --help'." and exits 2. */
#ifndef JT_OPTIONS_H_INCLUDED
#define JT_OPTIONS_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "catalogue.h"
#include "site.h"

//  What a value is, and so the C type of the field at the entry's offset.
typedef enum {
    OPTION_FLAG,     //  bool: given or not; yes or no from env or catalogue
    OPTION_STRING,   //  const char *: any text, borrowed
    OPTION_PATH,     //  const char *: a file or directory, not empty
    OPTION_ENDPOINT, //  const char *: a ZeroMQ endpoint, transport://address
    OPTION_INT,      //  int: a whole number within the bounds
    OPTION_INT64,    //  int64_t: a whole number within the bounds
    OPTION_DECIMAL,  //  double: a number, fractions allowed, within bounds
    OPTION_ENUM      //  int: the index in words of the word given
} option_type_t;

//  What one of a number is: shown in --help; bytes also takes k, M or G.
typedef enum {
    OPTION_UNIT_NONE,
    OPTION_UNIT_MILLISECONDS,
    OPTION_UNIT_SECONDS,
    OPTION_UNIT_BYTES //  digits, then k, M or G (powers of 1024), then B
} option_unit_t;

//  One option. Defaults and bounds are written as a user would type them
//  ("1G", "86400"), so --help and the errors show them as they are.
typedef struct {
    const char *name;         //  long name without dashes: "heartbeat"
    char letter;              //  short letter, or 0
    option_type_t type;       //  what the value is
    option_unit_t unit;       //  numbers: what one is
    size_t offset;            //  offsetof the value in the values struct
    const char *argument;     //  its argument in --help: "MS", "FILE"
    const char *fallback;     //  the default, or NULL (zero, false, NULL)
    bool if_exists;           //  the default is a path, used only if it exists
    const char *min;          //  numbers: the least accepted, or NULL
    const char *max;          //  numbers: the most accepted, or NULL
    const char *const *words; //  OPTION_ENUM: the words, NULL-terminated
    const char *key;          //  catalogue key "section/key", or NULL
    const char *env;          //  environment variable, or NULL
    const char *help;         //  what it does
} option_t;

//  A command word and the arguments it takes.
typedef struct {
    const char *name;      //  "import"
    int count;             //  how many arguments follow it
    const char *arguments; //  their names: "FILE|-", or "" for none
    const char *help;      //  what it does; NULL: not listed under Commands
} option_command_t;

//  One line of the exit-status section.
typedef struct {
    int status;
    const char *meaning;
} option_exit_t;

//  A program as its user sees it.
typedef struct {
    const char *program;              //  "jobtally-collector"
    const char *const *usage;         //  synopses after the name, NULL-ended
    const char *about;                //  what the program does
    const option_command_t *commands; //  ended by a NULL name; NULL: none
    const option_t *options;          //  the program's own table
    size_t count;                     //  entries in options
    const char *config_help;          //  -c's help: what the catalogue is for
    bool config_required;             //  -c is needed (except for --help...)
    const char *notes;                //  a paragraph after the options, or NULL
    const option_exit_t *exits;       //  ended by a NULL meaning
    //  A further part of the catalogue file that --check-config reads,
    //  after the domain and before the site: each program gives the
    //  wording's reader (wording_check, reporter/wording.h), so that a
    //  mistake in the reporter's part is caught wherever the file is
    //  checked. True when the text holds; else false with a fresh
    //  "file:line: reason" in *error. NULL: no further part.
    bool (*check_part) (const char *text, const char *path,
                        const catalogue_t *catalogue, char **error);
} options_spec_t;

//  Where a value came from.
typedef enum {
    OPTION_FROM_DEFAULT,
    OPTION_FROM_CATALOGUE,
    OPTION_FROM_ENV,
    OPTION_FROM_FLAG
} option_origin_t;

//  options_parse's answer when the program is to go on.
#define OPTIONS_GO_ON (-1)

//  Where the catalogue is when no -c is given; else the installed one
//  (APP_CATALOGUE_FILE, common/app.h) if it exists.
#define OPTIONS_CATALOGUE_ENV "JOBTALLY_CATALOGUE"

//  The exit status of a usage or configuration error, in every program.
#define OPTIONS_EXIT_USAGE 2

typedef struct _options_t options_t;

//  A parser for spec that writes into values, the program's struct laid
//  out as the table's offsets say. Both are borrowed and must outlive it.
options_t *options_new (const options_spec_t *spec, void *values);

//  Destroy the parser; NULL-safe.
void options_destroy (options_t **self_p);

//  Parse argv and the environment: every entry's value is written, from
//  its flag, else its environment variable, else its default (a catalogue
//  key comes later, with options_resolve). Returns OPTIONS_GO_ON, or the
//  exit status when the program is done: 0 after --help, --version or a
//  good --check-config, 2 after a usage error (told on stderr). argv's
//  strings are borrowed by the values.
int options_parse (options_t *self, int argc, char *argv[]);

//  Give every option with a catalogue key that was set by neither its flag
//  nor its environment variable the value the file's site part
//  (common/site.h: endpoints, security) gives, when it has one. Returns
//  0, or -1 with "file: section/key: reason" on stderr. The site's
//  strings are borrowed by the values.
int options_resolve (options_t *self, const site_t *site);

//  -c FILE, or NULL. Borrowed.
const char *options_config (const options_t *self);

//  True when -v was given.
bool options_verbose (const options_t *self);

//  The command word given, or NULL for a program without commands.
const char *options_command (const options_t *self);

//  The index-th argument after the command (or, without commands, none).
//  Borrowed from argv.
const char *options_argument (const options_t *self, int index);

//  Where the value of the index-th entry of the table came from.
option_origin_t options_origin (const options_t *self, size_t index);

//  Write --help: usage lines, about, commands, options with their defaults
//  and bounds, notes, and the exit-status section.
void options_help (const options_t *self, FILE *stream);

//  Tell a usage error found after parsing: "program: reason" and "Try
//  'program --help'." on stderr. Returns 2.
int options_usage_error (const options_t *self, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

#endif
