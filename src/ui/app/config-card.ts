// Draws the "Server settings" form: one control per editable key, showing the edit or the file's value, what is
// wrong with an edit, and the outcome of an apply.
import type { ConfigValue } from './api.js';
import { changedValues, draftProblems, editableSettings, shownValue, type EditableKey, type EditableSetting } from './config-form.view.js';
import { byId, h, renderOutcome, setText, setUsable } from './dom.js';
import type { SettingsContext } from './settings.context.js';

export const configEls = {
  form: byId('config-form', HTMLFormElement),
  fields: byId('config-fields', HTMLElement),
  apply: byId('btn-config-apply', HTMLButtonElement),
  discard: byId('btn-config-discard', HTMLButtonElement),
  outcome: byId('config-outcome', HTMLElement),
};

const fieldId = (key: EditableKey): string => `cfg-${key}`;
let built = false;

function control(setting: EditableSetting, onEdit: (key: EditableKey, value: ConfigValue | undefined) => void): HTMLElement {
  const id = fieldId(setting.key);
  if (setting.kind === 'flag') {
    const input = h('input', { type: 'checkbox', id });
    input.addEventListener('change', () => onEdit(setting.key, input.checked));
    return h('div', { class: 'config-field config-flag' }, h('label', { class: 'check' }, input, ` ${setting.label}`));
  }
  const label = h('label', { class: 'field-label', for: id }, setting.label);
  if (setting.kind === 'choice') {
    const select = h('select', { id }, h('option', { value: '' }, '(not set)'), ...setting.choices.map((choice) => h('option', { value: choice }, choice)));
    select.addEventListener('change', () => onEdit(setting.key, select.value === '' ? undefined : select.value));
    return h('div', { class: 'config-field' }, label, select);
  }
  const input = h('input', { type: 'text', id, inputmode: 'numeric', autocomplete: 'off', placeholder: 'not set', 'aria-describedby': `${id}-error` });
  input.addEventListener('input', () => onEdit(setting.key, input.value.trim() === '' ? undefined : input.value));
  return h('div', { class: 'config-field' }, label, input, h('p', { class: 'field-error', id: `${id}-error` }));
}

/** Draws the form; `onEdit` is told of every edit. */
export function renderConfigCard(ctx: SettingsContext, onEdit: (key: EditableKey, value: ConfigValue | undefined) => void): void {
  const el = configEls;
  if (ctx.config === null) {
    if (!built) setText(el.fields, ctx.configError ? `Could not read the settings: ${ctx.configError}` : 'Loading settings…');
  } else if (!built) {
    built = true;
    el.fields.replaceChildren(...editableSettings.map((setting) => control(setting, onEdit)));
  }
  const problems = draftProblems(ctx.draft);
  const busy = ctx.configApplying || ctx.applying !== null || ctx.pendingCommand !== null;
  if (built) {
    for (const setting of editableSettings) {
      const input = document.getElementById(fieldId(setting.key)) as HTMLInputElement | HTMLSelectElement | null;
      if (!input) continue;
      const value = shownValue(ctx.config, ctx.draft, setting.key);
      if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = value === true;
      // The text being typed stays as typed.
      else if (document.activeElement !== input) input.value = value === undefined ? '' : String(value);
      input.disabled = busy || ctx.connection !== 'live';
      const problem = problems[setting.key] ?? '';
      const error = document.getElementById(`${fieldId(setting.key)}-error`);
      if (error) setText(error, problem);
      if (problem) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  }
  const changed = Object.keys(changedValues(ctx.config ?? {}, ctx.draft)).length > 0;
  setUsable(el.apply, changed && Object.keys(problems).length === 0 && !busy && ctx.connection === 'live' && ctx.config !== null);
  el.apply.setAttribute('aria-busy', String(ctx.configApplying));
  setUsable(el.discard, Object.keys(ctx.draft).length > 0 && !ctx.configApplying);
  renderOutcome(el.outcome, ctx.configOutcome);
}
