import { decode, MAX_LINE_BYTES, utf8Boundary } from './line-splitter.js';
import { layoutEnd, layoutStart, readLayout, readRange, type LogLayout } from './log-layout.js';
import { newlinesBackwards } from './log-tail.js';
import { hideSpans, redactWith } from '../redact/redact-line.js';
import { createSecretScanner, type SecretScanner } from '../redact/secret-patterns.js';

/** One of the last lines of the log, redacted. */
export interface RecentLine {
  /** The line without its newline; only its first `maxLineBytes` when `cut`. */
  text: string;
  /** Stream offset of the line's first byte. */
  start: number;
  /** Stream offset just after the line's newline (where the next line begins). */
  end: number;
  /** True when the line was longer than `maxLineBytes` and only its beginning is given. */
  cut: boolean;
}

/** Where the lines end and how much of them to give. */
export interface RecentLinesOptions {
  /** Only lines that end (newline included) at or before this stream offset; default: the end of the log. */
  before?: number;
  /** Configured credential values to redact besides the built-in patterns (as the log stream does). */
  secrets?: readonly string[];
  /** A longer line is given as its first `maxLineBytes` (cut between characters), `cut: true` (default 64 KiB). */
  maxLineBytes?: number;
  /** The backward search for line starts reads at most this much (default 8 MiB); a line reaching past it is left out. */
  maxScanBytes?: number;
}

const DEFAULT_SCAN_BYTES = 8 * 1024 * 1024;

/**
 * The last `count` complete lines of the log ending at or before `before` (or the end of the log), oldest first,
 * redacted as whole lines: server.log and its backups are read as one stream, so a line split across server.log.1
 * and server.log is one line. Reads backwards in bounded chunks; memory is bounded by `count` × `maxLineBytes`.
 * An unfinished last line (no newline yet) is not a complete line and is not included.
 */
export function readRecentLines(logPath: string, count: number, options: RecentLinesOptions = {}): RecentLine[] {
  if (count <= 0) return [];
  const layout = readLayout(logPath);
  const oldest = layoutStart(layout);
  const limit = Math.min(options.before ?? Infinity, layoutEnd(layout));
  const floor = Math.max(oldest, limit - (options.maxScanBytes ?? DEFAULT_SCAN_BYTES));
  // The newlines that end the wanted lines (nearest first), and the one before the oldest of them, where it starts.
  const newlines: number[] = [];
  for (const at of newlinesBackwards(layout, limit, floor)) {
    newlines.push(at);
    if (newlines.length === count + 1) break;
  }
  const ends = newlines.slice(0, count);
  const opening = newlines.slice(1);
  // Fewer newlines than lines wanted: the oldest line starts at the oldest byte kept, if the search got there (a line
  // whose start lies beyond the stretch searched cannot be redacted whole, so it is left out).
  if (newlines.length <= count && floor === oldest) opening.push(oldest - 1);
  const scanner = createSecretScanner(options.secrets);
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const lines: RecentLine[] = [];
  for (let i = Math.min(ends.length, opening.length) - 1; i >= 0; i -= 1) {
    lines.push(readLine(layout, (opening[i] as number) + 1, (ends[i] as number) + 1, scanner, maxLineBytes));
  }
  return lines;
}

// One line [start, end), newline included; a long one as its beginning, redacted with enough of the rest after it
// to see every secret that touches the part given (a character is at most 4 bytes of UTF-8).
function readLine(layout: LogLayout, start: number, end: number, scanner: SecretScanner, maxLineBytes: number): RecentLine {
  if (end - start - 1 <= maxLineBytes) {
    return { text: redactWith(scanner, decode(readRange(layout, start, end))), start, end, cut: false };
  }
  const bytes = readRange(layout, start, Math.min(end, start + maxLineBytes + 4 * scanner.reach));
  const head = bytes.toString('utf8', 0, utf8Boundary(bytes, maxLineBytes));
  const scan = scanner.scan(decode(bytes), start + bytes.length === end ? 'line' : 'cut');
  return { text: hideSpans(head, scan.spans), start, end, cut: true };
}
