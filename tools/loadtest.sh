#!/usr/bin/env bash
# Load test of `concord serve` on loopback: 64 concurrent keep-alive clients for 60 s with a
# mixed query load (terms, AND/OR, phrases, wildcards, facets, filters, paper counts, sorts,
# paging, documents and paragraphs). Prints requests, errors, throughput, p50/p95/p99 and the
# server's peak RSS. A benchmark: it fails only on errors (non-2xx or broken connections).
#
#   tools/loadtest.sh [--clients N] [--seconds S] [--corpus DIR]
#
# Default corpus: the UNGDC sample in ../shared/corpus (sample_docs/ when it is absent).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
clients=64
seconds=60
corpus=$root/../shared/corpus/ungdc/sample
metadata=$root/../shared/corpus/ungdc/metadata.csv
while [[ $# -gt 0 ]]; do
  case $1 in
    --clients) clients=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --corpus) corpus=$2; metadata=""; shift 2 ;;
    *) echo "usage: $0 [--clients N] [--seconds S] [--corpus DIR]" >&2; exit 2 ;;
  esac
done
if [[ ! -d $corpus ]]; then
  corpus=$root/sample_docs
  metadata=""
fi
[[ -x $build/concord && -x $build/concord-http-load ]] || "$root/tools/setup.sh"

work=$(mktemp -d /tmp/concord-load.XXXXXX)
server=""
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

index_args=(index --index "$work/index" "$corpus")
[[ -n $metadata && -f $metadata ]] && index_args+=(--metadata "$metadata")
CONCORD_LOG=warn "$build/concord" "${index_args[@]}" | tail -1

# The query mix; every target is a valid request that must answer 2xx.
cat >"$work/targets" <<'TARGETS'
/api/search?q=peace
/api/search?q=security%20council
/api/search?q=nuclear%20AND%20disarmament
/api/search?q=refugees%20OR%20migrants
/api/search?q=%22international%20community%22
/api/search?q=%22sustainable%20development%22&region=africa
/api/search?q=climate&topic=climate-environment
/api/search?q=terror*
/api/search?q=sovereignty&count=documents
/api/search?q=cooperation&region=asia&topic=maritime
/api/search?q=human%20rights&sort=newest
/api/search?q=apartheid&offset=20&limit=20
/api/search?q=development%20NOT%20aid
/api/search?q=*&year=1990..1999
/api/search?q=fisheries&facets=false
/api/documents
/api/search?q=independence&per_doc=1
/api/search?q=%22cold%20war%22&region=europe
TARGETS

"$build/concord" serve --index "$work/index" --port 0 --threads 8 >"$work/serve.log" 2>&1 &
server=$!
port=""
for _ in $(seq 1 100); do
  port=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1 | grep -o '[0-9]*$' || true)
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || { echo "concord serve did not start:"; cat "$work/serve.log"; exit 1; }

echo "$clients clients for ${seconds}s against concord serve on port $port ($corpus)"
status=0
"$build/concord-http-load" --port "$port" --clients "$clients" --seconds "$seconds" \
  --targets "$work/targets" || status=$?
echo "server peak RSS: $(grep VmHWM /proc/"$server"/status | awk '{print $2, $3}')"
exit $status
