/*  snapshot.c — save and load the aggregator's state (see snapshot.h). */
#include "snapshot.h"
#include "period.h"
#include "app.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#define SNAPSHOT_MAGIC "JTSNAPSH"

//  A growing byte buffer the file is built in.
typedef struct {
    byte *data;   //  bytes written so far
    size_t size;  //  bytes used
    size_t alloc; //  bytes allocated
} s_buffer_t;

static void
s_put (s_buffer_t *buffer, const void *bytes, size_t size)
{
    if (buffer->size + size > buffer->alloc) {
        buffer->alloc = buffer->alloc ? buffer->alloc : 64 * 1024;
        while (buffer->size + size > buffer->alloc)
            buffer->alloc *= 2;
        buffer->data = realloc (buffer->data, buffer->alloc);
        assert (buffer->data);
    }
    memcpy (buffer->data + buffer->size, bytes, size);
    buffer->size += size;
}

static void
s_put_u32 (s_buffer_t *buffer, uint32_t value)
{
    byte bytes[4];
    for (int index = 0; index < 4; index++)
        bytes[index] = (byte)(value >> (8 * index));
    s_put (buffer, bytes, 4);
}

static void
s_put_u64 (s_buffer_t *buffer, uint64_t value)
{
    byte bytes[8];
    for (int index = 0; index < 8; index++)
        bytes[index] = (byte)(value >> (8 * index));
    s_put (buffer, bytes, 8);
}

static void
s_put_id (s_buffer_t *buffer, const char *id)
{
    size_t length = strlen (id);
    assert (length <= 255);
    byte size = (byte)length;
    s_put (buffer, &size, 1);
    s_put (buffer, id, length);
}

typedef struct {
    const catalogue_t *catalogue; //  to tell leaves
    s_buffer_t *buffer;           //  where cells go
    uint64_t count;               //  leaf cells written
} s_writer_t;

static int
s_write_cell (const store_cell_t *cell, void *arg)
{
    s_writer_t *writer = (s_writer_t *)arg;
    if (catalogue_region (writer->catalogue, cell->region)->child_count > 0)
        return 0;
    s_put_u32 (writer->buffer, (uint32_t)cell->region);
    s_put_u32 (writer->buffer, (uint32_t)cell->indicator);
    s_put_u32 (writer->buffer, period_yyyymm (cell->period));
    s_put_u64 (writer->buffer, (uint64_t)cell->value);
    writer->count++;
    return 0;
}

static int
s_write_arrival (const store_arrival_t *arrival, void *arg)
{
    s_writer_t *writer = (s_writer_t *)arg;
    s_put_u32 (writer->buffer, (uint32_t)arrival->region);
    s_put_u32 (writer->buffer, period_yyyymm (arrival->period));
    s_put_u32 (writer->buffer, period_day_yyyymmdd (arrival->day));
    writer->count++;
    return 0;
}

//  The file's bytes, CRC included.
static void
s_encode (s_buffer_t *buffer, const catalogue_t *catalogue,
          const store_t *store, const snapshot_state_t *state)
{
    s_put (buffer, SNAPSHOT_MAGIC, 8);
    s_put_u32 (buffer, SNAPSHOT_VERSION);
    s_put_u64 (buffer, state->sequence);
    s_put_u64 (buffer, state->generation);
    int sources = catalogue_source_count (catalogue);
    s_put_u32 (buffer, (uint32_t)sources);
    for (int index = 0; index < sources; index++) {
        const source_state_t *source = &state->sources[index];
        s_put_id (buffer, catalogue_source (catalogue, index)->id);
        s_put_u64 (buffer, source->applied.last);
        s_put_u64 (buffer, source->applied.below);
        s_put_u64 (buffer, source->last_ack_sequence);
        s_put_u64 (buffer, source->last_ack_digest);
        size_t ack_size = source->last_ack ? zframe_size (source->last_ack) : 0;
        s_put_u32 (buffer, (uint32_t)ack_size);
        if (ack_size)
            s_put (buffer, zframe_data (source->last_ack), ack_size);
    }
    int regions = catalogue_region_count (catalogue);
    s_put_u32 (buffer, (uint32_t)regions);
    for (int index = 0; index < regions; index++)
        s_put_id (buffer, catalogue_region (catalogue, index)->id);
    int indicators = catalogue_indicator_count (catalogue);
    s_put_u32 (buffer, (uint32_t)indicators);
    for (int index = 0; index < indicators; index++)
        s_put_id (buffer, catalogue_indicator (catalogue, index)->id);

    //  Counts go in front of their records: reserve, then fill in.
    s_writer_t writer = {catalogue, buffer, 0};
    size_t count_at = buffer->size;
    s_put_u64 (buffer, 0);
    store_visit (store, s_write_cell, &writer);
    for (int index = 0; index < 8; index++)
        buffer->data[count_at + index] = (byte)(writer.count >> (8 * index));
    writer.count = 0;
    count_at = buffer->size;
    s_put_u64 (buffer, 0);
    store_visit_arrivals (store, s_write_arrival, &writer);
    for (int index = 0; index < 8; index++)
        buffer->data[count_at + index] = (byte)(writer.count >> (8 * index));
    s_put_u32 (buffer, jt_crc32c (0, buffer->data, buffer->size));
}

int
snapshot_save (const char *dir, int dir_fd, const catalogue_t *catalogue,
               const store_t *store, const snapshot_state_t *state,
               char **error)
{
    assert (dir && catalogue && store && state && error);
    *error = NULL;
    s_buffer_t buffer = {NULL, 0, 0};
    s_encode (&buffer, catalogue, store, state);
    char *path = zsys_sprintf ("%s/snapshot", dir);
    char *temporary = zsys_sprintf ("%s/snapshot.tmp", dir);
    char *previous = zsys_sprintf ("%s/snapshot.prev", dir);
    char *previous_temporary = zsys_sprintf ("%s/snapshot.prev.tmp", dir);
    int fd = open (temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool good = fd >= 0 && app_write_all (fd, buffer.data, buffer.size) == 0 &&
                fsync (fd) == 0;
    if (fd >= 0 && close (fd) != 0)
        good = false;
    const char *failed = good ? NULL : temporary;
    //  The one it replaces becomes snapshot.prev, by a hard link renamed
    //  into place, so that a crash at any step leaves a snapshot.
    unlink (previous_temporary);
    if (good && zsys_file_exists (path)) {
        good = link (path, previous_temporary) == 0 &&
               rename (previous_temporary, previous) == 0;
        failed = good ? NULL : previous;
    }
    if (good) {
        good = rename (temporary, path) == 0 && fsync (dir_fd) == 0;
        failed = good ? NULL : path;
    }
    if (!good) {
        *error = zsys_sprintf ("cannot write %s: %s", failed, strerror (errno));
        //  Not left for the next attempt, or the next reader, to trip on.
        unlink (temporary);
    }
    free (buffer.data);
    zstr_free (&path);
    zstr_free (&temporary);
    zstr_free (&previous);
    zstr_free (&previous_temporary);
    return good ? 0 : -1;
}

//  A cursor over the file being loaded; a read past the end marks it
//  short and yields zeros.
typedef struct {
    const byte *data; //  the file
    size_t size;      //  its bytes, CRC excluded
    size_t at;        //  next byte
    bool short_read;  //  a read went past the end
} s_reader_t;

static const byte *
s_take (s_reader_t *reader, size_t size)
{
    if (reader->short_read || reader->size - reader->at < size) {
        reader->short_read = true;
        return NULL;
    }
    const byte *bytes = reader->data + reader->at;
    reader->at += size;
    return bytes;
}

static uint64_t
s_get (s_reader_t *reader, int size)
{
    const byte *bytes = s_take (reader, (size_t)size);
    uint64_t value = 0;
    for (int index = 0; bytes && index < size; index++)
        value |= (uint64_t)bytes[index] << (8 * index);
    return value;
}

//  Read an id into buffer (256 bytes).
static void
s_get_id (s_reader_t *reader, char *buffer)
{
    size_t length = (size_t)s_get (reader, 1);
    const byte *bytes = s_take (reader, length);
    memcpy (buffer, bytes ? (const char *)bytes : "", bytes ? length : 0);
    buffer[bytes ? length : 0] = 0;
}

//  Read a table of ids into a map from table index to catalogue index,
//  -1 for an id the catalogue no longer has; *ids keeps the ids for
//  messages. The caller frees both.
typedef int (s_find_fn) (const catalogue_t *catalogue, const char *id);

static int *
s_read_table (s_reader_t *reader, const catalogue_t *catalogue, s_find_fn *find,
              uint32_t *count, char (**ids)[256])
{
    *count = (uint32_t)s_get (reader, 4);
    //  Every id takes at least one byte: a count beyond that is corrupt.
    if (*count > reader->size - reader->at)
        *count = 0, reader->short_read = true;
    int *map = malloc (((size_t)*count + 1) * sizeof (int));
    *ids = malloc (((size_t)*count + 1) * 256);
    assert (map && *ids);
    for (uint32_t index = 0; index < *count; index++) {
        s_get_id (reader, (*ids)[index]);
        map[index] = find (catalogue, (*ids)[index]);
    }
    return map;
}

//  Fill the store and state from the file's bytes (CRC checked).
static int
s_decode (s_reader_t *reader, const char *path, const catalogue_t *catalogue,
          store_t *store, snapshot_state_t *state, char **error)
{
    const byte *magic = s_take (reader, 8);
    if (!magic || memcmp (magic, SNAPSHOT_MAGIC, 8) != 0) {
        *error = zsys_sprintf ("%s: not a jobtally snapshot", path);
        return -1;
    }
    uint32_t version = (uint32_t)s_get (reader, 4);
    if (version != SNAPSHOT_VERSION) {
        *error = zsys_sprintf ("%s: snapshot format %u, this aggregator reads "
                               "format %d",
                               path, version, SNAPSHOT_VERSION);
        return -1;
    }
    state->sequence = s_get (reader, 8);
    state->generation = s_get (reader, 8);
    uint32_t sources = (uint32_t)s_get (reader, 4);
    for (uint32_t index = 0; index < sources && !reader->short_read; index++) {
        char id[256];
        s_get_id (reader, id);
        applied_t applied;
        applied.last = s_get (reader, 8);
        applied.below = s_get (reader, 8);
        uint64_t ack_sequence = s_get (reader, 8);
        uint64_t ack_digest = s_get (reader, 8);
        size_t ack_size = (size_t)s_get (reader, 4);
        const byte *ack = s_take (reader, ack_size);
        if (reader->short_read)
            break;
        int source = catalogue_source_find (catalogue, id);
        if (source < 0) {
            *error = zsys_sprintf ("%s: source '%s' is not in the catalogue "
                                   "any more; put it back, or start with "
                                   "another --state directory",
                                   path, id);
            return -1;
        }
        source_state_t *target = &state->sources[source];
        target->applied = applied;
        target->last_ack_sequence = ack_sequence;
        target->last_ack_digest = ack_digest;
        zframe_destroy (&target->last_ack);
        if (ack_size)
            target->last_ack = zframe_new (ack, ack_size);
    }
    uint32_t region_count = 0, indicator_count = 0;
    char (*region_ids)[256] = NULL, (*indicator_ids)[256] = NULL;
    int *regions = s_read_table (reader, catalogue, catalogue_region_find,
                                 &region_count, &region_ids);
    int *indicators = s_read_table (reader, catalogue, catalogue_indicator_find,
                                    &indicator_count, &indicator_ids);
    uint64_t cells = s_get (reader, 8);
    for (uint64_t index = 0; index < cells && !reader->short_read && !*error;
         index++) {
        uint32_t region = (uint32_t)s_get (reader, 4);
        uint32_t indicator = (uint32_t)s_get (reader, 4);
        int period = period_from_yyyymm ((uint32_t)s_get (reader, 4));
        jt_value_t value = (jt_value_t)s_get (reader, 8);
        if (reader->short_read)
            break;
        if (region >= region_count || indicator >= indicator_count ||
            period == PERIOD_NONE)
            *error =
                zsys_sprintf ("%s: cell %" PRIu64 " is corrupt", path, index);
        else if (regions[region] < 0 || indicators[indicator] < 0)
            *error = zsys_sprintf (
                "%s: %s '%s' is not in the catalogue any more; put it back, "
                "or start with another --state directory",
                path, regions[region] < 0 ? "region" : "indicator",
                regions[region] < 0 ? region_ids[region]
                                    : indicator_ids[indicator]);
        else {
            jt_error_t code =
                store_apply (store, regions[region], indicators[indicator],
                             period, value, false);
            if (code != JT_OK)
                *error = zsys_sprintf (
                    "%s: cell %s %s %06u cannot be "
                    "loaded: %s",
                    path, region_ids[region], indicator_ids[indicator],
                    period_yyyymm (period), jt_strerror (code));
        }
    }
    uint64_t arrivals = *error ? 0 : s_get (reader, 8);
    for (uint64_t index = 0; index < arrivals && !reader->short_read && !*error;
         index++) {
        uint32_t region = (uint32_t)s_get (reader, 4);
        int period = period_from_yyyymm ((uint32_t)s_get (reader, 4));
        int day = period_day_from_yyyymmdd ((uint32_t)s_get (reader, 4));
        if (reader->short_read)
            break;
        if (region >= region_count || period == PERIOD_NONE ||
            day == PERIOD_DAY_NONE)
            *error = zsys_sprintf ("%s: arrival %" PRIu64 " is corrupt", path,
                                   index);
        else if (regions[region] < 0)
            *error = zsys_sprintf (
                "%s: region '%s' is not in the catalogue any more; put it "
                "back, or start with another --state directory",
                path, region_ids[region]);
        else if (catalogue_region (catalogue, regions[region])->child_count)
            *error = zsys_sprintf ("%s: region '%s' is no longer a leaf", path,
                                   region_ids[region]);
        else
            store_mark_reported (store, regions[region], period, day);
    }
    free (regions);
    free (indicators);
    free (region_ids);
    free (indicator_ids);
    if (!*error && (reader->short_read || reader->at != reader->size))
        *error = zsys_sprintf ("%s: snapshot is corrupt (%s)", path,
                               reader->short_read ? "cut short"
                                                  : "bytes after the end");
    //  A loaded store has nothing to publish as changed.
    store_changes_begin (store);
    return *error ? -1 : 0;
}

int
snapshot_load (const char *path, const catalogue_t *catalogue, store_t *store,
               snapshot_state_t *state, char **error)
{
    assert (path && catalogue && store && state && error);
    *error = NULL;
    int fd = open (path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return 0;
    size_t size = 0;
    byte *data = NULL;
    if (fd >= 0) {
        off_t end = lseek (fd, 0, SEEK_END);
        if (end >= 0 && lseek (fd, 0, SEEK_SET) == 0) {
            data = malloc ((size_t)end + 1);
            assert (data);
            while (size < (size_t)end) {
                ssize_t got = read (fd, data + size, (size_t)end - size);
                if (got < 0 && errno == EINTR)
                    continue;
                if (got <= 0)
                    break;
                size += (size_t)got;
            }
            if (size != (size_t)end) {
                free (data);
                data = NULL;
                errno = errno ? errno : EIO;
            }
        }
        close (fd);
    }
    if (!data) {
        *error = zsys_sprintf ("cannot read %s: %s", path, strerror (errno));
        return -1;
    }
    int rc = -1;
    if (size < 4 ||
        jt_crc32c (0, data, size - 4) !=
            ((uint32_t)data[size - 4] | (uint32_t)data[size - 3] << 8 |
             (uint32_t)data[size - 2] << 16 | (uint32_t)data[size - 1] << 24))
        *error =
            zsys_sprintf ("%s: snapshot is corrupt (checksum mismatch)", path);
    else {
        s_reader_t reader = {data, size - 4, 0, false};
        rc = s_decode (&reader, path, catalogue, store, state, error);
    }
    free (data);
    return rc < 0 ? -1 : 1;
}
