#!/usr/bin/env bash
# The whole test suite: setup, build, then every test program under Wine.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$here/scripts/build.sh"
cd "$here/build"
ctest --output-on-failure --verbose -j2 "$@"
