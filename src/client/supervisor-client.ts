// The one typed HTTP client of the supervisor API (docs/api.md), used by the CLI, the web UI and the tests.
// Global fetch only and no node-only imports, so the same module runs in a browser bundle.
import { supervisorDefaults } from '../config/defaults.js';
import { readSse, type SseMessage } from './sse-reader.js';
import type {
  ConfigResponse,
  ConfigUpdateResponse,
  ConfigValue,
  ErrorResponse,
  HealthResponse,
  HistoryEvent,
  HistoryList,
  InspectionEvent,
  LogEvent,
  MachinesResponse,
  MetricsHistory,
  ModelsResponse,
  ServerAction,
  ServerCommandAccepted,
  ServerCommandResponse,
  SupervisorStatus,
} from './supervisor-types.js';

export type * from './supervisor-types.js';

/** The supervisor's port when neither `--url`, `SUPERVISOR_URL` nor `SUPERVISOR_PORT` says otherwise. */
export const defaultSupervisorPort = supervisorDefaults.port;

/** Environment variables the client reads (a plain object, so a browser can pass `{}`). */
export type ClientEnvironment = Record<string, string | undefined>;

/** How to reach the supervisor. */
export interface SupervisorClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:3334` (a trailing slash is ignored). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  /** Per-request timeout in ms for ordinary requests (default 10 s). */
  timeoutMs?: number;
  /** Timeout in ms for a lifecycle command that waits for its state (default 5 min; the supervisor bounds the wait itself). */
  commandTimeoutMs?: number;
  /** Delay before reconnecting a followed log stream when the supervisor sent no `retry:` (default 1 s). */
  reconnectDelayMs?: number;
  /** Reconnection attempts in a row without receiving an event before a followed log stream gives up (default 30, ~30 s). */
  maxReconnects?: number;
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
}

/** Options of one call. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Options of the server lifecycle commands. */
export interface ServerCommandOptions extends CallOptions {
  /** false: answer 202 at once instead of waiting for the requested state. */
  wait?: boolean;
}

/** Options of the log stream. */
export interface LogsOptions extends CallOptions {
  /** How many past lines first (server default 50, max 10000). */
  lines?: number;
  /** Keep the stream open for new lines (default true, as on the server). */
  follow?: boolean;
  /** Resume after this event id (a byte offset) instead of starting with the last `lines`. */
  lastEventId?: string;
  /** Reconnect a followed stream that drops, resuming with Last-Event-ID (default true). */
  reconnect?: boolean;
  /** Called each time the stream is open (its response headers arrived), reconnections included. */
  onOpen?: () => void;
}

/** Options of the history event stream. */
export interface EventsOptions extends CallOptions {
  /** Resume after this event's seq: the events after it come first, from the history file. */
  lastEventId?: string;
  /** Reconnect a stream that drops, resuming with Last-Event-ID (default true). */
  reconnect?: boolean;
  /** Called each time the stream is open (its response headers arrived), reconnections included. */
  onOpen?: () => void;
}

/** Base of the client's errors. */
export class SupervisorClientError extends Error {
  override name = 'SupervisorClientError';
}

/** Nothing answered at the supervisor's address: connection refused, no route, or no answer in time. */
export class SupervisorUnreachableError extends SupervisorClientError {
  override name = 'SupervisorUnreachableError';
  readonly url: string;
  readonly timedOut: boolean;

  constructor(url: string, message: string, options: { timedOut?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.url = url;
    this.timedOut = options.timedOut ?? false;
  }
}

/** The supervisor answered with an error status; `detail` and `code` come from its `{detail, code}` body. */
export class SupervisorHttpError extends SupervisorClientError {
  override name = 'SupervisorHttpError';
  readonly status: number;
  readonly detail: string;
  readonly code: string | null;
  /** The whole error body, e.g. with `rolled_back` of a config update. */
  readonly body: Record<string, unknown>;

  constructor(status: number, detail: string, code: string | null, body: Record<string, unknown> = {}) {
    super(`${detail} (HTTP ${status}${code ? `, ${code}` : ''})`);
    this.status = status;
    this.detail = detail;
    this.code = code;
    this.body = body;
  }
}

/** The supervisor's base URL: `url`, else `SUPERVISOR_URL`, else `http://127.0.0.1:${SUPERVISOR_PORT:-3334}`. Throws on a malformed value. */
export function resolveSupervisorUrl(url: string | undefined, env: ClientEnvironment): string {
  const explicit = url ?? (env.SUPERVISOR_URL || undefined);
  if (explicit !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(explicit);
    } catch {
      throw new Error(`invalid supervisor URL ${JSON.stringify(explicit)}: expected e.g. http://127.0.0.1:3334`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error(`invalid supervisor URL ${JSON.stringify(explicit)}: expected an http:// or https:// URL`);
    }
    return explicit.replace(/\/+$/, '');
  }
  const port = env.SUPERVISOR_PORT || String(defaultSupervisorPort);
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    throw new Error(`invalid SUPERVISOR_PORT ${JSON.stringify(port)}: expected an integer from 1 to 65535`);
  }
  return `http://127.0.0.1:${Number(port)}`;
}

/** A typed client of one supervisor. */
export class SupervisorClient {
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly commandTimeoutMs: number;
  private readonly reconnectDelayMs: number;
  private readonly maxReconnects: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: SupervisorClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token || undefined;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 300_000;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 1_000;
    this.maxReconnects = options.maxReconnects ?? 30;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** A client for `url`, else `SUPERVISOR_URL`, else `SUPERVISOR_PORT`, with the token from `SUPERVISOR_TOKEN`. */
  static fromEnvironment(env: ClientEnvironment, options: Partial<SupervisorClientOptions> & { url?: string } = {}): SupervisorClient {
    const { url, ...rest } = options;
    return new SupervisorClient({ token: env.SUPERVISOR_TOKEN, ...rest, baseUrl: resolveSupervisorUrl(url, env) });
  }

  /** `GET /supervisor/health`: does the supervisor itself answer? */
  health(options: CallOptions = {}): Promise<HealthResponse> {
    return this.json('GET', '/supervisor/health', options);
  }

  /** `GET /supervisor/status`. */
  status(options: CallOptions = {}): Promise<SupervisorStatus> {
    return this.json('GET', '/supervisor/status', options);
  }

  /** `POST /supervisor/server/{action}`: waits until the requested state is reached unless `wait: false`. */
  serverCommand(action: ServerAction, options?: ServerCommandOptions & { wait?: true }): Promise<ServerCommandResponse>;
  serverCommand(action: ServerAction, options: ServerCommandOptions & { wait: false }): Promise<ServerCommandAccepted>;
  serverCommand(action: ServerAction, options?: ServerCommandOptions): Promise<ServerCommandResponse | ServerCommandAccepted>;
  serverCommand(action: ServerAction, options: ServerCommandOptions = {}): Promise<ServerCommandResponse | ServerCommandAccepted> {
    const wait = options.wait ?? true;
    return this.json('POST', `/supervisor/server/${action}`, {
      signal: options.signal,
      query: wait ? undefined : { wait: 'false' },
      timeoutMs: wait ? this.commandTimeoutMs : this.timeoutMs,
    });
  }

  /** Starts the main server (see serverCommand). */
  startServer(options: ServerCommandOptions = {}): Promise<ServerCommandResponse | ServerCommandAccepted> {
    return this.serverCommand('start', options);
  }

  /** Stops the main server (see serverCommand). */
  stopServer(options: ServerCommandOptions = {}): Promise<ServerCommandResponse | ServerCommandAccepted> {
    return this.serverCommand('stop', options);
  }

  /** Restarts the main server (see serverCommand). */
  restartServer(options: ServerCommandOptions = {}): Promise<ServerCommandResponse | ServerCommandAccepted> {
    return this.serverCommand('restart', options);
  }

  /** `GET /supervisor/config`: the whole config, secrets redacted. */
  getConfig(options: CallOptions = {}): Promise<ConfigResponse> {
    return this.json('GET', '/supervisor/config', options);
  }

  /** `PUT /supervisor/config`: sets editable keys, restarting the server on the new config unless `restart: false`. */
  updateConfig(values: Record<string, ConfigValue>, options: CallOptions & { restart?: boolean } = {}): Promise<ConfigUpdateResponse> {
    return this.json('PUT', '/supervisor/config', {
      signal: options.signal,
      body: { values, restart: options.restart ?? true },
      // A restart waits for the server to come back healthy (or for the rollback), like a lifecycle command.
      timeoutMs: (options.restart ?? true) ? this.commandTimeoutMs : this.timeoutMs,
    });
  }

  /** `GET /supervisor/models`: latest per family, or all with `showAll`; `refresh` bypasses the cache. */
  models(options: CallOptions & { showAll?: boolean; refresh?: boolean } = {}): Promise<ModelsResponse> {
    return this.json('GET', '/supervisor/models', {
      signal: options.signal,
      query: { show_all: String(options.showAll ?? false), refresh: String(options.refresh ?? false) },
    });
  }

  /** `POST /supervisor/models/refresh`: fetches the list from Anthropic now (every version with `showAll`). */
  refreshModels(options: CallOptions & { showAll?: boolean } = {}): Promise<ModelsResponse> {
    const query = options.showAll === undefined ? undefined : { show_all: String(options.showAll) };
    return this.json('POST', '/supervisor/models/refresh', { signal: options.signal, query });
  }

  /** `GET /supervisor/machines`: the machine definitions as JSON. */
  machines(options: CallOptions = {}): Promise<MachinesResponse> {
    return this.json('GET', '/supervisor/machines', options);
  }

  /**
   * `GET /supervisor/logs` as an async iterator of log events. A followed stream that drops (e.g. the supervisor
   * restarts) is reopened with `Last-Event-ID`, so no line is lost or repeated; it gives up with
   * SupervisorUnreachableError after `maxReconnects` attempts in a row that bring no event. Break out of the loop
   * (or abort `signal`) to close the stream.
   */
  async *logs(options: LogsOptions = {}): AsyncGenerator<LogEvent> {
    const follow = options.follow ?? true;
    const query: Record<string, string> = { follow: String(follow) };
    if (options.lines !== undefined) query.lines = String(options.lines);
    const messages = this.followStream('/supervisor/logs', 'log stream', query, { ...options, reconnect: follow && (options.reconnect ?? true) });
    for await (const message of messages) {
      if (message.event === 'message') yield toLogEvent(message);
    }
  }

  /** `GET /supervisor/history`: the newest `limit` events (server default 50, at most 1000), newest first. */
  history(options: CallOptions & { limit?: number } = {}): Promise<HistoryList> {
    const query = options.limit === undefined ? undefined : { limit: String(options.limit) };
    return this.json('GET', '/supervisor/history', { signal: options.signal, query });
  }

  /**
   * `GET /supervisor/events`: the history's events as they happen, as an async iterator. With `lastEventId` (a seq)
   * the events after it come first; a stream that drops is reopened with Last-Event-ID, so none is lost or repeated
   * (SupervisorUnreachableError after `maxReconnects` attempts in a row that bring no event).
   */
  async *events(options: EventsOptions = {}): AsyncGenerator<HistoryEvent> {
    for await (const message of this.followStream('/supervisor/events', 'event stream', {}, { ...options, reconnect: options.reconnect ?? true })) {
      const event = parseJsonOr<HistoryEvent | undefined>(message.data, undefined);
      if (event !== undefined && message.event === 'message') yield event;
    }
  }

  /** `GET /supervisor/metrics/history`: the server's CPU and memory samples of the last `windowSeconds` (default 3600). */
  metricsHistory(options: CallOptions & { windowSeconds?: number } = {}): Promise<MetricsHistory> {
    const query = options.windowSeconds === undefined ? undefined : { window: String(options.windowSeconds) };
    return this.json('GET', '/supervisor/metrics/history', { signal: options.signal, query });
  }

  // An event stream's messages; with `reconnect`, a dropped stream is reopened with the last id seen.
  private async *followStream(
    path: string,
    what: string,
    query: Record<string, string>,
    options: CallOptions & { lastEventId?: string; reconnect: boolean; onOpen?: () => void },
  ): AsyncGenerator<SseMessage> {
    const reconnect = options.reconnect;
    let lastId = options.lastEventId ?? null;
    let delayMs = this.reconnectDelayMs;
    let attempts = 0;
    for (let first = true; ; first = false) {
      let opened: OpenStream;
      try {
        opened = await this.stream(path, query, lastId, options.signal);
      } catch (error) {
        // The first connection fails loudly; a lost followed stream retries before giving up.
        if (first || !reconnect || !(error instanceof SupervisorUnreachableError) || attempts >= this.maxReconnects) throw error;
        attempts += 1;
        await abortableDelay(delayMs, options.signal);
        continue;
      }
      // A stream that is open but quiet (no new line, no event) is still worth knowing about.
      options.onOpen?.();
      try {
        for await (const message of readSse(opened.body)) {
          if (message.retry !== null) delayMs = message.retry;
          lastId = message.id ?? lastId;
          attempts = 0;
          yield message;
        }
      } catch (error) {
        // A broken connection is a dropped stream (reconnected below when following); an abort is the caller's.
        if (options.signal?.aborted) throw options.signal.reason;
        if (!reconnect) throw new SupervisorUnreachableError(this.baseUrl, `the ${what} of ${this.baseUrl} broke: ${describeCause(error)}`, { cause: error });
      } finally {
        opened.close();
      }
      if (!reconnect || options.signal?.aborted) return;
      if (attempts >= this.maxReconnects) {
        throw new SupervisorUnreachableError(this.baseUrl, `the ${what} of ${this.baseUrl} closed and did not come back`);
      }
      attempts += 1;
      await abortableDelay(delayMs, options.signal);
    }
  }

  /** `GET /supervisor/inspect`: the actor system's snapshots and events as they happen (no reconnection). */
  async *inspect(options: CallOptions = {}): AsyncGenerator<InspectionEvent> {
    const opened = await this.stream('/supervisor/inspect', {}, null, options.signal);
    try {
      for await (const message of readSse(opened.body)) {
        yield { event: message.event, id: message.id, data: parseJsonOr(message.data, message.data) };
      }
    } finally {
      opened.close();
    }
  }

  // One JSON request: the timeout covers the whole exchange, body included.
  private async json<T>(
    method: string,
    path: string,
    options: { signal?: AbortSignal; query?: Record<string, string>; body?: unknown; timeoutMs?: number },
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const deadline = new Deadline(timeoutMs, options.signal);
    try {
      const headers: Record<string, string> = { accept: 'application/json', ...this.authHeader() };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await this.send(this.url(path, options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: deadline.signal,
      }, deadline, timeoutMs);
      const text = await readText(response, deadline, this.baseUrl, timeoutMs, options.signal);
      if (!response.ok) throw httpError(response, text);
      const parsed = parseJsonOr<T | undefined>(text, undefined);
      if (parsed === undefined) {
        throw new SupervisorHttpError(response.status, `the supervisor answered ${method} ${path} with something that is not JSON`, 'ERR_BAD_RESPONSE');
      }
      return parsed;
    } finally {
      deadline.clear();
    }
  }

  // Opens an event stream: the timeout covers only until the response headers arrive; the caller's signal, until close().
  private async stream(path: string, query: Record<string, string>, lastEventId: string | null, signal?: AbortSignal): Promise<OpenStream> {
    const deadline = new Deadline(this.timeoutMs, signal);
    const headers: Record<string, string> = { accept: 'text/event-stream', ...this.authHeader() };
    if (lastEventId !== null) headers['last-event-id'] = lastEventId;
    let response: Response;
    try {
      response = await this.send(this.url(path, query), { method: 'GET', headers, signal: deadline.signal }, deadline, this.timeoutMs);
      deadline.stopTimer();
    } catch (error) {
      deadline.clear();
      throw error;
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      deadline.clear();
      throw httpError(response, text);
    }
    if (!response.body) {
      deadline.clear();
      throw new SupervisorHttpError(response.status, `the supervisor sent no body for ${path}`, 'ERR_BAD_RESPONSE');
    }
    return { body: response.body, close: () => deadline.clear() };
  }

  private async send(url: string, init: RequestInit, deadline: Deadline, timeoutMs: number): Promise<Response> {
    try {
      return await this.fetchImpl(url, init);
    } catch (error) {
      throw this.transportError(error, deadline, timeoutMs);
    }
  }

  // Tells a caller's abort (rethrown as is) from a timeout and a failed connection (both: unreachable).
  private transportError(error: unknown, deadline: Deadline, timeoutMs: number): unknown {
    if (deadline.abortedByCaller) return deadline.callerReason;
    if (deadline.timedOut) {
      return new SupervisorUnreachableError(this.baseUrl, `the supervisor at ${this.baseUrl} did not answer within ${formatMs(timeoutMs)}`, {
        timedOut: true,
        cause: error,
      });
    }
    return new SupervisorUnreachableError(this.baseUrl, `cannot reach the supervisor at ${this.baseUrl}: ${describeCause(error)}`, { cause: error });
  }

  private url(path: string, query?: Record<string, string>): string {
    const search = query && Object.keys(query).length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
    return `${this.baseUrl}${path}${search}`;
  }

  private authHeader(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }
}

// An open event stream; close() detaches it from the caller's signal.
interface OpenStream {
  body: ReadableStream<Uint8Array>;
  close(): void;
}

// An AbortController that fires on timeout or on the caller's signal, remembering which.
class Deadline {
  readonly signal: AbortSignal;
  timedOut = false;
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly caller: AbortSignal | undefined;
  private readonly onAbort = () => this.controller.abort(this.caller?.reason);

  constructor(timeoutMs: number, caller?: AbortSignal) {
    this.signal = this.controller.signal;
    this.caller = caller;
    if (caller?.aborted) this.controller.abort(caller.reason);
    caller?.addEventListener('abort', this.onAbort, { once: true });
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  }

  get abortedByCaller(): boolean {
    return this.caller?.aborted === true && !this.timedOut;
  }

  get callerReason(): unknown {
    return this.caller?.reason;
  }

  stopTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  clear(): void {
    this.stopTimer();
    this.caller?.removeEventListener('abort', this.onAbort);
  }
}

async function readText(response: Response, deadline: Deadline, baseUrl: string, timeoutMs: number, caller?: AbortSignal): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (caller?.aborted && !deadline.timedOut) throw caller.reason;
    if (deadline.timedOut) {
      throw new SupervisorUnreachableError(baseUrl, `the supervisor at ${baseUrl} did not answer within ${formatMs(timeoutMs)}`, { timedOut: true, cause: error });
    }
    throw new SupervisorUnreachableError(baseUrl, `the connection to ${baseUrl} broke: ${describeCause(error)}`, { cause: error });
  }
}

function httpError(response: Response, text: string): SupervisorHttpError {
  const body = parseJsonOr<unknown>(text, undefined);
  if (isErrorBody(body)) return new SupervisorHttpError(response.status, body.detail, typeof body.code === 'string' ? body.code : null, body);
  const detail = text.trim() && text.length < 500 && !text.trimStart().startsWith('<') ? text.trim() : response.statusText || `HTTP ${response.status}`;
  return new SupervisorHttpError(response.status, detail, null, {});
}

function isErrorBody(body: unknown): body is ErrorResponse {
  return typeof body === 'object' && body !== null && typeof (body as { detail?: unknown }).detail === 'string';
}

function toLogEvent(message: SseMessage): LogEvent {
  const data = parseJsonOr<unknown>(message.data, undefined);
  if (typeof data === 'object' && data !== null) {
    const { line, error } = data as { line?: unknown; error?: unknown };
    if (typeof line === 'string') return { kind: 'line', id: message.id, line };
    if (typeof error === 'string') return { kind: 'error', id: message.id, error };
  }
  // Not the documented {"line"} shape: show the raw data rather than hide it.
  return { kind: 'line', id: message.id, line: message.data };
}

function parseJsonOr<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

// Node's fetch says "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND, ...) in `cause`.
function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code === 'ECONNREFUSED' ? 'connection refused' : cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Resolves after `ms`, or rejects at once when `signal` aborts (also the CLI's wait between polls). */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
