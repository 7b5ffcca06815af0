/*  log.c — one line per message on standard error (log.h). */
#include "log.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

//  The log is the process's, as standard error is: set once in main (and
//  by tests), read by every thread that logs.
static const char *s_program = NULL; //  NULL: program_invocation_short_name
static bool s_verbose = false;       //  debug lines are written
static FILE *s_stream = NULL;        //  NULL: stderr
static bool s_journal = false;       //  the stream is journald's
static log_clock_fn *s_clock = NULL; //  NULL: time ()

static const char *const s_level_names[] = {[LOG_LEVEL_ERROR] = "error",
                                            [LOG_LEVEL_WARNING] = "warning",
                                            [LOG_LEVEL_NOTICE] = "notice",
                                            [LOG_LEVEL_INFO] = "info",
                                            [LOG_LEVEL_DEBUG] = "debug"};

bool
log_journal_stream (int fd)
{
    const char *given = getenv ("JOURNAL_STREAM");
    struct stat status;
    if (!given || fd < 0 || fstat (fd, &status) != 0)
        return false;
    char *end = NULL;
    errno = 0;
    uintmax_t device = strtoumax (given, &end, 10);
    if (errno || end == given || *end != ':')
        return false;
    const char *inode_text = end + 1;
    uintmax_t inode = strtoumax (inode_text, &end, 10);
    if (errno || end == inode_text || *end)
        return false;
    return device == (uintmax_t)status.st_dev &&
           inode == (uintmax_t)status.st_ino;
}

void
log_set_stream (FILE *stream)
{
    s_stream = stream;
    s_journal = log_journal_stream (fileno (stream ? stream : stderr));
}

void
log_set_clock (log_clock_fn *clock)
{
    s_clock = clock;
}

void
log_open (const char *program, bool verbose)
{
    s_program = program;
    s_verbose = verbose;
    tzset ();
    log_set_stream (s_stream);
}

bool
log_verbose (void)
{
    return s_verbose;
}

//  "2026-12-02T14:13:03+08:00 jobtally-aggregator[1234]: warning: " into
//  buffer, or under journald "<4>warning: ".
static void
s_prefix (log_level_t level, char *buffer, size_t size)
{
    const char *name = s_level_names[level];
    if (s_journal) {
        snprintf (buffer, size, "<%d>%s: ", (int)level, name);
        return;
    }
    time_t now = s_clock ? s_clock () : time (NULL);
    struct tm local;
    char when[32] = "(no time)";
    if (localtime_r (&now, &local)) {
        long offset = local.tm_gmtoff / 60; //  minutes east of UTC
        char sign = offset < 0 ? '-' : '+';
        if (offset < 0)
            offset = -offset;
        size_t length =
            strftime (when, sizeof when, "%Y-%m-%dT%H:%M:%S", &local);
        snprintf (when + length, sizeof when - length, "%c%02ld:%02ld", sign,
                  offset / 60, offset % 60);
    }
    snprintf (buffer, size, "%s %s[%ld]: %s: ", when,
              s_program ? s_program : program_invocation_short_name,
              (long)getpid (), name);
}

//  Write message, each of its lines after the prefix, in one write so
//  that lines from two threads do not mix.
static void
s_write (log_level_t level, const char *message)
{
    char prefix[160];
    s_prefix (level, prefix, sizeof prefix);
    size_t prefix_length = strlen (prefix);
    size_t lines = 1;
    for (const char *at = message; *at; at++)
        lines += *at == '\n' && at[1];
    size_t size = strlen (message) + lines * (prefix_length + 1) + 1;
    char *text = malloc (size);
    assert (text);
    size_t length = 0;
    const char *line = message;
    do {
        size_t line_length = strcspn (line, "\n");
        memcpy (text + length, prefix, prefix_length);
        length += prefix_length;
        memcpy (text + length, line, line_length);
        length += line_length;
        text[length++] = '\n';
        line += line_length;
        if (*line == '\n')
            line++;
    } while (*line);
    assert (length < size);
    FILE *stream = s_stream ? s_stream : stderr;
    fwrite (text, 1, length, stream);
    fflush (stream);
    free (text);
}

//  Format and write; a message that cannot be formatted is told as such.
static void
s_vlog (log_level_t level, const char *format, va_list arguments)
{
    if (level == LOG_LEVEL_DEBUG && !s_verbose)
        return;
    va_list copy;
    va_copy (copy, arguments);
    int length = vsnprintf (NULL, 0, format, copy);
    va_end (copy);
    if (length < 0) {
        s_write (level, format);
        return;
    }
    char *message = malloc ((size_t)length + 1);
    assert (message);
    vsnprintf (message, (size_t)length + 1, format, arguments);
    s_write (level, message);
    free (message);
}

void
log_error (const char *format, ...)
{
    va_list arguments;
    va_start (arguments, format);
    s_vlog (LOG_LEVEL_ERROR, format, arguments);
    va_end (arguments);
}

void
log_warning (const char *format, ...)
{
    va_list arguments;
    va_start (arguments, format);
    s_vlog (LOG_LEVEL_WARNING, format, arguments);
    va_end (arguments);
}

void
log_notice (const char *format, ...)
{
    va_list arguments;
    va_start (arguments, format);
    s_vlog (LOG_LEVEL_NOTICE, format, arguments);
    va_end (arguments);
}

void
log_info (const char *format, ...)
{
    va_list arguments;
    va_start (arguments, format);
    s_vlog (LOG_LEVEL_INFO, format, arguments);
    va_end (arguments);
}

void
log_debug (const char *format, ...)
{
    va_list arguments;
    va_start (arguments, format);
    s_vlog (LOG_LEVEL_DEBUG, format, arguments);
    va_end (arguments);
}
