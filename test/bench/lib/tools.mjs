// The four supervisors under comparison, each driven through its own interface and supervising the same demo
// server (dist/src/demo/demo-server.mjs, env PORT and PARACHUTE_CONFIG) in a temp folder of its own.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { freePort } from '../../support/free-port.mjs';
import { alive, healthyAt, listenerPid, waitFor } from './measure.mjs';

const run = promisify(execFile);

/** The checkout this benchmark belongs to. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The built supervisor CLI (npm run build). */
export const builtCli = join(repoRoot, 'dist/src/cli/main.js');
/** The built demo server, the one main server every tool supervises. */
export const demoServer = join(repoRoot, 'dist/src/demo/demo-server.mjs');
const bareRespawn = fileURLToPath(new URL('../bare-respawn.mjs', import.meta.url));
const pm2Bin = join(repoRoot, 'node_modules/.bin/pm2');
export const healthPath = '/api/health';

/**
 * One supervisor supervising one demo server.
 * @typedef {object} Tool
 * @property {string} label
 * @property {number} serverPort
 * @property {string} dir
 * @property {() => number | null} daemonPid the supervisor's own process (PM2: the God daemon)
 * @property {(() => Promise<void>) | null} restartApi restart through the tool's programmatic interface
 * @property {(() => Promise<void>) | null} restartCli restart through the tool's command-line interface
 * @property {() => Promise<void>} stop stop the tool and its server, remove its folder
 * @property {string} [apiUrl] our supervisor's base URL
 * @property {string} [outputPath] our supervisor's stdout and stderr
 */

// Every child and daemon we start, so an interrupted run still cleans up after itself.
/** @type {Set<() => void>} */
const emergencyStops = new Set();
let hooked = false;
function onEmergency(/** @type {() => void} */ stop) {
  if (!hooked) {
    hooked = true;
    const all = () => {
      for (const s of emergencyStops) {
        try {
          s();
        } catch {
          // best effort
        }
      }
      emergencyStops.clear();
    };
    process.once('exit', all);
    for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
      process.once(signal, () => {
        all();
        process.exit(130);
      });
    }
  }
  emergencyStops.add(stop);
  return () => emergencyStops.delete(stop);
}

/** @param {string} prefix */
function workspace(prefix) {
  return mkdtempSync(join(tmpdir(), `psup-bench-${prefix}-`));
}

/**
 * A child process whose output goes to a file in `dir` (a file, not a pipe, so nothing here has to drain it).
 * @param {string} dir
 * @param {string} name
 * @param {string} file
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} [env]
 */
function spawnLogged(dir, name, file, args, env = process.env) {
  const fd = openSync(join(dir, `${name}.out`), 'a');
  const child = spawn(file, args, { stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, exited };
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited.
 * @param {import('node:child_process').ChildProcess} child
 * @param {Promise<unknown>} exited
 * @param {number} [graceMs]
 */
async function terminate(child, exited, graceMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** @param {string} dir @param {string} name */
function outputOf(dir, name) {
  try {
    return readFileSync(join(dir, `${name}.out`), 'utf8').slice(-2_000);
  } catch {
    return '';
  }
}

/**
 * Waits for the demo server to answer and the tool to be settled; throws with the tool's output on failure.
 * @param {Tool} tool
 * @param {string} outputName
 */
async function awaitServer(tool, outputName) {
  try {
    await healthyAt(tool.serverPort, healthPath, 30_000);
    await waitFor('a listener pid', () => listenerPid(tool.serverPort) ?? undefined);
  } catch (error) {
    await tool.stop().catch(() => undefined);
    throw new Error(`${tool.label}: ${/** @type {Error} */ (error).message}\n${outputOf(tool.dir, outputName)}`);
  }
}

/** The config.yaml the demo server reads (default_model), for the tools that have no config of their own. */
function demoConfig(/** @type {string} */ dir, /** @type {number} */ port) {
  const path = join(dir, 'config.yaml');
  writeFileSync(path, stringify({ port, default_model: 'claude-sonnet-4-5' }), { mode: 0o600 });
  return path;
}

/**
 * One JSON request to our supervisor; resolves with status and parsed body.
 * @param {string} url
 * @param {string} [method]
 * @returns {Promise<{ status: number, json: any }>}
 */
export function ourRequest(url, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        let json = null;
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.once('error', reject);
    req.end();
  });
}

/**
 * A tool whose daemon is our child process (ours, supervisord, the bare loop): killed with its server if the run
 * is interrupted; `stop` ends it, waits until the server it supervised is gone, and removes its folder.
 * @param {{ label: string, serverPort: number, dir: string, child: import('node:child_process').ChildProcess,
 *   exited: Promise<unknown>, name: string, restartApi?: Tool['restartApi'], restartCli?: Tool['restartCli'],
 *   extra?: Partial<Tool> }} options
 * @returns {Tool}
 */
function childTool({ label, serverPort, dir, child, exited, name, restartApi = null, restartCli = null, extra = {} }) {
  const forget = onEmergency(() => {
    child.kill('SIGKILL');
    const pid = listenerPid(serverPort);
    if (pid) process.kill(pid, 'SIGKILL');
  });
  return {
    label,
    serverPort,
    dir,
    ...extra,
    daemonPid: () => (child.exitCode === null ? child.pid ?? null : null),
    restartApi,
    restartCli,
    stop: async () => {
      const pid = listenerPid(serverPort);
      await terminate(child, exited);
      if (pid) await waitFor(`server ${pid} to be stopped with ${name}`, () => !alive(pid));
      forget();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Extra Node flags for our supervisor in every benchmark (env BENCH_NODE_ARGS, space-separated), to try a proposal
// such as --max-semi-space-size=2 without editing code. Empty by default: the numbers are for a plain `node`.
const extraNodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

/**
 * Our supervisor: the built CLI `serve`, a real process, with its defaults unless `server` overrides them.
 * @param {{ label: string, server?: Record<string, unknown>, nodeArgs?: string[] }} options
 * @returns {Promise<Tool>}
 */
export async function startOurs({ label, server = {}, nodeArgs = [] }) {
  const dir = workspace('ours');
  const serverPort = await freePort();
  const apiPort = await freePort();
  const configPath = join(dir, 'config.yaml');
  const config = {
    port: serverPort,
    default_model: 'claude-sonnet-4-5',
    supervisor: { log_dir: join(dir, 'logs'), server: { command: [process.execPath, demoServer], ...server } },
  };
  writeFileSync(configPath, stringify(config), { mode: 0o600 });
  const { child, exited } = spawnLogged(dir, 'supervisor', process.execPath, [...extraNodeArgs, ...nodeArgs, builtCli, 'serve', '--port', String(apiPort), '--config', configPath]);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const tool = childTool({
    label,
    serverPort,
    dir,
    child,
    exited,
    name: 'our supervisor',
    extra: { apiUrl, outputPath: join(dir, 'supervisor.out') },
    restartApi: async () => {
      const answer = await ourRequest(`${apiUrl}/supervisor/server/restart`, 'POST');
      if (answer.status !== 200) throw new Error(`restart answered ${answer.status}: ${JSON.stringify(answer.json)}`);
    },
    restartCli: async () => {
      await run(process.execPath, [builtCli, 'server', 'restart', '--url', apiUrl]);
    },
  });
  await awaitServer(tool, 'supervisor');
  await waitFor('our supervisor to report running', async () => {
    try {
      return (await ourRequest(`${apiUrl}/supervisor/status`)).json?.main_server_status === 'running';
    } catch {
      return false;
    }
  });
  return tool;
}

/** PM2's version, from its package (running `pm2 --version` would start a daemon in ~/.pm2). */
export function pm2Version() {
  return JSON.parse(readFileSync(join(repoRoot, 'node_modules/pm2/package.json'), 'utf8')).version;
}

/**
 * PM2 with a daemon of its own (temp PM2_HOME), fork mode, its defaults (restart_delay 0, no exp backoff,
 * min_uptime 1 s, max_restarts 16, kill_timeout 1.6 s); `pm2 kill` at the end.
 * @param {{ label: string }} options
 * @returns {Promise<Tool>}
 */
export async function startPm2({ label }) {
  const dir = workspace('pm2');
  const home = join(dir, 'home');
  mkdirSync(home);
  const env = { ...process.env, PM2_HOME: home };
  const serverPort = await freePort();
  const configPath = demoConfig(dir, serverPort);
  const ecosystem = join(dir, 'ecosystem.config.cjs');
  const app = {
    name: 'demo',
    script: demoServer,
    exec_mode: 'fork',
    instances: 1,
    autorestart: true,
    // PM2's default, stated: restart at once after an exit.
    restart_delay: 0,
    env: { PORT: String(serverPort), PARACHUTE_CONFIG: configPath },
    out_file: join(dir, 'demo.out.log'),
    error_file: join(dir, 'demo.err.log'),
  };
  writeFileSync(ecosystem, `module.exports = ${JSON.stringify({ apps: [app] }, null, 2)};\n`);
  const pm2 = (/** @type {string[]} */ ...args) => run(pm2Bin, args, { env, cwd: dir });
  const forget = onEmergency(() => execFileSync(pm2Bin, ['kill'], { env, stdio: 'ignore' }));
  await pm2('start', ecosystem);
  /** @type {any} */
  let api = null;
  /** @type {Tool} */
  const tool = {
    label,
    serverPort,
    dir,
    daemonPid: () => {
      const file = join(home, 'pm2.pid');
      return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : null;
    },
    restartApi: async () => {
      if (!api) {
        // pm2's programmatic API (the RPC socket in PM2_HOME), loaded only when asked for.
        const { default: PM2 } = await import('pm2');
        api = new /** @type {any} */ (PM2).custom({ pm2_home: home, daemon_mode: true });
        await new Promise((resolve, reject) => api.connect((/** @type {unknown} */ error) => (error ? reject(error) : resolve(undefined))));
      }
      await new Promise((resolve, reject) => api.restart('demo', (/** @type {unknown} */ error) => (error ? reject(error) : resolve(undefined))));
    },
    restartCli: async () => {
      await pm2('restart', 'demo');
    },
    stop: async () => {
      if (api) await new Promise((resolve) => api.disconnect(resolve));
      const daemon = tool.daemonPid();
      await pm2('kill');
      if (daemon) await waitFor('the PM2 daemon to exit', () => !alive(daemon));
      forget();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await awaitServer(tool, 'demo.out');
  return tool;
}

/** Debian's supervisord version. */
export function supervisordVersion() {
  try {
    return execFileSync('supervisord', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/**
 * One XML-RPC call to supervisord over its unix socket (what supervisorctl does, without Python's start-up).
 * @param {string} socketPath
 * @param {string} method
 * @param {(string | boolean)[]} params
 */
function xmlRpc(socketPath, method, params) {
  const value = (/** @type {string | boolean} */ p) =>
    typeof p === 'boolean' ? `<boolean>${p ? 1 : 0}</boolean>` : `<string>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</string>`;
  const body = `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params
    .map((p) => `<param><value>${value(p)}</value></param>`)
    .join('')}</params></methodCall>`;
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, path: '/RPC2', method: 'POST', headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => (text.includes('<fault>') ? reject(new Error(`${method}: ${text}`)) : resolve(text)));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

/**
 * Debian's supervisord in the foreground on a temp config with a unix socket; `startsecs=0`, `autorestart=true`.
 * @param {{ label: string }} options
 * @returns {Promise<Tool>}
 */
export async function startSupervisord({ label }) {
  const dir = workspace('supervisord');
  const serverPort = await freePort();
  const configPath = demoConfig(dir, serverPort);
  const socket = join(dir, 'supervisor.sock');
  const conf = join(dir, 'supervisord.conf');
  writeFileSync(
    conf,
    [
      '[unix_http_server]',
      `file=${socket}`,
      '[supervisord]',
      'nodaemon=true',
      `logfile=${join(dir, 'supervisord.log')}`,
      `pidfile=${join(dir, 'supervisord.pid')}`,
      `childlogdir=${dir}`,
      'user=root',
      '[rpcinterface:supervisor]',
      'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
      '[supervisorctl]',
      `serverurl=unix://${socket}`,
      '[program:demo]',
      `command=${process.execPath} ${demoServer}`,
      `environment=PORT="${serverPort}",PARACHUTE_CONFIG="${configPath}"`,
      'autostart=true',
      'autorestart=true',
      'startsecs=0',
      `stdout_logfile=${join(dir, 'demo.out')}`,
      'redirect_stderr=true',
      '',
    ].join('\n'),
  );
  const { child, exited } = spawnLogged(dir, 'supervisord', 'supervisord', ['-c', conf]);
  const tool = childTool({
    label,
    serverPort,
    dir,
    child,
    exited,
    name: 'supervisord',
    restartApi: async () => {
      // supervisorctl restart = stopProcess then startProcess, both waiting.
      await xmlRpc(socket, 'supervisor.stopProcess', ['demo', true]);
      await xmlRpc(socket, 'supervisor.startProcess', ['demo', true]);
    },
    restartCli: async () => {
      await run('supervisorctl', ['-c', conf, 'restart', 'demo']);
    },
  });
  await awaitServer(tool, 'supervisord');
  return tool;
}

/**
 * The floor: a tiny Node script that respawns the server the moment it exits (test/bench/bare-respawn.mjs).
 * @param {{ label: string }} options
 * @returns {Promise<Tool>}
 */
export async function startBareLoop({ label }) {
  const dir = workspace('bare');
  const serverPort = await freePort();
  const configPath = demoConfig(dir, serverPort);
  const env = { ...process.env, PORT: String(serverPort), PARACHUTE_CONFIG: configPath };
  const { child, exited } = spawnLogged(dir, 'loop', process.execPath, [bareRespawn, process.execPath, demoServer], env);
  const tool = childTool({ label, serverPort, dir, child, exited, name: 'the loop' });
  await awaitServer(tool, 'loop');
  return tool;
}
