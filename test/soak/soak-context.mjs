// What every part of a soak run shares: where things are, the current supervisor, the record of operations and
// violations, and the one way to ask the supervisor something (which scans every answer for planted secrets).
import { performance } from 'node:perf_hooks';
import { call } from './http-call.mjs';

/**
 * A broken invariant: which, what exactly, when (ms since the start, and the wall clock); `seen` counts the checks
 * that found the same lasting condition again (same invariant and key), which are not reported again.
 * @typedef {{ invariant: string, what: string, atMs: number, at: string, detail: Record<string, unknown>, key: string | null, seen: number }} Violation
 */

/**
 * @typedef {object} SoakContext
 * @property {number} seed
 * @property {import('./prng.mjs').Prng} prng the scheduler's choices (operations and their parameters)
 * @property {import('./prng.mjs').Prng} clientPrng the stream clients' reconnection delays
 * @property {number} t0 performance.now() at the start of the chaos
 * @property {string} dir the run's temp folder
 * @property {string} logDir
 * @property {string} configPath
 * @property {number} logBackups
 * @property {string} apiUrl the supervisor's base URL (the same port for every supervisor of the run)
 * @property {number} apiPort
 * @property {string} serverUrl the main server's base URL
 * @property {string} tag SOAK_TAG, in the environment of every server process
 * @property {import('./planted-secrets.mjs').LeakScanner} leaks
 * @property {{ scan(): import('./process-checks.mjs').TaggedProcess[] }} procs
 * @property {import('./daemon.mjs').Daemon | null} daemon the current supervisor (null while one is being replaced)
 * @property {number} daemons supervisors started so far
 * @property {NodeJS.ProcessEnv} daemonEnv
 * @property {ReturnType<typeof import('./config-checks.mjs').createConfigModel>} config
 * @property {import('./event-checks.mjs').EventLedger} ledger
 * @property {Violation[]} violations
 * @property {(invariant: string, what: string, detail?: Record<string, unknown>, key?: string) => void} violation
 * @property {(kind: string, outcome: string) => void} count one operation's outcome
 * @property {Map<string, Map<string, number>>} outcomes per kind, per outcome
 * @property {number[]} statusMs latency of every answered status request
 * @property {Set<number>} held process groups the soak has SIGSTOPped and not yet SIGCONTed
 * @property {(method: string, path: string, options?: { body?: unknown, timeoutMs?: number }) => Promise<import('./http-call.mjs').HttpAnswer>} api
 * @property {(text: string, where: string) => void} scanText
 * @property {Set<string>} seenLines every flood line some log client received whole (`writer:k`)
 * @property {{ window: number, rotatedOut: number, torn: number, cellsLost: number, eventsTrimmed: number }} lost
 *   lines (and events) missing for a documented reason
 * @property {{ writer: string, ks: number[], what: string }[]} lostLines lines counted as lost while following, to
 *   check at the end that no other client received them
 * @property {() => number} elapsed ms since t0
 * @property {boolean} ending the chaos is over; clients stop reconnecting
 * @property {(why: string) => Promise<void>} checkProcessesNow one process check at once (after a stop)
 * @property {{ processes: number, config: number, history: number, scannedBytes: number, resourceSamples: number }} checks
 *   how often each invariant was checked
 */

/**
 * The shared record: violations are printed the moment they happen (with the seed), and kept for the summary.
 * @param {{ seed: number, print: (line: string) => void }} options
 */
export function createRecord({ seed, print }) {
  const t0 = performance.now();
  /** @type {Violation[]} */
  const violations = [];
  /** @type {Map<string, Map<string, number>>} */
  const outcomes = new Map();
  const elapsed = () => performance.now() - t0;
  return {
    t0,
    elapsed,
    violations,
    outcomes,
    /** @param {string} invariant @param {string} what @param {Record<string, unknown>} [detail] @param {string} [key] */
    violation(invariant, what, detail = {}, key) {
      const again = key === undefined ? undefined : violations.find((v) => v.invariant === invariant && v.key === key);
      if (again) {
        again.seen += 1;
        return;
      }
      const v = { invariant, what, atMs: Math.round(elapsed()), at: new Date().toISOString(), detail, key: key ?? null, seen: 1 };
      violations.push(v);
      print(`VIOLATION [${invariant}] at +${(v.atMs / 1000).toFixed(1)} s (${v.at}, seed ${seed}): ${what} ${JSON.stringify(detail).slice(0, 600)}`);
    },
    /** @param {string} kind @param {string} outcome */
    count(kind, outcome) {
      const byOutcome = outcomes.get(kind) ?? new Map();
      byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
      outcomes.set(kind, byOutcome);
    },
  };
}

/**
 * The supervisor API as the soak uses it: every answer is scanned for planted secrets, and a request that gets no
 * answer although the supervisor it was sent to stayed alive is a violation.
 * @param {Pick<SoakContext, 'apiUrl' | 'daemon' | 'violation' | 'scanText'>} ctx
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, timeoutMs?: number }} [options]
 */
export async function askSupervisor(ctx, method, path, options = {}) {
  const daemon = ctx.daemon;
  const answer = await call(method, `${ctx.apiUrl}${path}`, options);
  if (answer.text) ctx.scanText(answer.text, `${method} ${path.split('?')[0]}`);
  if (answer.error === 'ETIMEDOUT' && daemon !== null && daemon === ctx.daemon && daemon.running()) {
    ctx.violation('answers', `${method} ${path} got no answer within ${options.timeoutMs ?? 60_000} ms from a live supervisor`, { pid: daemon.pid });
  }
  return answer;
}
