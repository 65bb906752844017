#!/usr/bin/env bash
# Install what is missing (build and test dependencies), build in Release, run every test
# (GoogleTest units and the integration tests against a spawned kumod) with ctest, then
# the fuzzers of tests/fuzz (build-fuzz/, `ctest -L fuzz`: each replays its corpus and
# regressions, then fuzzes for 20 s), and exit non-zero if either run fails. Extra
# arguments go to the main ctest only, e.g. `scripts/test.sh -L integration` or
# `scripts/test.sh -R boto3`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --test
# Tests use free ports and their own temporary directories, so they run in parallel.
# Each test has its own TIMEOUT property; --timeout is the fallback for any without one.
status=0
ctest --test-dir build --output-on-failure -j2 --timeout 600 "$@" || status=1
ctest --test-dir build-fuzz -L fuzz --output-on-failure -j2 || status=1
exit "$status"
