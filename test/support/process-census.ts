import { readdirSync, readFileSync } from 'node:fs';
import { readProcStat } from '../../src/lifecycle/process-group.js';

/** A live process found by the census. */
export interface Counted {
  pid: number;
  pgid: number;
}

/**
 * Every live (non-zombie) process whose environment holds `marker` (`NAME=value`), read from /proc: the test's own
 * view of what runs, whatever the supervisor under test asks its ProcessFacts. A server's children inherit its
 * environment, so a marker put in `supervisor.server.env` finds the server and everything it started, in whatever
 * process group they ended up.
 */
export function census(marker: string): Counted[] {
  const found: Counted[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue; // gone meanwhile
    }
    if (!environ.split('\0').includes(marker)) continue;
    const stat = readProcStat(pid);
    if (stat && stat.state !== 'Z' && stat.state !== 'X') found.push({ pid, pgid: stat.pgid });
  }
  return found;
}
