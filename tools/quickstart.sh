#!/usr/bin/env bash
# The README's first command: set up, build, index sample_docs/, show an example search, then
# serve the web page and API until Ctrl-C (it prints the URL).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/setup.sh"
cd "$root"
./build/concord index --rebuild --index indexes/default sample_docs
./build/concord search --index indexes/default '"ASEAN way"'
exec ./build/concord serve --index indexes/default --port "${PORT:-8080}"
