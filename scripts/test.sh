#!/usr/bin/env bash
# Install what is missing (build and test dependencies), build in Release, run every test
# (GoogleTest units and the integration tests against a spawned kumod) with ctest, and
# exit with ctest's status. Extra arguments go to ctest, e.g. `scripts/test.sh -L
# integration` or `scripts/test.sh -R boto3`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --test
# Tests use free ports and their own temporary directories, so they run in parallel.
# Each test has its own TIMEOUT property; --timeout is the fallback for any without one.
exec ctest --test-dir build --output-on-failure -j2 --timeout 600 "$@"
