#!/usr/bin/env bash
# The main job: build, then run wbemq, the command-line tool built on the
# library, on a real asynchronous WMI query (under Wine on Linux). With no
# arguments it lists the processes; arguments go to wbemq, e.g.
#   bash scripts/run.sh "SELECT Name, State FROM Win32_Service"
#   bash scripts/run.sh --format jsonl "SELECT * FROM Win32_OperatingSystem"
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
echo "run.sh: building (the first run installs packages and takes a few minutes)..." >&2
bash "$here/scripts/build.sh" >/dev/null
export WINEPREFIX="$here/build/wineprefix" WINEDEBUG=-all
if [ $# -eq 0 ]; then
    set -- "SELECT Name, ProcessId FROM Win32_Process"
fi
exec /usr/lib/wine/wine64 "$here/build/tools/wbemq/wbemq.exe" "$@"
