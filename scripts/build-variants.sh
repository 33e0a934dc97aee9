#!/usr/bin/env bash
# The other compilers, warnings as errors (-Wall -Wextra -Werror):
#  - i686 (32-bit) MinGW-w64 GCC: built only; Debian's wine64 cannot run
#    32-bit programs (that needs wine32 from the i386 architecture).
#  - clang targeting MinGW-w64 (x86_64): built, and its tests run under Wine.
# Needs scripts/setup.sh first.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

echo "== i686-w64-mingw32-gcc (build only) =="
cmake -S "$here" -B "$here/build-i686" \
    -DCMAKE_TOOLCHAIN_FILE="$here/cmake/mingw-w64-i686-w64-mingw32.cmake" >/dev/null
cmake --build "$here/build-i686" -j"$(nproc)" >/dev/null
echo "i686 build: ok, no warnings"

echo "== clang --target=x86_64-w64-mingw32 =="
cmake -S "$here" -B "$here/build-clang" \
    -DCMAKE_TOOLCHAIN_FILE="$here/cmake/clang-mingw-w64-x86_64.cmake" \
    -DCMOCKA_ROOT="$here/.deps/cmocka-x86_64-w64-mingw32" >/dev/null
cmake --build "$here/build-clang" -j"$(nproc)" >/dev/null
echo "clang build: ok, no warnings"
cd "$here/build-clang"
ctest --output-on-failure -j2 --repeat until-pass:2
