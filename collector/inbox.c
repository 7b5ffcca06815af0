/*  inbox.c — CSV drops in, done/ and failed/ out (see inbox.h). */
#include "inbox.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define WORK ".jobtally" //  the work area, inside the inbox
#define SETTLE_MS 1000   //  a file this old and unchanged is whole

struct _inbox_t {
    char *path;    //  the inbox's real path
    char *work;    //  path/.jobtally
    int dir_fd;    //  the inbox
    int work_fd;   //  the work area
    zhash_t *seen; //  name -> "size mtime" at the last poll
};

inbox_t *
inbox_new (const char *dir, char **error)
{
    assert (dir && error);
    *error = NULL;
    char real[PATH_MAX];
    if (!realpath (dir, real)) {
        *error = zsys_sprintf ("inbox %s: %s", dir, strerror (errno));
        return NULL;
    }
    inbox_t *self = (inbox_t *)zmalloc (sizeof (inbox_t));
    assert (self);
    self->dir_fd = self->work_fd = -1;
    self->path = strdup (real);
    self->work = zsys_sprintf ("%s/" WORK, real);
    self->seen = zhash_new ();
    zhash_autofree (self->seen);
    assert (self->path && self->work && self->seen);
    if (zsys_dir_create ("%s/done", real) ||
        zsys_dir_create ("%s/failed", real) ||
        zsys_dir_create ("%s", self->work))
        *error = zsys_sprintf ("inbox %s: cannot create done/, failed/ or " WORK
                               "/: %s",
                               real, strerror (errno));
    else if ((self->dir_fd = open (real, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) <
                 0 ||
             (self->work_fd =
                  open (self->work, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        *error = zsys_sprintf ("inbox %s: %s", real, strerror (errno));
    if (*error) {
        inbox_destroy (&self);
        return NULL;
    }
    return self;
}

void
inbox_destroy (inbox_t **self_p)
{
    assert (self_p);
    inbox_t *self = *self_p;
    if (!self)
        return;
    if (self->dir_fd >= 0)
        close (self->dir_fd);
    if (self->work_fd >= 0)
        close (self->work_fd);
    zhash_destroy (&self->seen);
    zstr_free (&self->work);
    free (self->path);
    free (self);
    *self_p = NULL;
}

const char *
inbox_path (const inbox_t *self)
{
    assert (self);
    return self->path;
}

static int
s_compare (void *one, void *two)
{
    return strcmp ((const char *)one, (const char *)two);
}

static bool
s_is_csv (const char *name)
{
    size_t length = strlen (name);
    return name[0] != '.' && length > 4 &&
           strcasecmp (name + length - 4, ".csv") == 0;
}

//  Whether s_names lists a name; arg is the caller's.
typedef bool (s_keep_fn) (inbox_t *self, const char *name, void *arg);

//  The names in the directory at fd that keep takes, sorted: a fresh list
//  the caller destroys.
static zlist_t *
s_names (inbox_t *self, int fd, s_keep_fn *keep, void *arg)
{
    zlist_t *names = zlist_new ();
    zlist_autofree (names);
    DIR *dir = fdopendir (dup (fd));
    assert (dir);
    rewinddir (dir);
    struct dirent *item;
    while ((item = readdir (dir)))
        if (keep (self, item->d_name, arg))
            zlist_append (names, item->d_name);
    closedir (dir);
    zlist_sort (names, s_compare);
    return names;
}

//  One poll of the inbox: when it began, and every CSV file's size and
//  mtime it saw.
typedef struct {
    int64_t now;       //  zclock_time at the start of the poll
    zhash_t *now_seen; //  name -> "size mtime"
} s_poll_t;

//  A CSV file in the inbox that is whole: its size and mtime are as at the
//  last poll and a while old. Notes every CSV file's in the poll (arg).
static bool
s_is_ready (inbox_t *self, const char *name, void *arg)
{
    s_poll_t *this_poll = (s_poll_t *)arg;
    struct stat info;
    if (!s_is_csv (name) ||
        fstatat (self->dir_fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG (info.st_mode))
        return false;
    int64_t mtime =
        (int64_t)info.st_mtim.tv_sec * 1000 + info.st_mtim.tv_nsec / 1000000;
    char signature[64];
    snprintf (signature, sizeof signature, "%lld %" PRId64,
              (long long)info.st_size, mtime);
    const char *before = (const char *)zhash_lookup (self->seen, name);
    bool ready = before && streq (before, signature) &&
                 this_poll->now - mtime >= SETTLE_MS;
    zhash_insert (this_poll->now_seen, name, signature);
    return ready;
}

zlist_t *
inbox_poll (inbox_t *self)
{
    assert (self);
    s_poll_t this_poll = {.now_seen = zhash_new ()};
    zhash_autofree (this_poll.now_seen);
    this_poll.now = zclock_time ();
    zlist_t *ready = s_names (self, self->dir_fd, s_is_ready, &this_poll);
    zhash_destroy (&self->seen);
    self->seen = this_poll.now_seen;
    return ready;
}

//  A file taken into the work area, not one beside it (.errors, .queued).
static bool
s_is_taken (inbox_t *self, const char *name, void *arg)
{
    (void)self;
    (void)arg;
    size_t length = strlen (name);
    return name[0] != '.' &&
           !(length > 7 && streq (name + length - 7, ".errors")) &&
           !(length > 7 && streq (name + length - 7, ".queued"));
}

zlist_t *
inbox_taken (inbox_t *self)
{
    assert (self);
    return s_names (self, self->work_fd, s_is_taken, NULL);
}

//  Remove what an earlier pass left beside a file in the work area (its
//  .errors and .queued): the file starts over.
static void
s_forget_sidecars (inbox_t *self, const char *name)
{
    char sidecar[NAME_MAX + 16];
    snprintf (sidecar, sizeof sidecar, "%s.errors", name);
    unlinkat (self->work_fd, sidecar, 0);
    snprintf (sidecar, sizeof sidecar, "%s.queued", name);
    unlinkat (self->work_fd, sidecar, 0);
}

int
inbox_take (inbox_t *self, const char *name)
{
    assert (self && name);
    if (faccessat (self->work_fd, name, F_OK, 0) == 0)
        return 1;
    s_forget_sidecars (self, name);
    if (renameat (self->dir_fd, name, self->work_fd, name) != 0 ||
        fsync (self->work_fd) != 0 || fsync (self->dir_fd) != 0) {
        log_error ("inbox: cannot move %s/%s to %s: %s", self->path, name,
                   self->work, strerror (errno));
        return -1;
    }
    zhash_delete (self->seen, name);
    return 0;
}

char *
inbox_work_path (const inbox_t *self, const char *name)
{
    assert (self && name);
    return zsys_sprintf ("%s/%s", self->work, name);
}

char *
inbox_origin (const inbox_t *self, const char *name)
{
    assert (self && name);
    return zsys_sprintf ("%s/%s", self->path, name);
}

//  Write text to the sidecar of name with suffix (".queued", ".errors")
//  in the work area. A sidecar that tells by being there (append false:
//  made empty) is synced with the work area; one that tells by its lines
//  (append true) has its data synced. Logs a failure.
static int
s_write_sidecar (inbox_t *self, const char *name, const char *suffix,
                 bool append, const char *text)
{
    char sidecar[NAME_MAX + 16];
    snprintf (sidecar, sizeof sidecar, "%s%s", name, suffix);
    int fd = openat (
        self->work_fd, sidecar,
        O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0644);
    size_t length = strlen (text);
    bool written =
        fd >= 0 && (length == 0 || write (fd, text, length) == (ssize_t)length);
    int rc = written && (append ? fdatasync (fd) == 0
                                : fsync (fd) == 0 && fsync (self->work_fd) == 0)
                 ? 0
                 : -1;
    if (fd >= 0)
        close (fd);
    if (rc != 0)
        log_error ("inbox: cannot write %s/%s: %s", self->work, sidecar,
                   strerror (errno));
    return rc;
}

int
inbox_mark_queued (inbox_t *self, const char *name)
{
    assert (self && name);
    return s_write_sidecar (self, name, ".queued", false, "");
}

bool
inbox_queued (const inbox_t *self, const char *name)
{
    assert (self && name);
    char sidecar[NAME_MAX + 16];
    snprintf (sidecar, sizeof sidecar, "%s.queued", name);
    return faccessat (self->work_fd, sidecar, F_OK, 0) == 0;
}

int
inbox_add_error (inbox_t *self, const char *name, uint32_t line,
                 const char *reason)
{
    assert (self && name && reason);
    char *text = zsys_sprintf ("%u: %s\n", line, reason);
    int rc = s_write_sidecar (self, name, ".errors", true, text);
    free (text);
    return rc;
}

typedef struct {
    uint32_t line; //  of the refused row
    char *text;    //  the whole line, owned
} error_line_t;

static int
s_error_compare (const void *one, const void *two)
{
    const error_line_t *a = (const error_line_t *)one;
    const error_line_t *b = (const error_line_t *)two;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return strcmp (a->text, b->text);
}

//  The errors sidecar in line order, each line once (an Ack received again
//  after a restart appends its rejections again). Returns a fresh string,
//  empty when there are none.
static char *
s_sorted_errors (inbox_t *self, const char *name)
{
    char *path = zsys_sprintf ("%s/%s.errors", self->work, name);
    FILE *file = fopen (path, "r");
    free (path);
    zchunk_t *chunk = file ? zchunk_read (file, 256 * 1024 * 1024) : NULL;
    if (file)
        fclose (file);
    char *text = chunk ? zchunk_strdup (chunk) : strdup ("");
    zchunk_destroy (&chunk);
    size_t count = 0, capacity = 64;
    error_line_t *lines = malloc (capacity * sizeof (error_line_t));
    assert (lines && text);
    char *cursor = text;
    while (*cursor) {
        char *end = strchr (cursor, '\n');
        if (end)
            *end = 0;
        if (*cursor) {
            if (count == capacity) {
                capacity *= 2;
                lines = realloc (lines, capacity * sizeof (error_line_t));
                assert (lines);
            }
            lines[count++] =
                (error_line_t){(uint32_t)strtoul (cursor, NULL, 10), cursor};
        }
        if (!end)
            break;
        cursor = end + 1;
    }
    qsort (lines, count, sizeof (error_line_t), s_error_compare);
    size_t size = 1;
    for (size_t index = 0; index < count; index++)
        size += strlen (lines[index].text) + 1;
    char *sorted = malloc (size);
    assert (sorted);
    sorted[0] = 0;
    char *out = sorted;
    for (size_t index = 0; index < count; index++) {
        if (index > 0 && streq (lines[index].text, lines[index - 1].text))
            continue;
        out += sprintf (out, "%s\n", lines[index].text);
    }
    free (lines);
    free (text);
    return sorted;
}

//  A free name for name in the directory dir_fd: name, or name.2, name.3...
//  Writes it into buffer.
static void
s_free_name (int dir_fd, const char *name, const char *suffix, char *buffer,
             size_t size)
{
    snprintf (buffer, size, "%s%s", name, suffix);
    for (int number = 2; faccessat (dir_fd, buffer, F_OK, 0) == 0; number++)
        snprintf (buffer, size, "%s.%d%s", name, number, suffix);
}

int
inbox_finish (inbox_t *self, const char *name, bool *failed)
{
    assert (self && name && failed);
    char *errors = s_sorted_errors (self, name);
    *failed = errors[0] != 0;
    char *target_dir =
        zsys_sprintf ("%s/%s", self->path, *failed ? "failed" : "done");
    int target_fd = open (target_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = target_fd >= 0 ? 0 : -1;
    char target[NAME_MAX + 32];
    if (rc == 0) {
        s_free_name (target_fd, name, "", target, sizeof target);
        if (*failed) {
            //  NAME.errors beside NAME, under the name the file gets.
            char errors_name[NAME_MAX + 48];
            snprintf (errors_name, sizeof errors_name, "%s.errors", target);
            int fd = openat (target_fd, errors_name,
                             O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            size_t length = strlen (errors);
            rc = fd >= 0 && write (fd, errors, length) == (ssize_t)length &&
                         fsync (fd) == 0
                     ? 0
                     : -1;
            if (fd >= 0)
                close (fd);
        }
    }
    if (rc == 0)
        rc = renameat (self->work_fd, name, target_fd, target);
    if (rc == 0)
        rc = fsync (target_fd);
    if (rc == 0) {
        char sidecar[NAME_MAX + 16];
        snprintf (sidecar, sizeof sidecar, "%s.errors", name);
        unlinkat (self->work_fd, sidecar, 0);
        snprintf (sidecar, sizeof sidecar, "%s.queued", name);
        unlinkat (self->work_fd, sidecar, 0);
        fsync (self->work_fd);
    } else
        log_error ("inbox: cannot move %s/%s to %s: %s", self->work, name,
                   target_dir, strerror (errno));
    if (target_fd >= 0)
        close (target_fd);
    free (target_dir);
    free (errors);
    return rc;
}

int
inbox_put_back (inbox_t *self, const char *name)
{
    assert (self && name);
    s_forget_sidecars (self, name);
    if (renameat (self->work_fd, name, self->dir_fd, name) != 0 ||
        fsync (self->dir_fd) != 0) {
        log_error ("inbox: cannot move %s/%s back: %s", self->work, name,
                   strerror (errno));
        return -1;
    }
    return 0;
}
