import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isErrno } from '../errno.js';
import { findPortHolder, realPortHolderHost, type PortHolder } from './port-holder.js';
import { groupMembers as procGroupMembers, isAlive as procIsAlive, readProcStat } from './process-group.js';

/** Who a live process is: its group, and a mark of when it started that a recycled pid cannot match. */
export interface ProcessIdentity {
  pgid: number;
  /** `proc:<clock ticks since boot>` (Linux /proc) or `ps:<ps lstart, in UTC>` (to the second); compared, never parsed. */
  startMark: string;
}

/**
 * What the supervisor asks the operating system about processes. One implementation per way of asking, chosen once at
 * start-up (processFactsFor) and passed to whatever needs it, so every branch runs on any machine that has its tools.
 */
export interface ProcessFacts {
  /** How the facts are read: the /proc file system (Linux), or signal 0, `ps` and `lsof` (macOS, anything without /proc). */
  readonly kind: 'procfs' | 'ps';
  /** True while a process with this pid exists. procfs: a zombie is gone; ps: signal 0, so a zombie counts until its parent reaps it. */
  isAlive(pid: number): boolean;
  /** Live (non-zombie) members of a process group: none once it is empty. */
  groupMembers(pgid: number): number[];
  /** The live process's identity; null when there is no such live process. Throws when it cannot be found out. */
  identity(pid: number): ProcessIdentity | null;
  /** The process listening on a TCP port, when this user can see it (for the ERR_PORT_IN_USE message). */
  portHolder(port: number): PortHolder | null;
}

/** Linux: everything from /proc, without running a program. */
export const procfsFacts: ProcessFacts = {
  kind: 'procfs',
  isAlive: procIsAlive,
  groupMembers: procGroupMembers,
  identity: (pid) => {
    const stat = readProcStat(pid);
    if (!stat || stat.state === 'Z' || stat.state === 'X') return null;
    return { pgid: stat.pgid, startMark: `proc:${stat.startTicks}` };
  },
  portHolder: (port) => findPortHolder(port, { ...realPortHolderHost, platform: 'linux' }),
};

/** Runs `ps` with the given arguments and returns its stdout; throws as execFileSync does (status 1: no such process). */
export type PsRunner = (args: string[]) => string;

// C locale and UTC: `lstart` reads the same in every supervisor run, whatever the owner's locale and time zone.
const runPs: PsRunner = (args) =>
  execFileSync('ps', args, {
    encoding: 'utf8',
    timeout: 2_000,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' },
  });

// Signal 0 checks existence without signalling; EPERM means it exists but belongs to someone else.
function exists(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    return isErrno(error, 'EPERM');
  }
}

// `ps -p <pid>` exits 1 with no output when there is no such process; anything else is a failure to ask.
function noSuchProcess(error: unknown): boolean {
  const { status, stdout } = error as { status?: unknown; stdout?: unknown };
  return status === 1 && (typeof stdout !== 'string' || stdout.trim() === '');
}

/**
 * macOS (and any system without /proc): signal 0 for existence, `ps` for groups, zombies and start times, `lsof` for
 * port holders. Both macOS's and procps' `ps` understand every option used, so this branch runs on Linux too.
 */
export function psFacts(run: PsRunner = runPs): ProcessFacts {
  return {
    kind: 'ps',
    isAlive: exists,
    groupMembers: (pgid) => {
      // The cheap answer first: signal 0 to the group fails once nothing is left in it.
      if (!exists(-pgid)) return [];
      let out: string;
      try {
        out = run(['-A', '-o', 'pid=,pgid=,stat=']);
      } catch {
        // Cannot tell members from zombies: count the group as alive (a stop then ends in SIGKILL, never too early).
        return [pgid];
      }
      // Something is in the group; a zombie (stat Z) only waits to be reaped, holds no port and runs no code.
      const members: number[] = [];
      for (const line of out.split('\n')) {
        const [pid, group, stat] = line.trim().split(/\s+/);
        if (Number(group) === pgid && stat !== undefined && !stat.startsWith('Z')) members.push(Number(pid));
      }
      return members;
    },
    identity: (pid) => {
      let out: string;
      try {
        out = run(['-o', 'pgid=,stat=,lstart=', '-p', String(pid)]);
      } catch (error) {
        if (noSuchProcess(error)) return null;
        throw new Error(`cannot ask ps about pid ${pid}: ${(error as Error).message}`, { cause: error });
      }
      // "  4242 Ss   Sat Dec  6 06:40:00 2025": group, state, then the start time with its own spaces.
      const match = /^\s*(\d+)\s+(\S+)\s+(\S.*?)\s*$/m.exec(out);
      if (!match) throw new Error(`cannot read what ps says about pid ${pid}: ${JSON.stringify(out.trim())}`);
      const [, pgid, stat, started] = match as unknown as [string, string, string, string];
      if (stat.startsWith('Z')) return null;
      return { pgid: Number(pgid), startMark: `ps:${started.replace(/\s+/g, ' ')}` };
    },
    portHolder: (port) => findPortHolder(port, { ...realPortHolderHost, platform: 'darwin' }),
  };
}

/** The facts for this machine, chosen once at start-up: /proc where Linux has it mounted, ps everywhere else (macOS). */
export function processFactsFor(platform: NodeJS.Platform = process.platform, procMounted: () => boolean = () => existsSync('/proc/self/stat')): ProcessFacts {
  return platform === 'linux' && procMounted() ? procfsFacts : psFacts();
}
