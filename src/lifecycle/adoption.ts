import type { ProcessInfo } from '../../machines/server-lifecycle.types.js';
import { readPidFile, removePidFile } from './pid-file.js';
import { groupMembers, isAlive, readProcStat, signalGroup } from './process-group.js';

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
    killLeftovers(record.pgid, record.pid);
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

// Long enough for SIGKILLed processes to be gone; start-up waits this long at most.
const leftoverWaitMs = 2_000;

/**
 * The server died while no supervisor watched it (it was killed in the gap between two supervisors): what is left of
 * its process group (a grandchild) would outlive it and keep what it holds, with no supervisor that knows of it. So
 * they are SIGKILLed, and start-up waits (briefly) until they are gone. They are the server's: while a member of its
 * group lives, no new process can be given the group's id. Our servers always lead their own group (pgid = pid).
 */
function killLeftovers(pgid: number, pid: number): void {
  if (pgid !== pid || pgid <= 1 || groupMembers(pgid).length === 0) return;
  signalGroup(pgid, 'SIGKILL');
  const deadline = Date.now() + leftoverWaitMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (groupMembers(pgid).length > 0 && Date.now() < deadline) Atomics.wait(pause, 0, 0, 10);
}
