#!/usr/bin/env bash
# Content types at portal scale: builds the typed portal (bench/gen_portal.py: 150 places, 700 offers,
# 2,000 jobs, 300 events, five languages) and the plain-page site of the same size (--plain: same files,
# titles, categories and bodies, no types), alternating, and prints a Markdown table (median of the
# runs) and the LOTSE_TIMINGS stage times of each site's median run.
#
#   bash bench/build-types.sh
#
# Environment:
#   BENCH_DIR    work folder for the generated sites and outputs (default /tmp/lotse-bench)
#   BENCH_RUNS   builds per site (default 3)
#   BENCH_SLEEP  seconds to wait after deleting the previous output (default 10: ext4 on this
#                machine is slow for a while after many files are deleted)
#   BENCH_SRC    the Lotse source tree to build (default: this repository). On a shared tree, others'
#                uncommitted work ends up in the binary; a clean tree of one commit:
#                  git worktree add --detach /tmp/lotse-wt HEAD
#                  BENCH_SRC=/tmp/lotse-wt CARGO_TARGET_DIR=/tmp/lotse-wt-target bash bench/build-types.sh
#
# The binary is copied into BENCH_DIR before the first run, so a rebuild by someone else during the
# runs does not change what is measured.
#
# Every build runs with SOURCE_DATE_EPOCH=1795000000 (2026-11-18), so that expiry and "upcoming"
# are the same on every run. Needs python3, cargo, /usr/bin/time. Writes nothing in the repository
# but target/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-/tmp/lotse-bench}
RUNS=${BENCH_RUNS:-3}
SLEEP=${BENCH_SLEEP:-10}
EPOCH=1795000000   # set for the builds only: exported to cargo, it can make dependencies rebuild

log() { printf '%s\n' "$*" >&2; }

if [ ! -x /usr/bin/time ]; then
    log "installing GNU time"
    apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi

SRC=$(cd "${BENCH_SRC:-$ROOT}" && pwd)
mkdir -p "$WORK"
for try in 1 2 3 4 5; do   # others may be mid-edit: retry a failed build
    if (cd "$SRC" && cargo build --release) >"$WORK/cargo.log" 2>&1; then break; fi
    [ "$try" = 5 ] && { tail -30 "$WORK/cargo.log" >&2; log "cargo build --release failed 5 times"; exit 1; }
    log "release build failed (try $try); retrying in 60 s"
    sleep 60
done
LOTSE="$WORK/lotse-types.bin"
cp "${CARGO_TARGET_DIR:-$SRC/target}/release/lotse" "$LOTSE"
LOTSE_REV=$(cd "$SRC" && git rev-parse --short HEAD)
(cd "$SRC" && git diff --quiet HEAD -- src crates themes i18n Cargo.toml Cargo.lock 2>/dev/null && \
    [ -z "$(git ls-files --others --exclude-standard -- src crates themes i18n)" ]) || LOTSE_REV="$LOTSE_REV+uncommitted changes"
log "Lotse: built in $SRC (commit $LOTSE_REV), measuring the copy $LOTSE"

# --- the sites ---------------------------------------------------------------------------------
[ -f "$WORK/portal-typed/site.yaml" ] || python3 "$ROOT/bench/gen_portal.py" --out "$WORK/portal-typed"
[ -f "$WORK/portal-plain/site.yaml" ] || python3 "$ROOT/bench/gen_portal.py" --plain --out "$WORK/portal-plain"

RESULTS="$WORK/types-results.tsv"
printf 'site\trun\twall_s\tuser_s\tsys_s\tpeak_kb\tpages\tfiles\tload\n' > "$RESULTS"

# run_one SITE RUN
run_one() {
    local site=$1 run=$2 out="$WORK/out-$1" tf="$WORK/types-time.txt" logf="$WORK/types-$1-$2.log" status=0
    rm -rf "$out" "$WORK/portal-$site/.lotse-cache"
    sync
    sleep "$SLEEP"
    local load0
    load0=$(cut -d' ' -f1 /proc/loadavg)
    SOURCE_DATE_EPOCH=$EPOCH LOTSE_TIMINGS=1 /usr/bin/time -f "%e %U %S %M" -o "$tf" \
        "$LOTSE" build --source "$WORK/portal-$site" --output "$out" >"$logf" 2>&1 || status=$?
    if [ "$status" != 0 ]; then
        log "the $site build failed (exit $status); its output:"
        head -50 "$logf" >&2
        exit 1
    fi
    local wall user sys peak pages files
    read -r wall user sys peak < <(tail -1 "$tf")
    pages=$(grep -o 'Built [0-9]* pages' "$logf" | grep -o '[0-9]*' || echo '?')
    files=$(find "$out" -type f | wc -l)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$site" "$run" "$wall" "$user" "$sys" "$peak" "$pages" "$files" "$load0" >> "$RESULTS"
    log "  $site run $run: $wall s wall, $user s user + $sys s sys, $((peak / 1024)) MB, $files files (load $load0 before)"
}

for run in $(seq 1 "$RUNS"); do
    for site in plain typed; do   # alternate, so that both see the same machine
        run_one "$site" "$run"
    done
done
rm -rf "$WORK/out-plain" "$WORK/out-typed"

# --- the table ---------------------------------------------------------------------------------
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo); Lotse at commit $LOTSE_REV; SOURCE_DATE_EPOCH=$EPOCH"
echo
python3 - "$RESULTS" "$WORK" <<'EOF'
import csv, os, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
work = sys.argv[2]
print("| site | pages | files | runs | wall s (median) | CPU s (user + sys) | peak MB | load before |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
medians = {}
for site in ("plain", "typed"):
    rs = [r for r in rows if r["site"] == site]
    if not rs:
        continue
    rs_sorted = sorted(rs, key=lambda r: float(r["wall_s"]))
    med = rs_sorted[len(rs_sorted) // 2]
    medians[site] = med
    wall = statistics.median(float(r["wall_s"]) for r in rs)
    cpu = statistics.median(float(r["user_s"]) + float(r["sys_s"]) for r in rs)
    user = statistics.median(float(r["user_s"]) for r in rs)
    sys_ = statistics.median(float(r["sys_s"]) for r in rs)
    peak = statistics.median(int(r["peak_kb"]) for r in rs) / 1024
    loads = " / ".join(r["load"] for r in rs)
    print(f"| {site} | {int(med['pages']):,} | {int(med['files']):,} | {len(rs)} | {wall:.2f} | {cpu:.2f} ({user:.2f} + {sys_:.2f}) | {peak:,.0f} | {loads} |")
print()
print("Per run (wall / user / sys / peak MB):")
print()
for r in rows:
    print(f"- {r['site']} run {r['run']}: {r['wall_s']} / {r['user_s']} / {r['sys_s']} / {int(r['peak_kb']) / 1024:,.0f}")
print()
print("`LOTSE_TIMINGS=1` of each site's median run (ms):")
print()
stages = {}
order = []
for site, med in medians.items():
    for line in open(os.path.join(work, f"types-{site}-{med['run']}.log"), encoding="utf-8"):
        line = line.rstrip()
        if line.endswith(")") and line.startswith("Built"):
            continue
        parts = line.strip().split("ms", 1)
        if len(parts) == 2:
            try:
                ms = float(parts[0])
            except ValueError:
                continue
            name = parts[1].split("[CPU", 1)[0].strip()
            if name not in stages:
                order.append(name)
                stages[name] = {}
            stages[name][site] = ms
sites = list(medians)
print("| stage | " + " | ".join(sites) + " |")
print("| --- |" + " ---: |" * len(sites))
for name in order:
    print(f"| {name} | " + " | ".join(f"{stages[name][s]:,.0f}" if s in stages[name] else "" for s in sites) + " |")
EOF
