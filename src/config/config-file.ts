import { readFileSync, statSync } from 'node:fs';
import { YAMLParseError, parseDocument } from 'yaml';
import { isErrno } from '../errno.js';

/** What reading config.yaml gave: its data, or why there is none. Never throws. */
export type ConfigRead =
  | { status: 'ok'; path: string; text: string; data: Record<string, unknown> }
  | { status: 'missing'; path: string; data: Record<string, unknown> }
  | { status: 'invalid'; path: string; data: Record<string, unknown>; message: string; line: number | null; column: number | null };

interface CacheEntry {
  key: string;
  read: ConfigRead;
}
const cache = new Map<string, CacheEntry>();

/** Reads and parses the YAML config at `path`, fresh whenever the file changed (never latched at start-up). */
export function readConfig(path: string): ConfigRead {
  let key: string;
  try {
    const stat = statSync(path);
    key = `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
  } catch (error) {
    cache.delete(path);
    if (isErrno(error, 'ENOENT')) return { status: 'missing', path, data: {} };
    return invalid(path, `cannot read ${path}: ${(error as Error).message}`);
  }
  const hit = cache.get(path);
  if (hit && hit.key === key) return hit.read;
  const read = parseConfigText(path, safeRead(path));
  cache.set(path, { key, read });
  return read;
}

/** Parses config text; the error names the line and column of the first problem. */
export function parseConfigText(path: string, text: string | Error): ConfigRead {
  if (text instanceof Error) return invalid(path, `cannot read ${path}: ${text.message}`);
  const doc = parseDocument(text, { prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first instanceof YAMLParseError ? first.linePos?.[0] : undefined;
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    return invalid(path, `${path} is not valid YAML${where}: ${firstLine(first.message)}`, pos?.line, pos?.col);
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return { status: 'ok', path, text, data: {} };
  if (typeof data !== 'object' || Array.isArray(data)) {
    return invalid(path, `${path} must hold a mapping of keys at the top level, found ${Array.isArray(data) ? 'a list' : typeof data}`, 1, 1);
  }
  return { status: 'ok', path, text, data: data as Record<string, unknown> };
}

// yaml's pretty message ends with its own position; we state the position once, in our words.
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function invalid(path: string, message: string, line?: number, column?: number): ConfigRead {
  return { status: 'invalid', path, data: {}, message, line: line ?? null, column: column ?? null };
}

function safeRead(path: string): string | Error {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    return error as Error;
  }
}
