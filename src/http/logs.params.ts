import { SupervisorError } from '../errors.js';

/** What GET /supervisor/logs was asked for. */
export interface LogsQuery {
  /** How many of the last lines to send first (0 … MAX_BACKFILL_LINES). */
  lines: number;
  /** Keep the stream open and send lines as they are appended. */
  follow: boolean;
}

/** Default and bound of `lines` (docs/api.md, Logs). */
export const DEFAULT_BACKFILL_LINES = 50;
export const MAX_BACKFILL_LINES = 10_000;

/** Parses `?lines=N&follow=true|false`; an invalid value is a 400 naming the parameter, the value and what it takes. */
export function parseLogsQuery(query: Record<string, unknown>): LogsQuery {
  return { lines: parseLines(query.lines), follow: parseFollow(query.follow) };
}

/** The stream offset to resume after, from a Last-Event-ID; null when absent or not one of our ids. */
export function parseLastEventId(value: string): number | null {
  if (!/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}

function parseLines(value: unknown): number {
  if (value === undefined) return DEFAULT_BACKFILL_LINES;
  if (typeof value === 'string' && /^\d{1,6}$/.test(value)) {
    const lines = Number(value);
    if (lines <= MAX_BACKFILL_LINES) return lines;
  }
  throw invalid('lines', value, `an integer from 0 to ${MAX_BACKFILL_LINES}`);
}

function parseFollow(value: unknown): boolean {
  if (value === undefined) return true;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw invalid('follow', value, 'true or false');
}

function invalid(name: string, value: unknown, expected: string): SupervisorError {
  return new SupervisorError('ERR_INVALID_VALUE', `Query parameter ${name} must be ${expected}, got ${JSON.stringify(value)}`);
}
