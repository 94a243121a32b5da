#!/usr/bin/env bash
# calibrate-presets.sh — reproduce the calibration of the published-study
# presets in scenarios/published/: for each, `chokepoint calibrate` finds
# the multiplier of the account's criticalities (controls.criticality_scale,
# the one parameter the studies do not state) for which the preset's GDP
# loss equals the study's headline, by bisection.  Prints the
# reconciliation table; with --write, also writes each value (4 decimals)
# into its preset's `criticality_scale:` line.
#
#   scripts/calibrate-presets.sh [--write]      CP_BIN=build-x/chokepoint to choose the binary
#
# Headlines (case-facts §1.1, §2; % of annual GDP): NRI 0.11 (3 months),
# NRI 0.43 (12 months), Mizuho 0.88, Daiwa 1.3.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CP_BIN:=build/chokepoint}"
write=0
[ "${1:-}" = "--write" ] && write=1
printf '%-12s %10s %12s %14s\n' preset target_pct multiplier result_pct
for p in "nri-3m 0.11" "nri-12m 0.43" "mizuho-12m 0.88" "daiwa-12m 1.3"; do
  set -- $p
  f=scenarios/published/$1.yaml
  out=$("$CP_BIN" calibrate "$f" --target-pct "$2" --rtol 1e-4)
  k=$(printf '%s\n' "$out" | awk '/^criticality_scale/ {print $2}')
  r=$(printf '%s\n' "$out" | awk '/^gdp_loss_pct/ {print $2}')
  printf '%-12s %10s %12s %14s\n' "$1" "$2" "$k" "$r"
  if [ $write = 1 ]; then
    sed -i -E "s/^(  criticality_scale: )[0-9.]+( +# CALIBRATED)/\1$k\2/" "$f"
  fi
done
