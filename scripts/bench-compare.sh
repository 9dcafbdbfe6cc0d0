#!/usr/bin/env bash
# newsnote beside the plain Unix tools that read the same bytes (issue 5).
#
#   scripts/bench-compare.sh            # comparisons, then `cargo bench --bench targets`
#   scripts/bench-compare.sh --quick    # comparisons only
#
# Builds the release binary and the corpora once (deterministic, kept under
# target/bench-corpus or $NEWSNOTE_BENCH_DIR, shared with `cargo bench`), warms the page
# cache, then times each command as a whole process, best of $RUNS runs, and prints one line
# per comparison:
#
#   RATIO <name> <newsnote_s> <tool_s> <ratio> <target>
#
# listing: newsnote's first frame (open + list + first article, drawn headlessly) vs `find`
# listing the same tree, and the first frame of one 100,000-record JSON Lines file vs the
# same `find`; search: `newsnote search` vs `rg -F` (grep -rF when rg is absent)
# over the same .txt files, both numbering lines; export: `newsnote export` vs `cat` of the
# articles and annotation files it reads, and the peak memory of the export (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
DIR="${NEWSNOTE_BENCH_DIR:-$PWD/target/bench-corpus}"
NEEDLE="Kuleba declined"

cargo build --release --quiet --bin newsnote --example gen_corpus --example measure
NN=target/release/newsnote

corpus() { # articles size annotations → path (generated once)
  local d="$DIR/c$1x$2x$3"
  if [ ! -e "$d/.done" ]; then
    rm -rf "$d"
    target/release/examples/gen_corpus --articles "$1" --size "$2" --annotations "$3" "$d" >&2
    touch "$d/.done"
  fi
  echo "$d"
}

# Best wall time of $RUNS runs of a command, in seconds (output discarded).
best() {
  local best=""
  for _ in $(seq "$RUNS"); do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    local t=$(( e - s ))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  awk -v t="$best" 'BEGIN { printf "%.4f", t / 1e9 }'
}

ratio() { # name newsnote_s tool_s target
  awk -v n="$1" -v a="$2" -v b="$3" -v t="$4" 'BEGIN { printf "RATIO %s %s %s %.2f %s\n", n, a, b, a / b, t }'
}

C100K=$(corpus 100000 3000 1)
CEXP=$(corpus 1000 10000 100)
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo "# corpora: $C100K (100,000 articles), $CEXP (1,000 articles × 100 annotations)"
# Warm the page cache so every command reads from memory.
find "$C100K" "$CEXP" -type f -print0 | xargs -0 cat >/dev/null

ratio first_frame_100k "$(best target/release/examples/measure "$C100K")" "$(best find "$C100K" -name '*.txt')" 1.5

# The same 100,000 articles as records of one news-please JSON Lines file (issue 12): its
# first frame, index included, against `find` listing the 100,000 files.
JSONL="$DIR/j100000x3000"
if [ ! -e "$JSONL/.done" ]; then
  rm -rf "$JSONL"
  target/release/examples/gen_corpus --jsonl --articles 100000 --size 3000 "$JSONL" >&2
  touch "$JSONL/.done"
fi
cat "$JSONL/articles.jsonl" >/dev/null
ratio first_frame_jsonl_100k "$(best target/release/examples/measure "$JSONL/articles.jsonl")" "$(best find "$C100K" -name '*.txt')" 1.5

if command -v rg >/dev/null; then
  tool=(rg -n --column -F -g '*.txt' -g '*.md' "$NEEDLE" "$C100K")
else
  tool=(grep -rnF --include='*.txt' --include='*.md' "$NEEDLE" "$C100K")
fi
echo "# search tool: ${tool[0]}"
ratio search_100k "$(best "$NN" search "$NEEDLE" "$C100K")" "$(best "${tool[@]}")" 1.2

# The articles and annotation files the export reads, listed as the export lists them.
cat_exp() { find "$CEXP" -type f \( -name '*.txt' -o -name '*.ron' \) -print0 | xargs -0 cat; }
cat_time=$(best cat_exp)
for f in jsonl csv w3c; do
  ratio "export_${f}_100k_annotations" "$(best "$NN" export "$CEXP" --format "$f")" "$cat_time" 5.0
done
# Peak resident memory of an export (issue 10: bounded by the largest article, not the corpus).
if [ -x /usr/bin/time ]; then
  for f in w3c json; do
    kib=$(/usr/bin/time -f %M "$NN" export "$CEXP" --format "$f" 2>&1 >/dev/null | tail -1)
    echo "INFO export_${f}_peak_rss_kib $kib"
  done
fi

if [ "${1:-}" != "--quick" ]; then
  cargo bench --quiet --bench targets 2>/dev/null | grep -E '^(TARGET|INFO)'
fi
