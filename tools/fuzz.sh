#!/usr/bin/env bash
# Runs Concord's libFuzzer targets (tests/fuzz) for a given time each, with AddressSanitizer
# and UndefinedBehaviorSanitizer, starting from the seed corpora in tests/fuzz/corpus.
#
#   tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default: 60 s, every target
#
# Builds with Debian's clang into build-fuzz/ (installing clang and its libFuzzer runtime
# when missing). New interesting inputs go to build-fuzz/corpus/<target>/; a crash leaves
# build-fuzz/artifacts/<target>/crash-* and makes the script fail. Turn each crash into a
# fixed bug and copy its input into tests/fuzz/corpus/<target>/ as a regression seed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(fuzz_ingest fuzz_metadata fuzz_query fuzz_api)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}

missing=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
"$root/tools/setup.sh" >/dev/null  # the other build dependencies
CXX=clang++ cmake -S "$root" -B "$build" -DCONCORD_FUZZ=ON -DCONCORD_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target "${targets[@]}" >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
for t in "${targets[@]}"; do
  corpus=$build/corpus/$t
  artifacts=$build/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  log=$build/$t.log
  touch "$build/.started-$t"  # crashes of earlier runs stay in $artifacts but are not counted
  status=0
  "$build/fuzz/$t" "$corpus" "$root/tests/fuzz/corpus/$t" -max_total_time="$seconds" \
    -max_len=65536 -rss_limit_mb=4096 -timeout=30 -artifact_prefix="$artifacts/" \
    -print_final_stats=1 >"$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
  crashes=$(find "$artifacts" -newer "$build/.started-$t" \( -name 'crash-*' -o -name 'leak-*' \
    -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  printf '%-14s %5ss  %9s runs  coverage %6s  crashes %s\n' "$t" "$seconds" "$runs" "$cov" "$crashes"
  if ((status != 0 || crashes > 0)); then
    failed=1
    grep -A30 "ERROR: \|runtime error" "$log" | head -40 || true
  fi
done
exit $failed
