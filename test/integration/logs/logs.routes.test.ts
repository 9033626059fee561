import { readFileSync, renameSync, rmSync, truncateSync } from 'node:fs';
import { createLogRotator } from '../../../src/logs/log-rotator.js';
import { startLogsApp, type LogsApp } from '../../support/logs-app.js';
import { startLogWriter, type LogWriter } from '../../support/log-writer.js';
import { openSse, type SseClient } from '../../support/sse-client.js';
import { waitFor } from '../../support/wait-for.js';

type LineEvent = { line: string };

// The lines of a file with the byte offset after each, computed independently of the code under test.
function linesWithOffsets(text: string, base = 0): { line: string; end: number }[] {
  const out: { line: string; end: number }[] = [];
  let offset = base;
  for (const piece of text.split(/(?<=\n)/)) {
    if (!piece.endsWith('\n')) break;
    offset += Buffer.byteLength(piece);
    out.push({ line: piece.slice(0, -1), end: offset });
  }
  return out;
}

function received(client: SseClient): { line: string; end: number }[] {
  return client.events.map((e) => ({ line: (JSON.parse(e.data) as LineEvent).line, end: Number(e.id) }));
}

describe('GET /supervisor/logs', () => {
  let app: LogsApp;
  let writer: LogWriter;
  const clients: SseClient[] = [];
  const open = async (query: string, headers: Record<string, string> = {}): Promise<SseClient> => {
    const client = await openSse(app.logsUrl(query), headers);
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    app = await startLogsApp();
    writer = startLogWriter(app.logPath);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await writer.stop();
    await app.dispose();
  });

  describe('backfill', () => {
    it('sends exactly the last N lines, in order, each with the byte offset after it, then ends (follow=false)', async () => {
      await writer.burst(200, 'line', 1500); // ~300 KB: the backward scan crosses several 64 KiB chunks
      const client = await open('lines=50&follow=false');
      await waitFor('stream end', () => client.ended, { timeoutMs: 5_000 });
      const expected = linesWithOffsets(readFileSync(app.logPath, 'utf8')).slice(-50);
      expect(received(client)).toEqual(expected);
      expect(expected[0]?.line).toMatch(/^line 150 /);
    });

    it('defaults to 50 lines, sends every line when the file has fewer, and nothing for lines=0', async () => {
      await writer.burst(120);
      const byDefault = await open('follow=false');
      await waitFor('byDefault.ended', () => byDefault.ended);
      expect(byDefault.json<LineEvent>().map((e) => e.line)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${70 + i}`));

      const many = await open('lines=10000&follow=false');
      await waitFor('many.ended', () => many.ended);
      expect(many.events).toHaveLength(120);

      const none = await open('lines=0&follow=false');
      await waitFor('none.ended', () => none.ended);
      expect(none.events).toHaveLength(0);
    });

    it('includes an unfinished last line in a one-shot read, but holds it back when following until its newline comes', async () => {
      await writer.write('one\ntwo\nhalf a li');
      const once = await open('lines=2&follow=false');
      await waitFor('once.ended', () => once.ended);
      expect(once.json<LineEvent>().map((e) => e.line)).toEqual(['two', 'half a li']);

      const following = await open('lines=2');
      await waitFor('following.events.length === 2', () => following.events.length === 2);
      expect(following.json<LineEvent>().map((e) => e.line)).toEqual(['one', 'two']);
      await writer.write('ne\n');
      await waitFor('following.events.length === 3', () => following.events.length === 3);
      expect(following.json<LineEvent>()[2]).toEqual({ line: 'half a line' });
      expect(Number(following.events[2]?.id)).toBe(readFileSync(app.logPath).length);
    });
  });

  describe('following', () => {
    it('delivers a line appended by the server process to a following client, with stdout and stderr both in the file', async () => {
      await writer.burst(10);
      const client = await open('lines=3');
      await waitFor('client.events.length === 3', () => client.events.length === 3);
      await writer.write('hello from stdout\n');
      await writer.write('hello from stderr\n', 2);
      await waitFor('client.events.length === 5', () => client.events.length === 5);
      expect(received(client).slice(3)).toEqual(linesWithOffsets(readFileSync(app.logPath, 'utf8')).slice(-2));
    });

    it('resumes after a reconnect with Last-Event-ID with no gap and no duplicate', async () => {
      await writer.burst(20, 'before');
      const first = await open('lines=5');
      await waitFor('first.events.length === 5', () => first.events.length === 5);
      await writer.burst(3, 'seen');
      await waitFor('first.events.length === 8', () => first.events.length === 8);
      first.close();
      await waitFor('server noticed the disconnect', () => app.hub.size === 0, { timeoutMs: 5_000 });
      await writer.burst(7, 'missed');

      const second = await open('lines=50', { 'last-event-id': first.lastEventId ?? '' });
      await waitFor('second.events.length === 7', () => second.events.length === 7);
      await writer.write('live after resume\n');
      await waitFor('second.events.length === 8', () => second.events.length === 8);
      const all = linesWithOffsets(readFileSync(app.logPath, 'utf8'));
      expect([...received(first), ...received(second)]).toEqual(all.slice(-16));
    });

    it('follows a rotation (copy-truncate into server.log.1) without losing or repeating a line, and resumes across it', async () => {
      const rotator = createLogRotator(() => ({ logPath: app.logPath, maxBytes: 1, backups: 3 }));
      await writer.burst(30, 'gen1');
      const follower = await open('lines=5');
      await waitFor('follower.events.length === 5', () => follower.events.length === 5);
      const idle = await open('lines=2');
      await waitFor('idle.events.length === 2', () => idle.events.length === 2);
      idle.close();

      await writer.burst(10, 'gen1-late');
      const before = readFileSync(app.logPath, 'utf8');
      expect(await rotator.rotate()).toEqual({ bytes: Buffer.byteLength(before), base: Buffer.byteLength(before) });
      expect(readFileSync(`${app.logPath}.1`, 'utf8')).toBe(before);
      await writer.burst(10, 'gen2');
      await waitFor('all lines through the rotation', () => follower.events.length === 25, { timeoutMs: 5_000 });

      const stream = linesWithOffsets(before + readFileSync(app.logPath, 'utf8'));
      expect(received(follower)).toEqual(stream.slice(-25));
      // Offsets keep growing across the rotation, so a Last-Event-ID from before it still names the same line.
      const resumed = await open('lines=50', { 'last-event-id': idle.lastEventId ?? '' });
      await waitFor('resumed.events.length === 20', () => resumed.events.length === 20);
      expect(received(resumed)).toEqual(stream.slice(-20));
    });

    it('follows an outside rename rotation (inode change): drains the renamed file, then reads the new one', async () => {
      await writer.burst(5, 'old');
      const client = await open('lines=5');
      await waitFor('client.events.length === 5', () => client.events.length === 5);
      renameSync(app.logPath, `${app.logPath}.1`);
      await writer.write('late line into the renamed file\n'); // the old fd still points at it
      await waitFor('client.events.length === 6', () => client.events.length === 6);
      const fresh = startLogWriter(app.logPath);
      try {
        await fresh.write('first line of the new file\n');
        await waitFor('client.events.length === 7', () => client.events.length === 7);
      } finally {
        await fresh.stop();
      }
      expect(client.json<LineEvent>().slice(4).map((e) => e.line)).toEqual([
        'old 4',
        'late line into the renamed file',
        'first line of the new file',
      ]);
    });

    it('drains a renamed file even when an outside rotation also deleted the backup its offsets were based on', async () => {
      // Our rotation first, so offsets rest on server.log.1 and server.log.offset; then a logrotate-style "rotate 1":
      // server.log.1 deleted, server.log renamed to server.log.1, a new server.log created.
      await writer.burst(40, 'gen1', 100);
      await createLogRotator(() => ({ logPath: app.logPath, maxBytes: 1, backups: 3 })).rotate();
      await writer.burst(3, 'gen2');
      const client = await open('lines=2');
      await waitFor('client.events.length === 2', () => client.events.length === 2);
      rmSync(`${app.logPath}.1`);
      renameSync(app.logPath, `${app.logPath}.1`);
      await writer.write('late line into the renamed file\n');
      const fresh = startLogWriter(app.logPath);
      try {
        await fresh.write('first line of the new file\n');
        await waitFor('client.events.length === 4', () => client.events.length === 4);
      } finally {
        await fresh.stop();
      }
      expect(client.json<LineEvent>().map((e) => e.line)).toEqual([
        'gen2 1',
        'gen2 2',
        'late line into the renamed file',
        'first line of the new file',
      ]);
    });

    it('follows a truncation: lines written after it arrive from the start of the file, once', async () => {
      await writer.burst(10, 'before');
      const client = await open('lines=2');
      await waitFor('client.events.length === 2', () => client.events.length === 2);
      truncateSync(app.logPath, 0);
      await writer.write('after truncation 1\nafter truncation 2\n');
      await waitFor('client.events.length === 4', () => client.events.length === 4);
      expect(client.json<LineEvent>().map((e) => e.line)).toEqual(['before 8', 'before 9', 'after truncation 1', 'after truncation 2']);
      await writer.write('after truncation 3\n');
      await waitFor('client.events.length === 5', () => client.events.length === 5);
      expect(client.json<LineEvent>()[4]).toEqual({ line: 'after truncation 3' });
    });

    it('sends one error event for a missing log file, then the lines once the server creates it', async () => {
      const missing = `${app.dir}/absent/server.log`;
      const local = await startLogsAppFor(missing);
      try {
        const once = await openSse(local.logsUrl('follow=false'));
        await waitFor('once.ended', () => once.ended);
        expect(once.json<{ error: string }>()).toEqual([{ error: expect.stringContaining('Log file not found') }]);

        const client = await openSse(local.logsUrl());
        clients.push(client);
        await waitFor('client.events.length === 1', () => client.events.length === 1);
        await import('node:fs').then((fs) => fs.mkdirSync(`${app.dir}/absent`));
        const late = startLogWriter(missing);
        try {
          await late.write('first words\n');
          await waitFor('client.events.length === 2', () => client.events.length === 2);
        } finally {
          await late.stop();
        }
        expect(client.json()).toEqual([{ error: expect.any(String) }, { line: 'first words' }]);
      } finally {
        await local.dispose();
      }
    });
  });

  describe('redaction', () => {
    it('redacts token shapes, NAME=value secrets and configured credentials in every streamed line', async () => {
      const apiKey = 'sk-ant-api03-Zq3xL9_vB2-kT7mW4pR8sN1yH6dF0gJ5cA2eU9iO3lK7bV4nM1xQ8zT6wS5rP0yE2uI9oA3dG7fH1jK4lZ8xC6vB-AA';
      const oauth = 'sk-ant-oat01-9fJ2kL4mN6pQ8rS0tU2vW4xY6zA8bC0dE2fG4hI6jK8lM0nO2pQ4rS6tU8vW0xY2zA4bC6dE8fG0hI2jK4lM6nO-BB';
      const paraToken = 'para_8f3K2mQ9xL4vN7bR1tY6wZ0cD5gH';
      const configured = 'hunter2-correct-horse-battery';
      app.secrets.push(configured);
      await writer.write(
        [
          `ANTHROPIC_API_KEY=${apiKey} starting`,
          `{"claude_code_oauth_token": "${oauth}", "port": 3333}`,
          `GET /api/health Authorization: Bearer ${paraToken}`,
          `db password is ${configured}, keep it safe`,
          `SUPERVISOR_TOKEN=abc123def456 SESSION_SECRET=s3cr3t CACHE_KEY: k-999`,
          'nothing secret here: port=3333 model=claude-sonnet-4-5',
        ].join('\n') + '\n',
      );
      const client = await open('lines=10&follow=false');
      await waitFor('client.ended', () => client.ended);
      for (const secret of [apiKey, oauth, paraToken, configured, 'abc123def456', 's3cr3t', 'k-999', 'api03', 'oat01']) {
        expect(client.raw).not.toContain(secret);
      }
      expect(client.json<LineEvent>().map((e) => e.line)).toEqual([
        'ANTHROPIC_API_KEY=[REDACTED] starting',
        '{"claude_code_oauth_token": [REDACTED], "port": 3333}',
        'GET /api/health Authorization: Bearer [REDACTED]',
        'db password is [REDACTED], keep it safe',
        'SUPERVISOR_TOKEN=[REDACTED] SESSION_SECRET=[REDACTED] CACHE_KEY: [REDACTED]',
        'nothing secret here: port=3333 model=claude-sonnet-4-5',
      ]);
    });
  });

  describe('protocol', () => {
    it('answers an invalid lines or follow with 400 {detail, code} and no stream', async () => {
      for (const query of ['lines=abc', 'lines=-1', 'lines=10001', 'lines=1.5', 'lines=5&lines=6', 'follow=maybe']) {
        const res = await fetch(app.logsUrl(query));
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toMatch(/application\/json/);
        const body = (await res.json()) as { detail: string; code: string };
        expect(body.code).toBe('ERR_INVALID_VALUE');
        expect(body.detail).toMatch(/lines|follow/);
      }
      expect(app.hub.size).toBe(0);
    });

    it('sends event-stream headers, a retry hint, and a ": ping" comment every heartbeat interval', async () => {
      const local = await startLogsAppFor(app.logPath, { heartbeatMs: 40 });
      try {
        const client = await openSse(local.logsUrl('lines=0'));
        clients.push(client);
        expect(client.status).toBe(200);
        expect(client.headers['content-type']).toMatch(/^text\/event-stream/);
        expect(client.headers['cache-control']).toMatch(/no-cache/);
        await waitFor('two heartbeats', () => client.comments.filter((c) => c === 'ping').length >= 2, { timeoutMs: 5_000 });
        expect(client.raw).toMatch(/^retry:\d+\n\n/);
        expect(client.raw).toContain('\n: ping\n\n');
      } finally {
        await local.dispose();
      }
    });
  });
});

async function startLogsAppFor(logPath: string, overrides: Record<string, unknown> = {}): Promise<LogsApp> {
  return startLogsApp({ logPath: () => logPath, ...overrides });
}
