import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SupervisorClient,
  SupervisorHttpError,
  SupervisorUnreachableError,
  type LogEvent,
} from '../../../src/client/supervisor-client.js';
import { closedPort, fakeStatus, startFakeSupervisor, type FakeSupervisor } from '../../support/fake-supervisor.js';

describe('SupervisorClient against a fake supervisor', () => {
  let fake: FakeSupervisor;
  let client: SupervisorClient;

  beforeEach(async () => {
    fake = await startFakeSupervisor();
    client = new SupervisorClient({ baseUrl: fake.url, reconnectDelayMs: 10 });
  });
  afterEach(() => fake.close());

  it('reads health and status', async () => {
    await expect(client.health()).resolves.toEqual({ status: 'ok' });
    const status = await client.status();
    expect(status).toEqual(fake.state.status);
    expect(status.main_server_status).toBe('running');
  });

  it('waits for a lifecycle command to reach its state', async () => {
    fake.holdCommands();
    const pending = client.stopServer();
    await fake.waitForRequest('POST', '/supervisor/server/stop');
    expect((await client.status()).main_server_status).toBe('stopping');
    fake.releaseCommands();
    await expect(pending).resolves.toMatchObject({ success: true, message: 'Server stopped', status: { main_server_status: 'stopped' } });
  });

  it('returns at once with wait: false', async () => {
    fake.holdCommands();
    await expect(client.startServer({ wait: false })).resolves.toMatchObject({ success: true });
    expect(fake.requests.at(-1)?.query.get('wait')).toBe('false');
  });

  it('reports a failed start as SupervisorHttpError with the detail', async () => {
    fake.failNext('POST', '/supervisor/server/start', 500, {
      detail: 'Server start failed: exited with code 1',
      code: 'ERR_START_FAILED',
      status: fakeStatus({ main_server_status: 'crashed', main_server_state: 'crashed.backoff', main_server_healthy: false }),
    });
    await expect(client.startServer()).rejects.toMatchObject({ status: 500, code: 'ERR_START_FAILED', detail: 'Server start failed: exited with code 1' });
  });

  it('gets and updates the config', async () => {
    await expect(client.getConfig()).resolves.toMatchObject({ config: { port: 3333, api_key: '[REDACTED]' } });
    await expect(client.updateConfig({ default_model: 'opus' })).resolves.toMatchObject({ success: true, updated_keys: ['default_model'], server_restarted: true });
    const error = await client.updateConfig({ port: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SupervisorHttpError);
    expect(error).toMatchObject({ status: 403, code: 'ERR_KEY_NOT_EDITABLE' });
  });

  it('lists and refreshes models', async () => {
    expect((await client.models()).models.map((m) => m.id)).toEqual(['claude-opus-4-6', 'claude-sonnet-5', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001']);
    expect(await client.models({ showAll: true })).toMatchObject({ show_all: true, count: 5, current_model_info: { lifecycle: 'deprecated' } });
    expect(await client.refreshModels()).toMatchObject({ source: 'anthropic' });
    expect(await client.refreshModels({ showAll: true })).toMatchObject({ show_all: true });
    expect(fake.requests.at(-1)?.query.get('show_all')).toBe('true');
  });

  it('streams the last lines without following', async () => {
    fake.state.logLines = ['a', 'b', 'c'];
    const lines: string[] = [];
    for await (const event of client.logs({ lines: 2, follow: false })) if (event.kind === 'line') lines.push(event.line);
    expect(lines).toEqual(['b', 'c']);
  });

  it('follows new lines and resumes a dropped stream with Last-Event-ID, without gaps or duplicates', async () => {
    fake.state.logLines = ['one'];
    const seen: LogEvent[] = [];
    const controller = new AbortController();
    let opened = 0;
    const done = (async () => {
      for await (const event of client.logs({ signal: controller.signal, onOpen: () => (opened += 1) })) {
        seen.push(event);
        if (event.kind === 'line' && event.line === 'one') fake.appendLog('two');
        if (event.kind === 'line' && event.line === 'two') {
          fake.dropLogStreams();
          // Appended while no stream is open: must arrive after the reconnection.
          fake.appendLog('three');
        }
        if (event.kind === 'line' && event.line === 'three') break;
      }
    })();
    await done;
    controller.abort();
    expect(seen.map((e) => (e.kind === 'line' ? e.line : e.error))).toEqual(['one', 'two', 'three']);
    const logRequests = fake.requests.filter((r) => r.path === '/supervisor/logs');
    expect(logRequests.map((r) => r.headers['last-event-id'])).toEqual([undefined, String(Buffer.byteLength('one\ntwo\n'))]);
    // Told once per connection: the first, and the one that resumed.
    expect(opened).toBe(2);
  });

  it('says when a followed stream is open before any event arrives', async () => {
    fake.state.logLines = [];
    const controller = new AbortController();
    let resolveOpened!: () => void;
    const opened = new Promise<void>((resolve) => (resolveOpened = resolve));
    const reading = (async () => {
      for await (const _event of client.logs({ lines: 0, signal: controller.signal, onOpen: resolveOpened })) break;
    })().catch(() => undefined);
    await opened;
    controller.abort();
    await reading;
  });

  it('yields the error event of a missing log file', async () => {
    fake.state.logMissing = true;
    const events: LogEvent[] = [];
    for await (const event of client.logs({ follow: false })) events.push(event);
    expect(events).toEqual([{ kind: 'error', id: null, error: 'server.log does not exist yet' }]);
  });

  it('sends the bearer token the supervisor requires', async () => {
    const guarded = await startFakeSupervisor({ token: 's3cret' });
    try {
      await expect(new SupervisorClient({ baseUrl: guarded.url }).status()).rejects.toMatchObject({ status: 401 });
      await expect(SupervisorClient.fromEnvironment({ SUPERVISOR_TOKEN: 's3cret' }, { url: guarded.url }).status()).resolves.toBeDefined();
    } finally {
      await guarded.close();
    }
  });
});

describe('SupervisorClient when nothing answers', () => {
  it('raises SupervisorUnreachableError when nothing listens', async () => {
    const port = await closedPort();
    const error = await new SupervisorClient({ baseUrl: `http://127.0.0.1:${port}` }).status().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SupervisorUnreachableError);
    expect((error as Error).message).toContain('connection refused');
  });

  it('raises SupervisorUnreachableError (timedOut) when the supervisor accepts but never answers', async () => {
    const hanging: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
      const error = await new SupervisorClient({ baseUrl: url, timeoutMs: 50 }).status().catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'SupervisorUnreachableError', timedOut: true });
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });
});
