#!/usr/bin/env bash
# The whole test suite, one stage after another: setup; the DLL built and
# every test program run under Wine against it; the same for the static
# library; the installed packages consumed (CMake and pkg-config, both
# linkages); the README's program built and run with the README's own
# commands; wbemsink as a subproject; the vcpkg port's install layout; the
# MSYS2 package; the 32-bit and clang builds; the host build of the core
# under ASan+UBSan, TSan and a bounded libFuzzer run.
#
# Output: a line per stage as it starts and ends (result and time), a
# heartbeat every 20 s while one runs, the tail of a failing stage's log,
# then a summary table. Each stage's full output is in its log under
# build/test-logs/. The last line is "N passed, N failed", counting stages
# (a stage skipped because one it needs failed counts as failed). Every
# stage runs even after a failure (but those that need it); the exit
# status is non-zero if any failed. Reads no input (CI: CI=true, no stdin).
#
# WBEMSINK_TEST_STAGES="name ..." runs only those stages (the names are
# those of the table; e.g. "readme consumer-dll"); WBEMSINK_TEST_SELFTEST=1
# runs four dummy stages instead, to check this runner itself.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export here   # the stages' commands below are run by bash -c
logs="$here/build/test-logs"
. "$here/scripts/lib/steps.sh"

# name|needs|what|command  (needs: a stage that must have passed, or -)
stages=(
    'setup|-|packages and CMocka|bash "$here/scripts/setup.sh"'
    'build-dll|setup|build/: the DLL, tests, examples, benchmarks|bash "$here/scripts/build.sh" dll'
    'ctest-dll|build-dll|every test under Wine, the DLL|cd "$here/build" && ctest --output-on-failure --verbose -j2 --repeat until-pass:2'
    'build-static|setup|build-static/: the static library|bash "$here/scripts/build.sh" static'
    'ctest-static|build-static|every test under Wine, the static library|cd "$here/build-static" && ctest --output-on-failure -j2 --repeat until-pass:2'
    'consumer-dll|build-dll|installed package, CMake and pkg-config, DLL|bash "$here/scripts/consumer-test.sh" "$here/build" dll'
    'consumer-static|build-static|the same, static library|bash "$here/scripts/consumer-test.sh" "$here/build-static" static'
    'readme|build-dll,build-static|the README program built with the README commands|bash "$here/scripts/readme-test.sh"'
    'subproject|setup|add_subdirectory and FetchContent|bash "$here/scripts/subproject-test.sh"'
    'vcpkg|build-dll|the vcpkg port: install layout|bash "$here/scripts/vcpkg-layout-test.sh"'
    'msys2|build-dll|the MSYS2 package|bash "$here/scripts/msys2-package-test.sh"'
    'variants|setup|the 32-bit and clang builds|bash "$here/scripts/build-variants.sh"'
    'host-asan|setup|the core on Linux, ASan+UBSan|bash "$here/scripts/host-test.sh" asan'
    'host-tsan|setup|the core on Linux, TSan|bash "$here/scripts/host-test.sh" tsan'
    'host-fuzz|setup|the core on Linux, libFuzzer (bounded)|bash "$here/scripts/host-test.sh" fuzz'
)
if [ "${WBEMSINK_TEST_SELFTEST:-0}" = 1 ]; then
    # The runner itself, in about 30 s: a pass, a stage long enough for a
    # heartbeat, a failure with its log's tail, a stage skipped for it.
    stages=(
        'quick|-|passes at once|echo fine'
        'slow|-|passes after 25 s|for i in $(seq 25); do echo "tick $i"; sleep 1; done'
        'broken|-|fails with exit 3|echo "about to fail"; exit 3'
        'after-broken|quick,broken|needs broken: skipped|true'
    )
fi

selected() {   # NAME: in WBEMSINK_TEST_STAGES, or all when it is unset
    [ -z "${WBEMSINK_TEST_STAGES:-}" ] && return 0
    [[ " $WBEMSINK_TEST_STAGES " == *" $1 "* ]]
}

declare -A result
names=() times=() results=()
passed=0 failed=0 n=0 t0=$SECONDS
for s in "${stages[@]}"; do
    IFS='|' read -r name needs what cmd <<<"$s"
    selected "$name" || continue
    n=$((n + 1))
    label="$(printf '%2d %-15s %s' $n "$name" "$what")"
    # A stage whose prerequisite ran in this run and did not pass is
    # skipped (one not selected is taken as done).
    missing=
    for need in ${needs//,/ }; do
        [ "$need" != - ] && [ -n "${result[$need]:-}" ] && [ "${result[$need]}" != ok ] && missing=$need
    done
    if [ -n "$missing" ]; then
        step_say "[SKIP] $label: needs $missing"
        result[$name]=skipped; names+=("$name"); times+=(0); results+=("skipped ($missing failed)")
        failed=$((failed + 1))
        continue
    fi
    if step "$label" "$logs/$(printf '%02d' $n)-$name.log" bash -c "$cmd"; then
        result[$name]=ok; results+=(ok); passed=$((passed + 1))
    else
        result[$name]=failed; results+=("FAILED (exit $STEP_RC)"); failed=$((failed + 1))
    fi
    names+=("$name"); times+=("$STEP_SECS")
done

echo
echo "| stage | result | time |"
echo "|---|---|---|"
for i in "${!names[@]}"; do
    printf '| %s | %s | %d s |\n' "${names[$i]}" "${results[$i]}" "${times[$i]}"
done
printf '| total | | %d s |\n' $((SECONDS - t0))
echo "logs: $logs"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
