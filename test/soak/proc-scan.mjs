// Reads /proc: the processes carrying the soak's tag (SOAK_TAG in their environment, which the supervisor passes to
// the server and every descendant inherits), and a process's memory and open files.
import { readdirSync, readFileSync } from 'node:fs';

/** @typedef {import('./process-checks.mjs').TaggedProcess} TaggedProcess */

/**
 * /proc/<pid>/stat's state, process group and start time; null when the process is gone.
 * @param {number} pid
 * @returns {{ state: string, pgid: number, startTicks: number } | null}
 */
export function procStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command (field 2) may hold spaces and parentheses: fields are counted after its closing parenthesis.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '?', pgid: Number(fields[2]), startTicks: Number(fields[19]) };
}

/** True while `pid` exists and is not a zombie. @param {number} pid */
export function isAlive(pid) {
  const stat = procStat(pid);
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
}

// Clock ticks per second for /proc start times (sysconf(_SC_CLK_TCK), 100 on every Linux we run on).
const ticksPerSecond = 100;

/**
 * A scanner of the processes tagged `tag`. Whether a process is tagged is remembered per pid and start time, except
 * for processes younger than two seconds: a fork of the supervisor has the supervisor's environment until its exec.
 * @param {string} tag
 */
export function createProcScanner(tag) {
  const needle = Buffer.from(`SOAK_TAG=${tag}\0`);
  /** @type {Map<string, boolean>} */
  const known = new Map();
  return {
    /** @returns {TaggedProcess[]} */
    scan() {
      const uptimeTicks = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * ticksPerSecond;
      /** @type {TaggedProcess[]} */
      const found = [];
      /** @type {Set<string>} */
      const present = new Set();
      for (const name of readdirSync('/proc')) {
        if (!/^\d+$/.test(name)) continue;
        const pid = Number(name);
        const stat = procStat(pid);
        if (!stat || stat.state === 'Z' || stat.state === 'X') continue;
        const key = `${pid}/${stat.startTicks}`;
        present.add(key);
        let tagged = known.get(key);
        if (tagged === undefined) {
          try {
            tagged = readFileSync(`/proc/${pid}/environ`).includes(needle);
          } catch {
            tagged = false;
          }
          if (tagged || uptimeTicks - stat.startTicks > 2 * ticksPerSecond) known.set(key, tagged);
        }
        if (tagged) found.push({ pid, pgid: stat.pgid, state: stat.state });
      }
      for (const key of known.keys()) if (!present.has(key)) known.delete(key);
      return found;
    },
  };
}

// Resident set size in bytes, as the benchmarks read it.
export { rssBytes } from '../bench/lib/measure.mjs';

/** Open file descriptors, or null when the process is gone. @param {number} pid */
export function openFds(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

/** The load average (1, 5, 15 minutes) as printed by /proc/loadavg. */
export function loadAverage() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/**
 * True when `pid` carries the soak's tag: the soak signals only processes it can prove are its own (the machine is
 * shared, and a pid read from status a moment ago may have been reused since).
 * @param {number} pid
 * @param {string} tag
 */
export function carriesTag(pid, tag) {
  try {
    return readFileSync(`/proc/${pid}/environ`).includes(Buffer.from(`SOAK_TAG=${tag}\0`));
  } catch {
    return false;
  }
}
