import { readdirSync, readFileSync } from 'node:fs';
import { isErrno } from '../errno.js';

// Process groups and the /proc readers (Linux). The supervisor asks about processes through ProcessFacts
// (process-facts.ts), which uses these where /proc exists; tests on Linux use them as their view of the truth.

/** Sends `signal` to every process in the group; false when the group is already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if (isErrno(error, 'ESRCH')) return false;
    throw error;
  }
}

/** Fields of /proc/<pid>/stat we need: state, process group and start time (in clock ticks since boot). */
export interface ProcStat {
  state: string;
  pgid: number;
  startTicks: number;
}

/** Parses /proc/<pid>/stat, whose second field (the command) may itself hold spaces and parentheses. */
export function parseProcStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const fields = text.slice(close + 2).split(' ');
  // After "pid (comm) ": state is field 3, pgrp field 5, starttime field 22 (1-based in proc(5)).
  const state = fields[0];
  const pgid = Number(fields[2]);
  const startTicks = Number(fields[19]);
  if (!state || !Number.isFinite(pgid) || !Number.isFinite(startTicks)) return null;
  return { state, pgid, startTicks };
}

/** Reads /proc/<pid>/stat; null where there is no such process or no procfs. */
export function readProcStat(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Live (non-zombie) members of a process group, from /proc (Linux). Zombies are ignored: they hold no port and run no code. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = readProcStat(pid);
    if (stat && stat.pgid === pgid && stat.state !== 'Z' && stat.state !== 'X') members.push(pid);
  }
  return members;
}

/** True while a process with this pid exists and is not a zombie, from /proc (Linux). */
export function isAlive(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
}
