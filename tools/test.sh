#!/usr/bin/env bash
# The README's second command: set up, build and run the whole test suite through ctest,
# then the same suite built with AddressSanitizer and UndefinedBehaviorSanitizer.
#   CONCORD_SKIP_SANITIZE=1 tools/test.sh    only the ordinary build (a quick local run)
#   tools/test.sh -R facets                  extra arguments go to both ctest runs
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/setup.sh" --with-tests
(cd "${BUILD_DIR:-$root/build}" && ctest --output-on-failure -j"${JOBS:-2}" "$@")

if [[ ${CONCORD_SKIP_SANITIZE:-0} != 1 ]]; then
  echo "== the suite again under AddressSanitizer and UndefinedBehaviorSanitizer"
  BUILD_DIR=${SANITIZE_BUILD_DIR:-$root/build-asan} \
    CMAKE_ARGS="-DCONCORD_SANITIZE=ON ${CMAKE_ARGS:-}" "$root/tools/setup.sh" --with-tests
  cd "${SANITIZE_BUILD_DIR:-$root/build-asan}"
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    ctest --output-on-failure -j"${JOBS:-2}" --timeout 900 "$@"
fi
