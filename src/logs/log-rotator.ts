import { existsSync, ftruncateSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { backupPath, readLayout, writeBase } from './log-layout.js';
import { isErrno } from '../errno.js';

/** Where the log is and how it is rotated (read again on every check: config is never latched). */
export interface LogRotationSettings {
  logPath: string;
  /** Rotate once server.log reaches this size (supervisor.log_max_bytes). */
  maxBytes: number;
  /** Backups kept, server.log.1 … server.log.N (supervisor.log_backups); 0 keeps none. */
  backups: number;
}

/** What one rotation did. */
export interface RotationResult {
  /** Bytes moved out of server.log into server.log.1 (or dropped when backups is 0). */
  bytes: number;
  /** Stream offset of server.log's first byte after the rotation. */
  base: number;
}

/** Size rotation of server.log by copy-then-truncate, safe while the server appends to it through an O_APPEND fd. */
export interface LogRotator {
  /** Rotates when server.log has reached maxBytes; null when it has not (or is missing). */
  rotateIfNeeded(): Promise<RotationResult | null>;
  /** Rotates now, whatever the size; null when server.log is missing or empty. */
  rotate(): Promise<RotationResult | null>;
  /** Checks every `intervalMs` (unref'd timer); returns a function that stops the timer. */
  start(intervalMs: number): () => void;
}

const COPY_CHUNK = 1024 * 1024;
// The synchronous final phase copies at most about this much (plus what is appended during the last async pass).
const SYNC_TAIL_BYTES = 256 * 1024;
const MAX_ASYNC_PASSES = 4;

/** Creates the rotator; `settings` is called on every check so edits to config.yaml apply without a restart. */
export function createLogRotator(settings: () => LogRotationSettings, hooks: { onError?(error: unknown): void } = {}): LogRotator {
  // One rotation at a time: a timer tick during a slow copy waits for it instead of copying twice.
  let running: Promise<RotationResult | null> = Promise.resolve(null);
  const serialized = (job: () => Promise<RotationResult | null>): Promise<RotationResult | null> => {
    running = running.catch(() => null).then(job);
    return running;
  };
  const rotateIfNeeded = (): Promise<RotationResult | null> =>
    serialized(async () => {
      const current = settings();
      const live = readLayout(current.logPath).live;
      if (!live || live.end - live.start < current.maxBytes) return null;
      return rotateNow(current);
    });
  return {
    rotateIfNeeded,
    rotate: () => serialized(() => rotateNow(settings())),
    start(intervalMs) {
      const timer = setInterval(() => {
        rotateIfNeeded().catch((error: unknown) => hooks.onError?.(error));
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

/**
 * Copy-then-truncate: the writer is another process holding server.log open with O_APPEND, so renaming the file would
 * leave it writing into the backup. The bulk copy is asynchronous (into server.log.1.tmp, which no reader looks at);
 * the final phase (re-copy of the bytes appended meanwhile, truncate, renames, new base) is synchronous, so no follower
 * in this process sees a half rotation, and every byte keeps its stream offset.
 */
async function rotateNow({ logPath, backups }: LogRotationSettings): Promise<RotationResult | null> {
  let source: FileHandle;
  try {
    source = await open(logPath, 'r+');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw error;
  }
  const temp = `${backupPath(logPath, 1)}.tmp`;
  let target: FileHandle | null = null;
  try {
    let size = (await source.stat()).size;
    if (size === 0) return null;
    target = backups > 0 ? await open(temp, 'w', 0o600) : null;
    // Bulk copy up to sizes seen at the start of each pass (a busy writer would keep "the end" moving away), a few
    // passes while the rest is large, so the synchronous final phase has little left to copy.
    let copied = 0;
    for (let pass = 0; pass < MAX_ASYNC_PASSES && size - copied > SYNC_TAIL_BYTES; pass += 1) {
      copied = await copyAsync(source, target, copied, size);
      size = (await source.stat()).size;
    }
    if (target) await target.sync();
    // Final phase, synchronous: the only bytes that can be lost are those appended between the last read (which saw
    // the end) and ftruncate, a window of one system call.
    copied = copySync(source.fd, target?.fd ?? null, copied);
    ftruncateSync(source.fd, 0);
    const base = readLayout(logPath).base + copied;
    pruneBackups(logPath, backups);
    if (target) {
      shiftBackups(logPath, backups);
      renameSync(temp, backupPath(logPath, 1));
    }
    writeBase(logPath, base);
    return { bytes: copied, base };
  } finally {
    await target?.close();
    await source.close();
    rmSync(temp, { force: true });
  }
}

// Copies source bytes [from, to) (fewer if the file is shorter); returns the position reached.
async function copyAsync(source: FileHandle, target: FileHandle | null, from: number, to: number): Promise<number> {
  const buffer = Buffer.allocUnsafe(COPY_CHUNK);
  let at = from;
  while (at < to) {
    const { bytesRead } = await source.read(buffer, 0, Math.min(buffer.length, to - at), at);
    if (bytesRead === 0) return at;
    if (target) await target.write(buffer, 0, bytesRead);
    at += bytesRead;
  }
  return at;
}

// Copies source bytes from `position` to the end seen now; returns the new position.
function copySync(source: number, target: number | null, position: number): number {
  const buffer = Buffer.allocUnsafe(COPY_CHUNK);
  let at = position;
  for (;;) {
    const n = readSync(source, buffer, 0, buffer.length, at);
    if (n === 0) return at;
    if (target !== null) writeAll(target, buffer.subarray(0, n));
    at += n;
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

// Backups beyond the configured count go (all of them when backups is 0), so none holds misplaced offsets.
function pruneBackups(logPath: string, backups: number): void {
  for (let n = backups + 1; existsSync(backupPath(logPath, n)); n += 1) rmSync(backupPath(logPath, n), { force: true });
}

// server.log.N is dropped, N-1 becomes N, …, 1 becomes 2, making room for the new server.log.1.
function shiftBackups(logPath: string, backups: number): void {
  rmSync(backupPath(logPath, backups), { force: true });
  for (let n = backups - 1; n >= 1; n -= 1) {
    try {
      renameSync(backupPath(logPath, n), backupPath(logPath, n + 1));
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
    }
  }
}
