#!/usr/bin/env bash
# Checks packaging/msys2/PKGBUILD on Debian with Debian's makepkg:
#  1. installs makepkg, pacman and bsdtar when missing (scripts/setup.sh
#     lists them too);
#  2. makepkg --printsrcinfo in the environment makepkg-mingw sets for
#     MINGW64, UCRT64 and CLANG64, and asserts its pkgbase, pkgname, pkgver,
#     license, dependencies; and the PKGBUILD's mingw_arch;
#  3. runs the PKGBUILD's build() and package() through real makepkg
#     (--nodeps --nocheck, uncompressed .pkg.tar), cross-compiling: the
#     PKGBUILD's plain `cmake` reads CMAKE_TOOLCHAIN_FILE from the
#     environment. check() is skipped: it is ctest run natively on MSYS2,
#     and CI runs the same suite under Wine elsewhere (scripts/test.sh);
#  4. asserts the package tree (${pkgdir}/mingw64/...), the archive's file
#     list and .PKGINFO, and that no installed .cmake/.pc file names a
#     build-tree path;
#  5. builds tests/consumer against the package tree, through find_package
#     and through pkg-config, and runs both under Wine.
# makepkg refuses to run as root: it runs as an unprivileged user (created
# when missing) on a copy of the tree that user owns.
# Needs scripts/setup.sh first (MinGW-w64, Wine, CMake, pkg-config).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builder=${WBEMSINK_PKG_USER:-wbemsink-pkg}

sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
fail() { echo "msys2-package-test: FAIL: $*" >&2; exit 1; }

# 1. Debian's makepkg; pacman (pacman-package-manager), which makepkg
#    insists on finding even with --nodeps, where it does not run it; bsdtar
#    to write and list the package; ninja for the PKGBUILD's -G Ninja.
packages=(makepkg pacman-package-manager libarchive-tools fakeroot ninja-build)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    sudo_ apt-get update -q
    sudo_ apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! id -u "$builder" >/dev/null 2>&1; then
    sudo_ useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$builder"
fi

work=$(mktemp -d /tmp/wbemsink-msys2.XXXXXX)
# WBEMSINK_KEEP=1 keeps the work directory (for a look after a failure).
trap '[ -n "${WBEMSINK_KEEP:-}" ] || sudo_ rm -rf "$work"' EXIT
tree="$work/tree"
mkdir -p "$tree" "$work/home" "$work/build" "$work/pkgdest"
# The tree as it is (uncommitted changes included), without build outputs.
tar -C "$here" --exclude=./.git --exclude='./build' --exclude='./build-*' \
    --exclude=./.deps --exclude=./Testing -cf - . | tar -C "$tree" -xf -
# The work dir stays ours (the consumer and Wine's prefix go there); what
# makepkg reads and writes is the builder's.
chmod 755 "$work"
sudo_ chown -R "$builder:" "$tree" "$work/home" "$work/build" "$work/pkgdest"

# What makepkg-mingw sets for an MSYSTEM (MSYS2's makepkg_mingw.conf), on
# top of Debian's makepkg.conf. !strip: Debian's makepkg strips ELF files
# only; MSYS2's own makepkg strips the PE files.
write_conf() {  # FILE MINGW_PREFIX MINGW_PACKAGE_PREFIX
    { cat /etc/makepkg.conf; cat <<CONF; } > "$1"
CARCH="x86_64"
CHOST="x86_64-w64-mingw32"
MINGW_CHOST="x86_64-w64-mingw32"
MINGW_PREFIX="$2"
MINGW_PACKAGE_PREFIX="$3"
MSYSTEM_PREFIX="$2"
MSYSTEM_CARCH="x86_64"
MSYSTEM_CHOST="x86_64-w64-mingw32"
BUILDENV=(!distcc !color !ccache check !sign)
OPTIONS=(!strip docs !libtool staticlibs emptydirs zipman purge !debug !lto)
PKGEXT='.pkg.tar'
CONF
    chmod 644 "$1"
}

msystem=MINGW64
as_builder() {
    (cd "$tree/packaging/msys2" &&
     sudo_ runuser -u "$builder" -- env HOME="$work/home" MSYSTEM="$msystem" \
         BUILDDIR="$work/build" PKGDEST="$work/pkgdest" SRCDEST="$work/build" \
         CMAKE_TOOLCHAIN_FILE="$tree/cmake/mingw-w64-x86_64-w64-mingw32.cmake" \
         "$@")
}

# 2. --printsrcinfo, in each environment of the PKGBUILD's mingw_arch.
version=$(sed -n 's/^project(wbemsink VERSION \([0-9.]*\).*/\1/p' "$here/CMakeLists.txt")
[ -n "$version" ] || fail "no project VERSION in CMakeLists.txt"
t=$'\t'
expect() {  # LINE...: lines .SRCINFO must have (a tab before the inner ones)
    local l
    for l in "$@"; do
        grep -qxF "$l" <<<"$srcinfo" || fail "$msystem .SRCINFO lacks '$l'"
    done
}
# Debian's makepkg does not know MSYS2's mingw_arch (.SRCINFO leaves it out):
# read it from the PKGBUILD itself.
archs=$(cd "$tree/packaging/msys2" && MINGW_PACKAGE_PREFIX=mingw-w64-x86_64 \
        bash -c 'source ./PKGBUILD && echo "${mingw_arch[*]}"')
[ "$archs" = "mingw64 ucrt64 clang64" ] || fail "mingw_arch is '$archs'"
for env in MINGW64:/mingw64:mingw-w64-x86_64 UCRT64:/ucrt64:mingw-w64-ucrt-x86_64 \
           CLANG64:/clang64:mingw-w64-clang-x86_64; do
    IFS=: read -r msystem prefix pp <<<"$env"
    conf="$work/makepkg-${msystem,,}.conf"
    write_conf "$conf" "$prefix" "$pp"
    srcinfo=$(as_builder makepkg --config "$conf" --printsrcinfo)
    echo "--- .SRCINFO for $msystem"; echo "$srcinfo"
    expect "pkgbase = mingw-w64-wbemsink" "pkgname = $pp-wbemsink" \
        "${t}pkgver = $version" "${t}pkgrel = 1" "${t}arch = any" "${t}license = spdx:MIT" \
        "${t}makedepends = $pp-cc" "${t}makedepends = $pp-cmake" "${t}makedepends = $pp-ninja" \
        "${t}checkdepends = $pp-cmocka"
    # libgcc_s: a dependency with GCC, none with clang.
    if [ "$msystem" = CLANG64 ]; then
        ! grep -q "depends = .*gcc-libs" <<<"$srcinfo" || fail "CLANG64 depends on gcc-libs"
    else
        expect "${t}depends = $pp-gcc-libs"
    fi
done

# From here on MINGW64, as CI's toolchain is Debian's x86_64 MinGW-w64 GCC.
msystem=MINGW64
conf="$work/makepkg-mingw64.conf"

# 3. build() and package() through makepkg. (Its .BUILDINFO step asks
#    pacman for the installed packages and prints an alpm error here: there
#    is no pacman database on Debian. Harmless.)
start=$SECONDS
as_builder makepkg --config "$conf" --nodeps --nocheck --noconfirm --cleanbuild --force
echo "makepkg: $((SECONDS - start))s"
pkgdir="$work/build/mingw-w64-wbemsink/pkg/mingw-w64-x86_64-wbemsink"
pkgfile="$work/pkgdest/mingw-w64-x86_64-wbemsink-$version-1-any.pkg.tar"
[ -d "$pkgdir/mingw64" ] || fail "no $pkgdir/mingw64"
[ -f "$pkgfile" ] || fail "no $pkgfile"
# build() configured what the PKGBUILD says (--nocheck: no tests).
cache="$work/build/mingw-w64-wbemsink/src/build-MINGW64/CMakeCache.txt"
# (BUILD_SHARED_LIBS is no option() of ours: UNINITIALIZED in the cache.)
for l in "CMAKE_INSTALL_PREFIX:PATH=/mingw64" "CMAKE_BUILD_TYPE:STRING=Release" \
         "BUILD_SHARED_LIBS:UNINITIALIZED=ON" "WBEMSINK_WERROR:BOOL=OFF" \
         "WBEMSINK_BUILD_TESTS:BOOL=OFF" "CMAKE_GENERATOR:INTERNAL=Ninja"; do
    grep -qxF "$l" "$cache" || fail "build() did not configure $l"
done

# 4. The package tree
p="$pkgdir/mingw64"
for f in bin/wbemsink.dll lib/libwbemsink.dll.a include/wbemsink.h include/wbemsink_version.h \
         lib/cmake/wbemsink/wbemsinkConfig.cmake lib/cmake/wbemsink/wbemsinkConfigVersion.cmake \
         lib/cmake/wbemsink/wbemsinkTargets.cmake lib/pkgconfig/wbemsink.pc \
         lib/libwbemsink_fake.a include/wbemsink_fake/wbemsink_fake.h lib/pkgconfig/wbemsink_fake.pc \
         bin/wbemq.exe share/doc/wbemsink/wbemq.md share/licenses/wbemsink/LICENSE; do
    [ -f "$p/$f" ] || fail "package lacks mingw64/$f"
done
cmp -s "$p/share/licenses/wbemsink/LICENSE" "$here/LICENSE" || fail "LICENSE differs"
# Only mingw64/ at the top, beside makepkg's metadata.
top=$(cd "$pkgdir" && ls -A | tr '\n' ' ')
[ "$top" = ".BUILDINFO .MTREE .PKGINFO mingw64 " ] || fail "package tree's top: $top"
# The DLL build only: no static library, no WBEMSINK_STATIC.
[ ! -e "$p/lib/libwbemsink.a" ] || fail "static libwbemsink.a shipped"
! grep -q WBEMSINK_STATIC "$p/lib/cmake/wbemsink/wbemsinkTargets.cmake" "$p/lib/pkgconfig/wbemsink.pc" ||
    fail "WBEMSINK_STATIC in the DLL's CMake targets or .pc"
grep -q '^set(wbemsink_SHARED ON)$' "$p/lib/cmake/wbemsink/wbemsinkConfig.cmake" ||
    fail "wbemsinkConfig.cmake does not describe the DLL build"
# Relocatable: no build-tree, work-dir or DESTDIR path in .cmake/.pc files.
if grep -rlE "$work|$here|/build-MINGW64|/src/build" \
        --include='*.cmake' --include='*.pc' "$p"; then
    fail "installed .cmake/.pc files above name build paths"
fi
grep -q '^prefix=${pcfiledir}/../..$' "$p/lib/pkgconfig/wbemsink.pc" || fail "wbemsink.pc not relocatable"
# The archive holds the same files, and .PKGINFO says what .SRCINFO said.
listed=$(bsdtar -tf "$pkgfile" | grep -v '^\.' | grep -v '/$' | sort)
ontree=$(cd "$pkgdir" && find mingw64 -type f | sort)
[ "$listed" = "$ontree" ] || { diff <(echo "$listed") <(echo "$ontree") || true; fail "archive and tree differ"; }
pkginfo=$(bsdtar -xOf "$pkgfile" .PKGINFO)
for l in "pkgname = mingw-w64-x86_64-wbemsink" "pkgbase = mingw-w64-wbemsink" \
         "pkgver = $version-1" "arch = any" "license = spdx:MIT"; do
    grep -qxF "$l" <<<"$pkginfo" || fail ".PKGINFO lacks '$l'"
done
echo "package tree: ok"
(cd "$pkgdir" && find mingw64 -type f | sort)

# 5. A consumer against the package tree, as the calling user again.
cons="$work/consumer"
mkdir -p "$cons"
cmake -S "$here/tests/consumer" -B "$cons/cmake" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$here/cmake/mingw-w64-x86_64-w64-mingw32.cmake" \
    -Dwbemsink_DIR="$p/lib/cmake/wbemsink" >/dev/null
cmake --build "$cons/cmake" >/dev/null
PKG_CONFIG_LIBDIR="$p/lib/pkgconfig" pkg-config --exists --print-errors wbemsink wbemsink_fake
x86_64-w64-mingw32-gcc -std=c11 -Wall -Wextra -Werror -o "$cons/consumer_pkgconfig.exe" \
    "$here/tests/consumer/consumer.c" \
    $(PKG_CONFIG_LIBDIR="$p/lib/pkgconfig" pkg-config --cflags --libs wbemsink wbemsink_fake) \
    -static-libgcc
cp "$p/bin/wbemsink.dll" "$cons/cmake/"
cp "$p/bin/wbemsink.dll" "$cons/"
# The build tree's prefix when there is one (made once, kept); else our own.
if [ -d "$here/build/wineprefix" ]; then
    export WINEPREFIX="$here/build/wineprefix"
else
    export WINEPREFIX="$work/wineprefix"
fi
export WINEDEBUG=-all
ran=0
for exe in "$cons"/cmake/*.exe "$cons"/consumer_pkgconfig.exe; do
    [ -f "$exe" ] || continue
    echo "wine: $(basename "$exe")"
    /usr/lib/wine/wine64 "$exe" dll       # the consumer checks it got the DLL
    ran=$((ran + 1))
done
[ "$ran" -ge 2 ] || fail "expected two consumer programs, ran $ran"
[ "$WINEPREFIX" = "$here/build/wineprefix" ] || /usr/lib/wine/wineserver -w 2>/dev/null || true
echo "msys2-package-test: ok"
