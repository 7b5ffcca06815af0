/*  doctor.c — jobtally doctor: the catalogue, the keys, the state
    directories, the ports and the clock, one line a check. */

#include "doctor.h"

#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <netdb.h>
#include <pwd.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "security.h"
#include "wording.h"

//  "s" after a count other than one.
static const char *
s_plural (int count)
{
    return count == 1 ? "" : "s";
}

//  Print one check's line; 1 when it needs a fix, else 0.
static int
s_line (FILE *out, bool ok, const char *what, const char *format, ...)
{
    fprintf (out, "%-5s %s: ", ok ? "ok" : "fix", what);
    va_list arguments;
    va_start (arguments, format);
    vfprintf (out, format, arguments);
    va_end (arguments);
    fputc ('\n', out);
    return ok ? 0 : 1;
}

//  The catalogue: every part of the file reads. Its site, or NULL.
static site_t *
s_catalogue (FILE *out, const char *path, int *fixes)
{
    if (!path) {
        *fixes += s_line (out, false, "catalogue",
                          "none at " APP_CATALOGUE_FILE
                          ": install one there, or give -c FILE");
        return NULL;
    }
    char *text = app_read_file (path);
    if (!text) {
        *fixes +=
            s_line (out, false, "catalogue", "%s: %s", path, strerror (errno));
        return NULL;
    }
    char *error = NULL;
    catalogue_t *catalogue = catalogue_new (text, path, &error);
    site_t *site = NULL;
    if (catalogue && wording_check (text, path, catalogue, &error))
        site = site_new (text, path, &error);
    if (site)
        *fixes += s_line (out, true, "catalogue",
                          "%s is valid: %d region%s, %d indicator%s, "
                          "%d source%s",
                          path, catalogue_region_count (catalogue),
                          s_plural (catalogue_region_count (catalogue)),
                          catalogue_indicator_count (catalogue),
                          s_plural (catalogue_indicator_count (catalogue)),
                          site_source_count (site),
                          s_plural (site_source_count (site)));
    else
        *fixes += s_line (out, false, "catalogue",
                          "%s: fix it and run "
                          "jobtally doctor again",
                          error);
    freen (error);
    catalogue_destroy (&catalogue);
    free (text);
    return site;
}

//  Each *.key_secret in dir: private to its owner.
static int
s_secret_keys (FILE *out, const char *dir)
{
    char *error = NULL;
    zlistx_t *names = security_key_files (dir, ".key_secret", &error);
    if (!names) {
        int fix = s_line (out, false, "keys", "%s", error);
        freen (error);
        return fix;
    }
    int fixes = 0;
    if (zlistx_size (names) == 0)
        fixes += s_line (out, false, "keys",
                         "no secret key (NAME.key_secret) in %s: make this "
                         "site's with jobtally keygen NAME --dir %s",
                         dir, dir);
    for (char *name = (char *)zlistx_first (names); name;
         name = (char *)zlistx_next (names)) {
        char *path = zsys_sprintf ("%s/%s", dir, name);
        struct stat status;
        if (stat (path, &status) != 0)
            fixes +=
                s_line (out, false, "keys", "%s: %s", path, strerror (errno));
        else if (status.st_mode & 077)
            fixes +=
                s_line (out, false, "keys",
                        "%s has mode %04o, readable by others: chmod 600 %s",
                        path, (unsigned)(status.st_mode & 07777), path);
        else
            fixes += s_line (out, true, "keys", "%s is private (mode %04o)",
                             path, (unsigned)(status.st_mode & 07777));
        freen (path);
    }
    zlistx_destroy (&names);
    return fixes;
}

//  The key directory: present, not writable by others, its secret keys
//  private and its public keys readable and for known sources.
static int
s_keys (FILE *out, const char *dir, const site_t *site)
{
    if (site && site_insecure (site))
        return s_line (out, true, "keys",
                       "the catalogue says security/insecure = yes: plain "
                       "TCP, no keys used");
    struct stat status;
    if (!dir || stat (dir, &status) != 0 || !S_ISDIR (status.st_mode))
        return s_line (out, false, "keys",
                       "no key directory at %s: make keys with jobtally "
                       "keygen NAME --dir %s",
                       dir ? dir : APP_KEY_DIR, dir ? dir : APP_KEY_DIR);
    int fixes = 0;
    if (status.st_mode & 022)
        fixes += s_line (out, false, "keys",
                         "%s is writable by group or others: chmod go-w %s",
                         dir, dir);
    fixes += s_secret_keys (out, dir);
    if (!site)
        return fixes;
    char *warnings = NULL, *error = NULL;
    keyring_t *keyring = keyring_new (site, dir, &warnings, &error);
    if (!keyring)
        fixes += s_line (out, false, "keys", "%s", error);
    else if (warnings)
        fixes += s_line (out, false, "keys",
                         "%s: remove the file or add "
                         "the source to the catalogue",
                         warnings);
    else {
        size_t collectors = keyring_collector_count (keyring);
        size_t subscribers = keyring_subscriber_count (keyring);
        fixes += s_line (out, true, "keys",
                         "%zu collector key%s, %zu subscriber key%s admitted",
                         collectors, s_plural ((int)collectors), subscribers,
                         s_plural ((int)subscribers));
    }
    freen (warnings);
    freen (error);
    keyring_destroy (&keyring);
    return fixes;
}

//  Each program's state directory under root: absent (made at its first
//  start) or writable by the service user (else by whoever runs doctor).
static int
s_state (FILE *out, const char *root, const char *user)
{
    static const char *programs[] = {"aggregator", "collector", "reporter"};
    const struct passwd *account = user ? getpwnam (user) : NULL;
    int fixes = 0;
    for (int index = 0; index < 3; index++) {
        char *dir = zsys_sprintf ("%s/%s", root, programs[index]);
        struct stat status;
        if (stat (dir, &status) != 0)
            fixes += s_line (out, true, "state",
                             "%s absent: the %s makes it at its first start",
                             dir, programs[index]);
        else if (account && status.st_uid != account->pw_uid)
            fixes += s_line (out, false, "state",
                             "%s is not owned by %s: chown -R %s: %s", dir,
                             user, user, dir);
        else if (!account && access (dir, W_OK) != 0)
            fixes += s_line (out, false, "state", "%s is not writable: %s", dir,
                             strerror (errno));
        else
            fixes += s_line (out, true, "state", "%s writable by %s", dir,
                             account ? user : "this user");
        freen (dir);
    }
    return fixes;
}

//  The process listening on TCP port (its name in name), or 0.
static pid_t
s_port_holder (int port, char *name, size_t size)
{
    unsigned long inode = 0;
    const char *tables[] = {"/proc/net/tcp", "/proc/net/tcp6"};
    for (int table = 0; table < 2 && !inode; table++) {
        FILE *file = fopen (tables[table], "r");
        char line[512];
        while (file && !inode && fgets (line, sizeof line, file)) {
            char local[64];
            unsigned state, local_port;
            unsigned long node;
            if (sscanf (line,
                        " %*d: %63[0-9A-Fa-f]:%x %*s %x %*s %*s %*s %*d "
                        "%*d %lu",
                        local, &local_port, &state, &node) == 4 &&
                state == 0x0A && (int)local_port == port)
                inode = node;
        }
        if (file)
            fclose (file);
    }
    DIR *proc = inode ? opendir ("/proc") : NULL;
    struct dirent *entry;
    pid_t holder = 0;
    char wanted[64];
    snprintf (wanted, sizeof wanted, "socket:[%lu]", inode);
    while (proc && !holder && (entry = readdir (proc))) {
        pid_t pid = (pid_t)atoi (entry->d_name);
        char path[64];
        snprintf (path, sizeof path, "/proc/%d/fd", (int)pid);
        DIR *fds = pid > 0 ? opendir (path) : NULL;
        struct dirent *fd;
        while (fds && !holder && (fd = readdir (fds))) {
            char link[330], target[64];
            snprintf (link, sizeof link, "%s/%s", path, fd->d_name);
            ssize_t got = readlink (link, target, sizeof target - 1);
            if (got > 0 && (target[got] = 0, streq (target, wanted)))
                holder = pid;
        }
        if (fds)
            closedir (fds);
    }
    if (proc)
        closedir (proc);
    //  Its program's name: argv[0]'s last part (comm is cut at 15 bytes).
    name[0] = 0;
    char path[64], command[PATH_MAX] = "";
    snprintf (path, sizeof path, "/proc/%d/cmdline", (int)holder);
    FILE *file = holder ? fopen (path, "r") : NULL;
    if (file) {
        size_t got = fread (command, 1, sizeof command - 1, file);
        command[got] = 0;
        fclose (file);
    }
    const char *slash = strrchr (command, '/');
    snprintf (name, size, "%s", slash ? slash + 1 : command);
    return holder;
}

//  One endpoint that a jobtally program binds: free, another machine's,
//  or held by a jobtally program.
static int
s_port (FILE *out, const char *role, const char *endpoint)
{
    char host[256];
    int port;
    if (sscanf (endpoint, "tcp://%255[^:]:%d", host, &port) != 2)
        return s_line (out, true, "port",
                       "%s %s is not a fixed TCP port, nothing to check", role,
                       endpoint);
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE},
                    *address = NULL;
    char service[16];
    snprintf (service, sizeof service, "%d", port);
    int rc = getaddrinfo (streq (host, "*") ? NULL : host, service, &hints,
                          &address);
    if (rc != 0)
        return s_line (out, false, "port", "%s %s: %s: fix endpoints/%s", role,
                       endpoint, gai_strerror (rc), role);
    int fd = socket (address->ai_family, SOCK_STREAM, 0);
    int yes = 1;
    int bound = fd >= 0 && setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &yes,
                                       sizeof yes) == 0
                    ? bind (fd, address->ai_addr, address->ai_addrlen)
                    : -1;
    int why = errno;
    if (fd >= 0)
        close (fd);
    freeaddrinfo (address);
    if (bound == 0)
        return s_line (out, true, "port", "%s %s is free", role, endpoint);
    if (why == EADDRNOTAVAIL)
        return s_line (out, true, "port",
                       "%s %s is another machine's: this site connects to it",
                       role, endpoint);
    if (why != EADDRINUSE)
        return s_line (out, false, "port", "%s %s: %s", role, endpoint,
                       strerror (why));
    char name[64];
    pid_t holder = s_port_holder (port, name, sizeof name);
    if (holder && strncmp (name, "jobtally", 8) == 0)
        return s_line (out, true, "port", "%s %s is held by %s (pid %d)", role,
                       endpoint, name, (int)holder);
    if (holder)
        return s_line (out, false, "port",
                       "%s %s is held by %s (pid %d): stop it, or give "
                       "endpoints/%s another port in the catalogue",
                       role, endpoint, name, (int)holder, role);
    return s_line (out, false, "port",
                   "%s %s is in use by a process this user cannot see: free "
                   "it, or give endpoints/%s another port",
                   role, endpoint, role);
}

//  The endpoints a jobtally program binds or connects, as the site gives
//  them or their defaults.
static int
s_ports (FILE *out, const site_t *site)
{
    static const char *roles[] = {"collect", "publish", "query", "alerts"};
    static const char *defaults[] = {APP_DEFAULT_COLLECT, APP_DEFAULT_PUBLISH,
                                     APP_DEFAULT_QUERY, APP_DEFAULT_ALERTS};
    int fixes = 0;
    for (int index = 0; index < 4; index++) {
        const char *endpoint = site ? site_endpoint (site, roles[index]) : NULL;
        fixes +=
            s_port (out, roles[index], endpoint ? endpoint : defaults[index]);
    }
    return fixes;
}

//  The clock: a date this century that a report could bear.
static int
s_clock (FILE *out, time_t now)
{
    struct tm utc;
    gmtime_r (&now, &utc);
    char reading[32];
    strftime (reading, sizeof reading, "%Y-%m-%d %H:%M:%S UTC", &utc);
    if (utc.tm_year + 1900 < 2024 || utc.tm_year + 1900 > 2100)
        return s_line (out, false, "clock",
                       "reads %s: set the time (timedatectl set-ntp true)",
                       reading);
    return s_line (out, true, "clock", "reads %s", reading);
}

int
doctor_run (FILE *out, const doctor_config_t *config)
{
    int fixes = 0;
    site_t *site = s_catalogue (out, config->catalogue, &fixes);
    fixes += s_keys (out, config->key_dir, site);
    fixes += s_state (out, config->state_root, config->user);
    fixes += s_ports (out, site);
    fixes += s_clock (out, config->now);
    site_destroy (&site);
    return fixes;
}
