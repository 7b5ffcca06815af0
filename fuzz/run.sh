#!/bin/sh
# Run each libFuzzer target for RUNS executions or SECONDS seconds,
# whichever ends first, and print libFuzzer's final figures. Exits 1 when
# any target found a crash, a leak, undefined behaviour or a hang; the
# input that did it is saved as BUILD/fuzz/crashes/TARGET-<kind>-<sha1>.
# Run from the top of the source tree (make fuzz does).
#
# Usage: sh fuzz/run.sh BUILD RUNS SECONDS TARGET...   (TARGET: codec...)
set -u
build=$1
runs=$2
seconds=$3
shift 3

# The codec seeds are written by make_seeds when the folder is empty
# (they are committed; this remakes them after a wire change removed them).
if [ -z "$(ls -A fuzz/corpus/codec 2>/dev/null)" ]; then
    mkdir -p fuzz/corpus/codec
    "$build/fuzz/make_seeds" fuzz/corpus/codec || exit 1
fi

# Undefined behaviour stops the run (-fno-sanitize-recover), with a stack.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

status=0
for target in "$@"; do
    program="$build/fuzz/fuzz_$target"
    # New inputs go to the first folder, in the build tree; the committed
    # seeds are read only.
    work="$build/fuzz/corpus/$target"
    crashes="$build/fuzz/crashes"
    log="$build/fuzz/$target.log"
    stamp="$build/fuzz/$target.start"
    mkdir -p "$work" "$crashes"
    : >"$stamp"
    dict=""
    [ -f "fuzz/$target.dict" ] && dict="-dict=fuzz/$target.dict"
    echo "== fuzz_$target: $runs runs or $seconds s, whichever ends first (log: $log)"
    # shellcheck disable=SC2086
    if "$program" -runs="$runs" -max_total_time="$seconds" -timeout=25 \
            -print_final_stats=1 -artifact_prefix="$crashes/$target-" $dict \
            "$work" "fuzz/corpus/$target" >"$log" 2>&1; then
        grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^Done [0-9]+ runs|^stat::' "$log"
    else
        echo "fuzz_$target: FAILED; the end of its log:"
        tail -n 80 "$log"
        echo "fuzz_$target: reproducer(s):"
        find "$crashes" -name "$target-*" -newer "$stamp"
        status=1
    fi
done
exit $status
