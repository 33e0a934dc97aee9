#!/usr/bin/env bash
# wbemsink as a subproject (tests/subproject): through add_subdirectory and
# through FetchContent the parent gets the library alone (no tests,
# examples, benchmarks, wbemq, fake or install rules), its program links
# wbemsink::wbemsink and runs under Wine; switched on, the extras appear.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
toolchain="$here/cmake/mingw-w64-x86_64-w64-mingw32.cmake"
export WINEPREFIX="$here/build/wineprefix" WINEDEBUG=-all
fail() { echo "subproject: $*" >&2; exit 1; }

targets() { cmake --build "$1" --target help | sed -n 's/^\.\.\. \([^ ]*\).*/\1/p'; }

for mode in add_subdirectory FetchContent; do
    dir="$here/build-subproject/$mode"
    rm -rf "$dir"
    fc=OFF; [ "$mode" = FetchContent ] && fc=ON
    cmake -S "$here/tests/subproject" -B "$dir" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
        -DWBEMSINK_SOURCE_DIR="$here" -DUSE_FETCHCONTENT=$fc >/dev/null
    t=$(targets "$dir")
    echo "$t" | grep -qx wbemsink || fail "$mode: no wbemsink target"
    extra=$(echo "$t" | grep -E '^(wbemq|wbemsink_fake|wbemsink_bench|fake_selftest|test_.*|bench_.*|query|pull|paced|events)$' || true)
    [ -z "$extra" ] || fail "$mode: built more than the library: $extra"
    grep -rq "wbemsink.h" "$dir" --include=cmake_install.cmake && fail "$mode: install rules generated"
    cmake --build "$dir" -j2 >/dev/null
    dll=$(find "$dir" -name wbemsink.dll | head -1)
    [ -n "$dll" ] || fail "$mode: no wbemsink.dll"
    cp "$dll" "$dir/"
    echo "$mode: the library alone ($(echo "$t" | grep -vE '^(all|clean|depend|edit_cache|rebuild_cache|list_install_components|install.*)$' | tr '\n' ' '))"
    /usr/lib/wine/wine64 "$dir/app.exe"
done

# Switched on from the parent, the extras are there.
dir="$here/build-subproject/add_subdirectory"
cmake "$dir" -DWBEMSINK_BUILD_WBEMQ=ON -DWBEMSINK_BUILD_EXAMPLES=ON -DWBEMSINK_INSTALL=ON >/dev/null
t=$(targets "$dir")
for want in wbemq query paced; do
    echo "$t" | grep -qx "$want" || fail "WBEMSINK_BUILD_*=ON: no $want target"
done
grep -rq "wbemsink.h" "$dir" --include=cmake_install.cmake || fail "WBEMSINK_INSTALL=ON: no install rules"
echo "switched on: wbemq, the examples and the install rules appear"
