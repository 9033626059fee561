// A small fake of the supervisor's HTTP API (docs/api.md shapes) on a real port, for client and CLI tests.
// State is plain data the test edits; every request is recorded; errors and slow commands are scripted.
// Every answer it gives (scripted failures included) is checked against docs/openapi.yaml: a fake that speaks
// another shape than the supervisor would test the client against the wrong thing (see contract-setup.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { sonnet45Deprecated } from './model-fixtures.js';
import type { AddressInfo } from 'node:net';
import { checkAnswer, checkEvent } from './contract.js';
import type {
  CurrentModelInfo,
  MainServerStatus,
  ModelInfo,
  ModelsResponse,
  ServerAction,
  SupervisorStatus,
} from '../../src/client/supervisor-types.js';

/** A request the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What the fake serves; tests change it freely. */
export interface FakeState {
  status: SupervisorStatus;
  config: Record<string, unknown>;
  models: ModelInfo[];
  modelsError: string | null;
  /** `current_model_info` of the models answer (null: nothing known of the current model). */
  modelInfo: CurrentModelInfo | null;
  modelsWarnings: string[];
  /** The models route never answers (a supervisor stuck on a slow Models API). */
  modelsHang: boolean;
  logLines: string[];
  /** Answer the log stream with one `{"error"}` event, as when server.log does not exist. */
  logMissing: boolean;
}

export interface FakeSupervisor {
  url: string;
  port: number;
  state: FakeState;
  requests: RecordedRequest[];
  /** The next request to `METHOD path` answers `status` with `{detail, code, ...extra}`. */
  failNext(method: string, path: string, status: number, body: { detail: string; code?: string; [extra: string]: unknown }): void;
  /** While held, lifecycle commands enter their transitional state and answer only after releaseCommands(). */
  holdCommands(): void;
  releaseCommands(): void;
  /** Resolves with the `count`-th request (1-based, counted from the start) matching method and path. */
  waitForRequest(method: string, path: string, count?: number): Promise<RecordedRequest>;
  /** Appends a line to the log and sends it to every following stream. */
  appendLog(line: string): void;
  /** Ends every open log stream, as a supervisor restart would. */
  dropLogStreams(): void;
  close(): Promise<void>;
}

/** A status as a healthy supervisor reports it; override any field. */
export function fakeStatus(overrides: Partial<SupervisorStatus> = {}): SupervisorStatus {
  return {
    supervisor_uptime_seconds: 3725,
    supervisor_version: '0.1.0',
    main_server_healthy: true,
    main_server_status: 'running',
    main_server_state: 'running',
    main_server_uptime_seconds: 125,
    main_server_version: '1.4.2',
    main_server_port: 3333,
    config_loaded: true,
    main_server_pid: 4242,
    main_server_adopted: false,
    main_server_socket: 'own',
    restart_count: 2,
    last_exit: { code: 1, signal: null, at: '2026-11-24T02:00:00.000Z' },
    last_error: null,
    last_error_code: null,
    next_restart_at: null,
    cpu_percent: 1.25,
    memory_bytes: 125_829_120,
    default_model: 'claude-sonnet-4-5-20250929',
    default_model_info: sonnet45Deprecated(),
    main_server_health: 'healthy',
    last_crash: null,
    history_seq: 7,
    ...overrides,
  };
}


// The fields of a served model the fake's list does not vary.
const modelDefaults = { deprecated_at: null, retires_at: null, max_tokens: 64_000, capabilities: null, is_current: false } as const;

/** A few models in several families and naming schemes. */
export function fakeModels(): ModelInfo[] {
  return [
    { ...modelDefaults, id: 'claude-opus-4-6', display_name: 'Claude Opus 4.6', created_at: '2026-02-05T00:00:00Z', line: 'opus', family: 'opus', lifecycle: 'active', max_input_tokens: 1_000_000, is_latest: true },
    { ...modelDefaults, id: 'claude-opus-4-5-20251101', display_name: 'Claude Opus 4.5', created_at: '2025-11-01T00:00:00Z', line: 'opus', family: 'opus', lifecycle: 'active', max_input_tokens: 200_000, is_latest: false },
    { ...modelDefaults, id: 'claude-sonnet-5', display_name: 'Claude Sonnet 5', created_at: '2026-06-30T00:00:00Z', line: 'sonnet', family: 'sonnet', lifecycle: 'active', max_input_tokens: 1_000_000, is_latest: true },
    {
      ...modelDefaults,
      id: 'claude-sonnet-4-5-20250929',
      display_name: 'Claude Sonnet 4.5',
      created_at: '2025-09-29T00:00:00Z',
      line: 'sonnet',
      family: 'sonnet',
      lifecycle: 'deprecated',
      deprecated_at: '2026-08-06T00:00:00Z',
      retires_at: '2027-02-05T00:00:00Z',
      max_input_tokens: 1_000_000,
      is_latest: false,
    },
    { ...modelDefaults, id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z', line: 'haiku', family: 'haiku', lifecycle: 'active', max_input_tokens: 200_000, is_latest: true },
  ];
}

const editable: Record<string, (value: unknown) => boolean> = {
  default_model: (v) => typeof v === 'string' && /^(opus|sonnet|haiku|claude-[a-z0-9.-]+)(\[\d+[km]\])?$/.test(v),
  log_level: (v) => typeof v === 'string' && ['debug', 'info', 'warning', 'error', 'critical'].includes(v),
  debug: (v) => typeof v === 'boolean',
  log_format: (v) => v === 'text' || v === 'json',
  max_message_length: (v) => typeof v === 'number' && Number.isInteger(v) && v > 0,
  transcription_enabled: (v) => typeof v === 'boolean',
};
const protectedKeys = ['api_key', 'claude_code_oauth_token', 'auth_mode', 'host', 'port', 'cors_origins', 'supervisor'];

const transitions: Record<ServerAction, { via: MainServerStatus; to: MainServerStatus; message: string }> = {
  start: { via: 'starting', to: 'running', message: 'Server started' },
  stop: { via: 'stopping', to: 'stopped', message: 'Server stopped' },
  restart: { via: 'stopping', to: 'running', message: 'Server restarted' },
};

/** Starts the fake on 127.0.0.1 (port 0 = any free port). With `token`, every request must carry it. */
export async function startFakeSupervisor(options: { port?: number; token?: string } = {}): Promise<FakeSupervisor> {
  const state: FakeState = {
    status: fakeStatus(),
    config: {
      port: 3333,
      default_model: 'claude-sonnet-4-5-20250929',
      api_key: '[REDACTED]',
      debug: false,
      supervisor: { server: { command: ['node', 'server.js'], stop_timeout_ms: 10000 } },
    },
    models: fakeModels(),
    modelsError: null,
    modelInfo: sonnet45Deprecated(),
    modelsWarnings: ['claude-sonnet-4-5-20250929 is deprecated and retires on 2027-02-05; Claude Sonnet 5 (claude-sonnet-5) replaces it'],
    modelsHang: false,
    logLines: ['server listening on 3333', 'GET /api/health 200'],
    logMissing: false,
  };
  const requests: RecordedRequest[] = [];
  const failures = new Map<string, { status: number; body: Record<string, unknown> }[]>();
  const waiters: { method: string; path: string; count: number; resolve: (r: RecordedRequest) => void }[] = [];
  const followers = new Set<ServerResponse>();
  let held: Promise<void> | null = null;
  let release: () => void = () => undefined;

  const matching = (method: string, path: string) => requests.filter((r) => r.method === method && r.path === path);
  const notify = () => {
    for (const waiter of [...waiters]) {
      const found = matching(waiter.method, waiter.path)[waiter.count - 1];
      if (found) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(found);
      }
    }
  };

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const request: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body };
      requests.push(request);
      answering.set(res, request);
      notify();
      void handle(request, res).catch((error: unknown) => send(res, 500, { detail: String(error), code: 'ERR_INTERNAL' }));
    });
  });

  async function handle(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const { method, path, query } = request;
    if (options.token && request.headers.authorization !== `Bearer ${options.token}`) {
      return send(res, 401, { detail: 'a bearer token is required from a non-loopback peer', code: 'ERR_UNAUTHORIZED' });
    }
    const failure = failures.get(`${method} ${path}`)?.shift();
    if (failure) return send(res, failure.status, failure.body);

    if (method === 'GET' && path === '/supervisor/health') return send(res, 200, { status: 'ok' });
    if (method === 'GET' && path === '/supervisor/status') return send(res, 200, state.status);
    const command = /^\/supervisor\/server\/(start|stop|restart)$/.exec(path)?.[1] as ServerAction | undefined;
    if (method === 'POST' && command) return lifecycle(command, query.get('wait') !== 'false', res);
    if (method === 'GET' && path === '/supervisor/config') return send(res, 200, { config: state.config });
    if (method === 'PUT' && path === '/supervisor/config') return putConfig(request, res);
    if (method === 'GET' && path === '/supervisor/models' && state.modelsHang) return;
    if (method === 'GET' && path === '/supervisor/models') return send(res, 200, models(query.get('show_all') === 'true', query.get('refresh') === 'true'));
    if (method === 'POST' && path === '/supervisor/models/refresh') return send(res, 200, models(query.get('show_all') === 'true', true));
    if (method === 'GET' && path === '/supervisor/logs') return logs(request, res);
    send(res, 404, { detail: `no such endpoint: ${method} ${path}`, code: 'ERR_NOT_FOUND' });
  }

  async function lifecycle(action: ServerAction, wait: boolean, res: ServerResponse): Promise<void> {
    const { via, to, message } = transitions[action];
    if (!wait) {
      state.status = { ...state.status, main_server_status: to, main_server_state: to };
      return send(res, 202, { success: true, message: `Server ${action} requested`, status: state.status });
    }
    state.status = { ...state.status, main_server_status: via, main_server_state: via, main_server_healthy: false };
    if (held) await held;
    const running = to === 'running';
    state.status = {
      ...state.status,
      main_server_status: to,
      main_server_state: to,
      main_server_healthy: running,
      main_server_pid: running ? (state.status.main_server_pid ?? 4000) + 1 : null,
      main_server_uptime_seconds: running ? 0 : null,
    };
    send(res, 200, { success: true, message, status: state.status });
  }

  function putConfig(request: RecordedRequest, res: ServerResponse): void {
    if (!String(request.headers['content-type']).startsWith('application/json')) {
      return send(res, 415, { detail: 'body must be application/json', code: 'ERR_UNSUPPORTED_MEDIA_TYPE' });
    }
    const { values, restart } = JSON.parse(request.body) as { values: Record<string, unknown>; restart?: boolean };
    for (const [key, value] of Object.entries(values)) {
      if (protectedKeys.some((p) => key === p || key.startsWith(`${p}.`))) {
        return send(res, 403, { detail: `${key} is not editable over HTTP`, code: 'ERR_KEY_NOT_EDITABLE', keys: [key] });
      }
      const check = editable[key];
      if (!check) return send(res, 400, { detail: `Unknown config key ${key}`, code: 'ERR_UNKNOWN_KEY', keys: [key], editable_keys: Object.keys(editable) });
      if (!check(value)) {
        return send(res, 400, { detail: `Invalid value for ${key}: ${JSON.stringify(value)}`, code: 'ERR_INVALID_VALUE', key, value, expected: 'a valid value' });
      }
    }
    state.config = { ...state.config, ...values };
    if (typeof values.default_model === 'string') state.status = { ...state.status, default_model: values.default_model };
    const restarted = (restart ?? true) && state.status.main_server_status === 'running';
    send(res, 200, { success: true, updated_keys: Object.keys(values), server_restarted: restarted, config: state.config });
  }

  // As the supervisor renders it: the current model is marked, and listed in the default view.
  function models(showAll: boolean, refresh: boolean): ModelsResponse {
    const current = typeof state.config.default_model === 'string' ? state.config.default_model : null;
    const known = state.modelInfo?.id === current ? state.modelInfo : null;
    const info = current === null ? null : (known ?? { id: current, resolved_id: null, display_name: null, lifecycle: null, retires_at: null, replacement: null });
    const marked = state.models.map((m) => ({ ...m, is_current: m.id === info?.resolved_id }));
    const list = showAll ? marked : marked.filter((m) => m.is_latest || m.is_current);
    return {
      models: list,
      count: list.length,
      show_all: showAll,
      current_model: current,
      current_model_info: info,
      warnings: state.modelsWarnings,
      cached_at: '2026-11-24T02:00:00.000Z',
      is_stale: state.modelsError !== null,
      source: state.modelsError !== null ? 'cache' : refresh ? 'anthropic' : 'cache',
      error: state.modelsError,
    };
  }

  // docs/api.md (Logs): `id:` is the byte offset after the line, data is JSON; Last-Event-ID resumes after that offset.
  function logs(request: RecordedRequest, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    checkAnswer({ method: request.method, url: request.path, status: 200, headers: { 'content-type': 'text/event-stream' }, text: '' });
    res.write(': connected\n\n');
    if (state.logMissing) {
      const data = JSON.stringify({ error: 'server.log does not exist yet' });
      checkEvent(request.path, undefined, data);
      res.end(`data: ${data}\n\n`);
      return;
    }
    const offsets = byteOffsets(state.logLines);
    const lastEventId = request.headers['last-event-id'];
    const lines = Math.min(Number(request.query.get('lines') ?? 50), 10_000);
    const first = typeof lastEventId === 'string' ? offsets.findIndex((offset) => offset > Number(lastEventId)) : Math.max(0, state.logLines.length - lines);
    for (let i = first === -1 ? state.logLines.length : first; i < state.logLines.length; i++) res.write(frame(offsets[i] ?? 0, state.logLines[i] ?? ''));
    if (request.query.get('follow') === 'false') {
      res.end();
      return;
    }
    followers.add(res);
    res.on('close', () => followers.delete(res));
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    requests,
    failNext(method, path, status, body) {
      failures.set(`${method} ${path}`, [...(failures.get(`${method} ${path}`) ?? []), { status, body }]);
    },
    holdCommands() {
      held = new Promise<void>((resolve) => (release = resolve));
    },
    releaseCommands() {
      release();
      held = null;
    },
    waitForRequest(method, path, count = 1) {
      return new Promise((resolve) => {
        waiters.push({ method, path, count, resolve });
        notify();
      });
    },
    appendLog(line) {
      state.logLines.push(line);
      const offset = byteOffsets(state.logLines).at(-1) ?? 0;
      for (const follower of followers) follower.write(frame(offset, line));
    },
    dropLogStreams() {
      for (const follower of followers) follower.end();
      followers.clear();
    },
    async close() {
      release();
      for (const follower of followers) follower.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on which nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// The request each answer is for, so that send() can check the answer against the document.
const answering = new WeakMap<ServerResponse, RecordedRequest>();

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  const request = answering.get(res);
  const url = request ? `${request.path}?${request.query.toString()}` : '/';
  if (request) checkAnswer({ method: request.method, url, status, headers: { 'content-type': 'application/json' }, text });
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(text);
}

function frame(offset: number, line: string): string {
  const data = JSON.stringify({ line });
  checkEvent('/supervisor/logs', undefined, data);
  return `id: ${offset}\ndata: ${data}\n\n`;
}

function byteOffsets(lines: string[]): number[] {
  let offset = 0;
  return lines.map((line) => (offset += Buffer.byteLength(`${line}\n`)));
}
