#!/usr/bin/env bash
# The whole test suite: setup, build, every test program under Wine, the
# installed-package consumer test, and the 32-bit and clang builds.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$here/scripts/build.sh"
(cd "$here/build" && ctest --output-on-failure --verbose -j2)
bash "$here/scripts/consumer-test.sh"
bash "$here/scripts/build-variants.sh"
