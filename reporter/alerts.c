/*  alerts.c — notices out as JSON lines, on the alert stream, to syslog. */
#include "alerts.h"
#include "app.h"
#include "decimal.h"
#include "period.h"
#include "summary.h"
#include "quality.h"
#include "security.h"
#include <jansson.h>
#include <syslog.h>

struct _alerts_t {
    const catalogue_t *catalogue; //  borrowed
    const wording_t *wording;     //  region names; borrowed
    const store_t *store;         //  borrowed: what the rules read
    rules_t *rules;               //  the engine and its alert state
    FILE *lines;                  //  JSON lines out, or NULL
    bool lines_owned;             //  we opened it (not stdout)
    zsock_t *stream;              //  PUB for other tools, or NULL
    zap_t *zap;                   //  when the stream is CURVE
    keyring_t *keyring;           //  subscribers the stream admits
    bool syslog;                  //  also to syslog
    char *state_path;             //  alert state file, or NULL
    char *saved;                  //  the state text last written
    const char *lang;             //  names in this language
    uint64_t sent;                //  notices sent
};

static const char *
s_severity (rule_severity_t severity)
{
    return catalogue_severity_name (severity);
}

//  "2003-11-10T00:00:00Z" for seconds since the epoch.
static void
s_iso_time (int64_t seconds, char *buffer, size_t size)
{
    time_t time = (time_t)seconds;
    struct tm utc;
    gmtime_r (&time, &utc);
    strftime (buffer, size, "%Y-%m-%dT%H:%M:%SZ", &utc);
}

//  Write the state file atomically: temp file, fsync, rename.
static void
s_save_state (alerts_t *self)
{
    if (!self->state_path)
        return;
    //  Only when the state changed: a notice, an alert going pending, a
    //  pending one dropping back.
    char *text = rules_save (self->rules);
    if (self->saved && streq (text, self->saved)) {
        free (text);
        return;
    }
    char *temporary = zsys_sprintf ("%s.tmp", self->state_path);
    FILE *file = fopen (temporary, "w");
    bool written = file && fputs (text, file) >= 0 && fflush (file) == 0 &&
                   fsync (fileno (file)) == 0;
    if (file)
        written = (fclose (file) == 0) && written;
    if (!written || rename (temporary, self->state_path) != 0) {
        log_error ("alerts: cannot save the alert state to %s: %s",
                   self->state_path, strerror (errno));
        free (text);
    } else {
        free (self->saved);
        self->saved = text;
    }
    free (temporary);
}

static int
s_load_state (alerts_t *self, char **error)
{
    if (!self->state_path || !zsys_file_exists (self->state_path))
        return 0;
    char *text = app_read_file (self->state_path);
    if (!text || rules_load (self->rules, text) != 0) {
        *error = zsys_sprintf ("%s: not a jobtally alert state file",
                               self->state_path);
        free (text);
        return -1;
    }
    self->saved = text;
    log_info ("alerts: state loaded from %s", self->state_path);
    return 0;
}

//  The leaves whose figures an alert's rule looked at are carried from an
//  earlier month (a threshold's or restatement's figure, a consistency
//  rule's two sides), or NULL when none is (caller decrefs).
static json_t *
s_notice_carried (alerts_t *self, const rule_t *rule,
                  const rules_notice_t *notice)
{
    int sides[2] = {rule->figure >= 0 ? rule->figure : rule->left,
                    rule->figure >= 0 ? -1 : rule->right};
    size_t count = 0;
    figures_carried_t *carried = NULL;
    for (int side = 0; side < 2; side++) {
        if (sides[side] < 0)
            continue;
        size_t more;
        figures_carried_t *list =
            figures_carried (self->catalogue, self->store, notice->region,
                             sides[side], notice->period, &more);
        carried = realloc (carried, (count + more + 1) * sizeof (*carried));
        assert (carried);
        //  Keep each (leaf, month) once, in the order of the first side.
        for (size_t index = 0; index < more; index++) {
            bool seen = false;
            for (size_t other = 0; other < count && !seen; other++)
                seen = carried[other].region == list[index].region &&
                       carried[other].from == list[index].from;
            if (!seen)
                carried[count++] = list[index];
        }
        free (list);
    }
    json_t *json = count ? summary_carried_json (self->catalogue, self->wording,
                                                 carried, count, self->lang)
                         : NULL;
    free (carried);
    return json;
}

//  One notice as a JSON object (caller decrefs).
static json_t *
s_notice_json (alerts_t *self, const rules_notice_t *notice)
{
    const rule_t *rule = catalogue_rule (self->catalogue, notice->rule);
    char period[PERIOD_TEXT_SIZE], since[32];
    period_format (notice->period, period);
    s_iso_time (notice->since, since, sizeof since);
    json_t *object = json_object ();
    json_object_set_new (object, "rule", json_string (rule->id));
    json_object_set_new (object, "kind",
                         json_string (catalogue_rule_kind_name (rule->kind)));
    json_object_set_new (
        object, "region",
        json_string (catalogue_region (self->catalogue, notice->region)->id));
    json_object_set_new (object, "region_name",
                         json_string (wording_region_name (
                             self->wording, notice->region, self->lang)));
    json_object_set_new (object, "severity",
                         json_string (s_severity (notice->severity)));
    json_object_set_new (
        object, "state",
        json_string (notice->state == NOTICE_FIRING ? "firing" : "resolved"));
    json_object_set_new (object, "repeat", json_boolean (notice->repeat));
    int figure = rule->figure >= 0 ? rule->figure : rule->left;
    if (figure >= 0)
        json_object_set_new (
            object, "figure",
            json_string (catalogue_figure_id (self->catalogue, figure)));
    json_object_set_new (object, "value",
                         json_real (decimal_round (notice->value, 3)));
    json_object_set_new (object, "threshold",
                         json_real (decimal_round (notice->threshold, 3)));
    json_object_set_new (object, "period", json_string (period));
    json_object_set_new (object, "since", json_string (since));
    json_object_set_new (object, "key", json_string (notice->key));
    json_t *carried = s_notice_carried (self, rule, notice);
    if (carried)
        json_object_set_new (object, "carried", carried);
    //  An outlier says what is wrong in the words the collector printed.
    jt_value_t seen;
    quality_finding_t finding;
    if (rule->kind == RULE_OUTLIER && notice->state == NOTICE_FIRING &&
        store_get (self->store, notice->region, rule->figure, notice->period,
                   &seen) &&
        quality_check_figure (self->catalogue, self->store, notice->region,
                              rule->figure, notice->period, seen,
                              &finding) != QUALITY_OK)
        json_object_set_new (object, "message", json_string (finding.text));
    return object;
}

static void
s_send (alerts_t *self, const rules_notice_t *notice)
{
    json_t *object = s_notice_json (self, notice);
    //  15 significant digits, as the summary's JSON: a value rounded to 3
    //  decimals prints as its text does (1234567890.125, not ...0.13)
    char *line = json_dumps (object, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                         JSON_REAL_PRECISION (15));
    json_decref (object);
    if (self->lines) {
        fprintf (self->lines, "%s\n", line);
        fflush (self->lines);
    }
    if (self->stream) {
        char *topic = zsys_sprintf (
            "%s %s", s_severity (notice->severity),
            catalogue_region (self->catalogue, notice->region)->id);
        zsock_send (self->stream, "ss", topic, line);
        free (topic);
    }
    if (self->syslog)
        syslog (notice->severity == SEVERITY_CRITICAL  ? LOG_CRIT
                : notice->severity == SEVERITY_WARNING ? LOG_WARNING
                                                       : LOG_INFO,
                "%s", line);
    free (line);
    self->sent++;
}

//  Send every queued notice, then save the state once.
static int
s_flush (alerts_t *self)
{
    int count = 0;
    rules_notice_t notice;
    while (rules_next (self->rules, &notice)) {
        s_send (self, &notice);
        count++;
    }
    s_save_state (self);
    return count;
}

static int
s_open_stream (alerts_t *self, const alerts_config_t *config, char **error)
{
    if (config->certificate) {
        char *warnings = NULL;
        self->keyring =
            keyring_new (config->site, config->key_dir, &warnings, error);
        if (warnings)
            log_warning ("alerts: %s", warnings);
        freen (warnings);
        if (!self->keyring)
            return -1;
        self->zap = zap_new ();
        if (!self->zap) {
            *error =
                strdup ("cannot start the ZAP handler for the alert stream");
            return -1;
        }
    }
    self->stream = zsock_new (ZMQ_PUB);
    assert (self->stream);
    app_socket_defaults (self->stream, 1000);
    zsock_set_sndhwm (self->stream, 100000);
    if (config->certificate)
        security_server_socket (self->stream, config->certificate,
                                SECURITY_DOMAIN_SUBSCRIBE);
    if (zsock_bind (self->stream, "%s", config->endpoint) == -1) {
        *error = zsys_sprintf ("cannot bind the alert stream on %s: %s",
                               config->endpoint, zmq_strerror (zmq_errno ()));
        return -1;
    }
    char *bound = zsock_last_endpoint (self->stream);
    log_info ("alerts: stream on %s (%s)", bound,
              config->certificate ? "CURVE" : "plain TCP");
    freen (bound);
    return 0;
}

alerts_t *
alerts_new (const catalogue_t *catalogue, const wording_t *wording,
            const store_t *store, const alerts_config_t *config, char **error)
{
    alerts_t *self = calloc (1, sizeof (alerts_t));
    assert (self);
    *error = NULL;
    self->catalogue = catalogue;
    self->wording = wording;
    self->store = store;
    self->rules = rules_new (catalogue, store);
    self->lang = config->lang ? config->lang : "en";
    self->syslog = config->syslog;
    if (config->state_path)
        self->state_path = strdup (config->state_path);
    if (config->lines && streq (config->lines, "-"))
        self->lines = stdout;
    else if (config->lines) {
        self->lines = fopen (config->lines, "a");
        self->lines_owned = true;
        if (!self->lines)
            *error = zsys_sprintf ("%s: %s", config->lines, strerror (errno));
    }
    if (!*error && config->endpoint)
        s_open_stream (self, config, error);
    if (!*error)
        s_load_state (self, error);
    if (*error) {
        alerts_destroy (&self);
        return NULL;
    }
    if (self->syslog)
        openlog ("jobtally-reporter", LOG_PID, LOG_DAEMON);
    return self;
}

void
alerts_destroy (alerts_t **self_p)
{
    assert (self_p);
    alerts_t *self = *self_p;
    if (self) {
        if (self->lines_owned && self->lines)
            fclose (self->lines);
        if (self->syslog)
            closelog ();
        zsock_destroy (&self->stream);
        zap_destroy (&self->zap);
        keyring_destroy (&self->keyring);
        rules_destroy (&self->rules);
        free (self->state_path);
        free (self->saved);
        free (self);
        *self_p = NULL;
    }
}

void
alerts_use_store (alerts_t *self, const store_t *store)
{
    self->store = store;
    rules_set_store (self->rules, store);
}

zsock_t *
alerts_zap_socket (alerts_t *self)
{
    return self->zap ? zap_socket (self->zap) : NULL;
}

void
alerts_handle_zap (alerts_t *self)
{
    if (self->zap)
        zap_handle (self->zap, self->keyring);
}

void
alerts_changed (alerts_t *self, int region, int indicator, int period,
                bool had_value, jt_value_t old_value, jt_value_t value,
                int64_t now)
{
    if (had_value && value != old_value) {
        rules_restated (self->rules, region, indicator, period, old_value,
                        value, now);
        s_flush (self);
    }
}

int
alerts_evaluate (alerts_t *self, int period, int64_t now)
{
    rules_evaluate (self->rules, period, now);
    return s_flush (self);
}

void
alerts_forget_before (alerts_t *self, int period)
{
    rules_forget_before (self->rules, period);
    s_save_state (self);
}

rules_notice_t *
alerts_active (alerts_t *self, size_t *count)
{
    return rules_active (self->rules, count);
}

uint64_t
alerts_sent (alerts_t *self)
{
    return self->sent;
}
