// The inspection stream's messages (GET /supervisor/inspect) as the pages expect them, and their parsing.
//
//   event: snapshot
//   data: {"actor": "server", "value": "running", "status": "active", "context": {...}, "at": 1700000000000}
//
//   event: event
//   data: {"actor": "server", "type": "server.restart", "event": {...}, "at": 1700000000000}
//
// On connect the server sends one `snapshot` per actor. Values are XState state values: "running" or
// {"crashed": "backoff"} (parallel states: several keys).

/** An XState state value. */
export type StateValue = string | { [key: string]: StateValue };

/** `event: snapshot` — an actor's state after a transition (or at connect). */
export interface InspectionSnapshot {
  actor: string;
  value: StateValue;
  status: string;
  context: Record<string, unknown>;
  at: number;
}

/** `event: event` — an event an actor received. */
export interface InspectionEvent {
  actor: string;
  type: string;
  event: Record<string, unknown>;
  at: number;
}

/** The SSE event names of the inspection stream. */
export const inspectionEventNames = { snapshot: 'snapshot', event: 'event' } as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a JSON value is an XState state value. */
export function isStateValue(value: unknown): value is StateValue {
  if (typeof value === 'string') return true;
  return isRecord(value) && Object.values(value).every(isStateValue);
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/** Parses the data of a `snapshot` message; null when it is not one. */
export function parseSnapshot(data: string): InspectionSnapshot | null {
  const raw = parseJson(data);
  if (!isRecord(raw) || typeof raw['actor'] !== 'string' || !isStateValue(raw['value'])) return null;
  return {
    actor: raw['actor'],
    value: raw['value'],
    status: typeof raw['status'] === 'string' ? raw['status'] : 'active',
    context: isRecord(raw['context']) ? raw['context'] : {},
    at: typeof raw['at'] === 'number' ? raw['at'] : Date.now(),
  };
}

/** Parses the data of an `event` message; null when it is not one. */
export function parseEvent(data: string): InspectionEvent | null {
  const raw = parseJson(data);
  if (!isRecord(raw) || typeof raw['actor'] !== 'string' || typeof raw['type'] !== 'string') return null;
  return {
    actor: raw['actor'],
    type: raw['type'],
    event: isRecord(raw['event']) ? raw['event'] : { type: raw['type'] },
    at: typeof raw['at'] === 'number' ? raw['at'] : Date.now(),
  };
}

/** Every state path a value makes active, ancestors included: {"crashed": "backoff"} → ["crashed", "crashed.backoff"]. */
export function activePaths(value: StateValue, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix + value];
  const paths: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    paths.push(prefix + key, ...activePaths(child, `${prefix}${key}.`));
  }
  return paths;
}

/** A state value as one readable line: {"crashed": "backoff"} → "crashed.backoff". */
export function formatStateValue(value: StateValue): string {
  if (typeof value === 'string') return value;
  const parts = Object.entries(value).map(([key, child]) =>
    typeof child === 'string' ? `${key}.${child}` : `${key}.${formatStateValue(child)}`,
  );
  return parts.length === 1 ? (parts[0] ?? '') : `{ ${parts.join(', ')} }`;
}

/** The top-level state of a value: {"crashed": "backoff"} → "crashed"; null for a parallel value. */
export function topLevelState(value: StateValue): string | null {
  if (typeof value === 'string') return value;
  const keys = Object.keys(value);
  return keys.length === 1 ? (keys[0] ?? null) : null;
}
