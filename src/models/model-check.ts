import type { CachedModel, ModelCacheContext } from '../../machines/model-cache.machine.js';
import { SupervisorError } from '../errors.js';
import { isBareAlias, lookupFor, modelIdOf } from './current-model.js';
import { latestOfFamily } from './model-catalogue.js';
import { parseModelId } from './model-family.js';

/**
 * What the supervisor knows of a `default_model` a config change sets: it may be used (listed, found, a bare alias,
 * or not checkable: no credential, API unreachable or too slow), it is retired, or the API does not know it.
 */
export type ModelVerdict =
  | { kind: 'accepted'; why: 'bare_alias' | 'no_credential' | 'listed' | 'found' | 'unchecked' }
  | { kind: 'retired'; model: string; resolvedId: string; replacement: CachedModel | null }
  | { kind: 'unknown'; model: string; replacement: CachedModel | null };

/**
 * Judges a configured model from what the model cache holds for the credential: the list (a listed model is
 * accepted unless the list marks it retired), else the lookup's answer (found: retired or not; 404: unknown). A 404
 * counts only as the latest answer (a later failed ask makes it unchecked); a retirement, once known, stays known.
 * Replacements come from the live list, else from `fallback`.
 */
export function modelVerdict(
  configured: string,
  credentialId: string | null,
  cache: Pick<ModelCacheContext, 'credentialId' | 'models' | 'lookups'> | null,
  fallback: readonly CachedModel[],
): ModelVerdict {
  if (isBareAlias(configured)) return { kind: 'accepted', why: 'bare_alias' };
  if (credentialId === null || cache === null) return { kind: 'accepted', why: 'no_credential' };
  const id = modelIdOf(configured);
  const live = cache.credentialId === credentialId ? cache.models : null;
  const catalogue = live ?? fallback;
  const replacement = (family: string) => latestOfFamily(catalogue, family);
  const listed = live?.find((model) => model.id === id);
  if (listed) {
    return listed.lifecycle === 'retired'
      ? { kind: 'retired', model: configured, resolvedId: listed.id, replacement: replacement(listed.family) }
      : { kind: 'accepted', why: 'listed' };
  }
  const lookup = lookupFor(cache.lookups, credentialId, id);
  if (lookup?.outcome === 'found' && lookup.model) {
    const { model } = lookup;
    return model.lifecycle === 'retired'
      ? { kind: 'retired', model: configured, resolvedId: model.id, replacement: replacement(model.family) }
      : { kind: 'accepted', why: 'found' };
  }
  if (lookup?.outcome === 'not_found' && lookup.error === null) {
    return { kind: 'unknown', model: configured, replacement: replacement(parseModelId(id).family) };
  }
  return { kind: 'accepted', why: 'unchecked' };
}

/** The 400 a refused model answers with (ERR_MODEL_RETIRED / ERR_MODEL_UNKNOWN), or null when it is accepted. */
export function verdictError(verdict: ModelVerdict): SupervisorError | null {
  if (verdict.kind === 'accepted') return null;
  const replacement = verdict.replacement?.id ?? null;
  const instead = verdict.replacement ? `; use ${verdict.replacement.display_name} (${verdict.replacement.id}) instead` : '; pick a model from GET /supervisor/models';
  const extra = { key: 'default_model', value: verdict.model, replacement };
  if (verdict.kind === 'retired') {
    const named = verdict.resolvedId === modelIdOf(verdict.model) ? verdict.model : `${verdict.model} (${verdict.resolvedId})`;
    return new SupervisorError('ERR_MODEL_RETIRED', `${named} is retired, so the main server could not use it${instead}; nothing was written`, { extra });
  }
  return new SupervisorError('ERR_MODEL_UNKNOWN', `The Anthropic API does not know the model ${verdict.model}${instead}; nothing was written`, { extra });
}
