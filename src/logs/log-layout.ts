import { closeSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isErrno } from '../errno.js';

/**
 * The log as one byte stream: `server.log.N … server.log.1, server.log`, oldest first. A stream offset names a byte
 * for good: rotation moves bytes into a backup but never changes their offset. `server.log` starts at `base`, kept in
 * the `server.log.offset` file that only the rotator writes.
 */
export interface LogLayout {
  logPath: string;
  base: number;
  /** Files oldest first; the last one is server.log itself when it exists. */
  segments: LogSegment[];
  /** The live file, or null when server.log does not exist. */
  live: LogSegment | null;
}

/** One file of the log and the stream offsets it holds: [start, end). */
export interface LogSegment {
  path: string;
  ino: number;
  start: number;
  end: number;
}

// A safety bound on backup numbers scanned (the configured log_backups is far smaller).
const MAX_BACKUPS_SCANNED = 100;

/** The file that records the stream offset of server.log's first byte. */
export function offsetFilePath(logPath: string): string {
  return `${logPath}.offset`;
}

/** The path of backup number `n` (1 = newest). */
export function backupPath(logPath: string, n: number): string {
  return `${logPath}.${n}`;
}

// Followers read the base on every wake-up: a stat tells whether the file (replaced by rename on each write) changed.
const baseCache = new Map<string, { key: string; base: number }>();

/** Reads the stream offset of server.log's first byte (0 before the first rotation). */
export function readBase(logPath: string): number {
  const file = offsetFilePath(logPath);
  try {
    const stat = statSync(file);
    const key = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    const hit = baseCache.get(file);
    if (hit && hit.key === key) return hit.base;
    const value = Number(readFileSync(file, 'utf8').trim());
    const base = Number.isSafeInteger(value) && value >= 0 ? value : 0;
    baseCache.set(file, { key, base });
    return base;
  } catch (error) {
    baseCache.delete(file);
    if (isErrno(error, 'ENOENT')) return 0;
    throw error;
  }
}

/** Records the stream offset of server.log's first byte atomically (temp file, then rename). */
export function writeBase(logPath: string, base: number): void {
  const file = offsetFilePath(logPath);
  writeFileSync(`${file}.tmp`, `${base}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** Stats server.log and its backups (synchronously, so no in-process rotation can interleave). */
export function readLayout(logPath: string): LogLayout {
  const live = statOrNull(logPath);
  const backups: { path: string; ino: number; size: number }[] = [];
  for (let n = 1; n <= MAX_BACKUPS_SCANNED; n += 1) {
    const path = backupPath(logPath, n);
    const stat = statOrNull(path);
    if (!stat) break;
    backups.push({ path, ...stat });
  }
  const backupBytes = backups.reduce((sum, b) => sum + b.size, 0);
  // A lost offset file must not put backups at negative offsets: the base is at least what they hold.
  const base = Math.max(readBase(logPath), backupBytes);
  const segments: LogSegment[] = [];
  let start = base - backupBytes;
  for (const b of [...backups].reverse()) {
    segments.push({ path: b.path, ino: b.ino, start, end: start + b.size });
    start += b.size;
  }
  const liveSegment = live ? { path: logPath, ino: live.ino, start: base, end: base + live.size } : null;
  if (liveSegment) segments.push(liveSegment);
  return { logPath, base, segments, live: liveSegment };
}

/** The stream offset after the last byte of the log (the base when server.log is missing). */
export function layoutEnd(layout: LogLayout): number {
  return layout.live ? layout.live.end : layout.base;
}

/** The stream offset of the oldest byte still on disk. */
export function layoutStart(layout: LogLayout): number {
  return layout.segments[0]?.start ?? layout.base;
}

/** The segment holding the byte at `offset`, or null when it is outside the log. */
export function segmentAt(layout: LogLayout, offset: number): LogSegment | null {
  return layout.segments.find((s) => offset >= s.start && offset < s.end) ?? null;
}

/** Reads up to `maxBytes` starting at stream offset `offset`, from the one segment that holds it (empty at the end). */
export function readAt(layout: LogLayout, offset: number, maxBytes: number): { bytes: Buffer; segment: LogSegment | null } {
  const segment = segmentAt(layout, offset);
  if (!segment) return { bytes: Buffer.alloc(0), segment: null };
  const length = Math.min(maxBytes, segment.end - offset);
  return { bytes: preadFile(segment.path, offset - segment.start, length), segment };
}

/** Reads the bytes at stream offsets [from, to), across segments; missing bytes are simply not returned. */
export function readRange(layout: LogLayout, from: number, to: number): Buffer {
  const parts: Buffer[] = [];
  let at = from;
  while (at < to) {
    const { bytes } = readAt(layout, at, to - at);
    if (bytes.length === 0) break;
    parts.push(bytes);
    at += bytes.length;
  }
  return Buffer.concat(parts);
}

/** Reads `length` bytes at file position `position` (fewer if the file is shorter now). */
export function preadFile(path: string, position: number, length: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return Buffer.alloc(0);
    throw error;
  }
  try {
    const buffer = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buffer, got, length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return buffer.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

function statOrNull(path: string): { ino: number; size: number } | null {
  try {
    const stat = statSync(path);
    return stat.isFile() ? { ino: stat.ino, size: stat.size } : null;
  } catch (error) {
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return null;
    throw error;
  }
}
