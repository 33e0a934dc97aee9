#!/usr/bin/env bash
# Installs what a fresh Debian (bookworm) machine lacks to build and test
# wbemsink, then builds CMocka for MinGW-w64 from Debian's source package.
# (The packages on the list's last line are what scripts/msys2-package-test.sh
# checks the MSYS2 PKGBUILD with.)
# Idempotent: each step is skipped when its result is already there.
# --packages-only: the packages, not CMocka (scripts/run.sh builds no test).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deps="$here/.deps"              # CMocka builds live here (git-ignored)

sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 mingw-w64-x86-64-dev
          gcc-mingw-w64-i686 g++-mingw-w64-i686 mingw-w64-i686-dev lld
          libclang-rt-14-dev
          wine64 cmake make dpkg-dev libcmocka-dev gcc clang pkg-config
          makepkg pacman-package-manager libarchive-tools fakeroot ninja-build)

# One dpkg-query for the lot (a second run of run.sh is meant to be quick).
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null |
            awk '/ ok installed$/ {print $1}' || true)
missing=()
for p in "${packages[@]}"; do
    grep -qx "$p" <<<"$installed" || missing+=("$p")
done

# apt-get source needs a deb-src entry: mirror the binary entry of
# debian.sources (same URIs and keyring) for bookworm/main.
srcfile=/etc/apt/sources.list.d/wbemsink-deb-src.sources
need_update=0
if [ ! -f "$srcfile" ] && [ "${1:-}" != --packages-only ]; then
    uris=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    key=$(awk '/^Signed-By:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: %s\n' \
        "$uris" "$key" | sudo_ tee "$srcfile" >/dev/null
    need_update=1
fi

if [ ${#missing[@]} -gt 0 ] || [ $need_update -eq 1 ]; then
    export DEBIAN_FRONTEND=noninteractive
    sudo_ apt-get update -q
fi
if [ ${#missing[@]} -gt 0 ]; then
    sudo_ apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# CMocka for MinGW-w64, built once from Debian's source package.
build_cmocka() {  # $1 = target triplet
    local triplet=$1 prefix="$deps/cmocka-$1"
    [ -f "$prefix/lib/libcmocka-static.a" ] && return 0
    mkdir -p "$deps/src"
    if [ ! -d "$deps/src/cmocka" ]; then
        (cd "$deps/src" && apt-get source -q cmocka >/dev/null &&
         mv "$(find . -maxdepth 1 -type d -name 'cmocka-*' | head -n1)" cmocka)
    fi
    cmake -S "$deps/src/cmocka" -B "$deps/build-cmocka-$triplet" \
        -DCMAKE_TOOLCHAIN_FILE="$here/cmake/mingw-w64-$triplet.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
        -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF \
        -DBUILD_SHARED_LIBS=OFF >/dev/null
    cmake --build "$deps/build-cmocka-$triplet" -j"$(nproc)" >/dev/null
    cmake --install "$deps/build-cmocka-$triplet" >/dev/null
}
if [ "${1:-}" = --packages-only ]; then
    echo "setup: packages ready"
    exit 0
fi
build_cmocka x86_64-w64-mingw32
build_cmocka i686-w64-mingw32
echo "setup: ready (CMocka for MinGW in $deps)"
