#!/usr/bin/env bash
# Reuse search and compare latency on the UN General Debate corpus (a benchmark: figures are
# printed, nothing is asserted about time).
#
#   tools/compare_bench.sh [--index DIR] [--sources N] [--min-words K] [--json]
#
# Uses the Concord index that tools/benchmark.sh leaves in $BENCH_WORK/run/concord (default
# /tmp/concord-bench), or --index DIR; the index is only read. Without one, it unpacks
# ../shared/corpus/ungdc and indexes it into $BENCH_WORK/compare-index first. Then
# concord-compare-bench times reuse search on N source paragraphs (default 200), compare on two
# 200-paragraph papers assembled from the index, and compare on two real National Security
# Strategies (../shared/corpus/us-nss, 1997 vs 1998 and 2000 vs 2006) when present.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
work=${BENCH_WORK:-/tmp/concord-bench}
shared=$root/../shared/corpus
index=""
sources=200
args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --index) index=$2; shift 2 ;;
    --sources) sources=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

if [[ ! -x $build/concord-compare-bench || ! -x $build/concord ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" --target concord concord-compare-bench
fi

if [[ -z $index ]]; then
  if [[ -f $work/run/concord/iamglass ]]; then
    index=$work/run/concord
  elif [[ -f $shared/ungdc/ungdc-1946-2024.tar.xz ]]; then
    index=$work/compare-index
    if [[ ! -f $index/iamglass ]]; then
      if [[ ! -f $work/ungdc/.unpacked ]]; then
        echo "unpacking $shared/ungdc/ungdc-1946-2024.tar.xz into $work/ungdc ..."
        rm -rf "$work/ungdc"
        mkdir -p "$work/ungdc"
        tar -xJf "$shared/ungdc/ungdc-1946-2024.tar.xz" -C "$work/ungdc"
        touch "$work/ungdc/.unpacked"
      fi
      echo "indexing $work/ungdc into $index ..."
      "$build/concord" index --index "$index" --metadata "$shared/ungdc/metadata.csv" "$work/ungdc"
    fi
  else
    echo "no index given and ../shared/corpus/ungdc is absent: nothing to measure on" >&2
    exit 2
  fi
fi

echo "index: $index"
"$build/concord-compare-bench" --index "$index" --sources "$sources" "${args[@]}"
nss=$shared/us-nss/docs
if [[ -f $nss/1997.txt ]]; then
  for pair in "1997 1998" "2000 2006"; do
    set -- $pair
    "$build/concord-compare-bench" --index "$index" --sources 0 \
      --compare-files "$nss/$1.txt" "$nss/$2.txt" "${args[@]}" | grep '^compare files'
  done
fi
