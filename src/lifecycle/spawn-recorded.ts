import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { writePidFile } from './pid-file.js';
import type { ProcessFacts } from './process-facts.js';

export interface RecordedSpawn {
  child: ChildProcess;
  /** Why the pid file could not be written (the server runs, but could not be adopted after our crash); else null. */
  pidFileError: string | null;
}

/**
 * Spawns the server and writes its pid file before returning, in the same synchronous step as the fork: a supervisor
 * killed at any later moment leaves a server the next supervisor can recognise and adopt. (Waiting for the 'spawn'
 * event left a window of an event-loop turn in which a killed supervisor left an unknown server holding the port.)
 */
export function spawnRecorded(command: string[], options: SpawnOptions, pidPath: string, now: () => number, facts: ProcessFacts): RecordedSpawn {
  const [file, ...args] = command;
  if (!file) throw new Error('the server command is empty');
  const child = spawn(file, args, options);
  // No pid: the fork itself failed; the 'error' event says why.
  if (child.pid === undefined) return { child, pidFileError: null };
  try {
    writePidFile(pidPath, {
      pid: child.pid,
      // detached: the child leads a process group of its own, numbered by its pid.
      pgid: child.pid,
      startedAt: now(),
      // Set at fork and kept across exec, so it can be read at once.
      startMark: startMarkOf(child.pid, facts),
      command,
      supervisorPid: process.pid,
    });
    return { child, pidFileError: null };
  } catch (error) {
    return { child, pidFileError: (error as Error).message };
  }
}

// The new process's start mark; null (the server can then never be adopted) when it cannot be read.
function startMarkOf(pid: number, facts: ProcessFacts): string | null {
  try {
    return facts.identity(pid)?.startMark ?? null;
  } catch {
    return null;
  }
}
