#!/usr/bin/env bash
# Real-browser tests of the web page: tests/web/run.sh CONCORD_BINARY SOURCE_DIR ARTIFACT_DIR
#
# Builds a fresh index from SOURCE_DIR/sample_docs plus the fixture papers written here (a hostile
# paper and an echo of it, two editions of one paper, and dated papers that share a phrase and a
# quotation), serves it on a free port, and drives Debian's Chromium (/usr/bin/chromium, or
# CONCORD_CHROMIUM) with playwright-core through ui.test.mjs. Screenshots of every step go to
# ARTIFACT_DIR. No tool downloads a browser. Exits non-zero on any failure; always stops the server
# and removes the temporary directory.
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
partial_pid=""
stop_server() {
  local pid=$1
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}
cleanup() {
  stop_server "$server_pid"
  stop_server "$partial_pid"
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

# A paper that quotes the hostile one and adds markup of its own (title, issuer, heading, text), for
# the compare, similar wording and trace views. It must not use the word "xylophonist".
cat > "$work/docs/hostile-echo.txt" <<'EOF'
Hostile Echo

1. Echo <i>heading</i> & <u>more</u>

The plan says <script>alert(1)</script> must stay text, and nuclear weapons tests must stop <img src=y onerror=alert(5)> today.

The echo annex adds <b>bold</b> & "quoted" words of its own.
EOF
cat > "$work/docs/hostile-echo.meta.json" <<'EOF'
{"id": "hostile-echo", "title": "Echo <svg onload=alert(6)> & \"Hostile\" <b>Paper</b>", "issuer": "Office of <i>Echoes</i>",
 "date": "2022-01-20", "language": "en", "country": "Mali", "type": "white paper"}
EOF

# Two editions of one paper for the compare view. From 2019 to 2021 paragraph 2 changes "twice" to
# "four times" and "three months" to "six weeks", paragraph 3 is split in two, and a paragraph about
# a cyber incident desk is new. Papers dated 2017, 2019, 2021 and 2022 (none in 2018 or 2020) use
# "coastal resilience compact", for the trace view; the 2022 review quotes the charter's lighthouse
# rule, for the similar wording view.
cat > "$work/docs/harbour-strategy-2019.txt" <<'EOF'
Harbour Security Strategy

1. Purpose

This strategy sets out how the ports authority protects shipping lanes, dock workers and the towns behind the quays against sabotage, smuggling and storm surges.

The ports authority will inspect every container terminal twice a year and publish the findings within three months of each inspection.

2. Cooperation

Neighbouring harbours share patrol schedules through a joint coordination centre staffed around the clock by officers from each port. The centre also trains volunteer pilots and keeps a register of emergency tugboats available to the whole coast.

Funding for the coordination centre comes from landing fees paid by cargo operators and from a small grant of the national treasury.

3. Resilience

Every harbour joins the coastal resilience compact and keeps a reserve of sandbags, pumps and generators ready for the flood season.
EOF
cat > "$work/docs/harbour-strategy-2019.meta.json" <<'EOF'
{"id": "harbour-strategy-2019", "title": "Harbour Security Strategy (2019 edition)", "issuer": "Ports Authority",
 "date": "2019-03-01", "language": "en", "country": "Norway", "type": "strategy"}
EOF
cat > "$work/docs/harbour-strategy-2021.txt" <<'EOF'
Harbour Security Strategy

1. Purpose

This strategy sets out how the ports authority protects shipping lanes, dock workers and the towns behind the quays against sabotage, smuggling and storm surges.

The ports authority will inspect every container terminal four times a year and publish the findings within six weeks of each inspection.

2. Cooperation

Neighbouring harbours share patrol schedules through a joint coordination centre staffed around the clock by officers from each port.

The centre also trains volunteer pilots and keeps a register of emergency tugboats available to the whole coast.

Funding for the coordination centre comes from landing fees paid by cargo operators and from a small grant of the national treasury.

A new cyber incident desk answers reports from shipping companies and customs brokers at any hour of the day or night.

3. Resilience

Every harbour joins the coastal resilience compact and keeps a reserve of sandbags, pumps and generators ready for the flood season.
EOF
cat > "$work/docs/harbour-strategy-2021.meta.json" <<'EOF'
{"id": "harbour-strategy-2021", "title": "Harbour Security Strategy (2021 edition)", "issuer": "Ports Authority",
 "date": "2021-06-15", "language": "en", "country": "Norway", "type": "strategy"}
EOF
cat > "$work/docs/coastal-charter-2017.txt" <<'EOF'
Coastal Charter

1. Principles

The towns of the coast agree to a coastal resilience compact that pools their flood defences and shares the cost of repairs after every storm.

Every lighthouse keeper shall log each passing vessel, report any unlit buoy within one hour, and keep the lamp burning from dusk until the fishing fleet has returned to harbour.

2. Review

The coastal resilience compact is reviewed every five years by a panel of harbour masters and fishers.
EOF
cat > "$work/docs/coastal-charter-2017.meta.json" <<'EOF'
{"id": "coastal-charter-2017", "title": "Coastal Charter", "issuer": "Council of Coastal Towns",
 "date": "2017-04-10", "language": "en", "country": "Norway", "type": "charter"}
EOF
cat > "$work/docs/port-review-2022.txt" <<'EOF'
Review of the Coastal Ports

1. Findings

The review found that the old charter rule still holds: every lighthouse keeper shall log each passing vessel, report any unlit buoy within one hour, and keep the lamp burning from dusk until the fishing fleet has returned to harbour. Most towns now meet it.

Membership of the coastal resilience compact has grown to thirty towns.
EOF
cat > "$work/docs/port-review-2022.meta.json" <<'EOF'
{"id": "port-review-2022", "title": "Review of the Coastal Ports", "issuer": "Audit Office",
 "date": "2022-09-30", "language": "en", "country": "Norway", "type": "review"}
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

# The same index as one shard of two, the other a remote shard that is down (nothing listens
# on port 1): the page must say its results are partial.
"$binary" serve --index "$work/index,tcp://127.0.0.1:1" --port 0 > "$work/serve-partial.log" 2>&1 &
partial_pid=$!
partial_url=""
for _ in $(seq 1 100); do
  partial_url="$(grep -o 'http://[^ ]*' "$work/serve-partial.log" | head -n 1 || true)"
  [ -n "$partial_url" ] && break
  kill -0 "$partial_pid" 2>/dev/null || { cat "$work/serve-partial.log" >&2; echo "run.sh: the partial server exited" >&2; exit 1; }
  sleep 0.1
done
partial_url="${partial_url%/}"

status=0
CONCORD_URL="$url" CONCORD_PARTIAL_URL="$partial_url" CONCORD_ARTIFACTS="$artifacts" CONCORD_CHROMIUM="$chromium" \
  timeout 100 node --test --test-concurrency=1 --test-reporter=spec "$here/ui.test.mjs" || status=$?
if [ "$status" -ne 0 ]; then
  echo "run.sh: browser tests failed (exit $status); server log:" >&2
  tail -n 20 "$work/serve.log" >&2 || true
fi
exit "$status"
