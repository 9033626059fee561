// Measuring helpers shared by the benchmarks: clocks, HTTP probes, /proc readers, statistics, tables.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** Milliseconds on the monotonic clock. */
export const now = () => performance.now();

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One GET to 127.0.0.1 without keep-alive; resolves with the status (0 when refused, reset or timed out).
 * @param {number} port
 * @param {string} path
 * @param {number} [timeoutMs]
 * @returns {Promise<number>}
 */
export function httpStatus(port, path, timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', () => resolve(0));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
    req.end();
  });
}

/**
 * Polls `probe` every `intervalMs` until it returns a value other than undefined/false; throws after `timeoutMs`.
 * @template T
 * @param {string} what
 * @param {() => T | undefined | false | Promise<T | undefined | false>} probe
 * @param {{ timeoutMs?: number, intervalMs?: number }} [options]
 * @returns {Promise<T>}
 */
export async function waitFor(what, probe, { timeoutMs = 20_000, intervalMs = 20 } = {}) {
  const deadline = now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * Resolves with the moment (performance.now()) the health endpoint first answers 200, polling every 2 ms: the same
 * probe for every tool, so its granularity (≤ 2 ms plus one loopback round trip) is common to all rows.
 * @param {number} port
 * @param {string} path
 * @param {number} [timeoutMs]
 */
export async function healthyAt(port, path, timeoutMs = 30_000) {
  const deadline = now() + timeoutMs;
  for (;;) {
    if ((await httpStatus(port, path, 500)) === 200) return now();
    if (now() > deadline) throw new Error(`port ${port}${path} did not answer 200 within ${timeoutMs} ms`);
    await sleep(2);
  }
}

/**
 * The pid of the process listening on a TCP port of 127.0.0.1 (from /proc/net/tcp and /proc/<pid>/fd), so every
 * tool's server is found the same way, whatever the tool reports. Null when nobody listens.
 * @param {number} port
 * @returns {number | null}
 */
export function listenerPid(port) {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  /** @type {Set<string>} */
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is field 1 ("0100007F:0D05"), st field 3 (0A = LISTEN), inode field 9.
      if (fields[3] === '0A' && fields[1]?.endsWith(`:${hexPort}`) && fields[9]) inodes.add(`socket:[${fields[9]}]`);
    }
  }
  if (inodes.size === 0) return null;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let fds;
    try {
      fds = readdirSync(`/proc/${name}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (inodes.has(readlinkSync(`/proc/${name}/fd/${fd}`))) return Number(name);
      } catch {
        // the fd closed while we looked
      }
    }
  }
  return null;
}

/**
 * Resident set size of a process in bytes (VmRSS), or null when it is gone.
 * @param {number} pid
 */
export function rssBytes(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * A process's private and proportional memory (Linux smaps_rollup), in bytes: `private` is what it alone holds
 * (Private_Clean + Private_Dirty: what exiting would free), `pss` splits each shared page among its sharers. RSS also
 * counts, whole, the pages of the node binary that every Node process on the machine shares.
 * @param {number} pid
 * @returns {{ private: number, pss: number } | null}
 */
export function smapsBytes(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (/** @type {string} */ field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1] ?? NaN);
    const result = { private: (kb('Private_Clean') + kb('Private_Dirty')) * 1024, pss: kb('Pss') * 1024 };
    return Number.isFinite(result.private) && Number.isFinite(result.pss) ? result : null;
  } catch {
    return null;
  }
}

/**
 * V8's heap after the most recent full GC (Mark-Compact), from a Node process's `--trace-gc` output: what is live
 * (the leak signal RSS cannot give) and what V8 keeps committed for it (what RSS mostly follows), and how many
 * memory-reducer GCs ("Mark-Compact (reduce)", which hand spare heap back) have run so far.
 * @param {string} path
 */
export function heapStats(path) {
  const text = readFileSync(path, 'utf8');
  const all = [...text.matchAll(/Mark-Compact( \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\)/g)];
  const last = all.at(-1);
  return {
    live: last ? Number(last[2]) : null,
    committed: last ? Number(last[3]) : null,
    reduces: all.filter((m) => m[1] !== undefined).length,
    lastWasReduce: last?.[1] !== undefined,
  };
}

/**
 * True while the pid exists and is not a zombie.
 * @param {number} pid
 */
export function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * Nearest-rank percentile of a list of numbers.
 * @param {number[]} values
 * @param {number} p 0..100
 */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return /** @type {number} */ (sorted[rank - 1]);
}

/** @param {number[]} values */
export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? /** @type {number} */ (sorted[mid]) : (/** @type {number} */ (sorted[mid - 1]) + /** @type {number} */ (sorted[mid])) / 2;
}

/** @param {number} ms */
export const fmtMs = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : 'n/a');
/** @param {number | null} bytes */
export const fmtMiB = (bytes) => (bytes === null || !Number.isFinite(bytes) ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);
/** @param {number} ratio */
export const fmtRatio = (ratio) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a');

/**
 * A GitHub-flavoured Markdown table (readable as plain text in a terminal too).
 * @param {string[]} header
 * @param {(string | number)[][]} rows
 */
export function markdownTable(header, rows) {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length), 3));
  /** @param {string[]} r */
  const line = (r) => `| ${r.map((c, i) => c.padEnd(/** @type {number} */ (widths[i]))).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

// Kernel clock ticks per second for /proc/<pid>/stat start times (USER_HZ; 100 on Linux).
const ticksPerSecond = 100;

/** Milliseconds since boot (/proc/uptime, 10 ms resolution), on the same clock as processStartMs. */
export function uptimeMs() {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000;
}

/**
 * When a process was created, in ms since boot (field 22 of /proc/<pid>/stat; 10 ms resolution); null if gone.
 * @param {number} pid
 */
export function processStartMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    return Number.isFinite(ticks) ? (ticks / ticksPerSecond) * 1000 : null;
  } catch {
    return null;
  }
}
