import { floodLine } from '../../soak/flood-lines.mjs';
import { createLogStreamCheck, type LogFinding } from '../../soak/log-stream-check.mjs';
import { createPrng } from '../../soak/prng.mjs';

// A recorded stream: events as the supervisor sends them (id = byte offset after the text), long lines in pieces.
function stream(lines: string[], pieceChars = 1_000) {
  const events: { id: string; text: string }[] = [];
  let offset = 0;
  for (const line of lines) {
    for (let at = 0; at < line.length; at += pieceChars) {
      const text = line.slice(at, at + pieceChars);
      const last = at + pieceChars >= line.length;
      offset += text.length + (last ? 1 : 0);
      events.push({ id: String(offset), text });
    }
  }
  return events;
}

const prng = createPrng(3);
const line = (k: number, cells = 5, writer = '77xw') => floodLine({ writer, k, cells, secrets: [], prng, secretEvery: 0 });

function feed(events: { id: string; text: string }[], check = createLogStreamCheck()): LogFinding[] {
  return events.flatMap((e) => check.line(e.id, e.text));
}

describe('soak log stream check (recorded traces)', () => {
  it('finds nothing wrong in a whole stream, long lines in pieces, separator lines between', () => {
    const check = createLogStreamCheck();
    check.connected(null);
    const events = stream([line(0), '--- 2026-12-06T10:00:00.000Z server started pid 77 ---', line(1, 3_000), line(2)]);
    expect(feed(events, check)).toEqual([]);
    expect(check.counts()).toMatchObject({ lines: 3 });
  });

  it('finds nothing wrong in a resume that continues exactly where the dropped connection stopped, inside a long line', () => {
    const events = stream([line(0), line(1, 3_000), line(2)]);
    const check = createLogStreamCheck();
    check.connected(null);
    expect(feed(events.slice(0, 3), check)).toEqual([]);
    expect(check.inLine()).toBe(true);
    check.connected(check.lastId());
    expect(feed(events.slice(3), check)).toEqual([]);
    expect(check.counts()).toMatchObject({ lines: 3, resumes: 1, resumesInLine: 1 });
  });

  it('reports a duplicated log line (a resume that starts one line too early)', () => {
    const events = stream([line(0), line(1), line(2)]);
    const check = createLogStreamCheck();
    check.connected(null);
    feed(events.slice(0, 2), check);
    check.connected(check.lastId());
    // The supervisor resends line 1 with its own id again: the id and the line number both go back.
    const findings = feed(events.slice(1), check);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'violation', what: 'log event ids went backwards or repeated (a duplicate)' }),
        expect.objectContaining({ kind: 'violation', what: 'a log line received twice' }),
      ]),
    );
  });

  it('reports a skipped line as a gap, marked as at a resume or while following', () => {
    const events = stream([line(0), line(1), line(2), line(3)]);
    expect(feed([events[0], events[2], events[3]] as typeof events)).toEqual([{ kind: 'gap', writer: '77xw', ks: [1], atResume: false }]);
    const check = createLogStreamCheck();
    check.connected(null);
    feed(events.slice(0, 1), check);
    check.connected(check.lastId());
    expect(feed(events.slice(3), check)).toEqual([{ kind: 'gap', writer: '77xw', ks: [1, 2], atResume: true }]);
  });

  it('reports a piece received twice inside a long line (a resume inside a line that starts too early)', () => {
    const events = stream([line(0, 3_000)]);
    const check = createLogStreamCheck();
    check.connected(null);
    feed(events.slice(0, 3), check);
    check.connected(check.lastId());
    // The next piece as if the read restarted 640 bytes early: same end offset grows, but its text repeats cells.
    const third = events[2] as { id: string; text: string };
    const again = { id: String(Number(third.id) + 1), text: third.text.slice(-640) };
    const findings = feed([again, ...events.slice(3).map((e) => ({ ...e, id: String(Number(e.id) + 1) }))], check);
    expect(findings).toEqual([expect.objectContaining({ kind: 'cells', writer: '77xw', k: 0, missing: [], repeated: expect.arrayContaining([expect.any(Number)]) })]);
  });

  it('reports a piece that arrives without the start of its line, and a line that never ends', () => {
    const events = stream([line(0, 3_000), line(1)]);
    expect(feed(events.slice(1, 2))).toEqual([expect.objectContaining({ kind: 'violation', what: 'a piece of a log line arrived without the start of its line' })]);
    const torn = [...events.slice(0, 2), events.at(-1)] as typeof events;
    expect(feed(torn)).toEqual([{ kind: 'torn', writer: '77xw', k: 0 }]);
  });

  it('reports an event without a numeric id', () => {
    expect(feed([{ id: 'x', text: line(0) }])).toEqual([expect.objectContaining({ kind: 'violation', what: 'a log event without a numeric id' })]);
  });
});
