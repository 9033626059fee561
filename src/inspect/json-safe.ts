/** Longest string kept whole in an inspection record; longer ones are cut (a context is not a transport). */
export const maxInspectedString = 500;

function isActorLike(value: object): boolean {
  return typeof (value as { send?: unknown }).send === 'function' && typeof (value as { getSnapshot?: unknown }).getSnapshot === 'function';
}

/** A JSON-safe copy: no functions, actor refs shown as "[actor]", cycles cut, long strings shortened, bounded depth. */
export function jsonSafe(value: unknown, depth = 8, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return Number.isFinite(value) || typeof value !== 'number' ? value : null;
  if (typeof value === 'string') return value.length > maxInspectedString ? `${value.slice(0, maxInspectedString)}…` : value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined;
  if (seen.has(value)) return '[circular]';
  if (isActorLike(value)) return '[actor]';
  if (depth <= 0) return '[…]';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.slice(0, 100).map((item) => jsonSafe(item, depth - 1, seen) ?? null);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const safe = jsonSafe(item, depth - 1, seen);
      if (safe !== undefined) out[key] = safe;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
