import { watchLogChanges, type ChangeSignal } from './change-signal.js';
import { lineTextBefore } from './line-context.js';
import { LineSplitter, MAX_LINE_BYTES, type LogLine, type LogPiece } from './line-splitter.js';
import { layoutEnd, layoutStart, preadFile, readAt, readLayout, readRange, segmentAt, type LogLayout } from './log-layout.js';
import { PieceRedactor } from './piece-redactor.js';
import type { SecretScanner } from '../redact/secret-patterns.js';

/** How a follower reads the log. */
export interface LogFollowerOptions {
  logPath: string;
  /** Stream offset of the first byte to read (a tail start, or a Last-Event-ID, which may fall inside a long line). */
  from: number;
  /** Read once up to this offset and stop (follow=false); absent = follow the log until closed. */
  until?: number;
  /** Poll interval backing up fs.watch. */
  pollMs?: number;
  /** Bytes read per step; each step yields at most this much text. */
  chunkBytes?: number;
  /** Longest line sent as one piece (default MAX_LINE_BYTES). */
  maxLineBytes?: number;
  /** The secrets to hide, asked for once per batch (config.yaml may change); default: the built-in patterns only. */
  scanner?: () => SecretScanner;
}

// Bytes remembered before the read position, to recognise the same bytes again after a change on disk.
const FINGERPRINT_BYTES = 64;

/**
 * Reads redacted lines from a stream offset on, then follows the log as it grows. Our own rotation (copy-truncate
 * into server.log.1) keeps offsets, so it is read through seamlessly; an outside truncation or replacement restarts at
 * the new file's first byte; an outside rename rotation (inode change) drains the renamed file first. Every line and
 * piece goes through a PieceRedactor, so no text leaves a follower unredacted, however the line is cut.
 */
export class LogFollower {
  private readonly splitter: LineSplitter;
  private readonly redactor: PieceRedactor;
  private readonly pollMs: number;
  private readonly chunkBytes: number;
  private tail: Buffer = Buffer.alloc(0);
  private place: { ino: number; path: string; filePos: number } | null = null;
  private draining: { path: string; filePos: number } | null = null;
  private signal: ChangeSignal | null = null;
  private closed = false;

  constructor(private readonly options: LogFollowerOptions) {
    this.splitter = new LineSplitter(options.from, options.maxLineBytes ?? MAX_LINE_BYTES);
    this.redactor = new PieceRedactor(options.scanner);
    this.pollMs = options.pollMs ?? 500;
    this.chunkBytes = options.chunkBytes ?? 64 * 1024;
  }

  /** The stream offset of the next byte to read. */
  get position(): number {
    return this.splitter.position;
  }

  /** Stops following; a pending iteration ends. */
  close(): void {
    this.closed = true;
    this.signal?.close();
  }

  /** Batches of lines in order, each line with the stream offset after it; ends at `until` or on close(). */
  async *batches(): AsyncGenerator<LogLine[], void, undefined> {
    const { until } = this.options;
    if (until === undefined) this.signal = watchLogChanges(this.options.logPath, this.pollMs);
    if (this.closed) this.signal?.close();
    try {
      const start = readLayout(this.options.logPath);
      this.remember(start);
      // Resuming inside a line: its text before the resume point is context for the redaction of what follows.
      for (const text of lineTextBefore(start, this.options.from)) this.redactor.prime(text);
      for (;;) {
        if (this.signal) await this.signal.next();
        if (this.closed) return;
        // One stat of the files per wake-up and per batch handed out (bytes appended after it wake us again).
        let layout = readLayout(this.options.logPath);
        const jumped = this.revalidate(layout);
        if (jumped.length > 0) {
          yield jumped;
          layout = readLayout(this.options.logPath);
        }
        for (;;) {
          const lines = this.step(layout);
          if (lines === null) break;
          if (lines.length > 0) {
            yield lines;
            if (this.closed) return;
            layout = readLayout(this.options.logPath);
          }
        }
        if (until !== undefined) {
          const rest = this.endOfStream();
          if (rest.length > 0) yield rest;
          return;
        }
      }
    } finally {
      this.signal?.close();
    }
  }

  // One bounded read at the current position; null when there is nothing more to read now.
  private step(layout: LogLayout): LogLine[] | null {
    if (this.draining) return this.stepDraining(layout);
    const at = this.splitter.position;
    const limit = this.options.until === undefined ? this.chunkBytes : Math.min(this.chunkBytes, this.options.until - at);
    if (limit <= 0) return null;
    const { bytes, segment } = readAt(layout, at, limit);
    if (bytes.length === 0 || !segment) {
      // Bytes older than the oldest backup were rotated away: continue with the oldest kept.
      if (at < layoutStart(layout) && layout.segments.length > 0) return this.jump(layoutStart(layout));
      return null;
    }
    this.advance(bytes, segment.path, segment.ino, at - segment.start);
    return this.redact(this.splitter.push(bytes));
  }

  // After an outside rename rotation: the rest of the renamed file, then the new server.log from its first byte.
  private stepDraining(layout: LogLayout): LogLine[] | null {
    const draining = this.draining;
    if (!draining) return null;
    const bytes = preadFile(draining.path, draining.filePos, this.chunkBytes);
    if (bytes.length === 0) {
      // Its writer may still append to it until the new file has begun; only then does the stream move on.
      if (!layout.live || layout.live.end === layout.live.start) return null;
      this.draining = null;
      return this.jump(layout.live?.start ?? layout.base);
    }
    draining.filePos += bytes.length;
    this.tail = lastBytes(Buffer.concat([this.tail, bytes]));
    return this.redact(this.splitter.push(bytes));
  }

  // On each wake: are the bytes before our position still the ones we read? If not, the file changed under us.
  private revalidate(layout: LogLayout): LogLine[] {
    if (this.draining) return [];
    const at = this.splitter.position;
    if (at > layoutEnd(layout)) return this.recover(layout);
    // Only the remembered bytes still on disk can be compared (an older backup may have been deleted meanwhile).
    const from = Math.max(layoutStart(layout), at - this.tail.length);
    if (from >= at) return [];
    const before = readRange(layout, from, at);
    return before.equals(this.tail.subarray(this.tail.length - (at - from))) ? [] : this.recover(layout);
  }

  private recover(layout: LogLayout): LogLine[] {
    const place = this.place;
    const moved = place ? layout.segments.find((s) => s.ino === place.ino && s.path !== place.path) : undefined;
    // The fingerprint may reach back into the previous file: compare only the part that lies in this one.
    const n = place ? Math.min(this.tail.length, place.filePos) : 0;
    const tailHere = this.tail.subarray(this.tail.length - n);
    if (place && moved && preadFile(moved.path, place.filePos - n, n).equals(tailHere)) {
      // Renamed by someone else while a writer may still append to it: finish it before moving on.
      this.draining = { path: moved.path, filePos: place.filePos };
      this.place = null;
      return [];
    }
    // Truncated or replaced: what is there now is new; start at its first byte.
    return this.jump(layout.live?.start ?? layout.base);
  }

  // The stream continues elsewhere: an unfinished line is emitted (redacted as unfinished, never lost), then reading
  // restarts.
  private jump(to: number): LogLine[] {
    const rest = this.endOfStream();
    this.splitter.reset(to);
    this.tail = Buffer.alloc(0);
    this.place = null;
    this.remember(readLayout(this.options.logPath));
    return rest;
  }

  private redact(pieces: LogPiece[]): LogLine[] {
    return this.redactor.push(pieces);
  }

  // The stream stops (end of a one-shot read) or jumps: the unfinished line and every piece held go out.
  private endOfStream(): LogLine[] {
    return [...this.redactor.push(this.splitter.flush()), ...this.redactor.flush()];
  }

  private advance(bytes: Buffer, path: string, ino: number, filePos: number): void {
    this.tail = lastBytes(Buffer.concat([this.tail, bytes]));
    this.place = { ino, path, filePos: filePos + bytes.length };
  }

  // Fingerprint of the bytes just before the position, so later changes on disk can be recognised.
  private remember(layout: LogLayout): void {
    const at = this.splitter.position;
    const from = Math.max(layoutStart(layout), at - FINGERPRINT_BYTES);
    this.tail = at > from ? readRange(layout, from, at) : Buffer.alloc(0);
    const segment = at > from ? segmentAt(layout, at - 1) : null;
    this.place = segment ? { ino: segment.ino, path: segment.path, filePos: at - segment.start } : null;
  }
}

function lastBytes(buffer: Buffer): Buffer {
  return buffer.length <= FINGERPRINT_BYTES ? buffer : Buffer.from(buffer.subarray(buffer.length - FINGERPRINT_BYTES));
}
