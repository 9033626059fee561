// Status throughput: GET /supervisor/status under 100 concurrent connections, with GET /supervisor/health as the floor.
import autocannon from 'autocannon';
import { fmtRatio, markdownTable } from './lib/measure.mjs';
import { progress, reportSection } from './lib/report.mjs';
import { ourRequest, startOurs } from './lib/tools.mjs';

const connections = 100;
const durationS = Number(process.env.BENCH_DURATION ?? 10);
const warmupS = 2;

/**
 * @param {string} url
 * @param {number} duration
 */
async function load(url, duration) {
  return autocannon({ url, connections, duration });
}

/** @param {import('autocannon').Result} r */
function row(/** @type {string} */ path, r) {
  return [
    `\`GET ${path}\``,
    Math.round(r.requests.average).toLocaleString('en'),
    `${r.latency.p50} ms`,
    `${r.latency.p99} ms`,
    `${r.latency.max} ms`,
    String(r.non2xx),
    String(r.errors + r.timeouts),
  ];
}

progress('throughput: starting ours');
const ours = await startOurs({ label: 'ours' });
/** @type {Map<string, import('autocannon').Result>} */
const results = new Map();
try {
  const base = /** @type {string} */ (ours.apiUrl);
  for (const path of ['/supervisor/health', '/supervisor/status']) {
    progress(`  ${path}: ${warmupS} s warm-up, ${durationS} s measured`);
    await load(`${base}${path}`, warmupS);
    results.set(path, await load(`${base}${path}`, durationS));
  }
  const status = await ourRequest(`${base}/supervisor/status`);
  if (status.json?.main_server_status !== 'running') throw new Error(`ours is not running after the load: ${JSON.stringify(status.json)}`);
} finally {
  await ours.stop();
}

const health = /** @type {import('autocannon').Result} */ (results.get('/supervisor/health'));
const status = /** @type {import('autocannon').Result} */ (results.get('/supervisor/status'));
reportSection(`## Status throughput (autocannon, ${connections} connections, ${durationS} s after a ${warmupS} s warm-up)

Our supervisor (the built \`serve\`, defaults) with the demo server running; autocannon runs in the benchmark process on
the same machine, so both share its cores. \`/supervisor/health\` answers a constant; \`/supervisor/status\` reads
config.yaml and the actor state on every request (never a probe), so it is the one the app polls.

${markdownTable(['endpoint', 'requests/s (mean)', 'p50', 'p99', 'max', 'non-2xx', 'errors + timeouts'], [row('/supervisor/health', health), row('/supervisor/status', status)])}

Status / health: ${fmtRatio(status.requests.average / health.requests.average)} of the throughput, p99 ${fmtRatio(status.latency.p99 / Math.max(health.latency.p99, 1))}.`);
