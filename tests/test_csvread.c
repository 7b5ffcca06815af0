/*  test_csvread.c — the collector's CSV reader, fed strings: exact rows,
    exact reasons and exact physical line numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "csvread.h"
#include "check.h"
#include "period.h"

//  Read a whole text in one feed; the test destroys the reader.
static csvread_t *
s_read (const char *text)
{
    csvread_t *reader = csvread_new ();
    assert_non_null (reader);
    csvread_feed (reader, text, strlen (text));
    csvread_finish (reader);
    return reader;
}

static void
s_assert_row (csvread_t *reader, size_t index, uint32_t line,
              const char *region, const char *indicator, int year, int month,
              jt_value_t value, bool add)
{
    assert_true (index < csvread_row_count (reader));
    const jt_update_t *row = csvread_row (reader, index);
    assert_int_equal (row->line, line);
    assert_string_equal (row->region, region);
    assert_string_equal (row->indicator, indicator);
    assert_int_equal (row->period, year * 100 + month);
    assert_int_equal (row->value, value);
    assert_int_equal (row->add, add);
}

static void
s_assert_rejection (csvread_t *reader, size_t index, uint32_t line,
                    const char *reason)
{
    assert_true (index < csvread_rejection_count (reader));
    const csvread_rejection_t *rejection = csvread_rejection (reader, index);
    assert_string_equal (rejection->reason, reason);
    assert_int_equal (rejection->line, line);
}

//  What a spreadsheet saves: BOM, CRLF, quoted thousands.
static void
test_spreadsheet_export (void **state)
{
    (void)state;
    csvread_t *reader =
        s_read ("\xEF\xBB\xBFregion,indicator,period,value\r\n"
                "heihe.aihui,employed_new,2003-10,\"11,800\"\r\n"
                "\"heihe.direct\",\"employed_new\",\"2003-10\",\"1,484\"\r\n"
                "heihe.aihui,reemployed,2003-10,\"1,234,567\"\r\n");
    assert_int_equal (csvread_rejection_count (reader), 0);
    assert_int_equal (csvread_row_count (reader), 3);
    s_assert_row (reader, 0, 2, "heihe.aihui", "employed_new", 2003, 10,
                  11800000, false);
    s_assert_row (reader, 1, 3, "heihe.direct", "employed_new", 2003, 10,
                  1484000, false);
    s_assert_row (reader, 2, 4, "heihe.aihui", "reemployed", 2003, 10,
                  1234567000, false);
    //  Ids are interned: the same text, the same pointer.
    assert_ptr_equal (csvread_row (reader, 0)->region,
                      csvread_row (reader, 2)->region);
    csvread_destroy (&reader);
    assert_null (reader);
    csvread_destroy (&reader);
}

static void
test_comments_and_blank_lines (void **state)
{
    (void)state;
    csvread_t *reader =
        s_read ("# Aihui District, 2003 (illustrative split)\n" //  1
                "\n"                                            //  2
                "Region,INDICATOR,period,Value,Op\n"            //  3
                "# set first, then an event\n"                  //  4
                "heihe.aihui,employed_new,2003-01,5\n"          //  5
                "   \n"                                         //  6
                "\"# quoted, comment\",,,\n"                    //  7
                "  # it's \"odd, \"unbalanced\n"                //  8
                ",,,,\n"                                        //  9
                "heihe.aihui,employed_new,2003-01,1,add\n"      //  10
                "\n");                                          //  11
    assert_int_equal (csvread_rejection_count (reader), 0);
    assert_int_equal (csvread_row_count (reader), 2);
    s_assert_row (reader, 0, 5, "heihe.aihui", "employed_new", 2003, 1, 5000,
                  false);
    s_assert_row (reader, 1, 10, "heihe.aihui", "employed_new", 2003, 1, 1000,
                  true);
    csvread_destroy (&reader);
}

static void
test_decimals_and_ops (void **state)
{
    (void)state;
    csvread_t *reader =
        s_read ("region,indicator,period,value,op\n"
                "heihe.aihui,wages,2003-01,12.5,set\n"        //  2
                "heihe.aihui,wages,2003-02,0.125,SET\n"       //  3
                "heihe.aihui,wages,2003-03,\"1,234.5\",Add\n" //  4
                "heihe.aihui,wages,2003-04,\" 7 \",\n"        //  5
                "heihe.aihui,wages,2003-05,0\n"               //  6
                "heihe.aihui,wages,2003-06,12.3456\n"         //  7
                "heihe.aihui,wages,2003-07,\"1,23\"\n"        //  8
                "heihe.aihui,wages,2003-08,12.\n"             //  9
                "heihe.aihui,wages,2003-09,5,,,\n");          //  10
    assert_int_equal (csvread_row_count (reader), 6);
    s_assert_row (reader, 0, 2, "heihe.aihui", "wages", 2003, 1, 12500, false);
    s_assert_row (reader, 1, 3, "heihe.aihui", "wages", 2003, 2, 125, false);
    s_assert_row (reader, 2, 4, "heihe.aihui", "wages", 2003, 3, 1234500, true);
    s_assert_row (reader, 3, 5, "heihe.aihui", "wages", 2003, 4, 7000, false);
    s_assert_row (reader, 4, 6, "heihe.aihui", "wages", 2003, 5, 0, false);
    s_assert_row (reader, 5, 10, "heihe.aihui", "wages", 2003, 9, 5000, false);
    assert_int_equal (csvread_rejection_count (reader), 3);
    s_assert_rejection (reader, 0, 7, "not a number '12.3456'");
    s_assert_rejection (reader, 1, 8, "not a number '1,23'");
    s_assert_rejection (reader, 2, 9, "not a number '12.'");
    csvread_destroy (&reader);
}

//  The day a row's report was filed, as given in the reported column.
static void
s_assert_reported (csvread_t *reader, size_t index, int year, int month,
                   int day)
{
    assert_true (index < csvread_row_count (reader));
    int expected = year ? year * 10000 + month * 100 + day : 0;
    assert_int_equal (csvread_row (reader, index)->reported, expected);
}

//  The sixth column: the day each row's report was filed. op may be empty
//  beside it; a row may leave it out (the aggregator then takes the day it
//  arrives); a date that is not a calendar date, or is before the row's
//  month, is refused.
static void
test_reported_column (void **state)
{
    (void)state;
    csvread_t *reader =
        s_read ("region,indicator,period,value,op,reported\n"            //  1
                "heihe.sunwu,employed_new,2003-10,95,,2003-11-14\n"      //  2
                "heihe.sunwu,employed_new,2003-10,1,add,2003-11-20\n"    //  3
                "heihe.sunwu,trained,2003-10,\"1,234\",set,2003-10-01\n" //  4
                "heihe.sunwu,trained,2003-09,7\n"                        //  5
                "heihe.sunwu,trained,2003-08,7,set\n"                    //  6
                "heihe.sunwu,trained,2003-07,7,,\n"                      //  7
                "heihe.sunwu,trained,2003-02,7,,2003-02-30\n"            //  8
                "heihe.sunwu,trained,2003-10,7,,2003-09-30\n"            //  9
                "heihe.sunwu,trained,2003-10,7,,14/11/2003\n"            //  10
                "heihe.sunwu,trained,2003-10,7,,2003-11-14,x\n"          //  11
                "heihe.sunwu,trained,2003-10,7,drop,2003-11-14\n"        //  12
                "heihe.sunwu,trained,2003-10,7,,\" 2003-11-14\"\n"       //  13
                "heihe.sunwu,trained,2003-12,7,,2004-01-05\r\n");        //  14
    assert_int_equal (csvread_row_count (reader), 8);
    s_assert_row (reader, 0, 2, "heihe.sunwu", "employed_new", 2003, 10, 95000,
                  false);
    s_assert_reported (reader, 0, 2003, 11, 14);
    s_assert_row (reader, 1, 3, "heihe.sunwu", "employed_new", 2003, 10, 1000,
                  true);
    s_assert_reported (reader, 1, 2003, 11, 20);
    s_assert_row (reader, 2, 4, "heihe.sunwu", "trained", 2003, 10, 1234000,
                  false);
    s_assert_reported (reader, 2, 2003, 10, 1); //  the month's first day
    s_assert_reported (reader, 3, 0, 0, 0);     //  4 columns: none
    s_assert_reported (reader, 4, 0, 0, 0);     //  5 columns: none
    s_assert_reported (reader, 5, 0, 0, 0);     //  empty: none
    s_assert_row (reader, 6, 13, "heihe.sunwu", "trained", 2003, 10, 7000,
                  false);
    s_assert_reported (reader, 6, 2003, 11, 14); //  spaces trimmed
    s_assert_row (reader, 7, 14, "heihe.sunwu", "trained", 2003, 12, 7000,
                  false);
    s_assert_reported (reader, 7, 2004, 1, 5); //  filed the next year
    assert_int_equal (csvread_rejection_count (reader), 5);
    s_assert_rejection (reader, 0, 8, "bad report date '2003-02-30'");
    s_assert_rejection (reader, 1, 9,
                        "bad report date '2003-09-30': before 2003-10");
    s_assert_rejection (reader, 2, 10, "bad report date '14/11/2003'");
    s_assert_rejection (reader, 3, 11,
                        "wrong number of columns: 7, expected 4 to 6");
    s_assert_rejection (reader, 4, 12, "bad op 'drop'");
    csvread_destroy (&reader);

    //  Without a reported header, a sixth column is one too many.
    reader = s_read ("region,indicator,period,value\n"
                     "heihe.sunwu,trained,2003-10,7,,2003-11-14\n");
    assert_int_equal (csvread_row_count (reader), 0);
    s_assert_rejection (reader, 0, 2,
                        "wrong number of columns: 6, expected 4 or 5");
    csvread_destroy (&reader);
}

//  Every kind of bad row, each between good ones.
static const char *s_bad_rows =
    "region,indicator,period,value,op\n"                       //  1
    "heihe.aihui,employed_new,2003-01,10\n"                    //  2
    "heihe.aihui,employed_new,2003-02,10,remove\n"             //  3
    "heihe.aihui,employed_new,2003-13,10\n"                    //  4
    "heihe.aihui,employed_new,2003-03,-5\n"                    //  5
    "heihe.aihui,employed_new,2003-04,abc\n"                   //  6
    "heihe.aihui,employed_new,2003-05\n"                       //  7
    "Heihe.Aihui,employed_new,2003-06,1\n"                     //  8
    "heihe.aihui,employed_new,2003-07,7,add\n"                 //  9
    "\r\n"                                                     //  10
    "heihe.aihui,employed_new,2003-08,1,set,3\n"               //  11
    "heihe.aihui,employed new,2003-08,1\n"                     //  12
    "heihe.aihui,employed_new,2003-08,\"1,000,000,000,001\"\n" //  13
    "heihe.aihui,employed_new,2003-09,9";                      //  14, no '\n'

static void
s_check_bad_rows (csvread_t *reader)
{
    assert_int_equal (csvread_row_count (reader), 3);
    s_assert_row (reader, 0, 2, "heihe.aihui", "employed_new", 2003, 1, 10000,
                  false);
    s_assert_row (reader, 1, 9, "heihe.aihui", "employed_new", 2003, 7, 7000,
                  true);
    s_assert_row (reader, 2, 14, "heihe.aihui", "employed_new", 2003, 9, 9000,
                  false);
    assert_int_equal (csvread_rejection_count (reader), 9);
    s_assert_rejection (reader, 0, 3, "bad op 'remove'");
    s_assert_rejection (reader, 1, 4, "bad period '2003-13'");
    s_assert_rejection (reader, 2, 5, "negative value '-5'");
    s_assert_rejection (reader, 3, 6, "not a number 'abc'");
    s_assert_rejection (reader, 4, 7,
                        "wrong number of columns: 3, expected 4 or 5");
    s_assert_rejection (reader, 5, 8, "bad id 'Heihe.Aihui'");
    s_assert_rejection (reader, 6, 11,
                        "wrong number of columns: 6, expected 4 or 5");
    s_assert_rejection (reader, 7, 12, "bad id 'employed new'");
    s_assert_rejection (reader, 8, 13, "value too large '1,000,000,000,001'");
}

static void
test_bad_rows (void **state)
{
    (void)state;
    csvread_t *reader = s_read (s_bad_rows);
    s_check_bad_rows (reader);
    csvread_destroy (&reader);
}

//  Bytes may arrive in any pieces: one at a time gives the same result.
static void
test_fed_byte_by_byte (void **state)
{
    (void)state;
    csvread_t *reader = csvread_new ();
    const char *bom = "\xEF\xBB\xBF";
    for (const char *c = bom; *c; c++)
        assert_int_equal (csvread_feed (reader, c, 1), 0);
    for (const char *c = s_bad_rows; *c; c++)
        assert_int_equal (csvread_feed (reader, c, 1), 0);
    assert_int_equal (csvread_finish (reader), 0);
    s_check_bad_rows (reader);
    csvread_destroy (&reader);
}

static void
test_bad_header (void **state)
{
    (void)state;
    csvread_t *reader = csvread_new ();
    const char *text = "regoin,indicator,period,value\n"
                       "heihe.aihui,employed_new,2003-01,10\n";
    assert_int_equal (csvread_feed (reader, text, strlen (text)), -1);
    assert_int_equal (csvread_finish (reader), -1);
    assert_int_equal (csvread_row_count (reader), 0);
    assert_int_equal (csvread_rejection_count (reader), 1);
    s_assert_rejection (
        reader, 0, 1,
        "bad header 'regoin,indicator,period,value', "
        "expected 'region,indicator,period,value[,op[,reported]]'");
    csvread_destroy (&reader);

    //  Data where the header should be.
    reader = s_read ("heihe.aihui,employed_new,2003-01,10\n");
    assert_int_equal (csvread_row_count (reader), 0);
    s_assert_rejection (
        reader, 0, 1,
        "bad header 'heihe.aihui,employed_new,2003-01,10', "
        "expected 'region,indicator,period,value[,op[,reported]]'");
    csvread_destroy (&reader);

    //  A sixth header column other than reported is not allowed; the
    //  header's own line is named.
    reader =
        s_read ("# county export\nregion,indicator,period,value,op,note\n");
    s_assert_rejection (
        reader, 0, 2,
        "bad header 'region,indicator,period,value,op,note', "
        "expected 'region,indicator,period,value[,op[,reported]]'");
    csvread_destroy (&reader);
    reader = s_read ("region,indicator,period,value,op,reported,note\n");
    s_assert_rejection (
        reader, 0, 1,
        "bad header 'region,indicator,period,value,op,reported,...', "
        "expected 'region,indicator,period,value[,op[,reported]]'");
    csvread_destroy (&reader);

    //  Nothing at all, or only comments.
    reader = s_read ("");
    assert_int_equal (csvread_rejection_count (reader), 1);
    s_assert_rejection (reader, 0, 1,
                        "missing header, expected "
                        "'region,indicator,period,value[,op[,reported]]'");
    csvread_destroy (&reader);
    reader = s_read ("\xEF\xBB\xBF# only a comment\r\n");
    s_assert_rejection (reader, 0, 1,
                        "missing header, expected "
                        "'region,indicator,period,value[,op[,reported]]'");
    csvread_destroy (&reader);
}

//  A quoted field may hold line breaks; lines stay physical lines.
static void
test_quoted_newline_lines (void **state)
{
    (void)state;
    csvread_t *reader =
        s_read ("region,indicator,period,value\r\n"              //  1
                "heihe.aihui,employed_new,2003-01,\"1\r\n"       //  2
                "0\"\r\n"                                        //  3
                "\"heihe.aihui\",employed_new,2003-02,5\r\n"     //  4
                "\"heihe.\n"                                     //  5
                "\n"                                             //  6
                "aihui\",employed_new,2003-03,5\n"               //  7
                "# a comment\n"                                  //  8
                "heihe.aihui,employed_new,2003-04,\"1,000\"\n"); //  9
    assert_int_equal (csvread_row_count (reader), 2);
    s_assert_row (reader, 0, 4, "heihe.aihui", "employed_new", 2003, 2, 5000,
                  false);
    s_assert_row (reader, 1, 9, "heihe.aihui", "employed_new", 2003, 4, 1000000,
                  false);
    assert_int_equal (csvread_rejection_count (reader), 2);
    s_assert_rejection (reader, 0, 2, "not a number '1??0'");
    s_assert_rejection (reader, 1, 5, "bad id 'heihe.??aihui'");
    csvread_destroy (&reader);
}

//  A cell set twice with another value is a warning naming both lines; the
//  same value again, an add, or another month is not. Both rows are kept.
static void
test_cell_set_twice (void **state)
{
    (void)state;
    csvread_t *reader = s_read ("region,indicator,period,value,op\n"
                                "heihe.aihui,employed_new,2003-10,120\n"
                                "heihe.aihui,employed_new,2003-09,120\n"
                                "heihe.aihui,employed_new,2003-10,120\n"
                                "heihe.aihui,employed_new,2003-10,5,add\n"
                                "heihe.sunwu,employed_new,2003-10,130\n"
                                "heihe.aihui,employed_new,2003-10,130\n"
                                "heihe.aihui,employed_new,2003-10,12.5\n"
                                "heihe.aihui,reemployed,2003-10,130\n");
    assert_int_equal (csvread_row_count (reader), 8);
    assert_int_equal (csvread_rejection_count (reader), 0);
    assert_int_equal (csvread_warning_count (reader), 2);
    const csvread_rejection_t *warning = csvread_warning (reader, 0);
    assert_int_equal (warning->line, 7);
    assert_string_equal (warning->reason,
                         "heihe.aihui employed_new 2003-10 given again (was "
                         "120 on line 4, now 130)");
    warning = csvread_warning (reader, 1);
    assert_int_equal (warning->line, 8);
    assert_string_equal (warning->reason,
                         "heihe.aihui employed_new 2003-10 given again (was "
                         "130 on line 7, now 12.5)");
    csvread_destroy (&reader);

    //  Without a good header nothing is compared.
    reader = s_read ("region,indicator\n"
                     "heihe.aihui,employed_new,2003-10,120\n");
    assert_int_equal (csvread_warning_count (reader), 0);
    csvread_destroy (&reader);
}

static void
test_parse_value (void **state)
{
    (void)state;
    jt_value_t value = -1;
    assert_int_equal (csvread_parse_value ("11,800", &value), JT_OK);
    assert_int_equal (value, 11800000);
    assert_int_equal (csvread_parse_value ("007", &value), JT_OK);
    assert_int_equal (value, 7000);
    assert_int_equal (csvread_parse_value ("1000000000000", &value), JT_OK);
    assert_int_equal (value, 1000000000000000LL);
    assert_int_equal (csvread_parse_value ("1000000000000.001", &value),
                      JT_ERR_TOO_LARGE);
    assert_int_equal (csvread_parse_value ("99999999999999999999999", &value),
                      JT_ERR_TOO_LARGE);
    assert_int_equal (csvread_parse_value ("-1,000.5", &value),
                      JT_ERR_NEGATIVE);
    assert_int_equal (csvread_parse_value ("-", &value), JT_ERR_BAD_NUMBER);
    assert_int_equal (csvread_parse_value ("", &value), JT_ERR_BAD_NUMBER);
    assert_int_equal (csvread_parse_value ("+5", &value), JT_ERR_BAD_NUMBER);
    assert_int_equal (csvread_parse_value (",100", &value), JT_ERR_BAD_NUMBER);
    assert_int_equal (csvread_parse_value ("1000,000", &value),
                      JT_ERR_BAD_NUMBER);
    assert_int_equal (csvread_parse_value ("1,000,", &value),
                      JT_ERR_BAD_NUMBER);
    assert_int_equal (csvread_parse_value ("1,0000", &value),
                      JT_ERR_BAD_NUMBER);
    assert_int_equal (csvread_parse_value (".5", &value), JT_ERR_BAD_NUMBER);
    assert_int_equal (csvread_parse_value ("1e3", &value), JT_ERR_BAD_NUMBER);
    assert_int_equal (csvread_parse_value ("1 000", &value), JT_ERR_BAD_NUMBER);
    assert_int_equal (value, 1000000000000000LL); //  untouched on failure
}

static void
test_shown (void **state)
{
    (void)state;
    char buffer[CHECK_SHOWN_SIZE];
    assert_string_equal (check_shown ("it's\t1", buffer), "it?s?1");
    //  65 bytes: cut to 64 and marked.
    const char *long_text =
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab";
    assert_string_equal (
        check_shown (long_text, buffer),
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...");
    //  Never cut inside a UTF-8 character: 63 ASCII bytes then 黑 (3 bytes).
    const char *chinese =
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        "\xE9\xBB\x91";
    assert_string_equal (
        check_shown (chinese, buffer),
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_spreadsheet_export),
        cmocka_unit_test (test_comments_and_blank_lines),
        cmocka_unit_test (test_decimals_and_ops),
        cmocka_unit_test (test_bad_rows),
        cmocka_unit_test (test_reported_column),
        cmocka_unit_test (test_fed_byte_by_byte),
        cmocka_unit_test (test_bad_header),
        cmocka_unit_test (test_quoted_newline_lines),
        cmocka_unit_test (test_cell_set_twice),
        cmocka_unit_test (test_parse_value),
        cmocka_unit_test (test_shown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
