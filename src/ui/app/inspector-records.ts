// The inspection stream's records as the Inspector reads them (docs/api.md, Inspection): the recent past replayed on
// connect (`"replayed": true`), `started` where a supervisor run began, then snapshots and events as they happen.
// Kept apart from inspection.ts, which the Settings page shares, so that page's bundle carries none of it.
//
//   event: started
//   data: {"pid": 4242, "version": "0.1.0", "at": 1700000000000, "replayed": true}
import { formatClock, formatLocalDate } from './format.js';
import { isStateValue, type InspectionEvent, type InspectionSnapshot } from './inspection.js';

/** A `snapshot` record, and whether it was replayed. */
export interface SnapshotRecord extends InspectionSnapshot {
  replayed: boolean;
}

/** An `event` record (always followed by the snapshot it led to), and whether it was replayed. */
export interface EventRecord extends InspectionEvent {
  replayed: boolean;
}

/** A `started` record: a supervisor run began here (only in the replay). */
export interface StartedRecord {
  pid: number;
  version: string;
  at: number;
  replayed: boolean;
}

function parseObject(data: string): Record<string, unknown> | null {
  try {
    const raw: unknown = JSON.parse(data);
    return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const timeOf = (raw: Record<string, unknown>): number => (typeof raw['at'] === 'number' ? raw['at'] : Date.now());

/** Parses the data of a `snapshot` message; null when it is not one. */
export function parseSnapshotRecord(data: string): SnapshotRecord | null {
  const raw = parseObject(data);
  if (!raw || typeof raw['actor'] !== 'string' || !isStateValue(raw['value'])) return null;
  return {
    actor: raw['actor'],
    value: raw['value'],
    status: typeof raw['status'] === 'string' ? raw['status'] : 'active',
    context: isRecord(raw['context']) ? raw['context'] : {},
    at: timeOf(raw),
    replayed: raw['replayed'] === true,
  };
}

/** Parses the data of an `event` message; null when it is not one. */
export function parseEventRecord(data: string): EventRecord | null {
  const raw = parseObject(data);
  if (!raw || typeof raw['actor'] !== 'string' || typeof raw['type'] !== 'string') return null;
  return {
    actor: raw['actor'],
    type: raw['type'],
    event: isRecord(raw['event']) ? raw['event'] : { type: raw['type'] },
    at: timeOf(raw),
    replayed: raw['replayed'] === true,
  };
}

/** Parses the data of a `started` message; null when it is not one. */
export function parseStartedRecord(data: string): StartedRecord | null {
  const raw = parseObject(data);
  if (!raw || typeof raw['at'] !== 'number') return null;
  return {
    pid: typeof raw['pid'] === 'number' ? raw['pid'] : 0,
    version: typeof raw['version'] === 'string' ? raw['version'] : '',
    at: raw['at'],
    replayed: raw['replayed'] === true,
  };
}

/** A time on the timeline, in the browser's time zone: "14:03:07.215", with the date when it is not today. */
export function formatLocalTime(at: number, now: number = Date.now()): string {
  const clock = formatClock(at);
  return new Date(now).toDateString() === new Date(at).toDateString() ? clock : `${formatLocalDate(at)} ${clock}`;
}
