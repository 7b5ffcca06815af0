/*  test_catalogue.c — reading a catalogue's domain from ZPL text
    (core/catalogue.c): a good catalogue read back field by field, then one
    test per kind of mistake, each asserting the exact "file:line: reason".
    The wording's keys in the same text (names, summary, title, phrase) are
    accepted here and read by test_wording. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "refusal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalogue.h"
#include "period.h"

//  A small city with every section. Line numbers matter to no test here.
static const char *s_good =
    "#   Heihe 2003, a test catalogue\n"
    "catalogue\n"
    "    year = 2003                 # the year targets refer to\n"
    "    on_time_days = 12\n"
    "    title = \"Heihe City employment statistics\"\n"
    "\n"
    "endpoints\n"
    "    collect = \"tcp://127.0.0.1:5560\"\n"
    "    alerts = tcp://*:5563\n"
    "\n"
    "regions\n"
    "    heihe = \"Heihe City\"\n"
    "        heihe.direct = \"City level\"\n"
    "        heihe.aihui = \"Aihui District\"\n"
    "            heihe.aihui.xingfu = \"Xingfu Street\"\n"
    "                heihe.aihui.xingfu.c1\n"
    "            heihe.aihui.hailan\n"
    "        heihe.wudalianchi = \"Wudalianchi City\"\n"
    "\n"
    "indicators\n"
    "    employed_new\n"
    "        name = \"Newly employed persons\"\n"
    "        unit = persons\n"
    "        time = flow             # flow | stock | cumulative\n"
    "        phrase = \"people found employment\"\n"
    "    registered_unemployed\n"
    "        name = \"Registered urban unemployed\"\n"
    "        unit = persons\n"
    "        time = stock\n"
    "    urban_employed\n"
    "        unit = persons\n"
    "        time = cumulative\n"
    "    training_yuan\n"
    "        unit = yuan\n"
    "        time = flow\n"
    "        whole = no\n"
    "\n"
    "measures\n"
    "    unemployment_rate\n"
    "        name = \"Registered urban unemployment rate\"\n"
    "        numerator = registered_unemployed\n"
    "        denominator = urban_labour_force     # defined below\n"
    "        scale = 100\n"
    "        unit = \"%\"\n"
    "        decimals = 2\n"
    "        phrase = \"registered urban unemployment rate\"\n"
    "    urban_labour_force\n"
    "        name = \"Urban labour force\"\n"
    "        sum = \"urban_employed registered_unemployed\"\n"
    "        decimals = 0\n"
    "\n"
    "targets\n"
    "    heihe\n"
    "        employed_new = 4403\n"
    "        training_yuan = 12.345\n"
    "    heihe.direct\n"
    "        employed_new = 1400.5\n"
    "\n"
    "limits\n"
    "    heihe\n"
    "        unemployment_rate = 2.99\n"
    "    heihe.aihui\n"
    "        unemployment_rate = 4\n"
    "\n"
    "sources\n"
    "    aihui\n"
    "        regions = \"heihe.aihui\"\n"
    "        public_key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n"
    "    city\n"
    "        regions = \"heihe.direct heihe.wudalianchi\"\n"
    "\n"
    "names\n"
    "    zh\n"
    "        heihe = \"黑河市\"\n"
    "        heihe.aihui = \"爱辉区\"\n"
    "        employed_new = \"新增就业人数\"\n"
    "        unemployment_rate = \"城镇登记失业率\"\n"
    "\n"
    "summary\n"
    "    headline = \"employed_new unemployment_rate\"\n"
    "    columns = \"employed_new urban_labour_force unemployment_rate\"\n"
    "\n"
    "subscribers\n"
    "    reporter\n"
    "        public_key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID\"\n"
    "    ops.desk\n"
    "        public_key = 'D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs'\n"
    "\n"
    "security\n"
    "    insecure = no\n";

static catalogue_t *
s_load_good (void)
{
    char *error = NULL;
    catalogue_t *catalogue = catalogue_new (s_good, "good.zpl", &error);
    if (!catalogue)
        fail_msg ("good catalogue refused: %s", error);
    assert_null (error);
    return catalogue;
}

static void
test_good_header (void **state)
{
    (void)state;
    catalogue_t *catalogue = s_load_good ();
    assert_int_equal (catalogue_year (catalogue), 2003);
    assert_int_equal (catalogue_on_time_days (catalogue), 12);
    catalogue_destroy (&catalogue);
    assert_null (catalogue);
    catalogue_destroy (&catalogue); //  twice is fine
}

static void
test_good_regions (void **state)
{
    (void)state;
    catalogue_t *catalogue = s_load_good ();
    assert_int_equal (catalogue_region_count (catalogue), 7);
    //  Regions are indexed in file order
    const char *ids[] = {"heihe",
                         "heihe.direct",
                         "heihe.aihui",
                         "heihe.aihui.xingfu",
                         "heihe.aihui.xingfu.c1",
                         "heihe.aihui.hailan",
                         "heihe.wudalianchi"};
    const int parents[] = {-1, 0, 0, 2, 3, 2, 0};
    const int depths[] = {0, 1, 1, 2, 3, 2, 1};
    const int child_counts[] = {3, 0, 2, 1, 0, 0, 0};
    for (int index = 0; index < 7; index++) {
        const region_t *region = catalogue_region (catalogue, index);
        assert_non_null (region);
        assert_string_equal (region->id, ids[index]);
        assert_int_equal (region->parent, parents[index]);
        assert_int_equal (region->depth, depths[index]);
        assert_int_equal (region->child_count, child_counts[index]);
        assert_int_equal (catalogue_region_find (catalogue, ids[index]), index);
    }
    const region_t *root = catalogue_region (catalogue, 0);
    assert_string_equal (root->name, "Heihe City");
    assert_int_equal (root->children[0], 1);
    assert_int_equal (root->children[1], 2);
    assert_int_equal (root->children[2], 6);
    const region_t *aihui = catalogue_region (catalogue, 2);
    assert_int_equal (aihui->children[0], 3);
    assert_int_equal (aihui->children[1], 5);
    assert_int_equal (catalogue_region (catalogue, 3)->children[0], 4);
    //  A region without a name is named by its id
    assert_string_equal (catalogue_region (catalogue, 5)->name,
                         "heihe.aihui.hailan");
    assert_null (catalogue_region (catalogue, 7));
    assert_null (catalogue_region (catalogue, -1));
    assert_int_equal (catalogue_region_find (catalogue, "heihe.nowhere"), -1);
    assert_int_equal (catalogue_region_find (catalogue, "employed_new"), -1);

    //  covers: ancestor or the same region
    assert_true (catalogue_region_covers (catalogue, 0, 0));
    assert_true (catalogue_region_covers (catalogue, 0, 4));
    assert_true (catalogue_region_covers (catalogue, 2, 4));
    assert_true (catalogue_region_covers (catalogue, 3, 4));
    assert_true (catalogue_region_covers (catalogue, 2, 5));
    assert_true (catalogue_region_covers (catalogue, 4, 4));
    assert_false (catalogue_region_covers (catalogue, 4, 3));
    assert_false (catalogue_region_covers (catalogue, 2, 0));
    assert_false (catalogue_region_covers (catalogue, 1, 4));
    assert_false (catalogue_region_covers (catalogue, 3, 5));
    assert_false (catalogue_region_covers (catalogue, 6, 2));
    assert_false (catalogue_region_covers (catalogue, 0, 7));
    assert_false (catalogue_region_covers (catalogue, -1, 0));
    catalogue_destroy (&catalogue);
}

static void
test_good_figures (void **state)
{
    (void)state;
    catalogue_t *catalogue = s_load_good ();
    assert_int_equal (catalogue_indicator_count (catalogue), 4);
    assert_int_equal (catalogue_measure_count (catalogue), 2);
    assert_int_equal (catalogue_figure_count (catalogue), 6);
    //  Indicators first, then measures, each in file order
    const char *ids[] = {"employed_new",      "registered_unemployed",
                         "urban_employed",    "training_yuan",
                         "unemployment_rate", "urban_labour_force"};
    for (int figure = 0; figure < 6; figure++) {
        assert_string_equal (catalogue_figure_id (catalogue, figure),
                             ids[figure]);
        assert_int_equal (catalogue_figure_find (catalogue, ids[figure]),
                          figure);
    }
    assert_null (catalogue_figure_id (catalogue, 6));
    assert_null (catalogue_figure_id (catalogue, -1));
    assert_int_equal (catalogue_figure_find (catalogue, "heihe"), -1);
    assert_int_equal (catalogue_indicator_find (catalogue, "training_yuan"), 3);
    assert_int_equal (catalogue_indicator_find (catalogue, "unemployment_rate"),
                      -1);

    const indicator_t *employed = catalogue_indicator (catalogue, 0);
    assert_string_equal (employed->id, "employed_new");
    assert_string_equal (employed->name, "Newly employed persons");
    assert_string_equal (employed->unit, "persons");
    assert_int_equal (employed->time, TIME_FLOW);
    assert_true (employed->whole);
    assert_int_equal (catalogue_indicator (catalogue, 1)->time, TIME_STOCK);
    const indicator_t *urban = catalogue_indicator (catalogue, 2);
    assert_int_equal (urban->time, TIME_CUMULATIVE);
    assert_string_equal (urban->name, "urban_employed"); //  defaults to id
    const indicator_t *yuan = catalogue_indicator (catalogue, 3);
    assert_false (yuan->whole);
    assert_string_equal (yuan->unit, "yuan");
    assert_null (catalogue_indicator (catalogue, 4));

    assert_null (catalogue_measure (catalogue, 3)); //  an indicator
    assert_null (catalogue_measure (catalogue, 6));
    const measure_t *rate = catalogue_measure (catalogue, 4);
    assert_non_null (rate);
    assert_string_equal (rate->id, "unemployment_rate");
    assert_string_equal (rate->name, "Registered urban unemployment rate");
    assert_int_equal (rate->kind, MEASURE_RATIO);
    assert_int_equal (rate->numerator, 1);
    assert_int_equal (rate->denominator, 5); //  a measure defined later
    assert_true (rate->scale == 100.0);
    assert_string_equal (rate->unit, "%");
    assert_int_equal (rate->decimals, 2);
    const measure_t *labour = catalogue_measure (catalogue, 5);
    assert_int_equal (labour->kind, MEASURE_SUM);
    assert_int_equal (labour->term_count, 2);
    assert_int_equal (labour->terms[0], 2);
    assert_int_equal (labour->terms[1], 1);
    assert_int_equal (labour->decimals, 0);
    assert_string_equal (labour->unit, "persons"); //  from its first term
    catalogue_destroy (&catalogue);
}

static void
test_good_targets_and_limits (void **state)
{
    (void)state;
    catalogue_t *catalogue = s_load_good ();
    jt_value_t target = -1;
    assert_true (catalogue_target (catalogue, 0, 0, &target));
    assert_int_equal (target, 4403000);
    assert_true (catalogue_target (catalogue, 0, 3, &target));
    assert_int_equal (target, 12345);
    assert_true (catalogue_target (catalogue, 1, 0, &target));
    assert_int_equal (target, 1400500);
    target = -1;
    assert_false (catalogue_target (catalogue, 2, 0, &target));
    assert_int_equal (target, -1); //  untouched
    assert_false (catalogue_target (catalogue, 0, 1, &target));
    assert_false (catalogue_target (catalogue, 0, 4, &target));
    assert_false (catalogue_target (catalogue, 7, 0, &target));

    double limit = -1;
    assert_true (catalogue_limit (catalogue, 0, 4, &limit));
    assert_true (limit > 2.98999 && limit < 2.99001);
    assert_true (catalogue_limit (catalogue, 2, 4, &limit));
    assert_true (limit == 4.0);
    assert_false (catalogue_limit (catalogue, 1, 4, &limit));
    assert_false (catalogue_limit (catalogue, 0, 0, &limit));
    assert_false (catalogue_limit (catalogue, 0, 6, &limit));
    catalogue_destroy (&catalogue);
}

static void
test_good_sources (void **state)
{
    (void)state;
    catalogue_t *catalogue = s_load_good ();
    assert_int_equal (catalogue_source_count (catalogue), 2);
    assert_int_equal (catalogue_source_find (catalogue, "aihui"), 0);
    assert_int_equal (catalogue_source_find (catalogue, "city"), 1);
    assert_int_equal (catalogue_source_find (catalogue, "heihe"), -1);
    const source_t *aihui = catalogue_source (catalogue, 0);
    assert_string_equal (aihui->id, "aihui");
    assert_int_equal (aihui->region_count, 1);
    assert_int_equal (aihui->regions[0], 2);
    const source_t *city = catalogue_source (catalogue, 1);
    assert_int_equal (city->region_count, 2);
    assert_int_equal (city->regions[0], 1);
    assert_int_equal (city->regions[1], 6);
    assert_null (catalogue_source (catalogue, 2));

    //  A source's region covers its subtree and nothing else
    assert_true (catalogue_source_allows (catalogue, 0, 2));
    assert_true (catalogue_source_allows (catalogue, 0, 3));
    assert_true (catalogue_source_allows (catalogue, 0, 4));
    assert_true (catalogue_source_allows (catalogue, 0, 5));
    assert_false (catalogue_source_allows (catalogue, 0, 0));
    assert_false (catalogue_source_allows (catalogue, 0, 1));
    assert_false (catalogue_source_allows (catalogue, 0, 6));
    assert_true (catalogue_source_allows (catalogue, 1, 1));
    assert_true (catalogue_source_allows (catalogue, 1, 6));
    assert_false (catalogue_source_allows (catalogue, 1, 2));
    assert_false (catalogue_source_allows (catalogue, 1, 0));
    assert_false (catalogue_source_allows (catalogue, 2, 2));
    assert_false (catalogue_source_allows (catalogue, -1, 2));
    catalogue_destroy (&catalogue);
}

//  The smallest catalogue: defaults everywhere else.
static void
test_minimal (void **state)
{
    (void)state;
    char *error = NULL;
    catalogue_t *catalogue = catalogue_new ("catalogue\n"
                                            "    year = 1999\n"
                                            "regions\n"
                                            "    city\n"
                                            "indicators\n"
                                            "    jobs\n"
                                            "        time = flow",
                                            "min.zpl", &error);
    assert_non_null (catalogue);
    assert_int_equal (catalogue_year (catalogue), 1999);
    assert_int_equal (catalogue_on_time_days (catalogue), 10);
    assert_int_equal (catalogue_region_count (catalogue), 1);
    assert_int_equal (catalogue_region (catalogue, 0)->child_count, 0);
    assert_int_equal (catalogue_measure_count (catalogue), 0);
    assert_int_equal (catalogue_source_count (catalogue), 0);
    assert_string_equal (catalogue_indicator (catalogue, 0)->unit, "");
    assert_false (catalogue_target (catalogue, 0, 0, NULL));
    assert_false (catalogue_limit (catalogue, 0, 0, NULL));
    assert_false (catalogue_source_allows (catalogue, 0, 0));
    assert_string_equal (catalogue_region (catalogue, 0)->name, "city");
    catalogue_destroy (&catalogue);
}

//  A UTF-8 name survives the trip through zconfig byte for byte, and a
//  byte order mark and CRLF line ends are read like plain text.
static void
test_utf8_bom_crlf (void **state)
{
    (void)state;
    char *error = NULL;
    catalogue_t *catalogue = catalogue_new ("\xEF\xBB\xBF"
                                            "catalogue\r\n"
                                            "    year = 2003\r\n"
                                            "regions\r\n"
                                            "    heihe = \"黑河市\"\r\n"
                                            "        heihe.aihui = 爱辉区\r\n"
                                            "indicators\r\n"
                                            "    employed_new\r\n"
                                            "        time = flow\r\n",
                                            "utf8.zpl", &error);
    if (!catalogue)
        fail_msg ("refused: %s", error);
    const char *heihe = catalogue_region (catalogue, 0)->name;
    assert_string_equal (heihe, "黑河市");
    assert_int_equal (strlen (heihe), 9);
    assert_memory_equal (heihe, "\xE9\xBB\x91\xE6\xB2\xB3\xE5\xB8\x82", 9);
    assert_string_equal (catalogue_region (catalogue, 1)->name, "爱辉区");
    assert_string_equal (catalogue_indicator (catalogue, 0)->name,
                         "employed_new");
    catalogue_destroy (&catalogue);
}

//  Comments may sit at any indentation; quoted values may hold '#'.
static void
test_comments (void **state)
{
    (void)state;
    char *error = NULL;
    catalogue_t *catalogue =
        catalogue_new ("# top\n"
                       "catalogue   # trailing\n"
                       "  # two spaces\n"
                       "\t# a tab\n"
                       "    year = 2003#tight\n"
                       "    title = \"No. #1 city\"   # comment\n"
                       "    on_time_days = '5'\n"
                       "      \n"
                       "regions\n"
                       "    city = \"No. #1 city\"  # the quote ends here\n"
                       "indicators\n"
                       "    jobs\n"
                       "        time = stock  # latest month\n",
                       "c.zpl", &error);
    if (!catalogue)
        fail_msg ("refused: %s", error);
    assert_int_equal (catalogue_year (catalogue), 2003);
    assert_string_equal (catalogue_region (catalogue, 0)->name, "No. #1 city");
    assert_int_equal (catalogue_on_time_days (catalogue), 5);
    assert_int_equal (catalogue_indicator (catalogue, 0)->time, TIME_STOCK);
    catalogue_destroy (&catalogue);
}

static void *
s_read (const char *text, char **error, void *arg)
{
    (void)arg;
    return catalogue_new (text, "x.zpl", error);
}

static void
s_destroy (void *object)
{
    catalogue_t *catalogue = object;
    catalogue_destroy (&catalogue);
}

static void
s_assert_error (const char *text, const char *expected)
{
    refusal_assert (s_read, s_destroy, NULL, text, expected);
}


static void
test_unknown_section (void **state)
{
    (void)state;
    s_assert_error (BASE "regoins\n"
                         "    heihe\n",
                    "x.zpl:9: unknown section 'regoins'");
    s_assert_error ("regoins\n" BASE, "x.zpl:1: unknown section 'regoins'");
    s_assert_error (BASE "\n# again\nregions\n    other\n",
                    "x.zpl:11: duplicate section 'regions'");
    s_assert_error (BASE "measures = none\n",
                    "x.zpl:9: unexpected value 'none' for section 'measures'");
}

static void
test_missing_sections (void **state)
{
    (void)state;
    s_assert_error ("", "x.zpl: no catalogue section");
    s_assert_error ("# only a comment\n", "x.zpl: no catalogue section");
    s_assert_error ("catalogue\n    year = 2003\n",
                    "x.zpl: no regions section");
    s_assert_error ("catalogue\n    year = 2003\nregions\n    city\n",
                    "x.zpl: no indicators section");
    s_assert_error ("catalogue\n    year = 2003\nregions\nindicators\n",
                    "x.zpl:3: regions section is empty");
    s_assert_error ("catalogue\n    year = 2003\nregions\n    city\n"
                    "indicators\n",
                    "x.zpl:5: indicators section is empty");
}

static void
test_duplicate_id (void **state)
{
    (void)state;
    s_assert_error ("catalogue\n"
                    "    year = 2003\n"
                    "regions\n"
                    "    heihe\n"
                    "        heihe.aihui\n"
                    "            heihe.aihui\n",
                    "x.zpl:6: duplicate region id 'heihe.aihui'");
    s_assert_error (BASE "    employed_new\n"
                         "        time = stock\n",
                    "x.zpl:9: duplicate indicator id 'employed_new'");
    s_assert_error (BASE "measures\n"
                         "    employed_new\n"
                         "        sum = employed_new\n",
                    "x.zpl:10: measure id 'employed_new' is already an "
                    "indicator");
    s_assert_error (BASE "measures\n"
                         "    total\n"
                         "        sum = employed_new\n"
                         "    total\n"
                         "        sum = employed_new\n",
                    "x.zpl:12: duplicate measure id 'total'");
    s_assert_error (BASE "sources\n"
                         "    aihui\n"
                         "        regions = heihe.aihui\n"
                         "    aihui\n"
                         "        regions = heihe.aihui\n",
                    "x.zpl:12: duplicate source id 'aihui'");
    s_assert_error ("catalogue\n"
                    "    year = 2003\n"
                    "    year = 2004\n",
                    "x.zpl:3: duplicate key 'year' in catalogue");
    s_assert_error ("catalogue\n"
                    "    year = 2003\n"
                    "regions\n"
                    "    heihe\n"
                    "    heilongjiang\n",
                    "x.zpl:5: second root region 'heilongjiang': regions "
                    "must have exactly one root");
}

static void
test_bad_id_chars (void **state)
{
    (void)state;
    s_assert_error ("catalogue\n"
                    "    year = 2003\n"
                    "regions\n"
                    "    Heihe\n",
                    "x.zpl:4: bad region id 'Heihe'");
    s_assert_error ("catalogue\n"
                    "    year = 2003\n"
                    "regions\n"
                    "    heihe\n"
                    "        heihe/aihui\n",
                    "x.zpl:5: bad region id 'heihe/aihui'");
    s_assert_error ("catalogue\n"
                    "    year = 2003\n"
                    "regions\n"
                    "    heihe\n"
                    "        heihe,aihui\n",
                    "x.zpl:5: bad name 'heihe,aihui'");
    s_assert_error (BASE "    Employed$\n"
                         "        time = flow\n",
                    "x.zpl:9: bad indicator id 'Employed$'");
    s_assert_error (BASE "measures\n"
                         "    Rate\n",
                    "x.zpl:10: bad measure id 'Rate'");
    s_assert_error (BASE "sources\n"
                         "    Aihui\n",
                    "x.zpl:10: bad source id 'Aihui'");
}

static void
test_catalogue_keys (void **state)
{
    (void)state;
    s_assert_error ("catalogue\n"
                    "    title = Heihe\n"
                    "regions\n",
                    "x.zpl:1: missing year in catalogue");
    s_assert_error ("catalogue\n"
                    "    year = 1899\n",
                    "x.zpl:2: year must be a whole number from 1900 to 2999, "
                    "not '1899'");
    s_assert_error ("catalogue\n"
                    "    year = 2003.0\n",
                    "x.zpl:2: year must be a whole number from 1900 to 2999, "
                    "not '2003.0'");
    s_assert_error ("catalogue\n"
                    "    year = 2003\n"
                    "    on_time_days = 400\n",
                    "x.zpl:3: on_time_days must be a whole number from 0 to "
                    "366, not '400'");
    s_assert_error ("catalogue\n"
                    "    year = 2003\n"
                    "    yaer = 2003\n",
                    "x.zpl:3: unknown key 'yaer' in catalogue");
    s_assert_error ("catalogue\n"
                    "    year = 2003\n"
                    "        month = 10\n",
                    "x.zpl:3: unexpected block under 'year' in catalogue");
}

//  The months updates may be for, from catalogue/years with year's text in
//  front: *first and *last as "YYYY-MM".
static void
s_assert_years (const char *catalogue_lines, const char *first,
                const char *last)
{
    char text[512];
    snprintf (text, sizeof text,
              "catalogue\n%sregions\n    city\nindicators\n    jobs\n"
              "        time = flow\n",
              catalogue_lines);
    char *error = NULL;
    catalogue_t *catalogue = catalogue_new (text, "x.zpl", &error);
    if (!catalogue)
        fail_msg ("refused: %s", error);
    char month[PERIOD_TEXT_SIZE];
    assert_string_equal (
        period_format (catalogue_first_period (catalogue), month), first);
    assert_string_equal (
        period_format (catalogue_last_period (catalogue), month), last);
    catalogue_destroy (&catalogue);
}

//  catalogue/years: by default the year and the one before; a year or a
//  range that holds the year; anything else refused where it is written.
static void
test_years (void **state)
{
    (void)state;
    s_assert_years ("    year = 2003\n", "2002-01", "2003-12");
    //  No year before 1900: the year alone.
    s_assert_years ("    year = 1900\n", "1900-01", "1900-12");
    s_assert_years ("    year = 2003\n    years = 2003\n", "2003-01",
                    "2003-12");
    s_assert_years ("    years = 2003-2004\n    year = 2003\n", "2003-01",
                    "2004-12");
    s_assert_years ("    year = 2003\n    years = \"2001-2003\"\n", "2001-01",
                    "2003-12");
    s_assert_years ("    year = 2999\n    years = 1900-2999\n", "1900-01",
                    "2999-12");
    const char *malformed[] = {
        "2002..2003",     "2002 2003", "03-04",     "2002-", "-2003",
        "2002-2003-2004", "1899-2003", "2003-3000", "y2003", ""};
    for (size_t index = 0; index < sizeof malformed / sizeof malformed[0];
         index++) {
        char text[128], expected[192];
        snprintf (text, sizeof text,
                  "catalogue\n    year = 2003\n"
                  "    years = \"%s\"\n",
                  malformed[index]);
        snprintf (expected, sizeof expected,
                  "x.zpl:3: years must be a year or a range such as "
                  "2002-2003, from 1900 to 2999, not '%s'",
                  malformed[index]);
        s_assert_error (text, expected);
    }
    s_assert_error ("catalogue\n"
                    "    year = 2003\n"
                    "    years = 2003-2002\n",
                    "x.zpl:3: years '2003-2002' run backwards: write "
                    "2002-2003");
    s_assert_error ("catalogue\n"
                    "    years = 2004-2005\n"
                    "    year = 2003\n",
                    "x.zpl:2: years '2004-2005' do not include the "
                    "catalogue's year 2003");
    s_assert_error ("catalogue\n"
                    "    year = 2003\n"
                    "    years = 2002\n",
                    "x.zpl:3: years '2002' do not include the catalogue's "
                    "year 2003");
}

static void
test_indicator_keys (void **state)
{
    (void)state;
    s_assert_error (BASE "    reemployed\n"
                         "        nmae = \"Re-employed\"\n"
                         "        time = flow\n",
                    "x.zpl:10: unknown key 'nmae' in indicators/reemployed");
    s_assert_error (BASE "    reemployed\n"
                         "        name = \"Re-employed\"\n",
                    "x.zpl:9: missing time in indicators/reemployed");
    s_assert_error (BASE "    reemployed\n"
                         "        time = flow\n"
                         "        whole = maybe\n",
                    "x.zpl:11: whole must be yes or no, not 'maybe'");
    s_assert_error (BASE "    reemployed = yes\n"
                         "        time = flow\n",
                    "x.zpl:9: unexpected value 'yes' for 'reemployed' in "
                    "indicators");
}

static void
test_unknown_time_kind (void **state)
{
    (void)state;
    s_assert_error ("catalogue\n"
                    "    year = 2003\n"
                    "regions\n"
                    "    heihe\n"
                    "indicators\n"
                    "    employed_new\n"
                    "        time = flows\n",
                    "x.zpl:7: time must be flow, stock or cumulative, not "
                    "'flows'");
}

static void
test_unknown_operand (void **state)
{
    (void)state;
    s_assert_error (
        BASE "measures\n"
             "    rate\n"
             "        numerator = employed_new\n"
             "        denominator = labour_forse\n",
        "x.zpl:12: unknown operand 'labour_forse' in measures/rate");
    s_assert_error (BASE "measures\n"
                         "    total\n"
                         "        sum = \"employed_new heihe\"\n",
                    "x.zpl:11: unknown operand 'heihe' in measures/total");
    s_assert_error (BASE "measures\n"
                         "    rate\n"
                         "        numerator = employed_new\n",
                    "x.zpl:10: measure 'rate' has no denominator");
    s_assert_error (BASE "measures\n"
                         "    rate\n"
                         "        name = Rate\n",
                    "x.zpl:10: measure 'rate' needs numerator and denominator, "
                    "or sum");
    s_assert_error (BASE "measures\n"
                         "    rate\n"
                         "        numerator = employed_new\n"
                         "        denominator = employed_new\n"
                         "        sum = employed_new\n",
                    "x.zpl:10: measure 'rate' has both sum and "
                    "numerator/denominator");
    s_assert_error (BASE "measures\n"
                         "    total\n"
                         "        sum = \"  \"\n",
                    "x.zpl:11: empty sum in measures/total");
    s_assert_error (BASE "measures\n"
                         "    rate\n"
                         "        numerator = employed_new\n"
                         "        denominator = employed_new\n"
                         "        scale = 0\n",
                    "x.zpl:13: scale must be a positive number, not '0'");
    s_assert_error (BASE "measures\n"
                         "    rate\n"
                         "        numerator = employed_new\n"
                         "        denominator = employed_new\n"
                         "        decimals = 7\n",
                    "x.zpl:13: decimals must be a whole number from 0 to 6, "
                    "not '7'");
    s_assert_error (BASE "measures\n"
                         "    rate\n"
                         "        numerator = employed_new\n"
                         "        denominator = employed_new\n"
                         "        sacle = 100\n",
                    "x.zpl:13: unknown key 'sacle' in measures/rate");
}

static void
test_measure_cycle (void **state)
{
    (void)state;
    //  rate -> labour_force -> rate, where labour_force is defined later
    s_assert_error (BASE "measures\n"
                         "    rate\n"
                         "        numerator = employed_new\n"
                         "        denominator = labour_force\n"
                         "    labour_force\n"
                         "        sum = \"employed_new rate\"\n",
                    "x.zpl:14: measure cycle: 'rate' -> 'labour_force' -> "
                    "'rate'");
    s_assert_error (BASE "measures\n"
                         "    self_sum\n"
                         "        sum = \"self_sum\"\n",
                    "x.zpl:11: measure cycle: 'self_sum' -> 'self_sum'");
}

static void
test_targets (void **state)
{
    (void)state;
    s_assert_error (BASE "targets\n"
                         "    heihe.aihu\n"
                         "        employed_new = 10\n",
                    "x.zpl:10: unknown region 'heihe.aihu' in targets");
    s_assert_error (BASE "targets\n"
                         "    heihe\n"
                         "        employed_nwe = 4403\n",
                    "x.zpl:11: unknown indicator 'employed_nwe' in "
                    "targets/heihe");
    s_assert_error (BASE "targets\n"
                         "    heihe\n"
                         "        employed_new = -5\n",
                    "x.zpl:11: negative target '-5' for 'employed_new' in "
                    "targets/heihe");
    s_assert_error (BASE "targets\n"
                         "    heihe\n"
                         "        employed_new = 4,403\n",
                    "x.zpl:11: target must be a number, not '4,403'");
    s_assert_error (BASE "targets\n"
                         "    heihe\n"
                         "        employed_new = 1.2345\n",
                    "x.zpl:11: target '1.2345' has more than 3 decimals");
    s_assert_error (BASE "targets\n"
                         "    heihe\n"
                         "        employed_new = 1000000000001\n",
                    "x.zpl:11: target '1000000000001' is too large");
    s_assert_error (BASE "targets\n"
                         "    heihe\n"
                         "        employed_new = 1\n"
                         "        employed_new = 2\n",
                    "x.zpl:12: duplicate target for 'employed_new' in "
                    "targets/heihe");
    s_assert_error (BASE "measures\n"
                         "    total\n"
                         "        sum = employed_new\n"
                         "targets\n"
                         "    heihe\n"
                         "        total = 2\n",
                    "x.zpl:14: 'total' is a measure: targets are set on "
                    "indicators, in targets/heihe");
}

static void
test_limits (void **state)
{
    (void)state;
    s_assert_error (BASE "limits\n"
                         "    heihe\n"
                         "        unemployment_rat = 2.99\n",
                    "x.zpl:11: unknown figure 'unemployment_rat' in "
                    "limits/heihe");
    s_assert_error (BASE "limits\n"
                         "    nowhere\n",
                    "x.zpl:10: unknown region 'nowhere' in limits");
    s_assert_error (BASE "limits\n"
                         "    heihe\n"
                         "        employed_new = 2.99%\n",
                    "x.zpl:11: limit must be a number with at most 6 "
                    "decimals, not '2.99%'");
}

static void
test_sources (void **state)
{
    (void)state;
    s_assert_error (BASE "sources\n"
                         "    aihui\n"
                         "        regions = \"heihe.aihui heihe.aihiu\"\n",
                    "x.zpl:11: unknown region 'heihe.aihiu' in sources/aihui");
    s_assert_error (BASE "sources\n"
                         "    aihui\n"
                         "        public_key = \"rq:rM>}U?@Lns47E1%kR.o@n%"
                         "FcmmsL/@{H8]yf7\"\n",
                    "x.zpl:10: missing regions in sources/aihui");
}

//  Lines 1-27; a rules section that follows starts at line 28.
#define RULES_BASE                                                             \
    "catalogue\n"                                                              \
    "    year = 2003\n"                                                        \
    "regions\n"                                                                \
    "    heihe\n"                                                              \
    "        heihe.direct\n"                                                   \
    "        heihe.aihui\n"                                                    \
    "            heihe.aihui.xingfu\n"                                         \
    "indicators\n"                                                             \
    "    new_jobs\n"                                                           \
    "        time = flow\n"                                                    \
    "    employed_new\n"                                                       \
    "        time = flow\n"                                                    \
    "    reemployed\n"                                                         \
    "        time = flow\n"                                                    \
    "    reemployed_private\n"                                                 \
    "        time = flow\n"                                                    \
    "    registered_unemployed\n"                                              \
    "        time = stock\n"                                                   \
    "measures\n"                                                               \
    "    reemployed_by_channel\n"                                              \
    "        sum = reemployed_private\n"                                       \
    "    unemployment_rate\n"                                                  \
    "        numerator = registered_unemployed\n"                              \
    "        denominator = reemployed\n"                                       \
    "targets\n"                                                                \
    "    heihe.direct\n"                                                       \
    "        new_jobs = 1000\n"

//  The rules of docs/configuration.md, read back field by field.
static void
test_good_rules (void **state)
{
    (void)state;
    const char *text = RULES_BASE
        "rules\n"
        "    unemployment_over_line\n"
        "        kind = threshold            # threshold | silence | ...\n"
        "        figure = unemployment_rate\n"
        "        above = 2.99\n"
        "        regions = \"heihe\"\n"
        "        severity = critical\n"
        "        for = 0\n"
        "        repeat = 86400\n"
        "    new_jobs_behind_pace\n"
        "        kind = threshold\n"
        "        figure = new_jobs.pace\n"
        "        below = 90\n"
        "        regions = \"heihe heihe.*\"\n"
        "    new_jobs_done\n"
        "        kind = threshold\n"
        "        figure = new_jobs.completion\n"
        "        above = 100.5\n"
        "        regions = \"heihe.aihui heihe.* heihe.aihui.*\"\n"
        "        severity = info\n"
        "    silent_county\n"
        "        kind = silence\n"
        "        regions = \"heihe.*\"\n"
        "        for = 3600\n"
        "    restated_down\n"
        "        kind = restatement\n"
        "        figure = employed_new\n"
        "        drop_pct = 10\n"
        "        regions = heihe.*\n"
        "    channels_add_up\n"
        "        kind = consistency\n"
        "        left = reemployed\n"
        "        right = reemployed_by_channel\n"
        "        relation = equal\n"
        "        regions = \"heihe heihe.*\"\n"
        "    issued_at_most_due\n"
        "        kind = consistency\n"
        "        left = reemployed_private\n"
        "        right = reemployed\n"
        "        relation = at_most\n"
        "        regions = heihe.aihui.xingfu\n"
        "        severity = warning\n";
    char *error = NULL;
    catalogue_t *catalogue = catalogue_new (text, "rules.zpl", &error);
    if (!catalogue)
        fail_msg ("refused: %s", error);
    assert_int_equal (catalogue_rule_count (catalogue), 7);
    int heihe = 0, direct = 1, aihui = 2, xingfu = 3;
    int new_jobs = catalogue_figure_find (catalogue, "new_jobs");
    int reemployed = catalogue_figure_find (catalogue, "reemployed");

    const rule_t *rule = catalogue_rule (catalogue, 0);
    assert_string_equal (rule->id, "unemployment_over_line");
    assert_int_equal (rule->kind, RULE_THRESHOLD);
    assert_int_equal (rule->figure,
                      catalogue_figure_find (catalogue, "unemployment_rate"));
    assert_int_equal (rule->target, RULE_TARGET_VALUE);
    assert_int_equal (rule->direction, RULE_ABOVE);
    assert_float_equal (rule->threshold, 2.99, 1e-12);
    assert_int_equal (rule->severity, SEVERITY_CRITICAL);
    assert_int_equal (rule->for_s, 0);
    assert_int_equal (rule->repeat_s, 86400);
    assert_int_equal (rule->region_count, 1);
    assert_int_equal (rule->regions[0], heihe);
    assert_int_equal (rule->left, -1);
    assert_int_equal (rule->right, -1);

    rule = catalogue_rule (catalogue, 1);
    assert_int_equal (rule->figure, new_jobs);
    assert_int_equal (rule->target, RULE_TARGET_PACE);
    assert_int_equal (rule->direction, RULE_BELOW);
    assert_float_equal (rule->threshold, 90, 0);
    assert_int_equal (rule->severity, SEVERITY_WARNING); //  the default
    assert_int_equal (rule->repeat_s, 0);
    assert_int_equal (rule->region_count, 3);
    assert_int_equal (rule->regions[0], heihe);
    assert_int_equal (rule->regions[1], direct);
    assert_int_equal (rule->regions[2], aihui);

    rule = catalogue_rule (catalogue, 2);
    assert_int_equal (rule->target, RULE_TARGET_COMPLETION);
    assert_float_equal (rule->threshold, 100.5, 0);
    assert_int_equal (rule->severity, SEVERITY_INFO);
    //  aihui named twice is kept once, where first named
    assert_int_equal (rule->region_count, 3);
    assert_int_equal (rule->regions[0], aihui);
    assert_int_equal (rule->regions[1], direct);
    assert_int_equal (rule->regions[2], xingfu);

    rule = catalogue_rule (catalogue, 3);
    assert_int_equal (rule->kind, RULE_SILENCE);
    assert_int_equal (rule->figure, -1);
    assert_int_equal (rule->for_s, 3600);
    assert_int_equal (rule->region_count, 2);

    rule = catalogue_rule (catalogue, 4);
    assert_int_equal (rule->kind, RULE_RESTATEMENT);
    assert_int_equal (rule->figure,
                      catalogue_figure_find (catalogue, "employed_new"));
    assert_float_equal (rule->drop_pct, 10, 0);
    assert_int_equal (rule->region_count, 2);

    rule = catalogue_rule (catalogue, 5);
    assert_int_equal (rule->kind, RULE_CONSISTENCY);
    assert_int_equal (rule->left, reemployed);
    assert_int_equal (rule->right, catalogue_figure_find (
                                       catalogue, "reemployed_by_channel"));
    assert_int_equal (rule->relation, RULE_EQUAL);
    assert_int_equal (rule->region_count, 3);

    rule = catalogue_rule (catalogue, 6);
    assert_int_equal (rule->relation, RULE_AT_MOST);
    assert_int_equal (rule->right, reemployed);
    assert_int_equal (rule->region_count, 1);
    assert_int_equal (rule->regions[0], xingfu);

    assert_null (catalogue_rule (catalogue, 7));
    assert_null (catalogue_rule (catalogue, -1));
    assert_int_equal (catalogue_rule_find (catalogue, "silent_county"), 3);
    assert_int_equal (catalogue_rule_find (catalogue, "heihe"), -1);
    assert_string_equal (catalogue_severity_name (SEVERITY_CRITICAL),
                         "critical");
    assert_string_equal (catalogue_rule_kind_name (RULE_RESTATEMENT),
                         "restatement");
    catalogue_destroy (&catalogue);

    //  No rules section: no rules
    catalogue = catalogue_new (RULES_BASE, "rules.zpl", NULL);
    assert_non_null (catalogue);
    assert_int_equal (catalogue_rule_count (catalogue), 0);
    assert_null (catalogue_rule (catalogue, 0));
    catalogue_destroy (&catalogue);
}

static void
test_rules (void **state)
{
    (void)state;
    s_assert_error (RULES_BASE "rules\n"
                               "    Over\n"
                               "        kind = silence\n",
                    "x.zpl:29: bad rule id 'Over'");
    s_assert_error (RULES_BASE "rules\n"
                               "    quiet\n"
                               "        kind = silence\n"
                               "        regions = heihe\n"
                               "    quiet\n"
                               "        kind = silence\n"
                               "        regions = heihe\n",
                    "x.zpl:32: duplicate rule id 'quiet'");
    s_assert_error (RULES_BASE "rules\n"
                               "    quiet = yes\n",
                    "x.zpl:29: unexpected value 'yes' for 'quiet' in rules");
    s_assert_error (RULES_BASE "rules\n"
                               "    quiet\n"
                               "        regions = heihe\n",
                    "x.zpl:29: missing kind in rules/quiet");
    s_assert_error (RULES_BASE "rules\n"
                               "    quiet\n"
                               "        kind = silent\n",
                    "x.zpl:30: kind must be threshold, silence, restatement, "
                    "consistency or outlier, not 'silent'");
    s_assert_error (RULES_BASE "rules\n"
                               "    quiet\n"
                               "        kind = silence\n"
                               "        regoins = heihe\n",
                    "x.zpl:31: unknown key 'regoins' in rules/quiet");
    s_assert_error (RULES_BASE "rules\n"
                               "    quiet\n"
                               "        kind = silence\n"
                               "        above = 3\n"
                               "        regions = heihe\n",
                    "x.zpl:31: above does not apply to a silence rule, in "
                    "rules/quiet");
    s_assert_error (RULES_BASE "rules\n"
                               "    quiet\n"
                               "        kind = silence\n",
                    "x.zpl:29: missing regions in rules/quiet");
    s_assert_error (RULES_BASE "rules\n"
                               "    quiet\n"
                               "        kind = silence\n"
                               "        regions = \"heihe heihe.aihiu\"\n",
                    "x.zpl:31: unknown region 'heihe.aihiu' in rules/quiet");
    s_assert_error (RULES_BASE "rules\n"
                               "    quiet\n"
                               "        kind = silence\n"
                               "        regions = heihe.direct.*\n",
                    "x.zpl:31: 'heihe.direct.*': region 'heihe.direct' has "
                    "no children, in rules/quiet");
    s_assert_error (RULES_BASE "rules\n"
                               "    quiet\n"
                               "        kind = silence\n"
                               "        regions = \"\"\n",
                    "x.zpl:31: empty regions in rules/quiet");
    s_assert_error (RULES_BASE "rules\n"
                               "    quiet\n"
                               "        kind = silence\n"
                               "        regions = heihe\n"
                               "        severity = fatal\n",
                    "x.zpl:32: severity must be info, warning or critical, "
                    "not 'fatal'");
    s_assert_error (RULES_BASE "rules\n"
                               "    quiet\n"
                               "        kind = silence\n"
                               "        regions = heihe\n"
                               "        for = 1h\n",
                    "x.zpl:32: for must be a whole number of seconds from 0 "
                    "to 31622400, not '1h'");
    s_assert_error (RULES_BASE "rules\n"
                               "    quiet\n"
                               "        kind = silence\n"
                               "        regions = heihe\n"
                               "        repeat = 31622401\n",
                    "x.zpl:32: repeat must be a whole number of seconds from "
                    "0 to 31622400, not '31622401'");
}

static void
test_threshold_rules (void **state)
{
    (void)state;
    s_assert_error (RULES_BASE "rules\n"
                               "    over\n"
                               "        kind = threshold\n"
                               "        above = 3\n"
                               "        regions = heihe\n",
                    "x.zpl:29: missing figure in rules/over");
    s_assert_error (RULES_BASE "rules\n"
                               "    over\n"
                               "        kind = threshold\n"
                               "        figure = unemployment_rat\n"
                               "        above = 3\n"
                               "        regions = heihe\n",
                    "x.zpl:31: unknown figure 'unemployment_rat' in "
                    "rules/over");
    s_assert_error (RULES_BASE "rules\n"
                               "    over\n"
                               "        kind = threshold\n"
                               "        figure = new_job.pace\n"
                               "        below = 90\n"
                               "        regions = heihe\n",
                    "x.zpl:31: unknown indicator 'new_job' in rules/over");
    s_assert_error (RULES_BASE "rules\n"
                               "    over\n"
                               "        kind = threshold\n"
                               "        figure = unemployment_rate.pace\n"
                               "        below = 90\n"
                               "        regions = heihe\n",
                    "x.zpl:31: unknown indicator 'unemployment_rate' in "
                    "rules/over");
    s_assert_error (RULES_BASE "rules\n"
                               "    over\n"
                               "        kind = threshold\n"
                               "        figure = employed_new.completion\n"
                               "        below = 90\n"
                               "        regions = heihe\n",
                    "x.zpl:31: 'employed_new' has no target, so no "
                    "completion, in rules/over");
    s_assert_error (RULES_BASE "rules\n"
                               "    over\n"
                               "        kind = threshold\n"
                               "        figure = unemployment_rate\n"
                               "        regions = heihe\n",
                    "x.zpl:29: missing above or below in rules/over");
    s_assert_error (RULES_BASE "rules\n"
                               "    over\n"
                               "        kind = threshold\n"
                               "        figure = unemployment_rate\n"
                               "        above = 3\n"
                               "        below = 1\n"
                               "        regions = heihe\n",
                    "x.zpl:33: both above and below in rules/over");
    s_assert_error (RULES_BASE "rules\n"
                               "    over\n"
                               "        kind = threshold\n"
                               "        figure = unemployment_rate\n"
                               "        above = 2.99%\n"
                               "        regions = heihe\n",
                    "x.zpl:32: above must be a number of at least 0 with at "
                    "most 6 decimals, not '2.99%'");
    s_assert_error (RULES_BASE "rules\n"
                               "    over\n"
                               "        kind = threshold\n"
                               "        figure = unemployment_rate\n"
                               "        below = -1\n"
                               "        regions = heihe\n",
                    "x.zpl:32: below must be a number of at least 0 with at "
                    "most 6 decimals, not '-1'");
    s_assert_error (RULES_BASE "rules\n"
                               "    over\n"
                               "        kind = threshold\n"
                               "        figure = unemployment_rate\n"
                               "        above = 3\n"
                               "        drop_pct = 3\n"
                               "        regions = heihe\n",
                    "x.zpl:33: drop_pct does not apply to a threshold rule, "
                    "in rules/over");
}

static void
test_restatement_and_consistency_rules (void **state)
{
    (void)state;
    s_assert_error (RULES_BASE "rules\n"
                               "    down\n"
                               "        kind = restatement\n"
                               "        figure = reemployed_by_channel\n"
                               "        drop_pct = 10\n"
                               "        regions = heihe\n",
                    "x.zpl:31: 'reemployed_by_channel' is a measure: a "
                    "restatement rule watches a reported indicator, in "
                    "rules/down");
    s_assert_error (RULES_BASE "rules\n"
                               "    down\n"
                               "        kind = restatement\n"
                               "        figure = employed_nwe\n"
                               "        drop_pct = 10\n"
                               "        regions = heihe\n",
                    "x.zpl:31: unknown indicator 'employed_nwe' in "
                    "rules/down");
    s_assert_error (RULES_BASE "rules\n"
                               "    down\n"
                               "        kind = restatement\n"
                               "        figure = employed_new\n"
                               "        regions = heihe\n",
                    "x.zpl:29: missing drop_pct in rules/down");
    s_assert_error (RULES_BASE "rules\n"
                               "    down\n"
                               "        kind = restatement\n"
                               "        figure = employed_new\n"
                               "        drop_pct = 0\n"
                               "        regions = heihe\n",
                    "x.zpl:32: drop_pct must be above 0 and at most 100, not "
                    "'0'");
    s_assert_error (RULES_BASE "rules\n"
                               "    down\n"
                               "        kind = restatement\n"
                               "        figure = employed_new\n"
                               "        drop_pct = 100.5\n"
                               "        regions = heihe\n",
                    "x.zpl:32: drop_pct must be above 0 and at most 100, not "
                    "'100.5'");
    s_assert_error (RULES_BASE "rules\n"
                               "    adds_up\n"
                               "        kind = consistency\n"
                               "        left = reemployed\n"
                               "        regions = heihe\n",
                    "x.zpl:29: missing right in rules/adds_up");
    s_assert_error (RULES_BASE "rules\n"
                               "    adds_up\n"
                               "        kind = consistency\n"
                               "        left = reemployed\n"
                               "        right = reemployed_by_chanel\n"
                               "        regions = heihe\n",
                    "x.zpl:32: unknown figure 'reemployed_by_chanel' in "
                    "rules/adds_up");
    s_assert_error (RULES_BASE "rules\n"
                               "    adds_up\n"
                               "        kind = consistency\n"
                               "        left = reemployed\n"
                               "        right = reemployed_by_channel\n"
                               "        relation = at_least\n"
                               "        regions = heihe\n",
                    "x.zpl:33: relation must be equal or at_most, not "
                    "'at_least'");
    s_assert_error (RULES_BASE "rules\n"
                               "    adds_up\n"
                               "        kind = consistency\n"
                               "        figure = reemployed\n"
                               "        regions = heihe\n",
                    "x.zpl:31: figure does not apply to a consistency rule, "
                    "in rules/adds_up");
}

//  Data quality keys of an indicator, read back, and each malformed value
//  refused with its line.
static void
test_quality_keys (void **state)
{
    (void)state;
    char *error = NULL;
    catalogue_t *catalogue = catalogue_new (BASE "        min = 10\n"
                                                 "        max = 20000.5\n"
                                                 "        max_change = 200\n"
                                                 "        strict = yes\n"
                                                 "    reemployed\n"
                                                 "        time = stock\n"
                                                 "        max_change = 12.5\n"
                                                 "        strict = no\n"
                                                 "    wages\n"
                                                 "        time = flow\n",
                                            "q.zpl", &error);
    if (!catalogue)
        fail_msg ("refused: %s", error);
    const indicator_t *employed = catalogue_indicator (catalogue, 0);
    assert_true (employed->has_min);
    assert_int_equal (employed->min, 10000);
    assert_true (employed->has_max);
    assert_int_equal (employed->max, 20000500);
    assert_int_equal (employed->max_change, 200000);
    assert_true (employed->strict);
    const indicator_t *reemployed = catalogue_indicator (catalogue, 1);
    assert_false (reemployed->has_min);
    assert_false (reemployed->has_max);
    assert_int_equal (reemployed->max_change, 12500);
    assert_false (reemployed->strict);
    const indicator_t *wages = catalogue_indicator (catalogue, 2);
    assert_false (wages->has_min || wages->has_max || wages->strict);
    assert_int_equal (wages->max_change, 0);
    catalogue_destroy (&catalogue);

    //  min equal to max is a figure that must be exactly that: allowed.
    catalogue = catalogue_new (BASE "        min = 5\n"
                                    "        max = 5\n",
                               "q.zpl", NULL);
    assert_non_null (catalogue);
    catalogue_destroy (&catalogue);

    s_assert_error (BASE "        min = -1\n",
                    "x.zpl:9: min must be a number of at least 0 with at "
                    "most 3 decimals, not '-1', in indicators/employed_new");
    s_assert_error (BASE "        max = 1.2345\n",
                    "x.zpl:9: max must be a number of at least 0 with at "
                    "most 3 decimals, not '1.2345', in "
                    "indicators/employed_new");
    s_assert_error (BASE "        max = lots\n",
                    "x.zpl:9: max must be a number of at least 0 with at "
                    "most 3 decimals, not 'lots', in indicators/employed_new");
    s_assert_error (BASE "        max = 99999999999999\n",
                    "x.zpl:9: max '99999999999999' is too large, in "
                    "indicators/employed_new");
    s_assert_error (BASE "        min = 30\n"
                         "        max = 20\n",
                    "x.zpl:10: max '20' is below min '30', in "
                    "indicators/employed_new");
    s_assert_error (BASE "        max_change = 0\n",
                    "x.zpl:9: max_change must be a percent above 0 with at "
                    "most 3 decimals, not '0', in indicators/employed_new");
    s_assert_error (BASE "        max_change = 50%\n",
                    "x.zpl:9: max_change must be a percent above 0 with at "
                    "most 3 decimals, not '50%', in indicators/employed_new");
    s_assert_error (BASE "        max = 10\n"
                         "        strict = true\n",
                    "x.zpl:10: strict must be yes or no, not 'true', in "
                    "indicators/employed_new");
    s_assert_error (BASE "        strict = yes\n",
                    "x.zpl:9: strict = yes without min, max or max_change, "
                    "in indicators/employed_new");
    s_assert_error (BASE "        max = 10\n"
                         "        max = 20\n",
                    "x.zpl:10: duplicate key 'max' in "
                    "indicators/employed_new");
}

//  An outlier rule: an indicator with bounds, watched at the leaves at or
//  below its regions.
static void
test_outlier_rules (void **state)
{
    (void)state;
    //  Lines 1-13; the rules section starts at line 14.
#define OUTLIER_BASE                                                           \
    "catalogue\n"                                                              \
    "    year = 2003\n"                                                        \
    "regions\n"                                                                \
    "    heihe\n"                                                              \
    "        heihe.direct\n"                                                   \
    "        heihe.aihui\n"                                                    \
    "            heihe.aihui.xingfu\n"                                         \
    "indicators\n"                                                             \
    "    employed_new\n"                                                       \
    "        time = flow\n"                                                    \
    "        max = 20000\n"                                                    \
    "    wages\n"                                                              \
    "        time = flow\n"
    char *error = NULL;
    catalogue_t *catalogue =
        catalogue_new (OUTLIER_BASE "rules\n"
                                    "    odd_new_jobs\n"
                                    "        kind = outlier\n"
                                    "        figure = employed_new\n"
                                    "        regions = heihe\n"
                                    "        severity = critical\n"
                                    "    odd_direct\n"
                                    "        kind = outlier\n"
                                    "        figure = employed_new\n"
                                    "        regions = \"heihe.direct "
                                    "heihe.direct\"\n",
                       "o.zpl", &error);
    if (!catalogue)
        fail_msg ("refused: %s", error);
    const rule_t *rule = catalogue_rule (catalogue, 0);
    assert_int_equal (rule->kind, RULE_OUTLIER);
    assert_int_equal (rule->figure, 0);
    assert_int_equal (rule->severity, SEVERITY_CRITICAL);
    //  heihe covers its leaves, in tree order: direct and xingfu.
    assert_int_equal (rule->region_count, 2);
    assert_int_equal (rule->regions[0],
                      catalogue_region_find (catalogue, "heihe.direct"));
    assert_int_equal (rule->regions[1],
                      catalogue_region_find (catalogue, "heihe.aihui.xingfu"));
    rule = catalogue_rule (catalogue, 1);
    assert_int_equal (rule->region_count, 1);
    assert_string_equal (catalogue_rule_kind_name (RULE_OUTLIER), "outlier");
    catalogue_destroy (&catalogue);

    s_assert_error (OUTLIER_BASE "rules\n"
                                 "    odd\n"
                                 "        kind = outlier\n"
                                 "        regions = heihe\n",
                    "x.zpl:15: missing figure in rules/odd");
    s_assert_error (OUTLIER_BASE "rules\n"
                                 "    odd\n"
                                 "        kind = outlier\n"
                                 "        figure = wages\n"
                                 "        regions = heihe\n",
                    "x.zpl:17: 'wages' has no min, max or max_change to "
                    "watch, in rules/odd");
    s_assert_error (OUTLIER_BASE "rules\n"
                                 "    odd\n"
                                 "        kind = outlier\n"
                                 "        figure = employed\n"
                                 "        regions = heihe\n",
                    "x.zpl:17: unknown indicator 'employed' in rules/odd");
    s_assert_error (OUTLIER_BASE "rules\n"
                                 "    odd\n"
                                 "        kind = outlier\n"
                                 "        figure = employed_new\n"
                                 "        above = 3\n"
                                 "        regions = heihe\n",
                    "x.zpl:18: above does not apply to an outlier rule, in "
                    "rules/odd");
#undef OUTLIER_BASE
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_good_header),
        cmocka_unit_test (test_good_regions),
        cmocka_unit_test (test_good_figures),
        cmocka_unit_test (test_good_targets_and_limits),
        cmocka_unit_test (test_good_sources),
        cmocka_unit_test (test_minimal),
        cmocka_unit_test (test_utf8_bom_crlf),
        cmocka_unit_test (test_comments),
        cmocka_unit_test (test_unknown_section),
        cmocka_unit_test (test_missing_sections),
        cmocka_unit_test (test_duplicate_id),
        cmocka_unit_test (test_bad_id_chars),
        cmocka_unit_test (test_catalogue_keys),
        cmocka_unit_test (test_years),
        cmocka_unit_test (test_indicator_keys),
        cmocka_unit_test (test_unknown_time_kind),
        cmocka_unit_test (test_unknown_operand),
        cmocka_unit_test (test_measure_cycle),
        cmocka_unit_test (test_targets),
        cmocka_unit_test (test_limits),
        cmocka_unit_test (test_sources),
        cmocka_unit_test (test_good_rules),
        cmocka_unit_test (test_rules),
        cmocka_unit_test (test_threshold_rules),
        cmocka_unit_test (test_restatement_and_consistency_rules),
        cmocka_unit_test (test_quality_keys),
        cmocka_unit_test (test_outlier_rules),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
