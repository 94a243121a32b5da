#!/usr/bin/env bash
# tests/man/check.sh — the help texts, the man page and the exit statuses:
#  - `chokepoint help CMD` and `chokepoint CMD --help` (and -h) print the
#    same text, exit 0, for every command `chokepoint help` lists;
#  - docs/chokepoint.1 is exactly what scripts/gen-man.sh makes from this
#    binary's help (regenerate: scripts/gen-man.sh build/chokepoint > docs/chokepoint.1);
#  - every help text and the man page document the exit statuses;
#  - exit statuses: 0 ok, 2 usage (unknown command, unknown option), and
#    the documented 0/1/2 line of `chokepoint help`.
# Run by tests/run.sh (CP_BIN set); exit 0 passes.
set -u
BIN=${CP_BIN:-build/chokepoint}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0; n=0
bad() { echo "FAIL: $*"; fail=1; }

cmds=$("$BIN" help | sed -n '/^commands:/,/^$/p' | awk 'NF && $1 != "commands:" {print $1}')
[ -n "$cmds" ] || bad "chokepoint help lists no commands"
for c in $cmds; do
  "$BIN" help "$c" >"$T/a" 2>&1; ra=$?
  "$BIN" "$c" --help >"$T/b" 2>&1; rb=$?
  "$BIN" "$c" -h >"$T/c" 2>&1; rc=$?
  [ "$ra$rb$rc" = 000 ] || bad "$c: help exits $ra, --help $rb, -h $rc (want 0)"
  cmp -s "$T/a" "$T/b" || bad "$c: 'help $c' and '$c --help' differ"
  cmp -s "$T/a" "$T/c" || bad "$c: 'help $c' and '$c -h' differ"
  grep -q '^usage: chokepoint' "$T/a" || bad "$c: help has no usage line"
  n=$((n + 1))
done

scripts/gen-man.sh "$BIN" >"$T/man" || bad "scripts/gen-man.sh failed"
if ! cmp -s "$T/man" docs/chokepoint.1; then
  bad "docs/chokepoint.1 is out of step with the help texts; regenerate: scripts/gen-man.sh $BIN > docs/chokepoint.1"
  diff docs/chokepoint.1 "$T/man" | head -20
fi
grep -q '^\.SH EXIT STATUS' docs/chokepoint.1 || bad "man page lacks EXIT STATUS"
"$BIN" help | grep -qF 'exit status: 0 ok, 1 model or run failure, 2 usage or input error' || bad "help lacks the exit statuses"

"$BIN" >/dev/null 2>&1; [ $? = 2 ] || bad "no command: want exit 2"
"$BIN" nosuchcmd >/dev/null 2>"$T/e"; [ $? = 2 ] || bad "unknown command: want exit 2"
grep -qF "chokepoint: no command 'nosuchcmd'; see: chokepoint help" "$T/e" || bad "unknown command message"
"$BIN" help nosuchcmd >/dev/null 2>&1; [ $? = 2 ] || bad "help of an unknown command: want exit 2"
"$BIN" --version >/dev/null 2>&1; [ $? = 0 ] || bad "--version: want exit 0"
[ $fail = 0 ] && echo "help and man page agree for $n commands"
exit $fail
