#!/usr/bin/env bash
# The README's first command: set up, build, index sample_docs/ and run an example search.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/setup.sh"
cd "$root"
./build/concord index --index indexes/default sample_docs
./build/concord search --index indexes/default '"ASEAN way"'
