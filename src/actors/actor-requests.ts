// The request/answer helper: send a request to an actor and wait, bounded, for the answer to that request.
import { randomUUID } from 'node:crypto';
import type { ConfigApplyAnswer, ConfigApplyFailure } from '../../machines/config-apply.machine.js';
import type { ModelCacheContext } from '../../machines/model-cache.machine.js';
import { serverDefaults } from '../config/defaults.js';
import { SupervisorError } from '../errors.js';
import { anthropicClientDefaults } from '../models/anthropic-client.js';
import { lookupFor, lookupTarget } from '../models/current-model.js';
import type { ConfigRef, ModelsRef, ModelsSnapshot } from './actor-refs.js';
import { boundedWait } from './bounded-wait.js';
import { commandBoundMs, type CommandTimeouts } from './server-commands.js';

export type { ConfigApplyAnswer, ConfigApplyFailure };

/** A validated change to config.yaml. */
export interface ConfigChange {
  values: Record<string, unknown>;
  restart: boolean;
}

/** Sends one change to the config actor and resolves with its answer. */
export type ApplyConfig = (change: ConfigChange) => Promise<ConfigApplyAnswer>;

/** Bound on one change: two restarts (the new config, then the restored one). */
export function applyTimeoutMs(server: CommandTimeouts = serverDefaults): number {
  return 2 * commandBoundMs(server) + 5_000;
}

/**
 * Sends `config.apply` with a fresh requestId and resolves with the matching `config.answered`. Rejects with
 * ERR_COMMAND_TIMEOUT after `timeoutMs`, and with ERR_SHUTTING_DOWN when the actor is not (or no longer) running.
 */
export async function applyConfigChange(config: ConfigRef, change: ConfigChange, timeoutMs: number): Promise<ConfigApplyAnswer> {
  if (config.getSnapshot().status !== 'active') throw new SupervisorError('ERR_SHUTTING_DOWN', 'The config actor is not running');
  const requestId = randomUUID();
  const result = await boundedWait<ConfigApplyAnswer | SupervisorError>(
    (answer) => {
      const answered = config.on('config.answered', (event) => {
        if (event.answer.requestId === requestId) answer(event.answer);
      });
      // The actor stopping (shutdown) or failing would otherwise leave the request waiting for the timeout.
      const stopped = config.subscribe({
        complete: () => answer(new SupervisorError('ERR_SHUTTING_DOWN', 'The config actor stopped before answering')),
        error: (error) => answer(new SupervisorError('ERR_INTERNAL', 'The config actor failed', { cause: error })),
      });
      config.send({ type: 'config.apply', request: { requestId, values: change.values, restart: change.restart } });
      return () => {
        answered.unsubscribe();
        stopped.unsubscribe();
      };
    },
    {
      ms: timeoutMs,
      onTimeout: () => new SupervisorError('ERR_COMMAND_TIMEOUT', `No answer to the config change within ${timeoutMs} ms; it may still be applied`),
    },
  );
  if (result instanceof SupervisorError) throw result;
  return result;
}

/** A request for the model list: served from the cache, or (`refresh`, or an expired cache) fetched first. */
export interface ModelsRequest {
  refresh: boolean;
  /** Fingerprint of the credential in effect; never the key. */
  credentialId: string | null;
  ttlMs: number;
  at: number;
  /** `default_model`: when the list does not hold it (and it is no bare alias), it is looked up too. */
  currentModel?: string | null;
}

/** A question about one model id (`GET /v1/models/{id}` unless the cache can answer). */
export interface ModelLookupRequest {
  credentialId: string | null;
  /** The model id (without a context-window suffix). */
  modelId: string;
  ttlMs: number;
  at: number;
}

/** What the cache holds once the request is answered, and whether a fetch is still under way. */
export interface ModelsAnswer {
  cache: ModelCacheContext;
  fetching: boolean;
}

/** Longest a models request waits for an upstream fetch: a little over the fetch's own timeout. */
export const modelsWaitMs = anthropicClientDefaults.timeoutMs + 2_000;

/**
 * Longest a config change waits to learn whether a `default_model` is retired or unknown. Past it, only the pattern
 * applies (an edit never hangs on a dead upstream); the lookup goes on and its answer is cached for the next one.
 */
export const modelCheckWaitMs = 5_000;

/**
 * Sends `models.request` (or `models.refresh`) to the model cache. A request that started or joined a fetch waits
 * for it; then, when the list (fetched without error) does not hold `currentModel`, that id is looked up too (a
 * retired model, an alias, an id the API does not know), waiting for the answer within what is left of `waitMs`.
 * Anything the cache can answer is answered at once. Throws ERR_SHUTTING_DOWN when the cache is not running.
 */
export async function requestModels(models: ModelsRef, request: ModelsRequest, waitMs: number): Promise<ModelsAnswer> {
  assertRunning(models);
  const started = Date.now();
  const { refresh, credentialId, ttlMs, at } = request;
  models.send({ type: refresh ? 'models.refresh' : 'models.request', credentialId, ttlMs, at });
  const now = models.getSnapshot();
  let snapshot = now.matches('fetching') ? await settled(models, waitMs, (s) => !s.matches('fetching')) : now;
  const { context } = snapshot;
  const listed = context.credentialId === credentialId && context.models !== null && context.lastError === null;
  const target = listed && context.models ? lookupTarget(request.currentModel ?? null, context.models) : null;
  if (target !== null && models.getSnapshot().status === 'active') {
    models.send({ type: 'models.lookup', credentialId, modelId: target, ttlMs, at });
    snapshot = await settled(models, Math.max(0, waitMs - (Date.now() - started)), (s) => !lookupPending(s, credentialId, target));
  }
  return { cache: snapshot.context, fetching: snapshot.matches('fetching') };
}

/**
 * Asks the model cache what it knows of one id for a config change: the list (fetched if none is cached) and, unless
 * the cached list already holds the id, `GET /v1/models/{id}`. Waits at most `waitMs` for both, then answers with
 * whatever the cache holds. Throws ERR_SHUTTING_DOWN when the cache is not running.
 */
export async function lookupModel(models: ModelsRef, request: ModelLookupRequest, waitMs: number): Promise<ModelsAnswer> {
  assertRunning(models);
  const { credentialId, modelId, ttlMs, at } = request;
  models.send({ type: 'models.request', credentialId, ttlMs, at });
  const listsIt = (s: ModelsSnapshot) =>
    s.context.credentialId === credentialId && (s.context.models ?? []).some((model) => model.id === modelId);
  const now = models.getSnapshot();
  if (!now.matches('fetching') && listsIt(now)) return { cache: now.context, fetching: false };
  models.send({ type: 'models.lookup', credentialId, modelId, ttlMs, at });
  // Done once the list is in and either holds the id or the lookup has answered (the list names the replacement).
  const snapshot = await settled(models, waitMs, (s) => !s.matches('fetching') && (listsIt(s) || !lookupPending(s, credentialId, modelId)));
  return { cache: snapshot.context, fetching: snapshot.matches('fetching') };
}

function assertRunning(models: ModelsRef): void {
  if (models.getSnapshot().status !== 'active') {
    throw new SupervisorError('ERR_SHUTTING_DOWN', 'the model cache is not running (supervisor shutting down)');
  }
}

function lookupPending(snapshot: ModelsSnapshot, credentialId: string | null, modelId: string): boolean {
  return lookupFor(snapshot.context.lookups, credentialId, modelId)?.pending != null;
}

// The first snapshot for which `done` holds; when that takes longer than `waitMs` or the actor stops, the one there
// is (the view then says the API has not answered yet).
function settled(models: ModelsRef, waitMs: number, done: (snapshot: ModelsSnapshot) => boolean): Promise<ModelsSnapshot> {
  const current = () => models.getSnapshot();
  if (done(current())) return Promise.resolve(current());
  return boundedWait<ModelsSnapshot>(
    (answer) => {
      const subscription = models.subscribe({
        next: (snapshot) => done(snapshot) && answer(snapshot),
        complete: () => answer(current()),
        error: () => answer(current()),
      });
      return () => subscription.unsubscribe();
    },
    { ms: waitMs, onTimeout: current },
  );
}
