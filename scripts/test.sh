#!/usr/bin/env bash
# The whole test suite: setup, build, every test program under Wine, the
# installed-package consumer test, the 32-bit and clang builds, and the
# host build of the core under ASan+UBSan, TSan and a bounded libFuzzer run.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$here/scripts/build.sh"
(cd "$here/build" && ctest --output-on-failure --verbose -j2)
bash "$here/scripts/consumer-test.sh"
bash "$here/scripts/build-variants.sh"
bash "$here/scripts/host-test.sh"
