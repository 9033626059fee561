// Crash recovery: `kill -9` of the demo server → its health endpoint answers 200 again, for each supervisor.
// Each round measures a first crash (after a stable run) and then a second crash in a row (the replacement killed
// the moment it answers), where restart backoff, if a tool has one, comes into play.
import { alive, fmtMs, fmtRatio, healthyAt, listenerPid, markdownTable, median, now, percentile, processStartMs, sleep, uptimeMs, waitFor } from './lib/measure.mjs';
import { progress, reportSection, rounds } from './lib/report.mjs';
import { healthPath, startBareLoop, startOurs, startPm2, startSupervisord } from './lib/tools.mjs';

const roundCount = rounds(10);
// Before each round every server runs this long, so the first kill is a first crash after a stable period:
// longer than PM2's min_uptime (1 s) and than the stable_ms (1 s) given to ours below.
const settleMs = 1_500;
// Only so that every round starts from a stable server: with the default stable_ms (30 s) ours would count the next
// round's first kill as one more crash in a row, and `intensity` (5 in 60 s) would stop it after a few rounds.
const perRound = { stable_ms: 1_000, intensity: 1_000 };

/** @type {{ key: string, label: string, settings: string, start: () => Promise<import('./lib/tools.mjs').Tool> }[]} */
const contenders = [
  { key: 'bare', label: 'bare respawn loop (floor)', settings: 'respawn on exit, nothing else', start: () => startBareLoop({ label: 'bare' }) },
  {
    key: 'ours-default',
    label: 'ours, defaults',
    settings: 'backoff_ms 1000 (default)',
    start: () => startOurs({ label: 'ours-default', server: { ...perRound } }),
  },
  {
    key: 'ours-100',
    label: 'ours, backoff_ms 100',
    settings: 'backoff_ms 100',
    start: () => startOurs({ label: 'ours-100', server: { ...perRound, backoff_ms: 100 } }),
  },
  {
    key: 'ours-0',
    label: 'ours, backoff_ms 0',
    settings: 'backoff_ms 0',
    start: () => startOurs({ label: 'ours-0', server: { ...perRound, backoff_ms: 0 } }),
  },
  { key: 'pm2', label: 'PM2 (fork mode)', settings: 'restart_delay 0 (default)', start: () => startPm2({ label: 'pm2' }) },
  {
    key: 'supervisord',
    label: 'supervisord',
    settings: 'startsecs=0, autorestart=true',
    start: () => startSupervisord({ label: 'supervisord' }),
  },
];

/** When each tool's server last came back (or first came up): a round waits until it has run settleMs. */
/** @type {Map<string, number>} */
const upSince = new Map();

/**
 * SIGKILL the process listening on the server port; time until health answers 200 from a new process.
 * @param {import('./lib/tools.mjs').Tool} tool
 * @param {number} pid
 */
async function killAndTime(tool, pid) {
  const killedAt = uptimeMs();
  const t0 = now();
  process.kill(pid, 'SIGKILL');
  const t1 = await healthyAt(tool.serverPort, healthPath, 60_000);
  const after = listenerPid(tool.serverPort);
  if (after === null || after === pid || alive(pid)) throw new Error(`${tool.label}: health answered but pid ${pid} is still the server`);
  // The new process's kernel start time splits the total into the tool's reaction and the server's own start.
  const born = processStartMs(after);
  return { total: t1 - t0, reaction: born === null ? NaN : Math.max(0, born - killedAt), newPid: after, at: t1 };
}

/**
 * One round: a first crash after a stable run, then at once a second crash of its replacement.
 * @param {string} key
 * @param {import('./lib/tools.mjs').Tool} tool
 */
async function oneRound(key, tool) {
  const pid = await waitFor('the server pid', () => listenerPid(tool.serverPort) ?? undefined);
  await sleep(Math.max(0, (upSince.get(key) ?? 0) + settleMs - now()));
  const first = await killAndTime(tool, pid);
  const second = await killAndTime(tool, first.newPid);
  upSince.set(key, second.at);
  return { first, second };
}

// All supervisors run side by side and each round goes through them in turn (in a rotating order), so the noise
// of a shared machine falls on every row alike instead of on whichever tool ran during a busy minute.
/** @type {Map<string, import('./lib/tools.mjs').Tool>} */
const tools = new Map();
/** @typedef {{ total: number[], reaction: number[] }} Series */
/** @type {Map<string, { first: Series, second: Series }>} */
const samples = new Map();
try {
  for (const c of contenders) {
    progress(`crash recovery: starting ${c.label}`);
    tools.set(c.key, await c.start());
    upSince.set(c.key, now());
    samples.set(c.key, { first: { total: [], reaction: [] }, second: { total: [], reaction: [] } });
  }
  // Round 0 is a discarded warm-up: the first crash also pays cold caches in each tool.
  for (let round = 0; round <= roundCount; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
    const seen = [];
    for (const c of order) {
      if (!c) continue;
      const result = await oneRound(c.key, /** @type {import('./lib/tools.mjs').Tool} */ (tools.get(c.key)));
      seen.push(`${c.key} ${result.first.total.toFixed(0)}/${result.second.total.toFixed(0)}`);
      if (round === 0) continue;
      const s = samples.get(c.key);
      s?.first.total.push(result.first.total);
      s?.first.reaction.push(result.first.reaction);
      s?.second.total.push(result.second.total);
      s?.second.reaction.push(result.second.reaction);
    }
    progress(`  round ${round}${round === 0 ? ' (warm-up)' : ''} (first/second crash, ms): ${seen.join(', ')}`);
  }
} finally {
  for (const tool of tools.values()) await tool.stop();
}

/** @param {'first' | 'second'} which */
function table(which) {
  const floor = median(samples.get('bare')?.[which].total ?? []);
  return markdownTable(
    ['supervisor', 'settings', 'median', 'p90', 'min', 'max', 'kill → new pid (median)', '× floor (median)'],
    contenders.map((c) => {
      const s = samples.get(c.key)?.[which] ?? { total: [], reaction: [] };
      return [
        c.label,
        c.settings,
        fmtMs(median(s.total)),
        fmtMs(percentile(s.total, 90)),
        fmtMs(Math.min(...s.total)),
        fmtMs(Math.max(...s.total)),
        fmtMs(median(s.reaction)),
        fmtRatio(median(s.total) / floor),
      ];
    }),
  );
}
const m = (/** @type {string} */ key, /** @type {'first' | 'second'} */ which = 'first') => median(samples.get(key)?.[which].total ?? []);
const ratio = (/** @type {string} */ a, /** @type {string} */ b, /** @type {'first' | 'second'} */ which = 'first') => fmtRatio(m(a, which) / m(b, which));

reportSection(`## Crash recovery (kill -9 → health answers again)

${roundCount} rounds (plus one discarded warm-up round). All supervisors run side by side; each round goes through
them in turn, in a rotating order. A round kills the server after it has run at least ${settleMs / 1000} s (a *first
crash*), waits until health answers again, then at once kills the replacement (a *second crash in a row*). Times run
from \`kill -9\` of the process listening on the server port until \`GET /api/health\` answers 200 again, polled every
2 ms by the benchmark for every row. "kill → new pid" is the tool's own reaction: from the kill until the kernel
created the new server process (from /proc/uptime and the process's start time, 10 ms resolution); the rest of each
total is the demo server's own start. Ours runs with \`stable_ms: 1000\` and \`intensity: 1000\` so that every round
starts from a stable server (see the notes); everything else is the product default unless the row says otherwise.

### First crash after a stable run

${table('first')}

Ratios (medians): ours default / floor ${ratio('ours-default', 'bare')}; ours default / PM2 ${ratio('ours-default', 'pm2')};
ours default / supervisord ${ratio('ours-default', 'supervisord')}.

### Second crash in a row (the replacement killed as soon as it answers)

${table('second')}

Ratios (medians): ours default / floor ${ratio('ours-default', 'bare', 'second')}, ours backoff 100 / floor
${ratio('ours-100', 'bare', 'second')}, ours backoff 0 / floor ${ratio('ours-0', 'bare', 'second')}; ours default / PM2
${ratio('ours-default', 'pm2', 'second')}; ours default / supervisord ${ratio('ours-default', 'supervisord', 'second')}.`);
