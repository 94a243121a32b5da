#!/usr/bin/env bash
# run.sh — run every test: the cmocka unit programs given as arguments, then
# the data-driven CLI cases in tests/cli/*.case.  Prints one closing line
# "tests: N passed, N failed" and exits non-zero if anything failed.
#
# A CLI case is a small text file (curl's style: the input and its expected
# output side by side):
#   # comment
#   cmd: info $SHARED/data/japan_io_2015_37sector_bnJPY.csv
#   exit: 2
#   stderr: is a file
#   stdout: total output
# `cmd:` is the argument list of the chokepoint binary (expanded by the
# shell, with $SHARED, $DATA, $TMP and $CASES set); each stdout:/stderr:
# line is a fixed string that must appear in that stream; `exit:` is the
# expected status (default 0).
set -u
pass=0; fail=0
: "${CP_BIN:=build/chokepoint}"
: "${CP_SHARED:=../shared}"
export CP_SHARED CP_BIN
failed_names=()
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/unit"
export TMPDIR="$TMP/unit"     # unit tests make their temporary files here
# Nothing a test runs may write to the user's run store: every run goes to a
# store in this temporary directory (a case that needs its own names one).
CHOKEPOINT_STORE=$TMP/store.sqlite
export CHOKEPOINT_STORE

for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed or aborted
  pass=$((pass + p)); fail=$((fail + f))
  if [ "$f" -ne 0 ]; then
    printf '%s\n' "$out"
    failed_names+=("$t")
    echo "FAIL $t"
  else
    echo "ok   $t ($p)"
  fi
done

SHARED=$CP_SHARED; DATA=data; CASES=tests/cli
export SHARED DATA TMP CASES
for c in tests/cli/*.case; do
  [ -e "$c" ] || continue
  cmd=$(sed -n 's/^cmd: //p' "$c" | head -1)
  want=$(sed -n 's/^exit: //p' "$c" | head -1); want=${want:-0}
  eval "set -- $cmd"
  "$CP_BIN" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null; rc=$?
  ok=1; why=""
  [ "$rc" = "$want" ] || { ok=0; why="exit $rc, expected $want"; }
  while IFS= read -r line; do
    case "$line" in
      stdout:\ *) s=${line#stdout: }; grep -qF -- "$s" "$TMP/out" || { ok=0; why="$why; stdout lacks: $s"; } ;;
      stderr:\ *) s=${line#stderr: }; grep -qF -- "$s" "$TMP/err" || { ok=0; why="$why; stderr lacks: $s"; } ;;
    esac
  done <"$c"
  if [ $ok = 1 ]; then pass=$((pass + 1)); echo "ok   $c"
  else
    fail=$((fail + 1)); failed_names+=("$c")
    echo "FAIL $c: $why"; echo "--- stdout"; head -20 "$TMP/out"; echo "--- stderr"; head -20 "$TMP/err"
  fi
done

# Checks that drive an outside program (tests/*/check.sh, e.g. the report in
# headless Chromium): exit 0 passes, 77 skips (the program is not installed),
# anything else fails.
for c in tests/*/check.sh; do
  [ -x "$c" ] || continue
  "$c" >"$TMP/out" 2>&1; rc=$?
  if [ "$rc" = 0 ]; then pass=$((pass + 1)); echo "ok   $c ($(tail -1 "$TMP/out"))"
  elif [ "$rc" = 77 ]; then echo "skip $c: $(head -1 "$TMP/out")"
  else fail=$((fail + 1)); failed_names+=("$c"); echo "FAIL $c"; cat "$TMP/out"; fi
done

[ ${#failed_names[@]} -eq 0 ] || printf 'failed: %s\n' "${failed_names[@]}"
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
