/*  fixture.c — see fixture.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "period.h"

catalogue_t *
fixture_catalogue (const char *text)
{
    return fixture_load (text, NULL);
}

catalogue_t *
fixture_load (const char *text, wording_t **wording_p)
{
    char *error = NULL;
    catalogue_t *catalogue = catalogue_new (text, "test.zpl", &error);
    if (!catalogue)
        fail_msg ("catalogue_new: %s", error ? error : "(no reason)");
    if (wording_p) {
        *wording_p = wording_new (text, "test.zpl", catalogue, &error);
        if (!*wording_p)
            fail_msg ("wording_new: %s", error ? error : "(no reason)");
    }
    return catalogue;
}

int
fixture_find (const catalogue_t *catalogue, const char *id)
{
    int index = catalogue_region_find (catalogue, id);
    if (index < 0)
        index = catalogue_figure_find (catalogue, id);
    if (index < 0)
        fail_msg ("'%s' not in the catalogue", id);
    return index;
}

void
fixture_set (store_t *store, int region, int indicator, int period,
             jt_value_t value)
{
    assert_int_equal (
        store_apply (store, region, indicator, period, value, false), JT_OK);
}

void
fixture_set_units (store_t *store, const catalogue_t *catalogue,
                   const char *region, const char *indicator, const char *month,
                   int64_t units)
{
    fixture_set (store, fixture_find (catalogue, region),
                 fixture_find (catalogue, indicator), period_parse (month),
                 (jt_value_t)units * JT_SCALE);
}

char *
fixture_read (const char *path, size_t *size_p)
{
    FILE *file = fopen (path, "rb");
    if (!file)
        return NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *copy = open_memstream (&text, &size);
    assert_non_null (copy);
    char buffer[8192];
    size_t got;
    while ((got = fread (buffer, 1, sizeof (buffer), file)) > 0)
        fwrite (buffer, 1, got, copy);
    fclose (copy);
    fclose (file);
    if (size_p)
        *size_p = size;
    return text;
}

size_t
fixture_count (const char *text, const char *what)
{
    size_t count = 0;
    for (const char *at = text; (at = strstr (at, what)); at += strlen (what))
        count++;
    return count;
}
