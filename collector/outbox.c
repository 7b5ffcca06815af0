/*  outbox.c — batches on disk until acknowledged (see outbox.h).

    Every file is written the same way: NAME.tmp, fsync, rename, and the
    directory synced before anything depends on the name. Inside a group
    the directory is synced once, at commit: nothing of the group can be
    sent before, and a group that was never committed is removed by the
    next process that takes the short lock. */
#include "outbox.h"
#include "app.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define NAME_DIGITS 20      //  a batch file's name: its sequence
#define NAME_SIZE 48        //  room for a name and its suffix
#define MAGIC "JTOB"        //  a batch file's first four bytes
#define MARKER ".queueing"  //  an open group: its first sequence
#define SHORT_LOCK ".lock"  //  flocked around every write
#define HOLDER_TEXT_SIZE 64 //  "COMMAND PID\n" in the source lock

struct _outbox_t {
    char *source;            //  source name, a valid id
    char *path;              //  <state>/<source>.outbox
    char *state_path;        //  <state>
    char *sequence_name;     //  <source>.seq, in the state directory
    char *hold_name;         //  <source>.lock, in the state directory
    char *rejected_name;     //  <source>.rejected, in the state directory
    int state_fd;            //  the state directory
    int dir_fd;              //  the outbox directory
    int lock_fd;             //  <outbox>/.lock, flocked while writing
    int hold_fd;             //  <source>.lock while held (fcntl), or -1
    uint64_t limit;          //  most bytes of batch files queued
    bool locked;             //  this process holds the short lock
    bool group_open;         //  the marker of this group is written
    uint64_t group_first;    //  first sequence of the open group
    uint64_t sequence;       //  last sequence reserved, as last read
    uint64_t present_max;    //  highest sequence on disk (at begin, + own)
    uint64_t present_bytes;  //  bytes of batch files on disk (likewise)
    uint64_t known_max;      //  highest sequence ever in entries
    bool full;               //  last add refused for the budget
    bool loaded;             //  entries hold every batch (the holder)
    outbox_entry_t *entries; //  known batches in sequence order; origins
    size_t entry_count;      //  owned
    size_t entry_capacity;
    char *error; //  why the last command failed, or NULL
};

//  Little-endian fields --------------------------------------------------

static void
s_put (byte *at, uint64_t value, int bytes)
{
    for (int index = 0; index < bytes; index++)
        at[index] = (byte)(value >> (8 * index));
}

static uint64_t
s_get (const byte *at, int bytes)
{
    uint64_t value = 0;
    for (int index = 0; index < bytes; index++)
        value |= (uint64_t)at[index] << (8 * index);
    return value;
}

//  Helpers ---------------------------------------------------------------

static void
s_set_error (outbox_t *self, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *message = zsys_vprintf (format, args);
    va_end (args);
    assert (message);
    zstr_free (&self->error);
    self->error = message;
}

static void
s_name (char *name, uint64_t sequence, const char *suffix)
{
    snprintf (name, NAME_SIZE, "%0*" PRIu64 "%s", NAME_DIGITS, sequence,
              suffix);
}

//  A batch file's sequence from its name, or 0 when name is not one.
static uint64_t
s_name_sequence (const char *name, const char *suffix)
{
    size_t length = strlen (name);
    size_t tail = strlen (suffix);
    if (length != NAME_DIGITS + tail || strcmp (name + NAME_DIGITS, suffix))
        return 0;
    uint64_t sequence = 0;
    for (int index = 0; index < NAME_DIGITS; index++) {
        if (name[index] < '0' || name[index] > '9')
            return 0;
        sequence = sequence * 10 + (uint64_t)(name[index] - '0');
    }
    return sequence;
}

static bool
s_ends_with (const char *name, const char *suffix)
{
    size_t length = strlen (name), tail = strlen (suffix);
    return length > tail && streq (name + length - tail, suffix);
}

//  Read a whole file of dir_fd; returns a fresh buffer (caller frees),
//  NUL-terminated, and its size and mtime, or NULL with errno.
static byte *
s_read_file (int dir_fd, const char *name, size_t *size, int64_t *mtime_ms)
{
    int fd = openat (dir_fd, name, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat info;
    byte *buffer = fstat (fd, &info) == 0 ? app_read_all (fd, size) : NULL;
    int saved = errno;
    close (fd);
    errno = saved;
    if (buffer && mtime_ms)
        *mtime_ms = (int64_t)info.st_mtim.tv_sec * 1000 +
                    info.st_mtim.tv_nsec / 1000000;
    return buffer;
}

//  Check a batch file's bytes and fill entry (origin borrowed from data).
//  Returns NULL, or why the file is not a good batch (static text).
static const char *
s_parse (const byte *data, size_t size, uint64_t sequence,
         outbox_entry_t *entry, size_t *origin_length, size_t *body_at,
         size_t *body_size, bool check_crc)
{
    if (size < OUTBOX_HEADER_SIZE)
        return "shorter than its header";
    if (memcmp (data, MAGIC, 4) != 0)
        return "not a batch file (bad magic)";
    if (s_get (data + 4, 2) != OUTBOX_VERSION)
        return "unknown format version";
    uint32_t crc = (uint32_t)s_get (data + 8, 4);
    *origin_length = (size_t)s_get (data + 44, 2);
    *body_size = (size_t)s_get (data + 48, 4);
    *body_at = OUTBOX_HEADER_SIZE + *origin_length;
    if (check_crc) {
        if (*body_at + *body_size != size)
            return "cut short, or longer than its header says";
        if (jt_crc32c (0, data + 12, size - 12) != crc)
            return "CRC mismatch";
    } else if (*body_at > size)
        return "cut short";
    *entry = (outbox_entry_t){.sequence = s_get (data + 12, 8),
                              .previous = s_get (data + 20, 8),
                              .size = OUTBOX_HEADER_SIZE + *origin_length +
                                      *body_size,
                              .waiter = (int)s_get (data + 28, 4),
                              .update_count = (uint32_t)s_get (data + 32, 4),
                              .first_line = (uint32_t)s_get (data + 36, 4),
                              .last_line = (uint32_t)s_get (data + 40, 4)};
    if (entry->sequence != sequence)
        return "sequence differs from its name";
    return NULL;
}

//  Add an entry at the end (entries come in sequence order), copying
//  origin.
static void
s_append (outbox_t *self, const outbox_entry_t *entry, const char *origin,
          size_t origin_length)
{
    if (self->entry_count == self->entry_capacity) {
        self->entry_capacity =
            self->entry_capacity ? self->entry_capacity * 2 : 64;
        self->entries = realloc (self->entries, self->entry_capacity *
                                                    sizeof (outbox_entry_t));
        assert (self->entries);
    }
    char *copy = malloc (origin_length + 1);
    assert (copy);
    memcpy (copy, origin, origin_length);
    copy[origin_length] = 0;
    outbox_entry_t *slot = &self->entries[self->entry_count++];
    *slot = *entry;
    slot->origin = copy;
    if (entry->sequence > self->known_max)
        self->known_max = entry->sequence;
}

static void
s_clear_entries (outbox_t *self)
{
    for (size_t index = 0; index < self->entry_count; index++)
        free ((char *)self->entries[index].origin);
    self->entry_count = 0;
}

static int
s_entry_compare (const void *one, const void *two)
{
    uint64_t a = ((const outbox_entry_t *)one)->sequence;
    uint64_t b = ((const outbox_entry_t *)two)->sequence;
    return a < b ? -1 : a > b;
}

static size_t
s_find_index (const outbox_t *self, uint64_t sequence)
{
    size_t low = 0, high = self->entry_count;
    while (low < high) {
        size_t middle = (low + high) / 2;
        if (self->entries[middle].sequence < sequence)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

//  Forget an entry (its file is gone).
static void
s_drop (outbox_t *self, uint64_t sequence)
{
    size_t index = s_find_index (self, sequence);
    if (index < self->entry_count &&
        self->entries[index].sequence == sequence) {
        free ((char *)self->entries[index].origin);
        memmove (&self->entries[index], &self->entries[index + 1],
                 (self->entry_count - index - 1) * sizeof (outbox_entry_t));
        self->entry_count--;
    }
}

//  The sequence file --------------------------------------------------------

//  Read the last sequence reserved; a missing file means none yet.
static int
s_read_sequence (outbox_t *self)
{
    size_t size = 0;
    byte *text = s_read_file (self->state_fd, self->sequence_name, &size, NULL);
    if (!text) {
        if (errno == ENOENT) {
            self->sequence = 0;
            return 0;
        }
        s_set_error (self, "cannot read %s/%s: %s", self->state_path,
                     self->sequence_name, strerror (errno));
        return -1;
    }
    text[size] = 0;
    char *end = NULL;
    errno = 0;
    unsigned long long sequence = strtoull ((char *)text, &end, 10);
    bool good = size > 0 && text[0] >= '0' && text[0] <= '9' && !errno &&
                (!*end || streq (end, "\n"));
    free (text);
    if (!good) {
        //  Starting again from 0 would reuse sequences: refuse instead.
        s_set_error (self,
                     "%s/%s: not a sequence number; it must hold the last "
                     "sequence this source used",
                     self->state_path, self->sequence_name);
        return -1;
    }
    self->sequence = (uint64_t)sequence;
    return 0;
}

//  Make sequence the last one reserved, durably.
static int
s_write_sequence (outbox_t *self, uint64_t sequence)
{
    char text[32];
    int length = snprintf (text, sizeof text, "%" PRIu64 "\n", sequence);
    if (app_write_file_at (self->state_fd, self->sequence_name, text,
                           (size_t)length, true) != 0 ||
        fsync (self->state_fd) != 0) {
        s_set_error (self, "cannot write %s/%s: %s", self->state_path,
                     self->sequence_name, strerror (errno));
        return -1;
    }
    self->sequence = sequence;
    return 0;
}

//  The short lock and what a dead writer left --------------------------------

//  A group left open by a process that died: none of its batches was sent
//  (a sender takes only committed batches), so remove them and say which
//  rows they held. Under the short lock.
static void
s_recover_group (outbox_t *self)
{
    size_t size = 0;
    byte *text = s_read_file (self->dir_fd, MARKER, &size, NULL);
    uint64_t first = text ? strtoull ((char *)text, NULL, 10) : 0;
    free (text);
    if (first == 0) {
        //  Written atomically, so this is not ours: keep every batch.
        log_warning ("outbox: %s/" MARKER " holds no sequence; removed it",
                     self->path);
        unlinkat (self->dir_fd, MARKER, 0);
        return;
    }
    DIR *dir = fdopendir (dup (self->dir_fd));
    assert (dir);
    rewinddir (dir);
    size_t removed = 0, updates = 0;
    struct dirent *item;
    char *origins = NULL;
    while ((item = readdir (dir))) {
        const char *name = item->d_name;
        uint64_t sequence = s_name_sequence (name, "");
        if (s_ends_with (name, ".tmp")) {
            unlinkat (self->dir_fd, name, 0);
            continue;
        }
        if (sequence == 0 || sequence < first)
            continue;
        size_t length = 0;
        byte *data = s_read_file (self->dir_fd, name, &length, NULL);
        outbox_entry_t entry;
        size_t origin_length, body_at, body_size;
        if (data && !s_parse (data, length, sequence, &entry, &origin_length,
                              &body_at, &body_size, false)) {
            updates += entry.update_count;
            char *more =
                zsys_sprintf ("%s%s%.*s lines %u-%u", origins ? origins : "",
                              origins ? ", " : "", (int)origin_length,
                              (const char *)data + OUTBOX_HEADER_SIZE,
                              entry.first_line, entry.last_line);
            zstr_free (&origins);
            origins = more;
        }
        free (data);
        if (unlinkat (self->dir_fd, name, 0) == 0)
            removed++;
    }
    closedir (dir);
    fsync (self->dir_fd);
    unlinkat (self->dir_fd, MARKER, 0);
    fsync (self->dir_fd);
    log_warning ("outbox: %s: a collector stopped while queueing batches; "
                 "removed %zu of them (%zu %s%s%s), which were never "
                 "sent: queue those rows again",
                 self->path, removed, updates,
                 jt_plural (updates, "update", "updates"), origins ? ": " : "",
                 origins ? origins : "");
    zstr_free (&origins);
}

//  Take the short lock, waiting for another writer. Returns 0 or -1.
static int
s_lock (outbox_t *self)
{
    assert (!self->locked);
    while (flock (self->lock_fd, LOCK_EX) != 0) {
        if (errno != EINTR || zsys_interrupted) {
            s_set_error (self, "cannot lock %s/" SHORT_LOCK ": %s", self->path,
                         strerror (errno));
            return -1;
        }
    }
    self->locked = true;
    if (faccessat (self->dir_fd, MARKER, F_OK, 0) == 0)
        s_recover_group (self);
    return 0;
}

static void
s_unlock (outbox_t *self)
{
    if (self->locked)
        flock (self->lock_fd, LOCK_UN);
    self->locked = false;
}

//  Life cycle ----------------------------------------------------------------

outbox_t *
outbox_new (const char *state_dir, const char *source, char **error)
{
    assert (state_dir && source && error);
    assert (jt_id_valid (source));
    *error = NULL;
    outbox_t *self = (outbox_t *)zmalloc (sizeof (outbox_t));
    assert (self);
    self->state_fd = self->dir_fd = self->lock_fd = self->hold_fd = -1;
    self->limit = OUTBOX_LIMIT_DEFAULT;
    self->source = strdup (source);
    self->state_path = strdup (state_dir);
    self->path = zsys_sprintf ("%s/%s.outbox", state_dir, source);
    self->sequence_name = zsys_sprintf ("%s.seq", source);
    self->hold_name = zsys_sprintf ("%s.lock", source);
    self->rejected_name = zsys_sprintf ("%s.rejected", source);
    assert (self->source && self->state_path && self->path &&
            self->sequence_name && self->hold_name && self->rejected_name);
    //  Another collector command (status, run) may create it at the same
    //  moment: zsys_dir_create then fails with EEXIST; once more finds it.
    if (zsys_dir_create ("%s", self->path) != 0 &&
        (errno != EEXIST || zsys_dir_create ("%s", self->path) != 0))
        *error =
            zsys_sprintf ("cannot create %s: %s", self->path, strerror (errno));
    else if ((self->state_fd =
                  open (state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
             (self->dir_fd =
                  open (self->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        *error =
            zsys_sprintf ("cannot open %s: %s", self->path, strerror (errno));
    else if ((self->lock_fd = openat (self->dir_fd, SHORT_LOCK,
                                      O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
        *error = zsys_sprintf ("cannot open %s/" SHORT_LOCK ": %s", self->path,
                               strerror (errno));
    else if (s_read_sequence (self) != 0)
        *error = strdup (self->error);
    if (*error) {
        outbox_destroy (&self);
        return NULL;
    }
    return self;
}

void
outbox_destroy (outbox_t **self_p)
{
    assert (self_p);
    outbox_t *self = *self_p;
    if (!self)
        return;
    if (self->locked) {
        if (self->group_open)
            outbox_abort (self);
        s_unlock (self);
    }
    if (self->hold_fd >= 0) {
        //  Nobody holds it now: say so before letting go.
        if (ftruncate (self->hold_fd, 0) != 0)
            log_debug ("outbox: cannot empty the lock file");
        close (self->hold_fd); //  releases the fcntl lock
    }
    if (self->lock_fd >= 0)
        close (self->lock_fd);
    if (self->dir_fd >= 0)
        close (self->dir_fd);
    if (self->state_fd >= 0)
        close (self->state_fd);
    s_clear_entries (self);
    free (self->entries);
    zstr_free (&self->error);
    zstr_free (&self->path);
    zstr_free (&self->sequence_name);
    zstr_free (&self->hold_name);
    zstr_free (&self->rejected_name);
    free (self->state_path);
    free (self->source);
    free (self);
    *self_p = NULL;
}

void
outbox_set_limit (outbox_t *self, uint64_t limit)
{
    assert (self);
    self->limit = limit;
}

uint64_t
outbox_limit (const outbox_t *self)
{
    assert (self);
    return self->limit;
}

//  The source lock -----------------------------------------------------------

int
outbox_holder (outbox_t *self, char *command, size_t size)
{
    assert (self && command && size > 0);
    command[0] = 0;
    if (self->hold_fd >= 0) {
        //  Opening and closing the file again would drop our own lock.
        snprintf (command, size, "this process");
        return getpid ();
    }
    int fd = openat (self->state_fd, self->hold_name, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    int pid = 0;
    if (fcntl (fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK) {
        pid = (int)lock.l_pid;
        //  The holder writes its command just after taking the lock.
        char text[HOLDER_TEXT_SIZE] = "";
        for (int tries = 0; tries < 40 && !text[0]; tries++) {
            ssize_t got = pread (fd, text, sizeof text - 1, 0);
            text[got > 0 ? got : 0] = 0;
            if (!text[0])
                zclock_sleep (5);
        }
        char word[HOLDER_TEXT_SIZE] = "";
        if (sscanf (text, "%63s", word) == 1)
            snprintf (command, size, "%s", word);
        else
            snprintf (command, size, "collector");
    }
    close (fd);
    return pid;
}

int
outbox_hold (outbox_t *self, const char *command)
{
    assert (self && command);
    assert (self->hold_fd < 0);
    int fd = openat (self->state_fd, self->hold_name,
                     O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        s_set_error (self, "cannot open %s/%s: %s", self->state_path,
                     self->hold_name, strerror (errno));
        return -1;
    }
    struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl (fd, F_SETLK, &lock) != 0) {
        int saved = errno;
        close (fd);
        if (saved == EACCES || saved == EAGAIN) {
            char holder[HOLDER_TEXT_SIZE];
            int pid = outbox_holder (self, holder, sizeof holder);
            s_set_error (self,
                         "another collector for source '%s' is running "
                         "(%s, pid %d; %s/%s is locked)",
                         self->source, holder[0] ? holder : "collector", pid,
                         self->state_path, self->hold_name);
        } else
            s_set_error (self, "cannot lock %s/%s: %s", self->state_path,
                         self->hold_name, strerror (saved));
        return -1;
    }
    char text[HOLDER_TEXT_SIZE];
    int length = snprintf (text, sizeof text, "%s %d\n", command, getpid ());
    if (ftruncate (fd, 0) != 0 ||
        pwrite (fd, text, (size_t)length, 0) != length)
        log_warning ("outbox: cannot write %s/%s: %s", self->state_path,
                     self->hold_name, strerror (errno));
    self->hold_fd = fd;
    return 0;
}

//  Reading what is queued
//  ------------------------------------------------------

//  What s_load_file says of a file it could not read (EIO, EMFILE...): not
//  a bad file, which is set aside, but one to read again later.
static const char s_unreadable[] = "cannot be read now";

//  Read one batch file fully, checking it; on success append its entry.
//  Returns NULL, s_unreadable, or why it is bad (static text).
static const char *
s_load_file (outbox_t *self, const char *name, uint64_t sequence)
{
    size_t size = 0;
    int64_t mtime = 0;
    byte *data = s_read_file (self->dir_fd, name, &size, &mtime);
    if (!data)
        return errno == ENOENT ? NULL : s_unreadable;
    outbox_entry_t entry;
    size_t origin_length, body_at, body_size;
    const char *reason = s_parse (data, size, sequence, &entry, &origin_length,
                                  &body_at, &body_size, true);
    if (!reason) {
        entry.queued_ms = mtime;
        s_append (self, &entry, (const char *)data + OUTBOX_HEADER_SIZE,
                  origin_length);
    }
    free (data);
    return reason;
}

//  Move a bad file aside as NAME.bad, loudly: it is never sent.
static void
s_set_aside (outbox_t *self, const char *name, const char *reason)
{
    char bad[NAME_SIZE + 8];
    snprintf (bad, sizeof bad, "%s.bad", name);
    if (renameat (self->dir_fd, name, self->dir_fd, bad) == 0)
        log_warning ("outbox: %s/%s is corrupt (%s): set aside as %s/%s and "
                     "not sent; its rows must be sent again",
                     self->path, name, reason, self->path, bad);
    else
        log_error ("outbox: %s/%s is corrupt (%s) and cannot be set aside: "
                   "%s",
                   self->path, name, reason, strerror (errno));
}

int
outbox_load (outbox_t *self)
{
    assert (self);
    if (s_lock (self) != 0)
        return -1;
    s_clear_entries (self);
    DIR *dir = fdopendir (dup (self->dir_fd));
    assert (dir);
    rewinddir (dir);
    int set_aside = 0;
    bool changed = false;
    struct dirent *item;
    while ((item = readdir (dir))) {
        const char *name = item->d_name;
        if (s_ends_with (name, ".tmp")) {
            //  A crash while writing it: the batch was never queued.
            if (unlinkat (self->dir_fd, name, 0) == 0) {
                log_info ("outbox: removed %s/%s, left by a crash while it "
                          "was written",
                          self->path, name);
                changed = true;
            }
            continue;
        }
        uint64_t sequence = s_name_sequence (name, "");
        if (sequence == 0)
            continue;
        const char *reason = s_load_file (self, name, sequence);
        if (reason == s_unreadable) {
            //  Sending the rest without it would send them out of order.
            s_set_error (self, "cannot read %s/%s: %s", self->path, name,
                         strerror (errno));
            closedir (dir);
            s_clear_entries (self);
            s_unlock (self);
            return -1;
        }
        if (reason) {
            s_set_aside (self, name, reason);
            set_aside++;
            changed = true;
        }
    }
    closedir (dir);
    if (self->entry_count)
        qsort (self->entries, self->entry_count, sizeof (outbox_entry_t),
               s_entry_compare);
    if (changed)
        fsync (self->dir_fd);
    self->loaded = true;
    int rc = s_read_sequence (self);
    //  Every batch up to the sequence file is known now: later looks for
    //  others' batches start above it, not at 1.
    if (rc == 0 && self->sequence > self->known_max)
        self->known_max = self->sequence;
    s_unlock (self);
    return rc == 0 ? set_aside : -1;
}

//  Append the batches others committed since we last looked: those
//  between the highest we know and the sequence file. Under the short
//  lock, with the sequence file just read.
static size_t
s_refresh (outbox_t *self)
{
    size_t found = 0;
    for (uint64_t sequence = self->known_max + 1; sequence <= self->sequence;
         sequence++) {
        char name[NAME_SIZE];
        s_name (name, sequence, "");
        size_t before = self->entry_count;
        const char *reason = s_load_file (self, name, sequence);
        if (reason == s_unreadable) {
            //  Look again next time, from this one on.
            log_warning ("outbox: cannot read %s/%s now: %s", self->path, name,
                         strerror (errno));
            return found;
        }
        if (reason)
            s_set_aside (self, name, reason);
        found += self->entry_count - before;
        self->known_max = sequence;
    }
    if (self->sequence > self->known_max)
        self->known_max = self->sequence;
    return found;
}

size_t
outbox_refresh (outbox_t *self)
{
    assert (self);
    assert (self->loaded);
    if (s_lock (self) != 0)
        return 0;
    size_t found = s_read_sequence (self) == 0 ? s_refresh (self) : 0;
    s_unlock (self);
    return found;
}

int
outbox_inspect (outbox_t *self)
{
    assert (self);
    s_clear_entries (self);
    size_t size = 0;
    byte *marker = s_read_file (self->dir_fd, MARKER, &size, NULL);
    uint64_t open_from = marker ? strtoull ((char *)marker, NULL, 10) : 0;
    free (marker);
    DIR *dir = fdopendir (dup (self->dir_fd));
    assert (dir);
    rewinddir (dir);
    int bad = 0;
    struct dirent *item;
    while ((item = readdir (dir))) {
        const char *name = item->d_name;
        if (s_ends_with (name, ".bad")) {
            bad++;
            continue;
        }
        uint64_t sequence = s_name_sequence (name, "");
        if (sequence == 0 || (open_from && sequence >= open_from))
            continue; //  not committed yet
        //  The header and origin are enough for a status.
        int fd = openat (self->dir_fd, name, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        byte head[OUTBOX_HEADER_SIZE + OUTBOX_MAX_ORIGIN];
        ssize_t got = pread (fd, head, sizeof head, 0);
        struct stat info;
        int stat_rc = fstat (fd, &info);
        close (fd);
        outbox_entry_t entry;
        size_t origin_length, body_at, body_size;
        if (got < 0 || stat_rc != 0 ||
            s_parse (head, (size_t)got, sequence, &entry, &origin_length,
                     &body_at, &body_size, false))
            continue;
        entry.queued_ms = (int64_t)info.st_mtim.tv_sec * 1000 +
                          info.st_mtim.tv_nsec / 1000000;
        entry.size = (uint64_t)info.st_size;
        s_append (self, &entry, (const char *)head + OUTBOX_HEADER_SIZE,
                  origin_length);
    }
    closedir (dir);
    if (self->entry_count)
        qsort (self->entries, self->entry_count, sizeof (outbox_entry_t),
               s_entry_compare);
    if (s_read_sequence (self) != 0)
        return -1;
    return bad;
}

//  Writing groups
//  --------------------------------------------------------------

int
outbox_begin (outbox_t *self)
{
    assert (self);
    assert (!self->locked);
    if (s_lock (self) != 0)
        return -1;
    if (s_read_sequence (self) != 0) {
        s_unlock (self);
        return -1;
    }
    //  The holder's entries stay in sequence order: others' batches
    //  committed since it last looked come before the ones it adds now.
    if (self->loaded)
        s_refresh (self);
    self->present_max = 0;
    self->present_bytes = 0;
    self->full = false;
    DIR *dir = fdopendir (dup (self->dir_fd));
    assert (dir);
    rewinddir (dir);
    struct dirent *item;
    while ((item = readdir (dir))) {
        uint64_t sequence = s_name_sequence (item->d_name, "");
        struct stat info;
        if (sequence == 0 || fstatat (self->dir_fd, item->d_name, &info, 0))
            continue;
        self->present_bytes += (uint64_t)info.st_size;
        if (sequence > self->present_max)
            self->present_max = sequence;
    }
    closedir (dir);
    return 0;
}

int
outbox_add (outbox_t *self, codec_t *codec, jt_batch_t *batch,
            const char *origin, int waiter)
{
    assert (self && codec && batch && origin);
    assert (self->locked);
    self->full = false;
    uint64_t sequence = self->sequence;
    if (self->present_max > sequence)
        sequence = self->present_max;
    if (self->known_max > sequence)
        sequence = self->known_max;
    sequence++;
    batch->sequence = sequence;
    batch->previous = self->present_max;
    size_t origin_length = strlen (origin);
    if (origin_length > OUTBOX_MAX_ORIGIN)
        origin_length = OUTBOX_MAX_ORIGIN;
    zframe_t *body = codec_encode_batch (codec, batch);
    assert (body);
    size_t body_size = zframe_size (body);
    size_t size = OUTBOX_HEADER_SIZE + origin_length + body_size;
    if (self->present_bytes + size > self->limit) {
        s_set_error (self,
                     "outbox %s is full: %" PRIu64 " bytes queued, the next "
                     "batch needs %zu more, limit %" PRIu64,
                     self->path, self->present_bytes, size, self->limit);
        self->full = true;
        zframe_destroy (&body);
        return -1;
    }
    if (!self->group_open) {
        //  The marker is durable before any batch of the group is.
        char text[32];
        int length = snprintf (text, sizeof text, "%" PRIu64 "\n", sequence);
        if (app_write_file_at (self->dir_fd, MARKER, text, (size_t)length,
                               true) ||
            fsync (self->dir_fd)) {
            s_set_error (self, "cannot write %s/" MARKER ": %s", self->path,
                         strerror (errno));
            zframe_destroy (&body);
            return -1;
        }
        self->group_open = true;
        self->group_first = sequence;
    }
    outbox_entry_t entry = {.sequence = sequence,
                            .previous = batch->previous,
                            .size = size,
                            .update_count = (uint32_t)batch->update_count,
                            .waiter = waiter,
                            .queued_ms = app_now_ms (),
                            .own = true};
    if (batch->update_count) {
        entry.first_line = batch->updates[0].line;
        entry.last_line = batch->updates[batch->update_count - 1].line;
    }
    byte *data = malloc (size);
    assert (data);
    memcpy (data, MAGIC, 4);
    s_put (data + 4, OUTBOX_VERSION, 2);
    s_put (data + 6, OUTBOX_HEADER_SIZE, 2);
    s_put (data + 12, sequence, 8);
    s_put (data + 20, entry.previous, 8);
    s_put (data + 28, (uint64_t)(uint32_t)waiter, 4);
    s_put (data + 32, entry.update_count, 4);
    s_put (data + 36, entry.first_line, 4);
    s_put (data + 40, entry.last_line, 4);
    s_put (data + 44, origin_length, 2);
    s_put (data + 46, 0, 2);
    s_put (data + 48, body_size, 4);
    memcpy (data + OUTBOX_HEADER_SIZE, origin, origin_length);
    memcpy (data + OUTBOX_HEADER_SIZE + origin_length, zframe_data (body),
            body_size);
    s_put (data + 8, jt_crc32c (0, data + 12, size - 12), 4);
    zframe_destroy (&body);
    char name[NAME_SIZE];
    s_name (name, sequence, "");
    int rc = app_write_file_at (self->dir_fd, name, data, size, true);
    free (data);
    if (rc != 0) {
        s_set_error (self, "cannot write %s/%s: %s", self->path, name,
                     strerror (errno));
        return -1;
    }
    s_append (self, &entry, origin, origin_length);
    self->present_max = sequence;
    self->present_bytes += size;
    return 0;
}

bool
outbox_full (const outbox_t *self)
{
    assert (self);
    return self->full;
}

int
outbox_commit (outbox_t *self)
{
    assert (self);
    assert (self->locked);
    int rc = 0;
    if (self->group_open) {
        //  The group's names, then its last sequence, then the end of the
        //  marker: only now may its batches be sent.
        if (fsync (self->dir_fd) != 0) {
            s_set_error (self, "cannot sync %s: %s", self->path,
                         strerror (errno));
            rc = -1;
        }
        if (rc == 0 && self->present_max > self->sequence)
            rc = s_write_sequence (self, self->present_max);
        if (rc == 0 && (unlinkat (self->dir_fd, MARKER, 0) != 0 ||
                        fsync (self->dir_fd) != 0)) {
            s_set_error (self, "cannot remove %s/" MARKER ": %s", self->path,
                         strerror (errno));
            rc = -1;
        }
        if (rc != 0) {
            outbox_abort (self);
            return -1;
        }
        self->group_open = false;
    }
    s_unlock (self);
    return 0;
}

void
outbox_abort (outbox_t *self)
{
    assert (self);
    if (!self->locked)
        return;
    if (self->group_open) {
        for (size_t index = self->entry_count; index-- > 0;) {
            outbox_entry_t *entry = &self->entries[index];
            if (entry->sequence < self->group_first)
                break;
            char name[NAME_SIZE];
            s_name (name, entry->sequence, "");
            unlinkat (self->dir_fd, name, 0);
            free ((char *)entry->origin);
            self->entry_count--;
        }
        fsync (self->dir_fd);
        unlinkat (self->dir_fd, MARKER, 0);
        fsync (self->dir_fd);
        self->group_open = false;
        //  The sequence file never took the group's numbers: the next
        //  group (ours or another process's) uses them again, and those
        //  batches must be found as anyone's, above what is left.
        uint64_t highest = self->entry_count
                               ? self->entries[self->entry_count - 1].sequence
                               : 0;
        self->known_max = self->sequence > highest ? self->sequence : highest;
    }
    s_unlock (self);
}

//  The entry list
//  --------------------------------------------------------------

size_t
outbox_count (const outbox_t *self)
{
    assert (self);
    return self->entry_count;
}

const outbox_entry_t *
outbox_entry (const outbox_t *self, size_t index)
{
    assert (self);
    assert (index < self->entry_count);
    return &self->entries[index];
}

const outbox_entry_t *
outbox_find (const outbox_t *self, uint64_t sequence)
{
    assert (self);
    size_t index = s_find_index (self, sequence);
    return index < self->entry_count &&
                   self->entries[index].sequence == sequence
               ? &self->entries[index]
               : NULL;
}

//  The bytes and the updates of every entry.
static void
s_totals (const outbox_t *self, uint64_t *bytes, uint64_t *updates)
{
    *bytes = 0;
    *updates = 0;
    for (size_t index = 0; index < self->entry_count; index++) {
        *bytes += self->entries[index].size;
        *updates += self->entries[index].update_count;
    }
}

uint64_t
outbox_bytes (const outbox_t *self)
{
    assert (self);
    uint64_t bytes, updates;
    s_totals (self, &bytes, &updates);
    return bytes;
}

uint64_t
outbox_updates (const outbox_t *self)
{
    assert (self);
    uint64_t bytes, updates;
    s_totals (self, &bytes, &updates);
    return updates;
}

//  One batch -----------------------------------------------------------------

//  Read the file of batch sequence, named in name (NAME_SIZE bytes), and
//  check it: returns its bytes (the caller frees) and sets *reason to NULL
//  or to why it is not a good batch, and where its body is. Returns NULL
//  with the error set when it cannot be read; errno says why.
static byte *
s_read_batch (outbox_t *self, uint64_t sequence, char *name,
              const char **reason, size_t *body_at, size_t *body_size)
{
    s_name (name, sequence, "");
    size_t size = 0;
    byte *data = s_read_file (self->dir_fd, name, &size, NULL);
    if (!data) {
        s_set_error (self, "cannot read %s/%s: %s", self->path, name,
                     strerror (errno));
        return NULL;
    }
    outbox_entry_t entry;
    size_t origin_length;
    *reason = s_parse (data, size, sequence, &entry, &origin_length, body_at,
                       body_size, true);
    return data;
}

zframe_t *
outbox_read (outbox_t *self, uint64_t sequence)
{
    assert (self);
    char name[NAME_SIZE];
    const char *reason;
    size_t body_at, body_size;
    byte *data =
        s_read_batch (self, sequence, name, &reason, &body_at, &body_size);
    if (!data) {
        if (errno == ENOENT)
            s_drop (self, sequence);
        return NULL;
    }
    zframe_t *frame = NULL;
    if (reason) {
        s_set_error (self, "%s/%s: %s", self->path, name, reason);
        s_set_aside (self, name, reason);
        fsync (self->dir_fd);
        s_drop (self, sequence);
    } else
        frame = zframe_new (data + body_at, body_size);
    free (data);
    return frame;
}

zframe_t *
outbox_rechain (outbox_t *self, codec_t *codec, uint64_t sequence)
{
    assert (self && codec);
    char name[NAME_SIZE];
    const char *reason;
    size_t body_at, body_size;
    byte *data =
        s_read_batch (self, sequence, name, &reason, &body_at, &body_size);
    if (!data)
        return NULL;
    if (reason ||
        codec_decode (codec, data + body_at, body_size, NULL) != JT_MSG_BATCH) {
        s_set_error (self, "%s/%s: %s", self->path, name,
                     reason ? reason : "not a batch");
        free (data);
        return NULL;
    }
    jt_batch_t batch = *codec_batch (codec);
    batch.previous = 0;
    zframe_t *body = codec_encode_batch (codec, &batch);
    size_t new_size = body_at + zframe_size (body);
    byte *fresh = malloc (new_size);
    assert (fresh);
    memcpy (fresh, data, body_at);
    memcpy (fresh + body_at, zframe_data (body), zframe_size (body));
    s_put (fresh + 20, 0, 8);
    s_put (fresh + 48, zframe_size (body), 4);
    s_put (fresh + 8, jt_crc32c (0, fresh + 12, new_size - 12), 4);
    free (data);
    int rc = app_write_file_at (self->dir_fd, name, fresh, new_size, true);
    if (rc == 0)
        rc = fsync (self->dir_fd);
    free (fresh);
    if (rc != 0) {
        s_set_error (self, "cannot write %s/%s: %s", self->path, name,
                     strerror (errno));
        zframe_destroy (&body);
        return NULL;
    }
    size_t index = s_find_index (self, sequence);
    if (index < self->entry_count &&
        self->entries[index].sequence == sequence) {
        self->entries[index].previous = 0;
        self->entries[index].size = new_size;
    }
    return body;
}

int
outbox_remove (outbox_t *self, uint64_t sequence)
{
    assert (self);
    char name[NAME_SIZE];
    s_name (name, sequence, "");
    int rc = 0;
    if ((unlinkat (self->dir_fd, name, 0) != 0 && errno != ENOENT) ||
        fsync (self->dir_fd) != 0) {
        s_set_error (self, "cannot remove %s/%s: %s", self->path, name,
                     strerror (errno));
        rc = -1;
    }
    s_drop (self, sequence);
    return rc;
}

//  Acks for waiting processes
//  ---------------------------------------------------

int
outbox_put_ack (outbox_t *self, uint64_t sequence, const void *data,
                size_t size)
{
    assert (self && data);
    char name[NAME_SIZE];
    s_name (name, sequence, ".ack");
    //  No fsync: should the machine stop, the waiting process is gone too.
    if (app_write_file_at (self->dir_fd, name, data, size, false) != 0) {
        s_set_error (self, "cannot write %s/%s: %s", self->path, name,
                     strerror (errno));
        return -1;
    }
    return 0;
}

zframe_t *
outbox_take_ack (outbox_t *self, uint64_t sequence)
{
    assert (self);
    char name[NAME_SIZE];
    s_name (name, sequence, ".ack");
    size_t size = 0;
    byte *data = s_read_file (self->dir_fd, name, &size, NULL);
    if (!data)
        return NULL;
    unlinkat (self->dir_fd, name, 0);
    zframe_t *frame = zframe_new (data, size);
    free (data);
    return frame;
}

void
outbox_sweep_acks (outbox_t *self, int64_t max_age_ms)
{
    assert (self);
    DIR *dir = fdopendir (dup (self->dir_fd));
    assert (dir);
    rewinddir (dir);
    int64_t now = app_now_ms ();
    struct dirent *item;
    while ((item = readdir (dir))) {
        struct stat info;
        if (!s_name_sequence (item->d_name, ".ack") ||
            fstatat (self->dir_fd, item->d_name, &info, 0) != 0)
            continue;
        int64_t mtime = (int64_t)info.st_mtim.tv_sec * 1000 +
                        info.st_mtim.tv_nsec / 1000000;
        if (now - mtime > max_age_ms) {
            unlinkat (self->dir_fd, item->d_name, 0);
            log_info ("outbox: removed %s/%s: nobody took it", self->path,
                      item->d_name);
        }
    }
    closedir (dir);
}

int
outbox_record_rejected (outbox_t *self, const char *text)
{
    assert (self && text);
    int fd = openat (self->state_fd, self->rejected_name,
                     O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    int rc = fd < 0 ? -1 : app_write_all (fd, text, strlen (text));
    if (rc == 0)
        rc = fsync (fd);
    if (rc != 0)
        s_set_error (self, "cannot write %s/%s: %s", self->state_path,
                     self->rejected_name, strerror (errno));
    if (fd >= 0)
        close (fd);
    return rc;
}

uint64_t
outbox_sequence (const outbox_t *self)
{
    assert (self);
    return self->sequence;
}

const char *
outbox_path (const outbox_t *self)
{
    assert (self);
    return self->path;
}

const char *
outbox_error (const outbox_t *self)
{
    assert (self);
    return self->error;
}
