/*  test_e2e_admin.c — the admin program as an operator runs it: keys list
    names every admitted key and where it is listed, keys revoke moves a
    key file out of the aggregator's reach, and doctor says ok or what to
    fix, line by line, with a port held by another process named. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <czmq.h>
#include <sys/stat.h>
#include "e2e.h"

//  A small site: two sources, one subscriber listed in the catalogue.
static const char *s_catalogue = "catalogue\n"
                                 "    year = 2003\n"
                                 "regions\n"
                                 "    heihe = \"Heihe City\"\n"
                                 "        heihe.aihui = \"Aihui District\"\n"
                                 "        heihe.sunwu = \"Sunwu County\"\n"
                                 "indicators\n"
                                 "    employed_new\n"
                                 "        time = flow\n"
                                 "sources\n"
                                 "    aihui\n"
                                 "        regions = \"heihe.aihui\"\n"
                                 "    sunwu\n"
                                 "        regions = \"heihe.sunwu\"\n"
                                 "endpoints\n"
                                 "    collect = \"tcp://127.0.0.1:%d\"\n"
                                 "    publish = \"tcp://127.0.0.1:*\"\n"
                                 "    query = \"tcp://127.0.0.1:*\"\n"
                                 "    alerts = \"tcp://192.0.2.1:5563\"\n"
                                 "subscribers\n"
                                 "    watcher\n"
                                 "        public_key = \"%s\"\n";

typedef struct {
    char *dir;           //  the site's files
    char keys[256];      //  the key directory
    char catalogue[256]; //  the catalogue file
    char watcher[41];    //  the catalogue's subscriber key
    char aihui[41];      //  collectors/aihui.key
    char aggregator[41]; //  aggregator.key
    zsock_t *holder;     //  a stranger holding the collect port
    int port;            //  that port
} site_t;

//  Make a key pair NAME in dir and return its public key (Z85) in key.
static void
s_keygen (const char *dir, const char *name, char key[41])
{
    char *out = NULL;
    assert_int_equal (
        e2e_run (&out, NULL, "jobtally", "keygen %s --dir %s", name, dir), 0);
    assert_int_equal (sscanf (out, "public_key = \"%40[^\"]\"", key), 1);
    free (out);
}

static int
s_setup (void **state)
{
    site_t *site = (site_t *)zmalloc (sizeof (site_t));
    char pattern[] = "/tmp/jobtally-admin-XXXXXX";
    site->dir = strdup (mkdtemp (pattern));
    snprintf (site->keys, sizeof site->keys, "%s/keys", site->dir);
    char collectors[300];
    snprintf (collectors, sizeof collectors, "%s/collectors", site->keys);
    s_keygen (site->keys, "aggregator", site->aggregator);
    s_keygen (collectors, "aihui", site->aihui);
    char strangers[300];
    snprintf (strangers, sizeof strangers, "%s/strangers", site->dir);
    s_keygen (strangers, "watcher", site->watcher);
    //  Another program holds the port the catalogue gives collect.
    site->holder = zsock_new (ZMQ_PULL);
    site->port = zsock_bind (site->holder, "tcp://127.0.0.1:*");
    assert_true (site->port > 0);
    char *text = zsys_sprintf (s_catalogue, site->port, site->watcher);
    snprintf (site->catalogue, sizeof site->catalogue, "%s",
              e2e_write (site->dir, "site.zpl", text));
    freen (text);
    *state = site;
    return 0;
}

static int
s_teardown (void **state)
{
    site_t *site = (site_t *)*state;
    zsock_destroy (&site->holder);
    char command[300];
    snprintf (command, sizeof command, "rm -rf %s", site->dir);
    assert_int_equal (system (command), 0);
    free (site->dir);
    free (site);
    return 0;
}

static void
test_keys_list_names_each_key_and_where_it_is_listed (void **state)
{
    site_t *site = (site_t *)*state;
    char *out = NULL;
    assert_int_equal (e2e_run (&out, NULL, "jobtally",
                               "keys list -c %s --keys %s", site->catalogue,
                               site->keys),
                      0);
    char aggregator_file[300], aihui_file[300], listed[300];
    snprintf (aggregator_file, sizeof aggregator_file, "%s/aggregator.key",
              site->keys);
    snprintf (aihui_file, sizeof aihui_file, "%s/collectors/aihui.key",
              site->keys);
    snprintf (listed, sizeof listed, "%s: subscribers", site->catalogue);
    int width = (int)MAX (strlen (aihui_file), strlen (listed));
    char *expected = zsys_sprintf (
        "NAME        ROLE        %-*s  PUBLIC KEY\n"
        "watcher     subscriber  %-*s  %s\n"
        "aggregator  aggregator  %-*s  %s\n"
        "aihui       collector   %-*s  %s\n"
        "1 collector key, 1 subscriber key admitted\n",
        width, "LISTED IN", width, listed, site->watcher, width,
        aggregator_file, site->aggregator, width, aihui_file, site->aihui);
    assert_string_equal (out, expected);
    freen (expected);
    free (out);
}

static void
test_keys_revoke_moves_the_key_out_and_says_why_it_cannot (void **state)
{
    site_t *site = (site_t *)*state;
    char *out = NULL, *err = NULL;
    assert_int_equal (e2e_run (&out, NULL, "jobtally",
                               "keys revoke aihui -c %s --keys %s",
                               site->catalogue, site->keys),
                      0);
    char from[300], to[300];
    snprintf (from, sizeof from, "%s/collectors/aihui.key", site->keys);
    snprintf (to, sizeof to, "%s/revoked/collectors/aihui.key", site->keys);
    assert_false (zsys_file_exists (from));
    assert_true (zsys_file_exists (to));
    char expected[1024];
    snprintf (expected, sizeof expected, "revoked aihui: %s moved to %s\n",
              from, to);
    assert_int_equal (strncmp (out, expected, strlen (expected)), 0);
    free (out);
    //  The list no longer has it.
    assert_int_equal (e2e_run (&out, NULL, "jobtally",
                               "keys list -c %s --keys %s", site->catalogue,
                               site->keys),
                      0);
    assert_null (strstr (out, site->aihui));
    assert_non_null (
        strstr (out, "0 collector keys, 1 subscriber key admitted\n"));
    free (out);
    //  A key the catalogue lists can only be taken out by editing it.
    assert_int_equal (e2e_run (NULL, &err, "jobtally",
                               "keys revoke watcher -c %s --keys %s",
                               site->catalogue, site->keys),
                      1);
    snprintf (expected, sizeof expected,
              "jobtally: watcher is also listed in %s under subscribers with "
              "its public_key: remove it there, or the aggregator still "
              "admits it\n",
              site->catalogue);
    assert_string_equal (err, expected);
    free (err);
    //  No such key.
    assert_int_equal (e2e_run (NULL, &err, "jobtally",
                               "keys revoke nobody -c %s --keys %s",
                               site->catalogue, site->keys),
                      1);
    snprintf (expected, sizeof expected,
              "jobtally: no key named nobody in %s/collectors or "
              "%s/subscribers\n",
              site->keys, site->keys);
    assert_string_equal (err, expected);
    free (err);
}

//  The line of out that starts with prefix, as a fresh string.
static char *
s_line (const char *out, const char *prefix)
{
    const char *at = strstr (out, prefix);
    if (!at)
        return NULL;
    return strndup (at, strcspn (at, "\n"));
}

static void
test_doctor_says_ok_or_what_to_fix_line_by_line (void **state)
{
    site_t *site = (site_t *)*state;
    char state_root[300], aggregator_state[320];
    snprintf (state_root, sizeof state_root, "%s/state", site->dir);
    snprintf (aggregator_state, sizeof aggregator_state, "%s/aggregator",
              state_root);
    assert_int_equal (zsys_dir_create ("%s", aggregator_state), 0);
    char *out = NULL;
    //  The stranger on the collect port is to be fixed: exit 1.
    assert_int_equal (
        e2e_run (&out, NULL, "jobtally",
                 "doctor -c %s --keys %s --state %s --user no-such-user",
                 site->catalogue, site->keys, state_root),
        1);
    char expected[1024];
    //  Each check's line: what it starts with, and the whole of it; both
    //  name the one path given beside them.
    const char *lines[][3] = {
        {"ok    catalogue:",
         "ok    catalogue: %s is valid: 3 regions, 1 indicator, 2 sources",
         site->catalogue},
        {"ok    keys: /",
         "ok    keys: %s/aggregator.key_secret is private "
         "(mode 0600)",
         site->keys},
        {"ok    keys: 1",
         "ok    keys: 1 collector key, 1 subscriber key "
         "admitted%s",
         ""},
        {"ok    state: %s/aggregator",
         "ok    state: %s/aggregator writable by this user", state_root},
        {"ok    state: %s/collector",
         "ok    state: %s/collector absent: the collector makes it at its "
         "first start",
         state_root},
        {"ok    port: publish",
         "ok    port: publish tcp://127.0.0.1:* is not "
         "a fixed TCP port, nothing to check%s",
         ""},
        {"ok    port: alerts",
         "ok    port: alerts tcp://192.0.2.1:5563 is "
         "another machine's: this site connects to it%s",
         ""}};
    for (size_t index = 0; index < sizeof lines / sizeof *lines; index++) {
        char prefix[400];
        snprintf (prefix, sizeof prefix, lines[index][0], lines[index][2]);
        snprintf (expected, sizeof expected, lines[index][1], lines[index][2]);
        char *line = s_line (out, prefix);
        assert_non_null (line);
        assert_string_equal (line, expected);
        free (line);
    }
    //  The holder is this test program, not jobtally.
    snprintf (
        expected, sizeof expected,
        "fix   port: collect tcp://127.0.0.1:%d is held by test_e2e_admin "
        "(pid %d): stop it, or give endpoints/collect another port in "
        "the catalogue",
        site->port, (int)getpid ());
    char *line = s_line (out, "fix   port: collect");
    assert_non_null (line);
    assert_string_equal (line, expected);
    free (line);
    line = s_line (out, "ok    clock: reads 20");
    assert_non_null (line);
    free (line);
    free (out);
    //  A secret key others can read is to be fixed too.
    char secret[300];
    snprintf (secret, sizeof secret, "%s/aggregator.key_secret", site->keys);
    assert_int_equal (chmod (secret, 0644), 0);
    zsock_destroy (&site->holder);
    assert_int_equal (
        e2e_run (&out, NULL, "jobtally",
                 "doctor -c %s --keys %s --state %s --user no-such-user",
                 site->catalogue, site->keys, state_root),
        1);
    snprintf (expected, sizeof expected,
              "fix   keys: %s has mode 0644, readable by others: chmod 600 %s",
              secret, secret);
    line = s_line (out, "fix   keys:");
    assert_non_null (line);
    assert_string_equal (line, expected);
    free (line);
    //  The port is free now; that was the only other fix.
    snprintf (expected, sizeof expected,
              "ok    port: collect tcp://127.0.0.1:%d is free", site->port);
    line = s_line (out, "ok    port: collect");
    assert_non_null (line);
    assert_string_equal (line, expected);
    free (line);
    free (out);
    assert_int_equal (chmod (secret, 0600), 0);
    assert_int_equal (
        e2e_run (&out, NULL, "jobtally",
                 "doctor -c %s --keys %s --state %s --user no-such-user",
                 site->catalogue, site->keys, state_root),
        0);
    assert_null (strstr (out, "fix "));
    free (out);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (
            test_keys_list_names_each_key_and_where_it_is_listed, s_setup,
            s_teardown),
        cmocka_unit_test_setup_teardown (
            test_keys_revoke_moves_the_key_out_and_says_why_it_cannot, s_setup,
            s_teardown),
        cmocka_unit_test_setup_teardown (
            test_doctor_says_ok_or_what_to_fix_line_by_line, s_setup,
            s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
