#!/usr/bin/env bash
# tests/mc/check.sh — `chokepoint mc` and `chokepoint sensitivity` on the
# Japan case (docs/uncertainty.md):
#   - 1 and 2 threads give byte-identical draws, percentiles, monthly
#     percentiles and percentile series (30 draws of every account range,
#     and 20 draws of a two-parameter scenario with a rank correlation);
#   - the percentiles in mc_percentiles.csv and summary.json are the
#     type-7 percentiles of the GDP losses in mc_draws.csv (recomputed here);
#   - mc_by_industry.csv and mc_by_industry_monthly.csv read back with their
#     exact headers, one row per industry (and month) and variable, ranked
#     by median value-added loss; their means add up (means are linear) to
#     the headline means and to each industry's total; summary.json's
#     monte_carlo.by_industry is their top 10;
#   - scenario.resolved.yaml of an mc directory holds the uncertainty:
#     section with the draws and seed used, and mc of it gives the same bytes;
#   - --sampling lhs: threads (and mpirun -np 2) identical, one draw per
#     stratum, recorded in summary.json and the resolved scenario;
#   - --no-industry-monthly drops the monthly file, and a draw count whose
#     outputs exceed 2 GiB is refused with a hint;
#   - the tornado's all-central run equals `chokepoint run`'s GDP loss
#     (a different code path: res_case.c);
#   - the run is stored, and the report of the output directory has a fan chart;
#   - with OpenMPI installed, mpirun -np 1 and -np 2 of `chokepoint mc` (the
#     CLI built with mpicc here, or MPI_BUILD=dir holding a `make MPI=1`
#     binary) give the same bytes as the threaded run (and -np 2 of
#     `chokepoint sensitivity` the same table).
# Run by tests/run.sh (exit 0 pass).
set -u
cd "$(dirname "$0")/../.."
BIN=${CP_BIN:-build/chokepoint}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export CHOKEPOINT_STORE=$T/store.sqlite CI=true
fail() { echo "FAIL: $*"; exit 1; }
J=scenarios/japan-cutoff-12m.yaml
S=tests/data/scenarios/unc/small.yaml
same() { # dir1 dir2
  for f in mc_draws.csv mc_percentiles.csv mc_monthly.csv mc_convergence.csv mc_by_industry.csv mc_by_industry_monthly.csv; do
    cmp -s "$1/$f" "$2/$f" || fail "$f differs between $1 and $2"
  done
  cmp -s <(grep '_p[0-9][0-9],' "$1/timeseries.csv") <(grep '_p[0-9][0-9],' "$2/timeseries.csv") ||
    fail "percentile series differ between $1 and $2"
}
"$BIN" mc "$J" --draws 30 --threads 1 --out "$T/j1" --no-store >"$T/j1.txt" || fail "mc japan 1 thread"
"$BIN" mc "$J" --draws 30 --threads 2 --out "$T/j2" >"$T/j2.txt" || fail "mc japan 2 threads"
same "$T/j1" "$T/j2"
grep -q "stored   run" "$T/j2.txt" || fail "mc did not record the run"
"$BIN" mc "$S" --threads 1 --out "$T/s1" --no-store >/dev/null || fail "mc small 1 thread"
"$BIN" mc "$S" --threads 2 --out "$T/s2" --no-store >/dev/null || fail "mc small 2 threads"
same "$T/s1" "$T/s2"
# percentiles recomputed from the draws (Hyndman & Fan type 7)
python3 - "$T/j2" <<'PY' || fail "percentiles do not match the draws"
import csv, json, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(d + "/mc_draws.csv")))
x = sorted(float(r["gdp_loss"]) for r in rows)
def q(p):
    h = (len(x) - 1) * p / 100.0
    lo = int(h)
    return x[lo] + (h - lo) * (x[min(lo + 1, len(x) - 1)] - x[lo])
s = json.load(open(d + "/summary.json"))
pc = {r["figure"]: r for r in csv.DictReader(open(d + "/mc_percentiles.csv"))}
for p in (5, 25, 50, 75, 95):
    want = q(p)
    for got in (s["percentiles"]["gdp_loss"][str(p)], s["gdp_loss_p%02d" % p], float(pc["gdp_loss"]["p%02d" % p])):
        assert abs(got - want) <= 1e-9 * abs(want), (p, got, want)
mean = sum(x) / len(x)
assert abs(s["monte_carlo"]["mean"]["gdp_loss"] - mean) <= 1e-9 * mean
assert s["monte_carlo"]["draws"] == 30
PY
# per-industry percentiles read back (headers, shape, ranking, linear identities of the means)
python3 - "$T/j2" <<'PY' || fail "per-industry percentiles"
import csv, json, sys
d = sys.argv[1]
P = ["p05", "p25", "p50", "p75", "p95"]
s = json.load(open(d + "/summary.json"))
n = len(list(csv.DictReader(open(d + "/by_industry.csv"))))
r = csv.reader(open(d + "/mc_by_industry.csv"))
assert next(r) == "rank,region,sector,name,variable,unit,mean,standard_error".split(",") + P
rows = [dict(zip("rank,region,sector,name,variable,unit,mean,standard_error".split(",") + P, x)) for x in r]
assert len(rows) == 2 * n, (len(rows), n)
va = [x for x in rows if x["variable"] == "value_added_loss"]
ol = [x for x in rows if x["variable"] == "output_loss"]
assert len(va) == n and len(ol) == n and len({(x["region"], x["sector"]) for x in va}) == n
assert [int(x["rank"]) for x in va] == list(range(1, n + 1))
med = [float(x["p50"]) for x in va]
assert all(a >= b for a, b in zip(med, med[1:])), "not ranked by median value-added loss"
for x in rows:
    v = [float(x[p]) for p in P]
    assert all(a <= b for a, b in zip(v, v[1:])), x
    assert x["unit"] == s["table"]["unit"]
def close(a, b, scale):
    return abs(a - b) <= 1e-9 * abs(scale)
m = s["monte_carlo"]["mean"]
assert close(sum(float(x["mean"]) for x in va), m["gdp_loss"], m["gdp_loss"])
assert close(sum(float(x["mean"]) for x in ol), m["production_loss"], m["production_loss"])
r = csv.reader(open(d + "/mc_by_industry_monthly.csv"))
assert next(r) == "month,region,sector,variable,unit,mean,standard_error".split(",") + P
mon = [dict(zip("month,region,sector,variable,unit,mean,standard_error".split(",") + P, x)) for x in r]
months = sorted({x["month"] for x in mon})
assert months == [x["month"] for x in s["monthly"]], months
assert len(mon) == n * len(months) and all(x["variable"] == "value_added_loss" for x in mon)
tot = {}
for x in mon:
    k = (x["region"], x["sector"])
    tot[k] = tot.get(k, 0.0) + float(x["mean"])
for x in va:
    assert close(tot[(x["region"], x["sector"])], float(x["mean"]), m["gdp_loss"]), x
top = s["monte_carlo"]["by_industry"]
assert len(top) == 10
for e, x in zip(top, va):
    assert (e["rank"], e["region"], e["sector"]) == (int(x["rank"]), x["region"], x["sector"])
    assert e["value_added_loss"]["50"] == float(x["p50"]) and e["output_loss"]["95"] == float(ol[e["rank"] - 1]["p95"])
PY
# the mc directory's scenario.resolved.yaml (with the draws and seed used) reruns the same draws
"$BIN" mc "$S" --draws 12 --seed 5 --threads 2 --out "$T/r1" --no-store >/dev/null || fail "mc --draws 12 --seed 5"
grep -q "^  draws: 12$" "$T/r1/scenario.resolved.yaml" && grep -q "^  seed: 5$" "$T/r1/scenario.resolved.yaml" ||
  fail "scenario.resolved.yaml lacks the draws and seed used"
"$BIN" mc "$T/r1/scenario.resolved.yaml" --threads 1 --out "$T/r2" --no-store >/dev/null || fail "mc of the resolved scenario"
same "$T/r1" "$T/r2"
# Latin hypercube: 1 vs 2 threads identical, one draw per stratum of the
# uniform criticality_scale (after the rank correlation), recorded in the
# summary and the resolved scenario, which reruns the same draws
"$BIN" mc "$S" --sampling lhs --draws 40 --threads 1 --out "$T/h1" --no-store >/dev/null || fail "mc --sampling lhs"
"$BIN" mc "$S" --sampling lhs --draws 40 --threads 2 --out "$T/h2" --no-store >/dev/null || fail "mc --sampling lhs, 2 threads"
same "$T/h1" "$T/h2"
cmp -s "$T/s1/mc_draws.csv" "$T/h1/mc_draws.csv" && fail "lhs gave the plain Monte Carlo draws"
python3 - "$T/h1" <<'PY' || fail "lhs strata"
import csv, json, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(d + "/mc_draws.csv")))
n = len(rows)
assert n == 40
s = sorted(int((float(r["controls.criticality_scale"]) - 0.5) / 1.0 * n) for r in rows)
assert s == list(range(n)), s
assert json.load(open(d + "/summary.json"))["monte_carlo"]["sampling"] == "lhs"
PY
grep -q "^  sampling: lhs$" "$T/h1/scenario.resolved.yaml" || fail "resolved scenario lacks sampling: lhs"
"$BIN" mc "$T/h1/scenario.resolved.yaml" --threads 2 --out "$T/h3" --no-store >/dev/null || fail "mc of the lhs resolved scenario"
same "$T/h1" "$T/h3"
"$BIN" mc "$S" --sampling sobol --out "$T/bad" --no-store >/dev/null 2>"$T/bad.err" && fail "--sampling sobol accepted"
grep -q "sampling needs mc" "$T/bad.err" || fail "--sampling sobol message"
"$BIN" mc "$S" --threads 1 --no-industry-monthly --out "$T/s3" --no-store >/dev/null || fail "mc --no-industry-monthly"
[ -s "$T/s3/mc_by_industry.csv" ] && [ ! -e "$T/s3/mc_by_industry_monthly.csv" ] || fail "--no-industry-monthly"
cmp -s "$T/s1/mc_by_industry.csv" "$T/s3/mc_by_industry.csv" || fail "--no-industry-monthly changed mc_by_industry.csv"
"$BIN" mc "$J" --draws 1000000 --out "$T/big" --no-store >/dev/null 2>"$T/big.err" && fail "1e6 draws not refused"
grep -q "above mc's 2 GiB limit; hint: use at most" "$T/big.err" || fail "memory refusal: $(cat "$T/big.err")"
# the all-central run of the tornado is the scenario's own run
"$BIN" run "$J" --out "$T/run" --no-store >/dev/null || fail "run"
"$BIN" sensitivity "$S" --method tornado --format json >"$T/tor.json" || fail "sensitivity tornado"
python3 - "$T/run/summary.json" "$T/tor.json" <<'PY' || fail "tornado central differs from run"
import json, sys
g = json.load(open(sys.argv[1]))["gdp_loss"]["value"]
t = json.load(open(sys.argv[2]))["tornado"]
assert abs(t["central"] - g) <= 1e-9 * g, (t["central"], g)
assert len(t["bars"]) == 2 and t["bars"][0]["swing"] >= t["bars"][1]["swing"]
PY
"$BIN" sensitivity "$S" --method tornado --out "$T/s1" >/dev/null || fail "sensitivity --out"
grep -q '"tornado"' "$T/s1/summary.json" && [ -s "$T/s1/sensitivity.csv" ] || fail "sensitivity did not write its files"
"$BIN" report "$T/s1" -o "$T/rs.html" >/dev/null && grep -q '"sensitivity"' "$T/rs.html" || fail "report lacks the sensitivity data"
"$BIN" report "$T/j2" -o "$T/r.html" >/dev/null || fail "report of the mc directory"
grep -q 'production_realised' "$T/r.html" && grep -q '"fans"' "$T/r.html" || fail "report lacks the fan data"
# MPI: a `make MPI=1` binary in $MPI_BUILD, else (OpenMPI installed) the CLI
# compiled here with mpicc against $CP_BUILD/libchokepoint.a plus
# src/results/unc_mpi.c with -DCP_HAVE_MPI (as tests/mpi/check.sh does).
B=${CP_BUILD:-build}
if [ -z "${MPI_BUILD:-}" ] && command -v mpicc >/dev/null && command -v mpirun >/dev/null && [ -f "$B/libchokepoint.a" ] &&
   ! nm "$B/libchokepoint.a" 2>/dev/null | grep -q "__asan_report"; then
  MPI_BUILD=$T/mpi
  mkdir -p "$MPI_BUILD"
  # shellcheck disable=SC2046
  mpicc -std=c17 -D_GNU_SOURCE -DCP_HAVE_MPI -DCP_DATADIR="\"$PWD/data\"" -O2 -Iinclude -Isrc \
    $(pkg-config --cflags gsl lapacke libfyaml jansson sqlite3) cli/*.c src/results/unc_mpi.c "$B/libchokepoint.a" \
    -o "$MPI_BUILD/chokepoint" $(pkg-config --libs openblas lapacke gsl libfyaml jansson sqlite3 | sed 's/-lgslcblas//') \
    -lm -lpthread 2>"$T/mpicc.err" || { cat "$T/mpicc.err"; fail "mpicc of the CLI"; }
fi
if [ -n "${MPI_BUILD:-}" ] && [ -x "$MPI_BUILD/chokepoint" ] && command -v mpirun >/dev/null; then
  flags="--oversubscribe"; [ "$(id -u)" = 0 ] && flags="$flags --allow-run-as-root"
  export OMPI_MCA_btl_vader_single_copy_mechanism=none
  for np in 1 2; do
    mpirun $flags -np $np "$MPI_BUILD/chokepoint" mc "$S" --threads 1 --out "$T/m$np" --no-store >/dev/null 2>"$T/m$np.err" ||
      { cat "$T/m$np.err"; fail "mpirun -np $np mc"; }
    same "$T/s1" "$T/m$np"
  done
  mpirun $flags -np 2 "$MPI_BUILD/chokepoint" mc "$S" --sampling lhs --draws 40 --threads 1 --out "$T/hm" --no-store >/dev/null 2>"$T/hm.err" ||
    { cat "$T/hm.err"; fail "mpirun -np 2 mc --sampling lhs"; }
  same "$T/h1" "$T/hm"
  "$BIN" sensitivity "$S" --samples 8 --top 2 --format csv >"$T/sens1.csv" || fail "sensitivity"
  mpirun $flags -np 2 "$MPI_BUILD/chokepoint" sensitivity "$S" --samples 8 --top 2 --format csv >"$T/sens2.csv" 2>"$T/sens2.err" ||
    { cat "$T/sens2.err"; fail "mpirun -np 2 sensitivity"; }
  cmp -s "$T/sens1.csv" "$T/sens2.csv" || fail "sensitivity under mpirun -np 2 differs"
  echo "mc: 1 vs 2 threads and mpirun -np 1/2 identical (mc and sensitivity)"
else
  echo "mc: 1 vs 2 threads identical (MPI part skipped: OpenMPI not installed)"
fi
