#!/usr/bin/env bash
# Scale: the synthetic site (bench/gen_site.py) at 1,000 … 50,000 pages per language × 5 languages,
# one cold build each (no search cache), with wall time, CPU, peak memory and output size.
#
#   BENCH_SCALE_SIZES="1000 10000 50000" bash bench/scale.sh
#
# Needs ~15 GB of free disk at 50,000 pages per language (sources, output, search cache).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-/tmp/lotse-bench}
SIZES=${BENCH_SCALE_SIZES:-"1000 10000 50000"}
(cd "$ROOT" && cargo build --release --quiet)
BIN="$WORK/lotse-scale.bin"
cp "$ROOT/target/release/lotse" "$BIN"
echo "| pages/lang | total pages | wall s | CPU s | peak MB | output files | output MB | pages/s |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  site="$WORK/site-$n"
  [ -f "$site/lotse/site.yaml" ] || python3 "$ROOT/bench/gen_site.py" --pages "$n" --out "$site" >/dev/null
  out="$WORK/scale-out-$n"
  rm -rf "$out" "$site/lotse/.lotse-cache"
  sync; sleep 10
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/scale-time-$n.txt" env SOURCE_DATE_EPOCH=1795000000 LOTSE_TIMINGS=1 \
      "$BIN" build --source "$site/lotse" --output "$out" 2>"$WORK/scale-log-$n.txt" >/dev/null \
      || { echo "| {$n} | build failed: $(grep -m1 ^error "$WORK/scale-log-$n.txt") |"; continue; }
  read -r wall user sys kb < "$WORK/scale-time-$n.txt"
  files=$(find "$out" -type f | wc -l)
  mb=$(du -sm "$out" | cut -f1)
  pages=$(grep -o 'Built [0-9]* pages' "$WORK/scale-log-$n.txt" | grep -o '[0-9]*')
  python3 -c "print(f'| {int($n):,} | {int($pages):,} | {float($wall):.1f} | {float($user)+float($sys):.1f} | {int($kb)//1024:,} | {int($files):,} | {int($mb):,} | {int($pages)/float($wall):,.0f} |')"
done
