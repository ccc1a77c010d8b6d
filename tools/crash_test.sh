#!/usr/bin/env bash
# Kill -9 trials: indexing runs killed at random moments must leave an index that opens,
# passes xapian-check and holds the state before the run or after its commit; re-running the
# same command must reach exactly the expected paragraphs, with no loss and no duplicates.
#
#   tools/crash_test.sh [--trials N] [--corpus DIR] [--files N] [--work DIR] [--concord BIN]
#
# Default corpus: the UNGDC sample in ../shared/corpus (sample_docs/ when it is absent).
# Trials alternate between building a new index and updating a full one in which some
# papers changed (a marker paragraph appended to each), so both the parallel build with its
# final directory exchange and the serial transaction of an update are killed.
# Prints one line per trial and the tally; exits non-zero on any loss or corruption.
set -euo pipefail
trap 'echo "crash_test.sh: line $LINENO: $BASH_COMMAND failed" >&2' ERR
root=$(cd "$(dirname "$0")/.." && pwd)
concord=${CONCORD:-$root/build/concord}
trials=50
files=0
corpus=$root/../shared/corpus/ungdc/sample
[[ -d $corpus ]] || corpus=$root/sample_docs
work=$(mktemp -d /tmp/concord-crash.XXXXXX)
while [[ $# -gt 0 ]]; do
  case $1 in
    --trials) trials=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --concord) concord=$2; shift 2 ;;
    *) echo "usage: $0 [--trials N] [--corpus DIR] [--files N] [--work DIR] [--concord BIN]" >&2; exit 2 ;;
  esac
done
trap 'rm -rf "$work"' EXIT
export CONCORD_LOG=off

# A private copy of the corpus (the update trials edit it), optionally its first N files.
docs=$work/docs
mkdir -p "$docs"
if [[ $files -gt 0 ]]; then
  # No `| head` here: with pipefail, the writer's SIGPIPE when head exits would fail the run.
  mapfile -t all < <(find "$corpus" -type f \( -name '*.txt' -o -name '*.md' \) | sort)
  for f in "${all[@]:0:$files}"; do cp "$f" "$docs/"; done
else
  cp -r "$corpus/." "$docs/"
fi

paragraphs() {  # paragraph count of an index, or "none" when it cannot be opened
  local out
  if ! out=$("$concord" search --index "$1" --json '*' --limit 1 2>/dev/null); then
    echo none
    return
  fi
  grep -m1 -o '"total": [0-9]*' <<<"$out" | grep -o '[0-9]*$' || echo none
}
marker_hits() {
  { "$concord" search --index "$1" --json "$2" --limit 1 2>/dev/null || true; } |
    grep -m1 -o '"total": [0-9]*' | grep -o '[0-9]*$' || echo none
}
checked() {  # xapian-check passes (an index directory that was never created is fine too)
  [[ ! -f $1/iamglass ]] && return 0
  xapian-check "$1" >/dev/null 2>&1
}

index=$work/index
start=$(date +%s.%N)
"$concord" index --index "$index" "$docs" >/dev/null
full_seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
expected=$(paragraphs "$index")
echo "corpus: $corpus ($(find "$docs" -type f | wc -l) files, $expected paragraphs," \
  "indexed in ${full_seconds}s)"

# How long an update of three changed papers takes, to spread the kills over it.
mapfile -t chosen < <(find "$docs" -type f | shuf -n 3)
for f in "${chosen[@]}"; do printf '\n\nCrash trial warm-up %s.\n' zqxwarmup >>"$f"; done
start=$(date +%s.%N)
"$concord" index --index "$index" "$docs" >/dev/null
update_seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
expected=$(paragraphs "$index")
echo "an update of 3 papers takes ${update_seconds}s"

pass=0 fail=0 killed=0 before_state=0 after_state=0
for ((t = 1; t <= trials; t++)); do
  kind=build
  marker=""
  if ((t % 2 == 0)); then
    kind=update
    # Change a few papers: each gets one marker paragraph; the rest stay unchanged.
    marker="zqxcrashtrial$t"
    mapfile -t chosen < <(find "$docs" -type f | shuf -n 3)
    for f in "${chosen[@]}"; do printf '\n\nCrash trial marker %s.\n' "$marker" >>"$f"; done
    before=$expected
    after=$((expected + ${#chosen[@]}))
  else
    rm -rf "$index"
    before=none
    after=$expected
  fi
  duration=$full_seconds
  [[ $kind == update ]] && duration=$update_seconds
  delay=$(awk -v s="$RANDOM" -v max="$duration" 'BEGIN { srand(s); printf "%.3f", rand() * max * 1.2 }')
  "$concord" index --index "$index" "$docs" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
  wait "$pid" 2>/dev/null || true

  state=$(paragraphs "$index")
  ok=1
  why=""
  if ! checked "$index"; then ok=0; why="xapian-check failed"; fi
  if [[ $state == "$before" || ($kind == build && $state == none) ||
    ($kind == build && $state == 0) ]]; then
    before_state=$((before_state + 1))
  elif [[ $state == "$after" ]]; then
    after_state=$((after_state + 1))
  else
    ok=0
    why="$why state $state is neither $before nor $after"
  fi
  # The same command again must complete the work exactly.
  if ! "$concord" index --index "$index" "$docs" >/dev/null 2>"$work/rerun.err"; then
    ok=0
    why="$why rerun failed: $(head -c 300 "$work/rerun.err")"
  fi
  final=$(paragraphs "$index")
  [[ $final == "$after" ]] || { ok=0; why="$why final $final != $after"; }
  if [[ -n $marker ]]; then
    hits=$(marker_hits "$index" "$marker")
    [[ $hits == 3 ]] || { ok=0; why="$why marker hits $hits != 3"; }
  fi
  checked "$index" || { ok=0; why="$why xapian-check failed after rerun"; }
  expected=$after
  if ((ok)); then
    pass=$((pass + 1))
    printf 'trial %3d %-6s kill at %6ss: state %-6s -> %s ok\n' "$t" "$kind" "$delay" "$state" "$final"
  else
    fail=$((fail + 1))
    printf 'trial %3d %-6s kill at %6ss: FAILED:%s\n' "$t" "$kind" "$delay" "$why"
  fi
done
echo "kill trials: $trials ($killed killed mid-run), $pass intact, $fail lost or corrupt;" \
  "killed state was the previous one $before_state times, the committed one $after_state times"
[[ $fail -eq 0 ]]
