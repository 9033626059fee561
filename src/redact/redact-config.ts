/** What every secret is replaced by in anything the supervisor shows. */
export const REDACTED = '[REDACTED]';

/**
 * Deepest nesting any walk over config or request data follows (a deeper part is replaced, never recursed into), so
 * no input can exhaust the stack. config.yaml nested deeper is refused when read (config-file.ts), so nothing of a
 * loaded config is ever cut.
 */
export const maxDataDepth = 64;

// Key names that hold credentials, at any depth (api_key, claude_code_oauth_token, db_password, ANTHROPIC_API_KEY, …).
const secretKeyPattern = /token|secret|password|key|credential/i;
// Anthropic credentials start with this, whatever key (or list item) they sit under.
const secretValueMarker = /sk-ant-/i;

/** True when a config key names a credential (token|secret|password|key|credential, any case). */
export function isSecretKey(key: string): boolean {
  return secretKeyPattern.test(key);
}

/** True when a string holds an Anthropic credential (`sk-ant-…`) anywhere in it. */
export function isSecretString(text: string): boolean {
  return secretValueMarker.test(text);
}

/** A deep copy of parsed config with every secret value replaced by "[REDACTED]" (keys by name, strings by content). */
export function redactConfig(config: Record<string, unknown>): Record<string, unknown> {
  return redactMapping(config);
}

/** Redacts one value of any shape: mappings by key name, lists item by item, strings by content; deeper than maxDataDepth, all of it. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return isSecretString(value) ? REDACTED : value;
  const nested = Array.isArray(value) || isPlainRecord(value);
  // Over-redacting is the safe side: a part too deep to walk is shown as a secret would be.
  if (nested && depth >= maxDataDepth) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (isPlainRecord(value)) return redactMapping(value, depth);
  return value;
}

function redactMapping(mapping: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(mapping)) {
    // A credential used as a key name would leak through the key itself; show it under a neutral name instead.
    const shownKey = isSecretString(key) ? uniqueKey(out, REDACTED) : key;
    // defineProperty, not assignment: a key named "__proto__" must stay data, never reach the prototype.
    Object.defineProperty(out, shownKey, {
      value: isSecretKey(key) || shownKey !== key ? REDACTED : redactValue(value, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function uniqueKey(taken: Record<string, unknown>, base: string): string {
  let key = base;
  for (let n = 2; Object.hasOwn(taken, key); n++) key = `${base} ${n}`;
  return key;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
