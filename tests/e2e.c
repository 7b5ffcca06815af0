/*  e2e.c — process plumbing for end-to-end tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "e2e.h"
#include <czmq.h>
#include <signal.h>
#include <sys/wait.h>

const char *
e2e_source (const char *relative)
{
    static char path[1024];
    if (relative[0] == '/')
        snprintf (path, sizeof path, "%s", relative);
    else
        snprintf (path, sizeof path, "%s/%s", JT_SOURCE_DIR, relative);
    return path;
}

const char *
e2e_program (const char *name)
{
    static char command[1024];
    const char *wrapper = getenv ("JT_E2E_WRAPPER");
    snprintf (command, sizeof command, "%s%s%s/%s", wrapper ? wrapper : "",
              wrapper ? " " : "", JT_BINARY_DIR, name);
    return command;
}

const char *
e2e_write (const char *dir, const char *name, const char *text)
{
    static char path[512];
    snprintf (path, sizeof path, "%s/%s", dir, name);
    FILE *file = fopen (path, "w");
    assert (file);
    fputs (text, file);
    fclose (file);
    return path;
}

char *
e2e_read_file (const char *path)
{
    FILE *file = fopen (path, "r");
    if (!file)
        return NULL;
    zchunk_t *chunk = zchunk_read (file, 64 * 1024 * 1024);
    fclose (file);
    char *text = zchunk_strdup (chunk);
    zchunk_destroy (&chunk);
    return text;
}

static char *
s_slurp (const char *path)
{
    char *text = e2e_read_file (path);
    return text ? text : strdup ("");
}

//  Read key=value from the endpoints file into buffer.
static int
s_endpoint (const char *text, const char *key, char *buffer, size_t size)
{
    char pattern[32];
    snprintf (pattern, sizeof pattern, "%s=", key);
    const char *found = strstr (text, pattern);
    if (!found)
        return -1;
    found += strlen (pattern);
    size_t length = strcspn (found, "\n");
    if (length >= size)
        return -1;
    memcpy (buffer, found, length);
    buffer[length] = 0;
    return 0;
}

static const char *s_sources[] = {"direct",   "aihui", "beian", "wudalianchi",
                                  "nenjiang", "xunke", "sunwu"};

//  Make a key pair with the real jobtally keygen.
static int
s_keygen (const char *dir, const char *name)
{
    char *command = zsys_sprintf ("mkdir -p %s && %s keygen %s --dir %s "
                                  ">/dev/null 2>&1",
                                  dir, e2e_program ("jobtally"), name, dir);
    int status = system (command);
    free (command);
    return status == 0 ? 0 : -1;
}

const char *
e2e_security (e2e_aggregator_t *self, const char *who)
{
    static char flags[1024];
    if (!self->secure)
        snprintf (flags, sizeof flags, "--insecure");
    else
        snprintf (
            flags, sizeof flags,
            "--key %s/keys/%s/%s.key_secret --server-key %s/aggregator.key",
            self->dir, streq (who, "reporter") ? "subscribers" : "collectors",
            who, self->dir);
    return flags;
}

//  Start the aggregator on the given endpoints ("*" ports the first time)
//  with extra flags, and wait for its endpoints file.
static int
s_start (e2e_aggregator_t *self, const char *collect, const char *publish,
         const char *query, const char *extra_flags, const char *environment)
{
    char endpoints[300];
    snprintf (endpoints, sizeof endpoints, "%s/endpoints", self->dir);
    remove (endpoints);
    char security[600];
    if (self->secure)
        snprintf (security, sizeof security,
                  "--key %s/aggregator.key_secret --keys %s/keys", self->dir,
                  self->dir);
    else
        snprintf (security, sizeof security, "--insecure");
    char command[4096];
    snprintf (
        command, sizeof command,
        "%s%sexec %s -c %s --collect '%s' --publish '%s' --query '%s' "
        "--heartbeat 200 --endpoints-file %s --state %s/aggregator-state %s %s "
        ">>%s/aggregator.log 2>&1",
        environment ? environment : "", environment ? " " : "",
        e2e_program ("jobtally-aggregator"), e2e_source (self->catalogue),
        collect, publish, query, endpoints, self->dir, security,
        extra_flags ? extra_flags : "", self->dir);
    self->pid = fork ();
    if (self->pid == 0) {
        execl ("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit (127);
    }
    //  Wait for the endpoints file: the aggregator writes it once bound.
    for (int tries = 0; tries < 600; tries++) {
        if (zsys_file_exists (endpoints)) {
            char *text = s_slurp (endpoints);
            int rc =
                s_endpoint (text, "collect", self->collect,
                            sizeof self->collect) |
                s_endpoint (text, "publish", self->publish,
                            sizeof self->publish) |
                s_endpoint (text, "query", self->query, sizeof self->query);
            free (text);
            return rc ? -1 : 0;
        }
        if (waitpid (self->pid, NULL, WNOHANG) == self->pid) {
            self->pid = 0;
            return -1;
        }
        zclock_sleep (50);
    }
    return -1;
}

//  Ports are picked at random below the kernel's ephemeral range (32768
//  and up, where port * binds and clients' own ports come from), so that
//  a restarted aggregator finds its ports still free: other test runs on
//  the machine take theirs with port * and never land here. A port that
//  is taken makes the start fail; another three are tried.
#define PORT_LOW 20000
#define PORT_SPAN 12000
#define START_TRIES 20

static int
s_start_first (e2e_aggregator_t *self, const char *catalogue)
{
    snprintf (self->catalogue, sizeof self->catalogue, "%s", catalogue);
    static bool seeded = false;
    if (!seeded) {
        srandom ((unsigned)(getpid () ^ zclock_time ()));
        seeded = true;
    }
    for (int tries = 0; tries < START_TRIES; tries++) {
        int port = PORT_LOW + (int)(random () % (PORT_SPAN / 3)) * 3;
        char collect[64], publish[64], query[64];
        snprintf (collect, sizeof collect, "tcp://127.0.0.1:%d", port);
        snprintf (publish, sizeof publish, "tcp://127.0.0.1:%d", port + 1);
        snprintf (query, sizeof query, "tcp://127.0.0.1:%d", port + 2);
        if (s_start (self, collect, publish, query, NULL, NULL) == 0)
            return 0;
        if (self->pid > 0)
            return -1; //  still running, yet no endpoints: not a port
    }
    return -1;
}

int
e2e_restart (e2e_aggregator_t *self, const char *extra_flags)
{
    return e2e_restart_env (self, extra_flags, NULL);
}

int
e2e_restart_env (e2e_aggregator_t *self, const char *extra_flags,
                 const char *environment)
{
    assert (self->pid <= 0);
    //  The ports the first start got, so that clients find it again.
    char collect[128], publish[128], query[128];
    snprintf (collect, sizeof collect, "%s", self->collect);
    snprintf (publish, sizeof publish, "%s", self->publish);
    snprintf (query, sizeof query, "%s", self->query);
    return s_start (self, collect, publish, query, extra_flags, environment);
}

int
e2e_kill (e2e_aggregator_t *self)
{
    if (self->pid <= 0)
        return -1;
    kill (self->pid, SIGKILL);
    int status = 0;
    waitpid (self->pid, &status, 0);
    self->pid = 0;
    return WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL ? 0 : -1;
}

int
e2e_wait_signal (e2e_aggregator_t *self, int timeout_ms)
{
    if (self->pid <= 0)
        return -1;
    int status = 0;
    for (int waited = 0; waited <= timeout_ms; waited += 50) {
        if (waitpid (self->pid, &status, WNOHANG) == self->pid) {
            self->pid = 0;
            return WIFSIGNALED (status) ? WTERMSIG (status) : 0;
        }
        zclock_sleep (50);
    }
    return -1;
}

char *
e2e_log (e2e_aggregator_t *self)
{
    char path[300];
    snprintf (path, sizeof path, "%s/aggregator.log", self->dir);
    return s_slurp (path);
}

//  A fresh scratch directory for one test.
static int
s_prepare (e2e_aggregator_t *self)
{
    memset (self, 0, sizeof *self);
    snprintf (self->dir, sizeof self->dir, "/tmp/jobtally-e2e-XXXXXX");
    return mkdtemp (self->dir) ? 0 : -1;
}

int
e2e_start (e2e_aggregator_t *self, const char *catalogue)
{
    if (s_prepare (self))
        return -1;
    return s_start_first (self, catalogue);
}

int
e2e_start_secure (e2e_aggregator_t *self, const char *catalogue)
{
    if (s_prepare (self))
        return -1;
    self->secure = true;
    char collectors[300], subscribers[300];
    snprintf (collectors, sizeof collectors, "%s/keys/collectors", self->dir);
    snprintf (subscribers, sizeof subscribers, "%s/keys/subscribers",
              self->dir);
    if (s_keygen (self->dir, "aggregator") ||
        s_keygen (subscribers, "reporter"))
        return -1;
    for (size_t index = 0; index < sizeof s_sources / sizeof *s_sources;
         index++)
        if (s_keygen (collectors, s_sources[index]))
            return -1;
    return s_start_first (self, catalogue);
}

int
e2e_stop (e2e_aggregator_t *self)
{
    if (self->pid <= 0)
        return -1;
    kill (self->pid, SIGTERM);
    int status = 0;
    for (int tries = 0; tries < 600; tries++) {
        if (waitpid (self->pid, &status, WNOHANG) == self->pid) {
            self->pid = 0;
            return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
        }
        zclock_sleep (50);
    }
    kill (self->pid, SIGKILL);
    waitpid (self->pid, NULL, 0);
    self->pid = 0;
    return -1;
}

int
e2e_run (char **out, char **err, const char *program, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *arguments = zsys_vprintf (format, args);
    va_end (args);
    char out_path[64], err_path[64];
    snprintf (out_path, sizeof out_path, "/tmp/jobtally-e2e-out-%d", getpid ());
    snprintf (err_path, sizeof err_path, "/tmp/jobtally-e2e-err-%d", getpid ());
    char *command = zsys_sprintf ("%s %s >%s 2>%s", e2e_program (program),
                                  arguments, out_path, err_path);
    int status = system (command);
    free (command);
    free (arguments);
    char *captured_out = s_slurp (out_path);
    char *captured_err = s_slurp (err_path);
    remove (out_path);
    remove (err_path);
    if (out)
        *out = captured_out;
    else
        free (captured_out);
    if (err)
        *err = captured_err;
    else
        free (captured_err);
    return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

pid_t
e2e_spawn (const char *log, const char *program, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *arguments = zsys_vprintf (format, args);
    va_end (args);
    char *command = zsys_sprintf ("exec %s %s >>%s 2>&1", e2e_program (program),
                                  arguments, log);
    free (arguments);
    pid_t pid = fork ();
    if (pid == 0) {
        execl ("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit (127);
    }
    free (command);
    return pid;
}

static int
s_status (int status)
{
    if (WIFEXITED (status))
        return WEXITSTATUS (status);
    if (WIFSIGNALED (status))
        return 128 + WTERMSIG (status);
    return -1;
}

int
e2e_wait (pid_t pid, int seconds)
{
    int status = 0;
    for (int tries = 0; tries < seconds * 20; tries++) {
        pid_t done = waitpid (pid, &status, WNOHANG);
        if (done == pid)
            return s_status (status);
        if (done < 0)
            return -1;
        zclock_sleep (50);
    }
    return -2;
}

int
e2e_signal (pid_t pid, int signal)
{
    if (pid <= 0)
        return -1;
    kill (pid, signal);
    int status = e2e_wait (pid, 30);
    if (status == -2) {
        kill (pid, SIGKILL);
        int raw = 0;
        waitpid (pid, &raw, 0);
        status = s_status (raw);
    }
    return status;
}

int
e2e_setup (void **state)
{
    e2e_aggregator_t *aggregator = calloc (1, sizeof (e2e_aggregator_t));
    assert (aggregator);
    *state = aggregator;
    return e2e_start (aggregator, "config/heihe-2003.zpl");
}

int
e2e_setup_secure (void **state)
{
    e2e_aggregator_t *aggregator = calloc (1, sizeof (e2e_aggregator_t));
    assert (aggregator);
    *state = aggregator;
    return e2e_start_secure (aggregator, "config/heihe-2003.zpl");
}

int
e2e_teardown (void **state)
{
    e2e_aggregator_t *aggregator = *state;
    if (aggregator->pid > 0)
        e2e_stop (aggregator);
    zdir_t *dir = zdir_new (aggregator->dir, NULL);
    if (dir && !getenv ("JT_E2E_KEEP"))
        zdir_remove (dir, true);
    zdir_destroy (&dir);
    free (aggregator);
    return 0;
}

void
e2e_curve_client (zsock_t *socket, const char *secret_path,
                  const char *server_path)
{
    zcert_t *mine = zcert_load (secret_path);
    zcert_t *server = zcert_load (server_path);
    assert_non_null (mine);
    assert_non_null (server);
    zcert_apply (mine, socket);
    zsock_set_curve_serverkey (socket, zcert_public_txt (server));
    zcert_destroy (&mine);
    zcert_destroy (&server);
}

//  A DEALER with linger 0, CURVE as who when aggregator is not NULL and
//  secure, connected to endpoint.
static zsock_t *
s_dealer (e2e_aggregator_t *aggregator, const char *endpoint, const char *who)
{
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    assert_non_null (dealer);
    zsock_set_linger (dealer, 0);
    if (aggregator && aggregator->secure) {
        char secret[512], server[512];
        snprintf (secret, sizeof secret, "%s/keys/%s/%s.key_secret",
                  aggregator->dir,
                  streq (who, "reporter") ? "subscribers" : "collectors", who);
        snprintf (server, sizeof server, "%s/aggregator.key", aggregator->dir);
        e2e_curve_client (dealer, secret, server);
    }
    assert_int_equal (zsock_connect (dealer, "%s", endpoint), 0);
    return dealer;
}

zsock_t *
e2e_plain_dealer (const char *endpoint)
{
    return s_dealer (NULL, endpoint, NULL);
}

zsock_t *
e2e_dealer (e2e_aggregator_t *aggregator, const char *endpoint, const char *who)
{
    assert_non_null (aggregator);
    return s_dealer (aggregator, endpoint, who);
}

int
e2e_send (char **err, e2e_aggregator_t *aggregator, const char *source,
          const char *state_name, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *what = zsys_vprintf (format, args);
    va_end (args);
    assert_non_null (what);
    int status = e2e_run (
        NULL, err, "jobtally-collector",
        "send %s --source %s --aggregator %s --state %s/%s %s", what, source,
        aggregator->collect, aggregator->dir, state_name ? state_name : "state",
        e2e_security (aggregator, source));
    free (what);
    return status;
}
