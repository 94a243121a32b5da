#!/usr/bin/env bash
# deps.sh — install the Debian packages chokepoint needs, or print the exact
# command when not root.  Called by `make run` and `make test`, so either
# works first on a fresh Debian 12 machine.
#   scripts/deps.sh [build|test|fuzz|all]
set -euo pipefail
need_build="build-essential pkg-config libopenblas-dev liblapacke-dev libgsl-dev libfyaml-dev libjansson-dev libsqlite3-dev"
need_test="libcmocka-dev chromium libopenmpi-dev openmpi-bin"
need_fuzz="clang libclang-rt-14-dev"
case "${1:-build}" in
  build) want="$need_build" ;;
  test)  want="$need_build $need_test" ;;
  fuzz)  want="$need_build $need_fuzz" ;;
  all)   want="$need_build $need_test $need_fuzz" ;;
  *) echo "usage: $0 [build|test|fuzz|all]" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "deps: installing:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || true
  apt-get install -y -qq --no-install-recommends $missing >&2
else
  echo "deps: missing Debian packages:$missing" >&2
  echo "deps: run:  sudo apt-get install -y$missing" >&2
  exit 1
fi
