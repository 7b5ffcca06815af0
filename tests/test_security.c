/*  test_security.c — CURVE certificates, the keyring, the reload
    fingerprint and a real ZAP round trip (common/security.c). Every test
    works in a fresh directory under /tmp that it removes. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <czmq.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "security.h"

//  A catalogue with two sources and one subscriber; %s are the public
//  keys of source aihui and subscriber ops.
static const char *s_catalogue_format = "catalogue\n"
                                        "    year = 2003\n"
                                        "regions\n"
                                        "    heihe\n"
                                        "        heihe.aihui\n"
                                        "        heihe.direct\n"
                                        "indicators\n"
                                        "    employed_new\n"
                                        "        time = flow\n"
                                        "sources\n"
                                        "    aihui\n"
                                        "        regions = heihe.aihui\n"
                                        "        public_key = \"%s\"\n"
                                        "    city\n"
                                        "        regions = heihe.direct\n"
                                        "subscribers\n"
                                        "    ops\n"
                                        "        public_key = \"%s\"\n";

//  A fresh empty directory; caller frees and removes it with s_remove.
static char *
s_temp_dir (void)
{
    char *dir = strdup ("/tmp/test_security.XXXXXX");
    assert_non_null (dir);
    assert_non_null (mkdtemp (dir));
    return dir;
}

static void
s_remove (char **dir_p)
{
    char *command = zsys_sprintf ("rm -rf '%s'", *dir_p);
    assert_int_equal (system (command), 0);
    free (command);
    free (*dir_p);
    *dir_p = NULL;
}

static void
s_write (const char *path, const char *text)
{
    FILE *file = fopen (path, "w");
    assert_non_null (file);
    fputs (text, file);
    assert_int_equal (fclose (file), 0);
}

static mode_t
s_mode (const char *path)
{
    struct stat status;
    assert_int_equal (stat (path, &status), 0);
    return status.st_mode & 07777;
}

static site_t *
s_site (const char *source_key, const char *subscriber_key)
{
    char *text = zsys_sprintf (s_catalogue_format, source_key, subscriber_key);
    char *error = NULL;
    site_t *site = site_new (text, "x.zpl", &error);
    if (!site)
        fail_msg ("%s", error);
    free (text);
    return site;
}

static void
test_keygen (void **state)
{
    (void)state;
    char *dir = s_temp_dir ();
    char *error = NULL;
    zcert_t *made = security_keygen (dir, "aihui", &error);
    assert_non_null (made);
    assert_null (error);

    char *public_path = zsys_sprintf ("%s/aihui.key", dir);
    char *secret_path = zsys_sprintf ("%s/aihui.key_secret", dir);
    assert_int_equal (s_mode (secret_path), 0600);

    zcert_t *loaded = security_load_public (public_path, &error);
    assert_non_null (loaded);
    assert_string_equal (zcert_public_txt (loaded), zcert_public_txt (made));
    zcert_destroy (&loaded);

    loaded = security_load_secret (secret_path, &error);
    assert_non_null (loaded);
    assert_true (zcert_eq (loaded, made));
    assert_string_equal (zcert_secret_txt (loaded), zcert_secret_txt (made));
    zcert_destroy (&loaded);

    //  Naming the public file finds its _secret companion.
    loaded = security_load_secret (public_path, &error);
    assert_non_null (loaded);
    assert_true (zcert_eq (loaded, made));
    zcert_destroy (&loaded);

    //  Never overwrite a key; never take a name that is not an id.
    assert_null (security_keygen (dir, "aihui", &error));
    char *expected =
        zsys_sprintf ("%s: already exists; not overwriting a key", public_path);
    assert_string_equal (error, expected);
    free (expected);
    free (error);
    loaded = security_load_secret (secret_path, &error);
    assert_true (zcert_eq (loaded, made));
    zcert_destroy (&loaded);

    assert_null (security_keygen (dir, "../aihui", &error));
    assert_string_equal (error, "bad key name '../aihui' (use 1-64 lower-case "
                                "letters, digits, '_', '-' and '.')");
    free (error);
    assert_null (security_keygen (dir, "Aihui", &error));
    free (error);

    //  A missing directory is made.
    char *nested = zsys_sprintf ("%s/a/b", dir);
    zcert_t *other = security_keygen (nested, "city", &error);
    assert_non_null (other);
    assert_false (zcert_eq (other, made));
    zcert_destroy (&other);
    free (nested);

    zcert_destroy (&made);
    free (public_path);
    free (secret_path);
    s_remove (&dir);
}

//  The jobtally program prints a line ready for the catalogue. Skipped when
//  the program has not been built (only the test target was).
static void
test_keygen_program (void **state)
{
    (void)state;
    const char *program = JT_BINARY_DIR "/jobtally";
    if (access (program, X_OK))
        skip ();
    char *dir = s_temp_dir ();
    char *command =
        zsys_sprintf ("%s keygen aihui --dir '%s' 2>/dev/null", program, dir);
    FILE *output = popen (command, "r");
    assert_non_null (output);
    char line[200] = "";
    assert_non_null (fgets (line, sizeof line, output));
    assert_int_equal (pclose (output), 0);
    free (command);

    char *path = zsys_sprintf ("%s/aihui.key_secret", dir);
    assert_int_equal (s_mode (path), 0600);
    char *error = NULL;
    zcert_t *loaded = security_load_secret (path, &error);
    assert_non_null (loaded);
    char *expected =
        zsys_sprintf ("public_key = \"%s\"\n", zcert_public_txt (loaded));
    assert_string_equal (line, expected);
    free (expected);
    zcert_destroy (&loaded);
    free (path);

    //  A second run refuses to overwrite: exit status 1.
    command = zsys_sprintf ("%s keygen aihui --dir '%s' >/dev/null 2>&1",
                            program, dir);
    int status = system (command);
    assert_true (WIFEXITED (status));
    assert_int_equal (WEXITSTATUS (status), 1);
    free (command);
    command = zsys_sprintf ("%s keygen >/dev/null 2>&1", program);
    status = system (command);
    assert_int_equal (WEXITSTATUS (status), 2);
    free (command);
    s_remove (&dir);
}

static void
test_load_secret_refusals (void **state)
{
    (void)state;
    char *dir = s_temp_dir ();
    char *error = NULL;
    zcert_t *made = security_keygen (dir, "aihui", &error);
    assert_non_null (made);
    char *secret_path = zsys_sprintf ("%s/aihui.key_secret", dir);

    assert_int_equal (chmod (secret_path, 0644), 0);
    assert_null (security_load_secret (secret_path, &error));
    char *expected = zsys_sprintf ("%s: permissions 0644 are too open (must "
                                   "be 0600 or stricter)",
                                   secret_path);
    assert_string_equal (error, expected);
    free (expected);
    free (error);

    assert_int_equal (chmod (secret_path, 0640), 0);
    assert_null (security_load_secret (secret_path, &error));
    free (error);

    assert_int_equal (chmod (secret_path, 0400), 0);
    zcert_t *loaded = security_load_secret (secret_path, &error);
    assert_non_null (loaded);
    zcert_destroy (&loaded);

    //  A missing file.
    char *missing = zsys_sprintf ("%s/nothing.key_secret", dir);
    assert_null (security_load_secret (missing, &error));
    expected =
        zsys_sprintf ("%s: cannot open: No such file or directory", missing);
    assert_string_equal (error, expected);
    free (expected);
    free (error);
    free (missing);

    //  A public certificate under a secret name.
    char *public_only = zsys_sprintf ("%s/public.key_secret", dir);
    zcert_save_public (made, public_only);
    assert_int_equal (chmod (public_only, 0600), 0);
    assert_null (security_load_secret (public_only, &error));
    expected =
        zsys_sprintf ("%s: no secret key (curve/secret-key)", public_only);
    assert_string_equal (error, expected);
    free (expected);
    free (error);
    free (public_only);

    //  Not a certificate at all, for either loader.
    char *junk = zsys_sprintf ("%s/junk.key", dir);
    s_write (junk, "hello\n");
    assert_null (security_load_public (junk, &error));
    expected = zsys_sprintf ("%s: no public key (curve/public-key)", junk);
    assert_string_equal (error, expected);
    free (expected);
    free (error);
    free (junk);

    zcert_destroy (&made);
    free (secret_path);
    s_remove (&dir);
}

static void
test_keyring (void **state)
{
    (void)state;
    char *dir = s_temp_dir ();
    zcert_t *aihui = zcert_new ();    //  in the catalogue
    zcert_t *city = zcert_new ();     //  KEYS/collectors/city.key
    zcert_t *ops = zcert_new ();      //  catalogue subscriber
    zcert_t *reporter = zcert_new (); //  KEYS/subscribers/x.key
    zcert_t *nowhere = zcert_new ();  //  KEYS/collectors/nowhere.key
    zcert_t *secret = zcert_new ();   //  KEYS/collectors/aihui.key_secret
    site_t *site = s_site (zcert_public_txt (aihui), zcert_public_txt (ops));

    char *path = zsys_sprintf ("%s/collectors", dir);
    assert_int_equal (mkdir (path, 0755), 0);
    free (path);
    path = zsys_sprintf ("%s/subscribers", dir);
    assert_int_equal (mkdir (path, 0755), 0);
    free (path);
    path = zsys_sprintf ("%s/collectors/city.key", dir);
    assert_int_equal (zcert_save_public (city, path), 0);
    free (path);
    path = zsys_sprintf ("%s/collectors/nowhere.key", dir);
    assert_int_equal (zcert_save_public (nowhere, path), 0);
    free (path);
    path = zsys_sprintf ("%s/collectors/aihui.key_secret", dir);
    assert_int_equal (zcert_save_secret (secret, path), 0);
    free (path);
    path = zsys_sprintf ("%s/subscribers/x.key", dir);
    assert_int_equal (zcert_save_public (reporter, path), 0);
    free (path);

    char *warnings = NULL;
    char *error = NULL;
    keyring_t *keyring = keyring_new (site, dir, &warnings, &error);
    assert_non_null (keyring);
    assert_null (error);
    char *expected = zsys_sprintf ("%s/collectors/nowhere.key: no source "
                                   "'nowhere' in the catalogue; skipped",
                                   dir);
    assert_string_equal (warnings, expected);
    free (expected);
    free (warnings);

    int aihui_index = site_source_find (site, "aihui");
    int city_index = site_source_find (site, "city");
    assert_int_equal (keyring_source (keyring, zcert_public_txt (aihui)),
                      aihui_index);
    assert_int_equal (keyring_source (keyring, zcert_public_txt (city)),
                      city_index);
    assert_int_equal (keyring_source (keyring, zcert_public_txt (nowhere)), -1);
    assert_int_equal (keyring_source (keyring, zcert_public_txt (secret)), -1);
    assert_true (keyring_subscriber (keyring, zcert_public_txt (ops)));
    assert_true (keyring_subscriber (keyring, zcert_public_txt (reporter)));
    //  A subscriber key is not a collector key, and the other way round.
    assert_int_equal (keyring_source (keyring, zcert_public_txt (reporter)),
                      -1);
    assert_int_equal (keyring_source (keyring, zcert_public_txt (ops)), -1);
    assert_false (keyring_subscriber (keyring, zcert_public_txt (aihui)));
    assert_false (keyring_subscriber (keyring, zcert_public_txt (city)));
    assert_int_equal (keyring_collector_count (keyring), 2);
    assert_int_equal (keyring_subscriber_count (keyring), 2);
    keyring_destroy (&keyring);
    keyring_destroy (&keyring);

    //  Without a key directory: the catalogue's keys only.
    keyring = keyring_new (site, NULL, &warnings, &error);
    assert_non_null (keyring);
    assert_null (warnings);
    assert_int_equal (keyring_collector_count (keyring), 1);
    assert_int_equal (keyring_subscriber_count (keyring), 1);
    keyring_destroy (&keyring);

    //  A missing subdirectory is empty; a missing key directory is an error.
    path = zsys_sprintf ("rm -rf '%s/subscribers'", dir);
    assert_int_equal (system (path), 0);
    free (path);
    keyring = keyring_new (site, dir, NULL, &error);
    assert_non_null (keyring);
    assert_false (keyring_subscriber (keyring, zcert_public_txt (reporter)));
    assert_int_equal (keyring_subscriber_count (keyring), 1);
    keyring_destroy (&keyring);
    path = zsys_sprintf ("%s/none", dir);
    assert_null (keyring_new (site, path, NULL, &error));
    expected = zsys_sprintf ("%s: not a readable key directory", path);
    assert_string_equal (error, expected);
    free (expected);
    free (error);
    free (path);

    //  A key file that is not a certificate is an error, not a skip.
    path = zsys_sprintf ("%s/collectors/city.key", dir);
    s_write (path, "curve\n    public-key = \"short\"\n");
    assert_null (keyring_new (site, dir, NULL, &error));
    expected = zsys_sprintf ("%s: no public key (curve/public-key)", path);
    assert_string_equal (error, expected);
    free (expected);
    free (error);
    free (path);

    site_destroy (&site);
    zcert_destroy (&aihui);
    zcert_destroy (&city);
    zcert_destroy (&ops);
    zcert_destroy (&reporter);
    zcert_destroy (&nowhere);
    zcert_destroy (&secret);
    s_remove (&dir);
}

//  Two sources may not share a key: the second listing is skipped.
static void
test_keyring_shared_key (void **state)
{
    (void)state;
    char *dir = s_temp_dir ();
    zcert_t *aihui = zcert_new ();
    zcert_t *ops = zcert_new ();
    site_t *site = s_site (zcert_public_txt (aihui), zcert_public_txt (ops));
    char *path = zsys_sprintf ("%s/collectors", dir);
    assert_int_equal (mkdir (path, 0755), 0);
    free (path);
    path = zsys_sprintf ("%s/collectors/city.key", dir);
    assert_int_equal (zcert_save_public (aihui, path), 0);

    char *warnings = NULL;
    keyring_t *keyring = keyring_new (site, dir, &warnings, NULL);
    assert_non_null (keyring);
    char *expected = zsys_sprintf ("%s: key is already the key of source "
                                   "'aihui'; skipped",
                                   path);
    assert_string_equal (warnings, expected);
    assert_int_equal (keyring_source (keyring, zcert_public_txt (aihui)),
                      site_source_find (site, "aihui"));
    assert_int_equal (keyring_collector_count (keyring), 1);
    free (expected);
    free (warnings);
    free (path);
    keyring_destroy (&keyring);
    site_destroy (&site);
    zcert_destroy (&aihui);
    zcert_destroy (&ops);
    s_remove (&dir);
}

static void
test_fingerprint (void **state)
{
    (void)state;
    char *dir = s_temp_dir ();
    char *catalogue_path = zsys_sprintf ("%s/city.zpl", dir);
    s_write (catalogue_path, "catalogue\n");
    char *keys = zsys_sprintf ("%s/keys", dir);
    char *collectors = zsys_sprintf ("%s/collectors", keys);
    assert_int_equal (mkdir (keys, 0755), 0);
    assert_int_equal (mkdir (collectors, 0755), 0);

    char *first = security_watch_fingerprint (catalogue_path, keys);
    char *again = security_watch_fingerprint (catalogue_path, keys);
    assert_string_equal (first, again);
    free (again);

    //  Adding a file.
    char *key_path = zsys_sprintf ("%s/aihui.key", collectors);
    s_write (key_path, "AAAA\n");
    char *added = security_watch_fingerprint (catalogue_path, keys);
    assert_string_not_equal (first, added);

    //  Rewriting it with the same size in the same second, and even with
    //  the very same mtime.
    struct stat before;
    assert_int_equal (stat (key_path, &before), 0);
    s_write (key_path, "BBBB\n");
    struct timespec times[2] = {before.st_atim, before.st_mtim};
    assert_int_equal (utimensat (AT_FDCWD, key_path, times, 0), 0);
    struct stat after;
    assert_int_equal (stat (key_path, &after), 0);
    assert_int_equal (after.st_size, before.st_size);
    assert_int_equal (after.st_mtim.tv_sec, before.st_mtim.tv_sec);
    assert_int_equal (after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
    char *rewritten = security_watch_fingerprint (catalogue_path, keys);
    assert_string_not_equal (added, rewritten);

    //  Deleting it.
    assert_int_equal (unlink (key_path), 0);
    char *deleted = security_watch_fingerprint (catalogue_path, keys);
    assert_string_not_equal (rewritten, deleted);

    //  Changing the catalogue; a subscribers directory appearing.
    s_write (catalogue_path, "catalogue\n    \n");
    char *edited = security_watch_fingerprint (catalogue_path, keys);
    assert_string_not_equal (deleted, edited);
    char *subscribers = zsys_sprintf ("%s/subscribers", keys);
    assert_int_equal (mkdir (subscribers, 0755), 0);
    char *made = security_watch_fingerprint (catalogue_path, keys);
    assert_string_not_equal (edited, made);

    free (first);
    free (added);
    free (rewritten);
    free (deleted);
    free (edited);
    free (made);
    free (subscribers);
    free (key_path);
    free (collectors);
    free (keys);
    free (catalogue_path);
    s_remove (&dir);
}

//  What the ZAP tests share: one handler for the process (the inproc
//  endpoint can be bound once), the server's certificate and a keyring.
typedef struct {
    zap_t *zap;          //  the handler under test
    zcert_t *server;     //  the aggregator's certificate
    zcert_t *collector;  //  listed as source aihui
    zcert_t *subscriber; //  listed as subscriber ops
    zcert_t *stranger;   //  listed nowhere
    site_t *site;
    keyring_t *keyring;
} s_zap_fixture_t;

static int
s_zap_setup (void **state)
{
    s_zap_fixture_t *fixture = calloc (1, sizeof (s_zap_fixture_t));
    assert_non_null (fixture);
    fixture->zap = zap_new ();
    assert_non_null (fixture->zap);
    fixture->server = zcert_new ();
    fixture->collector = zcert_new ();
    fixture->subscriber = zcert_new ();
    fixture->stranger = zcert_new ();
    fixture->site = s_site (zcert_public_txt (fixture->collector),
                            zcert_public_txt (fixture->subscriber));
    fixture->keyring = keyring_new (fixture->site, NULL, NULL, NULL);
    assert_non_null (fixture->keyring);
    *state = fixture;
    return 0;
}

static int
s_zap_teardown (void **state)
{
    s_zap_fixture_t *fixture = *state;
    keyring_destroy (&fixture->keyring);
    site_destroy (&fixture->site);
    zcert_destroy (&fixture->server);
    zcert_destroy (&fixture->collector);
    zcert_destroy (&fixture->subscriber);
    zcert_destroy (&fixture->stranger);
    zap_destroy (&fixture->zap);
    free (fixture);
    return 0;
}

//  A CURVE ROUTER for domain on a free loopback port; *endpoint is set.
static zsock_t *
s_server (s_zap_fixture_t *fixture, const char *domain, char **endpoint)
{
    zsock_t *server = zsock_new (ZMQ_ROUTER);
    assert_non_null (server);
    zsock_set_linger (server, 0);
    security_server_socket (server, fixture->server, domain);
    int port = zsock_bind (server, "tcp://127.0.0.1:*");
    assert_true (port > 0);
    *endpoint = zsys_sprintf ("tcp://127.0.0.1:%d", port);
    return server;
}

//  A DEALER with certificate that connects and sends "hello".
static zsock_t *
s_client (s_zap_fixture_t *fixture, zcert_t *certificate, const char *endpoint)
{
    zsock_t *client = zsock_new (ZMQ_DEALER);
    assert_non_null (client);
    zsock_set_linger (client, 0);
    security_client_socket (client, certificate,
                            zcert_public_txt (fixture->server));
    assert_int_equal (zsock_connect (client, "%s", endpoint), 0);
    assert_int_equal (zstr_send (client, "hello"), 0);
    return client;
}

//  Serve ZAP and wait up to timeout_ms for a message on server. Returns
//  the User-Id of the message's body as a fresh string, or NULL when
//  nothing arrived.
static char *
s_serve (s_zap_fixture_t *fixture, zsock_t *server, int timeout_ms)
{
    zpoller_t *poller = zpoller_new (zap_socket (fixture->zap), server, NULL);
    assert_non_null (poller);
    char *user_id = NULL;
    int64_t deadline = zclock_mono () + timeout_ms;
    while (!user_id && zclock_mono () < deadline) {
        void *which =
            zpoller_wait (poller, (int)(deadline - zclock_mono ()) + 1);
        if (which == zap_socket (fixture->zap))
            zap_handle (fixture->zap, fixture->keyring);
        else if (which == server) {
            zframe_t *routing_id = zframe_recv (server);
            zframe_t *body = zframe_recv (server);
            assert_non_null (body);
            assert_true (zframe_streq (body, "hello"));
            const char *meta = zframe_meta (body, "User-Id");
            user_id = strdup (meta ? meta : "(none)");
            zframe_destroy (&routing_id);
            zframe_destroy (&body);
        }
    }
    zpoller_destroy (&poller);
    return user_id;
}

static void
test_zap_collect (void **state)
{
    s_zap_fixture_t *fixture = *state;
    char *endpoint = NULL;
    zsock_t *server = s_server (fixture, SECURITY_DOMAIN_COLLECT, &endpoint);

    //  A listed collector gets in, known by its key.
    uint64_t refused = zap_refused (fixture->zap);
    zsock_t *client = s_client (fixture, fixture->collector, endpoint);
    char *user_id = s_serve (fixture, server, 5000);
    assert_non_null (user_id);
    assert_string_equal (user_id, zcert_public_txt (fixture->collector));
    assert_int_equal (zap_refused (fixture->zap), refused);
    free (user_id);
    zsock_destroy (&client);

    //  An unlisted key gets nothing through, and the refusal is counted.
    client = s_client (fixture, fixture->stranger, endpoint);
    assert_null (s_serve (fixture, server, 1000));
    assert_true (zap_refused (fixture->zap) > refused);
    zsock_destroy (&client);

    //  A subscriber's key is not a collector's.
    refused = zap_refused (fixture->zap);
    client = s_client (fixture, fixture->subscriber, endpoint);
    assert_null (s_serve (fixture, server, 1000));
    assert_true (zap_refused (fixture->zap) > refused);
    zsock_destroy (&client);

    //  Nor does a plain (NULL mechanism) client get in.
    client = zsock_new (ZMQ_DEALER);
    zsock_set_linger (client, 0);
    assert_int_equal (zsock_connect (client, "%s", endpoint), 0);
    zstr_send (client, "hello");
    assert_null (s_serve (fixture, server, 500));
    zsock_destroy (&client);

    zsock_destroy (&server);
    free (endpoint);
}

static void
test_zap_subscribe (void **state)
{
    s_zap_fixture_t *fixture = *state;
    char *endpoint = NULL;
    zsock_t *server = s_server (fixture, SECURITY_DOMAIN_SUBSCRIBE, &endpoint);

    zsock_t *client = s_client (fixture, fixture->subscriber, endpoint);
    char *user_id = s_serve (fixture, server, 5000);
    assert_non_null (user_id);
    assert_string_equal (user_id, zcert_public_txt (fixture->subscriber));
    free (user_id);
    zsock_destroy (&client);

    uint64_t refused = zap_refused (fixture->zap);
    client = s_client (fixture, fixture->collector, endpoint);
    assert_null (s_serve (fixture, server, 1000));
    assert_true (zap_refused (fixture->zap) > refused);
    zsock_destroy (&client);

    zsock_destroy (&server);
    free (endpoint);
}

//  Send frames to the handler as a ZAP client would and return the reply.
static zmsg_t *
s_zap_request (s_zap_fixture_t *fixture, zmsg_t **request_p)
{
    zsock_t *client = zsock_new (ZMQ_REQ);
    assert_non_null (client);
    zsock_set_linger (client, 0);
    assert_int_equal (zsock_connect (client, "inproc://zeromq.zap.01"), 0);
    assert_int_equal (zmsg_send (request_p, client), 0);
    zpoller_t *poller = zpoller_new (zap_socket (fixture->zap), NULL);
    assert_ptr_equal (zpoller_wait (poller, 1000), zap_socket (fixture->zap));
    zap_handle (fixture->zap, fixture->keyring);
    zpoller_destroy (&poller);
    zsock_set_rcvtimeo (client, 1000);
    zmsg_t *reply = zmsg_recv (client);
    assert_non_null (reply);
    zsock_destroy (&client);
    return reply;
}

//  Check a reply's frames: version, request id, status code, user id.
static void
s_assert_reply (zmsg_t *reply, const char *request_id, const char *status,
                const char *user_id)
{
    assert_int_equal (zmsg_size (reply), 6);
    char *frame = zmsg_popstr (reply);
    assert_string_equal (frame, "1.0");
    free (frame);
    frame = zmsg_popstr (reply);
    assert_string_equal (frame, request_id);
    free (frame);
    frame = zmsg_popstr (reply);
    assert_string_equal (frame, status);
    free (frame);
    free (zmsg_popstr (reply)); //  status text
    frame = zmsg_popstr (reply);
    assert_string_equal (frame, user_id);
    free (frame);
    frame = zmsg_popstr (reply);
    assert_string_equal (frame, ""); //  metadata
    free (frame);
}

static void
test_zap_malformed (void **state)
{
    s_zap_fixture_t *fixture = *state;
    uint64_t refused = zap_refused (fixture->zap);

    //  One frame: still answered, with an empty request id.
    zmsg_t *request = zmsg_new ();
    zmsg_addstr (request, "1.0");
    zmsg_t *reply = s_zap_request (fixture, &request);
    s_assert_reply (reply, "", "400", "");
    zmsg_destroy (&reply);

    //  Truncated after the domain.
    request = zmsg_new ();
    zmsg_addstr (request, "1.0");
    zmsg_addstr (request, "7");
    zmsg_addstr (request, SECURITY_DOMAIN_COLLECT);
    reply = s_zap_request (fixture, &request);
    s_assert_reply (reply, "7", "400", "");
    zmsg_destroy (&reply);

    //  A listed key, but the wrong version; then a short credential; then
    //  the NULL mechanism; then right.
    byte key[32];
    assert_non_null (
        zmq_z85_decode (key, zcert_public_txt (fixture->collector)));
    const char *versions[] = {"2.0", "1.0", "1.0", "1.0"};
    const char *mechanisms[] = {"CURVE", "CURVE", "NULL", "CURVE"};
    size_t sizes[] = {32, 31, 0, 32};
    const char *statuses[] = {"400", "400", "400", "200"};
    for (int index = 0; index < 4; index++) {
        request = zmsg_new ();
        zmsg_addstr (request, versions[index]);
        zmsg_addstr (request, "8");
        zmsg_addstr (request, SECURITY_DOMAIN_COLLECT);
        zmsg_addstr (request, "127.0.0.1");
        zmsg_addstr (request, "");
        zmsg_addstr (request, mechanisms[index]);
        if (sizes[index])
            zmsg_addmem (request, key, sizes[index]);
        reply = s_zap_request (fixture, &request);
        s_assert_reply (reply, "8", statuses[index],
                        index == 3 ? zcert_public_txt (fixture->collector)
                                   : "");
        zmsg_destroy (&reply);
    }

    //  An unknown domain.
    request = zmsg_new ();
    zmsg_addstr (request, "1.0");
    zmsg_addstr (request, "9");
    zmsg_addstr (request, "global");
    zmsg_addstr (request, "127.0.0.1");
    zmsg_addstr (request, "");
    zmsg_addstr (request, "CURVE");
    zmsg_addmem (request, key, 32);
    reply = s_zap_request (fixture, &request);
    s_assert_reply (reply, "9", "400", "");
    zmsg_destroy (&reply);

    assert_int_equal (zap_refused (fixture->zap), refused + 6);
}

int
main (void)
{
    zsys_init ();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_keygen),
        cmocka_unit_test (test_keygen_program),
        cmocka_unit_test (test_load_secret_refusals),
        cmocka_unit_test (test_keyring),
        cmocka_unit_test (test_keyring_shared_key),
        cmocka_unit_test (test_fingerprint),
    };
    const struct CMUnitTest zap_tests[] = {
        cmocka_unit_test (test_zap_collect),
        cmocka_unit_test (test_zap_subscribe),
        cmocka_unit_test (test_zap_malformed),
    };
    int failed = cmocka_run_group_tests (tests, NULL, NULL);
    failed += cmocka_run_group_tests (zap_tests, s_zap_setup, s_zap_teardown);
    return failed;
}
