import { SupervisorError } from '../errors.js';

/** Default and bound of `GET /supervisor/history?limit` (docs/api.md, History). */
export const DEFAULT_HISTORY_LIMIT = 50;
export const MAX_HISTORY_LIMIT = 1000;

/** Default and bound of `GET /supervisor/metrics/history?window` in seconds (docs/api.md, Metrics). */
export const DEFAULT_METRICS_WINDOW_S = 3600;
export const MAX_METRICS_WINDOW_S = 3600;

/** Parses `?limit=N` (1 … 1000, default 50); anything else is a 400 naming the parameter, the value and what it takes. */
export function parseHistoryLimit(value: unknown): number {
  return boundedInteger('limit', value, DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT);
}

/** Parses `?window=S` (1 … 3600 seconds, default 3600). */
export function parseMetricsWindow(value: unknown): number {
  return boundedInteger('window', value, DEFAULT_METRICS_WINDOW_S, MAX_METRICS_WINDOW_S);
}

/** The seq to resume after, from a Last-Event-ID; null when absent or not one of our ids (the stream then starts live). */
export function parseEventId(value: string): number | null {
  return /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : null;
}

function boundedInteger(name: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && /^\d{1,7}$/.test(value)) {
    const n = Number(value);
    if (n >= 1 && n <= max) return n;
  }
  throw new SupervisorError('ERR_INVALID_VALUE', `Query parameter ${name} must be an integer from 1 to ${max}, got ${JSON.stringify(value)}`);
}
