/*  catalogue.c — a city's catalogue read from ZPL text (DESIGN §7,
    docs/configuration.md).

    The scanner (zpl.h) checks the lines and lays the entries out with
    their lines; the sections are read here in dependency order and the
    first problem found is returned as "file:line: reason".

    The scan lives as long as the catalogue: every id, name and unit the
    accessors return is borrowed from it. */

#include <czmq.h>

#include "catalogue.h"
#include "period.h"
#include "zpl.h"

#define S_DECIMALS_MAX 6     //  most decimals a measure may show
#define S_ON_TIME_DEFAULT 10 //  catalogue/on_time_days when not set
#define S_ON_TIME_MAX 366    //  most days a report may be late and on time
#define S_YEAR_MIN 1900      //  bounds of catalogue/year, as for periods
#define S_YEAR_MAX 2999
#define S_TARGET_DECIMALS 3         //  targets are kept in thousandths
#define S_RULE_SECONDS_MAX 31622400 //  most seconds of for/repeat: 366 days

typedef enum {
    S_CATALOGUE,
    S_ENDPOINTS,
    S_REGIONS,
    S_INDICATORS,
    S_MEASURES,
    S_TARGETS,
    S_LIMITS,
    S_SOURCES,
    S_NAMES,
    S_SUMMARY,
    S_SUBSCRIBERS,
    S_SECURITY,
    S_RULES,
    S_SECTION_COUNT
} s_section_t;

//  Every section of the file. This reader checks the file's sections and
//  reads the domain; endpoints, subscribers, security and the sources'
//  keys are the site's (common/site.c), names and summary the wording's
//  (reporter/wording.c), each read from the same file by its own reader.
static const char *s_section_names[S_SECTION_COUNT + 1] = {
    "catalogue",   "endpoints", "regions", "indicators", "measures",
    "targets",     "limits",    "sources", "names",      "summary",
    "subscribers", "security",  "rules",   NULL};

//  A value per region and figure, set by one section of the file: targets
//  (indicators only, in thousandths) and limits (every figure, in
//  millionths), each kept as s_parse_decimal gives it.
typedef struct {
    int columns;     //  figures a region has a cell for
    int64_t *values; //  [region * columns + figure]
    bool *set;       //  same layout: true where the file sets a value
} s_grid_t;

//  The lines of a measure's operand keys, for cycle messages.
typedef struct {
    int numerator_line;   //  line of numerator, or 0
    int denominator_line; //  line of denominator, or 0
    int sum_line;         //  line of sum, or 0
} s_operand_lines_t;

struct _catalogue_t {
    zpl_t *zpl;             //  the scanned text: owns every string we lend
    int year;               //  the year targets refer to
    int on_time_days;       //  days after a month ends that are on time
    int first_period;       //  first month updates may be for (catalogue/years)
    int last_period;        //  last such month
    int region_count;       //  regions, in file (pre-)order
    region_t *regions;      //  region_count entries
    int *region_children;   //  storage behind every region's children
    zhashx_t *region_index; //  region id -> index + 1
    int indicator_count;    //  indicators: figures 0 .. count - 1
    indicator_t *indicators; //  indicator_count entries
    int measure_count;       //  measures: the figures after indicators
    measure_t *measures;     //  measure_count entries, each owns its terms
    zhashx_t *figure_index;  //  indicator or measure id -> figure + 1
    s_grid_t targets;        //  annual targets, thousandths (jt_value_t)
    s_grid_t limits;         //  upper control lines, millionths
    int source_count;        //  sources, in file order
    source_t *sources;       //  source_count entries, each owns its regions
    zhashx_t *source_index;  //  source name -> index + 1
    int rule_count;          //  alert rules, in file order
    rule_t *rules;           //  rule_count entries, each owns its regions
    zhashx_t *rule_index;    //  rule id -> index + 1
};

//  State while reading one text; gone when catalogue_new returns.
typedef struct {
    catalogue_t *self;                //  the catalogue being built
    zpl_t *zpl;                       //  the scan, which keeps the error
    const zpl_node_t *nodes;          //  every entry, in pre-order
    int node_count;                   //  entries in nodes
    int sections[S_SECTION_COUNT];    //  node of each section, or -1
    s_operand_lines_t *operand_lines; //  per measure
} s_loader_t;

#define S_WHERE_SIZE (ZPL_LINE_MAX + 32) //  "section/id", for messages

//  yes or no, in this order: a choice of 0 is yes.
static const char *s_yes_no[] = {"yes", "no", NULL};

//  True when index is one of count entries: 0 .. count - 1.
static bool
s_in_range (int index, int count)
{
    return index >= 0 && index < count;
}

//  Name a block in messages: "indicators/employed_new".
static void
s_where (char *where, const char *section, const char *id)
{
    snprintf (where, S_WHERE_SIZE, "%s/%s", section, id);
}

//  Parse a whole number from min to max, digits only.
static bool
s_parse_int (const char *text, int min, int max, int *value)
{
    long result = 0;
    if (!*text)
        return false;
    for (const char *scan = text; *scan; scan++) {
        if (*scan < '0' || *scan > '9')
            return false;
        result = result * 10 + (*scan - '0');
        if (result > max)
            return false;
    }
    if (result < min)
        return false;
    *value = (int)result;
    return true;
}

typedef enum {
    S_NUMBER_OK,
    S_NUMBER_BAD,      //  not digits with an optional fraction
    S_NUMBER_NEGATIVE, //  a well-formed number below zero
    S_NUMBER_DECIMALS, //  more decimals than allowed
    S_NUMBER_LARGE     //  more than JT_VALUE_MAX_UNITS
} s_number_t;

//  Parse a decimal "123" or "123.45", with at most max_decimals decimals
//  (at most 6), into a count of 10^-max_decimals of a unit (with max 3,
//  "1.5" is 1500). Locale-free, unlike strtod.
static s_number_t
s_parse_decimal (const char *text, int max_decimals, int64_t *value)
{
    const char *scan = text;
    bool negative = *scan == '-';
    if (negative)
        scan++;
    const char *digits = scan;
    while (*scan >= '0' && *scan <= '9')
        scan++;
    size_t digit_count = (size_t)(scan - digits);
    const char *decimals = NULL;
    size_t decimal_count = 0;
    if (*scan == '.') {
        decimals = ++scan;
        while (*scan >= '0' && *scan <= '9')
            scan++;
        decimal_count = (size_t)(scan - decimals);
        if (decimal_count == 0)
            return S_NUMBER_BAD;
    }
    if (digit_count == 0 || *scan)
        return S_NUMBER_BAD;
    if (negative)
        return S_NUMBER_NEGATIVE;
    if (decimal_count > (size_t)max_decimals)
        return S_NUMBER_DECIMALS;
    while (digit_count > 1 && *digits == '0') {
        digits++;
        digit_count--;
    }
    if (digit_count > 13)
        return S_NUMBER_LARGE;
    int64_t whole = 0;
    for (size_t index = 0; index < digit_count; index++)
        whole = whole * 10 + (digits[index] - '0');
    if (whole > JT_VALUE_MAX_UNITS)
        return S_NUMBER_LARGE;
    int64_t scaled = whole;
    for (int index = 0; index < max_decimals; index++)
        scaled = scaled * 10 +
                 ((size_t)index < decimal_count ? decimals[index] - '0' : 0);
    *value = scaled;
    return S_NUMBER_OK;
}

//  A count of millionths (s_parse_decimal with 6 decimals) as a number.
static double
s_millionths (int64_t millionths)
{
    return (double)(millionths / 1000000) +
           (double)(millionths % 1000000) / 1e6;
}

//  A number of at least 0 with at most 6 decimals: a measure's scale, a
//  rule's threshold or drop_pct.
static s_number_t
s_parse_real (const char *text, double *value)
{
    int64_t millionths;
    s_number_t parsed = s_parse_decimal (text, 6, &millionths);
    if (parsed == S_NUMBER_OK)
        *value = s_millionths (millionths);
    return parsed;
}

//  A key that a block must have: found is its node, or -1 when the block
//  (entry) lacks it.
static int
s_require (s_loader_t *loader, const zpl_node_t *entry, int found,
           const char *key, const char *where)
{
    if (found >= 0)
        return 0;
    return zpl_fail (loader->zpl, entry->line, "missing %s in %s", key, where);
}

//  The value of the key at node as one of words (NULL-terminated): *choice
//  is its index. Anything else fails with "<key> must be a, b or c, not
//  '<value>'", and ", in <where>" when where is not NULL.
static int
s_read_word (s_loader_t *loader, int node, const char *const *words,
             const char *where, int *choice)
{
    const zpl_node_t *entry = &loader->nodes[node];
    int count = 0;
    while (words[count] && !streq (words[count], entry->value))
        count++;
    if (words[count]) {
        *choice = count;
        return 0;
    }
    char list[ZPL_LINE_MAX] = "";
    for (int index = 0; index < count; index++) {
        const char *before = index == 0           ? ""
                             : index == count - 1 ? " or "
                                                  : ", ";
        size_t used = strlen (list);
        snprintf (list + used, sizeof list - used, "%s%s", before,
                  words[index]);
    }
    return zpl_fail (loader->zpl, entry->line, "%s must be %s, not '%s'%s%s",
                     entry->name, list, entry->value, where ? ", in " : "",
                     where ? where : "");
}

//  Start reading the block at node of a section: name it in where
//  (S_WHERE_SIZE bytes) and check that it has no value and only the keys
//  allowed, each found [k] set to the node of keys [k] or -1.
static int
s_read_block (s_loader_t *loader, int node, const char *section,
              const char *const *keys, char *where, int *found)
{
    s_where (where, section, loader->nodes[node].name);
    return zpl_no_value (loader->zpl, node, section) ||
                   zpl_keys (loader->zpl, node, where, keys, found)
               ? -1
               : 0;
}

//  Resolve the space-separated ids in a key's value through index into a
//  fresh array that the caller owns. what names the kind of id in messages.
static int
s_read_list (s_loader_t *loader, int node, zhashx_t *index, const char *what,
             const char *where, int **list, int *count)
{
    const zpl_node_t *entry = &loader->nodes[node];
    int *result = zpl_alloc (strlen (entry->value) / 2 + 1, sizeof (int));
    int found = 0;
    char id[ZPL_LINE_MAX + 1];
    for (const char *scan = entry->value; (scan = zpl_word (scan, id));) {
        int position = zpl_lookup (index, id);
        if (position < 0) {
            free (result);
            return zpl_fail (loader->zpl, entry->line, "unknown %s '%s' in %s",
                             what, id, where);
        }
        result[found++] = position;
    }
    *list = result;
    *count = found;
    return 0;
}

//  catalogue/years at node (-1 when absent): "2003" or "2002-2003", a
//  range that holds the year; by default the year and the one before (a
//  restatement of last year arrives early in this one).
static int
s_read_years (s_loader_t *loader, int node)
{
    catalogue_t *self = loader->self;
    int first = self->year > S_YEAR_MIN ? self->year - 1 : S_YEAR_MIN;
    int last = self->year;
    if (node >= 0) {
        const zpl_node_t *years = &loader->nodes[node];
        char text[ZPL_LINE_MAX + 1];
        snprintf (text, sizeof text, "%s", years->value);
        char *dash = strchr (text, '-');
        if (dash)
            *dash = '\0';
        if (!s_parse_int (text, S_YEAR_MIN, S_YEAR_MAX, &first) ||
            !s_parse_int (dash ? dash + 1 : text, S_YEAR_MIN, S_YEAR_MAX,
                          &last))
            return zpl_fail (loader->zpl, years->line,
                             "years must be a year or a range such as "
                             "2002-2003, from %d to %d, not '%s'",
                             S_YEAR_MIN, S_YEAR_MAX, years->value);
        if (first > last)
            return zpl_fail (loader->zpl, years->line,
                             "years '%s' run backwards: write %d-%d",
                             years->value, last, first);
        if (self->year < first || self->year > last)
            return zpl_fail (
                loader->zpl, years->line,
                "years '%s' do not include the catalogue's year %d",
                years->value, self->year);
    }
    self->first_period = period_make (first, 1);
    self->last_period = period_make (last, 12);
    return 0;
}

static int
s_read_catalogue (s_loader_t *loader)
{
    catalogue_t *self = loader->self;
    int section = loader->sections[S_CATALOGUE];
    if (section < 0)
        return zpl_fail (loader->zpl, 0, "no catalogue section");
    //  title is the wording's (reporter/wording.c)
    static const char *keys[] = {"year", "on_time_days", "title", "years",
                                 NULL};
    int found[4];
    if (zpl_keys (loader->zpl, section, "catalogue", keys, found))
        return -1;
    if (s_require (loader, &loader->nodes[section], found[0], "year",
                   "catalogue"))
        return -1;
    const zpl_node_t *year = &loader->nodes[found[0]];
    if (!s_parse_int (year->value, S_YEAR_MIN, S_YEAR_MAX, &self->year))
        return zpl_fail (loader->zpl, year->line,
                         "year must be a whole number from %d to %d, not '%s'",
                         S_YEAR_MIN, S_YEAR_MAX, year->value);
    if (found[1] >= 0) {
        const zpl_node_t *days = &loader->nodes[found[1]];
        if (!s_parse_int (days->value, 0, S_ON_TIME_MAX, &self->on_time_days))
            return zpl_fail (loader->zpl, days->line,
                             "on_time_days must be a whole number from 0 to "
                             "%d, not '%s'",
                             S_ON_TIME_MAX, days->value);
    }
    return s_read_years (loader, found[3]);
}

//  Regions are every node under the section, in pre-order; a region's
//  parent is the last region seen one level up.
static int
s_read_regions (s_loader_t *loader)
{
    catalogue_t *self = loader->self;
    int section = loader->sections[S_REGIONS];
    if (section < 0)
        return zpl_fail (loader->zpl, 0, "no regions section");
    if (loader->nodes[section].child < 0)
        return zpl_fail (loader->zpl, loader->nodes[section].line,
                         "regions section is empty");
    int first = section + 1;
    int last = first;
    while (last < loader->node_count && loader->nodes[last].depth > 0)
        last++;
    int count = last - first;
    self->regions = zpl_alloc ((size_t)count, sizeof (region_t));
    self->region_children = zpl_alloc ((size_t)count, sizeof (int));
    int *latest = zpl_alloc ((size_t)count, sizeof (int)); //  per depth
    for (int node = first; node < last; node++) {
        const zpl_node_t *entry = &loader->nodes[node];
        int index = node - first;
        int depth = entry->depth - 1;
        region_t *region = &self->regions[index];
        if (depth == 0 && index > 0) {
            free (latest);
            return zpl_fail (loader->zpl, entry->line,
                             "second root region '%s': regions must have "
                             "exactly one root",
                             entry->name);
        }
        if (zpl_block_id (loader->zpl, node, "region", self->region_index,
                          index)) {
            free (latest);
            return -1;
        }
        region->id = entry->name;
        region->name = *entry->value ? entry->value : entry->name;
        region->depth = depth;
        region->parent = depth > 0 ? latest[depth - 1] : -1;
        if (region->parent >= 0)
            self->regions[region->parent].child_count++;
        latest[depth] = index;
        self->region_count++;
    }
    //  Lay the children out one parent after another, in file order
    int offset = 0;
    for (int index = 0; index < count; index++) {
        latest[index] = offset; //  now: next free slot of each parent
        self->regions[index].children = self->region_children + offset;
        offset += self->regions[index].child_count;
    }
    for (int index = 1; index < count; index++)
        self->region_children[latest[self->regions[index].parent]++] = index;
    free (latest);
    return 0;
}

//  min, max: a number of at least 0 with at most 3 decimals, in the
//  indicator's unit, kept in thousandths.
static int
s_read_bound (s_loader_t *loader, int node, const char *where,
              jt_value_t *value)
{
    const zpl_node_t *entry = &loader->nodes[node];
    s_number_t parsed =
        s_parse_decimal (entry->value, S_TARGET_DECIMALS, value);
    if (parsed == S_NUMBER_LARGE)
        return zpl_fail (loader->zpl, entry->line,
                         "%s '%s' is too large, in %s", entry->name,
                         entry->value, where);
    if (parsed != S_NUMBER_OK)
        return zpl_fail (loader->zpl, entry->line,
                         "%s must be a number of at least 0 with at most %d "
                         "decimals, not '%s', in %s",
                         entry->name, S_TARGET_DECIMALS, entry->value, where);
    return 0;
}

//  An indicator's data quality keys (core/quality.h): min and max, the
//  plausible bounds; max_change, a percent above 0 with at most 3
//  decimals; strict, yes or no. Each found_ is a node or -1.
static int
s_read_quality (s_loader_t *loader, const char *where, int found_min,
                int found_max, int found_change, int found_strict,
                indicator_t *indicator)
{
    if (found_min >= 0) {
        indicator->has_min = true;
        if (s_read_bound (loader, found_min, where, &indicator->min))
            return -1;
    }
    if (found_max >= 0) {
        indicator->has_max = true;
        if (s_read_bound (loader, found_max, where, &indicator->max))
            return -1;
    }
    if (indicator->has_min && indicator->has_max &&
        indicator->min > indicator->max)
        return zpl_fail (loader->zpl, loader->nodes[found_max].line,
                         "max '%s' is below min '%s', in %s",
                         loader->nodes[found_max].value,
                         loader->nodes[found_min].value, where);
    if (found_change >= 0) {
        const zpl_node_t *change = &loader->nodes[found_change];
        if (s_parse_decimal (change->value, S_TARGET_DECIMALS,
                             &indicator->max_change) != S_NUMBER_OK ||
            indicator->max_change == 0)
            return zpl_fail (loader->zpl, change->line,
                             "max_change must be a percent above 0 with at "
                             "most %d decimals, not '%s', in %s",
                             S_TARGET_DECIMALS, change->value, where);
    }
    if (found_strict >= 0) {
        int choice;
        if (s_read_word (loader, found_strict, s_yes_no, where, &choice))
            return -1;
        indicator->strict = choice == 0;
        if (indicator->strict && !indicator->has_min && !indicator->has_max &&
            !indicator->max_change)
            return zpl_fail (loader->zpl, loader->nodes[found_strict].line,
                             "strict = yes without min, max or max_change, in "
                             "%s",
                             where);
    }
    return 0;
}

static int
s_read_indicators (s_loader_t *loader)
{
    catalogue_t *self = loader->self;
    int section = loader->sections[S_INDICATORS];
    if (section < 0)
        return zpl_fail (loader->zpl, 0, "no indicators section");
    int count = zpl_child_count (loader->zpl, section);
    if (count == 0)
        return zpl_fail (loader->zpl, loader->nodes[section].line,
                         "indicators section is empty");
    self->indicators = zpl_alloc ((size_t)count, sizeof (indicator_t));
    //  phrase is the wording's (reporter/wording.c)
    static const char *keys[] = {"name",   "unit", "time", "whole",
                                 "phrase", "min",  "max",  "max_change",
                                 "strict", NULL};
    enum {
        NAME,
        UNIT,
        TIME,
        WHOLE,
        PHRASE,
        MIN,
        MAX,
        MAX_CHANGE,
        STRICT,
        KEY_COUNT
    };
    for (int node = loader->nodes[section].child; node >= 0;
         node = loader->nodes[node].next) {
        const zpl_node_t *entry = &loader->nodes[node];
        int index = self->indicator_count;
        indicator_t *indicator = &self->indicators[index];
        if (zpl_block_id (loader->zpl, node, "indicator", self->figure_index,
                          index))
            return -1;
        self->indicator_count++;
        char where[S_WHERE_SIZE];
        int found[KEY_COUNT];
        if (s_read_block (loader, node, "indicators", keys, where, found))
            return -1;
        indicator->id = entry->name;
        indicator->name = found[NAME] >= 0 && *loader->nodes[found[NAME]].value
                              ? loader->nodes[found[NAME]].value
                              : entry->name;
        indicator->unit =
            found[UNIT] >= 0 ? loader->nodes[found[UNIT]].value : "";
        //  In the order of time_kind_t
        static const char *times[] = {"flow", "stock", "cumulative", NULL};
        int time, whole = 0;
        if (s_require (loader, entry, found[TIME], "time", where) ||
            s_read_word (loader, found[TIME], times, NULL, &time) ||
            (found[WHOLE] >= 0 &&
             s_read_word (loader, found[WHOLE], s_yes_no, NULL, &whole)))
            return -1;
        indicator->time = (time_kind_t)time;
        indicator->whole = whole == 0;
        if (s_read_quality (loader, where, found[MIN], found[MAX],
                            found[MAX_CHANGE], found[STRICT], indicator))
            return -1;
    }
    return 0;
}

//  Read one measure's keys; its operands may be measures defined later,
//  since every measure id is interned before this is called.
static int
s_read_measure (s_loader_t *loader, int node, measure_t *measure,
                s_operand_lines_t *lines)
{
    catalogue_t *self = loader->self;
    //  phrase is the wording's (reporter/wording.c)
    static const char *keys[] = {"name",        "unit",   "numerator",
                                 "denominator", "sum",    "scale",
                                 "decimals",    "phrase", NULL};
    enum {
        NAME,
        UNIT,
        NUMERATOR,
        DENOMINATOR,
        SUM,
        SCALE,
        DECIMALS,
        PHRASE,
        KEY_COUNT
    };
    const zpl_node_t *entry = &loader->nodes[node];
    char where[S_WHERE_SIZE];
    int found[KEY_COUNT];
    if (s_read_block (loader, node, "measures", keys, where, found))
        return -1;
    measure->name = found[NAME] >= 0 && *loader->nodes[found[NAME]].value
                        ? loader->nodes[found[NAME]].value
                        : entry->name;
    //  NULL until resolved: a sum takes the unit of its first term
    measure->unit = found[UNIT] >= 0 ? loader->nodes[found[UNIT]].value : NULL;
    bool ratio = found[NUMERATOR] >= 0 || found[DENOMINATOR] >= 0;
    bool sum = found[SUM] >= 0;
    if (ratio && sum)
        return zpl_fail (loader->zpl, entry->line,
                         "measure '%s' has both sum and numerator/denominator",
                         entry->name);
    if (!ratio && !sum)
        return zpl_fail (loader->zpl, entry->line,
                         "measure '%s' needs numerator and denominator, or sum",
                         entry->name);
    if (ratio && found[DENOMINATOR] < 0)
        return zpl_fail (loader->zpl, entry->line,
                         "measure '%s' has no denominator", entry->name);
    if (ratio && found[NUMERATOR] < 0)
        return zpl_fail (loader->zpl, entry->line,
                         "measure '%s' has no numerator", entry->name);
    measure->scale = 1;
    if (ratio) {
        measure->kind = MEASURE_RATIO;
        const zpl_node_t *numerator = &loader->nodes[found[NUMERATOR]];
        const zpl_node_t *denominator = &loader->nodes[found[DENOMINATOR]];
        measure->numerator = zpl_lookup (self->figure_index, numerator->value);
        if (measure->numerator < 0)
            return zpl_fail (loader->zpl, numerator->line,
                             "unknown operand '%s' in %s", numerator->value,
                             where);
        measure->denominator =
            zpl_lookup (self->figure_index, denominator->value);
        if (measure->denominator < 0)
            return zpl_fail (loader->zpl, denominator->line,
                             "unknown operand '%s' in %s", denominator->value,
                             where);
        lines->numerator_line = numerator->line;
        lines->denominator_line = denominator->line;
        if (found[SCALE] >= 0) {
            const zpl_node_t *scale = &loader->nodes[found[SCALE]];
            if (s_parse_real (scale->value, &measure->scale) != S_NUMBER_OK ||
                measure->scale == 0)
                return zpl_fail (loader->zpl, scale->line,
                                 "scale must be a positive number, not '%s'",
                                 scale->value);
        }
    } else {
        measure->kind = MEASURE_SUM;
        measure->numerator = -1;
        measure->denominator = -1;
        int *terms;
        if (s_read_list (loader, found[SUM], self->figure_index, "operand",
                         where, &terms, &measure->term_count))
            return -1;
        measure->terms = terms;
        lines->sum_line = loader->nodes[found[SUM]].line;
        if (measure->term_count == 0)
            return zpl_fail (loader->zpl, lines->sum_line, "empty sum in %s",
                             where);
        if (found[SCALE] >= 0)
            return zpl_fail (loader->zpl, loader->nodes[found[SCALE]].line,
                             "scale applies only to a ratio, in %s", where);
    }
    measure->decimals = 1;
    if (found[DECIMALS] >= 0) {
        const zpl_node_t *decimals = &loader->nodes[found[DECIMALS]];
        if (!s_parse_int (decimals->value, 0, S_DECIMALS_MAX,
                          &measure->decimals))
            return zpl_fail (loader->zpl, decimals->line,
                             "decimals must be a whole number from 0 to %d, "
                             "not '%s'",
                             S_DECIMALS_MAX, decimals->value);
    }
    return 0;
}

//  Depth-first walk from measure; state is 0 unseen, 1 on the path, 2 done.
//  path holds the measures on the current path, depth of them.
static int
s_visit_measure (s_loader_t *loader, int measure, int *state, int *path,
                 int depth)
{
    catalogue_t *self = loader->self;
    const measure_t *this = &self->measures[measure];
    state[measure] = 1;
    path[depth] = measure;
    int operand_count = this->kind == MEASURE_RATIO ? 2 : this->term_count;
    for (int operand = 0; operand < operand_count; operand++) {
        int figure, line;
        if (this->kind == MEASURE_RATIO) {
            figure = operand == 0 ? this->numerator : this->denominator;
            line = operand == 0
                       ? loader->operand_lines[measure].numerator_line
                       : loader->operand_lines[measure].denominator_line;
        } else {
            figure = this->terms[operand];
            line = loader->operand_lines[measure].sum_line;
        }
        if (figure < self->indicator_count)
            continue;
        int next = figure - self->indicator_count;
        if (state[next] == 1) {
            int start = depth;
            while (path[start] != next)
                start--;
            char *text = zsys_sprintf ("'%s'", self->measures[next].id);
            for (int step = start + 1; step <= depth + 1; step++) {
                int hop = step <= depth ? path[step] : next;
                char *longer =
                    zsys_sprintf ("%s -> '%s'", text, self->measures[hop].id);
                free (text);
                text = longer;
                if (!text)
                    abort ();
            }
            zpl_fail (loader->zpl, line, "measure cycle: %s", text);
            free (text);
            return -1;
        }
        if (state[next] == 0 &&
            s_visit_measure (loader, next, state, path, depth + 1))
            return -1;
    }
    state[measure] = 2;
    return 0;
}

//  Unit of a figure; a measure without one takes its first term's, or ""
//  for a ratio. Terminates because the measures have no cycle.
static const char *
s_resolve_unit (catalogue_t *self, int figure)
{
    if (figure < self->indicator_count)
        return self->indicators[figure].unit;
    measure_t *measure = &self->measures[figure - self->indicator_count];
    if (!measure->unit)
        measure->unit = measure->kind == MEASURE_SUM
                            ? s_resolve_unit (self, measure->terms[0])
                            : "";
    return measure->unit;
}

static int
s_read_measures (s_loader_t *loader)
{
    catalogue_t *self = loader->self;
    int section = loader->sections[S_MEASURES];
    if (section < 0)
        return 0;
    int count = zpl_child_count (loader->zpl, section);
    self->measures = zpl_alloc ((size_t)count, sizeof (measure_t));
    loader->operand_lines =
        zpl_alloc ((size_t)count, sizeof (s_operand_lines_t));
    //  Intern every id first: an operand may be defined further down
    for (int node = loader->nodes[section].child; node >= 0;
         node = loader->nodes[node].next) {
        const zpl_node_t *entry = &loader->nodes[node];
        int figure = self->indicator_count + self->measure_count;
        if (!jt_id_valid (entry->name))
            return zpl_fail (loader->zpl, entry->line, "bad measure id '%s'",
                             entry->name);
        int existing = zpl_lookup (self->figure_index, entry->name);
        if (existing >= 0 && existing < self->indicator_count)
            return zpl_fail (loader->zpl, entry->line,
                             "measure id '%s' is already an indicator",
                             entry->name);
        if (existing >= 0)
            return zpl_fail (loader->zpl, entry->line,
                             "duplicate measure id '%s'", entry->name);
        zhashx_insert (self->figure_index, entry->name,
                       (void *)(intptr_t)(figure + 1));
        self->measures[self->measure_count].id = entry->name;
        self->measure_count++;
    }
    int index = 0;
    for (int node = loader->nodes[section].child; node >= 0;
         node = loader->nodes[node].next, index++)
        if (s_read_measure (loader, node, &self->measures[index],
                            &loader->operand_lines[index]))
            return -1;
    int *state = zpl_alloc ((size_t)count, sizeof (int));
    int *path = zpl_alloc ((size_t)count, sizeof (int));
    int rc = 0;
    for (index = 0; index < count && rc == 0; index++)
        if (state[index] == 0)
            rc = s_visit_measure (loader, index, state, path, 0);
    free (state);
    free (path);
    if (rc)
        return -1;
    for (index = 0; index < count; index++)
        s_resolve_unit (self, self->indicator_count + index);
    return 0;
}

//  Why a target is not a number: each problem has its own words.
static int
s_target_problem (s_loader_t *loader, const zpl_node_t *entry,
                  s_number_t problem)
{
    if (problem == S_NUMBER_DECIMALS)
        return zpl_fail (loader->zpl, entry->line,
                         "target '%s' has more than %d decimals", entry->value,
                         S_TARGET_DECIMALS);
    if (problem == S_NUMBER_LARGE)
        return zpl_fail (loader->zpl, entry->line, "target '%s' is too large",
                         entry->value);
    return zpl_fail (loader->zpl, entry->line,
                     "target must be a number, not '%s'", entry->value);
}

//  Why a limit is not a number: one message says what a limit may be.
static int
s_limit_problem (s_loader_t *loader, const zpl_node_t *entry,
                 s_number_t problem)
{
    (void)problem;
    return zpl_fail (loader->zpl, entry->line,
                     "limit must be a number with at most 6 decimals, not '%s'",
                     entry->value);
}

typedef int (s_problem_fn) (s_loader_t *loader, const zpl_node_t *entry,
                            s_number_t problem);

//  How one grid section is read (the targets, the limits).
typedef struct {
    int section;           //  S_TARGETS or S_LIMITS
    const char *name;      //  "targets": the section, in messages
    const char *value;     //  "target": what a key sets, in messages
    const char *figure;    //  "indicator": what a key names, in messages
    int decimals;          //  most decimals a value has
    s_problem_fn *problem; //  fails for a value that is not a number
} s_grid_kind_t;

static const s_grid_kind_t s_targets = {.section = S_TARGETS,
                                        .name = "targets",
                                        .value = "target",
                                        .figure = "indicator",
                                        .decimals = S_TARGET_DECIMALS,
                                        .problem = s_target_problem};
static const s_grid_kind_t s_limits = {.section = S_LIMITS,
                                       .name = "limits",
                                       .value = "limit",
                                       .figure = "figure",
                                       .decimals = 6,
                                       .problem = s_limit_problem};

//  A grid section: region -> figure = value (>= 0), where a figure is one
//  of the first columns figures (the indicators, for targets).
static int
s_read_grid (s_loader_t *loader, const s_grid_kind_t *kind, int columns,
             s_grid_t *grid)
{
    catalogue_t *self = loader->self;
    int section = loader->sections[kind->section];
    if (section < 0)
        return 0;
    size_t cells = (size_t)self->region_count * columns;
    grid->columns = columns;
    grid->values = zpl_alloc (cells, sizeof (int64_t));
    grid->set = zpl_alloc (cells, sizeof (bool));
    for (int node = loader->nodes[section].child; node >= 0;
         node = loader->nodes[node].next) {
        const zpl_node_t *block = &loader->nodes[node];
        int region = zpl_lookup (self->region_index, block->name);
        if (region < 0)
            return zpl_fail (loader->zpl, block->line,
                             "unknown region '%s' in %s", block->name,
                             kind->name);
        if (zpl_no_value (loader->zpl, node, kind->name))
            return -1;
        char where[S_WHERE_SIZE];
        s_where (where, kind->name, block->name);
        for (int child = block->child; child >= 0;
             child = loader->nodes[child].next) {
            const zpl_node_t *entry = &loader->nodes[child];
            int figure = zpl_lookup (self->figure_index, entry->name);
            if (figure < 0)
                return zpl_fail (loader->zpl, entry->line,
                                 "unknown %s '%s' in %s", kind->figure,
                                 entry->name, where);
            if (figure >= columns)
                return zpl_fail (loader->zpl, entry->line,
                                 "'%s' is a measure: %s are set on "
                                 "indicators, in %s",
                                 entry->name, kind->name, where);
            if (zpl_no_children (loader->zpl, child, where))
                return -1;
            int64_t value;
            s_number_t parsed =
                s_parse_decimal (entry->value, kind->decimals, &value);
            if (parsed == S_NUMBER_NEGATIVE)
                return zpl_fail (loader->zpl, entry->line,
                                 "negative %s '%s' for '%s' in %s", kind->value,
                                 entry->value, entry->name, where);
            if (parsed != S_NUMBER_OK)
                return kind->problem (loader, entry, parsed);
            size_t cell = (size_t)region * columns + figure;
            if (grid->set[cell])
                return zpl_fail (loader->zpl, entry->line,
                                 "duplicate %s for '%s' in %s", kind->value,
                                 entry->name, where);
            grid->set[cell] = true;
            grid->values[cell] = value;
        }
    }
    return 0;
}

//  The value a grid holds for region and figure, or NULL when none is set.
static const int64_t *
s_grid_value (const catalogue_t *self, const s_grid_t *grid, int region,
              int figure)
{
    if (!grid->values || !s_in_range (region, self->region_count) ||
        !s_in_range (figure, grid->columns))
        return NULL;
    size_t cell = (size_t)region * grid->columns + figure;
    return grid->set[cell] ? &grid->values[cell] : NULL;
}

static int
s_read_sources (s_loader_t *loader)
{
    catalogue_t *self = loader->self;
    int section = loader->sections[S_SOURCES];
    if (section < 0)
        return 0;
    int count = zpl_child_count (loader->zpl, section);
    self->sources = zpl_alloc ((size_t)count, sizeof (source_t));
    //  A source's public_key is the site's (common/site.c)
    static const char *keys[] = {"regions", "public_key", NULL};
    for (int node = loader->nodes[section].child; node >= 0;
         node = loader->nodes[node].next) {
        const zpl_node_t *entry = &loader->nodes[node];
        source_t *source = &self->sources[self->source_count];
        if (zpl_block_id (loader->zpl, node, "source", self->source_index,
                          self->source_count))
            return -1;
        self->source_count++;
        source->id = entry->name;
        char where[S_WHERE_SIZE];
        int found[2];
        if (s_read_block (loader, node, "sources", keys, where, found) ||
            s_require (loader, entry, found[0], "regions", where))
            return -1;
        int *regions;
        if (s_read_list (loader, found[0], self->region_index, "region", where,
                         &regions, &source->region_count))
            return -1;
        source->regions = regions;
        if (source->region_count == 0)
            return zpl_fail (loader->zpl, loader->nodes[found[0]].line,
                             "empty regions in %s", where);
    }
    return 0;
}

//  The words of the enums, in their order.
static const char *s_rule_kind_names[] = {
    "threshold", "silence", "restatement", "consistency", "outlier", NULL};
static const char *s_severity_names[] = {"info", "warning", "critical", NULL};
static const char *s_relation_names[] = {"equal", "at_most", NULL};

//  The figure of a threshold rule: an indicator or measure id, or
//  "<indicator>.completion" / "<indicator>.pace" for an indicator that has
//  a target at some region. An exact figure id wins over the suffix.
static int
s_read_rule_figure (s_loader_t *loader, const zpl_node_t *entry,
                    const char *where, rule_t *rule)
{
    catalogue_t *self = loader->self;
    rule->target = RULE_TARGET_VALUE;
    rule->figure = zpl_lookup (self->figure_index, entry->value);
    if (rule->figure >= 0)
        return 0;
    static const char *suffixes[] = {".completion", ".pace"};
    static const rule_target_t targets[] = {RULE_TARGET_COMPLETION,
                                            RULE_TARGET_PACE};
    size_t length = strlen (entry->value);
    for (int index = 0; index < 2; index++) {
        size_t suffix = strlen (suffixes[index]);
        if (length <= suffix ||
            !streq (entry->value + length - suffix, suffixes[index]))
            continue;
        char id[ZPL_LINE_MAX + 1];
        memcpy (id, entry->value, length - suffix);
        id[length - suffix] = '\0';
        int figure = zpl_lookup (self->figure_index, id);
        if (figure < 0 || figure >= self->indicator_count)
            return zpl_fail (loader->zpl, entry->line,
                             "unknown indicator '%s' in %s", id, where);
        bool has_target = false;
        for (int region = 0; region < self->region_count && !has_target;
             region++)
            has_target = catalogue_target (self, region, figure, NULL);
        if (!has_target)
            return zpl_fail (loader->zpl, entry->line,
                             "'%s' has no target, so no %s, in %s", id,
                             suffixes[index] + 1, where);
        rule->figure = figure;
        rule->target = targets[index];
        return 0;
    }
    return zpl_fail (loader->zpl, entry->line, "unknown figure '%s' in %s",
                     entry->value, where);
}

//  A rule's regions: ids, and "id.*" for each direct child of id, in the
//  order written; a region named twice is kept once.
static int
s_read_rule_regions (s_loader_t *loader, const zpl_node_t *entry,
                     const char *where, rule_t *rule)
{
    catalogue_t *self = loader->self;
    int *regions = zpl_alloc ((size_t)self->region_count, sizeof (int));
    bool *seen = zpl_alloc ((size_t)self->region_count, sizeof (bool));
    int count = 0;
    int rc = 0;
    char id[ZPL_LINE_MAX + 1];
    for (const char *scan = entry->value; (scan = zpl_word (scan, id));) {
        size_t length = strlen (id);
        bool children = length > 2 && streq (id + length - 2, ".*");
        if (children)
            id[length - 2] = '\0';
        int region = zpl_lookup (self->region_index, id);
        if (region < 0) {
            rc = zpl_fail (loader->zpl, entry->line,
                           "unknown region '%s' in %s", id, where);
            break;
        }
        const region_t *parent = &self->regions[region];
        if (children && parent->child_count == 0) {
            rc = zpl_fail (loader->zpl, entry->line,
                           "'%s.*': region '%s' has no children, in %s", id, id,
                           where);
            break;
        }
        int first = children ? 0 : -1;
        int last = children ? parent->child_count : 0;
        for (int index = first; index < last; index++) {
            int member = index < 0 ? region : parent->children[index];
            if (!seen[member]) {
                seen[member] = true;
                regions[count++] = member;
            }
        }
    }
    free (seen);
    if (rc == 0 && count == 0)
        rc = zpl_fail (loader->zpl, entry->line, "empty regions in %s", where);
    if (rc) {
        free (regions);
        return -1;
    }
    rule->regions = regions;
    rule->region_count = count;
    return 0;
}

//  A number of at least 0 with at most 6 decimals, for above, below and
//  drop_pct.
static int
s_read_rule_number (s_loader_t *loader, const zpl_node_t *entry, double *value)
{
    if (s_parse_real (entry->value, value) != S_NUMBER_OK)
        return zpl_fail (loader->zpl, entry->line,
                         "%s must be a number of at least 0 with at most 6 "
                         "decimals, not '%s'",
                         entry->name, entry->value);
    return 0;
}

//  for and repeat: whole seconds from 0 to S_RULE_SECONDS_MAX.
static int
s_read_rule_seconds (s_loader_t *loader, const zpl_node_t *entry,
                     int64_t *seconds)
{
    int value;
    if (!s_parse_int (entry->value, 0, S_RULE_SECONDS_MAX, &value))
        return zpl_fail (loader->zpl, entry->line,
                         "%s must be a whole number of seconds from 0 to %d, "
                         "not '%s'",
                         entry->name, S_RULE_SECONDS_MAX, entry->value);
    *seconds = value;
    return 0;
}

//  The figure of an outlier rule: an indicator that has min, max or
//  max_change. figure is its key's node, or -1.
static int
s_read_outlier_figure (s_loader_t *loader, const zpl_node_t *entry, int figure,
                       const char *where, rule_t *rule)
{
    catalogue_t *self = loader->self;
    if (s_require (loader, entry, figure, "figure", where))
        return -1;
    const zpl_node_t *key = &loader->nodes[figure];
    rule->figure = zpl_lookup (self->figure_index, key->value);
    if (rule->figure < 0 || rule->figure >= self->indicator_count)
        return zpl_fail (loader->zpl, key->line, "unknown indicator '%s' in %s",
                         key->value, where);
    const indicator_t *indicator = &self->indicators[rule->figure];
    if (!indicator->has_min && !indicator->has_max && !indicator->max_change)
        return zpl_fail (loader->zpl, key->line,
                         "'%s' has no min, max or max_change to watch, in %s",
                         key->value, where);
    return 0;
}

//  An outlier rule watches reported figures: replace its regions by the
//  leaves at or below them, in tree order, each once.
static void
s_leaves_of_rule (catalogue_t *self, rule_t *rule)
{
    bool *watched = zpl_alloc ((size_t)self->region_count, sizeof (bool));
    for (int member = 0; member < rule->region_count; member++)
        watched[rule->regions[member]] = true;
    int *leaves = zpl_alloc ((size_t)self->region_count, sizeof (int));
    int count = 0;
    //  Regions are in pre-order: a parent comes before its subtree.
    for (int region = 0; region < self->region_count; region++) {
        int parent = self->regions[region].parent;
        if (parent >= 0 && watched[parent])
            watched[region] = true;
        if (watched[region] && self->regions[region].child_count == 0)
            leaves[count++] = region;
    }
    free (watched);
    free ((int *)rule->regions);
    rule->regions = leaves;
    rule->region_count = count;
}

//  Read one rule's keys. Each key applies to some kinds only, so that a
//  threshold's key left under a silence rule is an error, not ignored.
static int
s_read_rule (s_loader_t *loader, int node, rule_t *rule)
{
    catalogue_t *self = loader->self;
    enum {
        KIND,
        FIGURE,
        ABOVE,
        BELOW,
        LEFT,
        RIGHT,
        RELATION,
        DROP_PCT,
        REGIONS,
        SEVERITY,
        FOR,
        REPEAT,
        KEY_COUNT
    };
    static const char *keys[] = {"kind",    "figure",   "above",    "below",
                                 "left",    "right",    "relation", "drop_pct",
                                 "regions", "severity", "for",      "repeat",
                                 NULL};
    //  Which kinds each key applies to, a bit per rule_kind_t
    enum { T = 1, S = 2, R = 4, C = 8, O = 16, ALL = 31 };
    static const int applies[KEY_COUNT] = {ALL, T | R | O, T,   T,   C,   C,
                                           C,   R,         ALL, ALL, ALL, ALL};
    const zpl_node_t *entry = &loader->nodes[node];
    char where[S_WHERE_SIZE];
    int found[KEY_COUNT];
    int kind_index;
    if (s_read_block (loader, node, "rules", keys, where, found) ||
        s_require (loader, entry, found[KIND], "kind", where) ||
        s_read_word (loader, found[KIND], s_rule_kind_names, NULL, &kind_index))
        return -1;
    const zpl_node_t *kind = &loader->nodes[found[KIND]];
    rule->kind = (rule_kind_t)kind_index;
    for (int key = 0; key < KEY_COUNT; key++)
        if (found[key] >= 0 && !(applies[key] & (1 << kind_index)))
            return zpl_fail (loader->zpl, loader->nodes[found[key]].line,
                             "%s does not apply to a%s %s rule, in %s",
                             keys[key], rule->kind == RULE_OUTLIER ? "n" : "",
                             kind->value, where);

    if (rule->kind == RULE_THRESHOLD) {
        if (s_require (loader, entry, found[FIGURE], "figure", where) ||
            s_read_rule_figure (loader, &loader->nodes[found[FIGURE]], where,
                                rule))
            return -1;
        if (found[ABOVE] >= 0 && found[BELOW] >= 0)
            return zpl_fail (loader->zpl, loader->nodes[found[BELOW]].line,
                             "both above and below in %s", where);
        if (found[ABOVE] < 0 && found[BELOW] < 0)
            return zpl_fail (loader->zpl, entry->line,
                             "missing above or below in %s", where);
        rule->direction = found[ABOVE] >= 0 ? RULE_ABOVE : RULE_BELOW;
        if (s_read_rule_number (
                loader,
                &loader->nodes[found[found[ABOVE] >= 0 ? ABOVE : BELOW]],
                &rule->threshold))
            return -1;
    } else if (rule->kind == RULE_RESTATEMENT) {
        if (s_require (loader, entry, found[FIGURE], "figure", where))
            return -1;
        const zpl_node_t *figure = &loader->nodes[found[FIGURE]];
        rule->figure = zpl_lookup (self->figure_index, figure->value);
        if (rule->figure < 0)
            return zpl_fail (loader->zpl, figure->line,
                             "unknown indicator '%s' in %s", figure->value,
                             where);
        if (rule->figure >= self->indicator_count)
            return zpl_fail (loader->zpl, figure->line,
                             "'%s' is a measure: a restatement rule watches a "
                             "reported indicator, in %s",
                             figure->value, where);
        if (s_require (loader, entry, found[DROP_PCT], "drop_pct", where) ||
            s_read_rule_number (loader, &loader->nodes[found[DROP_PCT]],
                                &rule->drop_pct))
            return -1;
        const zpl_node_t *drop = &loader->nodes[found[DROP_PCT]];
        if (rule->drop_pct <= 0 || rule->drop_pct > 100)
            return zpl_fail (loader->zpl, drop->line,
                             "drop_pct must be above 0 and at most 100, not "
                             "'%s'",
                             drop->value);
    } else if (rule->kind == RULE_CONSISTENCY) {
        int sides[2] = {LEFT, RIGHT};
        int *figures[2] = {&rule->left, &rule->right};
        for (int side = 0; side < 2; side++) {
            if (s_require (loader, entry, found[sides[side]], keys[sides[side]],
                           where))
                return -1;
            const zpl_node_t *operand = &loader->nodes[found[sides[side]]];
            *figures[side] = zpl_lookup (self->figure_index, operand->value);
            if (*figures[side] < 0)
                return zpl_fail (loader->zpl, operand->line,
                                 "unknown figure '%s' in %s", operand->value,
                                 where);
        }
        int relation = RULE_EQUAL;
        if (found[RELATION] >= 0 &&
            s_read_word (loader, found[RELATION], s_relation_names, NULL,
                         &relation))
            return -1;
        rule->relation = (rule_relation_t)relation;
    } else if (rule->kind == RULE_OUTLIER &&
               s_read_outlier_figure (loader, entry, found[FIGURE], where,
                                      rule))
        return -1;

    if (s_require (loader, entry, found[REGIONS], "regions", where) ||
        s_read_rule_regions (loader, &loader->nodes[found[REGIONS]], where,
                             rule))
        return -1;
    if (rule->kind == RULE_OUTLIER)
        s_leaves_of_rule (self, rule);
    int severity = SEVERITY_WARNING;
    if (found[SEVERITY] >= 0 && s_read_word (loader, found[SEVERITY],
                                             s_severity_names, NULL, &severity))
        return -1;
    rule->severity = (rule_severity_t)severity;
    if (found[FOR] >= 0 &&
        s_read_rule_seconds (loader, &loader->nodes[found[FOR]], &rule->for_s))
        return -1;
    if (found[REPEAT] >= 0 &&
        s_read_rule_seconds (loader, &loader->nodes[found[REPEAT]],
                             &rule->repeat_s))
        return -1;
    return 0;
}

//  The rules section: a block per rule id (DESIGN §2, "Rules").
static int
s_read_rules (s_loader_t *loader)
{
    catalogue_t *self = loader->self;
    int section = loader->sections[S_RULES];
    if (section < 0)
        return 0;
    self->rules = zpl_alloc ((size_t)zpl_child_count (loader->zpl, section),
                             sizeof (rule_t));
    for (int node = loader->nodes[section].child; node >= 0;
         node = loader->nodes[node].next) {
        const zpl_node_t *entry = &loader->nodes[node];
        if (zpl_block_id (loader->zpl, node, "rule", self->rule_index,
                          self->rule_count))
            return -1;
        rule_t *rule = &self->rules[self->rule_count++];
        rule->id = entry->name;
        rule->figure = -1;
        rule->left = -1;
        rule->right = -1;
        if (s_read_rule (loader, node, rule))
            return -1;
    }
    return 0;
}

//  Parse the ZPL text of a catalogue. On failure returns NULL and sets
//  *error (if error is not NULL) to a fresh "filename:line: reason" that
//  the caller frees; on success *error is set to NULL.
catalogue_t *
catalogue_new (const char *text, const char *filename, char **error)
{
    assert (text);
    s_loader_t loader = {0};
    catalogue_t *self = zpl_alloc (1, sizeof (catalogue_t));
    loader.self = self;
    self->on_time_days = S_ON_TIME_DEFAULT;
    self->region_index = zhashx_new ();
    self->figure_index = zhashx_new ();
    self->source_index = zhashx_new ();
    self->rule_index = zhashx_new ();
    if (!self->region_index || !self->figure_index || !self->source_index ||
        !self->rule_index)
        abort ();

    char *scan_error = NULL;
    self->zpl = zpl_new (text, filename, &scan_error);
    if (!self->zpl) {
        catalogue_destroy (&self);
        return zpl_give_error (scan_error, error);
    }
    loader.zpl = self->zpl;
    loader.nodes = zpl_nodes (self->zpl, &loader.node_count);
    int rc = zpl_sections (loader.zpl, s_section_names, loader.sections, false);
    if (rc == 0)
        rc = s_read_catalogue (&loader);
    if (rc == 0)
        rc = s_read_regions (&loader);
    if (rc == 0)
        rc = s_read_indicators (&loader);
    if (rc == 0)
        rc = s_read_measures (&loader);
    if (rc == 0)
        rc = s_read_grid (&loader, &s_targets, self->indicator_count,
                          &self->targets);
    if (rc == 0)
        rc = s_read_grid (&loader, &s_limits, catalogue_figure_count (self),
                          &self->limits);
    if (rc == 0)
        rc = s_read_sources (&loader);
    if (rc == 0)
        rc = s_read_rules (&loader);

    free (loader.operand_lines);
    if (rc) {
        char *reason = zpl_error (self->zpl);
        catalogue_destroy (&self);
        return zpl_give_error (reason, error);
    }
    zpl_give_error (NULL, error);
    return self;
}

void
catalogue_destroy (catalogue_t **self_p)
{
    assert (self_p);
    catalogue_t *self = *self_p;
    if (!self)
        return;
    for (int index = 0; index < self->measure_count; index++)
        free ((int *)self->measures[index].terms);
    free (self->measures);
    free (self->indicators);
    free (self->regions);
    free (self->region_children);
    for (int index = 0; index < self->source_count; index++)
        free ((int *)self->sources[index].regions);
    free (self->sources);
    free (self->targets.values);
    free (self->targets.set);
    free (self->limits.values);
    free (self->limits.set);
    for (int index = 0; index < self->rule_count; index++)
        free ((int *)self->rules[index].regions);
    free (self->rules);
    zhashx_destroy (&self->rule_index);
    zhashx_destroy (&self->region_index);
    zhashx_destroy (&self->figure_index);
    zhashx_destroy (&self->source_index);
    zpl_destroy (&self->zpl);
    free (self);
    *self_p = NULL;
}

int
catalogue_year (const catalogue_t *self)
{
    assert (self);
    return self->year;
}

int
catalogue_first_period (const catalogue_t *self)
{
    assert (self);
    return self->first_period;
}

int
catalogue_last_period (const catalogue_t *self)
{
    assert (self);
    return self->last_period;
}

int
catalogue_on_time_days (const catalogue_t *self)
{
    assert (self);
    return self->on_time_days;
}

int
catalogue_region_count (const catalogue_t *self)
{
    assert (self);
    return self->region_count;
}

const region_t *
catalogue_region (const catalogue_t *self, int index)
{
    assert (self);
    return s_in_range (index, self->region_count) ? &self->regions[index]
                                                  : NULL;
}

int
catalogue_region_find (const catalogue_t *self, const char *id)
{
    assert (self);
    return id ? zpl_lookup (self->region_index, id) : -1;
}

//  Walks up from descendant: O(depth).
bool
catalogue_region_covers (const catalogue_t *self, int ancestor, int descendant)
{
    assert (self);
    if (!s_in_range (ancestor, self->region_count) ||
        !s_in_range (descendant, self->region_count))
        return false;
    int depth = self->regions[ancestor].depth;
    while (descendant >= 0 && self->regions[descendant].depth > depth)
        descendant = self->regions[descendant].parent;
    return descendant == ancestor;
}

int
catalogue_indicator_count (const catalogue_t *self)
{
    assert (self);
    return self->indicator_count;
}

const indicator_t *
catalogue_indicator (const catalogue_t *self, int index)
{
    assert (self);
    return s_in_range (index, self->indicator_count) ? &self->indicators[index]
                                                     : NULL;
}

int
catalogue_indicator_find (const catalogue_t *self, const char *id)
{
    assert (self);
    int figure = id ? zpl_lookup (self->figure_index, id) : -1;
    return figure < self->indicator_count ? figure : -1;
}

int
catalogue_measure_count (const catalogue_t *self)
{
    assert (self);
    return self->measure_count;
}

const measure_t *
catalogue_measure (const catalogue_t *self, int figure)
{
    assert (self);
    //  Measures follow the indicators; below them, no subtraction overflows
    if (figure < self->indicator_count)
        return NULL;
    int measure = figure - self->indicator_count;
    return s_in_range (measure, self->measure_count) ? &self->measures[measure]
                                                     : NULL;
}

int
catalogue_figure_count (const catalogue_t *self)
{
    assert (self);
    return self->indicator_count + self->measure_count;
}

int
catalogue_figure_find (const catalogue_t *self, const char *id)
{
    assert (self);
    return id ? zpl_lookup (self->figure_index, id) : -1;
}

const char *
catalogue_figure_id (const catalogue_t *self, int figure)
{
    assert (self);
    if (s_in_range (figure, self->indicator_count))
        return self->indicators[figure].id;
    const measure_t *measure = catalogue_measure (self, figure);
    return measure ? measure->id : NULL;
}

bool
catalogue_target (const catalogue_t *self, int region, int indicator,
                  jt_value_t *target)
{
    assert (self);
    const int64_t *value =
        s_grid_value (self, &self->targets, region, indicator);
    if (value && target)
        *target = *value;
    return value != NULL;
}

bool
catalogue_limit (const catalogue_t *self, int region, int figure, double *limit)
{
    assert (self);
    const int64_t *value = s_grid_value (self, &self->limits, region, figure);
    if (value && limit)
        *limit = s_millionths (*value);
    return value != NULL;
}

int
catalogue_source_count (const catalogue_t *self)
{
    assert (self);
    return self->source_count;
}

const source_t *
catalogue_source (const catalogue_t *self, int index)
{
    assert (self);
    return s_in_range (index, self->source_count) ? &self->sources[index]
                                                  : NULL;
}

int
catalogue_source_find (const catalogue_t *self, const char *name)
{
    assert (self);
    return name ? zpl_lookup (self->source_index, name) : -1;
}

bool
catalogue_source_allows (const catalogue_t *self, int source, int region)
{
    assert (self);
    const source_t *entry = catalogue_source (self, source);
    if (!entry)
        return false;
    for (int index = 0; index < entry->region_count; index++)
        if (catalogue_region_covers (self, entry->regions[index], region))
            return true;
    return false;
}

int
catalogue_rule_count (const catalogue_t *self)
{
    assert (self);
    return self->rule_count;
}

const rule_t *
catalogue_rule (const catalogue_t *self, int index)
{
    assert (self);
    return s_in_range (index, self->rule_count) ? &self->rules[index] : NULL;
}

int
catalogue_rule_find (const catalogue_t *self, const char *id)
{
    assert (self);
    return id ? zpl_lookup (self->rule_index, id) : -1;
}

const char *
catalogue_severity_name (rule_severity_t severity)
{
    assert (severity >= SEVERITY_INFO && severity <= SEVERITY_CRITICAL);
    return s_severity_names[severity];
}

const char *
catalogue_rule_kind_name (rule_kind_t kind)
{
    assert (kind >= RULE_THRESHOLD && kind <= RULE_OUTLIER);
    return s_rule_kind_names[kind];
}
