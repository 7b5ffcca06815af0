/*  summary.c — the one-shot summary (see summary.h). Every figure comes
    from figures_row, so the summary shows exactly what the core computes;
    this file only chooses words, rounding and layout. Missing is never
    shown as zero: an absent value is "not reported" or "—". */
#include <assert.h>
#include <math.h> //  isfinite, a macro: no libm needed
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "summary_parts.h"
#include "decimal.h"
#include "figures.h"
#include "period.h"

#define DASH "\xE2\x80\x94" //  "—", shown for an absent value

static const char *s_format_names[SUMMARY_FORMAT_COUNT] = {"text", "json", "md",
                                                           "csv", "html"};

static const char *s_month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

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

//  A fresh string from a format; out of memory aborts.
static char *
s_printf (const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *text = NULL;
    int rc = vasprintf (&text, format, args);
    va_end (args);
    assert (rc >= 0 && text);
    return text;
}

//  value rounded half away from zero (decimal.h) at places decimals,
//  without separators; trim drops the trailing zeros of the decimals
//  ("1334.75", "100"). buffer holds size bytes; returns buffer.
static char *
s_plain_number (double value, int places, bool trim, char *buffer, size_t size)
{
    if (!isfinite (value)) {
        snprintf (buffer, size, "%s", DASH);
        return buffer;
    }
    decimal_text (value, places, buffer, size);
    if (trim && strchr (buffer, '.')) {
        char *end = buffer + strlen (buffer) - 1;
        while (*end == '0')
            *end-- = 0;
        if (*end == '.')
            *end = 0;
    }
    return buffer;
}

//  value at places as summary_number shows it: with thousands separators.
static char *
s_number (double value, int places, bool trim, char *buffer, size_t size)
{
    assert (buffer);
    assert (size > 0);
    char digits[64];
    s_plain_number (value, places, trim, digits, sizeof (digits));

    //  Thousands separators in the integer part
    const char *integer = digits[0] == '-' ? digits + 1 : digits;
    size_t integer_size = strspn (integer, "0123456789");
    char grouped[96];
    size_t used = 0;
    if (integer != digits)
        grouped[used++] = '-';
    for (size_t index = 0; index < integer_size; index++) {
        if (index > 0 && (integer_size - index) % 3 == 0)
            grouped[used++] = ',';
        grouped[used++] = integer[index];
    }
    snprintf (grouped + used, sizeof (grouped) - used, "%s",
              integer + integer_size);
    snprintf (buffer, size, "%s", grouped);
    return buffer;
}

char *
summary_number (double value, int decimals, char *buffer, size_t size)
{
    return s_number (value, decimals < 0 ? 3 : decimals, decimals < 0, buffer,
                     size);
}

char *
summary_percent (double value, char *buffer, size_t size)
{
    //  Shorter than the callers' 64-byte buffers, so the "%" always fits.
    char digits[48];
    s_plain_number (value, 1, false, digits, sizeof (digits));
    snprintf (buffer, size, "%s%%", digits);
    return buffer;
}

//  -1, 0 or 1 as a is below, at or above b.
static int
s_order (double a, double b)
{
    return (a > b) - (a < b);
}

void
summary_contrast (double value, int decimals, double line, int line_decimals,
                  char *value_text, char *line_text, size_t size)
{
    //  More decimals while the numbers shown stand in another order than
    //  the figures: equal when they differ, or apart when they are equal
    int places = decimals < 0 ? 3 : decimals;
    int line_places = line_decimals < 0 ? 3 : line_decimals;
    while (
        (places < SUMMARY_CONTRAST_MAX || line_places < SUMMARY_CONTRAST_MAX) &&
        s_order (decimal_round (value, places),
                 decimal_round (line, line_places)) != s_order (value, line)) {
        if (places < SUMMARY_CONTRAST_MAX)
            places++;
        if (line_places < SUMMARY_CONTRAST_MAX)
            line_places++;
    }
    s_number (value, places, decimals < 0, value_text, size);
    s_number (line, line_places, line_decimals < 0, line_text, size);
}

//  Columns one code point takes on a terminal (after Markus Kuhn's wcwidth:
//  East Asian Wide and Fullwidth are 2, combining marks 0).
static int
s_code_point_width (uint32_t point)
{
    if (point < 0x20 || (point >= 0x7F && point < 0xA0))
        return 0;
    if ((point >= 0x0300 && point <= 0x036F) ||
        (point >= 0x1AB0 && point <= 0x1AFF) ||
        (point >= 0x1DC0 && point <= 0x1DFF) ||
        (point >= 0x200B && point <= 0x200F) ||
        (point >= 0x20D0 && point <= 0x20FF) ||
        (point >= 0xFE00 && point <= 0xFE0F) ||
        (point >= 0xFE20 && point <= 0xFE2F))
        return 0;
    if ((point >= 0x1100 && point <= 0x115F) ||
        (point >= 0x2E80 && point <= 0x303E) ||
        (point >= 0x3041 && point <= 0x33FF) ||
        (point >= 0x3400 && point <= 0x4DBF) ||
        (point >= 0x4E00 && point <= 0x9FFF) ||
        (point >= 0xA000 && point <= 0xA4CF) ||
        (point >= 0xAC00 && point <= 0xD7A3) ||
        (point >= 0xF900 && point <= 0xFAFF) ||
        (point >= 0xFE30 && point <= 0xFE4F) ||
        (point >= 0xFF00 && point <= 0xFF60) ||
        (point >= 0xFFE0 && point <= 0xFFE6) ||
        (point >= 0x1F300 && point <= 0x1F64F) ||
        (point >= 0x1F900 && point <= 0x1F9FF) ||
        (point >= 0x20000 && point <= 0x3FFFD))
        return 2;
    return 1;
}

//  Decode the code point at text (not at its end): its size in bytes and
//  *point. A malformed byte is taken alone as U+FFFD.
static size_t
s_decode_utf8 (const char *text, uint32_t *point)
{
    const unsigned char *scan = (const unsigned char *)text;
    uint32_t value = *scan;
    size_t extra = 0;
    if (value >= 0xF0 && value < 0xF8) {
        value &= 0x07;
        extra = 3;
    } else if (value >= 0xE0 && value < 0xF0) {
        value &= 0x0F;
        extra = 2;
    } else if (value >= 0xC0 && value < 0xE0) {
        value &= 0x1F;
        extra = 1;
    } else if (value >= 0x80) {
        *point = 0xFFFD;
        return 1;
    }
    for (size_t index = 1; index <= extra; index++) {
        if ((scan[index] & 0xC0) != 0x80) {
            *point = 0xFFFD;
            return 1;
        }
        value = (value << 6) | (scan[index] & 0x3F);
    }
    *point = value;
    return extra + 1;
}

size_t
summary_display_width (const char *text)
{
    assert (text);
    size_t width = 0;
    while (*text) {
        uint32_t point;
        text += s_decode_utf8 (text, &point);
        width += s_code_point_width (point);
    }
    return width;
}

//  ---------------------------------------------------------------------
//  A text table: a header and rows of owned strings, printed with columns
//  padded to their display width (not their byte length).

static summary_table_t *
s_table_new (size_t columns)
{
    summary_table_t *self = calloc (1, sizeof (summary_table_t));
    assert (self);
    self->columns = columns;
    self->headers = calloc (columns, sizeof (char *));
    self->right = calloc (columns, sizeof (bool));
    assert (self->headers && self->right);
    return self;
}

void
summary_table_destroy (summary_table_t **self_p)
{
    summary_table_t *self = *self_p;
    if (!self)
        return;
    for (size_t index = 0; index < self->rows * self->columns; index++)
        free (self->cells[index]);
    free (self->cells);
    free (self->headers);
    free (self->right);
    free (self);
    *self_p = NULL;
}

static void
s_table_header (summary_table_t *self, size_t column, const char *text,
                bool right)
{
    assert (column < self->columns);
    self->headers[column] = text;
    self->right[column] = right;
}

//  Add a row of empty cells; returns its index.
static size_t
s_table_row (summary_table_t *self)
{
    if (self->rows == self->capacity) {
        self->capacity = self->capacity ? self->capacity * 2 : 16;
        self->cells = realloc (self->cells, self->capacity * self->columns *
                                                sizeof (char *));
        assert (self->cells);
    }
    for (size_t column = 0; column < self->columns; column++)
        self->cells[self->rows * self->columns + column] = strdup ("");
    return self->rows++;
}

static void
s_table_set (summary_table_t *self, size_t row, size_t column, const char *text)
{
    assert (row < self->rows && column < self->columns);
    char **cell = &self->cells[row * self->columns + column];
    free (*cell);
    *cell = strdup (text);
    assert (*cell);
}

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
        size_t size = s_decode_utf8 (text, &point);
        size_t piece_size = size;
        size_t piece_width = s_code_point_width (point);
        if (piece_width < 2)
            while (text[piece_size] && text[piece_size] != ' ') {
                size = s_decode_utf8 (text + piece_size, &point);
                if (s_code_point_width (point) == 2)
                    break;
                piece_size += size;
                piece_width += s_code_point_width (point);
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
        char *joined = s_printf ("%s%s%.*s", line ? line : "", space ? " " : "",
                                 (int)piece_size, text);
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
        text += s_decode_utf8 (text, &point);
        if (s_code_point_width (point) == 2)
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
//  Words

static const summary_words_t s_english = {
    .figure = "Figure",
    .value = "Value",
    .unit = "Unit",
    .target = "Target",
    .completion = "Completion",
    .pace = "Pace",
    .region = "Region",
    .of_task = "% of task",
    .not_reported = "not reported",
    .severity = "Severity",
    .rule = "Rule",
    .condition = "Value vs threshold",
    .since = "Since",
    .alerts = "Active alerts",
    .no_alerts = "No active alerts.",
    .figures = "Figures",
    .regions = "By region",
    .chart_tasks = "Completion of the annual tasks by region",
    .chart_rates = "Rates against their control lines",
    .chart_trend = "Month by month",
    .ahead = "At or ahead of pace",
    .behind = "Behind pace",
    .pace_line = "Pace: %s of the year gone",
    .task_line = "Task met (100%)",
    .task_axis = "% of the annual task",
    .within = "Within the control line",
    .above = "Above the control line",
    .limit_line = "Control line",
    .per_month = "Per month",
    .month_axis = "Month of %d",
    .trend_note = "Each month's own figure; for a figure reported year to "
                  "date, the change from the month before.",
    .generated = "Generated by jobtally from the reports received."};

static const summary_words_t s_chinese = {
    .figure = "指标",
    .value = "数值",
    .unit = "单位",
    .target = "年度任务",
    .completion = "完成率",
    .pace = "进度比",
    .region = "地区",
    .of_task = "完成率",
    .not_reported = "未上报",
    .severity = "级别",
    .rule = "规则",
    .condition = "数值与阈值",
    .since = "开始时间",
    .alerts = "当前告警",
    .no_alerts = "无当前告警。",
    .figures = "主要指标",
    .regions = "分地区情况",
    .chart_tasks = "各地区年度任务完成情况",
    .chart_rates = "比率与控制线",
    .chart_trend = "逐月走势",
    .ahead = "达到时间进度",
    .behind = "低于时间进度",
    .pace_line = "时间进度：%s",
    .task_line = "完成全年任务（100%）",
    .task_axis = "完成年度任务的百分比",
    .within = "控制线以内",
    .above = "超过控制线",
    .limit_line = "控制线",
    .per_month = "当月数",
    .month_axis = "%d年月份",
    .trend_note = "各月当月数；按年累计上报的指标取与上月之差。",
    .generated = "jobtally根据已收到的报表生成。"};

bool
summary_chinese (const char *lang)
{
    return lang && strncmp (lang, "zh", 2) == 0 &&
           (lang[2] == 0 || lang[2] == '-' || lang[2] == '_');
}

const summary_words_t *
summary_words (const char *lang)
{
    return summary_chinese (lang) ? &s_chinese : &s_english;
}

static const char *s_short_month_names[12] = {"Jan", "Feb", "Mar", "Apr",
                                              "May", "Jun", "Jul", "Aug",
                                              "Sep", "Oct", "Nov", "Dec"};

static const char *s_chinese_month_names[12] = {"1月", "2月",  "3月",  "4月",
                                                "5月", "6月",  "7月",  "8月",
                                                "9月", "10月", "11月", "12月"};

const char *
summary_month_name (int month, bool short_form, const char *lang)
{
    assert (month >= 1 && month <= 12);
    if (summary_chinese (lang))
        return s_chinese_month_names[month - 1];
    return short_form ? s_short_month_names[month - 1]
                      : s_month_names[month - 1];
}

//  The severity as a word of lang.
static const char *
s_severity_name (rule_severity_t severity, const char *lang)
{
    if (summary_chinese (lang))
        return severity == SEVERITY_CRITICAL  ? "严重"
               : severity == SEVERITY_WARNING ? "警告"
                                              : "提示";
    return catalogue_severity_name (severity);
}

const char *
summary_table_cell (const summary_table_t *self, size_t row, size_t column)
{
    assert (row < self->rows && column < self->columns);
    return self->cells[row * self->columns + column];
}

//  A fresh string of what write printed to a memory stream.
typedef void (s_writer_fn) (FILE *out, const catalogue_t *catalogue,
                            const store_t *store, int region, int period,
                            const char *lang);

static char *
s_capture (s_writer_fn *write, const catalogue_t *catalogue,
           const store_t *store, int region, int period, const char *lang)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    assert (out);
    write (out, catalogue, store, region, period, lang);
    fclose (out);
    return text;
}

//  ---------------------------------------------------------------------
//  What every format shares

static bool
s_is_indicator (const catalogue_t *catalogue, int figure)
{
    return figure < catalogue_indicator_count (catalogue);
}

static const char *
s_figure_unit (const catalogue_t *catalogue, int figure)
{
    const char *unit = s_is_indicator (catalogue, figure)
                           ? catalogue_indicator (catalogue, figure)->unit
                           : catalogue_measure (catalogue, figure)->unit;
    return unit ? unit : "";
}

//  Units a Chinese report writes as one character after the number.
static const char *s_chinese_units[][2] = {
    {"persons", "人"},    {"people", "人"},       {"jobs", "个"},
    {"households", "户"}, {"certificates", "张"}, {"courses", "期"},
    {"yuan", "元"},       {"enterprises", "家"},  {"days", "天"}};

const char *
summary_unit (const catalogue_t *catalogue, int figure, const char *lang)
{
    const char *unit = s_figure_unit (catalogue, figure);
    if (summary_chinese (lang))
        for (size_t index = 0;
             index < sizeof (s_chinese_units) / sizeof (s_chinese_units[0]);
             index++)
            if (strcmp (unit, s_chinese_units[index][0]) == 0)
                return s_chinese_units[index][1];
    return unit;
}

//  Decimals a figure is shown with: a measure its own, an indicator as
//  few as its value needs (whole units show none).
static int
s_figure_decimals (const catalogue_t *catalogue, int figure)
{
    if (s_is_indicator (catalogue, figure))
        return catalogue_indicator (catalogue, figure)->whole ? 0 : -1;
    return catalogue_measure (catalogue, figure)->decimals;
}

char *
summary_value_text (const catalogue_t *catalogue, int figure, double value,
                    char *buffer, size_t size)
{
    return summary_number (value, s_figure_decimals (catalogue, figure), buffer,
                           size);
}

static char *
s_value_text (const catalogue_t *catalogue, int figure, double value,
              char *buffer, size_t size)
{
    return summary_value_text (catalogue, figure, value, buffer, size);
}

static const char *
s_phrase (const catalogue_t *catalogue, int figure)
{
    return s_is_indicator (catalogue, figure)
               ? catalogue_indicator (catalogue, figure)->phrase
               : catalogue_measure (catalogue, figure)->phrase;
}

//  "2003年10月" or "2003-10"; returns buffer of at least 32 bytes.
static char *
s_period_words (int period, const char *lang, char *buffer)
{
    if (summary_chinese (lang))
        snprintf (buffer, 32, "%d年%d月", period_year (period),
                  period_month (period));
    else
        period_format (period, buffer);
    return buffer;
}

//  "Heihe City — year to date through October 2003" or
//  "黑河市 — 2003年1—10月累计"; caller frees.
char *
summary_title (const catalogue_t *catalogue, int region, int period,
               const char *lang)
{
    const char *name = catalogue_region_name (catalogue, region, lang);
    if (summary_chinese (lang)) {
        if (period_month (period) == 1)
            return s_printf ("%s " DASH " %d年1月", name, period_year (period));
        return s_printf ("%s " DASH " %d年1" DASH "%d月累计", name,
                         period_year (period), period_month (period));
    }
    return s_printf ("%s " DASH " year to date through %s %d", name,
                     s_month_names[period_month (period) - 1],
                     period_year (period));
}

//  "2003-11-10 00:00 UTC" (iso false) or "2003-11-10T00:00:00Z" for
//  seconds since the epoch, without the C library's time zone machinery.
static char *
s_time_text (int64_t seconds, bool iso, char *buffer, size_t size)
{
    int64_t day = seconds / 86400;
    int64_t rest = seconds % 86400;
    if (rest < 0) {
        rest += 86400;
        day--;
    }
    char day_text[PERIOD_DAY_TEXT_SIZE];
    //  period.h knows the years 1900-2999
    if (day < period_day_make (1900, 1, 1) ||
        day > period_day_make (2999, 12, 31))
        snprintf (day_text, sizeof (day_text), "?");
    else
        period_day_format ((int)day, day_text);
    if (iso)
        snprintf (buffer, size, "%sT%02d:%02d:%02dZ", day_text,
                  (int)(rest / 3600), (int)(rest / 60 % 60), (int)(rest % 60));
    else
        snprintf (buffer, size, "%s %02d:%02d UTC", day_text,
                  (int)(rest / 3600), (int)(rest / 60 % 60));
    return buffer;
}
//  Regions expected to report for the month that did not: the direct
//  children of region, or the region itself when it is a leaf. Fills
//  missing (catalogue_region_count entries) and returns how many.
static int
s_missing (const catalogue_t *catalogue, const store_t *store, int region,
           int period, int *missing)
{
    const region_t *info = catalogue_region (catalogue, region);
    int count = 0;
    if (info->child_count == 0) {
        if (!store_reported (store, region, period))
            missing[count++] = region;
    } else
        for (int index = 0; index < info->child_count; index++)
            if (!store_reported (store, info->children[index], period))
                missing[count++] = info->children[index];
    return count;
}

//  How the regions expected to report for a month (the direct children of
//  region, or a leaf region itself) stand against the deadline
//  (DESIGN §3.3). Regions that did not report at all are s_missing's.
typedef struct {
    int on_time;          //  reported in full by the deadline
    int late_count;       //  reported in full, the last part after it
    int *late;            //  their indices
    int *late_days;       //  the day each was complete (period.h)
    int incomplete_count; //  a region with parts: some reported, not all
    int *incomplete;      //  their indices
} s_timeliness_t;

static void
s_timeliness (const catalogue_t *catalogue, const store_t *store, int region,
              int period, s_timeliness_t *self)
{
    memset (self, 0, sizeof (*self));
    const region_t *info = catalogue_region (catalogue, region);
    int count = info->child_count ? info->child_count : 1;
    self->late = calloc (count, sizeof (int));
    self->late_days = calloc (count, sizeof (int));
    self->incomplete = calloc (count, sizeof (int));
    assert (self->late && self->late_days && self->incomplete);
    for (int index = 0; index < count; index++) {
        int which = info->child_count ? info->children[index] : region;
        if (!store_reported (store, which, period))
            continue;
        int day;
        switch (store_timeliness (store, which, period, &day)) {
        case STORE_ON_TIME:
            self->on_time++;
            break;
        case STORE_LATE:
            self->late[self->late_count] = which;
            self->late_days[self->late_count++] = day;
            break;
        case STORE_MISSING:
            //  A leaf with figures but no report day (from an aggregator
            //  that kept none) is neither; a region with parts is short.
            if (catalogue_region (catalogue, which)->child_count > 0)
                self->incomplete[self->incomplete_count++] = which;
            break;
        }
    }
}

static void
s_timeliness_free (s_timeliness_t *self)
{
    free (self->late);
    free (self->late_days);
    free (self->incomplete);
}

//  ---------------------------------------------------------------------
//  Carried figures

//  The months one leaf's figures are carried from, entries first ..
//  last - 1 of a list: "September figure", "August, September figures";
//  in Chinese "9月数", "8月、9月数".
static void
s_write_carried_months (FILE *out, const figures_carried_t *carried,
                        size_t first, size_t last, const char *lang)
{
    bool chinese = summary_chinese (lang);
    for (size_t index = first; index < last; index++) {
        int month = period_month (carried[index].from);
        if (index > first)
            fputs (chinese ? "、" : ", ", out);
        if (chinese)
            fprintf (out, "%d月", month);
        else
            fputs (s_month_names[month - 1], out);
    }
    fputs (chinese ? "数" : last - first > 1 ? " figures" : " figure", out);
}

//  The leaves whose figures are carried into the month, each with the
//  months they are from: "Sunwu County (September figure), Xunke County
//  (August, September figures)"; in Chinese "孙吴县（9月数）".
static void
s_write_carried (FILE *out, const catalogue_t *catalogue,
                 const figures_carried_t *carried, size_t count,
                 const char *lang)
{
    bool chinese = summary_chinese (lang);
    size_t first = 0;
    while (first < count) {
        size_t last = first + 1;
        while (last < count && carried[last].region == carried[first].region)
            last++;
        if (first > 0)
            fputs (chinese ? "、" : ", ", out);
        fprintf (
            out, chinese ? "%s（" : "%s (",
            catalogue_region_name (catalogue, carried[first].region, lang));
        s_write_carried_months (out, carried, first, last, lang);
        fputs (chinese ? "）" : ")", out);
        first = last;
    }
}

json_t *
summary_carried_json (const catalogue_t *catalogue,
                      const figures_carried_t *carried, size_t count,
                      const char *lang)
{
    json_t *list = json_array ();
    for (size_t index = 0; index < count; index++) {
        char from[PERIOD_TEXT_SIZE];
        json_t *entry = json_object ();
        json_object_set_new (
            entry, "region",
            json_string (
                catalogue_region (catalogue, carried[index].region)->id));
        json_object_set_new (entry, "region_name",
                             json_string (catalogue_region_name (
                                 catalogue, carried[index].region, lang)));
        json_object_set_new (
            entry, "from",
            json_string (period_format (carried[index].from, from)));
        json_array_append_new (list, entry);
    }
    return list;
}

//  ---------------------------------------------------------------------
//  Coverage

//  A leaf's own line: "Sunwu County reported for 2003-10 on 2003-11-14,
//  late (due by 2003-11-10)."; without a known report day, only whether it
//  reported.
static void
s_write_leaf_coverage (FILE *out, const catalogue_t *catalogue,
                       const store_t *store, int region, int period,
                       const char *lang)
{
    char period_text[32], day_text[PERIOD_DAY_TEXT_SIZE];
    bool chinese = summary_chinese (lang);
    const char *name = catalogue_region_name (catalogue, region, lang);
    s_period_words (period, lang, period_text);
    if (!store_reported (store, region, period)) {
        fprintf (out,
                 chinese ? "%s尚未上报%s报表。" : "%s has not reported for %s.",
                 name, period_text);
        return;
    }
    int day;
    store_timeliness_t timeliness =
        store_timeliness (store, region, period, &day);
    if (timeliness == STORE_MISSING) {
        fprintf (out, chinese ? "%s已上报%s报表。" : "%s reported for %s.",
                 name, period_text);
        return;
    }
    char deadline_text[PERIOD_DAY_TEXT_SIZE];
    period_day_format (day, day_text);
    period_day_format (store_deadline (store, period), deadline_text);
    if (chinese) {
        if (timeliness == STORE_ON_TIME)
            fprintf (out, "%s于%s按时上报%s报表。", name, day_text,
                     period_text);
        else
            fprintf (out, "%s于%s上报%s报表，逾期（截止日期%s）。", name,
                     day_text, period_text, deadline_text);
        return;
    }
    fprintf (out, "%s reported for %s on %s, ", name, period_text, day_text);
    if (timeliness == STORE_ON_TIME)
        fputs ("on time.", out);
    else
        fprintf (out, "late (due by %s).", deadline_text);
}

//  "All 7 of 7 regions reported for 2003-10, 6 on time; late: Sunwu
//  County (2003-11-14)." Timeliness is said once any report day is known.
//  In Chinese: "2003年10月应报7个地区，已全部上报，其中6个按时上报；逾期
//  上报：孙吴县（2003-11-14）。"
static void
s_write_coverage (FILE *out, const catalogue_t *catalogue, const store_t *store,
                  int region, int period, const char *lang)
{
    const region_t *info = catalogue_region (catalogue, region);
    bool chinese = summary_chinese (lang);
    if (info->child_count == 0) {
        s_write_leaf_coverage (out, catalogue, store, region, period, lang);
        //  " Its September figure is carried.", "沿用其9月数。"
        size_t count;
        figures_carried_t *carried =
            figures_carried (catalogue, store, region, -1, period, &count);
        if (count) {
            fputs (chinese ? "沿用其" : " Its ", out);
            s_write_carried_months (out, carried, 0, count, lang);
            fputs (chinese     ? "。"
                   : count > 1 ? " are carried."
                               : " is carried.",
                   out);
        }
        free (carried);
        return;
    }
    const char *comma = chinese ? "、" : ", ";
    char period_text[32], day_text[PERIOD_DAY_TEXT_SIZE];
    s_period_words (period, lang, period_text);
    int reported, expected;
    store_coverage (store, region, period, &reported, &expected);
    int *missing = calloc (catalogue_region_count (catalogue), sizeof (int));
    assert (missing);
    int missing_count = s_missing (catalogue, store, region, period, missing);
    bool all = missing_count == 0 && reported == expected;
    if (chinese) {
        if (all)
            fprintf (out, "%s应报%d个地区，已全部上报", period_text, expected);
        else
            fprintf (out, "%s应报%d个地区，已上报%d个", period_text, expected,
                     reported);
    } else
        fprintf (out, "%s%d of %d %s reported for %s", all ? "All " : "",
                 reported, expected, expected == 1 ? "region" : "regions",
                 period_text);

    s_timeliness_t timeliness;
    s_timeliness (catalogue, store, region, period, &timeliness);
    if (timeliness.on_time + timeliness.late_count > 0) {
        if (all && timeliness.on_time == reported)
            fputs (chinese ? "，均按时上报" : ", all on time", out);
        else if (timeliness.on_time == 0)
            fputs (chinese ? "，均未按时上报" : ", none on time", out);
        else
            fprintf (out, chinese ? "，其中%d个按时上报" : ", %d on time",
                     timeliness.on_time);
        for (int index = 0; index < timeliness.late_count; index++)
            fprintf (
                out, chinese ? "%s%s（%s）" : "%s%s (%s)",
                index ? comma : (chinese ? "；逾期上报：" : "; late: "),
                catalogue_region_name (catalogue, timeliness.late[index], lang),
                period_day_format (timeliness.late_days[index], day_text));
        for (int index = 0; index < timeliness.incomplete_count; index++)
            fprintf (
                out, "%s%s",
                index ? comma : (chinese ? "；部分上报：" : "; incomplete: "),
                catalogue_region_name (catalogue, timeliness.incomplete[index],
                                       lang));
    }
    s_timeliness_free (&timeliness);
    for (int index = 0; index < missing_count; index++)
        fprintf (out, "%s%s",
                 index ? comma : (chinese ? "；未上报：" : "; missing: "),
                 catalogue_region_name (catalogue, missing[index], lang));
    size_t carried_count;
    figures_carried_t *carried =
        figures_carried (catalogue, store, region, -1, period, &carried_count);
    if (carried_count) {
        fputs (chinese ? "；沿用前期数：" : "; carried: ", out);
        s_write_carried (out, catalogue, carried, carried_count, lang);
    }
    free (carried);
    fputs (chinese ? "。" : ".", out);
    free (missing);
}

char *
summary_coverage (const catalogue_t *catalogue, const store_t *store,
                  int region, int period, const char *lang)
{
    return s_capture (s_write_coverage, catalogue, store, region, period, lang);
}

//  ---------------------------------------------------------------------
//  Headline

//  Completion and the share of the year gone as a clause shows them, each
//  in 64 bytes: "67.9%" and "83.3%", or with more decimals where the
//  completion is behind the year but would read the same ("83.30%" and
//  "83.33%").
static void
s_task_texts (const figure_row_t *row, int period, char *completion,
              char *elapsed)
{
    char completion_number[60], elapsed_number[60];
    summary_contrast (row->completion_pct, 1, figures_year_elapsed_pct (period),
                      1, completion_number, elapsed_number, 60);
    snprintf (completion, 64, "%s%%", completion_number);
    snprintf (elapsed, 64, "%s%%", elapsed_number);
}

//  One clause of the headline, as the bureau writes it:
//  "11,800 people found employment, 268.0% of the provincial task (4,403)"
//  or "the re-employment rate was 41.0%". *task_named tracks whether "the
//  provincial task" was said already; later clauses say "the task".
static void
s_write_clause (FILE *out, const catalogue_t *catalogue, const store_t *store,
                int region, int figure, int period, const char *lang,
                bool *task_named)
{
    figure_row_t row;
    figures_row (catalogue, store, region, figure, period, &row);
    const char *phrase = s_phrase (catalogue, figure);
    const char *name = catalogue_figure_name (catalogue, figure, lang);
    const char *unit = s_figure_unit (catalogue, figure);
    char value[64], number[64], limit[64];
    if (row.has_limit)
        summary_contrast (row.value, s_figure_decimals (catalogue, figure),
                          row.limit, -1, value, limit, sizeof (value));
    else
        s_value_text (catalogue, figure, row.value, value, sizeof (value));

    if (s_is_indicator (catalogue, figure)) {
        if (!row.present) {
            fprintf (out, "%s: not reported", name);
            return;
        }
        if (phrase)
            fprintf (out, "%s %s", value, phrase);
        else
            fprintf (out, "%s: %s%s%s", name, value, *unit ? " " : "", unit);
        if (row.has_target && row.target > 0) {
            //  The root's task comes from the level above the catalogue
            bool provincial = !*task_named &&
                              catalogue_region (catalogue, region)->parent < 0;
            summary_number (row.target, s_figure_decimals (catalogue, figure),
                            number, sizeof (number));
            char completion[64], elapsed[64];
            s_task_texts (&row, period, completion, elapsed);
            fprintf (out, ", %s of the %stask (%s)", completion,
                     provincial ? "provincial " : "", number);
            *task_named = true;
            if (row.pace_pct < 100)
                fprintf (out, ", with %s of the year gone", elapsed);
        }
    } else {
        if (phrase)
            fprintf (out, "the %s ", phrase);
        else
            fprintf (out, "%s ", name);
        if (!row.present) {
            fputs ("was not reported", out);
            return;
        }
        bool percent = strcmp (unit, "%") == 0;
        fprintf (out, "was %s%s%s", value, percent || !*unit ? "" : " ", unit);
    }
    if (row.has_limit) {
        bool percent = strcmp (unit, "%") == 0;
        fprintf (out, ", %s the control line of %s%s%s",
                 row.value > row.limit ? "above" : "within", limit,
                 percent || !*unit ? "" : " ", unit);
    }
}

static bool
s_ends_with (const char *text, const char *end)
{
    size_t size = strlen (text), end_size = strlen (end);
    return size >= end_size && strcmp (text + size - end_size, end) == 0;
}

//  What a Chinese report writes before a number: the name without its
//  counting word, "新增就业人数" -> "新增就业" (then "11,800人"),
//  "援助零就业家庭户数" -> "援助零就业家庭". Caller frees.
static char *
s_chinese_stem (const char *name, const char *unit)
{
    char *stem = strdup (name);
    assert (stem);
    if (s_ends_with (stem, "数")) {
        stem[strlen (stem) - strlen ("数")] = 0;
        if (*unit && s_ends_with (stem, unit) && strlen (stem) > strlen (unit))
            stem[strlen (stem) - strlen (unit)] = 0;
    }
    return stem;
}

//  One clause in Chinese: "新增就业11,800人，完成省下达任务的268.0%" or
//  "城镇登记失业率2.96%，控制在2.99%以内".
static void
s_write_chinese_clause (FILE *out, const catalogue_t *catalogue,
                        const store_t *store, int region, int figure,
                        int period, const char *lang, bool *task_named)
{
    figure_row_t row;
    figures_row (catalogue, store, region, figure, period, &row);
    const char *name = catalogue_figure_name (catalogue, figure, lang);
    const char *unit = summary_unit (catalogue, figure, lang);
    if (!row.present) {
        fprintf (out, "%s未上报", name);
        return;
    }
    char value[64], limit[64];
    if (row.has_limit)
        summary_contrast (row.value, s_figure_decimals (catalogue, figure),
                          row.limit, -1, value, limit, sizeof (value));
    else
        s_value_text (catalogue, figure, row.value, value, sizeof (value));
    char *stem = s_chinese_stem (name, unit);
    fprintf (out, "%s%s%s", stem, value, unit);
    free (stem);
    if (s_is_indicator (catalogue, figure) && row.has_target &&
        row.target > 0) {
        bool provincial =
            !*task_named && catalogue_region (catalogue, region)->parent < 0;
        char completion[64], elapsed[64];
        s_task_texts (&row, period, completion, elapsed);
        fprintf (out, "，完成%s任务的%s", provincial ? "省下达" : "",
                 completion);
        *task_named = true;
        if (row.pace_pct < 100)
            fprintf (out, "，低于时间进度（%s）", elapsed);
    }
    if (row.has_limit) {
        if (row.value > row.limit)
            fprintf (out, "，超过%s%s的控制线", limit, unit);
        else
            fprintf (out, "，控制在%s%s以内", limit, unit);
    }
}

//  "全市" for the root named "黑河市", else the region's name.
static char *
s_chinese_subject (const catalogue_t *catalogue, int region, const char *lang)
{
    const char *name = catalogue_region_name (catalogue, region, lang);
    if (catalogue_region (catalogue, region)->parent < 0) {
        const char *levels[] = {"市", "县", "区", "省", "州", "旗"};
        for (size_t index = 0; index < sizeof (levels) / sizeof (levels[0]);
             index++)
            if (s_ends_with (name, levels[index]) &&
                strlen (name) > strlen (levels[index]))
                return s_printf ("全%s", levels[index]);
    }
    return strdup (name);
}

//  What the headline says of a month not every region reported, or with
//  figures carried: " (6 of 7 regions reported; figures carried for Sunwu
//  County)", in Chinese "（应报7个地区，已上报6个；沿用前期数：孙吴县）";
//  nothing when the month is complete.
static void
s_write_headline_coverage (FILE *out, const catalogue_t *catalogue,
                           const store_t *store, int region, int period,
                           const char *lang)
{
    bool chinese = summary_chinese (lang);
    int reported, expected;
    store_coverage (store, region, period, &reported, &expected);
    size_t carried_count;
    figures_carried_t *carried =
        figures_carried (catalogue, store, region, -1, period, &carried_count);
    if (reported == expected && carried_count == 0)
        return;
    fputs (chinese ? "（" : " (", out);
    if (reported < expected) {
        if (catalogue_region (catalogue, region)->child_count == 0)
            fputs (chinese ? "尚未上报" : "not reported yet", out);
        else
            fprintf (out,
                     chinese ? "应报%d个地区，已上报%d个"
                             : "%d of %d regions reported",
                     chinese ? expected : reported,
                     chinese ? reported : expected);
    }
    for (size_t index = 0; index < carried_count; index++) {
        if (index > 0 && carried[index - 1].region == carried[index].region)
            continue;
        if (index == 0)
            fputs (reported < expected
                       ? (chinese ? "；沿用前期数：" : "; figures carried for ")
                       : (chinese ? "沿用前期数：" : "figures carried for "),
                   out);
        else
            fputs (chinese ? "、" : ", ", out);
        fputs (catalogue_region_name (catalogue, carried[index].region, lang),
               out);
    }
    fputs (chinese ? "）" : ")", out);
    free (carried);
}

static void
s_write_headline (FILE *out, const catalogue_t *catalogue, const store_t *store,
                  int region, int period, const char *lang)
{
    int count;
    const int *figures = catalogue_summary_headline (catalogue, &count);
    bool task_named = false;
    if (summary_chinese (lang)) {
        char *subject = s_chinese_subject (catalogue, region, lang);
        fprintf (out, "截至%d年%d月底", period_year (period),
                 period_month (period));
        s_write_headline_coverage (out, catalogue, store, region, period, lang);
        fprintf (out, "，%s", subject);
        free (subject);
        for (int index = 0; index < count; index++) {
            if (index > 0)
                fputs ("；", out);
            s_write_chinese_clause (out, catalogue, store, region,
                                    figures[index], period, lang, &task_named);
        }
        fputs ("。", out);
        return;
    }
    fprintf (out, "By the end of %s %d",
             s_month_names[period_month (period) - 1], period_year (period));
    s_write_headline_coverage (out, catalogue, store, region, period, lang);
    fputs (", ", out);
    for (int index = 0; index < count; index++) {
        if (index > 0)
            fputs ("; ", out);
        s_write_clause (out, catalogue, store, region, figures[index], period,
                        lang, &task_named);
    }
    fputs (".", out);
}

char *
summary_headline (const catalogue_t *catalogue, const store_t *store,
                  int region, int period, const char *lang)
{
    int count;
    catalogue_summary_headline (catalogue, &count);
    if (count == 0)
        return NULL;
    return s_capture (s_write_headline, catalogue, store, region, period, lang);
}

//  ---------------------------------------------------------------------
//  Tables

//  Name, value, unit, target, completion and pace of every figure.
summary_table_t *
summary_figures_table (const catalogue_t *catalogue, const store_t *store,
                       int region, int period, const char *lang)
{
    const summary_words_t *words = summary_words (lang);
    summary_table_t *table = s_table_new (6);
    s_table_header (table, 0, words->figure, false);
    s_table_header (table, 1, words->value, true);
    s_table_header (table, 2, words->unit, false);
    s_table_header (table, 3, words->target, true);
    s_table_header (table, 4, words->completion, true);
    s_table_header (table, 5, words->pace, true);
    for (int figure = 0; figure < catalogue_figure_count (catalogue);
         figure++) {
        figure_row_t row;
        figures_row (catalogue, store, region, figure, period, &row);
        char text[64];
        size_t line = s_table_row (table);
        s_table_set (table, line, 0,
                     catalogue_figure_name (catalogue, figure, lang));
        s_table_set (table, line, 1,
                     row.present ? s_value_text (catalogue, figure, row.value,
                                                 text, sizeof (text))
                                 : words->not_reported);
        s_table_set (table, line, 2, summary_unit (catalogue, figure, lang));
        if (row.has_target) {
            s_table_set (table, line, 3,
                         s_value_text (catalogue, figure, row.target, text,
                                       sizeof (text)));
            bool computed = row.present && row.target > 0;
            summary_percent (row.completion_pct, text, sizeof (text));
            s_table_set (table, line, 4, computed ? text : DASH);
            summary_percent (row.pace_pct, text, sizeof (text));
            s_table_set (table, line, 5, computed ? text : DASH);
        }
    }
    return table;
}

//  One row per region (the region itself, then its direct children) with
//  the catalogue's summary columns, and "% of task" after each indicator
//  that has a target at any of those regions. With no summary columns in
//  the catalogue, every figure is a column.
summary_table_t *
summary_regions_table (const catalogue_t *catalogue, const store_t *store,
                       int region, int period, const char *lang, bool *silent)
{
    *silent = false;
    const region_t *info = catalogue_region (catalogue, region);
    if (info->child_count == 0)
        return NULL;
    int count;
    const int *columns = catalogue_summary_columns (catalogue, &count);
    int *all = NULL;
    if (count == 0) {
        count = catalogue_figure_count (catalogue);
        all = calloc (count, sizeof (int));
        assert (all);
        for (int figure = 0; figure < count; figure++)
            all[figure] = figure;
        columns = all;
    }
    //  Which columns get a completion column beside them
    bool *targeted = calloc (count, sizeof (bool));
    assert (targeted);
    size_t width = 1;
    for (int column = 0; column < count; column++) {
        for (int index = -1; index < info->child_count; index++) {
            int which = index < 0 ? region : info->children[index];
            figure_row_t row;
            figures_row (catalogue, store, which, columns[column], period,
                         &row);
            if (row.has_target)
                targeted[column] = true;
        }
        width += targeted[column] ? 2 : 1;
    }

    const summary_words_t *words = summary_words (lang);
    summary_table_t *table = s_table_new (width);
    s_table_header (table, 0, words->region, false);
    size_t at = 1;
    for (int column = 0; column < count; column++) {
        s_table_header (
            table, at++,
            catalogue_figure_name (catalogue, columns[column], lang), true);
        if (targeted[column])
            s_table_header (table, at++, words->of_task, true);
    }
    for (int index = -1; index < info->child_count; index++) {
        int which = index < 0 ? region : info->children[index];
        size_t line = s_table_row (table);
        //  A child silent this month shows its latest figures: say so
        bool quiet = index >= 0 && !store_reported (store, which, period);
        char *name =
            s_printf ("%s%s", catalogue_region_name (catalogue, which, lang),
                      quiet ? " *" : "");
        s_table_set (table, line, 0, name);
        free (name);
        *silent |= quiet;
        at = 1;
        for (int column = 0; column < count; column++) {
            figure_row_t row;
            figures_row (catalogue, store, which, columns[column], period,
                         &row);
            char text[64];
            if (row.present) {
                //  Rates read as rates: "41.0%"
                s_value_text (catalogue, columns[column], row.value, text,
                              sizeof (text) - 1);
                if (strcmp (s_figure_unit (catalogue, columns[column]), "%") ==
                    0)
                    strcat (text, "%");
            }
            s_table_set (table, line, at++, row.present ? text : DASH);
            if (targeted[column]) {
                if (row.has_target) {
                    summary_percent (row.completion_pct, text, sizeof (text));
                    s_table_set (table, line, at,
                                 row.present && row.target > 0 ? text : DASH);
                }
                at++;
            }
        }
    }
    free (targeted);
    free (all);
    return table;
}

char *
summary_footnote (int period, const char *lang)
{
    char period_text[32];
    s_period_words (period, lang, period_text);
    if (summary_chinese (lang))
        return s_printf ("* %s未上报：数据截至其本年最近一次上报。",
                         period_text);
    return s_printf ("* not reported for %s: figures run to its latest "
                     "report this year.",
                     period_text);
}

//  A number of an alert with its unit: "81.5%", "3.64%", "1,000 persons".
static char *
s_alert_number (const char *number, const char *unit, char *buffer, size_t size)
{
    bool glued = !*unit || strcmp (unit, "%") == 0 ||
                 summary_display_width (unit) == 2; //  "人", "天"
    snprintf (buffer, size, "%s%s%s", number, glued ? "" : " ", unit);
    return buffer;
}

//  "81.5% < 90%": what was seen against what it was compared with, as the
//  rule's kind compares them (rules.h), with the decimals that tell the
//  two apart ("89.97% < 90%").
static char *
s_alert_condition (const catalogue_t *catalogue, const rules_notice_t *alert,
                   const char *lang)
{
    const rule_t *rule = catalogue_rule (catalogue, alert->rule);
    const char *unit = "";
    const char *relation = "vs";
    int decimals = -1;           //  the value's
    int threshold_decimals = -1; //  the threshold's
    switch (rule->kind) {
    case RULE_THRESHOLD:
        if (rule->target == RULE_TARGET_VALUE) {
            unit = summary_unit (catalogue, rule->figure, lang);
            decimals = s_figure_decimals (catalogue, rule->figure);
        } else {
            unit = "%";
            decimals = 1;
        }
        relation = rule->direction == RULE_ABOVE ? ">" : "<";
        break;
    case RULE_SILENCE:
        unit = summary_chinese (lang) ? "天" : "days";
        decimals = threshold_decimals = 0;
        relation = ">";
        break;
    case RULE_RESTATEMENT:
        unit = summary_unit (catalogue, rule->figure, lang);
        decimals = threshold_decimals =
            s_figure_decimals (catalogue, rule->figure);
        relation = "<";
        break;
    case RULE_OUTLIER:
        //  The bound it broke: above a maximum or rise, below a minimum or
        //  drop.
        unit = summary_unit (catalogue, rule->figure, lang);
        decimals = threshold_decimals =
            s_figure_decimals (catalogue, rule->figure);
        relation = alert->value > alert->threshold ? ">" : "<";
        break;
    case RULE_CONSISTENCY:
        unit = summary_unit (catalogue, rule->left, lang);
        decimals = threshold_decimals =
            s_figure_decimals (catalogue, rule->left);
        relation = rule->relation == RULE_EQUAL ? "\xE2\x89\xA0" : ">"; //  ≠
        break;
    }
    char value_number[64], threshold_number[64], value[96], threshold[96];
    summary_contrast (alert->value, decimals, alert->threshold,
                      threshold_decimals, value_number, threshold_number,
                      sizeof (value_number));
    s_alert_number (value_number, unit, value, sizeof (value));
    s_alert_number (threshold_number, unit, threshold, sizeof (threshold));
    return s_printf ("%s %s %s", value, relation, threshold);
}

summary_table_t *
summary_alerts_table (const catalogue_t *catalogue,
                      const rules_notice_t *alerts, size_t alert_count,
                      const char *lang)
{
    if (alert_count == 0)
        return NULL;
    assert (alerts);
    const summary_words_t *words = summary_words (lang);
    summary_table_t *table = s_table_new (5);
    s_table_header (table, 0, words->severity, false);
    s_table_header (table, 1, words->rule, false);
    s_table_header (table, 2, words->region, false);
    s_table_header (table, 3, words->condition, false);
    s_table_header (table, 4, words->since, false);
    for (size_t index = 0; index < alert_count; index++) {
        const rules_notice_t *alert = &alerts[index];
        assert (alert->rule >= 0 &&
                alert->rule < catalogue_rule_count (catalogue));
        size_t line = s_table_row (table);
        s_table_set (table, line, 0, s_severity_name (alert->severity, lang));
        s_table_set (table, line, 1,
                     catalogue_rule (catalogue, alert->rule)->id);
        s_table_set (table, line, 2,
                     catalogue_region_name (catalogue, alert->region, lang));
        char *condition = s_alert_condition (catalogue, alert, lang);
        s_table_set (table, line, 3, condition);
        free (condition);
        char since[48];
        s_table_set (table, line, 4,
                     s_time_text (alert->since, false, since, sizeof (since)));
    }
    return table;
}

//  ---------------------------------------------------------------------
//  JSON

//  A number in a figure's unit: an integer when it is whole, else a real
//  rounded to decimals (< 0: at most 3).
static json_t *
s_json_number (double value, int decimals)
{
    double rounded = decimal_round (value, decimals < 0 ? 3 : decimals);
    if (decimals <= 0 && rounded == (double)(long long)rounded)
        return json_integer ((json_int_t)rounded);
    return json_real (rounded);
}

static json_t *
s_json_row (const catalogue_t *catalogue, const store_t *store, int region,
            int figure, int period, const char *lang)
{
    figure_row_t row;
    figures_row (catalogue, store, region, figure, period, &row);
    char period_text[PERIOD_TEXT_SIZE];
    int decimals = s_figure_decimals (catalogue, figure);

    json_t *object = json_object ();
    json_object_set_new (
        object, "region",
        json_string (catalogue_region (catalogue, region)->id));
    json_object_set_new (
        object, "region_name",
        json_string (catalogue_region_name (catalogue, region, lang)));
    json_object_set_new (object, "name",
                         json_string (catalogue_figure_id (catalogue, figure)));
    json_object_set_new (
        object, "label",
        json_string (catalogue_figure_name (catalogue, figure, lang)));
    json_object_set_new (object, "unit",
                         json_string (s_figure_unit (catalogue, figure)));
    json_object_set_new (object, "period",
                         json_string (period_format (period, period_text)));
    json_object_set_new (object, "value",
                         row.present ? s_json_number (row.value, decimals)
                                     : json_null ());
    if (row.has_target) {
        //  No completion without a value, or against a zero target
        bool computed = row.present && row.target > 0;
        json_object_set_new (object, "target",
                             s_json_number (row.target, decimals));
        json_object_set_new (
            object, "completion_pct",
            computed ? json_real (decimal_round (row.completion_pct, 1))
                     : json_null ());
        json_object_set_new (object, "pace_pct",
                             computed
                                 ? json_real (decimal_round (row.pace_pct, 1))
                                 : json_null ());
    }
    if (row.has_limit)
        json_object_set_new (object, "limit", json_real (row.limit));
    size_t carried_count;
    figures_carried_t *carried = figures_carried (
        catalogue, store, region, figure, period, &carried_count);
    if (carried_count)
        json_object_set_new (
            object, "carried",
            summary_carried_json (catalogue, carried, carried_count, lang));
    free (carried);
    return object;
}

//  The active alerts as the alert stream writes them (docs/protocol.md),
//  without the stream's state and repeat.
static json_t *
s_json_alerts (const catalogue_t *catalogue, const rules_notice_t *alerts,
               size_t alert_count)
{
    json_t *array = json_array ();
    for (size_t index = 0; index < alert_count; index++) {
        const rules_notice_t *alert = &alerts[index];
        char period_text[PERIOD_TEXT_SIZE], since[48];
        json_t *object = json_object ();
        json_object_set_new (
            object, "rule",
            json_string (catalogue_rule (catalogue, alert->rule)->id));
        json_object_set_new (
            object, "region",
            json_string (catalogue_region (catalogue, alert->region)->id));
        json_object_set_new (
            object, "severity",
            json_string (catalogue_severity_name (alert->severity)));
        json_object_set_new (object, "value",
                             json_real (decimal_round (alert->value, 3)));
        json_object_set_new (object, "threshold",
                             json_real (decimal_round (alert->threshold, 3)));
        json_object_set_new (
            object, "period",
            json_string (period_format (alert->period, period_text)));
        json_object_set_new (object, "since",
                             json_string (s_time_text (alert->since, true,
                                                       since, sizeof (since))));
        json_object_set_new (object, "key", json_string (alert->key));
        json_array_append_new (array, object);
    }
    return array;
}

json_t *
summary_json (const catalogue_t *catalogue, const store_t *store, int region,
              int period, const char *lang, const rules_notice_t *alerts,
              size_t alert_count)
{
    assert (catalogue);
    assert (store);
    assert (region >= 0 && region < catalogue_region_count (catalogue));
    assert (period >= 0);
    assert (alerts || alert_count == 0);
    if (!lang)
        lang = "en";

    const region_t *info = catalogue_region (catalogue, region);
    char period_text[PERIOD_TEXT_SIZE];
    json_t *root = json_object ();
    json_object_set_new (root, "region", json_string (info->id));
    json_object_set_new (
        root, "region_name",
        json_string (catalogue_region_name (catalogue, region, lang)));
    json_object_set_new (root, "period",
                         json_string (period_format (period, period_text)));
    char *title = summary_title (catalogue, region, period, lang);
    json_object_set_new (root, "title", json_string (title));
    free (title);

    int reported, expected;
    store_coverage (store, region, period, &reported, &expected);
    int *missing = calloc (catalogue_region_count (catalogue), sizeof (int));
    assert (missing);
    int missing_count = s_missing (catalogue, store, region, period, missing);
    json_t *missing_ids = json_array ();
    for (int index = 0; index < missing_count; index++)
        json_array_append_new (
            missing_ids,
            json_string (catalogue_region (catalogue, missing[index])->id));
    free (missing);
    json_t *coverage = json_object ();
    json_object_set_new (coverage, "reported", json_integer (reported));
    json_object_set_new (coverage, "expected", json_integer (expected));
    json_object_set_new (coverage, "missing", missing_ids);

    s_timeliness_t timeliness;
    s_timeliness (catalogue, store, region, period, &timeliness);
    char day_text[PERIOD_DAY_TEXT_SIZE];
    json_t *late = json_array ();
    for (int index = 0; index < timeliness.late_count; index++) {
        json_t *entry = json_object ();
        json_object_set_new (
            entry, "region",
            json_string (
                catalogue_region (catalogue, timeliness.late[index])->id));
        json_object_set_new (entry, "reported",
                             json_string (period_day_format (
                                 timeliness.late_days[index], day_text)));
        json_array_append_new (late, entry);
    }
    json_t *incomplete = json_array ();
    for (int index = 0; index < timeliness.incomplete_count; index++)
        json_array_append_new (
            incomplete,
            json_string (
                catalogue_region (catalogue, timeliness.incomplete[index])
                    ->id));
    json_object_set_new (coverage, "on_time",
                         json_integer (timeliness.on_time));
    size_t carried_count;
    figures_carried_t *carried =
        figures_carried (catalogue, store, region, -1, period, &carried_count);
    json_object_set_new (
        coverage, "carried",
        summary_carried_json (catalogue, carried, carried_count, lang));
    free (carried);
    json_object_set_new (coverage, "late", late);
    json_object_set_new (coverage, "incomplete", incomplete);
    json_object_set_new (coverage, "deadline",
                         json_string (period_day_format (
                             store_deadline (store, period), day_text)));
    s_timeliness_free (&timeliness);
    json_object_set_new (root, "coverage", coverage);

    //  The region itself, then each direct child
    json_t *rows = json_array ();
    for (int index = -1; index < info->child_count; index++) {
        int which = index < 0 ? region : info->children[index];
        for (int figure = 0; figure < catalogue_figure_count (catalogue);
             figure++)
            json_array_append_new (rows, s_json_row (catalogue, store, which,
                                                     figure, period, lang));
    }
    json_object_set_new (root, "rows", rows);
    json_object_set_new (root, "alerts",
                         s_json_alerts (catalogue, alerts, alert_count));
    return root;
}

//  ---------------------------------------------------------------------
//  Text

static void
s_write_text (FILE *out, const catalogue_t *catalogue, const store_t *store,
              int region, int period, const char *lang,
              const rules_notice_t *alerts, size_t alert_count)
{
    const summary_words_t *words = summary_words (lang);
    char *text = summary_title (catalogue, region, period, lang);
    fprintf (out, "%s\n", text);
    free (text);
    text = summary_coverage (catalogue, store, region, period, lang);
    fprintf (out, "%s\n", text);
    free (text);
    text = summary_headline (catalogue, store, region, period, lang);
    if (text)
        fprintf (out, "\n%s\n", text);
    free (text);

    summary_table_t *table =
        summary_figures_table (catalogue, store, region, period, lang);
    fputc ('\n', out);
    s_table_print (table, out);
    summary_table_destroy (&table);

    bool silent;
    table =
        summary_regions_table (catalogue, store, region, period, lang, &silent);
    if (table) {
        fputc ('\n', out);
        s_table_print (table, out);
        summary_table_destroy (&table);
    }
    if (silent) {
        text = summary_footnote (period, lang);
        fprintf (out, "%s\n", text);
        free (text);
    }

    table = summary_alerts_table (catalogue, alerts, alert_count, lang);
    if (table) {
        fprintf (out, "\n%s%s\n", words->alerts,
                 summary_chinese (lang) ? "：" : ":");
        s_table_print (table, out);
        summary_table_destroy (&table);
    } else
        fprintf (out, "\n%s\n", words->no_alerts);
}

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

static void
s_write_md (FILE *out, const catalogue_t *catalogue, const store_t *store,
            int region, int period, const char *lang,
            const rules_notice_t *alerts, size_t alert_count)
{
    const summary_words_t *words = summary_words (lang);
    char *text = summary_title (catalogue, region, period, lang);
    fputs ("# ", out);
    s_md_escape (out, text);
    free (text);
    text = summary_coverage (catalogue, store, region, period, lang);
    fputs ("\n\n", out);
    s_md_escape (out, text);
    fputs ("\n", out);
    free (text);
    text = summary_headline (catalogue, store, region, period, lang);
    if (text) {
        fputs ("\n", out);
        s_md_escape (out, text);
        fputs ("\n", out);
    }
    free (text);

    fprintf (out, "\n## %s\n\n", words->figures);
    summary_table_t *table =
        summary_figures_table (catalogue, store, region, period, lang);
    s_md_table (out, table);
    summary_table_destroy (&table);

    bool silent;
    table =
        summary_regions_table (catalogue, store, region, period, lang, &silent);
    if (table) {
        fprintf (out, "\n## %s\n\n", words->regions);
        s_md_table (out, table);
        summary_table_destroy (&table);
    }
    if (silent) {
        text = summary_footnote (period, lang);
        fputs ("\n", out);
        s_md_escape (out, text);
        fputs ("\n", out);
        free (text);
    }

    fprintf (out, "\n## %s\n\n", words->alerts);
    table = summary_alerts_table (catalogue, alerts, alert_count, lang);
    if (table) {
        s_md_table (out, table);
        summary_table_destroy (&table);
    } else
        fprintf (out, "%s\n", words->no_alerts);
}

//  ---------------------------------------------------------------------
//  CSV (RFC 4180: CRLF line ends, a field quoted when it holds a comma, a
//  quote or a line break, quotes doubled)

static void
s_csv_field (FILE *out, const char *text, bool last)
{
    if (strpbrk (text, ",\"\r\n")) {
        fputc ('"', out);
        for (; *text; text++) {
            if (*text == '"')
                fputc ('"', out);
            fputc (*text, out);
        }
        fputc ('"', out);
    } else
        fputs (text, out);
    fputs (last ? "\r\n" : ",", out);
}

//  A number as the JSON writes it, without separators: decimals < 0 means
//  "as few as needed, at most 3". buffer holds 64 bytes.
static const char *
s_csv_number (double value, int decimals, char *buffer)
{
    return s_plain_number (value, decimals < 0 ? 3 : decimals, decimals < 0,
                           buffer, 64);
}

//  The carried column: "heihe.sunwu:2003-09" for each carried leaf and
//  month, separated by spaces; empty when nothing is carried. Caller frees.
static char *
s_csv_carried (const catalogue_t *catalogue, const store_t *store, int region,
               int figure, int period)
{
    size_t count;
    figures_carried_t *carried =
        figures_carried (catalogue, store, region, figure, period, &count);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    assert (out);
    for (size_t index = 0; index < count; index++) {
        char from[PERIOD_TEXT_SIZE];
        fprintf (out, "%s%s:%s", index ? " " : "",
                 catalogue_region (catalogue, carried[index].region)->id,
                 period_format (carried[index].from, from));
    }
    fclose (out);
    free (carried);
    return text;
}

static void
s_write_csv (FILE *out, const catalogue_t *catalogue, const store_t *store,
             int region, int period, const char *lang)
{
    fputs ("region,region_name,name,label,unit,period,value,target,"
           "completion_pct,pace_pct,limit,carried\r\n",
           out);
    const region_t *info = catalogue_region (catalogue, region);
    char period_text[PERIOD_TEXT_SIZE], number[64];
    period_format (period, period_text);
    for (int index = -1; index < info->child_count; index++) {
        int which = index < 0 ? region : info->children[index];
        for (int figure = 0; figure < catalogue_figure_count (catalogue);
             figure++) {
            figure_row_t row;
            figures_row (catalogue, store, which, figure, period, &row);
            int decimals = s_figure_decimals (catalogue, figure);
            bool computed = row.has_target && row.present && row.target > 0;
            s_csv_field (out, catalogue_region (catalogue, which)->id, false);
            s_csv_field (out, catalogue_region_name (catalogue, which, lang),
                         false);
            s_csv_field (out, catalogue_figure_id (catalogue, figure), false);
            s_csv_field (out, catalogue_figure_name (catalogue, figure, lang),
                         false);
            s_csv_field (out, s_figure_unit (catalogue, figure), false);
            s_csv_field (out, period_text, false);
            s_csv_field (
                out,
                row.present ? s_csv_number (row.value, decimals, number) : "",
                false);
            s_csv_field (out,
                         row.has_target
                             ? s_csv_number (row.target, decimals, number)
                             : "",
                         false);
            s_csv_field (out,
                         computed ? s_csv_number (row.completion_pct, 1, number)
                                  : "",
                         false);
            s_csv_field (out,
                         computed ? s_csv_number (row.pace_pct, 1, number) : "",
                         false);
            s_csv_field (
                out, row.has_limit ? s_csv_number (row.limit, -1, number) : "",
                false);
            char *carried =
                s_csv_carried (catalogue, store, which, figure, period);
            s_csv_field (out, carried, true);
            free (carried);
        }
    }
}

//  ---------------------------------------------------------------------

int
summary_write (FILE *out, const catalogue_t *catalogue, const store_t *store,
               int region, int period, const char *lang,
               summary_format_t format, const rules_notice_t *alerts,
               size_t alert_count)
{
    assert (out);
    assert (catalogue);
    assert (store);
    assert (region >= 0 && region < catalogue_region_count (catalogue));
    assert (period >= 0);
    assert (alerts || alert_count == 0);
    if (!lang)
        lang = "en";

    switch (format) {
    case SUMMARY_JSON: {
        json_t *document = summary_json (catalogue, store, region, period, lang,
                                         alerts, alert_count);
        //  Fifteen significant digits print 67.9 as 67.9, not as
        //  67.900000000000006 (jansson's default is seventeen)
        int rc = json_dumpf (document, out,
                             JSON_INDENT (2) | JSON_PRESERVE_ORDER |
                                 JSON_REAL_PRECISION (15));
        json_decref (document);
        if (rc != 0)
            return -1;
        fputc ('\n', out);
        break;
    }
    case SUMMARY_TEXT:
        s_write_text (out, catalogue, store, region, period, lang, alerts,
                      alert_count);
        break;
    case SUMMARY_MD:
        s_write_md (out, catalogue, store, region, period, lang, alerts,
                    alert_count);
        break;
    case SUMMARY_CSV:
        s_write_csv (out, catalogue, store, region, period, lang);
        break;
    case SUMMARY_HTML:
        summary_write_html (out, catalogue, store, region, period, lang, alerts,
                            alert_count);
        break;
    default:
        assert (false);
    }
    return ferror (out) ? -1 : 0;
}

char *
summary_render (const catalogue_t *catalogue, const store_t *store, int region,
                int period, const char *lang, summary_format_t format,
                const rules_notice_t *alerts, size_t alert_count)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    assert (out);
    int rc = summary_write (out, catalogue, store, region, period, lang, format,
                            alerts, alert_count);
    fclose (out);
    assert (rc == 0);
    return text;
}
