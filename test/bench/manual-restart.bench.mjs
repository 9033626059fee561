// Manual restart: each tool's own restart command → the NEW server's health answers (and the command returns).
import { alive, fmtMs, fmtRatio, httpStatus, listenerPid, markdownTable, median, now, percentile, sleep, waitFor } from './lib/measure.mjs';
import { progress, reportSection, rounds } from './lib/report.mjs';
import { healthPath, startOurs, startPm2, startSupervisord } from './lib/tools.mjs';

const roundCount = rounds(10);
const settleMs = 1_500;

/**
 * @typedef {{ key: string, label: string, via: string, tool: string, kind: 'api' | 'cli' }} Row
 * @type {Row[]}
 */
const rows = [
  { key: 'ours-api', label: 'ours', via: 'HTTP `POST /supervisor/server/restart`', tool: 'ours', kind: 'api' },
  { key: 'ours-cli', label: 'ours', via: 'CLI `parachute-supervisor server restart`', tool: 'ours', kind: 'cli' },
  { key: 'pm2-api', label: 'PM2', via: 'programmatic API `pm2.restart()` (RPC socket)', tool: 'pm2', kind: 'api' },
  { key: 'pm2-cli', label: 'PM2', via: 'CLI `pm2 restart demo`', tool: 'pm2', kind: 'cli' },
  { key: 'supervisord-api', label: 'supervisord', via: 'XML-RPC `stopProcess` + `startProcess` (unix socket)', tool: 'supervisord', kind: 'api' },
  { key: 'supervisord-cli', label: 'supervisord', via: 'CLI `supervisorctl restart demo`', tool: 'supervisord', kind: 'cli' },
];

/**
 * One restart: the old server must be gone and the port must answer 200 (so the answer is the new server's).
 * @param {import('./lib/tools.mjs').Tool} tool
 * @param {() => Promise<void>} restart
 */
async function oneRestart(tool, restart) {
  const oldPid = await waitFor('the server pid', () => listenerPid(tool.serverPort) ?? undefined);
  const t0 = now();
  let commandDone = NaN;
  const command = restart().then(() => {
    commandDone = now() - t0;
  });
  let healthy = NaN;
  let failed = null;
  command.catch((/** @type {unknown} */ error) => (failed = error));
  const deadline = t0 + 60_000;
  while (Number.isNaN(healthy)) {
    if (failed) throw failed;
    if (now() > deadline) throw new Error(`${tool.label}: no new healthy server within 60 s`);
    if (!alive(oldPid) && (await httpStatus(tool.serverPort, healthPath, 500)) === 200) healthy = now() - t0;
    else await sleep(2);
  }
  await command;
  const newPid = listenerPid(tool.serverPort);
  if (newPid === null || newPid === oldPid) throw new Error(`${tool.label}: the server pid did not change (${oldPid})`);
  return { healthy, commandDone };
}

/** @type {Map<string, import('./lib/tools.mjs').Tool>} */
const tools = new Map();
/** @type {Map<string, { healthy: number[], command: number[] }>} */
const samples = new Map(rows.map((r) => [r.key, { healthy: [], command: [] }]));
try {
  progress('manual restart: starting ours, PM2, supervisord');
  tools.set('ours', await startOurs({ label: 'ours' }));
  tools.set('pm2', await startPm2({ label: 'pm2' }));
  tools.set('supervisord', await startSupervisord({ label: 'supervisord' }));
  // Round 0 is a discarded warm-up (first CLI start-up, first RPC connection). Rows rotate as in crash recovery.
  for (let round = 0; round <= roundCount; round++) {
    const order = rows.map((_, i) => rows[(i + round) % rows.length]);
    for (const row of order) {
      if (!row) continue;
      const tool = /** @type {import('./lib/tools.mjs').Tool} */ (tools.get(row.tool));
      const restart = row.kind === 'api' ? tool.restartApi : tool.restartCli;
      if (!restart) continue;
      await sleep(settleMs);
      const result = await oneRestart(tool, restart);
      if (round > 0) {
        samples.get(row.key)?.healthy.push(result.healthy);
        samples.get(row.key)?.command.push(result.commandDone);
      }
    }
    progress(`  round ${round}${round === 0 ? ' (warm-up)' : ''} done`);
  }
} finally {
  for (const tool of tools.values()) await tool.stop();
}

const ours = median(samples.get('ours-api')?.healthy ?? []);
const table = rows.map((r) => {
  const s = samples.get(r.key) ?? { healthy: [], command: [] };
  return [
    r.label,
    r.via,
    fmtMs(median(s.healthy)),
    fmtMs(percentile(s.healthy, 90)),
    fmtMs(median(s.command)),
    fmtMs(percentile(s.command, 90)),
    fmtRatio(median(s.healthy) / ours),
  ];
});
const m = (/** @type {string} */ key) => median(samples.get(key)?.healthy ?? []);

reportSection(`## Manual restart (command → the new server answers)

${roundCount} rounds per row (plus a discarded warm-up), rows in a rotating order, ${settleMs / 1000} s of rest before each restart.
"new server healthy" is from sending the command until the old pid is gone and \`GET /api/health\` answers 200
(polled every 2 ms); "command returned" is when the tool's call or CLI process finished. Our HTTP restart answers only once its
own readiness probe has seen the new server healthy; \`pm2 restart\` and \`supervisorctl restart\` return once the process
is spawned (\`startsecs=0\`), so for them the command can return before the server answers.

${markdownTable(['supervisor', 'interface', 'new server healthy (median)', 'p90', 'command returned (median)', 'p90', '× ours HTTP'], table)}

Ratios (medians, new server healthy): ours HTTP / PM2 API ${fmtRatio(ours / m('pm2-api'))}, ours HTTP / supervisord XML-RPC
${fmtRatio(ours / m('supervisord-api'))}; ours CLI / \`pm2 restart\` ${fmtRatio(m('ours-cli') / m('pm2-cli'))}, ours CLI / \`supervisorctl restart\`
${fmtRatio(m('ours-cli') / m('supervisord-cli'))}.`);
