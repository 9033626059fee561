// Refused during restart: a steady client (a GET every 5 ms, a fresh connection each) through kill -9, a manual
// restart and a config-change restart of the demo server, for ours with the socket handed over (socket: inherit),
// ours by default (the server binds its port), PM2 (fork mode) and supervisord. Counts refused and reset requests
// and the slowest request of each window, and the time until a client is answered again.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { steadyClient } from '../support/steady-client.mjs';
import { alive, fmtMs, fmtRatio, listenerPid, markdownTable, median, now, sleep, waitFor } from './lib/measure.mjs';
import { progress, reportSection, rounds } from './lib/report.mjs';
import { healthPath, ourRequest, startOurs, startPm2, startSupervisord } from './lib/tools.mjs';

const roundCount = rounds(10);
// A kill comes only after the server has run this long: a first crash after a stable run, for every tool (ours gets
// stable_ms 1000, PM2's min_uptime is 1 s), as in the crash-recovery benchmark.
const settleMs = 1_500;
const perRound = { stable_ms: 1_000, intensity: 1_000 };
// Answers the client must get from the new server before a window closes.
const answersAfter = 40;

/** @typedef {import('./lib/tools.mjs').Tool} Tool */
/** @type {{ key: string, label: string, start: () => Promise<Tool> }[]} */
const contenders = [
  { key: 'inherit', label: 'ours, `socket: inherit`', start: () => startOurs({ label: 'ours-inherit', server: { ...perRound, socket: 'inherit' } }) },
  { key: 'ours', label: 'ours, defaults (`socket: none`)', start: () => startOurs({ label: 'ours-default', server: { ...perRound } }) },
  { key: 'pm2', label: 'PM2 (fork mode)', start: () => startPm2({ label: 'pm2' }) },
  { key: 'supervisord', label: 'supervisord', start: () => startSupervisord({ label: 'supervisord' }) },
];

/** @type {{ key: 'kill' | 'restart' | 'config', label: string }[]} */
const events = [
  { key: 'kill', label: 'kill -9 of the server' },
  { key: 'restart', label: "manual restart (each tool's API)" },
  { key: 'config', label: 'config change with restart' },
];

/**
 * The server's pid: from our status (with socket: inherit our supervisor holds the listening socket too, so the
 * /proc listener scan could name it), else the process listening on the port.
 * @param {Tool} tool
 * @returns {Promise<number | null>}
 */
async function serverPid(tool) {
  if (tool.apiUrl) {
    const { json } = await ourRequest(`${tool.apiUrl}/supervisor/status`);
    return json?.main_server_status === 'running' ? json.main_server_pid : null;
  }
  return listenerPid(tool.serverPort);
}

let modelTurn = 0;
/**
 * The config change: `default_model` through our API (which restarts the server on it), or, for the tools that
 * have no config of their own, written into the demo server's config.yaml and followed by their restart.
 * @param {Tool} tool
 */
async function changeConfig(tool) {
  const model = ++modelTurn % 2 ? 'claude-opus-4-1' : 'claude-sonnet-4-5';
  if (tool.apiUrl) {
    const answer = await fetch(`${tool.apiUrl}/supervisor/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ values: { default_model: model }, restart: true }),
    });
    if (answer.status !== 200) throw new Error(`config change answered ${answer.status}: ${await answer.text()}`);
    return;
  }
  writeFileSync(join(tool.dir, 'config.yaml'), stringify({ port: tool.serverPort, default_model: model }), { mode: 0o600 });
  await /** @type {() => Promise<void>} */ (tool.restartApi)();
}

/** @type {Map<string, number>} */
const upSince = new Map();

/**
 * One window: the client runs, the event happens, and the window closes once a new server has answered
 * `answersAfter` requests.
 * @param {string} key
 * @param {Tool} tool
 * @param {'kill' | 'restart' | 'config'} event
 */
async function oneWindow(key, tool, event) {
  const oldPid = await waitFor('the server pid', () => serverPid(tool).then((pid) => pid ?? undefined));
  if (event === 'kill') await sleep(Math.max(0, (upSince.get(key) ?? 0) + settleMs - now()));
  const client = steadyClient({ port: tool.serverPort, path: healthPath });
  try {
    await waitFor('answers before the event', () => client.ok() >= 20);
    if (event === 'kill') process.kill(oldPid, 'SIGKILL');
    else if (event === 'restart') await /** @type {() => Promise<void>} */ (tool.restartApi)();
    else await changeConfig(tool);
    await waitFor('a new server', async () => !alive(oldPid) && ((await serverPid(tool)) ?? oldPid) !== oldPid, { timeoutMs: 30_000 });
    upSince.set(key, now());
    const answered = client.ok();
    await waitFor('answers from the new server', () => client.ok() >= answered + answersAfter, { timeoutMs: 30_000 });
    const summary = await client.stop();
    return summary;
  } finally {
    await client.stop();
  }
}

/** @typedef {{ sent: number, refused: number, reset: number, other: number, maxLatency: number[], outage: number[] }} Totals */
/** @type {Map<string, Totals>} */
const totals = new Map();
const totalsOf = (/** @type {string} */ key, /** @type {string} */ event) => {
  const id = `${key}/${event}`;
  if (!totals.has(id)) totals.set(id, { sent: 0, refused: 0, reset: 0, other: 0, maxLatency: [], outage: [] });
  return /** @type {Totals} */ (totals.get(id));
};

/** @type {Map<string, Tool>} */
const tools = new Map();
try {
  for (const c of contenders) {
    progress(`refused during restart: starting ${c.label}`);
    tools.set(c.key, await c.start());
    upSince.set(c.key, now());
  }
  // Round 0 is a discarded warm-up. Tools and events rotate round by round, as in the other benchmarks.
  for (let round = 0; round <= roundCount; round++) {
    const seen = [];
    for (let i = 0; i < contenders.length; i++) {
      const c = /** @type {(typeof contenders)[number]} */ (contenders[(i + round) % contenders.length]);
      for (let j = 0; j < events.length; j++) {
        const e = /** @type {(typeof events)[number]} */ (events[(j + round) % events.length]);
        const result = await oneWindow(c.key, /** @type {Tool} */ (tools.get(c.key)), e.key);
        seen.push(`${c.key}/${e.key} ${result.refused}r ${result.reset}x ${result.maxLatencyMs}ms`);
        if (round === 0) continue;
        const t = totalsOf(c.key, e.key);
        t.sent += result.sent;
        t.refused += result.refused;
        t.reset += result.reset;
        t.other += result.other;
        t.maxLatency.push(result.maxLatencyMs);
        t.outage.push(result.outageMs);
      }
    }
    progress(`  round ${round}${round === 0 ? ' (warm-up)' : ''} (refused r, reset x, slowest): ${seen.join(', ')}`);
  }
} finally {
  for (const tool of tools.values()) await tool.stop();
}

/** @param {'kill' | 'restart' | 'config'} event */
function table(event) {
  return markdownTable(
    ['supervisor', 'refused / sent', 'reset', 'other errors', 'slowest request (median of rounds)', 'slowest (max)', 'without an answer for (median)'],
    contenders.map((c) => {
      const t = totalsOf(c.key, event);
      return [
        c.label,
        `${t.refused} / ${t.sent}`,
        t.reset,
        t.other,
        fmtMs(median(t.maxLatency)),
        fmtMs(Math.max(...t.maxLatency)),
        fmtMs(median(t.outage)),
      ];
    }),
  );
}
// The goal: with socket: inherit nothing is refused, and the slowest request waits no longer than the default mode
// leaves clients without an answer.
const slowestOverAway = (/** @type {'kill' | 'restart' | 'config'} */ event) =>
  fmtRatio(median(totalsOf('inherit', event).maxLatency) / median(totalsOf('ours', event).outage));
const refusedInherit = events.reduce((sum, e) => sum + totalsOf('inherit', e.key).refused, 0);

reportSection(`## Refused during restart (a steady client through kill -9, restart and config change)

${roundCount} rounds (plus one discarded warm-up round), tools and events in a rotating order. In each window a client
sends \`GET /api/health\` every 5 ms on a fresh connection (no keep-alive), from before the event until the new
server has answered ${answersAfter} requests. The event is a \`kill -9\` of the server (after it has run at least
${settleMs / 1000} s), a manual restart through each tool's API (ours \`POST /supervisor/server/restart\`, PM2's
\`pm2.restart()\`, supervisord's XML-RPC \`stopProcess\` + \`startProcess\`), or a config change with restart (ours
\`PUT /supervisor/config\` \`default_model\` with \`restart: true\`; PM2 and supervisord have no config of their own,
so \`default_model\` is written into the demo server's \`config.yaml\` and the tool restarts it through its API).
Every tool runs the same demo server; with \`socket: inherit\` it listens on the socket it inherits as fd 3, which
the supervisor holds, so connections wait in the kernel's backlog while no server process runs. *Refused*:
ECONNREFUSED. *Reset*: a connection cut (ECONNRESET/EPIPE), e.g. a request in flight when the server was killed.
*Slowest request*: the longest any request of the window took, however it ended (with \`socket: inherit\`, a request
that waited in the backlog for the new server). *Without an answer for*: the longest run of failed requests, from
the send of its first until the next successful request was answered: how long a client retrying at once was left
without an answer (0 when nothing failed). Ours runs with
\`stable_ms: 1000\` and \`intensity: 1000\` as in the crash-recovery benchmark.

### kill -9 of the server

${table('kill')}

### Manual restart

${table('restart')}

### Config change with restart

${table('config')}

Goal: 0 refused with \`socket: inherit\` (this run: ${refusedInherit} in all windows), and its slowest request no
slower than the time the default mode leaves a client without an answer. Slowest request with \`socket: inherit\`
(median of rounds) / the default mode's "without an answer for" (median): kill -9 ${slowestOverAway('kill')}, restart
${slowestOverAway('restart')}, config change ${slowestOverAway('config')}.`);
