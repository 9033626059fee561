// How the replays compare what the daemon shows with what the model says.

/** Throws, showing both as JSON with sorted keys, unless the daemon's `what` is the model's. */
export function expectEqual(what: string, daemon: unknown, model: unknown): void {
  const d = canonical(daemon);
  const m = canonical(model);
  if (d !== m) throw new Error(`${what} differs from the model's:\n  model:  ${m}\n  daemon: ${d}`);
}

/** JSON with every object's keys sorted, so two values compare equal whatever order their keys were set in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** The given keys of an object (absent ones as undefined). */
export function pick(object: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, object[key]]));
}
