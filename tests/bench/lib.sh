# shellcheck shell=bash disable=SC2034  # DISK, STARTUP, ...: read by the sourcing scripts
# Shared by the benchmark scripts of tests/bench/ (sourced, not run): the build, a work
# directory on a disk, and the lifecycle of one kumod on a free 127.0.0.1 port, plus
# helpers to run kumo-bench and read its JSON results. Talks to 127.0.0.1 only.
#
# Environment (all optional):
#   KUMO_BENCH_BUILD_DIR  build directory (default: build/ when it is a configured
#                         Release tree, else build-bench/, configured here)
#   KUMO_BENCH_WORK       where the data directory and results go (default: the script's
#                         own directory under the build directory)
#   KUMO_BENCH_KEEP=1     keep the data directory afterwards
#   KUMO_BENCH_NO_BUILD=1 use the binaries already in the build directory
#
# A script sets SECONDS_PER_FIGURE (and may set POPULATE_SECONDS), then calls
# bench_build TARGETS..., bench_work DEFAULT_NAME, and start_kumod [KUMOD ARGS...].

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PY=/usr/bin/python3

# Sets BUILD, KUMOD and BENCH; builds the targets unless KUMO_BENCH_NO_BUILD is set.
bench_build() {
  if [[ -n "${KUMO_BENCH_BUILD_DIR:-}" ]]; then
    BUILD=$KUMO_BENCH_BUILD_DIR
  elif grep -qs '^CMAKE_BUILD_TYPE:STRING=Release$' "$REPO/build/CMakeCache.txt"; then
    BUILD=$REPO/build
  else
    BUILD=$REPO/build-bench
  fi
  if [[ -z "${KUMO_BENCH_NO_BUILD:-}" ]]; then
    if [[ ! -f "$BUILD/CMakeCache.txt" ]]; then
      cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release
    fi
    cmake --build "$BUILD" --target "$@"
  fi
  KUMOD=$BUILD/kumod
  BENCH=$BUILD/kumo-bench
}

# Sets WORK (emptied), DATA, RESULTS, LOG and DISK; refuses a tmpfs. $1: the default
# directory name under the build directory.
bench_work() {
  WORK=${KUMO_BENCH_WORK:-$BUILD/$1}
  rm -rf "$WORK"
  mkdir -p "$WORK/results"
  DATA=$WORK/data
  RESULTS=$WORK/results
  LOG=$WORK/kumod.log
  local fstype
  fstype=$(findmnt -n -o FSTYPE -T "$WORK" 2>/dev/null || stat -f -c %T "$WORK")
  if [[ "$fstype" == tmpfs || "$fstype" == ramfs ]]; then
    echo "$(basename "$0"): $WORK is on $fstype; set KUMO_BENCH_WORK to a directory on a disk" >&2
    exit 1
  fi
  DISK="$(df --output=source "$WORK" | tail -1) ($fstype)"
}

export KUMO_ROOT_ACCESS_KEY=kumobenchaccess01
export KUMO_ROOT_SECRET_KEY=kumo-bench-secret-0123456789abcdefghij
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ENDPOINT=http://127.0.0.1:$PORT
KPID=

# ---- kumod lifecycle --------------------------------------------------------------------
healthy() { curl -fs -o /dev/null --max-time 1 "$ENDPOINT/_kumo/health"; }

# Starts kumod with extra arguments "$@" (e.g. --config FILE); sets KPID, and STARTUP to
# the seconds until /_kumo/health answered 200.
STARTUP=
# shellcheck disable=SC2120  # the arguments are optional
start_kumod() {
  local t0 t1
  t0=$(date +%s.%N)
  "$KUMOD" --data-dir "$DATA" --listen "127.0.0.1:$PORT" "$@" >>"$LOG" 2>&1 &
  KPID=$!
  for _ in $(seq 1 12000); do  # up to 120 s
    if healthy; then
      t1=$(date +%s.%N)
      STARTUP=$($PY -c "print(f'{$t1 - $t0:.3f}')")
      return 0
    fi
    kill -0 "$KPID" 2>/dev/null || { echo "kumod exited; see $LOG" >&2; return 1; }
    sleep 0.01
  done
  echo "kumod not healthy after 120 s; see $LOG" >&2
  return 1
}

stop_kumod() {  # $1: TERM or KILL
  [[ -n "$KPID" ]] || return 0
  kill "-$1" "$KPID" 2>/dev/null || true
  wait "$KPID" 2>/dev/null || true
  KPID=
}

# run NAME ARGS...: one kumo-bench run, bounded in time; its JSON line goes to NAME.json.
run() {
  local name=$1
  shift
  echo "== $name: kumo-bench $*"
  timeout $((SECONDS_PER_FIGURE + ${POPULATE_SECONDS:-0} + 120)) \
    "$BENCH" "$@" --endpoint "$ENDPOINT" --json | tee "$RESULTS/$name.out"
  grep '^{' "$RESULTS/$name.out" | grep '"phase":"run"' | tail -1 >"$RESULTS/$name.json"
}
# alternating_rounds N A B: N rounds of "A r" and "B r", A first in odd rounds and B first
# in even ones: throughput here drifts between runs (a shared VM disk), and a fixed order
# would charge the drift to one side.
alternating_rounds() {
  local r
  for r in $(seq 1 "$1"); do
    if ((r % 2)); then
      "$2" "$r"
      "$3" "$r"
    else
      "$3" "$r"
      "$2" "$r"
    fi
  done
}
field() {  # field NAME EXPR: a value of NAME.json, e.g. field put4k 'j["ops"]'
  $PY -c "import json,sys; j=json.load(open('$RESULTS/$1.json')); print($2)"
}
