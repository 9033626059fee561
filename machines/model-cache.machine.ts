import { assign, setup } from 'xstate';
import { notProvided } from './not-provided.js';

/** One model as cached and served: the shape of docs/api.md (Models). */
export interface CachedModel {
  id: string;
  display_name: string;
  created_at: string;
  family: string;
  is_latest: boolean;
}

/** Why a fetch failed, as JSON-safe data (`reason` is the fetch error's sub-code, e.g. `bad_credential`). */
export interface ModelCacheError {
  code: string;
  reason: string;
  message: string;
  at: number;
}

/** What the `fetchModels` slot is given: the fingerprint of the credential the request saw (never the key). */
export interface FetchModelsInput {
  credentialId: string | null;
}

/** What the `fetchModels` slot resolves to; `credentialId` names the credential actually used, `at` when it finished. */
export interface FetchModelsOutput {
  credentialId: string | null;
  models: CachedModel[];
  at: number;
}

/** Tunables fixed at start-up; the TTL itself arrives with each request (config is never latched). */
export interface ModelCacheInput {
  /** Freshness of a fetched list until the first request says otherwise. */
  ttlMs?: number;
  /** After a failed fetch, requests are answered from what we have for this long before one may fetch again. */
  errorBackoffMs?: number;
}

/** Everything the cache knows. JSON-safe and free of secrets: it is streamed to the inspector. */
export interface ModelCacheContext {
  ttlMs: number;
  errorBackoffMs: number;
  /** Fingerprint of the credential the cached list belongs to (and that the next fetch uses). */
  credentialId: string | null;
  models: CachedModel[] | null;
  /** When the cached list was fetched (ms since epoch, from the fetch's output). */
  cachedAt: number | null;
  /** When the fetch under way started (from the event that started it). */
  fetchStartedAt: number | null;
  lastError: ModelCacheError | null;
  /** The `at` of the last request or refresh. */
  lastRequestAt: number | null;
  /** Upstream fetches started so far. */
  fetchCount: number;
}

/** Events the cache accepts: `models.request` (serve, fetching only if needed) and `models.refresh` (always fetch). */
export type ModelCacheEvent =
  | { type: 'models.request'; credentialId: string | null; ttlMs: number; at: number }
  | { type: 'models.refresh'; credentialId: string | null; ttlMs: number; at: number };

const defaults = { ttlMs: 3_600_000, errorBackoffMs: 30_000 };

/** The model-list cache (docs/api.md, Models): one upstream fetch at a time, fresh for a TTL, stale-but-served on failure. */
export const modelCacheMachine = setup({
  types: {
    context: {} as ModelCacheContext,
    events: {} as ModelCacheEvent,
    input: {} as ModelCacheInput,
  },
  actors: {
    // Filled by src/ with createFetchModelsLogic().
    fetchModels: notProvided.promise<FetchModelsOutput, FetchModelsInput>('fetchModels'),
  },
  delays: {
    staleAfter: ({ context }) => context.ttlMs,
    errorBackoff: ({ context }) => context.errorBackoffMs,
  },
  guards: {
    credentialChanged: ({ context, event }) => event.credentialId !== context.credentialId,
    expired: ({ context, event }) => context.cachedAt === null || event.at - context.cachedAt >= event.ttlMs,
    hasModels: ({ context }) => context.models !== null,
  },
  actions: {
    // A request under another credential: the cached list is not theirs, so forget it (cache is per credential).
    adoptRequest: assign(({ context, event }) => {
      const changed = event.credentialId !== context.credentialId;
      return {
        credentialId: event.credentialId,
        ttlMs: event.ttlMs,
        lastRequestAt: event.at,
        models: changed ? null : context.models,
        cachedAt: changed ? null : context.cachedAt,
        lastError: changed ? null : context.lastError,
      };
    }),
    countFetch: assign(({ context }) => ({ fetchCount: context.fetchCount + 1, fetchStartedAt: context.lastRequestAt })),
  },
}).createMachine({
  id: 'modelCache',
  description: 'Caches the Anthropic model list per credential; every HTTP request for models goes through here.',
  context: ({ input }) => ({
    ttlMs: input.ttlMs ?? defaults.ttlMs,
    errorBackoffMs: input.errorBackoffMs ?? defaults.errorBackoffMs,
    credentialId: null,
    models: null,
    cachedAt: null,
    fetchStartedAt: null,
    lastError: null,
    lastRequestAt: null,
    fetchCount: 0,
  }),
  initial: 'empty',
  states: {
    empty: {
      description: 'Nothing cached for the current credential (start-up, or a failed first fetch after its backoff); the next request fetches.',
      on: {
        'models.request': { target: 'fetching', actions: 'adoptRequest' },
        'models.refresh': { target: 'fetching', actions: 'adoptRequest' },
      },
    },
    fetching: {
      description:
        'One upstream fetch is under way; requests arriving now share it (single flight). A request under another credential restarts it.',
      entry: 'countFetch',
      invoke: {
        src: 'fetchModels',
        input: ({ context }) => ({ credentialId: context.credentialId }),
        onDone: {
          target: 'fresh',
          actions: assign(({ event }) => ({
            credentialId: event.output.credentialId,
            models: event.output.models,
            cachedAt: event.output.at,
            fetchStartedAt: null,
            lastError: null,
          })),
        },
        onError: {
          target: 'error',
          actions: assign(({ context, event }) => ({
            fetchStartedAt: null,
            lastError: toCacheError(event.error, context.lastRequestAt ?? 0),
          })),
        },
      },
      // Same credential: nothing to do, the request simply waits for this fetch (a refresh too: it is one).
      on: {
        'models.request': { guard: 'credentialChanged', target: 'fetching', reenter: true, actions: 'adoptRequest' },
        'models.refresh': { guard: 'credentialChanged', target: 'fetching', reenter: true, actions: 'adoptRequest' },
      },
    },
    fresh: {
      description: 'The cached list is younger than the TTL and is served as is.',
      after: { staleAfter: 'stale' },
      on: {
        'models.request': [
          { guard: 'credentialChanged', target: 'fetching', actions: 'adoptRequest' },
          // The TTL is read from config per request, so a shortened TTL takes effect at once.
          { guard: 'expired', target: 'fetching', actions: 'adoptRequest' },
          // A cache hit changes nothing, so it assigns nothing (no snapshot churn for the inspector).
        ],
        'models.refresh': { target: 'fetching', actions: 'adoptRequest' },
      },
    },
    stale: {
      description: 'The cached list is older than the TTL; the next request fetches a new one.',
      on: {
        'models.request': { target: 'fetching', actions: 'adoptRequest' },
        'models.refresh': { target: 'fetching', actions: 'adoptRequest' },
      },
    },
    error: {
      description:
        'The last fetch failed: the cached list (if any) is served as stale with the error. Requests do not refetch until the backoff ends; a refresh or a new credential does.',
      after: {
        errorBackoff: [{ guard: 'hasModels', target: 'stale' }, { target: 'empty' }],
      },
      on: {
        'models.request': { guard: 'credentialChanged', target: 'fetching', actions: 'adoptRequest' },
        'models.refresh': { target: 'fetching', actions: 'adoptRequest' },
      },
    },
  },
});

// A fetch failure arrives as whatever the slot threw; keep its JSON-safe fields, never the object itself.
function toCacheError(error: unknown, fallbackAt: number): ModelCacheError {
  const record = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const text = (key: string, fallback: string) => (typeof record[key] === 'string' ? (record[key] as string) : fallback);
  return {
    code: text('code', 'ERR_MODELS_FETCH'),
    reason: text('reason', 'internal'),
    message: text('message', String(error)),
    at: typeof record.at === 'number' ? record.at : fallbackAt,
  };
}
