#!/usr/bin/env bash
# Runs every test of Lotse: the Rust unit and integration tests of all crates,
# then the browser tests in headless Chromium (installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --workspace --locked

# The demo portal passes its own pre-merge check (links, anchors, schemas, accessibility, Leichte
# Sprache); external links are not asked from CI.
target/debug/lotse check --offline --source .

# Reproducible: the demo portal built twice, in two folders, gives byte-identical files.
repro=$(mktemp -d)
SOURCE_DATE_EPOCH=1795000000 target/debug/lotse build --source . --output "$repro/a" 2>/dev/null
SOURCE_DATE_EPOCH=1795000000 target/debug/lotse build --source . --output "$repro/b" 2>/dev/null
diff -r "$repro/a" "$repro/b" >/dev/null || { echo "two builds of the demo differ:"; diff -rq "$repro/a" "$repro/b" | head; exit 1; }
rm -rf "$repro"

if [ -f tests/browser/package.json ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    echo "Installing Chromium for the browser tests…"
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi
  fi
  (cd tests/browser && npm ci --no-audit --no-fund --silent)
  # The debug binary that `cargo test` just built; the search engines inside it are
  # always release builds (build.rs), so the browser runs the real thing.
  LOTSE_BIN="$PWD/target/debug/lotse" node --test tests/browser/*.test.mjs
fi
