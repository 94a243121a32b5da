/*
 * report_assets.h — the report's page template and charting library,
 * embedded by web/build.sh into report_assets.c (generated; committed so a
 * machine without npm still builds).  See docs/report.md.
 */
#ifndef CP_REPORT_ASSETS_H
#define CP_REPORT_ASSETS_H

#include <stddef.h>

/* The HTML template (web/report.html with web/report.js inlined); holds the
 * markers @@TITLE@@, the Chart.js marker and the data marker. */
const char *cp_report_asset_template(size_t *len);
/* The minified Chart.js UMD build, licence banner included. */
const char *cp_report_asset_chartjs(size_t *len);
/* "chart.js X.Y.Z" — what the page was built with. */
const char *cp_report_asset_versions(void);

#endif
