// One chaos soak (docs/soak.md): the built supervisor supervising test/soak/soak-server.mjs, a local fake of the
// Models API, long-lived log and event stream clients, a client measuring the main server's availability, and a
// seeded scheduler interleaving operations (test/soak/operations.mjs) while the invariants are checked every 250 ms.
// Everything it starts is stopped at the end, and nothing tagged as the soak's may be left alive.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseDocument, stringify } from 'yaml';
import { freePort } from '../support/free-port.mjs';
import { steadyClient } from '../support/steady-client.mjs';
import { createConfigModel } from './config-checks.mjs';
import { startDaemon } from './daemon.mjs';
import { checkHistoryAnswer, createEventLedger } from './event-checks.mjs';
import { startFakeModelsApi } from './fake-models-api.mjs';
import { createOperations, editableKeys } from './operations.mjs';
import { createLeakScanner, plantedSecrets } from './planted-secrets.mjs';
import { checkServerGroups } from './process-checks.mjs';
import { carriesTag, createProcScanner, isAlive, loadAverage, openFds, rssBytes } from './proc-scan.mjs';
import { createPrng, pickWeighted } from './prng.mjs';
import { askSupervisor, createRecord } from './soak-context.mjs';
import { startEventsClient, startLogClient } from './stream-clients.mjs';

/** @typedef {import('./soak-context.mjs').SoakContext} SoakContext */

const soakServer = fileURLToPath(new URL('./soak-server.mjs', import.meta.url));

/**
 * The bounds on the supervisor's own resources (docs/soak.md gives the arithmetic): open fds, its idle ~25 plus the
 * soak's 16 connections at most, pidusage's one /proc file per server sampled in the last ~20 s, and a few files
 * open for a moment; RSS, five times the idle ~50 MiB, room for six streams' buffers and V8's garbage under floods.
 */
export const bounds = { fds: 64, rssBytes: 256 * 1024 * 1024 };

/** How often the invariants are checked. */
const checkEveryMs = 250;
/** Status naming a server with no process alive is fine while an exit is being noticed; not for longer than this. */
const goneGraceMs = 5_000;
/** At least this long between two supervisor kills. */
const supervisorKillSpacingMs = 20_000;
/**
 * Supervisors are killed only in this first part of the run: the last supervisor then lives through the rest under
 * all the other chaos (9 minutes of a 30-minute run), long enough for its memory and fds to show a leak.
 */
const supervisorKillsUntil = 0.7;
const maxOpsInFlight = 8;

/**
 * @typedef {{ index: number, pid: number, startedAtMs: number, first: { rss: number, fds: number, atMs: number } | null, last: { rss: number, fds: number, atMs: number } | null, maxRss: number, maxFds: number, reported: Set<string> }} DaemonResources
 */

/**
 * Runs the soak and resolves with what it measured. Never throws for a broken invariant: violations are in the result.
 * @param {{ minutes: number, seed: number, maxOps: number, print: (line: string) => void }} options
 */
export async function runSoak({ minutes, seed, maxOps, print }) {
  const record = createRecord({ seed, print });
  const dir = mkdtempSync(join(tmpdir(), 'psup-soak-'));
  const logDir = join(dir, 'logs');
  const configPath = join(dir, 'config.yaml');
  const tag = `soak-${seed}-${randomBytes(6).toString('hex')}`;
  const secrets = plantedSecrets(seed);
  const fake = await startFakeModelsApi({ apiKey: secrets.apiKey });
  const serverPort = await freePort();
  const apiPort = await freePort();
  const logBackups = 3;
  const initial = {
    port: serverPort,
    default_model: 'claude-soak-sonnet-1',
    api_key: secrets.apiKey,
    log_level: 'info',
    debug: false,
    log_format: 'text',
    max_message_length: 4_000,
    transcription_enabled: false,
    supervisor: {
      log_dir: logDir,
      // Small, so that rotation happens every few seconds under the floods.
      log_max_bytes: 2 * 1024 * 1024,
      log_backups: logBackups,
      server: {
        command: [process.execPath, soakServer],
        env: { SOAK_TAG: tag, SOAK_SEED: String(seed) },
        start_timeout_ms: 10_000,
        stop_timeout_ms: 2_000,
        backoff_ms: 100,
        backoff_max_ms: 1_000,
        // The soak crashes the server on purpose every few seconds; the crash budget is not what it tests.
        intensity: 1_000,
        period_ms: 60_000,
        stable_ms: 5_000,
        health_interval_ms: 500,
        health_failures: 3,
        health_timeout_ms: 1_000,
      },
    },
  };
  writeFileSync(configPath, stringify(initial), { mode: 0o600 });
  /** @type {NodeJS.ProcessEnv} */
  const daemonEnv = { ...process.env, ANTHROPIC_BASE_URL: fake.url };
  for (const name of ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN', 'SUPERVISOR_TOKEN', 'PARACHUTE_CONFIG', 'SUPERVISOR_PORT', 'SUPERVISOR_HOST']) delete daemonEnv[name];
  const leaks = createLeakScanner(secrets.forms.map((f) => f.value));
  const procs = createProcScanner(tag);

  /** @type {SoakContext} */
  const ctx = {
    seed,
    prng: createPrng(seed),
    clientPrng: createPrng((seed ^ 0x9e3779b9) >>> 0),
    t0: record.t0,
    dir,
    logDir,
    configPath,
    logBackups,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    apiPort,
    serverUrl: `http://127.0.0.1:${serverPort}`,
    tag,
    leaks,
    procs,
    daemon: null,
    daemons: 0,
    daemonEnv,
    config: createConfigModel(initial, editableKeys),
    ledger: createEventLedger(),
    violations: record.violations,
    violation: record.violation,
    count: record.count,
    outcomes: record.outcomes,
    statusMs: [],
    held: new Set(),
    api: (method, path, options) => askSupervisor(ctx, method, path, options),
    scanText: (text, where) => {
      ctx.checks.scannedBytes += text.length;
      const leak = leaks.scan(text);
      if (leak) record.violation('secrets', `a planted secret in ${where}`, { fragment: leak.fragment, context: leak.context });
    },
    seenLines: new Set(),
    lost: { window: 0, rotatedOut: 0, torn: 0, cellsLost: 0, eventsTrimmed: 0 },
    lostLines: [],
    elapsed: record.elapsed,
    ending: false,
    checkProcessesNow: (why) => checkProcesses(why),
    checks: { processes: 0, config: 0, history: 0, scannedBytes: 0, resourceSamples: 0 },
  };

  // Whatever happens to this process, nothing it started outlives it.
  const emergency = () => {
    try {
      ctx.daemon?.child.kill('SIGKILL');
    } catch {
      // gone
    }
    for (const p of procs.scan()) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };
  process.once('exit', emergency);

  /** @type {DaemonResources[]} */
  const resources = [];
  const track = (/** @type {import('./daemon.mjs').Daemon} */ daemon) =>
    resources.push({ index: daemon.index, pid: daemon.pid, startedAtMs: ctx.elapsed(), first: null, last: null, maxRss: 0, maxFds: 0, reported: new Set() });
  const launch = async () => {
    ctx.daemons += 1;
    const daemon = await startDaemon({ dir, index: ctx.daemons, port: apiPort, configPath, env: daemonEnv });
    track(daemon);
    return daemon;
  };

  const observeConfig = () => {
    ctx.checks.config += 1;
    let text;
    try {
      text = readFileSync(configPath, 'utf8');
    } catch (error) {
      return report(ctx.config.observe({ error: `cannot read: ${/** @type {Error} */ (error).message}` }));
    }
    const doc = parseDocument(text, { uniqueKeys: true });
    const problem = doc.errors[0] ?? doc.warnings[0];
    report(ctx.config.observe(problem ? { error: problem.message } : /** @type {Record<string, unknown>} */ (doc.toJS())));
  };
  const report = (/** @type {{ what: string, detail: Record<string, unknown> }[]} */ findings) => {
    for (const f of findings) ctx.violation('config', f.what, f.detail);
  };

  const statusNow = async () => {
    const answer = await ctx.api('GET', '/supervisor/status', { timeoutMs: 10_000 });
    if (answer.status !== 200) return null;
    ctx.statusMs.push(answer.ms);
    return { pid: answer.json.main_server_pid ?? null, state: String(answer.json.main_server_state) };
  };
  /** @type {Map<number, number>} */
  const goneSince = new Map();
  const checkProcesses = async (/** @type {string} */ why) => {
    ctx.checks.processes += 1;
    const before = await statusNow();
    const processes = procs.scan();
    const after = await statusNow();
    /** @type {Set<number>} */
    const gone = new Set();
    for (const finding of checkServerGroups({ before, after, processes })) {
      if (finding.kind === 'violation') ctx.violation('server processes', `${finding.what} (${why})`, finding.detail, finding.key);
      else {
        gone.add(finding.pid);
        const since = goneSince.get(finding.pid) ?? ctx.elapsed();
        goneSince.set(finding.pid, since);
        if (ctx.elapsed() - since > goneGraceMs && since >= 0) {
          ctx.violation('server processes', `status has named server ${finding.pid} for ${goneGraceMs} ms while no process of it is alive`, { state: before?.state });
          goneSince.set(finding.pid, -Infinity);
        }
      }
    }
    for (const pid of goneSince.keys()) if (!gone.has(pid)) goneSince.delete(pid);
  };

  let lastSample = -Infinity;
  const sampleResources = () => {
    const daemon = ctx.daemon;
    if (!daemon || !daemon.running() || ctx.elapsed() - lastSample < 1_000) return;
    lastSample = ctx.elapsed();
    const rss = rssBytes(daemon.pid);
    const fds = openFds(daemon.pid);
    const r = resources.find((x) => x.pid === daemon.pid);
    if (rss === null || fds === null || !r) return;
    ctx.checks.resourceSamples += 1;
    const sample = { rss, fds, atMs: Math.round(ctx.elapsed()) };
    r.first ??= sample;
    r.last = sample;
    r.maxRss = Math.max(r.maxRss, rss);
    r.maxFds = Math.max(r.maxFds, fds);
    if (rss > bounds.rssBytes && !r.reported.has('rss')) {
      r.reported.add('rss');
      ctx.violation('supervisor resources', `supervisor ${r.index} RSS ${mib(rss)} MiB is over the bound of ${mib(bounds.rssBytes)} MiB`, { pid: daemon.pid });
    }
    if (fds > bounds.fds && !r.reported.has('fds')) {
      r.reported.add('fds');
      ctx.violation('supervisor resources', `supervisor ${r.index} holds ${fds} open fds, over the bound of ${bounds.fds}`, { pid: daemon.pid });
    }
  };

  let checking = true;
  const checker = (async () => {
    while (checking) {
      await checkProcesses('continuous check');
      observeConfig();
      sampleResources();
      await sleep(checkEveryMs);
    }
  })();

  /** @type {import('./stream-clients.mjs').StreamClient[]} */
  const logClients = [];
  /** @type {import('./stream-clients.mjs').StreamClient[]} */
  const eventClients = [];
  /** @type {{ lines: number }} */
  const flooded = { lines: 0 };
  let logClientNames = 0;
  let eventClientNames = 0;
  const newLogClient = () => startLogClient(ctx, { name: `logs-${(logClientNames += 1)}`, lines: ctx.clientPrng.int(0, 300) });
  const newEventsClient = () => startEventsClient(ctx, { name: `events-${(eventClientNames += 1)}` });
  /** @type {import('./stream-clients.mjs').StreamClient[]} */
  const retiredClients = [];

  const replaceDaemon = async (/** @type {boolean} */ withServer, /** @type {number} */ gapMs) => {
    const old = ctx.daemon;
    if (!old) return 'no supervisor';
    const answer = await ctx.api('GET', '/supervisor/status', { timeoutMs: 10_000 });
    const pid = typeof answer.json?.main_server_pid === 'number' && carriesTag(answer.json.main_server_pid, tag) ? answer.json.main_server_pid : null;
    ctx.daemon = null;
    old.child.kill('SIGKILL');
    await old.exited;
    let serverKilled = false;
    if (withServer && pid !== null && carriesTag(pid, tag)) {
      process.kill(pid, 'SIGKILL');
      serverKilled = true;
    }
    await sleep(gapMs);
    ctx.daemon = await launch();
    if (pid === null || serverKilled) return serverKilled ? 'killed with its server' : 'no server to adopt';
    // The server the killed supervisor left must be adopted, not replaced, as long as it lives.
    const deadline = ctx.elapsed() + 20_000;
    for (;;) {
      const s = await statusNow();
      if (s && s.state !== 'starting') {
        if (isAlive(pid) && carriesTag(pid, tag) && s.pid !== pid) {
          ctx.violation('adoption', 'a server left running by a killed supervisor was not adopted', { left: pid, status_pid: s.pid, state: s.state });
        }
        return s.pid === pid ? 'adopted' : 'server gone before adoption';
      }
      if (ctx.elapsed() > deadline) return 'adoption still starting after 20 s';
      await sleep(50);
    }
  };

  const loadStart = loadAverage();
  print(`soak: seed ${seed}, ${minutes} min, at most ${maxOps} operations; supervisor on ${ctx.apiUrl}, server on ${ctx.serverUrl}; folder ${dir}`);
  print(`soak: load average at start ${loadStart}`);
  /** @type {import('../support/steady-client.mjs').SteadySummary | null} */
  let availability = null;
  let opsStarted = 0;
  let aborted = false;
  const onSigint = () => {
    aborted = true;
    print('soak: interrupted; stopping everything and summing up');
  };
  process.once('SIGINT', onSigint);
  /** @type {{ code: number | null, signal: string | null } | null} */
  let finalExit = null;
  let chaosMs = 0;
  try {
    ctx.daemon = await launch();
    const deadline = ctx.elapsed() + 30_000;
    while ((await statusNow())?.state !== 'running') {
      if (ctx.elapsed() > deadline) throw new Error('the server did not reach running within 30 s of the first supervisor');
      await sleep(50);
    }
    const steady = steadyClient({ port: serverPort, path: '/api/health', intervalMs: 50, timeoutMs: 10_000 });
    for (let i = 0; i < 3; i += 1) logClients.push(newLogClient());
    for (let i = 0; i < 2; i += 1) eventClients.push(newEventsClient());

    const operations = createOperations(ctx, { observeConfig, replaceDaemon, logClients, eventClients, newLogClient, newEventsClient, retired: retiredClients, flooded });
    const chaosStart = ctx.elapsed();
    const durationMs = minutes * 60_000;
    /** @type {Map<Promise<void>, string>} what each operation under way is, and since when */
    const inFlight = new Map();
    /** @type {Set<string>} */
    const busy = new Set();
    let lastSupervisorKill = -Infinity;
    while (!aborted && ctx.elapsed() - chaosStart < durationMs && opsStarted < maxOps) {
      await sleep(ctx.prng.int(100, 1_000));
      if (inFlight.size >= maxOpsInFlight) continue;
      /** @type {Record<string, number>} */
      const weights = {};
      for (const op of operations) {
        if (op.group && busy.has(op.group)) continue;
        if (op.group === 'supervisor' && (ctx.elapsed() - lastSupervisorKill < supervisorKillSpacingMs || ctx.elapsed() - chaosStart > supervisorKillsUntil * durationMs)) continue;
        weights[op.kind] = op.weight;
      }
      const kind = pickWeighted(ctx.prng, weights);
      const op = operations.find((o) => o.kind === kind);
      if (!op) continue;
      const params = op.plan(ctx.prng);
      opsStarted += 1;
      if (op.group) busy.add(op.group);
      if (op.group === 'supervisor') lastSupervisorKill = ctx.elapsed();
      const running = op
        .run(params)
        .then(
          (outcome) => ctx.count(op.kind, outcome),
          (error) => {
            ctx.count(op.kind, 'failed');
            ctx.violation('soak itself', `operation "${op.kind}" failed`, { error: String(error?.stack ?? error) });
          },
        )
        .finally(() => {
          if (op.group) busy.delete(op.group);
          inFlight.delete(running);
        });
      inFlight.set(running, `${op.kind} ${JSON.stringify(params)} since +${(ctx.elapsed() / 1000).toFixed(1)} s`);
    }
    await Promise.race([Promise.all(inFlight.keys()), sleep(120_000)]);
    if (inFlight.size > 0) ctx.violation('soak itself', `${inFlight.size} operations still under way 120 s after the last one started`, { operations: [...inFlight.values()] });
    chaosMs = ctx.elapsed() - chaosStart;
    availability = await steady.stop();
  } catch (error) {
    ctx.violation('soak itself', `the run stopped: ${/** @type {Error} */ (error).message}`, { error: String(/** @type {Error} */ (error).stack) });
  } finally {
    process.off('SIGINT', onSigint);
    // The end: stream clients stop, the checks run a last time, then the supervisor is stopped the way launchd and
    // systemd stop it, and nothing of the soak may be left alive.
    ctx.ending = true;
    for (const client of [...logClients, ...eventClients, ...retiredClients]) client.retire();
    checking = false;
    await checker;
    for (const pgid of ctx.held) {
      try {
        process.kill(-pgid, 'SIGCONT');
      } catch {
        // gone
      }
    }
    if (ctx.daemon?.running()) {
      await checkProcesses('at the end, before the supervisor is stopped');
      observeConfig();
      const history = await ctx.api('GET', '/supervisor/history?limit=1000');
      if (history.status === 200) ctx.checks.history += 1;
      if (history.status === 200) for (const f of checkHistoryAnswer(ctx.ledger, history.json, ctx.ledger.maxSeq())) ctx.violation('history seq', f.kind === 'violation' ? f.what : 'history gap', f.kind === 'violation' ? f.detail : { ...f });
      ctx.daemon.child.kill('SIGTERM');
      finalExit = await Promise.race([ctx.daemon.exited, sleep(60_000).then(() => null)]);
      if (finalExit === null) {
        ctx.violation('shutdown', 'the supervisor did not exit within 60 s of SIGTERM', { pid: ctx.daemon.pid });
        ctx.daemon.child.kill('SIGKILL');
      } else if (finalExit.code !== 0) ctx.violation('shutdown', `the supervisor exited with ${finalExit.code ?? finalExit.signal} on SIGTERM`, {});
    }
    const left = procs.scan();
    if (left.length > 0) {
      ctx.violation('server processes', 'server processes left alive after the supervisor stopped: orphans', { processes: left });
      for (const p of left) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
    }
    await fake.close();
    for (let i = 1; i <= ctx.daemons; i += 1) {
      try {
        ctx.scanText(readFileSync(join(dir, `supervisor-${i}.out`), 'utf8'), `supervisor ${i}'s stdout/stderr`);
      } catch {
        // never started
      }
    }
    // A line lost for one follower must be lost for all: the rotation window loses bytes before anyone reads them.
    for (const lost of ctx.lostLines) {
      const got = lost.ks.filter((k) => ctx.seenLines.has(`${lost.writer}:${k}`));
      if (got.length > 0) ctx.violation('log resume', `log lines ${lost.what} were received whole by another client`, { writer: lost.writer, lines: got });
    }
    process.off('exit', emergency);
  }

  const result = {
    seed,
    minutes,
    maxOps,
    chaosMs,
    opsStarted,
    outcomes: ctx.outcomes,
    violations: ctx.violations,
    availability,
    statusMs: ctx.statusMs,
    resources,
    bounds,
    load: { start: loadStart, end: loadAverage() },
    streams: {
      logs: sumCounts([...logClients, ...retiredClients].filter((c) => c.name.startsWith('logs-')).map((c) => c.counts())),
      events: sumCounts([...eventClients, ...retiredClients].filter((c) => c.name.startsWith('events-')).map((c) => c.counts())),
    },
    checks: ctx.checks,
    flooded: flooded.lines,
    lost: ctx.lost,
    config: ctx.config.counts(),
    ledger: ctx.ledger.size(),
    daemons: ctx.daemons,
    finalExit,
    dir,
  };
  if (ctx.violations.length === 0) rmSync(dir, { recursive: true, force: true });
  return result;
}

/** @param {number} bytes */
function mib(bytes) {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** @param {Record<string, number>[]} all */
function sumCounts(all) {
  /** @type {Record<string, number>} */
  const sum = {};
  for (const counts of all) for (const [key, value] of Object.entries(counts)) sum[key] = (sum[key] ?? 0) + value;
  return sum;
}
