/*  summary_md.c — the summary as GitHub-flavoured Markdown (see
    summary_writers.h), every text from the catalogue escaped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary_writers.h"
#include "summary_parts.h"

//  ---------------------------------------------------------------------
//  Markdown (GitHub-flavoured tables)

//  Text with Markdown's active characters escaped, so that a name cannot
//  make a table cell, a link or markup.
static void
s_md_escape (FILE *out, const char *text)
{
    for (; *text; text++) {
        if (strchr ("\\`*[]<>|#", *text))
            fputc ('\\', out);
        if (*text == '\n')
            fputc (' ', out);
        else
            fputc (*text, out);
    }
}

static void
s_md_table (FILE *out, const summary_table_t *table)
{
    for (size_t column = 0; column < table->columns; column++) {
        fputs (column ? " | " : "| ", out);
        s_md_escape (out, table->headers[column] ? table->headers[column] : "");
    }
    fputs (" |\n", out);
    for (size_t column = 0; column < table->columns; column++)
        fputs (table->right[column] ? "|---:" : "|---", out);
    fputs ("|\n", out);
    for (size_t row = 0; row < table->rows; row++) {
        for (size_t column = 0; column < table->columns; column++) {
            fputs (column ? " | " : "| ", out);
            s_md_escape (out, summary_table_cell (table, row, column));
        }
        fputs (" |\n", out);
    }
}

//  A paragraph after a blank line, escaped; nothing when text is NULL.
//  Frees text.
static void
s_md_paragraph (FILE *out, char *text)
{
    if (text) {
        fputs ("\n", out);
        s_md_escape (out, text);
        fputs ("\n", out);
    }
    free (text);
}

void
summary_md_write (FILE *out, const summary_model_t *model)
{
    const summary_words_t *words = summary_words (model->lang);
    fputs ("# ", out);
    s_md_escape (out, model->title);
    fputs ("\n", out);
    s_md_paragraph (out, summary_coverage (model));
    s_md_paragraph (out, summary_headline (model));

    fprintf (out, "\n## %s\n\n", words->figures);
    summary_table_t *table = summary_figures_table (model);
    s_md_table (out, table);
    summary_table_destroy (&table);

    table = summary_regions_table (model);
    if (table) {
        fprintf (out, "\n## %s\n\n", words->regions);
        s_md_table (out, table);
        summary_table_destroy (&table);
    }
    s_md_paragraph (out, summary_footnote (model));

    fprintf (out, "\n## %s\n\n", words->alerts);
    table = summary_alerts_table (model);
    if (table) {
        s_md_table (out, table);
        summary_table_destroy (&table);
    } else
        fprintf (out, "%s\n", words->no_alerts);
}
