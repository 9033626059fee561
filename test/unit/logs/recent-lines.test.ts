import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { writeBase } from '../../../src/logs/log-layout.js';
import { readRecentLines } from '../../../src/logs/recent-lines.js';
import { REDACTED, redactLine } from '../../../src/redact/redact-line.js';
import { characterBoundary, filler, leakedFragments, plantedSecret } from '../../support/secret-forms.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// A log holding `text` as one stream, split at byte `rotatedAt` into server.log.1 and server.log (as our rotation
// leaves it), or all in server.log.
function logOf(text: string | Buffer, rotatedAt?: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'recent-'));
  dirs.push(dir);
  const logPath = join(dir, 'server.log');
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  if (rotatedAt === undefined) {
    writeFileSync(logPath, bytes);
  } else {
    writeFileSync(`${logPath}.1`, bytes.subarray(0, rotatedAt));
    writeFileSync(logPath, bytes.subarray(rotatedAt));
    writeBase(logPath, rotatedAt);
  }
  return logPath;
}

describe('readRecentLines', () => {
  it('gives the last n complete lines, oldest first, each with its stream offsets', () => {
    const log = logOf('one\ntwo\nthree\nfour\n');
    expect(readRecentLines(log, 2)).toEqual([
      { text: 'three', start: 8, end: 14, cut: false },
      { text: 'four', start: 14, end: 19, cut: false },
    ]);
    expect(readRecentLines(log, 10).map((l) => l.text)).toEqual(['one', 'two', 'three', 'four']);
    expect(readRecentLines(log, 0)).toEqual([]);
  });

  it('leaves out an unfinished last line, and treats a missing or empty log as having no lines', () => {
    expect(readRecentLines(logOf('a\nb\nhalf a li'), 5).map((l) => l.text)).toEqual(['a', 'b']);
    expect(readRecentLines(logOf(''), 5)).toEqual([]);
    expect(readRecentLines(join(tmpdir(), 'no-such-dir-for-recent-lines', 'server.log'), 5)).toEqual([]);
  });

  it('gives the lines that end before a stream offset (a line cut by it is not complete there)', () => {
    const log = logOf('one\ntwo\nthree\nfour\n');
    expect(readRecentLines(log, 2, { before: 14 }).map((l) => l.text)).toEqual(['two', 'three']);
    expect(readRecentLines(log, 2, { before: 12 }).map((l) => l.text)).toEqual(['one', 'two']);
    expect(readRecentLines(log, 2, { before: 0 })).toEqual([]);
  });

  it('reads across the rotation boundary: a line split between server.log.1 and server.log is one line, redacted whole', () => {
    const text = 'first\nconnecting with ANTHROPIC_API_KEY=sk-ant-api03-secretsecretsecret done\nlast\n';
    const log = logOf(text, text.indexOf('secretsecret'));
    expect(readRecentLines(log, 2).map((l) => l.text)).toEqual([`connecting with ANTHROPIC_API_KEY=${REDACTED} done`, 'last']);
  });

  it('redacts configured secrets and every built-in form, as the log stream does', () => {
    const log = logOf('db password is correct-horse-battery\nGET /x?api_key=abc123def456&page=2\n');
    expect(readRecentLines(log, 2, { secrets: ['correct-horse-battery'] }).map((l) => l.text)).toEqual([
      `db password is ${REDACTED}`,
      `GET /x?api_key=${REDACTED}&page=2`,
    ]);
  });

  it('gives a line longer than maxLineBytes as its beginning, redacting a secret that the cut runs through', () => {
    const secret = 'sk-ant-oat01-' + 'Q'.repeat(60);
    const line = 'x'.repeat(990) + ' ' + secret + ' ' + 'y'.repeat(2000);
    const [got] = readRecentLines(logOf(`${line}\n`), 1, { maxLineBytes: 1000 });
    expect(got).toEqual({ text: 'x'.repeat(990) + ' ' + REDACTED, start: 0, end: line.length + 1, cut: true });
  });

  it('leaves out a line whose start lies beyond the stretch it may search', () => {
    const log = logOf('short\n' + 'z'.repeat(50_000) + '\nlast\n');
    expect(readRecentLines(log, 3, { maxScanBytes: 10_000 }).map((l) => l.text)).toEqual(['last']);
    expect(readRecentLines(log, 3, { maxScanBytes: 100_000 }).map((l) => l.text.slice(0, 5))).toEqual(['short', 'zzzzz', 'last']);
  });

  it('redacts each line as the line redactor would and leaks no fragment, for any log, rotation point, line length and end', () => {
    const shape = fc.record({
      planted: plantedSecret,
      seed: fc.integer(),
      lineLengths: fc.array(fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 60_000, max: 90_000 })), { minLength: 1, maxLength: 8 }),
      secretLine: fc.nat(),
      secretAt: fc.nat(),
      rotatedAt: fc.option(fc.nat()),
      count: fc.integer({ min: 1, max: 10 }),
      maxLineBytes: fc.constantFrom(200_000, 64 * 1024, 500),
    });
    fc.assert(
      fc.property(shape, ({ planted, seed, lineLengths, secretLine, secretAt, rotatedAt, count, maxLineBytes }) => {
        const lines = lineLengths.map((length, i) => filler(seed + i, length));
        const target = secretLine % lines.length;
        const plain = lines[target] ?? '';
        const at = characterBoundary(plain, secretAt % (plain.length + 1));
        lines[target] = `${plain.slice(0, at)} ${planted.form} ${plain.slice(at)}`;
        const bytes = Buffer.from(lines.join('\n') + '\n');
        const got = readRecentLines(logOf(bytes, rotatedAt === null ? undefined : rotatedAt % (bytes.length + 1)), count, {
          secrets: planted.configured,
          maxLineBytes,
        });
        const wanted = lines.slice(-count);
        expect(got).toHaveLength(wanted.length);
        // A whole line reads exactly as the line redactor has it; a cut one is the start of a redacted line.
        got.forEach((line, i) => {
          const whole = redactLine(wanted[i] ?? '', planted.configured);
          expect(line.cut).toBe(Buffer.byteLength(wanted[i] ?? '') > maxLineBytes);
          if (line.cut) expect(whole.startsWith(line.text)).toBe(true);
          else expect(line.text).toBe(whole);
        });
        const innocent = lines.filter((_, i) => i !== target).join('\n') + plain + planted.form.replace(planted.secret, '\n');
        expect(leakedFragments(got.map((l) => l.text).join('\n'), planted.secret, innocent)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
