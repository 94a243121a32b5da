#!/usr/bin/env bash
# make-data.sh — regenerate the shipped tables in data/ from the published
# sources in ../shared/data, with `chokepoint import` (each table gets its
# provenance.md: source files with SHA-256, every transformation, balance).
#
#   scripts/make-data.sh                 build/chokepoint, ../shared/data
#   CP_BIN=build-x/chokepoint CP_SHARED=/path/to/shared scripts/make-data.sh
#
# The script is the only way data/ tables are made; never edit them by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${CP_BIN:-build/chokepoint}
SRC=${CP_SHARED:-../shared}/data
if [ ! -x "$BIN" ]; then
  echo "make-data: $BIN not built; building it" >&2
  make --no-print-directory "BUILD=$(dirname "$BIN")" "$BIN"
fi
for f in japan_io_2015_37sector_bnJPY.csv japan_io_2015_37sector_names.csv \
         japan_io_2015_185sector_bnJPY.csv oecd2021_niot_JPN_2018_musd.csv \
         oecd2021_niot_CHN_2018_musd.csv wiod2013_2011_6region_35sector_musd.csv; do
  [ -r "$SRC/$f" ] || { echo "make-data: missing source $SRC/$f (set CP_SHARED)" >&2; exit 2; }
done

# one table: NAME FORMAT SOURCES...
imp() {
  local name=$1 fmt=$2; shift 2
  rm -rf "data/$name.tmp"
  "$BIN" import "$fmt" "$@" -o "data/$name.tmp" --name "$name"
  rm -rf "data/$name"
  mv "data/$name.tmp" "data/$name"
}

imp japan-2015-37  mic  "$SRC/japan_io_2015_37sector_bnJPY.csv" "$SRC/japan_io_2015_37sector_names.csv"
imp japan-2015-185 mic  "$SRC/japan_io_2015_185sector_bnJPY.csv" data/src/mic2015_185_names_en.csv
imp oecd-2018-jpn  oecd "$SRC/oecd2021_niot_JPN_2018_musd.csv"
imp oecd-2018-chn  oecd "$SRC/oecd2021_niot_CHN_2018_musd.csv"
imp wiod-2011-6r   wiod "$SRC/wiod2013_2011_6region_35sector_musd.csv"
echo "make-data: data/ regenerated"
