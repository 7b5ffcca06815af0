/*  bench.c — shared benchmark helpers (see bench.h). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

//  Letter of each level's ids below the root: city, district, street,
//  village/community, group.
static const char s_level_letters[BENCH_DEPTH] = {'c', 'd', 's', 'v', 'g'};

int64_t
bench_now_ns (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

uint64_t
bench_random (uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static int
s_compare_doubles (const void *left, const void *right)
{
    double a = *(const double *)left;
    double b = *(const double *)right;
    return (a > b) - (a < b);
}

bench_stats_t
bench_stats (double *samples, int count)
{
    assert (count > 0);
    qsort (samples, (size_t)count, sizeof (double), s_compare_doubles);
    bench_stats_t stats = {
        .median = count % 2 ? samples[count / 2]
                            : (samples[count / 2 - 1] + samples[count / 2]) / 2,
        .min = samples[0],
        .max = samples[count - 1]};
    return stats;
}

//  Write the children of the region with id parent, at level (1 for the
//  root's children), indented one step further than their parent.
static void
s_write_children (FILE *out, const char *parent, int level,
                  const int fanouts[BENCH_DEPTH])
{
    if (level > BENCH_DEPTH)
        return;
    for (int child = 0; child < fanouts[level - 1]; child++) {
        char id[128];
        snprintf (id, sizeof id, "%s.%c%d", parent, s_level_letters[level - 1],
                  child);
        fprintf (out, "%*s%s\n", 4 * (level + 1), "", id);
        s_write_children (out, id, level + 1, fanouts);
    }
}

char *
bench_catalogue_text (const int fanouts[BENCH_DEPTH], int indicator_count,
                      const char *time)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    if (!out)
        abort ();
    fprintf (out, "catalogue\n    year = 2003\n");
    fprintf (out, "regions\n    prov\n");
    s_write_children (out, "prov", 1, fanouts);
    fprintf (out, "indicators\n");
    for (int indicator = 0; indicator < indicator_count; indicator++)
        fprintf (out, "    indicator_%03d\n        time = %s\n", indicator,
                 time);
    if (fclose (out) != 0)
        abort ();
    return text;
}

catalogue_t *
bench_catalogue_new (const int fanouts[BENCH_DEPTH], int indicator_count)
{
    return bench_catalogue_timed (fanouts, indicator_count, "flow");
}

catalogue_t *
bench_catalogue_timed (const int fanouts[BENCH_DEPTH], int indicator_count,
                       const char *time)
{
    char *text = bench_catalogue_text (fanouts, indicator_count, time);
    char *error = NULL;
    catalogue_t *catalogue = catalogue_new (text, "bench", &error);
    free (text);
    if (!catalogue) {
        fprintf (stderr, "bench: synthetic catalogue refused: %s\n", error);
        abort ();
    }
    return catalogue;
}

int *
bench_leaves (const catalogue_t *catalogue, int *count)
{
    int region_count = catalogue_region_count (catalogue);
    int *leaves = malloc ((size_t)region_count * sizeof (int));
    if (!leaves)
        abort ();
    *count = 0;
    for (int region = 0; region < region_count; region++)
        if (catalogue_region (catalogue, region)->child_count == 0)
            leaves[(*count)++] = region;
    return leaves;
}

jt_update_t
bench_random_update (const catalogue_t *catalogue, const int *leaves,
                     int leaf_count, int indicator_count, uint32_t line,
                     uint64_t *seed)
{
    int leaf = leaves[bench_random (seed) % (uint64_t)leaf_count];
    int indicator = (int)(bench_random (seed) % (uint64_t)indicator_count);
    uint32_t period = 200301 + (uint32_t)(bench_random (seed) % 12);
    jt_value_t value = (jt_value_t)(bench_random (seed) % 100001) * JT_SCALE;
    return (jt_update_t){.region = catalogue_region (catalogue, leaf)->id,
                         .indicator =
                             catalogue_indicator (catalogue, indicator)->id,
                         .period = period,
                         .value = value,
                         .line = line};
}

char *
bench_thousands (double value, char *buffer)
{
    char digits[32];
    snprintf (digits, sizeof digits, "%.0f", value);
    size_t length = strlen (digits);
    size_t out = 0;
    for (size_t index = 0; index < length; index++) {
        if (index > 0 && digits[index - 1] != '-' && (length - index) % 3 == 0)
            buffer[out++] = ',';
        buffer[out++] = digits[index];
    }
    buffer[out] = '\0';
    return buffer;
}
