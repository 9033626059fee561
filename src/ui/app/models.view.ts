// What the model card shows, derived purely from the store's context: the dropdown's groups in a fixed family
// order, what is known of the shown model, a banner when the current model is deprecated, retired or unknown, and
// where the list came from and how old it is.
import type { CurrentModelInfo, ModelInfo, ModelsResponse } from './api.js';
import { familyLabel, formatAge, formatTokens } from './format.js';
import { currentModel, type SettingsContext } from './settings.context.js';

export interface ModelOption {
  id: string;
  label: string;
  latest: boolean;
  current: boolean;
}

export interface ModelGroup {
  label: string;
  options: ModelOption[];
}

// Lines everyone knows first, largest to smallest; other lines after them by name, the catch-all last.
const familyOrder = ['opus', 'sonnet', 'haiku'];

// Sorts as [group, position, name]: the known lines in their order, then the others by name, then the catch-all.
function familyRank(family: string): [number, number, string] {
  const known = familyOrder.indexOf(family);
  if (known !== -1) return [0, known, ''];
  return [family === 'other' ? 2 : 1, 0, family];
}

/** "deprecated · retires 2027-02-05" for a deprecated model (or "was due to retire" once the date passed); null if active. */
export function lifecycleText(model: Pick<ModelInfo, 'lifecycle' | 'retires_at'>, now: number): string | null {
  if (model.lifecycle !== 'deprecated') return null;
  const retires = model.retires_at ? Date.parse(model.retires_at) : Number.NaN;
  if (Number.isNaN(retires)) return 'deprecated';
  const day = new Date(retires).toISOString().slice(0, 10);
  return retires > now ? `deprecated · retires ${day}` : `deprecated · was due to retire ${day}`;
}

/** The dropdown's <optgroup>s: Opus, Sonnet, Haiku, then other families by name; newest first; the current model always present. */
export function modelGroups(models: ModelsResponse | null, current: string | null, now: number): ModelGroup[] {
  const list = models?.models ?? [];
  const groups = new Map<string, ModelGroup>();
  const nameCount = new Map<string, number>();
  for (const model of list) nameCount.set(model.display_name, (nameCount.get(model.display_name) ?? 0) + 1);
  for (const model of list) {
    const key = model.family || 'other';
    let group = groups.get(key);
    if (!group) {
      group = { label: familyLabel(key), options: [] };
      groups.set(key, group);
    }
    const isCurrent = model.id === current || model.is_current;
    const marks = [model.is_latest ? 'latest' : '', isCurrent ? 'current' : '', lifecycleText(model, now) ?? ''].filter(Boolean);
    // Display names read best; the id only where a name is missing or shared.
    const name = !model.display_name ? model.id : (nameCount.get(model.display_name) ?? 0) > 1 ? `${model.display_name} (${model.id})` : model.display_name;
    group.options.push({ id: model.id, label: marks.length ? `${name} (${marks.join(', ')})` : name, latest: model.is_latest, current: isCurrent });
  }
  const createdAt = new Map(list.map((m) => [m.id, Date.parse(m.created_at) || 0]));
  for (const group of groups.values()) group.options.sort((a, b) => (createdAt.get(b.id) ?? 0) - (createdAt.get(a.id) ?? 0));
  const result = [...groups.entries()]
    .sort(([a], [b]) => {
      const [groupA, placeA, nameA] = familyRank(a);
      const [groupB, placeB, nameB] = familyRank(b);
      return groupA - groupB || placeA - placeB || nameA.localeCompare(nameB);
    })
    .map(([, group]) => group);
  // The configured model may be an alias ("sonnet") or a version the default view hides.
  if (current && !result.some((g) => g.options.some((o) => o.id === current || o.current))) {
    result.unshift({ label: 'Configured', options: [{ id: current, label: `${current} (current)`, latest: false, current: true }] });
  }
  return result;
}

/** The id the dropdown shows: the one being applied, else the one picked, else the current model (as listed). */
export function shownModel(ctx: SettingsContext): string | null {
  if (ctx.applying ?? ctx.selectedModel) return ctx.applying ?? ctx.selectedModel;
  const current = currentModel(ctx);
  // An alias of a listed model ("claude-sonnet-4-5") shows as that model's entry.
  const listed = ctx.models?.models.find((m) => m.is_current && m.id !== current);
  return listed && !ctx.models?.models.some((m) => m.id === current) ? listed.id : current;
}

/** What is known of the shown model, for the line under the dropdown: id, release date, context window, lifecycle. */
export function modelDetails(ctx: SettingsContext, now: number): { id: string; facts: string[]; lifecycle: string | null } | null {
  const id = shownModel(ctx);
  if (id === null) return null;
  const model = ctx.models?.models.find((m) => m.id === id);
  const facts: string[] = [];
  if (model && !Number.isNaN(Date.parse(model.created_at)) && !model.created_at.startsWith('1970')) facts.push(`released ${model.created_at.slice(0, 10)}`);
  if (typeof model?.max_input_tokens === 'number') facts.push(`${formatTokens(model.max_input_tokens)} context`);
  return { id, facts, lifecycle: model ? lifecycleText(model, now) : null };
}

/** Whether the Apply button can be used. */
export function canApplyModel(ctx: SettingsContext): boolean {
  return ctx.connection === 'live' && ctx.applying === null && ctx.pendingCommand === null && !ctx.configApplying && ctx.selectedModel !== null;
}

/** What the page knows of the current model: the models answer's, else status's (from the model cache). */
export function currentModelInfo(ctx: SettingsContext): CurrentModelInfo | null {
  return ctx.models?.current_model_info ?? ctx.status?.default_model_info ?? null;
}

export interface ModelBanner {
  tone: 'warn' | 'bad';
  title: string;
  text: string;
  /** The model to switch to with one click, if the API names one. */
  replacement: { id: string; label: string } | null;
}

/** A banner when the current model is deprecated, retired or unknown to the API; null otherwise. */
export function modelBanner(ctx: SettingsContext, now: number): ModelBanner | null {
  const info = currentModelInfo(ctx);
  if (!info || (info.lifecycle !== 'deprecated' && info.lifecycle !== 'retired' && info.lifecycle !== 'unknown')) return null;
  const replacementModel = info.replacement ? ctx.models?.models.find((m) => m.id === info.replacement) : undefined;
  const replacement = info.replacement ? { id: info.replacement, label: replacementModel?.display_name || info.replacement } : null;
  const name = info.display_name ? `${info.display_name} (${info.id})` : info.id;
  const warnings = ctx.models?.warnings ?? [];
  const fallback =
    info.lifecycle === 'deprecated'
      ? `${name} is ${lifecycleText({ lifecycle: 'deprecated', retires_at: info.retires_at }, now) ?? 'deprecated'}.`
      : info.lifecycle === 'retired'
        ? `${name} is retired: requests naming it fail.`
        : `The Anthropic API does not know ${info.id}.`;
  const titles = { deprecated: 'Your model is deprecated', retired: 'Your model is retired', unknown: 'Your model is unknown to Anthropic' };
  return {
    tone: info.lifecycle === 'deprecated' ? 'warn' : 'bad',
    title: titles[info.lifecycle],
    text: warnings.length ? warnings.join(' ') : fallback,
    replacement,
  };
}

/** Where the list came from and how old it is, with any warning the banner does not already show. */
export function listNote(ctx: SettingsContext, now: number): string {
  const m = ctx.models;
  if (ctx.modelsError) return `Could not load models: ${ctx.modelsError}`;
  if (!m) return '';
  const parts: string[] = [];
  const age = m.cached_at ? formatAge(now - Date.parse(m.cached_at)) : null;
  if (m.source === 'fallback') parts.push(`Built-in list: Anthropic could not be asked${m.error ? ` (${m.error})` : ''}.`);
  else if (m.is_stale) parts.push(`Cached list${age ? ` from ${age}` : ''}, may be out of date${m.error ? ` (${m.error})` : ''}.`);
  else parts.push(`From Anthropic, updated ${age ?? 'just now'}.`);
  if (!modelBanner(ctx, now)) parts.push(...m.warnings);
  if (ctx.modelsRefreshing) parts.push('Refreshing…');
  return parts.join(' ');
}
