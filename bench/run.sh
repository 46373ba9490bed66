#!/usr/bin/env bash
# Whole-process benchmark: generate N releases, then time the bare-load baseline and every
# command a user runs on them, with peak memory. Figures in BENCHMARKS.md come from here.
#
#   bench/run.sh [N] [WORK_DIR]      (N defaults to 100000; WORK_DIR to a fresh temp folder)
#
# Needs GNU time (/usr/bin/time, Debian package `time`) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
WORK=${2:-$(mktemp -d)}
mkdir -p "$WORK"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

cargo build --release --quiet --bin communique --example generate --example baseline
BIN=target/release/communique
GEN=target/release/examples/generate
BASE=target/release/examples/baseline

# one line per step: name, seconds, peak resident memory in MB
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >/dev/null
  read -r seconds kb <"$WORK/time.txt"
  printf '%-34s %8.2f s %8.1f MB\n' "$name" "$seconds" "$(echo "$kb/1024" | bc -l)"
}

rm -rf "$WORK/raw" "$WORK/gold" "$WORK"/*.db* "$WORK/exports"
$GEN --count "$N" --out "$WORK/raw" --gold "$WORK/gold"
bytes=$(find "$WORK/raw" -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "corpus: $N releases, $((bytes / 1024 / 1024)) MB of text, $(nproc) cores"

measure "baseline (bodies + FTS5 only)" $BASE "$WORK/raw" "$WORK/baseline.db"
export SOURCE_DATE_EPOCH=1700000000
measure "ingest, empty database" $BIN ingest -q --raw "$WORK/raw" --db "$WORK/c.db"
measure "ingest, nothing changed" $BIN ingest -q --raw "$WORK/raw" --db "$WORK/c.db"
# ten new releases, in a folder of their own, as a scheduled run would find them
$GEN --count 10 --start "$N" --out "$WORK/raw/new" >/dev/null
measure "ingest, 10 files added" $BIN ingest -q --raw "$WORK/raw" --db "$WORK/c.db"
measure "reingest" $BIN reingest -q --db "$WORK/c.db"
measure "export --format all" $BIN export -q --db "$WORK/c.db" --format all --out "$WORK/exports"
echo "database: $(du -m "$WORK/c.db" | cut -f1) MB; baseline database: $(du -m "$WORK/baseline.db" | cut -f1) MB"
# the Python scorer is quadratic in places: accuracy at scale is checked up to 20,000 releases
if [ "$N" -le 20000 ]; then
  rm -rf "$WORK/raw/new"
  $BIN ingest -q --prune --raw "$WORK/raw" --db "$WORK/c.db" || true
  python3 ../shared/eval/score.py --db "$WORK/c.db" --gold "$WORK/gold" | tail -1
fi
