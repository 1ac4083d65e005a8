import { POOL_NAMES } from '../../optimizer/types.ts';
import { fleetTotal, nominalCoverage, type NightlySummary } from './nightly-summary.ts';

/** The ids of the report's charts, in page order (the browser test checks each one drew). */
export const REPORT_CHARTS = ['chart-budgets', 'chart-pools', 'chart-jobs', 'chart-savings', 'chart-risk', 'chart-calibration'] as const;

/**
 * report.html for a nightly run: one self-contained page (Chart.js inlined, data embedded as
 * JSON, a Content-Security-Policy that forbids any fetch) so it opens offline from disk or a CI
 * artifact. Every name that comes from a cluster is HTML-escaped; charts draw text on canvas.
 */
export function renderReport(summary: NightlySummary, chartJsSource: string): string {
  const fleetBefore = fleetTotal(summary.jobs, (j) => j.currentProcessSize);
  const fleetAfter = fleetTotal(summary.jobs, (j) => j.recommendedProcessSize);
  const atRisk = summary.jobs.filter((j) => j.risk !== 'low').length;
  const horizon = summary.model?.horizonHours === undefined ? 'the forecast horizon' : `the next ${summary.model.horizonHours} h`;
  const riskMeaning = `probability that some pool needs more than it gets over ${horizon}, from the forecast's quantiles (the model's, calibrated on held-out history; or the conservative rule's where the model must not answer)`;
  const data = {
    pools: POOL_NAMES,
    budgets: summary.budgets,
    jobs: summary.jobs.map((j) => ({ ...j, label: j.jobName ?? j.jobId })),
    poolTotals: {
      current: POOL_NAMES.map((p) => fleetTotal(summary.jobs, (j) => j.current[p])),
      recommended: POOL_NAMES.map((p) => fleetTotal(summary.jobs, (j) => j.recommended[p])),
    },
    calibration: summary.calibration.map((c) => ({ ...c, label: `${c.pool} ${c.quantile}`, nominal: nominalCoverage(c.quantile) })),
    // Two lines: a half-width chart's title does not wrap.
    riskTitle: ['Risk (%): probability that some pool needs more than it gets', `over ${horizon}, from the forecast's quantiles`],
  };
  const jobsChartHeight = Math.max(240, summary.jobs.length * 2 * 16 + 80);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fma nightly report ${escapeHtml(summary.generatedAt)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Flink memory: nightly report</h1>
<p class="meta">Generated ${escapeHtml(summary.generatedAt)}${summary.model ? ` &middot; model ${escapeHtml(summary.model.version)}` : ''} &middot; ${summary.jobs.length} job(s)</p>
</header>
${summary.warnings.length > 0 ? `<section class="warnings"><h2>Warnings</h2><ul>${summary.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></section>` : ''}
<section id="fleet">
<h2>Fleet</h2>
<div class="cards">
<div class="card"><span>TaskManager memory now</span><strong>${gib(fleetBefore)}</strong></div>
<div class="card"><span>Recommended</span><strong>${gib(fleetAfter)}</strong></div>
<div class="card"><span>Saving</span><strong>${gib(fleetBefore - fleetAfter)}</strong><em>${percent(fleetBefore === 0 ? 0 : (fleetBefore - fleetAfter) / fleetBefore)}</em></div>
<div class="card"><span>Jobs at medium/high risk (&gt; 10%)</span><strong>${atRisk}</strong></div>
</div>
<table><thead><tr><th>Budget</th><th>Limit</th><th>Before</th><th>After</th><th>Fits</th></tr></thead><tbody>
${summary.budgets.map((b) => `<tr><td>${escapeHtml(b.name)}</td><td>${b.limit === undefined ? '&ndash;' : gib(b.limit)}</td><td>${gib(b.before)}</td><td>${gib(b.after)}</td><td>${b.feasible ? 'yes' : `no, ${gib(b.shortfall ?? 0)} over`}</td></tr>`).join('\n')}
</tbody></table>
<div class="chart"><canvas id="chart-budgets" role="img" aria-label="Fleet memory before and after, per budget"></canvas></div>
<div class="chart"><canvas id="chart-pools" role="img" aria-label="Fleet memory per pool, current and recommended"></canvas></div>
</section>
<section id="jobs">
<h2>Jobs</h2>
<div class="chart" style="height:${jobsChartHeight}px"><canvas id="chart-jobs" role="img" aria-label="Per job: current and recommended TaskManager memory per pool"></canvas></div>
<div class="pair">
<div class="chart"><canvas id="chart-savings" role="img" aria-label="Saving per job"></canvas></div>
<div class="chart"><canvas id="chart-risk" role="img" aria-label="Per job: ${escapeHtml(riskMeaning)}"></canvas></div>
</div>
<p class="note">Risk is the ${escapeHtml(riskMeaning)}: each pool's p50/p95 read as a log-normal with the coverage those quantiles had on held-out history, pools taken as independent (which overstates it when pools peak together). A forecast, not a measurement: low &le; 10% &lt; medium &le; 25% &lt; high.${summary.jobs.some((j) => j.sessionCluster) ? ' A session cluster&#39;s jobs share its TaskManagers: they are counted once in the fleet totals, and each job&#39;s saving is its share by slots.' : ''}</p>
<table><thead><tr><th>Job</th><th>Cluster</th><th>TMs</th><th>Process size now</th><th>Recommended</th><th>Saving (all TMs)</th><th title="${escapeHtml(riskMeaning)}">Risk (P some pool short)</th><th>Patches</th></tr></thead><tbody>
${summary.jobs.map((j) => `<tr class="risk-${j.risk}"><td title="${escapeHtml(j.jobId)}">${escapeHtml(j.jobName ?? j.jobId)}</td><td>${escapeHtml(j.cluster)}${j.sessionCluster ? ' (session, shared)' : ''}</td><td>${j.taskManagers}</td><td>${mib(j.currentProcessSize)}</td><td>${mib(j.recommendedProcessSize)}${j.heldBack ? ' <span title="change not material (--min-change): last recommendation kept">(held back)</span>' : ''}</td><td>${gib(j.saving)}</td><td>${j.risk} (${percent(j.exceedProbability)})</td><td>${j.patchDirectory ? `<a href="${escapeHtml(encodeURI(j.patchDirectory))}/README.md">${escapeHtml(j.patchDirectory)}</a>` : ''}</td></tr>`).join('\n')}
</tbody></table>
</section>
<section id="calibration">
<h2>Model calibration</h2>
<p>How often real demand stayed at or below the predicted quantile on held-out history. A calibrated p95 covers about 95%.</p>
<div class="chart"><canvas id="chart-calibration" role="img" aria-label="Observed vs nominal quantile coverage per pool"></canvas></div>
<table><thead><tr><th>Pool</th><th>Quantile</th><th>Nominal</th><th>Observed</th><th>Samples</th><th>Pinball loss</th></tr></thead><tbody>
${summary.calibration.map((c) => `<tr><td>${escapeHtml(c.pool)}</td><td>${c.quantile}</td><td>${percent(nominalCoverage(c.quantile))}</td><td>${percent(c.observedCoverage)}</td><td>${c.samples}</td><td>${c.pinballLoss === undefined ? '&ndash;' : mib(c.pinballLoss)}</td></tr>`).join('\n')}
</tbody></table>
</section>
<script type="application/json" id="fma-data">${jsonForScript(data)}</script>
<script>${chartJsSource.replace(/<\/script/gi, '<\\/script')}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that cannot close its <script> element or open a comment, whatever the strings hold. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

const GIB = 1024 ** 3;
const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;
const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:16px 24px;color:#1d2733}
h1{margin:0 0 4px}h2{margin-top:32px;border-bottom:1px solid #d8dee6;padding-bottom:4px}
.meta{color:#5b6878;margin:0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin:12px 0}
.card{background:#f3f6f9;border-radius:8px;padding:12px}.card span{display:block;color:#5b6878}
.card strong{font-size:22px}.card em{margin-left:8px;color:#2f7d32;font-style:normal}
table{border-collapse:collapse;width:100%;margin:12px 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e6eaef}
th{background:#f3f6f9}tr.risk-high td{background:#fdecea}tr.risk-medium td{background:#fff6e0}
.chart{position:relative;height:320px;margin:12px 0}.pair{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.warnings{background:#fff6e0;border-radius:8px;padding:4px 16px}.note{color:#5b6878}
`;

// Runs in the page: reads the embedded JSON and draws every chart with the inlined Chart.js.
const PAGE_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('fma-data').textContent);
  var GiB = 1024 * 1024 * 1024, MiB = 1024 * 1024;
  var colors = ['#4e79a7', '#a0cbe8', '#f28e2b', '#ffbe7d', '#59a14f', '#8cd17d', '#b6992d', '#e15759'];
  var riskColor = { low: '#59a14f', medium: '#f2a33a', high: '#e15759' };
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  function gib(v) { return v / GiB; }
  function draw(id, config) { window.fmaCharts = window.fmaCharts || {}; window.fmaCharts[id] = new Chart(document.getElementById(id), config); }
  function axis(title) { return { beginAtZero: true, title: { display: true, text: title } }; }

  draw('chart-budgets', { type: 'bar', data: {
      labels: data.budgets.map(function (b) { return b.name; }),
      datasets: [
        { label: 'before', backgroundColor: '#a0a7b0', data: data.budgets.map(function (b) { return gib(b.before); }) },
        { label: 'after', backgroundColor: '#4e79a7', data: data.budgets.map(function (b) { return gib(b.after); }) },
        { label: 'limit', backgroundColor: '#e15759', data: data.budgets.map(function (b) { return b.limit == null ? null : gib(b.limit); }) }
      ] },
    options: { plugins: { title: { display: true, text: 'Fleet TaskManager memory per budget (GiB)' } }, scales: { y: axis('GiB') } } });

  draw('chart-pools', { type: 'bar', data: { labels: data.pools, datasets: [
      { label: 'current', backgroundColor: '#a0a7b0', data: data.poolTotals.current.map(gib) },
      { label: 'recommended', backgroundColor: '#4e79a7', data: data.poolTotals.recommended.map(gib) }
    ] },
    options: { plugins: { title: { display: true, text: 'Fleet memory per pool, all TaskManagers (GiB)' } }, scales: { y: axis('GiB') } } });

  var jobDatasets = [];
  data.pools.forEach(function (pool, i) {
    ['current', 'recommended'].forEach(function (side) {
      jobDatasets.push({ label: pool + (side === 'current' ? ' (now)' : ''), stack: side, backgroundColor: side === 'current' ? colors[i] + '55' : colors[i],
        borderColor: side === 'current' ? '#1d2733' : colors[i], borderWidth: side === 'current' ? 1 : 0,
        data: data.jobs.map(function (j) { return j[side][pool] / MiB; }) });
    });
  });
  draw('chart-jobs', { type: 'bar', data: { labels: data.jobs.map(function (j) { return j.label; }), datasets: jobDatasets },
    options: { indexAxis: 'y', plugins: { title: { display: true, text: 'Per TaskManager: current (upper, pale) vs recommended (lower), MiB per pool' },
      legend: { labels: { filter: function (item) { return item.text.indexOf(' (now)') < 0; } } } },
      scales: { x: Object.assign(axis('MiB per TaskManager'), { stacked: true }), y: { stacked: true } } } });

  draw('chart-savings', { type: 'bar', data: { labels: data.jobs.map(function (j) { return j.label; }), datasets: [
      { label: 'saving (GiB, all TaskManagers)', data: data.jobs.map(function (j) { return gib(j.saving); }),
        backgroundColor: data.jobs.map(function (j) { return riskColor[j.risk]; }) } ] },
    options: { plugins: { title: { display: true, text: 'Saving per job, coloured by risk' }, legend: { display: false } }, scales: { y: { title: { display: true, text: 'GiB' } } } } });

  draw('chart-risk', { type: 'bar', data: { labels: data.jobs.map(function (j) { return j.label; }), datasets: [
      { label: 'P(some pool needs more than it gets)', data: data.jobs.map(function (j) { return j.exceedProbability * 100; }),
        backgroundColor: data.jobs.map(function (j) { return riskColor[j.risk]; }) } ] },
    options: { plugins: { title: { display: true, text: data.riskTitle }, legend: { display: false } }, scales: { y: axis('%') } } });

  draw('chart-calibration', { type: 'bar', data: { labels: data.calibration.map(function (c) { return c.label; }), datasets: [
      { type: 'line', label: 'nominal', data: data.calibration.map(function (c) { return c.nominal * 100; }), borderColor: '#e15759', backgroundColor: '#e15759', showLine: false, pointStyle: 'line', pointRadius: 14, pointBorderWidth: 3 },
      { label: 'observed coverage', data: data.calibration.map(function (c) { return c.observedCoverage * 100; }), backgroundColor: '#4e79a7' } ] },
    options: { plugins: { title: { display: true, text: 'Quantile coverage on held-out history (%)' } }, scales: { y: Object.assign(axis('%'), { max: 100 }) } } });
})();
`;
