/*  journal.c — the state directory and the journal (see journal.h). */
#include "journal.h"
#include "jt.h"
#include "app.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define LAZY_SYNC_MS 1000        //  lazy policy: fsync at most this often
#define SEQUENCE_FILE "sequence" //  the state sequences reserved
#define GROUP_KEEP (1024 * 1024) //  group buffer kept between commits
#define REFUSAL_DAY 0x40000000u  //  day's bit 30: a refusal record
#define REFUSAL_FIXED 28         //  sequence, previous, digest, code

struct _journal_t {
    char *dir;               //  the state directory
    int dir_fd;              //  open on it, for fsync after create, rename
    int lock_fd;             //  dir/lock, flocked for our lifetime
    journal_policy_t policy; //  when to write and fsync
    uint64_t segment;        //  number of the current segment
    int fd;                  //  the current segment, or -1 not yet open
    char *path;              //  its path
    byte *group;             //  records gathered, not yet written
    size_t group_size;       //  bytes used in group
    size_t group_alloc;      //  bytes allocated in group
    size_t group_records;    //  records in group
    zactor_t *writer;        //  durable: writes and fsyncs the flight
    bool committing;         //  the writer has the flight
    byte *flight;            //  the group the writer is writing
    size_t flight_size;      //  bytes used in flight
    size_t flight_alloc;     //  bytes allocated in flight
    size_t flight_records;   //  records in flight
    uint64_t reserved;       //  state sequences reserved (dir/sequence)
    bool unsynced;           //  written but not yet fsynced (lazy)
    int64_t synced_at;       //  zclock_mono of the last fsync
};

static void
s_put32 (byte *at, uint32_t value)
{
    for (int index = 0; index < 4; index++)
        at[index] = (byte)(value >> (8 * index));
}

static uint32_t
s_get32 (const byte *at)
{
    return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 |
           (uint32_t)at[3] << 24;
}

static void
s_put64 (byte *at, uint64_t value)
{
    s_put32 (at, (uint32_t)value);
    s_put32 (at + 4, (uint32_t)(value >> 32));
}

static uint64_t
s_get64 (const byte *at)
{
    return (uint64_t)s_get32 (at) | (uint64_t)s_get32 (at + 4) << 32;
}

static char *
s_segment_path (journal_t *self, uint64_t segment)
{
    char *path =
        zsys_sprintf ("%s/journal-%06" PRIu64 ".log", self->dir, segment);
    assert (path);
    return path;
}

//  The segment number a file name stands for, or 0 when it is no segment.
static uint64_t
s_segment_number (const char *name)
{
    unsigned long long number;
    int length = 0;
    if (strncmp (name, "journal-", 8) != 0 ||
        sscanf (name + 8, "%llu.log%n", &number, &length) != 1 ||
        name[8 + length] != 0 || name[8] < '0' || name[8] > '9')
        return 0;
    return (uint64_t)number;
}

static int
s_compare (const void *left, const void *right)
{
    uint64_t a = *(const uint64_t *)left, b = *(const uint64_t *)right;
    return a < b ? -1 : a > b;
}

//  Every segment number in the directory, sorted; *count of them. The
//  caller frees the array. NULL with errno when the directory is unread.
static uint64_t *
s_segments (journal_t *self, size_t *count)
{
    DIR *handle = opendir (self->dir);
    if (!handle)
        return NULL;
    size_t alloc = 16;
    uint64_t *numbers = malloc (alloc * sizeof (uint64_t));
    assert (numbers);
    *count = 0;
    struct dirent *entry;
    while ((entry = readdir (handle))) {
        uint64_t number = s_segment_number (entry->d_name);
        if (number == 0)
            continue;
        if (*count == alloc) {
            alloc *= 2;
            numbers = realloc (numbers, alloc * sizeof (uint64_t));
            assert (numbers);
        }
        numbers[(*count)++] = number;
    }
    closedir (handle);
    qsort (numbers, *count, sizeof (uint64_t), s_compare);
    return numbers;
}

//  mkdir with mode 0700; parents are made as zsys would (0755).
static int
s_make_dir (const char *dir)
{
    if (mkdir (dir, 0700) == 0 || errno == EEXIST)
        return 0;
    if (errno != ENOENT)
        return -1;
    char *parent = strdup (dir);
    assert (parent);
    char *slash = strrchr (parent, '/');
    int rc = -1;
    if (slash && slash != parent) {
        *slash = 0;
        rc = zsys_dir_create ("%s", parent);
    }
    free (parent);
    if (rc == 0 && mkdir (dir, 0700) != 0 && errno != EEXIST)
        rc = -1;
    return rc;
}

//  Fill in the CRC-32C of every record in a group about to be written.
static void
s_seal (byte *group, size_t size)
{
    size_t offset = 0;
    while (offset < size) {
        byte *header = group + offset;
        uint32_t payload = s_get32 (header + 4);
        s_put32 (header + 8,
                 jt_crc32c (0, header + JOURNAL_HEADER, (size_t)payload));
        offset += JOURNAL_HEADER + payload;
    }
}

//  The writer thread (durable policy): on each "FLUSH" it seals the
//  flight (its CRCs), writes it to the open segment and fsyncs it, then answers
//  with 0 or the errno of what failed. The main thread touches neither the
//  flight nor the segment meanwhile.
static void
s_writer (zsock_t *pipe, void *args)
{
    journal_t *self = (journal_t *)args;
    //  Signals are the main thread's: one taken here would end the wait
    //  for a command, and the thread with it.
    sigset_t all;
    sigfillset (&all);
    pthread_sigmask (SIG_BLOCK, &all, NULL);
    zsock_signal (pipe, 0);
    while (true) {
        char *command = zstr_recv (pipe);
        if (!command || streq (command, "$TERM")) {
            zstr_free (&command);
            break;
        }
        int failure = 0;
        s_seal (self->flight, self->flight_size);
        if (app_write_all (self->fd, self->flight, self->flight_size) != 0 ||
            fdatasync (self->fd) != 0)
            failure = errno ? errno : EIO;
        zstr_free (&command);
        zsock_send (pipe, "i", failure);
    }
}

//  Read dir/sequence into self->reserved (0 when there is none). NULL,
//  or the error as a fresh string.
static char *
s_read_reserved (journal_t *self)
{
    int fd = openat (self->dir_fd, SEQUENCE_FILE, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT
                   ? NULL
                   : zsys_sprintf ("cannot open %s/%s: %s", self->dir,
                                   SEQUENCE_FILE, strerror (errno));
    size_t size = 0;
    char *text = app_read_all (fd, &size);
    int saved = errno;
    close (fd);
    if (!text)
        return zsys_sprintf ("cannot read %s/%s: %s", self->dir, SEQUENCE_FILE,
                             strerror (saved));
    unsigned long long value = 0;
    int length = 0;
    char *error = NULL;
    if (sscanf (text, "%20llu\n%n", &value, &length) != 1 ||
        (size_t)length != size || value == 0)
        error = zsys_sprintf ("%s/%s is damaged: expected one state sequence "
                              "on a line; remove it to start anyway, and "
                              "restart the reporters",
                              self->dir, SEQUENCE_FILE);
    else
        self->reserved = (uint64_t)value;
    free (text);
    return error;
}

uint64_t
journal_sequence_reserved (journal_t *self)
{
    assert (self);
    return self->reserved;
}

int
journal_sequence_reserve (journal_t *self, uint64_t through)
{
    assert (self && through > 0);
    char text[32];
    int length = snprintf (text, sizeof text, "%" PRIu64 "\n", through);
    if (app_write_file_at (self->dir_fd, SEQUENCE_FILE, text, (size_t)length,
                           true) != 0 ||
        fsync (self->dir_fd) != 0)
        return -1;
    self->reserved = through;
    return 0;
}

journal_t *
journal_new (const char *dir, journal_policy_t policy, char **error)
{
    assert (dir && error);
    *error = NULL;
    journal_t *self = (journal_t *)zmalloc (sizeof (journal_t));
    assert (self);
    self->dir = strdup (dir);
    assert (self->dir);
    self->policy = policy;
    self->fd = -1;
    self->lock_fd = -1;
    self->dir_fd = -1;
    self->synced_at = zclock_mono ();
    if (s_make_dir (dir) != 0)
        *error = zsys_sprintf ("cannot create state directory %s: %s", dir,
                               strerror (errno));
    else if ((self->dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) <
             0)
        *error = zsys_sprintf ("cannot open state directory %s: %s", dir,
                               strerror (errno));
    else {
        char *lock_path = zsys_sprintf ("%s/lock", dir);
        self->lock_fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (self->lock_fd < 0)
            *error = zsys_sprintf ("cannot open %s: %s", lock_path,
                                   strerror (errno));
        else if (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0)
            *error = errno == EWOULDBLOCK
                         ? zsys_sprintf ("another aggregator is using the "
                                         "state directory %s (%s is locked)",
                                         dir, lock_path)
                         : zsys_sprintf ("cannot lock %s: %s", lock_path,
                                         strerror (errno));
        zstr_free (&lock_path);
    }
    if (!*error)
        *error = s_read_reserved (self);
    if (!*error) {
        self->segment = journal_last_segment (self) + 1;
        self->path = s_segment_path (self, self->segment);
        if (policy == JOURNAL_DURABLE) {
            self->writer = zactor_new (s_writer, self);
            assert (self->writer);
        }
    }
    if (*error) {
        journal_destroy (&self);
        return NULL;
    }
    return self;
}

//  fsync and close the current segment, if open.
static void
s_close_segment (journal_t *self)
{
    assert (!self->committing);
    if (self->fd < 0)
        return;
    if (self->unsynced && fdatasync (self->fd) != 0)
        log_error ("journal: cannot fsync %s: %s", self->path,
                   strerror (errno));
    self->unsynced = false;
    close (self->fd);
    self->fd = -1;
}

void
journal_destroy (journal_t **self_p)
{
    assert (self_p);
    journal_t *self = *self_p;
    if (!self)
        return;
    if (self->committing && journal_commit_end (self) < 0)
        log_error ("journal: cannot write %s: %s", self->path,
                   strerror (errno));
    zactor_destroy (&self->writer);
    s_close_segment (self);
    if (self->lock_fd >= 0)
        close (self->lock_fd); //  releases the flock
    if (self->dir_fd >= 0)
        close (self->dir_fd);
    free (self->group);
    free (self->flight);
    zstr_free (&self->path);
    free (self->dir);
    free (self);
    *self_p = NULL;
}

const char *
journal_dir (journal_t *self)
{
    assert (self);
    return self->dir;
}

int
journal_dir_fd (journal_t *self)
{
    assert (self);
    return self->dir_fd;
}

const char *
journal_path (journal_t *self)
{
    assert (self);
    return self->path;
}

int
journal_policy_parse (const char *text)
{
    if (streq (text, "durable"))
        return JOURNAL_DURABLE;
    if (streq (text, "lazy"))
        return JOURNAL_LAZY;
    if (streq (text, "off"))
        return JOURNAL_OFF;
    return -1;
}

uint64_t
journal_first_segment (journal_t *self)
{
    size_t count = 0;
    uint64_t *numbers = s_segments (self, &count);
    uint64_t first = numbers && count ? numbers[0] : 0;
    free (numbers);
    return first;
}

uint64_t
journal_last_segment (journal_t *self)
{
    size_t count = 0;
    uint64_t *numbers = s_segments (self, &count);
    uint64_t last = numbers && count ? numbers[count - 1] : 0;
    free (numbers);
    return last;
}

//  Why the record at offset cannot be used, or NULL when it can; *length
//  is its payload length when it can.
static const char *
s_check_record (const byte *data, size_t size, size_t offset, size_t *length)
{
    if (size - offset < JOURNAL_HEADER)
        return "short record header";
    if (s_get32 (data + offset) != JOURNAL_MAGIC)
        return "bad magic";
    *length = s_get32 (data + offset + 4);
    if (*length > JOURNAL_MAX_PAYLOAD || *length < 5)
        return "bad length";
    if (size - offset - JOURNAL_HEADER < *length)
        return "short record";
    const byte *payload = data + offset + JOURNAL_HEADER;
    if (jt_crc32c (0, payload, *length) != s_get32 (data + offset + 8))
        return "checksum mismatch";
    if ((size_t)payload[0] + 5 > *length)
        return "bad source length";
    return NULL;
}

//  The offset of the first good record (magic, bounded length, CRC) after
//  the bad one at offset, or size when none follows: then the bad one is
//  a tail torn by a crash, else the segment is damaged.
static size_t
s_next_good_record (const byte *data, size_t size, size_t offset)
{
    for (size_t at = offset + 1; size - at >= JOURNAL_HEADER; at++) {
        size_t length;
        if (data[at] == (JOURNAL_MAGIC & 0xFF) &&
            !s_check_record (data, size, at, &length))
            return at;
    }
    return size;
}

//  Keep a copy of a segment's bytes as path.damaged before --rebuild cuts
//  or skips any of them; an earlier copy is kept as it is. Returns 0, or
//  -1 with *error.
static int
s_copy_aside (const char *path, const byte *data, size_t size, char **error)
{
    char *copy = zsys_sprintf ("%s.damaged", path);
    int fd = open (copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) {
        log_warning ("journal: %s is there already: kept as it is", copy);
        zstr_free (&copy);
        return 0;
    }
    bool good =
        fd >= 0 && app_write_all (fd, data, size) == 0 && fsync (fd) == 0;
    if (fd >= 0 && close (fd) != 0)
        good = false;
    if (good)
        log_warning ("journal: %s is damaged: a copy is kept as %s", path,
                     copy);
    else
        *error = zsys_sprintf ("cannot copy the damaged %s to %s: %s", path,
                               copy, strerror (errno));
    zstr_free (&copy);
    return good ? 0 : -1;
}

//  Replay one segment. A bad record with nothing good after it, in the
//  last segment, is a torn tail: dropped, the segment cut there. Any
//  other bad record is damage: the replay fails, or when tolerant the
//  segment is copied aside and the bad record skipped (see journal_replay).
static int64_t
s_replay_segment (journal_t *self, uint64_t segment, bool last, bool tolerant,
                  journal_replay_fn *replay, void *arg, char **error)
{
    char *path = s_segment_path (self, segment);
    int fd = open (path, O_RDWR | O_CLOEXEC);
    size_t size = 0;
    byte *data = fd >= 0 ? app_read_all (fd, &size) : NULL;
    if (!data) {
        *error = zsys_sprintf ("cannot read %s: %s", path, strerror (errno));
        if (fd >= 0)
            close (fd);
        zstr_free (&path);
        return -1;
    }
    int64_t records = 0;
    size_t offset = 0;
    bool copied = false;
    while (offset < size && !*error) {
        size_t length = 0;
        const char *damage = s_check_record (data, size, offset, &length);
        if (damage) {
            size_t next = s_next_good_record (data, size, offset);
            bool torn = next == size && last;
            if (!tolerant && next < size)
                *error = zsys_sprintf (
                    "%s: %s at offset %zu, with good records after it (the "
                    "first at offset %zu): the journal is damaged, not torn by "
                    "a crash, and acknowledged batches follow; start with "
                    "--rebuild to keep every good record (the segment is "
                    "copied to %s.damaged first)",
                    path, damage, offset, next, path);
            else if (!tolerant && !torn)
                *error = zsys_sprintf (
                    "%s: %s at offset %zu, before the last segment: the "
                    "journal is damaged; start with --rebuild to keep what "
                    "is before it (and what later segments hold)",
                    path, damage, offset);
            else if (tolerant && !copied &&
                     s_copy_aside (path, data, size, error) == 0)
                copied = true;
            if (*error)
                break;
            if (next < size) {
                log_warning ("journal: %s: %s at offset %zu: skipped %zu "
                             "%s of damage (--rebuild); replay goes on at "
                             "offset %zu",
                             path, damage, offset, next - offset,
                             jt_plural (next - offset, "byte", "bytes"), next);
                offset = next;
                continue;
            }
            log_warning ("journal: %s: %s at offset %zu: dropped the last "
                         "%zu %s (%s)",
                         path, damage, offset, size - offset,
                         jt_plural (size - offset, "byte", "bytes"),
                         torn ? "a record never acknowledged, torn by a "
                                "crash"
                              : "--rebuild");
            if (ftruncate (fd, (off_t)offset) != 0 || fsync (fd) != 0)
                *error = zsys_sprintf ("cannot truncate %s: %s", path,
                                       strerror (errno));
            break;
        }
        const byte *payload = data + offset + JOURNAL_HEADER;
        char source[256];
        memcpy (source, payload + 1, payload[0]);
        source[payload[0]] = 0;
        size_t batch_at = 1 + (size_t)payload[0] + 4;
        uint32_t day = s_get32 (payload + 1 + payload[0]);
        journal_record_t record = {.source = source,
                                   .day = (int)(day & ~REFUSAL_DAY),
                                   .batch = payload + batch_at,
                                   .size = length - batch_at};
        journal_refusal_t refusal;
        char reason[512];
        if (day & REFUSAL_DAY) {
            const byte *at = record.batch;
            size_t text =
                record.size < REFUSAL_FIXED ? 0 : record.size - REFUSAL_FIXED;
            if (text > sizeof reason - 1)
                text = sizeof reason - 1;
            if (record.size >= REFUSAL_FIXED) {
                refusal = (journal_refusal_t){.sequence = s_get64 (at),
                                              .previous = s_get64 (at + 8),
                                              .digest = s_get64 (at + 16),
                                              .code = (int)s_get32 (at + 24),
                                              .reason = reason};
                memcpy (reason, at + REFUSAL_FIXED, text);
                reason[text] = 0;
                record.refusal = &refusal;
            }
            record.batch = NULL;
            record.size = 0;
        }
        if ((day & REFUSAL_DAY && !record.refusal) ||
            replay (&record, arg) != 0) {
            if (!*error)
                *error = zsys_sprintf ("%s: record at offset %zu refused", path,
                                       offset);
            break;
        }
        records++;
        offset += JOURNAL_HEADER + length;
    }
    free (data);
    close (fd);
    zstr_free (&path);
    return *error ? -1 : records;
}

int64_t
journal_replay (journal_t *self, uint64_t after, bool tolerant,
                journal_replay_fn *replay, void *arg, char **error)
{
    assert (self && replay && error);
    *error = NULL;
    size_t count = 0;
    uint64_t *numbers = s_segments (self, &count);
    if (!numbers) {
        *error = zsys_sprintf ("cannot read state directory %s: %s", self->dir,
                               strerror (errno));
        return -1;
    }
    //  The segments after the snapshot's must follow it and one another:
    //  a missing one held acknowledged batches. (Without a snapshot the
    //  server checks that the journal starts at segment 1.)
    int64_t total = 0;
    uint64_t previous = after;
    for (size_t index = 0; index < count && total >= 0; index++) {
        if (numbers[index] <= after)
            continue;
        if (previous && numbers[index] != previous + 1) {
            char *missing = s_segment_path (self, previous + 1);
            if (tolerant)
                log_warning ("journal: %s is missing (after segment %" PRIu64
                             ", before %" PRIu64 "): the batches it held are "
                             "lost; collectors must send them again",
                             missing, previous, numbers[index]);
            else {
                *error = zsys_sprintf (
                    "%s is missing (after segment %" PRIu64 ", before %" PRIu64
                    "): the journal has a gap, and the batches that segment "
                    "held would be lost; put it back, or start with "
                    "--rebuild to go on without it",
                    missing, previous, numbers[index]);
                total = -1;
            }
            zstr_free (&missing);
            if (total < 0)
                break;
        }
        previous = numbers[index];
        int64_t records =
            s_replay_segment (self, numbers[index], index + 1 == count,
                              tolerant, replay, arg, error);
        total = records < 0 ? -1 : total + records;
    }
    //  New records go to a segment of their own, after every one on disk
    //  and every one the snapshot covers: the snapshot may name a segment
    //  that was never created, and a record written under that number
    //  would be skipped by the next replay.
    s_close_segment (self);
    uint64_t next = (count ? numbers[count - 1] : 0) + 1;
    if (next < after + 1)
        next = after + 1;
    if (next > self->segment) {
        self->segment = next;
        zstr_free (&self->path);
        self->path = s_segment_path (self, self->segment);
    }
    free (numbers);
    return total;
}

void
journal_append (journal_t *self, const journal_record_t *record)
{
    assert (self && record);
    if (self->policy == JOURNAL_OFF)
        return;
    size_t source_length = strlen (record->source);
    assert (source_length <= 255);
    const journal_refusal_t *refusal = record->refusal;
    size_t reason_length = refusal ? strlen (refusal->reason) : 0;
    if (reason_length > 511)
        reason_length = 511;
    //  Days are far below bit 30, and PERIOD_DAY_NONE (INT32_MIN) has it
    //  clear: the bit tells a refusal from a batch on any day.
    assert (!((uint32_t)record->day & REFUSAL_DAY));
    size_t body = refusal ? REFUSAL_FIXED + reason_length : record->size;
    size_t payload = 1 + source_length + 4 + body;
    assert (payload <= JOURNAL_MAX_PAYLOAD);
    size_t needed = self->group_size + JOURNAL_HEADER + payload;
    if (needed > self->group_alloc) {
        self->group_alloc = self->group_alloc ? self->group_alloc : 64 * 1024;
        while (self->group_alloc < needed)
            self->group_alloc *= 2;
        self->group = realloc (self->group, self->group_alloc);
        assert (self->group);
    }
    byte *header = self->group + self->group_size;
    byte *at = header + JOURNAL_HEADER;
    at[0] = (byte)source_length;
    memcpy (at + 1, record->source, source_length);
    byte *rest = at + 1 + source_length + 4;
    if (refusal) {
        s_put32 (at + 1 + source_length, (uint32_t)record->day | REFUSAL_DAY);
        s_put64 (rest, refusal->sequence);
        s_put64 (rest + 8, refusal->previous);
        s_put64 (rest + 16, refusal->digest);
        s_put32 (rest + 24, (uint32_t)refusal->code);
        memcpy (rest + REFUSAL_FIXED, refusal->reason, reason_length);
    } else {
        s_put32 (at + 1 + source_length, (uint32_t)record->day);
        memcpy (rest, record->batch, record->size);
    }
    //  The CRC is filled in by s_seal, on the writer thread when durable.
    s_put32 (header, JOURNAL_MAGIC);
    s_put32 (header + 4, (uint32_t)payload);
    s_put32 (header + 8, 0);
    self->group_size = needed;
    self->group_records++;
}

size_t
journal_group_size (journal_t *self)
{
    assert (self);
    return self->group_size;
}

//  Open (create) the current segment; its directory entry made durable.
static int
s_open_segment (journal_t *self)
{
    self->fd =
        open (self->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (self->fd < 0)
        return -1;
    if (fsync (self->dir_fd) != 0) {
        int saved = errno;
        close (self->fd);
        self->fd = -1;
        errno = saved;
        return -1;
    }
    return 0;
}

//  A buffer that a group of large batches grew to tens of MiB is given
//  back rather than held for good.
static void
s_buffer_trim (byte **buffer, size_t *alloc)
{
    if (*alloc > GROUP_KEEP) {
        free (*buffer);
        *buffer = NULL;
        *alloc = 0;
    }
}

int
journal_commit_start (journal_t *self)
{
    assert (self && !self->committing);
    if (self->group_records == 0)
        return 0;
    if (self->fd < 0 && s_open_segment (self) != 0)
        return -1;
    int records = (int)self->group_records;
    if (self->policy == JOURNAL_DURABLE) {
        //  The gathered group becomes the flight, and the old flight's
        //  buffer gathers the next.
        byte *buffer = self->flight;
        size_t alloc = self->flight_alloc;
        self->flight = self->group;
        self->flight_alloc = self->group_alloc;
        self->flight_size = self->group_size;
        self->flight_records = self->group_records;
        self->group = buffer;
        self->group_alloc = alloc;
        self->committing = true;
        zstr_send (self->writer, "FLUSH");
    } else {
        s_seal (self->group, self->group_size);
        if (app_write_all (self->fd, self->group, self->group_size) != 0)
            return -1;
        self->unsynced = true;
    }
    self->group_size = 0;
    self->group_records = 0;
    s_buffer_trim (&self->group, &self->group_alloc);
    return records;
}

bool
journal_committing (journal_t *self)
{
    assert (self);
    return self->committing;
}

bool
journal_commit_ready (journal_t *self)
{
    assert (self);
    return self->committing &&
           (zsock_events (zactor_sock (self->writer)) & ZMQ_POLLIN);
}

zactor_t *
journal_writer (journal_t *self)
{
    assert (self);
    return self->writer;
}

int
journal_commit_end (journal_t *self)
{
    assert (self && self->committing);
    int failure = 0;
    //  A signal (SIGINT, SIGTERM) interrupts the wait, not the write: the
    //  answer is still owed. Anything else received (the writer gone) is
    //  taken for a failed write.
    while (true) {
        errno = 0;
        if (zsock_recv (self->writer, "i", &failure) == 0)
            break;
        if (errno != EINTR) {
            failure = EIO;
            break;
        }
    }
    self->committing = false;
    self->synced_at = zclock_mono ();
    self->flight_size = 0;
    s_buffer_trim (&self->flight, &self->flight_alloc);
    if (failure) {
        errno = failure;
        return -1;
    }
    return (int)self->flight_records;
}

int
journal_commit (journal_t *self)
{
    int records = journal_commit_start (self);
    if (records > 0 && self->committing)
        records = journal_commit_end (self);
    return records;
}

int
journal_tick (journal_t *self)
{
    assert (self);
    if (!self->unsynced || self->fd < 0 || self->committing ||
        zclock_mono () - self->synced_at < LAZY_SYNC_MS)
        return 0;
    if (fdatasync (self->fd) != 0)
        return -1;
    self->unsynced = false;
    self->synced_at = zclock_mono ();
    return 0;
}

int
journal_rotate (journal_t *self, uint64_t *covered)
{
    assert (self && covered);
    assert (self->group_records == 0 && !self->committing);
    s_close_segment (self);
    *covered = self->segment;
    self->segment++;
    zstr_free (&self->path);
    self->path = s_segment_path (self, self->segment);
    //  The next segment exists from now on, so that every number up to it
    //  is taken on disk and no later start hands out *covered again.
    if (self->policy == JOURNAL_OFF)
        return 0;
    return s_open_segment (self);
}

void
journal_trim (journal_t *self, uint64_t through)
{
    assert (self);
    size_t count = 0;
    uint64_t *numbers = s_segments (self, &count);
    for (size_t index = 0; numbers && index < count; index++) {
        if (numbers[index] > through || numbers[index] == self->segment)
            continue;
        char *path = s_segment_path (self, numbers[index]);
        if (unlink (path) != 0)
            log_warning ("journal: cannot remove %s: %s", path,
                         strerror (errno));
        zstr_free (&path);
    }
    free (numbers);
}
