import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { probeHealth } from '../../../src/lifecycle/health-probe.js';
import { freePort } from '../../support/free-port.js';

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
