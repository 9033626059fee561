// Memory: idle RSS of each supervisor after 10 s, and a leak check of ours under status requests and SSE cycles.
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import autocannon from 'autocannon';
import { fmtMiB, listenerPid, markdownTable, median, rssBytes, sleep } from './lib/measure.mjs';
import { progress, reportSection } from './lib/report.mjs';
import { ourRequest, startBareLoop, startOurs, startPm2, startSupervisord } from './lib/tools.mjs';

const idleMs = 10_000;
// Idle time after each leak-check phase before RSS is read (V8's memory reducer runs after a few idle seconds).
const settleMs = 10_000;
const statusRequests = 10_000;
const sseCycleCount = 1_000;

// Idle RSS depends on whether V8 happened to collect just before the reading, so each tool is started this many
// times (one after the other, alone each time) and the median reading is reported, with the range.
const idleRounds = 3;

/**
 * @param {string} label
 * @param {() => Promise<import('./lib/tools.mjs').Tool>} start
 */
async function idleRss(label, start) {
  /** @type {number[]} */
  const daemon = [];
  /** @type {number[]} */
  const server = [];
  for (let i = 0; i < idleRounds; i++) {
    progress(`memory: ${label} idle for ${idleMs / 1000} s (${i + 1}/${idleRounds})`);
    const tool = await start();
    try {
      await sleep(idleMs);
      const d = tool.daemonPid();
      const s = listenerPid(tool.serverPort);
      daemon.push((d === null ? null : rssBytes(d)) ?? NaN);
      server.push((s === null ? null : rssBytes(s)) ?? NaN);
    } finally {
      await tool.stop();
    }
  }
  return { label, daemon: median(daemon), daemonMin: Math.min(...daemon), daemonMax: Math.max(...daemon), server: median(server) };
}

const idle = [
  await idleRss('ours (`serve`, node)', () => startOurs({ label: 'ours' })),
  await idleRss('PM2 God daemon (node)', () => startPm2({ label: 'pm2' })),
  await idleRss('supervisord (python3)', () => startSupervisord({ label: 'supervisord' })),
  await idleRss('bare respawn loop (node, reference)', () => startBareLoop({ label: 'bare' })),
];

/**
 * The SSE endpoint on this build: /supervisor/logs (DESIGN §4.3) if it exists, else /supervisor/inspect (§4.6).
 * @param {string} base
 */
async function sseEndpoint(base) {
  for (const path of ['/supervisor/logs?lines=1', '/supervisor/inspect']) {
    const status = await new Promise((resolve) => {
      const req = request(`${base}${path}`, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
        resolve(res.statusCode);
        req.destroy();
      });
      req.once('error', () => resolve(0));
      req.end();
    });
    if (status === 200) return path;
  }
  return null;
}

/**
 * One SSE client: connect, read the first chunk of the stream, disconnect.
 * @param {string} url
 */
function sseCycle(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { accept: 'text/event-stream' }, timeout: 5_000 }, (res) => {
      if (res.statusCode !== 200) {
        req.destroy();
        reject(new Error(`SSE answered ${res.statusCode}`));
        return;
      }
      res.once('data', () => {
        req.destroy();
        resolve(undefined);
      });
    });
    req.once('timeout', () => req.destroy(new Error('SSE gave no first event within 5 s')));
    req.once('error', (error) => (error.message === 'socket hang up' ? resolve(undefined) : reject(error)));
    req.end();
  });
}

/**
 * `count` SSE connect/disconnect cycles, `concurrency` at a time.
 * @param {string} url
 * @param {number} count
 * @param {number} concurrency
 */
async function sseCycles(url, count, concurrency = 10) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await sseCycle(url);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * `amount` status requests over 10 keep-alive connections.
 * @param {string} base
 * @param {number} amount
 */
async function statusLoad(base, amount) {
  const result = await autocannon({ url: `${base}/supervisor/status`, connections: 10, amount });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`status load: ${result.non2xx} non-2xx, ${result.errors} errors`);
}

/**
 * The live heap after the most recent full GC, from our supervisor's `--trace-gc` output: the leak signal that RSS
 * (which keeps whatever the heap once grew to) cannot give.
 * @param {string} path
 */
function liveHeapMiB(path) {
  const text = readFileSync(path, 'utf8');
  const all = [...text.matchAll(/Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(/g)];
  const last = all.at(-1);
  return last ? Number(last[1]) : null;
}

/**
 * After a run: idle until V8's memory reducer has done its full GCs, then the lowest of a few RSS samples.
 * @param {number} pid
 */
async function settledRss(pid) {
  await sleep(settleMs);
  let low = Infinity;
  for (let i = 0; i < 5; i++) {
    low = Math.min(low, rssBytes(pid) ?? Infinity);
    await sleep(200);
  }
  return Number.isFinite(low) ? low : null;
}

progress('memory: leak check of ours');
// --trace-gc only prints a line per GC (to the supervisor's output file); it changes nothing else.
const ours = await startOurs({ label: 'ours-leak', nodeArgs: ['--trace-gc'] });
/** Open file descriptors of a process: a follower or socket never released would show here. @param {number} pid */
const openFds = (pid) => readdirSync(`/proc/${pid}/fd`).length;

/** @type {{ phase: string, rss: number | null, heap: number | null, fds: number }[]} */
const phases = [];
let ssePath = null;
try {
  const base = /** @type {string} */ (ours.apiUrl);
  const pid = /** @type {number} */ (ours.daemonPid());
  const output = /** @type {string} */ (ours.outputPath);
  ssePath = await sseEndpoint(base);
  const mark = async (/** @type {string} */ phase) => {
    const rss = await settledRss(pid);
    phases.push({ phase, rss, heap: liveHeapMiB(output), fds: openFds(pid) });
  };
  await mark('idle');
  // A warm-up so that lazily built things (JIT, pools, caches) are in place before the baseline.
  await statusLoad(base, 1_000);
  if (ssePath) await sseCycles(`${base}${ssePath}`, 100);
  await mark(`after warm-up (1,000 status${ssePath ? ', 100 SSE' : ''}): baseline`);
  for (const run of [1, 2, 3]) {
    progress(`  run ${run}: ${statusRequests} status requests${ssePath ? `, ${sseCycleCount} SSE cycles on ${ssePath}` : ''}`);
    await statusLoad(base, statusRequests);
    if (ssePath) await sseCycles(`${base}${ssePath}`, sseCycleCount);
    await mark(`after run ${run} (+${statusRequests.toLocaleString('en')} status${ssePath ? `, +${sseCycleCount.toLocaleString('en')} SSE` : ''})`);
  }
  const status = await ourRequest(`${base}/supervisor/status`);
  if (status.json?.main_server_status !== 'running') throw new Error(`ours is not running after the load: ${JSON.stringify(status.json)}`);
} finally {
  await ours.stop();
}

const baseline = phases[1] ?? { rss: null, heap: null, fds: 0 };
/** @param {number | null} value @param {number | null} base @param {(n: number) => string} fmt */
const delta = (value, base, fmt) => (value === null || base === null ? 'n/a' : `${value >= base ? '+' : ''}${fmt(value - base)}`);
/** @param {number} n */
const mib = (n) => `${n.toFixed(1)} MiB`;
const leakRows = phases.map((p) => [
  p.phase,
  fmtMiB(p.rss),
  delta(p.rss, baseline.rss, (n) => fmtMiB(n)),
  p.heap === null ? 'n/a' : mib(p.heap),
  delta(p.heap, baseline.heap, mib),
  String(p.fds),
]);
const last = phases.at(-1) ?? { rss: null, heap: null, fds: 0 };
const pm2 = idle[1]?.daemon ?? NaN;
const oursIdle = idle[0]?.daemon ?? NaN;

reportSection(`## Memory (RSS)

Idle: each supervisor alone with its demo server running, RSS (VmRSS) read ${idleMs / 1000} s after the server answered;
each tool started ${idleRounds} times, median reading (and range). "server process" is the supervised demo server's own
RSS: under PM2 it runs inside PM2's in-process wrapper.

${markdownTable(
  ['process', 'supervisor RSS (median)', 'range', 'server process RSS (median)'],
  idle.map((r) => [r.label, fmtMiB(r.daemon), `${fmtMiB(r.daemonMin)} – ${fmtMiB(r.daemonMax)}`, fmtMiB(r.server)]),
)}

Ours / PM2 daemon: ${(oursIdle / pm2).toFixed(2)}× (${fmtMiB(Math.abs(oursIdle - pm2))} ${oursIdle <= pm2 ? 'less' : 'more'}).

Leak check of ours: per run ${statusRequests.toLocaleString('en')} \`GET /supervisor/status\` (autocannon, 10 connections)${
  ssePath
    ? ` and ${sseCycleCount.toLocaleString('en')} SSE connect/read-first-event/disconnect cycles on \`${ssePath.split('?')[0]}\` (10 at a time)`
    : '; no SSE cycles (neither /supervisor/logs nor /supervisor/inspect exists in this build)'
}; three runs after a warm-up. After each phase the supervisor idles ${settleMs / 1000} s and the lowest of five RSS samples is
taken. "live heap" is V8's heap right after its latest full GC (Mark-Compact), from the supervisor's \`--trace-gc\` output:
a leak makes it climb run after run; RSS also keeps whatever the heap once grew to, so it is the noisier figure.
"open fds" counts the supervisor's file descriptors (sockets, log files, watchers): a stream never released shows there.

${markdownTable(['phase', 'RSS', 'Δ RSS vs baseline', 'live heap', 'Δ live heap vs baseline', 'open fds'], leakRows)}

After three runs vs baseline: RSS ${delta(last.rss, baseline.rss, (n) => fmtMiB(n))}, live heap ${delta(last.heap, baseline.heap, mib)}, open file descriptors ${last.fds - baseline.fds >= 0 ? '+' : ''}${last.fds - baseline.fds}.`);
