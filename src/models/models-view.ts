import type { CachedModel, ModelCacheContext } from '../../machines/model-cache.machine.js';
import { latestPerFamily } from './model-catalogue.js';

/** Where an answer's list came from: a fetch during this request, the cache, or the built-in list. */
export type ModelsSource = 'anthropic' | 'cache' | 'fallback';

/** The JSON body of `GET /supervisor/models` and `POST /supervisor/models/refresh` (docs/api.md, Models). */
export interface ModelsResponse {
  models: CachedModel[];
  count: number;
  show_all: boolean;
  current_model: string | null;
  cached_at: string | null;
  is_stale: boolean;
  source: ModelsSource;
  error: string | null;
}

/** What the view needs: the cache's context, whether it is still fetching, and the request's own facts. */
export interface ModelsViewInput {
  cache: Pick<ModelCacheContext, 'credentialId' | 'models' | 'cachedAt' | 'lastError'>;
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

function render(
  input: ModelsViewInput,
  catalogue: readonly CachedModel[],
  rest: Pick<ModelsResponse, 'cached_at' | 'is_stale' | 'source' | 'error'>,
): ModelsResponse {
  const models = input.showAll ? [...catalogue] : latestPerFamily(catalogue);
  return { models, count: models.length, show_all: input.showAll, current_model: input.currentModel, ...rest };
}
