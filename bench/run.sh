#!/usr/bin/env bash
# bench/run.sh — chokepoint's benchmarks, one section per benchmark.
#
#   bench/run.sh                  every section
#   BENCH_SECTIONS="leontief" bench/run.sh
#   BENCH_SIZES="1000 3000 8000"  matrix sizes for the Leontief section
#   BENCH_REPS=3                  repetitions per measurement (best kept)
#   BUILD=build                   where libchokepoint.a is (built if missing)
#
# To add a benchmark: write a function section_<name> below that prints its
# own lines (name, times, ratio against its baseline), and add <name> to
# ALL_SECTIONS.  Programs are compiled here against $BUILD/libchokepoint.a
# with pkg-config, so the Makefile needs no bench rules.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BENCH_SIZES=${BENCH_SIZES:-"1000 3000"}
export BENCH_REPS=${BENCH_REPS:-3}
OUT="$BUILD/bench"
mkdir -p "$OUT"
CC=${CC:-cc}
CFLAGS_BENCH="-std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Iinclude"
PKGS="openblas lapacke"

make --no-print-directory BUILD="$BUILD" all >/dev/null   # incremental: never bench a stale library

# compile NAME: bench/NAME.c -> $OUT/NAME
compile() {
  # shellcheck disable=SC2046
  $CC $CFLAGS_BENCH $(pkg-config --cflags $PKGS) "bench/$1.c" -o "$OUT/$1" \
    "$BUILD/libchokepoint.a" $(pkg-config --libs $PKGS) -lm
}

# --- Leontief inverse: chokepoint vs plain LAPACKE_dgesv vs numpy (pymrio) ---
section_leontief() {
  echo "== leontief: L = (I - A)^-1, dense random A, sizes $BENCH_SIZES, best of $BENCH_REPS"
  echo "   (threads: ${OPENBLAS_NUM_THREADS:-all} of $(nproc) cores)"
  compile bench_leontief
  # shellcheck disable=SC2086
  "$OUT/bench_leontief" $BENCH_SIZES | tee "$OUT/leontief.txt"
  local py=/usr/bin/python3
  if "$py" -c 'import numpy' 2>/dev/null; then
    # shellcheck disable=SC2086
    "$py" bench/numpy_leontief.py $BENCH_SIZES >"$OUT/numpy.txt"
    while read -r n tnp; do
      tcp=$(awk -v n="$n" '$2 == "n="n {print $4}' "$OUT/leontief.txt")
      awk -v n="$n" -v a="$tcp" -v b="$tnp" 'BEGIN {
        printf "leontief n=%-5s chokepoint %8.3f s   numpy inv(I-A) %8.3f s   ratio %.2f\n", n, a, b, a / b }'
    done <"$OUT/numpy.txt"
  else
    echo "leontief: numpy comparison skipped (apt-get install -y python3-numpy)"
  fi
}

# --- ARIO: ms per step and peak memory vs BoARIO's measured figures ------
# Sizes: ARIO_SIZES (default "48 200 1000"); CP_BENCH_BIG=1 adds 3000 and
# 8000 (8000 needs ~1.5 GB and a few minutes).  CP_BENCH_STORAGE=dense|sparse
# forces the storage.  365 steps per size (ARIO_STEPS).
section_ario() {
  local sizes=${ARIO_SIZES:-"48 200 1000"}
  [ "${CP_BENCH_BIG:-0}" = 1 ] && sizes="$sizes 3000 8000"
  echo "== ario: synthetic MRIO (seeded, domestic-biased, ~55% intermediate), ${ARIO_STEPS:-365} steps, sizes $sizes"
  echo "   BoARIO on this machine class: 0.6-0.9 ms/step at 48, 38.5 ms at 1000, 430 ms at 3000, 4325 ms and 7.3 GB at 8000"
  $CC $CFLAGS_BENCH "bench/bench_ario.c" -o "$OUT/bench_ario" "$BUILD/libchokepoint.a" -lm -lpthread
  # shellcheck disable=SC2086
  "$OUT/bench_ario" -s "${ARIO_STEPS:-365}" $sizes | tee "$OUT/ario.txt"
}

# --- Monte Carlo: draws/s through cp_unc_run (docs/uncertainty.md) -----
# A stand-in model (BENCH_MC_DRAWS, default 10000), then the real ARIO
# engine on data/japan-2015-37 (BENCH_MC_ARIO_DRAWS, default 1000), both on
# BENCH_MC_THREADS threads (default 2) against 1 thread.
section_mc() {
  local n=${BENCH_MC_DRAWS:-10000} nt=${BENCH_MC_THREADS:-2} na=${BENCH_MC_ARIO_DRAWS:-1000}
  echo "== mc: $n draws on $nt threads (OpenBLAS single-threaded inside each draw)"
  # shellcheck disable=SC2046
  $CC $CFLAGS_BENCH $(pkg-config --cflags openblas lapacke gsl) bench/bench_mc.c -o "$OUT/bench_mc" \
    "$BUILD/libchokepoint.a" $(pkg-config --libs openblas lapacke gsl libfyaml jansson sqlite3 | sed 's/-lgslcblas//') \
    -lm -lpthread
  OPENBLAS_NUM_THREADS=1 "$OUT/bench_mc" "$n" "$nt" | tee "$OUT/mc.txt"
  OPENBLAS_NUM_THREADS=1 "$OUT/bench_mc" --ario data/japan-2015-37 "$na" "$nt" | tee -a "$OUT/mc.txt"
}

# --- mc on the Japan case: `chokepoint mc`'s model (cp_scn_mc), every free
# account range of japan-cutoff-12m; BENCH_MC_JAPAN_DRAWS (default 10000),
# BENCH_MC_THREADS (default 2), BENCH_MC_JAPAN_DRAWS1 (1-thread run, 200).
section_mc_japan() {
  local n=${BENCH_MC_JAPAN_DRAWS:-10000} nt=${BENCH_MC_THREADS:-2} n1=${BENCH_MC_JAPAN_DRAWS1:-200}
  echo "== mc japan: japan-cutoff-12m, $n draws on $nt threads (controls + ARIO 365 days on 185 sectors per draw)"
  # shellcheck disable=SC2046
  $CC $CFLAGS_BENCH $(pkg-config --cflags openblas lapacke gsl) bench/bench_mc_japan.c -o "$OUT/bench_mc_japan" \
    "$BUILD/libchokepoint.a" $(pkg-config --libs openblas lapacke gsl libfyaml jansson sqlite3 | sed 's/-lgslcblas//') \
    -lm -lpthread
  OPENBLAS_NUM_THREADS=1 "$OUT/bench_mc_japan" scenarios/japan-cutoff-12m.yaml "$n" "$nt" "$n1" | tee "$OUT/mc_japan.txt"
  echo "   (every phase of the command itself, after the draws too: CP_MC_TIMES=1 chokepoint mc ... on stderr)"
}

# --- controls per Monte Carlo draw: bench/bench_controls.c on
# japan-cutoff-12m (mc_prepare's calls: restore, draw every account range,
# bind, run, cap series); a new result per draw (cp_ctl_run, the baseline)
# against one reused result (cp_ctl_run_into), same draws, bits compared.
# BENCH_CONTROLS_DRAWS (default 2000) per repetition, best of BENCH_REPS.
section_controls() {
  local n=${BENCH_CONTROLS_DRAWS:-2000}
  echo "== controls: japan-cutoff-12m, $n draws of bind + run + cap series (us per draw; 2 ms/draw is the whole mc budget)"
  echo "   before the fast paths (1faf3ab, this machine class): 557 us CPU per draw"
  echo "   before the material-major/AVX2 run (2d8aa42): reuse ~167 us, run_core ~153 of it"
  # shellcheck disable=SC2046
  $CC $CFLAGS_BENCH $(pkg-config --cflags openblas lapacke gsl) bench/bench_controls.c -o "$OUT/bench_controls" \
    "$BUILD/libchokepoint.a" $(pkg-config --libs openblas lapacke gsl libfyaml jansson sqlite3 | sed 's/-lgslcblas//') \
    -lm -lpthread
  "$OUT/bench_controls" scenarios/japan-cutoff-12m.yaml "$n" | tee "$OUT/controls.txt"
}

# --- ARIO batches: the packed engine's lanes against one-lane runs -------
# The japan-cutoff-12m caps scaled per lane (bench/bench_batch.c);
# BENCH_BATCHES batches (default 20), best of 3.
section_ario_batch() {
  echo "== ario batch: japan-cutoff-12m caps, a batch of lanes vs one-lane packed and general runs"
  # shellcheck disable=SC2046
  $CC $CFLAGS_BENCH $(pkg-config --cflags openblas lapacke gsl) bench/bench_batch.c -o "$OUT/bench_batch" \
    "$BUILD/libchokepoint.a" $(pkg-config --libs openblas lapacke gsl libfyaml jansson sqlite3 | sed 's/-lgslcblas//') \
    -lm -lpthread
  OPENBLAS_NUM_THREADS=1 "$OUT/bench_batch" scenarios/japan-cutoff-12m.yaml "${BENCH_BATCHES:-20}" | tee "$OUT/ario_batch.txt"
}

ALL_SECTIONS="leontief ario mc ario_batch mc_japan controls"
for s in ${BENCH_SECTIONS:-$ALL_SECTIONS}; do
  "section_$s"
done
