// Memory under log floods: is the supervisor's RSS growth while its server floods the log (long lines, planted
// secrets, stream clients that drop, stall and resume) live objects piling up, or V8 keeping heap committed? The
// supervisor runs with a GC probe (lib/gc-probe.mjs): after each round the live heap after full GCs is read next to
// RSS and open fds, and compared with the idle supervisor measured at the start of the same run.
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { freePort } from '../support/free-port.mjs';
import { call } from '../soak/http-call.mjs';
import { startFakeModelsApi } from '../soak/fake-models-api.mjs';
import { plantedSecrets } from '../soak/planted-secrets.mjs';
import { openStream } from '../soak/sse-connection.mjs';
import { fmtMiB, heapStats, markdownTable, rssBytes, sleep, smapsBytes, waitFor } from './lib/measure.mjs';
import { progress, reportSection, rounds } from './lib/report.mjs';
import { builtCli } from './lib/tools.mjs';

const roundCount = rounds(6);
// Per round: floods of `floodLines` lines (the soak server prints at most 10,000 per request), each line longer than
// 64 KiB (sent in pieces) with probability `longShare`.
const floods = 10;
const floodLines = 5_000;
const longShare = 0.02;
const seed = 4242;

const soakServer = fileURLToPath(new URL('../soak/soak-server.mjs', import.meta.url));
const probe = fileURLToPath(new URL('./lib/gc-probe.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'psup-bench-flood-'));
const probeOut = join(dir, 'gc-probe.jsonl');
const secrets = plantedSecrets(seed);
const fake = await startFakeModelsApi({ apiKey: secrets.apiKey });
const serverPort = await freePort();
const apiPort = await freePort();
const apiUrl = `http://127.0.0.1:${apiPort}`;
const configPath = join(dir, 'config.yaml');
// The soak's configuration (test/soak/soak-run.mjs): small log files, so that the floods rotate them every few seconds.
writeFileSync(
  configPath,
  stringify({
    port: serverPort,
    default_model: 'claude-soak-sonnet-1',
    api_key: secrets.apiKey,
    supervisor: {
      log_dir: join(dir, 'logs'),
      log_max_bytes: 2 * 1024 * 1024,
      log_backups: 3,
      server: { command: [process.execPath, soakServer], env: { SOAK_SEED: String(seed) }, stop_timeout_ms: 2_000, health_interval_ms: 500 },
    },
  }),
  { mode: 0o600 },
);
/** @type {NodeJS.ProcessEnv} */
const env = { ...process.env, ANTHROPIC_BASE_URL: fake.url, GC_PROBE_OUT: probeOut };
for (const name of ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN', 'SUPERVISOR_TOKEN', 'PARACHUTE_CONFIG', 'SUPERVISOR_PORT', 'SUPERVISOR_HOST']) delete env[name];
const outPath = join(dir, 'supervisor.out');
writeFileSync(outPath, '');
const outFd = openSync(outPath, 'a');
// --trace-gc: V8's own line per GC, the figure memory.bench.mjs reads, as a cross-check of the probe.
const daemon = spawn(process.execPath, ['--expose-gc', '--trace-gc', '--import', probe, builtCli, 'serve', '--port', String(apiPort), '--config', configPath], {
  stdio: ['ignore', outFd, outFd],
  env,
});
closeSync(outFd);
const pid = /** @type {number} */ (daemon.pid);
const exited = new Promise((resolve) => daemon.once('exit', resolve));
process.once('exit', () => daemon.kill('SIGKILL'));
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.once(signal, () => process.exit(130));

/** Open file descriptors of the supervisor. */
const openFds = () => readdirSync(`/proc/${pid}/fd`).length;

/** Resident bytes of the main malloc arena (the `[heap]` mapping): native memory outside V8's heap. */
function mallocHeapBytes() {
  const match = /\[heap\]\n(?:.*\n)*?Rss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/**
 * Full GCs in the supervisor (SIGUSR2 to the probe), then what survived, its RSS (lowest of five samples over a
 * second, after the GC) and open fds.
 */
async function measure() {
  const before = existsSync(probeOut) ? readFileSync(probeOut, 'utf8').split('\n').filter(Boolean).length : 0;
  process.kill(pid, 'SIGUSR2');
  const line = await waitFor('the GC probe to answer', () => {
    const lines = existsSync(probeOut) ? readFileSync(probeOut, 'utf8').split('\n').filter(Boolean) : [];
    return lines.length > before ? lines.at(-1) : undefined;
  });
  /** @type {{ heapUsed: number, heapCommitted: number, external: number, arrayBuffers: number }} */
  const gc = JSON.parse(/** @type {string} */ (line));
  let rss = Infinity;
  for (let i = 0; i < 5; i++) {
    rss = Math.min(rss, rssBytes(pid) ?? Infinity);
    await sleep(200);
  }
  return { ...gc, rss, private: smapsBytes(pid)?.private ?? NaN, mallocHeap: mallocHeapBytes(), fds: openFds(), traceGcLive: heapStats(outPath).live };
}

/** @typedef {Awaited<ReturnType<typeof measure>> & { phase: string, peakRss: number, received: number, connections: number, drops: number, endedBySupervisor: number }} Row */

/**
 * A logical client of an event stream: reconnects with Last-Event-ID whenever a connection ends, until closed.
 * @param {string} path the first connection's path and query
 * @param {string} resumePath the path of later connections (Last-Event-ID says where to resume)
 */
function streamClient(path, resumePath) {
  /** @type {import('../soak/sse-connection.mjs').StreamConnection | null} */
  let connection = null;
  /** @type {string | null} */
  let lastId = null;
  let closed = false;
  let paused = false;
  /** @type {NodeJS.Timeout | null} */
  let timer = null;
  const counts = { received: 0, connections: 0, drops: 0, endedBySupervisor: 0 };
  /** @type {Set<string>} */
  const awaited = new Set();
  // The latest events' data: a marker asked for may have arrived before it was asked for.
  /** @type {string[]} */
  const recent = [];
  const connect = () => {
    timer = null;
    if (closed) return;
    connection = openStream({
      url: `${apiUrl}${lastId === null ? path : resumePath}`,
      lastEventId: lastId,
      onOpen: (status) => {
        if (status === 200) counts.connections += 1;
      },
      onText: (text) => (counts.received += text.length),
      onEvent: (event) => {
        if (event.id !== undefined) lastId = event.id;
        recent.push(event.data);
        if (recent.length > 20) recent.shift();
        for (const marker of awaited) {
          if (event.data.includes(marker)) awaited.delete(marker);
        }
      },
      onEnd: (why) => {
        connection = null;
        if (why === 'dropped by the soak') counts.drops += 1;
        else counts.endedBySupervisor += 1;
        if (!closed && !paused) timer = setTimeout(connect, why.startsWith('error') ? 200 : 100);
      },
    });
  };
  connect();
  return {
    counts,
    /** Waits until an event containing `marker` arrived. @param {string} marker */
    expect: (marker) => {
      if (!recent.some((data) => data.includes(marker))) awaited.add(marker);
    },
    sawAll: () => awaited.size === 0,
    state: () => ({ lastId, connected: connection !== null, paused, closed, timer: timer !== null, ...counts }),
    drop: () => connection?.drop(),
    /** Stops reading for `ms` (the supervisor drops a client whose unsent bytes pass its bound). @param {number} ms */
    stall: async (ms) => {
      paused = true;
      connection?.pause();
      await sleep(ms);
      paused = false;
      if (connection) connection.resume();
      else if (!closed && timer === null) connect();
    },
    close: () => {
      closed = true;
      if (timer) clearTimeout(timer);
      connection?.drop();
    },
  };
}

/** @param {string} method @param {string} path */
async function must(method, path) {
  const answer = await call(method, `${apiUrl}${path}`, { timeoutMs: 60_000 });
  if (answer.status !== 200) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  return answer;
}

/**
 * Asks the soak server (its own port) to print `lines` flood lines; resolves with which.
 * @param {number} lines
 * @param {number} long
 * @returns {Promise<{ writer: string, to: number }>}
 */
async function flood(lines, long) {
  const answer = await call('GET', `http://127.0.0.1:${serverPort}/flood?lines=${lines}&long=${long}`, { timeoutMs: 60_000 });
  if (answer.status !== 200) throw new Error(`flood answered ${answer.status} (${answer.error ?? answer.text.slice(0, 200)})`);
  return answer.json;
}

/**
 * One round: three log clients (one follows, one drops and resumes every ~1.5 s, one stalls), an events client and an
 * inspect client; a server restart (events, history, metrics); floods; a last short line every log client must get.
 * Then all clients close, and the supervisor is measured.
 * @param {string} phase
 * @param {number} lines per flood
 */
async function round(phase, lines) {
  const follower = streamClient('/supervisor/logs?lines=100', '/supervisor/logs');
  const dropper = streamClient('/supervisor/logs?lines=100', '/supervisor/logs');
  const staller = streamClient('/supervisor/logs?lines=10000', '/supervisor/logs');
  const events = streamClient('/supervisor/events', '/supervisor/events');
  const inspect = streamClient('/supervisor/inspect', '/supervisor/inspect');
  const clients = [follower, dropper, staller, events, inspect];
  let peakRss = rssBytes(pid) ?? 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssBytes(pid) ?? 0)), 250);
  const dropping = setInterval(() => dropper.drop(), 1_500);
  let stalling = true;
  /** @type {Promise<void>} */
  let stalls = Promise.resolve();
  try {
    await must('POST', '/supervisor/server/restart');
    await waitFor('the server to run again', async () => (await call('GET', `${apiUrl}/supervisor/status`)).json?.main_server_status === 'running', { timeoutMs: 30_000 });
    // The staller is connected by now (a pause before the answer's head would do nothing). One stall long enough for
    // the send buffers to fill and the supervisor's drain timeout (10 s) to pass, so that it drops the client; then
    // short ones, while the floods go on.
    stalls = (async () => {
      await staller.stall(20_000);
      while (stalling) {
        await sleep(2_000);
        await staller.stall(3_000);
      }
    })();
    for (let i = 0; i < floods; i++) await flood(lines, longShare);
  } finally {
    stalling = false;
    await stalls;
    clearInterval(dropping);
  }
  // The last line is the marker every log client must reach.
  const last = await flood(1, 0);
  const marker = ` END ${last.writer}:${last.to}`;
  for (const c of [follower, dropper, staller]) c.expect(marker);
  const caughtUp = await waitFor('every log client to reach the last line', () => [follower, dropper, staller].every((c) => c.sawAll()), { timeoutMs: 120_000 }).catch(() => false);
  clearInterval(sampler);
  for (const c of clients) c.close();
  const fdsBefore = openFds();
  await waitFor('the supervisor to close the streams', () => openFds() <= fdsBefore - clients.length || undefined, { timeoutMs: 10_000 }).catch(() => undefined);
  const sum = (/** @type {'received' | 'connections' | 'drops' | 'endedBySupervisor'} */ key) => clients.reduce((n, c) => n + c.counts[key], 0);
  if (!caughtUp) progress(`  ${phase}: not every log client reached the last line within 120 s: ${JSON.stringify([follower, dropper, staller].map((c) => ({ saw: c.sawAll(), ...c.state() })))}`);
  return { phase, peakRss, received: sum('received'), connections: sum('connections'), drops: sum('drops'), endedBySupervisor: sum('endedBySupervisor'), ...(await measure()) };
}

/** @type {Row[]} */
const rows = [];
const reduceWaitMs = 60_000;
/** @type {{ ran: boolean, waitedS: number, rss: number, private: number, mallocHeap: number, live: number | null, committed: number | null } | null} */
let reduced = null;
try {
  await waitFor('the supervisor to run its server', async () => (await call('GET', `${apiUrl}/supervisor/status`, { timeoutMs: 2_000 })).json?.main_server_status === 'running', { timeoutMs: 30_000 });
  progress('log-flood-memory: idle baseline');
  const idle = await measure();
  rows.push({ phase: 'idle (server running, no clients)', peakRss: idle.rss, received: 0, connections: 0, drops: 0, endedBySupervisor: 0, ...idle });
  progress('log-flood-memory: warm-up round (1,000 lines per flood)');
  rows.push(await round('warm-up round', 1_000));
  for (let r = 1; r <= roundCount; r++) {
    progress(`log-flood-memory: round ${r}/${roundCount} (${floods} × ${floodLines} lines)`);
    rows.push(await round(`round ${r}`, floodLines));
  }
  // Left alone, V8's memory reducer (a full GC once allocation slows down) hands spare heap back; RSS after it.
  progress(`log-flood-memory: idle until V8's memory reducer runs (at most ${reduceWaitMs / 1000} s)`);
  const t0 = Date.now();
  const reduces = heapStats(outPath).reduces;
  const ran = await waitFor('a memory-reducer GC', () => heapStats(outPath).reduces > reduces, { timeoutMs: reduceWaitMs, intervalMs: 500 }).catch(() => false);
  let low = Infinity;
  for (let i = 0; i < 5; i++) {
    low = Math.min(low, rssBytes(pid) ?? Infinity);
    await sleep(200);
  }
  const after = heapStats(outPath);
  reduced = { ran, waitedS: Math.round((Date.now() - t0) / 1000), rss: low, private: smapsBytes(pid)?.private ?? NaN, mallocHeap: mallocHeapBytes(), live: after.live, committed: after.committed };
} finally {
  daemon.kill('SIGTERM');
  const timer = setTimeout(() => daemon.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
}

const idle = /** @type {Row} */ (rows[0]);
const first = /** @type {Row} */ (rows[2]);
const last = /** @type {Row} */ (rows.at(-1));
/** @param {number} n */
const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
/** @param {number} n @param {number} base */
const signed = (n, base) => `${n >= base ? '+' : '−'}${mb(Math.abs(n - base))}`;
/** @param {number} n @param {number} base */
const ratio = (n, base) => `${(n / base).toFixed(2)}×`;
const rounds1toN = rows.slice(2);
const liveGrowthPerRound = rounds1toN.length > 1 ? (last.heapUsed - first.heapUsed) / (rounds1toN.length - 1) : NaN;

reportSection(`## Memory under log floods

The chaos soak's longest-lived supervisor grew from about 66 to 123 MiB RSS while the log was flooded; this run tells live
objects piling up apart from V8 (and malloc) keeping memory committed. One supervisor (\`serve\`, with \`--expose-gc\` and a GC probe,
\`test/bench/lib/gc-probe.mjs\`, that runs two full GCs on SIGUSR2 and reports what survived) supervises the soak's
server (\`test/soak/soak-server.mjs\`, the soak's configuration: 2 MiB log files, 3 backups, planted secrets). Per
round: a server restart, then ${floods} floods of ${floodLines.toLocaleString('en')} lines (each longer than 64 KiB with
probability ${longShare}: 70–320 KiB, sent in pieces; secrets redacted), while three log clients read: one follows, one
is dropped every 1.5 s and resumes with Last-Event-ID, one stops reading for 20 s (the supervisor drops
a client that has not drained within 10 s) and then for 3 s out of every 5, and resumes; plus an events client and an inspect client. A last short line
must reach every log client; then all clients close and the supervisor is measured: live heap after full GCs
(V8's heap, and memory outside it: Buffers), RSS right after, open fds. ${roundCount} rounds after a warm-up round.

${markdownTable(
  ['phase', 'received by clients', 'connections (dropped / ended by supervisor)', 'peak RSS in round', 'RSS after GC', 'private after GC', 'live heap', 'Δ live heap vs idle', 'heap committed', 'external (Buffers)', 'malloc [heap] RSS', 'open fds'],
  rows.map((r) => [
    r.phase,
    mb(r.received),
    `${r.connections} (${r.drops} / ${r.endedBySupervisor})`,
    fmtMiB(r.peakRss),
    fmtMiB(r.rss),
    fmtMiB(r.private),
    mb(r.heapUsed),
    signed(r.heapUsed, idle.heapUsed),
    mb(r.heapCommitted),
    `${mb(r.external)} (${mb(r.arrayBuffers)})`,
    fmtMiB(r.mallocHeap),
    String(r.fds),
  ]),
)}

Against the idle supervisor of this run: peak RSS under the floods ${ratio(Math.max(...rows.map((r) => r.peakRss)), idle.rss)}, RSS after the
last round's GC ${ratio(last.rss, idle.rss)}; live heap after the last round ${ratio(last.heapUsed, idle.heapUsed)} (${signed(last.heapUsed, idle.heapUsed)});
from round 1 to round ${roundCount}: live heap ${signed(last.heapUsed, first.heapUsed)} (${mb(Math.abs(liveGrowthPerRound))} per round), external
${signed(last.external, first.external)}, open fds ${last.fds - first.fds >= 0 ? '+' : ''}${last.fds - first.fds}. V8's own \`--trace-gc\` line for the last
full GC says ${last.traceGcLive ?? 'n/a'} MB live.

Then left idle: ${
  reduced === null
    ? 'not measured (the run stopped early).'
    : reduced.ran
      ? `V8's memory reducer ran after ${reduced.waitedS} s (${reduced.live} MB live, ${reduced.committed} MB committed), and RSS is ${fmtMiB(reduced.rss)} (${ratio(reduced.rss, idle.rss)} idle; private ${fmtMiB(reduced.private)}, of which the malloc \`[heap]\` holds ${fmtMiB(reduced.mallocHeap)}).`
      : `V8's memory reducer did not run within ${reduceWaitMs / 1000} s (the probe's GCs had left ${reduced.committed} MB committed); RSS ${fmtMiB(reduced.rss)} (${ratio(reduced.rss, idle.rss)} idle; private ${fmtMiB(reduced.private)}, of which the malloc \`[heap]\` holds ${fmtMiB(reduced.mallocHeap)}).`
}`);
