#!/usr/bin/env bash
# The main job: build, then run a real asynchronous WMI query through the
# sink (under Wine on Linux). Extra arguments go to the query program, e.g.
#   bash scripts/run.sh "SELECT Name, State FROM Win32_Service"
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$here/scripts/build.sh" >/dev/null
export WINEPREFIX="$here/build/wineprefix" WINEDEBUG=-all
exec /usr/lib/wine/wine64 "$here/build/examples/query.exe" "$@"
