import { readFileSync, statSync } from 'node:fs';
import { isErrno } from '../errno.js';
import { LineCounter, isAlias, parseDocument, visit, type Document, type ErrorCode as YamlErrorCode } from 'yaml';
import { maxDataDepth } from '../redact/redact-config.js';

/**
 * Why config.yaml could not be loaded: one of a closed list of kinds (the YAML library's error codes and ours). A
 * message is made from the kind and the position alone, never from the file's text or the library's messages,
 * which quote the file (an unresolved alias names itself, and that name may be a secret).
 */
export type ConfigProblemKind =
  | YamlErrorCode
  | 'UNREADABLE'
  | 'UNRESOLVED_ALIAS'
  | 'TOO_MANY_ALIASES'
  | 'TOO_DEEP'
  | 'NOT_PLAIN_DATA'
  | 'NOT_A_MAPPING'
  | 'UNCONVERTIBLE';

declare const fromKindOnly: unique symbol;
/** A message about config.yaml built by `describeProblem` from a kind and a position only: it cannot quote the file. */
export type ConfigProblemMessage = string & { readonly [fromKindOnly]: true };

/** What reading config.yaml gave: its data, or why there is none. Never throws. */
export type ConfigRead =
  | { status: 'ok'; path: string; text: string; data: Record<string, unknown> }
  | { status: 'missing'; path: string; data: Record<string, unknown> }
  | {
      status: 'invalid';
      path: string;
      data: Record<string, unknown>;
      problem: ConfigProblemKind;
      message: ConfigProblemMessage;
      line: number | null;
      column: number | null;
    };

/** Where a problem is, and for an unreadable file the system error code (never its message). */
interface Problem {
  kind: ConfigProblemKind;
  line?: number;
  column?: number;
  /** What the top level holds instead of a mapping (NOT_A_MAPPING). */
  found?: string;
  /** ENOENT, EACCES, … (UNREADABLE). */
  errno?: string;
}

// One plain sentence per kind. The YAML library's codes are all listed (a new one fails typecheck until described).
const problemText: Record<ConfigProblemKind, string> = {
  ALIAS_PROPS: 'an alias (*name) cannot carry an anchor or a tag',
  BAD_ALIAS: 'an alias (*name) or anchor (&name) is malformed or ambiguous',
  BAD_COLLECTION_TYPE: 'a tag does not fit the kind of collection it is on',
  BAD_DIRECTIVE: 'a %-directive is unknown or malformed',
  BAD_DQ_ESCAPE: 'a double-quoted string holds an invalid escape',
  BAD_INDENT: 'the indentation is wrong',
  BAD_PROP_ORDER: 'an anchor or tag is out of place',
  BAD_SCALAR_START: 'a plain value starts with a character YAML reserves (quote the value)',
  BLOCK_AS_IMPLICIT_KEY: 'a block value is used as a key',
  BLOCK_IN_FLOW: 'a block value is inside a flow collection ([…] or {…})',
  DUPLICATE_KEY: 'a key appears twice in the same mapping',
  IMPOSSIBLE: 'the YAML parser could not read this',
  KEY_OVER_1024_CHARS: 'a key is longer than 1024 characters',
  MISSING_CHAR: 'a closing quote or bracket, or a required ":" or ",", is missing',
  MULTILINE_IMPLICIT_KEY: 'a key spans more than one line',
  MULTIPLE_ANCHORS: 'a value has more than one anchor',
  MULTIPLE_DOCS: 'the file holds more than one YAML document (---)',
  MULTIPLE_TAGS: 'a value has more than one tag',
  NON_STRING_KEY: 'a key is not a string',
  RESOURCE_EXHAUSTION: 'the document is nested too deeply or expands too much to read',
  TAB_AS_INDENT: 'a tab is used for indentation (use spaces)',
  TAG_RESOLVE_FAILED: 'a tag (!name or !!type) is unknown or does not fit its value',
  UNEXPECTED_TOKEN: 'there is text where YAML expects something else',
  UNREADABLE: 'the file cannot be read',
  UNRESOLVED_ALIAS: 'an alias (*name) refers to no anchor (&name) defined before it; quote the value if it is meant as text',
  TOO_MANY_ALIASES: 'aliases expand too much (more than 100 times): the file is refused as a resource exhaustion attack',
  TOO_DEEP: `a value is nested deeper than ${maxDataDepth} levels`,
  NOT_PLAIN_DATA: 'a value is not plain data (a !!binary, !!set, !!omap or !!timestamp value, or a date)',
  NOT_A_MAPPING: 'the top level must be a mapping of keys',
  UNCONVERTIBLE: 'the YAML library could not turn it into data',
};

/** The message for a problem: the file, the position and the kind, in our words. */
function describeProblem(path: string, problem: Problem): ConfigProblemMessage {
  const where = problem.line !== undefined ? ` at line ${problem.line}, column ${problem.column ?? 1}` : '';
  const text = (() => {
    switch (problem.kind) {
      case 'UNREADABLE':
        return `cannot read ${path}${problem.errno ? ` (${problem.errno})` : ''}`;
      case 'NOT_A_MAPPING':
        return `${path} must hold a mapping of keys at the top level, found ${problem.found ?? 'something else'}`;
      case 'TOO_DEEP':
      case 'NOT_PLAIN_DATA':
        return `${path} cannot be used${where}: ${problemText[problem.kind]}`;
      default:
        return `${path} is not valid YAML${where}: ${problemText[problem.kind]}`;
    }
  })();
  return text as ConfigProblemMessage;
}

interface CacheEntry {
  key: string;
  read: ConfigRead;
}
const cache = new Map<string, CacheEntry>();

/** Reads and parses the YAML config at `path`, fresh whenever the file changed (never latched at start-up). Never throws. */
export function readConfig(path: string): ConfigRead {
  try {
    const stat = statSync(path);
    const key = `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
    const hit = cache.get(path);
    if (hit && hit.key === key) return hit.read;
    const read = parseConfigText(path, readFileSync(path, 'utf8'));
    cache.set(path, { key, read });
    return read;
  } catch (error) {
    // Only the file system throws here (parseConfigText never does): the file is gone or cannot be read.
    cache.delete(path);
    if (isErrno(error, 'ENOENT')) return { status: 'missing', path, data: {} };
    return invalid(path, { kind: 'UNREADABLE', errno: errnoOf(error) });
  }
}

/**
 * Parses config text into plain data (JSON types only, at most `maxDataDepth` deep). Every way it can fail — syntax,
 * a warning, an unresolved alias, an alias bomb, a tag, anything the YAML library throws — is one `invalid` result
 * naming the kind, line and column. Never throws.
 */
export function parseConfigText(path: string, text: string): ConfigRead {
  try {
    return load(path, text);
  } catch {
    // The one catch around the YAML library. What it threw is dropped unread: its message quotes the file.
    return invalid(path, { kind: 'UNCONVERTIBLE' });
  }
}

function load(path: string, text: string): ConfigRead {
  const lines = new LineCounter();
  // Not "pretty": pretty errors copy the source line into the message. Log level "error": the library must not print a
  // warning (it quotes collection keys) to stderr; "silent" would also drop its error for a second document.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, logLevel: 'error', uniqueKeys: true });
  const at = (offset: number | undefined) => (offset === undefined ? {} : position(lines, offset));
  // A warning is a value read differently from what was written (an unknown tag, an ambiguous alias): refused too.
  const flagged = doc.errors[0] ?? doc.warnings[0];
  if (flagged) return invalid(path, { kind: flagged.code, ...at(flagged.pos[0]) });
  const unresolved = firstUnresolvedAlias(doc);
  if (unresolved !== null) return invalid(path, { kind: 'UNRESOLVED_ALIAS', ...at(unresolved) });

  const converted = toData(doc);
  if (!converted.ok) return invalid(path, { kind: converted.kind, ...(converted.kind === 'TOO_MANY_ALIASES' ? at(firstAlias(doc)) : {}) });
  const data = converted.data;
  if (data === null || data === undefined) return { status: 'ok', path, text, data: {} };
  if (typeof data !== 'object' || Array.isArray(data)) {
    return invalid(path, { kind: 'NOT_A_MAPPING', found: Array.isArray(data) ? 'a list' : `a ${typeof data}`, line: 1, column: 1 });
  }
  const odd = firstUnplainValue(data);
  if (odd) return invalid(path, { kind: odd.kind, ...at(offsetOf(doc, odd.path)) });
  return { status: 'ok', path, text, data: data as Record<string, unknown> };
}

// The library's conversion throws for an alias bomb (its alias budget, 100 by default); that is the only throw left
// once errors, warnings and unresolved aliases are ruled out. Anything else it could throw is UNCONVERTIBLE.
function toData(doc: Document): { ok: true; data: unknown } | { ok: false; kind: ConfigProblemKind } {
  try {
    return { ok: true, data: doc.toJS() };
  } catch (error) {
    // Its message is only matched here, never shown.
    const message = typeof error === 'object' && error !== null ? String((error as { message?: unknown }).message) : '';
    return { ok: false, kind: /^Excessive alias count/.test(message) ? 'TOO_MANY_ALIASES' : 'UNCONVERTIBLE' };
  }
}

// Anchors are defined in document order; an alias must follow its anchor (the library throws on it only when converting).
function firstUnresolvedAlias(doc: Document): number | null {
  const anchors = new Set<string>();
  let found: number | null = null;
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        if (!anchors.has(node.source)) {
          found = node.range?.[0] ?? 0;
          return visit.BREAK;
        }
      } else if (node.anchor) {
        anchors.add(node.anchor);
      }
      return undefined;
    },
  });
  return found;
}

function firstAlias(doc: Document): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      found = node.range?.[0];
      return visit.BREAK;
    },
  });
  return found;
}

/** The first value (by key path) that is not JSON data or lies deeper than maxDataDepth; walked without recursion. */
function firstUnplainValue(data: object): { kind: 'TOO_DEEP' | 'NOT_PLAIN_DATA'; path: (string | number)[] } | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: data, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: (string | number)[] };
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') continue;
    if (Array.isArray(value) || isPlainObject(value)) {
      // A cycle (an alias inside its own anchor) never ends, so it is caught here too.
      if (path.length >= maxDataDepth) return { kind: 'TOO_DEEP', path };
      const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i] as [string | number, unknown];
        stack.push({ value: item, path: [...path, key] });
      }
      continue;
    }
    return { kind: 'NOT_PLAIN_DATA', path };
  }
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// Where the node at a key path starts; when the path runs through an alias (or a merged key), where the deepest node
// on it that the document holds starts.
function offsetOf(doc: Document, path: (string | number)[]): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node: unknown = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (Array.isArray(range)) return range[0];
  }
  return undefined;
}

function position(lines: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function invalid(path: string, problem: Problem): ConfigRead {
  return {
    status: 'invalid',
    path,
    data: {},
    problem: problem.kind,
    message: describeProblem(path, problem),
    line: problem.line ?? null,
    column: problem.line !== undefined ? (problem.column ?? 1) : null,
  };
}

function errnoOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}
