#!/usr/bin/env bash
# Where Lotse's build time goes: perf profile of one build of the 5 x 1000 synthetic site.
#
#   bash bench/profile-lotse.sh
#
# Builds Lotse with line tables and frame pointers into a separate target folder (the
# repository's Cargo.toml is not touched), records the build with `perf record -g`
# (DWARF unwinding) and prints the share of CPU samples per pipeline stage
# (bench/perf_stages.py) and the top functions by self time.
# Environment: BENCH_DIR (default /tmp/lotse-bench), BENCH_PROFILE_PAGES (default 1000).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-/tmp/lotse-bench}
PAGES=${BENCH_PROFILE_PAGES:-1000}
TARGET=${BENCH_PROF_TARGET:-$WORK/prof-target}
mkdir -p "$WORK"

command -v perf >/dev/null || { apt-get update >/dev/null && apt-get install -y linux-perf >/dev/null; }

(cd "$ROOT" && CARGO_PROFILE_RELEASE_DEBUG=line-tables-only RUSTFLAGS="-C force-frame-pointers=yes" \
    cargo build --release --target-dir "$TARGET") >"$WORK/prof-cargo.log" 2>&1 \
    || { tail -30 "$WORK/prof-cargo.log" >&2; exit 1; }

site="$WORK/site-$PAGES"
[ -f "$site/lotse/site.yaml" ] || python3 "$ROOT/bench/gen_site.py" --pages "$PAGES" --out "$site"
rm -rf "$WORK/prof-out" "$site/lotse/.lotse-cache"
perf record -F 499 --call-graph dwarf,32768 -o "$WORK/perf.data" \
    "$TARGET/release/lotse" build --source "$site/lotse" --output "$WORK/prof-out" >&2
rm -rf "$WORK/prof-out"

perf script -i "$WORK/perf.data" -F comm,tid,ip,sym 2>/dev/null > "$WORK/perf.txt"
echo "## Lotse, 5 x $PAGES pages: CPU samples by stage"
echo
python3 "$ROOT/bench/perf_stages.py" < "$WORK/perf.txt"
echo
echo "## Top functions by self time"
echo
echo '```'
perf report -i "$WORK/perf.data" --no-children --stdio --sort dso,symbol 2>/dev/null \
    | grep -E '^ +[0-9]' | head -25 | cut -c1-150
echo '```'
