#!/usr/bin/env bash
# Quick start: install what is missing, build in Release, start kumod.
# With no arguments kumod uses its embedded defaults: data in ./data, listening on
# 127.0.0.1:9000, root credentials from KUMO_ROOT_ACCESS_KEY / KUMO_ROOT_SECRET_KEY or
# generated and printed once. Arguments are passed to kumod, e.g.
#   scripts/start.sh --data-dir /srv/kumo --listen 0.0.0.0:9000
#   scripts/start.sh --config config/kumo.toml
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec build/kumod "$@"
