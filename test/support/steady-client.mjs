// A steady client of the main server: one GET every `intervalMs` on a fresh connection each, never waiting for the
// one before, counting how each ended. Plain JavaScript so that the benchmarks (test/bench, run by node without a
// TypeScript step) and the tests share it.
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * How the requests of one window ended. `refused`: ECONNREFUSED (nobody listened); `reset`: the connection was cut
 * (ECONNRESET, "socket hang up", EPIPE); `other`: any other error, a timeout or a status other than 200.
 * @typedef {object} SteadySummary
 * @property {number} sent
 * @property {number} ok
 * @property {number} refused
 * @property {number} reset
 * @property {number} other
 * @property {number} maxLatencyMs the slowest request of the window, however it ended
 * @property {number} outageMs the longest time a client was without an answer because requests failed: from the send
 *   of the first failed request of a run of failures until the next request that succeeded was answered (0: none failed)
 * @property {Record<string, number>} errors count per error code or status
 */

/**
 * @typedef {object} SteadyClient
 * @property {() => number} ok answers so far
 * @property {() => SteadySummary} summary the window so far
 * @property {() => Promise<SteadySummary>} stop stops sending, waits for the requests under way, and sums up
 */

const resetCodes = new Set(['ECONNRESET', 'EPIPE']);

/**
 * Starts sending at once.
 * @param {{ port: number, host?: string, path?: string, intervalMs?: number, timeoutMs?: number }} options
 * @returns {SteadyClient}
 */
export function steadyClient({ port, host = '127.0.0.1', path = '/', intervalMs = 5, timeoutMs = 10_000 }) {
  /** @type {SteadySummary} */
  const totals = { sent: 0, ok: 0, refused: 0, reset: 0, other: 0, maxLatencyMs: 0, outageMs: 0, errors: {} };
  /** @type {Set<Promise<void>>} */
  const underWay = new Set();
  // When each request was sent and ended, in the order sent (a window is a few seconds: hundreds of entries).
  /** @type {{ sent: number, ended: number, ok: boolean }[]} */
  const requests = [];
  const count = (/** @type {string} */ key) => (totals.errors[key] = (totals.errors[key] ?? 0) + 1);

  const fire = () => {
    totals.sent += 1;
    const t0 = performance.now();
    const record = { sent: t0, ended: NaN, ok: false };
    requests.push(record);
    const done = new Promise((resolve) => {
      let settled = false;
      const end = (/** @type {'ok' | 'refused' | 'reset' | 'other'} */ outcome, /** @type {string | null} */ why) => {
        if (settled) return;
        settled = true;
        const t1 = performance.now();
        totals[outcome] += 1;
        if (why) count(why);
        record.ended = t1;
        record.ok = outcome === 'ok';
        totals.maxLatencyMs = Math.max(totals.maxLatencyMs, t1 - t0);
        resolve(undefined);
      };
      const req = request({ host, port, path, agent: false, timeout: timeoutMs }, (res) => {
        res.resume();
        res.once('end', () => (res.statusCode === 200 ? end('ok', null) : end('other', `HTTP ${res.statusCode}`)));
        res.once('error', (/** @type {NodeJS.ErrnoException} */ error) => end('reset', error.code ?? 'response error'));
      });
      req.once('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.once('error', (/** @type {NodeJS.ErrnoException} */ error) => {
        const code = error.code ?? error.message;
        if (code === 'ECONNREFUSED') end('refused', code);
        else if (resetCodes.has(code)) end('reset', code);
        else end('other', code);
      });
      req.end();
    });
    underWay.add(done);
    void done.then(() => underWay.delete(done));
  };

  const timer = setInterval(fire, intervalMs);
  fire();
  const summary = () => ({ ...totals, errors: { ...totals.errors }, maxLatencyMs: Math.round(totals.maxLatencyMs), outageMs: Math.round(longestOutage(requests)) });
  return {
    ok: () => totals.ok,
    summary,
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...underWay]);
      return summary();
    },
  };
}

/**
 * The longest run of failed requests, from the send of its first until the answer of the next request that succeeded.
 * @param {{ sent: number, ended: number, ok: boolean }[]} requests in the order sent
 */
function longestOutage(requests) {
  let longest = 0;
  /** @type {number | null} */
  let failingSince = null;
  for (const r of requests) {
    if (Number.isNaN(r.ended)) continue;
    if (!r.ok) failingSince ??= r.sent;
    else if (failingSince !== null) {
      longest = Math.max(longest, r.ended - failingSince);
      failingSince = null;
    }
  }
  return longest;
}
