#!/usr/bin/env bash
# Whole-process benchmark: generate N releases, then time the bare-load baseline and every
# command a user runs on them, with peak memory. Figures in BENCHMARKS.md come from here.
#
#   bench/run.sh [N] [WORK_DIR]      (N defaults to 100000; WORK_DIR to a fresh temp folder)
#
# Each step runs REPS times (default 3); the line gives the median time, the range, and the
# largest peak resident memory. Needs GNU time (/usr/bin/time, Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
WORK=${2:-$(mktemp -d)}
REPS=${REPS:-3}
mkdir -p "$WORK"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

cargo build --release --quiet --bin communique --example generate --example baseline
BIN=target/release/communique
GEN=target/release/examples/generate
BASE=target/release/examples/baseline
export SOURCE_DATE_EPOCH=1700000000

# measure NAME PREPARE COMMAND...: runs PREPARE (untimed, a shell snippet) then COMMAND,
# REPS times
measure() {
  local name=$1 prepare=$2; shift 2
  local times=() peak=0
  for ((rep = 0; rep < REPS; rep++)); do
    REP=$rep eval "$prepare"
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >/dev/null
    read -r seconds kb <"$WORK/time.txt"
    times+=("$seconds")
    ((kb > peak)) && peak=$kb
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -g))
  printf '%-32s %7.2f s  (%.2f-%.2f)  %7.1f MB\n' "$name" "${sorted[$((REPS / 2))]}" \
    "${sorted[0]}" "${sorted[$((REPS - 1))]}" "$(echo "$peak/1024" | bc -l)"
}

rm -rf "$WORK/raw" "$WORK/gold" "$WORK"/*.db* "$WORK/exports"
$GEN --count "$N" --out "$WORK/raw" --gold "$WORK/gold"
bytes=$(find "$WORK/raw" -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "corpus: $N releases, $((bytes / 1024 / 1024)) MB of text ($((bytes / N)) bytes each), $(nproc) cores"
echo "step                             median    (range)     peak memory"

measure "baseline (bodies + FTS5 only)" 'rm -f "$WORK"/baseline.db*' \
  $BASE "$WORK/raw" "$WORK/baseline.db"
measure "ingest, empty database" 'rm -f "$WORK"/c.db*' \
  $BIN ingest -q --raw "$WORK/raw" --db "$WORK/c.db"
measure "ingest, nothing changed" ':' \
  $BIN ingest -q --raw "$WORK/raw" --db "$WORK/c.db"
# ten new releases in a folder of their own, as a scheduled run finds them
measure "ingest, 10 files added" \
  'rm -rf "$WORK/raw/new"; $BIN ingest -q --prune --raw "$WORK/raw" --db "$WORK/c.db";
   $GEN --count 10 --start $((N + 10 * REP)) --out "$WORK/raw/new" >/dev/null' \
  $BIN ingest -q --raw "$WORK/raw" --db "$WORK/c.db"
measure "reingest" ':' $BIN reingest -q --db "$WORK/c.db"
measure "export --format all" 'rm -rf "$WORK/exports"' \
  $BIN export -q --db "$WORK/c.db" --format all --out "$WORK/exports"
echo "database: $(du -m "$WORK/c.db" | cut -f1) MB; baseline database: $(du -m "$WORK/baseline.db" | cut -f1) MB"
# The ratio to the baseline, from runs in pairs (baseline, then ingest): the machine's speed
# drifts over minutes, and pairs see the same drift.
rm -rf "$WORK/raw/new"
ratios=()
for ((rep = 0; rep < REPS; rep++)); do
  rm -f "$WORK"/baseline.db* "$WORK"/c.db*
  /usr/bin/time -f "%e" -o "$WORK/time.txt" $BASE "$WORK/raw" "$WORK/baseline.db" >/dev/null
  base=$(cat "$WORK/time.txt")
  /usr/bin/time -f "%e" -o "$WORK/time.txt" $BIN ingest -q --raw "$WORK/raw" --db "$WORK/c.db"
  ingest=$(cat "$WORK/time.txt")
  ratios+=("$(echo "$ingest / $base" | bc -l)")
done
sorted=($(printf '%s\n' "${ratios[@]}" | sort -g))
printf 'ingest / baseline, paired runs    %.2f   (%.2f-%.2f)\n' "${sorted[$((REPS / 2))]}" \
  "${sorted[0]}" "${sorted[$((REPS - 1))]}"
# accuracy at scale against the generator's truth (the Python scorer is slow beyond ~20,000)
if [ "$N" -le 20000 ]; then
  rm -rf "$WORK/raw/new"
  $BIN ingest -q --prune --raw "$WORK/raw" --db "$WORK/c.db" || true
  python3 ../shared/eval/score.py --db "$WORK/c.db" --gold "$WORK/gold" | tail -1
fi
