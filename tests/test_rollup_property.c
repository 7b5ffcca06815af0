/*  test_rollup_property.c — the rollup store against a deliberately naive
    reference, on random cities (DESIGN §3.2, issue 11).

    Each case builds a random region tree (depth 1 to 5), a flow, a stock
    and a cumulative indicator, and applies random batches of reports at
    the leaves: months in order and late, gaps, restatements, add events,
    December and January of two years. After every batch it checks, for
    every region, indicator and month of both years:

    * the month's cell and the year to date equal the reference, which
      keeps only the leaves' own cells and recomputes every parent from
      them by the definition: a flow sums the leaves that reported that
      month; a stock or cumulative figure sums, over the leaves that
      reported in that year up to the month, each leaf's latest figure in
      that year up to the month;
    * every parent's year to date is the sum of its children's as shown;
    * which month a leaf's figure is from, and whether a region reported;
    * a replica fed only the published changes (store_changes_next, then
      store_put) holds the same cells, and so does a store rebuilt from the
      leaf cells alone, as a snapshot is loaded.

    Fixed seeds: the same cases on every run. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store.h"
#include "period.h"

#define CASES 2000
#define MAX_REGIONS 48
#define INDICATORS 3 //  flow, stock, cumulative, in this order
#define FIRST_YEAR 2002
#define YEARS 2
#define MONTHS 12
#define PERIODS (YEARS * MONTHS)
#define U(n) ((jt_value_t)(n)*JT_SCALE)

//  xorshift64*: small, fast, the same sequence everywhere.
static uint64_t s_random_state;

static uint32_t
s_random (uint32_t bound)
{
    s_random_state ^= s_random_state >> 12;
    s_random_state ^= s_random_state << 25;
    s_random_state ^= s_random_state >> 27;
    return (uint32_t)((s_random_state * 2685821657736338717ULL) >> 32) % bound;
}

//  One random city: the tree as parent indices, in the catalogue's order.
typedef struct {
    int count;
    int parent[MAX_REGIONS];
    int depth[MAX_REGIONS];
    bool leaf[MAX_REGIONS];
} s_tree_t;

static void
s_grow (s_tree_t *tree, int node, int max_depth)
{
    if (tree->depth[node] >= max_depth)
        return;
    //  The root always has children; below it a node may stay a leaf.
    int children = node == 0 ? 1 + (int)s_random (4) : (int)s_random (4);
    for (int index = 0; index < children && tree->count < MAX_REGIONS;
         index++) {
        int child = tree->count++;
        tree->parent[child] = node;
        tree->depth[child] = tree->depth[node] + 1;
        s_grow (tree, child, max_depth);
    }
}

//  The ZPL text of the tree: each child written right after its parent,
//  indented one level deeper, so file order is s_grow's order.
static char *
s_catalogue_text (s_tree_t *tree)
{
    size_t size = 4096 + (size_t)tree->count * 64;
    char *text = malloc (size);
    assert_non_null (text);
    size_t used = (size_t)snprintf (text, size,
                                    "catalogue\n    year = 2003\n\nregions\n");
    for (int node = 0; node < tree->count; node++) {
        tree->leaf[node] = true;
        for (int other = node + 1; other < tree->count; other++)
            if (tree->parent[other] == node)
                tree->leaf[node] = false;
        used +=
            (size_t)snprintf (text + used, size - used, "%*sn%d = \"N%d\"\n",
                              4 * (tree->depth[node] + 1), "", node, node);
    }
    snprintf (text + used, size - used,
              "\nindicators\n"
              "    found_work\n        time = flow\n"
              "    registered\n        time = stock\n"
              "    reemployed\n        time = cumulative\n");
    return text;
}

//  The reference: only the leaves' own cells.
typedef struct {
    bool present[MAX_REGIONS][INDICATORS][PERIODS];
    jt_value_t value[MAX_REGIONS][INDICATORS][PERIODS];
} s_reference_t;

//  What the reference says a region's cell is, by the definition.
typedef struct {
    bool present;
    jt_value_t value;
} s_expected_t;

static bool
s_below (const s_tree_t *tree, int ancestor, int node)
{
    for (int up = node; up >= 0; up = up == 0 ? -1 : tree->parent[up])
        if (up == ancestor)
            return true;
    return false;
}

//  A leaf's figure at (indicator, period) as it stands for its parents.
static s_expected_t
s_leaf_standing (const s_reference_t *ref, int leaf, int indicator, int period)
{
    s_expected_t standing = {false, 0};
    int first = indicator == 0 ? period : period - period % MONTHS;
    for (int at = period; at >= first; at--)
        if (ref->present[leaf][indicator][at]) {
            standing.present = true;
            standing.value = ref->value[leaf][indicator][at];
            break;
        }
    return standing;
}

static int
s_period (int at)
{
    return period_make (FIRST_YEAR + at / MONTHS, at % MONTHS + 1);
}

//  The reference worked out once for a check: every region's cells and
//  years to date by the definition.
typedef struct {
    s_expected_t cell[MAX_REGIONS][INDICATORS][PERIODS];
    s_expected_t ytd[MAX_REGIONS][INDICATORS][PERIODS];
} s_expected_table_t;

static void
s_expect_all (const s_tree_t *tree, const s_reference_t *ref,
              s_expected_table_t *table)
{
    static s_expected_t standing[MAX_REGIONS][INDICATORS][PERIODS];
    for (int leaf = 0; leaf < tree->count; leaf++)
        for (int indicator = 0; tree->leaf[leaf] && indicator < INDICATORS;
             indicator++)
            for (int at = 0; at < PERIODS; at++)
                standing[leaf][indicator][at] =
                    s_leaf_standing (ref, leaf, indicator, at);
    for (int region = 0; region < tree->count; region++)
        for (int indicator = 0; indicator < INDICATORS; indicator++) {
            s_expected_t flow_sum = {false, 0};
            for (int at = 0; at < PERIODS; at++) {
                s_expected_t cell = {false, 0};
                if (tree->leaf[region])
                    cell = (s_expected_t){ref->present[region][indicator][at],
                                          ref->value[region][indicator][at]};
                else
                    for (int leaf = 0; leaf < tree->count; leaf++) {
                        s_expected_t part = standing[leaf][indicator][at];
                        if (tree->leaf[leaf] && part.present &&
                            s_below (tree, region, leaf)) {
                            cell.present = true;
                            cell.value += part.value;
                        }
                    }
                table->cell[region][indicator][at] = cell;
                if (at % MONTHS == 0)
                    flow_sum = (s_expected_t){false, 0};
                if (indicator == 0) {
                    if (cell.present) {
                        flow_sum.present = true;
                        flow_sum.value += cell.value;
                    }
                    table->ytd[region][indicator][at] = flow_sum;
                } else
                    table->ytd[region][indicator][at] =
                        tree->leaf[region] ? standing[region][indicator][at]
                                           : cell;
            }
        }
}

static void
s_check_expected (const char *what, int seed, int region, int indicator, int at,
                  bool present, jt_value_t value, s_expected_t expected)
{
    if (present != expected.present || (present && value != expected.value))
        fail_msg ("seed %d: %s n%d/%d/%d is %s%lld, expected %s%lld", seed,
                  what, region, indicator, at, present ? "" : "absent ",
                  (long long)value, expected.present ? "" : "absent ",
                  (long long)expected.value);
}

//  Every check of the header comment, for one store against the reference.
static void
s_check_all (const s_tree_t *tree, const s_expected_table_t *table,
             const store_t *store, int seed)
{
    for (int region = 0; region < tree->count; region++)
        for (int indicator = 0; indicator < INDICATORS; indicator++)
            for (int at = 0; at < PERIODS; at++) {
                int period = s_period (at);
                jt_value_t value = -1;
                bool present =
                    store_get (store, region, indicator, period, &value);
                s_check_expected ("cell", seed, region, indicator, at, present,
                                  value, table->cell[region][indicator][at]);
                present = store_ytd (store, region, indicator, period, &value);
                s_check_expected ("ytd", seed, region, indicator, at, present,
                                  value, table->ytd[region][indicator][at]);
                if (tree->leaf[region])
                    continue;
                //  The parent is the sum of its children as shown.
                bool any = false;
                jt_value_t sum = 0;
                for (int child = 1; child < tree->count; child++) {
                    jt_value_t shown;
                    if (tree->parent[child] == region &&
                        store_ytd (store, child, indicator, period, &shown)) {
                        any = true;
                        sum += shown;
                    }
                }
                s_check_expected ("sum of children", seed, region, indicator,
                                  at, any, sum,
                                  table->ytd[region][indicator][at]);
            }
}

static void
s_check_months_and_reports (const s_tree_t *tree, const s_reference_t *ref,
                            const s_expected_table_t *table,
                            const store_t *store)
{
    for (int region = 0; region < tree->count; region++)
        for (int at = 0; at < PERIODS; at++) {
            int period = s_period (at);
            bool reported = false;
            for (int leaf = 0; leaf < tree->count; leaf++)
                for (int indicator = 0; indicator < INDICATORS; indicator++)
                    if (tree->leaf[leaf] && s_below (tree, region, leaf) &&
                        ref->present[leaf][indicator][at])
                        reported = true;
            assert_int_equal (store_reported (store, region, period), reported);
            if (!tree->leaf[region])
                continue;
            for (int indicator = 0; indicator < INDICATORS; indicator++) {
                int from = PERIOD_NONE;
                if (indicator == 0) {
                    if (table->ytd[region][0][at].present)
                        from = period;
                } else
                    for (int back = at; back >= at - at % MONTHS; back--)
                        if (ref->present[region][indicator][back]) {
                            from = s_period (back);
                            break;
                        }
                assert_int_equal (
                    store_figure_month (store, region, indicator, period),
                    from);
            }
        }
}

//  One random update at a leaf, applied to the store and the reference.
static void
s_random_update (s_reference_t *ref, store_t *store, const int *leaves,
                 int leaf_count, int *progress)
{
    int pick = (int)s_random ((uint32_t)leaf_count);
    int leaf = leaves[pick];
    int indicator = (int)s_random (INDICATORS);
    int at;
    uint32_t kind = s_random (10);
    if (kind < 5) {
        //  The next month of this leaf, sometimes skipping one (a gap).
        at = progress[pick] + 1 + (s_random (4) == 0);
        if (at >= PERIODS)
            at = (int)s_random (PERIODS);
        progress[pick] = at;
    } else if (kind < 8)
        //  A late report or a restatement of an earlier month.
        at = progress[pick] >= 0 ? (int)s_random ((uint32_t)progress[pick] + 1)
                                 : 0;
    else
        //  December or January, of either year.
        at = (int[]){0, MONTHS - 1, MONTHS, PERIODS - 1}[s_random (4)];
    bool add = s_random (5) == 0;
    jt_value_t value = U (s_random (1000));
    assert_int_equal (
        store_apply (store, leaf, indicator, s_period (at), value, add), JT_OK);
    jt_value_t *cell = &ref->value[leaf][indicator][at];
    *cell = add && ref->present[leaf][indicator][at] ? *cell + value : value;
    ref->present[leaf][indicator][at] = true;
}

static int
s_put_leaf (const store_cell_t *cell, void *arg)
{
    store_t *rebuilt = arg;
    if (store_apply (rebuilt, cell->region, cell->indicator, cell->period,
                     cell->value, false) != JT_OK)
        return -1;
    return 0;
}

static int
s_leaf_only (const store_cell_t *cell, void *arg)
{
    const s_tree_t *tree = ((void **)arg)[0];
    if (!tree->leaf[cell->region])
        return 0;
    return s_put_leaf (cell, ((void **)arg)[1]);
}

static void
s_run_case (int seed)
{
    s_random_state =
        0x9E3779B97F4A7C15ULL ^ ((uint64_t)seed * 0x100000001B3ULL);
    s_random (2);
    s_tree_t tree;
    memset (&tree, 0, sizeof (tree));
    tree.count = 1;
    s_grow (&tree, 0, 1 + (int)s_random (5));
    char *text = s_catalogue_text (&tree);
    char *error = NULL;
    catalogue_t *catalogue = catalogue_new (text, "random.zpl", &error);
    if (!catalogue)
        fail_msg ("seed %d: %s\n%s", seed, error, text);
    free (text);
    store_t *store = store_new (catalogue);
    store_t *replica = store_new (catalogue);
    s_reference_t *ref = calloc (1, sizeof (s_reference_t));
    s_expected_table_t *table = malloc (sizeof (s_expected_table_t));
    assert_non_null (ref);
    assert_non_null (table);

    int leaves[MAX_REGIONS], leaf_count = 0, progress[MAX_REGIONS];
    for (int node = 0; node < tree.count; node++)
        if (tree.leaf[node]) {
            progress[leaf_count] = (int)s_random (PERIODS / 2) - 1;
            leaves[leaf_count++] = node;
        }

    int batches = 1 + (int)s_random (4);
    for (int batch = 0; batch < batches; batch++) {
        store_changes_begin (store);
        int updates = 1 + (int)s_random (24);
        for (int update = 0; update < updates; update++)
            s_random_update (ref, store, leaves, leaf_count, progress);
        store_cell_t cell;
        while (store_changes_next (store, &cell))
            store_put (replica, cell.region, cell.indicator, cell.period,
                       cell.value);
        s_expect_all (&tree, ref, table);
        s_check_all (&tree, table, store, seed);
    }
    s_check_months_and_reports (&tree, ref, table, store);
    s_check_all (&tree, table, replica, seed);
    assert_int_equal (store_cell_count (replica), store_cell_count (store));

    store_t *rebuilt = store_new (catalogue);
    void *args[2] = {&tree, rebuilt};
    assert_int_equal (store_visit (store, s_leaf_only, args), 0);
    s_check_all (&tree, table, rebuilt, seed);
    assert_int_equal (store_cell_count (rebuilt), store_cell_count (store));

    store_destroy (&rebuilt);
    free (table);
    free (ref);
    store_destroy (&replica);
    store_destroy (&store);
    catalogue_destroy (&catalogue);
}

static void
test_random_cities_match_the_reference (void **state)
{
    (void)state;
    for (int seed = 1; seed <= CASES; seed++)
        s_run_case (seed);
}

//  The reference itself, on the city, so that a wrong reference
//  cannot agree with a wrong store: B reported March 80, C April 120.
static void
test_reference_on_a_known_city (void **state)
{
    (void)state;
    s_tree_t tree = {.count = 3, .parent = {0, 0, 0}, .depth = {0, 1, 1}};
    free (s_catalogue_text (&tree)); //  marks the leaves
    s_reference_t *ref = calloc (1, sizeof (s_reference_t));
    s_expected_table_t *table = malloc (sizeof (s_expected_table_t));
    assert_non_null (ref);
    assert_non_null (table);
    int march = MONTHS + 2, april = MONTHS + 3;
    ref->present[1][1][march] = true;
    ref->value[1][1][march] = U (80);
    ref->present[2][1][april] = true;
    ref->value[2][1][april] = U (120);
    s_expect_all (&tree, ref, table);
    assert_int_equal (table->cell[0][1][april].value, U (200));
    assert_int_equal (table->ytd[0][1][april].value, U (200));
    assert_int_equal (table->cell[0][1][march].value, U (80));
    assert_int_equal (table->cell[0][1][PERIODS - 1].value, U (200));
    assert_false (table->cell[0][1][march - 1].present);
    assert_false (table->cell[0][1][march - MONTHS].present);
    assert_int_equal (table->ytd[1][1][april].value, U (80));
    assert_false (table->cell[1][1][april].present);
    free (table);
    free (ref);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_reference_on_a_known_city),
        cmocka_unit_test (test_random_cities_match_the_reference),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
