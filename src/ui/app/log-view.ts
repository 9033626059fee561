// The log viewer's lines and their rendering. Lines are kept in a bounded buffer (not in the store: a burst of
// thousands of lines must not copy the page state per line) and drawn once per animation frame, whatever number
// arrived since the last one, in chunks of lines the browser skips while they are off screen
// (`content-visibility: auto`), so a burst never blocks the page and a full buffer still scrolls smoothly.
import { h } from './dom.js';
import { lineLevel, lineMatcher, localTimestamps, type LineFilter, type LogEntry } from './log-lines.js';

export interface LogViewElements {
  /** The scrolling box the lines go in. */
  box: HTMLElement;
  /** "↓ Latest lines", shown when lines arrive below a reader who scrolled up. */
  latest: HTMLElement;
  /** A polite live region: a summary of new lines now and then, never every line. */
  summary: HTMLElement;
}

export interface LogViewStats {
  /** Lines kept. */
  total: number;
  /** Lines the filter shows (drawn or about to be). */
  shown: number;
  /** Lines received while paused, not drawn yet. */
  pending: number;
}

export interface LogViewOptions {
  /** Lines kept; older ones are dropped (default 10,000). */
  maxLines?: number;
  /** Lines per chunk element (default 200). */
  chunkSize?: number;
  /** Most lines drawn in one frame; more wait for the next (default 4,000). */
  perFrame?: number;
  /** How often at most the live region speaks (default 5 s). */
  summaryMs?: number;
  onStats?(stats: LogViewStats): void;
}

/** The server log in the page: push lines as they come, they are drawn in batches. */
export class LogView {
  private entries: LogEntry[] = [];
  private seq = 0;
  /** Every line up to this seq has been considered for drawing (drawn if the filter shows it). */
  private drawnSeq = 0;
  private shownCount = 0;
  private matcher: (entry: LogEntry) => boolean = () => true;
  private localTime = false;
  private paused = false;
  /** A stream error ("Log file not found …") is shown; the next line of the file makes it obsolete. */
  private staleErrors = false;
  private frame: number | null = null;
  private spoken = { lines: 0, errors: 0, timer: null as ReturnType<typeof setTimeout> | null };
  private readonly maxLines: number;
  private readonly chunkSize: number;
  private readonly perFrame: number;

  constructor(
    private readonly els: LogViewElements,
    private readonly options: LogViewOptions = {},
  ) {
    this.maxLines = options.maxLines ?? 10_000;
    this.chunkSize = options.chunkSize ?? 200;
    this.perFrame = options.perFrame ?? 4_000;
    els.box.dataset['empty'] = 'true';
  }

  /** Adds a line (or a stream error); drawn at the next frame. */
  push(text: string, streamError = false): void {
    if (streamError) this.staleErrors = true;
    else if (this.staleErrors) this.dropStreamErrors();
    const entry: LogEntry = { seq: ++this.seq, text, level: streamError ? 'error' : lineLevel(text), streamError };
    this.entries.push(entry);
    // Dropped in slices, not one by one: a shift per line would be quadratic in a burst.
    if (this.entries.length > this.maxLines + this.chunkSize) this.entries.splice(0, this.entries.length - this.maxLines);
    this.count(entry);
    this.schedule();
  }

  /** Shows only what the filter matches (redraws everything kept). */
  setFilter(filter: LineFilter): void {
    this.matcher = lineMatcher(filter);
    this.redraw();
  }

  /** Writes UTC timestamps in local time (redraws everything kept). */
  setLocalTime(localTime: boolean): void {
    if (localTime === this.localTime) return;
    this.localTime = localTime;
    this.redraw();
  }

  /** Freezes the view; lines keep arriving and are drawn on resume. */
  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    this.schedule();
  }

  /** The lines the filter shows, as text (what Copy and Download give). */
  shownText(): string {
    return this.entries
      .filter(this.matcher)
      .map((entry) => this.display(entry))
      .join('\n');
  }

  /** The newest `count` lines kept, as received (for diagnostics). */
  lastLines(count: number): string[] {
    return this.entries.slice(-count).map((entry) => entry.text);
  }

  /** Draws what is pending now instead of at the next frame (used when the page becomes visible). */
  flushNow(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
    this.draw();
  }

  private display(entry: LogEntry): string {
    return this.localTime ? localTimestamps(entry.text) : entry.text;
  }

  private schedule(): void {
    this.frame ??= requestAnimationFrame(() => {
      this.frame = null;
      this.draw();
    });
  }

  // Lines arrive again: what the stream said went wrong is over, and would mislead above the lines that follow.
  private dropStreamErrors(): void {
    this.staleErrors = false;
    this.entries = this.entries.filter((entry) => !entry.streamError);
    this.redraw();
  }

  private redraw(): void {
    this.els.box.replaceChildren();
    this.shownCount = 0;
    this.drawnSeq = (this.entries[0]?.seq ?? this.seq + 1) - 1;
    this.schedule();
  }

  // One frame's work: drop chunks whose lines are gone, then (unless paused) append the new lines that match.
  private draw(): void {
    const box = this.els.box;
    const firstKept = this.entries[0]?.seq ?? this.seq + 1;
    while (box.firstElementChild && Number((box.firstElementChild as HTMLElement).dataset['last']) < firstKept) {
      this.shownCount -= box.firstElementChild.childElementCount;
      box.firstElementChild.remove();
    }
    if (!this.paused) {
      const stick = box.scrollHeight - box.scrollTop - box.clientHeight < 8;
      const start = this.firstAfter(this.drawnSeq);
      const batch = this.entries.slice(start, start + this.perFrame);
      const appended = this.append(batch.filter(this.matcher));
      this.drawnSeq = batch.at(-1)?.seq ?? this.drawnSeq;
      if (this.drawnSeq < this.seq) this.schedule();
      // Follow the bottom unless the reader scrolled up to read something.
      if (stick) box.scrollTop = box.scrollHeight;
      else if (appended > 0) this.els.latest.hidden = false;
    }
    box.dataset['empty'] = this.shownCount > 0 ? 'false' : this.entries.length > 0 ? 'filtered' : 'true';
    this.options.onStats?.({ total: this.entries.length, shown: this.shownCount, pending: this.entries.length - this.firstAfter(this.drawnSeq) });
  }

  // The index of the first kept line newer than `seq` (seqs have gaps where stream errors were dropped).
  private firstAfter(seq: number): number {
    let index = this.entries.length;
    while (index > 0 && (this.entries[index - 1] as LogEntry).seq > seq) index -= 1;
    return index;
  }

  // Appends lines to the last chunk while it has room, then to new chunks; returns how many were appended.
  private append(lines: LogEntry[]): number {
    const box = this.els.box;
    let index = 0;
    while (index < lines.length) {
      let chunk = box.lastElementChild as HTMLElement | null;
      if (!chunk || chunk.childElementCount >= this.chunkSize) {
        chunk = h('div', { class: 'log-chunk' });
        box.append(chunk);
      }
      const room = this.chunkSize - chunk.childElementCount;
      const slice = lines.slice(index, index + room);
      const fragment = document.createDocumentFragment();
      for (const entry of slice) {
        fragment.append(h('div', { class: 'log-line', 'data-level': entry.streamError ? 'stream-error' : entry.level }, this.display(entry) || ' '));
      }
      chunk.append(fragment);
      chunk.dataset['last'] = String(slice.at(-1)?.seq ?? 0);
      index += slice.length;
    }
    this.shownCount += lines.length;
    return lines.length;
  }

  // The live region says how many lines came (and how many were errors) at most every summaryMs.
  private count(entry: LogEntry): void {
    this.spoken.lines += 1;
    if (entry.level === 'error') this.spoken.errors += 1;
    this.spoken.timer ??= setTimeout(() => {
      const { lines, errors } = this.spoken;
      this.els.summary.textContent = `${lines} new log ${lines === 1 ? 'line' : 'lines'}${errors ? `, ${errors} ${errors === 1 ? 'error' : 'errors'}` : ''}${this.paused ? ' (view paused)' : ''}.`;
      this.spoken = { lines: 0, errors: 0, timer: null };
    }, this.options.summaryMs ?? 5_000);
  }
}
