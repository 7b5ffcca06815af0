/*  summary_words.c — the words and numbers of the summary (see
    summary_words.h): one rounding rule (decimal.h), thousands separators,
    the words of each language, and display widths after Markus Kuhn's
    wcwidth. */
#include <assert.h>
#include <math.h> //  isfinite, a macro: no libm needed
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary_words.h"
#include "decimal.h"
#include "period.h"

#define DASH SUMMARY_DASH

static const char *s_month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

//  A fresh string from a format; out of memory aborts.
char *
summary_printf (const char *format, ...)
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
char *
summary_plain_number (double value, int places, bool trim, char *buffer,
                      size_t size)
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
    summary_plain_number (value, places, trim, digits, sizeof (digits));

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
    summary_plain_number (value, 1, false, digits, sizeof (digits));
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

//  A run of code points, first to last.
typedef struct {
    uint32_t first;
    uint32_t last;
} s_range_t;

//  Combining marks and other code points that take no column.
static const s_range_t s_zero_width[] = {
    {0x0300, 0x036F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}};

//  East Asian Wide and Fullwidth code points: two columns.
static const s_range_t s_double_width[] = {
    {0x1100, 0x115F},   {0x2E80, 0x303E},  {0x3041, 0x33FF}, {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},  {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
    {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},  {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD}};

//  True when point is in one of count ranges.
static bool
s_in_ranges (uint32_t point, const s_range_t *ranges, size_t count)
{
    for (size_t index = 0; index < count; index++)
        if (point >= ranges[index].first && point <= ranges[index].last)
            return true;
    return false;
}

//  Columns one code point takes on a terminal (after Markus Kuhn's wcwidth:
//  East Asian Wide and Fullwidth are 2, combining marks 0).
int
summary_code_point_width (uint32_t point)
{
    if (point < 0x20 || (point >= 0x7F && point < 0xA0))
        return 0;
    if (s_in_ranges (point, s_zero_width,
                     sizeof (s_zero_width) / sizeof (s_zero_width[0])))
        return 0;
    if (s_in_ranges (point, s_double_width,
                     sizeof (s_double_width) / sizeof (s_double_width[0])))
        return 2;
    return 1;
}

//  Decode the code point at text (not at its end): its size in bytes and
//  *point. A malformed byte is taken alone as U+FFFD.
size_t
summary_utf8_next (const char *text, uint32_t *point)
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
        text += summary_utf8_next (text, &point);
        width += summary_code_point_width (point);
    }
    return width;
}

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
const char *
summary_severity_name (rule_severity_t severity, const char *lang)
{
    if (summary_chinese (lang))
        return severity == SEVERITY_CRITICAL  ? "严重"
               : severity == SEVERITY_WARNING ? "警告"
                                              : "提示";
    return catalogue_severity_name (severity);
}

bool
summary_is_indicator (const catalogue_t *catalogue, int figure)
{
    return figure < catalogue_indicator_count (catalogue);
}

const char *
summary_figure_unit (const catalogue_t *catalogue, int figure)
{
    const char *unit = summary_is_indicator (catalogue, figure)
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
    const char *unit = summary_figure_unit (catalogue, figure);
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
int
summary_figure_decimals (const catalogue_t *catalogue, int figure)
{
    if (summary_is_indicator (catalogue, figure))
        return catalogue_indicator (catalogue, figure)->whole ? 0 : -1;
    return catalogue_measure (catalogue, figure)->decimals;
}

char *
summary_value_text (const catalogue_t *catalogue, int figure, double value,
                    char *buffer, size_t size)
{
    return summary_number (value, summary_figure_decimals (catalogue, figure),
                           buffer, size);
}

//  "2003年10月" or "2003-10"; returns buffer of at least 32 bytes.
char *
summary_period_words (int period, const char *lang, char *buffer)
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
summary_title (const wording_t *wording, int region, int period,
               const char *lang)
{
    const char *name = wording_region_name (wording, region, lang);
    if (summary_chinese (lang)) {
        if (period_month (period) == 1)
            return summary_printf ("%s " DASH " %d年1月", name,
                                   period_year (period));
        return summary_printf ("%s " DASH " %d年1" DASH "%d月累计", name,
                               period_year (period), period_month (period));
    }
    return summary_printf ("%s " DASH " year to date through %s %d", name,
                           s_month_names[period_month (period) - 1],
                           period_year (period));
}

//  "2003-11-10 00:00 UTC" (iso false) or "2003-11-10T00:00:00Z" for
//  seconds since the epoch, without the C library's time zone machinery.
char *
summary_time_text (int64_t seconds, bool iso, char *buffer, size_t size)
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
