#!/usr/bin/env bash
# Measures the cost of authorization (issue 11, README "Performance"): GET 4 KiB, c=64,
# by a non-root user (root skips the decision), on three setups side by side:
#   base    kumod built from BASE_REV (default b0328d4, main before access control), the
#           user's own bucket
#   owner   this tree's kumod, the user's own bucket: the full authorize stage (user and
#           bucket snapshots, the owner rule), no policy
#   policy  this tree's kumod, a bucket root owns, whose 20-statement bucket policy (every
#           statement with conditions; the one that allows the user is the last) grants
#           the reads
# Both kumods run at once (separate data directories and ports, idle while the other is
# measured); the three runs go in rounds of rotating order, and each ratio is of the
# operations summed over the rounds.
#
# Environment (all optional; see lib.sh for the build and work directories):
#   KUMO_BENCH_SECONDS       seconds per run (default 10)
#   KUMO_BENCH_AUTHZ_ROUNDS  rounds (default 4)
#   KUMO_BENCH_BASE_REV      the baseline revision (default b0328d4)
#   KUMO_BENCH_ROWS          also write the Markdown table rows to this file
#   KUMO_BENCH_WORK          default <build dir>/bench-authz
set -euo pipefail

SECONDS_PER_FIGURE=${KUMO_BENCH_SECONDS:-10}
ROUNDS=${KUMO_BENCH_AUTHZ_ROUNDS:-4}
BASE_REV=${KUMO_BENCH_BASE_REV:-b0328d4}
KEYS=2000
# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_build kumod kumo kumo-bench
bench_work bench-authz
CLI=$BUILD/kumo

# ---- the baseline build: a detached worktree of BASE_REV, built once and kept ----------
BASE_SRC=$BUILD/authz-base-src
BASE_BUILD=$BUILD/authz-base-build
if [[ ! -x "$BASE_BUILD/kumod" || "$(cat "$BASE_BUILD/.rev" 2>/dev/null)" != "$BASE_REV" ]]; then
  git -C "$REPO" worktree remove --force "$BASE_SRC" 2>/dev/null || rm -rf "$BASE_SRC"
  git -C "$REPO" worktree add --detach "$BASE_SRC" "$BASE_REV"
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S "$BASE_SRC" -B "$BASE_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}"
  cmake --build "$BASE_BUILD" --target kumod
  echo "$BASE_REV" >"$BASE_BUILD/.rev"
fi

# ---- two kumods ----------------------------------------------------------------------------
# lib.sh runs one kumod (KUMOD, DATA, PORT); the baseline gets its own port and data.
BASE_PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE_ENDPOINT=http://127.0.0.1:$BASE_PORT
BASE_DATA=$WORK/base-data
BASE_PID=
cleanup() {
  stop_kumod KILL
  [[ -n "$BASE_PID" ]] && kill -KILL "$BASE_PID" 2>/dev/null
  [[ -n "${KUMO_BENCH_KEEP:-}" ]] || rm -rf "$DATA" "$BASE_DATA"
}
trap cleanup EXIT
start_kumod
"$BASE_BUILD/kumod" --data-dir "$BASE_DATA" --listen "127.0.0.1:$BASE_PORT" >>"$WORK/base.log" 2>&1 &
BASE_PID=$!
for _ in $(seq 1 2000); do
  curl -fs -o /dev/null --max-time 1 "$BASE_ENDPOINT/_kumo/health" && break
  sleep 0.05
done

# A user on each kumod (same name; its own secret) and its objects.
add_user() {  # add_user ENDPOINT -> prints the secret
  KUMO_ENDPOINT=$1 "$CLI" user add benchuser | awk '/^secret_key:/ {print $2}'
}
BASE_SECRET=$(add_user "$BASE_ENDPOINT")
NEW_SECRET=$(add_user "$ENDPOINT")
prepare() {  # prepare ENDPOINT BUCKET ACCESS SECRET
  "$BENCH" put --endpoint "$1" --bucket "$2" --access-key "$3" --secret-key "$4" \
    --size 4KiB --keys "$KEYS" -n "$KEYS" -c 16 -q
}
prepare "$BASE_ENDPOINT" authz-own benchuser "$BASE_SECRET"
prepare "$ENDPOINT" authz-own benchuser "$NEW_SECRET"
prepare "$ENDPOINT" authz-policy "$KUMO_ROOT_ACCESS_KEY" "$KUMO_ROOT_SECRET_KEY"

# 19 statements that do not apply to these requests (other principals, other prefixes,
# conditions that do not hold), then the Allow that does, with three conditions.
$PY - "$ENDPOINT" <<'EOF'
import json, os, sys
import boto3
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id=os.environ["KUMO_ROOT_ACCESS_KEY"],
                  aws_secret_access_key=os.environ["KUMO_ROOT_SECRET_KEY"],
                  config=Config(s3={"addressing_style": "path"}))
arn = "arn:aws:s3:::authz-policy"
statements = []
for i in range(19):
    statements.append({
        "Sid": f"Other{i}", "Effect": "Deny" if i % 2 else "Allow",
        "Principal": {"AWS": f"arn:aws:iam::000000000000:user/someone{i}"},
        "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{arn}/other{i}/*",
        "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                      "StringLike": {"aws:UserAgent": f"agent{i}*"}}})
statements.append({
    "Sid": "BenchUserReads", "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::000000000000:user/benchuser"},
    "Action": "s3:GetObject", "Resource": f"{arn}/*",
    "Condition": {"IpAddress": {"aws:SourceIp": ["127.0.0.0/8", "::1/128"]},
                  "Bool": {"aws:SecureTransport": "false"},
                  "NumericGreaterThan": {"aws:EpochTime": "1000000000"}}})
s3.put_bucket_policy(Bucket="authz-policy",
                     Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))
EOF

measure() {  # measure NAME ENDPOINT BUCKET SECRET
  # lib.sh's run() sends to $ENDPOINT: point it at this run's kumod.
  local saved=$ENDPOINT
  ENDPOINT=$2
  run "$1" get --bucket "$3" --access-key benchuser --secret-key "$4" \
    --keys "$KEYS" --size 4KiB -c 64 -d "$SECONDS_PER_FIGURE" --verify -q
  ENDPOINT=$saved
  local errors
  errors=$(field "$1" 'j["errors"]')
  [[ "$errors" == 0 ]] || { echo "authz.sh: $1 had $errors errors" >&2; exit 1; }
}
declare -A TOTAL=([base]=0 [owner]=0 [policy]=0)
SETUPS=(base owner policy)
for ((r = 0; r < ROUNDS; r++)); do
  for ((i = 0; i < 3; i++)); do
    setup=${SETUPS[$(((i + r) % 3))]}
    case $setup in
      base) measure "r$r-$setup" "$BASE_ENDPOINT" authz-own "$BASE_SECRET" ;;
      owner) measure "r$r-$setup" "$ENDPOINT" authz-own "$NEW_SECRET" ;;
      policy) measure "r$r-$setup" "$ENDPOINT" authz-policy "$NEW_SECRET" ;;
    esac
    ops=$(field "r$r-$setup" 'j["ops"]')
    TOTAL[$setup]=$((TOTAL[$setup] + ops))
    echo "round $r $setup: $ops operations"
  done
done

ratio() { $PY -c "print(f'{100 * ${TOTAL[$1]} / ${TOTAL[base]}:.1f}')"; }
rate() { $PY -c "print(f'{${TOTAL[$1]} / ($ROUNDS * $SECONDS_PER_FIGURE):,.0f}')"; }
ROWS="| GET 4 KiB c=64 by a user, authorize stage, no policy | ≥ 97% of main before issue 11 | $(ratio owner)% | $(rate owner) vs $(rate base) ops/s (base $BASE_REV), $ROUNDS rounds of ${SECONDS_PER_FIGURE} s, rotating order |
| GET 4 KiB c=64 by a user, 20-statement bucket policy with conditions | ≥ 90% of main before issue 11 | $(ratio policy)% | $(rate policy) vs $(rate base) ops/s, same run |"
echo
echo "$ROWS"
[[ -n "${KUMO_BENCH_ROWS:-}" ]] && echo "$ROWS" >"$KUMO_BENCH_ROWS"
exit 0
