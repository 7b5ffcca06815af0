/*  e2e.h — start the real programs on loopback for end-to-end tests. The
    aggregator binds three ports picked at random below the kernel's
    ephemeral range (trying others when taken) and writes them to a file,
    so tests never collide on a fixed port, and a restart finds them free. Set
   JT_E2E_WRAPPER (for example "valgrind --error-exitcode=99 --leak-check=full
   -q") to run every program under a wrapper. */
#ifndef JT_E2E_H_INCLUDED
#define JT_E2E_H_INCLUDED

#include <stdbool.h>
#include <sys/types.h>
#include <czmq.h>

typedef struct {
    pid_t pid;         //  the aggregator process
    bool secure;       //  CURVE on, with keys made for the test
    char dir[256];     //  scratch directory of this test
    char collect[128]; //  bound endpoints
    char publish[128];
    char query[128];
    char catalogue[512]; //  as given to e2e_start, for restarts
} e2e_aggregator_t;

//  Start jobtally-aggregator with a catalogue (path relative to the source
//  tree, or absolute) and its state in DIR/aggregator-state (collectors
//  in tests keep theirs in DIR/state), and wait until its
//  endpoints file appears. Returns 0 or -1.
int e2e_start (e2e_aggregator_t *aggregator, const char *catalogue);

//  The same with CURVE: first makes keys with `jobtally keygen` for the
//  aggregator (DIR/aggregator.key), every source of the demo catalogue
//  (DIR/keys/collectors/NAME.key) and a reporter
//  (DIR/keys/subscribers/reporter.key).
int e2e_start_secure (e2e_aggregator_t *aggregator, const char *catalogue);

//  Security flags for a client program acting as who (a source name, or
//  "reporter"): "--insecure", or "--key ... --server-key ...". Static
//  buffer.
const char *e2e_security (e2e_aggregator_t *aggregator, const char *who);

//  cmocka fixtures: each test gets its own aggregator on fresh ports (the
//  catalogue config/heihe-2003.zpl), plain TCP or CURVE; teardown stops it
//  even when the test failed half way and removes the scratch directory
//  (kept when JT_E2E_KEEP is set).
int e2e_setup (void **state);
int e2e_setup_secure (void **state);
int e2e_teardown (void **state);

//  Stop it with SIGTERM and wait; returns its exit status (0 when clean),
//  or -1 if it did not exit or was killed by a signal.
int e2e_stop (e2e_aggregator_t *aggregator);

//  kill -9 it and wait; returns 0 when it died by that signal.
int e2e_kill (e2e_aggregator_t *aggregator);

//  Wait up to timeout_ms for it to end by itself; returns the signal that
//  ended it, 0 for a normal exit, or -1 if it is still running.
int e2e_wait_signal (e2e_aggregator_t *aggregator, int timeout_ms);

//  Start it again after a stop or kill, on the same ports and the same
//  state directory, with extra flags (or NULL); the log is appended to.
//  Returns 0, or -1 when it did not come up (it may have refused to start:
//  see e2e_log).
int e2e_restart (e2e_aggregator_t *aggregator, const char *extra_flags);

//  The same with environment ("NAME=value ...", or NULL) set for the
//  aggregator alone, on the shell's command line before its exec: a test
//  hook such as JT_FAULT_KILL_AFTER_COMMIT=1 never reaches the test
//  process, nor the programs it starts later, even when an assertion fails.
int e2e_restart_env (e2e_aggregator_t *aggregator, const char *extra_flags,
                     const char *environment);

//  The aggregator's log so far, a fresh string the caller frees.
char *e2e_log (e2e_aggregator_t *aggregator);

//  Run one program of the build ("jobtally-collector") with arguments
//  through /bin/sh, capturing stdout and stderr into fresh strings the
//  caller frees. Returns the exit status, or -1.
int e2e_run (char **out, char **err, const char *program, const char *format,
             ...) __attribute__ ((format (printf, 4, 5)));

//  Run "jobtally-collector send" with the words format makes (region,
//  indicator, period, value and any flags) as source, against the
//  aggregator with source's security, its state in DIR/STATE_NAME ("state"
//  when NULL); stderr into *err when err is not NULL (the caller frees it).
//  Returns the exit status, or -1.
int e2e_send (char **err, e2e_aggregator_t *aggregator, const char *source,
              const char *state_name, const char *format, ...)
    __attribute__ ((format (printf, 5, 6)));

//  Start one program of the build in the background through /bin/sh
//  (exec, so the pid is the program's), its stdout and stderr appended to
//  log. Returns the pid, or -1.
pid_t e2e_spawn (const char *log, const char *program, const char *format,
                 ...) __attribute__ ((format (printf, 3, 4)));

//  Send signal to a spawned program and wait for it (up to 30 s, then
//  SIGKILL). Returns its exit status, 128 + the signal that ended it, or
//  -1.
int e2e_signal (pid_t pid, int signal);

//  Wait up to seconds for a spawned program to exit by itself. Returns its
//  exit status as e2e_signal does, or -2 if it is still running.
int e2e_wait (pid_t pid, int seconds);

//  Path of a file in the source tree, in a static buffer.
const char *e2e_source (const char *relative);

//  Path of a program in the build tree, with the wrapper if any, in a
//  static buffer.
const char *e2e_program (const char *name);

//  The whole text of a file (up to 64 MiB), a fresh string the caller
//  frees, or NULL when it cannot be read.
char *e2e_read_file (const char *path);

//  Write text to a new file in dir; returns its path in a static buffer.
const char *e2e_write (const char *dir, const char *name, const char *text);

//  Make socket a CURVE client with the secret key in the certificate file
//  secret_path and the server's public key in server_path; before it
//  connects. Fails the test when either file cannot be read.
void e2e_curve_client (zsock_t *socket, const char *secret_path,
                       const char *server_path);

//  A raw DEALER connected to endpoint, linger 0, no CURVE: what a plain
//  client (or a hostile one) sends from. The caller destroys it.
zsock_t *e2e_plain_dealer (const char *endpoint);

//  A raw DEALER connected to endpoint, linger 0, acting as who (a source
//  name or "reporter"): with CURVE and who's key when the aggregator is
//  secure, plain otherwise. The caller destroys it.
zsock_t *e2e_dealer (e2e_aggregator_t *aggregator, const char *endpoint,
                     const char *who);

#endif
