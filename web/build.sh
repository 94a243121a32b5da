#!/usr/bin/env bash
# build.sh — regenerate src/outputs/report_assets.c: the report template
# (web/report.html + web/report.js) and the pinned Chart.js build, as C
# strings.  Needs node and npm (the npm registry) only when the lock file or
# the template changes; the generated file is committed, so `make` on a
# machine without npm still builds.  Usage: web/build.sh
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
node embed.js ../src/outputs/report_assets.c
echo "web/build.sh: wrote src/outputs/report_assets.c"
