/*  app.c — plumbing shared by the three programs. */
#include "app.h"
#include "security.h"
#include "../core/period.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

//  This process's CURVE identity as a client; NULL when insecure.
static zcert_t *s_client_certificate = NULL;
static char *s_server_public_key = NULL;

char *
app_read_file (const char *path)
{
    FILE *file = fopen (path, "rb");
    if (!file)
        return NULL;
    size_t size = 0, capacity = 64 * 1024;
    char *text = malloc (capacity + 1);
    assert (text);
    size_t got;
    while ((got = fread (text + size, 1, capacity - size, file)) > 0) {
        size += got;
        if (size == capacity) {
            capacity *= 2;
            text = realloc (text, capacity + 1);
            assert (text);
        }
    }
    int failed = ferror (file);
    fclose (file);
    if (failed) {
        free (text);
        errno = EIO;
        return NULL;
    }
    text[size] = 0;
    return text;
}

int
app_write_all (int fd, const void *data, size_t size)
{
    const byte *bytes = (const byte *)data;
    while (size > 0) {
        ssize_t wrote = write (fd, bytes, size);
        if (wrote < 0 && errno == EINTR)
            continue;
        if (wrote <= 0) {
            if (wrote == 0)
                errno = EIO;
            return -1;
        }
        bytes += wrote;
        size -= (size_t)wrote;
    }
    return 0;
}

int
app_write_file_at (int dir_fd, const char *name, const void *data, size_t size,
                   bool sync)
{
    char temp[256];
    if (strlen (name) > 200) {
        errno = ENAMETOOLONG;
        return -1;
    }
    snprintf (temp, sizeof temp, "%s.tmp", name);
    int fd =
        openat (dir_fd, temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    int rc = app_write_all (fd, data, size);
    if (rc == 0 && sync)
        rc = fsync (fd);
    int saved = errno;
    if (close (fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 0 && renameat (dir_fd, temp, dir_fd, name) != 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0)
        unlinkat (dir_fd, temp, 0);
    errno = saved;
    return rc;
}

void *
app_read_all (int fd, size_t *size)
{
    struct stat status;
    if (fstat (fd, &status) != 0)
        return NULL;
    size_t total = (size_t)status.st_size;
    byte *data = malloc (total + 1);
    assert (data);
    size_t done = 0;
    while (done < total) {
        ssize_t got = read (fd, data + done, total - done);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            if (got == 0)
                errno = EIO;
            free (data);
            return NULL;
        }
        done += (size_t)got;
    }
    data[done] = 0;
    *size = done;
    return data;
}

char *
app_catalogue_text (const char *path)
{
    char *text = app_read_file (path);
    if (!text)
        fprintf (stderr, "%s: %s\n", path, strerror (errno));
    return text;
}

void
app_refused (char *error)
{
    fprintf (stderr, "%s\n", error ? error : "catalogue: not loaded");
    free (error);
}

catalogue_t *
app_load_catalogue (const char *path)
{
    char *text = app_catalogue_text (path);
    char *error = NULL;
    catalogue_t *catalogue = text ? catalogue_new (text, path, &error) : NULL;
    if (text && !catalogue)
        app_refused (error);
    free (text);
    return catalogue;
}

site_t *
app_load_site (const char *path)
{
    char *text = app_catalogue_text (path);
    char *error = NULL;
    site_t *site = text ? site_new (text, path, &error) : NULL;
    if (text && !site)
        app_refused (error);
    free (text);
    return site;
}

void
app_logging (const char *program, bool verbose)
{
    log_open (program, verbose);
    //  CZMQ's own lines (zsys_error inside CZMQ) would come in another form
    //  (two-digit year, no zone), on stdout: off, whatever ZSYS_LOGSTREAM
    //  and ZSYS_LOGSYSTEM say. Setting the stream also starts zsys.
    zsys_set_logstream (NULL);
    zsys_set_logsystem (false);
}

void
app_socket_defaults (zsock_t *socket, int linger_ms)
{
    zsock_set_linger (socket, linger_ms);
    zsock_set_maxmsgsize (socket, APP_MAX_MESSAGE);
}

int64_t
app_now_ms (void)
{
    return zclock_time ();
}

int
app_today (void)
{
    time_t now = (time_t)(app_now_ms () / 1000);
    struct tm local;
    if (!localtime_r (&now, &local))
        return PERIOD_DAY_NONE;
    return period_day_make (local.tm_year + 1900, local.tm_mon + 1,
                            local.tm_mday);
}

int
app_client_security (const site_t *site, const char *key_path,
                     const char *server_key_path, bool insecure)
{
    if (insecure || (site && site_insecure (site))) {
        log_warning ("security is off (--insecure): figures travel in plain "
                     "TCP and anyone on the path can read or forge them");
        return 0;
    }
    if (!key_path || !server_key_path) {
        fprintf (stderr,
                 "security is on: give --key FILE (this site's secret "
                 "certificate, made by 'jobtally keygen') and --server-key "
                 "FILE (the aggregator's public certificate), or --insecure\n");
        return -1;
    }
    char *error = NULL;
    zcert_t *server = security_load_public (server_key_path, &error);
    if (server) {
        s_client_certificate = security_load_secret (key_path, &error);
        if (s_client_certificate)
            s_server_public_key = strdup (zcert_public_txt (server));
        zcert_destroy (&server);
    }
    if (!s_client_certificate) {
        fprintf (stderr, "%s\n", error);
        free (error);
        return -1;
    }
    return 0;
}

void
app_secure_client (zsock_t *socket)
{
    if (s_client_certificate)
        security_client_socket (socket, s_client_certificate,
                                s_server_public_key);
}

zcert_t *
app_client_certificate (void)
{
    return s_client_certificate;
}

void
app_client_security_end (void)
{
    zcert_destroy (&s_client_certificate);
    freen (s_server_public_key);
    s_server_public_key = NULL;
}
