import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createActor, createMachine } from 'xstate';
import type { ServerLifecycleEvent } from '../../../machines/server-lifecycle.types.js';
import { probeHealth } from '../../../src/lifecycle/health-probe.js';
import { livenessProbeLogic } from '../../../src/lifecycle/probes.logic.js';
import { freePort } from '../../support/free-port.js';
import { waitFor } from '../../support/wait-for.js';

describe('probeHealth against a real HTTP server', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  async function serve(handler: RequestListener): Promise<number> {
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  it('is healthy on 2xx and takes the version from a JSON body, asking the configured path', async () => {
    const paths: string[] = [];
    const port = await serve((req, res) => {
      paths.push(String(req.url));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', version: '4.2.0' }));
    });
    expect(await probeHealth(port, '/api/health', 1_000)).toEqual({ ok: true, version: '4.2.0' });
    expect(paths).toEqual(['/api/health']);
  });

  it('is healthy without a version when a 2xx body is not JSON or names none', async () => {
    let body = 'OK';
    const port = await serve((_req, res) => res.writeHead(200).end(body));
    expect(await probeHealth(port, '/h', 1_000)).toEqual({ ok: true, version: null });
    body = JSON.stringify({ version: { major: 1 } });
    expect(await probeHealth(port, '/h', 1_000)).toEqual({ ok: true, version: null });
  });

  it('is unhealthy on a non-2xx answer, naming the status', async () => {
    const port = await serve((_req, res) => res.writeHead(503).end('{"version":"1"}'));
    expect(await probeHealth(port, '/api/health', 1_000)).toEqual({ ok: false, message: 'health answered HTTP 503' });
  });

  it('is unhealthy when nothing listens, naming the socket error', async () => {
    expect(await probeHealth(await freePort(), '/api/health', 1_000)).toEqual({ ok: false, message: 'health check failed: ECONNREFUSED' });
  });

  it('gives up at the timeout on a server that accepts and never answers, or never ends its body', async () => {
    const port = await serve((req, res) => {
      if (req.url === '/drip') res.writeHead(200).write('{"version":');
    });
    for (const path of ['/silent', '/drip']) {
      const started = Date.now();
      expect(await probeHealth(port, path, 300)).toEqual({ ok: false, message: 'health check timed out' });
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(290);
      expect(took).toBeLessThan(2_000);
    }
  });

  it('reads at most 64 KiB of a huge body and still answers healthy', async () => {
    const port = await serve((_req, res) => res.writeHead(200).end('x'.repeat(5 * 1024 * 1024)));
    expect(await probeHealth(port, '/api/health', 5_000)).toEqual({ ok: true, version: null });
  });
});

describe('the liveness probe against a port nothing listens on', () => {
  it('reports every failure while the server process lives, and none once it is gone (its exit will say why)', async () => {
    const port = await freePort();
    let alive = false;
    let asked = 0;
    const logic = livenessProbeLogic({
      readinessIntervalMs: 10,
      health: () => ({ intervalMs: 10, timeoutMs: 500 }),
      now: Date.now,
      isAlive: () => {
        asked += 1;
        return alive;
      },
    });
    // The probe's events, as the lifecycle machine (its parent) receives them.
    const events: ServerLifecycleEvent[] = [];
    const parent = createMachine({
      invoke: { src: logic, input: { host: '127.0.0.1', port, healthPath: '/api/health', pid: 4242 } },
      on: { '*': { actions: ({ event }) => events.push(event as ServerLifecycleEvent) } },
    });
    const actor = createActor(parent).start();
    try {
      await waitFor('three failed probes of a dead server', () => asked >= 3 || undefined);
      expect(events).toEqual([]);
      alive = true;
      const failed = await waitFor('a health.failed once the server lives', () => events.find((e) => e.type === 'health.failed'));
      expect(failed).toMatchObject({ type: 'health.failed', message: 'health check failed: ECONNREFUSED' });
    } finally {
      actor.stop();
    }
  });
});
