import type { JsonValue, ModelLifecycle } from '../../machines/model-cache.machine.js';

/** A model as the Models API describes it, every field checked; the fields newer answers add are null when absent. */
export interface UpstreamModel {
  id: string;
  display_name: string;
  created_at: string;
  line?: string | null;
  lifecycle?: ModelLifecycle | null;
  deprecated_at?: string | null;
  retires_at?: string | null;
  max_input_tokens?: number | null;
  max_tokens?: number | null;
  capabilities?: { [key: string]: JsonValue } | null;
}

/** Bounds of the copy of `capabilities`: an object the API grows must not grow our memory or our answers without end. */
export const capabilityLimits = {
  /** Nesting below the top object (the API's is 3 deep today). */
  depth: 6,
  /** Keys of one object, items of one array. */
  width: 64,
  /** Values in the whole copy. */
  nodes: 1_000,
  /** Characters of one string. */
  stringLength: 200,
} as const;

const lifecycles: readonly string[] = ['active', 'deprecated', 'retired'] satisfies ModelLifecycle[];
// A line is a short word (`opus`, `fable`, a line added later); anything else is not trusted as one.
const linePattern = /^[a-z][a-z0-9_-]{0,39}$/i;

/**
 * Reads one entry of a Models API answer (a list item or a retrieve answer). An entry without an id is null; every
 * other field that is missing or malformed gets a neutral value (`display_name` the id, `created_at` '', the newer
 * fields null), so one odd entry never fails the list.
 */
export function toUpstreamModel(entry: unknown): UpstreamModel | null {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return null;
  const raw = entry as Record<string, unknown>;
  if (typeof raw.id !== 'string' || raw.id === '') return null;
  return {
    id: raw.id,
    display_name: typeof raw.display_name === 'string' && raw.display_name !== '' ? raw.display_name : raw.id,
    created_at: typeof raw.created_at === 'string' ? raw.created_at : '',
    line: typeof raw.line === 'string' && linePattern.test(raw.line) ? raw.line.toLowerCase() : null,
    lifecycle: typeof raw.lifecycle === 'string' && lifecycles.includes(raw.lifecycle) ? (raw.lifecycle as ModelLifecycle) : null,
    deprecated_at: timestamp(raw.deprecated_at),
    retires_at: timestamp(raw.retires_at),
    max_input_tokens: tokenCount(raw.max_input_tokens),
    max_tokens: tokenCount(raw.max_tokens),
    capabilities: capabilitiesCopy(raw.capabilities),
  };
}

/** A JSON-safe copy of an upstream `capabilities` object within `capabilityLimits`, or null when it is not an object. */
export function capabilitiesCopy(value: unknown): { [key: string]: JsonValue } | null {
  if (!isPlainObject(value)) return null;
  const budget = { nodes: capabilityLimits.nodes };
  return copyObject(value, capabilityLimits.depth, budget);
}

function copyObject(value: Record<string, unknown>, depth: number, budget: { nodes: number }): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  let width = 0;
  for (const [key, item] of Object.entries(value)) {
    if (width >= capabilityLimits.width || budget.nodes <= 0) break;
    const copied = copyValue(item, depth, budget);
    if (copied === undefined || key.length > capabilityLimits.stringLength) continue;
    out[key] = copied;
    width += 1;
  }
  return out;
}

// Undefined for what JSON cannot hold or what lies beyond the bounds; the entry is then left out.
function copyValue(value: unknown, depth: number, budget: { nodes: number }): JsonValue | undefined {
  if (budget.nodes <= 0) return undefined;
  budget.nodes -= 1;
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return value.length > capabilityLimits.stringLength ? value.slice(0, capabilityLimits.stringLength) : value;
  if (depth <= 0) return undefined;
  if (Array.isArray(value)) {
    return value
      .slice(0, capabilityLimits.width)
      .map((item) => copyValue(item, depth - 1, budget))
      .filter((item): item is JsonValue => item !== undefined);
  }
  if (isPlainObject(value)) return copyObject(value, depth - 1, budget);
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// RFC 3339 as the API sends it; anything that does not parse as a date is null (never a wrong date shown to a user).
function timestamp(value: unknown): string | null {
  return typeof value === 'string' && value.length <= 64 && !Number.isNaN(Date.parse(value)) ? value : null;
}

function tokenCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}
