import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventBuffer } from 'better-sse';
import { lazyImport } from '../lazy-require.js';

// better-sse is loaded when the first stream opens, not at boot.
const loadBetterSse = lazyImport(() => import('better-sse'));

/** One server-sent event: `data` is sent as JSON (so it can never break the framing). */
export interface SseEvent {
  data: unknown;
  /** Event type; absent = the default `message`. */
  event?: string;
  /** Event id (becomes the client's Last-Event-ID); absent = no id field, the client keeps its last one. */
  id?: string;
}

/** Why a stream closed: the client went away, it could not keep up, the supervisor is shutting down, or we ended it. */
export type SseCloseReason = 'client' | 'slow' | 'shutdown' | 'server';

/** Tuning of one stream; every field has a default. */
export interface SseStreamOptions {
  /** Interval of the `: ping` comment that keeps proxies and clients from timing out (default 15 s). */
  heartbeatMs?: number;
  /** A client whose unsent bytes exceed this is dropped at once (default 1 MiB). */
  maxBufferedBytes?: number;
  /** A client that does not drain its socket buffer within this time is dropped (default 10 s). */
  drainTimeoutMs?: number;
  /** Reconnection delay suggested to the client (`retry:` field); null sends none (default 2 s). */
  retryMs?: number | null;
}

/** An open event stream to one client. */
export interface SseStream {
  /** The client's Last-Event-ID header (or `lastEventId` query parameter); '' when absent. */
  readonly lastEventId: string;
  /** True once the stream is closed, for whatever reason. */
  readonly closed: boolean;
  /** Sends one event; false when the client is behind (wait for drained()) or the stream is closed. */
  send(event: SseEvent): boolean;
  /** Sends several events in one write (one system call for a burst of lines); same answer as send(). */
  sendMany(events: readonly SseEvent[]): boolean;
  /** Sends a comment line (`: text`), as heartbeats do; clients ignore it. */
  comment(text: string): boolean;
  /** Resolves once the client has taken the buffered bytes (or the stream closed): the pace for producers that can wait. */
  drained(): Promise<void>;
  /** Calls `listener` once when the stream closes; returns an unsubscribe function. */
  onClose(listener: (reason: SseCloseReason) => void): () => void;
  /** Closes the stream: `server`/`shutdown` end it cleanly, `slow`/`client` cut the connection. */
  close(reason?: SseCloseReason): void;
}

/** The registry of every open stream, so shutdown can close them all. */
export interface SseHub {
  /** Opens a stream on this request/response and registers it until it closes. */
  open(req: IncomingMessage, res: ServerResponse, options?: SseStreamOptions): Promise<SseStream>;
  /** Number of open streams. */
  readonly size: number;
  /** Streams dropped so far because their client could not keep up. */
  readonly dropped: number;
  /** Ends every open stream (reason `shutdown`); returns how many there were. */
  closeAll(): number;
}

const defaults = { heartbeatMs: 15_000, maxBufferedBytes: 1024 * 1024, drainTimeoutMs: 10_000, retryMs: 2_000 };
// A clean end that the client does not read within this time is cut instead.
const END_GRACE_MS = 1_000;

// better-sse writes `name:value`; the space after the colon is what most hand-written clients (and curl readers) expect.
const serializer = (data: unknown): string => ` ${JSON.stringify(data)}`;
// Field values arrive safe (JSON data, checked ids and event names, flattened comments); this is only a backstop,
// cheaper than better-sse's default, which runs two replacements on every field.
const sanitizer = (text: string): string => (/[\r\n]/.test(text) ? text.replace(/[\r\n]+/g, ' ') : text);

// An option given as `undefined` (an unset router setting passed along) leaves the default in place.
function definedOnly(options: SseStreamOptions): SseStreamOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/**
 * Opens a stream for a route. An error before the stream started goes to the app's error handler (`next`), one
 * after it cuts the connection; null when there is no open stream to write to.
 */
export async function openRouteStream(
  hub: SseHub,
  req: IncomingMessage,
  res: ServerResponse & { headersSent: boolean },
  next: (error: unknown) => void,
  options?: SseStreamOptions,
): Promise<SseStream | null> {
  let stream: SseStream;
  try {
    stream = await hub.open(req, res, options);
  } catch (error) {
    if (!res.headersSent) next(error);
    else res.destroy();
    return null;
  }
  return stream.closed ? null : stream;
}

/** Creates a hub; `defaults` apply to every stream it opens unless the open call overrides them. */
export function createSseHub(hubDefaults: SseStreamOptions = {}): SseHub {
  const open = new Set<SseStream>();
  let dropped = 0;
  return {
    async open(req, res, options = {}) {
      const stream = await openSseStream(req, res, { ...hubDefaults, ...definedOnly(options) });
      if (stream.closed) return stream;
      open.add(stream);
      stream.onClose((reason) => {
        open.delete(stream);
        if (reason === 'slow') dropped += 1;
      });
      return stream;
    },
    get size() {
      return open.size;
    },
    get dropped() {
      return dropped;
    },
    closeAll() {
      const count = open.size;
      for (const stream of [...open]) stream.close('shutdown');
      return count;
    },
  };
}

/**
 * Opens an SSE response with better-sse (headers, connection tracking, Last-Event-ID) and adds what it lacks here:
 * ids only when given, a `: ping` heartbeat, and a bounded send buffer — a client that cannot keep up is dropped.
 */
export async function openSseStream(req: IncomingMessage, res: ServerResponse, options: SseStreamOptions = {}): Promise<SseStream> {
  const settings = { ...defaults, ...definedOnly(options) };
  const { Session, EventBuffer } = await loadBetterSse();
  const session = new Session(req, res, { keepAlive: null, retry: settings.retryMs, serializer, sanitizer });
  const lifecycle = streamLifecycle(res, session);
  const pressure = sendPressure(res, settings, lifecycle);
  const stream = streamFacade(session, () => new EventBuffer({ serializer, sanitizer }), lifecycle, pressure);
  return whenConnected(req, res, session, stream, lifecycle, settings.heartbeatMs);
}

type BetterSseSession = InstanceType<Awaited<ReturnType<typeof loadBetterSse>>['Session']>;

// Whether one stream is closed and why, and the release of everything once its connection is gone.
interface StreamLifecycle {
  /** No more writes. */
  readonly closed: boolean;
  /** Ends the stream: `server`/`shutdown` cleanly (cut after a grace time), `slow`/`client` by cutting it. */
  close(reason?: SseCloseReason): void;
  /** Calls `listener` once, when the connection is gone; returns an unsubscribe function. */
  onClose(listener: (reason: SseCloseReason) => void): () => void;
  /** Runs `hook` when the stream closes (close() called, or the connection gone), before the close listeners. */
  whenClosing(hook: () => void): void;
  /** Runs `release` once, when the connection is gone, before the close listeners. */
  whenFinished(release: () => void): void;
  /** Releases everything: the connection is gone (better-sse reports it from req/res `close`). Runs once. */
  finish(): void;
}

function streamLifecycle(res: ServerResponse, session: BetterSseSession): StreamLifecycle {
  let closed = false; // no more writes
  let finished = false; // the connection is gone and everything is released
  let closeReason: SseCloseReason = 'client';
  let endTimer: NodeJS.Timeout | null = null;
  const listeners = new Set<(reason: SseCloseReason) => void>();
  const closingHooks: (() => void)[] = [];
  const releases: (() => void)[] = [];

  const finish = (): void => {
    if (finished) return;
    finished = closed = true;
    if (endTimer) clearTimeout(endTimer);
    endTimer = null;
    session.removeListener('disconnected', finish);
    for (const release of releases) release();
    for (const hook of closingHooks) hook();
    const toCall = [...listeners];
    listeners.clear();
    for (const listener of toCall) listener(closeReason);
  };
  session.once('disconnected', finish);

  return {
    get closed() {
      return closed;
    },
    close(reason = 'server') {
      if (closed) return;
      closed = true;
      closeReason = reason;
      for (const hook of closingHooks) hook();
      if (reason === 'slow' || reason === 'client') {
        res.destroy();
        return;
      }
      res.end();
      endTimer = setTimeout(() => res.destroy(), END_GRACE_MS);
    },
    onClose(listener) {
      if (finished) {
        queueMicrotask(() => listener(closeReason));
        return () => undefined;
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    whenClosing(hook) {
      closingHooks.push(hook);
    },
    whenFinished(release) {
      releases.push(release);
    },
    finish,
  };
}

// The bounded send buffer: the pace for producers that can wait (drained()), and the drop of a client that cannot keep up.
interface SendPressure {
  /** After each write: true while the client keeps up; over the cap it is dropped at once, over the socket's
   * high-water mark it has drainTimeoutMs to drain. */
  check(): boolean;
  drained(): Promise<void>;
}

function sendPressure(res: ServerResponse, settings: Required<SseStreamOptions>, lifecycle: StreamLifecycle): SendPressure {
  let waiters: (() => void)[] = [];
  let drainTimer: NodeJS.Timeout | null = null;
  const releaseWaiters = (): void => {
    const toResolve = waiters;
    waiters = [];
    for (const resolve of toResolve) resolve();
  };
  const onDrain = (): void => {
    if (drainTimer) clearTimeout(drainTimer);
    drainTimer = null;
    releaseWaiters();
  };
  res.on('drain', onDrain);
  lifecycle.whenClosing(releaseWaiters);
  lifecycle.whenFinished(() => {
    if (drainTimer) clearTimeout(drainTimer);
    drainTimer = null;
    res.removeListener('drain', onDrain);
  });
  return {
    check() {
      if (res.writableLength > settings.maxBufferedBytes) {
        lifecycle.close('slow');
        return false;
      }
      if (!res.writableNeedDrain) return true;
      if (!drainTimer) drainTimer = setTimeout(() => lifecycle.close('slow'), settings.drainTimeoutMs);
      return false;
    },
    drained() {
      if (lifecycle.closed || !res.writableNeedDrain) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}

// The stream as its producers see it: events written through better-sse's EventBuffer, paced by the send pressure.
function streamFacade(session: BetterSseSession, newBuffer: () => EventBuffer, lifecycle: StreamLifecycle, pressure: SendPressure): SseStream {
  const write = (buffer: EventBuffer): boolean => {
    if (lifecycle.closed) return false;
    void session.batch(buffer);
    return pressure.check();
  };
  return {
    get lastEventId() {
      return session.lastId;
    },
    get closed() {
      return lifecycle.closed;
    },
    send(event) {
      return write(appendEvent(newBuffer(), event));
    },
    sendMany(events) {
      const buffer = newBuffer();
      for (const event of events) appendEvent(buffer, event);
      return write(buffer);
    },
    comment(text) {
      return write(newBuffer().comment(` ${text.replace(/[\r\n]+/g, ' ')}`).dispatch());
    },
    drained: () => pressure.drained(),
    onClose: (listener) => lifecycle.onClose(listener),
    close: (reason) => lifecycle.close(reason),
  };
}

// better-sse sends the head on the next turn; the client may have gone by then (then no heartbeat is started).
function whenConnected(
  req: IncomingMessage,
  res: ServerResponse,
  session: BetterSseSession,
  stream: SseStream,
  lifecycle: StreamLifecycle,
  heartbeatMs: number,
): Promise<SseStream> {
  return new Promise<SseStream>((resolve) => {
    session.once('connected', () => {
      if (lifecycle.closed || res.destroyed) lifecycle.finish();
      // HEAD gets the stream's head and nothing more. Node sends the head of a body-less answer only when it ends,
      // so a HEAD left open would hang without even a status line, holding a follower until the client gave up.
      else if (req.method === 'HEAD') lifecycle.close('server');
      else {
        const heartbeat = setInterval(() => stream.comment('ping'), heartbeatMs);
        lifecycle.whenFinished(() => clearInterval(heartbeat));
      }
      resolve(stream);
    });
  });
}

function appendEvent(buffer: EventBuffer, event: SseEvent): EventBuffer {
  if (event.event !== undefined) buffer.event(` ${fieldValue(event.event, 'event')}`);
  if (event.id !== undefined) buffer.id(` ${fieldValue(event.id, 'id')}`);
  return buffer.data(event.data).dispatch();
}

// An id or event type with a line break would end the field early and corrupt the stream.
function fieldValue(value: string, field: string): string {
  if (/[\r\n\0]/.test(value)) throw new TypeError(`SSE ${field} must not contain CR, LF or NUL: ${JSON.stringify(value)}`);
  return value;
}
