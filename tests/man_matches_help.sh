#!/bin/sh
# man_matches_help.sh PROGRAM PAGE.scd — PROGRAM's --help and its manual
# page (the scdoc source in man/) say the same: every option --help lists
# is in the page's OPTIONS with the same short letter, and the other way
# round; both have an exit-status section with the same statuses; and
# --help has the parts every program shares (-V/--version,
# --check-config[=FILE], "Exit status:").
#
# A page may document an option ahead of the program with a comment line
# "; help-check pending: --NAME ..."; the check fails once --help lists it,
# so that the line is removed then.
set -eu
program=$1
page=$2
failed=0
fail () {
    echo "$(basename "$page"): $*" >&2
    failed=1
}

help=$("$program" --help)

# "-c/--config" or "--collect", one per option line of a section.
help_options=$(printf '%s\n' "$help" | awk '
    /^Options:$/ { on = 1; next }
    /^[^ ]/ { on = 0 }
    on && /^  (-[A-Za-z], |    )--[a-z]/ {
        letter = substr($0, 3, 1) == "-" ? substr($0, 3, 2) "/" : ""
        match($0, /--[a-z][a-z0-9-]*/)
        print letter substr($0, RSTART, RLENGTH)
    }' | sort -u)
page_options=$(awk '
    /^# / { on = ($0 == "# OPTIONS"); next }
    on && /^\*-/ {
        letter = ""
        if (match($0, /^\*-[A-Za-z]\*, /))
            letter = substr($0, 2, 2) "/"
        if (match($0, /--[a-z][a-z0-9-]*/))
            print letter substr($0, RSTART, RLENGTH)
    }' "$page" | sort -u)
pending=$(sed -n 's/^; help-check pending: //p' "$page" | tr ' ' '\n' |
    sed '/^$/d' | sort -u)

help_exits=$(printf '%s\n' "$help" | awk '
    /^Exit status:$/ { on = 1; next }
    /^[^ ]/ { on = 0 }
    on && /^  [0-9]+ / { print $1 }' | sort -n)
page_exits=$(awk '
    /^# / { on = ($0 == "# EXIT STATUS"); next }
    on && /^\*[0-9]+\*$/ { gsub(/\*/, ""); print }' "$page" | sort -n)

[ -n "$help_options" ] || fail "no options in $program --help"
[ -n "$page_options" ] || fail "no OPTIONS section"
[ -n "$help_exits" ] || fail "no exit-status section in $program --help"
[ -n "$page_exits" ] || fail "no EXIT STATUS section"

# Compare by name (--config), and by letter where there is one.
name_of () { sed 's|^-./||'; }
for option in $(printf '%s\n' "$help_options" | name_of); do
    printf '%s\n' "$page_options" | name_of | grep -qx -- "$option" ||
        fail "$option is in --help but not in OPTIONS"
    if printf '%s\n' "$pending" | grep -qx -- "$option"; then
        fail "$option is in --help now: remove it from 'help-check pending'"
    fi
done
for option in $(printf '%s\n' "$page_options" | name_of); do
    if ! printf '%s\n' "$help_options" | name_of | grep -qx -- "$option"; then
        printf '%s\n' "$pending" | grep -qx -- "$option" ||
            fail "$option is in OPTIONS but not in --help"
    fi
done
for option in $(printf '%s\n' "$help_options" | grep '/'); do
    printf '%s\n' "$page_options" | grep -qx -- "$option" ||
        fail "${option%%/*} is the short form of ${option#*/} in --help, not in OPTIONS"
done
for option in $(printf '%s\n' "$page_options" | grep '/'); do
    printf '%s\n' "$help_options" | grep -qx -- "$option" ||
        fail "${option%%/*} is the short form of ${option#*/} in OPTIONS, not in --help"
done
[ "$help_exits" = "$page_exits" ] ||
    fail "exit statuses differ: --help has" $help_exits "and the page" $page_exits

# What every program shares, from common/options.c.
for part in '  -V, --version' '      --check-config[=FILE]' 'Exit status:'; do
    printf '%s\n' "$help" | grep -qF -- "$part" ||
        fail "$program --help lacks '$part'"
done

[ "$failed" -eq 0 ] && echo "$(basename "$page"): matches $(basename "$program") --help"
exit "$failed"
