#!/usr/bin/env bash
# Installs the build into a staging prefix, then builds tests/consumer in a
# separate directory against it, through find_package and through
# pkg-config, and runs both under Wine. Needs scripts/build.sh first.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$here/build"
stage="$build/stage"
work="$build/consumer"
rm -rf "$stage" "$work"
cmake --install "$build" --prefix "$stage" >/dev/null
mkdir -p "$work"

# 1. CMake package
cmake -S "$here/tests/consumer" -B "$work/cmake" \
    -DCMAKE_TOOLCHAIN_FILE="$here/cmake/mingw-w64-x86_64-w64-mingw32.cmake" \
    -Dwbemsink_DIR="$stage/lib/cmake/wbemsink" >/dev/null
cmake --build "$work/cmake" >/dev/null

# 2. pkg-config
export PKG_CONFIG_LIBDIR="$stage/lib/pkgconfig"
x86_64-w64-mingw32-gcc -std=c11 -Wall -Wextra -Werror -o "$work/consumer_pkgconfig.exe" \
    "$here/tests/consumer/consumer.c" $(pkg-config --cflags wbemsink wbemsink_fake) \
    $(pkg-config --libs wbemsink wbemsink_fake) -static-libgcc

cp "$stage/bin/wbemsink.dll" "$work/cmake/"
cp "$stage/bin/wbemsink.dll" "$work/"
export WINEPREFIX="$build/wineprefix" WINEDEBUG=-all
echo "find_package:"; /usr/lib/wine/wine64 "$work/cmake/consumer_cmake.exe"
echo "pkg-config:";   /usr/lib/wine/wine64 "$work/consumer_pkgconfig.exe"
