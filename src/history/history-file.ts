import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { appendFile, chmod, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { privateFileMode, writeFileAtomic } from '../config/atomic-file.js';
import { isErrno } from '../errno.js';
import { endsMidLine } from '../logs/log-separator.js';
import { isHistoryEvent, type HistoryEvent } from './history-event.js';

/** What a history file holds: its events oldest first, and how many lines that took (torn or foreign ones included). */
export interface HistoryContents {
  events: HistoryEvent[];
  lines: number;
}

/** Parses history.jsonl: one event per line; a torn line (a crash mid-write) or a line that is not an event is skipped. */
export function parseHistory(text: string): HistoryContents {
  const events: HistoryEvent[] = [];
  let lines = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    lines += 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (isHistoryEvent(value)) events.push(value);
  }
  return { events, lines };
}

/** Reads the history file (a missing one is empty); other read errors are thrown. */
export async function readHistoryFile(path: string): Promise<HistoryContents> {
  try {
    return parseHistory(await readFile(path, 'utf8'));
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return { events: [], lines: 0 };
    throw error;
  }
}

/** The same, synchronously, for start-up (where seq continues from); a file that cannot be read is empty. */
export function readHistoryFileSync(path: string): HistoryContents {
  try {
    return parseHistory(readFileSync(path, 'utf8'));
  } catch {
    return { events: [], lines: 0 };
  }
}

// True when the file's last line is torn (a crash mid-write); false for a missing file.
function fileEndsMidLine(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    return endsMidLine(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends events as JSON lines (one write, O_APPEND, mode 0600; the folder is made 0700 if missing). A torn last line
 * left by a crash is first ended, so it stays one skipped line instead of swallowing the next event.
 */
export async function appendHistory(path: string, events: readonly HistoryEvent[]): Promise<void> {
  if (events.length === 0) return;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const text = `${fileEndsMidLine(path) ? '\n' : ''}${events.map((event) => JSON.stringify(event)).join('\n')}\n`;
  await appendFile(path, text, { mode: privateFileMode });
  // A file created by someone else with a wider mode is narrowed: it holds the server's last words.
  await chmod(path, privateFileMode).catch(() => undefined);
}

/** Replaces the file atomically with its newest `keep` events (temp file, fsync, rename; mode 0600). */
export async function compactHistory(path: string, keep: number): Promise<number> {
  const { events } = await readHistoryFile(path);
  const kept = events.slice(-keep);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, kept.map((event) => `${JSON.stringify(event)}\n`).join(''));
  return kept.length;
}
