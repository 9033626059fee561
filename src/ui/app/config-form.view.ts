// The "Server settings" form: the editable keys of config.yaml besides the model (docs/api.md, Config), what the
// form holds, and what it would send.
import type { ConfigValue } from './api.js';

interface ChoiceSetting {
  key: 'log_level' | 'log_format';
  label: string;
  kind: 'choice';
  choices: readonly string[];
}
interface FlagSetting {
  key: 'debug' | 'transcription_enabled';
  label: string;
  kind: 'flag';
}
interface CountSetting {
  key: 'max_message_length';
  label: string;
  kind: 'count';
}
export type EditableSetting = ChoiceSetting | FlagSetting | CountSetting;

/** The keys the form edits, in the order it shows them, with what each accepts (as PUT /supervisor/config does). */
export const editableSettings: readonly EditableSetting[] = [
  { key: 'log_level', label: 'Log level', kind: 'choice', choices: ['debug', 'info', 'warning', 'error', 'critical'] },
  { key: 'log_format', label: 'Log format', kind: 'choice', choices: ['text', 'json'] },
  { key: 'max_message_length', label: 'Max message length', kind: 'count' },
  { key: 'debug', label: 'Debug mode', kind: 'flag' },
  { key: 'transcription_enabled', label: 'Transcription', kind: 'flag' },
];

export type EditableKey = EditableSetting['key'];

/** Values of the form's keys; a count may be text while it is typed. A key that is absent is not set. */
export type EditableValues = Partial<Record<EditableKey, ConfigValue>>;

/** The form's keys as config.yaml has them (GET /supervisor/config); values of the wrong type count as not set. */
export function editableValues(config: Record<string, unknown>): EditableValues {
  const values: EditableValues = {};
  for (const setting of editableSettings) {
    const value = config[setting.key];
    if (setting.kind === 'choice' && typeof value === 'string') values[setting.key] = value;
    if (setting.kind === 'flag' && typeof value === 'boolean') values[setting.key] = value;
    if (setting.kind === 'count' && typeof value === 'number') values[setting.key] = value;
  }
  return values;
}

/** What is wrong with each edited value, in words; empty when everything can be sent. */
export function draftProblems(draft: EditableValues): Partial<Record<EditableKey, string>> {
  const problems: Partial<Record<EditableKey, string>> = {};
  const count = draft.max_message_length;
  if (count !== undefined && countValue(count) === null) problems.max_message_length = 'Enter a whole number above 0.';
  return problems;
}

/** The edits that differ from the file, as PUT /supervisor/config takes them (counts as numbers). */
export function changedValues(saved: EditableValues, draft: EditableValues): Record<string, ConfigValue> {
  const changed: Record<string, ConfigValue> = {};
  for (const setting of editableSettings) {
    const value = draft[setting.key];
    if (value === undefined) continue;
    const typed = setting.kind === 'count' ? countValue(value) : value;
    if (typed !== null && typed !== saved[setting.key]) changed[setting.key] = typed;
  }
  return changed;
}

// A positive integer from a number or the text of a number field; null when it is not one.
function countValue(value: ConfigValue): number | null {
  const text = String(value).trim();
  if (!/^\d{1,15}$/.test(text)) return null;
  const count = Number(text);
  return count > 0 ? count : null;
}

/** The value the form shows for a key: the edit, else the file's value; undefined when neither says. */
export function shownValue(saved: EditableValues | null, draft: EditableValues, key: EditableKey): ConfigValue | undefined {
  return draft[key] ?? saved?.[key];
}

/** A sentence naming what changed: "log level, debug mode". */
export function describeKeys(keys: readonly string[]): string {
  return keys.map((key) => editableSettings.find((s) => s.key === key)?.label.toLowerCase() ?? key).join(', ');
}
