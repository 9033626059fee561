// Names of a state value as status, the CLI and the tests show them.

/** The top-level state name of a state value ("crashed" for `{crashed: 'backoff'}`). */
export function topState(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return Object.keys(value)[0] ?? 'unknown';
  return 'unknown';
}

/** A dotted state path ("crashed.backoff") for a state value. */
export function statePath(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, inner] = Object.entries(value)[0] ?? [];
    return key === undefined ? 'unknown' : `${key}.${statePath(inner)}`;
  }
  return 'unknown';
}
