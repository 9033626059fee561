import fc from 'fast-check';
import type { LogLine, LogPiece } from '../../../src/logs/line-splitter.js';
import { PieceRedactor } from '../../../src/logs/piece-redactor.js';
import { REDACTED, redactLine } from '../../../src/redact/redact-line.js';
import { createSecretScanner } from '../../../src/redact/secret-patterns.js';
import { filler, leakedFragments, plantedSecret } from '../../support/secret-forms.js';

// Cuts `text` into pieces of the given sizes (cycled) after a first cut at `first`, as the splitter cuts a long line.
function cut(text: string, sizes: readonly number[], first = 0): string[] {
  const pieces: string[] = first > 0 && first < text.length ? [text.slice(0, first)] : [];
  for (let at = pieces[0]?.length ?? 0, i = 0; at < text.length; i += 1) {
    const size = sizes[i % sizes.length] ?? text.length;
    pieces.push(text.slice(at, at + size));
    at += size;
  }
  return pieces.length > 0 ? pieces : [''];
}

// A place in the line: anywhere (per million of its length), near the planted secret (an offset from its start), or
// inside it (an offset taken modulo its length). Integers, not doubles: fast-check's doubles cluster at the bounds.
type Place = { perMillion: number } | { fromSecret: number } | { inSecret: number };
const place: fc.Arbitrary<Place> = fc.oneof(
  fc.record({ perMillion: fc.integer({ min: 0, max: 1_000_000 }) }),
  fc.record({ fromSecret: fc.integer({ min: -12, max: 100 }) }),
  fc.record({ inSecret: fc.nat() }),
);
function resolve(where: Place, line: string, secret: { at: number; length: number }): number {
  const at =
    'perMillion' in where
      ? Math.floor((line.length * where.perMillion) / 1_000_000)
      : 'fromSecret' in where
        ? secret.at + where.fromSecret
        : secret.at + (where.inSecret % (secret.length + 1));
  return Math.max(0, Math.min(line.length, at));
}

function asPieces(texts: readonly string[], lastEnding: 'newline' | 'unfinished', offset = 0): LogPiece[] {
  let end = offset;
  return texts.map((text, i) => {
    end += text.length;
    const last = i === texts.length - 1;
    return { text, end, ending: last ? lastEnding : 'cut' };
  });
}

// Feeds pieces in batches of `batch`, then flushes, as a follower does.
function run(redactor: PieceRedactor, pieces: readonly LogPiece[], batch = 1): LogLine[] {
  const out: LogLine[] = [];
  for (let i = 0; i < pieces.length; i += batch) out.push(...redactor.push(pieces.slice(i, i + batch)));
  out.push(...redactor.flush());
  return out;
}

const scannerFor = (secrets: readonly string[]) => {
  const scanner = createSecretScanner(secrets);
  return () => scanner;
};

describe('PieceRedactor', () => {
  it('sends a whole line as the line redactor would', () => {
    const redactor = new PieceRedactor();
    const line = 'ANTHROPIC_API_KEY=sk-ant-api03-abc and more';
    expect(redactor.push([{ text: line, end: 44, ending: 'newline' }])).toEqual([{ text: redactLine(line), end: 44 }]);
  });

  it('hides a NAME=value secret whose name and value fall in different pieces, each piece keeping its offset', () => {
    const pieces = asPieces(['x'.repeat(20) + ' api_key=', 'hunter2-value-long rest'], 'newline');
    const out = run(new PieceRedactor(), pieces);
    expect(out).toEqual([
      { text: 'x'.repeat(20) + ' api_key=', end: pieces[0]?.end },
      { text: `${REDACTED} rest`, end: pieces[1]?.end },
    ]);
  });

  it('holds a cut piece until enough of the line after it has arrived, then sends it', () => {
    const redactor = new PieceRedactor();
    const reach = createSecretScanner([]).reach;
    expect(redactor.push([{ text: 'first piece ', end: 12, ending: 'cut' }])).toEqual([]);
    expect(redactor.push([{ text: 'y'.repeat(reach - 1), end: 12 + reach - 1, ending: 'cut' }])).toEqual([]);
    expect(redactor.push([{ text: 'y', end: 12 + reach, ending: 'cut' }])).toEqual([{ text: 'first piece ', end: 12 }]);
  });

  it('carries a value longer than the reach across many pieces (a quoted value that never closes)', () => {
    const value = 'v'.repeat(5000);
    const pieces = asPieces(cut(`{"api_key": "${value} still secret`, [700]), 'newline');
    const out = run(new PieceRedactor(), pieces);
    expect(out.map((l) => l.text).join('')).not.toMatch(/vvvvvvvv|still secret/);
    expect(out.map((l) => l.end)).toEqual(pieces.map((p) => p.end));
  });

  it('hides the start of a configured secret at the unfinished end of what is written so far', () => {
    const redactor = new PieceRedactor(scannerFor(['correct-horse-battery-staple']));
    const out = redactor.push([{ text: 'login with correct-hor', end: 22, ending: 'unfinished' }]);
    expect(out).toEqual([{ text: `login with ${REDACTED}`, end: 22 }]);
  });

  it('hides a token just begun at an unfinished end (shorter than its pattern needs)', () => {
    const out = new PieceRedactor().push([{ text: 'client para_ab', end: 14, ending: 'unfinished' }]);
    expect(out).toEqual([{ text: `client ${REDACTED}`, end: 14 }]);
  });

  it('uses primed context: the name before a resume point still hides the value after it', () => {
    const redactor = new PieceRedactor();
    redactor.prime('x'.repeat(3000));
    redactor.prime(' SESSION_SECRET=');
    expect(run(redactor, asPieces(['s3cr3t-value', ' then text'], 'newline'))).toEqual([
      { text: REDACTED, end: 12 },
      { text: ' then text', end: 22 },
    ]);
  });

  it('starts afresh after a line ends', () => {
    const redactor = new PieceRedactor();
    run(redactor, asPieces(['{"token": "never closed'], 'newline'));
    expect(redactor.push([{ text: 'an ordinary line', end: 40, ending: 'newline' }])).toEqual([{ text: 'an ordinary line', end: 40 }]);
  });

  // The property: whatever the line, wherever the secret sits in it and however the line is cut into pieces (and
  // batches, and wherever a reader resumes), no 8-character fragment of the secret is sent.
  it('never sends a fragment of a secret, for every form, position, line length and chunking', () => {
    fc.assert(fc.property(lineShape(), sendsNoFragment), { numRuns: 300 });
  });

  it('never sends the start of a secret that the end of what is written so far cuts off', () => {
    const shape = lineShape({ ending: fc.constant('unfinished'), writtenTo: fc.record({ inSecret: fc.nat() }) });
    fc.assert(fc.property(shape, sendsNoFragment), { numRuns: 200 });
  });
});

// The text before the secret and the piece sizes: short lines cut finely, or lines far beyond 64 KiB cut in pieces
// from a thousand characters to the splitter's 64 KiB.
const cutting = fc.oneof(
  fc.record({
    before: fc.integer({ min: 0, max: 3000 }),
    sizes: fc.oneof(
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
      fc.array(fc.integer({ min: 300, max: 3000 }), { minLength: 1, maxLength: 5 }),
    ),
  }),
  fc.record({
    before: fc.integer({ min: 65_000, max: 140_000 }),
    sizes: fc.oneof(fc.array(fc.integer({ min: 1000, max: 20_000 }), { minLength: 1, maxLength: 5 }), fc.constant([64 * 1024])),
  }),
);

function lineShape(overrides: { ending?: fc.Arbitrary<'newline' | 'unfinished'>; writtenTo?: fc.Arbitrary<Place> } = {}) {
  return fc.record({
    planted: plantedSecret,
    seed: fc.integer(),
    cutting,
    after: fc.integer({ min: 0, max: 3000 }),
    batch: fc.integer({ min: 1, max: 4 }),
    ending: overrides.ending ?? fc.constantFrom('newline' as const, 'unfinished' as const),
    // Where the writer has got to (unfinished), where a reader resumes, where the first piece ends.
    writtenTo: overrides.writtenTo ?? place,
    resumeAt: fc.option(place),
    firstCut: place,
  });
}

type LineShape = ReturnType<typeof lineShape> extends fc.Arbitrary<infer T> ? T : never;

function sendsNoFragment(shape: LineShape): void {
  const { planted, cutting } = shape;
  const head = filler(shape.seed, cutting.before);
  const tail = filler(shape.seed + 1, shape.after);
  const secretAt = { at: head.length + 1 + planted.form.indexOf(planted.secret), length: planted.secret.length };
  let line = `${head} ${planted.form} ${tail}`;
  if (shape.ending === 'unfinished') line = line.slice(0, resolve(shape.writtenTo, line, secretAt));
  const resume = shape.resumeAt === null ? 0 : resolve(shape.resumeAt, line, secretAt);
  const firstCut = resolve(shape.firstCut, line, secretAt) - resume;
  const redactor = new PieceRedactor(scannerFor(planted.configured));
  for (const text of cut(line.slice(0, resume), cutting.sizes)) redactor.prime(text);
  const pieces = asPieces(cut(line.slice(resume), cutting.sizes, firstCut), shape.ending, resume);
  const out = run(redactor, pieces, shape.batch);
  // Pieces keep their offsets: one out per piece in, in order.
  expect(out.map((l) => l.end)).toEqual(pieces.map((p) => p.end));
  const shown = out.map((l) => l.text).join('\n');
  const leaked = leakedFragments(shown, planted.secret, `${head}\n${tail}\n${planted.form.replace(planted.secret, '\n')}`);
  expect({ kind: planted.kind, leaked }).toEqual({ kind: planted.kind, leaked: [] });
}
