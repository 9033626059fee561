import type { CachedModel, ModelCacheContext } from '../../machines/model-cache.machine.js';
import { currentModelInfo, lookupFor, modelIdOf, modelWarnings, type CurrentModelInfo } from './current-model.js';
import { latestPerFamily, listedModels } from './model-catalogue.js';

/** Where an answer's list came from: a fetch during this request, the cache, or the built-in list. */
export type ModelsSource = 'anthropic' | 'cache' | 'fallback';

/** One model as served: the cached fields and whether it is the one `default_model` names or resolves to. */
export interface ServedModel extends CachedModel {
  is_current: boolean;
}

/** The JSON body of `GET /supervisor/models` and `POST /supervisor/models/refresh` (docs/api.md, Models). */
export interface ModelsResponse {
  models: ServedModel[];
  count: number;
  show_all: boolean;
  current_model: string | null;
  current_model_info: CurrentModelInfo | null;
  cached_at: string | null;
  is_stale: boolean;
  source: ModelsSource;
  error: string | null;
  warnings: string[];
}

/** What the view needs: the cache's context, whether it is still fetching, and the request's own facts. */
export interface ModelsViewInput {
  cache: Pick<ModelCacheContext, 'credentialId' | 'models' | 'cachedAt' | 'lastError' | 'lookups'>;
  fetching: boolean;
  /** Fingerprint of the credential in effect for this request. */
  credentialId: string | null;
  showAll: boolean;
  currentModel: string | null;
  ttlMs: number;
  /** When the request arrived and when it is answered (ms since epoch). */
  requestedAt: number;
  now: number;
  fallback: readonly CachedModel[];
}

/** Renders the models answer from the cache state; pure. */
export function modelsView(input: ModelsViewInput): ModelsResponse {
  const { cache } = input;
  const ours = cache.credentialId === input.credentialId;
  const error = ours ? (cache.lastError?.message ?? null) : null;
  if (ours && cache.models !== null && cache.cachedAt !== null) {
    const expired = input.now - cache.cachedAt >= input.ttlMs;
    return render(input, cache.models, {
      cached_at: new Date(cache.cachedAt).toISOString(),
      is_stale: error !== null || expired,
      source: cache.cachedAt >= input.requestedAt ? 'anthropic' : 'cache',
      error,
    });
  }
  return render(input, input.fallback, {
    cached_at: null,
    is_stale: true,
    source: 'fallback',
    error: error ?? (input.fetching ? 'the Anthropic Models API has not answered yet; showing the built-in list' : 'no model list fetched yet; showing the built-in list'),
  });
}

/**
 * The models answer as JSON bytes, rendered once per cache state and request facts, so a cache hit sends the bytes
 * it sent before (the answer, with every model's capabilities, is several KB). Keyed by the cache context object (a
 * new one after every change) and everything else the view reads; the only words that depend on the clock (a
 * deprecated model "retires on" or "was due to retire on" a date) make a body live at most a minute.
 */
export function createModelsBodyCache(): (input: ModelsViewInput) => Buffer {
  const rendered = new WeakMap<object, Map<string, Buffer>>();
  return (input) => {
    const { cache } = input;
    const ours = cache.credentialId === input.credentialId && cache.models !== null && cache.cachedAt !== null;
    const source = ours && cache.cachedAt !== null && cache.cachedAt >= input.requestedAt ? 'anthropic' : '';
    const expired = ours && cache.cachedAt !== null && input.now - cache.cachedAt >= input.ttlMs;
    const key = JSON.stringify([input.credentialId, input.showAll, input.currentModel, input.fetching, source, expired, input.ttlMs, Math.floor(input.now / 60_000)]);
    let bodies = rendered.get(cache);
    if (!bodies) rendered.set(cache, (bodies = new Map()));
    const hit = bodies.get(key);
    if (hit) return hit;
    const body = Buffer.from(JSON.stringify(modelsView(input)));
    // A handful of variants per cache state (views, current models); more means the clock moved on.
    if (bodies.size >= 16) bodies.clear();
    bodies.set(key, body);
    return body;
  };
}

/** What the cache knows of the current model, without asking anyone (status uses it: it never waits on upstream). */
export function cachedModelInfo(
  cache: Pick<ModelCacheContext, 'credentialId' | 'models' | 'lookups'>,
  credentialId: string | null,
  currentModel: string | null,
  fallback: readonly CachedModel[],
): CurrentModelInfo | null {
  const catalogue = cache.credentialId === credentialId && cache.models !== null ? cache.models : fallback;
  return currentModelInfo(currentModel, catalogue, currentModel === null ? null : lookupFor(cache.lookups, credentialId, modelIdOf(currentModel)));
}

function render(
  input: ModelsViewInput,
  catalogue: readonly CachedModel[],
  rest: Pick<ModelsResponse, 'cached_at' | 'is_stale' | 'source' | 'error'>,
): ModelsResponse {
  const lookup = input.currentModel === null ? null : lookupFor(input.cache.lookups, input.credentialId, modelIdOf(input.currentModel));
  const info = currentModelInfo(input.currentModel, catalogue, lookup);
  const currentId = info?.resolved_id ?? null;
  const chosen = input.showAll ? listedModels(catalogue) : latestPerFamily(catalogue, currentId);
  const models = chosen.map((model) => ({ ...model, is_current: model.id === currentId }));
  const warnings = modelWarnings({ info, catalogue, lookup, fallback: rest.source === 'fallback', now: input.now });
  return { models, count: models.length, show_all: input.showAll, current_model: input.currentModel, current_model_info: info, ...rest, warnings };
}
