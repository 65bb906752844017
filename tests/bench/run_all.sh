#!/usr/bin/env bash
# shellcheck disable=SC2119  # start_kumod without arguments: the default configuration
# Measures the performance figures of issue 5 (README "Performance") on this machine:
# builds kumod, kumo-bench and the test function in Release, starts kumod on a free 127.0.0.1 port with a
# fresh data directory on the disk of the build directory (never tmpfs), runs each figure
# for a bounded time, samples kumod's RSS, times a restart with many objects indexed, and
# prints a Markdown table. Talks to 127.0.0.1 only.
#
# The two event figures (PUT with a binding, delivery latency at 1,000 events/s) come
# from events.sh, run here with its own kumod once this one has stopped.
#
# Environment (all optional; see lib.sh for the build and work directories):
#   KUMO_BENCH_BUILD_DIR        build directory (default: build/ when it is a configured
#                               Release tree, else build-bench/, configured here)
#   KUMO_BENCH_SECONDS          seconds per figure (default 20)
#   KUMO_BENCH_RESTART_OBJECTS  objects indexed before the restart figure (default 1000000)
#   KUMO_BENCH_POPULATE_SECONDS cap on the time spent creating them (default 600)
#   KUMO_BENCH_LIST_KEYS        keys listed by the ListObjectsV2 figure (default 100000)
#   KUMO_BENCH_WORK             where the data directory and results go
#                               (default <build dir>/bench-run)
#   KUMO_BENCH_KEEP=1           keep the data directory afterwards
#   KUMO_BENCH_NO_BUILD=1       use the binaries already in the build directory
set -euo pipefail

SECONDS_PER_FIGURE=${KUMO_BENCH_SECONDS:-20}
RESTART_OBJECTS=${KUMO_BENCH_RESTART_OBJECTS:-1000000}
POPULATE_SECONDS=${KUMO_BENCH_POPULATE_SECONDS:-600}
LIST_KEYS=${KUMO_BENCH_LIST_KEYS:-100000}
# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ---- build ------------------------------------------------------------------------------
bench_build kumod kumo-bench test_function  # test_function: events.sh binds it
bench_work bench-run

RSS_PID=
rss_start() {  # samples kumod's VmRSS every 0.1 s, keeps the peak (KiB) in $1
  local out=$1
  (
    peak=0
    while [[ -f /proc/$KPID/status ]]; do
      v=$(awk '/^VmRSS/ {print $2}' "/proc/$KPID/status" 2>/dev/null || echo 0)
      ((${v:-0} > peak)) && peak=$v && echo "$peak" >"$out"
      sleep 0.1
    done
  ) &
  RSS_PID=$!
}
rss_stop() {
  kill "$RSS_PID" 2>/dev/null || true
  wait "$RSS_PID" 2>/dev/null || true
}

cleanup() {
  rss_stop
  stop_kumod KILL
  [[ -n "${KUMO_BENCH_KEEP:-}" ]] || rm -rf "$DATA"
}
trap cleanup EXIT

# ---- the figures ------------------------------------------------------------------------
start_kumod
echo "kumod pid $KPID on $ENDPOINT, data in $DATA on $DISK"
D=$SECONDS_PER_FIGURE

rss_start "$RESULTS/rss_put4k"
run put4k put --prefix put4k/ --size 4KiB -c 64 -d "$D"
rss_stop
GET_KEYS=$(field put4k 'min(j["ops"], 100000)')
rss_start "$RESULTS/rss_get4k"
run get4k get --prefix put4k/ --keys "$GET_KEYS" --size 4KiB --verify -c 64 -d "$D"
rss_stop
rss_start "$RESULTS/rss_mixed4k"
run mixed4k mixed --prefix put4k/ --keys "$GET_KEYS" --size 4KiB --read-ratio 0.5 -c 64 -d "$D"
rss_stop

run put64m put --prefix put64m/ --size 64MiB -c 4 -d "$D"
GET_KEYS=$(field put64m 'max(1, min(j["ops"], 64))')
run get64m get --prefix put64m/ --keys "$GET_KEYS" --size 64MiB --verify -c 4 -d "$D"

rss_start "$RESULTS/rss_put2g"
run put2g put --prefix put2g/ --size 2GiB -c 1 -n 1
rss_stop

run list_populate put --prefix list/ --size 16 -c 64 -n "$LIST_KEYS" -q
run list_c1 list --prefix list/ --page-size 1000 -c 1 -d "$D"
run list_c4 list --prefix list/ --page-size 1000 -c 4 -d "$D"

run restart_populate put --prefix tiny/ --size 16 -c 64 -n "$RESTART_OBJECTS" \
  -d "$POPULATE_SECONDS" -q
INDEXED=$(cat "$RESULTS"/{put4k,put64m,put2g,list_populate,restart_populate}.json |
  $PY -c 'import json,sys; print(sum(json.loads(l)["ops"] for l in sys.stdin))')
stop_kumod KILL
start_kumod
RESTART_KILL=$STARTUP
stop_kumod TERM
start_kumod
RESTART_TERM=$STARTUP
echo "restart with $INDEXED objects: ${RESTART_KILL}s after kill -9, ${RESTART_TERM}s after SIGTERM"
stop_kumod TERM

# The event figures: events.sh starts its own kumod (a function bound by its config file)
# on the same disk, and leaves its table rows in events_rows.md.
KUMO_BENCH_NO_BUILD=1 KUMO_BENCH_BUILD_DIR=$BUILD KUMO_BENCH_WORK=$WORK/events \
  KUMO_BENCH_SECONDS=$SECONDS_PER_FIGURE KUMO_BENCH_ROWS=$RESULTS/events_rows.md \
  "$REPO/tests/bench/events.sh"

# Physical ceiling, cheap version (no fio here), with kumod stopped: 4 KiB writes each
# followed by fdatasync (dd oflag=dsync) from 1 and from 16 writers, and 1 GiB sequential
# ended by one fdatasync.
ceiling_dsync() {  # $1 writers; prints fdatasync'd 4 KiB writes per second
  local t0 t1 w
  t0=$(date +%s.%N)
  for w in $(seq 1 "$1"); do
    dd if=/dev/zero of="$WORK/dd$w.tmp" bs=4k count=1000 oflag=dsync 2>/dev/null &
  done
  wait
  t1=$(date +%s.%N)
  rm -f "$WORK"/dd*.tmp
  $PY -c "print(f'{$1 * 1000 / ($t1 - $t0):.0f}')"
}
ceiling_dsync 1 >"$RESULTS/dsync1.txt"
ceiling_dsync 16 >"$RESULTS/dsync16.txt"
dd if=/dev/zero of="$WORK/dd.tmp" bs=64M count=16 conv=fdatasync 2>"$RESULTS/dd64m.txt" || true
rm -f "$WORK/dd.tmp"

# ---- the table --------------------------------------------------------------------------
export RESULTS INDEXED RESTART_KILL RESTART_TERM DISK
$PY - <<'PYEOF'
import json, os, re
R = os.environ["RESULTS"]
def j(name):
    return json.load(open(f"{R}/{name}.json"))
def rss(name):
    try:
        return int(open(f"{R}/rss_{name}").read()) / 1024
    except (OSError, ValueError):
        return float("nan")
def note(r):
    lat = r["latency_ms"]
    return (f"p50 {lat['p50']:.1f} / p99 {lat['p99']:.1f} / max {lat['max']:.1f} ms; "
            f"{r['errors']} errors; client CPU {r['client_cpu']['pct_wall']:.0f}%")
def dd(name):
    text = open(f"{R}/{name}.txt").read()
    m = re.search(r"copied, ([\d.]+) s, ([\d.]+ \S+)", text)
    return (float(m.group(1)), m.group(2)) if m else (float("nan"), "?")
rows = []
p, g, mx = j("put4k"), j("get4k"), j("mixed4k")
rows.append(("PUT 4 KiB, c=64, durable", "≥ 10,000 ops/s", f"{p['ops_per_s']:,.0f} ops/s", note(p)))
rows.append(("GET 4 KiB, c=64", "≥ 35,000 ops/s", f"{g['ops_per_s']:,.0f} ops/s", note(g)))
rows.append(("mixed 4 KiB 50% GET, c=64", "—", f"{mx['ops_per_s']:,.0f} ops/s", note(mx)))
p, g = j("put64m"), j("get64m")
rows.append(("PUT 64 MiB, c=4", "≥ 400 MiB/s", f"{p['mib_per_s']:,.0f} MiB/s", note(p)))
rows.append(("GET 64 MiB, c=4", "≥ 1,500 MiB/s", f"{g['mib_per_s']:,.0f} MiB/s", note(g)))
for c in ("c1", "c4"):
    l = j(f"list_{c}")
    rows.append((f"ListObjectsV2, 1,000-key pages over {j('list_populate')['ops']:,} keys, {c.replace('c', 'c=')}",
                 "≥ 100 pages/s", f"{l['pages_per_s']:,.0f} pages/s ({l['keys_per_s']:,.0f} keys/s)", note(l)))
peak = max(rss("put4k"), rss("get4k"), rss("mixed4k"), rss("put2g"))
with open(f"{R}/events_rows.md") as f:  # written by events.sh
    rows += [tuple(c.strip() for c in line.strip().strip("|").split(" | ")) for line in f if line.strip()]
rows.append(("kumod RSS under the c=64 runs and a 2 GiB upload", "≤ 256 MiB", f"{peak:,.0f} MiB",
             f"peak: PUT {rss('put4k'):.0f}, GET {rss('get4k'):.0f}, mixed {rss('mixed4k'):.0f}, "
             f"2 GiB PUT {rss('put2g'):.0f} MiB"))
rows.append((f"restart with {int(os.environ['INDEXED']):,} objects indexed", "serving within 2 s",
             f"{float(os.environ['RESTART_KILL']):.2f} s after kill -9",
             f"{float(os.environ['RESTART_TERM']):.2f} s after SIGTERM"))
s64, r64 = dd("dd64m")
d1 = int(open(f"{R}/dsync1.txt").read())
d16 = int(open(f"{R}/dsync16.txt").read())
rows.append(("ceiling: 4 KiB writes + fdatasync", "—", f"{d1:,} /s (1 writer), {d16:,} /s (16 writers)",
             "dd oflag=dsync, kumod stopped"))
rows.append(("ceiling: 1 GiB sequential + fdatasync", "—", r64, "dd bs=64M conv=fdatasync, kumod stopped"))
print()
print(f"Data directory on {os.environ['DISK']}")
print()
print("| figure | target | measured | notes |")
print("|---|---|---|---|")
for row in rows:
    print("| " + " | ".join(row) + " |")
PYEOF
