/*  ingest.c — the exactly-once engine: each source's batches decided and
    applied once. */
#include "ingest.h"
#include "check.h"
#include "period.h"
#include "quality.h"
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _ingest_t {
    const catalogue_t *catalogue;       //  borrowed
    size_t max_updates;                 //  a larger batch is refused whole
    store_t *store;                     //  the rollup
    stats_t *stats;                     //  live batches' counters
    ingest_source_t *sources;           //  per catalogue source; each
                                        //  last_ack made by s_ack_copy
    jt_rejection_t *rejections;         //  scratch: refused updates of an ack
    char (*reasons)[CHECK_REASON_SIZE]; //  scratch: text of each rejection
    jt_rejection_t *warnings;           //  scratch: flagged updates of an ack
    quality_finding_t *findings;        //  scratch: text of each warning
    size_t capacity;                    //  entries in all four
    char reason[512];                   //  scratch: a whole batch's error
};

ingest_t *
ingest_new (const catalogue_t *catalogue, size_t max_updates)
{
    assert (catalogue);
    ingest_t *self = (ingest_t *)calloc (1, sizeof (ingest_t));
    assert (self);
    self->catalogue = catalogue;
    self->max_updates = max_updates;
    self->store = store_new (catalogue);
    self->stats = stats_new (catalogue);
    self->sources = (ingest_source_t *)calloc (
        (size_t)catalogue_source_count (catalogue) + 1,
        sizeof (ingest_source_t));
    assert (self->store && self->stats && self->sources);
    return self;
}

void
ingest_destroy (ingest_t **self_p)
{
    assert (self_p);
    ingest_t *self = *self_p;
    if (self) {
        ingest_reset (self);
        free (self->sources);
        free (self->rejections);
        free (self->reasons);
        free (self->warnings);
        free (self->findings);
        store_destroy (&self->store);
        stats_destroy (&self->stats);
        free (self);
        *self_p = NULL;
    }
}

//  The digest reads eight bytes a step, little-endian, so that a digest
//  kept in a snapshot is the same on any machine: a byte at a time
//  (FNV-1a before) cost a tenth of the aggregator's time on batches of
//  1,000 updates.
uint64_t
ingest_digest (const void *data, size_t size)
{
    const uint8_t *bytes = (const uint8_t *)data;
    uint64_t hash = 0x9E3779B97F4A7C15ULL ^ size;
    size_t index = 0;
    for (; index + 8 <= size; index += 8) {
        const uint8_t *word_bytes = bytes + index;
        uint64_t word =
            (uint64_t)word_bytes[0] | (uint64_t)word_bytes[1] << 8 |
            (uint64_t)word_bytes[2] << 16 | (uint64_t)word_bytes[3] << 24 |
            (uint64_t)word_bytes[4] << 32 | (uint64_t)word_bytes[5] << 40 |
            (uint64_t)word_bytes[6] << 48 | (uint64_t)word_bytes[7] << 56;
        hash = (hash ^ word) * 0xFF51AFD7ED558CCDULL;
        hash ^= hash >> 32;
    }
    for (; index < size; index++)
        hash = (hash ^ bytes[index]) * 1099511628211ULL;
    hash ^= hash >> 29;
    return hash * 0xC4CEB9FE1A85EC53ULL;
}

//  Bytes a string takes in an ack copy.
static size_t
s_string_size (const char *text)
{
    return text ? strlen (text) + 1 : 0;
}

//  Copy text to *cursor, moving it on; NULL stays NULL.
static const char *
s_string_copy (const char *text, char **cursor)
{
    if (!text)
        return NULL;
    size_t size = strlen (text) + 1;
    char *copy = memcpy (*cursor, text, size);
    *cursor += size;
    return copy;
}

//  A deep copy of ack in one block, the caller's to free ().
static jt_ack_t *
s_ack_copy (const jt_ack_t *ack)
{
    size_t rows = ack->rejection_count + ack->warning_count;
    size_t size = sizeof (jt_ack_t) + rows * sizeof (jt_rejection_t) +
                  s_string_size (ack->source) + s_string_size (ack->error);
    for (size_t index = 0; index < ack->rejection_count; index++)
        size += s_string_size (ack->rejections[index].reason);
    for (size_t index = 0; index < ack->warning_count; index++)
        size += s_string_size (ack->warnings[index].reason);
    jt_ack_t *copy = (jt_ack_t *)malloc (size);
    assert (copy);
    *copy = *ack;
    jt_rejection_t *table = (jt_rejection_t *)(copy + 1);
    char *cursor = (char *)(table + rows);
    copy->source = s_string_copy (ack->source, &cursor);
    copy->error = s_string_copy (ack->error, &cursor);
    copy->rejections = ack->rejection_count ? table : NULL;
    copy->warnings = ack->warning_count ? table + ack->rejection_count : NULL;
    for (size_t index = 0; index < rows; index++) {
        bool rejection = index < ack->rejection_count;
        const jt_rejection_t *row =
            rejection ? &ack->rejections[index]
                      : &ack->warnings[index - ack->rejection_count];
        table[index] = *row;
        table[index].reason = s_string_copy (row->reason, &cursor);
    }
    return copy;
}

void
ingest_reset (ingest_t *self)
{
    assert (self);
    store_clear (self->store);
    int count = catalogue_source_count (self->catalogue);
    for (int index = 0; index < count; index++) {
        free ((jt_ack_t *)self->sources[index].last_ack);
        memset (&self->sources[index], 0, sizeof (ingest_source_t));
    }
}

store_t *
ingest_store (ingest_t *self)
{
    assert (self);
    return self->store;
}

stats_t *
ingest_stats (ingest_t *self)
{
    assert (self);
    return self->stats;
}

const ingest_source_t *
ingest_source (const ingest_t *self, int source)
{
    assert (self);
    assert (source >= 0 && source < catalogue_source_count (self->catalogue));
    return &self->sources[source];
}

void
ingest_restore (ingest_t *self, int source, const applied_t *applied,
                uint64_t last_ack_sequence, uint64_t last_ack_digest,
                const jt_ack_t *last_ack)
{
    assert (self && applied);
    assert (source >= 0 && source < catalogue_source_count (self->catalogue));
    ingest_source_t *state = &self->sources[source];
    free ((jt_ack_t *)state->last_ack);
    *state =
        (ingest_source_t){.applied = *applied,
                          .last_ack_sequence = last_ack_sequence,
                          .last_ack_digest = last_ack_digest,
                          .last_ack = last_ack ? s_ack_copy (last_ack) : NULL};
}

//  Make room for count rejections and as many warnings in the scratch
//  arrays.
static void
s_reserve (ingest_t *self, size_t count)
{
    if (count <= self->capacity)
        return;
    size_t capacity = self->capacity ? self->capacity : 64;
    while (capacity < count)
        capacity *= 2;
    free (self->rejections);
    free (self->reasons);
    free (self->warnings);
    free (self->findings);
    self->rejections = malloc (capacity * sizeof (jt_rejection_t));
    self->reasons = malloc (capacity * CHECK_REASON_SIZE);
    self->warnings = malloc (capacity * sizeof (jt_rejection_t));
    self->findings = malloc (capacity * sizeof (quality_finding_t));
    assert (self->rejections && self->reasons && self->warnings &&
            self->findings);
    self->capacity = capacity;
}

//  The day an update was filed: the date it carries, which must be a
//  calendar date, not before its month and not after tomorrow (a county's
//  clock may run a few hours ahead); without one, today. Returns JT_OK and
//  *day, or JT_ERR_BAD_DATE with the reason written.
static jt_error_t
s_report_day (const jt_update_t *update, int period, int today, int *day,
              char *reason)
{
    *day = today;
    if (update->reported == 0)
        return JT_OK;
    char shown[32], month[PERIOD_TEXT_SIZE];
    snprintf (shown, sizeof shown, "%04u-%02u-%02u", update->reported / 10000,
              update->reported / 100 % 100, update->reported % 100);
    *day = period_day_from_yyyymmdd (update->reported);
    if (*day == PERIOD_DAY_NONE)
        snprintf (reason, CHECK_REASON_SIZE, "bad report date '%s'", shown);
    else if (*day < period_first_day (period))
        snprintf (reason, CHECK_REASON_SIZE, "bad report date '%s': before %s",
                  shown, period_format (period, month));
    else if (today != PERIOD_DAY_NONE && *day > today + 1)
        snprintf (reason, CHECK_REASON_SIZE,
                  "bad report date '%s': in the future", shown);
    else
        return JT_OK;
    *day = PERIOD_DAY_NONE;
    return JT_ERR_BAD_DATE;
}

//  Whether a batch is refused whole though counted as done: too many
//  updates, or a region not assigned to its source. Returns JT_OK, or the
//  error with its text in self->reason.
static jt_error_t
s_refused_whole (ingest_t *self, int source, const jt_batch_t *batch)
{
    if (batch->update_count > self->max_updates) {
        snprintf (self->reason, sizeof self->reason,
                  "%s: %zu updates, at most %zu", jt_strerror (JT_ERR_TOO_MANY),
                  batch->update_count, self->max_updates);
        return JT_ERR_TOO_MANY;
    }
    //  Authority first: a batch that writes a region not assigned to its
    //  source is refused whole and changes nothing (docs/security.md),
    //  unlike ordinary bad rows, which are refused one by one.
    check_memo_t memo = {0};
    for (size_t index = 0; index < batch->update_count; index++) {
        const char *region_id = batch->updates[index].region;
        int region = check_region_find (self->catalogue, &memo, region_id);
        if (region >= 0 &&
            !catalogue_source_allows (self->catalogue, source, region)) {
            snprintf (self->reason, CHECK_REASON_SIZE,
                      "%s: '%s' is not %s's; batch refused",
                      jt_strerror (JT_ERR_NOT_ASSIGNED), region_id,
                      catalogue_source (self->catalogue, source)->id);
            return JT_ERR_NOT_ASSIGNED;
        }
    }
    return JT_OK;
}

//  Apply each update of a batch taken: each valid one lands, each invalid
//  one is refused with its reason in the ack and changes nothing.
static void
s_apply_updates (ingest_t *self, int source, const jt_batch_t *batch, int today,
                 bool live, jt_ack_t *ack)
{
    s_reserve (self, batch->update_count + 1);
    check_memo_t memo = {0};
    for (size_t index = 0; index < batch->update_count; index++) {
        const jt_update_t *update = &batch->updates[index];
        int region, indicator, day = PERIOD_DAY_NONE;
        int period = period_from_yyyymm (update->period);
        char *reason = self->reasons[ack->rejection_count];
        jt_error_t code = JT_ERR_BAD_PERIOD;
        if (period == PERIOD_NONE)
            snprintf (reason, CHECK_REASON_SIZE, "%s %u", jt_strerror (code),
                      update->period);
        else
            code = check_update_memo (self->catalogue, self->store, &memo,
                                      source, update->region, update->indicator,
                                      period, today, update->value, update->add,
                                      &region, &indicator, reason);
        if (code == JT_OK)
            code = s_report_day (update, period, today, &day, reason);
        //  Plausible bounds, against the month before as the store holds it
        //  now: a warning, or for a strict indicator a refusal.
        quality_finding_t *finding = &self->findings[ack->warning_count];
        if (code == JT_OK &&
            (code = quality_check_update (self->catalogue, self->store, region,
                                          indicator, period, update->value,
                                          update->add, finding)) != JT_OK)
            snprintf (reason, CHECK_REASON_SIZE, "%.*s", CHECK_REASON_SIZE - 1,
                      finding->text);
        if (code == JT_OK) {
            //  check_update ran store_check: the store must agree.
            jt_error_t applied =
                store_apply (self->store, region, indicator, period,
                             update->value, update->add);
            assert (applied == JT_OK);
            (void)applied;
            ack->applied++;
            //  The month's report arrived on its earliest day (DESIGN §3.3).
            if (day != PERIOD_DAY_NONE)
                store_mark_reported (self->store, region, period, day);
            if (finding->flag != QUALITY_OK) {
                if (live)
                    stats_flagged (self->stats, source);
                self->warnings[ack->warning_count++] =
                    (jt_rejection_t){.index = (uint32_t)index,
                                     .line = update->line,
                                     .reason = finding->text};
            }
        } else {
            if (live)
                stats_refused (self->stats, source, code);
            self->rejections[ack->rejection_count++] =
                (jt_rejection_t){.index = (uint32_t)index,
                                 .line = update->line,
                                 .reason = reason};
        }
    }
    ack->rejections = self->rejections;
    ack->warnings = self->warnings;
}

//  The batch's sequence is applied now, and result->ack is the source's
//  latest, re-sent as is when that batch comes again.
static void
s_mark_applied (ingest_t *self, int source, uint64_t digest,
                ingest_result_t *result)
{
    ingest_source_t *state = &self->sources[source];
    applied_mark (&state->applied, result->ack.sequence);
    free ((jt_ack_t *)state->last_ack);
    state->last_ack = s_ack_copy (&result->ack);
    state->last_ack_sequence = result->ack.sequence;
    state->last_ack_digest = digest;
    result->changed = true;
}

//  Decide, before anything is applied, whether the batch is taken: sets
//  result->outcome and the ack for any batch not taken, and returns false
//  then.
static bool
s_taken (ingest_t *self, int source, const jt_batch_t *batch, uint64_t digest,
         bool live, ingest_result_t *result)
{
    jt_ack_t *ack = &result->ack;
    ingest_source_t *state = &self->sources[source];
    if (batch->sequence == 0 || batch->previous >= batch->sequence) {
        //  A collector numbers from 1, and names the batch it sent before.
        snprintf (self->reason, sizeof self->reason, "%s: %s",
                  jt_strerror (JT_ERR_BAD_SEQUENCE),
                  batch->sequence == 0 ? "sequence must start at 1"
                                       : "previous must be below sequence");
        ack->error = self->reason;
        result->outcome = INGEST_BAD_SEQUENCE;
        if (live)
            stats_refused (self->stats, source, JT_ERR_BAD_SEQUENCE);
        return false;
    }
    if (applied_contains (&state->applied, batch->sequence)) {
        //  Applied before: re-ack, never re-apply (DESIGN §3.5). The latest
        //  batch gets its own ack again, with its rejections, unless these
        //  are other figures under a reused sequence. A batch far below the
        //  latest is an old resend still queued on the way (its ack was
        //  lost while later batches went on): applied, as applied.h says
        //  why.
        result->outcome = INGEST_DUPLICATE;
        bool latest = batch->sequence == state->last_ack_sequence;
        if (latest && state->last_ack && digest == state->last_ack_digest)
            *ack = *state->last_ack;
        else if (latest) {
            ack->duplicate = true;
            ack->error = "sequence reused: sequence already used for other "
                         "figures (was the collector's state directory "
                         "lost?)";
            result->outcome = INGEST_REUSED;
        } else
            ack->duplicate = true;
        if (live && result->outcome == INGEST_REUSED)
            stats_refused (self->stats, source, JT_ERR_SEQUENCE_REUSED);
        else if (live)
            stats_duplicate (self->stats, source);
        return false;
    }
    if (batch->previous &&
        !applied_contains (&state->applied, batch->previous)) {
        //  The batch before it was lost on the way (a dropped connection):
        //  applying this one first could let older figures overwrite it.
        ack->out_of_order = true;
        ack->error = "out of order: the batch before it was not applied yet";
        result->outcome = INGEST_OUT_OF_ORDER;
        if (live)
            stats_refused (self->stats, source, JT_ERR_OUT_OF_ORDER);
        return false;
    }
    return true;
}

void
ingest_batch (ingest_t *self, const jt_batch_t *batch, uint64_t digest,
              int today, const ingest_replay_t *replay, ingest_result_t *result)
{
    assert (self && batch && result);
    bool live = replay == NULL;
    //  Echo the source only when it is an id: it may be anything.
    *result = (ingest_result_t){
        .source = catalogue_source_find (self->catalogue, batch->source),
        .refusal = JT_OK,
        .ack = {.source = jt_id_valid (batch->source) ? batch->source : "",
                .sequence = batch->sequence}};
    int source = result->source;
    if (source < 0) {
        result->outcome = INGEST_UNKNOWN_SOURCE;
        result->ack.error = "unknown source";
        if (live)
            stats_refused (self->stats, STATS_UNKNOWN, JT_ERR_UNKNOWN_SOURCE);
        return;
    }
    if (!s_taken (self, source, batch, digest, live, result))
        return;
    //  Replayed from the journal, which kept only the decision.
    if (replay && replay->refusal != JT_OK)
        snprintf (self->reason, sizeof self->reason, "%s", replay->reason);
    result->refusal =
        replay ? replay->refusal : s_refused_whole (self, source, batch);
    if (result->refusal != JT_OK) {
        //  Refused for good: counts as done, so later batches can follow.
        result->outcome = INGEST_REFUSED;
        result->ack.error = self->reason;
        if (live)
            stats_refused (self->stats, source, result->refusal);
    } else {
        result->outcome = INGEST_APPLIED;
        s_apply_updates (self, source, batch, today, live, &result->ack);
        if (live)
            stats_applied (self->stats, source, result->ack.applied);
    }
    s_mark_applied (self, source, digest, result);
}
