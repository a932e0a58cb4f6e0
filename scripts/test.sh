#!/usr/bin/env bash
# Runs every test of Lotse: the Rust unit and integration tests of all crates,
# then the browser tests in headless Chromium (installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

# What the build folders take: CI machines have little disk to spare (full debug info once ran one out).
disk_report() { echo "disk: $(du -sh target fuzz/target 2>/dev/null | awk '{printf "%s %s, ", $2, $1}')$(df -h . | awk 'NR==2 {print $4 " free"}')"; }
disk_report

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

# Fuzzing with libFuzzer (`cargo fuzz`, fuzz/README.md): each target of fuzz/ for LOTSE_FUZZ_SECONDS
# (default 60; 0 skips this step) over its seed corpus in fuzz/corpus/. New inputs go to a temporary
# folder (the first corpus folder), never into the repository; a crash fails CI and names its input.
fuzz_seconds=${LOTSE_FUZZ_SECONDS:-60}
disk_report
if [ "$fuzz_seconds" -gt 0 ]; then
  step_start=$SECONDS
  # A pinned nightly and cargo-fuzz version, so a new nightly cannot break CI by itself; the wasm32
  # target because search-index's build.rs compiles the browser engine with the same toolchain.
  toolchain=nightly-2026-10-30
  if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
    rustup toolchain install "$toolchain" --profile minimal --target wasm32-unknown-unknown
  fi
  rustup +"$toolchain" target list --installed | grep -qx wasm32-unknown-unknown \
    || rustup target add --toolchain "$toolchain" wasm32-unknown-unknown
  if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz 0.13.2" ]; then
    cargo install cargo-fuzz --locked --version 0.13.2
  fi
  install_done=$SECONDS
  # The fuzz build takes about 2 GB. Where the disk is short of that (CI machines can be), the test build
  # in target/debug, which nothing below uses, makes room; the next `cargo test` builds it again.
  free_kb=$(df -Pk . | awk 'NR==2 {print $4}')
  if [ "$free_kb" -lt $((4 * 1024 * 1024)) ]; then
    echo "fuzz: only $((free_kb / 1024)) MB of disk free; removing target/debug to make room for the fuzz build"
    rm -rf target/debug
  fi
  # --dev: unoptimized (with debug assertions and AddressSanitizer) builds the ~450 crates in about a
  # third of the optimized build's time (cold on two cores: 4 vs 11.5 min), for a fifth of the runs.
  fuzz=(cargo "+$toolchain" fuzz)
  opts=(--dev --fuzz-dir fuzz --target-dir "${LOTSE_FUZZ_TARGET_DIR:-fuzz/target}")
  "${fuzz[@]}" build "${opts[@]}"
  build_done=$SECONDS
  # The three runs side by side (the machine has two cores; each still runs for the full time).
  targets=(analyze shard content)
  scratch=$(mktemp -d)
  pids=()
  for t in "${targets[@]}"; do
    mkdir "$scratch/$t"
    "${fuzz[@]}" run "${opts[@]}" "$t" "$scratch/$t" "fuzz/corpus/$t" -- \
      -max_total_time="$fuzz_seconds" -timeout=25 -rss_limit_mb=2048 >"$scratch/$t.log" 2>&1 &
    pids+=($!)
  done
  failed=0
  for i in "${!targets[@]}"; do
    t=${targets[$i]}
    if wait "${pids[$i]}"; then
      echo "fuzz $t: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$scratch/$t.log" | tail -1), no crash"
    else
      failed=$((failed + 1))
      tail -n 60 "$scratch/$t.log"
      echo
      echo "cargo fuzz found a crash in the target '$t'; the input: $(ls -t "fuzz/artifacts/$t"/* 2>/dev/null | head -1)"
      echo "Reproduce: cargo +$toolchain fuzz run --dev $t <that file>; then fix it and keep the input as a regression test (fuzz/README.md)."
      echo "Full log: $scratch/$t.log"
    fi
  done
  if [ "$failed" -gt 0 ]; then
    echo "fuzz: $(( ${#targets[@]} - failed )) passed, $failed failed"
    exit 1
  fi
  rm -rf "$scratch"
  echo "fuzz: ${#targets[@]} passed, 0 failed"
  echo "fuzz step: $((SECONDS - step_start)) s (install $((install_done - step_start)) s, build $((build_done - install_done)) s, run $((SECONDS - build_done)) s)"
fi
disk_report
