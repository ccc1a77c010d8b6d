#!/usr/bin/env bash
# The README's second command: set up, build and run the whole test suite through ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/setup.sh" --with-tests
cd "${BUILD_DIR:-$root/build}"
ctest --output-on-failure -j"${JOBS:-2}" "$@"
