import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

/** A start or stop of the main server, as marked in server.log. */
export type ServerLogMark =
  | { kind: 'started'; pid: number; at?: Date }
  | { kind: 'stopped'; pid: number; code: number | null; signal?: NodeJS.Signals | null; at?: Date };

/** The separator line (without newline): `--- 2026-11-24T10:00:00.000Z server started pid 123 ---`. */
export function formatSeparator(mark: ServerLogMark): string {
  const at = (mark.at ?? new Date()).toISOString();
  if (mark.kind === 'started') return `--- ${at} server started pid ${mark.pid} ---`;
  const how = mark.signal ? `signal ${mark.signal}` : `exit code ${mark.code ?? 'unknown'}`;
  return `--- ${at} server stopped pid ${mark.pid} (${how}) ---`;
}

/**
 * Appends a separator line to server.log (O_APPEND, one write, so it never splits a line the server writes at the
 * same moment). If the server's last output had no final newline, one is added first so the mark stands on its own line.
 */
export function writeSeparator(logPath: string, mark: ServerLogMark): void {
  // a+ = O_APPEND for the write, readable for the newline check.
  const fd = openSync(logPath, 'a+', 0o600);
  try {
    const text = `${endsMidLine(fd) ? '\n' : ''}${formatSeparator(mark)}\n`;
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/** True when the open file's last byte is not a newline (its last line is unfinished); false for an empty file. */
export function endsMidLine(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  return readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
}

const separatorLine = /^--- \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z server (?:started|stopped) pid \d+(?: \([^)]*\))? ---$/;

/** True for a line the supervisor wrote (formatSeparator), not the server. */
export function isSeparatorLine(text: string): boolean {
  return separatorLine.test(text);
}
