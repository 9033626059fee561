import { assign, enqueueActions, setup } from 'xstate';
import type { CachedModel, ModelCacheError, ModelLookup } from './model-cache.types.js';
import { expireAnswers, isPendingLookup, planLookup, recordAnswer, recordFailure, type LookupTtls } from './model-lookups.js';
import { notProvided } from './not-provided.js';

export type { CachedModel, JsonValue, ModelCacheError, ModelLifecycle, ModelLookup } from './model-cache.types.js';

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

/** What the `retrieveModel` slot is given: the credential's fingerprint and the id to ask `GET /v1/models/{id}` about. */
export interface RetrieveModelInput {
  credentialId: string | null;
  modelId: string;
}

/** What the `retrieveModel` slot resolves to: the model the id resolves to, or null when the API does not know it (404). */
export interface RetrieveModelOutput {
  credentialId: string | null;
  modelId: string;
  model: CachedModel | null;
  at: number;
}

/** Tunables fixed at start-up; the TTL itself arrives with each request (config is never latched). */
export interface ModelCacheInput {
  /** Freshness of a fetched list until the first request says otherwise. */
  ttlMs?: number;
  /** After a failed fetch, requests are answered from what we have for this long before one may fetch again. */
  errorBackoffMs?: number;
  /** How long a "not found" (404) lookup answer is kept. */
  notFoundTtlMs?: number;
  /** Most lookup entries kept, and most lookups asked at once. */
  maxLookups?: number;
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
  /** Answers of `GET /v1/models/{id}` for ids the list does not hold (see model-lookups.ts). */
  lookups: ModelLookup[];
  notFoundTtlMs: number;
  maxLookups: number;
  /** Lookups asked so far (names each ask's child actor). */
  lookupCount: number;
}

/**
 * Events the cache accepts: `models.request` (serve, fetching only if needed), `models.refresh` (always fetch, and
 * expire lookup answers) and `models.lookup` (ask `GET /v1/models/{id}` about one id unless a recent answer is held).
 */
export type ModelCacheEvent =
  | { type: 'models.request'; credentialId: string | null; ttlMs: number; at: number }
  | { type: 'models.refresh'; credentialId: string | null; ttlMs: number; at: number }
  | { type: 'models.lookup'; credentialId: string | null; modelId: string; ttlMs: number; at: number };

// An ask's answer arrives as the done or error event of the child actor that asked.
type LookupDone = { actorId: string; output: RetrieveModelOutput };
type LookupFailed = { actorId: string; error: unknown };

const defaults = { ttlMs: 3_600_000, errorBackoffMs: 30_000, notFoundTtlMs: 60_000, maxLookups: 32 };

/**
 * The Models API cache (docs/api.md, Models): the list (one upstream fetch at a time, fresh for a TTL, stale-but-served
 * on failure) and, beside it, lookups of single ids the list does not hold (machines/model-lookups.ts).
 */
export const modelCacheMachine = setup({
  types: {
    context: {} as ModelCacheContext,
    events: {} as ModelCacheEvent,
    input: {} as ModelCacheInput,
  },
  actors: {
    // Filled by src/ with createFetchModelsLogic().
    fetchModels: notProvided.promise<FetchModelsOutput, FetchModelsInput>('fetchModels'),
    // Filled by src/ with createRetrieveModelLogic(); one child per ask, so asks about different ids run side by side.
    retrieveModel: notProvided.promise<RetrieveModelOutput, RetrieveModelInput>('retrieveModel'),
  },
  delays: {
    staleAfter: ({ context }) => context.ttlMs,
    errorBackoff: ({ context }) => context.errorBackoffMs,
  },
  guards: {
    credentialChanged: ({ context, event }) => event.credentialId !== context.credentialId,
    expired: ({ context, event }) => context.cachedAt === null || event.at - context.cachedAt >= event.ttlMs,
    hasModels: ({ context }) => context.models !== null,
    isLookupAnswer: ({ context, event }) => isPendingLookup(context.lookups, (event as { actorId?: unknown }).actorId),
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
    // A refresh means "ask Anthropic now": lookup answers count as old too, so the next lookup asks again.
    expireLookups: assign(({ context }) => ({ lookups: expireAnswers(context.lookups) })),
    // Joins an ask under way or a recent answer; otherwise asks, in a child of its own. A hit assigns nothing.
    lookup: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'models.lookup') return;
      const actorId = `lookup-${context.lookupCount + 1}`;
      const plan = planLookup(context.lookups, { ...event, actorId }, lookupTtls(context, event.ttlMs), context.maxLookups);
      for (const id of plan.stop) enqueue.stopChild(id);
      if (plan.changed) enqueue.assign({ lookups: plan.lookups, lookupCount: context.lookupCount + (plan.ask ? 1 : 0) });
      if (plan.ask) enqueue.spawnChild('retrieveModel', { id: actorId, input: { credentialId: event.credentialId, modelId: event.modelId } });
    }),
    recordLookup: assign(({ context, event }) => {
      const { actorId, output } = event as unknown as LookupDone;
      return { lookups: recordAnswer(context.lookups, actorId, output) };
    }),
    recordLookupFailure: assign(({ context, event }) => {
      const { actorId, error } = event as unknown as LookupFailed;
      return { lookups: recordFailure(context.lookups, actorId, toCacheError(error, context.lastRequestAt ?? 0)) };
    }),
  },
}).createMachine({
  id: 'modelCache',
  description: 'Caches the Anthropic model list per credential, and lookups of single ids; every HTTP request for models goes through here.',
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
    lookups: [],
    notFoundTtlMs: input.notFoundTtlMs ?? defaults.notFoundTtlMs,
    maxLookups: input.maxLookups ?? defaults.maxLookups,
    lookupCount: 0,
  }),
  // Lookups are answered in every state of the list: they are a cache of their own, per credential and id.
  on: {
    'models.lookup': { actions: 'lookup' },
    'xstate.done.actor.*': { guard: 'isLookupAnswer', actions: 'recordLookup' },
    'xstate.error.actor.*': { guard: 'isLookupAnswer', actions: 'recordLookupFailure' },
  },
  initial: 'empty',
  states: {
    empty: {
      description: 'Nothing cached for the current credential (start-up, or a failed first fetch after its backoff); the next request fetches.',
      on: {
        'models.request': { target: 'fetching', actions: 'adoptRequest' },
        'models.refresh': { target: 'fetching', actions: ['adoptRequest', 'expireLookups'] },
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
        'models.refresh': [
          { guard: 'credentialChanged', target: 'fetching', reenter: true, actions: ['adoptRequest', 'expireLookups'] },
          { actions: 'expireLookups' },
        ],
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
        'models.refresh': { target: 'fetching', actions: ['adoptRequest', 'expireLookups'] },
      },
    },
    stale: {
      description: 'The cached list is older than the TTL; the next request fetches a new one.',
      on: {
        'models.request': { target: 'fetching', actions: 'adoptRequest' },
        'models.refresh': { target: 'fetching', actions: ['adoptRequest', 'expireLookups'] },
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
        'models.refresh': { target: 'fetching', actions: ['adoptRequest', 'expireLookups'] },
      },
    },
  },
});

function lookupTtls(context: ModelCacheContext, ttlMs: number): LookupTtls {
  return { foundTtlMs: ttlMs, notFoundTtlMs: context.notFoundTtlMs, errorBackoffMs: context.errorBackoffMs };
}

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
