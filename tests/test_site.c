/*  test_site.c — the site's part of the catalogue file (common/site.c):
    endpoints, sources' and subscribers' keys, security; read back from a
    whole catalogue file, then each mistake with its exact
    "file:line: reason", as the domain's tests do. The site reader ignores
    the domain's and the wording's sections, and reads alone what a key
    reload needs. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "refusal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site.h"

//  A catalogue file with every section; the site reads four of them.
static const char *s_good =
    "catalogue\n"
    "    year = 2003\n"
    "endpoints\n"
    "    collect = \"tcp://127.0.0.1:5560\"\n"
    "    alerts = tcp://*:5563\n"
    "regions\n"
    "    heihe = \"Heihe City\"\n"
    "        heihe.aihui = \"Aihui District\"\n"
    "indicators\n"
    "    employed_new\n"
    "        time = flow\n"
    "sources\n"
    "    aihui\n"
    "        regions = \"heihe.aihui\"\n"
    "        public_key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n"
    "    city\n"
    "        regions = \"heihe\"\n"
    "names\n"
    "    zh\n"
    "        heihe = \"黑河市\"\n"
    "subscribers\n"
    "    reporter\n"
    "        public_key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID\"\n"
    "    ops.desk\n"
    "        public_key = 'D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs'\n"
    "security\n"
    "    insecure = no\n"
    "rules\n"
    "    silent\n"
    "        kind = silence\n"
    "        regions = heihe\n";

static void *
s_read (const char *text, char **error, void *arg)
{
    (void)arg;
    return site_new (text, "x.zpl", error);
}

static void
s_destroy (void *object)
{
    site_t *site = object;
    site_destroy (&site);
}

static void
s_assert_error (const char *text, const char *expected)
{
    refusal_assert (s_read, s_destroy, NULL, text, expected);
}


static void
test_good_site (void **state)
{
    (void)state;
    char *error = NULL;
    site_t *site = site_new (s_good, "good.zpl", &error);
    assert_null (error);
    assert_non_null (site);
    assert_string_equal (site_endpoint (site, "collect"),
                         "tcp://127.0.0.1:5560");
    assert_string_equal (site_endpoint (site, "alerts"), "tcp://*:5563");
    assert_null (site_endpoint (site, "publish"));
    assert_null (site_endpoint (site, "query"));
    assert_null (site_endpoint (site, "nonsense"));

    assert_int_equal (site_source_count (site), 2);
    assert_int_equal (site_source_find (site, "aihui"), 0);
    assert_int_equal (site_source_find (site, "city"), 1);
    assert_int_equal (site_source_find (site, "heihe"), -1);
    assert_string_equal (site_source (site, 0)->id, "aihui");
    assert_string_equal (site_source (site, 0)->public_key,
                         "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7");
    assert_string_equal (site_source (site, 1)->id, "city");
    assert_null (site_source (site, 1)->public_key);
    assert_null (site_source (site, 2));

    assert_int_equal (site_subscriber_count (site), 2);
    assert_string_equal (site_subscriber (site, 0)->id, "reporter");
    assert_string_equal (site_subscriber (site, 0)->public_key,
                         "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID");
    assert_string_equal (site_subscriber (site, 1)->id, "ops.desk");
    assert_string_equal (site_subscriber (site, 1)->public_key,
                         "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs");
    assert_null (site_subscriber (site, 2));
    assert_null (site_subscriber (site, -1));
    assert_false (site_insecure (site));

    site_destroy (&site);
    site_destroy (&site); //  NULL-safe and may be called twice

    //  A file without any of the site's sections: defaults
    site = site_new (BASE, "x.zpl", NULL);
    assert_non_null (site);
    assert_null (site_endpoint (site, "collect"));
    assert_int_equal (site_source_count (site), 0);
    assert_int_equal (site_subscriber_count (site), 0);
    assert_false (site_insecure (site));
    site_destroy (&site);
}

//  The site leaves the domain's mistakes to the domain's reader, and the
//  domain leaves the keys to the site: each reads only its own part.
static void
test_reads_only_its_part (void **state)
{
    (void)state;
    site_t *site = site_new ("regoins\n"
                             "    heihe\n"
                             "sources\n"
                             "    aihui\n"
                             "        regions = nowhere\n"
                             "        public_key = \"rq:rM>}U?@Lns47E1%kR.o@n%"
                             "FcmmsL/@{H8]yf7\"\n",
                             "x.zpl", NULL);
    assert_non_null (site);
    assert_int_equal (site_source_count (site), 1);
    site_destroy (&site);
    //  Yet a section of its own given twice is its mistake
    s_assert_error (BASE "security\n"
                         "security\n",
                    "x.zpl:10: duplicate section 'security'");
    s_assert_error (BASE "endpoints = tcp://x:1\n",
                    "x.zpl:9: unexpected value 'tcp://x:1' for section "
                    "'endpoints'");
    //  and so is a syntax error anywhere in the file
    s_assert_error (BASE "measures\n"
                         "   rate\n",
                    "x.zpl:10: indentation of 3 spaces is not a multiple of 4");
}

static void
test_endpoints (void **state)
{
    (void)state;
    s_assert_error ("catalogue\n"
                    "    year = 2003\n"
                    "endpoints\n"
                    "    colect = tcp://127.0.0.1:5560\n",
                    "x.zpl:4: unknown key 'colect' in endpoints");
    s_assert_error ("catalogue\n"
                    "    year = 2003\n"
                    "endpoints\n"
                    "    collect\n",
                    "x.zpl:4: empty endpoint 'collect' in endpoints");
}

static void
test_sources (void **state)
{
    (void)state;
    s_assert_error (BASE "sources\n"
                         "    aihui\n"
                         "        regions = heihe.aihui\n"
                         "        public_key = \"...\"\n",
                    "x.zpl:12: public_key in sources/aihui must be 40 Z85 "
                    "characters");
    s_assert_error (BASE "sources\n"
                         "    Aihui\n"
                         "        regions = heihe.aihui\n",
                    "x.zpl:10: bad source id 'Aihui'");
    s_assert_error (BASE "sources\n"
                         "    aihui\n"
                         "        regions = heihe.aihui\n"
                         "    aihui\n"
                         "        regions = heihe.aihui\n",
                    "x.zpl:12: duplicate source id 'aihui'");
}

static void
test_subscribers (void **state)
{
    (void)state;
    s_assert_error (BASE "subscribers\n"
                         "    reporter\n",
                    "x.zpl:10: missing public_key in subscribers/reporter");
    s_assert_error (BASE "subscribers\n"
                         "    reporter\n"
                         "        public_key = \"\"\n",
                    "x.zpl:10: missing public_key in subscribers/reporter");
    s_assert_error (BASE "subscribers\n"
                         "    reporter\n"
                         "        public_key = \"Yne@$w-vo<fVvi]a<NY6T1ed\"\n",
                    "x.zpl:11: public_key in subscribers/reporter must be 40 "
                    "Z85 characters");
    s_assert_error (BASE "subscribers\n"
                         "    reporter\n"
                         "        public_key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG"
                         "*[IaLV{h\\\"\n",
                    "x.zpl:11: public_key in subscribers/reporter must be 40 "
                    "Z85 characters");
    s_assert_error (BASE "subscribers\n"
                         "    Reporter\n"
                         "        public_key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG"
                         "*[IaLV{hID\"\n",
                    "x.zpl:10: bad subscriber id 'Reporter'");
    s_assert_error (BASE "subscribers\n"
                         "    reporter\n"
                         "        public_key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG"
                         "*[IaLV{hID\"\n"
                         "        key = x\n",
                    "x.zpl:12: unknown key 'key' in subscribers/reporter");
    s_assert_error (BASE "subscribers\n"
                         "    reporter = yes\n",
                    "x.zpl:10: unexpected value 'yes' for 'reporter' in "
                    "subscribers");
    s_assert_error (BASE "subscribers\n"
                         "    reporter\n"
                         "        public_key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG"
                         "*[IaLV{hID\"\n"
                         "    reporter\n"
                         "        public_key = \"D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%"
                         "wOTJ%JR%cs\"\n",
                    "x.zpl:12: duplicate subscriber id 'reporter'");
    s_assert_error (BASE "subscribers\n"
                         "    reporter\n"
                         "        public_key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG"
                         "*[IaLV{hID\"\n"
                         "    ops\n"
                         "        public_key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG"
                         "*[IaLV{hID\"\n",
                    "x.zpl:13: public_key in subscribers/ops is also the key "
                    "of subscribers/reporter");
    //  Two sources may not share a key: the key says which source is talking
    s_assert_error (BASE "sources\n"
                         "    aihui\n"
                         "        regions = heihe.aihui\n"
                         "        public_key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG"
                         "*[IaLV{hID\"\n"
                         "    other\n"
                         "        regions = heihe.aihui\n"
                         "        public_key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG"
                         "*[IaLV{hID\"\n",
                    "x.zpl:15: public_key in sources/other is also the key "
                    "of sources/aihui");
}

static void
test_security_section (void **state)
{
    (void)state;
    char *error = NULL;
    site_t *site = site_new (BASE "security\n"
                                  "    insecure = yes\n",
                             "x.zpl", &error);
    assert_non_null (site);
    assert_true (site_insecure (site));
    site_destroy (&site);
    site = site_new (BASE "security\n", "x.zpl", &error);
    assert_non_null (site);
    assert_false (site_insecure (site));
    site_destroy (&site);
    s_assert_error (BASE "security\n"
                         "    insecure = true\n",
                    "x.zpl:10: insecure must be yes or no, not 'true'");
    s_assert_error (BASE "security\n"
                         "    insecure\n",
                    "x.zpl:10: insecure must be yes or no, not ''");
    s_assert_error (BASE "security\n"
                         "    keys = /etc/jobtally/keys\n",
                    "x.zpl:10: unknown key 'keys' in security");
    s_assert_error (BASE "security\n"
                         "    insecure = no\n"
                         "    insecure = yes\n",
                    "x.zpl:11: duplicate key 'insecure' in security");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_good_site),
        cmocka_unit_test (test_reads_only_its_part),
        cmocka_unit_test (test_endpoints),
        cmocka_unit_test (test_sources),
        cmocka_unit_test (test_subscribers),
        cmocka_unit_test (test_security_section),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
