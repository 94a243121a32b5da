#!/usr/bin/env python3
"""make_fixture.py — write tests/report/fixture/, a small SYNTHETIC run output
directory (docs/outputs.md) used by the run-store CLI cases and the report
check.  The numbers are invented to exercise every report section; they are
not a model result.  Values are written as %.15g when that reads back
exactly, else %.17g, as chokepoint's writers do, so an export of the stored
run is byte-identical.  Run: python3 tests/report/make_fixture.py"""
import datetime, json, os

def fmt(v):
    s = "%.15g" % v
    return s if float(s) == v else "%.17g" % v

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "fixture")
os.makedirs(out, exist_ok=True)

steps = 120
start = datetime.date(2025, 4, 4)
# sector: (daily output at step 0, value-added share, dysprosium days of stock, sensitivity)
sectors = {"MAG": (12.0, 0.30, 20, 0.9), "MOT": (35.0, 0.28, 35, 0.6),
           "VEH": (140.0, 0.22, 50, 0.35), "ELE": (90.0, 0.31, 45, 0.25),
           "SRV": (600.0, 0.62, 10**9, 0.0)}

def avail(t):  # dysprosium supply, fraction of normal
    if t < 10: return 1.0
    if t < 40: return 0.35
    return min(1.0, 0.35 + 0.55 * (t - 40) / 79)

def terb(t):
    if t < 10: return 1.0
    return min(1.0, 0.6 + 0.4 * max(0, t - 60) / 59)

rows, by = [], {}
tot = [0.0] * steps
for t in range(steps):
    date = (start + datetime.timedelta(days=t)).isoformat()
    rows.append((t, date, "CHN", "dysprosium", "material_availability", round(avail(t), 6)))
    rows.append((t, date, "CHN", "terbium", "material_availability", round(terb(t), 6)))
    for s, (x0, va, stock, sens) in sectors.items():
        short = (1 - avail(t)) if t >= 10 + stock else 0.0
        x = round(x0 * (1 - sens * short), 6)
        unmet = round(0.3 * (x0 - x), 6)
        rows.append((t, date, "JPN", s, "production_realised", x))
        rows.append((t, date, "JPN", s, "value_added", round(x * va, 6)))
        rows.append((t, date, "JPN", s, "final_demand_unmet", unmet))
        b = by.setdefault(s, [0.0, 0.0])
        b[0] += x0 - x
        b[1] += (x0 - x) * va
        tot[t] += x
for t in range(steps):
    date = (start + datetime.timedelta(days=t)).isoformat()
    for p, k in ((5, 1.6), (25, 1.2), (50, 1.0), (75, 0.8), (95, 0.5)):
        rows.append((t, date, "JPN", "", "production_realised_p%02d" % p,
                     round(tot[0] - k * (tot[0] - tot[t]), 6)))

with open(os.path.join(out, "timeseries.csv"), "w", newline="\n") as f:
    f.write("step,date,region,sector,variable,value\n")
    for r in rows:
        f.write("%d,%s,%s,%s,%s,%s\n" % (r[0], r[1], r[2], r[3], r[4], fmt(r[5])))

pl = sum(b[0] for b in by.values())
vl = sum(b[1] for b in by.values())
gdp_year = 365 * sum(x0 * va for x0, va, _, _ in sectors.values())
summary = {
    "schema": "chokepoint-run", "schema_version": 1, "chokepoint_version": "0.1.0",
    "scenario": "tests/report/fixture (synthetic)",
    "title": "Synthetic fixture: dysprosium and terbium controls",
    "table": {"name": "synthetic-5", "unit": "bn JPY", "year": 2015},
    "steps": steps, "step_unit": "day", "unit_per_step": "bn JPY per day",
    "production_loss": round(pl, 6), "value_added_loss": round(vl, 6),
    "final_demand_unmet_total": round(0.3 * pl, 6),
    "min_total_production_ratio": round(min(tot) / tot[0], 6),
    "had_shortage": True,
    "gdp_loss": {"value": round(vl, 6), "unit": "bn JPY", "price_year": 2015},
    "gdp_loss_pct": round(100 * vl / gdp_year, 6),
    "percentiles": {"gdp_loss_pct": {"5": round(50 * vl / gdp_year, 6), "50": round(100 * vl / gdp_year, 6),
                                      "95": round(160 * vl / gdp_year, 6)}},
    "by_sector": [{"region": "JPN", "sector": s, "production_loss": round(b[0], 6),
                   "value_added_loss": round(b[1], 6)} for s, b in by.items()],
    "published_estimates": [
        {"study": "synthetic study A", "horizon_months": 3, "gdp_loss": {"value": 25.0, "unit": "bn JPY"},
         "gdp_loss_pct": 0.05, "source": "invented for this fixture"},
        {"study": "synthetic study B", "horizon_months": 12, "gdp_loss": {"value": 60.0, "unit": "bn JPY"},
         "gdp_loss_pct": 0.12, "source": "invented for this fixture"}],
    "assumptions": [
        {"name": "dysprosium supply during the control", "value": 0.35, "unit": "share of normal",
         "source": "invented for this fixture"},
        {"name": "magnet makers' dysprosium stock", "value": 20, "unit": "days",
         "source": "invented for this fixture", "note": "<b>not bold</b> — labels are text"}],
}
with open(os.path.join(out, "summary.json"), "w") as f:
    json.dump(summary, f, indent=2)
    f.write("\n")
with open(os.path.join(out, "scenario.resolved.yaml"), "w") as f:
    f.write("# synthetic fixture scenario (tests/report/make_fixture.py)\n"
            "table: synthetic-5\nsteps: %d\nario:\n  psi_param: 0.8\n  main_inv_dur: 90\n"
            "controls:\n  - material: dysprosium\n    from: CHN\n    start: 2025-04-14\n" % steps)
print("wrote", out, len(rows), "rows")
