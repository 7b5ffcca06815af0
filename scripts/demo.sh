#!/bin/sh
# The Heihe City 2003 demo: one aggregator, one collector per county
# importing January-October, then the city's end-of-October summary.
# Usage: scripts/demo.sh [BUILD_DIR]
set -eu
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="$ROOT/$BUILD"
CATALOGUE="$ROOT/config/heihe-2003.zpl"
DATA="$ROOT/config/heihe-2003"
WORK=$(mktemp -d /tmp/jobtally-demo.XXXXXX)
AGGREGATOR_PID=""

cleanup() {
    if [ -n "$AGGREGATOR_PID" ] && kill -0 "$AGGREGATOR_PID" 2>/dev/null; then
        kill -TERM "$AGGREGATOR_PID" 2>/dev/null || true
        wait "$AGGREGATOR_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

"$BIN/jobtally-aggregator" -c "$CATALOGUE" --check-config

# The secure path, as at a real site: a CURVE key pair for the aggregator,
# one for each county's collector and one for the reporter. The aggregator
# admits only the keys in its key directory.
KEYS="$WORK/keys"
"$BIN/jobtally" keygen aggregator --dir "$WORK" >/dev/null 2>&1
for county in direct aihui beian wudalianchi nenjiang xunke sunwu; do
    "$BIN/jobtally" keygen "$county" --dir "$KEYS/collectors" >/dev/null 2>&1
done
"$BIN/jobtally" keygen reporter --dir "$KEYS/subscribers" >/dev/null 2>&1
echo "demo: CURVE keys made for the aggregator, 7 collectors and the reporter"
SERVER_KEY="$WORK/aggregator.key"

# The aggregator's journal and snapshots go to demo-out/aggregator-state,
# emptied first: every demo run starts from nothing, and the state of the
# last run stays there to look at.
OUT="$ROOT/demo-out"
STATE="$OUT/aggregator-state"
rm -rf "$STATE"
mkdir -p "$OUT"

# Free ports are taken at start (port *); the aggregator writes the ones
# it bound to a file once its sockets are ready.
"$BIN/jobtally-aggregator" -c "$CATALOGUE" \
    --collect 'tcp://127.0.0.1:*' --publish 'tcp://127.0.0.1:*' \
    --query 'tcp://127.0.0.1:*' --endpoints-file "$WORK/endpoints" \
    --key "$WORK/aggregator.key_secret" --keys "$KEYS" --state "$STATE" \
    2>"$WORK/aggregator.log" &
AGGREGATOR_PID=$!
tries=0
while [ ! -f "$WORK/endpoints" ]; do
    tries=$((tries + 1))
    if [ $tries -gt 100 ] || ! kill -0 "$AGGREGATOR_PID" 2>/dev/null; then
        echo "demo: the aggregator did not start:" >&2
        cat "$WORK/aggregator.log" >&2
        exit 1
    fi
    sleep 0.1
done
COLLECT=$(sed -n 's/^collect=//p' "$WORK/endpoints")
PUBLISH=$(sed -n 's/^publish=//p' "$WORK/endpoints")
QUERY=$(sed -n 's/^query=//p' "$WORK/endpoints")
echo "demo: aggregator up (collect $COLLECT, publish $PUBLISH, query $QUERY)"

# One collector per county, all at once, as the county sites would.
pids=""
for county in direct aihui beian wudalianchi nenjiang xunke sunwu; do
    "$BIN/jobtally-collector" import "$DATA/$county.csv" --source "$county" \
        --aggregator "$COLLECT" --state "$WORK/state-$county" \
        --key "$KEYS/collectors/$county.key_secret" --server-key "$SERVER_KEY" \
        >"$WORK/collector-$county.log" 2>&1 &
    pids="$pids $!"
done
failed=0
for pid in $pids; do
    wait "$pid" || failed=1
done
cat "$WORK"/collector-*.log
if [ $failed -ne 0 ]; then
    echo "demo: a collector failed" >&2
    exit 1
fi

echo
"$BIN/jobtally-reporter" summary -c "$CATALOGUE" --query "$QUERY" \
    --publish "$PUBLISH" --region heihe --period 2003-10 --format text \
    --now 2003-11-20 \
    --key "$KEYS/subscribers/reporter.key_secret" --server-key "$SERVER_KEY"

# The reporter's alerts, as the city's IT team would get them (JSON lines),
# evaluated as of 20 November 2003, and the summary in every format.
echo
echo "demo: alerts raised by the catalogue's rules (as of 2003-11-20):"
"$BIN/jobtally-reporter" run --once -c "$CATALOGUE" --query "$QUERY" \
    --publish "$PUBLISH" --now 2003-11-20 --alerts - --out "$OUT" \
    --state "$WORK/alerts.state" \
    --key "$KEYS/subscribers/reporter.key_secret" --server-key "$SERVER_KEY" \
    2>"$WORK/reporter.log"
echo "demo: summaries written to demo-out/summary.{txt,md,csv,json,html}"
"$BIN/jobtally-reporter" run --once -c "$CATALOGUE" --query "$QUERY" \
    --publish "$PUBLISH" --now 2003-11-20 --alerts /dev/null --lang zh \
    --out "$OUT/zh" --key "$KEYS/subscribers/reporter.key_secret" \
    --server-key "$SERVER_KEY" 2>>"$WORK/reporter.log"
echo "demo: and in Chinese to demo-out/zh/"

kill -TERM "$AGGREGATOR_PID"
wait "$AGGREGATOR_PID"
AGGREGATOR_PID=""
echo
echo "demo: aggregator stopped cleanly; its state is in demo-out/aggregator-state:"
ls "$STATE" | sed 's/^/  /'
echo "demo: its log:"
sed 's/^/  /' "$WORK/aggregator.log"
