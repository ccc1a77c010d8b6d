#!/usr/bin/env bash
# Sharding benchmark: the same corpus as 1, 2 and 4 shards, queried locally (shard
# directories read as one database) and remotely (one xapian-tcpsrv per shard on loopback),
# with concord-bench's query mix (top 10 with snippets and exact facets). Prints indexing time,
# p50/p95/p99 and 2-thread throughput for each, and the remote protocol's overhead.
#
#   tools/shard_bench.sh [--corpus DIR] [--metadata CSV] [--repeat R] [--shards "1 2 4"]
#
# Default corpus: the UNGDC sample in ../shared/corpus (sample_docs/ when it is absent);
# tools/benchmark.sh unpacks the whole UNGDC corpus if you want to pass that instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
corpus=$root/../shared/corpus/ungdc/sample
metadata=$root/../shared/corpus/ungdc/metadata.csv
repeat=3
counts="1 2 4"
while [[ $# -gt 0 ]]; do
  case $1 in
    --corpus) corpus=$2; shift 2 ;;
    --metadata) metadata=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --shards) counts=$2; shift 2 ;;
    *) echo "usage: $0 [--corpus DIR] [--metadata CSV] [--repeat R] [--shards \"1 2 4\"]" >&2; exit 2 ;;
  esac
done
if [[ ! -d $corpus ]]; then corpus=$root/sample_docs; metadata=""; fi
[[ -x $build/concord && -x $build/concord-bench ]] || "$root/tools/setup.sh"

work=$(mktemp -d /tmp/concord-shards.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export CONCORD_LOG=warn

field() { awk -v k="\"$1\":" '{ i = index($0, k); if (i) { s = substr($0, i + length(k)); sub(/[^0-9.e+-].*/, "", s); print s; exit } }' <<<"$2"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)); }

meta_args=()
[[ -n $metadata && -f $metadata ]] && meta_args=(--metadata "$metadata")
echo "corpus: $corpus"
printf '\n%-8s %-7s %10s %8s %8s %8s %10s\n' shards where "index s" "p50 ms" "p95 ms" "p99 ms" "qps 2 thr"
declare -A p50
for n in $counts; do
  dir=$work/s$n
  start=$(date +%s.%N)
  if [[ $n -eq 1 ]]; then
    "$build/concord" index --index "$dir" "$corpus" "${meta_args[@]}" >/dev/null
  else
    "$build/concord" index --shards "$n" --index "$dir" "$corpus" "${meta_args[@]}" >/dev/null
  fi
  seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  local_json=$("$build/concord-bench" query-concord --target "$dir" --repeat "$repeat")
  printf '%-8s %-7s %10s %8.2f %8.2f %8.2f %10.1f\n' "$n" local "$seconds" \
    "$(field p50_ms "$local_json")" "$(field p95_ms "$local_json")" "$(field p99_ms "$local_json")" \
    "$(field throughput_qps_2_threads "$local_json")"
  p50[local$n]=$(field p50_ms "$local_json")

  # The same shards behind xapian-tcpsrv, one server per shard.
  shard_dirs=("$dir")
  [[ $n -gt 1 ]] && shard_dirs=()
  for ((i = 0; i < n && n > 1; i++)); do shard_dirs+=("$dir/shard-$i"); done
  urls=""
  for d in "${shard_dirs[@]}"; do
    port=$(free_port)
    setsid xapian-tcpsrv --port "$port" "$d" >/dev/null 2>&1 &
    pids+=($!)
    for _ in $(seq 1 50); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
      sleep 0.1
    done
    urls+="${urls:+,}tcp://127.0.0.1:$port"
  done
  remote_json=$("$build/concord-bench" query-concord --target "$urls" --repeat "$repeat")
  printf '%-8s %-7s %10s %8.2f %8.2f %8.2f %10.1f\n' "$n" remote "" \
    "$(field p50_ms "$remote_json")" "$(field p95_ms "$remote_json")" "$(field p99_ms "$remote_json")" \
    "$(field throughput_qps_2_threads "$remote_json")"
  p50[remote$n]=$(field p50_ms "$remote_json")
  for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || true; done
  pids=()
done
echo
for n in $counts; do
  awk -v n="$n" -v l="${p50[local$n]}" -v r="${p50[remote$n]}" \
    'BEGIN { printf "%s shard(s): remote protocol overhead at p50 %.2f ms (%.2fx local)\n", n, r - l, r / l }'
done
