/*  test_wording.c — the wording's part of a catalogue file
    (reporter/wording.c): names per language, phrases, the title and the
    summary's figures, read back from a good file, then one test per kind
    of mistake, each asserting the exact "file:line: reason". */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "refusal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wording.h"

//  A small city with every part of the wording. Regions: heihe 0,
//  heihe.direct 1, heihe.aihui 2, heihe.aihui.hailan 3. Figures:
//  employed_new 0, registered_unemployed 1, urban_employed 2,
//  unemployment_rate 3, urban_labour_force 4.
static const char *s_good =
    "catalogue\n"
    "    year = 2003\n"
    "    title = \"Heihe City employment statistics\"\n"
    "regions\n"
    "    heihe = \"Heihe City\"\n"
    "        heihe.direct = \"City level\"\n"
    "        heihe.aihui = \"Aihui District\"\n"
    "            heihe.aihui.hailan\n"
    "indicators\n"
    "    employed_new\n"
    "        name = \"Newly employed persons\"\n"
    "        time = flow\n"
    "        phrase = \"people found employment\"\n"
    "    registered_unemployed\n"
    "        name = \"Registered urban unemployed\"\n"
    "        time = stock\n"
    "        phrase = \"\"\n"
    "    urban_employed\n"
    "        time = cumulative\n"
    "measures\n"
    "    unemployment_rate\n"
    "        name = \"Registered urban unemployment rate\"\n"
    "        numerator = registered_unemployed\n"
    "        denominator = urban_labour_force\n"
    "        phrase = \"registered urban unemployment rate\"\n"
    "    urban_labour_force\n"
    "        name = \"Urban labour force\"\n"
    "        sum = \"urban_employed registered_unemployed\"\n"
    "names\n"
    "    zh\n"
    "        heihe = \"黑河市\"\n"
    "        heihe.aihui = \"爱辉区\"\n"
    "        employed_new = \"新增就业人数\"\n"
    "        unemployment_rate = \"城镇登记失业率\"\n"
    "summary\n"
    "    headline = \"employed_new unemployment_rate\"\n"
    "    columns = \"employed_new urban_labour_force unemployment_rate\"\n";

//  The domain and the wording of one text, both read without error.
typedef struct {
    catalogue_t *catalogue;
    wording_t *wording;
} s_both_t;

static s_both_t
s_load (const char *text)
{
    char *error = NULL;
    s_both_t both = {.catalogue = catalogue_new (text, "w.zpl", &error)};
    if (!both.catalogue)
        fail_msg ("domain refused: %s", error);
    both.wording = wording_new (text, "w.zpl", both.catalogue, &error);
    if (!both.wording)
        fail_msg ("wording refused: %s", error);
    assert_null (error);
    return both;
}

static void
s_destroy (s_both_t *both)
{
    wording_destroy (&both->wording);
    assert_null (both->wording);
    wording_destroy (&both->wording); //  twice is fine
    catalogue_destroy (&both->catalogue);
}

static void
test_good_title_and_phrases (void **state)
{
    (void)state;
    s_both_t both = s_load (s_good);
    assert_string_equal (wording_title (both.wording),
                         "Heihe City employment statistics");
    assert_string_equal (wording_phrase (both.wording, 0),
                         "people found employment");
    assert_null (wording_phrase (both.wording, 1)); //  empty: none
    assert_null (wording_phrase (both.wording, 2));
    assert_string_equal (wording_phrase (both.wording, 3),
                         "registered urban unemployment rate");
    assert_null (wording_phrase (both.wording, 4));
    assert_null (wording_phrase (both.wording, 5));
    assert_null (wording_phrase (both.wording, -1));
    s_destroy (&both);
}

static void
test_good_names (void **state)
{
    (void)state;
    s_both_t both = s_load (s_good);
    const wording_t *wording = both.wording;
    //  zh name, else the default name, else the id
    assert_string_equal (wording_region_name (wording, 0, "zh"), "黑河市");
    assert_string_equal (wording_region_name (wording, 2, "zh"), "爱辉区");
    assert_string_equal (wording_region_name (wording, 1, "zh"), "City level");
    assert_string_equal (wording_region_name (wording, 3, "zh"),
                         "heihe.aihui.hailan");
    assert_string_equal (wording_region_name (wording, 0, "en"), "Heihe City");
    assert_string_equal (wording_region_name (wording, 0, NULL), "Heihe City");
    assert_null (wording_region_name (wording, 4, "zh"));
    assert_null (wording_region_name (wording, -1, "zh"));
    assert_string_equal (wording_figure_name (wording, 0, "zh"),
                         "新增就业人数");
    assert_string_equal (wording_figure_name (wording, 3, "zh"),
                         "城镇登记失业率");
    assert_string_equal (wording_figure_name (wording, 3, "fr"),
                         "Registered urban unemployment rate");
    assert_string_equal (wording_figure_name (wording, 1, "zh"),
                         "Registered urban unemployed");
    assert_string_equal (wording_figure_name (wording, 2, "zh"),
                         "urban_employed");
    assert_string_equal (wording_figure_name (wording, 4, NULL),
                         "Urban labour force");
    assert_null (wording_figure_name (wording, 5, NULL));
    s_destroy (&both);
}

static void
test_good_summary (void **state)
{
    (void)state;
    s_both_t both = s_load (s_good);
    int count = -1;
    const int *headline = wording_summary_headline (both.wording, &count);
    assert_int_equal (count, 2);
    assert_int_equal (headline[0], 0);
    assert_int_equal (headline[1], 3);
    const int *columns = wording_summary_columns (both.wording, &count);
    assert_int_equal (count, 3);
    assert_int_equal (columns[0], 0);
    assert_int_equal (columns[1], 4);
    assert_int_equal (columns[2], 3);
    s_destroy (&both);
}

//  A file without any wording: no title, names are the domain's.
static void
test_minimal (void **state)
{
    (void)state;
    s_both_t both = s_load ("catalogue\n"
                            "    year = 1999\n"
                            "regions\n"
                            "    city\n"
                            "indicators\n"
                            "    jobs\n"
                            "        time = flow");
    assert_null (wording_title (both.wording));
    assert_null (wording_phrase (both.wording, 0));
    assert_string_equal (wording_region_name (both.wording, 0, "zh"), "city");
    assert_string_equal (wording_figure_name (both.wording, 0, "zh"), "jobs");
    int count = -1;
    wording_summary_headline (both.wording, &count);
    assert_int_equal (count, 0);
    wording_summary_columns (both.wording, &count);
    assert_int_equal (count, 0);
    s_destroy (&both);
}

//  A UTF-8 name survives the trip through zconfig byte for byte, and a
//  byte order mark and CRLF line ends are read like plain text; a quoted
//  title may hold '#'.
static void
test_utf8_bom_crlf (void **state)
{
    (void)state;
    s_both_t both = s_load ("\xEF\xBB\xBF"
                            "catalogue\r\n"
                            "    year = 2003\r\n"
                            "    title = \"No. #1 city\"   # comment\r\n"
                            "regions\r\n"
                            "    heihe = \"黑河市\"\r\n"
                            "indicators\r\n"
                            "    employed_new\r\n"
                            "        time = flow\r\n"
                            "names\r\n"
                            "    zh\r\n"
                            "        employed_new = \"新增 就业人数\"\r\n");
    assert_string_equal (wording_title (both.wording), "No. #1 city");
    const char *heihe = wording_region_name (both.wording, 0, "zh");
    assert_int_equal (strlen (heihe), 9);
    assert_memory_equal (heihe, "\xE9\xBB\x91\xE6\xB2\xB3\xE5\xB8\x82", 9);
    assert_string_equal (wording_figure_name (both.wording, 0, "zh"),
                         "新增 就业人数");
    assert_string_equal (wording_figure_name (both.wording, 0, "en"),
                         "employed_new");
    s_destroy (&both);
}

//  The domain accepts text (it does not read the wording); the wording
//  refuses it with exactly expected.
static void *
s_read (const char *text, char **error, void *arg)
{
    return wording_new (text, "x.zpl", arg, error);
}

static void
s_destroy_wording (void *object)
{
    wording_t *wording = object;
    wording_destroy (&wording);
}

//  The domain reads the text first and must take it: the mistake is the
//  wording's.
static void
s_assert_error (const char *text, const char *expected)
{
    char *error = NULL;
    catalogue_t *catalogue = catalogue_new (text, "x.zpl", &error);
    if (!catalogue)
        fail_msg ("domain refused: %s", error);
    refusal_assert (s_read, s_destroy_wording, catalogue, text, expected);
    catalogue_destroy (&catalogue);
}


static void
test_names (void **state)
{
    (void)state;
    s_assert_error (BASE "names\n"
                         "    zh\n"
                         "        heihei = \"黑河市\"\n",
                    "x.zpl:11: unknown region or figure 'heihei' in names/zh");
    s_assert_error (BASE "names\n"
                         "    ZH\n",
                    "x.zpl:10: bad language 'ZH' in names");
    s_assert_error (BASE "names\n"
                         "    zh\n"
                         "    zh\n",
                    "x.zpl:11: duplicate language 'zh' in names");
    s_assert_error (BASE "names\n"
                         "    zh\n"
                         "        heihe = \"\"\n",
                    "x.zpl:11: empty name for 'heihe' in names/zh");
    s_assert_error (BASE "names\n"
                         "    zh\n"
                         "        heihe = \"黑河市\"\n"
                         "        heihe = \"黑河\"\n",
                    "x.zpl:12: duplicate name for 'heihe' in names/zh");
}

static void
test_summary (void **state)
{
    (void)state;
    s_assert_error (BASE "summary\n"
                         "    headline = \"employed_new reemployed\"\n",
                    "x.zpl:10: unknown figure 'reemployed' in "
                    "summary/headline");
    s_assert_error (BASE "summary\n"
                         "    columns = heihe\n",
                    "x.zpl:10: unknown figure 'heihe' in summary/columns");
    s_assert_error (BASE "summary\n"
                         "    colums = employed_new\n",
                    "x.zpl:10: unknown key 'colums' in summary");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_good_title_and_phrases),
        cmocka_unit_test (test_good_names),
        cmocka_unit_test (test_good_summary),
        cmocka_unit_test (test_minimal),
        cmocka_unit_test (test_utf8_bom_crlf),
        cmocka_unit_test (test_names),
        cmocka_unit_test (test_summary),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
