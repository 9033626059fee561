import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { isAlive } from '../../src/lifecycle/process-group.js';
import { startSupervisor, type RunningSupervisor, type SupervisorOptions } from '../../src/supervisor.js';
import { factsUnderTest } from './facts-under-test.js';
import { freePort } from './free-port.js';
import { request, type HttpAnswer } from './http.js';
import { waitFor } from './wait-for.js';

/** Absolute path of a fixture script in test/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

export interface HarnessOptions {
  /** Fixture script run as the main server (default healthy-server.mjs). */
  fixture?: string;
  /** Overrides of supervisor.server. */
  server?: Record<string, unknown>;
  /** Overrides of supervisor (besides server). */
  supervisor?: Record<string, unknown>;
  /** Extra top-level config keys. */
  config?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  keepServer?: boolean;
  routers?: SupervisorOptions['routers'];
  onClose?: SupervisorOptions['onClose'];
  /** Reuse this folder (a second supervisor on the same config). */
  dir?: string;
  /** How often server.log's size is checked for rotation (the supervisor's default is 2 s). */
  rotationIntervalMs?: number;
  /** Longest a config change waits for the Models API (the supervisor's default is 5 s). */
  modelCheckWaitMs?: number;
  /** How often the metrics history samples the server (the supervisor's default is 5 s). */
  metricsIntervalMs?: number;
  /** Sees every actor event of the supervisor (the model-based replay records the lifecycle's steps with it). */
  inspect?: SupervisorOptions['inspect'];
}

/** A real supervisor on port 0 supervising a real fixture process, in a temp folder of its own. */
export interface Harness {
  sup: RunningSupervisor;
  dir: string;
  configPath: string;
  logPath: string;
  serverPort: number;
  url: string;
  get(path: string, headers?: Record<string, string>): Promise<HttpAnswer>;
  post(path: string, body?: unknown): Promise<HttpAnswer>;
  status(): Promise<HttpAnswer['json']>;
  /** Resolves once status satisfies `predicate`. */
  waitForStatus(what: string, predicate: (status: HttpAnswer['json']) => boolean, timeoutMs?: number): Promise<HttpAnswer['json']>;
  /** Lines of server.log. */
  logLines(): string[];
  /** The newest history events (GET /supervisor/history), newest first. */
  history(limit?: number): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Writes config.yaml for a fixture server and starts a supervisor on it. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'psup-'));
  const configPath = join(dir, 'config.yaml');
  const logDir = join(dir, 'logs');
  let serverPort: number;
  if (options.dir) {
    serverPort = Number(/^port: (\d+)$/m.exec(readFileSync(configPath, 'utf8'))?.[1]);
  } else {
    serverPort = await freePort();
    const config = {
      port: serverPort,
      default_model: 'claude-sonnet-4-5',
      ...options.config,
      supervisor: {
        log_dir: logDir,
        ...options.supervisor,
        server: {
          command: [process.execPath, fixture(options.fixture ?? 'healthy-server.mjs')],
          start_timeout_ms: 5_000,
          stop_timeout_ms: 2_000,
          backoff_ms: 100,
          backoff_max_ms: 400,
          health_interval_ms: 200,
          ...options.server,
        },
      },
    };
    writeFileSync(configPath, stringify(config), { mode: 0o600 });
  }
  const sup = await startSupervisor({
    configPath,
    port: 0,
    env: { ...process.env, ...options.env },
    keepServer: options.keepServer,
    readinessIntervalMs: 20,
    adoptPollMs: 50,
    routers: options.routers,
    onClose: options.onClose,
    rotationIntervalMs: options.rotationIntervalMs,
    modelCheckWaitMs: options.modelCheckWaitMs,
    metricsIntervalMs: options.metricsIntervalMs,
    processFacts: factsUnderTest(),
    inspect: options.inspect,
  });
  const url = sup.url;
  const h: Harness = {
    sup,
    dir,
    configPath,
    logPath: join(logDir, 'server.log'),
    serverPort,
    url,
    get: (path, headers) => request(url + path, { headers }),
    post: (path, body) =>
      request(url + path, {
        method: 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    status: async () => (await request(`${url}/supervisor/status`)).json,
    waitForStatus: (what, predicate, timeoutMs = 10_000) =>
      waitFor(what, async () => {
        const status = await h.status();
        return predicate(status) ? status : undefined;
      }, { timeoutMs }),
    logLines: () => {
      try {
        return readFileSync(h.logPath, 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    history: async (limit = 1000) => (await request(`${url}/supervisor/history?limit=${limit}`)).json.events,
    close: async () => {
      const pid = sup.system.refs.server.getSnapshot().context.process?.pid ?? null;
      await sup.close();
      if (!options.keepServer && pid !== null) await waitFor(`server pid ${pid} to be gone`, () => !isAlive(pid));
      if (!options.keepServer && !options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}
