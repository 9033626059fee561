import type { ProcessInfo } from '../../machines/server-lifecycle.types.js';
import { readPidFile, removePidFile } from './pid-file.js';
import type { ProcessFacts } from './process-facts.js';
import { signalGroup } from './process-group.js';

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
    killLeftovers(record.pgid, record.pid, facts);
    removePidFile(pidPath);
    return { adopt: null, reason: 'process is gone' };
  }
  if (identity.pgid !== record.pgid || record.startMark === null || identity.startMark !== record.startMark) {
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
function killLeftovers(pgid: number, pid: number, facts: ProcessFacts): void {
  if (pgid !== pid || pgid <= 1 || facts.groupMembers(pgid).length === 0) return;
  signalGroup(pgid, 'SIGKILL');
  const deadline = Date.now() + leftoverWaitMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (facts.groupMembers(pgid).length > 0 && Date.now() < deadline) Atomics.wait(pause, 0, 0, 10);
}
