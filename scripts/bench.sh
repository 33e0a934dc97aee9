#!/usr/bin/env bash
# Builds wbemsink (quietly), runs every benchmark of bench/ under Wine and
# prints one markdown table to stdout (progress goes to stderr):
#
#   bash scripts/bench.sh              # about 2.5 minutes on 2 cores once built
#   bash scripts/bench.sh --no-build   # use build/ as it is
#
# Environment: WINE (default /usr/lib/wine/wine64), WBEMSINK_BUILD (default
# build/), BENCH_QUICK=1 for a short smoke run (figures not meaningful).
# On Windows run the build/bench/*.exe programs directly (bench/README.md).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${WBEMSINK_BUILD:-$here/build}
wine=${WINE:-/usr/lib/wine/wine64}

if [ "${1:-}" != "--no-build" ]; then
    log=$(mktemp)
    bash "$here/scripts/build.sh" >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
    rm -f "$log"
fi

export WINEPREFIX="$build/wineprefix" WINEDEBUG=-all
[ -f "$WINEPREFIX/system.reg" ] || "$wine" wineboot --init >/dev/null 2>&1

# Sizes: objects per throughput run and repetitions of each figure.
if [ "${BENCH_QUICK:-0}" = 1 ]; then
    lat=(500 2) thr=(24000 2) mem=(20000 20000 2) fan=(200 1) wmi=(10) paced=(20000 1) fleet=(100 1)
else
    lat=(2000 5) thr=(1200000 5) mem=(100000 100000 3) fan=(1000 3) wmi=(100) paced=(1000000 3) fleet=(1000 3)
fi

run() {   # run <program> <args...>: its rows, CRs stripped
    echo "running $1 ${*:2}" >&2
    "$wine" "$build/bench/$1.exe" "${@:2}" | tr -d '\r'
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
kernel=$(uname -sr)
winever=$("$wine" --version 2>/dev/null || echo "wine ?")
os=$( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null || echo "?")

rows=$(
    run bench_latency "${lat[@]}"
    run bench_throughput "${thr[@]}"
    run bench_memory "${mem[@]}"
    run bench_fanout "${fan[@]}"
    run bench_wmi "${wmi[@]}"
    run bench_paced "${paced[@]}"
    run bench_fleet "${fleet[@]}"
)

cat <<EOF
Machine: $cpu, $(nproc) cores, $os ($kernel), $winever; $(date -u +%Y-%m-%d).
Cells: median [min-max] over repeated runs. Runs: latency ${lat[1]} x ${lat[0]} Indicates
(baseline (a): 3 x $((lat[0] / 20))); throughput ${thr[1]} x ${thr[0]} objects per configuration;
memory ${mem[2]} runs; fan-out ${fan[1]} x ${fan[0]} sinks; real WMI ${wmi[0]} queries per mode;
paced ${paced[1]} x ${paced[0]} objects per path; fleet ${fleet[1]} x ${fleet[0]} simulated hosts.
(a) Microsoft's sample sink shape (work inline under a critical section);
(b) hand-written queue (critical section + condition variable + one node per object);
(c) floor: AddRef on the producer, Release on the consumer, no queue (for 5: a bare sink).

| # | configuration | wbemsink | (a) MS sample | (b) mutex+condvar list | (c) floor / bare sink | ratio | target |
|---|---|---|---|---|---|---|---|
$rows
EOF
