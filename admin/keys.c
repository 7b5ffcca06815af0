/*  keys.c — jobtally keys list and keys revoke: who the city admits, and
    taking one out (docs/security.md, "Listing and revoking keys"). */

#include "keys.h"

#include <errno.h>
#include <sys/stat.h>

#include "security.h"

//  One admitted key as keys list shows it.
typedef struct {
    char *name;   //  "aihui"
    char *role;   //  "collector", "subscriber", "aggregator"
    char *listed; //  "catalogue heihe.zpl, sources" or the key file
    char *key;    //  Z85 public key
} s_row_t;

typedef struct {
    s_row_t *rows;
    size_t count;
    size_t capacity;
} s_rows_t;

static void
s_add (s_rows_t *rows, const char *name, const char *role, char *listed,
       const char *key)
{
    if (rows->count == rows->capacity) {
        rows->capacity = rows->capacity ? rows->capacity * 2 : 16;
        rows->rows = realloc (rows->rows, rows->capacity * sizeof (s_row_t));
        assert (rows->rows);
    }
    rows->rows[rows->count++] = (s_row_t){.name = strdup (name),
                                          .role = strdup (role),
                                          .listed = listed,
                                          .key = strdup (key)};
}

static void
s_rows_free (s_rows_t *rows)
{
    for (size_t index = 0; index < rows->count; index++) {
        free (rows->rows[index].name);
        free (rows->rows[index].role);
        free (rows->rows[index].listed);
        free (rows->rows[index].key);
    }
    free (rows->rows);
}

//  The keys of key_dir/subdir/*.key with role; -1 when a file is not a
//  public key (told on stderr).
static int
s_add_dir (s_rows_t *rows, const char *key_dir, const char *subdir,
           const char *role)
{
    char *dir = zsys_sprintf ("%s/%s", key_dir, subdir);
    char *error = NULL;
    zlistx_t *names = security_key_files (dir, ".key", &error);
    int rc = names ? 0 : -1;
    for (char *name = names ? (char *)zlistx_first (names) : NULL; name;
         name = (char *)zlistx_next (names)) {
        char *path = zsys_sprintf ("%s/%s", dir, name);
        zcert_t *certificate = security_load_public (path, &error);
        if (certificate) {
            name[strlen (name) - strlen (".key")] = '\0';
            s_add (rows, name, role, path, zcert_public_txt (certificate));
            zcert_destroy (&certificate);
            continue;
        }
        fprintf (stderr, "jobtally: %s\n", error);
        freen (error);
        error = NULL;
        free (path);
        rc = -1;
    }
    if (!names) {
        fprintf (stderr, "jobtally: %s\n", error);
        freen (error);
    }
    zlistx_destroy (&names);
    freen (dir);
    return rc;
}

int
keys_list (FILE *out, const site_t *site, const char *catalogue_path,
           const char *key_dir)
{
    s_rows_t rows = {0};
    if (site) {
        for (int index = 0; index < site_source_count (site); index++) {
            const site_key_t *key = site_source (site, index);
            if (key->public_key)
                s_add (&rows, key->id, "collector",
                       zsys_sprintf ("%s: sources", catalogue_path),
                       key->public_key);
        }
        for (int index = 0; index < site_subscriber_count (site); index++) {
            const site_key_t *key = site_subscriber (site, index);
            s_add (&rows, key->id, "subscriber",
                   zsys_sprintf ("%s: subscribers", catalogue_path),
                   key->public_key);
        }
    }
    int rc = 0;
    if (key_dir) {
        char *path = zsys_sprintf ("%s/aggregator.key", key_dir);
        char *error = NULL;
        zcert_t *certificate = zsys_file_exists (path)
                                   ? security_load_public (path, &error)
                                   : NULL;
        if (certificate) {
            s_add (&rows, "aggregator", "aggregator", path,
                   zcert_public_txt (certificate));
            zcert_destroy (&certificate);
        } else {
            if (error) {
                fprintf (stderr, "jobtally: %s\n", error);
                rc = -1;
            }
            freen (error);
            freen (path);
        }
        if (s_add_dir (&rows, key_dir, "collectors", "collector") != 0 ||
            s_add_dir (&rows, key_dir, "subscribers", "subscriber") != 0)
            rc = -1;
    }
    size_t name_width = 4, role_width = 4, listed_width = 9;
    for (size_t index = 0; index < rows.count; index++) {
        name_width = MAX (name_width, strlen (rows.rows[index].name));
        role_width = MAX (role_width, strlen (rows.rows[index].role));
        listed_width = MAX (listed_width, strlen (rows.rows[index].listed));
    }
    fprintf (out, "%-*s  %-*s  %-*s  %s\n", (int)name_width, "NAME",
             (int)role_width, "ROLE", (int)listed_width, "LISTED IN",
             "PUBLIC KEY");
    size_t collectors = 0, subscribers = 0;
    for (size_t index = 0; index < rows.count; index++) {
        const s_row_t *row = &rows.rows[index];
        fprintf (out, "%-*s  %-*s  %-*s  %s\n", (int)name_width, row->name,
                 (int)role_width, row->role, (int)listed_width, row->listed,
                 row->key);
        collectors += streq (row->role, "collector");
        subscribers += streq (row->role, "subscriber");
    }
    fprintf (out, "%zu collector key%s, %zu subscriber key%s admitted\n",
             collectors, collectors == 1 ? "" : "s", subscribers,
             subscribers == 1 ? "" : "s");
    s_rows_free (&rows);
    return rc;
}

//  True when the site lists name with a key under sources or subscribers;
//  *section says which.
static bool
s_in_catalogue (const site_t *site, const char *name, const char **section)
{
    if (!site)
        return false;
    int source = site_source_find (site, name);
    if (source >= 0 && site_source (site, source)->public_key) {
        *section = "sources";
        return true;
    }
    for (int index = 0; index < site_subscriber_count (site); index++)
        if (streq (site_subscriber (site, index)->id, name)) {
            *section = "subscribers";
            return true;
        }
    return false;
}

int
keys_revoke (FILE *out, const site_t *site, const char *catalogue_path,
             const char *key_dir, const char *name)
{
    static const char *subdirs[] = {"collectors", "subscribers"};
    const char *section = NULL;
    bool listed = s_in_catalogue (site, name, &section);
    int moved = 0;
    for (int index = 0; index < 2; index++) {
        char *from =
            zsys_sprintf ("%s/%s/%s.key", key_dir, subdirs[index], name);
        if (!zsys_file_exists (from)) {
            freen (from);
            continue;
        }
        char *dir = zsys_sprintf ("%s/revoked/%s", key_dir, subdirs[index]);
        char *to = zsys_sprintf ("%s/%s.key", dir, name);
        int rc = zsys_dir_create ("%s", dir);
        if (rc == 0 && zsys_file_exists (to)) {
            fprintf (stderr,
                     "jobtally: %s exists: a key named %s was revoked "
                     "before; move it away first\n",
                     to, name);
            rc = -1;
        } else if (rc == 0 && rename (from, to) != 0) {
            fprintf (stderr, "jobtally: cannot move %s to %s: %s\n", from, to,
                     strerror (errno));
            rc = -1;
        } else if (rc != 0)
            fprintf (stderr, "jobtally: cannot create %s: %s\n", dir,
                     strerror (errno));
        if (rc == 0) {
            fprintf (out, "revoked %s: %s moved to %s\n", name, from, to);
            moved++;
        }
        freen (from);
        freen (dir);
        freen (to);
        if (rc != 0)
            return -1;
    }
    if (listed) {
        fprintf (stderr,
                 "jobtally: %s is also listed in %s under %s with its "
                 "public_key: remove it there, or the aggregator still "
                 "admits it\n",
                 name, catalogue_path, section);
        return -1;
    }
    if (moved == 0) {
        fprintf (
            stderr,
            "jobtally: no key named %s in %s/collectors or %s/subscribers\n",
            name, key_dir, key_dir);
        return -1;
    }
    fprintf (out,
             "a running aggregator refuses it from its next connection: it "
             "reads the key directory again within a second (or on "
             "SIGHUP: systemctl reload jobtally-aggregator)\n");
    return 0;
}
