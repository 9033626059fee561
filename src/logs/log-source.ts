import { LogFollower } from './log-follower.js';
import { layoutEnd, readLayout } from './log-layout.js';
import { findTailStart } from './log-tail.js';
import type { SecretScanner } from '../redact/secret-patterns.js';

/** What a client asked to read: the last `lines`, or everything after a Last-Event-ID; then follow or stop. */
export interface LogReadRequest {
  logPath: string;
  lines: number;
  follow: boolean;
  /** Stream offset from the client's Last-Event-ID: resume right after it instead of sending the last lines. */
  resumeAfter: number | null;
  pollMs?: number;
  /** The secrets to hide, asked for once per batch; default: the built-in patterns only. */
  scanner?: () => SecretScanner;
}

/** Where reading starts, whether the log exists at all, and the follower that reads it. */
export interface LogSource {
  /** True when neither server.log nor a backup exists yet. */
  missing: boolean;
  follower: LogFollower;
}

/**
 * Opens the log for one client. Backfill and live lines are one forward read from the start of the last `lines`
 * lines, so nothing falls between them; a one-shot read (follow=false) stops at the end seen now, an unfinished
 * last line included (redacted as unfinished). Every line comes out of the follower redacted.
 */
export function openLogSource(request: LogReadRequest): LogSource {
  const layout = readLayout(request.logPath);
  const missing = layout.segments.length === 0;
  const range =
    request.resumeAfter !== null
      ? { start: request.resumeAfter, end: layoutEnd(layout) }
      : findTailStart(layout, request.lines, { countPartial: !request.follow });
  const follower = new LogFollower({
    logPath: request.logPath,
    from: range.start,
    until: request.follow ? undefined : range.end,
    pollMs: request.pollMs,
    scanner: request.scanner,
  });
  return { missing, follower };
}
