#!/usr/bin/env bash
# The main job: builds what it runs (the library and wbemq, nothing else,
# into build-run/) and runs wbemq, the command-line tool built on the
# library, on a real asynchronous WMI query (under Wine on Linux). With no
# arguments it lists the processes; arguments go to wbemq, e.g.
#   bash scripts/run.sh "SELECT Name, State FROM Win32_Service"
#   bash scripts/run.sh --format jsonl "SELECT * FROM Win32_OperatingSystem"
# Each step prints a line with its time on stderr (logs in build-run/logs/);
# stdout is wbemq's alone. build-run/ is its own: scripts/test.sh's build/
# (tests, examples, benchmarks) is neither needed nor touched.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir="$here/build-run"
logs="$dir/logs"
wine=/usr/lib/wine/wine64
export STEP_FD=2
. "$here/scripts/lib/steps.sh"
t0=$SECONDS

step "setup: packages" "$logs/setup.log" bash "$here/scripts/setup.sh" --packages-only || exit 1
if [ ! -f "$dir/CMakeCache.txt" ]; then
    step "configure build-run/ (the DLL and wbemq only)" "$logs/configure.log" \
        cmake -S "$here" -B "$dir" \
        -DCMAKE_TOOLCHAIN_FILE="$here/cmake/mingw-w64-x86_64-w64-mingw32.cmake" \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_SHARED_LIBS=ON \
        -DWBEMSINK_BUILD_TESTS=OFF -DWBEMSINK_BUILD_EXAMPLES=OFF -DWBEMSINK_BUILD_BENCH=OFF \
        -DWBEMSINK_BUILD_FAKE=OFF -DWBEMSINK_BUILD_WBEMQ=ON || exit 1
fi
step "build wbemsink.dll and wbemq.exe" "$logs/build.log" \
    cmake --build "$dir" --target wbemq -j"$(nproc)" || exit 1
export WINEPREFIX="$dir/wineprefix" WINEDEBUG=-all
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    step "Wine prefix (first run only)" "$logs/wineboot.log" "$wine" wineboot --init || exit 1
fi
[ $# -gt 0 ] || set -- "SELECT Name, ProcessId FROM Win32_Process"
step_say "run.sh: ready in $((SECONDS - t0)) s; wbemq $*"
exec "$wine" "$dir/tools/wbemq/wbemq.exe" "$@"
