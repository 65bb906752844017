#!/usr/bin/env bash
# Measures the two event figures of issue 5 (README "Performance") on this machine, with
# a kumod whose config file loads the no-op test function (tests/plugins/test_function.cc,
# mode "noop") and binds it to every object created in one bucket:
#   1. PUT 4 KiB, c=64, for a fixed time on a bucket without any binding and on the
#      bound bucket (each event delivered to the function), in rounds of alternating
#      order; prints bound / unbound.
#      Both buckets live in the same kumod: the handler's worker follows the outbox in
#      both runs and only delivers in the second, so the ratio is the cost of delivery.
#      After each bound run the script waits until the function has caught up, so no
#      backlog leaks into the next run.
#   2. PUT 4 KiB at a fixed 1,000 operations/s (kumo-bench --rate, open loop) for 20 s on
#      the bound bucket, then reads kumo_event_dispatch_latency_seconds of /_kumo/metrics
#      before and after (the function caught up both times) and reports p50 and p99 of
#      the difference, interpolated linearly within the histogram's buckets, and the
#      fraction of events delivered within 20 ms (a bucket bound: exact).
# The latency is from the event's commit stamp (1 ms resolution, taken just before the
# commit's synced write) to the start of the function's first delivery attempt.
#
# Environment (all optional; see lib.sh for the build and work directories):
#   KUMO_BENCH_SECONDS        seconds per PUT run of figure 1 (default 20)
#   KUMO_BENCH_EVENT_ROUNDS   unbound/bound pairs of figure 1 (default 4), in alternating
#                             order; the ratio is of the summed operations
#   KUMO_BENCH_EVENT_RATE     events/s of figure 2 (default 1000)
#   KUMO_BENCH_RATE_SECONDS   seconds of figure 2 (default 20)
#   KUMO_BENCH_ROWS           also write the two Markdown table rows to this file
#                             (run_all.sh adds them to its table)
#   KUMO_BENCH_WORK           default <build dir>/bench-events
set -euo pipefail

SECONDS_PER_FIGURE=${KUMO_BENCH_SECONDS:-20}
ROUNDS=${KUMO_BENCH_EVENT_ROUNDS:-4}
RATE=${KUMO_BENCH_EVENT_RATE:-1000}
RATE_SECONDS=${KUMO_BENCH_RATE_SECONDS:-20}
# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_build kumod kumo-bench test_function
bench_work bench-events
PLUGIN=$BUILD/tests/plugins/test_function.so
[[ -f "$PLUGIN" ]] || { echo "events.sh: $PLUGIN not built" >&2; exit 1; }
UNBOUND=bench-unbound
BOUND=bench-bound
HANDLER=function:noop
CONFIG=$WORK/kumo.toml
cat >"$CONFIG" <<EOF
[functions.noop]
plugin = "$PLUGIN"
config = { mode = "noop" }

[[bindings]]
bucket = "$BOUND"
function = "noop"
events = ["s3:ObjectCreated:*"]
EOF

cleanup() {
  stop_kumod KILL
  [[ -n "${KUMO_BENCH_KEEP:-}" ]] || rm -rf "$DATA"
}
trap cleanup EXIT

metrics() { curl -fs --max-time 10 "$ENDPOINT/_kumo/metrics"; }
lag() {  # the function's kumo_events_lag
  metrics | awk -v h="$HANDLER" '$1 == "kumo_events_lag{handler=\"" h "\"}" {print $2}'
}
# Waits (up to 600 s) until the function has handled every event; prints the seconds.
# Call it as an assignment (t=$(wait_caught_up)) so that a timeout stops the script.
wait_caught_up() {
  local t0 t1 deadline=$((SECONDS + 600))
  t0=$(date +%s.%N)
  until [[ "$(lag)" == 0 ]]; do
    ((SECONDS < deadline)) || { echo "events.sh: $HANDLER still lags after 600 s" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s.%N)
  $PY -c "print(f'{$t1 - $t0:.2f}')"
}

# ---- the figures ------------------------------------------------------------------------
start_kumod --config "$CONFIG"
echo "kumod pid $KPID on $ENDPOINT, data in $DATA on $DISK; $HANDLER bound to $BOUND"
D=$SECONDS_PER_FIGURE

run_unbound() { run "unbound_$1" put --bucket "$UNBOUND" --prefix "r$1/" --size 4KiB -c 64 -d "$D"; }
run_bound() {
  run "bound_$1" put --bucket "$BOUND" --prefix "r$1/" --size 4KiB -c 64 -d "$D"
  local left took
  left=$(lag)
  took=$(wait_caught_up)
  echo "$left $took" >"$RESULTS/bound_$1_lag.txt"
  echo "$HANDLER: $left events not yet handled when the PUTs ended; caught up in $took s"
}
# Both sides first run unmeasured for a few seconds: the first minute of a fresh kumod
# pays one-time costs (memtable arenas of the outcome records faulted in, first flushes)
# that a server in steady state does not.
SECONDS_PER_FIGURE=5 run warmup_unbound put --bucket "$UNBOUND" --prefix warm/ --size 4KiB -c 64 -d 5
SECONDS_PER_FIGURE=5 run warmup_bound put --bucket "$BOUND" --prefix warm/ --size 4KiB -c 64 -d 5
took=$(wait_caught_up)
# Rounds alternate the order (unbound first, then bound first, ...): throughput on this
# machine drifts by +-10% between 10 s runs (a shared VM disk), and a fixed order would
# charge the drift to one side.
alternating_rounds "$ROUNDS" run_unbound run_bound

took=$(wait_caught_up)
metrics >"$RESULTS/metrics_before.txt"
SECONDS_PER_FIGURE=$RATE_SECONDS run rate put --bucket "$BOUND" --prefix rate/ --size 4KiB \
  -c 64 --rate "$RATE" -d "$RATE_SECONDS"
took=$(wait_caught_up)
echo "$HANDLER: caught up $took s after the last PUT"
metrics >"$RESULTS/metrics_after.txt"

# ---- the report -------------------------------------------------------------------------
export RESULTS ROUNDS HANDLER RATE KUMO_BENCH_ROWS="${KUMO_BENCH_ROWS:-}"
$PY - <<'PYEOF'
import json, os, re
R, rounds, handler = os.environ["RESULTS"], int(os.environ["ROUNDS"]), os.environ["HANDLER"]
def j(name):
    return json.load(open(f"{R}/{name}.json"))
def histogram(name):
    """{le: cumulative}, count of kumo_event_dispatch_latency_seconds for the handler."""
    buckets, count = {}, 0
    for line in open(f"{R}/{name}"):
        m = re.match(r'kumo_event_dispatch_latency_seconds_(bucket|count)\{handler="([^"]*)"'
                     r'(?:,le="([^"]*)")?\} (\S+)', line)
        if not m or m.group(2) != handler:
            continue
        if m.group(1) == "bucket":
            buckets[float(m.group(3))] = int(m.group(4))  # float("+Inf") is inf
        else:
            count = int(m.group(4))
    return buckets, count
def quantile(q, bounds, cumulative, count):
    """Prometheus histogram_quantile: linear within the bucket holding rank q * count."""
    rank, lower, below = q * count, 0.0, 0
    for le, c in zip(bounds, cumulative):
        if c >= rank and c > below:
            if le == float("inf"):
                return None  # above the last bound
            return lower + (le - lower) * (rank - below) / (c - below)
        lower, below = le, c
    return None

unbound = sum(j(f"unbound_{r}")["ops"] for r in range(1, rounds + 1))
bound = sum(j(f"bound_{r}")["ops"] for r in range(1, rounds + 1))
secs_u = sum(j(f"unbound_{r}")["seconds"] for r in range(1, rounds + 1))
secs_b = sum(j(f"bound_{r}")["seconds"] for r in range(1, rounds + 1))
ops_u, ops_b = unbound / secs_u, bound / secs_b
errors = sum(j(f"{k}_{r}")["errors"] for k in ("unbound", "bound") for r in range(1, rounds + 1))
lags = [open(f"{R}/bound_{r}_lag.txt").read().split() for r in range(1, rounds + 1)]
lag_note = ", ".join(f"lag {left} at the end, caught up in {took} s" for left, took in lags)
per_round = ", ".join(
    f"{100 * j(f'bound_{r}')['ops_per_s'] / j(f'unbound_{r}')['ops_per_s']:.0f}%"
    for r in range(1, rounds + 1))

before, _ = histogram("metrics_before.txt")
after, count_after = histogram("metrics_after.txt")
_, count_before = histogram("metrics_before.txt")
bounds = sorted(after)
cumulative = [after[b] - before.get(b, 0) for b in bounds]
count = count_after - count_before
if count <= 0:
    raise SystemExit(f"events.sh: no delivery of {handler} was timed during the --rate run")
rate = j("rate")
p50 = quantile(0.50, bounds, cumulative, count)
p99 = quantile(0.99, bounds, cumulative, count)
under20 = cumulative[bounds.index(0.02)] / count if count else float("nan")
ms = lambda v: "> 10 s" if v is None else f"{v * 1000:.1f} ms"
lat = rate["latency_ms"]

print()
print(f"PUT 4 KiB c=64: unbound {ops_u:,.0f} ops/s, bound {ops_b:,.0f} ops/s: "
      f"ratio {100 * ops_b / ops_u:.1f}% ({rounds} round(s): {per_round}; {errors} errors; "
      f"{lag_note})")
print(f"delivery latency at {rate['target_rate']:,.0f} PUT/s (achieved "
      f"{rate['achieved_rate']:,.0f}/s, {rate['errors']} errors): {count} events, "
      f"p50 {ms(p50)}, p99 {ms(p99)} (bucket-interpolated), "
      f"{100 * under20:.2f}% within 20 ms; PUT latency from schedule p50 {lat['p50']:.1f} / "
      f"p99 {lat['p99']:.1f} ms")

rows = [
    ("PUT 4 KiB with an event binding", "≥ 95% of PUT", f"{100 * ops_b / ops_u:.0f}% of PUT",
     f"{ops_b:,.0f} vs {ops_u:,.0f} ops/s unbound, same kumod, no-op function, c=64; "
     f"{rounds} rounds in alternating order: {per_round}; {errors} errors; {lag_note}"),
    (f"event delivery latency at {rate['target_rate']:,.0f} events/s", "p99 ≤ 20 ms",
     f"p99 {ms(p99)}",
     f"p50 {ms(p50)} (bucket-interpolated); {100 * under20:.1f}% within 20 ms; {count:,} events; "
     f"achieved {rate['achieved_rate']:,.0f} PUT/s, PUT p99 {lat['p99']:.1f} ms"),
]
out = os.environ.get("KUMO_BENCH_ROWS")
if out:
    with open(out, "w") as f:
        for row in rows:
            f.write("| " + " | ".join(row) + " |\n")
PYEOF
