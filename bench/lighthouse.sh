#!/usr/bin/env bash
# Lighthouse (mobile preset: Moto G Power, slow 4G, 4× CPU) on the demo portal, the pages of the
# browser accessibility tests, in de, ar and fa. Served like a production host (bench/lighthouse/serve.mjs:
# precompressed files and _headers). Prints a Markdown table of the four category scores.
#
#   bash bench/lighthouse.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-/tmp/lotse-bench}/lighthouse
mkdir -p "$WORK"
command -v chromium >/dev/null || { apt-get update >/dev/null && apt-get install -y chromium >/dev/null; }
(cd "$ROOT/bench/lighthouse" && npm ci --silent)
(cd "$ROOT" && cargo build --release --quiet)
SOURCE_DATE_EPOCH=$(date +%s) "$ROOT/target/release/lotse" build --source "$ROOT" --output "$WORK/site" >/dev/null 2>&1
node "$ROOT/bench/lighthouse/serve.mjs" "$WORK/site" 8765 & SERVER=$!
trap 'kill $SERVER' EXIT
sleep 1
echo "| page | performance | accessibility | best practices | SEO |"
echo "|---|---:|---:|---:|---:|"
for lang in de ar fa; do
  for path in "" gesundheit/krankenversicherung/ orte/ search/ orte/migrationsberatung-caritas/ termine/sprachcafe-donnerstag/; do
    out="$WORK/$lang-${path//\//_}.json"
    CHROME_PATH=$(command -v chromium) "$ROOT/bench/lighthouse/node_modules/.bin/lighthouse" "http://127.0.0.1:8765/$lang/$path" \
      --quiet --output=json --output-path="$out" --chrome-flags="--headless=new --no-sandbox" >/dev/null 2>&1 || true
    python3 - "$out" "/$lang/$path" <<'PY'
import json, sys
try:
    c = json.load(open(sys.argv[1]))["categories"]
    s = [round((c[k]["score"] or 0) * 100) for k in ("performance", "accessibility", "best-practices", "seo")]
    print(f"| {sys.argv[2]} | " + " | ".join(map(str, s)) + " |")
except Exception as e:
    print(f"| {sys.argv[2]} | failed: {e} | | | |")
PY
  done
done
