/** One line of the log with the stream offset just after it (its trailing newline included). */
export interface LogLine {
  text: string;
  end: number;
}

/** How a piece of a line ends: with its newline, cut for length (the line goes on), or unfinished (no newline yet). */
export type PieceEnding = 'newline' | 'cut' | 'unfinished';

/** A line or a piece of one as read, before redaction: what follows it decides how it may be redacted. */
export interface LogPiece extends LogLine {
  ending: PieceEnding;
}

/** Longest line emitted as one event; longer lines are cut (at a UTF-8 character boundary) into several. */
export const MAX_LINE_BYTES = 64 * 1024;

const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines, tracking the stream offset after each line. Splits on bytes (never inside a
 * UTF-8 character), drops a trailing CR, and keeps an unfinished last line until its newline arrives. Its pieces are
 * raw text: they go through a PieceRedactor before anyone sees them.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private offset: number;

  constructor(
    startOffset: number,
    private readonly maxLineBytes: number = MAX_LINE_BYTES,
  ) {
    this.offset = startOffset;
  }

  /** The stream offset of the first byte not yet emitted as (part of) a line. */
  get lineStart(): number {
    return this.offset - this.pendingBytes;
  }

  /** The stream offset after the last byte pushed. */
  get position(): number {
    return this.offset;
  }

  /** True when bytes of an unfinished line are held. */
  get hasPartial(): boolean {
    return this.pendingBytes > 0;
  }

  /** Feeds the next bytes of the stream (contiguous with the previous ones); returns the lines and pieces they complete. */
  push(chunk: Buffer): LogPiece[] {
    const lines: LogPiece[] = [];
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, from);
      if (nl === -1) break;
      this.take(chunk.subarray(from, nl + 1), lines, true);
      from = nl + 1;
    }
    if (from < chunk.length) this.take(chunk.subarray(from), lines, false);
    return lines;
  }

  /** Emits the unfinished line, if any, as a piece of its own (end of a one-shot read, or a discontinuity). */
  flush(): LogPiece[] {
    return this.emitPending('unfinished');
  }

  /** Forgets the unfinished line and continues at a new offset (the stream jumped). */
  reset(offset: number): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.offset = offset;
  }

  private take(part: Buffer, lines: LogPiece[], complete: boolean): void {
    this.offset += part.length;
    this.pending.push(part);
    this.pendingBytes += part.length;
    // An endless line must not grow memory: emit it in bounded pieces, cut between characters.
    const limit = this.maxLineBytes + (complete ? 1 : 0);
    while (this.pendingBytes > limit) {
      const bytes = Buffer.concat(this.pending);
      const cut = utf8Boundary(bytes, this.maxLineBytes);
      const rest = bytes.subarray(cut);
      lines.push({ text: decode(bytes.subarray(0, cut)), end: this.offset - rest.length, ending: 'cut' });
      this.pending = rest.length > 0 ? [Buffer.from(rest)] : [];
      this.pendingBytes = rest.length;
    }
    if (complete) lines.push(...this.emitPending('newline'));
  }

  private emitPending(ending: PieceEnding): LogPiece[] {
    if (this.pendingBytes === 0) return [];
    const bytes = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    return [{ text: decode(bytes), end: this.offset, ending }];
  }
}

/** Decodes one line's bytes: newline and a CR before it dropped, invalid UTF-8 shown as U+FFFD. */
export function decode(bytes: Buffer): string {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === NEWLINE) end -= 1;
  if (end > 0 && bytes[end - 1] === CR) end -= 1;
  return bytes.toString('utf8', 0, end);
}

/** The largest cut <= limit that does not fall inside a multi-byte UTF-8 character. */
export function utf8Boundary(bytes: Buffer, limit: number): number {
  let cut = Math.min(limit, bytes.length);
  while (cut > 0 && cut < bytes.length && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut -= 1;
  return cut === 0 ? Math.min(limit, bytes.length) : cut;
}
