import type { LifecycleFact } from '../../machines/lifecycle-facts.js';
import { crashLogTail } from './crash-log-tail.js';
import { crashSummary, type CrashSummary, type HistoryEvent, type HistoryFact, type SupervisorFact } from './history-event.js';
import { appendHistory, compactHistory, readHistoryFile, readHistoryFileSync } from './history-file.js';

/** Where the recorder writes and what it reads from; functions, since config.yaml is never latched. */
export interface HistoryRecorderOptions {
  /** history.jsonl in the log dir. */
  historyPath(): string;
  /** server.log, where a crash's log tail is read from. */
  logPath(): string;
  /** Credential values redacted in log tails (as in the log stream). */
  secrets(): readonly string[];
  now?: () => number;
  /** How long a recorded fact waits before its tail is read and it is written (default 50 ms): see record(). */
  deferMs?: number;
  /** Events the file keeps (default 1000). */
  keep?: number;
  /** Lines over `keep` before the file is compacted (default 200). */
  compactMargin?: number;
  /** Where a failed write is reported (default stderr). */
  report?: (message: string) => void;
}

/** The most events one read returns (GET /supervisor/history's bound). */
export const maxHistoryEvents = 1000;

// A fact as recorded: its seq and time are fixed at once; a crash's tail is read later, off the restart's path.
type Pending = { seq: number; at: string; fact: LifecycleFact | SupervisorFact };

/**
 * The history (docs/api.md, History): every fact the machines emit and the supervisor's own start and stop, numbered
 * (`seq` continues from the file across restarts) and timed as they happen, then written to history.jsonl and sent to
 * subscribers (GET /supervisor/events) in order. The work a fact needs — reading a crash's log tail, the append —
 * waits `deferMs` and runs asynchronously, so it never sits between a crash and the restart that follows it.
 */
export class HistoryRecorder {
  private seq: number;
  private lines: number;
  private last: CrashSummary | null;
  private crashCount = 0;
  private readonly queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private readonly listeners = new Set<(event: HistoryEvent) => void>();
  private readonly now: () => number;
  private readonly keep: number;
  private readonly margin: number;
  private reportedFailure = false;

  constructor(private readonly options: HistoryRecorderOptions) {
    this.now = options.now ?? Date.now;
    this.keep = options.keep ?? maxHistoryEvents;
    this.margin = options.compactMargin ?? 200;
    const { events, lines } = readHistoryFileSync(options.historyPath());
    this.seq = events.reduce((max, event) => Math.max(max, event.seq), 0);
    this.lines = lines;
    const crash = [...events].reverse().find((event) => event.type === 'crashed');
    this.last = crash ? crashSummary(crash) : null;
  }

  /** Records a fact now (its seq and time fixed at once, synchronously and cheaply); written and sent shortly after. */
  record(fact: LifecycleFact | SupervisorFact): number {
    const pending: Pending = { seq: ++this.seq, at: new Date(this.now()).toISOString(), fact };
    this.queue.push(pending);
    if (fact.type === 'crashed') {
      const { logSpan: _span, ...rest } = fact;
      this.last = { seq: pending.seq, at: pending.at, ...rest };
      this.crashCount += 1;
    }
    this.timer ??= setTimeout(() => void this.drain(), this.options.deferMs ?? 50);
    return pending.seq;
  }

  /** The newest crash (from this run or the file), without its log tail; null when there was none. */
  lastCrash(): CrashSummary | null {
    return this.last;
  }

  /** The seq of the newest recorded event (0 when none): status says it, so a page can order status and events. */
  lastSeq(): number {
    return this.seq;
  }

  /** Crashes recorded since this supervisor started. */
  crashes(): number {
    return this.crashCount;
  }

  /** Calls `listener` with every event once it is written, in seq order; returns the unsubscribe. */
  subscribe(listener: (event: HistoryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The newest `limit` events, newest first (recorded events are written first). */
  async newest(limit: number): Promise<HistoryEvent[]> {
    await this.flush();
    const { events } = await readHistoryFile(this.options.historyPath());
    return events.slice(-limit).reverse();
  }

  /** The written events after `seq`, oldest first (what a stream resuming from Last-Event-ID missed). */
  async after(seq: number): Promise<HistoryEvent[]> {
    const { events } = await readHistoryFile(this.options.historyPath());
    return events.filter((event) => event.seq > seq);
  }

  /** Writes everything recorded so far now; resolves once it is written and sent. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.draining) await this.drain();
  }

  // One drain at a time, so events are written and sent in seq order.
  private drain(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.draining) {
      const run = (async () => {
        while (this.queue.length > 0) await this.write(this.queue.splice(0));
      })().finally(() => {
        // Always a later microtask, so `draining` is set by then.
        if (this.draining === run) this.draining = null;
      });
      this.draining = run;
    }
    return this.draining;
  }

  private async write(batch: Pending[]): Promise<void> {
    const events = batch.map((pending) => this.complete(pending));
    const path = this.options.historyPath();
    try {
      await appendHistory(path, events);
      this.lines += events.length;
      if (this.lines > this.keep + this.margin) this.lines = await compactHistory(path, this.keep);
    } catch (error) {
      // The history is a record, not a duty: a folder that cannot be written costs the record, never the supervisor.
      if (!this.reportedFailure) (this.options.report ?? console.error)(`[supervisor] cannot write the history ${path}: ${(error as Error).message}`);
      this.reportedFailure = true;
    }
    for (const event of events) for (const listener of [...this.listeners]) listener(event);
  }

  // The event as written: a crash gets the lines its run printed last, read now (never on the restart's path).
  private complete({ seq, at, fact }: Pending): HistoryEvent {
    if (fact.type !== 'crashed') return { seq, at, ...(fact as Exclude<HistoryFact, { type: 'crashed' }>) };
    const { logSpan, ...rest } = fact;
    let tail: string[] = [];
    if (logSpan) {
      try {
        tail = crashLogTail(this.options.logPath(), logSpan, this.options.secrets());
      } catch {
        // An unreadable log leaves the tail empty; the crash itself is still recorded.
      }
    }
    return { seq, at, ...rest, log_tail: tail };
  }
}
