#!/usr/bin/env bash
# check.sh — render chokepoint's HTML report in headless Chromium (Debian's
# chromium package) and fail on any console message (errors, uncaught
# exceptions, Content-Security-Policy violations: the report must log
# nothing), on a missing section, or on a page that did not finish drawing.
# Saves screenshots under $CP_BUILD/report/ for a person to look at.
#
#   CP_BIN=build/chokepoint CP_BUILD=build tests/report/check.sh
#
# Exit: 0 all checks passed, 1 a check failed, 77 skipped (no chromium).
# Prints one "ok"/"FAIL" line per check and a closing "report: N checks passed, N failed".
set -u
cd "$(dirname "$0")/../.."
: "${CP_BIN:=build/chokepoint}"
: "${CP_BUILD:=build}"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  echo "skip tests/report/check.sh: chromium not installed (apt-get install -y chromium)"
  exit 77
fi
out="$CP_BUILD/report"; mkdir -p "$out"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0

# Record one check's result.
check() { # name, status (0 ok)
  if [ "$2" = 0 ]; then pass=$((pass + 1)); echo "ok   report: $1"
  else fail=$((fail + 1)); echo "FAIL report: $1"; fi
}

# Run headless Chromium with the flags that keep it offline and quiet.
chrome() {
  local prof; prof=$(mktemp -d -p "$tmp")
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --no-default-browser-check --hide-scrollbars \
    --user-data-dir="$prof" --enable-logging=stderr --v=0 --force-device-scale-factor=1 \
    --virtual-time-budget=10000 "$@"
}

# Render page ($1) and check: no console message, drawn, sections ($3...) present.
render() { # html, name, expected section titles...
  local html=$1 name=$2; shift 2
  chrome --dump-dom "file://$(realpath "$html")" >"$tmp/$name.dom" 2>"$tmp/$name.log"
  local rc=$?
  check "$name: chromium ran (exit $rc)" "$rc"
  if grep -q 'CONSOLE' "$tmp/$name.log"; then
    grep 'CONSOLE' "$tmp/$name.log" | head -20; check "$name: no console messages" 1
  else check "$name: no console messages" 0; fi
  grep -q 'data-cp-rendered="yes"' "$tmp/$name.dom"; check "$name: script finished drawing" $?
  local missing=0 t
  for t in "$@"; do
    grep -qF "<h2>$t</h2>" "$tmp/$name.dom" || { echo "  missing section: $t"; missing=1; }
  done
  check "$name: sections present" $missing
  chrome --screenshot="$(realpath "$out")/$name.png" --window-size=1280,3400 \
    "file://$(realpath "$html")" >/dev/null 2>"$tmp/$name.shot.log"
  [ -s "$out/$name.png" ]; check "$name: screenshot $out/$name.png" $?
}

fix=tests/report/fixture
all=("Headline figures" "Timeline: material availability and output loss" "Final demand not served"
     "Uncertainty: output loss" "Production loss by industry" "Value-added loss by industry"
     "Comparison with published estimates" "Assumptions" "Scenario")

# 1. From an output directory.
"$CP_BIN" report "$fix" -o "$out/report-dir.html" >/dev/null; check "report DIR exits 0" $?
! grep -qiE '<(script|link|img|iframe)[^>]+(src|href)=' "$out/report-dir.html"
check "self-contained: no src=/href= on script, link, img, iframe" $?
render "$out/report-dir.html" dir "${all[@]}"

# 2. From the run store (same sections, the scenario from the store).
"$CP_BIN" runs add "$fix" --scenario "$fix/scenario.resolved.yaml" --store "$tmp/s.sqlite" >/dev/null
"$CP_BIN" report last --store "$tmp/s.sqlite" -o "$out/report-store.html" >/dev/null
check "report RUN_ID exits 0" $?
render "$out/report-store.html" store "${all[@]}"

# 3. Summary only: every series-based section is left out, no errors.
mkdir -p "$tmp/bare"
printf '{"schema":"chokepoint-run","schema_version":1,"production_loss":12.5,"table":{"unit":"Mill USD"}}\n' >"$tmp/bare/summary.json"
"$CP_BIN" report "$tmp/bare" -o "$out/report-bare.html" >/dev/null; check "report of a bare summary exits 0" $?
render "$out/report-bare.html" bare "Headline figures"
if grep -qF "<h2>Timeline" "$tmp/bare.dom"; then check "bare: timeline left out" 1; else check "bare: timeline left out" 0; fi

# 4. A real run (BoARIO's reference scenario through `chokepoint run`), when the shared data is there.
mrio="${CP_SHARED:-../shared}/data/pymrio_test_mrio"
if [ -d "$mrio" ]; then
  "$CP_BIN" run tests/data/scenarios/boario_manuf_cut.yaml --table "$mrio" --out "$tmp/boario" >/dev/null
  check "run the BoARIO reference scenario" $?
  "$CP_BIN" report "$tmp/boario" -o "$out/report-boario.html" >/dev/null; check "report of a real run exits 0" $?
  render "$out/report-boario.html" boario "Headline figures" "Timeline: output loss" "Final demand not served" \
    "Production loss by industry" "Value-added loss by industry" "Scenario"
fi

# 5. The default case (embedded data): the controlled materials' availability
#    is in timeseries.csv (material_availability, one series per element
#    controlled during the run: the seven of MOFCOM No. 18) and the
#    timeline draws it beside the output loss.
"$CP_BIN" run scenarios/japan-cutoff-12m.yaml --out "$tmp/japan" --no-store >/dev/null
check "run the Japan 12-month cut-off" $?
els=$(awk -F, '$5 == "material_availability" {print $4}' "$tmp/japan/timeseries.csv" | sort -u | tr '\n' ' ')
[ "$els" = "Dy Gd Lu Sc Sm Tb Y " ]; check "japan: availability series for the seven No. 18 elements (got: $els)" $?
"$CP_BIN" report "$tmp/japan" -o "$out/report-japan.html" >/dev/null; check "report of the Japan run exits 0" $?
render "$out/report-japan.html" japan "Headline figures" "Timeline: material availability and output loss" \
  "Production loss by industry" "Value-added loss by industry" "Scenario"

echo "report: $pass checks passed, $fail failed"
[ "$fail" -eq 0 ]
