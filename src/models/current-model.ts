import type { CachedModel, ModelLifecycle, ModelLookup } from '../../machines/model-cache.machine.js';
import { latestOfFamily } from './model-catalogue.js';
import { parseModelId } from './model-family.js';

/** Claude Code's bare model names: they resolve locally to the latest active model of that family. */
export const bareAliases: readonly string[] = ['opus', 'sonnet', 'haiku'];

/** What `current_model_info` says about `default_model` (docs/api.md, Models). */
export interface CurrentModelInfo {
  /** `default_model` as configured. */
  id: string;
  /** The model id it names or resolves to; null when that is not known. */
  resolved_id: string | null;
  display_name: string | null;
  /** `unknown` when the API does not know the id (404); null when it cannot be told (no answer, the built-in list). */
  lifecycle: ModelLifecycle | 'unknown' | null;
  retires_at: string | null;
  /** The latest active model of the same family, when the current one is deprecated, retired or unknown. */
  replacement: string | null;
}

/** The model id a configured value names: Claude Code's context-window suffix (`[1m]`) is not part of it. */
export function modelIdOf(configured: string): string {
  return configured.replace(/\[\d+[km]\]$/, '');
}

/** True for `opus`, `sonnet`, `haiku` (with or without a context-window suffix). */
export function isBareAlias(configured: string): boolean {
  return bareAliases.includes(modelIdOf(configured));
}

/**
 * The id `GET /v1/models/{id}` must be asked about for the current model, or null: a bare alias resolves locally, and
 * an id the list holds needs no lookup.
 */
export function lookupTarget(currentModel: string | null, catalogue: readonly CachedModel[]): string | null {
  if (currentModel === null || isBareAlias(currentModel)) return null;
  const id = modelIdOf(currentModel);
  return catalogue.some((model) => model.id === id) ? null : id;
}

/** The lookup entry for an id under a credential, if the cache holds one. */
export function lookupFor(lookups: readonly ModelLookup[], credentialId: string | null, modelId: string): ModelLookup | null {
  return lookups.find((l) => l.credentialId === credentialId && l.modelId === modelId) ?? null;
}

/** What the current model resolves to: a listed model, a looked-up one, "not found", or nothing known. */
export type Resolution =
  | { kind: 'model'; model: CachedModel }
  | { kind: 'unknown'; family: string }
  | { kind: 'unchecked'; family: string | null };

/**
 * Resolves a configured model: a bare alias to the latest active model of its family in `catalogue`; an id the
 * catalogue lists to that model; any other id through its lookup (found, 404, or not answered).
 */
export function resolveModel(configured: string, catalogue: readonly CachedModel[], lookup: ModelLookup | null): Resolution {
  const id = modelIdOf(configured);
  if (bareAliases.includes(id)) {
    const latest = latestOfFamily(catalogue, id);
    return latest ? { kind: 'model', model: latest } : { kind: 'unchecked', family: id };
  }
  const listed = catalogue.find((model) => model.id === id);
  if (listed) return { kind: 'model', model: listed };
  if (lookup?.outcome === 'found' && lookup.model) {
    // An alias the API resolved: the listed entry of the model it names carries the freshest data.
    return { kind: 'model', model: catalogue.find((model) => model.id === lookup.model?.id) ?? lookup.model };
  }
  const family = parseModelId(id).family;
  if (lookup?.outcome === 'not_found') return { kind: 'unknown', family };
  return { kind: 'unchecked', family: family === 'other' ? null : family };
}

/** `current_model_info` for a configured model (null when none is configured). */
export function currentModelInfo(configured: string | null, catalogue: readonly CachedModel[], lookup: ModelLookup | null): CurrentModelInfo | null {
  if (configured === null) return null;
  const resolution = resolveModel(configured, catalogue, lookup);
  if (resolution.kind === 'model') {
    const { model } = resolution;
    const needsReplacement = model.lifecycle === 'deprecated' || model.lifecycle === 'retired';
    return {
      id: configured,
      resolved_id: model.id,
      display_name: model.display_name,
      lifecycle: model.lifecycle,
      retires_at: model.retires_at,
      replacement: needsReplacement ? replacementId(catalogue, model.family, model.id) : null,
    };
  }
  const unknown = resolution.kind === 'unknown';
  return {
    id: configured,
    resolved_id: null,
    display_name: null,
    lifecycle: unknown ? 'unknown' : null,
    retires_at: null,
    replacement: unknown ? replacementId(catalogue, resolution.family, null) : null,
  };
}

function replacementId(catalogue: readonly CachedModel[], family: string, except: string | null): string | null {
  const latest = latestOfFamily(catalogue, family);
  return latest && latest.id !== except ? latest.id : null;
}

/** What the warnings are written from. */
export interface WarningsInput {
  info: CurrentModelInfo | null;
  catalogue: readonly CachedModel[];
  lookup: ModelLookup | null;
  /** The list is the built-in one. */
  fallback: boolean;
  now: number;
}

/**
 * Plain sentences for the user about what needs their attention: the current model deprecated, retired or unknown
 * (and what replaces it), a current model that could not be checked, and a list that cannot tell lifecycles.
 */
export function modelWarnings(input: WarningsInput): string[] {
  const warnings: string[] = [];
  const about = input.info ? currentModelWarning(input) : null;
  if (about) warnings.push(about);
  if (input.fallback) {
    warnings.push('This is the built-in list of models: it cannot tell which models are deprecated or retired, so their lifecycle is null');
  } else if (input.catalogue.length > 0 && input.catalogue.every((model) => model.lifecycle === null)) {
    warnings.push('The Anthropic Models API did not say which models are deprecated or retired (an older API version), so their lifecycle is null');
  }
  return warnings;
}

function currentModelWarning({ info, catalogue, lookup, now }: WarningsInput): string | null {
  if (info === null) return null;
  const named = info.resolved_id !== null && info.resolved_id !== modelIdOf(info.id) ? `${info.id} (${info.resolved_id})` : info.id;
  const replacement = info.replacement ? catalogue.find((model) => model.id === info.replacement) : undefined;
  const instead = replacement ? `${replacement.display_name} (${replacement.id})` : null;
  switch (info.lifecycle) {
    case 'deprecated': {
      const date = day(info.retires_at);
      const when = date === null ? '' : (Date.parse(info.retires_at ?? '') <= now ? ` and was due to retire on ${date}` : ` and retires on ${date}`);
      return `${named} is deprecated${when}; ${instead ? `${instead} replaces it` : 'no active model of its line is listed to replace it'}`;
    }
    case 'retired':
      return `${named} is retired, so requests naming it fail; ${instead ? `${instead} replaces it` : 'no active model of its line is listed to replace it'}`;
    case 'unknown':
      return `The Anthropic API does not know the model ${info.id}${instead ? `; use ${instead} instead` : ''}`;
    case null:
      if (isBareAlias(info.id) || info.resolved_id !== null) return null;
      if (lookup?.error) return `${info.id} is not in the model list and the Anthropic API could not be asked about it (${lookup.error.message})`;
      if (lookup?.pending) return `${info.id} is not in the model list and the Anthropic API has not answered about it yet`;
      return null;
    default:
      return null;
  }
}

// `2026-09-29T00:00:00Z` → `2026-09-29` (the UTC day); null when there is no date.
function day(at: string | null): string | null {
  if (at === null) return null;
  const time = Date.parse(at);
  return Number.isNaN(time) ? null : new Date(time).toISOString().slice(0, 10);
}
