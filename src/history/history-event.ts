import type { LifecycleFact } from '../../machines/lifecycle-facts.js';

type Crashed = Extract<LifecycleFact, { type: 'crashed' }>;

/** A crash as the history keeps it: the machine's fact with the run's last lines instead of where they lie. */
export type CrashedFact = Omit<Crashed, 'logSpan'> & { log_tail: string[] };

/** What the supervisor itself tells: it started (adopting a server left running, or not), or it stopped. */
export type SupervisorFact = { type: 'supervisor_started'; version: string; adopted_pid: number | null } | { type: 'supervisor_stopped' };

/** Every kind of history event, without its `seq` and `at` (docs/api.md, History). */
export type HistoryFact = Exclude<LifecycleFact, { type: 'crashed' }> | CrashedFact | SupervisorFact;

/** One event of the history: `seq` increases across supervisor restarts, `at` is ISO 8601. */
export type HistoryEvent = { seq: number; at: string } & HistoryFact;

/** A crashed event without its log tail, as status shows the last one. */
export type CrashSummary = { seq: number; at: string } & Omit<CrashedFact, 'log_tail'>;

/** True for a parsed line that has the shape of a history event (a torn or foreign line does not). */
export function isHistoryEvent(value: unknown): value is HistoryEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { seq, at, type } = value as Record<string, unknown>;
  return Number.isSafeInteger(seq) && (seq as number) > 0 && typeof at === 'string' && typeof type === 'string';
}

/** The crash summary of a crashed event (its log tail left out). */
export function crashSummary(event: HistoryEvent): CrashSummary | null {
  if (event.type !== 'crashed') return null;
  const { log_tail: _tail, ...summary } = event;
  return summary;
}
