// Reads an XState v5 `machine.toJSON()` (GET /supervisor/machines) into a state tree and its transitions, with the
// text each arrow shows. Pure; the layout is ELK's (elk-graph.ts).

export type StateType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

export interface ParsedState {
  /** Keys from the root joined by '.', '' for the root: "crashed.backoff". */
  path: string;
  key: string;
  id: string;
  type: StateType;
  description: string | null;
  /** Path of the initial child of a compound state. */
  initial: string | null;
  children: ParsedState[];
  /** Names of the actors this state invokes. */
  invokes: string[];
}

export interface ParsedTransition {
  source: string;
  /** Target paths; empty for a targetless transition (actions only). */
  targets: string[];
  eventType: string;
  /** What an arrow shows: "server.restart", "after 30s", "done: fetchModels", with " [guard]". */
  label: string;
}

export interface ParsedMachine {
  id: string;
  root: ParsedState;
  states: Map<string, ParsedState>;
  transitions: ParsedTransition[];
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const stateTypes: readonly StateType[] = ['atomic', 'compound', 'parallel', 'final', 'history'];

/** A delay for a label: 30000 → "30s", 1500 → "1.5s", 250 → "250ms", "restartBackoff" stays. */
export function formatDelay(delay: unknown): string {
  if (typeof delay === 'number' || (typeof delay === 'string' && /^\d+$/.test(delay))) {
    const ms = Number(delay);
    if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}min`;
    if (ms >= 1000) return `${+(ms / 1000).toFixed(2)}s`;
    return `${ms}ms`;
  }
  return String(delay);
}

/** The arrow text of an event type, given the machine's invoke ids → actor names. */
export function eventLabel(eventType: string, transition: Json, invokeSources: Map<string, string>): string {
  if (eventType === '') return 'always';
  if (eventType.startsWith('xstate.after.')) {
    const delay = transition['delay'] ?? eventType.slice('xstate.after.'.length).split('.')[0];
    return `after ${formatDelay(delay)}`;
  }
  for (const [prefix, word] of [
    ['xstate.done.actor.', 'done'],
    ['xstate.error.actor.', 'error'],
  ] as const) {
    if (eventType.startsWith(prefix)) {
      const id = eventType.slice(prefix.length);
      return `${word}: ${invokeSources.get(id) ?? id}`;
    }
  }
  if (eventType.startsWith('xstate.done.state.')) return 'done';
  return eventType;
}

function guardName(transition: Json): string | null {
  const guard = transition['guard'];
  if (typeof guard === 'string') return guard;
  if (isRecord(guard) && typeof guard['type'] === 'string') return guard['type'];
  return null;
}

/** Reads `machine.toJSON()`; tolerant of missing fields, throws only when there is no state tree at all. */
export function parseMachine(json: unknown): ParsedMachine {
  if (!isRecord(json)) throw new Error('machine definition is not an object');
  const states = new Map<string, ParsedState>();
  const idToPath = new Map<string, string>();
  const invokeSources = new Map<string, string>();
  const rawByPath = new Map<string, Json>();

  const visit = (raw: Json, key: string, path: string): ParsedState => {
    const children: ParsedState[] = [];
    const rawChildren = isRecord(raw['states']) ? raw['states'] : {};
    const invokes: string[] = [];
    for (const invoke of Array.isArray(raw['invoke']) ? raw['invoke'] : []) {
      if (!isRecord(invoke)) continue;
      const src = typeof invoke['src'] === 'string' ? invoke['src'] : typeof invoke['id'] === 'string' ? invoke['id'] : null;
      if (src === null) continue;
      invokes.push(src);
      if (typeof invoke['id'] === 'string') invokeSources.set(invoke['id'], src);
    }
    const type = stateTypes.find((t) => t === raw['type']) ?? (Object.keys(rawChildren).length ? 'compound' : 'atomic');
    const node: ParsedState = {
      path,
      key,
      id: typeof raw['id'] === 'string' ? raw['id'] : path,
      type,
      description: typeof raw['description'] === 'string' ? raw['description'] : null,
      initial: null,
      children,
      invokes,
    };
    states.set(path, node);
    rawByPath.set(path, raw);
    idToPath.set(node.id, path);
    // Children in document order (toJSON keeps `order`; object key order is the fallback).
    const entries = Object.entries(rawChildren).filter((entry): entry is [string, Json] => isRecord(entry[1]));
    entries.sort(([, a], [, b]) => (Number(a['order']) || 0) - (Number(b['order']) || 0));
    for (const [childKey, childRaw] of entries) {
      children.push(visit(childRaw, childKey, path === '' ? childKey : `${path}.${childKey}`));
    }
    return node;
  };

  const rootKey = typeof json['key'] === 'string' ? json['key'] : typeof json['id'] === 'string' ? json['id'] : 'machine';
  if (!isRecord(json['states'])) throw new Error('machine definition has no states');
  const root = visit(json, rootKey, '');

  // Resolves "#id" targets through the id map, and bare keys as siblings or children of the source.
  const resolve = (target: string, source: string): string | null => {
    if (target.startsWith('#')) return idToPath.get(target.slice(1)) ?? null;
    const parent = source.includes('.') ? source.slice(0, source.lastIndexOf('.')) : '';
    for (const base of [parent, source]) {
      const candidate = base === '' ? target.replace(/^\./, '') : `${base}.${target.replace(/^\./, '')}`;
      if (states.has(candidate)) return candidate;
    }
    return null;
  };

  const transitions: ParsedTransition[] = [];
  for (const [path, raw] of rawByPath) {
    const node = states.get(path);
    if (!node) continue;
    const initial = raw['initial'];
    if (isRecord(initial) && Array.isArray(initial['target'])) {
      const first = initial['target'].find((t): t is string => typeof t === 'string');
      node.initial = first ? resolve(first, path) : null;
    } else if (typeof initial === 'string') {
      node.initial = resolve(initial, `${path}.${initial}`) ?? null;
    }
    const list: unknown[] = Array.isArray(raw['transitions'])
      ? raw['transitions']
      : isRecord(raw['on'])
        ? Object.values(raw['on']).flat()
        : [];
    // `always` is not in toJSON today; read it if a serializer adds it.
    const always: unknown[] = Array.isArray(raw['always']) ? raw['always'] : [];
    for (const item of [...list, ...always.map((t) => (isRecord(t) ? { ...t, eventType: '' } : t))]) {
      if (!isRecord(item)) continue;
      const eventType = typeof item['eventType'] === 'string' ? item['eventType'] : '';
      const rawTargets = Array.isArray(item['target']) ? item['target'] : typeof item['target'] === 'string' ? [item['target']] : [];
      const targets = rawTargets
        .filter((t): t is string => typeof t === 'string')
        .map((t) => resolve(t, path))
        .filter((t): t is string => t !== null);
      const guard = guardName(item);
      const label = eventLabel(eventType, item, invokeSources) + (guard ? ` [${guard}]` : '');
      transitions.push({ source: path, targets, eventType, label });
    }
  }
  const id = typeof json['id'] === 'string' ? json['id'] : rootKey;
  return { id, root, states, transitions };
}
