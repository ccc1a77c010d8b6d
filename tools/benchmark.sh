#!/usr/bin/env bash
# Concord against SQLite FTS5 on the UN General Debate corpus, side by side in one run.
#
#   tools/benchmark.sh [--paragraphs N] [--repeat R] [--json FILE] [--check] ...
#
# Unpacks ../shared/corpus/ungdc/ungdc-1946-2024.tar.xz once into $BENCH_WORK (default
# /tmp/concord-bench), builds concord-bench if needed and runs it on the whole corpus (or its
# first N paragraphs). Without ../shared, the benchmark runs on a generated corpus and says so.
# Options are passed to `concord-bench run`; see README "Benchmarks".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
work=${BENCH_WORK:-/tmp/concord-bench}
ungdc=$root/../shared/corpus/ungdc
mkdir -p "$work"

if [[ ! -x $build/concord-bench ]]; then
  "$root/tools/setup.sh"
fi

corpus_args=()
if [[ -f $ungdc/ungdc-1946-2024.tar.xz ]]; then
  if [[ ! -f $work/ungdc/.unpacked ]]; then
    echo "unpacking $ungdc/ungdc-1946-2024.tar.xz into $work/ungdc ..."
    rm -rf "$work/ungdc"
    mkdir -p "$work/ungdc"
    tar -xJf "$ungdc/ungdc-1946-2024.tar.xz" -C "$work/ungdc"
    touch "$work/ungdc/.unpacked"
  fi
  corpus_args=(--corpus "$work/ungdc" --metadata "$ungdc/metadata.csv")
else
  echo "../shared/corpus/ungdc is absent: benchmarking a generated corpus instead"
fi

exec "$build/concord-bench" run "${corpus_args[@]}" --work "$work/run" "$@"
