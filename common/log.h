/*  log.h — the one log of a jobtally program: each message one line on
    standard error, in one of two forms.

    On a terminal, in a file or under any supervisor but journald:

        2026-12-02T14:13:03+08:00 jobtally-aggregator[1234]: warning: server:
   ...

    the local time in ISO 8601 (RFC 3339: seconds, a numeric zone, +00:00
    for UTC), the program and its pid, the level (error, warning, notice,
    info or debug), then the message, which starts with its module's name.

    Under systemd, when standard error is the journal (JOURNAL_STREAM names
    its device and inode, as sd-daemon(3) says), a line is

        <4>warning: server: ...

    the syslog priority in angle brackets, which journald takes as the
    line's priority, with no time or name: the journal records both. A
    message with newlines in it is written as several lines, each with the
    prefix, so that no line reaches the journal without a priority.

    The core does not log; the programs and common/ do. CZMQ's own zsys log
    is turned off by app_logging (common/app.h), so that every line on
    standard error has this form. */
#ifndef JT_LOG_H_INCLUDED
#define JT_LOG_H_INCLUDED

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

//  The levels, numbered as syslog's priorities (and so journald's).
typedef enum {
    LOG_LEVEL_ERROR = 3,
    LOG_LEVEL_WARNING = 4,
    LOG_LEVEL_NOTICE = 5,
    LOG_LEVEL_INFO = 6,
    LOG_LEVEL_DEBUG = 7
} log_level_t;

//  Log as program (borrowed: a string literal), to standard error; with
//  verbose, debug lines too. Tells from JOURNAL_STREAM whether standard
//  error is the journal. Before it, lines name the program as the system
//  knows it (program_invocation_short_name) and debug lines are left out.
void log_open (const char *program, bool verbose);

//  True when -v was given: debug lines are written.
bool log_verbose (void);

//  Write one message at a level (a debug message only when verbose).
void log_error (const char *format, ...)
    __attribute__ ((format (printf, 1, 2)));
void log_warning (const char *format, ...)
    __attribute__ ((format (printf, 1, 2)));
void log_notice (const char *format, ...)
    __attribute__ ((format (printf, 1, 2)));
void log_info (const char *format, ...) __attribute__ ((format (printf, 1, 2)));
void log_debug (const char *format, ...)
    __attribute__ ((format (printf, 1, 2)));

//  True when fd is the journal's stream: JOURNAL_STREAM is set and gives
//  fd's device and inode ("DEVICE:INODE", both decimal).
bool log_journal_stream (int fd);

//  For tests: write to stream (borrowed; NULL: standard error again), and
//  tell again whether it is the journal's.
void log_set_stream (FILE *stream);

//  For tests: the clock the time of a line is read from (NULL: time ()).
typedef time_t (log_clock_fn) (void);
void log_set_clock (log_clock_fn *clock);

#endif
