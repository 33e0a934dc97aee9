#!/usr/bin/env bash
# The host (Linux) build of wbemsink's platform-neutral core, under the
# sanitizers (tests/host): the CMocka suite with ASan+UBSan, the same suite
# with TSan, then a bounded libFuzzer run. Exits non-zero on any failed test
# or sanitizer report (every sanitizer halts on its first report).
#
#   bash scripts/host-test.sh            # all three
#   bash scripts/host-test.sh asan|tsan|fuzz
#
# Knobs: WS_STRESS_OBJECTS (default 2000000), WS_STRESS_ROUNDS (16),
# WS_STRESS_SEED; FUZZ_RUNS (default 20000) and FUZZ_SECONDS (default 60).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src="$here/tests/host"
jobs=$(nproc)

export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_init_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:report_signal_unsafe=1"

suite() {  # $1 = address|thread, $2 = build dir suffix
    local dir="$here/build-host-$2"
    echo "== host suite, SANITIZER=$1 ($dir)"
    cmake -S "$src" -B "$dir" -DSANITIZER="$1" >/dev/null
    cmake --build "$dir" -j"$jobs"
    (cd "$dir" && ctest --output-on-failure --timeout 300 -j1)
}

fuzz() {
    local dir="$here/build-host-fuzz" runs=${FUZZ_RUNS:-20000} secs=${FUZZ_SECONDS:-60}
    echo "== libFuzzer: fuzz_sink, at most $runs runs / $secs s ($dir)"
    cmake -S "$src" -B "$dir" -DFUZZ=ON -DCMAKE_C_COMPILER=clang >/dev/null
    cmake --build "$dir" -j"$jobs"
    # A scratch corpus (the committed one stays as it is); artifacts
    # (crash-*, timeout-*) land in the build directory.
    local work="$dir/corpus-run"
    rm -rf "$work" && mkdir -p "$work"
    (cd "$dir" && ./fuzz_sink -runs="$runs" -max_total_time="$secs" -timeout=30 \
        -rss_limit_mb=2048 -artifact_prefix="$dir/" -print_final_stats=1 \
        "$work" "$src/corpus" "$src/crashes")
}

what=${1:-all}
case $what in
    asan) suite address asan ;;
    tsan) suite thread tsan ;;
    fuzz) fuzz ;;
    all) suite address asan; suite thread tsan; fuzz ;;
    *) echo "usage: $0 [asan|tsan|fuzz|all]" >&2; exit 2 ;;
esac
echo "host-test: $what passed"
