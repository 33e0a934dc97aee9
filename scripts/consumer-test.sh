#!/usr/bin/env bash
# The test_package of package managers, for one linkage: installs a build
# into a staging prefix, builds tests/consumer in a separate directory
# against it, through find_package (CMAKE_PREFIX_PATH) and through
# pkg-config, and runs both under Wine; the consumer checks it got that
# linkage. A second pkg-config program uses wbemsink's flags alone.
# Usage: consumer-test.sh [BUILD_DIR [dll|static]]   (default: build dll)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$here/build}" && pwd)
linkage=${2:-dll}
stage="$build/stage"
work="$build/consumer"
rm -rf "$stage" "$work"
cmake --install "$build" --prefix "$stage" >/dev/null
mkdir -p "$work"
if [ "$linkage" = dll ]; then
    test -f "$stage/bin/wbemsink.dll" && test -f "$stage/lib/libwbemsink.dll.a"
    test ! -e "$stage/lib/libwbemsink.a"
    pcflags=""
else
    test -f "$stage/lib/libwbemsink.a" && test ! -e "$stage/bin/wbemsink.dll"
    pcflags="--static"
fi

# 1. CMake package
cmake -S "$here/tests/consumer" -B "$work/cmake" \
    -DCMAKE_TOOLCHAIN_FILE="$here/cmake/mingw-w64-x86_64-w64-mingw32.cmake" \
    -DCMAKE_PREFIX_PATH="$stage" >/dev/null
cmake --build "$work/cmake" >/dev/null

# 2. pkg-config (--static for the static library: its Libs.private)
export PKG_CONFIG_LIBDIR="$stage/lib/pkgconfig"
x86_64-w64-mingw32-gcc -std=c11 -Wall -Wextra -Werror -o "$work/consumer_pkgconfig.exe" \
    "$here/tests/consumer/consumer.c" $(pkg-config $pcflags --cflags wbemsink wbemsink_fake) \
    $(pkg-config $pcflags --libs wbemsink wbemsink_fake) -static-libgcc
# ... and a program of the header and COM alone, with wbemsink's own
# flags: the fake's (which carry -lole32) must not make up for them.
x86_64-w64-mingw32-gcc -std=c11 -Wall -Wextra -Werror -o "$work/plain_pkgconfig.exe" \
    "$here/tests/consumer/plain.c" $(pkg-config $pcflags --cflags --libs wbemsink)

if [ "$linkage" = dll ]; then
    cp "$stage/bin/wbemsink.dll" "$work/cmake/"
    cp "$stage/bin/wbemsink.dll" "$work/"
fi
export WINEPREFIX="$here/build/wineprefix" WINEDEBUG=-all
echo "$linkage, find_package:"; /usr/lib/wine/wine64 "$work/cmake/consumer_cmake.exe" "$linkage"
echo "$linkage, pkg-config:";   /usr/lib/wine/wine64 "$work/consumer_pkgconfig.exe" "$linkage"
echo "$linkage, pkg-config, wbemsink alone:"; /usr/lib/wine/wine64 "$work/plain_pkgconfig.exe"
