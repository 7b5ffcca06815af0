/*  summary.c — the one-shot summary (see summary.h): it builds the model
    once (summary_model.c) and hands it to the writer of the format asked
    for (summary_text.c, summary_md.c, summary_csv.c, summary_json.c,
    summary_html.c). Every figure comes from figures_row, so the summary
    shows exactly what the core computes. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "summary_model.h"
#include "summary_writers.h"

static const char *s_format_names[SUMMARY_FORMAT_COUNT] = {"text", "json", "md",
                                                           "csv", "html"};

int
summary_format_parse (const char *name, summary_format_t *format)
{
    assert (format);
    for (int index = 0; name && index < SUMMARY_FORMAT_COUNT; index++)
        if (strcmp (name, s_format_names[index]) == 0) {
            *format = (summary_format_t)index;
            return 0;
        }
    return -1;
}

const char *
summary_format_name (summary_format_t format)
{
    assert (format >= 0 && format < SUMMARY_FORMAT_COUNT);
    return s_format_names[format];
}

json_t *
summary_json (const catalogue_t *catalogue, const wording_t *wording,
              const store_t *store, int region, int period, const char *lang,
              const rules_notice_t *alerts, size_t alert_count)
{
    summary_model_t *model = summary_model_new (
        catalogue, wording, store, region, period, lang, alerts, alert_count);
    json_t *document = summary_json_document (model);
    summary_model_destroy (&model);
    return document;
}

int
summary_write (FILE *out, const catalogue_t *catalogue,
               const wording_t *wording, const store_t *store, int region,
               int period, const char *lang, summary_format_t format,
               const rules_notice_t *alerts, size_t alert_count)
{
    assert (out);
    assert (format >= 0 && format < SUMMARY_FORMAT_COUNT);
    summary_model_t *model = summary_model_new (
        catalogue, wording, store, region, period, lang, alerts, alert_count);
    int rc = 0;
    switch (format) {
    case SUMMARY_JSON: {
        json_t *document = summary_json_document (model);
        //  Fifteen significant digits print 67.9 as 67.9, not as
        //  67.900000000000006 (jansson's default is seventeen)
        rc = json_dumpf (document, out,
                         JSON_INDENT (2) | JSON_PRESERVE_ORDER |
                             JSON_REAL_PRECISION (15));
        json_decref (document);
        if (rc == 0)
            fputc ('\n', out);
        break;
    }
    case SUMMARY_TEXT:
        summary_text_write (out, model);
        break;
    case SUMMARY_MD:
        summary_md_write (out, model);
        break;
    case SUMMARY_CSV:
        summary_csv_write (out, model);
        break;
    case SUMMARY_HTML:
        summary_html_write (out, model);
        break;
    default:
        assert (false);
    }
    summary_model_destroy (&model);
    if (rc != 0)
        return -1;
    return ferror (out) ? -1 : 0;
}

char *
summary_render (const catalogue_t *catalogue, const wording_t *wording,
                const store_t *store, int region, int period, const char *lang,
                summary_format_t format, const rules_notice_t *alerts,
                size_t alert_count)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    assert (out);
    int rc = summary_write (out, catalogue, wording, store, region, period,
                            lang, format, alerts, alert_count);
    fclose (out);
    assert (rc == 0);
    return text;
}
