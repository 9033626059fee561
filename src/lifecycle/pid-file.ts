import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isErrno } from '../errno.js';

/** What the pid file records about the server we started, enough to recognise it again after our own crash. */
export interface PidRecord {
  pid: number;
  pgid: number;
  /** When we spawned it (ms since epoch). */
  startedAt: number;
  /** When the process started (ProcessIdentity.startMark), which a recycled pid cannot match; null when unknown. */
  startMark: string | null;
  command: string[];
  /** The supervisor that wrote the record. */
  supervisorPid: number;
}

/** Writes the record atomically (temp file + rename), mode 0600. */
export function writePidFile(path: string, record: PidRecord): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

/** Reads a pid file; null when absent or unreadable as a record. */
export function readPidFile(path: string): PidRecord | null {
  try {
    const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!data || typeof data !== 'object') return null;
    const r = data as Partial<PidRecord>;
    if (!Number.isInteger(r.pid) || !Number.isInteger(r.pgid) || typeof r.startedAt !== 'number') return null;
    return {
      pid: r.pid as number,
      pgid: r.pgid as number,
      startedAt: r.startedAt,
      startMark: startMarkOf(data as Record<string, unknown>),
      command: Array.isArray(r.command) ? r.command.filter((c): c is string => typeof c === 'string') : [],
      supervisorPid: typeof r.supervisorPid === 'number' ? r.supervisorPid : 0,
    };
  } catch {
    return null;
  }
}

// The start mark, also from a file an earlier version wrote with the kernel start time as `startTicks`.
function startMarkOf(data: Record<string, unknown>): string | null {
  if (typeof data.startMark === 'string') return data.startMark;
  return typeof data.startTicks === 'number' ? `proc:${data.startTicks}` : null;
}

/**
 * Removes the pid file if present; false when it could not be removed. Never throws: it runs in exit handlers, and
 * a pid file left behind (its folder turned read-only) is recognised as stale by the next supervisor anyway.
 */
export function removePidFile(path: string): boolean {
  try {
    rmSync(path, { force: true });
    return true;
  } catch {
    return false;
  }
}

/** Why a pid file cannot be written at `path` (a trial temp file is created and removed), or null when it can. */
export function pidFileProblem(path: string): string | null {
  const trial = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(trial, '', { mode: 0o600 });
  } catch (error) {
    return (error as Error).message;
  }
  try {
    rmSync(trial, { force: true });
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) return (error as Error).message;
  }
  return null;
}

/** Removes the pid file only while it still names `pid` (a newer server's record is left alone). */
export function removePidFileOf(path: string, pid: number): void {
  if (readPidFile(path)?.pid === pid) removePidFile(path);
}
