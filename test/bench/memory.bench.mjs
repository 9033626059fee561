// Memory: idle RSS of each supervisor after 10 s, and a leak check of ours under status requests and SSE cycles.
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import autocannon from 'autocannon';
import { fmtMiB, heapStats, listenerPid, markdownTable, median, rssBytes, sleep, smapsBytes } from './lib/measure.mjs';
import { progress, reportSection } from './lib/report.mjs';
import { ourRequest, startBareLoop, startOurs, startPm2, startSupervisord } from './lib/tools.mjs';

const idleMs = 10_000;
// Idle time after each leak-check phase before RSS is read.
const settleMs = 10_000;
// Longest wait after that for V8's memory reducer (a full GC that returns spare heap once allocation slows down).
const reduceWaitMs = 60_000;
const statusRequests = 10_000;
const sseCycleCount = 1_000;

// Idle RSS depends on whether V8 happened to collect just before the reading, so each tool is started this many
// times (one after the other, alone each time) and the median reading is reported, with the range.
const idleRounds = 5;

/**
 * RSS, private memory and PSS of a process in bytes; NaN for what cannot be read (no such process).
 * @param {number | null} pid
 */
function memoryOf(pid) {
  const smaps = pid === null ? null : smapsBytes(pid);
  return { rss: (pid === null ? null : rssBytes(pid)) ?? NaN, private: smaps?.private ?? NaN, pss: smaps?.pss ?? NaN };
}

/**
 * @param {string} label
 * @param {() => Promise<import('./lib/tools.mjs').Tool>} start
 */
async function idleRss(label, start) {
  /** @type {number[]} */
  const daemon = [];
  /** @type {number[]} */
  const daemonPrivate = [];
  /** @type {number[]} */
  const daemonPss = [];
  /** @type {number[]} */
  const server = [];
  for (let i = 0; i < idleRounds; i++) {
    progress(`memory: ${label} idle for ${idleMs / 1000} s (${i + 1}/${idleRounds})`);
    const tool = await start();
    try {
      await sleep(idleMs);
      const d = tool.daemonPid();
      const s = listenerPid(tool.serverPort);
      const memory = memoryOf(d);
      daemon.push(memory.rss);
      daemonPrivate.push(memory.private);
      daemonPss.push(memory.pss);
      server.push(memoryOf(s).rss);
    } finally {
      await tool.stop();
    }
  }
  return {
    label,
    daemon: median(daemon),
    daemonMin: Math.min(...daemon),
    daemonMax: Math.max(...daemon),
    daemonPrivate: median(daemonPrivate),
    daemonPss: median(daemonPss),
    server: median(server),
  };
}

const idle = [
  await idleRss('ours (`serve`, node)', () => startOurs({ label: 'ours' })),
  await idleRss('PM2 God daemon (node)', () => startPm2({ label: 'pm2' })),
  await idleRss('supervisord (python3)', () => startSupervisord({ label: 'supervisord' })),
  await idleRss('bare respawn loop (node, reference)', () => startBareLoop({ label: 'bare' })),
];

// A longer idle, ours and PM2 side by side: 10 s after start ours has not yet run V8's optimizing compiler, whose
// code pages and working memory then stay resident; its liveness probe (every 2 s) wakes it within a minute or two.
// Samples from the first minute on show the two daemons as they idle for the rest of the day.
const longIdleMs = 300_000;
const longSampleMs = 30_000;
const longSkipMs = 60_000;

async function longIdle() {
  progress(`memory: ours and PM2 side by side, idle for ${longIdleMs / 60_000} min`);
  const tools = [
    { label: 'ours (`serve`, node)', tool: await startOurs({ label: 'ours-long' }) },
    { label: 'PM2 God daemon (node)', tool: await startPm2({ label: 'pm2-long' }) },
  ];
  /** @type {{ rss: number[], private: number[] }[]} */
  const samples = tools.map(() => ({ rss: [], private: [] }));
  const t0 = Date.now();
  try {
    for (let at = longSampleMs; at <= longIdleMs; at += longSampleMs) {
      await sleep(t0 + at - Date.now());
      if (at < longSkipMs) continue;
      tools.forEach(({ tool }, i) => {
        const memory = memoryOf(tool.daemonPid());
        samples[i]?.rss.push(memory.rss);
        samples[i]?.private.push(memory.private);
      });
    }
  } finally {
    for (const { tool } of tools) await tool.stop();
  }
  return tools.map(({ label }, i) => ({ label, ...(samples[i] ?? { rss: [], private: [] }) }));
}
const long = await longIdle();

/**
 * The SSE endpoint on this build: /supervisor/logs (docs/api.md, Logs) if it exists, else /supervisor/inspect.
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

/** The lowest of five RSS samples over a second. @param {number} pid */
async function lowRss(pid) {
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

/**
 * @typedef {{ phase: string, rss: number | null, committed: number | null, rssReduced: number | null, waitedS: number | null, heap: number | null, fds: number }} Phase
 * @type {Phase[]}
 */
const phases = [];
let ssePath = null;
try {
  const base = /** @type {string} */ (ours.apiUrl);
  const pid = /** @type {number} */ (ours.daemonPid());
  const output = /** @type {string} */ (ours.outputPath);
  ssePath = await sseEndpoint(base);
  // After a phase: ${settleMs / 1000} s idle, then RSS; then up to ${reduceWaitMs / 1000} s more for V8's memory reducer to hand
  // spare heap back (it runs when the allocation rate stays low), then RSS again.
  const mark = async (/** @type {string} */ phase) => {
    await sleep(settleMs);
    const rss = await lowRss(pid);
    const atSettle = heapStats(output);
    const t0 = Date.now();
    // The reducer may already have run during the idle time; then RSS is already the figure after it.
    let reduced = atSettle.lastWasReduce;
    while (!reduced && Date.now() - t0 < reduceWaitMs) {
      if (heapStats(output).reduces > atSettle.reduces) {
        reduced = true;
        break;
      }
      await sleep(500);
    }
    const after = heapStats(output);
    phases.push({
      phase,
      rss,
      committed: atSettle.committed,
      rssReduced: !reduced ? null : atSettle.lastWasReduce ? rss : await lowRss(pid),
      waitedS: reduced ? Math.round((Date.now() - t0) / 1000) : null,
      heap: after.live,
      fds: openFds(pid),
    });
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

const baseline = phases[1] ?? { rss: null, rssReduced: null, heap: null, fds: 0 };
// RSS after the reducer is compared with the first phase that has one (the reducer does not run after every phase).
const reducedBase = phases.find((p) => p.rssReduced !== null) ?? { phase: 'none', rssReduced: null };
/** @param {number | null} value @param {number | null} base @param {(n: number) => string} fmt */
const delta = (value, base, fmt) => (value === null || base === null ? 'n/a' : `${value >= base ? '+' : ''}${fmt(value - base)}`);
/** @param {number | null} n */
const mib = (n) => (n === null ? 'n/a' : `${n.toFixed(1)} MiB`);
const leakRows = phases.map((p) => [
  p.phase,
  fmtMiB(p.rss),
  p.committed === null ? 'n/a' : `${p.committed.toFixed(1)} MB`,
  p.rssReduced === null ? `none within ${reduceWaitMs / 1000} s` : `${fmtMiB(p.rssReduced)} (after ${p.waitedS} s)`,
  delta(p.rssReduced, reducedBase.rssReduced, (n) => fmtMiB(n)),
  mib(p.heap),
  delta(p.heap, baseline.heap, (n) => mib(n)),
  String(p.fds),
]);
const last = phases.at(-1) ?? { rss: null, rssReduced: null, heap: null, fds: 0 };
const pm2 = idle[1]?.daemon ?? NaN;
const oursIdle = idle[0]?.daemon ?? NaN;

reportSection(`## Memory (RSS)

Idle: each supervisor alone with its demo server running, RSS (VmRSS) read ${idleMs / 1000} s after the server answered;
each tool started ${idleRounds} times, median reading (and range). Ours has answered one status request (how the benchmark
knows its server is running), which samples the server's CPU and memory, as the process table \`pm2 start\` prints has PM2's
daemon do. "private" is the memory the supervisor alone holds (what stopping it frees) and
PSS its proportional share: RSS also counts, whole, the node binary's pages that every Node process shares. "server
process" is the supervised demo server's own RSS: under PM2 it runs inside PM2's in-process wrapper.

${markdownTable(
  ['process', 'supervisor RSS (median)', 'range', 'private (median)', 'PSS (median)', 'server process RSS (median)'],
  idle.map((r) => [r.label, fmtMiB(r.daemon), `${fmtMiB(r.daemonMin)} – ${fmtMiB(r.daemonMax)}`, fmtMiB(r.daemonPrivate), fmtMiB(r.daemonPss), fmtMiB(r.server)]),
)}

Ours / PM2 daemon: RSS ${(oursIdle / pm2).toFixed(2)}× (${fmtMiB(Math.abs(oursIdle - pm2))} ${oursIdle <= pm2 ? 'less' : 'more'}); private ${(
  (idle[0]?.daemonPrivate ?? NaN) / (idle[1]?.daemonPrivate ?? NaN)
).toFixed(2)}×; PSS ${((idle[0]?.daemonPss ?? NaN) / (idle[1]?.daemonPss ?? NaN)).toFixed(2)}×.

Longer idle, ours and PM2 side by side: both started together and left alone for ${longIdleMs / 60_000} minutes; RSS and private
memory sampled every ${longSampleMs / 1000} s from minute ${longSkipMs / 60_000} on (${long[0]?.rss.length ?? 0} samples each), median and range.

${markdownTable(
  ['process', 'RSS (median)', 'RSS range', 'private (median)', 'private range'],
  long.map((r) => [r.label, fmtMiB(median(r.rss)), `${fmtMiB(Math.min(...r.rss))} – ${fmtMiB(Math.max(...r.rss))}`, fmtMiB(median(r.private)), `${fmtMiB(Math.min(...r.private))} – ${fmtMiB(Math.max(...r.private))}`]),
)}

Ours / PM2 daemon over the longer idle: RSS ${(median(long[0]?.rss ?? []) / median(long[1]?.rss ?? [])).toFixed(2)}×; private ${(
  median(long[0]?.private ?? []) / median(long[1]?.private ?? [])
).toFixed(2)}×.

Leak check of ours: per run ${statusRequests.toLocaleString('en')} \`GET /supervisor/status\` (autocannon, 10 connections)${
  ssePath
    ? ` and ${sseCycleCount.toLocaleString('en')} SSE connect/read-first-event/disconnect cycles on \`${ssePath.split('?')[0]}\` (10 at a time)`
    : '; no SSE cycles (neither /supervisor/logs nor /supervisor/inspect exists in this build)'
}; three runs after a warm-up. After each phase the supervisor idles ${settleMs / 1000} s and the lowest of five RSS samples
over a second is taken ("RSS after ${settleMs / 1000} s"), next to what V8 keeps committed for its heap at that moment (from
the supervisor's \`--trace-gc\` output: RSS follows it). Then, within ${reduceWaitMs / 1000} s, V8's memory reducer usually
runs a full GC that hands spare heap back, and RSS is read again. "live heap" is what survived the latest full GC: a
leak makes it (or the open file descriptors: sockets, log files, watchers) climb run after run.

${markdownTable(
  ['phase', `RSS after ${settleMs / 1000} s`, 'V8 heap committed', 'RSS after the memory reducer', `Δ vs ${reducedBase.phase.split(' ')[0]}`, 'live heap', 'Δ live heap vs baseline', 'open fds'],
  leakRows,
)}

After three runs: live heap ${delta(last.heap, baseline.heap, (n) => mib(n))} and open file descriptors ${last.fds - baseline.fds >= 0 ? '+' : ''}${
  last.fds - baseline.fds
} vs the baseline; RSS after the memory reducer, latest phase where it ran vs the ${reducedBase.phase.split(' ')[0]} phase: ${delta(
  [...phases].reverse().find((p) => p.rssReduced !== null)?.rssReduced ?? null,
  reducedBase.rssReduced,
  (n) => fmtMiB(n),
)}.`);
