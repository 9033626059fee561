// A fake supervisor for developing and testing the web UI: a real Express app on a free port that mounts the
// real UI router and fakes the endpoints the pages use (docs/api.md) on top of small XState actors, so the
// inspection stream carries real XState snapshots and events in the agreed format:
//
//   event: snapshot  data: {"actor","value","status","context","at"}
//   event: event     data: {"actor","type","event","source","at"}
//
// As the real supervisor does, an event is sent once its actor has processed it, followed by the snapshot it led to,
// and only when it changed the state value, the status or the context. (The fake replays no recent past.)
//
// The lead swaps this for the real supervisor in the final e2e tests.
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Request, Response } from 'express';
import { createActor, fromCallback, waitFor, type AnyActorRef, type InspectionEvent } from 'xstate';
import { createUiRouter, defaultUiAssetsDir } from '../../src/http/ui.routes.js';
import {
  fakeConfigMachine,
  fakeModelsMachine,
  fakeServerMachine,
  fakeSupervisorMachine,
  type FakeServerEvent,
} from './fake-machines.js';

export interface FakeSupervisorOptions {
  /** Built UI folder; default dist/ui. */
  assetsDir?: string;
  /** How long the fake server takes to start and to stop. */
  phaseMs?: number;
  /** Models the fake server cannot start with: applying one ends in a rollback. */
  brokenModels?: string[];
  initialModel?: string;
  /** How long the server has been up when the fake starts (the page shows "Up 5m"). */
  initialUptimeMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeSupervisor {
  url: string;
  port: number;
  /** Every API request the pages made (not assets). */
  requests: RecordedRequest[];
  /** Appends a line to the fake server.log; live log streams get it at once. */
  appendLog(line: string): void;
  serverValue(): unknown;
  pid(): number | null;
  defaultModel(): string;
  /** Drops every connection and stops listening: the supervisor went away. */
  goAway(): Promise<void>;
  /** Listens again on the same port. */
  comeBack(): Promise<void>;
  close(): Promise<void>;
}

export const fakeModels = [
  { id: 'claude-opus-4-1-20250805', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z', family: 'opus' },
  { id: 'claude-opus-4-20250514', display_name: 'Claude Opus 4', created_at: '2025-05-14T00:00:00Z', family: 'opus' },
  { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z', family: 'sonnet' },
  { id: 'claude-sonnet-4-20250514', display_name: 'Claude Sonnet 4', created_at: '2025-05-14T00:00:00Z', family: 'sonnet' },
  { id: 'claude-3-7-sonnet-20250219', display_name: 'Claude Sonnet 3.7', created_at: '2025-02-19T00:00:00Z', family: 'sonnet' },
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z', family: 'haiku' },
  { id: 'claude-3-5-haiku-20241022', display_name: 'Claude Haiku 3.5', created_at: '2024-10-22T00:00:00Z', family: 'haiku' },
];

const modelPattern = /^(opus|sonnet|haiku|claude-[a-z0-9.-]+)(\[\d+[km]\])?$/;
const supervisorVersion = '0.1.0';
const serverVersion = '2.4.1';

// XState context and events can hold anything; the stream carries only what JSON can.
function jsonSafe(value: unknown): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(JSON.stringify(value ?? {}));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function sse(res: Response): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
}

/** Starts the fake on 127.0.0.1 and a free port, with the server already running. */
export async function startFakeSupervisor(options: FakeSupervisorOptions = {}): Promise<FakeSupervisor> {
  const phaseMs = options.phaseMs ?? 300;
  const broken = new Set(options.brokenModels ?? []);
  let defaultModel = options.initialModel ?? 'claude-sonnet-4-5-20250929';
  let nextPid = 41_200;
  let firstStart = true;
  const startedAtBoot = Date.now();
  const requests: RecordedRequest[] = [];
  const inspectClients = new Set<ServerResponse>();
  const logClients = new Set<(line: string, id: number) => void>();
  const openResponses = new Set<ServerResponse>();

  // ---- server.log ------------------------------------------------------------------------------------------
  const log: { line: string; id: number }[] = [];
  let offset = 0;
  const appendLog = (line: string): void => {
    offset += Buffer.byteLength(line, 'utf8') + 1;
    log.push({ line, id: offset });
    for (const send of logClients) send(line, offset);
  };
  const stamp = (at = Date.now()): string => new Date(at).toISOString().replace('T', ' ').slice(0, 23);
  for (let i = 0; i < 64; i += 1) {
    const at = startedAtBoot - (64 - i) * 4_700;
    appendLog(
      i % 9 === 0
        ? `${stamp(at)} INFO  http: GET /api/health 200 1.${i % 10}ms`
        : i % 7 === 0
          ? `${stamp(at)} DEBUG sessions: pruned ${i % 5} idle sessions`
          : `${stamp(at)} INFO  chat: request ${1000 + i} completed in ${120 + ((i * 37) % 900)}ms (model ${defaultModel})`,
    );
  }

  // ---- actors ----------------------------------------------------------------------------------------------
  const broadcast = (name: 'snapshot' | 'event', data: unknown): void => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of inspectClients) res.write(frame);
  };
  const actors = new Map<string, AnyActorRef>();
  const lastSent = new Map<string, string>();
  const inspectorFor = (actor: string) => (event: InspectionEvent) => {
    // Only the named root actor; the fake process actors it invokes stay internal.
    if (event.actorRef.sessionId !== event.rootId || event.type !== '@xstate.snapshot') return;
    const snapshot = event.snapshot as { value?: unknown; status?: string; context?: unknown };
    const data = { actor, value: snapshot.value, status: snapshot.status, context: jsonSafe(snapshot.context) };
    const key = JSON.stringify(data);
    if (lastSent.get(actor) === key) return;
    lastSent.set(actor, key);
    const at = Date.now();
    broadcast('event', { actor, type: event.event.type, event: jsonSafe(event.event), source: null, at });
    broadcast('snapshot', { ...data, at });
  };

  const server = createActor(
    fakeServerMachine.provide({
      actors: {
        spawn: fromCallback<FakeServerEvent>(({ sendBack }) => {
          const timer = setTimeout(() => {
            if (broken.has(defaultModel)) {
              appendLog(`${stamp()} ERROR config: unknown model ${defaultModel}; refusing to start`);
              sendBack({ type: 'health.failed', reason: `exited with code 1 (unknown model ${defaultModel})`, at: Date.now() });
              return;
            }
            const pid = (nextPid += 7);
            const at = firstStart ? Date.now() - (options.initialUptimeMs ?? 5 * 60_000) : Date.now();
            firstStart = false;
            appendLog(`${stamp()} INFO  server: listening on http://127.0.0.1:3333 (pid ${pid}, model ${defaultModel})`);
            sendBack({ type: 'health.ok', pid, at });
          }, phaseMs);
          return () => clearTimeout(timer);
        }),
        terminate: fromCallback<FakeServerEvent>(({ sendBack }) => {
          appendLog(`${stamp()} INFO  server: SIGTERM received, draining connections`);
          const timer = setTimeout(() => {
            appendLog(`${stamp()} INFO  server: shut down cleanly`);
            sendBack({ type: 'process.exited', code: 0, signal: null, at: Date.now() });
          }, phaseMs);
          return () => clearTimeout(timer);
        }),
      },
      delays: { restartBackoff: 60_000 },
    }),
    { inspect: inspectorFor('server') },
  );
  const models = createActor(fakeModelsMachine, { inspect: inspectorFor('models') });
  const config = createActor(fakeConfigMachine, { inspect: inspectorFor('config') });
  const supervisor = createActor(fakeSupervisorMachine, { inspect: inspectorFor('supervisor') });
  actors.set('supervisor', supervisor).set('server', server).set('models', models).set('config', config);
  for (const actor of actors.values()) actor.start();
  server.send({ type: 'server.start' });
  await waitFor(server, (s) => s.matches('running'), { timeout: 10_000 });

  const status = () => {
    const snap = server.getSnapshot();
    const value = snap.value;
    const state = typeof value === 'string' ? value : Object.keys(value)[0];
    const ctx = snap.context;
    const running = state === 'running';
    return {
      supervisor_uptime_seconds: Math.floor((Date.now() - startedAtBoot) / 1000),
      supervisor_version: supervisorVersion,
      main_server_healthy: running,
      main_server_status: state,
      main_server_uptime_seconds: running && ctx.startedAt ? Math.floor((Date.now() - ctx.startedAt) / 1000) : null,
      main_server_version: running ? serverVersion : null,
      main_server_port: 3333,
      config_loaded: true,
      main_server_pid: ctx.pid,
      restart_count: ctx.restartCount,
      last_exit: null,
      last_error: ctx.lastError?.message ?? null,
      next_restart_at: null,
      cpu_percent: running ? 1.4 : null,
      memory_bytes: running ? 88_342_528 : null,
      default_model: defaultModel,
    };
  };

  // Waits for the fake server to settle after a command: running (or crashed) for a start, stopped for a stop.
  const settle = async (want: 'running' | 'stopped', restartedFrom?: number) =>
    waitFor(
      server,
      (s) =>
        (want === 'stopped' && s.matches('stopped')) ||
        (want === 'running' && s.matches('crashed')) ||
        (want === 'running' && s.matches('running') && (restartedFrom === undefined || s.context.restartCount > restartedFrom)),
      { timeout: 10_000 },
    );

  // ---- HTTP ------------------------------------------------------------------------------------------------
  const app = express();
  app.use(express.json({ limit: '64kb' }));
  app.use((req, _res, next) => {
    if (req.path.startsWith('/supervisor/') && !req.path.startsWith('/supervisor/ui')) {
      requests.push({ method: req.method, path: req.originalUrl, body: req.body });
    }
    next();
  });
  app.use(createUiRouter({ assetsDir: options.assetsDir ?? defaultUiAssetsDir() }));

  app.get('/supervisor/health', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/supervisor/status', (_req, res) => void res.json(status()));

  app.post('/supervisor/server/:command', async (req: Request, res: Response) => {
    const command = req.params['command'];
    const before = server.getSnapshot();
    if (command === 'start') {
      if (!before.matches('running')) server.send({ type: 'server.start' });
      const after = await settle('running');
      if (after.matches('crashed')) {
        res.status(500).json({ detail: `Server start failed: ${after.context.lastError?.message}`, code: 'ERR_START_FAILED' });
        return;
      }
      res.json({ success: true, message: 'Server started', status: status() });
    } else if (command === 'stop') {
      if (!before.matches('stopped')) server.send({ type: 'server.stop' });
      await settle('stopped');
      res.json({ success: true, message: 'Server stopped', status: status() });
    } else if (command === 'restart') {
      server.send({ type: before.matches('running') ? 'server.restart' : 'server.start' });
      const after = await settle('running', before.matches('running') ? before.context.restartCount : undefined);
      if (after.matches('crashed')) {
        res.status(500).json({ detail: `Server start failed: ${after.context.lastError?.message}`, code: 'ERR_START_FAILED' });
        return;
      }
      res.json({ success: true, message: 'Server restarted', status: status() });
    } else {
      res.status(404).json({ detail: `Unknown command ${command}`, code: 'ERR_NOT_FOUND' });
    }
  });

  app.get('/supervisor/models', (req, res) => {
    const showAll = req.query['show_all'] === 'true';
    const newest = new Map<string, string>();
    for (const m of fakeModels) {
      const seen = newest.get(m.family);
      const seenAt = fakeModels.find((x) => x.id === seen)?.created_at ?? '';
      if (!seen || m.created_at > seenAt) newest.set(m.family, m.id);
    }
    const list = fakeModels
      .map((m) => ({ ...m, is_latest: newest.get(m.family) === m.id }))
      .filter((m) => showAll || m.is_latest);
    res.json({
      models: list,
      count: list.length,
      show_all: showAll,
      current_model: defaultModel,
      cached_at: new Date(startedAtBoot).toISOString(),
      is_stale: false,
      source: 'anthropic',
      error: null,
    });
  });

  app.get('/supervisor/config', (_req, res) => {
    res.json({ config: { port: 3333, default_model: defaultModel, api_key: '[REDACTED]' } });
  });

  app.put('/supervisor/config', async (req: Request, res: Response) => {
    if (!req.is('application/json')) {
      res.status(415).json({ detail: 'Body must be application/json', code: 'ERR_UNSUPPORTED_MEDIA_TYPE' });
      return;
    }
    const values = (req.body as { values?: Record<string, unknown> })?.values ?? {};
    const restart = (req.body as { restart?: unknown })?.restart !== false;
    const unknown = Object.keys(values).filter((k) => k !== 'default_model');
    if (unknown.length) {
      res.status(400).json({ detail: `Unknown key: ${unknown[0]}`, code: 'ERR_UNKNOWN_KEY' });
      return;
    }
    const model = values['default_model'];
    if (typeof model !== 'string' || !modelPattern.test(model)) {
      res.status(400).json({
        detail: `default_model: ${JSON.stringify(model)} is not a model id (expected e.g. claude-sonnet-4-5)`,
        code: 'ERR_INVALID_VALUE',
      });
      return;
    }
    const previous = defaultModel;
    config.send({ type: 'config.put', keys: ['default_model'] });
    defaultModel = model;
    config.send({ type: 'config.written' });
    if (!restart) {
      config.send({ type: 'config.restarted' });
      res.json({ success: true, updated_keys: ['default_model'], server_restarted: false, config: { default_model: model } });
      return;
    }
    const from = server.getSnapshot();
    server.send({ type: from.matches('running') ? 'server.restart' : 'server.start' });
    const after = await settle('running', from.matches('running') ? from.context.restartCount : undefined);
    if (after.matches('crashed')) {
      config.send({ type: 'config.failed', reason: after.context.lastError?.message ?? 'crashed' });
      defaultModel = previous;
      server.send({ type: 'server.start' });
      await settle('running');
      config.send({ type: 'config.restored' });
      res.status(409).json({
        detail: `Server did not become healthy with default_model=${model} (${after.context.lastError?.message}); previous config restored`,
        code: 'ERR_CONFIG_ROLLED_BACK',
        rolled_back: true,
      });
      return;
    }
    config.send({ type: 'config.restarted' });
    res.json({ success: true, updated_keys: ['default_model'], server_restarted: true, config: { default_model: model } });
  });

  app.get('/supervisor/logs', (req: Request, res: Response) => {
    const lines = Math.min(10_000, Math.max(0, Number(req.query['lines'] ?? 50) || 0));
    const follow = req.query['follow'] !== 'false';
    const lastId = Number(req.get('last-event-id'));
    sse(res);
    openResponses.add(res);
    const send = (line: string, id: number) => res.write(`id: ${id}\ndata: ${JSON.stringify({ line })}\n\n`);
    // Last-Event-ID resumes after that byte offset; otherwise the last `lines` lines.
    const resume = Number.isFinite(lastId) && lastId > 0;
    const backlog = resume ? log.filter((l) => l.id > lastId) : lines === 0 ? [] : log.slice(-lines);
    for (const l of backlog) send(l.line, l.id);
    if (!follow) {
      res.end();
      return;
    }
    logClients.add(send);
    req.on('close', () => {
      logClients.delete(send);
      openResponses.delete(res);
    });
  });

  app.get('/supervisor/inspect', (req: Request, res: Response) => {
    sse(res);
    openResponses.add(res);
    for (const [actor, ref] of actors) {
      const snap = ref.getSnapshot() as { value?: unknown; status?: string; context?: unknown };
      res.write(
        `event: snapshot\ndata: ${JSON.stringify({ actor, value: snap.value, status: snap.status, context: jsonSafe(snap.context), at: Date.now() })}\n\n`,
      );
    }
    inspectClients.add(res);
    req.on('close', () => {
      inspectClients.delete(res);
      openResponses.delete(res);
    });
  });

  app.get('/supervisor/machines', (_req, res) => {
    res.json({
      machines: {
        supervisor: fakeSupervisorMachine.toJSON(),
        server: fakeServerMachine.toJSON(),
        models: fakeModelsMachine.toJSON(),
        config: fakeConfigMachine.toJSON(),
      },
    });
  });

  app.use((_req, res) => void res.status(404).json({ detail: 'Not found', code: 'ERR_NOT_FOUND' }));

  let http: Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = app.listen(port, '127.0.0.1', () => {
        port = (s.address() as AddressInfo).port;
        resolve();
      });
      s.once('error', reject);
      http = s;
    });
  const stopListening = async () => {
    const s = http;
    http = null;
    if (!s) return;
    for (const res of openResponses) res.end();
    openResponses.clear();
    inspectClients.clear();
    logClients.clear();
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    s.closeAllConnections();
    await closed;
  };
  await listen();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    appendLog,
    serverValue: () => server.getSnapshot().value,
    pid: () => server.getSnapshot().context.pid,
    defaultModel: () => defaultModel,
    goAway: stopListening,
    comeBack: listen,
    async close() {
      await stopListening();
      for (const actor of actors.values()) actor.stop();
    },
  };
}
