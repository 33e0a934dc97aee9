#!/usr/bin/env bash
# The whole test suite: setup; both linkages built, every test program run
# under Wine against each; the installed packages consumed (CMake and
# pkg-config, both linkages), wbemsink as a subproject, the vcpkg port's
# install layout, the MSYS2 package; the 32-bit and clang builds; the host
# build of the core under ASan+UBSan, TSan and a bounded libFuzzer run.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$here/scripts/build.sh" dll
(cd "$here/build" && ctest --output-on-failure --verbose -j2)
bash "$here/scripts/build.sh" static
(cd "$here/build-static" && ctest --output-on-failure -j2)
bash "$here/scripts/consumer-test.sh" "$here/build" dll
bash "$here/scripts/consumer-test.sh" "$here/build-static" static
bash "$here/scripts/subproject-test.sh"
bash "$here/scripts/vcpkg-layout-test.sh"
bash "$here/scripts/msys2-package-test.sh"
bash "$here/scripts/build-variants.sh"
bash "$here/scripts/host-test.sh"
