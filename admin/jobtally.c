/*  jobtally.c — the jobtally admin program (docs/security.md).

    jobtally keygen NAME [--dir DIR]

    writes a CURVE key pair as CZMQ certificate files, DIR/NAME.key (the
    public key, for the city) and DIR/NAME.key_secret (mode 0600, stays at
    the site), and prints the public key as a catalogue line. */

#include <czmq.h>

#include "wording.h"
#include "options.h"
#include "security.h"

#define PROGRAM "jobtally"
#define EXIT_FAILED 1

typedef struct {
    const char *dir; //  keygen --dir
} admin_options_t;

static const option_t s_options[] = {
    {.name = "dir",
     .letter = 'd',
     .type = OPTION_PATH,
     .offset = offsetof (admin_options_t, dir),
     .argument = "DIR",
     .fallback = ".",
     .help = "where keygen writes; created if missing"}};

static const char *const s_usage[] = {"keygen NAME [--dir DIR]", NULL};

static const option_command_t s_commands[] = {
    {"keygen", 1, "NAME",
     "make a CURVE key pair: DIR/NAME.key (public: give it to the city) and "
     "DIR/NAME.key_secret (mode 0600: it never leaves this site), and print "
     "the public key as a line to paste into the catalogue: public_key = "
     "\"...\". NAME is an id (lower-case letters, digits, _ - .); existing "
     "files are never overwritten."},
    {NULL, 0, NULL, NULL}};

static const option_exit_t s_exits[] = {
    {EXIT_SUCCESS, "done"},
    {EXIT_FAILED, "failed (the reason is on standard error)"},
    {OPTIONS_EXIT_USAGE, "usage or configuration error"},
    {0, NULL}};

static const options_spec_t s_spec = {
    .program = PROGRAM,
    .usage = s_usage,
    .about = "Administers a jobtally installation.",
    .commands = s_commands,
    .options = s_options,
    .count = sizeof s_options / sizeof s_options[0],
    .config_help = "the catalogue, for --check-config",
    .exits = s_exits,
    .check_part = wording_check};

static int
s_keygen (const char *dir, const char *name)
{
    char *error = NULL;
    zcert_t *certificate = security_keygen (dir, name, &error);
    if (!certificate) {
        fprintf (stderr, PROGRAM ": %s\n", error);
        free (error);
        return EXIT_FAILED;
    }
    printf ("public_key = \"%s\"\n", zcert_public_txt (certificate));
    fprintf (stderr,
             PROGRAM ": wrote %s/%s.key (public) and %s/%s.key_secret "
                     "(secret, mode 0600)\n",
             dir, name, dir, name);
    zcert_destroy (&certificate);
    return fflush (stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILED;
}

int
main (int argc, char *argv[])
{
    admin_options_t options;
    options_t *parser = options_new (&s_spec, &options);
    int status = options_parse (parser, argc, argv);
    if (status == OPTIONS_GO_ON) //  keygen, the one command
        status = s_keygen (options.dir, options_argument (parser, 0));
    options_destroy (&parser);
    return status;
}
