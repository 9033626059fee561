import type { ProcessInfo } from '../../machines/server-lifecycle.types.js';
import { readPidFile, removePidFile } from './pid-file.js';
import type { ProcessFacts } from './process-facts.js';

/** Why a pid file was or was not adopted (for the supervisor's own log line). */
export type AdoptionVerdict =
  | { adopt: ProcessInfo }
  | { adopt: null; reason: 'no pid file' | 'process is gone' | 'pid belongs to another process' | 'cannot check the process' };

/**
 * Decides whether the pid file names a live server we started: same pid, same process group and same start time
 * (a recycled pid cannot match all three). A stale pid file is removed; one whose process cannot be checked is kept.
 */
export function checkAdoption(pidPath: string, facts: ProcessFacts): AdoptionVerdict {
  const record = readPidFile(pidPath);
  if (!record) return { adopt: null, reason: 'no pid file' };
  let identity;
  try {
    identity = facts.identity(record.pid);
  } catch {
    // Never adopt what cannot be told apart from a stranger: stopping it would signal someone else's process group.
    return { adopt: null, reason: 'cannot check the process' };
  }
  if (identity === null) {
    removePidFile(pidPath);
    return { adopt: null, reason: 'process is gone' };
  }
  if (identity.pgid !== record.pgid || record.startMark === null || identity.startMark !== record.startMark) {
    removePidFile(pidPath);
    return { adopt: null, reason: 'pid belongs to another process' };
  }
  return { adopt: { pid: record.pid, pgid: record.pgid, startedAt: record.startedAt, adopted: true } };
}
