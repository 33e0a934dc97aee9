#!/usr/bin/env bash
# The README tested as written: takes the complete program and the
# commands of "Use it from your own program" out of README.md (the fenced
# block after each "<!-- readme-test: NAME" line) and runs those commands
# as they are, with HOME pointing to a scratch folder holding ~/wbemsink
# (a link to this checkout) and ~/app: the install of both builds, the
# pkg-config route (DLL and static library) and the CMake find_package
# route from the installed prefix. Each program must print process rows
# under Wine. Needs build/ and build-static/ built (scripts/build.sh dll,
# scripts/build.sh static), as scripts/test.sh has them by then.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readme="$here/README.md"
work="$here/build/readme-test"

# block NAME: the fenced block after the line "<!-- readme-test: NAME ".
block() {
    awk -v marker="<!-- readme-test: $1 " '
        index($0, marker) == 1 { want = 1; next }
        want && !inside && /^```/ { inside = 1; next }
        inside && /^```/ { exit }
        inside { print }' "$readme"
}
fail() { echo "readme-test: FAILED: $*" >&2; exit 1; }

for d in build build-static; do
    [ -f "$here/$d/CMakeCache.txt" ] || fail "$d/ is not built (scripts/build.sh first)"
done

# The program in the README is examples/query.c, which the suite builds too.
mkdir -p "$(dirname "$work")"
block program >"$work.program.c"
[ -s "$work.program.c" ] || fail "no program block in README.md"
diff -u "$here/examples/query.c" "$work.program.c" >&2 || fail "README's program differs from examples/query.c"
lines=$(grep -cv '^[[:space:]]*$' "$work.program.c")
[ "$lines" -le 15 ] || fail "the README's program has $lines non-blank lines (issue 19: at most 15)"

rm -rf "$work"
mkdir -p "$work/home/app"
ln -s "$here" "$work/home/wbemsink"
mv "$work.program.c" "$work/home/app/app.c"
block CMakeLists.txt >"$work/home/app/CMakeLists.txt"
[ -s "$work/home/app/CMakeLists.txt" ] || fail "no CMakeLists.txt block in README.md"

# The programs run in the build's Wine prefix, quietly: the commands stay
# the README's, the environment is the test's.
export WINEPREFIX="$here/build/wineprefix" WINEDEBUG=-all
run_block() {   # NAME: runs it; its output in $work/NAME.log
    local name=$1 cmds
    cmds=$(block "$name")
    [ -n "$cmds" ] || fail "no $name block in README.md"
    echo "readme-test: $name:"
    sed 's/^/    $ /' <<<"$cmds"

    if ! HOME="$work/home" bash -euo pipefail -c "$cmds" >"$work/$name.log" 2>&1; then
        tail -n 20 "$work/$name.log" >&2
        fail "the README's $name commands failed (log: $work/$name.log)"
    fi
}
# COUNT NAME EXE: the log holds the rows of COUNT runs, each listing
# services.exe and the program's own process EXE.
expect_rows() {
    local count=$1 name=$2 exe=$3 log="$work/$2.log" n
    tr -d '\r' <"$log" >"$log.lf"   # the programs print Windows line ends
    log="$log.lf"
    n=$(grep -cx 'services.exe' "$log" || true)
    [ "$n" -eq "$count" ] || fail "$name: services.exe listed $n times, expected $count (log: $log)"
    grep -qx "$exe" "$log" || fail "$name: $exe not among the processes (log: $log)"
    echo "readme-test: $name: services.exe listed by $count run(s), $exe among the processes"
}

run_block install
run_block pkg-config
expect_rows 2 pkg-config app.exe
expect_rows 2 pkg-config app-static.exe
run_block cmake
expect_rows 1 cmake app.exe
echo "readme-test: passed"
