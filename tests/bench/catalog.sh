#!/usr/bin/env bash
# Measures the catalog and metadata figures of issue 12 (README "Performance") with one
# kumod whose config loads the built-in metadata function twice: `metadata` (every
# extractor, its defaults) and `headers` (the same library with sha256 off: header reads
# only), each with concurrency 1 (one delivery lane: one core at most).
#   1. Backlog drain, 4 KiB text objects: N objects uploaded to an unbound bucket, then the
#      bucket is bound to `metadata` and the function's events replayed from the first
#      upload; objects/s = N / the time until its lag is 0.
#   2. The same with N 12-megapixel JPEGs (4000x3000 with EXIF, made with python3-pil) and
#      `headers`.
#   3. PUT 4 KiB c=64 into a bucket bound to `metadata` vs an unbound one, in rounds of
#      alternating order, each bound run followed by a wait until the function caught up;
#      prints bound / unbound.
#   4. Catalog lag: PUT 4 KiB at a fixed 1,000/s (open loop) for 20 s; the p99 of
#      kumo_catalog_lag_seconds (commit of the event to the commit of the catalog
#      transaction that applied it, i.e. searchable) over the run.
#   5. Search over a catalog of M objects (default 1,000,000: four prefixes of text, CSV,
#      JPEG-claimed random and binary objects, 1-16 KiB, all through `metadata`): p50/p99
#      of GET /_kumo/search for indexed filters (prefix, type, size, time, one attribute)
#      and full-text queries, each run 200 times on one keep-alive connection after a
#      warm-up, signed once per request outside the timed part; plus catalog bytes per
#      object.
#
# Environment (all optional; see lib.sh for the build and work directories):
#   KUMO_BENCH_SECONDS        seconds per PUT run of figure 3 (default 20)
#   KUMO_BENCH_ROUNDS         unbound/bound pairs of figure 3 (default 4)
#   KUMO_BENCH_DRAIN_OBJECTS  objects of figure 1 (default 50000)
#   KUMO_BENCH_JPEG_OBJECTS   JPEGs of figure 2 (default 1000)
#   KUMO_BENCH_SEARCH_OBJECTS objects of figure 5 (default 1000000)
#   KUMO_BENCH_ROWS           also write the Markdown table rows to this file
#   KUMO_BENCH_WORK           default <build dir>/bench-catalog
set -euo pipefail

SECONDS_PER_FIGURE=${KUMO_BENCH_SECONDS:-20}
ROUNDS=${KUMO_BENCH_ROUNDS:-4}
DRAIN_OBJECTS=${KUMO_BENCH_DRAIN_OBJECTS:-50000}
JPEG_OBJECTS=${KUMO_BENCH_JPEG_OBJECTS:-1000}
SEARCH_OBJECTS=${KUMO_BENCH_SEARCH_OBJECTS:-1000000}
# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_build kumod kumo kumo-bench metadata
bench_work bench-catalog
CLI=$BUILD/kumo
PLUGIN=$BUILD/functions/metadata/metadata.so
[[ -f "$PLUGIN" ]] || { echo "catalog.sh: $PLUGIN not built" >&2; exit 1; }
CONFIG=$WORK/kumo.toml
cat >"$CONFIG" <<EOF
[functions.metadata]
concurrency = 1

[functions.headers]
plugin = "$PLUGIN"
concurrency = 1
[functions.headers.config]
extractors = ["mime", "image", "exif", "media", "pdf", "text"]
EOF

cleanup() {
  stop_kumod KILL
  [[ -n "${KUMO_BENCH_KEEP:-}" ]] || rm -rf "$DATA"
}
trap cleanup EXIT

export KUMO_ENDPOINT=$ENDPOINT
metrics() { curl -fs --max-time 10 "$ENDPOINT/_kumo/metrics"; }
lag_of() {  # kumo_events_lag of handler $1
  metrics | awk -v h="$1" '$1 == "kumo_events_lag{handler=\"" h "\"}" {print $2}'
}
catalog_lag() { "$CLI" catalog status --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["lag_events"])'; }
watermark() { "$CLI" catalog status --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["watermark"])'; }
# Waits (up to 1800 s) until handler $1 (and the catalog) handled every event; prints
# the seconds it took. Call it as an assignment so that a timeout stops the script.
wait_caught_up() {
  local t0 t1 deadline=$((SECONDS + 1800))
  t0=$(date +%s.%N)
  until [[ "$(lag_of "$1")" == 0 ]]; do
    ((SECONDS < deadline)) || { echo "catalog.sh: $1 still lags after 1800 s" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s.%N)
  until [[ "$(catalog_lag)" == 0 ]]; do
    ((SECONDS < deadline)) || { echo "catalog.sh: the catalog still lags" >&2; exit 1; }
    sleep 0.05
  done
  $PY -c "print(f'{$t1 - $t0:.3f}')"
}
s3py() {  # runs python with a boto3 client `s3` for the kumod
  $PY - "$@" <<PYEOF
import boto3, json, sys
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url="$ENDPOINT", aws_access_key_id="$KUMO_ROOT_ACCESS_KEY",
                  aws_secret_access_key="$KUMO_ROOT_SECRET_KEY", region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}))
$(cat)
PYEOF
}
bind() {  # bind bucket $1 to function $2 (ObjectCreated:*)
  echo "s3.put_bucket_notification_configuration(Bucket='$1', NotificationConfiguration={'LambdaFunctionConfigurations': [{'LambdaFunctionArn': 'arn:kumo:lambda:::function:$2', 'Events': ['s3:ObjectCreated:*']}]})" | s3py
}
delivered_of() {  # kumo_events_delivered_total of handler $1
  metrics | awk -v h="$1" '$1 == "kumo_events_delivered_total{handler=\"" h "\"}" {print $2}'
}
# Figure 1 and 2: uploads N objects (kumo-bench args "$@") into unbound bucket $1, binds it
# to function $2, replays the function from the first upload and times the drain: from
# the replay until the function has delivered N more events (the N uploads; nothing else
# is written meanwhile).
drain() {
  local bucket=$1 fn=$2 name=$3 n=$4
  shift 4
  local from took before t0 t1 deadline
  from=$(($(watermark) + 1))
  run "upload_$name" put --bucket "$bucket" -c 32 -n "$n" "$@"
  took=$(wait_caught_up "function:$fn")  # the catalog's own work on the uploads
  bind "$bucket" "$fn"
  before=$(delivered_of "function:$fn")
  t0=$(date +%s.%N)
  "$CLI" handlers replay "function:$fn" --from "$from" >/dev/null
  deadline=$((SECONDS + 1800))
  until (($(delivered_of "function:$fn") >= before + n)); do
    ((SECONDS < deadline)) || { echo "catalog.sh: function:$fn did not drain" >&2; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s.%N)
  took=$($PY -c "print(f'{$t1 - $t0:.3f}')")
  echo "$n $took" >"$RESULTS/drain_$name.txt"
  echo "$name: $n objects drained by function:$fn in $took s"
  took=$(wait_caught_up "function:$fn")
}

# ---- the figures ------------------------------------------------------------------------
start_kumod --config "$CONFIG"
echo "kumod pid $KPID on $ENDPOINT, data in $DATA on $DISK"

# 1. 4 KiB text objects.
drain drain-text metadata text "$DRAIN_OBJECTS" --size 4KiB --text-body --content-type text/plain

# 2. 12-megapixel JPEGs with EXIF.
JPEG=$WORK/photo-12mp.jpg
$PY - "$JPEG" <<'PYEOF'
import random, sys
from PIL import Image
random.seed(7)
# Noise blocks over a gradient, so the file has a camera-like size (a few MB).
img = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
noise = Image.effect_noise((4000, 3000), 40).convert("RGB")
img = Image.blend(img, noise, 0.5)
exif = Image.Exif()
exif[0x010F], exif[0x0110] = "FUJIFILM", "X-T5"
exif[0x8769] = {0x9003: "2024:05:01 10:20:30"}  # sub-IFDs as dicts (Pillow 9.4)
exif[0x8825] = {1: "N", 2: (35.0, 40.0, 48.0), 3: "E", 4: (139.0, 45.0, 36.0)}
img.save(sys.argv[1], "JPEG", quality=90, exif=exif.tobytes())
PYEOF
echo "JPEG: $(stat -c %s "$JPEG") bytes, 4000x3000"
drain drain-jpeg headers jpeg "$JPEG_OBJECTS" --body-file "$JPEG" --content-type image/jpeg

# 3. PUT with metadata bound vs unbound.
s3py <<<"s3.create_bucket(Bucket='put-bound')"
bind put-bound metadata
D=$SECONDS_PER_FIGURE
run_unbound() { run "unbound_$1" put --bucket put-unbound --prefix "r$1/" --size 4KiB -c 64 -d "$D"; }
run_bound() {
  run "bound_$1" put --bucket put-bound --prefix "r$1/" --size 4KiB -c 64 -d "$D"
  local left took
  left=$(lag_of function:metadata)
  took=$(wait_caught_up function:metadata)
  echo "$left $took" >"$RESULTS/bound_$1_lag.txt"
  echo "function:metadata: $left events not yet handled when the PUTs ended; caught up in $took s"
}
SECONDS_PER_FIGURE=5 run warmup_unbound put --bucket put-unbound --prefix warm/ --size 4KiB -c 64 -d 5
SECONDS_PER_FIGURE=5 run warmup_bound put --bucket put-bound --prefix warm/ --size 4KiB -c 64 -d 5
took=$(wait_caught_up function:metadata)
alternating_rounds "$ROUNDS" run_unbound run_bound

# 4. Catalog lag at 1,000 PUT/s.
took=$(wait_caught_up function:metadata)
metrics >"$RESULTS/metrics_before.txt"
SECONDS_PER_FIGURE=20 run rate put --bucket put-unbound --prefix rate/ --size 4KiB -c 64 \
  --rate 1000 -d 20
took=$(wait_caught_up function:metadata)
metrics >"$RESULTS/metrics_after.txt"

# 5. Search over SEARCH_OBJECTS objects.
Q=$((SEARCH_OBJECTS / 4))
s3py <<<"s3.create_bucket(Bucket='search')"
bind search metadata
SECONDS_PER_FIGURE=0 POPULATE_SECONDS=900 run fill_docs put --bucket search --prefix docs/ -c 64 -n "$Q" \
  --size 1KiB-8KiB --text-body --content-type text/plain
SECONDS_PER_FIGURE=0 POPULATE_SECONDS=900 run fill_logs put --bucket search --prefix logs/ -c 64 -n "$Q" \
  --size 1KiB-4KiB --text-body --content-type text/csv
SECONDS_PER_FIGURE=0 POPULATE_SECONDS=900 run fill_img put --bucket search --prefix img/ -c 64 -n "$Q" \
  --size 4KiB-16KiB --content-type image/jpeg
SECONDS_PER_FIGURE=0 POPULATE_SECONDS=900 run fill_bin put --bucket search --prefix bin/ -c 64 -n "$((SEARCH_OBJECTS - 3 * Q))" \
  --size 1KiB-16KiB --content-type application/octet-stream
took=$(wait_caught_up function:metadata)
echo "search: $SEARCH_OBJECTS objects cataloged ($took s after the last upload)"
"$CLI" catalog status --json >"$RESULTS/catalog_status.json"
du -sb "$DATA/catalog" | cut -f1 >"$RESULTS/catalog_bytes.txt"

MID=$(date -u -d "@$(( $(date +%s) - 60 ))" +%Y-%m-%dT%H:%M:%SZ)
# One object's SHA-256, for a filter that matches one object.
SHA=$("$CLI" sql --json "SELECT str FROM attributes WHERE bucket = 'search' AND key = 'docs/0000000042' AND name = 'sha256'" |
  $PY -c 'import json, sys; print(json.load(sys.stdin)["rows"][0][0])')
export ENDPOINT RESULTS MID SHA
$PY - <<'PYEOF'
import json, os, time, urllib.parse
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
endpoint, R = os.environ["ENDPOINT"], os.environ["RESULTS"]
creds = Credentials(os.environ["KUMO_ROOT_ACCESS_KEY"], os.environ["KUMO_ROOT_SECRET_KEY"])
session = requests.Session()
def search(params):
    # %20, not +, for spaces: the encoding SigV4's canonical query string uses.
    url = endpoint + "/_kumo/search?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
    req = AWSRequest(method="GET", url=url)
    S3SigV4Auth(creds, "s3", "us-east-1").add_auth(req)  # with x-amz-content-sha256
    prepared = requests.Request("GET", url, headers=dict(req.headers.items())).prepare()
    t0 = time.perf_counter()
    r = session.send(prepared)
    t = time.perf_counter() - t0
    assert r.status_code == 200, (params, r.status_code, r.text)
    return t, r.json()
queries = {
    "prefix": [("bucket", "search"), ("prefix", "docs/000012")],
    "type": [("bucket", "search"), ("type", "image/*")],
    "size": [("bucket", "search"), ("where", "size>16000")],
    "time": [("bucket", "search"), ("modified_after", os.environ["MID"])],
    "attribute": [("bucket", "search"), ("where", "mime_mismatch=true")],
    "attribute_rare": [("bucket", "search"), ("where", "sha256=" + os.environ.get("SHA", "0"))],
    "text_rare": [("bucket", "search"), ("text", "xylem wharf")],
    "text_common": [("bucket", "search"), ("text", "harbor")],
}
out = {}
for name, params in queries.items():
    for _ in range(20):
        search(params)
    times = sorted(search(params)[0] for _ in range(200))
    _, body = search(params)
    out[name] = {"p50_ms": 1000 * times[len(times) // 2], "p99_ms": 1000 * times[int(len(times) * 0.99) - 1],
                 "results": len(body["results"]), "more": body["next"] is not None}
    print(f"search {name}: p50 {out[name]['p50_ms']:.1f} ms, p99 {out[name]['p99_ms']:.1f} ms, "
          f"{out[name]['results']} results{' (more)' if out[name]['more'] else ''}")
json.dump(out, open(f"{R}/search.json", "w"))
PYEOF

# ---- the report -------------------------------------------------------------------------
export RESULTS ROUNDS KUMO_BENCH_ROWS="${KUMO_BENCH_ROWS:-}"
$PY - <<'PYEOF'
import json, os, re
R, rounds = os.environ["RESULTS"], int(os.environ["ROUNDS"])
def j(name):
    return json.load(open(f"{R}/{name}.json"))
def histogram(name, metric):
    buckets, count = {}, 0
    for line in open(f"{R}/{name}"):
        m = re.match(metric + r'_(bucket|count)(?:\{le="([^"]*)"\})? (\S+)', line)
        if not m:
            continue
        if m.group(1) == "bucket":
            buckets[float(m.group(2))] = int(float(m.group(3)))
        else:
            count = int(float(m.group(3)))
    return buckets, count
def quantile(q, bounds, cumulative, count):
    rank, lower, below = q * count, 0.0, 0
    for le, c in zip(bounds, cumulative):
        if c >= rank and c > below:
            if le == float("inf"):
                return None
            return lower + (le - lower) * (rank - below) / (c - below)
        lower, below = le, c
    return None

rows = []
for name, label, target in (("text", "metadata backlog drain, 4 KiB text objects", "≥ 5,000 objects/s"),
                            ("jpeg", "metadata backlog drain, 12-megapixel JPEGs (sha256 off)", "≥ 300 objects/s")):
    n, took = open(f"{R}/drain_{name}.txt").read().split()
    rate = int(n) / float(took)
    print(f"{label}: {rate:,.0f} objects/s ({n} in {took} s)")
    rows.append((label, target, f"{rate:,.0f} objects/s", f"{n} objects in {took} s, concurrency 1"))

ops_u = sum(j(f"unbound_{r}")["ops"] for r in range(1, rounds + 1)) / sum(j(f"unbound_{r}")["seconds"] for r in range(1, rounds + 1))
ops_b = sum(j(f"bound_{r}")["ops"] for r in range(1, rounds + 1)) / sum(j(f"bound_{r}")["seconds"] for r in range(1, rounds + 1))
per_round = ", ".join(f"{100 * j(f'bound_{r}')['ops_per_s'] / j(f'unbound_{r}')['ops_per_s']:.0f}%" for r in range(1, rounds + 1))
print(f"PUT 4 KiB c=64 with metadata bound: {ops_b:,.0f} vs {ops_u:,.0f} ops/s unbound: {100 * ops_b / ops_u:.1f}% ({per_round})")
rows.append(("PUT 4 KiB c=64 with `metadata` bound", "≥ 75% of unbound", f"{100 * ops_b / ops_u:.0f}%",
             f"{ops_b:,.0f} vs {ops_u:,.0f} ops/s, {rounds} rounds alternating: {per_round}"))

metric = "kumo_catalog_apply_latency_seconds"
before, count_before = histogram("metrics_before.txt", metric)
after, count_after = histogram("metrics_after.txt", metric)
bounds = sorted(after)
cumulative = [after[b] - before.get(b, 0) for b in bounds]
count = count_after - count_before
p50, p99 = (quantile(q, bounds, cumulative, count) for q in (0.5, 0.99))
ms = lambda v: "> last bucket" if v is None else f"{v * 1000:.0f} ms"
rate = j("rate")
print(f"catalog lag at {rate['target_rate']:,.0f} PUT/s (achieved {rate['achieved_rate']:,.0f}): p50 {ms(p50)}, p99 {ms(p99)} over {count} events")
rows.append((f"catalog lag (commit → searchable) at {rate['target_rate']:,.0f} PUT/s", "p99 ≤ 1 s",
             f"p99 {ms(p99)}", f"p50 {ms(p50)}, {count:,} events, achieved {rate['achieved_rate']:,.0f} PUT/s"))

search = j("search")
status = j("catalog_status")
size = int(open(f"{R}/catalog_bytes.txt").read())
objects = status["objects"]
for name, label, target in (("prefix", "prefix", "p99 ≤ 20 ms"), ("type", "type image/*", "p99 ≤ 20 ms"),
                            ("size", "size > 16000", "p99 ≤ 20 ms"), ("time", "modified after", "p99 ≤ 20 ms"),
                            ("attribute", "one attribute matching 1 in 4 (mime_mismatch=true)", "p99 ≤ 20 ms"),
                            ("attribute_rare", "one attribute matching one object (sha256=...)", "p99 ≤ 20 ms"),
                            ("text_rare", "full text, rare words", "p99 ≤ 100 ms"),
                            ("text_common", "full text, a common word", "p99 ≤ 100 ms")):
    s = search[name]
    rows.append((f"search over {objects:,} objects: {label}", target, f"p99 {s['p99_ms']:.1f} ms",
                 f"p50 {s['p50_ms']:.1f} ms; {s['results']} results per page{' (more pages)' if s['more'] else ''}"))
print(f"catalog: {objects:,} objects, {size / 2**20:,.0f} MiB on disk, {size / max(objects, 1):,.0f} bytes per object")
rows.append(("catalog disk size", "stated", f"{size / max(objects, 1):,.0f} bytes/object",
             f"{size / 2**20:,.0f} MiB for {objects:,} objects (catalog.db + WAL, with metadata attributes and text)"))
out = os.environ.get("KUMO_BENCH_ROWS")
if out:
    with open(out, "w") as f:
        for r in rows:
            f.write("| " + " | ".join(r) + " |\n")
PYEOF
