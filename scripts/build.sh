#!/usr/bin/env bash
# Configures and builds wbemsink for 64-bit Windows (after setup): the DLL
# into build/, or with the argument "static" the static library
# (BUILD_SHARED_LIBS=OFF) into build-static/.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$here/scripts/setup.sh"
case "${1:-dll}" in
    dll)    dir="$here/build";        shared=ON ;;
    static) dir="$here/build-static"; shared=OFF ;;
    *) echo "usage: build.sh [dll|static]" >&2; exit 2 ;;
esac
cmake -S "$here" -B "$dir" \
    -DCMAKE_TOOLCHAIN_FILE="$here/cmake/mingw-w64-x86_64-w64-mingw32.cmake" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_SHARED_LIBS=$shared >/dev/null
cmake --build "$dir" -j"$(nproc)"
