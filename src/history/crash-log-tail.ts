import type { LogSpan } from '../../machines/lifecycle-facts.js';
import { isSeparatorLine } from '../logs/log-separator.js';
import { readRecentLines } from '../logs/recent-lines.js';

/** How many lines a crash's log tail holds at most. */
export const crashTailLines = 20;
/** A longer line is kept as its first this many bytes, marked with ` …` (the history stays small). */
export const crashTailLineBytes = 1024;

/**
 * The last (up to) 20 lines the server wrote in one run before it died: complete lines of server.log that end at or
 * before `span.to` (where the exit was noticed, before the supervisor's stopped separator), begin at or after
 * `span.from` (the run's start; when unknown, after the last separator), redacted like the log stream.
 */
export function crashLogTail(logPath: string, span: LogSpan, secrets: readonly string[]): string[] {
  // Two more than needed: the run's started separator may be among them and is dropped.
  const lines = readRecentLines(logPath, crashTailLines + 2, { before: span.to, secrets, maxLineBytes: crashTailLineBytes });
  let run = lines;
  if (span.from !== null) {
    const from = span.from;
    run = lines.filter((line) => line.start >= from);
  } else {
    const last = lines.map((line) => isSeparatorLine(line.text)).lastIndexOf(true);
    run = lines.slice(last + 1);
  }
  return run
    .filter((line) => !isSeparatorLine(line.text))
    .slice(-crashTailLines)
    .map((line) => (line.cut ? `${line.text} …` : line.text));
}
