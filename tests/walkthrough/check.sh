#!/usr/bin/env bash
# tests/walkthrough/check.sh — run docs/walkthrough.md as a new user would:
# every command of its ```sh blocks, in order, in a fresh temporary
# directory (the repository's scenarios/ linked in, the binary under test
# first on PATH, HOME and the run store in the temporary directory); fails
# on the first command that exits non-zero, naming it.  A here-document
# (<<'WORD' ... WORD) belongs to the command that opens it.
# Run by tests/run.sh.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${CP_BIN:-build/chokepoint}
case $BIN in /*) ;; *) BIN=$REPO/$BIN ;; esac
DOC=$REPO/docs/walkthrough.md
[ -x "$BIN" ] || { echo "no binary at $BIN"; exit 1; }
[ -e "$REPO/scenarios/japan-cutoff-12m.yaml" ] || { echo "scenarios/japan-cutoff-12m.yaml missing"; exit 1; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
mkdir -p "$T/bin" "$T/work" "$T/home"
ln -s "$BIN" "$T/bin/chokepoint"
ln -s "$REPO/scenarios" "$T/work/scenarios"

# The commands of the ```sh blocks, each followed by a line holding only RS.
awk '
  /^```sh[[:space:]]*$/ { inblk = 1; next }
  /^```/ && inblk       { inblk = 0; next }
  !inblk                { next }
  heredoc != ""         { cmd = cmd "\n" $0; if ($0 == heredoc) { print cmd; print "\036"; heredoc = "" }; next }
  /^[[:space:]]*(#|$)/  { next }
  {
    cmd = $0
    if (match($0, /<<-?[ ]*[\047"]?[A-Za-z_]+/)) {
      h = substr($0, RSTART, RLENGTH); gsub(/[<\047" -]/, "", h); heredoc = h; next
    }
    print cmd; print "\036"
  }
' "$DOC" >"$T/cmds"
n=$(grep -c $'^\036$' "$T/cmds")
[ "$n" -ge 10 ] || { echo "FAIL: only $n commands found in docs/walkthrough.md"; exit 1; }

cd "$T/work"
export PATH="$T/bin:$PATH" CHOKEPOINT_STORE="$T/store.sqlite" HOME="$T/home"
unset CI
i=0; cmd=""
while IFS= read -r line; do
  if [ "$line" = $'\036' ]; then
    i=$((i + 1))
    bash -c "$cmd" >"$T/out" 2>&1 </dev/null; rc=$?
    if [ $rc != 0 ]; then
      echo "FAIL: walkthrough command $i exited $rc:"; printf '  %s\n' "$cmd"; tail -20 "$T/out"; exit 1
    fi
    cmd=""
  elif [ -z "$cmd" ]; then cmd=$line
  else cmd="$cmd"$'\n'"$line"; fi
done <"$T/cmds"
# What the walkthrough promises: both scenarios in runs list, a report, the comparison.
"$BIN" runs list >"$T/list" 2>&1 || { echo "FAIL: runs list"; exit 1; }
grep -q 'cutoff-6m.yaml' "$T/list" || { echo "FAIL: the variant is not in runs list"; cat "$T/list"; exit 1; }
grep -q 'scenarios/japan-cutoff-12m.yaml' "$T/list" || { echo "FAIL: the default case is not in runs list"; exit 1; }
[ -s cutoff-6m.html ] || { echo "FAIL: no report written"; exit 1; }
head -1 compare.csv | grep -q '^figure,unit,japan-cutoff-12m,japan-cutoff-6m$' || { echo "FAIL: compare.csv header"; head -2 compare.csv; exit 1; }
# The variant is the same cut-off, lifted after six months: it loses less, but something.
awk -F, '$1 == "GDP loss" && $2 == "bn JPY" { ok = ($4 > 0 && $4 < $3) } END { exit !ok }' compare.csv ||
  { echo "FAIL: the six-month cut-off does not lose less than the twelve-month one"; head -3 compare.csv; exit 1; }
echo "walkthrough: $i commands ran"
