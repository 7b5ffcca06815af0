/*  jobtally.c — the jobtally admin program (docs/security.md).

    jobtally keygen NAME [--dir DIR]

    writes a CURVE key pair as CZMQ certificate files, DIR/NAME.key (the
    public key, for the city) and DIR/NAME.key_secret (mode 0600, stays at
    the site), and prints the public key as a catalogue line. */

#include <czmq.h>
#include <getopt.h>

#include "security.h"

#define PROGRAM "jobtally"
#define EXIT_FAILED 1
#define EXIT_USAGE 2

// clang-format off
static void
s_usage (FILE *stream)
{
    fprintf (stream,
"Usage: " PROGRAM " keygen NAME [--dir DIR]\n"
"\n"
"Administers a jobtally installation.\n"
"\n"
"Commands:\n"
"  keygen NAME    make a CURVE key pair: DIR/NAME.key (public: give it to\n"
"                 the city) and DIR/NAME.key_secret (mode 0600: it never\n"
"                 leaves this site), and print the public key as a line to\n"
"                 paste into the catalogue:  public_key = \"...\"\n"
"                 NAME is an id (lower-case letters, digits, _ - .); existing\n"
"                 files are never overwritten.\n"
"\n"
"Options:\n"
"  -d, --dir DIR  where keygen writes (default: the current directory;\n"
"                 created if missing)\n"
"  -h, --help     show this help\n"
"      --version  show the version\n"
"\n"
"Exit status: 0 done; 1 failed (the reason is on standard error); 2 usage.\n");
}
// clang-format on

static int
s_usage_error (const char *message)
{
    fprintf (stderr, PROGRAM ": %s\nTry '" PROGRAM " --help'.\n", message);
    return EXIT_USAGE;
}

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
    enum { OPT_VERSION = 256 };
    static const struct option longs[] = {
        {"dir", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0}};
    const char *dir = ".";
    opterr = 0;
    int option;
    while ((option = getopt_long (argc, argv, "d:h", longs, NULL)) != -1) {
        switch (option) {
        case 'd':
            dir = optarg;
            break;
        case 'h':
            s_usage (stdout);
            return EXIT_SUCCESS;
        case OPT_VERSION:
            printf (PROGRAM " " JT_VERSION "\n");
            return EXIT_SUCCESS;
        default: {
            char message[200];
            if (optopt == 'd')
                snprintf (message, sizeof message, "%s needs a value",
                          argv[optind - 1]);
            else
                snprintf (message, sizeof message, "unknown option %s",
                          argv[optind - 1]);
            return s_usage_error (message);
        }
        }
    }
    if (optind >= argc)
        return s_usage_error ("no command given");
    const char *command = argv[optind];
    int count = argc - optind - 1;
    if (streq (command, "keygen")) {
        if (count != 1)
            return s_usage_error ("keygen takes one NAME");
        if (!*dir)
            return s_usage_error ("--dir needs a directory");
        return s_keygen (dir, argv[optind + 1]);
    }
    char message[200];
    snprintf (message, sizeof message, "unknown command '%s'", command);
    return s_usage_error (message);
}
