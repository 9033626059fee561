import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createLogRotator } from '../../../src/logs/log-rotator.js';
import { MAX_LINE_BYTES } from '../../../src/logs/line-splitter.js';
import { startLogsApp, type LogsApp } from '../../support/logs-app.js';
import { startLogWriter, type LogWriter } from '../../support/log-writer.js';
import { filler, leakedFragments, plantedSecret, type PlantedSecret } from '../../support/secret-forms.js';
import { openSse, type SseClient } from '../../support/sse-client.js';
import { waitFor } from '../../support/wait-for.js';

type LineEvent = { line: string };

// A line far longer than one 64 KiB piece, placed so that the first piece cut falls `into` bytes into the secret's
// form (modulo its length): through the secret, its name, or just before it.
function longLineWith(planted: PlantedSecret, seed: number, into: number): string {
  const formBytes = Buffer.byteLength(planted.form);
  const head = prefixOfBytes(filler(seed, MAX_LINE_BYTES + 1000), MAX_LINE_BYTES - 1 - (into % (formBytes + 1)));
  return `${head} ${planted.form} ${filler(seed + 1, 30_000)}`;
}

// The longest prefix of `text` that is at most `bytes` long in UTF-8, ending between characters.
function prefixOfBytes(text: string, bytes: number): string {
  const buffer = Buffer.from(text);
  let cut = Math.max(0, Math.min(bytes, buffer.length));
  while (cut > 0 && ((buffer[cut] ?? 0) & 0xc0) === 0x80) cut -= 1;
  return buffer.subarray(0, cut).toString();
}

// Splits text at the given fractions (sorted, as per-mille of its length), between characters.
function splitAt(text: string, perMille: readonly number[]): string[] {
  const cuts = [...new Set(perMille.map((p) => Math.floor((text.length * p) / 1000)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let at = 0;
  for (let cut of cuts) {
    const code = text.charCodeAt(cut);
    if (code >= 0xdc00 && code <= 0xdfff) cut -= 1; // not inside a surrogate pair
    if (cut <= at) continue;
    parts.push(text.slice(at, cut));
    at = cut;
  }
  parts.push(text.slice(at));
  return parts;
}

const runShape = fc.record({
  planted: plantedSecret,
  seed: fc.integer(),
  into: fc.nat(),
  writes: fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 4 }),
});
// Few runs per property: each writes a real file through a real child process and reads it over real HTTP.
const RUNS = 6;

describe('GET /supervisor/logs redaction of long and unfinished lines', () => {
  let app: LogsApp;
  let dir: string;
  let logPath = '';
  const clients: SseClient[] = [];
  const writers: LogWriter[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'logs-redaction-'));
    // One app for all runs; each run writes its own log file.
    app = await startLogsApp({ logPath: () => logPath });
  });
  afterAll(async () => {
    await app.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const writer of writers.splice(0)) await writer.stop();
  });

  let runs = 0;
  // A fresh server.log with a writer process on it and the run's configured secrets in force.
  function freshLog(planted: PlantedSecret): LogWriter {
    runs += 1;
    logPath = join(dir, `run-${runs}`, 'server.log');
    mkdirSync(join(dir, `run-${runs}`));
    app.secrets.splice(0, app.secrets.length, ...planted.configured);
    const writer = startLogWriter(logPath);
    writers.push(writer);
    return writer;
  }

  const open = async (query: string, headers: Record<string, string> = {}): Promise<SseClient> => {
    const client = await openSse(app.logsUrl(query), headers);
    clients.push(client);
    return client;
  };

  // What a client saw: the raw bytes and the decoded lines, both checked.
  function leaks(client: SseClient, planted: PlantedSecret, written: string): string[] {
    const innocent = written.split(planted.secret).join('\n');
    const lines = client.json<LineEvent>().map((e) => e.line ?? '').join('\n');
    return [...new Set([...leakedFragments(client.raw, planted.secret, innocent), ...leakedFragments(lines, planted.secret, innocent)])];
  }

  it('sends no fragment of a secret in a line longer than 64 KiB, or in an unfinished last line (follow=false)', async () => {
    await fc.assert(
      fc.asyncProperty(runShape, async ({ planted, seed, into, writes }) => {
        const writer = freshLog(planted);
        const line = longLineWith(planted, seed, into);
        // The last line is unfinished: the server has written part of a line with the secret in it.
        const unfinished = `${filler(seed + 2, 40)} ${planted.form}`.slice(0, 40 + 1 + Math.floor((planted.form.length * (writes[0] ?? 500)) / 1000));
        const written = `first line\n${line}\n${unfinished}`;
        for (const part of splitAt(written, writes)) await writer.write(part);
        const client = await open('lines=10&follow=false');
        await waitFor('the one-shot read to end', () => client.ended, { timeoutMs: 10_000 });
        expect(Number(client.lastEventId)).toBe(statSync(logPath).size);
        expect(client.events.length).toBeGreaterThanOrEqual(4); // first line, two or more pieces, the unfinished line
        expect(leaks(client, planted, written)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('sends no fragment of a secret to a live follower, however the server writes the line', async () => {
    await fc.assert(
      fc.asyncProperty(runShape, async ({ planted, seed, into, writes }) => {
        const writer = freshLog(planted);
        await writer.write('before\n');
        const client = await open('lines=1');
        await waitFor('the backfill', () => client.events.length === 1);
        const line = longLineWith(planted, seed, into);
        const parts = splitAt(`${line}\n`, writes);
        for (const part of parts) await writer.write(part);
        const size = statSync(logPath).size;
        await waitFor('the whole line', () => Number(client.lastEventId) === size, { timeoutMs: 10_000 });
        expect(leaks(client, planted, readFileSync(logPath, 'utf8'))).toEqual([]);
        // An unfinished line is held back while following: nothing of it goes out until its newline comes.
        await writer.write(`${planted.form.slice(0, Math.ceil(planted.form.length / 2))}`);
        await writer.write(`${planted.form.slice(Math.ceil(planted.form.length / 2))} done\n`);
        await waitFor('the completed line', () => Number(client.lastEventId) === statSync(logPath).size, { timeoutMs: 10_000 });
        expect(leaks(client, planted, readFileSync(logPath, 'utf8'))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('sends no fragment of a secret after a resume inside a long line (Last-Event-ID of a piece)', async () => {
    await fc.assert(
      fc.asyncProperty(runShape, async ({ planted, seed, into }) => {
        const writer = freshLog(planted);
        await writer.write(`${longLineWith(planted, seed, into)}\nafter\n`);
        const first = await open('lines=5&follow=false');
        await waitFor('first.ended', () => first.ended);
        // The first piece ends inside the long line (64 KiB, or a little less so as not to cut a character): resume
        // right after it.
        const pieceId = first.events[0]?.id ?? '';
        expect(Number(pieceId)).toBeGreaterThan(MAX_LINE_BYTES - 4);
        expect(Number(pieceId)).toBeLessThanOrEqual(MAX_LINE_BYTES);
        const resumed = await open('lines=5&follow=false', { 'last-event-id': pieceId });
        await waitFor('resumed.ended', () => resumed.ended);
        expect(Number(resumed.events[0]?.id)).toBeGreaterThan(Number(pieceId));
        expect(resumed.lastEventId).toBe(first.lastEventId);
        expect(leaks(resumed, planted, readFileSync(logPath, 'utf8'))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('sends no fragment of a secret in a line split across server.log.1 and server.log by a rotation', async () => {
    await fc.assert(
      fc.asyncProperty(runShape, async ({ planted, seed, into, writes }) => {
        const writer = freshLog(planted);
        const rotator = createLogRotator(() => ({ logPath, maxBytes: 1, backups: 2 }));
        await writer.write('before\n');
        const follower = await open('lines=1');
        await waitFor('the backfill', () => follower.events.length === 1);
        const line = `${longLineWith(planted, seed, into)}\n`;
        // Rotate in the middle of the line (at the first split point, or inside the secret's form).
        const [part1, ...rest] = splitAt(line, writes.length > 0 ? writes : [500]);
        await writer.write(part1 ?? '');
        expect(await rotator.rotate()).not.toBeNull();
        for (const part of rest) await writer.write(part);
        const written = readFileSync(`${logPath}.1`, 'utf8') + readFileSync(logPath, 'utf8');
        const end = Buffer.byteLength(written);
        await waitFor('the whole line through the rotation', () => Number(follower.lastEventId) === end, { timeoutMs: 10_000 });
        expect(leaks(follower, planted, written)).toEqual([]);

        const once = await open('lines=3&follow=false');
        await waitFor('once.ended', () => once.ended);
        expect(Number(once.lastEventId)).toBe(end);
        expect(leaks(once, planted, written)).toEqual([]);
        const resumed = await open('lines=3&follow=false', { 'last-event-id': once.events[1]?.id ?? '' });
        await waitFor('resumed.ended', () => resumed.ended);
        expect(leaks(resumed, planted, written)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
