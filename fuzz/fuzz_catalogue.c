/*  fuzz_catalogue.c — libFuzzer target for the readers of the catalogue
    file: the domain (core/catalogue.c), the site (common/site.c) and,
    given the domain, the wording (reporter/wording.c), all through the one
    scanner (core/zpl.c).

    An input is the text of a catalogue file: it is NUL-terminated (so a
    NUL inside ends the text early, as for app_read_file) and read by each
    reader. A refusal must come with "fuzz.zpl:..." and nothing else; what
    is accepted is walked through its accessors, whose indices the rest of
    jobtally trusts without checking, and then destroyed. */
#include <czmq.h>

#include "catalogue.h"
#include "site.h"
#include "wording.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static volatile size_t s_sink; //  what was read, so nothing is skipped

static void
s_touch (const char *text)
{
    if (text)
        s_sink += strlen (text);
}

//  Every index an accessor hands out must be one the others accept.
static void
s_walk (const catalogue_t *catalogue)
{
    int regions = catalogue_region_count (catalogue);
    int indicators = catalogue_indicator_count (catalogue);
    int figures = catalogue_figure_count (catalogue);
    assert (regions >= 1 && indicators >= 1);
    assert (figures == indicators + catalogue_measure_count (catalogue));
    s_sink += (size_t)catalogue_year (catalogue) +
              (size_t)catalogue_on_time_days (catalogue);

    for (int region = 0; region < regions; region++) {
        const region_t *node = catalogue_region (catalogue, region);
        assert (jt_id_valid (node->id));
        assert (catalogue_region_find (catalogue, node->id) == region);
        assert (node->parent >= -1 && node->parent < regions);
        assert ((node->parent < 0) == (node->depth == 0));
        for (int child = 0; child < node->child_count; child++) {
            int index = node->children[child];
            assert (index >= 0 && index < regions);
            assert (catalogue_region (catalogue, index)->parent == region);
        }
        assert (catalogue_region_covers (catalogue, 0, region));
        s_touch (node->name);
        for (int indicator = 0; indicator < indicators; indicator++) {
            jt_value_t target;
            if (catalogue_target (catalogue, region, indicator, &target))
                s_sink += (size_t)target;
        }
        for (int figure = 0; figure < figures; figure++) {
            double limit;
            if (catalogue_limit (catalogue, region, figure, &limit))
                s_sink += limit > 0;
        }
    }
    for (int figure = 0; figure < figures; figure++) {
        const char *id = catalogue_figure_id (catalogue, figure);
        assert (catalogue_figure_find (catalogue, id) == figure);
        if (figure < indicators) {
            const indicator_t *indicator =
                catalogue_indicator (catalogue, figure);
            s_touch (indicator->name);
            s_touch (indicator->unit);
            assert (indicator->min >= 0 && indicator->max >= 0 &&
                    indicator->max_change >= 0);
            assert (!indicator->has_min || !indicator->has_max ||
                    indicator->min <= indicator->max);
            continue;
        }
        const measure_t *measure = catalogue_measure (catalogue, figure);
        s_touch (measure->name);
        s_touch (measure->unit);
        if (measure->kind == MEASURE_RATIO) {
            assert (measure->numerator >= 0 && measure->numerator < figures);
            assert (measure->denominator >= 0 &&
                    measure->denominator < figures);
        } else
            for (int term = 0; term < measure->term_count; term++)
                assert (measure->terms[term] >= 0 &&
                        measure->terms[term] < figures);
    }
    for (int source = 0; source < catalogue_source_count (catalogue);
         source++) {
        const source_t *entry = catalogue_source (catalogue, source);
        assert (catalogue_source_find (catalogue, entry->id) == source);
        for (int index = 0; index < entry->region_count; index++) {
            assert (entry->regions[index] >= 0 &&
                    entry->regions[index] < regions);
            assert (catalogue_source_allows (catalogue, source,
                                             entry->regions[index]));
        }
    }
    for (int index = 0; index < catalogue_rule_count (catalogue); index++) {
        const rule_t *rule = catalogue_rule (catalogue, index);
        assert (catalogue_rule_find (catalogue, rule->id) == index);
        s_touch (catalogue_rule_kind_name (rule->kind));
        s_touch (catalogue_severity_name (rule->severity));
        if (rule->kind == RULE_OUTLIER) {
            //  An indicator with bounds, watched at leaves.
            assert (rule->figure >= 0 && rule->figure < indicators);
            const indicator_t *watched =
                catalogue_indicator (catalogue, rule->figure);
            assert (watched->has_min || watched->has_max ||
                    watched->max_change > 0);
            for (int one = 0; one < rule->region_count; one++)
                assert (catalogue_region (catalogue, rule->regions[one])
                            ->child_count == 0);
        }
        if (rule->kind == RULE_THRESHOLD || rule->kind == RULE_RESTATEMENT)
            assert (rule->figure >= 0 && rule->figure < figures);
        if (rule->kind == RULE_RESTATEMENT)
            assert (rule->figure < indicators && rule->drop_pct > 0 &&
                    rule->drop_pct <= 100);
        if (rule->kind == RULE_CONSISTENCY)
            assert (rule->left >= 0 && rule->left < figures &&
                    rule->right >= 0 && rule->right < figures);
        assert (rule->for_s >= 0 && rule->repeat_s >= 0);
        assert (rule->region_count >= 1);
        //  "x.*" expanded, no duplicates.
        for (int one = 0; one < rule->region_count; one++) {
            assert (rule->regions[one] >= 0 && rule->regions[one] < regions);
            for (int other = 0; other < one; other++)
                assert (rule->regions[other] != rule->regions[one]);
        }
    }
}

//  The wording: a name for every region and figure of its domain, and
//  only that domain's figures in the summary.
static void
s_walk_wording (const wording_t *wording, const catalogue_t *catalogue)
{
    int regions = catalogue_region_count (catalogue);
    int figures = catalogue_figure_count (catalogue);
    s_touch (wording_title (wording));
    for (int region = 0; region < regions; region++) {
        assert (wording_region_name (wording, region, "zh"));
        s_touch (wording_region_name (wording, region, "zh"));
    }
    assert (!wording_region_name (wording, regions, "zh"));
    for (int figure = 0; figure < figures; figure++) {
        assert (wording_figure_name (wording, figure, "zh"));
        s_touch (wording_figure_name (wording, figure, "zh"));
        s_touch (wording_phrase (wording, figure));
    }
    assert (!wording_figure_name (wording, figures, "zh"));
    int count;
    const int *headline = wording_summary_headline (wording, &count);
    for (int index = 0; index < count; index++)
        assert (headline[index] >= 0 && headline[index] < figures);
    const int *columns = wording_summary_columns (wording, &count);
    for (int index = 0; index < count; index++)
        assert (columns[index] >= 0 && columns[index] < figures);
}

//  The site: every source found by its name, every subscriber with a key.
static void
s_walk_site (const site_t *site)
{
    s_sink += site_insecure (site);
    for (int index = 0; index < site_source_count (site); index++) {
        const site_key_t *source = site_source (site, index);
        assert (site_source_find (site, source->id) == index);
        assert (!source->public_key || strlen (source->public_key) == 40);
        s_touch (source->public_key);
    }
    for (int index = 0; index < site_subscriber_count (site); index++) {
        const site_key_t *subscriber = site_subscriber (site, index);
        s_touch (subscriber->id);
        assert (subscriber->public_key);
        assert (strlen (subscriber->public_key) == 40);
    }
    s_touch (site_endpoint (site, "collect"));
    s_touch (site_endpoint (site, "publish"));
    s_touch (site_endpoint (site, "query"));
    s_touch (site_endpoint (site, "alerts"));
}

//  A reader's answer: an object, or a refusal that names the file.
static void
s_check_refusal (bool accepted, char *error)
{
    if (accepted)
        assert (error == NULL);
    else {
        assert (error && strncmp (error, "fuzz.zpl:", 9) == 0);
        s_sink += strlen (error);
    }
    free (error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *text = malloc (size + 1);
    assert (text);
    memcpy (text, data, size);
    text[size] = 0;
    char *error = NULL;
    catalogue_t *catalogue = catalogue_new (text, "fuzz.zpl", &error);
    s_check_refusal (catalogue != NULL, error);
    wording_t *wording = NULL;
    if (catalogue) {
        s_walk (catalogue);
        wording = wording_new (text, "fuzz.zpl", catalogue, &error);
        s_check_refusal (wording != NULL, error);
        if (wording)
            s_walk_wording (wording, catalogue);
    }
    site_t *site = site_new (text, "fuzz.zpl", &error);
    s_check_refusal (site != NULL, error);
    if (site)
        s_walk_site (site);
    free (text);
    site_destroy (&site);
    wording_destroy (&wording);
    wording_destroy (&wording); //  NULL-safe and may be called twice
    catalogue_destroy (&catalogue);
    catalogue_destroy (&catalogue); //  NULL-safe and may be called twice
    assert (catalogue == NULL && wording == NULL && site == NULL);
    return 0;
}
