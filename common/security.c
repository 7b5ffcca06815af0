/*  security.c — CURVE for every jobtally socket (common/security.h,
    docs/security.md).

    Certificates are CZMQ's: NAME.key holds the public key, NAME.key_secret
    both keys. A secret file is read only when group and others have no
    access to it, and is created with mode 0600 from the start: its name is
    reserved with O_EXCL and mode 0600 before zcert_save writes into it, so
    that it never exists with a looser mode and never overwrites a key.

    jobtally answers ZAP (RFC 27) itself rather than using zauth: zauth
    keeps one key set for every socket, so it cannot tell a collector from
    a subscriber, and its zcertstore reloads a directory only when the
    directory's mtime, file count or size changes. */

#include <czmq.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "security.h"
#include "log.h"

#define S_ZAP_ENDPOINT "inproc://zeromq.zap.01"
#define S_KEY_TEXT 40          //  a Z85 key
#define S_KEY_BINARY 32        //  a CURVE key
#define S_CERT_MAX (64 * 1024) //  largest certificate file we read
#define S_SHOWN_MAX 64         //  most characters of a frame we log
#define S_DIGEST_MAX                                                           \
    (4 * 1024 * 1024) //  largest file whose contents
                      //  the fingerprint hashes

//  What one public key may do.
typedef struct {
    int source;      //  site source index (site.h), or -1
    bool subscriber; //  listed as a subscriber
} s_entry_t;

struct _keyring_t {
    zhashx_t *keys;          //  Z85 public key -> s_entry_t (owned)
    size_t collector_count;  //  keys with a source
    size_t subscriber_count; //  keys with subscriber set
};

struct _zap_t {
    zsock_t *socket;  //  REP bound to inproc://zeromq.zap.01
    uint64_t refused; //  handshakes answered 400
};

//  Set *error (when error is not NULL) to a fresh formatted message.
static void s_error (char **error, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

static void
s_error (char **error, const char *format, ...)
{
    if (!error)
        return;
    va_list args;
    va_start (args, format);
    *error = zsys_vprintf (format, args);
    va_end (args);
    if (!*error)
        abort ();
}

//  Append a formatted line to *text (a fresh string or NULL).
static void s_append (char **text, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

static void
s_append (char **text, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *line = zsys_vprintf (format, args);
    va_end (args);
    if (!line)
        abort ();
    if (!*text) {
        *text = line;
        return;
    }
    char *joined = zsys_sprintf ("%s\n%s", *text, line);
    if (!joined)
        abort ();
    free (*text);
    free (line);
    *text = joined;
}

static bool
s_ends_with (const char *text, const char *suffix)
{
    size_t length = strlen (text);
    size_t suffix_length = strlen (suffix);
    return length >= suffix_length &&
           streq (text + length - suffix_length, suffix);
}

//  Decode a Z85 key of exactly 40 characters; false when it is not one.
static bool
s_decode_key (const char *text, byte *key)
{
    return text && strlen (text) == S_KEY_TEXT &&
           zmq_z85_decode (key, text) != NULL;
}

//  Read a certificate file that is already open (fd is consumed) into a
//  fresh zconfig tree; NULL and *error on failure.
static zconfig_t *
s_read_certificate (int fd, const char *path, char **error)
{
    char *text = malloc (S_CERT_MAX + 1);
    if (!text)
        abort ();
    size_t length = 0;
    while (length < S_CERT_MAX) {
        ssize_t got = read (fd, text + length, S_CERT_MAX - length);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            s_error (error, "%s: cannot read: %s", path, strerror (errno));
            free (text);
            close (fd);
            return NULL;
        }
        if (got == 0)
            break;
        length += (size_t)got;
    }
    close (fd);
    if (length == S_CERT_MAX) {
        s_error (error, "%s: not a certificate (larger than %d bytes)", path,
                 S_CERT_MAX);
        free (text);
        return NULL;
    }
    text[length] = '\0';
    zconfig_t *root = zconfig_str_load (text);
    free (text);
    if (!root)
        s_error (error, "%s: not a certificate (syntax error)", path);
    return root;
}

//  Open path for reading and check it is a regular file; -1 and *error
//  otherwise. *status is the file's status.
static int
s_open_file (const char *path, struct stat *status, char **error)
{
    int fd = open (path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        s_error (error, "%s: cannot open: %s", path, strerror (errno));
        return -1;
    }
    if (fstat (fd, status) || !S_ISREG (status->st_mode)) {
        s_error (error, "%s: not a regular file", path);
        close (fd);
        return -1;
    }
    return fd;
}

//  Load a certificate with its secret key. path may name the secret file
//  (NAME.key_secret) or the public one (NAME.key), in which case its
//  _secret companion is read.
zcert_t *
security_load_secret (const char *path, char **error)
{
    assert (path);
    char *secret_path = s_ends_with (path, "_secret")
                            ? strdup (path)
                            : zsys_sprintf ("%s_secret", path);
    if (!secret_path)
        abort ();
    zcert_t *certificate = NULL;
    struct stat status;
    int fd = s_open_file (secret_path, &status, error);
    if (fd < 0)
        goto done;
    if (status.st_mode & 077) {
        s_error (error,
                 "%s: permissions %04o are too open (must be 0600 or "
                 "stricter)",
                 secret_path, (unsigned)(status.st_mode & 07777));
        close (fd);
        goto done;
    }
    zconfig_t *root = s_read_certificate (fd, secret_path, error);
    if (!root)
        goto done;
    byte public_key[S_KEY_BINARY];
    byte secret_key[S_KEY_BINARY];
    char *public_text = zconfig_get (root, "/curve/public-key", NULL);
    char *secret_text = zconfig_get (root, "/curve/secret-key", NULL);
    if (!s_decode_key (secret_text, secret_key))
        s_error (error, "%s: no secret key (curve/secret-key)", secret_path);
    else if (!s_decode_key (public_text, public_key))
        s_error (error, "%s: no public key (curve/public-key)", secret_path);
    else {
        //  A public key that does not belong to the secret one would make
        //  every handshake fail far from here; say so now.
        char derived[S_KEY_TEXT + 1];
        if (zmq_curve_public (derived, secret_text) == 0 &&
            !streq (derived, public_text))
            s_error (error,
                     "%s: the public key does not belong to the secret key",
                     secret_path);
        else
            certificate = zcert_new_from (public_key, secret_key);
    }
    explicit_bzero (secret_key, sizeof secret_key);
    zconfig_destroy (&root);
done:
    free (secret_path);
    return certificate;
}

zcert_t *
security_load_public (const char *path, char **error)
{
    assert (path);
    struct stat status;
    int fd = s_open_file (path, &status, error);
    if (fd < 0)
        return NULL;
    zconfig_t *root = s_read_certificate (fd, path, error);
    if (!root)
        return NULL;
    zcert_t *certificate = NULL;
    byte public_key[S_KEY_BINARY];
    byte secret_key[S_KEY_BINARY] = {0};
    char *public_text = zconfig_get (root, "/curve/public-key", NULL);
    if (s_decode_key (public_text, public_key))
        certificate = zcert_new_from (public_key, secret_key);
    else
        s_error (error, "%s: no public key (curve/public-key)", path);
    zconfig_destroy (&root);
    return certificate;
}

//  Reserve path with O_EXCL and mode; false and *error when it exists or
//  cannot be created.
static bool
s_reserve (const char *path, mode_t mode, char **error)
{
    int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        if (errno == EEXIST)
            s_error (error, "%s: already exists; not overwriting a key", path);
        else
            s_error (error, "%s: cannot create: %s", path, strerror (errno));
        return false;
    }
    close (fd);
    return true;
}

zcert_t *
security_keygen (const char *dir, const char *name, char **error)
{
    assert (dir);
    assert (name);
    if (!jt_id_valid (name)) {
        s_error (error,
                 "bad key name '%s' (use 1-64 lower-case letters, digits, "
                 "'_', '-' and '.')",
                 name);
        return NULL;
    }
    struct stat status;
    if (stat (dir, &status) && zsys_dir_create ("%s", dir)) {
        s_error (error, "%s: cannot create directory: %s", dir,
                 strerror (errno));
        return NULL;
    }
    if (stat (dir, &status) || !S_ISDIR (status.st_mode)) {
        s_error (error, "%s: not a directory", dir);
        return NULL;
    }
    char *public_path = zsys_sprintf ("%s/%s.key", dir, name);
    char *secret_path = zsys_sprintf ("%s/%s.key_secret", dir, name);
    if (!public_path || !secret_path)
        abort ();
    zcert_t *certificate = NULL;
    bool public_made = false;
    bool secret_made = false;
    if (!(public_made = s_reserve (public_path, 0644, error)) ||
        !(secret_made = s_reserve (secret_path, 0600, error)))
        goto failed;

    certificate = zcert_new ();
    if (!certificate)
        abort ();
    zcert_set_meta (certificate, "name", "%s", name);
    zcert_set_meta (certificate, "created-by", "jobtally keygen %s",
                    JT_VERSION);
    //  Writes into the reserved files, which keep their modes.
    if (zcert_save (certificate, public_path)) {
        s_error (error, "%s: cannot write the key pair: %s", public_path,
                 strerror (errno));
        goto failed;
    }
    if (stat (secret_path, &status)) {
        s_error (error, "%s: cannot stat: %s", secret_path, strerror (errno));
        goto failed;
    }
    if ((status.st_mode & 0777) != 0600 && chmod (secret_path, 0600)) {
        s_error (error, "%s: cannot make it mode 0600: %s", secret_path,
                 strerror (errno));
        goto failed;
    }
    free (public_path);
    free (secret_path);
    return certificate;

failed:
    if (public_made)
        unlink (public_path);
    if (secret_made)
        unlink (secret_path);
    zcert_destroy (&certificate);
    free (public_path);
    free (secret_path);
    return NULL;
}

//  The entry for key, made when absent.
static s_entry_t *
s_entry (keyring_t *self, const char *key)
{
    s_entry_t *entry = zhashx_lookup (self->keys, key);
    if (!entry) {
        entry = malloc (sizeof (s_entry_t));
        if (!entry)
            abort ();
        entry->source = -1;
        entry->subscriber = false;
        zhashx_insert (self->keys, key, entry);
    }
    return entry;
}

//  List a collector key; a key that belongs to another source already is
//  skipped with a warning naming where it came from.
static void
s_add_collector (keyring_t *self, const site_t *site, const char *key,
                 int source, const char *from, char **warnings)
{
    s_entry_t *entry = s_entry (self, key);
    if (entry->source == source)
        return;
    if (entry->source >= 0) {
        s_append (warnings,
                  "%s: key is already the key of source '%s'; skipped", from,
                  site_source (site, entry->source)->id);
        return;
    }
    entry->source = source;
    self->collector_count++;
}

static void
s_add_subscriber (keyring_t *self, const char *key)
{
    s_entry_t *entry = s_entry (self, key);
    if (!entry->subscriber) {
        entry->subscriber = true;
        self->subscriber_count++;
    }
}

//  Destructor for zlistx and zhashx items that are plain heap blocks.
static void
s_free_item (void **item_p)
{
    free (*item_p);
    *item_p = NULL;
}

static int
s_compare_names (const void *first, const void *second)
{
    return strcmp ((const char *)first, (const char *)second);
}

zlistx_t *
security_key_files (const char *dir, const char *suffix, char **error)
{
    zlistx_t *names = zlistx_new ();
    if (!names)
        abort ();
    zlistx_set_destructor (names, s_free_item);
    zlistx_set_comparator (names, s_compare_names);
    DIR *handle = opendir (dir);
    if (!handle) {
        if (errno == ENOENT)
            return names;
        s_error (error, "%s: cannot read directory: %s", dir, strerror (errno));
        zlistx_destroy (&names);
        return NULL;
    }
    struct dirent *entry;
    while ((entry = readdir (handle))) {
        if (entry->d_name[0] == '.' || !s_ends_with (entry->d_name, suffix))
            continue; //  hidden, NAME.key_secret for .key, editor backups
        char *name = strdup (entry->d_name);
        if (!name)
            abort ();
        zlistx_add_end (names, name);
    }
    closedir (handle);
    zlistx_sort (names);
    return names;
}

//  Read the public keys of dir/*.key; subscribers when source_keys is
//  false. Returns -1 and *error when a file cannot be read.
static int
s_read_key_dir (keyring_t *self, const site_t *site, const char *key_dir,
                const char *subdir, char **warnings, char **error)
{
    char *dir = zsys_sprintf ("%s/%s", key_dir, subdir);
    if (!dir)
        abort ();
    bool collectors = streq (subdir, "collectors");
    zlistx_t *names = security_key_files (dir, ".key", error);
    int rc = names ? 0 : -1;
    for (char *name = names ? zlistx_first (names) : NULL; name && rc == 0;
         name = zlistx_next (names)) {
        char *path = zsys_sprintf ("%s/%s", dir, name);
        if (!path)
            abort ();
        int source = -1;
        if (collectors) {
            name[strlen (name) - strlen (".key")] = '\0';
            source = site_source_find (site, name);
            if (source < 0) {
                s_append (warnings,
                          "%s: no source '%s' in the catalogue; skipped", path,
                          name);
                free (path);
                continue;
            }
        }
        zcert_t *certificate = security_load_public (path, error);
        if (!certificate)
            rc = -1;
        else if (collectors)
            s_add_collector (self, site, zcert_public_txt (certificate), source,
                             path, warnings);
        else
            s_add_subscriber (self, zcert_public_txt (certificate));
        zcert_destroy (&certificate);
        free (path);
    }
    zlistx_destroy (&names);
    free (dir);
    return rc;
}

keyring_t *
keyring_new (const site_t *site, const char *key_dir, char **warnings,
             char **error)
{
    assert (site);
    char *warning_text = NULL;
    keyring_t *self = calloc (1, sizeof (keyring_t));
    if (!self)
        abort ();
    self->keys = zhashx_new ();
    if (!self->keys)
        abort ();
    zhashx_set_destructor (self->keys, s_free_item);

    for (int index = 0; index < site_source_count (site); index++) {
        const site_key_t *source = site_source (site, index);
        if (source->public_key)
            s_add_collector (self, site, source->public_key, index, "catalogue",
                             &warning_text);
    }
    for (int index = 0; index < site_subscriber_count (site); index++)
        s_add_subscriber (self, site_subscriber (site, index)->public_key);

    int rc = 0;
    if (key_dir) {
        struct stat status;
        if (stat (key_dir, &status) || !S_ISDIR (status.st_mode)) {
            s_error (error, "%s: not a readable key directory", key_dir);
            rc = -1;
        }
        if (rc == 0)
            rc = s_read_key_dir (self, site, key_dir, "collectors",
                                 &warning_text, error);
        if (rc == 0)
            rc = s_read_key_dir (self, site, key_dir, "subscribers",
                                 &warning_text, error);
    }
    if (rc) {
        free (warning_text);
        keyring_destroy (&self);
        if (warnings)
            *warnings = NULL;
        return NULL;
    }
    if (warnings)
        *warnings = warning_text;
    else
        free (warning_text);
    if (error)
        *error = NULL;
    return self;
}

void
keyring_destroy (keyring_t **self_p)
{
    assert (self_p);
    keyring_t *self = *self_p;
    if (!self)
        return;
    zhashx_destroy (&self->keys);
    free (self);
    *self_p = NULL;
}

int
keyring_source (const keyring_t *self, const char *public_key)
{
    assert (self);
    if (!public_key)
        return -1;
    s_entry_t *entry = zhashx_lookup (self->keys, public_key);
    return entry ? entry->source : -1;
}

bool
keyring_subscriber (const keyring_t *self, const char *public_key)
{
    assert (self);
    if (!public_key)
        return false;
    s_entry_t *entry = zhashx_lookup (self->keys, public_key);
    return entry && entry->subscriber;
}

size_t
keyring_collector_count (const keyring_t *self)
{
    assert (self);
    return self->collector_count;
}

size_t
keyring_subscriber_count (const keyring_t *self)
{
    assert (self);
    return self->subscriber_count;
}

//  SHA-1 of a regular file's contents as hex, or "-" when it cannot be
//  read or is larger than S_DIGEST_MAX. Fresh string.
static char *
s_file_digest (const char *path, const struct stat *status)
{
    char *result = NULL;
    if (S_ISREG (status->st_mode) && status->st_size <= S_DIGEST_MAX) {
        int fd = open (path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            zdigest_t *digest = zdigest_new ();
            if (!digest)
                abort ();
            byte buffer[4096];
            ssize_t got;
            while ((got = read (fd, buffer, sizeof buffer)) > 0)
                zdigest_update (digest, buffer, (size_t)got);
            if (got == 0)
                result = strdup (zdigest_string (digest));
            zdigest_destroy (&digest);
            close (fd);
        }
    }
    if (!result)
        result = strdup ("-");
    if (!result)
        abort ();
    return result;
}

//  One line per path: its name, mode, size, mtime and ctime in ns, inode
//  and a digest of its contents, or "missing". Timestamps have the
//  granularity of the kernel's clock tick, so a rewrite that keeps the
//  size can keep them too; the digest catches that.
static void
s_print_status (FILE *out, const char *path)
{
    struct stat status;
    if (stat (path, &status)) {
        fprintf (out, "%s missing\n", path);
        return;
    }
    char *digest = s_file_digest (path, &status);
    fprintf (out, "%s %o %lld %lld.%09ld %lld.%09ld %llu %s\n", path,
             (unsigned)status.st_mode, (long long)status.st_size,
             (long long)status.st_mtim.tv_sec, status.st_mtim.tv_nsec,
             (long long)status.st_ctim.tv_sec, status.st_ctim.tv_nsec,
             (unsigned long long)status.st_ino, digest);
    free (digest);
}

//  Every entry of dir (not only *.key: renaming x.key to x.key.old must
//  show too), sorted.
static void
s_print_dir (FILE *out, const char *dir)
{
    s_print_status (out, dir);
    struct dirent **entries = NULL;
    int count = scandir (dir, &entries, NULL, alphasort);
    for (int index = 0; index < count; index++) {
        const char *name = entries[index]->d_name;
        if (!streq (name, ".") && !streq (name, "..")) {
            char *path = zsys_sprintf ("%s/%s", dir, name);
            if (!path)
                abort ();
            s_print_status (out, path);
            free (path);
        }
        free (entries[index]);
    }
    free (entries);
}

char *
security_watch_fingerprint (const char *catalogue_path, const char *key_dir)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    if (!out)
        abort ();
    if (catalogue_path)
        s_print_status (out, catalogue_path);
    if (key_dir) {
        s_print_status (out, key_dir);
        char *dir = zsys_sprintf ("%s/collectors", key_dir);
        if (!dir)
            abort ();
        s_print_dir (out, dir);
        free (dir);
        dir = zsys_sprintf ("%s/subscribers", key_dir);
        if (!dir)
            abort ();
        s_print_dir (out, dir);
        free (dir);
    }
    if (fclose (out) || !text)
        abort ();
    return text;
}

zap_t *
zap_new (void)
{
    zap_t *self = calloc (1, sizeof (zap_t));
    if (!self)
        abort ();
    self->socket = zsock_new (ZMQ_REP);
    if (!self->socket)
        abort ();
    zsock_set_linger (self->socket, 0);
    if (zsock_bind (self->socket, "%s", S_ZAP_ENDPOINT)) {
        //  Another ZAP handler (zauth?) already runs in this process.
        log_error ("security: cannot bind %s: %s", S_ZAP_ENDPOINT,
                   zmq_strerror (zmq_errno ()));
        zap_destroy (&self);
    }
    return self;
}

void
zap_destroy (zap_t **self_p)
{
    assert (self_p);
    zap_t *self = *self_p;
    if (!self)
        return;
    zsock_destroy (&self->socket);
    free (self);
    *self_p = NULL;
}

zsock_t *
zap_socket (zap_t *self)
{
    assert (self);
    return self->socket;
}

uint64_t
zap_refused (zap_t *self)
{
    assert (self);
    return self->refused;
}

//  A frame as printable text for the log: at most S_SHOWN_MAX characters,
//  anything outside printable ASCII as '?'. Fresh string.
static char *
s_shown (zframe_t *frame)
{
    if (!frame)
        return strdup ("-");
    size_t size = zframe_size (frame);
    if (size > S_SHOWN_MAX)
        size = S_SHOWN_MAX;
    char *text = malloc (size + 1);
    if (!text)
        abort ();
    const byte *data = zframe_data (frame);
    for (size_t index = 0; index < size; index++)
        text[index] =
            data[index] >= 0x20 && data[index] < 0x7f ? (char)data[index] : '?';
    text[size] = '\0';
    return text;
}

//  True when frame holds exactly text.
static bool
s_frame_is (zframe_t *frame, const char *text)
{
    return frame && zframe_streq (frame, text);
}

void
zap_handle (zap_t *self, const keyring_t *keyring)
{
    assert (self);
    zmsg_t *request = zmsg_recv (self->socket);
    if (!request)
        return; //  interrupted
    //  Frames: version, request id, domain, address, identity, mechanism,
    //  credentials... (RFC 27).
    //  A missing frame is NULL (zmsg_next wraps around at the end).
    zframe_t *frames[7] = {NULL};
    size_t frame_count = zmsg_size (request);
    zframe_t *frame = zmsg_first (request);
    for (size_t index = 0; index < 7 && index < frame_count; index++) {
        frames[index] = frame;
        frame = zmsg_next (request);
    }
    zframe_t *version = frames[0];
    zframe_t *request_id = frames[1];
    zframe_t *domain = frames[2];
    zframe_t *address = frames[3];
    zframe_t *mechanism = frames[5];
    zframe_t *credential = frames[6];

    char key[S_KEY_TEXT + 1] = "-";
    const char *reason = NULL;
    if (!s_frame_is (version, "1.0") || !mechanism)
        reason = "malformed ZAP request";
    else if (!s_frame_is (mechanism, "CURVE"))
        reason = "CURVE required";
    else if (!credential || zframe_size (credential) != S_KEY_BINARY ||
             frame_count != 7)
        reason = "malformed CURVE credentials";
    else {
        zmq_z85_encode (key, zframe_data (credential), S_KEY_BINARY);
        bool listed = false;
        if (keyring && s_frame_is (domain, SECURITY_DOMAIN_COLLECT))
            listed = keyring_source (keyring, key) >= 0;
        else if (keyring && s_frame_is (domain, SECURITY_DOMAIN_SUBSCRIBE))
            listed = keyring_subscriber (keyring, key);
        if (!listed)
            reason = "key not listed";
    }

    zmsg_t *reply = zmsg_new ();
    if (!reply)
        abort ();
    zmsg_addstr (reply, "1.0");
    if (request_id)
        zmsg_addmem (reply, zframe_data (request_id), zframe_size (request_id));
    else
        zmsg_addmem (reply, NULL, 0);
    if (reason) {
        self->refused++;
        char *shown_mechanism = s_shown (mechanism);
        char *shown_address = s_shown (address);
        char *shown_domain = s_shown (domain);
        log_warning ("security: refused %s key %s from %s on %s (%s)",
                     shown_mechanism, key, shown_address, shown_domain, reason);
        free (shown_mechanism);
        free (shown_address);
        free (shown_domain);
        zmsg_addstr (reply, "400");
        zmsg_addstr (reply, reason);
        zmsg_addstr (reply, "");
    } else {
        zmsg_addstr (reply, "200");
        zmsg_addstr (reply, "OK");
        zmsg_addstr (reply, key);
    }
    zmsg_addmem (reply, NULL, 0); //  metadata
    zmsg_destroy (&request);
    if (zmsg_send (&reply, self->socket))
        zmsg_destroy (&reply);
}

void
security_server_socket (zsock_t *socket, zcert_t *certificate,
                        const char *domain)
{
    assert (socket);
    assert (certificate);
    assert (domain);
    zsock_set_zap_domain (socket, domain);
    zcert_apply (certificate, socket);
    zsock_set_curve_server (socket, 1);
}

void
security_client_socket (zsock_t *socket, zcert_t *certificate,
                        const char *server_public_key)
{
    assert (socket);
    assert (certificate);
    assert (server_public_key && strlen (server_public_key) == S_KEY_TEXT);
    zcert_apply (certificate, socket);
    zsock_set_curve_serverkey (socket, server_public_key);
}
