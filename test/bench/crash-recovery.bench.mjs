// Crash recovery: `kill -9` of the demo server → its health endpoint answers 200 again, for each supervisor.
import { alive, fmtMs, fmtRatio, healthyAt, listenerPid, markdownTable, median, now, percentile, processStartMs, sleep, uptimeMs, waitFor } from './lib/measure.mjs';
import { progress, reportSection, rounds } from './lib/report.mjs';
import { healthPath, startBareLoop, startOurs, startPm2, startSupervisord } from './lib/tools.mjs';

const roundCount = rounds(10);
// Between rounds every server runs this long first, so each kill is a first crash after a stable period:
// longer than PM2's min_uptime (1 s) and than the stable_ms (1 s) given to ours below.
const settleMs = 1_500;
// Only so that each of the ten deliberate kills is a first crash: without them ours would (by design) double its
// backoff on each kill within stable_ms (30 s) and stop restarting after `intensity` (5) crashes in 60 s.
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

/** When each tool's server last came back (or first came up): a kill waits until it has run settleMs. */
/** @type {Map<string, number>} */
const upSince = new Map();

/**
 * One round: SIGKILL the process listening on the server port, time until health answers 200 from a new process.
 * @param {string} key
 * @param {import('./lib/tools.mjs').Tool} tool
 */
async function oneRound(key, tool) {
  const pid = await waitFor('the server pid', () => listenerPid(tool.serverPort) ?? undefined);
  await sleep(Math.max(0, (upSince.get(key) ?? 0) + settleMs - now()));
  const killedAt = uptimeMs();
  const t0 = now();
  process.kill(pid, 'SIGKILL');
  const t1 = await healthyAt(tool.serverPort, healthPath, 60_000);
  upSince.set(key, t1);
  const after = listenerPid(tool.serverPort);
  if (after === null || after === pid || alive(pid)) throw new Error(`${tool.label}: health answered but pid ${pid} is still the server`);
  // The new process's kernel start time splits the total into the tool's reaction and the server's own start.
  const born = processStartMs(after);
  return { total: t1 - t0, reaction: born === null ? NaN : Math.max(0, born - killedAt) };
}

// All supervisors run side by side and each round kills each one's server in turn (in a rotating order), so the
// noise of a shared machine falls on every row alike instead of on whichever tool ran during a busy minute.
/** @type {Map<string, import('./lib/tools.mjs').Tool>} */
const tools = new Map();
/** @type {Map<string, number[]>} */
const samples = new Map();
/** @type {Map<string, number[]>} */
const reactions = new Map();
try {
  for (const c of contenders) {
    progress(`crash recovery: starting ${c.label}`);
    tools.set(c.key, await c.start());
    upSince.set(c.key, now());
    samples.set(c.key, []);
    reactions.set(c.key, []);
  }
  // Round 0 is a discarded warm-up: the first crash also pays cold caches in each tool.
  for (let round = 0; round <= roundCount; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
    for (const c of order) {
      if (!c) continue;
      const time = await oneRound(c.key, /** @type {import('./lib/tools.mjs').Tool} */ (tools.get(c.key)));
      if (round > 0) samples.get(c.key)?.push(time.total);
      if (round > 0) reactions.get(c.key)?.push(time.reaction);
    }
    progress(`  round ${round}${round === 0 ? ' (warm-up)' : ''}: ${order.map((c) => `${c?.key} ${samples.get(c?.key ?? '')?.at(-1)?.toFixed(0)}`).join(', ')}`);
  }
} finally {
  for (const tool of tools.values()) await tool.stop();
}

const floor = median(samples.get('bare') ?? []);
const rows = contenders.map((c) => {
  const times = samples.get(c.key) ?? [];
  const reaction = median(reactions.get(c.key) ?? []);
  return [
    c.label,
    c.settings,
    fmtMs(median(times)),
    fmtMs(percentile(times, 90)),
    fmtMs(Math.min(...times)),
    fmtMs(Math.max(...times)),
    fmtMs(reaction),
    fmtRatio(median(times) / floor),
  ];
});
const m = (/** @type {string} */ key) => median(samples.get(key) ?? []);
const ratio = (/** @type {string} */ a, /** @type {string} */ b) => fmtRatio(m(a) / m(b));

reportSection(`## Crash recovery (kill -9 → health answers again)

${roundCount} rounds per row (plus one discarded warm-up round); all supervisors run side by side and each round kills
each one's server in turn, in a rotating order; each kill comes after that server has run at least ${settleMs / 1000} s. Time from \`kill -9\` of the process listening on the server port until \`GET /api/health\` answers 200 again,
polled every 2 ms by the benchmark for every row. Ours runs with \`stable_ms: 1000\` and \`intensity: 1000\` so that
every round is a *first* crash (see the notes below); everything else is the product default unless the row says otherwise.
"kill → new pid" is the tool's own reaction: from the kill until the kernel created the new server process (from
/proc/uptime and the process's start time, 10 ms resolution); the rest of each total is the demo server's own start.

${markdownTable(['supervisor', 'settings', 'median', 'p90', 'min', 'max', 'kill → new pid (median)', '× floor (median)'], rows)}

Ratios (medians): ours default / floor ${ratio('ours-default', 'bare')}, ours backoff 0 / floor ${ratio('ours-0', 'bare')},
ours backoff 100 / floor ${ratio('ours-100', 'bare')}; ours default / PM2 ${ratio('ours-default', 'pm2')},
ours default / supervisord ${ratio('ours-default', 'supervisord')}; ours backoff 0 / PM2 ${ratio('ours-0', 'pm2')},
ours backoff 0 / supervisord ${ratio('ours-0', 'supervisord')}.`);
