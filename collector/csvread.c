/*  csvread.c — the collector's CSV reader on top of libcsv.

    libcsv splits fields and handles quotes; this file adds what a bureau's
    export needs around it. It cuts the input at each '\n' before handing it
    to libcsv, so it always knows the physical line, also inside quoted
    fields that hold line breaks. Only '\n' ends a row ('\r' counts as a
    space, which libcsv trims from unquoted fields), so each row ends
    exactly where a piece handed to libcsv ends. A line that starts with '#'
    outside a quoted field is dropped before libcsv sees it, so a stray
    quote in a comment cannot swallow the rows after it. */
#include "csvread.h"
#include "check.h"
#include "period.h"

#include <csv.h>
#include <czmq.h>
#include <strings.h>

#define MAX_KEPT_FIELDS                                                        \
    6 //  region, indicator, period, value, op,
      //  reported
#define HEADER_WANTED "region,indicator,period,value[,op[,reported]]"

static const char *s_header[MAX_KEPT_FIELDS] = {
    "region", "indicator", "period", "value", "op", "reported"};

typedef struct {
    char *text;  //  NUL-terminated copy, NULs made '?'
    size_t size; //  bytes allocated for text
} field_t;

struct _csvread_t {
    struct csv_parser parser;        //  libcsv state
    unsigned char bom[3];            //  first bytes, held until known
    size_t bom_held;                 //  bytes held in bom
    bool bom_done;                   //  start of file checked for a BOM
    uint32_t line;                   //  physical line being read, from 1
    bool line_start;                 //  nothing of this line fed yet
    bool in_comment;                 //  dropping a '#' line up to its '\n'
    bool row_open;                   //  libcsv is inside a row
    uint32_t row_line;               //  line where the open row started
    field_t fields[MAX_KEPT_FIELDS]; //  the open row's first fields
    size_t field_count;              //  fields of the open row
    size_t last_filled;              //  1 + index of its last non-empty field
    bool header_seen;                //  the header row was read and good
    size_t header_count;             //  its columns: 4, 5 or 6
    bool failed;                     //  header missing or wrong: stop
    zhash_t *ids;                    //  interned region and indicator ids
    jt_update_t *rows;               //  good rows
    size_t row_count;
    size_t row_capacity;
    notes_t *rejections; //  rows refused, in file order
    notes_t *warnings;   //  cells set twice, in file order
};

static int
s_is_space (unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static int
s_is_term (unsigned char c)
{
    return c == '\n';
}

//  Record a rejection of the open row; the reason is formatted here.
static void
s_reject (csvread_t *self, uint32_t line, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *reason = zsys_vprintf (format, args);
    va_end (args);
    assert (reason);
    notes_add (self->rejections, line, &reason);
}

//  Reject with "<phrase> '<value>'", the shape the aggregator uses too.
static void
s_reject_value (csvread_t *self, jt_error_t code, const char *value)
{
    char shown[CHECK_SHOWN_SIZE];
    s_reject (self, self->row_line, "%s '%s'", jt_strerror (code),
              check_shown (value, shown));
}

//  The one copy of an id the reader keeps, however many rows name it.
static const char *
s_intern (csvread_t *self, const char *id)
{
    char *known = (char *)zhash_lookup (self->ids, id);
    if (!known) {
        known = strdup (id);
        assert (known);
        zhash_insert (self->ids, id, known);
        zhash_freefn (self->ids, id, free);
    }
    return known;
}

static const char *
s_field (csvread_t *self, size_t index)
{
    return index < self->field_count && self->fields[index].text
               ? self->fields[index].text
               : "";
}

jt_error_t
csvread_parse_value (const char *text, jt_value_t *value)
{
    const char *cursor = text;
    while (*cursor == ' ' || *cursor == '\t')
        cursor++;
    const char *end = cursor + strlen (cursor);
    while (end > cursor && (end[-1] == ' ' || end[-1] == '\t'))
        end--;

    bool negative = false;
    if (cursor < end && *cursor == '-') {
        negative = true;
        cursor++;
    }
    uint64_t units = 0;
    bool too_large = false;
    size_t group = 0;     //  digits in the current group
    bool grouped = false; //  a thousands comma was seen
    while (cursor < end &&
           ((*cursor >= '0' && *cursor <= '9') || *cursor == ',')) {
        if (*cursor == ',') {
            //  Commas only between groups; the first group has 1-3 digits.
            if (group == 0 || (grouped ? group != 3 : group > 3))
                return JT_ERR_BAD_NUMBER;
            grouped = true;
            group = 0;
        } else {
            group++;
            if (units > (uint64_t)JT_VALUE_MAX_UNITS)
                too_large = true;
            else
                units = units * 10 + (uint64_t)(*cursor - '0');
        }
        cursor++;
    }
    if (group == 0 || (grouped && group != 3))
        return JT_ERR_BAD_NUMBER;

    uint64_t thousandths = 0;
    if (cursor < end && *cursor == '.') {
        cursor++;
        int decimals = 0;
        while (cursor < end && *cursor >= '0' && *cursor <= '9' &&
               decimals < 4) {
            thousandths = thousandths * 10 + (uint64_t)(*cursor - '0');
            decimals++;
            cursor++;
        }
        if (decimals == 0 || decimals > 3)
            return JT_ERR_BAD_NUMBER;
        for (; decimals < 3; decimals++)
            thousandths *= 10;
    }
    if (cursor != end)
        return JT_ERR_BAD_NUMBER;
    if (negative)
        return JT_ERR_NEGATIVE;
    if (too_large || units > (uint64_t)JT_VALUE_MAX_UNITS ||
        (units == (uint64_t)JT_VALUE_MAX_UNITS && thousandths > 0))
        return JT_ERR_TOO_LARGE;
    *value = (jt_value_t)(units * JT_SCALE + thousandths);
    return JT_OK;
}

//  The first row that is not a comment must name the columns.
static void
s_check_header (csvread_t *self, size_t count)
{
    bool good = count >= 4 && count <= MAX_KEPT_FIELDS;
    for (size_t index = 0; good && index < count; index++)
        good = strcasecmp (s_field (self, index), s_header[index]) == 0;
    if (good) {
        self->header_seen = true;
        self->header_count = count;
        return;
    }
    char found[256] = "";
    for (size_t index = 0; index < count && index < MAX_KEPT_FIELDS; index++) {
        size_t used = strlen (found);
        snprintf (found + used, sizeof found - used, "%s%s", index ? "," : "",
                  s_field (self, index));
    }
    if (count > MAX_KEPT_FIELDS) {
        size_t used = strlen (found);
        snprintf (found + used, sizeof found - used, ",...");
    }
    char shown[CHECK_SHOWN_SIZE];
    s_reject (self, self->row_line, "bad header '%s', expected '%s'",
              check_shown (found, shown), HEADER_WANTED);
    self->failed = true;
}

//  The reported column's day, or PERIOD_DAY_NONE when it is not a date.
//  Spaces around the date are allowed, as around a value.
static int
s_parse_reported (const char *text)
{
    char date[PERIOD_DAY_TEXT_SIZE];
    text += strspn (text, " \t");
    size_t length = strlen (text);
    while (length > 0 && (text[length - 1] == ' ' || text[length - 1] == '\t'))
        length--;
    if (length >= sizeof date)
        return PERIOD_DAY_NONE;
    memcpy (date, text, length);
    date[length] = 0;
    return period_day_parse (date);
}

//  Check one data row: keep it, or reject it with the first fault found.
//  A row may leave out op, as it always could, and reported; a reported
//  column is read only under a header that names it.
static void
s_check_row (csvread_t *self, size_t count)
{
    size_t most = self->header_count > 5 ? self->header_count : 5;
    if (count < 4 || count > most) {
        s_reject (self, self->row_line, "%s: %zu, expected %s",
                  jt_strerror (JT_ERR_COLUMNS), count,
                  most == 5 ? "4 or 5" : "4 to 6");
        return;
    }
    const char *region = s_field (self, 0);
    const char *indicator = s_field (self, 1);
    const char *period_text = s_field (self, 2);
    const char *value_text = s_field (self, 3);
    const char *op = s_field (self, 4);
    const char *reported_text = s_field (self, 5);

    if (!jt_id_valid (region)) {
        s_reject_value (self, JT_ERR_BAD_ID, region);
        return;
    }
    if (!jt_id_valid (indicator)) {
        s_reject_value (self, JT_ERR_BAD_ID, indicator);
        return;
    }
    int period = period_parse (period_text);
    if (period == PERIOD_NONE) {
        s_reject_value (self, JT_ERR_BAD_PERIOD, period_text);
        return;
    }
    jt_value_t value = 0;
    jt_error_t code = csvread_parse_value (value_text, &value);
    if (code != JT_OK) {
        s_reject_value (self, code, value_text);
        return;
    }
    bool add;
    if (*op == 0 || strcasecmp (op, "set") == 0)
        add = false;
    else if (strcasecmp (op, "add") == 0)
        add = true;
    else {
        s_reject_value (self, JT_ERR_BAD_OP, op);
        return;
    }
    int reported = PERIOD_DAY_NONE;
    if (reported_text[strspn (reported_text, " \t")]) {
        char shown[CHECK_SHOWN_SIZE], month[PERIOD_TEXT_SIZE];
        reported = s_parse_reported (reported_text);
        if (reported == PERIOD_DAY_NONE) {
            s_reject (self, self->row_line, "bad report date '%s'",
                      check_shown (reported_text, shown));
            return;
        }
        //  A report filed before its month began is a typing error.
        if (reported < period_first_day (period)) {
            s_reject (self, self->row_line, "bad report date '%s': before %s",
                      check_shown (reported_text, shown),
                      period_format (period, month));
            return;
        }
    }
    if (self->row_count == self->row_capacity) {
        self->row_capacity = self->row_capacity ? self->row_capacity * 2 : 256;
        self->rows =
            realloc (self->rows, self->row_capacity * sizeof (jt_update_t));
        assert (self->rows);
    }
    self->rows[self->row_count++] = (jt_update_t){
        .line = self->row_line,
        .region = s_intern (self, region),
        .indicator = s_intern (self, indicator),
        .period = period_yyyymm (period),
        .value = value,
        .add = add,
        .reported =
            reported == PERIOD_DAY_NONE ? 0 : period_day_yyyymmdd (reported)};
}

//  libcsv: one field of the open row has ended.
static void
s_field_end (void *data, size_t size, void *arg)
{
    csvread_t *self = (csvread_t *)arg;
    size_t index = self->field_count++;
    if (size > 0)
        self->last_filled = self->field_count;
    if (index >= MAX_KEPT_FIELDS)
        return;
    field_t *field = &self->fields[index];
    if (field->size < size + 1) {
        field->size = size + 1 < 64 ? 64 : size + 1;
        free (field->text);
        field->text = malloc (field->size);
        assert (field->text);
    }
    if (size > 0)
        memcpy (field->text, data, size);
    field->text[size] = 0;
    //  An embedded NUL would hide the rest of the field from checks.
    for (size_t at = 0; at < size; at++)
        if (field->text[at] == 0)
            field->text[at] = '?';
}

//  libcsv: the open row has ended (at a '\n', or at the end of the file).
static void
s_row_end (int terminator, void *arg)
{
    (void)terminator;
    csvread_t *self = (csvread_t *)arg;
    size_t count = self->field_count;
    //  Spreadsheets export empty cells past the last column: ignore them.
    if (count > 4)
        count = self->last_filled > 4 ? self->last_filled : 4;
    bool empty = self->last_filled == 0;
    bool comment = s_field (self, 0)[0] == '#';

    if (!self->failed && !empty && !comment) {
        if (self->header_seen)
            s_check_row (self, count);
        else
            s_check_header (self, count);
    }
    self->field_count = 0;
    self->last_filled = 0;
    self->row_open = false;
}

csvread_t *
csvread_new (void)
{
    csvread_t *self = (csvread_t *)zmalloc (sizeof (csvread_t));
    assert (self);
    int rc = csv_init (&self->parser, CSV_APPEND_NULL);
    assert (rc == 0);
    csv_set_space_func (&self->parser, s_is_space);
    csv_set_term_func (&self->parser, s_is_term);
    self->ids = zhash_new ();
    assert (self->ids);
    self->rejections = notes_new ();
    self->warnings = notes_new ();
    self->line = 1;
    self->line_start = true;
    return self;
}

void
csvread_destroy (csvread_t **self_p)
{
    assert (self_p);
    csvread_t *self = *self_p;
    if (!self)
        return;
    csv_free (&self->parser);
    for (size_t index = 0; index < MAX_KEPT_FIELDS; index++)
        free (self->fields[index].text);
    zhash_destroy (&self->ids);
    free (self->rows);
    notes_destroy (&self->rejections);
    notes_destroy (&self->warnings);
    free (self);
    *self_p = NULL;
}

//  Hand bytes after the BOM to libcsv, one physical line at a time.
static void
s_parse (csvread_t *self, const unsigned char *data, size_t size)
{
    while (size > 0 && !self->failed) {
        if (self->in_comment) {
            const unsigned char *newline = memchr (data, '\n', size);
            if (!newline)
                return;
            size -= (size_t)(newline + 1 - data);
            data = newline + 1;
            self->line++;
            self->in_comment = false;
            self->line_start = true;
            continue;
        }
        if (self->line_start && !self->row_open) {
            //  Between rows: a blank line, a comment, or a row's start.
            while (size > 0 && s_is_space (*data)) {
                data++;
                size--;
            }
            if (size == 0)
                return;
            if (*data == '#') {
                self->in_comment = true;
                continue;
            }
            if (*data == '\n') {
                data++;
                size--;
                self->line++;
                continue;
            }
            self->row_open = true;
            self->row_line = self->line;
        }
        self->line_start = false;
        const unsigned char *newline = memchr (data, '\n', size);
        size_t piece = newline ? (size_t)(newline + 1 - data) : size;
        size_t parsed = csv_parse (&self->parser, data, piece, s_field_end,
                                   s_row_end, self);
        //  libcsv fails only when out of memory.
        assert (parsed == piece);
        data += piece;
        size -= piece;
        if (newline) {
            self->line++;
            self->line_start = true;
        }
    }
}

int
csvread_feed (csvread_t *self, const void *data, size_t size)
{
    assert (self);
    assert (data || size == 0);
    const unsigned char *bytes = (const unsigned char *)data;
    static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
    while (!self->bom_done && size > 0) {
        self->bom[self->bom_held++] = *bytes++;
        size--;
        if (self->bom[self->bom_held - 1] != bom[self->bom_held - 1]) {
            self->bom_done = true; //  not a BOM: these bytes are data
            s_parse (self, self->bom, self->bom_held);
        } else if (self->bom_held == 3)
            self->bom_done = true; //  a BOM: dropped
    }
    s_parse (self, bytes, size);
    return self->failed ? -1 : 0;
}

//  Warn of each row that sets a cell (region, indicator, month) an earlier
//  row of the file set to another value: the later one wins, which is
//  seldom what the sheet meant. Rows are in line order.
static void
s_find_cells_set_again (csvread_t *self)
{
    zhash_t *cells = zhash_new (); //  cell -> index + 1 of its latest set
    assert (cells);
    for (size_t index = 0; index < self->row_count; index++) {
        const jt_update_t *row = &self->rows[index];
        if (row->add)
            continue;
        char month[PERIOD_TEXT_SIZE];
        char key[160];
        snprintf (key, sizeof key, "%s %s %s", row->region, row->indicator,
                  period_format (period_from_yyyymm (row->period), month));
        size_t earlier = (size_t)(uintptr_t)zhash_lookup (cells, key);
        zhash_update (cells, key, (void *)(uintptr_t)(index + 1));
        if (!earlier || self->rows[earlier - 1].value == row->value)
            continue;
        const jt_update_t *before = &self->rows[earlier - 1];
        char was[32], now[32];
        char *reason =
            zsys_sprintf ("%s given again (was %s on line %u, now %s)", key,
                          check_format_value (before->value, was), before->line,
                          check_format_value (row->value, now));
        assert (reason);
        notes_add (self->warnings, row->line, &reason);
    }
    zhash_destroy (&cells);
}

int
csvread_finish (csvread_t *self)
{
    assert (self);
    if (!self->bom_done) {
        self->bom_done = true;
        s_parse (self, self->bom, self->bom_held);
    }
    if (!self->failed && !self->in_comment)
        csv_fini (&self->parser, s_field_end, s_row_end, self);
    if (!self->failed && !self->header_seen) {
        s_reject (self, 1, "missing header, expected '%s'", HEADER_WANTED);
        self->failed = true;
    }
    if (!self->failed)
        s_find_cells_set_again (self);
    return self->failed ? -1 : 0;
}

size_t
csvread_row_count (const csvread_t *self)
{
    assert (self);
    return self->row_count;
}

const jt_update_t *
csvread_row (const csvread_t *self, size_t index)
{
    assert (self);
    assert (index < self->row_count);
    return &self->rows[index];
}

size_t
csvread_rejection_count (const csvread_t *self)
{
    assert (self);
    return notes_count (self->rejections);
}

const csvread_rejection_t *
csvread_rejection (const csvread_t *self, size_t index)
{
    assert (self);
    return notes_at (self->rejections, index);
}

size_t
csvread_warning_count (const csvread_t *self)
{
    assert (self);
    return notes_count (self->warnings);
}

const csvread_rejection_t *
csvread_warning (const csvread_t *self, size_t index)
{
    assert (self);
    return notes_at (self->warnings, index);
}
