/*  zpl.c — the catalogue file's scanner (zpl.h).

    Reading takes three steps. s_scan_text checks every line the way
    zconfig will read it and records the line of each entry. zconfig_str_load
    then builds the tree, and s_add_nodes flattens it in pre-order, which is
    the order of the lines, into nodes that carry their line. The zconfig
    tree lives as long as the zpl_t: every name and value is borrowed from
    it. */

#include "zpl.h"

struct _zpl_t {
    zconfig_t *config;   //  the parsed tree: owns every string we lend
    char *filename_copy; //  our copy of filename
    char *error;         //  the first problem, "file:line: reason", or NULL
    int *lines;          //  line of each entry, in text order
    int line_count;      //  entries in lines
    int line_capacity;   //  room in lines
    zpl_node_t *nodes;   //  every entry, in pre-order
    int node_count;      //  entries in nodes
};

void *
zpl_alloc (size_t count, size_t size)
{
    void *memory = calloc (count ? count : 1, size);
    if (!memory)
        abort ();
    return memory;
}

int
zpl_fail (zpl_t *self, int line, const char *format, ...)
{
    assert (self);
    if (self->error)
        return -1;
    va_list args;
    va_start (args, format);
    char *reason = zsys_vprintf (format, args);
    va_end (args);
    if (!reason)
        abort ();
    if (line > 0)
        self->error =
            zsys_sprintf ("%s:%d: %s", self->filename_copy, line, reason);
    else
        self->error = zsys_sprintf ("%s: %s", self->filename_copy, reason);
    free (reason);
    if (!self->error)
        abort ();
    return -1;
}

char *
zpl_error (zpl_t *self)
{
    assert (self);
    char *error = self->error;
    self->error = NULL;
    return error;
}

void *
zpl_give_error (char *reason, char **error)
{
    if (error)
        *error = reason;
    else
        free (reason);
    return NULL;
}

//  isspace in the C locale, as zconfig uses it.
static bool
s_is_space (char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
           c == '\r';
}

//  The characters zconfig accepts in a name.
static bool
s_is_namechar (char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || (c != '\0' && strchr ("$-_@.&+/", c));
}

static void
s_add_line (zpl_t *self, int line)
{
    if (self->line_count == self->line_capacity) {
        self->line_capacity = self->line_capacity * 2 + 64;
        self->lines =
            realloc (self->lines, (size_t)self->line_capacity * sizeof (int));
        if (!self->lines)
            abort ();
    }
    self->lines[self->line_count++] = line;
}

//  Check one trimmed, NUL-terminated line as zconfig will read it. A
//  comment line is blanked, since zconfig would check its indentation.
static int
s_scan_line (zpl_t *self, int line, char *text, int *previous_level)
{
    char *scan = text;
    while (s_is_space (*scan))
        scan++;
    if (*scan == '\0')
        return 0;
    if (*scan == '#') {
        memset (text, ' ', strlen (text));
        return 0;
    }
    size_t indent = 0;
    while (text[indent] == ' ')
        indent++;
    if (text + indent != scan)
        return zpl_fail (self, line, "indent with spaces, not tabs");
    if (indent % 4)
        return zpl_fail (self, line,
                         "indentation of %zu %s is not a multiple of 4", indent,
                         jt_plural (indent, "space", "spaces"));
    int level = (int)(indent / 4);
    if (level > *previous_level + 1) {
        if (*previous_level < 0)
            return zpl_fail (self, line, "the first entry is indented");
        return zpl_fail (self, line,
                         "indented more than one level below the line above");
    }
    char *name = scan;
    while (s_is_namechar (*scan))
        scan++;
    int name_length = (int)(scan - name);
    if (name_length == 0 || name[0] == '/' || scan[-1] == '/' ||
        (*scan && !s_is_space (*scan) && *scan != '=' && *scan != '#'))
        return zpl_fail (self, line, "bad name '%.*s'",
                         (int)strcspn (name, " \t="), name);
    while (s_is_space (*scan))
        scan++;
    if (*scan == '=') {
        scan++;
        while (s_is_space (*scan))
            scan++;
        if (*scan == '"' || *scan == '\'') {
            char *close = strchr (scan + 1, *scan);
            if (!close)
                return zpl_fail (self, line,
                                 "unterminated quote in the value of '%.*s'",
                                 name_length, name);
            scan = close + 1;
            while (s_is_space (*scan))
                scan++;
            if (*scan && *scan != '#')
                return zpl_fail (self, line,
                                 "unexpected text after the value of '%.*s': "
                                 "'%s'",
                                 name_length, name, scan);
        } else if (*scan == '#')
            //  zconfig would take the comment as the value
            return zpl_fail (self, line, "missing value for '%.*s'",
                             name_length, name);
    } else if (*scan && *scan != '#')
        return zpl_fail (self, line, "expected '=' after '%.*s', found '%s'",
                         name_length, name, scan);
    s_add_line (self, line);
    *previous_level = level;
    return 0;
}

//  Check every line of text, which is our own copy, and record the line of
//  each entry. Comment lines are blanked in text.
static int
s_scan_text (zpl_t *self, char *text)
{
    int line = 0;
    int previous_level = -1;
    char *start = text;
    while (*start) {
        line++;
        char *end = strchr (start, '\n');
        size_t raw = end ? (size_t)(end - start) : strlen (start);
        if (raw > ZPL_LINE_MAX)
            return zpl_fail (self, line, "line longer than %d bytes",
                             ZPL_LINE_MAX);
        size_t length = raw;
        while (length && s_is_space (start[length - 1]))
            length--;
        char saved = start[length];
        start[length] = '\0';
        int rc = s_scan_line (self, line, start, &previous_level);
        start[length] = saved;
        if (rc)
            return -1;
        start = end ? end + 1 : start + raw;
    }
    return 0;
}

//  Copy the children of config, in pre-order, into nodes at depth; parent
//  is their parent's node or -1. Returns -1 if zconfig read more entries
//  than the scan found.
static int
s_add_nodes (zpl_t *self, zconfig_t *config, int depth, int parent)
{
    int previous = -1;
    for (zconfig_t *child = zconfig_child (config); child;
         child = zconfig_next (child)) {
        if (self->node_count >= self->line_count)
            return -1;
        int index = self->node_count++;
        zpl_node_t *node = &self->nodes[index];
        node->name = zconfig_name (child);
        node->value = zconfig_value (child) ? zconfig_value (child) : "";
        node->line = self->lines[index];
        node->depth = depth;
        node->child = -1;
        node->next = -1;
        if (previous >= 0)
            self->nodes[previous].next = index;
        else if (parent >= 0)
            self->nodes[parent].child = index;
        previous = index;
        if (s_add_nodes (self, child, depth + 1, index))
            return -1;
    }
    return 0;
}

zpl_t *
zpl_new (const char *text, const char *filename, char **error)
{
    assert (text);
    zpl_t *self = zpl_alloc (1, sizeof (zpl_t));
    self->filename_copy = strdup (filename ? filename : "catalogue");
    if (!self->filename_copy)
        abort ();
    if (strncmp (text, "\xEF\xBB\xBF", 3) == 0)
        text += 3; //  a UTF-8 byte order mark
    char *copy = strdup (text);
    if (!copy)
        abort ();
    int rc = s_scan_text (self, copy);
    if (rc == 0) {
        self->config = zconfig_str_load (copy);
        if (!self->config)
            rc = zpl_fail (self, 0, "syntax error");
    }
    free (copy);
    if (rc == 0) {
        self->nodes = zpl_alloc ((size_t)self->line_count, sizeof (zpl_node_t));
        if (s_add_nodes (self, self->config, 0, -1) ||
            self->node_count != self->line_count)
            rc = zpl_fail (self, 0,
                           "zconfig read the entries differently from the "
                           "line scan");
    }
    free (self->lines);
    self->lines = NULL;
    if (rc) {
        if (error)
            *error = zpl_error (self);
        zpl_destroy (&self);
        return NULL;
    }
    if (error)
        *error = NULL;
    return self;
}

void
zpl_destroy (zpl_t **self_p)
{
    assert (self_p);
    zpl_t *self = *self_p;
    if (!self)
        return;
    zconfig_destroy (&self->config);
    free (self->nodes);
    free (self->lines);
    free (self->error);
    free (self->filename_copy);
    free (self);
    *self_p = NULL;
}

const zpl_node_t *
zpl_nodes (const zpl_t *self, int *count)
{
    assert (self);
    assert (count);
    *count = self->node_count;
    return self->nodes;
}

int
zpl_sections (zpl_t *self, const char *const *names, int *found, bool others)
{
    assert (self);
    int count = 0;
    while (names[count])
        found[count++] = -1;
    for (int node = self->node_count ? 0 : -1; node >= 0;
         node = self->nodes[node].next) {
        const zpl_node_t *entry = &self->nodes[node];
        int section = 0;
        while (section < count && strcmp (names[section], entry->name))
            section++;
        if (section == count) {
            if (others)
                continue;
            return zpl_fail (self, entry->line, "unknown section '%s'",
                             entry->name);
        }
        if (found[section] >= 0)
            return zpl_fail (self, entry->line, "duplicate section '%s'",
                             entry->name);
        if (*entry->value)
            return zpl_fail (self, entry->line,
                             "unexpected value '%s' for section '%s'",
                             entry->value, entry->name);
        found[section] = node;
    }
    return 0;
}

int
zpl_no_value (zpl_t *self, int node, const char *where)
{
    const zpl_node_t *entry = &self->nodes[node];
    if (*entry->value)
        return zpl_fail (self, entry->line,
                         "unexpected value '%s' for '%s' in %s", entry->value,
                         entry->name, where);
    return 0;
}

int
zpl_no_children (zpl_t *self, int node, const char *where)
{
    const zpl_node_t *entry = &self->nodes[node];
    if (entry->child >= 0)
        return zpl_fail (self, self->nodes[entry->child].line,
                         "unexpected block under '%s' in %s", entry->name,
                         where);
    return 0;
}

int
zpl_keys (zpl_t *self, int node, const char *where, const char *const *allowed,
          int *found)
{
    for (int key = 0; allowed[key]; key++)
        found[key] = -1;
    for (int child = self->nodes[node].child; child >= 0;
         child = self->nodes[child].next) {
        const zpl_node_t *entry = &self->nodes[child];
        int key = 0;
        while (allowed[key] && strcmp (allowed[key], entry->name))
            key++;
        if (!allowed[key])
            return zpl_fail (self, entry->line, "unknown key '%s' in %s",
                             entry->name, where);
        if (found[key] >= 0)
            return zpl_fail (self, entry->line, "duplicate key '%s' in %s",
                             entry->name, where);
        if (zpl_no_children (self, child, where))
            return -1;
        found[key] = child;
    }
    return 0;
}

int
zpl_child_count (const zpl_t *self, int node)
{
    int count = 0;
    for (int child = self->nodes[node].child; child >= 0;
         child = self->nodes[child].next)
        count++;
    return count;
}

int
zpl_lookup (zhashx_t *index, const char *id)
{
    void *item = zhashx_lookup (index, id);
    return item ? (int)(intptr_t)item - 1 : -1;
}

int
zpl_block_id (zpl_t *self, int node, const char *what, zhashx_t *index,
              int position)
{
    const zpl_node_t *entry = &self->nodes[node];
    if (!jt_id_valid (entry->name))
        return zpl_fail (self, entry->line, "bad %s id '%s'", what,
                         entry->name);
    if (zhashx_insert (index, entry->name, (void *)(intptr_t)(position + 1)) !=
        0)
        return zpl_fail (self, entry->line, "duplicate %s id '%s'", what,
                         entry->name);
    return 0;
}

const char *
zpl_word (const char *scan, char *word)
{
    while (s_is_space (*scan))
        scan++;
    if (!*scan)
        return NULL;
    size_t length = strcspn (scan, " \t\r\n\v\f");
    if (length > ZPL_LINE_MAX)
        length = ZPL_LINE_MAX; //  never: the scan refused longer lines
    memcpy (word, scan, length);
    word[length] = '\0';
    return scan + length;
}
