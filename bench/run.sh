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

[ -f "$BUILD/libchokepoint.a" ] || make --no-print-directory BUILD="$BUILD" all

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

ALL_SECTIONS="leontief"
for s in ${BENCH_SECTIONS:-$ALL_SECTIONS}; do
  "section_$s"
done
