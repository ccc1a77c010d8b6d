#!/usr/bin/env bash
# Installs the Debian packages Concord needs (only those missing), configures and builds.
# Idempotent; works as root or through sudo on a fresh Debian 12 machine.
#   tools/setup.sh                 build into ./build
#   tools/setup.sh --with-tests    also what the test suite needs (Chromium, Node.js, SQLite)
#   BUILD_DIR=... BUILD_TYPE=... CMAKE_ARGS=... tools/setup.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
with_tests=0
[[ "${1:-}" == "--with-tests" ]] && with_tests=1

packages=(
  build-essential cmake pkg-config ccache git
  libxapian-dev xapian-tools
  libicu-dev
  libspdlog-dev libfmt-dev
  catch2
  libcli11-dev
  nlohmann-json3-dev
  libmicrohttpd-dev
  libxml2-dev libzip-dev libpoppler-cpp-dev
  libsqlite3-dev
  libjemalloc-dev
)
if ((with_tests)); then
  packages+=(chromium qpdf)
  # Node.js may come from elsewhere (the machine image); only install Debian's when absent.
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build_dir" -j"${JOBS:-2}"
