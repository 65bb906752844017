#!/usr/bin/env bash
# Runs one libFuzzer target for ctest (tests/fuzz/CMakeLists.txt).
#
#   run_fuzzer.sh replay FUZZER CORPUS REGRESSIONS
#       runs every file of CORPUS and REGRESSIONS (if present) once; fails on any crash.
#   run_fuzzer.sh fuzz FUZZER CORPUS REGRESSIONS ARTIFACTS SECONDS
#       fuzzes for SECONDS from a temporary copy of CORPUS and REGRESSIONS (the committed
#       directories are never written); crash inputs go to ARTIFACTS/.
set -euo pipefail

mode=$1 fuzzer=$2 corpus=$3 regressions=$4
inputs=("$corpus")
[[ -d "$regressions" ]] && inputs+=("$regressions")

case "$mode" in
  replay)
    mapfile -t files < <(find "${inputs[@]}" -type f | sort)
    if (( ${#files[@]} == 0 )); then
      echo "run_fuzzer.sh: no inputs under ${inputs[*]}" >&2
      exit 1
    fi
    exec "$fuzzer" -rss_limit_mb=2048 -timeout=10 "${files[@]}"
    ;;
  fuzz)
    artifacts=$5 seconds=$6
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    for dir in "${inputs[@]}"; do cp -R "$dir"/. "$work"/; done
    mkdir -p "$artifacts"
    # -print_final_stats: the ctest log shows how many inputs ran.
    "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix="$artifacts"/ -print_final_stats=1 "$work"
    ;;
  *)
    echo "run_fuzzer.sh: unknown mode $mode" >&2
    exit 2
    ;;
esac
