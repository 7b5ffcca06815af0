/*  codec.h — the one module that sees protobuf-c. It turns wire bytes into
    jobtally's own structs and back. Decoding uses a bounded arena that is
    reused from message to message, so a warm decoder does not allocate;
    what a decode returns is borrowed and valid until the next decode on the
    same codec. Encoding returns a fresh zframe_t the caller owns. */
#ifndef JT_CODEC_H_INCLUDED
#define JT_CODEC_H_INCLUDED

#include <czmq.h>
#include "../core/jt.h"
#include "../core/figures.h"
#include "../core/update.h"

#define CODEC_VERSION 1

typedef enum {
    JT_MSG_NONE = 0, //  not decoded
    JT_MSG_BATCH,
    JT_MSG_ACK,
    JT_MSG_CHANGES,
    JT_MSG_HEARTBEAT,
    JT_MSG_SNAPSHOT_REQUEST,
    JT_MSG_SNAPSHOT,
    JT_MSG_QUERY,
    JT_MSG_QUERY_REPLY,
    JT_MSG_STATS_REQUEST,
    JT_MSG_STATS
} jt_msg_type_t;

//  Changes (PUB) and snapshot chunks share one shape; last is used only by
//  snapshots, and heartbeats carry only the sequence. Cells and arrivals
//  map one to one onto the wire's Cell and Arrival (cell.h resolves them).
typedef struct {
    uint64_t sequence;
    bool last;
    size_t cell_count;
    jt_cell_t *cells;
    size_t arrival_count;
    jt_arrival_t *arrivals;
} wire_cells_t;

typedef struct {
    const char *region;
    uint32_t period;
} wire_query_t;

typedef struct {
    const char *error; //  NULL or "" when answered
    const char *region;
    uint32_t period;
    uint32_t reported;
    uint32_t expected;
    uint64_t sequence;
    size_t row_count;
    figure_row_t *rows; //  name and the fields the wire has; limit unset
} wire_query_reply_t;

//  How many refusals one reason made for one source.
typedef struct {
    const char *reason; //  jt_strerror text
    uint64_t count;
} wire_reason_count_t;

//  One source's row of the aggregator's stats.
typedef struct {
    const char *source; //  source id, or "(unknown)"
    uint64_t batches;   //  batches applied
    uint64_t updates;   //  updates applied
    uint64_t duplicates;
    size_t refused_count; //  reasons with a count
    wire_reason_count_t *refused;
} wire_source_stats_t;

//  The aggregator's counters since it started.
typedef struct {
    uint64_t uptime_ms;
    uint64_t sequence; //  state sequence
    uint64_t batches;  //  totals of the rows
    uint64_t updates;
    uint64_t duplicates;
    uint64_t refused;
    uint64_t connections_refused; //  handshakes refused
    uint64_t queries_refused;     //  frames refused on the query socket
    size_t source_count;
    wire_source_stats_t *sources;
} wire_stats_t;

typedef struct _codec_t codec_t;

//  Create a codec whose decode arena never grows past arena_limit bytes
//  (a message needing more is refused as malformed).
codec_t *codec_new (size_t arena_limit);

void codec_destroy (codec_t **self_p);

//  Decode one message body. Returns its type, or JT_MSG_NONE with *error set
//  to a borrowed reason when the bytes are not a valid version-1 Message.
jt_msg_type_t codec_decode (codec_t *self, const void *data, size_t size,
                            const char **error);

//  The body last decoded, borrowed until the next decode; NULL when the
//  last decode was of another type.
const jt_batch_t *codec_batch (codec_t *self);
const jt_ack_t *codec_ack (codec_t *self);
//  Changes, snapshot chunk or heartbeat (cell_count and arrival_count 0).
const wire_cells_t *codec_cells (codec_t *self);
const wire_query_t *codec_query (codec_t *self);
const wire_query_reply_t *codec_query_reply (codec_t *self);
const wire_stats_t *codec_stats (codec_t *self);

//  Encoders: each returns a new frame the caller owns.
zframe_t *codec_encode_batch (codec_t *self, const jt_batch_t *batch);
zframe_t *codec_encode_ack (codec_t *self, const jt_ack_t *ack);
zframe_t *codec_encode_changes (codec_t *self, const wire_cells_t *changes);
zframe_t *codec_encode_heartbeat (codec_t *self, uint64_t sequence);
zframe_t *codec_encode_snapshot_request (codec_t *self);
zframe_t *codec_encode_snapshot (codec_t *self, const wire_cells_t *chunk);
zframe_t *codec_encode_query (codec_t *self, const wire_query_t *query);
zframe_t *codec_encode_query_reply (codec_t *self,
                                    const wire_query_reply_t *reply);
zframe_t *codec_encode_stats_request (codec_t *self);
zframe_t *codec_encode_stats (codec_t *self, const wire_stats_t *stats);

#endif
