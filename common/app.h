/*  app.h — plumbing the three programs share: reading the catalogue file,
    logging, endpoints and the socket options every receiving socket gets.
    This is the edge where files, sockets and the clock live; core/ stays
    pure. */
#ifndef JT_APP_H_INCLUDED
#define JT_APP_H_INCLUDED

#include <czmq.h>
#include "../core/catalogue.h"
#include "log.h"
#include "site.h"

//  Where an installed jobtally keeps things (docs/operations.md, "The
//  installed layout"). CMake gives the two prefixes from GNUInstallDirs:
//  /etc and /var for a package (prefix /usr), /usr/local/etc and
//  /usr/local/var for a plain cmake --install.
#ifndef JT_SYSCONFDIR
#define JT_SYSCONFDIR "/etc"
#endif
#ifndef JT_LOCALSTATEDIR
#define JT_LOCALSTATEDIR "/var"
#endif
#define APP_CATALOGUE_FILE JT_SYSCONFDIR "/jobtally/jobtally.zpl"
#define APP_KEY_DIR JT_SYSCONFDIR "/jobtally/keys"
#define APP_STATE_DIR(program) JT_LOCALSTATEDIR "/lib/jobtally/" program
#define APP_SPOOL_DIR JT_LOCALSTATEDIR "/spool/jobtally"

#define APP_DEFAULT_COLLECT "tcp://127.0.0.1:5560"
#define APP_DEFAULT_PUBLISH "tcp://127.0.0.1:5561"
#define APP_DEFAULT_QUERY "tcp://127.0.0.1:5562"
#define APP_DEFAULT_ALERTS "tcp://127.0.0.1:5563"

//  Largest message any jobtally socket accepts (ZMQ_MAXMSGSIZE), and the
//  decode arena that goes with it.
#define APP_MAX_MESSAGE (8 * 1024 * 1024)
#define APP_ARENA_LIMIT (64 * 1024 * 1024)

//  Most updates one batch may carry.
#define APP_MAX_BATCH 10000

//  Read a whole file into a fresh NUL-terminated string the caller frees;
//  NULL with errno set on failure.
char *app_read_file (const char *path);

//  Write all size bytes of data to fd, through short writes and EINTR.
//  Returns 0, or -1 with errno (EIO when nothing could be written).
int app_write_all (int fd, const void *data, size_t size);

//  Write the file name in the directory open on dir_fd atomically:
//  name.tmp, fsync (when sync), rename over name. The caller fsyncs the
//  directory. A name longer than 200 bytes fails (ENAMETOOLONG). Returns
//  0, or -1 with errno (name.tmp removed).
int app_write_file_at (int dir_fd, const char *name, const void *data,
                       size_t size, bool sync);

//  Read the whole of the regular file open on fd into a fresh buffer the
//  caller frees, NUL-terminated (so a text file reads as a string), with
//  its size in *size. NULL with errno on failure, a short read included
//  (EIO): callers that tell a cut file from a damaged one must never take
//  part of a file for all of it.
void *app_read_all (int fd, size_t *size);

//  Load and check a catalogue file. On failure prints "file:line: reason"
//  (or "file: reason") to stderr and returns NULL.
catalogue_t *app_load_catalogue (const char *path);

//  Load and check the site's sections of the same file (common/site.h),
//  reporting as app_load_catalogue does.
site_t *app_load_site (const char *path);

//  The catalogue file's text, a fresh string the caller frees; NULL when
//  it cannot be read, told on stderr ("path: reason").
char *app_catalogue_text (const char *path);

//  Tell a reader's refusal ("file:line: reason", from catalogue_new,
//  site_new or another part's reader) on stderr, and free it.
void app_refused (char *error);

//  Log as program (common/log.h), debug lines too when verbose, and turn
//  CZMQ's own log off so that every line on standard error is ours.
void app_logging (const char *program, bool verbose);

//  Apply the options every jobtally socket gets: linger (ms) and the
//  maximum message size.
void app_socket_defaults (zsock_t *socket, int linger_ms);

//  Set up this process's CURVE client identity, used by every socket it
//  connects to the aggregator: its own secret certificate (key_path) and
//  the aggregator's public certificate (server_key_path). With insecure
//  (the --insecure flag, or security/insecure in the site) plain TCP
//  is used and a warning logged. Returns 0, or -1 with the reason printed
//  on stderr. One identity per process: a collector or reporter is one
//  site.
int app_client_security (const site_t *site, const char *key_path,
                         const char *server_key_path, bool insecure);

//  Make socket a CURVE client with that identity (nothing when insecure).
//  Call before connect.
void app_secure_client (zsock_t *socket);

//  This process's certificate (its own keys), or NULL when insecure; a
//  reporter serves its alert stream with it. Borrowed.
zcert_t *app_client_certificate (void);

//  Release the identity; call once on the way out.
void app_client_security_end (void);

//  Wall clock in milliseconds since the epoch (zclock_time).
int64_t app_now_ms (void);

//  Today by the wall clock, in the local time zone, as a day of period.h;
//  PERIOD_DAY_NONE when the clock cannot be read as a date.
int app_today (void);

#endif
