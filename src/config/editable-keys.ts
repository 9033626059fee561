import type * as Zod from 'zod';
import { SupervisorError } from '../errors.js';
import { lazyRequire } from '../lazy-require.js';
import { isSecretKey, isSecretString, redactValue, REDACTED } from '../redact/redact-config.js';

const modelPattern = /^(opus|sonnet|haiku|claude-[a-z0-9.-]+)(\[\d+[km]\])?$/;

/** Each editable key's value schema. */
function schemasFrom({ z }: typeof Zod) {
  return {
    default_model: z.string().regex(modelPattern),
    log_level: z.enum(['debug', 'info', 'warning', 'error', 'critical']),
    debug: z.boolean(),
    log_format: z.enum(['text', 'json']),
    max_message_length: z.int().positive(),
    transcription_enabled: z.boolean(),
  };
}

/** The keys PUT /supervisor/config may change, with the expected type their errors name. */
export const editableKeys = {
  default_model: { expected: `a model name matching ${modelPattern.source}` },
  log_level: { expected: 'one of debug|info|warning|error|critical' },
  debug: { expected: 'true or false' },
  log_format: { expected: 'one of text|json' },
  max_message_length: { expected: 'a positive integer' },
  transcription_enabled: { expected: 'true or false' },
} as const satisfies Record<keyof ReturnType<typeof schemasFrom>, { expected: string }>;

/** A key PUT /supervisor/config may change. */
export type EditableKey = keyof typeof editableKeys;

type Schemas = ReturnType<typeof schemasFrom>;

/** Validated values for the editable keys, ready to be written. */
export type EditableValues = { [K in EditableKey]?: Zod.infer<Schemas[K]> };

// zod is loaded on the first config change, not at boot.
const loadZod = lazyRequire<typeof Zod>('zod');
let schemas: Schemas | null = null;
const loadSchemas = (): Schemas => (schemas ??= schemasFrom(loadZod()));

// Keys that decide what runs and who gets in: never editable over HTTP, whatever their value.
const protectedNames = new Set(['auth_mode', 'host', 'port', 'cors_origins', 'supervisor', 'providers', 'plugins', 'plugin_paths', 'mcp_servers']);
// Families of such keys: any provider, plugin or MCP server setting.
const protectedPatterns = [/provider/i, /plugin/i, /^mcp/i];

/** True when `key` (or the section a dotted key points into) is a secret or decides what runs and who gets in. */
export function isProtectedKey(key: string): boolean {
  const section = key.split('.')[0] ?? key;
  return [key, section].some(
    (name) => isSecretKey(name) || protectedNames.has(name.toLowerCase()) || protectedPatterns.some((p) => p.test(name)),
  );
}

/** True when `key` is one of the editable keys (own names only: "__proto__" and friends are unknown). */
export function isEditableKey(key: string): key is EditableKey {
  return Object.hasOwn(editableKeys, key);
}

/** Checks every requested change; returns them typed, or throws 403/400 naming the keys, values and expected types. */
export function validateConfigValues(values: Record<string, unknown>): EditableValues {
  const keys = Object.keys(values);
  if (keys.length === 0) throw new SupervisorError('ERR_BAD_REQUEST', 'values must name at least one key to change');

  const refused = keys.filter(isProtectedKey);
  if (refused.length > 0) {
    const shown = refused.map(showKey);
    throw new SupervisorError(
      'ERR_KEY_NOT_EDITABLE',
      `${list(shown)} ${shown.length === 1 ? 'is' : 'are'} not editable over HTTP (secrets, access, providers, plugins and supervisor settings decide what runs and who gets in); edit the config file by hand`,
      { extra: { keys: shown } },
    );
  }

  const unknown = keys.filter((key) => !isEditableKey(key));
  if (unknown.length > 0) {
    const shown = unknown.map(showKey);
    throw new SupervisorError('ERR_UNKNOWN_KEY', `Unknown config key ${list(shown)}; editable keys: ${Object.keys(editableKeys).join(', ')}`, {
      extra: { keys: shown, editable_keys: Object.keys(editableKeys) },
    });
  }

  const accepted: Record<string, unknown> = {};
  const problems: { key: string; value: unknown; expected: string }[] = [];
  for (const key of keys as EditableKey[]) {
    const { expected } = editableKeys[key];
    const parsed = loadSchemas()[key].safeParse(values[key]);
    if (parsed.success) accepted[key] = parsed.data;
    else problems.push({ key, value: redactValue(values[key]), expected });
  }
  const [first] = problems;
  if (first) {
    const detail = problems.map((p) => `Invalid value for ${p.key}: ${showValue(p.value)} (expected ${p.expected})`).join('; ');
    throw new SupervisorError('ERR_INVALID_VALUE', detail, { extra: { ...first, errors: problems } });
  }
  return accepted as EditableValues;
}

// A credential pasted as a key name must not come back in the error that refuses it.
function showKey(key: string): string {
  return isSecretString(key) ? REDACTED : key;
}

// Values are echoed as JSON (already redacted), cut short so one huge value cannot flood the message.
function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function list(names: string[]): string {
  return names.map((name) => JSON.stringify(name)).join(', ');
}
