// The test helpers hold what they receive to docs/openapi.yaml: an off-contract answer rejects request(), and an
// off-contract stream event or fake-supervisor answer is noted for contract-setup.ts to fail the test with. Here the
// notes are taken (and so cleared) by the test itself, which shows they were made.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SupervisorClient } from '../../../src/client/supervisor-client.js';
import { takeViolations } from '../../support/contract.js';
import { startFakeSupervisor } from '../../support/fake-supervisor.js';
import { request } from '../../support/http.js';
import { openSse } from '../../support/sse-client.js';
import { waitFor } from '../../support/wait-for.js';

// A server that answers every path with the given body and type: a supervisor whose code drifted from the document.
async function drifted(contentType: string, body: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': contentType });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the contract check in the test helpers', () => {
  afterEach(() => {
    takeViolations();
  });

  it('rejects request() on an answer the document does not allow, naming path, status and the problem', async () => {
    const { url, server } = await drifted('application/json', JSON.stringify({ status: 'ok', uptime: 3 }));
    try {
      await expect(request(`${url}/supervisor/health`)).rejects.toThrow(
        "GET /supervisor/health answered 200 with a body that does not match docs/openapi.yaml at paths['/supervisor/health'].get.responses['200']: (body) must NOT have unevaluated properties (\"uptime\")",
      );
      expect(takeViolations()).toHaveLength(1);
      // Paths outside the supervisor API are not judged.
      expect((await request(`${url}/api/health`)).json).toEqual({ status: 'ok', uptime: 3 });
      expect(takeViolations()).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('notes a stream event the document does not allow', async () => {
    const { url, server } = await drifted('text/event-stream', 'id: 3\ndata: {"line":"ok"}\n\ndata: {"text":"drifted"}\n\n');
    try {
      const sse = await openSse(`${url}/supervisor/logs`);
      await waitFor('both events', () => sse.events.length === 2);
      sse.close();
      expect(takeViolations()).toEqual([expect.stringContaining('GET /supervisor/logs sent a "message" event whose data does not match docs/openapi.yaml')]);
    } finally {
      server.close();
    }
  });

  it('notes an answer of the fake supervisor the document does not allow', async () => {
    const fake = await startFakeSupervisor();
    try {
      fake.failNext('POST', '/supervisor/server/start', 500, { detail: 'Server start failed', code: 'ERR_START_FAILED' });
      await new SupervisorClient({ baseUrl: fake.url }).startServer().catch(() => undefined);
      expect(takeViolations()).toEqual([expect.stringContaining("POST /supervisor/server/start answered 500 with a body that does not match")]);
    } finally {
      await fake.close();
    }
  });
});
