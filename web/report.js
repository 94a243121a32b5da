// report.js — draws chokepoint's run report from the data block that
// src/outputs/report.c writes into the page (docs/report.md).  Every section
// is optional: a section whose data is absent is left out.  Data is only
// ever inserted as text (never as HTML), so labels cannot inject markup.
(function () {
  'use strict';

  var D = JSON.parse(document.getElementById('cp-data').textContent);
  var S = D.summary || {};
  var main = document.getElementById('cp-main');
  var palette = ['#b4361f', '#1f5fb4', '#2e8b57', '#c98a00', '#7a3fb4', '#0f8a8a',
                 '#b41f7a', '#5b6676', '#8a5a0f', '#3f7ab4'];

  // Create an element with attributes and children (strings become text).
  function el(tag, attrs) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  // Format a number with about four significant digits and separators.
  function fmt(v, digits) {
    if (typeof v !== 'number' || !isFinite(v)) return '–';
    var a = Math.abs(v);
    var d = digits !== undefined ? digits : (a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 4);
    return v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: 0 });
  }

  // Is x a number?
  function num(x) { return typeof x === 'number' && isFinite(x); }

  // A section with a heading and an optional note.
  function section(title, note) {
    var s = el('section', {}, el('h2', {}, title));
    if (note) s.appendChild(el('p', { class: 'note' }, note));
    main.appendChild(s);
    return s;
  }

  // A canvas in a sized box, appended to parent; returns the canvas.
  function canvas(parent, tall) {
    var c = el('canvas');
    parent.appendChild(el('div', { class: tall ? 'chart tall' : 'chart' }, c));
    return c;
  }

  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif';
  Chart.defaults.color = '#1d2430';

  var unit = (S.table && S.table.unit) || '';
  var stepUnit = S.step_unit || 'step';
  var steps = D.steps || [];
  var labels = D.dates ? D.dates.map(function (d, i) { return d || String(steps[i]); }) : steps;
  var xTitle = D.dates ? 'date' : stepUnit;

  // ---- subtitle and footer -------------------------------------------------
  (function meta() {
    var parts = [];
    if (S.scenario) parts.push('scenario ' + S.scenario);
    if (S.table && S.table.name) parts.push('table ' + S.table.name + (S.table.year ? ' (' + S.table.year + ')' : ''));
    if (S.steps) parts.push(S.steps + ' ' + stepUnit + (S.steps === 1 ? '' : 's'));
    if (unit) parts.push('flows in ' + unit);
    document.getElementById('cp-subtitle').textContent = parts.join(' · ');
    var m = D.meta || {};
    var f = ['Generated ' + (m.generated || '') + ' by chokepoint ' + (m.chokepoint_version || '') +
             ' with ' + (m.charts || 'chart.js') + '.'];
    if (m.source) f.push('Source: ' + m.source + '.');
    if (S.chokepoint_version) f.push('Run made by chokepoint ' + S.chokepoint_version + '.');
    document.getElementById('cp-footer').textContent = f.join(' ');
  })();

  // ---- headline figures ----------------------------------------------------
  (function headline() {
    var P = S.percentiles || {};
    var figs = [
      ['GDP loss', S.gdp_loss && S.gdp_loss.value, S.gdp_loss && (S.gdp_loss.unit + (S.gdp_loss.price_year ? ', ' + S.gdp_loss.price_year + ' prices' : '')), 'gdp_loss'],
      ['GDP loss', S.gdp_loss_pct, '% of annual GDP', 'gdp_loss_pct'],
      ['Production loss', S.production_loss, unit, 'production_loss'],
      ['Value-added loss', S.value_added_loss, unit, 'value_added_loss'],
      ['Final demand unmet', S.final_demand_unmet_total, unit, 'final_demand_unmet_total'],
      ['Lowest total production', num(S.min_total_production_ratio) ? 100 * S.min_total_production_ratio : undefined, '% of pre-shock output', 'min_total_production_ratio'],
      ['Any shortage', typeof S.had_shortage === 'boolean' ? (S.had_shortage ? 'yes' : 'no') : undefined, '', null]
    ];
    var cards = el('div', { class: 'cards' });
    figs.forEach(function (f) {
      if (f[1] === undefined || f[1] === null) return;
      var card = el('div', { class: 'card' }, el('div', { class: 'label' }, f[0]),
                    el('div', { class: 'value' }, typeof f[1] === 'number' ? fmt(f[1]) : f[1]),
                    el('div', { class: 'unit' }, f[2] || ''));
      var p = f[3] && P[f[3]];
      if (p && num(p['5']) && num(p['95'])) {
        var k = f[3] === 'min_total_production_ratio' ? 100 : 1;
        card.appendChild(el('div', { class: 'range' }, '90 % range ' + fmt(k * p['5']) + ' – ' + fmt(k * p['95'])));
      }
      cards.appendChild(card);
    });
    if (!cards.childNodes.length) return;
    section('Headline figures', 'Totals over the whole run' + (S.steps ? ' (' + S.steps + ' ' + stepUnit + 's)' : '') + '.').appendChild(cards);
  })();

  // Output loss in % of the first step's total, from a per-step total.
  function lossPct(series, base) {
    var b = num(base) ? base : series.find(num);
    return series.map(function (v) { return num(v) && b ? 100 * (1 - v / b) : null; });
  }

  // ---- timeline: material availability and output loss --------------------
  (function timeline() {
    var prod = D.totals && D.totals.production_realised;
    var av = D.availability || [];
    if (!steps.length || (!prod && !av.length)) return;
    var ds = [];
    av.forEach(function (a, i) {
      var name = [a.sector, a.region].filter(Boolean).join(' from ') || a.variable;
      ds.push({ label: name + ' available', data: a.values.map(function (v) { return num(v) ? 100 * v : null; }),
                yAxisID: 'y', borderColor: palette[(i + 1) % palette.length], backgroundColor: palette[(i + 1) % palette.length],
                borderDash: [6, 3], pointRadius: 0, borderWidth: 2, tension: 0 });
    });
    if (prod) ds.push({ label: 'output loss', data: lossPct(prod), yAxisID: av.length ? 'y1' : 'y',
                        borderColor: palette[0], backgroundColor: 'rgba(180,54,31,.15)', fill: 'origin',
                        pointRadius: 0, borderWidth: 2.5, tension: 0 });
    var scales = { x: { title: { display: true, text: xTitle }, ticks: { maxTicksLimit: 12 } } };
    if (av.length) {
      scales.y = { min: 0, max: 100, title: { display: true, text: 'availability (% of normal supply)' } };
      if (prod) scales.y1 = { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false },
                              title: { display: true, text: 'output loss (% of pre-shock output)' } };
    } else scales.y = { beginAtZero: true, title: { display: true, text: 'output loss (% of pre-shock output)' } };
    var s = section(av.length && prod ? 'Timeline: material availability and output loss'
                    : av.length ? 'Timeline: material availability' : 'Timeline: output loss',
      (av.length ? 'Dashed: supply of each controlled material as a share of normal. ' : '') +
      (prod ? 'Filled: total output below its pre-shock level, in % (all industries).' : ''));
    new Chart(canvas(s, true), { type: 'line', data: { labels: labels, datasets: ds },
      options: { interaction: { mode: 'index', intersect: false }, scales: scales,
                 plugins: { legend: { position: 'bottom' } } } });
    var fd = D.totals && D.totals.final_demand_unmet;
    if (fd && fd.some(function (v) { return num(v) && v !== 0; })) {
      var s2 = section('Final demand not served', 'Per ' + stepUnit + ', summed over industries' + (unit ? ', in ' + unit + ' per ' + stepUnit : '') + '.');
      new Chart(canvas(s2), { type: 'line', data: { labels: labels, datasets: [{ label: 'final demand unmet', data: fd,
        borderColor: palette[1], backgroundColor: 'rgba(31,95,180,.15)', fill: 'origin', pointRadius: 0, borderWidth: 2 }] },
        options: { scales: { x: { title: { display: true, text: xTitle }, ticks: { maxTicksLimit: 12 } },
                             y: { beginAtZero: true, title: { display: true, text: unit ? unit + ' per ' + stepUnit : 'per ' + stepUnit } } },
                   plugins: { legend: { display: false } } } });
    }
  })();

  // ---- fan charts from percentile series -----------------------------------
  (function fans() {
    var F = D.fans || {};
    Object.keys(F).forEach(function (base) {
      var ps = Object.keys(F[base]).map(Number).sort(function (a, b) { return a - b; });
      if (ps.length < 2) return;
      var isProd = base === 'production_realised';
      var ref = isProd ? ((D.totals && D.totals.production_realised) || F[base][String(ps[Math.floor(ps.length / 2)])]).find(num) : null;
      var tr = function (arr) { return isProd ? lossPct(arr, ref) : arr; };
      var ds = [];
      // Bands from the outside in: (lowest, highest), then the next pair.
      for (var i = 0, j = ps.length - 1; i < j; i++, j--) {
        var alpha = 0.12 + 0.14 * i;
        ds.push({ label: 'p' + ps[j], data: tr(F[base][String(ps[j])]), borderColor: 'rgba(180,54,31,.35)', borderWidth: 1, pointRadius: 0, fill: false });
        ds.push({ label: ps[i] + '–' + ps[j] + ' % band', data: tr(F[base][String(ps[i])]), borderColor: 'rgba(180,54,31,.35)', borderWidth: 1,
                  pointRadius: 0, fill: '-1', backgroundColor: 'rgba(180,54,31,' + alpha.toFixed(2) + ')' });
      }
      if (ps.length % 2 === 1) {
        var mid = ps[(ps.length - 1) / 2];
        ds.push({ label: 'median (p' + mid + ')', data: tr(F[base][String(mid)]), borderColor: palette[0], borderWidth: 2.5, pointRadius: 0, fill: false });
      }
      var yt = isProd ? 'output loss (% of pre-shock output)' : base.replace(/_/g, ' ') + (unit ? ' (' + unit + ' per ' + stepUnit + ')' : '');
      var s = section('Uncertainty: ' + (isProd ? 'output loss' : base.replace(/_/g, ' ')),
        'Fan chart of the percentiles over the Monte Carlo draws (' + ps.map(function (p) { return 'p' + p; }).join(', ') + ').');
      new Chart(canvas(s), { type: 'line', data: { labels: labels, datasets: ds },
        options: { interaction: { mode: 'index', intersect: false },
                   scales: { x: { title: { display: true, text: xTitle }, ticks: { maxTicksLimit: 12 } },
                             y: { title: { display: true, text: yt } } },
                   plugins: { legend: { position: 'bottom', labels: { filter: function (it) { return !/^p\d+$/.test(it.text); } } } } } });
    });
  })();

  // ---- sensitivity: tornado and Sobol indices (summary.sensitivity, written by
  // `chokepoint sensitivity --out DIR`, docs/uncertainty.md) -------------------
  (function sensitivity() {
    var Sn = S.sensitivity || {};
    var T = Sn.tornado, top = 15;
    if (T && Array.isArray(T.bars) && T.bars.length && num(T.central)) {
      var B = T.bars.slice(0, top);
      var s = section('Sensitivity: tornado of the GDP loss',
        'GDP loss with one parameter at its ' + (T.p_low === 0 ? 'low' : 'p' + Math.round(100 * T.p_low)) + ' and ' +
        (T.p_high === 1 ? 'high' : 'p' + Math.round(100 * T.p_high)) + ' end, every other at its central value (central run: ' +
        fmt(T.central) + (Sn.unit ? ' ' + Sn.unit : '') + '). Widest ' + B.length + ' of ' + T.bars.length + ' parameters.');
      new Chart(canvas(s, B.length > 8), { type: 'bar', data: { labels: B.map(function (b) { return String(b.parameter); }),
        datasets: [{ label: 'low end', data: B.map(function (b) { return [T.central, b.gdp_loss_low]; }), backgroundColor: palette[1] },
                   { label: 'high end', data: B.map(function (b) { return [T.central, b.gdp_loss_high]; }), backgroundColor: palette[0] }] },
        options: { indexAxis: 'y', plugins: { legend: { position: 'bottom' } },
                   scales: { x: { title: { display: true, text: 'GDP loss' + (Sn.unit ? ' (' + Sn.unit + ')' : '') } },
                             y: { stacked: true, ticks: { autoSkip: false } } } } });
    }
    var So = Sn.sobol;
    if (So && Array.isArray(So.indices) && So.indices.length) {
      var s2 = section('Sensitivity: Sobol indices of the GDP loss',
        'Total (ST) and first-order (S1) shares of the variance, with 95 % bootstrap intervals; N = ' + So.N + ' (' + So.runs + ' runs).');
      var t = el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'parameter'), el('th', { class: 'num' }, 'ST'),
        el('th', { class: 'num' }, 'ST 95 %'), el('th', { class: 'num' }, 'S1'), el('th', { class: 'num' }, 'S1 95 %'))));
      var tb = el('tbody');
      So.indices.forEach(function (r) {
        tb.appendChild(el('tr', {}, el('td', {}, String(r.parameter)), el('td', { class: 'num' }, fmt(r.ST, 3)),
          el('td', { class: 'num' }, fmt(r.ST_lo, 3) + ' – ' + fmt(r.ST_hi, 3)), el('td', { class: 'num' }, fmt(r.S1, 3)),
          el('td', { class: 'num' }, fmt(r.S1_lo, 3) + ' – ' + fmt(r.S1_hi, 3))));
      });
      t.appendChild(tb);
      s2.appendChild(t);
    }
  })();

  // Industries with their losses: summary.by_sector, else derived from the series.
  var industries = (Array.isArray(S.by_sector) && S.by_sector.length ? S.by_sector : D.industries) || [];
  var multiRegion = new Set(industries.map(function (r) { return r.region; })).size > 1;
  function indLabel(r) { return multiRegion && r.region ? r.region + ' ' + r.sector : (r.sector || r.region || '?'); }

  // A horizontal bar chart of the largest values of key, top n.
  function bars(title, note, key, color, n) {
    var rows = industries.filter(function (r) { return num(r[key]); });
    if (!rows.length) return null;
    rows.sort(function (a, b) { return b[key] - a[key]; });
    var top = rows.slice(0, n);
    var s = section(title, note + (rows.length > n ? ' Largest ' + n + ' of ' + rows.length + ' industries.' : ''));
    var box = canvas(s, top.length > 12);
    new Chart(box, { type: 'bar', data: { labels: top.map(indLabel),
      datasets: [{ label: title, data: top.map(function (r) { return r[key]; }), backgroundColor: color }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false } },
                 scales: { x: { beginAtZero: true, title: { display: true, text: unit || 'table unit' } },
                           y: { ticks: { autoSkip: false } } } } });
    return s;
  }
  bars('Production loss by industry', 'Output lost over the run, summed over ' + stepUnit + 's' + (unit ? ', in ' + unit : '') + '.', 'production_loss', palette[0], 15);
  bars('Value-added loss by industry', 'Value added (the industry\u2019s contribution to GDP) lost over the run' + (unit ? ', in ' + unit : '') + '.', 'value_added_loss', palette[1], 15);

  // ---- comparison with published estimates ---------------------------------
  (function published() {
    var P = S.published_estimates || S.published;
    if (!Array.isArray(P) || !P.length) return;
    var s = section('Comparison with published estimates',
      'Each study\u2019s headline figure beside this run\u2019s. Studies differ in horizon and assumptions; see the assumptions table.');
    var t = el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'study'), el('th', {}, 'horizon'),
      el('th', { class: 'num' }, 'GDP loss'), el('th', {}, 'unit'), el('th', { class: 'num' }, '% of GDP'), el('th', {}, 'source'))));
    var tb = el('tbody');
    var ours = { study: 'this run', gdp_loss: S.gdp_loss, gdp_loss_pct: S.gdp_loss_pct, horizon: S.steps ? S.steps + ' ' + stepUnit + 's' : '' };
    var all = P.concat(num(S.gdp_loss_pct) || (S.gdp_loss && num(S.gdp_loss.value)) ? [ours] : []);
    all.forEach(function (p) {
      var g = p.gdp_loss || {};
      var gv = num(g) ? g : g.value;
      var horizon = p.horizon || (num(p.horizon_months) ? p.horizon_months + ' months' : '');
      var src = p.source || p.url || '';
      tb.appendChild(el('tr', {}, el('td', {}, p === ours ? el('strong', {}, 'this run') : String(p.study || p.name || '?')),
        el('td', {}, String(horizon)), el('td', { class: 'num' }, fmt(gv)), el('td', {}, String(g.unit || p.unit || '')),
        el('td', { class: 'num' }, fmt(p.gdp_loss_pct)), el('td', {}, String(src))));
    });
    t.appendChild(tb);
    var pcts = all.filter(function (p) { return num(p.gdp_loss_pct); });
    if (pcts.length) {
      var c = canvas(s);
      new Chart(c, { type: 'bar', data: { labels: pcts.map(function (p) { return p === ours ? 'this run' : String(p.study || p.name || '?'); }),
        datasets: [{ label: 'GDP loss (% of annual GDP)', data: pcts.map(function (p) { return p.gdp_loss_pct; }),
                     backgroundColor: pcts.map(function (p) { return p === ours ? palette[0] : palette[7]; }) }] },
        options: { plugins: { legend: { display: false } },
                   scales: { y: { beginAtZero: true, title: { display: true, text: 'GDP loss (% of annual GDP)' } } } } });
    }
    s.appendChild(t);
  })();

  // ---- assumptions with sources ----------------------------------------------
  (function assumptions() {
    var A = S.assumptions;
    if (!Array.isArray(A) || !A.length) return;
    var s = section('Assumptions', 'Every parameter the run rests on, with its source.');
    var t = el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'assumption'), el('th', { class: 'num' }, 'value'),
      el('th', {}, 'unit'), el('th', {}, 'source'), el('th', {}, 'note'))));
    var tb = el('tbody');
    A.forEach(function (a) {
      var v = num(a.value) ? fmt(a.value, 6) : (a.value === undefined || a.value === null ? '' : String(a.value));
      tb.appendChild(el('tr', {}, el('td', {}, String(a.name || a.key || '')), el('td', { class: 'num' }, v),
        el('td', {}, String(a.unit || '')), el('td', {}, String(a.source || '')), el('td', {}, String(a.note || ''))));
    });
    t.appendChild(tb);
    s.appendChild(t);
  })();

  // ---- the scenario ------------------------------------------------------------
  if (D.scenario_text) {
    var s = section('Scenario', 'The scenario file as recorded with the run.');
    s.appendChild(el('details', {}, el('summary', {}, 'show the scenario text'), el('pre', {}, D.scenario_text)));
  }

  if (!main.querySelector('section')) section('No figures', 'summary.json holds none of the figures this report shows (docs/outputs.md).');
  document.body.setAttribute('data-cp-rendered', 'yes');
})();
