// Benchmark of GET /supervisor/logs (follow) against `tail -F` on the same file, in the same run.
// Run after `npm run build`: node test/bench/logs.bench.mjs
// Measures append-to-reader latency (p50/p99, lines written one at a time) and throughput (lines per second while
// the writer appends as fast as it can), for 1 reader and for 50 readers. Not a test: it prints a table.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (/** @type {string} */ file) => fileURLToPath(new URL(file, import.meta.url));
const env = (/** @type {string} */ name, /** @type {number} */ fallback) => Number(process.env[name] ?? fallback);
const PACED_LINES = env('BENCH_PACED', 1000);
const PACED_INTERVAL_MS = env('BENCH_INTERVAL_MS', 2);
const FLOOD_LINES = { 1: env('BENCH_FLOOD_1', 100_000), 50: env('BENCH_FLOOD_50', 20_000) };

/** @typedef {{ setHandler(fn: (line: string) => void): void, close(): void }} Reader */

const dir = mkdtempSync(join(tmpdir(), 'logs-bench-'));
const logPath = join(dir, 'server.log');
const fd = openSync(logPath, 'a');
const writer = spawn(process.execPath, [here('./bench-writer.mjs')], { stdio: ['ignore', fd, 'inherit', 'ipc'] });
closeSync(fd);
const server = spawn(process.execPath, [here('./logs-server.mjs'), logPath], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve, reject) => {
  server.stdout.once('data', (chunk) => resolve(JSON.parse(String(chunk)).port));
  server.once('exit', (code) => reject(new Error(`logs server exited with ${code} (did you run npm run build?)`)));
});

/** @param {{ mode: string, tag: string, count: number, intervalMs?: number }} job */
function write(job) {
  return new Promise((resolve) => {
    writer.once('message', resolve);
    writer.send(job);
  });
}

/** An SSE client on the route, parsing `data: {"line": …}` events. @returns {Promise<Reader>} */
function sseReader() {
  return new Promise((resolve, reject) => {
    let handler = (/** @type {string} */ _line) => {};
    let pending = '';
    const req = request({ host: '127.0.0.1', port, path: '/supervisor/logs?lines=0&follow=true', agent: false }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (/** @type {string} */ text) => {
        pending += text;
        let end;
        while ((end = pending.indexOf('\n\n')) !== -1) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) handler(JSON.parse(data.slice(6)).line);
        }
      });
      resolve({ setHandler: (fn) => (handler = fn), close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

/** `tail -F -n 0` on the same file, reading its stdout line by line. @returns {Reader} */
function tailReader() {
  let handler = (/** @type {string} */ _line) => {};
  let pending = '';
  const tail = spawn('tail', ['-F', '-n', '0', logPath], { stdio: ['ignore', 'pipe', 'ignore'] });
  tail.stdout.setEncoding('utf8');
  tail.stdout.on('data', (/** @type {string} */ text) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) handler(line);
  });
  return { setHandler: (fn) => (handler = fn), close: () => tail.kill() };
}

let readyRound = 0;
// Readers that start late would miss lines: write a marker until every reader has seen one.
/** @param {Reader[]} readers */
async function untilReady(readers) {
  const seen = new Set();
  readers.forEach((reader, k) => reader.setHandler((line) => line.startsWith('ready') && seen.add(k)));
  while (seen.size < readers.length) {
    readyRound += 1;
    await write({ mode: 'paced', tag: `ready${readyRound}`, count: 1, intervalMs: 0 });
    const deadline = Date.now() + 200;
    while (seen.size < readers.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Writes `count` lines and waits until every reader got all of them.
 * @param {Reader[]} readers
 * @param {{ mode: string, tag: string, count: number, intervalMs?: number }} job
 */
async function measure(readers, job) {
  /** @type {number[]} */
  const latencies = [];
  /** @type {bigint[]} */
  const finishedAt = [];
  const startedAt = process.hrtime.bigint();
  const done = new Promise((resolve) => {
    let remaining = readers.length;
    readers.forEach((reader, k) => {
      let got = 0;
      reader.setHandler((line) => {
        const [tag, , ns] = line.split(' ', 3);
        if (tag !== job.tag) return;
        latencies.push(Number(process.hrtime.bigint() - BigInt(ns ?? '0')) / 1e6);
        got += 1;
        if (got === job.count) {
          finishedAt[k] = process.hrtime.bigint();
          remaining -= 1;
          if (remaining === 0) resolve(undefined);
        }
      });
    });
  });
  await write(job);
  await done;
  latencies.sort((a, b) => a - b);
  const pct = (/** @type {number} */ p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  const slowest = finishedAt.reduce((a, b) => (b > a ? b : a), startedAt);
  const seconds = Number(slowest - startedAt) / 1e9;
  return { p50: pct(50), p99: pct(99), perReader: job.count / seconds, total: (job.count * readers.length) / seconds };
}

/** @param {'sse' | 'tail'} kind @param {1 | 50} count */
async function scenario(kind, count) {
  const readers = kind === 'sse' ? await Promise.all(Array.from({ length: count }, sseReader)) : Array.from({ length: count }, tailReader);
  await untilReady(readers);
  const latency = await measure(readers, { mode: 'paced', tag: `lat-${kind}-${count}`, count: PACED_LINES, intervalMs: PACED_INTERVAL_MS });
  const throughput = await measure(readers, { mode: 'flood', tag: `tp-${kind}-${count}`, count: FLOOD_LINES[count] });
  for (const reader of readers) reader.close();
  return { p50: latency.p50, p99: latency.p99, perReader: throughput.perReader, total: throughput.total };
}

const rows = [];
try {
  for (const count of /** @type {const} */ ([1, 50])) {
    const sse = await scenario('sse', count);
    const tail = await scenario('tail', count);
    rows.push({ count, sse, tail });
  }
} finally {
  server.kill();
  writer.kill();
  rmSync(dir, { recursive: true, force: true });
}

const f = (/** @type {number} */ n, digits = 2) => n.toFixed(digits);
const k = (/** @type {number} */ n) => Math.round(n).toLocaleString('en-US');
console.log(`\nGET /supervisor/logs vs tail -F — paced: ${PACED_LINES} lines every ${PACED_INTERVAL_MS} ms; flood: as fast as the writer can\n`);
console.log('| readers | reader  | p50 ms | p99 ms | lines/s per reader | lines/s all readers |');
console.log('|--------:|---------|-------:|-------:|-------------------:|--------------------:|');
for (const { count, sse, tail } of rows) {
  console.log(`| ${count} | SSE     | ${f(sse.p50)} | ${f(sse.p99)} | ${k(sse.perReader)} | ${k(sse.total)} |`);
  console.log(`| ${count} | tail -F | ${f(tail.p50)} | ${f(tail.p99)} | ${k(tail.perReader)} | ${k(tail.total)} |`);
  console.log(
    `| ${count} | ratio   | ${f(sse.p50 / tail.p50, 1)}x | ${f(sse.p99 / tail.p99, 1)}x | ${f(sse.perReader / tail.perReader, 2)}x | ${f(sse.total / tail.total, 2)}x |`,
  );
}
console.log('\nratio = SSE / tail -F (latency: lower is better; lines/s: higher is better).');
