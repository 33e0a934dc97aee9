#!/usr/bin/env bash
# Offline test of the vcpkg port (ports/wbemsink), vcpkg itself not being
# available here: for x64-mingw-dynamic and x64-mingw-static, runs the
# port's portfile.cmake with stand-ins for the vcpkg helpers and vcpkg's
# post-build checks (ports/wbemsink/test/check-layout.cmake), then builds a
# test_package against the resulting package directory through
# find_package (Release and Debug) and pkg-config (lib/pkgconfig and
# debug/lib/pkgconfig) and runs it under Wine, and runs the installed wbemq.
# One line per check; exits non-zero if any failed. Needs scripts/setup.sh.
# Work tree: build-vcpkg/ (git-ignored); Wine prefix build/wineprefix if
# the main build made one, else build-vcpkg/wineprefix.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$here/build-vcpkg"
test_dir="$here/ports/wbemsink/test"
toolchain="$here/cmake/mingw-w64-x86_64-w64-mingw32.cmake"
# The main build's Wine prefix when there is one; else one of our own.
if [ -d "$here/build/wineprefix" ]; then
    export WINEPREFIX="$here/build/wineprefix"
else
    export WINEPREFIX="$out/wineprefix"
fi
export WINEDEBUG=-all
wine=/usr/lib/wine/wine64
mkdir -p "$out"
if [ ! -d "$WINEPREFIX" ]; then "$wine" wineboot -i >/dev/null 2>&1 || true; fi

failed=0
ok()   { echo "  ok    $*"; }
fail() { echo "  FAIL  $*"; failed=$((failed + 1)); }

# run_consumer <label> <exe> <dll|static>: runs it under Wine; it checks
# that it got that linkage.
run_consumer() {
    local label=$1 exe=$2 linkage=$3 said
    if said=$("$wine" "$exe" "$linkage" 2>&1) && [[ $said == *" 0 failed"* ]]; then
        ok "$label: ${said//$'\r'/}"
    else
        fail "$label: ${said//$'\r'/}"
    fi
}

for triplet in x64-mingw-dynamic x64-mingw-static; do
    work="$out/$triplet"
    pkg="$work/packages/wbemsink_$triplet"
    if [ "$triplet" = x64-mingw-dynamic ]; then linkage=dll; else linkage=static; fi
    echo "== $triplet"
    if ! cmake -DTRIPLET="$triplet" -DWORK="$work" -P "$test_dir/check-layout.cmake" 2>&1 |
         grep -v '^-- Installing:'; then
        fail "$triplet: portfile or post-build checks failed (logs in $work/buildtrees)"
        continue
    fi

    echo "$triplet: test_package against the package directory"
    # find_package(wbemsink CONFIG), Release and Debug (the merged
    # wbemsinkTargets-debug.cmake points into debug/).
    for cfg in Release Debug; do
        b="$work/consumer-cmake-$cfg"
        rm -rf "$b"
        if ! log=$(cmake -S "$test_dir/consumer" -B "$b" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
                     -DCMAKE_BUILD_TYPE=$cfg -DVCPKG_STYLE_PREFIX="$pkg" 2>&1) ||
           ! build=$(cmake --build "$b" 2>&1); then
            fail "find_package ($cfg): configure or build failed: ${log:-} ${build:-}"
            continue
        fi
        if [[ $log != *"wbemsink found in $pkg/share/wbemsink"* ]]; then
            fail "find_package ($cfg): not found in $pkg/share/wbemsink: $(grep 'found in' <<<"$log")"
        fi
        if [ $linkage = dll ]; then
            if [ $cfg = Debug ]; then cp "$pkg/debug/bin/wbemsink.dll" "$b/"; else cp "$pkg/bin/wbemsink.dll" "$b/"; fi
        fi
        run_consumer "find_package ($cfg)" "$b/consumer.exe" $linkage
    done

    # pkg-config, without --static: vcpkg merged Libs.private into Libs.
    for cfg in release debug; do
        root=$pkg; [ $cfg = debug ] && root=$pkg/debug
        b="$work/consumer-pkgconfig-$cfg"
        rm -rf "$b"; mkdir -p "$b"
        flags=$(PKG_CONFIG_LIBDIR="$root/lib/pkgconfig" pkg-config --cflags --libs wbemsink wbemsink_fake 2>&1) || true
        if [ $linkage = static ]; then
            if [[ " $flags " == *" -DWBEMSINK_STATIC "* && " $flags " == *" -lwbemuuid "* ]]; then
                ok "pkg-config ($cfg): -DWBEMSINK_STATIC and -lwbemuuid without --static (Libs.private merged)"
            else
                fail "pkg-config ($cfg): -DWBEMSINK_STATIC or -lwbemuuid missing without --static: $flags"
            fi
        fi
        if [ -n "$flags" ] &&
           x86_64-w64-mingw32-gcc -std=c11 -o "$b/consumer.exe" "$here/tests/consumer/consumer.c" $flags -static-libgcc 2>&1; then
            [ $linkage = dll ] && cp "$root/bin/wbemsink.dll" "$b/"
            run_consumer "pkg-config ($cfg/lib/pkgconfig)" "$b/consumer.exe" $linkage
        else
            fail "pkg-config ($cfg): build failed with: $flags"
        fi
    done

    # The tool, as vcpkg installs it (tools/wbemsink, with its DLL beside).
    if said=$("$wine" "$pkg/tools/wbemsink/wbemq.exe" --help 2>&1) && [[ $said == usage:* ]]; then
        ok "tools/wbemsink/wbemq.exe --help runs"
    else
        fail "tools/wbemsink/wbemq.exe --help: ${said:-did not run}"
    fi
done

if [ $failed -ne 0 ]; then
    echo "vcpkg layout test: $failed check(s) FAILED"
    exit 1
fi
echo "vcpkg layout test: all checks passed"
