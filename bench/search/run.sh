#!/usr/bin/env bash
# Lotse vs Pagefind search benchmark. Reproduces the "## Search: Lotse vs Pagefind" section of BENCHMARKS.md.
#
#   bench/search/run.sh [relevance|speed|all]      (default: all; run from anywhere)
#
# Needs: cargo, node 20 + npm, python3, /usr/bin/chromium, and the repo's parent folder holding shared/
# (../shared/bench/integreat-qa and ../shared/tools/search-bench/harness). Scratch goes to $WORK
# (default /tmp/lotse-bench-search); results go to $OUT (default bench/search/out/, not committed).
# Environment: LOTSE=path/to/lotse skips `cargo build` and uses that binary; PAGES (2000) and N (15 cold
# queries per language) size the speed run; QLIMIT limits the questions per language (0 = all) for a smoke test.
#   relevance: integreat-qa built by Lotse, Pagefind over the same HTML (as is, and --root-selector main),
#              every test + dev question through both in headless Chromium → out/relevance.{md,json}
#   speed:     bench/gen_site.py at 2,000 pages per language (5 languages), built by Lotse, Pagefind over the
#              same HTML; the shared harness measures cold queries (de + ar, 15 each, 4x CPU, fast3g) and
#              typeahead of المستشفى, Lotse's preload(lang) bytes, and sizes.py sums each engine's files per
#              language → out/speed.md
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
WORK="${WORK:-/tmp/lotse-bench-search}"
OUT="${OUT:-$HERE/out}"
HARNESS="../shared/tools/search-bench/harness"
WHAT="${1:-all}"
PAGES="${PAGES:-2000}"
N="${N:-15}"
QLIMIT="${QLIMIT:-0}"
mkdir -p "$WORK" "$OUT"

if [[ -z "${LOTSE:-}" ]]; then
  timeout 1800 cargo build --release
  LOTSE="$ROOT/target/release/lotse"
fi
# npm ci rejects this lock (optional per-platform pagefind packages), so install from it
(cd "$HERE" && timeout 300 npm install --no-audit --no-fund >/dev/null)
PAGEFIND="$HERE/node_modules/.bin/pagefind"

if [[ "$WHAT" == relevance || "$WHAT" == all ]]; then
  rm -rf "$WORK/iqa"
  timeout 600 "$LOTSE" build --source ../shared/bench/integreat-qa --output "$WORK/iqa"
  # Pagefind over the same HTML: as is (no data-pagefind-body anywhere → whole <body>), and limited to <main>.
  timeout 600 "$PAGEFIND" --site "$WORK/iqa" --quiet
  timeout 600 "$PAGEFIND" --site "$WORK/iqa" --root-selector main --output-subdir pagefind-main --quiet
  timeout 3600 node "$HERE/relevance.mjs" --site "$WORK/iqa" --splits test,dev \
    --engines lotse,pagefind,pagefind-main,pagefind-or --limit-per-lang "$QLIMIT" --out "$OUT/relevance.json" | tee "$OUT/relevance.md"
fi

if [[ "$WHAT" == speed || "$WHAT" == all ]]; then
  rm -rf "$WORK/syn" "$WORK/synout"
  timeout 900 python3 bench/gen_site.py --pages "$PAGES" --out "$WORK/syn"
  /usr/bin/time -f "lotse build: %e s wall, %M KB max RSS" -o "$OUT/build-lotse.txt" \
    timeout 1800 "$LOTSE" build --source "$WORK/syn/lotse" --output "$WORK/synout"
  /usr/bin/time -f "pagefind: %e s wall, %M KB max RSS" -o "$OUT/build-pagefind.txt" \
    timeout 1800 "$PAGEFIND" --site "$WORK/synout" --quiet
  python3 "$HERE/make_queries.py" "$WORK/syn/lotse/content" --langs de,ar --n "$N" --out "$OUT/queries.json"
  printf '[{"q": "المستشفى", "label": "ar", "page": "/ar/search/"}]\n' > "$OUT/typeahead.json"
  for e in lotse pagefind; do
    snip="$HARNESS/snippets/pagefind.js"; [[ $e == lotse ]] && snip="$HERE/snippets/lotse.js"
    timeout 1800 node "$HARNESS/measure-search.js" --dir "$WORK/synout" --page /de/search/ --snippet-file "$snip" \
      --queries-file "$OUT/queries.json" --mode cold --reps 1 --cpu 4 --throttle fast3g --out "$OUT/cold-$e.json"
    timeout 900 node "$HARNESS/measure-search.js" --dir "$WORK/synout" --page /ar/search/ --snippet-file "$snip" \
      --queries-file "$OUT/typeahead.json" --mode typeahead --cpu 4 --throttle fast3g --out "$OUT/typeahead-$e.json"
  done
  # Offline size as Lotse's preload(lang) downloads it (one fresh context per language, no throttling).
  python3 -c 'import json,sys; json.dump([{"q": "preload", "label": l, "page": "/%s/search/" % l} for l in sys.argv[2:]], open(sys.argv[1], "w"))' \
    "$OUT/preload.json" de en fr ar fa
  timeout 900 node "$HARNESS/measure-search.js" --dir "$WORK/synout" --page /de/search/ --snippet-file "$HERE/snippets/lotse-preload.js" \
    --queries-file "$OUT/preload.json" --mode cold --reps 1 --throttle none --out "$OUT/preload-lotse.json"
  {
    python3 "$HERE/summarize.py" "$OUT" lotse pagefind
    echo
    python3 "$HERE/sizes.py" "$WORK/synout" --json "$OUT/sizes.json"
    echo
    cat "$OUT/build-lotse.txt" "$OUT/build-pagefind.txt"
  } | tee "$OUT/speed.md"
fi
