// Log lines as the log viewer keeps them: their level, whether a filter shows them, and their time in local time.
import { formatClock, formatLocalDate } from './format.js';
import type { LogLevelFilter } from './settings.context.js';

export type LineLevel = 'debug' | 'info' | 'warn' | 'error';

/** One line of the log viewer; `seq` orders lines for incremental rendering. */
export interface LogEntry {
  seq: number;
  text: string;
  level: LineLevel;
  /** A stream error ("Log file not found …"), not a line of the file. */
  streamError: boolean;
}

/** The level a line says it has, by the level word it carries (ERROR, WARN, DEBUG…); info otherwise. */
export function lineLevel(text: string): LineLevel {
  if (/\b(ERROR|FATAL|CRITICAL|PANIC|Traceback)\b/.test(text)) return 'error';
  if (/\bWARN(ING)?\b/.test(text)) return 'warn';
  if (/\bDEBUG\b/.test(text)) return 'debug';
  return 'info';
}

const rank: Record<LineLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const minimum: Record<LogLevelFilter, number> = { all: 0, info: 1, warn: 2, error: 3 };

export interface LineFilter {
  text: string;
  level: LogLevelFilter;
}

/** A predicate for the lines a filter shows: at least the level, containing the text (any case). */
export function lineMatcher(filter: LineFilter): (entry: LogEntry) => boolean {
  const needle = filter.text.trim().toLowerCase();
  const least = minimum[filter.level];
  if (needle === '' && least === 0) return () => true;
  return (entry) => (entry.streamError || rank[entry.level] >= least) && (needle === '' || entry.text.toLowerCase().includes(needle));
}

// An ISO 8601 UTC time as servers and the supervisor write them: 2026-11-24T10:00:00.000Z.
const utcStamp = /\b(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d{1,9})?Z\b/g;

/** The line with every UTC timestamp in it written in local time ("2026-11-24 11:00:00.000"). */
export function localTimestamps(text: string): string {
  if (!text.includes('Z')) return text;
  return text.replace(utcStamp, (whole, _y, _mo, _d, _h, _mi, _s, fraction: string | undefined) => {
    const at = Date.parse(whole);
    if (Number.isNaN(at)) return whole;
    const clock = formatClock(at);
    return `${formatLocalDate(at)} ${fraction ? clock : clock.slice(0, 8)}`;
  });
}
