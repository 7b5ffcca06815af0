/*  test_html.c — the HTML summary in a real browser. The demo's catalogue
    and CSV files (config/heihe-2003*) are read with the collector's own
    CSV reader into a store, the rule engine raises its alerts, and
    summary_render writes the page in English and Chinese to a temporary
    directory. Debian's chromium, headless, then takes a 1280-pixel-wide
    screenshot of each and dumps its DOM: the PNG must be a real one of
    that width, the DOM must hold the three SVG charts, and the browser
    must log no console message (a script error) about the page. That the
    page fetches nothing from the network is checked on its text in
    test_summary.c (no reference but the SVG namespace).

    Chromium is a test dependency (scripts/deps.sh installs it); without it
    the test fails and says so. With JT_SCREENSHOT_DIR set, the screenshots
    are also copied there, as docs/summary-heihe-2003-10{,-zh}.png were:
        JT_SCREENSHOT_DIR=docs build/tests/test_html */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "fixture.h"
#include "summary.h"
#include "csvread.h"
#include "period.h"
#include "rules.h"

//  2003-11-20 00:00 UTC: after every county's October report came in.
static const int64_t s_now = 1069286400;

//  How long one chromium run may take before it is killed.
#define CHROMIUM_SECONDS 90

static const char *s_sources[] = {"direct",   "aihui", "beian", "wudalianchi",
                                  "nenjiang", "xunke", "sunwu"};

typedef struct {
    catalogue_t *catalogue;
    wording_t *wording; //  read from the same text
    store_t *store;
    rules_notice_t *alerts;
    size_t alert_count;
    char directory[64]; //  the temporary directory, removed at the end
    char *chromium;     //  path of the browser, or NULL
} fixture_t;

static void
s_write (const char *path, const char *text, size_t size)
{
    FILE *file = fopen (path, "wb");
    assert_non_null (file);
    assert_int_equal (fwrite (text, 1, size, file), size);
    assert_int_equal (fclose (file), 0);
}

//  One county's CSV file into the store, as the aggregator would apply it.
static void
s_import (fixture_t *self, const char *source)
{
    char path[1024];
    snprintf (path, sizeof (path), "%s/config/heihe-2003/%s.csv", JT_SOURCE_DIR,
              source);
    size_t size;
    char *text = fixture_read (path, &size);
    if (!text)
        fail_msg ("cannot read %s", path);
    csvread_t *reader = csvread_new ();
    assert_int_equal (csvread_feed (reader, text, size), 0);
    assert_int_equal (csvread_finish (reader), 0);
    free (text);
    assert_int_equal (csvread_rejection_count (reader), 0);
    for (size_t index = 0; index < csvread_row_count (reader); index++) {
        const jt_update_t *row = csvread_row (reader, index);
        int period = period_from_yyyymm (row->period);
        int region = catalogue_region_find (self->catalogue, row->region);
        int indicator =
            catalogue_indicator_find (self->catalogue, row->indicator);
        assert_true (region >= 0 && indicator >= 0);
        assert_int_equal (store_apply (self->store, region, indicator, period,
                                       row->value, row->add),
                          JT_OK);
        if (row->reported)
            store_mark_reported (self->store, region, period,
                                 period_day_from_yyyymmdd (row->reported));
    }
    csvread_destroy (&reader);
}

//  The first executable "chromium" on PATH (or JT_CHROMIUM), or NULL.
static char *
s_find_chromium (void)
{
    const char *given = getenv ("JT_CHROMIUM");
    if (given)
        return access (given, X_OK) == 0 ? strdup (given) : NULL;
    const char *path = getenv ("PATH");
    char *copy = strdup (path ? path : "/usr/bin:/bin");
    char *found = NULL;
    for (char *save = NULL, *dir = strtok_r (copy, ":", &save); dir && !found;
         dir = strtok_r (NULL, ":", &save)) {
        char *candidate = NULL;
        if (asprintf (&candidate, "%s/chromium", dir) < 0)
            abort ();
        if (access (candidate, X_OK) == 0)
            found = candidate;
        else
            free (candidate);
    }
    free (copy);
    return found;
}

static int
s_setup (void **state)
{
    fixture_t *self = calloc (1, sizeof (fixture_t));
    assert_non_null (self);
    char path[1024];
    snprintf (path, sizeof (path), "%s/config/heihe-2003.zpl", JT_SOURCE_DIR);
    char *text = fixture_read (path, NULL);
    assert_non_null (text);
    self->catalogue = fixture_load (text, &self->wording);
    free (text);
    self->store = store_new (self->catalogue);
    for (size_t index = 0; index < sizeof (s_sources) / sizeof (s_sources[0]);
         index++)
        s_import (self, s_sources[index]);
    rules_t *rules = rules_new (self->catalogue, self->store);
    rules_evaluate (rules, period_parse ("2003-10"), s_now);
    self->alerts = rules_active (rules, &self->alert_count);
    rules_destroy (&rules);

    const char *tmp = getenv ("TMPDIR");
    snprintf (self->directory, sizeof (self->directory), "%s/jt-html.XXXXXX",
              tmp && strlen (tmp) < 40 ? tmp : "/tmp");
    assert_non_null (mkdtemp (self->directory));
    self->chromium = s_find_chromium ();
    *state = self;
    return 0;
}

static int
s_remove (const char *path, const struct stat *info, int flag, struct FTW *walk)
{
    (void)info;
    (void)flag;
    (void)walk;
    remove (path);
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *self = *state;
    nftw (self->directory, s_remove, 16, FTW_DEPTH | FTW_PHYS);
    free (self->chromium);
    free (self->alerts);
    store_destroy (&self->store);
    wording_destroy (&self->wording);
    catalogue_destroy (&self->catalogue);
    free (self);
    return 0;
}

//  Run chromium headless on the page with one more argument (what to
//  produce) and a fresh profile, its stdout and stderr to files. Returns
//  its exit status, or -1 when it had to be killed.
static int
s_chromium (fixture_t *self, const char *page, const char *what,
            const char *out_path, const char *log_path, const char *profile)
{
    char *url = NULL, *user_data = NULL;
    if (asprintf (&url, "file://%s", page) < 0 ||
        asprintf (&user_data, "--user-data-dir=%s", profile) < 0)
        abort ();
    const char *argv[] = {self->chromium,
                          "--headless",
                          "--no-sandbox",
                          "--disable-gpu",
                          "--disable-quic",
                          "--no-first-run",
                          "--disable-background-networking",
                          "--disable-component-update",
                          "--disable-sync",
                          "--disable-dev-shm-usage",
                          "--hide-scrollbars",
                          "--force-device-scale-factor=1",
                          "--enable-logging=stderr",
                          "--v=0",
                          user_data,
                          "--window-size=1280,2000",
                          what,
                          url,
                          NULL};
    pid_t pid = fork ();
    assert_true (pid >= 0);
    if (pid == 0) {
        int out = open (out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int log = open (log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (out < 0 || log < 0)
            _exit (126);
        dup2 (out, 1);
        dup2 (log, 2);
        setpgid (0, 0); //  its own group, so its helpers go with it
        execv (argv[0], (char *const *)argv);
        _exit (127);
    }
    free (url);
    free (user_data);
    int status = 0;
    for (int tick = 0; tick < CHROMIUM_SECONDS * 10; tick++) {
        pid_t done = waitpid (pid, &status, WNOHANG);
        if (done == pid)
            return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
        struct timespec pause = {0, 100 * 1000 * 1000};
        nanosleep (&pause, NULL);
    }
    print_error ("chromium ran over %d s; killed\n", CHROMIUM_SECONDS);
    kill (-pid, SIGKILL);
    waitpid (pid, &status, 0);
    return -1;
}

//  Lines of the browser's log about the page itself: console messages
//  (a script error, a resource it could not load) and uncaught errors.
//  Chromium's own start-up noise (D-Bus, GPU) is not about the page.
static int
s_console_errors (const char *log_path)
{
    char *log = fixture_read (log_path, NULL);
    if (!log)
        return 0;
    int count = 0;
    for (char *save = NULL, *line = strtok_r (log, "\n", &save); line;
         line = strtok_r (NULL, "\n", &save))
        if (strstr (line, "CONSOLE") || strstr (line, "Uncaught")) {
            print_error ("chromium: %s\n", line);
            count++;
        }
    free (log);
    return count;
}

static uint32_t
s_big_endian (const unsigned char *bytes)
{
    return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 |
           (uint32_t)bytes[2] << 8 | bytes[3];
}

//  Render the demo's page in lang, screenshot it and dump its DOM.
static void
s_check_page (fixture_t *self, const char *lang, const char *name)
{
    if (!self->chromium)
        fail_msg ("chromium is not installed: the HTML summary test needs "
                  "Debian's chromium (run scripts/deps.sh, or apt-get "
                  "install chromium)");
    char *page =
        summary_render (self->catalogue, self->wording, self->store,
                        catalogue_region_find (self->catalogue, "heihe"),
                        period_parse ("2003-10"), lang, SUMMARY_HTML,
                        self->alerts, self->alert_count);
    assert_int_equal (fixture_count (page, "<svg"), 3);
    char page_path[256], png_path[256], dom_path[256], log_path[256],
        profile[256];
    snprintf (page_path, sizeof (page_path), "%s/%s.html", self->directory,
              name);
    snprintf (png_path, sizeof (png_path), "%s/%s.png", self->directory, name);
    snprintf (dom_path, sizeof (dom_path), "%s/%s.dom", self->directory, name);
    snprintf (log_path, sizeof (log_path), "%s/%s.log", self->directory, name);
    s_write (page_path, page, strlen (page));
    free (page);

    //  The screenshot: a PNG 1280 pixels wide and 2000 high, not blank
    char *what = NULL;
    if (asprintf (&what, "--screenshot=%s", png_path) < 0)
        abort ();
    snprintf (profile, sizeof (profile), "%s/profile-%s-shot", self->directory,
              name);
    int status =
        s_chromium (self, page_path, what, dom_path, log_path, profile);
    free (what);
    if (status != 0) {
        char *log = fixture_read (log_path, NULL);
        print_error ("chromium exited with %d:\n%s\n", status, log ? log : "");
        free (log);
    }
    assert_int_equal (status, 0);
    int errors = s_console_errors (log_path);
    size_t size = 0;
    char *png = fixture_read (png_path, &size);
    if (!png)
        fail_msg ("chromium wrote no screenshot at %s", png_path);
    const unsigned char *bytes = (const unsigned char *)png;
    bool signature = size > 33 && memcmp (bytes, "\x89PNG\r\n\x1a\n", 8) == 0 &&
                     memcmp (bytes + 12, "IHDR", 4) == 0;
    uint32_t width = signature ? s_big_endian (bytes + 16) : 0;
    uint32_t height = signature ? s_big_endian (bytes + 20) : 0;
    const char *keep = getenv ("JT_SCREENSHOT_DIR");
    if (keep) {
        char keep_path[1024];
        snprintf (keep_path, sizeof (keep_path),
                  "%s/summary-heihe-2003-10%s.png", keep,
                  strcmp (lang, "en") == 0 ? "" : "-zh");
        s_write (keep_path, png, size);
        print_message ("wrote %s\n", keep_path);
    }
    free (png);
    assert_true (signature);
    assert_int_equal (width, 1280);
    assert_int_equal (height, 2000);
    //  A page with text and charts compresses to tens of kilobytes; a blank
    //  one to a few hundred bytes
    assert_true (size > 30000);
    assert_int_equal (errors, 0);

    //  The DOM as the browser built it: three charts with their shapes
    snprintf (profile, sizeof (profile), "%s/profile-%s-dom", self->directory,
              name);
    status =
        s_chromium (self, page_path, "--dump-dom", dom_path, log_path, profile);
    assert_int_equal (status, 0);
    assert_int_equal (s_console_errors (log_path), 0);
    char *dom = fixture_read (dom_path, NULL);
    assert_non_null (dom);
    size_t svgs = fixture_count (dom, "<svg"),
           closed = fixture_count (dom, "</svg>");
    size_t bars = fixture_count (dom, "<rect"),
           lines = fixture_count (dom, "<polyline");
    bool complete = strstr (dom, "</html>") != NULL;
    free (dom);
    assert_int_equal (svgs, 3);
    assert_int_equal (closed, 3);
    //  8 regions x 3 tasks, 8 rates, legends: well over 30 boxes
    assert_true (bars > 30);
    assert_int_equal (lines, 3);
    assert_true (complete);
}

static void
test_demo_page_en (void **state)
{
    fixture_t *self = *state;
    //  The demo raises new jobs behind pace, at the city and five counties
    assert_int_equal (self->alert_count, 6);
    s_check_page (self, "en", "summary-en");
}

static void
test_demo_page_zh (void **state)
{
    s_check_page (*state, "zh", "summary-zh");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_demo_page_en, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_demo_page_zh, s_setup,
                                         s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
