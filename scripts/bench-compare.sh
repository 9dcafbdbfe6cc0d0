#!/usr/bin/env bash
# newsnote beside the plain Unix tools that read the same bytes (issue 5).
#
#   scripts/bench-compare.sh            # comparisons, then `cargo bench --bench targets`
#   scripts/bench-compare.sh --quick    # comparisons only
#   scripts/bench-compare.sh --html     # the web page comparison only
#   scripts/bench-compare.sh --suggest  # the `newsnote suggest` comparisons only
#   scripts/bench-compare.sh --first-frame  # the first frames only (corpus, containers)
#
# Builds the release binary and the corpora once (deterministic, kept under
# target/bench-corpus or $NEWSNOTE_BENCH_DIR, shared with `cargo bench`), warms the page
# cache, then times each command as a whole process, best of $RUNS runs, and prints one line
# per comparison:
#
#   RATIO <name> <newsnote_s> <tool_s> <ratio> <target>
#
# listing: newsnote's first frame (open + list + first article, drawn headlessly) vs `find`
# listing the same tree, and the first frame of one 100,000-record JSON Lines file, WARC and
# WARC.gz vs `find` listing a folder of 100,000 files (and vs the corpus's `find`); search: `newsnote search` vs `rg -F` (grep -rF when rg is absent)
# over the same .txt files, both numbering lines; export: `newsnote export` vs `cat` of the
# articles and annotation files it reads, and the peak memory of the export (/usr/bin/time);
# web pages: `newsnote show PAGE` vs `w3m -dump -T text/html PAGE` over the same 711 pages
# (see html_compare below; needs w3m: apt-get install w3m); suggestions: `newsnote suggest` on a
# fresh copy, and with --dry-run, vs `cat` of the same articles (10,000 generated texts and the
# 711 WCXB pages; see suggest_compare below).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
DIR="${NEWSNOTE_BENCH_DIR:-$PWD/target/bench-corpus}"
NEEDLE="Kuleba declined"

if [ "${1:-}" = "--html" ]; then
  cargo build --release --quiet --bin newsnote
elif [ "${1:-}" = "--suggest" ]; then
  cargo build --release --quiet --bin newsnote --example gen_corpus
else
  cargo build --release --quiet --bin newsnote --example gen_corpus --example measure
fi
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

# Best wall time of $RUNS runs of a command, in seconds (output discarded). With $PREPARE
# set to a command, it runs (untimed) before each timed run.
best() {
  local best=""
  for _ in $(seq "$RUNS"); do
    if [ -n "${PREPARE:-}" ]; then eval "$PREPARE"; fi
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

# Web page → text (issue 12), paired over the same pages: `newsnote show PAGE` (the page
# read, decoded, parsed, its text and metadata extracted and printed) against
# `w3m -dump -T text/html PAGE` (parsed, laid out, printed), one process per page for both,
# the 711 article pages of the WCXB development set (WCXB (Foley, 2026), CC-BY-4.0)
# gunzipped once into a temporary folder so both read the same bytes from the page cache.
# Prints the best of $HTML_RUNS (3) wall times of all pages, the mean per page, the ratio.
html_compare() {
  local src=../shared/data/wcxb-dev-articles/html
  if [ ! -d "$src" ]; then
    echo "# web pages skipped: $src is absent"
    return
  fi
  if ! command -v w3m >/dev/null; then
    echo "# web pages skipped: w3m is not installed (apt-get install w3m)"
    return
  fi
  HTML_TMP=$(mktemp -d)
  trap 'rm -rf "$HTML_TMP"' EXIT
  for f in "$src"/*.html.gz; do gunzip -c "$f" >"$HTML_TMP/$(basename "$f" .gz)"; done
  pages=("$HTML_TMP"/*.html)
  cat "${pages[@]}" >/dev/null
  nn_pages() { for p in "${pages[@]}"; do "$NN" show "$p"; done; }
  w3m_pages() { for p in "${pages[@]}"; do w3m -dump -T text/html "$p"; done; }
  local nn w3
  nn=$(RUNS="${HTML_RUNS:-3}" best nn_pages)
  w3=$(RUNS="${HTML_RUNS:-3}" best w3m_pages)
  echo "# web pages: ${#pages[@]} pages, $(du -sh "$HTML_TMP" | cut -f1) of HTML; $(w3m -version | head -1 | cut -d, -f1)"
  awk -v n="$nn" -v w="$w3" -v c="${#pages[@]}" \
    'BEGIN { printf "INFO html_per_page_ms newsnote %.2f w3m %.2f\n", n * 1000 / c, w * 1000 / c }'
  ratio html_711_pages "$nn" "$w3" -
}

# Suggestions (issue 13): `newsnote suggest` over a corpus without annotation files, which
# writes a RON file (fsync'd, atomic) for every article that gets suggestions, so each run gets
# a fresh copy; beside it `--dry-run` (everything but the saves) and `cat` of the same
# articles. Targets: 2,000 plain-text articles a second and 400 web pages a second on 2 cores
# (the 711 WCXB article pages, WCXB (Foley, 2026), CC-BY-4.0, kept gzipped as they are
# shipped; skipped when absent). Prints the best of $RUNS wall times, the rates, and the
# ratios to `cat`.
#
# The fresh copies are all made (and synced) before the first clock starts, and none is
# deleted until every suggest run is over. ext4 without a journal (this machine's file
# system) will not reuse an inode for one to five minutes after it was freed, and skips over
# every such inode each time it creates a file: deleting the last run's 20,000 files just
# before a run put a third of that run in the kernel's inode allocator (`perf`), which
# measured the bench's own `rm -rf`, not newsnote.
TRASH="$DIR/suggest-trash"
best_fresh() { # src work command… (each timed run gets a copy made before any of them)
  local src=$1 work=$2
  shift 2
  local i
  for i in $(seq "$RUNS"); do cp -r "$src" "$work.$i"; done
  sync
  n=0
  PREPARE='n=$((n + 1)); if [ -e "$work" ]; then mv "$work" "$TRASH/$RANDOM$n"; fi; mv "$work.$n" "$work"' best "$@"
  mv "$work" "$TRASH/$RANDOM-last"
}

suggest_one() { # name src n target_per_s
  local name=$1 src=$2 n=$3 target=$4 work="$DIR/suggest-work"
  find "$src" -type f -print0 | xargs -0 cat >/dev/null
  local nn dry cat_s
  nn=$(best_fresh "$src" "$work" "$NN" suggest "$work")
  dry=$(best_fresh "$src" "$work" "$NN" suggest --dry-run "$work")
  cat_s=$(best sh -c "find '$src' -type f -print0 | xargs -0 cat")
  awk -v n="$n" -v a="$nn" -v d="$dry" -v t="$target" -v m="$name" \
    'BEGIN { printf "INFO %s_per_s suggest %.0f dry_run %.0f target %s\n", m, n / a, n / d, t }'
  ratio "$name" "$nn" "$cat_s" -
  ratio "${name}_dry_run" "$dry" "$cat_s" -
}

suggest_compare() {
  # Copies an interrupted run left are moved aside, not deleted, for the reason above; the
  # trash goes once every run is over (so a second invocation within five minutes of the
  # first measures slower saves: leave that much time between them).
  mkdir -p "$TRASH"
  for w in "$DIR"/suggest-work*; do
    if [ -e "$w" ]; then mv "$w" "$TRASH/$RANDOM-stale"; fi
  done
  suggest_one suggest_text_10k "$(corpus 10000 3000 0)" 10000 2000
  local pages=../shared/data/wcxb-dev-articles/html
  if [ -d "$pages" ]; then
    local copy="$DIR/suggest-pages"
    if [ ! -e "$copy/.done" ]; then
      rm -rf "$copy"
      mkdir -p "$copy"
      cp "$pages"/*.html.gz "$copy"/
      touch "$copy/.done"
    fi
    suggest_one suggest_wcxb_pages "$copy" "$(find "$copy" -name '*.html.gz' | wc -l)" 400
  else
    echo "# suggest on web pages skipped: $pages is absent"
  fi
  rm -rf "$TRASH"
}

if [ "${1:-}" = "--html" ]; then
  html_compare
  exit 0
fi
if [ "${1:-}" = "--suggest" ]; then
  suggest_compare
  exit 0
fi

C100K=$(corpus 100000 3000 1)
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr); $(uptime | sed 's/.*\(load average\)/\1/')"
echo "# corpus: $C100K (100,000 articles)"
# Warm the page cache so every command reads from memory.
find "$C100K" -type f -print0 | xargs -0 cat >/dev/null

ratio first_frame_100k "$(best target/release/examples/measure "$C100K")" "$(best find "$C100K" -name '*.txt')" 1.5

# The first frame of one container of 100,000 records (issue 12): the same 100,000 articles
# as one news-please JSON Lines file, and as the HTML responses of a web archive, plain and
# gzipped (a member per record). The yardstick the issue names is `find` listing one folder
# of 100,000 files (small articles of `gen_corpus --flat`); the corpus's `find` above (its
# 100,000 RON files too) is kept beside it, as the figures before this change used it.
# Indexes are saved in $DIR/state (not the user's state folder): the first open of each
# container makes its index (INFO ..._indexing, one run with the index removed), every
# later one reads it back, which is what the best of $RUNS times.
gen_once() { # folder gen_corpus-arguments…
  local d=$1
  shift
  if [ ! -e "$d/.done" ]; then
    rm -rf "$d"
    target/release/examples/gen_corpus "$@" "$d" >&2
    touch "$d/.done"
  fi
}
FLAT="$DIR/f100000x200"
JSONL="$DIR/j100000x3000"
WARC="$DIR/w100000x3000"
gen_once "$FLAT" --flat --articles 100000 --size 200 --annotations 0
gen_once "$JSONL" --jsonl --articles 100000 --size 3000
gen_once "$WARC" --warc --articles 100000 --size 3000
cat "$JSONL/articles.jsonl" "$WARC/articles.warc" "$WARC/articles.warc.gz" >/dev/null
find "$FLAT" >/dev/null
export NEWSNOTE_STATE_DIR="$DIR/state"
find_flat=$(best find "$FLAT" -name '*.txt')
find_corpus=$(best find "$C100K" -name '*.txt')
echo "INFO find_folder_of_100k_files_s $find_flat"
echo "INFO find_100k_corpus_s $find_corpus"
for c in jsonl:"$JSONL/articles.jsonl" warc:"$WARC/articles.warc" warc_gz:"$WARC/articles.warc.gz"; do
  name=${c%%:*}
  file=${c#*:}
  rm -rf "$NEWSNOTE_STATE_DIR/index"
  echo "INFO first_frame_${name}_100k_indexing_s $(RUNS=1 best target/release/examples/measure "$file")"
  t=$(best target/release/examples/measure "$file")
  ratio "first_frame_${name}_100k" "$t" "$find_flat" 1.5
  ratio "first_frame_${name}_100k_vs_corpus_find" "$t" "$find_corpus" 1.5
done
unset NEWSNOTE_STATE_DIR
if [ "${1:-}" = "--first-frame" ]; then
  exit 0
fi

CEXP=$(corpus 1000 10000 100)
echo "# corpus: $CEXP (1,000 articles × 100 annotations)"
find "$CEXP" -type f -print0 | xargs -0 cat >/dev/null

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

html_compare
suggest_compare

if [ "${1:-}" != "--quick" ]; then
  cargo bench --quiet --bench targets 2>/dev/null | grep -E '^(TARGET|INFO)'
fi
