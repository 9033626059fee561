import { hideSpans, redactWith } from '../redact/redact-line.js';
import { continueValue, createSecretScanner, type OpenValue, type SecretScanner, type SecretSpan, type TextEnd } from '../redact/secret-patterns.js';
import type { LogLine, LogPiece } from './line-splitter.js';

interface HeldPiece {
  text: string;
  end: number;
  /** False for context given by prime(): read, never returned. */
  emit: boolean;
}

const builtInOnly = createSecretScanner([]);

/**
 * Redacts log lines that arrive in bounded pieces as if each line were redacted whole. A piece is scanned together
 * with `reach` characters of the line before it and after it, so a secret cut by a piece boundary is seen whole; a
 * cut piece is therefore held until that much of the line after it has arrived (or the line has ended). A value
 * longer than that (a huge quoted string after `api_key=`) is carried on from piece to piece. Memory stays bounded:
 * at most `reach` characters before, and the pieces needed for `reach` characters after.
 */
export class PieceRedactor {
  // The line's text just before held[0] (at most `reach` characters), already redacted and sent (or context).
  private before = '';
  private held: HeldPiece[] = [];
  private heldChars = 0;
  // Position in the line (in characters) of held[0]'s first character.
  private at = 0;
  // Secrets found so far that reach past `at`, and values cut off at a scan's end; positions in the line.
  private carried: SecretSpan[] = [];
  private open: OpenValue[] = [];

  /** `scanner` is asked once per push (the configured secrets may change); default: the built-in patterns only. */
  constructor(private readonly scanner: () => SecretScanner = () => builtInOnly) {}

  /** Text of the current line before the next piece (already sent, or never to be): read as context, never returned. */
  prime(text: string): void {
    if (text === '') return;
    this.hold({ text, end: -1, emit: false });
    this.release(this.scanner(), null, []);
  }

  /** Takes the next pieces of the stream; returns the redacted lines and pieces that can be sent now, in order. */
  push(pieces: readonly LogPiece[]): LogLine[] {
    const out: LogLine[] = [];
    if (pieces.length === 0) return out;
    const scanner = this.scanner();
    for (const piece of pieces) {
      // The common case, a whole line with nothing before it, needs no windows.
      if (piece.ending === 'newline' && this.atLineStart) {
        out.push({ text: redactWith(scanner, piece.text), end: piece.end });
        continue;
      }
      this.hold({ text: piece.text, end: piece.end, emit: true });
      this.release(scanner, piece.ending === 'cut' ? null : piece.ending, out);
    }
    return out;
  }

  /** The stream stops here (end of a one-shot read, or a jump): the held pieces go out as an unfinished line. */
  flush(): LogLine[] {
    const out: LogLine[] = [];
    if (this.held.length > 0) this.release(this.scanner(), 'unfinished', out);
    this.reset();
    return out;
  }

  private get atLineStart(): boolean {
    return this.at === 0 && this.held.length === 0;
  }

  private hold(piece: HeldPiece): void {
    this.held.push(piece);
    this.heldChars += piece.text.length;
  }

  // Redacts held pieces that have enough of the line after them (all of them once the line has ended).
  private release(scanner: SecretScanner, lineEnd: 'newline' | 'unfinished' | null, out: LogLine[]): void {
    for (let first = this.held[0]; first; first = this.held[0]) {
      const after = this.heldChars - first.text.length;
      if (lineEnd === null && after < scanner.reach) return;
      const toLineEnd = lineEnd !== null && after <= scanner.reach;
      const edge: TextEnd = !toLineEnd ? 'cut' : lineEnd === 'newline' ? 'line' : 'unfinished';
      const text = this.before + this.heldText(first.text.length + Math.min(after, scanner.reach));
      const spans = this.spansIn(scanner, text, this.at - this.before.length, edge);
      const pieceEnd = this.at + first.text.length;
      if (first.emit) out.push({ text: hideSpans(first.text, spans, this.at), end: first.end });
      this.carried = spans.filter((s) => s.end > pieceEnd);
      this.before = (this.before + first.text).slice(-scanner.reach);
      this.at = pieceEnd;
      this.held.shift();
      this.heldChars -= first.text.length;
    }
    if (lineEnd !== null) this.reset();
  }

  // Every secret in this window of the line (starting at line position `origin`): those found before that reach
  // into it, those it holds, and the continuation of values cut off at the previous window's end.
  private spansIn(scanner: SecretScanner, text: string, origin: number, edge: TextEnd): SecretSpan[] {
    const found = scanner.scan(text, edge);
    const spans = [...this.carried, ...found.spans.map((s) => ({ start: origin + s.start, end: origin + s.end }))];
    const open = found.open.map((o) => ({ at: origin + o.at, rest: o.rest }));
    for (const value of this.open) {
      const from = Math.max(value.at - origin, 0);
      if (from > text.length) {
        open.push(value); // beyond this window (only when the reach shrank with the configured secrets)
        continue;
      }
      const to = continueValue(text, from, value.rest);
      spans.push({ start: origin + from, end: origin + to });
      if (edge === 'cut' && to >= text.length - 1) open.push({ at: origin + to, rest: value.rest });
    }
    this.open = unique(open);
    return spans;
  }

  private heldText(chars: number): string {
    let text = '';
    for (const piece of this.held) {
      if (text.length >= chars) break;
      text += piece.text;
    }
    return text.slice(0, chars);
  }

  private reset(): void {
    this.before = '';
    this.held = [];
    this.heldChars = 0;
    this.at = 0;
    this.carried = [];
    this.open = [];
  }
}

// The same cut value can be found again by the next window's own scan: keep one.
function unique(values: OpenValue[]): OpenValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = `${v.at}:${v.rest.source}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
