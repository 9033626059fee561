// Checks one logical client of GET /supervisor/logs across all its connections (each resume carries the last id it
// got as Last-Event-ID). Pure: it is fed what arrived and returns findings; the soak decides what a finding means
// against the files on disk (test/soak/log-disk.mjs), because lines lost in the documented rotation window are
// missing for every reader and are not a resume's fault.
import { checkCells, endMarker, looksLikeCells, parseHeader } from './flood-lines.mjs';

/**
 * What one event can tell:
 * - `violation`: wrong whatever the files say (an id not increasing, a line or a piece received twice, a piece
 *   without the start of its line);
 * - `gap`: lines of one writer skipped (`ks`), either right after a (re)connect (`atResume`) or while following;
 * - `torn`: a line that began but never ended in this stream;
 * - `cells`: a line whose cells are not all there (`missing`, `repeated`).
 * The last three are violations only if the missing bytes are on disk (or another client got them).
 * @typedef {{ kind: 'violation', what: string, detail: Record<string, unknown> }
 *   | { kind: 'gap', writer: string, ks: number[], atResume: boolean }
 *   | { kind: 'torn', writer: string, k: number }
 *   | { kind: 'cells', writer: string, k: number, missing: number[], repeated: number[] }} LogFinding
 */

/**
 * @typedef {object} LogStreamCheck
 * @property {(resumeAfter: number | null) => void} connected a new connection began (null: a fresh start, no
 *   Last-Event-ID; what came before is forgotten)
 * @property {(id: string | undefined, text: string) => LogFinding[]} line one `data: {"line": …}` event
 * @property {() => { events: number, lines: number, pieces: number, resumes: number, resumesInLine: number }} counts
 * @property {() => number | null} lastId the id to resume after
 * @property {() => boolean} inLine true between two pieces of a long line
 * @property {(visit: (key: string) => void) => void} completed each complete line received since the last call, as
 *   `writer:k` (drained)
 */

/** @typedef {{ writer: string, k: number, cells: number, text: string, pieces: number }} OpenLine */

/** @returns {LogStreamCheck} */
export function createLogStreamCheck() {
  /** @type {number | null} */
  let lastId = null;
  /** @type {Map<string, number>} last line number started, per writer */
  let lastK = new Map();
  /** @type {OpenLine | null} the line being received in pieces */
  let open = null;
  let atResume = false;
  const counts = { events: 0, lines: 0, pieces: 0, resumes: 0, resumesInLine: 0 };
  /** @type {string[]} */
  let done = [];

  /** @param {OpenLine} line @returns {LogFinding[]} */
  const finish = (line) => {
    counts.lines += 1;
    done.push(`${line.writer}:${line.k}`);
    const cells = checkCells(line.text, line.cells);
    if (cells.ok) return [];
    return [{ kind: 'cells', writer: line.writer, k: line.k, missing: cells.missing, repeated: cells.repeated }];
  };

  return {
    connected(resumeAfter) {
      if (resumeAfter === null) {
        lastId = null;
        lastK = new Map();
        open = null;
      } else {
        counts.resumes += 1;
        if (open) counts.resumesInLine += 1;
      }
      atResume = resumeAfter !== null;
    },
    line(idText, text) {
      counts.events += 1;
      /** @type {LogFinding[]} */
      const findings = [];
      const id = Number(idText);
      if (idText === undefined || !Number.isSafeInteger(id)) {
        findings.push({ kind: 'violation', what: 'a log event without a numeric id', detail: { id: idText } });
      } else {
        if (lastId !== null && id <= lastId) {
          findings.push({ kind: 'violation', what: 'log event ids went backwards or repeated (a duplicate)', detail: { previous: lastId, id, text: text.slice(0, 80) } });
        }
        lastId = id;
      }
      const header = parseHeader(text);
      if (header) {
        if (open) findings.push({ kind: 'torn', writer: open.writer, k: open.k });
        open = null;
        const previous = lastK.get(header.writer);
        if (previous !== undefined) {
          if (header.k <= previous) {
            findings.push({ kind: 'violation', what: header.k === previous ? 'a log line received twice' : 'log lines out of order', detail: { line: `${header.writer}:${header.k}`, previous: `${header.writer}:${previous}` } });
          } else if (header.k > previous + 1) {
            const ks = [];
            for (let m = previous + 1; m < header.k && ks.length < 50; m += 1) ks.push(m);
            findings.push({ kind: 'gap', writer: header.writer, ks, atResume });
          }
        }
        lastK.set(header.writer, Math.max(previous ?? -1, header.k));
        atResume = false;
        const line = { ...header, text, pieces: 1 };
        if (text.endsWith(endMarker(header.writer, header.k))) findings.push(...finish(line));
        else {
          counts.pieces += 1;
          open = line;
        }
        return findings;
      }
      if (open && !/^(--- |soak fixture )/.test(text)) {
        counts.pieces += 1;
        open.text += text;
        open.pieces += 1;
        if (open.text.endsWith(endMarker(open.writer, open.k))) {
          findings.push(...finish(open));
          open = null;
          atResume = false;
        }
        return findings;
      }
      if (open) {
        findings.push({ kind: 'torn', writer: open.writer, k: open.k });
        open = null;
      } else if (looksLikeCells(text)) {
        findings.push({ kind: 'violation', what: 'a piece of a log line arrived without the start of its line', detail: { text: text.slice(0, 80) } });
      }
      atResume = false;
      return findings;
    },
    counts: () => ({ ...counts }),
    lastId: () => lastId,
    inLine: () => open !== null,
    completed(visit) {
      const keys = done;
      done = [];
      for (const key of keys) visit(key);
    },
  };
}
