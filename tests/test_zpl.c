/*  test_zpl.c — the catalogue file's one scanner (core/zpl.c): entries
    laid out in file order with their lines and depths, quoting and
    comments as zconfig reads them, and every syntax error with its exact
    "file:line: reason"; then the helpers the three readers share. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "refusal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zpl.h"

static void *
s_read (const char *text, char **error, void *arg)
{
    (void)arg;
    return zpl_new (text, "x.zpl", error);
}

static void
s_destroy (void *object)
{
    zpl_t *zpl = object;
    zpl_destroy (&zpl);
}

static void
s_assert_error (const char *text, const char *expected)
{
    refusal_assert (s_read, s_destroy, NULL, text, expected);
}


//  Every entry comes back in file order with its line, depth, first child
//  and next sibling; comments and blank lines count as lines, not entries.
static void
test_entries_carry_their_lines (void **state)
{
    (void)state;
    char *error = NULL;
    zpl_t *zpl = zpl_new ("\xEF\xBB\xBF# a comment\r\n"
                          "catalogue\r\n"
                          "    year = 2003   # trailing comment\r\n"
                          "\r\n"
                          "        # an indented comment\r\n"
                          "regions\r\n"
                          "    heihe = \"Heihe City # not a comment\"\r\n"
                          "        heihe.aihui = 'Aihui'\r\n"
                          "    # back out\r\n",
                          "x.zpl", &error);
    assert_null (error);
    assert_non_null (zpl);
    int count;
    const zpl_node_t *nodes = zpl_nodes (zpl, &count);
    assert_int_equal (count, 5);
    assert_string_equal (nodes[0].name, "catalogue");
    assert_string_equal (nodes[0].value, "");
    assert_int_equal (nodes[0].line, 2);
    assert_int_equal (nodes[0].depth, 0);
    assert_int_equal (nodes[0].child, 1);
    assert_int_equal (nodes[0].next, 2);
    assert_string_equal (nodes[1].name, "year");
    assert_string_equal (nodes[1].value, "2003");
    assert_int_equal (nodes[1].line, 3);
    assert_int_equal (nodes[1].depth, 1);
    assert_int_equal (nodes[1].next, -1);
    assert_string_equal (nodes[2].name, "regions");
    assert_int_equal (nodes[2].line, 6);
    assert_int_equal (nodes[2].next, -1);
    assert_string_equal (nodes[3].value, "Heihe City # not a comment");
    assert_int_equal (nodes[3].line, 7);
    assert_string_equal (nodes[4].name, "heihe.aihui");
    assert_string_equal (nodes[4].value, "Aihui");
    assert_int_equal (nodes[4].line, 8);
    assert_int_equal (nodes[4].depth, 2);
    assert_int_equal (zpl_child_count (zpl, 2), 1);
    assert_int_equal (zpl_child_count (zpl, 0), 1);
    zpl_destroy (&zpl);
    zpl_destroy (&zpl); //  NULL-safe and may be called twice

    zpl = zpl_new ("", "empty.zpl", NULL);
    assert_non_null (zpl);
    nodes = zpl_nodes (zpl, &count);
    assert_int_equal (count, 0);
    zpl_destroy (&zpl);
}

static void
test_bad_indentation (void **state)
{
    (void)state;
    s_assert_error (BASE "measures\n"
                         "   rate\n",
                    "x.zpl:10: indentation of 3 spaces is not a multiple of 4");
    s_assert_error (BASE "measures\n"
                         "        rate\n",
                    "x.zpl:10: indented more than one level below the line "
                    "above");
    s_assert_error (BASE "measures\n"
                         "\trate\n",
                    "x.zpl:10: indent with spaces, not tabs");
    s_assert_error ("\n    catalogue\n",
                    "x.zpl:2: the first entry is indented");
}

static void
test_syntax (void **state)
{
    (void)state;
    s_assert_error ("catalogue\n"
                    "    year = 2003\n"
                    "    title = \"Heihe City\n"
                    "regions\n",
                    "x.zpl:3: unterminated quote in the value of 'title'");
    s_assert_error ("catalogue\n"
                    "    title = 'Heihe\n",
                    "x.zpl:2: unterminated quote in the value of 'title'");
    s_assert_error ("catalogue\n"
                    "    title = \"Heihe\" City\n",
                    "x.zpl:2: unexpected text after the value of 'title': "
                    "'City'");
    s_assert_error ("catalogue\n"
                    "    year 2003\n",
                    "x.zpl:2: expected '=' after 'year', found '2003'");
    s_assert_error ("catalogue\n"
                    "    title = # none\n",
                    "x.zpl:2: missing value for 'title'");
    s_assert_error (BASE "names\n"
                         "    zh\n"
                         "        黑河 = \"黑河市\"\n",
                    "x.zpl:11: bad name '黑河'");
    char long_line[1100];
    memset (long_line, ' ', sizeof long_line);
    memcpy (long_line, "catalogue\n    title = \"", 23);
    memset (long_line + 23, 'x', 1050);
    strcpy (long_line + 1073, "\"\n");
    s_assert_error (long_line, "x.zpl:2: line longer than 1024 bytes");
}

//  The helpers fail as the readers always have, and keep only the first
//  problem.
static void
test_sections_and_keys (void **state)
{
    (void)state;
    zpl_t *zpl = zpl_new (BASE "names\n"
                               "    zh\n"
                               "        heihe = \"黑河\"\n"
                               "names\n",
                          "x.zpl", NULL);
    assert_non_null (zpl);
    const char *mine[] = {"catalogue", "regions", NULL};
    int found[2];
    //  Another reader's sections, even repeated, are not this one's concern
    assert_int_equal (zpl_sections (zpl, mine, found, true), 0);
    assert_int_equal (found[0], 0);
    assert_int_equal (found[1], 2);
    assert_null (zpl_error (zpl));
    assert_int_equal (zpl_sections (zpl, mine, found, false), -1);
    char *error = zpl_error (zpl);
    assert_string_equal (error, "x.zpl:6: unknown section 'indicators'");
    free (error);
    const char *names[] = {"catalogue", "regions", "indicators", "names", NULL};
    int all[4];
    assert_int_equal (zpl_sections (zpl, names, all, false), -1);
    error = zpl_error (zpl);
    assert_string_equal (error, "x.zpl:12: duplicate section 'names'");
    free (error);

    const char *keys[] = {"time", NULL};
    int key[1];
    assert_int_equal (zpl_keys (zpl, 6, "indicators/employed_new", keys, key),
                      0);
    assert_int_equal (key[0], 7);
    const char *none[] = {NULL};
    assert_int_equal (zpl_keys (zpl, 0, "catalogue", none, key), -1);
    assert_int_equal (zpl_no_value (zpl, 1, "catalogue"), -1); //  dropped
    error = zpl_error (zpl);
    assert_string_equal (error, "x.zpl:2: unknown key 'year' in catalogue");
    free (error);
    assert_int_equal (zpl_no_value (zpl, 1, "catalogue"), -1);
    error = zpl_error (zpl);
    assert_string_equal (error,
                         "x.zpl:2: unexpected value '2003' for 'year' in "
                         "catalogue");
    free (error);
    assert_int_equal (zpl_no_children (zpl, 3, "regions"), -1);
    error = zpl_error (zpl);
    assert_string_equal (error,
                         "x.zpl:5: unexpected block under 'heihe' in regions");
    free (error);

    zhashx_t *index = zhashx_new ();
    assert_int_equal (zpl_block_id (zpl, 3, "region", index, 0), 0);
    assert_int_equal (zpl_lookup (index, "heihe"), 0);
    assert_int_equal (zpl_lookup (index, "nowhere"), -1);
    assert_int_equal (zpl_block_id (zpl, 3, "region", index, 1), -1);
    error = zpl_error (zpl);
    assert_string_equal (error, "x.zpl:4: duplicate region id 'heihe'");
    free (error);
    zhashx_destroy (&index);
    zpl_destroy (&zpl);
}

static void
test_words (void **state)
{
    (void)state;
    char word[ZPL_LINE_MAX + 1];
    const char *scan = "  a.b \tc  ";
    scan = zpl_word (scan, word);
    assert_non_null (scan);
    assert_string_equal (word, "a.b");
    scan = zpl_word (scan, word);
    assert_non_null (scan);
    assert_string_equal (word, "c");
    assert_null (zpl_word (scan, word));
    assert_null (zpl_word ("", word));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_entries_carry_their_lines),
        cmocka_unit_test (test_bad_indentation),
        cmocka_unit_test (test_syntax),
        cmocka_unit_test (test_sections_and_keys),
        cmocka_unit_test (test_words),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
