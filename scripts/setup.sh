#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages), then configures and builds Kumo in Release.
#
#   scripts/setup.sh             build dependencies, then configure and build
#   scripts/setup.sh --test      also the integration-test clients (aws, boto3, pytest,
#                                s3cmd, node + `npm ci` in tests/integration/js), and
#                                clang 14 + the libFuzzer targets in build-fuzz/
#                                (tests/fuzz, `ctest --test-dir build-fuzz -L fuzz`)
#   scripts/setup.sh --deps-only install the packages, do not build (docker/Dockerfile)
#
# Works as root or through sudo. `apt-get update` runs only when something is missing.
# docker/Dockerfile installs the same build packages and uses the same CMake flags:
# keep the two in sync.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

with_test=0
deps_only=0
for arg in "$@"; do
  case "$arg" in
    --test) with_test=1 ;;
    --deps-only) deps_only=1 ;;
    -h|--help)
      sed -n '2,13p' "$0"
      exit 0
      ;;
    *)
      echo "setup.sh: unknown argument: $arg" >&2
      exit 2
      ;;
  esac
done

build_packages=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-dev libboost-url1.81-dev
  librocksdb-dev libssl-dev zlib1g-dev
  nlohmann-json3-dev libspdlog-dev
  libgtest-dev libgmock-dev
  libpugixml-dev libtomlplusplus-dev libcli11-dev
  libsqlite3-dev
  libmagic-dev libvips-dev libexif-dev libavformat-dev libavcodec-dev libavutil-dev
  libpoppler-cpp-dev
)
test_packages=(awscli python3-boto3 python3-cryptography python3-pytest python3-requests s3cmd
               clang-14 libclang-rt-14-dev python3-pil ffmpeg)

if [[ -t 2 ]]; then
  log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
else
  log() { printf '==> %s\n' "$*" >&2; }
fi

is_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == installed ]]
}

wanted=("${build_packages[@]}")
if (( with_test )); then
  wanted+=("${test_packages[@]}")
  # Node.js may come from Debian (nodejs + npm) or from elsewhere (e.g. NodeSource, whose
  # nodejs package bundles npm and conflicts with Debian's npm): ask only for what is
  # missing on PATH.
  command -v node >/dev/null 2>&1 || wanted+=(nodejs)
  command -v npm >/dev/null 2>&1 || wanted+=(npm)
fi

missing=()
for pkg in "${wanted[@]}"; do
  if [[ "$pkg" == nodejs || "$pkg" == npm ]] || ! is_installed "$pkg"; then
    missing+=("$pkg")
  fi
done

if (( ${#missing[@]} )); then
  if [[ "$(id -u)" -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "setup.sh: missing packages (${missing[*]}) and neither root nor sudo available" >&2
    exit 1
  fi
  log "installing: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

if (( deps_only )); then
  exit 0
fi

if (( with_test )); then
  js_dir=tests/integration/js
  stamp="$js_dir/node_modules/.kumo-lock.sha256"
  lock_sum="$(sha256sum "$js_dir/package-lock.json" | cut -d' ' -f1)"
  if [[ ! -d "$js_dir/node_modules" || ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
    log "npm ci in $js_dir"
    (cd "$js_dir" && npm ci --no-audit --no-fund)
    echo "$lock_sum" >"$stamp"
  fi
fi

log "configuring (Release)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DKUMO_WERROR=ON
log "building"
cmake --build build -j"$(nproc)"

if (( with_test )); then
  # The libFuzzer targets (tests/fuzz): clang, ASan + UBSan, their own build directory;
  # only the fuzzers and the parsers they link are built.
  launcher=()
  if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  log "configuring build-fuzz (clang-14, KUMO_FUZZ=ON)"
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DKUMO_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}"
  log "building the fuzzers"
  cmake --build build-fuzz -j"$(nproc)" --target fuzzers
fi
