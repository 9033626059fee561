import type { ProcessInfo } from '../../machines/server-lifecycle.types.js';
import { readPidFile, removePidFile } from './pid-file.js';
import { isAlive, readProcStat } from './process-group.js';

/** Why a pid file was or was not adopted (for the supervisor's own log line). */
export type AdoptionVerdict =
  | { adopt: ProcessInfo }
  | { adopt: null; reason: 'no pid file' | 'process is gone' | 'pid belongs to another process' };

/**
 * Decides whether the pid file names a live server we started: same pid, same process group and same
 * kernel start time (a recycled pid cannot match all three). A stale pid file is removed.
 */
export function checkAdoption(pidPath: string): AdoptionVerdict {
  const record = readPidFile(pidPath);
  if (!record) return { adopt: null, reason: 'no pid file' };
  if (!isAlive(record.pid)) {
    removePidFile(pidPath);
    return { adopt: null, reason: 'process is gone' };
  }
  const stat = readProcStat(record.pid);
  const sameGroup = stat === null ? true : stat.pgid === record.pgid;
  const sameStart = stat === null || (record.startTicks !== null && stat.startTicks === record.startTicks);
  if (!sameGroup || !sameStart) {
    removePidFile(pidPath);
    return { adopt: null, reason: 'pid belongs to another process' };
  }
  return { adopt: { pid: record.pid, pgid: record.pgid, startedAt: record.startedAt, adopted: true } };
}
