/*  test_quality.c — plausible bounds and month-over-month change: each
    bound at its exact edge, the month before absent or 0, adds, and a
    strict indicator's refusal that changes nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "fixture.h"
#include "period.h"
#include "quality.h"

static const char *s_catalogue = "catalogue\n"
                                 "    year = 2003\n"
                                 "regions\n"
                                 "    heihe = \"Heihe\"\n"
                                 "        heihe.aihui = \"Aihui\"\n"
                                 "        heihe.sunwu = \"Sunwu\"\n"
                                 "indicators\n"
                                 "    employed_new\n"
                                 "        time = flow\n"
                                 "        min = 10\n"
                                 "        max = 20000\n"
                                 "        max_change = 200\n"
                                 "    registered_unemployed\n"
                                 "        time = stock\n"
                                 "        max_change = 50\n"
                                 "        strict = yes\n"
                                 "    wages\n"
                                 "        time = flow\n"
                                 "        whole = no\n"
                                 "        max = 12.5\n"
                                 "    courses\n"
                                 "        time = flow\n";

typedef struct {
    catalogue_t *catalogue;
    store_t *store;
    int aihui;
    int employed;
    int unemployed;
} fixture_t;

static int
s_setup (void **state)
{
    fixture_t *fixture = calloc (1, sizeof (fixture_t));
    fixture->catalogue = fixture_catalogue (s_catalogue);
    fixture->store = store_new (fixture->catalogue);
    fixture->aihui = catalogue_region_find (fixture->catalogue, "heihe.aihui");
    fixture->employed =
        catalogue_indicator_find (fixture->catalogue, "employed_new");
    fixture->unemployed =
        catalogue_indicator_find (fixture->catalogue, "registered_unemployed");
    *state = fixture;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *fixture = *state;
    store_destroy (&fixture->store);
    catalogue_destroy (&fixture->catalogue);
    free (fixture);
    return 0;
}

//  Check a set of value (units) for heihe.aihui in month ("2003-10").
static quality_flag_t
s_figure (fixture_t *fixture, int indicator, const char *month, int64_t value,
          quality_finding_t *finding)
{
    return quality_check_figure (
        fixture->catalogue, fixture->store, fixture->aihui, indicator,
        period_parse (month), value * JT_SCALE, finding);
}

static void
s_set (fixture_t *fixture, int indicator, const char *month, int64_t value)
{
    assert_int_equal (store_apply (fixture->store, fixture->aihui, indicator,
                                   period_parse (month), value * JT_SCALE,
                                   false),
                      JT_OK);
}

//  Check an update of value units to heihe.aihui in 2003-10.
static jt_error_t
s_update (fixture_t *fixture, int indicator, int64_t value, bool add,
          quality_finding_t *finding)
{
    return quality_check_update (
        fixture->catalogue, fixture->store, fixture->aihui, indicator,
        period_parse ("2003-10"), value * JT_SCALE, add, finding);
}

//  Fail unless the October figure accepted (units) is OK with no text and
//  flagged, one past it, is flagged as flag against the bound accepted.
static void
s_assert_edge (fixture_t *fixture, int indicator, int64_t accepted,
               int64_t flagged, quality_flag_t flag, quality_finding_t *finding)
{
    assert_int_equal (
        s_figure (fixture, indicator, "2003-10", accepted, finding),
        QUALITY_OK);
    assert_string_equal (finding->text, "");
    assert_int_equal (
        s_figure (fixture, indicator, "2003-10", flagged, finding), flag);
    assert_true (finding->bound == (double)accepted);
}

static void
test_max_is_accepted_and_one_above_is_flagged (void **state)
{
    fixture_t *fixture = *state;
    quality_finding_t finding;
    s_assert_edge (fixture, fixture->employed, 20000, 20001, QUALITY_ABOVE_MAX,
                   &finding);
    assert_string_equal (finding.text, "heihe.aihui employed_new 2003-10: "
                                       "20001 above the plausible maximum "
                                       "20000");
    assert_int_equal (finding.value, 20001 * JT_SCALE);
    s_figure (fixture, fixture->employed, "2003-10", 98000, &finding);
    assert_string_equal (finding.text, "heihe.aihui employed_new 2003-10: "
                                       "98000 above the plausible maximum "
                                       "20000");
}

static void
test_min_is_accepted_and_one_below_is_flagged (void **state)
{
    fixture_t *fixture = *state;
    quality_finding_t finding;
    s_assert_edge (fixture, fixture->employed, 10, 9, QUALITY_BELOW_MIN,
                   &finding);
    assert_string_equal (finding.text, "heihe.aihui employed_new 2003-10: 9 "
                                       "below the plausible minimum 10");
}

static void
test_fractional_bound_is_exact (void **state)
{
    fixture_t *fixture = *state;
    quality_finding_t finding;
    int wages = catalogue_indicator_find (fixture->catalogue, "wages");
    int period = period_parse ("2003-10");
    assert_int_equal (quality_check_figure (fixture->catalogue, fixture->store,
                                            fixture->aihui, wages, period,
                                            12500, &finding),
                      QUALITY_OK);
    assert_int_equal (quality_check_figure (fixture->catalogue, fixture->store,
                                            fixture->aihui, wages, period,
                                            12501, &finding),
                      QUALITY_ABOVE_MAX);
    assert_string_equal (finding.text, "heihe.aihui wages 2003-10: 12.501 "
                                       "above the plausible maximum 12.5");
}

static void
test_rise_exactly_at_the_limit_is_accepted (void **state)
{
    fixture_t *fixture = *state;
    quality_finding_t finding;
    s_set (fixture, fixture->employed, "2003-09", 450);
    //  +200% of 450 is 1350: at the limit, fine; one more is flagged.
    s_assert_edge (fixture, fixture->employed, 1350, 1351, QUALITY_RISE,
                   &finding);
    s_figure (fixture, fixture->employed, "2003-10", 5400, &finding);
    assert_string_equal (
        finding.text, "heihe.aihui employed_new 2003-10: 5400 is 12.0\xC3\x97 "
                      "September's 450 (at most +200%)");
}

static void
test_drop_exactly_at_the_limit_is_accepted (void **state)
{
    fixture_t *fixture = *state;
    quality_finding_t finding;
    s_set (fixture, fixture->unemployed, "2003-09", 1000);
    //  -50% of 1000 is 500: at the limit, fine; one less is flagged.
    s_assert_edge (fixture, fixture->unemployed, 500, 499, QUALITY_DROP,
                   &finding);
    assert_string_equal (finding.text, "heihe.aihui registered_unemployed "
                                       "2003-10: 499 is 50.1% below "
                                       "September's 1000 (at most -50%)");
    s_assert_edge (fixture, fixture->unemployed, 1500, 1501, QUALITY_RISE,
                   &finding);
}

static void
test_no_month_before_compares_nothing (void **state)
{
    fixture_t *fixture = *state;
    quality_finding_t finding;
    //  No September cell at all; a sibling's September is not this leaf's.
    int sunwu = catalogue_region_find (fixture->catalogue, "heihe.sunwu");
    assert_int_equal (store_apply (fixture->store, sunwu, fixture->employed,
                                   period_parse ("2003-09"), 450 * JT_SCALE,
                                   false),
                      JT_OK);
    assert_int_equal (
        s_figure (fixture, fixture->employed, "2003-10", 19000, &finding),
        QUALITY_OK);
    //  A September of 0 is no base for a percent.
    s_set (fixture, fixture->employed, "2003-09", 0);
    assert_int_equal (
        s_figure (fixture, fixture->employed, "2003-10", 19000, &finding),
        QUALITY_OK);
    //  January is not compared with the December before.
    s_set (fixture, fixture->employed, "2002-12", 20);
    assert_int_equal (
        s_figure (fixture, fixture->employed, "2003-01", 19000, &finding),
        QUALITY_OK);
}

static void
test_indicator_without_bounds_is_never_flagged (void **state)
{
    fixture_t *fixture = *state;
    quality_finding_t finding;
    int courses = catalogue_indicator_find (fixture->catalogue, "courses");
    assert_int_equal (s_figure (fixture, courses, "2003-10", 0, &finding),
                      QUALITY_OK);
    assert_int_equal (
        s_figure (fixture, courses, "2003-10", 900000000, &finding),
        QUALITY_OK);
}

static void
test_update_warns_and_leaves_the_store_alone (void **state)
{
    fixture_t *fixture = *state;
    quality_finding_t finding;
    assert_int_equal (
        s_update (fixture, fixture->employed, 98000, false, &finding), JT_OK);
    assert_int_equal (finding.flag, QUALITY_ABOVE_MAX);
    assert_string_equal (finding.text, "heihe.aihui employed_new 2003-10: "
                                       "98000 above the plausible maximum "
                                       "20000");
    assert_int_equal (store_cell_count (fixture->store), 0);
}

static void
test_add_is_checked_by_the_cell_it_leaves (void **state)
{
    fixture_t *fixture = *state;
    quality_finding_t finding;
    s_set (fixture, fixture->employed, "2003-09", 450);
    s_set (fixture, fixture->employed, "2003-10", 1);
    //  1 + 1 is below min and far below September: still adding up.
    assert_int_equal (s_update (fixture, fixture->employed, 1, true, &finding),
                      JT_OK);
    assert_int_equal (finding.flag, QUALITY_OK);
    //  1 + 1349 = 1350 is at the limit; 1 + 1350 is above it.
    s_update (fixture, fixture->employed, 1349, true, &finding);
    assert_int_equal (finding.flag, QUALITY_OK);
    s_update (fixture, fixture->employed, 1350, true, &finding);
    assert_int_equal (finding.flag, QUALITY_RISE);
    assert_int_equal (finding.value, 1351 * JT_SCALE);
}

static void
test_strict_refusal_changes_nothing (void **state)
{
    fixture_t *fixture = *state;
    quality_finding_t finding;
    s_set (fixture, fixture->unemployed, "2003-09", 1000);
    size_t cells = store_cell_count (fixture->store);
    assert_int_equal (
        s_update (fixture, fixture->unemployed, 3000, false, &finding),
        JT_ERR_IMPLAUSIBLE);
    assert_string_equal (finding.text,
                         "implausible figure: heihe.aihui "
                         "registered_unemployed 2003-10: 3000 is 3.0\xC3\x97 "
                         "September's 1000 (at most +50%)");
    assert_string_equal (jt_strerror (JT_ERR_IMPLAUSIBLE),
                         "implausible figure");
    assert_int_equal (store_cell_count (fixture->store), cells);
    jt_value_t value;
    assert_false (store_get (fixture->store, fixture->aihui,
                             fixture->unemployed, period_parse ("2003-10"),
                             &value));
    //  Within the bounds, a strict indicator's update is simply accepted.
    assert_int_equal (
        s_update (fixture, fixture->unemployed, 1400, false, &finding), JT_OK);
    assert_int_equal (finding.flag, QUALITY_OK);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (
            test_max_is_accepted_and_one_above_is_flagged, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (
            test_min_is_accepted_and_one_below_is_flagged, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_fractional_bound_is_exact,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (
            test_rise_exactly_at_the_limit_is_accepted, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (
            test_drop_exactly_at_the_limit_is_accepted, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_no_month_before_compares_nothing,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (
            test_indicator_without_bounds_is_never_flagged, s_setup,
            s_teardown),
        cmocka_unit_test_setup_teardown (
            test_update_warns_and_leaves_the_store_alone, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (
            test_add_is_checked_by_the_cell_it_leaves, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_strict_refusal_changes_nothing,
                                         s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
