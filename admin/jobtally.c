/*  jobtally.c — the jobtally admin program (docs/security.md,
    docs/operations.md).

    jobtally keygen NAME [--dir DIR]
    jobtally keys list [-c FILE] [--keys DIR]
    jobtally keys revoke NAME [-c FILE] [--keys DIR]
    jobtally doctor [-c FILE] [--keys DIR] [--state DIR] [--user NAME]

    keygen writes a CURVE key pair as CZMQ certificate files, DIR/NAME.key
    (the public key, for the city) and DIR/NAME.key_secret (mode 0600,
    stays at the site), and prints the public key as a catalogue line.
    keys (keys.c) lists and revokes the keys the city admits; doctor
    (doctor.c) checks an installation. */

#include <czmq.h>

#include "wording.h"
#include "app.h"
#include "doctor.h"
#include "keys.h"
#include "options.h"
#include "security.h"

#define PROGRAM "jobtally"
#define EXIT_FAILED 1

typedef struct {
    const char *dir;   //  keygen --dir
    const char *keys;  //  --keys: the key directory
    const char *state; //  doctor --state: holds each program's state
    const char *user;  //  doctor --user: who must write the state
} admin_options_t;

static const option_t s_options[] = {
    {.name = "dir",
     .letter = 'd',
     .type = OPTION_PATH,
     .offset = offsetof (admin_options_t, dir),
     .argument = "DIR",
     .fallback = ".",
     .help = "where keygen writes; created if missing"},
    {.name = "keys",
     .type = OPTION_PATH,
     .offset = offsetof (admin_options_t, keys),
     .argument = "DIR",
     .fallback = APP_KEY_DIR,
     .help = "the key directory: keys, doctor"},
    {.name = "state",
     .type = OPTION_PATH,
     .offset = offsetof (admin_options_t, state),
     .argument = "DIR",
     .fallback = JT_LOCALSTATEDIR "/lib/jobtally",
     .help = "doctor: where the aggregator/, collector/ and reporter/ state "
             "directories are"},
    {.name = "user",
     .type = OPTION_STRING,
     .offset = offsetof (admin_options_t, user),
     .argument = "NAME",
     .fallback = "jobtally",
     .help = "doctor: the service user that must own the state directories "
             "(when that account exists)"}};

static const char *const s_usage[] = {
    "keygen NAME [--dir DIR]", "keys list [-c FILE] [--keys DIR]",
    "keys revoke NAME [-c FILE] [--keys DIR]",
    "doctor [-c FILE] [--keys DIR] [--state DIR] [--user NAME]", NULL};

static const option_command_t s_commands[] = {
    {"keygen", 1, "NAME",
     "make a CURVE key pair: DIR/NAME.key (public: give it to the city) and "
     "DIR/NAME.key_secret (mode 0600: it never leaves this site), and print "
     "the public key as a line to paste into the catalogue: public_key = "
     "\"...\". NAME is an id (lower-case letters, digits, _ - .); existing "
     "files are never overwritten."},
    {"keys list", 0, "",
     "list every key the city admits: name, role, where it is listed (the "
     "catalogue or a key file) and the public key"},
    {"keys revoke", 1, "NAME",
     "move NAME's public key out of the key directory (into revoked/): a "
     "running aggregator refuses it within a second"},
    {"doctor", 0, "",
     "check the catalogue, the keys, the state directories, the ports and "
     "the clock: one line each, ok or what to fix"},
    {NULL, 0, NULL, NULL}};

static const option_exit_t s_exits[] = {
    {EXIT_SUCCESS, "done (doctor: every check ok)"},
    {EXIT_FAILED, "failed, the reason on standard error (doctor: something "
                  "to fix)"},
    {OPTIONS_EXIT_USAGE, "usage or configuration error"},
    {0, NULL}};

static const options_spec_t s_spec = {
    .program = PROGRAM,
    .usage = s_usage,
    .about = "Administers a jobtally installation.",
    .commands = s_commands,
    .options = s_options,
    .count = sizeof s_options / sizeof s_options[0],
    .config_help = "the catalogue: keys, doctor, --check-config",
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

//  The catalogue's site part, when a catalogue is given or installed;
//  *failed when it is given but cannot be read (told).
static site_t *
s_site (const char *path, bool *failed)
{
    site_t *site = path ? app_load_site (path) : NULL;
    *failed = path && !site;
    return site;
}

//  keys list and keys revoke NAME.
static int
s_keys (const admin_options_t *options, const char *catalogue,
        const char *command, const char *name)
{
    bool failed;
    site_t *site = s_site (catalogue, &failed);
    int rc = failed ? -1
             : streq (command, "keys list")
                 ? keys_list (stdout, site, catalogue, options->keys)
                 : keys_revoke (stdout, site, catalogue, options->keys, name);
    site_destroy (&site);
    if (failed)
        return OPTIONS_EXIT_USAGE;
    return rc == 0 && fflush (stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILED;
}

int
main (int argc, char *argv[])
{
    admin_options_t options;
    options_t *parser = options_new (&s_spec, &options);
    int status = options_parse (parser, argc, argv);
    const char *command = options_command (parser);
    if (status == OPTIONS_GO_ON && streq (command, "keygen"))
        status = s_keygen (options.dir, options_argument (parser, 0));
    else if (status == OPTIONS_GO_ON && streq (command, "doctor")) {
        doctor_config_t config = {.catalogue = options_config (parser),
                                  .key_dir = options.keys,
                                  .state_root = options.state,
                                  .user = options.user,
                                  .now = time (NULL)};
        status = doctor_run (stdout, &config) ? EXIT_FAILED : EXIT_SUCCESS;
    } else if (status == OPTIONS_GO_ON)
        status = s_keys (&options, options_config (parser), command,
                         streq (command, "keys revoke")
                             ? options_argument (parser, 0)
                             : NULL);
    options_destroy (&parser);
    return status;
}
