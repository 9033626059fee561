import { readdirSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import express from 'express';
import { createSseHub, type SseHub, type SseStream } from '../../../src/http/sse.js';
import { listen, type RunningServer } from '../../support/http-server.js';
import { startLogsApp, type LogsApp } from '../../support/logs-app.js';
import { startLogWriter, type LogWriter } from '../../support/log-writer.js';
import { openSse, type SseClient } from '../../support/sse-client.js';
import { waitFor } from '../../support/wait-for.js';

// What this process holds open: file descriptors and libuv handles/requests by type.
function openResources(): { fds: number; resources: string } {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  const resources = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `${type}=${n}`)
    .join(' ');
  return { fds: readdirSync('/proc/self/fd').length, resources };
}

describe('src/http/sse', () => {
  describe('with a push-based producer', () => {
    let hub: SseHub;
    let server: RunningServer;
    const streams: SseStream[] = [];
    const responses: ServerResponse[] = [];
    const clients: SseClient[] = [];

    beforeEach(async () => {
      hub = createSseHub({ heartbeatMs: 60_000, maxBufferedBytes: 256 * 1024, drainTimeoutMs: 60_000 });
      streams.length = 0;
      responses.length = 0;
      const app = express();
      app.get('/events', async (req, res) => {
        responses.push(res);
        streams.push(await hub.open(req, res));
      });
      server = await listen(app);
    });
    afterEach(async () => {
      for (const client of clients.splice(0)) client.close();
      hub.closeAll();
      await server.close();
    });
    const connect = async (headers: Record<string, string> = {}): Promise<SseClient> => {
      const client = await openSse(`${server.url}/events`, headers);
      clients.push(client);
      return client;
    };

    it('keeps framing intact for data with newlines, sends id 0, and sends no id field when none is given', async () => {
      const client = await connect();
      await waitFor('streams.length === 1', () => streams.length === 1);
      const stream = streams[0] as SseStream;
      stream.send({ data: { line: 'two\nlines\r\nand a blank\n\n' }, id: '0' });
      stream.send({ data: { error: 'no id here' } });
      stream.send({ data: 'typed', event: 'snapshot', id: '7' });
      await waitFor('client.events.length === 3', () => client.events.length === 3);
      expect(client.events).toEqual([
        { id: '0', event: undefined, data: JSON.stringify({ line: 'two\nlines\r\nand a blank\n\n' }) },
        { id: undefined, event: undefined, data: JSON.stringify({ error: 'no id here' }) },
        { id: '7', event: 'snapshot', data: '"typed"' },
      ]);
      expect(client.raw).toContain('id: 0\ndata: {"line":"two\\nlines\\r\\nand a blank\\n\\n"}\n\n');
      expect(() => stream.send({ data: 1, id: 'a\nb' })).toThrow(/must not contain/);
    });

    it('serves two clients that connect in the same instant, and reads Last-Event-ID', async () => {
      const [a, b] = await Promise.all([connect(), connect({ 'last-event-id': '42' })]);
      await waitFor('streams.length === 2', () => streams.length === 2);
      expect(streams.map((s) => s.lastEventId).sort()).toEqual(['', '42']);
      for (const stream of streams) stream.send({ data: { n: 1 }, id: '1' });
      await waitFor('a.events.length === 1 && b.events.length === 1', () => a.events.length === 1 && b.events.length === 1);
      expect(hub.size).toBe(2);
    });

    it('closes every open stream at shutdown and tells each onClose why', async () => {
      const a = await connect();
      const b = await connect();
      await waitFor('streams.length === 2', () => streams.length === 2);
      const reasons: string[] = [];
      for (const stream of streams) stream.onClose((reason) => reasons.push(reason));
      expect(hub.closeAll()).toBe(2);
      await waitFor('a.ended && b.ended && hub.size === 0', () => a.ended && b.ended && hub.size === 0);
      expect(reasons).toEqual(['shutdown', 'shutdown']);
      expect(streams.every((s) => s.send({ data: 'late' }) === false)).toBe(true);
    });

    it('drops a client that stops reading once its unsent bytes pass the cap, without buffering more', async () => {
      const client = await connect();
      await waitFor('streams.length === 1', () => streams.length === 1);
      client.pause();
      const stream = streams[0] as SseStream;
      const reasons: string[] = [];
      stream.onClose((reason) => reasons.push(reason));
      let maxBuffered = 0;
      const payload = 'x'.repeat(8 * 1024);
      // A producer that ignores send()'s false: 64 MiB offered, the cap must stop it long before.
      for (let i = 0; i < 8 * 1024 && !stream.closed; i += 1) {
        stream.send({ data: payload, id: String(i) });
        maxBuffered = Math.max(maxBuffered, responses[0]?.writableLength ?? 0);
        if (i % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await waitFor('slow client dropped', () => hub.size === 0, { timeoutMs: 5_000 });
      expect(reasons).toEqual(['slow']);
      expect(hub.dropped).toBe(1);
      expect(maxBuffered).toBeLessThanOrEqual(256 * 1024 + payload.length + 100);
    });
  });

  it('keeps the hub’s setting for an option given as undefined', async () => {
    const hub = createSseHub({ retryMs: 1234 });
    const app = express();
    app.get('/events', async (req, res) => {
      await hub.open(req, res, { retryMs: undefined, heartbeatMs: undefined });
    });
    const server = await listen(app);
    const client = await openSse(`${server.url}/events`);
    try {
      await waitFor('the retry field', () => client.raw.includes('retry:'));
      expect(client.raw).toMatch(/^retry: ?1234\n/);
    } finally {
      client.close();
      hub.closeAll();
      await server.close();
    }
  });

  describe('with the logs route', () => {
    let app: LogsApp;
    let writer: LogWriter;

    afterEach(async () => {
      await writer.stop();
      await app.dispose();
    });

    it('leaves no file handle, watcher, timer or socket behind after 50 clients connect and disconnect', async () => {
      app = await startLogsApp({ heartbeatMs: 1_000 });
      writer = startLogWriter(app.logPath);
      await writer.burst(20);
      // Warm up once so lazily created process-wide handles (inotify, the agent) are in the baseline.
      const warm = await openSse(app.logsUrl('lines=10'));
      await waitFor('warm.events.length === 10', () => warm.events.length === 10);
      warm.close();
      // A closed watcher leaves the handle list on the next loop turn: wait for that before taking the baseline.
      await waitFor('the warm-up stream closed and its watcher gone', () => app.hub.size === 0 && !process.getActiveResourcesInfo().includes('FSEventWrap'));
      const baseline = openResources();

      const clients = await Promise.all(Array.from({ length: 50 }, () => openSse(app.logsUrl('lines=10'))));
      await waitFor('50 backfills', () => clients.every((c) => c.events.length === 10), { timeoutMs: 10_000 });
      await writer.write('one more line\n');
      await waitFor('live line to all 50', () => clients.every((c) => c.events.length === 11), { timeoutMs: 10_000 });
      expect(app.hub.size).toBe(50);
      expect(openResources().fds).toBeGreaterThan(baseline.fds + 50); // the sockets are really open
      for (const client of clients) client.close();

      await waitFor('all streams closed', () => app.hub.size === 0, { timeoutMs: 10_000 });
      await waitFor(`fds back to ${baseline.fds}`, () => openResources().fds === baseline.fds, { timeoutMs: 10_000 });
      await waitFor('handles back to baseline', () => openResources().resources === baseline.resources, { timeoutMs: 10_000 }).catch(() => {
        expect(openResources().resources).toBe(baseline.resources);
      });
    });

    it('ends following clients at shutdown (hub.closeAll) and releases their followers', async () => {
      app = await startLogsApp();
      writer = startLogWriter(app.logPath);
      await writer.burst(3);
      const clients = await Promise.all([1, 2, 3].map(() => openSse(app.logsUrl('lines=1'))));
      await waitFor('clients.every((c) => c.events.length === 1)', () => clients.every((c) => c.events.length === 1));
      expect(app.hub.closeAll()).toBe(3);
      await waitFor('clients see the end', () => clients.every((c) => c.ended), { timeoutMs: 5_000 });
      await waitFor('watchers released', () => app.hub.size === 0 && !process.getActiveResourcesInfo().includes('FSEventWrap'), { timeoutMs: 5_000 });
    });

    it('drops a follower whose socket is paused once it stops draining, with a bounded send buffer', async () => {
      app = await startLogsApp({ drainTimeoutMs: 300, maxBufferedBytes: 1024 * 1024 });
      writer = startLogWriter(app.logPath);
      const client = await openSse(app.logsUrl('lines=0'));
      await waitFor('app.hub.size === 1', () => app.hub.size === 1);
      client.pause();
      const before = process.memoryUsage();
      let maxBuffered = 0;
      let maxExternal = 0;
      const sample = (): void => {
        for (const res of app.responses) maxBuffered = Math.max(maxBuffered, res.writableLength);
        const now = process.memoryUsage();
        maxExternal = Math.max(maxExternal, now.external + now.arrayBuffers - before.external - before.arrayBuffers);
      };
      // 40 MB of log: far more than socket buffers hold, so the server must stop sending.
      const writing = writer.burst(200_000, 'flood', 190);
      await waitFor('slow follower dropped', () => (sample(), app.hub.dropped === 1), { timeoutMs: 20_000 });
      await writing;
      sample();
      expect(app.hub.size).toBe(0);
      expect(maxBuffered).toBeLessThanOrEqual(1024 * 1024);
      expect(maxExternal).toBeLessThan(32 * 1024 * 1024);
      client.close();
    });
  });
});
