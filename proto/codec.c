/*  codec.c — wire bytes to jobtally structs and back; the only file that
    includes the generated protobuf-c header. */
#include "codec.h"
#include "jobtally.pb-c.h"

//  A bump allocator for protobuf-c's unpack: blocks are handed out from one
//  buffer and all released at once before the next decode. After a decode
//  that needed more than one block, the blocks are merged into one big
//  enough, so a warm codec decodes without touching malloc.
typedef struct _arena_block_t {
    struct _arena_block_t *next; //  older block, or NULL
    size_t size;                 //  bytes usable in data
    size_t used;                 //  bytes handed out
    max_align_t data[];          //  the memory handed out
} arena_block_t;

struct _codec_t {
    ProtobufCAllocator allocator; //  points back at this codec
    arena_block_t *arena;         //  newest block first
    size_t arena_total;           //  bytes of all blocks
    size_t arena_limit;           //  most bytes the arena may hold
    bool arena_exhausted;         //  a decode hit arena_limit
    Jobtally__Message *message;   //  last decoded message, in the arena
    jt_msg_type_t type;           //  its type
    jt_batch_t batch;             //  decoded views, valid until next decode
    jt_ack_t ack;
    wire_cells_t cells;
    wire_query_t query;
    wire_query_reply_t query_reply;
    wire_stats_t stats;
    void *views;               //  array behind batch.updates, cells...
    size_t views_size;         //  bytes allocated for views
    void *arrival_views;       //  array behind cells.arrivals, stats reasons
    size_t arrival_views_size; //  bytes allocated for arrival_views
    void *scratch;             //  encode: protobuf structs
    size_t scratch_size;
    void *pointers; //  encode: arrays of pointers to them
    size_t pointers_size;
    void *arrival_scratch; //  encode: Arrival or ReasonCount structs
    size_t arrival_scratch_size;
    void *arrival_pointers; //  encode: pointers to them
    size_t arrival_pointers_size;
};

static arena_block_t *
s_block_new (size_t size)
{
    arena_block_t *block = malloc (sizeof (arena_block_t) + size);
    assert (block);
    block->next = NULL;
    block->size = size;
    block->used = 0;
    return block;
}

static void *
s_arena_alloc (void *data, size_t size)
{
    codec_t *self = (codec_t *)data;
    size_t aligned =
        (size + sizeof (max_align_t) - 1) & ~(sizeof (max_align_t) - 1);
    if (aligned == 0)
        aligned = sizeof (max_align_t);
    arena_block_t *block = self->arena;
    if (!block || block->size - block->used < aligned) {
        size_t want = block ? block->size * 2 : 64 * 1024;
        if (want < aligned)
            want = aligned;
        if (self->arena_total + want > self->arena_limit) {
            want = aligned;
            if (self->arena_total + want > self->arena_limit) {
                self->arena_exhausted = true;
                return NULL;
            }
        }
        arena_block_t *fresh = s_block_new (want);
        fresh->next = block;
        self->arena = fresh;
        self->arena_total += want;
        block = fresh;
    }
    void *result = (char *)block->data + block->used;
    block->used += aligned;
    return result;
}

static void
s_arena_free (void *data, void *pointer)
{
    (void)data; //  released all at once in s_arena_reset
    (void)pointer;
}

//  Forget everything handed out. If the last decode spilled into several
//  blocks, replace them by one block of their total size.
static void
s_arena_reset (codec_t *self)
{
    if (self->arena && self->arena->next) {
        size_t total = self->arena_total;
        while (self->arena) {
            arena_block_t *next = self->arena->next;
            free (self->arena);
            self->arena = next;
        }
        self->arena = s_block_new (total);
    }
    if (self->arena)
        self->arena->used = 0;
    self->arena_exhausted = false;
}

//  Grow a reusable buffer to at least size bytes; returns it.
static void *
s_reserve (void **buffer, size_t *buffer_size, size_t size)
{
    if (*buffer_size < size) {
        size_t want = *buffer_size ? *buffer_size : 1024;
        while (want < size)
            want *= 2;
        free (*buffer);
        *buffer = malloc (want);
        assert (*buffer);
        *buffer_size = want;
    }
    return *buffer;
}

codec_t *
codec_new (size_t arena_limit)
{
    codec_t *self = calloc (1, sizeof (codec_t));
    assert (self);
    self->allocator.alloc = s_arena_alloc;
    self->allocator.free = s_arena_free;
    self->allocator.allocator_data = self;
    self->arena_limit = arena_limit;
    return self;
}

void
codec_destroy (codec_t **self_p)
{
    assert (self_p);
    codec_t *self = *self_p;
    if (self) {
        while (self->arena) {
            arena_block_t *next = self->arena->next;
            free (self->arena);
            self->arena = next;
        }
        free (self->views);
        free (self->arrival_views);
        free (self->scratch);
        free (self->pointers);
        free (self->arrival_scratch);
        free (self->arrival_pointers);
        free (self);
        *self_p = NULL;
    }
}

static void
s_decode_batch (codec_t *self, Jobtally__Batch *batch)
{
    jt_update_t *updates =
        s_reserve (&self->views, &self->views_size,
                   (batch->n_updates + 1) * sizeof (jt_update_t));
    for (size_t index = 0; index < batch->n_updates; index++) {
        Jobtally__Update *update = batch->updates[index];
        updates[index] = (jt_update_t){.region = update->region,
                                       .indicator = update->indicator,
                                       .period = update->period,
                                       .value = update->value,
                                       .add = update->add,
                                       .line = update->line,
                                       .reported = update->reported};
    }
    self->batch = (jt_batch_t){.source = batch->source,
                               .sequence = batch->sequence,
                               .update_count = batch->n_updates,
                               .updates = updates,
                               .previous = batch->previous};
}

//  Rejections and warnings share one shape on the wire.
static void
s_decode_rejections (Jobtally__Rejection **from, size_t count,
                     jt_rejection_t *to)
{
    for (size_t index = 0; index < count; index++)
        to[index] = (jt_rejection_t){.index = from[index]->index,
                                     .line = from[index]->line,
                                     .reason = from[index]->reason};
}

static void
s_decode_ack (codec_t *self, Jobtally__Ack *ack)
{
    //  One view array: the rejections, then the warnings.
    jt_rejection_t *rejections = s_reserve (
        &self->views, &self->views_size,
        (ack->n_rejections + ack->n_warnings + 1) * sizeof (jt_rejection_t));
    s_decode_rejections (ack->rejections, ack->n_rejections, rejections);
    s_decode_rejections (ack->warnings, ack->n_warnings,
                         rejections + ack->n_rejections);
    self->ack = (jt_ack_t){.source = ack->source,
                           .sequence = ack->sequence,
                           .applied = ack->applied,
                           .duplicate = ack->duplicate,
                           .error = ack->error,
                           .rejection_count = ack->n_rejections,
                           .rejections = rejections,
                           .out_of_order = ack->out_of_order,
                           .warning_count = ack->n_warnings,
                           .warnings = rejections + ack->n_rejections};
}

static void
s_decode_cells (codec_t *self, uint64_t sequence, bool last,
                Jobtally__Cell **cells, size_t cell_count,
                Jobtally__Arrival **arrivals, size_t arrival_count)
{
    jt_arrival_t *arrival_views =
        s_reserve (&self->arrival_views, &self->arrival_views_size,
                   (arrival_count + 1) * sizeof (jt_arrival_t));
    for (size_t index = 0; index < arrival_count; index++)
        arrival_views[index] =
            (jt_arrival_t){.region = arrivals[index]->region,
                           .period = arrivals[index]->period,
                           .reported = arrivals[index]->reported};
    jt_cell_t *views = s_reserve (&self->views, &self->views_size,
                                  (cell_count + 1) * sizeof (jt_cell_t));
    for (size_t index = 0; index < cell_count; index++)
        views[index] = (jt_cell_t){.region = cells[index]->region,
                                   .indicator = cells[index]->indicator,
                                   .period = cells[index]->period,
                                   .value = cells[index]->value};
    self->cells = (wire_cells_t){.sequence = sequence,
                                 .last = last,
                                 .cell_count = cell_count,
                                 .cells = views,
                                 .arrival_count = arrival_count,
                                 .arrivals = arrival_views};
}

static void
s_decode_query_reply (codec_t *self, Jobtally__QueryReply *reply)
{
    figure_row_t *rows =
        s_reserve (&self->views, &self->views_size,
                   (reply->n_rows + 1) * sizeof (figure_row_t));
    for (size_t index = 0; index < reply->n_rows; index++) {
        Jobtally__Row *row = reply->rows[index];
        rows[index] = (figure_row_t){.figure = -1,
                                     .name = row->name,
                                     .present = row->present,
                                     .value = row->value,
                                     .has_target = row->has_target,
                                     .target = row->target,
                                     .completion_pct = row->completion_pct,
                                     .pace_pct = row->pace_pct};
    }
    self->query_reply = (wire_query_reply_t){.error = reply->error,
                                             .region = reply->region,
                                             .period = reply->period,
                                             .reported = reply->reported,
                                             .expected = reply->expected,
                                             .sequence = reply->sequence,
                                             .row_count = reply->n_rows,
                                             .rows = rows};
}

//  Stats: the rows in views, every row's reasons one after the other in
//  arrival_views.
static void
s_decode_stats (codec_t *self, Jobtally__Stats *stats)
{
    size_t reason_total = 0;
    for (size_t index = 0; index < stats->n_sources; index++)
        reason_total += stats->sources[index]->n_refused;
    wire_source_stats_t *rows =
        s_reserve (&self->views, &self->views_size,
                   (stats->n_sources + 1) * sizeof (wire_source_stats_t));
    wire_reason_count_t *reasons =
        s_reserve (&self->arrival_views, &self->arrival_views_size,
                   (reason_total + 1) * sizeof (wire_reason_count_t));
    for (size_t index = 0; index < stats->n_sources; index++) {
        Jobtally__SourceStats *row = stats->sources[index];
        rows[index] = (wire_source_stats_t){.source = row->source,
                                            .batches = row->batches,
                                            .updates = row->updates,
                                            .duplicates = row->duplicates,
                                            .refused_count = row->n_refused,
                                            .refused = reasons};
        for (size_t at = 0; at < row->n_refused; at++)
            reasons[at] =
                (wire_reason_count_t){.reason = row->refused[at]->reason,
                                      .count = row->refused[at]->count};
        reasons += row->n_refused;
    }
    self->stats =
        (wire_stats_t){.uptime_ms = stats->uptime_ms,
                       .sequence = stats->sequence,
                       .batches = stats->batches,
                       .updates = stats->updates,
                       .duplicates = stats->duplicates,
                       .refused = stats->refused,
                       .connections_refused = stats->connections_refused,
                       .queries_refused = stats->queries_refused,
                       .source_count = stats->n_sources,
                       .sources = rows};
}

jt_msg_type_t
codec_decode (codec_t *self, const void *data, size_t size, const char **error)
{
    assert (self);
    const char *dummy;
    if (!error)
        error = &dummy;
    *error = NULL;
    s_arena_reset (self);
    self->type = JT_MSG_NONE;
    self->message = jobtally__message__unpack (&self->allocator, size,
                                               (const uint8_t *)data);
    if (!self->message) {
        *error = self->arena_exhausted ? "message too large to decode"
                                       : "not a jobtally message";
        return JT_MSG_NONE;
    }
    Jobtally__Message *message = self->message;
    if (message->version != CODEC_VERSION) {
        *error = "unsupported protocol version";
        return JT_MSG_NONE;
    }
    switch (message->body_case) {
    case JOBTALLY__MESSAGE__BODY_BATCH:
        s_decode_batch (self, message->batch);
        self->type = JT_MSG_BATCH;
        break;
    case JOBTALLY__MESSAGE__BODY_ACK:
        s_decode_ack (self, message->ack);
        self->type = JT_MSG_ACK;
        break;
    case JOBTALLY__MESSAGE__BODY_CHANGES:
        s_decode_cells (self, message->changes->sequence, false,
                        message->changes->cells, message->changes->n_cells,
                        message->changes->arrivals,
                        message->changes->n_arrivals);
        self->type = JT_MSG_CHANGES;
        break;
    case JOBTALLY__MESSAGE__BODY_HEARTBEAT:
        s_decode_cells (self, message->heartbeat->sequence, false, NULL, 0,
                        NULL, 0);
        self->type = JT_MSG_HEARTBEAT;
        break;
    case JOBTALLY__MESSAGE__BODY_SNAPSHOT_REQUEST:
        self->type = JT_MSG_SNAPSHOT_REQUEST;
        break;
    case JOBTALLY__MESSAGE__BODY_SNAPSHOT:
        s_decode_cells (self, message->snapshot->sequence,
                        message->snapshot->last, message->snapshot->cells,
                        message->snapshot->n_cells, message->snapshot->arrivals,
                        message->snapshot->n_arrivals);
        self->type = JT_MSG_SNAPSHOT;
        break;
    case JOBTALLY__MESSAGE__BODY_QUERY:
        self->query = (wire_query_t){.region = message->query->region,
                                     .period = message->query->period};
        self->type = JT_MSG_QUERY;
        break;
    case JOBTALLY__MESSAGE__BODY_QUERY_REPLY:
        s_decode_query_reply (self, message->query_reply);
        self->type = JT_MSG_QUERY_REPLY;
        break;
    case JOBTALLY__MESSAGE__BODY_STATS_REQUEST:
        self->type = JT_MSG_STATS_REQUEST;
        break;
    case JOBTALLY__MESSAGE__BODY_STATS:
        s_decode_stats (self, message->stats);
        self->type = JT_MSG_STATS;
        break;
    default:
        *error = "message has no body";
        return JT_MSG_NONE;
    }
    return self->type;
}

const jt_batch_t *
codec_batch (codec_t *self)
{
    return self->type == JT_MSG_BATCH ? &self->batch : NULL;
}

const jt_ack_t *
codec_ack (codec_t *self)
{
    return self->type == JT_MSG_ACK ? &self->ack : NULL;
}

const wire_cells_t *
codec_cells (codec_t *self)
{
    return self->type == JT_MSG_CHANGES || self->type == JT_MSG_SNAPSHOT ||
                   self->type == JT_MSG_HEARTBEAT
               ? &self->cells
               : NULL;
}

const wire_query_t *
codec_query (codec_t *self)
{
    return self->type == JT_MSG_QUERY ? &self->query : NULL;
}

const wire_query_reply_t *
codec_query_reply (codec_t *self)
{
    return self->type == JT_MSG_QUERY_REPLY ? &self->query_reply : NULL;
}

const wire_stats_t *
codec_stats (codec_t *self)
{
    return self->type == JT_MSG_STATS ? &self->stats : NULL;
}

//  Pack a filled Message into a new frame.
static zframe_t *
s_pack (Jobtally__Message *message)
{
    message->version = CODEC_VERSION;
    size_t size = jobtally__message__get_packed_size (message);
    zframe_t *frame = zframe_new (NULL, size);
    assert (frame);
    size_t packed = jobtally__message__pack (message, zframe_data (frame));
    assert (packed == size);
    (void)packed;
    return frame;
}

//  protobuf-c wants char * for strings it only reads when packing.
static char *
s_string (const char *text)
{
    return (char *)(text ? text : "");
}

zframe_t *
codec_encode_batch (codec_t *self, const jt_batch_t *batch)
{
    size_t count = batch->update_count;
    Jobtally__Update *updates =
        s_reserve (&self->scratch, &self->scratch_size,
                   (count + 1) * sizeof (Jobtally__Update));
    Jobtally__Update **pointers =
        s_reserve (&self->pointers, &self->pointers_size,
                   (count + 1) * sizeof (Jobtally__Update *));
    for (size_t index = 0; index < count; index++) {
        const jt_update_t *source = &batch->updates[index];
        jobtally__update__init (&updates[index]);
        updates[index].region = s_string (source->region);
        updates[index].indicator = s_string (source->indicator);
        updates[index].period = source->period;
        updates[index].value = source->value;
        updates[index].add = source->add;
        updates[index].line = source->line;
        updates[index].reported = source->reported;
        pointers[index] = &updates[index];
    }
    Jobtally__Batch body = JOBTALLY__BATCH__INIT;
    body.source = s_string (batch->source);
    body.sequence = batch->sequence;
    body.previous = batch->previous;
    body.n_updates = count;
    body.updates = pointers;
    Jobtally__Message message = JOBTALLY__MESSAGE__INIT;
    message.body_case = JOBTALLY__MESSAGE__BODY_BATCH;
    message.batch = &body;
    return s_pack (&message);
}

zframe_t *
codec_encode_ack (codec_t *self, const jt_ack_t *ack)
{
    //  One scratch array: the rejections, then the warnings.
    size_t count = ack->rejection_count + ack->warning_count;
    Jobtally__Rejection *rejections =
        s_reserve (&self->scratch, &self->scratch_size,
                   (count + 1) * sizeof (Jobtally__Rejection));
    Jobtally__Rejection **pointers =
        s_reserve (&self->pointers, &self->pointers_size,
                   (count + 1) * sizeof (Jobtally__Rejection *));
    for (size_t index = 0; index < count; index++) {
        const jt_rejection_t *from =
            index < ack->rejection_count
                ? &ack->rejections[index]
                : &ack->warnings[index - ack->rejection_count];
        jobtally__rejection__init (&rejections[index]);
        rejections[index].index = from->index;
        rejections[index].line = from->line;
        rejections[index].reason = s_string (from->reason);
        pointers[index] = &rejections[index];
    }
    Jobtally__Ack body = JOBTALLY__ACK__INIT;
    body.source = s_string (ack->source);
    body.sequence = ack->sequence;
    body.applied = ack->applied;
    body.duplicate = ack->duplicate;
    body.out_of_order = ack->out_of_order;
    body.error = s_string (ack->error);
    body.n_rejections = ack->rejection_count;
    body.rejections = pointers;
    body.n_warnings = ack->warning_count;
    body.warnings = pointers + ack->rejection_count;
    Jobtally__Message message = JOBTALLY__MESSAGE__INIT;
    message.body_case = JOBTALLY__MESSAGE__BODY_ACK;
    message.ack = &body;
    return s_pack (&message);
}

//  Fill the scratch arrays with cells; returns the pointer array.
static Jobtally__Cell **
s_cells (codec_t *self, const wire_cells_t *cells)
{
    size_t count = cells->cell_count;
    Jobtally__Cell *items = s_reserve (&self->scratch, &self->scratch_size,
                                       (count + 1) * sizeof (Jobtally__Cell));
    Jobtally__Cell **pointers =
        s_reserve (&self->pointers, &self->pointers_size,
                   (count + 1) * sizeof (Jobtally__Cell *));
    for (size_t index = 0; index < count; index++) {
        jobtally__cell__init (&items[index]);
        items[index].region = s_string (cells->cells[index].region);
        items[index].indicator = s_string (cells->cells[index].indicator);
        items[index].period = cells->cells[index].period;
        items[index].value = cells->cells[index].value;
        pointers[index] = &items[index];
    }
    return pointers;
}

//  Fill the arrival scratch arrays; returns the pointer array.
static Jobtally__Arrival **
s_arrivals (codec_t *self, const wire_cells_t *cells)
{
    size_t count = cells->arrival_count;
    Jobtally__Arrival *items =
        s_reserve (&self->arrival_scratch, &self->arrival_scratch_size,
                   (count + 1) * sizeof (Jobtally__Arrival));
    Jobtally__Arrival **pointers =
        s_reserve (&self->arrival_pointers, &self->arrival_pointers_size,
                   (count + 1) * sizeof (Jobtally__Arrival *));
    for (size_t index = 0; index < count; index++) {
        jobtally__arrival__init (&items[index]);
        items[index].region = s_string (cells->arrivals[index].region);
        items[index].period = cells->arrivals[index].period;
        items[index].reported = cells->arrivals[index].reported;
        pointers[index] = &items[index];
    }
    return pointers;
}

zframe_t *
codec_encode_changes (codec_t *self, const wire_cells_t *changes)
{
    Jobtally__Changes body = JOBTALLY__CHANGES__INIT;
    body.sequence = changes->sequence;
    body.n_cells = changes->cell_count;
    body.cells = s_cells (self, changes);
    body.n_arrivals = changes->arrival_count;
    body.arrivals = s_arrivals (self, changes);
    Jobtally__Message message = JOBTALLY__MESSAGE__INIT;
    message.body_case = JOBTALLY__MESSAGE__BODY_CHANGES;
    message.changes = &body;
    return s_pack (&message);
}

zframe_t *
codec_encode_heartbeat (codec_t *self, uint64_t sequence)
{
    (void)self;
    Jobtally__Heartbeat body = JOBTALLY__HEARTBEAT__INIT;
    body.sequence = sequence;
    Jobtally__Message message = JOBTALLY__MESSAGE__INIT;
    message.body_case = JOBTALLY__MESSAGE__BODY_HEARTBEAT;
    message.heartbeat = &body;
    return s_pack (&message);
}

zframe_t *
codec_encode_snapshot_request (codec_t *self)
{
    (void)self;
    Jobtally__SnapshotRequest body = JOBTALLY__SNAPSHOT_REQUEST__INIT;
    Jobtally__Message message = JOBTALLY__MESSAGE__INIT;
    message.body_case = JOBTALLY__MESSAGE__BODY_SNAPSHOT_REQUEST;
    message.snapshot_request = &body;
    return s_pack (&message);
}

zframe_t *
codec_encode_snapshot (codec_t *self, const wire_cells_t *chunk)
{
    Jobtally__Snapshot body = JOBTALLY__SNAPSHOT__INIT;
    body.sequence = chunk->sequence;
    body.last = chunk->last;
    body.n_cells = chunk->cell_count;
    body.cells = s_cells (self, chunk);
    body.n_arrivals = chunk->arrival_count;
    body.arrivals = s_arrivals (self, chunk);
    Jobtally__Message message = JOBTALLY__MESSAGE__INIT;
    message.body_case = JOBTALLY__MESSAGE__BODY_SNAPSHOT;
    message.snapshot = &body;
    return s_pack (&message);
}

zframe_t *
codec_encode_query (codec_t *self, const wire_query_t *query)
{
    (void)self;
    Jobtally__Query body = JOBTALLY__QUERY__INIT;
    body.region = s_string (query->region);
    body.period = query->period;
    Jobtally__Message message = JOBTALLY__MESSAGE__INIT;
    message.body_case = JOBTALLY__MESSAGE__BODY_QUERY;
    message.query = &body;
    return s_pack (&message);
}

zframe_t *
codec_encode_query_reply (codec_t *self, const wire_query_reply_t *reply)
{
    size_t count = reply->row_count;
    Jobtally__Row *rows = s_reserve (&self->scratch, &self->scratch_size,
                                     (count + 1) * sizeof (Jobtally__Row));
    Jobtally__Row **pointers =
        s_reserve (&self->pointers, &self->pointers_size,
                   (count + 1) * sizeof (Jobtally__Row *));
    for (size_t index = 0; index < count; index++) {
        const figure_row_t *row = &reply->rows[index];
        jobtally__row__init (&rows[index]);
        rows[index].name = s_string (row->name);
        rows[index].present = row->present;
        rows[index].value = row->value;
        rows[index].has_target = row->has_target;
        rows[index].target = row->target;
        rows[index].completion_pct = row->completion_pct;
        rows[index].pace_pct = row->pace_pct;
        pointers[index] = &rows[index];
    }
    Jobtally__QueryReply body = JOBTALLY__QUERY_REPLY__INIT;
    body.error = s_string (reply->error);
    body.region = s_string (reply->region);
    body.period = reply->period;
    body.reported = reply->reported;
    body.expected = reply->expected;
    body.sequence = reply->sequence;
    body.n_rows = count;
    body.rows = pointers;
    Jobtally__Message message = JOBTALLY__MESSAGE__INIT;
    message.body_case = JOBTALLY__MESSAGE__BODY_QUERY_REPLY;
    message.query_reply = &body;
    return s_pack (&message);
}

zframe_t *
codec_encode_stats_request (codec_t *self)
{
    (void)self;
    Jobtally__StatsRequest body = JOBTALLY__STATS_REQUEST__INIT;
    Jobtally__Message message = JOBTALLY__MESSAGE__INIT;
    message.body_case = JOBTALLY__MESSAGE__BODY_STATS_REQUEST;
    message.stats_request = &body;
    return s_pack (&message);
}

zframe_t *
codec_encode_stats (codec_t *self, const wire_stats_t *stats)
{
    size_t count = stats->source_count, reason_total = 0;
    for (size_t index = 0; index < count; index++)
        reason_total += stats->sources[index].refused_count;
    Jobtally__SourceStats *rows =
        s_reserve (&self->scratch, &self->scratch_size,
                   (count + 1) * sizeof (Jobtally__SourceStats));
    Jobtally__SourceStats **pointers =
        s_reserve (&self->pointers, &self->pointers_size,
                   (count + 1) * sizeof (Jobtally__SourceStats *));
    Jobtally__ReasonCount *reasons =
        s_reserve (&self->arrival_scratch, &self->arrival_scratch_size,
                   (reason_total + 1) * sizeof (Jobtally__ReasonCount));
    Jobtally__ReasonCount **reason_pointers =
        s_reserve (&self->arrival_pointers, &self->arrival_pointers_size,
                   (reason_total + 1) * sizeof (Jobtally__ReasonCount *));
    for (size_t index = 0; index < count; index++) {
        const wire_source_stats_t *row = &stats->sources[index];
        jobtally__source_stats__init (&rows[index]);
        rows[index].source = s_string (row->source);
        rows[index].batches = row->batches;
        rows[index].updates = row->updates;
        rows[index].duplicates = row->duplicates;
        rows[index].n_refused = row->refused_count;
        rows[index].refused = reason_pointers;
        for (size_t at = 0; at < row->refused_count; at++) {
            jobtally__reason_count__init (reasons);
            reasons->reason = s_string (row->refused[at].reason);
            reasons->count = row->refused[at].count;
            *reason_pointers++ = reasons++;
        }
        pointers[index] = &rows[index];
    }
    Jobtally__Stats body = JOBTALLY__STATS__INIT;
    body.uptime_ms = stats->uptime_ms;
    body.sequence = stats->sequence;
    body.batches = stats->batches;
    body.updates = stats->updates;
    body.duplicates = stats->duplicates;
    body.refused = stats->refused;
    body.connections_refused = stats->connections_refused;
    body.queries_refused = stats->queries_refused;
    body.n_sources = count;
    body.sources = pointers;
    Jobtally__Message message = JOBTALLY__MESSAGE__INIT;
    message.body_case = JOBTALLY__MESSAGE__BODY_STATS;
    message.stats = &body;
    return s_pack (&message);
}
