import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, parseDocument, stringify, type Scalar } from 'yaml';
import { SupervisorError } from '../errors.js';
import { parseConfigText } from './config-file.js';

/** Config text after an edit, with the data it parses to. */
export interface ConfigEdit {
  text: string;
  data: Record<string, unknown>;
}

// Scalar styles whose source is one token on the key's own line, so swapping that token changes nothing else.
const inlineStyles = new Set<Scalar['type']>([undefined, 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE']);

/**
 * Sets top-level `values` in YAML `text` and touches nothing else: comments, key order, quoting, indentation and
 * blank lines stay as written. Throws ERR_CONFIG_INVALID (with line and column) when `text` does not parse.
 */
export function editConfigText(text: string, values: Record<string, unknown>, path = 'config.yaml'): ConfigEdit {
  const before = parseConfigText(path, text);
  if (before.status !== 'ok') {
    const where = before.status === 'invalid' ? { line: before.line, column: before.column } : {};
    throw new SupervisorError('ERR_CONFIG_INVALID', before.status === 'invalid' ? before.message : `${path} cannot be read`, { extra: where });
  }
  const expected = withValues(before.data, values);
  // First choice: swap only the changed value tokens in the original text. The Document round trip is the
  // fallback for shapes a splice cannot handle (flow mappings, block scalars, anchors); it keeps comments and
  // order but may re-indent. Either result is re-parsed and must hold exactly the expected data.
  for (const make of [() => spliceValues(text, values), () => rewriteWithDocument(text, values)]) {
    const candidate = make();
    if (candidate === null) continue;
    const after = parseConfigText(path, candidate);
    if (after.status === 'ok' && isDeepStrictEqual(after.data, expected)) return { text: candidate, data: after.data };
  }
  throw new SupervisorError('ERR_CONFIG_WRITE', `could not set ${Object.keys(values).join(', ')} in ${path} without changing other keys`);
}

// Replaces each existing scalar value in place and appends new keys at the end; null when the shape needs the Document path.
function spliceValues(text: string, values: Record<string, unknown>): string | null {
  const doc = parseDocument(text);
  const root = doc.contents;
  if (root !== null && !(isMap(root) && !root.flow)) return null;
  const edits: { start: number; end: number; source: string }[] = [];
  const added: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const pair = root?.items.find((item) => isScalar(item.key) && item.key.value === key);
    if (!pair) {
      const source = inlineSource(value, 'PLAIN');
      if (source === null || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return null;
      added.push(`${key}: ${source}`);
      continue;
    }
    const node = pair.value;
    // An empty value (`key:`) has no token to replace; anchors and tags would cling to the new value.
    if (!isScalar(node) || !node.range || node.range[0] === node.range[1] || !inlineStyles.has(node.type) || node.anchor || node.tag) return null;
    const source = inlineSource(value, node.type ?? 'PLAIN');
    if (source === null) return null;
    edits.push({ start: node.range[0], end: node.range[1], source });
  }
  if (added.length > 0 && root && root.items.length > 0 && !startsAtColumnZero(text, root.items[0]?.key)) return null;

  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.source + out.slice(edit.end);
  if (added.length === 0) return out;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lead = out.length === 0 || out.endsWith('\n') ? '' : eol;
  return `${out}${lead}${added.join(eol)}${eol}`;
}

// The yaml library's own edit: values set on the Document (scalars mutated so their comments stay), then re-stringified.
function rewriteWithDocument(text: string, values: Record<string, unknown>): string {
  const doc = parseDocument(text);
  for (const [key, value] of Object.entries(values)) {
    const node = doc.get(key, true);
    if (isScalar(node) && !node.anchor) node.value = value;
    else doc.set(key, value);
  }
  return doc.toString({ lineWidth: 0 });
}

// One value as a single-line YAML token in the given quoting style; null if it would need more than one line.
function inlineSource(value: unknown, style: NonNullable<Scalar['type']>): string | null {
  const type = style === 'QUOTE_DOUBLE' || style === 'QUOTE_SINGLE' ? style : 'PLAIN';
  const source = stringify(value, { defaultStringType: type, lineWidth: 0 }).replace(/\r?\n$/, '');
  return source.includes('\n') ? null : source;
}

function startsAtColumnZero(text: string, node: unknown): boolean {
  if (!isScalar(node) || !node.range) return false;
  const start = node.range[0];
  return start === 0 || text[start - 1] === '\n';
}

// The data the edited file must parse to; defineProperty keeps any odd key name as plain data.
function withValues(data: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  const out = { ...data };
  for (const [key, value] of Object.entries(values)) {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
