# Sourced by run.sh and test.sh: runs one step with its output in a log
# file, prints a line when it starts, a heartbeat every STEP_BEAT seconds
# (default 20) while it runs, and its result with the elapsed time; a
# failing step prints the tail of its log. Lines go to file descriptor
# STEP_FD (default 1; run.sh uses 2 so that stdout is wbemq's alone).
#
#   step LABEL LOG COMMAND [ARGS...]
#
# Sets STEP_RC (the command's status) and STEP_SECS, and returns STEP_RC.
# The command reads nothing (stdin is /dev/null: CI has none).

step_say() { printf '%s\n' "$*" >&"${STEP_FD:-1}"; }

step() {
    local label=$1 log=$2 t0=$SECONDS beat=${STEP_BEAT:-20} next last
    shift 2
    mkdir -p "$(dirname "$log")"
    step_say "[....] $label (log: $log)"
    "$@" </dev/null >"$log" 2>&1 &
    local pid=$!
    next=$((t0 + beat))
    while kill -0 "$pid" 2>/dev/null; do
        sleep 0.2
        if [ $SECONDS -ge $next ] && kill -0 "$pid" 2>/dev/null; then
            # The log's last line says where it is; cut to one short line.
            last=$(tail -n 1 "$log" 2>/dev/null | tr -d '\r' | cut -c1-90)
            step_say "       $label: running, $((SECONDS - t0)) s${last:+: $last}"
            next=$((next + beat))
        fi
    done
    STEP_RC=0
    wait "$pid" || STEP_RC=$?
    STEP_SECS=$((SECONDS - t0))
    if [ $STEP_RC -eq 0 ]; then
        step_say "[ ok ] $label ($STEP_SECS s)"
    else
        step_say "[FAIL] $label ($STEP_SECS s, exit $STEP_RC); the end of $log:"
        tail -n 25 "$log" | sed 's/^/       | /' >&"${STEP_FD:-1}"
    fi
    return $STEP_RC
}
