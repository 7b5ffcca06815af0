/*  store.c — the rollup store (see store.h).

    Cells live in a dense series table indexed slot * indicator_count +
    indicator, where parents take the first slots and leaves the rest, each
    in catalogue order: the few parents' series, which every update moves,
    are packed together instead of scattered among the leaves'. The parent
    and slot of every region are copied into one compact array, so walking
    up the tree does not read the catalogue's records.

    Each series holds its most recent year of twelve months inline, so an
    update of the current year follows no pointer: it reads one series
    entry per level of the tree (112 bytes, of which the header and the
    month's figure: at most two cache lines). Years before the latest sit
    in a separately allocated array found by a linear scan; a later year
    takes the inline slot and moves the latest there. An update touches the
    leaf and each ancestor's series for the same indicator: O(depth), no
    hashing, and no allocation once its year is there. The table is
    allocated zeroed for every (region, indicator), so its pages cost
    memory only once a series in them is used; but where only a few series
    of each page are used (many indicators, each region reporting few of
    them), every (region, indicator) in those pages costs its 112 bytes.

    Change tracking is always on: every year block touched is listed once,
    with its twelve months' values and presence from before it was first
    touched (a carried update moves up to twelve months of a block at
    once), and the block's listed flag marks it. An entry keeps a pointer
    to its series (the table never moves), so clearing the mark is a look
    at that series' years. store_changes_next walks the list month by
    month, clears the marks, and yields only cells that now differ.

    Arrivals live in an array of year blocks per region (only leaves get
    blocks), so marking one is a block lookup and one compare and write. A day
   only ever goes down, so every arrival listed as changed did change. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "period.h"

#define MONTHS 12

//  The largest value a report or an add may leave in a leaf cell.
#define LEAF_MAX ((jt_value_t)JT_VALUE_MAX_UNITS * JT_SCALE)

//  The largest total any cell may hold, so that a year of a flow's months
//  still sums inside int64.
#define CELL_MAX (INT64_MAX / MONTHS)

typedef struct {
    int year;                 //  calendar year of these months; 0: unused
    uint16_t present_mask;    //  bit m: month m + 1 is present
    bool listed;              //  the block is on the change list
    jt_value_t value[MONTHS]; //  each month's figure; 0 when absent
} year_block_t;

//  The years of a series other than its latest, in the order they came.
typedef struct {
    int count;             //  blocks in use
    int alloc;             //  blocks allocated
    year_block_t blocks[]; //  one per earlier year with a touched cell
} older_years_t;

typedef struct {
    year_block_t latest;  //  the most recent year touched, inline
    older_years_t *older; //  the years before it, or NULL
} series_t;

//  An (indicator, month) with its year and month index worked out once,
//  for every level an update reads and writes.
typedef struct {
    int indicator;
    int period;
    int year;  //  period_year (period)
    int month; //  period_month (period) - 1, 0 for January
} cell_key_t;

typedef struct {
    int year;              //  calendar year of these twelve months
    uint16_t changed_mask; //  bit m: month m + 1 is on the change list
    int day[MONTHS];       //  earliest report day, or PERIOD_DAY_NONE
} arrival_block_t;

typedef struct {
    arrival_block_t *blocks; //  one per year with a report
    int count;               //  blocks in use
    int alloc;               //  blocks allocated
} arrival_series_t;

//  What an update needs of a region, kept compact beside the series so
//  that walking up the tree does not read the catalogue's larger records.
typedef struct {
    int parent; //  index of the parent, -1 for the root
    int slot;   //  its series start at slot * indicator_count
} region_link_t;

typedef struct {
    int region; //  the leaf whose arrival was set or lowered
    int period;
} arrival_change_t;

//  A year of one series touched since the list was emptied, as it was
//  when first touched: a carried update moves up to twelve months of each
//  ancestor, and one entry with the old year covers them all.
typedef struct {
    series_t *series;             //  the block's series, which never moves
    int region;                   //  the series' region
    int indicator;                //  and indicator
    int year;                     //  the block's year
    int month_next;               //  next month store_changes_next looks at
    uint16_t old_present_mask;    //  present months when first touched
    jt_value_t old_value[MONTHS]; //  their values then (0 if absent)
} change_t;

struct _store_t {
    const catalogue_t *catalogue; //  borrowed, outlives the store
    int region_count;             //  from the catalogue, cached
    int indicator_count;          //  from the catalogue, cached
    bool *carried;                //  by indicator: stock or cumulative
    region_link_t *links;         //  region_count, by region index
    int leaf_slots;               //  slots from here on are leaves'
    series_t *series;             //  region_count * indicator_count series
    size_t cell_count;            //  cells present
    change_t *changes;            //  cells touched since the list was emptied
    size_t change_count;          //  entries used in changes
    size_t change_alloc;          //  entries allocated in changes
    size_t change_next;           //  next entry store_changes_next looks at
    arrival_series_t *arrivals;   //  region_count series of report days
    size_t arrival_count;         //  (leaf, month) pairs with a day
    arrival_change_t *arrival_changes; //  arrivals set or lowered
    size_t arrival_change_count;       //  entries used in arrival_changes
    size_t arrival_change_alloc;       //  entries allocated in arrival_changes
    size_t arrival_change_next;        //  next entry to yield
};

//  Out of memory is fatal (STYLE: abort).
static void *
s_realloc (void *pointer, size_t size)
{
    void *result = realloc (pointer, size);
    if (!result)
        abort ();
    return result;
}

static bool
s_indices_valid (const store_t *self, int region, int indicator, int period)
{
    return region >= 0 && region < self->region_count && indicator >= 0 &&
           indicator < self->indicator_count && period_valid (period);
}

static series_t *
s_series (const store_t *self, int region, int indicator)
{
    return &self->series[(size_t)self->links[region].slot *
                             self->indicator_count +
                         indicator];
}

//  The series' block for year, or NULL.
static year_block_t *
s_block_find (series_t *series, int year)
{
    if (series->latest.year == year)
        return &series->latest;
    older_years_t *older = series->older;
    if (older)
        for (int index = 0; index < older->count; index++)
            if (older->blocks[index].year == year)
                return &older->blocks[index];
    return NULL;
}

//  Append an empty block for year to the series' older years.
static year_block_t *
s_older_append (series_t *series, int year)
{
    older_years_t *older = series->older;
    if (!older || older->count == older->alloc) {
        int alloc = older ? older->alloc * 2 : 1;
        older = s_realloc (older, sizeof (older_years_t) +
                                      (size_t)alloc * sizeof (year_block_t));
        if (!series->older)
            older->count = 0;
        older->alloc = alloc;
        series->older = older;
    }
    year_block_t *block = &older->blocks[older->count++];
    memset (block, 0, sizeof (*block));
    block->year = year;
    return block;
}

//  The series' block for year, created empty when missing. A year later
//  than the latest takes the inline slot and the latest moves to the older
//  years, so the pointer is valid until the next block is created in this
//  series.
static year_block_t *
s_block_obtain (series_t *series, int year)
{
    year_block_t *block = s_block_find (series, year);
    if (block)
        return block;
    if (series->latest.year != 0 && year < series->latest.year)
        return s_older_append (series, year);
    if (series->latest.year != 0)
        *s_older_append (series, series->latest.year) = series->latest;
    memset (&series->latest, 0, sizeof (series->latest));
    series->latest.year = year;
    return &series->latest;
}

static cell_key_t
s_key (int indicator, int period)
{
    cell_key_t key = {indicator, period, period_year (period),
                      period_month (period) - 1};
    return key;
}

//  A cell's value, 0 when absent; true when present. Indices are valid.
static bool
s_cell_read (const store_t *self, int region, const cell_key_t *key,
             jt_value_t *value)
{
    const year_block_t *block =
        s_block_find (s_series (self, region, key->indicator), key->year);
    if (block && (block->present_mask & (1u << key->month))) {
        *value = block->value[key->month];
        return true;
    }
    *value = 0;
    return false;
}

//  List a block on the change list with its months as they are now,
//  unless it is listed already.
static void
s_block_list (store_t *self, series_t *series, year_block_t *block, int region,
              int indicator)
{
    if (block->listed)
        return;
    if (self->change_count == self->change_alloc) {
        self->change_alloc = self->change_alloc ? self->change_alloc * 2 : 64;
        self->changes =
            s_realloc (self->changes, self->change_alloc * sizeof (change_t));
    }
    change_t *change = &self->changes[self->change_count++];
    change->series = series;
    change->region = region;
    change->indicator = indicator;
    change->year = block->year;
    change->month_next = 0;
    change->old_present_mask = block->present_mask;
    memcpy (change->old_value, block->value, sizeof (change->old_value));
    block->listed = true;
}

//  Set the months first .. last - 1 of a series' year to value, or add
//  value to them (0 when absent) when add, making them present, and list
//  the block on the change list with its old months.
static void
s_cells_write (store_t *self, int region, const cell_key_t *key, int last,
               jt_value_t value, bool add)
{
    series_t *series = s_series (self, region, key->indicator);
    year_block_t *block = s_block_obtain (series, key->year);
    s_block_list (self, series, block, region, key->indicator);
    for (int month = key->month; month < last; month++) {
        uint16_t bit = (uint16_t)(1u << month);
        if (!(block->present_mask & bit)) {
            block->present_mask |= bit;
            self->cell_count++;
        }
        block->value[month] = add ? block->value[month] + value : value;
    }
}

//  Ask the CPU for the series of a leaf and all its ancestors before any
//  is read: in a large tree they are cache misses, and issued together
//  they overlap instead of following one another. The latest year is
//  inline, so the header line and the month's line are all an update
//  reads. A hint only: GCC and Clang's __builtin_prefetch never faults and
//  changes no value.
#define PREFETCH_LEVELS 16
static void
s_prefetch_chain (const store_t *self, int region, int indicator, int month)
{
#if defined(__GNUC__)
    int levels = 0;
    for (int up = region; up >= 0 && levels < PREFETCH_LEVELS;
         up = self->links[up].parent) {
        const series_t *series = s_series (self, up, indicator);
        __builtin_prefetch (series);
        __builtin_prefetch (&series->latest.value[month]);
        levels++;
    }
#else
    (void)self;
    (void)region;
    (void)indicator;
    (void)month;
#endif
}

//  What an update does to the tree: the leaf's month becomes leaf_value,
//  and each ancestor's months key.month .. last - 1 move by delta. A flow
//  moves only its month. A carried figure (stock or cumulative) moves the
//  months after it too, up to the leaf's next report in the year, since
//  until then the leaf's figure stands for them (DESIGN §3.2).
typedef struct {
    cell_key_t key;        //  the month reported
    jt_value_t leaf_value; //  the leaf's month after the update
    jt_value_t delta;      //  what each ancestor's months move by
    int last;              //  one past the last month they move
    bool settled;          //  the ancestors already hold the result
} s_plan_t;

//  Work out what an update does, from the leaf's year as it stands.
static void
s_plan (const store_t *self, int region, int indicator, int period,
        jt_value_t value, bool add, s_plan_t *plan)
{
    cell_key_t key = s_key (indicator, period);
    plan->key = key;
    const year_block_t *block =
        s_block_find (s_series (self, region, indicator), key.year);
    uint16_t present = block ? block->present_mask : 0;
    uint16_t bit = (uint16_t)(1u << key.month);
    jt_value_t own = (present & bit) ? block->value[key.month] : 0;
    //  Both are at most LEAF_MAX, so neither line can overflow.
    plan->leaf_value = add ? own + value : value;
    plan->last = key.month + 1;

    //  What the ancestors hold for this leaf at the month now: its own
    //  figure, or a carried figure's latest earlier month in the year.
    bool standing = (present & bit) != 0;
    jt_value_t before = own;
    if (self->carried[indicator]) {
        uint16_t earlier = present & (uint16_t)(bit - 1);
        if (!standing && earlier) {
            standing = true;
            before = block->value[31 - __builtin_clz (earlier)];
        }
        uint16_t later = present & (uint16_t) ~((bit << 1) - 1);
        plan->last = later ? __builtin_ctz (later) : MONTHS;
    }
    plan->delta = plan->leaf_value - before;
    plan->settled = standing && plan->delta == 0;
}

//  Validate an update and work out what it does (s_plan).
static jt_error_t
s_check (const store_t *self, int region, int indicator, int period,
         jt_value_t value, bool add, s_plan_t *plan)
{
    if (region < 0 || region >= self->region_count)
        return JT_ERR_UNKNOWN_REGION;
    if (indicator < 0 || indicator >= self->indicator_count)
        return JT_ERR_UNKNOWN_INDICATOR;
    if (self->links[region].slot < self->leaf_slots)
        return JT_ERR_NOT_LEAF;
    if (!period_valid (period))
        return JT_ERR_BAD_PERIOD;
    if (value < 0)
        return JT_ERR_NEGATIVE;
    if (catalogue_indicator (self->catalogue, indicator)->whole &&
        value % JT_SCALE != 0)
        return JT_ERR_NOT_WHOLE;
    if (value > LEAF_MAX)
        return JT_ERR_TOO_LARGE;

    s_prefetch_chain (self, region, indicator, period_month (period) - 1);
    s_plan (self, region, indicator, period, value, add, plan);
    if (plan->leaf_value > LEAF_MAX)
        return JT_ERR_TOO_LARGE;

    //  A total too large to sum over a year is refused too.
    if (plan->delta > 0)
        for (int up = self->links[region].parent; up >= 0;
             up = self->links[up].parent) {
            const year_block_t *block =
                s_block_find (s_series (self, up, indicator), plan->key.year);
            for (int month = plan->key.month; block && month < plan->last;
                 month++)
                if (block->value[month] > CELL_MAX - plan->delta)
                    return JT_ERR_TOO_LARGE;
        }
    return JT_OK;
}

store_t *
store_new (const catalogue_t *catalogue)
{
    assert (catalogue);
    store_t *self = s_realloc (NULL, sizeof (store_t));
    memset (self, 0, sizeof (*self));
    self->catalogue = catalogue;
    self->region_count = catalogue_region_count (catalogue);
    self->indicator_count = catalogue_indicator_count (catalogue);
    size_t series_count = (size_t)self->region_count * self->indicator_count;
    self->series = calloc (series_count ? series_count : 1, sizeof (series_t));
    self->arrivals = calloc (self->region_count ? self->region_count : 1,
                             sizeof (arrival_series_t));
    self->carried = calloc (self->indicator_count ? self->indicator_count : 1,
                            sizeof (bool));
    if (!self->series || !self->arrivals || !self->carried)
        abort ();
    for (int indicator = 0; indicator < self->indicator_count; indicator++)
        self->carried[indicator] =
            catalogue_indicator (catalogue, indicator)->time != TIME_FLOW;
    self->links =
        s_realloc (NULL, (self->region_count ? self->region_count : 1) *
                             sizeof (region_link_t));
    //  Parents' series first, then leaves', each in catalogue order: the
    //  few series every update also moves share pages, apart from the
    //  many leaves'.
    int slot = 0;
    for (int leaves = 0; leaves < 2; leaves++) {
        if (leaves)
            self->leaf_slots = slot;
        for (int region = 0; region < self->region_count; region++) {
            const region_t *node = catalogue_region (catalogue, region);
            if ((node->child_count == 0) == (leaves == 1)) {
                self->links[region].parent = node->parent;
                self->links[region].slot = slot++;
            }
        }
    }
    return self;
}

void
store_destroy (store_t **self_p)
{
    assert (self_p);
    store_t *self = *self_p;
    if (!self)
        return;
    store_clear (self);
    free (self->series);
    free (self->links);
    free (self->carried);
    free (self->changes);
    free (self->arrivals);
    free (self->arrival_changes);
    free (self);
    *self_p = NULL;
}

jt_error_t
store_check (const store_t *self, int region, int indicator, int period,
             jt_value_t value, bool add)
{
    assert (self);
    s_plan_t plan;
    return s_check (self, region, indicator, period, value, add, &plan);
}

jt_error_t
store_apply (store_t *self, int region, int indicator, int period,
             jt_value_t value, bool add)
{
    assert (self);
    s_plan_t plan;
    jt_error_t error =
        s_check (self, region, indicator, period, value, add, &plan);
    if (error != JT_OK)
        return error;

    s_cells_write (self, region, &plan.key, plan.key.month + 1, plan.leaf_value,
                   false);
    if (!plan.settled)
        for (int up = self->links[region].parent; up >= 0;
             up = self->links[up].parent)
            s_cells_write (self, up, &plan.key, plan.last, plan.delta, true);
    return JT_OK;
}

//  The caller resolves ids and periods first: invalid ones are a bug.
void
store_put (store_t *self, int region, int indicator, int period,
           jt_value_t value)
{
    assert (self);
    assert (s_indices_valid (self, region, indicator, period));
    cell_key_t key = s_key (indicator, period);
    s_cells_write (self, region, &key, key.month + 1, value, false);
}

//  Frees every block and drops the change list with it: a cleared store
//  has nothing to report as changed until it is filled again.
void
store_clear (store_t *self)
{
    assert (self);
    size_t series_count = (size_t)self->region_count * self->indicator_count;
    for (size_t index = 0; index < series_count; index++) {
        //  Pages of the table no series used stay untouched.
        series_t *series = &self->series[index];
        if (series->latest.year == 0)
            continue;
        free (series->older);
        memset (series, 0, sizeof (series_t));
    }
    self->cell_count = 0;
    self->change_count = 0;
    self->change_next = 0;
    for (int region = 0; region < self->region_count; region++) {
        free (self->arrivals[region].blocks);
        memset (&self->arrivals[region], 0, sizeof (arrival_series_t));
    }
    self->arrival_count = 0;
    self->arrival_change_count = 0;
    self->arrival_change_next = 0;
}

bool
store_get (const store_t *self, int region, int indicator, int period,
           jt_value_t *value)
{
    assert (self);
    assert (value);
    if (!s_indices_valid (self, region, indicator, period))
        return false;
    jt_value_t cell;
    cell_key_t key = s_key (indicator, period);
    if (!s_cell_read (self, region, &key, &cell))
        return false;
    *value = cell;
    return true;
}

bool
store_ytd (const store_t *self, int region, int indicator, int period,
           jt_value_t *value)
{
    assert (self);
    assert (value);
    if (!s_indices_valid (self, region, indicator, period))
        return false;
    const year_block_t *block =
        s_block_find (s_series (self, region, indicator), period_year (period));
    int through = period_month (period); //  months 0 .. through - 1
    uint16_t months =
        (uint16_t)(block ? block->present_mask & ((1u << through) - 1) : 0);
    if (!months)
        return false;

    if (catalogue_indicator (self->catalogue, indicator)->time == TIME_FLOW) {
        jt_value_t sum = 0;
        for (int month = 0; month < through; month++)
            if (months & (1u << month)) {
                //  A replica's cells are not range-checked: saturate.
                if (__builtin_add_overflow (sum, block->value[month], &sum))
                    sum = block->value[month] > 0 ? INT64_MAX : INT64_MIN;
            }
        *value = sum;
    } else {
        //  Stock and cumulative: the latest month present stands.
        int month = through - 1;
        while (!(months & (1u << month)))
            month--;
        *value = block->value[month];
    }
    return true;
}

//  A leaf by its own cells; a parent by its children, since its cells of
//  carried figures stand also for months no leaf reported.
bool
store_reported (const store_t *self, int region, int period)
{
    assert (self);
    if (region < 0 || region >= self->region_count || !period_valid (period))
        return false;
    const region_t *node = catalogue_region (self->catalogue, region);
    if (node->child_count > 0) {
        for (int index = 0; index < node->child_count; index++)
            if (store_reported (self, node->children[index], period))
                return true;
        return false;
    }
    cell_key_t key = s_key (0, period);
    for (key.indicator = 0; key.indicator < self->indicator_count;
         key.indicator++) {
        jt_value_t value;
        if (s_cell_read (self, region, &key, &value))
            return true;
    }
    return false;
}

int
store_figure_month (const store_t *self, int region, int indicator, int period)
{
    assert (self);
    if (!s_indices_valid (self, region, indicator, period))
        return PERIOD_NONE;
    const year_block_t *block =
        s_block_find (s_series (self, region, indicator), period_year (period));
    int through = period_month (period);
    uint16_t months =
        (uint16_t)(block ? block->present_mask & ((1u << through) - 1) : 0);
    if (!months)
        return PERIOD_NONE;
    if (!self->carried[indicator])
        return period;
    return period_make (period_year (period), 32 - __builtin_clz (months));
}

int
store_expected_count (const store_t *self, int region)
{
    assert (self);
    if (region < 0 || region >= self->region_count)
        return 0;
    const region_t *node = catalogue_region (self->catalogue, region);
    return node->child_count ? node->child_count : 1;
}

int
store_expected_region (const store_t *self, int region, int index)
{
    assert (index >= 0 && index < store_expected_count (self, region));
    const region_t *node = catalogue_region (self->catalogue, region);
    return node->child_count ? node->children[index] : region;
}

void
store_coverage (const store_t *self, int region, int period, int *reported,
                int *expected)
{
    assert (self);
    assert (reported);
    assert (expected);
    *reported = 0;
    *expected = store_expected_count (self, region);
    for (int index = 0; index < *expected; index++)
        if (store_reported (self, store_expected_region (self, region, index),
                            period))
            (*reported)++;
}

//  The region's arrival block for year, or NULL.
static arrival_block_t *
s_arrival_block_find (const store_t *self, int region, int year)
{
    const arrival_series_t *series = &self->arrivals[region];
    for (int index = 0; index < series->count; index++)
        if (series->blocks[index].year == year)
            return &series->blocks[index];
    return NULL;
}

//  The region's arrival block for year, created with no days when missing.
static arrival_block_t *
s_arrival_block_obtain (store_t *self, int region, int year)
{
    arrival_block_t *block = s_arrival_block_find (self, region, year);
    if (block)
        return block;
    arrival_series_t *series = &self->arrivals[region];
    if (series->count == series->alloc) {
        series->alloc = series->alloc ? series->alloc * 2 : 2;
        series->blocks = s_realloc (
            series->blocks, (size_t)series->alloc * sizeof (arrival_block_t));
    }
    block = &series->blocks[series->count++];
    block->year = year;
    block->changed_mask = 0;
    for (int month = 0; month < MONTHS; month++)
        block->day[month] = PERIOD_DAY_NONE;
    return block;
}

bool
store_mark_reported (store_t *self, int region, int period, int day)
{
    assert (self);
    assert (region >= 0 && region < self->region_count);
    assert (catalogue_region (self->catalogue, region)->child_count == 0);
    assert (period_valid (period));
    assert (day != PERIOD_DAY_NONE);
    arrival_block_t *block =
        s_arrival_block_obtain (self, region, period_year (period));
    int month = period_month (period) - 1;
    int *recorded = &block->day[month];
    if (*recorded != PERIOD_DAY_NONE && *recorded <= day)
        return false;
    if (*recorded == PERIOD_DAY_NONE)
        self->arrival_count++;
    *recorded = day;

    uint16_t bit = (uint16_t)(1u << month);
    if (!(block->changed_mask & bit)) {
        if (self->arrival_change_count == self->arrival_change_alloc) {
            self->arrival_change_alloc = self->arrival_change_alloc
                                             ? self->arrival_change_alloc * 2
                                             : 64;
            self->arrival_changes = s_realloc (self->arrival_changes,
                                               self->arrival_change_alloc *
                                                   sizeof (arrival_change_t));
        }
        self->arrival_changes[self->arrival_change_count++] =
            (arrival_change_t){.region = region, .period = period};
        block->changed_mask |= bit;
    }
    return true;
}

int
store_reported_day (const store_t *self, int region, int period)
{
    assert (self);
    if (region < 0 || region >= self->region_count || !period_valid (period))
        return PERIOD_DAY_NONE;
    const arrival_block_t *block =
        s_arrival_block_find (self, region, period_year (period));
    return block ? block->day[period_month (period) - 1] : PERIOD_DAY_NONE;
}

int
store_deadline (const store_t *self, int period)
{
    assert (self);
    assert (period_valid (period));
    return period_last_day (period) + catalogue_on_time_days (self->catalogue);
}

//  Raise *latest to the first report day of each leaf at or below region;
//  false as soon as one leaf has none.
static bool
s_latest_leaf_day (const store_t *self, int region, int period, int *latest)
{
    const region_t *node = catalogue_region (self->catalogue, region);
    if (node->child_count == 0) {
        int day = store_reported_day (self, region, period);
        if (day == PERIOD_DAY_NONE)
            return false;
        if (*latest == PERIOD_DAY_NONE || day > *latest)
            *latest = day;
        return true;
    }
    for (int index = 0; index < node->child_count; index++)
        if (!s_latest_leaf_day (self, node->children[index], period, latest))
            return false;
    return true;
}

store_timeliness_t
store_timeliness (const store_t *self, int region, int period, int *day)
{
    assert (self);
    int latest = PERIOD_DAY_NONE;
    bool complete = region >= 0 && region < self->region_count &&
                    period_valid (period) &&
                    s_latest_leaf_day (self, region, period, &latest);
    if (day)
        *day = complete ? latest : PERIOD_DAY_NONE;
    if (!complete)
        return STORE_MISSING;
    return latest <= store_deadline (self, period) ? STORE_ON_TIME : STORE_LATE;
}

size_t
store_arrival_count (const store_t *self)
{
    assert (self);
    return self->arrival_count;
}

int
store_visit_arrivals (const store_t *self, store_arrival_visit_fn *visit,
                      void *arg)
{
    assert (self);
    assert (visit);
    for (int region = 0; region < self->region_count; region++) {
        const arrival_series_t *series = &self->arrivals[region];
        for (int index = 0; index < series->count; index++) {
            const arrival_block_t *block = &series->blocks[index];
            for (int month = 0; month < MONTHS; month++) {
                if (block->day[month] == PERIOD_DAY_NONE)
                    continue;
                store_arrival_t arrival = {
                    .region = region,
                    .period = period_make (block->year, month + 1),
                    .day = block->day[month],
                };
                int rc = visit (&arrival, arg);
                if (rc != 0)
                    return rc;
            }
        }
    }
    return 0;
}

size_t
store_cell_count (const store_t *self)
{
    assert (self);
    return self->cell_count;
}

//  Visit the present cells of one block; stops at a non-zero return.
static int
s_visit_block (const year_block_t *block, int region, int indicator,
               store_visit_fn *visit, void *arg)
{
    for (int month = 0; month < MONTHS; month++) {
        if (!(block->present_mask & (1u << month)))
            continue;
        store_cell_t cell = {
            .region = region,
            .indicator = indicator,
            .period = period_make (block->year, month + 1),
            .value = block->value[month],
        };
        int rc = visit (&cell, arg);
        if (rc != 0)
            return rc;
    }
    return 0;
}

//  Series by series, older years first, then the latest.
int
store_visit (const store_t *self, store_visit_fn *visit, void *arg)
{
    assert (self);
    assert (visit);
    for (int region = 0; region < self->region_count; region++)
        for (int indicator = 0; indicator < self->indicator_count;
             indicator++) {
            const series_t *series = s_series (self, region, indicator);
            int rc = 0;
            const older_years_t *older = series->older;
            for (int index = 0; older && index < older->count && !rc; index++)
                rc = s_visit_block (&older->blocks[index], region, indicator,
                                    visit, arg);
            if (!rc)
                rc = s_visit_block (&series->latest, region, indicator, visit,
                                    arg);
            if (rc)
                return rc;
        }
    return 0;
}

//  Unmark the block a change entry refers to; returns it.
static year_block_t *
s_change_unmark (const change_t *change)
{
    year_block_t *block = s_block_find (change->series, change->year);
    assert (block); //  listed blocks exist until store_clear
    block->listed = false;
    return block;
}

//  Unmark the arrival a change entry refers to; returns its block.
static arrival_block_t *
s_arrival_change_unmark (store_t *self, const arrival_change_t *change)
{
    arrival_block_t *block = s_arrival_block_find (
        self, change->region, period_year (change->period));
    assert (block); //  listed arrivals have a block until store_clear
    block->changed_mask &=
        (uint16_t) ~(1u << (period_month (change->period) - 1));
    return block;
}

void
store_changes_begin (store_t *self)
{
    assert (self);
    //  Entries before change_next are already unmarked.
    for (size_t index = self->change_next; index < self->change_count; index++)
        s_change_unmark (&self->changes[index]);
    self->change_count = 0;
    self->change_next = 0;
    for (size_t index = self->arrival_change_next;
         index < self->arrival_change_count; index++)
        s_arrival_change_unmark (self, &self->arrival_changes[index]);
    self->arrival_change_count = 0;
    self->arrival_change_next = 0;
}

//  Entry by entry, month by month: an entry is unmarked once all its
//  months are looked at.
bool
store_changes_next (store_t *self, store_cell_t *cell)
{
    assert (self);
    assert (cell);
    while (self->change_next < self->change_count) {
        change_t *change = &self->changes[self->change_next];
        const year_block_t *block = s_block_find (change->series, change->year);
        assert (block);
        while (change->month_next < MONTHS) {
            int month = change->month_next++;
            uint16_t bit = (uint16_t)(1u << month);
            bool present = (block->present_mask & bit) != 0;
            bool was = (change->old_present_mask & bit) != 0;
            if (present != was ||
                (present && block->value[month] != change->old_value[month])) {
                cell->region = change->region;
                cell->indicator = change->indicator;
                cell->period = period_make (change->year, month + 1);
                cell->value = block->value[month];
                return true;
            }
        }
        s_change_unmark (change);
        self->change_next++;
    }
    self->change_count = 0;
    self->change_next = 0;
    return false;
}

bool
store_arrival_changes_next (store_t *self, store_arrival_t *arrival)
{
    assert (self);
    assert (arrival);
    if (self->arrival_change_next < self->arrival_change_count) {
        const arrival_change_t *change =
            &self->arrival_changes[self->arrival_change_next++];
        arrival_block_t *block = s_arrival_change_unmark (self, change);
        arrival->region = change->region;
        arrival->period = change->period;
        arrival->day = block->day[period_month (change->period) - 1];
        return true;
    }
    self->arrival_change_count = 0;
    self->arrival_change_next = 0;
    return false;
}
