import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { redactLine } from '../redact/redact-line.js';

/** What the holder of a port is found from; injectable, so every branch is tested on any machine. */
export interface PortHolderHost {
  /** Which way to look: /proc (`linux`) or lsof and ps (`darwin`); chosen by ProcessFacts (process-facts.ts). */
  platform: NodeJS.Platform;
  readFile(path: string): string;
  readdir(path: string): string[];
  readlink(path: string): string;
  /** Runs a program and returns its stdout (throws when it fails or is missing). */
  run(file: string, args: string[]): string;
}

/** The real machine's files and programs (the way to look is the caller's choice). */
export const realPortHolderHost: Omit<PortHolderHost, 'platform'> = {
  readFile: (path) => readFileSync(path, 'utf8'),
  readdir: (path) => readdirSync(path),
  readlink: (path) => readlinkSync(path),
  run: (file, args) => execFileSync(file, args, { encoding: 'utf8', timeout: 2_000, stdio: ['ignore', 'pipe', 'ignore'] }),
};

/** Who listens on a port: pid and command line (redacted, shortened). */
export interface PortHolder {
  pid: number;
  command: string;
}

const maxCommandLength = 200;

/**
 * The process listening on TCP `port`, when this user can see it: Linux reads /proc/net/tcp{,6} for the listening
 * socket's inode and finds the /proc/<pid>/fd that holds it; macOS asks `lsof`. Null when it cannot be seen (another
 * user's process, no lsof, another platform). Only called on a failed start, never on the restart path.
 */
export function findPortHolder(port: number, host: PortHolderHost): PortHolder | null {
  try {
    const pid = host.platform === 'linux' ? linuxListener(port, host) : host.platform === 'darwin' ? lsofListener(port, host) : null;
    if (pid === null) return null;
    return { pid, command: commandOf(pid, host) };
  } catch {
    return null;
  }
}

/** "port 3333 is in use by pid 4242 (python3 -m http.server)", or without the holder when it cannot be seen. */
export function portInUseMessage(port: number, holder: PortHolder | null): string {
  if (!holder) return `port ${port} is already in use by another process`;
  return `port ${port} is in use by pid ${holder.pid}${holder.command ? ` (${holder.command})` : ''}`;
}

// /proc/net/tcp lines: "sl local_address rem_address st ... inode"; a listener has state 0A, the port in hex.
function linuxListener(port: number, host: PortHolderHost): number | null {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = host.readFile(table);
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (!local || fields[3] !== '0A') continue;
      if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port && fields[9] && fields[9] !== '0') inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return null;
  for (const entry of host.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = host.readdir(`/proc/${entry}/fd`);
    } catch {
      continue; // another user's process, or gone
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = host.readlink(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match && inodes.has(match[1] as string)) return Number(entry);
    }
  }
  return null;
}

// `lsof -nP -iTCP:<port> -sTCP:LISTEN -Fp` prints one "p<pid>" line per listening process.
function lsofListener(port: number, host: PortHolderHost): number | null {
  const out = host.run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fp']);
  const match = /^p(\d+)$/m.exec(out);
  return match ? Number(match[1]) : null;
}

// The command line, redacted (it may carry a credential) and shortened: /proc/<pid>/cmdline on Linux, ps elsewhere
// (-ww: unlimited width; without it procps cuts the line at 80 columns when its output is not a terminal).
function commandOf(pid: number, host: PortHolderHost): string {
  let command = '';
  try {
    command =
      host.platform === 'linux'
        ? host.readFile(`/proc/${pid}/cmdline`).split('\0').filter(Boolean).join(' ')
        : host.run('ps', ['-ww', '-o', 'command=', '-p', String(pid)]).trim();
  } catch {
    return '';
  }
  const shown = redactLine(command.replace(/\s+/g, ' ').trim());
  return shown.length > maxCommandLength ? `${shown.slice(0, maxCommandLength - 1)}…` : shown;
}
