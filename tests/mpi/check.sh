#!/usr/bin/env bash
# tests/mpi/check.sh — `mpirun -np 1`, `-np 2` and `-np 3` (and 1 vs 2
# threads per process) give bit-identical percentiles and per-draw outputs.
# Run by tests/run.sh (exit 0 pass, 77 skip when OpenMPI is missing).
# Builds tests/mpi/mpi_unc.c with mpicc against $CP_BUILD/libchokepoint.a,
# overriding the library's MPI stub with src/results/unc_mpi.c compiled
# with -DCP_HAVE_MPI, so the normal build needs no MPI.
#   apt-get install -y libopenmpi-dev openmpi-bin
set -u
cd "$(dirname "$0")/../.."
if ! command -v mpicc >/dev/null || ! command -v mpirun >/dev/null; then
  echo "OpenMPI not installed (apt-get install -y libopenmpi-dev openmpi-bin)"; exit 77
fi
B=${CP_BUILD:-build}
[ -f "$B/libchokepoint.a" ] || { echo "no $B/libchokepoint.a; run make first"; exit 1; }
OUT="$B/mpi"; mkdir -p "$OUT"
# a sanitized library (make asan) needs the same runtime; OpenMPI's own
# allocations would otherwise be reported as leaks
SAN=""
if nm "$B/libchokepoint.a" 2>/dev/null | grep -q "__asan_report"; then
  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer"
  export ASAN_OPTIONS=detect_leaks=0
fi
# shellcheck disable=SC2046,SC2086
mpicc -std=c17 -D_GNU_SOURCE -DCP_HAVE_MPI -O2 -Wall -Wextra -Werror $SAN -Iinclude \
  $(pkg-config --cflags gsl lapacke) tests/mpi/mpi_unc.c src/results/unc_mpi.c \
  "$B/libchokepoint.a" -o "$OUT/mpi_unc" \
  $(pkg-config --libs gsl lapacke openblas | sed 's/-lgslcblas//') -lm -lpthread || exit 1
# root needs --allow-run-as-root; more ranks than cores needs --oversubscribe
flags="--oversubscribe"
[ "$(id -u)" = 0 ] && flags="$flags --allow-run-as-root"
export OMPI_MCA_btl_vader_single_copy_mechanism=none   # containers without CMA
N=${MPI_DRAWS:-4000}
run() { # np threads
  # shellcheck disable=SC2086
  mpirun $flags -np "$1" "$OUT/mpi_unc" "$N" "$2" >"$OUT/np$1_t$2.txt" 2>"$OUT/np$1_t$2.err" ||
    { echo "mpirun -np $1 failed:"; cat "$OUT/np$1_t$2.err"; exit 1; }
}
run 1 1; run 2 1; run 2 2; run 3 1
[ -s "$OUT/np1_t1.txt" ] || { echo "no output from -np 1"; exit 1; }
for f in np2_t1 np2_t2 np3_t1; do
  cmp -s "$OUT/np1_t1.txt" "$OUT/$f.txt" || { echo "$f differs from np1_t1:"; diff "$OUT/np1_t1.txt" "$OUT/$f.txt" | head -5; exit 1; }
done
echo "mpi: -np 1/2/3, 1/2 threads: identical percentiles ($N draws, $(tail -1 "$OUT/np1_t1.txt"))"
