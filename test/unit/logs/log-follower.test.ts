import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { LogLine } from '../../../src/logs/line-splitter.js';
import { LogFollower } from '../../../src/logs/log-follower.js';
import { readLayout, writeBase } from '../../../src/logs/log-layout.js';
import { findTailStart } from '../../../src/logs/log-tail.js';
import { REDACTED } from '../../../src/redact/redact-line.js';
import { createSecretScanner } from '../../../src/redact/secret-patterns.js';
import { filler, leakedFragments, plantedSecret } from '../../support/secret-forms.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// The log as one stream of bytes, split at `rotatedAt` into server.log.1 and server.log as our rotation leaves it.
function writeLog(bytes: Buffer, rotatedAt: number | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'follower-'));
  dirs.push(dir);
  const logPath = join(dir, 'server.log');
  if (rotatedAt === null) {
    writeFileSync(logPath, bytes);
  } else {
    writeFileSync(`${logPath}.1`, bytes.subarray(0, rotatedAt));
    writeFileSync(logPath, bytes.subarray(rotatedAt));
    writeBase(logPath, rotatedAt);
  }
  return logPath;
}

interface Reading {
  from: number;
  chunkBytes: number;
  maxLineBytes: number;
  secrets?: readonly string[];
}

// A one-shot read (follow=false) from `from` to the end of the log, as the logs route does it.
async function readOnce(logPath: string, reading: Reading): Promise<LogLine[]> {
  const layout = readLayout(logPath);
  const end = layout.live?.end ?? layout.base;
  const scanner = createSecretScanner(reading.secrets ?? []);
  const follower = new LogFollower({ ...reading, logPath, until: end, scanner: () => scanner });
  const lines: LogLine[] = [];
  for await (const batch of follower.batches()) lines.push(...batch);
  return lines;
}

describe('LogFollower redaction', () => {
  it('redacts a secret that a piece cut of a long line runs through, each piece keeping its byte offset', async () => {
    const line = 'a'.repeat(99) + ' ANTHROPIC_API_KEY=sk-ant-api03-' + 'K'.repeat(200) + ' end';
    const logPath = writeLog(Buffer.from(`${line}\n`), null);
    const lines = await readOnce(logPath, { from: 0, chunkBytes: 7, maxLineBytes: 120 });
    expect(lines.map((l) => l.end)).toEqual([120, 240, line.length + 1]);
    expect(lines.map((l) => l.text)).toEqual(['a'.repeat(99) + ` ANTHROPIC_API_KEY=${REDACTED}`, REDACTED, `${REDACTED} end`]);
  });

  it('redacts what follows a resume point inside a line using the line before it', async () => {
    const line = 'x'.repeat(200) + ' password=' + 'hunter2-'.repeat(40) + ' done';
    const logPath = writeLog(Buffer.from(`${line}\n`), null);
    const resumeAt = line.indexOf('hunter2-') + 4;
    const lines = await readOnce(logPath, { from: resumeAt, chunkBytes: 64, maxLineBytes: 100 });
    expect(lines.map((l) => l.text).join('')).not.toContain('ter2-');
    expect(lines.at(-1)?.end).toBe(line.length + 1);
  });

  it('redacts an unfinished last line with the secret it has begun (follow=false)', async () => {
    const logPath = writeLog(Buffer.from('done\nconnecting with Authorization: Bearer eyJhbGciOi'), null);
    const lines = await readOnce(logPath, { from: 0, chunkBytes: 10, maxLineBytes: 64 * 1024, secrets: [] });
    expect(lines.map((l) => l.text)).toEqual(['done', `connecting with Authorization: Bearer ${REDACTED}`]);
  });

  // Every read path of the stream — a tail, a resume from a Last-Event-ID (one of the ids a client got, or any
  // offset), across the rotation boundary, any chunk size and piece size, an unfinished last line — sends no
  // 8-character fragment of a secret, whatever its form and wherever it sits in a line of any length.
  it('never sends a fragment of a secret, whatever the read path, chunking, rotation point and line', async () => {
    const shape = fc.record({
      planted: plantedSecret,
      seed: fc.integer(),
      before: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 64 * 1024 - 300, max: 64 * 1024 + 50 }), fc.integer({ min: 65_000, max: 150_000 })),
      after: fc.integer({ min: 0, max: 2000 }),
      otherLines: fc.integer({ min: 0, max: 5 }),
      unfinished: fc.boolean(),
      rotatedAt: fc.option(fc.nat()),
      chunkBytes: fc.constantFrom(64 * 1024, 4096, 1000, 97),
      maxLineBytes: fc.constantFrom(64 * 1024, 4096, 1500),
      tail: fc.integer({ min: 1, max: 10 }),
      // Where a client resumes: after one of the ids it got, at any offset it may send, or inside the secret.
      resume: fc.option(fc.oneof(fc.record({ event: fc.nat() }), fc.record({ offset: fc.nat() }), fc.record({ inSecret: fc.nat() }))),
      resumeChunkBytes: fc.constantFrom(64 * 1024, 1000, 333),
    });
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        const head = filler(s.seed, s.before);
        const tail = filler(s.seed + 1, s.after);
        const others = Array.from({ length: s.otherLines }, (_, i) => filler(s.seed + 2 + i, 50));
        const line = `${head} ${s.planted.form} ${tail}`;
        const text = [...others, line].join('\n') + (s.unfinished ? '' : '\n');
        const bytes = Buffer.from(text);
        const logPath = writeLog(bytes, s.rotatedAt === null ? null : s.rotatedAt % (bytes.length + 1));
        const innocent = `${others.join('\n')}\n${head}\n${tail}\n${s.planted.form.replace(s.planted.secret, '\n')}`;
        const secrets = s.planted.configured;

        // The tail (backfill) of a one-shot read.
        const { start } = findTailStart(readLayout(logPath), s.tail, { countPartial: true });
        const first = await readOnce(logPath, { from: start, chunkBytes: s.chunkBytes, maxLineBytes: s.maxLineBytes, secrets });
        expect(first.at(-1)?.end).toBe(bytes.length);
        expect(leakedFragments(first.map((l) => l.text).join('\n'), s.planted.secret, innocent)).toEqual([]);

        // A resume: after one of the ids the client got, or from any offset a client may send.
        if (s.resume === null) return;
        const secretAt = Buffer.byteLength(text.slice(0, text.indexOf(s.planted.form) + s.planted.form.indexOf(s.planted.secret)));
        const from =
          'event' in s.resume
            ? (first[s.resume.event % first.length]?.end ?? 0)
            : 'offset' in s.resume
              ? characterStart(bytes, s.resume.offset % (bytes.length + 1))
              : characterStart(bytes, secretAt + (s.resume.inSecret % (Buffer.byteLength(s.planted.secret) + 1)));
        const again = await readOnce(logPath, { from, chunkBytes: s.resumeChunkBytes, maxLineBytes: s.maxLineBytes, secrets });
        expect(leakedFragments(again.map((l) => l.text).join('\n'), s.planted.secret, innocent)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

// An offset moved back to the start of the UTF-8 character it falls in (ids are always character boundaries).
function characterStart(bytes: Buffer, offset: number): number {
  let at = offset;
  while (at > 0 && at < bytes.length && ((bytes[at] ?? 0) & 0xc0) === 0x80) at -= 1;
  return at;
}

