#!/usr/bin/env bash
# tests/progress/check.sh — the progress bar of run/compare: drawn on a
# terminal (a pseudo-terminal from util-linux `script`), and nothing extra
# on stderr when it is piped or when CI=true.  Exit 77 (skip) without
# `script`.  Run by tests/run.sh.
set -u
BIN=$(cd "$(dirname "${CP_BIN:-build/chokepoint}")" && pwd)/$(basename "${CP_BIN:-build/chokepoint}")
SHARED=${CP_SHARED:-../shared}
command -v script >/dev/null || { echo "util-linux script not installed"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
S=tests/data/scenarios/boario_manuf_cut.yaml
args="run $S --table $SHARED/data/pymrio_test_mrio --steps 40 --no-store"
fail=0
# A terminal, CI unset: the bar reaches 100 %.
env -u CI script -qec "$BIN $args --out $T/a" /dev/null >"$T/tty" 2>&1 || { echo "FAIL: run on a terminal exited non-zero"; fail=1; }
grep -q '100%  step 40/40' "$T/tty" || { echo "FAIL: no progress bar on a terminal"; head -5 "$T/tty"; fail=1; }
# A terminal with CI=true: no bar.
CI=true script -qec "$BIN $args --out $T/b" /dev/null >"$T/ci" 2>&1
if grep -q 'step 40/40' "$T/ci"; then echo "FAIL: progress bar drawn under CI=true"; fail=1; fi
# Piped: stderr stays empty.
env -u CI "$BIN" $args --out "$T/c" >"$T/out" 2>"$T/err" || { echo "FAIL: piped run exited non-zero"; fail=1; }
[ -s "$T/err" ] && { echo "FAIL: something on stderr when piped:"; cat "$T/err"; fail=1; }
[ $fail = 0 ] && echo "bar on a terminal, none under CI=true or in a pipe"
exit $fail
