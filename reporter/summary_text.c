/*  summary_text.c — the summary as text for a reader (see
    summary_writers.h): title, coverage and headline, then the figures,
    regions and alerts tables with columns padded to their display width
    (not their byte length), headers wrapped onto at most three lines. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary_writers.h"
#include "summary_parts.h"

static void
s_pad (FILE *out, size_t count, char fill)
{
    while (count-- > 0)
        fputc (fill, out);
}

//  One line of the table; trailing blanks (empty cells at the end) are
//  cut so that no line ends in spaces.
static void
s_table_line (summary_table_t *self, FILE *out, const size_t *widths,
              const char *const *texts)
{
    char *line = NULL;
    size_t size = 0;
    FILE *buffer = open_memstream (&line, &size);
    assert (buffer);
    for (size_t column = 0; column < self->columns; column++) {
        const char *text = texts[column] ? texts[column] : "";
        size_t gap = widths[column] - summary_display_width (text);
        if (column > 0)
            fputs ("  ", buffer);
        if (self->right[column])
            s_pad (buffer, gap, ' ');
        fputs (text, buffer);
        if (!self->right[column])
            s_pad (buffer, gap, ' ');
    }
    fclose (buffer);
    while (size > 0 && line[size - 1] == ' ')
        line[--size] = 0;
    fprintf (out, "%s\n", line);
    free (line);
}

//  Headers wrap onto at most this many lines, so that long figure names do
//  not make a table hundreds of columns wide.
#define TABLE_HEADER_LINES 3

//  Break text into lines of at most width columns, at spaces or beside a
//  wide (CJK) character; a word wider than width stands alone. Returns the
//  number of lines and sets *lines to fresh strings (free each and the
//  array). *widest is set to the widest word.
static size_t
s_wrap (const char *text, size_t width, char ***lines, size_t *widest)
{
    size_t count = 0, capacity = 4;
    *lines = calloc (capacity, sizeof (char *));
    assert (*lines);
    *widest = 0;
    char *line = NULL; //  line being filled
    size_t line_width = 0;
    while (*text) {
        bool space_before = false;
        while (*text == ' ') {
            text++;
            space_before = true;
        }
        if (!*text)
            break;
        //  A piece: one wide character, or a run of narrow ones
        uint32_t point;
        size_t size = summary_utf8_next (text, &point);
        size_t piece_size = size;
        size_t piece_width = summary_code_point_width (point);
        if (piece_width < 2)
            while (text[piece_size] && text[piece_size] != ' ') {
                size = summary_utf8_next (text + piece_size, &point);
                if (summary_code_point_width (point) == 2)
                    break;
                piece_size += size;
                piece_width += summary_code_point_width (point);
            }
        if (piece_width > *widest)
            *widest = piece_width;
        bool space = space_before && line && line_width > 0;
        if (line && line_width + space + piece_width > width &&
            line_width > 0) {
            if (count == capacity) {
                capacity *= 2;
                *lines = realloc (*lines, capacity * sizeof (char *));
                assert (*lines);
            }
            (*lines)[count++] = line;
            line = NULL;
            line_width = 0;
            space = false;
        }
        char *joined = summary_printf ("%s%s%.*s", line ? line : "",
                                       space ? " " : "", (int)piece_size, text);
        free (line);
        line = joined;
        line_width += space + piece_width;
        text += piece_size;
    }
    if (count == capacity) {
        *lines = realloc (*lines, (capacity + 1) * sizeof (char *));
        assert (*lines);
    }
    (*lines)[count++] = line ? line : strdup ("");
    return count;
}

//  Whether text holds a wide (CJK) character.
static bool
s_has_wide (const char *text)
{
    while (*text) {
        uint32_t point;
        text += summary_utf8_next (text, &point);
        if (summary_code_point_width (point) == 2)
            return true;
    }
    return false;
}

static void
s_table_print (summary_table_t *self, FILE *out)
{
    size_t *widths = calloc (self->columns, sizeof (size_t));
    char ***header_lines = calloc (self->columns, sizeof (char **));
    size_t *header_counts = calloc (self->columns, sizeof (size_t));
    assert (widths && header_lines && header_counts);
    size_t header_height = 1;
    for (size_t column = 0; column < self->columns; column++) {
        size_t cells = 0;
        for (size_t row = 0; row < self->rows; row++) {
            size_t width = summary_display_width (
                self->cells[row * self->columns + column]);
            if (width > cells)
                cells = width;
        }
        const char *header = self->headers[column] ? self->headers[column] : "";
        //  The narrowest column that holds its cells, its widest header
        //  word, and its header in TABLE_HEADER_LINES lines
        size_t header_width = summary_display_width (header);
        size_t width = cells, widest;
        //  A CJK header breaks between any two characters: keep its
        //  lines at least four characters wide ("新增就业" / "人数")
        size_t least = header_width < 8 ? header_width : 8;
        if (s_has_wide (header) && width < least)
            width = least;
        while (true) {
            header_counts[column] =
                s_wrap (header, width, &header_lines[column], &widest);
            if (widest > width)
                width = widest;
            if (header_counts[column] <= TABLE_HEADER_LINES ||
                width >= header_width)
                break;
            for (size_t line = 0; line < header_counts[column]; line++)
                free (header_lines[column][line]);
            free (header_lines[column]);
            width++;
        }
        widths[column] = width;
        if (header_counts[column] > header_height)
            header_height = header_counts[column];
    }
    //  Header lines sit at the bottom, next to the rule
    const char **texts = calloc (self->columns, sizeof (char *));
    assert (texts);
    for (size_t line = 0; line < header_height; line++) {
        for (size_t column = 0; column < self->columns; column++) {
            size_t skip = header_height - header_counts[column];
            texts[column] =
                line >= skip ? header_lines[column][line - skip] : "";
        }
        s_table_line (self, out, widths, texts);
    }
    free (texts);
    for (size_t column = 0; column < self->columns; column++) {
        if (column > 0)
            fputs ("  ", out);
        s_pad (out, widths[column], '-');
        for (size_t line = 0; line < header_counts[column]; line++)
            free (header_lines[column][line]);
        free (header_lines[column]);
    }
    fputc ('\n', out);
    for (size_t row = 0; row < self->rows; row++)
        s_table_line (self, out, widths,
                      (const char *const *)&self->cells[row * self->columns]);
    free (header_lines);
    free (header_counts);
    free (widths);
}

//  ---------------------------------------------------------------------
//  Text

void
summary_text_write (FILE *out, const summary_model_t *model)
{
    const summary_words_t *words = summary_words (model->lang);
    fprintf (out, "%s\n", model->title);
    char *text = summary_coverage (model);
    fprintf (out, "%s\n", text);
    free (text);
    text = summary_headline (model);
    if (text)
        fprintf (out, "\n%s\n", text);
    free (text);

    summary_table_t *table = summary_figures_table (model);
    fputc ('\n', out);
    s_table_print (table, out);
    summary_table_destroy (&table);

    table = summary_regions_table (model);
    if (table) {
        fputc ('\n', out);
        s_table_print (table, out);
        summary_table_destroy (&table);
    }
    text = summary_footnote (model);
    if (text)
        fprintf (out, "%s\n", text);
    free (text);

    table = summary_alerts_table (model);
    if (table) {
        fprintf (out, "\n%s%s\n", words->alerts,
                 summary_chinese (model->lang) ? "：" : ":");
        s_table_print (table, out);
        summary_table_destroy (&table);
    } else
        fprintf (out, "\n%s\n", words->no_alerts);
}
