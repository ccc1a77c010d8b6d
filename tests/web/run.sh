#!/usr/bin/env bash
# Real-browser tests of the web page: tests/web/run.sh CONCORD_BINARY SOURCE_DIR ARTIFACT_DIR
#
# Builds a fresh index from SOURCE_DIR/sample_docs plus a hostile paper written here, serves it
# on a free port, and drives Debian's Chromium (/usr/bin/chromium, or CONCORD_CHROMIUM) with
# playwright-core through ui.test.mjs. Screenshots of every step go to ARTIFACT_DIR. No tool
# downloads a browser. Exits non-zero on any failure; always stops the server and removes the
# temporary directory.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 CONCORD_BINARY SOURCE_DIR ARTIFACT_DIR" >&2
  exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
binary="$(realpath "$1")"
source_dir="$(realpath "$2")"
mkdir -p "$3"
artifacts="$(realpath "$3")"
chromium="${CONCORD_CHROMIUM:-/usr/bin/chromium}"

[ -x "$binary" ] || { echo "run.sh: no executable at $binary" >&2; exit 2; }
[ -d "$source_dir/sample_docs" ] || { echo "run.sh: no sample_docs in $source_dir" >&2; exit 2; }
[ -x "$chromium" ] || { echo "run.sh: $chromium is missing (apt-get install -y chromium)" >&2; exit 2; }
command -v node >/dev/null || { echo "run.sh: node is missing" >&2; exit 2; }

if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "run.sh: installing node modules (npm ci)"
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/concord-web.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A paper whose title, issuer, headings and text carry markup. The page must show all of it as
# text; the tests search for its word "xylophonist".
mkdir -p "$work/docs"
cat > "$work/docs/hostile-paper.txt" <<'EOF'
Hostile Paper

1. Markup <b>heading</b> & "quotes"

The xylophonist plan says <script>alert(1)</script> must stay text, and nuclear weapons tests must stop.

The xylophonist annex embeds <img src=x onerror=alert(2)> in a paragraph about Mali and the Sahel.

The xylophonist notes keep "quotes" & <b>tags</b> as they are.

2. Second section

An ordinary closing paragraph.
EOF
cat > "$work/docs/hostile-paper.meta.json" <<'EOF'
{
  "id": "hostile-paper",
  "title": "Hostile <img src=x onerror=alert(3)> & \"Paper\" <script>alert(4)</script>",
  "issuer": "Ministry of <b>Testing</b> & Review",
  "date": "2024-05-01",
  "language": "en",
  "country": "Mali",
  "type": "white paper"
}
EOF

"$binary" index --index "$work/index" "$source_dir/sample_docs" "$work/docs" > "$work/index.log" 2>&1 || {
  cat "$work/index.log" >&2
  echo "run.sh: indexing failed" >&2
  exit 1
}

"$binary" serve --index "$work/index" --port 0 > "$work/serve.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://[^ ]*' "$work/serve.log" | head -n 1 || true)"
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; echo "run.sh: the server exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/serve.log" >&2; echo "run.sh: the server printed no URL" >&2; exit 1; }
url="${url%/}"
echo "run.sh: serving $url; screenshots in $artifacts"

status=0
CONCORD_URL="$url" CONCORD_ARTIFACTS="$artifacts" CONCORD_CHROMIUM="$chromium" \
  timeout 100 node --test --test-concurrency=1 --test-reporter=spec "$here/ui.test.mjs" || status=$?
if [ "$status" -ne 0 ]; then
  echo "run.sh: browser tests failed (exit $status); server log:" >&2
  tail -n 20 "$work/serve.log" >&2 || true
fi
exit "$status"
