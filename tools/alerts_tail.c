/*  alerts_tail.c — an example subscriber to jobtally-reporter's alert
    stream: prints every notice whose topic starts with a prefix.

    alerts_tail ENDPOINT [PREFIX] [--key MY.key_secret --server-key
   REPORTER.key]

    PREFIX "critical" gives critical alerts only; "" (default) all. With
    --key and --server-key it connects with CURVE, as a secure reporter
    requires (its key listed as a subscriber). Build: part of the normal
    build (build/tools/alerts_tail). */
#include <czmq.h>

int
main (int argc, char *argv[])
{
    const char *endpoint = NULL, *prefix = "", *key = NULL, *server = NULL;
    for (int index = 1; index < argc; index++) {
        if (streq (argv[index], "--key") && index + 1 < argc)
            key = argv[++index];
        else if (streq (argv[index], "--server-key") && index + 1 < argc)
            server = argv[++index];
        else if (!endpoint)
            endpoint = argv[index];
        else
            prefix = argv[index];
    }
    if (!endpoint) {
        fprintf (stderr, "usage: alerts_tail ENDPOINT [PREFIX] "
                         "[--key FILE --server-key FILE]\n");
        return 2;
    }
    zsock_t *sub = zsock_new (ZMQ_SUB);
    assert (sub);
    //  A notice is one short JSON line: anything far larger is not one,
    //  and libzmq drops the connection rather than allocate it.
    zsock_set_maxmsgsize (sub, 1024 * 1024);
    if (key && server) {
        zcert_t *mine = zcert_load (key);
        zcert_t *theirs = zcert_load (server);
        if (!mine || !theirs) {
            fprintf (stderr, "alerts_tail: cannot load %s or %s\n", key,
                     server);
            zcert_destroy (&mine);
            zcert_destroy (&theirs);
            zsock_destroy (&sub);
            return 2;
        }
        zcert_apply (mine, sub);
        zsock_set_curve_serverkey (sub, zcert_public_txt (theirs));
        zcert_destroy (&mine);
        zcert_destroy (&theirs);
    }
    zsock_set_subscribe (sub, prefix);
    if (zsock_connect (sub, "%s", endpoint) != 0) {
        fprintf (stderr, "alerts_tail: cannot connect to %s\n", endpoint);
        zsock_destroy (&sub);
        return 2;
    }
    while (!zsys_interrupted) {
        char *topic = NULL, *line = NULL;
        if (zsock_recv (sub, "ss", &topic, &line) != 0)
            break;
        printf ("%s\t%s\n", topic, line);
        fflush (stdout);
        free (topic);
        free (line);
    }
    zsock_destroy (&sub);
    return 0;
}
